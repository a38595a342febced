/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-renderer"

#include <math.h>
#include <string.h>

#include "tw-renderer.h"

/* Buckets of areas drawn with one fill and hatch each: the classes, no data, suppressed,
 * then the classes hatched as unreliable and as revealed. A pixel several tiny areas share
 * takes the highest bucket's: a hatch wins over a plain class. */
#define N_CLASSES TW_PALETTE_MAX_CLASSES
#define BUCKET_NO_DATA (N_CLASSES)
#define BUCKET_SUPPRESSED (N_CLASSES + 1)
#define BUCKET_UNRELIABLE(class) (N_CLASSES + 2 + (class))
#define BUCKET_REVEALED(class) (2 * N_CLASSES + 2 + (class))
#define MAX_BUCKETS (3 * N_CLASSES + 2)

/* Outlines are drawn once areas are this many pixels across on average. */
#define OUTLINE_MIN_PIXELS 6.0
/* Below this many pixels an area on average, fills are antialiased the quick way. */
#define FAST_BELOW_PIXELS 64.0
/* Views of up to this many pixels on an image are filled by the renderer itself (it keeps
 * 22 bytes a pixel). */
#define RASTER_MAX_PIXELS (4096.0 * 4096.0)
/* The side of each hatch's repeating tile, in pixels (the spacing of its lines or dots). */
#define HATCH_MAX_SIZE 10
static const int hatch_size[TW_N_HATCHES] = {
  [TW_HATCH_NONE] = 1,
  [TW_HATCH_SUPPRESSED] = 6,
  [TW_HATCH_UNRELIABLE] = 10,
  [TW_HATCH_REVEALED] = 6,
};

/* The colours of a fill under a hatch, one tile of it, repeating over the world. */
typedef struct
{
  int   size;
  float colors[HATCH_MAX_SIZE * HATCH_MAX_SIZE][3];
} HatchColors;

/* A common multiple of the hatches' sizes: world pixels are taken modulo it. */
#define HATCH_PERIOD 30

struct _TwMapStyle
{
  gatomicrefcount  ref_count;
  guint8          *kinds;
  guint8          *hatches;    /* TwHatch of each classed area; NULL while none has one */
  guint            n_areas;
  const TwPalette *palette;
  guint32         *colors;     /* n_classes, instead of the palette's; may be NULL */
  guint            n_classes;
  double           opacity;
  HatchColors     *hatch_colors;  /* a table a bucket, made when a tile first needs one */
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
  g_free (self->hatches);
  g_free (self->hatch_colors);
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

void
tw_map_style_set_hatch (TwMapStyle *self,
                        guint       area,
                        TwHatch     hatch)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (area < self->n_areas);
  g_return_if_fail (hatch == TW_HATCH_NONE || hatch == TW_HATCH_UNRELIABLE
                    || hatch == TW_HATCH_REVEALED);

  if (self->hatches == NULL)
    {
      if (hatch == TW_HATCH_NONE)
        return;
      self->hatches = g_malloc0 (MAX (self->n_areas, 1));
    }
  self->hatches[area] = hatch;
}

