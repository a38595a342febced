/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-bench-spatial"

/*
 * tw-bench-spatial TASK nation.gpkg VALUES.txt [--runs N] [--threads T] [--seed S]
 *
 * TASK: weights (queen contiguity), lisa (local Moran, 999 conditional permutations),
 * moran (global Moran, 999 permutations). Reads the first layer of the file through OGR
 * (untimed), and for lisa and moran builds the queen weights (untimed) and reads one value a
 * tract from VALUES.txt in layer order ("NA" → the mean), then times the task N times
 * (default 3, monotonic clock) and prints one JSON line with the median. The peer is
 * tests/bench/tw-bench-spatial-peer.R (spdep poly2nb, localmoran_perm, moran.mc).
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "tw-spatial-stats.h"
#include "tw-weights.h"

static double
now_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* CPU time of every thread: a fair figure when the machine is busy with other work */
static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static TwPolygonSet *
read_polygons (const char *path)
{
  GDALDatasetH ds = GDALOpenEx (path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
  OGRLayerH layer;
  OGRFeatureH feature;
  TwPolygonSet *set;
  OGRSpatialReferenceH srs;

  if (ds == NULL)
    {
      fprintf (stderr, "tw-bench-spatial: cannot open %s\n", path);
      exit (1);
    }
  layer = GDALDatasetGetLayer (ds, 0);
  srs = OGR_L_GetSpatialRef (layer);
  set = tw_polygon_set_new (srs == NULL || OSRIsGeographic (srs));
  while ((feature = OGR_L_GetNextFeature (layer)) != NULL)
    {
      OGRGeometryH geometry = OGR_F_GetGeometryRef (feature);
      int size = geometry != NULL ? OGR_G_WkbSize (geometry) : 0;
      g_autofree guint8 *wkb = g_malloc (MAX (size, 1));

      if (geometry == NULL || OGR_G_ExportToIsoWkb (geometry, wkbNDR, wkb) != OGRERR_NONE
          || !tw_polygon_set_add_wkb (set, wkb, size, NULL))
        tw_polygon_set_begin_area (set);   /* keep the numbering: an area without points */
      OGR_F_Destroy (feature);
    }
  GDALClose (ds);
  return set;
}

static double *
read_values (const char *path,
             guint       n)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  double *values = g_new (double, n);
  guint m = 0, present = 0;
  double sum = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    {
      fprintf (stderr, "tw-bench-spatial: cannot read %s\n", path);
      exit (1);
    }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *end = NULL;
      double v;

      if (*line == '\0' || *line == '#')
        continue;
      if (m == n)
        {
          fprintf (stderr, "tw-bench-spatial: more values than tracts\n");
          exit (1);
        }
      v = g_ascii_strtod (line, &end);
      values[m++] = (end != line && *end == '\0' && isfinite (v)) ? v : NAN;
    }
  if (m != n)
    {
      fprintf (stderr, "tw-bench-spatial: %u values for %u tracts\n", m, n);
      exit (1);
    }
  for (guint i = 0; i < n; i++)
    if (!isnan (values[i]))
      {
        sum += values[i];
        present++;
      }
  for (guint i = 0; i < n; i++)
    if (isnan (values[i]))
      values[i] = sum / present;
  return values;
}

