/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-rates"

#include <math.h>

#include "tw-rates.h"
#include "tw-stats-dist.h"

/* The normal quantile of a two-sided 95% interval. */
#define Z_95 1.959963984540054

G_DEFINE_QUARK (tw-rates-error-quark, tw_rates_error)

static const char *const age_group_labels[TW_N_AGE_GROUPS + 1] = {
  "00", "01-04", "05-14", "15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84",
  "85+", NULL,
};

/* The US 2000 standard population (per million) in the 11 age groups NCHS uses:
 * Klein RJ, Schoenborn CA. Age adjustment using the 2000 projected U.S. population.
 * Healthy People 2010 Statistical Notes, no. 20. Hyattsville, MD: National Center for
 * Health Statistics, January 2001; Table 2, distribution #1. They sum to 1 000 000. */
static const double standard_population_2000[TW_N_AGE_GROUPS] = {
  13818, 55317, 145565, 138646, 135573, 162613, 134834, 87247, 66037, 44842, 15508,
};

gboolean
tw_rate_kind_from_string (const char *text,
                          TwRateKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  if (g_strcmp0 (text, "rate") == 0)
    *kind = TW_RATE_KIND_RATE;
  else if (g_strcmp0 (text, "proportion") == 0)
    *kind = TW_RATE_KIND_PROPORTION;
  else
    return FALSE;
  return TRUE;
}

static gboolean
level_is_valid (double level)
{
  return level > 0.0 && level < 1.0;
}

gboolean
tw_rate_interval_wilson (double  x,
                         double  n,
                         double  level,
                         double *lower,
                         double *upper)
{
  double z, t, p, q, a, discriminant;

  g_return_val_if_fail (lower != NULL && upper != NULL, FALSE);

  *lower = *upper = NAN;
  if (!(n > 0.0) || !isfinite (n) || !(x >= 0.0) || x > n || !level_is_valid (level))
    return FALSE;

  /* The limits are the roots of (1 + t) π² − (2p + t) π + p² = 0, t = z²/n. The textbook
   * centre ± half cancels when t is large (a denominator of 0.01 makes t = 384): take the
   * upper root, which adds positive terms, and the lower one from the product of the
   * roots, p² / (1 + t). The discriminant t (4pq + t) has no cancellation either. */
  z = tw_stats_normal_quantile (0.5 + 0.5 * level);
  t = z * z / n;
  p = x / n;
  q = (n - x) / n;
  a = 1.0 + t;
  discriminant = t * (4.0 * p * q + t);
  *upper = x == n ? 1.0 : MIN (1.0, (2.0 * p + t + sqrt (discriminant)) / (2.0 * a));
  *lower = x == 0.0 ? 0.0 : p * p / (a * *upper);
  return TRUE;
}

gboolean
tw_rate_interval_poisson (double  x,
                          double  n,
                          double  level,
                          double *lower,
                          double *upper)
{
  double alpha;

  g_return_val_if_fail (lower != NULL && upper != NULL, FALSE);

  *lower = *upper = NAN;
  if (!(n > 0.0) || !isfinite (n) || !(x >= 0.0) || !isfinite (x) || !level_is_valid (level))
    return FALSE;

  alpha = 1.0 - level;
  *lower = x == 0.0 ? 0.0 : tw_stats_gamma_quantile (0.5 * alpha, x) / n;
  *upper = tw_stats_gamma_quantile (1.0 - 0.5 * alpha, x + 1.0) / n;
  return TRUE;
}

/* The continued fraction of the regularized incomplete beta function I_x (a, b), evaluated
 * by the modified Lentz method; it converges fast for x < (a + 1) / (a + b + 2). */
static double
beta_fraction (double a,
               double b,
               double x)
{
  const double tiny = 1e-300;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0), h;

  if (fabs (d) < tiny)
    d = tiny;
  d = 1.0 / d;
  h = d;
  for (int m = 1; m <= 100000; m++)
    {
      double m2 = 2.0 * m, coefficient, delta;

      coefficient = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
      d = 1.0 + coefficient * d;
      c = 1.0 + coefficient / c;
      d = 1.0 / (fabs (d) < tiny ? tiny : d);
      c = fabs (c) < tiny ? tiny : c;
      h *= d * c;
      coefficient = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
      d = 1.0 + coefficient * d;
      c = 1.0 + coefficient / c;
      d = 1.0 / (fabs (d) < tiny ? tiny : d);
      c = fabs (c) < tiny ? tiny : c;
      delta = d * c;
      h *= delta;
      if (fabs (delta - 1.0) < 1e-15)
        break;
    }
  return h;
}

