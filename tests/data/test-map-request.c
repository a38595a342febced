/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-test"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "tw-map-request.h"
#include "tw-test-project.h"

/* Two geographies, imported east then west, six squares each:
 *   visits (per 1,000): east only, 2020 and 2021, groups all, f and m;
 *   both: east and west, 2020;
 *   split: east in 2020, west in 2021. */
typedef struct
{
  Project *project;
  gint64   east, west;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  Project *p = project_new ();
  gint64 visits = add_measure (p, "visits", "rate", 1000);
  gint64 both = add_measure (p, "both", "rate", 1000);
  gint64 split = add_measure (p, "split", "rate", 1000);

  f->east = add_geography (p, "east");
  f->west = add_geography (p, "west");
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *e = g_strdup_printf ("E%u", i + 1);
      g_autofree char *w = g_strdup_printf ("W%u", i + 1);
      gint64 east = add_area (p, f->east, e, -80 + 0.2 * i, 35);
      gint64 west = add_area (p, f->west, w, -100 + 0.2 * i, 35);

      /* Rates 20, 40, … 120 per 1,000; the first has 4 events: suppressed. */
      add_outcome (p, visits, east, "2020", "all", i == 0 ? 4 : 20 * (i + 1), i == 0 ? 200 : 1000);
      add_outcome (p, visits, east, "2020", "f", 10 * (i + 1), 500);
      add_outcome (p, visits, east, "2020", "m", 10 * (i + 1), 500);
      add_outcome (p, visits, east, "2021", "all", 25 * (i + 1), 1000);
      add_outcome (p, both, east, "2020", "all", 30, 1000);
      add_outcome (p, both, west, "2020", "all", 30, 1000);
      add_outcome (p, split, east, "2020", "all", 30, 1000);
      add_outcome (p, split, west, "2021", "all", 30, 1000);
    }
  f->project = p;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  project_free (f->project);
}

static TwMapRequest *
request_new (const char *measure,
             const char *period)
{
  TwMapRequest *request = tw_map_request_new ();

  tw_map_request_set_measure (request, measure);
  tw_map_request_set_period (request, period);
  return request;
}

/* The breaks grammar */

static void
assert_parses (const char   *text,
               const double *expected,
               guint         n_expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *breaks = NULL;
  guint n = 0;

  breaks = tw_map_request_parse_breaks (text, &n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, n_expected);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat (breaks[i], ==, expected[i]);
}

/* Refused with a message holding @word. */
static void
assert_refused (const char *text,
                const char *word)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *breaks = NULL;
  guint n = 99;

  breaks = tw_map_request_parse_breaks (text, &n, &error);
  g_assert_null (breaks);
  g_assert_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_BREAKS);
  if (strstr (error->message, word) == NULL)
    g_error ("breaks '%s': the message does not say '%s': %s", text, word, error->message);
  g_assert_cmpuint (n, ==, 99);
}

