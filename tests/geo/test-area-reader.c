/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-area-reader"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <cpl_error.h>
#include <ogr_api.h>

#include "tw-area-reader.h"

/* What a whole read of a layer gave. */
typedef struct
{
  GPtrArray *features;   /* TwAreaFeature * */
  GError    *error;      /* set when the read stopped on an error */
  double     min_lon, min_lat, max_lon, max_lat;
} ReadResult;

static void
feature_free (gpointer data)
{
  tw_area_feature_clear (data);
  g_free (data);
}

static void
read_result_clear (ReadResult *result)
{
  g_clear_pointer (&result->features, g_ptr_array_unref);
  g_clear_error (&result->error);
}

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "areas", name, NULL);
}

static TwAreaReader *
open_fixture (const char  *name,
              const char  *layer,
              const char  *id_field,
              const char  *name_field,
              const char  *assume_crs,
              GError     **error)
{
  g_autofree char *path = fixture (name);

  return tw_area_reader_open (path, layer, id_field, name_field, assume_crs, error);
}

static void
read_all (TwAreaReader *reader,
          ReadResult   *result)
{
  TwAreaFeature current = { 0 };

  result->features = g_ptr_array_new_with_free_func (feature_free);
  result->error = NULL;
  result->min_lon = result->min_lat = INFINITY;
  result->max_lon = result->max_lat = -INFINITY;

  while (tw_area_reader_next (reader, &current, NULL, &result->error))
    {
      TwAreaFeature *copy = g_new (TwAreaFeature, 1);

      *copy = current;
      memset (&current, 0, sizeof current);
      result->min_lon = MIN (result->min_lon, copy->min_lon);
      result->min_lat = MIN (result->min_lat, copy->min_lat);
      result->max_lon = MAX (result->max_lon, copy->max_lon);
      result->max_lat = MAX (result->max_lat, copy->max_lat);
      g_ptr_array_add (result->features, copy);
    }
}

static TwAreaFeature *
find_feature (ReadResult *result,
              const char *geoid)
{
  for (guint i = 0; i < result->features->len; i++)
    {
      TwAreaFeature *feature = g_ptr_array_index (result->features, i);

      if (g_strcmp0 (feature->geoid, geoid) == 0)
        return feature;
    }

  return NULL;
}

static OGRGeometryH
feature_geometry (TwAreaFeature *feature)
{
  OGRGeometryH geometry = NULL;

  g_assert_cmpint (OGR_G_CreateFromWkbEx (feature->wkb, NULL, &geometry, feature->wkb_len),
                   ==, OGRERR_NONE);
  return geometry;
}

/* Every feature: ISO WKB, little-endian, 2D Polygon (3) or MultiPolygon (6), and its box. */
static void
assert_wkb_well_formed (ReadResult *result)
{
  for (guint i = 0; i < result->features->len; i++)
    {
      TwAreaFeature *feature = g_ptr_array_index (result->features, i);
      guint32 type;
      OGRGeometryH geometry;
      OGREnvelope envelope;

      g_assert_nonnull (feature->geoid);
      g_assert_cmpuint (feature->wkb_len, >, 9);
      g_assert_cmpuint (feature->wkb[0], ==, 1);
      memcpy (&type, feature->wkb + 1, sizeof type);
      type = GUINT32_FROM_LE (type);
      g_assert_true (type == 3 || type == 6);

      geometry = feature_geometry (feature);
      OGR_G_GetEnvelope (geometry, &envelope);
      g_assert_cmpfloat_with_epsilon (envelope.MinX, feature->min_lon, 1e-9);
      g_assert_cmpfloat_with_epsilon (envelope.MaxY, feature->max_lat, 1e-9);
      OGR_G_DestroyGeometry (geometry);
    }
}

static void
assert_nc_extent (ReadResult *result)
{
  g_assert_cmpfloat (result->min_lon, >=, -84.4);
  g_assert_cmpfloat (result->max_lon, <=, -75.4);
  g_assert_cmpfloat (result->min_lat, >=, 33.8);
  g_assert_cmpfloat (result->max_lat, <=, 36.6);
  /* and it is the whole state, not a corner of it */
  g_assert_cmpfloat (result->min_lon, <, -84.2);
  g_assert_cmpfloat (result->max_lon, >, -75.6);
}

static void
assert_boston_extent (ReadResult *result)
{
  g_assert_cmpfloat (result->min_lon, >=, -71.6);
  g_assert_cmpfloat (result->max_lon, <=, -70.6);
  g_assert_cmpfloat (result->min_lat, >=, 41.95);
  g_assert_cmpfloat (result->max_lat, <=, 42.7);
}

