/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window"

#include "config.h"
#include "tw-store-private.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "tw-application.h"
#include "tw-start-page.h"
#include "tw-store.h"
#include "tw-toast.h"
#include "tw-window.h"
#include "window-test-helpers.h"

#define GEOGRAPHY_NAME "Suffolk County tracts"
#define N_AREAS 204

static char *tmpdir;
static TwApplication *app;

/* Main loop helpers */

static gboolean
window_is_loading (gpointer window)
{
  return tw_window_get_loading (window);
}

/* Widget helpers */

static gboolean
group_has_title (GtkWidget     *widget,
                 gconstpointer  title)
{
  return g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)),
                    title) == 0;
}

static gboolean
is_visible (GtkWidget     *widget,
            gconstpointer  unused)
{
  return gtk_widget_get_visible (widget);
}

/* The list of the group titled @title: the visible one, since the group keeps a list of
 * its own, hidden while empty. */
static GtkListBox *
find_group_list (GtkWidget  *window,
                 const char *title)
{
  GtkWidget *group = find_widget (window, ADW_TYPE_PREFERENCES_GROUP, group_has_title, title);
  GtkWidget *list;

  g_assert_nonnull (group);
  list = find_widget (group, GTK_TYPE_LIST_BOX, is_visible, NULL);
  g_assert_nonnull (list);

  return GTK_LIST_BOX (list);
}

static GPtrArray *
list_rows (GtkListBox *list)
{
  GPtrArray *rows = g_ptr_array_new ();
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    if (gtk_widget_get_visible (GTK_WIDGET (row)))
      g_ptr_array_add (rows, row);

  return rows;
}

static gboolean
has_loading_page (GtkWidget     *stack,
                  gconstpointer  unused)
{
  return gtk_stack_get_child_by_name (GTK_STACK (stack), "loading") != NULL;
}

/* The stack of the window's pages: empty, loading, project. */
static GtkStack *
find_page_stack (TwWindow *window)
{
  GtkWidget *stack = find_widget (GTK_WIDGET (window), GTK_TYPE_STACK, has_loading_page, NULL);

  g_assert_nonnull (stack);
  return GTK_STACK (stack);
}

static AdwMessageDialog *
find_message_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window)
          && gtk_window_get_transient_for (window) == parent)
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

/* Pixels */

static int
luminance (guint32 rgb)
{
  return (int) (((rgb >> 16) & 0xff) * 299 + ((rgb >> 8) & 0xff) * 587 + (rgb & 0xff) * 114)
         / 1000;
}

/* Counts the pixels inside @widget's area, clipped to the picture, whose luminance is
 * below @threshold: the dark pixels of text on Adwaita's light surfaces. */
static int
count_dark_pixels (const Image *image,
                   GtkWidget   *window,
                   GtkWidget   *widget,
                   int          threshold)
{
  graphene_rect_t rect;
  int x0, y0, x1, y1;
  int count = 0;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &rect));
  x0 = MAX (0, (int) rect.origin.x);
  y0 = MAX (0, (int) rect.origin.y);
  x1 = MIN (image->width, (int) (rect.origin.x + rect.size.width));
  y1 = MIN (image->height, (int) (rect.origin.y + rect.size.height));
  g_assert_cmpint (x1 - x0, >, 0);
  g_assert_cmpint (y1 - y0, >, 0);

  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      if (luminance (pixel (image, x, y)) < threshold)
        count++;

  return count;
}

/* Fixtures: project files made through the store, as an import would leave them */

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static sqlite3_stmt *
prepare (TwStore    *store,
         const char *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = tw_store_prepare (store, sql, &error);

  g_assert_no_error (error);
  return stmt;
}

static void
step_done (sqlite3_stmt *stmt)
{
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
}

