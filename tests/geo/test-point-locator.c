/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-point-locator"

#include <math.h>

#include "tw-point-locator.h"

/* WKB of one polygon (little-endian) from rings of lon, lat pairs, each closed. */
static GBytes *
polygon_wkb (guint                n_rings,
             const double *const *rings,
             const guint         *n_points)
{
  GByteArray *wkb = g_byte_array_new ();
  guint8 order = 1;
  guint32 type = 3, count = n_rings;

  g_byte_array_append (wkb, &order, 1);
  g_byte_array_append (wkb, (guint8 *) &type, 4);
  g_byte_array_append (wkb, (guint8 *) &count, 4);
  for (guint r = 0; r < n_rings; r++)
    {
      count = n_points[r];
      g_byte_array_append (wkb, (guint8 *) &count, 4);
      g_byte_array_append (wkb, (const guint8 *) rings[r], 16 * n_points[r]);
    }
  return g_byte_array_free_to_bytes (wkb);
}

static void
add_square (TwPointLocator *locator,
            double          x,
            double          y,
            double          size)
{
  const double ring[] = { x, y, x + size, y, x + size, y + size, x, y + size, x, y };
  const double *rings[] = { ring };
  const guint n[] = { 5 };
  g_autoptr(GBytes) wkb = polygon_wkb (1, rings, n);
  g_autoptr(GError) error = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (wkb, &length);

  g_assert_true (tw_point_locator_add_wkb (locator, data, length, &error));
  g_assert_no_error (error);
}

/* Four unit squares in a 2 × 2 block, areas 0 1 (bottom) and 2 3 (top): the interior of
 * each, the shared edges and the corner where all four meet go to the lowest index. */
static void
test_edges_lowest_first (void)
{
  g_autoptr(TwPointLocator) locator = tw_point_locator_new ();

  add_square (locator, 0, 0, 1);
  add_square (locator, 1, 0, 1);
  add_square (locator, 0, 1, 1);
  add_square (locator, 1, 1, 1);
  tw_point_locator_seal (locator);

  g_assert_cmpint (tw_point_locator_find (locator, 0.5, 0.5), ==, 0);
  g_assert_cmpint (tw_point_locator_find (locator, 1.5, 0.5), ==, 1);
  g_assert_cmpint (tw_point_locator_find (locator, 0.5, 1.5), ==, 2);
  g_assert_cmpint (tw_point_locator_find (locator, 1.5, 1.5), ==, 3);
  /* Shared edges and the shared corner. */
  g_assert_cmpint (tw_point_locator_find (locator, 1.0, 0.5), ==, 0);
  g_assert_cmpint (tw_point_locator_find (locator, 1.0, 1.5), ==, 2);
  g_assert_cmpint (tw_point_locator_find (locator, 1.5, 1.0), ==, 1);
  g_assert_cmpint (tw_point_locator_find (locator, 1.0, 1.0), ==, 0);
  /* The outer boundary belongs to its one area; beyond it, nothing. */
  g_assert_cmpint (tw_point_locator_find (locator, 2.0, 2.0), ==, 3);
  g_assert_cmpint (tw_point_locator_find (locator, 2.0, 0.3), ==, 1);
  g_assert_cmpint (tw_point_locator_find (locator, 2.000001, 0.3), ==, -1);
  g_assert_cmpint (tw_point_locator_find (locator, -0.5, 0.5), ==, -1);
  g_assert_cmpint (tw_point_locator_find (locator, 50, 50), ==, -1);
  g_assert_cmpint (tw_point_locator_find (locator, NAN, 0.5), ==, -1);
}

/* A square with a square hole, and a second area filling the hole: a point in the hole is
 * the second area's, whatever their order. */
static void
test_hole (void)
{
  const double outer[] = { 0, 0, 4, 0, 4, 4, 0, 4, 0, 0 };
  const double hole[] = { 1, 1, 1, 3, 3, 3, 3, 1, 1, 1 };
  const double *rings[] = { outer, hole };
  const guint n[] = { 5, 5 };
  g_autoptr(GBytes) wkb = polygon_wkb (2, rings, n);
  g_autoptr(TwPointLocator) locator = tw_point_locator_new ();
  gsize length;
  const guint8 *data = g_bytes_get_data (wkb, &length);

  g_assert_true (tw_point_locator_add_wkb (locator, data, length, NULL));
  add_square (locator, 1, 1, 2);
  tw_point_locator_seal (locator);

  g_assert_cmpint (tw_point_locator_find (locator, 0.5, 2), ==, 0);
  g_assert_cmpint (tw_point_locator_find (locator, 2, 2), ==, 1);
  g_assert_cmpint (tw_point_locator_find (locator, 1, 2), ==, 0);  /* the hole's edge */
}

/* A damaged area holds nothing and keeps the others' indices. */
static void
test_damaged_area (void)
{
  g_autoptr(TwPointLocator) locator = tw_point_locator_new ();
  g_autoptr(GError) error = NULL;
  const guint8 junk[] = { 1, 1, 0, 0, 0, 1, 2, 3 };

  add_square (locator, 0, 0, 1);
  g_assert_false (tw_point_locator_add_wkb (locator, junk, sizeof junk, &error));
  g_assert_error (error, TW_POINT_LOCATOR_ERROR, TW_POINT_LOCATOR_ERROR_WKB);
  add_square (locator, 5, 5, 1);
  tw_point_locator_seal (locator);

  g_assert_cmpuint (tw_point_locator_get_n_areas (locator), ==, 3);
  g_assert_cmpint (tw_point_locator_find (locator, 5.5, 5.5), ==, 2);
  g_assert_cmpint (tw_point_locator_find (locator, 0.5, 0.5), ==, 0);
}

/* A 100 × 100 grid of small squares, points on all cores: every point in its cell. */
static void
test_many_on_all_cores (void)
{
  g_autoptr(TwPointLocator) locator = tw_point_locator_new ();
  const guint side = 100, n = 200000;
  g_autofree double *lon = g_new (double, n);
  g_autofree double *lat = g_new (double, n);
  g_autofree int *areas = g_new (int, n);
  g_autoptr(GRand) rand = g_rand_new_with_seed (18);

  for (guint row = 0; row < side; row++)
    for (guint col = 0; col < side; col++)
      add_square (locator, -90 + col * 0.01, 40 + row * 0.01, 0.01);
  tw_point_locator_seal (locator);

  for (guint i = 0; i < n; i++)
    {
      guint col = g_rand_int_range (rand, 0, side), row = g_rand_int_range (rand, 0, side);

      /* Away from the edges by at least 1e-5 degrees. */
      lon[i] = -90 + col * 0.01 + g_rand_double_range (rand, 1e-5, 0.01 - 1e-5);
      lat[i] = 40 + row * 0.01 + g_rand_double_range (rand, 1e-5, 0.01 - 1e-5);
      areas[i] = -7;
      if (i % 1000 == 0)
        lon[i] += 5;  /* outside */
    }
  tw_point_locator_find_many (locator, lon, lat, n, areas);
  for (guint i = 0; i < n; i++)
    {
      int expected = i % 1000 == 0 ? -1
        : (int) (floor ((lat[i] - 40) / 0.01) * side + floor ((lon[i] + 90) / 0.01));

      g_assert_cmpint (areas[i], ==, expected);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/geo/point-locator/edges-lowest-first", test_edges_lowest_first);
  g_test_add_func ("/geo/point-locator/hole", test_hole);
  g_test_add_func ("/geo/point-locator/damaged-area", test_damaged_area);
  g_test_add_func ("/geo/point-locator/many-on-all-cores", test_many_on_all_cores);
  return g_test_run ();
}
