/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-test"

#include <math.h>
#include <string.h>

#include "tw-store-outcomes.h"
#include "tw-test-project.h"

/* What a callback was given, copied: the store's strings live only during the call. */
typedef struct
{
  char   *stratum;
  gint64  area_id;
  char   *age_group;
  double  numerator;
  double  denominator;
} Seen;

static void
seen_clear (gpointer data)
{
  Seen *seen = data;

  g_free (seen->stratum);
  g_free (seen->age_group);
}

static GArray *
seen_new (void)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (Seen));

  g_array_set_clear_func (rows, seen_clear);
  return rows;
}

static void
collect_outcome (const TwStoreOutcome *outcome,
                 gpointer              user_data)
{
  GArray *rows = user_data;
  Seen seen = { g_strdup (outcome->stratum), outcome->area_id, g_strdup (outcome->age_group),
                outcome->numerator, outcome->denominator };

  g_array_append_val (rows, seen);
}

static void
collect_area (gint64      area_id,
              const char *geoid,
              gpointer    user_data)
{
  g_hash_table_insert (user_data, g_strdup (geoid), g_memdup2 (&area_id, sizeof area_id));
}

static void
add_aged_outcome (Project    *p,
                  gint64      measure,
                  gint64      area,
                  const char *stratum,
                  const char *age_group,
                  double      numerator,
                  double      denominator)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO outcome (measure_id, area_id, period, "
                                          "stratum, age_group, numerator, denominator) VALUES "
                                          "(%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", '2020', "
                                          "'%s', '%s', %g, %g)", measure, area, stratum,
                                          age_group, numerator, denominator);

  exec (p, sql);
}

/* The measure as the rate table names and scales it; an id that is no measure is an error a
 * caller can show, not a crash or an empty measure. */
