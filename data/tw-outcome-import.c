/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-outcome-import"

#include <math.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

#include "tw-outcome-import.h"

#define MAX_PROBLEMS 100
#define MAX_UNMATCHED_EXAMPLES 10

G_DEFINE_QUARK (tw-outcome-import-error-quark, tw_outcome_import_error)

typedef struct
{
  gint64      id;
  gboolean    proportion;
  GHashTable *earlier_periods;  /* periods the project held before this import */
} MeasureInfo;

static void
measure_info_free (gpointer data)
{
  MeasureInfo *info = data;

  g_clear_pointer (&info->earlier_periods, g_hash_table_unref);
  g_free (info);
}

typedef struct
{
  TwStore                      *store;
  const TwOutcomeImportOptions *options;
  char                         *basename;
  gboolean                      spreadsheet;   /* rows start at line 2 of a sheet */
  gboolean                      label_used;
  gint64                        geography_id;

  int col_geoid, col_measure, col_period, col_stratum, col_age;
  int col_numerator, col_denominator;

  GHashTable *areas;         /* geoid → area id */
  GHashTable *measures;      /* code → MeasureInfo */
  GHashTable *periods;       /* set */
  GHashTable *strata;        /* set */
  GHashTable *unmatched;     /* set of unknown geoids */
  GPtrArray  *unmatched_examples;

  TwOutcomeImportResult *result;
  gint64                 n_problems;
  char                  *first_problem;
} Import;

void
tw_outcome_import_result_free (TwOutcomeImportResult *result)
{
  if (result == NULL)
    return;
  g_strfreev (result->measures);
  g_strfreev (result->periods);
  g_strfreev (result->strata);
  g_strfreev (result->unmatched_examples);
  g_clear_pointer (&result->problems, g_ptr_array_unref);
  g_free (result);
}

static void
import_clear (Import *self)
{
  g_free (self->basename);
  g_free (self->first_problem);
  g_clear_pointer (&self->areas, g_hash_table_unref);
  g_clear_pointer (&self->measures, g_hash_table_unref);
  g_clear_pointer (&self->periods, g_hash_table_unref);
  g_clear_pointer (&self->strata, g_hash_table_unref);
  g_clear_pointer (&self->unmatched, g_hash_table_unref);
  g_clear_pointer (&self->unmatched_examples, g_ptr_array_unref);
  g_clear_pointer (&self->result, tw_outcome_import_result_free);
}

/* "row 12 (line 13)": users find a row in a spreadsheet or a text editor either way. */
static char *
describe_row (Import *self,
              gint64  row)
{
  return g_strdup_printf ("%s: row %" G_GINT64_FORMAT " (line %" G_GINT64_FORMAT ")",
                          self->basename, row, row + 1);
}

static void
add_problem (Import     *self,
             gint64      row,
             const char *format,
             ...) G_GNUC_PRINTF (3, 4);

static void
add_problem (Import     *self,
             gint64      row,
             const char *format,
             ...)
{
  g_autofree char *where = describe_row (self, row);
  g_autofree char *what = NULL;
  char *problem;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  problem = g_strdup_printf ("%s: %s", where, what);
  if (self->first_problem == NULL)
    self->first_problem = g_strdup (problem);
  self->n_problems++;
  if (self->result->problems->len < MAX_PROBLEMS)
    g_ptr_array_add (self->result->problems, problem);
  else
    g_free (problem);
}

static int
find_column (OGRFeatureDefnH  defn,
             const char      *given,
             const char      *const *candidates)
{
  int n = OGR_FD_GetFieldCount (defn);

  for (int i = 0; i < n; i++)
    {
      const char *name = OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i));

      if (given != NULL)
        {
          if (g_ascii_strcasecmp (name, given) == 0)
            return i;
          continue;
        }
      for (guint j = 0; candidates[j] != NULL; j++)
        if (g_ascii_strcasecmp (name, candidates[j]) == 0)
          return i;
    }
  return -1;
}

static char *
list_columns (OGRFeatureDefnH defn)
{
  g_autoptr(GString) names = g_string_new (NULL);
  int n = OGR_FD_GetFieldCount (defn);

  for (int i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i)));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static gboolean
