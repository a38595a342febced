/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-highlight-layer"

#include <math.h>

#include "tw-highlight-layer.h"
#include "tw-palette.h"
#include "tw-renderer.h"

struct _TwHighlightLayer
{
  ShumateLayer   parent_instance;

  TwGeometrySet *geometry;
  int            hovered;
  int            selected;
  GArray        *marked;     /* int: areas with a marker (commented areas) */
};

G_DEFINE_FINAL_TYPE (TwHighlightLayer, tw_highlight_layer, SHUMATE_TYPE_LAYER)

void
tw_viewport_world_transform (ShumateViewport *viewport,
                             GtkWidget       *widget,
                             double          *origin_x,
                             double          *origin_y,
                             double          *scale)
{
  double lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  double lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  double zoom = shumate_viewport_get_zoom_level (viewport);
  ShumateMapSource *source = shumate_viewport_get_reference_map_source (viewport);
  double tile_size = source != NULL ? shumate_map_source_get_tile_size (source) : 256;
  double cx, cy;

  /* The viewport's centre sits at the widget's centre; a world unit is the whole map. */
  *scale = tile_size * exp2 (zoom);
  tw_world_from_lonlat (lon, lat, &cx, &cy);
  *origin_x = cx - gtk_widget_get_width (widget) / 2.0 / *scale;
  *origin_y = cy - gtk_widget_get_height (widget) / 2.0 / *scale;
}

static void
stroke_area (cairo_t       *cr,
             TwGeometrySet *geometry,
             guint          area,
             TwFixedColor   color,
             double         width,
             double         origin_x,
             double         origin_y,
             double         scale)
{
  double r, g, b;

  cairo_new_path (cr);
  tw_render_area_path (cr, geometry, area, origin_x, origin_y, scale);
  /* A white halo keeps the outline readable on dark and light classes alike. */
  cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
  cairo_set_line_width (cr, width + 2.5);
  cairo_stroke_preserve (cr);
  tw_palette_fixed_rgb (color, &r, &g, &b);
  cairo_set_source_rgb (cr, r, g, b);
  cairo_set_line_width (cr, width);
  cairo_stroke (cr);
}

/* The part of the widget the outline of @area covers, with room for its halo: the cairo
 * node is that size, not the whole map (the GL renderer uploads every pixel of it each
 * frame). FALSE when it is out of view. */
static gboolean
outline_rect (TwHighlightLayer      *self,
              int                    area,
              double                 origin_x,
              double                 origin_y,
              double                 scale,
              int                    width,
              int                    height,
              cairo_rectangle_int_t *rect)
{
  const double margin = 6;
  TwBox box;
  double x0, y0, x1, y1;

  tw_geometry_set_get_area_box (self->geometry, area, &box);
  x0 = MAX (0, floor ((box.min_x - origin_x) * scale - margin));
  y0 = MAX (0, floor ((box.min_y - origin_y) * scale - margin));
  x1 = MIN (width, ceil ((box.max_x - origin_x) * scale + margin));
  y1 = MIN (height, ceil ((box.max_y - origin_y) * scale + margin));
  if (x1 <= x0 || y1 <= y0)
    return FALSE;
  rect->x = (int) x0;
  rect->y = (int) y0;
  rect->width = (int) (x1 - x0);
  rect->height = (int) (y1 - y0);
  return TRUE;
}

/* A small pin on the middle of each marked area's box, with a white halo, over the fills and
 * under the hover and selection outlines. */
static void
snapshot_marks (TwHighlightLayer *self,
                GtkSnapshot      *snapshot,
                double            origin_x,
                double            origin_y,
                double            scale,
                int               width,
                int               height)
{
  const double radius = 6;
  double r, g, b;
  cairo_t *cr = NULL;

  tw_palette_fixed_rgb (TW_COLOR_SELECTION_OUTLINE, &r, &g, &b);
  for (guint i = 0; i < self->marked->len; i++)
    {
      int area = g_array_index (self->marked, int, i);
      TwBox box;
      double x, y;

      if (area < 0 || (guint) area >= tw_geometry_set_get_n_areas (self->geometry))
        continue;
      tw_geometry_set_get_area_box (self->geometry, area, &box);
      x = ((box.min_x + box.max_x) / 2 - origin_x) * scale;
      y = ((box.min_y + box.max_y) / 2 - origin_y) * scale;
      if (x < -radius || y < 0 || x > width + radius || y > height + 3 * radius)
        continue;
      if (cr == NULL)
        cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
      /* A pin: a disc with its point on the area's middle. */
      cairo_new_path (cr);
      cairo_arc (cr, x, y - 1.6 * radius, radius, 0, 2 * G_PI);
      cairo_close_path (cr);
      /* Wound as the disc is, so that the two fill as one. */
      cairo_move_to (cr, x + 0.75 * radius, y - 1.2 * radius);
      cairo_line_to (cr, x, y);
      cairo_line_to (cr, x - 0.75 * radius, y - 1.2 * radius);
      cairo_close_path (cr);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.95);
      cairo_set_line_width (cr, 3);
      cairo_stroke_preserve (cr);
      cairo_set_source_rgb (cr, r, g, b);
      cairo_fill (cr);
    }
  if (cr != NULL)
    cairo_destroy (cr);
}

