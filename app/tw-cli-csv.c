/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include "tw-cli-private.h"
#include "tw-csv-export.h"

int
tw_cli_export_csv (int    argc,
                   char **argv)
{
  g_autofree char *measure = NULL, *period = NULL, *stratum = NULL, *geography = NULL;
  g_autofree char *out = NULL;
  const GOptionEntry entries[] = {
    { "measure", 0, 0, G_OPTION_ARG_STRING, &measure, "Measure code (required)", "M" },
    { "period", 0, 0, G_OPTION_ARG_STRING, &period, "Only this period (default: every period)", "P" },
    { "stratum", 0, 0, G_OPTION_ARG_STRING, &stratum, "Only this group (default: every group)", "S" },
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "Geography (default: the one holding the measure)", "G" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "CSV file to write (required); its codebook goes beside it", "FILE.csv" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autofree char *codebook = NULL;
  TwCsvOptions options = { 0 };
  TwCsvSummary summary = { 0 };
  JsonBuilder *builder;
  int status;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE",
                     "Write a measure's published figures as a CSV table (status and reason "
                     "columns; no count, rate or interval for a hidden cell) and its codebook "
                     "FILE.codebook.csv beside it: each column's label, unit, universe, "
                     "source, release, licence, null codes, paired interval and the policy. "
                     "Both are written to the audit log.", entries, 1))
    return TW_CLI_BAD_INPUT;
  if (measure == NULL)
    return tw_cli_bad_input ("export-csv: --measure M is required");
  if (out == NULL)
    return tw_cli_bad_input ("export-csv: --out FILE.csv is required");
  if (!g_str_has_suffix (out, ".csv"))
    return tw_cli_bad_input ("export-csv: --out %s: the table is a CSV file; give a file name "
                             "ending in .csv", out);

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  options.measure = measure;
  options.period = period;
  options.stratum = stratum;
  options.geography = geography;
  if (!tw_csv_export_write (store, &options, out, &summary, NULL, &error))
    return tw_cli_fail (error);

  codebook = tw_csv_codebook_path (out);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "out");
  json_builder_add_string_value (builder, out);
  json_builder_set_member_name (builder, "codebook");
  json_builder_add_string_value (builder, codebook);
  json_builder_set_member_name (builder, "rows");
  json_builder_add_int_value (builder, summary.n_rows);
  json_builder_set_member_name (builder, "hidden");
  json_builder_add_int_value (builder, summary.n_hidden);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}
