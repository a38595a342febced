/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-export"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "tw-application.h"
#include "tw-store-private.h"
#include "tw-export-dialog.h"
#include "tw-exports-window.h"
#include "tw-store.h"
#include "tw-window.h"
#include "tw-window-private.h"
#include "window-test-helpers.h"

#define WIDTH 1280
#define HEIGHT 800

static char *tmpdir;
static char *demo_source;
static TwApplication *app;

/* Each test works on its own copy of the demo: the audit rows it counts are its own. */
static char *
copy_demo (const char *name)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmpdir, name, NULL);
  gsize length;

  g_assert_true (g_file_get_contents (demo_source, &contents, &length, &error));
  g_assert_true (g_file_set_contents (path, contents, (gssize) length, &error));
  g_assert_no_error (error);
  return path;
}

static TwWindow *
open_project (const char *path)
{
  return open_project_window (app, path, WIDTH, HEIGHT);
}

static gboolean
dialog_busy (gpointer dialog)
{
  return tw_export_dialog_get_busy (dialog);
}

/* Until the preview is drawn for the dialog's final size. */
static void
wait_for_preview (TwExportDialog *dialog)
{
  do
    {
      spin_while (dialog_busy, dialog);
      wait_for_frames (GTK_WIDGET (dialog));
    }
  while (tw_export_dialog_get_busy (dialog));
}

static gboolean
exports_loading (gpointer window)
{
  return tw_exports_window_get_loading (window);
}

/* Pixels of a texture, B8G8R8A8 premultiplied like window-test-helpers' Image. */
static Image *
download (GdkTexture *texture)
{
  Image *image = g_new0 (Image, 1);

  image->width = gdk_texture_get_width (texture);
  image->height = gdk_texture_get_height (texture);
  image->stride = (gsize) image->width * 4;
  image->data = g_malloc ((gsize) image->height * image->stride);
  gdk_texture_download (texture, image->data, image->stride);
  return image;
}

/* Where world point (@wx, @wy) is in the preview's pixels. */
static void
world_to_preview (const TwMapFrame *frame,
                  double            scale,
                  double            wx,
                  double            wy,
                  double           *px,
                  double           *py)
{
  double k = frame->width / (frame->view.max_x - frame->view.min_x);

  *px = (frame->x + (wx - frame->view.min_x) * k) * scale;
  *py = (frame->y + (wy - frame->view.min_y) * k) * scale;
}

/* A point of @area whose neighbours @margin preview pixels away are in it too. */
static gboolean
inner_preview_point (TwAreaLayer      *layer,
                     guint             area,
                     const TwMapFrame *frame,
                     double            scale,
                     double            margin,
                     double           *px,
                     double           *py)
{
  TwGeometrySet *geometry = tw_area_layer_get_geometry (layer);
  double per_pixel = (frame->view.max_x - frame->view.min_x) / (frame->width * scale);
  TwBox box;

  tw_geometry_set_get_area_box (geometry, area, &box);
  for (int j = 1; j < 16; j++)
    for (int i = 1; i < 16; i++)
      {
        double wx = box.min_x + (box.max_x - box.min_x) * i / 16;
        double wy = box.min_y + (box.max_y - box.min_y) * j / 16;
        gboolean inside = TRUE;

        for (int dy = -1; dy <= 1 && inside; dy++)
          for (int dx = -1; dx <= 1 && inside; dx++)
            inside = tw_geometry_set_hit (geometry, wx + dx * margin * per_pixel,
                                          wy + dy * margin * per_pixel) == (int) area;
        if (inside)
          {
            world_to_preview (frame, scale, wx, wy, px, py);
            return TRUE;
          }
      }
  return FALSE;
}

/* The pixels that differ between two pictures of one size, in rows @y0 to @y1. */
static guint
count_changed (const Image *a,
               const Image *b,
               int          y0,
               int          y1)
{
  guint n = 0;

  g_assert_cmpint (a->width, ==, b->width);
  g_assert_cmpint (a->height, ==, b->height);
  for (int y = y0; y < y1; y++)
    for (int x = 0; x < a->width; x++)
      n += color_distance (pixel (a, x, y), pixel (b, x, y)) > 40;
  return n;
}

static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-raw", path, "-", NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* A copy of @path in G_TEST_BUILDDIR, to look at after the test, like the screenshots. */
static void
keep_copy (const char *path,
           const char *name)
{
  g_autoptr(GFile) from = g_file_new_for_path (path);
  g_autofree char *to_path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_autoptr(GFile) to = g_file_new_for_path (to_path);
  g_autoptr(GError) error = NULL;

  g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("Kept: %s", to_path);
}

