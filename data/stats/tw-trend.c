/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-trend"

#include <math.h>
#include <string.h>

#include "tw-rate-table.h"
#include "tw-trend.h"

#define Z_95 1.959964

/* One area and group over the periods. */
typedef struct
{
  const char *geoid;
  const char *stratum;
  GArray     *years;
  GArray     *counts;
  GArray     *populations;
  gboolean    hidden;
} Series;

struct _TwTrend
{
  GStringChunk *strings;
  GArray       *rows;    /* TwTrendRow */
};

G_DEFINE_QUARK (tw-trend-error-quark, tw_trend_error)

static gboolean
parse_year (const char *text,
            gsize       length,
            double     *year)
{
  if (length != 4)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  *year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10
          + (text[3] - '0');
  return TRUE;
}

gboolean
tw_period_to_year (const char  *period,
                   double      *year,
                   GError     **error)
{
  g_auto(GStrv) parts = NULL;
  double sum = 0.0;
  guint n = 0;

  g_return_val_if_fail (period != NULL && year != NULL, FALSE);

  parts = g_strsplit (period, "+", -1);
  for (; parts[n] != NULL; n++)
    {
      const char *part = parts[n], *dash = strchr (part, '-');
      double first, last;

      if (dash == NULL && parse_year (part, strlen (part), &first))
        last = first;
      else if (dash == NULL || !parse_year (part, dash - part, &first)
               || !parse_year (dash + 1, strlen (dash + 1), &last) || last < first)
        {
          g_set_error (error, TW_TREND_ERROR, TW_TREND_ERROR_PERIOD,
                       "period '%s' is not a year (2019), a range of years (2019-2021) or "
                       "a pool of them (2019+2020)", period);
          return FALSE;
        }
      sum += 0.5 * (first + last);
    }
  if (n == 0)
    {
      g_set_error (error, TW_TREND_ERROR, TW_TREND_ERROR_PERIOD,
                   "an empty period is not a year");
      return FALSE;
    }
  *year = sum / n;
  return TRUE;
}

static double
poisson_deviance (double y,
                  double mu)
{
  return 2.0 * ((y > 0.0 ? y * log (y / mu) : 0.0) - (y - mu));
}

gboolean
tw_trend_fit_poisson (const double *years,
                      const double *y,
                      const double *n,
                      guint         n_points,
                      TwTrendFit   *fit)
{
  g_autofree double *mu = NULL, *eta = NULL, *weight = NULL;
  double mean_year = 0.0, sum_y = 0.0, min_year = INFINITY, max_year = -INFINITY;
  double first_event_year = NAN;
  gboolean events_in_two_years = FALSE;
  double b0 = 0.0, b1 = 0.0, i00 = 0.0, i01 = 0.0, i11 = 0.0, det = 0.0;
  double deviance_old = 0.0, pearson = 0.0;
  gboolean converged = FALSE;

  g_return_val_if_fail (fit != NULL, FALSE);
  g_return_val_if_fail (n_points == 0 || (years != NULL && y != NULL && n != NULL), FALSE);

  fit->slope = fit->se = fit->apc = fit->apc_lower = fit->apc_upper = NAN;
  fit->dispersion = NAN;
  for (guint i = 0; i < n_points; i++)
    {
      if (!(n[i] > 0.0) || !(y[i] >= 0.0) || !isfinite (years[i]) || !isfinite (y[i])
          || !isfinite (n[i]))
        return FALSE;
      mean_year += years[i];
      sum_y += y[i];
      min_year = MIN (min_year, years[i]);
      max_year = MAX (max_year, years[i]);
      if (y[i] > 0.0 && isnan (first_event_year))
        first_event_year = years[i];
      else if (y[i] > 0.0 && years[i] != first_event_year)
        events_in_two_years = TRUE;
    }
  /* Events in one year alone (or none): the likelihood grows without end as the slope does,
   * and R's glm stops wherever its deviance test happens to; there is no trend to give. */
  if (n_points < 2 || !(sum_y > 0.0) || !events_in_two_years)
    return FALSE;
  mean_year /= n_points;

  /* R's glm.fit, step for step, so that the figures are R's to their last digits:
   * iteratively reweighted least squares from mu = y + 0.1, until the deviance changes by
   * less than 1e-8 of itself; the dispersion and the covariance then use the working
   * weights of the last iteration (the mu before its update), as summary.glm does. The
   * years are centred, which moves only the intercept. */
  mu = g_new (double, n_points);
  eta = g_new (double, n_points);
  weight = g_new (double, n_points);
  for (guint i = 0; i < n_points; i++)
    {
      mu[i] = y[i] + 0.1;
      eta[i] = log (mu[i]);
      deviance_old += poisson_deviance (y[i], mu[i]);
    }
  for (guint iteration = 0; iteration < 25 && !converged; iteration++)
    {
      double s0 = 0.0, s1 = 0.0, deviance = 0.0;

      i00 = i01 = i11 = 0.0;
      for (guint i = 0; i < n_points; i++)
        {
          double x = years[i] - mean_year;
          double z = eta[i] - log (n[i]) + (y[i] - mu[i]) / mu[i];

          weight[i] = mu[i];
          i00 += weight[i];
          i01 += weight[i] * x;
          i11 += weight[i] * x * x;
          s0 += weight[i] * z;
          s1 += weight[i] * x * z;
        }
      det = i00 * i11 - i01 * i01;
      if (!(det > 0.0) || !isfinite (det))
        return FALSE;
      b0 = (i11 * s0 - i01 * s1) / det;
      b1 = (i00 * s1 - i01 * s0) / det;
      for (guint i = 0; i < n_points; i++)
        {
          eta[i] = b0 + b1 * (years[i] - mean_year) + log (n[i]);
          mu[i] = exp (eta[i]);
          deviance += poisson_deviance (y[i], mu[i]);
        }
      if (!isfinite (deviance))
        return FALSE;
      converged = fabs (deviance - deviance_old) / (fabs (deviance) + 0.1) < 1e-8;
      deviance_old = deviance;
    }
  if (!converged)
    return FALSE;

  for (guint i = 0; i < n_points; i++)
    {
      double residual = (y[i] - mu[i]) / mu[i];

      pearson += weight[i] * residual * residual;
    }
  fit->slope = b1;
  fit->apc = 100.0 * expm1 (b1);
  if (n_points > 2)
    {
      fit->dispersion = pearson / (n_points - 2);
      fit->se = sqrt (fit->dispersion * i00 / det);
      fit->apc_lower = 100.0 * expm1 (b1 - Z_95 * fit->se);
      fit->apc_upper = 100.0 * expm1 (b1 + Z_95 * fit->se);
    }
  return TRUE;
}

