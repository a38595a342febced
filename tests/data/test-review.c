/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-review"

#include <gdal.h>
#include <ogr_api.h>

#include "tw-format.h"
#include "tw-store-private.h"
#include "export-fixture.h"
#include "tw-area-import.h"
#include "tw-attributes.h"
#include "tw-outcome-import.h"
#include "tw-rate-table.h"
#include "tw-review-project.h"
#include "tw-share.h"
#include "tw-store-policy.h"
#include "tw-suppression.h"
#include "tw-untrusted.h"

/* The fixture's project shared (all measures) and opened as a review project. */
typedef struct
{
  Fixture  f;
  char    *package;
  char    *review_path;
  TwStore *review;
} Review;

static void
count_steps (guint    done,
             guint    total,
             gpointer user_data)
{
  guint *seen = user_data;

  /* Steps come in order, and the last one says the package is whole. */
  g_assert_cmpuint (done, ==, seen[0] + 1);
  g_assert_cmpuint (done, <=, total);
  seen[0] = done;
  seen[1] = total;
}

static void
review_set_up (Review        *r,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint steps[2] = { 0, 0 };
  TwShareOptions options = { .with_contacts = GPOINTER_TO_INT (data), .progress = count_steps,
                             .progress_data = steps };
  TwReviewProjectSummary summary;
  g_autofree char *folder = NULL;

  fixture_set_up (&r->f, NULL);
  r->package = g_build_filename (r->f.dir, "share.gpkg", NULL);
  g_assert_true (tw_share_write (r->f.store, &options, r->package, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fixture_count_audit (&r->f, "export-share"), ==, 1);
  /* The areas, two periods of one measure, the rest. */
  g_assert_cmpuint (steps[0], ==, 4);
  g_assert_cmpuint (steps[1], ==, 4);

  folder = g_build_filename (r->f.dir, "review", NULL);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  r->review_path = g_build_filename (folder, "review.tractwise", NULL);
  tw_review_project_create (r->package, r->review_path, &summary, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_areas, ==, FIXTURE_N_AREAS);
  g_assert_cmpuint (summary.n_shown + summary.n_withheld, ==, 2 * FIXTURE_N_AREAS * 3);
  g_assert_cmpuint (summary.n_withheld, >, 0);
  g_assert_cmpuint (summary.n_projects, ==, 1);
  g_assert_cmpuint (summary.n_partners, ==, 1);
  r->review = tw_store_open (r->review_path, &error);
  g_assert_no_error (error);
  g_assert_true (tw_store_is_review (r->review));
}

static void
review_tear_down (Review        *r,
                  gconstpointer  data)
{
  tw_store_close (r->review);
  tw_review_project_delete (r->review_path);
  g_free (r->review_path);
  g_free (r->package);
  fixture_tear_down (&r->f, NULL);
}

static TwRateTable *
rates (TwStore      *store,
       const char   *period,
       TwRateMethod  method)
{
  g_autoptr(GError) error = NULL;
  TwRateQuery query = { .measure = "visits", .period = period, .method = method };
  TwRateTable *table = tw_rate_table_compute (store, &query, NULL, NULL, &error);

  g_assert_no_error (error);
  return table;
}

static gboolean
close_enough (double a,
              double b)
{
  return fabs (a - b) <= 1e-9 * MAX (1.0, fabs (b));
}

/* Every row of the package's rates layer (which publishes figures at 3 significant figures):
 * the review project gives the same count, rate and
 * interval where the package shows them, and holds nothing where it does not. */
static void
test_same_rates (Review        *r,
                 gconstpointer  data)
{
  const char *drivers[] = { "GPKG", NULL };
  GDALDatasetH dataset = GDALOpenEx (r->package, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers,
                                     NULL, NULL);
  OGRLayerH layer = GDALDatasetGetLayerByName (dataset, "rates");
  g_autoptr(TwRateTable) t2019 = rates (r->review, "2019", TW_RATE_METHOD_CRUDE);
  g_autoptr(TwRateTable) t2020 = rates (r->review, "2020", TW_RATE_METHOD_CRUDE);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = tw_store_prepare (r->review, "SELECT id, geoid FROM area", NULL);
  OGRFeatureH feature;
  guint n = 0, n_withheld = 0, n_shown = 0;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 1)),
                         GINT_TO_POINTER ((int) sqlite3_column_int64 (stmt, 0)));
  sqlite3_reset (stmt);

  g_assert_nonnull (layer);
  while ((feature = OGR_L_GetNextFeature (layer)) != NULL)
    {
#define FIELD(name) OGR_F_GetFieldIndex (feature, name)
      const char *period = OGR_F_GetFieldAsString (feature, FIELD ("period"));
      const char *geoid = OGR_F_GetFieldAsString (feature, FIELD ("geoid"));
      const char *stratum = OGR_F_GetFieldAsString (feature, FIELD ("stratum"));
      gint64 area = GPOINTER_TO_INT (g_hash_table_lookup (ids, geoid));
      const TwRateRow *row = tw_rate_table_find_row (g_str_equal (period, "2019") ? t2019 : t2020,
                                                     area, stratum);

      g_assert_nonnull (row);
      g_assert_cmpfloat (row->denominator, ==,
                         OGR_F_GetFieldAsDouble (feature, FIELD ("denominator")));
      if (OGR_F_GetFieldAsInteger (feature, FIELD ("suppressed")))
        {
          g_assert_cmpint (row->reason, ==, TW_SUPPRESSION_WITHHELD);
          g_assert_true (tw_rate_row_is_suppressed (row));
          g_assert_true (isnan (row->numerator));
          g_assert_true (isnan (row->rate) && isnan (row->lower) && isnan (row->upper));
          g_assert_true (row->unstable);
          n_withheld++;
        }
      else
        {
          g_assert_cmpint (row->reason, ==, TW_SUPPRESSION_SHOWN);
          g_assert_cmpfloat (row->numerator, ==,
                             OGR_F_GetFieldAsDouble (feature, FIELD ("numerator")));
          g_assert_true (close_enough (tw_format_round_published (row->rate),
                                       OGR_F_GetFieldAsDouble (feature, FIELD ("rate"))));
          g_assert_true (close_enough (tw_format_round_published (row->lower),
                                       OGR_F_GetFieldAsDouble (feature, FIELD ("lower"))));
          g_assert_true (close_enough (tw_format_round_published (row->upper),
                                       OGR_F_GetFieldAsDouble (feature, FIELD ("upper"))));
          g_assert_cmpint (row->unstable, ==,
                           OGR_F_GetFieldAsInteger (feature, FIELD ("unstable")));
          n_shown++;
        }
#undef FIELD
      OGR_F_Destroy (feature);
      n++;
    }
  GDALClose (dataset);
  g_assert_cmpuint (n, ==, tw_rate_table_get_n_rows (t2019) + tw_rate_table_get_n_rows (t2020));
  g_assert_cmpuint (n_withheld, >, 0);
  g_assert_cmpuint (n_shown, >, n_withheld);
  g_test_message ("%u rows: %u shown, %u withheld", n, n_shown, n_withheld);
}

