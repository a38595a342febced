/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-renderer"

#include <math.h>
#include <string.h>

#include "tw-renderer.h"

/* Buckets of areas drawn with one fill each: the classes, then no data, then suppressed. */
#define MAX_BUCKETS (TW_PALETTE_MAX_CLASSES + 2)
#define BUCKET_NO_DATA (TW_PALETTE_MAX_CLASSES)
#define BUCKET_SUPPRESSED (TW_PALETTE_MAX_CLASSES + 1)

/* Outlines are drawn once areas are this many pixels across on average. */
#define OUTLINE_MIN_PIXELS 6.0
/* Below this many pixels an area on average, fills are antialiased the quick way. */
#define FAST_BELOW_PIXELS 64.0
/* Spacing of the hatch lines over suppressed areas, in pixels. */
#define HATCH_SPACING 6

struct _TwMapStyle
{
  gatomicrefcount  ref_count;
  guint8          *kinds;
  guint            n_areas;
  const TwPalette *palette;
  guint32         *colors;     /* n_classes, instead of the palette's; may be NULL */
  guint            n_classes;
  double           opacity;
};

TwMapStyle *
tw_map_style_new (guint            n_areas,
                  const TwPalette *palette,
                  guint            n_classes)
{
  TwMapStyle *self;

  g_return_val_if_fail (palette != NULL, NULL);
  g_return_val_if_fail (n_classes >= 1 && n_classes <= TW_PALETTE_MAX_CLASSES, NULL);

  self = g_new0 (TwMapStyle, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->kinds = g_malloc (MAX (n_areas, 1));
  memset (self->kinds, TW_AREA_NO_DATA, n_areas);
  self->n_areas = n_areas;
  self->palette = palette;
  self->n_classes = n_classes;
  self->opacity = 1.0;
  return self;
}

TwMapStyle *
tw_map_style_new_with_colors (guint          n_areas,
                              const guint32 *colors,
                              guint          n_colors)
{
  TwMapStyle *self;

  g_return_val_if_fail (colors != NULL, NULL);
  g_return_val_if_fail (n_colors >= 1 && n_colors <= TW_PALETTE_MAX_CLASSES, NULL);

  self = tw_map_style_new (n_areas, tw_palette_get_default (TW_PALETTE_SEQUENTIAL), n_colors);
  self->palette = NULL;
  self->colors = g_memdup2 (colors, n_colors * sizeof (guint32));
  return self;
}

TwMapStyle *
tw_map_style_ref (TwMapStyle *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tw_map_style_unref (TwMapStyle *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->kinds);
  g_free (self->colors);
  g_free (self);
}

void
tw_map_style_set_area (TwMapStyle *self,
                       guint       area,
                       guint8      kind)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (area < self->n_areas);
  g_return_if_fail (kind < self->n_classes || kind >= TW_AREA_SUPPRESSED);

  self->kinds[area] = kind;
}

guint8
tw_map_style_get_area (TwMapStyle *self,
                       guint       area)
{
  g_return_val_if_fail (self != NULL, TW_AREA_HIDDEN);
  g_return_val_if_fail (area < self->n_areas, TW_AREA_HIDDEN);
  return self->kinds[area];
}

guint
tw_map_style_get_n_areas (TwMapStyle *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_areas;
}

guint
tw_map_style_get_n_classes (TwMapStyle *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_classes;
}

const TwPalette *
tw_map_style_get_palette (TwMapStyle *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->palette;
}

void
tw_map_style_set_opacity (TwMapStyle *self,
                          double      opacity)
{
  g_return_if_fail (self != NULL);
  self->opacity = CLAMP (opacity, 0.0, 1.0);
}

guint32
tw_map_style_get_fill (TwMapStyle *self,
                       guint8      kind)
{
  g_return_val_if_fail (self != NULL, 0);

  if (kind == TW_AREA_NO_DATA)
    return tw_palette_fixed_color (TW_COLOR_NO_DATA);
  if (kind == TW_AREA_SUPPRESSED)
    return tw_palette_fixed_color (TW_COLOR_SUPPRESSED_FILL);
  if (self->colors != NULL)
    return self->colors[MIN (kind, self->n_classes - 1)];
  return tw_palette_get_color (self->palette, self->n_classes, MIN (kind, self->n_classes - 1));
}

