/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-bench-breaks"

#include "config.h"

/*
 * tw-bench-breaks VALUES.txt K [--method natural] [--runs N]
 *
 * Reads one value per line (blank lines and lines starting with '#' are skipped; "NA"
 * and "nan" are missing values), classifies them N times (default 7) after one warm-up
 * run, and prints one JSON line with the median time of the whole tw_classify() call
 * (monotonic clock) and its result. The peer is R classInt's style = "fisher" on the
 * same file: tests/bench/tw-bench-breaks-peer.R.
 */

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gio/gio.h>

#include "tw-classify.h"

static double
now_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static GArray *
read_values (const char  *path,
             GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *end = NULL;
      double v;

      if (*line == '\0' || *line == '#')
        continue;
      if (g_ascii_strcasecmp (line, "NA") == 0 || g_ascii_strcasecmp (line, "nan") == 0)
        {
          v = NAN;
        }
      else
        {
          errno = 0;
          v = g_ascii_strtod (line, &end);
          if (end == line || *end != '\0' || errno != 0)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "%s:%u: “%s” is not a number", path, i + 1, line);
              return NULL;
            }
        }
      g_array_append_val (values, v);
    }
  return g_steal_pointer (&values);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) values = NULL;
  g_autoptr(TwClassification) result = NULL;
  g_autofree double *times = NULL;
  g_autoptr(GString) json = NULL;
  g_autofree char *method_name = NULL;
  TwClassifyMethod method = TW_CLASSIFY_NATURAL;
  int runs = 7;
  guint64 k;
  GOptionEntry entries[] = {
    { "method", 'm', 0, G_OPTION_ARG_STRING, &method_name,
      "quantile, equal, natural (default), stddev", "METHOD" },
    { "runs", 'r', 0, G_OPTION_ARG_INT, &runs, "Timed runs (default 7)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("VALUES.txt K — time class breaks on one value a line");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tw-bench-breaks: %s\n", error->message);
      return 2;
    }
  if (argc != 3 || !g_ascii_string_to_unsigned (argv[2], 10, 1, 100, &k, NULL) || runs < 1)
    {
      g_printerr ("usage: tw-bench-breaks VALUES.txt K [--method natural] [--runs N]\n");
      return 2;
    }
  if (method_name != NULL && !tw_classify_method_from_string (method_name, &method, &error))
    {
      g_printerr ("tw-bench-breaks: %s\n", error->message);
      return 2;
    }
  if (method == TW_CLASSIFY_MANUAL)
    {
      g_printerr ("tw-bench-breaks: manual breaks are not benchmarked\n");
      return 2;
    }

  values = read_values (argv[1], &error);
  if (values == NULL)
    {
      g_printerr ("tw-bench-breaks: %s\n", error->message);
      return 1;
    }

  /* One warm-up run, which also reports bad input. */
  result = tw_classify ((const double *) (void *) values->data, values->len, method,
                        (guint) k, NULL, 0, &error);
  if (result == NULL)
    {
      g_printerr ("tw-bench-breaks: %s\n", error->message);
      return 1;
    }

  times = g_new (double, runs);
  for (int r = 0; r < runs; r++)
    {
      double t0 = now_seconds ();
      TwClassification *c = tw_classify ((const double *) (void *) values->data, values->len,
                                         method, (guint) k, NULL, 0, NULL);

      times[r] = now_seconds () - t0;
      g_assert (c != NULL);
      tw_classification_free (c);
    }
  qsort (times, runs, sizeof (double), compare_doubles);

  json = g_string_new (NULL);
  g_string_append_printf (json, "{\"n\":%u,\"k\":%u,\"method\":\"%s\",\"seconds\":%.6f,"
                          "\"best_seconds\":%.6f,\"runs\":%d,\"within_ss\":%.17g,"
                          "\"breaks\":[",
                          result->n_values, result->n_classes,
                          tw_classify_method_to_string (method),
                          times[runs / 2], times[0], runs, result->within_ss);
  for (guint i = 0; i <= result->n_classes; i++)
    g_string_append_printf (json, "%s%.17g", i > 0 ? "," : "", result->breaks[i]);
  g_string_append (json, "],\"counts\":[");
  for (guint i = 0; i < result->n_classes; i++)
    g_string_append_printf (json, "%s%u", i > 0 ? "," : "", result->counts[i]);
  g_string_append (json, "]}");
  g_print ("%s\n", json->str);

  return 0;
}
