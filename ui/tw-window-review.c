/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-window-review"

#include <glib/gi18n.h>

#include "tw-alert.h"
#include "tw-chooser.h"
#include "tw-comments-page.h"
#include "tw-highlight-layer.h"
#include "tw-error-text.h"
#include "tw-partners-page.h"
#include "tw-projects-page.h"
#include "tw-review-banner.h"
#include "tw-share-dialog.h"
#include "tw-store.h"
#include "tw-window-private.h"
#include "tw-window-review.h"

#define MAX_COMMENTS_IN_DETAILS 3

/* What a review changes nothing with: opening another file, a new window or project, the
 * basemap, the shortcuts. Every other window action is an edit, an import or an export of
 * figures, and is disabled while a package is reviewed. */
static const char *const review_allowed[] = {
  "win.open", "win.new-window", "win.new-project", "win.osm-basemap", "win.show-help-overlay",
  NULL
};

struct _ReviewState
{
  TwReviewSession    *session;
  GSimpleActionGroup *actions;
  GtkWidget          *page;          /* the Comments page, in the view stack */
  GPtrArray          *comments;      /* TwComment *: the project's, outside review */
  GtkWidget          *received_page; /* the Comments page listing them */
  TwHighlightLayer   *marks;         /* markers on the commented areas of the map */
  gulong              close_id;
  /* Unsaved comments, asked about: what to do once they are saved, or given up. */
  gboolean            leaving;       /* saving before the window closes or opens @next */
  GFile              *next;          /* the file to open then; NULL: close the window */
  gboolean            discarded;
};

static void
review_state_free (ReviewState *state)
{
  g_clear_object (&state->session);
  g_clear_object (&state->actions);
  g_clear_pointer (&state->comments, g_ptr_array_unref);
  g_clear_object (&state->marks);
  g_clear_object (&state->next);
  g_free (state);
}

static void update_received_page (TwWindow *self);

static ReviewState *
get_state (TwWindow *self)
{
  if (self->review == NULL)
    self->review = g_new0 (ReviewState, 1);
  return self->review;
}

static GtkFileChooserNative *
json_chooser (TwWindow             *self,
              const char           *title,
              GtkFileChooserAction  action,
              const char           *accept)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action, accept,
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Tractwise Comments"));
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  return chooser;
}

/* Sharing */

static void
on_shared (TwWindow   *self,
           const char *message)
{
  tw_window_show_toast (self, message);
}

