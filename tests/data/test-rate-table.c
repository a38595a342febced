/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-test"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tw-rate-table.h"
#include "tw-test-project.h"


static TwRateTable *
compute (Project     *p,
         const char  *measure,
         const char  *period,
         const char  *stratum,
         gint64       geography,
         GError     **error)
{
  TwRateQuery query = { measure, period, stratum, geography, TW_RATE_METHOD_CRUDE };

  return tw_rate_table_compute (p->store, &query, NULL, NULL, error);
}

/* Every row's figures are tw_rate_crude's to the last bit, whole counts or not, small or
 * beyond the table of remembered quantiles. */
static void
test_crude_rates_are_exact (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(TwRateTable) table = NULL;
  g_autoptr(GError) error = NULL;
  const double counts[] = { 0, 11, 12, 250, 4095, 4096, 12345, 13.5, 11.25 };
  gint64 g = add_geography (p, "grid");
  gint64 m = add_measure (p, "visits", "rate", 100000);

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_autofree char *geoid = g_strdup_printf ("A%02u", i);
      gint64 area = add_area (p, g, geoid, i * 0.1, 0);

      add_outcome (p, m, area, "2020", "all", counts[i], 20000 + 1000 * i);
    }

  table = compute (p, "visits", "2020", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tw_rate_table_get_n_rows (table), ==, G_N_ELEMENTS (counts));
  g_assert_cmpstr (tw_rate_table_get_measure_code (table), ==, "visits");
  g_assert_cmpstr (tw_rate_table_get_measure_label (table), ==, "Label of visits");
  g_assert_cmpint (tw_rate_table_get_kind (table), ==, TW_RATE_KIND_RATE);
  g_assert_cmpfloat (tw_rate_table_get_multiplier (table), ==, 100000);
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      const TwRateRow *row = tw_rate_table_get_row (table, i);
      TwRateEstimate want = tw_rate_crude (TW_RATE_KIND_RATE, counts[i], 20000 + 1000 * i,
                                           100000);

      g_assert_cmpfloat (row->numerator, ==, counts[i]);
      g_assert_cmpfloat (row->rate, ==, want.rate);
      g_assert_cmpfloat (row->lower, ==, want.lower);
      g_assert_cmpfloat (row->upper, ==, want.upper);
    }
  /* A zero count: shown, with the upper limit of 3.689 events. */
  g_assert_false (tw_rate_row_is_suppressed (tw_rate_table_get_row (table, 0)));
  g_assert_cmpfloat (fabs (tw_rate_table_get_row (table, 0)->upper - 3.689 / 20000 * 1e5),
                     <, 1e-3);
}

static void
test_proportions_use_wilson (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(TwRateTable) table = NULL;
  g_autoptr(GError) error = NULL;
  gint64 g = add_geography (p, "grid");
  gint64 m = add_measure (p, "screened", "proportion", 100);
  const TwRateRow *row;
  double lower, upper;

  add_outcome (p, m, add_area (p, g, "A", 0, 0), "2021", "all", 45, 120);
  table = compute (p, "screened", "2021", NULL, 0, &error);
  g_assert_no_error (error);
  row = tw_rate_table_get_row (table, 0);
  tw_rate_interval_wilson (45, 120, 0.95, &lower, &upper);
  g_assert_cmpfloat (row->rate, ==, 37.5);
  g_assert_cmpfloat (fabs (row->lower - 100 * lower), <, 1e-12);
  g_assert_cmpfloat (fabs (row->upper - 100 * upper), <, 1e-12);
}

/* Rows by GEOID, "all" first; the policy judges each area on all its strata even when the
 * query shows one. */
