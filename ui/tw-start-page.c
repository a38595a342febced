/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-start-page"

#include <string.h>
#include <glib/gi18n.h>

#include "tw-demo.h"
#include "tw-error-text.h"
#include "tw-start-page.h"
#include "tw-toast.h"

#define MAX_RECENT 8

struct _TwStartPage
{
  AdwBin           parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  GtkImage        *app_icon;
  GtkButton       *demo_button;
  GtkSpinner      *demo_spinner;
  GtkLabel        *demo_label;
  GtkWidget       *recent_group;
  GtkListBox      *recent_list;

  /* Owned references */
  GPtrArray       *recent;        /* GFile *, as listed */
  GCancellable    *cancellable;

  /* Borrowed references */
  GtkRecentManager *manager;
};

G_DEFINE_FINAL_TYPE (TwStartPage, tw_start_page, ADW_TYPE_BIN)

enum {
  OPEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_project (GtkRecentInfo *info)
{
  const char *uri = gtk_recent_info_get_uri (info);

  return g_str_has_suffix (uri, ".tractwise")
         || g_strcmp0 (gtk_recent_info_get_mime_type (info), TW_PROJECT_MIME_TYPE) == 0;
}

static int
compare_modified (gconstpointer a,
                  gconstpointer b)
{
  GtkRecentInfo *x = *(GtkRecentInfo **) a;
  GtkRecentInfo *y = *(GtkRecentInfo **) b;

  return -g_date_time_compare (gtk_recent_info_get_modified (x),
                               gtk_recent_info_get_modified (y));
}

/* "~/Projects · 3 May 2026" */
static char *
describe_place (GFile     *file,
                GDateTime *modified)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *folder = NULL;
  g_autoptr(GDateTime) local = g_date_time_to_local (modified);
  g_autofree char *date = g_date_time_format (local, "%e %b %Y");

  if (parent != NULL && g_file_peek_path (parent) != NULL)
    {
      g_autofree char *path = g_filename_display_name (g_file_peek_path (parent));
      const char *home = g_get_home_dir ();
      gsize n = strlen (home);

      if (g_str_has_prefix (path, home) && (path[n] == '/' || path[n] == '\0'))
        folder = g_strconcat ("~", path + n, NULL);
      else
        folder = g_steal_pointer (&path);
    }
  else
    folder = g_file_get_uri (file);
  g_strstrip (date);
  return g_strdup_printf ("%s · %s", folder, date);
}

static void
on_remove_clicked (GtkButton   *button,
                   TwStartPage *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);

  tw_start_page_remove_recent (self, (guint) gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)));
}

static void
fill_recent (TwStartPage *self)
{
  GList *items = gtk_recent_manager_get_items (self->manager);
  g_autoptr(GPtrArray) projects = g_ptr_array_new_with_free_func (
                                    (GDestroyNotify) gtk_recent_info_unref);
  GtkWidget *child;

  for (GList *l = items; l != NULL; l = l->next)
    if (is_project (l->data) && gtk_recent_info_exists (l->data))
      g_ptr_array_add (projects, gtk_recent_info_ref (l->data));
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
  g_ptr_array_sort (projects, compare_modified);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);
  g_ptr_array_set_size (self->recent, 0);

  for (guint i = 0; i < projects->len && i < MAX_RECENT; i++)
    {
      GtkRecentInfo *info = g_ptr_array_index (projects, i);
      g_autoptr(GFile) file = g_file_new_for_uri (gtk_recent_info_get_uri (info));
      g_autofree char *name = g_strdup (gtk_recent_info_get_display_name (info));
      g_autofree char *place = describe_place (file, gtk_recent_info_get_modified (info));
      g_autofree char *valid = NULL;
      g_autofree char *remove_label = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("edit-delete-symbolic");

      if (g_str_has_suffix (name, ".tractwise"))
        name[strlen (name) - strlen (".tractwise")] = '\0';
      valid = g_utf8_make_valid (name, -1);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), valid);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), place);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("x-office-document-symbolic"));

      remove_label = g_strdup_printf (_("Remove “%s” from the recent workspaces"), valid);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove From Recent Workspaces"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
      g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_clicked), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_append (self->recent_list, row);
      g_ptr_array_add (self->recent, g_steal_pointer (&file));
    }
  gtk_widget_set_visible (self->recent_group, self->recent->len > 0);
}

