/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-evaluation"

#include <gdal.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tw-evaluation.h"
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

/* small: the targets' 2017 holds one hidden count (5), 2018 two (6 and 6). */
static const int small[6][5] = {
  {  5,  6, 40, 30, 30 },
  { 30,  6, 40, 30, 30 },
  { 40, 40, 40, 40, 40 },
  { 40, 40, 40, 40, 40 },
  { 40, 40, 40, 40, 40 },
  { 40, 40, 40, 40, 40 },
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

typedef struct
{
  char    *dir;
  char    *path;
  TwStore *store;
  gint64   visits_project;
  gint64   small_project;
  gint64   tiny_project;
  gint64   screened_project;
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
  import_csv (f, rates->str, "rate", 1000);

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
 *   goal 10% lower: change = (3 − 4) / 4 = −25%, progress = −0.25 / −0.10 = 2.5 */
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
  g_assert_cmpfloat_with_epsilon (e->target_change_percent, -25.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (e->goal_progress, 2.5, 1e-12);
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

/* Policy k = 11 (the default).
 * small, targets: 2017 pools 5 (hidden) + 30 → one hidden cell: the point is null.
 *   2018 pools 6 + 6, both hidden, 12 ≥ 11 → shown: 12 / 20 000 × 1000 = 0.6.
 *   Before = 2017 + 2018: its hidden cells 5, 6, 6 (17 ≥ 11) would pass alone, but before
 *   minus the shown 2018 point gives 2017's 35, and 35 − 30 = the hidden 5: null.
 *   After (2020, 2021) = 120 / 40 000 × 1000 = 3.0.
 *   Revealed: before = (5 + 30 + 6 + 6) / 40 000 × 1000 = 1.175, still marked suppressed;
 *   comparison 4.0 and 4.0; DiD = (3 − 1.175) − 0 = 1.825.
 * tiny, targets: every point pools 3 + 4 = 7 < 11: null. Before pools 3, 4, 3, 4 (14 ≥ 11,
 *   four hidden cells, and its points are all hidden): shown, 14 / 40 000 × 1000 = 0.35,
 *   unstable (< 20 events). After likewise 0.35. */
static void
test_suppression (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(TwEvaluation) e = tw_evaluation_run (f->store, f->small_project, NULL, &error);
    TwEvaluationPoint *p2017, *p2018;

    g_assert_no_error (error);
    p2017 = e->trend->pdata[0];
    p2018 = e->trend->pdata[1];
    g_assert_true (p2017->target.suppressed);
    g_assert_true (isnan (p2017->target.rate));
    g_assert_true (isnan (p2017->target.lower));
    g_assert_false (p2018->target.suppressed);
    g_assert_cmpfloat_with_epsilon (p2018->target.rate, 0.6, 1e-12);

    g_assert_true (e->target_before.suppressed);
    g_assert_true (isnan (e->target_before.rate));
    g_assert_true (isnan (e->target_before.variance));
    g_assert_cmpfloat_with_epsilon (e->target_after.rate, 3.0, 1e-12);
    g_assert_true (e->suppressed);
    g_assert_true (isnan (e->did));
    g_assert_true (isnan (e->did_lower));
    g_assert_true (isnan (e->did_upper));
  }
  {
    TwEvaluationOptions options = { .reveal = TRUE };
    g_autoptr(TwEvaluation) e = tw_evaluation_run (f->store, f->small_project, &options,
                                                   &error);

    g_assert_no_error (error);
    g_assert_true (e->revealed);
    g_assert_true (e->target_before.suppressed);
    g_assert_cmpfloat_with_epsilon (e->target_before.rate, 1.175, 1e-12);
    g_assert_cmpfloat_with_epsilon (e->did, 1.825, 1e-12);
  }
  {
    g_autoptr(TwEvaluation) e = tw_evaluation_run (f->store, f->tiny_project, NULL, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < e->trend->len; i++)
      {
        TwEvaluationPoint *point = e->trend->pdata[i];

        g_assert_true (point->target.suppressed);
        g_assert_true (isnan (point->target.rate));
        g_assert_false (point->comparison.suppressed);
      }
    g_assert_false (e->target_before.suppressed);
    g_assert_cmpfloat_with_epsilon (e->target_before.rate, 0.35, 1e-12);
    g_assert_true (e->target_before.unstable);
    g_assert_false (e->suppressed);
  }

  /* With k = 20 the tiny before pool (14 events) is hidden too. */
  {
    TwSuppressionPolicy policy;
    g_autoptr(TwEvaluation) e = NULL;

    tw_suppression_policy_init (&policy);
    g_assert_true (tw_suppression_policy_set_min_count (&policy, 20, &error));
    g_assert_true (tw_suppression_policy_save (&policy, f->store, &error));
    e = tw_evaluation_run (f->store, f->tiny_project, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (e->target_before.suppressed);
    g_assert_true (isnan (e->target_before.rate));
  }
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
    g_assert_error (error, TW_EVALUATION_ERROR, TW_EVALUATION_ERROR_INVALID);
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
  g_test_add ("/data/evaluation/refused", Fixture, NULL, fixture_set_up, test_refused,
              fixture_tear_down);
  return g_test_run ();
}
