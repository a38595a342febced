/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-spatial-stats"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tw-spatial-stats.h"

/*
 * Against R spdep 1.2.7 on the North Carolina SIDS counties (x = SID74 / BIR74 × 1000,
 * poly2nb queen neighbours, row-standardised), figures in
 * tests/fixtures/statistics/nc-spdep.txt written once by nc-spdep.R there:
 * moran.test (randomisation = TRUE), localmoran, localG with include.self, EBlocal.
 */

typedef struct
{
  guint   n;
  char   *fips[100];
  double  sid[100], births[100], x[100];
  double  local_i[100], local_z[100], gstar_z[100], eb[100];
  double  moran[4];        /* I, E, Var, p (greater) */
  guint   offsets[101];
  guint   neighbours[1000];
} Nc;

static double
relative_error (double a,
                double b)
{
  return fabs (a - b) / MAX (fabs (b), 1e-300);
}

static Nc *
load_nc (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "statistics",
                                                 "nc-spdep.txt", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) lists = g_ptr_array_new_with_free_func (g_free);
  Nc *nc = g_new0 (Nc, 1);
  guint links = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_auto(GStrv) f = g_strsplit (lines[l], " ", -1);
      guint i = nc->n;

      if (lines[l][0] == '#' || lines[l][0] == '\0')
        continue;
      if (g_str_equal (f[0], "moran"))
        {
          if (g_str_equal (f[1], "queen"))
            for (guint k = 0; k < 4; k++)
              nc->moran[k] = g_ascii_strtod (f[2 + k], NULL);
          continue;
        }
      g_assert_cmpuint (g_strv_length (f), ==, 10);
      nc->fips[i] = g_strdup (f[0]);
      nc->sid[i] = g_ascii_strtod (f[1], NULL);
      nc->births[i] = g_ascii_strtod (f[2], NULL);
      nc->x[i] = nc->sid[i] / nc->births[i] * 1000;
      nc->local_i[i] = g_ascii_strtod (f[5], NULL);
      nc->local_z[i] = g_ascii_strtod (f[6], NULL);
      nc->gstar_z[i] = g_ascii_strtod (f[7], NULL);
      nc->eb[i] = g_ascii_strtod (f[8], NULL);
      g_ptr_array_add (lists, g_strdup (f[9]));
      g_hash_table_insert (index, nc->fips[i], GUINT_TO_POINTER (i));
      nc->n++;
    }
  g_assert_cmpuint (nc->n, ==, 100);
  for (guint i = 0; i < nc->n; i++)
    {
      g_auto(GStrv) nb = g_strsplit (g_ptr_array_index (lists, i), ",", -1);

      nc->offsets[i] = links;
      for (guint j = 0; nb[j] != NULL; j++)
        {
          gpointer at;

          g_assert_true (g_hash_table_lookup_extended (index, nb[j], NULL, &at));
          nc->neighbours[links++] = GPOINTER_TO_UINT (at);
        }
    }
  nc->offsets[nc->n] = links;
  return nc;
}

static void
nc_free (Nc *nc)
{
  for (guint i = 0; i < nc->n; i++)
    g_free (nc->fips[i]);
  g_free (nc);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Nc, nc_free)

static TwWeights *
nc_weights (const Nc *nc)
{
  g_autoptr(GError) error = NULL;
  TwWeights *w = tw_weights_new_from_lists (nc->n, nc->offsets, nc->neighbours, &error);

  g_assert_no_error (error);
  return w;
}