static void
share_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);
  TwDocument *document = tw_window_get_document (self);
  TwShareDialog *dialog;

  if (document == NULL || tw_document_get_project_path (document) == NULL
      || tw_document_get_read_only (document))
    {
      tw_window_show_toast (self, _("Open a workspace first, then share it."));
      return;
    }
  dialog = tw_share_dialog_new_for_document (GTK_WINDOW (self), document);
  g_signal_connect_object (dialog, "shared", G_CALLBACK (on_shared), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Importing a partner's comments into the project */

typedef struct
{
  char   *path;    /* the comments file */
  gint64  added;
} CommentsImport;

static void
comments_import_free (CommentsImport *import)
{
  g_free (import->path);
  g_free (import);
}

static gboolean
import_comments (TwStore       *store,
                 gpointer       task_data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  CommentsImport *import = task_data;

  import->added = tw_share_import_comments (store, import->path, error);
  return import->added >= 0;
}

static void
on_comments_imported (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TwWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  CommentsImport *import = tw_document_run_get_task_data (result);
  gssize added = tw_document_run_finish (TW_DOCUMENT (object), result, &error)
                 ? (gssize) import->added : -1;
  g_autofree char *message = NULL;

  if (added < 0)
    {
      tw_error_alert_present (GTK_WINDOW (self), _("The Comments Were Not Imported"), error);
      return;
    }
  message = added == 0
            ? g_strdup (_("No new comments: they were all imported before"))
            : g_strdup_printf (ngettext ("%" G_GSSIZE_FORMAT " comment imported",
                                         "%" G_GSSIZE_FORMAT " comments imported", added),
                               added);
  tw_window_show_toast (self, message);
  if (added > 0)
    tw_document_emit_changed (TW_DOCUMENT (object), TW_DOCUMENT_CHANGED_COMMENTS);
  /* The project is read again: the comments show on its areas and projects. */
  if (added > 0 && tw_window_get_file (self) != NULL)
    {
      g_autoptr(GFile) file = g_object_ref (tw_window_get_file (self));

      tw_window_open (self, file);
    }
}

void
tw_window_review_import_comments (TwWindow   *self,
                                  const char *path)
{
  TwDocument *document;
  CommentsImport *import;

  g_return_if_fail (TW_IS_WINDOW (self));

  if ((document = tw_window_get_document (self)) == NULL)
    return;
  import = g_new0 (CommentsImport, 1);
  import->path = g_strdup (path);
  tw_document_run_async (document, TW_DOCUMENT_WRITE, import_comments, import,
                         (GDestroyNotify) comments_import_free, NULL, on_comments_imported,
                         g_object_ref (self));
}

static void
on_import_chooser_response (GtkNativeDialog *native,
                            int              response,
                            TwWindow        *self)
{
  g_autoptr(GFile) file = tw_chooser_get_local_file (native, response);

  if (file != NULL)
    tw_window_review_import_comments (self, g_file_peek_path (file));
  g_object_unref (native);
}

static void
import_comments_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);
  GtkFileChooserNative *chooser;

  if (self->path == NULL || tw_window_review_get_session (self) != NULL)
    {
      tw_window_show_toast (self, _("Open the workspace the package was shared from first."));
      return;
    }
  chooser = json_chooser (self, _("Import a Partner’s Comments"), GTK_FILE_CHOOSER_ACTION_OPEN,
                          _("_Import"));
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_import_chooser_response), self,
                           0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Review: commenting */

static void
comment_area_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  TwWindow *self = user_data;
  ReviewState *state = get_state (self);
  TwAreaLayer *layer = tw_map_session_get_layer (self->session);
  int area = tw_map_session_get_selected_area (self->session);
  const char *name, *geoid;
  g_autofree char *subject = NULL;

  if (state->session == NULL)
    return;
  if (layer == NULL || area < 0 || (guint) area >= tw_area_layer_get_n_areas (layer))
    {
      tw_window_show_toast (self, _("Click an area on the map first, then comment on it."));
      return;
    }
  geoid = tw_area_layer_get_geoid (layer, area);
  name = tw_area_layer_get_name (layer, area);
  subject = g_utf8_make_valid (name != NULL && *name != '\0' ? name : geoid, -1);
  tw_comment_dialog_present (GTK_WINDOW (self), state->session, subject,
                             tw_area_layer_get_geography_name (layer), geoid, 0);
}

static void
comment_project_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  TwWindow *self = user_data;
  ReviewState *state = get_state (self);
  gint64 id = tw_projects_page_get_selected (self->projects_page);
  const char *title;
  g_autofree char *subject = NULL;

  if (state->session == NULL)
    return;
  title = id > 0 ? tw_review_session_get_project_title (state->session, id) : NULL;
  if (title == NULL)
    {
      tw_window_show_toast (self, _("Choose a project first, then comment on it."));
      return;
    }
  /* Translators: the subject of a comment, as in "Comment on the project “Home visits”" */
  subject = g_strdup_printf (_("the Project “%s”"), title);
  tw_comment_dialog_present (GTK_WINDOW (self), state->session, subject, NULL, NULL, id);
}

static void
show_comments_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  adw_view_stack_set_visible_child_name (TW_WINDOW (user_data)->view_stack,
                                         "comments");
}

/* Review: saving and opening comments */

