/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-analysis-panel"

#include <glib/gi18n.h>
#include <math.h>

#include "tw-analysis-legend.h"
#include "tw-analysis-panel.h"
#include "tw-attributes.h"
#include "tw-error-text.h"
#include "tw-format.h"
#include "tw-import-preview.h"
#include "tw-list-labels.h"
#include "tw-store-catalog.h"

struct _TwAnalysisPanel
{
  GtkBox            parent_instance;

  /* Template widgets */
  AdwComboRow      *kind_row;
  AdwComboRow      *attribute_row;
  AdwComboRow      *weights_row;
  AdwComboRow      *alpha_row;
  GtkWidget        *options_group;
  AdwActionRow     *permutations_row;
  AdwActionRow     *seed_row;
  AdwActionRow     *fdr_row;
  GtkSpinButton    *permutations_spin;
  GtkSpinButton    *seed_spin;
  GtkSwitch        *fdr_switch;
  GtkButton        *run_button;
  GtkButton        *cancel_button;
  GtkProgressBar   *progress_bar;
  GtkLabel         *status_label;
  GtkLabel         *global_label;
  GtkWidget        *plot_box;
  TwMoranPlot      *plot;
  GtkLabel         *plot_note;
  GtkLabel         *selected_label;

  /* Owned */
  TwAnalysisLegend *legend;
  TwDocument       *document;
  TwChoropleth     *choropleth;
  GStrv             attributes;
  gint64            attributes_geography;
  GCancellable     *list_cancellable;
  GCancellable     *run_cancellable;  /* the run going on, or NULL */
  struct _RunData  *run;           /* its data, owned by the document's task */
  TwAnalysis       *analysis;      /* the result shown, or NULL */
  char             *weights_name;  /* options of the result shown */
  double            alpha;
  gboolean          fdr;
  guint             permutations;
  char             *attribute;
  guint             progress_id;
  gboolean          active;
  int               selected;
};

G_DEFINE_FINAL_TYPE (TwAnalysisPanel, tw_analysis_panel, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_ACTIVE,
  PROP_LEGEND,
  PROP_DOCUMENT,
  N_PROPS
};

enum
{
  MAP_CHANGED,
  AREA_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const double alphas[] = { 0.05, 0.01, 0.001 };

typedef struct _RunData
{
  TwAnalysisPanel *panel;    /* a reference, for the callback */
  TwAreaLayer     *layer;
  char            *measure;
  char            *period;
  char            *from_period;   /* differential: the change since this period */
  char            *stratum;
  char            *attribute;
  TwAnalysisQuery  query;
  int              stage;    /* atomic: TwAnalysisStage, or -1 before the first */
  TwAnalysis      *analysis; /* the result */
  GStrv            names;    /* the attributes listed */
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->panel);
  g_clear_pointer (&data->layer, tw_area_layer_unref);
  g_free (data->measure);
  g_free (data->period);
  g_free (data->from_period);
  g_free (data->stratum);
  g_free (data->attribute);
  g_clear_pointer (&data->analysis, tw_analysis_free);
  g_strfreev (data->names);
  g_free (data);
}

static const char *
stage_text (int stage)
{
  switch (stage)
    {
    case TW_ANALYSIS_STAGE_RATES:
      return _("Computing the rates…");
    case TW_ANALYSIS_STAGE_BOUNDARIES:
      return _("Reading the boundaries…");
    case TW_ANALYSIS_STAGE_WEIGHTS:
      return _("Finding each area’s neighbours…");
    case TW_ANALYSIS_STAGE_GLOBAL:
      return _("Global Moran’s I and its permutations…");
    case TW_ANALYSIS_STAGE_LOCAL:
      return _("Local statistics and their permutations…");
    case TW_ANALYSIS_STAGE_ATTRIBUTE:
      return _("Reading the attribute…");
    case TW_ANALYSIS_STAGE_CLASSES:
      return _("Classing the areas…");
    default:
      return _("Starting…");
    }
}

static TwAnalysisKind
picked_kind (TwAnalysisPanel *self)
{
  guint i = adw_combo_row_get_selected (self->kind_row);

  return i <= TW_ANALYSIS_BIVARIATE ? (TwAnalysisKind) i : TW_ANALYSIS_LISA;
}

static const char *
picked_attribute (TwAnalysisPanel *self)
{
  guint i = adw_combo_row_get_selected (self->attribute_row);

  if (self->attributes == NULL || i == GTK_INVALID_LIST_POSITION
      || i >= g_strv_length (self->attributes))
    return NULL;
  return self->attributes[i];
}

static void
set_status (TwAnalysisPanel *self,
            const char      *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);

  gtk_label_set_text (self->status_label, valid);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL && *text != '\0');
}

static void
update_busy (TwAnalysisPanel *self)
{
  gboolean busy = self->run != NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), busy);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), busy);
  if (!busy)
    g_clear_handle_id (&self->progress_id, g_source_remove);
}

