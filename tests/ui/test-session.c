/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TwMapSession without a window, as libshumate tests its viewport: set each property of
 * what the map shows and check that the session loads and computes what a user would then
 * see, says when it is busy, and notifies only what changed. */

#include <math.h>

#include "tw-document.h"
#include "tw-map-catalog.h"
#include "tw-map-session.h"
#include "tw-store.h"
#include "tw-suppression.h"
#include "window-test-helpers.h"

#define NC "North Carolina counties"
#define BOSTON "Boston tracts"

static char *tmpdir;
static char *demo_path;

typedef struct
{
  guint choropleth;
  guint layer;
  guint busy;
  guint classes;
  guint selected;
  guint hovered;
  guint reveal;
} Counts;

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              Counts     *counts)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "choropleth"))
    counts->choropleth++;
  else if (g_str_equal (name, "layer"))
    counts->layer++;
  else if (g_str_equal (name, "busy"))
    counts->busy++;
  else if (g_str_equal (name, "classes"))
    counts->classes++;
  else if (g_str_equal (name, "selected-area"))
    counts->selected++;
  else if (g_str_equal (name, "hovered-area"))
    counts->hovered++;
  else if (g_str_equal (name, "reveal"))
    counts->reveal++;
}

static gboolean
is_busy (gpointer session)
{
  return tw_map_session_get_busy (session);
}