find_columns (Import           *self,
              OGRFeatureDefnH   defn,
              GError          **error)
{
  static const char *geoid_names[] = { "geoid", "geoid20", "geoid10", "geoidfq", "fips",
                                       "geo_id", "tract", "id", NULL };
  static const char *measure_names[] = { "measure", NULL };
  static const char *period_names[] = { "period", "year", NULL };
  static const char *stratum_names[] = { "stratum", "group", NULL };
  static const char *age_names[] = { "age_group", NULL };
  static const char *numerator_names[] = { "numerator", "count", "events", NULL };
  static const char *denominator_names[] = { "denominator", "population", NULL };
  const TwOutcomeImportOptions *o = self->options;
  g_autofree char *columns = list_columns (defn);
  const char *missing = NULL;
  const char *flag = NULL;

  self->col_geoid = find_column (defn, o->geoid_field, geoid_names);
  self->col_measure = o->measure ? -1 : find_column (defn, NULL, measure_names);
  self->col_period = o->period ? -1 : find_column (defn, NULL, period_names);
  self->col_stratum = o->stratum ? -1 : find_column (defn, NULL, stratum_names);
  self->col_age = find_column (defn, NULL, age_names);
  self->col_numerator = find_column (defn, o->numerator_field, numerator_names);
  self->col_denominator = find_column (defn, o->denominator_field, denominator_names);

  if (self->col_geoid < 0)
    {
      missing = o->geoid_field ? o->geoid_field : "geoid";
      flag = "--geoid-field";
    }
  else if (self->col_numerator < 0)
    {
      missing = o->numerator_field ? o->numerator_field : "numerator";
      flag = "--numerator-field";
    }
  else if (self->col_denominator < 0)
    {
      missing = o->denominator_field ? o->denominator_field : "denominator";
      flag = "--denominator-field";
    }
  else if (o->measure == NULL && self->col_measure < 0)
    {
      missing = "measure";
      flag = "--measure";
    }
  else if (o->period == NULL && self->col_period < 0)
    {
      missing = "period";
      flag = "--period";
    }

  if (missing != NULL)
    {
      g_set_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_COLUMNS,
                   "%s: no column '%s' (the columns are: %s); name the right one with %s",
                   self->basename, missing, columns, flag);
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_areas (Import  *self,
            GError **error)
{
  sqlite3_stmt *stmt;

  self->geography_id = tw_store_resolve_geography (self->store, self->options->geography,
                                                   error);
  if (self->geography_id < 0)
    return FALSE;

  stmt = tw_store_prepare (self->store, "SELECT geoid, id FROM area WHERE geography_id = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->geography_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (self->areas,
                         g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         GSIZE_TO_POINTER ((gsize) sqlite3_column_int64 (stmt, 1)));
  sqlite3_reset (stmt);
  return TRUE;
}

static MeasureInfo *
lookup_measure (Import      *self,
                const char  *code,
                GError     **error)
{
  const TwOutcomeImportOptions *o = self->options;
  MeasureInfo *info = g_hash_table_lookup (self->measures, code);
  sqlite3_stmt *stmt;

  if (info != NULL)
    return info;

  info = g_new0 (MeasureInfo, 1);
  info->id = -1;
  info->earlier_periods = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  stmt = tw_store_prepare (self->store,
                           "SELECT id, kind, multiplier FROM measure WHERE code = ?1", error);
  if (stmt == NULL)
    {
      measure_info_free (info);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 1);
      double multiplier = sqlite3_column_double (stmt, 2);

      info->id = sqlite3_column_int64 (stmt, 0);
      info->proportion = g_str_equal (kind, "proportion");
      if ((o->kind != NULL && !g_str_equal (o->kind, kind))
          || (o->per > 0 && o->per != multiplier))
        {
          g_set_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_MEASURE,
                       "%s: measure '%s' is already in the project as a %s per %g; leave out "
                       "--kind and --per, or import under another --measure code",
                       self->basename, code, kind, multiplier);
          sqlite3_reset (stmt);
          measure_info_free (info);
          return NULL;
        }
    }
  sqlite3_reset (stmt);

  if (info->id >= 0)
    {
      stmt = tw_store_prepare (self->store,
                               "SELECT DISTINCT period FROM outcome WHERE measure_id = ?1",
                               error);
      if (stmt == NULL)
        {
          measure_info_free (info);
          return NULL;
        }
      sqlite3_bind_int64 (stmt, 1, info->id);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_hash_table_add (info->earlier_periods,
                          g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_reset (stmt);
    }

  if (info->id < 0)
    {
      const char *kind = o->kind ? o->kind : "rate";
      double per = o->per > 0 ? o->per : (g_str_equal (kind, "rate") ? 100000 : 100);
      const char *label = code;

      /* --label names the one new measure of the file. */
      if (o->label != NULL)
        {
          if (self->label_used)
            {
              g_set_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_MEASURE,
                           "%s: --label names one measure, but the file adds several (%s "
                           "among them); import one measure at a time to label each",
                           self->basename, code);
              measure_info_free (info);
              return NULL;
            }
          label = o->label;
          self->label_used = TRUE;
        }

      stmt = tw_store_prepare (self->store,
                               "INSERT INTO measure (code, label, kind, multiplier, source) "
                               "VALUES (?1, ?2, ?3, ?4, ?5)", error);
      if (stmt == NULL)
        {
          measure_info_free (info);
          return NULL;
        }
      sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, label, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_STATIC);
      sqlite3_bind_double (stmt, 4, per);
      sqlite3_bind_text (stmt, 5, self->basename, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          sqlite3_reset (stmt);
          measure_info_free (info);
          tw_store_set_sql_error (self->store, error, "storing a measure");
          return NULL;
        }
      sqlite3_reset (stmt);
      info->id = sqlite3_last_insert_rowid (tw_store_get_db (self->store));
      info->proportion = g_str_equal (kind, "proportion");
    }

  g_hash_table_insert (self->measures, g_strdup (code), info);
  return info;
}

