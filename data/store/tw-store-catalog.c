/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-store-catalog"

#include <math.h>
#include <string.h>

#include "tw-store-catalog.h"
#include "tw-store-private.h"

#define MEASURE_COLUMNS "SELECT id, code, label, kind, multiplier, higher_is_worse, source " \
                        "FROM measure "
/* The outcome key leads with the measure, so each EXISTS is one seek. */
#define GEOGRAPHY_COLUMNS "SELECT g.id, g.name, g.level, g.vintage, g.source, " \
                          "?1 >= 0 AND EXISTS (SELECT 1 FROM outcome o " \
                          "  JOIN area a ON a.id = o.area_id WHERE o.measure_id = ?1 " \
                          "  AND (?2 IS NULL OR o.period = ?2) AND a.geography_id = g.id) " \
                          "FROM geography g "

void
tw_measure_info_free (TwMeasureInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->code);
  g_free (info->label);
  g_free (info->kind);
  g_free (info->source);
  g_free (info);
}

void
tw_geography_info_free (TwGeographyInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->level);
  g_free (info->vintage);
  g_free (info->source);
  g_free (info);
}

static gpointer
measure_from_row (sqlite3_stmt *stmt)
{
  TwMeasureInfo *info = g_new0 (TwMeasureInfo, 1);

  info->id = sqlite3_column_int64 (stmt, 0);
  info->code = tw_store_column_dup (stmt, 1);
  info->label = tw_store_column_dup (stmt, 2);
  info->kind = tw_store_column_dup (stmt, 3);
  info->multiplier = sqlite3_column_double (stmt, 4);
  info->higher_is_worse = sqlite3_column_int (stmt, 5) != 0;
  info->source = tw_store_column_dup (stmt, 6);
  return info;
}

static gpointer
geography_from_row (sqlite3_stmt *stmt)
{
  TwGeographyInfo *info = g_new0 (TwGeographyInfo, 1);

  info->id = sqlite3_column_int64 (stmt, 0);
  info->name = tw_store_column_dup (stmt, 1);
  info->level = tw_store_column_dup (stmt, 2);
  info->vintage = tw_store_column_dup (stmt, 3);
  info->source = tw_store_column_dup (stmt, 4);
  info->holds = sqlite3_column_int (stmt, 5) != 0;
  return info;
}

/* Steps @stmt to its end, adding each row made by @from_row to a new array. */
static GPtrArray *
collect_rows (TwStore         *self,
              sqlite3_stmt    *stmt,
              gpointer       (*from_row) (sqlite3_stmt *stmt),
              GDestroyNotify   free_row,
              const char      *what,
              GError         **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_row);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (self, error, what);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* Steps @stmt, which has at most one row: that row made by @from_row, or NULL (with @error
 * set only when the project cannot be read). */
static gpointer
step_one (TwStore        *self,
          sqlite3_stmt   *stmt,
          gpointer      (*from_row) (sqlite3_stmt *stmt),
          const char     *what,
          GError        **error)
{
  gpointer row = NULL;
  int rc;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    row = from_row (stmt);
  else if (rc != SQLITE_DONE)
    tw_store_set_sql_error (self, error, what);
  sqlite3_reset (stmt);
  return row;
}