static gboolean
warnings_mention (TwAreaReader *reader,
                  const char   *text)
{
  GPtrArray *warnings = tw_area_reader_get_warnings (reader);

  for (guint i = 0; i < warnings->len; i++)
    if (strstr (g_ptr_array_index (warnings, i), text) != NULL)
      return TRUE;

  return FALSE;
}

static void
assert_whole_nc (const char *name,
                 const char *source_crs)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture (name, NULL, NULL, NULL, NULL, &error);
  ReadResult result;

  g_assert_no_error (error);
  g_assert_cmpstr (tw_area_reader_get_source_crs (reader), ==, source_crs);
  g_assert_cmpstr (tw_area_reader_get_name_field (reader), ==, "NAME");

  read_all (reader, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.features->len, ==, 100);
  g_assert_cmpuint (tw_area_reader_get_skipped (reader)->len, ==, 0);
  g_assert_cmpuint (tw_area_reader_get_repaired (reader), ==, 0);
  assert_nc_extent (&result);
  assert_wkb_well_formed (&result);
  /* Ashe County: the first feature in every NC fixture */
  g_assert_cmpint (((TwAreaFeature *) result.features->pdata[0])->feature, ==, 1);
  g_assert_cmpstr (((TwAreaFeature *) result.features->pdata[0])->geoid, ==, "37009");
  g_assert_cmpstr (((TwAreaFeature *) result.features->pdata[0])->name, ==, "Ashe");
  read_result_clear (&result);
}

static void
test_projected_shapefile (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("nc_32119/nc_32119.shp", NULL, NULL, NULL,
                                                 NULL, &error);
  ReadResult result;
  TwAreaFeature *ashe;

  g_assert_no_error (error);
  g_assert_cmpstr (tw_area_reader_get_layer_name (reader), ==, "nc_32119");
  g_assert_cmpstr (tw_area_reader_get_id_field (reader), ==, "GEOID");
  g_assert_cmpstr (tw_area_reader_get_source_crs (reader), ==, "EPSG:32119");
  g_assert_cmpint (tw_area_reader_get_feature_count (reader), ==, 100);
  g_assert_cmpuint (tw_area_reader_get_warnings (reader)->len, ==, 0);

  read_all (reader, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.features->len, ==, 100);
  assert_nc_extent (&result);

  /* metres turned back into degrees: Ashe County lies at about 81.5°W, 36.4°N */
  ashe = find_feature (&result, "37009");
  g_assert_nonnull (ashe);
  g_assert_cmpfloat_with_epsilon (ashe->min_lon, -81.741, 0.01);
  g_assert_cmpfloat_with_epsilon (ashe->max_lon, -81.240, 0.01);
  g_assert_cmpfloat_with_epsilon (ashe->min_lat, 36.234, 0.01);
  g_assert_cmpfloat_with_epsilon (ashe->max_lat, 36.590, 0.01);
  read_result_clear (&result);
}

static void
test_lonlat_shapefile (void)
{
  assert_whole_nc ("nc/nc.shp", "EPSG:4267");
}

static void
test_zipped_shapefile (void)
{
  assert_whole_nc ("nc_32119.zip", "EPSG:32119");
}

static void
test_zipped_shapefile_in_folder (void)
{
  assert_whole_nc ("nc_32119_in_folder.zip", "EPSG:32119");
}

static void
test_geojson (void)
{
  assert_whole_nc ("nc.geojson", "EPSG:4326");
}

static void
test_flatgeobuf (void)
{
  assert_whole_nc ("nc.fgb", "EPSG:4267");
}

static void
test_geopackage (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("boston_tracts.gpkg", NULL, NULL, NULL, NULL,
                                                 &error);
  ReadResult result;

  g_assert_no_error (error);
  g_assert_cmpstr (tw_area_reader_get_id_field (reader), ==, "GEOID20");
  g_assert_cmpstr (tw_area_reader_get_name_field (reader), ==, "NAME20");
  g_assert_cmpstr (tw_area_reader_get_source_crs (reader), ==, "EPSG:4267");

  read_all (reader, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.features->len, ==, 506);
  assert_boston_extent (&result);
  assert_wkb_well_formed (&result);
  /* tract ids keep their leading zeros */
  g_assert_cmpstr (((TwAreaFeature *) result.features->pdata[0])->geoid, ==, "0001");
  g_assert_cmpstr (((TwAreaFeature *) result.features->pdata[0])->name, ==,
                   "Boston Allston-Brighton");
  read_result_clear (&result);
}

