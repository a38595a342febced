/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-background-source"

#include <adwaita.h>

#include "tw-background-source.h"
#include "tw-palette.h"
#include "tw-renderer.h"
#include "tw-style.h"

/* Below this many pixels per area on average, outlines would merge into a grey wash. */
#define MIN_PIXELS_PER_AREA 64.0
/* In high contrast, lines are wider as well as stronger. */
#define HIGH_CONTRAST_WIDTH 1.5

typedef struct
{
  gatomicrefcount      ref_count;
  TwBackgroundDrawFunc draw;
  gpointer             data;
  GDestroyNotify       destroy;
  TwBackgroundLines    kind;
  double               line_width;
} Lines;

/* What a tile is drawn in. */
typedef struct
{
  guint32 background;
  guint32 lines[TW_BACKGROUND_N_LINES];
  double  width_scale;
} Colors;

struct _TwBackgroundSource
{
  TwTileSource      parent_instance;

  Colors            colors;
  GPtrArray        *lines;      /* Lines *, shared with the tile threads and restyled copies */
  GWeakRef          map;        /* the map shown on, whose style it follows */
  gboolean          follows_style;
};

/* What a tile reads. */
typedef struct
{
  Colors     colors;
  GPtrArray *lines;
} Snapshot;

G_DEFINE_FINAL_TYPE (TwBackgroundSource, tw_background_source, TW_TYPE_TILE_SOURCE)

/* The named colours of style*.css; the fallbacks are the light style's. */
static const struct
{
  const char  *name;
  TwFixedColor fallback;
} line_colors[TW_BACKGROUND_N_LINES] = {
  [TW_BACKGROUND_LINES_AREAS] = { "tw_map_area_outline_color", TW_COLOR_AREA_OUTLINE },
  [TW_BACKGROUND_LINES_COUNTIES] = { "tw_map_county_outline_color", TW_COLOR_COUNTY_OUTLINE },
  [TW_BACKGROUND_LINES_STATES] = { "tw_map_state_outline_color", TW_COLOR_STATE_OUTLINE },
};

static void
lines_unref (Lines *lines)
{
  if (g_atomic_ref_count_dec (&lines->ref_count))
    {
      if (lines->destroy != NULL)
        lines->destroy (lines->data);
      g_free (lines);
    }
}

static Lines *
lines_ref (Lines *lines)
{
  g_atomic_ref_count_inc (&lines->ref_count);
  return lines;
}

static GPtrArray *
lines_copy (GPtrArray *lines)
{
  GPtrArray *copy = g_ptr_array_new_full (lines->len, (GDestroyNotify) lines_unref);

  for (guint i = 0; i < lines->len; i++)
    g_ptr_array_add (copy, lines_ref (g_ptr_array_index (lines, i)));
  return copy;
}

static void
set_source_color (cairo_t *cr,
                  guint32  color)
{
  cairo_set_source_rgb (cr, ((color >> 16) & 0xff) / 255.0, ((color >> 8) & 0xff) / 255.0,
                        (color & 0xff) / 255.0);
}

static gboolean
collect_area (guint    area,
              gpointer user_data)
{
  g_array_append_val ((GArray *) user_data, area);
  return TRUE;
}

void
tw_background_draw_area_outlines (gpointer     data,
                                  cairo_t     *cr,
                                  const TwBox *view,
                                  double       width,
                                  double       height)
{
  TwGeometrySet *geometry = data;
  g_autoptr(GArray) areas = g_array_new (FALSE, FALSE, sizeof (guint));
  double scale = width / (view->max_x - view->min_x);

  tw_geometry_set_query (geometry, view, collect_area, areas);
  if (areas->len == 0 || width * height / areas->len < MIN_PIXELS_PER_AREA)
    return;

  cairo_new_path (cr);
  for (guint i = 0; i < areas->len; i++)
    tw_render_area_path (cr, geometry, g_array_index (areas, guint, i), view->min_x,
                         view->min_y, scale);
  cairo_stroke (cr);
}