static void
on_save_chooser_response (GtkNativeDialog *native,
                          int              response,
                          TwWindow        *self)
{
  ReviewState *state = get_state (self);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) next = g_steal_pointer (&state->next);
  gboolean leaving = state->leaving;

  state->leaving = FALSE;
  if (state->session != NULL && (file = tw_chooser_get_local_file (native, response)) != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_str_has_suffix (g_file_peek_path (file), ".json")
                              ? g_strdup (g_file_peek_path (file))
                              : g_strconcat (g_file_peek_path (file), ".json", NULL);

      if (!tw_review_session_save (state->session, path, &error))
        tw_error_alert_present (GTK_WINDOW (self), _("The Comments Were Not Saved"), error);
      else
        {
          g_autofree char *basename = g_filename_display_basename (path);
          const char *by = tw_review_session_get_metadata (state->session, "created_by");
          g_autofree char *message = NULL;

          /* Translators: %s is the comments file, then who shared the package */
          message = g_strdup_printf (_("Comments saved to %s: send this file to %s"), basename,
                                     by != NULL && *by != '\0'
                                     ? by : _("whoever shared the package"));
          tw_window_show_toast (self, message);
          if (leaving && next != NULL)
            tw_window_open (self, next);
          else if (leaving)
            gtk_window_close (GTK_WINDOW (self));
        }
    }
  g_object_unref (native);
}

static void
save_comments (TwWindow *self,
               gboolean  then_leave)
{
  ReviewState *state = get_state (self);
  GtkFileChooserNative *chooser;
  g_autofree char *suggested = NULL;
  g_autofree char *folder_path = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GFile) folder = NULL;

  if (state->session == NULL)
    return;
  if (tw_review_session_get_n_comments (state->session) == 0)
    {
      tw_window_show_toast (self, _("No comments to save yet."));
      return;
    }
  state->leaving = then_leave;
  suggested = tw_review_session_suggest_comments_path (state->session);
  folder_path = g_path_get_dirname (suggested);
  name = g_path_get_basename (suggested);
  chooser = json_chooser (self, _("Save Your Comments"), GTK_FILE_CHOOSER_ACTION_SAVE,
                          _("_Save"));
  folder = g_file_new_for_path (folder_path);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_save_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save_comments_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  save_comments (TW_WINDOW (user_data), FALSE);
}

static void
on_open_chooser_response (GtkNativeDialog *native,
                          int              response,
                          TwWindow        *self)
{
  ReviewState *state = get_state (self);
  g_autoptr(GFile) file = NULL;

  if (state->session != NULL && (file = tw_chooser_get_local_file (native, response)) != NULL)
    {
      g_autoptr(GError) error = NULL;
      guint before = tw_review_session_get_n_comments (state->session);

      if (!tw_review_session_load (state->session, g_file_peek_path (file), &error))
        tw_error_alert_present (GTK_WINDOW (self), _("The Comments Could Not Be Opened"),
                                error);
      else
        {
          guint n = tw_review_session_get_n_comments (state->session) - before;
          g_autofree char *message = g_strdup_printf (ngettext ("%u earlier comment added",
                                                                "%u earlier comments added", n),
                                                      n);

          tw_window_show_toast (self, message);
        }
    }
  g_object_unref (native);
}

