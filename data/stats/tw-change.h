/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-rate-table.h"
#include "tw-rates.h"
#include "tw-status.h"
#include "tw-store.h"

G_BEGIN_DECLS

/*
 * Change between two periods, per area and group, of crude rates:
 *   difference r₂ − r₁ with SE = √(SE₁² + SE₂²) (a rate's SE m√d/n, a proportion's
 *   m√(p(1 − p)/n)) and the 95% interval difference ± 1.959964 SE;
 *   ratio r₂ / r₁ with the interval exp (ln RR ± 1.959964 √(1/d₁ + 1/d₂)), d the counts;
 *   z = difference / SE and its two-sided normal p: a test of the difference itself, not of
 *   overlapping intervals.
 *
 * Of directly age-adjusted rates (@method TW_RATE_METHOD_AGE_ADJUSTED), each end has Fay and
 * Feuer's gamma interval and, with r the rates, V their variances Σ w²x/n² and w_M their
 * largest w/n (tw-rates.h):
 *   the ratio r₂ / r₁ has Tiwari, Clegg and Zou's (2006) F interval
 *     lower = r₂ / (r₁ + w_M₁) · F⁻¹(α/2; 2r₂²/V₂, 2(r₁ + w_M₁)²/(V₁ + w_M₁²))
 *     upper = (r₂ + w_M₂) / r₁ · F⁻¹(1 − α/2; 2(r₂ + w_M₂)²/(V₂ + w_M₂²), 2r₁²/V₁);
 *   the difference the interval that recovers its variance from the two ends' gamma
 *   intervals (l, u) (Zou and Donner 2008, "MOVER"):
 *     r₂ − r₁ − √((r₂ − l₂)² + (u₁ − r₁)²),  r₂ − r₁ + √((u₂ − r₂)² + (r₁ − l₁)²);
 *   z = (r₂ − r₁) / √(V₁ + V₂).
 * Tiwari RC, Clegg LX, Zou Z. Efficient interval estimation for age-adjusted cancer rates.
 * Stat Methods Med Res 2006;15(6):547–569. Zou GY, Donner A. Construction of confidence
 * limits about effect measures: a general approach. Stat Med 2008;27(10):1693–1702.
 *
 * Either period may be pooled ("2019+2020"). A change is suppressed when either end is
 * (THE RULE, tw-suppression.h): without a reveal it then has no figure at all. Its status
 * is the worse of its ends' (an unreliable end makes an unreliable change).
 */

typedef struct
{
  const char *measure;
  const char *from;          /* period */
  const char *to;
  const char *stratum;       /* NULL: every group */
  gint64      geography_id;  /* ≤ 0: every geography */
  gboolean    reveal;
  TwRateMethod method;       /* crude (0) or age-adjusted */
} TwChangeQuery;

typedef struct
{
  double rate_from;
  double rate_to;
  double difference;
  double difference_lower;
  double difference_upper;
  double ratio;              /* NAN when the first rate is 0 */
  double ratio_lower;        /* NAN when either count is 0 */
  double ratio_upper;
  double z;                  /* NAN when both counts are 0 */
  double p;
} TwChangeEstimate;

typedef struct
{
  const char       *geoid;
  const char       *stratum;
  TwChangeEstimate  estimate;   /* every figure NAN when suppressed outside a reveal */
  gboolean          suppressed;
  TwFigureStatus    status;     /* the worse of the two ends' (tw-status.h) */
  const char       *reason;     /* why, from that end; "" when shown */
} TwChangeRow;

/* A group's gap to its reference over two periods: each period's rate ratio RR = r_g / r_ref,
 * and their ratio RR₂ / RR₁ with the interval exp (ln ± 1.959964 √(V₁ + V₂)), V a period's
 * Var ln RR as tw-disparity.h computes it (f = 1 for rates, 1 − p for proportions; c = 1
 * when @nested, the reference `all` holding the group). @narrowed: RR₂ is nearer 1 than
 * RR₁ and the interval of their ratio leaves out 1. */
typedef struct
{
  double   ratio_from;
  double   ratio_to;
  double   ratio_of_ratios;
  double   lower;
  double   upper;
  gboolean narrowed;
} TwGapChange;

/* @x and @n: the group's events and population in the first and second period, @x_ref and
 * @n_ref the reference's. FALSE, with NAN figures, when a count is 0 or not a number or a
 * population is not positive. */
gboolean           tw_change_gap         (TwRateKind        kind,
                                          gboolean          nested,
                                          const double      x[2],
                                          const double      n[2],
                                          const double      x_ref[2],
                                          const double      n_ref[2],
                                          TwGapChange      *gap);

typedef struct _TwChange TwChange;

/* The change from @x1 events in @n1 to @x2 in @n2 (rates per @multiplier). FALSE, with every
 * figure NAN, when a count is negative or not a number or a population is not positive. */
gboolean           tw_change_estimate    (TwRateKind        kind,
                                          double            multiplier,
                                          double            x1,
                                          double            n1,
                                          double            x2,
                                          double            n2,
                                          TwChangeEstimate *estimate);

/* The change between two directly standardised rates (per the same multiplier) with
 * variances @v1, @v2 and largest weights per person @w1, @w2 (tw_rate_standardized_moments):
 * the intervals above. FALSE, with every figure NAN, when a figure is negative or not a
 * number. */
gboolean           tw_change_estimate_standardized (double            r1,
                                                    double            v1,
                                                    double            w1,
                                                    double            r2,
                                                    double            v2,
                                                    double            w2,
                                                    TwChangeEstimate *estimate);

/* Rows of the areas and groups present in both periods, by GEOID, "all" first. */
TwChange          *tw_change_compute     (TwStore             *store,
                                          const TwChangeQuery *query,
                                          GCancellable        *cancellable,
                                          GError             **error);
void               tw_change_free        (TwChange *self);
/* Age adjustment: how many rows lack age groups in the period with more of them (their
 * changes are NAN), and what the first of them lacks, or NULL. */
guint              tw_change_get_n_incomplete     (TwChange *self);
const char        *tw_change_get_first_incomplete (TwChange *self);
guint              tw_change_get_n_rows  (TwChange *self);
const TwChangeRow *tw_change_get_row     (TwChange *self,
                                          guint     index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwChange, tw_change_free)

G_END_DECLS
