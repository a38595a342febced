/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-area-layer.h"
#include "tw-store.h"

G_BEGIN_DECLS

/*
 * Trends per area: the annual percent change (APC) of a rate from a Poisson regression of
 * the counts on the year with log(population) as offset, its standard error from the
 * quasi-Poisson dispersion (Pearson χ² over n − 2): APC = 100 (e^b − 1) with the 95% interval
 * 100 (e^(b ± 1.959964 SE) − 1). The same figures as R's glm (y ~ year + offset (log (n)),
 * family = quasipoisson); zero counts are fitted as any other (the log-linear least squares
 * of SEER*Stat cannot take them).
 *
 * Periods are read as years: "2019", a range "2019-2021" as its midpoint 2020, a pooled
 * period "2019+2020" as the mean of its periods' years.
 *
 * Privacy (tw-suppression.h, THE RULE): without a reveal an area's trend is computed only
 * when every one of its periods is shown; otherwise it is suppressed, with no figure at all.
 */

#define TW_TREND_ERROR (tw_trend_error_quark ())

typedef enum
{
  TW_TREND_ERROR_PERIOD,    /* a period code that is not a year, or fewer than two periods */
} TwTrendError;

typedef struct
{
  double slope;       /* b, per year; NAN when the fit is undefined (no events) */
  double se;          /* quasi-Poisson; NAN with two periods (no residual degree of freedom) */
  double apc;
  double apc_lower;
  double apc_upper;
  double dispersion;  /* Pearson χ² / (n − 2) */
} TwTrendFit;

typedef struct
{
  const char *geoid;
  const char *stratum;
  double      events;      /* the counts summed over the periods; NAN when suppressed */
  TwTrendFit  fit;
  gboolean    suppressed;  /* a period of the area was hidden by the policy */
} TwTrendRow;

typedef struct _TwTrend TwTrend;

GQuark      tw_trend_error_quark  (void);

/* The year a period code stands for; FALSE with TW_TREND_ERROR_PERIOD naming it. */
gboolean    tw_period_to_year     (const char  *period,
                                   double      *year,
                                   GError     **error);

/* Fits counts @y with populations @n on @years (@n_points of them, every n > 0). Returns
 * FALSE (figures NAN) unless events fall in two different years or more (otherwise the
 * likelihood has no maximum), or when R's glm would not converge in its 25 iterations. */
gboolean    tw_trend_fit_poisson  (const double *years,
                                   const double *y,
                                   const double *n,
                                   guint         n_points,
                                   TwTrendFit   *fit);

/* The trend of every area and group (only @stratum's when not NULL) of @measure over
 * @periods (NULL: every period of the measure, in order), crude counts, each period judged
 * by the project's policy. */
TwTrend    *tw_trend_compute      (TwStore            *store,
                                   const char         *measure,
                                   const char *const  *periods,
                                   const char         *stratum,
                                   gint64              geography_id,
                                   gboolean            reveal,
                                   GCancellable       *cancellable,
                                   GError            **error);
void        tw_trend_free         (TwTrend *self);
guint       tw_trend_get_n_rows   (TwTrend *self);
const TwTrendRow *tw_trend_get_row (TwTrend *self,
                                    guint    index);

/* The published rates of every area of @layer, @stratum, in each single period of
 * @measure, for a sparkline: what a user could read period by period, never more. A cell
 * the policy hides is NAN (a reveal is never applied), as is one with no data. */
typedef struct
{
  GStrv   periods;
  guint   n_periods;
  guint   n_areas;
  double *rates;      /* n_areas × n_periods, by area then period */
} TwAreaSeries;

TwAreaSeries *tw_area_series_compute (TwStore            *store,
                                      TwAreaLayer        *layer,
                                      const char         *measure,
                                      const char         *stratum,
                                      GCancellable       *cancellable,
                                      GError            **error);
void          tw_area_series_free    (TwAreaSeries       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwTrend, tw_trend_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwAreaSeries, tw_area_series_free)

G_END_DECLS
