/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-change"

#include <math.h>
#include <string.h>

#include "tw-analysis-panel.h"
#include "tw-change.h"
#include "tw-export-dialog.h"
#include "tw-export.h"
#include "tw-format.h"
#include "tw-palette.h"
#include "tw-rate-table.h"
#include "tw-store.h"
#include "tw-trend.h"
#include "tw-window.h"
#include "tw-window-private.h"
#include "window-test-helpers.h"

#define WIDTH 1280
#define HEIGHT 800
#define DIABETES "Uncontrolled diabetes, HbA1c over 9% (synthetic)"

static char *tmpdir;
static char *demo_path;
static TwApplication *app;

/* The demo's Boston tracts, uncontrolled diabetes for all groups: 55 tracts fell from 2019
 * to 2021 and 13 rose by more than chance allows; most changes the data cannot tell. */
static TwWindow *
open_change_map (TwMapMode mode)
{
  TwWindow *window = open_project_window (app, demo_path, WIDTH, HEIGHT);

  select_picker (window, "geography", "Boston tracts");
  wait_for_map (window);
  select_picker (window, "measure", DIABETES);
  wait_for_map (window);
  if (mode == TW_MAP_MODE_TREND)
    {
      select_picker (window, "mode", "Trend (annual % change)");
      wait_for_map (window);
      return window;
    }
  select_picker (window, "mode", mode == TW_MAP_MODE_CHANGE_RATIO ? "Change (ratio)"
                                                                  : "Change (difference)");
  select_picker (window, "from-period", "2019 →");
  select_picker (window, "period", "2021");
  wait_for_map (window);
  return window;
}

/* The change of @geoid as the data layer computes it for `tractwise-cli change`. */
static TwChangeRow
data_change_of (const char *measure,
                const char *geoid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = tw_store_open (demo_path, &error);
  TwChangeQuery query = { measure, "2019", "2021", "all", -1, FALSE, TW_RATE_METHOD_CRUDE };
  g_autoptr(TwChange) change = NULL;
  TwChangeRow found = { 0 };

  g_assert_no_error (error);
  change = tw_change_compute (store, &query, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tw_change_get_n_rows (change); i++)
    if (g_str_equal (tw_change_get_row (change, i)->geoid, geoid))
      found = *tw_change_get_row (change, i);
  g_assert_nonnull (found.geoid);
  found.geoid = NULL;
  found.stratum = NULL;
  found.reason = NULL;
  return found;
}

static TwChangeRow
data_change (const char *geoid)
{
  return data_change_of ("diabetes_uncontrolled", geoid);
}

static gboolean
is_blue (guint32 color)
{
  return (color & 0xff) > ((color >> 16) & 0xff) + 40;
}

static gboolean
is_red (guint32 color)
{
  return ((color >> 16) & 0xff) > (color & 0xff) + 40;
}

/* Pixels of @image in a box around (@x, @y) inside @area (all of the box when @area < 0):
 * how many are @fill, how many are well off it (a hatch line). */
static void
count_hatch (TwWindow    *window,
             const Image *image,
             int          area,
             guint32      fill,
             double       x,
             double       y,
             int          half,
             guint       *n,
             guint       *n_fill,
             guint       *n_mark)
{
  *n = *n_fill = *n_mark = 0;
  for (int dy = -half; dy <= half; dy++)
    for (int dx = -half; dx <= half; dx++)
      {
        guint32 seen;

        if (area >= 0 && (hit_at_window (window, x + dx, y + dy) != area
                          || !map_shows_at (window, x + dx, y + dy)))
          continue;
        seen = pixel (image, (int) (x + dx), (int) (y + dy));
        (*n)++;
        *n_fill += color_distance (seen, fill) <= 3;
        *n_mark += color_distance (seen, fill) > 60;
      }
}

/* The legend's swatch of the changes the data cannot tell from none: the neutral colour
 * with hatch lines across it. */
static gboolean
is_undetermined_label (GtkWidget     *widget,
                       gconstpointer  data)
{
  return g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), "Cannot tell");
}

static void
check_undetermined_swatch (TwWindow    *window,
                           const Image *image,
                           guint32      fill)
{
  GtkWidget *label = find_widget (GTK_WIDGET (window), GTK_TYPE_LABEL,
                                  is_undetermined_label, NULL);
  GtkWidget *swatch;
  graphene_rect_t bounds;
  guint n, n_fill, n_mark;
  int half;

  g_assert_nonnull (label);
  swatch = gtk_widget_get_prev_sibling (label);
  g_assert_nonnull (swatch);
  g_assert_true (gtk_widget_compute_bounds (swatch, GTK_WIDGET (window), &bounds));
  half = (int) MIN (bounds.size.width, bounds.size.height) / 2 - 2;
  g_assert_cmpint (half, >=, 4);
  count_hatch (window, image, -1, fill, bounds.origin.x + bounds.size.width / 2,
               bounds.origin.y + bounds.size.height / 2, half, &n, &n_fill, &n_mark);
  g_test_message ("Legend swatch of the undetermined: %u pixels, %u fill, %u hatch", n, n_fill,
                  n_mark);
  g_assert_cmpuint (n_fill, >, n / 4);
  g_assert_cmpuint (n_mark, >, n / 20);
}

