/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include <math.h>
#include <stdio.h>

#include "tw-choropleth.h"
#include "tw-cli-private.h"

/* The deepest zoom a tile may be asked for. */
#define MAX_ZOOM 22
#define MAX_TILE_SIZE 4096

void
tw_cli_map_options_clear (TwCliMapOptions *options)
{
  g_free (options->measure);
  g_free (options->period);
  g_free (options->stratum);
  g_free (options->geography);
  g_free (options->method);
  g_free (options->breaks);
  g_free (options->palette);
}

int
tw_cli_refuse_map_request (const char   *command,
                           const GError *error)
{
  const char *option = tw_map_request_error_option (error);
  g_autoptr(GError) prefixed = NULL;

  if (option == NULL)
    return tw_cli_fail (error);
  prefixed = g_error_copy (error);
  g_prefix_error (&prefixed, "%s %s: ", command, option);
  return tw_cli_fail (prefixed);
}

TwMapRequest *
tw_cli_map_request (const char      *command,
                    TwCliMapOptions *options,
                    int             *status)
{
  g_autoptr(TwMapRequest) request = tw_map_request_new ();
  g_autoptr(GError) error = NULL;

  *status = TW_CLI_BAD_INPUT;
  if (options->measure == NULL || options->period == NULL)
    {
      tw_cli_bad_input ("%s: --measure and --period are required", command);
      return NULL;
    }
  tw_map_request_set_measure (request, options->measure);
  tw_map_request_set_period (request, options->period);
  tw_map_request_set_stratum (request, options->stratum);
  tw_map_request_set_geography (request, options->geography);
  tw_map_request_set_palette (request, options->palette);
  tw_map_request_set_reveal (request, options->reveal);

  if (options->method != NULL && !tw_map_request_set_method_name (request, options->method,
                                                                  &error))
    {
      *status = tw_cli_refuse_map_request (command, error);
      return NULL;
    }
  if (options->breaks != NULL)
    {
      if (options->method == NULL)
        tw_map_request_set_method (request, TW_CLASSIFY_MANUAL);
      if (!tw_map_request_set_breaks_text (request, options->breaks, &error))
        {
          *status = tw_cli_refuse_map_request (command, error);
          return NULL;
        }
    }
  if (options->classes != 0)
    {
      guint n_breaks;

      tw_map_request_get_breaks (request, &n_breaks);
      if (tw_map_request_get_method (request) == TW_CLASSIFY_MANUAL && n_breaks > 0)
        {
          tw_cli_bad_input ("%s: --classes does not go with manual breaks: %u breaks make %u "
                            "classes", command, n_breaks, n_breaks + 1);
          return NULL;
        }
      tw_map_request_set_n_classes (request, options->classes > 0 ? options->classes : 0);
    }
  if (!tw_map_request_validate (request, &error))
    {
      *status = tw_cli_refuse_map_request (command, error);
      return NULL;
    }
  *status = TW_CLI_OK;
  return g_steal_pointer (&request);
}

/* Checks the options, opens the project and computes the map; NULL with *status set. */
static TwChoropleth *
compute_map (const char      *command,
             const char      *project,
             TwCliMapOptions *options,
             int             *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwMapRequest) request = NULL;
  TwChoropleth *map;

  request = tw_cli_map_request (command, options, status);
  if (request == NULL)
    return NULL;
  store = tw_cli_open_project (project, status);
  if (store == NULL)
    return NULL;
  map = tw_map_request_compute (request, store, NULL, &error);
  if (map == NULL)
    {
      *status = tw_cli_refuse_map_request (command, error);
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
  g_auto(TwCliMapOptions) options = { 0 };
  const GOptionEntry entries[] = {
    TW_CLI_MAP_OPTION_ENTRIES (options),
    { "reveal", 0, 0, G_OPTION_ARG_NONE, &options.reveal, "Analyst view: class suppressed areas too (stdout only)", NULL },
    { NULL }
  };
  g_autoptr(TwChoropleth) map = NULL;
  const TwClassification *classes;
  JsonBuilder *builder;
  int status;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE",
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
  g_auto(TwCliMapOptions) options = { 0 };
  g_autofree char *out = NULL;
  int z = G_MININT, x = G_MININT, y = G_MININT, size = 256;
  const GOptionEntry entries[] = {
    TW_CLI_MAP_OPTION_ENTRIES (options),
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
  if (!tw_cli_parse (&argc, &argv, "WORKSPACE",
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
