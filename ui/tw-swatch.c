/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-swatch"

#include <glib/gi18n.h>

#include "tw-style.h"
#include "tw-swatch.h"

/* What a swatch shows, owned by its draw function. */
typedef struct
{
  guint32  color;
  TwHatch  hatch;
} Swatch;

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  const Swatch *swatch = user_data;

  tw_style_draw_swatch (GTK_WIDGET (area), cr, width, height, swatch->color, swatch->hatch);
}

GtkWidget *
tw_swatch_new (guint32  color,
               TwHatch  hatch)
{
  GtkWidget *area = gtk_drawing_area_new ();
  Swatch *swatch = g_new (Swatch, 1);

  swatch->color = color;
  swatch->hatch = hatch;
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (area), 26);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (area), 16);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_swatch, swatch, g_free);
  gtk_widget_set_valign (area, GTK_ALIGN_CENTER);
  return area;
}

void
tw_swatch_attach_row (GtkGrid    *grid,
                      int         row,
                      guint32     color,
                      TwHatch     hatch,
                      const char *label,
                      const char *count_text)
{
  GtkWidget *text = gtk_label_new (label);
  GtkWidget *count_label = gtk_label_new (count_text);

  g_return_if_fail (GTK_IS_GRID (grid));

  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_label_set_xalign (GTK_LABEL (count_label), 1);
  gtk_widget_add_css_class (count_label, "dim-label");
  gtk_widget_add_css_class (count_label, "legend-count");
  gtk_widget_set_tooltip_text (count_label, _("Number of areas"));

  gtk_grid_attach (grid, tw_swatch_new (color, hatch), 0, row, 1, 1);
  gtk_grid_attach (grid, text, 1, row, 1, 1);
  gtk_grid_attach (grid, count_label, 2, row, 1, 1);
}
