/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store-report"

#include <math.h>

#include <gdal.h>
#include <ogr_api.h>

#include "tw-comments.h"
#include "tw-geographies.h"
#include "tw-package-writer.h"
#include "tw-share-package.h"
#include "tw-store-report.h"
#include "tw-test-project.h"

/* Two geographies (tracts with their vintage and source, counties with neither), a
 * measure with outcomes on tracts in 2020 and on counties in 2021, and one without a
 * source. */
static Project *
sources_project (void)
{
  Project *p = project_new ();
  gint64 tracts = add_geography (p, "tracts");
  gint64 counties = add_geography (p, "counties");
  gint64 asthma = add_measure (p, "asthma", "rate", 10000);
  gint64 tract = add_area (p, tracts, "25025000100", -71.06, 42.36);
  gint64 county = add_area (p, counties, "25025", -71.06, 42.36);

  add_measure (p, "births", "proportion", 100);
  exec (p, "UPDATE geography SET vintage = 2020, source = 'Census TIGER' WHERE name = 'tracts'");
  exec (p, "UPDATE measure SET source = 'Hospital discharges', higher_is_worse = 1 "
           "WHERE code = 'asthma'");
  exec (p, "UPDATE measure SET higher_is_worse = 0 WHERE code = 'births'");
  add_outcome (p, asthma, tract, "2020", "all", 12, 3000);
  add_outcome (p, asthma, county, "2021", "all", 400, 700000);
  return p;
}

/* What the brief's sources table and a map's source line cite. */
static void
test_sources (void)
{
  g_autoptr(Project) p = sources_project ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) geographies = tw_store_report_list_geographies (p->store, &error);
  g_autoptr(GPtrArray) measures = NULL;
  g_autoptr(TwMeasureInfo) measure = NULL;
  g_autoptr(TwGeographyInfo) geography = NULL;
  TwGeographyInfo *g;
  TwMeasureInfo *m;

  g_assert_no_error (error);
  g_assert_cmpuint (geographies->len, ==, 2);
  g = g_ptr_array_index (geographies, 0);
  g_assert_cmpstr (g->name, ==, "counties");
  g_assert_null (g->vintage);
  g_assert_null (g->source);
  g = g_ptr_array_index (geographies, 1);
  g_assert_cmpstr (g->name, ==, "tracts");
  g_assert_cmpstr (g->vintage, ==, "2020");
  g_assert_cmpstr (g->source, ==, "Census TIGER");

  measures = tw_store_report_list_measures (p->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (measures->len, ==, 2);
  m = g_ptr_array_index (measures, 0);
  g_assert_cmpstr (m->code, ==, "asthma");
  g_assert_cmpstr (m->kind, ==, "rate");
  g_assert_cmpfloat (m->multiplier, ==, 10000);
  g_assert_true (m->higher_is_worse);
  g_assert_cmpstr (m->source, ==, "Hospital discharges");
  m = g_ptr_array_index (measures, 1);
  g_assert_cmpstr (m->code, ==, "births");
  g_assert_false (m->higher_is_worse);
  g_assert_null (m->source);

  measure = tw_store_report_get_measure (p->store, "asthma", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (measure->source, ==, "Hospital discharges");
  geography = tw_store_report_get_geography (p->store, g->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (geography->name, ==, "tracts");

  /* Unknown: an error naming what there is, not a crash. */
  g_assert_null (tw_store_report_get_measure (p->store, "flu", &error));
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "asthma"));
  g_clear_error (&error);
  g_assert_null (tw_store_report_get_geography (p->store, 999, &error));
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID);
}

