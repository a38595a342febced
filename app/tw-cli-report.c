/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include "tw-brief.h"
#include "tw-chna.h"
#include "tw-cli-private.h"
#include "tw-export.h"

/* What the brief and the CHNA report share on the command line: the options that name
 * the organisation, title, source line and output file, the check that the file is a PDF,
 * the workspace and the line printed when written. */
typedef struct
{
  const char *command;        /* "export-brief" */
  const char *what;           /* "the brief", in messages */
  const char *title_help;
  const char *source_help;
  char       *organisation;
  char       *title;
  char       *source;
  char       *out;
  gint64      start;
} Report;

static void
report_clear (Report *report)
{
  g_clear_pointer (&report->organisation, g_free);
  g_clear_pointer (&report->title, g_free);
  g_clear_pointer (&report->source, g_free);
  g_clear_pointer (&report->out, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Report, report_clear)

/* Parses @own options (ending with a NULL entry) and the shared ones. */
static gboolean
report_parse (Report             *report,
              const GOptionEntry *own,
              const char         *summary,
              int                *argc,
              char             ***argv)
{
  const GOptionEntry shared[] = {
    { "organisation", 0, 0, G_OPTION_ARG_STRING, &report->organisation, "Organisation named on the report (default: the workspace's)", "NAME" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &report->title, report->title_help, "T" },
    { "source", 0, 0, G_OPTION_ARG_STRING, &report->source, report->source_help, "T" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &report->out, "PDF file to write (required)", "FILE.pdf" },
  };
  g_autoptr(GArray) entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));

  report->start = g_get_monotonic_time ();
  for (guint i = 0; own != NULL && own[i].long_name != NULL; i++)
    g_array_append_val (entries, own[i]);
  g_array_append_vals (entries, shared, G_N_ELEMENTS (shared));
  return tw_cli_parse (argc, argv, "WORKSPACE", summary, (GOptionEntry *) entries->data, 1);
}

/* Refuses an output that is missing or not a PDF, then opens the workspace. */
static TwStore *
report_open (Report     *report,
             const char *workspace,
             int        *status)
{
  TwExportFormat format;

  if (report->out == NULL)
    {
      *status = tw_cli_bad_input ("%s: --out FILE.pdf is required", report->command);
      return NULL;
    }
  if (!tw_export_format_from_path (report->out, &format, NULL)
      || format != TW_EXPORT_FORMAT_PDF)
    {
      *status = tw_cli_bad_input ("%s: --out %s: %s is a PDF; give a file name ending in "
                                  ".pdf", report->command, report->out, report->what);
      return NULL;
    }
  return tw_cli_open_project (workspace, status);
}

static int
report_written (Report *report)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "out");
  json_builder_add_string_value (builder, report->out);
  tw_cli_add_number (builder, "seconds", (g_get_monotonic_time () - report->start) / 1e6);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

int
tw_cli_export_brief (int    argc,
                     char **argv)
{
  g_auto(Report) report = {
    "export-brief", "the brief", "Title (default: the measure's label)",
    "Source line (default: the measure's source)",
  };
  g_autofree char *measure = NULL, *period = NULL, *stratum = NULL, *geography = NULL;
  const GOptionEntry entries[] = {
    { "measure", 0, 0, G_OPTION_ARG_STRING, &measure, "Measure code (required)", "M" },
    { "period", 0, 0, G_OPTION_ARG_STRING, &period, "Period (required)", "P" },
    { "stratum", 0, 0, G_OPTION_ARG_STRING, &stratum, "Group of the map (default: all)", "S" },
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "Geography (default: the one holding the measure)", "G" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  TwBriefOptions options = { 0 };
  int status;

  if (!report_parse (&report, entries,
                     "Write the board brief: a multi-page PDF with the map, the largest "
                     "disparities, the partner projects, trends, methods and the suppression "
                     "policy. Suppressed figures are never shown; the brief is written to the "
                     "audit log.", &argc, &argv))
    return TW_CLI_BAD_INPUT;
  if (measure == NULL || period == NULL || report.out == NULL)
    return tw_cli_bad_input ("export-brief: --measure, --period and --out FILE.pdf are "
                             "required");
  store = report_open (&report, argv[1], &status);
  if (store == NULL)
    return status;
  options.measure = measure;
  options.period = period;
  options.stratum = stratum;
  options.geography = geography;
  options.title = report.title;
  options.organisation = report.organisation;
  options.source = report.source;
  if (!tw_brief_write (store, &options, report.out, NULL, &error))
    return tw_cli_refuse_map_request ("export-brief", error);

  return report_written (&report);
}

int
tw_cli_export_chna (int    argc,
                    char **argv)
{
  g_auto(Report) report = {
    "export-chna", "the report",
    "Title (default: Community Health Needs Assessment: data)",
    "Source line under the title (default: none; the data dictionary names every source)",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  TwChnaOptions options = { 0 };
  int status;

  if (!report_parse (&report, NULL,
                     "Write the data sections of a Community Health Needs Assessment as a "
                     "tagged PDF: community served, process and methods, community input, "
                     "significant health needs, resources available and impact of actions "
                     "taken. Suppressed figures are never shown; the report is written to the "
                     "audit log.", &argc, &argv))
    return TW_CLI_BAD_INPUT;
  store = report_open (&report, argv[1], &status);
  if (store == NULL)
    return status;
  options.organisation = report.organisation;
  options.title = report.title;
  options.source = report.source;
  if (!tw_chna_write (store, &options, report.out, NULL, &error))
    return tw_cli_fail (error);

  return report_written (&report);
}
