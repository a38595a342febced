/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-stats-dist"

#include <float.h>
#include <math.h>

#include "tw-stats-dist.h"

/* Expected figures computed once with R 4.2.2 (qgamma, pgamma, qchisq, qnorm) and
 * pasted here: R is not needed when the tests run. */

typedef struct { double a, p, x, p_back; } GammaQuantileCase;
typedef struct { double df, p, x; } ChisqCase;
typedef struct { double p, z; } NormalCase;
typedef struct { double a, x, p; } GammaPCase;

static const GammaQuantileCase gamma_quantile_cases[] = {
  { 0.050000000000000003, 9.9999999999999995e-07, 5.8446320572869137e-121, 1.0000000000000027e-06 },
  { 0.050000000000000003, 0.025000000000000001, 5.3156618899143203e-33, 0.025000000000000005 },
  { 0.050000000000000003, 0.5, 5.5738784407462583e-07, 0.5 },
  { 0.050000000000000003, 0.97499999999999998, 0.56717376175385836, 0.97499999999999987 },
  { 0.050000000000000003, 0.99999899999999997, 8.6968626678937433, 0.99999899999999997 },
  { 0.5, 9.9999999999999995e-07, 7.8539816339785822e-13, 9.9999999999999932e-07 },
  { 0.5, 0.025000000000000001, 0.00049103455858762809, 0.025000000000000001 },
  { 0.5, 0.5, 0.22746821155978642, 0.5 },
  { 0.5, 0.97499999999999998, 2.5119430936574423, 0.97499999999999998 },
  { 0.5, 0.99999899999999997, 11.964063488439736, 0.99999899999999997 },
  { 1, 9.9999999999999995e-07, 1.0000005000003334e-06, 9.9999999999999995e-07 },
  { 1, 0.025000000000000001, 0.025317807984289876, 0.025000000000000001 },
  { 1, 0.5, 0.69314718055994529, 0.5 },
  { 1, 0.97499999999999998, 3.6888794541139354, 0.97499999999999998 },
  { 1, 0.99999899999999997, 13.815510557935518, 0.99999899999999997 },
  { 2.5, 9.9999999999999995e-07, 0.006448080103248547, 9.9999999999999953e-07 },
  { 2.5, 0.025000000000000001, 0.41560580674333125, 0.025000000000000008 },
  { 2.5, 0.5, 2.1757300955477632, 0.49999999999999967 },
  { 2.5, 0.97499999999999998, 6.4162509970150126, 0.97499999999999998 },
  { 2.5, 0.99999899999999997, 17.944093439805211, 0.99999899999999997 },
  { 3.7000000000000002, 9.9999999999999995e-07, 0.050610571164472713, 1.0000000000000002e-06 },
  { 3.7000000000000002, 0.025000000000000001, 0.94087246437750516, 0.025000000000000012 },
  { 3.7000000000000002, 0.5, 3.3725380132364151, 0.5 },
  { 3.7000000000000002, 0.97499999999999998, 8.3129772611502695, 0.97499999999999998 },
  { 3.7000000000000002, 0.99999899999999997, 20.701308167702944, 0.99999899999999997 },
  { 10, 9.9999999999999995e-07, 1.2768187878644079, 9.9999999999999932e-07 },
  { 10, 0.025000000000000001, 4.7953886961324335, 0.025000000000000001 },
  { 10, 0.5, 9.6687146147141352, 0.50000000000000078 },
  { 10, 0.97499999999999998, 17.08480345141917, 0.97499999999999998 },
  { 10, 0.99999899999999997, 32.710340517484809, 0.99999899999999997 },
  { 11, 9.9999999999999995e-07, 1.5958838794794028, 9.9999999999999911e-07 },
  { 11, 0.025000000000000001, 5.4911603672368381, 0.025000000000000008 },
  { 11, 0.5, 10.668522403836317, 0.49999999999999989 },
  { 11, 0.97499999999999998, 18.390356042017778, 0.97499999999999998 },
  { 11, 0.99999899999999997, 34.427884340321256, 0.99999899999999997 },
  { 20.25, 9.9999999999999995e-07, 5.4858827624270221, 9.999999999999989e-07 },
  { 20.25, 0.025000000000000001, 12.411719878128379, 0.025000000000000019 },
  { 20.25, 0.5, 19.91765978503809, 0.49999999999999856 },
  { 20.25, 0.97499999999999998, 29.975740373981331, 0.97499999999999998 },
  { 20.25, 0.99999899999999997, 49.207117182549268, 0.99999899999999997 },
  { 100, 9.9999999999999995e-07, 59.436320698122898, 9.9999999999999911e-07 },
  { 100, 0.025000000000000001, 81.363991250923149, 0.024999999999999967 },
  { 100, 0.5, 99.666864919315429, 0.50000000000000033 },
  { 100, 0.97499999999999998, 120.52894775315548, 0.97500000000000009 },
  { 100, 0.99999899999999997, 154.91904599496155, 0.99999899999999997 },
  { 1000, 9.9999999999999995e-07, 856.81465127939191, 1.0000000000000057e-06 },
  { 1000, 0.025000000000000001, 938.97301840769524, 0.025000000000000057 },
  { 1000, 0.5, 999.66668642696516, 0.49999999999999967 },
  { 1000, 0.97499999999999998, 1062.9211512248878, 0.97500000000000009 },
  { 1000, 0.99999899999999997, 1157.577911008724, 0.99999899999999997 },
  { 100000, 9.9999999999999995e-07, 98504.027065097718, 1.0000000000000256e-06 },
  { 100000, 0.025000000000000001, 99381.152663744724, 0.024999999999998794 },
  { 100000, 0.5, 99999.666666864199, 0.50000000000000122 },
  { 100000, 0.97499999999999998, 100620.74164077373, 0.97499999999999931 },
  { 100000, 0.99999899999999997, 101510.36958867917, 0.99999899999999997 },
};