/* A suppressed cell stays suppressed whatever is asked: under a policy that would show it,
 * and on a map with the analyst view on. */
static void
test_withheld_stay_suppressed (Review        *r,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaLayer) layer = tw_area_layer_load (r->review, 1, NULL, &error);
  TwSuppressionPolicy loose;
  TwRateQuery query = { .measure = "visits", .period = "2020", .method = TW_RATE_METHOD_CRUDE };
  g_autoptr(TwRateTable) table = NULL;
  TwChoroplethQuery map_query = { 0 };
  g_autoptr(TwChoropleth) map = NULL;
  g_autofree char *tract5 = fixture_geoid (5);

  tw_suppression_policy_init (&loose);
  loose.min_count = 1;
  table = tw_rate_table_compute (r->review, &query, &loose, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tw_rate_table_get_n_rows (table); i++)
    {
      const TwRateRow *row = tw_rate_table_get_row (table, i);

      if (g_str_equal (row->geoid, tract5))
        {
          g_assert_cmpint (row->reason, ==, TW_SUPPRESSION_WITHHELD);
          g_assert_true (isnan (row->numerator) && isnan (row->rate));
        }
    }

  g_assert_no_error (error);
  map_query.measure = "visits";
  map_query.period = "2020";
  map_query.method = TW_CLASSIFY_QUANTILE;
  map_query.n_classes = 4;
  map_query.reveal = TRUE;
  map = tw_choropleth_compute (r->review, layer, &map_query, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tw_area_layer_get_n_areas (layer); i++)
    {
      const TwAreaFigure *figure = tw_choropleth_get_figure (map, i);
      gboolean small = g_str_equal (tw_area_layer_get_geoid (layer, i), tract5)
                       || g_str_equal (tw_area_layer_get_geoid (layer, i), "37003000110");

      g_assert_cmpint (figure->withheld, ==, small);
      if (small)
        {
          g_assert_cmpint (figure->kind, ==, TW_AREA_SUPPRESSED);
          g_assert_true (isnan (figure->numerator) && isnan (figure->rate));
          g_assert_cmpint (figure->rank, ==, 0);
        }
      else
        g_assert_cmpuint (figure->kind, <, 4);
    }
  g_assert_cmpuint (tw_choropleth_get_n_suppressed (map), ==, 2);
}

