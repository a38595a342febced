/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-project"

#include <glib/gstdio.h>
#include <string.h>
#include <math.h>

#include <gdal.h>

#include "tw-outcome-import.h"
#include "tw-store-private.h"
#include "tw-partners.h"
#include "tw-project.h"

typedef struct
{
  char    *dir;
  char    *path;
  TwStore *store;
} Fixture;

static void
exec (TwStore    *store,
      const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (tw_store_get_db (store), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Outcomes go in through the importer, as a user's would. */
static void
import_outcomes (Fixture    *f,
                 const char *csv)
{
  g_autofree char *source = g_build_filename (f->dir, "outcomes.csv", NULL);
  g_autoptr(TwOutcomeImportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TwOutcomeImportOptions options = { .kind = "rate", .per = 10000 };

  g_assert_true (g_file_set_contents (source, csv, -1, NULL));
  result = tw_outcome_import (f->store, source, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_unlink (source);
}

/* Five tracts of one county (GEOIDs with a leading zero), a measure, two partners. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tw-project-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "p.tractwise", NULL);
  f->store = tw_store_create (f->path, &error);
  g_assert_no_error (error);
  exec (f->store,
        "INSERT INTO geography (id, name, level) VALUES (1, 'tracts', 'tract');"
        "INSERT INTO area (geography_id, geoid, geom, min_lon, min_lat, max_lon, max_lat) "
        "VALUES (1, '01001020100', x'00', 0, 0, 1, 1), (1, '01001020200', x'00', 1, 0, 2, 1),"
        "       (1, '01001020300', x'00', 2, 0, 3, 1), (1, '01001020400', x'00', 3, 0, 4, 1),"
        "       (1, '01001020500', x'00', 4, 0, 5, 1);"
        "INSERT INTO partner (name) VALUES ('Eastside Collaborative'), ('Westside Clinic');");
  import_outcomes (f, "geoid,measure,period,stratum,numerator,denominator\n"
                      "01001020100,asthma_ed,2020,all,30,4000\n"
                      "01001020100,asthma_ed,2020,black,20,1500\n");
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

static gint64
count (TwStore    *store,
       const char *sql)
{
  sqlite3_stmt *stmt = tw_store_prepare (store, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static TwProject *
full_project (void)
{
  TwProject *project = tw_project_new ("Asthma-friendly homes");

  project->aim = g_strdup ("Fewer asthma ED visits among Black children");
  project->measure = g_strdup ("asthma_ed");
  project->stratum = g_strdup ("black");
  project->start_date = g_strdup ("2021-03-01");
  project->end_date = g_strdup ("2023-02-28");
  g_free (project->status);
  project->status = g_strdup ("active");
  project->budget = 125000.5;
  project->goal_percent = 15;
  project->notes = g_strdup ("Funded by the community benefit program");
  tw_project_take_partner (project, "Westside Clinic", "referrals");
  tw_project_take_partner (project, "Eastside Collaborative", "lead");
  tw_project_take_area (project, "01001020300");
  tw_project_take_area (project, "01001020100");
  tw_project_take_area (project, "01001020100");   /* a repeat counts once */
  g_ptr_array_add (project->milestones, tw_milestone_new ("Hire navigators", "2021-06-30",
                                                          "2021-06-15"));
  g_ptr_array_add (project->milestones, tw_milestone_new ("First home visits", "2021-04-01",
                                                          NULL));
  return project;
}

static void
assert_full_project (const TwProject *read)
{
  g_assert_cmpstr (read->title, ==, "Asthma-friendly homes");
  g_assert_cmpstr (read->aim, ==, "Fewer asthma ED visits among Black children");
  g_assert_cmpstr (read->measure, ==, "asthma_ed");
  g_assert_cmpstr (read->stratum, ==, "black");
  g_assert_cmpstr (read->geography, ==, "tracts");   /* the only one */
  g_assert_cmpstr (read->start_date, ==, "2021-03-01");
  g_assert_cmpstr (read->end_date, ==, "2023-02-28");
  g_assert_cmpstr (read->status, ==, "active");
  g_assert_cmpfloat (read->budget, ==, 125000.5);
  g_assert_cmpfloat (read->goal_percent, ==, 15);
  g_assert_cmpstr (read->notes, ==, "Funded by the community benefit program");
  g_assert_cmpuint (read->partners->len, ==, 2);
  g_assert_cmpstr (((TwProjectPartner *) read->partners->pdata[0])->name, ==,
                   "Eastside Collaborative");
  g_assert_cmpstr (((TwProjectPartner *) read->partners->pdata[0])->role, ==, "lead");
  g_assert_cmpstr (((TwProjectPartner *) read->partners->pdata[1])->role, ==, "referrals");
  g_assert_cmpuint (read->areas->len, ==, 2);
  g_assert_cmpstr (read->areas->pdata[0], ==, "01001020100");
  g_assert_cmpstr (read->areas->pdata[1], ==, "01001020300");
  g_assert_cmpuint (read->milestones->len, ==, 2);
  /* By due date. */
  g_assert_cmpstr (((TwMilestone *) read->milestones->pdata[0])->title, ==,
                   "First home visits");
  g_assert_null (((TwMilestone *) read->milestones->pdata[0])->done_date);
  g_assert_cmpstr (((TwMilestone *) read->milestones->pdata[1])->done_date, ==, "2021-06-15");
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TwProject) project = full_project ();
  g_autoptr(TwProject) read = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = tw_project_add (f->store, project, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  tw_store_close (f->store);
  f->store = tw_store_open (f->path, &error);
  g_assert_no_error (error);

  read = tw_project_get (f->store, id, &error);
  g_assert_no_error (error);
  assert_full_project (read);

  /* Edit: fields, partners and areas in one go. */
  g_free (read->status);
  read->status = g_strdup ("paused");
  read->budget = NAN;
  g_ptr_array_remove_index (read->partners, 1);
  g_ptr_array_set_size (read->areas, 0);
  tw_project_take_area (read, "01001020500");
  g_assert_true (tw_project_update (f->store, read, &error));
  g_assert_no_error (error);

  list = tw_project_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  {
    TwProject *again = list->pdata[0];

    g_assert_cmpstr (again->status, ==, "paused");
    g_assert_true (isnan (again->budget));
    g_assert_cmpuint (again->partners->len, ==, 1);
    g_assert_cmpstr (((TwProjectPartner *) again->partners->pdata[0])->name, ==,
                     "Eastside Collaborative");
    g_assert_cmpuint (again->areas->len, ==, 1);
    g_assert_cmpstr (again->areas->pdata[0], ==, "01001020500");
    g_assert_cmpuint (again->milestones->len, ==, 2);   /* untouched by update */
  }

  {
    const char *areas[] = { "01001020200", "01001020400", NULL };

    g_assert_true (tw_project_set_areas (f->store, id, areas, &error));
    g_assert_no_error (error);
    g_assert_cmpint (count (f->store, "SELECT count(*) FROM project_area"), ==, 2);
  }

  g_assert_cmpint (count (f->store, "SELECT count(*) FROM audit_log WHERE action LIKE "
                                    "'project.%'"), ==, 3);
}

static void
test_milestones_and_comments (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(TwProject) project = tw_project_new ("Walking school bus");
  g_autoptr(TwMilestone) milestone = tw_milestone_new ("Routes mapped", "2024-09-01", NULL);
  g_autoptr(TwProject) read = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id, milestone_id, comment_id;

  id = tw_project_add (f->store, project, &error);
  g_assert_no_error (error);
  milestone_id = tw_project_add_milestone (f->store, id, milestone, &error);
  g_assert_no_error (error);

  milestone->id = milestone_id;
  g_free (milestone->done_date);
  milestone->done_date = g_strdup ("2024-08-20");
  g_assert_true (tw_project_update_milestone (f->store, milestone, &error));
  g_assert_no_error (error);

  g_free (milestone->done_date);
  milestone->done_date = g_strdup ("2024-08-32");
  g_assert_false (tw_project_update_milestone (f->store, milestone, &error));
  g_assert_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);

  comment_id = tw_project_add_comment (f->store, id, "Ana", "Parents asked for a second route",
                                       "01001020400", &error);
  g_assert_no_error (error);
  g_assert_cmpint (tw_project_add_comment (f->store, id, "Ana", "x", "99999999999", &error),
                   ==, -1);
  g_assert_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_UNKNOWN_REFERENCE);
  g_clear_error (&error);

  read = tw_project_get (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (read->milestones->len, ==, 1);
  g_assert_cmpstr (((TwMilestone *) read->milestones->pdata[0])->done_date, ==, "2024-08-20");
  g_assert_cmpuint (read->comments->len, ==, 1);
  g_assert_cmpstr (((TwProjectComment *) read->comments->pdata[0])->geoid, ==, "01001020400");
  g_assert_cmpstr (((TwProjectComment *) read->comments->pdata[0])->body, ==,
                   "Parents asked for a second route");

  g_assert_true (tw_project_delete_comment (f->store, comment_id, &error));
  g_assert_true (tw_project_delete_milestone (f->store, milestone_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM milestone"), ==, 0);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM comment"), ==, 0);
}

/* Each bad reference is refused with a clear message and nothing is written. */
static void
test_bad_references (Fixture       *f,
                     gconstpointer  data)
{
  struct
  {
    const char *field;
    const char *value;
    int         code;
    const char *mentions;
  } cases[] = {
    { "partner", "Northside Pantry", TW_PROJECT_ERROR_UNKNOWN_REFERENCE, "Northside Pantry" },
    { "area", "01001999999", TW_PROJECT_ERROR_UNKNOWN_REFERENCE, "01001999999" },
    { "area", "1001020100", TW_PROJECT_ERROR_UNKNOWN_REFERENCE, "1001020100" },
    { "end", "2021-02-28", TW_PROJECT_ERROR_INVALID, "before it starts" },
    { "start", "2021-13-01", TW_PROJECT_ERROR_INVALID, "2021-13-01" },
    { "start", "2021-3-1", TW_PROJECT_ERROR_INVALID, "YYYY-MM-DD" },
    { "status", "cancelled", TW_PROJECT_ERROR_INVALID, "cancelled" },
    { "measure", "obesity", TW_PROJECT_ERROR_UNKNOWN_REFERENCE, "asthma_ed" },
    { "stratum", "hispanic", TW_PROJECT_ERROR_UNKNOWN_REFERENCE, "black" },
    { "geography", "zctas", TW_PROJECT_ERROR_UNKNOWN_REFERENCE, "tracts" },
    { "goal", "150", TW_PROJECT_ERROR_INVALID, "goal" },
    { "title", "", TW_PROJECT_ERROR_INVALID, "title" },
  };
  g_autoptr(TwProject) good = full_project ();
  g_autoptr(GError) error = NULL;
  gint64 id = tw_project_add (f->store, good, &error);
  gint64 log = count (f->store, "SELECT count(*) FROM audit_log");

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TwProject) project = full_project ();
      char **slot = NULL;

      if (g_str_equal (cases[i].field, "partner"))
        tw_project_take_partner (project, cases[i].value, NULL);
      else if (g_str_equal (cases[i].field, "area"))
        tw_project_take_area (project, cases[i].value);
      else if (g_str_equal (cases[i].field, "goal"))
        project->goal_percent = g_ascii_strtod (cases[i].value, NULL);
      else
        slot = g_str_equal (cases[i].field, "end") ? &project->end_date
               : g_str_equal (cases[i].field, "start") ? &project->start_date
               : g_str_equal (cases[i].field, "status") ? &project->status
               : g_str_equal (cases[i].field, "measure") ? &project->measure
               : g_str_equal (cases[i].field, "stratum") ? &project->stratum
               : g_str_equal (cases[i].field, "geography") ? &project->geography
               : &project->title;
      if (slot != NULL)
        {
          g_free (*slot);
          *slot = g_strdup (cases[i].value);
        }

      g_test_message ("case %s = %s", cases[i].field, cases[i].value);
      g_assert_cmpint (tw_project_add (f->store, project, &error), ==, -1);
      g_assert_error (error, TW_PROJECT_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].mentions));
      g_clear_error (&error);

      /* The same through an update of the stored project. */
      project->id = id;
      g_assert_false (tw_project_update (f->store, project, &error));
      g_assert_error (error, TW_PROJECT_ERROR, cases[i].code);
      g_clear_error (&error);
    }

  {
    const char *areas[] = { "01001020200", "nope", NULL };

    g_assert_false (tw_project_set_areas (f->store, id, areas, &error));
    g_assert_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_UNKNOWN_REFERENCE);
    g_clear_error (&error);
  }
  g_assert_cmpint (tw_project_add_milestone (f->store, id + 1,
                                             good->milestones->pdata[0], &error), ==, -1);
  g_assert_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpint (count (f->store, "SELECT count(*) FROM project"), ==, 1);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM project_area"), ==, 2);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM project_partner"), ==, 2);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM milestone"), ==, 2);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM audit_log"), ==, log);
  {
    g_autoptr(TwProject) read = tw_project_get (f->store, id, &error);

    g_assert_no_error (error);
    assert_full_project (read);
  }
}