/* I_x (a, b), a, b > 0. */
static double
beta_cdf (double x,
          double a,
          double b)
{
  double front;

  if (x <= 0.0)
    return 0.0;
  if (x >= 1.0)
    return 1.0;
  front = exp (lgamma (a + b) - lgamma (a) - lgamma (b) + a * log (x) + b * log1p (-x));
  if (x < (a + 1.0) / (a + b + 2.0))
    return front * beta_fraction (a, b, x) / a;
  return 1.0 - front * beta_fraction (b, a, 1.0 - x) / b;
}

/* The @p quantile of the beta distribution (a, b), by bisection: the cdf is monotone, and
 * 200 halvings reach the last bit of a double anywhere in (0, 1). */
static double
beta_quantile (double p,
               double a,
               double b)
{
  double lo = 0.0, hi = 1.0;

  for (int i = 0; i < 200 && hi - lo > 0.0; i++)
    {
      double mid = 0.5 * (lo + hi);

      if (mid <= lo || mid >= hi)
        break;
      if (beta_cdf (mid, a, b) < p)
        lo = mid;
      else
        hi = mid;
    }
  return 0.5 * (lo + hi);
}

gboolean
tw_rate_interval_korn_graubard (double  p,
                                double  n_eff,
                                double  level,
                                double *lower,
                                double *upper)
{
  double alpha, x;

  g_return_val_if_fail (lower != NULL && upper != NULL, FALSE);

  *lower = *upper = NAN;
  if (!(p >= 0.0 && p <= 1.0) || !(n_eff > 0.0) || !isfinite (n_eff)
      || !level_is_valid (level))
    return FALSE;
  alpha = 1.0 - level;
  x = p * n_eff;
  *lower = x <= 0.0 ? 0.0 : beta_quantile (0.5 * alpha, x, n_eff - x + 1.0);
  *upper = x >= n_eff ? 1.0 : beta_quantile (1.0 - 0.5 * alpha, x + 1.0, n_eff - x);
  return TRUE;
}

double
tw_moe_sum (const double *estimates,
            const double *moes,
            guint         n)
{
  double sum = 0.0, largest_zero = 0.0;

  g_return_val_if_fail (moes != NULL || n == 0, NAN);

  for (guint i = 0; i < n; i++)
    {
      if (estimates != NULL && estimates[i] == 0.0)
        largest_zero = MAX (largest_zero, moes[i]);
      else
        sum += moes[i] * moes[i];
    }
  return sqrt (sum + largest_zero * largest_zero);
}

double
tw_moe_proportion (double x,
                   double moe_x,
                   double y,
                   double moe_y)
{
  double p, radicand;

  if (!(y > 0.0))
    return NAN;
  p = x / y;
  radicand = moe_x * moe_x - p * p * moe_y * moe_y;
  if (radicand < 0.0)
    return tw_moe_ratio (x, moe_x, y, moe_y);
  return sqrt (radicand) / y;
}

double
tw_moe_ratio (double x,
              double moe_x,
              double y,
              double moe_y)
{
  double r;

  if (!(y > 0.0))
    return NAN;
  r = x / y;
  return sqrt (moe_x * moe_x + r * r * moe_y * moe_y) / y;
}

double
tw_moe_product (double x,
                double moe_x,
                double y,
                double moe_y)
{
  return sqrt (x * x * moe_y * moe_y + y * y * moe_x * moe_x);
}

double
tw_rate_se_with_population_moe (double x,
                                double n,
                                double moe_n,
                                double multiplier)
{
  double se_n;

  if (!(n > 0.0) || !(x >= 0.0) || !(moe_n >= 0.0))
    return NAN;
  se_n = moe_n / TW_MOE_Z;
  /* r² (1/x + (SE_n/n)²) written as (x + x² (SE_n/n)²) / n², so x = 0 needs no case. */
  return multiplier * sqrt (x + x * x * (se_n / n) * (se_n / n)) / n;
}

