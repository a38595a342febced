/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <ogr_api.h>

#include "tw-area-import.h"
#include "tw-area-reader.h"
#include "tw-cli-private.h"
#include "tw-outcome-import.h"
#include "tw-store-import.h"

/* Progress on a terminal, redrawn in place; with --progress, for scripts, one line
 * "progress: WHAT DONE TOTAL" on stderr at most twice a second (TOTAL is 0 when unknown),
 * and a last one when the import is done. Without either, stderr holds errors only. */
gboolean tw_cli_progress_lines;
static gint64 progress_last_line;

void
tw_cli_show_progress (gint64   done,
                      gint64   total,
                      gpointer user_data)
{
  const char *what = user_data;

  if (tw_cli_progress_lines)
    {
      gint64 now = g_get_monotonic_time ();

      if (now - progress_last_line < G_USEC_PER_SEC / 2 && done != total)
        return;
      progress_last_line = now;
      fprintf (stderr, "progress: %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", what, done,
               MAX (total, 0));
    }
  else if (total > 0)
    fprintf (stderr, "\r%s: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " (%d%%)", what, done,
             total, (int) (100 * done / total));
  else
    fprintf (stderr, "\r%s: %" G_GINT64_FORMAT, what, done);
  fflush (stderr);
}

static TwImportProgress
progress_for_terminal (void)
{
  return tw_cli_wants_progress () ? tw_cli_show_progress : NULL;
}

gboolean
tw_cli_wants_progress (void)
{
  return tw_cli_progress_lines || isatty (STDERR_FILENO);
}

void
tw_cli_end_progress (void)
{
  if (!tw_cli_progress_lines && isatty (STDERR_FILENO))
    fputs ("\r\033[K", stderr);
}

int
tw_cli_new (int    argc,
            char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  JsonBuilder *builder;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE", "Create an empty Tractwise workspace file.",
                     NULL, 1))
    return TW_CLI_BAD_INPUT;

  store = tw_store_create (argv[1], &error);
  if (store == NULL)
    return tw_cli_fail (error);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "project");
  json_builder_add_string_value (builder, argv[1]);
  json_builder_set_member_name (builder, "schema_version");
  json_builder_add_int_value (builder, tw_store_get_schema_version (store));
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

