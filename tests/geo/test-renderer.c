/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-renderer"

#include <math.h>

#include "tw-outlines.h"
#include "tw-renderer.h"
#include "tw-test-wkb.h"

/* Four one-degree squares side by side from (−80, 35): areas 0 … 3 west to east. */
static TwGeometrySet *
row_of_squares (void)
{
  TwGeometrySet *set = tw_geometry_set_new ();

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GByteArray) wkb = tw_test_square_wkb (-80.0 + i, 35.0, 1, 9);

      g_assert_true (tw_geometry_set_add_wkb (set, wkb->data, wkb->len, NULL));
    }
  tw_geometry_set_seal (set);
  return set;
}

static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return *(const guint32 *) (data + y * stride + 4 * x);
}

/* The view that shows the four squares in 400 × 100 pixels, 100 pixels a degree. */
static void
squares_view (TwBox *view)
{
  tw_world_from_lonlat (-80, 36, &view->min_x, &view->min_y);
  tw_world_from_lonlat (-76, 35, &view->max_x, &view->max_y);
}

static void
pixel_of_square (guint  area,
                 int   *px,
                 int   *py)
{
  TwBox view;
  double x, y;

  squares_view (&view);
  tw_world_from_lonlat (-80.0 + area + 0.3, 35.5, &x, &y);
  *px = (int) ((x - view.min_x) / (view.max_x - view.min_x) * 400);
  *py = (int) ((y - view.min_y) / (view.max_x - view.min_x) * 400);
}