static void
on_recent_activated (TwStartPage   *self,
                     GtkListBoxRow *row)
{
  guint i = (guint) gtk_list_box_row_get_index (row);

  if (i < self->recent->len)
    g_signal_emit (self, signals[OPEN], 0, g_ptr_array_index (self->recent, i));
}

static void
on_undo_remove (AdwToast *toast,
                GFile    *file)
{
  tw_start_page_add_recent (file);
}

static void
unref_file (gpointer  file,
            GClosure *closure)
{
  g_object_unref (file);
}

/* The demo */

static void
set_demo_busy (TwStartPage *self,
               gboolean     busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->demo_spinner), busy);
  gtk_spinner_set_spinning (self->demo_spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->demo_button), !busy);
  gtk_label_set_text_with_mnemonic (self->demo_label, busy ? _("Building the demo…")
                                                           : _("Open the _Demo"));
}

static void
build_demo_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  g_autofree char *installed = g_build_filename (PKGDATADIR, "demo", NULL);
  g_autofree char *data = tw_demo_find_data (installed, TW_SOURCE_DEMO_DIR);
  g_autoptr(GError) error = NULL;

  if (data == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The demo’s files are not installed (looked in %s)"),
                               installed);
      return;
    }
  if (!tw_demo_build (data, task_data, cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_demo_built (GObject      *object,
               GAsyncResult *res,
               gpointer      user_data)
{
  TwStartPage *self = TW_START_PAGE (object);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (res), &error))
    {
      g_autofree char *message = NULL;
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_demo_busy (self, FALSE);
      text = tw_error_text (error);
      message = g_strdup_printf (_("The demo could not be built. %s"), text);
      adw_toast_overlay_add_toast (self->toast_overlay, tw_toast_new_plain (message));
      return;
    }
  set_demo_busy (self, FALSE);
  {
    g_autoptr(GFile) file = g_file_new_for_path (g_task_get_task_data (G_TASK (res)));
    g_signal_emit (self, signals[OPEN], 0, file);
  }
}

static void
on_demo_clicked (TwStartPage *self)
{
  tw_start_page_open_demo (self);
}

/* Without the application's icon in the theme (a test, an odd install), no broken image. */
static void
on_realize (GtkWidget *widget)
{
  TwStartPage *self = TW_START_PAGE (widget);
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));

  if (!gtk_icon_theme_has_icon (theme, APPLICATION_ID))
    gtk_widget_set_visible (GTK_WIDGET (self->app_icon), FALSE);
}

static void
tw_start_page_dispose (GObject *object)
{
  TwStartPage *self = TW_START_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* No gtk_widget_dispose_template (): the template's top widget is the bin's child, which
   * AdwBin unparents itself; a second unparent would be of a widget already gone. */

  G_OBJECT_CLASS (tw_start_page_parent_class)->dispose (object);
}

static void
tw_start_page_finalize (GObject *object)
{
  TwStartPage *self = TW_START_PAGE (object);

  g_clear_pointer (&self->recent, g_ptr_array_unref);

  G_OBJECT_CLASS (tw_start_page_parent_class)->finalize (object);
}

