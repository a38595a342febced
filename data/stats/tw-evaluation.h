/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-rates.h"
#include "tw-store.h"
#include "tw-suppression.h"

G_BEGIN_DECLS

/* Did the outcome move in a project's target areas more than elsewhere?
 *
 * METHOD. For the project's measure and group (stratum; "all" by default) in its
 * geography:
 *
 *  - Periods. A period's text gives its years: "2019" is the year 2019, "2019-2021" (also
 *    with an en dash or a slash) the years 2019 to 2021, covering 1 January of the first to
 *    31 December of the last. A period is BEFORE the project when it ends before the start
 *    date, AFTER it when it begins on or after the start date; a period that straddles the
 *    start, or whose text gives no years, is in neither. The user may name the periods
 *    instead (TwEvaluationOptions.before / .after); then no start date is needed.
 *  - The panel. An area takes part when it has a row of the group in every period the
 *    evaluation uses (before and after) and, without reveal, each of those cells is
 *    published: its suppression reason is TW_SUPPRESSION_SHOWN and its count is a number.
 *    An area with a hidden cell in any period used is left out of every pool, on both
 *    sides: a balanced panel, so that the before and after pools cover the same areas.
 *  - Pooled rates. The counts of the panel's areas (target areas; comparison areas = every
 *    other area of the geography, or a chosen set) are summed over areas and over the
 *    periods of each side: rate = Σ numerator / Σ denominator × multiplier. An area's count
 *    is its row without age group, or else the sum of its age-group rows, as `rates` takes
 *    it. A trend point pools the panel's areas whose cell of that period is published.
 *  - Difference in differences: DiD = (T_after − T_before) − (C_after − C_before). The four
 *    pools are independent, so var(DiD) is the sum of the four rates' variances: Poisson,
 *    var(r) = N / D² × m² for a measure of kind rate; binomial, var(p) = p (1 − p) / D × m²
 *    for a proportion (m the multiplier). The 95% interval is DiD ± 1.959964 √var (normal
 *    approximation; a pool with no events contributes no variance).
 *  - Verdict, from the DiD's interval: IMPROVED when it lies wholly on the good side of 0
 *    (below when higher is worse, above otherwise), WORSENED when wholly on the bad side,
 *    NO_CHANGE when it holds 0: the target areas did not move distinguishably from the
 *    comparison areas.
 *  - Goal progress. goal_percent P asks the target rate to move P% of its level before the
 *    start the good way: a change of the rate g = ∓P / 100 × T_before. Progress is the
 *    DiD against it, DiD / g, with the DiD's interval divided likewise: 1 means the goal
 *    is met beyond the comparison areas' own change, 0 no change, negative the wrong way.
 *    The target areas' raw change, 100 (T_after − T_before) / T_before, is kept as
 *    target_change_percent; most of it may be the trend everywhere, so it is no measure of
 *    progress.
 *
 * SUPPRESSION (the privacy contract, README). Without reveal every figure here is a
 * function of published cells and of denominators only: hidden cells never enter a pool,
 * not even summed with others. So two evaluations whose comparison sets differ by an area
 * with a hidden cell give the same figures, and two that differ by a shown area differ only
 * through its published counts: nothing can be recovered by differencing. A figure with no
 * area left is NAN (`suppressed`), and what needs it (the DiD, the verdict, progress) is
 * NAN or NONE too. Unstable: fewer than 20 pooled events. With reveal (the analyst's own
 * screen) hidden cells are pooled as well, and `suppressed` marks the figures that hold one.
 *
 * Nothing here writes to the project file. */

#define TW_EVALUATION_ERROR (tw_evaluation_error_quark ())

typedef enum
{
  TW_EVALUATION_ERROR_INVALID,   /* a bad period or comparison GEOID */
  TW_EVALUATION_ERROR_NO_DATA,   /* no periods on one side of the start */
  TW_EVALUATION_ERROR_NO_MEASURE,        /* the project names no outcome measure */
  TW_EVALUATION_ERROR_NO_TARGET_AREAS,   /* the project has no target areas */
  TW_EVALUATION_ERROR_NO_START_DATE,     /* no start date and no periods named */
} TwEvaluationError;

