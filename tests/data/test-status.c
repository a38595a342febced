/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-status"

#include <math.h>
#include <string.h>

#include "tw-policy-text.h"
#include "tw-rates.h"
#include "tw-status.h"
#include "tw-suppression.h"
#include "tw-test-project.h"

/* The status of a crude rate (per 100 000, exact Poisson interval) or proportion (per cent,
 * Wilson interval) of @count events among @population, as the rate table judges it: rule 1
 * first. */
static TwFigureStatus
judge (const TwSuppressionPolicy *policy,
       TwRateKind                 kind,
       double                     count,
       double                     population,
       char                      *reason)
{
  TwRateEstimate e = tw_rate_crude (kind, count, population,
                                    kind == TW_RATE_KIND_RATE ? 1e5 : 100);
  TwSuppressionReason privacy = tw_suppression_is_small (policy, count)
                                ? TW_SUPPRESSION_PRIMARY : TW_SUPPRESSION_SHOWN;

  return tw_figure_status_judge (policy, kind, privacy, count, population, 0.0, e.rate, e.lower,
                                 e.upper, reason);
}

#define judge_rate(p, x, n, r) judge ((p), TW_RATE_KIND_RATE, (x), (n), (r))
#define judge_proportion(p, x, n, r) judge ((p), TW_RATE_KIND_PROPORTION, (x), (n), (r))

/* Each preset at the edges of k and of its reliability rule. RSE of a Poisson count is
 * 1/√x: 19 events 22.9%, 20 events 22.4%, 11 events 30.2%, 12 events 28.9%. */
