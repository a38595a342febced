/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include "tw-cli-private.h"
#include "tw-point-import.h"

int
tw_cli_import_points (int    argc,
                      char **argv)
{
  g_autofree char *layer = NULL, *geography = NULL, *measure = NULL, *label = NULL;
  g_autofree char *lat_field = NULL, *lon_field = NULL, *geoid_field = NULL;
  g_autofree char *group_field = NULL, *period_field = NULL, *period = NULL;
  g_autofree char *denominators = NULL, *denominator_attribute = NULL, *kind = NULL;
  g_autofree char *per = NULL, *min_precision = NULL, *precision_field = NULL;
  const GOptionEntry entries[] = {
    { "layer", 0, 0, G_OPTION_ARG_STRING, &layer, "Layer to read", "NAME" },
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "Geography whose areas count the events", "NAME" },
    { "measure", 0, 0, G_OPTION_ARG_STRING, &measure, "Code of the measure the counts become (required)", "CODE" },
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, "Label of a new measure", "TEXT" },
    { "lat-field", 0, 0, G_OPTION_ARG_STRING, &lat_field, "Column of the latitude (default: lat, latitude)", "F" },
    { "lon-field", 0, 0, G_OPTION_ARG_STRING, &lon_field, "Column of the longitude (default: lon, lng, longitude)", "F" },
    { "geoid-field", 0, 0, G_OPTION_ARG_STRING, &geoid_field, "Column of an area already assigned (geocoder output), or its parts: STATE,COUNTY,TRACT", "F[,F…]" },
    { "group-field", 0, 0, G_OPTION_ARG_STRING, &group_field, "Column of the group (stratum)", "F" },
    { "period-field", 0, 0, G_OPTION_ARG_STRING, &period_field, "Column of the period: a year, or a date whose year is taken", "F" },
    { "period", 0, 0, G_OPTION_ARG_STRING, &period, "Period of every event", "P" },
    { "denominators", 0, 0, G_OPTION_ARG_FILENAME, &denominators, "Table of denominators: geoid, [stratum], [period], denominator", "TABLE" },
    { "denominator-attribute", 0, 0, G_OPTION_ARG_STRING, &denominator_attribute, "Area attribute holding the denominator (a population)", "NAME" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, "rate or proportion (new measures)", "KIND" },
    { "per", 0, 0, G_OPTION_ARG_STRING, &per, "Multiplier of a new measure: 100, 1000, 100000 …", "N" },
    { "min-precision", 0, 0, G_OPTION_ARG_STRING, &min_precision, "Count only geocodes this precise: range, street, intersection, zip or city", "P" },
    { "precision-field", 0, 0, G_OPTION_ARG_STRING, &precision_field, "Column of the geocode's precision (default: precision)", "F" },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &tw_cli_progress_lines, "Write progress lines to stderr for scripts: 'progress: events DONE TOTAL'", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwPointImportResult) result = NULL;
  TwPointImportOptions options = { 0 };
  JsonBuilder *builder;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE FILE",
                     "Count events (a row per patient or visit: latitude and longitude, a "
                     "point geometry, or a GEOID from a geocoder) by area, group and period "
                     "into a measure. Coordinates, ids and dates are never written.",
                     entries, 2))
    return TW_CLI_BAD_INPUT;

  if (per != NULL && !tw_cli_parse_per (per, &options.per))
    return TW_CLI_BAD_INPUT;

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;

  options.layer = layer;
  options.geography = geography;
  options.measure = measure;
  options.label = label;
  options.lat_field = lat_field;
  options.lon_field = lon_field;
  options.geoid_field = geoid_field;
  options.group_field = group_field;
  options.period_field = period_field;
  options.period = period;
  options.denominators = denominators;
  options.denominator_attribute = denominator_attribute;
  options.kind = kind;
  options.min_precision = min_precision;
  options.precision_field = precision_field;
  if (tw_cli_wants_progress ())
    {
      options.progress = tw_cli_show_progress;
      options.progress_data = (gpointer) (tw_cli_progress_lines ? "events" : "Counting events");
    }

  result = tw_point_import (store, argv[2], &options, NULL, &error);
  tw_cli_end_progress ();
  if (result == NULL)
    return tw_cli_fail (error);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "points");
  json_builder_add_int_value (builder, result->points);
  json_builder_set_member_name (builder, "assigned");
  json_builder_add_int_value (builder, result->assigned);
  json_builder_set_member_name (builder, "outside");
  json_builder_add_int_value (builder, result->outside);
  json_builder_set_member_name (builder, "outside_rows");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->n_outside_rows; i++)
    json_builder_add_int_value (builder, result->outside_rows[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "imprecise");
  json_builder_add_int_value (builder, result->imprecise);
  json_builder_set_member_name (builder, "rows");
  json_builder_add_int_value (builder, result->rows);
  tw_cli_add_strings (builder, "periods", result->periods);
  tw_cli_add_strings (builder, "strata", result->strata);
  json_builder_set_member_name (builder, "quality");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->quality->len; i++)
    {
      const TwPointQuality *q = &g_array_index (result->quality, TwPointQuality, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "geoid");
      json_builder_add_string_value (builder, q->geoid);
      json_builder_set_member_name (builder, "records");
      json_builder_add_int_value (builder, q->records);
      json_builder_set_member_name (builder, "imprecise");
      json_builder_add_int_value (builder, q->imprecise);
      json_builder_set_member_name (builder, "imprecise_share");
      json_builder_add_double_value (builder, (double) q->imprecise / q->records);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}
