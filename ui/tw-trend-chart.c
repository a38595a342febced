/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-trend-chart"

#include <glib/gi18n.h>
#include <math.h>

#include "tw-palette.h"
#include "tw-style.h"
#include "tw-trend-chart.h"

#define MARGIN_LEFT 56
#define MARGIN_RIGHT 16
#define MARGIN_TOP 30
#define MARGIN_BOTTOM 40
/* The size of tick labels, periods and keys, relative to the font's. */
#define SMALL_TEXT 0.85

typedef struct
{
  char   *period;
  double  year;         /* the middle of the period, in years */
  double  value[2];     /* target, comparison; NAN when suppressed or missing */
  double  lower[2];
  double  upper[2];
  gboolean suppressed[2];
} Point;

struct _TwTrendChart
{
  GtkWidget  parent_instance;

  GArray    *points;   /* Point */
  double     start;    /* the project's start in years, NAN when none */
  double     multiplier;
};

G_DEFINE_FINAL_TYPE (TwTrendChart, tw_trend_chart, GTK_TYPE_WIDGET)

static void
point_clear (Point *point)
{
  g_free (point->period);
}

/* The target areas in the colour of project footprints on the map (lighter in the dark
 * style), the comparison areas in the text colour. The comparison is also dashed with square
 * marks, so that the two never differ by colour alone. */
static void
series_color (GtkWidget *widget,
              guint      series,
              GdkRGBA   *color)
{
  if (series == 0)
    tw_style_lookup_color (widget, "tw_chart_target_color",
                           tw_palette_fixed_color (TW_COLOR_PROJECT_OUTLINE), color);
  else
    {
      tw_style_get_foreground (widget, color);
      color->alpha *= 0.7;
    }
}

static void
set_series_line (cairo_t *cr,
                 guint    series)
{
  cairo_set_line_width (cr, 2.5);
  if (series == 0)
    cairo_set_dash (cr, NULL, 0, 0);
  else
    cairo_set_dash (cr, (double[]) { 6, 3 }, 2, 0);
}

static void
add_mark (cairo_t *cr,
          guint    series,
          double   x,
          double   y)
{
  if (series == 0)
    {
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, 4, 0, 2 * G_PI);
    }
  else
    cairo_rectangle (cr, x - 3.5, y - 3.5, 7, 7);
}

static char *
format_tick (double value)
{
  if (fabs (value) >= 100)
    return g_strdup_printf ("%.0f", value);
  if (fabs (value) >= 10)
    return g_strdup_printf ("%.1f", value);
  return g_strdup_printf ("%.2f", value);
}

/* A tick step of 1, 2 or 5 × 10^n giving about @n_ticks ticks over @span. */
static double
nice_step (double span,
           int    n_ticks)
{
  double raw = span / MAX (1, n_ticks);
  double magnitude = pow (10, floor (log10 (raw)));
  double f = raw / magnitude;

  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * magnitude;
}

static void
tw_trend_chart_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  TwTrendChart *self = TW_TREND_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double left = MARGIN_LEFT, right = width - MARGIN_RIGHT;
  double top = MARGIN_TOP, bottom = height - MARGIN_BOTTOM;
  double min_y = G_MAXDOUBLE, max_y = -G_MAXDOUBLE, min_x = G_MAXDOUBLE, max_x = -G_MAXDOUBLE;
  double step;
  GdkRGBA fg, error;
  cairo_t *cr;

  if (width < 160 || height < 100)
    return;
  tw_style_get_foreground (widget, &fg);
  tw_style_lookup_color (widget, "error_color", 0xC01C28, &error);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  for (guint i = 0; i < self->points->len; i++)
    {
      Point *p = &g_array_index (self->points, Point, i);

      min_x = MIN (min_x, p->year);
      max_x = MAX (max_x, p->year);
      for (guint s = 0; s < 2; s++)
        if (!isnan (p->value[s]))
          {
            min_y = MIN (min_y, isnan (p->lower[s]) ? p->value[s] : p->lower[s]);
            max_y = MAX (max_y, isnan (p->upper[s]) ? p->value[s] : p->upper[s]);
          }
    }

  if (self->points->len == 0 || min_y > max_y)
    {
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.55);
      tw_style_show_text (widget, cr, self->points->len == 0 ? _("No periods to draw")
                                                             : _("Every point is suppressed"),
                          1, width / 2.0, height / 2.0, 0.5, 0.5);
      cairo_destroy (cr);
      return;
    }

  if (!isnan (self->start))
    {
      min_x = MIN (min_x, self->start);
      max_x = MAX (max_x, self->start);
    }
  min_x -= 0.5;
  max_x += 0.5;
  step = nice_step (MAX (max_y - min_y, fabs (max_y) * 0.1 + 1e-9), 4);
  min_y = floor (min_y / step) * step;
  max_y = ceil (max_y / step) * step;
  if (max_y <= min_y)
    max_y = min_y + step;

