/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-export-log"

#include "export-fixture.h"
#include "tw-store-private.h"
#include "tw-export.h"
#include "tw-export-log.h"

static TwMapExport *
fixture_export (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwChoropleth) map = fixture_map (f, FALSE);
  TwMapExport *export = tw_map_export_new (f->store, map, NULL, NULL, &error);

  g_assert_no_error (error);
  return export;
}

/* The list names every export with where it went, the newest first, and nothing else
 * from the audit log (imports, policy changes). */
static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwMapExport) export = fixture_export (f);
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *png = g_build_filename (f->dir, "map.png", NULL);
  g_autofree char *pdf = g_build_filename (f->dir, "map.pdf", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  TwExportRecord *record;
  TwExportPage page;

  g_assert_true (tw_store_audit (f->store, "policy", "k = 11", &error));
  /* A row from before the path was logged: listed, with no file to open. */
  g_assert_true (tw_store_audit (f->store, "export-brief",
                                 "{\"file\":\"brief.pdf\",\"format\":\"pdf\"}", &error));
  g_assert_true (tw_export_page_for_pixels (&page, TW_EXPORT_FORMAT_PNG, 400, 300, &error));
  g_assert_true (tw_map_export_write (export, f->store, &page, png, NULL, &error));
  g_assert_true (tw_export_page_for_paper (&page, TW_EXPORT_FORMAT_PDF, "a4", FALSE, 0,
                                           &error));
  g_assert_true (tw_map_export_write (export, f->store, &page, pdf, NULL, &error));
  g_assert_true (tw_export_log_add_print (f->store, export, "Office printer", NULL, &error));
  g_assert_no_error (error);

  records = tw_export_log_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 4);

  record = records->pdata[0];
  g_assert_cmpint (record->kind, ==, TW_EXPORT_KIND_PRINT);
  g_assert_cmpstr (record->printer, ==, "Office printer");
  g_assert_null (record->file);
  g_assert_null (record->path);
  g_assert_cmpstr (record->measure, ==, "visits");
  g_assert_cmpstr (record->period, ==, "2020");

  record = records->pdata[1];
  g_assert_cmpint (record->kind, ==, TW_EXPORT_KIND_MAP);
  g_assert_cmpstr (record->file, ==, "map.pdf");
  g_assert_cmpstr (record->format, ==, "pdf");
  g_assert_cmpstr (record->path, ==, pdf);
  g_assert_true (g_file_test (record->path, G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (record->at);
  g_assert_cmpint (ABS (g_date_time_difference (now, record->at)), <, 120 * G_TIME_SPAN_SECOND);

  record = records->pdata[2];
  g_assert_cmpint (record->kind, ==, TW_EXPORT_KIND_MAP);
  g_assert_cmpstr (record->file, ==, "map.png");
  g_assert_cmpstr (record->format, ==, "png");
  g_assert_cmpstr (record->path, ==, png);

  record = records->pdata[3];
  g_assert_cmpint (record->kind, ==, TW_EXPORT_KIND_BRIEF);
  g_assert_cmpstr (record->file, ==, "brief.pdf");
  g_assert_null (record->path);
  g_assert_cmpstr (tw_export_kind_to_label (record->kind), ==, "Board brief");
}

/* A print to a file names the file; its audit row holds the policy and no figure. */
static void
test_print_row (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwMapExport) export = fixture_export (f);
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *out = g_build_filename (f->dir, "printed.PDF", NULL);
  sqlite3_stmt *stmt;
  const char *detail;
  TwExportRecord *record;

  g_assert_true (tw_export_log_add_print (f->store, export, "Print to File", out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fixture_count_audit (f, "print"), ==, 1);

  records = tw_export_log_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  record = records->pdata[0];
  g_assert_cmpint (record->kind, ==, TW_EXPORT_KIND_PRINT);
  g_assert_cmpstr (record->file, ==, "printed.PDF");
  g_assert_cmpstr (record->format, ==, "pdf");
  g_assert_cmpstr (record->path, ==, out);

  stmt = tw_store_prepare (f->store, "SELECT detail FROM audit_log WHERE action = 'print'",
                           &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  detail = (const char *) sqlite3_column_text (stmt, 0);
  g_test_message ("%s", detail);
  g_assert_nonnull (strstr (detail, "\"policy\":\"cms, k = 11\""));
  g_assert_nonnull (strstr (detail, "\"stratum\":\"all\""));
  sqlite3_reset (stmt);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/data/export-log/list", Fixture, NULL, fixture_set_up, test_list,
              fixture_tear_down);
  g_test_add ("/data/export-log/print-row", Fixture, NULL, fixture_set_up, test_print_row,
              fixture_tear_down);

  return g_test_run ();
}
