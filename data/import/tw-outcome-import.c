/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-outcome-import"

#include <math.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>

#include "tw-outcome-import.h"
#include "tw-crosswalk.h"
#include "tw-gdal.h"
#include "tw-rates.h"
#include "tw-store-catalog.h"
#include "tw-store-import.h"

#define MAX_PROBLEMS 100
#define MAX_UNMATCHED_EXAMPLES 10
/* Rows travel from the reading thread to the storing one, and on to the store, in
 * batches. */
#define BATCH_ROWS 4096
/* Checked rows are stored in runs of this many, sorted by their key: inserted in key order,
 * they land on the same few pages of the table one after another. */
#define PENDING_ROWS 65536

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

/* What a row waiting to be stored needs for its problem, should it turn out to repeat
 * another row's key (its texts are found again from the ids then). */
typedef struct
{
  gint64       row;
  MeasureInfo *measure;
} PendingRow;

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
  char *numerator_name, *denominator_name;

  GHashTable *areas;         /* geoid → area id */
  GHashTable *measures;      /* code → MeasureInfo */
  /* Period, stratum and age-group labels of this file → their ids. */
  GHashTable *label_ids[3];
  char       *last_label[3];  /* the previous row's labels, which the next row mostly repeats */
  gint64      last_id[3];
  /* Checked rows waiting to be stored, in the order of the file. */
  TwOutcomeRow *pending;
  PendingRow *pending_rows;
  guint       n_pending;
  TwOutcomeRow *sorted;      /* the same in key order */
  guint32    *order;         /* for each of those, its index in pending */
  GError     *store_error;   /* storing them failed while a problem was being added */
  GHashTable *unmatched;     /* set of unknown geoids */
  GPtrArray  *unmatched_examples;

  /* Measure, period and group codes checked so far (exact spelling → first row, 0 for
   * the project's own), and the same keyed by their case-folded spelling → exact one. */
  GHashTable *codes[3];
  GHashTable *folded_codes[3];
  char       *last_code[3];

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
  g_free (self->numerator_name);
  g_free (self->denominator_name);
  g_free (self->pending);
  g_free (self->pending_rows);
  g_free (self->sorted);
  g_free (self->order);
  g_clear_error (&self->store_error);
  g_clear_pointer (&self->areas, g_hash_table_unref);
  g_clear_pointer (&self->measures, g_hash_table_unref);
  g_clear_pointer (&self->unmatched, g_hash_table_unref);
  g_clear_pointer (&self->unmatched_examples, g_ptr_array_unref);
  g_clear_pointer (&self->result, tw_outcome_import_result_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->label_ids); i++)
    {
      g_clear_pointer (&self->label_ids[i], g_hash_table_unref);
      g_clear_pointer (&self->last_label[i], g_free);
    }
  for (guint i = 0; i < G_N_ELEMENTS (self->codes); i++)
    {
      g_clear_pointer (&self->codes[i], g_hash_table_unref);
      g_clear_pointer (&self->folded_codes[i], g_hash_table_unref);
      g_clear_pointer (&self->last_code[i], g_free);
    }
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

static gboolean store_pending (Import  *self,
                               GError **error);

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

  /* The rows before this one are stored first, so that a duplicate among them is the
   * first problem, as it is in the file. */
  if (self->n_pending > 0 && self->store_error == NULL)
    store_pending (self, &self->store_error);

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  {
    g_autofree char *raw = g_strdup_printf ("%s: %s", where, what);

    /* The message quotes the file, whose bytes may not be text. */
    problem = g_utf8_make_valid (raw, -1);
  }
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
  self->col_measure = o->measure ? -1 : find_column (defn, o->measure_field, measure_names);
  self->col_period = o->period ? -1 : find_column (defn, o->period_field, period_names);
  self->col_stratum = o->stratum ? -1 : find_column (defn, o->stratum_field, stratum_names);
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
      missing = o->measure_field ? o->measure_field : "measure";
      flag = "--measure";
    }
  else if (o->period == NULL && self->col_period < 0)
    {
      missing = o->period_field ? o->period_field : "period";
      flag = "--period";
    }
  else if (o->stratum == NULL && o->stratum_field != NULL && self->col_stratum < 0)
    {
      missing = o->stratum_field;
      flag = "--stratum";
    }

  if (missing != NULL)
    {
      g_set_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_COLUMNS,
                   "%s: no column '%s' (the columns are: %s); name the right one with %s",
                   self->basename, missing, columns, flag);
      return FALSE;
    }

  self->numerator_name = g_strdup (OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn,
                                                                           self->col_numerator)));
  self->denominator_name = g_strdup (OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (
                                                            defn, self->col_denominator)));
  return TRUE;
}

static gboolean
load_areas (Import  *self,
            GError **error)
{
  self->geography_id = tw_store_resolve_geography (self->store, self->options->geography,
                                                   error);
  if (self->geography_id < 0)
    return FALSE;
  self->areas = tw_store_map_geoids (self->store, self->geography_id, error);
  return self->areas != NULL;
}