/* A count: a finite, non-negative number. Returns FALSE with a reason otherwise. */
static gboolean
parse_count (const char  *text,
             double      *value,
             const char **reason)
{
  char *end = NULL;

  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    {
      *reason = "is empty";
      return FALSE;
    }
  *value = g_ascii_strtod (text, &end);
  while (end != NULL && g_ascii_isspace (*end))
    end++;
  if (end == text || (end != NULL && *end != '\0') || !isfinite (*value))
    {
      *reason = "is not a number";
      return FALSE;
    }
  if (*value < 0)
    {
      *reason = "is negative";
      return FALSE;
    }
  return TRUE;
}

static const char *
field_text (OGRFeatureH feature,
            int         column)
{
  if (column < 0 || !OGR_F_IsFieldSetAndNotNull (feature, column))
    return NULL;
  return OGR_F_GetFieldAsString (feature, column);
}

static void
note_value (GHashTable *set,
            const char *value)
{
  if (!g_hash_table_contains (set, value))
    g_hash_table_add (set, g_strdup (value));
}

/* Validates and stores one row. Returns FALSE only on an internal failure. */
static gboolean
import_row (Import      *self,
            OGRFeatureH  feature,
            gint64       row,
            GError     **error)
{
  const TwOutcomeImportOptions *o = self->options;
  OGRFeatureDefnH defn = OGR_F_GetDefnRef (feature);
  const char *geoid, *measure, *period, *stratum, *age, *text, *reason;
  double numerator, denominator;
  gpointer area_id;
  MeasureInfo *info;
  sqlite3_stmt *stmt;
  int rc;

  geoid = field_text (feature, self->col_geoid);
  measure = o->measure ? o->measure : field_text (feature, self->col_measure);
  period = o->period ? o->period : field_text (feature, self->col_period);
  stratum = o->stratum ? o->stratum : field_text (feature, self->col_stratum);
  age = field_text (feature, self->col_age);
  if (stratum == NULL || *stratum == '\0')
    stratum = "all";
  if (age == NULL)
    age = "";

  if (geoid == NULL || *geoid == '\0')
    {
      add_problem (self, row, "the geoid is empty; every row needs the GEOID of its area");
      return TRUE;
    }
  if (measure == NULL || *measure == '\0')
    {
      add_problem (self, row, "the measure is empty; fill it in or give --measure");
      return TRUE;
    }
  if (period == NULL || *period == '\0')
    {
      add_problem (self, row, "the period is empty; fill it in or give --period");
      return TRUE;
    }

  text = field_text (feature, self->col_numerator);
  if (!parse_count (text ? text : "", &numerator, &reason))
    {
      add_problem (self, row, "field '%s' %s ('%s'); counts must be numbers of 0 or more",
                   OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, self->col_numerator)),
                   reason, text ? text : "");
      return TRUE;
    }
  text = field_text (feature, self->col_denominator);
  if (text == NULL || *text == '\0')
    {
      add_problem (self, row, "field '%s' is missing; every count needs its denominator",
                   OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, self->col_denominator)));
      return TRUE;
    }
  if (!parse_count (text, &denominator, &reason))
    {
      add_problem (self, row, "field '%s' %s ('%s'); denominators must be numbers of 0 or more",
                   OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, self->col_denominator)),
                   reason, text);
      return TRUE;
    }

  area_id = g_hash_table_lookup (self->areas, geoid);
  if (area_id == NULL)
    {
      self->result->unmatched++;
      if (!g_hash_table_contains (self->unmatched, geoid))
        {
          g_hash_table_add (self->unmatched, g_strdup (geoid));
          if (self->unmatched_examples->len < MAX_UNMATCHED_EXAMPLES)
            g_ptr_array_add (self->unmatched_examples, g_strdup (geoid));
        }
      if (!o->skip_unmatched)
        add_problem (self, row, "geoid '%s' is not an area of this geography%s; fix the id "
                     "or give --skip-unmatched to leave such rows out", geoid,
                     g_ascii_isdigit (geoid[0]) && strlen (geoid) % 2 == 1
                       ? " (has it lost a leading zero? keep GEOIDs as text)" : "");
      return TRUE;
    }

  info = lookup_measure (self, measure, error);
  if (info == NULL)
    return FALSE;

  if (info->proportion && numerator > denominator)
    {
      add_problem (self, row, "numerator %g is above denominator %g, which a proportion "
                   "cannot be; check the two columns", numerator, denominator);
      return TRUE;
    }
  if (denominator == 0 && numerator > 0)
    {
      add_problem (self, row, "denominator is 0 but numerator is %g; give the population "
                   "at risk", numerator);
      return TRUE;
    }

  if (self->n_problems > 0)
    return TRUE;  /* the file will be refused: no need to store more */

  stmt = tw_store_prepare (self->store,
                           "INSERT INTO outcome (measure_id, area_id, period, stratum, "
                           "  age_group, numerator, denominator) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, info->id);
  sqlite3_bind_int64 (stmt, 2, (gint64) GPOINTER_TO_SIZE (area_id));
  sqlite3_bind_text (stmt, 3, period, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, stratum, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, age, -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 6, numerator);
  sqlite3_bind_double (stmt, 7, denominator);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    {
      if (g_hash_table_contains (info->earlier_periods, period))
        add_problem (self, row, "the project already holds period %s of measure %s (geoid %s, "
                     "stratum %s); import only periods that are new, or into a new project",
                     period, measure, geoid, stratum);
      else
        add_problem (self, row, "duplicate of an earlier row of the file: geoid %s, measure "
                     "%s, period %s, stratum %s%s%s; remove one of them", geoid, measure,
                     period, stratum, *age ? ", age group " : "", age);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (self->store, error, "storing an outcome");

  if (numerator != floor (numerator) || denominator != floor (denominator))
    self->result->apportioned++;
  self->result->rows++;
  note_value (self->periods, period);
  note_value (self->strata, stratum);
  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static GStrv
sorted_keys (GHashTable *set,
             const char *first)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);

  g_ptr_array_sort (keys, compare_strings);
  if (first != NULL && g_hash_table_contains (set, first))
    g_strv_builder_add (builder, first);
  for (guint i = 0; i < keys->len; i++)
    if (first == NULL || !g_str_equal (g_ptr_array_index (keys, i), first))
      g_strv_builder_add (builder, g_ptr_array_index (keys, i));
  return g_strv_builder_end (builder);
}

