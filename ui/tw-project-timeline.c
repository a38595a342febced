/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-project-timeline"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tw-project.h"
#include "tw-project-timeline.h"
#include "tw-style.h"

#define ROW_HEIGHT 26
#define AXIS_HEIGHT 22
/* The label column takes its longest title's room, between these and at most a share of the
 * width, so that the bars keep most of it; a title still too long is cut and has a tooltip. */
#define LABEL_MIN 140
#define LABEL_MAX 360
#define LABEL_SHARE 0.45
#define PADDING 12

struct _TwProjectTimeline
{
  GtkWidget  parent_instance;

  GPtrArray *projects;   /* TwProject * */
  gint64     selected;
  GDate      today;
  guint      n_overdue;  /* overdue milestones drawn in the last frame */
  guint      n_cut;      /* titles drawn cut short in the last frame */
};

G_DEFINE_FINAL_TYPE (TwProjectTimeline, tw_project_timeline, GTK_TYPE_WIDGET)

enum
{
  PROJECT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

guint32
tw_project_status_color (const char *status)
{
  /* The GNOME palette: blue 3, green 4, yellow 5, light grey 5. */
  if (g_strcmp0 (status, TW_PROJECT_STATUS_ACTIVE) == 0)
    return 0x2ec27e;
  if (g_strcmp0 (status, TW_PROJECT_STATUS_PAUSED) == 0)
    return 0xe5a50a;
  if (g_strcmp0 (status, TW_PROJECT_STATUS_COMPLETED) == 0)
    return 0x9a9996;
  return 0x3584e4;
}

static gboolean
parse_date (const char *text,
            GDate      *date)
{
  g_date_clear (date, 1);
  if (text == NULL || !tw_project_date_is_valid (text))
    return FALSE;
  g_date_set_parse (date, text);
  return g_date_valid (date);
}

/* The span drawn for a project: a missing end is drawn a year after the start. */
static gboolean
project_span (TwProject *project,
              guint32   *first,
              guint32   *last)
{
  GDate start, end;

  if (!parse_date (project->start_date, &start))
    return FALSE;
  *first = g_date_get_julian (&start);
  *last = parse_date (project->end_date, &end) ? g_date_get_julian (&end) : *first + 365;
  return TRUE;
}

static void
time_range (TwProjectTimeline *self,
            guint32           *first,
            guint32           *last)
{
  guint32 today = g_date_get_julian (&self->today);
  GDate date;

  *first = today - 365;
  *last = today + 365;
  for (guint i = 0; self->projects != NULL && i < self->projects->len; i++)
    {
      guint32 a, b;

      if (!project_span (g_ptr_array_index (self->projects, i), &a, &b))
        continue;
      *first = MIN (*first, a);
      *last = MAX (*last, b);
    }
  /* Whole years, so the ticks fall at the edges. */
  g_date_set_julian (&date, *first);
  g_date_set_dmy (&date, 1, 1, g_date_get_year (&date));
  *first = g_date_get_julian (&date);
  g_date_set_julian (&date, *last);
  g_date_set_dmy (&date, 1, 1, g_date_get_year (&date) + 1);
  *last = g_date_get_julian (&date);
}

static void
set_source_rgb (cairo_t *cr,
                guint32  rgb,
                double   alpha)
{
  cairo_set_source_rgba (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                         (rgb & 0xff) / 255.0, alpha);
}

static void
rounded_rectangle (cairo_t *cr,
                   double   x,
                   double   y,
                   double   width,
                   double   height,
                   double   radius)
{
  radius = MIN (radius, MIN (width, height) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
diamond (cairo_t *cr,
         double   x,
         double   y,
         double   size)
{
  cairo_move_to (cr, x, y - size);
  cairo_line_to (cr, x + size, y);
  cairo_line_to (cr, x, y + size);
  cairo_line_to (cr, x - size, y);
  cairo_close_path (cr);
}

/* A project's milestones on its row: a small diamond at each due date (hollow once done),
 * a larger one in the error colour when it is overdue. */
static void
draw_milestones (TwProjectTimeline *self,
                 cairo_t           *cr,
                 TwProject         *project,
                 guint32            first,
                 double             x0,
                 double             per_day,
                 double             y,
                 const GdkRGBA     *fg,
                 const GdkRGBA     *error)
{
  char today[16];

  g_date_strftime (today, sizeof today, "%Y-%m-%d", &self->today);
  for (guint m = 0; project->milestones != NULL && m < project->milestones->len; m++)
    {
      TwMilestone *milestone = g_ptr_array_index (project->milestones, m);
      gboolean overdue = tw_milestone_is_overdue (milestone, today);
      double x, cy = y + ROW_HEIGHT / 2.0;
      GDate due;

      if (!parse_date (milestone->due_date, &due))
        continue;
      x = x0 + ((double) g_date_get_julian (&due) - first) * per_day;
      diamond (cr, x, cy, overdue ? 6 : 4.5);
      cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
      cairo_set_line_width (cr, 2.5);
      cairo_stroke_preserve (cr);
      if (overdue)
        tw_style_set_source (cr, error, 1);
      else
        tw_style_set_source (cr, fg, milestone->done_date != NULL ? 0.45 : 0.85);
      cairo_fill (cr);
      self->n_overdue += overdue;
    }
}

/* The label column a title of every project fits in, within LABEL_MIN and LABEL_MAX. */
static int
wanted_label_width (TwProjectTimeline *self)
{
  int widest = 0;

  for (guint i = 0; self->projects != NULL && i < self->projects->len; i++)
    {
      TwProject *project = g_ptr_array_index (self->projects, i);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                                      project->title);
      int text_width;

      pango_layout_get_pixel_size (layout, &text_width, NULL);
      widest = MAX (widest, text_width);
    }
  return CLAMP (widest + 2 * PADDING, LABEL_MIN, LABEL_MAX);
}

static int
label_width (TwProjectTimeline *self,
             int                width)
{
  return MAX (LABEL_MIN, MIN (wanted_label_width (self), (int) (width * LABEL_SHARE)));
}

static void
tw_project_timeline_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  TwProjectTimeline *self = TW_PROJECT_TIMELINE (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int labels = label_width (self, width);
  GdkRGBA fg, accent, today_color;
  guint32 first, last;
  double x0 = labels, x1 = width - PADDING, per_day;
  cairo_t *cr;
  GDate date;

  if (width <= labels + 2 * PADDING || height <= 0)
    return;
  tw_style_get_foreground (widget, &fg);
  tw_style_lookup_color (widget, "accent_bg_color", 0x3584E4, &accent);
  tw_style_lookup_color (widget, "error_color", 0xC01C28, &today_color);
  time_range (self, &first, &last);
  per_day = (x1 - x0) / MAX (1, last - first);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  self->n_overdue = 0;
  self->n_cut = 0;

  /* Years: a faint line and the year's number above it. */
  g_date_set_julian (&date, first);
  for (int year = g_date_get_year (&date); ; year++)
    {
      g_autofree char *text = g_strdup_printf ("%d", year);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
      double x;

      g_date_set_dmy (&date, 1, 1, year);
      if (g_date_get_julian (&date) > last)
        break;
      x = x0 + (g_date_get_julian (&date) - first) * per_day;
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.12);
      cairo_rectangle (cr, round (x), AXIS_HEIGHT, 1, height - AXIS_HEIGHT);
      cairo_fill (cr);
      /* The year's number gives way to the word "Today". */
      if (g_date_get_julian (&date) < last
          && fabs (x + 4 - (x0 + (g_date_get_julian (&self->today) - first) * per_day)) > 48)
        {
          tw_style_set_source (cr, &fg, 0.75);
          cairo_move_to (cr, x + 4, 2);
          pango_cairo_show_layout (cr, layout);
        }
    }

  for (guint i = 0; self->projects != NULL && i < self->projects->len; i++)
    {
      TwProject *project = g_ptr_array_index (self->projects, i);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, project->title);
      double y = AXIS_HEIGHT + i * ROW_HEIGHT;
      int text_height;
      guint32 a, b;

      if (project->id == self->selected)
        {
          tw_style_set_source (cr, &accent, tw_style_is_high_contrast () ? 0.3 : 0.15);
          cairo_rectangle (cr, 0, y, width, ROW_HEIGHT);
          cairo_fill (cr);
        }
      pango_layout_set_width (layout, (labels - 2 * PADDING) * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (layout, NULL, &text_height);
      if (pango_layout_is_ellipsized (layout))
        self->n_cut++;
      gdk_cairo_set_source_rgba (cr, &fg);
      cairo_move_to (cr, PADDING, y + (ROW_HEIGHT - text_height) / 2.0);
      pango_cairo_show_layout (cr, layout);

      if (!project_span (project, &a, &b))
        continue;
      rounded_rectangle (cr, x0 + (a - first) * per_day, y + 6,
                         MAX (4, (b - a) * per_day), ROW_HEIGHT - 12, 4);
      set_source_rgb (cr, tw_project_status_color (project->status), 1);
      /* A project without an end fades out where its bar is guessed. */
      if (project->end_date == NULL)
        {
          cairo_pattern_t *fade = cairo_pattern_create_linear (x0 + (a - first) * per_day, 0,
                                                               x0 + (b - first) * per_day, 0);
          guint32 rgb = tw_project_status_color (project->status);

          cairo_pattern_add_color_stop_rgba (fade, 0.6, ((rgb >> 16) & 0xff) / 255.0,
                                             ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0,
                                             1);
          cairo_pattern_add_color_stop_rgba (fade, 1, ((rgb >> 16) & 0xff) / 255.0,
                                             ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0,
                                             0.1);
          cairo_set_source (cr, fade);
          cairo_pattern_destroy (fade);
        }
      cairo_fill (cr);
      draw_milestones (self, cr, project, first, x0, per_day, y, &fg, &today_color);
    }

  /* Today. */
  {
    double x = x0 + (g_date_get_julian (&self->today) - first) * per_day;
    g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, _("Today"));
    int text_width;

    tw_style_set_source (cr, &today_color, 1);
    cairo_rectangle (cr, round (x) - 1, AXIS_HEIGHT - 4, 2, height - AXIS_HEIGHT + 4);
    cairo_fill (cr);
    pango_layout_get_pixel_size (layout, &text_width, NULL);
    cairo_move_to (cr, MIN (x + 4, width - text_width - 2), 2);
    pango_cairo_show_layout (cr, layout);
  }

