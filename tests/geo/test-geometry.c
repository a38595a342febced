/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-geometry"

#include <math.h>

#include "tw-geometry.h"
#include "tw-test-wkb.h"

/* A 10 × 10 grid of one-degree squares from (−80, 35), each side with 49 extra points. */
static TwGeometrySet *
grid (void)
{
  TwGeometrySet *set = tw_geometry_set_new ();

  for (guint row = 0; row < 10; row++)
    for (guint col = 0; col < 10; col++)
      {
        g_autoptr(GByteArray) wkb = tw_test_square_wkb (-80.0 + col, 35.0 + row, 1, 49);
        g_autoptr(GError) error = NULL;

        g_assert_true (tw_geometry_set_add_wkb (set, wkb->data, wkb->len, &error));
        g_assert_no_error (error);
      }
  tw_geometry_set_seal (set);
  return set;
}

static void
test_world_coordinates (void)
{
  double x, y, lon, lat;

  tw_world_from_lonlat (0, 0, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (y, 0.5, 1e-12);
  tw_world_from_lonlat (-180, 85.0511287798, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 0, 1e-12);
  g_assert_cmpfloat_with_epsilon (y, 0, 1e-9);
  tw_world_from_lonlat (-78.64, 35.78, &x, &y);
  tw_world_to_lonlat (x, y, &lon, &lat);
  g_assert_cmpfloat_with_epsilon (lon, -78.64, 1e-9);
  g_assert_cmpfloat_with_epsilon (lat, 35.78, 1e-9);
}

static gboolean
count_column_four (guint    area,
                   gpointer data)
{
  guint *n = data;

  g_assert_cmpuint (area % 10, ==, 4);
  g_assert_cmpuint (area / 10, >=, 3);
  g_assert_cmpuint (area / 10, <=, 5);
  (*n)++;
  return TRUE;
}

static void
test_hit_and_query (void)
{
  g_autoptr(TwGeometrySet) set = grid ();
  double x, y;
  TwBox extent, box;
  guint found = 0;

  g_assert_cmpuint (tw_geometry_set_get_n_areas (set), ==, 100);
  g_assert_cmpuint (tw_geometry_set_get_n_vertices (set), ==, 100 * 200);

  /* (−77.5, 36.5) is in row 1, column 2. */
  tw_world_from_lonlat (-77.5, 36.5, &x, &y);
  g_assert_cmpint (tw_geometry_set_hit (set, x, y), ==, 12);
  tw_world_from_lonlat (-60, 36.5, &x, &y);
  g_assert_cmpint (tw_geometry_set_hit (set, x, y), ==, -1);

  tw_geometry_set_get_extent (set, &extent);
  tw_world_from_lonlat (-80, 45, &x, &y);
  g_assert_cmpfloat_with_epsilon (extent.min_x, x, 1e-6);
  g_assert_cmpfloat_with_epsilon (extent.min_y, y, 1e-6);

  /* A box inside column 4 of rows 3 to 5 meets exactly those three squares. */
  tw_world_from_lonlat (-75.5, 38.5, &box.min_x, &box.max_y);
  tw_world_from_lonlat (-75.4, 40.5, &box.max_x, &box.min_y);
  tw_geometry_set_query (set, &box, count_column_four, &found);
  g_assert_cmpuint (found, ==, 3);
}

static void
test_simplified_levels (void)
{
  g_autoptr(TwGeometrySet) set = grid ();
  guint n;

  /* The collinear points on a square's sides vanish at any coarse tolerance … */
  g_assert_cmpuint (tw_geometry_set_get_n_rings (set, 0, 1e-3), ==, 1);
  tw_geometry_set_get_ring (set, 0, 1e-3, 0, &n);
  g_assert_cmpuint (n, ==, 4);
  /* … and every point is there at full resolution. */
  tw_geometry_set_get_ring (set, 0, 0, 0, &n);
  g_assert_cmpuint (n, ==, 200);
}

static void
test_damaged_wkb (void)
{
  g_autoptr(TwGeometrySet) set = tw_geometry_set_new ();
  g_autoptr(GByteArray) wkb = tw_test_square_wkb (0, 0, 1, 0);
  g_autoptr(GError) error = NULL;
  guint8 point[] = { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

  g_assert_false (tw_geometry_set_add_wkb (set, wkb->data, wkb->len - 9, &error));
  g_assert_error (error, TW_GEOMETRY_ERROR, TW_GEOMETRY_ERROR_WKB);
  g_clear_error (&error);
  g_assert_false (tw_geometry_set_add_wkb (set, point, sizeof point, &error));
  g_assert_error (error, TW_GEOMETRY_ERROR, TW_GEOMETRY_ERROR_WKB);
  g_clear_error (&error);
  g_assert_true (tw_geometry_set_add_wkb (set, wkb->data, wkb->len, &error));
  tw_geometry_set_seal (set);
  g_assert_cmpuint (tw_geometry_set_get_n_areas (set), ==, 1);
  g_assert_cmpuint (tw_geometry_set_get_n_vertices (set), ==, 4);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/geo/geometry/world-coordinates", test_world_coordinates);
  g_test_add_func ("/geo/geometry/hit-and-query", test_hit_and_query);
  g_test_add_func ("/geo/geometry/simplified-levels", test_simplified_levels);
  g_test_add_func ("/geo/geometry/damaged-wkb", test_damaged_wkb);

  return g_test_run ();
}
