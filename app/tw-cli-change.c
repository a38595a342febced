/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include <math.h>
#include <stdio.h>

#include "tw-change.h"
#include "tw-cli-private.h"
#include "tw-project.h"
#include "tw-rate-table.h"
#include "tw-trend.h"

/* The options named in the errors of the rate table. */
static int
fail_periods (const char   *command,
              const GError *error,
              const char   *period_option)
{
  if (error->domain == TW_RATE_TABLE_ERROR && error->code == TW_RATE_TABLE_ERROR_PERIOD)
    return tw_cli_bad_input ("%s: %s; give one of those, or several joined by '+', with %s",
                             command, error->message, period_option);
  if (error->domain == TW_RATE_TABLE_ERROR && error->code == TW_RATE_TABLE_ERROR_STRATUM)
    return tw_cli_bad_input ("%s: %s; give one of those with --stratum", command,
                             error->message);
  if (error->domain == TW_TREND_ERROR)
    return tw_cli_bad_input ("%s: %s; give years with %s", command, error->message,
                             period_option);
  return tw_cli_fail (error);
}

static void
print_reveal_banner (void)
{
  fprintf (stderr, "tractwise-cli: analyst view: suppressed figures are shown; this output "
                   "must not leave your screen\n");
}

static gboolean
resolve_geography (TwStore     *store,
                   const char  *geography,
                   gint64      *geography_id,
                   int         *status)
{
  g_autoptr(GError) error = NULL;

  *geography_id = 0;
  if (geography == NULL)
    return TRUE;
  *geography_id = tw_store_resolve_geography (store, geography, &error);
  if (*geography_id < 0)
    {
      *status = tw_cli_fail (error);
      return FALSE;
    }
  return TRUE;
}

int
tw_cli_change (int    argc,
               char **argv)
{
  g_autofree char *measure = NULL, *from = NULL, *to = NULL, *stratum = NULL;
  g_autofree char *geography = NULL;
  gboolean reveal = FALSE, age_adjust = FALSE;
  const GOptionEntry entries[] = {
    { "measure", 0, 0, G_OPTION_ARG_STRING, &measure, "Measure code (required)", "M" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "First period, or periods pooled: P1+P2 (required)", "P" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "Second period, or periods pooled (required)", "P" },
    { "stratum", 0, 0, G_OPTION_ARG_STRING, &stratum, "Only this group (default: every group)", "S" },
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "Only the areas of this geography", "G" },
    { "age-adjust", 0, 0, G_OPTION_ARG_NONE, &age_adjust, "Change of the rates age-adjusted to the US 2000 standard population (gamma-based intervals)", NULL },
    { "reveal", 0, 0, G_OPTION_ARG_NONE, &reveal, "Analyst view: show suppressed figures (stdout only)", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwChange) change = NULL;
  guint n_incomplete;
  TwChangeQuery query = { 0 };
  JsonBuilder *builder;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE",
                     "Change of the crude or age-adjusted rate per area and group between two "
                     "periods: the difference and the ratio with 95% intervals, and a z-test "
                     "of the difference. A change is suppressed when either period is.",
                     entries, 1))
    return TW_CLI_BAD_INPUT;
  if (measure == NULL || from == NULL || to == NULL)
    return tw_cli_bad_input ("change: --measure, --from and --to are required");

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  query.measure = measure;
  query.from = from;
  query.to = to;
  query.stratum = stratum;
  query.reveal = reveal;
  query.method = age_adjust ? TW_RATE_METHOD_AGE_ADJUSTED : TW_RATE_METHOD_CRUDE;
  if (!resolve_geography (store, geography, &query.geography_id, &status))
    return status;
  change = tw_change_compute (store, &query, NULL, &error);
  if (change == NULL)
    return fail_periods ("change", error, "--from and --to");
  n_incomplete = tw_change_get_n_incomplete (change);
  if (n_incomplete > 0)
    fprintf (stderr, "tractwise-cli: warning: %s; that change is null\n",
             tw_change_get_first_incomplete (change));
  if (reveal)
    print_reveal_banner ();

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < tw_change_get_n_rows (change); i++)
    {
      const TwChangeRow *row = tw_change_get_row (change, i);
      const TwChangeEstimate *e = &row->estimate;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "geoid");
      json_builder_add_string_value (builder, row->geoid);
      json_builder_set_member_name (builder, "stratum");
      json_builder_add_string_value (builder, row->stratum);
      tw_cli_add_figure (builder, "rate_from", e->rate_from, reveal);
      tw_cli_add_figure (builder, "rate_to", e->rate_to, reveal);
      tw_cli_add_figure (builder, "difference", e->difference, reveal);
      tw_cli_add_figure (builder, "difference_lower", e->difference_lower, reveal);
      tw_cli_add_figure (builder, "difference_upper", e->difference_upper, reveal);
      tw_cli_add_figure (builder, "ratio", e->ratio, reveal);
      tw_cli_add_figure (builder, "ratio_lower", e->ratio_lower, reveal);
      tw_cli_add_figure (builder, "ratio_upper", e->ratio_upper, reveal);
      tw_cli_add_number (builder, "z", e->z);
      tw_cli_add_number (builder, "p", e->p);
      json_builder_set_member_name (builder, "suppressed");
      json_builder_add_boolean_value (builder, row->suppressed);
      tw_cli_add_status (builder, row->status, row->reason);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return tw_cli_print_builder (builder);
}

