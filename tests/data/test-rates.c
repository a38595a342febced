/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-rates"

#include <math.h>
#include <string.h>

#include "tw-rates.h"

static void
assert_close (double got,
              double want,
              double tolerance)
{
  if (!(fabs (got - want) <= tolerance))
    g_error ("got %.17g, want %.17g (± %g)", got, want, tolerance);
}

static void
assert_relative (double got,
                 double want,
                 double tolerance)
{
  assert_close (got, want, tolerance * MAX (fabs (want), 1e-300));
}

/* The lines of a fixture that start with @kind, split at spaces, the kind dropped. */
static GPtrArray *
read_reference (const char *folder,
                const char *file,
                const char *kind)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", folder, file, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", -1);
      GArray *values;

      if (f[0] == NULL || !g_str_equal (f[0], kind))
        continue;
      values = g_array_new (FALSE, FALSE, sizeof (double));
      for (guint j = 1; f[j] != NULL; j++)
        {
          double v = g_str_equal (f[j], "NA") ? NAN : g_ascii_strtod (f[j], NULL);

          g_array_append_val (values, v);
        }
      g_ptr_array_add (rows, values);
    }
  return rows;
}

#define VALUE(row, j) g_array_index ((GArray *) (row), double, (j))

/* Exact Poisson limits for a count, as published in the standard tables (e.g. Ulm K,
 * Am J Epidemiol 1990;131:373–5; Breslow & Day vol. II, table 2.11), to 4 decimals. */