static const ChisqCase chisq_cases[] = {
  { 1, 0.025000000000000001, 0.00098206911717525617 },
  { 1, 0.97499999999999998, 5.0238861873148846 },
  { 2, 0.025000000000000001, 0.050635615968579753 },
  { 2, 0.97499999999999998, 7.3777589082278707 },
  { 7, 0.025000000000000001, 1.6898691806773545 },
  { 7, 0.97499999999999998, 16.012764274629323 },
  { 21, 0.025000000000000001, 10.282897782522861 },
  { 21, 0.97499999999999998, 35.47887590572725 },
  { 22.5, 0.025000000000000001, 11.334614019091326 },
  { 22.5, 0.97499999999999998, 37.429005105601952 },
};

static const NormalCase normal_cases[] = {
  { 1e-10, -6.3613409024040557 },
  { 0.001, -3.0902323061678132 },
  { 0.025000000000000001, -1.9599639845400538 },
  { 0.10000000000000001, -1.2815515655446008 },
  { 0.5, 0 },
  { 0.69999999999999996, 0.52440051270804067 },
  { 0.97499999999999998, 1.9599639845400536 },
  { 0.99999899999999997, 4.7534243088170891 },
};

static const GammaPCase gamma_p_cases[] = {
  { 0.5, 0.01, 0.1124629160182849 },
  { 0.5, 1, 0.84270079294971556 },
  { 0.5, 5, 0.9984345977419975 },
  { 0.5, 50, 1 },
  { 0.5, 480, 1 },
  { 1, 0.01, 0.0099501662508319471 },
  { 1, 1, 0.63212055882855767 },
  { 1, 5, 0.99326205300091452 },
  { 1, 50, 1 },
  { 1, 480, 1 },
  { 3, 0.01, 1.6542165280748764e-07 },
  { 3, 1, 0.080301397071394193 },
  { 3, 5, 0.87534798051691887 },
  { 3, 50, 1 },
  { 3, 480, 1 },
  { 10.5, 0.01, 8.3273905709298506e-29 },
  { 10.5, 1, 3.3836233494400609e-08 },
  { 10.5, 5, 0.021088144307526223 },
  { 10.5, 50, 0.99999999999711398 },
  { 10.5, 480, 1 },
  { 50, 0.01, 3.2558721772148954e-165 },
  { 50, 1, 1.2337508979097349e-65 },
  { 50, 5, 2.1810592140784885e-32 },
  { 50, 50, 0.51880831547204331 },
  { 50, 480, 1 },
  { 500, 0.01, 0 },
  { 500, 1, 0 },
  { 500, 5, 0 },
  { 500, 50, 5.3643869635230903e-307 },
  { 500, 480, 0.18628197319032461 },
};

