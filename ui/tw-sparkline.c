/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-sparkline"

#include <math.h>
#include <glib/gi18n.h>

#include "tw-sparkline.h"

#define WIDTH 140
#define HEIGHT 36
#define PAD 4.0

struct _TwSparkline
{
  GtkWidget  parent_instance;

  double    *values;
  guint      n_values;
  char      *text;
};

G_DEFINE_FINAL_TYPE (TwSparkline, tw_sparkline, GTK_TYPE_WIDGET)

static void
tw_sparkline_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? WIDTH : HEIGHT;
}

static void
tw_sparkline_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  TwSparkline *self = TW_SPARKLINE (widget);
  double width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  double low = INFINITY, high = -INFINITY;
  gboolean drawing = FALSE;
  GdkRGBA color;
  cairo_t *cr;

  if (self->n_values == 0)
    return;
  for (guint i = 0; i < self->n_values; i++)
    if (isfinite (self->values[i]))
      {
        low = MIN (low, self->values[i]);
        high = MAX (high, self->values[i]);
      }
  if (!isfinite (low))
    return;
  if (high == low)
    {
      low -= 1;
      high += 1;
    }

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < self->n_values; i++)
    {
      double x = self->n_values > 1 ? PAD + (width - 2 * PAD) * i / (self->n_values - 1)
                                    : width / 2;
      double y = height - PAD - (height - 2 * PAD) * (self->values[i] - low) / (high - low);

      if (!isfinite (self->values[i]))
        {
          cairo_stroke (cr);
          drawing = FALSE;
          continue;
        }
      if (drawing)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      drawing = TRUE;
    }
  cairo_stroke (cr);
  for (guint i = 0; i < self->n_values; i++)
    {
      double x = self->n_values > 1 ? PAD + (width - 2 * PAD) * i / (self->n_values - 1)
                                    : width / 2;
      double y = height - PAD - (height - 2 * PAD) * (self->values[i] - low) / (high - low);

      if (isfinite (self->values[i]))
        {
          cairo_new_sub_path (cr);
          cairo_arc (cr, x, y, 2.5, 0, 2 * G_PI);
        }
    }
  cairo_fill (cr);
  cairo_destroy (cr);
}

static void
tw_sparkline_finalize (GObject *object)
{
  TwSparkline *self = TW_SPARKLINE (object);

  g_free (self->values);
  g_free (self->text);
  G_OBJECT_CLASS (tw_sparkline_parent_class)->finalize (object);
}

static void
tw_sparkline_class_init (TwSparklineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tw_sparkline_finalize;
  widget_class->measure = tw_sparkline_measure;
  widget_class->snapshot = tw_sparkline_snapshot;
  gtk_widget_class_set_css_name (widget_class, "sparkline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tw_sparkline_init (TwSparkline *self)
{
  self->text = g_strdup ("");
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
tw_sparkline_new (void)
{
  return g_object_new (TW_TYPE_SPARKLINE, NULL);
}

void
tw_sparkline_set_values (TwSparkline        *self,
                         const double       *values,
                         const char *const  *periods,
                         const char *const  *texts,
                         guint               n_values)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_if_fail (TW_IS_SPARKLINE (self));
  g_return_if_fail (values == NULL || periods != NULL);

  g_clear_pointer (&self->values, g_free);
  self->n_values = values != NULL ? n_values : 0;
  self->values = g_memdup2 (values, sizeof (double) * self->n_values);
  for (guint i = 0; i < self->n_values; i++)
    {
      g_string_append_printf (text, "%s%s: ", i > 0 ? "; " : "", periods[i]);
      if (!isfinite (values[i]))
        g_string_append (text, _("not shown"));
      else if (texts != NULL)
        g_string_append (text, texts[i]);
      else
        g_string_append_printf (text, "%.1f", values[i]);
    }
  g_free (self->text);
  self->text = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Rate by period"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->text, -1);
  gtk_widget_set_visible (GTK_WIDGET (self), self->n_values > 1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
tw_sparkline_get_text (TwSparkline *self)
{
  g_return_val_if_fail (TW_IS_SPARKLINE (self), "");

  return gtk_widget_get_visible (GTK_WIDGET (self)) ? self->text : "";
}