static void
update_rows (TwAnalysisPanel *self)
{
  TwAnalysisKind kind = picked_kind (self);
  gboolean statistic = kind == TW_ANALYSIS_LISA || kind == TW_ANALYSIS_HOTSPOTS;

  gtk_widget_set_visible (GTK_WIDGET (self->attribute_row), !statistic);
  gtk_widget_set_visible (self->options_group, statistic);
  gtk_widget_set_visible (GTK_WIDGET (self->weights_row), statistic);
  gtk_widget_set_visible (GTK_WIDGET (self->fdr_row), statistic);
  gtk_widget_set_visible (GTK_WIDGET (self->alpha_row), kind == TW_ANALYSIS_LISA);
  gtk_widget_set_visible (GTK_WIDGET (self->permutations_row), kind == TW_ANALYSIS_LISA);
  gtk_widget_set_visible (GTK_WIDGET (self->seed_row), kind == TW_ANALYSIS_LISA);
  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button),
                            self->choropleth != NULL
                            && (statistic || picked_attribute (self) != NULL));
}

/* Results */

static char *
format_value (double value)
{
  return g_strdup_printf ("%.3g", value);
}

static char *
format_p (double p)
{
  if (!isfinite (p))
    return g_strdup ("—");
  if (p < 0.0001)
    return g_strdup ("< 0.0001");
  return g_strdup_printf ("= %.4f", p);
}

static char *
measure_title (TwChoropleth *choropleth)
{
  const char *label = tw_choropleth_get_measure_label (choropleth);

  return g_strdup (label != NULL && *label != '\0' ? label
                                                   : tw_choropleth_get_measure_code (choropleth));
}

static char *
period_text (TwChoropleth *choropleth)
{
  const char *stratum = tw_choropleth_get_stratum (choropleth);

  /* Translators: "1979-1984 · all groups" */
  return g_strdup_printf (_("%s · %s"), tw_choropleth_get_period (choropleth),
                          stratum == NULL || g_strcmp0 (stratum, "all") == 0 ? _("all groups")
                                                                               : stratum);
}

static void
update_legend (TwAnalysisPanel *self)
{
  const TwAnalysis *a = self->analysis;
  const guint32 *colors;
  g_autofree char *measure = NULL, *period = NULL, *title = NULL, *subtitle = NULL;

  if (self->legend == NULL)
    return;
  if (a == NULL || !self->active || self->choropleth == NULL)
    {
      tw_analysis_legend_clear (self->legend);
      return;
    }

  measure = measure_title (self->choropleth);
  period = period_text (self->choropleth);
  switch (a->kind)
    {
    case TW_ANALYSIS_LISA:
      {
        static const TwLisaCluster order[] = {
          TW_LISA_HIGH_HIGH, TW_LISA_LOW_LOW, TW_LISA_HIGH_LOW, TW_LISA_LOW_HIGH,
          TW_LISA_NOT_SIGNIFICANT,
        };
        gboolean change = tw_choropleth_is_change (self->choropleth);
        const char *names[] = {
          [TW_LISA_NOT_SIGNIFICANT] = _("Not significant"),
          [TW_LISA_HIGH_HIGH] = change ? _("High–high: high changes among high")
                                       : _("High–high: high rates among high"),
          [TW_LISA_LOW_LOW] = change ? _("Low–low: low changes among low")
                                     : _("Low–low: low rates among low"),
          [TW_LISA_HIGH_LOW] = change ? _("High–low: a high change among low")
                                      : _("High–low: a high rate among low"),
          [TW_LISA_LOW_HIGH] = change ? _("Low–high: a low change among high")
                                      : _("Low–high: a low rate among high"),
        };

        colors = tw_analysis_lisa_colors ();
        title = g_strdup_printf (_("Clusters of %s"), measure);
        subtitle = g_strdup_printf (_("%s · local Moran, %s neighbours · p ≤ %g%s"), period,
                                    self->weights_name, self->alpha,
                                    self->fdr ? _(" (false discovery rate)") : "");
        tw_analysis_legend_begin (self->legend, title, subtitle);
        for (guint k = 0; k < G_N_ELEMENTS (order); k++)
          tw_analysis_legend_add_row (self->legend, colors[order[k]], FALSE, names[order[k]],
                                      a->counts[order[k]]);
        break;
      }

    case TW_ANALYSIS_HOTSPOTS:
      {
        const char *names[] = {
          _("Cold spot, 99% confidence"), _("Cold spot, 95% confidence"),
          _("Cold spot, 90% confidence"), _("Not significant"),
          _("Hot spot, 90% confidence"), _("Hot spot, 95% confidence"),
          _("Hot spot, 99% confidence"),
        };

        colors = tw_analysis_hotspot_colors ();
        title = g_strdup_printf (_("Hot and cold spots of %s"), measure);
        subtitle = g_strdup_printf (_("%s · Getis–Ord Gi*, %s neighbours%s"), period,
                                    self->weights_name,
                                    self->fdr ? _(" · false discovery rate") : "");
        tw_analysis_legend_begin (self->legend, title, subtitle);
        for (int k = TW_N_HOTSPOT_CLASSES - 1; k >= 0; k--)
          tw_analysis_legend_add_row (self->legend, colors[k], FALSE, names[k], a->counts[k]);
        break;
      }

    case TW_ANALYSIS_ATTRIBUTE:
      title = g_strdup (self->attribute);
      subtitle = g_strdup (_("Area attribute · quantiles"));
      tw_analysis_legend_begin (self->legend, title, subtitle);
      for (guint k = 0; k < a->n_classes; k++)
        {
          g_autofree char *low = format_value (a->breaks[k]);
          g_autofree char *high = format_value (a->breaks[k + 1]);
          g_autofree char *range = g_strdup_printf ("%s – %s", low, high);

          tw_analysis_legend_add_row (self->legend, tw_map_style_get_fill (a->style, k), FALSE,
                                      range, a->counts[k]);
        }
      break;

    case TW_ANALYSIS_BIVARIATE:
      {
        g_autofree char *unit = tw_choropleth_format_unit (self->choropleth);
        g_autofree char *x_label = g_strdup_printf (_("Rate (%s)"), unit);
        g_autofree char *r1 = tw_choropleth_format_rate (self->choropleth, a->rate_breaks[1]);
        g_autofree char *r2 = tw_choropleth_format_rate (self->choropleth, a->rate_breaks[2]);
        g_autofree char *a1 = format_value (a->attribute_breaks[1]);
        g_autofree char *a2 = format_value (a->attribute_breaks[2]);
        const char *x_ticks[2] = { r1, r2 };
        const char *y_ticks[2] = { a1, a2 };

        title = g_strdup_printf (_("%s × %s"), measure, self->attribute);
        subtitle = g_strdup_printf (_("%s · thirds of each"), period);
        tw_analysis_legend_begin (self->legend, title, subtitle);
        tw_analysis_legend_set_square (self->legend, tw_analysis_bivariate_colors (), x_label,
                                       self->attribute, x_ticks, y_ticks);
        break;
      }
    }

  if (a->n_suppressed > 0 || a->kind == TW_ANALYSIS_BIVARIATE)
    {
      const TwSuppressionPolicy *policy = tw_choropleth_get_policy (self->choropleth);
      int k = policy != NULL ? (int) policy->min_count : TW_SUPPRESSION_DEFAULT_MIN_COUNT;
      g_autofree char *text = a->kind == TW_ANALYSIS_LISA || a->kind == TW_ANALYSIS_HOTSPOTS
                              ? g_strdup_printf (_("Suppressed, left out (fewer than %d events)"),
                                                 k)
                              : g_strdup_printf (_("Suppressed (fewer than %d events)"), k);

      tw_analysis_legend_add_row (self->legend,
                                  tw_map_style_get_fill (a->style, TW_AREA_SUPPRESSED), TRUE,
                                  text, a->n_suppressed);
    }
  tw_analysis_legend_add_row (self->legend, tw_map_style_get_fill (a->style, TW_AREA_NO_DATA),
                              FALSE, _("No data"), a->n_no_data);
}