static gpointer
tw_background_source_snapshot (TwTileSource *source)
{
  TwBackgroundSource *self = TW_BACKGROUND_SOURCE (source);
  Snapshot *snapshot = g_new (Snapshot, 1);

  snapshot->colors = self->colors;
  snapshot->lines = lines_copy (self->lines);
  return snapshot;
}

static void
tw_background_source_free_snapshot (gpointer data)
{
  Snapshot *snapshot = data;

  g_ptr_array_unref (snapshot->lines);
  g_free (snapshot);
}

static cairo_surface_t *
tw_background_source_draw_tile (gpointer data,
                                int      z,
                                int      x,
                                int      y,
                                int      size)
{
  Snapshot *snapshot = data;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cairo_t *cr = cairo_create (surface);
  TwBox box;

  set_source_color (cr, snapshot->colors.background);
  cairo_paint (cr);

  tw_tile_box (z, x, y, &box);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < snapshot->lines->len; i++)
    {
      Lines *lines = g_ptr_array_index (snapshot->lines, i);

      set_source_color (cr, snapshot->colors.lines[lines->kind]);
      cairo_set_line_width (cr, lines->line_width * snapshot->colors.width_scale);
      lines->draw (lines->data, cr, &box, size, size);
      cairo_new_path (cr);
    }
  cairo_destroy (cr);
  return surface;
}

static void
tw_background_source_finalize (GObject *object)
{
  TwBackgroundSource *self = TW_BACKGROUND_SOURCE (object);

  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_weak_ref_clear (&self->map);

  G_OBJECT_CLASS (tw_background_source_parent_class)->finalize (object);
}

static void
tw_background_source_class_init (TwBackgroundSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  TwTileSourceClass *tile_source_class = TW_TILE_SOURCE_CLASS (klass);

  object_class->finalize = tw_background_source_finalize;
  tile_source_class->snapshot = tw_background_source_snapshot;
  tile_source_class->free_snapshot = tw_background_source_free_snapshot;
  tile_source_class->draw_tile = tw_background_source_draw_tile;
}

static void
tw_background_source_init (TwBackgroundSource *self)
{
  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) lines_unref);
  g_weak_ref_init (&self->map, NULL);
}

TwBackgroundSource *
tw_background_source_new (void)
{
  static guint serial;
  g_autofree char *id = g_strdup_printf ("tractwise-background-%u", ++serial);
  TwBackgroundSource *self;

  self = g_object_new (TW_TYPE_BACKGROUND_SOURCE,
                       "id", id,
                       "name", "Tractwise offline background",
                       NULL);
  self->colors.background = tw_palette_fixed_color (TW_COLOR_OFFLINE_BACKGROUND);
  for (guint i = 0; i < TW_BACKGROUND_N_LINES; i++)
    self->colors.lines[i] = tw_palette_fixed_color (line_colors[i].fallback);
  self->colors.width_scale = 1;

  return self;
}

void
tw_background_source_add_lines (TwBackgroundSource  *self,
                                TwBackgroundDrawFunc draw,
                                gpointer             data,
                                GDestroyNotify       destroy,
                                TwBackgroundLines    kind,
                                double               line_width)
{
  Lines *lines;

  g_return_if_fail (TW_IS_BACKGROUND_SOURCE (self));
  g_return_if_fail (draw != NULL);
  g_return_if_fail (kind < TW_BACKGROUND_N_LINES);

  lines = g_new0 (Lines, 1);
  g_atomic_ref_count_init (&lines->ref_count);
  lines->draw = draw;
  lines->data = data;
  lines->destroy = destroy;
  lines->kind = kind;
  lines->line_width = line_width;
  g_ptr_array_add (self->lines, lines);
}

