/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-map-print"

#include <glib/gi18n.h>

#include "tw-export.h"
#include "tw-export-log.h"
#include "tw-map-print.h"
#include "tw-outlines.h"

typedef struct
{
  TwDocument        *document;
  TwChoropleth      *map;
  char              *export_path;
  gboolean           have_outlines;
  TwLineSet         *counties;
  TwLineSet         *states;
  GtkWindow         *parent;
  TwMapExport       *export;
  GtkPrintOperation *operation;
  char              *printer;      /* where it went, for the audit log */
  char              *printed_file;
  gboolean           done;
} PrintData;

/* The print dialog's choices, kept for the next print in this session. */
static GtkPrintSettings *last_settings;

static void
print_data_free (PrintData *data)
{
  g_clear_object (&data->document);
  g_clear_pointer (&data->map, tw_choropleth_unref);
  g_free (data->export_path);
  g_clear_pointer (&data->counties, tw_line_set_unref);
  g_clear_pointer (&data->states, tw_line_set_unref);
  g_clear_object (&data->parent);
  g_clear_pointer (&data->export, tw_map_export_unref);
  g_clear_object (&data->operation);
  g_free (data->printer);
  g_free (data->printed_file);
  g_free (data);
}

static gboolean
prepare_in_thread (TwStore       *store,
                   gpointer       task_data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  PrintData *data = task_data;
  TwAreaLayer *layer = tw_choropleth_get_layer (data->map);
  TwMapLayout layout = { 0 };
  TwBox extent;

  /* The data layer refuses a revealed map: ask it before building any outline. */
  if (tw_choropleth_get_reveal (data->map))
    {
      g_autoptr(GError) refusal = NULL;
      g_autoptr(TwMapExport) refused = tw_map_export_new (store, data->map, NULL, NULL,
                                                          &refusal);

      if (refusal == NULL)
        g_set_error_literal (&refusal, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID,
                             "this map shows the analyst view");
      g_propagate_error (error, g_steal_pointer (&refusal));
      return FALSE;
    }
  if (!data->have_outlines)
    {
      tw_geometry_set_get_extent (tw_area_layer_get_geometry (layer), &extent);
      tw_export_build_outlines (layer, &extent, cancellable, &data->counties, &data->states);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      data->have_outlines = TRUE;
    }
  layout.has_outlines = TRUE;
  layout.counties = data->counties;
  layout.states = data->states;
  data->export = tw_map_export_new (store, data->map, &layout, cancellable, error);
  return data->export != NULL;
}

static gboolean
record_in_thread (TwStore       *store,
                  gpointer       task_data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  PrintData *data = task_data;

  return tw_export_log_add_print (store, data->export, data->printer, data->printed_file,
                                  error);
}