TwMeasureInfo *
tw_store_get_measure (TwStore  *self,
                      gint64    measure_id,
                      GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  TwMeasureInfo *info;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = tw_store_prepare (self, MEASURE_COLUMNS "WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, measure_id);
  info = step_one (self, stmt, measure_from_row, "reading a measure", &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (info == NULL)
    g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                 "%s: no measure with id %" G_GINT64_FORMAT, tw_store_get_path (self),
                 measure_id);
  return info;
}

gboolean
tw_store_find_measure (TwStore         *self,
                       const char      *code,
                       TwMeasureInfo  **measure,
                       GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (code != NULL && measure != NULL, FALSE);

  *measure = NULL;
  stmt = tw_store_prepare (self, MEASURE_COLUMNS "WHERE code = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  *measure = step_one (self, stmt, measure_from_row, "reading a measure", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
tw_store_list_measures (TwStore  *self,
                        GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, NULL);

  stmt = tw_store_prepare (self, MEASURE_COLUMNS "ORDER BY code", error);
  if (stmt == NULL)
    return NULL;
  return collect_rows (self, stmt, measure_from_row, (GDestroyNotify) tw_measure_info_free,
                       "reading measures", error);
}

TwGeographyInfo *
tw_store_get_geography (TwStore  *self,
                        gint64    geography_id,
                        GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  TwGeographyInfo *info;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = tw_store_prepare (self, GEOGRAPHY_COLUMNS "WHERE g.id = ?3", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, -1);
  sqlite3_bind_int64 (stmt, 3, geography_id);
  info = step_one (self, stmt, geography_from_row, "reading a geography", &local_error);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (info == NULL)
    g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                 "%s: no geography %" G_GINT64_FORMAT, tw_store_get_path (self),
                 geography_id);
  return info;
}

GPtrArray *
tw_store_list_geographies (TwStore     *self,
                           gint64       measure_id,
                           const char  *period,
                           GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = tw_store_prepare (self, GEOGRAPHY_COLUMNS "ORDER BY g.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, measure_id);
  if (period != NULL)
    sqlite3_bind_text (stmt, 2, period, -1, SQLITE_TRANSIENT);
  return collect_rows (self, stmt, geography_from_row, (GDestroyNotify) tw_geography_info_free,
                       "listing the geographies", error);
}

int
tw_geography_info_compare_names (gconstpointer a,
                                 gconstpointer b)
{
  const TwGeographyInfo *ga = *(TwGeographyInfo *const *) a;
  const TwGeographyInfo *gb = *(TwGeographyInfo *const *) b;

  return strcmp (ga->name, gb->name);
}

gboolean
tw_store_foreach_geoid (TwStore           *self,
                        gint64             geography_id,
                        TwStoreGeoidFunc   func,
                        gpointer           user_data,
                        GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (geography_id > 0)
    {
      stmt = tw_store_prepare (self, "SELECT id, geoid FROM area WHERE geography_id = ?1",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, geography_id);
    }
  else
    {
      stmt = tw_store_prepare (self, "SELECT id, geoid FROM area WHERE geography_id IS NOT NULL",
                               error);
      if (stmt == NULL)
        return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func (sqlite3_column_int64 (stmt, 0), (const char *) sqlite3_column_text (stmt, 1),
          user_data);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (self, error, "reading areas");
  return TRUE;
}

static void
add_geoid (gint64      area_id,
           const char *geoid,
           gpointer    user_data)
{
  g_hash_table_insert (user_data, g_strdup (geoid), GSIZE_TO_POINTER ((gsize) area_id));
}

GHashTable *
tw_store_map_geoids (TwStore  *self,
                     gint64    geography_id,
                     GError  **error)
{
  g_autoptr(GHashTable) areas = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  areas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!tw_store_foreach_geoid (self, geography_id, add_geoid, areas, error))
    return NULL;
  return g_steal_pointer (&areas);
}

GArray *
tw_store_count_geoid_matches (TwStore            *self,
                              const char * const *geoids,
                              GError            **error)
{
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (TwGeoidMatches));
  g_autoptr(GHashTable) distinct = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (geoids != NULL, NULL);

  for (guint i = 0; geoids[i] != NULL; i++)
    g_hash_table_add (distinct, (gpointer) geoids[i]);

  stmt = tw_store_prepare (self, "SELECT id FROM geography ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TwGeoidMatches entry = { sqlite3_column_int64 (stmt, 0), 0 };

      g_array_append_val (matches, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (self, error, "reading geographies");
      return NULL;
    }

  stmt = tw_store_prepare (self, "SELECT 1 FROM area WHERE geography_id = ?1 AND geoid = ?2",
                           error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < matches->len; i++)
    {
      TwGeoidMatches *entry = &g_array_index (matches, TwGeoidMatches, i);
      GHashTableIter iter;
      gpointer geoid;

      g_hash_table_iter_init (&iter, distinct);
      while (g_hash_table_iter_next (&iter, &geoid, NULL))
        {
          sqlite3_bind_int64 (stmt, 1, entry->geography_id);
          sqlite3_bind_text (stmt, 2, geoid, -1, SQLITE_STATIC);
          rc = sqlite3_step (stmt);
          sqlite3_reset (stmt);
          if (rc == SQLITE_ROW)
            entry->matched++;
          else if (rc != SQLITE_DONE)
            {
              tw_store_set_sql_error (self, error, "reading areas");
              return NULL;
            }
        }
    }

  return g_steal_pointer (&matches);
}

GStrv
tw_store_list_attributes (TwStore  *self,
                          gint64    geography_id,
                          GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, NULL);

  stmt = tw_store_prepare (self,
                           "SELECT DISTINCT area_attribute.name FROM area_attribute JOIN area ON "
                           "area.id = area_attribute.area_id WHERE area.geography_id = ?1 "
                           "ORDER BY area_attribute.name", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, geography_id);
  return tw_store_collect_texts (self, stmt, "listing attributes", error);
}

gboolean
tw_store_load_attribute (TwStore     *self,
                         gint64       geography_id,
                         const char  *name,
                         GArray     **area_ids,
                         GArray     **values,
                         GError     **error)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) found = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL && name != NULL, FALSE);
  g_return_val_if_fail (area_ids != NULL && values != NULL, FALSE);

  stmt = tw_store_prepare (self,
                           "SELECT area_id, value FROM area_attribute JOIN area ON area.id = "
                           "area_attribute.area_id WHERE area.geography_id = ?1 AND "
                           "area_attribute.name = ?2 ORDER BY area.geoid", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, geography_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  found = g_array_new (FALSE, FALSE, sizeof (double));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      double value = sqlite3_column_type (stmt, 1) == SQLITE_NULL
                     ? NAN : sqlite3_column_double (stmt, 1);

      g_array_append_val (ids, id);
      g_array_append_val (found, value);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (self, error, "reading an attribute");
  *area_ids = g_steal_pointer (&ids);
  *values = g_steal_pointer (&found);
  return TRUE;
}