static void
test_topojson (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("topology.topojson", NULL, NULL, NULL, NULL,
                                                 &error);
  ReadResult result;
  TwAreaFeature *tract;
  OGRGeometryH geometry;

  g_assert_no_error (error);
  g_assert_cmpstr (tw_area_reader_get_layer_name (reader), ==, "tracts");
  /* "geoid" is found although it is written in lower case, and before "id" */
  g_assert_cmpstr (tw_area_reader_get_id_field (reader), ==, "geoid");
  g_assert_cmpstr (tw_area_reader_get_name_field (reader), ==, "name");

  read_all (reader, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.features->len, ==, 3);
  assert_wkb_well_formed (&result);

  /* the shared arcs close each ring: the middle tract is a whole 0.1° square */
  tract = find_feature (&result, "09001010102");
  g_assert_nonnull (tract);
  g_assert_cmpstr (tract->name, ==, "Tract 101.02");
  geometry = feature_geometry (tract);
  g_assert_true (OGR_G_IsValid (geometry));
  g_assert_cmpfloat_with_epsilon (OGR_G_Area (geometry), 0.01, 1e-9);
  OGR_G_DestroyGeometry (geometry);
  g_assert_nonnull (find_feature (&result, "09001010101"));
  g_assert_nonnull (find_feature (&result, "09001010201"));
  read_result_clear (&result);
}

static void
test_kml (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("nc_5.kml", NULL, NULL, NULL, NULL, &error);
  ReadResult result;

  g_assert_no_error (error);
  g_assert_cmpstr (tw_area_reader_get_id_field (reader), ==, "GEOID");
  read_all (reader, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.features->len, ==, 5);
  g_assert_cmpstr (((TwAreaFeature *) result.features->pdata[0])->geoid, ==, "37009");
  g_assert_cmpstr (((TwAreaFeature *) result.features->pdata[0])->name, ==, "Ashe");
  assert_wkb_well_formed (&result);
  read_result_clear (&result);
}

static void
test_gml (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("nc_5.gml", NULL, NULL, NULL, NULL, &error);
  ReadResult result;

  g_assert_no_error (error);
  g_assert_cmpstr (tw_area_reader_get_source_crs (reader), ==, "EPSG:4267");
  read_all (reader, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.features->len, ==, 5);
  /* lon/lat order even though EPSG:4267 is latitude first */
  g_assert_cmpfloat (result.min_lon, <, -75.0);
  g_assert_cmpfloat (result.min_lat, >, 35.0);
  read_result_clear (&result);
}

static void
test_no_crs_lonlat (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("nc_noprj/nc.shp", NULL, NULL, NULL, NULL,
                                                 &error);
  ReadResult result;

  g_assert_no_error (error);
  g_assert_cmpstr (tw_area_reader_get_source_crs (reader), ==, "none (assumed EPSG:4326)");
  g_assert_true (warnings_mention (reader, "nc.shp"));
  g_assert_true (warnings_mention (reader, "EPSG:4326 was assumed"));
  g_assert_true (warnings_mention (reader, "--assume-crs"));

  read_all (reader, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.features->len, ==, 100);
  assert_nc_extent (&result);
  read_result_clear (&result);
}

static void
test_no_crs_projected (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("boston_26986_noprj/boston_26986.shp", NULL,
                                                 NULL, NULL, NULL, &error);

  g_assert_null (reader);
  g_assert_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_CRS);
  g_assert_nonnull (strstr (error->message, "boston_26986.shp"));
  g_assert_nonnull (strstr (error->message, "no coordinate reference system"));
  g_assert_nonnull (strstr (error->message, "--assume-crs EPSG:"));
  g_assert_nonnull (strstr (error->message, ".prj"));
}

static void
test_assume_crs (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("boston_26986_noprj/boston_26986.shp", NULL,
                                                 NULL, NULL, "EPSG:26986", &error);
  ReadResult result;

  g_assert_no_error (error);
  g_assert_cmpstr (tw_area_reader_get_source_crs (reader), ==, "EPSG:26986");

  read_all (reader, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.features->len, ==, 506);
  assert_boston_extent (&result);
  g_assert_cmpstr (((TwAreaFeature *) result.features->pdata[0])->geoid, ==, "0001");
  read_result_clear (&result);
}

static void
test_assume_crs_invalid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("boston_26986_noprj/boston_26986.shp", NULL,
                                                 NULL, NULL, "EPSG:not-a-code", &error);

  g_assert_null (reader);
  g_assert_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_CRS);
  g_assert_nonnull (strstr (error->message, "--assume-crs 'EPSG:not-a-code'"));
}

static void
test_assume_crs_ignored (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("nc/nc.shp", NULL, NULL, NULL, "EPSG:26986",
                                                 &error);
  ReadResult result;

  g_assert_no_error (error);
  g_assert_cmpstr (tw_area_reader_get_source_crs (reader), ==, "EPSG:4267");
  g_assert_true (warnings_mention (reader, "--assume-crs EPSG:26986 was not used"));
  read_all (reader, &result);
  assert_nc_extent (&result);
  read_result_clear (&result);
}