static MeasureInfo *
lookup_measure (Import      *self,
                const char  *code,
                GError     **error)
{
  const TwOutcomeImportOptions *o = self->options;
  MeasureInfo *info = g_hash_table_lookup (self->measures, code);
  g_autoptr(TwMeasureInfo) stored = NULL;

  if (info != NULL)
    return info;

  info = g_new0 (MeasureInfo, 1);
  info->id = -1;
  info->earlier_periods = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!tw_store_find_measure (self->store, code, &stored, error))
    {
      measure_info_free (info);
      return NULL;
    }
  if (stored != NULL)
    {
      gboolean proportion = g_strcmp0 (stored->kind, "proportion") == 0;
      const char *kind = proportion ? "proportion" : "rate";

      info->id = stored->id;
      info->proportion = proportion;
      if ((o->kind != NULL && !g_str_equal (o->kind, kind))
          || (o->per > 0 && o->per != stored->multiplier))
        {
          g_set_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_MEASURE,
                       "%s: measure '%s' is already in the project as a %s per %g; leave out "
                       "--kind and --per, or import under another --measure code",
                       self->basename, code, kind, stored->multiplier);
          measure_info_free (info);
          return NULL;
        }
    }

  if (info->id >= 0)
    {
      g_auto(GStrv) periods = tw_store_list_periods (self->store, info->id, error);

      if (periods == NULL)
        {
          measure_info_free (info);
          return NULL;
        }
      for (guint i = 0; periods[i] != NULL; i++)
        g_hash_table_add (info->earlier_periods, g_strdup (periods[i]));
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

      info->id = tw_store_add_measure (self->store, code, label, kind, per, self->basename,
                                       error);
      if (info->id < 0)
        {
          measure_info_free (info);
          return NULL;
        }
      info->proportion = g_str_equal (kind, "proportion");
    }

  g_hash_table_insert (self->measures, g_strdup (code), info);
  return info;
}

enum
{
  FIELD_GEOID,
  FIELD_MEASURE,
  FIELD_PERIOD,
  FIELD_STRATUM,
  FIELD_AGE,
  FIELD_NUMERATOR,
  FIELD_DENOMINATOR,
  N_FIELDS,
};

/* The id of a period, stratum or age-group label, added to its table when new. Returns -1
 * on an internal failure. */
static gint64
label_id (Import          *self,
          TwOutcomeLabel   table,
          const char      *label,
          GError         **error)
{
  gpointer found;
  gint64 id;

  if (self->last_label[table] != NULL && strcmp (self->last_label[table], label) == 0)
    return self->last_id[table];
  if (g_hash_table_lookup_extended (self->label_ids[table], label, NULL, &found))
    {
      g_free (self->last_label[table]);
      self->last_label[table] = g_strdup (label);
      self->last_id[table] = (gint64) GPOINTER_TO_SIZE (found);
      return self->last_id[table];
    }

  id = tw_store_find_or_add_label (self->store, table, label, error);
  if (id < 0)
    return -1;

  g_hash_table_insert (self->label_ids[table], g_strdup (label), GSIZE_TO_POINTER ((gsize) id));
  g_free (self->last_label[table]);
  self->last_label[table] = g_strdup (label);
  self->last_id[table] = id;
  return id;
}

gboolean
tw_parse_decimal (const char  *text,
                  double      *value,
                  const char **reason)
{
  const char *p, *end;
  char *parsed_end = NULL;
  gboolean digits = FALSE;

  g_return_val_if_fail (text != NULL && value != NULL && reason != NULL, FALSE);

  while (*text == ' ')
    text++;
  if (*text == '\0')
    {
      *reason = "is empty";
      return FALSE;
    }

  /* -?digits[.digits][e[+-]digits]: strtod alone would take hex, inf, nan and a '+'. */
  p = text;
  if (*p == '-')
    p++;
  for (; g_ascii_isdigit (*p); p++)
    digits = TRUE;
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++)
      digits = TRUE;
  if (digits && (*p == 'e' || *p == 'E'))
    {
      const char *exponent = p + 1;

      if (*exponent == '+' || *exponent == '-')
        exponent++;
      if (g_ascii_isdigit (*exponent))
        for (p = exponent; g_ascii_isdigit (*p); p++)
          ;
    }
  end = p;
  while (*p == ' ')
    p++;
  if (!digits || *p != '\0')
    {
      *reason = "is not a decimal number";
      return FALSE;
    }

  *value = g_ascii_strtod (text, &parsed_end);
  if (parsed_end != end || !isfinite (*value))
    {
      *reason = parsed_end != end ? "is not a decimal number" : "is too large";
      return FALSE;
    }
  if (*value == 0)
    *value = 0;  /* "-0" */
  return TRUE;
}

const char *
tw_code_problem (const char *code,
                 glong       max_chars)
{
  if (!g_utf8_validate (code, -1, NULL))
    return "is not UTF-8 text; save the table as UTF-8 (in a spreadsheet: CSV UTF-8)";
  if (*code == '\0')
    return "is empty";
  for (const char *p = code; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isprint (g_utf8_get_char (p)))
      return "holds a control character or a line break";
  if (g_utf8_strlen (code, -1) > max_chars)
    return max_chars == TW_CODE_MAX_CHARS ? "is longer than 64 characters"
                                          : "is too long";
  if (strchr ("=+-@", *code) != NULL)
    return "starts with '=', '+', '-' or '@', which a spreadsheet would run as a formula";
  if (*code == ' ' || code[strlen (code) - 1] == ' ')
    return "starts or ends with a space";
  return NULL;
}

char *
tw_quote_for_message (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autoptr(GString) quoted = g_string_new (NULL);
  guint n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (n == 40)
        {
          g_string_append (quoted, "…");
          break;
        }
      if (c == '\n')
        g_string_append (quoted, "\\n");
      else if (c == '\r')
        g_string_append (quoted, "\\r");
      else if (c == '\t')
        g_string_append (quoted, "\\t");
      else if (!g_unichar_isprint (c))
        g_string_append_printf (quoted, "\\u%04X", c);
      else
        g_string_append_unichar (quoted, c);
    }
  return g_string_free (g_steal_pointer (&quoted), FALSE);
}

