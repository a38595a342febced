/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include <stdio.h>

#include "tw-attributes.h"
#include "tw-cli-private.h"

int
tw_cli_import_attributes (int    argc,
                          char **argv)
{
  g_autofree char *geoid_field = NULL, *fields = NULL, *layer = NULL, *geography = NULL;
  const GOptionEntry entries[] = {
    { "geoid-field", 0, 0, G_OPTION_ARG_STRING, &geoid_field, "The field holding the GEOID (required)", "F" },
    { "fields", 0, 0, G_OPTION_ARG_STRING, &fields, "Numeric fields to import, comma-separated (required)", "A,B,…" },
    { "layer", 0, 0, G_OPTION_ARG_STRING, &layer, "Layer or sheet (when the source holds several)", "L" },
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "Geography (default: the only one)", "NAME" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwAttributeImportResult) result = NULL;
  g_auto(GStrv) names = NULL;
  TwAttributeImportOptions options = { 0 };
  JsonBuilder *builder;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE SOURCE",
                     "Import numeric area attributes (CDC SVI RPL_THEMES and themes, ADI, any "
                     "number) keyed by GEOID from any table GDAL reads. Empty cells, NA and "
                     "-999 are stored as missing.", entries, 2))
    return TW_CLI_BAD_INPUT;
  if (geoid_field == NULL || fields == NULL)
    return tw_cli_bad_input ("import-attributes: --geoid-field and --fields are required");
  names = g_strsplit (fields, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_strstrip (names[i]);
      if (*names[i] == '\0')
        return tw_cli_bad_input ("import-attributes: --fields '%s' holds an empty name; "
                                 "separate names with single commas", fields);
    }

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  options.layer = layer;
  options.geography = geography;
  options.geoid_field = geoid_field;
  options.fields = (const char *const *) names;
  result = tw_attribute_import (store, argv[2], &options, &error);
  if (result == NULL)
    return tw_cli_fail (error);
  if (result->missing > 0)
    fprintf (stderr, "tractwise-cli: %" G_GINT64_FORMAT " cells were empty, NA or -999 and are "
                     "stored as missing\n", result->missing);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rows");
  json_builder_add_int_value (builder, result->rows);
  json_builder_set_member_name (builder, "fields");
  json_builder_begin_array (builder);
  for (guint i = 0; result->fields[i] != NULL; i++)
    json_builder_add_string_value (builder, result->fields[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "unmatched");
  json_builder_add_int_value (builder, result->unmatched);
  json_builder_set_member_name (builder, "missing");
  json_builder_add_int_value (builder, result->missing);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}
