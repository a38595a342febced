/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-evaluation"

#include <gdal.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tw-evaluation.h"
#include "tw-store-private.h"
#include "tw-outcome-import.h"
#include "tw-project.h"

/* Six tracts: T1 and T2 are the targets, C1 … C4 the others. Every area-period has a
 * denominator of 10 000 for the rate measures. */
static const char *const geoids[] = {
  "37063000101", "37063000102",                                 /* T1, T2 */
  "37063000201", "37063000202", "37063000203", "37063000204",   /* C1 … C4 */
};
static const char *const periods[] = { "2017", "2018", "2019", "2020", "2021" };

/* visits: a rate per 1 000. 2019 straddles the start (2019-06-01) and must be left out:
 * its 99s would show if it were not. */
static const int visits[6][5] = {
  { 30, 30, 99, 20, 20 },   /* T1 */
  { 50, 50, 99, 40, 40 },   /* T2 */
  { 40, 40, 99, 40, 40 },   /* C1 */
  { 40, 40, 99, 40, 40 },   /* C2 */
  { 60, 60, 99, 40, 40 },   /* C3 */
  { 60, 60, 99, 40, 40 },   /* C4 */
};

/* small (k = 11): T1 hides its 2017 count (5) and C3 its 2018 count (7): both are left out
 * of every pool. C2 hides only 2019, which straddles the start: it stays in, and is left out
 * of the 2019 trend point only. */
static const int small[6][5] = {
  {  5, 40, 40, 30, 30 },   /* T1 */
  { 30, 30, 40, 20, 20 },   /* T2 */
  { 40, 40, 40, 40, 40 },   /* C1 */
  { 40, 40,  8, 40, 40 },   /* C2 */
  { 60,  7, 60, 40, 40 },   /* C3 */
  { 60, 60, 99, 40, 40 },   /* C4 */
};

/* tiny: every target count is hidden (3 and 4). */
static const int tiny[6][5] = {
  { 3, 3, 3, 3, 3 },
  { 4, 4, 4, 4, 4 },
  { 40, 40, 40, 40, 40 },
  { 40, 40, 40, 40, 40 },
  { 40, 40, 40, 40, 40 },
  { 40, 40, 40, 40, 40 },
};

/* down (higher is worse) and rise (the same counts, higher is better): the targets halve,
 * the comparison areas stay. */
static const int down_counts[6][5] = {
  { 40, 40, 99, 20, 20 },
  { 40, 40, 99, 20, 20 },
  { 50, 50, 99, 50, 50 },
  { 50, 50, 99, 50, 50 },
  { 50, 50, 99, 50, 50 },
  { 50, 50, 99, 50, 50 },
};

/* trend: the targets fall 25%, but the comparison areas fall more. */
static const int trend_counts[6][5] = {
  { 40, 40, 99, 30, 30 },
  { 40, 40, 99, 30, 30 },
  { 50, 50, 99, 38, 38 },
  { 50, 50, 99, 38, 38 },
  { 50, 50, 99, 38, 38 },
  { 50, 50, 99, 38, 38 },
};

typedef struct
{
  char    *dir;
  char    *path;
  TwStore *store;
  gint64   visits_project;
  gint64   small_project;
  gint64   tiny_project;
  gint64   screened_project;
  gint64   down_project;
  gint64   rise_project;
  gint64   trend_project;
} Fixture;

