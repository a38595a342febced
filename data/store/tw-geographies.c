/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-geographies"

#include "tw-geographies.h"
#include "tw-store-private.h"

void
tw_geography_entry_free (TwGeographyEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->name);
  g_free (entry);
}

GPtrArray *
tw_store_list_geographies (TwStore     *self,
                           gint64       measure_id,
                           const char  *period,
                           GError     **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The outcome key leads with the measure, so each EXISTS is one seek. */
  stmt = tw_store_prepare (self,
                           "SELECT g.id, g.name, ?1 >= 0 AND EXISTS (SELECT 1 FROM outcome o "
                           "  JOIN area a ON a.id = o.area_id WHERE o.measure_id = ?1 "
                           "  AND (?2 IS NULL OR o.period = ?2) AND a.geography_id = g.id) "
                           "FROM geography g ORDER BY g.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, measure_id);
  if (period != NULL)
    sqlite3_bind_text (stmt, 2, period, -1, SQLITE_TRANSIENT);

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tw_geography_entry_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TwGeographyEntry *entry = g_new0 (TwGeographyEntry, 1);

      entry->id = sqlite3_column_int64 (stmt, 0);
      entry->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      entry->holds = sqlite3_column_int (stmt, 2) != 0;
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (self, error, "listing the geographies");
      return NULL;
    }
  return g_steal_pointer (&entries);
}