/* A count or denominator: a decimal number from 0 to TW_COUNT_MAX. */
static gboolean
parse_count (const char  *text,
             double      *value,
             const char **reason)
{
  if (!tw_parse_decimal (text, value, reason))
    return FALSE;
  if (*value < 0)
    {
      *reason = "is negative";
      return FALSE;
    }
  if (*value > TW_COUNT_MAX)
    {
      *reason = "is above 1e12, the largest count Tractwise takes";
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

enum { CODE_MEASURE, CODE_PERIOD, CODE_STRATUM };

static const char *const code_names[] = { "measure", "period", "stratum" };

static char *
fold_code (const char *code)
{
  g_autofree char *normal = g_utf8_normalize (code, -1, G_NORMALIZE_DEFAULT_COMPOSE);

  return g_utf8_casefold (normal != NULL ? normal : code, -1);
}

static void
remember_code (Import     *self,
               guint       kind,
               const char *code,
               gint64      row)
{
  g_hash_table_insert (self->codes[kind], g_strdup (code), GSIZE_TO_POINTER ((gsize) row));
  g_hash_table_insert (self->folded_codes[kind], fold_code (code), g_strdup (code));
}

/* The codes the project holds already, which a new spelling must not differ from only in
 * case ('ALL' beside 'all' would be two groups that read as one). */
static gboolean
load_codes (Import  *self,
            GError **error)
{
  for (guint kind = 0; kind < G_N_ELEMENTS (self->codes); kind++)
    {
      g_auto(GStrv) codes = NULL;

      if (kind == CODE_MEASURE)
        {
          g_autoptr(GPtrArray) measures = tw_store_list_measures (self->store, error);

          if (measures == NULL)
            return FALSE;
          for (guint i = 0; i < measures->len; i++)
            remember_code (self, kind, ((TwMeasureInfo *) g_ptr_array_index (measures, i))->code,
                           0);
          continue;
        }
      codes = tw_store_list_labels (self->store, kind == CODE_PERIOD
                                                 ? TW_OUTCOME_LABEL_PERIOD
                                                 : TW_OUTCOME_LABEL_STRATUM, error);
      if (codes == NULL)
        return FALSE;
      for (guint i = 0; codes[i] != NULL; i++)
        remember_code (self, kind, codes[i], 0);
    }
  return TRUE;
}

/* Checks a measure, period or stratum code once per spelling. FALSE: a problem was added. */
static gboolean
check_code (Import     *self,
            guint       kind,
            const char *code,
            gint64      row)
{
  const char *problem, *other;

  if (self->last_code[kind] != NULL && strcmp (self->last_code[kind], code) == 0)
    return TRUE;
  if (!g_hash_table_contains (self->codes[kind], code))
    {
      g_autofree char *folded = NULL;

      if ((problem = tw_code_problem (code, TW_CODE_MAX_CHARS)) != NULL)
        {
          g_autofree char *quoted = tw_quote_for_message (code);

          add_problem (self, row, "the %s '%s' %s; codes are printable text of at most 64 "
                       "characters that does not start with = + - @",
                       code_names[kind], quoted, problem);
          return FALSE;
        }
      folded = fold_code (code);
      other = g_hash_table_lookup (self->folded_codes[kind], folded);
      if (other != NULL)
        {
          gint64 first = (gint64) GPOINTER_TO_SIZE (g_hash_table_lookup (self->codes[kind],
                                                                        other));
          g_autofree char *where = first > 0
            ? g_strdup_printf ("row %" G_GINT64_FORMAT, first)
            : g_strdup ("the project");

          add_problem (self, row, "the %s '%s' differs only in case from '%s' (%s); spell "
                       "it the same way everywhere", code_names[kind], code, other, where);
          return FALSE;
        }
      remember_code (self, kind, code, row);
    }
  g_free (self->last_code[kind]);
  self->last_code[kind] = g_strdup (code);
  return TRUE;
}

/* Validates one row and, when it is good, queues it for the store (store_pending). Returns
 * FALSE only on an internal failure. */
static gboolean
import_row (Import            *self,
            const char *const *fields,
            gint64             row,
            GError           **error)
{
  const TwOutcomeImportOptions *o = self->options;
  const char *geoid, *measure, *period, *stratum, *age, *text, *reason;
  double numerator, denominator;
  gpointer area_id;
  MeasureInfo *info;
  TwOutcomeRow *stored;
  PendingRow *pending;
  gint64 period_id, stratum_id, age_id;

  geoid = fields[FIELD_GEOID];
  measure = o->measure ? o->measure : fields[FIELD_MEASURE];
  period = o->period ? o->period : fields[FIELD_PERIOD];
  stratum = o->stratum ? o->stratum : fields[FIELD_STRATUM];
  age = fields[FIELD_AGE];
  if (stratum == NULL || *stratum == '\0')
    stratum = "all";
  if (age == NULL)
    age = "";

  if (geoid == NULL || *geoid == '\0')
    {
      add_problem (self, row, "the geoid is empty; every row needs the GEOID of its area");
      return TRUE;
    }
  {
    const char *texts[] = { geoid, measure, period, stratum, age };
    const char *names[] = { "geoid", "measure", "period", "stratum", "age_group" };

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      if (texts[i] != NULL && !g_utf8_validate (texts[i], -1, NULL))
        {
          add_problem (self, row, "the %s is not UTF-8 text; save the table as UTF-8 "
                       "(in a spreadsheet: CSV UTF-8) and import it again", names[i]);
          return TRUE;
        }
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
  if (!check_code (self, CODE_MEASURE, measure, row)
      || !check_code (self, CODE_PERIOD, period, row)
      || !check_code (self, CODE_STRATUM, stratum, row))
    return TRUE;
  if (*age != '\0' && tw_age_group_index (age) < 0)
    {
      g_autofree char *quoted = tw_quote_for_message (age);
      g_autofree char *known = g_strjoinv (", ", (GStrv) tw_age_group_labels ());

      add_problem (self, row, "age group '%s' is not one of the 11 NCHS groups (%s); "
                   "correct it", quoted, known);
      return TRUE;
    }

  text = fields[FIELD_NUMERATOR];
  if (!parse_count (text ? text : "", &numerator, &reason))
    {
      g_autofree char *quoted = tw_quote_for_message (text ? text : "");

      add_problem (self, row, "field '%s' %s ('%s'); counts are decimal numbers from 0 to "
                   "1e12, without a sign, spaces inside or thousands separators",
                   self->numerator_name, reason, quoted);
      return TRUE;
    }
  text = fields[FIELD_DENOMINATOR];
  if (text == NULL || *text == '\0')
    {
      add_problem (self, row, "field '%s' is missing; every count needs its denominator",
                   self->denominator_name);
      return TRUE;
    }
  if (!parse_count (text, &denominator, &reason))
    {
      g_autofree char *quoted = tw_quote_for_message (text);

      add_problem (self, row, "field '%s' %s ('%s'); denominators are decimal numbers from 0 "
                   "to 1e12, without a sign, spaces inside or thousands separators",
                   self->denominator_name, reason, quoted);
      return TRUE;
    }
  if (denominator == 0)
    {
      add_problem (self, row, "field '%s' is 0, so no rate can be computed (numerator %g); "
                   "leave out rows of groups without a population", self->denominator_name,
                   numerator);
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
        {
          g_autofree char *quoted = tw_quote_for_message (geoid);

          add_problem (self, row, "geoid '%s' is not an area of this geography%s; fix the id "
                       "or give --skip-unmatched to leave such rows out", quoted,
                       g_ascii_isdigit (geoid[0]) && strlen (geoid) % 2 == 1
                         ? " (has it lost a leading zero? keep GEOIDs as text)" : "");
        }
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
  if (self->n_problems > 0)
    return TRUE;  /* the file will be refused: no need to store more */

  if ((period_id = label_id (self, TW_OUTCOME_LABEL_PERIOD, period, error)) < 0
      || (stratum_id = label_id (self, TW_OUTCOME_LABEL_STRATUM, stratum, error)) < 0
      || (age_id = label_id (self, TW_OUTCOME_LABEL_AGE_GROUP, age, error)) < 0)
    return FALSE;

  if (self->n_pending == PENDING_ROWS)
    {
      if (!store_pending (self, error))
        return FALSE;
      if (self->n_problems > 0)
        return TRUE;
    }
  stored = &self->pending[self->n_pending];
  stored->measure_id = info->id;
  stored->period_id = period_id;
  stored->stratum_id = stratum_id;
  stored->area_id = (gint64) GPOINTER_TO_SIZE (area_id);
  stored->age_group_id = age_id;
  stored->numerator = numerator;
  stored->denominator = denominator;
  pending = &self->pending_rows[self->n_pending++];
  pending->row = row;
  pending->measure = info;
  return TRUE;
}

/* The key of @table whose value is @value. */
static const char *
key_of (GHashTable    *table,
        gconstpointer  value)
{
  GHashTableIter iter;
  gpointer key, found;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &found))
    if (found == value)
      return key;
  return "?";
}

/* Orders the pending rows by their key into self->sorted and self->order, with a radix
 * sort of the key packed in 64 bits (rows of equal keys keep their order). FALSE when the
 * ids do not fit, and the rows stay in the file's order. */
static gboolean
sort_pending (Import *self,
              guint   n)
{
  guint64 max[5] = { 0 }, shift[5];
  guint bits = 0;
  g_autofree guint64 *keys = g_new (guint64, 2 * n);
  g_autofree guint32 *swap = g_new (guint32, n);
  guint64 *other_keys = keys + n;
  guint32 *order = self->order;

  for (guint i = 0; i < n; i++)
    {
      const TwOutcomeRow *r = &self->pending[i];
      const gint64 parts[5] = { r->measure_id, r->period_id, r->stratum_id, r->area_id,
                                r->age_group_id };

      for (guint k = 0; k < 5; k++)
        {
          if (parts[k] < 0)
            return FALSE;
          max[k] = MAX (max[k], (guint64) parts[k]);
        }
    }
  for (int k = 4; k >= 0; k--)
    {
      shift[k] = bits;
      bits += max[k] == 0 ? 0 : g_bit_storage (max[k]);
    }
  if (bits > 64)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      const TwOutcomeRow *r = &self->pending[i];

      keys[i] = ((guint64) r->measure_id << shift[0]) | ((guint64) r->period_id << shift[1])
                | ((guint64) r->stratum_id << shift[2]) | ((guint64) r->area_id << shift[3])
                | ((guint64) r->age_group_id << shift[4]);
      order[i] = i;
    }
  for (guint digit = 0; digit * 8 < bits; digit++)
    {
      guint count[257] = { 0 };
      guint s = digit * 8;

      for (guint i = 0; i < n; i++)
        count[((keys[i] >> s) & 0xFF) + 1]++;
      for (guint b = 0; b < 256; b++)
        count[b + 1] += count[b];
      for (guint i = 0; i < n; i++)
        {
          guint to = count[(keys[i] >> s) & 0xFF]++;

          other_keys[to] = keys[i];
          swap[to] = order[i];
        }
      memcpy (keys, other_keys, n * sizeof *keys);
      memcpy (order, swap, n * sizeof *order);
    }
  for (guint i = 0; i < n; i++)
    self->sorted[i] = self->pending[order[i]];
  return TRUE;
}

/* Stores the pending rows; the first (in the file's order) that duplicates a stored one is
 * a problem, and the file will be refused. FALSE on an internal failure. */
static gboolean
store_pending (Import  *self,
               GError **error)
{
  guint n = self->n_pending;
  guint stored = n;

  if (n == 0)
    return TRUE;
  self->n_pending = 0;

  if (sort_pending (self, n))
    {
      /* The rows before the first duplicate in the file's order are all stored (those
       * after it may be too: the file is refused then, and the transaction rolled back). */
      for (guint done = 0; done < n; done++)
        {
          gssize added = tw_store_add_outcomes (self->store, &self->sorted[done], n - done,
                                                error);

          if (added < 0)
            return FALSE;
          done += added;
          if (done < n)
            stored = MIN (stored, self->order[done]);
        }
    }
  else
    {
      gssize added = tw_store_add_outcomes (self->store, self->pending, n, error);

      if (added < 0)
        return FALSE;
      stored = added;
    }

  for (guint i = 0; i < stored; i++)
    {
      const TwOutcomeRow *row = &self->pending[i];

      if (row->numerator != floor (row->numerator)
          || row->denominator != floor (row->denominator))
        self->result->apportioned++;
    }
  self->result->rows += stored;

  if (stored < n)
    {
      const TwOutcomeRow *key = &self->pending[stored];
      const PendingRow *dup = &self->pending_rows[stored];
      const char *geoid = key_of (self->areas, GSIZE_TO_POINTER ((gsize) key->area_id));
      const char *measure = key_of (self->measures, dup->measure);
      const char *period = key_of (self->label_ids[TW_OUTCOME_LABEL_PERIOD],
                                   GSIZE_TO_POINTER ((gsize) key->period_id));
      const char *stratum = key_of (self->label_ids[TW_OUTCOME_LABEL_STRATUM],
                                    GSIZE_TO_POINTER ((gsize) key->stratum_id));
      const char *age = key_of (self->label_ids[TW_OUTCOME_LABEL_AGE_GROUP],
                                GSIZE_TO_POINTER ((gsize) key->age_group_id));

      if (g_hash_table_contains (dup->measure->earlier_periods, period))
        add_problem (self, dup->row, "the project already holds period %s of measure %s "
                     "(geoid %s, stratum %s); import only periods that are new, or into a "
                     "new project", period, measure, geoid, stratum);
      else
        add_problem (self, dup->row, "duplicate of an earlier row of the file: geoid %s, "
                     "measure %s, period %s, stratum %s%s%s; remove one of them", geoid,
                     measure, period, stratum, *age ? ", age group " : "", age);
    }
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
  tw_gdal_init ();
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
  {
    const char *given[] = { o->measure, o->period, o->stratum, o->label };
    const char *flags[] = { "--measure", "--period", "--stratum", "--label" };

    for (guint i = 0; i < G_N_ELEMENTS (given); i++)
      {
        const char *problem;

        if (given[i] == NULL)
          continue;
        problem = tw_code_problem (given[i], i < 3 ? TW_CODE_MAX_CHARS : 200);
        if (problem != NULL)
          {
            g_autofree char *quoted = tw_quote_for_message (given[i]);

            g_set_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_MEASURE,
                         "%s '%s' %s; give printable text of at most %d characters that "
                         "does not start with = + - @", flags[i], quoted, problem,
                         i < 3 ? TW_CODE_MAX_CHARS : 200);
            return FALSE;
          }
      }
  }
  if (o->per < 0 || !isfinite (o->per))
    {
      g_set_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_MEASURE,
                   "--per must be a positive multiplier such as 100, 1000 or 100000");
      return FALSE;
    }
  return TRUE;
}

