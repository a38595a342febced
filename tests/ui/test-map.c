/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-map"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "tw-application.h"
#include "tw-area-row.h"
#include "tw-background-source.h"
#include "tw-map-scale.h"
#include "tw-palette.h"
#include "tw-window.h"
#include "tw-window-private.h"
#include "window-test-helpers.h"

#define WIDTH 1280
#define HEIGHT 800

static char *tmpdir;
static char *demo_path;
static TwApplication *app;

static TwWindow *
open_demo (void)
{
  return open_project_window (app, demo_path, WIDTH, HEIGHT);
}

/* Tests */

static void
test_class_colour (void)
{
  TwWindow *window = open_demo ();
  TwChoropleth *choropleth = tw_window_get_choropleth (window);
  TwMapStyle *style = tw_choropleth_get_style (choropleth);
  g_autoptr(Image) image = render_window (GTK_WIDGET (window), "map-demo.png");
  const char *counties[] = { "Wake", "Mecklenburg", "Guilford", "Robeson" };
  g_autofree char *legend = tw_window_get_legend_text (window);
  double x, y;

  g_assert_cmpstr (tw_area_layer_get_geography_name (tw_window_get_area_layer (window)), ==,
                   "North Carolina counties");
  g_assert_cmpstr (tw_choropleth_get_measure_code (choropleth), ==, "sids");
  g_test_message ("Legend: %s", legend);
  g_assert_nonnull (strstr (legend, "Sudden infant death syndrome"));
  g_assert_nonnull (strstr (legend, "Suppressed (fewer than 11 events)"));
  g_assert_nonnull (strstr (legend, "No data"));

  /* Inside each county, the screen shows its class's colour. */
  for (guint i = 0; i < G_N_ELEMENTS (counties); i++)
    {
      int area = find_area_named (window, counties[i]);
      const TwAreaFigure *figure;
      guint32 expected, seen;

      g_assert_cmpint (area, >=, 0);
      figure = tw_choropleth_get_figure (choropleth, area);
      g_assert_cmpuint (figure->kind, <, tw_map_style_get_n_classes (style));
      g_assert_true (inner_point (window, area, &x, &y));
      expected = tw_map_style_get_fill (style, figure->kind);
      seen = pixel (image, (int) x, (int) y);
      g_test_message ("%s (%d): class %u, expected #%06x, screen #%06x at %.0f,%.0f",
                      counties[i], area, figure->kind, expected, seen, x, y);
      g_assert_cmpint (color_distance (seen, expected), <=, 3);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_hover_details (void)
{
  TwWindow *window = open_demo ();
  int wake = find_area_named (window, "Wake");
  int anson = find_area_named (window, "Anson");
  g_autofree char *text = NULL;
  double x, y, mx, my;
  g_autoptr(Image) image = NULL;

  g_assert_true (inner_point (window, wake, &x, &y));
  g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (window), map_widget (window),
                                                   x, y, &mx, &my));
  tw_window_pointer_motion (window, mx, my);
  g_assert_cmpint (tw_window_get_hovered_area (window), ==, wake);
  text = tw_window_get_details_text (window);
  g_test_message ("Details: %s", text);
  g_assert_true (g_str_has_prefix (text, "Wake\nGEOID 37183\n"));
  g_assert_nonnull (strstr (text, "Count: 31"));
  g_assert_nonnull (strstr (text, "95% interval"));
  wait_for_frames (GTK_WIDGET (window));
  image = render_window (GTK_WIDGET (window), "map-hover.png");

  /* Anson had 4 deaths in 1979–84: the pane says it is suppressed and shows no count. */
  g_assert_true (inner_point (window, anson, &x, &y));
  g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (window), map_widget (window),
                                                   x, y, &mx, &my));
  tw_window_pointer_motion (window, mx, my);
  g_clear_pointer (&text, g_free);
  text = tw_window_get_details_text (window);
  g_test_message ("Details: %s", text);
  g_assert_true (g_str_has_prefix (text, "Anson\nGEOID 37007\n"));
  g_assert_nonnull (strstr (text, "Suppressed (fewer than 11 events)"));
  g_assert_null (strstr (text, "Count"));
  g_assert_null (strstr (text, "Rate"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* What the pixels inside @area around (@x, @y) hold: how many are its @fill, how many are
 * well off it (on a hatch line or dot), and how often a pixel on the middle of a dark line
 * (darker than halfway to the darkest) continues down to the right ("\\") or up to the
 * right ("/"). The map scales its tiles between zoom levels, so lines are soft. */
typedef struct
{
  guint n, n_fill, n_mark, down, up;
} Marks;

static int
channel_sum (guint32 color)
{
  return ((color >> 16) & 0xff) + ((color >> 8) & 0xff) + (color & 0xff);
}

static gboolean
darker_at (TwWindow    *window,
           const Image *image,
           int          area,
           int          threshold,
           double       x,
           double       y)
{
  return hit_at_window (window, x, y) == area && map_shows_at (window, x, y)
         && channel_sum (pixel (image, (int) x, (int) y)) < threshold;
}

static Marks
marks_inside (TwWindow    *window,
              const Image *image,
              int          area,
              guint32      fill,
              double       x,
              double       y)
{
  Marks m = { 0 };
  int darkest = channel_sum (fill), threshold;

  for (int dy = -12; dy <= 12; dy++)
    for (int dx = -12; dx <= 12; dx++)
      if (hit_at_window (window, x + dx, y + dy) == area
          && map_shows_at (window, x + dx, y + dy))
        darkest = MIN (darkest, channel_sum (pixel (image, (int) x + dx, (int) y + dy)));
  threshold = MIN ((channel_sum (fill) + darkest) / 2, channel_sum (fill) - 60);

  for (int dy = -12; dy <= 12; dy++)
    for (int dx = -12; dx <= 12; dx++)
      {
        guint32 seen;

        if (hit_at_window (window, x + dx, y + dy) != area
            || !map_shows_at (window, x + dx, y + dy))
          continue;
        seen = pixel (image, (int) x + dx, (int) y + dy);
        m.n++;
        m.n_fill += color_distance (seen, fill) <= 3;
        if (color_distance (seen, fill) <= 60)
          continue;
        m.n_mark++;
        if (!darker_at (window, image, area, threshold, x + dx, y + dy))
          continue;
        m.down += darker_at (window, image, area, threshold, x + dx + 1, y + dy + 1);
        m.up += darker_at (window, image, area, threshold, x + dx + 1, y + dy - 1);
      }
  return m;
}

/* The number of `tractwise-cli rates` rows of the map on screen with @status. */
static guint
count_rates_status (TwChoropleth *choropleth,
                    const char   *status)
{
  const char *argv[] = { g_getenv ("TW_CLI"), "rates", demo_path,
                         "--measure", tw_choropleth_get_measure_code (choropleth),
                         "--period", tw_choropleth_get_period (choropleth), NULL };
  g_autofree char *out = NULL;
  g_autofree char *needle = g_strdup_printf ("\"status\":\"%s\"", status);
  g_autoptr(GError) error = NULL;
  int wait_status;
  guint n = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &out, NULL, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
  for (const char *p = strstr (out, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_suppressed_hatched (void)
{
  TwWindow *window = open_demo ();
  TwChoropleth *choropleth = tw_window_get_choropleth (window);
  TwAreaLayer *layer = tw_window_get_area_layer (window);
  g_autoptr(Image) image = render_window (GTK_WIDGET (window), "map-suppressed.png");
  guint32 fill = tw_map_style_get_fill (tw_choropleth_get_style (choropleth),
                                        TW_AREA_SUPPRESSED);
  guint checked = 0;

  g_assert_cmpuint (tw_choropleth_get_n_suppressed (choropleth), >, 0);
  for (guint area = 0; area < tw_area_layer_get_n_areas (layer) && checked < 5; area++)
    {
      const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, area);
      Marks m;
      double x, y;

      if (figure->kind != TW_AREA_SUPPRESSED || !inner_point (window, area, &x, &y))
        continue;

      /* Over the inside of the area: both the background and the hatch lines show. */
      m = marks_inside (window, image, area, fill, x, y);
      g_test_message ("%s: %u pixels, %u hatch, %u background",
                      tw_area_layer_get_name (layer, area), m.n, m.n_mark, m.n_fill);
      g_assert_cmpuint (m.n, >, 50);
      g_assert_cmpuint (m.n_mark, >, m.n / 10);
      g_assert_cmpuint (m.n_fill, >, m.n / 10);
      checked++;
    }
  g_assert_cmpuint (checked, >, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Counts the pixels of the selection outline's colour inside the area's box on screen. */
static guint
count_selection_pixels (TwWindow    *window,
                        const Image *image,
                        guint        area)
{
  TwGeometrySet *geometry = tw_area_layer_get_geometry (tw_window_get_area_layer (window));
  guint32 outline = tw_palette_fixed_color (TW_COLOR_SELECTION_OUTLINE);
  double x0, y0, x1, y1;
  guint n = 0;
  TwBox box;

  tw_geometry_set_get_area_box (geometry, area, &box);
  g_assert_true (world_to_window (window, box.min_x, box.min_y, &x0, &y0));
  g_assert_true (world_to_window (window, box.max_x, box.max_y, &x1, &y1));
  for (int y = MAX (0, (int) y0 - 3); y < MIN (image->height, (int) y1 + 3); y++)
    for (int x = MAX (0, (int) x0 - 3); x < MIN (image->width, (int) x1 + 3); x++)
      n += color_distance (pixel (image, x, y), outline) <= 24;
  return n;
}

static void
test_table_selection (void)
{
  TwWindow *window = open_demo ();
  GtkSingleSelection *selection = tw_window_get_table_selection (window);
  GListModel *model = G_LIST_MODEL (selection);
  int wake = find_area_named (window, "Wake");
  int guilford = find_area_named (window, "Guilford");
  g_autoptr(Image) before = render_window (GTK_WIDGET (window), "map-before-select.png");
  g_autoptr(Image) after = NULL;
  g_autofree char *text = NULL;
  guint position = GTK_INVALID_LIST_POSITION, n_before, n_after;
  double x, y, mx, my;

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 100);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) row = g_list_model_get_item (model, i);

      if (((TwAreaRow *) row)->area == (guint) wake)
        position = i;
    }
  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);

  /* Picking Wake's row outlines Wake on the map and describes it. */
  gtk_single_selection_set_selected (selection, position);
  g_assert_cmpint (tw_window_get_selected_area (window), ==, wake);
  wait_for_frames (GTK_WIDGET (window));
  after = render_window (GTK_WIDGET (window), "map-selected.png");
  n_before = count_selection_pixels (window, before, wake);
  n_after = count_selection_pixels (window, after, wake);
  g_test_message ("selection-coloured pixels around Wake: %u before, %u after",
                  n_before, n_after);
  g_assert_cmpuint (n_after, >, n_before + 100);
  /* The details describe the area hovered first: Xvfb's pointer may rest on the map. */
  tw_window_pointer_motion (window, -1, -1);
  text = tw_window_get_details_text (window);
  g_assert_true (g_str_has_prefix (text, "Wake\n"));

  /* And a click on Guilford selects its row. */
  g_assert_true (inner_point (window, guilford, &x, &y));
  g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (window), map_widget (window),
                                                   x, y, &mx, &my));
  tw_window_pointer_click (window, mx, my);
  g_assert_cmpint (tw_window_get_selected_area (window), ==, guilford);
  {
    TwAreaRow *row = gtk_single_selection_get_selected_item (selection);

    g_assert_nonnull (row);
    g_assert_cmpuint (row->area, ==, (guint) guilford);
    g_assert_cmpstr (row->text[TW_AREA_COLUMN_NAME], ==, "Guilford");
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static guint
row_position (GListModel *model,
              int         area)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TwAreaRow) row = g_list_model_get_item (model, i);

      if ((int) row->area == area)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

/* The search entry waits a moment after the last key before it searches. */
static void
wait_for_rows (GListModel *model,
               guint       n)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (g_list_model_get_n_items (model) != n && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
}

/* Typing in the search leaves only the areas whose name or GEOID holds the text; the area
 * picked stays picked, and is its row again when the search is cleared. */
static void
test_table_search_filters (void)
{
  TwWindow *window = open_demo ();
  GtkSingleSelection *selection = tw_window_get_table_selection (window);
  GListModel *model = G_LIST_MODEL (selection);
  GtkWidget *view = GTK_WIDGET (tw_window_get_table (window));
  GtkWidget *search = gtk_widget_get_first_child (gtk_widget_get_parent (gtk_widget_get_parent (view)));
  int guilford = find_area_named (window, "Guilford");
  int wake = find_area_named (window, "Wake");

  g_assert_true (GTK_IS_SEARCH_ENTRY (search));
  gtk_single_selection_set_selected (selection, row_position (model, guilford));
  g_assert_cmpint (tw_window_get_selected_area (window), ==, guilford);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, row_position (model, guilford));

  /* A name: only Wake is left (no other county holds "wak"), Guilford still picked. */
  gtk_editable_set_text (GTK_EDITABLE (search), "wak");
  wait_for_rows (model, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  {
    g_autoptr(TwAreaRow) row = g_list_model_get_item (model, 0);

    g_assert_cmpint (row->area, ==, wake);
  }
  g_assert_cmpint (tw_window_get_selected_area (window), ==, guilford);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, GTK_INVALID_LIST_POSITION);

  /* A GEOID: the row of that county. */
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  wait_for_rows (model, 100);
  gtk_editable_set_text (GTK_EDITABLE (search), "37081");
  wait_for_rows (model, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 0);
  g_assert_cmpint (tw_window_get_selected_area (window), ==, guilford);

  /* Cleared: every row, Guilford's selected. */
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  wait_for_rows (model, 100);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, row_position (model, guilford));
  g_assert_cmpint (tw_window_get_selected_area (window), ==, guilford);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
