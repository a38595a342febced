/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-attributes"

#include <math.h>
#include <stdlib.h>

#include <gdal.h>
#include <glib/gstdio.h>

#include "tw-analysis.h"
#include "tw-area-import.h"
#include "tw-area-layer.h"
#include "tw-area-polygons.h"
#include "tw-attributes.h"
#include "tw-store-catalog.h"

typedef struct
{
  char    *dir;
  char    *path;
  TwStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *nc = g_test_build_filename (G_TEST_DIST, "fixtures", "areas", "nc",
                                               "nc.shp", NULL);
  TwAreaImportOptions options = { .id_field = "FIPS", .level = "county", .geography = "nc" };
  g_autoptr(TwAreaImportResult) result = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tw-attributes-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "p.tractwise", NULL);
  f->store = tw_store_create (f->path, &error);
  g_assert_no_error (error);
  result = tw_area_import (f->store, nc, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->imported, ==, 100);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tw_store_close (f->store);
  g_unlink (f->path);
  g_remove (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
test_svi_import (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *svi = g_test_build_filename (G_TEST_DIST, "fixtures", "attributes",
                                                "nc-svi-like.csv", NULL);
  const char *fields[] = { "RPL_THEMES", "RPL_THEME1", NULL };
  TwAttributeImportOptions options = { .geoid_field = "FIPS", .fields = fields };
  g_autoptr(TwAttributeImportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) values = NULL;
  g_auto(GStrv) names = NULL;
  guint missing = 0;

  result = tw_attribute_import (f->store, svi, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->rows, ==, 100);
  g_assert_cmpint (result->unmatched, ==, 1);     /* a South Carolina county */
  g_assert_cmpint (result->missing, ==, 2);       /* one -999, one empty cell */

  names = tw_store_list_attributes (f->store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (names, ((const char *[]) { "RPL_THEME1", "RPL_THEMES", NULL }));
  g_assert_true (tw_store_load_attribute (f->store, 1, "RPL_THEMES", &ids, &values, &error));
  g_assert_cmpuint (values->len, ==, 100);
  for (guint i = 0; i < values->len; i++)
    {
      double v = g_array_index (values, double, i);

      if (isnan (v))
        missing++;
      else
        g_assert_true (v >= 0 && v <= 1);
    }
  g_assert_cmpuint (missing, ==, 1);
}

static void
test_bad_rows_write_nothing (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *bad = write_file (f, "bad.csv", "FIPS,ADI\n37009,12\n37005,12%\n");
  g_autofree char *dup = write_file (f, "dup.csv", "FIPS,ADI\n37009,12\n37009,13\n");
  const char *fields[] = { "ADI", NULL };
  TwAttributeImportOptions options = { .geoid_field = "FIPS", .fields = fields };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  g_assert_null (tw_attribute_import (f->store, bad, &options, &error));
  g_assert_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_ROW);
  g_assert_nonnull (strstr (error->message, "row 2"));
  g_assert_nonnull (strstr (error->message, "12%"));
  g_clear_error (&error);
  g_assert_null (tw_attribute_import (f->store, dup, &options, &error));
  g_assert_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_ROW);
  g_clear_error (&error);
  options.geoid_field = "GEOID";
  g_assert_null (tw_attribute_import (f->store, bad, &options, &error));
  g_assert_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_COLUMNS);
  g_clear_error (&error);

  names = tw_store_list_attributes (f->store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
}

/* A map of an attribute the areas do not have says which and how to import it; it is read
 * from the project, so the statistics need nothing of the importers. */
static void
test_analysis_of_missing_attribute (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *adi = write_file (f, "adi.csv", "FIPS,ADI\n37009,12\n37005,14\n");
  const char *fields[] = { "ADI", NULL };
  TwAttributeImportOptions options = { .geoid_field = "FIPS", .fields = fields };
  TwAnalysisQuery query = { .kind = TW_ANALYSIS_ATTRIBUTE, .attribute = "RPL_THEMES" };
  g_autoptr(TwAttributeImportResult) result = NULL;
  g_autoptr(TwAreaLayer) layer = NULL;
  g_autoptr(GError) error = NULL;

  result = tw_attribute_import (f->store, adi, &options, &error);
  g_assert_no_error (error);
  layer = tw_area_layer_load (f->store, 1, NULL, &error);
  g_assert_no_error (error);

  g_assert_null (tw_analysis_run (f->store, layer, &query, NULL, NULL, NULL, &error));
  g_assert_error (error, TW_ANALYSIS_ERROR, TW_ANALYSIS_ERROR_ATTRIBUTE_NOT_IMPORTED);
  g_assert_nonnull (strstr (error->message, "'RPL_THEMES'"));
  g_assert_nonnull (strstr (error->message, "tractwise-cli import-attributes"));
  g_clear_error (&error);

  query.attribute = NULL;
  g_assert_null (tw_analysis_run (f->store, layer, &query, NULL, NULL, NULL, &error));
  g_assert_error (error, TW_ANALYSIS_ERROR, TW_ANALYSIS_ERROR_ATTRIBUTE);
}

/* The stored boundaries, read back as doubles, give spdep's queen neighbours. */
static void
test_stored_boundaries_give_poly2nb (Fixture       *f,
                                     gconstpointer  data)
{
  g_autofree char *ref = g_test_build_filename (G_TEST_DIST, "fixtures", "statistics",
                                                "nc-spdep.txt", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) cards = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(TwAreaPolygons) areas = NULL;
  g_autoptr(TwWeights) w = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (ref, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f_ = g_strsplit (lines[i], " ", 5);

      if (lines[i][0] != '#' && lines[i][0] != '\0' && !g_str_has_prefix (lines[i], "moran"))
        g_hash_table_insert (cards, g_strdup (f_[0]), GINT_TO_POINTER (atoi (f_[3])));
    }

  areas = tw_area_polygons_load (f->store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (areas->n_areas, ==, 100);
  for (guint i = 1; i < areas->n_areas; i++)
    g_assert_cmpstr (areas->geoids[i - 1], <, areas->geoids[i]);
  w = tw_weights_new_contiguity (areas->polygons, TW_WEIGHTS_QUEEN, TW_WEIGHTS_DEFAULT_SNAP, 0,
                                 &error);
  g_assert_no_error (error);
  for (guint i = 0; i < areas->n_areas; i++)
    {
      guint k;

      tw_weights_get_neighbours (w, i, &k);
      g_assert_cmpint (k, ==, GPOINTER_TO_INT (g_hash_table_lookup (cards, areas->geoids[i])));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();

  g_test_add ("/data/attributes/svi-import", Fixture, NULL, fixture_set_up, test_svi_import,
              fixture_tear_down);
  g_test_add ("/data/attributes/bad-rows-write-nothing", Fixture, NULL, fixture_set_up,
              test_bad_rows_write_nothing, fixture_tear_down);
  g_test_add ("/data/attributes/analysis-of-missing-attribute", Fixture, NULL, fixture_set_up,
              test_analysis_of_missing_attribute, fixture_tear_down);
  g_test_add ("/data/attributes/stored-boundaries-give-poly2nb", Fixture, NULL, fixture_set_up,
              test_stored_boundaries_give_poly2nb, fixture_tear_down);

  return g_test_run ();
}
