/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-footprint-layer"

#include <math.h>

#include "tw-footprint-layer.h"
#include "tw-renderer.h"
#include "tw-style.h"
#include "tw-highlight-layer.h"
#include "tw-palette.h"

typedef struct
{
  char   *label;
  GArray *areas;   /* guint */
} Footprint;

struct _TwFootprintLayer
{
  ShumateLayer   parent_instance;

  TwGeometrySet *geometry;
  GPtrArray     *footprints;   /* Footprint * */
  gboolean       choosing;
  GArray        *chosen;       /* guint */
  GArray        *band;         /* double x, y pairs */
  gboolean       band_is_rectangle;
};

G_DEFINE_FINAL_TYPE (TwFootprintLayer, tw_footprint_layer, SHUMATE_TYPE_LAYER)

static void
footprint_free (Footprint *footprint)
{
  g_free (footprint->label);
  g_array_unref (footprint->areas);
  g_free (footprint);
}

/* The areas filled lightly, then every outline: white halos first, so that the colour of
 * one area's border is never covered by its neighbour's halo. */
static void
draw_areas (cairo_t       *cr,
            TwGeometrySet *geometry,
            GArray        *areas,
            TwFixedColor   color,
            double         fill_alpha,
            double         width,
            double         origin_x,
            double         origin_y,
            double         scale)
{
  double r, g, b;

  tw_palette_fixed_rgb (color, &r, &g, &b);
  cairo_new_path (cr);
  for (guint i = 0; i < areas->len; i++)
    tw_render_area_path (cr, geometry, g_array_index (areas, guint, i), origin_x, origin_y, scale);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_set_source_rgba (cr, r, g, b, fill_alpha);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.85);
  cairo_set_line_width (cr, width + 2.5);
  cairo_stroke_preserve (cr);
  cairo_set_source_rgb (cr, r, g, b);
  cairo_set_line_width (cr, width);
  cairo_stroke (cr);
}

