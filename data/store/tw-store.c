/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-store"

#include <math.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tw-pg.h"
#include "tw-store.h"
#include "tw-store-private.h"

struct _TwStore
{
  sqlite3    *db;
  char       *path;
  GHashTable *statements;  /* SQL text (borrowed, static) → sqlite3_stmt */
  int         schema_version;
  guint       in_transaction : 1;
  guint       in_group : 1;    /* tw_store_begin_group: transactions are savepoints */
  char       *review_package;  /* a review project's package name, else NULL */

  /* A replica of a server workspace (tw-pg.h): the role it was read for ("full", "viewer",
   * "partner"), else NULL. A full replica sends each committed edit to the server. */
  char       *replica_role;
  char       *replica_workspace;
  guint       replica_syncing : 1;  /* opened to be brought up to date: a plain file */
  guint       pushing : 1;
  sqlite3_int64 changes_at_begin;

  /* Waiting for another connection's write lock (see busy_handler). */
  GCancellable    *cancellable;
  TwStoreWaitFunc  wait_func;
  gpointer         wait_data;
  gint64           wait_started;    /* monotonic µs when this wait began */
  gint64           wait_progress;   /* … when the other writer last moved */
  gint64           wait_checked;    /* … when it was last looked at */
  gint64           wait_reported;   /* … when wait_func was last called */
  char            *wait_sign;       /* what the other writer looked like then */
  char            *wait_holder;     /* who it is ("tractwise-cli import-outcomes, …") */
  guint            wait_cancelled : 1;
};

G_DEFINE_QUARK (tw-store-error-quark, tw_store_error)

/* Each migration moves the schema from version N to N + 1, in one transaction.
 * Never edit a migration that has shipped: add the next one. */
