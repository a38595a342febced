/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-status"

#include <math.h>
#include <stdio.h>

#include "tw-status.h"
#include "tw-store-policy.h"

typedef enum
{
  RULE_EVENTS_BELOW,     /* unreliable when the count is under `events` */
  RULE_NCHS_RATES,       /* … or the relative 95% interval width is above 160% */
  RULE_KORN_GRAUBARD,    /* proportions: Parker et al. 2017; rates as RULE_NCHS_RATES */
  RULE_RSE,              /* relative standard error of 30% or more */
} Rule;

/* Indexed by TwSuppressionPreset; the sources are cited in tw-store-policy.c. */
static const struct
{
  Rule  rule;
  guint events;   /* below this many events a rate is unreliable */
} rules[TW_SUPPRESSION_N_PRESETS] = {
  [TW_SUPPRESSION_PRESET_CMS] = { RULE_EVENTS_BELOW, 20 },
  [TW_SUPPRESSION_PRESET_WONDER] = { RULE_EVENTS_BELOW, 20 },
  [TW_SUPPRESSION_PRESET_USCS] = { RULE_EVENTS_BELOW, 20 },
  [TW_SUPPRESSION_PRESET_CUSTOM] = { RULE_EVENTS_BELOW, 20 },
  /* "20 or fewer" */
  [TW_SUPPRESSION_PRESET_WISQARS] = { RULE_EVENTS_BELOW, 21 },
  [TW_SUPPRESSION_PRESET_NCHS_RATES] = { RULE_NCHS_RATES, 20 },
  [TW_SUPPRESSION_PRESET_NCHS_PROPORTIONS] = { RULE_KORN_GRAUBARD, 20 },
  /* A Poisson count's RSE is 1/√x: 30% or more up to 11 events. */
  [TW_SUPPRESSION_PRESET_WA_DOH] = { RULE_RSE, 12 },
};

/* NCHS Data Presentation Standards for Rates: relative 95% CI width above 160%. */
#define NCHS_RATES_MAX_RELATIVE_WIDTH 1.60
/* Parker et al. 2017: effective sample size, absolute and relative Korn–Graubard widths. */
#define KG_MIN_EFFECTIVE_SIZE 30.0
#define KG_MAX_WIDTH 0.30
#define KG_CHECK_RELATIVE_ABOVE 0.05
#define KG_MAX_RELATIVE_WIDTH 1.30
/* Washington DOH 2018: an RSE of 30% or more. */
#define WA_DOH_MAX_RSE 0.30

static const char *const status_names[TW_N_FIGURE_STATUSES] = {
  "shown", "unreliable", "suppressed", "complementary", "missing", "not_applicable",
};

/* Worse is larger: privacy first, then no data, then reliability. */
static const int severity[TW_N_FIGURE_STATUSES] = {
  [TW_FIGURE_SHOWN] = 0,
  [TW_FIGURE_UNRELIABLE] = 1,
  [TW_FIGURE_NOT_APPLICABLE] = 2,
  [TW_FIGURE_MISSING] = 3,
  [TW_FIGURE_COMPLEMENTARY] = 4,
  [TW_FIGURE_SUPPRESSED] = 5,
};

const char *
tw_figure_status_to_string (TwFigureStatus status)
{
  g_return_val_if_fail (status < TW_N_FIGURE_STATUSES, NULL);
  return status_names[status];
}

gboolean
tw_figure_status_is_blank (TwFigureStatus status)
{
  return status != TW_FIGURE_SHOWN && status != TW_FIGURE_UNRELIABLE;
}

TwFigureStatus
tw_figure_status_worst (TwFigureStatus a,
                        TwFigureStatus b)
{
  g_return_val_if_fail (a < TW_N_FIGURE_STATUSES && b < TW_N_FIGURE_STATUSES,
                        TW_FIGURE_SUPPRESSED);
  return severity[a] >= severity[b] ? a : b;
}

TwFigureStatus
tw_figure_status_worst_of (TwFigureStatus   a,
                           const char      *reason_a,
                           TwFigureStatus   b,
                           const char      *reason_b,
                           const char     **reason)
{
  TwFigureStatus worst = tw_figure_status_worst (a, b);

  if (reason != NULL)
    *reason = worst == a ? reason_a : reason_b;
  return worst;
}

guint
tw_figure_status_unstable_below (TwSuppressionPreset preset)
{
  g_return_val_if_fail (preset < TW_SUPPRESSION_N_PRESETS, TW_SUPPRESSION_UNSTABLE_BELOW);
  return rules[preset].events;
}

static void
say (char       *reason,
     const char *format,
     ...) G_GNUC_PRINTF (2, 3);

