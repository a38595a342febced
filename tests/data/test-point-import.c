/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-point-import"

#include <sqlite3.h>
#include <string.h>

#include "tw-import-check.h"
#include "tw-import-preview.h"
#include "tw-point-import.h"
#include "tw-store-private.h"
#include "tw-test-project.h"

/*
 * Events counted into a project of three 0.1° squares: "01" at (0, 0), "02" beside it at
 * (0.1, 0) sharing the edge lon = 0.1, and "03" apart at (1, 1).
 */

static Project *
squares_project (void)
{
  Project *p = project_new ();
  gint64 geography = add_geography (p, "squares");

  add_area (p, geography, "01", 0, 0);
  add_area (p, geography, "02", 0.1, 0);
  add_area (p, geography, "03", 1, 1);
  return p;
}

static char *
write_file (Project    *p,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (p->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* The count and denominator stored for a key, or -1 when there is no row. */
static double
stored (Project    *p,
        const char *geoid,
        const char *period,
        const char *stratum,
        double     *denominator)
{
  sqlite3_stmt *stmt = tw_store_prepare (p->store,
                                         "SELECT o.numerator, o.denominator FROM outcome o "
                                         "JOIN area a ON a.id = o.area_id "
                                         "JOIN measure m ON m.id = o.measure_id "
                                         "WHERE m.code = 'visits' AND a.geoid = ?1 "
                                         "AND o.period = ?2 AND o.stratum = ?3", NULL);
  double value = -1;

  sqlite3_bind_text (stmt, 1, geoid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, period, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, stratum, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      value = sqlite3_column_double (stmt, 0);
      if (denominator != NULL)
        *denominator = sqlite3_column_double (stmt, 1);
    }
  sqlite3_reset (stmt);
  return value;
}

static gint64
count_rows (Project    *p,
            const char *sql)
{
  sqlite3_stmt *stmt = tw_store_prepare (p->store, sql, NULL);
  gint64 n;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static const char events_csv[] =
  "id,lat,lon,group,date\n"
  "P1,0.05,0.05,a,2021-02-03\n"     /* 01 */
  "P2,0.06,0.02,a,2021-05-06\n"     /* 01 */
  "P3,0.05,0.15,b,2021-07-08\n"     /* 02 */
  "P4,0.05,0.1,a,2022-01-01\n"      /* the shared edge: 01, the lower GEOID */
  "P5,1.05,1.05,b,2022-03-03\n"     /* 03 */
  "P6,5,5,a,2021-01-01\n"           /* outside */
  "P7,,,b,2022-02-02\n"             /* not geocoded: outside */
  "P8,0.01,0.19,b,2021-12-31\n";    /* 02 */

static const char denominators_csv[] =
  "geoid,denominator\n"
  "01,1000\n"
  "02,2000\n"
  "03,500\n";

static void
test_counts (void)
{
  g_autoptr(Project) p = squares_project ();
  g_autofree char *events = write_file (p, "events.csv", events_csv);
  g_autofree char *denominators = write_file (p, "denominators.csv", denominators_csv);
  TwPointImportOptions options = {
    .measure = "visits", .group_field = "group", .period_field = "date",
    .denominators = denominators,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwPointImportResult) result = tw_point_import (p->store, events, &options, NULL,
                                                           &error);
  double denominator = 0;

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (result->points, ==, 8);
  g_assert_cmpint (result->assigned, ==, 6);
  g_assert_cmpint (result->outside, ==, 2);
  g_assert_cmpuint (result->n_outside_rows, ==, 2);
  g_assert_cmpint (result->outside_rows[0], ==, 6);
  g_assert_cmpint (result->outside_rows[1], ==, 7);
  /* Every area × group × period of the denominators: 3 × 2 × 2, zeros included. */
  g_assert_cmpint (result->rows, ==, 12);

  g_assert_cmpfloat (stored (p, "01", "2021", "a", &denominator), ==, 2);
  g_assert_cmpfloat (denominator, ==, 1000);
  g_assert_cmpfloat (stored (p, "01", "2022", "a", NULL), ==, 1);
  g_assert_cmpfloat (stored (p, "02", "2022", "a", NULL), ==, 0);
  g_assert_cmpfloat (stored (p, "02", "2021", "b", &denominator), ==, 2);
  g_assert_cmpfloat (denominator, ==, 2000);
  g_assert_cmpfloat (stored (p, "03", "2022", "b", NULL), ==, 1);
  g_assert_cmpfloat (stored (p, "03", "2021", "a", NULL), ==, 0);

  /* The audit log names the file and its counts, and holds nothing read from it. */
  {
    sqlite3_stmt *stmt = tw_store_prepare (p->store, "SELECT group_concat (detail, ' ') "
                                           "FROM audit_log", NULL);
    const char *detail;

    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    detail = (const char *) sqlite3_column_text (stmt, 0);
    g_assert_nonnull (strstr (detail, "events.csv"));
    g_assert_nonnull (strstr (detail, "SHA-256"));
    g_assert_nonnull (strstr (detail, "8 points"));
    g_assert_null (strstr (detail, "P1"));
    g_assert_null (strstr (detail, "0.05"));
    g_assert_null (strstr (detail, "2021-02-03"));
    sqlite3_reset (stmt);
  }
}

static TwPointImportResult *
import_into (Project     *p,
             const char  *name,
             gboolean     through_gdal,
             const char  *text,
             GError     **error)
{
  g_autofree char *path = write_file (p, name, text);
  /* Through GDAL's own file layer, which Tractwise's reader does not take. */
  g_autofree char *events = through_gdal
    ? g_strdup_printf ("/vsisubfile/0_%zu,%s", strlen (text), path) : g_strdup (path);
  g_autofree char *denominators = write_file (p, "denominators.csv", denominators_csv);
  TwPointImportOptions options = {
    .measure = "visits", .group_field = "group", .period_field = "date",
    .denominators = denominators,
  };

  return tw_point_import (p->store, events, &options, NULL, error);
}

/* A plain CSV file is read by Tractwise's own parser, any other by GDAL: the same events
 * read by each give the same counts, outside rows and errors —
 * with a byte-order mark, CRLF line ends, quoted fields holding commas, doubled quotes and
 * line breaks, blank lines, short rows, and over 4 MB so that records straddle the
 * reader's blocks. */
static void
test_own_csv_reader_as_gdal (void)
{
  g_autoptr(GString) text = g_string_new ("\xEF\xBB\xBFid,lat,lon,group,date,note\r\n");
  g_autoptr(GRand) rand = g_rand_new_with_seed (1818);
  const char *groups[] = { "a", "\"b\"", "\"c,d\"", "\"e\"\"f\"", "" };
  const char *keys[][3] = { { "01", "2021", "a" }, { "02", "2022", "c,d" },
                            { "03", "2021", "e\"f" }, { "01", "2022", "unknown" },
                            { "02", "2021", "b" } };
  g_autoptr(Project) ours = squares_project ();
  g_autoptr(Project) gdal = squares_project ();
  g_autoptr(TwPointImportResult) a = NULL;
  g_autoptr(TwPointImportResult) b = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 110000; i++)
    {
      double x = g_rand_double_range (rand, -0.05, 0.25), y = g_rand_double_range (rand, -0.05,
                                                                                    0.15);

      if (i % 97 == 0)
        x += 1, y += 1;  /* area 03, or beside it */
      g_string_append_printf (text, "P%u,%s%.6f%s,%.6f,%s,%u-0%u-01,", i, i % 5 == 0 ? "\"" : "",
                              y, i % 5 == 0 ? "\"" : "", x, groups[i % 5], 2021 + i % 2,
                              1 + i % 9);
      if (i % 1000 == 0)
        g_string_append (text, "\"a note,\nover two lines\"");
      else if (i % 1001 == 0)
        g_string_append (text, ",,");  /* more fields than the header */
      g_string_append (text, i % 3 == 0 ? "\r\n" : "\n");
      if (i % 5000 == 0)
        g_string_append (text, "\n");
      if (i % 7000 == 0)
        g_string_append (text, "Q,,,a,2021\n");  /* no location, a short row */
    }
  g_assert_cmpuint (text->len, >, 4 << 20);
  a = import_into (ours, "events.csv", FALSE, text->str, &error);
  g_assert_no_error (error);
  b = import_into (gdal, "events.csv", TRUE, text->str, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->points, ==, b->points);
  g_assert_cmpint (a->points, >, 110000);
  g_assert_cmpint (a->assigned, ==, b->assigned);
  g_assert_cmpint (a->outside, ==, b->outside);
  g_assert_cmpint (a->rows, ==, b->rows);
  g_assert_cmpuint (a->n_outside_rows, ==, b->n_outside_rows);
  for (guint i = 0; i < a->n_outside_rows; i++)
    g_assert_cmpint (a->outside_rows[i], ==, b->outside_rows[i]);
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      double count = stored (ours, keys[k][0], keys[k][1], keys[k][2], NULL);

      g_assert_cmpfloat (count, >, 0);
      g_assert_cmpfloat (count, ==, stored (gdal, keys[k][0], keys[k][1], keys[k][2], NULL));
    }

  /* A location that is not a number: the same row named. */
  {
    g_autoptr(Project) p = squares_project ();
    g_autoptr(Project) q = squares_project ();
    g_autoptr(GError) ours_error = NULL;
    g_autoptr(GError) gdal_error = NULL;
    const char *bad = "id,lat,lon,group,date\nP1,0.05,0.05,a,2021\n\nP2,\"0,05\",0.05,a,2021\n";
    g_autoptr(TwPointImportResult) c = import_into (p, "bad.csv", FALSE, bad, &ours_error);
    g_autoptr(TwPointImportResult) d = import_into (q, "bad.csv", TRUE, bad, &gdal_error);

    g_assert_null (c);
    g_assert_null (d);
    g_assert_error (ours_error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_ROW);
    g_assert_nonnull (strstr (ours_error->message, "row 2:"));
    g_assert_cmpstr (strstr (ours_error->message, "row"), ==,
                     strstr (gdal_error->message, "row"));
  }
}

/* The Census geocoder's batch result comes without a header line: the preview the import
 * assistant shows recognises it as events placed by its own columns, and the assistant's
 * Check (the dry run, given no column) counts them as the import does. */
static void
test_census_batch_previewed (void)
{
  g_autoptr(Project) p = squares_project ();
  g_autofree char *batch = write_file (p, "GeocodeResults.csv",
    "\"1\",\"1 Main St, Town, ST, 00000\",\"Match\",\"Exact\",\"1 MAIN ST, TOWN, ST, "
    "00000\",\"0.05,0.05\",\"123\",\"L\"\n"
    "\"2\",\"2 Elm St, Town, ST, 00000\",\"No_Match\"\n"
    "\"3\",\"3 Oak St, Town, ST, 00000\",\"Match\",\"Non_Exact\",\"3 OAK ST, TOWN, ST, "
    "00000\",\"0.15,0.05\",\"124\",\"R\"\n");
  g_autofree char *denominators = write_file (p, "denominators.csv", denominators_csv);
  TwPointImportOptions options = { .measure = "visits", .period = "2021",
                                   .denominators = denominators };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwImportPreview) preview = tw_import_preview_read (batch, 20, &error);
  g_autoptr(TwPointImportResult) checked = NULL;
  g_autoptr(TwPointImportResult) imported = NULL;

  g_assert_no_error (error);
  g_assert_true (tw_point_import_is_census_batch (batch));
  g_assert_cmpint (preview->kind, ==, TW_IMPORT_KIND_POINTS);
  g_assert_true (((TwImportLayer *) g_ptr_array_index (preview->layers, 0))->has_points);

  checked = tw_point_import_dry_run (p->store, batch, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (checked->points, ==, 3);
  g_assert_cmpint (checked->assigned, ==, 2);
  g_assert_cmpint (checked->outside, ==, 1);
  g_assert_cmpint (checked->outside_rows[0], ==, 2);
  g_assert_cmpfloat (stored (p, "01", "2021", "all", NULL), ==, -1);  /* nothing kept */

  imported = tw_point_import (p->store, batch, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (imported->assigned, ==, checked->assigned);
  g_assert_cmpint (imported->outside, ==, checked->outside);
  g_assert_cmpfloat (stored (p, "01", "2021", "all", NULL), ==, 1);
  g_assert_cmpfloat (stored (p, "02", "2021", "all", NULL), ==, 1);

  /* A table with a header is not taken for one. */
  g_assert_false (tw_point_import_is_census_batch (denominators));
}

/* A count without a denominator refuses the whole file: nothing is written. */
static void
test_missing_denominator (void)
{
  g_autoptr(Project) p = squares_project ();
  g_autofree char *events = write_file (p, "events.csv", events_csv);
  g_autofree char *denominators = write_file (p, "denominators.csv",
                                              "geoid,denominator\n01,1000\n02,2000\n");
  TwPointImportOptions options = {
    .measure = "visits", .group_field = "group", .period_field = "date",
    .denominators = denominators,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwPointImportResult) result = tw_point_import (p->store, events, &options, NULL,
                                                           &error);

  g_assert_null (result);
  g_assert_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_DENOMINATOR);
  g_assert_nonnull (strstr (error->message, "03"));
  g_assert_cmpint (count_rows (p, "SELECT count(*) FROM outcome_value"), ==, 0);
  g_assert_cmpint (count_rows (p, "SELECT count(*) FROM measure"), ==, 0);
}

/* DeGAUSS output: the tract is given; imprecise geocodes are left out and reported per
 * area. */
static void
test_geoid_and_precision (void)
{
  g_autoptr(Project) p = squares_project ();
  g_autofree char *events = write_file (p, "degauss.csv",
                                        "id,precision,census_tract_id_2020\n"
                                        "1,range,01\n"
                                        "2,street,01\n"
                                        "3,zip,01\n"
                                        "4,range,03\n"
                                        "5,range,99\n"
                                        "6,city,\n");
  g_autofree char *denominators = write_file (p, "denominators.csv", denominators_csv);
  TwPointImportOptions options = {
    .measure = "visits", .geoid_field = "census_tract_id_2020", .period = "2020",
    .denominators = denominators, .min_precision = "street",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwPointImportResult) result = tw_point_import (p->store, events, &options, NULL,
                                                           &error);
  const TwPointQuality *q;

  g_assert_no_error (error);
  g_assert_cmpint (result->points, ==, 6);
  g_assert_cmpint (result->assigned, ==, 3);
  g_assert_cmpint (result->imprecise, ==, 1);
  g_assert_cmpint (result->outside, ==, 2);
  g_assert_cmpfloat (stored (p, "01", "2020", "all", NULL), ==, 2);
  g_assert_cmpfloat (stored (p, "03", "2020", "all", NULL), ==, 1);
  g_assert_cmpfloat (stored (p, "02", "2020", "all", NULL), ==, 0);
  g_assert_cmpuint (result->quality->len, ==, 1);
  q = &g_array_index (result->quality, TwPointQuality, 0);
  g_assert_cmpstr (q->geoid, ==, "01");
  g_assert_cmpint (q->records, ==, 3);
  g_assert_cmpint (q->imprecise, ==, 1);
}

/* A Census geocoder batch result: the GEOID in state, county and tract parts; a No_Match
 * row has none and is outside. */
static void
test_geoid_in_parts (void)
{
  g_autoptr(Project) p = project_new ();
  gint64 geography = add_geography (p, "tracts");
  g_autofree char *events = NULL, *denominators = NULL;
  TwPointImportOptions options = {
    .measure = "visits", .geoid_field = "state,county,tract", .period = "2020",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwPointImportResult) result = NULL;

  add_area (p, geography, "37063001503", 0, 0);
  add_area (p, geography, "37063001504", 1, 1);
  events = write_file (p, "census.csv",
                       "id,address,match,exactness,state,county,tract\n"
                       "1,x,Match,Exact,37,063,001503\n"
                       "2,x,Match,Non_Exact,37,063,001503\n"
                       "3,x,No_Match,,,,\n"
                       "4,x,Match,Exact,37,063,001504\n");
  denominators = write_file (p, "d.csv", "geoid,denominator\n37063001503,10\n"
                                         "37063001504,10\n");
  options.denominators = denominators;
  result = tw_point_import (p->store, events, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->assigned, ==, 3);
  g_assert_cmpint (result->outside, ==, 1);
  g_assert_cmpint (result->outside_rows[0], ==, 3);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/data/point-import/counts", test_counts);
  g_test_add_func ("/data/point-import/missing-denominator", test_missing_denominator);
  g_test_add_func ("/data/point-import/geoid-and-precision", test_geoid_and_precision);
  g_test_add_func ("/data/point-import/geoid-in-parts", test_geoid_in_parts);
  g_test_add_func ("/data/point-import/own-csv-reader-as-gdal", test_own_csv_reader_as_gdal);
  g_test_add_func ("/data/point-import/census-batch-previewed", test_census_batch_previewed);
  return g_test_run ();
}
