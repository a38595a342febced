/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-fuzz"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include <cpl_error.h>

#include "fuzz-common.h"
#include "tw-store-private.h"
#include "tw-gdal.h"

static char *scratch;
static GHashTable *paths;  /* name → path, kept for the process */

static void
remove_scratch (void)
{
  g_autoptr(GDir) dir = g_dir_open (scratch, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (scratch, name, NULL);
      g_unlink (path);
    }
  g_rmdir (scratch);
}

void
tw_fuzz_init (void)
{
  if (scratch != NULL)
    return;
  tw_gdal_init ();
  CPLSetErrorHandler (CPLQuietErrorHandler);
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  /* In memory when it can be: a fuzzer writes a file and a project every run. */
  if (g_getenv ("TMPDIR") == NULL && g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    {
      scratch = g_build_filename ("/dev/shm", "tw-fuzz-XXXXXX", NULL);
      if (g_mkdtemp (scratch) == NULL)
        g_clear_pointer (&scratch, g_free);
    }
  if (scratch == NULL)
    scratch = g_dir_make_tmp ("tw-fuzz-XXXXXX", NULL);
  if (scratch == NULL)
    {
      fprintf (stderr, "tw-fuzz: cannot create a scratch folder in %s\n", g_get_tmp_dir ());
      exit (1);
    }
  paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  atexit (remove_scratch);
}

const char *
tw_fuzz_path (const char *name)
{
  char *path;

  tw_fuzz_init ();
  path = g_hash_table_lookup (paths, name);

  if (path == NULL)
    {
      path = g_build_filename (scratch, name, NULL);
      g_hash_table_insert (paths, g_strdup (name), path);
    }
  return path;
}

const char *
tw_fuzz_write (const char    *name,
               const uint8_t *data,
               size_t         size)
{
  const char *path = tw_fuzz_path (name);
  FILE *file = fopen (path, "wb");

  /* Not g_file_set_contents: its fsync would cost more than the run. */
  if (file == NULL || (size > 0 && fwrite (data, 1, size, file) != size) || fclose (file) != 0)
    {
      fprintf (stderr, "tw-fuzz: cannot write %s\n", path);
      exit (1);
    }
  return path;
}

const char *
tw_fuzz_prepared (const char *name)
{
  static char *dir;
  g_autofree char *key = g_strconcat ("prepared:", name, NULL);
  char *path;

  tw_fuzz_init ();
  if (dir == NULL)
    {
      const char *env = g_getenv ("TW_FUZZ_DIR");

      if (env == NULL)
        {
          fprintf (stderr, "tw-fuzz: set TW_FUZZ_DIR to a folder made by tests/fuzz/make-corpus "
                   "(build-aux/run-fuzz does it)\n");
          exit (1);
        }
      dir = g_strdup (env);
    }
  path = g_hash_table_lookup (paths, key);
  if (path == NULL)
    {
      path = g_build_filename (dir, name, NULL);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          fprintf (stderr, "tw-fuzz: %s is missing; run tests/fuzz/make-corpus again\n", path);
          exit (1);
        }
      g_hash_table_insert (paths, g_steal_pointer (&key), path);
    }
  return path;
}

void
tw_fuzz_remove (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (journal);
}

TwStore *
tw_fuzz_open_project (void)
{
  return tw_fuzz_open_prepared_project ("project.tractwise");
}

TwStore *
tw_fuzz_open_prepared_project (const char *name)
{
  static GHashTable *contents_of;   /* name → GBytes */
  GBytes *contents;
  const char *path = tw_fuzz_path (name);
  g_autoptr(GError) error = NULL;
  TwStore *store;

  if (contents_of == NULL)
    contents_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_bytes_unref);
  contents = g_hash_table_lookup (contents_of, name);
  if (contents == NULL)
    {
      char *text;
      gsize length;

      if (!g_file_get_contents (tw_fuzz_prepared (name), &text, &length, &error))
        {
          fprintf (stderr, "tw-fuzz: %s\n", error->message);
          exit (1);
        }
      contents = g_bytes_new_take (text, length);
      g_hash_table_insert (contents_of, g_strdup (name), contents);
    }
  tw_fuzz_remove (path);
  tw_fuzz_write (name, g_bytes_get_data (contents, NULL), g_bytes_get_size (contents));
  if ((store = tw_store_open (path, &error)) == NULL)
    {
      fprintf (stderr, "tw-fuzz: the prepared project %s: %s\n", name, error->message);
      exit (1);
    }
  /* A scratch copy: no need to wait for the disk at each commit. */
  sqlite3_exec (tw_store_get_db (store), "PRAGMA synchronous = OFF", NULL, NULL, NULL);
  return store;
}