TwHatch
tw_map_style_get_hatch (TwMapStyle *self,
                        guint       area)
{
  g_return_val_if_fail (self != NULL, TW_HATCH_NONE);
  g_return_val_if_fail (area < self->n_areas, TW_HATCH_NONE);

  if (self->kinds[area] == TW_AREA_SUPPRESSED)
    return TW_HATCH_SUPPRESSED;
  if (self->kinds[area] >= self->n_classes || self->hatches == NULL)
    return TW_HATCH_NONE;
  return self->hatches[area];
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

/* The kind and hatch each bucket is drawn with. */
static guint8
bucket_kind (guint bucket)
{
  if (bucket == BUCKET_NO_DATA)
    return TW_AREA_NO_DATA;
  if (bucket == BUCKET_SUPPRESSED)
    return TW_AREA_SUPPRESSED;
  if (bucket >= BUCKET_REVEALED (0))
    return bucket - BUCKET_REVEALED (0);
  if (bucket >= BUCKET_UNRELIABLE (0))
    return bucket - BUCKET_UNRELIABLE (0);
  return bucket;
}

static TwHatch
bucket_hatch (guint bucket)
{
  if (bucket == BUCKET_SUPPRESSED)
    return TW_HATCH_SUPPRESSED;
  if (bucket >= BUCKET_REVEALED (0))
    return TW_HATCH_REVEALED;
  if (bucket >= BUCKET_UNRELIABLE (0))
    return TW_HATCH_UNRELIABLE;
  return TW_HATCH_NONE;
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
  else if (collect->style->hatches == NULL || kind >= N_CLASSES)
    bucket = kind;
  else if (collect->style->hatches[area] == TW_HATCH_UNRELIABLE)
    bucket = BUCKET_UNRELIABLE (kind);
  else if (collect->style->hatches[area] == TW_HATCH_REVEALED)
    bucket = BUCKET_REVEALED (kind);
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

/* Lines of slope @slope (1: "\\" going down to the right, −1: "/") through (k·size, @offset)
 * for every k that crosses the tile, so that the tile repeats seamlessly. */
static void
hatch_lines (cairo_t *cr,
             int      size,
             double   slope,
             double   offset)
{
  for (int k = -1; k <= 2; k++)
    {
      double x0 = k * size - size - 1, x1 = k * size + size + 1;

      cairo_move_to (cr, x0, offset + slope * (x0 - k * size));
      cairo_line_to (cr, x1, offset + slope * (x1 - k * size));
    }
}

/* Draws one tile of @hatch, hatch_size[@hatch] units square, over a transparent ground. */
static void
draw_hatch_tile (cairo_t *cr,
                 TwHatch  hatch)
{
  int size = hatch_size[hatch];

  cairo_save (cr);
  cairo_rectangle (cr, 0, 0, size, size);
  cairo_clip (cr);
  switch (hatch)
    {
    case TW_HATCH_SUPPRESSED:
      /* "/" in grey over the pale suppressed fill */
      set_source_color (cr, tw_palette_fixed_color (TW_COLOR_SUPPRESSED_HATCH), 1.0);
      cairo_set_line_width (cr, 1.2);
      hatch_lines (cr, size, -1.0, 0.0);
      cairo_stroke (cr);
      break;
    case TW_HATCH_UNRELIABLE:
      /* "\\" the other way and sparser, a dark line beside a light one: it shows on the
       * palest and the darkest class alike, and in greyscale. */
      cairo_set_line_width (cr, 1.0);
      set_source_color (cr, 0x000000, 0.6);
      hatch_lines (cr, size, 1.0, 0.0);
      cairo_stroke (cr);
      set_source_color (cr, 0xffffff, 0.6);
      hatch_lines (cr, size, 1.0, 1.5);
      cairo_stroke (cr);
      break;
    case TW_HATCH_REVEALED:
      /* dots, neither line direction: a dark dot ringed in white */
      set_source_color (cr, 0xffffff, 0.75);
      cairo_arc (cr, size / 2.0, size / 2.0, 1.9, 0, 2 * G_PI);
      cairo_fill (cr);
      set_source_color (cr, 0x000000, 0.85);
      cairo_arc (cr, size / 2.0, size / 2.0, 1.1, 0, 2 * G_PI);
      cairo_fill (cr);
      break;
    case TW_HATCH_NONE:
    default:
      break;
    }
  cairo_restore (cr);
}

/* How a hatch's tile is made: as vectors, as pixels, or as pixels at 4× for an SVG file
 * (cairo 1.16's SVG surface leaks every pattern made of a recording surface). */
typedef enum
{
  TILE_PIXELS,
  TILE_VECTORS,
  TILE_FINE_PIXELS,
} TileKind;

#define FINE_PIXELS 4

/* A repeating pattern of @hatch, its tile made as @kind says; @matrix maps user space to the
 * tile's units. */
static cairo_pattern_t *
create_hatch_pattern (TwHatch               hatch,
                      TileKind              kind,
                      const cairo_matrix_t *matrix)
{
  int size = hatch_size[hatch];
  int scale = kind == TILE_FINE_PIXELS ? FINE_PIXELS : 1;
  cairo_matrix_t to_tile = *matrix;
  cairo_surface_t *surface;
  cairo_pattern_t *pattern;
  cairo_t *cr;

  if (kind == TILE_VECTORS)
    {
      cairo_rectangle_t extents = { 0, 0, size, size };

      surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, &extents);
    }
  else
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size * scale, size * scale);
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  draw_hatch_tile (cr, hatch);
  cairo_destroy (cr);

  pattern = cairo_pattern_create_for_surface (surface);
  cairo_surface_destroy (surface);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_REPEAT);
  if (scale != 1)
    {
      cairo_matrix_t fine;

      cairo_matrix_init_scale (&fine, scale, scale);
      cairo_matrix_multiply (&to_tile, &to_tile, &fine);
    }
  cairo_pattern_set_matrix (pattern, &to_tile);
  return pattern;
}

