/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tw-choropleth.h"
#include "tw-store-private.h"
#include "tw-cli-private.h"
#include "tw-rate-table.h"

/* The deepest zoom a tile may be asked for. */
#define MAX_ZOOM 22
#define MAX_TILE_SIZE 4096

/* The options the map's commands share. */
typedef struct
{
  char     *measure;
  char     *period;
  char     *stratum;
  char     *geography;
  char     *method;
  int       classes;
  char     *breaks;
  char     *palette;
  gboolean  reveal;
} MapOptions;

static void
map_options_clear (MapOptions *options)
{
  g_free (options->measure);
  g_free (options->period);
  g_free (options->stratum);
  g_free (options->geography);
  g_free (options->method);
  g_free (options->breaks);
  g_free (options->palette);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MapOptions, map_options_clear)

#define MAP_OPTION_ENTRIES(o) \
  { "measure", 0, 0, G_OPTION_ARG_STRING, &(o).measure, "Measure code (required)", "M" }, \
  { "period", 0, 0, G_OPTION_ARG_STRING, &(o).period, "Period (required)", "P" }, \
  { "stratum", 0, 0, G_OPTION_ARG_STRING, &(o).stratum, "Group (default: all)", "S" }, \
  { "geography", 0, 0, G_OPTION_ARG_STRING, &(o).geography, "Geography of the map (default: the one holding the measure)", "G" }, \
  { "method", 0, 0, G_OPTION_ARG_STRING, &(o).method, "quantile, equal, natural, stddev or manual", "METHOD" }, \
  { "classes", 0, 0, G_OPTION_ARG_INT, &(o).classes, "Number of classes, 3 to 9 (default 5)", "K" }, \
  { "breaks", 0, 0, G_OPTION_ARG_STRING, &(o).breaks, "Manual breaks between classes, increasing: a,b,…", "LIST" }

/* Parses "a,b,c" into numbers; NULL and a one-line message on anything else. */
static GArray *
parse_breaks (const char  *text,
              char       **message)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = g_strstrip (parts[i]);
      char *end = NULL;
      double value;

      value = g_ascii_strtod (part, &end);
      if (part[0] == '\0' || end == NULL || *end != '\0' || !isfinite (value))
        {
          *message = g_strdup_printf ("--breaks: '%s' is not a number; give the thresholds "
                                      "between classes as increasing numbers, e.g. "
                                      "--breaks 1.5,2.5,4", part);
          return NULL;
        }
      if (values->len > 0 && value <= g_array_index (values, double, values->len - 1))
        {
          *message = g_strdup_printf ("--breaks: %s does not follow a smaller break; give the "
                                      "thresholds in increasing order", part);
          return NULL;
        }
      g_array_append_val (values, value);
    }
  if (values->len < TW_CLASSIFY_MIN_CLASSES - 1 || values->len > TW_CLASSIFY_MAX_CLASSES - 1)
    {
      *message = g_strdup_printf ("--breaks: %u breaks make %u classes; give %d to %d breaks "
                                  "for %d to %d classes", values->len, values->len + 1,
                                  TW_CLASSIFY_MIN_CLASSES - 1, TW_CLASSIFY_MAX_CLASSES - 1,
                                  TW_CLASSIFY_MIN_CLASSES, TW_CLASSIFY_MAX_CLASSES);
      return NULL;
    }
  return g_steal_pointer (&values);
}

/* The geography of the map: the one named, the project's only one, or the only one holding
 * outcomes of the measure and period. */
