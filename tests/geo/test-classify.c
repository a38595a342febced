/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-classify"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "tw-classify.h"

/*
 * Reference figures from R 4.2 with classInt 0.4.9 on tests/fixtures/classify/
 * nc-sids-rates.txt, printed once by tests/fixtures/classify/nc-sids-reference.R:
 * classIntervals (x, k, style = "fisher")$brks, the class counts and the within-class sum
 * of squares; quantile (x, seq (0, 1, 1/k), type = 7).
 */

typedef struct
{
  guint  k;
  double breaks[10];
  guint  counts[9];
  double within_ss;
} FisherReference;

static const FisherReference nc_fisher[] = {
  { 3, { 0, 1.3654710968452177, 3.4025004152913905, 9.5541401273885338 },
    { 34, 49, 17 }, 51.467099418727088 },
  { 4, { 0, 1.3654710968452177, 3.1143479094846169, 7.9438540186555615, 9.5541401273885338 },
    { 34, 48, 17, 1 }, 26.938878167963637 },
  { 5, { 0, 0.31017369727047145, 1.6963070984591577, 3.4025004152913905, 7.9438540186555615,
         9.5541401273885338 },
    { 13, 32, 38, 16, 1 }, 15.909583969161824 },
  { 6, { 0, 0.31017369727047145, 1.5343782620686541, 2.4756604694801192, 3.7698152113279333,
         7.9438540186555615, 9.5541401273885338 },
    { 13, 27, 30, 16, 13, 1 }, 10.236765635374834 },
  { 7, { 0, 0.31017369727047145, 1.4762721357413233, 2.2563875159519928, 3.1143479094846169,
         4.2883379247015618, 7.9438540186555615, 9.5541401273885338 },
    { 13, 26, 28, 15, 7, 10, 1 }, 6.86014531013591 },
  { 8, { 0, 0.31017369727047145, 1.4762721357413233, 2.2563875159519928, 3.1143479094846169,
         4.2883379247015618, 5.6920364802138206, 7.9438540186555615, 9.5541401273885338 },
    { 13, 26, 28, 15, 7, 9, 1, 1 }, 4.3882226098104198 },
  { 9, { 0, 0.31017369727047145, 1.151136004709719, 1.6963070984591577, 2.3386320214542557,
         3.1143479094846169, 4.2883379247015618, 5.6920364802138206, 7.9438540186555615,
         9.5541401273885338 },
    { 13, 13, 19, 23, 14, 7, 9, 1, 1 }, 2.4416724219130388 },
};

static GArray *
load_nc_rates (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  const char *path = g_test_get_filename (G_TEST_DIST, "fixtures", "classify",
                                          "nc-sids-rates.txt", NULL);
  GArray *values = g_array_new (FALSE, FALSE, sizeof (double));

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *end;
      double v;

      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      v = g_ascii_strtod (lines[i], &end);
      g_assert_cmpint (*end, ==, '\0');
      g_array_append_val (values, v);
    }
  g_assert_cmpuint (values->len, ==, 100);
  return values;
}

static void
assert_close (double actual,
              double expected,
              double rel)
{
  double tol = rel * MAX (1.0, fabs (expected));

  if (!(fabs (actual - expected) <= tol))
    g_error ("%.17g differs from %.17g by more than %g", actual, expected, tol);
}

/* The least within-class sum of squares of sorted x[0..n-1] in k contiguous classes, by the
 * textbook O(k n²) dynamic programme with each segment's sum of squares accumulated by
 * Welford's update (no prefix sums, so independent of the code under test). */