static void
series_free (gpointer data)
{
  Series *series = data;

  g_array_unref (series->years);
  g_array_unref (series->counts);
  g_array_unref (series->populations);
  g_free (series);
}

static int
compare_series (gconstpointer a,
                gconstpointer b)
{
  const Series *x = *(Series *const *) a, *y = *(Series *const *) b;

  return strcmp (x->geoid, y->geoid);
}

TwTrend *
tw_trend_compute (TwStore            *store,
                  const char         *measure,
                  const char *const  *periods,
                  const char         *stratum,
                  gint64              geography_id,
                  gboolean            reveal,
                  GCancellable       *cancellable,
                  GError            **error)
{
  g_autoptr(TwTrend) self = NULL;
  g_auto(GStrv) all_periods = NULL;
  g_autoptr(GHashTable) by_key = NULL;
  g_autoptr(GPtrArray) series = NULL;
  guint n_periods;

  g_return_val_if_fail (store != NULL && measure != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (periods == NULL)
    {
      gint64 measure_id = tw_store_resolve_measure (store, measure, error);

      if (measure_id < 0)
        return NULL;
      all_periods = tw_store_list_periods (store, measure_id, error);
      if (all_periods == NULL)
        return NULL;
      periods = (const char *const *) all_periods;
    }
  n_periods = g_strv_length ((GStrv) periods);
  if (n_periods < 2)
    {
      g_set_error (error, TW_TREND_ERROR, TW_TREND_ERROR_PERIOD,
                   "%s: a trend needs two periods or more of measure '%s' (there %s %u)",
                   tw_store_get_path (store), measure, n_periods == 1 ? "is" : "are",
                   n_periods);
      return NULL;
    }

  self = g_new0 (TwTrend, 1);
  self->strings = g_string_chunk_new (4096);
  self->rows = g_array_new (FALSE, FALSE, sizeof (TwTrendRow));
  by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  series = g_ptr_array_new_with_free_func (series_free);

  for (guint p = 0; p < n_periods; p++)
    {
      g_autoptr(TwRateTable) table = NULL;
      TwRateQuery query = { 0 };
      double year;

      if (!tw_period_to_year (periods[p], &year, error))
        return NULL;
      query.measure = measure;
      query.period = periods[p];
      query.stratum = stratum;
      query.geography_id = geography_id;
      query.method = TW_RATE_METHOD_CRUDE;
      query.reveal = reveal;
      table = tw_rate_table_compute (store, &query, NULL, cancellable, error);
      if (table == NULL)
        return NULL;

      for (guint i = 0; i < tw_rate_table_get_n_rows (table); i++)
        {
          const TwRateRow *row = tw_rate_table_get_row (table, i);
          g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT "\t%s", row->area_id,
                                                  row->stratum);
          Series *one = g_hash_table_lookup (by_key, key);

          if (one == NULL)
            {
              one = g_new0 (Series, 1);
              one->geoid = g_string_chunk_insert_const (self->strings, row->geoid);
              one->stratum = g_string_chunk_insert_const (self->strings, row->stratum);
              one->years = g_array_new (FALSE, FALSE, sizeof (double));
              one->counts = g_array_new (FALSE, FALSE, sizeof (double));
              one->populations = g_array_new (FALSE, FALSE, sizeof (double));
              g_ptr_array_add (series, one);
              g_hash_table_insert (by_key, g_steal_pointer (&key), one);
            }
          one->hidden |= tw_rate_row_is_suppressed (row);
          if (!(row->denominator > 0.0))
            continue;
          g_array_append_val (one->years, year);
          g_array_append_val (one->counts, row->numerator);
          g_array_append_val (one->populations, row->denominator);
        }
    }

  /* Stable: within an area its groups keep the order of the first period's table. */
  g_ptr_array_sort (series, compare_series);
  for (guint i = 0; i < series->len; i++)
    {
      Series *one = g_ptr_array_index (series, i);
      TwTrendRow row = { 0 };

      row.geoid = one->geoid;
      row.stratum = one->stratum;
      row.suppressed = one->hidden;
      row.events = NAN;
      row.fit.slope = row.fit.se = row.fit.apc = row.fit.apc_lower = row.fit.apc_upper = NAN;
      row.fit.dispersion = NAN;
      if (!one->hidden || reveal)
        {
          row.events = 0.0;
          for (guint p = 0; p < one->counts->len; p++)
            row.events += g_array_index (one->counts, double, p);
          tw_trend_fit_poisson ((double *) one->years->data, (double *) one->counts->data,
                                (double *) one->populations->data, one->counts->len,
                                &row.fit);
        }
      g_array_append_val (self->rows, row);
    }
  return g_steal_pointer (&self);
}

