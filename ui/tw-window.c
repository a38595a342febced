/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-window"

#include <string.h>
#include <glib/gi18n.h>

#include "tw-application.h"
#include "tw-chooser.h"
#include "tw-error-text.h"
#include "tw-import-dialog.h"
#include "tw-review-session.h"
#include "tw-share.h"
#include "tw-start-page.h"
#include "tw-window-private.h"
#include "tw-window-review.h"
#include "tw-toast.h"

G_DEFINE_FINAL_TYPE (TwWindow, tw_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_FILE,
  PROP_LOADING,
  PROP_ANALYST_VIEW,
  PROP_OSM_BASEMAP,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Where the time goes while a project opens: G_MESSAGES_DEBUG=tw-window shows it. */
void
tw_window_trace_open (TwWindow   *self,
                      const char *step)
{
  if (self->open_started != 0)
    g_debug ("%s: %.0f ms after opening", step,
             (g_get_monotonic_time () - self->open_started) / 1000.0);
}

void
tw_window_loading_changed (TwWindow *self)
{
  gboolean loading = tw_window_get_loading (self);
  /* With nothing shown yet, the whole page waits; with a project shown, it stays readable
   * and only the header says that another is coming. */
  gboolean whole_page = loading && self->file == NULL;

  g_assert (TW_IS_WINDOW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->header_spinner), loading && !whole_page);
  gtk_spinner_set_spinning (self->header_spinner, loading && !whole_page);
  gtk_spinner_set_spinning (self->page_spinner, whole_page);
  if (whole_page)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else if (self->file == NULL)
    gtk_stack_set_visible_child_name (self->stack, "empty");

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
on_file_chooser_response (GtkNativeDialog *native,
                          int              response,
                          gpointer         user_data)
{
  TwWindow *self = TW_WINDOW (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      if (file != NULL)
        tw_window_open (self, file);
    }

  g_clear_object (&self->file_chooser);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         gpointer       user_data)
{
  TwWindow *self = TW_WINDOW (user_data);

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  return tw_window_drop_files (self, g_value_get_boxed (value));
}

/* Ctrl+F: the table's search, shown first if it was hidden. */
static gboolean
find_area_shortcut (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  TwWindow *self = TW_WINDOW (widget);

  if (tw_map_session_get_layer (self->session) == NULL)
    return FALSE;
  g_object_set (self->controls, "show-table", TRUE, NULL);
  tw_areas_table_focus_search (self->areas_table);
  return TRUE;
}

static void
on_start_page_open (TwWindow *self,
                    GFile    *file)
{
  tw_window_open (self, file);
}

static void
tw_window_connect_server_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  tw_window_connect_server (TW_WINDOW (widget));
}

static void
tw_window_open_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);
  g_autoptr(GtkFileFilter) projects = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->file_chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file_chooser));
      return;
    }

  self->file_chooser = gtk_file_chooser_native_new (_("Open Workspace"), GTK_WINDOW (self),
                                                    GTK_FILE_CHOOSER_ACTION_OPEN,
                                                    _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->file_chooser), TRUE);

  gtk_file_filter_set_name (projects, _("Tractwise Workspaces and Share Packages"));
  gtk_file_filter_add_pattern (projects, "*.tractwise");
  gtk_file_filter_add_pattern (projects, "*.gpkg");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->file_chooser), projects);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->file_chooser), all);

  if (self->file != NULL)
    {
      g_autoptr(GFile) folder = g_file_get_parent (self->file);

      if (folder != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->file_chooser),
                                             folder, NULL);
    }

  g_signal_connect (self->file_chooser, "response",
                    G_CALLBACK (on_file_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file_chooser));
}

static void
tw_window_new_window_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (widget));
  TwWindow *window;

  if (!TW_IS_APPLICATION (app))
    return;

  window = tw_window_new (TW_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
}

/* The map */

static gboolean
env_is (const char *name,
        const char *value)
{
  return g_strcmp0 (g_getenv (name), value) == 0;
}