static void
wait_idle (TwMapSession *session)
{
  spin_while (is_busy, session);
}

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tw_document_load_finish (TW_DOCUMENT (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
not_done (gpointer done)
{
  return !*(gboolean *) done;
}

/* The project at @path, its summary read. */
static TwDocument *
load_document (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TwDocument *document = tw_document_new (file);
  gboolean done = FALSE;

  tw_document_load_async (document, NULL, on_loaded, &done);
  spin_while (not_done, &done);
  return document;
}

/* A session showing the demo project's first geography, computed. */
static TwMapSession *
open_session (Counts *counts)
{
  TwMapSession *session = tw_map_session_new ();
  g_autoptr(TwDocument) document = load_document (demo_path);
  const char * const *geographies;

  if (counts != NULL)
    g_signal_connect (session, "notify", G_CALLBACK (count_notify), counts);
  tw_map_session_set_document (session, document);
  geographies = tw_map_session_get_geographies (session);
  g_assert_cmpstr (geographies[0], ==, NC);
  g_assert_cmpstr (geographies[1], ==, BOSTON);
  g_assert_true (tw_map_session_get_busy (session));
  wait_idle (session);
  g_assert_nonnull (tw_map_session_get_layer (session));
  g_assert_nonnull (tw_map_session_get_choropleth (session));
  return session;
}

/* The rate of the first area with one, and its index. */
static double
first_rate (TwChoropleth *choropleth,
            guint         n_areas,
            guint        *area)
{
  for (guint i = 0; i < n_areas; i++)
    {
      const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, i);

      if (figure != NULL && !isnan (figure->rate) && !figure->suppressed)
        {
          *area = i;
          return figure->rate;
        }
    }
  g_assert_not_reached ();
}

static void
test_open (void)
{
  Counts counts = { 0 };
  g_autoptr(TwMapSession) session = open_session (&counts);
  TwChoropleth *choropleth = tw_map_session_get_choropleth (session);
  GPtrArray *measures = tw_map_session_get_measures (session);

  /* The first geography, its one measure, the latest period, all groups. */
  g_assert_cmpstr (tw_map_session_get_geography (session), ==, NC);
  g_assert_cmpuint (tw_area_layer_get_n_areas (tw_map_session_get_layer (session)), ==, 100);
  g_assert_cmpuint (measures->len, ==, 1);
  g_assert_cmpstr (((TwMapMeasure *) g_ptr_array_index (measures, 0))->code, ==, "sids");
  g_assert_cmpstr (tw_map_session_get_measure (session), ==, "sids");
  g_assert_cmpstr (tw_map_session_get_period (session), ==, "1979-1984");
  g_assert_cmpstr (tw_map_session_get_group (session), ==, "all");
  g_assert_cmpstr (tw_choropleth_get_measure_code (choropleth), ==, "sids");
  g_assert_cmpstr (tw_choropleth_get_period (choropleth), ==, "1979-1984");
  g_assert_cmpuint (tw_map_session_get_classes (session), ==, TW_MAP_SESSION_DEFAULT_CLASSES);
  /* One row per area for the table. */
  g_assert_cmpuint (tw_map_session_get_rows (session)->len, ==, 100);
  /* Busy once on, once off; one layer, one choropleth. */
  g_assert_cmpuint (counts.busy, ==, 2);
  g_assert_cmpuint (counts.layer, ==, 1);
  g_assert_cmpuint (counts.choropleth, ==, 1);
}

static void
test_classes (void)
{
  Counts counts = { 0 };
  g_autoptr(TwMapSession) session = open_session (&counts);
  TwChoropleth *choropleth;

  /* Equal intervals make as many classes as asked (quantiles merge tied breaks). */
  tw_map_session_set_method (session, TW_CLASSIFY_EQUAL);
  wait_idle (session);
  g_assert_cmpuint (tw_choropleth_get_classification (tw_map_session_get_choropleth (session))
                    ->n_classes, ==, TW_MAP_SESSION_DEFAULT_CLASSES);
  memset (&counts, 0, sizeof counts);
  tw_map_session_set_classes (session, 3);
  g_assert_true (tw_map_session_get_busy (session));
  wait_idle (session);
  choropleth = tw_map_session_get_choropleth (session);
  g_assert_cmpuint (tw_choropleth_get_classification (choropleth)->n_classes, ==, 3);
  g_assert_cmpuint (counts.classes, ==, 1);
  g_assert_cmpuint (counts.choropleth, ==, 1);
  g_assert_cmpuint (counts.busy, ==, 2);

  /* The same again: nothing to notify, nothing to compute. */
  tw_map_session_set_classes (session, 3);
  g_assert_false (tw_map_session_get_busy (session));
  g_assert_cmpuint (counts.classes, ==, 1);
  g_assert_cmpuint (counts.choropleth, ==, 1);
  g_assert_true (tw_map_session_get_choropleth (session) == choropleth);

  /* Through the property too, as a binding sets it. */
  g_object_set (session, "classes", 7, NULL);
  wait_idle (session);
  g_assert_cmpuint (tw_choropleth_get_classification (tw_map_session_get_choropleth (session))
                    ->n_classes, ==, 7);
  g_assert_cmpuint (counts.classes, ==, 2);
}

static void
test_period (void)
{
  g_autoptr(TwMapSession) session = open_session (NULL);
  guint n = tw_area_layer_get_n_areas (tw_map_session_get_layer (session));
  TwChoropleth *later = tw_choropleth_ref (tw_map_session_get_choropleth (session));
  TwChoropleth *earlier;
  guint differ = 0, area;

  tw_map_session_set_period (session, "1974-1978");
  wait_idle (session);
  earlier = tw_map_session_get_choropleth (session);
  g_assert_cmpstr (tw_choropleth_get_period (earlier), ==, "1974-1978");
  /* Other births and deaths: other rates, in most counties. */
  for (guint i = 0; i < n; i++)
    {
      const TwAreaFigure *a = tw_choropleth_get_figure (earlier, i);
      const TwAreaFigure *b = tw_choropleth_get_figure (later, i);

      if (a->denominator != b->denominator)
        differ++;
    }
  g_assert_cmpuint (differ, >, n / 2);
  g_assert_cmpfloat (first_rate (earlier, n, &area), !=,
                     tw_choropleth_get_figure (later, area)->rate);
  tw_choropleth_unref (later);
}

static void
test_geography_and_group (void)
{
  Counts counts = { 0 };
  g_autoptr(TwMapSession) session = open_session (&counts);
  TwChoropleth *choropleth;
  double overall;
  guint area;

  tw_map_session_set_selected_area (session, 5);
  g_assert_cmpint (tw_map_session_get_selected_area (session), ==, 5);

  memset (&counts, 0, sizeof counts);
  tw_map_session_set_geography (session, BOSTON);
  wait_idle (session);
  /* Boston's areas, a measure Boston has, nothing selected any more. */
  g_assert_cmpuint (counts.layer, ==, 1);
  g_assert_cmpuint (tw_area_layer_get_n_areas (tw_map_session_get_layer (session)), >, 100);
  g_assert_cmpstr (tw_map_session_get_measure (session), ==, "asthma_ed");
  g_assert_cmpstr (tw_map_session_get_period (session), ==, "2021");
  g_assert_cmpint (tw_map_session_get_selected_area (session), ==, -1);
  g_assert_cmpuint (counts.selected, ==, 1);
  choropleth = tw_map_session_get_choropleth (session);
  g_assert_cmpstr (tw_choropleth_get_measure_code (choropleth), ==, "asthma_ed");
  overall = first_rate (choropleth,
                        tw_area_layer_get_n_areas (tw_map_session_get_layer (session)), &area);

  /* A group: its own rates. */
  tw_map_session_set_group (session, "white");
  wait_idle (session);
  choropleth = tw_map_session_get_choropleth (session);
  g_assert_cmpstr (tw_choropleth_get_stratum (choropleth), ==, "white");
  g_assert_cmpfloat (tw_choropleth_get_figure (choropleth, area)->rate, !=, overall);

  /* A measure: the period and group stay when it has them. */
  tw_map_session_set_measure (session, "diabetes_uncontrolled");
  wait_idle (session);
  choropleth = tw_map_session_get_choropleth (session);
  g_assert_cmpstr (tw_choropleth_get_measure_code (choropleth), ==, "diabetes_uncontrolled");
  g_assert_cmpstr (tw_map_session_get_group (session), ==, "white");
  g_assert_true (tw_choropleth_is_proportion (choropleth));
}

static guint
count_suppressed_with_rate (TwChoropleth *choropleth,
                            guint         n)
{
  guint shown = 0;

  for (guint i = 0; i < n; i++)
    {
      const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, i);

      if (figure->suppressed && figure->kind != TW_AREA_SUPPRESSED)
        shown++;
    }
  return shown;
}

