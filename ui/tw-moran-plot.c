/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-moran-plot"

#include <glib/gi18n.h>
#include <math.h>

#include "tw-moran-plot.h"
#include "tw-palette.h"
#include "tw-style.h"

#define MARGIN_LEFT 44
#define MARGIN_RIGHT 12
#define MARGIN_TOP 12
#define MARGIN_BOTTOM 40
#define POINT_RADIUS 4.0
#define HIT_RADIUS 8.0
/* The size of tick labels and axis titles, relative to the font's. */
#define SMALL_TEXT 0.8

typedef struct
{
  guint  area;
  double x, y;      /* standardised rate, lag */
  guint8 cluster;
} Point;

struct _TwMoranPlot
{
  GtkWidget    parent_instance;

  GArray      *points;    /* Point, drawn in order: not significant first */
  TwAreaLayer *layer;
  double       slope;     /* Moran's I */
  double       range_x, range_y;
  guint        n_hidden;
  int          selected;
};

G_DEFINE_FINAL_TYPE (TwMoranPlot, tw_moran_plot, GTK_TYPE_WIDGET)

enum
{
  AREA_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  double left, top, width, height;
} Frame;

static void
get_frame (TwMoranPlot *self,
           Frame       *frame)
{
  GtkWidget *widget = GTK_WIDGET (self);

  frame->left = MARGIN_LEFT;
  frame->top = MARGIN_TOP;
  frame->width = MAX (1, gtk_widget_get_width (widget) - MARGIN_LEFT - MARGIN_RIGHT);
  frame->height = MAX (1, gtk_widget_get_height (widget) - MARGIN_TOP - MARGIN_BOTTOM);
}

static void
to_widget (TwMoranPlot *self,
           const Frame *frame,
           double       x,
           double       y,
           double      *wx,
           double      *wy)
{
  *wx = frame->left + (x + self->range_x) / (2 * self->range_x) * frame->width;
  *wy = frame->top + (self->range_y - y) / (2 * self->range_y) * frame->height;
}

static void
set_rgb (cairo_t *cr,
         guint32  color,
         double   alpha)
{
  double r, g, b;

  tw_color_to_rgb (color, &r, &g, &b);
  cairo_set_source_rgba (cr, r, g, b, alpha);
}

/* A quadrant's name, after a dot of its cluster's colour: the words carry the meaning,
 * in the text colour, which reads in every style (a pale cluster colour would not). */
static void
draw_quadrant_name (GtkWidget     *widget,
                    cairo_t       *cr,
                    const GdkRGBA *fg,
                    guint32        color,
                    const char    *text,
                    double         x,
                    double         y,
                    double         xalign,
                    double         yalign)
{
  g_autoptr(PangoLayout) layout = tw_style_create_layout (widget, text, SMALL_TEXT);
  const double dot = POINT_RADIUS + 1, gap = 4;
  double left, top;
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  left = x - xalign * (2 * dot + gap + width);
  top = y - yalign * height;

  cairo_new_path (cr);
  cairo_arc (cr, left + dot, top + height / 2.0, dot, 0, 2 * G_PI);
  set_rgb (cr, color, 1);
  cairo_fill_preserve (cr);
  tw_style_set_source (cr, fg, 0.6);
  cairo_set_line_width (cr, 0.8);
  cairo_stroke (cr);
  tw_style_set_source (cr, fg, 0.85);
  cairo_move_to (cr, left + 2 * dot + gap, top);
  pango_cairo_show_layout (cr, layout);
}

