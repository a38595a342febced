/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-store-evaluation"

#include "tw-store-evaluation.h"
#include "tw-store-private.h"

GArray *
tw_store_list_target_area_ids (TwStore  *self,
                               gint64    project_id,
                               GError  **error)
{
  g_autoptr(GArray) ids = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);

  stmt = tw_store_prepare (self, "SELECT area_id FROM project_area WHERE project_id = ?1",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, project_id);
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (self, error, "reading target areas");
      return NULL;
    }
  return g_steal_pointer (&ids);
}

gint64
tw_store_count_areas (TwStore  *self,
                      gint64    geography_id,
                      GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (self != NULL, -1);

  stmt = tw_store_prepare (self, "SELECT count(*) FROM area WHERE geography_id = ?1", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, geography_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    tw_store_set_sql_error (self, error, "counting areas");
  sqlite3_reset (stmt);
  return count;
}

gint64
tw_store_find_area (TwStore     *self,
                    gint64       geography_id,
                    const char  *geoid,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;
  int rc;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (geoid != NULL, -1);

  stmt = tw_store_prepare (self, "SELECT id FROM area WHERE geography_id = ?1 AND geoid = ?2",
                           error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, geography_id);
  sqlite3_bind_text (stmt, 2, geoid, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (self, error, "finding an area");
      return -1;
    }
  return id;
}
