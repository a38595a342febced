/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-area-polygons"

#include "tw-area-polygons.h"
#include "tw-store-private.h"

void
tw_area_polygons_free (TwAreaPolygons *self)
{
  if (self == NULL)
    return;
  g_free (self->area_ids);
  g_strfreev (self->geoids);
  tw_polygon_set_free (self->polygons);
  g_free (self);
}

TwAreaPolygons *
tw_area_polygons_load (TwStore  *store,
                       gint64    geography_id,
                       GError  **error)
{
  g_autoptr(TwAreaPolygons) self = g_new0 (TwAreaPolygons, 1);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GStrvBuilder) geoids = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = tw_store_prepare (store,
                           "SELECT id, geoid, geom FROM area WHERE geography_id = ? "
                           "ORDER BY geoid, id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, geography_id);
  self->polygons = tw_polygon_set_new (TRUE);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *geoid = (const char *) sqlite3_column_text (stmt, 1);
      const guint8 *wkb = sqlite3_column_blob (stmt, 2);
      gsize length = sqlite3_column_bytes (stmt, 2);
      g_autoptr(GError) local = NULL;

      if (!tw_polygon_set_add_wkb (self->polygons, wkb, length, &local))
        {
          g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_SQL,
                       "the stored boundary of area %s cannot be read (%s); import the areas "
                       "again", geoid, local->message);
          sqlite3_reset (stmt);
          return NULL;
        }
      g_array_append_val (ids, id);
      g_strv_builder_add (geoids, geoid);
    }
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (store, error, "reading the area boundaries");
      return NULL;
    }
  self->n_areas = ids->len;
  self->area_ids = (gint64 *) g_array_free (g_steal_pointer (&ids), FALSE);
  self->geoids = g_strv_builder_end (geoids);
  return g_steal_pointer (&self);
}