#define N_BATCHES 4

typedef struct
{
  GStringChunk *text;
  const char   *fields[BATCH_ROWS][N_FIELDS];
  guint         n_rows;
  gboolean      last;        /* no batch follows */
  char         *read_error;  /* GDAL could not read a row; the message names it */
  guint64       bytes_read;  /* of a CSV read directly: the file read so far, else 0 */
} Batch;

/* Plain CSV, the usual form of a national table, is read here rather than through GDAL,
 * whose reader makes a feature and a list of strings a row: that was half of an import's
 * time. Only the lines GDAL reads the same way are taken here, fields split at commas,
 * each bare (no quote in it) or wholly quoted (no quote inside); at the first other line
 * GDAL reads that row and the rest of the file, so every row reads as it always has. */
#define CSV_BUFFER (1 << 20)
#define CSV_MAX_COLUMNS 256

typedef struct
{
  VSILFILE *fp;
  char     *buf;
  gsize     start, end;   /* the bytes not yet taken are buf[start, end) */
  guint64   offset;       /* of buf[0] in the file */
  guint64   size;         /* of the file */
  gboolean  eof;
  const char *tokens[CSV_MAX_COLUMNS];
  gsize       lengths[CSV_MAX_COLUMNS];
} CsvReader;

typedef struct
{
  Import        *import;
  OGRLayerH      layer;
  CsvReader     *csv;        /* NULL: GDAL reads every row */
  GAsyncQueue   *filled;
  GAsyncQueue   *empty;
  gint           stop;       /* atomic: the storing side gave up */
} Pipeline;