static void
open_comments_activated (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  TwWindow *self = user_data;
  ReviewState *state = get_state (self);
  GtkFileChooserNative *chooser;
  g_autofree char *folder_path = NULL;
  g_autoptr(GFile) folder = NULL;

  if (state->session == NULL)
    return;
  chooser = json_chooser (self, _("Open Earlier Comments"), GTK_FILE_CHOOSER_ACTION_OPEN,
                          _("_Open"));
  folder_path = g_path_get_dirname (tw_review_session_get_package (state->session));
  folder = g_file_new_for_path (folder_path);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_open_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Review: leaving, by closing the window or opening another file in it */

static gboolean
leave_later (gpointer user_data)
{
  TwWindow *self = user_data;
  ReviewState *state = get_state (self);
  g_autoptr(GFile) next = g_steal_pointer (&state->next);

  if (next != NULL)
    tw_window_open (self, next);
  else
    gtk_window_close (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
on_leave_response (AdwMessageDialog *dialog,
                   const char       *response,
                   TwWindow         *self)
{
  ReviewState *state = get_state (self);

  if (g_strcmp0 (response, "save") == 0)
    save_comments (self, TRUE);
  else if (g_strcmp0 (response, "discard") == 0)
    {
      /* Given up on purpose: the window may go on, once the question is gone. */
      state->discarded = TRUE;
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, leave_later, g_object_ref (self), g_object_unref);
    }
  else
    g_clear_object (&state->next);
}

/* Whether the review may end now; if not, asks what to do with unsaved comments and goes on
 * to @next (or closes the window) once they are saved or given up. */
static gboolean
may_leave (TwWindow *self,
           GFile    *next)
{
  ReviewState *state = get_state (self);
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;
  guint n;

  if (state->session == NULL || state->discarded
      || !tw_review_session_get_unsaved (state->session))
    return TRUE;
  g_set_object (&state->next, next);
  n = tw_review_session_get_n_comments (state->session);
  body = next == NULL
         ? g_strdup_printf (ngettext ("Your comment is not saved yet. If you close the window "
                                      "without saving it, it is lost.",
                                      "Your %u comments are not all saved yet. If you close "
                                      "the window without saving them, the comments not saved "
                                      "are lost.", n), n)
         : g_strdup_printf (ngettext ("Your comment is not saved yet. If you open another file "
                                      "without saving it, it is lost.",
                                      "Your %u comments are not all saved yet. If you open "
                                      "another file without saving them, the comments not "
                                      "saved are lost.", n), n);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Save Your Comments?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "discard",
                                    _("_Discard"), "save", _("_Save…"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_leave_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return FALSE;
}

static gboolean
on_close_request (TwWindow *self)
{
  return !may_leave (self, NULL);
}

gboolean
tw_window_review_may_open (TwWindow *self,
                           GFile    *file)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), TRUE);
  g_return_val_if_fail (G_IS_FILE (file), TRUE);

  return may_leave (self, file);
}

/* Review mode */

static const GActionEntry review_entries[] = {
  { "comment-area", comment_area_activated },
  { "comment-project", comment_project_activated },
  { "save-comments", save_comments_activated },
  { "open-comments", open_comments_activated },
  { "show-comments", show_comments_activated },
};

static void
update_page_badge (TwWindow *self)
{
  ReviewState *state = get_state (self);
  AdwViewStackPage *page;

  if (state->page == NULL || state->session == NULL)
    return;
  page = adw_view_stack_get_page (self->view_stack, state->page);
  adw_view_stack_page_set_badge_number (page,
                                        tw_review_session_get_n_comments (state->session));
  adw_view_stack_page_set_needs_attention (page,
                                           tw_review_session_get_unsaved (state->session));
  tw_map_view_refresh_details (self->map_view);
  tw_window_review_update_marks (self);
}

/* Every window action but those that change nothing; GActions of the window's own map too
 * (the help overlay's, and any added later). */
static void
set_edits_enabled (TwWindow *self,
                   gboolean  enabled)
{
  GtkWidgetClass *klass = GTK_WIDGET_GET_CLASS (self);
  const char *name, *property;
  const GVariantType *type;
  GType owner;
  g_auto(GStrv) mapped = g_action_group_list_actions (G_ACTION_GROUP (self));

  for (guint i = 0; gtk_widget_class_query_action (klass, i, &owner, &name, &type, &property); i++)
    if (g_str_has_prefix (name, "win.") && !g_strv_contains (review_allowed, name))
      gtk_widget_action_set_enabled (GTK_WIDGET (self), name, enabled);
  for (guint i = 0; mapped[i] != NULL; i++)
    {
      g_autofree char *full = g_strconcat ("win.", mapped[i], NULL);
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), mapped[i]);

      if (!g_strv_contains (review_allowed, full) && G_IS_SIMPLE_ACTION (action))
        g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
    }
}