static void
say (char       *reason,
     const char *format,
     ...)
{
  va_list args;

  if (reason == NULL)
    return;
  va_start (args, format);
  g_vsnprintf (reason, TW_FIGURE_REASON_SIZE, format, args);
  va_end (args);
}

/* The relative standard error of a count-based figure: 1/√x for a rate (Poisson count),
 * √((1 − p)/x) for a proportion (binomial); infinite without events. A population that is
 * an estimate adds its own relative error in quadrature (delta method, see tw-rates.h). */
static double
relative_standard_error (TwRateKind kind,
                         double     count,
                         double     population,
                         double     population_rse)
{
  double rse;

  if (!(count > 0.0))
    return INFINITY;
  if (kind == TW_RATE_KIND_PROPORTION)
    rse = sqrt (MAX (0.0, 1.0 - count / population) / count);
  else
    rse = 1.0 / sqrt (count);
  return population_rse > 0.0 ? hypot (rse, population_rse) : rse;
}

/* "RSE 38% (7 events)"; the count as published (apportioned counts keep their digits). */
static void
say_rse (char       *reason,
         TwRateKind  kind,
         double      count,
         double      population,
         double      population_rse)
{
  double rse = relative_standard_error (kind, count, population, population_rse);

  if (!isfinite (rse))
    say (reason, "no events (RSE undefined)");
  else if (population_rse > 0.0)
    say (reason, "RSE %.0f%% (%.4g events; population estimate's RSE %.0f%%)", 100.0 * rse,
         count, 100.0 * population_rse);
  else
    say (reason, "RSE %.0f%% (%.4g events)", 100.0 * rse, count);
}

/* Parker et al. 2017 on a proportion of complete counts: n_eff is the denominator. */
static gboolean
korn_graubard_unreliable (double  count,
                          double  population,
                          double  population_rse,
                          char   *reason)
{
  double p = count / population, n_eff = population, lower, upper, width;

  /* n_eff = p (1 − p) / Var p; only the estimated population's error makes it smaller. */
  if (population_rse > 0.0 && p > 0.0 && p < 1.0)
    n_eff = p * (1.0 - p) / (p * (1.0 - p) / population + p * p * population_rse
                                                           * population_rse);
  if (n_eff < KG_MIN_EFFECTIVE_SIZE)
    {
      say (reason, "effective sample size %.4g (under %.0f)", n_eff, KG_MIN_EFFECTIVE_SIZE);
      return TRUE;
    }
  if (!tw_rate_interval_korn_graubard (MIN (1.0, p), n_eff, 0.95, &lower, &upper))
    {
      say (reason, "no Korn–Graubard interval");
      return TRUE;
    }
  width = upper - lower;
  if (width >= KG_MAX_WIDTH)
    {
      say (reason, "interval width %.3f (%.2f or more; %.4g events)", width, KG_MAX_WIDTH,
           count);
      return TRUE;
    }
  if (width > KG_CHECK_RELATIVE_ABOVE && !(width <= KG_MAX_RELATIVE_WIDTH * p))
    {
      if (p > 0.0)
        say (reason, "relative interval width %.0f%% (above %.0f%%; %.4g events)",
             100.0 * width / p, 100.0 * KG_MAX_RELATIVE_WIDTH, count);
      else
        say (reason, "relative interval width undefined (no events)");
      return TRUE;
    }
  return FALSE;
}

static gboolean
nchs_rate_unreliable (TwRateKind  kind,
                      double      count,
                      double      population,
                      double      population_rse,
                      double      rate,
                      double      lower,
                      double      upper,
                      guint       events,
                      char       *reason)
{
  if (count < events)
    {
      say_rse (reason, kind, count, population, population_rse);
      return TRUE;
    }
  if (isfinite (lower) && isfinite (upper) && rate > 0.0
      && (upper - lower) / rate > NCHS_RATES_MAX_RELATIVE_WIDTH)
    {
      if (population_rse > 0.0)
        say (reason, "relative interval width %.0f%% (above %.0f%%; %.4g events; population "
             "estimate's RSE %.0f%%)", 100.0 * (upper - lower) / rate,
             100.0 * NCHS_RATES_MAX_RELATIVE_WIDTH, count, 100.0 * population_rse);
      else
        say (reason, "relative interval width %.0f%% (above %.0f%%; %.4g events)",
             100.0 * (upper - lower) / rate, 100.0 * NCHS_RATES_MAX_RELATIVE_WIDTH, count);
      return TRUE;
    }
  return FALSE;
}