int
tw_cli_trend (int    argc,
              char **argv)
{
  g_autofree char *measure = NULL, *periods = NULL, *stratum = NULL, *geography = NULL;
  gboolean reveal = FALSE;
  const GOptionEntry entries[] = {
    { "measure", 0, 0, G_OPTION_ARG_STRING, &measure, "Measure code (required)", "M" },
    { "periods", 0, 0, G_OPTION_ARG_STRING, &periods, "Periods, comma-separated, each a year, a range 2019-2021 or a pool 2019+2020 (default: every period)", "P,…" },
    { "stratum", 0, 0, G_OPTION_ARG_STRING, &stratum, "Only this group (default: every group)", "S" },
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "Only the areas of this geography", "G" },
    { "reveal", 0, 0, G_OPTION_ARG_NONE, &reveal, "Analyst view: show suppressed figures (stdout only)", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwTrend) trend = NULL;
  g_auto(GStrv) period_list = NULL;
  gint64 geography_id;
  JsonBuilder *builder;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE",
                     "Annual percent change per area and group: a Poisson regression of the "
                     "counts on the year with the population as offset, its interval from the "
                     "quasi-Poisson dispersion (as R's glm). Suppressed when any period is.",
                     entries, 1))
    return TW_CLI_BAD_INPUT;
  if (measure == NULL)
    return tw_cli_bad_input ("trend: --measure is required");
  if (periods != NULL)
    {
      period_list = g_strsplit (periods, ",", -1);
      for (guint p = 0; period_list[p] != NULL; p++)
        {
          double year;

          g_strstrip (period_list[p]);
          if (!tw_period_to_year (period_list[p], &year, &error))
            return fail_periods ("trend", error, "--periods");
        }
    }

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  if (!resolve_geography (store, geography, &geography_id, &status))
    return status;
  trend = tw_trend_compute (store, measure, (const char *const *) period_list, stratum,
                            geography_id, reveal, NULL, &error);
  if (trend == NULL)
    return fail_periods ("trend", error, "--periods");
  if (reveal)
    print_reveal_banner ();

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < tw_trend_get_n_rows (trend); i++)
    {
      const TwTrendRow *row = tw_trend_get_row (trend, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "geoid");
      json_builder_add_string_value (builder, row->geoid);
      json_builder_set_member_name (builder, "stratum");
      json_builder_add_string_value (builder, row->stratum);
      tw_cli_add_number (builder, "events", row->events);
      /* Model statistics of published counts, like Moran's I: they keep their digits. */
      tw_cli_add_number (builder, "slope", row->fit.slope);
      tw_cli_add_number (builder, "se", row->fit.se);
      tw_cli_add_number (builder, "apc", row->fit.apc);
      tw_cli_add_number (builder, "apc_lower", row->fit.apc_lower);
      tw_cli_add_number (builder, "apc_upper", row->fit.apc_upper);
      json_builder_set_member_name (builder, "suppressed");
      json_builder_add_boolean_value (builder, row->suppressed);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return tw_cli_print_builder (builder);
}