/* The widget of @root's tree that a template calls @id, or NULL. */
static GtkWidget *
find_template_object (GtkWidget  *root,
                      const char *id)
{
  if (g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (root)), id) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_template_object (child, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A partner's review copy shows the map, the projects and their comments, not the analyst's
 * tools: no import, no spatial analysis, no analyst view (the menu hides the disabled
 * exports itself). */
static void
set_partner_view (TwWindow *self,
                  gboolean  partner)
{
  static const char *const tools[] = { "analysis_button", "analyst_switch",
                                       "analyst_switch_label" };
  GtkWidget *import = find_template_object (GTK_WIDGET (self), "import_button");

  if (import != NULL)
    gtk_widget_set_visible (import, !partner);
  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      GObject *tool = gtk_widget_get_template_child (GTK_WIDGET (self->controls),
                                                     TW_TYPE_MAP_CONTROLS, tools[i]);

      if (partner && GTK_IS_TOGGLE_BUTTON (tool))
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (tool), FALSE);
      if (GTK_IS_WIDGET (tool))
        gtk_widget_set_visible (GTK_WIDGET (tool), !partner);
    }
}

void
tw_window_review_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.share", NULL, share_action);
  gtk_widget_class_install_action (widget_class, "win.import-comments", NULL,
                                   import_comments_action);
}

void
tw_window_review_set_session (TwWindow        *self,
                              TwReviewSession *session)
{
  ReviewState *state;
  AdwViewStack *stack;

  g_return_if_fail (TW_IS_WINDOW (self));
  g_return_if_fail (session == NULL || TW_IS_REVIEW_SESSION (session));

  state = get_state (self);
  if (state->session == session)
    return;
  stack = self->view_stack;
  if (state->session != NULL)
    g_signal_handlers_disconnect_by_data (state->session, self);
  if (state->page != NULL)
    {
      adw_view_stack_remove (stack, state->page);
      state->page = NULL;
    }
  g_clear_signal_handler (&state->close_id, self);
  g_set_object (&state->session, session);
  state->discarded = FALSE;
  update_received_page (self);

  if (session != NULL)
    {
      AdwViewStackPage *page;

      if (state->actions == NULL)
        {
          state->actions = g_simple_action_group_new ();
          g_action_map_add_action_entries (G_ACTION_MAP (state->actions), review_entries,
                                           G_N_ELEMENTS (review_entries), self);
        }
      gtk_widget_insert_action_group (GTK_WIDGET (self), "review",
                                      G_ACTION_GROUP (state->actions));
      state->page = GTK_WIDGET (tw_comments_page_new (tw_window_get_document (self)));
      page = adw_view_stack_add_titled (stack, state->page, "comments", _("_Comments"));
      adw_view_stack_page_set_use_underline (page, TRUE);
      adw_view_stack_page_set_icon_name (page, "document-edit-symbolic");
      g_signal_connect_swapped (session, "changed", G_CALLBACK (update_page_badge), self);
      state->close_id = g_signal_connect (self, "close-request", G_CALLBACK (on_close_request),
                                          NULL);
      /* Nothing is hidden to reveal: the package holds no suppressed figure. */
      g_object_set (self, "analyst-view", FALSE, NULL);
    }
  else
    gtk_widget_insert_action_group (GTK_WIDGET (self), "review", NULL);

  set_edits_enabled (self, session == NULL);
  set_partner_view (self, session != NULL);
  tw_review_banner_set_document (self->review_banner,
                                 tw_window_get_document (self));
  update_page_badge (self);
}

TwReviewSession *
tw_window_review_get_session (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);
  return get_state (self)->session;
}