void
tw_rate_interval_add_population_error (double  rate,
                                       double  population_rse,
                                       double  ceiling,
                                       double *lower,
                                       double *upper)
{
  double extra;

  g_return_if_fail (lower != NULL && upper != NULL);

  if (!(population_rse > 0.0) || !isfinite (rate) || isnan (*lower) || isnan (*upper))
    return;
  extra = Z_95 * rate * population_rse;
  *lower = MAX (0.0, rate - hypot (rate - *lower, extra));
  *upper = MIN (ceiling, rate + hypot (*upper - rate, extra));
}

TwRateEstimate
tw_rate_crude (TwRateKind kind,
               double     numerator,
               double     denominator,
               double     multiplier)
{
  TwRateEstimate estimate = { NAN, NAN, NAN };
  double lower, upper;
  gboolean ok;

  if (!(denominator > 0.0) || !(numerator >= 0.0))
    return estimate;

  if (kind == TW_RATE_KIND_PROPORTION)
    ok = tw_rate_interval_wilson (numerator, denominator, 0.95, &lower, &upper);
  else
    ok = tw_rate_interval_poisson (numerator, denominator, 0.95, &lower, &upper);

  estimate.rate = numerator / denominator * multiplier;
  if (ok)
    {
      estimate.lower = lower * multiplier;
      estimate.upper = upper * multiplier;
    }
  return estimate;
}

const char *const *
tw_age_group_labels (void)
{
  return age_group_labels;
}

int
tw_age_group_index (const char *label)
{
  if (label == NULL)
    return -1;
  for (int i = 0; i < TW_N_AGE_GROUPS; i++)
    if (g_str_equal (label, age_group_labels[i]))
      return i;
  return -1;
}

double
tw_age_group_standard_weight (int index)
{
  g_return_val_if_fail (index >= 0 && index < TW_N_AGE_GROUPS, NAN);
  return standard_population_2000[index] / 1e6;
}

gboolean
tw_rate_standardized_moments (const double *numerators,
                              const double *denominators,
                              const double *weights,
                              guint         n_groups,
                              double        multiplier,
                              double       *rate,
                              double       *variance,
                              double       *weight_max)
{
  double y = 0.0, v = 0.0, w_max = 0.0;

  g_return_val_if_fail (numerators != NULL && denominators != NULL && weights != NULL, FALSE);
  g_return_val_if_fail (rate != NULL && variance != NULL && weight_max != NULL, FALSE);

  *rate = *variance = *weight_max = NAN;
  if (n_groups == 0 || !(multiplier > 0.0) || !isfinite (multiplier))
    return FALSE;
  for (guint i = 0; i < n_groups; i++)
    {
      double x = numerators[i], n = denominators[i], w = weights[i];

      if (!(n > 0.0) || !(x >= 0.0) || !(w >= 0.0)
          || !isfinite (n) || !isfinite (x) || !isfinite (w))
        return FALSE;
      y += w * x / n;
      v += w * w * x / (n * n);
      w_max = MAX (w_max, w / n);
    }
  *rate = y * multiplier;
  *variance = v * multiplier * multiplier;
  *weight_max = w_max * multiplier;
  return TRUE;
}

void
tw_rate_fay_feuer_interval (double  rate,
                            double  variance,
                            double  weight_max,
                            double  level,
                            double *lower,
                            double *upper)
{
  double alpha = 1.0 - level, y = rate, v = variance, w = weight_max;

  g_return_if_fail (lower != NULL && upper != NULL);

  *lower = *upper = NAN;
  if (!(y >= 0.0) || !(v >= 0.0) || !(w >= 0.0) || !isfinite (y) || !isfinite (v)
      || !isfinite (w) || !level_is_valid (level))
    return;
  *lower = y > 0.0 ? tw_stats_gamma_quantile (0.5 * alpha, y * y / v) * (v / y) : 0.0;
  *upper = tw_stats_gamma_quantile (1.0 - 0.5 * alpha, (y + w) * (y + w) / (v + w * w))
           * ((v + w * w) / (y + w));
}