static void
test_poisson_published (void)
{
  static const struct { double x, lower, upper; } table[] = {
    { 0, 0.0, 3.6889 },
    { 1, 0.0253, 5.5716 },
    { 2, 0.2422, 7.2247 },
    { 5, 1.6235, 11.6683 },
    { 10, 4.7954, 18.3904 },
    { 20, 12.2165, 30.8884 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      double lower, upper;

      g_assert_true (tw_rate_interval_poisson (table[i].x, 1.0, 0.95, &lower, &upper));
      assert_close (lower, table[i].lower, 0.5e-4);
      assert_close (upper, table[i].upper, 0.5e-4);
    }
}

/* Non-integer (apportioned) counts against R's qgamma (0.025, x), qgamma (0.975, x + 1). */
static void
test_poisson_fractional (void)
{
  double lower, upper;

  g_assert_true (tw_rate_interval_poisson (2.5, 1000.0, 0.95, &lower, &upper));
  assert_relative (lower, 0.41560580674333125 / 1000.0, 1e-10);
  assert_relative (upper, 8.0063821373146613 / 1000.0, 1e-10);

  g_assert_true (tw_rate_interval_poisson (0.3, 1.0, 0.95, &lower, &upper));
  assert_relative (lower, 3.185679031739166e-06, 1e-9);
  assert_relative (upper, 4.2937771108635774, 1e-10);

  g_assert_false (tw_rate_interval_poisson (1.0, 0.0, 0.95, &lower, &upper));
  g_assert_true (isnan (lower) && isnan (upper));
  g_assert_false (tw_rate_interval_poisson (-1.0, 10.0, 0.95, &lower, &upper));
}

/* Wilson score intervals without continuity correction: Newcombe RG, Two-sided confidence
 * intervals for the single proportion, Stat Med 1998;17:857–72, table II (method 3). */
static void
test_wilson_published (void)
{
  static const struct { double x, n, lower, upper; } table[] = {
    { 81, 263, 0.2553, 0.3662 },
    { 15, 148, 0.0624, 0.1605 },
    { 0, 20, 0.0000, 0.1611 },
    { 1, 29, 0.0061, 0.1718 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      double lower, upper;

      g_assert_true (tw_rate_interval_wilson (table[i].x, table[i].n, 0.95, &lower, &upper));
      assert_close (lower, table[i].lower, 0.5e-4);
      assert_close (upper, table[i].upper, 0.5e-4);
    }

  /* All cases: the upper limit is exactly 1. */
  {
    double lower, upper;

    g_assert_true (tw_rate_interval_wilson (7, 7, 0.95, &lower, &upper));
    g_assert_cmpfloat (upper, ==, 1.0);
    g_assert_cmpfloat (lower, >, 0.6);
    g_assert_false (tw_rate_interval_wilson (8, 7, 0.95, &lower, &upper));
  }
}

static void
test_crude (void)
{
  TwRateEstimate e;

  e = tw_rate_crude (TW_RATE_KIND_RATE, 10, 50000, 100000);
  assert_relative (e.rate, 20.0, 1e-14);
  assert_close (e.lower, 4.7954 * 2.0, 1e-3);
  assert_close (e.upper, 18.3904 * 2.0, 1e-3);

  /* A zero count has an interval: up to 3.689 events. */
  e = tw_rate_crude (TW_RATE_KIND_RATE, 0, 1000, 1000);
  g_assert_cmpfloat (e.rate, ==, 0.0);
  g_assert_cmpfloat (e.lower, ==, 0.0);
  assert_close (e.upper, 3.6889, 1e-4);

  e = tw_rate_crude (TW_RATE_KIND_PROPORTION, 81, 263, 100);
  assert_relative (e.rate, 8100.0 / 263.0, 1e-14);
  assert_close (e.lower, 25.53, 0.005);
  assert_close (e.upper, 36.62, 0.005);

  e = tw_rate_crude (TW_RATE_KIND_RATE, 3, 0, 1000);
  g_assert_true (isnan (e.rate) && isnan (e.lower) && isnan (e.upper));
}

static void
test_age_groups (void)
{
  const char *const *labels = tw_age_group_labels ();
  double sum = 0.0;

  g_assert_cmpuint (g_strv_length ((GStrv) labels), ==, TW_N_AGE_GROUPS);
  g_assert_cmpint (tw_age_group_index ("00"), ==, 0);
  g_assert_cmpint (tw_age_group_index ("01-04"), ==, 1);
  g_assert_cmpint (tw_age_group_index ("85+"), ==, 10);
  g_assert_cmpint (tw_age_group_index ("0"), ==, -1);
  g_assert_cmpint (tw_age_group_index ("85-99"), ==, -1);
  for (int i = 0; i < TW_N_AGE_GROUPS; i++)
    sum += tw_age_group_standard_weight (i);
  assert_close (sum, 1.0, 1e-12);
  /* Klein & Schoenborn 2001, table 2: 35–44 is the largest group, 162 613 per million. */
  assert_close (tw_age_group_standard_weight (5), 0.162613, 1e-12);
}

/* The Fay–Feuer formulas evaluated by R's qgamma (tests/fixtures/rates/make-expected.R), on
 * one population and four sets of counts: typical, sparse, all zero, apportioned. */
static void
test_fay_feuer (void)
{
  static const double population[TW_N_AGE_GROUPS] = {
    1210, 4890, 12050, 13400, 12980, 14020, 13310, 10020, 7450, 4310, 1520,
  };
  static const struct { double x[TW_N_AGE_GROUPS], rate, lower, upper; } table[] = {
    { { 0, 0, 1, 3, 5, 9, 18, 31, 47, 66, 40 }, 216.33928562486915, 188.60200069474806, 247.25838477879483 },
    { { 0, 0, 0, 0, 0, 1, 0, 2, 0, 3, 1 }, 7.0428376232703629, 2.8173286202361738, 14.918470073955962 },
    { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 0, 0, 4.4561969936771364 },
    { { 0.5, 0, 1.25, 2.5, 3, 4.75, 9, 12.5, 20, 18.25, 9 }, 79.209866737844422, 62.814528297025419, 98.84962017321331 },
  };
  gboolean present[TW_N_AGE_GROUPS];

  for (int i = 0; i < TW_N_AGE_GROUPS; i++)
    present[i] = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autoptr(GError) error = NULL;
      TwRateEstimate e;

      g_assert_true (tw_rate_age_adjusted (table[i].x, population, present, 1e5, &e, NULL,
                                           &error));
      g_assert_no_error (error);
      assert_relative (e.rate, table[i].rate, 1e-12);
      assert_relative (e.lower, table[i].lower, 1e-10);
      assert_relative (e.upper, table[i].upper, 1e-10);
    }
}

/* Fay & Feuer (1997), abstract: the interval is exact whenever the standard population is
 * proportional to the study population. Then it must equal the Garwood interval. */
static void
test_fay_feuer_proportional (void)
{
  double x[TW_N_AGE_GROUPS], n[TW_N_AGE_GROUPS];
  gboolean present[TW_N_AGE_GROUPS];
  double total = 0.0, lower, upper;
  TwRateEstimate e;

  for (int i = 0; i < TW_N_AGE_GROUPS; i++)
    {
      n[i] = tw_age_group_standard_weight (i) * 250000.0;
      x[i] = (i * 7) % 5;
      total += x[i];
      present[i] = TRUE;
    }
  g_assert_true (tw_rate_age_adjusted (x, n, present, 1.0, &e, NULL, NULL));
  tw_rate_interval_poisson (total, 250000.0, 0.95, &lower, &upper);
  assert_relative (e.rate, total / 250000.0, 1e-12);
  assert_relative (e.lower, lower, 1e-10);
  assert_relative (e.upper, upper, 1e-10);
}

static void
test_age_missing (void)
{
  static const double x[TW_N_AGE_GROUPS] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
  double n[TW_N_AGE_GROUPS];
  gboolean present[TW_N_AGE_GROUPS];
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) missing = NULL;
  TwRateEstimate e;

  for (int i = 0; i < TW_N_AGE_GROUPS; i++)
    {
      n[i] = 1000;
      present[i] = TRUE;
    }
  present[0] = FALSE;
  n[10] = 0;

  g_assert_false (tw_rate_age_adjusted (x, n, present, 1e5, &e, &missing, &error));
  g_assert_error (error, TW_RATES_ERROR, TW_RATES_ERROR_MISSING_AGE_GROUPS);
  g_assert_nonnull (strstr (error->message, "00, 85+"));
  g_assert_cmpuint (g_strv_length (missing), ==, 2);
  g_assert_cmpstr (missing[0], ==, "00");
  g_assert_cmpstr (missing[1], ==, "85+");
  g_assert_true (isnan (e.rate));
}

