/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-change"

#include <math.h>

#include "tw-change.h"
#include "tw-rate-table.h"

#define Z_95 1.959964

struct _TwChange
{
  TwRateTable *from;    /* own the strings of the rows */
  TwRateTable *to;
  GArray      *rows;    /* TwChangeRow */
};

static double
standard_error (TwRateKind kind,
                double     multiplier,
                double     x,
                double     n)
{
  double p = x / n;

  if (kind == TW_RATE_KIND_PROPORTION)
    return multiplier * sqrt (MAX (p * (1.0 - p), 0.0) / n);
  return multiplier * sqrt (x) / n;
}

static void
estimate_clear (TwChangeEstimate *estimate)
{
  estimate->rate_from = estimate->rate_to = NAN;
  estimate->difference = estimate->difference_lower = estimate->difference_upper = NAN;
  estimate->ratio = estimate->ratio_lower = estimate->ratio_upper = NAN;
  estimate->z = estimate->p = NAN;
}

gboolean
tw_change_estimate (TwRateKind        kind,
                    double            multiplier,
                    double            x1,
                    double            n1,
                    double            x2,
                    double            n2,
                    TwChangeEstimate *estimate)
{
  double se1, se2, se;

  g_return_val_if_fail (estimate != NULL, FALSE);

  estimate_clear (estimate);
  if (!(x1 >= 0.0) || !(x2 >= 0.0) || !(n1 > 0.0) || !(n2 > 0.0) || !isfinite (x1)
      || !isfinite (x2) || !isfinite (n1) || !isfinite (n2))
    return FALSE;

  estimate->rate_from = x1 / n1 * multiplier;
  estimate->rate_to = x2 / n2 * multiplier;
  estimate->difference = estimate->rate_to - estimate->rate_from;
  se1 = standard_error (kind, multiplier, x1, n1);
  se2 = standard_error (kind, multiplier, x2, n2);
  se = sqrt (se1 * se1 + se2 * se2);
  estimate->difference_lower = estimate->difference - Z_95 * se;
  estimate->difference_upper = estimate->difference + Z_95 * se;
  if (se > 0.0)
    {
      estimate->z = estimate->difference / se;
      estimate->p = erfc (fabs (estimate->z) / G_SQRT2);
    }
  if (x1 > 0.0)
    estimate->ratio = estimate->rate_to / estimate->rate_from;
  if (x1 > 0.0 && x2 > 0.0)
    {
      double half = Z_95 * sqrt (1.0 / x1 + 1.0 / x2);

      estimate->ratio_lower = exp (log (estimate->ratio) - half);
      estimate->ratio_upper = exp (log (estimate->ratio) + half);
    }
  return TRUE;
}

gboolean
tw_change_estimate_standardized (double            r1,
                                 double            v1,
                                 double            w1,
                                 double            r2,
                                 double            v2,
                                 double            w2,
                                 TwChangeEstimate *estimate)
{
  const double alpha = 0.05;
  double l1, u1, l2, u2, d;

  g_return_val_if_fail (estimate != NULL, FALSE);

  estimate_clear (estimate);
  tw_rate_fay_feuer_interval (r1, v1, w1, 1.0 - alpha, &l1, &u1);
  tw_rate_fay_feuer_interval (r2, v2, w2, 1.0 - alpha, &l2, &u2);
  if (!isfinite (l1) || !isfinite (u1) || !isfinite (l2) || !isfinite (u2))
    return FALSE;

  d = r2 - r1;
  estimate->rate_from = r1;
  estimate->rate_to = r2;
  estimate->difference = d;
  estimate->difference_lower = d - sqrt ((r2 - l2) * (r2 - l2) + (u1 - r1) * (u1 - r1));
  estimate->difference_upper = d + sqrt ((u2 - r2) * (u2 - r2) + (r1 - l1) * (r1 - l1));
  if (v1 + v2 > 0.0)
    {
      estimate->z = d / sqrt (v1 + v2);
      estimate->p = erfc (fabs (estimate->z) / G_SQRT2);
    }
  if (r1 > 0.0)
    {
      double shifted = r1 + w1;

      estimate->ratio = r2 / r1;
      estimate->ratio_lower = r2 > 0.0
        ? r2 / shifted * tw_rate_f_quantile (0.5 * alpha, 2.0 * r2 * r2 / v2,
                                             2.0 * shifted * shifted / (v1 + w1 * w1))
        : 0.0;
      shifted = r2 + w2;
      estimate->ratio_upper = shifted / r1
        * tw_rate_f_quantile (1.0 - 0.5 * alpha, 2.0 * shifted * shifted / (v2 + w2 * w2),
                              2.0 * r1 * r1 / v1);
    }
  return TRUE;
}