static void
add_gap (JsonBuilder       *builder,
         const TwGapChange *gap,
         gboolean           defined,
         gboolean           reveal)
{
  tw_cli_add_figure (builder, "ratio_from", defined ? gap->ratio_from : NAN, reveal);
  tw_cli_add_figure (builder, "ratio_to", defined ? gap->ratio_to : NAN, reveal);
  tw_cli_add_figure (builder, "ratio_of_ratios", defined ? gap->ratio_of_ratios : NAN, reveal);
  tw_cli_add_figure (builder, "lower", defined ? gap->lower : NAN, reveal);
  tw_cli_add_figure (builder, "upper", defined ? gap->upper : NAN, reveal);
  json_builder_set_member_name (builder, "narrowed");
  json_builder_add_boolean_value (builder, defined && gap->narrowed);
}

/* Areas pooled for a gap: the events and populations of the group and the reference in
 * the two periods, over the areas whose four cells are shown (THE RULE), or every area in
 * the analyst view. */
typedef struct
{
  double x[2], n[2], x_ref[2], n_ref[2];
  guint  n_areas;
  guint  n_left_out;
} GapPool;

static void
pool_gap (GapPool          *pool,
          const TwRateRow **cells,
          gboolean          hidden)
{
  pool->n_areas++;
  if (hidden)
    {
      pool->n_left_out++;
      return;
    }
  for (guint c = 0; c < 4; c++)
    if (!isfinite (cells[c]->numerator))
      return;
  for (guint t = 0; t < 2; t++)
    {
      pool->x[t] += cells[2 * t]->numerator;
      pool->n[t] += cells[2 * t]->denominator;
      pool->x_ref[t] += cells[2 * t + 1]->numerator;
      pool->n_ref[t] += cells[2 * t + 1]->denominator;
    }
}

static void
add_pool (JsonBuilder   *builder,
          const GapPool *pool,
          TwRateKind     kind,
          gboolean       nested,
          gboolean       reveal)
{
  TwGapChange gap;
  gboolean defined = tw_change_gap (kind, nested, pool->x, pool->n, pool->x_ref, pool->n_ref,
                                    &gap);

  json_builder_begin_object (builder);
  add_gap (builder, &gap, defined, reveal);
  json_builder_set_member_name (builder, "areas");
  json_builder_add_int_value (builder, pool->n_areas - pool->n_left_out);
  json_builder_set_member_name (builder, "left_out");
  json_builder_add_int_value (builder, pool->n_left_out);
  json_builder_end_object (builder);
}

