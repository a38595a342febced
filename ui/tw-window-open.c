/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-window"

/* Opening a project in the window: a share package's review copy is built first, then the
 * document reads the summary and the comments; the map's first geography loads beside them
 * (TwMapSession's prefetch). Failures are shown in a dialog and leave what was shown. */

#include <string.h>
#include <glib/gi18n.h>

#include "tw-error-text.h"
#include "tw-pg.h"
#include "tw-review-session.h"
#include "tw-share.h"
#include "tw-start-page.h"
#include "tw-window-private.h"
#include "tw-window-review.h"

/* What a load runs on: a share package's review copy is built in a worker thread, then the
 * document reads the summary and the comments in worker threads of its own. */
typedef struct
{
  TwWindow        *window;
  GFile           *file;
  char            *path;
  TwDocument      *document;
  GCancellable    *cancellable;
  TwReviewSession *review;     /* a share package's, built in the thread */
  GPtrArray       *comments;   /* TwComment *, the project's */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->window);
  g_clear_object (&data->file);
  g_free (data->path);
  g_clear_object (&data->document);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->review);
  g_clear_pointer (&data->comments, g_ptr_array_unref);
  g_free (data);
}


/* A GeoPackage opens as the review of a share package. */
static gboolean
is_package_name (const char *path)
{
  g_autofree char *lower = path != NULL ? g_ascii_strdown (path, -1) : NULL;

  return lower != NULL && g_str_has_suffix (lower, ".gpkg");
}


/* File names are bytes in the file system's encoding; labels need UTF-8. */
static char *
file_display_name (GFile *file)
{
  const char *path = g_file_peek_path (file);
  g_autofree char *basename = NULL;
  g_autofree char *uri = NULL;

  if (path != NULL)
    return g_filename_display_basename (path);
  /* A server workspace goes by its name. */
  uri = g_file_get_uri (file);
  if (uri != NULL && tw_pg_is_workspace_uri (uri))
    {
      const char *name = strstr (uri, "workspace=");

      if (name != NULL)
        {
          g_autofree char *value = g_strndup (name + strlen ("workspace="),
                                              strcspn (name + strlen ("workspace="), "& "));

          return g_strdup_printf (_("%s (team server)"), value);
        }
    }

  basename = g_file_get_basename (file);
  return g_utf8_make_valid (basename != NULL ? basename : "", -1);
}


static void
tw_window_show_summary (TwWindow               *self,
                        GFile                  *file,
                        const TwProjectSummary *summary)
{
  g_autofree char *basename = file_display_name (file);
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *folder = NULL;

  g_assert (TW_IS_WINDOW (self));

  if (g_set_object (&self->file, file))
    g_object_notify (G_OBJECT (self), "file");

  if (parent != NULL && g_file_is_native (parent))
    {
      g_autofree char *path = g_filename_display_name (g_file_peek_path (parent));
      g_autofree char *home = g_filename_display_name (g_get_home_dir ());

      if (g_str_has_prefix (path, home)
          && (path[strlen (home)] == '/' || path[strlen (home)] == '\0'))
        folder = g_strconcat ("~", path + strlen (home), NULL);
      else
        folder = g_steal_pointer (&path);
    }

  adw_view_switcher_title_set_title (self->window_title, basename);
  adw_view_switcher_title_set_subtitle (self->window_title, folder != NULL ? folder : "");
  gtk_window_set_title (GTK_WINDOW (self), basename);
  tw_overview_show (self->overview, basename, summary);

  /* With areas to draw, the map comes once they are loaded. */
  if (summary->geographies->len == 0)
    gtk_stack_set_visible_child_name (self->stack, "project");
}