typedef enum
{
  TW_EVALUATION_VERDICT_NONE,        /* no DiD: a pool it needs has no area left */
  TW_EVALUATION_VERDICT_NO_CHANGE,   /* the DiD's 95% interval holds 0 */
  TW_EVALUATION_VERDICT_IMPROVED,    /* … lies wholly on the good side of 0 */
  TW_EVALUATION_VERDICT_WORSENED,    /* … lies wholly on the bad side */
} TwEvaluationVerdict;

/* One pooled rate. Without reveal, NAN (and @suppressed) when no area is left to pool. */
typedef struct
{
  double   rate;        /* × the multiplier; NAN without a denominator */
  double   lower;       /* its own 95% interval: exact Poisson or Wilson, as `rates` */
  double   upper;
  double   variance;    /* of @rate, for the DiD */
  gboolean suppressed;  /* without reveal: withheld, every area is left out; revealed: it
                         * pools a hidden cell */
  gboolean unstable;
  guint    n_areas;     /* areas pooled */
  guint    n_left_out;  /* areas left out because a cell they need is hidden */
} TwEvaluationFigure;

typedef struct
{
  char               *period;
  int                 first_year;   /* 0 when the text gives no years */
  int                 last_year;
  TwEvaluationFigure  target;
  TwEvaluationFigure  comparison;
} TwEvaluationPoint;

typedef struct
{
  GStrv    comparison;   /* GEOIDs; NULL: every other area of the project's geography */
  GStrv    before;       /* periods; NULL: those that end before the start date */
  GStrv    after;        /* periods; NULL: those that begin on or after the start date */
  gboolean reveal;       /* analyst view: show suppressed figures (never for exports) */
} TwEvaluationOptions;

typedef struct
{
  gint64              project_id;
  char               *measure;
  char               *stratum;
  TwRateKind          kind;
  double              multiplier;
  gboolean            higher_is_worse;
  char               *start_date;        /* NULL when the periods were named */
  GStrv               before;
  GStrv               after;
  guint               n_target_areas;       /* as chosen */
  guint               n_comparison_areas;
  guint               n_target_used;        /* the panel: areas every pool covers */
  guint               n_target_left_out;    /* a cell of a period used is hidden */
  guint               n_target_no_data;     /* no row in some period used (none hidden) */
  guint               n_comparison_used;
  guint               n_comparison_left_out;
  guint               n_comparison_no_data;
  TwEvaluationFigure  target_before;
  TwEvaluationFigure  target_after;
  TwEvaluationFigure  comparison_before;
  TwEvaluationFigure  comparison_after;
  double              did;
  double              did_lower;
  double              did_upper;
  TwEvaluationVerdict verdict;
  double              goal_percent;           /* NAN when the project has no goal */
  double              target_change_percent;  /* 100 (T_after − T_before) / T_before: raw,
                                               * not progress */
  double              goal_progress;          /* DiD / goal as a change of the rate */
  double              goal_progress_lower;    /* from the DiD's 95% interval */
  double              goal_progress_upper;
  gboolean            suppressed;   /* some area is left out, or a figure withheld, because
                                     * of hidden cells (revealed: some pooled cell is hidden) */
  gboolean            revealed;
  TwSuppressionPolicy policy;
  GPtrArray          *trend;        /* TwEvaluationPoint *, every period of the measure, by year */
} TwEvaluation;

GQuark        tw_evaluation_error_quark       (void);

/* The years a period's text covers; FALSE when it names none. */
gboolean      tw_period_parse_years           (const char                *period,
                                               int                       *first_year,
                                               int                       *last_year);

/* "improved", "worsened", "no detectable change"; NULL for NONE. */
const char   *tw_evaluation_verdict_to_string (TwEvaluationVerdict        verdict);

TwEvaluation *tw_evaluation_run               (TwStore                   *store,
                                               gint64                     project_id,
                                               const TwEvaluationOptions *options,
                                               GError                   **error);
void          tw_evaluation_free              (TwEvaluation              *evaluation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwEvaluation, tw_evaluation_free)

G_END_DECLS