static double
brute_force_min_ss (const double *x,
                    guint         n,
                    guint         k)
{
  g_autofree double *d = g_new (double, (gsize) k * n);

  for (guint j = 0; j < n; j++)
    for (guint q = 0; q < k; q++)
      d[q * n + j] = INFINITY;

  for (guint j = 0; j < n; j++)
    {
      double mean = 0, m2 = 0;

      /* i runs down from j: segment x[i..j] grows by one value a step. */
      for (guint i = j + 1; i-- > 0;)
        {
          guint count = j - i + 1;
          double delta = x[i] - mean;

          mean += delta / count;
          m2 += delta * (x[i] - mean);
          if (i == 0)
            d[j] = m2;
          for (guint q = 1; q < k && i > 0; q++)
            {
              double before = d[(q - 1) * n + i - 1];

              if (before + m2 < d[q * n + j])
                d[q * n + j] = before + m2;
            }
        }
    }
  return d[(k - 1) * n + n - 1];
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
assert_consistent (const TwClassification *c,
                   const double           *values,
                   gsize                   n)
{
  g_autofree guint *counts = g_new0 (guint, c->n_classes);
  guint total = 0;

  for (guint i = 0; i < c->n_classes; i++)
    g_assert_cmpfloat (c->breaks[i], <=, c->breaks[i + 1]);
  for (gsize i = 0; i < n; i++)
    {
      int cls = tw_classification_class_of (c, values[i]);

      if (isnan (values[i]))
        {
          g_assert_cmpint (cls, ==, -1);
          continue;
        }
      g_assert_cmpint (cls, >=, 0);
      g_assert_cmpint (cls, <, (int) c->n_classes);
      counts[cls]++;
    }
  for (guint i = 0; i < c->n_classes; i++)
    {
      g_assert_cmpuint (counts[i], ==, c->counts[i]);
      total += counts[i];
    }
  g_assert_cmpuint (total, ==, c->n_values);
  assert_close (tw_classify_within_ss (values, n, c->breaks, c->n_classes), c->within_ss, 1e-9);
}

static void
test_natural_matches_fisher (void)
{
  g_autoptr(GArray) rates = load_nc_rates ();
  const double *x = (const double *) (void *) rates->data;

  for (guint r = 0; r < G_N_ELEMENTS (nc_fisher); r++)
    {
      const FisherReference *ref = &nc_fisher[r];
      g_autoptr(GError) error = NULL;
      g_autoptr(TwClassification) c = tw_classify (x, rates->len, TW_CLASSIFY_NATURAL,
                                                    ref->k, NULL, 0, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (c->n_classes, ==, ref->k);
      g_assert_cmpuint (c->n_values, ==, 100);
      g_assert_cmpuint (c->n_missing, ==, 0);
      for (guint i = 0; i <= ref->k; i++)
        assert_close (c->breaks[i], ref->breaks[i], 1e-14);
      for (guint i = 0; i < ref->k; i++)
        g_assert_cmpuint (c->counts[i], ==, ref->counts[i]);
      assert_close (c->within_ss, ref->within_ss, 1e-12);
      assert_consistent (c, x, rates->len);
    }
}

/* The exact property: on many random arrays, with ties and missing values, natural breaks
 * reach the least within-class sum of squares that exhaustive dynamic programming finds. */
static void
test_natural_is_optimal (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240404);

  for (guint trial = 0; trial < 3000; trial++)
    {
      guint n = g_rand_int_range (rand, 1, 70);
      guint k = g_rand_int_range (rand, TW_CLASSIFY_MIN_CLASSES, TW_CLASSIFY_MAX_CLASSES + 1);
      guint shape = trial % 4;
      g_autofree double *values = g_new (double, n);
      g_autofree double *sorted = g_new (double, n);
      g_autoptr(TwClassification) c = NULL;
      g_autoptr(GError) error = NULL;
      guint m = 0, distinct = 0;
      double expected;

      for (guint i = 0; i < n; i++)
        {
          switch (shape)
            {
            case 0: /* continuous, skewed like rates */
              values[i] = exp (g_rand_double_range (rand, 0, 4));
              break;
            case 1: /* many ties */
              values[i] = g_rand_int_range (rand, 0, 8);
              break;
            case 2: /* far from zero, narrow: cancellation would show */
              values[i] = 1e6 + g_rand_double (rand);
              break;
            default: /* clusters and some missing values */
              values[i] = g_rand_boolean (rand) && g_rand_int_range (rand, 0, 5) == 0
                          ? NAN : g_rand_int_range (rand, 0, 4) * 10 + g_rand_double (rand);
              break;
            }
          if (!isnan (values[i]))
            sorted[m++] = values[i];
        }

      c = tw_classify (values, n, TW_CLASSIFY_NATURAL, k, NULL, 0, &error);
      if (m == 0)
        {
          g_assert_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_NO_VALUES);
          g_assert_null (c);
          continue;
        }
      g_assert_no_error (error);

      qsort (sorted, m, sizeof (double), compare_doubles);
      for (guint i = 0; i < m; i++)
        if (i == 0 || sorted[i] != sorted[i - 1])
          distinct++;
      g_assert_cmpuint (c->n_classes, ==, MIN (k, distinct));
      g_assert_cmpfloat (c->breaks[0], ==, sorted[0]);
      g_assert_cmpfloat (c->breaks[c->n_classes], ==, sorted[m - 1]);
      for (guint i = 0; i < c->n_classes; i++)
        g_assert_cmpuint (c->counts[i], >, 0);

      expected = brute_force_min_ss (sorted, m, MIN (k, m));
      if (!(fabs (c->within_ss - expected) <= 1e-9 * MAX (1.0, expected)))
        g_error ("trial %u (n %u, k %u, shape %u): within SS %.17g, optimum %.17g",
                 trial, m, k, shape, c->within_ss, expected);
      assert_consistent (c, values, n);
    }
}

