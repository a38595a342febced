/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-evaluation-panel"

#include <glib/gi18n.h>
#include <math.h>

#include "tw-error-text.h"
#include "tw-format.h"
#include "tw-evaluation-panel.h"
#include "tw-evaluation.h"
#include "tw-trend-chart.h"

struct _TwEvaluationPanel
{
  GtkBox        parent_instance;

  /* Template widgets */
  GtkLabel     *message_label;
  GtkButton    *step_button;
  GtkWidget    *figures_box;
  GtkGrid      *figures_grid;
  GtkLabel     *did_label;
  GtkLabel     *did_interval_label;
  GtkLabel     *verdict_label;
  GtkLevelBar  *goal_bar;
  GtkLabel     *goal_detail_label;
  TwTrendChart *chart;
  GtkLabel     *note_label;

  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TwEvaluationPanel, tw_evaluation_panel, GTK_TYPE_BOX)

typedef struct
{
  gint64        project_id;
  gboolean      reveal;
  TwEvaluation *evaluation;   /* the result */
} EvaluateData;

static void
evaluate_data_free (EvaluateData *data)
{
  g_clear_pointer (&data->evaluation, tw_evaluation_free);
  g_free (data);
}

static char *
format_published (double   value,
                  gboolean signed_)
{
  return tw_format_published (value, FALSE, signed_, "—");
}

static char *
format_whole_percent (double fraction)
{
  return tw_format_whole_percent (fraction, FALSE, "—");
}

static char *
format_rate (const TwEvaluationFigure *figure)
{
  if (isnan (figure->rate))
    return g_strdup (figure->suppressed ? _("suppressed") : "—");
  return format_published (figure->rate, FALSE);
}

static char *
format_multiplier (double multiplier)
{
  if (multiplier == 100)
    return g_strdup ("%");
  return g_strdup_printf (_("per %'.0f"), multiplier);
}

static void
clear_grid (TwEvaluationPanel *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->figures_grid))) != NULL)
    gtk_grid_remove (self->figures_grid, child);
}

static GtkWidget *
grid_label (GtkGrid    *grid,
            const char *text,
            int         column,
            int         row,
            const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0 : 1);
  gtk_widget_set_hexpand (label, column == 0);
  gtk_widget_add_css_class (label, "numeric");
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_grid_attach (grid, label, column, row, 1, 1);
  return label;
}

static void
add_figure_row (TwEvaluationPanel        *self,
                int                       row,
                const char               *name,
                guint                     n_used,
                guint                     n_areas,
                const TwEvaluationFigure *before,
                const TwEvaluationFigure *after)
{
  g_autofree char *title = n_used == n_areas
                           ? g_strdup_printf (ngettext ("%s (%u area)", "%s (%u areas)", n_areas),
                                              name, n_areas)
                           : g_strdup_printf (ngettext ("%s (%u of %u area)",
                                                        "%s (%u of %u areas)", n_areas),
                                              name, n_used, n_areas);
  g_autofree char *b = format_rate (before);
  g_autofree char *a = format_rate (after);
  g_autofree char *change = NULL;

  if (isnan (before->rate) || isnan (after->rate))
    change = g_strdup ("—");
  else
    change = format_published (after->rate - before->rate, TRUE);

  grid_label (self->figures_grid, title, 0, row, NULL);
  grid_label (self->figures_grid, b, 1, row, isnan (before->rate) ? "dim-label" : NULL);
  grid_label (self->figures_grid, a, 2, row, isnan (after->rate) ? "dim-label" : NULL);
  grid_label (self->figures_grid, change, 3, row, NULL);
}

static void
show_message (TwEvaluationPanel *self,
              const char        *message)
{
  gtk_label_set_text (self->message_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->step_button), FALSE);
  gtk_widget_set_visible (self->figures_box, message == NULL);
}

/* The error in the window's words, with a button for the step that fixes it (Choose on
 * Map, which the project editor around the panel offers). */
static void
show_error (TwEvaluationPanel *self,
            const GError      *error)
{
  g_autofree char *text = tw_error_text (error);
  TwErrorStep step = tw_error_next_step (error);

  show_message (self, text);
  if (step == TW_ERROR_STEP_NONE)
    return;
  gtk_button_set_label (self->step_button, tw_error_step_label (step));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->step_button),
                                  tw_error_step_action (step));
  gtk_widget_set_visible (GTK_WIDGET (self->step_button), TRUE);
}

/* The verdict in words, and a progress bar only where the DiD's interval supports one:
 * when it shows an improvement beyond the comparison areas'. */