static gint64
choose_geography (TwStore     *store,
                  MapOptions  *options,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GArray) holding = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *list = NULL;
  gint64 id, measure_id;
  sqlite3_stmt *stmt;

  if (options->geography != NULL)
    return tw_store_resolve_geography (store, options->geography, error);
  id = tw_store_resolve_geography (store, NULL, &local_error);
  if (id >= 0)
    return id;

  measure_id = tw_store_resolve_measure (store, options->measure, error);
  if (measure_id < 0)
    return -1;
  stmt = tw_store_prepare (store, "SELECT id, name FROM geography ORDER BY name", error);
  if (stmt == NULL)
    return -1;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (ids->len == 0)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      stmt = tw_store_prepare (store,
                               "SELECT 1 FROM outcome o JOIN area a ON a.id = o.area_id "
                               "WHERE o.measure_id = ?1 AND o.period = ?2 "
                               "AND a.geography_id = ?3 LIMIT 1", error);
      if (stmt == NULL)
        return -1;
      sqlite3_bind_int64 (stmt, 1, measure_id);
      sqlite3_bind_text (stmt, 2, options->period, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, g_array_index (ids, gint64, i));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        g_array_append_val (holding, i);
      sqlite3_reset (stmt);
    }
  if (holding->len == 1)
    return g_array_index (ids, gint64, g_array_index (holding, guint, 0));

  g_ptr_array_add (names, NULL);
  list = g_strjoinv (", ", (GStrv) names->pdata);
  g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
               "%s: measure '%s' has outcomes for period '%s' in %s geography; give one with "
               "--geography (there are: %s)", tw_store_get_path (store), options->measure,
               options->period, holding->len == 0 ? "no" : "more than one", list);
  return -1;
}

/* Checks the options, opens the project and computes the map; NULL with *status set. */
static TwChoropleth *
compute_map (const char  *command,
             const char  *project,
             MapOptions  *options,
             int         *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwAreaLayer) layer = NULL;
  g_autoptr(GArray) breaks = NULL;
  TwChoroplethQuery query = { 0 };
  TwChoropleth *map;
  gint64 geography_id;

  *status = TW_CLI_BAD_INPUT;
  if (options->measure == NULL || options->period == NULL)
    {
      tw_cli_bad_input ("%s: --measure and --period are required", command);
      return NULL;
    }

  query.method = TW_CLASSIFY_QUANTILE;
  if (options->method != NULL
      && !tw_classify_method_from_string (options->method, &query.method, &error))
    {
      tw_cli_bad_input ("%s: unknown --method '%s'; use quantile, equal, natural, stddev or "
                        "manual", command, options->method);
      return NULL;
    }
  if (options->breaks != NULL)
    {
      g_autofree char *message = NULL;

      if (options->method == NULL)
        query.method = TW_CLASSIFY_MANUAL;
      if (query.method != TW_CLASSIFY_MANUAL)
        {
          tw_cli_bad_input ("%s: --breaks goes with --method manual, not --method %s",
                            command, options->method);
          return NULL;
        }
      breaks = parse_breaks (options->breaks, &message);
      if (breaks == NULL)
        {
          tw_cli_bad_input ("%s %s", command, message);
          return NULL;
        }
      query.manual_breaks = (const double *) breaks->data;
      query.n_manual_breaks = breaks->len;
    }
  else if (query.method == TW_CLASSIFY_MANUAL)
    {
      tw_cli_bad_input ("%s: --method manual needs --breaks a,b,… (the thresholds between "
                        "classes)", command);
      return NULL;
    }
  if (options->classes != 0 && query.method == TW_CLASSIFY_MANUAL)
    {
      tw_cli_bad_input ("%s: --classes does not go with manual breaks: %u breaks make %u "
                        "classes", command, query.n_manual_breaks, query.n_manual_breaks + 1);
      return NULL;
    }
  query.n_classes = options->classes != 0 ? (guint) options->classes : 5;
  if (query.method != TW_CLASSIFY_MANUAL
      && (options->classes < 0 || query.n_classes < TW_CLASSIFY_MIN_CLASSES
          || query.n_classes > TW_CLASSIFY_MAX_CLASSES))
    {
      tw_cli_bad_input ("%s: --classes %d is out of range; give %d to %d", command,
                        options->classes, TW_CLASSIFY_MIN_CLASSES, TW_CLASSIFY_MAX_CLASSES);
      return NULL;
    }
  if (options->palette != NULL && tw_palette_lookup (options->palette) == NULL)
    {
      g_auto(GStrv) names = tw_palette_list_names (TW_PALETTE_FILTER_ALL);
      g_autofree char *list = g_strjoinv (", ", names);

      tw_cli_bad_input ("%s: unknown --palette '%s'; use one of %s", command, options->palette,
                        list);
      return NULL;
    }

  store = tw_cli_open_project (project, status);
  if (store == NULL)
    return NULL;

  geography_id = choose_geography (store, options, &error);
  if (geography_id < 0)
    {
      *status = tw_cli_fail (error);
      return NULL;
    }
  layer = tw_area_layer_load (store, geography_id, NULL, &error);
  if (layer == NULL)
    {
      *status = tw_cli_fail (error);
      return NULL;
    }

  query.measure = options->measure;
  query.period = options->period;
  query.stratum = options->stratum;
  query.palette = options->palette;
  query.reveal = options->reveal;
  map = tw_choropleth_compute (store, layer, &query, NULL, &error);
  if (map == NULL)
    {
      if (error->domain == TW_RATE_TABLE_ERROR && error->code == TW_RATE_TABLE_ERROR_PERIOD)
        *status = tw_cli_bad_input ("%s; give one of those with --period", error->message);
      else if (error->domain == TW_RATE_TABLE_ERROR
               && error->code == TW_RATE_TABLE_ERROR_STRATUM)
        *status = tw_cli_bad_input ("%s; give one of those with --stratum", error->message);
      else
        *status = tw_cli_fail (error);
      return NULL;
    }
  if (options->reveal)
    fprintf (stderr, "tractwise-cli: analyst view: suppressed areas are classed and coloured; "
                     "this output must not leave your screen\n");
  *status = TW_CLI_OK;
  return map;
}

