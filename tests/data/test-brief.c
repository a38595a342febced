/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-brief"

#include <gdal.h>

#include "export-fixture.h"
#include "tw-brief.h"
#include "tw-rate-table.h"

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

/* An unknown period is the user's error; nothing is written. */
static void
test_unknown_period (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (f->dir, "brief.pdf", NULL);
  TwBriefOptions options = { .measure = "visits", .period = "1999" };

  g_assert_false (tw_brief_write (f->store, &options, out, NULL, &error));
  g_assert_error (error, TW_RATE_TABLE_ERROR, TW_RATE_TABLE_ERROR_PERIOD);
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
  g_test_add ("/data/brief/unknown-period", Fixture, NULL, fixture_set_up, test_unknown_period,
              fixture_tear_down);
  return g_test_run ();
}
