/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tw-cli-private.h"
#include "tw-disparity.h"
#include "tw-policy-text.h"
#include "tw-rate-table.h"
#include "tw-rates.h"
#include "tw-suppression.h"

/* The options named in the errors of the rate table. */
static int
fail_rates (const GError *error,
            const char   *stratum_option)
{
  if (error->domain == TW_RATE_TABLE_ERROR && error->code == TW_RATE_TABLE_ERROR_PERIOD)
    return tw_cli_bad_input ("%s; give one of those with --period", error->message);
  if (error->domain == TW_RATE_TABLE_ERROR && error->code == TW_RATE_TABLE_ERROR_STRATUM)
    return tw_cli_bad_input ("%s; give one of those with %s", error->message, stratum_option);
  return tw_cli_fail (error);
}

void
tw_cli_add_status (JsonBuilder    *builder,
                   TwFigureStatus  status,
                   const char     *reason)
{
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, tw_figure_status_to_string (status));
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason != NULL ? reason : "");
}

static void
print_reveal_banner (void)
{
  fprintf (stderr, "tractwise-cli: analyst view: suppressed figures are shown; this output "
                   "must not leave your screen\n");
}

int
tw_cli_policy (int    argc,
               char **argv)
{
  g_autofree char *preset = NULL;
  int min_count = 0;
  gboolean min_count_given;
  const GOptionEntry entries[] = {
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, "cms (k = 11), wonder (10), uscs (16), wisqars (10), nchs-rates (10), nchs-proportions (10) or wa-doh (10); each with its reliability rule", "NAME" },
    { "min-count", 0, 0, G_OPTION_ARG_INT, &min_count, "A custom smallest count that may be shown (at least 1)", "K" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  TwSuppressionPolicy policy, wanted;
  g_autofree char *note = NULL;
  JsonBuilder *builder;
  int status = TW_CLI_OK;

  /* GOption writes only what is given: G_MININT marks an absent --min-count. */
  min_count = G_MININT;
  if (!tw_cli_parse (&argc, &argv, "WORKSPACE",
                     "Show or set the workspace's suppression policy: counts from 1 to K − 1, "
                     "and every figure computed from them, are never shown.", entries, 1))
    return TW_CLI_BAD_INPUT;
  min_count_given = min_count != G_MININT;

  /* Check the options before the project is even opened. */
  tw_suppression_policy_init (&wanted);
  if (preset != NULL && min_count_given)
    return tw_cli_bad_input ("policy: give either --preset or --min-count, not both");
  if (preset != NULL && !tw_suppression_policy_set_preset (&wanted, preset, &error))
    return tw_cli_fail (error);
  if (min_count_given && !tw_suppression_policy_set_min_count (&wanted, min_count, &error))
    return tw_cli_fail (error);

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;

  if (preset != NULL || min_count_given)
    {
      if (!tw_suppression_policy_save (&wanted, store, &error))
        return tw_cli_fail (error);
    }
  if (!tw_suppression_policy_load (&policy, store, &error))
    return tw_cli_fail (error);
  note = tw_policy_text_describe (&policy);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "min_count");
  json_builder_add_int_value (builder, policy.min_count);
  json_builder_set_member_name (builder, "preset");
  json_builder_add_string_value (builder, tw_suppression_preset_to_string (policy.preset));
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, tw_suppression_preset_get_version (policy.preset));
  json_builder_set_member_name (builder, "complementary");
  json_builder_add_boolean_value (builder, policy.complementary);
  json_builder_set_member_name (builder, "unstable_below");
  json_builder_add_int_value (builder, policy.unstable_below);
  json_builder_set_member_name (builder, "method_note");
  json_builder_add_string_value (builder, note);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

