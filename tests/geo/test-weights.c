/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-weights"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>

#include "tw-weights.h"

/*
 * Neighbours of the 100 North Carolina counties against R spdep 1.2.7's poly2nb
 * (queen = TRUE and FALSE) on the same shapefile: the cardinalities and queen neighbour
 * lists in tests/fixtures/statistics/nc-spdep.txt, written once by nc-spdep.R there.
 */

typedef struct
{
  char  *fips[100];
  guint  queen_card[100];
  guint  rook_card[100];
  char  *queen_list[100];
  guint  n;
} Reference;

static void
reference_clear (Reference *ref)
{
  for (guint i = 0; i < ref->n; i++)
    {
      g_free (ref->fips[i]);
      g_free (ref->queen_list[i]);
    }
}

static void
load_reference (Reference *ref)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "statistics",
                                                 "nc-spdep.txt", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  memset (ref, 0, sizeof *ref);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = NULL;

      if (lines[i][0] == '#' || lines[i][0] == '\0' || g_str_has_prefix (lines[i], "moran"))
        continue;
      f = g_strsplit (lines[i], " ", -1);
      g_assert_cmpuint (g_strv_length (f), ==, 10);
      g_assert_cmpuint (ref->n, <, 100);
      ref->fips[ref->n] = g_strdup (f[0]);
      ref->queen_card[ref->n] = atoi (f[3]);
      ref->rook_card[ref->n] = atoi (f[4]);
      ref->queen_list[ref->n] = g_strdup (f[9]);
      ref->n++;
    }
  g_assert_cmpuint (ref->n, ==, 100);
}

/* The counties as OGR reads them, untransformed (NAD27 lon/lat as in the .shp), and their
 * FIPS codes in file order. */
static TwPolygonSet *
load_nc (GPtrArray *fips)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "areas", "nc",
                                                 "nc.shp", NULL);
  GDALDatasetH ds;
  OGRLayerH layer;
  OGRFeatureH feature;
  TwPolygonSet *set = tw_polygon_set_new (TRUE);

  GDALAllRegister ();
  ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  g_assert_nonnull (ds);
  layer = GDALDatasetGetLayer (ds, 0);
  while ((feature = OGR_L_GetNextFeature (layer)) != NULL)
    {
      OGRGeometryH geometry = OGR_F_GetGeometryRef (feature);
      int size = OGR_G_WkbSize (geometry);
      g_autofree guint8 *wkb = g_malloc (size);
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (OGR_G_ExportToIsoWkb (geometry, wkbNDR, wkb), ==, OGRERR_NONE);
      g_assert_true (tw_polygon_set_add_wkb (set, wkb, size, &error));
      g_assert_no_error (error);
      g_ptr_array_add (fips, g_strdup (OGR_F_GetFieldAsString (feature,
                                                               OGR_F_GetFieldIndex (feature, "FIPS"))));
      OGR_F_Destroy (feature);
    }
  GDALClose (ds);
  return set;
}

static void
check_against_poly2nb (TwWeightsType type,
                       guint         n_threads)
{
  Reference ref;
  g_autoptr(GPtrArray) fips = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TwPolygonSet) set = NULL;
  g_autoptr(TwWeights) w = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) islands = NULL;

  load_reference (&ref);
  set = load_nc (fips);
  g_assert_cmpuint (tw_polygon_set_get_n_areas (set), ==, 100);
  w = tw_weights_new_contiguity (set, type, TW_WEIGHTS_DEFAULT_SNAP, n_threads, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 100; i++)
    {
      guint k;
      const guint *nb = tw_weights_get_neighbours (w, i, &k);
      const double *row = tw_weights_get_row (w, i, NULL);

      g_assert_cmpstr (g_ptr_array_index (fips, i), ==, ref.fips[i]);
      if (type == TW_WEIGHTS_QUEEN)
        {
          g_autoptr(GString) list = g_string_new (NULL);

          g_assert_cmpuint (k, ==, ref.queen_card[i]);
          /* spdep lists neighbours in ascending index, as we do */
          for (guint j = 0; j < k; j++)
            g_string_append_printf (list, "%s%s", j ? "," : "",
                                    (char *) g_ptr_array_index (fips, nb[j]));
          g_assert_cmpstr (list->str, ==, ref.queen_list[i]);
        }
      else
        g_assert_cmpuint (k, ==, ref.rook_card[i]);
      for (guint j = 0; j < k; j++)
        g_assert_cmpfloat_with_epsilon (row[j], 1.0 / k, 1e-15);
    }
  islands = tw_weights_get_islands (w);
  g_assert_cmpuint (islands->len, ==, 0);
  reference_clear (&ref);
}

