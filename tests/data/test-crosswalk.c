/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-crosswalk"

#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <sqlite3.h>

#include "tw-crosswalk.h"
#include "tw-gdal.h"
#include "tw-rate-table.h"
#include "tw-store-private.h"
#include "tw-test-project.h"

/*
 * The overlay crosswalk on real outlines: four Boston tracts of the demo (tests/fixtures/
 * areas/boston) are redrawn into a second vintage here, with GEOS through GDAL: the first
 * is cut in two along the meridian through the middle of its box, the second and third are
 * merged, the fourth is kept. Each allocated count is checked against the share of the
 * tract's area in each part, measured in the test on an equal-area projection.
 */

typedef struct
{
  Project      *p;
  OGRGeometryH  old[4];
  OGRGeometryH  west, east, merged;
  gint64        measure;
  gint64        new_ids[4];
} Redrawn;

static void
insert_area (Project      *p,
             gint64        geography,
             const char   *geoid,
             OGRGeometryH  geometry,
             gint64       *id)
{
  OGREnvelope box;
  int size = OGR_G_WkbSize (geometry);
  g_autofree unsigned char *wkb = g_malloc (size);
  sqlite3_stmt *stmt = tw_store_prepare (p->store,
                                         "INSERT INTO area (geography_id, geoid, name, geom, "
                                         "min_lon, min_lat, max_lon, max_lat) "
                                         "VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7)", NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (OGR_G_ExportToWkb (geometry, wkbNDR, wkb), ==, OGRERR_NONE);
  OGR_G_GetEnvelope (geometry, &box);
  sqlite3_bind_int64 (stmt, 1, geography);
  sqlite3_bind_text (stmt, 2, geoid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 3, wkb, size, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 4, box.MinX);
  sqlite3_bind_double (stmt, 5, box.MinY);
  sqlite3_bind_double (stmt, 6, box.MaxX);
  sqlite3_bind_double (stmt, 7, box.MaxY);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
  if (id != NULL)
    *id = sqlite3_last_insert_rowid (tw_store_get_db (p->store));
}

static OGRGeometryH
box_polygon (double min_x,
             double min_y,
             double max_x,
             double max_y)
{
  OGRGeometryH ring = OGR_G_CreateGeometry (wkbLinearRing);
  OGRGeometryH polygon = OGR_G_CreateGeometry (wkbPolygon);

  OGR_G_AddPoint_2D (ring, min_x, min_y);
  OGR_G_AddPoint_2D (ring, max_x, min_y);
  OGR_G_AddPoint_2D (ring, max_x, max_y);
  OGR_G_AddPoint_2D (ring, min_x, max_y);
  OGR_G_AddPoint_2D (ring, min_x, min_y);
  OGR_G_AddGeometryDirectly (polygon, ring);
  return polygon;
}

/* Area in square metres on EPSG:6933 (cylindrical equal-area). */
static double
equal_area (OGRGeometryH geometry)
{
  OGRSpatialReferenceH lonlat = OSRNewSpatialReference (NULL);
  OGRSpatialReferenceH cea = OSRNewSpatialReference (NULL);
  OGRCoordinateTransformationH transform;
  OGRGeometryH copy = OGR_G_Clone (geometry);
  double area;

  OSRImportFromEPSG (lonlat, 4326);
  OSRSetAxisMappingStrategy (lonlat, OAMS_TRADITIONAL_GIS_ORDER);
  OSRImportFromEPSG (cea, 6933);
  OSRSetAxisMappingStrategy (cea, OAMS_TRADITIONAL_GIS_ORDER);
  transform = OCTNewCoordinateTransformation (lonlat, cea);
  g_assert_nonnull (transform);
  g_assert_cmpint (OGR_G_Transform (copy, transform), ==, OGRERR_NONE);
  area = OGR_G_Area (copy);
  OGR_G_DestroyGeometry (copy);
  OCTDestroyCoordinateTransformation (transform);
  OSRDestroySpatialReference (lonlat);
  OSRDestroySpatialReference (cea);
  return area;
}

static const double counts[4] = { 100, 30, 50, 40 };

static void
redraw (Redrawn *r,
        double   third_count)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "areas", "boston",
                                                 "boston_tracts.shp", NULL);
  static const char *old_ids[4] = { "old-1", "old-2", "old-3", "old-4" };
  GDALDatasetH dataset;
  OGRLayerH layer;
  gint64 old_geography, new_geography, old_area_ids[4];
  OGREnvelope box;

  tw_gdal_init ();
  dataset = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  g_assert_nonnull (dataset);
  layer = GDALDatasetGetLayer (dataset, 0);
  for (int i = 0; i < 4; i++)
    {
      OGRFeatureH feature = OGR_L_GetFeature (layer, 10 + i);

      g_assert_nonnull (feature);
      r->old[i] = OGR_G_Clone (OGR_F_GetGeometryRef (feature));
      OGR_G_AssignSpatialReference (r->old[i], NULL);
      OGR_F_Destroy (feature);
    }
  GDALClose (dataset);

  OGR_G_GetEnvelope (r->old[0], &box);
  {
    double mid = (box.MinX + box.MaxX) / 2;
    OGRGeometryH west_box = box_polygon (box.MinX - 1, box.MinY - 1, mid, box.MaxY + 1);
    OGRGeometryH east_box = box_polygon (mid, box.MinY - 1, box.MaxX + 1, box.MaxY + 1);

    r->west = OGR_G_Intersection (r->old[0], west_box);
    r->east = OGR_G_Intersection (r->old[0], east_box);
    OGR_G_DestroyGeometry (west_box);
    OGR_G_DestroyGeometry (east_box);
  }
  r->merged = OGR_G_Union (r->old[1], r->old[2]);
  g_assert_nonnull (r->west);
  g_assert_nonnull (r->east);
  g_assert_nonnull (r->merged);

  r->p = project_new ();
  old_geography = add_geography (r->p, "old");
  new_geography = add_geography (r->p, "new");
  for (int i = 0; i < 4; i++)
    insert_area (r->p, old_geography, old_ids[i], r->old[i], &old_area_ids[i]);
  insert_area (r->p, new_geography, "new-1w", r->west, &r->new_ids[0]);
  insert_area (r->p, new_geography, "new-1e", r->east, &r->new_ids[1]);
  insert_area (r->p, new_geography, "new-23", r->merged, &r->new_ids[2]);
  insert_area (r->p, new_geography, "new-4", r->old[3], &r->new_ids[3]);
  r->measure = add_measure (r->p, "visits", "rate", 1000);
  for (int i = 0; i < 4; i++)
    add_outcome (r->p, r->measure, old_area_ids[i], "2020", "all",
                 i == 2 ? third_count : counts[i], 1000 * counts[i]);
}