static GDALDatasetH
open_table (Import      *self,
            const char  *source,
            GError     **error)
{
  static const char *csv_options[] = { "AUTODETECT_TYPE=NO", "EMPTY_STRING_AS_NULL=YES", NULL };
  g_autofree char *lower = g_ascii_strdown (source, -1);
  const char *const *open_options = NULL;
  GDALDatasetH dataset;

  if (g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".tsv")
      || g_str_has_suffix (lower, ".txt"))
    open_options = csv_options;
  else if (g_str_has_suffix (lower, ".xlsx") || g_str_has_suffix (lower, ".ods"))
    {
      /* Every cell as text, so that GEOIDs keep their leading zeros and a typo in a count
       * is reported rather than read as null; the first row always names the columns.
       * GDAL 3.6 takes these as configuration options only (open options came later). */
      CPLSetThreadLocalConfigOption ("OGR_XLSX_FIELD_TYPES", "STRING");
      CPLSetThreadLocalConfigOption ("OGR_XLSX_HEADERS", "FORCE");
      CPLSetThreadLocalConfigOption ("OGR_ODS_FIELD_TYPES", "STRING");
      CPLSetThreadLocalConfigOption ("OGR_ODS_HEADERS", "FORCE");
      self->spreadsheet = TRUE;
    }

  CPLErrorReset ();
  CPLPushErrorHandler (CPLQuietErrorHandler);
  dataset = GDALOpenEx (source, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, open_options, NULL);
  CPLPopErrorHandler ();

  if (dataset == NULL)
    {
      const char *why = CPLGetLastErrorMsg ();

      g_set_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_OPEN,
                   "%s: not a table Tractwise can read%s%s%s; use CSV, XLSX, ODS, DBF or a "
                   "GeoPackage", self->basename, *why ? " (" : "", why, *why ? ")" : "");
    }
  return dataset;
}