/* Larger arrays, where the divide-and-conquer rows matter, still against the O(k n²)
 * programme. */
static void
test_natural_is_optimal_large (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (85528);

  for (guint trial = 0; trial < 6; trial++)
    {
      guint n = 1500 + trial * 100;
      guint k = 4 + trial;
      g_autofree double *values = g_new (double, n);
      g_autoptr(TwClassification) c = NULL;
      double expected;

      for (guint i = 0; i < n; i++)
        {
          /* rates with small counts: many exact ties, as in real tract data */
          double denominator = g_rand_int_range (rand, 500, 6000);
          double events = floor (exp (g_rand_double_range (rand, 0, 4)));

          values[i] = trial % 2 == 0 ? events / denominator * 1000
                                     : exp (g_rand_double_range (rand, -1, 3));
        }
      c = tw_classify (values, n, TW_CLASSIFY_NATURAL, k, NULL, 0, NULL);
      g_assert_nonnull (c);
      qsort (values, n, sizeof (double), compare_doubles);
      expected = brute_force_min_ss (values, n, k);
      assert_close (c->within_ss, expected, 1e-9);
      assert_consistent (c, values, n);
    }
}

static void
test_quantile_type7 (void)
{
  g_autoptr(GArray) rates = load_nc_rates ();
  const double *x = (const double *) (void *) rates->data;
  static const double pi_digits[] = { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4 };
  static const struct
  {
    guint  k;
    double q[8];
  } nc_quantiles[] = {
    { 4, { 0, 1.0839282558849455, 1.8554366531586362, 2.6038176538569862,
           9.5541401273885338 } },
    { 5, { 0, 0.86383108470510128, 1.5411788957276962, 2.0449320271320302,
           2.7832856864773263, 9.5541401273885338 } },
    { 7, { 0, 0.6628331404282074, 1.2328663870008323, 1.5983993821423939,
           1.9805330227777733, 2.5659935541310674, 3.6081376568388213,
           9.5541401273885338 } },
  };
  static const double pi_q5[] = { 1, 2.8000000000000007, 3.6000000000000014, 5, 8, 9 };
  static const double pi_q3[] = { 1, 3, 5.6666666666666661, 9 };
  g_autoptr(TwClassification) p5 = NULL;
  g_autoptr(TwClassification) p3 = NULL;

  for (guint r = 0; r < G_N_ELEMENTS (nc_quantiles); r++)
    {
      g_autoptr(TwClassification) c = tw_classify (x, rates->len, TW_CLASSIFY_QUANTILE,
                                                    nc_quantiles[r].k, NULL, 0, NULL);

      g_assert_cmpuint (c->n_classes, ==, nc_quantiles[r].k);
      for (guint i = 0; i <= c->n_classes; i++)
        assert_close (c->breaks[i], nc_quantiles[r].q[i], 1e-15);
      assert_consistent (c, x, rates->len);
    }

  p5 = tw_classify (pi_digits, G_N_ELEMENTS (pi_digits), TW_CLASSIFY_QUANTILE, 5, NULL, 0,
                    NULL);
  g_assert_cmpuint (p5->n_classes, ==, 5);
  for (guint i = 0; i <= 5; i++)
    assert_close (p5->breaks[i], pi_q5[i], 1e-15);
  /* Sorted: 1 1 2 2 | 3 3 3 3 | 4 4 5 5 5 | 6 7 8 8 | 9 9 9 under the breaks
   * 1, 2.8, 3.6, 5, 8, 9. */
  g_assert_cmpuint (p5->counts[0], ==, 4);
  g_assert_cmpuint (p5->counts[1], ==, 4);
  g_assert_cmpuint (p5->counts[2], ==, 5);
  g_assert_cmpuint (p5->counts[3], ==, 4);
  g_assert_cmpuint (p5->counts[4], ==, 3);

  p3 = tw_classify (pi_digits, G_N_ELEMENTS (pi_digits), TW_CLASSIFY_QUANTILE, 3, NULL, 0,
                    NULL);
  for (guint i = 0; i <= 3; i++)
    assert_close (p3->breaks[i], pi_q3[i], 1e-15);
  assert_consistent (p3, pi_digits, G_N_ELEMENTS (pi_digits));
}

