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
 *  - Pooled rates. The counts of the areas (target areas; comparison areas = every other
 *    area of the geography, or a chosen set) are summed over areas and over the periods of
 *    each side: rate = Σ numerator / Σ denominator × multiplier. An area's count is its row
 *    without age group, or else the sum of its age-group rows, as `rates` takes it.
 *  - Difference in differences: DiD = (T_after − T_before) − (C_after − C_before). The four
 *    pools are independent, so var(DiD) is the sum of the four rates' variances: Poisson,
 *    var(r) = N / D² × m² for a measure of kind rate; binomial, var(p) = p (1 − p) / D × m²
 *    for a proportion (m the multiplier). The 95% interval is DiD ± 1.959964 √var (normal
 *    approximation; a pool with no events contributes no variance).
 *  - Goal progress. goal_percent P asks the target rate to move P% the good way (down
 *    when higher is worse, up otherwise): goal = ∓P / 100. The change achieved is
 *    (T_after − T_before) / T_before, and progress = change / goal: 1 means the goal is
 *    met, 0.5 half-way, negative the wrong way. It is the target areas' own change; the
 *    DiD is what nets out the trend elsewhere.
 *
 * SUPPRESSION (data/tw-suppression.h). Each area's cells for a period are decided first by
 * rules 1–3 over all its groups, exactly as `rates` decides them. A pooled figure is then
 * shown only when (rule 4, tw_suppression_pool_is_safe with min_hidden 2) the hidden cells
 * it pools are none, or at least two with a positive count that together hold ≥ k events,
 * and its own numerator is not 1 … k − 1. The per-period trend points are pooled figures
 * too; since a side's pool minus its shown points gives the sum of its hidden points, a
 * side is shown only when the hidden cells of its hidden points pass the same test. The
 * DiD and its interval need all four sides, and goal progress both target sides: either
 * is null when one it needs is. Unstable: fewer than 20 pooled events (or suppressed).
 * Known limit (as rule 4 says): figures of different queries are not audited jointly, so
 * two evaluations whose comparison sets differ by one area are not prevented.
 *
 * Nothing here writes to the project file. */

#define TW_EVALUATION_ERROR (tw_evaluation_error_quark ())

typedef enum
{
  TW_EVALUATION_ERROR_INVALID,   /* no measure, no target areas, no start date, a bad period
                                  * or comparison GEOID */
  TW_EVALUATION_ERROR_NO_DATA,   /* no periods on one side of the start */
} TwEvaluationError;

/* One pooled rate. When @suppressed and not revealed, every number is NAN. */
typedef struct
{
  double   rate;        /* × the multiplier; NAN without a denominator */
  double   lower;       /* its own 95% interval: exact Poisson or Wilson, as `rates` */
  double   upper;
  double   variance;    /* of @rate, for the DiD */
  gboolean suppressed;
  gboolean unstable;
  guint    n_areas;     /* areas that have a row in the pooled periods */
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
  guint               n_target_areas;
  guint               n_comparison_areas;
  TwEvaluationFigure  target_before;
  TwEvaluationFigure  target_after;
  TwEvaluationFigure  comparison_before;
  TwEvaluationFigure  comparison_after;
  double              did;
  double              did_lower;
  double              did_upper;
  double              goal_percent;           /* NAN when the project has no goal */
  double              target_change_percent;  /* 100 (T_after − T_before) / T_before */
  double              goal_progress;
  gboolean            suppressed;   /* some figure above is withheld (or, revealed, would be) */
  gboolean            revealed;
  TwSuppressionPolicy policy;
  GPtrArray          *trend;        /* TwEvaluationPoint *, every period of the measure, by year */
} TwEvaluation;

GQuark        tw_evaluation_error_quark  (void);

/* The years a period's text covers; FALSE when it names none. */
gboolean      tw_period_parse_years      (const char                *period,
                                          int                       *first_year,
                                          int                       *last_year);

TwEvaluation *tw_evaluation_run          (TwStore                   *store,
                                          gint64                     project_id,
                                          const TwEvaluationOptions *options,
                                          GError                   **error);
void          tw_evaluation_free         (TwEvaluation              *evaluation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwEvaluation, tw_evaluation_free)

G_END_DECLS