int
tw_cli_import_areas (int    argc,
                     char **argv)
{
  g_autofree char *layer = NULL, *id_field = NULL, *name_field = NULL, *level = NULL;
  g_autofree char *assume_crs = NULL, *geography = NULL;
  int vintage = 0;
  const GOptionEntry entries[] = {
    { "layer", 0, 0, G_OPTION_ARG_STRING, &layer, "Layer to read (when there are several)", "NAME" },
    { "id-field", 0, 0, G_OPTION_ARG_STRING, &id_field, "Field holding the GEOID", "F" },
    { "name-field", 0, 0, G_OPTION_ARG_STRING, &name_field, "Field holding the area name", "F" },
    { "level", 0, 0, G_OPTION_ARG_STRING, &level, "tract, block-group, county, zcta or other", "LEVEL" },
    { "vintage", 0, 0, G_OPTION_ARG_INT, &vintage, "Census vintage of the boundaries", "YEAR" },
    { "assume-crs", 0, 0, G_OPTION_ARG_STRING, &assume_crs, "CRS of a layer that names none, or whose declared CRS its coordinates do not fit", "CRS" },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &tw_cli_progress_lines, "Write progress lines to stderr for scripts: 'progress: WHAT DONE TOTAL'", NULL },
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "Name of the new geography (default: the layer name)", "NAME" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwAreaImportResult) result = NULL;
  TwAreaImportOptions options = { 0 };
  JsonBuilder *builder;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE SOURCE",
                     "Import area boundaries (Shapefile, zipped Shapefile, GeoPackage, GeoJSON, "
                     "TopoJSON, FlatGeobuf, KML, GML) into a new geography.", entries, 2))
    return TW_CLI_BAD_INPUT;

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;

  options.layer = layer;
  options.id_field = id_field;
  options.name_field = name_field;
  options.level = level;
  options.vintage = vintage;
  options.assume_crs = assume_crs;
  options.geography = geography;

  result = tw_area_import (store, argv[2], &options, progress_for_terminal (),
                           (gpointer) (tw_cli_progress_lines ? "areas" : "Importing areas"),
                           NULL,
                           &error);
  tw_cli_end_progress ();
  if (result == NULL)
    return tw_cli_fail (error);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "geography");
  json_builder_add_string_value (builder, result->geography);
  json_builder_set_member_name (builder, "imported");
  json_builder_add_int_value (builder, result->imported);
  json_builder_set_member_name (builder, "repaired");
  json_builder_add_int_value (builder, result->repaired);
  json_builder_set_member_name (builder, "skipped");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->skipped->len; i++)
    {
      TwAreaSkip *skip = g_ptr_array_index (result->skipped, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "feature");
      json_builder_add_int_value (builder, skip->feature);
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, skip->reason);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "source_crs");
  json_builder_add_string_value (builder, result->source_crs);
  json_builder_set_member_name (builder, "id_field");
  json_builder_add_string_value (builder, result->id_field);
  json_builder_set_member_name (builder, "name_field");
  if (result->name_field)
    json_builder_add_string_value (builder, result->name_field);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->warnings->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (result->warnings, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

int
tw_cli_import_outcomes (int    argc,
                        char **argv)
{
  g_autofree char *layer = NULL, *geography = NULL, *geoid_field = NULL, *measure = NULL;
  g_autofree char *label = NULL, *period = NULL, *stratum = NULL, *numerator_field = NULL;
  g_autofree char *denominator_field = NULL, *kind = NULL, *per = NULL;
  gboolean skip_unmatched = FALSE;
  const GOptionEntry entries[] = {
    { "layer", 0, 0, G_OPTION_ARG_STRING, &layer, "Layer or sheet to read", "NAME" },
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "Geography the GEOIDs belong to", "NAME" },
    { "geoid-field", 0, 0, G_OPTION_ARG_STRING, &geoid_field, "Column holding the GEOID", "F" },
    { "measure", 0, 0, G_OPTION_ARG_STRING, &measure, "Measure code of every row", "CODE" },
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, "Label of a new measure", "TEXT" },
    { "period", 0, 0, G_OPTION_ARG_STRING, &period, "Period of every row", "P" },
    { "stratum", 0, 0, G_OPTION_ARG_STRING, &stratum, "Stratum (group) of every row", "S" },
    { "numerator-field", 0, 0, G_OPTION_ARG_STRING, &numerator_field, "Column holding the count", "F" },
    { "denominator-field", 0, 0, G_OPTION_ARG_STRING, &denominator_field, "Column holding the denominator", "F" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, "rate or proportion (new measures)", "KIND" },
    { "per", 0, 0, G_OPTION_ARG_STRING, &per, "Multiplier of a new measure: 100, 1000, 100000 …", "N" },
    { "skip-unmatched", 0, 0, G_OPTION_ARG_NONE, &skip_unmatched, "Leave out rows whose GEOID is unknown (they are counted)", NULL },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &tw_cli_progress_lines, "Write progress lines to stderr for scripts: 'progress: WHAT DONE TOTAL'", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwOutcomeImportResult) result = NULL;
  TwOutcomeImportOptions options = { 0 };
  JsonBuilder *builder;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE SOURCE",
                     "Import an outcome table (CSV, XLSX, ODS, DBF, GeoPackage) in the long form "
                     "(geoid, measure, period, stratum, numerator, denominator[, age_group]) or "
                     "one measure and period of a wide table.", entries, 2))
    return TW_CLI_BAD_INPUT;

  if (per != NULL && !tw_cli_parse_per (per, &options.per))
    return TW_CLI_BAD_INPUT;

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;

  options.layer = layer;
  options.geography = geography;
  options.geoid_field = geoid_field;
  options.measure = measure;
  options.label = label;
  options.period = period;
  options.stratum = stratum;
  options.numerator_field = numerator_field;
  options.denominator_field = denominator_field;
  options.kind = kind;
  options.skip_unmatched = skip_unmatched;

  result = tw_outcome_import (store, argv[2], &options, progress_for_terminal (),
                              (gpointer) (tw_cli_progress_lines ? "rows" : "Importing rows"), NULL,
                              &error);
  tw_cli_end_progress ();
  if (result == NULL)
    return tw_cli_fail (error);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rows");
  json_builder_add_int_value (builder, result->rows);
  tw_cli_add_strings (builder, "measures", result->measures);
  tw_cli_add_strings (builder, "periods", result->periods);
  tw_cli_add_strings (builder, "strata", result->strata);
  json_builder_set_member_name (builder, "unmatched");
  json_builder_add_int_value (builder, result->unmatched);
  tw_cli_add_strings (builder, "unmatched_examples", result->unmatched_examples);
  json_builder_set_member_name (builder, "apportioned");
  json_builder_add_int_value (builder, result->apportioned);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