static void
csv_reader_free (CsvReader *csv)
{
  if (csv->fp != NULL)
    VSIFCloseL (csv->fp);
  g_free (csv->buf);
  g_free (csv);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsvReader, csv_reader_free)

/* The next line without its end (LF or CRLF), or FALSE at the end of the file. A line that
 * does not fit the buffer is @odd, as is one after which a CR follows the LF (GDAL ends a
 * line at a lone CR). */
static gboolean
csv_next_line (CsvReader   *csv,
               const char **line,
               gsize       *length,
               gboolean    *odd)
{
  for (;;)
    {
      char *first = csv->buf + csv->start;
      char *newline = memchr (first, '\n', csv->end - csv->start);
      size_t got;

      if (newline != NULL && (newline + 1 < csv->buf + csv->end || csv->eof))
        {
          *line = first;
          *length = newline - first;
          *odd = newline + 1 < csv->buf + csv->end && newline[1] == '\r';
          csv->start = newline + 1 - csv->buf;
          return TRUE;
        }
      if (csv->eof)
        {
          if (csv->start == csv->end)
            return FALSE;
          *line = first;
          *length = csv->end - csv->start;
          *odd = FALSE;
          csv->start = csv->end;
          return TRUE;
        }
      if (csv->start == 0 && csv->end == CSV_BUFFER)
        {
          *odd = TRUE;
          return TRUE;
        }
      memmove (csv->buf, first, csv->end - csv->start);
      csv->offset += csv->start;
      csv->end -= csv->start;
      csv->start = 0;
      got = VSIFReadL (csv->buf + csv->end, 1, CSV_BUFFER - csv->end, csv->fp);
      csv->end += got;
      csv->eof = got == 0;
    }
}