double
tw_rate_f_quantile (double p,
                    double df1,
                    double df2)
{
  double x;

  if (!(p >= 0.0 && p <= 1.0) || !(df1 > 0.0) || !(df2 > 0.0) || !isfinite (df1)
      || !isfinite (df2))
    return NAN;
  if (p == 1.0)
    return INFINITY;
  x = beta_quantile (p, 0.5 * df1, 0.5 * df2);
  return df2 / df1 * x / (1.0 - x);
}

/* Fay MP, Feuer EJ. Confidence intervals for directly standardized rates: a method based on
 * the gamma distribution. Stat Med 1997;16(7):791–801. With y = Σ w_i x_i / n_i,
 * v = Σ w_i² x_i / n_i² and w_M = max w_i / n_i:
 *   lower = Gamma⁻¹(α/2; shape y²/v, scale v/y)                 (0 when y = 0)
 *   upper = Gamma⁻¹(1 − α/2; shape (y + w_M)²/(v + w_M²), scale (v + w_M²)/(y + w_M)) */
gboolean
tw_rate_direct_standardized (const double   *numerators,
                             const double   *denominators,
                             const double   *weights,
                             guint           n_groups,
                             double          level,
                             TwRateEstimate *estimate)
{
  double v, w_max;

  g_return_val_if_fail (numerators != NULL && denominators != NULL && weights != NULL, FALSE);
  g_return_val_if_fail (estimate != NULL, FALSE);
  g_return_val_if_fail (n_groups > 0, FALSE);

  estimate->rate = estimate->lower = estimate->upper = NAN;
  if (!level_is_valid (level)
      || !tw_rate_standardized_moments (numerators, denominators, weights, n_groups, 1.0,
                                        &estimate->rate, &v, &w_max))
    return FALSE;
  tw_rate_fay_feuer_interval (estimate->rate, v, w_max, level, &estimate->lower,
                              &estimate->upper);
  return TRUE;
}

gboolean
tw_rate_age_adjusted (const double    *numerators,
                      const double    *denominators,
                      const gboolean  *present,
                      double           multiplier,
                      TwRateEstimate  *estimate,
                      GStrv           *missing,
                      GError         **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) labels = NULL;
  double weights[TW_N_AGE_GROUPS];
  guint n_missing = 0;

  g_return_val_if_fail (numerators != NULL && denominators != NULL && present != NULL, FALSE);
  g_return_val_if_fail (estimate != NULL, FALSE);

  estimate->rate = estimate->lower = estimate->upper = NAN;
  if (missing != NULL)
    *missing = NULL;

  for (int i = 0; i < TW_N_AGE_GROUPS; i++)
    {
      if (!present[i] || !(denominators[i] > 0.0))
        {
          g_strv_builder_add (builder, age_group_labels[i]);
          n_missing++;
        }
      else if (!(numerators[i] >= 0.0) || !isfinite (numerators[i])
               || !isfinite (denominators[i]))
        {
          g_set_error (error, TW_RATES_ERROR, TW_RATES_ERROR_INVALID,
                       "age group %s has %g events in a population of %g; a count must be "
                       "a finite number of 0 or more", age_group_labels[i], numerators[i],
                       denominators[i]);
          return FALSE;
        }
      weights[i] = tw_age_group_standard_weight (i);
    }

  labels = g_strv_builder_end (builder);
  if (n_missing > 0)
    {
      g_autofree char *list = g_strjoinv (", ", labels);

      g_set_error (error, TW_RATES_ERROR, TW_RATES_ERROR_MISSING_AGE_GROUPS,
                   "age group%s %s missing or without population; age adjustment needs "
                   "all 11 (import a group without events with numerator 0)",
                   n_missing > 1 ? "s" : "", list);
      if (missing != NULL)
        *missing = g_steal_pointer (&labels);
      return FALSE;
    }

  if (!tw_rate_direct_standardized (numerators, denominators, weights, TW_N_AGE_GROUPS, 0.95,
                                    estimate))
    {
      g_set_error_literal (error, TW_RATES_ERROR, TW_RATES_ERROR_INVALID,
                           "the age-specific counts cannot be standardised");
      return FALSE;
    }
  estimate->rate *= multiplier;
  estimate->lower *= multiplier;
  estimate->upper *= multiplier;
  return TRUE;
}