static void
test_reveal (void)
{
  Counts counts = { 0 };
  g_autoptr(TwMapSession) session = open_session (&counts);
  guint n = tw_area_layer_get_n_areas (tw_map_session_get_layer (session));
  TwChoropleth *choropleth = tw_map_session_get_choropleth (session);

  g_assert_false (tw_choropleth_get_reveal (choropleth));
  g_assert_cmpuint (tw_choropleth_get_n_suppressed (choropleth), >, 0);
  /* Suppressed areas are drawn hatched, never in a class. */
  g_assert_cmpuint (count_suppressed_with_rate (choropleth, n), ==, 0);

  tw_map_session_set_reveal (session, TRUE);
  wait_idle (session);
  choropleth = tw_map_session_get_choropleth (session);
  g_assert_true (tw_choropleth_get_reveal (choropleth));
  g_assert_cmpuint (count_suppressed_with_rate (choropleth, n), >, 0);
  g_assert_cmpuint (counts.reveal, ==, 1);

  /* A read-only review copy has nothing to reveal: the analyst view goes off, and the
   * session refuses to turn it on. */
  {
    g_autoptr(GObject) review = g_object_new (G_TYPE_OBJECT, NULL);

    tw_document_set_review_session (tw_map_session_get_document (session), review);
  }
  g_assert_true (tw_map_session_get_read_only (session));
  g_assert_false (tw_map_session_get_reveal (session));
  wait_idle (session);
  g_assert_false (tw_choropleth_get_reveal (tw_map_session_get_choropleth (session)));
  g_object_set (session, "reveal", TRUE, NULL);
  g_assert_false (tw_map_session_get_reveal (session));
  g_assert_false (tw_map_session_get_busy (session));
  g_assert_cmpuint (counts.reveal, ==, 2);
  g_assert_false (tw_choropleth_get_reveal (tw_map_session_get_choropleth (session)));
}

static void
test_manual_breaks (void)
{
  g_autoptr(TwMapSession) session = open_session (NULL);
  TwChoropleth *before = tw_map_session_get_choropleth (session);
  const TwClassification *classes;

  /* Manual with nothing typed: flagged, and the map stays as it was. */
  tw_map_session_set_method (session, TW_CLASSIFY_MANUAL);
  g_assert_true (tw_map_session_get_breaks_invalid (session));
  g_assert_false (tw_map_session_get_busy (session));
  g_assert_true (tw_map_session_get_choropleth (session) == before);

  tw_map_session_set_breaks (session, "1, two");
  g_assert_true (tw_map_session_get_breaks_invalid (session));
  g_assert_false (tw_map_session_get_busy (session));

  tw_map_session_set_breaks (session, "1.5; 2.5 4");
  g_assert_false (tw_map_session_get_breaks_invalid (session));
  g_assert_true (tw_map_session_get_busy (session));
  wait_idle (session);
  classes = tw_choropleth_get_classification (tw_map_session_get_choropleth (session));
  g_assert_cmpuint (classes->n_classes, ==, 4);
  g_assert_cmpfloat (classes->breaks[1], ==, 1.5);
  g_assert_cmpfloat (classes->breaks[2], ==, 2.5);
  g_assert_cmpfloat (classes->breaks[3], ==, 4.0);
}

