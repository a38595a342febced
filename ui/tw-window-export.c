/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-window"

/* The window's way out for its map: the Export Map dialog, printing, and the list of what
 * the project exported. Kept apart from tw-window.c, which it reaches only through the
 * window's private getters. */

#include <glib/gi18n.h>

#include "tw-brief.h"
#include "tw-error-text.h"
#include "tw-export-dialog.h"
#include "tw-exports-window.h"
#include "tw-map-print.h"
#include "tw-outlines.h"
#include "tw-preferences-window.h"
#include "tw-store.h"
#include "tw-window-private.h"
#include "tw-window-review.h"
#include "tw-toast.h"

static void
remember_toast (TwWindow   *self,
                const char *title)
{
  g_free (self->export_toast);
  self->export_toast = g_strdup (title);
}

void
tw_window_open_export_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  gtk_show_uri (GTK_WINDOW (widget), g_variant_get_string (parameter, NULL), GDK_CURRENT_TIME);
}

/* @title ("Exported “map.pdf”"), with a button that opens @file. */
static void
toast_file (TwWindow   *self,
            const char *title,
            GFile      *file)
{
  AdwToast *toast = tw_toast_new_plain (title);
  g_autofree char *uri = g_file_get_uri (file);

  adw_toast_set_button_label (toast, _("_Open"));
  adw_toast_set_action_name (toast, "win.open-export");
  adw_toast_set_action_target_value (toast, g_variant_new_string (uri));
  remember_toast (self, title);
  tw_window_add_toast (self, toast);
}

/* Exports and prints never reveal: the toast says why and turns the analyst view off. */
static void
toast_refused (TwWindow   *self,
               const char *title)
{
  AdwToast *toast = tw_toast_new_plain (title);

  adw_toast_set_button_label (toast, _("_Turn Off Analyst View"));
  adw_toast_set_action_name (toast, "win.analyst-view");
  adw_toast_set_timeout (toast, 10);
  remember_toast (self, title);
  tw_window_add_toast (self, toast);
}

static void
toast_text (TwWindow   *self,
            const char *title)
{
  AdwToast *toast = tw_toast_new_plain (title);

  adw_toast_set_timeout (toast, 8);
  remember_toast (self, title);
  tw_window_add_toast (self, toast);
}

static void
on_map_exported (TwWindow *self,
                 GFile    *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *title = g_strdup_printf (_("Exported “%s”"), name);

  toast_file (self, title, file);
}