static const char *migrations[] = {
  /* 0 → 1: the first schema. */
  "CREATE TABLE geography ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  level TEXT NOT NULL CHECK (level IN ('tract','block-group','county','zcta','other')),"
  "  vintage INTEGER,"
  "  source TEXT,"
  "  source_crs TEXT,"
  "  imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
  "CREATE TABLE area ("
  "  id INTEGER PRIMARY KEY,"
  "  geography_id INTEGER NOT NULL REFERENCES geography (id) ON DELETE CASCADE,"
  "  geoid TEXT NOT NULL,"
  "  name TEXT,"
  "  geom BLOB NOT NULL,"
  "  min_lon REAL NOT NULL, min_lat REAL NOT NULL,"
  "  max_lon REAL NOT NULL, max_lat REAL NOT NULL,"
  "  UNIQUE (geography_id, geoid));"
  "CREATE VIRTUAL TABLE area_rtree USING rtree (id, min_lon, max_lon, min_lat, max_lat);"
  "CREATE TABLE measure ("
  "  id INTEGER PRIMARY KEY,"
  "  code TEXT NOT NULL UNIQUE,"
  "  label TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('rate','proportion')),"
  "  multiplier REAL NOT NULL CHECK (multiplier > 0),"
  "  higher_is_worse INTEGER NOT NULL DEFAULT 1,"
  "  source TEXT);"
  /* Outcomes are the bulk of a project (12.8 million rows for the nation): periods,
   * strata and age groups are stored as small integers, which makes the rows short and
   * their key quick to compare; the view `outcome` reads them as text. */
  "CREATE TABLE period (id INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE);"
  "CREATE TABLE stratum (id INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE);"
  "CREATE TABLE age_group (id INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE);"
  "INSERT INTO age_group (id, label) VALUES (0, '');"
  "CREATE TABLE outcome_value ("
  "  measure_id INTEGER NOT NULL REFERENCES measure (id) ON DELETE CASCADE,"
  "  period_id INTEGER NOT NULL REFERENCES period (id),"
  "  stratum_id INTEGER NOT NULL REFERENCES stratum (id),"
  /* No foreign key on area_id: SQLite would look through every outcome for each area
   * deleted, and an index for it would double the cost of an import. Outcomes of a
   * geography are deleted with its areas, explicitly. */
  "  area_id INTEGER NOT NULL,"
  "  age_group_id INTEGER NOT NULL DEFAULT 0 REFERENCES age_group (id),"
  "  numerator REAL NOT NULL CHECK (numerator >= 0),"
  "  denominator REAL NOT NULL CHECK (denominator >= 0),"
  "  PRIMARY KEY (measure_id, period_id, stratum_id, area_id, age_group_id)) WITHOUT ROWID;"
  "CREATE VIEW outcome AS"
  "  SELECT v.measure_id, v.area_id, p.label AS period, s.label AS stratum,"
  "         g.label AS age_group, v.numerator, v.denominator"
  "  FROM outcome_value v"
  "  JOIN period p ON p.id = v.period_id"
  "  JOIN stratum s ON s.id = v.stratum_id"
  "  JOIN age_group g ON g.id = v.age_group_id;"
  /* Rows written through the view get their labels' ids (scripts and tests use it; the
   * importer writes outcome_value directly). */
  "CREATE TRIGGER outcome_insert INSTEAD OF INSERT ON outcome BEGIN"
  "  INSERT OR IGNORE INTO period (label) VALUES (NEW.period);"
  "  INSERT OR IGNORE INTO stratum (label) VALUES (coalesce (NEW.stratum, 'all'));"
  "  INSERT OR IGNORE INTO age_group (label) VALUES (coalesce (NEW.age_group, ''));"
  "  INSERT INTO outcome_value (measure_id, period_id, stratum_id, area_id, age_group_id,"
  "                             numerator, denominator)"
  "  VALUES (NEW.measure_id,"
  "          (SELECT id FROM period WHERE label = NEW.period),"
  "          (SELECT id FROM stratum WHERE label = coalesce (NEW.stratum, 'all')),"
  "          NEW.area_id,"
  "          (SELECT id FROM age_group WHERE label = coalesce (NEW.age_group, '')),"
  "          NEW.numerator, NEW.denominator);"
  "END;"
  "CREATE TABLE area_attribute ("
  "  area_id INTEGER NOT NULL REFERENCES area (id) ON DELETE CASCADE,"
  "  name TEXT NOT NULL,"
  "  value REAL,"
  "  source TEXT,"
  "  PRIMARY KEY (name, area_id)) WITHOUT ROWID;"
  "CREATE TABLE partner ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  kind TEXT,"
  "  contact TEXT, email TEXT, phone TEXT,"
  "  agreement TEXT NOT NULL DEFAULT 'none' CHECK (agreement IN ('none','mou','dua')),"
  "  notes TEXT);"
  "CREATE TABLE project ("
  "  id INTEGER PRIMARY KEY,"
  "  title TEXT NOT NULL,"
  "  aim TEXT,"
  "  measure_id INTEGER REFERENCES measure (id),"
  "  stratum TEXT,"
  "  geography_id INTEGER REFERENCES geography (id),"
  "  start_date TEXT, end_date TEXT,"
  "  status TEXT NOT NULL DEFAULT 'planned'"
  "    CHECK (status IN ('planned','active','paused','completed')),"
  "  budget REAL,"
  "  goal_percent REAL,"
  "  notes TEXT,"
  "  CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date));"
  "CREATE TABLE project_partner ("
  "  project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,"
  "  partner_id INTEGER NOT NULL REFERENCES partner (id) ON DELETE RESTRICT,"
  "  role TEXT,"
  "  PRIMARY KEY (project_id, partner_id));"
  "CREATE TABLE project_area ("
  "  project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,"
  "  area_id INTEGER NOT NULL REFERENCES area (id) ON DELETE CASCADE,"
  "  PRIMARY KEY (project_id, area_id));"
  "CREATE TABLE milestone ("
  "  id INTEGER PRIMARY KEY,"
  "  project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,"
  "  title TEXT NOT NULL,"
  "  due_date TEXT,"
  "  done_date TEXT);"
  "CREATE TABLE comment ("
  "  id INTEGER PRIMARY KEY,"
  "  project_id INTEGER REFERENCES project (id) ON DELETE CASCADE,"
  "  area_id INTEGER REFERENCES area (id) ON DELETE CASCADE,"
  "  author TEXT,"
  "  body TEXT NOT NULL,"
  "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));"
  "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
  "CREATE TABLE audit_log ("
  "  id INTEGER PRIMARY KEY,"
  "  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
  "  action TEXT NOT NULL,"
  "  detail TEXT);",

  /* 1 → 2: the cells a share package withheld under its policy. A review project (a
   * package opened for review) knows their population and that they are suppressed, never
   * their count: a row here is a suppressed cell with no numerator, read by the rate table
   * beside outcome_value. Ordinary projects leave it empty. */
  "CREATE TABLE outcome_withheld ("
  "  measure_id INTEGER NOT NULL REFERENCES measure (id) ON DELETE CASCADE,"
  "  period_id INTEGER NOT NULL REFERENCES period (id),"
  "  stratum_id INTEGER NOT NULL REFERENCES stratum (id),"
  "  area_id INTEGER NOT NULL,"
  "  denominator REAL CHECK (denominator IS NULL OR denominator >= 0),"
  "  PRIMARY KEY (measure_id, period_id, stratum_id, area_id)) WITHOUT ROWID;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == TW_STORE_SCHEMA_VERSION);

/* Waiting for another writer.
 *
 * One connection writes at a time, and another program's import may hold the write lock for
 * a minute (the nation's 12.8 million rows take 30 s). A second writer waits for as long as
 * the first is seen working (its process uses the processor, or the WAL file changes) and
 * gives up after TW_STORE_WAIT_SECONDS (default 120) without a sign of it, or after eight
 * times that in all, with TW_STORE_ERROR_BUSY. */

#define WAIT_DEFAULT_SECONDS 120
#define WAIT_TOTAL_FACTOR    8
#define WAIT_CHECK_USEC      (G_USEC_PER_SEC / 2)
#define WAIT_REPORT_USEC     (3 * G_USEC_PER_SEC)
/* The WAL write lock of SQLite's unix VFS: byte (22 + SQLITE_SHM_NLOCK) * 4 + WAL_WRITE_LOCK
 * of the -shm file, held by whoever writes. */
#define WAL_WRITE_LOCK_BYTE  120

static gint64
wait_limit_usec (void)
{
  const char *text = g_getenv ("TW_STORE_WAIT_SECONDS");
  gint64 seconds = text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;

  return (seconds > 0 ? MIN (seconds, 24 * 3600) : WAIT_DEFAULT_SECONDS) * G_USEC_PER_SEC;
}

static gboolean
is_busy (int rc)
{
  return (rc & 0xff) == SQLITE_BUSY;
}

/* The process holding the WAL write lock on @path, from the kernel's list of POSIX locks
 * (Linux); 0 when unknown. Opening the -shm file to ask fcntl instead would drop this
 * process's own SQLite locks on it when closed. */
static int
find_writer_pid (const char *path)
{
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *locks = NULL;
  GStatBuf st;
  char *line, *next;

  if (g_stat (shm, &st) != 0 || !g_file_get_contents ("/proc/locks", &locks, NULL, NULL))
    return 0;

  for (line = locks; line != NULL && *line != '\0'; line = next)
    {
      char kind[16], access[16], end[32];
      unsigned long long inode, start;
      int pid;

      next = strchr (line, '\n');
      if (next != NULL)
        *next++ = '\0';
      /* "7: POSIX  ADVISORY  WRITE 4242 fe:01:1234567 120 120"; "7: -> …" is a waiter. */
      if (strstr (line, "->") != NULL
          || sscanf (line, "%*d: %15s %*s %15s %d %*x:%*x:%llu %llu %31s",
                     kind, access, &pid, &inode, &start, end) != 6)
        continue;
      if (strcmp (kind, "POSIX") == 0 && strcmp (access, "WRITE") == 0
          && inode == (unsigned long long) st.st_ino && start <= WAL_WRITE_LOCK_BYTE
          && (strcmp (end, "EOF") == 0
              || g_ascii_strtoull (end, NULL, 10) >= WAL_WRITE_LOCK_BYTE))
        return pid;
    }
  return 0;
}

/* "tractwise-cli import-outcomes, process 4242" */
static char *
describe_process (int pid)
{
  g_autofree char *file = g_strdup_printf ("/proc/%d/cmdline", pid);
  g_autofree char *cmdline = NULL;
  g_autofree char *program = NULL;
  g_autofree char *text = NULL;
  const char *command = NULL;
  gsize length = 0;

  if (pid == getpid ())
    return g_strdup ("another task of this program");
  if (!g_file_get_contents (file, &cmdline, &length, NULL) || length == 0)
    return g_strdup_printf ("process %d", pid);

  program = g_path_get_basename (cmdline);
  if (strlen (cmdline) + 1 < length)
    command = cmdline + strlen (cmdline) + 1;
  if (command != NULL && g_str_has_prefix (program, "tractwise-cli") && command[0] != '-')
    text = g_strdup_printf ("%s %s, process %d", program, command, pid);
  else
    text = g_strdup_printf ("%s, process %d", program, pid);
  return g_utf8_make_valid (text, -1);
}

/* Processor time a process has used, in clock ticks; -1 when unknown. */
static gint64
process_ticks (int pid)
{
  g_autofree char *file = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  unsigned long long user, system;
  const char *after;

  if (!g_file_get_contents (file, &stat, NULL, NULL)
      || (after = strrchr (stat, ')')) == NULL
      /* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
      || sscanf (after + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
                 &user, &system) != 2)
    return -1;
  return (gint64) (user + system);
}

/* Looks at the other writer: who it is, and whether it moved since the last look. */
static void
observe_writer (TwStore *self,
                gint64   now)
{
  g_autofree char *wal = g_strconcat (self->path, "-wal", NULL);
  g_autofree char *sign = NULL;
  GStatBuf st = { 0 }, file = { 0 };
  int pid = find_writer_pid (self->path);

  if (g_stat (wal, &st) != 0)
    memset (&st, 0, sizeof st);
  /* a bulk import (tw_store_begin_bulk) writes into the file itself */
  if (g_stat (self->path, &file) != 0)
    memset (&file, 0, sizeof file);
  /* Our own process's time moves while we poll: only the files tell for another thread. */
  sign = g_strdup_printf ("%d %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %ld %" G_GINT64_FORMAT
                          " %ld %" G_GINT64_FORMAT,
                          pid, (gint64) st.st_size, (gint64) st.st_mtim.tv_sec,
                          (long) st.st_mtim.tv_nsec, (gint64) file.st_size,
                          (long) file.st_mtim.tv_nsec,
                          pid > 0 && pid != getpid () ? process_ticks (pid) : 0);
  if (self->wait_sign != NULL && strcmp (sign, self->wait_sign) != 0)
    self->wait_progress = now;
  g_free (self->wait_sign);
  self->wait_sign = g_steal_pointer (&sign);

  if (pid > 0)
    {
      g_free (self->wait_holder);
      self->wait_holder = describe_process (pid);
    }
  self->wait_checked = now;
}

/* SQLite calls this while another connection holds a lock this one needs; returning 0
 * gives up with SQLITE_BUSY. */
static int
busy_handler (void *data,
              int   count)
{
  TwStore *self = data;
  gint64 now = g_get_monotonic_time ();
  gint64 limit = wait_limit_usec ();

  if (count == 0)
    {
      self->wait_started = self->wait_progress = self->wait_reported = now;
      self->wait_checked = 0;
      self->wait_cancelled = FALSE;
      g_clear_pointer (&self->wait_sign, g_free);
      g_clear_pointer (&self->wait_holder, g_free);
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      self->wait_cancelled = TRUE;
      return 0;
    }
  if (now - self->wait_checked >= WAIT_CHECK_USEC)
    observe_writer (self, now);
  if (now - self->wait_progress > limit || now - self->wait_started > limit * WAIT_TOTAL_FACTOR)
    return 0;

  if (self->wait_func != NULL && now - self->wait_reported >= WAIT_REPORT_USEC)
    {
      self->wait_reported = now;
      self->wait_func (self, self->wait_holder,
                       (now - self->wait_started) / (double) G_USEC_PER_SEC, self->wait_data);
    }

  /* Most locks are held for milliseconds: look again soon at first. */
  g_usleep (count < 10 ? 1000 * (count + 1) : 50000);
  return 1;
}

static gboolean
set_busy_error (TwStore  *self,
                GError  **error)
{
  gint64 waited = 0;

  if (self->wait_cancelled)
    {
      self->wait_cancelled = FALSE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                   "%s: cancelled while waiting for another program to finish changing it",
                   self->path);
      return FALSE;
    }

  if (self->wait_started > 0)
    waited = (g_get_monotonic_time () - self->wait_started) / G_USEC_PER_SEC;
  if (self->wait_holder == NULL)
    {
      int pid = find_writer_pid (self->path);

      if (pid > 0)
        self->wait_holder = describe_process (pid);
    }
  g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_BUSY,
               "%s is being changed by another program (%s; waited %" G_GINT64_FORMAT " s); "
               "try again when it has finished", self->path,
               self->wait_holder != NULL ? self->wait_holder : "it could not be named",
               waited);
  self->wait_started = 0;
  g_clear_pointer (&self->wait_holder, g_free);
  return FALSE;
}

static void
store_wait_for_writers (TwStore *self)
{
  sqlite3_busy_handler (self->db, busy_handler, self);
}

static gboolean
exec_sql (TwStore     *self,
          const char  *sql,
          GError     **error)
{
  char *message = NULL;
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    {
      if (is_busy (rc))
        set_busy_error (self, error);
      else
        g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_SQL,
                     "%s: %s", self->path, message ? message : "unknown SQLite error");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* The integer a PRAGMA returns; FALSE with @error when it cannot be read. */
static gboolean
pragma_int (TwStore     *self,
            const char  *pragma,
            int         *value,
            GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA %s", pragma);
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (is_busy (rc))
    return set_busy_error (self, error);
  g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_SQL, "%s: reading PRAGMA %s: %s",
               self->path, pragma, sqlite3_errstr (rc));
  return FALSE;
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

static TwStore *
store_new (const char *path)
{
  TwStore *self = g_new0 (TwStore, 1);

  self->path = g_strdup (path);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);
  return self;
}

static gboolean
store_configure (TwStore  *self,
                 GError  **error)
{
  store_wait_for_writers (self);
  sqlite3_extended_result_codes (self->db, 1);
  /* A generous cache keeps a large import's pages in memory until its commit, so they are
   * written to the WAL once. */
  return exec_sql (self, "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536", error);
}

static gboolean
store_migrate (TwStore  *self,
               GError  **error)
{
  while (self->schema_version < TW_STORE_SCHEMA_VERSION)
    {
      g_autofree char *bump = NULL;
      int version;

      if (!tw_store_begin (self, error))
        return FALSE;

      /* The window opens a file from two threads at once: another connection may have
       * migrated it while this one waited for the write lock. */
      if (!pragma_int (self, "user_version", &version, error))
        {
          tw_store_rollback (self);
          return FALSE;
        }
      if (version >= TW_STORE_SCHEMA_VERSION)
        {
          if (!tw_store_commit (self, error))
            return FALSE;
          self->schema_version = version;
          break;
        }

      bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      if (!exec_sql (self, migrations[version], error)
          || !exec_sql (self, bump, error))
        {
          tw_store_rollback (self);
          return FALSE;
        }

      if (!tw_store_commit (self, error))
        return FALSE;

      self->schema_version = version + 1;
    }
  return TRUE;
}

TwStore *
tw_store_create (const char  *path,
                 GError     **error)
{
  g_autoptr(TwStore) self = NULL;
  g_autofree char *app_id = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_EXISTS,
                   "%s already exists; choose another name or remove it first", path);
      return NULL;
    }

  self = store_new (path);
  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXRESCODE,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                   "%s: cannot create the project file (%s); check the folder exists and "
                   "is writable", path, self->db ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }

  app_id = g_strdup_printf ("PRAGMA application_id = %d", TW_STORE_APPLICATION_ID);
  /* Area outlines are a few kilobytes each: large pages keep them off overflow chains. */
  if (!exec_sql (self, "PRAGMA page_size = 16384", error)
      || !store_configure (self, error)
      || !exec_sql (self, app_id, error)
      || !exec_sql (self, "PRAGMA journal_mode = WAL", error)
      || !store_migrate (self, error))
    {
      g_autofree char *doomed = g_strdup (path);

      g_clear_pointer (&self, tw_store_close);
      g_unlink (doomed);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/* Imports write these; on a server workspace they come only from a publish. */
static const char *replica_bulk_tables[] = {
  "geography", "area", "area_rtree", "measure", "period", "stratum", "age_group",
  "outcome_value", "outcome_withheld", "area_attribute",
};

static int
replica_authorize (void       *data,
                   int         action,
                   const char *table,
                   const char *detail,
                   const char *database,
                   const char *trigger)
{
  if ((action != SQLITE_INSERT && action != SQLITE_UPDATE && action != SQLITE_DELETE)
      || table == NULL || g_strcmp0 (database, "main") != 0)
    return SQLITE_OK;
  for (guint i = 0; i < G_N_ELEMENTS (replica_bulk_tables); i++)
    if (strcmp (table, replica_bulk_tables[i]) == 0)
      return SQLITE_DENY;
  return SQLITE_OK;
}

/* A replica of a server workspace keeps to what the server allows: a full one refuses
 * imports (they would stay on this machine), a viewer's or partner's every edit. */
static gboolean
store_configure_replica (TwStore  *self,
                         GError  **error)
{
  g_autofree char *uri = NULL;

  self->replica_role = tw_store_get_setting (self, TW_PG_KEY_REPLICA_ROLE);
  if (self->replica_role == NULL || self->replica_syncing)
    return TRUE;
  uri = tw_store_get_setting (self, TW_PG_KEY_REPLICA_URI);
  self->replica_workspace = g_strdup (uri != NULL ? uri : "?");
  if (strcmp (self->replica_role, "full") != 0)
    return exec_sql (self, "PRAGMA query_only = 1", error);
  sqlite3_set_authorizer (self->db, replica_authorize, self);
  return TRUE;
}

/* A bulk import killed in rollback-journal mode (tw_store_begin_bulk) leaves the file out
 * of the write-ahead log, its journal undone by this open: put the log back. Without
 * waiting: while another connection has the file open the change is refused, and the next
 * open tries again. A file that refuses writes stays as it is. */
static void
store_restore_wal (TwStore *self)
{
  sqlite3_stmt *stmt = NULL;
  gboolean wal = TRUE;
  int query_only = 0;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  sqlite3_finalize (stmt);
  if (wal || !pragma_int (self, "query_only", &query_only, NULL) || query_only)
    return;
  sqlite3_busy_handler (self->db, NULL, NULL);
  sqlite3_exec (self->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
  store_wait_for_writers (self);
}

static TwStore *
open_file (const char  *path,
           gboolean     for_replica,
           GError     **error)
{
  g_autoptr(TwStore) self = NULL;
  g_autoptr(GError) inner = NULL;
  int app_id = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_NOT_FOUND,
                   "%s: no such project file; create one with 'tractwise-cli new %s'",
                   path, path);
      return NULL;
    }

  self = store_new (path);
  self->replica_syncing = for_replica;
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_EXRESCODE,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_NOT_A_PROJECT,
                   "%s: cannot open the file (%s); check that it is readable and writable",
                   path, self->db ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }

  /* Another connection may be opening the file at this moment (the window reads the summary
   * and the areas side by side): wait for its locks rather than read a zero. */
  store_wait_for_writers (self);

  /* Nothing is written before the file is known to be ours and not from the future. */
  if (!pragma_int (self, "application_id", &app_id, &inner)
      && g_error_matches (inner, TW_STORE_ERROR, TW_STORE_ERROR_BUSY))
    {
      g_propagate_error (error, g_steal_pointer (&inner));
      return NULL;
    }
  if (inner != NULL || app_id != TW_STORE_APPLICATION_ID)
    {
      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_NOT_A_PROJECT,
                   "%s: not a Tractwise project file; open a .tractwise file, or create one "
                   "with 'tractwise-cli new'", path);
      return NULL;
    }

  if (!pragma_int (self, "user_version", &self->schema_version, error))
    return NULL;
  if (self->schema_version > TW_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_TOO_NEW,
                   "%s: made by a newer version of Tractwise (project format %d; this "
                   "version reads up to %d); update Tractwise to open it. The file was "
                   "not changed.", path, self->schema_version, TW_STORE_SCHEMA_VERSION);
      return NULL;
    }

  if (!store_configure (self, error)
      || (self->schema_version < TW_STORE_SCHEMA_VERSION
          && (!exec_sql (self, "PRAGMA journal_mode = WAL", error)
              || !store_migrate (self, error))))
    return NULL;

  /* A review copy stays as it was built: SQLite refuses writes too, whatever asks. */
  self->review_package = tw_store_get_setting (self, TW_STORE_KEY_REVIEW_PACKAGE);
  if (self->review_package != NULL && !exec_sql (self, "PRAGMA query_only = 1", error))
    return NULL;
  if (!store_configure_replica (self, error))
    return NULL;
  store_restore_wal (self);

  return g_steal_pointer (&self);
}