/* Figures pooled over areas use only published cells (THE RULE), so the review copy, which
 * holds exactly those, computes the same pooled figures as the workspace it came from. */
static void
test_pooled_figures (Review        *r,
                     gconstpointer  data)
{
  g_autoptr(TwRateTable) original = rates (r->f.store, "2020", TW_RATE_METHOD_CRUDE);
  g_autoptr(TwRateTable) review = rates (r->review, "2020", TW_RATE_METHOD_CRUDE);
  g_autoptr(TwRateTable) original_eb = rates (r->f.store, "2020", TW_RATE_METHOD_EB);
  g_autoptr(TwRateTable) review_eb = rates (r->review, "2020", TW_RATE_METHOD_EB);
  guint n_hidden_b = 0, n_eb_shown_b = 0;

  g_assert_cmpuint (tw_rate_table_get_n_rows (original), ==,
                    tw_rate_table_get_n_rows (review));
  for (guint i = 0; i < tw_rate_table_get_n_rows (original); i++)
    {
      const TwRateRow *row = tw_rate_table_get_row (original, i);
      const TwRateRow *copy = tw_rate_table_get_row (review, i);

      g_assert_cmpstr (row->geoid, ==, copy->geoid);
      g_assert_cmpint (tw_rate_row_is_suppressed (row), ==, tw_rate_row_is_suppressed (copy));
      /* Outside a reveal the workspace, too, holds no count of a hidden cell. */
      if (tw_rate_row_is_suppressed (row))
        g_assert_true (isnan (row->numerator) && isnan (row->rate));
      n_hidden_b += g_str_equal (row->stratum, "b") && tw_rate_row_is_suppressed (row);
    }
  /* Group "b" hides three cells of 2020 (12, 2 and 4 events). */
  g_assert_cmpuint (n_hidden_b, ==, 3);

  /* Empirical Bayes pools the shown areas of a group: the same prior, the same estimates. */
  for (guint i = 0; i < tw_rate_table_get_n_rows (original_eb); i++)
    {
      const TwRateRow *row = tw_rate_table_get_row (original_eb, i);
      const TwRateRow *copy = tw_rate_table_get_row (review_eb, i);

      g_assert_cmpint (isnan (row->rate), ==, isnan (copy->rate));
      if (!isnan (row->rate))
        {
          g_assert_true (close_enough (copy->rate, row->rate));
          g_assert_true (close_enough (copy->lower, row->lower));
          n_eb_shown_b += g_str_equal (row->stratum, "b");
        }
    }
  g_assert_cmpuint (n_eb_shown_b, >, 0);
}