static void
show_toast (TwWindow   *self,
            const char *text)
{
  AdwToast *toast = tw_toast_new_plain (text);

  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_table_area_activated (TwWindow *self,
                         int       area)
{
  tw_map_view_zoom_to_area (self->map_view, area);
}

static void
on_table_search_failed (TwWindow   *self,
                        const char *text)
{
  g_autofree char *message = g_strdup_printf (_("No area is named “%s” or has that GEOID"),
                                              text);
  show_toast (self, message);
}

/* The session's messages quote the data layer's, written for the command line. */
static void
on_session_layer_failed (TwWindow   *self,
                         const char *message)
{
  g_autofree char *text = tw_error_text_from_message (message);

  gtk_stack_set_visible_child_name (self->stack, "project");
  show_toast (self, text);
}

static void
on_session_choropleth_failed (TwWindow   *self,
                              const char *message)
{
  g_autofree char *text = tw_error_text_from_message (message);

  show_toast (self, text);
}

/* A new layer: the map page shows it, the projects page picks areas on it. */
static void
on_session_layer_changed (TwWindow *self)
{
  TwAreaLayer *layer = tw_map_session_get_layer (self->session);
  GPtrArray *measures = tw_map_session_get_measures (self->session);

  if (layer == NULL)
    return;
  tw_window_trace_open (self, "Layer loaded");
  tw_projects_page_set_layer (self->projects_page, layer);
  tw_window_review_update_marks (self);
  gtk_stack_set_visible_child_name (self->stack, "map");
  if (measures == NULL || measures->len == 0)
    show_toast (self, _("No outcomes for these areas yet: import a table of outcomes."));
}

static void
on_session_choropleth_changed (TwWindow *self)
{
  if (tw_map_session_get_choropleth (self->session) != NULL)
    tw_window_trace_open (self, "Choropleth shown");
}

static void
on_map_drawn (TwWindow *self)
{
  if (self->open_started != 0)
    {
      self->open_ms = (g_get_monotonic_time () - self->open_started) / 1000.0;
      self->open_started = 0;
      g_debug ("Map drawn %.0f ms after the project was opened", self->open_ms);
    }
}

static char *
on_map_area_comments (TwWindow   *self,
                      const char *geography,
                      const char *geoid)
{
  return tw_window_review_describe_area (self, geography, geoid);
}

static void
on_session_busy_changed (TwWindow *self)
{
  tw_window_loading_changed (self);
}

static void
on_session_reveal_changed (TwWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANALYST_VIEW]);
}

/* win.analyst-view is there only when something can be revealed. */
static void
on_session_read_only_changed (TwWindow *self)
{
  if (tw_map_session_get_read_only (self->session))
    g_action_map_remove_action (G_ACTION_MAP (self), "analyst-view");
  else
    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (self->analyst_action));
}

/* New project and import */

static void
create_project_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  TwStore *store = tw_store_create (task_data, &error);

  if (store == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    {
      tw_store_close (store);
      g_task_return_boolean (task, TRUE);
    }
}

static void
on_project_created (GObject      *object,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  TwWindow *self = TW_WINDOW (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (g_task_get_task_data (G_TASK (res)));

  if (!g_task_propagate_boolean (G_TASK (res), &error))
    tw_window_show_error (self, file, error);
  else
    tw_window_open (self, file);
}

static void
on_new_chooser_response (GtkNativeDialog *native,
                         int              response,
                         TwWindow        *self)
{
  g_autoptr(GFile) file = tw_chooser_get_local_file (native, response);

  if (file != NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, NULL, on_project_created, NULL);
      g_autofree char *path = g_file_get_path (file);

      if (!g_str_has_suffix (path, ".tractwise"))
        {
          char *with_suffix = g_strconcat (path, ".tractwise", NULL);
          g_free (path);
          path = with_suffix;
        }
      g_task_set_task_data (task, g_steal_pointer (&path), g_free);
      g_task_run_in_thread (task, create_project_thread);
    }
  g_object_unref (native);
}

static void
tw_window_new_project_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("New Workspace"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Create"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("Untitled.tractwise"));
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_new_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_import_chooser_response (GtkNativeDialog *native,
                            int              response,
                            TwWindow        *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT
      && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native))) != NULL)
    tw_window_import_file (self, file);
  g_object_unref (native);
}

static void
tw_window_import_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) areas = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) tables = gtk_file_filter_new ();

  if (self->path == NULL)
    {
      show_toast (self, _("Open or create a workspace first."));
      return;
    }

  chooser = gtk_file_chooser_native_new (_("Import Boundaries or Outcomes"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (all, _("Boundaries and Outcome Tables"));
  gtk_file_filter_set_name (areas, _("Boundaries (Shapefile, GeoPackage, GeoJSON)"));
  gtk_file_filter_set_name (tables, _("Outcome Tables (CSV)"));
  for (guint i = 0; i < 2; i++)
    {
      GtkFileFilter *filter = i == 0 ? all : areas;

      gtk_file_filter_add_suffix (filter, "shp");
      gtk_file_filter_add_suffix (filter, "gpkg");
      gtk_file_filter_add_suffix (filter, "geojson");
      gtk_file_filter_add_suffix (filter, "json");
    }
  gtk_file_filter_add_suffix (all, "csv");
  gtk_file_filter_add_suffix (tables, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), areas);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), tables);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_import_chooser_response),
                           self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Choosing a project's target areas on another geography: the map shows it. */