static void
test_truncated_shapefile (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("nc_truncated/nc.shp", NULL, NULL, NULL, NULL,
                                                 &error);
  TwAreaFeature feature = { 0 };
  ReadResult result;

  g_assert_no_error (error);
  read_all (reader, &result);
  /* the .shp was cut inside the 53rd shape: 52 areas come, then the error */
  g_assert_cmpuint (result.features->len, ==, 52);
  g_assert_error (result.error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_READ);
  g_assert_nonnull (strstr (result.error->message, "nc.shp: feature 53 cannot be read"));
  g_assert_nonnull (strstr (result.error->message, "truncated"));
  g_assert_nonnull (strstr (result.error->message, "export it again"));

  /* and it stays stopped */
  g_assert_false (tw_area_reader_next (reader, &feature, NULL, &error));
  g_assert_no_error (error);
  read_result_clear (&result);
}

static void
test_missing_dbf (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("nc_nodbf/nc.shp", NULL, NULL, NULL, NULL,
                                                 &error);

  g_assert_null (reader);
  g_assert_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "nc.shp"));
  g_assert_nonnull (strstr (error->message, "nc.dbf"));
  g_assert_nonnull (strstr (error->message, "missing"));
}

static void
test_missing_dbf_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("nc_nodbf", NULL, NULL, NULL, NULL, &error);

  /* opened as a folder, GDAL finds the .shp alone: still refused for want of the .dbf */
  g_assert_null (reader);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "nc_nodbf"));
  g_assert_nonnull (strstr (error->message, ".dbf"));
}

static void
test_random_bytes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("random.geojson", NULL, NULL, NULL, NULL,
                                                 &error);

  g_assert_null (reader);
  g_assert_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_OPEN);
  g_assert_true (g_str_has_prefix (error->message,
                                   "random.geojson: not a file GDAL can read as areas"));
  g_assert_nonnull (strstr (error->message, "GeoPackage"));
}

static void
test_truncated_geojson (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("nc_truncated.geojson", NULL, NULL, NULL, NULL,
                                                 &error);

  g_assert_null (reader);
  g_assert_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_OPEN);
  g_assert_true (g_str_has_prefix (error->message, "nc_truncated.geojson: looks like GeoJSON"));
  g_assert_nonnull (strstr (error->message, "truncated or damaged"));
}

static void
test_missing_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("no-such-tracts.gpkg", NULL, NULL, NULL, NULL,
                                                 &error);

  g_assert_null (reader);
  g_assert_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "no-such-tracts.gpkg: no such file"));
}

static void
test_empty_layer (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("empty.geojson", NULL, NULL, NULL, NULL,
                                                 &error);

  g_assert_null (reader);
  g_assert_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_EMPTY);
  g_assert_nonnull (strstr (error->message, "empty.geojson"));
  g_assert_nonnull (strstr (error->message, "no features"));
}

static void
test_nothing_usable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tw-area-reader-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(TwAreaReader) reader = NULL;
  const char *points =
    "{\"type\": \"FeatureCollection\", \"features\": [\n"
    "{\"type\": \"Feature\", \"properties\": {\"GEOID\": \"37001\"},"
    " \"geometry\": {\"type\": \"Point\", \"coordinates\": [-79.4, 36.0]}},\n"
    "{\"type\": \"Feature\", \"properties\": {\"GEOID\": \"37003\"},"
    " \"geometry\": {\"type\": \"Point\", \"coordinates\": [-81.1, 35.9]}}]}\n";
  ReadResult result;

  g_assert_no_error (error);
  path = g_build_filename (dir, "points.geojson", NULL);
  g_file_set_contents (path, points, -1, &error);
  g_assert_no_error (error);

  reader = tw_area_reader_open (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  read_all (reader, &result);
  g_assert_cmpuint (result.features->len, ==, 0);
  g_assert_error (result.error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_EMPTY);
  g_assert_nonnull (strstr (result.error->message, "points.geojson"));
  g_assert_cmpuint (tw_area_reader_get_skipped (reader)->len, ==, 2);
  read_result_clear (&result);

  g_unlink (path);
  g_rmdir (dir);
}

static void
assert_skip (TwAreaReader *reader,
             guint         index,
             gint64        feature,
             const char   *reason)
{
  GPtrArray *skipped = tw_area_reader_get_skipped (reader);
  TwAreaSkip *skip;

  g_assert_cmpuint (index, <, skipped->len);
  skip = g_ptr_array_index (skipped, index);
  g_assert_cmpint (skip->feature, ==, feature);
  g_assert_cmpstr (skip->reason, ==, reason);
}