void
tw_window_show_error (TwWindow     *self,
                      GFile        *file,
                      const GError *error)
{
  g_autofree char *basename = file_display_name (file);
  g_autofree char *heading = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *valid_body = NULL;
  g_autofree char *text = NULL;
  const char *body;
  AdwMessageDialog *dialog;

  g_assert (TW_IS_WINDOW (self));

  /* The store's messages speak to command-line users too: the window's words instead. */
  body = text = tw_error_text (error);
  if (g_error_matches (error, TW_STORE_ERROR, TW_STORE_ERROR_TOO_NEW))
    heading = g_strdup (_("Workspace Made by a Newer Tractwise"));
  else if (g_error_matches (error, TW_STORE_ERROR, TW_STORE_ERROR_NOT_A_PROJECT))
    {
      heading = g_strdup_printf (_("“%s” Is Not a Tractwise Workspace"), basename);
      body = _("The file was not made by Tractwise, or it is damaged. Workspace files end "
               "in “.tractwise”.");
    }
  else if (g_error_matches (error, TW_SHARE_ERROR, TW_SHARE_ERROR_NOT_A_PACKAGE))
    {
      heading = g_strdup_printf (_("“%s” Is Not a Share Package"), basename);
      body = _("It is a GeoPackage, but not one that Tractwise made for sharing. To map its "
               "areas, open a workspace and import the file into it.");
    }
  else if (g_error_matches (error, TW_STORE_ERROR, TW_STORE_ERROR_NOT_FOUND))
    {
      heading = g_strdup_printf (_("Could Not Find “%s”"), basename);
      body = _("The file may have been moved, renamed or deleted.");
    }
  else
    heading = g_strdup_printf (_("Could Not Open “%s”"), basename);

  /* The heading names the file: drop the path many messages begin with. */
  if (path != NULL && g_str_has_prefix (body, path) && body[strlen (path)] == ':')
    {
      body += strlen (path) + 1;
      while (g_ascii_isspace (*body))
        body++;
    }
  if (*body == '\0')
    body = text;

  /* Messages may quote file names in any encoding. */
  valid_body = g_utf8_make_valid (body, -1);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, NULL));
  if (valid_body[0] != '\0')
    {
      gunichar first = g_unichar_totitle (g_utf8_get_char (valid_body));
      char buf[6];

      adw_message_dialog_format_body (dialog, "%.*s%s", g_unichar_to_utf8 (first, buf), buf,
                                      g_utf8_next_char (valid_body));
    }
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_window_present (GTK_WINDOW (dialog));
}