/* @hatch anchored to the world, so it continues from tile to tile. */
static cairo_pattern_t *
create_hatch (const Transform *t,
              TwHatch          hatch,
              TileKind         kind)
{
  int size = hatch_size[hatch];
  cairo_matrix_t matrix;

  cairo_matrix_init_translate (&matrix,
                               fmod (t->min_x * t->scale, size),
                               fmod (t->min_y * t->scale, size));
  return create_hatch_pattern (hatch, kind, &matrix);
}

/* The tile a hatch on @cr's target is made of. */
static TileKind
tile_kind_for (cairo_t *cr)
{
  switch (cairo_surface_get_type (cairo_get_target (cr)))
    {
    case CAIRO_SURFACE_TYPE_PDF:
    case CAIRO_SURFACE_TYPE_PS:
    case CAIRO_SURFACE_TYPE_RECORDING:
      return TILE_VECTORS;
    case CAIRO_SURFACE_TYPE_SVG:
      return TILE_FINE_PIXELS;
    default:
      return TILE_PIXELS;
    }
}

/* @hatch for filling through @cr. On an image seen through a scale (an export's page at
 * its resolution), the hatch is laid out in the image's own pixels, so that its lines stay
 * a pixel wide and sharp rather than thinned and blurred by the scale. */
static cairo_pattern_t *
create_hatch_for (cairo_t         *cr,
                  const Transform *t,
                  TwHatch          hatch)
{
  cairo_matrix_t device;

  if (tile_kind_for (cr) != TILE_PIXELS)
    return create_hatch (t, hatch, tile_kind_for (cr));
  cairo_get_matrix (cr, &device);
  if (device.xy == 0 && device.yx == 0 && (device.xx != 1 || device.yy != 1))
    {
      cairo_pattern_t *pattern = create_hatch_pattern (hatch, TILE_PIXELS, &device);

      cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
      return pattern;
    }
  return create_hatch (t, hatch, TILE_PIXELS);
}