static void
test_duplicate_ids (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("duplicates.geojson", NULL, NULL, NULL, NULL,
                                                 &error);
  ReadResult result;

  g_assert_no_error (error);
  g_assert_cmpstr (tw_area_reader_get_id_field (reader), ==, "GEOID20");
  read_all (reader, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.features->len, ==, 5);
  g_assert_cmpuint (tw_area_reader_get_skipped (reader)->len, ==, 2);
  assert_skip (reader, 0, 6, "duplicate id '37009' (first seen at feature 1)");
  assert_skip (reader, 1, 7, "duplicate id '37171' (first seen at feature 3)");
  /* the first occurrence is the one kept */
  g_assert_cmpstr (find_feature (&result, "37009")->name, ==, "Ashe");
  read_result_clear (&result);
}

static void
test_self_intersecting (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("bowtie.geojson", NULL, NULL, NULL, NULL,
                                                 &error);
  ReadResult result;
  struct { const char *geoid; gboolean repaired; double area; } expected[] = {
    { "37001", FALSE, 0.04 },   /* a plain square */
    { "37003", TRUE, 0.045 },   /* a bow tie: two triangles */
    { "37005", TRUE, 0.04 },    /* a square with a spike: the spike goes */
    { "37007", TRUE, 0.07 },    /* two overlapping squares: their union */
  };

  g_assert_no_error (error);
  read_all (reader, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.features->len, ==, G_N_ELEMENTS (expected));
  g_assert_cmpuint (tw_area_reader_get_repaired (reader), ==, 3);
  g_assert_cmpuint (tw_area_reader_get_skipped (reader)->len, ==, 0);
  assert_wkb_well_formed (&result);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      TwAreaFeature *feature = find_feature (&result, expected[i].geoid);
      OGRGeometryH geometry;

      g_assert_nonnull (feature);
      g_assert_cmpint (feature->repaired, ==, expected[i].repaired);
      geometry = feature_geometry (feature);
      g_assert_true (OGR_G_IsValid (geometry));
      g_assert_cmpfloat_with_epsilon (OGR_G_Area (geometry), expected[i].area, 1e-6);
      if (g_str_equal (expected[i].geoid, "37003"))
        g_assert_cmpint (OGR_G_GetGeometryCount (geometry), ==, 2);
      OGR_G_DestroyGeometry (geometry);
    }
  read_result_clear (&result);
}

/* The quick test for simple rings agrees with GEOS: wiggly star-shaped rings (many
 * x-monotone chains each, as real outlines have), half of them with two corners swapped,
 * which mostly makes them cross themselves. A valid ring is kept as it is, an invalid one
 * repaired (or skipped when nothing of it is left). */
