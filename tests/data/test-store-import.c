/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store-import"

#include <math.h>

#include <glib/gstdio.h>

#include "tw-outcome-import.h"
#include "tw-store-catalog.h"
#include "tw-store-import.h"
#include "tw-store-private.h"
#include "tw-test-project.h"

/* A geography "g" with areas 37001, 37003 … (@n of them), squares in a row from (-80, 35). */
static gint64
add_row_of_areas (Project *p,
                  guint    n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) wkbs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree TwAreaFeature *areas = g_new0 (TwAreaFeature, n);
  gint64 geography;

  geography = tw_store_add_geography (p->store, "g", "county", 2020, "test", "EPSG:4326",
                                      &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      GBytes *wkb = square_wkb (-80.0 + i, 35, 1);
      gsize size;

      g_ptr_array_add (wkbs, wkb);
      areas[i].geoid = g_strdup_printf ("37%03u", 2 * i + 1);
      areas[i].name = i % 2 == 0 ? g_strdup_printf ("County %u", i) : NULL;
      areas[i].wkb = (guint8 *) g_bytes_get_data (wkb, &size);
      areas[i].wkb_len = size;
      areas[i].min_lon = -80.0 + i;
      areas[i].max_lon = -79.0 + i;
      areas[i].min_lat = 35;
      areas[i].max_lat = 36;
    }
  g_assert_true (tw_store_add_areas (p->store, geography, areas, n, &error));
  g_assert_no_error (error);
  g_assert_true (tw_store_index_areas (p->store, geography, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_free (areas[i].geoid);
      g_free (areas[i].name);
    }
  return geography;
}

static void
collect_area (const TwStoredArea *area,
              gpointer            user_data)
{
  GString *seen = user_data;

  g_string_append_printf (seen, "%s:%s:%g,%g,%g,%g:%" G_GSIZE_FORMAT ";", area->geoid,
                          area->name ? area->name : "-", area->min_lon, area->min_lat,
                          area->max_lon, area->max_lat, area->wkb_len);
}

/* What the area import stores is what the map, the spatial index and `areas` read back. */
static void
test_areas_read_back (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GHashTable) ids = NULL;
  gint64 geography;

  g_assert_false (tw_store_has_geography (p->store, "g"));
  geography = add_row_of_areas (p, 3);
  g_assert_true (tw_store_has_geography (p->store, "g"));
  g_assert_false (tw_store_has_geography (p->store, "G"));

  g_assert_true (tw_store_foreach_area (p->store, geography, collect_area, seen, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (seen->str, ==,
                   "37001:County 0:-80,35,-79,36:93;"
                   "37003:-:-79,35,-78,36:93;"
                   "37005:County 2:-78,35,-77,36:93;");

  ids = tw_store_map_geoids (p->store, geography, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (ids), ==, 3);
  g_assert_cmpint (GPOINTER_TO_SIZE (g_hash_table_lookup (ids, "37003")), ==,
                   count (p->store, "SELECT id FROM area WHERE geoid = '37003'"));
  /* The spatial index finds the middle square alone at its centre. */
  g_assert_cmpint (count (p->store, "SELECT count(*) FROM area_rtree WHERE min_lon <= -78.5 AND "
                             "max_lon >= -78.5 AND min_lat <= 35.5 AND max_lat >= 35.5"), ==, 1);
  g_assert_cmpint (count (p->store, "SELECT vintage FROM geography WHERE name = 'g'"), ==, 2020);
}

/* A second area with the same GEOID is refused by the store (the import rolls back). */
static void
test_areas_same_geoid_refused (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) wkb = square_wkb (0, 0, 1);
  gsize size;
  TwAreaFeature area = { .geoid = (char *) "01001",
                         .wkb = (guint8 *) g_bytes_get_data (wkb, &size) };
  gint64 geography;

  area.wkb_len = size;
  geography = tw_store_add_geography (p->store, "g", "tract", 0, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (tw_store_add_areas (p->store, geography, &area, 1, &error));
  g_assert_false (tw_store_add_areas (p->store, geography, &area, 1, &error));
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_SQL);
  g_assert_cmpint (count (p->store, "SELECT count(*) FROM area"), ==, 1);
  g_assert_cmpint (count (p->store, "SELECT count(*) FROM geography WHERE vintage IS NULL"), ==, 1);
}

