/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-geometry"

#include <math.h>
#include <string.h>

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

/* A level built when first asked for holds the same rings as one built with all the others
 * at load (an export and the map window draw the same outlines): wiggly rings, a few
 * thousand points each, at every level's tolerance, from two threads at once. */
typedef struct
{
  TwGeometrySet *set;
  double         tolerance;
} LevelRead;

static gpointer
read_level (gpointer data)
{
  LevelRead *read = data;

  return GUINT_TO_POINTER (tw_geometry_set_get_n_rings (read->set, 0, read->tolerance));
}

static void
test_lazy_levels (void)
{
  g_autoptr(TwGeometrySet) eager = tw_geometry_set_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GPtrArray) blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);

  for (guint a = 0; a < 20; a++)
    {
      guint n = 500 + 100 * a;
      g_autofree double *ring = g_new (double, 2 * n);
      GByteArray *wkb;

      for (guint i = 0; i < n; i++)
        {
          double angle = 2 * G_PI * i / n, r = 0.5 + g_rand_double_range (rand, 0, 0.05)
                                               + 0.1 * sin (7 * angle);

          ring[2 * i] = -100.0 + 2 * a + r * cos (angle);
          ring[2 * i + 1] = 40.0 + r * sin (angle);
        }
      wkb = tw_test_polygon_wkb (ring, n);
      g_ptr_array_add (blobs, wkb);
      g_assert_true (tw_geometry_set_add_wkb (eager, wkb->data, wkb->len, NULL));
    }
  tw_geometry_set_seal (eager);

  /* asked for coarse to fine, then fine to coarse (a finer level fills the coarser ones) */
  for (guint order = 0; order < 2; order++)
    {
      g_autoptr(TwGeometrySet) lazy = tw_geometry_set_new ();
      guint checked = 0;

      for (guint a = 0; a < blobs->len; a++)
        {
          GByteArray *wkb = g_ptr_array_index (blobs, a);

          g_assert_true (tw_geometry_set_add_wkb (lazy, wkb->data, wkb->len, NULL));
        }
      tw_geometry_set_seal_lazily (lazy);

      for (int step = 0; step < 10; step++)
        {
          int z = order == 0 ? 2 + step : 11 - step;
          double tolerance = 0.5 / (256.0 * (1 << z));
          LevelRead read = { lazy, tolerance };
          GThread *other = g_thread_new ("level", read_level, &read);
          guint other_rings = GPOINTER_TO_UINT (read_level (&read));

          g_assert_cmpuint (GPOINTER_TO_UINT (g_thread_join (other)), ==, other_rings);
          for (guint a = 0; a < 20; a++)
            {
              guint n_rings = tw_geometry_set_get_n_rings (eager, a, tolerance);

              g_assert_cmpuint (tw_geometry_set_get_n_rings (lazy, a, tolerance), ==, n_rings);
              for (guint r = 0; r < n_rings; r++)
                {
                  guint n1, n2;
                  const float *p1 = tw_geometry_set_get_ring (eager, a, tolerance, r, &n1);
                  const float *p2 = tw_geometry_set_get_ring (lazy, a, tolerance, r, &n2);

                  g_assert_cmpuint (n1, ==, n2);
                  g_assert_cmpmem (p1, 2 * n1 * sizeof (float), p2, 2 * n2 * sizeof (float));
                  checked += n1;
                }
            }
        }
      /* the coarse levels drop most points, the fine ones keep most */
      g_assert_cmpuint (checked, >, 40000);
    }
}

/* Areas parsed in a batch on every core are those added one by one, in order, with the same
 * boxes and outlines; a damaged one in the batch stops it there and is named. */
static void
test_batch_parse (void)
{
  const guint n = 300;
  g_autoptr(TwGeometrySet) one = tw_geometry_set_new ();
  g_autoptr(TwGeometrySet) many = tw_geometry_set_new ();
  g_autoptr(TwGeometrySet) damaged = tw_geometry_set_new ();
  g_autoptr(GPtrArray) blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  g_autofree const guint8 **wkbs = g_new (const guint8 *, n);
  g_autofree gsize *lengths = g_new (gsize, n);
  g_autoptr(GError) error = NULL;
  TwBox e1, e2;

  for (guint i = 0; i < n; i++)
    {
      /* squares of varied detail */
      GByteArray *wkb = tw_test_square_wkb (-120.0 + (i % 30), 30.0 + i / 30, 1, i % 7 * 5);

      g_ptr_array_add (blobs, wkb);
      wkbs[i] = wkb->data;
      lengths[i] = wkb->len;
      g_assert_true (tw_geometry_set_add_wkb (one, wkb->data, wkb->len, NULL));
    }
  g_assert_true (tw_geometry_set_add_wkb_many (many, wkbs, lengths, n, &error));
  g_assert_no_error (error);
  tw_geometry_set_seal (one);
  tw_geometry_set_seal (many);
  g_assert_cmpuint (tw_geometry_set_get_n_areas (many), ==, n);
  g_assert_cmpuint (tw_geometry_set_get_n_vertices (many), ==,
                    tw_geometry_set_get_n_vertices (one));
  tw_geometry_set_get_extent (one, &e1);
  tw_geometry_set_get_extent (many, &e2);
  g_assert_cmpmem (&e1, sizeof e1, &e2, sizeof e2);
  for (guint a = 0; a < n; a++)
    {
      guint n1, n2;
      const float *p1 = tw_geometry_set_get_ring (one, a, 0, 0, &n1);
      const float *p2 = tw_geometry_set_get_ring (many, a, 0, 0, &n2);

      tw_geometry_set_get_area_box (one, a, &e1);
      tw_geometry_set_get_area_box (many, a, &e2);
      g_assert_cmpmem (&e1, sizeof e1, &e2, sizeof e2);
      g_assert_cmpuint (tw_geometry_set_get_n_rings (many, a, 0), ==, 1);
      g_assert_cmpmem (p1, 2 * n1 * sizeof (float), p2, 2 * n2 * sizeof (float));
    }

  lengths[250] -= 9;   /* truncated */
  g_assert_false (tw_geometry_set_add_wkb_many (damaged, wkbs, lengths, n, &error));
  g_assert_error (error, TW_GEOMETRY_ERROR, TW_GEOMETRY_ERROR_WKB);
  g_assert_nonnull (strstr (error->message, "area 250"));
  g_assert_cmpuint (tw_geometry_set_get_n_areas (damaged), ==, 250);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/geo/geometry/world-coordinates", test_world_coordinates);
  g_test_add_func ("/geo/geometry/hit-and-query", test_hit_and_query);
  g_test_add_func ("/geo/geometry/simplified-levels", test_simplified_levels);
  g_test_add_func ("/geo/geometry/lazy-levels", test_lazy_levels);
  g_test_add_func ("/geo/geometry/damaged-wkb", test_damaged_wkb);
  g_test_add_func ("/geo/geometry/batch-parse", test_batch_parse);

  return g_test_run ();
}