TwStore *
tw_store_open (const char  *location,
               GError     **error)
{
  g_autofree char *replica = NULL;

  g_return_val_if_fail (location != NULL, NULL);

  if (!tw_pg_is_workspace_uri (location) || g_file_test (location, G_FILE_TEST_EXISTS))
    return open_file (location, FALSE, error);
  replica = tw_pg_replica_sync (location, NULL, error);
  return replica != NULL ? open_file (replica, FALSE, error) : NULL;
}

TwStore *
tw_store_open_for_replica (const char  *path,
                           GError     **error)
{
  return open_file (path, TRUE, error);
}

void
tw_store_close (TwStore *self)
{
  if (self == NULL)
    return;

  if (self->in_transaction)
    tw_store_rollback (self);
  if (self->in_group)
    tw_store_end_group (self, FALSE, NULL);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_free (self->path);
  g_free (self->review_package);
  g_free (self->replica_role);
  g_free (self->replica_workspace);
  g_clear_object (&self->cancellable);
  g_free (self->wait_sign);
  g_free (self->wait_holder);
  g_free (self);
}

void
tw_store_set_wait_func (TwStore         *self,
                        TwStoreWaitFunc  func,
                        gpointer         user_data)
{
  g_return_if_fail (self != NULL);
  self->wait_func = func;
  self->wait_data = user_data;
}