static void
tw_moran_plot_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  TwMoranPlot *self = TW_MORAN_PLOT (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  const guint32 *colors = tw_analysis_lisa_colors ();
  GdkRGBA fg, plot_bg, accent;
  Frame f;
  cairo_t *cr;
  double x0, y0, x1, y1;

  if (width < 40 || height < 40)
    return;
  get_frame (self, &f);
  tw_style_get_foreground (widget, &fg);
  tw_style_lookup_color (widget, "view_bg_color", 0xFFFFFF, &plot_bg);
  tw_style_lookup_color (widget, "accent_color",
                         tw_palette_fixed_color (TW_COLOR_SELECTION_OUTLINE), &accent);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  tw_style_set_source (cr, &plot_bg, 1);
  cairo_rectangle (cr, f.left, f.top, f.width, f.height);
  cairo_fill (cr);

  if (self->points->len == 0 && self->n_hidden == 0)
    {
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
      tw_style_show_text (widget, cr, _("Run a LISA analysis to see the Moran scatterplot"),
                          SMALL_TEXT, f.left + f.width / 2, f.top + f.height / 2, 0.5, 0.5);
      cairo_destroy (cr);
      return;
    }

  /* Ticks every standard deviation, labelled in standard deviations (not rates). */
  cairo_set_line_width (cr, 1);
  for (int t = -(int) floor (self->range_x); t <= (int) floor (self->range_x); t++)
    {
      g_autofree char *label = g_strdup_printf ("%d", t);

      to_widget (self, &f, t, 0, &x0, &y0);
      tw_style_set_source (cr, &fg, 0.12);
      cairo_move_to (cr, round (x0) + 0.5, f.top);
      cairo_line_to (cr, round (x0) + 0.5, f.top + f.height);
      cairo_stroke (cr);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
      tw_style_show_text (widget, cr, label, SMALL_TEXT, x0, f.top + f.height + 3, 0.5, 0);
    }
  for (int t = -(int) floor (self->range_y); t <= (int) floor (self->range_y); t++)
    {
      g_autofree char *label = g_strdup_printf ("%d", t);

      to_widget (self, &f, 0, t, &x0, &y0);
      tw_style_set_source (cr, &fg, 0.12);
      cairo_move_to (cr, f.left, round (y0) + 0.5);
      cairo_line_to (cr, f.left + f.width, round (y0) + 0.5);
      cairo_stroke (cr);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
      tw_style_show_text (widget, cr, label, SMALL_TEXT, f.left - 4, y0, 1, 0.5);
    }

  /* Quadrant lines through the means. */
  tw_style_set_source (cr, &fg, 0.6);
  cairo_set_line_width (cr, 1);
  cairo_set_dash (cr, (double[]) { 4, 3 }, 2, 0);
  to_widget (self, &f, 0, 0, &x0, &y0);
  cairo_move_to (cr, round (x0) + 0.5, f.top);
  cairo_line_to (cr, round (x0) + 0.5, f.top + f.height);
  cairo_move_to (cr, f.left, round (y0) + 0.5);
  cairo_line_to (cr, f.left + f.width, round (y0) + 0.5);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  draw_quadrant_name (widget, cr, &fg, colors[TW_LISA_HIGH_HIGH], _("High–high"),
                      f.left + f.width - 4, f.top + 3, 1, 0);
  draw_quadrant_name (widget, cr, &fg, colors[TW_LISA_LOW_LOW], _("Low–low"),
                      f.left + 4, f.top + f.height - 3, 0, 1);
  draw_quadrant_name (widget, cr, &fg, colors[TW_LISA_LOW_HIGH], _("Low–high"),
                      f.left + 4, f.top + 3, 0, 0);
  draw_quadrant_name (widget, cr, &fg, colors[TW_LISA_HIGH_LOW], _("High–low"),
                      f.left + f.width - 4, f.top + f.height - 3, 1, 1);

  /* The regression line of the lag on the value: its slope is I. */
  cairo_save (cr);
  cairo_rectangle (cr, f.left, f.top, f.width, f.height);
  cairo_clip (cr);
  to_widget (self, &f, -self->range_x, -self->range_x * self->slope, &x0, &y0);
  to_widget (self, &f, self->range_x, self->range_x * self->slope, &x1, &y1);
  tw_style_set_source (cr, &fg, 0.85);
  cairo_set_line_width (cr, 1.6);
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1, y1);
  cairo_stroke (cr);

  for (guint i = 0; i < self->points->len; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      to_widget (self, &f, p->x, p->y, &x0, &y0);
      cairo_arc (cr, x0, y0, POINT_RADIUS, 0, 2 * G_PI);
      set_rgb (cr, p->cluster == TW_LISA_NOT_SIGNIFICANT ? 0xBDBDBD : colors[p->cluster], 0.95);
      cairo_fill_preserve (cr);
      tw_style_set_source (cr, &fg, 0.55);
      cairo_set_line_width (cr, 0.8);
      cairo_stroke (cr);
    }

  for (guint i = 0; i < self->points->len; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      if ((int) p->area != self->selected)
        continue;
      to_widget (self, &f, p->x, p->y, &x0, &y0);
      tw_style_set_source (cr, &accent, 1);
      cairo_set_line_width (cr, 2.5);
      cairo_arc (cr, x0, y0, POINT_RADIUS + 3.5, 0, 2 * G_PI);
      cairo_stroke (cr);
    }
  cairo_restore (cr);

  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.5);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, f.left + 0.5, f.top + 0.5, f.width - 1, f.height - 1);
  cairo_stroke (cr);

  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.85);
  tw_style_show_text (widget, cr, _("Rate, standardised →"), SMALL_TEXT, f.left + f.width / 2,
                      height - 2, 0.5, 1);
  cairo_save (cr);
  cairo_translate (cr, 2, f.top + f.height / 2);
  cairo_rotate (cr, -G_PI / 2);
  tw_style_show_text (widget, cr, _("Neighbours’ rates (spatial lag) →"), SMALL_TEXT,
                      0, 0, 0.5, 0);
  cairo_restore (cr);

  cairo_destroy (cr);
}