static void
test_preset_edges (void)
{
  char reason[TW_FIGURE_REASON_SIZE];
  TwSuppressionPolicy p;

  p = preset_policy ("cms");
  g_assert_cmpuint (p.min_count, ==, 11);
  g_assert_cmpint (judge_rate (&p, 10, 5000, reason), ==, TW_FIGURE_SUPPRESSED);
  g_assert_cmpstr (reason, ==, "a count of 1 to 10 (k = 11)");
  g_assert_cmpint (judge_rate (&p, 11, 5000, reason), ==, TW_FIGURE_UNRELIABLE);
  g_assert_cmpint (judge_rate (&p, 19, 5000, reason), ==, TW_FIGURE_UNRELIABLE);
  g_assert_cmpstr (reason, ==, "RSE 23% (19 events)");
  g_assert_cmpint (judge_rate (&p, 20, 5000, reason), ==, TW_FIGURE_SHOWN);
  g_assert_cmpstr (reason, ==, "");
  g_assert_cmpint (judge_rate (&p, 0, 5000, reason), ==, TW_FIGURE_UNRELIABLE);
  g_assert_cmpstr (reason, ==, "no events (RSE undefined)");

  p = preset_policy ("wonder");
  g_assert_cmpuint (p.min_count, ==, 10);
  g_assert_cmpint (judge_rate (&p, 9, 5000, reason), ==, TW_FIGURE_SUPPRESSED);
  g_assert_cmpint (judge_rate (&p, 10, 5000, reason), ==, TW_FIGURE_UNRELIABLE);
  g_assert_cmpstr (reason, ==, "RSE 32% (10 events)");
  g_assert_cmpint (judge_rate (&p, 19, 5000, reason), ==, TW_FIGURE_UNRELIABLE);
  g_assert_cmpint (judge_rate (&p, 20, 5000, reason), ==, TW_FIGURE_SHOWN);

  p = preset_policy ("uscs");
  g_assert_cmpuint (p.min_count, ==, 16);
  g_assert_cmpint (judge_rate (&p, 15, 5000, reason), ==, TW_FIGURE_SUPPRESSED);
  g_assert_cmpstr (reason, ==, "a count of 1 to 15 (k = 16)");
  g_assert_cmpint (judge_rate (&p, 16, 5000, reason), ==, TW_FIGURE_UNRELIABLE);
  g_assert_cmpint (judge_rate (&p, 20, 5000, reason), ==, TW_FIGURE_SHOWN);

  /* WISQARS: "20 or fewer". */
  p = preset_policy ("wisqars");
  g_assert_cmpuint (p.min_count, ==, 10);
  g_assert_cmpint (judge_rate (&p, 9, 5000, reason), ==, TW_FIGURE_SUPPRESSED);
  g_assert_cmpint (judge_rate (&p, 20, 5000, reason), ==, TW_FIGURE_UNRELIABLE);
  g_assert_cmpstr (reason, ==, "RSE 22% (20 events)");
  g_assert_cmpint (judge_rate (&p, 21, 5000, reason), ==, TW_FIGURE_SHOWN);

  /* NCHS rates: below 20 events, or an interval wider than 160% of the rate (20 events:
   * exact Poisson 12.22 … 30.89, 93%). An EB or age-adjusted rate's interval may be wider
   * than its count says: 100 (10 … 170) is 160%, shown; 100 (10 … 170.5) is not. */
  p = preset_policy ("nchs-rates");
  g_assert_cmpint (judge_rate (&p, 19, 5000, reason), ==, TW_FIGURE_UNRELIABLE);
  g_assert_cmpint (judge_rate (&p, 20, 5000, reason), ==, TW_FIGURE_SHOWN);
  g_assert_cmpint (tw_figure_status_judge (&p, TW_RATE_KIND_RATE, TW_SUPPRESSION_SHOWN, 40,
                                           5000, 0.0, 100, 10, 170, reason), ==, TW_FIGURE_SHOWN);
  g_assert_cmpint (tw_figure_status_judge (&p, TW_RATE_KIND_RATE, TW_SUPPRESSION_SHOWN, 40,
                                           5000, 0.0, 100, 10, 170.5, reason), ==,
                   TW_FIGURE_UNRELIABLE);
  g_assert_cmpstr (reason, ==, "relative interval width 160% (above 160%; 40 events)");

  /* NCHS proportions (Parker et al. 2017), Clopper–Pearson limits from R's qbeta (see
   * test_korn_graubard): 29 people is under 30; 15/30 is 0.313 … 0.687, width 0.374;
   * 4/60 is 0.0185 … 0.162, width 0.1435, 215% of 0.0667; 10/100 is 0.0490 … 0.1762,
   * width 0.127, 127% of 0.1; 0/100 is 0 … 0.0362, narrower than 0.05; 450/1000 is
   * 0.4189 … 0.4814, width 0.0626, 14%. */
  p = preset_policy ("nchs-proportions");
  g_assert_cmpint (judge_proportion (&p, 20, 29, reason), ==, TW_FIGURE_UNRELIABLE);
  g_assert_cmpstr (reason, ==, "effective sample size 29 (under 30)");
  g_assert_cmpint (judge_proportion (&p, 15, 30, reason), ==, TW_FIGURE_UNRELIABLE);
  g_assert_cmpstr (reason, ==, "interval width 0.374 (0.30 or more; 15 events)");
  g_assert_cmpint (judge_proportion (&p, 4, 60, reason), ==, TW_FIGURE_SUPPRESSED);
  g_assert_cmpint (tw_figure_status_judge (&p, TW_RATE_KIND_PROPORTION, TW_SUPPRESSION_SHOWN,
                                           4, 60, 0.0, 6.67, NAN, NAN, reason), ==,
                   TW_FIGURE_UNRELIABLE);
  g_assert_cmpstr (reason, ==, "relative interval width 215% (above 130%; 4 events)");
  g_assert_cmpint (judge_proportion (&p, 10, 100, reason), ==, TW_FIGURE_SHOWN);
  g_assert_cmpint (judge_proportion (&p, 0, 100, reason), ==, TW_FIGURE_SHOWN);
  g_assert_cmpint (judge_proportion (&p, 450, 1000, reason), ==, TW_FIGURE_SHOWN);
  /* A rate measure under this preset is judged as nchs-rates judges it. */
  g_assert_cmpint (judge_rate (&p, 19, 5000, reason), ==, TW_FIGURE_UNRELIABLE);
  g_assert_cmpint (judge_rate (&p, 20, 5000, reason), ==, TW_FIGURE_SHOWN);

  /* Washington DOH 2018: RSE of 30% or more. */
  p = preset_policy ("wa-doh");
  g_assert_cmpuint (p.min_count, ==, 10);
  g_assert_cmpint (judge_rate (&p, 9, 5000, reason), ==, TW_FIGURE_SUPPRESSED);
  g_assert_cmpint (judge_rate (&p, 11, 5000, reason), ==, TW_FIGURE_UNRELIABLE);
  g_assert_cmpstr (reason, ==, "RSE 30% (11 events)");
  g_assert_cmpint (judge_rate (&p, 12, 5000, reason), ==, TW_FIGURE_SHOWN);
  /* A proportion's RSE is √((1 − p)/x): 12 of 24 is √(0.5/12) = 20%; 10 of 11, 9.5%. */
  g_assert_cmpint (judge_proportion (&p, 10, 11, reason), ==, TW_FIGURE_SHOWN);

  /* Custom: k as set, reliability below 20. */
  tw_suppression_policy_init (&p);
  g_assert_true (tw_suppression_policy_set_min_count (&p, 3, NULL));
  g_assert_cmpint (judge_rate (&p, 2, 5000, reason), ==, TW_FIGURE_SUPPRESSED);
  g_assert_cmpint (judge_rate (&p, 3, 5000, reason), ==, TW_FIGURE_UNRELIABLE);
  g_assert_cmpstr (reason, ==, "RSE 58% (3 events)");
}