void
tw_tile_box (int    z,
             int    x,
             int    y,
             TwBox *box)
{
  double n = ldexp (1.0, z);

  box->min_x = x / n;
  box->max_x = (x + 1) / n;
  box->min_y = y / n;
  box->max_y = (y + 1) / n;
}

typedef struct
{
  double min_x, min_y, scale;
  double tolerance;
  /* On a vector surface, points are put on a grid of 1/8 of a device unit (a point in a PDF):
   * the file writes shorter numbers, which it then compresses faster. Device x is
   * dev_scale_x · x + dev_x (likewise y); no grid when dev_scale_x is 0. */
  double dev_scale_x, dev_x, dev_scale_y, dev_y;
} Transform;

#define GRID 8.0

static inline double
on_grid (double v,
         double scale,
         double offset)
{
  return scale != 0 ? (round ((scale * v + offset) * GRID) / GRID - offset) / scale : v;
}

static inline void
path_point (cairo_t         *cr,
            const Transform *t,
            double           x,
            double           y,
            gboolean         move)
{
  x = on_grid (x, t->dev_scale_x, t->dev_x);
  y = on_grid (y, t->dev_scale_y, t->dev_y);
  if (move)
    cairo_move_to (cr, x, y);
  else
    cairo_line_to (cr, x, y);
}

/* Areas smaller than a pixel each way are drawn as the one pixel holding their centre: a
 * pixel that several such areas fall in takes the colour of the last bucket drawn, and a
 * bucket's pixels are filled as runs along the rows (one rectangle for many areas). */
typedef struct
{
  int     width, height;
  guint8 *owner;    /* bucket + 1 of each pixel, 0: none; NULL until a tiny area comes */
  int     min_x, min_y, max_x, max_y;   /* the box of the pixels taken */
} PixelAreas;

typedef struct
{
  TwMapStyle     *style;
  TwGeometrySet  *geometry;
  const Transform *t;
  GArray         *buckets[MAX_BUCKETS];  /* guint area indices, drawn as outlines */
  PixelAreas      pixels;
  GArray         *tiny;                  /* guint area indices, drawn as pixels */
  guint           tiny_buckets;          /* a bit for each bucket holding some */
  guint           n_visible;
} Collect;

static gboolean
collect_area (guint    area,
              gpointer user_data)
{
  Collect *collect = user_data;
  guint8 kind;
  guint bucket;

  if (area >= collect->style->n_areas)
    return TRUE;
  kind = collect->style->kinds[area];
  if (kind == TW_AREA_HIDDEN)
    return TRUE;
  if (kind == TW_AREA_NO_DATA)
    bucket = BUCKET_NO_DATA;
  else if (kind == TW_AREA_SUPPRESSED)
    bucket = BUCKET_SUPPRESSED;
  else
    bucket = kind;
  collect->n_visible++;
  if (collect->pixels.width > 0)
    {
      const Transform *t = collect->t;
      TwBox box;

      tw_geometry_set_get_area_box (collect->geometry, area, &box);
      if ((box.max_x - box.min_x) * t->scale < 1.0 && (box.max_y - box.min_y) * t->scale < 1.0)
        {
          double cx = floor (((box.min_x + box.max_x) / 2 - t->min_x) * t->scale);
          double cy = floor (((box.min_y + box.max_y) / 2 - t->min_y) * t->scale);
          PixelAreas *pixels = &collect->pixels;

          /* outside the view it would be clipped away whole */
          if (cx >= 0 && cy >= 0 && cx < pixels->width && cy < pixels->height)
            {
              guint8 *owner;

              if (pixels->owner == NULL)
                {
                  pixels->owner = g_malloc0 ((gsize) pixels->width * pixels->height);
                  pixels->min_x = pixels->max_x = (int) cx;
                  pixels->min_y = pixels->max_y = (int) cy;
                }
              pixels->min_x = MIN (pixels->min_x, (int) cx);
              pixels->max_x = MAX (pixels->max_x, (int) cx);
              pixels->min_y = MIN (pixels->min_y, (int) cy);
              pixels->max_y = MAX (pixels->max_y, (int) cy);
              owner = &pixels->owner[(gsize) cy * pixels->width + (gsize) cx];
              *owner = MAX (*owner, bucket + 1);
              collect->tiny_buckets |= 1u << bucket;
            }
          g_array_append_val (collect->tiny, area);
          return TRUE;
        }
    }
  g_array_append_val (collect->buckets[bucket], area);
  return TRUE;
}