#define X(v) (left + ((v) - min_x) / (max_x - min_x) * (right - left))
#define Y(v) (bottom - ((v) - min_y) / (max_y - min_y) * (bottom - top))

  /* Grid and the rate axis. */
  cairo_set_line_width (cr, 1);
  for (double v = min_y; v <= max_y + step / 2; v += step)
    {
      g_autofree char *text = format_tick (v);

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.1);
      cairo_move_to (cr, left, round (Y (v)) + 0.5);
      cairo_line_to (cr, right, round (Y (v)) + 0.5);
      cairo_stroke (cr);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
      tw_style_show_text (widget, cr, text, SMALL_TEXT, left - 6, Y (v), 1, 0.5);
    }

  /* The periods along the bottom; a suppressed one says so. */
  for (guint i = 0; i < self->points->len; i++)
    {
      Point *p = &g_array_index (self->points, Point, i);

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
      tw_style_show_text (widget, cr, p->period, SMALL_TEXT, X (p->year), bottom + 6, 0.5, 0);
      if (p->suppressed[0] || p->suppressed[1])
        {
          tw_style_set_source (cr, &error, 1);
          tw_style_show_text (widget, cr, _("suppressed"), SMALL_TEXT, X (p->year), bottom + 21,
                              0.5, 0);
        }
    }

  /* The start of the project. */
  if (!isnan (self->start))
    {
      double x = round (X (self->start)) + 0.5;

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
      cairo_set_dash (cr, (double[]) { 4, 3 }, 2, 0);
      cairo_move_to (cr, x, top - 4);
      cairo_line_to (cr, x, bottom);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      tw_style_show_text (widget, cr, _("Start"), SMALL_TEXT, x + 4, top - 4, 0, 0);
    }

  /* Both series: the interval as a band, the rate as a line with dots; a line is broken
   * where a point is not shown. */
  for (guint s = 0; s < 2; s++)
    {
      GdkRGBA color;
      gboolean drawing = FALSE;

      series_color (widget, s, &color);
      tw_style_set_source (cr, &color, 0.18);
      for (guint i = 0; i < self->points->len; i++)
        {
          Point *p = &g_array_index (self->points, Point, i);

          if (isnan (p->value[s]) || isnan (p->lower[s]) || isnan (p->upper[s]))
            continue;
          cairo_rectangle (cr, X (p->year) - 5, Y (p->upper[s]), 10,
                           Y (p->lower[s]) - Y (p->upper[s]));
          cairo_fill (cr);
        }

      tw_style_set_source (cr, &color, 1);
      set_series_line (cr, s);
      for (guint i = 0; i < self->points->len; i++)
        {
          Point *p = &g_array_index (self->points, Point, i);

          if (isnan (p->value[s]))
            {
              drawing = FALSE;
              continue;
            }
          if (drawing)
            cairo_line_to (cr, X (p->year), Y (p->value[s]));
          else
            cairo_move_to (cr, X (p->year), Y (p->value[s]));
          drawing = TRUE;
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      for (guint i = 0; i < self->points->len; i++)
        {
          Point *p = &g_array_index (self->points, Point, i);

          if (isnan (p->value[s]))
            continue;
          add_mark (cr, s, X (p->year), Y (p->value[s]));
        }
      cairo_fill (cr);
    }

  /* The key. */
  {
    const char *names[2] = { _("Target areas"), _("Comparison areas") };
    double x = left;

    for (guint s = 0; s < 2; s++)
      {
        g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, names[s]);
        GdkRGBA color;
        int text_width;

        series_color (widget, s, &color);
        tw_style_set_source (cr, &color, 1);
        set_series_line (cr, s);
        cairo_move_to (cr, x, 10);
        cairo_line_to (cr, x + 24, 10);
        cairo_stroke (cr);
        cairo_set_dash (cr, NULL, 0, 0);
        add_mark (cr, s, x + 12, 10);
        cairo_fill (cr);
        pango_layout_get_pixel_size (layout, &text_width, NULL);
        gdk_cairo_set_source_rgba (cr, &fg);
        tw_style_show_text (widget, cr, names[s], SMALL_TEXT, x + 30, 10, 0, 0.5);
        x += 30 + text_width + 20;
      }
  }
