/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-bench-tiles"

/*
 * Times the map's tiles: the very renderer the map window uses (tw_render_tile with the
 * choropleth's style), 256-px tiles, one thread, geometry already in memory as the window
 * holds it.
 *
 *   tw-bench-tiles PROJECT MEASURE PERIOD [--stratum S] [--geography G] [--method M]
 *                  [--classes K] [--runs N] [--sample N] [--tiles-out DIR]
 *
 * Tile sets:
 *   metro-z10  the 7 × 7 tiles of zoom 10 around the tile holding the most area centres
 *              (the densest metro)
 *   nation-z4  every zoom-4 tile that meets the extent of the areas
 *   zooms-4-12 (with --sample N) N tiles a zoom, 4 to 12, each the tile under the centre of
 *              an area drawn at random (seeded): where people look, weighted by areas
 *
 * Prints one JSON object: per set the tile count, p50, p99 and max milliseconds a tile and
 * the total seconds (the median of --runs passes over the set). With --tiles-out, writes
 * DIR/<set>.tiles, one tile a line: "z x y minx miny maxx maxy" in EPSG:3857 metres, for the
 * peer (peer-tiles.sh) to render the same tiles.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tw-choropleth.h"

#define METRO_ZOOM 10
#define METRO_RADIUS 3
#define NATION_ZOOM 4
#define TILE_SIZE 256
/* Half the Web Mercator world, in metres. */
#define MERCATOR_HALF 20037508.342789244

typedef struct
{
  int z, x, y;
} Tile;

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (const double *sorted,
            guint         n,
            double        p)
{
  double h = (n - 1) * p;
  guint lo = (guint) floor (h);

  if (lo + 1 >= n)
    return sorted[n - 1];
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

/* CPU time of this thread, in microseconds: on a busy machine it says what the renderer
 * costs better than the wall clock does. */
static gint64
thread_cpu_time (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
add_tile (GArray *tiles,
          int     z,
          int     x,
          int     y)
{
  Tile tile = { z, x, y };

  g_array_append_val (tiles, tile);
}

static GArray *
metro_tiles (TwGeometrySet *geometry)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  GArray *tiles = g_array_new (FALSE, FALSE, sizeof (Tile));
  guint n = tw_geometry_set_get_n_areas (geometry), best = 0;
  int side = 1 << METRO_ZOOM, best_x = 0, best_y = 0;

  g_array_set_size (keys, n);
  for (guint i = 0; i < n; i++)
    {
      TwBox box;
      int x, y;
      gint64 *key = &g_array_index (keys, gint64, i);
      guint count;

      tw_geometry_set_get_area_box (geometry, i, &box);
      x = CLAMP ((int) floor ((box.min_x + box.max_x) / 2 * side), 0, side - 1);
      y = CLAMP ((int) floor ((box.min_y + box.max_y) / 2 * side), 0, side - 1);
      *key = (gint64) x * side + y;
      count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)) + 1;
      g_hash_table_insert (counts, key, GUINT_TO_POINTER (count));
      if (count > best)
        {
          best = count;
          best_x = x;
          best_y = y;
        }
    }

  for (int x = MAX (best_x - METRO_RADIUS, 0); x <= MIN (best_x + METRO_RADIUS, side - 1); x++)
    for (int y = MAX (best_y - METRO_RADIUS, 0); y <= MIN (best_y + METRO_RADIUS, side - 1);
         y++)
      add_tile (tiles, METRO_ZOOM, x, y);
  return tiles;
}

static GArray *
extent_tiles (TwGeometrySet *geometry,
              int            z)
{
  GArray *tiles = g_array_new (FALSE, FALSE, sizeof (Tile));
  int side = 1 << z;
  TwBox extent;

  tw_geometry_set_get_extent (geometry, &extent);
  for (int x = (int) floor (extent.min_x * side); x <= (int) floor (extent.max_x * side); x++)
    for (int y = (int) floor (extent.min_y * side); y <= (int) floor (extent.max_y * side); y++)
      if (x >= 0 && y >= 0 && x < side && y < side)
        add_tile (tiles, z, x, y);
  return tiles;
}