static void
test_palette (void)
{
  g_autoptr(TwMapSession) session = open_session (NULL);
  TwChoropleth *choropleth = tw_map_session_get_choropleth (session);

  g_assert_cmpstr (tw_palette_get_name (tw_choropleth_get_palette (choropleth)), ==,
                   TW_PALETTE_DEFAULT_NAME);
  tw_map_session_set_palette (session, "Blues");
  wait_idle (session);
  choropleth = tw_map_session_get_choropleth (session);
  g_assert_cmpstr (tw_palette_get_name (tw_choropleth_get_palette (choropleth)), ==, "Blues");
}

static void
test_selection (void)
{
  Counts counts = { 0 };
  g_autoptr(TwMapSession) session = open_session (&counts);

  memset (&counts, 0, sizeof counts);
  tw_map_session_set_hovered_area (session, 7);
  g_assert_cmpint (tw_map_session_get_hovered_area (session), ==, 7);
  tw_map_session_set_hovered_area (session, 7);
  g_assert_cmpuint (counts.hovered, ==, 1);

  /* Picking an area forgets the one hovered: the details describe what was picked. */
  tw_map_session_set_selected_area (session, 3);
  g_assert_cmpint (tw_map_session_get_selected_area (session), ==, 3);
  g_assert_cmpint (tw_map_session_get_hovered_area (session), ==, -1);
  g_assert_cmpuint (counts.selected, ==, 1);
  g_assert_cmpuint (counts.hovered, ==, 2);

  /* No such area: nothing selected. */
  tw_map_session_set_selected_area (session, 100);
  g_assert_cmpint (tw_map_session_get_selected_area (session), ==, -1);
  /* Nothing is computed for a selection. */
  g_assert_false (tw_map_session_get_busy (session));
  g_assert_cmpuint (counts.choropleth, ==, 0);
}

/* The layer is loaded beside the summary and shown once the document is the session's. */
static void
test_prefetch (void)
{
  Counts counts = { 0 };
  g_autoptr(TwMapSession) session = tw_map_session_new ();
  g_autoptr(GFile) file = g_file_new_for_path (demo_path);
  g_autoptr(TwDocument) document = tw_document_new (file);
  g_autoptr(TwDocument) again = NULL;
  gboolean done = FALSE;

  g_signal_connect (session, "notify", G_CALLBACK (count_notify), &counts);
  tw_map_session_prefetch (session, document, NULL);
  g_assert_true (tw_map_session_get_busy (session));
  tw_document_load_async (document, NULL, on_loaded, &done);
  spin_while (not_done, &done);
  /* Loaded (or loading) but held: nothing shown until the document is set. */
  g_usleep (200000);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (tw_map_session_get_layer (session));
  g_assert_cmpuint (counts.layer, ==, 0);

  tw_map_session_set_document (session, document);
  wait_idle (session);
  g_assert_cmpuint (counts.layer, ==, 1);
  g_assert_cmpstr (tw_map_session_get_geography (session), ==, NC);
  g_assert_nonnull (tw_map_session_get_choropleth (session));

  /* A prefetch given up leaves the session idle and as it was. */
  again = load_document (demo_path);
  tw_map_session_prefetch (session, again, NULL);
  tw_map_session_discard_prefetch (session);
  g_assert_false (tw_map_session_get_busy (session));
  g_assert_nonnull (tw_map_session_get_choropleth (session));
  g_assert_true (tw_map_session_get_document (session) == document);

  /* A prefetch that other work cancelled (the classes changed meanwhile): the document's
   * layer is loaded when it comes all the same. */
  tw_map_session_prefetch (session, again, NULL);
  tw_map_session_set_classes (session, 4);
  memset (&counts, 0, sizeof counts);
  tw_map_session_set_document (session, again);
  g_assert_true (tw_map_session_get_busy (session));
  wait_idle (session);
  g_assert_cmpuint (counts.layer, ==, 1);
  g_assert_true (tw_map_session_get_document (session) == again);
  g_assert_nonnull (tw_map_session_get_choropleth (session));
}

