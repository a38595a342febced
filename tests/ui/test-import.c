/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-import"

#include <string.h>
#include <glib/gstdio.h>

#include "tw-application.h"
#include "tw-area-import.h"
#include "tw-area-layer.h"
#include "tw-format.h"
#include "tw-import-dialog.h"
#include "tw-store-catalog.h"
#include "tw-store-crosswalk.h"
#include "tw-window.h"
#include "tw-window-private.h"
#include "window-test-helpers.h"

/* The import assistant's conversions: a table of one geography's GEOIDs converted to
 * another's through a relationship file, its figures shown before anything is written. */

#define N_TRACTS 30

static char *tmpdir;
static TwApplication *app;

static gboolean
window_is_loading (gpointer window)
{
  return tw_window_get_loading (window) || tw_window_get_file (window) == NULL;
}

static gboolean
dialog_busy (gpointer dialog)
{
  const char *page = tw_import_dialog_get_page (dialog);

  return g_strcmp0 (page, "reading") == 0 || g_strcmp0 (page, "checking") == 0;
}

static gboolean
no_offer (gpointer dialog)
{
  const char *offer = tw_import_dialog_get_conversion_offer (dialog);

  return tw_import_dialog_get_geography_reason (dialog) == NULL || offer == NULL
         || strstr (offer, "The map shows") == NULL;
}

static gboolean
no_message (gpointer message)
{
  return *(char **) message == NULL;
}

static void
on_imported (TwImportDialog  *dialog,
             const char      *text,
             char           **message)
{
  *message = g_strdup (text);
}

static gboolean
asthma_not_shown (gpointer window)
{
  TwAreaLayer *layer = tw_window_get_area_layer (window);

  return tw_window_get_loading (window) || layer == NULL
         || tw_window_get_choropleth (window) == NULL
         || g_strcmp0 (tw_area_layer_get_geography_name (layer), "Boston 2020") != 0
         || g_strcmp0 (tw_map_session_get_measure (TW_WINDOW (window)->session),
                       "asthma_ed") != 0;
}

static gboolean
asthma_2010_not_shown (gpointer window)
{
  TwAreaLayer *layer = tw_window_get_area_layer (window);

  return tw_window_get_loading (window) || layer == NULL
         || tw_window_get_choropleth (window) == NULL
         || g_strcmp0 (tw_area_layer_get_geography_name (layer), "Boston 2010") != 0;
}

typedef struct
{
  TwWindow   *window;
  const char *text;
} Details;

static gboolean
details_lack (gpointer data)
{
  Details *details = data;
  g_autofree char *text = tw_window_get_details_text (details->window);

  return text == NULL || strstr (text, details->text) == NULL;
}

typedef struct
{
  TwWindow   *window;
  const char *geoid;
  const char *badge;
} Badge;

static gboolean
is_shown_badge (GtkWidget     *widget,
                gconstpointer  data)
{
  return has_css_class (widget, "area-origin") && gtk_widget_get_mapped (widget);
}

/* The badge in the table's row of @geoid, or NULL while that row is not drawn. */
static const char *
badge_of (TwWindow   *window,
          const char *geoid)
{
  GtkWidget *view = GTK_WIDGET (tw_window_get_table (window));
  GtkWidget *cell = find_widget (view, GTK_TYPE_LABEL, label_says, geoid);
  GtkWidget *badge;

  if (cell == NULL)
    return NULL;
  /* label → its cell → the row */
  badge = find_widget (gtk_widget_get_parent (gtk_widget_get_parent (cell)), GTK_TYPE_LABEL,
                       has_css_class, "area-origin");
  return badge != NULL && gtk_widget_get_visible (badge)
         ? gtk_label_get_text (GTK_LABEL (badge)) : NULL;
}

static gboolean
badge_lacks (gpointer data)
{
  Badge *badge = data;

  return g_strcmp0 (badge_of (badge->window, badge->geoid), badge->badge) != 0;
}

/* The details card of the area @geoid, once it says @expected. */
static char *
card_of (TwWindow   *window,
         const char *geoid,
         const char *expected)
{
  int area = tw_area_layer_find_geoid (tw_window_get_area_layer (window), geoid);
  Details details = { window, expected };

  g_assert_cmpint (area, >=, 0);
  tw_map_session_set_selected_area (window->session, area);
  spin_while (details_lack, &details);
  return tw_window_get_details_text (window);
}

static GBytes *
read_bytes (const char *path)
{
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return g_bytes_new (NULL, 0);
  return g_bytes_new_take (contents, length);
}

