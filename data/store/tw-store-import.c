/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-store-import"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tw-store-array.h"
#include "tw-store-import.h"
#include "tw-store-private.h"

/* The journal mode SQLite reports after asking for @mode: the old one when it could not
 * change (another connection has the file open, or a transaction is open). */
static char *
set_journal_mode (TwStore    *self,
                  const char *mode)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA journal_mode = %s", mode);
  sqlite3_stmt *stmt = NULL;
  char *now = NULL;

  if (sqlite3_prepare_v2 (tw_store_get_db (self), sql, -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    now = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return now;
}

static gboolean
query_only (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gboolean on = TRUE;

  if (sqlite3_prepare_v2 (db, "PRAGMA query_only", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    on = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);
  return on;
}

gboolean
tw_store_begin_bulk (TwStore  *self,
                     GError  **error)
{
  sqlite3 *db;

  g_return_val_if_fail (self != NULL, FALSE);

  db = tw_store_get_db (self);
  if (sqlite3_get_autocommit (db) && !tw_store_is_review (self) && !query_only (db))
    {
      g_autofree char *mode = set_journal_mode (self, "delete");

      /* One sync of the journal and one of the file at the commit: an import killed or
       * cut off by a crash of the program is undone all the same. */
      if (g_strcmp0 (mode, "delete") == 0)
        sqlite3_exec (db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
    }
  if (!tw_store_begin (self, error))
    {
      tw_store_end_bulk (self);
      return FALSE;
    }
  return TRUE;
}

void
tw_store_end_bulk (TwStore *self)
{
  sqlite3 *db;
  g_autofree char *mode = NULL;

  g_return_if_fail (self != NULL);

  db = tw_store_get_db (self);
  if (!sqlite3_get_autocommit (db))
    return;
  mode = set_journal_mode (self, "wal");
  sqlite3_exec (db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
  if (g_strcmp0 (mode, "wal") != 0)
    g_debug ("%s: still in journal mode %s after a bulk import; the next open puts the "
             "write-ahead log back", tw_store_get_path (self), mode ? mode : "?");
}

gboolean
tw_store_has_geography (TwStore    *self,
                        const char *name)
{
  sqlite3_stmt *stmt;
  gboolean exists;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  stmt = tw_store_prepare (self, "SELECT 1 FROM geography WHERE name = ?1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  exists = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return exists;
}

gint64
tw_store_add_geography (TwStore     *self,
                        const char  *name,
                        const char  *level,
                        int          vintage,
                        const char  *source,
                        const char  *source_crs,
                        GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (name != NULL && level != NULL, -1);

  stmt = tw_store_prepare (self,
                           "INSERT INTO geography (name, level, vintage, source, source_crs) "
                           "VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, level, -1, SQLITE_STATIC);
  if (vintage > 0)
    sqlite3_bind_int (stmt, 3, vintage);
  sqlite3_bind_text (stmt, 4, source, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, source_crs, -1, SQLITE_STATIC);
  if (!tw_store_step_done (self, stmt, "storing the geography", error))
    return -1;
  return sqlite3_last_insert_rowid (tw_store_get_db (self));
}

gboolean
tw_store_add_areas (TwStore              *self,
                    gint64                geography_id,
                    const TwAreaFeature  *areas,
                    guint                 n_areas,
                    GError              **error)
{
  return tw_store_add_areas_keeping_boxes (self, geography_id, areas, n_areas, NULL, error);
}

gboolean
tw_store_add_areas_keeping_boxes (TwStore              *self,
                                  gint64                geography_id,
                                  const TwAreaFeature  *areas,
                                  guint                 n_areas,
                                  GArray               *boxes,
                                  GError              **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (areas != NULL || n_areas == 0, FALSE);

  stmt = tw_store_prepare (self,
                           "INSERT INTO area (geography_id, geoid, name, geom, "
                           "  min_lon, min_lat, max_lon, max_lat) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, geography_id);
  for (guint i = 0; i < n_areas; i++)
    {
      const TwAreaFeature *area = &areas[i];

      sqlite3_bind_text (stmt, 2, area->geoid, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, area->name, -1, SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 4, area->wkb, (int) area->wkb_len, SQLITE_STATIC);
      sqlite3_bind_double (stmt, 5, area->min_lon);
      sqlite3_bind_double (stmt, 6, area->min_lat);
      sqlite3_bind_double (stmt, 7, area->max_lon);
      sqlite3_bind_double (stmt, 8, area->max_lat);
      if (!tw_store_step_done (self, stmt, "storing an area", error))
        return FALSE;
      if (boxes != NULL)
        {
          TwStoreAreaBox box = { sqlite3_last_insert_rowid (tw_store_get_db (self)),
                                 area->min_lon, area->max_lon, area->min_lat, area->max_lat };

          g_array_append_val (boxes, box);
        }
    }
  return TRUE;
}

/* --- The spatial index, packed ------------------------------------------------------
 *
 * Inserting 85,000 boxes one by one into SQLite's R*Tree costs 0.6 s of CPU, a fifth of a
 * national import, for a tree whose nodes end up two-thirds full. The boxes are all known
 * at the end of an import, so the tree is packed instead (sort-tile-recursive: boxes sorted
 * by x into vertical slices, each slice by y into full nodes, and so up to the root), and
 * its nodes written to the R*Tree's own tables in the layout SQLite's rtree module reads
 * and writes: a node is a blob of the tree's node size, two big-endian 16-bit numbers (the
 * tree's depth, in the root only, and the number of cells), then cells of a 64-bit id and
 * four 32-bit floats (min_lon, max_lon, min_lat, max_lat), rounded outwards; node 1 is the
 * root. Boxes already in the index (other geographies) are packed again with the new ones,
 * so the tree stays one tree; later inserts by SQLite go into it as into any other. */

typedef struct
{
  gint64 id;
  float  box[4];   /* min_lon, max_lon, min_lat, max_lat */
  float  center;   /* the sort key of the moment */
} IndexEntry;

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  float x = ((const IndexEntry *) a)->center, y = ((const IndexEntry *) b)->center;

  return (x > y) - (x < y);
}

static void
sort_entries_by (IndexEntry *entries,
                 gsize       n,
                 guint       axis)
{
  for (gsize i = 0; i < n; i++)
    entries[i].center = entries[i].box[2 * axis] / 2 + entries[i].box[2 * axis + 1] / 2;
  qsort (entries, n, sizeof *entries, compare_entries);
}

static void
put_be16 (guint8 *at, guint v) { at[0] = v >> 8; at[1] = v; }

static void
put_cell (guint8            *at,
          const IndexEntry  *entry)
{
  guint64 id = GUINT64_TO_BE ((guint64) entry->id);

  memcpy (at, &id, 8);
  for (guint k = 0; k < 4; k++)
    {
      guint32 bits;

      memcpy (&bits, &entry->box[k], 4);
      bits = GUINT32_TO_BE (bits);
      memcpy (at + 8 + 4 * k, &bits, 4);
    }
}

typedef struct
{
  TwStore      *store;
  sqlite3_stmt *node, *rowid, *parent;
  gsize         node_size;
  guint         capacity;   /* cells a node */
  gint64        next_node;  /* the next free node number; 1 is the root's */
} Packer;

/* Writes one node holding @entries (at most a node's capacity) and returns it, as an entry
 * of the level above: its box, and its number as its id. */
static gboolean
write_node (Packer       *packer,
            gint64        nodeno,
            guint         depth,
            gboolean      leaves,
            IndexEntry   *entries,
            guint         n,
            IndexEntry   *out,
            GError      **error)
{
  g_autofree guint8 *blob = g_malloc0 (packer->node_size);

  put_be16 (blob, depth);
  put_be16 (blob + 2, n);
  out->id = nodeno;
  out->box[0] = out->box[2] = INFINITY;
  out->box[1] = out->box[3] = -INFINITY;
  for (guint i = 0; i < n; i++)
    {
      sqlite3_stmt *child = leaves ? packer->rowid : packer->parent;

      put_cell (blob + 4 + 24 * i, &entries[i]);
      out->box[0] = MIN (out->box[0], entries[i].box[0]);
      out->box[1] = MAX (out->box[1], entries[i].box[1]);
      out->box[2] = MIN (out->box[2], entries[i].box[2]);
      out->box[3] = MAX (out->box[3], entries[i].box[3]);
      sqlite3_bind_int64 (child, 1, entries[i].id);
      sqlite3_bind_int64 (child, 2, nodeno);
      if (!tw_store_step_done (packer->store, child, "indexing the areas", error))
        return FALSE;
    }
  sqlite3_bind_int64 (packer->node, 1, nodeno);
  sqlite3_bind_blob (packer->node, 2, blob, (int) packer->node_size, SQLITE_STATIC);
  return tw_store_step_done (packer->store, packer->node, "indexing the areas", error);
}

/* Packs @entries (@n of them, n ≥ 1) into nodes, level by level up to the root. */
static gboolean
pack_tree (Packer      *packer,
           IndexEntry  *entries,
           gsize        n,
           GError     **error)
{
  guint depth = 0;
  guint m = packer->capacity;

  /* Leaves at depth 0; the root's depth is the tree's height. */
  for (;;)
    {
      gsize n_nodes = (n + m - 1) / m;
      gsize slices = (gsize) ceil (sqrt ((double) n_nodes));
      gsize per_slice = slices * m;
      g_autofree IndexEntry *level = NULL;

      if (n_nodes == 1)
        {
          IndexEntry root;

          return write_node (packer, 1, depth, depth == 0, entries, (guint) n, &root, error);
        }
      level = g_new (IndexEntry, n_nodes);
      sort_entries_by (entries, n, 0);
      for (gsize s = 0, k = 0; s * per_slice < n; s++)
        {
          IndexEntry *slice = entries + s * per_slice;
          gsize in_slice = MIN (per_slice, n - s * per_slice);

          sort_entries_by (slice, in_slice, 1);
          for (gsize i = 0; i < in_slice; i += m, k++)
            if (!write_node (packer, packer->next_node++, 0, depth == 0, slice + i,
                             (guint) MIN (m, in_slice - i), &level[k], error))
              return FALSE;
        }
      if (entries != level)
        memcpy (entries, level, n_nodes * sizeof *level);
      n = n_nodes;
      depth++;
    }
}

static float
float_down (double v)
{
  float f = (float) v;

  return (double) f > v ? nextafterf (f, -INFINITY) : f;
}

static float
float_up (double v)
{
  float f = (float) v;

  return (double) f < v ? nextafterf (f, INFINITY) : f;
}

/* Packs the index again with what it holds, the areas of @geography_id (when @boxes is
 * NULL) or @boxes. */
static gboolean
index_areas (TwStore  *self,
             gint64    geography_id,
             GArray   *boxes,
             GError  **error)
{
  static const char *const queries[] = {
    /* what the index holds already, then the new areas */
    "SELECT id, min_lon, max_lon, min_lat, max_lat FROM area_rtree",
    "SELECT id, min_lon, max_lon, min_lat, max_lat FROM area WHERE geography_id = ?1",
  };
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (IndexEntry));
  Packer packer = { self, NULL, NULL, NULL, 0, 0, 2 };
  sqlite3_stmt *stmt;
  int rc;

  stmt = tw_store_prepare (self, "SELECT length (data) FROM area_rtree_node WHERE nodeno = 1",
                           error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    packer.node_size = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  packer.capacity = packer.node_size >= 4 ? (guint) ((packer.node_size - 4) / 24) : 0;
  if (packer.capacity < 4)
    return tw_store_set_sql_error (self, error, "indexing the areas (the index has no root)");

  for (guint q = 0; q < (boxes != NULL ? 1 : G_N_ELEMENTS (queries)); q++)
    {
      stmt = tw_store_prepare (self, queries[q], error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, geography_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          IndexEntry entry = {
            .id = sqlite3_column_int64 (stmt, 0),
            .box = { float_down (sqlite3_column_double (stmt, 1)),
                     float_up (sqlite3_column_double (stmt, 2)),
                     float_down (sqlite3_column_double (stmt, 3)),
                     float_up (sqlite3_column_double (stmt, 4)) },
          };

          g_array_append_val (entries, entry);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return tw_store_set_sql_error (self, error, "indexing the areas");
    }
  for (guint i = 0; boxes != NULL && i < boxes->len; i++)
    {
      const TwStoreAreaBox *box = &g_array_index (boxes, TwStoreAreaBox, i);
      IndexEntry entry = {
        .id = box->id,
        .box = { float_down (box->min_lon), float_up (box->max_lon),
                 float_down (box->min_lat), float_up (box->max_lat) },
      };

      g_array_append_val (entries, entry);
    }
  if (entries->len == 0)
    return TRUE;

  {
    static const char *const clear[] = {
      "DELETE FROM area_rtree_node", "DELETE FROM area_rtree_rowid",
      "DELETE FROM area_rtree_parent",
    };

    for (guint i = 0; i < G_N_ELEMENTS (clear); i++)
      if ((stmt = tw_store_prepare (self, clear[i], error)) == NULL
          || !tw_store_step_done (self, stmt, "indexing the areas", error))
        return FALSE;
  }
  if ((packer.node = tw_store_prepare (self, "INSERT INTO area_rtree_node (nodeno, data) "
                                       "VALUES (?1, ?2)", error)) == NULL
      || (packer.rowid = tw_store_prepare (self, "INSERT INTO area_rtree_rowid (rowid, "
                                           "nodeno) VALUES (?1, ?2)", error)) == NULL
      || (packer.parent = tw_store_prepare (self, "INSERT INTO area_rtree_parent (nodeno, "
                                            "parentnode) VALUES (?1, ?2)", error)) == NULL)
    return FALSE;
  return pack_tree (&packer, (IndexEntry *) entries->data, entries->len, error);
}

gboolean
tw_store_index_areas (TwStore  *self,
                      gint64    geography_id,
                      GError  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return index_areas (self, geography_id, NULL, error);
}

gboolean
tw_store_index_area_boxes (TwStore  *self,
                           GArray   *boxes,
                           GError  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (boxes != NULL, FALSE);

  return index_areas (self, -1, boxes, error);
}

gboolean
tw_store_foreach_area (TwStore           *self,
                       gint64             geography_id,
                       TwStoredAreaFunc   func,
                       gpointer           user_data,
                       GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  stmt = tw_store_prepare (self,
                           "SELECT id, geoid, name, geom, min_lon, min_lat, max_lon, max_lat "
                           "FROM area WHERE geography_id = ?1 ORDER BY geoid", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, geography_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TwStoredArea area = {
        .id = sqlite3_column_int64 (stmt, 0),
        .geoid = (const char *) sqlite3_column_text (stmt, 1),
        .name = (const char *) sqlite3_column_text (stmt, 2),
        .wkb = sqlite3_column_blob (stmt, 3),
        .wkb_len = sqlite3_column_bytes (stmt, 3),
        .min_lon = sqlite3_column_double (stmt, 4),
        .min_lat = sqlite3_column_double (stmt, 5),
        .max_lon = sqlite3_column_double (stmt, 6),
        .max_lat = sqlite3_column_double (stmt, 7),
      };

      func (&area, user_data);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (self, error, "reading the areas");
  return TRUE;
}

static void
set_foreign_keys (TwStore  *self,
                  gboolean  on)
{
  sqlite3_exec (tw_store_get_db (self), on ? "PRAGMA foreign_keys = ON"
                                           : "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
}

gboolean
tw_store_begin_outcome_import (TwStore  *self,
                               GError  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  /* The pragma is a no-op inside a transaction: it goes before BEGIN and after its end. */
  set_foreign_keys (self, FALSE);
  if (!tw_store_begin (self, error))
    {
      set_foreign_keys (self, TRUE);
      return FALSE;
    }
  return TRUE;
}

gboolean
tw_store_commit_outcome_import (TwStore     *self,
                                const char  *audit_detail,
                                GError     **error)
{
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (audit_detail != NULL, FALSE);

  ok = tw_store_audit (self, "import-outcomes", audit_detail, error)
       && tw_store_commit (self, error);
  if (!ok)
    tw_store_rollback (self);
  set_foreign_keys (self, TRUE);
  return ok;
}

void
tw_store_abandon_outcome_import (TwStore *self)
{
  g_return_if_fail (self != NULL);

  tw_store_rollback (self);
  set_foreign_keys (self, TRUE);
}

gint64
tw_store_add_measure (TwStore     *self,
                      const char  *code,
                      const char  *label,
                      const char  *kind,
                      double       per,
                      const char  *source,
                      GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (code != NULL && label != NULL && kind != NULL, -1);

  stmt = tw_store_prepare (self,
                           "INSERT INTO measure (code, label, kind, multiplier, source) "
                           "VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, label, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 4, per);
  sqlite3_bind_text (stmt, 5, source, -1, SQLITE_STATIC);
  if (!tw_store_step_done (self, stmt, "storing a measure", error))
    return -1;
  return sqlite3_last_insert_rowid (tw_store_get_db (self));
}

gint64
tw_store_find_or_add_label (TwStore         *self,
                            TwOutcomeLabel   kind,
                            const char      *label,
                            GError         **error)
{
  static const char *const lookups[] = {
    [TW_OUTCOME_LABEL_PERIOD] = "SELECT id FROM period WHERE label = ?1",
    [TW_OUTCOME_LABEL_STRATUM] = "SELECT id FROM stratum WHERE label = ?1",
    [TW_OUTCOME_LABEL_AGE_GROUP] = "SELECT id FROM age_group WHERE label = ?1",
  };
  static const char *const inserts[] = {
    [TW_OUTCOME_LABEL_PERIOD] = "INSERT INTO period (label) VALUES (?1)",
    [TW_OUTCOME_LABEL_STRATUM] = "INSERT INTO stratum (label) VALUES (?1)",
    [TW_OUTCOME_LABEL_AGE_GROUP] = "INSERT INTO age_group (label) VALUES (?1)",
  };
  sqlite3_stmt *stmt;
  gint64 id = -1;
  int rc;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (kind <= TW_OUTCOME_LABEL_AGE_GROUP, -1);
  g_return_val_if_fail (label != NULL, -1);

  stmt = tw_store_prepare (self, lookups[kind], error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, label, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (self, error, "reading a label");
      return -1;
    }
  if (id >= 0)
    return id;

  stmt = tw_store_prepare (self, inserts[kind], error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, label, -1, SQLITE_STATIC);
  if (!tw_store_step_done (self, stmt, "storing a label", error))
    return -1;
  return sqlite3_last_insert_rowid (tw_store_get_db (self));
}

GStrv
tw_store_list_labels (TwStore         *self,
                      TwOutcomeLabel   kind,
                      GError         **error)
{
  static const char *const queries[] = {
    [TW_OUTCOME_LABEL_PERIOD] = "SELECT label FROM period",
    [TW_OUTCOME_LABEL_STRATUM] = "SELECT label FROM stratum",
    [TW_OUTCOME_LABEL_AGE_GROUP] = "SELECT label FROM age_group",
  };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (kind <= TW_OUTCOME_LABEL_AGE_GROUP, NULL);

  stmt = tw_store_prepare (self, queries[kind], error);
  if (stmt == NULL)
    return NULL;
  return tw_store_collect_texts (self, stmt, "reading the labels", error);
}

/* --- Outcome rows in bulk ------------------------------------------------------------
 *
 * A run of rows goes in with one INSERT … SELECT from the caller's array (tw-store-array.h). */

static const TwStoreArrayColumn row_columns[] = {
  { "measure_id", G_STRUCT_OFFSET (TwOutcomeRow, measure_id), TW_STORE_ARRAY_INT64 },
  { "period_id", G_STRUCT_OFFSET (TwOutcomeRow, period_id), TW_STORE_ARRAY_INT64 },
  { "stratum_id", G_STRUCT_OFFSET (TwOutcomeRow, stratum_id), TW_STORE_ARRAY_INT64 },
  { "area_id", G_STRUCT_OFFSET (TwOutcomeRow, area_id), TW_STORE_ARRAY_INT64 },
  { "age_group_id", G_STRUCT_OFFSET (TwOutcomeRow, age_group_id), TW_STORE_ARRAY_INT64 },
  { "numerator", G_STRUCT_OFFSET (TwOutcomeRow, numerator), TW_STORE_ARRAY_DOUBLE },
  { "denominator", G_STRUCT_OFFSET (TwOutcomeRow, denominator), TW_STORE_ARRAY_DOUBLE },
};

static const TwStoreArrayTable row_table = {
  "tw_outcome_rows", row_columns, G_N_ELEMENTS (row_columns), sizeof (TwOutcomeRow)
};

#define INSERT_ROWS_SQL \
  "INSERT INTO outcome_value (measure_id, period_id, stratum_id, area_id, age_group_id, " \
  "  numerator, denominator) " \
  "SELECT measure_id, period_id, stratum_id, area_id, age_group_id, numerator, " \
  "  denominator FROM temp.tw_outcome_rows (?1)"

/* Stores @rows one statement a row; returns how many before the first duplicate. */
static gssize
add_outcomes_one_by_one (TwStore             *self,
                         const TwOutcomeRow  *rows,
                         gsize                n_rows,
                         GError             **error)
{
  sqlite3_stmt *stmt;

  stmt = tw_store_prepare (self,
                           "INSERT INTO outcome_value (measure_id, period_id, stratum_id, "
                           "  area_id, age_group_id, numerator, denominator) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (stmt == NULL)
    return -1;
  for (gsize i = 0; i < n_rows; i++)
    {
      const TwOutcomeRow *row = &rows[i];
      int rc;

      sqlite3_bind_int64 (stmt, 1, row->measure_id);
      sqlite3_bind_int64 (stmt, 2, row->period_id);
      sqlite3_bind_int64 (stmt, 3, row->stratum_id);
      sqlite3_bind_int64 (stmt, 4, row->area_id);
      sqlite3_bind_int64 (stmt, 5, row->age_group_id);
      sqlite3_bind_double (stmt, 6, row->numerator);
      sqlite3_bind_double (stmt, 7, row->denominator);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        return (gssize) i;
      if (rc != SQLITE_DONE)
        {
          tw_store_set_sql_error (self, error, "storing an outcome");
          return -1;
        }
    }
  return (gssize) n_rows;
}

gssize
tw_store_add_outcomes (TwStore             *self,
                       const TwOutcomeRow  *rows,
                       gsize                n_rows,
                       GError             **error)
{
  TwStoreArray array = { rows, n_rows };
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (rows != NULL || n_rows == 0, -1);
  g_return_val_if_fail (n_rows <= G_MAXSSIZE, -1);

  if (n_rows < 16)
    return add_outcomes_one_by_one (self, rows, n_rows, error);

  stmt = tw_store_prepare_array (self, &row_table, INSERT_ROWS_SQL, error);
  if (stmt == NULL)
    return -1;
  tw_store_bind_array (stmt, 1, &array);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc == SQLITE_DONE)
    return (gssize) n_rows;
  /* A duplicate undoes the statement: the rows go again one by one, to find it. */
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    return add_outcomes_one_by_one (self, rows, n_rows, error);
  tw_store_set_sql_error (self, error, "storing outcomes");
  return -1;
}

gboolean
tw_store_replace_attributes (TwStore            *self,
                             gint64              geography_id,
                             const char *const  *names,
                             GArray             *rows,
                             const char         *source,
                             GError            **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (names != NULL && rows != NULL, FALSE);

  for (guint f = 0; names[f] != NULL; f++)
    {
      sqlite3_stmt *stmt = tw_store_prepare (self,
                                             "DELETE FROM area_attribute WHERE name = ?1 AND "
                                             "area_id IN (SELECT id FROM area WHERE "
                                             "geography_id = ?2)", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, names[f], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, geography_id);
      if (!tw_store_step_done (self, stmt, "clearing the attribute", error))
        return FALSE;

      stmt = tw_store_prepare (self,
                               "INSERT INTO area_attribute (area_id, name, value, source) "
                               "VALUES (?1, ?2, ?3, ?4)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 2, names[f], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, source, -1, SQLITE_STATIC);
      for (guint r = 0; r < rows->len; r++)
        {
          const TwAttributeValues *row = &g_array_index (rows, TwAttributeValues, r);

          sqlite3_bind_int64 (stmt, 1, row->area_id);
          if (isnan (row->values[f]))
            sqlite3_bind_null (stmt, 3);
          else
            sqlite3_bind_double (stmt, 3, row->values[f]);
          if (!tw_store_step_done (self, stmt, "storing an attribute", error))
            return FALSE;
        }
    }
  return TRUE;
}