static void
update_selected (TwAnalysisPanel *self)
{
  const TwAnalysis *a = self->analysis;
  const TwAnalysisArea *area;
  TwAreaLayer *layer;
  const char *name;
  g_autofree char *text = NULL, *valid = NULL;

  tw_moran_plot_set_selected (self->plot, self->selected);
  if (a == NULL || self->choropleth == NULL || self->selected < 0
      || (guint) self->selected >= a->n_areas)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->selected_label), FALSE);
      return;
    }

  layer = tw_choropleth_get_layer (self->choropleth);
  area = &a->areas[self->selected];
  name = tw_area_layer_get_name (layer, self->selected);
  if (name == NULL || *name == '\0')
    name = tw_area_layer_get_geoid (layer, self->selected);

  if (area->kind == TW_AREA_NO_DATA)
    text = g_strdup_printf (_("%s: no data"), name);
  else if (area->kind == TW_AREA_SUPPRESSED
           && (a->kind == TW_ANALYSIS_LISA || a->kind == TW_ANALYSIS_HOTSPOTS))
    text = g_strdup_printf (_("%s: suppressed, so left out of the statistic"), name);
  else if (a->kind == TW_ANALYSIS_LISA)
    {
      g_autofree char *p = format_p (area->p);
      text = g_strdup_printf (_("%s: %s (pseudo p %s)%s"), name,
                              tw_lisa_cluster_to_string (area->kind), p,
                              area->island ? _(", no neighbours") : "");
    }
  else if (a->kind == TW_ANALYSIS_HOTSPOTS)
    {
      g_autofree char *p = format_p (area->p);
      text = g_strdup_printf (_("%s: Gi* z = %.2f, p %s"), name, area->z, p);
    }
  else if (a->kind == TW_ANALYSIS_ATTRIBUTE)
    {
      g_autofree char *value = format_value (area->attribute);
      text = g_strdup_printf (_("%s: %s = %s"), name, self->attribute, value);
    }
  else
    {
      static const char *thirds[] = { N_("lowest third"), N_("middle third"),
                                      N_("highest third") };
      g_autofree char *value = format_value (area->attribute);

      if (area->kind == TW_AREA_SUPPRESSED)
        text = g_strdup_printf (_("%s: rate suppressed · %s = %s"), name, self->attribute,
                                value);
      else
        text = g_strdup_printf (_("%s: rate in the %s · %s = %s (%s)"), name,
                                _(thirds[area->kind % 3]), self->attribute, value,
                                _(thirds[area->kind / 3]));
    }

  valid = g_utf8_make_valid (text, -1);
  gtk_label_set_text (self->selected_label, valid);
  gtk_widget_set_visible (GTK_WIDGET (self->selected_label), TRUE);
}