static int
nearest_point (TwMoranPlot *self,
               double       x,
               double       y)
{
  Frame f;
  double best = HIT_RADIUS * HIT_RADIUS;
  int found = -1;

  get_frame (self, &f);
  for (guint i = 0; i < self->points->len; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);
      double px, py, d;

      to_widget (self, &f, p->x, p->y, &px, &py);
      d = (px - x) * (px - x) + (py - y) * (py - y);
      if (d <= best)
        {
          best = d;
          found = (int) i;
        }
    }
  return found;
}

static gboolean
on_query_tooltip (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  TwMoranPlot *self = TW_MORAN_PLOT (widget);
  int i = nearest_point (self, x, y);
  const Point *p;
  const char *name;
  g_autofree char *text = NULL, *valid = NULL;

  if (i < 0 || self->layer == NULL)
    return FALSE;
  p = &g_array_index (self->points, Point, i);
  name = tw_area_layer_get_name (self->layer, p->area);
  if (name == NULL || *name == '\0')
    name = tw_area_layer_get_geoid (self->layer, p->area);
  /* Only areas whose rate may be shown have a point, so their figures may show too. */
  text = g_strdup_printf (_("%s\n%s\nStandardised rate %.2f · lag %.2f"), name,
                          tw_lisa_cluster_to_string (p->cluster), p->x, p->y);
  valid = g_utf8_make_valid (text, -1);
  gtk_tooltip_set_text (tooltip, valid);
  return TRUE;
}

static void
on_released (GtkGestureClick *gesture,
             int              n_press,
             double           x,
             double           y,
             TwMoranPlot     *self)
{
  tw_moran_plot_activate_at (self, x, y);
}

static void
tw_moran_plot_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  *minimum = 160;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 320 : 300;
}

static void
tw_moran_plot_finalize (GObject *object)
{
  TwMoranPlot *self = TW_MORAN_PLOT (object);

  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->layer, tw_area_layer_unref);

  G_OBJECT_CLASS (tw_moran_plot_parent_class)->finalize (object);
}