static void
style_colors (GtkWidget *widget,
              Colors    *colors)
{
  GdkRGBA rgba;

  tw_style_lookup_color (widget, "tw_map_background_color",
                         tw_palette_fixed_color (TW_COLOR_OFFLINE_BACKGROUND), &rgba);
  colors->background = tw_style_rgba_to_rgb (&rgba);
  for (guint i = 0; i < TW_BACKGROUND_N_LINES; i++)
    {
      tw_style_lookup_color (widget, line_colors[i].name,
                             tw_palette_fixed_color (line_colors[i].fallback), &rgba);
      colors->lines[i] = tw_style_rgba_to_rgb (&rgba);
    }
  colors->width_scale = tw_style_is_high_contrast () ? HIGH_CONTRAST_WIDTH : 1;
}

static gboolean
colors_equal (const Colors *a,
              const Colors *b)
{
  for (guint i = 0; i < TW_BACKGROUND_N_LINES; i++)
    if (a->lines[i] != b->lines[i])
      return FALSE;
  return a->background == b->background && a->width_scale == b->width_scale;
}

static void show_on (TwBackgroundSource *self, ShumateSimpleMap *map);

/* Only the source the map shows restyles it: one replaced by a restyled copy, or by the
 * background of another layer, stays as it is. */
static void
on_style_changed (TwBackgroundSource *self)
{
  g_autoptr(ShumateSimpleMap) map = g_weak_ref_get (&self->map);
  g_autoptr(TwBackgroundSource) copy = NULL;
  Colors colors;

  if (map == NULL || shumate_simple_map_get_map_source (map) != SHUMATE_MAP_SOURCE (self))
    return;
  style_colors (GTK_WIDGET (map), &colors);
  if (colors_equal (&colors, &self->colors))
    return;

  /* libshumate keeps the tiles it has drawn by source id: the copy has an id of its own. */
  copy = tw_background_source_new ();
  g_ptr_array_unref (copy->lines);
  copy->lines = lines_copy (self->lines);
  shumate_map_source_set_license (SHUMATE_MAP_SOURCE (copy),
                                  shumate_map_source_get_license (SHUMATE_MAP_SOURCE (self)));
  copy->colors = colors;
  g_debug ("Map background restyled: #%06x", colors.background);
  show_on (copy, map);
}

static void
show_on (TwBackgroundSource *self,
         ShumateSimpleMap   *map)
{
  shumate_simple_map_set_map_source (map, SHUMATE_MAP_SOURCE (self));
  g_weak_ref_set (&self->map, map);
  if (!self->follows_style)
    {
      AdwStyleManager *manager = adw_style_manager_get_default ();

      g_signal_connect_object (manager, "notify::dark", G_CALLBACK (on_style_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (manager, "notify::high-contrast", G_CALLBACK (on_style_changed),
                               self, G_CONNECT_SWAPPED);
      self->follows_style = TRUE;
    }
}

void
tw_background_source_show (TwBackgroundSource *self,
                           ShumateSimpleMap   *map)
{
  g_return_if_fail (TW_IS_BACKGROUND_SOURCE (self));
  g_return_if_fail (SHUMATE_IS_SIMPLE_MAP (map));

  style_colors (GTK_WIDGET (map), &self->colors);
  show_on (self, map);
}

guint32
tw_background_source_get_background (TwBackgroundSource *self)
{
  g_return_val_if_fail (TW_IS_BACKGROUND_SOURCE (self), 0);

  return self->colors.background;
}

guint
tw_background_source_get_n_tiles (TwBackgroundSource *self)
{
  g_return_val_if_fail (TW_IS_BACKGROUND_SOURCE (self), 0);

  return tw_tile_source_get_n_tiles (TW_TILE_SOURCE (self));
}

guint
tw_background_source_get_n_pending (TwBackgroundSource *self)
{
  g_return_val_if_fail (TW_IS_BACKGROUND_SOURCE (self), 0);

  return tw_tile_source_get_n_pending (TW_TILE_SOURCE (self));
}