static void
on_received_area_activated (TwWindow   *self,
                            const char *geography,
                            const char *geoid)
{
  TwAreaLayer *layer = tw_window_get_area_layer (self);
  int area = -1;

  if (layer != NULL && (geography == NULL
                        || g_strcmp0 (geography, tw_area_layer_get_geography_name (layer)) == 0))
    area = tw_area_layer_find_geoid (layer, geoid);
  if (area < 0)
    {
      /* Translators: %s is a geography's name, as in "Boston tracts" */
      g_autofree char *message = g_strdup_printf (_("Show the geography “%s” on the map to see "
                                                    "this area."), geography ? geography : "?");

      tw_window_show_toast (self, message);
      return;
    }
  adw_view_stack_set_visible_child_name (self->view_stack, "map");
  tw_map_view_zoom_to_area (self->map_view, area);
}

/* The Comments page of a workspace that received comments: listed, and marked on the map. */
static void
update_received_page (TwWindow *self)
{
  ReviewState *state = get_state (self);
  guint n = state->comments != NULL ? state->comments->len : 0;
  AdwViewStackPage *page;

  if (n == 0 || state->session != NULL)
    {
      if (state->received_page != NULL)
        adw_view_stack_remove (self->view_stack, state->received_page);
      state->received_page = NULL;
      return;
    }
  if (state->received_page == NULL)
    {
      state->received_page = GTK_WIDGET (tw_comments_page_new_received ());
      page = adw_view_stack_add_titled (self->view_stack, state->received_page, "comments",
                                        _("_Comments"));
      adw_view_stack_page_set_use_underline (page, TRUE);
      adw_view_stack_page_set_icon_name (page, "user-available-symbolic");
      g_signal_connect_object (state->received_page, "area-activated",
                               G_CALLBACK (on_received_area_activated), self,
                               G_CONNECT_SWAPPED);
    }
  page = adw_view_stack_get_page (self->view_stack, state->received_page);
  adw_view_stack_page_set_badge_number (page, n);
  tw_comments_page_set_received (TW_COMMENTS_PAGE (state->received_page), state->comments,
                                 tw_window_get_area_layer (self));
}

void
tw_window_review_set_comments (TwWindow  *self,
                               GPtrArray *comments)
{
  ReviewState *state;

  g_return_if_fail (TW_IS_WINDOW (self));

  state = get_state (self);
  if (state->received_page != NULL)
    tw_comments_page_set_received (TW_COMMENTS_PAGE (state->received_page), NULL, NULL);
  g_clear_pointer (&state->comments, g_ptr_array_unref);
  state->comments = comments;
  update_received_page (self);
  tw_window_review_update_marks (self);
}

/* The map view stacks its layers again when it shows a new choropleth: the markers go back
 * on top. */
static void
raise_marks (TwWindow *self)
{
  ReviewState *state = get_state (self);
  ShumateSimpleMap *map = tw_window_get_map (self);

  if (state->marks == NULL)
    return;
  shumate_simple_map_remove_overlay_layer (map, SHUMATE_LAYER (state->marks));
  shumate_simple_map_add_overlay_layer (map, SHUMATE_LAYER (state->marks));
}

static void
add_marked (GArray          *areas,
            TwAreaLayer     *layer,
            const TwComment *comment)
{
  int area;

  if (comment->geoid == NULL
      || (comment->geography != NULL
          && g_strcmp0 (comment->geography, tw_area_layer_get_geography_name (layer)) != 0)
      || (area = tw_area_layer_find_geoid (layer, comment->geoid)) < 0)
    return;
  for (guint i = 0; i < areas->len; i++)
    if (g_array_index (areas, int, i) == area)
      return;
  g_array_append_val (areas, area);
}