static void
on_policy_saved (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tw_document_save_policy_finish (TW_DOCUMENT (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* The document's changes reach the map without anyone pushing them. */
static void
test_document_changed (void)
{
  g_autofree char *copy = g_build_filename (tmpdir, "policy.tractwise", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  Counts counts = { 0 };
  g_autoptr(TwMapSession) session = tw_map_session_new ();
  g_autoptr(TwDocument) document = NULL;
  TwSuppressionPolicy policy;
  guint suppressed_before;
  gboolean done = FALSE;

  g_assert_true (g_file_get_contents (demo_path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (copy, contents, length, NULL));
  document = load_document (copy);
  g_signal_connect (session, "notify", G_CALLBACK (count_notify), &counts);
  tw_map_session_set_document (session, document);
  wait_idle (session);
  suppressed_before = tw_choropleth_get_n_suppressed (tw_map_session_get_choropleth (session));
  g_assert_cmpuint (suppressed_before, >, 0);

  /* A smaller k: fewer counties hidden, in a new choropleth. */
  memset (&counts, 0, sizeof counts);
  tw_suppression_policy_init (&policy);
  g_assert_true (tw_suppression_policy_set_min_count (&policy, 2, NULL));
  tw_document_save_policy_async (document, &policy, NULL, on_policy_saved, &done);
  spin_while (not_done, &done);
  g_assert_true (tw_map_session_get_busy (session));
  wait_idle (session);
  g_assert_cmpuint (counts.choropleth, ==, 1);
  g_assert_cmpuint (tw_choropleth_get_n_suppressed (tw_map_session_get_choropleth (session)),
                    <, suppressed_before);
  g_assert_cmpuint (tw_choropleth_get_policy (tw_map_session_get_choropleth (session))
                    ->min_count, ==, 2);

  /* New outcomes: the layer and its measures are read again. */
  tw_document_emit_changed (document, TW_DOCUMENT_CHANGED_OUTCOMES);
  g_assert_true (tw_map_session_get_busy (session));
  wait_idle (session);
  g_assert_cmpuint (counts.layer, ==, 1);
  g_assert_nonnull (tw_map_session_get_choropleth (session));

  /* Projects are not the map's business. */
  tw_document_emit_changed (document, TW_DOCUMENT_CHANGED_PROJECTS);
  g_assert_false (tw_map_session_get_busy (session));
}

static void
on_failed (TwMapSession *session,
           const char   *message,
           char        **out)
{
  *out = g_strdup (message);
}

static void
test_bad_project (void)
{
  g_autoptr(TwMapSession) session = tw_map_session_new ();
  g_autofree char *copy = g_build_filename (tmpdir, "broken.tractwise", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(TwDocument) document = NULL;
  g_autofree char *message = NULL;
  gsize length;

  /* A project whose file is damaged after its summary was read. */
  g_assert_true (g_file_get_contents (demo_path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (copy, contents, length, NULL));
  document = load_document (copy);
  g_assert_true (g_file_set_contents (copy, "not a project", -1, NULL));
  g_signal_connect (session, "layer-failed", G_CALLBACK (on_failed), &message);
  tw_map_session_set_document (session, document);
  wait_idle (session);
  g_assert_nonnull (message);
  g_assert_true (g_str_has_prefix (message, "Could not draw the map"));
  g_assert_null (tw_map_session_get_layer (session));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = make_tmpdir ("session");
  demo_path = make_demo (tmpdir);

  g_test_add_func ("/ui/session/open", test_open);
  g_test_add_func ("/ui/session/classes", test_classes);
  g_test_add_func ("/ui/session/period", test_period);
  g_test_add_func ("/ui/session/geography-and-group", test_geography_and_group);
  g_test_add_func ("/ui/session/reveal", test_reveal);
  g_test_add_func ("/ui/session/manual-breaks", test_manual_breaks);
  g_test_add_func ("/ui/session/palette", test_palette);
  g_test_add_func ("/ui/session/selection", test_selection);
  g_test_add_func ("/ui/session/prefetch", test_prefetch);
  g_test_add_func ("/ui/session/bad-project", test_bad_project);
  g_test_add_func ("/ui/session/document-changed", test_document_changed);

  status = g_test_run ();

  remove_tree (tmpdir);
  g_free (demo_path);
  g_free (tmpdir);
  return status;
}