/* What the package holds of projects and partners, under the project's own ids. */
static void
test_projects_and_partners (Review        *r,
                            gconstpointer  data)
{
  gboolean with_contacts = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(TwProject) project = tw_project_get (r->review, r->f.project_id, &error);
  g_autoptr(GPtrArray) partners = tw_partners_list (r->review, &error);
  g_autofree char *policy = tw_store_get_setting (r->review, TW_STORE_KEY_SUPPRESSION_MIN_COUNT);
  TwPartner *partner;
  TwProjectPartner *member;

  g_assert_no_error (error);
  g_assert_cmpstr (project->title, ==, "Home visits");
  g_assert_cmpstr (project->measure, ==, "visits");
  g_assert_cmpstr (project->status, ==, "active");
  g_assert_cmpfloat (project->goal_percent, ==, 10);
  g_assert_true (isnan (project->budget));
  g_assert_cmpuint (project->areas->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (project->areas, 0), ==, "37001000101");
  g_assert_cmpuint (project->partners->len, ==, 1);
  member = g_ptr_array_index (project->partners, 0);
  g_assert_cmpstr (member->name, ==, "Eastside Clinic");
  g_assert_cmpstr (member->role, ==, "lead");

  g_assert_cmpuint (partners->len, ==, 1);
  partner = g_ptr_array_index (partners, 0);
  g_assert_cmpstr (partner->kind, ==, "clinic");
  g_assert_cmpstr (partner->email, ==, with_contacts ? "nurse@clinic.example" : NULL);
  g_assert_null (partner->notes);
  g_assert_cmpstr (policy, ==, "11");
}

static void
assert_read_only (GError     **error,
                  const char  *what)
{
  g_test_message ("%s: %s", what, *error != NULL ? (*error)->message : "(no error)");
  g_assert_error (*error, TW_STORE_ERROR, TW_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr ((*error)->message, "read-only review copy of the share package "
                                               "'share.gpkg'"));
  g_clear_error (error);
}

