/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-store-origin"

#include "config.h"

#include <math.h>

#include "tw-store-origin.h"
#include "tw-store-private.h"

static gboolean
parse_change (const char   *text,
              TwAreaChange *change)
{
  for (TwAreaChange c = TW_AREA_CHANGE_UNCHANGED; c <= TW_AREA_CHANGE_MERGED; c++)
    if (g_strcmp0 (text, tw_area_change_to_string (c)) == 0)
      {
        *change = c;
        return TRUE;
      }
  return FALSE;
}

GPtrArray *
tw_store_list_area_origins (TwStore     *self,
                            gint64       geography_id,
                            const char  *measure_code,
                            const char  *period,
                            const char  *stratum,
                            GError     **error)
{
  g_autoptr(GPtrArray) origins = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 tw_area_origin_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);

  stmt = tw_store_prepare (self, "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                 "AND name = 'crosswalk_area'", error);
  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return g_steal_pointer (&origins);
  if (rc != SQLITE_ROW)
    {
      tw_store_set_sql_error (self, error, "looking for the crosswalk tables");
      return NULL;
    }

  /* The cell of the measure, period and group picked, if the area has one. */
  stmt = tw_store_prepare (self,
                           "WITH cell AS ("
                           "  SELECT v.area_id, sum (v.numerator) AS count,"
                           "    (SELECT c.partial FROM crosswalk_cell c"
                           "      WHERE c.measure_id = v.measure_id"
                           "        AND c.period_id = v.period_id"
                           "        AND c.stratum_id = v.stratum_id"
                           "        AND c.area_id = v.area_id) AS partial"
                           "  FROM outcome_value v"
                           "  JOIN measure m ON m.id = v.measure_id AND m.code = ?2"
                           "  JOIN period p ON p.id = v.period_id AND p.label = ?3"
                           "  JOIN stratum s ON s.id = v.stratum_id AND s.label = ?4"
                           "  JOIN area a ON a.id = v.area_id AND a.geography_id = ?1"
                           "  GROUP BY v.area_id)"
                           "SELECT a.geoid, x.change, g.name, cell.count, cell.partial,"
                           "  cell.area_id IS NOT NULL "
                           "FROM crosswalk_area x"
                           "  JOIN area a ON a.id = x.area_id AND a.geography_id = ?1"
                           "  JOIN crosswalk w ON w.id = x.crosswalk_id"
                           "  JOIN geography g ON g.id = w.from_geography_id"
                           "  LEFT JOIN cell ON cell.area_id = x.area_id "
                           "ORDER BY a.geoid", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, geography_id);
  sqlite3_bind_text (stmt, 2, measure_code != NULL ? measure_code : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, period != NULL ? period : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, stratum != NULL ? stratum : "all", -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TwAreaOrigin *origin = g_new0 (TwAreaOrigin, 1);
      gboolean has_cell = sqlite3_column_int (stmt, 5);

      origin->geoid = tw_store_column_dup (stmt, 0);
      if (!parse_change ((const char *) sqlite3_column_text (stmt, 1), &origin->change))
        origin->change = TW_AREA_CHANGE_MERGED;
      origin->from_geography = tw_store_column_dup (stmt, 2);
      origin->count = has_cell ? tw_store_column_double (stmt, 3) : NAN;
      /* A cell moved whole is not noted: nothing of it came from a shared source. */
      origin->partial = !has_cell ? NAN
                        : sqlite3_column_type (stmt, 4) == SQLITE_NULL ? 0
                        : sqlite3_column_double (stmt, 4);
      g_ptr_array_add (origins, origin);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (self, error, "reading how the areas were converted");
      return NULL;
    }
  return g_steal_pointer (&origins);
}

void
tw_area_origin_free (TwAreaOrigin *origin)
{
  if (origin == NULL)
    return;
  g_free (origin->geoid);
  g_free (origin->from_geography);
  g_free (origin);
}