TwFigureStatus
tw_figure_status_judge (const TwSuppressionPolicy *policy,
                        TwRateKind                 kind,
                        TwSuppressionReason        privacy,
                        double                     count,
                        double                     population,
                        double                     population_rse,
                        double                     rate,
                        double                     lower,
                        double                     upper,
                        char                       reason[TW_FIGURE_REASON_SIZE])
{
  gboolean unreliable = FALSE;
  guint events;

  g_return_val_if_fail (policy != NULL, TW_FIGURE_SUPPRESSED);
  g_return_val_if_fail (policy->preset < TW_SUPPRESSION_N_PRESETS, TW_FIGURE_SUPPRESSED);

  say (reason, "%s", "");
  /* Privacy first, in words that are the same for every hidden figure of a policy. */
  switch (privacy)
    {
    case TW_SUPPRESSION_PRIMARY:
      say (reason, "a count of 1 to %u (k = %u)", MAX (policy->min_count, 2) - 1,
           policy->min_count);
      return TW_FIGURE_SUPPRESSED;
    case TW_SUPPRESSION_WITHHELD:
      say (reason, "withheld by the share package it came from");
      return TW_FIGURE_SUPPRESSED;
    case TW_SUPPRESSION_COMPLEMENTARY:
      say (reason, "hidden so that a suppressed count cannot be recovered");
      return TW_FIGURE_COMPLEMENTARY;
    case TW_SUPPRESSION_SHOWN:
    default:
      break;
    }

  if (isnan (population) || isnan (count))
    {
      say (reason, "no data");
      return TW_FIGURE_MISSING;
    }
  if (!(population > 0.0))
    {
      say (reason, "no population");
      return TW_FIGURE_NOT_APPLICABLE;
    }
  if (isnan (rate))
    {
      say (reason, "no rate could be computed");
      return TW_FIGURE_MISSING;
    }

  events = policy->unstable_below;
  switch (rules[policy->preset].rule)
    {
    case RULE_EVENTS_BELOW:
      unreliable = count < events;
      if (unreliable)
        say_rse (reason, kind, count, population, population_rse);
      break;
    case RULE_KORN_GRAUBARD:
      if (kind == TW_RATE_KIND_PROPORTION)
        {
          unreliable = korn_graubard_unreliable (count, population, population_rse, reason);
          break;
        }
      G_GNUC_FALLTHROUGH;
    case RULE_NCHS_RATES:
      unreliable = nchs_rate_unreliable (kind, count, population, population_rse, rate, lower,
                                         upper, events, reason);
      break;
    case RULE_RSE:
      unreliable = relative_standard_error (kind, count, population, population_rse)
                   >= WA_DOH_MAX_RSE;
      if (unreliable)
        say_rse (reason, kind, count, population, population_rse);
      break;
    default:
      g_return_val_if_reached (TW_FIGURE_UNRELIABLE);
    }
  return unreliable ? TW_FIGURE_UNRELIABLE : TW_FIGURE_SHOWN;
}

TwReliabilityRule
tw_figure_status_get_rule (const TwSuppressionPolicy *policy)
{
  TwReliabilityRule rule = {
    .kind = TW_RELIABILITY_EVENTS_BELOW,
    .max_relative_width = NCHS_RATES_MAX_RELATIVE_WIDTH,
    .max_rse = WA_DOH_MAX_RSE,
    .min_effective_size = KG_MIN_EFFECTIVE_SIZE,
    .max_width = KG_MAX_WIDTH,
    .check_relative_above = KG_CHECK_RELATIVE_ABOVE,
    .max_relative_width_proportions = KG_MAX_RELATIVE_WIDTH,
  };

  g_return_val_if_fail (policy != NULL, rule);
  g_return_val_if_fail (policy->preset < TW_SUPPRESSION_N_PRESETS, rule);

  rule.events = policy->unstable_below;
  switch (rules[policy->preset].rule)
    {
    case RULE_NCHS_RATES:
      rule.kind = TW_RELIABILITY_NCHS_RATES;
      break;
    case RULE_KORN_GRAUBARD:
      rule.kind = TW_RELIABILITY_NCHS_PROPORTIONS;
      break;
    case RULE_RSE:
      rule.kind = TW_RELIABILITY_RSE;
      break;
    case RULE_EVENTS_BELOW:
    default:
      if (policy->unstable_below == 0)
        rule.kind = TW_RELIABILITY_NONE;
      else if (policy->preset == TW_SUPPRESSION_PRESET_WISQARS)
        {
          /* "20 or fewer" */
          rule.kind = TW_RELIABILITY_EVENTS_AT_MOST;
          rule.events = policy->unstable_below - 1;
        }
      break;
    }
  return rule;
}