int
tw_cli_gap (int    argc,
            char **argv)
{
  g_autofree char *measure = NULL, *from = NULL, *to = NULL, *stratum = NULL;
  g_autofree char *reference = NULL, *geography = NULL;
  gboolean reveal = FALSE;
  gint64 project_id = 0;
  const GOptionEntry entries[] = {
    { "measure", 0, 0, G_OPTION_ARG_STRING, &measure, "Measure code (required)", "M" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "First period, or periods pooled: P1+P2 (required)", "P" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "Second period, or periods pooled (required)", "P" },
    { "stratum", 0, 0, G_OPTION_ARG_STRING, &stratum, "The group (required)", "S" },
    { "reference", 0, 0, G_OPTION_ARG_STRING, &reference, "Reference group (default: all)", "R" },
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "Only the areas of this geography", "G" },
    { "project", 0, 0, G_OPTION_ARG_INT64, &project_id, "Also pool a partner project's target areas", "ID" },
    { "reveal", 0, 0, G_OPTION_ARG_NONE, &reveal, "Analyst view: show suppressed figures (stdout only)", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwRateTable) before = NULL, after = NULL;
  g_autoptr(TwProject) project = NULL;
  GapPool region = { 0 }, targets = { 0 };
  TwRateQuery query = { 0 };
  gboolean nested;
  TwGapChange gap;
  JsonBuilder *builder;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE",
                     "Whether a group's gap to a reference group narrowed between two "
                     "periods: each period's rate ratio and their ratio with a 95% interval, "
                     "per area and for the region (its shown areas).", entries, 1))
    return TW_CLI_BAD_INPUT;
  if (measure == NULL || from == NULL || to == NULL || stratum == NULL)
    return tw_cli_bad_input ("gap: --measure, --from, --to and --stratum are required");
  if (reference == NULL)
    reference = g_strdup ("all");
  if (g_str_equal (reference, stratum))
    return tw_cli_bad_input ("gap: --stratum and --reference are both '%s'; compare a group "
                             "with another or with all", stratum);
  nested = g_str_equal (reference, "all");

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  query.measure = measure;
  query.method = TW_RATE_METHOD_CRUDE;
  query.reveal = reveal;
  if (!resolve_geography (store, geography, &query.geography_id, &status))
    return status;
  if (project_id != 0)
    {
      project = tw_project_get (store, project_id, &error);
      if (project == NULL && g_error_matches (error, TW_PROJECT_ERROR,
                                              TW_PROJECT_ERROR_NOT_FOUND))
        return tw_cli_bad_input ("gap: %s: no partner project %" G_GINT64_FORMAT "; see "
                                 "'tractwise-cli project list' for their ids",
                                 tw_store_get_path (store), project_id);
      if (project == NULL)
        return tw_cli_fail (error);
      if (project->areas->len == 0)
        return tw_cli_bad_input ("gap: partner project %" G_GINT64_FORMAT " has no target "
                                 "areas; set them with 'tractwise-cli project set-areas'",
                                 project_id);
    }
  query.period = from;
  before = tw_rate_table_compute (store, &query, NULL, NULL, &error);
  if (before == NULL)
    return fail_periods ("gap", error, "--from and --to");
  query.period = to;
  after = tw_rate_table_compute (store, &query, NULL, NULL, &error);
  if (after == NULL)
    return fail_periods ("gap", error, "--from and --to");
  for (guint t = 0; t < 2; t++)
    {
      const char *const *strata = tw_rate_table_get_strata (t == 0 ? before : after);

      for (guint i = 0; i < 2; i++)
        if (!g_strv_contains (strata, i == 0 ? stratum : reference))
          return tw_cli_bad_input ("gap: %s: measure '%s' has no group '%s' in period '%s'; "
                                   "give one of its groups with %s", tw_store_get_path (store),
                                   measure, i == 0 ? stratum : reference, t == 0 ? from : to,
                                   i == 0 ? "--stratum" : "--reference");
    }
  if (reveal)
    print_reveal_banner ();

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "areas");
  json_builder_begin_array (builder);
  for (guint i = 0; i < tw_rate_table_get_n_rows (before); i++)
    {
      const TwRateRow *row = tw_rate_table_get_row (before, i);
      const TwRateRow *cells[4];
      gboolean suppressed = FALSE, defined;

      if (!g_str_equal (row->stratum, stratum))
        continue;
      cells[0] = row;
      cells[1] = tw_rate_table_find_row (before, row->area_id, reference);
      cells[2] = tw_rate_table_find_row (after, row->area_id, stratum);
      cells[3] = tw_rate_table_find_row (after, row->area_id, reference);
      if (cells[1] == NULL || cells[2] == NULL || cells[3] == NULL)
        continue;
      for (guint c = 0; c < 4; c++)
        suppressed |= tw_rate_row_is_suppressed (cells[c]);
      defined = (!suppressed || reveal)
                && tw_change_gap (tw_rate_table_get_kind (before), nested,
                                  (double[2]) { cells[0]->numerator, cells[2]->numerator },
                                  (double[2]) { cells[0]->denominator, cells[2]->denominator },
                                  (double[2]) { cells[1]->numerator, cells[3]->numerator },
                                  (double[2]) { cells[1]->denominator, cells[3]->denominator },
                                  &gap);
      pool_gap (&region, cells, suppressed && !reveal);
      if (project != NULL && g_ptr_array_find_with_equal_func (project->areas, row->geoid,
                                                               g_str_equal, NULL))
        pool_gap (&targets, cells, suppressed && !reveal);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "geoid");
      json_builder_add_string_value (builder, row->geoid);
      add_gap (builder, &gap, defined, reveal);
      json_builder_set_member_name (builder, "suppressed");
      json_builder_add_boolean_value (builder, suppressed);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "region");
  add_pool (builder, &region, tw_rate_table_get_kind (before), nested, reveal);
  if (project != NULL)
    {
      json_builder_set_member_name (builder, "project");
      add_pool (builder, &targets, tw_rate_table_get_kind (before), nested, reveal);
    }
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}