/* Every edit a store offers refuses, says why, and changes nothing. */
static void
test_refuses_edits (Review        *r,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwProject) project = tw_project_get (r->review, r->f.project_id, &error);
  g_autoptr(TwProject) fresh = tw_project_new ("New");
  g_autoptr(TwPartner) partner = tw_partner_new ("Someone");
  g_autoptr(TwMilestone) milestone = tw_milestone_new ("Kick-off", "2021-01-01", NULL);
  g_autofree char *csv = g_build_filename (r->f.dir, "more.csv", NULL);
  g_autofree char *comments = g_build_filename (r->f.dir, "comments.json", NULL);
  g_autofree char *again = g_build_filename (r->f.dir, "again.gpkg", NULL);
  g_autofree char *areas = g_build_filename (g_getenv ("TW_FIXTURES"), "areas", "nc.geojson",
                                             NULL);
  g_autofree char *before = NULL, *after = NULL;
  gsize before_length, after_length;
  const char *geoids[] = { "37001000101", NULL };
  const char *fields[] = { "svi", NULL };
  TwSuppressionPolicy policy;
  TwAreaImportOptions area_options = { 0 };
  TwOutcomeImportOptions outcome_options = { 0 };
  TwAttributeImportOptions attribute_options = { .geoid_field = "geoid", .fields = fields };
  g_autoptr(TwReview) review = tw_review_open (r->package, NULL, &error);
  TwPartner *deleted_partner = NULL;
  TwProject *deleted = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (r->review_path, &before, &before_length, NULL));
  g_assert_true (g_file_set_contents (csv, "geoid,measure,period,stratum,numerator,"
                                      "denominator,svi\n37001000101,visits,2021,all,40,1000,"
                                      "0.5\n", -1, NULL));
  g_assert_true (tw_review_add_comment (review, NULL, geoids[0], 0, "Rosa", "Busy corner",
                                        &error));
  g_assert_true (tw_review_save_comments (review, comments, &error));

  g_assert_cmpint (tw_project_add (r->review, fresh, &error), ==, -1);
  assert_read_only (&error, "tw_project_add");
  g_free (project->title);
  project->title = g_strdup ("Renamed");
  g_assert_false (tw_project_update (r->review, project, &error));
  assert_read_only (&error, "tw_project_update");
  g_assert_false (tw_project_set_areas (r->review, project->id, geoids, &error));
  assert_read_only (&error, "tw_project_set_areas");
  g_assert_cmpint (tw_project_add_milestone (r->review, project->id, milestone, &error), ==, -1);
  assert_read_only (&error, "tw_project_add_milestone");
  g_assert_cmpint (tw_project_add_comment (r->review, project->id, "Rosa", "x", NULL, &error),
                   ==, -1);
  assert_read_only (&error, "tw_project_add_comment");
  g_assert_false (tw_project_delete (r->review, project->id, &deleted, &error));
  assert_read_only (&error, "tw_project_delete");
  g_assert_null (deleted);
  project->id = 99;
  g_assert_false (tw_project_restore (r->review, project, &error));
  assert_read_only (&error, "tw_project_restore");

  g_assert_cmpint (tw_partners_add (r->review, partner, &error), ==, -1);
  assert_read_only (&error, "tw_partners_add");
  partner->id = 1;
  g_assert_false (tw_partners_update (r->review, partner, &error));
  assert_read_only (&error, "tw_partners_update");
  g_assert_false (tw_partners_delete (r->review, 1, &deleted_partner, &error));
  assert_read_only (&error, "tw_partners_delete");
  partner->id = 77;
  g_assert_false (tw_partners_restore (r->review, partner, &error));
  assert_read_only (&error, "tw_partners_restore");

  tw_suppression_policy_init (&policy);
  policy.min_count = 5;
  policy.preset = TW_SUPPRESSION_PRESET_CUSTOM;
  g_assert_false (tw_suppression_policy_save (&policy, r->review, &error));
  assert_read_only (&error, "tw_suppression_policy_save");
  g_assert_false (tw_store_set_setting (r->review, TW_STORE_KEY_REVIEW_PACKAGE, NULL, &error));
  assert_read_only (&error, "tw_store_set_setting");
  g_assert_false (tw_store_audit (r->review, "export-map", "x", &error));
  assert_read_only (&error, "tw_store_audit");
  g_assert_false (tw_store_begin (r->review, &error));
  assert_read_only (&error, "tw_store_begin");

  area_options.geography = "More areas";
  g_assert_null (tw_area_import (r->review, areas, &area_options, NULL, NULL, NULL, &error));
  assert_read_only (&error, "tw_area_import");
  g_assert_null (tw_outcome_import (r->review, csv, &outcome_options, NULL, NULL, NULL, &error));
  assert_read_only (&error, "tw_outcome_import");
  g_assert_null (tw_attribute_import (r->review, csv, &attribute_options, &error));
  assert_read_only (&error, "tw_attribute_import");
  g_assert_cmpint (tw_share_import_comments (r->review, comments, &error), ==, -1);
  assert_read_only (&error, "tw_share_import_comments");
  g_assert_false (tw_share_write (r->review, NULL, again, NULL, NULL, &error));
  assert_read_only (&error, "tw_share_write");
  g_assert_false (g_file_test (again, G_FILE_TEST_EXISTS));

  /* SQLite itself refuses whatever goes around the store. */
  g_assert_cmpint (sqlite3_exec (tw_store_get_db (r->review), "DELETE FROM outcome_value",
                                 NULL, NULL, NULL) & 0xff, ==, SQLITE_READONLY);

  tw_store_close (r->review);
  r->review = tw_store_open (r->review_path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (r->review_path, &after, &after_length, NULL));
  g_assert_cmpuint (before_length, ==, after_length);
  g_assert_true (memcmp (before, after, before_length) == 0);
}