/* Improving tracts are blue, worsening red, those the data cannot tell from no change the
 * palette's pale middle under a hatch (in the legend's swatch too), each as the data
 * layer's change and interval say; and the figure each carries is the data layer's. */
static void
test_diverging_colours (void)
{
  TwWindow *window = open_change_map (TW_MAP_MODE_CHANGE);
  TwChoropleth *choropleth = tw_window_get_choropleth (window);
  TwAreaLayer *layer = tw_window_get_area_layer (window);
  TwMapStyle *style = tw_choropleth_get_style (choropleth);
  g_autoptr(Image) image = render_window (GTK_WIDGET (window), "change-difference.png");
  guint n_down = 0, n_up = 0, n_flat = 0, undetermined;

  g_assert_true (tw_choropleth_is_change (choropleth));
  undetermined = tw_map_style_get_n_classes (style) - 1;
  for (guint area = 0; area < tw_area_layer_get_n_areas (layer); area++)
    {
      const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, area);
      TwChangeRow row;
      guint32 seen, expected;
      double x, y;
      gboolean down, up;

      if (figure->kind == TW_AREA_SUPPRESSED || figure->kind == TW_AREA_NO_DATA)
        continue;
      row = data_change (tw_area_layer_get_geoid (layer, area));
      g_assert_false (row.suppressed);
      g_assert_cmpfloat_with_epsilon (figure->rate, row.estimate.difference, 1e-9);
      g_assert_cmpfloat_with_epsilon (figure->lower, row.estimate.difference_lower, 1e-9);
      g_assert_cmpfloat_with_epsilon (figure->upper, row.estimate.difference_upper, 1e-9);
      down = row.estimate.difference_upper < 0;
      up = row.estimate.difference_lower > 0;
      if ((down && n_down >= 3) || (up && n_up >= 3) || (!down && !up && n_flat >= 3)
          || !inner_point (window, area, &x, &y))
        continue;

      expected = tw_map_style_get_fill (style, figure->kind);
      if (!down && !up)
        {
          guint n, n_fill, n_mark;

          /* Lines of two colours inside the tract: its pale fill and the hatch. */
          g_assert_cmpuint (figure->kind, ==, undetermined);
          g_assert_cmpint (tw_map_style_get_hatch (style, area), ==, TW_HATCH_UNRELIABLE);
          g_assert_false (is_red (expected) || is_blue (expected));
          count_hatch (window, image, area, expected, x, y, 8, &n, &n_fill, &n_mark);
          g_test_message ("%s: %+.2f (%.2f – %.2f), undetermined: %u pixels, %u fill, %u hatch",
                          tw_area_layer_get_geoid (layer, area), figure->rate, figure->lower,
                          figure->upper, n, n_fill, n_mark);
          g_assert_cmpuint (n, >, 40);
          g_assert_cmpuint (n_fill, >, n / 5);
          g_assert_cmpuint (n_mark, >, n / 20);
          n_flat++;
          continue;
        }
      g_assert_cmpint (tw_map_style_get_hatch (style, area), ==, TW_HATCH_NONE);
      seen = pixel (image, (int) x, (int) y);
      g_test_message ("%s: %+.2f (%.2f – %.2f), kind %u, screen #%06x",
                      tw_area_layer_get_geoid (layer, area), figure->rate, figure->lower,
                      figure->upper, figure->kind, seen);
      g_assert_cmpint (color_distance (seen, expected), <=, 3);
      if (down)
        {
          /* Uncontrolled diabetes: a fall is an improvement, drawn blue. */
          g_assert_true (is_blue (seen));
          n_down++;
        }
      else
        {
          g_assert_true (is_red (seen));
          n_up++;
        }
    }
  check_undetermined_swatch (window, image, tw_map_style_get_fill (style, undetermined));
  g_assert_cmpuint (n_down, ==, 3);
  g_assert_cmpuint (n_up, >=, 1);
  g_assert_cmpuint (n_flat, ==, 3);
  g_assert_cmpuint (tw_choropleth_get_n_undetermined (choropleth), >, 100);
  g_assert_cmpuint (tw_choropleth_get_n_suppressed (choropleth), >, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* An area drawn in its class colour (red or blue, not the neutral) with the hatch across. */
static void
check_hatched_class (TwWindow           *window,
                     const Image        *image,
                     TwMapStyle         *style,
                     guint               area,
                     const TwAreaFigure *figure,
                     double              x,
                     double              y)
{
  guint32 fill = tw_map_style_get_fill (style, figure->kind);
  guint n, n_fill, n_mark;

  count_hatch (window, image, area, fill, x, y, 8, &n, &n_fill, &n_mark);
  g_test_message ("%s: %+.2f (%.2f – %.2f), unreliable (%s): %u pixels, %u fill, %u hatch",
                  tw_area_layer_get_geoid (tw_window_get_area_layer (window), area),
                  figure->rate, figure->lower, figure->upper, figure->reason, n, n_fill,
                  n_mark);
  g_assert_true (is_red (fill) || is_blue (fill));
  g_assert_cmpuint (n, >, 40);
  g_assert_cmpuint (n_fill, >, n / 5);
  g_assert_cmpuint (n_mark, >, n / 20);
}

/* The export's description ranks only the changes told from none with reliable ends: its
 * largest rise is the largest of those, not the largest change drawn (an undetermined
 * one here), and it counts what it left out. */
static void
check_description_ranks (TwChoropleth *choropleth,
                         TwAreaLayer  *layer,
                         guint         n_unreliable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = tw_store_open (demo_path, &error);
  g_autoptr(TwMapExport) page = NULL;
  g_autofree char *described = NULL, *expected = NULL, *left_out = NULL;
  g_autofree char *top_text = NULL, *best_text = NULL;
  guint undetermined = tw_map_style_get_n_classes (tw_choropleth_get_style (choropleth)) - 1;
  int top = -1, best = -1;

  g_assert_no_error (error);
  for (guint area = 0; area < tw_area_layer_get_n_areas (layer); area++)
    {
      const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, area);

      if (figure->kind > undetermined || isnan (figure->rate))
        continue;
      if (top < 0 || figure->rate > tw_choropleth_get_figure (choropleth, top)->rate)
        top = area;
      if (figure->kind < undetermined && figure->status == TW_FIGURE_SHOWN && figure->rate > 0
          && (best < 0 || figure->rate > tw_choropleth_get_figure (choropleth, best)->rate))
        best = area;
    }
  g_assert_cmpint (best, >=, 0);
  /* The largest change drawn is one the data cannot tell from none. */
  g_assert_cmpint (top, !=, best);
  g_assert_cmpint (tw_choropleth_get_figure (choropleth, top)->kind, ==, undetermined);

  page = tw_map_export_new (store, choropleth, NULL, NULL, &error);
  g_assert_no_error (error);
  described = tw_map_export_describe (page);
  g_test_message ("Description: %s", described);
  top_text = tw_choropleth_format_rate (choropleth, tw_choropleth_get_figure (choropleth, top)->rate);
  best_text = tw_choropleth_format_rate (choropleth,
                                         tw_choropleth_get_figure (choropleth, best)->rate);
  expected = g_strdup_printf ("Largest rises the data can tell from no change: %s (%s)",
                              tw_area_layer_get_name (layer, best), best_text);
  left_out = g_strdup_printf ("Not ranked: %u that cannot be told from no change and %u "
                              "unreliable.", tw_choropleth_get_n_undetermined (choropleth),
                              n_unreliable);
  g_assert_nonnull (strstr (described, expected));
  g_assert_nonnull (strstr (described, left_out));
  g_assert_null (strstr (described, top_text));
  g_assert_null (strstr (described, "Highest rates"));
}

