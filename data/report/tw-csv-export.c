/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-csv-export"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tw-csv-export.h"
#include "tw-export-private.h"
#include "tw-export.h"
#include "tw-format.h"
#include "tw-policy-text.h"
#include "tw-rate-table.h"
#include "tw-status.h"
#include "tw-store-catalog.h"
#include "tw-suppression.h"

#define HIDDEN_NULLS "empty: the figure is not published; status says why (suppressed, " \
                     "complementary, missing or not_applicable)"

/* One field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
static void
append_field (GString    *line,
              const char *text)
{
  if (line->len > 0 && line->str[line->len - 1] != '\n')
    g_string_append_c (line, ',');
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (line, text);
      return;
    }
  g_string_append_c (line, '"');
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *c);
    }
  g_string_append_c (line, '"');
}

/* A figure as a program reads it back: a point, no grouping, no trailing noise; NAN empty. */
static void
append_number (GString *line,
               double   value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  append_field (line, isfinite (value) ? g_ascii_formatd (text, sizeof text, "%.15g", value)
                                       : NULL);
}

static void
end_line (GString *line)
{
  g_string_append (line, "\r\n");
}

static char *
unit_of (const TwMeasureInfo *measure)
{
  g_autofree char *per = tw_format_decimal (measure->multiplier, 0, TRUE, FALSE);

  if (g_strcmp0 (measure->kind, "proportion") == 0)
    return measure->multiplier == 100 ? g_strdup ("percent of the denominator")
                                      : g_strdup_printf ("per %s of the denominator", per);
  return g_strdup_printf ("events per %s population", per);
}

/* The geography holding @measure_id in @period, or the one named. */
static TwGeographyInfo *
choose_geography (TwStore     *store,
                  gint64       measure_id,
                  const char  *measure,
                  const char  *period,
                  const char  *name,
                  GError     **error)
{
  g_autoptr(GPtrArray) geographies = tw_store_list_geographies (store, measure_id, period,
                                                                error);
  g_autoptr(GString) holding = g_string_new (NULL);
  TwGeographyInfo *found = NULL;
  guint found_at = 0, n_holding = 0;

  if (geographies == NULL)
    return NULL;
  for (guint i = 0; i < geographies->len; i++)
    {
      TwGeographyInfo *geography = g_ptr_array_index (geographies, i);

      if (name != NULL ? g_str_equal (geography->name, name) : geography->holds)
        {
          found = geography;
          found_at = i;
        }
      if (geography->holds)
        g_string_append_printf (holding, "%s'%s'", n_holding++ > 0 ? ", " : "",
                                geography->name);
    }
  if (name != NULL && found == NULL)
    {
      g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID,
                   "the workspace has no geography '%s' (the measure '%s' is on %s)", name,
                   measure, holding->len > 0 ? holding->str : "none");
      return NULL;
    }
  if (name != NULL && !found->holds)
    {
      g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID,
                   "the geography '%s' has no outcomes of the measure '%s' (it is on %s); "
                   "give that one with --geography", name, measure,
                   holding->len > 0 ? holding->str : "none");
      return NULL;
    }
  if (name == NULL && n_holding > 1)
    {
      g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID,
                   "the measure '%s' is on several geographies (%s); give one with "
                   "--geography", measure, holding->str);
      return NULL;
    }
  if (found == NULL)
    {
      g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID,
                   "the measure '%s' has no outcomes%s%s", measure,
                   period != NULL ? " in the period " : "", period != NULL ? period : "");
      return NULL;
    }
  return g_ptr_array_steal_index_fast (geographies, found_at);
}