static void
assert_relative (double got,
                 double want,
                 double tolerance)
{
  if (want == 0.0)
    g_assert_cmpfloat (fabs (got), <=, tolerance);
  else if (fabs (got - want) > tolerance * fabs (want))
    g_error ("got %.17g, want %.17g (relative error %.3g)", got, want,
             fabs (got - want) / fabs (want));
}

static void
test_gamma_quantile (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (gamma_quantile_cases); i++)
    {
      const GammaQuantileCase *c = &gamma_quantile_cases[i];

      g_test_message ("qgamma (%g, %g)", c->p, c->a);
      assert_relative (tw_stats_gamma_quantile (c->p, c->a), c->x, 1e-10);
    }
}

static void
test_gamma_p (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (gamma_p_cases); i++)
    {
      const GammaPCase *c = &gamma_p_cases[i];

      g_test_message ("pgamma (%g, %g)", c->x, c->a);
      if (c->p > 1e-300)
        assert_relative (tw_stats_gamma_p (c->a, c->x), c->p, 1e-11);
      else
        g_assert_cmpfloat (tw_stats_gamma_p (c->a, c->x), <, 1e-290);
      assert_relative (tw_stats_gamma_p (c->a, c->x) + tw_stats_gamma_q (c->a, c->x), 1.0, 1e-14);
    }
}

static void
test_gamma_round_trip (void)
{
  /* Non-integer shapes, as apportioned counts give. */
  for (double a = 0.3; a < 400.0; a *= 1.37)
    for (double p = 1e-8; p < 1.0; p = p < 0.5 ? p * 7.0 : 1.0 - (1.0 - p) / 7.0)
      {
        double x = tw_stats_gamma_quantile (p, a);

        if (p <= 0.5)
          assert_relative (tw_stats_gamma_p (a, x), p, 1e-11);
        else
          assert_relative (tw_stats_gamma_q (a, x), 1.0 - p, 1e-9);
      }
}

/* A figure of tests/fixtures/rates/gamma-reference.txt (R's qgamma, pgamma and qchisq at
 * the shapes apportioned counts give) against ours. Below DBL_MIN R and we both return a
 * subnormal with few significant digits, so they must agree to a few of its units. */
static double
reference_error (double got,
                 double want)
{
  if (got == want)
    return 0.0;
  if (fabs (want) < DBL_MIN)
    return fabs (got - want) <= 64 * DBL_TRUE_MIN ? 0.0 : INFINITY;
  return fabs (got - want) / fabs (want);
}

static void
test_r_reference (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "rates",
                                                 "gamma-reference.txt", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  double worst_q = 0.0, worst_p = 0.0, worst_chisq = 0.0;
  guint n_q = 0, n_p = 0, n_chisq = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", -1);
      guint n = g_strv_length (f);
      double v[4] = { 0 }, e;

      for (guint j = 1; j < n && j <= 4; j++)
        v[j - 1] = g_ascii_strtod (f[j], NULL);

      if (g_str_equal (f[0] ? f[0] : "", "qgamma") && n == 4)
        {
          e = reference_error (tw_stats_gamma_quantile (v[0], v[1]), v[2]);
          if (e > 1e-11)
            g_error ("qgamma (%.17g, %.17g): got %.17g, R %.17g", v[0], v[1],
                     tw_stats_gamma_quantile (v[0], v[1]), v[2]);
          worst_q = MAX (worst_q, e);
          n_q++;
        }
      else if (g_str_equal (f[0] ? f[0] : "", "pgamma") && n == 5)
        {
          /* A probability below 1e-300 only has to be as tiny as R's. */
          e = MAX (v[2] < 1e-300 ? (tw_stats_gamma_p (v[1], v[0]) < 1e-290 ? 0 : INFINITY)
                                 : reference_error (tw_stats_gamma_p (v[1], v[0]), v[2]),
                   v[3] < 1e-300 ? (tw_stats_gamma_q (v[1], v[0]) < 1e-290 ? 0 : INFINITY)
                                 : reference_error (tw_stats_gamma_q (v[1], v[0]), v[3]));
          if (e > 1e-11)
            g_error ("pgamma (%.17g, %.17g): got P %.17g Q %.17g, R %.17g %.17g", v[0], v[1],
                     tw_stats_gamma_p (v[1], v[0]), tw_stats_gamma_q (v[1], v[0]), v[2], v[3]);
          worst_p = MAX (worst_p, e);
          n_p++;
        }
      else if (g_str_equal (f[0] ? f[0] : "", "qchisq") && n == 4)
        {
          e = reference_error (tw_stats_chisq_quantile (v[0], v[1]), v[2]);
          if (e > 1e-11)
            g_error ("qchisq (%.17g, %.17g): got %.17g, R %.17g", v[0], v[1],
                     tw_stats_chisq_quantile (v[0], v[1]), v[2]);
          worst_chisq = MAX (worst_chisq, e);
          n_chisq++;
        }
    }

  g_assert_cmpuint (n_q, >=, 100);
  g_assert_cmpuint (n_p, >=, 50);
  g_assert_cmpuint (n_chisq, >=, 20);
  g_test_message ("largest relative errors against R: qgamma %.2g (%u), pgamma %.2g (%u), "
                  "qchisq %.2g (%u)", worst_q, n_q, worst_p, n_p, worst_chisq, n_chisq);
  if (g_test_verbose ())
    g_printerr ("qgamma %.2g, pgamma %.2g, qchisq %.2g\n", worst_q, worst_p, worst_chisq);
}