static void
show_analysis (TwAnalysisPanel *self)
{
  const TwAnalysis *a = self->analysis;
  TwAreaLayer *layer = self->choropleth != NULL ? tw_choropleth_get_layer (self->choropleth)
                                                : NULL;

  tw_moran_plot_set_analysis (self->plot, a, layer);
  gtk_widget_set_visible (self->plot_box, a != NULL && a->kind == TW_ANALYSIS_LISA);
  gtk_widget_set_visible (GTK_WIDGET (self->global_label), a != NULL
                          && a->kind == TW_ANALYSIS_LISA);
  if (a != NULL && a->kind == TW_ANALYSIS_LISA)
    {
      g_autofree char *p_analytic = format_p (a->global.p_analytic);
      g_autofree char *p_permutation = format_p (a->global.p_permutation);
      g_autofree char *text = NULL, *note = NULL;

      text = g_strdup_printf (_("Global Moran’s I = %.4f (expected %.4f)\n"
                                "z = %.2f · p %s · permutation p %s (%u)\n"
                                "%u areas analysed, %u without neighbours, "
                                "%u suppressed left out"),
                              a->global.i, a->global.expectation, a->global.z, p_analytic,
                              p_permutation, a->global.permutations, a->n_analysed,
                              a->n_islands, a->n_suppressed);
      gtk_label_set_text (self->global_label, text);

      if (a->n_suppressed > 0 && !a->reveal)
        note = g_strdup_printf (ngettext ("The line’s slope is Moran’s I. %u suppressed area "
                                          "is left out as missing: its hidden count takes no "
                                          "part in any statistic.",
                                          "The line’s slope is Moran’s I. %u suppressed areas "
                                          "are left out as missing: their hidden counts take "
                                          "no part in any statistic.",
                                          a->n_suppressed), a->n_suppressed);
      else if (a->reveal)
        note = g_strdup (_("The line’s slope is Moran’s I. Analyst view: suppressed areas are "
                           "drawn too, on this screen only."));
      else
        note = g_strdup (_("The line’s slope is Moran’s I. Click a point to find its area."));
      gtk_label_set_text (self->plot_note, note);
    }
  update_legend (self);
  update_selected (self);
  g_signal_emit (self, signals[MAP_CHANGED], 0);
}

static void
clear_analysis (TwAnalysisPanel *self)
{
  if (self->analysis == NULL)
    return;
  g_clear_pointer (&self->analysis, tw_analysis_free);
  show_analysis (self);
}

/* Running */

static void
on_progress (TwAnalysisStage stage,
             gpointer        user_data)
{
  RunData *data = user_data;

  g_atomic_int_set (&data->stage, (int) stage);
}