static void
test_quantile_ties_merge (void)
{
  /* Half the areas have a rate of 0: the quantiles at 1/5 and 2/5 are both 0 and merge. */
  static const double values[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
  g_autoptr(TwClassification) c = tw_classify (values, G_N_ELEMENTS (values),
                                                TW_CLASSIFY_QUANTILE, 5, NULL, 0, NULL);

  g_assert_cmpuint (c->n_classes, ==, 3);
  g_assert_cmpfloat (c->breaks[0], ==, 0);
  g_assert_cmpuint (c->counts[0], ==, 12);    /* [0, 2.4]: the ten zeros, 1 and 2 */
  for (guint i = 0; i < c->n_classes; i++)
    g_assert_cmpfloat (c->breaks[i], <, c->breaks[i + 1]);
  assert_consistent (c, values, G_N_ELEMENTS (values));
}

static void
test_equal_intervals (void)
{
  static const double values[] = { 2, 3.5, 4, 7, 9, 11, 14, 20, NAN };
  g_autoptr(TwClassification) c = tw_classify (values, G_N_ELEMENTS (values),
                                                TW_CLASSIFY_EQUAL, 3, NULL, 0, NULL);
  static const double breaks[] = { 2, 8, 14, 20 };
  static const guint counts[] = { 4, 3, 1 };

  g_assert_cmpuint (c->method, ==, TW_CLASSIFY_EQUAL);
  g_assert_cmpuint (c->n_classes, ==, 3);
  g_assert_cmpuint (c->n_values, ==, 8);
  g_assert_cmpuint (c->n_missing, ==, 1);
  for (guint i = 0; i <= 3; i++)
    g_assert_cmpfloat_with_epsilon (c->breaks[i], breaks[i], 1e-12);
  /* 14 sits on a break: it belongs to the class below, (8, 14]. */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (c->counts[i], ==, counts[i]);
  /* By hand: class means 4.125, 34/3 and 20; sums of squares 13.1875, 38/3 and 0. */
  assert_close (c->within_ss, 13.1875 + 38.0 / 3, 1e-12);
  assert_consistent (c, values, G_N_ELEMENTS (values));
}

static void
test_stddev (void)
{
  g_autoptr(GArray) rates = load_nc_rates ();
  const double *x = (const double *) (void *) rates->data;
  const double mean = 2.0455960298250697, sd = 1.5733399933457339; /* R mean(), sd() */
  g_autoptr(TwClassification) c4 = tw_classify (x, rates->len, TW_CLASSIFY_STDDEV, 4, NULL, 0,
                                                 NULL);
  g_autoptr(TwClassification) c5 = tw_classify (x, rates->len, TW_CLASSIFY_STDDEV, 5, NULL, 0,
                                                 NULL);
  g_autoptr(TwClassification) c9 = tw_classify (x, rates->len, TW_CLASSIFY_STDDEV, 9, NULL, 0,
                                                 NULL);

  /* K = 4: min | mean - sd | mean | mean + sd | max, all inside 0 .. 9.55 */
  g_assert_cmpuint (c4->n_classes, ==, 4);
  g_assert_cmpfloat (c4->breaks[0], ==, 0);
  assert_close (c4->breaks[1], mean - sd, 1e-14);
  assert_close (c4->breaks[2], mean, 1e-14);
  assert_close (c4->breaks[3], mean + sd, 1e-14);
  assert_close (c4->breaks[4], 9.5541401273885338, 1e-15);

  /* K = 5: the middle class is mean ± sd/2; mean - 1.5 sd < 0 falls outside the data
   * and is dropped. */
  g_assert_cmpuint (c5->n_classes, ==, 4);
  assert_close (c5->breaks[1], mean - 0.5 * sd, 1e-14);
  assert_close (c5->breaks[2], mean + 0.5 * sd, 1e-14);
  assert_close (c5->breaks[3], mean + 1.5 * sd, 1e-14);

  /* K = 9: breaks at mean + (i - 4.5) sd, i = 1..8; those below 0 are dropped, and
   * mean + 3.5 sd = 7.55 stays below the largest value 9.55. */
  g_assert_cmpuint (c9->n_classes, ==, 6);
  assert_close (c9->breaks[1], mean - 0.5 * sd, 1e-14);
  assert_close (c9->breaks[5], mean + 3.5 * sd, 1e-14);

  assert_consistent (c4, x, rates->len);
  assert_consistent (c5, x, rates->len);
  assert_consistent (c9, x, rates->len);
}

static void
test_manual (void)
{
  static const double values[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, NAN };
  static const double inner[] = { 2.5, 5, 7.5 };
  static const double below[] = { -5, -1 };
  g_autoptr(TwClassification) c = tw_classify (values, G_N_ELEMENTS (values),
                                                TW_CLASSIFY_MANUAL, 0, inner, 3, NULL);
  g_autoptr(TwClassification) d = tw_classify (values, G_N_ELEMENTS (values),
                                                TW_CLASSIFY_MANUAL, 5, below, 2, NULL);

  g_assert_cmpuint (c->n_classes, ==, 4);
  g_assert_cmpfloat (c->breaks[0], ==, 0);
  g_assert_cmpfloat (c->breaks[1], ==, 2.5);
  g_assert_cmpfloat (c->breaks[2], ==, 5);
  g_assert_cmpfloat (c->breaks[3], ==, 7.5);
  g_assert_cmpfloat (c->breaks[4], ==, 10);
  /* 0 1 2 | 3 4 5 | 6 7 | 8 9 10 */
  g_assert_cmpuint (c->counts[0], ==, 3);
  g_assert_cmpuint (c->counts[1], ==, 3);
  g_assert_cmpuint (c->counts[2], ==, 2);
  g_assert_cmpuint (c->counts[3], ==, 3);
  assert_consistent (c, values, G_N_ELEMENTS (values));

  /* Breaks below all the data: the lowest break widens to them; the first two classes are
   * empty and every value still has a class. K comes from the breaks, not n_classes. */
  g_assert_cmpuint (d->n_classes, ==, 3);
  g_assert_cmpfloat (d->breaks[0], ==, -5);
  g_assert_cmpfloat (d->breaks[3], ==, 10);
  g_assert_cmpuint (d->counts[0], ==, 0);
  g_assert_cmpuint (d->counts[1], ==, 0);
  g_assert_cmpuint (d->counts[2], ==, 11);
  assert_consistent (d, values, G_N_ELEMENTS (values));
}

static void
test_errors (void)
{
  static const double values[] = { 1, 2, 3, 4, 5 };
  static const double all_missing[] = { NAN, NAN };
  static const double with_inf[] = { 1, INFINITY };
  static const double decreasing[] = { 1, 3, 2 };
  static const double repeated[] = { 1, 2, 2 };
  static const double not_finite[] = { 1, NAN };
  static const double too_many[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  static const double one[] = { 1 };
  const TwClassifyMethod methods[] = { TW_CLASSIFY_QUANTILE, TW_CLASSIFY_EQUAL,
                                       TW_CLASSIFY_NATURAL, TW_CLASSIFY_STDDEV };
  GError *error = NULL;
  TwClassifyMethod method;

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      g_assert_null (tw_classify (values, 5, methods[m], 2, NULL, 0, &error));
      g_assert_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_CLASSES);
      g_clear_error (&error);
      g_assert_null (tw_classify (values, 5, methods[m], 10, NULL, 0, &error));
      g_assert_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_CLASSES);
      g_clear_error (&error);
      g_assert_null (tw_classify (NULL, 0, methods[m], 5, NULL, 0, &error));
      g_assert_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_NO_VALUES);
      g_clear_error (&error);
      g_assert_null (tw_classify (all_missing, 2, methods[m], 5, NULL, 0, &error));
      g_assert_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_NO_VALUES);
      g_clear_error (&error);
      g_assert_null (tw_classify (with_inf, 2, methods[m], 5, NULL, 0, &error));
      g_assert_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_VALUE);
      g_clear_error (&error);
    }

  g_assert_null (tw_classify (values, 5, TW_CLASSIFY_MANUAL, 4, decreasing, 3, &error));
  g_assert_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_BREAKS);
  g_clear_error (&error);
  g_assert_null (tw_classify (values, 5, TW_CLASSIFY_MANUAL, 4, repeated, 3, &error));
  g_assert_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_BREAKS);
  g_clear_error (&error);
  g_assert_null (tw_classify (values, 5, TW_CLASSIFY_MANUAL, 3, not_finite, 2, &error));
  g_assert_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_BREAKS);
  g_clear_error (&error);
  g_assert_null (tw_classify (values, 5, TW_CLASSIFY_MANUAL, 10, too_many, 9, &error));
  g_assert_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_CLASSES);
  g_clear_error (&error);
  g_assert_null (tw_classify (values, 5, TW_CLASSIFY_MANUAL, 2, one, 1, &error));
  g_assert_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_CLASSES);
  g_clear_error (&error);
  g_assert_null (tw_classify (all_missing, 2, TW_CLASSIFY_MANUAL, 4, too_many, 3, &error));
  g_assert_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_NO_VALUES);
  g_clear_error (&error);

  g_assert_false (tw_classify_method_from_string ("jenks", &method, &error));
  g_assert_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_METHOD);
  g_clear_error (&error);
}