static void
test_breaks_grammar (void)
{
  static const double three[] = { 1.5, 2.5, 4 };
  static const double signed_[] = { -2, 0.5, 1e3 };
  static const double eight[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  g_autoptr(TwMapRequest) request = tw_map_request_new ();
  g_autoptr(GError) error = NULL;
  const double *kept;
  guint n;

  /* Commas, semicolons or spaces between; spaces around. */
  assert_parses ("1.5,2.5,4", three, 3);
  assert_parses ("1.5, 2.5, 4", three, 3);
  assert_parses ("1.5 2.5 4", three, 3);
  assert_parses ("  1.5 ,2.5;   4 ", three, 3);
  assert_parses ("-2, .5, 1e3", signed_, 3);
  assert_parses ("1 2 3 4 5 6 7 8", eight, 8);

  assert_refused ("", "no breaks");
  assert_refused ("   ", "no breaks");
  assert_refused ("1, x", "'x'");
  assert_refused ("one, two", "'one'");
  assert_refused ("1,,2", "empty");
  assert_refused (",1,2", "empty");
  assert_refused ("1,2,", "ends with");
  assert_refused ("1, 2 ,; 3", "empty");
  assert_refused ("0x10, 0x20", "'0x10'");
  assert_refused ("1, inf, 3", "'inf'");
  assert_refused ("nan, 1, 2", "'nan'");
  assert_refused ("1, 1e999, 2", "'1e999'");
  assert_refused ("1,000, 2,000", "increasing");
  assert_refused ("3, 2, 4", "increasing");
  assert_refused ("1, 1, 2", "increasing");
  assert_refused ("1", "3 to 9 classes");
  assert_refused ("1 2 3 4 5 6 7 8 9", "3 to 9 classes");

  /* A bad text leaves the breaks as they were. */
  g_assert_true (tw_map_request_set_breaks_text (request, "1; 2; 3", &error));
  g_assert_no_error (error);
  g_assert_false (tw_map_request_set_breaks_text (request, "1; two", &error));
  g_assert_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_BREAKS);
  kept = tw_map_request_get_breaks (request, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat (kept[2], ==, 3);
}

/* Validation */

static void
assert_invalid (TwMapRequest      *request,
                int                code,
                const char        *word,
                const char        *option)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (tw_map_request_validate (request, &error));
  g_assert_error (error, TW_MAP_REQUEST_ERROR, code);
  if (strstr (error->message, word) == NULL)
    g_error ("the message does not say '%s': %s", word, error->message);
  g_assert_cmpstr (tw_map_request_error_option (error), ==, option);
}

static void
test_validation (void)
{
  static const double breaks[] = { 10, 20 };
  g_autoptr(TwMapRequest) request = tw_map_request_new ();
  g_autoptr(GError) error = NULL;

  assert_invalid (request, TW_MAP_REQUEST_ERROR_MEASURE, "measure", "--measure");
  tw_map_request_set_measure (request, "visits");
  assert_invalid (request, TW_MAP_REQUEST_ERROR_PERIOD, "period", "--period");
  tw_map_request_set_period (request, "2020");
  g_assert_true (tw_map_request_validate (request, &error));
  g_assert_no_error (error);

  tw_map_request_set_n_classes (request, 2);
  assert_invalid (request, TW_MAP_REQUEST_ERROR_CLASSES, "3 to 9", "--classes");
  tw_map_request_set_n_classes (request, 10);
  assert_invalid (request, TW_MAP_REQUEST_ERROR_CLASSES, "3 to 9", "--classes");
  tw_map_request_set_n_classes (request, 9);
  g_assert_true (tw_map_request_validate (request, NULL));

  g_assert_false (tw_map_request_set_method_name (request, "jenks", &error));
  g_assert_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_METHOD);
  g_assert_nonnull (strstr (error->message, "'jenks'"));
  g_assert_cmpstr (tw_map_request_error_option (error), ==, "--method");
  g_clear_error (&error);
  g_assert_cmpint (tw_map_request_get_method (request), ==, TW_CLASSIFY_QUANTILE);

  /* Breaks belong to the manual method, and it needs them; its classes are theirs. */
  tw_map_request_set_breaks (request, breaks, 2);
  tw_map_request_set_method (request, TW_CLASSIFY_NATURAL);
  assert_invalid (request, TW_MAP_REQUEST_ERROR_BREAKS, "manual", "--breaks");
  g_assert_true (tw_map_request_set_method_name (request, "manual", NULL));
  tw_map_request_set_n_classes (request, 42);
  g_assert_true (tw_map_request_validate (request, NULL));
  tw_map_request_set_breaks (request, NULL, 0);
  assert_invalid (request, TW_MAP_REQUEST_ERROR_BREAKS, "needs breaks", "--breaks");
  tw_map_request_set_breaks (request, (const double[]) { 20, 10 }, 2);
  assert_invalid (request, TW_MAP_REQUEST_ERROR_BREAKS, "increasing", "--breaks");
  tw_map_request_set_breaks (request, (const double[]) { 10, NAN }, 2);
  assert_invalid (request, TW_MAP_REQUEST_ERROR_BREAKS, "finite", "--breaks");
  tw_map_request_set_breaks (request, breaks, 2);

  tw_map_request_set_palette (request, "Rainbow");
  assert_invalid (request, TW_MAP_REQUEST_ERROR_PALETTE, "'Rainbow'", "--palette");
  tw_map_request_set_palette (request, "Blues");
  g_assert_true (tw_map_request_validate (request, NULL));

  /* Every group is "all", however it is set. */
  tw_map_request_set_stratum (request, "all");
  g_assert_cmpstr (tw_map_request_get_stratum (request), ==, "all");
  tw_map_request_set_stratum (request, NULL);
  g_assert_cmpstr (tw_map_request_get_stratum (request), ==, "all");

  /* Another module's error names no option. */
  g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "disk on fire");
  g_assert_null (tw_map_request_error_option (error));
}