/* What a board member must read on any exported or printed page of @map. */
static void
assert_page_text (const char   *text,
                  TwChoropleth *map,
                  const char   *title)
{
  const TwClassification *classes = tw_choropleth_get_classification (map);
  g_autofree char *suppressed = g_strdup_printf ("Suppressed (fewer than %u",
                                                 tw_choropleth_get_policy (map)->min_count);
  guint checked = 0;

  g_assert_nonnull (strstr (text, title));
  g_assert_nonnull (strstr (text, suppressed));
  g_assert_nonnull (strstr (text, "No data"));
  g_assert_nonnull (strstr (text, "Suppression: Counts of 1 to 10"));
  g_assert_nonnull (strstr (text, "(CMS cell-size suppression policy, k = 11)"));
  for (guint c = 0; c < classes->n_classes; c++)
    {
      g_autofree char *low = tw_choropleth_format_rate (map, classes->breaks[c]);
      g_autofree char *high = tw_choropleth_format_rate (map, classes->breaks[c + 1]);
      g_autofree char *label = g_strdup_printf ("%s – %s", low, high);

      if (g_strcmp0 (low, high) == 0)
        continue;
      g_assert_nonnull (strstr (text, label));
      checked++;
    }
  g_assert_cmpuint (checked, >=, 3);
}

/* The audit log's rows of @action, as "detail" texts. */
static GPtrArray *
audit_details (const char *project,
               const char *action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = tw_store_open (project, &error);
  GPtrArray *details = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  stmt = tw_store_prepare (store, "SELECT detail FROM audit_log WHERE action = ?1 "
                                  "ORDER BY id", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, action, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (details, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  return details;
}

static gboolean
button_labelled (GtkWidget     *button,
                 gconstpointer  label)
{
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (button)), label) == 0;
}

/* The white page around (@x, @y) of a screenshot: its edges are where white ends. */
static void
find_sheet (const Image     *image,
            double           x,
            double           y,
            graphene_rect_t *sheet)
{
  int x0 = (int) x, x1 = (int) x, y0 = (int) y, y1 = (int) y;

  /* Along the top margin, then down the left one: neither holds anything but white. */
  while (x0 > 0 && pixel (image, x0 - 1, y0) == 0xFFFFFF)
    x0--;
  while (x1 < image->width - 1 && pixel (image, x1 + 1, y0) == 0xFFFFFF)
    x1++;
  while (y0 > 0 && pixel (image, x0 + 2, y0 - 1) == 0xFFFFFF)
    y0--;
  while (y1 < image->height - 1 && pixel (image, x0 + 2, y1 + 1) == 0xFFFFFF)
    y1++;
  graphene_rect_init (sheet, x0, y0, x1 - x0 + 1, y1 - y0 + 1);
}

static gboolean
menu_button_shows (GtkWidget     *button,
                   gconstpointer  icon_name)
{
  return g_strcmp0 (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (button)), icon_name) == 0;
}

/* Tests */

/* The preview shows each county in its class colour, in the picture on screen too, and
 * a new title redraws the page's title and leaves the map as it was. */
