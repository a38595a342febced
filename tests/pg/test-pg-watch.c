/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A second client watching a workspace: prints "listening" once it LISTENs, then the first
 * change a colleague commits as {"table": …, "who": …}, and exits 0; exits 1 after
 * SECONDS (default 30) without one. Driven by test_team_server.py. */
#define G_LOG_DOMAIN "test-pg-watch"

#include <stdio.h>
#include <stdlib.h>

#include "tw-pg.h"

typedef struct
{
  GMainLoop *loop;
  gboolean   seen;
} Watch;

static void
on_change (const char *table,
           const char *who,
           gpointer    user_data)
{
  Watch *watch = user_data;

  if (watch->seen)
    return;
  watch->seen = TRUE;
  printf ("{\"table\": \"%s\", \"who\": \"%s\"}\n", table, who);
  fflush (stdout);
  g_main_loop_quit (watch->loop);
}

static gboolean
on_timeout (gpointer user_data)
{
  Watch *watch = user_data;

  g_main_loop_quit (watch->loop);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwPgWorkspace) workspace = NULL;
  g_autoptr(GSource) source = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Watch watch = { loop, FALSE };

  if (argc < 2)
    {
      fprintf (stderr, "usage: test-pg-watch URI [SECONDS]\n");
      return 2;
    }
  workspace = tw_pg_workspace_open (argv[1], FALSE, &error);
  if (workspace != NULL)
    source = tw_pg_watch_source_new (workspace, on_change, &watch, NULL, &error);
  if (source == NULL)
    {
      fprintf (stderr, "test-pg-watch: %s\n", error->message);
      return 2;
    }
  g_source_attach (source, NULL);
  g_timeout_add_seconds (argc > 2 ? atoi (argv[2]) : 30, on_timeout, &watch);
  printf ("listening\n");
  fflush (stdout);
  g_main_loop_run (loop);
  g_source_destroy (source);
  return watch.seen ? 0 : 1;
}