/* A file that is no share package is refused and leaves nothing behind. */
static void
test_not_a_package (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tw-review-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "review.tractwise", NULL);
  g_autofree char *areas = g_build_filename (g_getenv ("TW_FIXTURES"), "areas",
                                             "boston_tracts.gpkg", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (tw_review_project_create (areas, out, NULL, NULL, &error));
  g_assert_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_NOT_A_PACKAGE);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  tw_review_project_delete (out);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

/* Comments imported into the original project are listed with what they are about. */
static void
test_comments_listed (Review        *r,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwReview) review = tw_review_open (r->package, NULL, &error);
  g_autofree char *comments = g_build_filename (r->f.dir, "comments.json", NULL);
  g_autoptr(GPtrArray) listed = NULL;
  const TwComment *first, *second;

  g_assert_true (tw_review_add_comment (review, NULL, "37003000110", 0, "Rosa",
                                        "The clinic closed in 2020", &error));
  g_assert_true (tw_review_add_comment (review, NULL, NULL, r->f.project_id, "Rosa",
                                        "Add the school", &error));
  g_assert_true (tw_review_add_comment (review, NULL, NULL, r->f.project_id, "Rosa", "Oops",
                                        &error));
  tw_review_remove_comment (review, 2);
  g_assert_cmpuint (tw_review_get_n_comments (review), ==, 2);
  g_assert_cmpstr (tw_review_get_comment (review, 0)->geography, ==, "tracts");
  g_assert_true (tw_review_save_comments (review, comments, &error));

  /* Comments made on another package are not mixed in. */
  {
    g_autofree char *text = NULL;
    g_autofree char *other = g_build_filename (r->f.dir, "other.json", NULL);
    g_autoptr(TwReview) again = tw_review_open (r->package, NULL, &error);
    g_autoptr(GRegex) made = g_regex_new ("(\"package\"[^}]*\"created_at\" : \")[^\"]*", 0,
                                          0, NULL);
    g_autofree char *moved = NULL;

    g_assert_true (g_file_get_contents (comments, &text, NULL, NULL));
    moved = g_regex_replace (made, text, -1, 0, "\\g<1>2001-01-01T00:00:00Z", 0, NULL);
    g_assert_cmpstr (moved, !=, text);
    g_assert_true (g_file_set_contents (other, moved, -1, NULL));
    g_assert_false (tw_review_load_comments (again, other, &error));
    g_assert_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "another share package"));
    g_clear_error (&error);
    g_assert_cmpuint (tw_review_get_n_comments (again), ==, 0);
    g_assert_true (tw_review_load_comments (again, comments, &error));
    g_assert_cmpuint (tw_review_get_n_comments (again), ==, 2);
  }
  g_assert_cmpint (tw_share_import_comments (r->f.store, comments, &error), ==, 2);
  g_assert_no_error (error);

  listed = tw_share_list_comments (r->f.store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);
  first = g_ptr_array_index (listed, 0);
  second = g_ptr_array_index (listed, 1);
  g_assert_cmpstr (first->geoid, ==, "37003000110");
  g_assert_cmpstr (first->geography, ==, "tracts");
  g_assert_cmpint (first->project_id, ==, 0);
  g_assert_cmpstr (first->body, ==, "The clinic closed in 2020");
  g_assert_null (second->geoid);
  g_assert_cmpint (second->project_id, ==, r->f.project_id);
  g_assert_cmpstr (second->project_title, ==, "Home visits");
  g_assert_cmpstr (second->author, ==, "Rosa");
}

static void
return_zero (sqlite3_context *context,
             int              argc,
             sqlite3_value  **argv)
{
  sqlite3_result_int (context, 0);
}