row_shows_suppressed (TwAreaRow *row)
{
  return row->text[TW_AREA_COLUMN_COUNT] == NULL && row->text[TW_AREA_COLUMN_RATE] == NULL
         && isnan (row->keys[TW_AREA_COLUMN_COUNT]) && isnan (row->keys[TW_AREA_COLUMN_RATE]);
}

static gboolean
session_busy (gpointer session)
{
  return tw_map_session_get_busy (session);
}

/* The title of the table's figure column. */
static const char *
figure_title (TwWindow *window)
{
  GListModel *columns = gtk_column_view_get_columns (tw_window_get_table (window));
  g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 2);

  return gtk_column_view_column_get_title (column);
}

/* The table's figure column says what the map shows: a rate, or a change. */
static void
test_table_names_figure (void)
{
  TwWindow *window = open_demo ();

  g_assert_cmpstr (figure_title (window), ==, "Rate");
  tw_map_session_set_mode (window->session, TW_MAP_MODE_CHANGE);
  spin_while (session_busy, window->session);
  g_assert_cmpstr (figure_title (window), ==, "Change");
  tw_map_session_set_mode (window->session, TW_MAP_MODE_RATE);
  spin_while (session_busy, window->session);
  g_assert_cmpstr (figure_title (window), ==, "Rate");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Suppressed figures appear nowhere in the table, not even in the order of its rows. */
static void
test_table_privacy (void)
{
  TwWindow *window = open_demo ();
  GListModel *model = G_LIST_MODEL (tw_window_get_table_selection (window));
  int anson = find_area_named (window, "Anson");
  guint suppressed = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TwAreaRow) row = g_list_model_get_item (model, i);
      const TwAreaFigure *figure = tw_choropleth_get_figure (tw_window_get_choropleth (window),
                                                             row->area);

      if (figure->suppressed)
        {
          g_assert_true (row_shows_suppressed (row));
          g_assert_cmpstr (row->text[TW_AREA_COLUMN_FLAGS], ==, "suppressed");
          suppressed++;
        }
      if ((int) row->area == anson)
        g_assert_true (figure->suppressed);
    }
  g_assert_cmpuint (suppressed, ==,
                    tw_choropleth_get_n_suppressed (tw_window_get_choropleth (window)));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_measure_changes_colours (void)
{
  TwWindow *window = open_demo ();
  g_autoptr(Image) first = NULL;
  g_autoptr(Image) second = NULL;
  TwChoropleth *choropleth;
  g_autofree char *before_code = NULL;
  guint changed = 0, checked = 0;
  GtkWidget *map = map_widget (window);
  double ox, oy;

  select_picker (window, "geography", "Boston tracts");
  wait_for_map (window);
  choropleth = tw_window_get_choropleth (window);
  /* Copied: the window lets go of this choropleth when the measure changes. */
  before_code = g_strdup (tw_choropleth_get_measure_code (choropleth));
  g_test_message ("Boston first shows %s", before_code);
  first = render_window (GTK_WIDGET (window), "map-boston-first.png");

  /* (Preterm births are few per tract: most are suppressed, so take another measure.) */
  select_picker (window, "measure", "Uncontrolled diabetes, HbA1c over 9% (synthetic)");
  wait_for_map (window);
  choropleth = tw_window_get_choropleth (window);
  g_assert_cmpstr (tw_choropleth_get_measure_code (choropleth), ==, "diabetes_uncontrolled");
  g_assert_cmpstr (tw_choropleth_get_measure_code (choropleth), !=, before_code);
  second = render_window (GTK_WIDGET (window), "map-boston-preterm.png");

  /* Over the map, many pixels change colour, and each area shows its new class. */
  g_assert_true (gtk_widget_translate_coordinates (map, GTK_WIDGET (window), 0, 0, &ox, &oy));
  for (int y = (int) oy; y < (int) oy + gtk_widget_get_height (map); y += 4)
    for (int x = (int) ox; x < (int) ox + gtk_widget_get_width (map); x += 4)
      changed += pixel (first, x, y) != pixel (second, x, y);
  g_test_message ("%u sampled pixels changed", changed);
  g_assert_cmpuint (changed, >, 1000);

  for (guint area = 0; area < tw_area_layer_get_n_areas (tw_window_get_area_layer (window))
                       && checked < 10; area++)
    {
      const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, area);
      double x, y;

      if (figure->kind >= TW_AREA_SUPPRESSED || !inner_point (window, area, &x, &y))
        continue;
      g_test_message ("area %u at %.0f,%.0f: #%06x, class #%06x", area, x, y,
                      pixel (second, (int) x, (int) y),
                      tw_map_style_get_fill (tw_choropleth_get_style (choropleth), figure->kind));
      g_assert_cmpint (color_distance (pixel (second, (int) x, (int) y),
                                       tw_map_style_get_fill (tw_choropleth_get_style (choropleth),
                                                              figure->kind)), <=, 3);
      checked++;
    }
  g_assert_cmpuint (checked, >=, 5);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_offline_outlines (void)
{
  TwWindow *window = open_demo ();
  g_autoptr(Image) image = render_window (GTK_WIDGET (window), "map-offline.png");
  ShumateMapSource *source = shumate_simple_map_get_map_source (tw_window_get_map (window));
  guint32 background = tw_background_source_get_background (TW_BACKGROUND_SOURCE (source));
  g_autoptr(GArray) outside = NULL;
  guint n_background = 0, n_lines = 0, n_grey = 0;

  g_assert_cmpstr (g_getenv ("TW_BASEMAP"), ==, "offline");

  /* Outside the areas: the plain background, with the state's outline drawn along the
   * edge, and no empty tile anywhere (libshumate leaves those transparent). */
  outside = map_background_pixels (window, image);
  for (guint i = 0; i < outside->len; i++)
    {
      guint32 seen = g_array_index (outside, guint32, i);

      if (color_distance (seen, background) <= 2)
        n_background++;
      else if (color_distance (seen, background) > 30)
        n_lines++;
      else
        n_grey++;
    }
  g_test_message ("outside the areas: %u background, %u on lines, %u other",
                  n_background, n_lines, n_grey);
  g_assert_cmpuint (n_background, >, 10000);
  g_assert_cmpuint (n_lines, >, 100);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Unreliable counties keep their class colour under a hatch of their own ("\\", the other
 * way from the suppressed "/"), and the legend counts each status as `rates` does. */
static void
test_unreliable_hatched (void)
{
  TwWindow *window = open_demo ();
  TwChoropleth *choropleth = tw_window_get_choropleth (window);
  TwMapStyle *style = tw_choropleth_get_style (choropleth);
  TwAreaLayer *layer = tw_window_get_area_layer (window);
  g_autoptr(Image) image = render_window (GTK_WIDGET (window), "map-unreliable.png");
  g_autofree char *legend = tw_window_get_legend_text (window);
  const char *statuses[][2] = {
    { "unreliable", "Unreliable — fewer than 20 events" },
    { "suppressed", "Suppressed (fewer than 11 events)" },
    { "complementary", "Suppressed to protect another area" },
  };
  guint n_unreliable = 0, n_suppressed = 0;

  g_test_message ("Legend: %s", legend);
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      guint n = count_rates_status (choropleth, statuses[i][0]);
      g_autofree char *row = g_strdup_printf ("%s: %u areas", statuses[i][1], n);

      g_test_message ("rates: %u %s", n, statuses[i][0]);
      if (n > 0 || i < 2)
        g_assert_nonnull (strstr (legend, row));
      else
        g_assert_null (strstr (legend, "protect another"));
      if (i == 0)
        g_assert_cmpuint (n, >, 0);
    }
  g_assert_null (strstr (legend, "analyst view"));

  for (guint area = 0; area < tw_area_layer_get_n_areas (layer); area++)
    {
      const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, area);
      guint32 fill;
      Marks m;
      double x, y;

      if (!inner_point (window, area, &x, &y))
        continue;
      if (figure->status == TW_FIGURE_UNRELIABLE && n_unreliable < 4)
        {
          g_assert_cmpuint (figure->kind, <, tw_map_style_get_n_classes (style));
          fill = tw_map_style_get_fill (style, figure->kind);
          m = marks_inside (window, image, area, fill, x, y);
          g_test_message ("%s (unreliable, class %u): %u pixels, %u fill, %u hatch, "
                          "%u \\, %u /", tw_area_layer_get_name (layer, area), figure->kind,
                          m.n, m.n_fill, m.n_mark, m.down, m.up);
          g_assert_cmpuint (m.n, >, 50);
          g_assert_cmpuint (m.n_fill, >, m.n / 5);
          g_assert_cmpuint (m.n_mark, >, m.n / 10);
          g_assert_cmpuint (m.down, >, 2 * m.up);
          n_unreliable++;
        }
      else if (figure->kind == TW_AREA_SUPPRESSED && n_suppressed < 2)
        {
          m = marks_inside (window, image, area, tw_map_style_get_fill (style, figure->kind),
                            x, y);
          g_test_message ("%s (suppressed): %u \\, %u /",
                          tw_area_layer_get_name (layer, area), m.down, m.up);
          g_assert_cmpuint (m.up, >, 2 * m.down);
          n_suppressed++;
        }
    }
  g_assert_cmpuint (n_unreliable, >, 0);
  g_assert_cmpuint (n_suppressed, >, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_analyst_view (void)
{
  TwWindow *window = open_demo ();
  int anson = find_area_named (window, "Anson");
  g_autoptr(Image) image = NULL;
  g_autofree char *text = NULL;
  double x, y, mx, my;

  g_object_set (window, "analyst-view", TRUE, NULL);
  wait_for_map (window);
  g_assert_true (tw_choropleth_get_reveal (tw_window_get_choropleth (window)));
  g_assert_true (inner_point (window, anson, &x, &y));
  g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (window), map_widget (window),
                                                   x, y, &mx, &my));
  tw_window_pointer_motion (window, mx, my);
  text = tw_window_get_details_text (window);
  g_test_message ("Analyst view: %s", text);
  g_assert_nonnull (strstr (text, "Count: 4"));
  g_assert_nonnull (strstr (text, "shown here because the analyst view is on"));
  wait_for_frames (GTK_WIDGET (window));
  image = render_window (GTK_WIDGET (window), "map-analyst.png");

  /* Anson is coloured by its class, but dotted: an analyst never takes it for a published
   * figure in a screenshot. Wake, published anyway, is not dotted. */
  {
    TwChoropleth *choropleth = tw_window_get_choropleth (window);
    TwMapStyle *style = tw_choropleth_get_style (choropleth);
    const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, anson);
    int wake = find_area_named (window, "Wake");
    g_autofree char *legend = tw_window_get_legend_text (window);
    g_autofree char *row = NULL;
    guint n_hidden = count_rates_status (choropleth, "suppressed")
                     + count_rates_status (choropleth, "complementary");
    Marks a, w;

    g_assert_true (figure->revealed);
    g_assert_cmpuint (figure->kind, <, tw_map_style_get_n_classes (style));
    a = marks_inside (window, image, anson, tw_map_style_get_fill (style, figure->kind), x, y);
    g_assert_true (inner_point (window, wake, &x, &y));
    figure = tw_choropleth_get_figure (choropleth, wake);
    g_assert_false (figure->revealed);
    w = marks_inside (window, image, wake, tw_map_style_get_fill (style, figure->kind), x, y);
    g_test_message ("Anson: %u pixels, %u fill, %u marked; Wake: %u pixels, %u marked",
                    a.n, a.n_fill, a.n_mark, w.n, w.n_mark);
    g_assert_cmpuint (a.n, >, 50);
    g_assert_cmpuint (a.n_fill, >, a.n / 4);
    g_assert_cmpuint (a.n_mark, >, a.n / 10);
    g_assert_cmpuint (w.n_mark * a.n, <, a.n_mark * w.n / 4);

    /* The legend's row counts every figure only this screen shows. */
    g_test_message ("Legend: %s", legend);
    row = g_strdup_printf ("Shown only in analyst view: %u areas", n_hidden);
    g_assert_cmpuint (n_hidden, >, 0);
    g_assert_nonnull (strstr (legend, row));
  }

  g_object_set (window, "analyst-view", FALSE, NULL);
  wait_for_map (window);
  g_clear_pointer (&text, g_free);
  text = tw_window_get_details_text (window);
  g_assert_null (strstr (text, "Count: 4"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Not a test: the numbers of the speed checks, when TW_BENCH_PROJECT names a project. */
static void
bench_open_and_pan (void)
{
  const char *path = g_getenv ("TW_BENCH_PROJECT");
  TwWindow *window;
  g_autoptr(GFile) file = NULL;
  ShumateViewport *viewport;
  double lat, lon, zoom;
  gint64 start, last = 0, gaps[6] = { 0 };

  if (path == NULL)
    {
      g_test_skip ("TW_BENCH_PROJECT is not set");
      return;
    }

  window = tw_window_new (app);
  file = g_file_new_for_path (path);
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frames (GTK_WIDGET (window));
  start = g_get_monotonic_time ();
  tw_window_open (window, file);
  spin_while (map_not_drawn, window);
  wait_for_frames (GTK_WIDGET (window));
  g_printerr ("open to a fully drawn map: %.0f ms to the last tile, %.0f ms to the frames "
              "after it (%u areas)\n",
              tw_window_get_open_ms (window) > 0 ? tw_window_get_open_ms (window)
                                                 : (g_get_monotonic_time () - start) / 1000.0,
              (g_get_monotonic_time () - start) / 1000.0,
              tw_area_layer_get_n_areas (tw_window_get_area_layer (window)));

  viewport = shumate_simple_map_get_viewport (tw_window_get_map (window));
  lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  zoom = shumate_viewport_get_zoom_level (viewport);

  /* Pan and zoom one step a frame, as a hand on a touchpad would, for 240 frames. */
  tw_window_watch_frames (window, TRUE);
  for (int i = 0; i < 240; i++)
    {
      guint frames = 0;
      guint id = gtk_widget_add_tick_callback (GTK_WIDGET (window), count_frame, &frames, NULL);
      double t = i / 240.0;

      shumate_viewport_set_zoom_level (viewport, zoom + 2.5 * sin (t * G_PI));
      shumate_location_set_location (SHUMATE_LOCATION (viewport),
                                     lat + 0.8 * sin (t * 2 * G_PI),
                                     lon + 1.5 * sin (t * 3 * G_PI));
      while (frames < 1)
        g_main_context_iteration (NULL, TRUE);
      gtk_widget_remove_tick_callback (GTK_WIDGET (window), id);
      if (last != 0)
        {
          gint64 gap = (g_get_monotonic_time () - last) / 1000;
          gaps[gap < 17 ? 0 : gap < 34 ? 1 : gap < 50 ? 2 : gap < 100 ? 3 : gap < 250 ? 4 : 5]++;
          if (gap >= 50)
            g_printerr ("  step %d: %" G_GINT64_FORMAT " ms\n", i, gap);
        }
      last = g_get_monotonic_time ();
    }
  g_printerr ("steps by duration: <17 ms %" G_GINT64_FORMAT ", <34 %" G_GINT64_FORMAT
              ", <50 %" G_GINT64_FORMAT ", <100 %" G_GINT64_FORMAT ", <250 %" G_GINT64_FORMAT
              ", more %" G_GINT64_FORMAT "\n", gaps[0], gaps[1], gaps[2], gaps[3], gaps[4],
              gaps[5]);
  g_printerr ("longest gap between frames while panning and zooming: %.1f ms\n",
              tw_window_get_max_frame_gap (window));
  g_printerr ("most main-thread CPU time between two frames: %.1f ms\n",
              tw_window_get_max_frame_cpu (window));
  tw_window_watch_frames (window, FALSE);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Manual breaks typed in the Classes popover make the map's classes. */
static void
test_manual_breaks (void)
{
  TwWindow *window = open_demo ();
  GtkEntry *entry = tw_window_get_breaks_entry (window);
  const TwClassification *classes;
  g_autoptr(Image) shot = NULL;

  GtkLabel *reason = GTK_LABEL (find_by_id (GTK_WIDGET (window), "breaks_error"));
  const TwClassification *before;
  guint n_before;
  double second_before;

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (entry)));
  before = tw_choropleth_get_classification (tw_window_get_choropleth (window));
  n_before = before->n_classes;
  second_before = before->breaks[1];
  select_picker (window, "method", "Manual breaks");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (entry)));

  /* Nothing typed yet: the field holds the breaks on the map, not red, and the map keeps
   * its classes. */
  g_test_message ("manual breaks start as “%s”", gtk_editable_get_text (GTK_EDITABLE (entry)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), !=, "");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (reason)));
  wait_for_map (window);
  classes = tw_choropleth_get_classification (tw_window_get_choropleth (window));
  g_assert_cmpint (classes->method, ==, TW_CLASSIFY_MANUAL);
  g_assert_cmpuint (classes->n_classes, ==, n_before);
  g_assert_cmpfloat_with_epsilon (classes->breaks[1], second_before,
                                  fabs (second_before) * 1e-5 + 1e-9);

  /* Not numbers: the field turns red, says why under it, and the map keeps what it had. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "one, two");
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (reason)));
  g_test_message ("reason shown: %s", gtk_label_get_text (reason));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (reason), "'one' is not a number"));
  {
    GtkWidget *button = find_by_id (GTK_WIDGET (window), "classes_button");
    GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
    g_autoptr(Image) field = NULL;

    gtk_menu_button_popup (GTK_MENU_BUTTON (button));
    wait_for_frames (GTK_WIDGET (popover));
    field = render_window (GTK_WIDGET (popover), "map-manual-breaks-invalid.png");
    gtk_popover_popdown (popover);
  }

  gtk_editable_set_text (GTK_EDITABLE (entry), "1, 2; 3");
  g_signal_emit_by_name (entry, "activate");
  wait_for_map (window);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (reason)));
  classes = tw_choropleth_get_classification (tw_window_get_choropleth (window));
  g_assert_nonnull (classes);
  g_assert_cmpint (classes->method, ==, TW_CLASSIFY_MANUAL);
  g_assert_cmpuint (classes->n_classes, ==, 4);
  g_assert_cmpfloat (classes->breaks[1], ==, 1.0);
  g_assert_cmpfloat (classes->breaks[2], ==, 2.0);
  g_assert_cmpfloat (classes->breaks[3], ==, 3.0);
  shot = render_window (GTK_WIDGET (window), "map-manual-breaks.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Whether the picker named @picker lists @text. */
