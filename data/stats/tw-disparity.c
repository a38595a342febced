/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-disparity"

#include <math.h>

#include "tw-disparity.h"
#include "tw-stats-dist.h"

/* A variance a little below zero is rounding; a clearly negative one means the group is
 * not part of the reference after all, and no interval is given. */
static double
checked_variance (double variance,
                  double scale)
{
  if (variance >= 0.0)
    return variance;
  if (variance > -1e-12 * scale)
    return 0.0;
  return NAN;
}

void
tw_disparity_compare (TwRateKind   kind,
                      double       x,
                      double       n,
                      double       x_ref,
                      double       n_ref,
                      gboolean     nested,
                      double       multiplier,
                      TwDisparity *disparity)
{
  double z = tw_stats_normal_quantile (0.975);
  double c = nested ? 1.0 : 0.0;
  double r, r_ref, variance, scale, se;

  g_return_if_fail (disparity != NULL);

  disparity->ratio = disparity->ratio_lower = disparity->ratio_upper = NAN;
  disparity->difference = disparity->difference_lower = disparity->difference_upper = NAN;

  if (!(n > 0.0) || !(n_ref > 0.0) || !(x >= 0.0) || !(x_ref >= 0.0))
    return;
  if (kind == TW_RATE_KIND_PROPORTION && (x > n || x_ref > n_ref))
    return;

  r = x / n;
  r_ref = x_ref / n_ref;

  /* The difference. */
  if (kind == TW_RATE_KIND_PROPORTION)
    {
      double v = r * (1.0 - r), v_ref = r_ref * (1.0 - r_ref);

      variance = v / n + v_ref / n_ref - 2.0 * c * v / n_ref;
      scale = v / n + v_ref / n_ref;
    }
  else
    {
      variance = x / (n * n) + x_ref / (n_ref * n_ref) - 2.0 * c * x / (n * n_ref);
      scale = x / (n * n) + x_ref / (n_ref * n_ref);
    }
  se = sqrt (checked_variance (variance, scale));
  disparity->difference = (r - r_ref) * multiplier;
  if (!isnan (se))
    {
      disparity->difference_lower = (r - r_ref - z * se) * multiplier;
      disparity->difference_upper = (r - r_ref + z * se) * multiplier;
    }

  /* The ratio. */
  if (x_ref == 0.0)
    return;
  disparity->ratio = r / r_ref;
  if (x == 0.0)
    return;

  {
    double f = kind == TW_RATE_KIND_PROPORTION ? 1.0 - r : 1.0;
    double f_ref = kind == TW_RATE_KIND_PROPORTION ? 1.0 - r_ref : 1.0;

    variance = f / x + f_ref / x_ref - 2.0 * c * f / x_ref;
    scale = f / x + f_ref / x_ref;
    se = sqrt (checked_variance (variance, scale));
    if (!isnan (se))
      {
        disparity->ratio_lower = disparity->ratio * exp (-z * se);
        disparity->ratio_upper = disparity->ratio * exp (z * se);
      }
  }
}

void
tw_disparity_shares (double  x,
                     double  n,
                     double  total_x,
                     double  total_n,
                     double *share_of_events,
                     double *share_of_denominator)
{
  g_return_if_fail (share_of_events != NULL && share_of_denominator != NULL);

  *share_of_events = total_x > 0.0 ? x / total_x : NAN;
  *share_of_denominator = total_n > 0.0 ? n / total_n : NAN;
}