static void
test_queen_nc (void)
{
  check_against_poly2nb (TW_WEIGHTS_QUEEN, 1);
  check_against_poly2nb (TW_WEIGHTS_QUEEN, 2);
}

static void
test_rook_nc (void)
{
  check_against_poly2nb (TW_WEIGHTS_ROOK, 2);
}

static void
add_square (TwPolygonSet *set,
            double        x,
            double        y,
            double        side)
{
  double ring[] = { x, y, x + side, y, x + side, y + side, x, y + side, x, y };

  tw_polygon_set_begin_area (set);
  tw_polygon_set_add_ring (set, ring, 5, FALSE);
}

/* A 3 × 3 board of unit squares, the right column shifted by @gap: corners touch diagonally
 * (queen, not rook); a gap below the snap still touches, a larger one does not. */
static void
test_snap_and_corners (void)
{
  struct { double gap; guint centre_queen, centre_rook, corner_queen; } cases[] = {
    { 0, 8, 4, 3 },
    { 1e-9, 8, 4, 3 },      /* digitised a hair apart: still neighbours */
    { 1e-6, 5, 3, 3 },      /* a real gap: the right column is cut off */
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(TwPolygonSet) set = tw_polygon_set_new (FALSE);
      g_autoptr(TwWeights) queen = NULL;
      g_autoptr(TwWeights) rook = NULL;
      guint k;

      for (guint row = 0; row < 3; row++)
        for (guint col = 0; col < 3; col++)
          add_square (set, col + (col == 2 ? cases[c].gap : 0), row, 1);
      queen = tw_weights_new_contiguity (set, TW_WEIGHTS_QUEEN, TW_WEIGHTS_DEFAULT_SNAP, 0, NULL);
      rook = tw_weights_new_contiguity (set, TW_WEIGHTS_ROOK, TW_WEIGHTS_DEFAULT_SNAP, 0, NULL);
      tw_weights_get_neighbours (queen, 4, &k);
      g_assert_cmpuint (k, ==, cases[c].centre_queen);
      tw_weights_get_neighbours (rook, 4, &k);
      g_assert_cmpuint (k, ==, cases[c].centre_rook);
      tw_weights_get_neighbours (queen, 0, &k);
      g_assert_cmpuint (k, ==, cases[c].corner_queen);
    }
}

/* Projected metres far from the origin: cells are sized to the extent, and neighbours hold. */
static void
test_projected_extent (void)
{
  g_autoptr(TwPolygonSet) set = tw_polygon_set_new (FALSE);
  g_autoptr(TwWeights) queen = NULL;
  guint k;

  for (guint row = 0; row < 3; row++)
    for (guint col = 0; col < 3; col++)
      add_square (set, 4.0e6 + col * 1000.0, 2.5e6 + row * 1000.0, 1000);
  add_square (set, -2.0e6, -1.0e6, 1000);   /* far away: a continent's width */
  queen = tw_weights_new_contiguity (set, TW_WEIGHTS_QUEEN, TW_WEIGHTS_DEFAULT_SNAP, 2, NULL);
  tw_weights_get_neighbours (queen, 4, &k);
  g_assert_cmpuint (k, ==, 8);
  tw_weights_get_neighbours (queen, 9, &k);
  g_assert_cmpuint (k, ==, 0);
}

/* A square with a hole holding an enclave: they touch along the hole; a distant square is
 * an island and is reported. */
static void
test_enclave_and_island (void)
{
  g_autoptr(TwPolygonSet) set = tw_polygon_set_new (TRUE);
  double outer[] = { 0, 0, 3, 0, 3, 3, 0, 3, 0, 0 };
  double hole[] = { 1, 1, 1, 2, 2, 2, 2, 1, 1, 1 };
  g_autoptr(TwWeights) w = NULL;
  g_autoptr(GArray) islands = NULL;
  guint min, max;
  double mean;

  tw_polygon_set_begin_area (set);
  tw_polygon_set_add_ring (set, outer, 5, FALSE);
  tw_polygon_set_add_ring (set, hole, 5, TRUE);
  add_square (set, 1, 1, 1);
  add_square (set, 10, 10, 1);
  w = tw_weights_new_contiguity (set, TW_WEIGHTS_ROOK, 0, 1, NULL);
  g_assert_cmpuint (tw_weights_get_neighbours (w, 0, NULL)[0], ==, 1);
  islands = tw_weights_get_islands (w);
  g_assert_cmpuint (islands->len, ==, 1);
  g_assert_cmpuint (g_array_index (islands, guint, 0), ==, 2);
  tw_weights_get_cardinality (w, &min, &max, &mean);
  g_assert_cmpuint (min, ==, 0);
  g_assert_cmpuint (max, ==, 1);
  g_assert_cmpfloat_with_epsilon (mean, 2.0 / 3, 1e-12);
}

