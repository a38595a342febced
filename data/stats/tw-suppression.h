/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-store.h"

G_BEGIN_DECLS

/* The suppression policy: which counts, and which figures computed from them, may leave the
 * analyst's own screen. This module decides which cells are hidden; tw-rate-table.c is the
 * one gate every figure passes through (see THE RULE).
 *
 * THE RULE. Without an analyst reveal, a published figure is computed from published cells
 * only: the cells this policy shows, and populations (denominators, which are public). A
 * hidden cell reaches no output at all — not through a rate, a smoothed rate, a class break,
 * a share, a pool over areas or periods, a spatial statistic or a neighbour's statistic.
 * tw_rate_table_compute enforces it: outside a reveal the rows of hidden cells carry NAN for
 * their count, rate and interval, so code downstream cannot use them, and every pool skips
 * them and says how many areas it left out. Two consequences, both tested as properties
 * (tests/cli/test_privacy_property.py): outputs without reveal are identical when two
 * suppressed cells of one measure, period and group trade their counts; and no two answers
 * (say, two evaluations whose comparison areas differ by one) can be differenced into a
 * hidden count, since neither holds any. Published figures are also rounded to publication
 * precision (tw_format_round_published: 3 significant figures).
 *
 * Which cells are hidden — rules applied to the cells of one area (its groups, "strata",
 * and its total `all`) for one measure and period:
 *
 *  1. Primary suppression. A cell whose count c satisfies 0 < c < k is hidden (apportioned,
 *     non-integer counts included: 0.4 and 10.6 are both hidden when k = 11). Zero is shown.
 *     A hidden cell shows no count, rate, interval, smoothed rate, ratio or difference; its
 *     denominator (population, public) stays.
 *
 *  2. Complementary suppression, when the area's total `all` is present and shown:
 *     (a) if some group is hidden by rule 1 and none yet as a complement, the shown group
 *         with a positive count and the smallest population is hidden too (ties: the
 *         earlier group). When no shown group has a positive count left, the total is
 *         hidden if one group alone is small; two or more small groups stay beside it and
 *         (c) judges them;
 *     (b) the same when every group is shown and the total minus the groups (people of no
 *         listed group: a count anyone can compute) is itself 1 … k − 1;
 *     (c) what the hidden groups can hold is public: 1 … k − 1 for a small group, k up to
 *         the total for a complement, 1 … k − 1 for the remainder of (b). When the total
 *         minus the shown groups is within one of the least or of the most they can hold
 *         (so that they split one way, or nearly), or is itself 1 … k − 1 (the groups taken
 *         together are a small count), the total is hidden as well; an outsider then
 *         learns only that one of these held.
 *     The decisions look at which cells are hidden and why, at shown counts, the shown
 *     total and populations — never at a cell hidden by rule 1 — so the cells hidden stay
 *     the same when two cells hidden by rule 1 trade their counts (the property the suite
 *     tests on every output). A complement is another matter: it is hidden because of what
 *     surrounds it, so trading it with another can change what is hidden; what that tells
 *     is a range, never a count. Whether small groups "reach k together" is not asked on
 *     its own, since hiding more when they do not would say so. The suite checks the rule
 *     against an outsider who knows it and tries every table that publishes the same: each
 *     hidden count keeps two possible values or more
 *     (tests/data/test-suppression.c, /data/suppression/complementary/outsider).
 *
 *  3. When the total is itself hidden (0 < all < k) or absent, nothing can be subtracted
 *     from it, and only rule 1 applies. Groups are subsets of `all`, so a small total means
 *     every group is zero or small as well.
 *
 *  4. (Retired: a pool over areas no longer includes a hidden cell at all; see THE RULE.)
 *
 *  5. Unstable: a rate from fewer than @unstable_below events (20) is flagged. A hidden cell
 *     is always reported unstable, so that the flag says nothing about its count. The
 *     figure's status (tw-status.h) refines this by the preset's reliability rule.
 *
 *  6. Withheld cells. A review copy of a share package holds the cells the package
 *     hid without their counts (reason TW_SUPPRESSION_WITHHELD, count NAN). They stay hidden
 *     whatever is asked, even by a reveal, and count as already protected for rule 2.
 *
 *  7. Pooled periods ("2019+2020+2021": counts and populations summed per cell). The pooled
 *     cell is judged by rules 1–3 like any cell, and first by this rule, which keeps a cell
 *     hidden in one period from being recovered by differencing a pool against the single
 *     periods or against another pool. For an area and group let H be the periods of the
 *     measure (all of them, not only the pool's: an outsider may ask for any pool) in which
 *     the cell is hidden. A pool P of that cell is published only when P holds none of H, or
 *     P holds all of H and (a) H has two periods or more, and (b) their sum s (what an
 *     outsider gets by subtracting the shown periods from the pool) is not itself
 *     1 … k − 1 and is at least two from the least and the most the hidden cells could hold
 *     (1 … k − 1 for a small cell, k or more for a complement, anything for a withheld
 *     one). Otherwise the pooled cell is hidden as a complement (and rule 2 then protects it
 *     among its groups). So every pool an outsider can get of one cell holds either no
 *     hidden period or the same set H: differencing any two leaves shown counts or nothing,
 *     and what is learnt of the hidden periods is their sum s, which (a) and (b) keep a
 *     range for each of them, as rule 2(c) does for groups. A pool depends on the counts of
 *     its hidden periods through s only: they may trade counts among themselves and no
 *     output changes; a pool holding a hidden period is a cell of its own, and THE RULE
 *     applies to it as to any cell.
 *
 *  Only an explicit analyst reveal shows hidden figures, and only on stdout or the screen;
 *  the row still says what the policy would hide. Exports, prints and shares never reveal.
 */

