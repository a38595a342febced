/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-share"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "export-fixture.h"
#include "tw-share.h"

static char *
write_package (Fixture  *f,
               gboolean  with_contacts)
{
  g_autoptr(GError) error = NULL;
  char *out = g_build_filename (f->dir, "share.gpkg", NULL);
  TwShareOptions options = { .with_contacts = with_contacts };
  TwShareSummary summary;

  g_assert_true (tw_share_write (f->store, &options, out, &summary, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_areas, ==, FIXTURE_N_AREAS);
  /* Two periods, 16 areas, three cells each. */
  g_assert_cmpuint (summary.n_rates, ==, 2 * FIXTURE_N_AREAS * 3);
  g_assert_cmpuint (summary.n_projects, ==, 1);
  g_assert_cmpuint (summary.n_partners, ==, 1);
  return out;
}

/* Ordinary GIS layers in EPSG:4326; suppressed rows hold nulls and nothing else. */
static void
test_layers (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *out = write_package (f, FALSE);
  const char *drivers[] = { "GPKG", NULL };
  GDALDatasetH dataset = GDALOpenEx (out, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL,
                                     NULL);
  OGRLayerH layer;
  OGRFeatureH feature;
  OGRSpatialReferenceH srs;
  guint n_hidden = 0;

  g_assert_nonnull (dataset);
  layer = GDALDatasetGetLayerByName (dataset, "areas");
  g_assert_nonnull (layer);
  g_assert_cmpint (OGR_L_GetFeatureCount (layer, TRUE), ==, FIXTURE_N_AREAS);
  g_assert_cmpint (wkbFlatten (OGR_L_GetGeomType (layer)), ==, wkbMultiPolygon);
  srs = OGR_L_GetSpatialRef (layer);
  g_assert_nonnull (srs);
  g_assert_cmpstr (OSRGetAuthorityCode (srs, NULL), ==, "4326");
  g_assert_nonnull (GDALDatasetGetLayerByName (dataset, "projects"));
  g_assert_nonnull (GDALDatasetGetLayerByName (dataset, "measures"));
  g_assert_nonnull (GDALDatasetGetLayerByName (dataset, "metadata"));

  layer = GDALDatasetGetLayerByName (dataset, "rates");
  g_assert_nonnull (layer);
  while ((feature = OGR_L_GetNextFeature (layer)) != NULL)
    {
      int numerator = OGR_F_GetFieldIndex (feature, "numerator");
      double count = OGR_F_IsFieldNull (feature, numerator)
                     ? NAN : OGR_F_GetFieldAsDouble (feature, numerator);

      if (OGR_F_GetFieldAsInteger (feature, OGR_F_GetFieldIndex (feature, "suppressed")))
        {
          const char *hidden[] = { "numerator", "rate", "lower", "upper" };

          for (guint i = 0; i < G_N_ELEMENTS (hidden); i++)
            g_assert_true (OGR_F_IsFieldNull (feature, OGR_F_GetFieldIndex (feature, hidden[i])));
          g_assert_true (OGR_F_GetFieldAsInteger (feature,
                                                  OGR_F_GetFieldIndex (feature, "unstable")));
          n_hidden++;
        }
      else
        g_assert_false (count > 0 && count < 11);
      OGR_F_Destroy (feature);
    }
  g_assert_cmpuint (n_hidden, >, 0);

  /* Contacts stay home unless chosen. */
  layer = GDALDatasetGetLayerByName (dataset, "partners");
  g_assert_cmpint (OGR_FD_GetFieldIndex (OGR_L_GetLayerDefn (layer), "email"), ==, -1);
  g_assert_cmpint (OGR_FD_GetFieldIndex (OGR_L_GetLayerDefn (layer), "phone"), ==, -1);
  GDALClose (dataset);

  g_assert_true (tw_share_is_package (out));
  g_assert_false (tw_share_is_package (f->path));
  g_assert_cmpint (fixture_count_audit (f, "export-share"), ==, 1);
}

static void
test_contacts (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *out = write_package (f, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(TwReview) review = tw_review_open (out, NULL, &error);
  GDALDatasetH dataset;
  OGRFeatureH feature;

  g_assert_no_error (error);
  g_assert_cmpstr (tw_review_get_metadata (review, "contacts_included"), ==, "yes");
  dataset = GDALOpenEx (out, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  feature = OGR_L_GetNextFeature (GDALDatasetGetLayerByName (dataset, "partners"));
  g_assert_cmpstr (OGR_F_GetFieldAsString (feature, OGR_F_GetFieldIndex (feature, "email")),
                   ==, "nurse@clinic.example");
  OGR_F_Destroy (feature);
  GDALClose (dataset);
}

/* Comments made in review come home once, and the package is never written. */
static void
test_comments (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *out = write_package (f, FALSE);
  g_autofree char *comments = g_build_filename (f->dir, "comments.json", NULL);
  g_autofree char *before = NULL, *after = NULL;
  g_autofree char *geoid = fixture_geoid (3);
  g_autoptr(GError) error = NULL;
  g_autoptr(TwReview) review = NULL;
  g_autoptr(TwReview) again = NULL;
  g_autoptr(TwProject) project = NULL;
  gsize before_length, after_length;

  g_assert_true (g_file_get_contents (out, &before, &before_length, NULL));
  review = tw_review_open (out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tw_review_get_metadata (review, "package"), ==, "tractwise-share");
  g_assert_nonnull (strstr (tw_review_get_metadata (review, "policy"), "k = 11"));
  g_assert_cmpuint (tw_review_get_n_areas (review), ==, FIXTURE_N_AREAS);
  g_assert_cmpstr (tw_review_get_project_title (review, f->project_id), ==, "Home visits");

  g_assert_true (tw_review_add_comment (review, NULL, geoid, 0, "Rosa", "Bus line cut here",
                                        &error));
  g_assert_true (tw_review_add_comment (review, NULL, NULL, f->project_id, "Rosa",
                                        "Add the school", &error));
  g_assert_no_error (error);
  g_assert_false (tw_review_add_comment (review, NULL, "99999999999", 0, "Rosa", "x", &error));
  g_assert_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_UNKNOWN_REFERENCE);
  g_clear_error (&error);
  g_assert_false (tw_review_add_comment (review, NULL, NULL, 42, "Rosa", "x", &error));
  g_assert_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_UNKNOWN_REFERENCE);
  g_clear_error (&error);
  g_assert_false (tw_review_add_comment (review, NULL, geoid, 0, "Rosa", "  ", &error));
  g_assert_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (tw_review_save_comments (review, comments, &error));
  g_assert_no_error (error);

  /* A reviewer adds to the file later. */
  again = tw_review_open (out, NULL, &error);
  g_assert_true (tw_review_load_comments (again, comments, &error));
  g_assert_cmpuint (tw_review_get_n_comments (again), ==, 2);

  g_assert_cmpint (tw_share_import_comments (f->store, comments, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (tw_share_import_comments (f->store, comments, &error), ==, 0);
  g_assert_cmpint (fixture_count_audit (f, "import-comments"), ==, 2);
  project = tw_project_get (f->store, f->project_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (project->comments->len, ==, 1);
  g_assert_cmpstr (((TwProjectComment *) g_ptr_array_index (project->comments, 0))->body, ==,
                   "Add the school");

  g_assert_true (g_file_get_contents (out, &after, &after_length, NULL));
  g_assert_cmpuint (before_length, ==, after_length);
  g_assert_true (memcmp (before, after, before_length) == 0);
}

/* Comments name the package they answer: a project that did not export it refuses them
 * whole, as it refuses comments about areas it lacks, and nothing is added. */
static void
test_comments_elsewhere (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *out = write_package (f, FALSE);
  g_autofree char *comments = g_build_filename (f->dir, "comments.json", NULL);
  g_autofree char *geoid = fixture_geoid (3);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TwReview) review = tw_review_open (out, NULL, &error);
  g_autoptr(GRegex) id = g_regex_new ("(\"package_id\" : \")[^\"]*", 0, 0, NULL);
  g_autoptr(GRegex) area = g_regex_new ("\"geoid\" : \"[0-9]*\"", 0, 0, NULL);

  g_assert_no_error (error);
  g_assert_true (tw_review_add_comment (review, NULL, geoid, 0, "A", "fine", &error));
  g_assert_true (tw_review_save_comments (review, comments, &error));
  g_assert_true (g_file_get_contents (comments, &text, NULL, NULL));

  /* Another package's (another project's, or another day's). */
  {
    g_autofree char *other = g_regex_replace (id, text, -1, 0, "\\g<1>an-unknown-package", 0,
                                              NULL);

    g_assert_cmpstr (other, !=, text);
    g_assert_true (g_file_set_contents (comments, other, -1, NULL));
    g_assert_cmpint (tw_share_import_comments (f->store, comments, &error), ==, -1);
    g_assert_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_UNKNOWN_REFERENCE);
    g_assert_nonnull (strstr (error->message, "did not export"));
    g_clear_error (&error);
  }
  /* An area the project lacks. */
  {
    g_autofree char *elsewhere = g_regex_replace (area, text, -1, 0,
                                                  "\"geoid\" : \"06001000100\"", 0, NULL);

    g_assert_true (g_file_set_contents (comments, elsewhere, -1, NULL));
    g_assert_cmpint (tw_share_import_comments (f->store, comments, &error), ==, -1);
    g_assert_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_UNKNOWN_REFERENCE);
    g_assert_nonnull (strstr (error->message, "06001000100"));
    g_clear_error (&error);
  }
  /* One that names no package at all. */
  g_assert_true (g_file_set_contents (comments,
                                      "{\"format\": \"tractwise-comments\", \"version\": 1,"
                                      " \"comments\": ["
                                      "  {\"geoid\": \"37001000101\", \"author\": \"A\","
                                      "   \"body\": \"fine\", \"created_at\": \"2024-01-01T00:00:00Z\"}]}",
                                      -1, NULL));
  g_assert_cmpint (tw_share_import_comments (f->store, comments, &error), ==, -1);
  g_assert_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (fixture_count_audit (f, "import-comments"), ==, 0);

  g_assert_true (g_file_set_contents (comments, "{\"comments\": []}", -1, NULL));
  g_assert_cmpint (tw_share_import_comments (f->store, comments, &error), ==, -1);
  g_assert_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID);
}

