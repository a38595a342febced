/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include <stdio.h>

#include "tw-attributes.h"
#include "tw-cli-private.h"
#include "tw-json.h"
#include "tw-store-catalog.h"
#include "tw-store-dictionary.h"

int
tw_cli_import_attributes (int    argc,
                          char **argv)
{
  g_autofree char *geoid_field = NULL, *fields = NULL, *layer = NULL, *geography = NULL;
  g_autofree char *layout = NULL, *release = NULL, *population = NULL;
  g_autofree char *population_field = NULL;
  const GOptionEntry entries[] = {
    { "layout", 0, 0, G_OPTION_ARG_STRING, &layout, "svi, adi, places, acs or plain (default: recognised from the columns)", "NAME" },
    { "geoid-field", 0, 0, G_OPTION_ARG_STRING, &geoid_field, "The field holding the GEOID (default: the layout's; required for plain)", "F" },
    { "fields", 0, 0, G_OPTION_ARG_STRING, &fields, "Numeric fields to import, comma-separated (default: the layout's; required for plain)", "A,B,…" },
    { "release", 0, 0, G_OPTION_ARG_STRING, &release, "The release or vintage for the data dictionary (default: the year in the file's name)", "YEAR" },
    { "layer", 0, 0, G_OPTION_ARG_STRING, &layer, "Layer or sheet (when the source holds several)", "L" },
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "Geography (default: the only one)", "NAME" },
    { "population", 0, 0, G_OPTION_ARG_FILENAME, &population, "ADI onto tracts: an ACS table of block-group populations (GEO_ID, B01003_001E) to weight the block groups by", "FILE" },
    { "population-field", 0, 0, G_OPTION_ARG_STRING, &population_field, "The population column of --population's table, or without it of SOURCE itself", "F" },
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
                     "Import numeric area attributes keyed by GEOID from any table GDAL reads: "
                     "CDC SVI, Neighborhood Atlas ADI, CDC PLACES and ACS tables in their "
                     "published layouts, or any number (plain). Null codes are stored as "
                     "missing and counted; the fields' data dictionary is kept.", entries, 2))
    return TW_CLI_BAD_INPUT;
  if (layout != NULL && !tw_attribute_layout_from_string (layout, &options.layout))
    return tw_cli_bad_input ("import-attributes: unknown --layout '%s'; use svi, adi, places, "
                             "acs or plain", layout);
  if (options.layout == TW_ATTRIBUTE_LAYOUT_PLAIN && (geoid_field == NULL || fields == NULL))
    return tw_cli_bad_input ("import-attributes: --layout plain needs --geoid-field and "
                             "--fields");
  names = fields != NULL ? g_strsplit (fields, ",", -1) : NULL;
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
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
  options.release = release;
  options.population_source = population;
  options.population_field = population_field;
  result = tw_attribute_import (store, argv[2], &options, &error);
  if (result == NULL)
    return tw_cli_fail (error);
  if (result->missing > 0)
    fprintf (stderr, "tractwise-cli: %" G_GINT64_FORMAT " cells were empty or null codes and "
                     "are stored as missing\n", result->missing);

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
  json_builder_set_member_name (builder, "layout");
  json_builder_add_string_value (builder, tw_attribute_layout_to_string (result->layout));
  tw_json_add_string (builder, "universe", result->universe);
  json_builder_set_member_name (builder, "null_codes");
  json_builder_begin_object (builder);
  for (guint i = 0; result->null_codes[i] != NULL; i++)
    {
      json_builder_set_member_name (builder, result->null_codes[i]);
      json_builder_add_int_value (builder, result->null_code_counts[i]);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "merged_block_groups");
  json_builder_add_int_value (builder, result->merged);
  if (population != NULL || population_field != NULL)
    {
      json_builder_set_member_name (builder, "block_groups_without_population");
      json_builder_add_int_value (builder, result->unweighed);
    }
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

static const TwDictionaryEntry *
find_entry (GPtrArray  *dictionary,
            const char *field)
{
  for (guint d = 0; d < dictionary->len; d++)
    {
      const TwDictionaryEntry *entry = g_ptr_array_index (dictionary, d);

      if (g_str_equal (entry->field, field))
        return entry;
    }
  return NULL;
}

/* --denominator MEASURE=FIELD: only a stored estimate whose margin of error the dictionary
 * names can widen an interval. */