int
main (int    argc,
      char **argv)
{
  int runs = 3, threads = 0;
  gint64 seed = 1;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed runs (median)", "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Threads (0: every core)", "T" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the permutations", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("weights|lisa|moran GPKG VALUES");
  g_autoptr(GError) error = NULL;
  g_autoptr(TwPolygonSet) set = NULL;
  g_autoptr(TwWeights) queen = NULL;
  g_autofree double *times = NULL;
  g_autofree double *cpu = NULL;
  g_autofree double *values = NULL;
  const char *task;
  guint n;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 4 || runs < 1)
    {
      fprintf (stderr, "usage: tw-bench-spatial weights|lisa|moran GPKG VALUES [--runs N]\n");
      return 2;
    }
  task = argv[1];
  GDALAllRegister ();
  set = read_polygons (argv[2]);
  n = tw_polygon_set_get_n_areas (set);
  times = g_new (double, runs);
  cpu = g_new (double, runs);

  if (g_str_equal (task, "weights"))
    {
      guint min, max;
      double mean;
      g_autoptr(GArray) islands = NULL;

      for (int r = 0; r < runs; r++)
        {
          double t0 = now_seconds (), c0 = cpu_seconds ();

          g_clear_pointer (&queen, tw_weights_free);
          queen = tw_weights_new_contiguity (set, TW_WEIGHTS_QUEEN, TW_WEIGHTS_DEFAULT_SNAP,
                                             threads, &error);
          times[r] = now_seconds () - t0;
          cpu[r] = cpu_seconds () - c0;
          if (queen == NULL)
            {
              fprintf (stderr, "tw-bench-spatial: %s\n", error->message);
              return 1;
            }
        }
      qsort (times, runs, sizeof (double), compare_doubles);
      qsort (cpu, runs, sizeof (double), compare_doubles);
      tw_weights_get_cardinality (queen, &min, &max, &mean);
      islands = tw_weights_get_islands (queen);
      printf ("{\"task\":\"weights\",\"areas\":%u,\"points\":%" G_GSIZE_FORMAT ",\"threads\":%u,"
              "\"seconds\":%.4f,\"cpu_seconds\":%.4f,\"links\":%u,\"islands\":%u,"
              "\"min\":%u,\"max\":%u,\"mean\":%.6f}\n",
              n, tw_polygon_set_get_n_points (set),
              threads ? (guint) threads : g_get_num_processors (),
              times[runs / 2], cpu[runs / 2], tw_weights_get_n_links (queen), islands->len,
              min, max, mean);
      return 0;
    }

  values = read_values (argv[3], n);
  queen = tw_weights_new_contiguity (set, TW_WEIGHTS_QUEEN, TW_WEIGHTS_DEFAULT_SNAP, threads,
                                     &error);
  if (g_str_equal (task, "lisa"))
    {
      g_autofree TwMoranLocal *local = g_new (TwMoranLocal, n);
      guint significant = 0;

      for (int r = 0; r < runs; r++)
        {
          double t0 = now_seconds (), c0 = cpu_seconds ();

          if (!tw_moran_local (queen, values, 999, seed, threads, local, &error))
            {
              fprintf (stderr, "tw-bench-spatial: %s\n", error->message);
              return 1;
            }
          times[r] = now_seconds () - t0;
          cpu[r] = cpu_seconds () - c0;
        }
      for (guint i = 0; i < n; i++)
        significant += local[i].p_permutation <= 0.05;
      qsort (times, runs, sizeof (double), compare_doubles);
      qsort (cpu, runs, sizeof (double), compare_doubles);
      printf ("{\"task\":\"lisa\",\"areas\":%u,\"permutations\":999,\"seconds\":%.4f,"
              "\"cpu_seconds\":%.4f,\"significant_05\":%u}\n", n, times[runs / 2],
              cpu[runs / 2], significant);
      return 0;
    }
  if (g_str_equal (task, "moran"))
    {
      TwMoranGlobal global;

      for (int r = 0; r < runs; r++)
        {
          double t0 = now_seconds (), c0 = cpu_seconds ();

          if (!tw_moran_global (queen, values, 999, seed, threads, &global, &error))
            {
              fprintf (stderr, "tw-bench-spatial: %s\n", error->message);
              return 1;
            }
          times[r] = now_seconds () - t0;
          cpu[r] = cpu_seconds () - c0;
        }
      qsort (times, runs, sizeof (double), compare_doubles);
      qsort (cpu, runs, sizeof (double), compare_doubles);
      printf ("{\"task\":\"moran\",\"areas\":%u,\"permutations\":999,\"seconds\":%.4f,"
              "\"cpu_seconds\":%.4f,\"i\":%.17g,\"p\":%.6g}\n", n, times[runs / 2],
              cpu[runs / 2], global.i, global.p_permutation);
      return 0;
    }
  fprintf (stderr, "tw-bench-spatial: unknown task %s\n", task);
  return 2;
}