int
tw_cli_rates (int    argc,
              char **argv)
{
  g_autofree char *measure = NULL, *period = NULL, *stratum = NULL, *smooth = NULL;
  g_autofree char *geography = NULL;
  gboolean age_adjust = FALSE, reveal = FALSE, eb;
  const GOptionEntry entries[] = {
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "Only the areas of this geography (default: every one; spatial-eb: the only one)", "NAME" },
    { "measure", 0, 0, G_OPTION_ARG_STRING, &measure, "Measure code (required)", "M" },
    { "period", 0, 0, G_OPTION_ARG_STRING, &period, "Period (required)", "P" },
    { "stratum", 0, 0, G_OPTION_ARG_STRING, &stratum, "Only this group (default: every group)", "S" },
    { "smooth", 0, 0, G_OPTION_ARG_STRING, &smooth, "none (default), eb: global Empirical Bayes, or spatial-eb: towards the queen neighbours", "METHOD" },
    { "age-adjust", 0, 0, G_OPTION_ARG_NONE, &age_adjust, "Age-adjust to the US 2000 standard population", NULL },
    { "reveal", 0, 0, G_OPTION_ARG_NONE, &reveal, "Analyst view: show suppressed figures (stdout only)", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwRateTable) table = NULL;
  TwRateQuery query = { 0 };
  guint n_incomplete;
  JsonBuilder *builder;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE",
                     "Rates per area and group with 95% intervals (Wilson for proportions, "
                     "exact Poisson for rates, widened by the margin of error of a "
                     "population estimate taken as denominator), under the workspace's "
                     "suppression policy.",
                     entries, 1))
    return TW_CLI_BAD_INPUT;

  if (measure == NULL || period == NULL)
    return tw_cli_bad_input ("rates: --measure and --period are required");
  if (smooth != NULL && !g_str_equal (smooth, "none") && !g_str_equal (smooth, "eb")
      && !g_str_equal (smooth, "spatial-eb"))
    return tw_cli_bad_input ("rates: unknown --smooth '%s'; use none, eb or spatial-eb", smooth);
  eb = smooth != NULL && !g_str_equal (smooth, "none");
  if (eb && age_adjust)
    return tw_cli_bad_input ("rates: --smooth eb and --age-adjust cannot be combined; "
                             "smooth crude rates or age-adjust, not both");

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  if (g_str_equal (smooth != NULL ? smooth : "", "spatial-eb"))
    return tw_cli_rates_spatial_eb (store, geography, measure, period, stratum, reveal);

  query.measure = measure;
  query.period = period;
  query.stratum = stratum;
  query.method = age_adjust ? TW_RATE_METHOD_AGE_ADJUSTED
                 : eb ? TW_RATE_METHOD_EB : TW_RATE_METHOD_CRUDE;
  query.reveal = reveal;
  if (geography != NULL)
    {
      query.geography_id = tw_store_resolve_geography (store, geography, &error);
      if (query.geography_id < 0)
        return tw_cli_fail (error);
    }
  table = tw_rate_table_compute (store, &query, NULL, NULL, &error);
  if (table == NULL)
    return fail_rates (error, "--stratum");

  n_incomplete = tw_rate_table_get_n_incomplete (table);
  if (n_incomplete > 0)
    fprintf (stderr, "tractwise-cli: warning: %s\n", tw_rate_table_get_first_incomplete (table));
  if (reveal)
    print_reveal_banner ();
  if (n_incomplete > 1)
    fprintf (stderr, "tractwise-cli: warning: %u rows in all lack age groups; their rates are "
                     "null and missing_age_groups names the groups\n", n_incomplete);

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < tw_rate_table_get_n_rows (table); i++)
    {
      const TwRateRow *row = tw_rate_table_get_row (table, i);
      gboolean suppressed = tw_rate_row_is_suppressed (row);
      gboolean hide = suppressed && !reveal;
      guint unstable_below = tw_rate_table_get_policy (table)->unstable_below;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "geoid");
      json_builder_add_string_value (builder, row->geoid);
      json_builder_set_member_name (builder, "stratum");
      json_builder_add_string_value (builder, row->stratum);
      tw_cli_add_number (builder, "numerator", hide ? NAN : row->numerator);
      tw_cli_add_number (builder, "denominator", row->denominator);
      tw_cli_add_figure (builder, "rate", hide ? NAN : row->rate, reveal);
      tw_cli_add_figure (builder, "lower", hide ? NAN : row->lower, reveal);
      tw_cli_add_figure (builder, "upper", hide ? NAN : row->upper, reveal);
      /* Public (a published survey's) and judged with the interval, so shown when hidden. */
      if (!isnan (row->denominator_moe))
        tw_cli_add_number (builder, "denominator_moe", row->denominator_moe);
      json_builder_set_member_name (builder, "suppressed");
      json_builder_add_boolean_value (builder, suppressed);
      json_builder_set_member_name (builder, "unstable");
      /* A withheld count (a review copy) is unknown: unstable, revealed or not. */
      json_builder_add_boolean_value (builder, reveal && !isnan (row->numerator)
                                               ? row->numerator < unstable_below
                                               : row->unstable);
      tw_cli_add_status (builder, row->status, row->status_reason);
      if (row->missing_age_groups != NULL)
        {
          json_builder_set_member_name (builder, "missing_age_groups");
          json_builder_begin_array (builder);
          for (guint g = 0; row->missing_age_groups[g] != NULL; g++)
            json_builder_add_string_value (builder, row->missing_age_groups[g]);
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return tw_cli_print_builder (builder);
}