void
tw_store_set_cancellable (TwStore      *self,
                          GCancellable *cancellable)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_set_object (&self->cancellable, cancellable);
}

sqlite3 *
tw_store_get_db (TwStore *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->db;
}

const char *
tw_store_get_path (TwStore *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->path;
}

int
tw_store_get_schema_version (TwStore *self)
{
  g_return_val_if_fail (self != NULL, -1);
  return self->schema_version;
}

static gboolean
is_published_replica (TwStore *self)
{
  return self->replica_workspace != NULL && strcmp (self->replica_role, "full") != 0;
}

static gboolean
is_full_replica (TwStore *self)
{
  return self->replica_workspace != NULL && strcmp (self->replica_role, "full") == 0;
}

gboolean
tw_store_is_review (TwStore *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->review_package != NULL || is_published_replica (self);
}

static gboolean
refuse_review (TwStore  *self,
               GError  **error)
{
  if (is_published_replica (self))
    {
      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_READ_ONLY,
                   "you read the published figures of this team workspace as a %s: nothing "
                   "in it can be changed from your login (partners add comments with "
                   "'tractwise-cli comment')", self->replica_role);
      return TRUE;
    }
  if (self->review_package == NULL)
    return FALSE;
  g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_READ_ONLY,
               "this is a read-only review copy of the share package '%s': nothing in it can "
               "be changed (a reviewer's comments are saved to a separate file)",
               self->review_package);
  return TRUE;
}