/* Adds the pixels of @bucket to the current path, a rectangle for each run along a row. */
static void
add_pixel_runs (cairo_t          *cr,
                const PixelAreas *pixels,
                const Transform  *t,
                guint             bucket)
{
  guint8 mark = bucket + 1;

  for (int y = pixels->min_y; y <= pixels->max_y; y++)
    {
      const guint8 *row = pixels->owner + (gsize) y * pixels->width;

      for (int x = pixels->min_x; x <= pixels->max_x;)
        {
          int end;

          if (row[x] != mark)
            {
              x++;
              continue;
            }
          for (end = x + 1; end <= pixels->max_x && row[end] == mark; end++)
            ;
          path_point (cr, t, x, y, TRUE);
          path_point (cr, t, end, y, FALSE);
          path_point (cr, t, end, y + 1, FALSE);
          path_point (cr, t, x, y + 1, FALSE);
          cairo_close_path (cr);
          x = end;
        }
    }
}

/* Adds the outline of @area to the current path, in pixels; an area smaller than a pixel
 * becomes a one-pixel square so that it still shows. */
static void
add_area_path (cairo_t         *cr,
               TwGeometrySet   *geometry,
               guint            area,
               const Transform *t)
{
  TwBox box;
  guint n_rings;
  double tolerance;

  tw_geometry_set_get_area_box (geometry, area, &box);
  if ((box.max_x - box.min_x) * t->scale < 1.0 && (box.max_y - box.min_y) * t->scale < 1.0)
    {
      double cx = ((box.min_x + box.max_x) / 2 - t->min_x) * t->scale;
      double cy = ((box.min_y + box.max_y) / 2 - t->min_y) * t->scale;

      path_point (cr, t, floor (cx), floor (cy), TRUE);
      path_point (cr, t, floor (cx) + 1, floor (cy), FALSE);
      path_point (cr, t, floor (cx) + 1, floor (cy) + 1, FALSE);
      path_point (cr, t, floor (cx), floor (cy) + 1, FALSE);
      cairo_close_path (cr);
      return;
    }

  /* A sliver a pixel or more long can lose every ring to the simplified level (a ring
   * needs three points): draw it from its full outline rather than leave a hole. */
  tolerance = t->tolerance;
  n_rings = tw_geometry_set_get_n_rings (geometry, area, tolerance);
  if (n_rings == 0)
    {
      tolerance = 0.0;
      n_rings = tw_geometry_set_get_n_rings (geometry, area, tolerance);
    }
  for (guint r = 0; r < n_rings; r++)
    {
      guint n;
      const float *p = tw_geometry_set_get_ring (geometry, area, tolerance, r, &n);
      double last_x, last_y;

      last_x = (p[0] - t->min_x) * t->scale;
      last_y = (p[1] - t->min_y) * t->scale;
      path_point (cr, t, last_x, last_y, TRUE);
      for (guint i = 1; i < n; i++)
        {
          double px = (p[2 * i] - t->min_x) * t->scale;
          double py = (p[2 * i + 1] - t->min_y) * t->scale;

          /* Points closer than a quarter pixel add work and nothing visible. */
          if (fabs (px - last_x) < 0.25 && fabs (py - last_y) < 0.25)
            continue;
          path_point (cr, t, px, py, FALSE);
          last_x = px;
          last_y = py;
        }
      cairo_close_path (cr);
    }
}

static void
set_source_color (cairo_t *cr,
                  guint32  color,
                  double   alpha)
{
  cairo_set_source_rgba (cr,
                         ((color >> 16) & 0xff) / 255.0,
                         ((color >> 8) & 0xff) / 255.0,
                         (color & 0xff) / 255.0,
                         alpha);
}

/* Diagonal hatching anchored to the world, so it continues from tile to tile. */
static cairo_pattern_t *
create_hatch (const Transform *t,
              double           alpha)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                         HATCH_SPACING, HATCH_SPACING);
  cairo_t *cr = cairo_create (surface);
  cairo_pattern_t *pattern;
  cairo_matrix_t matrix;

  set_source_color (cr, tw_palette_fixed_color (TW_COLOR_SUPPRESSED_HATCH), alpha);
  cairo_set_line_width (cr, 1.2);
  cairo_move_to (cr, -1, HATCH_SPACING + 1);
  cairo_line_to (cr, HATCH_SPACING + 1, -1);
  cairo_move_to (cr, -1, 1);
  cairo_line_to (cr, 1, -1);
  cairo_move_to (cr, HATCH_SPACING - 1, HATCH_SPACING + 1);
  cairo_line_to (cr, HATCH_SPACING + 1, HATCH_SPACING - 1);
  cairo_stroke (cr);
  cairo_destroy (cr);

  pattern = cairo_pattern_create_for_surface (surface);
  cairo_surface_destroy (surface);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_REPEAT);
  cairo_matrix_init_translate (&matrix,
                               fmod (t->min_x * t->scale, HATCH_SPACING),
                               fmod (t->min_y * t->scale, HATCH_SPACING));
  cairo_pattern_set_matrix (pattern, &matrix);
  return pattern;
}

