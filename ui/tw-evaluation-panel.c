/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-evaluation-panel"

#include <glib/gi18n.h>
#include <math.h>

#include "tw-evaluation-panel.h"
#include "tw-evaluation.h"
#include "tw-trend-chart.h"

struct _TwEvaluationPanel
{
  GtkBox        parent_instance;

  /* Template widgets */
  GtkLabel     *message_label;
  GtkWidget    *figures_box;
  GtkGrid      *figures_grid;
  GtkLabel     *did_label;
  GtkLabel     *did_interval_label;
  GtkLabel     *goal_label;
  GtkLevelBar  *goal_bar;
  GtkLabel     *goal_detail_label;
  TwTrendChart *chart;
  GtkLabel     *note_label;

  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TwEvaluationPanel, tw_evaluation_panel, GTK_TYPE_BOX)

typedef struct
{
  char     *path;
  gint64    project_id;
  gboolean  reveal;
} EvaluateData;

static void
evaluate_data_free (EvaluateData *data)
{
  g_free (data->path);
  g_free (data);
}

static char *
format_rate (double value)
{
  if (isnan (value))
    return g_strdup (_("suppressed"));
  if (fabs (value) >= 100)
    return g_strdup_printf ("%.0f", value);
  if (fabs (value) >= 1)
    return g_strdup_printf ("%.1f", value);
  return g_strdup_printf ("%.2f", value);
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
                guint                     n_areas,
                const TwEvaluationFigure *before,
                const TwEvaluationFigure *after)
{
  g_autofree char *title = g_strdup_printf (ngettext ("%s (%u area)", "%s (%u areas)", n_areas),
                                            name, n_areas);
  g_autofree char *b = format_rate (before->rate);
  g_autofree char *a = format_rate (after->rate);
  g_autofree char *change = NULL;

  if (isnan (before->rate) || isnan (after->rate))
    change = g_strdup ("—");
  else
    change = g_strdup_printf ("%+.1f", after->rate - before->rate);

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
  gtk_widget_set_visible (self->figures_box, message == NULL);
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
  add_figure_row (self, 1, _("Target areas"), evaluation->n_target_areas,
                  &evaluation->target_before, &evaluation->target_after);
  add_figure_row (self, 2, _("Comparison areas"), evaluation->n_comparison_areas,
                  &evaluation->comparison_before, &evaluation->comparison_after);

  if (isnan (evaluation->did))
    {
      gtk_label_set_text (self->did_label, _("suppressed"));
      gtk_label_set_text (self->did_interval_label,
                          _("A pooled figure it needs is hidden by the privacy policy."));
    }
  else
    {
      g_autofree char *did = g_strdup_printf ("%+.2f", evaluation->did);
      g_autofree char *interval = g_strdup_printf (_("95%% interval %+.2f to %+.2f, %s"),
                                                   evaluation->did_lower,
                                                   evaluation->did_upper, unit);

      gtk_label_set_text (self->did_label, did);
      gtk_label_set_text (self->did_interval_label, interval);
    }

  if (isnan (evaluation->goal_percent))
    {
      gtk_label_set_text (self->goal_label, "—");
      gtk_level_bar_set_value (self->goal_bar, 0);
      gtk_label_set_text (self->goal_detail_label, _("The project has no goal."));
    }
  else if (isnan (evaluation->goal_progress))
    {
      g_autofree char *detail = g_strdup_printf (_("Goal: a %g%% change; the target "
                                                   "areas’ rates are suppressed."),
                                                 evaluation->goal_percent);

      gtk_label_set_text (self->goal_label, _("suppressed"));
      gtk_level_bar_set_value (self->goal_bar, 0);
      gtk_label_set_text (self->goal_detail_label, detail);
    }
  else
    {
      g_autofree char *progress = g_strdup_printf ("%.0f%%", 100 * evaluation->goal_progress);
      g_autofree char *detail =
        g_strdup_printf (evaluation->higher_is_worse
                         ? _("Goal: lower the rate by %g%%; it moved %+.1f%%.")
                         : _("Goal: raise the rate by %g%%; it moved %+.1f%%."),
                         evaluation->goal_percent, evaluation->target_change_percent);

      gtk_label_set_text (self->goal_label, progress);
      gtk_level_bar_set_value (self->goal_bar, CLAMP (evaluation->goal_progress, 0, 1));
      gtk_label_set_text (self->goal_detail_label, detail);
    }

  tw_trend_chart_set_evaluation (self->chart, evaluation);

  g_string_append_printf (note, _("Before: %s. After: %s."), before, after);
  if (evaluation->revealed)
    g_string_append_printf (note, " %s", _("Analyst view: suppressed figures are shown on "
                                          "this screen only."));
  else if (evaluation->suppressed)
    g_string_append_printf (note, _(" Figures from fewer than %u events are suppressed."),
                            evaluation->policy.min_count);
  gtk_label_set_text (self->note_label, note->str);
}

static void
evaluate_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  EvaluateData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = tw_store_open (data->path, &error);
  TwEvaluationOptions options = { .reveal = data->reveal };
  TwEvaluation *evaluation;

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  evaluation = tw_evaluation_run (store, data->project_id, &options, &error);
  if (evaluation == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, evaluation, (GDestroyNotify) tw_evaluation_free);
}

static void
on_evaluated (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TwEvaluationPanel *self = TW_EVALUATION_PANEL (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(TwEvaluation) evaluation = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "busy");
  if (evaluation == NULL)
    {
      tw_trend_chart_set_evaluation (self->chart, NULL);
      show_message (self, error->message);
      return;
    }
  show_evaluation (self, evaluation);
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
  gtk_widget_class_bind_template_child (widget_class, TwEvaluationPanel, figures_box);
  gtk_widget_class_bind_template_child (widget_class, TwEvaluationPanel, figures_grid);
  gtk_widget_class_bind_template_child (widget_class, TwEvaluationPanel, did_label);
  gtk_widget_class_bind_template_child (widget_class, TwEvaluationPanel, did_interval_label);
  gtk_widget_class_bind_template_child (widget_class, TwEvaluationPanel, goal_label);
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
                              const char        *path,
                              gint64             project_id,
                              gboolean           reveal)
{
  g_autoptr(GTask) task = NULL;
  EvaluateData *data;

  g_return_if_fail (TW_IS_EVALUATION_PANEL (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (path == NULL || project_id <= 0)
    {
      tw_trend_chart_set_evaluation (self->chart, NULL);
      show_message (self, _("No project is chosen."));
      return;
    }

  self->cancellable = g_cancellable_new ();
  data = g_new0 (EvaluateData, 1);
  data->path = g_strdup (path);
  data->project_id = project_id;
  data->reveal = reveal;
  gtk_widget_add_css_class (GTK_WIDGET (self), "busy");
  task = g_task_new (self, self->cancellable, on_evaluated, NULL);
  g_task_set_source_tag (task, tw_evaluation_panel_evaluate);
  g_task_set_task_data (task, data, (GDestroyNotify) evaluate_data_free);
  g_task_run_in_thread (task, evaluate_thread);
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
  g_string_append_printf (text, "\nDiD %s %s\nGoal %s %s\n%s",
                          gtk_label_get_text (self->did_label),
                          gtk_label_get_text (self->did_interval_label),
                          gtk_label_get_text (self->goal_label),
                          gtk_label_get_text (self->goal_detail_label),
                          gtk_label_get_text (self->note_label));
  return g_string_free (text, FALSE);
}
