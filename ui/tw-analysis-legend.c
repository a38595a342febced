/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-analysis-legend"

#include <glib/gi18n.h>
#include <string.h>

#include "tw-analysis-legend.h"
#include "tw-palette.h"
#include "tw-style.h"
#include "tw-swatch.h"

/* The square: 3 × 3 swatches of CELL pixels, the attribute axis on the left. */
#define CELL 34
#define SQUARE_LEFT 44
#define SQUARE_TOP 6
/* The size of tick labels and axis titles, relative to the font's. */
#define SMALL_TEXT 0.8

struct _TwAnalysisLegend
{
  GtkBox          parent_instance;

  GtkLabel       *title;
  GtkLabel       *subtitle;
  GtkGrid        *rows;
  GtkDrawingArea *square;

  GString        *text;
  int             n_rows;
  guint32         colors[9];
  char           *x_label, *y_label;
  char           *x_ticks[2], *y_ticks[2];
};

G_DEFINE_FINAL_TYPE (TwAnalysisLegend, tw_analysis_legend, GTK_TYPE_BOX)

static void
draw_square (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  TwAnalysisLegend *self = user_data;
  GtkWidget *widget = GTK_WIDGET (area);
  double size = 3 * CELL;
  GdkRGBA fg, card;

  tw_style_get_foreground (widget, &fg);
  /* The card's colour between the cells: gaps, in every style. */
  tw_style_lookup_color (widget, "popover_bg_color", 0xFFFFFF, &card);
  for (guint a = 0; a < 3; a++)
    for (guint r = 0; r < 3; r++)
      {
        double red, green, blue;

        tw_color_to_rgb (self->colors[a * 3 + r], &red, &green, &blue);
        cairo_set_source_rgb (cr, red, green, blue);
        /* The attribute grows upwards, the rate to the right. */
        cairo_rectangle (cr, SQUARE_LEFT + r * CELL, SQUARE_TOP + (2 - a) * CELL, CELL, CELL);
        cairo_fill (cr);
      }
  tw_style_set_source (cr, &card, 1);
  cairo_set_line_width (cr, 1);
  for (guint k = 1; k < 3; k++)
    {
      cairo_move_to (cr, SQUARE_LEFT + k * CELL + 0.5, SQUARE_TOP);
      cairo_line_to (cr, SQUARE_LEFT + k * CELL + 0.5, SQUARE_TOP + size);
      cairo_move_to (cr, SQUARE_LEFT, SQUARE_TOP + k * CELL + 0.5);
      cairo_line_to (cr, SQUARE_LEFT + size, SQUARE_TOP + k * CELL + 0.5);
    }
  cairo_stroke (cr);

  /* Axes with arrows, the inner breaks at the swatches' edges. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.85);
  cairo_set_line_width (cr, 1.2);
  cairo_move_to (cr, SQUARE_LEFT, SQUARE_TOP + size + 3.5);
  cairo_line_to (cr, SQUARE_LEFT + size + 10, SQUARE_TOP + size + 3.5);
  cairo_rel_line_to (cr, -5, -3);
  cairo_move_to (cr, SQUARE_LEFT + size + 10, SQUARE_TOP + size + 3.5);
  cairo_rel_line_to (cr, -5, 3);
  cairo_move_to (cr, SQUARE_LEFT - 3.5, SQUARE_TOP + size);
  cairo_line_to (cr, SQUARE_LEFT - 3.5, SQUARE_TOP - 4);
  cairo_rel_line_to (cr, -3, 5);
  cairo_move_to (cr, SQUARE_LEFT - 3.5, SQUARE_TOP - 4);
  cairo_rel_line_to (cr, 3, 5);
  cairo_stroke (cr);

  for (guint k = 0; k < 2; k++)
    {
      if (self->x_ticks[k] != NULL)
        tw_style_show_text (widget, cr, self->x_ticks[k], SMALL_TEXT,
                            SQUARE_LEFT + (k + 1) * CELL, SQUARE_TOP + size + 6, 0.5, 0);
      if (self->y_ticks[k] != NULL)
        tw_style_show_text (widget, cr, self->y_ticks[k], SMALL_TEXT, SQUARE_LEFT - 7,
                            SQUARE_TOP + (2 - k - 1) * CELL + CELL, 1, 0.5);
    }
  if (self->x_label != NULL)
    tw_style_show_text (widget, cr, self->x_label, SMALL_TEXT, SQUARE_LEFT + size / 2,
                        height - 1, 0.5, 1);
  if (self->y_label != NULL)
    {
      cairo_save (cr);
      cairo_translate (cr, SQUARE_LEFT + size + 14, SQUARE_TOP + size / 2);
      cairo_rotate (cr, -G_PI / 2);
      tw_style_show_text (widget, cr, self->y_label, SMALL_TEXT, 0, 0, 0.5, 0);
      cairo_restore (cr);
    }
}

static void
tw_analysis_legend_finalize (GObject *object)
{
  TwAnalysisLegend *self = TW_ANALYSIS_LEGEND (object);

  g_string_free (self->text, TRUE);
  g_free (self->x_label);
  g_free (self->y_label);
  for (guint k = 0; k < 2; k++)
    {
      g_free (self->x_ticks[k]);
      g_free (self->y_ticks[k]);
    }

  G_OBJECT_CLASS (tw_analysis_legend_parent_class)->finalize (object);
}

static void
tw_analysis_legend_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_ANALYSIS_LEGEND);
  G_OBJECT_CLASS (tw_analysis_legend_parent_class)->dispose (object);
}

static void
tw_analysis_legend_class_init (TwAnalysisLegendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_analysis_legend_dispose;
  object_class->finalize = tw_analysis_legend_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/"
                                               "tw-analysis-legend.ui");
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisLegend, title);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisLegend, subtitle);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisLegend, rows);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisLegend, square);
}

static void
tw_analysis_legend_init (TwAnalysisLegend *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->text = g_string_new (NULL);
  gtk_drawing_area_set_draw_func (self->square, draw_square, self, NULL);
}

void
tw_analysis_legend_begin (TwAnalysisLegend *self,
                          const char       *title,
                          const char       *subtitle)
{
  GtkWidget *child;
  g_autofree char *valid_title = g_utf8_make_valid (title != NULL ? title : "", -1);
  g_autofree char *valid_subtitle = g_utf8_make_valid (subtitle != NULL ? subtitle : "", -1);

  g_return_if_fail (TW_IS_ANALYSIS_LEGEND (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rows))) != NULL)
    gtk_grid_remove (self->rows, child);
  self->n_rows = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->square), FALSE);
  gtk_label_set_text (self->title, valid_title);
  gtk_label_set_text (self->subtitle, valid_subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle), *valid_subtitle != '\0');
  g_string_printf (self->text, "%s. ", valid_title);
  if (*valid_subtitle != '\0')
    g_string_append_printf (self->text, "%s. ", valid_subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

void
tw_analysis_legend_add_row (TwAnalysisLegend *self,
                            guint32           color,
                            gboolean          hatched,
                            const char       *label,
                            guint             count)
{
  g_autofree char *count_text = g_strdup_printf ("%u", count);

  g_return_if_fail (TW_IS_ANALYSIS_LEGEND (self));

  tw_swatch_attach_row (self->rows, self->n_rows, color,
                        hatched ? TW_HATCH_SUPPRESSED : TW_HATCH_NONE, label, count_text);
  self->n_rows++;
  g_string_append_printf (self->text, "%s: %u %s. ", label, count,
                          ngettext ("area", "areas", count));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Legend"), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->text->str, -1);
}

void
tw_analysis_legend_set_square (TwAnalysisLegend *self,
                               const guint32    *colors,
                               const char       *x_label,
                               const char       *y_label,
                               const char *const x_ticks[2],
                               const char *const y_ticks[2])
{
  g_return_if_fail (TW_IS_ANALYSIS_LEGEND (self));

  memcpy (self->colors, colors, sizeof self->colors);
  g_free (self->x_label);
  g_free (self->y_label);
  self->x_label = g_utf8_make_valid (x_label, -1);
  self->y_label = g_utf8_make_valid (y_label, -1);
  for (guint k = 0; k < 2; k++)
    {
      g_free (self->x_ticks[k]);
      g_free (self->y_ticks[k]);
      self->x_ticks[k] = g_strdup (x_ticks[k]);
      self->y_ticks[k] = g_strdup (y_ticks[k]);
    }
  g_string_append_printf (self->text, _("Square legend: %s across (breaks %s and %s), %s "
                                        "upwards (breaks %s and %s). "),
                          self->x_label, x_ticks[0], x_ticks[1], self->y_label, y_ticks[0],
                          y_ticks[1]);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Legend"), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->text->str, -1);
  gtk_widget_set_visible (GTK_WIDGET (self->square), TRUE);
  gtk_widget_queue_draw (GTK_WIDGET (self->square));
}

void
tw_analysis_legend_clear (TwAnalysisLegend *self)
{
  g_return_if_fail (TW_IS_ANALYSIS_LEGEND (self));

  g_string_truncate (self->text, 0);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

const char *
tw_analysis_legend_get_text (TwAnalysisLegend *self)
{
  g_return_val_if_fail (TW_IS_ANALYSIS_LEGEND (self), NULL);
  return self->text->str;
}

GtkWidget *
tw_analysis_legend_get_square (TwAnalysisLegend *self)
{
  g_return_val_if_fail (TW_IS_ANALYSIS_LEGEND (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->square)) ? GTK_WIDGET (self->square) : NULL;
}

void
tw_analysis_legend_get_swatch_centre (TwAnalysisLegend *self,
                                      guint             rate_tertile,
                                      guint             attribute_tertile,
                                      double           *x,
                                      double           *y)
{
  g_return_if_fail (TW_IS_ANALYSIS_LEGEND (self));

  *x = SQUARE_LEFT + rate_tertile * CELL + CELL / 2.0;
  *y = SQUARE_TOP + (2 - attribute_tertile) * CELL + CELL / 2.0;
}
