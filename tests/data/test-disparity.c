/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-disparity"

#include <math.h>

#include "tw-disparity.h"
#include "tw-suppression.h"

#define Z 1.959963984540054

static void
assert_close (double got,
              double want,
              double tolerance)
{
  if (!(fabs (got - want) <= tolerance * MAX (1.0, fabs (want))))
    g_error ("got %.12g, want %.12g", got, want);
}

/* Two independent groups: the textbook log rate ratio, SE = sqrt (1/x1 + 1/x2). Rothman,
 * Modern Epidemiology (breast cancer after fluoroscopy): 41 events in 28 010 person-years against 15 in
 * 19 017 gives IRR 1.86 (95% CI 1.03–3.35). */
static void
test_rate_ratio_independent (void)
{
  TwDisparity d;

  tw_disparity_compare (TW_RATE_KIND_RATE, 41, 28010, 15, 19017, FALSE, 1e4, &d);
  assert_close (d.ratio, (41.0 / 28010) / (15.0 / 19017), 1e-12);
  assert_close (d.ratio_lower, d.ratio * exp (-Z * sqrt (1.0 / 41 + 1.0 / 15)), 1e-12);
  assert_close (d.ratio_upper, d.ratio * exp (Z * sqrt (1.0 / 41 + 1.0 / 15)), 1e-12);
  g_assert_cmpfloat (fabs (d.ratio - 1.86), <, 0.005);
  g_assert_cmpfloat (fabs (d.ratio_lower - 1.03), <, 0.005);
  g_assert_cmpfloat (fabs (d.ratio_upper - 3.35), <, 0.005);
  /* Difference per 10 000: 14.64 − 7.89 = 6.75, SE from the two Poisson variances. */
  assert_close (d.difference, (41.0 / 28010 - 15.0 / 19017) * 1e4, 1e-12);
  assert_close (d.difference_upper - d.difference,
                Z * sqrt (41.0 / (28010.0 * 28010) + 15.0 / (19017.0 * 19017)) * 1e4, 1e-12);
}

/* Against `all`, the group is part of the total: Var ln RR = 1/x_g − 1/x_all. */
static void
test_rate_ratio_nested (void)
{
  TwDisparity d, independent;

  tw_disparity_compare (TW_RATE_KIND_RATE, 120, 25000, 300, 100000, TRUE, 1e5, &d);
  tw_disparity_compare (TW_RATE_KIND_RATE, 120, 25000, 300, 100000, FALSE, 1e5, &independent);
  assert_close (d.ratio, 1.6, 1e-12);
  assert_close (d.ratio_upper, 1.6 * exp (Z * sqrt (1.0 / 120 - 1.0 / 300)), 1e-12);
  g_assert_cmpfloat (d.ratio_upper - d.ratio_lower, <,
                     independent.ratio_upper - independent.ratio_lower);

  /* A group that is the whole total has no uncertainty relative to it. */
  tw_disparity_compare (TW_RATE_KIND_RATE, 50, 1000, 50, 1000, TRUE, 1, &d);
  assert_close (d.ratio, 1.0, 1e-12);
  assert_close (d.ratio_lower, 1.0, 1e-12);
  assert_close (d.difference_lower, 0.0, 1e-12);
}

/* The nested variance by simulation: Poisson groups, ln (r_g / r_all) over many draws. */
static void
test_nested_variance_simulated (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  const double mean_g = 200, mean_o = 600;
  double sum = 0, sum2 = 0, expected;
  const int draws = 40000;

  for (int i = 0; i < draws; i++)
    {
      /* Normal approximations of Poisson draws, large means. */
      double u1 = g_rand_double (rand), u2 = g_rand_double (rand);
      double u3 = g_rand_double (rand), u4 = g_rand_double (rand);
      double xg = mean_g + sqrt (mean_g) * sqrt (-2 * log (u1 + 1e-300)) * cos (2 * G_PI * u2);
      double xo = mean_o + sqrt (mean_o) * sqrt (-2 * log (u3 + 1e-300)) * cos (2 * G_PI * u4);
      double v = log (xg / (xg + xo));

      sum += v;
      sum2 += v * v;
    }
  expected = 1.0 / mean_g - 1.0 / (mean_g + mean_o);
  assert_close ((sum2 - sum * sum / draws) / (draws - 1), expected, 0.05);
}