TwExportDialog *
tw_window_export_map (TwWindow *self)
{
  TwDocument *document = self->document;
  TwChoropleth *map = tw_map_session_get_choropleth (self->session);
  TwExportDialog *dialog;

  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  if (document == NULL || tw_document_get_project_path (document) == NULL || map == NULL)
    {
      toast_text (self, _("Open a workspace with outcomes to export its map."));
      return NULL;
    }
  if (self->export_outlines == NULL)
    self->export_outlines = tw_outline_cache_new ();
  dialog = tw_export_dialog_new (GTK_WINDOW (self), document, self->session,
                                 tw_map_view_get_map (self->map_view), self->export_outlines);
  g_signal_connect_object (dialog, "exported", G_CALLBACK (on_map_exported), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
on_printed (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TwWindow *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  const char *export_path = g_task_get_task_data (task);

  if (tw_map_print_finish (res, &error))
    {
      if (export_path != NULL)
        {
          g_autoptr(GFile) file = g_file_new_for_path (export_path);
          g_autofree char *name = g_file_get_basename (file);
          g_autofree char *title = g_strdup_printf (_("Printed to “%s”"), name);

          toast_file (self, title, file);
        }
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_error_matches (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID)
      && tw_map_session_get_choropleth (self->session) != NULL
      && tw_choropleth_get_reveal (tw_map_session_get_choropleth (self->session)))
    toast_refused (self, _("Prints never show suppressed figures: turn off Analyst View to "
                           "print this map."));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = tw_error_text (error);
      g_autofree char *message = g_strdup_printf (_("The map was not printed. %s"), text);

      toast_text (self, message);
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

void
tw_window_print_map (TwWindow            *self,
                     const char          *export_path,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  TwDocument *document = self->document;
  TwChoropleth *map = tw_map_session_get_choropleth (self->session);
  GTask *task;

  g_return_if_fail (TW_IS_WINDOW (self));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, tw_window_print_map);
  g_task_set_task_data (task, g_strdup (export_path), g_free);
  if (document == NULL || tw_document_get_project_path (document) == NULL || map == NULL)
    {
      toast_text (self, _("Open a workspace with outcomes to print its map."));
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no map to print");
      g_object_unref (task);
      return;
    }
  {
    g_autoptr(TwLineSet) counties = NULL;
    g_autoptr(TwLineSet) states = NULL;
    gboolean have = tw_window_lookup_export_outlines (self, tw_choropleth_get_layer (map),
                                                      &counties, &states);

    tw_map_print_async (GTK_WINDOW (self), document, map, have, counties, states, export_path,
                        NULL, on_printed, task);
  }
}

gboolean
tw_window_print_map_finish (TwWindow      *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

TwExportsWindow *
tw_window_show_exports (TwWindow *self)
{
  TwDocument *document = tw_window_get_document (self);
  TwExportsWindow *window;

  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  if (document == NULL || tw_document_get_project_path (document) == NULL)
    {
      toast_text (self, _("Open a workspace to see what it exported."));
      return NULL;
    }
  window = tw_exports_window_new (GTK_WINDOW (self), document);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

const char *
tw_window_get_export_toast (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  return self->export_toast;
}

/* Outlines for exports */

gboolean
tw_window_lookup_export_outlines (TwWindow     *self,
                                  TwAreaLayer  *layer,
                                  TwLineSet   **counties,
                                  TwLineSet   **states)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), FALSE);

  return self->export_outlines != NULL
         && tw_outline_cache_lookup (self->export_outlines, layer, counties, states);
}

/* The board brief */

typedef struct
{
  char *out_path;
  char *measure;
  char *period;
  char *stratum;
  char *geography;
  char *organisation;
} BriefJob;

static void
brief_job_free (BriefJob *job)
{
  g_free (job->out_path);
  g_free (job->measure);
  g_free (job->period);
  g_free (job->stratum);
  g_free (job->geography);
  g_free (job->organisation);
  g_free (job);
}

/* In a worker, on the document's project (a review copy's working file when one is open):
 * the brief records itself in the audit log, so the project is opened for writing. */
static gboolean
write_brief_in_thread (TwStore       *store,
                       gpointer       task_data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  BriefJob *job = task_data;
  TwBriefOptions options = { 0 };

  options.measure = job->measure;
  options.period = job->period;
  options.stratum = job->stratum;
  options.geography = job->geography;
  options.organisation = job->organisation;
  return tw_brief_write (store, &options, job->out_path, cancellable, error);
}

static void
on_brief_written (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TwWindow) self = user_data;
  BriefJob *job = tw_document_run_get_task_data (result);
  g_autoptr(GFile) file = g_file_new_for_path (job->out_path);
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GError) error = NULL;

  self->brief_busy = FALSE;
  if (!tw_document_run_finish (TW_DOCUMENT (object), result, &error))
    {
      g_autofree char *text = tw_error_text (error);
      g_autofree char *title = g_strdup_printf (_("“%s” was not written. %s"), name, text);

      toast_text (self, title);
      return;
    }
  {
    g_autofree char *title = g_strdup_printf (_("Exported the board brief “%s”"), name);

    toast_file (self, title, file);
  }
}

