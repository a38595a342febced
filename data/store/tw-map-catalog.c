/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-map-catalog"

#include "tw-map-catalog.h"
#include "tw-store-private.h"

void
tw_map_measure_free (TwMapMeasure *measure)
{
  if (measure == NULL)
    return;
  g_free (measure->code);
  g_free (measure->label);
  g_strfreev (measure->periods);
  g_strfreev (measure->strata);
  g_free (measure);
}

GPtrArray *
tw_map_catalog_list_measures (TwStore  *store,
                              gint64    geography_id,
                              GError  **error)
{
  g_autoptr(GPtrArray) measures =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tw_map_measure_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *list, *present;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  list = tw_store_prepare (store, "SELECT id, code, label FROM measure ORDER BY code", error);
  if (list == NULL)
    return NULL;
  while ((rc = sqlite3_step (list)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (list, 0);

      g_array_append_val (ids, id);
      g_ptr_array_add (codes, g_strdup ((const char *) sqlite3_column_text (list, 1)));
      g_ptr_array_add (labels, g_strdup ((const char *) sqlite3_column_text (list, 2)));
    }
  sqlite3_reset (list);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (store, error, "Could not list the measures");
      return NULL;
    }

  present = tw_store_prepare (store,
                              "SELECT EXISTS (SELECT 1 FROM area AS a WHERE a.geography_id = ?1 "
                              "AND EXISTS (SELECT 1 FROM outcome AS o WHERE o.measure_id = ?2 "
                              "AND o.period = ?3 AND o.stratum = ?4 AND o.area_id = a.id))",
                              error);
  if (present == NULL)
    return NULL;

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_auto(GStrv) periods = tw_store_list_periods (store, id, error);
      g_auto(GStrv) strata = NULL;
      gboolean here;
      TwMapMeasure *measure;

      if (periods == NULL)
        return NULL;
      if (periods[0] == NULL)
        continue;
      if ((strata = tw_store_list_strata (store, id, NULL, error)) == NULL)
        return NULL;
      if (strata[0] == NULL)
        continue;

      sqlite3_bind_int64 (present, 1, geography_id);
      sqlite3_bind_int64 (present, 2, id);
      sqlite3_bind_text (present, 3, periods[0], -1, SQLITE_STATIC);
      sqlite3_bind_text (present, 4, strata[0], -1, SQLITE_STATIC);
      here = sqlite3_step (present) == SQLITE_ROW && sqlite3_column_int (present, 0) != 0;
      sqlite3_reset (present);
      sqlite3_clear_bindings (present);
      if (!here)
        continue;

      measure = g_new0 (TwMapMeasure, 1);
      measure->code = g_strdup (g_ptr_array_index (codes, i));
      measure->label = g_strdup (g_ptr_array_index (labels, i));
      measure->periods = g_steal_pointer (&periods);
      measure->strata = g_steal_pointer (&strata);
      g_ptr_array_add (measures, measure);
    }

  return g_steal_pointer (&measures);
}
