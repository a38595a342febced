/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-area-layer"

#include "tw-area-layer.h"
#include "tw-store-private.h"

struct _TwAreaLayer
{
  gatomicrefcount  ref_count;
  gint64           geography_id;
  char            *geography_name;
  TwGeometrySet   *geometry;
  GPtrArray       *geoids;     /* char * */
  GPtrArray       *names;      /* char *, NULL allowed */
  GArray          *area_ids;   /* gint64 */
  GHashTable      *by_geoid;   /* geoid (borrowed) → index + 1 */
  GHashTable      *by_id;      /* gint64 * (borrowed) → index + 1 */
};

TwAreaLayer *
tw_area_layer_ref (TwAreaLayer *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tw_area_layer_unref (TwAreaLayer *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_clear_pointer (&self->geometry, tw_geometry_set_unref);
  g_clear_pointer (&self->by_geoid, g_hash_table_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->geoids, g_ptr_array_unref);
  g_clear_pointer (&self->names, g_ptr_array_unref);
  g_clear_pointer (&self->area_ids, g_array_unref);
  g_free (self->geography_name);
  g_free (self);
}

#define BATCH_BYTES (16 << 20)
#define BATCH_AREAS 8192

/* Parses the outlines gathered in @batch (each ends where @ends says) and empties it. */
static gboolean
flush_batch (TwGeometrySet  *geometry,
             GByteArray     *batch,
             GArray         *ends,
             GError        **error)
{
  g_autofree const guint8 **wkbs = g_new (const guint8 *, MAX (ends->len, 1));
  g_autofree gsize *lengths = g_new (gsize, MAX (ends->len, 1));
  gsize start = 0;
  gboolean ok;

  for (guint i = 0; i < ends->len; i++)
    {
      gsize end = g_array_index (ends, gsize, i);

      wkbs[i] = batch->data + start;
      lengths[i] = end - start;
      start = end;
    }
  ok = tw_geometry_set_add_wkb_many (geometry, wkbs, lengths, ends->len, error);
  g_byte_array_set_size (batch, 0);
  g_array_set_size (ends, 0);
  return ok;
}

TwAreaLayer *
tw_area_layer_load (TwStore       *store,
                    gint64         geography_id,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return tw_area_layer_load_with_flags (store, geography_id, TW_AREA_LAYER_LOAD_DEFAULT,
                                        cancellable, error);
}

TwAreaLayer *
tw_area_layer_load_with_flags (TwStore              *store,
                               gint64                geography_id,
                               TwAreaLayerLoadFlags  flags,
                               GCancellable         *cancellable,
                               GError              **error)
{
  g_autoptr(TwAreaLayer) self = NULL;
  g_autoptr(GByteArray) batch = NULL;
  g_autoptr(GArray) batch_ends = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  self = g_new0 (TwAreaLayer, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->geography_id = geography_id;
  self->geometry = tw_geometry_set_new ();
  self->geoids = g_ptr_array_new_with_free_func (g_free);
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->area_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->by_geoid = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_id = g_hash_table_new (g_int64_hash, g_int64_equal);

  stmt = tw_store_prepare (store, "SELECT name FROM geography WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, geography_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    self->geography_name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (self->geography_name == NULL)
    {
      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                   "%s: the project has no geography %" G_GINT64_FORMAT,
                   tw_store_get_path (store), geography_id);
      return NULL;
    }

  /* Along the table itself, already in id order: through the (geography, GEOID) index the
   * rows, outlines and all, would be copied into a sorter first. */
  stmt = tw_store_prepare (store,
                           "SELECT id, geoid, name, geom FROM area NOT INDEXED "
                           "WHERE geography_id = ?1 ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, geography_id);
  /* The outlines are copied out in batches and parsed on every core: turning 14 million
   * lon/lat pairs into world coordinates is most of the loading. */
  batch = g_byte_array_new ();
  batch_ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const guint8 *wkb = sqlite3_column_blob (stmt, 3);
      int wkb_len = sqlite3_column_bytes (stmt, 3);
      gsize end;

      if (wkb_len > 0)
        g_byte_array_append (batch, wkb, wkb_len);
      end = batch->len;
      g_array_append_val (batch_ends, end);
      if ((batch->len >= BATCH_BYTES || batch_ends->len >= BATCH_AREAS)
          && !flush_batch (self->geometry, batch, batch_ends, error))
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_array_append_val (self->area_ids, id);
      g_ptr_array_add (self->geoids, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      g_ptr_array_add (self->names, sqlite3_column_type (stmt, 2) == SQLITE_NULL
                                      ? NULL
                                      : g_strdup ((const char *) sqlite3_column_text (stmt, 2)));

      if ((self->area_ids->len & 0x3ff) == 0
          && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          sqlite3_reset (stmt);
          return NULL;
        }
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE && !flush_batch (self->geometry, batch, batch_ends, error))
    return NULL;
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (store, error, "reading areas");
      return NULL;
    }

  for (guint i = 0; i < self->area_ids->len; i++)
    {
      g_hash_table_insert (self->by_geoid, g_ptr_array_index (self->geoids, i),
                           GUINT_TO_POINTER (i + 1));
      g_hash_table_insert (self->by_id, &g_array_index (self->area_ids, gint64, i),
                           GUINT_TO_POINTER (i + 1));
    }

  if (flags & TW_AREA_LAYER_LOAD_LAZY_LEVELS)
    tw_geometry_set_seal_lazily (self->geometry);
  else
    tw_geometry_set_seal (self->geometry);
  return g_steal_pointer (&self);
}

gint64
tw_area_layer_get_geography_id (TwAreaLayer *self)
{
  g_return_val_if_fail (self != NULL, -1);
  return self->geography_id;
}

const char *
tw_area_layer_get_geography_name (TwAreaLayer *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->geography_name;
}

TwGeometrySet *
tw_area_layer_get_geometry (TwAreaLayer *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->geometry;
}

guint
tw_area_layer_get_n_areas (TwAreaLayer *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->area_ids->len;
}

const char *
tw_area_layer_get_geoid (TwAreaLayer *self,
                         guint        index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->geoids->len, NULL);
  return g_ptr_array_index (self->geoids, index);
}

const char *
tw_area_layer_get_name (TwAreaLayer *self,
                        guint        index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->names->len, NULL);
  return g_ptr_array_index (self->names, index);
}

gint64
tw_area_layer_get_area_id (TwAreaLayer *self,
                           guint        index)
{
  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (index < self->area_ids->len, -1);
  return g_array_index (self->area_ids, gint64, index);
}

int
tw_area_layer_find_geoid (TwAreaLayer *self,
                          const char  *geoid)
{
  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (geoid != NULL, -1);
  return GPOINTER_TO_INT (g_hash_table_lookup (self->by_geoid, geoid)) - 1;
}

int
tw_area_layer_find_area_id (TwAreaLayer *self,
                            gint64       area_id)
{
  g_return_val_if_fail (self != NULL, -1);
  return GPOINTER_TO_INT (g_hash_table_lookup (self->by_id, &area_id)) - 1;
}