static gboolean
on_progress_tick (gpointer user_data)
{
  TwAnalysisPanel *self = user_data;

  if (self->run == NULL)
    {
      self->progress_id = 0;
      return G_SOURCE_REMOVE;
    }
  gtk_progress_bar_set_text (self->progress_bar,
                             stage_text (g_atomic_int_get (&self->run->stage)));
  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static gboolean
run_in_thread (TwStore       *store,
               gpointer       task_data,
               GCancellable  *cancellable,
               GError       **error)
{
  RunData *data = task_data;

  data->analysis = tw_analysis_run (store, data->layer, &data->query, on_progress, data,
                                    cancellable, error);
  return data->analysis != NULL;
}

static void
on_run_finished (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RunData *data = tw_document_run_get_task_data (result);
  TwAnalysisPanel *self = data->panel;
  g_autoptr(GError) error = NULL;
  TwAnalysis *analysis = NULL;

  /* Cancelled or replaced: the user was told when it was stopped. */
  if (data != self->run)
    return;
  if (tw_document_run_finish (TW_DOCUMENT (object), result, &error))
    analysis = g_steal_pointer (&data->analysis);
  self->run = NULL;
  g_clear_object (&self->run_cancellable);
  update_busy (self);

  if (analysis == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_autofree char *reason = tw_error_text (error);

      message = g_strdup_printf (_("The analysis could not run: %s"), reason);
      set_status (self, message);
      clear_analysis (self);
      return;
    }

  set_status (self, NULL);
  g_clear_pointer (&self->analysis, tw_analysis_free);
  self->analysis = analysis;
  g_free (self->weights_name);
  self->weights_name = g_strdup (data->query.weights == TW_WEIGHTS_ROOK ? _("rook")
                                                                         : _("queen"));
  self->alpha = data->query.alpha;
  self->fdr = data->query.fdr;
  self->permutations = data->query.permutations;
  g_free (self->attribute);
  self->attribute = g_strdup (data->attribute);
  show_analysis (self);
}

/* Cancels the run going on, if any; TRUE if there was one. */
static gboolean
stop_run (TwAnalysisPanel *self)
{
  if (self->run == NULL)
    return FALSE;
  g_cancellable_cancel (self->run_cancellable);
  g_clear_object (&self->run_cancellable);
  self->run = NULL;
  update_busy (self);
  return TRUE;
}

static void
start_run (TwAnalysisPanel *self)
{
  RunData *data;
  guint alpha = adw_combo_row_get_selected (self->alpha_row);
  TwAnalysisKind kind = picked_kind (self);
  const char *stratum, *from = NULL, *to = NULL;

  stop_run (self);
  if (self->choropleth == NULL || self->document == NULL)
    return;
  if ((kind == TW_ANALYSIS_ATTRIBUTE || kind == TW_ANALYSIS_BIVARIATE)
      && picked_attribute (self) == NULL)
    {
      set_status (self, _("No area attributes in this workspace yet: import a table of them "
                          "(SVI, ADI…) with Import… beside Attribute."));
      return;
    }

  if (tw_choropleth_is_change (self->choropleth)
      && !tw_choropleth_get_change_periods (self->choropleth, &from, &to))
    {
      set_status (self, _("Spatial analysis runs on a map of rates or of change between two "
                          "periods, not on a trend: choose Rates or Change above the map."));
      return;
    }

  data = g_new0 (RunData, 1);
  data->panel = g_object_ref (self);
  data->layer = tw_area_layer_ref (tw_choropleth_get_layer (self->choropleth));
  data->measure = g_strdup (tw_choropleth_get_measure_code (self->choropleth));
  /* On a map of change the statistics run on the change (differential LISA), with the
   * privacy rule of LISA: an area hidden at either end takes no part. */
  data->period = g_strdup (to != NULL ? to : tw_choropleth_get_period (self->choropleth));
  data->from_period = g_strdup (from);
  stratum = tw_choropleth_get_stratum (self->choropleth);
  data->stratum = g_strdup (stratum != NULL ? stratum : "all");
  data->attribute = g_strdup (picked_attribute (self));
  data->stage = -1;
  data->query.kind = kind;
  data->query.measure = data->measure;
  data->query.period = data->period;
  data->query.from_period = data->from_period;
  data->query.stratum = data->stratum;
  data->query.weights = adw_combo_row_get_selected (self->weights_row) == 1 ? TW_WEIGHTS_ROOK
                                                                            : TW_WEIGHTS_QUEEN;
  data->query.permutations = (guint) gtk_spin_button_get_value_as_int (self->permutations_spin);
  data->query.seed = (guint64) gtk_spin_button_get_value (self->seed_spin);
  data->query.alpha = alphas[alpha < G_N_ELEMENTS (alphas) ? alpha : 0];
  data->query.fdr = gtk_switch_get_active (self->fdr_switch);
  data->query.attribute = data->attribute;
  data->query.reveal = tw_choropleth_get_reveal (self->choropleth);

  set_status (self, NULL);
  /* Cancel answers at once; a statistic half done finishes in its thread, unseen. */
  self->run = data;
  self->run_cancellable = g_cancellable_new ();
  tw_document_run_async (self->document, TW_DOCUMENT_READ, run_in_thread, data,
                         (GDestroyNotify) run_data_free, self->run_cancellable,
                         on_run_finished, NULL);

  gtk_progress_bar_set_text (self->progress_bar, stage_text (-1));
  if (self->progress_id == 0)
    self->progress_id = g_timeout_add (100, on_progress_tick, self);
  update_busy (self);
}

/* Attributes of the geography */

static gboolean
list_in_thread (TwStore       *store,
                gpointer       task_data,
                GCancellable  *cancellable,
                GError       **error)
{
  RunData *data = task_data;

  data->names = tw_store_list_attributes (store, tw_area_layer_get_geography_id (data->layer), error);
  return data->names != NULL;
}

static void
on_listed (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  RunData *data = tw_document_run_get_task_data (result);
  TwAnalysisPanel *self = data->panel;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GtkStringList) model = NULL;
  g_autofree char *old = NULL;
  guint selected = 0;

  if (!tw_document_run_finish (TW_DOCUMENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Could not list the attributes: %s", error->message);
      return;
    }
  names = g_steal_pointer (&data->names);

  old = g_strdup (picked_attribute (self));
  g_strfreev (self->attributes);
  self->attributes = g_steal_pointer (&names);
  model = gtk_string_list_new ((const char *const *) self->attributes);
  for (guint i = 0; self->attributes[i] != NULL; i++)
    if (g_strcmp0 (self->attributes[i], old) == 0)
      selected = i;
  adw_combo_row_set_model (self->attribute_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->attribute_row, selected);
  /* Sensitive even when empty: its Import… button is how attributes come. */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->attribute_row),
                               self->attributes[0] != NULL
                               ? _("Social vulnerability, deprivation or any area figure")
                               : _("None yet: import a table of them with Import…"));
  update_rows (self);
}

static void
list_attributes (TwAnalysisPanel *self)
{
  RunData *data;

  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  if (self->choropleth == NULL || self->document == NULL)
    return;

  self->list_cancellable = g_cancellable_new ();
  data = g_new0 (RunData, 1);
  data->panel = g_object_ref (self);
  data->layer = tw_area_layer_ref (tw_choropleth_get_layer (self->choropleth));
  tw_document_run_async (self->document, TW_DOCUMENT_READ, list_in_thread, data,
                         (GDestroyNotify) run_data_free, self->list_cancellable,
                         on_listed, NULL);
}