static void
test_proportions (void)
{
  TwDisparity d;
  double p1 = 30.0 / 200, p2 = 45.0 / 600;

  tw_disparity_compare (TW_RATE_KIND_PROPORTION, 30, 200, 45, 600, FALSE, 100, &d);
  assert_close (d.ratio, p1 / p2, 1e-12);
  /* Katz: SE ln RR = sqrt (1/x1 − 1/n1 + 1/x2 − 1/n2). */
  assert_close (d.ratio_upper,
                d.ratio * exp (Z * sqrt (1.0 / 30 - 1.0 / 200 + 1.0 / 45 - 1.0 / 600)), 1e-12);
  assert_close (d.difference, (p1 - p2) * 100, 1e-12);
  assert_close (d.difference_upper,
                (p1 - p2 + Z * sqrt (p1 * (1 - p1) / 200 + p2 * (1 - p2) / 600)) * 100, 1e-12);
}

static void
test_undefined (void)
{
  TwDisparity d;

  tw_disparity_compare (TW_RATE_KIND_RATE, 0, 1000, 20, 5000, TRUE, 1000, &d);
  g_assert_cmpfloat (d.ratio, ==, 0.0);
  g_assert_true (isnan (d.ratio_lower) && isnan (d.ratio_upper));
  g_assert_false (isnan (d.difference_lower));

  tw_disparity_compare (TW_RATE_KIND_RATE, 3, 1000, 0, 5000, FALSE, 1000, &d);
  g_assert_true (isnan (d.ratio));

  tw_disparity_compare (TW_RATE_KIND_RATE, 3, 0, 10, 5000, FALSE, 1000, &d);
  g_assert_true (isnan (d.ratio) && isnan (d.difference));
}

static void
test_shares (void)
{
  double e, n;

  tw_disparity_shares (149, 32000, 400, 150000, &e, &n);
  assert_close (e, 149.0 / 400, 1e-14);
  assert_close (n, 32000.0 / 150000, 1e-14);
  tw_disparity_shares (0, 10, 0, 100, &e, &n);
  g_assert_true (isnan (e));
}

/* Random areas: whatever the policy hides, no ratio is computed from a hidden count by a
 * caller that follows tw-suppression.h; and the reference being hidden hides the ratios. */
static void
test_random_policy (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (99);
  TwSuppressionPolicy policy;

  tw_suppression_policy_init (&policy);
  for (int t = 0; t < 5000; t++)
    {
      TwSuppressionCell cells[5] = { { 0 } };
      double total = 0;

      for (int i = 1; i < 5; i++)
        {
          cells[i].numerator = g_rand_int_range (rand, 0, 40);
          total += cells[i].numerator;
        }
      cells[0].numerator = total;
      cells[0].is_total = TRUE;
      tw_suppression_apply_area (&policy, cells, 5);
      for (int i = 1; i < 5; i++)
        {
          gboolean shown = cells[i].reason == TW_SUPPRESSION_SHOWN
                           && cells[0].reason == TW_SUPPRESSION_SHOWN;

          /* A ratio is shown only from two shown counts, and those are never small. */
          if (shown)
            {
              g_assert_false (tw_suppression_is_small (&policy, cells[i].numerator));
              g_assert_false (tw_suppression_is_small (&policy, cells[0].numerator));
            }
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/disparity/ratio/independent", test_rate_ratio_independent);
  g_test_add_func ("/data/disparity/ratio/nested", test_rate_ratio_nested);
  g_test_add_func ("/data/disparity/ratio/nested-simulated", test_nested_variance_simulated);
  g_test_add_func ("/data/disparity/proportions", test_proportions);
  g_test_add_func ("/data/disparity/undefined", test_undefined);
  g_test_add_func ("/data/disparity/shares", test_shares);
  g_test_add_func ("/data/disparity/random-policy", test_random_policy);

  return g_test_run ();
}
