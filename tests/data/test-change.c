/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-change"

#include <math.h>
#include <string.h>

#include "tw-change.h"
#include "tw-trend.h"

static void
assert_close (double got,
              double want)
{
  if (!(fabs (got - want) <= 1e-9 * MAX (1.0, fabs (want))))
    g_error ("got %.17g, want %.17g", got, want);
}

static void
test_period_years (void)
{
  const struct { const char *period; double year; } good[] = {
    { "2019", 2019 }, { "2019-2021", 2020 }, { "1979-1984", 1981.5 },
    { "2019+2020", 2019.5 }, { "2017+2019-2021", 2018.5 },
  };
  const char *bad[] = { "FY2019", "19", "2019-", "2021-2019", "2019+", "", "2019 ", "２０１９" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      double year = 0.0;

      g_assert_true (tw_period_to_year (good[i].period, &year, &error));
      g_assert_no_error (error);
      assert_close (year, good[i].year);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      double year = 0.0;

      g_assert_false (tw_period_to_year (bad[i], &year, &error));
      g_assert_error (error, TW_TREND_ERROR, TW_TREND_ERROR_PERIOD);
      if (bad[i][0] != '\0')
        g_assert_nonnull (strstr (error->message, bad[i]));
    }
}

/* R 4.2.2: glm (y ~ year + offset (log (n)), family = quasipoisson) with
 * y = 0, 3, 0, 7, 12, n = 1000 each, year = 2017 … 2021 (zero counts in the fit):
 * summary (fit)$coefficients["year", 1:2] printed with %.17g. */
#define R_SLOPE 0.79545171830973149
#define R_SE 0.31151752059977711
static void
test_trend_zero_counts (void)
{
  const double years[] = { 2017, 2018, 2019, 2020, 2021 };
  const double y[] = { 0, 3, 0, 7, 12 }, n[] = { 1000, 1000, 1000, 1000, 1000 };
  TwTrendFit fit;

  g_assert_true (tw_trend_fit_poisson (years, y, n, 5, &fit));
  assert_close (fit.slope, R_SLOPE);
  assert_close (fit.se, R_SE);
  assert_close (fit.apc, 100.0 * expm1 (R_SLOPE));
  assert_close (fit.apc_lower, 100.0 * expm1 (R_SLOPE - 1.959964 * R_SE));
}

/* Events in one year alone: the likelihood has no maximum, so no trend. */
static void
test_trend_undefined (void)
{
  const double years[] = { 2017, 2018, 2019 };
  const double one_year[] = { 0, 0, 9 }, none[] = { 0, 0, 0 }, n[] = { 500, 500, 500 };
  TwTrendFit fit;

  g_assert_false (tw_trend_fit_poisson (years, one_year, n, 3, &fit));
  g_assert_true (isnan (fit.slope) && isnan (fit.apc));
  g_assert_false (tw_trend_fit_poisson (years, none, n, 3, &fit));
  g_assert_true (isnan (fit.slope));
}

/* The change of 20 in 1000 to 30 in 1500 (rates per 1000): the same rate, z = 0. */
static void
test_change_formulas (void)
{
  TwChangeEstimate e;
  double se = sqrt (20.0 / (1000.0 * 1000.0) + 30.0 / (1500.0 * 1500.0)) * 1000.0;

  g_assert_true (tw_change_estimate (TW_RATE_KIND_RATE, 1000, 20, 1000, 30, 1500, &e));
  assert_close (e.rate_from, 20);
  assert_close (e.rate_to, 20);
  assert_close (e.difference, 0);
  assert_close (e.difference_upper, 1.959964 * se);
  assert_close (e.ratio, 1);
  assert_close (e.ratio_upper, exp (1.959964 * sqrt (1.0 / 20 + 1.0 / 30)));
  assert_close (e.z, 0);
  assert_close (e.p, 1);

  /* A zero at the start: a difference, no ratio. */
  g_assert_true (tw_change_estimate (TW_RATE_KIND_RATE, 1000, 0, 1000, 5, 1000, &e));
  assert_close (e.difference, 5);
  g_assert_true (isnan (e.ratio) && isnan (e.ratio_lower));
  assert_close (e.z, 5.0 / sqrt (5.0));

  g_assert_false (tw_change_estimate (TW_RATE_KIND_RATE, 1000, NAN, 1000, 5, 1000, &e));
  g_assert_true (isnan (e.difference) && isnan (e.z));
}

/* Age-adjusted ends (tw-change.h): no events at the end gives a ratio of 0 with lower limit
 * 0 and an upper one above it; the difference's limits are the ends' gamma limits recovered
 * (with a zero end, its lower limit is the first rate's upper limit subtracted). Against R
 * the CLI test checks six counties (tests/fixtures/trend/age-change-reference.R). */
static void
test_change_standardized (void)
{
  TwChangeEstimate e;
  double l1, u1, l2, u2;

  tw_rate_fay_feuer_interval (80, 400, 12, 0.95, &l1, &u1);
  tw_rate_fay_feuer_interval (0, 0, 15, 0.95, &l2, &u2);
  g_assert_true (tw_change_estimate_standardized (80, 400, 12, 0, 0, 15, &e));
  assert_close (e.ratio, 0);
  assert_close (e.ratio_lower, 0);
  g_assert_cmpfloat (e.ratio_upper, >, 0.0);
  assert_close (e.difference, -80);
  assert_close (e.difference_lower, -80 - (u1 - 80));
  assert_close (e.difference_upper, -80 + sqrt ((u2 - 0) * (u2 - 0) + (80 - l1) * (80 - l1)));
  assert_close (e.z, -80 / sqrt (400));

  /* No rate at the start: a difference, no ratio. */
  g_assert_true (tw_change_estimate_standardized (0, 0, 12, 50, 100, 9, &e));
  g_assert_true (isnan (e.ratio) && isnan (e.ratio_upper));
  assert_close (e.difference, 50);

  g_assert_false (tw_change_estimate_standardized (NAN, 400, 12, 50, 100, 9, &e));
  g_assert_true (isnan (e.difference) && isnan (e.z) && isnan (e.ratio));
}

/* A gap that halves: group 40 in 1000 against 200 in 10000 (RR 2), then 22 in 1000 against
 * 220 in 10000 (RR 1), independent groups. */
static void
test_gap (void)
{
  const double x[] = { 40, 22 }, n[] = { 1000, 1000 };
  const double x_ref[] = { 200, 220 }, n_ref[] = { 10000, 10000 };
  double half = 1.959964 * sqrt (1.0 / 40 + 1.0 / 200 + 1.0 / 22 + 1.0 / 220);
  TwGapChange gap;

  g_assert_true (tw_change_gap (TW_RATE_KIND_RATE, FALSE, x, n, x_ref, n_ref, &gap));
  assert_close (gap.ratio_from, 2);
  assert_close (gap.ratio_to, 1);
  assert_close (gap.ratio_of_ratios, 0.5);
  assert_close (gap.upper, 0.5 * exp (half));
  g_assert_true (gap.narrowed);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/data/change/period-years", test_period_years);
  g_test_add_func ("/data/change/trend-zero-counts", test_trend_zero_counts);
  g_test_add_func ("/data/change/trend-undefined", test_trend_undefined);
  g_test_add_func ("/data/change/formulas", test_change_formulas);
  g_test_add_func ("/data/change/standardized", test_change_standardized);
  g_test_add_func ("/data/change/gap", test_gap);
  return g_test_run ();
}
