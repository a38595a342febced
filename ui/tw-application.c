/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-application"

#include "config.h"

#include <glib/gi18n.h>

#include "tw-application.h"
#include "tw-window.h"

struct _TwApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (TwApplication, tw_application, ADW_TYPE_APPLICATION)

static TwWindow *
tw_application_new_window (TwApplication *self)
{
  return tw_window_new (self);
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

static void
tw_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  TwApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Projects are saved as they change: closing every window is all a quit needs. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_destroy (window);
    }

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
  const char *icon = APPLICATION_ID;

  /* Run from the build folder, the application's icon is not installed yet. */
  if (parent != NULL
      && !gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (
                                     gtk_widget_get_display (GTK_WIDGET (parent))), icon))
    icon = "application-x-executable";

  adw_show_about_window (parent,
                         "application-name", _("Tractwise"),
                         "application-icon", icon,
                         "version", PACKAGE_VERSION,
                         "comments", _("Map health outcomes by census tract, find where and "
                                       "for whom they are worse, and track the partner "
                                       "projects that aim to close the gaps."),
                         "developer-name", _("The Tractwise contributors"),
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", "© 2024 The Tractwise contributors",
                         /* Translators: credit yourself here, one name a line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", tw_application_quit_action },
  { "about", tw_application_about_action },
};

static void
tw_application_activate (GApplication *app)
{
  TwApplication *self = TW_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (tw_application_new_window (self));

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
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *open_accels[] = { "<Control>o", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *new_window_accels[] = { "<Control>n", NULL };

  G_APPLICATION_CLASS (tw_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.open", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.new-window",
                                         new_window_accels);
}

static void
tw_application_class_init (TwApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

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
