/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-style"

#include <math.h>
#include <adwaita.h>

#include "tw-palette.h"
#include "tw-style.h"

void
tw_style_get_foreground (GtkWidget *widget,
                         GdkRGBA   *color)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (color != NULL);

  /* gtk_widget_get_color () is GTK 4.10. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

void
tw_style_lookup_color (GtkWidget  *widget,
                       const char *name,
                       guint32     fallback,
                       GdkRGBA    *color)
{
  gboolean found;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (name != NULL);
  g_return_if_fail (color != NULL);

  /* GTK 4.8 has no other way to read a named colour; CSS custom properties are 4.16. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  found = gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  if (!found)
    {
      double r, g, b;

      tw_color_to_rgb (fallback, &r, &g, &b);
      *color = (GdkRGBA) { r, g, b, 1 };
    }
}

guint32
tw_style_rgba_to_rgb (const GdkRGBA *color)
{
  g_return_val_if_fail (color != NULL, 0);

  return ((guint32) lround (CLAMP (color->red, 0, 1) * 255) << 16)
         | ((guint32) lround (CLAMP (color->green, 0, 1) * 255) << 8)
         | (guint32) lround (CLAMP (color->blue, 0, 1) * 255);
}

void
tw_style_set_source (cairo_t       *cr,
                     const GdkRGBA *color,
                     double         alpha)
{
  g_return_if_fail (cr != NULL);
  g_return_if_fail (color != NULL);

  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

gboolean
tw_style_is_high_contrast (void)
{
  return adw_style_manager_get_high_contrast (adw_style_manager_get_default ());
}

void
tw_style_draw_swatch (GtkWidget *widget,
                      cairo_t   *cr,
                      int        width,
                      int        height,
                      guint32    fill,
                      TwHatch    hatch)
{
  GdkRGBA fg;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (cr != NULL);

  /* The hatch is data, as on the map and in exports: the same colours in every style. */
  tw_render_hatched_rectangle (cr, fill, hatch, 0, 0, width, height, 1.0);

  tw_style_get_foreground (widget, &fg);
  tw_style_set_source (cr, &fg, tw_style_is_high_contrast () ? 1.0 : 0.55);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, 0.5, 0.5, width - 1, height - 1);
  cairo_stroke (cr);
}

PangoLayout *
tw_style_create_layout (GtkWidget  *widget,
                        const char *text,
                        double      scale)
{
  PangoLayout *layout;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  layout = gtk_widget_create_pango_layout (widget, text);
  if (scale != 1.0)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_scale_new (scale));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  return layout;
}

void
tw_style_show_text (GtkWidget  *widget,
                    cairo_t    *cr,
                    const char *text,
                    double      scale,
                    double      x,
                    double      y,
                    double      xalign,
                    double      yalign)
{
  g_autoptr(PangoLayout) layout = NULL;
  int width, height;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (cr != NULL);

  layout = tw_style_create_layout (widget, text, scale);
  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, x - xalign * width, y - yalign * height);
  pango_cairo_show_layout (cr, layout);
}