static OGRLayerH
pick_layer (Import       *self,
            GDALDatasetH  dataset,
            GError      **error)
{
  const char *wanted = self->options->layer;
  int n = GDALDatasetGetLayerCount (dataset);
  g_autoptr(GString) names = g_string_new (NULL);

  if (wanted != NULL)
    {
      OGRLayerH layer = GDALDatasetGetLayerByName (dataset, wanted);

      if (layer != NULL)
        return layer;
    }
  else if (n == 1)
    return GDALDatasetGetLayer (dataset, 0);

  for (int i = 0; i < n; i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "",
                            OGR_L_GetName (GDALDatasetGetLayer (dataset, i)));

  if (n == 0)
    g_set_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_OPEN,
                 "%s: holds no table; check that it is the right file", self->basename);
  else if (wanted != NULL)
    g_set_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_OPEN,
                 "%s: no layer or sheet named '%s' (there are: %s); give one with --layer",
                 self->basename, wanted, names->str);
  else
    g_set_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_OPEN,
                 "%s: holds several layers or sheets (%s); say which with --layer",
                 self->basename, names->str);
  return NULL;
}

static gboolean
check_options (const TwOutcomeImportOptions  *o,
               GError                       **error)
{
  if (o->kind != NULL && !g_str_equal (o->kind, "rate") && !g_str_equal (o->kind, "proportion"))
    {
      g_set_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_MEASURE,
                   "--kind '%s' is not known; use rate or proportion", o->kind);
      return FALSE;
    }
  if (o->per < 0 || !isfinite (o->per))
    {
      g_set_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_MEASURE,
                   "--per must be a positive multiplier such as 100, 1000 or 100000");
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_rows (Import        *self,
           OGRLayerH      layer,
           TwImportProgress progress,
           gpointer       progress_data,
           GCancellable  *cancellable,
           GError       **error)
{
  gint64 total = OGR_L_GetFeatureCount (layer, FALSE);
  gint64 row = 0;
  OGRFeatureH feature;

  OGR_L_ResetReading (layer);
  for (;;)
    {
      CPLErrorReset ();
      CPLPushErrorHandler (CPLQuietErrorHandler);
      feature = OGR_L_GetNextFeature (layer);
      CPLPopErrorHandler ();
      if (feature == NULL)
        break;
      row++;

      if (!import_row (self, feature, row, error))
        {
          OGR_F_Destroy (feature);
          return FALSE;
        }
      OGR_F_Destroy (feature);

      if ((row & 0xffff) == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          if (progress != NULL)
            progress (row, total, progress_data);
        }
    }

  if (CPLGetLastErrorType () == CE_Failure)
    {
      g_set_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_ROW,
                   "%s: row %" G_GINT64_FORMAT " cannot be read (%s); the file may be damaged",
                   self->basename, row + 1, CPLGetLastErrorMsg ());
      return FALSE;
    }

  if (self->n_problems > 0)
    {
      if (self->n_problems == 1)
        g_set_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_ROW,
                     "%s. Nothing was imported.", self->first_problem);
      else
        g_set_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_ROW,
                     "%s. %" G_GINT64_FORMAT " rows in all have problems; nothing was "
                     "imported.", self->first_problem, self->n_problems);
      return FALSE;
    }

  if (self->result->rows == 0)
    {
      g_set_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_ROW,
                   "%s: no row could be imported%s; check the file and the geography",
                   self->basename, self->result->unmatched > 0 ? " (no geoid matched)" : "");
      return FALSE;
    }
  return TRUE;
}