static GArray *
sampled_tiles (TwGeometrySet *geometry,
               guint          per_zoom)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20200401);
  GArray *tiles = g_array_new (FALSE, FALSE, sizeof (Tile));
  guint n = tw_geometry_set_get_n_areas (geometry);

  for (int z = 4; z <= 12 && n > 0; z++)
    for (guint i = 0; i < per_zoom; i++)
      {
        TwBox box;
        int side = 1 << z;

        tw_geometry_set_get_area_box (geometry, g_rand_int_range (rand, 0, n), &box);
        add_tile (tiles, z,
                  CLAMP ((int) floor ((box.min_x + box.max_x) / 2 * side), 0, side - 1),
                  CLAMP ((int) floor ((box.min_y + box.max_y) / 2 * side), 0, side - 1));
      }
  return tiles;
}

static void
write_tiles (const char *dir,
             const char *name,
             GArray     *tiles)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.tiles", dir, name);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < tiles->len; i++)
    {
      const Tile *t = &g_array_index (tiles, Tile, i);
      TwBox box;

      tw_tile_box (t->z, t->x, t->y, &box);
      /* World units (y down) to EPSG:3857 metres (y up). */
      g_string_append_printf (text, "%d %d %d %.6f %.6f %.6f %.6f\n", t->z, t->x, t->y,
                              (box.min_x * 2 - 1) * MERCATOR_HALF,
                              (1 - box.max_y * 2) * MERCATOR_HALF,
                              (box.max_x * 2 - 1) * MERCATOR_HALF,
                              (1 - box.min_y * 2) * MERCATOR_HALF);
    }
  if (!g_file_set_contents (path, text->str, text->len, NULL))
    fprintf (stderr, "tw-bench-tiles: cannot write %s\n", path);
  g_string_free (text, TRUE);
}