static void
add_classes (JsonBuilder  *builder,
             TwChoropleth *map)
{
  const TwClassification *classes = tw_choropleth_get_classification (map);

  json_builder_set_member_name (builder, "breaks");
  json_builder_begin_array (builder);
  for (guint i = 0; classes != NULL && i <= classes->n_classes; i++)
    json_builder_add_double_value (builder, classes->breaks[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "counts");
  json_builder_begin_array (builder);
  for (guint i = 0; classes != NULL && i < classes->n_classes; i++)
    json_builder_add_int_value (builder, classes->counts[i]);
  json_builder_end_array (builder);
}

int
tw_cli_classify (int    argc,
                 char **argv)
{
  g_auto(MapOptions) options = { 0 };
  const GOptionEntry entries[] = {
    MAP_OPTION_ENTRIES (options),
    { "reveal", 0, 0, G_OPTION_ARG_NONE, &options.reveal, "Analyst view: class suppressed areas too (stdout only)", NULL },
    { NULL }
  };
  g_autoptr(TwChoropleth) map = NULL;
  const TwClassification *classes;
  JsonBuilder *builder;
  int status;

  if (!tw_cli_parse (&argc, &argv, "PROJECT",
                     "The classes of a map: breaks, counts and within-class sum of squares. "
                     "Suppressed areas are left out unless --reveal.", entries, 1))
    return TW_CLI_BAD_INPUT;
  if (options.method == NULL && options.breaks == NULL)
    return tw_cli_bad_input ("classify: --method is required (quantile, equal, natural, stddev "
                             "or manual)");

  map = compute_map ("classify", argv[1], &options, &status);
  if (map == NULL)
    return status;
  classes = tw_choropleth_get_classification (map);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, classes != NULL
                                          ? tw_classify_method_to_string (classes->method)
                                          : options.method);
  add_classes (builder, map);
  tw_cli_add_number (builder, "within_ss", classes != NULL ? classes->within_ss : NAN);
  json_builder_set_member_name (builder, "suppressed");
  json_builder_add_int_value (builder, tw_choropleth_get_n_suppressed (map));
  json_builder_set_member_name (builder, "no_data");
  json_builder_add_int_value (builder, tw_choropleth_get_n_no_data (map));
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

static void
add_color (JsonBuilder *builder,
           const char  *member,
           guint32      color)
{
  g_autofree char *hex = tw_color_to_hex (color);

  if (member != NULL)
    json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, hex);
}