/* spdep::EBest on the North Carolina SIDS data, computed once in R. */
static void
test_eb_nc_sids (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "rates",
                                                 "nc-ebest.txt", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GArray) y = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) n = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) want = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree double *got = NULL;
  double want_a = NAN, want_b = NAN, a, b;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", -1);
      double v;

      if (g_str_has_prefix (lines[i], "# a "))
        want_a = g_ascii_strtod (lines[i] + 4, NULL);
      else if (g_str_has_prefix (lines[i], "# b "))
        want_b = g_ascii_strtod (lines[i] + 4, NULL);
      if (lines[i][0] == '#' || g_strv_length (f) != 5)
        continue;
      v = g_ascii_strtod (f[1], NULL);
      g_array_append_val (y, v);
      v = g_ascii_strtod (f[2], NULL);
      g_array_append_val (n, v);
      v = g_ascii_strtod (f[4], NULL);
      g_array_append_val (want, v);
    }
  g_assert_cmpuint (y->len, ==, 100);

  got = g_new (double, y->len);
  g_assert_true (tw_rate_eb_global ((double *) y->data, (double *) n->data, y->len, got,
                                    &b, &a, &error));
  g_assert_no_error (error);
  assert_relative (a, want_a, 1e-12);
  assert_relative (b, want_b, 1e-13);
  for (guint i = 0; i < y->len; i++)
    assert_relative (got[i], g_array_index (want, double, i), 1e-12);
}