gboolean
tw_change_gap (TwRateKind    kind,
               gboolean      nested,
               const double  x[2],
               const double  n[2],
               const double  x_ref[2],
               const double  n_ref[2],
               TwGapChange  *gap)
{
  double variance = 0.0, ratio[2], half;

  g_return_val_if_fail (x != NULL && n != NULL && x_ref != NULL && n_ref != NULL, FALSE);
  g_return_val_if_fail (gap != NULL, FALSE);

  gap->ratio_from = gap->ratio_to = gap->ratio_of_ratios = gap->lower = gap->upper = NAN;
  gap->narrowed = FALSE;
  for (guint t = 0; t < 2; t++)
    {
      double f, f_ref;

      if (!(x[t] > 0.0) || !(x_ref[t] > 0.0) || !(n[t] > 0.0) || !(n_ref[t] > 0.0)
          || !isfinite (x[t]) || !isfinite (x_ref[t]) || !isfinite (n[t])
          || !isfinite (n_ref[t]))
        return FALSE;
      f = kind == TW_RATE_KIND_PROPORTION ? 1.0 - x[t] / n[t] : 1.0;
      f_ref = kind == TW_RATE_KIND_PROPORTION ? 1.0 - x_ref[t] / n_ref[t] : 1.0;
      ratio[t] = (x[t] / n[t]) / (x_ref[t] / n_ref[t]);
      variance += f / x[t] + f_ref / x_ref[t] - (nested ? 2.0 * f / x_ref[t] : 0.0);
    }
  gap->ratio_from = ratio[0];
  gap->ratio_to = ratio[1];
  gap->ratio_of_ratios = ratio[1] / ratio[0];
  if (!(variance >= 0.0))
    return FALSE;
  half = Z_95 * sqrt (variance);
  gap->lower = gap->ratio_of_ratios * exp (-half);
  gap->upper = gap->ratio_of_ratios * exp (half);
  gap->narrowed = fabs (log (ratio[1])) < fabs (log (ratio[0]))
                  && (gap->upper < 1.0 || gap->lower > 1.0);
  return TRUE;
}

TwChange *
tw_change_compute (TwStore             *store,
                   const TwChangeQuery *query,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_autoptr(TwChange) self = NULL;
  TwRateTable *to;
  TwRateQuery rates = { 0 };

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (query != NULL && query->measure != NULL && query->from != NULL
                        && query->to != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (TwChange, 1);
  rates.measure = query->measure;
  rates.stratum = query->stratum;
  rates.geography_id = query->geography_id;
  g_return_val_if_fail (query->method == TW_RATE_METHOD_CRUDE
                        || query->method == TW_RATE_METHOD_AGE_ADJUSTED, NULL);
  rates.method = query->method;
  rates.reveal = query->reveal;
  rates.period = query->from;
  self->from = tw_rate_table_compute (store, &rates, NULL, cancellable, error);
  if (self->from == NULL)
    return NULL;
  rates.period = query->to;
  to = self->to = tw_rate_table_compute (store, &rates, NULL, cancellable, error);
  if (to == NULL)
    return NULL;

  self->rows = g_array_new (FALSE, FALSE, sizeof (TwChangeRow));
  for (guint i = 0; i < tw_rate_table_get_n_rows (self->from); i++)
    {
      const TwRateRow *before = tw_rate_table_get_row (self->from, i);
      const TwRateRow *after = tw_rate_table_find_row (to, before->area_id, before->stratum);
      TwChangeRow row = { 0 };

      if (after == NULL)
        continue;
      row.geoid = before->geoid;
      row.stratum = before->stratum;
      row.suppressed = tw_rate_row_is_suppressed (before) || tw_rate_row_is_suppressed (after);
      row.status = tw_figure_status_worst_of (before->status, before->status_reason,
                                              after->status, after->status_reason,
                                              &row.reason);
      /* Outside a reveal a hidden end's count is NAN already; a suppressed change shows
       * nothing of the other end either. */
      if (row.suppressed && !query->reveal)
        estimate_clear (&row.estimate);
      else if (query->method == TW_RATE_METHOD_AGE_ADJUSTED)
        tw_change_estimate_standardized (before->rate, before->adjusted_variance,
                                         before->adjusted_weight_max, after->rate,
                                         after->adjusted_variance, after->adjusted_weight_max,
                                         &row.estimate);
      else
        tw_change_estimate (tw_rate_table_get_kind (self->from),
                            tw_rate_table_get_multiplier (self->from),
                            before->numerator, before->denominator,
                            after->numerator, after->denominator, &row.estimate);
      g_array_append_val (self->rows, row);
    }
  return g_steal_pointer (&self);
}

void
tw_change_free (TwChange *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->from, tw_rate_table_unref);
  g_clear_pointer (&self->to, tw_rate_table_unref);
  g_clear_pointer (&self->rows, g_array_unref);
  g_free (self);
}

guint
tw_change_get_n_rows (TwChange *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->rows->len;
}

guint
tw_change_get_n_incomplete (TwChange *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return MAX (tw_rate_table_get_n_incomplete (self->from),
              tw_rate_table_get_n_incomplete (self->to));
}

const char *
tw_change_get_first_incomplete (TwChange *self)
{
  const char *first;

  g_return_val_if_fail (self != NULL, NULL);
  first = tw_rate_table_get_first_incomplete (self->from);
  return first != NULL ? first : tw_rate_table_get_first_incomplete (self->to);
}

const TwChangeRow *
tw_change_get_row (TwChange *self,
                   guint     index)
{
  g_return_val_if_fail (self != NULL && index < self->rows->len, NULL);
  return &g_array_index (self->rows, TwChangeRow, index);
}
