/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A window's document on a server workspace, without the window: connects (the replica is
 * made or refreshed), prints "ready PROJECTS COMMENTS", then for each `changed` signal
 * "changed DETAIL PROJECTS COMMENTS" as the document's replica holds them then, and exits 0
 * at the first DETAIL asked for; exits 1 after SECONDS (default 60) without it. Driven by
 * test_team_server.py. */
#define G_LOG_DOMAIN "test-pg-document"

#include <stdio.h>
#include <stdlib.h>

#include "tw-comments.h"
#include "tw-document.h"

typedef struct
{
  GMainLoop  *loop;
  const char *wanted;
  gboolean    seen;
  GError     *error;
} Run;

static void
print_state (TwDocument *document,
             const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = tw_document_open_store (document, TW_DOCUMENT_READ, &error);
  g_autoptr(TwProjectSummary) summary = store != NULL ? tw_store_summarize (store, &error)
                                                      : NULL;
  g_autoptr(GPtrArray) comments = store != NULL ? tw_comments_list (store, &error) : NULL;

  if (summary == NULL || comments == NULL)
    {
      printf ("%s failed: %s\n", what, error->message);
      fflush (stdout);
      return;
    }
  printf ("%s %" G_GINT64_FORMAT " %u\n", what, summary->projects, comments->len);
  fflush (stdout);
}

static void
changed_cb (TwDocument *document,
            Run        *run,
            const char *detail)
{
  g_autofree char *what = g_strdup_printf ("changed %s", detail);

  print_state (document, what);
  if (g_str_equal (detail, run->wanted))
    {
      run->seen = TRUE;
      g_main_loop_quit (run->loop);
    }
}

static void
on_signal (TwDocument *document,
           gpointer    user_data)
{
  Run *run = user_data;
  GSignalInvocationHint *hint = g_signal_get_invocation_hint (document);

  changed_cb (document, run, g_quark_to_string (hint->detail));
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Run *run = user_data;

  if (!tw_document_connect_finish (TW_DOCUMENT (object), result, &run->error))
    {
      g_main_loop_quit (run->loop);
      return;
    }
  print_state (TW_DOCUMENT (object), "ready");
}

static gboolean
on_timeout (gpointer user_data)
{
  Run *run = user_data;

  g_main_loop_quit (run->loop);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(TwDocument) document = NULL;
  Run run = { loop, NULL, FALSE, NULL };

  if (argc < 3)
    {
      fprintf (stderr, "usage: test-pg-document URI DETAIL [SECONDS]\n");
      return 2;
    }
  run.wanted = argv[2];
  document = tw_document_new_for_server (argv[1]);
  g_signal_connect (document, "changed", G_CALLBACK (on_signal), &run);
  tw_document_connect_async (document, NULL, on_connected, &run);
  g_timeout_add_seconds (argc > 3 ? atoi (argv[3]) : 60, on_timeout, &run);
  g_main_loop_run (loop);
  if (run.error != NULL)
    {
      fprintf (stderr, "test-pg-document: %s\n", run.error->message);
      g_error_free (run.error);
      return 2;
    }
  return run.seen ? 0 : 1;
}