static void
test_preview (void)
{
  g_autofree char *project = copy_demo ("preview.tractwise");
  TwWindow *window = open_project (project);
  TwChoropleth *map = tw_window_get_choropleth (window);
  TwAreaLayer *layer = tw_choropleth_get_layer (map);
  TwMapStyle *style = tw_choropleth_get_style (map);
  TwExportDialog *dialog = tw_window_export_map (window);
  GtkWidget *picture = tw_export_dialog_get_preview_widget (dialog);
  const char *counties[] = { "Wake", "Mecklenburg", "Guilford", "Robeson" };
  g_autoptr(Image) before = NULL;
  g_autoptr(Image) after = NULL;
  g_autoptr(Image) screen = NULL;
  graphene_rect_t bounds, sheet;
  TwMapFrame frame, frame_after;
  double scale, shown;
  GdkTexture *texture;
  int title_bottom;

  g_assert_nonnull (dialog);
  wait_for_preview (dialog);
  g_assert_false (tw_export_dialog_get_refused (dialog));
  g_assert_null (tw_export_dialog_get_error (dialog));
  g_assert_cmpstr (tw_export_dialog_get_title_text (dialog), ==,
                   tw_choropleth_get_measure_label (map));
  g_assert_true (g_str_has_prefix (tw_export_dialog_get_subtitle_text (dialog),
                                   tw_choropleth_get_period (map)));

  /* Built once for the layer, kept for the next export or print. */
  {
    g_autoptr(TwLineSet) county_lines = NULL;
    g_autoptr(TwLineSet) state_lines = NULL;

    g_assert_true (tw_window_lookup_export_outlines (window, layer, &county_lines,
                                                     &state_lines));
    g_assert_nonnull (county_lines);
    g_assert_nonnull (state_lines);
  }

  texture = tw_export_dialog_get_preview (dialog, &frame, &scale);
  g_assert_nonnull (texture);
  before = download (texture);
  g_test_message ("Preview %d × %d pixels, %.3f a point", before->width, before->height, scale);
  /* Large enough to judge: the page fills most of the space beside the fields. */
  g_assert_cmpint (gtk_widget_get_width (picture), >=, 500);

  screen = render_window (GTK_WIDGET (dialog), "export-dialog.png");
  g_assert_true (gtk_widget_compute_bounds (picture, GTK_WIDGET (dialog), &bounds));
  /* The page as drawn on screen: the white sheet, found from its top margin. */
  find_sheet (screen, bounds.origin.x + bounds.size.width / 2,
              bounds.origin.y + bounds.size.height * 0.025, &sheet);
  shown = sheet.size.width / before->width;
  g_test_message ("Picture at %.0f,%.0f, %.0f × %.0f; the sheet at %.0f,%.0f, %.0f × %.0f",
                  bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height,
                  sheet.origin.x, sheet.origin.y, sheet.size.width, sheet.size.height);
  g_assert_cmpfloat (fabs (sheet.size.height / before->height - shown), <, 0.02);

  for (guint i = 0; i < G_N_ELEMENTS (counties); i++)
    {
      int area = find_area_named (window, counties[i]);
      const TwAreaFigure *figure = tw_choropleth_get_figure (map, area);
      guint32 expected, seen, on_screen;
      double px = 0, py = 0, sx, sy;

      g_assert_cmpint (area, >=, 0);
      g_assert_cmpuint (figure->kind, <, tw_map_style_get_n_classes (style));
      g_assert_true (inner_preview_point (layer, area, &frame, scale, 4, &px, &py));
      expected = tw_map_style_get_fill (style, figure->kind);
      seen = pixel (before, (int) px, (int) py);
      sx = sheet.origin.x + px * shown;
      sy = sheet.origin.y + py * shown;
      on_screen = pixel (screen, (int) sx, (int) sy);
      g_test_message ("%s: class %u #%06x, preview #%06x at %.0f,%.0f, screen #%06x at "
                      "%.0f,%.0f", counties[i], figure->kind, expected, seen, px, py,
                      on_screen, sx, sy);
      g_assert_cmpint (color_distance (seen, expected), <=, 3);
      g_assert_cmpint (color_distance (on_screen, expected), <=, 8);
    }

  tw_export_dialog_set_texts (dialog, "NC board: infant deaths by county", NULL, TRUE);
  wait_for_preview (dialog);
  texture = tw_export_dialog_get_preview (dialog, &frame_after, NULL);
  after = download (texture);
  g_clear_pointer (&screen, image_free);
  screen = render_window (GTK_WIDGET (dialog), "export-dialog-title.png");
  title_bottom = (int) (frame.y * scale);
  g_test_message ("Title area: %u pixels changed; map: %u",
                  count_changed (before, after, 0, title_bottom),
                  count_changed (before, after, title_bottom, before->height));
  g_assert_cmpuint (count_changed (before, after, 0, title_bottom), >, 200);
  g_assert_cmpfloat (fabs (frame_after.x - frame.x), <, 1e-6);
  g_assert_cmpfloat (fabs (frame_after.width - frame.width), <, 1e-6);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Zoomed in on a county, the page can show only what the window shows: the county in its
 * class colour, the far end of the state left out. Zoomed out, there is nothing to choose. */
static void
test_view_only (void)
{
  g_autofree char *project = copy_demo ("view.tractwise");
  TwWindow *window = open_project (project);
  TwChoropleth *map = tw_window_get_choropleth (window);
  TwAreaLayer *layer = tw_choropleth_get_layer (map);
  TwGeometrySet *geometry = tw_area_layer_get_geometry (layer);
  ShumateViewport *viewport = shumate_simple_map_get_viewport (tw_window_get_map (window));
  int wake = find_area_named (window, "Wake"), cherokee = find_area_named (window, "Cherokee");
  const TwAreaFigure *figure = tw_choropleth_get_figure (map, wake);
  TwMapStyle *style = tw_choropleth_get_style (map);
  g_autoptr(Image) image = NULL;
  TwExportDialog *dialog;
  TwMapFrame frame, whole;
  TwBox box, far;
  double lon, lat, scale, px = 0, py = 0;

  g_assert_cmpint (wake, >=, 0);
  g_assert_cmpint (cherokee, >=, 0);

  dialog = tw_window_export_map (window);
  wait_for_preview (dialog);
  g_assert_false (tw_export_dialog_get_view_available (dialog));
  g_assert_nonnull (tw_export_dialog_get_preview (dialog, &whole, NULL));
  gtk_window_destroy (GTK_WINDOW (dialog));

  tw_geometry_set_get_area_box (geometry, wake, &box);
  tw_geometry_set_get_area_box (geometry, cherokee, &far);
  tw_world_to_lonlat ((box.min_x + box.max_x) / 2, (box.min_y + box.max_y) / 2, &lon, &lat);
  shumate_viewport_set_zoom_level (viewport, 9);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
  wait_for_frames (GTK_WIDGET (window));

  dialog = tw_window_export_map (window);
  wait_for_preview (dialog);
  g_assert_true (tw_export_dialog_get_view_available (dialog));
  tw_export_dialog_set_view_only (dialog, TRUE);
  wait_for_preview (dialog);
  image = download (tw_export_dialog_get_preview (dialog, &frame, &scale));
  g_test_message ("Whole region %.4f wide, the view %.4f", whole.view.max_x - whole.view.min_x,
                  frame.view.max_x - frame.view.min_x);
  g_assert_cmpfloat (frame.view.max_x - frame.view.min_x, <,
                     (whole.view.max_x - whole.view.min_x) / 3);
  g_assert_cmpfloat (frame.view.min_x, <, box.min_x);
  g_assert_cmpfloat (frame.view.max_x, >, box.max_x);
  g_assert_cmpfloat (frame.view.min_x, >, far.max_x);
  g_assert_true (inner_preview_point (layer, wake, &frame, scale, 4, &px, &py));
  g_assert_cmpint (color_distance (pixel (image, (int) px, (int) py),
                                   tw_map_style_get_fill (style, figure->kind)), <=, 3);
  render_window (GTK_WIDGET (dialog), "export-dialog-view.png");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Export one file through the dialog as the file chooser's answer does; waits until the
 * dialog has closed. */
static void
export_through_dialog (TwWindow       *window,
                       TwExportFormat  format,
                       const char     *paper,
                       int             width,
                       int             height,
                       const char     *path)
{
  TwExportDialog *dialog = tw_window_export_map (window);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gpointer closed = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &closed);
  wait_for_preview (dialog);
  tw_export_dialog_set_page (dialog, format, paper, TRUE, 96, width, height);
  if (format == TW_EXPORT_FORMAT_PNG)
    {
      g_autoptr(Image) image = NULL;

      wait_for_preview (dialog);
      image = render_window (GTK_WIDGET (dialog), "export-dialog-png.png");
    }
  tw_export_dialog_export_to (dialog, file);
  /* Gone once the file is written. */
  while (closed != NULL)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
not_closed (gpointer location)
{
  return *(gpointer *) location != NULL;
}

/* PNG, SVG and PDF written through the dialog: the right size and text, an audit row each,
 * a toast naming the file, and the project's list of exports naming them all. */
static void
test_files (void)
{
  g_autofree char *project = copy_demo ("files.tractwise");
  TwWindow *window = open_project (project);
  TwChoropleth *map = tw_window_get_choropleth (window);
  g_autofree char *png = g_build_filename (tmpdir, "board-map.png", NULL);
  g_autofree char *svg = g_build_filename (tmpdir, "board-map.svg", NULL);
  g_autofree char *pdf = g_build_filename (tmpdir, "board map.pdf", NULL);
  g_autofree char *svg_text = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) details = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) rows = NULL;
  g_autoptr(Image) image = NULL;
  cairo_surface_t *surface;
  TwExportsWindow *exports;
  gpointer alive;

  export_through_dialog (window, TW_EXPORT_FORMAT_PNG, NULL, 1200, 800, png);
  g_assert_cmpstr (tw_window_get_export_toast (window), ==, "Exported “board-map.png”");
  surface = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 1200);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 800);
  cairo_surface_destroy (surface);

  export_through_dialog (window, TW_EXPORT_FORMAT_SVG, "a4", 0, 0, svg);
  g_assert_true (g_file_get_contents (svg, &svg_text, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (svg_text, "<?xml"));
  g_assert_nonnull (strstr (svg_text, "</svg>"));

  /* A name without its suffix gets the format's. */
  {
    g_autofree char *bare = g_build_filename (tmpdir, "board map", NULL);

    export_through_dialog (window, TW_EXPORT_FORMAT_PDF, "letter", 0, 0, bare);
    g_assert_false (g_file_test (bare, G_FILE_TEST_EXISTS));
  }
  g_assert_cmpstr (tw_window_get_export_toast (window), ==, "Exported “board map.pdf”");
  text = pdf_text (pdf);
  assert_page_text (text, map, tw_choropleth_get_measure_label (map));
  keep_copy (pdf, "export-dialog.pdf");

  details = audit_details (project, "export-map");
  g_assert_cmpuint (details->len, ==, 3);
  g_assert_nonnull (strstr (details->pdata[0], "\"file\":\"board-map.png\""));
  g_assert_nonnull (strstr (details->pdata[1], "\"format\":\"svg\""));
  g_assert_nonnull (strstr (details->pdata[2], "\"file\":\"board map.pdf\""));
  g_assert_nonnull (strstr (details->pdata[2], "\"policy\":\"cms, k = 11\""));

  exports = tw_window_show_exports (window);
  alive = exports;
  g_object_add_weak_pointer (G_OBJECT (exports), &alive);
  spin_while (exports_loading, exports);
  wait_for_frames (GTK_WIDGET (exports));
  image = render_window (GTK_WIDGET (exports), "exports-list.png");
  rows = tw_exports_window_get_rows (exports);
  g_assert_cmpuint (g_strv_length (rows), ==, 3);
  /* The newest first, each with the file still there to open. */
  g_assert_true (g_str_has_prefix (rows[0], "board map.pdf\nMap · PDF · "));
  g_assert_true (g_str_has_prefix (rows[1], "board-map.svg\nMap · SVG · "));
  g_assert_true (g_str_has_prefix (rows[2], "board-map.png\nMap · PNG · "));
  for (guint i = 0; i < 3; i++)
    g_assert_true (g_str_has_suffix (rows[i], "\nopen"));
  gtk_window_close (GTK_WINDOW (exports));
  spin_while (not_closed, &alive);

  /* A file moved away can no longer be opened from the list. */
  g_assert_cmpint (g_unlink (svg), ==, 0);
  exports = tw_window_show_exports (window);
  spin_while (exports_loading, exports);
  g_clear_pointer (&rows, g_strfreev);
  rows = tw_exports_window_get_rows (exports);
  g_assert_false (g_str_has_suffix (rows[1], "\nopen"));
  g_assert_true (g_str_has_suffix (rows[0], "\nopen"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (png);
  g_unlink (pdf);
}

/* The web map through the dialog: no page size to choose, the name gets ".html", the file
 * is one offline page of the map, the export is audited as a map of format html. */
static void
test_web_map (void)
{
  g_autofree char *project = copy_demo ("web-map.tractwise");
  TwWindow *window = open_project (project);
  TwExportDialog *dialog = tw_window_export_map (window);
  g_autofree char *bare = g_build_filename (tmpdir, "board map", NULL);
  g_autofree char *html = g_build_filename (tmpdir, "board map.html", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (bare);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) details = NULL;
  g_autoptr(GError) error = NULL;
  gpointer closed = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &closed);
  wait_for_preview (dialog);
  tw_export_dialog_choose_web_map (dialog);
  g_assert_false (gtk_widget_get_visible (find_by_id (GTK_WIDGET (dialog), "size_row")));
  tw_export_dialog_export_to (dialog, file);
  while (closed != NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpstr (tw_window_get_export_toast (window), ==, "Exported “board map.html”");
  g_assert_false (g_file_test (bare, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (html, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "<!DOCTYPE html>"));
  g_assert_nonnull (strstr (text, "default-src 'none'"));
  g_assert_nonnull (strstr (text, "<table id=\"tw-table\">"));
  details = audit_details (project, "export-map");
  g_assert_cmpuint (details->len, ==, 1);
  g_assert_nonnull (strstr (details->pdata[0], "\"format\":\"html\""));
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (html);
}

/* The map's figures as a table from the Export dialog: the CSV and its codebook, read back. */
static void
test_csv (void)
{
  g_autofree char *project = copy_demo ("csv.tractwise");
  TwWindow *window = open_project (project);
  TwExportDialog *dialog = tw_window_export_map (window);
  g_autofree char *bare = g_build_filename (tmpdir, "figures", NULL);
  g_autofree char *csv = g_build_filename (tmpdir, "figures.csv", NULL);
  g_autofree char *codebook = g_build_filename (tmpdir, "figures.codebook.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (bare);
  g_autofree char *table = NULL, *book = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) details = NULL;
  g_autoptr(GError) error = NULL;
  gpointer closed = dialog;
  guint hidden = 0;

  g_object_add_weak_pointer (G_OBJECT (dialog), &closed);
  wait_for_preview (dialog);
  tw_export_dialog_choose_csv (dialog);
  g_assert_false (gtk_widget_get_visible (find_by_id (GTK_WIDGET (dialog), "size_row")));
  tw_export_dialog_export_to (dialog, file);
  while (closed != NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpstr (tw_window_get_export_toast (window), ==, "Exported “figures.csv”");
  g_assert_true (g_file_get_contents (csv, &table, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (table, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "geography,geoid,measure,period,stratum,numerator,denominator,"
                                 "rate,lower,upper,status,reason");
  /* The map's measure on its 100 counties, one row each; a hidden one has no count. */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 100 + 1);
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], ",", -1);

      g_assert_cmpstr (cells[0], ==, "North Carolina counties");
      g_assert_cmpstr (cells[2], ==, "sids");
      if (g_str_equal (cells[10], "suppressed") || g_str_equal (cells[10], "complementary"))
        {
          g_assert_cmpstr (cells[5], ==, "");
          g_assert_cmpstr (cells[7], ==, "");
          hidden++;
        }
    }
  g_test_message ("%u of 100 counties hidden", hidden);
  g_assert_cmpuint (hidden, >, 0);
  g_assert_true (g_file_get_contents (codebook, &book, NULL, &error));
  g_assert_true (g_str_has_prefix (book, "name,label,unit,universe,source,release,licence,"
                                         "null_codes,moe,policy\r\n"));
  g_assert_nonnull (strstr (book, "cms, version"));
  details = audit_details (project, "export-csv");
  g_assert_cmpuint (details->len, ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (csv);
  g_unlink (codebook);
}

/* The CHNA report from the Export dialog: its own fields (organisation, source line), a
 * live preview of its first page that follows them, and the file read back. */
static void
test_chna (void)
{
  static const char *const sections[] = {
    "Community served", "Process and methods", "Community input",
    "Significant health needs", "Resources available", "Impact of actions taken",
  };
  g_autofree char *project = copy_demo ("chna.tractwise");
  TwWindow *window = open_project (project);
  TwExportDialog *dialog = tw_window_export_map (window);
  g_autofree char *bare = g_build_filename (tmpdir, "needs assessment", NULL);
  g_autofree char *pdf = g_build_filename (tmpdir, "needs assessment.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (bare);
  g_autofree char *text = NULL;
  g_autofree guchar *first = NULL, *second = NULL;
  g_autoptr(GPtrArray) details = NULL;
  g_autoptr(Image) shot = NULL;
  GdkTexture *preview;
  gpointer closed = dialog;
  gsize size;

  g_object_add_weak_pointer (G_OBJECT (dialog), &closed);
  wait_for_preview (dialog);
  tw_export_dialog_choose_chna (dialog, "Riverside Health", "Synthetic outcomes, 2019 to 2021");
  wait_for_preview (dialog);
  g_assert_null (tw_export_dialog_get_error (dialog));
  g_assert_false (gtk_widget_get_visible (find_by_id (GTK_WIDGET (dialog), "size_row")));
  g_assert_false (gtk_widget_is_visible (find_by_id (GTK_WIDGET (dialog), "title_row")));
  g_assert_true (gtk_widget_is_visible (find_by_id (GTK_WIDGET (dialog), "source_row")));
  /* A letter page upright: the report's, not the map's landscape page. */
  preview = tw_export_dialog_get_preview (dialog, NULL, NULL);
  g_assert_nonnull (preview);
  g_assert_cmpint (gdk_texture_get_height (preview), >, gdk_texture_get_width (preview));
  size = (gsize) gdk_texture_get_width (preview) * gdk_texture_get_height (preview) * 4;
  first = g_malloc (size);
  gdk_texture_download (preview, first, gdk_texture_get_width (preview) * 4);
  shot = render_window (GTK_WIDGET (dialog), "export-dialog-chna.png");

  /* The preview follows the fields. */
  tw_export_dialog_choose_chna (dialog, "Riverside Health System of the Carolinas", NULL);
  wait_for_preview (dialog);
  preview = tw_export_dialog_get_preview (dialog, NULL, NULL);
  g_assert_cmpint ((gsize) gdk_texture_get_width (preview) * gdk_texture_get_height (preview) * 4,
                   ==, size);
  second = g_malloc (size);
  gdk_texture_download (preview, second, gdk_texture_get_width (preview) * 4);
  g_assert_true (memcmp (first, second, size) != 0);

  tw_export_dialog_export_to (dialog, file);
  while (closed != NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpstr (tw_window_get_export_toast (window), ==,
                   "Exported “needs assessment.pdf”");
  g_assert_false (g_file_test (bare, G_FILE_TEST_EXISTS));
  keep_copy (pdf, "export-dialog-chna.pdf");
  text = pdf_text (pdf);
  g_assert_nonnull (strstr (text, "Riverside Health System of the Carolinas"));
  g_assert_nonnull (strstr (text, "Source: Synthetic outcomes, 2019 to 2021"));
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    g_assert_nonnull (strstr (text, sections[i]));
  details = audit_details (project, "export-chna");
  g_assert_cmpuint (details->len, ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (pdf);
}

/* The dialog's message after exporting to @name in a folder that does not exist. */
static const char *
export_error (TwExportDialog *dialog,
              const char     *name)
{
  g_autofree char *path = g_build_filename (tmpdir, "no-such-folder", name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  const char *message;

  tw_export_dialog_export_to (dialog, file);
  wait_for_preview (dialog);
  message = tw_export_dialog_get_error (dialog);
  g_assert_nonnull (message);
  g_test_message ("%s", message);
  return message;
}

/* A file that cannot be written: one message in the dialog saying what, where and what to
 * do; the dialog stays open; no file, no audit row. */
static void
test_write_error (void)
{
  g_autofree char *project = copy_demo ("error.tractwise");
  TwWindow *window = open_project (project);
  TwExportDialog *dialog = tw_window_export_map (window);
  g_autofree char *path = g_build_filename (tmpdir, "no-such-folder", "map.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) details = NULL;
  g_autoptr(Image) image = NULL;
  const char *message;

  wait_for_preview (dialog);
  tw_export_dialog_export_to (dialog, file);
  wait_for_preview (dialog);
  message = tw_export_dialog_get_error (dialog);
  g_assert_nonnull (message);
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "The map was not exported"));
  g_assert_nonnull (strstr (message, "The folder “no-such-folder” does not exist."));
  g_assert_nonnull (strstr (message, "no-such-folder” does not exist"));
  g_assert_nonnull (strstr (message, "Choose another folder"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  details = audit_details (project, "export-map");
  g_assert_cmpuint (details->len, ==, 0);
  wait_for_frames (GTK_WIDGET (dialog));
  image = render_window (GTK_WIDGET (dialog), "export-dialog-error.png");

  /* The file cannot take the place of a folder of that name: the page drawn is removed. */
  {
    g_autofree char *taken = g_build_filename (tmpdir, "taken.pdf", NULL);
    g_autofree char *part = g_build_filename (tmpdir, "taken.pdf.part", NULL);
    g_autoptr(GFile) taken_file = g_file_new_for_path (taken);

    g_assert_cmpint (g_mkdir (taken, 0700), ==, 0);
    tw_export_dialog_export_to (dialog, taken_file);
    wait_for_preview (dialog);
    message = tw_export_dialog_get_error (dialog);
    g_test_message ("%s", message);
    g_assert_nonnull (strstr (message, "“taken.pdf”"));
    g_assert_null (strchr (message, '/'));
    g_assert_nonnull (strstr (message, "Nothing was written"));
    g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (taken, G_FILE_TEST_IS_DIR));
    g_clear_pointer (&details, g_ptr_array_unref);
    details = audit_details (project, "export-map");
    g_assert_cmpuint (details->len, ==, 0);
    g_rmdir (taken);
  }

  /* The table and the CHNA report: the message names what was not written. */
  tw_export_dialog_choose_csv (dialog);
  message = export_error (dialog, "figures.csv");
  g_assert_true (g_str_has_prefix (message, "The table and its codebook were not written. "));
  g_assert_nonnull (strstr (message, "“no-such-folder” does not exist"));
  g_assert_null (strstr (message, "map"));
  tw_export_dialog_choose_chna (dialog, "Riverside Health", NULL);
  message = export_error (dialog, "chna.pdf");
  g_assert_true (g_str_has_prefix (message, "The CHNA report was not written. "));
  g_assert_nonnull (strstr (message, "“no-such-folder” does not exist"));

  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  gboolean  done;
  gboolean  printed;
  GError   *error;
} PrintWait;

static void
on_printed (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  PrintWait *wait = user_data;

  wait->printed = tw_window_print_map_finish (TW_WINDOW (object), res, &wait->error);
  wait->done = TRUE;
}

static gboolean
print_running (gpointer wait)
{
  return !((PrintWait *) wait)->done;
}

/* A print to a PDF file holds the title, the legend and the footnote, and is logged. */
static void
test_print (void)
{
  g_autofree char *project = copy_demo ("print.tractwise");
  TwWindow *window = open_project (project);
  TwChoropleth *map = tw_window_get_choropleth (window);
  g_autofree char *pdf = g_build_filename (tmpdir, "printed.pdf", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) details = NULL;
  g_auto(GStrv) rows = NULL;
  TwExportsWindow *exports;
  PrintWait wait = { 0 };

  tw_window_print_map (window, pdf, on_printed, &wait);
  spin_while (print_running, &wait);
  g_assert_no_error (wait.error);
  g_assert_true (wait.printed);
  g_assert_cmpstr (tw_window_get_export_toast (window), ==, "Printed to “printed.pdf”");

  text = pdf_text (pdf);
  assert_page_text (text, map, tw_choropleth_get_measure_label (map));
  keep_copy (pdf, "export-printed.pdf");

  details = audit_details (project, "print");
  g_assert_cmpuint (details->len, ==, 1);
  g_test_message ("%s", (char *) details->pdata[0]);
  g_assert_nonnull (strstr (details->pdata[0], "\"file\":\"printed.pdf\""));
  g_assert_nonnull (strstr (details->pdata[0], "\"measure\":\"sids\""));
  g_assert_nonnull (strstr (details->pdata[0], "\"policy\":\"cms, k = 11\""));

  exports = tw_window_show_exports (window);
  spin_while (exports_loading, exports);
  rows = tw_exports_window_get_rows (exports);
  g_assert_cmpuint (g_strv_length (rows), ==, 1);
  g_assert_true (g_str_has_prefix (rows[0], "printed.pdf\nPrint · PDF · "));

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (pdf);
}

static gboolean
brief_busy (gpointer window)
{
  return tw_window_get_brief_busy (window);
}

/* Export Board Brief… writes the brief of the map shown: its measure and period and the
 * organisation of Preferences on the cover, the suppression policy in the methods; a toast offers to open it; the audit log
 * and the list of exports have it. */
static void
test_brief (void)
{
  g_autofree char *project = copy_demo ("brief.tractwise");
  TwWindow *window = open_project (project);
  TwChoropleth *map = tw_window_get_choropleth (window);
  g_autofree char *written = g_build_filename (tmpdir, "board.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (written);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) details = NULL;
  g_auto(GStrv) rows = NULL;
  TwExportsWindow *exports;

  /* The cover names the organisation given in Preferences. */
  g_settings_set_string (tw_application_get_settings (app), "user-organisation",
                         "Roxbury Community Health");
  g_assert_true (tw_window_export_brief (window, file));
  g_assert_true (tw_window_get_brief_busy (window));
  spin_while (brief_busy, window);
  g_settings_reset (tw_application_get_settings (app), "user-organisation");
  g_assert_cmpstr (tw_window_get_export_toast (window), ==,
                   "Exported the board brief “board.pdf”");

  text = pdf_text (written);
  g_assert_nonnull (strstr (text, "Board brief"));
  g_assert_nonnull (strstr (text, "Roxbury Community Health"));
  g_assert_nonnull (strstr (text, "Key messages"));
  g_assert_nonnull (strstr (text, tw_choropleth_get_measure_label (map)));
  g_assert_nonnull (strstr (text, tw_choropleth_get_period (map)));
  g_assert_nonnull (strstr (text, "k = 11"));
  keep_copy (written, "export-brief.pdf");

  details = audit_details (project, "export-brief");
  g_assert_cmpuint (details->len, ==, 1);
  exports = tw_window_show_exports (window);
  spin_while (exports_loading, exports);
  rows = tw_exports_window_get_rows (exports);
  g_assert_cmpuint (g_strv_length (rows), ==, 1);
  g_assert_true (g_str_has_prefix (rows[0], "board.pdf\n"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (written);
}

/* In the analyst view the dialog refuses and says how to go on; turning the view off
 * from the dialog brings the preview. Printing is refused too. Nothing is logged. */
static void
test_refused_in_analyst_view (void)
{
  g_autofree char *project = copy_demo ("analyst.tractwise");
  TwWindow *window = open_project (project);
  g_autofree char *pdf = g_build_filename (tmpdir, "revealed.pdf", NULL);
  g_autoptr(GPtrArray) details = NULL;
  g_autoptr(Image) image = NULL;
  TwExportDialog *dialog;
  GtkWidget *button;
  PrintWait wait = { 0 };

  g_object_set (window, "analyst-view", TRUE, NULL);
  wait_for_map (window);
  g_assert_true (tw_choropleth_get_reveal (tw_window_get_choropleth (window)));

  tw_window_print_map (window, pdf, on_printed, &wait);
  spin_while (print_running, &wait);
  g_assert_false (wait.printed);
  g_assert_error (wait.error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID);
  g_clear_error (&wait.error);
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (tw_window_get_export_toast (window), "turn off Analyst View"));

  dialog = tw_window_export_map (window);
  wait_for_preview (dialog);
  g_assert_true (tw_export_dialog_get_refused (dialog));
  g_assert_null (tw_export_dialog_get_preview (dialog, NULL, NULL));
  image = render_window (GTK_WIDGET (dialog), "export-dialog-refused.png");
  {
    g_autofree char *path = g_build_filename (tmpdir, "refused.png", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);

    tw_export_dialog_export_to (dialog, file);
    g_assert_false (tw_export_dialog_get_busy (dialog));
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  details = audit_details (project, "export-map");
  g_assert_cmpuint (details->len, ==, 0);
  g_clear_pointer (&details, g_ptr_array_unref);
  details = audit_details (project, "print");
  g_assert_cmpuint (details->len, ==, 0);

  button = find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, button_labelled,
                        "_Turn Off Analyst View");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  wait_for_map (window);
  wait_for_preview (dialog);
  g_assert_false (tw_export_dialog_get_refused (dialog));
  g_assert_false (tw_choropleth_get_reveal (tw_window_get_choropleth (window)));
  g_assert_nonnull (tw_export_dialog_get_preview (dialog, NULL, NULL));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Ctrl+E's action opens the dialog, modal over the window. */
static void
test_action (void)
{
  g_autofree char *project = copy_demo ("action.tractwise");
  TwWindow *window = open_project (project);
  GtkWidget *dialog = NULL;
  GList *toplevels;

  /* The main menu names the three, with their shortcuts. */
  {
    GtkWidget *button = find_widget (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON,
                                     menu_button_shows, "open-menu-symbolic");
    GtkPopover *popover;
    g_autoptr(Image) image = NULL;

    g_assert_nonnull (button);
    gtk_menu_button_popup (GTK_MENU_BUTTON (button));
    popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
    wait_for_frames (GTK_WIDGET (popover));
    image = render_window (GTK_WIDGET (popover), "export-main-menu.png");
    gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-map", NULL));
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (TW_IS_EXPORT_DIALOG (l->data))
      dialog = l->data;
  g_list_free (toplevels);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  wait_for_preview (TW_EXPORT_DIALOG (dialog));
  gtk_window_close (GTK_WINDOW (dialog));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  window_test_init (&argc, &argv);

  tmpdir = make_tmpdir ("export");
  demo_source = make_demo (tmpdir);

  app = window_test_application ("io.github.tractwise.Tractwise.TestExport");

  g_test_add_func ("/ui/export/preview", test_preview);
  g_test_add_func ("/ui/export/view-only", test_view_only);
  g_test_add_func ("/ui/export/files", test_files);
  g_test_add_func ("/ui/export/web-map", test_web_map);
  g_test_add_func ("/ui/export/chna", test_chna);
  g_test_add_func ("/ui/export/csv", test_csv);
  g_test_add_func ("/ui/export/write-error", test_write_error);
  g_test_add_func ("/ui/export/print", test_print);
  g_test_add_func ("/ui/export/brief", test_brief);
  g_test_add_func ("/ui/export/refused-in-analyst-view", test_refused_in_analyst_view);
  g_test_add_func ("/ui/export/action", test_action);

  status = g_test_run ();

  g_clear_object (&app);
  remove_tree (tmpdir);
  g_free (demo_source);
  g_free (tmpdir);

  return status;
}
