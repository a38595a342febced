/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-brief"

#include <gdal.h>

#include "export-fixture.h"
#include "tw-brief.h"
#include "tw-map-request.h"
#include "tw-rate-table.h"
#include "tw-suppression.h"

static gboolean
is_pdf (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return length > 16 && g_str_has_prefix (contents, "%PDF-")
         && g_strstr_len (contents + length - 16, 16, "%%EOF") != NULL;
}

/* A whole PDF, no partial file left, and a row in the audit log. (The pages' text is read
 * back by tests/cli/test_brief.py.) */
static void
test_write (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (f->dir, "brief.pdf", NULL);
  g_autofree char *part = g_strconcat (out, ".part", NULL);
  TwBriefOptions options = { .measure = "visits", .period = "2020", .title = "Visits" };

  g_assert_true (tw_brief_write (f->store, &options, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  g_assert_true (is_pdf (out));
  g_assert_cmpint (fixture_count_audit (f, "export-brief"), ==, 1);
}

/* The brief's text, as pdftotext reads it, on one line. */
static char *
brief_text (Fixture    *f,
            const char *period)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (f->dir, "brief.pdf", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) words = NULL;
  TwBriefOptions options = { .measure = "visits", .period = period };
  const char *argv[] = { "pdftotext", "-raw", out, "-", NULL };
  int status;

  g_assert_true (tw_brief_write (f->store, &options, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &text, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  g_unlink (out);
  words = g_regex_split_simple ("\\s+", text, 0, 0);
  return g_strjoinv (" ", words);
}

/* The region's rate pools the counts that are shown, and says over how many areas:
 *   2020: areas 5 (3 events) and 10 (7) are hidden; the other 14 hold 1340 − 10 = 1330
 *         events in 14 000: 95.0 per 1 000.
 *   2019: every count is 10 higher, none hidden: 1500 / 16 000 × 1000 = 93.75 → 93.8.
 * With a threshold above every count, nothing is left to pool: withheld. */
static void
test_region_published (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TwSuppressionPolicy policy;

  {
    g_autofree char *text = brief_text (f, "2020");

    g_assert_nonnull (strstr (text, "Region's rate 95.0 ("));
    g_assert_nonnull (strstr (text, "over 14 of 16 areas whose counts are shown"));
  }
  {
    g_autofree char *text = brief_text (f, "2019");

    if (strstr (text, "Region's rate 93.8 (") == NULL)
      g_printerr ("%s\n", text);
    g_assert_nonnull (strstr (text, "Region's rate 93.8 ("));
    g_assert_nonnull (strstr (text, "over all 16 areas, whose counts are shown"));
  }

  tw_suppression_policy_init (&policy);
  g_assert_true (tw_suppression_policy_set_min_count (&policy, 1000000, &error));
  g_assert_true (tw_suppression_policy_save (&policy, f->store, &error));
  {
    g_autofree char *text = brief_text (f, "2020");

    g_assert_nonnull (strstr (text, "Region's rate withheld under the suppression policy"));
    g_assert_null (strstr (text, "16 areas whose counts are shown"));
    g_assert_null (strstr (text, "16 areas, whose counts are shown"));
    g_assert_nonnull (strstr (text, "Withheld under the suppression policy: no target"));
  }
}

/* An unknown period is the user's error; nothing is written. */
static void
test_unknown_period (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (f->dir, "brief.pdf", NULL);
  TwBriefOptions options = { .measure = "visits", .period = "1999" };

  g_assert_false (tw_brief_write (f->store, &options, out, NULL, &error));
  g_assert_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_PERIOD);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_cmpint (fixture_count_audit (f, "export-brief"), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  GDALAllRegister ();

  g_test_add ("/data/brief/write", Fixture, NULL, fixture_set_up, test_write,
              fixture_tear_down);
  g_test_add ("/data/brief/region-published", Fixture, NULL, fixture_set_up,
              test_region_published, fixture_tear_down);
  g_test_add ("/data/brief/unknown-period", Fixture, NULL, fixture_set_up, test_unknown_period,
              fixture_tear_down);
  return g_test_run ();
}