static void
test_measure (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(GError) error = NULL;
  gint64 m = add_measure (p, "screened", "proportion", 100);
  TwStoreMeasure measure;

  exec (p, "UPDATE measure SET higher_is_worse = 0");
  g_assert_true (tw_store_get_measure (p->store, m, &measure, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (measure.code, ==, "screened");
  g_assert_cmpstr (measure.label, ==, "Label of screened");
  g_assert_cmpstr (measure.kind, ==, "proportion");
  g_assert_cmpfloat (measure.multiplier, ==, 100);
  g_assert_false (measure.higher_is_worse);
  tw_store_measure_clear (&measure);
  g_assert_null (measure.code);

  g_assert_false (tw_store_get_measure (p->store, m + 1, &measure, &error));
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID);
  g_assert_null (measure.code);
}

/* The areas of one geography, or of all of them, each with its GEOID as stored (leading
 * zeros kept). */
static void
test_areas (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(GHashTable) one = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) all = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  gint64 tracts = add_geography (p, "tracts"), counties = add_geography (p, "counties");
  gint64 a = add_area (p, tracts, "01001020100", 0, 0);
  gint64 b = add_area (p, tracts, "01001020200", 0.1, 0);

  add_area (p, counties, "01001", 0, 0);
  g_assert_true (tw_store_foreach_geoid (p->store, tracts, collect_area, one, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (one), ==, 2);
  g_assert_cmpint (*(gint64 *) g_hash_table_lookup (one, "01001020100"), ==, a);
  g_assert_cmpint (*(gint64 *) g_hash_table_lookup (one, "01001020200"), ==, b);

  g_assert_true (tw_store_foreach_geoid (p->store, 0, collect_area, all, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (all), ==, 3);
  g_assert_true (g_hash_table_contains (all, "01001"));
}

/* One period's rows in the outcome key's order: strata and age groups in the order they
 * were first stored (not by label), areas by id; the unsplit row has an empty age group. */
static void
test_outcome_order (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(GArray) rows = seen_new ();
  g_autoptr(GError) error = NULL;
  gint64 g = add_geography (p, "grid");
  gint64 m = add_measure (p, "visits", "rate", 1000);
  gint64 other = add_measure (p, "falls", "rate", 1000);
  gint64 a = add_area (p, g, "A", 0, 0), b = add_area (p, g, "B", 0.1, 0);
  const struct { const char *stratum; gint64 area; const char *age; double n, d; } want[] = {
    { "white", a, "", 7, 700 },
    { "white", b, "", 8, 800 },
    { "all", b, "", 12, 1200 },
    { "black", a, "", 3, 300 },
    { "black", a, "5-14", 2, 200 },
    { "black", a, "0-4", 1, 100 },
    { "black", b, "", 4.5, 400 },
  };

  /* Stored out of order, and with rows of another period and measure around them. */
  add_outcome (p, m, b, "2020", "white", 8, 800);
  add_outcome (p, m, a, "2020", "white", 7, 700);
  add_outcome (p, m, b, "2020", "all", 12, 1200);
  add_aged_outcome (p, m, a, "black", "5-14", 2, 200);
  add_outcome (p, m, b, "2020", "black", 4.5, 400);
  add_aged_outcome (p, m, a, "black", "0-4", 1, 100);
  add_outcome (p, m, a, "2020", "black", 3, 300);
  add_outcome (p, m, a, "2019", "white", 9, 900);
  add_outcome (p, other, a, "2020", "white", 1, 10);

  g_assert_true (tw_store_foreach_outcome (p->store, m, "2020", collect_outcome, rows, NULL,
                                           &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < rows->len; i++)
    {
      const Seen *seen = &g_array_index (rows, Seen, i);

      g_assert_cmpstr (seen->stratum, ==, want[i].stratum);
      g_assert_cmpint (seen->area_id, ==, want[i].area);
      g_assert_cmpstr (seen->age_group, ==, want[i].age);
      g_assert_cmpfloat (seen->numerator, ==, want[i].n);
      g_assert_cmpfloat (seen->denominator, ==, want[i].d);
    }

  /* A period the measure does not have: no rows, and no error. */
  g_array_set_size (rows, 0);
  g_assert_true (tw_store_foreach_outcome (p->store, m, "1999", collect_outcome, rows, NULL,
                                           &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
}

static void
count_and_cancel (const TwStoreOutcome *outcome,
                  gpointer              user_data)
{
  struct { guint n; GCancellable *cancellable; } *scan = user_data;

  if (++scan->n == 10 && scan->cancellable != NULL)
    g_cancellable_cancel (scan->cancellable);
}

/* A scan cancelled part-way stops long before the end of a large table, and says so. */
static void
test_outcome_cancel (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 m = add_measure (p, "visits", "rate", 1000);
  g_autofree char *sql = NULL;
  struct { guint n; GCancellable *cancellable; } scan = { 0, NULL };
  const guint n_rows = 300000;

  sql = g_strdup_printf ("INSERT INTO period (label) VALUES ('2020');"
                         "INSERT INTO stratum (label) VALUES ('all');"
                         "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                         "                        WHERE i < %u) "
                         "INSERT INTO outcome_value (measure_id, period_id, stratum_id, area_id,"
                         "                           numerator, denominator) "
                         "SELECT %" G_GINT64_FORMAT ", 1, 1, i, 1, 10 FROM n", n_rows, m);
  exec (p, sql);

  g_assert_true (tw_store_foreach_outcome (p->store, m, "2020", count_and_cancel, &scan, NULL,
                                           &error));
  g_assert_no_error (error);
  g_assert_cmpuint (scan.n, ==, n_rows);

  scan.n = 0;
  scan.cancellable = cancellable;
  g_assert_false (tw_store_foreach_outcome (p->store, m, "2020", count_and_cancel, &scan,
                                            cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (scan.n, <, n_rows / 2);
}

/* A review copy's withheld cells: their stratum, area and population, and no count; a
 * population the package left out is NAN, not zero. */
static void
test_withheld (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(GArray) rows = seen_new ();
  g_autoptr(GError) error = NULL;
  gint64 g = add_geography (p, "grid");
  gint64 m = add_measure (p, "visits", "rate", 1000);
  gint64 a = add_area (p, g, "A", 0, 0), b = add_area (p, g, "B", 0.1, 0);
  g_autofree char *sql = NULL;
  const Seen *seen;

  add_outcome (p, m, a, "2020", "all", 30, 1500);
  add_outcome (p, m, a, "2019", "all", 30, 1500);
  sql = g_strdup_printf ("INSERT INTO outcome_withheld (measure_id, period_id, stratum_id, "
                         "area_id, denominator) VALUES "
                         "(%1$" G_GINT64_FORMAT ", (SELECT id FROM period WHERE label = '2020'),"
                         " (SELECT id FROM stratum WHERE label = 'all'), %2$" G_GINT64_FORMAT
                         ", 640), "
                         "(%1$" G_GINT64_FORMAT ", (SELECT id FROM period WHERE label = '2020'),"
                         " (SELECT id FROM stratum WHERE label = 'all'), %3$" G_GINT64_FORMAT
                         ", NULL), "
                         "(%1$" G_GINT64_FORMAT ", (SELECT id FROM period WHERE label = '2019'),"
                         " (SELECT id FROM stratum WHERE label = 'all'), %3$" G_GINT64_FORMAT
                         ", 10)", m, a, b);
  exec (p, sql);

  g_assert_true (tw_store_foreach_withheld_outcome (p->store, m, "2020", collect_outcome, rows,
                                                    &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  seen = &g_array_index (rows, Seen, 0);
  if (seen->area_id != a)
    seen = &g_array_index (rows, Seen, 1);
  g_assert_cmpint (seen->area_id, ==, a);
  g_assert_cmpstr (seen->stratum, ==, "all");
  g_assert_cmpstr (seen->age_group, ==, "");
  g_assert_true (isnan (seen->numerator));
  g_assert_cmpfloat (seen->denominator, ==, 640);
  seen = &g_array_index (rows, Seen, seen == &g_array_index (rows, Seen, 0) ? 1 : 0);
  g_assert_cmpint (seen->area_id, ==, b);
  g_assert_true (isnan (seen->numerator));
  g_assert_true (isnan (seen->denominator));
}

/* The periods an evaluation can use: those with rows in the project's geography (not
 * another's), in text order, and whether the project's group has any of them. */
static void
test_geography_periods (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(GError) error = NULL;
  gint64 tracts = add_geography (p, "tracts"), counties = add_geography (p, "counties");
  gint64 m = add_measure (p, "visits", "rate", 1000);
  gint64 a = add_area (p, tracts, "01001020100", 0, 0);
  gint64 c = add_area (p, counties, "01001", 0, 0);
  gboolean has_stratum = TRUE;
  g_auto(GStrv) periods = NULL, none = NULL;
  const char *const want[] = { "2018", "2019+2020", "2021", NULL };

  add_outcome (p, m, a, "2021", "all", 1, 10);
  add_outcome (p, m, a, "2018", "all", 1, 10);
  add_outcome (p, m, a, "2019+2020", "black", 1, 10);
  add_outcome (p, m, c, "2017", "hispanic", 1, 10);

  periods = tw_store_list_geography_periods (p->store, m, tracts, "black", &has_stratum,
                                             &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (periods, want);
  g_assert_true (has_stratum);

  g_clear_pointer (&periods, g_strfreev);
  periods = tw_store_list_geography_periods (p->store, m, tracts, "hispanic", &has_stratum,
                                             &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (periods, want);
  g_assert_false (has_stratum);

  none = tw_store_list_geography_periods (p->store, m + 1, tracts, "all", &has_stratum,
                                          &error);
  g_assert_no_error (error);
  g_assert_nonnull (none);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
  g_assert_false (has_stratum);
}

/* A project whose tables cannot be read gets an error to show, not a crash or a silently
 * empty answer. */
static void
test_sql_failure_is_an_error (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(GArray) rows = seen_new ();
  g_autoptr(GError) error = NULL;
  gint64 m = add_measure (p, "visits", "rate", 1000);

  exec (p, "DROP TABLE outcome_withheld");
  g_assert_false (tw_store_foreach_withheld_outcome (p->store, m, "2020", collect_outcome, rows,
                                                     &error));
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_SQL);
  g_clear_error (&error);

  exec (p, "DROP VIEW outcome");
  g_assert_null (tw_store_list_geography_periods (p->store, m, 1, "all", NULL, &error));
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_SQL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/data/store-outcomes/measure", test_measure);
  g_test_add_func ("/data/store-outcomes/areas", test_areas);
  g_test_add_func ("/data/store-outcomes/outcome-order", test_outcome_order);
  g_test_add_func ("/data/store-outcomes/outcome-cancel", test_outcome_cancel);
  g_test_add_func ("/data/store-outcomes/withheld", test_withheld);
  g_test_add_func ("/data/store-outcomes/geography-periods", test_geography_periods);
  g_test_add_func ("/data/store-outcomes/sql-failure", test_sql_failure_is_an_error);
  return g_test_run ();
}