static void
test_copy_and_equal (void)
{
  g_autoptr(TwMapRequest) a = request_new ("visits", "2020");
  g_autoptr(TwMapRequest) b = NULL;

  tw_map_request_set_breaks_text (a, "1 2 3", NULL);
  tw_map_request_set_method (a, TW_CLASSIFY_MANUAL);
  tw_map_request_set_palette (a, "Blues");
  b = tw_map_request_copy (a);
  g_assert_true (tw_map_request_equal (a, b));
  /* The manual method's classes are its breaks'. */
  tw_map_request_set_n_classes (b, 7);
  g_assert_true (tw_map_request_equal (a, b));
  tw_map_request_set_breaks_text (b, "1 2 4", NULL);
  g_assert_false (tw_map_request_equal (a, b));
  tw_map_request_set_breaks_text (b, "1 2 3", NULL);
  tw_map_request_set_reveal (b, TRUE);
  g_assert_false (tw_map_request_equal (a, b));
  tw_map_request_set_reveal (b, FALSE);
  tw_map_request_set_stratum (b, "f");
  g_assert_false (tw_map_request_equal (a, b));
  /* The copy owns its own breaks. */
  tw_map_request_free (g_steal_pointer (&a));
  g_assert_cmpfloat (tw_map_request_get_breaks (b, NULL)[2], ==, 3);
}

/* The default geography */

static void
assert_geography (Fixture    *f,
                  const char *geography,
                  const char *measure,
                  const char *period,
                  gint64      expected)
{
  g_autoptr(TwMapRequest) request = request_new (measure, period);
  g_autoptr(GError) error = NULL;

  tw_map_request_set_geography (request, geography);
  g_assert_cmpint (tw_map_request_resolve_geography (request, f->project->store, &error), ==,
                   expected);
  g_assert_no_error (error);
}

static void
assert_no_geography (Fixture           *f,
                     const char        *geography,
                     const char        *measure,
                     const char        *period,
                     int                code,
                     const char *const *words)
{
  g_autoptr(TwMapRequest) request = request_new (measure, period);
  g_autoptr(GError) error = NULL;

  tw_map_request_set_geography (request, geography);
  g_assert_cmpint (tw_map_request_resolve_geography (request, f->project->store, &error), ==,
                   -1);
  g_assert_error (error, TW_MAP_REQUEST_ERROR, code);
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (error->message, words[i]) == NULL)
      g_error ("the message does not say '%s': %s", words[i], error->message);
}

static void
test_default_geography (Fixture       *f,
                        gconstpointer  data)
{
  /* Named: that one, whatever the measure. */
  assert_geography (f, "west", "visits", "2020", f->west);
  assert_no_geography (f, "nowhere", "visits", "2020", TW_MAP_REQUEST_ERROR_GEOGRAPHY,
                       (const char *[]) { "'nowhere'", "east, west", NULL });

  /* None named and no measure yet (a window opening the workspace): the first imported. */
  assert_geography (f, NULL, NULL, NULL, f->east);

  /* Else the only one holding the measure (in the period, when given). */
  assert_geography (f, NULL, "visits", "2020", f->east);
  assert_geography (f, NULL, "visits", NULL, f->east);
  assert_geography (f, NULL, "split", "2020", f->east);
  assert_geography (f, NULL, "split", "2021", f->west);
  assert_no_geography (f, NULL, "split", NULL, TW_MAP_REQUEST_ERROR_GEOGRAPHY,
                       (const char *[]) { "more than one", "east, west", NULL });
  assert_no_geography (f, NULL, "both", "2020", TW_MAP_REQUEST_ERROR_GEOGRAPHY,
                       (const char *[]) { "more than one", "east, west", NULL });
  assert_no_geography (f, NULL, "both", "2021", TW_MAP_REQUEST_ERROR_PERIOD,
                       (const char *[]) { "'2021'", "2020", NULL });
  assert_no_geography (f, NULL, "nosuch", "2020", TW_MAP_REQUEST_ERROR_MEASURE,
                       (const char *[]) { "'nosuch'", "both", "split", "visits", NULL });
}