/* Fills the current path with @color, then @hatch over it (may be NULL), and clears it. */
static void
fill_path (cairo_t         *cr,
           guint32          color,
           cairo_pattern_t *hatch)
{
  set_source_color (cr, color, 1.0);
  cairo_fill_preserve (cr);
  if (hatch != NULL)
    {
      cairo_set_source (cr, hatch);
      cairo_fill_preserve (cr);
    }
  cairo_new_path (cr);
}

void
tw_render_area_path (cairo_t       *cr,
                     TwGeometrySet *geometry,
                     guint          area,
                     double         origin_x,
                     double         origin_y,
                     double         scale)
{
  double tolerance = 0.5 / scale;
  guint n_rings = tw_geometry_set_get_n_rings (geometry, area, tolerance);

  for (guint r = 0; r < n_rings; r++)
    {
      guint n;
      const float *p = tw_geometry_set_get_ring (geometry, area, tolerance, r, &n);

      if (n == 0)
        continue;
      cairo_move_to (cr, (p[0] - origin_x) * scale, (p[1] - origin_y) * scale);
      for (guint i = 1; i < n; i++)
        cairo_line_to (cr, (p[2 * i] - origin_x) * scale, (p[2 * i + 1] - origin_y) * scale);
      cairo_close_path (cr);
    }
}