/* Renders every tile of @tiles @runs times; prints the set's JSON member. */
static void
time_tiles (const char    *name,
            GArray        *tiles,
            TwGeometrySet *geometry,
            TwMapStyle    *style,
            int            runs,
            gboolean       last)
{
  g_autofree double *ms = g_new (double, MAX (tiles->len, 1) * runs);
  g_autofree double *cpu_ms = g_new (double, MAX (tiles->len, 1) * runs);
  g_autofree int *zooms = g_new (int, MAX (tiles->len, 1) * runs);
  g_autoptr(GString) by_zoom = g_string_new (NULL);
  g_autofree double *totals = g_new (double, runs);
  guint n = 0;

  for (int r = 0; r < runs; r++)
    {
      gint64 pass = g_get_monotonic_time ();

      for (guint i = 0; i < tiles->len; i++)
        {
          const Tile *t = &g_array_index (tiles, Tile, i);
          gint64 start = g_get_monotonic_time (), cpu_start = thread_cpu_time ();
          cairo_surface_t *surface = tw_render_tile (geometry, style, t->z, t->x, t->y,
                                                     TILE_SIZE);

          cpu_ms[n] = (thread_cpu_time () - cpu_start) / 1e3;
          zooms[n] = t->z;
          ms[n++] = (g_get_monotonic_time () - start) / 1e3;
          cairo_surface_destroy (surface);
        }
      totals[r] = (g_get_monotonic_time () - pass) / 1e6;
    }
  /* Per zoom, when the set has several: where the slow tiles are. */
  for (int z = 0; z <= 22; z++)
    {
      g_autoptr(GArray) at = g_array_new (FALSE, FALSE, sizeof (double));

      for (guint i = 0; i < n; i++)
        if (zooms[i] == z)
          g_array_append_val (at, ms[i]);
      if (at->len == 0 || at->len == n)
        continue;
      g_array_sort (at, compare_doubles);
      g_string_append_printf (by_zoom, "%s\"%d\": [%.3f, %.3f]", by_zoom->len ? ", " : "", z,
                              percentile ((double *) at->data, at->len, 0.5),
                              percentile ((double *) at->data, at->len, 0.99));
    }
  qsort (ms, n, sizeof (double), compare_doubles);
  qsort (cpu_ms, n, sizeof (double), compare_doubles);
  qsort (totals, runs, sizeof (double), compare_doubles);
  printf ("  \"%s\": {\"count\": %u, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, "
          "\"total_s\": %.4f, \"cpu_p50_ms\": %.3f, \"cpu_p99_ms\": %.3f%s%s%s}%s\n", name,
          tiles->len, n ? percentile (ms, n, 0.5) : 0.0, n ? percentile (ms, n, 0.99) : 0.0,
          n ? ms[n - 1] : 0.0, totals[runs / 2], n ? percentile (cpu_ms, n, 0.5) : 0.0,
          n ? percentile (cpu_ms, n, 0.99) : 0.0,
          by_zoom->len ? ", \"p50_p99_ms_by_zoom\": {" : "", by_zoom->str, by_zoom->len ? "}" : "",
          last ? "" : ",");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *stratum = NULL, *geography = NULL, *method = NULL, *tiles_out = NULL;
  int runs = 3, sample = 0, classes = 5;
  const GOptionEntry entries[] = {
    { "stratum", 0, 0, G_OPTION_ARG_STRING, &stratum, "Group (default all)", "S" },
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "Geography", "G" },
    { "method", 0, 0, G_OPTION_ARG_STRING, &method, "Classes (default natural)", "M" },
    { "classes", 0, 0, G_OPTION_ARG_INT, &classes, "Number of classes (default 5)", "K" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Passes over each set (default 3)", "N" },
    { "sample", 0, 0, G_OPTION_ARG_INT, &sample, "Also N sampled tiles a zoom, 4 to 12", "N" },
    { "tiles-out", 0, 0, G_OPTION_ARG_FILENAME, &tiles_out, "Write the tile lists here", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("PROJECT MEASURE PERIOD");
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwAreaLayer) layer = NULL;
  g_autoptr(TwChoropleth) map = NULL;
  g_autoptr(GArray) metro = NULL, nation = NULL, sampled = NULL;
  TwChoroplethQuery query = { 0 };
  TwGeometrySet *geometry;
  gint64 geography_id, start;
  double load_s, map_s;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 4 || runs < 1)
    {
      fprintf (stderr, "tw-bench-tiles: %s\n",
               error ? error->message : "usage: PROJECT MEASURE PERIOD [OPTIONS]");
      return 2;
    }

  query.measure = argv[2];
  query.period = argv[3];
  query.stratum = stratum;
  query.n_classes = classes;
  query.method = TW_CLASSIFY_NATURAL;
  if (method != NULL && !tw_classify_method_from_string (method, &query.method, &error))
    {
      fprintf (stderr, "tw-bench-tiles: %s\n", error->message);
      return 2;
    }

  store = tw_store_open (argv[1], &error);
  if (store == NULL
      || (geography_id = tw_store_resolve_geography (store, geography, &error)) < 0)
    {
      fprintf (stderr, "tw-bench-tiles: %s\n", error->message);
      return 1;
    }
  start = g_get_monotonic_time ();
  layer = tw_area_layer_load (store, geography_id, NULL, &error);
  load_s = (g_get_monotonic_time () - start) / 1e6;
  if (layer == NULL)
    {
      fprintf (stderr, "tw-bench-tiles: %s\n", error->message);
      return 1;
    }
  start = g_get_monotonic_time ();
  map = tw_choropleth_compute (store, layer, &query, NULL, &error);
  map_s = (g_get_monotonic_time () - start) / 1e6;
  if (map == NULL)
    {
      fprintf (stderr, "tw-bench-tiles: %s\n", error->message);
      return 1;
    }
  geometry = tw_area_layer_get_geometry (layer);

  metro = metro_tiles (geometry);
  nation = extent_tiles (geometry, NATION_ZOOM);
  if (sample > 0)
    sampled = sampled_tiles (geometry, sample);
  if (tiles_out != NULL)
    {
      g_mkdir_with_parents (tiles_out, 0755);
      write_tiles (tiles_out, "metro-z10", metro);
      write_tiles (tiles_out, "nation-z4", nation);
      if (sampled != NULL)
        write_tiles (tiles_out, "zooms-4-12", sampled);
    }

  printf ("{\n  \"areas\": %u, \"vertices\": %" G_GUINT64_FORMAT ", \"layer_load_s\": %.3f, "
          "\"choropleth_s\": %.4f, \"runs\": %d,\n",
          tw_geometry_set_get_n_areas (geometry), tw_geometry_set_get_n_vertices (geometry),
          load_s, map_s, runs);
  time_tiles ("metro-z10", metro, geometry, tw_choropleth_get_style (map), runs, FALSE);
  time_tiles ("nation-z4", nation, geometry, tw_choropleth_get_style (map), runs,
              sampled == NULL);
  if (sampled != NULL)
    time_tiles ("zooms-4-12", sampled, geometry, tw_choropleth_get_style (map), runs, TRUE);
  printf ("}\n");
  return 0;
}
