/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-rates.h"
#include "tw-suppression.h"

G_BEGIN_DECLS

/*
 * One status per figure, decided here and nowhere else, and carried by every figure the
 * map, legend, table, card, CLI, exports, brief and share package print:
 *
 *   shown           a figure to read as it is;
 *   unreliable      shown, but too unstable to rank or compare on its own; the preset's
 *                   reliability rule says why ("RSE 38% (7 events)");
 *   suppressed      hidden for privacy: a small count (rule 1 of tw-suppression.h), or
 *                   withheld by the share package it came from;
 *   complementary   hidden for privacy so that a suppressed count cannot be recovered;
 *   missing         no data: no row, or no rate could be computed (age groups lacking);
 *   not_applicable  no population to take a rate of.
 *
 * Reliability is not privacy: only a shown figure is judged reliable or not, from its own
 * published count, population and interval. A hidden figure's reason is the same text for
 * every hidden figure of its kind, so no reason can tell a suppressed count.
 *
 * A figure computed from others (a disparity, a change) takes the worst status of its
 * inputs (tw_figure_status_worst): privacy first, then no data, then reliability.
 */

typedef enum
{
  TW_FIGURE_SHOWN = 0,
  TW_FIGURE_UNRELIABLE,
  TW_FIGURE_SUPPRESSED,
  TW_FIGURE_COMPLEMENTARY,
  TW_FIGURE_MISSING,
  TW_FIGURE_NOT_APPLICABLE,
} TwFigureStatus;

#define TW_N_FIGURE_STATUSES (TW_FIGURE_NOT_APPLICABLE + 1)

/* Long enough for every reason this module writes. */
#define TW_FIGURE_REASON_SIZE 96

/* "shown", "unreliable", "suppressed", "complementary", "missing", "not_applicable". */
const char     *tw_figure_status_to_string (TwFigureStatus status);
/* Whether the figure has no value to print: suppressed, complementary, missing or not
 * applicable. */
gboolean        tw_figure_status_is_blank  (TwFigureStatus status);
/* The worse of two statuses: suppressed, complementary, missing, not applicable,
 * unreliable, shown (in that order). */
TwFigureStatus  tw_figure_status_worst     (TwFigureStatus a,
                                            TwFigureStatus b);

/* The worse of two figures' statuses, with @reason_a or @reason_b to go with it (the
 * first's on a tie) in @reason: a change or a disparity says why through its inputs. */
TwFigureStatus  tw_figure_status_worst_of  (TwFigureStatus  a,
                                            const char     *reason_a,
                                            TwFigureStatus  b,
                                            const char     *reason_b,
                                            const char    **reason);

/* The status of one figure of @kind: @privacy is what the policy decided for its cell;
 * @count, @population, @rate and its interval @lower … @upper are the published figures
 * (per the measure's multiplier: only their ratios matter). @reason (NULL allowed)
 * receives why, in words, for every status but shown: a count appears in it only for a
 * shown (unreliable) figure.
 *
 * @population_rse is 0 for a population that is a count, or the relative standard error
 * (SE/estimate; an ACS population's MOE/1.645 over its value) of one that is an estimate:
 * the RSE rules then take √(RSE_count² + @population_rse²) (the delta method of
 * tw_rate_se_with_population_moe), the interval rules the interval given (widened by the
 * caller), and the Korn–Graubard rule for proportions the effective sample size
 * p (1 − p) / Var p with Var p = p (1 − p) / n + p² @population_rse² (Parker et al. 2017,
 * n_eff = p (1 − p) / Var p); the reason says when the population's error counted. */
TwFigureStatus  tw_figure_status_judge     (const TwSuppressionPolicy *policy,
                                            TwRateKind                 kind,
                                            TwSuppressionReason        privacy,
                                            double                     count,
                                            double                     population,
                                            double                     population_rse,
                                            double                     rate,
                                            double                     lower,
                                            double                     upper,
                                            char                       reason[TW_FIGURE_REASON_SIZE]);

/* Below how many events the preset calls a rate unreliable, for the figures judged by
 * their count alone (a pool's, an evaluation's): 20, 21 for WISQARS ("20 or fewer"), 12
 * for Washington DOH (RSE = 1/√x of 30% or more). */
guint           tw_figure_status_unstable_below (TwSuppressionPreset preset);

/* The preset's reliability rule as values, for the ui and report layers to put in words
 * in the reader's language (data/report/tw-policy-text.h). */
typedef enum
{
  TW_RELIABILITY_NONE,              /* no figure is marked unreliable */
  TW_RELIABILITY_EVENTS_BELOW,      /* fewer than @events events */
  TW_RELIABILITY_EVENTS_AT_MOST,    /* @events or fewer (CDC WISQARS) */
  TW_RELIABILITY_NCHS_RATES,        /* fewer than @events, or a 95% interval wider than
                                     * @max_relative_width times the rate */
  TW_RELIABILITY_NCHS_PROPORTIONS,  /* Korn–Graubard (Parker et al. 2017); rates as above */
  TW_RELIABILITY_RSE,               /* a relative standard error of @max_rse or more */
} TwReliabilityKind;

typedef struct
{
  TwReliabilityKind kind;
  guint             events;
  double            max_relative_width;  /* 1.60 */
  double            max_rse;             /* 0.30 */
  /* nchs-proportions: the effective sample size, absolute and relative width limits */
  double            min_effective_size;  /* 30 */
  double            max_width;           /* 0.30 */
  double            check_relative_above;  /* 0.05 */
  double            max_relative_width_proportions;  /* 1.30 */
} TwReliabilityRule;

TwReliabilityRule tw_figure_status_get_rule (const TwSuppressionPolicy *policy);

G_END_DECLS