int
tw_cli_disparities (int    argc,
                    char **argv)
{
  g_autofree char *measure = NULL, *period = NULL, *reference = NULL, *geography = NULL;
  gboolean reveal = FALSE;
  const GOptionEntry entries[] = {
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "Geography (default: the one holding the measure)", "NAME" },
    { "measure", 0, 0, G_OPTION_ARG_STRING, &measure, "Measure code (required)", "M" },
    { "period", 0, 0, G_OPTION_ARG_STRING, &period, "Period (required)", "P" },
    { "reference", 0, 0, G_OPTION_ARG_STRING, &reference, "Reference group (default: all)", "S" },
    { "reveal", 0, 0, G_OPTION_ARG_NONE, &reveal, "Analyst view: show suppressed figures (stdout only)", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwRateTable) table = NULL;
  g_autofree double *region_x = NULL, *region_n = NULL, *total_x = NULL, *total_n = NULL;
  g_autofree guint *region_areas = NULL;
  TwRateQuery query = { 0 };
  const char *const *strata;
  gboolean has_all;
  const char *ref;
  JsonBuilder *builder;
  int status = TW_CLI_OK;
  guint n_strata, n_rows;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE",
                     "Rate ratios and differences of each group against a reference group, "
                     "per area, and each group's share of events and of the denominator.",
                     entries, 1))
    return TW_CLI_BAD_INPUT;
  if (measure == NULL || period == NULL)
    return tw_cli_bad_input ("disparities: --measure and --period are required");
  ref = reference != NULL ? reference : "all";

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;

  if (!tw_cli_measure_geography (store, "disparities", measure, geography,
                                 &query.geography_id, &status))
    return status;
  query.measure = measure;
  query.period = period;
  query.method = TW_RATE_METHOD_CRUDE;
  query.reveal = reveal;
  table = tw_rate_table_compute (store, &query, NULL, NULL, &error);
  if (table == NULL)
    return fail_rates (error, "--reference");
  strata = tw_rate_table_get_strata (table);
  n_strata = g_strv_length ((GStrv) strata);
  if (!g_strv_contains (strata, ref))
    {
      g_autofree char *list = g_strjoinv (", ", (GStrv) strata);

      return tw_cli_bad_input ("%s: the outcomes have no stratum '%s' (there are: %s); give "
                               "one of those with --reference", tw_store_get_path (store), ref,
                               n_strata > 0 ? list : "none");
    }
  n_rows = tw_rate_table_get_n_rows (table);

  /* The region's shares pool areas, so (THE RULE) each group's pool takes only the areas
   * whose count of the group and whose total are both published: without a reveal the
   * table holds no other count. The total is `all`, or the sum of the groups where the
   * outcomes have no `all`. */
  has_all = g_strv_contains (strata, "all");
  region_x = g_new0 (double, n_strata);
  region_n = g_new0 (double, n_strata);
  total_x = g_new0 (double, n_strata);
  total_n = g_new0 (double, n_strata);
  region_areas = g_new0 (guint, n_strata);
  for (guint first = 0, end; first < n_rows; first = end)
    {
      gint64 area_id = tw_rate_table_get_row (table, first)->area_id;
      double area_x = 0.0, area_n = 0.0;
      gboolean area_known = TRUE;

      for (end = first; end < n_rows && tw_rate_table_get_row (table, end)->area_id == area_id;
           end++)
        {
          const TwRateRow *row = tw_rate_table_get_row (table, end);

          if (has_all != g_str_equal (row->stratum, "all"))
            continue;
          area_known &= isfinite (row->numerator) && row->denominator > 0.0;
          area_x += row->numerator;
          area_n += row->denominator;
        }
      if (!area_known || !(area_n > 0.0))
        continue;
      for (guint i = first; i < end; i++)
        {
          const TwRateRow *row = tw_rate_table_get_row (table, i);
          guint s = 0;

          if (!isfinite (row->numerator))
            continue;
          while (!g_str_equal (strata[s], row->stratum))
            s++;
          region_x[s] += row->numerator;
          region_n[s] += row->denominator;
          total_x[s] += area_x;
          total_n[s] += area_n;
          region_areas[s]++;
        }
    }

  if (reveal)
    print_reveal_banner ();

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "areas");
  json_builder_begin_array (builder);
  for (guint first = 0, end; first < n_rows; first = end)
    {
      const TwRateRow *ref_row = NULL;
      gint64 area_id = tw_rate_table_get_row (table, first)->area_id;

      /* The rows of one area are together. */
      for (end = first; end < n_rows && tw_rate_table_get_row (table, end)->area_id == area_id;
           end++)
        if (g_str_equal (tw_rate_table_get_row (table, end)->stratum, ref))
          ref_row = tw_rate_table_get_row (table, end);

      for (guint i = first; i < end; i++)
        {
          const TwRateRow *row = tw_rate_table_get_row (table, i);
          TwDisparity d = { NAN, NAN, NAN, NAN, NAN, NAN };
          TwFigureStatus figure_status = row->status;
          const char *reason = row->status_reason;
          gboolean hide_rate = tw_rate_row_is_suppressed (row) && !reveal;
          gboolean hide_comparison = hide_rate
                                     || (ref_row != NULL && tw_rate_row_is_suppressed (ref_row)
                                         && !reveal);

          if (row == ref_row)
            {
              /* The reference against itself: no interval to speak of. */
              d.ratio = row->rate > 0.0 ? 1.0 : NAN;
              d.difference = isnan (row->rate) ? NAN : 0.0;
            }
          else if (ref_row != NULL)
            tw_disparity_compare (tw_rate_table_get_kind (table), row->numerator,
                                  row->denominator, ref_row->numerator, ref_row->denominator,
                                  g_str_equal (ref, "all"),
                                  tw_rate_table_get_multiplier (table), &d);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "geoid");
          json_builder_add_string_value (builder, row->geoid);
          json_builder_set_member_name (builder, "stratum");
          json_builder_add_string_value (builder, row->stratum);
          tw_cli_add_figure (builder, "rate", hide_rate ? NAN : row->rate, reveal);
          tw_cli_add_figure (builder, "ratio", hide_comparison ? NAN : d.ratio, reveal);
          tw_cli_add_figure (builder, "ratio_lower", hide_comparison ? NAN : d.ratio_lower,
                             reveal);
          tw_cli_add_figure (builder, "ratio_upper", hide_comparison ? NAN : d.ratio_upper,
                             reveal);
          tw_cli_add_figure (builder, "difference", hide_comparison ? NAN : d.difference,
                             reveal);
          tw_cli_add_figure (builder, "difference_lower",
                             hide_comparison ? NAN : d.difference_lower, reveal);
          tw_cli_add_figure (builder, "difference_upper",
                             hide_comparison ? NAN : d.difference_upper, reveal);
          json_builder_set_member_name (builder, "suppressed");
          json_builder_add_boolean_value (builder, tw_rate_row_is_suppressed (row));
          /* A comparison is as good as the worse of its two rates. */
          if (ref_row != NULL && row != ref_row)
            figure_status = tw_figure_status_worst_of (row->status, row->status_reason,
                                                ref_row->status, ref_row->status_reason,
                                                &reason);
          else if (ref_row == NULL)
            {
              figure_status = TW_FIGURE_MISSING;
              reason = "no reference group in this area";
            }
          tw_cli_add_status (builder, figure_status, reason);
          json_builder_end_object (builder);
        }
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "region");
  json_builder_begin_array (builder);
  for (guint s = 0; s < n_strata; s++)
    {
      double share_x, share_n;

      tw_disparity_shares (region_x[s], region_n[s], total_x[s], total_n[s], &share_x,
                           &share_n);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "stratum");
      json_builder_add_string_value (builder, strata[s]);
      tw_cli_add_figure (builder, "share_of_events", region_areas[s] > 0 ? share_x : NAN,
                         reveal);
      tw_cli_add_figure (builder, "share_of_denominator",
                         region_areas[s] > 0 ? share_n : NAN, reveal);
      /* The pool's areas: those whose counts of the group and of the total are published
       * (with --reveal, every area). */
      tw_cli_add_number (builder, "areas", region_areas[s]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}
