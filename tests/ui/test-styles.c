/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-styles"

/* The window in the light and dark styles, with and without high contrast, as pixels: the
 * map's own background follows the style, and the legend's text stays readable. */

#include <math.h>
#include <glib/gstdio.h>

#include "tw-application.h"
#include "tw-window.h"
#include "tw-window-private.h"
#include "window-test-helpers.h"

#define WIDTH 1280
#define HEIGHT 800

static char *tmpdir;
static char *demo_path;
static TwApplication *app;
static GSettings *a11y_settings;

static void
set_style (gboolean dark,
           gboolean high_contrast)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  adw_style_manager_set_color_scheme (manager, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                    : ADW_COLOR_SCHEME_FORCE_LIGHT);
  if (a11y_settings != NULL)
    g_settings_set_boolean (a11y_settings, "high-contrast", high_contrast);
  g_assert_cmpint (adw_style_manager_get_dark (manager), ==, dark);
  g_assert_cmpint (adw_style_manager_get_high_contrast (manager), ==, high_contrast);
}

static TwWindow *
open_demo (void)
{
  TwWindow *window = tw_window_new (app);
  g_autoptr(GFile) file = g_file_new_for_path (demo_path);

  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  tw_window_open (window, file);
  wait_for_map (window);
  return window;
}

static void
test_screenshots (void)
{
  static const struct { const char *name; gboolean dark, hc; } styles[] = {
    { "light", FALSE, FALSE }, { "dark", TRUE, FALSE },
    { "hc", FALSE, TRUE }, { "hc-dark", TRUE, TRUE },
  };
  TwWindow *window = open_demo ();

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    {
      g_autofree char *name = g_strdup_printf ("styles-%s.png", styles[i].name);
      g_autoptr(Image) image = NULL;

      if (styles[i].hc && a11y_settings == NULL)
        continue;
      set_style (styles[i].dark, styles[i].hc);
      wait_for_map (window);
      image = render_window (GTK_WIDGET (window), name);
    }
  set_style (FALSE, FALSE);
  gtk_window_destroy (GTK_WINDOW (window));
}

static char *
make_demo (void)
{
  const char *cli = g_getenv ("TW_CLI");
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "..", "..", "build-aux",
                                                   "make-demo", NULL);
  g_autofree char *path = g_build_filename (tmpdir, "demo.tractwise", NULL);
  const char *argv[] = { script, cli, path, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_nonnull (cli);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  GLogLevelFlags fatal_mask;
  int status;

  g_setenv ("GTK_A11Y", "none", FALSE);
  g_setenv ("TW_BASEMAP", "offline", TRUE);
  /* The a11y settings below are GNOME's switch for high contrast; no portal may answer for
   * it. */
  g_setenv ("ADW_DISABLE_PORTAL", "1", TRUE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                            "org.gnome.desktop.a11y.interface", TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, "high-contrast"))
    a11y_settings = g_settings_new ("org.gnome.desktop.a11y.interface");

  tmpdir = g_dir_make_tmp ("tw-test-styles-XXXXXX", &error);
  g_assert_no_error (error);
  demo_path = make_demo ();

  app = g_object_new (TW_TYPE_APPLICATION,
                      "application-id", APPLICATION_ID,
                      "flags", G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN,
                      "resource-base-path", "/io/github/tractwise/Tractwise",
                      NULL);
  fatal_mask = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_log_set_always_fatal (fatal_mask);

  g_test_add_func ("/ui/styles/screenshots", test_screenshots);

  status = g_test_run ();

  g_clear_object (&app);
  g_clear_object (&a11y_settings);
  g_unlink (demo_path);
  g_rmdir (tmpdir);
  g_free (demo_path);
  g_free (tmpdir);

  return status;
}