static void
on_projects_show_geography (TwWindow   *self,
                            const char *geography)
{
  const char * const *geographies = tw_map_session_get_geographies (self->session);

  if (geographies != NULL && g_strv_contains (geographies, geography))
    tw_map_session_set_geography (self->session, geography);
}

static void
on_projects_pick_table_area (TwWindow *self)
{
  tw_projects_page_pick_area (self->projects_page,
                              tw_map_session_get_selected_area (self->session));
}

static void
tw_window_dispose (GObject *object)
{
  TwWindow *self = TW_WINDOW (object);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  tw_window_export_dispose (self);
  tw_window_review_dispose (self);
  tw_window_last_map_dispose (self);
  tw_window_shots_dispose (self);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->analyst_action);
  if (self->frame_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->frame_tick_id);
  self->frame_tick_id = 0;
  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
  g_clear_object (&self->file_chooser);

  /* The switchers let go of the view stack while it is whole (libadwaita 1.2 complains
   * when the stack's pages go first). */
  if (self->switcher_bar != NULL)
    adw_view_switcher_bar_set_stack (self->switcher_bar, NULL);
  if (self->window_title != NULL)
    adw_view_switcher_title_set_stack (self->window_title, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_WINDOW);

  G_OBJECT_CLASS (tw_window_parent_class)->dispose (object);
}

static void
tw_window_finalize (GObject *object)
{
  TwWindow *self = TW_WINDOW (object);

  g_clear_object (&self->file);
  g_clear_object (&self->document);
  g_free (self->path);

  G_OBJECT_CLASS (tw_window_parent_class)->finalize (object);
}

static void
tw_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TwWindow *self = TW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, tw_window_get_loading (self));
      break;

    case PROP_ANALYST_VIEW:
      g_value_set_boolean (value, tw_map_session_get_reveal (self->session));
      break;

    case PROP_OSM_BASEMAP:
      g_value_set_boolean (value, self->osm_basemap);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TwWindow *self = TW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_ANALYST_VIEW:
      tw_map_session_set_reveal (self->session, g_value_get_boolean (value));
      break;

    case PROP_OSM_BASEMAP:
      if (self->osm_basemap != g_value_get_boolean (value))
        {
          self->osm_basemap = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_window_constructed (GObject *object)
{
  TwWindow *self = TW_WINDOW (object);
  GtkApplication *app;
  GSettings *settings;

  G_OBJECT_CLASS (tw_window_parent_class)->constructed (object);

  app = gtk_window_get_application (GTK_WINDOW (self));
  settings = TW_IS_APPLICATION (app) ? tw_application_get_settings (TW_APPLICATION (app)) : NULL;
  if (settings == NULL)
    return;

  if (g_getenv ("TW_BASEMAP") == NULL)
    g_settings_bind (settings, "basemap", self, "osm-basemap", G_SETTINGS_BIND_DEFAULT);

  /* A new map starts with the classes and colours chosen in the preferences. */
  {
    g_autofree char *palette = g_settings_get_string (settings, "default-palette");
    int classes = g_settings_get_int (settings, "default-classes");
    int method = g_settings_get_enum (settings, "default-classification");

    if (g_strv_contains (tw_map_controls_get_palettes (self->controls), palette))
      tw_map_session_set_palette (self->session, palette);
    if (classes >= TW_CLASSIFY_MIN_CLASSES && classes <= TW_CLASSIFY_MAX_CLASSES)
      tw_map_session_set_classes (self->session, (guint) classes);
    if (method >= TW_CLASSIFY_QUANTILE && method <= TW_CLASSIFY_MANUAL)
      tw_map_session_set_method (self->session, method);
  }
}

/* The view switcher moves to the bottom bar when the window is narrow. The title has no
 * child left while it is disposed, and asking it then is a critical in libadwaita 1.2. */
static void
on_switcher_title_changed (TwWindow *self)
{
  if (gtk_widget_get_first_child (GTK_WIDGET (self->window_title)) == NULL)
    return;
  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    adw_view_switcher_title_get_view_switcher_enabled (
                                      self->window_title)
                                    && adw_view_switcher_title_get_title_visible (
                                      self->window_title));
}