static void
test_delete_and_restore (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(TwProject) project = full_project ();
  g_autoptr(TwProject) deleted = NULL;
  g_autoptr(TwProject) restored = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id, other, comment_id;

  id = tw_project_add (f->store, project, &error);
  g_assert_no_error (error);
  comment_id = tw_project_add_comment (f->store, id, "Lee", "Kick-off went well", NULL, &error);
  g_assert_no_error (error);
  other = tw_project_add (f->store, project, &error);
  g_assert_no_error (error);

  g_assert_true (tw_project_delete (f->store, id, &deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM project"), ==, 1);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM project_area"), ==, 2);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM comment"), ==, 0);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM audit_log WHERE action = "
                                    "'project.delete'"), ==, 1);

  /* Undo: everything back under the same ids. */
  g_assert_true (tw_project_restore (f->store, deleted, &error));
  g_assert_no_error (error);
  restored = tw_project_get (f->store, id, &error);
  g_assert_no_error (error);
  assert_full_project (restored);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpint (((TwMilestone *) restored->milestones->pdata[i])->id, ==,
                     ((TwMilestone *) deleted->milestones->pdata[i])->id);
  g_assert_cmpuint (restored->comments->len, ==, 1);
  g_assert_cmpint (((TwProjectComment *) restored->comments->pdata[0])->id, ==, comment_id);
  g_assert_cmpstr (((TwProjectComment *) restored->comments->pdata[0])->created_at, ==,
                   ((TwProjectComment *) deleted->comments->pdata[0])->created_at);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM project"), ==, 2);

  /* A second restore is refused and changes nothing. */
  g_assert_false (tw_project_restore (f->store, deleted, &error));
  g_assert_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_EXISTS);
  g_clear_error (&error);

  /* A restore whose partner has gone in the meantime fails whole. */
  g_clear_pointer (&deleted, tw_project_free);
  g_assert_true (tw_project_delete (f->store, id, &deleted, &error));
  g_assert_true (tw_project_delete (f->store, other, NULL, &error));
  g_assert_true (tw_partners_delete (f->store, tw_partners_find (f->store, "Westside Clinic",
                                                                 NULL), NULL, &error));
  g_assert_no_error (error);
  g_assert_false (tw_project_restore (f->store, deleted, &error));
  g_assert_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_UNKNOWN_REFERENCE);
  g_clear_error (&error);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM project"), ==, 0);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM milestone"), ==, 0);
}

static void
test_dates (void)
{
  g_assert_true (tw_project_date_is_valid ("2024-02-29"));
  g_assert_false (tw_project_date_is_valid ("2023-02-29"));
  g_assert_false (tw_project_date_is_valid ("2023-2-01"));
  g_assert_false (tw_project_date_is_valid ("2023-02-01T00"));
  g_assert_false (tw_project_date_is_valid ("+023-02-01"));
  g_assert_true (tw_project_status_is_valid ("completed"));
  g_assert_false (tw_project_status_is_valid ("Completed"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();

  g_test_add_func ("/data/project/dates", test_dates);
  g_test_add ("/data/project/round-trip", Fixture, NULL, fixture_set_up, test_round_trip,
              fixture_tear_down);
  g_test_add ("/data/project/milestones-and-comments", Fixture, NULL, fixture_set_up,
              test_milestones_and_comments, fixture_tear_down);
  g_test_add ("/data/project/bad-references", Fixture, NULL, fixture_set_up,
              test_bad_references, fixture_tear_down);
  g_test_add ("/data/project/delete-and-restore", Fixture, NULL, fixture_set_up,
              test_delete_and_restore, fixture_tear_down);
  return g_test_run ();
}
