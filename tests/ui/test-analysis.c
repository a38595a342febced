/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-analysis"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "tw-analysis-legend.h"
#include "tw-analysis-panel.h"
#include "tw-application.h"
#include "tw-palette.h"
#include "tw-window.h"
#include "tw-window-private.h"
#include "window-test-helpers.h"

/* The spatial analyses of the map window on the demo project's North Carolina SIDS
 * counties, against `tractwise-cli moran`, `lisa` and `hotspots` on the same file. */

#define WIDTH 1440
#define HEIGHT 900
#define NC "North Carolina counties"
#define PERIOD "1974-1978"

static char *tmpdir;
static char *demo_path;
static TwApplication *app;

static TwWindow *
open_demo (void)
{
  return open_project_window (app, demo_path, WIDTH, HEIGHT);
}

/* Whether @color shows within @radius pixels of (@x, @y): a thin county's inner point can
 * sit a pixel from its antialiased outline. */
static gboolean
shows_near (const Image *image,
            double       x,
            double       y,
            guint32      color,
            int          radius)
{
  for (int dy = -radius; dy <= radius; dy++)
    for (int dx = -radius; dx <= radius; dx++)
      if (color_distance (pixel (image, (int) x + dx, (int) y + dy), color) <= 3)
        return TRUE;
  return FALSE;
}

/* Widgets and the command line */

