/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"

#include <glib/gstdio.h>

#include "tw-store.h"
#include "tw-store-private.h"
#include "tw-test-project.h"

static char *
temp_project (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tw-store-XXXXXX", NULL);

  g_assert_nonnull (dir);
  return g_build_filename (dir, "p.tractwise", NULL);
}

static void
remove_project (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

static void
test_create_and_reopen (void)
{
  g_autofree char *path = temp_project ();
  g_autoptr(GError) error = NULL;
  TwStore *store;

  store = tw_store_create (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tw_store_get_schema_version (store), ==, TW_STORE_SCHEMA_VERSION);
  g_assert_true (tw_store_set_setting (store, "suppression.min_count", "16", &error));
  g_assert_no_error (error);
  tw_store_close (store);

  store = tw_store_open (path, &error);
  g_assert_no_error (error);
  {
    g_autofree char *value = tw_store_get_setting (store, "suppression.min_count");
    g_autofree char *missing = tw_store_get_setting (store, "no.such.key");

    g_assert_cmpstr (value, ==, "16");
    g_assert_null (missing);
  }
  g_assert_cmpint (count (store, "PRAGMA foreign_keys"), ==, 1);
  tw_store_close (store);

  store = tw_store_create (path, &error);
  g_assert_null (store);
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_EXISTS);
  remove_project (path);
}

static void
test_rollback_leaves_nothing (void)
{
  g_autofree char *path = temp_project ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = tw_store_create (path, &error);

  g_assert_no_error (error);
  g_assert_true (tw_store_begin (store, &error));
  g_assert_true (tw_store_audit (store, "test", "inside a transaction", &error));
  g_assert_true (tw_store_set_setting (store, "k", "v", &error));
  tw_store_rollback (store);
  g_assert_cmpint (count (store, "SELECT count(*) FROM audit_log"), ==, 0);
  g_assert_cmpint (count (store, "SELECT count(*) FROM setting"), ==, 0);

  g_assert_true (tw_store_begin (store, &error));
  g_assert_true (tw_store_audit (store, "test", "committed", &error));
  g_assert_true (tw_store_commit (store, &error));
  g_assert_cmpint (count (store, "SELECT count(*) FROM audit_log"), ==, 1);

  g_clear_pointer (&store, tw_store_close);
  remove_project (path);
}

static void
test_newer_file_is_refused_untouched (void)
{
  g_autofree char *path = temp_project ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  gsize before_len, after_len;
  TwStore *store = tw_store_create (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (tw_store_get_db (store), "PRAGMA user_version = 42",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  tw_store_close (store);

  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));
  store = tw_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  remove_project (path);
}

static void
test_foreign_file_is_refused (void)
{
  g_autofree char *path = temp_project ();
  g_autoptr(GError) error = NULL;
  TwStore *store;

  g_assert_true (g_file_set_contents (path, "GEOID,NAME\n37001,Alamance\n", -1, NULL));
  store = tw_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_NOT_A_PROJECT);
  remove_project (path);
}

static void
test_migration_runs_forward (void)
{
  g_autofree char *path = temp_project ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  sqlite3 *db;
  g_autofree char *app_id = g_strdup_printf ("PRAGMA application_id = %d",
                                             TW_STORE_APPLICATION_ID);

  /* A file at version 0: ours, but with no schema yet. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, app_id, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = tw_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tw_store_get_schema_version (store), ==, TW_STORE_SCHEMA_VERSION);
  g_assert_cmpint (count (store, "SELECT count(*) FROM sqlite_master WHERE name = 'outcome'"),
                   ==, 1);
  g_clear_pointer (&store, tw_store_close);
  remove_project (path);
}

static gpointer
open_in_thread (gpointer path)
{
  g_autoptr(GError) error = NULL;
  TwStore *store = tw_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (tw_store_get_schema_version (store), ==, TW_STORE_SCHEMA_VERSION);
  tw_store_close (store);
  return NULL;
}

/* The window opens a project from two threads at once. When the file needs migrating, both
 * see the old version; one migrates, the other finds it done. */
static void
test_migration_from_two_connections (void)
{
  g_autofree char *path = temp_project ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = tw_store_create (path, &error);
  GThread *threads[2];
  sqlite3 *db;

  g_assert_no_error (error);
  g_clear_pointer (&store, tw_store_close);
  g_assert_cmpint (TW_STORE_SCHEMA_VERSION, ==, 2);
  /* Back to version 1, as Tractwise 0.1 wrote it. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE outcome_withheld; PRAGMA user_version = 1",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  /* Both connections read version 1 and wait for the write lock this one holds. */
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("open", open_in_thread, path);
  g_usleep (500 * 1000);
  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  sqlite3_close (db);

  store = tw_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (store, "SELECT count(*) FROM sqlite_master "
                                 "WHERE name = 'outcome_withheld'"), ==, 1);
  g_clear_pointer (&store, tw_store_close);
  remove_project (path);
}

static void
test_resolve_names_what_exists (void)
{
  g_autofree char *path = temp_project ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = tw_store_create (path, &error);

  g_assert_cmpint (tw_store_resolve_geography (store, NULL, &error), ==, -1);
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "import-areas"));
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_exec (tw_store_get_db (store),
                                 "INSERT INTO geography (name, level) VALUES ('a', 'tract'), "
                                 "('b', 'county');"
                                 "INSERT INTO measure (code, label, kind, multiplier) "
                                 "VALUES ('m1', 'M1', 'rate', 1000)", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (tw_store_resolve_geography (store, "b", &error), ==, 2);
  g_assert_cmpint (tw_store_resolve_geography (store, NULL, &error), ==, -1);
  g_assert_nonnull (strstr (error->message, "a, b"));
  g_clear_error (&error);
  g_assert_cmpint (tw_store_resolve_measure (store, "m2", &error), ==, -1);
  g_assert_nonnull (strstr (error->message, "m1"));
  g_clear_error (&error);
  g_assert_cmpint (tw_store_resolve_measure (store, "m1", &error), ==, 1);

  {
    g_autoptr(TwProjectSummary) summary = tw_store_summarize (store, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (summary->geographies->len, ==, 2);
    g_assert_cmpuint (summary->measures->len, ==, 1);
  }
  g_clear_pointer (&store, tw_store_close);
  remove_project (path);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/store/create-and-reopen", test_create_and_reopen);
  g_test_add_func ("/data/store/rollback-leaves-nothing", test_rollback_leaves_nothing);
  g_test_add_func ("/data/store/newer-file-refused-untouched",
                   test_newer_file_is_refused_untouched);
  g_test_add_func ("/data/store/foreign-file-refused", test_foreign_file_is_refused);
  g_test_add_func ("/data/store/migration-runs-forward", test_migration_runs_forward);
  g_test_add_func ("/data/store/migration-from-two-connections",
                   test_migration_from_two_connections);
  g_test_add_func ("/data/store/resolve-names-what-exists", test_resolve_names_what_exists);

  return g_test_run ();
}