gboolean
tw_store_set_sql_error (TwStore     *self,
                        GError     **error,
                        const char  *what)
{
  if (is_busy (sqlite3_extended_errcode (self->db)))
    return set_busy_error (self, error);
  if (sqlite3_errcode (self->db) == SQLITE_AUTH && is_full_replica (self))
    {
      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_READ_ONLY,
                   "a team workspace takes its areas, outcomes and attributes from a "
                   "published file: import into a workspace file and publish it as a new "
                   "workspace (tractwise-cli publish FILE URI); partners, projects, comments "
                   "and the policy are edited here");
      return FALSE;
    }
  g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_SQL, "%s: %s: %s",
               self->path, what, sqlite3_errmsg (self->db));
  return FALSE;
}

gboolean
tw_store_begin (TwStore  *self,
                GError  **error)
{
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (refuse_review (self, error))
    return FALSE;
  if (self->in_group)
    {
      if (!exec_sql (self, "SAVEPOINT tw_step", error))
        return FALSE;
      self->in_transaction = TRUE;
      return TRUE;
    }
  rc = sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  /* A statement stepped and left unreset holds a read snapshot: SQLite cannot wait for the
   * write lock then, and fails at once (SQLITE_BUSY_SNAPSHOT when another program wrote since
   * that read). Let go of the snapshot and wait like any writer. */
  if (is_busy (rc) && sqlite3_get_autocommit (self->db))
    {
      gboolean reading = FALSE;

      for (sqlite3_stmt *stmt = sqlite3_next_stmt (self->db, NULL); stmt != NULL;
           stmt = sqlite3_next_stmt (self->db, stmt))
        if (sqlite3_stmt_busy (stmt))
          {
            sqlite3_reset (stmt);
            reading = TRUE;
          }
      if (reading)
        rc = sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    }
  if (rc != SQLITE_OK)
    return is_busy (rc) ? set_busy_error (self, error)
                        : tw_store_set_sql_error (self, error, "starting a transaction");
  self->in_transaction = TRUE;
  self->changes_at_begin = sqlite3_total_changes64 (self->db);
  return TRUE;
}

