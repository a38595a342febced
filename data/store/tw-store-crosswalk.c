/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-store-crosswalk"

#include "config.h"

#include <math.h>

#include "tw-store-array.h"
#include "tw-store-crosswalk.h"
#include "tw-store-private.h"

#define CANCEL_CHECK_MASK 0xffff

/* Made on a project's first crosswalk rather than by a migration, so projects that never
 * convert a geography keep their schema; a Tractwise that knows no crosswalk reads the
 * allocated outcomes as ordinary ones. */
static const char crosswalk_schema[] =
  "CREATE TABLE IF NOT EXISTS crosswalk ("
  "  id INTEGER PRIMARY KEY,"
  "  from_geography_id INTEGER NOT NULL REFERENCES geography (id) ON DELETE CASCADE,"
  "  to_geography_id INTEGER NOT NULL REFERENCES geography (id) ON DELETE CASCADE,"
  "  source TEXT,"
  "  method TEXT NOT NULL,"
  "  made_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
  "CREATE TABLE IF NOT EXISTS crosswalk_cell ("
  "  measure_id INTEGER NOT NULL REFERENCES measure (id) ON DELETE CASCADE,"
  "  period_id INTEGER NOT NULL,"
  "  stratum_id INTEGER NOT NULL,"
  "  area_id INTEGER NOT NULL,"
  "  crosswalk_id INTEGER NOT NULL,"
  "  partial REAL NOT NULL,"
  "  variance REAL NOT NULL,"
  "  least_source REAL,"
  "  hidden INTEGER NOT NULL,"
  "  PRIMARY KEY (measure_id, period_id, stratum_id, area_id)) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS crosswalk_area ("
  "  area_id INTEGER PRIMARY KEY REFERENCES area (id) ON DELETE CASCADE,"
  "  crosswalk_id INTEGER NOT NULL REFERENCES crosswalk (id) ON DELETE CASCADE,"
  "  change TEXT NOT NULL CHECK (change IN ('unchanged','recoded','split','merged')));";