/* Importing attributes */

typedef struct
{
  TwAnalysisPanel         *panel;      /* a reference, for the callback */
  char                    *source;
  char                    *geography;
  TwAttributeImportResult *result;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_clear_object (&data->panel);
  g_free (data->source);
  g_free (data->geography);
  g_clear_pointer (&data->result, tw_attribute_import_result_free);
  g_free (data);
}

/* Whether a cell is a number or one of the missing values the import accepts. */
static gboolean
cell_is_figure (const char *cell,
                gboolean   *has_value)
{
  g_autofree char *text = g_strstrip (g_strdup (cell != NULL ? cell : ""));
  char *end = NULL;

  if (*text == '\0' || g_ascii_strcasecmp (text, "NA") == 0
      || g_ascii_strcasecmp (text, "NaN") == 0)
    return TRUE;
  g_ascii_strtod (text, &end);
  if (end == text || *end != '\0')
    return FALSE;
  *has_value = TRUE;
  return TRUE;
}

/* The table's GEOID column, found as the outcome importer finds it, and every other column
 * whose first rows hold numbers: the attributes a user means by importing an SVI table. */
static gboolean
import_attributes_in_thread (TwStore       *store,
                             gpointer       task_data,
                             GCancellable  *cancellable,
                             GError       **error)
{
  ImportData *data = task_data;
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  TwImportPreview *preview;
  TwImportLayer *layer;
  int geoid;

  preview = tw_import_preview_read (data->source, 50, error);
  if (preview == NULL)
    return FALSE;
  layer = preview->layers->len > 0 ? g_ptr_array_index (preview->layers, 0) : NULL;
  geoid = layer != NULL ? layer->guess[TW_IMPORT_COLUMN_GEOID] : -1;
  if (geoid < 0)
    {
      tw_import_preview_free (preview);
      g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_COLUMNS,
                   _("The table has no GEOID column: name the column of area codes "
                     "“GEOID” or “FIPS”, and import it again."));
      return FALSE;
    }
  for (guint f = 0; layer->fields[f] != NULL; f++)
    {
      gboolean numbers = TRUE, has_value = FALSE;

      for (guint r = 0; r < layer->rows->len && numbers && (int) f != geoid; r++)
        numbers = cell_is_figure (((GStrv) g_ptr_array_index (layer->rows, r))[f], &has_value);
      if ((int) f != geoid && numbers && has_value)
        g_ptr_array_add (fields, layer->fields[f]);
    }
  g_ptr_array_add (fields, NULL);
  if (fields->len == 1)
    {
      tw_import_preview_free (preview);
      g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_COLUMNS,
                   _("The table has no column of numbers beside its GEOIDs."));
      return FALSE;
    }

  {
    TwAttributeImportOptions options = {
      .geography = data->geography,
      .geoid_field = layer->fields[geoid],
      .fields = (const char *const *) fields->pdata,
    };

    data->result = tw_attribute_import (store, data->source, &options, error);
  }
  tw_import_preview_free (preview);
  return data->result != NULL;
}

static void
on_attributes_imported (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  ImportData *data = tw_document_run_get_task_data (result);
  TwAnalysisPanel *self = data->panel;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!tw_document_run_finish (TW_DOCUMENT (object), result, &error))
    {
      g_autofree char *reason = tw_error_text (error);

      text = g_strdup_printf (_("Nothing was imported: %s"), reason);
    }
  else
    {
      g_autofree char *names = g_strjoinv (", ", data->result->fields);
      g_autofree char *rows = tw_format_count_locale (data->result->rows);

      /* Translators: "Imported RPL_THEMES, RPL_THEME1 for 1,234 areas of “Boston tracts”." */
      text = g_strdup_printf (_("Imported %s for %s areas of “%s”."), names, rows,
                              data->geography);
      if (data->result->unmatched > 0)
        {
          g_autofree char *unmatched = tw_format_count_locale (data->result->unmatched);
          g_autofree char *longer = NULL;

          longer = g_strdup_printf (ngettext ("%s %s row named no area of it and was left out.",
                                              "%s %s rows named no area of it and were left out.",
                                              (gulong) data->result->unmatched),
                                    text, unmatched);
          g_free (text);
          text = g_steal_pointer (&longer);
        }
      tw_document_emit_changed (TW_DOCUMENT (object), TW_DOCUMENT_CHANGED_ATTRIBUTES);
    }
  set_status (self, text);
}

static void
on_attributes_file_chosen (GtkNativeDialog *chooser,
                           int              response,
                           TwAnalysisPanel *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  if (file != NULL)
    tw_analysis_panel_import_attributes (self, file);
}

static void
import_attributes_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  TwAnalysisPanel *self = TW_ANALYSIS_PANEL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) tables = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Import Area Attributes"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (tables, _("Tables (CSV, spreadsheets, DBF)"));
  gtk_file_filter_add_suffix (tables, "csv");
  gtk_file_filter_add_suffix (tables, "xlsx");
  gtk_file_filter_add_suffix (tables, "ods");
  gtk_file_filter_add_suffix (tables, "dbf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), tables);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_attributes_file_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_document_changed (TwAnalysisPanel *self,
                     const char      *detail)
{
  list_attributes (self);
}