static void
test_quick_validity_agrees_with_geos (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261208);
  g_autofree char *dir = g_dir_make_tmp ("tw-area-reader-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "stars.geojson", NULL);
  g_autoptr(GString) json = g_string_new ("{\"type\": \"FeatureCollection\", \"features\": [");
  g_autoptr(GHashTable) valid = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = NULL;
  guint n_valid = 0, n_invalid = 0;
  ReadResult result;

  for (guint f = 0; f < 300; f++)
    {
      guint n = g_rand_int_range (rand, 5, 400);
      g_autofree double *angle = g_new (double, n);
      g_autofree double *xy = g_new (double, 2 * n);
      double cx = -100 + (f % 20) * 0.5, cy = 30 + (f / 20) * 0.5;
      g_autoptr(GString) wkt = g_string_new ("POLYGON ((");
      g_autofree char *geoid = g_strdup_printf ("F%03u", f);
      OGRGeometryH geometry = NULL;
      char *cursor;
      gboolean is_valid;

      for (guint i = 0; i < n; i++)
        angle[i] = (i + g_rand_double_range (rand, 0.05, 0.95)) * 2 * G_PI / n;
      for (guint i = 0; i < n; i++)
        {
          double r = 0.2 * g_rand_double_range (rand, 0.3, 1.0);

          xy[2 * i] = cx + r * cos (angle[i]);
          xy[2 * i + 1] = cy + r * sin (angle[i]);
        }
      if (f % 2 == 1)
        {
          guint a = g_rand_int_range (rand, 0, n), b = g_rand_int_range (rand, 0, n);
          double x = xy[2 * a], y = xy[2 * a + 1];

          xy[2 * a] = xy[2 * b];
          xy[2 * a + 1] = xy[2 * b + 1];
          xy[2 * b] = x;
          xy[2 * b + 1] = y;
        }

      g_string_append_printf (json, "%s{\"type\": \"Feature\", \"properties\": {\"GEOID\": "
                              "\"%s\"}, \"geometry\": {\"type\": \"Polygon\", "
                              "\"coordinates\": [[", f ? ", " : "", geoid);
      for (guint i = 0; i <= n; i++)
        {
          g_string_append_printf (json, "%s[%.17g, %.17g]", i ? ", " : "", xy[2 * (i % n)],
                                  xy[2 * (i % n) + 1]);
          g_string_append_printf (wkt, "%s%.17g %.17g", i ? ", " : "", xy[2 * (i % n)],
                                  xy[2 * (i % n) + 1]);
        }
      g_string_append (json, "]]}}");
      g_string_append (wkt, "))");

      cursor = wkt->str;
      g_assert_cmpint (OGR_G_CreateFromWkt (&cursor, NULL, &geometry), ==, OGRERR_NONE);
      CPLPushErrorHandler (CPLQuietErrorHandler);
      is_valid = OGR_G_IsValid (geometry);
      CPLPopErrorHandler ();
      OGR_G_DestroyGeometry (geometry);
      g_hash_table_insert (valid, g_steal_pointer (&geoid), GINT_TO_POINTER (is_valid));
      if (is_valid)
        n_valid++;
      else
        n_invalid++;
    }
  g_string_append (json, "]}");
  g_assert_true (g_file_set_contents (path, json->str, json->len, NULL));
  /* both kinds well represented, or this proves little */
  g_assert_cmpuint (n_valid, >=, 150);
  g_assert_cmpuint (n_invalid, >=, 50);

  reader = tw_area_reader_open (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  read_all (reader, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.features->len + tw_area_reader_get_skipped (reader)->len, ==, 300);
  for (guint i = 0; i < result.features->len; i++)
    {
      TwAreaFeature *feature = g_ptr_array_index (result.features, i);
      gboolean is_valid = GPOINTER_TO_INT (g_hash_table_lookup (valid, feature->geoid));

      g_assert_cmpint (feature->repaired, ==, !is_valid);
    }
  g_assert_cmpuint (tw_area_reader_get_repaired (reader)
                    + tw_area_reader_get_skipped (reader)->len, ==, n_invalid);
  read_result_clear (&result);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_mixed_geometries (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("mixed.geojson", NULL, NULL, NULL, NULL,
                                                 &error);
  ReadResult result;
  TwAreaFeature *collection;
  OGRGeometryH geometry;

  g_assert_no_error (error);
  read_all (reader, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.features->len, ==, 3);
  g_assert_cmpint (((TwAreaFeature *) result.features->pdata[0])->feature, ==, 1);
  g_assert_cmpint (((TwAreaFeature *) result.features->pdata[1])->feature, ==, 5);
  g_assert_cmpint (((TwAreaFeature *) result.features->pdata[2])->feature, ==, 8);
  g_assert_cmpstr (((TwAreaFeature *) result.features->pdata[0])->geoid, ==, "01001020100");

  g_assert_cmpuint (tw_area_reader_get_skipped (reader)->len, ==, 5);
  assert_skip (reader, 0, 2, "not a polygon (Point)");
  assert_skip (reader, 1, 3, "empty geometry");
  assert_skip (reader, 2, 4, "empty geometry");
  assert_skip (reader, 3, 6, "not a polygon (LineString)");
  assert_skip (reader, 4, 7, "no id (the field 'GEOID' is empty)");

  /* the collection keeps its two polygons and drops its point */
  collection = find_feature (&result, "01001020500");
  geometry = feature_geometry (collection);
  g_assert_cmpint (wkbFlatten (OGR_G_GetGeometryType (geometry)), ==, wkbMultiPolygon);
  g_assert_cmpint (OGR_G_GetGeometryCount (geometry), ==, 2);
  OGR_G_DestroyGeometry (geometry);
  read_result_clear (&result);
}

static void
test_several_layers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = NULL;
  g_autofree char *path = fixture ("two_layers.gpkg");
  g_auto(GStrv) layers = NULL;
  ReadResult result;

  reader = open_fixture ("two_layers.gpkg", NULL, NULL, NULL, NULL, &error);
  g_assert_null (reader);
  g_assert_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_LAYER);
  g_assert_nonnull (strstr (error->message, "two_layers.gpkg"));
  g_assert_nonnull (strstr (error->message, "counties, tracts"));
  g_assert_nonnull (strstr (error->message, "--layer"));
  g_clear_error (&error);

  reader = open_fixture ("two_layers.gpkg", "towns", NULL, NULL, NULL, &error);
  g_assert_null (reader);
  g_assert_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_LAYER);
  g_assert_nonnull (strstr (error->message, "'towns'"));
  g_assert_nonnull (strstr (error->message, "counties, tracts"));
  g_clear_error (&error);

  reader = open_fixture ("two_layers.gpkg", "tracts", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tw_area_reader_get_layer_name (reader), ==, "tracts");
  read_all (reader, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.features->len, ==, 40);
  assert_boston_extent (&result);
  read_result_clear (&result);

  layers = tw_area_reader_list_layers (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (layers), ==, 2);
  g_assert_cmpstr (layers[0], ==, "counties");
  g_assert_cmpstr (layers[1], ==, "tracts");
}