/* The codebook: one row a column of the table. */
static char *
codebook_text (const TwMeasureInfo       *measure,
               const TwGeographyInfo     *geography,
               GStrv                      periods,
               const TwSuppressionPolicy *policy)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *unit = unit_of (measure);
  g_autofree char *policy_text = g_strdup_printf ("%s, version %s (k = %u)",
                                                  tw_suppression_preset_to_string (policy->preset),
                                                  tw_suppression_preset_get_version (policy->preset),
                                                  policy->min_count);
  g_autofree char *rule = tw_policy_text_rule (policy);
  g_autofree char *reason_label = g_strdup_printf ("why the figure is not shown as it is, in "
                                                   "words that never hold a hidden count. %s",
                                                   rule);
  g_autofree char *period_list = g_strjoinv (", ", periods);
  g_autofree char *release = g_strdup_printf ("periods %s", period_list);
  g_autofree char *events = g_strdup_printf ("events of %s in the area, period and group",
                                             measure->label);
  g_autofree char *rate_label = g_strdup_printf ("%s, crude rate", measure->label);
  g_autofree char *geography_release = geography->vintage != NULL
                                       ? g_strdup_printf ("vintage %s", geography->vintage)
                                       : NULL;
  g_autofree char *universe = g_strdup_printf ("%s (%s)", geography->name, geography->level);
  const char *measure_source = measure->source != NULL ? measure->source
                                                       : "not recorded in the workspace";
  const char *geography_source = geography->source != NULL ? geography->source
                                                           : "not recorded in the workspace";
  const char *licence = "not recorded in the workspace; as agreed with the data's owner";
  const struct
  {
    const char *name, *label, *unit, *universe, *source, *release, *nulls, *moe;
  } columns[] = {
    { "geography", "the geography the areas belong to", "", universe, geography_source,
      geography_release, "", "" },
    { "geoid", "the area's GEOID (text; keeps its leading zeros)", "", universe,
      geography_source, geography_release, "", "" },
    { "measure", "the measure's code", "", "", measure_source, release, "", "" },
    { "period", "the period (a year, or years pooled with +)", "", "", measure_source, release,
      "", "" },
    { "stratum", "the population group (all: everyone in the area)", "", "", measure_source,
      release, "", "" },
    { "numerator", events, "events", universe, measure_source, release, HIDDEN_NULLS, "" },
    { "denominator", "the population at risk", "people", universe, measure_source, release,
      "empty: no population recorded", "" },
    { "rate", rate_label, unit, universe, measure_source, release, HIDDEN_NULLS,
      "lower, upper (95% interval)" },
    { "lower", "lower bound of the rate's 95% interval (Wilson for a proportion, exact "
      "Poisson for a rate)", unit, universe, measure_source, release, HIDDEN_NULLS, "" },
    { "upper", "upper bound of the rate's 95% interval", unit, universe, measure_source,
      release, HIDDEN_NULLS, "" },
    { "status", "the figure's status: shown, unreliable, suppressed, complementary, missing "
      "or not_applicable", "", "", "Tractwise", PACKAGE_VERSION, "", "" },
    { "reason", reason_label, "", "", "Tractwise", PACKAGE_VERSION, "empty: shown", "" },
  };

  g_string_append (text, "name,label,unit,universe,source,release,licence,null_codes,moe,"
                         "policy\r\n");
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      append_field (text, columns[c].name);
      append_field (text, columns[c].label);
      append_field (text, columns[c].unit);
      append_field (text, columns[c].universe);
      append_field (text, columns[c].source);
      append_field (text, columns[c].release);
      append_field (text, licence);
      append_field (text, columns[c].nulls);
      append_field (text, columns[c].moe);
      append_field (text, policy_text);
      end_line (text);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The table's rows of one period. */
static gboolean
append_period (GString             *text,
               TwStore             *store,
               const TwCsvOptions  *options,
               const char          *geography,
               gint64               geography_id,
               const char          *period,
               TwCsvSummary        *summary,
               GCancellable        *cancellable,
               GError             **error)
{
  TwRateQuery query = { 0 };
  g_autoptr(TwRateTable) table = NULL;
  guint n;

  query.measure = options->measure;
  query.period = period;
  query.stratum = options->stratum;
  query.geography_id = geography_id;
  query.method = TW_RATE_METHOD_CRUDE;
  table = tw_rate_table_compute (store, &query, NULL, cancellable, error);
  if (table == NULL)
    return FALSE;
  n = tw_rate_table_get_n_rows (table);
  for (guint i = 0; i < n; i++)
    {
      const TwRateRow *row = tw_rate_table_get_row (table, i);
      gboolean hidden = tw_rate_row_is_suppressed (row);

      append_field (text, geography);
      append_field (text, row->geoid);
      append_field (text, options->measure);
      append_field (text, period);
      append_field (text, row->stratum);
      /* Hidden: never the count, nor anything computed from it. */
      append_number (text, hidden ? NAN : row->numerator);
      append_number (text, row->denominator);
      append_number (text, hidden ? NAN : tw_format_round_published (row->rate));
      append_number (text, hidden ? NAN : tw_format_round_published (row->lower));
      append_number (text, hidden ? NAN : tw_format_round_published (row->upper));
      append_field (text, tw_figure_status_to_string (row->status));
      append_field (text, row->status_reason);
      end_line (text);
      summary->n_rows++;
      summary->n_hidden += hidden;
    }
  return TRUE;
}