static void
show_verdict (TwEvaluationPanel  *self,
              const TwEvaluation *evaluation)
{
  g_autoptr(GString) detail = g_string_new (NULL);
  gboolean has_goal = isfinite (evaluation->goal_percent);
  gboolean bar = FALSE;

  switch (evaluation->verdict)
    {
    case TW_EVALUATION_VERDICT_NONE:
      gtk_label_set_text (self->verdict_label, "—");
      break;
    case TW_EVALUATION_VERDICT_NO_CHANGE:
      gtk_label_set_text (self->verdict_label, _("No detectable change"));
      g_string_append (detail, _("Not distinguishable from the change in the comparison "
                                 "areas."));
      break;
    case TW_EVALUATION_VERDICT_IMPROVED:
    case TW_EVALUATION_VERDICT_WORSENED:
      gtk_label_set_text (self->verdict_label,
                          evaluation->verdict == TW_EVALUATION_VERDICT_IMPROVED
                          ? _("Improved") : _("Worsened"));
      if (isfinite (evaluation->goal_progress))
        {
          g_autofree char *progress = format_whole_percent (evaluation->goal_progress);
          g_autofree char *lower = format_whole_percent (evaluation->goal_progress_lower);
          g_autofree char *upper = format_whole_percent (evaluation->goal_progress_upper);

          /* Translators: "42% of the goal (95% interval 10% to 74%)." */
          g_string_append_printf (detail, _("%s%% of the goal (95%% interval %s%% to %s%%)."),
                                  progress, lower, upper);
          bar = evaluation->verdict == TW_EVALUATION_VERDICT_IMPROVED;
        }
      else
        g_string_append (detail, evaluation->verdict == TW_EVALUATION_VERDICT_IMPROVED
                                 ? _("Better than the change in the comparison areas.")
                                 : _("Worse than the change in the comparison areas."));
      break;
    }

  if (detail->len > 0)
    g_string_append_c (detail, ' ');
  if (has_goal)
    g_string_append_printf (detail, evaluation->higher_is_worse
                                    ? _("Goal: lower the rate by %g%%.")
                                    : _("Goal: raise the rate by %g%%."),
                            evaluation->goal_percent);
  else
    g_string_append (detail, _("The project has no goal."));

  gtk_widget_set_visible (GTK_WIDGET (self->goal_bar), bar);
  gtk_level_bar_set_value (self->goal_bar, bar ? CLAMP (evaluation->goal_progress, 0, 1) : 0);
  gtk_label_set_text (self->goal_detail_label, detail->str);
}

static void
show_evaluation (TwEvaluationPanel  *self,
                 const TwEvaluation *evaluation)
{
  g_autofree char *unit = format_multiplier (evaluation->multiplier);
  g_autofree char *before = g_strjoinv (", ", evaluation->before);
  g_autofree char *after = g_strjoinv (", ", evaluation->after);
  g_autofree char *heading = NULL;
  g_autoptr(GString) note = g_string_new (NULL);

  show_message (self, NULL);
  clear_grid (self);
  heading = g_strdup_printf (_("Rate %s"), unit);
  grid_label (self->figures_grid, heading, 0, 0, "caption-heading");
  grid_label (self->figures_grid, _("Before"), 1, 0, "caption-heading");
  grid_label (self->figures_grid, _("After"), 2, 0, "caption-heading");
  grid_label (self->figures_grid, _("Change"), 3, 0, "caption-heading");
  add_figure_row (self, 1, _("Target areas"), evaluation->n_target_used,
                  evaluation->n_target_areas, &evaluation->target_before,
                  &evaluation->target_after);
  add_figure_row (self, 2, _("Comparison areas"), evaluation->n_comparison_used,
                  evaluation->n_comparison_areas, &evaluation->comparison_before,
                  &evaluation->comparison_after);

  if (isnan (evaluation->did))
    {
      gtk_label_set_text (self->did_label, "—");
      gtk_label_set_text (self->did_interval_label,
                          _("It needs target and comparison areas whose counts are shown."));
    }
  else
    {
      g_autofree char *did = format_published (evaluation->did, TRUE);
      g_autofree char *lower = format_published (evaluation->did_lower, TRUE);
      g_autofree char *upper = format_published (evaluation->did_upper, TRUE);
      g_autofree char *interval = g_strdup_printf (_("95%% interval %s to %s, %s"), lower,
                                                   upper, unit);

      gtk_label_set_text (self->did_label, did);
      gtk_label_set_text (self->did_interval_label, interval);
    }
  show_verdict (self, evaluation);

  tw_trend_chart_set_evaluation (self->chart, evaluation);

  g_string_append_printf (note, _("Before: %s. After: %s."), before, after);
  if (evaluation->revealed)
    g_string_append_printf (note, " %s", _("Analyst view: suppressed figures are shown on "
                                          "this screen only."));
  else if (evaluation->n_target_left_out > 0 || evaluation->n_comparison_left_out > 0)
    {
      g_autofree char *target = g_strdup_printf (ngettext ("%u target area", "%u target areas",
                                                           evaluation->n_target_left_out),
                                                 evaluation->n_target_left_out);
      g_autofree char *comparison = g_strdup_printf (ngettext ("%u comparison area",
                                                               "%u comparison areas",
                                                               evaluation->n_comparison_left_out),
                                                     evaluation->n_comparison_left_out);
      g_autofree char *areas = NULL;

      if (evaluation->n_target_left_out == 0)
        areas = g_steal_pointer (&comparison);
      else if (evaluation->n_comparison_left_out == 0)
        areas = g_steal_pointer (&target);
      else
        areas = g_strdup_printf (_("%s and %s"), target, comparison);
      g_string_append_c (note, ' ');
      g_string_append_printf (note, _("Left out: %s whose count in a period used is "
                                      "suppressed (fewer than %u events); every figure pools "
                                      "the others."),
                              areas, evaluation->policy.min_count);
    }
  else if (evaluation->suppressed)
    {
      g_string_append_c (note, ' ');
      g_string_append_printf (note, _("Trend points leave out areas whose count is "
                                      "suppressed (fewer than %u events)."),
                              evaluation->policy.min_count);
    }
  gtk_label_set_text (self->note_label, note->str);
}