/* A change told from none whose end is unreliable (the worse of its ends' statuses) keeps
 * its class colour under the unreliable hatch, is counted in the legend's unreliable row and
 * gives its reason on the card; one without an unreliable end is not hatched. The export's
 * description ranks neither it nor the undetermined. */
static void
test_unreliable_marked (void)
{
  TwWindow *window = open_change_map (TW_MAP_MODE_CHANGE);
  TwChoropleth *choropleth;
  TwAreaLayer *layer = tw_window_get_area_layer (window);
  TwMapStyle *style;
  g_autoptr(Image) image = NULL;
  g_autofree char *legend = NULL;
  guint undetermined;
  const TwStatusRow *rows;
  guint n_unreliable = 0, n_drawn = 0, n_reliable = 0;
  int row = -1, first = -1;

  /* Asthma visits of all groups: three of the changes told from none have an end of fewer
   * than 20 visits. */
  select_picker (window, "measure", "Asthma emergency visits (synthetic)");
  wait_for_map (window);
  choropleth = tw_window_get_choropleth (window);
  style = tw_choropleth_get_style (choropleth);
  image = render_window (GTK_WIDGET (window), "change-unreliable.png");
  legend = tw_window_get_legend_text (window);
  undetermined = tw_map_style_get_n_classes (style) - 1;
  g_assert_true (tw_choropleth_is_change (choropleth));
  for (guint area = 0; area < tw_area_layer_get_n_areas (layer); area++)
    {
      const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, area);
      TwChangeRow data;
      double x, y;

      if (figure->kind >= undetermined)
        continue;
      data = data_change_of ("asthma_ed", tw_area_layer_get_geoid (layer, area));
      if (data.status != TW_FIGURE_UNRELIABLE)
        {
          g_assert_cmpint (tw_map_style_get_hatch (style, area), ==, TW_HATCH_NONE);
          n_reliable++;
          continue;
        }
      n_unreliable++;
      g_assert_cmpint (figure->status, ==, TW_FIGURE_UNRELIABLE);
      g_assert_cmpint (tw_map_style_get_hatch (style, area), ==, TW_HATCH_UNRELIABLE);
      row = tw_choropleth_get_status_row_of (choropleth, area);
      if (first < 0)
        first = area;
      if (n_drawn >= 3 || !inner_point (window, area, &x, &y))
        continue;
      n_drawn++;
      check_hatched_class (window, image, style, area, figure, x, y);
    }
  g_test_message ("%u unreliable and %u reliable changes told from none", n_unreliable,
                  n_reliable);
  g_assert_cmpuint (n_unreliable, >, 0);
  g_assert_cmpuint (n_reliable, >, 0);
  if (n_drawn == 0)
    {
      /* The three are small tracts: look at the first closer. */
      ShumateViewport *viewport = shumate_simple_map_get_viewport (tw_window_get_map (window));
      TwBox box;
      double lon, lat, x, y;

      tw_geometry_set_get_area_box (tw_area_layer_get_geometry (layer), first, &box);
      tw_world_to_lonlat ((box.min_x + box.max_x) / 2, (box.min_y + box.max_y) / 2, &lon, &lat);
      shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
      shumate_viewport_set_zoom_level (viewport, shumate_viewport_get_zoom_level (viewport) + 3);
      wait_for_map (window);
      g_clear_pointer (&image, image_free);
      image = render_window (GTK_WIDGET (window), "change-unreliable-closer.png");
      g_assert_true (inner_point (window, first, &x, &y));
      check_hatched_class (window, image, style, first,
                           tw_choropleth_get_figure (choropleth, first), x, y);
    }
  g_assert_cmpint (row, >=, 0);
  g_assert_cmpuint (row, <, tw_choropleth_get_status_rows (choropleth, &rows));
  g_assert_cmpint (rows[row].status, ==, TW_FIGURE_UNRELIABLE);
  g_assert_cmpuint (rows[row].n_areas, ==, n_unreliable);
  g_test_message ("Legend: %s", legend);
  {
    const char *unreliable_row = strstr (legend, "Unreliable");
    g_autofree char *count = g_strdup_printf (": %u area", n_unreliable);

    g_assert_nonnull (unreliable_row);
    g_assert_true (g_str_has_prefix (strstr (unreliable_row, ": "), count));
  }

  check_description_ranks (choropleth, layer, n_unreliable);

  tw_map_session_set_selected_area (window->session, first);
  {
    g_autofree char *details = tw_window_get_details_text (window);
    const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, first);

    g_test_message ("Details: %s", details);
    g_assert_cmpstr (figure->reason, !=, "");
    g_assert_nonnull (strstr (details, "Unreliable in a period it is made of"));
    g_assert_nonnull (strstr (details, figure->reason));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The title of the areas table's value column. */