static JsonNode *
run_cli (const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("TW_CLI"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("tractwise-cli %s failed: %s", first, err);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* The GEOID → object rows of `tractwise-cli lisa` or `hotspots` on the demo. */
static JsonNode *
run_local_cli (const char *command)
{
  return run_cli (command, demo_path, "--geography", NC, "--measure", "sids", "--period",
                  PERIOD, NULL);
}

/* Shows the whole of the areas in the map as it is now laid out. */
static void
fit_map (TwWindow *window)
{
  ShumateViewport *viewport = shumate_simple_map_get_viewport (tw_window_get_map (window));
  GtkWidget *map = map_widget (window);
  TwBox box;
  double width = gtk_widget_get_width (map), height = gtk_widget_get_height (map);
  double lon, lat, zoom;

  tw_geometry_set_get_extent (tw_area_layer_get_geometry (tw_window_get_area_layer (window)),
                              &box);
  zoom = log2 (MIN (width * 0.92 / ((box.max_x - box.min_x) * 256),
                    height * 0.92 / ((box.max_y - box.min_y) * 256)));
  tw_world_to_lonlat ((box.min_x + box.max_x) / 2, (box.min_y + box.max_y) / 2, &lon, &lat);
  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
}

/* Opens the demo on SIDS 1974–78 and the analysis panel beside its map. */
static TwAnalysisPanel *
open_panel (TwWindow **window_out)
{
  TwWindow *window = open_demo ();
  GtkWidget *toggle = find_widget (GTK_WIDGET (window), GTK_TYPE_TOGGLE_BUTTON, has_css_class,
                                   "analysis-toggle");
  GtkWidget *panel = find_widget (GTK_WIDGET (window), TW_TYPE_ANALYSIS_PANEL, NULL, NULL);

  g_assert_nonnull (toggle);
  g_assert_nonnull (panel);
  select_picker (window, "period", PERIOD);
  wait_for_map (window);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  /* Without the table, for a larger map in the screenshots. */
  gtk_widget_set_visible (gtk_widget_get_parent (gtk_widget_get_parent (
                            GTK_WIDGET (tw_window_get_table (window)))), FALSE);
  wait_for_frames (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_mapped (panel));
  fit_map (window);
  wait_for_map (window);

  *window_out = window;
  return TW_ANALYSIS_PANEL (panel);
}

static gboolean
panel_busy (gpointer panel)
{
  return tw_analysis_panel_get_busy (panel);
}

static const TwAnalysis *
run_analysis (TwWindow        *window,
              TwAnalysisPanel *panel,
              TwAnalysisKind   kind)
{
  const TwAnalysis *analysis;

  tw_analysis_panel_set_kind (panel, kind);
  tw_analysis_panel_run (panel);
  g_assert_true (tw_analysis_panel_get_busy (panel));
  spin_while (panel_busy, panel);
  analysis = tw_analysis_panel_get_analysis (panel);
  if (analysis == NULL)
    g_error ("No analysis: %s", tw_analysis_panel_get_status_text (panel));
  g_assert_cmpint (analysis->kind, ==, kind);
  g_assert_true (tw_analysis_panel_get_style (panel) == analysis->style);
  wait_for_map (window);
  return analysis;
}

static TwAnalysisLegend *
get_legend (TwWindow *window)
{
  GtkWidget *legend = find_widget (GTK_WIDGET (window), TW_TYPE_ANALYSIS_LEGEND, NULL, NULL);

  g_assert_nonnull (legend);
  g_assert_true (gtk_widget_get_visible (legend));
  return TW_ANALYSIS_LEGEND (legend);
}

/* Tests */

static void
test_lisa (void)
{
  TwWindow *window = NULL;
  TwAnalysisPanel *panel = open_panel (&window);
  TwAreaLayer *layer = tw_window_get_area_layer (window);
  TwMoranPlot *plot = tw_analysis_panel_get_plot (panel);
  g_autoptr(JsonNode) moran = run_cli ("moran", demo_path, "--geography", NC, "--measure",
                                       "sids", "--period", PERIOD, NULL);
  JsonNode *lisa = run_local_cli ("lisa");
  JsonArray *rows = json_node_get_array (lisa);
  JsonObject *global = json_node_get_object (moran);
  const guint32 *colors = tw_analysis_lisa_colors ();
  const TwAnalysis *a = run_analysis (window, panel, TW_ANALYSIS_LISA);
  g_autoptr(Image) image = NULL;
  const char *legend;
  int high_high = -1, low_low = -1, selected;
  guint n_high_high = 0, n_hidden = 0;
  double x, y, px, py, mx, my;

  /* The panel's global Moran's I is the command line's, permutation p and all. */
  g_test_message ("%s", tw_analysis_panel_get_global_text (panel));
  g_assert_cmpfloat_with_epsilon (a->global.i, json_object_get_double_member (global, "i"),
                                  1e-12);
  g_assert_cmpfloat_with_epsilon (a->global.z, json_object_get_double_member (global, "z"),
                                  1e-9);
  g_assert_cmpfloat_with_epsilon (a->global.p_permutation,
                                  json_object_get_double_member (global, "p_permutation"),
                                  1e-12);
  /* Over the 32 counties whose counts are published (68 have fewer than 11 deaths). */
  g_assert_cmpfloat (a->global.i, >, 0.34);
  g_assert_cmpfloat (a->global.i, <, 0.36);
  g_assert_nonnull (strstr (tw_analysis_panel_get_global_text (panel), "I = 0.3496"));
  g_assert_nonnull (strstr (tw_analysis_panel_get_global_text (panel), "68 suppressed left out"));

  /* Every county's cluster type is the command line's: suppressed counties are left out. */
  g_assert_cmpuint (json_array_get_length (rows), ==, tw_area_layer_get_n_areas (layer));
  for (guint r = 0; r < json_array_get_length (rows); r++)
    {
      JsonObject *row = json_array_get_object_element (rows, r);
      int area = tw_area_layer_find_geoid (layer, json_object_get_string_member (row, "geoid"));
      const char *cluster = json_object_get_string_member (row, "cluster");

      g_assert_cmpint (area, >=, 0);
      if (a->areas[area].kind == TW_AREA_SUPPRESSED)
        g_assert_cmpstr (cluster, ==, "suppressed");
      else
        g_assert_cmpstr (tw_lisa_cluster_to_string (a->areas[area].kind), ==, cluster);
    }
  for (guint i = 0; i < a->n_areas; i++)
    if (a->areas[i].suppressed)
      {
        n_hidden++;
        g_assert_false (a->areas[i].analysed);
        g_assert_cmpint (a->areas[i].kind, ==, TW_AREA_SUPPRESSED);
        g_assert_false (tw_moran_plot_get_point (plot, i, &px, &py));
      }
  g_assert_cmpuint (n_hidden, ==, 68);
  g_assert_cmpuint (a->n_suppressed, ==, n_hidden);
  g_assert_cmpuint (tw_moran_plot_get_n_points (plot), ==, a->n_analysed);
  image = render_window (GTK_WIDGET (window), "analysis-lisa-published.png");
  g_clear_pointer (&image, image_free);

  /* The analyst view takes every county, on this screen only: R spdep's figures. */
  g_object_set (window, "analyst-view", TRUE, NULL);
  wait_for_map (window);
  a = run_analysis (window, panel, TW_ANALYSIS_LISA);
  g_clear_pointer (&lisa, json_node_unref);
  lisa = run_cli ("lisa", demo_path, "--geography", NC, "--measure", "sids", "--period",
                  PERIOD, "--reveal", NULL);
  rows = json_node_get_array (lisa);
  g_assert_cmpfloat (a->global.i, >, 0.22);
  g_assert_cmpfloat (a->global.i, <, 0.24);
  g_assert_nonnull (strstr (tw_analysis_panel_get_global_text (panel), "I = 0.2309"));
  for (guint r = 0; r < json_array_get_length (rows); r++)
    {
      JsonObject *row = json_array_get_object_element (rows, r);
      int area = tw_area_layer_find_geoid (layer, json_object_get_string_member (row, "geoid"));
      const char *cluster = json_object_get_string_member (row, "cluster");

      g_assert_cmpstr (tw_lisa_cluster_to_string (a->areas[area].kind), ==, cluster);
      if (g_str_equal (cluster, "high-high"))
        n_high_high++;
    }
  g_assert_cmpuint (n_high_high, >, 0);
  g_assert_cmpuint (a->counts[TW_LISA_HIGH_HIGH], ==, n_high_high);

  /* On the map, a high-high county is red and a low-low one blue. */
  image = render_window (GTK_WIDGET (window), "analysis-lisa-map.png");
  for (guint i = 0; i < a->n_areas; i++)
    {
      guint32 seen;

      if (a->areas[i].kind != TW_LISA_HIGH_HIGH && a->areas[i].kind != TW_LISA_LOW_LOW)
        continue;
      if (!inner_point (window, i, &x, &y))
        continue;
      seen = pixel (image, (int) x, (int) y);
      g_test_message ("%s (%s): screen #%06x", tw_area_layer_get_name (layer, i),
                      tw_lisa_cluster_to_string (a->areas[i].kind), seen);
      g_assert_true (shows_near (image, x, y, colors[a->areas[i].kind], 2));
      if (a->areas[i].kind == TW_LISA_HIGH_HIGH && high_high < 0)
        high_high = (int) i;
    }
  g_assert_cmpint (high_high, >=, 0);
  legend = tw_analysis_legend_get_text (get_legend (window));
  g_test_message ("Legend: %s", legend);
  g_assert_nonnull (strstr (legend, "High–high"));
  g_assert_nonnull (strstr (legend, "Not significant"));

  g_assert_cmpuint (tw_moran_plot_get_n_points (plot), ==, a->n_analysed);
  g_assert_cmpuint (tw_moran_plot_get_n_points (plot), >=, 20);

  /* A significant county's point is drawn in its colour where the plot says it is; clicking
   * it selects the county on the map and fills the details card. (Low-low counties here all
   * have fewer than 11 deaths: their points are hidden.) */
  for (guint i = 0; i < a->n_areas && low_low < 0; i++)
    if (a->areas[i].kind != TW_LISA_NOT_SIGNIFICANT && !a->areas[i].suppressed
        && (int) i != high_high)
      low_low = (int) i;
  g_assert_cmpint (low_low, >=, 0);
  g_assert_true (tw_moran_plot_get_point (plot, low_low, &px, &py));
  g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (plot), GTK_WIDGET (window),
                                                   px, py, &x, &y));
  g_assert_cmpint (color_distance (pixel (image, (int) round (x), (int) round (y)),
                                   colors[a->areas[low_low].kind]), <=, 24);
  g_assert_cmpint (tw_moran_plot_activate_at (plot, px + 1, py - 1), ==, low_low);
  g_assert_cmpint (tw_window_get_selected_area (window), ==, low_low);
  {
    g_autofree char *details = tw_window_get_details_text (window);
    g_test_message ("Details: %s", details);
    g_assert_true (g_str_has_prefix (details, tw_area_layer_get_name (layer, low_low)));
  }

  /* Selecting a county on the map rings its point. */
  g_assert_true (inner_point (window, high_high, &x, &y));
  g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (window), map_widget (window),
                                                   x, y, &mx, &my));
  tw_window_pointer_click (window, mx, my);
  selected = tw_window_get_selected_area (window);
  g_assert_cmpint (selected, ==, high_high);
  g_assert_cmpint (tw_moran_plot_get_selected (plot), ==, high_high);

  /* For the picture: a county whose point shows, ringed, and its details. */
  g_assert_cmpint (tw_moran_plot_activate_at (plot, px, py), ==, low_low);
  wait_for_frames (GTK_WIDGET (window));
  g_clear_pointer (&image, image_free);
  image = render_window (GTK_WIDGET (window), "analysis-lisa.png");

  /* Closing the panel brings the rates back. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find_widget (GTK_WIDGET (window),
                                                                GTK_TYPE_TOGGLE_BUTTON,
                                                                has_css_class,
                                                                "analysis-toggle")), FALSE);
  wait_for_frames (GTK_WIDGET (window));
  wait_for_map (window);
  g_assert_null (tw_analysis_panel_get_style (panel));
  g_assert_false (gtk_widget_get_visible (find_widget (GTK_WIDGET (window),
                                                      TW_TYPE_ANALYSIS_LEGEND, NULL,
                                                      NULL)));
  {
    TwChoropleth *choropleth = tw_window_get_choropleth (window);
    const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, low_low);

    g_clear_pointer (&image, image_free);
    image = render_window (GTK_WIDGET (window), "analysis-closed.png");
    fit_map (window);
    wait_for_map (window);
    g_clear_pointer (&image, image_free);
    image = render_window (GTK_WIDGET (window), "analysis-closed.png");
    g_assert_true (inner_point (window, low_low, &x, &y));
    g_assert_cmpint (color_distance_near (image, (int) x, (int) y,
                                          tw_map_style_get_fill (tw_choropleth_get_style (choropleth),
                                                                 figure->kind)), <=, 3);
  }

  json_node_unref (lisa);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_hotspots (void)
{
  TwWindow *window = NULL;
  TwAnalysisPanel *panel = open_panel (&window);
  TwAreaLayer *layer = tw_window_get_area_layer (window);
  g_autoptr(JsonNode) hotspots = run_local_cli ("hotspots");
  JsonArray *rows = json_node_get_array (hotspots);
  const guint32 *colors = tw_analysis_hotspot_colors ();
  const TwAnalysis *a = run_analysis (window, panel, TW_ANALYSIS_HOTSPOTS);
  g_autoptr(Image) image = render_window (GTK_WIDGET (window), "analysis-hotspots.png");
  const char *legend = tw_analysis_legend_get_text (get_legend (window));
  guint n_hot = 0, n_seen = 0;

  g_test_message ("Legend: %s", legend);
  g_assert_nonnull (strstr (legend, "Hot spot, 99% confidence"));

  /* Each county's class follows the command line's z and p; on screen it has its colour. */
  for (guint r = 0; r < json_array_get_length (rows); r++)
    {
      JsonObject *row = json_array_get_object_element (rows, r);
      int area = tw_area_layer_find_geoid (layer, json_object_get_string_member (row, "geoid"));
      double z, p, x, y;
      int level, expected;

      g_assert_cmpint (area, >=, 0);
      /* A suppressed county is left out: hatched, with no z of its own. */
      if (g_str_equal (json_object_get_string_member (row, "status"), "suppressed"))
        {
          g_assert_cmpint (a->areas[area].kind, ==, TW_AREA_SUPPRESSED);
          g_assert_true (json_object_get_null_member (row, "z"));
          continue;
        }
      z = json_object_get_double_member (row, "z");
      p = json_object_get_double_member (row, "p");
      level = p <= 0.01 ? 3 : p <= 0.05 ? 2 : p <= 0.10 ? 1 : 0;
      expected = TW_HOTSPOT_NOT_SIGNIFICANT + (z > 0 ? level : -level);
      g_assert_cmpint (a->areas[area].kind, ==, expected);
      g_assert_cmpfloat_with_epsilon (a->areas[area].z, z, 1e-9);
      n_hot += expected > TW_HOTSPOT_NOT_SIGNIFICANT;
      if (expected != TW_HOTSPOT_NOT_SIGNIFICANT && inner_point (window, area, &x, &y))
        {
          g_assert_true (shows_near (image, x, y, colors[expected], 2));
          n_seen++;
        }
    }
  g_assert_cmpuint (n_hot, >, 0);
  /* (Over the 32 published counties few are significant.) */
  g_assert_cmpuint (n_seen, >=, 1);
  /* Gi* has no scatterplot. */
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (
                    GTK_WIDGET (tw_analysis_panel_get_plot (panel)))));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_bivariate (void)
{
  TwWindow *window = NULL;
  TwAnalysisPanel *panel = open_panel (&window);
  TwAreaLayer *layer = tw_window_get_area_layer (window);
  const guint32 *colors = tw_analysis_bivariate_colors ();
  const TwAnalysis *a;
  g_autoptr(Image) image = NULL;
  TwAnalysisLegend *legend;
  GtkWidget *square;
  guint n_suppressed = 0, n_hatched = 0;

  /* The attribute list is read in a thread once the map is shown. */
  while (!tw_analysis_panel_set_attribute (panel, "EXAMPLE_INDEX"))
    g_main_context_iteration (NULL, TRUE);

  /* The attribute's own map first: five quantile classes. */
  a = run_analysis (window, panel, TW_ANALYSIS_ATTRIBUTE);
  g_assert_cmpuint (a->n_classes, ==, 5);
  g_assert_cmpuint (a->n_no_data, ==, 0);
  g_assert_nonnull (strstr (tw_analysis_legend_get_text (get_legend (window)),
                            "EXAMPLE_INDEX"));
  image = render_window (GTK_WIDGET (window), "analysis-attribute.png");

  a = run_analysis (window, panel, TW_ANALYSIS_BIVARIATE);
  g_clear_pointer (&image, image_free);
  image = render_window (GTK_WIDGET (window), "analysis-bivariate.png");
  legend = get_legend (window);
  g_test_message ("Legend: %s", tw_analysis_legend_get_text (legend));
  g_assert_nonnull (strstr (tw_analysis_legend_get_text (legend), "Square legend"));

  /* The square legend is drawn: each of its nine swatches in its colour. */
  square = tw_analysis_legend_get_square (legend);
  g_assert_nonnull (square);
  for (guint at = 0; at < 3; at++)
    for (guint rt = 0; rt < 3; rt++)
      {
        double sx, sy, x, y;

        tw_analysis_legend_get_swatch_centre (legend, rt, at, &sx, &sy);
        g_assert_true (gtk_widget_translate_coordinates (square, GTK_WIDGET (window), sx, sy,
                                                         &x, &y));
        g_assert_cmpint (color_distance (pixel (image, (int) x, (int) y), colors[at * 3 + rt]),
                         <=, 3);
      }

  /* Nine classes over the counties; a suppressed county is hatched, never in a class that
   * would tell a third of its rate. */
  for (guint i = 0; i < a->n_areas; i++)
    {
      double x, y;
      guint n_dark = 0;

      if (!a->areas[i].suppressed)
        {
          g_assert_cmpuint (a->areas[i].kind, <, 9);
          continue;
        }
      n_suppressed++;
      g_assert_cmpuint (a->areas[i].kind, ==, TW_AREA_SUPPRESSED);
      if (!inner_point (window, i, &x, &y))
        continue;
      for (int dy = -6; dy <= 6; dy++)
        for (int dx = -6; dx <= 6; dx++)
          if (hit_at_window (window, x + dx, y + dy) == (int) i)
            n_dark += color_distance (pixel (image, (int) x + dx, (int) y + dy),
                                      tw_palette_fixed_color (TW_COLOR_SUPPRESSED_HATCH)) < 60;
      n_hatched += n_dark > 3;
    }
  g_test_message ("%u suppressed counties, %u seen hatched", n_suppressed, n_hatched);
  g_assert_cmpuint (n_suppressed, >, 0);
  g_assert_cmpuint (n_hatched, >, 0);
  g_assert_cmpuint (a->n_suppressed, ==, n_suppressed);
  {
    guint total = a->n_suppressed + a->n_no_data, used = 0;

    for (guint k = 0; k < 9; k++)
      {
        total += a->counts[k];
        used += a->counts[k] > 0;
      }
    g_assert_cmpuint (total, ==, a->n_areas);
    g_assert_cmpuint (used, >=, 5);
  }
  (void) layer;

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_cancel (void)
{
  TwWindow *window = NULL;
  TwAnalysisPanel *panel = open_panel (&window);

  tw_analysis_panel_set_kind (panel, TW_ANALYSIS_LISA);
  tw_analysis_panel_run (panel);
  g_assert_true (tw_analysis_panel_get_busy (panel));
  tw_analysis_panel_cancel (panel);
  g_assert_false (tw_analysis_panel_get_busy (panel));
  g_assert_null (tw_analysis_panel_get_analysis (panel));
  g_assert_null (tw_analysis_panel_get_style (panel));
  g_assert_nonnull (strstr (tw_analysis_panel_get_status_text (panel), "Cancelled"));
  /* The cancelled run's result, whenever its thread ends, is never shown. */
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_usleep (200000);
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (tw_analysis_panel_get_analysis (panel));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A cluster map left on screen under "Hot spots" would be read as hot spots: choosing
 * another analysis takes the old result off the map and brings the rates back. */
static void
test_kind_change_clears (void)
{
  TwWindow *window = NULL;
  TwAnalysisPanel *panel = open_panel (&window);
  g_autofree char *legend = NULL;

  run_analysis (window, panel, TW_ANALYSIS_LISA);
  g_assert_nonnull (tw_analysis_panel_get_style (panel));
  tw_analysis_panel_set_kind (panel, TW_ANALYSIS_HOTSPOTS);
  g_assert_null (tw_analysis_panel_get_analysis (panel));
  g_assert_null (tw_analysis_panel_get_style (panel));
  wait_for_map (window);
  legend = tw_window_get_legend_text (window);
  g_test_message ("Legend: %s", legend);
  g_assert_nonnull (strstr (legend, "Suppressed"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
label_holds (GtkWidget     *widget,
             gconstpointer  text)
{
  return gtk_widget_get_mapped (widget)
         && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static gboolean
status_lacks (gpointer panel)
{
  return find_widget (panel, GTK_TYPE_LABEL, label_holds, "Imported") == NULL
         && find_widget (panel, GTK_TYPE_LABEL, label_holds, "Nothing was imported") == NULL;
}

/* Area attributes imported from the window: the table's GEOIDs and columns of numbers are
 * found, the attribute is offered at once, and the status says how many areas have it and
 * how many rows were left out. Attributes another program imports meanwhile are offered
 * the next time the panel opens. */
static void
test_import_attributes (void)
{
  TwWindow *window = NULL;
  TwAnalysisPanel *panel = open_panel (&window);
  TwAreaLayer *layer = tw_window_get_area_layer (window);
  guint n_areas = tw_area_layer_get_n_areas (layer);
  g_autofree char *csv = g_build_filename (tmpdir, "svi.csv", NULL);
  g_autofree char *other_csv = g_build_filename (tmpdir, "adi.csv", NULL);
  g_autoptr(GString) text = g_string_new ("FIPS,County,SVI_TEST\n");
  g_autoptr(GString) other = g_string_new ("GEOID,ADI_TEST\n");
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  g_autoptr(JsonNode) result = NULL;
  GtkWidget *status;

  g_assert_false (tw_analysis_panel_set_attribute (panel, "SVI_TEST"));
  for (guint area = 0; area < n_areas; area++)
    {
      g_string_append_printf (text, "%s,%s,%.4f\n", tw_area_layer_get_geoid (layer, area),
                              tw_area_layer_get_name (layer, area), (area % 10) / 10.0);
      g_string_append_printf (other, "%s,%u\n", tw_area_layer_get_geoid (layer, area), area);
    }
  g_string_append (text, "99999,Nowhere,0.5\n");
  g_assert_true (g_file_set_contents (csv, text->str, -1, NULL));
  g_assert_true (g_file_set_contents (other_csv, other->str, -1, NULL));

  tw_analysis_panel_import_attributes (panel, file);
  spin_while (status_lacks, panel);
  status = find_widget (GTK_WIDGET (panel), GTK_TYPE_LABEL, label_holds, "mported");
  g_test_message ("Status: %s", gtk_label_get_text (GTK_LABEL (status)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (status)), "Imported SVI_TEST for 100 areas"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (status)), "1 row named no area"));
  while (!tw_analysis_panel_set_attribute (panel, "SVI_TEST"))
    g_main_context_iteration (NULL, TRUE);

  /* Another program writes to the workspace while the window is open. */
  result = run_cli ("import-attributes", demo_path, other_csv, "--geography", NC,
                    "--geoid-field", "GEOID", "--fields", "ADI_TEST", NULL);
  g_object_set (window->controls, "show-analysis", FALSE, NULL);
  wait_for_frames (GTK_WIDGET (window));
  g_object_set (window->controls, "show-analysis", TRUE, NULL);
  while (!tw_analysis_panel_set_attribute (panel, "ADI_TEST"))
    g_main_context_iteration (NULL, TRUE);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A small attribute table: GEOID and a made-up index, imported as a user would. */
static void
import_attributes (void)
{
  g_autofree char *csv = g_build_filename (tmpdir, "example-index.csv", NULL);
  g_autoptr(GString) text = g_string_new ("GEOID,EXAMPLE_INDEX\n");
  g_autoptr(JsonNode) lisa = run_local_cli ("lisa");
  JsonArray *rows = json_node_get_array (lisa);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = NULL;

  for (guint r = 0; r < json_array_get_length (rows); r++)
    {
      const char *geoid = json_object_get_string_member (json_array_get_object_element (rows,
                                                                                         r),
                                                         "geoid");
      /* A value spread over 0–1 that does not follow the rates. */
      guint code = (guint) g_ascii_strtoull (geoid, NULL, 10);

      g_string_append_printf (text, "%s,%.3f\n", geoid, ((code * 37) % 101) / 100.0);
    }
  g_assert_true (g_file_set_contents (csv, text->str, -1, &error));
  g_assert_no_error (error);
  result = run_cli ("import-attributes", demo_path, csv, "--geography", NC, "--geoid-field",
                    "GEOID", "--fields", "EXAMPLE_INDEX", NULL);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (result), "rows"), ==,
                   json_array_get_length (rows));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  window_test_init (&argc, &argv);

  tmpdir = make_tmpdir ("analysis");
  demo_path = make_demo (tmpdir);
  import_attributes ();

  app = window_test_application (NULL);

  g_test_add_func ("/ui/analysis/lisa", test_lisa);
  g_test_add_func ("/ui/analysis/hotspots", test_hotspots);
  g_test_add_func ("/ui/analysis/bivariate", test_bivariate);
  g_test_add_func ("/ui/analysis/cancel", test_cancel);
  g_test_add_func ("/ui/analysis/kind-change-clears", test_kind_change_clears);
  g_test_add_func ("/ui/analysis/import-attributes", test_import_attributes);

  status = g_test_run ();

  g_object_unref (app);
  remove_tree (tmpdir);
  g_free (tmpdir);
  g_free (demo_path);

  return status;
}