TwOutcomeImportResult *
tw_outcome_import (TwStore                      *store,
                   const char                   *source,
                   const TwOutcomeImportOptions *options,
                   TwImportProgress              progress,
                   gpointer                      progress_data,
                   GCancellable                 *cancellable,
                   GError                      **error)
{
  static const TwOutcomeImportOptions defaults = { 0 };
  Import self = { 0 };
  GDALDatasetH dataset = NULL;
  OGRLayerH layer;
  TwOutcomeImportResult *result = NULL;
  g_autofree char *detail = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);

  self.store = store;
  self.options = options ? options : &defaults;
  self.basename = g_path_get_basename (source);
  self.areas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self.measures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        measure_info_free);
  self.periods = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self.strata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self.unmatched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self.unmatched_examples = g_ptr_array_new_with_free_func (g_free);
  self.result = g_new0 (TwOutcomeImportResult, 1);
  self.result->problems = g_ptr_array_new_with_free_func (g_free);

  if (!check_options (self.options, error))
    goto out;
  if (!g_file_test (source, G_FILE_TEST_EXISTS) && !g_str_has_prefix (source, "/vsi"))
    {
      g_set_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_OPEN,
                   "%s: no such file; check the path", source);
      goto out;
    }

  dataset = open_table (&self, source, error);
  if (dataset == NULL)
    goto out;
  layer = pick_layer (&self, dataset, error);
  if (layer == NULL || !find_columns (&self, OGR_L_GetLayerDefn (layer), error))
    goto out;

  if (!load_areas (&self, error) || !tw_store_begin (store, error))
    goto out;

  if (!read_rows (&self, layer, progress, progress_data, cancellable, error))
    {
      tw_store_rollback (store);
      goto out;
    }

  {
    g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
    GHashTableIter iter;
    gpointer code;

    g_hash_table_iter_init (&iter, self.measures);
    while (g_hash_table_iter_next (&iter, &code, NULL))
      g_hash_table_add (codes, code);
    self.result->measures = sorted_keys (codes, NULL);
  }
  self.result->periods = sorted_keys (self.periods, NULL);
  self.result->strata = sorted_keys (self.strata, "all");
  g_ptr_array_add (self.unmatched_examples, NULL);
  self.result->unmatched_examples = (GStrv) g_ptr_array_steal (self.unmatched_examples, NULL);

  detail = g_strdup_printf ("outcomes from %s: %" G_GINT64_FORMAT " rows, %" G_GINT64_FORMAT
                            " unmatched", self.basename, self.result->rows,
                            self.result->unmatched);
  if (!tw_store_audit (store, "import-outcomes", detail, error)
      || !tw_store_commit (store, error))
    {
      tw_store_rollback (store);
      goto out;
    }

  result = g_steal_pointer (&self.result);
  ok = TRUE;

out:
  if (dataset != NULL)
    GDALClose (dataset);
  if (self.spreadsheet)
    {
      CPLSetThreadLocalConfigOption ("OGR_XLSX_FIELD_TYPES", NULL);
      CPLSetThreadLocalConfigOption ("OGR_XLSX_HEADERS", NULL);
      CPLSetThreadLocalConfigOption ("OGR_ODS_FIELD_TYPES", NULL);
      CPLSetThreadLocalConfigOption ("OGR_ODS_HEADERS", NULL);
    }
  import_clear (&self);
  g_assert (ok == (result != NULL));
  return result;
}