static void
tw_start_page_class_init (TwStartPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_start_page_dispose;
  object_class->finalize = tw_start_page_finalize;

  /**
   * TwStartPage::open:
   * @file: the project to open
   *
   * Emitted when a recent project or the demo is chosen.
   */
  signals[OPEN] = g_signal_new ("open", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_FILE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/"
                                               "tw-start-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TwStartPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TwStartPage, app_icon);
  gtk_widget_class_bind_template_child (widget_class, TwStartPage, demo_button);
  gtk_widget_class_bind_template_child (widget_class, TwStartPage, demo_spinner);
  gtk_widget_class_bind_template_child (widget_class, TwStartPage, demo_label);
  gtk_widget_class_bind_template_child (widget_class, TwStartPage, recent_group);
  gtk_widget_class_bind_template_child (widget_class, TwStartPage, recent_list);
  gtk_widget_class_bind_template_callback (widget_class, on_recent_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_demo_clicked);
}

static void
tw_start_page_init (TwStartPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_image_set_from_icon_name (self->app_icon, APPLICATION_ID);
  g_signal_connect (self, "realize", G_CALLBACK (on_realize), NULL);
  self->recent = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->manager = gtk_recent_manager_get_default ();
  g_signal_connect_object (self->manager, "changed", G_CALLBACK (fill_recent), self,
                           G_CONNECT_SWAPPED);
  fill_recent (self);
}

GtkWidget *
tw_start_page_new (void)
{
  return g_object_new (TW_TYPE_START_PAGE, NULL);
}

void
tw_start_page_add_recent (GFile *file)
{
  g_autofree char *uri = NULL;
  g_autofree char *raw_name = NULL;
  g_autofree char *basename = NULL;
  GtkRecentData data = { 0 };

  g_return_if_fail (G_IS_FILE (file));

  uri = g_file_get_uri (file);
  raw_name = g_file_get_basename (file);
  /* A file name in another encoding still gets a readable, UTF-8 display name. */
  basename = g_utf8_make_valid (raw_name, -1);
  data.display_name = basename;
  data.mime_type = (char *) TW_PROJECT_MIME_TYPE;
  data.app_name = (char *) g_get_application_name ();
  data.app_exec = (char *) "tractwise %u";
  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}

guint
tw_start_page_get_n_recent (TwStartPage *self)
{
  g_return_val_if_fail (TW_IS_START_PAGE (self), 0);

  return self->recent->len;
}

GFile *
tw_start_page_get_recent (TwStartPage *self,
                          guint        index)
{
  g_return_val_if_fail (TW_IS_START_PAGE (self), NULL);
  g_return_val_if_fail (index < self->recent->len, NULL);

  return g_ptr_array_index (self->recent, index);
}

void
tw_start_page_remove_recent (TwStartPage *self,
                             guint        index)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  g_return_if_fail (TW_IS_START_PAGE (self));
  g_return_if_fail (index < self->recent->len);

  file = g_object_ref (g_ptr_array_index (self->recent, index));
  uri = g_file_get_uri (file);
  if (!gtk_recent_manager_remove_item (self->manager, uri, &error))
    {
      g_debug ("Could not remove %s from the recent files: %s", uri, error->message);
      return;
    }

  /* The list follows the manager's "changed" signal, which comes from an idle: show the
   * removal at once. */
  gtk_list_box_remove (self->recent_list,
                       GTK_WIDGET (gtk_list_box_get_row_at_index (self->recent_list,
                                                                  (int) index)));
  g_ptr_array_remove_index (self->recent, index);
  gtk_widget_set_visible (self->recent_group, self->recent->len > 0);

  name = g_file_get_basename (file);
  {
    g_autofree char *valid = g_utf8_make_valid (name, -1);
    /* Translators: a toast, as in "“demo.tractwise” removed from the recent workspaces" */
    title = g_strdup_printf (_("“%s” removed from the recent workspaces"), valid);
  }
  toast = tw_toast_new_plain (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_undo_remove),
                         g_steal_pointer (&file), unref_file, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

char *
tw_start_page_get_demo_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "tractwise", "demo.tractwise", NULL);
}

void
tw_start_page_open_demo (TwStartPage *self)
{
  g_autofree char *path = tw_start_page_get_demo_path ();
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TW_IS_START_PAGE (self));

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_signal_emit (self, signals[OPEN], 0, file);
      return;
    }

  set_demo_busy (self, TRUE);
  task = g_task_new (self, self->cancellable, on_demo_built, NULL);
  g_task_set_source_tag (task, tw_start_page_open_demo);
  g_task_set_task_data (task, g_steal_pointer (&path), g_free);
  g_task_run_in_thread (task, build_demo_thread);
}