/* A full replica's committed edit goes to the server at once; the push's own refresh of
 * the replica is no edit to send again. */
static gboolean
push_edits (TwStore  *self,
            GError  **error)
{
  gboolean ok;

  if (!is_full_replica (self) || self->pushing)
    return TRUE;
  self->pushing = TRUE;
  ok = tw_pg_replica_push (self, error);
  self->pushing = FALSE;
  return ok;
}

gboolean
tw_store_commit (TwStore  *self,
                 GError  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  if (!exec_sql (self, self->in_group ? "RELEASE tw_step" : "COMMIT", error))
    {
      tw_store_rollback (self);
      return FALSE;
    }
  self->in_transaction = FALSE;
  if (sqlite3_total_changes64 (self->db) == self->changes_at_begin)
    return TRUE;
  return push_edits (self, error);
}

void
tw_store_rollback (TwStore *self)
{
  g_return_if_fail (self != NULL);

  if (!self->in_transaction)
    return;
  /* Statements still stepping would keep the transaction open. */
  {
    GHashTableIter iter;
    gpointer stmt;

    g_hash_table_iter_init (&iter, self->statements);
    while (g_hash_table_iter_next (&iter, NULL, &stmt))
      sqlite3_reset (stmt);
  }
  sqlite3_exec (self->db, self->in_group ? "ROLLBACK TO tw_step; RELEASE tw_step" : "ROLLBACK",
                NULL, NULL, NULL);
  self->in_transaction = FALSE;
}

gboolean
tw_store_begin_group (TwStore  *self,
                      GError  **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->in_transaction && !self->in_group, FALSE);

  if (!tw_store_begin (self, error))
    return FALSE;
  self->in_transaction = FALSE;
  self->in_group = TRUE;
  return TRUE;
}

gboolean
tw_store_end_group (TwStore   *self,
                    gboolean   keep,
                    GError   **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->in_group && !self->in_transaction, FALSE);

  self->in_group = FALSE;
  self->in_transaction = TRUE;
  if (keep)
    return tw_store_commit (self, error);
  tw_store_rollback (self);
  return TRUE;
}

