/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tw-choropleth.h"
#include "tw-cli-private.h"
#include "tw-export.h"
#include "tw-share.h"

typedef struct
{
  TwAreaLayer *layer;
  TwBox        extent;
  TwLineSet   *counties;
  TwLineSet   *states;
} OutlineJob;

static gpointer
build_outlines (gpointer data)
{
  OutlineJob *job = data;

  tw_export_build_outlines (job->layer, &job->extent, NULL, &job->counties, &job->states);
  return NULL;
}

/* The choropleth an export draws: never revealed. NULL with *status set. With @job, the
 * outlines are built in a thread meanwhile (@extent: lon/lat, or NULL for every area). */
static TwChoropleth *
compute_export_map (const char    *command,
                    TwStore       *store,
                    TwMapRequest  *request,
                    const double  *extent,
                    OutlineJob    *job,
                    int           *status)
{
  GThread *thread = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaLayer) layer = NULL;
  TwChoropleth *map;

  /* Drawn once: the outlines of each zoom are simplified only when drawn. */
  layer = tw_map_request_load_layer (request, store, TW_AREA_LAYER_LOAD_LAZY_LEVELS, NULL,
                                     &error);
  if (layer == NULL)
    {
      *status = tw_cli_refuse_map_request (command, error);
      return NULL;
    }
  if (job != NULL)
    {
      job->layer = layer;
      if (extent == NULL || !tw_export_extent_to_world (extent, &job->extent, NULL))
        tw_geometry_set_get_extent (tw_area_layer_get_geometry (layer), &job->extent);
      thread = g_thread_new ("tw-outlines", build_outlines, job);
    }
  map = tw_map_request_compute_on_layer (request, store, layer, NULL, &error);
  if (thread != NULL)
    g_thread_join (thread);
  if (map == NULL)
    {
      *status = tw_cli_refuse_map_request (command, error);
      return NULL;
    }
  *status = TW_CLI_OK;
  return map;
}

static gboolean
parse_extent (const char *text,
              double     *extent)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  if (g_strv_length (parts) != 4)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    {
      char *end = NULL;
      const char *part = g_strstrip (parts[i]);

      extent[i] = g_ascii_strtod (part, &end);
      if (part[0] == '\0' || end == NULL || *end != '\0' || !isfinite (extent[i]))
        return FALSE;
    }
  return TRUE;
}