static void
tw_moran_plot_class_init (TwMoranPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tw_moran_plot_finalize;
  widget_class->snapshot = tw_moran_plot_snapshot;
  widget_class->measure = tw_moran_plot_measure;

  /**
   * TwMoranPlot::area-activated:
   * @area: the layer's index of the area whose point was clicked
   *
   * Emitted when a point is clicked.
   */
  signals[AREA_ACTIVATED] =
    g_signal_new ("area-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_css_name (widget_class, "moran-plot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tw_moran_plot_init (TwMoranPlot *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->points = g_array_new (FALSE, FALSE, sizeof (Point));
  self->selected = -1;
  self->range_x = self->range_y = 2.5;
  g_signal_connect (click, "released", G_CALLBACK (on_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Moran scatterplot"), -1);
}

GtkWidget *
tw_moran_plot_new (void)
{
  return g_object_new (TW_TYPE_MORAN_PLOT, NULL);
}

void
tw_moran_plot_set_analysis (TwMoranPlot      *self,
                            const TwAnalysis *analysis,
                            TwAreaLayer      *layer)
{
  double extent_x = 0, extent_y = 0;

  g_return_if_fail (TW_IS_MORAN_PLOT (self));

  g_array_set_size (self->points, 0);
  g_clear_pointer (&self->layer, tw_area_layer_unref);
  self->n_hidden = 0;
  self->slope = 0;
  if (analysis != NULL && analysis->kind == TW_ANALYSIS_LISA && layer != NULL)
    {
      self->layer = tw_area_layer_ref (layer);
      self->slope = analysis->global.i;
      self->n_hidden = analysis->n_hidden_points;
      /* Significant points last, so that grey ones never hide them. */
      for (int pass = 0; pass < 2; pass++)
        for (guint i = 0; i < analysis->n_areas; i++)
          {
            const TwAnalysisArea *area = &analysis->areas[i];
            Point p = { i, area->x, area->y, area->kind };

            if (!area->analysed || !isfinite (area->x) || !isfinite (area->y)
                || (area->suppressed && !analysis->reveal)
                || (pass == 0) != (area->kind == TW_LISA_NOT_SIGNIFICANT))
              continue;
            g_array_append_val (self->points, p);
            extent_x = MAX (extent_x, fabs (p.x));
            extent_y = MAX (extent_y, fabs (p.y));
          }
    }
  self->range_x = MAX (1.5, extent_x * 1.08);
  self->range_y = MAX (1.5, extent_y * 1.08);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tw_moran_plot_set_selected (TwMoranPlot *self,
                            int          area)
{
  g_return_if_fail (TW_IS_MORAN_PLOT (self));

  if (self->selected == area)
    return;
  self->selected = area;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
tw_moran_plot_get_selected (TwMoranPlot *self)
{
  g_return_val_if_fail (TW_IS_MORAN_PLOT (self), -1);
  return self->selected;
}

guint
tw_moran_plot_get_n_points (TwMoranPlot *self)
{
  g_return_val_if_fail (TW_IS_MORAN_PLOT (self), 0);
  return self->points->len;
}

gboolean
tw_moran_plot_get_point (TwMoranPlot *self,
                         int          area,
                         double      *x,
                         double      *y)
{
  Frame f;

  g_return_val_if_fail (TW_IS_MORAN_PLOT (self), FALSE);

  get_frame (self, &f);
  for (guint i = 0; i < self->points->len; i++)
    {
      const Point *p = &g_array_index (self->points, Point, i);

      if ((int) p->area == area)
        {
          to_widget (self, &f, p->x, p->y, x, y);
          return TRUE;
        }
    }
  return FALSE;
}

int
tw_moran_plot_activate_at (TwMoranPlot *self,
                           double       x,
                           double       y)
{
  int i;
  guint area;

  g_return_val_if_fail (TW_IS_MORAN_PLOT (self), -1);

  i = nearest_point (self, x, y);
  if (i < 0)
    return -1;
  area = g_array_index (self->points, Point, i).area;
  tw_moran_plot_set_selected (self, (int) area);
  g_signal_emit (self, signals[AREA_ACTIVATED], 0, (int) area);
  return (int) area;
}
