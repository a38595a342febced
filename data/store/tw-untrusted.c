/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-untrusted"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tw-untrusted.h"
#include "tw-store-private.h"

/* VM steps between two calls of the progress handler. */
#define PROGRESS_INTERVAL 1000
/* The work budget: this many VM steps per byte of the file, and a floor for tiny files.
 * Reading every row of every table of a share package takes about 0.14 steps per byte
 * (278 thousand for the demo's 2 MB package); SQLite runs some 15 million a second. */
#define STEPS_PER_BYTE 10
#define STEPS_FLOOR 2000000
/* The largest string or blob a value may be: a project's footprint is the largest. */
#define MAX_VALUE_LENGTH (32 * 1024 * 1024)

struct _TwUntrusted
{
  sqlite3      *db;
  char         *path;
  GCancellable *cancellable;
  guint32       application_id;
  guint64       calls;       /* of the progress handler */
  guint64       max_calls;
  gboolean      over_budget;
};

G_DEFINE_QUARK (tw-untrusted-error-quark, tw_untrusted_error)

static int
on_progress (void *data)
{
  TwUntrusted *self = data;

  if (self->cancellable != NULL && g_cancellable_is_cancelled (self->cancellable))
    return 1;
  if (++self->calls > self->max_calls)
    {
      self->over_budget = TRUE;
      return 1;
    }
  return 0;
}

static gboolean
set_sqlite_error (TwUntrusted  *self,
                  int           rc,
                  GError      **error)
{
  if ((rc & 0xff) == SQLITE_INTERRUPT)
    {
      if (self->cancellable != NULL && g_cancellable_is_cancelled (self->cancellable))
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
      else
        g_set_error_literal (error, TW_UNTRUSTED_ERROR, TW_UNTRUSTED_ERROR_TOO_MUCH_WORK,
                             "reading it takes far more work than a file of its size can "
                             "need");
      return FALSE;
    }
  g_set_error (error, TW_UNTRUSTED_ERROR,
               (rc & 0xff) == SQLITE_NOTADB ? TW_UNTRUSTED_ERROR_NOT_SQLITE
                                            : TW_UNTRUSTED_ERROR_DAMAGED,
               "%s", sqlite3_errmsg (self->db));
  return FALSE;
}

/* The first 100 bytes: SQLite's header, with the application_id at offset 68. */
static gboolean
read_header (TwUntrusted  *self,
             GError      **error)
{
  static const char magic[] = "SQLite format 3";
  guchar header[100];
  FILE *file = fopen (self->path, "rb");
  size_t n = 0;

  if (file != NULL)
    {
      n = fread (header, 1, sizeof header, file);
      fclose (file);
    }
  if (file == NULL)
    {
      g_set_error (error, TW_UNTRUSTED_ERROR, TW_UNTRUSTED_ERROR_UNREADABLE,
                   "cannot read the file: %s", g_strerror (errno));
      return FALSE;
    }
  if (n < sizeof header || memcmp (header, magic, sizeof magic) != 0)
    {
      g_set_error_literal (error, TW_UNTRUSTED_ERROR, TW_UNTRUSTED_ERROR_NOT_SQLITE,
                           "it is not an SQLite database (nor a GeoPackage)");
      return FALSE;
    }
  self->application_id = ((guint32) header[68] << 24) | ((guint32) header[69] << 16)
                         | ((guint32) header[70] << 8) | header[71];
  return TRUE;
}