/* Which geographies a map of a measure (and period) can be drawn on. */
static void
test_geographies_with_outcomes (void)
{
  g_autoptr(Project) p = sources_project ();
  g_autoptr(GError) error = NULL;
  gint64 asthma = tw_store_resolve_measure (p->store, "asthma", NULL);
  gint64 births = tw_store_resolve_measure (p->store, "births", NULL);
  gint64 tracts = tw_store_resolve_geography (p->store, "tracts", NULL);
  gint64 counties = tw_store_resolve_geography (p->store, "counties", NULL);
  struct { gint64 measure; const char *period; gboolean tracts, counties; } cases[] = {
    { asthma, NULL, TRUE, TRUE },
    { asthma, "2020", TRUE, FALSE },
    { asthma, "2019", FALSE, FALSE },
    { births, NULL, FALSE, FALSE },
    { -1, NULL, FALSE, FALSE },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GPtrArray) entries = tw_store_list_geographies (p->store, cases[c].measure,
                                                                cases[c].period, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (entries->len, ==, 2);
      for (guint i = 0; i < entries->len; i++)
        {
          TwGeographyEntry *entry = g_ptr_array_index (entries, i);

          g_assert_true (entry->id == tracts || entry->id == counties);
          g_assert_cmpint (entry->holds, ==,
                           entry->id == tracts ? cases[c].tracts : cases[c].counties);
        }
    }
}

/* A project to package: two tracts, side by side, both targeted by one project; a
 * partner with contacts. */
static Project *
package_project (gint64 *areas)
{
  Project *p = project_new ();
  gint64 tracts = add_geography (p, "tracts");

  /* Squares of 0.1°: the first two share a side. */
  areas[0] = add_area (p, tracts, "25025000100", -71.0, 42.0);
  areas[1] = add_area (p, tracts, "25025000200", -70.9, 42.0);
  areas[2] = add_area (p, tracts, "25025000300", -70.5, 42.5);
  add_measure (p, "asthma", "rate", 10000);
  exec (p, "INSERT INTO project (id, title, status) VALUES (7, 'Asthma outreach', 'active');"
           "INSERT INTO project_area (project_id, area_id) "
           "  SELECT 7, id FROM area WHERE geoid IN ('25025000100', '25025000200');"
           "INSERT INTO partner (id, name, email) VALUES (3, 'Clinic', 'nurse@clinic.example')");
  return p;
}

typedef struct
{
  guint  n_areas, n_rates, n_suppressed, n_partners, n_projects;
  double first_count;
  char  *partner_email;
} Read;

static gboolean
on_area (const TwPackageArea *area, gpointer data, GError **error)
{
  ((Read *) data)->n_areas++;
  return TRUE;
}

static gboolean
on_rate (const TwPackageRate *rate, gpointer data, GError **error)
{
  Read *read = data;

  if (read->n_rates++ == 0)
    read->first_count = rate->numerator;
  read->n_suppressed += rate->suppressed;
  return TRUE;
}

static gboolean
on_partner (const TwPackagePartner *partner, gpointer data, GError **error)
{
  Read *read = data;

  read->n_partners++;
  read->partner_email = g_strdup (partner->email);
  return TRUE;
}

static gboolean
on_project (const TwPackageProject *project, gpointer data, GError **error)
{
  ((Read *) data)->n_projects++;
  return TRUE;
}

static gboolean
write_package (Project     *p,
               gint64      *areas,
               const char  *out,
               gboolean     with_contacts,
               GError     **error)
{
  g_autoptr(TwPackageWriter) writer = tw_package_writer_new (p->store, out, with_contacts,
                                                             error);
  TwPackageRateRow shown = {
    .geoid = "25025000100", .measure = "asthma", .period = "2020", .stratum = "all",
    .numerator = 40, .denominator = 4000, .rate = 100, .lower = 71, .upper = 136,
  };
  TwPackageRateRow hidden = {
    .geoid = "25025000200", .measure = "asthma", .period = "2020", .stratum = "all",
    .numerator = NAN, .denominator = 3000, .rate = NAN, .lower = NAN, .upper = NAN,
    .suppressed = TRUE, .unstable = TRUE,
  };
  TwPackageMeasure measure = {
    .code = "asthma", .label = "Asthma visits", .kind = "rate", .multiplier = 10000,
    .higher_is_worse = TRUE,
  };
  TwPackageProject project = {
    .id = 7, .title = "Asthma outreach", .stratum = "all", .status = "active",
    .goal_percent = NAN, .geoids = "25025000100,25025000200",
  };
  TwPackagePartner partner = {
    .id = 3, .name = "Clinic", .agreement = "none", .email = "nurse@clinic.example",
    .projects = "Asthma outreach",
  };
  const char *metadata[] = {
    "package", TW_SHARE_PACKAGE_NAME, "package_version", TW_SHARE_PACKAGE_VERSION,
    "created_at", "2026-12-07T12:00:00Z", "policy_min_count", "11", NULL
  };
  guint n_areas = 0;

  if (writer == NULL || !tw_package_writer_copy_areas (writer, &n_areas, error))
    return FALSE;
  g_assert_cmpuint (n_areas, ==, 3);
  shown.area_id = areas[0];
  hidden.area_id = areas[1];
  if (!tw_package_writer_add_rate (writer, &shown, error)
      || !tw_package_writer_add_rate (writer, &hidden, error)
      || !tw_package_writer_add_measure (writer, &measure, error)
      || !tw_package_writer_add_project (writer, &project, error)
      || !tw_package_writer_add_partner (writer, &partner, error))
    return FALSE;
  for (guint i = 0; metadata[i] != NULL; i += 2)
    if (!tw_package_writer_add_metadata (writer, metadata[i], metadata[i + 1], error))
      return FALSE;
  return tw_package_writer_commit (writer, error);
}