static gboolean
write_whole (const char  *path,
             const char  *text,
             char       **tmp_out,
             GError     **error)
{
  g_autofree char *tmp = g_strdup_printf ("%s.part", path);
  g_autoptr(GError) local = NULL;

  if (!g_file_set_contents (tmp, text, -1, &local))
    {
      g_unlink (tmp);
      g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_WRITE, "%s: cannot write: %s", path,
                   local->message);
      return FALSE;
    }
  *tmp_out = g_steal_pointer (&tmp);
  return TRUE;
}

char *
tw_csv_codebook_path (const char *path)
{
  g_return_val_if_fail (path != NULL, NULL);

  if (g_str_has_suffix (path, ".csv") || g_str_has_suffix (path, ".CSV"))
    return g_strdup_printf ("%.*s.codebook.csv", (int) (strlen (path) - 4), path);
  return g_strdup_printf ("%s.codebook.csv", path);
}

gboolean
tw_csv_export_write (TwStore            *store,
                     const TwCsvOptions *options,
                     const char         *path,
                     TwCsvSummary       *summary,
                     GCancellable       *cancellable,
                     GError            **error)
{
  TwCsvSummary local_summary = { 0 };
  TwSuppressionPolicy policy;
  g_autoptr(TwMeasureInfo) measure = NULL;
  g_autoptr(TwGeographyInfo) geography = NULL;
  g_autoptr(GString) table = g_string_new ("geography,geoid,measure,period,stratum,numerator,"
                                           "denominator,rate,lower,upper,status,reason\r\n");
  g_autofree char *codebook = NULL;
  g_autofree char *codebook_path = NULL;
  g_autofree char *table_tmp = NULL, *codebook_tmp = NULL;
  g_autofree char *rows = NULL, *hidden = NULL;
  g_auto(GStrv) periods = NULL;
  gint64 measure_id;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (options != NULL && options->measure != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (summary == NULL)
    summary = &local_summary;
  memset (summary, 0, sizeof *summary);
  if (!g_str_has_suffix (path, ".csv"))
    {
      g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID,
                   "%s: the table is a CSV file; give a file name ending in .csv", path);
      return FALSE;
    }
  codebook_path = tw_csv_codebook_path (path);
  if (!tw_suppression_policy_load (&policy, store, error))
    return FALSE;
  measure_id = tw_store_resolve_measure (store, options->measure, error);
  if (measure_id < 0 || (measure = tw_store_get_measure (store, measure_id, error)) == NULL)
    return FALSE;
  if (options->period != NULL)
    {
      g_auto(GStrv) all = tw_store_list_periods (store, measure_id, error);

      if (all == NULL)
        return FALSE;
      /* A pool ("2019+2020") is checked by the rate table, part by part. */
      if (strchr (options->period, '+') == NULL
          && !g_strv_contains ((const char *const *) all, options->period))
        {
          g_autofree char *list = g_strjoinv (", ", all);

          g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID,
                       "the measure '%s' has no period '%s' (there are: %s); give one of "
                       "those with --period", options->measure, options->period, list);
          return FALSE;
        }
      periods = g_strdupv ((GStrv) (const char *const[]) { options->period, NULL });
    }
  else if ((periods = tw_store_list_periods (store, measure_id, error)) == NULL)
    return FALSE;
  geography = choose_geography (store, measure_id, options->measure, NULL, options->geography,
                                error);
  if (geography == NULL)
    return FALSE;

  for (guint p = 0; periods[p] != NULL; p++)
    if (!append_period (table, store, options, geography->name, geography->id, periods[p],
                        summary, cancellable, error))
      return FALSE;
  codebook = codebook_text (measure, geography, periods, &policy);

  /* Both whole, or neither: the codebook goes first, as a table without it is unreadable. */
  if (!write_whole (codebook_path, codebook, &codebook_tmp, error))
    return FALSE;
  if (!write_whole (path, table->str, &table_tmp, error))
    {
      g_unlink (codebook_tmp);
      return FALSE;
    }
  if (g_rename (codebook_tmp, codebook_path) != 0 || g_rename (table_tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (codebook_tmp);
      g_unlink (table_tmp);
      g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_WRITE, "%s: cannot write: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  rows = g_strdup_printf ("%u", summary->n_rows);
  hidden = g_strdup_printf ("%u", summary->n_hidden);
  return tw_export_audit (store, "export-csv", path, "csv", error,
                          "codebook", codebook_path, "measure", options->measure,
                          "period", options->period != NULL ? options->period : "every period",
                          "stratum", options->stratum != NULL ? options->stratum : "every group",
                          "geography", geography->name, "rows", rows, "hidden", hidden,
                          "policy", tw_suppression_preset_to_string (policy.preset), NULL);
}
