/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include <stdio.h>

#include "tw-choropleth.h"
#include "tw-cli-private.h"
#include "tw-export.h"
#include "tw-html-export.h"

int
tw_cli_export_html (int    argc,
                    char **argv)
{
  g_auto(TwCliMapOptions) options = { 0 };
  g_autofree char *title = NULL, *lang = NULL, *out = NULL;
  const GOptionEntry entries[] = {
    TW_CLI_MAP_OPTION_ENTRIES (options),
    { "palette", 0, 0, G_OPTION_ARG_STRING, &options.palette, "ColorBrewer palette (default YlOrRd)", "NAME" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "Title (default: the measure's label)", "T" },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &lang, "Language of the page: en or es (default en)", "LANG" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "HTML file to write (required)", "FILE.html" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwChoropleth) map = NULL;
  g_autoptr(TwMapRequest) request = NULL;
  TwHtmlOptions html = { 0 };
  TwHtmlSummary summary;
  JsonBuilder *builder;
  gint64 start = g_get_monotonic_time ();
  int status;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE",
                     "Write the map as one HTML file that opens offline in any browser: the "
                     "areas with the app's classes, palette and hatching, a legend, keyboard "
                     "navigation and a sortable table. It makes no network request. "
                     "Suppressed figures are never written; the export is written to the "
                     "audit log.", entries, 1))
    return TW_CLI_BAD_INPUT;
  if (options.measure == NULL || options.period == NULL || out == NULL)
    return tw_cli_bad_input ("export-html: --measure, --period and --out FILE.html are "
                             "required");
  if (!g_str_has_suffix (out, ".html") && !g_str_has_suffix (out, ".htm"))
    return tw_cli_bad_input ("export-html: --out %s: the web map is an HTML file; give a file "
                             "name ending in .html", out);
  if (lang != NULL && !tw_html_language_from_string (lang, &html.language, &error))
    return tw_cli_bad_input ("export-html: --lang %s", error->message);
  /* There is no --reveal: an export never reveals. */
  request = tw_cli_map_request ("export-html", &options, &status);
  if (request == NULL)
    return status;

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  map = tw_map_request_compute (request, store, NULL, &error);
  if (map == NULL)
    return tw_cli_refuse_map_request ("export-html", error);
  html.title = title;
  if (!tw_html_export_write (store, map, &html, out, &summary, &error))
    return error->domain == TW_EXPORT_ERROR && error->code == TW_EXPORT_ERROR_WRITE
           ? (fprintf (stderr, "tractwise-cli: export-html: %s\n", error->message),
              TW_CLI_INTERNAL)
           : tw_cli_fail (error);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "out");
  json_builder_add_string_value (builder, out);
  json_builder_set_member_name (builder, "lang");
  json_builder_add_string_value (builder, tw_html_language_to_string (html.language));
  json_builder_set_member_name (builder, "areas");
  json_builder_add_int_value (builder, summary.n_areas);
  json_builder_set_member_name (builder, "arcs");
  json_builder_add_int_value (builder, summary.n_arcs);
  json_builder_set_member_name (builder, "suppressed");
  json_builder_add_int_value (builder, tw_choropleth_get_n_suppressed (map));
  json_builder_set_member_name (builder, "no_data");
  json_builder_add_int_value (builder, tw_choropleth_get_n_no_data (map));
  json_builder_set_member_name (builder, "bytes");
  json_builder_add_int_value (builder, summary.bytes);
  tw_cli_add_number (builder, "seconds", (g_get_monotonic_time () - start) / 1e6);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}