static void
draw_label (GtkWidget     *widget,
            cairo_t       *cr,
            TwGeometrySet *geometry,
            Footprint     *footprint,
            double         origin_x,
            double         origin_y,
            double         scale)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, footprint->label);
  PangoFontDescription *font = pango_font_description_from_string ("Sans Bold 10");
  TwBox all = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
  int text_width, text_height;
  GdkRGBA pill, text;
  double x, y;

  for (guint i = 0; i < footprint->areas->len; i++)
    {
      TwBox box;

      tw_geometry_set_get_area_box (geometry, g_array_index (footprint->areas, guint, i), &box);
      all.min_x = MIN (all.min_x, box.min_x);
      all.min_y = MIN (all.min_y, box.min_y);
      all.max_x = MAX (all.max_x, box.max_x);
      all.max_y = MAX (all.max_y, box.max_y);
    }

  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_width (layout, 260 * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  /* Below the footprint, so the label never hides the areas it names. */
  x = ((all.min_x + all.max_x) / 2 - origin_x) * scale - text_width / 2.0;
  y = (all.max_y - origin_y) * scale + 6;

  /* A pill of the map cards' colour behind the title keeps it readable over any class
   * colour, in the cards' text colour. */
  tw_style_lookup_color (widget, "popover_bg_color", 0xFFFFFF, &pill);
  tw_style_lookup_color (widget, "popover_fg_color", tw_palette_fixed_color (TW_COLOR_LEGEND_TEXT),
                         &text);
  {
    double px = x - 6, py = y - 2, pw = text_width + 12, ph = text_height + 4;
    double radius = ph / 2;

    cairo_new_sub_path (cr);
    cairo_arc (cr, px + pw - radius, py + radius, radius, -G_PI / 2, G_PI / 2);
    cairo_arc (cr, px + radius, py + radius, radius, G_PI / 2, 3 * G_PI / 2);
    cairo_close_path (cr);
    tw_style_set_source (cr, &pill, 0.92);
    cairo_fill (cr);
  }
  tw_style_set_source (cr, &text, 1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_band (TwFootprintLayer *self,
           cairo_t          *cr)
{
  const double *p = (const double *) self->band->data;
  double r, g, b;

  cairo_new_path (cr);
  if (self->band_is_rectangle)
    cairo_rectangle (cr, MIN (p[0], p[2]), MIN (p[1], p[3]), fabs (p[2] - p[0]),
                     fabs (p[3] - p[1]));
  else
    {
      cairo_move_to (cr, p[0], p[1]);
      for (guint i = 1; i < self->band->len / 2; i++)
        cairo_line_to (cr, p[2 * i], p[2 * i + 1]);
      cairo_close_path (cr);
    }
  tw_palette_fixed_rgb (TW_COLOR_SELECTION_OUTLINE, &r, &g, &b);
  cairo_set_source_rgba (cr, r, g, b, 0.12);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, r, g, b);
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, (double[]) { 6, 4 }, 2, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

static void
tw_footprint_layer_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  TwFootprintLayer *self = TW_FOOTPRINT_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double origin_x, origin_y, scale;
  cairo_t *cr;

  if (self->geometry == NULL || width <= 0 || height <= 0
      || (self->footprints->len == 0 && !self->choosing && self->band->len == 0))
    return;

  tw_viewport_world_transform (viewport, widget, &origin_x, &origin_y, &scale);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  for (guint i = 0; i < self->footprints->len; i++)
    draw_areas (cr, self->geometry, ((Footprint *) g_ptr_array_index (self->footprints, i))->areas,
                TW_COLOR_PROJECT_OUTLINE, 0.16, 2.5, origin_x, origin_y, scale);
  for (guint i = 0; i < self->footprints->len; i++)
    draw_label (widget, cr, self->geometry, g_ptr_array_index (self->footprints, i),
                origin_x, origin_y, scale);
  if (self->choosing && self->chosen->len > 0)
    draw_areas (cr, self->geometry, self->chosen, TW_COLOR_SELECTION_OUTLINE, 0.28, 2.0,
                origin_x, origin_y, scale);
  if (self->band->len >= 4)
    draw_band (self, cr);

  cairo_destroy (cr);
}

static void
on_viewport_notify (TwFootprintLayer *self)
{
  if (self->footprints->len > 0 || self->choosing)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
tw_footprint_layer_constructed (GObject *object)
{
  TwFootprintLayer *self = TW_FOOTPRINT_LAYER (object);

  G_OBJECT_CLASS (tw_footprint_layer_parent_class)->constructed (object);

  g_signal_connect_object (shumate_layer_get_viewport (SHUMATE_LAYER (self)), "notify",
                           G_CALLBACK (on_viewport_notify), self, G_CONNECT_SWAPPED);
}

static void
tw_footprint_layer_finalize (GObject *object)
{
  TwFootprintLayer *self = TW_FOOTPRINT_LAYER (object);

  g_clear_pointer (&self->geometry, tw_geometry_set_unref);
  g_ptr_array_unref (self->footprints);
  g_array_unref (self->chosen);
  g_array_unref (self->band);

  G_OBJECT_CLASS (tw_footprint_layer_parent_class)->finalize (object);
}

static void
tw_footprint_layer_class_init (TwFootprintLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tw_footprint_layer_constructed;
  object_class->finalize = tw_footprint_layer_finalize;
  widget_class->snapshot = tw_footprint_layer_snapshot;
}

static void
tw_footprint_layer_init (TwFootprintLayer *self)
{
  self->footprints = g_ptr_array_new_with_free_func ((GDestroyNotify) footprint_free);
  self->chosen = g_array_new (FALSE, FALSE, sizeof (guint));
  self->band = g_array_new (FALSE, FALSE, sizeof (double));
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

TwFootprintLayer *
tw_footprint_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  return g_object_new (TW_TYPE_FOOTPRINT_LAYER, "viewport", viewport, NULL);
}

void
tw_footprint_layer_set_geometry (TwFootprintLayer *self,
                                 TwGeometrySet    *geometry)
{
  g_return_if_fail (TW_IS_FOOTPRINT_LAYER (self));

  if (geometry == self->geometry)
    return;
  if (geometry != NULL)
    tw_geometry_set_ref (geometry);
  g_clear_pointer (&self->geometry, tw_geometry_set_unref);
  self->geometry = geometry;
  g_ptr_array_set_size (self->footprints, 0);
  g_array_set_size (self->chosen, 0);
  g_array_set_size (self->band, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

TwGeometrySet *
tw_footprint_layer_get_geometry (TwFootprintLayer *self)
{
  g_return_val_if_fail (TW_IS_FOOTPRINT_LAYER (self), NULL);

  return self->geometry;
}

void
tw_footprint_layer_clear (TwFootprintLayer *self)
{
  g_return_if_fail (TW_IS_FOOTPRINT_LAYER (self));

  g_ptr_array_set_size (self->footprints, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tw_footprint_layer_add (TwFootprintLayer *self,
                        const char       *label,
                        const guint      *areas,
                        guint             n_areas)
{
  Footprint *footprint;

  g_return_if_fail (TW_IS_FOOTPRINT_LAYER (self));
  g_return_if_fail (areas != NULL || n_areas == 0);

  if (self->geometry == NULL || n_areas == 0)
    return;
  footprint = g_new0 (Footprint, 1);
  footprint->label = g_strdup (label != NULL ? label : "");
  footprint->areas = g_array_sized_new (FALSE, FALSE, sizeof (guint), n_areas);
  g_array_append_vals (footprint->areas, areas, n_areas);
  g_ptr_array_add (self->footprints, footprint);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
tw_footprint_layer_get_n_footprints (TwFootprintLayer *self)
{
  g_return_val_if_fail (TW_IS_FOOTPRINT_LAYER (self), 0);

  return self->footprints->len;
}

void
tw_footprint_layer_set_chosen (TwFootprintLayer *self,
                               gboolean          active,
                               const guint      *areas,
                               guint             n_areas)
{
  g_return_if_fail (TW_IS_FOOTPRINT_LAYER (self));
  g_return_if_fail (areas != NULL || n_areas == 0);

  self->choosing = active;
  g_array_set_size (self->chosen, 0);
  if (active)
    g_array_append_vals (self->chosen, areas, n_areas);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tw_footprint_layer_set_band (TwFootprintLayer *self,
                             const double     *points,
                             guint             n_points,
                             gboolean          is_rectangle)
{
  g_return_if_fail (TW_IS_FOOTPRINT_LAYER (self));
  g_return_if_fail (points != NULL || n_points == 0);

  g_array_set_size (self->band, 0);
  g_array_append_vals (self->band, points, 2 * n_points);
  self->band_is_rectangle = is_rectangle;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
