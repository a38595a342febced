/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-background-source"

#include <adwaita.h>

#include "tw-background-source.h"
#include "tw-choropleth-source.h"
#include "tw-palette.h"
#include "tw-renderer.h"
#include "tw-style.h"

#define TILE_SIZE 256
#define MAX_ZOOM 18
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
  ShumateMapSource  parent_instance;

  Colors            colors;
  GPtrArray        *lines;  /* Lines *, shared with the tile threads and restyled copies */
  guint             n_tiles;
  guint             n_pending;
};

typedef struct
{
  Colors     colors;
  GPtrArray *lines;
  int        z, x, y;
} TileJob;

G_DEFINE_FINAL_TYPE (TwBackgroundSource, tw_background_source, SHUMATE_TYPE_MAP_SOURCE)

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

static void
tile_job_free (TileJob *job)
{
  g_ptr_array_unref (job->lines);
  g_free (job);
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

static void
fill_tile_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  TileJob *job = task_data;
  cairo_surface_t *surface;
  cairo_t *cr;
  TwBox box;

  if (g_task_return_error_if_cancelled (task))
    return;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, TILE_SIZE, TILE_SIZE);
  cr = cairo_create (surface);
  set_source_color (cr, job->colors.background);
  cairo_paint (cr);

  tw_tile_box (job->z, job->x, job->y, &box);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < job->lines->len; i++)
    {
      Lines *lines = g_ptr_array_index (job->lines, i);

      set_source_color (cr, job->colors.lines[lines->kind]);
      cairo_set_line_width (cr, lines->line_width * job->colors.width_scale);
      lines->draw (lines->data, cr, &box, TILE_SIZE, TILE_SIZE);
      cairo_new_path (cr);
    }
  cairo_destroy (cr);

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "Could not draw background tile %d/%d/%d: %s",
                               job->z, job->x, job->y,
                               cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return;
    }

  g_task_return_pointer (task, tw_texture_new_for_surface (surface), g_object_unref);
  cairo_surface_destroy (surface);
}

static void
on_tile_rendered (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TwBackgroundSource *self = TW_BACKGROUND_SOURCE (object);
  g_autoptr(GTask) outer = user_data;
  ShumateTile *tile = g_task_get_task_data (outer);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  self->n_pending--;
  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("%s", error->message);
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }

  self->n_tiles++;
  shumate_tile_set_paintable (tile, GDK_PAINTABLE (texture));
  shumate_tile_set_fade_in (tile, FALSE);
  shumate_tile_set_state (tile, SHUMATE_STATE_DONE);
  g_task_return_boolean (outer, TRUE);
}

static void
tw_background_source_fill_tile_async (ShumateMapSource    *source,
                                      ShumateTile         *tile,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  TwBackgroundSource *self = TW_BACKGROUND_SOURCE (source);
  g_autoptr(GTask) outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) inner = NULL;
  TileJob *job = g_new0 (TileJob, 1);

  g_task_set_source_tag (outer, tw_background_source_fill_tile_async);
  g_task_set_task_data (outer, g_object_ref (tile), g_object_unref);
  shumate_tile_set_state (tile, SHUMATE_STATE_LOADING);
  self->n_pending++;

  job->colors = self->colors;
  job->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) lines_unref);
  for (guint i = 0; i < self->lines->len; i++)
    g_ptr_array_add (job->lines, lines_ref (g_ptr_array_index (self->lines, i)));
  job->z = (int) shumate_tile_get_zoom_level (tile);
  job->x = (int) shumate_tile_get_x (tile);
  job->y = (int) shumate_tile_get_y (tile);

  inner = g_task_new (self, cancellable, on_tile_rendered, g_steal_pointer (&outer));
  g_task_set_task_data (inner, job, (GDestroyNotify) tile_job_free);
  tw_tile_task_run (inner, fill_tile_thread);
}

static gboolean
tw_background_source_fill_tile_finish (ShumateMapSource  *source,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
tw_background_source_finalize (GObject *object)
{
  TwBackgroundSource *self = TW_BACKGROUND_SOURCE (object);

  g_clear_pointer (&self->lines, g_ptr_array_unref);

  G_OBJECT_CLASS (tw_background_source_parent_class)->finalize (object);
}

static void
tw_background_source_class_init (TwBackgroundSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateMapSourceClass *source_class = SHUMATE_MAP_SOURCE_CLASS (klass);

  object_class->finalize = tw_background_source_finalize;
  source_class->fill_tile_async = tw_background_source_fill_tile_async;
  source_class->fill_tile_finish = tw_background_source_fill_tile_finish;
}

static void
tw_background_source_init (TwBackgroundSource *self)
{
  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) lines_unref);
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
                       "min-zoom-level", 0,
                       "max-zoom-level", MAX_ZOOM,
                       "tile-size", TILE_SIZE,
                       "projection", SHUMATE_MAP_PROJECTION_MERCATOR,
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

static void
on_style_changed (ShumateSimpleMap *map)
{
  ShumateMapSource *shown = shumate_simple_map_get_map_source (map);
  g_autoptr(TwBackgroundSource) copy = NULL;
  TwBackgroundSource *self;
  Colors colors;

  if (!TW_IS_BACKGROUND_SOURCE (shown))
    return;
  self = TW_BACKGROUND_SOURCE (shown);
  style_colors (GTK_WIDGET (map), &colors);
  if (colors_equal (&colors, &self->colors))
    return;

  /* libshumate keeps the tiles it has drawn by source id: the copy has an id of its own. */
  copy = tw_background_source_new ();
  for (guint i = 0; i < self->lines->len; i++)
    g_ptr_array_add (copy->lines, lines_ref (g_ptr_array_index (self->lines, i)));
  shumate_map_source_set_license (SHUMATE_MAP_SOURCE (copy),
                                  shumate_map_source_get_license (shown));
  copy->colors = colors;
  g_debug ("Map background restyled: #%06x", colors.background);
  shumate_simple_map_set_map_source (map, SHUMATE_MAP_SOURCE (copy));
}

void
tw_background_source_show (TwBackgroundSource *self,
                           ShumateSimpleMap   *map)
{
  g_return_if_fail (TW_IS_BACKGROUND_SOURCE (self));
  g_return_if_fail (SHUMATE_IS_SIMPLE_MAP (map));

  style_colors (GTK_WIDGET (map), &self->colors);
  shumate_simple_map_set_map_source (map, SHUMATE_MAP_SOURCE (self));

  if (g_object_get_data (G_OBJECT (map), "tw-background-follows-style") == NULL)
    {
      AdwStyleManager *manager = adw_style_manager_get_default ();

      g_signal_connect_object (manager, "notify::dark", G_CALLBACK (on_style_changed), map,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (manager, "notify::high-contrast", G_CALLBACK (on_style_changed),
                               map, G_CONNECT_SWAPPED);
      g_object_set_data (G_OBJECT (map), "tw-background-follows-style", GINT_TO_POINTER (TRUE));
    }
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

  return self->n_tiles;
}

guint
tw_background_source_get_n_pending (TwBackgroundSource *self)
{
  g_return_val_if_fail (TW_IS_BACKGROUND_SOURCE (self), 0);

  return self->n_pending;
}