#define TW_SUPPRESSION_ERROR (tw_suppression_error_quark ())

typedef enum
{
  TW_SUPPRESSION_ERROR_INVALID,   /* a bad preset name or threshold */
} TwSuppressionError;

/* Named, versioned presets (data/store/tw-store-policy.c cites each source; README.md
 * "Privacy and reliability presets"). Each sets k; how it judges reliability is
 * tw-status.c's. "custom" stays fourth, as project files store it by name anyway. */
typedef enum
{
  TW_SUPPRESSION_PRESET_CMS,      /* CMS cell-size suppression policy: k = 11 */
  TW_SUPPRESSION_PRESET_WONDER,   /* CDC WONDER: k = 10, unreliable below 20 events */
  TW_SUPPRESSION_PRESET_USCS,     /* U.S. Cancer Statistics: k = 16 */
  TW_SUPPRESSION_PRESET_CUSTOM,   /* any k ≥ 1 */
  TW_SUPPRESSION_PRESET_WISQARS,  /* CDC WISQARS: k = 10, unreliable at 20 events or fewer */
  TW_SUPPRESSION_PRESET_NCHS_RATES,        /* k = 10; below 20 events or CI width > 160% */
  TW_SUPPRESSION_PRESET_NCHS_PROPORTIONS,  /* k = 10; Korn–Graubard (Parker et al. 2017) */
  TW_SUPPRESSION_PRESET_WA_DOH,   /* Washington DOH 2018: k = 10, RSE of 30% or more */
} TwSuppressionPreset;

#define TW_SUPPRESSION_N_PRESETS (TW_SUPPRESSION_PRESET_WA_DOH + 1)

#define TW_SUPPRESSION_DEFAULT_MIN_COUNT 11
#define TW_SUPPRESSION_UNSTABLE_BELOW 20

typedef struct
{
  guint               min_count;       /* k: counts 1 … k − 1 are hidden */
  TwSuppressionPreset preset;
  gboolean            complementary;   /* always TRUE; kept for the record */
  guint               unstable_below;  /* rates from fewer events are unreliable: 20, or
                                        * the preset's (tw-status.c) */
} TwSuppressionPolicy;

typedef enum
{
  TW_SUPPRESSION_SHOWN = 0,
  TW_SUPPRESSION_PRIMARY,          /* 0 < count < k */
  TW_SUPPRESSION_COMPLEMENTARY,    /* hidden so that no primary one can be recovered */
  TW_SUPPRESSION_WITHHELD,         /* hidden at source: a review copy of a share package
                                    * has no count for it (its numerator is NAN) */
} TwSuppressionReason;

/* One cell of a table: input @numerator and @is_total, output @reason and @unstable. */
typedef struct
{
  double              numerator;
  double              denominator; /* the population: picks the complement (rule 2) */
  gboolean            is_total;   /* the area's `all` */
  TwSuppressionReason reason;
  gboolean            unstable;
} TwSuppressionCell;

GQuark       tw_suppression_error_quark        (void);

void         tw_suppression_policy_init        (TwSuppressionPolicy *policy);
const char  *tw_suppression_preset_to_string   (TwSuppressionPreset  preset);
/* The edition of the preset's source ("2018"). */
const char  *tw_suppression_preset_get_version (TwSuppressionPreset  preset);
gboolean     tw_suppression_policy_set_preset  (TwSuppressionPolicy *policy,
                                                const char          *name,
                                                GError             **error);
/* A custom threshold; @min_count must be ≥ 1. */
gboolean     tw_suppression_policy_set_min_count (TwSuppressionPolicy *policy,
                                                  gint64               min_count,
                                                  GError             **error);

/* The policy stored in the project (the default when none is); a stored value that makes
 * no sense is an error, never a silent default. */
gboolean     tw_suppression_policy_load        (TwSuppressionPolicy *policy,
                                                TwStore             *store,
                                                GError             **error);
/* Stores the policy and writes it to the audit log, in one transaction. */
gboolean     tw_suppression_policy_save        (const TwSuppressionPolicy *policy,
                                                TwStore                   *store,
                                                GError                   **error);
/* Whether a count is hidden by rule 1: 0 < @count < k. */
gboolean     tw_suppression_is_small           (const TwSuppressionPolicy *policy,
                                                double                     count);

/* Rules 1, 2, 3 and 5 over the cells of one area (at most one with is_total). */
void         tw_suppression_apply_area         (const TwSuppressionPolicy *policy,
                                                TwSuppressionCell         *cells,
                                                guint                      n_cells);
/* Rules 2, 3 and 5 over cells whose @reason is already set: rule 1's, rule 6's, or a
 * complement rule 7 decided (a pooled cell). A cell left TW_SUPPRESSION_SHOWN with a small
 * or NAN count is hidden as rule 1 or 6 would. */
void         tw_suppression_complete_area      (const TwSuppressionPolicy *policy,
                                                TwSuppressionCell         *cells,
                                                guint                      n_cells);

G_END_DECLS