void
tw_render_view (TwGeometrySet *geometry,
                TwMapStyle    *style,
                cairo_t       *cr,
                const TwBox   *view,
                double         width,
                double         height)
{
  Collect collect = { style, geometry };
  cairo_antialias_t smooth;
  Transform t;
  TwBox query;
  double margin;

  g_return_if_fail (geometry != NULL);
  g_return_if_fail (style != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (view->max_x > view->min_x && width > 0 && height > 0);

  t.min_x = view->min_x;
  t.min_y = view->min_y;
  t.scale = width / (view->max_x - view->min_x);
  t.tolerance = 0.5 / t.scale;
  t.dev_scale_x = t.dev_scale_y = t.dev_x = t.dev_y = 0;
  switch (cairo_surface_get_type (cairo_get_target (cr)))
    {
    case CAIRO_SURFACE_TYPE_PDF:
    case CAIRO_SURFACE_TYPE_PS:
    case CAIRO_SURFACE_TYPE_SVG:
      {
        cairo_matrix_t m;

        cairo_get_matrix (cr, &m);
        if (m.xy == 0 && m.yx == 0)
          {
            t.dev_scale_x = m.xx;
            t.dev_x = m.x0;
            t.dev_scale_y = m.yy;
            t.dev_y = m.y0;
          }
      }
      break;
    default:
      break;
    }

  margin = 2.0 / t.scale;
  query.min_x = view->min_x - margin;
  query.min_y = view->min_y - margin;
  query.max_x = view->max_x + margin;
  query.max_y = view->max_y + margin;

  for (guint b = 0; b < MAX_BUCKETS; b++)
    collect.buckets[b] = g_array_new (FALSE, FALSE, sizeof (guint));
  collect.t = &t;
  collect.tiny = g_array_new (FALSE, FALSE, sizeof (guint));
  /* (beyond a quarter gigapixel, tiny areas are drawn one by one like the others) */
  if (ceil (width) * ceil (height) <= (double) (1 << 28))
    {
      collect.pixels.width = (int) ceil (width);
      collect.pixels.height = (int) ceil (height);
    }
  tw_geometry_set_query (geometry, &query, collect_area, &collect);

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  /* Areas are drawn twice below: blend the whole once when the fill is translucent. */
  if (style->opacity < 1.0)
    cairo_push_group (cr);

  /* A crisp underlay of every area in its own colour, then the antialiased fill over it:
   * an edge pixel then blends two neighbours' colours, never the map's background, so no
   * seam shows between areas. (A hairline stroke of each fill did the same at three to
   * four times the cost: stroking is the dearest thing cairo does here.) Areas drawn as
   * whole pixels need no underlay. */
  /* Where areas are a few pixels each (the nation at zoom 4 puts 20,000 in a tile), cairo's
   * quicker antialiasing looks the same and halves the time of the slowest tiles. */
  smooth = collect.n_visible > 0 && width * height / collect.n_visible < FAST_BELOW_PIXELS
           ? CAIRO_ANTIALIAS_FAST : CAIRO_ANTIALIAS_DEFAULT;

  for (int pass = 0; pass < 2; pass++)
    {
      /* Rings are simplified one by one, so neighbours' shared edges part by up to the
       * tolerance: the underlay takes a finer level, which leaves almost no pixel centre
       * in such a gap, for little more work. */
      Transform level = t;

      if (pass == 0)
        level.tolerance = t.tolerance / 4;
      cairo_set_antialias (cr, pass == 0 ? CAIRO_ANTIALIAS_NONE : smooth);
      for (guint b = 0; b < MAX_BUCKETS; b++)
        {
          GArray *areas = collect.buckets[b];
          cairo_pattern_t *hatch;
          gboolean pixels = pass == 1 && (collect.tiny_buckets & (1u << b)) != 0;
          guint8 kind = b == BUCKET_NO_DATA ? TW_AREA_NO_DATA
                        : b == BUCKET_SUPPRESSED ? TW_AREA_SUPPRESSED : (guint8) b;

          if (areas->len == 0 && !pixels)
            continue;

          hatch = pass == 1 && b == BUCKET_SUPPRESSED ? create_hatch (&t, 1.0) : NULL;
          if (areas->len > 0)
            {
              cairo_new_path (cr);
              for (guint i = 0; i < areas->len; i++)
                add_area_path (cr, geometry, g_array_index (areas, guint, i), &level);
              fill_path (cr, tw_map_style_get_fill (style, kind), hatch);
            }
          if (pixels)
            {
              /* rectangles of one bucket add up, never cancel */
              cairo_set_fill_rule (cr, CAIRO_FILL_RULE_WINDING);
              add_pixel_runs (cr, &collect.pixels, &t, b);
              fill_path (cr, tw_map_style_get_fill (style, kind), hatch);
              cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
            }
          if (hatch != NULL)
            cairo_pattern_destroy (hatch);
          cairo_new_path (cr);
        }
    }

  if (style->opacity < 1.0)
    {
      cairo_pop_group_to_source (cr);
      cairo_paint_with_alpha (cr, style->opacity);
    }

  /* Outlines, once areas are large enough for them to help rather than darken the map. */
  if (collect.n_visible > 0)
    {
      double view_pixels = width * height;
      double mean_pixels = view_pixels / collect.n_visible;

      if (mean_pixels >= OUTLINE_MIN_PIXELS * OUTLINE_MIN_PIXELS)
        {
          cairo_new_path (cr);
          for (guint b = 0; b < MAX_BUCKETS; b++)
            for (guint i = 0; i < collect.buckets[b]->len; i++)
              add_area_path (cr, geometry, g_array_index (collect.buckets[b], guint, i), &t);
          for (guint i = 0; i < collect.tiny->len; i++)
            add_area_path (cr, geometry, g_array_index (collect.tiny, guint, i), &t);
          set_source_color (cr, tw_palette_fixed_color (TW_COLOR_AREA_OUTLINE), 0.8);
          cairo_set_line_width (cr, mean_pixels > 2500 ? 1.0 : 0.6);
          cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
          cairo_stroke (cr);
        }
    }

  cairo_restore (cr);
  for (guint b = 0; b < MAX_BUCKETS; b++)
    g_array_unref (collect.buckets[b]);
  g_array_unref (collect.tiny);
  g_free (collect.pixels.owner);
}

cairo_surface_t *
tw_render_tile (TwGeometrySet *geometry,
                TwMapStyle    *style,
                int            z,
                int            x,
                int            y,
                int            size)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  TwBox box;

  g_return_val_if_fail (geometry != NULL, NULL);
  g_return_val_if_fail (style != NULL, NULL);
  g_return_val_if_fail (size > 0, NULL);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cr = cairo_create (surface);
  tw_tile_box (z, x, y, &box);
  tw_render_view (geometry, style, cr, &box, size, size);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}
