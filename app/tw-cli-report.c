/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include "tw-chna.h"
#include "tw-cli-private.h"
#include "tw-export.h"

int
tw_cli_export_chna (int    argc,
                    char **argv)
{
  g_autofree char *out = NULL, *organisation = NULL, *title = NULL;
  const GOptionEntry entries[] = {
    { "organisation", 0, 0, G_OPTION_ARG_STRING, &organisation, "Organisation named on the report (default: the workspace's)", "NAME" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "Title (default: Community Health Needs Assessment: data)", "T" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "PDF file to write (required)", "FILE.pdf" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  TwChnaOptions options = { 0 };
  TwExportFormat format;
  JsonBuilder *builder;
  gint64 start = g_get_monotonic_time ();
  int status;

  if (!tw_cli_parse (&argc, &argv, "PROJECT",
                     "Write the data sections of a Community Health Needs Assessment as a "
                     "tagged PDF: community served, process and methods, community input, "
                     "significant health needs, resources available and impact of actions "
                     "taken. Suppressed figures are never shown; the report is written to the "
                     "audit log.", entries, 1))
    return TW_CLI_BAD_INPUT;
  if (out == NULL)
    return tw_cli_bad_input ("export-chna: --out FILE.pdf is required");
  if (!tw_export_format_from_path (out, &format, NULL) || format != TW_EXPORT_FORMAT_PDF)
    return tw_cli_bad_input ("export-chna: --out %s: the report is a PDF; give a file name "
                             "ending in .pdf", out);

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  options.organisation = organisation;
  options.title = title;
  if (!tw_chna_write (store, &options, out, NULL, &error))
    return tw_cli_fail (error);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "out");
  json_builder_add_string_value (builder, out);
  tw_cli_add_number (builder, "seconds", (g_get_monotonic_time () - start) / 1e6);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}