/* Splits a line as GDAL would, into csv->tokens; returns their number (0 for an empty
 * line, which GDAL skips), or -1 when the line is not one this reader takes. */
static int
csv_split (CsvReader  *csv,
           const char *line,
           gsize       length)
{
  const char *p = line, *end = line + length;
  int n = 0;

  if (p < end && end[-1] == '\r')
    end--;
  if (p == end)
    return 0;
  if ((guchar) *p == 0xEF)
    return -1;  /* perhaps a byte order mark, which GDAL strips */
  for (;;)
    {
      const char *token = p, *token_end;

      if (p < end && *p == '"')
        {
          token = p + 1;
          token_end = memchr (token, '"', end - token);
          if (token_end == NULL)
            return -1;
          p = token_end + 1;
          if (p < end && *p != ',')
            return -1;
          for (const char *c = token; c < token_end; c++)
            if (*c == '\r' || *c == '\0')
              return -1;
        }
      else
        {
          for (; p < end && *p != ','; p++)
            if (*p == '"' || *p == '\r' || *p == '\0')
              return -1;
          token_end = p;
        }
      if (n == CSV_MAX_COLUMNS)
        return -1;
      csv->tokens[n] = token;
      csv->lengths[n] = token_end - token;
      n++;
      if (p == end)
        return n;
      p++;
    }
}

/* A CSV reader when @source is a CSV file this reader can take, with the header GDAL read
 * and every column read as text; NULL otherwise. */
static CsvReader *
csv_reader_open (const char      *source,
                 GDALDatasetH     dataset,
                 OGRFeatureDefnH  defn)
{
  g_autoptr(CsvReader) csv = g_new0 (CsvReader, 1);
  GDALDriverH driver = GDALGetDatasetDriver (dataset);
  const char *line;
  gsize length;
  gboolean odd;
  int n, n_fields = OGR_FD_GetFieldCount (defn);

  if (driver == NULL || g_strcmp0 (GDALGetDriverShortName (driver), "CSV") != 0
      || OGR_FD_GetGeomFieldCount (defn) > 0)
    return NULL;
  for (int i = 0; i < n_fields; i++)
    if (OGR_Fld_GetType (OGR_FD_GetFieldDefn (defn, i)) != OFTString)
      return NULL;
  csv->fp = VSIFOpenL (source, "rb");
  if (csv->fp == NULL || VSIFSeekL (csv->fp, 0, SEEK_END) != 0)
    return NULL;
  csv->size = VSIFTellL (csv->fp);
  VSIRewindL (csv->fp);
  csv->buf = g_malloc (CSV_BUFFER);

  if (!csv_next_line (csv, &line, &length, &odd) || odd)
    return NULL;
  if (length >= 3 && memcmp (line, "\xEF\xBB\xBF", 3) == 0)
    {
      line += 3;
      length -= 3;
    }
  n = csv_split (csv, line, length);
  if (n != n_fields)
    return NULL;
  for (int i = 0; i < n; i++)
    {
      const char *name = OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i));

      if (strlen (name) != csv->lengths[i] || memcmp (name, csv->tokens[i], csv->lengths[i]))
        return NULL;
    }
  return g_steal_pointer (&csv);
}

/* A field of the line just split, as field_copy gives it. */
static const char *
csv_field (Batch     *batch,
           CsvReader *csv,
           int        n_tokens,
           int        column)
{
  const char *text, *end;

  /* GDAL leaves an empty or missing field unset (EMPTY_STRING_AS_NULL). */
  if (column < 0 || column >= n_tokens || csv->lengths[column] == 0)
    return NULL;
  text = csv->tokens[column];
  end = text + csv->lengths[column];
  while (text < end && *text == ' ')
    text++;
  while (end > text && end[-1] == ' ')
    end--;
  return g_string_chunk_insert_len (batch->text, text, end - text);
}

/* Reads rows into batches until a line is not one the CSV reader takes; returns the rows
 * read, and @batch the batch being filled. *@all: the file is read to its end. */