static void
test_eb_edges (void)
{
  static const double y[] = { 1, 2, 3 }, n_equal[] = { 1000, 1000, 1000 };
  static const double n_bad[] = { 1000, 0, 1000 };
  double est[3], a, b, lower, upper;
  g_autoptr(GError) error = NULL;

  /* Little spread: a is clipped to 0 and every area shrinks to b. */
  g_assert_true (tw_rate_eb_global (y, n_equal, 3, est, &b, &a, NULL));
  g_assert_cmpfloat (a, ==, 0.0);
  for (int i = 0; i < 3; i++)
    assert_relative (est[i], 0.002, 1e-14);
  tw_rate_eb_interval (y[0], n_equal[0], b, a, 6, 3000, &lower, &upper);
  assert_relative (lower, 2.201894253 / 3000.0, 1e-9);
  g_assert_cmpfloat (upper, >, 0.002);

  g_assert_false (tw_rate_eb_global (y, n_bad, 3, est, NULL, NULL, &error));
  g_assert_error (error, TW_RATES_ERROR, TW_RATES_ERROR_INVALID);
}

/* The posterior interval contains the EB estimate (its mean) and narrows with population. */
static void
test_eb_interval (void)
{
  double lower, upper, lower_big, upper_big;
  double a = 1e-6, b = 0.002, est = (b * b + a * 5) / (b + a * 1000);

  tw_rate_eb_interval (5, 1000, b, a, 0, 0, &lower, &upper);
  g_assert_cmpfloat (lower, <, est);
  g_assert_cmpfloat (upper, >, est);
  tw_rate_eb_interval (50, 10000, b, a, 0, 0, &lower_big, &upper_big);
  g_assert_cmpfloat (upper_big - lower_big, <, upper - lower);
}

/* Apportioned counts (0.0003, 0.4, 2.5 …) over denominators down to 0.01, against R's
 * qgamma (0.025, x) / n and qgamma (0.975, x + 1) / n (tests/fixtures/rates). */
static void
test_poisson_apportioned (void)
{
  g_autoptr(GPtrArray) rows = read_reference ("rates", "gamma-reference.txt", "poisson");

  g_assert_cmpuint (rows->len, >=, 50);
  for (guint i = 0; i < rows->len; i++)
    {
      double x = VALUE (rows->pdata[i], 0), n = VALUE (rows->pdata[i], 1), lower, upper;

      g_test_message ("poisson %g / %g", x, n);
      g_assert_true (tw_rate_interval_poisson (x, n, 0.95, &lower, &upper));
      if (VALUE (rows->pdata[i], 2) == 0.0)
        g_assert_cmpfloat (lower, ==, 0.0);
      else
        assert_relative (lower, VALUE (rows->pdata[i], 2), 1e-11);
      assert_relative (upper, VALUE (rows->pdata[i], 3), 1e-11);
    }
}

/* R's prop.test (correct = FALSE) on apportioned counts. Its formula, centre ± half,
 * loses absolute precision of a few units of the centre (1.3e-7 of the lower limit at
 * 0.0001 / 1730.25), so R is matched to 1e-12 plus 1e-15 of the upper limit; the figures
 * that follow, worked to 50 digits with Python's decimal module from the same doubles and
 * z = 1.959963984540054, hold ours to 1e-14. */