static TwOutcomeRow
outcome_row (gint64 measure,
             gint64 period,
             gint64 area,
             double numerator)
{
  TwOutcomeRow row = { measure, period, 0, area, 0, numerator, 1000 };

  return row;
}

/* A batch stops at the first row whose key is stored already, in the file or before it. */
static void
test_outcomes_stop_at_duplicate (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(GError) error = NULL;
  gint64 geography = add_row_of_areas (p, 2);
  g_autoptr(GHashTable) ids = tw_store_map_geoids (p->store, geography, NULL);
  gint64 first = GPOINTER_TO_SIZE (g_hash_table_lookup (ids, "37001"));
  gint64 second = GPOINTER_TO_SIZE (g_hash_table_lookup (ids, "37003"));
  gint64 measure, y2019, y2020, all;
  TwOutcomeRow rows[4];

  measure = tw_store_add_measure (p->store, "asthma", "Asthma", "rate", 1000, "t.csv", &error);
  g_assert_no_error (error);
  y2019 = tw_store_find_or_add_label (p->store, TW_OUTCOME_LABEL_PERIOD, "2019", &error);
  y2020 = tw_store_find_or_add_label (p->store, TW_OUTCOME_LABEL_PERIOD, "2020", &error);
  all = tw_store_find_or_add_label (p->store, TW_OUTCOME_LABEL_STRATUM, "all", &error);
  g_assert_no_error (error);
  g_assert_cmpint (y2019, !=, y2020);
  g_assert_cmpint (tw_store_find_or_add_label (p->store, TW_OUTCOME_LABEL_PERIOD, "2019",
                                               &error), ==, y2019);
  /* Rows without an age group have the one the schema holds from the start. */
  g_assert_cmpint (tw_store_find_or_add_label (p->store, TW_OUTCOME_LABEL_AGE_GROUP, "",
                                               &error), ==, 0);

  g_assert_cmpint (first, >, 0);
  g_assert_cmpint (second, >, 0);
  rows[0] = outcome_row (measure, y2019, first, 3);
  rows[1] = outcome_row (measure, y2020, first, 4);
  rows[2] = outcome_row (measure, y2019, first, 5);   /* rows[0]'s key */
  rows[3] = outcome_row (measure, y2019, second, 6);
  for (guint i = 0; i < 4; i++)
    rows[i].stratum_id = all;

  g_assert_cmpint (tw_store_add_outcomes (p->store, rows, 4, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpint (count (p->store, "SELECT count(*) FROM outcome_value"), ==, 2);
  g_assert_cmpint (count (p->store, "SELECT numerator FROM outcome_value JOIN period ON "
                             "period.id = period_id WHERE label = '2019'"), ==, 3);

  g_assert_cmpint (tw_store_add_outcomes (p->store, &rows[3], 1, &error), ==, 1);
  g_assert_cmpint (tw_store_add_outcomes (p->store, &rows[1], 3, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (count (p->store, "SELECT count(*) FROM outcome_value"), ==, 3);
}

/* SQLite's reference checks are off only for the import's own transaction: committed or
 * abandoned, the next edit of the project is checked again (a measure deleted takes its
 * outcomes with it). */
static void
test_outcome_import_transaction (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TwMeasureInfo) found = NULL;
  TwOutcomeRow row;
  gint64 measure;

  add_row_of_areas (p, 1);
  g_assert_true (tw_store_begin_outcome_import (p->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (p->store, "PRAGMA foreign_keys"), ==, 0);
  measure = tw_store_add_measure (p->store, "lowbw", "Low birth weight", "proportion", 100,
                                  "t.csv", &error);
  row = outcome_row (measure, tw_store_find_or_add_label (p->store, TW_OUTCOME_LABEL_PERIOD,
                                                          "2019", &error), 1, 7);
  row.stratum_id = tw_store_find_or_add_label (p->store, TW_OUTCOME_LABEL_STRATUM, "all",
                                               &error);
  g_assert_cmpint (tw_store_add_outcomes (p->store, &row, 1, &error), ==, 1);
  g_assert_no_error (error);
  tw_store_abandon_outcome_import (p->store);
  g_assert_cmpint (count (p->store, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (count (p->store, "SELECT count(*) FROM outcome_value"), ==, 0);
  g_assert_true (tw_store_find_measure (p->store, "lowbw", &found, &error));
  g_assert_null (found);

  g_assert_true (tw_store_begin_outcome_import (p->store, &error));
  measure = tw_store_add_measure (p->store, "lowbw", "Low birth weight", "proportion", 100,
                                  "t.csv", &error);
  row.measure_id = measure;
  row.period_id = tw_store_find_or_add_label (p->store, TW_OUTCOME_LABEL_PERIOD, "2019",
                                              &error);
  row.stratum_id = tw_store_find_or_add_label (p->store, TW_OUTCOME_LABEL_STRATUM, "all",
                                               &error);
  g_assert_cmpint (tw_store_add_outcomes (p->store, &row, 1, &error), ==, 1);
  g_assert_true (tw_store_commit_outcome_import (p->store, "outcomes from t.csv", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (p->store, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (count (p->store, "SELECT count(*) FROM audit_log WHERE action = "
                             "'import-outcomes' AND detail = 'outcomes from t.csv'"), ==, 1);

  g_assert_true (tw_store_find_measure (p->store, "lowbw", &found, &error));
  g_assert_cmpint (found->id, ==, measure);
  g_assert_cmpstr (found->kind, ==, "proportion");
  g_assert_cmpfloat (found->multiplier, ==, 100);
  g_assert_cmpstr (found->source, ==, "t.csv");

  exec (p, "DELETE FROM measure WHERE code = 'lowbw'");
  g_assert_cmpint (count (p->store, "SELECT count(*) FROM outcome_value"), ==, 0);
}

static gboolean
strv_has (GStrv       strv,
          const char *text)
{
  return g_strv_contains ((const char *const *) strv, text);
}

static void
test_codes_listed (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) measures = NULL;
  g_auto(GStrv) periods = NULL;
  g_auto(GStrv) strata = NULL;

  tw_store_add_measure (p->store, "sids", "SIDS", "rate", 1000, NULL, &error);
  tw_store_find_or_add_label (p->store, TW_OUTCOME_LABEL_PERIOD, "1974-1978", &error);
  tw_store_find_or_add_label (p->store, TW_OUTCOME_LABEL_STRATUM, "Black", &error);
  g_assert_no_error (error);

  measures = tw_store_list_measures (p->store, &error);
  periods = tw_store_list_labels (p->store, TW_OUTCOME_LABEL_PERIOD, &error);
  strata = tw_store_list_labels (p->store, TW_OUTCOME_LABEL_STRATUM, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (measures->len, ==, 1);
  g_assert_cmpstr (((TwMeasureInfo *) g_ptr_array_index (measures, 0))->code, ==, "sids");
  g_assert_cmpuint (g_strv_length (periods), ==, 1);
  g_assert_true (strv_has (periods, "1974-1978"));
  g_assert_true (strv_has (strata, "Black"));
  g_assert_false (strv_has (strata, "1974-1978"));
}

static void
add_attribute_row (GArray *rows,
                   gint64  area_id,
                   double  first,
                   double  second)
{
  TwAttributeValues row = { area_id, g_new (double, 2) };

  row.values[0] = first;
  row.values[1] = second;
  g_array_append_val (rows, row);
}

static void
free_attribute_rows (GArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    g_free (g_array_index (rows, TwAttributeValues, i).values);
  g_array_unref (rows);
}

/* Importing an attribute again replaces its values in that geography and no other; a
 * missing value reads back as NAN. */
static void
test_attributes_replaced (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(GError) error = NULL;
  const char *names[] = { "svi", "adi", NULL };
  g_auto(GStrv) listed = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) values = NULL;
  gint64 geography = add_row_of_areas (p, 3);
  gint64 other = add_geography (p, "other");
  gint64 elsewhere = add_area (p, other, "99001", 10, 10);
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (TwAttributeValues));

  add_attribute_row (rows, 1, 0.5, 10);
  add_attribute_row (rows, 2, NAN, 20);
  add_attribute_row (rows, 3, 0.9, 30);
  g_assert_true (tw_store_replace_attributes (p->store, geography, names, rows, "svi.csv",
                                              &error));
  g_assert_no_error (error);
  free_attribute_rows (rows);

  rows = g_array_new (FALSE, FALSE, sizeof (TwAttributeValues));
  add_attribute_row (rows, elsewhere, 0.1, 1);
  g_assert_true (tw_store_replace_attributes (p->store, other, names, rows, "x.csv", &error));
  free_attribute_rows (rows);

  /* The second import of "svi" for the first geography holds one area only. */
  rows = g_array_new (FALSE, FALSE, sizeof (TwAttributeValues));
  add_attribute_row (rows, 3, 0.25, NAN);
  g_assert_true (tw_store_replace_attributes (p->store, geography, names, rows, "svi2.csv",
                                              &error));
  g_assert_no_error (error);
  free_attribute_rows (rows);

  listed = tw_store_list_attributes (p->store, geography, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (listed), ==, 2);
  g_assert_cmpstr (listed[0], ==, "adi");
  g_assert_cmpstr (listed[1], ==, "svi");

  g_assert_true (tw_store_load_attribute (p->store, geography, "svi", &ids, &values, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 3);
  g_assert_cmpfloat (g_array_index (values, double, 0), ==, 0.25);
  g_clear_pointer (&ids, g_array_unref);
  g_clear_pointer (&values, g_array_unref);

  g_assert_true (tw_store_load_attribute (p->store, geography, "adi", &ids, &values, &error));
  g_assert_cmpuint (values->len, ==, 1);
  g_assert_true (isnan (g_array_index (values, double, 0)));
  g_clear_pointer (&ids, g_array_unref);
  g_clear_pointer (&values, g_array_unref);

  g_assert_true (tw_store_load_attribute (p->store, other, "svi", &ids, &values, &error));
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, elsewhere);
  g_assert_cmpfloat (g_array_index (values, double, 0), ==, 0.1);
  g_clear_pointer (&ids, g_array_unref);
  g_clear_pointer (&values, g_array_unref);

  g_assert_true (tw_store_load_attribute (p->store, geography, "none", &ids, &values, &error));
  g_assert_cmpuint (ids->len, ==, 0);
  g_assert_cmpint (count (p->store, "SELECT count(*) FROM area_attribute WHERE source = 'svi2.csv'"),
                   ==, 2);
}

/* The outcome importer hands rows to the store a batch at a time: a duplicate is still
 * found wherever it is, and still reported before the problems of the rows after it. */
static char *
write_outcomes (Project    *p,
                const char *name,
                GString    *rows)
{
  char *path = g_build_filename (p->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, rows->str, -1, NULL));
  return path;
}

static void
test_outcome_import_finds_duplicates_across_batches (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) csv = g_string_new ("geoid,measure,period,stratum,numerator,"
                                         "denominator\n");
  g_autoptr(TwOutcomeImportResult) result = NULL;
  g_autofree char *path = NULL;
  TwOutcomeImportOptions options = { .kind = "rate", .per = 1000 };

  add_row_of_areas (p, 1);
  for (guint i = 0; i < 9000; i++)
    g_string_append_printf (csv, "37001,asthma,%u,all,%u,1000\n", 1000 + i, i % 50);
  path = write_outcomes (p, "big.csv", csv);
  result = tw_outcome_import (p->store, path, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->rows, ==, 9000);
  g_assert_cmpint (count (p->store, "SELECT count(*) FROM outcome_value"), ==, 9000);
  g_clear_pointer (&result, tw_outcome_import_result_free);
  g_unlink (path);

  /* Row 8,500 repeats row 2, two of the store's batches earlier. */
  g_string_truncate (csv, 0);
  g_string_append (csv, "geoid,measure,period,stratum,numerator,denominator\n");
  for (guint i = 0; i < 9000; i++)
    g_string_append_printf (csv, "37001,copd,%u,all,1,1000\n", i == 8499 ? 1 : i);
  g_free (path);
  path = write_outcomes (p, "again.csv", csv);
  result = tw_outcome_import (p->store, path, &options, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_ROW);
  g_assert_true (g_str_has_prefix (error->message, "again.csv: row 8500 (line 8501): "
                                                   "duplicate of an earlier row"));
  g_assert_cmpint (count (p->store, "SELECT count(*) FROM outcome_value"), ==, 9000);
  g_assert_cmpint (count (p->store, "PRAGMA foreign_keys"), ==, 1);
  g_unlink (path);
}

static void
test_outcome_import_reports_duplicate_first (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) csv = g_string_new ("geoid,measure,period,stratum,numerator,"
                                         "denominator\n"
                                         "37001,asthma,2019,all,1,100\n"
                                         "37003,asthma,2019,all,2,100\n"
                                         "37001,asthma,2019,all,3,100\n"
                                         "37003,asthma,2020,all,4,100\n"
                                         "37001,asthma,2020,all,-5,100\n");
  g_autofree char *path = write_outcomes (p, "dup.csv", csv);
  g_autoptr(TwOutcomeImportResult) result = NULL;
  TwOutcomeImportOptions options = { 0 };

  add_row_of_areas (p, 2);
  result = tw_outcome_import (p->store, path, &options, NULL, NULL, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_ROW);
  g_assert_cmpstr (error->message, ==,
                   "dup.csv: row 3 (line 4): duplicate of an earlier row of the file: geoid "
                   "37001, measure asthma, period 2019, stratum all; remove one of them. 2 "
                   "rows in all have problems; nothing was imported.");
  g_assert_cmpint (count (p->store, "SELECT count(*) FROM outcome_value"), ==, 0);
  g_assert_cmpint (count (p->store, "SELECT count(*) FROM measure"), ==, 0);

  /* Checked without writing: the rows before the duplicate are counted, as before. */
  g_clear_error (&error);
  options.validate_only = TRUE;
  result = tw_outcome_import (p->store, path, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->n_problems, ==, 2);
  g_assert_cmpint (result->rows, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (result->problems, 0), ==,
                   "dup.csv: row 3 (line 4): duplicate of an earlier row of the file: geoid "
                   "37001, measure asthma, period 2019, stratum all; remove one of them");
  g_assert_cmpint (count (p->store, "SELECT count(*) FROM outcome_value"), ==, 0);
  g_unlink (path);
}

static void
cancel_at (gint64   done,
           gint64   total,
           gpointer user_data)
{
  GCancellable *cancellable = user_data;

  /* After the first run of rows has been stored. */
  if (done >= 70000)
    g_cancellable_cancel (cancellable);
}

/* An import cancelled part-way, after rows were stored, leaves the project as it was. */
static void
test_outcome_import_cancelled (void)
{
  g_autoptr(Project) p = project_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) csv = g_string_new ("geoid,measure,period,stratum,numerator,"
                                         "denominator\n37001,asthma,1,all,1,10\n");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(TwOutcomeImportResult) result = NULL;
  g_autofree char *path = write_outcomes (p, "first.csv", csv);
  TwOutcomeImportOptions options = { 0 };

  add_row_of_areas (p, 1);
  result = tw_outcome_import (p->store, path, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&result, tw_outcome_import_result_free);

  g_string_truncate (csv, 0);
  g_string_append (csv, "geoid,measure,period,stratum,numerator,denominator\n");
  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (csv, "37001,copd,%u,all,1,1000\n", 2000 + i);
  g_free (path);
  path = write_outcomes (p, "big.csv", csv);
  result = tw_outcome_import (p->store, path, &options, cancel_at, cancellable, cancellable,
                              &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (count (p->store, "SELECT count(*) FROM outcome_value"), ==, 1);
  g_assert_cmpint (count (p->store, "SELECT count(*) FROM measure"), ==, 1);
  g_assert_cmpint (count (p->store, "SELECT count(*) FROM period"), ==, 1);
  g_assert_cmpint (count (p->store, "PRAGMA foreign_keys"), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/store-import/areas-read-back", test_areas_read_back);
  g_test_add_func ("/data/store-import/areas-same-geoid-refused",
                   test_areas_same_geoid_refused);
  g_test_add_func ("/data/store-import/outcomes-stop-at-duplicate",
                   test_outcomes_stop_at_duplicate);
  g_test_add_func ("/data/store-import/outcome-import-transaction",
                   test_outcome_import_transaction);
  g_test_add_func ("/data/store-import/codes-listed", test_codes_listed);
  g_test_add_func ("/data/store-import/attributes-replaced", test_attributes_replaced);
  g_test_add_func ("/data/store-import/outcome-import-duplicates-across-batches",
                   test_outcome_import_finds_duplicates_across_batches);
  g_test_add_func ("/data/store-import/outcome-import-cancelled",
                   test_outcome_import_cancelled);
  g_test_add_func ("/data/store-import/outcome-import-duplicate-first",
                   test_outcome_import_reports_duplicate_first);
  return g_test_run ();
}