gboolean
tw_window_export_brief (TwWindow *self,
                        GFile    *file)
{
  TwChoropleth *map = tw_map_session_get_choropleth (self->session);
  g_autofree char *out_path = g_file_get_path (file);
  BriefJob *job;

  g_return_val_if_fail (TW_IS_WINDOW (self), FALSE);

  if (self->document == NULL || map == NULL || out_path == NULL)
    {
      toast_text (self, _("Open a workspace with outcomes to export its board brief."));
      return FALSE;
    }
  job = g_new0 (BriefJob, 1);
  job->out_path = g_steal_pointer (&out_path);
  job->measure = g_strdup (tw_choropleth_get_measure_code (map));
  /* The session's period: a map of change or trend names its periods in words. */
  job->period = g_strdup (tw_map_session_get_period (self->session));
  job->stratum = g_strdup (tw_choropleth_get_stratum (map));
  job->geography = g_strdup (tw_area_layer_get_geography_name (tw_choropleth_get_layer (map)));
  /* The cover names the organisation of Preferences; none given, the workspace's. */
  job->organisation = tw_preferences_get_user_organisation ();
  if (*job->organisation == '\0')
    g_clear_pointer (&job->organisation, g_free);
  self->brief_busy = TRUE;
  tw_document_run_async (self->document, TW_DOCUMENT_WRITE, write_brief_in_thread, job,
                         (GDestroyNotify) brief_job_free, NULL, on_brief_written,
                         g_object_ref (self));
  return TRUE;
}

gboolean
tw_window_get_brief_busy (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), FALSE);

  return self->brief_busy;
}

static void
on_brief_chooser_response (GtkNativeDialog *chooser,
                           int              response,
                           TwWindow        *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    {
      g_autofree char *name = g_file_get_basename (file);

      /* A name typed without its suffix gets one: the brief is a PDF. */
      if (!g_str_has_suffix (name, ".pdf") && !g_str_has_suffix (name, ".PDF"))
        {
          g_autofree char *named = g_strconcat (name, ".pdf", NULL);
          g_autoptr(GFile) parent = g_file_get_parent (file);

          g_set_object (&file, g_file_get_child (parent, named));
        }
      tw_window_export_brief (self, file);
    }
  g_object_unref (chooser);
}

void
tw_window_export_brief_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);
  TwChoropleth *map = tw_map_session_get_choropleth (self->session);
  GtkFileChooserNative *chooser;
  g_autofree char *name = NULL;
  GtkFileFilter *filter;

  if (map == NULL || tw_window_get_brief_busy (self))
    return;
  chooser = gtk_file_chooser_native_new (_("Export Board Brief"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* TRANSLATORS: the suggested file name of a board brief; %s is the measure */
  name = g_strdup_printf (_("%s board brief.pdf"), tw_choropleth_get_measure_label (map));
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_pattern (filter, "*.pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_unref (filter);
  g_signal_connect (chooser, "response", G_CALLBACK (on_brief_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Actions */

void
tw_window_export_map_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  tw_window_export_map (TW_WINDOW (widget));
}

void
tw_window_print_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  tw_window_print_map (TW_WINDOW (widget), NULL, NULL, NULL);
}

void
tw_window_exports_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  tw_window_show_exports (TW_WINDOW (widget));
}

/* Map exports need a map, and no review copy (tw-window-review.c keeps its edits and
 * exports off); the list of exports, a project. */
static void
update_actions (TwWindow *self)
{
  /* A review copy exports nothing (tw-window-review.c keeps its edits and exports off). */
  gboolean project = tw_window_get_file (self) != NULL
                     && tw_window_review_get_session (self) == NULL;
  gboolean map = project && tw_map_session_get_choropleth (self->session) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-map", map);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.print", map);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-brief", map);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.exports", project);
}

void
tw_window_export_init (TwWindow *self)
{
  g_signal_connect (self, "notify::loading", G_CALLBACK (update_actions), NULL);
  g_signal_connect (self, "notify::file", G_CALLBACK (update_actions), NULL);
  g_signal_connect_object (self->session, "notify::choropleth", G_CALLBACK (update_actions),
                           self, G_CONNECT_SWAPPED);
  update_actions (self);
}

void
tw_window_export_dispose (TwWindow *self)
{
  g_clear_pointer (&self->export_toast, g_free);
  g_clear_object (&self->export_outlines);
}