static void
test_wilson_apportioned (void)
{
  static const struct { double x, n, lower, upper; } exact[] = {
    { 0.0003, 0.01, 2.3424995696709052e-06, 0.99755702385026812 },
    { 3e-7, 1e-5, 2.3428595841992652e-09, 0.99999755067645701 },
    { 0.4, 0.5, 0.074076495891972405, 0.99502470082329098 },
    { 0.0001, 1730.25, 1.5044312639266824e-12, 0.0022153726659249599 },
  };
  g_autoptr(GPtrArray) rows = read_reference ("rates", "gamma-reference.txt", "wilson");

  g_assert_cmpuint (rows->len, >=, 30);
  for (guint i = 0; i < rows->len; i++)
    {
      double x = VALUE (rows->pdata[i], 0), n = VALUE (rows->pdata[i], 1), lower, upper;

      g_test_message ("wilson %g / %g", x, n);
      g_assert_true (tw_rate_interval_wilson (x, n, 0.95, &lower, &upper));
      assert_close (lower, VALUE (rows->pdata[i], 2),
                    1e-12 * VALUE (rows->pdata[i], 2) + 1e-15 * VALUE (rows->pdata[i], 3));
      assert_relative (upper, VALUE (rows->pdata[i], 3), 1e-12);
    }
  for (guint i = 0; i < G_N_ELEMENTS (exact); i++)
    {
      double lower, upper;

      g_assert_true (tw_rate_interval_wilson (exact[i].x, exact[i].n, 0.95, &lower, &upper));
      assert_relative (lower, exact[i].lower, 1e-14);
      assert_relative (upper, exact[i].upper, 1e-14);
    }
}

/* epitools::ageadjust.direct on apportioned counts and populations (one of 0.01). */
static void
test_fay_feuer_apportioned (void)
{
  g_autoptr(GPtrArray) rows = read_reference ("rates", "gamma-reference.txt", "fayfeuer");
  gboolean present[TW_N_AGE_GROUPS];

  for (int i = 0; i < TW_N_AGE_GROUPS; i++)
    present[i] = TRUE;
  g_assert_cmpuint (rows->len, ==, 4);
  for (guint i = 0; i < rows->len; i++)
    {
      GArray *row = rows->pdata[i];
      g_autoptr(GError) error = NULL;
      TwRateEstimate e;

      g_assert_cmpuint (row->len, ==, 3 + 2 * TW_N_AGE_GROUPS);
      g_assert_true (tw_rate_age_adjusted (&VALUE (row, 3), &VALUE (row, 3 + TW_N_AGE_GROUPS),
                                           present, 1.0, &e, NULL, &error));
      g_assert_no_error (error);
      assert_relative (e.rate, VALUE (row, 0), 1e-12);
      if (VALUE (row, 1) == 0.0)
        g_assert_cmpfloat (e.lower, ==, 0.0);
      else
        assert_relative (e.lower, VALUE (row, 1), 1e-11);
      assert_relative (e.upper, VALUE (row, 2), 1e-11);
    }
}

/* spdep's EBest on every stratum of the apportioned Boston tables (tests/fixtures/outcomes):
 * counts of 0.0003 and 0, populations of 0.01, and strata where a is clipped to 0. */