/* Closing (a window that asks first has been answered): its map is remembered. */
static gboolean
tw_window_close_request (GtkWindow *window)
{
  GtkWindowClass *parent_class = GTK_WINDOW_CLASS (tw_window_parent_class);

  tw_window_last_map_save (TW_WINDOW (window));
  return parent_class->close_request != NULL && parent_class->close_request (window);
}

static void
tw_window_class_init (TwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  g_type_ensure (TW_TYPE_START_PAGE);

  object_class->dispose = tw_window_dispose;
  object_class->finalize = tw_window_finalize;
  object_class->get_property = tw_window_get_property;
  object_class->set_property = tw_window_set_property;
  object_class->constructed = tw_window_constructed;
  window_class->close_request = tw_window_close_request;

  /**
   * TwWindow:file:
   *
   * The project file shown, or %NULL while none is.
   */
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TwWindow:loading:
   *
   * Whether a project is being read.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TwWindow:analyst-view:
   *
   * Whether suppressed figures are shown, on this screen only.
   */
  properties[PROP_ANALYST_VIEW] =
    g_param_spec_boolean ("analyst-view", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TwWindow:osm-basemap:
   *
   * Whether OpenStreetMap's tiles are fetched and drawn under the map.
   */
  properties[PROP_OSM_BASEMAP] =
    g_param_spec_boolean ("osm-basemap", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TwWindow:session:
   *
   * What the window's map shows; its parts bind to it.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TW_TYPE_MAP_SESSION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TW_TYPE_AREAS_TABLE);
  g_type_ensure (TW_TYPE_MAP_CONTROLS);
  g_type_ensure (TW_TYPE_MAP_VIEW);
  g_type_ensure (TW_TYPE_OVERVIEW);
  g_type_ensure (TW_TYPE_PROJECTS_PAGE);
  g_type_ensure (TW_TYPE_PARTNERS_PAGE);
  g_type_ensure (TW_TYPE_REVIEW_BANNER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/tw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TwWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, projects_page);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, partners_page);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, header_spinner);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, page_spinner);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, controls);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, overview);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, analyst_revealer);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, map_flap);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, map_view);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, review_banner);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, areas_table);
  gtk_widget_class_bind_template_callback (widget_class, on_table_area_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_map_drawn);
  gtk_widget_class_bind_template_callback (widget_class, on_map_area_comments);
  gtk_widget_class_bind_template_callback (widget_class, on_table_search_failed);
  gtk_widget_class_bind_template_callback (widget_class, on_start_page_open);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, tw_window_open_action);
  gtk_widget_class_install_action (widget_class, "win.connect-server", NULL,
                                   tw_window_connect_server_action);
  gtk_widget_class_install_action (widget_class, "win.new-window", NULL,
                                   tw_window_new_window_action);
  gtk_widget_class_install_action (widget_class, "win.new-project", NULL,
                                   tw_window_new_project_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, tw_window_import_action);
  tw_window_review_class_init (widget_class);
  gtk_widget_class_install_property_action (widget_class, "win.osm-basemap", "osm-basemap");
  gtk_widget_class_install_action (widget_class, "win.export-map", NULL,
                                   tw_window_export_map_action);
  gtk_widget_class_install_action (widget_class, "win.export-brief", NULL,
                                   tw_window_export_brief_action);
  gtk_widget_class_install_action (widget_class, "win.print", NULL, tw_window_print_action);
  gtk_widget_class_install_action (widget_class, "win.exports", NULL, tw_window_exports_action);
  gtk_widget_class_install_action (widget_class, "win.open-export", "s",
                                   tw_window_open_export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-window", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                find_area_shortcut, NULL);
}

