/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-app"

#include <string.h>
#include <glib/gstdio.h>

#include "tw-application.h"
#include "tw-area-import.h"
#include "tw-demo.h"
#include "tw-import-dialog.h"
#include "tw-preferences-window.h"
#include "tw-start-page.h"
#include "tw-store.h"
#include "tw-window.h"
#include "tw-window-private.h"
#include "window-test-helpers.h"

static char *tmpdir;
static char *demo_path;
static TwApplication *app;

/* Main loop helpers */

static gboolean
window_is_loading (gpointer window)
{
  return tw_window_get_loading (window) || tw_window_get_file (window) == NULL;
}

/* Files */

static char *
fixture (const char *first,
         ...)
{
  const char *root = g_getenv ("TW_FIXTURES");
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  const char *part;
  va_list args;

  g_assert_nonnull (root);
  g_ptr_array_add (parts, (gpointer) root);
  va_start (args, first);
  for (part = first; part != NULL; part = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) part);
  va_end (args);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* A project holding the 100 North Carolina counties and no outcomes. */
static char *
make_nc_project (const char *name)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *shp = fixture ("areas", "nc", "nc.shp", NULL);
  TwAreaImportOptions options = { .id_field = "FIPS", .name_field = "NAME", .level = "county",
                                  .geography = "North Carolina counties" };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwAreaImportResult) result = NULL;

  g_unlink (path);
  store = tw_store_create (path, &error);
  g_assert_no_error (error);
  result = tw_area_import (store, shp, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->imported, ==, 100);
  return g_steal_pointer (&path);
}

static void
ensure_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *source_demo = g_test_build_filename (G_TEST_DIST, "..", "..", "data", "demo",
                                                        NULL);

  if (g_file_test (demo_path, G_FILE_TEST_IS_REGULAR))
    return;
  data = tw_demo_find_data (NULL, source_demo);
  g_assert_nonnull (data);
  g_assert_true (tw_demo_build (data, demo_path, NULL, &error));
  g_assert_no_error (error);
}

/* Windows */

static TwWindow *
open_window (const char *path)
{
  TwWindow *window = tw_window_new (app);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  tw_window_open (window, file);
  spin_while (window_is_loading, window);
  return window;
}

static TwImportDialog *
find_import_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (TW_IS_IMPORT_DIALOG (window))
        return TW_IMPORT_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_on_page (gpointer dialog,
                const char *page)
{
  return g_strcmp0 (tw_import_dialog_get_page (dialog), page) == 0;
}

static gboolean
dialog_reading (gpointer dialog)
{
  return dialog_on_page (dialog, "reading");
}

static gboolean
dialog_checking (gpointer dialog)
{
  return dialog_on_page (dialog, "checking");
}

static TwImportDialog *
drop (TwWindow   *window,
      const char *first,
      ...)
{
  g_autoptr(GSList) files = NULL;
  TwImportDialog *dialog;
  va_list args;

  va_start (args, first);
  for (const char *path = first; path != NULL; path = va_arg (args, const char *))
    files = g_slist_append (files, g_file_new_for_path (path));
  va_end (args);

  g_assert_null (find_import_dialog ());
  g_assert_true (tw_window_drop_files (window, files));
  g_slist_free_full (g_steal_pointer (&files), g_object_unref);

  dialog = find_import_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  spin_while (dialog_reading, dialog);
  g_assert_cmpstr (tw_import_dialog_get_page (dialog), ==, "setup");
  return dialog;
}

/* Pixels */

