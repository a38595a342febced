/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-policy-text"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tw-policy-text.h"
#include "tw-store-policy.h"

static char *
percent (double share)
{
  return g_strdup_printf ("%.0f", 100.0 * share);
}

char *
tw_policy_text_rule_short (const TwSuppressionPolicy *policy)
{
  TwReliabilityRule rule;
  g_autofree char *width = NULL;

  g_return_val_if_fail (policy != NULL, NULL);

  rule = tw_figure_status_get_rule (policy);
  switch (rule.kind)
    {
    case TW_RELIABILITY_NONE:
      return g_strdup (_("no figure is marked unreliable"));
    case TW_RELIABILITY_EVENTS_AT_MOST:
      /* Translators: CDC WISQARS's rule, "20 or fewer events" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event or fewer",
                                           "%u or fewer events", rule.events), rule.events);
    case TW_RELIABILITY_NCHS_RATES:
      width = percent (rule.max_relative_width);
      /* Translators: "fewer than 20 events or interval over 160% of the rate" */
      return g_strdup_printf (_("fewer than %u events or interval over %s%% of the rate"),
                              rule.events, width);
    case TW_RELIABILITY_NCHS_PROPORTIONS:
      return g_strdup (_("NCHS standards for proportions"));
    case TW_RELIABILITY_RSE:
      width = percent (rule.max_rse);
      /* Translators: "RSE 30% or more"; RSE is the relative standard error */
      return g_strdup_printf (_("RSE %s%% or more"), width);
    case TW_RELIABILITY_EVENTS_BELOW:
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "fewer than %u event",
                                           "fewer than %u events", rule.events), rule.events);
    }
}

char *
tw_policy_text_rule (const TwSuppressionPolicy *policy)
{
  TwReliabilityRule rule;
  g_autofree char *width = NULL, *rse = NULL, *kg_width = NULL;

  g_return_val_if_fail (policy != NULL, NULL);

  rule = tw_figure_status_get_rule (policy);
  width = percent (rule.max_relative_width);
  switch (rule.kind)
    {
    case TW_RELIABILITY_NONE:
      return g_strdup (_("No figure is marked unreliable."));
    case TW_RELIABILITY_EVENTS_AT_MOST:
      return g_strdup_printf (_("Rates from %u or fewer events are marked unreliable (CDC "
                                "WISQARS)."), rule.events);
    case TW_RELIABILITY_NCHS_RATES:
      return g_strdup_printf (_("Rates from fewer than %u events, or whose 95%% interval is "
                                "wider than %s%% of the rate, are marked unreliable (NCHS)."),
                              rule.events, width);
    case TW_RELIABILITY_NCHS_PROPORTIONS:
      kg_width = percent (rule.max_relative_width_proportions);
      return g_strdup_printf (_("Proportions are marked unreliable by the NCHS standards for "
                                "proportions (Parker et al. 2017): Korn–Graubard 95%% interval, "
                                "effective sample size under %.0f, absolute width %.2f or "
                                "more, or relative width above %s%% for widths over %.2f; "
                                "rates from fewer than %u events or with an interval wider "
                                "than %s%% of the rate are marked unreliable."),
                              rule.min_effective_size, rule.max_width, kg_width,
                              rule.check_relative_above, rule.events, width);
    case TW_RELIABILITY_RSE:
      rse = percent (rule.max_rse);
      return g_strdup_printf (_("Figures whose relative standard error is %s%% or more are "
                                "marked unreliable (Washington State DOH, 2018)."), rse);
    case TW_RELIABILITY_EVENTS_BELOW:
    default:
      return g_strdup_printf (_("Rates from fewer than %u events are marked unreliable."),
                              rule.events);
    }
}

char *
tw_policy_text_describe (const TwSuppressionPolicy *policy)
{
  g_autofree char *reliability = NULL;
  const TwPolicyPreset *preset;

  g_return_val_if_fail (policy != NULL, NULL);
  g_return_val_if_fail (policy->preset < TW_SUPPRESSION_N_PRESETS, NULL);

  preset = &tw_policy_presets[policy->preset];
  reliability = tw_policy_text_rule (policy);
  if (policy->min_count <= 1)
    /* Translators: the preset's name and version stay as they are ("cms", "2020") */
    return g_strdup_printf (_("No counts suppressed (custom threshold k = 1); preset %s, "
                              "version %s. %s"), preset->name, preset->version, reliability);

  /* Translators: "Counts of 1 to 10 … suppressed (CMS cell-size suppression policy, k = 11)
   * … preset cms, version 2020." followed by the reliability rule's sentence */
  return g_strdup_printf (_("Counts of 1 to %u, and every figure computed from them, are "
                            "suppressed (%s, k = %u), with complementary suppression so that "
                            "none can be recovered; preset %s, version %s. %s"),
                          policy->min_count - 1, preset->source, policy->min_count,
                          preset->name, preset->version, reliability);
}

