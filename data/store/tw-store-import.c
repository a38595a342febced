/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-store-import"

#include <math.h>

#include "tw-store-import.h"
#include "tw-store-private.h"

/* Steps a statement that returns no row and resets it; FALSE with @error when it fails. */
static gboolean
step_done (TwStore       *self,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (self, error, what);
  return TRUE;
}

/* The first column of every row of @stmt (bound already), as text. */
static GStrv
collect_texts (TwStore       *self,
               sqlite3_stmt  *stmt,
               const char    *what,
               GError       **error)
{
  g_autoptr(GStrvBuilder) texts = g_strv_builder_new ();
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
      g_strv_builder_add (texts, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (self, error, what);
      return NULL;
    }
  return g_strv_builder_end (texts);
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
  if (!step_done (self, stmt, "storing the geography", error))
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
      if (!step_done (self, stmt, "storing an area", error))
        return FALSE;
    }
  return TRUE;
}

gboolean
tw_store_index_areas (TwStore  *self,
                      gint64    geography_id,
                      GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, FALSE);

  stmt = tw_store_prepare (self,
                           "INSERT INTO area_rtree (id, min_lon, max_lon, min_lat, max_lat) "
                           "SELECT id, min_lon, max_lon, min_lat, max_lat FROM area "
                           "WHERE geography_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, geography_id);
  return step_done (self, stmt, "indexing the areas", error);
}

GHashTable *
tw_store_map_geoids (TwStore  *self,
                     gint64    geography_id,
                     GError  **error)
{
  g_autoptr(GHashTable) areas = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);

  stmt = tw_store_prepare (self, "SELECT geoid, id FROM area WHERE geography_id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, geography_id);
  areas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (areas, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         GSIZE_TO_POINTER ((gsize) sqlite3_column_int64 (stmt, 1)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (self, error, "reading the areas");
      return NULL;
    }
  return g_steal_pointer (&areas);
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

gboolean
tw_store_find_measure (TwStore          *self,
                       const char       *code,
                       TwStoredMeasure  *measure,
                       GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (code != NULL && measure != NULL, FALSE);

  measure->id = -1;
  measure->proportion = FALSE;
  measure->per = 0;
  stmt = tw_store_prepare (self, "SELECT id, kind, multiplier FROM measure WHERE code = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      measure->id = sqlite3_column_int64 (stmt, 0);
      measure->proportion = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1),
                                       "proportion") == 0;
      measure->per = sqlite3_column_double (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tw_store_set_sql_error (self, error, "reading a measure");
  return TRUE;
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
  if (!step_done (self, stmt, "storing a measure", error))
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
  if (!step_done (self, stmt, "storing a label", error))
    return -1;
  return sqlite3_last_insert_rowid (tw_store_get_db (self));
}

GStrv
tw_store_list_measure_codes (TwStore  *self,
                             GError  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, NULL);

  stmt = tw_store_prepare (self, "SELECT code FROM measure", error);
  if (stmt == NULL)
    return NULL;
  return collect_texts (self, stmt, "reading the measure codes", error);
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
  return collect_texts (self, stmt, "reading the labels", error);
}

gssize
tw_store_add_outcomes (TwStore             *self,
                       const TwOutcomeRow  *rows,
                       gsize                n_rows,
                       GError             **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (rows != NULL || n_rows == 0, -1);
  g_return_val_if_fail (n_rows <= G_MAXSSIZE, -1);

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
      if (!step_done (self, stmt, "clearing the attribute", error))
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
          if (!step_done (self, stmt, "storing an attribute", error))
            return FALSE;
        }
    }
  return TRUE;
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
  return collect_texts (self, stmt, "listing attributes", error);
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