/* A copy of the review's package changed by @sql, as an attacker would (GDAL's index
 * triggers get stand-ins for its functions). */
static char *
craft_package (Review     *r,
               const char *name,
               const char *sql)
{
  g_autofree char *bytes = NULL;
  char *path = g_build_filename (r->f.dir, name, NULL);
  gsize length;
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_true (g_file_get_contents (r->package, &bytes, &length, NULL));
  g_assert_true (g_file_set_contents (path, bytes, length, NULL));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  for (guint i = 0; i < 5; i++)
    sqlite3_create_function (db, (const char *[]) { "ST_IsEmpty", "ST_MinX", "ST_MaxX",
                                                    "ST_MinY", "ST_MaxY" }[i], 1,
                             SQLITE_UTF8, NULL, return_zero, NULL, NULL);
  sqlite3_exec (db, sql, NULL, NULL, &message);
  g_assert_cmpstr (message, ==, NULL);
  sqlite3_close (db);
  return path;
}

/* Nothing but the folder's own files: no review copy, no journal. */
static void
assert_nothing_left (Review     *r,
                     const char *out)
{
  g_autofree char *folder = g_path_get_dirname (out);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);

  g_assert_nonnull (dir);
  g_assert_null (g_dir_read_name (dir));
}

/* A hostile package builds no review copy: refused quickly, with the table and row, and
 * nothing is left where the copy would have been. */
