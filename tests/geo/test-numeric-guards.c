/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-numeric-guards"

#include <float.h>
#include <math.h>
#include <string.h>

#include "tw-classify.h"
#include "tw-spatial-stats.h"

/*
 * What a file's values can do to the spatial statistics and the classes: rates of
 * apportioned counts over tiny populations are far from 1 (2.5 events in 0.01 persons
 * per 100 000 is 2.5e7; over 1e-300 persons, 1e308), and impossible values (NaN,
 * infinite, negative counts) must come back as an error, never an abort or a NaN figure.
 */

#define SIDE 6
#define N_AREAS (SIDE * SIDE)

/* Rook neighbours on a 6 × 6 grid. */
static TwWeights *
grid_weights (void)
{
  guint offsets[N_AREAS + 1], neighbours[4 * N_AREAS], links = 0;
  g_autoptr(GError) error = NULL;
  TwWeights *w;

  for (guint i = 0; i < N_AREAS; i++)
    {
      guint r = i / SIDE, c = i % SIDE;

      offsets[i] = links;
      if (r > 0)
        neighbours[links++] = i - SIDE;
      if (c > 0)
        neighbours[links++] = i - 1;
      if (c + 1 < SIDE)
        neighbours[links++] = i + 1;
      if (r + 1 < SIDE)
        neighbours[links++] = i + SIDE;
    }
  offsets[N_AREAS] = links;
  w = tw_weights_new_from_lists (N_AREAS, offsets, neighbours, &error);
  g_assert_no_error (error);
  return w;
}

/* Apportioned-looking rates with a gradient across the grid (so Moran's I is clearly
 * positive) and a few tiny ones. */
static void
grid_values (double *x)
{
  for (guint i = 0; i < N_AREAS; i++)
    x[i] = 0.0003 + (i / SIDE) * 0.4 + (i % SIDE) * 2.5 + ((i * 7) % 5) * 0.01;
}

static void
assert_same (double got,
             double want)
{
  if (!(fabs (got - want) <= 1e-13 * fabs (want)) && !(isnan (got) && isnan (want)))
    g_error ("got %.17g, want %.17g", got, want);
}

/* Scaling every value by 2^±900 changes no statistic (and the lags and centred values by
 * exactly that factor): sums of fourth powers of 1e271 would otherwise be infinite. By
 * 1e±200, which rounds, a permuted lag that ties the observed one may fall either side:
 * the pseudo p may move by a permutation or two. */