static void
tw_window_init (TwWindow *self)
{
  GtkDropTarget *drop;

  self->session = tw_map_session_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The parts of the map page show the window's session. (GTK 4.8 cannot unwatch a
   * <lookup> on the template object once the window is finalized, so not in the .ui.) */
  tw_map_controls_set_session (self->controls, self->session);
  tw_map_view_set_session (self->map_view, self->session);
  tw_areas_table_set_session (self->areas_table, self->session);
  tw_projects_page_set_map (self->projects_page, tw_map_view_get_map (self->map_view));
  tw_map_view_set_footprints (self->map_view,
                              SHUMATE_LAYER (tw_projects_page_get_footprints (self->projects_page)));
  g_object_bind_property (self, "osm-basemap", self->map_view, "osm-basemap",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->projects_page, "show-geography",
                           G_CALLBACK (on_projects_show_geography), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->projects_page, "pick-table-area",
                           G_CALLBACK (on_projects_pick_table_area), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->window_title, "notify::title-visible",
                           G_CALLBACK (on_switcher_title_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->window_title, "notify::view-switcher-enabled",
                           G_CALLBACK (on_switcher_title_changed), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->session, "notify::layer",
                           G_CALLBACK (on_session_layer_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::choropleth",
                           G_CALLBACK (on_session_choropleth_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::busy",
                           G_CALLBACK (on_session_busy_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::reveal",
                           G_CALLBACK (on_session_reveal_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::read-only",
                           G_CALLBACK (on_session_read_only_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "layer-failed",
                           G_CALLBACK (on_session_layer_failed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "choropleth-failed",
                           G_CALLBACK (on_session_choropleth_failed), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->session, "reveal", self->analyst_revealer, "reveal-child",
                          G_BINDING_SYNC_CREATE);
  self->analyst_action = g_property_action_new ("analyst-view", self->session, "reveal");
  on_session_read_only_changed (self);

  /* TW_BASEMAP (osm or offline) overrides the setting: the tests run offline. */
  if (g_getenv ("TW_BASEMAP") != NULL)
    self->osm_basemap = env_is ("TW_BASEMAP", "osm");

  if (g_getenv ("TW_DEBUG_FRAMES") != NULL)
    tw_window_watch_frames (self, TRUE);

  tw_window_export_init (self);
  tw_window_last_map_init (self);
  tw_window_shots_init (self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (drop, "drop", G_CALLBACK (on_drop), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

TwWindow *
tw_window_new (TwApplication *application)
{
  g_return_val_if_fail (application == NULL || TW_IS_APPLICATION (application), NULL);

  return g_object_new (TW_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

GFile *
tw_window_get_file (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  return self->file;
}

TwDocument *
tw_window_get_document (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  return self->document;
}

gboolean
tw_window_get_loading (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), FALSE);

  return self->load_cancellable != NULL || tw_map_session_get_busy (self->session);
}

static void
on_import_done (TwWindow   *self,
                const char *message)
{
  show_toast (self, message);
  if (self->document != NULL && self->file != NULL)
    tw_window_reload_summary (self);
  else if (self->file != NULL)
    {
      g_autoptr(GFile) file = g_object_ref (self->file);
      tw_window_open (self, file);
    }
}

void
tw_window_import_file (TwWindow *self,
                       GFile    *source)
{
  TwImportDialog *dialog;

  g_return_if_fail (TW_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (source));

  if (self->file == NULL)
    {
      show_toast (self, _("Open or create a workspace first, then import into it."));
      return;
    }
  if (tw_window_review_get_session (self) != NULL)
    {
      show_toast (self, _("This is a read-only review copy: nothing can be imported into it."));
      return;
    }
  dialog = self->document != NULL
           ? tw_import_dialog_new_for_document (GTK_WINDOW (self), self->document, source)
           : tw_import_dialog_new (GTK_WINDOW (self), self->file, source);
  tw_import_dialog_set_geography (dialog, tw_map_session_get_geography (self->session));
  g_signal_connect_object (dialog, "imported", G_CALLBACK (on_import_done), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A project dropped is opened; anything else is imported. Of the files of a Shapefile
 * dropped together, the .shp is the one to import. */
gboolean
tw_window_drop_files (TwWindow *self,
                      GSList   *files)
{
  static const char *const preferred[] = { ".tractwise", ".shp", ".gpkg", ".geojson", NULL };

  g_return_val_if_fail (TW_IS_WINDOW (self), FALSE);

  if (files == NULL)
    return FALSE;
  for (guint i = 0; preferred[i] != NULL; i++)
    for (GSList *l = files; l != NULL; l = l->next)
      {
        g_autofree char *name = g_file_get_basename (l->data);
        g_autofree char *lower = g_ascii_strdown (name != NULL ? name : "", -1);

        if (!g_str_has_suffix (lower, preferred[i]))
          continue;
        if (i == 0 || (g_str_equal (preferred[i], ".gpkg") && g_file_peek_path (l->data) != NULL
                       && tw_share_is_package (g_file_peek_path (l->data))))
          tw_window_open (self, l->data);
        else
          tw_window_import_file (self, l->data);
        return TRUE;
      }
  tw_window_import_file (self, files->data);
  return TRUE;
}

void
tw_window_add_toast (TwWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (TW_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
tw_window_show_toast (TwWindow   *self,
                      const char *message)
{
  g_return_if_fail (TW_IS_WINDOW (self));

  show_toast (self, message);
}