static void
test_id_field_given (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = NULL;
  ReadResult result;

  /* the Boston tracts name their id "poltract", which is not detected */
  reader = open_fixture ("boston/boston_tracts.shp", NULL, NULL, NULL, NULL, &error);
  g_assert_null (reader);
  g_assert_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_FIELD);
  g_assert_nonnull (strstr (error->message, "boston_tracts.shp"));
  g_assert_nonnull (strstr (error->message, "poltract, TOWN"));
  g_assert_nonnull (strstr (error->message, "--id-field"));
  g_clear_error (&error);

  reader = open_fixture ("boston/boston_tracts.shp", NULL, "POLTRACT", "town", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tw_area_reader_get_id_field (reader), ==, "poltract");
  g_assert_cmpstr (tw_area_reader_get_name_field (reader), ==, "TOWN");
  read_all (reader, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.features->len, ==, 506);
  g_assert_cmpstr (((TwAreaFeature *) result.features->pdata[0])->geoid, ==, "0001");
  assert_boston_extent (&result);
  read_result_clear (&result);
}

static void
test_field_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = NULL;

  reader = open_fixture ("nc/nc.shp", NULL, "GEOID", NULL, NULL, &error);
  g_assert_null (reader);
  g_assert_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_FIELD);
  g_assert_nonnull (strstr (error->message, "no field 'GEOID'"));
  g_assert_nonnull (strstr (error->message, "NAME, FIPS, FIPSNO"));
  g_clear_error (&error);

  reader = open_fixture ("nc/nc.shp", NULL, NULL, "COUNTY", NULL, &error);
  g_assert_null (reader);
  g_assert_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_FIELD);
  g_assert_nonnull (strstr (error->message, "no field 'COUNTY'"));
  g_assert_nonnull (strstr (error->message, "--name-field"));
}

static void
test_numeric_id (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("nc/nc.shp", NULL, "FIPSNO", NULL, NULL,
                                                 &error);
  ReadResult result;

  g_assert_no_error (error);
  g_assert_true (warnings_mention (reader, "'FIPSNO' holds numbers"));
  read_all (reader, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.features->len, ==, 100);
  /* a real 37009.0 reads as the text 37009 */
  g_assert_cmpstr (((TwAreaFeature *) result.features->pdata[0])->geoid, ==, "37009");
  read_result_clear (&result);
}