void
tw_render_hatched_rectangle (cairo_t *cr,
                             guint32  fill,
                             TwHatch  hatch,
                             double   x,
                             double   y,
                             double   width,
                             double   height,
                             double   scale)
{
  g_return_if_fail (cr != NULL);
  g_return_if_fail (hatch < TW_N_HATCHES);
  g_return_if_fail (scale > 0);

  cairo_save (cr);
  cairo_rectangle (cr, x, y, width, height);
  set_source_color (cr, fill, 1.0);
  cairo_fill_preserve (cr);
  if (hatch != TW_HATCH_NONE)
    {
      cairo_pattern_t *pattern;
      cairo_matrix_t matrix;

      cairo_matrix_init_scale (&matrix, 1.0 / scale, 1.0 / scale);
      cairo_matrix_translate (&matrix, -x, -y);
      pattern = create_hatch_pattern (hatch, tile_kind_for (cr), &matrix);
      cairo_set_source (cr, pattern);
      cairo_fill_preserve (cr);
      cairo_pattern_destroy (pattern);
    }
  cairo_new_path (cr);
  cairo_restore (cr);
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

/* --- The raster fill --------------------------------------------------------------------
 *
 * On an image, areas are filled here rather than by cairo, in one pass that also hides the
 * seams: each area's exact pixel coverage (signed areas accumulated along the rows, even-odd)
 * is added, times its colour, to sums kept for every pixel. A pixel is then the mean colour of
 * the areas in it, opaque when its centre is inside an area or two areas share it, else as
 * opaque as the areas cover it (the edge of the map). So two neighbours blend along their
 * edge and never let the background through, without drawing anything twice. */

typedef struct
{
  float r, g, b, a;
} ColorSum;

enum
{
  PIXEL_ONE_AREA = 1,     /* an area covers part of the pixel */
  PIXEL_SHARED = 2,       /* two or more do */
  PIXEL_INSIDE = 4,       /* its centre is inside an area */
};

typedef struct
{
  int       width, height;
  ColorSum *sums;          /* width × height */
  guint8   *flags;         /* width × height: PIXEL_* */
  /* One area's scratch, (width + 2) × height at most, zero between areas: coverage changes
   * along each row, and the rows' crossings at the pixel centres (parity). */
  float    *cells;
  guint8   *crossings;
  GArray   *points;        /* double x, y in pixels of the area's rings, ring after ring */
  GArray   *ring_ends;     /* guint: end of each ring in points (in points, not doubles) */
} Raster;

static void
raster_free (gpointer data)
{
  Raster *raster = data;

  g_free (raster->sums);
  g_free (raster->flags);
  g_free (raster->cells);
  g_free (raster->crossings);
  g_array_unref (raster->points);
  g_array_unref (raster->ring_ends);
  g_free (raster);
}

static Raster *
raster_new (int width,
            int height)
{
  Raster *raster = g_new0 (Raster, 1);
  gsize n = (gsize) width * height, scratch = (gsize) (width + 2) * height;

  raster->width = width;
  raster->height = height;
  raster->sums = g_new0 (ColorSum, n);
  raster->flags = g_malloc0 (n);
  raster->cells = g_new0 (float, scratch);
  raster->crossings = g_malloc0 (scratch);
  raster->points = g_array_new (FALSE, FALSE, sizeof (double));
  raster->ring_ends = g_array_new (FALSE, FALSE, sizeof (guint));
  return raster;
}

/* Each thread keeps its last raster of a tile's size: a fresh one for every tile cost more in
 * page faults than the drawing. Every buffer is left zero after use (the sweeps and the
 * resolve clear it). */
static GPrivate thread_raster = G_PRIVATE_INIT (raster_free);
#define RASTER_KEPT_PIXELS (512 * 512)

/* A raster for @width × @height; raster_release () gives it back. */
static Raster *
raster_get (int width,
            int height)
{
  Raster *raster = g_private_get (&thread_raster);

  if (raster != NULL && raster->width == width && raster->height == height)
    return raster;
  raster = raster_new (width, height);
  if ((gsize) width * height <= RASTER_KEPT_PIXELS)
    g_private_replace (&thread_raster, raster);   /* (frees the one it replaces) */
  return raster;
}

static void
raster_release (Raster *raster)
{
  if (raster != g_private_get (&thread_raster))
    raster_free (raster);
}

/* Adds a line from (x0, y0) to (x1, y1), both x within [0, stride − 2], to the coverage
 * changes of the rows 0 … @rows − 1 (outside them it counts for nothing). */
static void
raster_line (float  *cells,
             guint8 *crossings,
             int     stride,
             int     rows,
             double  x0,
             double  y0,
             double  x1,
             double  y1)
{
  double dir = 1.0, dxdy, x;
  int first, last;

  if (y0 == y1)
    return;
  if (y0 > y1)
    {
      double sx = x0, sy = y0;

      x0 = x1;
      y0 = y1;
      x1 = sx;
      y1 = sy;
      dir = -1.0;
    }
  if (y1 <= 0 || y0 >= rows)
    return;
  dxdy = (x1 - x0) / (y1 - y0);
  first = MAX ((int) floor (y0), 0);
  last = MIN ((int) ceil (y1), rows);
  x = y0 < first ? x0 + (first - y0) * dxdy : x0;

  for (int y = first; y < last; y++)
    {
      float *row = cells + (gsize) y * stride;
      double top = MAX (y0, (double) y), bottom = MIN (y1, y + 1.0);
      double dy = bottom - top, next = x + dxdy * dy, d = dy * dir;
      /* (clamped against rounding: x is stepped from row to row) */
      double left = CLAMP (MIN (x, next), 0.0, stride - 2.0);
      double right = CLAMP (MAX (x, next), 0.0, stride - 2.0);
      int li = (int) floor (left), ri = (int) ceil (right);
      double centre = y + 0.5;

      if (centre >= y0 && centre < y1)
        {
          double xc = x0 + (centre - y0) * dxdy;
          int c = (int) ceil (xc - 0.5);

          crossings[(gsize) y * stride + CLAMP (c, 0, stride - 1)] ^= 1;
        }

      if (ri <= li + 1)
        {
          /* within one column: the part right of the line's middle */
          double mid = 0.5 * (left + right) - li;

          row[li] += d * (1.0 - mid);
          row[li + 1] += d * mid;
        }
      else
        {
          double s = 1.0 / (right - left);
          double lf = left - li, rf = right - ri + 1.0;
          double a0 = 0.5 * s * (1.0 - lf) * (1.0 - lf), am = 0.5 * s * rf * rf;

          row[li] += d * a0;
          if (ri == li + 2)
            row[li + 1] += d * (1.0 - a0 - am);
          else
            {
              double a1 = s * (1.5 - lf), a2;

              row[li + 1] += d * (a1 - a0);
              for (int i = li + 2; i < ri - 1; i++)
                row[i] += d * s;
              a2 = a1 + (ri - li - 3) * s;
              row[ri - 1] += d * (1.0 - a2 - am);
            }
          row[ri] += d * am;
        }
      x = next;
    }
}

/* A line in the pixels of the area's box, whose columns are 0 … @columns: the parts left of
 * the box count as if on its left edge (they cover every pixel to their right), and those
 * right of it as on its right edge (they cover none). */
static void
raster_clipped_line (float  *cells,
                     guint8 *crossings,
                     int     columns,
                     int     rows,
                     double  x0,
                     double  y0,
                     double  x1,
                     double  y1)
{
  int stride = columns + 2;

  for (int side = 0; side < 2; side++)
    {
      double edge = side == 0 ? 0.0 : columns;

      if ((x0 < edge) != (x1 < edge) && x0 != edge && x1 != edge)
        {
          double ym = y0 + (edge - x0) * (y1 - y0) / (x1 - x0);

          raster_clipped_line (cells, crossings, columns, rows, x0, y0, edge, ym);
          raster_clipped_line (cells, crossings, columns, rows, edge, ym, x1, y1);
          return;
        }
    }
  raster_line (cells, crossings, stride, rows,
               CLAMP (x0, 0.0, columns), y0, CLAMP (x1, 0.0, columns), y1);
}

static inline const float *
hatch_color_at (const HatchColors *hatch,
                int                x,
                int                y)
{
  return hatch->colors[(y % hatch->size) * hatch->size + x % hatch->size];
}

static void
raster_hatch_colors (guint32          fill,
                     TwHatch          kind,
                     HatchColors     *hatch)
{
  int size = hatch_size[kind];
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, size, size);
  cairo_matrix_t identity;
  cairo_pattern_t *pattern;
  cairo_t *cr = cairo_create (surface);
  const guint8 *data;
  int stride;

  cairo_matrix_init_identity (&identity);
  pattern = create_hatch_pattern (kind, TILE_PIXELS, &identity);
  set_source_color (cr, fill, 1.0);
  cairo_paint (cr);
  cairo_set_source (cr, pattern);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_pattern_destroy (pattern);
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  hatch->size = size;
  for (int y = 0; y < size; y++)
    for (int x = 0; x < size; x++)
      {
        guint32 p = *(const guint32 *) (data + y * stride + 4 * x);

        hatch->colors[y * size + x][0] = (p >> 16) & 0xff;
        hatch->colors[y * size + x][1] = (p >> 8) & 0xff;
        hatch->colors[y * size + x][2] = p & 0xff;
      }
  cairo_surface_destroy (surface);
}