static gboolean
link_denominator (TwStore     *store,
                  gint64       geography_id,
                  GStrv        stored,
                  GPtrArray   *dictionary,
                  const char  *measure,
                  const char  *field,
                  int         *status)
{
  g_autoptr(GError) error = NULL;
  const TwDictionaryEntry *entry = find_entry (dictionary, field);

  if (tw_store_resolve_measure (store, measure, &error) < 0)
    {
      *status = tw_cli_bad_input ("%s; give one of those before = in --denominator",
                                  error->message);
      return FALSE;
    }
  if (!g_strv_contains ((const char *const *) stored, field))
    {
      *status = tw_cli_bad_input ("%s: the areas have no attribute '%s'; import it with "
                                  "import-attributes, or name one that `attributes` lists",
                                  tw_store_get_path (store), field);
      return FALSE;
    }
  if (entry == NULL || entry->moe == NULL || *entry->moe == '\0')
    {
      *status = tw_cli_bad_input ("%s: attribute '%s' has no margin of error in the data "
                                  "dictionary; import an ACS table (estimate and MOE pairs) "
                                  "to give it one", tw_store_get_path (store), field);
      return FALSE;
    }
  if (!tw_store_set_denominator_attribute (store, measure, geography_id, field, &error))
    {
      *status = tw_cli_fail (error);
      return FALSE;
    }
  return TRUE;
}

static void
add_denominator_of (JsonBuilder *builder,
                    TwStore     *store,
                    gint64       geography_id,
                    GPtrArray   *measures,
                    const char  *field)
{
  gboolean any = FALSE;

  for (guint m = 0; m < measures->len; m++)
    {
      const TwMeasureInfo *measure = g_ptr_array_index (measures, m);
      g_autofree char *linked = tw_store_get_denominator_attribute (store, measure->code,
                                                                    geography_id);

      if (g_strcmp0 (linked, field) != 0)
        continue;
      if (!any)
        {
          json_builder_set_member_name (builder, "denominator_of");
          json_builder_begin_array (builder);
          any = TRUE;
        }
      json_builder_add_string_value (builder, measure->code);
    }
  if (any)
    json_builder_end_array (builder);
}

int
tw_cli_attributes (int    argc,
                   char **argv)
{
  g_autofree char *geography = NULL, *denominator = NULL;
  const GOptionEntry entries[] = {
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "Geography (default: the only one)", "NAME" },
    { "denominator", 0, 0, G_OPTION_ARG_STRING, &denominator, "Record that the population estimate FIELD is the denominator of MEASURE: its rates' intervals and statuses then carry the estimate's margin of error", "MEASURE=FIELD" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(GPtrArray) dictionary = NULL;
  g_autoptr(GPtrArray) measures = NULL;
  g_auto(GStrv) stored = NULL;
  g_auto(GStrv) link = NULL;
  JsonBuilder *builder;
  gint64 geography_id;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE",
                     "The data dictionary of the areas' attributes: each field's label, "
                     "universe, source, release, licence, null codes and margin of error, "
                     "and the measures whose denominator it is.",
                     entries, 1))
    return TW_CLI_BAD_INPUT;
  if (denominator != NULL)
    {
      link = g_strsplit (denominator, "=", 2);
      if (link[0] == NULL || link[1] == NULL || *link[0] == '\0' || *link[1] == '\0')
        return tw_cli_bad_input ("attributes: --denominator '%s' is not MEASURE=FIELD; give "
                                 "a measure code and an attribute, e.g. "
                                 "--denominator visits=B01003_001E", denominator);
    }
  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  geography_id = tw_store_resolve_geography (store, geography, &error);
  if (geography_id < 0)
    return tw_cli_fail (error);
  stored = tw_store_list_attributes (store, geography_id, &error);
  if (stored == NULL)
    return tw_cli_fail (error);
  dictionary = tw_store_load_dictionary (store, geography_id, &error);
  if (dictionary == NULL)
    return tw_cli_fail (error);
  if (link != NULL && !link_denominator (store, geography_id, stored, dictionary, link[0],
                                         link[1], &status))
    return status;
  measures = tw_store_list_measures (store, &error);
  if (measures == NULL)
    return tw_cli_fail (error);

  /* Every stored attribute, with what the dictionary says of it (an attribute imported
   * before the dictionary was kept has only its name). */
  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; stored[i] != NULL; i++)
    {
      const TwDictionaryEntry *entry = find_entry (dictionary, stored[i]);

      json_builder_begin_object (builder);
      tw_json_add_string (builder, "field", stored[i]);
      tw_json_add_string (builder, "label", entry ? entry->label : NULL);
      tw_json_add_string (builder, "universe", entry ? entry->universe : NULL);
      tw_json_add_string (builder, "source", entry ? entry->source : NULL);
      tw_json_add_string (builder, "release", entry ? entry->release : NULL);
      tw_json_add_string (builder, "licence", entry ? entry->licence : NULL);
      tw_json_add_string (builder, "null_codes", entry ? entry->null_codes : NULL);
      tw_json_add_string (builder, "moe", entry ? entry->moe : NULL);
      add_denominator_of (builder, store, geography_id, measures, stored[i]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return tw_cli_print_builder (builder);
}