static void
test_hostile_package (Review        *r,
                      gconstpointer  data)
{
  struct { const char *sql, *message; } cases[] = {
    { "ALTER TABLE metadata RENAME TO m0; CREATE VIEW metadata AS WITH RECURSIVE r (n) AS "
      "(SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT 'package' AS key, "
      "'tractwise-share' AS value FROM r", "'metadata' is a view" },
    { "UPDATE rates SET numerator = -3 WHERE rowid = (SELECT min (rowid) FROM rates "
      "WHERE suppressed = 0)", "numerator is negative" },
    { "UPDATE rates SET numerator = 'many' WHERE rowid = (SELECT min (rowid) FROM rates "
      "WHERE suppressed = 0)", "numerator is text" },
    /* A square with a corner at longitude 200. */
    { "UPDATE areas SET geom = CAST (X'47500001E6100000'"
      "|| X'0103000000010000000500000000000000000000000000000000000000'"
      "|| X'0000000000006940000000000000000000000000000069400000000000002440'"
      "|| X'0000000000000000000000000000244000000000000000000000000000000000' AS BLOB)"
      " WHERE rowid = 2", "outside longitude and latitude" },
    /* The same with a NaN corner. */
    { "UPDATE areas SET geom = CAST (X'47500001E6100000'"
      "|| X'0103000000010000000500000000000000000000000000000000000000'"
      "|| X'000000000000F87F000000000000000000000000000000000000000000002440'"
      "|| X'0000000000000000000000000000244000000000000000000000000000000000' AS BLOB)"
      " WHERE rowid = 2", "outside longitude and latitude" },
    { "PRAGMA application_id = 1", "application_id" },
  };
  g_autofree char *out = g_build_filename (r->f.dir, "hostile", "review.tractwise", NULL);
  g_autofree char *folder = g_path_get_dirname (out);

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *package = craft_package (r, "hostile.gpkg", cases[i].sql);
      g_autoptr(GError) error = NULL;
      g_autoptr(TwReview) review = NULL;
      gint64 start = g_get_monotonic_time ();

      g_assert_false (tw_review_project_create (package, out, NULL, NULL, &error));
      g_test_message ("%s", error->message);
      g_assert_true (error->domain == TW_SHARE_ERROR);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      g_assert_null (strchr (error->message, '\n'));
      g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
      assert_nothing_left (r, out);
      g_clear_error (&error);
      review = tw_review_open (package, NULL, &error);
      g_assert_null (review);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

/* Cancel stops the reading, and leaves nothing. */
static void
test_cancelled (Review        *r,
                gconstpointer  data)
{
  g_autofree char *out = g_build_filename (r->f.dir, "cancelled", "review.tractwise", NULL);
  g_autofree char *folder = g_path_get_dirname (out);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_cancellable_cancel (cancellable);
  g_assert_false (tw_review_project_create (r->package, out, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_nothing_left (r, out);
  g_clear_error (&error);
  g_assert_null (tw_review_open (r->package, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The work budget stops what a package could make SQLite do without end, and a Cancel
 * from another thread stops a statement at once. */
static gpointer
cancel_soon (gpointer data)
{
  g_usleep (G_USEC_PER_SEC / 100);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_work_budget (Review        *r,
                  gconstpointer  data)
{
  static const char *const endless = "WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL "
                                     "SELECT n + 1 FROM r) SELECT count (*) FROM r";
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TwUntrusted) db = tw_untrusted_open (r->package, G_MAXUINT64, NULL, &error);
  g_autoptr(TwUntrusted) cancelled = NULL;
  g_autoptr(GThread) thread = NULL;
  sqlite3_stmt *stmt;
  gint64 start;

  g_assert_no_error (error);
  stmt = tw_untrusted_prepare (db, endless, &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  g_assert_cmpint (tw_untrusted_step (db, stmt, &error), ==, -1);
  g_assert_error (error, TW_UNTRUSTED_ERROR, TW_UNTRUSTED_ERROR_TOO_MUCH_WORK);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  sqlite3_finalize (stmt);
  g_clear_error (&error);

  cancelled = tw_untrusted_open (r->package, G_MAXUINT64, cancellable, &error);
  stmt = tw_untrusted_prepare (cancelled, "WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL "
                               "SELECT n + 1 FROM r LIMIT 1000000) SELECT max (a.n * b.n) "
                               "FROM r a, r b", &error);
  g_assert_no_error (error);
  thread = g_thread_new ("cancel", cancel_soon, cancellable);
  g_assert_cmpint (tw_untrusted_step (cancelled, stmt, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  sqlite3_finalize (stmt);
  g_thread_join (g_steal_pointer (&thread));

  /* And a file too large is not opened at all. */
  g_clear_error (&error);
  g_assert_null (tw_untrusted_open (r->package, 1000, NULL, &error));
  g_assert_error (error, TW_UNTRUSTED_ERROR, TW_UNTRUSTED_ERROR_UNREADABLE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();

  g_test_add ("/data/review/same-rates", Review, NULL, review_set_up, test_same_rates,
              review_tear_down);
  g_test_add ("/data/review/withheld-stay-suppressed", Review, NULL, review_set_up,
              test_withheld_stay_suppressed, review_tear_down);
  g_test_add ("/data/review/pooled-figures", Review, NULL, review_set_up, test_pooled_figures,
              review_tear_down);
  g_test_add ("/data/review/projects-and-partners", Review, NULL, review_set_up,
              test_projects_and_partners, review_tear_down);
  g_test_add ("/data/review/projects-and-partners-with-contacts", Review, GINT_TO_POINTER (TRUE),
              review_set_up, test_projects_and_partners, review_tear_down);
  g_test_add ("/data/review/refuses-edits", Review, NULL, review_set_up, test_refuses_edits,
              review_tear_down);
  g_test_add_func ("/data/review/not-a-package", test_not_a_package);
  g_test_add ("/data/review/comments-listed", Review, NULL, review_set_up, test_comments_listed,
              review_tear_down);
  g_test_add ("/data/review/hostile-package", Review, NULL, review_set_up,
              test_hostile_package, review_tear_down);
  g_test_add ("/data/review/cancelled", Review, NULL, review_set_up, test_cancelled,
              review_tear_down);
  g_test_add ("/data/review/work-budget", Review, NULL, review_set_up, test_work_budget,
              review_tear_down);
  return g_test_run ();
}