static gint64
csv_read_rows (Pipeline  *pipeline,
               Batch    **batch,
               gboolean  *all)
{
  Import *self = pipeline->import;
  CsvReader *csv = pipeline->csv;
  gint64 row = 0;
  const char *line;
  gsize length;
  gboolean odd;

  *all = FALSE;
  while (!g_atomic_int_get (&pipeline->stop))
    {
      const char **fields;
      int n;

      if (!csv_next_line (csv, &line, &length, &odd))
        {
          *all = TRUE;
          break;
        }
      n = odd ? -1 : csv_split (csv, line, length);
      if (n < 0)
        break;
      if (n == 0)
        continue;
      row++;

      fields = (*batch)->fields[(*batch)->n_rows++];
      fields[FIELD_GEOID] = csv_field (*batch, csv, n, self->col_geoid);
      fields[FIELD_MEASURE] = csv_field (*batch, csv, n, self->col_measure);
      fields[FIELD_PERIOD] = csv_field (*batch, csv, n, self->col_period);
      fields[FIELD_STRATUM] = csv_field (*batch, csv, n, self->col_stratum);
      fields[FIELD_AGE] = csv_field (*batch, csv, n, self->col_age);
      fields[FIELD_NUMERATOR] = csv_field (*batch, csv, n, self->col_numerator);
      fields[FIELD_DENOMINATOR] = csv_field (*batch, csv, n, self->col_denominator);

      if ((*batch)->n_rows == BATCH_ROWS)
        {
          (*batch)->bytes_read = csv->offset + csv->start;
          g_async_queue_push (pipeline->filled, *batch);
          *batch = g_async_queue_pop (pipeline->empty);
        }
    }
  (*batch)->bytes_read = *all ? csv->size : 0;
  return row;
}

static const char *
field_copy (Batch       *batch,
            OGRFeatureH  feature,
            int          column)
{
  const char *text = field_text (feature, column);
  char *copy, *end;

  if (text == NULL)
    return NULL;
  /* Plain spaces around a value are ignored (a CSV written as "a, b"); nothing else is. */
  while (*text == ' ')
    text++;
  copy = g_string_chunk_insert (batch->text, text);
  for (end = copy + strlen (copy); end > copy && end[-1] == ' '; end--)
    ;
  *end = '\0';
  return copy;
}

/* Reads the table with GDAL while the other thread stores what was read: on two cores the
 * import then takes about as long as the slower of the two, not their sum. */
static gpointer
read_thread (gpointer data)
{
  Pipeline *pipeline = data;
  Import *self = pipeline->import;
  gint64 row = 0;
  Batch *batch = g_async_queue_pop (pipeline->empty);
  gboolean read_all = FALSE;

  if (self->spreadsheet)
    {
      CPLSetThreadLocalConfigOption ("OGR_XLSX_FIELD_TYPES", "STRING");
      CPLSetThreadLocalConfigOption ("OGR_XLSX_HEADERS", "FORCE");
      CPLSetThreadLocalConfigOption ("OGR_ODS_FIELD_TYPES", "STRING");
      CPLSetThreadLocalConfigOption ("OGR_ODS_HEADERS", "FORCE");
    }
  CPLPushErrorHandler (CPLQuietErrorHandler);
  OGR_L_ResetReading (pipeline->layer);
  if (pipeline->csv != NULL)
    {
      row = csv_read_rows (pipeline, &batch, &read_all);
      if (!read_all && !g_atomic_int_get (&pipeline->stop)
          && OGR_L_SetNextByIndex (pipeline->layer, row) != OGRERR_NONE)
        batch->read_error = g_strdup_printf ("%s: row %" G_GINT64_FORMAT " cannot be read "
                                             "(%s); the file may be damaged", self->basename,
                                             row + 1, CPLGetLastErrorMsg ());
    }

  while (!read_all && !g_atomic_int_get (&pipeline->stop) && batch->read_error == NULL)
    {
      OGRFeatureH feature;
      const char **fields;

      CPLErrorReset ();
      feature = OGR_L_GetNextFeature (pipeline->layer);
      if (feature == NULL)
        {
          if (CPLGetLastErrorType () == CE_Failure)
            batch->read_error = g_strdup_printf ("%s: row %" G_GINT64_FORMAT " cannot be read "
                                                 "(%s); the file may be damaged",
                                                 self->basename, row + 1,
                                                 CPLGetLastErrorMsg ());
          break;
        }
      row++;

      fields = batch->fields[batch->n_rows++];
      fields[FIELD_GEOID] = field_copy (batch, feature, self->col_geoid);
      fields[FIELD_MEASURE] = field_copy (batch, feature, self->col_measure);
      fields[FIELD_PERIOD] = field_copy (batch, feature, self->col_period);
      fields[FIELD_STRATUM] = field_copy (batch, feature, self->col_stratum);
      fields[FIELD_AGE] = field_copy (batch, feature, self->col_age);
      fields[FIELD_NUMERATOR] = field_copy (batch, feature, self->col_numerator);
      fields[FIELD_DENOMINATOR] = field_copy (batch, feature, self->col_denominator);
      OGR_F_Destroy (feature);

      if (batch->n_rows == BATCH_ROWS)
        {
          g_async_queue_push (pipeline->filled, batch);
          batch = g_async_queue_pop (pipeline->empty);
        }
    }

  CPLPopErrorHandler ();
  if (self->spreadsheet)
    {
      CPLSetThreadLocalConfigOption ("OGR_XLSX_FIELD_TYPES", NULL);
      CPLSetThreadLocalConfigOption ("OGR_XLSX_HEADERS", NULL);
      CPLSetThreadLocalConfigOption ("OGR_ODS_FIELD_TYPES", NULL);
      CPLSetThreadLocalConfigOption ("OGR_ODS_HEADERS", NULL);
    }
  batch->last = TRUE;
  g_async_queue_push (pipeline->filled, batch);
  return NULL;
}