static void
test_order_strata_and_suppression (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(TwRateTable) table = NULL, white = NULL;
  g_autoptr(GError) error = NULL;
  gint64 g = add_geography (p, "grid");
  gint64 m = add_measure (p, "visits", "rate", 1000);
  gint64 b = add_area (p, g, "B", 0.1, 0), a = add_area (p, g, "A", 0, 0);
  g_autofree char *strata = NULL;
  const TwRateRow *row;

  /* Area A: black 5 (hidden), so white 25 must be hidden too, or all − white gives 5. */
  add_outcome (p, m, a, "2020", "white", 25, 1000);
  add_outcome (p, m, a, "2020", "black", 5, 500);
  add_outcome (p, m, a, "2020", "all", 30, 1500);
  /* Area B: a small total hides itself; zero is shown. */
  add_outcome (p, m, b, "2020", "all", 4, 900);
  add_outcome (p, m, b, "2020", "black", 0, 100);
  add_outcome (p, m, b, "2020", "white", 4, 800);

  table = compute (p, "visits", "2020", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tw_rate_table_get_n_rows (table), ==, 6);
  {
    const char *want[][3] = {
      { "A", "all", "0" }, { "A", "black", "1" }, { "A", "white", "2" },
      { "B", "all", "1" }, { "B", "black", "0" }, { "B", "white", "1" },
    };

    for (guint i = 0; i < 6; i++)
      {
        row = tw_rate_table_get_row (table, i);
        g_assert_cmpstr (row->geoid, ==, want[i][0]);
        g_assert_cmpstr (row->stratum, ==, want[i][1]);
        g_assert_cmpint (row->reason, ==, atoi (want[i][2]));
        /* A suppressed row is always unstable; shown rows below 20 events too. */
        g_assert_true (row->unstable == (row->reason != TW_SUPPRESSION_SHOWN
                                         || row->numerator < 20));
      }
  }
  strata = g_strjoinv (",", (GStrv) tw_rate_table_get_strata (table));
  g_assert_cmpstr (strata, ==, "all,black,white");

  white = compute (p, "visits", "2020", "white", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tw_rate_table_get_n_rows (white), ==, 2);
  row = tw_rate_table_find_row (white, a, "white");
  g_assert_nonnull (row);
  g_assert_cmpint (row->reason, ==, TW_SUPPRESSION_COMPLEMENTARY);
  g_assert_null (tw_rate_table_find_row (white, a, "all"));
  g_assert_null (tw_rate_table_find_row (white, 9999, "white"));
  g_assert_true (tw_rate_table_find_row (table, b, NULL) == tw_rate_table_get_row (table, 3));
}

static void
test_geography_and_errors (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(TwRateTable) table = NULL, all = NULL, empty = NULL;
  g_autoptr(GError) error = NULL;
  gint64 g = add_geography (p, "grid"), h = add_geography (p, "counties");
  gint64 m = add_measure (p, "visits", "rate", 1000);

  add_outcome (p, m, add_area (p, g, "A", 0, 0), "2020", "all", 40, 1000);
  add_outcome (p, m, add_area (p, h, "C", 1, 1), "2020", "all", 50, 1000);
  add_outcome (p, m, add_area (p, h, "D", 2, 1), "2019", "asian", 50, 1000);

  table = compute (p, "visits", "2020", NULL, h, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tw_rate_table_get_n_rows (table), ==, 1);
  g_assert_cmpstr (tw_rate_table_get_row (table, 0)->geoid, ==, "C");
  all = compute (p, "visits", "2020", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tw_rate_table_get_n_rows (all), ==, 2);

  /* A stratum of another period is a stratum of the measure: no row, no error. */
  empty = compute (p, "visits", "2020", "asian", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tw_rate_table_get_n_rows (empty), ==, 0);

  g_assert_null (compute (p, "visits", "1999", NULL, 0, &error));
  g_assert_error (error, TW_RATE_TABLE_ERROR, TW_RATE_TABLE_ERROR_PERIOD);
  g_assert_nonnull (strstr (error->message, "2019, 2020"));
  g_clear_error (&error);
  g_assert_null (compute (p, "visits", "2020", "zz", 0, &error));
  g_assert_error (error, TW_RATE_TABLE_ERROR, TW_RATE_TABLE_ERROR_STRATUM);
  g_assert_nonnull (strstr (error->message, "all, asian"));
  g_clear_error (&error);
  g_assert_null (compute (p, "nosuch", "2020", NULL, 0, &error));
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/data/rate-table/crude-rates-are-exact", test_crude_rates_are_exact);
  g_test_add_func ("/data/rate-table/proportions-use-wilson", test_proportions_use_wilson);
  g_test_add_func ("/data/rate-table/order-strata-and-suppression",
                   test_order_strata_and_suppression);
  g_test_add_func ("/data/rate-table/geography-and-errors", test_geography_and_errors);
  return g_test_run ();
}
