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

/* A star-like ring of @k points around (@cx, @cy): not convex, as tracts are not. */
static double *
wobbly_ring (double  cx,
             double  cy,
             double  r,
             guint   k,
             double  phase)
{
  double *ring = g_new (double, 2 * (k + 1));

  for (guint i = 0; i < k; i++)
    {
      double angle = 2 * G_PI * i / k;
      double radius = r * (0.65 + 0.35 * sin (5 * angle + phase));

      ring[2 * i] = cx + radius * cos (angle);
      ring[2 * i + 1] = cy + radius * sin (angle);
    }
  ring[2 * k] = ring[0];
  ring[2 * k + 1] = ring[1];
  return ring;
}

/* The even-odd rule over every area in turn, a point on an edge inside: what the locator's
 * grid and rasters must answer without walking every edge. */
static int
walk_every_area (GPtrArray *areas,
                 GArray    *sizes,
                 GArray    *boxes,
                 double     x,
                 double     y)
{
  for (guint a = 0; a < areas->len; a++)
    {
      const double *const *rings = g_ptr_array_index (areas, a);
      const guint *n = &g_array_index (sizes, guint, 2 * a);
      const double *box = &g_array_index (boxes, double, 4 * a);
      gboolean inside = FALSE, on_edge = FALSE;

      if (x < box[0] - 1e-9 || y < box[1] - 1e-9 || x > box[2] + 1e-9 || y > box[3] + 1e-9)
        continue;

      for (guint r = 0; r < 2 && rings[r] != NULL; r++)
        for (guint i = 0; i + 1 < n[r]; i++)
          {
            double ax = rings[r][2 * i], ay = rings[r][2 * i + 1];
            double bx = rings[r][2 * i + 2], by = rings[r][2 * i + 3];
            double cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);

            if (x >= MIN (ax, bx) - 1e-12 && x <= MAX (ax, bx) + 1e-12
                && y >= MIN (ay, by) - 1e-12 && y <= MAX (ay, by) + 1e-12
                && fabs (cross) <= 1e-12 * MAX (fabs (bx - ax), fabs (by - ay)))
              on_edge = TRUE;
            if ((ay > y) != (by > y) && x < ax + (bx - ax) * (y - ay) / (by - ay))
              inside = !inside;
          }
      if (on_edge || inside)
        return (int) a;
    }
  return -1;
}

/* Crowded small areas (a city: finer grids), large ones around and over them (overlaps:
 * the lowest index wins), one with a hole; random points, points on edges and on
 * vertices: the locator answers as a walk over every area's edges. */
static void
test_same_as_walking_every_edge (void)
{
  g_autoptr(TwPointLocator) locator = tw_point_locator_new ();
  g_autoptr(GPtrArray) areas = g_ptr_array_new ();
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) boxes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (1807);
  guint disagreements = 0, n_points = 0, answered[2] = { 0, 0 };

  for (guint a = 0; a < 700; a++)
    {
      gboolean city = a % 7 != 0;
      double r = city ? g_rand_double_range (rand, 0.002, 0.01)
                      : g_rand_double_range (rand, 0.2, 1.5);
      double cx = city ? g_rand_double_range (rand, -80.1, -79.9)
                       : g_rand_double_range (rand, -84, -76);
      double cy = city ? g_rand_double_range (rand, 39.9, 40.1)
                       : g_rand_double_range (rand, 36, 44);
      guint k = g_rand_int_range (rand, 12, 400);
      const double **rings = g_new0 (const double *, 2);
      guint n[2] = { k + 1, 0 };
      g_autoptr(GBytes) wkb = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;
      const guint8 *data;

      rings[0] = wobbly_ring (cx, cy, r, k, g_rand_double (rand));
      if (a % 50 == 0)
        {
          rings[1] = wobbly_ring (cx, cy, r * 0.3, 40, 0);
          n[1] = 41;
        }
      g_ptr_array_add (owned, (gpointer) rings[0]);
      g_ptr_array_add (owned, (gpointer) rings[1]);
      g_ptr_array_add (owned, rings);
      g_ptr_array_add (areas, rings);
      g_array_append_vals (sizes, n, 2);
      {
        double box[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };

        for (guint i = 0; i < n[0]; i++)
          {
            box[0] = MIN (box[0], rings[0][2 * i]);
            box[1] = MIN (box[1], rings[0][2 * i + 1]);
            box[2] = MAX (box[2], rings[0][2 * i]);
            box[3] = MAX (box[3], rings[0][2 * i + 1]);
          }
        g_array_append_vals (boxes, box, 4);
      }
      wkb = polygon_wkb (rings[1] != NULL ? 2 : 1, rings, n);
      data = g_bytes_get_data (wkb, &length);
      g_assert_true (tw_point_locator_add_wkb (locator, data, length, &error));
    }
  tw_point_locator_seal (locator);

  for (guint i = 0; i < 60000; i++)
    {
      double x, y;
      int found, walked;

      if (i % 3 == 0)
        {
          /* On an edge (or a vertex, t = 0) of a random area. */
          guint a = g_rand_int_range (rand, 0, areas->len);
          const double *ring = ((const double *const *) g_ptr_array_index (areas, a))[0];
          guint e = g_rand_int_range (rand, 0, g_array_index (sizes, guint, 2 * a) - 1);
          double t = i % 9 == 0 ? 0 : g_rand_double (rand);

          x = ring[2 * e] + t * (ring[2 * e + 2] - ring[2 * e]);
          y = ring[2 * e + 1] + t * (ring[2 * e + 3] - ring[2 * e + 1]);
        }
      else if (i % 3 == 1)
        {
          x = g_rand_double_range (rand, -80.12, -79.88);
          y = g_rand_double_range (rand, 39.88, 40.12);
        }
      else
        {
          x = g_rand_double_range (rand, -86, -74);
          y = g_rand_double_range (rand, 34, 46);
        }
      found = tw_point_locator_find (locator, x, y);
      walked = walk_every_area (areas, sizes, boxes, x, y);
      n_points++;
      answered[found >= 0]++;
      if (found != walked && disagreements++ < 5)
        g_test_message ("(%.12f, %.12f): %d, walking every edge %d", x, y, found, walked);
    }
  g_assert_cmpuint (disagreements, ==, 0);
  /* The points fell both inside and outside areas: the comparison tested both. */
  g_assert_cmpuint (answered[0], >, n_points / 10);
  g_assert_cmpuint (answered[1], >, n_points / 10);
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
  g_test_add_func ("/geo/point-locator/same-as-walking-every-edge",
                   test_same_as_walking_every_edge);
  return g_test_run ();
}