void
tw_trend_free (TwTrend *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_free (self);
}

guint
tw_trend_get_n_rows (TwTrend *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->rows->len;
}

const TwTrendRow *
tw_trend_get_row (TwTrend *self,
                  guint    index)
{
  g_return_val_if_fail (self != NULL && index < self->rows->len, NULL);
  return &g_array_index (self->rows, TwTrendRow, index);
}

/* Series for sparklines */

TwAreaSeries *
tw_area_series_compute (TwStore       *store,
                        TwAreaLayer   *layer,
                        const char    *measure,
                        const char    *stratum,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(TwAreaSeries) self = NULL;
  gint64 measure_id;

  g_return_val_if_fail (store != NULL && layer != NULL && measure != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((measure_id = tw_store_resolve_measure (store, measure, error)) < 0)
    return NULL;
  self = g_new0 (TwAreaSeries, 1);
  self->periods = tw_store_list_periods (store, measure_id, error);
  if (self->periods == NULL)
    return NULL;
  self->n_periods = g_strv_length (self->periods);
  self->n_areas = tw_area_layer_get_n_areas (layer);
  self->rates = g_new (double, MAX (self->n_areas * self->n_periods, 1));
  for (guint i = 0; i < self->n_areas * self->n_periods; i++)
    self->rates[i] = NAN;

  for (guint p = 0; p < self->n_periods; p++)
    {
      TwRateQuery query = { 0 };
      g_autoptr(TwRateTable) table = NULL;

      query.measure = measure;
      query.period = self->periods[p];
      query.stratum = stratum;
      query.geography_id = tw_area_layer_get_geography_id (layer);
      query.method = TW_RATE_METHOD_CRUDE;
      query.reveal = FALSE;
      table = tw_rate_table_compute (store, &query, NULL, cancellable, error);
      if (table == NULL)
        return NULL;
      for (guint r = 0; r < tw_rate_table_get_n_rows (table); r++)
        {
          const TwRateRow *row = tw_rate_table_get_row (table, r);
          int area = tw_area_layer_find_area_id (layer, row->area_id);

          if (area >= 0 && !tw_rate_row_is_suppressed (row))
            self->rates[(guint) area * self->n_periods + p] = row->rate;
        }
    }
  return g_steal_pointer (&self);
}

void
tw_area_series_free (TwAreaSeries *self)
{
  if (self == NULL)
    return;
  g_strfreev (self->periods);
  g_free (self->rates);
  g_free (self);
}