static double
rate_spread (const double *events,
             const double *population,
             guint         n_areas)
{
  double largest = 0.0;

  for (guint i = 0; i < n_areas; i++)
    largest = MAX (largest, events[i] / population[i]);
  return largest;
}

gboolean
tw_rate_eb_global (const double  *events,
                   const double  *population,
                   guint          n_areas,
                   double        *estimates,
                   double        *prior_mean,
                   double        *prior_variance,
                   GError       **error)
{
  double sum_events = 0.0, sum_population = 0.0, b, s2 = 0.0, a;

  g_return_val_if_fail (events != NULL && population != NULL && estimates != NULL, FALSE);

  if (n_areas == 0)
    {
      g_set_error_literal (error, TW_RATES_ERROR, TW_RATES_ERROR_INVALID,
                           "no areas to smooth");
      return FALSE;
    }

  for (guint i = 0; i < n_areas; i++)
    {
      if (!(population[i] > 0.0) || !(events[i] >= 0.0) || !isfinite (population[i])
          || !isfinite (events[i]))
        {
          g_set_error (error, TW_RATES_ERROR, TW_RATES_ERROR_INVALID,
                       "Empirical Bayes smoothing needs a positive population and a count "
                       "of at least 0 in every area (area %u of %u has %g events in %g)",
                       i + 1, n_areas, events[i], population[i]);
          return FALSE;
        }
      sum_events += events[i];
      sum_population += population[i];
    }
  if (!isfinite (sum_events) || !isfinite (sum_population))
    {
      g_set_error (error, TW_RATES_ERROR, TW_RATES_ERROR_INVALID,
                   "Empirical Bayes smoothing: the counts (%g) or populations (%g) add up to "
                   "more than a number can hold", sum_events, sum_population);
      return FALSE;
    }

  b = sum_events / sum_population;
  for (guint i = 0; i < n_areas; i++)
    {
      double d = events[i] / population[i] - b;

      s2 += population[i] * (d * d / sum_population);
    }
  if (!isfinite (s2))
    {
      g_set_error (error, TW_RATES_ERROR, TW_RATES_ERROR_INVALID,
                   "Empirical Bayes smoothing: rates of up to %g per person spread too far "
                   "for their variance to be a number", rate_spread (events, population,
                                                                      n_areas));
      return FALSE;
    }
  a = s2 - b / (sum_population / n_areas);
  if (!(a > 0.0))
    a = 0.0;

  /* Without spread every area is shrunk to b; spdep gives NaN (0 / 0) when b is 0 too,
   * where every count is 0 and so is every rate. */
  for (guint i = 0; i < n_areas; i++)
    estimates[i] = a > 0.0
                   ? b + (a * (events[i] / population[i] - b)) / (a + b / population[i])
                   : b;

  if (prior_mean != NULL)
    *prior_mean = b;
  if (prior_variance != NULL)
    *prior_variance = a;
  return TRUE;
}

gboolean
tw_rate_eb_interval (double  events,
                     double  population,
                     double  prior_mean,
                     double  prior_variance,
                     double  pooled_events,
                     double  pooled_population,
                     double *lower,
                     double *upper)
{
  double shape, rate;

  g_return_val_if_fail (lower != NULL && upper != NULL, FALSE);

  *lower = *upper = NAN;
  if (!(prior_variance > 0.0) || !(prior_mean > 0.0))
    return tw_rate_interval_poisson (pooled_events, pooled_population, 0.95, lower, upper);
  if (!(population > 0.0) || !(events >= 0.0) || !isfinite (population) || !isfinite (events)
      || !isfinite (prior_mean) || !isfinite (prior_variance))
    return FALSE;

  shape = prior_mean * prior_mean / prior_variance + events;
  rate = prior_mean / prior_variance + population;
  if (!isfinite (shape) || !isfinite (rate))
    return FALSE;
  *lower = tw_stats_gamma_quantile (0.025, shape) / rate;
  *upper = tw_stats_gamma_quantile (0.975, shape) / rate;
  return TRUE;
}