/* What the writer writes, the hostile reader takes back: nulls for what is withheld, a
 * partner's e-mail only when contacts were chosen, a project's footprint. */
static void
test_package_round_trip (void)
{
  gint64 areas[3];
  g_autoptr(Project) p = package_project (areas);
  g_autoptr(GError) error = NULL;
  const TwSharePackageVisitor visitor = {
    .area = on_area, .rate = on_rate, .partner = on_partner, .project = on_project,
  };

  for (int with_contacts = 0; with_contacts <= 1; with_contacts++)
    {
      g_autofree char *out = g_build_filename (p->dir, with_contacts ? "contacts.gpkg"
                                                                     : "share.gpkg", NULL);
      g_autoptr(TwSharePackage) package = NULL;
      Read read = { 0 };
      GDALDatasetH dataset;
      OGRFeatureH feature;
      OGRGeometryH footprint;

      g_assert_true (write_package (p, areas, out, with_contacts, &error));
      g_assert_no_error (error);
      package = tw_share_package_open (out, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (tw_share_package_read (package, &visitor, &read, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (read.n_areas, ==, 3);
      g_assert_cmpuint (read.n_rates, ==, 2);
      g_assert_cmpuint (read.n_suppressed, ==, 1);
      g_assert_cmpfloat (read.first_count, ==, 40);
      g_assert_cmpuint (read.n_projects, ==, 1);
      g_assert_cmpuint (read.n_partners, ==, 1);
      g_assert_cmpstr (read.partner_email, ==, with_contacts ? "nurse@clinic.example" : NULL);
      g_free (read.partner_email);

      /* The two neighbouring target areas are one footprint, the third is not in it. */
      dataset = GDALOpenEx (out, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
      g_assert_nonnull (dataset);
      feature = OGR_L_GetNextFeature (GDALDatasetGetLayerByName (dataset, "projects"));
      footprint = OGR_F_GetGeometryRef (feature);
      g_assert_nonnull (footprint);
      g_assert_cmpint (OGR_G_GetGeometryCount (footprint), ==, 1);
      g_assert_cmpfloat_with_epsilon (OGR_G_Area (footprint), 2 * 0.1 * 0.1, 1e-9);
      OGR_F_Destroy (feature);
      feature = OGR_L_GetFeature (GDALDatasetGetLayerByName (dataset, "rates"), 2);
      g_assert_true (OGR_F_IsFieldNull (feature, OGR_F_GetFieldIndex (feature, "rate")));
      OGR_F_Destroy (feature);
      GDALClose (dataset);
    }
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

/* A package not committed leaves nothing behind, and the file it would replace as it was. */
static void
test_package_abandoned (void)
{
  gint64 areas[3];
  g_autoptr(Project) p = package_project (areas);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (p->dir, "share.gpkg", NULL);
  g_autofree char *text = NULL;
  guint before;
  guint n_areas = 0;

  g_assert_true (g_file_set_contents (out, "the old package", -1, NULL));
  before = count_entries (p->dir);
  {
    g_autoptr(TwPackageWriter) writer = tw_package_writer_new (p->store, out, FALSE, &error);

    g_assert_no_error (error);
    g_assert_true (tw_package_writer_copy_areas (writer, &n_areas, &error));
    g_assert_cmpuint (count_entries (p->dir), ==, before + 1);
  }
  g_assert_cmpuint (count_entries (p->dir), ==, before);
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "the old package");

  /* A folder it cannot write in: one error naming the file, nothing left. */
  {
    g_autofree char *missing = g_build_filename (p->dir, "no-such-folder", "share.gpkg", NULL);

    g_assert_null (tw_package_writer_new (p->store, missing, FALSE, &error));
    g_assert_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_WRITE);
    g_assert_nonnull (strstr (error->message, missing));
  }
}

static TwComment *
comment_new (const char *geography,
             const char *geoid,
             gint64      project_id,
             const char *body)
{
  TwComment *comment = g_new0 (TwComment, 1);

  comment->geography = g_strdup (geography);
  comment->geoid = g_strdup (geoid);
  comment->project_id = project_id;
  comment->author = g_strdup ("Dana");
  comment->body = g_strdup (body);
  comment->created_at = g_strdup ("2026-12-07T12:00:00Z");
  return comment;
}

/* Comments come home to the project that exported their package, once, on its areas. */
static void
test_comments (void)
{
  gint64 areas[3];
  g_autoptr(Project) p = package_project (areas);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) comments = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                  tw_comment_free);
  g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func ((GDestroyNotify) tw_comment_free);
  g_autoptr(GPtrArray) listed = NULL;
  gboolean exported = TRUE;
  TwComment *first;

  g_assert_true (tw_comments_package_exported (p->store, "id-1", "2026-12-07T12:00:00Z",
                                               &exported, &error));
  g_assert_no_error (error);
  g_assert_false (exported);
  g_assert_true (tw_store_audit (p->store, "export-share", "{\"package_id\": \"id-1\", "
                                 "\"created_at\": \"2026-12-07T12:00:00Z\"}", &error));
  g_assert_true (tw_comments_package_exported (p->store, "id-1", "2026-12-07T12:00:00Z",
                                               &exported, &error));
  g_assert_true (exported);
  g_assert_true (tw_comments_package_exported (p->store, "id-1", "2026-12-08T12:00:00Z",
                                               &exported, &error));
  g_assert_false (exported);

  /* One geography: a comment need not name it. */
  g_ptr_array_add (comments, comment_new (NULL, "25025000100", 0, "Rates look high here"));
  g_ptr_array_add (comments, comment_new ("tracts", "25025000200", 7, "Add the school"));
  g_assert_cmpint (tw_comments_add (p->store, "comments.json", comments, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (tw_comments_add (p->store, "comments.json", comments, &error), ==, 0);

  g_ptr_array_add (bad, comment_new ("tracts", "99999999999", 0, "Where?"));
  g_assert_cmpint (tw_comments_add (p->store, "comments.json", bad, &error), ==, -1);
  g_assert_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_UNKNOWN_REFERENCE);
  g_assert_nonnull (strstr (error->message, "99999999999"));
  g_clear_error (&error);
  g_ptr_array_set_size (bad, 0);
  g_ptr_array_add (bad, comment_new (NULL, NULL, 8, "Which project?"));
  g_assert_cmpint (tw_comments_add (p->store, "comments.json", bad, &error), ==, -1);
  g_assert_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_UNKNOWN_REFERENCE);
  g_clear_error (&error);

  listed = tw_comments_list (p->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 2);
  first = g_ptr_array_index (listed, 0);
  g_assert_cmpstr (first->geography, ==, "tracts");
  g_assert_cmpstr (first->geoid, ==, "25025000100");
  g_assert_cmpint (first->project_id, ==, 0);
  g_assert_cmpstr (((TwComment *) g_ptr_array_index (listed, 1))->project_title, ==,
                   "Asthma outreach");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/data/store-report/sources", test_sources);
  g_test_add_func ("/data/store-report/geographies-with-outcomes",
                   test_geographies_with_outcomes);
  g_test_add_func ("/data/package-writer/round-trip", test_package_round_trip);
  g_test_add_func ("/data/package-writer/abandoned", test_package_abandoned);
  g_test_add_func ("/data/comments/import", test_comments);
  return g_test_run ();
}
