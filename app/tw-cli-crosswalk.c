/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include "tw-cli-private.h"
#include "tw-crosswalk.h"
#include "tw-store-catalog.h"

gboolean
tw_cli_measure_geography (TwStore    *store,
                          const char *command,
                          const char *measure,
                          const char *geography,
                          gint64     *geography_id,
                          int        *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) geographies = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  gint64 measure_id;
  guint n_holding = 0;

  if (geography != NULL)
    {
      *geography_id = tw_store_resolve_geography (store, geography, &error);
      if (*geography_id < 0)
        *status = tw_cli_fail (error);
      return *geography_id >= 0;
    }
  *geography_id = 0;
  measure_id = tw_store_resolve_measure (store, measure, &error);
  if (measure_id < 0)
    return TRUE;   /* the command says it in its own words */
  geographies = tw_store_list_geographies (store, measure_id, NULL, &error);
  if (geographies == NULL)
    {
      *status = tw_cli_fail (error);
      return FALSE;
    }
  for (guint g = 0; g < geographies->len; g++)
    {
      TwGeographyInfo *info = g_ptr_array_index (geographies, g);

      if (!info->holds)
        continue;
      g_string_append_printf (names, "%s%s", n_holding++ ? ", " : "", info->name);
      *geography_id = info->id;
    }
  if (n_holding > 1)
    {
      *status = tw_cli_bad_input ("%s: measure %s has outcomes on several geographies (%s), "
                                  "as after a crosswalk; say which with --geography", command,
                                  measure, names->str);
      return FALSE;
    }
  return TRUE;
}

static void
add_int (JsonBuilder *builder,
         const char  *member,
         gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

int
tw_cli_crosswalk (int    argc,
                  char **argv)
{
  g_autofree char *from = NULL, *to = NULL, *format = NULL, *weight = NULL;
  g_autofree char *measures = NULL, *rule = NULL, *blocks = NULL;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "Geography whose outcomes are converted (required)", "G" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "Geography they are allocated to (required)", "G" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "census-tract, census-zcta, hud-zip, pairs, overlay (outlines in the project; FILE is -), or regions (FILE lists region,geoid; --to names the new geography); default: from the columns", "F" },
    { "weight", 0, 0, G_OPTION_ARG_STRING, &weight, "area (land area; Census default), population (with --blocks), or a column: RES_RATIO (HUD default), TOT_RATIO, weight …", "W" },
    { "blocks", 0, 0, G_OPTION_ARG_FILENAME, &blocks, "With --weight population: block parts from,to,population (block GEOIDs of the two vintages)", "FILE" },
    { "rule", 0, 0, G_OPTION_ARG_STRING, &rule, "proportional (default) or majority: an area goes wholly to the one holding ≥ 50% of it", "R" },
    { "measures", 0, 0, G_OPTION_ARG_STRING, &measures, "Measures to convert (default: every one of --from)", "M,…" },
    { "progress", 0, 0, G_OPTION_ARG_NONE, &tw_cli_progress_lines, "Write progress lines to stderr for scripts: 'progress: rows DONE TOTAL' (TOTAL 0 until the last line)", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwCrosswalkResult) result = NULL;
  g_auto(GStrv) measure_list = NULL;
  TwCrosswalkOptions options = { 0 };
  const char *source;
  JsonBuilder *builder;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE RELATIONSHIP_FILE",
                     "Allocate the outcomes (counts, never rates) of one geography to "
                     "another's areas through a relationship file as published: the Census "
                     "tract or ZCTA file, HUD's ZIP crosswalk, or a from,to,weight table. "
                     "The allocated outcomes keep their measure codes.", entries, 2))
    return TW_CLI_BAD_INPUT;

  if (format != NULL && !tw_crosswalk_format_from_string (format, &options.format))
    return tw_cli_bad_input ("crosswalk --format: '%s' is not a layout Tractwise reads; give "
                             "census-tract, census-zcta, hud-zip, pairs, overlay or regions", format);
  if (rule == NULL || g_str_equal (rule, "proportional"))
    options.rule = TW_CROSSWALK_RULE_PROPORTIONAL;
  else if (g_str_equal (rule, "majority"))
    options.rule = TW_CROSSWALK_RULE_MAJORITY;
  else
    return tw_cli_bad_input ("crosswalk --rule: '%s' is not a rule; give proportional or "
                             "majority", rule);
  if (from == NULL || to == NULL)
    return tw_cli_bad_input ("crosswalk: name the geographies with --from and --to");
  source = argv[2];
  if (options.format == TW_CROSSWALK_FORMAT_OVERLAY)
    {
      if (!g_str_equal (source, "-"))
        return tw_cli_bad_input ("crosswalk --format overlay: the areas' outlines are the "
                                 "relationship; give - in place of a file");
      source = NULL;
    }
  if (measures != NULL)
    {
      measure_list = g_strsplit (measures, ",", -1);
      for (guint m = 0; measure_list[m] != NULL; m++)
        if (*g_strstrip (measure_list[m]) == '\0')
          return tw_cli_bad_input ("crosswalk --measures: an empty code in '%s'; give codes "
                                   "separated by commas", measures);
    }

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;

  options.from_geography = from;
  options.to_geography = to;
  options.weight = weight;
  options.blocks = blocks;
  options.measures = (const char *const *) measure_list;
  if (tw_cli_wants_progress ())
    {
      options.progress = tw_cli_show_progress;
      options.progress_data = (gpointer) (tw_cli_progress_lines ? "rows" : "Allocating rows");
    }
  result = tw_crosswalk_run (store, source, &options, NULL, &error);
  tw_cli_end_progress ();
  if (result == NULL)
    return tw_cli_fail (error);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_int (builder, "rows", result->rows);
  tw_cli_add_strings (builder, "measures", result->measures);
  tw_cli_add_number (builder, "source_total", result->source_total);
  tw_cli_add_number (builder, "target_total", result->target_total);
  json_builder_set_member_name (builder, "conserved");
  json_builder_add_boolean_value (builder, result->conserved);
  tw_cli_add_strings (builder, "unmatched_source", result->unmatched_source);
  tw_cli_add_strings (builder, "unmatched_target", result->unmatched_target);
  add_string (builder, "format", result->format);
  add_string (builder, "weight", result->weight);
  add_string (builder, "method", result->rule);
  add_int (builder, "links", result->links);
  add_int (builder, "hidden_cells", result->hidden_cells);
  json_builder_set_member_name (builder, "areas");
  json_builder_begin_object (builder);
  add_int (builder, "unchanged", result->unchanged);
  add_int (builder, "recoded", result->recoded);
  add_int (builder, "split", result->split);
  add_int (builder, "merged", result->merged);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  if (!result->conserved)
    g_printerr ("tractwise-cli: crosswalk: %.10g of the %.10g events of '%s' were not "
                "allocated (areas without a link, or parts outside '%s'); see unmatched_source "
                "and check that the file covers both geographies\n",
                result->source_total - result->target_total, result->source_total, from, to);
  return tw_cli_print_builder (builder);
}