/* The mean lightness (0–255) of the pixels in a box of the picture. */
static double
mean_lightness (const Image *image,
                int          x0,
                int          y0,
                int          width,
                int          height)
{
  double sum = 0;
  int n = 0;

  for (int y = MAX (y0, 0); y < MIN (y0 + height, image->height); y++)
    for (int x = MAX (x0, 0); x < MIN (x0 + width, image->width); x++)
      {
        guint32 rgb = pixel (image, x, y);

        sum += (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3.0;
        n++;
      }
  g_assert_cmpint (n, >, 0);
  return sum / n;
}

/* Tests */

static void
test_drop_recognises_kind (void)
{
  g_autofree char *project = make_nc_project ("drop.tractwise");
  g_autofree char *table = fixture ("outcomes", "nc-long.csv", NULL);
  g_autofree char *shp = fixture ("areas", "nc", "nc.shp", NULL);
  g_autofree char *dbf = fixture ("areas", "nc", "nc.dbf", NULL);
  g_autofree char *wide = fixture ("outcomes", "nc-wide.csv", NULL);
  TwWindow *window = open_window (project);
  TwImportDialog *dialog;

  /* An outcome table: the columns it names the usual way are picked. */
  dialog = drop (window, table, NULL);
  g_assert_cmpint (tw_import_dialog_get_kind (dialog), ==, TW_IMPORT_KIND_OUTCOMES);
  g_assert_cmpuint (tw_import_dialog_get_n_preview_rows (dialog), ==, 20);
  g_assert_cmpstr (tw_import_dialog_get_column (dialog, TW_IMPORT_COLUMN_GEOID), ==, "geoid");
  g_assert_cmpstr (tw_import_dialog_get_column (dialog, TW_IMPORT_COLUMN_NUMERATOR), ==,
                   "numerator");
  g_assert_cmpstr (tw_import_dialog_get_column (dialog, TW_IMPORT_COLUMN_STRATUM), ==,
                   "stratum");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* A Shapefile dropped with its companions: boundaries, with its id field. */
  dialog = drop (window, dbf, shp, NULL);
  g_assert_cmpint (tw_import_dialog_get_kind (dialog), ==, TW_IMPORT_KIND_AREAS);
  g_assert_cmpstr (tw_import_dialog_get_column (dialog, TW_IMPORT_COLUMN_AREA_ID), ==, "FIPS");
  g_assert_cmpstr (tw_import_dialog_get_column (dialog, TW_IMPORT_COLUMN_AREA_NAME), ==, "NAME");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* A wide table: the GEOID is found, the counts are left for the user to map. */
  dialog = drop (window, wide, NULL);
  g_assert_cmpint (tw_import_dialog_get_kind (dialog), ==, TW_IMPORT_KIND_OUTCOMES);
  g_assert_cmpstr (tw_import_dialog_get_column (dialog, TW_IMPORT_COLUMN_GEOID), ==, "FIPS");
  g_assert_null (tw_import_dialog_get_column (dialog, TW_IMPORT_COLUMN_NUMERATOR));
  g_assert_false (tw_import_dialog_check (dialog));
  wait_for_frames (GTK_WIDGET (dialog));
  image_free (render_window (GTK_WIDGET (dialog), "app-import-preview.png"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_bad_table_lists_problems (void)
{
  g_autofree char *project = make_nc_project ("bad.tractwise");
  g_autofree char *table = g_build_filename (tmpdir, "messy.csv", NULL);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_auto(GStrv) problems = NULL;
  TwWindow *window;
  TwImportDialog *dialog;

  /* Rows 2, 4 and 5 are wrong three different ways. */
  g_assert_true (g_file_set_contents (table,
                                      "geoid,measure,period,stratum,numerator,denominator\n"
                                      "37009,lowbw,2021,all,13,1410\n"
                                      "37005,lowbw,2021,all,-2,100\n"
                                      "37171,lowbw,2021,all,7,300\n"
                                      "37053,lowbw,2021,all,seven,300\n"
                                      "99999,lowbw,2021,all,3,300\n", -1, NULL));
  window = open_window (project);
  before = read_bytes (project);

  dialog = drop (window, table, NULL);
  g_assert_true (tw_import_dialog_check (dialog));
  spin_while (dialog_checking, dialog);
  g_assert_cmpstr (tw_import_dialog_get_page (dialog), ==, "report");

  problems = tw_import_dialog_get_problems (dialog);
  g_assert_cmpuint (g_strv_length (problems), ==, 3);
  g_assert_true (g_str_has_prefix (problems[0], "row 2 (line 3): "));
  g_assert_nonnull (strstr (problems[0], "'-2'"));
  g_assert_true (g_str_has_prefix (problems[1], "row 4 (line 5): "));
  g_assert_nonnull (strstr (problems[1], "'seven'"));
  g_assert_true (g_str_has_prefix (problems[2], "row 5 (line 6): "));
  g_assert_nonnull (strstr (problems[2], "99999"));

  /* Nothing can be imported, and nothing was written. */
  g_assert_false (tw_import_dialog_import (dialog));
  wait_for_frames (GTK_WIDGET (dialog));
  image_free (render_window (GTK_WIDGET (dialog), "app-import-report.png"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  after = read_bytes (project);
  g_assert_true (g_bytes_equal (before, after));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
on_fraction (GObject    *dialog,
             GParamSpec *pspec,
             GArray     *fractions)
{
  double fraction = tw_import_dialog_get_fraction (TW_IMPORT_DIALOG (dialog));

  g_array_append_val (fractions, fraction);
}

static void
on_imported (TwImportDialog *dialog,
             const char     *message,
             char          **out)
{
  *out = g_strdup (message);
}

static gboolean
no_message (gpointer message)
{
  return *(char **) message == NULL;
}

static void
test_good_table_imports (void)
{
  g_autofree char *project = make_nc_project ("good.tractwise");
  g_autofree char *table = fixture ("outcomes", "nc-long.csv", NULL);
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwProjectSummary) summary = NULL;
  g_autofree char *message = NULL;
  TwWindow *window = open_window (project);
  TwDocument *document = tw_window_get_document (window);
  TwImportDialog *dialog = drop (window, table, NULL);

  g_assert_nonnull (document);
  g_assert_null (tw_window_get_choropleth (window));
  g_assert_true (tw_import_dialog_check (dialog));
  spin_while (dialog_checking, dialog);
  g_assert_cmpstr (tw_import_dialog_get_page (dialog), ==, "report");
  g_assert_cmpuint (g_strv_length (tw_import_dialog_get_problems (dialog)), ==, 0);

  g_signal_connect (dialog, "notify::fraction", G_CALLBACK (on_fraction), fractions);
  g_signal_connect (dialog, "imported", G_CALLBACK (on_imported), &message);
  g_assert_true (tw_import_dialog_import (dialog));
  g_assert_cmpstr (tw_import_dialog_get_page (dialog), ==, "importing");
  spin_while (no_message, &message);
  g_assert_cmpstr (message, ==, "Imported 800 outcome rows");
  /* The bar moved, and ended full. */
  g_assert_cmpuint (fractions->len, >=, 1);
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), ==, 1.0);
  g_assert_null (find_import_dialog ());

  /* The window did not open the file again: its document read the new summary, and the
   * map follows the document's changed::outcomes with the measure imported. */
  spin_while (window_is_loading, window);
  wait_for_map (window);
  g_assert_true (tw_window_get_document (window) == document);
  g_assert_cmpuint (tw_document_get_summary (document)->measures->len, ==, 1);
  g_assert_nonnull (tw_window_get_choropleth (window));
  g_assert_cmpstr (tw_choropleth_get_measure_code (tw_window_get_choropleth (window)), ==,
                   "lowbw");

  store = tw_store_open (project, &error);
  g_assert_no_error (error);
  summary = tw_store_summarize (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->measures->len, ==, 1);
  g_assert_cmpint (((TwMeasureSummary *) g_ptr_array_index (summary->measures, 0))->rows, ==,
                   800);

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkEventController *
key_controller (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        return controller;
    }
  return NULL;
}

static gboolean
press (GtkWidget *widget,
       guint      keyval)
{
  GtkEventController *keys = key_controller (widget);
  gboolean handled = FALSE;

  g_assert_nonnull (keys);
  g_signal_emit_by_name (keys, "key-pressed", keyval, 0, 0, &handled);
  return handled;
}

static void
test_keyboard_map (void)
{
  TwWindow *window;
  ShumateViewport *viewport;
  GtkWidget *map;
  double zoom, lat, lon;

  ensure_demo ();
  window = open_window (demo_path);
  wait_for_map (window);
  viewport = shumate_simple_map_get_viewport (tw_window_get_map (window));
  map = GTK_WIDGET (shumate_simple_map_get_map (tw_window_get_map (window)));

  g_assert_true (gtk_widget_get_focusable (map));
  g_assert_true (gtk_widget_grab_focus (map));
  g_assert_true (gtk_widget_has_focus (map));

  zoom = shumate_viewport_get_zoom_level (viewport);
  g_assert_true (press (map, GDK_KEY_plus));
  g_assert_cmpfloat_with_epsilon (shumate_viewport_get_zoom_level (viewport), zoom + 1, 1e-9);
  g_assert_true (press (map, GDK_KEY_minus));
  g_assert_cmpfloat_with_epsilon (shumate_viewport_get_zoom_level (viewport), zoom, 1e-9);

  lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  g_assert_true (press (map, GDK_KEY_Right));
  g_assert_cmpfloat (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), >, lon);
  g_assert_true (press (map, GDK_KEY_Up));
  g_assert_cmpfloat (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)), >, lat);
  g_assert_true (press (map, GDK_KEY_Left));
  g_assert_true (press (map, GDK_KEY_Down));
  g_assert_cmpfloat_with_epsilon (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                                  lon, 1e-6);
  g_assert_cmpfloat_with_epsilon (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
                                  lat, 1e-6);
  /* Other keys go on to the rest of the window. */
  g_assert_false (press (map, GDK_KEY_a));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
preferences_busy (gpointer preferences)
{
  return tw_preferences_window_get_busy (preferences);
}

static char *
run_cli (const char *command,
         const char *project)
{
  const char *argv[] = { g_getenv ("TW_CLI"), command, project, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_nonnull (argv[0]);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  return out;
}

static void
test_preferences_policy (void)
{
  g_autofree char *project = g_build_filename (tmpdir, "policy.tractwise", NULL);
  g_autofree char *policy = NULL;
  g_autofree char *legend_before = NULL;
  g_autofree char *legend_after = NULL;
  g_autoptr(GBytes) demo = NULL;
  TwPreferencesWindow *preferences;
  TwWindow *window;

  ensure_demo ();
  demo = read_bytes (demo_path);
  g_assert_true (g_file_set_contents (project, g_bytes_get_data (demo, NULL),
                                      (gssize) g_bytes_get_size (demo), NULL));
  window = open_window (project);
  wait_for_map (window);
  legend_before = tw_window_get_legend_text (window);
  g_assert_nonnull (strstr (legend_before, "fewer than 11 events"));

  preferences = tw_preferences_window_new (GTK_WINDOW (window),
                                           tw_application_get_settings (app));
  gtk_window_present (GTK_WINDOW (preferences));
  spin_while (preferences_busy, preferences);
  wait_for_frames (GTK_WIDGET (preferences));
  image_free (render_window (GTK_WIDGET (preferences), "app-preferences.png"));

  tw_preferences_window_set_policy (preferences, "uscs", 0);
  spin_while (preferences_busy, preferences);
  wait_for_map (window);

  policy = run_cli ("policy", project);
  g_assert_nonnull (strstr (policy, "\"min_count\":16"));
  g_assert_nonnull (strstr (policy, "\"preset\":\"uscs\""));

  legend_after = tw_window_get_legend_text (window);
  g_test_message ("Legend before: %s\nLegend after: %s", legend_before, legend_after);
  g_assert_nonnull (strstr (legend_after, "fewer than 16 events"));
  g_assert_cmpstr (legend_before, !=, legend_after);

  /* Every named preset is offered by name, not shown as "Custom". */
  tw_preferences_window_set_policy (preferences, "nchs-proportions", 0);
  spin_while (preferences_busy, preferences);
  g_free (policy);
  policy = run_cli ("policy", project);
  g_assert_nonnull (strstr (policy, "\"preset\":\"nchs-proportions\""));
  {
    AdwComboRow *row = ADW_COMBO_ROW (find_by_id (GTK_WIDGET (preferences), "policy_row"));
    GtkStringObject *item = adw_combo_row_get_selected_item (row);

    g_assert_cmpstr (gtk_string_object_get_string (item), ==, "NCHS proportions (k = 10)");
  }

  gtk_window_destroy (GTK_WINDOW (preferences));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
no_recent (gpointer page)
{
  return tw_start_page_get_n_recent (page) == 0;
}

static int
find_recent (TwStartPage *page,
             GFile       *file)
{
  for (guint i = 0; i < tw_start_page_get_n_recent (page); i++)
    if (g_file_equal (tw_start_page_get_recent (page, i), file))
      return (int) i;
  return -1;
}

static void
test_recent_projects (void)
{
  g_autofree char *project = make_nc_project ("recent.tractwise");
  g_autoptr(GFile) file = g_file_new_for_path (project);
  TwWindow *window = open_window (project);
  TwWindow *fresh;
  TwStartPage *page;
  guint n;
  int index;

  gtk_window_destroy (GTK_WINDOW (window));

  fresh = tw_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (fresh), 1000, 760);
  gtk_window_present (GTK_WINDOW (fresh));
  page = TW_START_PAGE (find_widget (GTK_WIDGET (fresh), TW_TYPE_START_PAGE, NULL, NULL));
  g_assert_nonnull (page);
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (page)));
  spin_while (no_recent, page);
  n = tw_start_page_get_n_recent (page);
  index = find_recent (page, file);
  g_assert_cmpint (index, >=, 0);
  wait_for_frames (GTK_WIDGET (fresh));
  image_free (render_window (GTK_WIDGET (fresh), "app-start-page.png"));

  /* Removed from the list (a toast offers to undo it). */
  tw_start_page_remove_recent (page, (guint) index);
  g_assert_cmpuint (tw_start_page_get_n_recent (page), ==, n - 1);
  g_assert_cmpint (find_recent (page, file), <, 0);
  gtk_window_destroy (GTK_WINDOW (fresh));
}

static gboolean
window_without_file (gpointer window)
{
  return tw_window_get_file (window) == NULL || tw_window_get_loading (window);
}

static void
test_demo_from_start_page (void)
{
  g_autofree char *path = tw_start_page_get_demo_path ();
  TwWindow *window;
  TwStartPage *page;

  /* The tests' XDG_DATA_HOME is their own folder. */
  g_assert_true (g_str_has_prefix (path, tmpdir));
  g_unlink (path);
  window = tw_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  page = TW_START_PAGE (find_widget (GTK_WIDGET (window), TW_TYPE_START_PAGE, NULL, NULL));
  tw_start_page_open_demo (page);
  spin_while (window_without_file, window);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (g_file_peek_path (tw_window_get_file (window)), ==, path);
  wait_for_map (window);
  g_assert_nonnull (tw_window_get_area_layer (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_dark_style (void)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  TwWindow *window;
  g_autoptr(Image) start = NULL;
  g_autoptr(Image) map = NULL;
  double light;

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (manager));

  window = tw_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 760);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frames (GTK_WIDGET (window));
  start = render_window (GTK_WIDGET (window), "app-dark-start.png");
  /* The bottom left corner is window background. */
  light = mean_lightness (start, 0, start->height - 40, 40, 40);
  g_test_message ("Dark window background lightness: %.0f", light);
  g_assert_cmpfloat (light, <, 80);
  gtk_window_destroy (GTK_WINDOW (window));

  ensure_demo ();
  window = open_window (demo_path);
  wait_for_map (window);
  wait_for_frames (GTK_WIDGET (window));
  map = render_window (GTK_WIDGET (window), "app-dark-map.png");
  /* The header bar is dark too. */
  light = mean_lightness (map, 300, 5, 200, 20);
  g_assert_cmpfloat (light, <, 80);
  gtk_window_destroy (GTK_WINDOW (window));

  adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
}

/* Whether the assistant has not yet said which geography it suggests, and why. */
static gboolean
no_geography_reason (gpointer dialog)
{
  return tw_import_dialog_get_geography_reason (dialog) == NULL;
}

/* Drops @table on @window and returns the geography suggested, its reason in @reason. */
static char *
suggested_geography (TwWindow    *window,
                     const char  *table,
                     char       **reason)
{
  TwImportDialog *dialog = drop (window, table, NULL);
  char *geography;

  spin_while (no_geography_reason, dialog);
  geography = g_strdup (tw_import_dialog_get_geography (dialog));
  *reason = g_strdup (tw_import_dialog_get_geography_reason (dialog));
  g_test_message ("Suggested %s: %s", geography, *reason);
  gtk_window_destroy (GTK_WINDOW (dialog));
  return geography;
}

static gboolean
geography_not_shown (gpointer window)
{
  TwAreaLayer *layer = tw_window_get_area_layer (window);

  return layer == NULL || tw_window_get_choropleth (window) == NULL
         || g_strcmp0 (tw_area_layer_get_geography_name (layer),
                       tw_map_session_get_geography (TW_WINDOW (window)->session)) != 0;
}

/* A table of Boston tracts dropped on a workspace that shows North Carolina's counties and
 * also holds Boston's: Boston is suggested, and the assistant says why; with Boston on the
 * map, Boston as the map's; a North Carolina table then suggests North Carolina. */
static void
test_import_suggests_geography (void)
{
  g_autofree char *boston_csv = g_build_filename (tmpdir, "boston-asthma.csv", NULL);
  g_autofree char *nc_csv = fixture ("outcomes", "nc-long.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("geoid,measure,period,stratum,numerator,denominator\n");
  g_autofree char *geography = NULL;
  g_autofree char *reason = NULL;
  TwWindow *window;
  TwAreaLayer *layer;

  ensure_demo ();
  window = open_window (demo_path);
  g_assert_cmpstr (tw_map_session_get_geography (window->session), ==,
                   "North Carolina counties");

  /* Boston's GEOIDs, as its data warehouse would export them. */
  tw_map_session_set_geography (window->session, "Boston tracts");
  spin_while (geography_not_shown, window);
  layer = tw_window_get_area_layer (window);
  for (guint area = 0; area < MIN (tw_area_layer_get_n_areas (layer), 30); area++)
    g_string_append_printf (csv, "%s,asthma_ed,2021,total,%u,%u\n",
                            tw_area_layer_get_geoid (layer, area), area % 7, 1200 + area);
  g_assert_true (g_file_set_contents (boston_csv, csv->str, -1, NULL));
  tw_map_session_set_geography (window->session, "North Carolina counties");
  spin_while (geography_not_shown, window);

  geography = suggested_geography (window, boston_csv, &reason);
  g_assert_cmpstr (geography, ==, "Boston tracts");
  g_assert_nonnull (strstr (reason, "20 of the first 20 GEOIDs are areas of “Boston tracts”"));
  g_assert_nonnull (strstr (reason, "0 of “North Carolina counties” (the map’s)"));
  g_clear_pointer (&geography, g_free);
  g_clear_pointer (&reason, g_free);

  tw_map_session_set_geography (window->session, "Boston tracts");
  spin_while (geography_not_shown, window);
  geography = suggested_geography (window, boston_csv, &reason);
  g_assert_cmpstr (geography, ==, "Boston tracts");
  g_assert_true (g_str_has_prefix (reason, "The map’s geography: 20 of the first 20"));
  g_clear_pointer (&geography, g_free);
  g_clear_pointer (&reason, g_free);

  geography = suggested_geography (window, nc_csv, &reason);
  g_assert_cmpstr (geography, ==, "North Carolina counties");
  g_assert_nonnull (strstr (reason, "areas of “North Carolina counties”, 0 of “Boston tracts”"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  app = window_test_setup (&argc, &argv, "app", &tmpdir, NULL);
  /* Built by the tests that need it, as the start page would. */
  demo_path = g_build_filename (tmpdir, "demo.tractwise", NULL);
  g_assert_nonnull (tw_application_get_settings (app));

  g_test_add_func ("/ui/app/drop-recognises-kind", test_drop_recognises_kind);
  g_test_add_func ("/ui/app/bad-table-lists-problems", test_bad_table_lists_problems);
  g_test_add_func ("/ui/app/good-table-imports", test_good_table_imports);
  g_test_add_func ("/ui/app/import-suggests-geography", test_import_suggests_geography);
  g_test_add_func ("/ui/app/keyboard-map", test_keyboard_map);
  g_test_add_func ("/ui/app/preferences-policy", test_preferences_policy);
  g_test_add_func ("/ui/app/recent-projects", test_recent_projects);
  g_test_add_func ("/ui/app/demo-from-start-page", test_demo_from_start_page);
  g_test_add_func ("/ui/app/dark-style", test_dark_style);

  return window_test_run (app, tmpdir, demo_path);
}
