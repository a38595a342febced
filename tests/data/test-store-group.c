/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store-group"

#include <glib/gstdio.h>

#include "tw-store.h"
#include "tw-store-import.h"

/* A group of transactions (tw_store_begin_group): the import assistant's dry runs and its
 * import-then-convert rest on it keeping all of its steps, or none. */

static char *tmpdir;

static TwStore *
new_store (const char *name,
           char      **path)
{
  g_autoptr(GError) error = NULL;
  TwStore *store;

  *path = g_build_filename (tmpdir, name, NULL);
  g_unlink (*path);
  store = tw_store_create (*path, &error);
  g_assert_no_error (error);
  return store;
}

/* One step: a transaction adding the geography @name, committed or rolled back. */
static void
step (TwStore    *store,
      const char *name,
      gboolean    commit)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tw_store_begin (store, &error));
  g_assert_cmpint (tw_store_add_geography (store, name, "tract", 2020, NULL, NULL, &error), >,
                   0);
  g_assert_no_error (error);
  if (commit)
    g_assert_true (tw_store_commit (store, &error));
  else
    tw_store_rollback (store);
  g_assert_no_error (error);
}

static gboolean
stored (const char *path,
        const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = tw_store_open (path, &error);

  g_assert_no_error (error);
  return tw_store_has_geography (store, name);
}

static void
test_kept_or_dropped (void)
{
  g_autofree char *path = NULL;
  g_autoptr(TwStore) store = new_store ("group.tractwise", &path);
  g_autoptr(GError) error = NULL;

  /* Kept: the committed steps, not the one rolled back. */
  g_assert_true (tw_store_begin_group (store, &error));
  step (store, "first", TRUE);
  step (store, "rolled back", FALSE);
  step (store, "second", TRUE);
  /* Nothing is visible to another connection before the group's end. */
  g_assert_false (stored (path, "first"));
  g_assert_true (tw_store_end_group (store, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (stored (path, "first"));
  g_assert_true (stored (path, "second"));
  g_assert_false (stored (path, "rolled back"));

  /* Dropped: a dry run leaves no trace, and the store works as before after it. */
  g_assert_true (tw_store_begin_group (store, &error));
  step (store, "dry", TRUE);
  g_assert_true (tw_store_end_group (store, FALSE, &error));
  g_assert_false (stored (path, "dry"));
  step (store, "after", TRUE);
  g_assert_true (stored (path, "after"));
}

/* A store closed in the middle of a group keeps none of it. */
static void
test_closed_in_group (void)
{
  g_autofree char *path = NULL;
  TwStore *store = new_store ("closed.tractwise", &path);
  g_autoptr(GError) error = NULL;

  g_assert_true (tw_store_begin_group (store, &error));
  step (store, "unfinished", TRUE);
  tw_store_close (store);
  g_assert_false (stored (path, "unfinished"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("tw-test-store-group-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/data/store-group/kept-or-dropped", test_kept_or_dropped);
  g_test_add_func ("/data/store-group/closed-in-group", test_closed_in_group);

  status = g_test_run ();
  if (g_getenv ("TW_TEST_KEEP") == NULL)
    {
      const char *name;
      g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *file = g_build_filename (tmpdir, name, NULL);
          g_unlink (file);
        }
      g_rmdir (tmpdir);
    }
  g_free (tmpdir);
  return status;
}