static void
build_review_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GError) error = NULL;

  if ((data->review = tw_review_session_new (data->path, cancellable, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}


static gboolean
list_comments (TwStore       *store,
               gpointer       task_data,
               GCancellable  *cancellable,
               GError       **error)
{
  LoadData *data = task_data;

  data->comments = tw_share_list_comments (store, NULL);
  return TRUE;
}


/* Each step of a load ends here: FALSE when the load stops (a newer load, or the window
 * closing, took over; or @error is shown). */
static gboolean
load_step_done (LoadData *data,
                gboolean  done,
                GError   *error)
{
  TwWindow *self = data->window;

  if (done)
    return TRUE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  g_clear_object (&self->load_cancellable);
  tw_map_session_discard_prefetch (self->session);
  g_debug ("Could not open %s: %s", data->path ? data->path : "(remote file)",
           error->message);
  tw_window_loading_changed (self);
  tw_window_show_error (self, data->file, error);
  return FALSE;
}


static void
on_comments_listed (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  LoadData *data = user_data;
  TwWindow *self = data->window;
  g_autoptr(GError) error = NULL;
  gboolean done = tw_document_run_finish (data->document, result, &error);

  if (!load_step_done (data, done, error))
    {
      load_data_free (data);
      return;
    }

  g_clear_object (&self->load_cancellable);
  tw_window_trace_open (self, "Summary read");
  tw_window_last_map_save (self);
  tw_window_last_map_restore (self, data->file);
  g_set_object (&self->document, data->document);
  self->summary = tw_document_get_summary (self->document);
  tw_window_show_summary (self, data->file, self->summary);
  tw_start_page_add_recent (data->file);
  g_free (self->path);
  self->path = g_strdup (tw_document_get_project_path (self->document));
  tw_window_review_set_comments (self, g_steal_pointer (&data->comments));
  tw_window_review_set_session (self, data->review);
  tw_projects_page_set_document (self->projects_page, self->document);
  tw_partners_page_set_document (self->partners_page, self->document);
  adw_view_switcher_title_set_view_switcher_enabled (self->window_title, TRUE);
  /* The map: the first geography (loaded beside the summary), or none. */
  tw_map_session_set_document (self->session, self->document);
  tw_window_loading_changed (self);
  load_data_free (data);
}


static void
on_summary_reloaded (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TwWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  const TwProjectSummary *summary;

  if (!tw_document_load_finish (TW_DOCUMENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->load_cancellable);
      tw_window_loading_changed (self);
      tw_window_show_error (self, self->file, error);
      return;
    }
  g_clear_object (&self->load_cancellable);
  summary = self->summary = tw_document_get_summary (self->document);
  tw_window_show_summary (self, self->file, summary);
  /* The first areas of a project: the map shows them, as when it is opened. */
  if (tw_map_session_get_layer (self->session) == NULL && summary->geographies->len > 0)
    tw_map_session_set_geography (self->session,
                                  ((TwGeographySummary *)
                                   g_ptr_array_index (summary->geographies, 0))->name);
  tw_window_loading_changed (self);
}

void
tw_window_reload_summary (TwWindow *self)
{
  g_return_if_fail (TW_IS_WINDOW (self));
  g_return_if_fail (self->document != NULL && self->file != NULL);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  tw_document_load_async (self->document, self->load_cancellable, on_summary_reloaded,
                          g_object_ref (self));
  tw_window_loading_changed (self);
}

static void
on_document_loaded (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  LoadData *data = user_data;
  g_autoptr(GError) error = NULL;
  gboolean done = tw_document_load_finish (data->document, result, &error);

  if (!load_step_done (data, done, error))
    {
      load_data_free (data);
      return;
    }
  tw_document_run_async (data->document, TW_DOCUMENT_READ, list_comments, data, NULL,
                         data->cancellable, on_comments_listed, data);
}


static void
load_document (LoadData *data)
{
  if (data->review != NULL)
    {
      tw_document_set_project_path (data->document,
                                    tw_review_session_get_project_path (data->review));
      tw_document_set_review_session (data->document, G_OBJECT (data->review));
    }
  tw_document_load_async (data->document, data->cancellable, on_document_loaded, data);
}


/* A workspace on a team server: its replica is made or refreshed first, then it loads as
 * a file does, and the document follows colleagues' commits. */
static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  LoadData *data = user_data;
  g_autoptr(GError) error = NULL;
  gboolean done = tw_document_connect_finish (data->document, result, &error);

  if (load_step_done (data, done, error))
    load_document (data);
  else
    load_data_free (data);
}


static void
on_review_built (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  LoadData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean done = g_task_propagate_boolean (G_TASK (result), &error);

  if (load_step_done (data, done, error))
    load_document (data);
  else
    load_data_free (data);
}


void
tw_window_open (TwWindow *self,
                GFile    *file)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *uri = NULL;
  gboolean was_loading;
  LoadData *data;

  g_return_if_fail (TW_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!tw_window_review_may_open (self, file))
    return;
  uri = g_file_get_uri (file);

  /* The newest request wins. */
  was_loading = tw_window_get_loading (self);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  self->load_cancellable = g_cancellable_new ();

  data = g_new0 (LoadData, 1);
  data->window = g_object_ref (self);
  data->file = g_object_ref (file);
  data->path = g_file_get_path (file);
  data->cancellable = g_object_ref (self->load_cancellable);
  if (data->path == NULL && tw_pg_is_workspace_uri (uri))
    {
      data->document = tw_document_new_for_server (uri);
      self->open_started = g_get_monotonic_time ();
      self->open_ms = 0;
      tw_document_connect_async (data->document, data->cancellable, on_connected, data);
      if (!was_loading)
        tw_window_loading_changed (self);
      return;
    }
  data->document = tw_document_new (file);

  self->open_started = g_get_monotonic_time ();
  self->open_ms = 0;

  /* The areas are the longest wait: they load beside the summary (a package's, once its
   * review project is built). Those of the last map, so the first map drawn is the one
   * restored, not the first geography for a moment. */
  if (data->path != NULL && !is_package_name (data->path))
    {
      g_autofree char *geography = tw_window_last_map_geography (self, file);

      tw_map_session_prefetch (self->session, data->document, geography);
    }

  if (data->path == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                                     _("Only workspace files on this computer "
                                                       "can be opened."));

      /* Shown once the open has returned, as any other failure. */
      task = g_task_new (self, self->load_cancellable, on_review_built, NULL);
      g_task_set_task_data (task, data, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else if (is_package_name (data->path))
    {
      task = g_task_new (self, self->load_cancellable, on_review_built, NULL);
      g_task_set_source_tag (task, tw_window_open);
      g_task_set_task_data (task, data, NULL);
      g_task_run_in_thread (task, build_review_thread);
    }
  else
    load_document (data);

  if (!was_loading)
    tw_window_loading_changed (self);
}



static void
on_connect_response (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  TwWindow *self = TW_WINDOW (user_data);
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_autofree char *uri = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(GFile) file = NULL;

  if (!g_str_equal (response, "connect") || uri[0] == '\0')
    return;
  file = g_file_new_for_uri (uri);
  tw_window_open (self, file);
}

static void
on_connect_entry_changed (GtkEditable      *entry,
                          AdwMessageDialog *dialog)
{
  adw_message_dialog_set_response_enabled (dialog, "connect",
                                           tw_pg_is_workspace_uri (gtk_editable_get_text (entry)));
}

/* "Connect to Server…": a workspace on a team server, by its URI (a password stays in
 * ~/.pgpass: libpq reads it, Tractwise refuses one in the URI). */
void
tw_window_connect_server (TwWindow *self)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  g_return_if_fail (TW_IS_WINDOW (self));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Connect to a Team Server"),
                                                       _("The workspace’s address, as your "
                                                         "team gave it: "
                                                         "postgresql://server/database"
                                                         "?workspace=name")));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry),
                                  "postgresql://db.example.org/equity?workspace=boston");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Workspace address"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "connect", _("C_onnect"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "connect", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "connect");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_enabled (dialog, "connect", FALSE);
  g_signal_connect (entry, "changed", G_CALLBACK (on_connect_entry_changed), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_connect_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}