  cairo_destroy (cr);
}

static void
tw_project_timeline_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  TwProjectTimeline *self = TW_PROJECT_TIMELINE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = LABEL_MIN + 200;
      *natural = wanted_label_width (self) + 200;
    }
  else
    *minimum = *natural = AXIS_HEIGHT + ROW_HEIGHT * (self->projects != NULL
                                                      ? MAX (1, (int) self->projects->len) : 1)
                          + 4;
}

static void
on_pressed (GtkGestureClick   *gesture,
            int                n_press,
            double             x,
            double             y,
            TwProjectTimeline *self)
{
  int row = (int) ((y - AXIS_HEIGHT) / ROW_HEIGHT);

  if (y < AXIS_HEIGHT || self->projects == NULL || row >= (int) self->projects->len)
    return;
  g_signal_emit (self, signals[PROJECT_ACTIVATED], 0,
                 ((TwProject *) g_ptr_array_index (self->projects, row))->id);
}

static gboolean
on_query_tooltip (GtkWidget         *widget,
                  int                x,
                  int                y,
                  gboolean           keyboard,
                  GtkTooltip        *tooltip,
                  TwProjectTimeline *self)
{
  g_autofree char *text = tw_project_timeline_get_tooltip_at (self, x, y);

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
tw_project_timeline_finalize (GObject *object)
{
  TwProjectTimeline *self = TW_PROJECT_TIMELINE (object);

  g_clear_pointer (&self->projects, g_ptr_array_unref);

  G_OBJECT_CLASS (tw_project_timeline_parent_class)->finalize (object);
}

static void
tw_project_timeline_class_init (TwProjectTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tw_project_timeline_finalize;
  widget_class->snapshot = tw_project_timeline_snapshot;
  widget_class->measure = tw_project_timeline_measure;

  /**
   * TwProjectTimeline::project-activated:
   * @id: the project's id
   *
   * A project's row was clicked.
   */
  signals[PROJECT_ACTIVATED] =
    g_signal_new ("project-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tw_project_timeline_init (TwProjectTimeline *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  tw_project_timeline_set_today (self, NULL);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), self);
}

GtkWidget *
tw_project_timeline_new (void)
{
  return g_object_new (TW_TYPE_PROJECT_TIMELINE, NULL);
}

void
tw_project_timeline_set_projects (TwProjectTimeline *self,
                                  GPtrArray         *projects)
{
  g_return_if_fail (TW_IS_PROJECT_TIMELINE (self));

  if (projects != NULL)
    g_ptr_array_ref (projects);
  g_clear_pointer (&self->projects, g_ptr_array_unref);
  self->projects = projects;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
tw_project_timeline_set_selected (TwProjectTimeline *self,
                                  gint64             project_id)
{
  g_return_if_fail (TW_IS_PROJECT_TIMELINE (self));

  self->selected = project_id;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tw_project_timeline_set_today (TwProjectTimeline *self,
                               const char        *date)
{
  g_return_if_fail (TW_IS_PROJECT_TIMELINE (self));

  if (date == NULL || !parse_date (date, &self->today))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      g_date_clear (&self->today, 1);
      g_date_set_dmy (&self->today, g_date_time_get_day_of_month (now),
                      g_date_time_get_month (now), g_date_time_get_year (now));
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
tw_project_timeline_get_n_overdue (TwProjectTimeline *self)
{
  g_return_val_if_fail (TW_IS_PROJECT_TIMELINE (self), 0);

  return self->n_overdue;
}

guint
tw_project_timeline_get_n_cut (TwProjectTimeline *self)
{
  g_return_val_if_fail (TW_IS_PROJECT_TIMELINE (self), 0);

  return self->n_cut;
}

char *
tw_project_timeline_get_tooltip_at (TwProjectTimeline *self,
                                    double             x,
                                    double             y)
{
  int row = (int) floor ((y - AXIS_HEIGHT) / ROW_HEIGHT);
  TwProject *project;

  g_return_val_if_fail (TW_IS_PROJECT_TIMELINE (self), NULL);

  if (y < AXIS_HEIGHT || self->projects == NULL || row >= (int) self->projects->len
      || x < 0 || x >= label_width (self, gtk_widget_get_width (GTK_WIDGET (self))))
    return NULL;
  project = g_ptr_array_index (self->projects, row);
  return g_strdup (project->title);
}

gboolean
tw_milestone_is_overdue (const TwMilestone *milestone,
                         const char        *today)
{
  g_return_val_if_fail (milestone != NULL, FALSE);
  g_return_val_if_fail (today != NULL, FALSE);

  /* ISO dates compare as text. */
  return milestone->done_date == NULL && milestone->due_date != NULL
         && tw_project_date_is_valid (milestone->due_date)
         && strcmp (milestone->due_date, today) < 0;
}

char *
tw_today_iso (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}