static char *
create_project_with (const char *name,
                     const char *geography_name)
{
  static const char *periods[] = { "2019", "2020", "2021", "2022", "2023" };
  static const char *strata[] = { "all", "black", "hispanic", "white" };
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  sqlite3_stmt *stmt;
  gint64 geography_id, measure_id;

  store = tw_store_create (path, &error);
  g_assert_no_error (error);
  g_assert_true (tw_store_begin (store, &error));

  stmt = prepare (store, "INSERT INTO geography (name, level, vintage) VALUES (?, ?, ?)");
  sqlite3_bind_text (stmt, 1, geography_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, "tract", -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 3, 2020);
  step_done (stmt);
  geography_id = sqlite3_last_insert_rowid (tw_store_get_db (store));

  stmt = prepare (store,
                  "INSERT INTO area (geography_id, geoid, name, geom, min_lon, min_lat, "
                  "max_lon, max_lat) VALUES (?, ?, ?, zeroblob (21), ?, ?, ?, ?)");
  for (int i = 0; i < N_AREAS; i++)
    {
      g_autofree char *geoid = g_strdup_printf ("25025%06d", 100 + i);
      g_autofree char *area_name = g_strdup_printf ("Census Tract %d", 100 + i);
      double lon = -71.1 + (i % 17) * 0.01, lat = 42.3 + (i / 17) * 0.01;

      sqlite3_bind_int64 (stmt, 1, geography_id);
      sqlite3_bind_text (stmt, 2, geoid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, area_name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_double (stmt, 4, lon);
      sqlite3_bind_double (stmt, 5, lat);
      sqlite3_bind_double (stmt, 6, lon + 0.01);
      sqlite3_bind_double (stmt, 7, lat + 0.01);
      step_done (stmt);
    }

  stmt = prepare (store, "INSERT INTO measure (code, label, kind, multiplier) "
                         "VALUES (?, ?, ?, ?)");
  sqlite3_bind_text (stmt, 1, "asthma_ed", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, "Asthma emergency visits", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, "rate", -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 4, 100000);
  step_done (stmt);
  measure_id = sqlite3_last_insert_rowid (tw_store_get_db (store));

  sqlite3_bind_text (stmt, 1, "lbw", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, "Low birth weight", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, "proportion", -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 4, 100);
  step_done (stmt);

  stmt = prepare (store, "INSERT INTO outcome (measure_id, area_id, period, stratum, "
                         "numerator, denominator) "
                         "SELECT ?, id, ?, ?, 12, 4000 FROM area WHERE geography_id = ?");
  for (guint p = 0; p < G_N_ELEMENTS (periods); p++)
    for (guint s = 0; s < G_N_ELEMENTS (strata); s++)
      {
        sqlite3_bind_int64 (stmt, 1, measure_id);
        sqlite3_bind_text (stmt, 2, periods[p], -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 3, strata[s], -1, SQLITE_STATIC);
        sqlite3_bind_int64 (stmt, 4, geography_id);
        step_done (stmt);
      }

  g_assert_true (tw_store_commit (store, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

static char *
create_project (const char *name)
{
  return create_project_with (name, GEOGRAPHY_NAME);
}

/* A SQLite file marked as a Tractwise project of the next schema version. */
static char *
create_newer_project (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "from-the-future.tractwise", NULL);
  g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d;"
                                          "PRAGMA user_version = %d;"
                                          "CREATE TABLE future (x);",
                                          TW_STORE_APPLICATION_ID,
                                          TW_STORE_SCHEMA_VERSION + 1);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_sql (db, sql);
  sqlite3_close (db);

  return g_steal_pointer (&path);
}

static TwWindow *
open_window (const char *path)
{
  TwWindow *window = tw_window_new (app);
  g_autoptr(GFile) file = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 960, 720);
  gtk_window_present (GTK_WINDOW (window));

  if (path != NULL)
    {
      file = g_file_new_for_path (path);
      tw_window_open (window, file);
      g_assert_true (tw_window_get_loading (window));
      /* Not "Open a Workspace" while one is being opened. */
      g_assert_cmpstr (gtk_stack_get_visible_child_name (find_page_stack (window)), ==,
                       "loading");
      spin_while (window_is_loading, window);
    }

  wait_for_frames (GTK_WIDGET (window));

  return window;
}

/* Tests */

static void
test_empty_window (void)
{
  TwWindow *window = open_window (NULL);
  GtkWidget *status = find_widget (GTK_WIDGET (window), TW_TYPE_START_PAGE, NULL, NULL);
  g_autoptr(Image) image = NULL;

  g_assert_null (tw_window_get_file (window));
  g_assert_nonnull (status);
  g_assert_true (gtk_widget_get_mapped (status));

  /* The page invites the user to open something: its title and button are drawn. */
  image = render_window (GTK_WIDGET (window), "window-empty.png");
  g_assert_cmpint (count_dark_pixels (image, GTK_WIDGET (window), status, 128), >, 200);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_project_summary (void)
{
  g_autofree char *path = create_project ("boston.tractwise");
  TwWindow *window = open_window (path);
  GtkWidget *title = find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_TITLE, NULL, NULL);
  GtkListBox *geographies = find_group_list (GTK_WIDGET (window), "Geographies");
  GtkListBox *measures = find_group_list (GTK_WIDGET (window), "Measures");
  GtkWidget *status = find_widget (GTK_WIDGET (window), TW_TYPE_START_PAGE, NULL, NULL);
  g_autoptr(GPtrArray) geography_rows = list_rows (geographies);
  g_autoptr(GPtrArray) measure_rows = list_rows (measures);
  g_autoptr(GFile) expected = g_file_new_for_path (path);
  g_autoptr(Image) image = NULL;
  AdwActionRow *row;
  int background_dark, title_dark, geographies_dark, measures_dark;

  /* The window says which file it shows, in the header (where the page switcher leaves
   * room for it) and its title. */
  g_assert_true (g_file_equal (tw_window_get_file (window), expected));
  g_assert_cmpstr (adw_view_switcher_title_get_title (ADW_VIEW_SWITCHER_TITLE (title)), ==,
                   "boston.tractwise");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "boston.tractwise");
  g_assert_false (gtk_widget_get_mapped (status));

  /* One geography: its name, level, vintage and number of areas. */
  g_assert_cmpuint (geography_rows->len, ==, 1);
  row = g_ptr_array_index (geography_rows, 0);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (row)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   GEOGRAPHY_NAME);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "tract · 2020 · 204 areas");

  /* Two measures, in the store's order (by code): their kind, periods and groups. */
  g_assert_cmpuint (measure_rows->len, ==, 2);
  row = g_ptr_array_index (measure_rows, 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Asthma emergency visits");
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                   "asthma_ed · rate per 100,000 · periods 2019–2023 · "
                   "groups all, black, hispanic, white");
  row = g_ptr_array_index (measure_rows, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Low birth weight");
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                   "lbw · proportion per 100 · no outcomes yet");

  /* What the user sees: the header title and both lists carry text, and the page
   * around the lists is plain background. */
  image = render_window (GTK_WIDGET (window), "window-project.png");
  title_dark = count_dark_pixels (image, GTK_WIDGET (window), title, 128);
  geographies_dark = count_dark_pixels (image, GTK_WIDGET (window),
                                        GTK_WIDGET (geographies), 128);
  measures_dark = count_dark_pixels (image, GTK_WIDGET (window), GTK_WIDGET (measures), 128);
  g_test_message ("dark pixels: title %d, geographies %d, measures %d",
                  title_dark, geographies_dark, measures_dark);
  g_assert_cmpint (title_dark, >, 100);
  g_assert_cmpint (geographies_dark, >, 100);
  g_assert_cmpint (measures_dark, >, 2 * 100);

  /* A strip of the page left of the lists: background only, no stray drawing. */
  {
    graphene_rect_t list_rect;
    int x, y0, y1;

    g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (geographies), GTK_WIDGET (window),
                                              &list_rect));
    g_assert_cmpfloat (list_rect.origin.x, >, 20);
    x = (int) list_rect.origin.x / 2;
    y0 = (int) list_rect.origin.y;
    y1 = (int) (list_rect.origin.y + list_rect.size.height);
    background_dark = 0;
    for (int y = y0; y < y1; y++)
      if (luminance (pixel (image, x, y)) < 128)
        background_dark++;
    g_assert_cmpint (background_dark, ==, 0);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_error_keeps_project (void)
{
  g_autofree char *project = create_project ("kept.tractwise");
  g_autofree char *garbage = g_build_filename (tmpdir, "garbage.tractwise", NULL);
  g_autoptr(GFile) garbage_file = g_file_new_for_path (garbage);
  g_autoptr(GFile) project_file = g_file_new_for_path (project);
  g_autoptr(GError) error = NULL;
  TwWindow *window = open_window (project);
  AdwMessageDialog *dialog;
  guchar bytes[4096];

  for (gsize i = 0; i < sizeof bytes; i++)
    bytes[i] = (guchar) g_test_rand_int_range (0, 256);
  g_assert_true (g_file_set_contents (garbage, (const char *) bytes, sizeof bytes, &error));
  g_assert_no_error (error);

  tw_window_open (window, garbage_file);
  spin_while (window_is_loading, window);

  dialog = find_message_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_assert_true (strstr (adw_message_dialog_get_heading (dialog), "garbage.tractwise"));
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), !=, "");

  /* The project shown before is still there. */
  g_assert_true (g_file_equal (tw_window_get_file (window), project_file));
  g_assert_cmpuint (list_rows (find_group_list (GTK_WIDGET (window), "Geographies"))->len,
                    ==, 1);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_error_newer_project (void)
{
  g_autofree char *path = create_newer_project ();
  g_autofree char *before = NULL, *after = NULL;
  gsize before_len, after_len;
  TwWindow *window;
  AdwMessageDialog *dialog;
  g_autoptr(Image) image = NULL;

  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));

  window = open_window (path);
  dialog = find_message_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_test_message ("%s: %s", adw_message_dialog_get_heading (dialog),
                  adw_message_dialog_get_body (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                   "Workspace Made by a Newer Tractwise");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), !=, "");
  g_assert_null (tw_window_get_file (window));

  /* The dialog is drawn with its message. */
  wait_for_frames (GTK_WIDGET (dialog));
  image = render_window (GTK_WIDGET (dialog), "window-error.png");
  g_assert_cmpint (count_dark_pixels (image, GTK_WIDGET (dialog), GTK_WIDGET (dialog), 128),
                   >, 200);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));

  /* Looking at a file never changes it. */
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
}