static gboolean
has_crosswalk_tables (TwStore  *self,
                      gboolean *has,
                      GError  **error)
{
  sqlite3_stmt *stmt = tw_store_prepare (self,
                                         "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                         "AND name = 'crosswalk_cell'", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tw_store_set_sql_error (self, error, "looking for the crosswalk tables");
  *has = rc == SQLITE_ROW;
  return TRUE;
}

gboolean
tw_store_foreach_measure_outcome (TwStore           *self,
                                  gint64             measure_id,
                                  TwOutcomeRowFunc   func,
                                  gpointer           user_data,
                                  GCancellable      *cancellable,
                                  GError           **error)
{
  sqlite3_stmt *stmt;
  guint n_read = 0;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  /* Along the primary key, without a join: looking up each row's area would read the area
   * table (outlines and all) 12 million times for the nation. */
  stmt = tw_store_prepare (self,
                           "SELECT period_id, stratum_id, area_id, age_group_id, numerator, "
                           "  denominator FROM outcome_value WHERE measure_id = ?1 "
                           "ORDER BY period_id, stratum_id, area_id, age_group_id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, measure_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TwOutcomeRow row;

      if ((++n_read & CANCEL_CHECK_MASK) == 0
          && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
      row.measure_id = measure_id;
      row.period_id = sqlite3_column_int64 (stmt, 0);
      row.stratum_id = sqlite3_column_int64 (stmt, 1);
      row.area_id = sqlite3_column_int64 (stmt, 2);
      row.age_group_id = sqlite3_column_int64 (stmt, 3);
      row.numerator = sqlite3_column_double (stmt, 4);
      row.denominator = sqlite3_column_double (stmt, 5);
      func (&row, user_data);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (self, error, "reading the outcomes to convert");
  return TRUE;
}

gboolean
tw_store_prepare_crosswalk (TwStore  *self,
                            GError  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (sqlite3_exec (tw_store_get_db (self), crosswalk_schema, NULL, NULL, NULL) != SQLITE_OK)
    return tw_store_set_sql_error (self, error, "making the crosswalk tables");
  /* A national crosswalk reads and writes every outcome once: pages mapped rather than
   * copied out of the file, and four times the usual cache, halve its time. */
  if (sqlite3_exec (tw_store_get_db (self),
                    "PRAGMA mmap_size = 4294967296; PRAGMA cache_size = -262144",
                    NULL, NULL, NULL) != SQLITE_OK)
    return tw_store_set_sql_error (self, error, "preparing the crosswalk");
  return TRUE;
}

gint64
tw_store_add_crosswalk (TwStore     *self,
                        gint64       from_geography_id,
                        gint64       to_geography_id,
                        const char  *source,
                        const char  *method,
                        GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (method != NULL, -1);

  stmt = tw_store_prepare (self,
                           "INSERT INTO crosswalk (from_geography_id, to_geography_id, "
                           "  source, method) VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, from_geography_id);
  sqlite3_bind_int64 (stmt, 2, to_geography_id);
  sqlite3_bind_text (stmt, 3, source, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, method, -1, SQLITE_TRANSIENT);
  if (!tw_store_step_done (self, stmt, "noting the crosswalk", error))
    return -1;
  return sqlite3_last_insert_rowid (tw_store_get_db (self));
}

gboolean
tw_store_note_allocation (TwStore     *self,
                          gint64       geography_id,
                          const char  *note,
                          GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (note != NULL, FALSE);

  stmt = tw_store_prepare (self,
                           "UPDATE geography SET source = CASE WHEN source IS NULL OR "
                           "  source = '' THEN ?2 ELSE source || '; ' || ?2 END WHERE id = ?1 "
                           "  AND instr ('; ' || coalesce (source, '') || '; ', "
                           "             '; ' || ?2 || '; ') = 0",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, geography_id);
  sqlite3_bind_text (stmt, 2, note, -1, SQLITE_TRANSIENT);
  return tw_store_step_done (self, stmt, "noting how the outcomes were allocated", error);
}

/* A batch of cells goes in with one INSERT … SELECT (tw-store-array.h). */
static const TwStoreArrayColumn cell_columns[] = {
  { "measure_id", G_STRUCT_OFFSET (TwAllocatedCell, measure_id), TW_STORE_ARRAY_INT64 },
  { "period_id", G_STRUCT_OFFSET (TwAllocatedCell, period_id), TW_STORE_ARRAY_INT64 },
  { "stratum_id", G_STRUCT_OFFSET (TwAllocatedCell, stratum_id), TW_STORE_ARRAY_INT64 },
  { "area_id", G_STRUCT_OFFSET (TwAllocatedCell, area_id), TW_STORE_ARRAY_INT64 },
  { "partial", G_STRUCT_OFFSET (TwAllocatedCell, partial), TW_STORE_ARRAY_DOUBLE },
  { "variance", G_STRUCT_OFFSET (TwAllocatedCell, variance), TW_STORE_ARRAY_DOUBLE },
  { "least_source", G_STRUCT_OFFSET (TwAllocatedCell, least_source),
    TW_STORE_ARRAY_DOUBLE_OR_NULL },
  { "hidden", G_STRUCT_OFFSET (TwAllocatedCell, hidden), TW_STORE_ARRAY_BOOLEAN },
};

static const TwStoreArrayTable cell_table = {
  "tw_allocated_cells", cell_columns, G_N_ELEMENTS (cell_columns), sizeof (TwAllocatedCell)
};

gboolean
tw_store_add_allocated_cells (TwStore                *self,
                              gint64                  crosswalk_id,
                              const TwAllocatedCell  *cells,
                              gsize                   n_cells,
                              GError                **error)
{
  TwStoreArray array = { cells, n_cells };
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (cells != NULL || n_cells == 0, FALSE);

  if (n_cells == 0)
    return TRUE;
  stmt = tw_store_prepare_array (self, &cell_table,
                                 "INSERT INTO crosswalk_cell (measure_id, period_id, "
                                 "  stratum_id, area_id, crosswalk_id, partial, variance, "
                                 "  least_source, hidden) "
                                 "SELECT measure_id, period_id, stratum_id, area_id, ?2, "
                                 "  partial, variance, least_source, hidden "
                                 "FROM temp.tw_allocated_cells (?1)", error);
  if (stmt == NULL)
    return FALSE;
  tw_store_bind_array (stmt, 1, &array);
  sqlite3_bind_int64 (stmt, 2, crosswalk_id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (self, error, "noting the allocated cells");
  return TRUE;
}

const char *
tw_area_change_to_string (TwAreaChange change)
{
  switch (change)
    {
    case TW_AREA_CHANGE_UNCHANGED: return "unchanged";
    case TW_AREA_CHANGE_RECODED: return "recoded";
    case TW_AREA_CHANGE_SPLIT: return "split";
    case TW_AREA_CHANGE_MERGED: return "merged";
    default: g_return_val_if_reached ("merged");
    }
}

gboolean
tw_store_add_area_change (TwStore       *self,
                          gint64         crosswalk_id,
                          gint64         area_id,
                          TwAreaChange   change,
                          GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, FALSE);

  stmt = tw_store_prepare (self,
                           "INSERT OR REPLACE INTO crosswalk_area (area_id, crosswalk_id, change) "
                           "VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, area_id);
  sqlite3_bind_int64 (stmt, 2, crosswalk_id);
  sqlite3_bind_text (stmt, 3, tw_area_change_to_string (change), -1, SQLITE_STATIC);
  return tw_store_step_done (self, stmt, "noting how an area changed", error);
}

gboolean
tw_store_foreach_allocated_cell (TwStore                  *self,
                                 gint64                    measure_id,
                                 const char               *period,
                                 TwStoreAllocatedCellFunc  func,
                                 gpointer                  user_data,
                                 GError                  **error)
{
  sqlite3_stmt *stmt;
  gboolean has = FALSE;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (period != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (!has_crosswalk_tables (self, &has, error))
    return FALSE;
  if (!has)
    return TRUE;
  stmt = tw_store_prepare (self,
                           "SELECT s.label, c.area_id, c.partial, c.variance, c.least_source, "
                           "  c.hidden, c.stratum_id "
                           "FROM crosswalk_cell c "
                           "JOIN stratum s ON s.id = c.stratum_id "
                           "WHERE c.measure_id = ?1 "
                           "AND c.period_id = (SELECT id FROM period WHERE label = ?2)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, measure_id);
  sqlite3_bind_text (stmt, 2, period, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TwStoreAllocatedCell cell;

      cell.stratum = (const char *) sqlite3_column_text (stmt, 0);
      cell.area_id = sqlite3_column_int64 (stmt, 1);
      cell.partial = sqlite3_column_double (stmt, 2);
      cell.variance = sqlite3_column_double (stmt, 3);
      cell.least_source = tw_store_column_double (stmt, 4);
      cell.hidden = sqlite3_column_int (stmt, 5) != 0;
      cell.stratum_id = sqlite3_column_int64 (stmt, 6);
      func (&cell, user_data);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (self, error, "reading the allocated cells");
  return TRUE;
}

GArray *
tw_store_list_strata_in_order (TwStore  *self,
                               gint64   *all_id,
                               GError  **error)
{
  sqlite3_stmt *stmt;
  GArray *ids;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);

  stmt = tw_store_prepare (self,
                           "SELECT id, label = 'all' FROM stratum ORDER BY label <> 'all', label",
                           error);
  if (stmt == NULL)
    return NULL;
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  *all_id = -1;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (sqlite3_column_int (stmt, 1))
        *all_id = id;
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_array_unref (ids);
      tw_store_set_sql_error (self, error, "listing the groups");
      return NULL;
    }
  return ids;
}