/* A comments file arrives by e-mail: deep nesting, a huge file, empty comments and bad
 * types are refused with a message, before anything is built. */
static void
test_comments_hostile (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *out = write_package (f, FALSE);
  g_autofree char *path = g_build_filename (f->dir, "comments.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TwReview) review = tw_review_open (out, NULL, &error);
  g_autoptr(GString) deep = g_string_new ("{\"format\": \"tractwise-comments\", \"comments\": ");
  struct { const char *text, *message; } cases[] = {
    { "{\"format\": \"tractwise-comments\", \"comments\": [{\"geoid\": \"x\", \"author\": \"\","
      " \"body\": \"b\", \"created_at\": \"2024-01-01T00:00:00Z\"}]}", "no author" },
    { "{\"format\": \"tractwise-comments\", \"comments\": [{\"geoid\": \"x\", \"author\": \"a\","
      " \"body\": \"  \", \"created_at\": \"2024-01-01T00:00:00Z\"}]}", "no text" },
    { "{\"format\": \"tractwise-comments\", \"comments\": [{\"geoid\": 5, \"author\": \"a\","
      " \"body\": \"b\", \"created_at\": \"2024-01-01T00:00:00Z\"}]}", "geoid is not text" },
    { "{\"format\": \"tractwise-comments\", \"comments\": [{\"geoid\": \"x\", \"author\": "
      "\"a\\u0000b\", \"body\": \"b\", \"created_at\": \"2024-01-01T00:00:00Z\"}]}",
      "zero character" },
    { "{\"format\": \"tractwise-comments\", \"comments\": [{\"geoid\": \"x\", \"author\": "
      "\"a\\nb\", \"body\": \"b\", \"created_at\": \"2024-01-01T00:00:00Z\"}]}",
      "author holds a control character" },
    { "{\"format\": \"tractwise-comments\", \"comments\": [], \"comments\": []}", "twice" },
    { "{'format': 'tractwise-comments'}", "no name" },
    { "/* */ {\"format\": \"tractwise-comments\"}", "not JSON" },
    { "{\"format\": \"tractwise-comments\", \"comments\": [1e999]}", "too large" },
    { "{\"format\": \"tractwise-comments\", \"comments\": [],}", "no name" },
    { "{\"format\": \"tractwise-comments\", \"comments\": [\"\xff\"]}", "not UTF-8" },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].text);
      g_assert_true (g_file_set_contents (path, cases[i].text, -1, NULL));
      g_assert_cmpint (tw_share_import_comments (f->store, path, &error), ==, -1);
      g_assert_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      g_clear_error (&error);
      g_assert_false (tw_review_load_comments (review, path, &error));
      g_assert_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID);
      g_clear_error (&error);
    }

  /* 400 KB of nested arrays: the stack of json-glib's parser would overflow. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  g_assert_true (g_file_set_contents (path, deep->str, deep->len, NULL));
  g_assert_cmpint (tw_share_import_comments (f->store, path, &error), ==, -1);
  g_assert_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nested too deeply"));
  g_clear_error (&error);
  g_assert_cmpuint (tw_review_get_n_comments (review), ==, 0);
  g_assert_cmpint (fixture_count_audit (f, "import-comments"), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();

  g_test_add ("/data/share/layers", Fixture, NULL, fixture_set_up, test_layers,
              fixture_tear_down);
  g_test_add ("/data/share/contacts", Fixture, NULL, fixture_set_up, test_contacts,
              fixture_tear_down);
  g_test_add ("/data/share/comments", Fixture, NULL, fixture_set_up, test_comments,
              fixture_tear_down);
  g_test_add ("/data/share/comments-elsewhere", Fixture, NULL, fixture_set_up,
              test_comments_elsewhere, fixture_tear_down);
  g_test_add ("/data/share/comments-hostile", Fixture, NULL, fixture_set_up,
              test_comments_hostile, fixture_tear_down);
  return g_test_run ();
}