static void
test_few_distinct_values (void)
{
  static const double two[] = { 4, 4, 7, 4, 7, NAN, 7 };
  static const double same[] = { 3, 3, 3 };
  const TwClassifyMethod methods[] = { TW_CLASSIFY_QUANTILE, TW_CLASSIFY_EQUAL,
                                       TW_CLASSIFY_NATURAL, TW_CLASSIFY_STDDEV };

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      g_autoptr(TwClassification) c = tw_classify (two, G_N_ELEMENTS (two), methods[m], 5,
                                                    NULL, 0, NULL);
      g_autoptr(TwClassification) s = tw_classify (same, G_N_ELEMENTS (same), methods[m], 9,
                                                    NULL, 0, NULL);

      g_assert_cmpuint (c->n_classes, ==, 2);
      g_assert_cmpfloat (c->breaks[0], ==, 4);
      g_assert_cmpfloat (c->breaks[2], ==, 7);
      g_assert_cmpuint (c->counts[0], ==, 3);
      g_assert_cmpuint (c->counts[1], ==, 3);
      g_assert_cmpfloat (c->within_ss, ==, 0);
      g_assert_cmpuint (c->n_missing, ==, 1);
      assert_consistent (c, two, G_N_ELEMENTS (two));

      g_assert_cmpuint (s->n_classes, ==, 1);
      g_assert_cmpfloat (s->breaks[0], ==, 3);
      g_assert_cmpfloat (s->breaks[1], ==, 3);
      g_assert_cmpuint (s->counts[0], ==, 3);
      g_assert_cmpint (tw_classification_class_of (s, 3), ==, 0);
    }
}

