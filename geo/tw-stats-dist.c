/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-stats-dist"

#include <math.h>
#include <float.h>

#include "tw-stats-dist.h"

#define LN_SQRT_2PI 0.91893853320467274178
#define EPSILON 1e-16
#define TINY 1e-300

/* The Stirling remainder lgamma(a) − [(a − ½) ln a − a + ½ ln 2π]; only called for a ≥ 10,
 * where these four terms are exact to double precision. */
static double
stirling_remainder (double a)
{
  double a2 = a * a;

  return (1.0 / 12.0 - (1.0 / 360.0 - (1.0 / 1260.0 - 1.0 / (1680.0 * a2)) / a2) / a2) / a;
}

/* ln (x^a e^−x / Γ(a)), the common factor of both expansions; −∞ at x = 0, where the
 * factor vanishes. For large a the naive sum of three large terms cancels badly, so it is
 * rewritten around x = a. */
static double
log_prefactor (double a,
               double x)
{
  if (!(x > 0.0))
    return -INFINITY;

  if (a < 10.0)
    return a * log (x) - x - lgamma (a);
  else
    {
      /* log1p (d) keeps its digits only while 1 + d is not small: far below a (the
       * lower limit of a count of 10.6 at x = 1e-10) the ratio itself is exact. */
      double d = (x - a) / a;
      double log_ratio = fabs (d) < 0.5 ? log1p (d) : log (x / a);

      return a * (log_ratio - d) + 0.5 * log (a) - LN_SQRT_2PI - stirling_remainder (a);
    }
}

static guint
max_terms (double a)
{
  return 1000 + (guint) (50.0 * sqrt (a));
}

/* P(a, x) by its power series, for x < a + 1. */
static double
gamma_p_series (double a,
                double x)
{
  double term = 1.0 / a;
  double sum = term;
  double ap = a;
  guint limit = max_terms (a);

  for (guint n = 0; n < limit; n++)
    {
      ap += 1.0;
      term *= x / ap;
      sum += term;
      if (fabs (term) < fabs (sum) * EPSILON)
        break;
    }

  return sum * exp (log_prefactor (a, x));
}

/* P and Q for a shape below 1 and x < a + 1 (< 2), where Q = 1 − P would lose the
 * digits of a small Q (an apportioned count of 0.0003 has P(a, x) ≈ 1 for most x). With
 * u = x^a / Γ(a + 1) and S = Σ_{n≥1} (−x)^n / (n! (a + n)):
 *   P = u (1 + a S),   Q = (1 − u) − u a S,   1 − u = −expm1 (a ln x − lnΓ(1 + a)). */
static void
gamma_small_shape (double  a,
                   double  x,
                   double *p,
                   double *q)
{
  double log_u = a * log (x) - lgamma (1.0 + a);
  double u = exp (log_u);
  double term = 1.0, sum = 0.0;

  for (guint n = 1; n < 200; n++)
    {
      double t;

      term *= -x / n;
      t = term / (a + n);
      sum += t;
      if (fabs (t) <= fabs (sum) * EPSILON)
        break;
    }

  if (p != NULL)
    *p = u * (1.0 + a * sum);
  if (q != NULL)
    *q = -expm1 (log_u) - u * a * sum;
}

/* Q(a, x) by its continued fraction (modified Lentz), for x ≥ a + 1. */
static double
gamma_q_fraction (double a,
                  double x)
{
  double b = x + 1.0 - a;
  double c = 1.0 / TINY;
  double d = 1.0 / b;
  double h = d;
  guint limit = max_terms (a);

  for (guint i = 1; i < limit; i++)
    {
      double an = -(double) i * ((double) i - a);
      double delta;

      b += 2.0;
      d = an * d + b;
      if (fabs (d) < TINY)
        d = TINY;
      c = b + an / c;
      if (fabs (c) < TINY)
        c = TINY;
      d = 1.0 / d;
      delta = d * c;
      h *= delta;
      if (fabs (delta - 1.0) < EPSILON)
        break;
    }

  return h * exp (log_prefactor (a, x));
}

double
tw_stats_gamma_p (double a,
                  double x)
{
  double p;

  if (isnan (a) || isnan (x) || a <= 0.0 || x < 0.0 || isinf (a))
    return NAN;
  if (x == 0.0)
    return 0.0;
  if (isinf (x))
    return 1.0;
  if (x < a + 1.0)
    {
      if (a >= 1.0)
        return gamma_p_series (a, x);
      gamma_small_shape (a, x, &p, NULL);
      return p;
    }
  return 1.0 - gamma_q_fraction (a, x);
}

double
tw_stats_gamma_q (double a,
                  double x)
{
  double q;

  if (isnan (a) || isnan (x) || a <= 0.0 || x < 0.0 || isinf (a))
    return NAN;
  if (x == 0.0)
    return 1.0;
  if (isinf (x))
    return 0.0;
  if (x < a + 1.0)
    {
      if (a >= 1.0)
        return 1.0 - gamma_p_series (a, x);
      gamma_small_shape (a, x, NULL, &q);
      return q;
    }
  return gamma_q_fraction (a, x);
}

/* A starting point for the gamma quantile: Wilson–Hilferty for a > 1, the tail expansions
 * P ≈ x^a / Γ(a + 1) and Q ≈ x^(a−1) e^−x / Γ(a) otherwise. */
