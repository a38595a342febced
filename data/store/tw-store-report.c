/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-store-report"

#include "tw-store-private.h"
#include "tw-store-report.h"

#define GEOGRAPHY_COLUMNS "SELECT id, name, level, vintage, source FROM geography "
#define MEASURE_COLUMNS "SELECT id, code, label, kind, multiplier, higher_is_worse, source " \
                        "FROM measure "

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

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gpointer
geography_from_row (sqlite3_stmt *stmt)
{
  TwGeographyInfo *info = g_new0 (TwGeographyInfo, 1);

  info->id = sqlite3_column_int64 (stmt, 0);
  info->name = column_dup (stmt, 1);
  info->level = column_dup (stmt, 2);
  info->vintage = column_dup (stmt, 3);
  info->source = column_dup (stmt, 4);
  return info;
}

static gpointer
measure_from_row (sqlite3_stmt *stmt)
{
  TwMeasureInfo *info = g_new0 (TwMeasureInfo, 1);

  info->id = sqlite3_column_int64 (stmt, 0);
  info->code = column_dup (stmt, 1);
  info->label = column_dup (stmt, 2);
  info->kind = column_dup (stmt, 3);
  info->multiplier = sqlite3_column_double (stmt, 4);
  info->higher_is_worse = sqlite3_column_int (stmt, 5) != 0;
  info->source = column_dup (stmt, 6);
  return info;
}

/* Steps @stmt to its end, adding each row made by @from_row to a new array. */
static GPtrArray *
collect_rows (TwStore         *store,
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
      tw_store_set_sql_error (store, error, what);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

GPtrArray *
tw_store_report_list_geographies (TwStore  *store,
                                  GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = tw_store_prepare (store, GEOGRAPHY_COLUMNS "ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  return collect_rows (store, stmt, geography_from_row,
                       (GDestroyNotify) tw_geography_info_free, "reading geographies", error);
}

GPtrArray *
tw_store_report_list_measures (TwStore  *store,
                               GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = tw_store_prepare (store, MEASURE_COLUMNS "ORDER BY code", error);
  if (stmt == NULL)
    return NULL;
  return collect_rows (store, stmt, measure_from_row,
                       (GDestroyNotify) tw_measure_info_free, "reading measures", error);
}

TwGeographyInfo *
tw_store_report_get_geography (TwStore  *store,
                               gint64    id,
                               GError  **error)
{
  TwGeographyInfo *info = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = tw_store_prepare (store, GEOGRAPHY_COLUMNS "WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    info = geography_from_row (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    tw_store_set_sql_error (store, error, "reading a geography");
  else if (info == NULL)
    g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                 "%s: no geography %" G_GINT64_FORMAT, tw_store_get_path (store), id);
  return info;
}

TwMeasureInfo *
tw_store_report_get_measure (TwStore     *store,
                             const char  *code,
                             GError     **error)
{
  TwMeasureInfo *info = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (store != NULL, NULL);

  /* Resolving first gives the message that names the codes there are. */
  id = tw_store_resolve_measure (store, code, error);
  if (id < 0)
    return NULL;
  stmt = tw_store_prepare (store, MEASURE_COLUMNS "WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    info = measure_from_row (stmt);
  else
    tw_store_set_sql_error (store, error, "reading a measure");
  sqlite3_reset (stmt);
  return info;
}
