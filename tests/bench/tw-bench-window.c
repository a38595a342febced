/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-bench-window"

/*
 * tw-bench-window PROJECT [--frames N] [--width W] [--height H]
 *
 * Opens PROJECT in the real map window (run it under a display: xvfb-run), and prints one
 * line of JSON: how long from tw_window_open () until every tile in view is drawn
 * ("open_ms") and until the frames that show it ("open_frames_ms"), with the longest gap
 * between frames meanwhile and the main thread's CPU time in it ("open_max_frame_gap_ms",
 * "open_max_frame_cpu_ms"); then, while the view
 * is panned and zoomed one step a frame for N frames (as a hand on a touchpad would), the
 * longest gap between two frames of the frame clock ("max_frame_gap_ms"), its 95th
 * percentile, and the most CPU time the main thread spent between two frames
 * ("max_frame_cpu_ms", which a busy machine does not inflate); and the peak resident memory
 * of the process ("peak_rss_mb"). Not a test: build-aux/run-benchmarks runs it.
 */

#include <math.h>
#include <stdio.h>
#include <sys/resource.h>

#include "tw-application.h"
#include "tw-area-layer.h"
#include "tw-choropleth-source.h"
#include "tw-window.h"
#include "tw-window-private.h"

static gboolean timed_out;

static gboolean
on_timeout (gpointer user_data)
{
  timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

static void
wait_frames (GtkWidget *widget,
             guint      n)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, count_frame, &frames, NULL);

  while (frames < n && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_remove_tick_callback (widget, id);
}

static gboolean
map_drawn (TwWindow *window)
{
  return !tw_window_get_loading (window) && tw_window_get_map_drawn (window);
}

static int
compare_gaps (gconstpointer a,
              gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  int frames = 240, width = 1280, height = 800;
  GOptionEntry entries[] = {
    { "frames", 0, 0, G_OPTION_ARG_INT, &frames, "Frames of panning and zooming", "N" },
    { "width", 0, 0, G_OPTION_ARG_INT, &width, "Window width", "W" },
    { "height", 0, 0, G_OPTION_ARG_INT, &height, "Window height", "H" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("PROJECT");
  g_autoptr(GError) error = NULL;
  g_autoptr(TwApplication) app = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GArray) gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  ShumateViewport *viewport;
  TwWindow *window;
  struct rusage usage;
  double lat, lon, zoom, open_ms, open_frames_ms, open_gap, open_cpu, p95 = 0;
  gint64 start, last;
  const char *renderer;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || frames < 2)
    {
      fprintf (stderr, "tw-bench-window: %s\nusage: tw-bench-window PROJECT [--frames N]\n",
               error != NULL ? error->message : "give one project file");
      return 2;
    }

  /* The window as the tests see it: no network, no saved settings. */
  g_setenv ("TW_BASEMAP", "offline", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  g_setenv ("GTK_A11Y", "none", FALSE);
  gtk_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  app = g_object_new (TW_TYPE_APPLICATION,
                      "application-id", APPLICATION_ID ".Bench",
                      "flags", G_APPLICATION_NON_UNIQUE,
                      "resource-base-path", "/io/github/tractwise/Tractwise",
                      NULL);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      fprintf (stderr, "tw-bench-window: %s\n", error->message);
      return 1;
    }

  window = tw_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  g_timeout_add_seconds (300, on_timeout, NULL);
  wait_frames (GTK_WIDGET (window), 3);

  file = g_file_new_for_commandline_arg (argv[1]);
  /* Frames go on while the project opens: the spinner, the background, the tiles. */
  tw_window_watch_frames (window, TRUE);
  start = g_get_monotonic_time ();
  tw_window_open (window, file);
  while (!map_drawn (window) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  open_ms = tw_window_get_open_ms (window) > 0 ? tw_window_get_open_ms (window)
                                               : (g_get_monotonic_time () - start) / 1000.0;
  wait_frames (GTK_WIDGET (window), 3);
  open_frames_ms = (g_get_monotonic_time () - start) / 1000.0;
  open_gap = tw_window_get_max_frame_gap (window);
  open_cpu = tw_window_get_max_frame_cpu (window);
  tw_window_watch_frames (window, FALSE);
  if (timed_out || tw_window_get_area_layer (window) == NULL)
    {
      fprintf (stderr, "tw-bench-window: %s: the map was not drawn within 300 s\n", argv[1]);
      return 1;
    }

  viewport = shumate_simple_map_get_viewport (tw_window_get_map (window));
  lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  zoom = shumate_viewport_get_zoom_level (viewport);

  /* Pan and zoom one step a frame: in 2.5 zoom levels and out again, across and back. */
  tw_window_watch_frames (window, TRUE);
  last = g_get_monotonic_time ();
  for (int i = 0; i < frames && !timed_out; i++)
    {
      double t = (double) i / frames;
      gint64 now;

      shumate_viewport_set_zoom_level (viewport, zoom + 2.5 * sin (t * G_PI));
      shumate_location_set_location (SHUMATE_LOCATION (viewport),
                                     lat + 0.8 * sin (t * 2 * G_PI),
                                     lon + 1.5 * sin (t * 3 * G_PI));
      wait_frames (GTK_WIDGET (window), 1);
      now = g_get_monotonic_time ();
      g_array_append_val (gaps, (gint64) { now - last });
      last = now;
    }
  g_array_sort (gaps, compare_gaps);
  if (gaps->len > 0)
    p95 = g_array_index (gaps, gint64, MIN (gaps->len - 1, gaps->len * 95 / 100)) / 1000.0;

  getrusage (RUSAGE_SELF, &usage);
  renderer = g_getenv ("GSK_RENDERER");
  printf ("{\"areas\": %u, \"open_ms\": %.0f, \"open_frames_ms\": %.0f, "
          "\"open_max_frame_gap_ms\": %.1f, \"open_max_frame_cpu_ms\": %.1f, "
          "\"frames\": %d, \"max_frame_gap_ms\": %.1f, \"p95_frame_gap_ms\": %.1f, "
          "\"max_frame_cpu_ms\": %.1f, \"peak_rss_mb\": %.0f, \"renderer\": \"%s\", "
          "\"tile_threads\": %u}\n",
          tw_area_layer_get_n_areas (tw_window_get_area_layer (window)), open_ms,
          open_frames_ms, open_gap, open_cpu, frames, tw_window_get_max_frame_gap (window), p95,
          tw_window_get_max_frame_cpu (window), usage.ru_maxrss / 1024.0,
          renderer != NULL ? renderer : "default", tw_tile_threads ());
  fflush (stdout);
  tw_window_watch_frames (window, FALSE);
  gtk_window_destroy (GTK_WINDOW (window));

  return timed_out ? 1 : 0;
}