int
tw_cli_export_map (int    argc,
                   char **argv)
{
  g_auto(TwCliMapOptions) options = { 0 };
  g_autofree char *title = NULL, *subtitle = NULL;
  g_autofree char *extent = NULL, *paper = NULL, *out = NULL, *source = NULL;
  int width = 0, height = 0;
  double dpi = 0;
  gboolean landscape = FALSE, north_arrow = FALSE, slide = FALSE;
  const GOptionEntry entries[] = {
    TW_CLI_MAP_OPTION_ENTRIES (options),
    { "palette", 0, 0, G_OPTION_ARG_STRING, &options.palette, "ColorBrewer palette (default YlOrRd)", "NAME" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "Title (default: the measure's label)", "T" },
    { "subtitle", 0, 0, G_OPTION_ARG_STRING, &subtitle, "Subtitle (default: period, group, unit, geography)", "T" },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, "Source line (default: the measure's source)", "T" },
    { "extent", 0, 0, G_OPTION_ARG_STRING, &extent, "Area shown (default: every area)", "MINLON,MINLAT,MAXLON,MAXLAT" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Width in pixels (with --height)", "PX" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Height in pixels (with --width)", "PX" },
    { "page", 0, 0, G_OPTION_ARG_STRING, &paper, "Paper: letter, a4 or slide (16:9)", "PAPER" },
    { "slide", 0, 0, G_OPTION_ARG_NONE, &slide, "A 16:9 slide for presentations (--page slide)", NULL },
    { "landscape", 0, 0, G_OPTION_ARG_NONE, &landscape, "Landscape paper", NULL },
    { "dpi", 0, 0, G_OPTION_ARG_DOUBLE, &dpi, "PNG resolution on paper (default 150)", "N" },
    { "north-arrow", 0, 0, G_OPTION_ARG_NONE, &north_arrow, "Draw a north arrow", NULL },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "File to write: .png, .svg or .pdf (required)", "FILE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwChoropleth) map = NULL;
  g_autoptr(TwMapExport) export = NULL;
  g_autoptr(TwMapRequest) request = NULL;
  g_autoptr(TwLineSet) counties = NULL;
  g_autoptr(TwLineSet) states = NULL;
  OutlineJob job = { 0 };
  TwMapLayout layout = { 0 };
  TwExportPage page;
  TwExportFormat format;
  TwMapFrame frame;
  const TwClassification *classification;
  JsonBuilder *builder;
  double lon0, lat0, lon1, lat1, px;
  gint64 start = g_get_monotonic_time ();
  int status;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE",
                     "Export the map with its title, legend, scale bar, source and the "
                     "suppression footnote as PNG, SVG or PDF. Suppressed figures are never "
                     "shown; the export is written to the audit log.", entries, 1))
    return TW_CLI_BAD_INPUT;
  if (options.measure == NULL || options.period == NULL || out == NULL)
    return tw_cli_bad_input ("export-map: --measure, --period and --out FILE are required");
  if (!tw_export_format_from_path (out, &format, &error))
    return tw_cli_bad_input ("export-map: --out %s", error->message);
  if (slide && paper != NULL && g_ascii_strcasecmp (paper, "slide") != 0)
    return tw_cli_bad_input ("export-map: give either --slide or --page %s, not both", paper);
  if (slide)
    paper = g_strdup ("slide");
  if ((width != 0 || height != 0) && paper != NULL)
    return tw_cli_bad_input ("export-map: give either --width and --height or --page, not "
                             "both");
  if (paper == NULL && (landscape || dpi != 0))
    return tw_cli_bad_input ("export-map: --landscape and --dpi go with --page letter|a4|slide");
  if (width != 0 || height != 0)
    {
      if (!tw_export_page_for_pixels (&page, format, width, height, &error))
        return tw_cli_bad_input ("export-map: --width/--height: %s", error->message);
    }
  else if (!tw_export_page_for_paper (&page, format, paper != NULL ? paper : "letter",
                                      paper != NULL ? landscape : TRUE, dpi, &error))
    return tw_cli_bad_input ("export-map: --page/--dpi: %s", error->message);
  /* There is no --reveal: an export never reveals. */
  request = tw_cli_map_request ("export-map", &options, &status);
  if (request == NULL)
    return status;
  if (extent != NULL)
    {
      if (!parse_extent (extent, layout.extent))
        return tw_cli_bad_input ("export-map: --extent '%s' is not four numbers; give "
                                 "minlon,minlat,maxlon,maxlat", extent);
      layout.has_extent = TRUE;
    }

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  map = compute_export_map ("export-map", store, request,
                            layout.has_extent ? layout.extent : NULL, &job, &status);
  g_clear_pointer (&counties, tw_line_set_unref);
  g_clear_pointer (&states, tw_line_set_unref);
  counties = job.counties;
  states = job.states;
  if (map == NULL)
    return status;
  layout.has_outlines = TRUE;
  layout.counties = counties;
  layout.states = states;

  layout.title = title;
  layout.subtitle = subtitle;
  layout.source = source;
  layout.north_arrow = north_arrow;
  export = tw_map_export_new (store, map, &layout, NULL, &error);
  if (export == NULL)
    return tw_cli_bad_input ("export-map: %s", error->message);
  if (!tw_map_export_write (export, store, &page, out, &frame, &error))
    return error->domain == TW_EXPORT_ERROR ? tw_cli_bad_input ("export-map: %s", error->message)
                                            : tw_cli_fail (error);

  /* The map's place on the page, in the file's own units (pixels for PNG). */
  px = format == TW_EXPORT_FORMAT_PNG ? page.dpi / 72.0 : 1.0;
  tw_world_to_lonlat (frame.view.min_x, frame.view.max_y, &lon0, &lat0);
  tw_world_to_lonlat (frame.view.max_x, frame.view.min_y, &lon1, &lat1);
  classification = tw_choropleth_get_classification (map);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "out");
  json_builder_add_string_value (builder, out);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, tw_export_format_to_string (format));
  json_builder_set_member_name (builder, "size");
  json_builder_begin_array (builder);
  if (format == TW_EXPORT_FORMAT_PNG)
    {
      json_builder_add_int_value (builder, lround (page.width * px));
      json_builder_add_int_value (builder, lround (page.height * px));
    }
  else
    {
      json_builder_add_double_value (builder, page.width);
      json_builder_add_double_value (builder, page.height);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "unit");
  json_builder_add_string_value (builder, format == TW_EXPORT_FORMAT_PNG ? "px" : "pt");
  json_builder_set_member_name (builder, "map_frame");
  json_builder_begin_array (builder);
  json_builder_add_double_value (builder, frame.x * px);
  json_builder_add_double_value (builder, frame.y * px);
  json_builder_add_double_value (builder, frame.width * px);
  json_builder_add_double_value (builder, frame.height * px);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "map_extent");
  json_builder_begin_array (builder);
  json_builder_add_double_value (builder, lon0);
  json_builder_add_double_value (builder, lat0);
  json_builder_add_double_value (builder, lon1);
  json_builder_add_double_value (builder, lat1);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, tw_map_export_get_title (export));
  json_builder_set_member_name (builder, "breaks");
  json_builder_begin_array (builder);
  for (guint i = 0; classification != NULL && i <= classification->n_classes; i++)
    json_builder_add_double_value (builder, classification->breaks[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "colors");
  json_builder_begin_array (builder);
  for (guint i = 0; classification != NULL && i < classification->n_classes; i++)
    {
      g_autofree char *hex = tw_color_to_hex (tw_map_style_get_fill (tw_choropleth_get_style (map),
                                                                     (guint8) i));
      json_builder_add_string_value (builder, hex);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "suppressed");
  json_builder_add_int_value (builder, tw_choropleth_get_n_suppressed (map));
  json_builder_set_member_name (builder, "no_data");
  json_builder_add_int_value (builder, tw_choropleth_get_n_no_data (map));
  tw_cli_add_number (builder, "seconds", (g_get_monotonic_time () - start) / 1e6);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

int
tw_cli_export_share (int    argc,
                     char **argv)
{
  g_autofree char *out = NULL, *measures = NULL, *partner = NULL, *shared_by = NULL;
  gboolean with_contacts = FALSE;
  const GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "GeoPackage to write (required)", "FILE.gpkg" },
    { "shared-by", 0, 0, G_OPTION_ARG_STRING, &shared_by, "Who shares it, as the partner will read it: a name and organisation (default: the account's full name if it has one, else nobody named)", "TEXT" },
    { "measures", 0, 0, G_OPTION_ARG_STRING, &measures, "Measures to share (default: all)", "M,…" },
    { "with-contacts", 0, 0, G_OPTION_ARG_NONE, &with_contacts, "Include partners' contact person, e-mail and phone", NULL },
    { "partner", 0, 0, G_OPTION_ARG_STRING, &partner, "Only this partner's projects, their geography, the measures and its own details", "NAME" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_auto(GStrv) codes = NULL;
  TwShareOptions options = { 0 };
  TwShareSummary summary;
  JsonBuilder *builder;
  int status;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE",
                     "Write a share package for partners: a GeoPackage (opens in QGIS) with "
                     "the areas, the suppressed rates and intervals of the chosen measures, "
                     "the projects with their target areas, partners' public fields and a "
                     "metadata table. The export is written to the audit log.", entries, 1))
    return TW_CLI_BAD_INPUT;
  if (out == NULL)
    return tw_cli_bad_input ("export-share: --out FILE.gpkg is required");
  if (!g_str_has_suffix (out, ".gpkg"))
    return tw_cli_bad_input ("export-share: --out %s: a share package is a GeoPackage; give a "
                             "file name ending in .gpkg", out);
  if (measures != NULL)
    {
      codes = g_strsplit (measures, ",", -1);
      for (guint i = 0; codes[i] != NULL; i++)
        if (g_strstrip (codes[i])[0] == '\0')
          return tw_cli_bad_input ("export-share: --measures '%s' has an empty code; give "
                                   "codes separated by commas", measures);
      options.measures = (const char *const *) codes;
    }
  options.with_contacts = with_contacts;
  if (partner != NULL && *g_strstrip (partner) == '\0')
    return tw_cli_bad_input ("export-share: --partner is empty; give a partner's name as "
                             "'partner list' shows it");
  if (partner != NULL && with_contacts)
    return tw_cli_bad_input ("export-share: --with-contacts would add other partners' "
                             "contacts to a package for one partner; leave it out");
  options.partner = partner;
  options.shared_by = shared_by != NULL ? g_strstrip (shared_by) : NULL;

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  if (!tw_share_write (store, &options, out, &summary, NULL, &error))
    return error->domain == TW_SHARE_ERROR && error->code == TW_SHARE_ERROR_WRITE
           ? (fprintf (stderr, "tractwise-cli: %s\n", error->message), TW_CLI_INTERNAL)
           : tw_cli_fail (error);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "out");
  json_builder_add_string_value (builder, out);
  json_builder_set_member_name (builder, "areas");
  json_builder_add_int_value (builder, summary.n_areas);
  json_builder_set_member_name (builder, "rates");
  json_builder_add_int_value (builder, summary.n_rates);
  json_builder_set_member_name (builder, "suppressed");
  json_builder_add_int_value (builder, summary.n_suppressed);
  json_builder_set_member_name (builder, "projects");
  json_builder_add_int_value (builder, summary.n_projects);
  json_builder_set_member_name (builder, "partners");
  json_builder_add_int_value (builder, summary.n_partners);
  json_builder_set_member_name (builder, "contacts");
  json_builder_add_boolean_value (builder, with_contacts || partner != NULL);
  json_builder_set_member_name (builder, "partner");
  if (partner != NULL)
    json_builder_add_string_value (builder, partner);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