static gboolean
picker_lists (TwWindow   *window,
              const char *picker,
              const char *text)
{
  GListModel *model = gtk_drop_down_get_model (tw_window_get_picker (window, picker));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), text) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Groups read as words, not codes; a picker with one choice is not greyed out. */
static void
test_group_words (void)
{
  TwWindow *window = open_demo ();
  GtkDropDown *geography = tw_window_get_picker (window, "geography");
  guint one_choice = 0;

  select_picker (window, "geography", "Boston tracts");
  wait_for_map (window);
  g_assert_true (picker_lists (window, "group", "All groups"));
  g_assert_true (picker_lists (window, "group", "Black"));
  g_assert_true (picker_lists (window, "group", "Hispanic"));
  g_assert_false (picker_lists (window, "group", "black"));
  g_assert_false (picker_lists (window, "group", "all"));
  select_picker (window, "group", "Black");
  g_assert_cmpstr (tw_map_session_get_group (window->session), ==, "black");

  for (guint g = 0; g < g_list_model_get_n_items (gtk_drop_down_get_model (geography)); g++)
    {
      static const char *pickers[] = { "geography", "measure", "period", "group" };

      gtk_drop_down_set_selected (geography, g);
      wait_for_map (window);
      for (guint i = 0; i < G_N_ELEMENTS (pickers); i++)
        {
          GtkDropDown *dropdown = tw_window_get_picker (window, pickers[i]);

          if (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)) != 1)
            continue;
          g_test_message ("geography %u: the %s picker has one choice", g, pickers[i]);
          g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (dropdown)));
          one_choice++;
        }
    }
  g_assert_cmpuint (one_choice, >, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The palette picker names each scheme in words and shows its colours: the row picked
 * holds every colour of the map's scheme, and no ColorBrewer code is shown. */
static void
test_palette_rows (void)
{
  TwWindow *window = open_demo ();
  GtkWidget *button = find_by_id (GTK_WIDGET (window), "classes_button");
  GtkDropDown *dropdown = tw_window_get_picker (window, "palette");
  GListModel *model = gtk_drop_down_get_model (dropdown);
  const TwPalette *palette = tw_palette_lookup (TW_PALETTE_DEFAULT_NAME);
  g_autoptr(GtkStringObject) item = NULL;
  g_autoptr(Image) shot = NULL;
  GtkPopover *popover;
  graphene_rect_t bounds;

  item = g_list_model_get_item (model, gtk_drop_down_get_selected (dropdown));
  g_assert_cmpstr (gtk_string_object_get_string (item), ==, "Yellow, orange and red");
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) row = g_list_model_get_item (model, i);
      const char *text = gtk_string_object_get_string (row);

      /* A code such as "YlOrRd" has a capital inside; words such as "Blues" do not. */
      for (const char *c = text + 1; tw_palette_lookup (text) != NULL && *c != '\0'; c++)
        g_assert_false (g_ascii_isupper (*c));
      g_assert_null (strstr (text, "(sequential)"));
    }

  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  wait_for_frames (GTK_WIDGET (popover));
  shot = render_window (GTK_WIDGET (popover), "map-palette-picker.png");
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (dropdown), GTK_WIDGET (popover),
                                            &bounds));
  for (guint k = 0; k < TW_MAP_SESSION_DEFAULT_CLASSES; k++)
    {
      guint32 colour = tw_palette_get_color (palette, TW_MAP_SESSION_DEFAULT_CLASSES, k);
      gboolean seen = FALSE;

      for (int y = (int) bounds.origin.y; !seen && y < bounds.origin.y + bounds.size.height; y++)
        for (int x = (int) bounds.origin.x; !seen && x < bounds.origin.x + bounds.size.width; x++)
          seen = color_distance (pixel (shot, x, y), colour) <= 3;
      g_assert_true (seen);
    }
  gtk_popover_popdown (popover);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Long measure names do not widen the window: the demo fits a 1024-pixel screen beside
 * its panels, with the map and the table both in view. */