/* The hatch tables of @style's buckets, made once and shared by the threads drawing it:
 * a table a tile cost a tenth of a fast tile's time. */
static const HatchColors *
style_hatch_colors (TwMapStyle *style)
{
  if (g_once_init_enter (&style->hatch_colors))
    {
      HatchColors *tables = g_new0 (HatchColors, MAX_BUCKETS);

      for (guint b = 0; b < MAX_BUCKETS; b++)
        if (bucket_hatch (b) != TW_HATCH_NONE
            && (bucket_kind (b) >= TW_AREA_SUPPRESSED || bucket_kind (b) < style->n_classes))
          raster_hatch_colors (tw_map_style_get_fill (style, bucket_kind (b)), bucket_hatch (b),
                               &tables[b]);
      g_once_init_leave (&style->hatch_colors, tables);
    }
  return style->hatch_colors;
}

/* Where the view's pixel (0, 0) falls in the hatches' period: the world's pixel, so that a
 * hatch continues from tile to tile. */
static int
hatch_phase (double world,
             double scale)
{
  double phase = fmod (round (world * scale), HATCH_PERIOD);

  return (int) (phase < 0 ? phase + HATCH_PERIOD : phase);
}

/* Adds @area to the sums, in @color (0–255 each) or, when @hatch is given, in its colours. */
static void
raster_area (Raster          *raster,
             TwGeometrySet   *geometry,
             guint            area,
             const Transform *t,
             const float     *color,
             const HatchColors *hatch,
             int              phase_x,
             int              phase_y)
{
  double min_x = G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_x = -G_MAXDOUBLE, max_y = -G_MAXDOUBLE;
  double tolerance = t->tolerance;
  guint n_rings, start = 0;
  int bx, by, columns, rows, stride;
  const double *pts;

  /* as add_area_path: a sliver that loses every ring to the level is drawn in full */
  n_rings = tw_geometry_set_get_n_rings (geometry, area, tolerance);
  if (n_rings == 0)
    {
      tolerance = 0.0;
      n_rings = tw_geometry_set_get_n_rings (geometry, area, tolerance);
    }
  g_array_set_size (raster->points, 0);
  g_array_set_size (raster->ring_ends, 0);
  for (guint r = 0; r < n_rings; r++)
    {
      guint n, end;
      const float *p = tw_geometry_set_get_ring (geometry, area, tolerance, r, &n);

      for (guint i = 0; i < n; i++)
        {
          double xy[2] = { (p[2 * i] - t->min_x) * t->scale,
                           (p[2 * i + 1] - t->min_y) * t->scale };

          g_array_append_vals (raster->points, xy, 2);
          min_x = MIN (min_x, xy[0]);
          max_x = MAX (max_x, xy[0]);
          min_y = MIN (min_y, xy[1]);
          max_y = MAX (max_y, xy[1]);
        }
      end = raster->points->len / 2;
      g_array_append_val (raster->ring_ends, end);
    }
  if (raster->points->len == 0)
    return;

  bx = (int) floor (MAX (min_x, 0.0));
  by = (int) floor (MAX (min_y, 0.0));
  columns = (int) ceil (MIN (max_x, (double) raster->width)) - bx;
  rows = (int) ceil (MIN (max_y, (double) raster->height)) - by;
  if (columns <= 0 || rows <= 0)
    return;
  stride = columns + 2;

  pts = (const double *) raster->points->data;
  for (guint r = 0; r < raster->ring_ends->len; r++)
    {
      guint end = g_array_index (raster->ring_ends, guint, r);

      for (guint i = start; i < end; i++)
        {
          guint j = i + 1 < end ? i + 1 : start;

          raster_clipped_line (raster->cells, raster->crossings, columns, rows,
                               pts[2 * i] - bx, pts[2 * i + 1] - by,
                               pts[2 * j] - bx, pts[2 * j + 1] - by);
        }
      start = end;
    }

  for (int y = 0; y < rows; y++)
    {
      float *row = raster->cells + (gsize) y * stride;
      guint8 *crossing = raster->crossings + (gsize) y * stride;
      ColorSum *sum = raster->sums + (gsize) (by + y) * raster->width + bx;
      guint8 *flags = raster->flags + (gsize) (by + y) * raster->width + bx;
      double winding = 0;
      guint8 inside = 0;

      for (int x = 0; x < columns; x++)
        {
          double cover;

          winding += row[x];
          inside ^= crossing[x];
          row[x] = 0;
          crossing[x] = 0;
          /* even-odd: a winding of 2 is a hole inside a part */
          cover = fabs (winding);
          if (cover > 1.0)
            {
              cover = fmod (cover, 2.0);
              if (cover > 1.0)
                cover = 2.0 - cover;
            }
          if (cover < 1.0 / 1024 && !inside)
            continue;
          if (hatch != NULL)
            color = hatch_color_at (hatch, phase_x + bx + x, phase_y + by + y);
          sum[x].r += cover * color[0];
          sum[x].g += cover * color[1];
          sum[x].b += cover * color[2];
          sum[x].a += cover;
          flags[x] |= (flags[x] & (PIXEL_ONE_AREA | PIXEL_SHARED) ? PIXEL_SHARED : PIXEL_ONE_AREA)
                      | (inside ? PIXEL_INSIDE : 0);
        }
      row[columns] = row[columns + 1] = 0;
      crossing[columns] = crossing[columns + 1] = 0;
    }
}