static void
exec (TwStore    *store,
      const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (tw_store_get_db (store), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
import_csv (Fixture    *f,
            const char *csv,
            const char *kind,
            double      per)
{
  g_autofree char *source = g_build_filename (f->dir, "outcomes.csv", NULL);
  g_autoptr(TwOutcomeImportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TwOutcomeImportOptions options = { .kind = kind, .per = per };

  g_assert_true (g_file_set_contents (source, csv, -1, NULL));
  result = tw_outcome_import (f->store, source, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_unlink (source);
}

static void
append_table (GString    *csv,
              const char *measure,
              const int   counts[6][5])
{
  for (guint a = 0; a < 6; a++)
    for (guint p = 0; p < 5; p++)
      g_string_append_printf (csv, "%s,%s,%s,all,%d,10000\n", geoids[a], measure, periods[p],
                              counts[a][p]);
}

static gint64
add_project (Fixture    *f,
             const char *measure,
             double      goal_percent)
{
  g_autoptr(TwProject) project = tw_project_new (measure);
  g_autoptr(GError) error = NULL;
  gint64 id;

  project->measure = g_strdup (measure);
  project->start_date = g_strdup ("2019-06-01");
  project->goal_percent = goal_percent;
  tw_project_take_area (project, geoids[0]);
  tw_project_take_area (project, geoids[1]);
  id = tw_project_add (f->store, project, &error);
  g_assert_no_error (error);
  return id;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GString) rates = g_string_new ("geoid,measure,period,stratum,numerator,"
                                           "denominator\n");
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tw-evaluation-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "p.tractwise", NULL);
  f->store = tw_store_create (f->path, &error);
  g_assert_no_error (error);
  exec (f->store, "INSERT INTO geography (id, name, level) VALUES (1, 'tracts', 'tract')");
  for (guint a = 0; a < 6; a++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO area (geography_id, geoid, geom, "
                                              "min_lon, min_lat, max_lon, max_lat) "
                                              "VALUES (1, '%s', x'00', %u, 0, %u, 1)",
                                              geoids[a], a, a + 1);
      exec (f->store, sql);
    }

  append_table (rates, "visits", visits);
  append_table (rates, "small", small);
  append_table (rates, "tiny", tiny);
  append_table (rates, "down", down_counts);
  append_table (rates, "rise", down_counts);
  append_table (rates, "trend", trend_counts);
  import_csv (f, rates->str, "rate", 1000);
  exec (f->store, "UPDATE measure SET higher_is_worse = 0 WHERE code = 'rise'");

  /* screened: a proportion per 100, only T1 and C1 have rows. */
  import_csv (f, "geoid,measure,period,stratum,numerator,denominator\n"
                 "37063000101,screened,2018,all,50,200\n"
                 "37063000101,screened,2020,all,40,200\n"
                 "37063000201,screened,2018,all,100,1000\n"
                 "37063000201,screened,2020,all,100,1000\n", "proportion", 100);

  f->visits_project = add_project (f, "visits", 10);
  f->small_project = add_project (f, "small", NAN);
  f->tiny_project = add_project (f, "tiny", NAN);
  f->screened_project = add_project (f, "screened", NAN);
  f->down_project = add_project (f, "down", 50);
  f->rise_project = add_project (f, "rise", 50);
  f->trend_project = add_project (f, "trend", 10);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  tw_store_close (f->store);
  g_unlink (f->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
test_period_years (void)
{
  const struct { const char *text; gboolean ok; int first, last; } cases[] = {
    { "2019", TRUE, 2019, 2019 },
    { "2019-2021", TRUE, 2019, 2021 },
    { "1974-1978", TRUE, 1974, 1978 },
    { "2019\u20132021", TRUE, 2019, 2021 },
    { " 2019 / 2021 ", TRUE, 2019, 2021 },
    { "2021-2019", FALSE, 0, 0 },
    { "FY2019", FALSE, 0, 0 },
    { "2019Q1", FALSE, 0, 0 },
    { "19", FALSE, 0, 0 },
    { "", FALSE, 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int first = 0, last = 0;

      g_assert_cmpint (tw_period_parse_years (cases[i].text, &first, &last), ==, cases[i].ok);
      if (cases[i].ok)
        {
          g_assert_cmpint (first, ==, cases[i].first);
          g_assert_cmpint (last, ==, cases[i].last);
        }
    }
}

/* The answer worked out by hand (all denominators 10 000, multiplier 1 000):
 *   start 2019-06-01: before = 2017, 2018; after = 2020, 2021; 2019 straddles, left out.
 *   target before     = (30 + 30 + 50 + 50) / 40 000 × 1000 = 160 / 40 = 4.0
 *   target after      = (20 + 20 + 40 + 40) / 40 000 × 1000 = 3.0
 *   comparison before = (40 + 40 + 60 + 60) × 2 / 80 000 × 1000 = 400 / 80 = 5.0
 *   comparison after  = 40 × 4 × 2 / 80 000 × 1000 = 4.0
 *   DiD = (3 − 4) − (4 − 5) = 0
 *   var (Poisson, N / D² × m²): 160/1.6e9 × 1e6 = 0.1; 120/1.6e9 × 1e6 = 0.075;
 *        400/6.4e9 × 1e6 = 0.0625; 320/6.4e9 × 1e6 = 0.05; sum 0.2875
 *   half-width = 1.959964 × √0.2875 = 1.959964 × 0.536190 = 1.050914
 *   the interval holds 0: no detectable change.
 *   goal 10% lower: the target areas' own change (3 − 4) / 4 = −25% is no progress; the goal
 *   as a change of the rate is −0.10 × 4 = −0.4, progress = DiD / −0.4 = 0, its interval
 *   ±1.0509136 / 0.4 = ±2.627284. */
static void
test_hand_worked (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TwEvaluation) e = NULL;
  g_autoptr(GError) error = NULL;

  e = tw_evaluation_run (f->store, f->visits_project, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (e->before, ((const char *[]) { "2017", "2018", NULL }));
  g_assert_cmpstrv (e->after, ((const char *[]) { "2020", "2021", NULL }));
  g_assert_cmpuint (e->n_target_areas, ==, 2);
  g_assert_cmpuint (e->n_comparison_areas, ==, 4);
  g_assert_cmpfloat_with_epsilon (e->target_before.rate, 4.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (e->target_after.rate, 3.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (e->comparison_before.rate, 5.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (e->comparison_after.rate, 4.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (e->did, 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (e->did_lower, -1.0509136, 1e-6);
  g_assert_cmpfloat_with_epsilon (e->did_upper, 1.0509136, 1e-6);
  g_assert_cmpuint (e->n_target_used, ==, 2);
  g_assert_cmpuint (e->n_comparison_used, ==, 4);
  g_assert_cmpuint (e->n_target_left_out + e->n_comparison_left_out, ==, 0);
  g_assert_cmpint (e->verdict, ==, TW_EVALUATION_VERDICT_NO_CHANGE);
  g_assert_cmpstr (tw_evaluation_verdict_to_string (e->verdict), ==, "no detectable change");
  g_assert_cmpfloat_with_epsilon (e->target_change_percent, -25.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (e->goal_progress, 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (e->goal_progress_lower, -2.627284, 1e-6);
  g_assert_cmpfloat_with_epsilon (e->goal_progress_upper, 2.627284, 1e-6);
  g_assert_false (e->suppressed);
  g_assert_false (e->target_before.unstable);

  /* The trend: every period, by year, the straddling one included. */
  g_assert_cmpuint (e->trend->len, ==, 5);
  {
    TwEvaluationPoint *p2019 = e->trend->pdata[2];

    g_assert_cmpstr (p2019->period, ==, "2019");
    g_assert_cmpfloat_with_epsilon (p2019->target.rate, 9.9, 1e-12);   /* 198 / 20 000 */
    g_assert_cmpfloat_with_epsilon (p2019->comparison.rate, 9.9, 1e-12);
  }
}

/* A chosen comparison set, C1 and C2 only:
 *   comparison before = 160 / 40 000 × 1000 = 4.0, after = 4.0
 *   DiD = (3 − 4) − (4 − 4) = −1
 *   var = 0.1 + 0.075 + 0.1 + 0.1 = 0.375; half-width = 1.959964 × 0.612372 = 1.200228
 * Periods named by hand, --before 2017 --after 2021, all comparison areas:
 *   T 80/20 000 → 4.0 and 60/20 000 → 3.0; C 200/40 000 → 5.0 and 160/40 000 → 4.0; DiD 0
 *   var = 0.2 + 0.15 + 0.125 + 0.1 = 0.575; half-width = 1.959964 × 0.758288 = 1.486216
 * Start on 1 January 2019: 2019 is then after: T after = (99+99+20+40+20+40) / 60 000 × 1000
 *   = 5.3 */
static void
test_options (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  {
    const char *chosen[] = { geoids[2], geoids[3], NULL };
    TwEvaluationOptions options = { .comparison = (GStrv) chosen };
    g_autoptr(TwEvaluation) e = tw_evaluation_run (f->store, f->visits_project, &options,
                                                   &error);

    g_assert_no_error (error);
    g_assert_cmpuint (e->n_comparison_areas, ==, 2);
    g_assert_cmpfloat_with_epsilon (e->comparison_before.rate, 4.0, 1e-12);
    g_assert_cmpfloat_with_epsilon (e->did, -1.0, 1e-12);
    g_assert_cmpfloat_with_epsilon (e->did_lower, -2.2002279, 1e-6);
    g_assert_cmpfloat_with_epsilon (e->did_upper, 0.2002279, 1e-6);
  }
  {
    const char *before[] = { "2017", NULL }, *after[] = { "2021", NULL };
    TwEvaluationOptions options = { .before = (GStrv) before, .after = (GStrv) after };
    g_autoptr(TwEvaluation) e = tw_evaluation_run (f->store, f->visits_project, &options,
                                                   &error);

    g_assert_no_error (error);
    g_assert_cmpfloat_with_epsilon (e->target_before.rate, 4.0, 1e-12);
    g_assert_cmpfloat_with_epsilon (e->comparison_after.rate, 4.0, 1e-12);
    g_assert_cmpfloat_with_epsilon (e->did, 0.0, 1e-12);
    g_assert_cmpfloat_with_epsilon (e->did_upper, 1.4862163, 1e-6);
  }
  {
    g_autoptr(TwProject) project = tw_project_get (f->store, f->visits_project, &error);
    g_autoptr(TwEvaluation) e = NULL;

    g_free (project->start_date);
    project->start_date = g_strdup ("2019-01-01");
    g_assert_true (tw_project_update (f->store, project, &error));
    e = tw_evaluation_run (f->store, f->visits_project, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstrv (e->after, ((const char *[]) { "2019", "2020", "2021", NULL }));
    g_assert_cmpfloat_with_epsilon (e->target_after.rate, 5.3, 1e-12);
  }
}

/* A proportion per 100, binomial variance p (1 − p) / n × 100²:
 *   T: 50/200 = 25 → 40/200 = 20; C: 100/1000 = 10 → 10; DiD = −5
 *   var = 0.25·0.75/200·1e4 + 0.2·0.8/200·1e4 + 2 × 0.1·0.9/1000·1e4
 *       = 9.375 + 8 + 0.9 + 0.9 = 19.175; half-width = 1.959964 × 4.378927 = 8.582539 */
static void
test_proportion (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwEvaluation) e = tw_evaluation_run (f->store, f->screened_project, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (e->kind, ==, TW_RATE_KIND_PROPORTION);
  g_assert_cmpuint (e->target_before.n_areas, ==, 1);
  g_assert_cmpfloat_with_epsilon (e->target_before.rate, 25.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (e->target_after.rate, 20.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (e->did, -5.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (e->did_lower, -13.5825388, 1e-6);
  g_assert_cmpfloat_with_epsilon (e->did_upper, 3.5825388, 1e-6);
  g_assert_true (isnan (e->goal_progress));   /* no goal */
}

/* Policy k = 11 (the default). Without reveal only published cells are pooled, over the
 * areas published in every period used (2017, 2018, 2020, 2021):
 * small: T1 (hidden 2017) and C3 (hidden 2018) are left out; C2's hidden 2019 is not used.
 *   target before = (30 + 30) / 20 000 × 1000 = 3.0; after = 40 / 20 000 × 1000 = 2.0
 *   comparison (C1, C2, C4) before = 280 / 60 000 × 1000 = 4.666667; after = 240 / 60 000
 *   × 1000 = 4.0; DiD = (2 − 3) − (4 − 4.666667) = −0.333333
 *   var = 0.15 + 0.1 + 0.077778 + 0.066667 = 0.394444; half-width 1.959964 × 0.628048
 *   = 1.230952. The 2019 trend point of the comparison areas pools C1 and C4 only:
 *   (40 + 99) / 20 000 × 1000 = 6.95, C2 left out; the 2017 target point pools T2 only.
 *   Revealed, every area: target before = (5 + 40 + 30 + 30) / 40 000 × 1000 = 2.625,
 *   after 2.5; comparison 347 / 80 000 × 1000 = 4.3375 and 4.0; DiD = 0.2125.
 * tiny: every target cell is hidden: no target area is left, so the target pools, the DiD,
 *   the verdict and progress are all null. */
static void
test_suppression (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(TwEvaluation) e = tw_evaluation_run (f->store, f->small_project, NULL, &error);
    TwEvaluationPoint *p2017, *p2019;

    g_assert_no_error (error);
    g_assert_cmpuint (e->n_target_used, ==, 1);
    g_assert_cmpuint (e->n_target_left_out, ==, 1);
    g_assert_cmpuint (e->n_comparison_used, ==, 3);
    g_assert_cmpuint (e->n_comparison_left_out, ==, 1);
    g_assert_cmpuint (e->n_target_no_data + e->n_comparison_no_data, ==, 0);
    g_assert_true (e->suppressed);

    g_assert_cmpfloat_with_epsilon (e->target_before.rate, 3.0, 1e-12);
    g_assert_cmpfloat_with_epsilon (e->target_after.rate, 2.0, 1e-12);
    g_assert_cmpfloat_with_epsilon (e->comparison_before.rate, 280.0 / 60.0, 1e-12);
    g_assert_cmpfloat_with_epsilon (e->comparison_after.rate, 4.0, 1e-12);
    g_assert_cmpuint (e->target_before.n_areas, ==, 1);
    g_assert_cmpuint (e->target_before.n_left_out, ==, 1);
    g_assert_false (e->target_before.suppressed);
    g_assert_cmpfloat_with_epsilon (e->did, -1.0 / 3.0, 1e-12);
    g_assert_cmpfloat_with_epsilon (e->did_lower, -1.0 / 3.0 - 1.2309517, 1e-6);
    g_assert_cmpfloat_with_epsilon (e->did_upper, -1.0 / 3.0 + 1.2309517, 1e-6);
    g_assert_cmpint (e->verdict, ==, TW_EVALUATION_VERDICT_NO_CHANGE);

    p2017 = e->trend->pdata[0];
    g_assert_cmpfloat_with_epsilon (p2017->target.rate, 3.0, 1e-12);
    g_assert_cmpuint (p2017->target.n_areas, ==, 1);
    g_assert_cmpuint (p2017->target.n_left_out, ==, 1);
    p2019 = e->trend->pdata[2];
    g_assert_cmpfloat_with_epsilon (p2019->comparison.rate, 6.95, 1e-12);
    g_assert_cmpuint (p2019->comparison.n_areas, ==, 2);
    g_assert_cmpuint (p2019->comparison.n_left_out, ==, 2);   /* C2 here, C3 throughout */
    g_assert_false (p2019->comparison.suppressed);
  }
  {
    TwEvaluationOptions options = { .reveal = TRUE };
    g_autoptr(TwEvaluation) e = tw_evaluation_run (f->store, f->small_project, &options,
                                                   &error);

    g_assert_no_error (error);
    g_assert_true (e->revealed);
    g_assert_cmpuint (e->n_target_used, ==, 2);
    g_assert_cmpuint (e->n_comparison_used, ==, 4);
    g_assert_true (e->target_before.suppressed);    /* it pools a hidden cell */
    g_assert_false (e->target_after.suppressed);
    g_assert_cmpfloat_with_epsilon (e->target_before.rate, 2.625, 1e-12);
    g_assert_cmpfloat_with_epsilon (e->comparison_before.rate, 4.3375, 1e-12);
    g_assert_cmpfloat_with_epsilon (e->did, 0.2125, 1e-12);
    g_assert_true (e->suppressed);
  }
  {
    g_autoptr(TwEvaluation) e = tw_evaluation_run (f->store, f->tiny_project, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (e->n_target_used, ==, 0);
    g_assert_cmpuint (e->n_target_left_out, ==, 2);
    for (guint i = 0; i < e->trend->len; i++)
      {
        TwEvaluationPoint *point = e->trend->pdata[i];

        g_assert_true (point->target.suppressed);
        g_assert_true (isnan (point->target.rate));
        g_assert_false (point->comparison.suppressed);
        g_assert_cmpfloat_with_epsilon (point->comparison.rate, 4.0, 1e-12);
      }
    g_assert_true (e->target_before.suppressed);
    g_assert_true (isnan (e->target_before.rate));
    g_assert_true (isnan (e->target_after.variance));
    g_assert_cmpfloat_with_epsilon (e->comparison_before.rate, 4.0, 1e-12);
    g_assert_true (isnan (e->did));
    g_assert_true (isnan (e->did_lower));
    g_assert_cmpint (e->verdict, ==, TW_EVALUATION_VERDICT_NONE);
    g_assert_null (tw_evaluation_verdict_to_string (e->verdict));
    g_assert_true (isnan (e->goal_progress));
    g_assert_true (e->suppressed);
  }

  /* With k = 45 every area of visits holds a hidden count (a 20, 30 or 40) in a period
   * used: no area is left on either side. */
  {
    TwSuppressionPolicy policy;
    g_autoptr(TwEvaluation) e = NULL;

    tw_suppression_policy_init (&policy);
    g_assert_true (tw_suppression_policy_set_min_count (&policy, 45, &error));
    g_assert_true (tw_suppression_policy_save (&policy, f->store, &error));
    e = tw_evaluation_run (f->store, f->visits_project, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (e->n_target_left_out, ==, 2);
    g_assert_cmpuint (e->n_comparison_left_out, ==, 4);
    g_assert_true (isnan (e->target_before.rate));
    g_assert_true (isnan (e->comparison_after.rate));
  }
}

static gboolean
same_number (double a,
             double b)
{
  return (isnan (a) && isnan (b)) || memcmp (&a, &b, sizeof a) == 0;
}

static gboolean
same_figure (const TwEvaluationFigure *a,
             const TwEvaluationFigure *b)
{
  return same_number (a->rate, b->rate) && same_number (a->lower, b->lower)
         && same_number (a->upper, b->upper) && same_number (a->variance, b->variance)
         && a->n_areas == b->n_areas && a->suppressed == b->suppressed
         && a->unstable == b->unstable;
}

/* Every published figure of two evaluations, bit for bit. */
static gboolean
same_figures (const TwEvaluation *a,
              const TwEvaluation *b)
{
  if (!same_figure (&a->target_before, &b->target_before)
      || !same_figure (&a->target_after, &b->target_after)
      || !same_figure (&a->comparison_before, &b->comparison_before)
      || !same_figure (&a->comparison_after, &b->comparison_after)
      || !same_number (a->did, b->did) || !same_number (a->did_lower, b->did_lower)
      || !same_number (a->did_upper, b->did_upper) || a->verdict != b->verdict
      || !same_number (a->goal_progress, b->goal_progress)
      || !same_number (a->goal_progress_lower, b->goal_progress_lower)
      || !same_number (a->goal_progress_upper, b->goal_progress_upper)
      || !same_number (a->target_change_percent, b->target_change_percent)
      || a->n_comparison_used != b->n_comparison_used || a->trend->len != b->trend->len)
    return FALSE;
  for (guint i = 0; i < a->trend->len; i++)
    {
      TwEvaluationPoint *x = a->trend->pdata[i], *y = b->trend->pdata[i];

      if (!same_figure (&x->target, &y->target) || !same_figure (&x->comparison, &y->comparison))
        return FALSE;
    }
  return TRUE;
}

static TwEvaluation *
evaluate_against (Fixture    *f,
                  gint64      project,
                  const char *first,
                  const char *second)
{
  const char *chosen[] = { first, second, NULL };
  TwEvaluationOptions options = { .comparison = (GStrv) chosen };
  g_autoptr(GError) error = NULL;
  TwEvaluation *e = tw_evaluation_run (f->store, project, &options, &error);

  g_assert_no_error (error);
  return e;
}

/* No two evaluations a user can ask for difference out a hidden count (small, k = 11):
 * adding C3 (hidden in 2018) to the comparison areas changes no figure at all; adding C2
 * (shown in every period used, hidden in 2019) changes them only by its shown counts, and
 * not the 2019 point, where its count is hidden. */
static void
test_differencing (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TwEvaluation) c1 = evaluate_against (f, f->small_project, geoids[2], NULL);
  g_autoptr(TwEvaluation) c1c3 = evaluate_against (f, f->small_project, geoids[2], geoids[4]);
  g_autoptr(TwEvaluation) c1c2 = evaluate_against (f, f->small_project, geoids[2], geoids[3]);
  TwEvaluationPoint *p2019, *q2019;

  g_assert_true (same_figures (c1, c1c3));
  g_assert_cmpuint (c1c3->n_comparison_areas, ==, 2);
  g_assert_cmpuint (c1c3->n_comparison_left_out, ==, 1);
  g_assert_cmpuint (c1->n_comparison_left_out, ==, 0);

  /* C1 and C2: (80 + 80) / 40 000 × 1000 = 4.0 before, 4.0 after; C1 alone 4.0 and 4.0 on
   * 20 000: the same rates on twice the population, so a narrower interval. */
  g_assert_false (same_figures (c1, c1c2));
  g_assert_cmpuint (c1c2->n_comparison_used, ==, 2);
  g_assert_cmpfloat_with_epsilon (c1c2->comparison_before.rate, 4.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (c1c2->comparison_before.variance, 160 / 1.6e9 * 1e6, 1e-12);
  g_assert_cmpfloat_with_epsilon (c1->comparison_before.variance, 80 / 4e8 * 1e6, 1e-12);
  p2019 = c1->trend->pdata[2];
  q2019 = c1c2->trend->pdata[2];
  g_assert_true (same_figure (&p2019->comparison, &q2019->comparison));
  g_assert_cmpuint (q2019->comparison.n_left_out, ==, 1);
}

/* The verdict comes from the DiD's interval, progress from the DiD (goal 50%):
 * down, higher is worse: T 4.0 → 2.0, C 5.0 → 5.0; DiD −2, half-width 1.959964 √0.275
 *   = 1.027814: wholly below 0, improved. Goal −0.5 × 4 = −2: progress 1.0, interval
 *   (−2 + 1.027814) / −2 = 0.486093 to (−2 − 1.027814) / −2 = 1.513907.
 * rise, the same counts, higher is better: worsened; progress −1.0 (−1.513907 to −0.486093).
 * trend (goal 10%): T 4.0 → 3.0 is 25% lower, more than the goal, but C fell 5.0 → 3.8:
 *   DiD +0.2, half-width 1.046334: no detectable change; progress 0.2 / −0.4 = −0.5
 *   (−3.115836 to 2.115836), never "met". */
static void
test_verdicts (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwEvaluation) down = tw_evaluation_run (f->store, f->down_project, NULL, &error);
  g_autoptr(TwEvaluation) rise = tw_evaluation_run (f->store, f->rise_project, NULL, &error);
  g_autoptr(TwEvaluation) trend = tw_evaluation_run (f->store, f->trend_project, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpfloat_with_epsilon (down->did, -2.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (down->did_upper, -2.0 + 1.0278138, 1e-6);
  g_assert_cmpint (down->verdict, ==, TW_EVALUATION_VERDICT_IMPROVED);
  g_assert_cmpstr (tw_evaluation_verdict_to_string (down->verdict), ==, "improved");
  g_assert_cmpfloat_with_epsilon (down->goal_progress, 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (down->goal_progress_lower, 0.4860931, 1e-6);
  g_assert_cmpfloat_with_epsilon (down->goal_progress_upper, 1.5139069, 1e-6);

  g_assert_false (rise->higher_is_worse);
  g_assert_cmpfloat_with_epsilon (rise->did, -2.0, 1e-12);
  g_assert_cmpint (rise->verdict, ==, TW_EVALUATION_VERDICT_WORSENED);
  g_assert_cmpstr (tw_evaluation_verdict_to_string (rise->verdict), ==, "worsened");
  g_assert_cmpfloat_with_epsilon (rise->goal_progress, -1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (rise->goal_progress_lower, -1.5139069, 1e-6);
  g_assert_cmpfloat_with_epsilon (rise->goal_progress_upper, -0.4860931, 1e-6);

  g_assert_cmpfloat_with_epsilon (trend->target_change_percent, -25.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (trend->did, 0.2, 1e-12);
  g_assert_cmpint (trend->verdict, ==, TW_EVALUATION_VERDICT_NO_CHANGE);
  g_assert_cmpfloat_with_epsilon (trend->goal_progress, -0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (trend->goal_progress_lower, -3.1158361, 1e-6);
  g_assert_cmpfloat_with_epsilon (trend->goal_progress_upper, 2.1158361, 1e-6);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwEvaluation) e = NULL;

  {
    g_autoptr(TwProject) bare = tw_project_new ("No measure yet");
    gint64 id = tw_project_add (f->store, bare, &error);

    g_assert_no_error (error);
    e = tw_evaluation_run (f->store, id, NULL, &error);
    g_assert_null (e);
    g_assert_error (error, TW_EVALUATION_ERROR, TW_EVALUATION_ERROR_NO_MEASURE);
    g_assert_nonnull (strstr (error->message, "measure"));
    g_clear_error (&error);
  }
  {
    const char *before[] = { "2016", NULL };
    TwEvaluationOptions options = { .before = (GStrv) before };

    e = tw_evaluation_run (f->store, f->visits_project, &options, &error);
    g_assert_null (e);
    g_assert_error (error, TW_EVALUATION_ERROR, TW_EVALUATION_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "2016"));
    g_clear_error (&error);
  }
  {
    const char *before[] = { "2017", NULL }, *after[] = { "2017", NULL };
    TwEvaluationOptions options = { .before = (GStrv) before, .after = (GStrv) after };

    e = tw_evaluation_run (f->store, f->visits_project, &options, &error);
    g_assert_null (e);
    g_assert_error (error, TW_EVALUATION_ERROR, TW_EVALUATION_ERROR_INVALID);
    g_clear_error (&error);
  }
  {
    const char *chosen[] = { geoids[0], NULL };
    TwEvaluationOptions options = { .comparison = (GStrv) chosen };

    e = tw_evaluation_run (f->store, f->visits_project, &options, &error);
    g_assert_null (e);
    g_assert_error (error, TW_EVALUATION_ERROR, TW_EVALUATION_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "target"));
    g_clear_error (&error);
  }
  {
    g_autoptr(TwProject) project = tw_project_get (f->store, f->visits_project, &error);

    /* A start before every period: nothing is before it. */
    g_free (project->start_date);
    project->start_date = g_strdup ("2010-01-01");
    g_assert_true (tw_project_update (f->store, project, &error));
    e = tw_evaluation_run (f->store, f->visits_project, NULL, &error);
    g_assert_null (e);
    g_assert_error (error, TW_EVALUATION_ERROR, TW_EVALUATION_ERROR_NO_DATA);
    g_assert_nonnull (strstr (error->message, "--before"));
    g_clear_error (&error);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();

  g_test_add_func ("/data/evaluation/period-years", test_period_years);
  g_test_add ("/data/evaluation/hand-worked", Fixture, NULL, fixture_set_up, test_hand_worked,
              fixture_tear_down);
  g_test_add ("/data/evaluation/options", Fixture, NULL, fixture_set_up, test_options,
              fixture_tear_down);
  g_test_add ("/data/evaluation/proportion", Fixture, NULL, fixture_set_up, test_proportion,
              fixture_tear_down);
  g_test_add ("/data/evaluation/suppression", Fixture, NULL, fixture_set_up, test_suppression,
              fixture_tear_down);
  g_test_add ("/data/evaluation/differencing", Fixture, NULL, fixture_set_up,
              test_differencing, fixture_tear_down);
  g_test_add ("/data/evaluation/verdicts", Fixture, NULL, fixture_set_up, test_verdicts,
              fixture_tear_down);
  g_test_add ("/data/evaluation/refused", Fixture, NULL, fixture_set_up, test_refused,
              fixture_tear_down);
  return g_test_run ();
}