static gboolean
evaluate_in_thread (TwStore       *store,
                    gpointer       task_data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  EvaluateData *data = task_data;
  TwEvaluationOptions options = { .reveal = data->reveal };

  data->evaluation = tw_evaluation_run (store, data->project_id, &options, error);
  return data->evaluation != NULL;
}

static void
on_evaluated (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TwEvaluationPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  EvaluateData *data = tw_document_run_get_task_data (result);

  if (!tw_document_run_finish (TW_DOCUMENT (object), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "busy");
  if (error != NULL)
    {
      tw_trend_chart_set_evaluation (self->chart, NULL);
      show_error (self, error);
      return;
    }
  show_evaluation (self, data->evaluation);
}

static void
tw_evaluation_panel_dispose (GObject *object)
{
  TwEvaluationPanel *self = TW_EVALUATION_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_EVALUATION_PANEL);

  G_OBJECT_CLASS (tw_evaluation_panel_parent_class)->dispose (object);
}

static void
tw_evaluation_panel_class_init (TwEvaluationPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_evaluation_panel_dispose;

  g_type_ensure (TW_TYPE_TREND_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/"
                                               "tw-evaluation-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, TwEvaluationPanel, message_label);
  gtk_widget_class_bind_template_child (widget_class, TwEvaluationPanel, step_button);
  gtk_widget_class_bind_template_child (widget_class, TwEvaluationPanel, figures_box);
  gtk_widget_class_bind_template_child (widget_class, TwEvaluationPanel, figures_grid);
  gtk_widget_class_bind_template_child (widget_class, TwEvaluationPanel, did_label);
  gtk_widget_class_bind_template_child (widget_class, TwEvaluationPanel, did_interval_label);
  gtk_widget_class_bind_template_child (widget_class, TwEvaluationPanel, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, TwEvaluationPanel, goal_bar);
  gtk_widget_class_bind_template_child (widget_class, TwEvaluationPanel, goal_detail_label);
  gtk_widget_class_bind_template_child (widget_class, TwEvaluationPanel, chart);
  gtk_widget_class_bind_template_child (widget_class, TwEvaluationPanel, note_label);
}

static void
tw_evaluation_panel_init (TwEvaluationPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  show_message (self, _("Choose a measure, a start date and target areas to evaluate the "
                        "project."));
}

void
tw_evaluation_panel_evaluate (TwEvaluationPanel *self,
                              TwDocument        *document,
                              gint64             project_id,
                              gboolean           reveal)
{
  EvaluateData *data;

  g_return_if_fail (TW_IS_EVALUATION_PANEL (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (document == NULL || project_id <= 0)
    {
      tw_trend_chart_set_evaluation (self->chart, NULL);
      show_message (self, _("No project is chosen."));
      return;
    }

  self->cancellable = g_cancellable_new ();
  data = g_new0 (EvaluateData, 1);
  data->project_id = project_id;
  data->reveal = reveal;
  gtk_widget_add_css_class (GTK_WIDGET (self), "busy");
  tw_document_run_async (document, TW_DOCUMENT_READ, evaluate_in_thread, data,
                         (GDestroyNotify) evaluate_data_free, self->cancellable, on_evaluated,
                         g_object_ref (self));
}

gboolean
tw_evaluation_panel_get_busy (TwEvaluationPanel *self)
{
  g_return_val_if_fail (TW_IS_EVALUATION_PANEL (self), FALSE);

  return self->cancellable != NULL;
}

char *
tw_evaluation_panel_get_text (TwEvaluationPanel *self)
{
  GString *text = g_string_new (NULL);
  GtkWidget *child;

  g_return_val_if_fail (TW_IS_EVALUATION_PANEL (self), NULL);

  if (gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    {
      g_string_append (text, gtk_label_get_text (self->message_label));
      return g_string_free (text, FALSE);
    }
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->figures_grid)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    g_string_append_printf (text, "%s\t", gtk_label_get_text (GTK_LABEL (child)));
  g_string_append_printf (text, "\nDiD %s %s\nVerdict %s %s\n",
                          gtk_label_get_text (self->did_label),
                          gtk_label_get_text (self->did_interval_label),
                          gtk_label_get_text (self->verdict_label),
                          gtk_label_get_text (self->goal_detail_label));
  if (gtk_widget_get_visible (GTK_WIDGET (self->goal_bar)))
    g_string_append_printf (text, "Progress bar %.0f%%\n",
                            100 * gtk_level_bar_get_value (self->goal_bar));
  g_string_append (text, gtk_label_get_text (self->note_label));
  return g_string_free (text, FALSE);
}
