/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include "tw-brief.h"
#include "tw-chna.h"
#include "tw-cli-private.h"
#include "tw-export.h"

/* The reports are PDFs: refuses any other file name. */
static gboolean
check_pdf (const char *command,
           const char *out,
           const char *what,
           int        *status)
{
  TwExportFormat format;

  if (tw_export_format_from_path (out, &format, NULL) && format == TW_EXPORT_FORMAT_PDF)
    return TRUE;
  *status = tw_cli_bad_input ("%s: --out %s: %s is a PDF; give a file name ending in .pdf",
                              command, out, what);
  return FALSE;
}

static int
print_written (const char *out,
               gint64      start)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "out");
  json_builder_add_string_value (builder, out);
  tw_cli_add_number (builder, "seconds", (g_get_monotonic_time () - start) / 1e6);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

int
tw_cli_export_brief (int    argc,
                     char **argv)
{
  g_autofree char *measure = NULL, *period = NULL, *stratum = NULL, *geography = NULL;
  g_autofree char *title = NULL, *out = NULL, *organisation = NULL, *source = NULL;
  const GOptionEntry entries[] = {
    { "measure", 0, 0, G_OPTION_ARG_STRING, &measure, "Measure code (required)", "M" },
    { "period", 0, 0, G_OPTION_ARG_STRING, &period, "Period (required)", "P" },
    { "stratum", 0, 0, G_OPTION_ARG_STRING, &stratum, "Group of the map (default: all)", "S" },
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "Geography (default: the one holding the measure)", "G" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "Title (default: the measure's label)", "T" },
    { "organisation", 0, 0, G_OPTION_ARG_STRING, &organisation, "Organisation named on the cover (default: the workspace's)", "NAME" },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, "Source line (default: the measure's source)", "T" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "PDF file to write (required)", "FILE.pdf" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  TwBriefOptions options = { 0 };
  gint64 start = g_get_monotonic_time ();
  int status;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE",
                     "Write the board brief: a multi-page PDF with the map, the largest "
                     "disparities, the partner projects, trends, methods and the suppression "
                     "policy. Suppressed figures are never shown; the brief is written to the "
                     "audit log.", entries, 1))
    return TW_CLI_BAD_INPUT;
  if (measure == NULL || period == NULL || out == NULL)
    return tw_cli_bad_input ("export-brief: --measure, --period and --out FILE.pdf are "
                             "required");
  if (!check_pdf ("export-brief", out, "the brief", &status))
    return status;

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  options.measure = measure;
  options.period = period;
  options.stratum = stratum;
  options.geography = geography;
  options.title = title;
  options.organisation = organisation;
  options.source = source;
  if (!tw_brief_write (store, &options, out, NULL, &error))
    return tw_cli_refuse_map_request ("export-brief", error);

  return print_written (out, start);
}

int
tw_cli_export_chna (int    argc,
                    char **argv)
{
  g_autofree char *out = NULL, *organisation = NULL, *title = NULL, *source = NULL;
  const GOptionEntry entries[] = {
    { "organisation", 0, 0, G_OPTION_ARG_STRING, &organisation, "Organisation named on the report (default: the workspace's)", "NAME" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "Title (default: Community Health Needs Assessment: data)", "T" },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, "Source line under the title (default: none; the data dictionary names every source)", "T" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "PDF file to write (required)", "FILE.pdf" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  TwChnaOptions options = { 0 };
  gint64 start = g_get_monotonic_time ();
  int status;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE",
                     "Write the data sections of a Community Health Needs Assessment as a "
                     "tagged PDF: community served, process and methods, community input, "
                     "significant health needs, resources available and impact of actions "
                     "taken. Suppressed figures are never shown; the report is written to the "
                     "audit log.", entries, 1))
    return TW_CLI_BAD_INPUT;
  if (out == NULL)
    return tw_cli_bad_input ("export-chna: --out FILE.pdf is required");
  if (!check_pdf ("export-chna", out, "the report", &status))
    return status;

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  options.organisation = organisation;
  options.title = title;
  options.source = source;
  if (!tw_chna_write (store, &options, out, NULL, &error))
    return tw_cli_fail (error);

  return print_written (out, start);
}