static void
import_areas (TwStore    *store,
              const char *source,
              const char *id_field,
              const char *geography)
{
  TwAreaImportOptions options = { .id_field = id_field, .level = "tract",
                                  .geography = geography };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaImportResult) result = NULL;

  result = tw_area_import (store, source, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->imported, ==, 506);
}

/* A workspace holding Boston's tracts twice: as "Boston 2010" under their GEOIDs, and as
 * "Boston 2020" recoded ("0001" → "20001"), as a redraw's relationship file would have
 * them. */
static char *
make_workspace (const char *name)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *gpkg = g_build_filename (g_getenv ("TW_FIXTURES"), "areas",
                                            "boston_tracts.gpkg", NULL);
  g_autofree char *recoded = g_strconcat (path, "-2020.geojson", NULL);
  const char *argv[] = { "ogr2ogr", "-f", "GeoJSON", recoded, gpkg, "-dialect", "SQLite",
                         "-sql", "SELECT geom, '2' || GEOID20 AS GEOID FROM boston_tracts",
                         NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  int status = -1;

  g_unlink (path);
  g_unlink (recoded);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  store = tw_store_create (path, &error);
  g_assert_no_error (error);
  import_areas (store, gpkg, "GEOID20", "Boston 2010");
  import_areas (store, recoded, "GEOID", "Boston 2020");
  return g_steal_pointer (&path);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* The GEOIDs of @geography, sorted. */
static GPtrArray *
list_geoids (const char *path,
             const char *geography)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = tw_store_open (path, &error);
  g_autoptr(GHashTable) geoids = NULL;
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer geoid;

  g_assert_no_error (error);
  geoids = tw_store_map_geoids (store, tw_store_resolve_geography (store, geography, NULL),
                                &error);
  g_assert_no_error (error);
  g_hash_table_iter_init (&iter, geoids);
  while (g_hash_table_iter_next (&iter, &geoid, NULL))
    g_ptr_array_add (list, g_strdup (geoid));
  g_ptr_array_sort (list, compare_strings);
  return list;
}

/* The first tract is split between its 2020 namesake (60%) and the second's (40%), which
 * also takes all of the second, so it is merged; every other tract is recoded whole. */