/* Callbacks */

static void
on_kind_changed (TwAnalysisPanel *self)
{
  /* Clusters left on the map under "Hot spots" would be read as hot spots. */
  stop_run (self);
  clear_analysis (self);
  update_rows (self);
}

static void
on_run_clicked (TwAnalysisPanel *self)
{
  start_run (self);
}

static void
on_cancel_clicked (TwAnalysisPanel *self)
{
  tw_analysis_panel_cancel (self);
}

static void
on_point_activated (TwAnalysisPanel *self,
                    int              area)
{
  self->selected = area;
  update_selected (self);
  g_signal_emit (self, signals[AREA_ACTIVATED], 0, area);
}

/* GObject */

static void
tw_analysis_panel_dispose (GObject *object)
{
  TwAnalysisPanel *self = TW_ANALYSIS_PANEL (object);

  stop_run (self);
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_object (&self->legend);
  g_clear_pointer (&self->choropleth, tw_choropleth_unref);
  g_clear_object (&self->document);
  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_ANALYSIS_PANEL);

  G_OBJECT_CLASS (tw_analysis_panel_parent_class)->dispose (object);
}

static void
tw_analysis_panel_finalize (GObject *object)
{
  TwAnalysisPanel *self = TW_ANALYSIS_PANEL (object);

  g_strfreev (self->attributes);
  g_clear_pointer (&self->analysis, tw_analysis_free);
  g_free (self->weights_name);
  g_free (self->attribute);

  G_OBJECT_CLASS (tw_analysis_panel_parent_class)->finalize (object);
}