static void
redrawn_clear (Redrawn *r)
{
  for (int i = 0; i < 4; i++)
    OGR_G_DestroyGeometry (r->old[i]);
  OGR_G_DestroyGeometry (r->west);
  OGR_G_DestroyGeometry (r->east);
  OGR_G_DestroyGeometry (r->merged);
  project_free (r->p);
}

/* The area's count in the new geography, or -1 when it has none. */
static double
allocated (Redrawn    *r,
           gint64      area_id,
           gboolean    reveal,
           gboolean   *suppressed)
{
  TwRateQuery query = { "visits", "2020", "all", -1, TW_RATE_METHOD_CRUDE, reveal };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwRateTable) table = NULL;
  const TwRateRow *row;
  gint64 geography;

  geography = tw_store_resolve_geography (r->p->store, "new", &error);
  g_assert_no_error (error);
  query.geography_id = geography;
  table = tw_rate_table_compute (r->p->store, &query, NULL, NULL, &error);
  g_assert_no_error (error);
  row = tw_rate_table_find_row (table, area_id, "all");
  if (row == NULL)
    return -1;   /* no outcome: nothing was allocated to the area */
  if (suppressed != NULL)
    *suppressed = tw_rate_row_is_suppressed (row);
  return row->numerator;
}

static TwCrosswalkResult *
overlay (Redrawn         *r,
         TwCrosswalkRule  rule)
{
  TwCrosswalkOptions options = { "old", "new", TW_CROSSWALK_FORMAT_OVERLAY, NULL, rule, NULL };
  g_autoptr(GError) error = NULL;
  TwCrosswalkResult *result = tw_crosswalk_run (r->p->store, NULL, &options, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static void
test_overlay_split_and_merge (void)
{
  Redrawn r = { 0 };
  g_autoptr(TwCrosswalkResult) result = NULL;
  double share_west, share_east, west, east;

  redraw (&r, counts[2]);
  result = overlay (&r, TW_CROSSWALK_RULE_PROPORTIONAL);

  /* The parts GEOS cut add up to the tract to about 1e-8: the shares are of their sum. */
  share_west = equal_area (r.west) / (equal_area (r.west) + equal_area (r.east));
  share_east = equal_area (r.east) / (equal_area (r.west) + equal_area (r.east));
  g_assert_cmpfloat (fabs (equal_area (r.west) + equal_area (r.east) - equal_area (r.old[0])),
                     <, 1e-6 * equal_area (r.old[0]));
  g_assert_cmpfloat (share_west, >, 0.05);
  g_assert_cmpfloat (share_west, <, 0.95);
  west = allocated (&r, r.new_ids[0], TRUE, NULL);
  east = allocated (&r, r.new_ids[1], TRUE, NULL);
  /* Intersections recomputed by GEOS agree with the test's parts to about 1e-8. */
  g_assert_cmpfloat_with_epsilon (west, counts[0] * share_west, 1e-7 * counts[0]);
  g_assert_cmpfloat_with_epsilon (east, counts[0] * share_east, 1e-7 * counts[0]);
  g_assert_cmpfloat_with_epsilon (west + east, counts[0], 1e-9 * counts[0]);
  g_assert_cmpfloat_with_epsilon (allocated (&r, r.new_ids[2], TRUE, NULL),
                                  counts[1] + counts[2], 1e-7 * 80);
  g_assert_cmpfloat_with_epsilon (allocated (&r, r.new_ids[3], TRUE, NULL), counts[3], 1e-7);

  g_assert_true (result->conserved);
  g_assert_cmpfloat_with_epsilon (result->source_total, 220, 1e-9);
  g_assert_cmpfloat (fabs (result->target_total - result->source_total), <=, 1e-9 * 220);
  g_assert_cmpint (result->split, ==, 2);
  g_assert_cmpint (result->merged, ==, 1);
  /* new-4 is old-4 under another id. */
  g_assert_cmpint (result->recoded, ==, 1);
  redrawn_clear (&r);
}

static void
test_overlay_majority (void)
{
  Redrawn r = { 0 };
  g_autoptr(TwCrosswalkResult) result = NULL;
  gboolean west_larger;

  redraw (&r, counts[2]);
  result = overlay (&r, TW_CROSSWALK_RULE_MAJORITY);
  west_larger = equal_area (r.west) >= equal_area (r.east);
  g_assert_cmpfloat (allocated (&r, r.new_ids[west_larger ? 0 : 1], TRUE, NULL), ==, counts[0]);
  g_assert_cmpfloat (allocated (&r, r.new_ids[west_larger ? 1 : 0], TRUE, NULL), ==, -1);
  g_assert_nonnull (strstr (result->rule, "50%"));
  g_assert_true (result->conserved);
  redrawn_clear (&r);
}

/* old-3 holds 5 (hidden at k = 11); the merged tract's 35 would give it away beside
 * old-2's 30. */
static void
test_overlay_hidden_source (void)
{
  Redrawn r = { 0 };
  g_autoptr(TwCrosswalkResult) result = NULL;
  gboolean suppressed = FALSE;

  redraw (&r, 5);
  result = overlay (&r, TW_CROSSWALK_RULE_PROPORTIONAL);
  g_assert_true (isnan (allocated (&r, r.new_ids[2], FALSE, &suppressed)));
  g_assert_true (suppressed);
  g_assert_cmpfloat_with_epsilon (allocated (&r, r.new_ids[2], TRUE, NULL), 35, 1e-7);
  g_assert_cmpfloat_with_epsilon (allocated (&r, r.new_ids[3], FALSE, &suppressed), 40, 1e-7);
  g_assert_false (suppressed);
  g_assert_cmpint (result->hidden_cells, ==, 1);
  redrawn_clear (&r);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/data/import/crosswalk/overlay-split-merge", test_overlay_split_and_merge);
  g_test_add_func ("/data/import/crosswalk/overlay-majority", test_overlay_majority);
  g_test_add_func ("/data/import/crosswalk/overlay-hidden-source", test_overlay_hidden_source);
  return g_test_run ();
}
