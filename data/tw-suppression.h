/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-store.h"

G_BEGIN_DECLS

/* The suppression policy: which counts, and which figures computed from them, may leave the
 * analyst's own screen.
 *
 * THE RULE (applied to the cells of one area — its groups ("strata") and its total `all` —
 * for one measure and period; every output is computed from the whole area, whatever subset
 * of strata a query then shows):
 *
 *  1. Primary suppression. A cell whose numerator c satisfies 0 < c < k is suppressed
 *     (apportioned, non-integer counts included: 0.4 and 10.6 are both hidden when k = 11).
 *     Zero is shown. A suppressed cell shows no numerator, rate, interval, smoothed rate,
 *     ratio or difference; its denominator (population, public) stays.
 *
 *  2. Complementary suppression, when the area's total `all` is present and shown. Let
 *     H be the groups hidden with a positive numerator, and R = all − Σ (numerators of the
 *     groups shown) the residual an observer gets by subtraction; R is the sum of the hidden
 *     groups plus whatever the groups leave out (an unknown or unlisted group). While
 *       (a) exactly one group is in H (DESIGN.md's rule: it would be recovered exactly, or
 *           up to the unlisted remainder), or
 *       (b) 0 < R < k (the residual is itself a small count: the hidden groups, or an
 *           unlisted remainder, together hold fewer than k events),
 *     the shown group with the smallest positive numerator (ties: the earlier cell) is
 *     suppressed as well (zero-count groups are never picked: hiding a zero protects
 *     nothing). When no shown group with a positive numerator is left, the total itself is
 *     suppressed. The loop runs until neither condition holds, so on exit either no group
 *     is hidden, or at least two are and the residual is 0 or ≥ k: no hidden count equals a
 *     shown figure or a difference of shown figures.
 *
 *  3. When the total is itself suppressed (0 < all < k) or absent, nothing can be
 *     subtracted from it, and only rule 1 applies. Groups are subsets of `all`, so a small
 *     total means every group is zero or small as well.
 *
 *  4. Figures across areas. A figure pooled over areas (a region's share of events, the
 *     parameters of Empirical Bayes smoothing) reveals the sum of the hidden cells it
 *     pools once the shown cells are subtracted. Such a pooled figure is shown only when
 *     the hidden cells it pools are none, or at least @min_hidden of them with a positive
 *     count and together ≥ k (tw_suppression_pool_is_safe). EB smoothing (min_hidden 3:
 *     its two parameters b and s² give two equations in the hidden counts) reaches that by
 *     hiding the smallest shown areas (tw_suppression_apply_pool) and then re-running
 *     rule 2 in the areas concerned, until stable; when it cannot, no smoothed figure of
 *     that group is shown. A region's share of events (min_hidden 2) is shown as null.
 *     Known limit: the pooled figures of several groups together, or of several queries,
 *     are not audited jointly as one linear system.
 *
 *  5. Unstable: a rate from fewer than @unstable_below events (20) is flagged. A suppressed
 *     row is always reported unstable, so that the flag says nothing about its count.
 *
 *  6. Withheld cells. A review copy of a share package holds the cells the package
 *     suppressed without their counts (reason TW_SUPPRESSION_WITHHELD, numerator NAN). They
 *     stay hidden whatever is asked, even by a reveal, and a figure pooled over one of them
 *     cannot be computed: tw_suppression_pool_is_safe says no, and such a figure is
 *     suppressed too.
 *
 *  Only an explicit analyst reveal shows suppressed figures, and only on stdout or the
 *  screen; the row still says what the policy would hide. Exports never reveal.
 */

#define TW_SUPPRESSION_ERROR (tw_suppression_error_quark ())

typedef enum
{
  TW_SUPPRESSION_ERROR_INVALID,   /* a bad preset name or threshold */
} TwSuppressionError;

typedef enum
{
  TW_SUPPRESSION_PRESET_CMS,      /* CMS cell-size suppression policy: k = 11 */
  TW_SUPPRESSION_PRESET_WONDER,   /* CDC WONDER: k = 10 */
  TW_SUPPRESSION_PRESET_USCS,     /* U.S. Cancer Statistics: k = 16 */
  TW_SUPPRESSION_PRESET_CUSTOM,   /* any k ≥ 1 */
} TwSuppressionPreset;

#define TW_SUPPRESSION_DEFAULT_MIN_COUNT 11
#define TW_SUPPRESSION_UNSTABLE_BELOW 20
/* Project-file setting keys. */
#define TW_SUPPRESSION_KEY_MIN_COUNT "suppression.min_count"
#define TW_SUPPRESSION_KEY_PRESET "suppression.preset"

typedef struct
{
  guint               min_count;       /* k: counts 1 … k − 1 are hidden */
  TwSuppressionPreset preset;
  gboolean            complementary;   /* always TRUE; kept for the record */
  guint               unstable_below;  /* 20 */
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
  gboolean            is_total;   /* the area's `all` */
  TwSuppressionReason reason;
  gboolean            unstable;
} TwSuppressionCell;

GQuark       tw_suppression_error_quark        (void);

void         tw_suppression_policy_init        (TwSuppressionPolicy *policy);
const char  *tw_suppression_preset_to_string   (TwSuppressionPreset  preset);
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
/* The footnote every export carries, e.g. "Counts of 1 to 10 … (CMS, k = 11)". */
char        *tw_suppression_policy_describe    (const TwSuppressionPolicy *policy);

/* Whether a count is hidden by rule 1: 0 < @count < k. */
gboolean     tw_suppression_is_small           (const TwSuppressionPolicy *policy,
                                                double                     count);

/* Rules 1, 2, 3 and 5 over the cells of one area (at most one with is_total). */
void         tw_suppression_apply_area         (const TwSuppressionPolicy *policy,
                                                TwSuppressionCell         *cells,
                                                guint                      n_cells);

/* Rules 1, 2, 3 and 5 again after more cells of the area were hidden from outside (by
 * rule 4): cells already hidden stay hidden. */
void         tw_suppression_complete_area      (const TwSuppressionPolicy *policy,
                                                TwSuppressionCell         *cells,
                                                guint                      n_cells);

/* Rule 4: whether a figure pooled over @cells (already decided) is safe to show. */
gboolean     tw_suppression_pool_is_safe       (const TwSuppressionPolicy *policy,
                                                const TwSuppressionCell   *cells,
                                                guint                      n_cells,
                                                guint                      min_hidden);
/* Rule 4 by complementary suppression: hides the smallest shown positive cells until the
 * pool is safe. Returns how many cells it hid. */
guint        tw_suppression_apply_pool         (const TwSuppressionPolicy *policy,
                                                TwSuppressionCell         *cells,
                                                guint                      n_cells,
                                                guint                      min_hidden);

G_END_DECLS