static void
on_recorded (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (tw_document_run_finish (TW_DOCUMENT (object), res, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              gpointer           user_data)
{
  PrintData *data = user_data;

  /* The unit is points and the page is the whole paper: the PDF export's layout. */
  tw_map_export_render (data->export, gtk_print_context_get_cairo_context (context),
                        gtk_print_context_get_width (context),
                        gtk_print_context_get_height (context), NULL);
}

static void
print_finished (GTask                   *task,
                GtkPrintOperationResult  result,
                GError                  *error)
{
  PrintData *data = g_task_get_task_data (task);
  g_autoptr(GTask) keep = NULL;
  GtkPrintSettings *settings;

  if (data->done || result == GTK_PRINT_OPERATION_RESULT_IN_PROGRESS)
    return;
  data->done = TRUE;
  /* The "done" handler held the task: keep it while it is returned. */
  keep = g_object_ref (task);
  g_signal_handlers_disconnect_by_data (data->operation, task);

  switch (result)
    {
    case GTK_PRINT_OPERATION_RESULT_ERROR:
      g_task_return_error (task, error != NULL ? g_error_copy (error)
                                                : g_error_new_literal (GTK_PRINT_ERROR,
                                                                       GTK_PRINT_ERROR_GENERAL,
                                                                       _("printing failed")));
      break;
    case GTK_PRINT_OPERATION_RESULT_CANCEL:
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                               _("The print was cancelled"));
      break;
    case GTK_PRINT_OPERATION_RESULT_APPLY:
      settings = gtk_print_operation_get_print_settings (data->operation);
      if (data->export_path != NULL)
        data->printed_file = g_strdup (data->export_path);
      else if (settings != NULL)
        {
          const char *uri = gtk_print_settings_get (settings, GTK_PRINT_SETTINGS_OUTPUT_URI);

          data->printer = g_strdup (gtk_print_settings_get_printer (settings));
          /* Only the "Print to File" printer sets an output file. */
          if (uri != NULL)
            data->printed_file = g_filename_from_uri (uri, NULL, NULL);
          g_set_object (&last_settings, settings);
        }
      tw_document_run_async (data->document, TW_DOCUMENT_WRITE, record_in_thread, data, NULL,
                             g_task_get_cancellable (task), on_recorded, g_object_ref (task));
      break;
    case GTK_PRINT_OPERATION_RESULT_IN_PROGRESS:
    default:
      g_assert_not_reached ();
    }
}

static void
on_done (GtkPrintOperation       *operation,
         GtkPrintOperationResult  result,
         gpointer                 user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    gtk_print_operation_get_error (operation, &error);
  print_finished (task, result, error);
}

static void
release_task (gpointer  task,
              GClosure *closure)
{
  g_object_unref (task);
}

static void
on_prepared (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PrintData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  GtkPrintOperationResult result;

  if (!tw_document_run_finish (TW_DOCUMENT (object), res, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A map is wider than tall more often than not. */
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_LANDSCAPE);
  data->operation = gtk_print_operation_new ();
  gtk_print_operation_set_n_pages (data->operation, 1);
  gtk_print_operation_set_unit (data->operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (data->operation, TRUE);
  gtk_print_operation_set_embed_page_setup (data->operation, TRUE);
  gtk_print_operation_set_default_page_setup (data->operation, setup);
  gtk_print_operation_set_job_name (data->operation, tw_map_export_get_title (data->export));
  if (last_settings != NULL)
    gtk_print_operation_set_print_settings (data->operation, last_settings);
  g_signal_connect (data->operation, "draw-page", G_CALLBACK (on_draw_page), data);
  /* The operation keeps the task until it is done; print_finished lets it go. */
  g_signal_connect_data (data->operation, "done", G_CALLBACK (on_done), g_object_ref (task),
                         release_task, 0);

  if (data->export_path != NULL)
    {
      gtk_print_operation_set_export_filename (data->operation, data->export_path);
      result = gtk_print_operation_run (data->operation, GTK_PRINT_OPERATION_ACTION_EXPORT,
                                        data->parent, &error);
    }
  else
    {
      gtk_print_operation_set_allow_async (data->operation, TRUE);
      result = gtk_print_operation_run (data->operation,
                                        GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                        data->parent, &error);
    }
  print_finished (task, result, error);
}

void
tw_map_print_async (GtkWindow           *parent,
                    TwDocument          *document,
                    TwChoropleth        *map,
                    gboolean             have_outlines,
                    TwLineSet           *counties,
                    TwLineSet           *states,
                    const char          *export_path,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task;
  PrintData *data;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (TW_IS_DOCUMENT (document));
  g_return_if_fail (map != NULL);

  data = g_new0 (PrintData, 1);
  data->document = g_object_ref (document);
  data->map = tw_choropleth_ref (map);
  data->export_path = g_strdup (export_path);
  data->have_outlines = have_outlines;
  data->counties = counties != NULL ? tw_line_set_ref (counties) : NULL;
  data->states = states != NULL ? tw_line_set_ref (states) : NULL;
  data->parent = parent != NULL ? g_object_ref (parent) : NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tw_map_print_async);
  g_task_set_task_data (task, data, (GDestroyNotify) print_data_free);

  /* The page is laid out, and the outlines built, away from the main loop. */
  tw_document_run_async (document, TW_DOCUMENT_READ, prepare_in_thread, data, NULL,
                         cancellable, on_prepared, task);
}

gboolean
tw_map_print_finish (GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