static void
test_moran_global (void)
{
  g_autoptr(Nc) nc = load_nc ();
  g_autoptr(TwWeights) w = nc_weights (nc);
  g_autoptr(GError) error = NULL;
  TwMoranGlobal r;

  g_assert_true (tw_moran_global (w, nc->x, 999, 42, 0, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (relative_error (r.i, nc->moran[0]), <, 1e-9);
  g_assert_cmpfloat (relative_error (r.expectation, nc->moran[1]), <, 1e-9);
  g_assert_cmpfloat (relative_error (r.variance, nc->moran[2]), <, 1e-9);
  g_assert_cmpfloat (relative_error (r.p_analytic, nc->moran[3]), <, 1e-6);
  /* I ≈ 0.23 at z ≈ 3.8: hardly any of 999 shuffles reaches it */
  g_assert_cmpfloat (r.p_permutation, <, 0.01);
  g_assert_cmpfloat (r.p_permutation, >=, 1.0 / 1000);
}

static void
test_moran_local (void)
{
  g_autoptr(Nc) nc = load_nc ();
  g_autoptr(TwWeights) w = nc_weights (nc);
  g_autoptr(GError) error = NULL;
  g_autofree TwMoranLocal *r = g_new0 (TwMoranLocal, nc->n);

  g_assert_true (tw_moran_local (w, nc->x, 0, 0, 1, r, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < nc->n; i++)
    {
      g_assert_cmpfloat (fabs (r[i].i - nc->local_i[i]), <, 1e-9 * MAX (1, fabs (nc->local_i[i])));
      g_assert_cmpfloat (fabs (r[i].z - nc->local_z[i]), <, 1e-9 * MAX (1, fabs (nc->local_z[i])));
      g_assert_true (isnan (r[i].p_permutation));
    }
}

static void
test_gstar (void)
{
  g_autoptr(Nc) nc = load_nc ();
  g_autoptr(TwWeights) w = nc_weights (nc);
  g_autoptr(GError) error = NULL;
  double z[100], p[100];

  g_assert_true (tw_getis_ord_gstar (w, nc->x, z, p, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < nc->n; i++)
    {
      g_assert_cmpfloat (fabs (z[i] - nc->gstar_z[i]), <, 1e-9 * MAX (1, fabs (nc->gstar_z[i])));
      g_assert_cmpfloat (fabs (p[i] - erfc (fabs (z[i]) / G_SQRT2)), <, 1e-9);
    }
}

static void
test_eb_local (void)
{
  g_autoptr(Nc) nc = load_nc ();
  g_autoptr(TwWeights) w = nc_weights (nc);
  g_autoptr(GError) error = NULL;
  double est[100];
  double zero_births[100];

  g_assert_true (tw_rate_eb_local (w, nc->sid, nc->births, est, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < nc->n; i++)
    g_assert_cmpfloat (relative_error (est[i], nc->eb[i]), <, 1e-9);

  memcpy (zero_births, nc->births, sizeof zero_births);
  zero_births[7] = 0;
  g_assert_false (tw_rate_eb_local (w, nc->sid, zero_births, est, &error));
  g_assert_error (error, TW_SPATIAL_STATS_ERROR, TW_SPATIAL_STATS_ERROR_INVALID);
}

/* The same seed gives the same pseudo p values on 1 and 2 threads; another seed differs. */
static void
test_seed_and_threads (void)
{
  g_autoptr(Nc) nc = load_nc ();
  g_autoptr(TwWeights) w = nc_weights (nc);
  g_autofree TwMoranLocal *one = g_new0 (TwMoranLocal, nc->n);
  g_autofree TwMoranLocal *two = g_new0 (TwMoranLocal, nc->n);
  g_autofree TwMoranLocal *other = g_new0 (TwMoranLocal, nc->n);
  TwMoranGlobal g1, g2;
  guint differ = 0, hh = 0, ll = 0;

  g_assert_true (tw_moran_local (w, nc->x, 999, 20240501, 1, one, NULL));
  g_assert_true (tw_moran_local (w, nc->x, 999, 20240501, 2, two, NULL));
  g_assert_true (tw_moran_local (w, nc->x, 999, 7, 2, other, NULL));
  for (guint i = 0; i < nc->n; i++)
    {
      TwLisaCluster c = tw_lisa_classify (&one[i], one[i].p_permutation, 0.05);

      g_assert_cmpfloat (one[i].p_permutation, ==, two[i].p_permutation);
      g_assert_cmpfloat (one[i].p_permutation, >=, 1.0 / 1000);
      g_assert_cmpfloat (one[i].p_permutation, <=, 0.5 + 1.0 / 1000);
      differ += one[i].p_permutation != other[i].p_permutation;
      hh += c == TW_LISA_HIGH_HIGH;
      ll += c == TW_LISA_LOW_LOW;
      /* a pseudo p agrees roughly with the analytic one where the z is large */
      if (fabs (one[i].z) > 3.5)
        g_assert_cmpfloat (one[i].p_permutation, <, 0.02);
    }
  g_assert_cmpuint (differ, >, 50);
  /* the north-east and the south have SIDS clusters; both kinds are found */
  g_assert_cmpuint (hh, >, 0);
  g_assert_cmpuint (ll, >, 0);

  g_assert_true (tw_moran_global (w, nc->x, 499, 3, 1, &g1, NULL));
  g_assert_true (tw_moran_global (w, nc->x, 499, 3, 2, &g2, NULL));
  g_assert_cmpfloat (g1.p_permutation, ==, g2.p_permutation);
}

/* Each pseudo p of an unstructured variable is roughly uniform: about 5% fall at ≤ 0.05
 * when there is no clustering at all (a value drawn at random for each area). */
static void
test_null_rate (void)
{
  g_autoptr(Nc) nc = load_nc ();
  g_autoptr(TwWeights) w = nc_weights (nc);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autofree TwMoranLocal *r = g_new0 (TwMoranLocal, nc->n);
  double values[100];
  guint significant = 0, total = 0;

  for (guint rep = 0; rep < 20; rep++)
    {
      for (guint i = 0; i < nc->n; i++)
        values[i] = g_rand_double (rand);
      g_assert_true (tw_moran_local (w, values, 199, rep, 0, r, NULL));
      for (guint i = 0; i < nc->n; i++, total++)
        significant += r[i].p_permutation <= 0.05;
    }
  /* folded p ≤ 0.05 happens about 10% of the time (5% each tail) */
  g_assert_cmpfloat ((double) significant / total, >, 0.06);
  g_assert_cmpfloat ((double) significant / total, <, 0.14);
}

static void
test_fdr (void)
{
  /* R: p.adjust (c (0.01, 0.04, 0.03, 0.005, 0.5), "BH") */
  double p[] = { 0.01, 0.04, 0.03, NAN, 0.005, 0.5 };
  double expected[] = { 0.025, 0.05, 0.05, NAN, 0.025, 0.5 };
  double adjusted[6];

  tw_fdr_adjust (p, 6, adjusted);
  for (guint i = 0; i < 6; i++)
    if (isnan (expected[i]))
      g_assert_true (isnan (adjusted[i]));
    else
      g_assert_cmpfloat_with_epsilon (adjusted[i], expected[i], 1e-15);
}

static void
test_islands_and_bad_input (void)
{
  /* a path 0 - 1 - 2 - 3 - 4 and an island 5 */
  guint offsets[] = { 0, 1, 3, 5, 7, 8, 8 };
  guint neighbours[] = { 1, 0, 2, 1, 3, 2, 4, 3 };
  double values[] = { 1, 2, 3, 4, 5, 9 };
  double bad[] = { 1, 2, NAN, 4, 5, 9 };
  g_autoptr(TwWeights) w = tw_weights_new_from_lists (6, offsets, neighbours, NULL);
  g_autoptr(GError) error = NULL;
  TwMoranLocal local[6];
  TwMoranGlobal global;
  double z[6];

  g_assert_true (tw_moran_local (w, values, 99, 1, 0, local, NULL));
  g_assert_true (isnan (local[5].z));
  g_assert_true (isnan (local[5].p_permutation));
  g_assert_cmpint (tw_lisa_classify (&local[5], local[5].p_analytic, 0.05), ==,
                   TW_LISA_NOT_SIGNIFICANT);
  g_assert_true (tw_moran_global (w, values, 0, 0, 0, &global, NULL));
  g_assert_cmpfloat_with_epsilon (global.expectation, -1.0 / 4, 1e-15);  /* n = 5 */
  g_assert_true (tw_getis_ord_gstar (w, values, z, NULL, NULL));
  g_assert_true (isfinite (z[5]));

  g_assert_false (tw_moran_global (w, bad, 0, 0, 0, &global, &error));
  g_assert_error (error, TW_SPATIAL_STATS_ERROR, TW_SPATIAL_STATS_ERROR_INVALID);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/geo/spatial-stats/moran-equals-moran-test", test_moran_global);
  g_test_add_func ("/geo/spatial-stats/local-moran-equals-localmoran", test_moran_local);
  g_test_add_func ("/geo/spatial-stats/gstar-equals-localG", test_gstar);
  g_test_add_func ("/geo/spatial-stats/eb-local-equals-EBlocal", test_eb_local);
  g_test_add_func ("/geo/spatial-stats/seed-and-threads", test_seed_and_threads);
  g_test_add_func ("/geo/spatial-stats/pseudo-p-under-no-clustering", test_null_rate);
  g_test_add_func ("/geo/spatial-stats/fdr", test_fdr);
  g_test_add_func ("/geo/spatial-stats/islands-and-bad-input", test_islands_and_bad_input);

  return g_test_run ();
}