static void
test_fits_small_screen (void)
{
  TwWindow *window = open_demo ();
  int minimum = 0;

  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL,
                      NULL, NULL);
  g_test_message ("narrowest window: %d pixels", minimum);
  g_assert_cmpint (minimum, <=, 1000);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Standard-deviation classes are read in SDs from the mean, their rates beside. */
static void
test_stddev_legend (void)
{
  TwWindow *window = open_demo ();
  g_autofree char *legend = NULL;

  select_picker (window, "method", "Standard deviations");
  wait_for_map (window);
  legend = tw_window_get_legend_text (window);
  g_test_message ("Legend: %s", legend);
  g_assert_nonnull (strstr (legend, "−0.5 to +0.5 SD ("));
  g_assert_nonnull (strstr (legend, "below −"));
  g_assert_nonnull (strstr (legend, "above +"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Whether @label is a round 1-2-5 length in one of @units ("2,000 ft", "0.5 km" is not). */
static gboolean
is_round_length (const char         *label,
                 const char * const *units)
{
  g_autofree char *digits = g_strdup (label);
  char *unit = strchr (digits, ' ');
  double value, mantissa;
  char *end;

  if (unit == NULL || !g_strv_contains (units, unit + 1))
    return FALSE;
  *unit = '\0';
  for (char *from = digits, *to = digits;; from++)
    if (*from != ',' && (*to++ = *from) == '\0')
      break;
  value = g_ascii_strtod (digits, &end);
  if (*end != '\0' || value < 1)
    return FALSE;
  mantissa = value / pow (10, floor (log10 (value)));
  return mantissa == 1 || mantissa == 2 || mantissa == 5;
}

/* The scale bar says round lengths, in miles and feet or kilometres and metres, and its
 * bar is as long as the length says at every zoom. */
static void
test_scale_bar (void)
{
  static const char * const imperial_units[] = { "ft", "mi", NULL };
  static const char * const metric_units[] = { "m", "km", NULL };
  TwWindow *window = open_demo ();
  TwMapScale *scale = TW_MAP_SCALE (find_widget (GTK_WIDGET (window), TW_TYPE_MAP_SCALE,
                                                 NULL, NULL));
  ShumateViewport *viewport = shumate_simple_map_get_viewport (tw_window_get_map (window));

  for (double metres_per_pixel = 0.05; metres_per_pixel < 20000; metres_per_pixel *= 1.37)
    for (guint imperial = 0; imperial < 2; imperial++)
      {
        g_autofree char *label = NULL;
        double pixels = tw_map_scale_pick (metres_per_pixel, 120, imperial, &label);

        if (!is_round_length (label, imperial ? imperial_units : metric_units))
          g_error ("%g m a pixel: “%s” is not a round length", metres_per_pixel, label);
        g_assert_cmpfloat (pixels, <=, 120);
        g_assert_cmpfloat (pixels, >=, 120 * 0.35);
      }
  {
    g_autofree char *label = NULL;

    /* 1,000 ft at 6 m a pixel would not fit; 500 ft does. */
    tw_map_scale_pick (0.3048 * 1000 / 100.0, 120, TRUE, &label);
    g_assert_cmpstr (label, ==, "1,000 ft");
    g_clear_pointer (&label, g_free);
    tw_map_scale_pick (1609.344 * 10 / 100.0, 120, TRUE, &label);
    g_assert_cmpstr (label, ==, "10 mi");
  }

  /* The window's bar, at whatever zoom: the tests run in the C locale, metric. */
  g_assert_nonnull (scale);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (scale)));
  for (double zoom = 5; zoom <= 14; zoom += 1.3)
    {
      shumate_viewport_set_zoom_level (viewport, zoom);
      g_test_message ("zoom %.1f: %s", zoom, tw_map_scale_get_label (scale));
      g_assert_true (is_round_length (tw_map_scale_get_label (scale), metric_units));
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  app = window_test_setup (&argc, &argv, "map", &tmpdir, &demo_path);

  g_test_add_func ("/ui/map/class-colour", test_class_colour);
  g_test_add_func ("/ui/map/hover-details", test_hover_details);
  g_test_add_func ("/ui/map/suppressed-hatched", test_suppressed_hatched);
  g_test_add_func ("/ui/map/unreliable-hatched", test_unreliable_hatched);
  g_test_add_func ("/ui/map/table-selection", test_table_selection);
  g_test_add_func ("/ui/map/table-privacy", test_table_privacy);
  g_test_add_func ("/ui/map/table-names-figure", test_table_names_figure);
  g_test_add_func ("/ui/map/table-search-filters", test_table_search_filters);
  g_test_add_func ("/ui/map/measure-changes-colours", test_measure_changes_colours);
  g_test_add_func ("/ui/map/manual-breaks", test_manual_breaks);
  g_test_add_func ("/ui/map/palette-rows", test_palette_rows);
  g_test_add_func ("/ui/map/stddev-legend", test_stddev_legend);
  g_test_add_func ("/ui/map/scale-bar", test_scale_bar);
  g_test_add_func ("/ui/map/group-words", test_group_words);
  g_test_add_func ("/ui/map/offline-outlines", test_offline_outlines);
  g_test_add_func ("/ui/map/fits-small-screen", test_fits_small_screen);
  g_test_add_func ("/ui/map/analyst-view", test_analyst_view);
  g_test_add_func ("/ui/map/bench", bench_open_and_pan);

  return window_test_run (app, tmpdir, demo_path);
}