static double
gamma_quantile_guess (double p,
                      double q,
                      double a)
{
  double x;

  if (a > 1.0)
    {
      double z = tw_stats_normal_quantile (p);
      double c = 1.0 - 1.0 / (9.0 * a) + z / (3.0 * sqrt (a));

      x = a * c * c * c;
      if (x > 0.0)
        return x;
    }
  else if (p > 0.5)
    {
      x = -log (q) - lgamma (a);
      if (x > 1.0)
        return x;
    }

  x = exp ((log (p) + lgamma (a + 1.0)) / a);
  return x > 0.0 ? x : DBL_MIN;
}

double
tw_stats_gamma_quantile (double p,
                         double a)
{
  double q, x, log_floor, lo, hi = INFINITY;
  gboolean lower_tail;

  if (isnan (p) || isnan (a) || p < 0.0 || p > 1.0 || a <= 0.0 || isinf (a))
    return NAN;
  if (p == 0.0)
    return 0.0;
  if (p == 1.0)
    return INFINITY;

  /* P(a, x) ≤ x^a / Γ(a + 1), with equality to double precision while x is below about
   * 1e-300, so this x is a lower bound of the quantile and, that far down, the quantile
   * itself. A count of 0.0003 has a lower limit near 10^−5000: it underflows to 0 (or a
   * subnormal), as in R's qgamma, without iterating at the edge of the doubles. */
  log_floor = (log (p) + lgamma (a + 1.0)) / a;
  if (log_floor < -690.0)
    return exp (log_floor);
  lo = exp (log_floor);

  /* The series and the continued fraction take O(√a) terms: at a shape of 1e14 (an EB
   * prior variance near 0) seconds a call. Past 1e8, Wilson–Hilferty's error, which falls
   * as a^−3/2, is below 3e-12 for 1e-10 ≤ p ≤ 1 − 1e-10, as R's qgamma shows. */
  if (a > 1e8)
    {
      double z = tw_stats_normal_quantile (p);
      double c = 1.0 - 1.0 / (9.0 * a) + z / (3.0 * sqrt (a));

      if (c > 0.0)
        return a * c * c * c;
    }

  q = 1.0 - p;
  /* Solve on the smaller tail so the residual keeps its relative precision. */
  lower_tail = p <= 0.5;
  x = MAX (gamma_quantile_guess (p, q, a), lo);

  for (guint iteration = 0; iteration < 200; iteration++)
    {
      double f, density, step, next, curvature;

      f = lower_tail ? tw_stats_gamma_p (a, x) - p : q - tw_stats_gamma_q (a, x);
      if (f == 0.0)
        return x;
      if (f < 0.0)
        lo = x;
      else
        hi = x;

      density = exp (log_prefactor (a, x)) / x;
      if (density > 0.0 && isfinite (density))
        {
          /* Halley: the density's log-derivative is (a − 1)/x − 1. */
          step = f / density;
          curvature = (a - 1.0) / x - 1.0;
          if (fabs (0.5 * step * curvature) < 1.0)
            step /= 1.0 - 0.5 * step * curvature;
          next = x - step;
        }
      else
        next = NAN;

      if (!(next > lo && next < hi))
        {
          /* The step left the bracket: bisect it, geometrically while it spans decades;
           * lo stays positive, so no iterate reaches 0. */
          if (isinf (hi))
            next = 2.0 * x;
          else if (hi / lo < 4.0)
            next = 0.5 * (lo + hi);
          else
            next = sqrt (lo * hi);
        }

      if (fabs (next - x) <= 1e-15 * x)
        return next;
      x = next;
    }

  return x;
}

double
tw_stats_chisq_quantile (double p,
                         double df)
{
  if (isnan (df) || df <= 0.0)
    return NAN;
  return 2.0 * tw_stats_gamma_quantile (p, 0.5 * df);
}

double
tw_stats_normal_cdf (double z)
{
  if (isnan (z))
    return NAN;
  return 0.5 * erfc (-z * M_SQRT1_2);
}

/* Acklam's rational approximation (relative error 1.15e−9), then one Halley step on
 * Φ(x) − p through erfc, which brings it to full double precision. */
double
tw_stats_normal_quantile (double p)
{
  static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
                              -2.759285104469687e+02, 1.383577518672690e+02,
                              -3.066479806614716e+01, 2.506628277459239e+00 };
  static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
                              -1.556989798598866e+02, 6.680131188771972e+01,
                              -1.328068155288572e+01 };
  static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
                              -2.400758277161838e+00, -2.549732539343734e+00,
                              4.374664141464968e+00, 2.938163982698783e+00 };
  static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
                              2.445134137142996e+00, 3.754408661907416e+00 };
  const double p_low = 0.02425;
  double x, pp, e, u;
  gboolean upper;

  if (isnan (p) || p < 0.0 || p > 1.0)
    return NAN;
  if (p == 0.0)
    return -INFINITY;
  if (p == 1.0)
    return INFINITY;

  /* Work in the lower half; the upper half follows by symmetry. */
  upper = p > 0.5;
  pp = upper ? 1.0 - p : p;

  if (pp < p_low)
    {
      double r = sqrt (-2.0 * log (pp));

      x = (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5])
          / ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1.0);
    }
  else
    {
      double r = pp - 0.5;
      double s = r * r;

      x = (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r
          / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1.0);
    }

  e = 0.5 * erfc (-x * M_SQRT1_2) - pp;
  u = e * sqrt (2.0 * G_PI) * exp (0.5 * x * x);
  x = x - u / (1.0 + 0.5 * x * u);

  return upper ? -x : x;
}