static void
test_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaReader) reader = open_fixture ("nc/nc.shp", NULL, NULL, NULL, NULL, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  TwAreaFeature feature = { 0 };

  g_assert_no_error (error);
  for (int i = 0; i < 10; i++)
    {
      g_assert_true (tw_area_reader_next (reader, &feature, cancellable, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (feature.feature, ==, 10);

  g_cancellable_cancel (cancellable);
  g_assert_false (tw_area_reader_next (reader, &feature, cancellable, &error));
  g_assert_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_CANCELLED);
  g_assert_nonnull (strstr (error->message, "feature 11"));
  /* the feature passed in was cleared, not left half-filled */
  g_assert_null (feature.geoid);
  g_assert_null (feature.wkb);
}

/* Features are checked in parallel batches, yet what depends on the features before —
 * a duplicate id, the order of the skips, the first refusal — is as one pass in file
 * order decides it, across batches. */
static void
test_file_order_across_batches (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tw-area-reader-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "many.geojson", NULL);
  g_autoptr(GString) json = g_string_new ("{\"type\":\"FeatureCollection\",\"features\":[");
  g_autoptr(TwAreaReader) reader = NULL;
  GPtrArray *skipped;
  ReadResult result;

  g_assert_no_error (error);
  for (guint i = 1; i <= 900; i++)
    {
      double x = -100.0 + (i % 30) * 0.1, y = 40.0 + (i / 30) * 0.1;
      g_autofree char *id = g_strdup_printf ("%05u", i == 500 ? 20 : i);

      g_string_append_printf (json, "%s{\"type\":\"Feature\",\"properties\":{\"GEOID\":\"%s\"},"
                              "\"geometry\":", i > 1 ? "," : "", id);
      if (i == 700)
        g_string_append (json, "null");
      else if (i == 850 || i == 880)  /* a ring on one line: no area, refused */
        g_string_append_printf (json, "{\"type\":\"Polygon\",\"coordinates\":[[[%g,%g],"
                                "[%g,%g],[%g,%g],[%g,%g]]]}", x, y, x + 0.05, y, x + 0.08, y,
                                x, y);
      else
        g_string_append_printf (json, "{\"type\":\"Polygon\",\"coordinates\":[[[%g,%g],"
                                "[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}", x, y, x + 0.09, y,
                                x + 0.09, y + 0.09, x, y + 0.09, x, y);
      g_string_append (json, "}");
    }
  g_string_append (json, "]}");
  g_assert_true (g_file_set_contents (path, json->str, json->len, &error));

  reader = tw_area_reader_open (path, NULL, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  read_all (reader, &result);
  g_assert_error (result.error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_FEATURE);
  g_assert_nonnull (strstr (result.error->message, "feature 850 (id 00850)"));
  /* every feature before the refusal, less the two skipped, in the file's order */
  g_assert_cmpuint (result.features->len, ==, 849 - 2);
  for (guint i = 0; i < result.features->len; i++)
    {
      TwAreaFeature *f = g_ptr_array_index (result.features, i);

      g_assert_cmpint (f->feature, ==, i + 1 + (i >= 499) + (i >= 698));
    }
  skipped = tw_area_reader_get_skipped (reader);
  g_assert_cmpuint (skipped->len, ==, 2);
  g_assert_cmpint (((TwAreaSkip *) skipped->pdata[0])->feature, ==, 500);
  g_assert_nonnull (strstr (((TwAreaSkip *) skipped->pdata[0])->reason,
                            "duplicate id '00020' (first seen at feature 20)"));
  g_assert_cmpint (((TwAreaSkip *) skipped->pdata[1])->feature, ==, 700);
  read_result_clear (&result);

  g_clear_pointer (&reader, tw_area_reader_free);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/geo/area-reader/projected-shapefile", test_projected_shapefile);
  g_test_add_func ("/geo/area-reader/lonlat-shapefile", test_lonlat_shapefile);
  g_test_add_func ("/geo/area-reader/zipped-shapefile", test_zipped_shapefile);
  g_test_add_func ("/geo/area-reader/zipped-shapefile-in-folder",
                   test_zipped_shapefile_in_folder);
  g_test_add_func ("/geo/area-reader/geopackage", test_geopackage);
  g_test_add_func ("/geo/area-reader/geojson", test_geojson);
  g_test_add_func ("/geo/area-reader/topojson", test_topojson);
  g_test_add_func ("/geo/area-reader/flatgeobuf", test_flatgeobuf);
  g_test_add_func ("/geo/area-reader/kml", test_kml);
  g_test_add_func ("/geo/area-reader/gml", test_gml);
  g_test_add_func ("/geo/area-reader/no-crs-lonlat", test_no_crs_lonlat);
  g_test_add_func ("/geo/area-reader/no-crs-projected", test_no_crs_projected);
  g_test_add_func ("/geo/area-reader/assume-crs", test_assume_crs);
  g_test_add_func ("/geo/area-reader/assume-crs-invalid", test_assume_crs_invalid);
  g_test_add_func ("/geo/area-reader/assume-crs-ignored", test_assume_crs_ignored);
  g_test_add_func ("/geo/area-reader/truncated-shapefile", test_truncated_shapefile);
  g_test_add_func ("/geo/area-reader/missing-dbf", test_missing_dbf);
  g_test_add_func ("/geo/area-reader/missing-dbf-folder", test_missing_dbf_folder);
  g_test_add_func ("/geo/area-reader/random-bytes", test_random_bytes);
  g_test_add_func ("/geo/area-reader/truncated-geojson", test_truncated_geojson);
  g_test_add_func ("/geo/area-reader/missing-file", test_missing_file);
  g_test_add_func ("/geo/area-reader/empty-layer", test_empty_layer);
  g_test_add_func ("/geo/area-reader/nothing-usable", test_nothing_usable);
  g_test_add_func ("/geo/area-reader/duplicate-ids", test_duplicate_ids);
  g_test_add_func ("/geo/area-reader/self-intersecting", test_self_intersecting);
  g_test_add_func ("/geo/area-reader/quick-validity-agrees-with-geos",
                   test_quick_validity_agrees_with_geos);
  g_test_add_func ("/geo/area-reader/mixed-geometries", test_mixed_geometries);
  g_test_add_func ("/geo/area-reader/several-layers", test_several_layers);
  g_test_add_func ("/geo/area-reader/id-field-given", test_id_field_given);
  g_test_add_func ("/geo/area-reader/field-missing", test_field_missing);
  g_test_add_func ("/geo/area-reader/numeric-id", test_numeric_id);
  g_test_add_func ("/geo/area-reader/cancel", test_cancel);
  g_test_add_func ("/geo/area-reader/file-order-across-batches",
                   test_file_order_across_batches);

  return g_test_run ();
}