static void
test_chisq_quantile (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (chisq_cases); i++)
    assert_relative (tw_stats_chisq_quantile (chisq_cases[i].p, chisq_cases[i].df),
                     chisq_cases[i].x, 1e-10);
}

static void
test_normal (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (normal_cases); i++)
    {
      assert_relative (tw_stats_normal_quantile (normal_cases[i].p), normal_cases[i].z, 1e-12);
      if (normal_cases[i].z != 0.0)
        assert_relative (tw_stats_normal_cdf (normal_cases[i].z), normal_cases[i].p, 1e-12);
    }
  /* The 1.959964 every 95% interval uses. */
  assert_relative (tw_stats_normal_quantile (0.975), 1.959963984540054, 1e-14);
}

static void
test_domain (void)
{
  g_assert_true (isnan (tw_stats_gamma_quantile (0.5, 0.0)));
  g_assert_true (isnan (tw_stats_gamma_quantile (1.5, 2.0)));
  g_assert_true (isnan (tw_stats_gamma_p (-1.0, 2.0)));
  g_assert_true (isnan (tw_stats_normal_quantile (-0.1)));
  g_assert_cmpfloat (tw_stats_gamma_quantile (0.0, 3.0), ==, 0.0);
  g_assert_true (isinf (tw_stats_gamma_quantile (1.0, 3.0)));
  g_assert_cmpfloat (tw_stats_gamma_p (3.0, 0.0), ==, 0.0);

  /* Whatever a file holds, the answer is a number or NAN, never an abort. */
  g_assert_true (isnan (tw_stats_gamma_quantile (0.025, INFINITY)));
  g_assert_true (isnan (tw_stats_gamma_quantile (NAN, 2.0)));
  g_assert_true (isnan (tw_stats_gamma_quantile (0.025, -0.4)));
  g_assert_true (isnan (tw_stats_gamma_q (INFINITY, 1.0)));
  g_assert_true (isnan (tw_stats_gamma_p (2.0, NAN)));
  g_assert_cmpfloat (tw_stats_gamma_p (0.0003, INFINITY), ==, 1.0);
  g_assert_cmpfloat (tw_stats_gamma_quantile (0.025, 1e-300), ==, 0.0);
  g_assert_cmpfloat (tw_stats_gamma_quantile (0.025, DBL_TRUE_MIN), ==, 0.0);
  g_assert_cmpfloat (tw_stats_gamma_quantile (1e-300, 0.0003), ==, 0.0);
  g_assert_cmpfloat (tw_stats_gamma_quantile (0.975, DBL_MIN), ==, 0.0);
  assert_relative (tw_stats_gamma_quantile (0.5, DBL_MAX), DBL_MAX, 1e-15);
  g_assert_true (isnan (tw_stats_chisq_quantile (0.5, -1.0)));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/geo/stats-dist/gamma-quantile", test_gamma_quantile);
  g_test_add_func ("/geo/stats-dist/gamma-p", test_gamma_p);
  g_test_add_func ("/geo/stats-dist/gamma-round-trip", test_gamma_round_trip);
  g_test_add_func ("/geo/stats-dist/chisq-quantile", test_chisq_quantile);
  g_test_add_func ("/geo/stats-dist/r-reference", test_r_reference);
  g_test_add_func ("/geo/stats-dist/normal", test_normal);
  g_test_add_func ("/geo/stats-dist/domain", test_domain);

  return g_test_run ();
}