static void
test_class_of_boundaries (void)
{
  static const double breaks[] = { 0, 1, 2, 2, 5 };   /* class 2 is (2, 2]: empty */

  g_assert_cmpint (tw_classify_find_class (breaks, 4, 0), ==, 0);       /* lower bound */
  g_assert_cmpint (tw_classify_find_class (breaks, 4, 0.5), ==, 0);
  g_assert_cmpint (tw_classify_find_class (breaks, 4, 1), ==, 0);       /* on a break: below */
  g_assert_cmpint (tw_classify_find_class (breaks, 4, nextafter (1, 2)), ==, 1);
  g_assert_cmpint (tw_classify_find_class (breaks, 4, 2), ==, 1);
  g_assert_cmpint (tw_classify_find_class (breaks, 4, 2.0001), ==, 3);
  g_assert_cmpint (tw_classify_find_class (breaks, 4, 5), ==, 3);       /* upper bound */
  g_assert_cmpint (tw_classify_find_class (breaks, 4, -0.0), ==, 0);
  g_assert_cmpint (tw_classify_find_class (breaks, 4, nextafter (0, -1)), ==, -1);
  g_assert_cmpint (tw_classify_find_class (breaks, 4, 5.0001), ==, -1);
  g_assert_cmpint (tw_classify_find_class (breaks, 4, NAN), ==, -1);
}

