/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-arcs"

#include <math.h>

#include "tw-arcs.h"
#include "tw-test-wkb.h"

#define WIGGLES 40

/* Two areas side by side whose shared border wiggles (0.002° at most), and a square far
 * away with no neighbour (one closed arc). */
static TwGeometrySet *
neighbours (void)
{
  TwGeometrySet *set = tw_geometry_set_new ();
  double border[2 * (WIGGLES + 1)];
  double a[2 * (WIGGLES + 3)], b[2 * (WIGGLES + 3)];
  guint n = 0;

  for (guint i = 0; i <= WIGGLES; i++)
    {
      border[2 * i] = 1 + 0.002 * sin (i * 1.7);
      border[2 * i + 1] = (double) i / WIGGLES;
    }
  border[0] = border[2 * WIGGLES] = 1;
  /* A: (0, 0), up the border, (0, 1). */
  a[n++] = 0, a[n++] = 0;
  for (guint i = 0; i <= WIGGLES; i++)
    a[n++] = border[2 * i], a[n++] = border[2 * i + 1];
  a[n++] = 0, a[n++] = 1;
  /* B: down the border, (2, 0), (2, 1). */
  n = 0;
  for (guint i = 0; i <= WIGGLES; i++)
    b[n++] = border[2 * (WIGGLES - i)], b[n++] = border[2 * (WIGGLES - i) + 1];
  b[n++] = 2, b[n++] = 0;
  b[n++] = 2, b[n++] = 1;

  {
    g_autoptr(GByteArray) wa = tw_test_polygon_wkb (a, WIGGLES + 3);
    g_autoptr(GByteArray) wb = tw_test_polygon_wkb (b, WIGGLES + 3);
    g_autoptr(GByteArray) wc = tw_test_square_wkb (10, 10, 1, 20);

    g_assert_true (tw_geometry_set_add_wkb (set, wa->data, wa->len, NULL));
    g_assert_true (tw_geometry_set_add_wkb (set, wb->data, wb->len, NULL));
    g_assert_true (tw_geometry_set_add_wkb (set, wc->data, wc->len, NULL));
  }
  tw_geometry_set_seal (set);
  return set;
}

static gboolean
has_point (GArray       *points,
           const double *p)
{
  for (guint i = 0; i < points->len / 2; i++)
    if (g_array_index (points, double, 2 * i) == p[0]
        && g_array_index (points, double, 2 * i + 1) == p[1])
      return TRUE;
  return FALSE;
}

/* The points of @points in the band of the shared border. */
static guint
check_border_shared (GArray *mine,
                     GArray *theirs,
                     double  x0,
                     double  x1)
{
  guint n = 0;

  for (guint i = 0; i < mine->len / 2; i++)
    {
      const double *p = &g_array_index (mine, double, 2 * i);

      if (p[0] > x0 && p[0] < x1)
        {
          g_assert_true (has_point (theirs, p));
          n++;
        }
    }
  return n;
}

static void
test_shared_border_simplified_once (void)
{
  g_autoptr(TwGeometrySet) set = neighbours ();
  TwBox box;
  double world_degree;

  tw_geometry_set_get_area_box (set, 0, &box);
  world_degree = (box.max_x - box.min_x);
  for (guint t = 0; t < 4; t++)
    {
      /* From no simplification to more than the wiggles. */
      double tolerance = world_degree * (double[]) { 0, 0.0002, 0.001, 0.01 }[t];
      g_autoptr(TwArcSet) arcs = tw_arc_set_new (set, tolerance, NULL);
      g_autoptr(GArray) pa = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) pb = g_array_new (FALSE, FALSE, sizeof (double));
      double x0, x1, y;
      guint na, nb;

      /* The shared border, A's and B's own sides, the square. */
      g_assert_cmpuint (tw_arc_set_get_n_arcs (arcs), ==, 4);
      g_assert_cmpuint (tw_arc_set_get_n_rings (arcs, 0), ==, 1);
      /* Only the border has an area on each side. */
      for (guint arc = 0, shared = 0; arc < 4; arc++)
        {
          guint first, second;

          tw_arc_set_get_arc_areas (arcs, arc, &first, &second);
          if (second != G_MAXUINT)
            {
              g_assert_cmpuint (MIN (first, second), ==, 0);
              g_assert_cmpuint (MAX (first, second), ==, 1);
              g_assert_cmpuint (++shared, ==, 1);
            }
        }
      tw_arc_set_append_ring (arcs, 0, 0, pa);
      tw_arc_set_append_ring (arcs, 1, 0, pb);
      tw_world_from_lonlat (0.99, 0.5, &x0, &y);
      tw_world_from_lonlat (1.01, 0.5, &x1, &y);
      na = check_border_shared (pa, pb, x0, x1);
      nb = check_border_shared (pb, pa, x0, x1);
      g_assert_cmpuint (na, ==, nb);
      if (t == 0)
        {
          g_assert_cmpuint (na, ==, WIGGLES + 1);
          g_assert_cmpuint (pa->len / 2, ==, WIGGLES + 3);
          g_assert_cmpuint (tw_arc_set_append_ring (arcs, 2, 0, pa), ==, 84);
        }
      else if (t == 3)
        {
          /* Only the two corners where the three outlines meet are left. */
          g_assert_cmpuint (na, ==, 2);
          g_assert_cmpuint (pa->len / 2, ==, 4);
          /* A closed arc (no neighbour) keeps at least three corners. */
          g_assert_cmpuint (tw_arc_set_append_ring (arcs, 2, 0, pa), >=, 3);
        }
      else
        g_assert_cmpuint (na, <, WIGGLES + 1);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/geo/arcs/shared-border-simplified-once", test_shared_border_simplified_once);
  return g_test_run ();
}