int
tw_cli_info (int    argc,
             char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwProjectSummary) summary = NULL;
  JsonBuilder *builder;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE",
                     "Summarise a workspace: geographies, measures, partners and projects.",
                     NULL, 1))
    return TW_CLI_BAD_INPUT;

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;

  summary = tw_store_summarize (store, &error);
  if (summary == NULL)
    return tw_cli_fail (error);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema_version");
  json_builder_add_int_value (builder, summary->schema_version);
  json_builder_set_member_name (builder, "geographies");
  json_builder_begin_array (builder);
  for (guint i = 0; i < summary->geographies->len; i++)
    {
      TwGeographySummary *geography = g_ptr_array_index (summary->geographies, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, geography->name);
      json_builder_set_member_name (builder, "level");
      json_builder_add_string_value (builder, geography->level);
      json_builder_set_member_name (builder, "vintage");
      if (geography->vintage > 0)
        json_builder_add_int_value (builder, geography->vintage);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "areas");
      json_builder_add_int_value (builder, geography->areas);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "measures");
  json_builder_begin_array (builder);
  for (guint i = 0; i < summary->measures->len; i++)
    {
      TwMeasureSummary *measure = g_ptr_array_index (summary->measures, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, measure->code);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, measure->label);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, measure->kind);
      tw_cli_add_number (builder, "per", measure->per);
      tw_cli_add_strings (builder, "periods", measure->periods);
      tw_cli_add_strings (builder, "strata", measure->strata);
      json_builder_set_member_name (builder, "rows");
      json_builder_add_int_value (builder, measure->rows);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "partners");
  json_builder_add_int_value (builder, summary->partners);
  json_builder_set_member_name (builder, "projects");
  json_builder_add_int_value (builder, summary->projects);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

static void
add_area (const TwStoredArea *area,
          gpointer            user_data)
{
  JsonBuilder *builder = user_data;
  OGRGeometryH geometry = NULL;
  OGRGeometryH centroid = OGR_G_CreateGeometry (wkbPoint);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "geoid");
  json_builder_add_string_value (builder, area->geoid);
  json_builder_set_member_name (builder, "name");
  if (area->name == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, area->name);

  json_builder_set_member_name (builder, "centroid");
  json_builder_begin_array (builder);
  if (OGR_G_CreateFromWkb (area->wkb, NULL, &geometry, (int) area->wkb_len) == OGRERR_NONE
      && OGR_G_Centroid (geometry, centroid) == OGRERR_NONE)
    {
      json_builder_add_double_value (builder, OGR_G_GetX (centroid, 0));
      json_builder_add_double_value (builder, OGR_G_GetY (centroid, 0));
    }
  json_builder_end_array (builder);
  if (geometry != NULL)
    OGR_G_DestroyGeometry (geometry);
  OGR_G_DestroyGeometry (centroid);

  json_builder_set_member_name (builder, "bbox");
  json_builder_begin_array (builder);
  json_builder_add_double_value (builder, area->min_lon);
  json_builder_add_double_value (builder, area->min_lat);
  json_builder_add_double_value (builder, area->max_lon);
  json_builder_add_double_value (builder, area->max_lat);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

int
tw_cli_areas (int    argc,
              char **argv)
{
  g_autofree char *geography = NULL;
  const GOptionEntry entries[] = {
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "Geography to list", "NAME" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  gint64 geography_id;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE",
                     "List the areas of a geography: GEOID, name, centroid and bounding box "
                     "in longitude/latitude.", entries, 1))
    return TW_CLI_BAD_INPUT;

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;

  geography_id = tw_store_resolve_geography (store, geography, &error);
  if (geography_id < 0)
    return tw_cli_fail (error);

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  if (!tw_store_foreach_area (store, geography_id, add_area, builder, &error))
    return tw_cli_fail (error);
  json_builder_end_array (builder);
  return tw_cli_print_builder (g_steal_pointer (&builder));
}