void
tw_window_review_update_marks (TwWindow *self)
{
  ReviewState *state;
  TwAreaLayer *layer;
  g_autoptr(GArray) areas = g_array_new (FALSE, FALSE, sizeof (int));

  g_return_if_fail (TW_IS_WINDOW (self));

  state = get_state (self);
  layer = tw_window_get_area_layer (self);
  if (layer == NULL)
    return;
  if (state->marks == NULL)
    {
      ShumateSimpleMap *map = tw_window_get_map (self);

      state->marks = g_object_ref_sink (tw_highlight_layer_new (
                                          shumate_simple_map_get_viewport (map)));
      shumate_simple_map_add_overlay_layer (map, SHUMATE_LAYER (state->marks));
      g_signal_connect_object (self->session, "notify::choropleth", G_CALLBACK (raise_marks),
                               self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
    }
  raise_marks (self);
  tw_highlight_layer_set_geometry (state->marks, tw_area_layer_get_geometry (layer));
  if (state->session != NULL)
    for (guint i = 0; i < tw_review_session_get_n_comments (state->session); i++)
      add_marked (areas, layer, tw_review_session_get_comment (state->session, i));
  else if (state->comments != NULL)
    for (guint i = 0; i < state->comments->len; i++)
      add_marked (areas, layer, g_ptr_array_index (state->comments, i));
  tw_highlight_layer_set_marked (state->marks, (const int *) (gpointer) areas->data, areas->len);
  if (state->received_page != NULL)
    tw_comments_page_set_received (TW_COMMENTS_PAGE (state->received_page), state->comments,
                                   layer);
}

TwHighlightLayer *
tw_window_review_get_marks (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  return get_state (self)->marks;
}

static void
append_comment (GString         *text,
                const TwComment *comment)
{
  g_autofree char *body = g_utf8_make_valid (comment->body, -1);
  g_autofree char *author = g_utf8_make_valid (comment->author != NULL ? comment->author
                                                                       : _("Anonymous"), -1);

  /* Translators: one comment in the area details: who wrote it, then what */
  g_string_append_printf (text, _("\n%s: “%s”"), author, body);
}

char *
tw_window_review_describe_area (TwWindow   *self,
                                const char *geography,
                                const char *geoid)
{
  ReviewState *state;
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  state = get_state (self);
  if (state->session != NULL)
    for (guint i = 0; i < tw_review_session_get_n_comments (state->session); i++)
      {
        const TwComment *comment = tw_review_session_get_comment (state->session, i);

        if (g_strcmp0 (comment->geoid, geoid) == 0
            && (comment->geography == NULL || g_strcmp0 (comment->geography, geography) == 0))
          g_ptr_array_add (found, (gpointer) comment);
      }
  else if (state->comments != NULL)
    for (guint i = 0; i < state->comments->len; i++)
      {
        const TwComment *comment = g_ptr_array_index (state->comments, i);

        if (g_strcmp0 (comment->geoid, geoid) == 0
            && g_strcmp0 (comment->geography, geography) == 0)
          g_ptr_array_add (found, (gpointer) comment);
      }
  if (found->len == 0)
    return NULL;

  if (state->session != NULL)
    g_string_append (text, found->len == 1 ? _("Your comment:") : _("Your comments:"));
  else
    g_string_append_printf (text, ngettext ("%u comment:", "%u comments:", found->len),
                            found->len);
  /* The latest first: the card has room for a few. */
  for (guint i = found->len; i > 0 && found->len - i < MAX_COMMENTS_IN_DETAILS; i--)
    append_comment (text, g_ptr_array_index (found, i - 1));
  if (found->len > MAX_COMMENTS_IN_DETAILS)
    g_string_append_printf (text, ngettext ("\n… and %u more", "\n… and %u more",
                                            found->len - MAX_COMMENTS_IN_DETAILS),
                            found->len - MAX_COMMENTS_IN_DETAILS);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
tw_window_review_dispose (TwWindow *self)
{
  g_clear_pointer (&self->review, review_state_free);
}