static void
test_far_from_one (void)
{
  g_autoptr(TwWeights) w = grid_weights ();
  static const double factors[] = { 0x1p900, 0x1p-900, 1e-200, 1e200 };
  double x[N_AREAS], y[N_AREAS], gz[N_AREAS], gz2[N_AREAS], gp[N_AREAS], gp2[N_AREAS];
  TwMoranLocal local[N_AREAS], local2[N_AREAS];
  TwMoranGlobal global, global2;
  g_autoptr(GError) error = NULL;

  grid_values (x);
  g_assert_true (tw_moran_global (w, x, 99, 7, 1, &global, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (global.z, >, 3.0);
  g_assert_true (tw_moran_local (w, x, 99, 7, 1, local, &error));
  g_assert_true (tw_getis_ord_gstar (w, x, gz, gp, &error));

  for (guint f = 0; f < G_N_ELEMENTS (factors); f++)
    {
      int exponent;
      double slack = frexp (factors[f], &exponent) == 0.5 ? 0.0 : 0.021;

      for (guint i = 0; i < N_AREAS; i++)
        y[i] = x[i] * factors[f];
      g_test_message ("values × %g", factors[f]);
      g_assert_true (tw_moran_global (w, y, 99, 7, 1, &global2, &error));
      g_assert_no_error (error);
      assert_same (global2.i, global.i);
      assert_same (global2.variance, global.variance);
      assert_same (global2.z, global.z);
      g_assert_cmpfloat (fabs (global2.p_permutation - global.p_permutation), <=, slack);

      g_assert_true (tw_moran_local (w, y, 99, 7, 1, local2, &error));
      g_assert_true (tw_getis_ord_gstar (w, y, gz2, gp2, &error));
      for (guint i = 0; i < N_AREAS; i++)
        {
          assert_same (local2[i].i, local[i].i);
          assert_same (local2[i].z, local[i].z);
          g_assert_cmpfloat (fabs (local2[i].p_permutation - local[i].p_permutation), <=, slack);
          assert_same (local2[i].centred, local[i].centred * factors[f]);
          assert_same (local2[i].lag, local[i].lag * factors[f]);
          g_assert_cmpint (tw_lisa_classify (&local2[i], local2[i].p_analytic, 0.05), ==,
                           tw_lisa_classify (&local[i], local[i].p_analytic, 0.05));
          assert_same (gz2[i], gz[i]);
        }
    }
}

static void
test_not_a_number (void)
{
  g_autoptr(TwWeights) w = grid_weights ();
  static const double bad[] = { NAN, INFINITY, -INFINITY };
  double x[N_AREAS], z[N_AREAS];
  TwMoranLocal local[N_AREAS];
  TwMoranGlobal global;

  for (guint b = 0; b < G_N_ELEMENTS (bad); b++)
    {
      g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL;

      grid_values (x);
      x[17] = bad[b];
      g_assert_false (tw_moran_global (w, x, 0, 1, 1, &global, &e1));
      g_assert_error (e1, TW_SPATIAL_STATS_ERROR, TW_SPATIAL_STATS_ERROR_INVALID);
      g_assert_false (tw_moran_local (w, x, 0, 1, 1, local, &e2));
      g_assert_error (e2, TW_SPATIAL_STATS_ERROR, TW_SPATIAL_STATS_ERROR_INVALID);
      g_assert_false (tw_getis_ord_gstar (w, x, z, NULL, &e3));
      g_assert_error (e3, TW_SPATIAL_STATS_ERROR, TW_SPATIAL_STATS_ERROR_INVALID);
    }
}

/* Spatial EB: apportioned counts give rates between the raw and the local ones; all-zero
 * neighbourhoods give 0; impossible counts and populations are refused with a message. */
static void
test_eb_local (void)
{
  g_autoptr(TwWeights) w = grid_weights ();
  static const double bad[] = { -0.5, NAN, INFINITY };
  double events[N_AREAS], population[N_AREAS], est[N_AREAS];
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_AREAS; i++)
    {
      events[i] = (i % 3 == 0) ? 0.0003 : (i % 3 == 1 ? 0.4 : 2.5 * (i / SIDE));
      population[i] = (i % 4 == 0) ? 0.01 : 100.0 + i;
    }
  g_assert_true (tw_rate_eb_local (w, events, population, est, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_AREAS; i++)
    {
      g_assert_true (isfinite (est[i]));
      g_assert_cmpfloat (est[i], >=, 0.0);
    }

  for (guint i = 0; i < N_AREAS; i++)
    events[i] = 0.0;
  g_assert_true (tw_rate_eb_local (w, events, population, est, &error));
  for (guint i = 0; i < N_AREAS; i++)
    g_assert_cmpfloat (est[i], ==, 0.0);

  for (guint b = 0; b < G_N_ELEMENTS (bad); b++)
    {
      g_autoptr(GError) e1 = NULL, e2 = NULL;

      events[5] = bad[b];
      g_assert_false (tw_rate_eb_local (w, events, population, est, &e1));
      g_assert_error (e1, TW_SPATIAL_STATS_ERROR, TW_SPATIAL_STATS_ERROR_INVALID);
      g_assert_nonnull (strstr (e1->message, "area 6 of 36"));
      events[5] = 0.0;
      population[5] = bad[b];
      g_assert_false (tw_rate_eb_local (w, events, population, est, &e2));
      g_assert_error (e2, TW_SPATIAL_STATS_ERROR, TW_SPATIAL_STATS_ERROR_INVALID);
      population[5] = 105.0;
    }

  {
    g_autoptr(GError) e = NULL;

    for (guint i = 0; i < N_AREAS; i++)
      events[i] = DBL_MAX / 4;
    g_assert_false (tw_rate_eb_local (w, events, population, est, &e));
    g_assert_error (e, TW_SPATIAL_STATS_ERROR, TW_SPATIAL_STATS_ERROR_INVALID);
  }

  /* Rates whose squares pass the doubles: an error, not a NaN estimate. */
  {
    g_autoptr(GError) e = NULL;

    for (guint i = 0; i < N_AREAS; i++)
      events[i] = i == 7 ? 1e300 : 0.4;
    g_assert_false (tw_rate_eb_local (w, events, population, est, &e));
    g_assert_error (e, TW_SPATIAL_STATS_ERROR, TW_SPATIAL_STATS_ERROR_INVALID);
  }
}

/* Classes of values near 1e300 are those of the same values near 1, times the factor. */
static void
test_classes_far_from_one (void)
{
  static const TwClassifyMethod methods[] = {
    TW_CLASSIFY_QUANTILE, TW_CLASSIFY_EQUAL, TW_CLASSIFY_NATURAL, TW_CLASSIFY_STDDEV,
  };
  double x[N_AREAS], y[N_AREAS];

  grid_values (x);
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    for (double factor = 0x1p-990; factor < 0x1p1000; factor *= 0x1p330)
      {
        g_autoptr(TwClassification) near = NULL;
        g_autoptr(TwClassification) far = NULL;
        g_autoptr(GError) error = NULL;

        for (guint i = 0; i < N_AREAS; i++)
          y[i] = x[i] * factor;
        near = tw_classify (x, N_AREAS, methods[m], 5, NULL, 0, &error);
        far = tw_classify (y, N_AREAS, methods[m], 5, NULL, 0, &error);
        g_assert_no_error (error);
        g_test_message ("%s × %g", tw_classify_method_to_string (methods[m]), factor);
        g_assert_cmpuint (far->n_classes, ==, near->n_classes);
        for (guint c = 0; c <= near->n_classes; c++)
          {
            g_assert_true (isfinite (far->breaks[c]));
            assert_same (far->breaks[c], near->breaks[c] * factor);
          }
        for (guint c = 0; c < near->n_classes; c++)
          g_assert_cmpuint (far->counts[c], ==, near->counts[c]);
        g_assert_false (isnan (far->within_ss));
      }

  /* Values from −1e-300 to 1e300: every one of them falls in a class (the map asserts it). */
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      static const double wide[] = { -1e-300, 0, 1e-300, 3e-200, 0.0003, 1, 2.5e7, 1e150,
                                     1e300, 4e300 };
      g_autoptr(TwClassification) classes = NULL;
      g_autoptr(GError) error = NULL;

      classes = tw_classify (wide, G_N_ELEMENTS (wide), methods[m], 5, NULL, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (classes->breaks[0], ==, -1e-300);
      g_assert_cmpfloat (classes->breaks[classes->n_classes], ==, 4e300);
      for (guint i = 0; i < G_N_ELEMENTS (wide); i++)
        g_assert_cmpint (tw_classification_class_of (classes, wide[i]), >=, 0);
      for (guint c = 0; c <= classes->n_classes; c++)
        g_assert_true (isfinite (classes->breaks[c]));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/geo/numeric-guards/spatial-stats-far-from-one", test_far_from_one);
  g_test_add_func ("/geo/numeric-guards/spatial-stats-not-a-number", test_not_a_number);
  g_test_add_func ("/geo/numeric-guards/eb-local", test_eb_local);
  g_test_add_func ("/geo/numeric-guards/classes-far-from-one", test_classes_far_from_one);

  return g_test_run ();
}