static const char *
value_column_title (TwWindow *window)
{
  GtkWidget *view = find_widget (GTK_WIDGET (window), GTK_TYPE_COLUMN_VIEW, NULL, NULL);
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_assert_nonnull (view);
  column = g_list_model_get_item (gtk_column_view_get_columns (GTK_COLUMN_VIEW (view)), 2);
  return gtk_column_view_column_get_title (column);
}

/* The legend and the details card say what the map is in words: a change between two
 * periods, the rule for the pale areas, and suppression at either end; the card of a tract
 * gives both rates and the change with its interval, and nothing of a hidden one. */
static void
test_accessible_text (void)
{
  TwWindow *window = open_change_map (TW_MAP_MODE_CHANGE);
  TwChoropleth *choropleth = tw_window_get_choropleth (window);
  TwAreaLayer *layer = tw_window_get_area_layer (window);
  g_autofree char *legend = tw_window_get_legend_text (window);
  int shown = -1, hidden = -1;

  g_test_message ("Legend: %s", legend);
  g_assert_nonnull (strstr (legend, "change in rate"));
  g_assert_nonnull (strstr (legend, "2019 → 2021"));
  g_assert_nonnull (strstr (legend, "Cannot tell from no change (the 95% interval includes it)"));
  g_assert_nonnull (strstr (legend, "in a period it is made of"));
  /* A proportion's difference is in percentage points, and the table's column says Change. */
  g_assert_nonnull (strstr (legend, "percentage points · 2019 → 2021"));
  g_assert_cmpstr (value_column_title (window), ==, "Change");

  for (guint area = 0; area < tw_area_layer_get_n_areas (layer); area++)
    {
      const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, area);

      if (figure->kind == TW_AREA_SUPPRESSED && hidden < 0)
        hidden = area;
      else if (figure->kind < tw_map_style_get_n_classes (tw_choropleth_get_style (choropleth)) - 1
               && shown < 0)
        shown = area;
    }
  g_assert_cmpint (shown, >=, 0);
  g_assert_cmpint (hidden, >=, 0);

  tw_map_session_set_selected_area (window->session, shown);
  {
    g_autofree char *details = tw_window_get_details_text (window);
    g_autofree char *from = NULL, *to = NULL;
    const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, shown);
    double from_rate, to_rate;

    g_test_message ("Details: %s", details);
    g_assert_true (tw_choropleth_get_change_ends (choropleth, shown, &from_rate, &to_rate));
    g_assert_cmpfloat_with_epsilon (to_rate - from_rate, figure->rate, 1e-9);
    g_assert_nonnull (strstr (details, "Rate: "));
    g_assert_nonnull (strstr (details, " → "));
    g_assert_nonnull (strstr (details, "Change: "));
    g_assert_nonnull (strstr (details, "95% interval"));
  }
  tw_map_session_set_selected_area (window->session, hidden);
  {
    g_autofree char *details = tw_window_get_details_text (window);

    g_test_message ("Details of a hidden change: %s", details);
    g_assert_nonnull (strstr (details, "not shown"));
    g_assert_null (strstr (details, "Rate: "));
    g_assert_null (strstr (details, "Change: "));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The ratio map is centred on 1: a ratio below 1 with an interval below 1 is blue. */
static void
test_ratio (void)
{
  TwWindow *window = open_change_map (TW_MAP_MODE_CHANGE_RATIO);
  TwChoropleth *choropleth = tw_window_get_choropleth (window);
  TwMapStyle *style = tw_choropleth_get_style (choropleth);
  g_autofree char *legend = tw_window_get_legend_text (window);
  guint n_below = 0, n_above = 0;

  g_test_message ("Legend: %s", legend);
  g_assert_nonnull (strstr (legend, "ratio of rates"));
  g_assert_nonnull (strstr (legend, "× · 2019 → 2021"));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TwStore) store = tw_store_open (demo_path, &error);
    g_autoptr(TwMapExport) page = tw_map_export_new (store, choropleth, NULL, NULL, &error);

    g_assert_no_error (error);
    g_test_message ("Export subtitle: %s", tw_map_export_get_subtitle (page));
    g_assert_nonnull (strstr (tw_map_export_get_subtitle (page), " · ratio of rates, × · "));
  }
  for (guint area = 0; area < tw_area_layer_get_n_areas (tw_choropleth_get_layer (choropleth));
       area++)
    {
      const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, area);

      if (figure->kind >= tw_map_style_get_n_classes (style) - 1)
        continue;
      if (figure->upper < 1)
        {
          g_assert_true (is_blue (tw_map_style_get_fill (style, figure->kind)));
          n_below++;
        }
      else
        {
          g_assert_cmpfloat (figure->lower, >, 1);
          g_assert_true (is_red (tw_map_style_get_fill (style, figure->kind)));
          n_above++;
        }
    }
  g_assert_cmpuint (n_below, >, 0);
  g_assert_cmpuint (n_above, >, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The trend map: each tract's annual percent change as tw-trend fits it, red where it
 * rises beyond chance, blue where it falls, pale where the interval holds no trend,
 * hatched where a year of the tract is hidden; the card says it in words. */
static void
test_trend (void)
{
  TwWindow *window = open_change_map (TW_MAP_MODE_TREND);
  TwChoropleth *choropleth = tw_window_get_choropleth (window);
  TwAreaLayer *layer = tw_window_get_area_layer (window);
  TwMapStyle *style = tw_choropleth_get_style (choropleth);
  g_autoptr(Image) image = render_window (GTK_WIDGET (window), "change-trend.png");
  g_autofree char *legend = tw_window_get_legend_text (window);
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = tw_store_open (demo_path, &error);
  g_autoptr(TwTrend) trend = NULL;
  guint undetermined = tw_map_style_get_n_classes (style) - 1;
  guint n_up = 0, n_down = 0, n_flat = 0, n_hidden = 0;
  int picked = -1;

  g_assert_no_error (error);
  g_test_message ("Legend: %s", legend);
  g_assert_nonnull (strstr (legend, "annual percent change"));
  g_assert_nonnull (strstr (legend, "% a year"));
  g_assert_cmpstr (value_column_title (window), ==, "% a year");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (tw_window_get_picker (window, "period"))));

  trend = tw_trend_compute (store, "diabetes_uncontrolled", NULL, "all", -1, FALSE, NULL,
                            &error);
  g_assert_no_error (error);
  for (guint r = 0; r < tw_trend_get_n_rows (trend); r++)
    {
      const TwTrendRow *row = tw_trend_get_row (trend, r);
      int area = tw_area_layer_find_geoid (layer, row->geoid);
      const TwAreaFigure *figure;
      guint32 fill;
      double x, y;

      if (area < 0 || !g_str_equal (row->stratum, "all"))
        continue;
      figure = tw_choropleth_get_figure (choropleth, area);
      if (row->suppressed)
        {
          g_assert_cmpuint (figure->kind, ==, TW_AREA_SUPPRESSED);
          n_hidden++;
          continue;
        }
      g_assert_cmpfloat_with_epsilon (figure->rate, row->fit.apc, 1e-9);
      fill = tw_map_style_get_fill (style, figure->kind);
      if (row->fit.apc_lower > 0)
        {
          g_assert_true (is_red (fill));
          n_up++;
        }
      else if (row->fit.apc_upper < 0)
        {
          g_assert_true (is_blue (fill));
          n_down++;
        }
      else
        {
          g_assert_cmpuint (figure->kind, ==, undetermined);
          n_flat++;
        }
      if (picked < 0 && row->fit.apc_lower > 0 && inner_point (window, area, &x, &y))
        {
          g_assert_cmpint (color_distance (pixel (image, (int) x, (int) y), fill), <=, 3);
          picked = area;
        }
    }
  g_test_message ("%u rising, %u falling, %u undetermined, %u hidden", n_up, n_down, n_flat,
                  n_hidden);
  g_assert_cmpuint (n_up, >, 0);
  g_assert_cmpuint (n_down, >, 0);
  g_assert_cmpuint (n_flat, >, 0);
  g_assert_cmpuint (n_hidden, >, 0);
  g_assert_cmpint (picked, >=, 0);

  tw_map_session_set_selected_area (window->session, picked);
  {
    g_autofree char *details = tw_window_get_details_text (window);

    g_test_message ("Details: %s", details);
    g_assert_nonnull (strstr (details, "Annual change: "));
    g_assert_nonnull (strstr (details, "% a year"));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The published rate of @geoid in @period, as `tractwise-cli rates` gives it; NAN when
 * hidden. */
static double
published_rate (TwStore    *store,
                const char *geoid,
                const char *period)
{
  g_autoptr(GError) error = NULL;
  TwRateQuery query = { "diabetes_uncontrolled", period, "all", -1, TW_RATE_METHOD_CRUDE,
                        FALSE };
  g_autoptr(TwRateTable) table = tw_rate_table_compute (store, &query, NULL, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < tw_rate_table_get_n_rows (table); i++)
    {
      const TwRateRow *row = tw_rate_table_get_row (table, i);

      if (g_str_equal (row->geoid, geoid))
        return tw_rate_row_is_suppressed (row) ? NAN : row->rate;
    }
  return NAN;
}

/* The card of a map of time draws the tract's rates year by year and reads them out;
 * a year hidden by the policy is "not shown" and breaks the line. */
static void
test_sparkline (void)
{
  static const char *years[] = { "2019", "2020", "2021" };
  TwWindow *window = open_change_map (TW_MAP_MODE_TREND);
  TwAreaLayer *layer = tw_window_get_area_layer (window);
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = tw_store_open (demo_path, &error);
  int whole = -1, broken = -1;

  g_assert_no_error (error);
  for (guint area = 0; area < tw_area_layer_get_n_areas (layer); area++)
    {
      guint n_hidden = 0;

      if (whole >= 0 && broken >= 0)
        break;
      for (guint y = 0; y < G_N_ELEMENTS (years); y++)
        n_hidden += isnan (published_rate (store, tw_area_layer_get_geoid (layer, area),
                                           years[y]));
      if (n_hidden == 0 && whole < 0)
        whole = area;
      else if (n_hidden == 1 && broken < 0)
        broken = area;
    }
  g_assert_cmpint (whole, >=, 0);
  g_assert_cmpint (broken, >=, 0);

  tw_map_session_set_selected_area (window->session, whole);
  wait_for_frames (GTK_WIDGET (window));
  {
    g_autofree char *details = tw_window_get_details_text (window);
    g_autoptr(Image) image = render_window (GTK_WIDGET (window), "change-sparkline.png");
    GtkWidget *line = find_by_id (GTK_WIDGET (window), "details_sparkline");
    graphene_rect_t bounds;
    guint dark = 0;

    g_test_message ("Details: %s", details);
    for (guint y = 0; y < G_N_ELEMENTS (years); y++)
      {
        double rate = published_rate (store, tw_area_layer_get_geoid (layer, whole), years[y]);
        g_autofree char *text = tw_format_published (rate, TRUE, FALSE, "—");
        g_autofree char *item = g_strdup_printf ("%s: %s", years[y], text);

        g_assert_nonnull (strstr (details, item));
      }
    g_assert_true (gtk_widget_compute_bounds (line, GTK_WIDGET (window), &bounds));
    for (int y = bounds.origin.y; y < bounds.origin.y + bounds.size.height; y++)
      for (int x = bounds.origin.x; x < bounds.origin.x + bounds.size.width; x++)
        dark += color_distance (pixel (image, x, y), 0xffffff) > 200;
    g_test_message ("%u dark pixels in the sparkline", dark);
    g_assert_cmpuint (dark, >, 30);
  }
  tw_map_session_set_selected_area (window->session, broken);
  {
    g_autofree char *details = tw_window_get_details_text (window);

    g_test_message ("Details: %s", details);
    g_assert_nonnull (strstr (details, "not shown"));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The period picker offers the three years pooled, and picking it maps the pool the data
 * layer reads: a tract shown in each year is shown pooled, with the sum of its counts. */
static void
test_pooled_periods (void)
{
  static const char *years[] = { "2019", "2020", "2021" };
  TwWindow *window = open_project_window (app, demo_path, WIDTH, HEIGHT);
  TwChoropleth *choropleth;
  g_autofree double *sums = NULL;
  g_autofree gboolean *all_shown = NULL;
  guint n_areas, checked = 0;

  select_picker (window, "geography", "Boston tracts");
  wait_for_map (window);
  select_picker (window, "measure", DIABETES);
  wait_for_map (window);
  n_areas = tw_area_layer_get_n_areas (tw_window_get_area_layer (window));
  sums = g_new0 (double, n_areas);
  all_shown = g_new (gboolean, n_areas);
  for (guint i = 0; i < n_areas; i++)
    all_shown[i] = TRUE;
  for (guint y = 0; y < G_N_ELEMENTS (years); y++)
    {
      select_picker (window, "period", years[y]);
      wait_for_map (window);
      choropleth = tw_window_get_choropleth (window);
      g_assert_cmpstr (tw_choropleth_get_period (choropleth), ==, years[y]);
      for (guint i = 0; i < n_areas; i++)
        {
          const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, i);

          all_shown[i] = all_shown[i] && !figure->suppressed && isfinite (figure->numerator);
          sums[i] += figure->numerator;
        }
    }

  select_picker (window, "period", "2019–2021 pooled");
  wait_for_map (window);
  choropleth = tw_window_get_choropleth (window);
  g_assert_cmpstr (tw_map_session_get_period (window->session), ==, "2019+2020+2021");
  g_assert_cmpstr (tw_choropleth_get_period (choropleth), ==, "2019+2020+2021");
  g_assert_false (tw_choropleth_is_change (choropleth));
  for (guint i = 0; i < n_areas; i++)
    {
      const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, i);

      if (!all_shown[i])
        continue;
      g_assert_false (figure->suppressed);
      g_assert_cmpfloat (figure->numerator, ==, sums[i]);
      checked++;
    }
  g_test_message ("%u tracts shown in every year, each pooled as the sum", checked);
  g_assert_cmpuint (checked, >, 100);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
panel_busy (gpointer panel)
{
  return tw_analysis_panel_get_busy (panel);
}

/* LISA of `tractwise-cli lisa` on the demo's Boston tracts, diabetes of all groups: the
 * clusters by GEOID. */
static GHashTable *
cli_clusters (const char *from)
{
  g_autoptr(JsonNode) root = NULL;
  GHashTable *clusters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonArray *rows;

  root = from != NULL
    ? run_cli_json ("lisa", demo_path, "--geography", "Boston tracts", "--measure",
                    "diabetes_uncontrolled", "--period", "2021", "--from", from, NULL)
    : run_cli_json ("lisa", demo_path, "--geography", "Boston tracts", "--measure",
                    "diabetes_uncontrolled", "--period", "2021", NULL);
  rows = json_node_get_array (root);
  for (guint r = 0; r < json_array_get_length (rows); r++)
    {
      JsonObject *row = json_array_get_object_element (rows, r);

      g_hash_table_insert (clusters, g_strdup (json_object_get_string_member (row, "geoid")),
                           g_strdup (json_object_get_string_member (row, "cluster")));
    }
  return clusters;
}

/* On a map of change the analysis panel runs LISA on the change (differential LISA): every
 * tract's cluster is `tractwise-cli lisa --from`'s, a tract hidden at either end takes no
 * part, and the clusters are not those of the later period's rates. On a trend it says
 * what it needs instead. */
static void
test_differential_lisa (void)
{
  TwWindow *window = open_change_map (TW_MAP_MODE_CHANGE);
  TwAreaLayer *layer = tw_window_get_area_layer (window);
  TwChoropleth *choropleth = tw_window_get_choropleth (window);
  GtkWidget *toggle = find_widget (GTK_WIDGET (window), GTK_TYPE_TOGGLE_BUTTON, has_css_class,
                                   "analysis-toggle");
  TwAnalysisPanel *panel = TW_ANALYSIS_PANEL (find_widget (GTK_WIDGET (window),
                                                           TW_TYPE_ANALYSIS_PANEL, NULL, NULL));
  g_autoptr(GHashTable) differential = cli_clusters ("2019");
  g_autoptr(GHashTable) rates = cli_clusters (NULL);
  g_autoptr(Image) image = NULL;
  const TwAnalysis *a;
  guint n_hidden = 0, n_other = 0, n_clustered = 0;

  g_assert_nonnull (toggle);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  wait_for_frames (GTK_WIDGET (window));
  tw_analysis_panel_set_kind (panel, TW_ANALYSIS_LISA);
  tw_analysis_panel_run (panel);
  spin_while (panel_busy, panel);
  a = tw_analysis_panel_get_analysis (panel);
  if (a == NULL)
    g_error ("No analysis: %s", tw_analysis_panel_get_status_text (panel));
  wait_for_map (window);
  image = render_window (GTK_WIDGET (window), "change-lisa.png");
  g_test_message ("%s", tw_analysis_panel_get_global_text (panel));

  for (guint area = 0; area < a->n_areas; area++)
    {
      const char *geoid = tw_area_layer_get_geoid (layer, area);
      const char *want = g_hash_table_lookup (differential, geoid);
      const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, area);

      g_assert_nonnull (want);
      if (figure->kind == TW_AREA_SUPPRESSED)
        {
          /* Hidden at either end: out of the statistic, as on the map of change. */
          g_assert_false (a->areas[area].analysed);
          g_assert_cmpstr (want, ==, "suppressed");
          n_hidden++;
          continue;
        }
      g_assert_cmpstr (tw_lisa_cluster_to_string (a->areas[area].kind), ==, want);
      n_clustered += a->areas[area].kind != TW_LISA_NOT_SIGNIFICANT;
      n_other += g_strcmp0 (want, g_hash_table_lookup (rates, geoid)) != 0;
    }
  g_test_message ("%u tracts hidden at an end, %u in a cluster, %u differ from 2021's LISA",
                  n_hidden, n_clustered, n_other);
  g_assert_cmpuint (n_hidden, ==, tw_choropleth_get_n_suppressed (choropleth));
  g_assert_cmpuint (n_hidden, >, 0);
  g_assert_cmpuint (n_clustered, >, 0);
  g_assert_cmpuint (n_other, >, 0);

  /* A trend has no two periods to take the change between. */
  select_picker (window, "mode", "Trend (annual % change)");
  wait_for_map (window);
  tw_analysis_panel_run (panel);
  spin_while (panel_busy, panel);
  g_test_message ("On a trend: %s", tw_analysis_panel_get_status_text (panel));
  g_assert_null (tw_analysis_panel_get_analysis (panel));
  g_assert_nonnull (strstr (tw_analysis_panel_get_status_text (panel), "not on a trend"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
export_busy (gpointer dialog)
{
  return tw_export_dialog_get_busy (dialog);
}

static gboolean
brief_busy (gpointer window)
{
  return tw_window_get_brief_busy (window);
}

/* Exports follow the mode: the Export Map dialog previews the map of change with no error,
 * its subtitle naming both periods, and the board brief is written for the session's
 * period, with its page of change. */
static void
test_exports_follow (void)
{
  TwWindow *window = open_change_map (TW_MAP_MODE_CHANGE);
  TwExportDialog *dialog = tw_window_export_map (window);
  g_autofree char *path = g_build_filename (tmpdir, "change-brief.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *text = NULL;
  g_autofree char *command = NULL;

  g_assert_nonnull (dialog);
  do
    {
      spin_while (export_busy, dialog);
      wait_for_frames (GTK_WIDGET (dialog));
    }
  while (tw_export_dialog_get_busy (dialog));
  g_test_message ("Export: %s / %s", tw_export_dialog_get_title_text (dialog),
                  tw_export_dialog_get_subtitle_text (dialog));
  g_assert_null (tw_export_dialog_get_error (dialog));
  g_assert_nonnull (strstr (tw_export_dialog_get_subtitle_text (dialog), "2019 → 2021"));
  /* The change's own unit: not "proportion percentage points". */
  g_assert_nonnull (strstr (tw_export_dialog_get_subtitle_text (dialog),
                            " · percentage points · "));
  g_assert_null (strstr (tw_export_dialog_get_subtitle_text (dialog), "proportion"));
  {
    g_autofree char *shot = g_test_build_filename (G_TEST_BUILT, "change-export.png", NULL);

    g_assert_true (gdk_texture_save_to_png (tw_export_dialog_get_preview (dialog, NULL, NULL),
                                            shot));
  }
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The page says what its hatches mean on a map of change, and counts the undetermined as
   * the legend does. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TwStore) store = tw_store_open (demo_path, &error);
    TwChoropleth *choropleth = tw_window_get_choropleth (window);
    g_autoptr(TwMapExport) page = NULL;
    g_autofree char *described = NULL;
    g_autofree char *counted = NULL;

    g_assert_no_error (error);
    page = tw_map_export_new (store, choropleth, NULL, NULL, &error);
    g_assert_no_error (error);
    described = tw_map_export_describe (page);
    counted = g_strdup_printf (" %u cannot be told from no change (hatched",
                               tw_choropleth_get_n_undetermined (choropleth));
    g_test_message ("Export: %s / %s", tw_map_export_get_footnote (page), described);
    g_assert_nonnull (strstr (tw_map_export_get_footnote (page),
                              "hatched the other way over the neutral colour cannot be told "
                              "from no change"));
    g_assert_nonnull (strstr (described, counted));
  }

  g_assert_true (tw_window_export_brief (window, file));
  spin_while (brief_busy, window);
  command = g_strdup_printf ("pdftotext -raw '%s' -", path);
  g_assert_true (g_spawn_command_line_sync (command, &text, NULL, NULL, NULL));
  g_assert_nonnull (strstr (text, "Change from 2019 to 2021"));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  app = window_test_setup (&argc, &argv, "change", &tmpdir, &demo_path);

  g_test_add_func ("/ui/change/diverging-colours", test_diverging_colours);
  g_test_add_func ("/ui/change/accessible-text", test_accessible_text);
  g_test_add_func ("/ui/change/unreliable-marked", test_unreliable_marked);
  g_test_add_func ("/ui/change/ratio", test_ratio);
  g_test_add_func ("/ui/change/trend", test_trend);
  g_test_add_func ("/ui/change/sparkline", test_sparkline);
  g_test_add_func ("/ui/change/pooled-periods", test_pooled_periods);
  g_test_add_func ("/ui/change/exports-follow", test_exports_follow);
  g_test_add_func ("/ui/change/differential-lisa", test_differential_lisa);

  return window_test_run (app, tmpdir, demo_path);
}