int
tw_cli_import_comments (int    argc,
                        char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  JsonBuilder *builder;
  gint64 added;
  int status;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE FILE",
                     "Import a partner's comments file (made in review of a share package) "
                     "into the workspace the package came from.", NULL, 2))
    return TW_CLI_BAD_INPUT;

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  added = tw_share_import_comments (store, argv[2], &error);
  if (added < 0)
    return tw_cli_fail (error);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "comments");
  json_builder_add_int_value (builder, added);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

int
tw_cli_review_comment (int    argc,
                       char **argv)
{
  g_autofree char *area = NULL, *geography = NULL, *author = NULL, *text = NULL, *out = NULL;
  gint64 project = 0;
  const GOptionEntry entries[] = {
    { "area", 0, 0, G_OPTION_ARG_STRING, &area, "GEOID of the area the comment is about", "GEOID" },
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "The area's geography (when the package has several)", "G" },
    { "project", 0, 0, G_OPTION_ARG_INT64, &project, "Id of the project the comment is about", "ID" },
    { "author", 0, 0, G_OPTION_ARG_STRING, &author, "Who writes (required)", "NAME" },
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, "The comment (required)", "TEXT" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Comments file to write or add to (required)", "COMMENTS.json" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwReview) review = NULL;
  JsonBuilder *builder;

  if (!tw_cli_parse (&argc, &argv, "PACKAGE",
                     "Review a share package: add a comment on an area or a project to a "
                     "comments file (the package itself is never changed).", entries, 1))
    return TW_CLI_BAD_INPUT;
  if (author == NULL || text == NULL || out == NULL || (area == NULL && project == 0))
    return tw_cli_bad_input ("review-comment: --area GEOID or --project ID, --author, --text "
                             "and --out COMMENTS.json are required");

  review = tw_review_open (argv[1], NULL, &error);
  if (review == NULL)
    return tw_cli_fail (error);
  if (g_file_test (out, G_FILE_TEST_EXISTS) && !tw_review_load_comments (review, out, &error))
    return tw_cli_fail (error);
  if (!tw_review_add_comment (review, geography, area, project, author, text, &error))
    return tw_cli_bad_input ("review-comment: %s", error->message);
  if (!tw_review_save_comments (review, out, &error))
    return (fprintf (stderr, "tractwise-cli: %s\n", error->message), TW_CLI_INTERNAL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "out");
  json_builder_add_string_value (builder, out);
  json_builder_set_member_name (builder, "comments");
  json_builder_add_int_value (builder, tw_review_get_n_comments (review));
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}