static gboolean
read_rows (Import           *self,
           OGRLayerH         layer,
           CsvReader        *csv,
           TwImportProgress  progress,
           gpointer          progress_data,
           GCancellable     *cancellable,
           GError          **error)
{
  /* Counting a CSV's rows would read it twice: its total is estimated from the bytes read. */
  gint64 total = csv != NULL ? 0 : OGR_L_GetFeatureCount (layer, FALSE);
  Pipeline pipeline = { self, layer, csv, g_async_queue_new (), g_async_queue_new (), 0 };
  g_autofree Batch *batches = g_new0 (Batch, N_BATCHES);
  g_autofree char *read_error = NULL;
  GThread *reader;
  gint64 row = 0;
  gboolean ok = TRUE, done = FALSE;

  for (guint i = 0; i < N_BATCHES; i++)
    {
      batches[i].text = g_string_chunk_new (64 * 1024);
      g_async_queue_push (pipeline.empty, &batches[i]);
    }
  reader = g_thread_new ("tw-outcome-reader", read_thread, &pipeline);

  while (!done)
    {
      Batch *batch = g_async_queue_pop (pipeline.filled);

      for (guint i = 0; ok && i < batch->n_rows; i++)
        {
          row++;
          ok = import_row (self, batch->fields[i], row, error);
          if (ok && self->store_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&self->store_error));
              ok = FALSE;
            }
        }
      if (ok && batch->last)
        ok = store_pending (self, error);
      if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
        ok = FALSE;
      if (batch->bytes_read > 0)
        total = batch->bytes_read >= csv->size ? row
                                               : (gint64) (row * ((double) csv->size
                                                                  / batch->bytes_read));
      else if (csv != NULL && batch->last)
        total = row;
      if (ok && progress != NULL)
        progress (row, MAX (total, row), progress_data);

      done = batch->last;
      if (batch->read_error != NULL)
        read_error = g_steal_pointer (&batch->read_error);
      if (!ok)
        g_atomic_int_set (&pipeline.stop, 1);

      batch->n_rows = 0;
      batch->bytes_read = 0;
      g_string_chunk_clear (batch->text);
      if (!done)
        g_async_queue_push (pipeline.empty, batch);
    }
  g_thread_join (reader);

  for (guint i = 0; i < N_BATCHES; i++)
    g_string_chunk_free (batches[i].text);
  g_async_queue_unref (pipeline.filled);
  g_async_queue_unref (pipeline.empty);

  if (!ok)
    return FALSE;
  if (read_error != NULL)
    {
      g_set_error_literal (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_ROW,
                           read_error);
      return FALSE;
    }

  /* Outcomes of another vintage: say so rather than list their GEOIDs row by row. */
  if (g_hash_table_size (self->unmatched) > 0
      && !tw_crosswalk_check_vintage (self->store, self->geography_id, self->unmatched,
                                      self->basename, error))
    return FALSE;

  self->result->n_problems = self->n_problems;
  if (self->n_problems > 0 && self->options->validate_only)
    return TRUE;
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

  if (self->result->rows == 0 && !self->options->validate_only)
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
  g_autoptr(CsvReader) csv = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);

  self.store = store;
  self.options = options ? options : &defaults;
  self.basename = g_filename_display_basename (source);
  self.measures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        measure_info_free);
  self.pending = g_new (TwOutcomeRow, PENDING_ROWS);
  self.pending_rows = g_new (PendingRow, PENDING_ROWS);
  self.sorted = g_new (TwOutcomeRow, PENDING_ROWS);
  self.order = g_new (guint32, PENDING_ROWS);
  self.unmatched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self.unmatched_examples = g_ptr_array_new_with_free_func (g_free);
  self.result = g_new0 (TwOutcomeImportResult, 1);
  self.result->problems = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (self.label_ids); i++)
    self.label_ids[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (self.codes); i++)
    {
      self.codes[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      self.folded_codes[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    }

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

  if (!load_areas (&self, error) || !load_codes (&self, error))
    goto out;

  /* Every reference a row makes is checked here before it is stored (its area in the
   * geography, its measure and labels created by this import). */
  if (!tw_store_begin_outcome_import (store, error))
    goto out;

  if (g_str_has_suffix (self.basename, ".csv") || g_str_has_suffix (self.basename, ".CSV")
      || g_str_has_suffix (self.basename, ".txt"))
    csv = csv_reader_open (source, dataset, OGR_L_GetLayerDefn (layer));
  if (!read_rows (&self, layer, csv, progress, progress_data, cancellable, error))
    {
      tw_store_abandon_outcome_import (store);
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
  self.result->periods = sorted_keys (self.label_ids[TW_OUTCOME_LABEL_PERIOD], NULL);
  self.result->strata = sorted_keys (self.label_ids[TW_OUTCOME_LABEL_STRATUM], "all");
  g_ptr_array_add (self.unmatched_examples, NULL);
  self.result->unmatched_examples = (GStrv) g_ptr_array_steal (self.unmatched_examples, NULL);

  detail = g_strdup_printf ("outcomes from %s: %" G_GINT64_FORMAT " rows, %" G_GINT64_FORMAT
                            " unmatched", self.basename, self.result->rows,
                            self.result->unmatched);
  if (self.options->validate_only)
    tw_store_abandon_outcome_import (store);
  else if (!tw_store_commit_outcome_import (store, detail, error))
    goto out;

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