static char *
suppressed_row (const TwSuppressionPolicy *policy)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Suppressed (fewer than %u event)",
                                       "Suppressed (fewer than %u events)", policy->min_count),
                          policy->min_count);
}

char *
tw_policy_text_status_row (const TwSuppressionPolicy *policy,
                           gboolean                   change,
                           const TwStatusRow         *row)
{
  g_autofree char *rule = NULL, *suppressed = NULL;

  g_return_val_if_fail (policy != NULL && row != NULL, NULL);

  if (row->revealed)
    return g_strdup (_("Shown only in analyst view"));
  switch (row->status)
    {
    case TW_FIGURE_SHOWN:
      /* Only a map of time has a row of shown figures: those it cannot tell from none. */
      return g_strdup (_("Cannot tell from no change (the 95% interval includes it)"));
    case TW_FIGURE_UNRELIABLE:
      rule = tw_policy_text_rule_short (policy);
      if (change)
        /* Translators: %s is the policy's rule, "fewer than 20 events" */
        return g_strdup_printf (_("Unreliable in a period it is made of — %s"), rule);
      /* Translators: %s is the policy's rule, "fewer than 20 events" */
      return g_strdup_printf (_("Unreliable — %s"), rule);
    case TW_FIGURE_SUPPRESSED:
      suppressed = suppressed_row (policy);
      if (change)
        /* Translators: "Suppressed (fewer than 11 events) in a period it is made of" */
        return g_strdup_printf (_("%s in a period it is made of"), suppressed);
      return g_steal_pointer (&suppressed);
    case TW_FIGURE_COMPLEMENTARY:
      return g_strdup (_("Suppressed to protect another area"));
    case TW_FIGURE_NOT_APPLICABLE:
      return g_strdup (_("Not applicable (no population)"));
    case TW_FIGURE_MISSING:
    default:
      return g_strdup (_("No data"));
    }
}

char *
tw_policy_text_area_counts (TwChoropleth *map)
{
  guint counts[TW_N_FIGURE_STATUSES] = { 0 };
  const TwStatusRow *rows;
  guint n_rows, n_ranked;
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (map != NULL, NULL);

  n_rows = tw_choropleth_get_status_rows (map, &rows);
  for (guint r = 0; r < n_rows; r++)
    if (!rows[r].revealed && rows[r].status != TW_FIGURE_SHOWN)
      counts[rows[r].status] += rows[r].n_areas;
  /* The classed areas are the shown and the unreliable ones. */
  n_ranked = tw_choropleth_get_n_ranked (map);
  counts[TW_FIGURE_SHOWN] = n_ranked - MIN (counts[TW_FIGURE_UNRELIABLE], n_ranked);

  /* Translators: the first of a list of areas by status, "2 shown, 1 unreliable, …" */
  g_string_append_printf (text, _("%u shown"), counts[TW_FIGURE_SHOWN]);
  if (counts[TW_FIGURE_UNRELIABLE] > 0)
    g_string_append_printf (text, _(", %u unreliable"), counts[TW_FIGURE_UNRELIABLE]);
  g_string_append_printf (text, _(", %u suppressed"), counts[TW_FIGURE_SUPPRESSED]);
  if (counts[TW_FIGURE_COMPLEMENTARY] > 0)
    g_string_append_printf (text, _(", %u suppressed to protect another area"),
                            counts[TW_FIGURE_COMPLEMENTARY]);
  g_string_append_printf (text, _(", %u without data"), counts[TW_FIGURE_MISSING]);
  if (counts[TW_FIGURE_NOT_APPLICABLE] > 0)
    g_string_append_printf (text, _(", %u not applicable"), counts[TW_FIGURE_NOT_APPLICABLE]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}