/* k nearest neighbours on a row of squares along the equator, spaced unevenly. */
/* Boundary points digitised a hair apart, in clusters (many of them across the places where
 * the implementation's cells of 256 × snap meet), with repeated points and closed and open
 * rings: the neighbours are exactly those of the definition (a pair of points within snap;
 * rook: two such pairs, a repeated point of one area counting once), checked against every
 * pair of points. */
static void
test_near_points_equal_definition (void)
{
  const double snap = TW_WEIGHTS_DEFAULT_SNAP;
  struct { double x, y, step; } places[] = {
    { 12.5, 41.25, 0.999 },
    { -100.0, -33.3, 1.0 },     /* steps of exactly snap: some fall just within, some not */
    { 0.0, 0.0, 0.7 },
  };

  for (guint c = 0; c < G_N_ELEMENTS (places); c++)
    {
      const guint n_clusters = 100, n_areas = 30 * n_clusters, n_points = 8;
      g_autoptr(GRand) rand = g_rand_new_with_seed (20 + c);
      g_autoptr(TwPolygonSet) set = tw_polygon_set_new (TRUE);
      g_autofree double *xy = g_new (double, 2 * n_areas * (n_points + 1));
      g_autofree guint *length = g_new (guint, n_areas);
      g_autofree double *box = g_new (double, 4 * n_areas);
      g_autoptr(TwWeights) queen = NULL;
      g_autoptr(TwWeights) rook = NULL;
      double cell = 256 * snap, ox = 0, oy = 0;
      guint links = 0;

      for (guint a = 0; a < n_areas; a++)
        {
          double *ring = xy + 2 * a * (n_points + 1);
          gint32 cx = g_rand_int_range (rand, -4, 5), cy = g_rand_int_range (rand, -4, 5);

          if (a % 30 == 0)
            {
              /* a cluster on a corner, an edge or anywhere */
              guint where = g_rand_int_range (rand, 0, 4);

              ox = (floor (places[c].x / cell) + g_rand_int_range (rand, 0, 100)) * cell;
              oy = (floor (places[c].y / cell) + g_rand_int_range (rand, 0, 100)) * cell;
              if (where == 2)
                ox += g_rand_double (rand) * cell;
              if (where == 3)
                oy += g_rand_double (rand) * cell;
            }
          for (guint i = 0; i < n_points; i++)
            {
              double jitter = g_rand_int_range (rand, 0, 3) == 0
                              ? g_rand_double_range (rand, -0.3, 0.3) * snap : 0;

              ring[2 * i] = ox + (cx + g_rand_int_range (rand, -2, 3)) * places[c].step * snap
                            + jitter;
              ring[2 * i + 1] = oy + (cy + g_rand_int_range (rand, -2, 3)) * places[c].step * snap;
            }
          length[a] = n_points;
          if (a % 2 == 0)   /* closed */
            {
              ring[2 * n_points] = ring[0];
              ring[2 * n_points + 1] = ring[1];
              length[a]++;
            }
          tw_polygon_set_begin_area (set);
          tw_polygon_set_add_ring (set, ring, length[a], FALSE);
          box[4 * a] = box[4 * a + 2] = ring[0];
          box[4 * a + 1] = box[4 * a + 3] = ring[1];
          for (guint i = 1; i < length[a]; i++)
            {
              box[4 * a] = MIN (box[4 * a], ring[2 * i]);
              box[4 * a + 1] = MIN (box[4 * a + 1], ring[2 * i + 1]);
              box[4 * a + 2] = MAX (box[4 * a + 2], ring[2 * i]);
              box[4 * a + 3] = MAX (box[4 * a + 3], ring[2 * i + 1]);
            }
        }
      queen = tw_weights_new_contiguity (set, TW_WEIGHTS_QUEEN, snap, 2, NULL);
      rook = tw_weights_new_contiguity (set, TW_WEIGHTS_ROOK, snap, 2, NULL);

      for (guint a = 0; a < n_areas; a++)
        {
          guint kq, kr, iq = 0, ir = 0;
          const guint *nq = tw_weights_get_neighbours (queen, a, &kq);
          const guint *nr = tw_weights_get_neighbours (rook, a, &kr);

          for (guint b = 0; b < n_areas; b++)
            {
              const double *p = xy + 2 * a * (n_points + 1), *q = xy + 2 * b * (n_points + 1);
              guint hits = 0;

              if (b == a || box[4 * b] > box[4 * a + 2] + 2 * snap
                  || box[4 * a] > box[4 * b + 2] + 2 * snap
                  || box[4 * b + 1] > box[4 * a + 3] + 2 * snap
                  || box[4 * a + 1] > box[4 * b + 3] + 2 * snap)
                continue;
              for (guint i = 0; i < length[a]; i++)
                {
                  gboolean again = FALSE;

                  for (guint k = 0; k < i && !again; k++)
                    again = p[2 * k] == p[2 * i] && p[2 * k + 1] == p[2 * i + 1];
                  for (guint j = 0; j < length[b] && !again; j++)
                    {
                      double dx = p[2 * i] - q[2 * j], dy = p[2 * i + 1] - q[2 * j + 1];
                      gboolean seen = FALSE;

                      for (guint k = 0; k < j && !seen; k++)
                        seen = q[2 * k] == q[2 * j] && q[2 * k + 1] == q[2 * j + 1];
                      if (!seen && dx * dx + dy * dy <= snap * snap)
                        hits++;
                    }
                }
              if (hits >= 1)
                {
                  g_assert_cmpuint (iq, <, kq);
                  g_assert_cmpuint (nq[iq++], ==, b);
                }
              if (hits >= 2)
                {
                  g_assert_cmpuint (ir, <, kr);
                  g_assert_cmpuint (nr[ir++], ==, b);
                }
            }
          g_assert_cmpuint (iq, ==, kq);
          g_assert_cmpuint (ir, ==, kr);
          links += kq;
        }
      /* dense enough to be worth checking: several neighbours an area */
      g_assert_cmpuint (links, >, 3 * n_areas);
    }
}