static void
tw_highlight_layer_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  TwHighlightLayer *self = TW_HIGHLIGHT_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double origin_x, origin_y, scale;
  cairo_rectangle_int_t bounds = { 0 }, rect;
  gboolean any = FALSE;
  int areas[2] = { self->selected, self->hovered != self->selected ? self->hovered : -1 };
  cairo_t *cr;

  if (self->geometry == NULL || width <= 0 || height <= 0)
    return;

  tw_viewport_world_transform (viewport, widget, &origin_x, &origin_y, &scale);
  if (self->marked->len > 0)
    snapshot_marks (self, snapshot, origin_x, origin_y, scale, width, height);
  if (self->hovered < 0 && self->selected < 0)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (areas); i++)
    if (areas[i] >= 0
        && outline_rect (self, areas[i], origin_x, origin_y, scale, width, height, &rect))
      {
        if (any)
          gdk_rectangle_union ((GdkRectangle *) &bounds, (GdkRectangle *) &rect,
                               (GdkRectangle *) &bounds);
        else
          bounds = rect;
        any = TRUE;
      }
  if (!any)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (bounds.x, bounds.y,
                                                                 bounds.width, bounds.height));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  if (self->selected >= 0)
    stroke_area (cr, self->geometry, self->selected, TW_COLOR_SELECTION_OUTLINE, 3.0,
                 origin_x, origin_y, scale);
  if (self->hovered >= 0 && self->hovered != self->selected)
    stroke_area (cr, self->geometry, self->hovered, TW_COLOR_HOVER_OUTLINE, 2.0,
                 origin_x, origin_y, scale);
  cairo_destroy (cr);
}

static void
on_viewport_notify (TwHighlightLayer *self)
{
  if (self->hovered >= 0 || self->selected >= 0 || self->marked->len > 0)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
tw_highlight_layer_constructed (GObject *object)
{
  TwHighlightLayer *self = TW_HIGHLIGHT_LAYER (object);

  G_OBJECT_CLASS (tw_highlight_layer_parent_class)->constructed (object);

  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (self)), "notify",
                           G_CALLBACK (on_viewport_notify), self, G_CONNECT_SWAPPED);
}

static void
tw_highlight_layer_finalize (GObject *object)
{
  TwHighlightLayer *self = TW_HIGHLIGHT_LAYER (object);

  g_clear_pointer (&self->geometry, tw_geometry_set_unref);
  g_clear_pointer (&self->marked, g_array_unref);

  G_OBJECT_CLASS (tw_highlight_layer_parent_class)->finalize (object);
}

static void
tw_highlight_layer_class_init (TwHighlightLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tw_highlight_layer_constructed;
  object_class->finalize = tw_highlight_layer_finalize;
  widget_class->snapshot = tw_highlight_layer_snapshot;
}

static void
tw_highlight_layer_init (TwHighlightLayer *self)
{
  self->hovered = -1;
  self->selected = -1;
  self->marked = g_array_new (FALSE, FALSE, sizeof (int));
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

TwHighlightLayer *
tw_highlight_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  return g_object_new (TW_TYPE_HIGHLIGHT_LAYER, "viewport", viewport, NULL);
}

void
tw_highlight_layer_set_geometry (TwHighlightLayer *self,
                                 TwGeometrySet    *geometry)
{
  g_return_if_fail (TW_IS_HIGHLIGHT_LAYER (self));

  if (geometry != NULL)
    tw_geometry_set_ref (geometry);
  g_clear_pointer (&self->geometry, tw_geometry_set_unref);
  self->geometry = geometry;
  self->hovered = self->selected = -1;
  g_array_set_size (self->marked, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tw_highlight_layer_set_marked (TwHighlightLayer *self,
                               const int        *areas,
                               guint             n_areas)
{
  g_return_if_fail (TW_IS_HIGHLIGHT_LAYER (self));
  g_return_if_fail (areas != NULL || n_areas == 0);

  g_array_set_size (self->marked, 0);
  if (n_areas > 0)
    g_array_append_vals (self->marked, areas, n_areas);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
tw_highlight_layer_get_n_marked (TwHighlightLayer *self)
{
  g_return_val_if_fail (TW_IS_HIGHLIGHT_LAYER (self), 0);

  return self->marked->len;
}

void
tw_highlight_layer_set_hovered (TwHighlightLayer *self,
                                int               area)
{
  g_return_if_fail (TW_IS_HIGHLIGHT_LAYER (self));

  if (self->hovered == area)
    return;
  self->hovered = area;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tw_highlight_layer_set_selected (TwHighlightLayer *self,
                                 int               area)
{
  g_return_if_fail (TW_IS_HIGHLIGHT_LAYER (self));

  if (self->selected == area)
    return;
  self->selected = area;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
tw_highlight_layer_get_hovered (TwHighlightLayer *self)
{
  g_return_val_if_fail (TW_IS_HIGHLIGHT_LAYER (self), -1);

  return self->hovered;
}

int
tw_highlight_layer_get_selected (TwHighlightLayer *self)
{
  g_return_val_if_fail (TW_IS_HIGHLIGHT_LAYER (self), -1);

  return self->selected;
}