static gboolean
harden (TwUntrusted  *self,
        GError      **error)
{
  static const struct { int option, value; } settings[] = {
    { SQLITE_DBCONFIG_DEFENSIVE, 1 },
    { SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0 },
    { SQLITE_DBCONFIG_ENABLE_TRIGGER, 0 },
    { SQLITE_DBCONFIG_ENABLE_VIEW, 0 },
    { SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0 },
    { SQLITE_DBCONFIG_DQS_DML, 0 },
    { SQLITE_DBCONFIG_DQS_DDL, 0 },
  };
  static const struct { int id, value; } limits[] = {
    { SQLITE_LIMIT_LENGTH, MAX_VALUE_LENGTH },
    { SQLITE_LIMIT_SQL_LENGTH, 1000000 },
    { SQLITE_LIMIT_COLUMN, 200 },
    { SQLITE_LIMIT_EXPR_DEPTH, 100 },
    { SQLITE_LIMIT_COMPOUND_SELECT, 4 },
    { SQLITE_LIMIT_VDBE_OP, 25000 },
    { SQLITE_LIMIT_FUNCTION_ARG, 8 },
    { SQLITE_LIMIT_ATTACHED, 0 },
    { SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 50 },
    { SQLITE_LIMIT_VARIABLE_NUMBER, 16 },
    { SQLITE_LIMIT_TRIGGER_DEPTH, 1 },
  };
  char *message = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      int now = -1;

      if (sqlite3_db_config (self->db, settings[i].option, settings[i].value, &now) != SQLITE_OK
          || now != settings[i].value)
        {
          g_set_error (error, TW_UNTRUSTED_ERROR, TW_UNTRUSTED_ERROR_UNREADABLE,
                       "this SQLite cannot open files defensively (setting %d)",
                       settings[i].option);
          return FALSE;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    sqlite3_limit (self->db, limits[i].id, limits[i].value);
  sqlite3_progress_handler (self->db, PROGRESS_INTERVAL, on_progress, self);
  /* cell_size_check: a corrupt page is reported, not followed. */
  if (sqlite3_exec (self->db, "PRAGMA cell_size_check = ON; PRAGMA mmap_size = 0; "
                    "PRAGMA query_only = ON", NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, TW_UNTRUSTED_ERROR, TW_UNTRUSTED_ERROR_DAMAGED, "%s",
                   message != NULL ? message : "cannot configure SQLite");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

TwUntrusted *
tw_untrusted_open (const char    *path,
                   guint64        max_size,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(TwUntrusted) self = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *uri = NULL;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error_literal (error, TW_UNTRUSTED_ERROR, TW_UNTRUSTED_ERROR_UNREADABLE,
                           g_file_test (path, G_FILE_TEST_EXISTS) ? "not a regular file"
                                                                  : "no such file");
      return NULL;
    }
  if ((guint64) st.st_size > max_size)
    {
      g_set_error (error, TW_UNTRUSTED_ERROR, TW_UNTRUSTED_ERROR_UNREADABLE,
                   "the file is %.1f GB, more than the %.1f GB such a file may be",
                   st.st_size / 1e9, max_size / 1e9);
      return NULL;
    }

  self = g_new0 (TwUntrusted, 1);
  self->path = g_strdup (path);
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  self->max_calls = ((guint64) st.st_size * STEPS_PER_BYTE + STEPS_FLOOR) / PROGRESS_INTERVAL;
  if (!read_header (self, error))
    return NULL;

  /* immutable: no lock, no journal and no -wal or -shm beside the file, ever. */
  absolute = g_canonicalize_filename (path, NULL);
  escaped = g_uri_escape_string (absolute, "/", FALSE);
  uri = g_strdup_printf ("file:%s?immutable=1", escaped);
  if (sqlite3_open_v2 (uri, &self->db,
                       SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, TW_UNTRUSTED_ERROR, TW_UNTRUSTED_ERROR_UNREADABLE,
                   "cannot open it (%s)", self->db != NULL ? sqlite3_errmsg (self->db)
                                                           : "out of memory");
      return NULL;
    }
  if (!harden (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
tw_untrusted_close (TwUntrusted *self)
{
  if (self == NULL)
    return;
  g_debug ("%s: about %" G_GUINT64_FORMAT " thousand VM steps of a budget of %"
           G_GUINT64_FORMAT " thousand", self->path, self->calls, self->max_calls);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_object (&self->cancellable);
  g_free (self->path);
  g_free (self);
}

guint32
tw_untrusted_get_application_id (TwUntrusted *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->application_id;
}

sqlite3_stmt *
tw_untrusted_prepare (TwUntrusted  *self,
                      const char   *sql,
                      GError      **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  rc = sqlite3_prepare_v3 (self->db, sql, -1, 0, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

int
tw_untrusted_step (TwUntrusted   *self,
                   sqlite3_stmt  *stmt,
                   GError       **error)
{
  int rc;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (stmt != NULL, -1);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return 1;
  if (rc == SQLITE_DONE)
    return 0;
  set_sqlite_error (self, rc, error);
  return -1;
}

/* The type and SQL of @table in the schema: 1 found, 0 not, -1 error. */
static int
schema_entry (TwUntrusted  *self,
              const char   *table,
              char        **type,
              char        **sql,
              GError      **error)
{
  sqlite3_stmt *stmt = tw_untrusted_prepare (self, "SELECT type, sql FROM sqlite_schema "
                                             "WHERE name = ?1 COLLATE NOCASE", error);
  int found;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  found = tw_untrusted_step (self, stmt, error);
  if (found == 1)
    {
      *type = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      *sql = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      /* Two entries under one name: not a file SQLite made. */
      if (tw_untrusted_step (self, stmt, NULL) != 0)
        {
          g_set_error (error, TW_UNTRUSTED_ERROR, TW_UNTRUSTED_ERROR_DAMAGED,
                       "its schema names '%s' twice", table);
          found = -1;
        }
    }
  sqlite3_finalize (stmt);
  return found;
}

gboolean
tw_untrusted_has_table (TwUntrusted  *self,
                        const char   *table,
                        GError      **error)
{
  g_autofree char *type = NULL;
  g_autofree char *sql = NULL;
  int found;

  g_return_val_if_fail (self != NULL, FALSE);

  found = schema_entry (self, table, &type, &sql, error);
  return found == 1;
}

gboolean
tw_untrusted_check_table (TwUntrusted        *self,
                          const char         *table,
                          const char *const  *columns,
                          GError            **error)
{
  g_autofree char *type = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GHashTable) names = NULL;
  sqlite3_stmt *stmt;
  int found, rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (table != NULL, FALSE);

  found = schema_entry (self, table, &type, &sql, error);
  if (found < 0)
    return FALSE;
  if (found == 0)
    {
      g_set_error (error, TW_UNTRUSTED_ERROR, TW_UNTRUSTED_ERROR_DAMAGED,
                   "it has no table '%s'", table);
      return FALSE;
    }
  /* A view would run its query, a virtual table its module's code: only a table is read. */
  if (g_strcmp0 (type, "table") != 0 || sql == NULL
      || g_ascii_strncasecmp (sql, "CREATE TABLE", strlen ("CREATE TABLE")) != 0)
    {
      g_set_error (error, TW_UNTRUSTED_ERROR, TW_UNTRUSTED_ERROR_DAMAGED,
                   "'%s' is a %s, not an ordinary table",
                   table, g_strcmp0 (type, "table") == 0 ? "virtual table"
                          : type != NULL ? type : "schema entry");
      return FALSE;
    }

  names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  stmt = tw_untrusted_prepare (self, "SELECT name, hidden FROM pragma_table_xinfo (?1)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  while ((rc = tw_untrusted_step (self, stmt, error)) == 1)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      /* A generated column computes its value as it is read. */
      if (sqlite3_column_int (stmt, 1) != 0)
        {
          g_set_error (error, TW_UNTRUSTED_ERROR, TW_UNTRUSTED_ERROR_DAMAGED,
                       "column '%s' of table '%s' is computed, not stored",
                       name != NULL ? name : "?", table);
          sqlite3_finalize (stmt);
          return FALSE;
        }
      if (name != NULL)
        g_hash_table_add (names, g_ascii_strdown (name, -1));
    }
  sqlite3_finalize (stmt);
  if (rc < 0)
    return FALSE;
  for (guint i = 0; columns != NULL && columns[i] != NULL; i++)
    {
      g_autofree char *lower = g_ascii_strdown (columns[i], -1);

      if (!g_hash_table_contains (names, lower))
        {
          g_set_error (error, TW_UNTRUSTED_ERROR, TW_UNTRUSTED_ERROR_DAMAGED,
                       "table '%s' has no column '%s'", table, columns[i]);
          return FALSE;
        }
    }
  return TRUE;
}