static void
test_default_geography_alone (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(TwMapRequest) request = request_new ("visits", "2020");
  g_autoptr(GError) error = NULL;
  gint64 only;

  g_assert_cmpint (tw_map_request_resolve_geography (request, p->store, &error), ==, -1);
  g_assert_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_GEOGRAPHY);
  g_assert_nonnull (strstr (error->message, "no areas"));
  g_clear_error (&error);

  /* The project's only geography, even before it holds the measure. */
  only = add_geography (p, "only");
  add_area (p, only, "A1", -80, 35);
  add_measure (p, "visits", "rate", 1000);
  g_assert_cmpint (tw_map_request_resolve_geography (request, p->store, &error), ==, only);
  g_assert_no_error (error);
}

/* The compute */

/* What `tractwise-cli classify` prints for the fixture's project. */
static JsonObject *
classify (Fixture    *f,
          const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  const char *cli = g_getenv ("TW_CLI");
  int status;

  if (cli == NULL)
    {
      g_test_skip ("TW_CLI is not set: run through meson test");
      return NULL;
    }
  g_ptr_array_add (argv, (gpointer) cli);
  g_ptr_array_add (argv, "classify");
  g_ptr_array_add (argv, f->project->path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("classify failed: %s", err);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
assert_same_map (TwChoropleth *map,
                 JsonObject   *printed)
{
  const TwClassification *classes = tw_choropleth_get_classification (map);
  JsonArray *breaks = json_object_get_array_member (printed, "breaks");
  JsonArray *counts = json_object_get_array_member (printed, "counts");

  g_assert_nonnull (classes);
  g_assert_cmpstr (json_object_get_string_member (printed, "method"), ==,
                   tw_classify_method_to_string (classes->method));
  g_assert_cmpuint (json_array_get_length (breaks), ==, classes->n_classes + 1);
  for (guint i = 0; i <= classes->n_classes; i++)
    g_assert_cmpfloat (json_array_get_double_element (breaks, i), ==, classes->breaks[i]);
  for (guint i = 0; i < classes->n_classes; i++)
    g_assert_cmpint (json_array_get_int_element (counts, i), ==, classes->counts[i]);
  g_assert_cmpint (json_object_get_int_member (printed, "suppressed"), ==,
                   tw_choropleth_get_n_suppressed (map));
  g_assert_cmpint (json_object_get_int_member (printed, "no_data"), ==,
                   tw_choropleth_get_n_no_data (map));
}

static void
test_compute_equals_classify (Fixture       *f,
                              gconstpointer  data)
{
  static const char *const natural[] = { "--measure", "visits", "--period", "2020",
                                         "--method", "natural", "--classes", "3", NULL };
  static const char *const manual[] = { "--measure", "visits", "--period", "2020",
                                        "--breaks", "50; 70 90", NULL };
  g_autoptr(TwMapRequest) request = request_new ("visits", "2020");
  g_autoptr(TwChoropleth) map = NULL;
  g_autoptr(TwChoropleth) again = NULL;
  g_autoptr(TwAreaLayer) layer = NULL;
  g_autoptr(JsonObject) printed = NULL;
  g_autoptr(GError) error = NULL;
  const TwClassification *classes;

  tw_map_request_set_method (request, TW_CLASSIFY_NATURAL);
  tw_map_request_set_n_classes (request, 3);
  map = tw_map_request_compute (request, f->project->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tw_area_layer_get_geography_id (tw_choropleth_get_layer (map)), ==,
                   f->east);
  /* E1 (4 events) is hidden; the other five are classed. */
  g_assert_cmpuint (tw_choropleth_get_n_suppressed (map), ==, 1);
  classes = tw_choropleth_get_classification (map);
  g_assert_cmpuint (classes->n_values, ==, 5);
  printed = classify (f, natural);
  if (printed == NULL)
    return;
  assert_same_map (map, printed);

  /* The same with a layer already loaded. */
  layer = tw_map_request_load_layer (request, f->project->store, TW_AREA_LAYER_LOAD_DEFAULT,
                                     NULL, &error);
  g_assert_no_error (error);
  again = tw_map_request_compute_on_layer (request, f->project->store, layer, NULL, &error);
  g_assert_no_error (error);
  assert_same_map (again, printed);
  g_clear_pointer (&again, tw_choropleth_unref);
  g_clear_pointer (&printed, json_object_unref);

  /* Typed breaks read the same here and on the command line. */
  tw_map_request_set_method (request, TW_CLASSIFY_MANUAL);
  g_assert_true (tw_map_request_set_breaks_text (request, "50; 70 90", &error));
  again = tw_map_request_compute (request, f->project->store, NULL, &error);
  g_assert_no_error (error);
  classes = tw_choropleth_get_classification (again);
  g_assert_cmpuint (classes->n_classes, ==, 4);
  g_assert_cmpfloat (classes->breaks[1], ==, 50);
  printed = classify (f, manual);
  assert_same_map (again, printed);
}

static void
assert_compute_refused (Fixture           *f,
                        TwMapRequest      *request,
                        int                code,
                        const char        *word)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwChoropleth) map = tw_map_request_compute (request, f->project->store, NULL,
                                                        &error);

  g_assert_null (map);
  g_assert_error (error, TW_MAP_REQUEST_ERROR, code);
  if (strstr (error->message, word) == NULL)
    g_error ("the message does not say '%s': %s", word, error->message);
}

