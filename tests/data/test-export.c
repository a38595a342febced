/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-export"

#include <gdal.h>

#include "export-fixture.h"
#include "tw-export.h"

/* The colour of the pixel at (@x, @y) of an RGB24/ARGB32 image, as 0xRRGGBB. */
static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 value;

  g_assert_true (x >= 0 && y >= 0 && x < cairo_image_surface_get_width (surface)
                 && y < cairo_image_surface_get_height (surface));
  memcpy (&value, data + y * stride + 4 * x, 4);
  return value & 0xFFFFFF;
}

static void
to_pixel (const TwMapFrame *frame,
          double            scale,
          double            lon,
          double            lat,
          int              *px,
          int              *py)
{
  double x, y, k = frame->width / (frame->view.max_x - frame->view.min_x);

  tw_world_from_lonlat (lon, lat, &x, &y);
  *px = (int) floor ((frame->x + (x - frame->view.min_x) * k) * scale);
  *py = (int) floor ((frame->y + (y - frame->view.min_y) * k) * scale);
}

/* A PNG of the requested size whose every area shows its class's colour at its centre;
 * suppressed areas show no class colour. */
static void
test_png_colours (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwChoropleth) map = fixture_map (f, FALSE);
  g_autoptr(TwMapExport) export = NULL;
  g_autofree char *out = g_build_filename (f->dir, "map.png", NULL);
  TwMapStyle *style = tw_choropleth_get_style (map);
  cairo_surface_t *png;
  TwExportPage page;
  TwMapFrame frame;
  guint n_checked = 0;

  export = tw_map_export_new (f->store, map, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (tw_export_page_for_pixels (&page, TW_EXPORT_FORMAT_PNG, 900, 640, &error));
  g_assert_true (tw_map_export_write (export, f->store, &page, out, &frame, &error));
  g_assert_no_error (error);

  png = cairo_image_surface_create_from_png (out);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, 900);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, 640);
  g_assert_cmpuint (tw_choropleth_get_n_suppressed (map), ==, 2);

  for (guint i = 0; i < FIXTURE_N_AREAS; i++)
    {
      const TwAreaFigure *figure = tw_choropleth_get_figure (map, i);
      double lon0, lat0, lon1, lat1;
      int px, py;
      guint32 colour;

      fixture_square (i, &lon0, &lat0, &lon1, &lat1);
      to_pixel (&frame, page.dpi / 72.0, (lon0 + lon1) / 2, (lat0 + lat1) / 2, &px, &py);
      colour = pixel_at (png, px, py);
      if (figure->kind == TW_AREA_SUPPRESSED)
        {
          for (guint c = 0; c < tw_map_style_get_n_classes (style); c++)
            g_assert_cmphex (colour, !=, tw_map_style_get_fill (style, (guint8) c));
          continue;
        }
      g_assert_cmpuint (figure->kind, <, tw_map_style_get_n_classes (style));
      g_assert_cmphex (colour, ==, tw_map_style_get_fill (style, figure->kind));
      n_checked++;
    }
  g_assert_cmpuint (n_checked, ==, FIXTURE_N_AREAS - 2);
  cairo_surface_destroy (png);
  g_assert_cmpint (fixture_count_audit (f, "export-map"), ==, 1);
}

/* An export never shows the analyst view. */
static void
test_refuses_reveal (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwChoropleth) map = fixture_map (f, TRUE);
  g_autoptr(TwMapExport) export = NULL;

  export = tw_map_export_new (f->store, map, NULL, NULL, &error);
  g_assert_null (export);
  g_assert_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID);
}

static gchar *
read_file (const char *path)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