/* Hidden figures: one reason for every count (none of them tells the count), and no data
 * or no population is not privacy. */
static void
test_hidden_and_missing (void)
{
  TwSuppressionPolicy p = preset_policy ("cms");
  char a[TW_FIGURE_REASON_SIZE], b[TW_FIGURE_REASON_SIZE];

  g_assert_cmpint (tw_figure_status_judge (&p, TW_RATE_KIND_RATE, TW_SUPPRESSION_PRIMARY, 3,
                                           100, 0.0, 3000, 600, 8000, a), ==, TW_FIGURE_SUPPRESSED);
  g_assert_cmpint (tw_figure_status_judge (&p, TW_RATE_KIND_RATE, TW_SUPPRESSION_PRIMARY, 7,
                                           100, 0.0, 7000, 2000, 14000, b), ==, TW_FIGURE_SUPPRESSED);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpint (tw_figure_status_judge (&p, TW_RATE_KIND_RATE,
                                           TW_SUPPRESSION_COMPLEMENTARY, 40, 100, 0.0, 4e4, 3e4,
                                           5e4, a), ==, TW_FIGURE_COMPLEMENTARY);
  g_assert_cmpint (tw_figure_status_judge (&p, TW_RATE_KIND_RATE,
                                           TW_SUPPRESSION_COMPLEMENTARY, 12, 100, 0.0, NAN, NAN,
                                           NAN, b), ==, TW_FIGURE_COMPLEMENTARY);
  g_assert_cmpstr (a, ==, b);
  g_assert_null (strpbrk (a, "0123456789"));
  g_assert_cmpint (tw_figure_status_judge (&p, TW_RATE_KIND_RATE, TW_SUPPRESSION_WITHHELD, NAN,
                                           100, 0.0, NAN, NAN, NAN, a), ==, TW_FIGURE_SUPPRESSED);
  g_assert_cmpint (tw_figure_status_judge (&p, TW_RATE_KIND_RATE, TW_SUPPRESSION_SHOWN, NAN,
                                           NAN, 0.0, NAN, NAN, NAN, a), ==, TW_FIGURE_MISSING);
  g_assert_cmpint (tw_figure_status_judge (&p, TW_RATE_KIND_RATE, TW_SUPPRESSION_SHOWN, 0, 0, 0.0,
                                           NAN, NAN, NAN, a), ==, TW_FIGURE_NOT_APPLICABLE);
  g_assert_cmpstr (a, ==, "no population");
  g_assert_cmpint (tw_figure_status_judge (&p, TW_RATE_KIND_RATE, TW_SUPPRESSION_SHOWN, 40,
                                           100, 0.0, NAN, NAN, NAN, a), ==, TW_FIGURE_MISSING);
}

static void
test_worst (void)
{
  static const TwFigureStatus order[] = {
    TW_FIGURE_SHOWN, TW_FIGURE_UNRELIABLE, TW_FIGURE_NOT_APPLICABLE, TW_FIGURE_MISSING,
    TW_FIGURE_COMPLEMENTARY, TW_FIGURE_SUPPRESSED,
  };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    for (guint j = 0; j < G_N_ELEMENTS (order); j++)
      {
        TwFigureStatus worse = order[MAX (i, j)];

        g_assert_cmpint (tw_figure_status_worst (order[i], order[j]), ==, worse);
      }
  g_assert_cmpstr (tw_figure_status_to_string (TW_FIGURE_NOT_APPLICABLE), ==,
                   "not_applicable");
  g_assert_true (tw_figure_status_is_blank (TW_FIGURE_COMPLEMENTARY));
  g_assert_false (tw_figure_status_is_blank (TW_FIGURE_UNRELIABLE));
}