#undef X
#undef Y

  cairo_destroy (cr);
}

static void
tw_trend_chart_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 480;
    }
  else
    *minimum = *natural = 220;
}

static void
tw_trend_chart_finalize (GObject *object)
{
  TwTrendChart *self = TW_TREND_CHART (object);

  g_array_unref (self->points);

  G_OBJECT_CLASS (tw_trend_chart_parent_class)->finalize (object);
}

static void
tw_trend_chart_class_init (TwTrendChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tw_trend_chart_finalize;
  widget_class->snapshot = tw_trend_chart_snapshot;
  widget_class->measure = tw_trend_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "trendchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tw_trend_chart_init (TwTrendChart *self)
{
  self->points = g_array_new (FALSE, TRUE, sizeof (Point));
  g_array_set_clear_func (self->points, (GDestroyNotify) point_clear);
  self->start = NAN;
}

GtkWidget *
tw_trend_chart_new (void)
{
  return g_object_new (TW_TYPE_TREND_CHART, NULL);
}

static void
copy_figure (Point                    *point,
             guint                     series,
             const TwEvaluationFigure *figure)
{
  point->value[series] = figure->suppressed ? NAN : figure->rate;
  point->lower[series] = figure->suppressed ? NAN : figure->lower;
  point->upper[series] = figure->suppressed ? NAN : figure->upper;
  point->suppressed[series] = figure->suppressed && isnan (figure->rate);
}

void
tw_trend_chart_set_evaluation (TwTrendChart       *self,
                               const TwEvaluation *evaluation)
{
  g_return_if_fail (TW_IS_TREND_CHART (self));

  g_array_set_size (self->points, 0);
  self->start = NAN;
  if (evaluation != NULL && evaluation->trend != NULL)
    {
      for (guint i = 0; i < evaluation->trend->len; i++)
        {
          TwEvaluationPoint *source = g_ptr_array_index (evaluation->trend, i);
          Point point = { 0 };

          if (source->first_year == 0)
            continue;
          point.period = g_strdup (source->period);
          point.year = (source->first_year + source->last_year + 1) / 2.0;
          copy_figure (&point, 0, &source->target);
          copy_figure (&point, 1, &source->comparison);
          g_array_append_val (self->points, point);
        }
      if (evaluation->start_date != NULL)
        {
          GDate date;

          g_date_clear (&date, 1);
          g_date_set_parse (&date, evaluation->start_date);
          if (g_date_valid (&date))
            self->start = g_date_get_year (&date)
                          + (g_date_get_day_of_year (&date) - 1) / 365.25;
        }
      self->multiplier = evaluation->multiplier;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
tw_trend_chart_get_n_points (TwTrendChart *self)
{
  g_return_val_if_fail (TW_IS_TREND_CHART (self), 0);

  return self->points->len;
}