static void
test_copy_and_names (void)
{
  static const double values[] = { 1, 5, 2, 8, 3 };
  g_autoptr(TwClassification) c = tw_classify (values, 5, TW_CLASSIFY_NATURAL, 3, NULL, 0,
                                                NULL);
  g_autoptr(TwClassification) copy = tw_classification_copy (c);
  TwClassifyMethod method;

  g_assert_true (copy->breaks != c->breaks);
  g_assert_cmpmem (copy->breaks, 4 * sizeof (double), c->breaks, 4 * sizeof (double));
  g_assert_cmpmem (copy->counts, 3 * sizeof (guint), c->counts, 3 * sizeof (guint));
  g_assert_true (G_TYPE_IS_BOXED (TW_TYPE_CLASSIFICATION));

  for (guint m = TW_CLASSIFY_QUANTILE; m <= TW_CLASSIFY_MANUAL; m++)
    {
      g_assert_true (tw_classify_method_from_string (tw_classify_method_to_string (m),
                                                     &method, NULL));
      g_assert_cmpuint (method, ==, m);
    }
  g_assert_true (tw_classify_method_from_string ("Natural", &method, NULL));
  g_assert_cmpuint (method, ==, TW_CLASSIFY_NATURAL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/geo/classify/natural-breaks-matches-fisher", test_natural_matches_fisher);
  g_test_add_func ("/geo/classify/natural-breaks-is-optimal", test_natural_is_optimal);
  g_test_add_func ("/geo/classify/natural-breaks-is-optimal-large",
                   test_natural_is_optimal_large);
  g_test_add_func ("/geo/classify/quantile-type7", test_quantile_type7);
  g_test_add_func ("/geo/classify/quantile-ties-merge", test_quantile_ties_merge);
  g_test_add_func ("/geo/classify/equal-intervals", test_equal_intervals);
  g_test_add_func ("/geo/classify/stddev", test_stddev);
  g_test_add_func ("/geo/classify/manual", test_manual);
  g_test_add_func ("/geo/classify/errors", test_errors);
  g_test_add_func ("/geo/classify/few-distinct-values", test_few_distinct_values);
  g_test_add_func ("/geo/classify/class-of-boundaries", test_class_of_boundaries);
  g_test_add_func ("/geo/classify/copy-and-names", test_copy_and_names);

  return g_test_run ();
}