/* Writes the sums as premultiplied ARGB32 rows of @data, and clears them. */
static void
raster_resolve (Raster  *raster,
                guint8  *data,
                int      data_stride,
                double   opacity)
{
  for (int y = 0; y < raster->height; y++)
    {
      guint32 *out = (guint32 *) (data + (gsize) y * data_stride);
      ColorSum *sum = raster->sums + (gsize) y * raster->width;
      guint8 *flags = raster->flags + (gsize) y * raster->width;

      for (int x = 0; x < raster->width; x++)
        {
          double alpha, k;

          if (sum[x].a <= 0)
            out[x] = 0;
          else
            {
              alpha = flags[x] & (PIXEL_INSIDE | PIXEL_SHARED) ? 1.0 : MIN (sum[x].a, 1.0);
              alpha *= opacity;
              k = alpha / sum[x].a;
              out[x] = ((guint32) (alpha * 255 + 0.5) << 24)
                       | ((guint32) (sum[x].r * k + 0.5) << 16)
                       | ((guint32) (sum[x].g * k + 0.5) << 8)
                       | (guint32) (sum[x].b * k + 0.5);
            }
          sum[x] = (ColorSum) { 0 };
          flags[x] = 0;
        }
    }
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

/* Fills the collected areas with cairo: on a vector surface (the exports), or an image seen
 * through a transformation. */
static void
fill_with_cairo (cairo_t         *cr,
                 Collect         *collect,
                 const Transform *t,
                 double           view_pixels)
{
  cairo_antialias_t smooth;

  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  /* Areas are drawn twice below: blend the whole once when the fill is translucent. */
  if (collect->style->opacity < 1.0)
    cairo_push_group (cr);

  /* A crisp underlay of every area in its own colour, then the antialiased fill over it:
   * an edge pixel then blends two neighbours' colours, never the map's background, so no
   * seam shows between areas. (A hairline stroke of each fill did the same at three to
   * four times the cost: stroking is the dearest thing cairo does here.) Areas drawn as
   * whole pixels need no underlay. */
  /* Where areas are a few pixels each (the nation at zoom 4 puts 20,000 in a tile), cairo's
   * quicker antialiasing looks the same and halves the time of the slowest tiles. */
  smooth = collect->n_visible > 0 && view_pixels / collect->n_visible < FAST_BELOW_PIXELS
           ? CAIRO_ANTIALIAS_FAST : CAIRO_ANTIALIAS_DEFAULT;

  for (int pass = 0; pass < 2; pass++)
    {
      /* Rings are simplified one by one, so neighbours' shared edges part by up to the
       * tolerance: the underlay takes a finer level, which leaves almost no pixel centre
       * in such a gap, for little more work. */
      Transform level = *t;

      if (pass == 0)
        level.tolerance = t->tolerance / 4;
      cairo_set_antialias (cr, pass == 0 ? CAIRO_ANTIALIAS_NONE : smooth);
      for (guint b = 0; b < MAX_BUCKETS; b++)
        {
          GArray *areas = collect->buckets[b];
          cairo_pattern_t *hatch;
          gboolean pixels = pass == 1 && (collect->tiny_buckets & (1u << b)) != 0;
          guint8 kind = bucket_kind (b);

          if (areas->len == 0 && !pixels)
            continue;

          hatch = pass == 1 && bucket_hatch (b) != TW_HATCH_NONE
                  ? create_hatch_for (cr, t, bucket_hatch (b)) : NULL;
          if (areas->len > 0)
            {
              cairo_new_path (cr);
              for (guint i = 0; i < areas->len; i++)
                add_area_path (cr, collect->geometry, g_array_index (areas, guint, i), &level);
              fill_path (cr, tw_map_style_get_fill (collect->style, kind), hatch);
            }
          if (pixels)
            {
              /* rectangles of one bucket add up, never cancel */
              cairo_set_fill_rule (cr, CAIRO_FILL_RULE_WINDING);
              add_pixel_runs (cr, &collect->pixels, t, b);
              fill_path (cr, tw_map_style_get_fill (collect->style, kind), hatch);
              cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
            }
          if (hatch != NULL)
            cairo_pattern_destroy (hatch);
          cairo_new_path (cr);
        }
    }

  if (collect->style->opacity < 1.0)
    {
      cairo_pop_group_to_source (cr);
      cairo_paint_with_alpha (cr, collect->style->opacity);
    }

}

/* Fills the collected areas into @surface (ARGB32, @width × @height, transparent), or
 * when @surface is NULL onto @cr through an image of their own. */
static void
fill_raster (cairo_t         *cr,
             cairo_surface_t *surface,
             Collect         *collect,
             const Transform *t,
             int              width,
             int              height)
{
  float colors[MAX_BUCKETS][3];
  const HatchColors *hatches[MAX_BUCKETS] = { NULL };
  gboolean own = surface == NULL;
  Raster *raster = raster_get (width, height);
  int phase_x = hatch_phase (t->min_x, t->scale), phase_y = hatch_phase (t->min_y, t->scale);

  for (guint b = 0; b < MAX_BUCKETS; b++)
    {
      guint32 color = tw_map_style_get_fill (collect->style, bucket_kind (b));

      colors[b][0] = (color >> 16) & 0xff;
      colors[b][1] = (color >> 8) & 0xff;
      colors[b][2] = color & 0xff;
      if (bucket_hatch (b) != TW_HATCH_NONE
          && (collect->buckets[b]->len > 0 || (collect->tiny_buckets & (1u << b))))
        hatches[b] = &style_hatch_colors (collect->style)[b];
    }

  for (guint b = 0; b < MAX_BUCKETS; b++)
    for (guint i = 0; i < collect->buckets[b]->len; i++)
      raster_area (raster, collect->geometry, g_array_index (collect->buckets[b], guint, i), t,
                   colors[b], hatches[b], phase_x, phase_y);

  /* areas smaller than a pixel: the pixel of their centre, whole, in the highest bucket's
   * colour, blended with the edges of larger areas in it */
  if (collect->pixels.owner != NULL)
    {
      const PixelAreas *pixels = &collect->pixels;

      for (int y = pixels->min_y; y <= pixels->max_y && y < height; y++)
        for (int x = pixels->min_x; x <= pixels->max_x && x < width; x++)
          {
            guint8 owner = pixels->owner[(gsize) y * pixels->width + x];
            ColorSum *sum = &raster->sums[(gsize) y * width + x];
            const float *color;

            if (owner == 0)
              continue;
            color = hatches[owner - 1] != NULL
                    ? hatch_color_at (hatches[owner - 1], phase_x + x, phase_y + y)
                    : colors[owner - 1];
            sum->r += color[0];
            sum->g += color[1];
            sum->b += color[2];
            sum->a += 1;
            raster->flags[(gsize) y * width + x] |= PIXEL_INSIDE;
          }
    }

  if (own)
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_surface_flush (surface);
  raster_resolve (raster, cairo_image_surface_get_data (surface),
                  cairo_image_surface_get_stride (surface), collect->style->opacity);
  cairo_surface_mark_dirty (surface);
  if (own)
    {
      cairo_set_source_surface (cr, surface, 0, 0);
      cairo_paint (cr);
      cairo_surface_destroy (surface);
    }
  raster_release (raster);
}

/* Whether @cr draws straight onto the pixels of an ARGB32 image, one unit a pixel. */
static gboolean
draws_on_pixels (cairo_t *cr)
{
  cairo_surface_t *target = cairo_get_target (cr);
  cairo_matrix_t m;
  double sx, sy, ox, oy;

  if (cairo_surface_get_type (target) != CAIRO_SURFACE_TYPE_IMAGE
      || cairo_image_surface_get_format (target) != CAIRO_FORMAT_ARGB32)
    return FALSE;
  cairo_get_matrix (cr, &m);
  cairo_surface_get_device_scale (target, &sx, &sy);
  cairo_surface_get_device_offset (target, &ox, &oy);
  return m.xx == 1 && m.yy == 1 && m.xy == 0 && m.yx == 0 && m.x0 == 0 && m.y0 == 0
         && sx == 1 && sy == 1 && ox == 0 && oy == 0;
}

/* Draws as tw_render_view (); when @fresh is not NULL it is the transparent ARGB32 target of
 * @cr, @width × @height, whose pixels may be written directly. */
static void
render_view (TwGeometrySet   *geometry,
             TwMapStyle      *style,
             cairo_t         *cr,
             cairo_surface_t *fresh,
             const TwBox     *view,
             double           width,
             double           height)
{
  Collect collect = { style, geometry };
  Transform t;
  TwBox query;
  double margin;

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
  if (fresh != NULL
      || (ceil (width) * ceil (height) <= RASTER_MAX_PIXELS && draws_on_pixels (cr)))
    fill_raster (cr, fresh, &collect, &t, (int) ceil (width), (int) ceil (height));
  else
    fill_with_cairo (cr, &collect, &t, width * height);

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

void
tw_render_view (TwGeometrySet *geometry,
                TwMapStyle    *style,
                cairo_t       *cr,
                const TwBox   *view,
                double         width,
                double         height)
{
  g_return_if_fail (geometry != NULL);
  g_return_if_fail (style != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (view->max_x > view->min_x && width > 0 && height > 0);

  render_view (geometry, style, cr, NULL, view, width, height);
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
  render_view (geometry, style, cr, surface, &box, size, size);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}