static void
test_error_missing_file (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "nowhere.tractwise", NULL);
  TwWindow *window = open_window (path);
  AdwMessageDialog *dialog = find_message_dialog (GTK_WINDOW (window));

  g_assert_nonnull (dialog);
  g_assert_true (strstr (adw_message_dialog_get_heading (dialog), "nowhere.tractwise"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_null (tw_window_get_file (window));
  /* Back to inviting the user to open a project. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (find_page_stack (window)), ==, "empty");

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
label_starts_with (GtkWidget     *label,
                   gconstpointer  prefix)
{
  return g_str_has_prefix (gtk_label_get_text (GTK_LABEL (label)), prefix);
}

static void
test_empty_project (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "empty.tractwise", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) geography_rows = NULL;
  g_autoptr(GPtrArray) measure_rows = NULL;
  TwWindow *window;
  GtkListBox *geographies, *measures;
  GtkWidget *hint;

  tw_store_close (tw_store_create (path, &error));
  g_assert_no_error (error);

  window = open_window (path);
  geographies = find_group_list (GTK_WIDGET (window), "Geographies");
  measures = find_group_list (GTK_WIDGET (window), "Measures");
  geography_rows = list_rows (geographies);
  measure_rows = list_rows (measures);
  g_assert_cmpuint (geography_rows->len, ==, 0);
  g_assert_cmpuint (measure_rows->len, ==, 0);

  /* Empty lists say how to fill them rather than showing nothing. */
  hint = find_widget (GTK_WIDGET (geographies), GTK_TYPE_LABEL, label_starts_with,
                      "No areas yet");
  g_assert_nonnull (hint);
  g_assert_true (gtk_widget_get_mapped (hint));
  hint = find_widget (GTK_WIDGET (measures), GTK_TYPE_LABEL, label_starts_with,
                      "No outcomes yet");
  g_assert_nonnull (hint);
  g_assert_true (gtk_widget_get_mapped (hint));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Names come from other people's files: markup characters are shown as they are, and
 * bytes that are not UTF-8 neither reach GTK nor hide the rest of the name. */
static void
test_untrusted_text (void)
{
  g_autofree char *path = create_project_with ("caf\xe9 <i>.tractwise",
                                               "Tracts <b>&amp; \xff\xfe 1970");
  TwWindow *window = open_window (path);
  GtkListBox *geographies = find_group_list (GTK_WIDGET (window), "Geographies");
  g_autoptr(GPtrArray) rows = list_rows (geographies);
  const char *title;

  g_assert_cmpuint (rows->len, ==, 1);
  title = adw_preferences_row_get_title (g_ptr_array_index (rows, 0));
  g_assert_true (g_utf8_validate (title, -1, NULL));
  g_assert_true (g_str_has_prefix (title, "Tracts <b>&amp; "));
  g_assert_true (g_str_has_suffix (title, " 1970"));

  title = gtk_window_get_title (GTK_WINDOW (window));
  g_assert_true (g_utf8_validate (title, -1, NULL));
  g_assert_true (g_str_has_suffix (title, " <i>.tractwise"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Toasts name partners, projects and files: "Boys & Girls Club" reads as typed. */
static void
test_toast_text (void)
{
  const char *name = "Deleted \u201cBoys & Girls <Club>\u201d";
  g_autoptr(AdwToast) toast = g_object_ref_sink (tw_toast_new_plain (name));
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (pango_parse_markup (adw_toast_get_title (toast), -1, 0, NULL, &text, NULL,
                                     &error));
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, name);
}

static void
test_application_opens_file (void)
{
  g_autofree char *path = create_project ("from-command-line.tractwise");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GList *windows;
  TwWindow *window;

  /* What `tractwise FILE.tractwise` does once the application runs. */
  g_application_open (G_APPLICATION (app), &file, 1, "");

  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_assert_nonnull (windows);
  g_assert_true (TW_IS_WINDOW (windows->data));
  window = TW_WINDOW (windows->data);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  spin_while (window_is_loading, window);

  g_assert_true (g_file_equal (tw_window_get_file (window), file));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==,
                   "from-command-line.tractwise");

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWindow *
find_file_chooser (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (window) && gtk_window_get_transient_for (window) == parent
          && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
no_file_chooser (gpointer parent)
{
  return find_file_chooser (parent) == NULL;
}

static void
test_open_action (void)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                "win.open");
  TwWindow *window = open_window (NULL);
  GtkFileFilter *filter;
  GtkWindow *chooser;

  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>o"));

  /* Open… asks for a workspace file, offering workspaces (and share packages) first. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open", NULL));
  spin_while (no_file_chooser, window);
  chooser = find_file_chooser (GTK_WINDOW (window));
  g_assert_nonnull (chooser);
  g_assert_true (gtk_window_get_modal (chooser));
  filter = gtk_file_chooser_get_filter (GTK_FILE_CHOOSER (chooser));
  g_assert_nonnull (filter);
  g_assert_cmpstr (gtk_file_filter_get_name (filter), ==,
                   "Tractwise Workspaces and Share Packages");

  /* Cancelling leaves the window as it was. */
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  g_assert_true (no_file_chooser (window));
  g_assert_null (tw_window_get_file (window));
  g_assert_false (tw_window_get_loading (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The last map */

static const char *map_pickers[] = {
  "geography", "measure", "period", "group", "method", "classes", "palette"
};

static char *
picker_text (TwWindow   *window,
             const char *name)
{
  GtkDropDown *dropdown = tw_window_get_picker (window, name);
  g_autoptr(GtkStringObject) item = g_list_model_get_item (gtk_drop_down_get_model (dropdown),
                                                           gtk_drop_down_get_selected (dropdown));

  return g_strdup (item != NULL ? gtk_string_object_get_string (item) : "");
}

/* Picks an item of @name other than the one shown: the second, or the first. */
static void
change_picker (TwWindow   *window,
               const char *name)
{
  GtkDropDown *dropdown = tw_window_get_picker (window, name);

  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)), >, 1);
  gtk_drop_down_set_selected (dropdown, gtk_drop_down_get_selected (dropdown) == 0 ? 1 : 0);
  wait_for_map (window);
}

/* The colour drawn inside each area of the map (0xRRGGBB), or G_MAXUINT32 where no
 * point well inside it is in view. */
static GArray *
area_colours (TwWindow    *window,
              const Image *image)
{
  guint n = tw_area_layer_get_n_areas (tw_window_get_area_layer (window));
  GArray *colours = g_array_sized_new (FALSE, FALSE, sizeof (guint32), n);

  for (guint area = 0; area < n; area++)
    {
      guint32 colour = G_MAXUINT32;
      double x, y;

      if (inner_point (window, area, &x, &y))
        colour = pixel (image, (int) x, (int) y);
      g_array_append_val (colours, colour);
    }
  return colours;
}

static gboolean
window_alive (gpointer location)
{
  return *(gpointer *) location != NULL;
}

static void
close_window (TwWindow *window)
{
  gpointer alive = window;

  g_object_add_weak_pointer (G_OBJECT (window), &alive);
  gtk_window_close (GTK_WINDOW (window));
  spin_while (window_alive, &alive);
}

/* The share of the map's pixels that differ between two pictures of the same window size. */
static double
map_difference (TwWindow    *window,
                const Image *a,
                const Image *b)
{
  graphene_rect_t bounds;
  guint differ = 0, total = 0;

  g_assert_true (gtk_widget_compute_bounds (map_widget (window), GTK_WIDGET (window), &bounds));
  g_assert_cmpint (a->width, ==, b->width);
  g_assert_cmpint (a->height, ==, b->height);
  for (int y = (int) bounds.origin.y; y < (int) (bounds.origin.y + bounds.size.height); y += 2)
    for (int x = (int) bounds.origin.x; x < (int) (bounds.origin.x + bounds.size.width); x += 2)
      {
        total++;
        if (color_distance (pixel (a, x, y), pixel (b, x, y)) > 8)
          differ++;
      }
  g_assert_cmpuint (total, >, 10000);
  return (double) differ / total;
}

/* Whether fewer than 50 areas have a point inside the map's view. */
static gboolean
areas_not_in_view (gpointer data)
{
  TwWindow *window = data;
  guint n = tw_area_layer_get_n_areas (tw_window_get_area_layer (window));
  guint in_view = 0;

  for (guint area = 0; area < n && in_view < 50; area++)
    {
      double x, y;

      in_view += inner_point (window, area, &x, &y);
    }
  return in_view < 50;
}

/* What the first frame drawn with areas on the map showed: their geography, and where the
 * corners of their extent were in the map (widget coordinates). */
typedef struct
{
  TwWindow *window;
  char     *geography;
  double    left, top, right, bottom;
  int       width, height;
} FirstFrame;

static void
on_after_paint (GdkFrameClock *clock,
                FirstFrame    *first)
{
  TwAreaLayer *layer = tw_window_get_area_layer (first->window);
  ShumateViewport *viewport = shumate_simple_map_get_viewport (tw_window_get_map (first->window));
  GtkWidget *map = map_widget (first->window);
  TwBox extent;
  double lon, lat;

  if (first->geography != NULL || layer == NULL || !gtk_widget_get_mapped (map))
    return;
  first->geography = g_strdup (tw_area_layer_get_geography_name (layer));
  tw_geometry_set_get_extent (tw_area_layer_get_geometry (layer), &extent);
  tw_world_to_lonlat (extent.min_x, extent.min_y, &lon, &lat);
  shumate_viewport_location_to_widget_coords (viewport, map, lat, lon, &first->left, &first->top);
  tw_world_to_lonlat (extent.max_x, extent.max_y, &lon, &lat);
  shumate_viewport_location_to_widget_coords (viewport, map, lat, lon, &first->right,
                                              &first->bottom);
  first->width = gtk_widget_get_width (map);
  first->height = gtk_widget_get_height (map);
}

/* Opened again, a workspace shows the map it showed when its window closed: every picker
 * as it was left and the same colours; another workspace starts from its own first map. */
static void
test_last_map (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "last-map", NULL);
  g_autofree char *path = NULL;
  g_autofree char *other = g_build_filename (dir, "other.tractwise", NULL);
  g_autofree char *first_geography = NULL;
  char *left[G_N_ELEMENTS (map_pickers)] = { NULL, };
  g_autofree char *fresh_palette = NULL;
  g_autoptr(Image) before = NULL;
  g_autoptr(Image) after = NULL;
  g_autoptr(Image) first = NULL;
  g_autoptr(GArray) colours_before = NULL;
  g_autoptr(GArray) colours_after = NULL;
  guint compared = 0, same = 0;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  TwWindow *window;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  path = make_demo (dir);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_true (g_file_set_contents (other, contents, (gssize) length, &error));

  window = open_project_window (app, path, 1024, 700);
  first_geography = picker_text (window, "geography");
  fresh_palette = picker_text (window, "palette");
  first = render_window (GTK_WIDGET (window), "window-last-map-first.png");
  for (guint i = 0; i < G_N_ELEMENTS (map_pickers); i++)
    if (g_strcmp0 (map_pickers[i], "method") != 0)
      change_picker (window, map_pickers[i]);
  for (guint i = 0; i < G_N_ELEMENTS (map_pickers); i++)
    {
      left[i] = picker_text (window, map_pickers[i]);
      g_test_message ("%s: %s", map_pickers[i], left[i]);
    }
  g_assert_cmpstr (left[0], !=, first_geography);
  before = render_window (GTK_WIDGET (window), "window-last-map-before.png");
  /* The change is one the pictures can see. */
  g_assert_cmpfloat (map_difference (window, first, before), >, 0.05);
  colours_before = area_colours (window, before);
  close_window (window);

  /* The first frame with areas already shows the restored ones, fitted: no moment of the
   * first geography, nor of the view before the fit. */
  {
    g_autoptr(GFile) file = g_file_new_for_path (path);
    FirstFrame frame = { NULL, };
    GdkFrameClock *clock;
    gulong handler;

    frame.window = window = tw_window_new (app);
    gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
    gtk_window_present (GTK_WINDOW (window));
    clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
    handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &frame);
    tw_window_open (window, file);
    wait_for_map (window);
    g_signal_handler_disconnect (clock, handler);
    g_test_message ("first frame: %s, extent %.0f,%.0f to %.0f,%.0f in a map of %d×%d",
                    frame.geography, frame.left, frame.top, frame.right, frame.bottom,
                    frame.width, frame.height);
    g_assert_cmpstr (frame.geography, ==, left[0]);
    /* Inside the map, and as wide or as high as most of it. */
    g_assert_cmpfloat (MIN (frame.left, frame.right), >=, -1);
    g_assert_cmpfloat (MAX (frame.left, frame.right), <=, frame.width + 1);
    g_assert_cmpfloat (MIN (frame.top, frame.bottom), >=, -1);
    g_assert_cmpfloat (MAX (frame.top, frame.bottom), <=, frame.height + 1);
    g_assert_cmpfloat (MAX (fabs (frame.right - frame.left) / frame.width,
                            fabs (frame.bottom - frame.top) / frame.height), >=, 0.6);
    g_free (frame.geography);
  }
  for (guint i = 0; i < G_N_ELEMENTS (map_pickers); i++)
    {
      g_autofree char *text = picker_text (window, map_pickers[i]);

      g_assert_cmpstr (text, ==, left[i]);
    }
  /* Every area in the same colour (the view may be fitted a few pixels apart, and a
   * loaded machine may draw the restored map a frame before it is fitted to it). */
  spin_while (areas_not_in_view, window);
  wait_for_frames (GTK_WIDGET (window));
  after = render_window (GTK_WIDGET (window), "window-last-map-after.png");
  colours_after = area_colours (window, after);
  g_assert_cmpuint (colours_after->len, ==, colours_before->len);
  for (guint area = 0; area < colours_before->len; area++)
    {
      guint32 a = g_array_index (colours_before, guint32, area);
      guint32 b = g_array_index (colours_after, guint32, area);

      if (a == G_MAXUINT32 || b == G_MAXUINT32)
        continue;
      compared++;
      same += color_distance (a, b) <= 8;
    }
  g_test_message ("%u of %u areas in the same colour", same, compared);
  g_assert_cmpuint (compared, >, 50);
  g_assert_cmpuint (same, >=, compared * 98 / 100);
  close_window (window);

  /* Remembered for that workspace only. */
  window = open_project_window (app, other, 1024, 700);
  {
    g_autofree char *geography = picker_text (window, "geography");
    g_autofree char *palette = picker_text (window, "palette");

    g_assert_cmpstr (geography, ==, first_geography);
    g_assert_cmpstr (palette, ==, fresh_palette);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  for (guint i = 0; i < G_N_ELEMENTS (map_pickers); i++)
    g_free (left[i]);
}

int
main (int   argc,
      char *argv[])
{
  app = window_test_setup (&argc, &argv, "window", &tmpdir, NULL);

  g_test_add_func ("/ui/window/empty", test_empty_window);
  g_test_add_func ("/ui/window/project-summary", test_project_summary);
  g_test_add_func ("/ui/window/error-keeps-project", test_error_keeps_project);
  g_test_add_func ("/ui/window/error-newer-project", test_error_newer_project);
  g_test_add_func ("/ui/window/error-missing-file", test_error_missing_file);
  g_test_add_func ("/ui/window/open-action", test_open_action);
  g_test_add_func ("/ui/window/empty-project", test_empty_project);
  g_test_add_func ("/ui/window/untrusted-text", test_untrusted_text);
  g_test_add_func ("/ui/window/toast-text", test_toast_text);
  g_test_add_func ("/ui/window/last-map", test_last_map);
  g_test_add_func ("/ui/application/open-file", test_application_opens_file);

  return window_test_run (app, tmpdir, NULL);
}
