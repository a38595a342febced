/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-map-scale"

#include <langinfo.h>
#include <math.h>
#include <glib/gi18n.h>

#include "tw-format.h"
#include "tw-map-scale.h"

#define MAX_BAR_WIDTH 120
#define METRES_PER_FOOT 0.3048
#define FEET_PER_MILE 5280

struct _TwMapScale
{
  GtkWidget        parent_instance;

  /* Owned references */
  ShumateViewport *viewport;
  char            *label;

  double           bar_width;
};

G_DEFINE_FINAL_TYPE (TwMapScale, tw_map_scale, GTK_TYPE_WIDGET)

/* The 1-2-5 step at or below @value. */
static double
round_step (double value)
{
  double decade = pow (10, floor (log10 (value)));
  double mantissa = value / decade;

  return (mantissa >= 5 ? 5 : mantissa >= 2 ? 2 : 1) * decade;
}

/* A whole number of units with the locale's separators; a fraction below one as it is. */
static char *
format_length (double value)
{
  if (value < 1)
    return g_strdup_printf ("%g", value);
  return tw_format_count_locale ((gint64) llround (value));
}

double
tw_map_scale_pick (double     metres_per_pixel,
                   double     max_pixels,
                   gboolean   imperial,
                   char     **label)
{
  double max_metres = metres_per_pixel * max_pixels;
  g_autofree char *number = NULL;
  double length, metres;

  g_return_val_if_fail (metres_per_pixel > 0 && max_pixels > 0, 0);
  g_return_val_if_fail (label != NULL, 0);

  if (imperial)
    {
      double feet = max_metres / METRES_PER_FOOT;

      /* Feet up to 2,000, then miles: no "5,000 ft" for what is about a mile. */
      if (feet < FEET_PER_MILE)
        {
          length = MIN (round_step (feet), 2000);
          metres = length * METRES_PER_FOOT;
          number = format_length (length);
          /* Translators: a length in feet on the map's scale bar: "2,000 ft" */
          *label = g_strdup_printf (_("%s ft"), number);
        }
      else
        {
          length = round_step (feet / FEET_PER_MILE);
          metres = length * FEET_PER_MILE * METRES_PER_FOOT;
          number = format_length (length);
          /* Translators: a length in miles on the map's scale bar: "10 mi" */
          *label = g_strdup_printf (_("%s mi"), number);
        }
    }
  else if (max_metres < 1000)
    {
      length = round_step (max_metres);
      metres = length;
      number = format_length (length);
      /* Translators: a length in metres on the map's scale bar: "500 m" */
      *label = g_strdup_printf (_("%s m"), number);
    }
  else
    {
      length = round_step (max_metres / 1000);
      metres = length * 1000;
      number = format_length (length);
      /* Translators: a length in kilometres on the map's scale bar: "20 km" */
      *label = g_strdup_printf (_("%s km"), number);
    }

  return metres / metres_per_pixel;
}

gboolean
tw_map_scale_locale_is_imperial (void)
{
  /* glibc's LC_MEASUREMENT: 1 metric, 2 US customary. */
  const char *measurement = nl_langinfo (_NL_MEASUREMENT_MEASUREMENT);

  return measurement != NULL && measurement[0] == 2;
}

static void
update (TwMapScale *self)
{
  g_autofree char *label = NULL;
  double zoom, latitude, metres_per_pixel;

  if (self->viewport == NULL)
    return;
  zoom = shumate_viewport_get_zoom_level (self->viewport);
  latitude = shumate_location_get_latitude (SHUMATE_LOCATION (self->viewport));
  /* Web Mercator at 256-pixel tiles: the equator's length over the world's width. */
  metres_per_pixel = 2 * G_PI * 6378137.0 * cos (latitude * G_PI / 180) / (256 * exp2 (zoom));
  if (!(metres_per_pixel > 0))
    return;
  self->bar_width = tw_map_scale_pick (metres_per_pixel, MAX_BAR_WIDTH,
                                       tw_map_scale_locale_is_imperial (), &label);
  if (g_strcmp0 (label, self->label) != 0)
    {
      g_free (self->label);
      self->label = g_steal_pointer (&label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      self->label, -1);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
tw_map_scale_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, "0 km");
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? MAX_BAR_WIDTH + 2
                                                                  : height + 8;
}

/* A bar with end ticks and the length above it, in the text colour on a halo of the map's
 * background, so that it reads over any basemap. */
static void
tw_map_scale_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  TwMapScale *self = TW_MAP_SCALE (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) layout = NULL;
  GdkRGBA color;
  cairo_t *cr;

  if (self->label == NULL)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  layout = gtk_widget_create_pango_layout (widget, self->label);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget), height));
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_SQUARE);
  for (guint pass = 0; pass < 2; pass++)
    {
      /* First a wide halo in the opposite colour, then the bar. */
      if (pass == 0)
        cairo_set_source_rgba (cr, 1 - color.red, 1 - color.green, 1 - color.blue, 0.7);
      else
        gdk_cairo_set_source_rgba (cr, &color);
      cairo_set_line_width (cr, pass == 0 ? 4 : 2);
      cairo_move_to (cr, 1, height - 7);
      cairo_line_to (cr, 1, height - 1);
      cairo_line_to (cr, 1 + self->bar_width, height - 1);
      cairo_line_to (cr, 1 + self->bar_width, height - 7);
      cairo_stroke (cr);
      cairo_move_to (cr, 4, 0);
      if (pass == 0)
        {
          pango_cairo_layout_path (cr, layout);
          cairo_set_line_width (cr, 3);
          cairo_stroke (cr);
        }
      else
        pango_cairo_show_layout (cr, layout);
    }
  cairo_destroy (cr);
}

static void
tw_map_scale_dispose (GObject *object)
{
  TwMapScale *self = TW_MAP_SCALE (object);

  tw_map_scale_set_viewport (self, NULL);

  G_OBJECT_CLASS (tw_map_scale_parent_class)->dispose (object);
}

static void
tw_map_scale_finalize (GObject *object)
{
  TwMapScale *self = TW_MAP_SCALE (object);

  g_free (self->label);

  G_OBJECT_CLASS (tw_map_scale_parent_class)->finalize (object);
}

static void
tw_map_scale_class_init (TwMapScaleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_map_scale_dispose;
  object_class->finalize = tw_map_scale_finalize;
  widget_class->measure = tw_map_scale_measure;
  widget_class->snapshot = tw_map_scale_snapshot;
  gtk_widget_class_set_css_name (widget_class, "map-scale");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tw_map_scale_init (TwMapScale *self)
{
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

void
tw_map_scale_set_viewport (TwMapScale      *self,
                           ShumateViewport *viewport)
{
  g_return_if_fail (TW_IS_MAP_SCALE (self));
  g_return_if_fail (viewport == NULL || SHUMATE_IS_VIEWPORT (viewport));

  if (self->viewport == viewport)
    return;
  if (self->viewport != NULL)
    g_signal_handlers_disconnect_by_data (self->viewport, self);
  g_set_object (&self->viewport, viewport);
  if (viewport != NULL)
    {
      g_signal_connect_object (viewport, "notify::zoom-level", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (viewport, "notify::latitude", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
      update (self);
    }
}

const char *
tw_map_scale_get_label (TwMapScale *self)
{
  g_return_val_if_fail (TW_IS_MAP_SCALE (self), NULL);

  return self->label;
}