static void
test_eb_apportioned (void)
{
  g_autoptr(GPtrArray) rows = NULL;
  static const char *const measures[] = { "asthma_ed", "preterm_birth" };
  static const char *const strata[] = { "all", "black", "hispanic", "asian", "white" };
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "outcomes",
                                                 "boston-apportioned-reference.txt", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint checked = 0, clipped = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint m = 0; m < G_N_ELEMENTS (measures); m++)
    for (guint s = 0; s < G_N_ELEMENTS (strata); s++)
      {
        g_autoptr(GArray) y = g_array_new (FALSE, FALSE, sizeof (double));
        g_autoptr(GArray) n = g_array_new (FALSE, FALSE, sizeof (double));
        g_autoptr(GArray) want = g_array_new (FALSE, FALSE, sizeof (double));
        g_autofree double *got = NULL;
        g_autoptr(GError) error = NULL;
        double a, b;

        for (guint i = 0; lines[i] != NULL; i++)
          {
            g_auto(GStrv) f = g_strsplit (lines[i], " ", -1);
            double v;

            if (g_strv_length (f) != 9 || !g_str_equal (f[0], measures[m])
                || !g_str_equal (f[2], strata[s]) || g_str_equal (f[7], "NA"))
              continue;
            v = g_ascii_strtod (f[3], NULL);
            g_array_append_val (y, v);
            v = g_ascii_strtod (f[4], NULL);
            g_array_append_val (n, v);
            v = g_ascii_strtod (f[7], NULL);
            g_array_append_val (want, v);
          }
        g_assert_cmpuint (y->len, >, 490);
        got = g_new (double, y->len);
        g_assert_true (tw_rate_eb_global ((double *) y->data, (double *) n->data, y->len, got,
                                          &b, &a, &error));
        g_assert_no_error (error);
        clipped += a == 0.0;
        for (guint i = 0; i < y->len; i++)
          {
            double lower, upper;

            assert_relative (got[i], g_array_index (want, double, i), 1e-11);
            checked++;
            /* The posterior interval is a number; it holds the estimate (the posterior
             * mean) when the shape b²/a + y is at least 1: below that the gamma is so
             * skewed that its mean can lie past its 97.5% point. */
            if (a == 0.0)
              continue;
            g_assert_true (tw_rate_eb_interval (g_array_index (y, double, i),
                                                g_array_index (n, double, i), b, a,
                                                0.0, 0.0, &lower, &upper));
            g_assert_cmpfloat (lower, >=, 0.0);
            g_assert_cmpfloat (lower, <, upper);
            if (b * b / a + g_array_index (y, double, i) >= 1.0)
              {
                g_assert_cmpfloat (lower, <=, got[i]);
                g_assert_cmpfloat (upper, >=, got[i]);
              }
          }
      }
  g_assert_cmpuint (checked, >, 4900);
  g_assert_cmpuint (clipped, >, 0);
}

/* What no file can make abort: negative, NaN and infinite counts and populations are
 * refused with FALSE (and an error where the function takes one), never asserted. */
static void
test_impossible_values (void)
{
  static const double bad[] = { -1.0, NAN, INFINITY, -INFINITY };
  double lower, upper, est[3], pop_ok[3] = { 10, 20, 30 }, ev_ok[3] = { 1, 2, 3 };
  double x[TW_N_AGE_GROUPS], n[TW_N_AGE_GROUPS];
  gboolean present[TW_N_AGE_GROUPS];

  for (int i = 0; i < TW_N_AGE_GROUPS; i++)
    {
      x[i] = 1.5;
      n[i] = 1000.25;
      present[i] = TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      double ev[3] = { 1, bad[i], 3 }, pop[3] = { 10, bad[i], 30 };
      g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL;
      TwRateEstimate e;

      g_assert_false (tw_rate_interval_poisson (bad[i], 10.0, 0.95, &lower, &upper));
      g_assert_true (isnan (lower) && isnan (upper));
      g_assert_false (tw_rate_interval_poisson (1.0, bad[i], 0.95, &lower, &upper));
      g_assert_false (tw_rate_interval_wilson (bad[i], 10.0, 0.95, &lower, &upper));
      g_assert_false (tw_rate_interval_wilson (1.0, bad[i], 0.95, &lower, &upper));
      e = tw_rate_crude (TW_RATE_KIND_RATE, bad[i], 10.0, 1000.0);
      g_assert_true (isnan (e.lower) && isnan (e.upper));

      g_assert_false (tw_rate_eb_global (ev, pop_ok, 3, est, NULL, NULL, &e1));
      g_assert_error (e1, TW_RATES_ERROR, TW_RATES_ERROR_INVALID);
      g_assert_false (tw_rate_eb_global (ev_ok, pop, 3, est, NULL, NULL, &e2));
      g_assert_error (e2, TW_RATES_ERROR, TW_RATES_ERROR_INVALID);
      g_assert_false (tw_rate_eb_interval (bad[i], 10.0, 0.002, 1e-6, 0, 0, &lower, &upper));
      g_assert_true (isnan (lower) && isnan (upper));

      x[3] = bad[i];
      g_assert_false (tw_rate_age_adjusted (x, n, present, 1e5, &e, NULL, &e3));
      g_assert_error (e3, TW_RATES_ERROR, TW_RATES_ERROR_INVALID);
      x[3] = 1.5;
      if (!(bad[i] < 0.0) && !isnan (bad[i]))
        {
          /* A negative or NaN population is a missing group; an infinite one is refused. */
          n[3] = bad[i];
          g_assert_false (tw_rate_age_adjusted (x, n, present, 1e5, &e, NULL, &e4));
          g_assert_error (e4, TW_RATES_ERROR, TW_RATES_ERROR_INVALID);
          n[3] = 1000.25;
        }
    }

  /* Sums past the doubles are refused too, and so are rates whose squares are. */
  {
    double huge[2] = { 1e308, 1e308 }, one[2] = { 1, 1 }, spread[3] = { 1e300, 0.4, 0 };
    g_autoptr(GError) error = NULL, error2 = NULL;

    g_assert_false (tw_rate_eb_global (huge, one, 2, est, NULL, NULL, &error));
    g_assert_error (error, TW_RATES_ERROR, TW_RATES_ERROR_INVALID);
    g_assert_false (tw_rate_eb_global (spread, pop_ok, 3, est, NULL, NULL, &error2));
    g_assert_error (error2, TW_RATES_ERROR, TW_RATES_ERROR_INVALID);
  }
}