static char *
make_pairs (GPtrArray *geoids)
{
  g_autofree char *path = g_build_filename (tmpdir, "boston-pairs.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("from,to,weight\n");
  const char *first = g_ptr_array_index (geoids, 0), *second = g_ptr_array_index (geoids, 1);

  g_string_append_printf (csv, "%s,2%s,0.6\n%s,2%s,0.4\n%s,2%s,1\n", first, first, first,
                          second, second, second);
  for (guint i = 2; i < geoids->len; i++)
    g_string_append_printf (csv, "%s,2%s,1\n", (char *) g_ptr_array_index (geoids, i),
                            (char *) g_ptr_array_index (geoids, i));
  g_assert_true (g_file_set_contents (path, csv->str, -1, NULL));
  return g_steal_pointer (&path);
}

/* Asthma visits in the first N_TRACTS tracts; the second has 3, fewer than the policy's
 * 11. */
static char *
make_table (GPtrArray *geoids,
            double    *total)
{
  g_autofree char *path = g_build_filename (tmpdir, "asthma-2010.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("geoid,measure,period,numerator,denominator\n");

  *total = 0;
  for (guint i = 0; i < N_TRACTS; i++)
    {
      guint count = i == 1 ? 3 : 20 + i;

      g_string_append_printf (csv, "%s,asthma_ed,2021,%u,%u\n",
                              (char *) g_ptr_array_index (geoids, i), count, 1500 + 10 * i);
      *total += count;
    }
  g_assert_true (g_file_set_contents (path, csv->str, -1, NULL));
  return g_steal_pointer (&path);
}

typedef struct
{
  GHashTable *areas;   /* area id set of the geography summed */
  double      total;
  guint       rows;
} Sum;

static void
add_row (const TwOutcomeRow *row,
         gpointer            user_data)
{
  Sum *sum = user_data;

  if (g_hash_table_contains (sum->areas, GSIZE_TO_POINTER ((gsize) row->area_id)))
    {
      sum->total += row->numerator;
      sum->rows++;
    }
}

/* The asthma counts stored on @geography, and how many rows. */
static double
stored_total_of (const char *path,
                 const char *measure_code,
                 const char *geography,
                 guint      *rows)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = tw_store_open (path, &error);
  g_autoptr(GHashTable) geoids = NULL;
  g_autoptr(GHashTable) areas = g_hash_table_new (g_direct_hash, g_direct_equal);
  TwMeasureInfo *measure = NULL;
  Sum sum = { areas, 0, 0 };
  GHashTableIter iter;
  gpointer id;

  g_assert_no_error (error);
  g_assert_true (tw_store_find_measure (store, measure_code, &measure, &error));
  g_assert_no_error (error);
  *rows = 0;
  if (measure == NULL)
    return 0;
  geoids = tw_store_map_geoids (store, tw_store_resolve_geography (store, geography, NULL),
                                &error);
  g_assert_no_error (error);
  g_hash_table_iter_init (&iter, geoids);
  while (g_hash_table_iter_next (&iter, NULL, &id))
    g_hash_table_add (areas, id);
  g_assert_true (tw_store_foreach_measure_outcome (store, measure->id, add_row, &sum, NULL,
                                                   &error));
  g_assert_no_error (error);
  tw_measure_info_free (measure);
  *rows = sum.rows;
  return sum.total;
}

static double
stored_total (const char *path,
              const char *geography,
              guint      *rows)
{
  return stored_total_of (path, "asthma_ed", geography, rows);
}

static TwImportDialog *
drop (TwWindow   *window,
      const char *path)
{
  g_autoptr(GSList) files = g_slist_append (NULL, g_file_new_for_path (path));
  TwImportDialog *dialog;

  g_assert_true (tw_window_drop_files (window, files));
  dialog = TW_IMPORT_DIALOG (find_toplevel (TW_TYPE_IMPORT_DIALOG));
  g_assert_nonnull (dialog);
  spin_while (dialog_busy, dialog);
  g_assert_cmpstr (tw_import_dialog_get_page (dialog), ==, "setup");
  return dialog;
}

static TwWindow *
open_window (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TwWindow *window = tw_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  tw_window_open (window, file);
  spin_while (window_is_loading, window);
  return window;
}

/* A table of 2010 GEOIDs dropped while the map shows the 2020 tracts: the assistant picks
 * the 2010 tracts for the file, offers to convert to the map's, and its dry run shows the
 * totals equal, the split and the merge, the hidden cell, with the workspace unchanged;
 * converting then stores the same total on the 2020 tracts. */
static void
test_convert_shows_totals (void)
{
  g_autofree char *workspace = make_workspace ("convert.tractwise");
  g_autoptr(GPtrArray) geoids = list_geoids (workspace, "Boston 2010");
  g_autofree char *pairs = make_pairs (geoids);
  g_autoptr(GFile) pairs_file = g_file_new_for_path (pairs);
  g_autofree char *wal = g_strconcat (workspace, "-wal", NULL);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) before_wal = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GBytes) after_wal = NULL;
  g_autofree char *message = NULL;
  g_autofree char *totals = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *expected_message = NULL;
  TwImportDialog *dialog;
  TwWindow *window;
  const char *report;
  double total;
  g_autofree char *table = make_table (geoids, &total);
  guint rows;

  window = open_window (workspace);
  tw_map_session_set_geography (window->session, "Boston 2020");
  dialog = drop (window, table);
  spin_while (no_offer, dialog);
  g_assert_cmpstr (tw_import_dialog_get_geography (dialog), ==, "Boston 2010");
  g_test_message ("offer: %s", tw_import_dialog_get_conversion_offer (dialog));
  g_assert_nonnull (strstr (tw_import_dialog_get_conversion_offer (dialog),
                            "The map shows “Boston 2020”"));

  before = read_bytes (workspace);
  before_wal = read_bytes (wal);
  tw_import_dialog_set_conversion (dialog, "Boston 2020", pairs_file);
  gtk_editable_set_text (GTK_EDITABLE (find_by_id (GTK_WIDGET (dialog), "label_row")),
                         "Home asthma visits");
  g_assert_true (tw_import_dialog_check (dialog));
  spin_while (dialog_busy, dialog);
  g_assert_cmpstr (tw_import_dialog_get_page (dialog), ==, "report");
  report = tw_import_dialog_get_report (dialog);
  g_test_message ("%s", report);

  /* The figures a user checks before converting. */
  total_text = tw_format_count_locale ((gint64) total);
  totals = g_strdup_printf ("Totals: %s events in the table, %s after conversion: conserved",
                            total_text, total_text);
  g_assert_nonnull (strstr (report, totals));
  g_assert_nonnull (strstr (report,
                            "30 rows of “Boston 2010” become 30 rows of “Boston 2020”"));
  g_assert_nonnull (strstr (report, "0 unchanged, 504 recoded, 1 split, 1 merged"));
  g_assert_nonnull (strstr (report, "pairs layout"));
  /* Measures and groups in words, as the map names them, not by their codes. */
  g_assert_nonnull (strstr (report, "Measures: Home asthma visits · periods: 2021 · "
                                    "groups: All groups"));
  g_assert_nonnull (strstr (report, "Privacy: 1 cell is hidden"));
  g_assert_null (strstr (report, "reaching no area"));
  wait_for_frames (GTK_WIDGET (dialog));
  image_free (render_window (GTK_WIDGET (dialog), "import-convert-report.png"));

  /* A dry run: nothing written. */
  after = read_bytes (workspace);
  after_wal = read_bytes (wal);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_true (g_bytes_equal (before_wal, after_wal));
  g_assert_cmpfloat (stored_total (workspace, "Boston 2020", &rows), ==, 0);

  g_signal_connect (dialog, "imported", G_CALLBACK (on_imported), &message);
  g_assert_true (tw_import_dialog_import (dialog));
  spin_while (no_message, &message);
  g_assert_cmpstr (message, ==, "Converted the table to 30 outcome rows of “Boston 2020”");

  g_assert_cmpfloat_with_epsilon (stored_total (workspace, "Boston 2020", &rows), total, 1e-9);
  g_assert_cmpuint (rows, ==, N_TRACTS);
  g_assert_cmpfloat_with_epsilon (stored_total (workspace, "Boston 2010", &rows), total, 1e-9);
  g_assert_cmpuint (rows, ==, N_TRACTS);

  /* The details card says how each area came about: the split one, all of whose count
   * came from a shared tract; the merged one, hidden as its small source was, without a
   * share; a recoded one. */
  spin_while (asthma_not_shown, window);
  {
    g_autofree char *split = g_strconcat ("2", (char *) g_ptr_array_index (geoids, 0), NULL);
    g_autofree char *merged = g_strconcat ("2", (char *) g_ptr_array_index (geoids, 1), NULL);
    g_autofree char *recoded = g_strconcat ("2", (char *) g_ptr_array_index (geoids, 2), NULL);
    g_autofree char *card = NULL;

    Badge badge = { window, NULL, NULL };

    /* The table says the same of each row, in a badge beside the name: the share only
     * for a figure shown. */
    g_object_set (window->controls, "show-table", TRUE, NULL);
    card = card_of (window, split, "Split from an area of “Boston 2010”: 100% of its count "
                    "allocated from areas shared with others");
    badge.geoid = split;
    badge.badge = "Split · 100%";
    spin_while (badge_lacks, &badge);
    g_clear_pointer (&card, g_free);
    card = card_of (window, merged, "Merged from areas of “Boston 2010”");
    g_test_message ("%s", card);
    g_assert_null (strstr (card, "% of its count"));
    g_assert_null (strstr (card, "Count:"));
    badge.geoid = merged;
    badge.badge = "Merged";
    spin_while (badge_lacks, &badge);
    g_clear_pointer (&card, g_free);
    card = card_of (window, recoded, "Recoded from “Boston 2010”");
    g_test_message ("%s", card);
    g_assert_null (strstr (card, "% of its count"));
    badge.geoid = recoded;
    badge.badge = "Recoded";
    spin_while (badge_lacks, &badge);
    wait_for_frames (GTK_WIDGET (window));
    image_free (render_window (GTK_WIDGET (window), "import-convert-badge.png"));

    /* Not on a geography no conversion made. */
    tw_map_session_set_geography (window->session, "Boston 2010");
    spin_while (asthma_2010_not_shown, window);
    wait_for_frames (GTK_WIDGET (window));
    {
      guint drawn = 0;

      for (guint i = 0; i < geoids->len; i++)
        drawn += find_widget (GTK_WIDGET (tw_window_get_table (window)), GTK_TYPE_LABEL,
                              label_says, g_ptr_array_index (geoids, i)) != NULL;
      g_assert_cmpuint (drawn, >, 5);
    }
    g_assert_null (find_widget (GTK_WIDGET (tw_window_get_table (window)), GTK_TYPE_LABEL,
                                is_shown_badge, NULL));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The number after "@name": in the command's JSON. */
static gint64
json_number (const char *json,
             const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("\"%s\"\\s*:\\s*(\\d+)", name);
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *digits = NULL;

  g_assert_true (g_regex_match (regex, json, 0, &match));
  digits = g_match_info_fetch (match, 1);
  return g_ascii_strtoll (digits, NULL, 10);
}

/* Runs the command @argv (naming @copy) on @copy, a copy of @contents; its output. */
static char *
run_on_copy (GBytes           *contents,
             const char       *copy,
             const char *const argv[])
{
  g_autoptr(GError) error = NULL;
  char *json = NULL;
  int status;

  g_assert_true (g_file_set_contents (copy, g_bytes_get_data (contents, NULL),
                                      g_bytes_get_size (contents), NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &json, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return json;
}

/* 400 events at seeded random places over Boston's extent, some outside every tract, with
 * a patient id, a group and a year; and a denominator for every 2020 tract. */
static char *
make_events (GPtrArray  *geoids,
             char      **denominators)
{
  g_autofree char *path = g_build_filename (tmpdir, "events.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("patient_id,lat,lon,group,year\n");
  g_autoptr(GString) table = g_string_new ("geoid,denominator\n");
  g_autoptr(GRand) rand = g_rand_new_with_seed (18);

  for (guint i = 0; i < 400; i++)
    g_string_append_printf (csv, "P%06u,%.6f,%.6f,%s,%u\n", 730001 + i,
                            g_rand_double_range (rand, 42.20, 42.45),
                            g_rand_double_range (rand, -71.25, -70.90),
                            i % 3 == 0 ? "black" : "white", 2021 + i % 2);
  for (guint i = 0; i < geoids->len; i++)
    g_string_append_printf (table, "2%s,5000\n", (char *) g_ptr_array_index (geoids, i));
  g_assert_true (g_file_set_contents (path, csv->str, -1, NULL));
  *denominators = g_build_filename (tmpdir, "denominators.csv", NULL);
  g_assert_true (g_file_set_contents (*denominators, table->str, -1, NULL));
  return g_steal_pointer (&path);
}

/* A file of events dropped on the window: recognised as events, its rows never shown; the
 * dry run's counts are those `tractwise-cli import-points` prints for the same file, with
 * the outside rows by number and no id or coordinate; importing stores the counts. */
static void
test_points_counts (void)
{
  g_autofree char *workspace = make_workspace ("points.tractwise");
  g_autoptr(GPtrArray) geoids = list_geoids (workspace, "Boston 2010");
  g_autofree char *denominators = NULL;
  g_autofree char *events = make_events (geoids, &denominators);
  g_autoptr(GFile) denominators_file = g_file_new_for_path (denominators);
  g_autofree char *copy = g_build_filename (tmpdir, "copy.tractwise", NULL);
  g_autofree char *json = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *rows_text = NULL;
  g_autofree char *rows_count = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GBytes) contents = read_bytes (workspace);
  g_autoptr(GString) outside = g_string_new ("Rows outside every area: ");
  g_autoptr(GRegex) rows_regex = g_regex_new ("\"outside_rows\"\\s*:\\s*\\[([^]]*)\\]", 0,
                                              0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  const char *argv[] = { g_getenv ("TW_CLI"), "import-points", copy, events, "--geography",
                         "Boston 2020", "--measure", "falls", "--period-field", "year",
                         "--group-field", "group", "--denominators", denominators, NULL };
  g_auto(GStrv) numbers = NULL;
  gint64 points, assigned, n_outside, rows;
  TwImportDialog *dialog;
  TwWindow *window;
  const char *report;
  guint stored_rows;

  /* The oracle: the command line on a copy of the same workspace. */
  json = run_on_copy (contents, copy, argv);
  points = json_number (json, "points");
  assigned = json_number (json, "assigned");
  n_outside = json_number (json, "outside");
  rows = json_number (json, "rows");
  g_assert_cmpint (points, ==, 400);
  g_assert_cmpint (assigned, >, 0);
  g_assert_cmpint (n_outside, >, 0);
  g_assert_true (g_regex_match (rows_regex, json, 0, &match));
  rows_text = g_match_info_fetch (match, 1);
  numbers = g_regex_split_simple ("[^0-9]+", rows_text, 0, 0);
  for (guint i = 0, n = 0; numbers[i] != NULL; i++)
    if (*numbers[i] != '\0')
      g_string_append_printf (outside, "%s%s", n++ == 0 ? "" : ", ", numbers[i]);

  window = open_window (workspace);
  tw_map_session_set_geography (window->session, "Boston 2020");
  dialog = drop (window, events);
  g_assert_cmpint (tw_import_dialog_get_kind (dialog), ==, TW_IMPORT_KIND_POINTS);
  g_assert_cmpstr (tw_import_dialog_get_column (dialog, TW_IMPORT_COLUMN_LATITUDE), ==, "lat");
  g_assert_cmpstr (tw_import_dialog_get_column (dialog, TW_IMPORT_COLUMN_LONGITUDE), ==, "lon");
  g_assert_null (tw_import_dialog_get_column (dialog, TW_IMPORT_COLUMN_GEOID));
  g_assert_cmpstr (tw_import_dialog_get_column (dialog, TW_IMPORT_COLUMN_STRATUM), ==, "group");
  g_assert_cmpstr (tw_import_dialog_get_column (dialog, TW_IMPORT_COLUMN_PERIOD), ==, "year");
  g_assert_cmpstr (tw_import_dialog_get_geography (dialog), ==, "Boston 2020");
  /* Its rows may identify people: the preview is not shown. */
  g_assert_false (gtk_widget_get_visible (find_by_id (GTK_WIDGET (dialog), "preview_group")));
  g_assert_false (tw_import_dialog_check (dialog));
  tw_import_dialog_set_text (dialog, "falls", NULL);
  tw_import_dialog_set_denominators (dialog, denominators_file, NULL);
  wait_for_frames (GTK_WIDGET (dialog));
  image_free (render_window (GTK_WIDGET (dialog), "import-points-setup.png"));

  g_assert_true (tw_import_dialog_check (dialog));
  spin_while (dialog_busy, dialog);
  g_assert_cmpstr (tw_import_dialog_get_page (dialog), ==, "report");
  report = tw_import_dialog_get_report (dialog);
  g_test_message ("%s", report);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT " events read: %" G_GINT64_FORMAT " in areas "
                              "of “Boston 2020”, %" G_GINT64_FORMAT " outside every area, 0 "
                              "geocodes less precise than asked.", points, assigned, n_outside);
  g_assert_nonnull (strstr (report, expected));
  g_clear_pointer (&expected, g_free);
  rows_count = tw_format_count_locale (rows);
  expected = g_strdup_printf ("%s outcome rows are ready to import.", rows_count);
  g_assert_nonnull (strstr (report, expected));
  g_assert_nonnull (strstr (report, outside->str));
  g_assert_nonnull (strstr (report, "Periods: 2021, 2022 · groups: Black, White"));
  /* No id and no coordinate of the file. */
  g_assert_null (strstr (report, "P00"));
  g_assert_null (strstr (report, "P73"));
  g_assert_null (strstr (report, "42."));
  g_assert_null (strstr (report, "-71."));
  wait_for_frames (GTK_WIDGET (dialog));
  image_free (render_window (GTK_WIDGET (dialog), "import-points-report.png"));
  g_assert_cmpfloat (stored_total_of (workspace, "falls", "Boston 2020", &stored_rows), ==, 0);

  g_signal_connect (dialog, "imported", G_CALLBACK (on_imported), &message);
  g_assert_true (tw_import_dialog_import (dialog));
  spin_while (no_message, &message);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("Counted %" G_GINT64_FORMAT " events into %s outcome rows",
                              assigned, rows_count);
  g_assert_cmpstr (message, ==, expected);
  g_assert_cmpfloat (stored_total_of (workspace, "falls", "Boston 2020", &stored_rows), ==,
                     assigned);
  g_assert_cmpint (stored_rows, ==, rows);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Five 2020 tracts (two states) as squares, as in tests/cli/test_community_data.py. */
static char *
make_tract_workspace (const char *name,
                      int         vintage)
{
  static const char *const geoids[] = { "25025000100", "25025000200", "25025000300",
                                        "01001020100", "01001020200" };
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *geojson = g_strconcat (path, ".geojson", NULL);
  g_autoptr(GString) text = g_string_new ("{\"type\": \"FeatureCollection\", \"features\": [");
  TwAreaImportOptions options = { .id_field = "GEOID", .level = "tract", .vintage = vintage,
                                  .geography = "tracts" };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwAreaImportResult) result = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (geoids); i++)
    {
      double x = -71.1 + 0.01 * i;

      g_string_append_printf (text, "%s{\"type\": \"Feature\", \"properties\": {\"GEOID\": "
                              "\"%s\"}, \"geometry\": {\"type\": \"Polygon\", "
                              "\"coordinates\": [[[%.2f, 42.3], [%.2f, 42.3], [%.2f, 42.31], "
                              "[%.2f, 42.31], [%.2f, 42.3]]]}}", i == 0 ? "" : ", ", geoids[i],
                              x, x + 0.01, x + 0.01, x, x);
    }
  g_string_append (text, "]}");
  g_assert_true (g_file_set_contents (geojson, text->str, -1, NULL));
  g_unlink (path);
  store = tw_store_create (path, &error);
  g_assert_no_error (error);
  result = tw_area_import (store, geojson, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->imported, ==, 5);
  return g_steal_pointer (&path);
}

/* A DeGAUSS output (latitude, longitude, precision) counted at street precision or better:
 * the imprecise geocodes and the per-area quality report are those the command prints. */
static void
test_points_geocode_quality (void)
{
  g_autofree char *workspace = make_workspace ("degauss.tractwise");
  g_autoptr(GPtrArray) geoids = list_geoids (workspace, "Boston 2010");
  g_autofree char *denominators = NULL;
  g_autofree char *events = make_events (geoids, &denominators);
  g_autofree char *degauss = g_build_filename (tmpdir, "degauss.csv", NULL);
  g_autofree char *copy = g_build_filename (tmpdir, "degauss-copy.tractwise", NULL);
  g_autoptr(GFile) denominators_file = g_file_new_for_path (denominators);
  g_autoptr(GBytes) contents = read_bytes (workspace);
  g_autoptr(GString) csv = g_string_new ("lat,lon,precision,score,year\n");
  g_autoptr(GRand) rand = g_rand_new_with_seed (2021);
  const char *argv[] = { g_getenv ("TW_CLI"), "import-points", copy, degauss, "--geography",
                         "Boston 2020", "--measure", "visits", "--period-field", "year",
                         "--denominators", denominators, "--min-precision", "street", NULL };
  static const char *const precisions[] = { "range", "street", "zip", "city" };
  g_autofree char *json = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GRegex) quality = g_regex_new ("\\{\"geoid\":\"([0-9]+)\",\"records\":([0-9]+),"
                                           "\"imprecise\":([0-9]+)", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  TwImportDialog *dialog;
  TwWindow *window;
  const char *report;
  guint n_quality = 0;

  /* Dense enough that areas hold several geocodes each. */
  for (guint i = 0; i < 600; i++)
    g_string_append_printf (csv, "%.6f,%.6f,%s,0.9,2022\n",
                            g_rand_double_range (rand, 42.30, 42.36),
                            g_rand_double_range (rand, -71.10, -71.04),
                            precisions[g_rand_int_range (rand, 0, 4)]);
  g_assert_true (g_file_set_contents (degauss, csv->str, -1, NULL));
  json = run_on_copy (contents, copy, argv);
  g_test_message ("%s", json);
  g_assert_cmpint (json_number (json, "imprecise"), >, 0);

  window = open_window (workspace);
  tw_map_session_set_geography (window->session, "Boston 2020");
  dialog = drop (window, degauss);
  g_assert_cmpint (tw_import_dialog_get_kind (dialog), ==, TW_IMPORT_KIND_POINTS);
  tw_import_dialog_set_text (dialog, "visits", NULL);
  tw_import_dialog_set_denominators (dialog, denominators_file, NULL);
  /* "Street": the second choice after "Every geocode" and "Address range". */
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_by_id (GTK_WIDGET (dialog), "precision_row")),
                              2);
  g_assert_true (tw_import_dialog_check (dialog));
  spin_while (dialog_busy, dialog);
  report = tw_import_dialog_get_report (dialog);
  g_test_message ("%s", report);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT " geocodes less precise than asked",
                              json_number (json, "imprecise"));
  g_assert_nonnull (strstr (report, expected));

  /* The first ten areas of the quality report, as the command lists them. */
  g_assert_true (g_regex_match (quality, json, 0, &match));
  for (; g_match_info_matches (match) && n_quality < 10; g_match_info_next (match, NULL))
    {
      g_autofree char *geoid = g_match_info_fetch (match, 1);
      g_autofree char *records = g_match_info_fetch (match, 2);
      g_autofree char *imprecise = g_match_info_fetch (match, 3);
      g_autofree char *row = g_strdup_printf ("Geocodes of GEOID %s: %s of %s imprecise", geoid,
                                              imprecise, records);

      g_assert_nonnull (strstr (report, row));
      n_quality++;
    }
  g_assert_cmpuint (n_quality, >, 0);
  wait_for_frames (GTK_WIDGET (dialog));
  image_free (render_window (GTK_WIDGET (dialog), "import-points-quality.png"));

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* An SVI table dropped on the window: recognised and named, its null codes and missing
 * cells counted as `tractwise-cli import-attributes` counts them, before anything is
 * written; an SVI of 2010 tracts refused by name with the workspace unchanged; importing
 * stores the fields. */