static void
test_compute_refuses (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(TwMapRequest) request = request_new ("visits", "2020");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(TwChoropleth) map = NULL;
  g_autoptr(GError) error = NULL;

  tw_map_request_set_stratum (request, "zz");
  assert_compute_refused (f, request, TW_MAP_REQUEST_ERROR_STRATUM, "'zz'");
  tw_map_request_set_stratum (request, "f");
  tw_map_request_set_period (request, "1999");
  assert_compute_refused (f, request, TW_MAP_REQUEST_ERROR_PERIOD, "2020, 2021");
  tw_map_request_set_period (request, "2020");
  tw_map_request_set_measure (request, "nosuch");
  assert_compute_refused (f, request, TW_MAP_REQUEST_ERROR_MEASURE, "'nosuch'");
  tw_map_request_set_measure (request, "visits");
  tw_map_request_set_geography (request, "west");
  map = tw_map_request_compute (request, f->project->store, NULL, &error);
  g_assert_no_error (error);
  /* West holds no visits: every area without data, nothing classed. */
  g_assert_cmpuint (tw_choropleth_get_n_no_data (map), ==, 6);
  g_assert_null (tw_choropleth_get_classification (map));

  tw_map_request_set_geography (request, NULL);
  g_cancellable_cancel (cancellable);
  g_assert_null (tw_map_request_compute (request, f->project->store, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/map-request/breaks-grammar", test_breaks_grammar);
  g_test_add_func ("/data/map-request/validation", test_validation);
  g_test_add_func ("/data/map-request/copy-and-equal", test_copy_and_equal);
  g_test_add ("/data/map-request/default-geography", Fixture, NULL, fixture_set_up,
              test_default_geography, fixture_tear_down);
  g_test_add_func ("/data/map-request/default-geography-alone", test_default_geography_alone);
  g_test_add ("/data/map-request/compute-equals-classify", Fixture, NULL, fixture_set_up,
              test_compute_equals_classify, fixture_tear_down);
  g_test_add ("/data/map-request/compute-refuses", Fixture, NULL, fixture_set_up,
              test_compute_refuses, fixture_tear_down);

  return g_test_run ();
}