static void
tw_analysis_panel_set_active (TwAnalysisPanel *self,
                              gboolean         active)
{
  active = !!active;
  if (self->active == active)
    return;
  self->active = active;
  /* Another program (tractwise-cli import-attributes) may have imported some meanwhile. */
  if (active)
    list_attributes (self);
  update_legend (self);
  g_signal_emit (self, signals[MAP_CHANGED], 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static void
tw_analysis_panel_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TwAnalysisPanel *self = TW_ANALYSIS_PANEL (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;

    case PROP_LEGEND:
      g_value_set_object (value, self->legend);
      break;

    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_analysis_panel_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TwAnalysisPanel *self = TW_ANALYSIS_PANEL (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      tw_analysis_panel_set_active (self, g_value_get_boolean (value));
      break;

    case PROP_LEGEND:
      if (g_set_object (&self->legend, g_value_get_object (value)))
        {
          update_legend (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_DOCUMENT:
      tw_analysis_panel_set_choropleth (self, g_value_get_object (value), self->choropleth);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_analysis_panel_class_init (TwAnalysisPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_analysis_panel_dispose;
  object_class->finalize = tw_analysis_panel_finalize;
  object_class->get_property = tw_analysis_panel_get_property;
  object_class->set_property = tw_analysis_panel_set_property;

  /**
   * TwAnalysisPanel:active:
   *
   * Whether the panel is open: only then does its map replace the rates.
   */
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TwAnalysisPanel:legend:
   *
   * The legend card over the map that shows the analysis map's classes.
   */
  properties[PROP_LEGEND] =
    g_param_spec_object ("legend", NULL, NULL, TW_TYPE_ANALYSIS_LEGEND,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TwAnalysisPanel:document:
   *
   * The project the analyses read, in a worker thread through the document.
   */
  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, TW_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TwAnalysisPanel::map-changed:
   *
   * tw_analysis_panel_get_style () has something new to draw, or nothing any more.
   */
  signals[MAP_CHANGED] =
    g_signal_new ("map-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  /**
   * TwAnalysisPanel::area-activated:
   * @area: the layer's index of the area
   *
   * A point of the scatterplot was clicked: the window selects its area.
   */
  signals[AREA_ACTIVATED] =
    g_signal_new ("area-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  g_type_ensure (TW_TYPE_MORAN_PLOT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/"
                                               "tw-analysis-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, kind_row);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, attribute_row);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, weights_row);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, alpha_row);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, options_group);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, permutations_row);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, seed_row);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, fdr_row);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, permutations_spin);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, fdr_switch);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, run_button);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, global_label);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, plot_box);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, plot);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, plot_note);
  gtk_widget_class_bind_template_child (widget_class, TwAnalysisPanel, selected_label);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_changed);
  gtk_widget_class_install_action (widget_class, "analysis.import-attributes", NULL,
                                   import_attributes_action);
  gtk_widget_class_bind_template_callback (widget_class, on_run_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_point_activated);
}

static void
tw_analysis_panel_init (TwAnalysisPanel *self)
{
  self->selected = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  tw_combo_row_show_whole (self->kind_row);
  update_rows (self);
}

/* Public API */

void
tw_analysis_panel_import_attributes (TwAnalysisPanel *self,
                                     GFile           *file)
{
  ImportData *data;

  g_return_if_fail (TW_IS_ANALYSIS_PANEL (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->document == NULL || self->choropleth == NULL || g_file_peek_path (file) == NULL)
    {
      set_status (self, _("Only a table on this computer can be imported, into a map shown."));
      return;
    }
  data = g_new0 (ImportData, 1);
  data->panel = g_object_ref (self);
  data->source = g_file_get_path (file);
  data->geography = g_strdup (tw_area_layer_get_geography_name (tw_choropleth_get_layer (self->choropleth)));
  set_status (self, _("Importing the attributes…"));
  tw_document_run_async (self->document, TW_DOCUMENT_WRITE, import_attributes_in_thread, data,
                         (GDestroyNotify) import_data_free, NULL, on_attributes_imported, NULL);
}

void
tw_analysis_panel_set_choropleth (TwAnalysisPanel *self,
                                  TwDocument      *document,
                                  TwChoropleth    *choropleth)
{
  gboolean rerun, new_areas, new_document;

  g_return_if_fail (TW_IS_ANALYSIS_PANEL (self));
  g_return_if_fail (document == NULL || TW_IS_DOCUMENT (document));

  new_document = document != self->document;
  if (choropleth == self->choropleth && !new_document)
    return;

  new_areas = new_document || choropleth == NULL
              || self->choropleth == NULL
              || tw_choropleth_get_layer (choropleth) != tw_choropleth_get_layer (self->choropleth);
  rerun = self->analysis != NULL || self->run != NULL;
  stop_run (self);
  if (new_document && self->document != NULL)
    g_signal_handlers_disconnect_by_func (self->document, on_document_changed, self);
  g_set_object (&self->document, document);
  if (new_document && document != NULL)
    g_signal_connect_object (document, "changed::" TW_DOCUMENT_CHANGED_ATTRIBUTES,
                             G_CALLBACK (on_document_changed), self, G_CONNECT_SWAPPED);
  if (choropleth != self->choropleth)
    {
      if (choropleth != NULL)
        tw_choropleth_ref (choropleth);
      g_clear_pointer (&self->choropleth, tw_choropleth_unref);
      self->choropleth = choropleth;
    }
  if (new_areas)
    self->selected = -1;

  clear_analysis (self);
  if (new_areas)
    list_attributes (self);
  update_rows (self);
  /* The analysis shown follows the map's measure, period, group and analyst view. */
  if (rerun && self->choropleth != NULL && !new_areas)
    start_run (self);
  if (new_document)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

void
tw_analysis_panel_set_selected (TwAnalysisPanel *self,
                                int              area)
{
  g_return_if_fail (TW_IS_ANALYSIS_PANEL (self));

  if (self->selected == area)
    return;
  self->selected = area;
  update_selected (self);
}

TwMapStyle *
tw_analysis_panel_get_style (TwAnalysisPanel *self)
{
  g_return_val_if_fail (TW_IS_ANALYSIS_PANEL (self), NULL);

  if (!self->active || self->analysis == NULL)
    return NULL;
  return self->analysis->style;
}

void
tw_analysis_panel_set_kind (TwAnalysisPanel *self,
                            TwAnalysisKind   kind)
{
  g_return_if_fail (TW_IS_ANALYSIS_PANEL (self));
  adw_combo_row_set_selected (self->kind_row, kind);
}

gboolean
tw_analysis_panel_set_attribute (TwAnalysisPanel *self,
                                 const char      *name)
{
  g_return_val_if_fail (TW_IS_ANALYSIS_PANEL (self), FALSE);

  for (guint i = 0; self->attributes != NULL && self->attributes[i] != NULL; i++)
    if (g_strcmp0 (self->attributes[i], name) == 0)
      {
        adw_combo_row_set_selected (self->attribute_row, i);
        update_rows (self);
        return TRUE;
      }
  return FALSE;
}

void
tw_analysis_panel_run (TwAnalysisPanel *self)
{
  g_return_if_fail (TW_IS_ANALYSIS_PANEL (self));
  start_run (self);
}

void
tw_analysis_panel_cancel (TwAnalysisPanel *self)
{
  g_return_if_fail (TW_IS_ANALYSIS_PANEL (self));

  if (stop_run (self))
    set_status (self, _("Cancelled: the map shows what it showed before."));
}

gboolean
tw_analysis_panel_get_busy (TwAnalysisPanel *self)
{
  g_return_val_if_fail (TW_IS_ANALYSIS_PANEL (self), FALSE);
  return self->run != NULL;
}

const TwAnalysis *
tw_analysis_panel_get_analysis (TwAnalysisPanel *self)
{
  g_return_val_if_fail (TW_IS_ANALYSIS_PANEL (self), NULL);
  return self->analysis;
}

TwMoranPlot *
tw_analysis_panel_get_plot (TwAnalysisPanel *self)
{
  g_return_val_if_fail (TW_IS_ANALYSIS_PANEL (self), NULL);
  return self->plot;
}

const char *
tw_analysis_panel_get_global_text (TwAnalysisPanel *self)
{
  g_return_val_if_fail (TW_IS_ANALYSIS_PANEL (self), NULL);
  return gtk_label_get_text (self->global_label);
}

const char *
tw_analysis_panel_get_status_text (TwAnalysisPanel *self)
{
  g_return_val_if_fail (TW_IS_ANALYSIS_PANEL (self), NULL);
  return gtk_label_get_text (self->status_label);
}