int
tw_cli_render_tile (int    argc,
                    char **argv)
{
  g_auto(MapOptions) options = { 0 };
  g_autofree char *out = NULL;
  int z = G_MININT, x = G_MININT, y = G_MININT, size = 256;
  const GOptionEntry entries[] = {
    MAP_OPTION_ENTRIES (options),
    { "palette", 0, 0, G_OPTION_ARG_STRING, &options.palette, "ColorBrewer palette (default YlOrRd)", "NAME" },
    { "z", 0, 0, G_OPTION_ARG_INT, &z, "Zoom (required)", "Z" },
    { "x", 0, 0, G_OPTION_ARG_INT, &x, "Tile column (required)", "X" },
    { "y", 0, 0, G_OPTION_ARG_INT, &y, "Tile row (required)", "Y" },
    { "size", 0, 0, G_OPTION_ARG_INT, &size, "Tile size in pixels (default 256)", "PX" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "PNG file to write (required)", "TILE.png" },
    { NULL }
  };
  g_autoptr(TwChoropleth) map = NULL;
  cairo_surface_t *surface;
  cairo_status_t written;
  TwMapStyle *style;
  JsonBuilder *builder;
  gint64 start;
  double seconds;
  int status;

  /* GOption writes only what is given: G_MININT marks what was not. */
  if (!tw_cli_parse (&argc, &argv, "PROJECT",
                     "Render one 256-px tile of the map, as the map window draws it, to a PNG "
                     "file.", entries, 1))
    return TW_CLI_BAD_INPUT;
  if (z == G_MININT || x == G_MININT || y == G_MININT || out == NULL)
    return tw_cli_bad_input ("render-tile: --z, --x, --y and --out TILE.png are required");
  if (z < 0 || z > MAX_ZOOM)
    return tw_cli_bad_input ("render-tile: --z %d is out of range; give a zoom from 0 to %d",
                             z, MAX_ZOOM);
  if (x < 0 || y < 0 || (gint64) x >= ((gint64) 1 << z) || (gint64) y >= ((gint64) 1 << z))
    return tw_cli_bad_input ("render-tile: tile --x %d --y %d does not exist at zoom %d; both "
                             "must be from 0 to %" G_GINT64_FORMAT, x, y, z,
                             ((gint64) 1 << z) - 1);
  if (size < 1 || size > MAX_TILE_SIZE)
    return tw_cli_bad_input ("render-tile: --size %d is out of range; give 1 to %d pixels",
                             size, MAX_TILE_SIZE);

  map = compute_map ("render-tile", argv[1], &options, &status);
  if (map == NULL)
    return status;
  style = tw_choropleth_get_style (map);

  start = g_get_monotonic_time ();
  surface = tw_render_tile (tw_area_layer_get_geometry (tw_choropleth_get_layer (map)), style,
                            z, x, y, size);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  written = cairo_surface_write_to_png (surface, out);
  cairo_surface_destroy (surface);
  if (written != CAIRO_STATUS_SUCCESS)
    return tw_cli_bad_input ("render-tile: cannot write %s: %s; give a writable --out path",
                             out, cairo_status_to_string (written));

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "out");
  json_builder_add_string_value (builder, out);
  json_builder_set_member_name (builder, "z");
  json_builder_add_int_value (builder, z);
  json_builder_set_member_name (builder, "x");
  json_builder_add_int_value (builder, x);
  json_builder_set_member_name (builder, "y");
  json_builder_add_int_value (builder, y);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, size);
  json_builder_set_member_name (builder, "palette");
  json_builder_add_string_value (builder,
                                 tw_palette_get_name (tw_choropleth_get_palette (map)));
  add_classes (builder, map);
  json_builder_set_member_name (builder, "colors");
  json_builder_begin_array (builder);
  for (guint i = 0; i < tw_map_style_get_n_classes (style); i++)
    add_color (builder, NULL, tw_map_style_get_fill (style, i));
  json_builder_end_array (builder);
  add_color (builder, "no_data_color", tw_map_style_get_fill (style, TW_AREA_NO_DATA));
  add_color (builder, "suppressed_color", tw_map_style_get_fill (style, TW_AREA_SUPPRESSED));
  add_color (builder, "hatch_color", tw_palette_fixed_color (TW_COLOR_SUPPRESSED_HATCH));
  json_builder_set_member_name (builder, "suppressed");
  json_builder_add_int_value (builder, tw_choropleth_get_n_suppressed (map));
  json_builder_set_member_name (builder, "no_data");
  json_builder_add_int_value (builder, tw_choropleth_get_n_no_data (map));
  tw_cli_add_number (builder, "render_seconds", seconds);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}