/* Clopper–Pearson limits, the Korn–Graubard interval with n_eff = n, as computed once in
 * R 4 (base; the survey package is not installed here, and svyciprop (method = "beta")
 * reduces to these for a simple random sample with many degrees of freedom):
 *   cp <- function(x, n) c(if (x == 0) 0 else qbeta(0.025, x, n - x + 1),
 *                          if (x == n) 1 else qbeta(0.975, x + 1, n - x))
 *   sprintf("%.15g", cp(x, n))                                                        */
static void
test_korn_graubard (void)
{
  static const struct { double x, n, lower, upper; } r[] = {
    { 0, 30, 0, 0.115703308222028 },
    { 1, 30, 0.000843570926630478, 0.172169455633413 },
    { 7, 30, 0.0993378649580197, 0.422836522978219 },
    { 15, 30, 0.312970285868027, 0.687029714131973 },
    { 30, 30, 0.884296691777972, 1 },
    { 12, 100, 0.0635689025611593, 0.200235683619969 },
    { 3, 1000, 0.000619099931649572, 0.00874202323847828 },
    { 450, 1000, 0.418851709679951, 0.481443466623407 },
    { 2.5, 40, 0.0105344850222367, 0.186814297237625 },
    { 4, 60, 0.0184617775758815, 0.161986755197729 },
    { 0, 100, 0, 0.0362166926451765 },
    { 10, 100, 0.0490046892214859, 0.176222597740023 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (r); i++)
    {
      double lower, upper;

      g_assert_true (tw_rate_interval_korn_graubard (r[i].x / r[i].n, r[i].n, 0.95, &lower,
                                                     &upper));
      g_assert_cmpfloat_with_epsilon (lower, r[i].lower, 1e-12 + 1e-9 * r[i].lower);
      g_assert_cmpfloat_with_epsilon (upper, r[i].upper, 1e-12 + 1e-9 * r[i].upper);
    }
  {
    double lower, upper;

    g_assert_false (tw_rate_interval_korn_graubard (1.2, 30, 0.95, &lower, &upper));
    g_assert_true (isnan (lower) && isnan (upper));
    g_assert_false (tw_rate_interval_korn_graubard (0.5, 0, 0.95, &lower, &upper));
    g_assert_false (tw_rate_interval_korn_graubard (NAN, 30, 0.95, &lower, &upper));
  }
}

/* The ACS handbook's worked example (U.S. Census Bureau, Understanding and Using American
 * Community Survey Data, 2020, ch. 8, "Calculating MOEs for derived proportions"): never-
 * married females 203,119 (MOE 5,070) of 630,498 females (MOE 831) is 0.322 with MOE
 * 0.008. The other figures are the chapter's formulas computed by hand. */
static void
test_moe (void)
{
  const double estimates[] = { 0, 36, 0, 0 }, moes[] = { 25, 56, 28, 31 };
  double moe_p = tw_moe_proportion (203119, 5070, 630498, 831);

  g_assert_cmpfloat_with_epsilon (moe_p, 0.008, 0.0005);
  /* (1/630498) √(5070² − 0.32216² × 831²) = 0.0080300 */
  g_assert_cmpfloat_with_epsilon (moe_p, 0.0080300, 1e-7);
  /* Ratio: (1/630498) √(5070² + 0.32216² × 831²) = 0.0080525 */
  g_assert_cmpfloat_with_epsilon (tw_moe_ratio (203119, 5070, 630498, 831), 0.0080525, 1e-7);
  /* A proportion whose radicand is negative takes the ratio formula: 90 (MOE 5) of 100
   * (MOE 20): 25 − 0.81 × 400 < 0, so (1/100) √(25 + 324) = 0.18682. */
  g_assert_cmpfloat_with_epsilon (tw_moe_proportion (90, 5, 100, 20), 0.186815, 1e-6);
  /* Sums: √(56² + 31²) = 64.008 (of the zero estimates only the largest MOE, 31, counts);
   * without the rule √(25² + 56² + 28² + 31²) = 74.081. */
  g_assert_cmpfloat_with_epsilon (tw_moe_sum (estimates, moes, 4), 64.0078, 1e-4);
  g_assert_cmpfloat_with_epsilon (tw_moe_sum (NULL, moes, 4), 74.2024, 1e-4);
  /* Product: √(10² × 3² + 20² × 2²) = 50. */
  g_assert_cmpfloat_with_epsilon (tw_moe_product (10, 2, 20, 3), 50.0, 1e-12);
  /* A rate of 25 events in 10 000 people (MOE 1 645, so SE 1 000): per 100 000,
   * SE = 1e5 √(25 + 625 × 0.01) / 10 000 = 10 √31.25 = 55.90; without the MOE 50. */
  g_assert_cmpfloat_with_epsilon (tw_rate_se_with_population_moe (25, 10000, 1645, 1e5),
                                  55.9017, 1e-4);
  g_assert_cmpfloat_with_epsilon (tw_rate_se_with_population_moe (25, 10000, 0, 1e5), 50.0,
                                  1e-9);
  g_assert_true (isnan (tw_rate_se_with_population_moe (25, 0, 10, 1e5)));
}

/* A population that is an estimate: the delta method's interval and the rules that read
 * it. */
static void
test_population_estimate (void)
{
  TwSuppressionPolicy nchs = preset_policy ("nchs-proportions");
  char reason[TW_FIGURE_REASON_SIZE];
  double lower = 2024.08740214209, upper = 4282.68653948077;

  /* 30 events in 1 000 ± 658 (SE_n/n = 0.4), per 100 000, from the exact 2 024 – 4 283:
   * 1.96 × 3 000 × 0.4 = 2 351.96 joins each side's half-width in quadrature:
   * 3 000 − √(975.91² + 2 351.96²) = 453.61, 3 000 + √(1 282.69² + 2 351.96²) = 5 678.99. */
  tw_rate_interval_add_population_error (3000, 658 / 1.645 / 1000, INFINITY, &lower, &upper);
  g_assert_cmpfloat_with_epsilon (lower, 453.61, 0.01);
  g_assert_cmpfloat_with_epsilon (upper, 5678.99, 0.01);
  /* Never below 0 nor above a proportion's 100%; nothing for an exact population. */
  lower = 10, upper = 90;
  tw_rate_interval_add_population_error (50, 0.5, 100, &lower, &upper);
  g_assert_cmpfloat (lower, ==, 0.0);
  g_assert_cmpfloat (upper, ==, 100.0);
  lower = 10, upper = 90;
  tw_rate_interval_add_population_error (50, 0, 100, &lower, &upper);
  g_assert_cmpfloat (lower, ==, 10.0);
  g_assert_cmpfloat (upper, ==, 90.0);

  /* A proportion of 100 in 1 000 whose population has an RSE of 70%: Var p =
   * 0.09/1 000 + 0.01 × 0.49 = 0.00499, so n_eff = 0.09 / 0.00499 = 18.04, under 30; with
   * an exact population n_eff = 1 000 and the interval is narrow enough. */
  g_assert_cmpint (tw_figure_status_judge (&nchs, TW_RATE_KIND_PROPORTION,
                                                    TW_SUPPRESSION_SHOWN, 100, 1000, 0.7, 10,
                                                    NAN, NAN, reason), ==,
                   TW_FIGURE_UNRELIABLE);
  g_assert_cmpstr (reason, ==, "effective sample size 18.04 (under 30)");
  g_assert_cmpint (tw_figure_status_judge (&nchs, TW_RATE_KIND_PROPORTION,
                                                    TW_SUPPRESSION_SHOWN, 100, 1000, 0.0, 10,
                                                    NAN, NAN, reason), ==, TW_FIGURE_SHOWN);
}

static void
test_describe (void)
{
  static const char *const names[] = { "cms", "wonder", "uscs", "wisqars", "nchs-rates",
                                       "nchs-proportions", "wa-doh" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      TwSuppressionPolicy p = preset_policy (names[i]);
      g_autofree char *text = tw_policy_text_describe (&p);
      g_autofree char *named = g_strdup_printf ("preset %s, version %s", names[i],
                                                tw_suppression_preset_get_version (p.preset));

      g_assert_nonnull (strstr (text, named));
      g_assert_nonnull (strstr (text, "unreliable"));
      g_assert_cmpstr (tw_suppression_preset_to_string (p.preset), ==, names[i]);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/data/status/preset-edges", test_preset_edges);
  g_test_add_func ("/data/status/hidden-and-missing", test_hidden_and_missing);
  g_test_add_func ("/data/status/worst", test_worst);
  g_test_add_func ("/data/status/korn-graubard", test_korn_graubard);
  g_test_add_func ("/data/status/moe", test_moe);
  g_test_add_func ("/data/status/population-estimate", test_population_estimate);
  g_test_add_func ("/data/status/describe", test_describe);
  return g_test_run ();
}