static cairo_surface_t *
render_squares (TwGeometrySet *set,
                TwMapStyle    *style,
                int           *height)
{
  TwBox view;
  cairo_surface_t *surface;
  cairo_t *cr;

  squares_view (&view);
  *height = (int) ceil (400 * (view.max_y - view.min_y) / (view.max_x - view.min_x));
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, *height);
  cr = cairo_create (surface);
  tw_render_view (set, style, cr, &view, 400, *height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

static void
test_class_colors (void)
{
  g_autoptr(TwGeometrySet) set = row_of_squares ();
  const TwPalette *palette = tw_palette_lookup ("YlOrRd");
  g_autoptr(TwMapStyle) style = tw_map_style_new (4, palette, 5);
  cairo_surface_t *surface;
  int height, x, y;

  tw_map_style_set_area (style, 0, 0);
  tw_map_style_set_area (style, 1, 4);
  tw_map_style_set_area (style, 2, TW_AREA_NO_DATA);
  tw_map_style_set_area (style, 3, TW_AREA_HIDDEN);
  surface = render_squares (set, style, &height);

  pixel_of_square (0, &x, &y);
  g_assert_cmphex (pixel_at (surface, x, y), ==, 0xff000000 | tw_palette_get_color (palette, 5, 0));
  pixel_of_square (1, &x, &y);
  g_assert_cmphex (pixel_at (surface, x, y), ==, 0xff000000 | tw_palette_get_color (palette, 5, 4));
  pixel_of_square (2, &x, &y);
  g_assert_cmphex (pixel_at (surface, x, y), ==,
                   0xff000000 | tw_palette_fixed_color (TW_COLOR_NO_DATA));
  pixel_of_square (3, &x, &y);
  g_assert_cmphex (pixel_at (surface, x, y), ==, 0);  /* hidden: transparent */
  cairo_surface_destroy (surface);
}

static void
test_suppressed_is_hatched (void)
{
  g_autoptr(TwGeometrySet) set = row_of_squares ();
  g_autoptr(TwMapStyle) style = tw_map_style_new (4, tw_palette_lookup ("Blues"), 5);
  guint32 hatch = 0xff000000 | tw_palette_fixed_color (TW_COLOR_SUPPRESSED_HATCH);
  guint32 fill = 0xff000000 | tw_palette_fixed_color (TW_COLOR_SUPPRESSED_FILL);
  cairo_surface_t *surface;
  int height, x0, y0, n_hatch = 0, n_fill = 0;

  for (guint i = 0; i < 4; i++)
    tw_map_style_set_area (style, i, TW_AREA_SUPPRESSED);
  surface = render_squares (set, style, &height);

  /* A 20 × 20 block inside the first square holds both the hatch and its background. */
  pixel_of_square (0, &x0, &y0);
  for (int y = y0 - 10; y < y0 + 10; y++)
    for (int x = x0 - 10; x < x0 + 10; x++)
      {
        guint32 p = pixel_at (surface, x, y);
        int dh = abs ((int) (p & 0xff) - (int) (hatch & 0xff));

        n_hatch += dh < 40;
        n_fill += p == fill;
      }
  g_assert_cmpint (n_hatch, >, 20);
  g_assert_cmpint (n_fill, >, 100);
  cairo_surface_destroy (surface);
}

static void
test_tile_grid (void)
{
  g_autoptr(TwGeometrySet) set = row_of_squares ();
  g_autoptr(TwMapStyle) style = tw_map_style_new (4, tw_palette_lookup ("YlOrRd"), 3);
  cairo_surface_t *tile;
  TwBox box;
  double x, y;
  int tx, ty, z = 6;

  for (guint i = 0; i < 4; i++)
    tw_map_style_set_area (style, i, 2);

  /* The tile holding (−79.5, 35.5) at zoom 6 has the class colour at that point. */
  tw_world_from_lonlat (-79.5, 35.5, &x, &y);
  tx = (int) (x * 64);
  ty = (int) (y * 64);
  tw_tile_box (z, tx, ty, &box);
  g_assert_cmpfloat (box.max_x - box.min_x, ==, 1.0 / 64);
  tile = tw_render_tile (set, style, z, tx, ty, 256);
  g_assert_cmphex (pixel_at (tile, (int) ((x - box.min_x) * 64 * 256),
                             (int) ((y - box.min_y) * 64 * 256)),
                   ==, 0xff000000 | tw_palette_get_color (tw_palette_lookup ("YlOrRd"), 3, 2));
  cairo_surface_destroy (tile);

  /* A tile far from the data is empty. */
  tile = tw_render_tile (set, style, z, 2, 2, 256);
  for (int i = 0; i < 256; i += 17)
    g_assert_cmphex (pixel_at (tile, i, i), ==, 0);
  cairo_surface_destroy (tile);
}

static guint64
n_segments (TwLineSet *lines)
{
  return tw_line_set_get_n_points (lines) - tw_line_set_get_n_lines (lines);
}

static void
test_outlines_between_groups (void)
{
  g_autoptr(TwGeometrySet) set = row_of_squares ();
  const guint32 groups[] = { 7, 7, 9, 9 };
  g_autoptr(TwLineSet) region = tw_outlines_build (set, NULL, NULL);
  g_autoptr(TwLineSet) counties = tw_outlines_build (set, groups, NULL);
  g_autoptr(TwMapStyle) style = tw_map_style_new (4, tw_palette_lookup ("Greys"), 3);
  cairo_surface_t *surface;
  cairo_t *cr;
  TwBox view;
  int height, x, y;

  /* Each side has 10 segments. The region's outline is its outer edge, 10 sides; splitting
   * it into two groups adds the side between squares 1 and 2, and nothing else. */
  g_assert_cmpuint (n_segments (region), ==, 100);
  g_assert_cmpuint (n_segments (counties), ==, 110);

  /* Drawn, the group boundary is where the line between squares 1 and 2 is. */
  surface = render_squares (set, style, &height);
  cr = cairo_create (surface);
  squares_view (&view);
  cairo_set_source_rgb (cr, 1, 0, 0);
  cairo_set_line_width (cr, 3);
  tw_line_set_draw (counties, cr, &view, 400, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  pixel_of_square (2, &x, &y);
  g_assert_cmphex (pixel_at (surface, 200, y), ==, 0xffff0000);  /* on the boundary */
  g_assert_cmphex (pixel_at (surface, 100, y), !=, 0xffff0000);  /* inside group 7 */
  cairo_surface_destroy (surface);
}

/* Areas far smaller than a pixel show as the pixel holding their centre: two of one class in
 * one pixel fill it (they do not cancel out), and of two classes in one pixel, the class
 * drawn last (the higher) shows; a pixel none falls in stays empty. */
static void
test_tiny_areas (void)
{
  g_autoptr(TwGeometrySet) set = tw_geometry_set_new ();
  g_autoptr(TwMapStyle) style = NULL;
  const TwPalette *palette = tw_palette_get_default (TW_PALETTE_SEQUENTIAL);
  /* a 10 × 10 pixel view (few pixels an area: no outlines), a pixel ~0.001° wide */
  double lon0 = -80.0, lat0 = 35.0, side = 0.010, tiny = 0.0001;
  /* two in class 1 in one pixel; classes 3 and 0 in another (rows are 1.2 times as many
   * as degrees at this latitude) */
  struct { double px, py; guint8 kind; } areas[] = {
    { 2.2, 2.2, 1 }, { 2.6, 2.4, 1 }, { 6.3, 6.5, 3 }, { 6.6, 6.2, 0 },
  };
  cairo_surface_t *surface;
  cairo_t *cr;
  TwBox view;
  double x, y;

  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    {
      double lon = lon0 + areas[i].px / 10 * side, lat = lat0 + side - areas[i].py / 10 * side;
      double ring[] = { lon, lat, lon + tiny, lat, lon + tiny, lat + tiny, lon, lat + tiny };
      g_autoptr(GByteArray) wkb = tw_test_polygon_wkb (ring, 4);

      g_assert_true (tw_geometry_set_add_wkb (set, wkb->data, wkb->len, NULL));
    }
  tw_geometry_set_seal (set);
  style = tw_map_style_new (G_N_ELEMENTS (areas), palette, 5);
  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    tw_map_style_set_area (style, i, areas[i].kind);

  tw_world_from_lonlat (lon0, lat0 + side, &view.min_x, &view.min_y);
  tw_world_from_lonlat (lon0 + side, lat0, &view.max_x, &view.max_y);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 10, 10);
  cr = cairo_create (surface);
  /* the view is square in degrees, not quite in Mercator: fit the width */
  tw_render_view (set, style, cr, &view, 10,
                  10 * (view.max_y - view.min_y) / (view.max_x - view.min_x));
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  for (guint i = 0; i < G_N_ELEMENTS (areas); i += 2)
    {
      double lon = lon0 + areas[i].px / 10 * side + tiny / 2;
      double lat = lat0 + side - areas[i].py / 10 * side + tiny / 2;
      guint8 shown = MAX (areas[i].kind, areas[i + 1].kind);

      tw_world_from_lonlat (lon, lat, &x, &y);
      x = (x - view.min_x) / (view.max_x - view.min_x) * 10;
      y = (y - view.min_y) / (view.max_x - view.min_x) * 10;
      g_assert_cmphex (pixel_at (surface, (int) x, (int) y), ==,
                       0xff000000 | tw_palette_get_color (palette, 5, shown));
    }
  g_assert_cmphex (pixel_at (surface, 8, 8), ==, 0);
  cairo_surface_destroy (surface);
}

/* Two areas of one class that meet along a wiggly edge (finer than a pixel at the coarse
 * zooms, so each is simplified on its own): wherever the pair covers a pixel whole, the tile
 * shows the class colour, opaque, with no seam of background along the edge. Many specks
 * around them keep the tiles as crowded as the nation's, where no outlines are drawn. */
static void
test_no_seam_between_neighbours (void)
{
  g_autoptr(TwGeometrySet) set = tw_geometry_set_new ();
  const TwPalette *palette = tw_palette_lookup ("Blues");
  g_autoptr(TwMapStyle) style = NULL;
  guint32 fill = tw_palette_get_color (palette, 5, 2);
  guint n_areas = 2;
  enum { N_EDGE = 801 };
  double west[2 * (N_EDGE + 2)], east[2 * (N_EDGE + 2)];
  int worst = 0, n_checked = 0;

  /* the shared edge runs south to north near −79.5°, zigzagging 0.01° either way */
  for (guint i = 0; i < N_EDGE; i++)
    {
      double lat = 35.0 + (double) i / (N_EDGE - 1);
      double lon = -79.5 + 0.01 * sin (i * 1.7) + (i % 2 ? 0.004 : -0.004);

      west[2 * i] = lon;
      west[2 * i + 1] = lat;
      east[2 * (N_EDGE - 1 - i)] = lon;
      east[2 * (N_EDGE - 1 - i) + 1] = lat;
    }
  west[2 * N_EDGE] = -80.0, west[2 * N_EDGE + 1] = 36.0;
  west[2 * N_EDGE + 2] = -80.0, west[2 * N_EDGE + 3] = 35.0;
  east[2 * N_EDGE] = -79.0, east[2 * N_EDGE + 1] = 35.0;
  east[2 * N_EDGE + 2] = -79.0, east[2 * N_EDGE + 3] = 36.0;
  for (guint k = 0; k < 2; k++)
    {
      g_autoptr(GByteArray) wkb = tw_test_polygon_wkb (k == 0 ? west : east, N_EDGE + 2);

      g_assert_true (tw_geometry_set_add_wkb (set, wkb->data, wkb->len, NULL));
    }
  for (double lon = -81.0; lon < -78.0; lon += 0.01)
    for (double lat = 34.0; lat < 37.0; lat += 0.01)
      if (lon < -80.05 || lon > -78.95 || lat < 34.95 || lat > 36.05)
        {
          double speck[] = { lon, lat, lon + 0.002, lat, lon + 0.002, lat + 0.002,
                             lon, lat + 0.002 };
          g_autoptr(GByteArray) wkb = tw_test_polygon_wkb (speck, 4);

          g_assert_true (tw_geometry_set_add_wkb (set, wkb->data, wkb->len, NULL));
          n_areas++;
        }
  tw_geometry_set_seal (set);
  style = tw_map_style_new (n_areas, palette, 5);
  for (guint i = 0; i < n_areas; i++)
    tw_map_style_set_area (style, i, i < 2 ? 2 : 4);

  /* the tiles over the edge at zooms where the zigzag is a third of a pixel to five */
  for (int z = 5; z <= 8; z++)
    for (int step = 0; step < 8; step++)
      {
        double lat = 35.1 + 0.8 * step / 7, x, y, west_x, north_y, east_x, south_y;
        int side = 1 << z, tx, ty;
        cairo_surface_t *tile;
        TwBox box;

        tw_world_from_lonlat (-79.5, lat, &x, &y);
        tx = (int) (x * side);
        ty = (int) (y * side);
        tw_tile_box (z, tx, ty, &box);
        tw_world_from_lonlat (-80.0, 36.0, &west_x, &north_y);
        tw_world_from_lonlat (-79.0, 35.0, &east_x, &south_y);
        tile = tw_render_tile (set, style, z, tx, ty, 256);
        for (int py = 0; py < 256; py++)
          for (int px = 0; px < 256; px++)
            {
              /* pixels whose every point is inside the pair: a pixel's margin from its outline */
              double wx = box.min_x + (px + 0.5) / (256.0 * side);
              double wy = box.min_y + (py + 0.5) / (256.0 * side);
              double pixel = 1.0 / (256.0 * side);
              guint32 p;

              if (wx - pixel < west_x || wx + pixel > east_x
                  || wy - pixel < north_y || wy + pixel > south_y)
                continue;
              p = pixel_at (tile, px, py);
              g_assert_cmphex (p >> 24, ==, 0xff);
              for (int c = 0; c < 24; c += 8)
                worst = MAX (worst, abs ((int) ((p >> c) & 0xff) - (int) ((fill >> c) & 0xff)));
              n_checked++;
            }
        cairo_surface_destroy (tile);
      }
  g_assert_cmpint (n_checked, >, 50000);
  g_assert_cmpint (worst, <=, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/geo/renderer/class-colors", test_class_colors);
  g_test_add_func ("/geo/renderer/suppressed-is-hatched", test_suppressed_is_hatched);
  g_test_add_func ("/geo/renderer/tile-grid", test_tile_grid);
  g_test_add_func ("/geo/renderer/tiny-areas", test_tiny_areas);
  g_test_add_func ("/geo/renderer/outlines-between-groups", test_outlines_between_groups);
  g_test_add_func ("/geo/renderer/no-seam-between-neighbours", test_no_seam_between_neighbours);

  return g_test_run ();
}