static void
test_community_data_recognised (void)
{
  g_autofree char *workspace = make_tract_workspace ("svi.tractwise", 2020);
  g_autofree char *copy = g_build_filename (tmpdir, "svi-copy.tractwise", NULL);
  g_autofree char *svi = g_build_filename (g_getenv ("TW_FIXTURES"), "attributes",
                                           "SVI_2020_US_tract.csv", NULL);
  g_autofree char *svi_2018 = g_build_filename (g_getenv ("TW_FIXTURES"), "attributes",
                                                "SVI_2018_US_tract.csv", NULL);
  g_autoptr(GBytes) contents = read_bytes (workspace);
  g_autoptr(GBytes) after = NULL;
  const char *argv[] = { g_getenv ("TW_CLI"), "import-attributes", copy, svi, NULL };
  g_autofree char *json = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) stored = NULL;
  g_autoptr(TwStore) store = NULL;
  TwImportDialog *dialog;
  TwWindow *window;
  const char *report;

  json = run_on_copy (contents, copy, argv);
  g_test_message ("%s", json);

  window = open_window (workspace);
  dialog = drop (window, svi);
  g_assert_cmpint (tw_import_dialog_get_kind (dialog), ==, TW_IMPORT_KIND_ATTRIBUTES);
  wait_for_frames (GTK_WIDGET (dialog));
  image_free (render_window (GTK_WIDGET (dialog), "import-community-setup.png"));
  g_assert_true (tw_import_dialog_check (dialog));
  spin_while (dialog_busy, dialog);
  report = tw_import_dialog_get_report (dialog);
  g_test_message ("%s", report);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT " rows for areas of “tracts”",
                              json_number (json, "rows"));
  g_assert_nonnull (strstr (report, expected));
  g_assert_nonnull (strstr (report, "Layout: CDC/ATSDR Social Vulnerability Index (SVI)"));
  g_assert_nonnull (strstr (report, "United States"));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("Null codes: -999: %" G_GINT64_FORMAT " cells",
                              json_number (json, "-999"));
  g_assert_nonnull (strstr (report, expected));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("Missing values: %" G_GINT64_FORMAT " cells stored as missing",
                              json_number (json, "missing"));
  g_assert_nonnull (strstr (report, expected));
  wait_for_frames (GTK_WIDGET (dialog));
  image_free (render_window (GTK_WIDGET (dialog), "import-community-report.png"));
  after = read_bytes (workspace);
  g_assert_true (g_bytes_equal (contents, after));

  g_signal_connect (dialog, "imported", G_CALLBACK (on_imported), &message);
  g_assert_true (tw_import_dialog_import (dialog));
  spin_while (no_message, &message);
  g_assert_true (g_str_has_prefix (message, "Imported 6 fields of community data"));
  store = tw_store_open (workspace, &error);
  g_assert_no_error (error);
  stored = tw_store_list_attributes (store, tw_store_resolve_geography (store, "tracts", NULL),
                                     &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char *const *) stored, "RPL_THEMES"));
  g_clear_pointer (&store, tw_store_close);

  /* The 2018 edition is on 2010 tracts: refused by name, nothing written. */
  g_clear_pointer (&contents, g_bytes_unref);
  contents = read_bytes (workspace);
  dialog = drop (window, svi_2018);
  g_assert_cmpint (tw_import_dialog_get_kind (dialog), ==, TW_IMPORT_KIND_ATTRIBUTES);
  g_assert_true (tw_import_dialog_check (dialog));
  spin_while (dialog_busy, dialog);
  report = tw_import_dialog_get_report (dialog);
  g_test_message ("%s", report);
  g_assert_nonnull (strstr (report, "2010"));
  g_assert_false (tw_import_dialog_import (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_clear_pointer (&after, g_bytes_unref);
  after = read_bytes (workspace);
  g_assert_true (g_bytes_equal (contents, after));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  app = window_test_setup (&argc, &argv, "import", &tmpdir, NULL);

  g_test_add_func ("/ui/import/convert-shows-totals", test_convert_shows_totals);
  g_test_add_func ("/ui/import/points-counts", test_points_counts);
  g_test_add_func ("/ui/import/points-geocode-quality", test_points_geocode_quality);
  g_test_add_func ("/ui/import/community-data-recognised", test_community_data_recognised);

  return window_test_run (app, tmpdir, NULL);
}
