/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-bench-rates"

/*
 * Times the figures of one map: the rate table (rates with intervals under the policy) of
 * every area for one measure, period and stratum, and the whole choropleth (rates, classes,
 * ranks, style) over a layer already in memory. Prints JSON with the median of the runs.
 *
 *   tw-bench-rates PROJECT MEASURE PERIOD [STRATUM] [--runs N] [--geography G]
 */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tw-choropleth.h"
#include "tw-rate-table.h"

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

/* CPU seconds of this thread: on a busy machine it says what the work costs better than
 * the wall clock does. */
static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *geography = NULL;
  int runs = 7;
  const GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed runs (default 7)", "N" },
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "Geography of the map", "G" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("PROJECT MEASURE PERIOD [STRATUM]");
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwAreaLayer) layer = NULL;
  g_autofree double *table_s = NULL, *map_s = NULL, *table_cpu = NULL, *map_cpu = NULL;
  TwRateQuery query = { 0 };
  TwChoroplethQuery map_query = { 0 };
  gint64 geography_id, start;
  guint n_rows = 0;
  double layer_s, first_table_s, first_map_s;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc < 4 || runs < 1)
    {
      fprintf (stderr, "tw-bench-rates: %s\n",
               error ? error->message : "usage: PROJECT MEASURE PERIOD [STRATUM] [--runs N]");
      return 2;
    }

  store = tw_store_open (argv[1], &error);
  if (store == NULL
      || (geography_id = tw_store_resolve_geography (store, geography, &error)) < 0)
    {
      fprintf (stderr, "tw-bench-rates: %s\n", error->message);
      return 1;
    }

  query.measure = map_query.measure = argv[2];
  query.period = map_query.period = argv[3];
  query.stratum = map_query.stratum = argc > 4 ? argv[4] : "all";
  query.geography_id = geography_id;
  query.method = TW_RATE_METHOD_CRUDE;
  map_query.method = TW_CLASSIFY_NATURAL;
  map_query.n_classes = 5;

  start = g_get_monotonic_time ();
  layer = tw_area_layer_load (store, geography_id, NULL, &error);
  layer_s = (g_get_monotonic_time () - start) / 1e6;
  if (layer == NULL)
    {
      fprintf (stderr, "tw-bench-rates: %s\n", error->message);
      return 1;
    }

  table_s = g_new (double, runs);
  map_s = g_new (double, runs);
  table_cpu = g_new (double, runs);
  map_cpu = g_new (double, runs);
  for (int r = 0; r < runs; r++)
    {
      g_autoptr(TwRateTable) table = NULL;
      g_autoptr(TwChoropleth) map = NULL;

      double cpu = cpu_now ();

      start = g_get_monotonic_time ();
      table = tw_rate_table_compute (store, &query, NULL, NULL, &error);
      table_s[r] = (g_get_monotonic_time () - start) / 1e6;
      table_cpu[r] = cpu_now () - cpu;
      if (table == NULL)
        {
          fprintf (stderr, "tw-bench-rates: %s\n", error->message);
          return 1;
        }
      n_rows = tw_rate_table_get_n_rows (table);

      cpu = cpu_now ();
      start = g_get_monotonic_time ();
      map = tw_choropleth_compute (store, layer, &map_query, NULL, &error);
      map_s[r] = (g_get_monotonic_time () - start) / 1e6;
      map_cpu[r] = cpu_now () - cpu;
      if (map == NULL)
        {
          fprintf (stderr, "tw-bench-rates: %s\n", error->message);
          return 1;
        }
    }

  /* The first run reads the outcome pages from disk or the OS cache; the median is the
   * map redrawn for another measure, with SQLite's cache warm. */
  first_table_s = table_s[0];
  first_map_s = map_s[0];
  printf ("{\"rows\": %u, \"areas\": %u, \"runs\": %d, \"rates_first_s\": %.4f, "
          "\"rates_median_s\": %.4f, \"choropleth_first_s\": %.4f, "
          "\"choropleth_median_s\": %.4f, \"rates_cpu_median_s\": %.4f, "
          "\"choropleth_cpu_median_s\": %.4f, \"layer_load_s\": %.3f}\n",
          n_rows, tw_area_layer_get_n_areas (layer), runs, first_table_s,
          median (table_s, runs), first_map_s, median (map_s, runs),
          median (table_cpu, runs), median (map_cpu, runs), layer_s);
  return 0;
}