/* PDF and SVG are written whole (no partial file left), each with an audit row. */
static void
test_vector_files (Fixture       *f,
                   gconstpointer  data)
{
  const TwExportFormat formats[] = { TW_EXPORT_FORMAT_PDF, TW_EXPORT_FORMAT_SVG };
  const char *names[] = { "map.pdf", "map.svg" };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwChoropleth) map = fixture_map (f, FALSE);
  g_autoptr(TwMapExport) export = NULL;
  TwMapLayout layout = { .title = "Visits by tract", .north_arrow = TRUE };

  export = tw_map_export_new (f->store, map, &layout, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tw_map_export_get_title (export), ==, "Visits by tract");
  g_assert_nonnull (strstr (tw_map_export_get_footnote (export), "k = 11"));

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *out = g_build_filename (f->dir, names[i], NULL);
      g_autofree char *part = g_strconcat (out, ".part", NULL);
      g_autofree char *contents = NULL;
      TwExportFormat format;
      TwExportPage page;

      g_assert_true (tw_export_format_from_path (out, &format, NULL));
      g_assert_cmpint (format, ==, formats[i]);
      g_assert_true (tw_export_page_for_paper (&page, format, "a4", TRUE, 0, &error));
      g_assert_cmpfloat_with_epsilon (page.width, 841.89, 0.01);
      g_assert_true (tw_map_export_write (export, f->store, &page, out, NULL, &error));
      g_assert_no_error (error);
      g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
      contents = read_file (out);
      g_assert_true (g_str_has_prefix (contents, i == 0 ? "%PDF" : "<?xml"));
    }
  g_assert_cmpint (fixture_count_audit (f, "export-map"), ==, 2);
}

static void
test_pages (void)
{
  g_autoptr(GError) error = NULL;
  TwExportPage page;
  TwExportFormat format;

  g_assert_true (tw_export_page_for_paper (&page, TW_EXPORT_FORMAT_PNG, "letter", FALSE, 300,
                                           &error));
  g_assert_cmpfloat (page.width, ==, 612);
  g_assert_cmpfloat (page.height, ==, 792);
  g_assert_cmpfloat (page.dpi, ==, 300);
  g_assert_false (tw_export_page_for_paper (&page, TW_EXPORT_FORMAT_PDF, "tabloid", FALSE, 0,
                                            &error));
  g_assert_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tw_export_page_for_pixels (&page, TW_EXPORT_FORMAT_PNG, 10, 10, &error));
  g_assert_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tw_export_format_from_path ("map.jpeg", &format, &error));
  g_assert_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID);
}

/* The preview keeps the page's proportions within the size asked for. */
static void
test_preview (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwChoropleth) map = fixture_map (f, FALSE);
  g_autoptr(TwMapExport) export = tw_map_export_new (f->store, map, NULL, NULL, &error);
  TwExportPage page;
  cairo_surface_t *preview;

  g_assert_no_error (error);
  g_assert_true (tw_export_page_for_paper (&page, TW_EXPORT_FORMAT_PDF, "letter", TRUE, 0,
                                           NULL));
  preview = tw_map_export_render_preview (export, &page, 400, 400);
  g_assert_cmpint (cairo_image_surface_get_width (preview), ==, 400);
  g_assert_cmpint (cairo_image_surface_get_height (preview), ==, (int) floor (612 * 400 / 792.0));
  cairo_surface_destroy (preview);
  /* Nothing is written for a preview. */
  g_assert_cmpint (fixture_count_audit (f, "export-map"), ==, 0);
}

/* A bad extent is refused; a good one moves the map. */
static void
test_extent (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwChoropleth) map = fixture_map (f, FALSE);
  g_autoptr(TwMapExport) export = NULL;
  TwMapLayout layout = { .has_extent = TRUE, .extent = { -79.9, 35.0, -79.6, 34.9 } };

  export = tw_map_export_new (f->store, map, &layout, NULL, &error);
  g_assert_null (export);
  g_assert_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID);
}

/* A rectangle of a laid-out page, to test that parts keep apart. */
typedef struct
{
  const char *name;
  double      x, y, w, h;
} Part;

static gboolean
parts_overlap (const Part *a,
               const Part *b)
{
  /* Half a point of slack for rounding. */
  return a->x + a->w > b->x + 0.5 && b->x + b->w > a->x + 0.5
         && a->y + a->h > b->y + 0.5 && b->y + b->h > a->y + 0.5;
}

