/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-application"

#include "config.h"

#include <glib/gi18n.h>

#include "tw-application.h"
#include "tw-preferences-window.h"
#include "tw-window.h"

struct _TwApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (TwApplication, tw_application, ADW_TYPE_APPLICATION)

/* The size, state and project of the last window closed are what the next one starts with. */
static gboolean
on_window_close_request (GtkWindow     *window,
                         TwApplication *self)
{
  GFile *file = tw_window_get_file (TW_WINDOW (window));
  int width, height;

  if (self->settings == NULL)
    return FALSE;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (file != NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_settings_set_string (self->settings, "last-project", uri);
    }
  g_settings_apply (self->settings);
  return FALSE;
}

static TwWindow *
tw_application_new_window (TwApplication *self)
{
  TwWindow *window = tw_window_new (self);

  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (window),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (window));
    }
  g_signal_connect_object (window, "close-request", G_CALLBACK (on_window_close_request),
                           self, 0);
  return window;
}

/* The active window when it has no project yet, so that opening a file from a fresh
 * start does not leave an empty window behind; otherwise a new window. */
static TwWindow *
tw_application_get_window_for_open (TwApplication *self)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (TW_IS_WINDOW (active) && tw_window_get_file (TW_WINDOW (active)) == NULL
      && !tw_window_get_loading (TW_WINDOW (active)))
    return TW_WINDOW (active);

  return tw_application_new_window (self);
}

/* Run from the build folder without GSETTINGS_SCHEMA_DIR (meson devenv sets it), the
 * schema is not installed: the program then runs on defaults rather than aborting. */
static void
tw_application_load_settings (TwApplication *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GAction) basemap = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    {
      g_message ("The settings schema %s is not installed; preferences will not be kept. "
                 "Run the program through “meson devenv” or install it.", APPLICATION_ID);
      return;
    }

  self->settings = g_settings_new_full (schema, NULL, NULL);
  basemap = g_settings_create_action (self->settings, "basemap");
  g_action_map_add_action (G_ACTION_MAP (self), basemap);
}

static void
tw_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  TwApplication *self = user_data;
  GList *windows;
  gboolean refused = FALSE;

  /* Projects are saved as they change, but a review's comments are not: each project window
   * is closed as its close button would, so that it asks before unsaved comments are lost.
   * A window that asks stays, and so does the application; the answer closes it. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    g_object_ref (l->data);
  for (GList *l = windows; l != NULL; l = l->next)
    {
      GtkWindow *window = l->data;

      if (!TW_IS_WINDOW (window))
        continue;
      gtk_window_close (window);
      if (g_list_find (gtk_application_get_windows (GTK_APPLICATION (self)), window) != NULL)
        refused = TRUE;
    }
  g_list_free_full (windows, g_object_unref);
  if (refused)
    return;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (windows->data);

  g_application_quit (G_APPLICATION (self));
}

static void
tw_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  TwApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { "The Tractwise contributors", NULL };
  const char *designers[] = { "The Tractwise contributors", NULL };
  const char *acknowledgements[] = {
    "ColorBrewer palettes by Cynthia A. Brewer https://colorbrewer2.org",
    "Map tiles © OpenStreetMap contributors https://www.openstreetmap.org/copyright",
    NULL
  };
  AdwAboutWindow *about;

  /* The icon is in the GResource too (app/tractwise-icons.gresource.xml), so it shows when
   * the program runs from the build folder, before anything is installed. */
  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  g_object_set (about,
                "transient-for", parent,
                "application-name", _("Tractwise"),
                "application-icon", APPLICATION_ID,
                "version", PACKAGE_VERSION,
                "comments", _("Map health outcomes by census tract, find where and "
                              "for whom they are worse, and track the partner "
                              "projects that aim to close the gaps."),
                "developer-name", _("The Tractwise contributors"),
                "website", "https://github.com/tractwise/tractwise",
                "issue-url", "https://github.com/tractwise/tractwise/issues",
                "developers", developers,
                "designers", designers,
                "license-type", GTK_LICENSE_GPL_3_0,
                "copyright", "© 2026 The Tractwise contributors",
                /* Translators: credit yourself here, one name a line */
                "translator-credits", _("translator-credits"),
                NULL);
  adw_about_window_add_acknowledgement_section (about, _("Palettes and Maps"),
                                                acknowledgements);
  gtk_window_present (GTK_WINDOW (about));
}

static void
tw_application_preferences_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  TwApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  TwPreferencesWindow *preferences;

  preferences = tw_preferences_window_new (parent, self->settings);
  gtk_window_present (GTK_WINDOW (preferences));
}

static const GActionEntry app_actions[] = {
  { "quit", tw_application_quit_action },
  { "about", tw_application_about_action },
  { "preferences", tw_application_preferences_action },
};

static void
tw_application_activate (GApplication *app)
{
  TwApplication *self = TW_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      g_autofree char *last = self->settings != NULL
                              ? g_settings_get_string (self->settings, "last-project") : NULL;

      window = GTK_WINDOW (tw_application_new_window (self));
      /* The project open when the last window closed comes back, if it is still there. */
      if (last != NULL && *last != '\0')
        {
          g_autoptr(GFile) file = g_file_new_for_uri (last);

          if (g_file_query_exists (file, NULL))
            tw_window_open (TW_WINDOW (window), file);
        }
    }

  gtk_window_present (window);
}

static void
tw_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  TwApplication *self = TW_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      TwWindow *window = tw_application_get_window_for_open (self);

      tw_window_open (window, files[i]);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
tw_application_startup (GApplication *app)
{
  TwApplication *self = TW_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *open_accels[] = { "<Control>o", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *new_window_accels[] = { "<Control>n", NULL };
  static const char *new_project_accels[] = { "<Control><Shift>n", NULL };
  static const char *import_accels[] = { "<Control>i", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *analyst_accels[] = { "<Control><Shift>a", NULL };
  static const char *basemap_accels[] = { "<Control><Shift>b", NULL };
  static const char *export_accels[] = { "<Control>e", NULL };
  static const char *print_accels[] = { "<Control>p", NULL };

  G_APPLICATION_CLASS (tw_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.open", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.new-window",
                                         new_window_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.new-project",
                                         new_project_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.import", import_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.analyst-view",
                                         analyst_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.osm-basemap",
                                         basemap_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.export-map",
                                         export_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.print", print_accels);

  tw_application_load_settings (self);
}

static void
tw_application_dispose (GObject *object)
{
  TwApplication *self = TW_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tw_application_parent_class)->dispose (object);
}

static void
tw_application_class_init (TwApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tw_application_dispose;

  app_class->startup = tw_application_startup;
  app_class->activate = tw_application_activate;
  app_class->open = tw_application_open;
}

static void
tw_application_init (TwApplication *self)
{
}

TwApplication *
tw_application_new (void)
{
  return g_object_new (TW_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/tractwise/Tractwise",
                       NULL);
}

/**
 * tw_application_get_settings:
 *
 * Returns: (transfer none) (nullable): the application's settings
 *   (io.github.tractwise.Tractwise), or %NULL when the schema is not installed
 */
GSettings *
tw_application_get_settings (TwApplication *self)
{
  g_return_val_if_fail (TW_IS_APPLICATION (self), NULL);

  return self->settings;
}