/* Every count 0 (spdep gives NaN): every estimate is 0, with the pooled interval of a
 * zero count; a prior variance barely above 0 (posterior shape 1e24) still answers. */
static void
test_eb_degenerate (void)
{
  static const double zero[3] = { 0, 0, 0 }, pop[3] = { 0.01, 20.5, 300 };
  double est[3], a, b, lower, upper;

  g_assert_true (tw_rate_eb_global (zero, pop, 3, est, &b, &a, NULL));
  for (int i = 0; i < 3; i++)
    g_assert_cmpfloat (est[i], ==, 0.0);
  g_assert_true (tw_rate_eb_interval (0, 0.01, b, a, 0, 320.51, &lower, &upper));
  g_assert_cmpfloat (lower, ==, 0.0);
  assert_relative (upper, 3.6888794541139354 / 320.51, 1e-12);

  g_assert_true (tw_rate_eb_interval (0.0003, 0.01, 1e-3, 1e-30, 0, 0, &lower, &upper));
  g_assert_cmpfloat (lower, <, 1e-3);
  g_assert_cmpfloat (upper, >, 1e-3);
  assert_relative (lower, 1e-3, 1e-9);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/rates/poisson-interval/published", test_poisson_published);
  g_test_add_func ("/data/rates/poisson-interval/fractional", test_poisson_fractional);
  g_test_add_func ("/data/rates/wilson-interval/published", test_wilson_published);
  g_test_add_func ("/data/rates/crude", test_crude);
  g_test_add_func ("/data/rates/age-groups", test_age_groups);
  g_test_add_func ("/data/rates/age-adjusted/fay-feuer", test_fay_feuer);
  g_test_add_func ("/data/rates/age-adjusted/proportional", test_fay_feuer_proportional);
  g_test_add_func ("/data/rates/age-adjusted/missing-groups", test_age_missing);
  g_test_add_func ("/data/rates/eb/nc-sids", test_eb_nc_sids);
  g_test_add_func ("/data/rates/eb/edges", test_eb_edges);
  g_test_add_func ("/data/rates/eb/interval", test_eb_interval);
  g_test_add_func ("/data/rates/poisson-interval/apportioned", test_poisson_apportioned);
  g_test_add_func ("/data/rates/wilson-interval/apportioned", test_wilson_apportioned);
  g_test_add_func ("/data/rates/age-adjusted/apportioned", test_fay_feuer_apportioned);
  g_test_add_func ("/data/rates/eb/apportioned", test_eb_apportioned);
  g_test_add_func ("/data/rates/eb/degenerate", test_eb_degenerate);
  g_test_add_func ("/data/rates/impossible-values", test_impossible_values);

  return g_test_run ();
}