static void
test_knn (void)
{
  g_autoptr(TwPolygonSet) set = tw_polygon_set_new (TRUE);
  double xs[] = { 0, 1, 3, 7, 15 };
  g_autoptr(TwWeights) w = NULL;
  g_autoptr(GError) error = NULL;
  guint k;
  const guint *nb;
  double cx, cy;

  for (guint i = 0; i < G_N_ELEMENTS (xs); i++)
    add_square (set, xs[i], -0.5, 1);
  tw_polygon_set_get_centroid (set, 2, &cx, &cy);
  g_assert_cmpfloat_with_epsilon (cx, 3.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (cy, 0, 1e-12);

  w = tw_weights_new_knn (set, 2, &error);
  g_assert_no_error (error);
  nb = tw_weights_get_neighbours (w, 0, &k);
  g_assert_cmpuint (k, ==, 2);
  g_assert_cmpuint (nb[0], ==, 1);
  g_assert_cmpuint (nb[1], ==, 2);
  nb = tw_weights_get_neighbours (w, 4, &k);
  g_assert_cmpuint (nb[0], ==, 2);
  g_assert_cmpuint (nb[1], ==, 3);
  nb = tw_weights_get_neighbours (w, 3, &k);
  g_assert_cmpuint (nb[0], ==, 1);
  g_assert_cmpuint (nb[1], ==, 2);

  g_assert_null (tw_weights_new_knn (set, 5, &error));
  g_assert_error (error, TW_WEIGHTS_ERROR, TW_WEIGHTS_ERROR_INVALID);
}

static void
test_bad_wkb (void)
{
  g_autoptr(TwPolygonSet) set = tw_polygon_set_new (TRUE);
  /* a little-endian Polygon claiming one ring of 1000 points, with none */
  guint8 truncated[] = { 1, 3, 0, 0, 0, 1, 0, 0, 0, 0xe8, 3, 0, 0 };
  guint8 point[] = { 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                     0, 0 };
  g_autoptr(GError) error = NULL;

  g_assert_false (tw_polygon_set_add_wkb (set, truncated, sizeof truncated, &error));
  g_assert_error (error, TW_WEIGHTS_ERROR, TW_WEIGHTS_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tw_polygon_set_add_wkb (set, point, sizeof point, &error));
  g_assert_error (error, TW_WEIGHTS_ERROR, TW_WEIGHTS_ERROR_INVALID);
  g_assert_cmpuint (tw_polygon_set_get_n_areas (set), ==, 0);
  g_assert_cmpuint (tw_polygon_set_get_n_points (set), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/geo/weights/queen-equals-poly2nb", test_queen_nc);
  g_test_add_func ("/geo/weights/rook-equals-poly2nb", test_rook_nc);
  g_test_add_func ("/geo/weights/snap-and-corners", test_snap_and_corners);
  g_test_add_func ("/geo/weights/projected-extent", test_projected_extent);
  g_test_add_func ("/geo/weights/enclave-and-island", test_enclave_and_island);
  g_test_add_func ("/geo/weights/near-points-equal-definition",
                   test_near_points_equal_definition);
  g_test_add_func ("/geo/weights/knn", test_knn);
  g_test_add_func ("/geo/weights/bad-wkb", test_bad_wkb);

  return g_test_run ();
}