sqlite3_stmt *
tw_store_prepare (TwStore     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL)
      != SQLITE_OK)
    {
      tw_store_set_sql_error (self, error, "preparing a statement");
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
tw_store_step_done (TwStore       *self,
                    sqlite3_stmt  *stmt,
                    const char    *what,
                    GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (self, error, what);
  return TRUE;
}

char *
tw_store_column_dup (sqlite3_stmt *stmt,
                     int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

double
tw_store_column_double (sqlite3_stmt *stmt,
                        int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NAN;
  return sqlite3_column_double (stmt, column);
}

GStrv
tw_store_collect_texts (TwStore       *self,
                        sqlite3_stmt  *stmt,
                        const char    *what,
                        GError       **error)
{
  g_autoptr(GStrvBuilder) texts = g_strv_builder_new ();
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
      g_strv_builder_add (texts, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (self, error, what);
      return NULL;
    }
  return g_strv_builder_end (texts);
}

char *
tw_store_get_setting (TwStore    *self,
                      const char *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = tw_store_prepare (self, "SELECT value FROM setting WHERE key = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

gboolean
tw_store_set_setting (TwStore     *self,
                      const char  *key,
                      const char  *value,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (refuse_review (self, error))
    return FALSE;
  stmt = tw_store_prepare (self,
                           "INSERT INTO setting (key, value) VALUES (?1, ?2) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (self, error, "storing a setting");
  if (!self->in_transaction && !g_str_has_prefix (key, "team."))
    return push_edits (self, error);
  return TRUE;
}

gboolean
tw_store_audit (TwStore     *self,
                const char  *action,
                const char  *detail,
                GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  if (refuse_review (self, error))
    return FALSE;
  stmt = tw_store_prepare (self, "INSERT INTO audit_log (action, detail) VALUES (?1, ?2)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, detail, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (self, error, "writing the audit log");
  return TRUE;
}

/* Joins the first column of every row of @sql (with one optional text parameter). */
static GStrv
collect_strings (TwStore    *self,
                 const char *sql,
                 gint64      param)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt = tw_store_prepare (self, sql, NULL);

  if (stmt != NULL)
    {
      if (param >= 0)
        sqlite3_bind_int64 (stmt, 1, param);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  return g_strv_builder_end (builder);
}

static char *
list_names (TwStore    *self,
            const char *sql)
{
  g_auto(GStrv) names = collect_strings (self, sql, -1);

  if (names[0] == NULL)
    return g_strdup ("none");
  return g_strjoinv (", ", names);
}

gint64
tw_store_resolve_geography (TwStore     *self,
                            const char  *name,
                            GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = -1;
  int found = 0;

  g_return_val_if_fail (self != NULL, -1);

  if (name != NULL)
    stmt = tw_store_prepare (self, "SELECT id FROM geography WHERE name = ?1", error);
  else
    stmt = tw_store_prepare (self, "SELECT id FROM geography LIMIT 2", error);
  if (stmt == NULL)
    return -1;
  if (name != NULL)
    sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      id = sqlite3_column_int64 (stmt, 0);
      found++;
    }
  sqlite3_reset (stmt);

  if (found == 1)
    return id;

  {
    g_autofree char *names = list_names (self, "SELECT name FROM geography ORDER BY name");

    if (name != NULL)
      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                   "%s: no geography named '%s' (there are: %s); give one of those with "
                   "--geography", self->path, name, names);
    else if (found == 0)
      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                   "%s: the project has no areas yet; import some with "
                   "'tractwise-cli import-areas'", self->path);
    else
      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                   "%s: the project holds several geographies (%s); say which with "
                   "--geography NAME", self->path, names);
  }
  return -1;
}

gint64
tw_store_resolve_measure (TwStore     *self,
                          const char  *code,
                          GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = -1;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (code != NULL, -1);

  stmt = tw_store_prepare (self, "SELECT id FROM measure WHERE code = ?1", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (id < 0)
    {
      g_autofree char *codes = list_names (self, "SELECT code FROM measure ORDER BY code");

      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                   "%s: no measure '%s' (there are: %s); give one of those with --measure",
                   self->path, code, codes);
    }
  return id;
}

static int
compare_labels (gconstpointer a,
                gconstpointer b)
{
  const char *la = *(const char *const *) a, *lb = *(const char *const *) b;

  /* The overall figure comes first. */
  if (g_str_equal (la, "all") != g_str_equal (lb, "all"))
    return g_str_equal (la, "all") ? -1 : 1;
  return strcmp (la, lb);
}

/* Walks the distinct (period, stratum) keys of a measure's outcomes by seeking from one to
 * the next through the primary key: a few dozen seeks instead of a scan of millions of
 * rows. */
static gboolean
list_keys (TwStore     *self,
           gint64       measure_id,
           gboolean     strata,
           const char  *period,
           GStrv       *labels,
           GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *same, *later, *next;
  gint64 period_id = -1, stratum_id = -1, only_period = -1;
  GHashTableIter iter;
  gpointer key;

  if (period != NULL)
    {
      sqlite3_stmt *find = tw_store_prepare (self, "SELECT id FROM period WHERE label = ?1",
                                             error);
      if (find == NULL)
        return FALSE;
      sqlite3_bind_text (find, 1, period, -1, SQLITE_STATIC);
      only_period = sqlite3_step (find) == SQLITE_ROW ? sqlite3_column_int64 (find, 0) : -2;
      sqlite3_reset (find);
      period_id = only_period;
    }

  /* Two seeks rather than one row-value comparison, (period, stratum) > (?2, ?3): SQLite
   * seeks that on the period alone and then steps over every row of the strata before. */
  same = tw_store_prepare (self,
                           "SELECT v.period_id, v.stratum_id, p.label, s.label "
                           "FROM outcome_value v "
                           "JOIN period p ON p.id = v.period_id "
                           "JOIN stratum s ON s.id = v.stratum_id "
                           "WHERE v.measure_id = ?1 AND v.period_id = ?2 AND v.stratum_id > ?3 "
                           "ORDER BY v.stratum_id LIMIT 1", error);
  if (same == NULL)
    return FALSE;
  later = tw_store_prepare (self,
                            "SELECT v.period_id, v.stratum_id, p.label, s.label "
                            "FROM outcome_value v "
                            "JOIN period p ON p.id = v.period_id "
                            "JOIN stratum s ON s.id = v.stratum_id "
                            "WHERE v.measure_id = ?1 AND v.period_id > ?2 "
                            "ORDER BY v.period_id, v.stratum_id LIMIT 1", error);
  if (later == NULL)
    return FALSE;

  while (only_period != -2)
    {
      gboolean found = FALSE;

      next = NULL;
      if (stratum_id != G_MAXINT64)
        {
          sqlite3_bind_int64 (same, 1, measure_id);
          sqlite3_bind_int64 (same, 2, period_id);
          sqlite3_bind_int64 (same, 3, stratum_id);
          if (sqlite3_step (same) == SQLITE_ROW)
            {
              found = TRUE;
              next = same;
            }
          else
            sqlite3_reset (same);
        }
      if (!found)
        {
          sqlite3_bind_int64 (later, 1, measure_id);
          sqlite3_bind_int64 (later, 2, period_id);
          next = later;
          found = sqlite3_step (later) == SQLITE_ROW;
        }
      if (found)
        {
          gint64 found_period = sqlite3_column_int64 (next, 0);

          if (only_period >= 0 && found_period != only_period)
            found = FALSE;
          else
            {
              const char *label = (const char *) sqlite3_column_text (next, strata ? 3 : 2);

              if (!g_hash_table_contains (seen, label))
                g_hash_table_add (seen, g_strdup (label));
              period_id = found_period;
              stratum_id = sqlite3_column_int64 (next, 1);
              /* Listing periods only: jump past every stratum of this one. */
              if (!strata)
                stratum_id = G_MAXINT64;
            }
        }
      sqlite3_reset (next);
      if (!found)
        break;
    }

  /* A review copy's withheld cells have keys too (a group suppressed everywhere has no
   * other row). The table is empty in every other project. */
  if (only_period != -2)
    {
      sqlite3_stmt *withheld = tw_store_prepare (self,
                                                 "SELECT DISTINCT p.label, s.label "
                                                 "FROM outcome_withheld w "
                                                 "JOIN period p ON p.id = w.period_id "
                                                 "JOIN stratum s ON s.id = w.stratum_id "
                                                 "WHERE w.measure_id = ?1 "
                                                 "  AND (?2 < 0 OR w.period_id = ?2)", error);

      if (withheld == NULL)
        return FALSE;
      sqlite3_bind_int64 (withheld, 1, measure_id);
      sqlite3_bind_int64 (withheld, 2, only_period);
      while (sqlite3_step (withheld) == SQLITE_ROW)
        {
          const char *label = (const char *) sqlite3_column_text (withheld, strata ? 1 : 0);

          if (!g_hash_table_contains (seen, label))
            g_hash_table_add (seen, g_strdup (label));
        }
      sqlite3_reset (withheld);
    }

  g_hash_table_iter_init (&iter, seen);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (sorted, key);
  g_ptr_array_sort (sorted, compare_labels);
  for (guint i = 0; i < sorted->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (sorted, i));
  *labels = g_strv_builder_end (builder);
  return TRUE;
}

GStrv
tw_store_list_periods (TwStore  *self,
                       gint64    measure_id,
                       GError  **error)
{
  GStrv labels = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (!list_keys (self, measure_id, FALSE, NULL, &labels, error))
    return NULL;
  return labels;
}

GStrv
tw_store_list_strata (TwStore     *self,
                      gint64       measure_id,
                      const char  *period,
                      GError     **error)
{
  GStrv labels = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (!list_keys (self, measure_id, TRUE, period, &labels, error))
    return NULL;
  return labels;
}

static void
geography_summary_free (gpointer data)
{
  TwGeographySummary *geography = data;

  g_free (geography->name);
  g_free (geography->level);
  g_free (geography);
}

static void
measure_summary_free (gpointer data)
{
  TwMeasureSummary *measure = data;

  g_free (measure->code);
  g_free (measure->label);
  g_free (measure->kind);
  g_strfreev (measure->periods);
  g_strfreev (measure->strata);
  g_free (measure);
}

void
tw_project_summary_free (TwProjectSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_pointer (&summary->geographies, g_ptr_array_unref);
  g_clear_pointer (&summary->measures, g_ptr_array_unref);
  g_free (summary);
}

static gint64
count_rows (TwStore    *self,
            const char *sql)
{
  sqlite3_stmt *stmt = tw_store_prepare (self, sql, NULL);
  gint64 count = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return count;
}

TwProjectSummary *
tw_store_summarize (TwStore  *self,
                    GError  **error)
{
  g_autoptr(TwProjectSummary) summary = g_new0 (TwProjectSummary, 1);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, NULL);

  summary->schema_version = self->schema_version;
  summary->geographies = g_ptr_array_new_with_free_func (geography_summary_free);
  summary->measures = g_ptr_array_new_with_free_func (measure_summary_free);

  stmt = tw_store_prepare (self,
                           "SELECT g.name, g.level, g.vintage, "
                           "  (SELECT count(*) FROM area a WHERE a.geography_id = g.id) "
                           "FROM geography g ORDER BY g.id", error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      TwGeographySummary *geography = g_new0 (TwGeographySummary, 1);

      geography->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      geography->level = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      geography->vintage = sqlite3_column_int (stmt, 2);
      geography->areas = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (summary->geographies, geography);
    }
  sqlite3_reset (stmt);

  stmt = tw_store_prepare (self,
                           "SELECT id, code, label, kind, multiplier FROM measure ORDER BY code",
                           error);
  if (stmt == NULL)
    return NULL;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      TwMeasureSummary *measure = g_new0 (TwMeasureSummary, 1);
      gint64 id = sqlite3_column_int64 (stmt, 0);

      measure->code = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      measure->label = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      measure->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      measure->per = sqlite3_column_double (stmt, 4);
      g_ptr_array_add (summary->measures, measure);

      measure->periods = tw_store_list_periods (self, id, NULL);
      measure->strata = tw_store_list_strata (self, id, NULL, NULL);
      {
        sqlite3_stmt *rows = tw_store_prepare (self,
                                               "SELECT count(*) FROM outcome_value "
                                               "WHERE measure_id = ?1", NULL);
        if (rows != NULL)
          {
            sqlite3_bind_int64 (rows, 1, id);
            if (sqlite3_step (rows) == SQLITE_ROW)
              measure->rows = sqlite3_column_int64 (rows, 0);
            sqlite3_reset (rows);
          }
      }
    }
  sqlite3_reset (stmt);

  summary->partners = count_rows (self, "SELECT count(*) FROM partner");
  summary->projects = count_rows (self, "SELECT count(*) FROM project");

  return g_steal_pointer (&summary);
}