static double
text_height (double size,
             double width,
             const char *text)
{
  /* Enough for a test: the parts' heights are checked by the layout's own positions. */
  return size * 1.2 * MAX (1.0, ceil (strlen (text) * size * 0.55 / width));
}

/* Every page a board sees — letter and A4 either way, wide and tall pixel pages — with a
 * wide and a tall region: type in the scale a printed page needs, nothing over anything
 * else, everything inside the margins, the block balanced between the texts, and a map
 * that takes the room the legend leaves it. */
static void
test_layout (Fixture       *f,
             gconstpointer  data)
{
  const struct { const char *name; double extent[4]; } regions[] = {
    { "wide", { -80.8, 35.0, -79.0, 35.4 } },
    { "tall", { -80.0, 34.8, -79.5, 35.4 } },
  };
  const struct { const char *paper; gboolean landscape; int width, height; } pages[] = {
    { "letter", FALSE }, { "letter", TRUE }, { "a4", FALSE }, { "a4", TRUE },
    { NULL, FALSE, 1200, 800 }, { NULL, FALSE, 800, 1200 },
  };
  g_autoptr(TwChoropleth) map = fixture_map (f, FALSE);

  for (guint r = 0; r < G_N_ELEMENTS (regions); r++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TwMapExport) export = NULL;
      TwMapLayout options = { .has_extent = TRUE, .north_arrow = TRUE };
      TwBox extent;

      memcpy (options.extent, regions[r].extent, sizeof options.extent);
      tw_export_extent_to_world (options.extent, &extent, NULL);
      export = tw_map_export_new (f->store, map, &options, NULL, &error);
      g_assert_no_error (error);

      for (guint p = 0; p < G_N_ELEMENTS (pages); p++)
        {
          TwMapPageLayout l;
          TwExportPage page;
          Part parts[6];
          guint n_parts = 0;
          double ew = extent.max_x - extent.min_x, eh = extent.max_y - extent.min_y;
          double ideal, block_top, block_bottom, px;
          gboolean paper = pages[p].paper != NULL;

          if (paper)
            g_assert_true (tw_export_page_for_paper (&page, TW_EXPORT_FORMAT_PDF,
                                                     pages[p].paper, pages[p].landscape, 0,
                                                     NULL));
          else
            g_assert_true (tw_export_page_for_pixels (&page, TW_EXPORT_FORMAT_PNG,
                                                      pages[p].width, pages[p].height, NULL));
          tw_map_export_layout (export, page.width, page.height, &l);
          px = page.dpi / 72.0;

          /* The type scale: on paper a 19-point title and nothing under 7 points; on a
           * screen nothing under 9 pixels. */
          if (paper)
            {
              g_assert_cmpfloat (l.title_size, >=, 18.0);
              g_assert_cmpfloat (l.title_size, <=, 20.0);
              g_assert_cmpfloat (fabs (l.subtitle_size - 11.0), <=, 0.5);
              g_assert_cmpfloat (l.legend_size, >=, 8.5);
              g_assert_cmpfloat (l.note_size, >=, 7.0);
            }
          else
            g_assert_cmpfloat (l.note_size * px, >=, 9.0);
          g_assert_cmpfloat (l.title_size, >, l.subtitle_size);
          g_assert_cmpfloat (l.subtitle_size, >, l.legend_size);
          g_assert_cmpfloat (l.legend_size, >=, l.note_size);

          /* Margins: the same on every side, everything inside them. */
          g_assert_cmpfloat (l.margin, >=, 0.45 * 72 * MIN (1.0, page.width / 612));
          parts[n_parts++] = (Part) { "map", l.map.x, l.map.y, l.map.width, l.map.height };
          parts[n_parts++] = (Part) { "legend", l.legend_x, l.legend_y, l.legend_width,
                                      l.legend_height };
          if (l.legend_split)
            parts[n_parts++] = (Part) { "legend2", l.legend2_x, l.legend_y, l.legend2_width,
                                        l.legend2_height };
          parts[n_parts++] = (Part) { "notes", l.notes_x, l.source_y, l.notes_width,
                                      l.notes_height };
          parts[n_parts++] = (Part) { "scale bar", l.scale_bar_x, l.scale_bar_y,
                                      l.scale_bar_width, l.scale_bar_height };
          parts[n_parts++] = (Part) { "north arrow", l.arrow_x - l.arrow_width / 2, l.arrow_y,
                                      l.arrow_width, l.arrow_height };
          for (guint i = 0; i < n_parts; i++)
            {
              g_assert_cmpfloat (parts[i].x, >=, l.margin - 0.5);
              g_assert_cmpfloat (parts[i].y, >=, l.margin - 0.5);
              g_assert_cmpfloat (parts[i].x + parts[i].w, <=, page.width - l.margin + 0.5);
              g_assert_cmpfloat (parts[i].y + parts[i].h, <=, page.height - l.margin + 0.5);
              /* Under the subtitle. */
              g_assert_cmpfloat (parts[i].y, >=,
                                 l.subtitle_y + text_height (l.subtitle_size, l.text_width,
                                                             tw_map_export_get_subtitle (export)));
              for (guint j = 0; j < i; j++)
                if (parts_overlap (&parts[i], &parts[j]))
                  g_error ("%s, %s page %s: %s %.0f,%.0f %.0f×%.0f over %s %.0f,%.0f %.0f×%.0f",
                           regions[r].name, pages[p].paper ? pages[p].paper : "pixel",
                           pages[p].landscape ? "landscape" : "", parts[i].name, parts[i].x,
                           parts[i].y, parts[i].w, parts[i].h, parts[j].name, parts[j].x,
                           parts[j].y, parts[j].w, parts[j].h);
            }

          /* Balanced: as much room above the map and its legend as under them. */
          block_top = l.map.y;
          block_bottom = l.map.y + l.map.height;
          for (guint i = 1; i < n_parts; i++)
            if (!g_str_equal (parts[i].name, "notes") || l.notes_width < l.text_width)
              {
                block_top = MIN (block_top, parts[i].y);
                block_bottom = MAX (block_bottom, parts[i].y + parts[i].h);
              }
          g_assert_cmpfloat (fabs ((block_top - l.body_y)
                                   - (l.body_y + l.body_height - block_bottom)), <=, 1.0);

          /* The map takes the room: at least 60% of the largest box of the region's shape
           * that the room between the texts holds, 85% for a wide region on a wide page
           * (whose legend fits under it). */
          ideal = MIN (l.body_width / ew, l.body_height / eh);
          ideal = ideal * ew * ideal * eh;
          g_test_message ("%s region, %s %s: map %.0f x %.0f, %.0f%% of the ideal; legend %s%s",
                          regions[r].name, pages[p].paper ? pages[p].paper : "pixel page",
                          pages[p].landscape || pages[p].width > pages[p].height ? "wide"
                                                                                  : "tall",
                          l.map.width, l.map.height,
                          100 * l.map.width * l.map.height / ideal,
                          l.legend_beside ? "beside" : "under",
                          l.notes_width < l.text_width ? ", notes beside" : "");
          g_assert_cmpfloat (l.map.width * l.map.height, >=, 0.6 * ideal);
          if (r == 0 && page.width > page.height)
            g_assert_cmpfloat (l.map.width * l.map.height, >=, 0.85 * ideal);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();

  g_test_add_func ("/data/export/pages", test_pages);
  g_test_add ("/data/export/png-class-colours", Fixture, NULL, fixture_set_up, test_png_colours,
              fixture_tear_down);
  g_test_add ("/data/export/refuses-reveal", Fixture, NULL, fixture_set_up, test_refuses_reveal,
              fixture_tear_down);
  g_test_add ("/data/export/vector-files", Fixture, NULL, fixture_set_up, test_vector_files,
              fixture_tear_down);
  g_test_add ("/data/export/preview", Fixture, NULL, fixture_set_up, test_preview,
              fixture_tear_down);
  g_test_add ("/data/export/extent", Fixture, NULL, fixture_set_up, test_extent,
              fixture_tear_down);
  g_test_add ("/data/export/layout", Fixture, NULL, fixture_set_up, test_layout,
              fixture_tear_down);
  return g_test_run ();
}
