/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-pg"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "tw-pg.h"
#include "tw-pg-private.h"
#include "tw-store-import.h"
#include "tw-store-private.h"

/* Publish, checkout and checkin: the file's tables and the workspace's hold the same
 * columns, so every table moves by one generic path, in COPY's text format. */

typedef struct
{
  const char *table;
  const char *columns;  /* the same in both stores; '*' before a name marks WKB geometry */
  const char *key;      /* rows people edit: the column naming a row, else NULL */
} TableSpec;

/* In the order foreign keys allow. */
static const TableSpec tables[] = {
  { "geography", "id,name,level,vintage,source,source_crs,imported_at", NULL },
  { "area", "id,geography_id,geoid,name,*geom,min_lon,min_lat,max_lon,max_lat", NULL },
  { "measure", "id,code,label,kind,multiplier,higher_is_worse,source", NULL },
  { "period", "id,label", NULL },
  { "stratum", "id,label", NULL },
  { "age_group", "id,label", NULL },
  { "outcome_value", "measure_id,period_id,stratum_id,area_id,age_group_id,numerator,"
                     "denominator", NULL },
  { "outcome_withheld", "measure_id,period_id,stratum_id,area_id,denominator", NULL },
  { "area_attribute", "area_id,name,value,source", NULL },
  { "partner", "id,name,kind,contact,email,phone,agreement,notes", "id" },
  { "project", "id,title,aim,measure_id,stratum,geography_id,start_date,end_date,status,"
               "budget,goal_percent,notes", "id" },
  { "project_partner", "project_id,partner_id,role", NULL },
  { "project_area", "project_id,area_id", NULL },
  { "milestone", "id,project_id,title,due_date,done_date", "id" },
  { "comment", "id,project_id,area_id,author,body,created_at", "id" },
  { "setting", "key,value", "key" },
  { "audit_log", "id,at,action,detail", NULL },
};

/* The tables a checkin sends and then reads back, children first (the order of deletes). */
static const char *team_tables_children_first[] = {
  "comment", "milestone", "project_area", "project_partner", "project", "partner", "setting",
};

/* Rows of the file that never leave it: the record of its own checkout. */
#define LOCAL_ONLY_FILTER(spec) \
  (strcmp ((spec)->table, "setting") == 0 ? " WHERE key NOT LIKE 'team.%'" : "")

#define COPY_CHUNK (256 * 1024)

static const TableSpec *
find_spec (const char *table)
{
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (strcmp (tables[i].table, table) == 0)
      return &tables[i];
  g_assert_not_reached ();
}

/* The columns of @spec: names (without '*'), and which are geometry. */
static GStrv
spec_columns (const TableSpec *spec,
              gboolean       **is_geometry)
{
  g_auto(GStrv) names = g_strsplit (spec->columns, ",", -1);
  guint n = g_strv_length (names);

  if (is_geometry != NULL)
    *is_geometry = g_new0 (gboolean, n);
  for (guint i = 0; i < n; i++)
    if (names[i][0] == '*')
      {
        char *plain = g_strdup (names[i] + 1);

        g_free (names[i]);
        names[i] = plain;
        if (is_geometry != NULL)
          (*is_geometry)[i] = TRUE;
      }
  return g_steal_pointer (&names);
}

static char *
plain_columns (const TableSpec *spec)
{
  g_auto(GStrv) names = spec_columns (spec, NULL);

  return g_strjoinv (",", names);
}

static sqlite3_stmt *
prepare_file_sql (TwStore     *store,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (tw_store_get_db (store), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      tw_store_set_sql_error (store, error, "reading the project file");
      return NULL;
    }
  return stmt;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static void
append_copy_text (GString    *line,
                  const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    switch (*p)
      {
      case '\\': g_string_append (line, "\\\\"); break;
      case '\n': g_string_append (line, "\\n"); break;
      case '\r': g_string_append (line, "\\r"); break;
      case '\t': g_string_append (line, "\\t"); break;
      default: g_string_append_c (line, *p); break;
      }
}

/* A double as the shortest text that reads back as the same double. */
static void
append_double (GString *line,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  for (int digits = 15; digits <= 17; digits++)
    {
      g_ascii_formatd (buffer, sizeof buffer, digits == 15 ? "%.15g" : digits == 16 ? "%.16g"
                                                                                    : "%.17g",
                       value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (line, buffer);
}

/* The current row of @stmt, columns [first, n), as one line of COPY text. */
static void
append_file_row (GString      *line,
                 sqlite3_stmt *stmt,
                 int           first)
{
  int n = sqlite3_column_count (stmt);

  for (int i = first; i < n; i++)
    {
      if (i > first)
        g_string_append_c (line, '\t');
      switch (sqlite3_column_type (stmt, i))
        {
        case SQLITE_NULL:
          g_string_append (line, "\\N");
          break;
        case SQLITE_INTEGER:
          g_string_append_printf (line, "%" G_GINT64_FORMAT,
                                  (gint64) sqlite3_column_int64 (stmt, i));
          break;
        case SQLITE_FLOAT:
          append_double (line, sqlite3_column_double (stmt, i));
          break;
        case SQLITE_BLOB:
          {
            const guchar *bytes = sqlite3_column_blob (stmt, i);
            int size = sqlite3_column_bytes (stmt, i);

            /* Hex WKB: what PostGIS reads as geometry. */
            for (int b = 0; b < size; b++)
              g_string_append_printf (line, "%02X", bytes[b]);
          }
          break;
        default:
          append_copy_text (line, (const char *) sqlite3_column_text (stmt, i));
          break;
        }
    }
  g_string_append_c (line, '\n');
}

/* Ends a COPY FROM STDIN (with @failure when not NULL) and reads its result. */
static gboolean
end_copy_in (TwPgWorkspace  *self,
             const char     *failure,
             const char     *what,
             GError        **error)
{
  PGconn *conn = tw_pg_workspace_get_conn (self);
  gboolean ok = TRUE;
  PGresult *result;

  if (PQputCopyEnd (conn, failure) != 1)
    ok = tw_pg_set_error (self, NULL, what, error);
  while ((result = PQgetResult (conn)) != NULL)
    {
      if (ok && PQresultStatus (result) != PGRES_COMMAND_OK)
        ok = tw_pg_set_error (self, result, what, error);
      PQclear (result);
    }
  return ok;
}

/* Sends @buffer once it holds @at_least bytes (0: whatever it holds); a failure ends the
 * COPY. */
static gboolean
put_copy_data (TwPgWorkspace  *self,
               GString        *buffer,
               gsize           at_least,
               const char     *what,
               GError        **error)
{
  if (buffer->len == 0 || buffer->len < at_least)
    return TRUE;
  if (PQputCopyData (tw_pg_workspace_get_conn (self), buffer->str, (int) buffer->len) != 1)
    {
      tw_pg_set_error (self, NULL, what, error);
      end_copy_in (self, "failed", what, NULL);
      return FALSE;
    }
  g_string_truncate (buffer, 0);
  return TRUE;
}

/* COPYs the file's @spec table into the workspace. */
static gboolean
publish_table (TwPgWorkspace    *self,
               TwStore          *store,
               const TableSpec  *spec,
               gint64           *n_rows,
               GError          **error)
{
  g_autofree char *columns = plain_columns (spec);
  g_autofree char *select = g_strdup_printf ("SELECT %s FROM %s%s", columns, spec->table,
                                             LOCAL_ONLY_FILTER (spec));
  g_autofree char *copy = g_strdup_printf ("COPY %s (%s) FROM STDIN", spec->table, columns);
  g_autofree char *what = g_strdup_printf ("publishing the table %s", spec->table);
  g_autoptr(sqlite3_stmt) stmt = prepare_file_sql (store, select, error);
  g_autoptr(GString) buffer = NULL;
  g_autoptr(PGresult) started = NULL;
  int rc;

  if (stmt == NULL)
    return FALSE;
  started = PQexec (tw_pg_workspace_get_conn (self), copy);
  if (PQresultStatus (started) != PGRES_COPY_IN)
    return tw_pg_set_error (self, started, what, error);

  buffer = g_string_sized_new (COPY_CHUNK + 4096);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      append_file_row (buffer, stmt, 0);
      (*n_rows)++;
      if (!put_copy_data (self, buffer, COPY_CHUNK, what, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      end_copy_in (self, "the project file could not be read", what, NULL);
      return tw_store_set_sql_error (store, error, "reading the project file");
    }
  return put_copy_data (self, buffer, 0, what, error) && end_copy_in (self, NULL, what, error);
}

static gboolean
workspace_is_empty (TwPgWorkspace  *self,
                    GError        **error)
{
  g_autoptr(PGresult) result = tw_pg_exec (self, "looking into the workspace", error,
                                           "SELECT NOT EXISTS (SELECT 1 FROM geography)"
                                           "   AND NOT EXISTS (SELECT 1 FROM measure)"
                                           "   AND NOT EXISTS (SELECT 1 FROM partner)"
                                           "   AND NOT EXISTS (SELECT 1 FROM project)"
                                           "   AND NOT EXISTS (SELECT 1 FROM setting)",
                                           0, NULL);

  if (result == NULL)
    return FALSE;
  if (strcmp (PQgetvalue (result, 0, 0), "t") != 0)
    {
      g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_NOT_EMPTY,
                   "workspace '%s' already holds data; publish into a new workspace name, "
                   "or check out, edit and check in", tw_pg_workspace_get_name (self));
      return FALSE;
    }
  return TRUE;
}

/* Loading an empty table, its key is built once at the end (a sorted build) rather than
 * row by row: a third of the time of the nation's outcomes. */
static gboolean
drop_key (TwPgWorkspace  *self,
          const char     *table,
          GError        **error)
{
  g_autofree char *sql = g_strdup_printf ("ALTER TABLE %s DROP CONSTRAINT %s_pkey", table,
                                          table);

  return tw_pg_run (self, "preparing the bulk load", error, sql, 0, NULL);
}

static gboolean
add_key (TwPgWorkspace  *self,
         const char     *table,
         const char     *columns,
         GError        **error)
{
  g_autofree char *sql = g_strdup_printf ("ALTER TABLE %s ADD PRIMARY KEY (%s)", table, columns);

  return tw_pg_run (self, "indexing the bulk load", error, sql, 0, NULL);
}

#define OUTCOME_KEY "measure_id, period_id, stratum_id, area_id, age_group_id"
#define PUBLISHED_KEY "measure, period, stratum, geography, geoid"

/* New rows on the server take ids after the file's. */
static gboolean
restart_identities (TwPgWorkspace  *self,
                    GError        **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = NULL;

      if (!g_str_has_prefix (tables[i].columns, "id,"))
        continue;
      sql = g_strdup_printf ("SELECT setval (pg_get_serial_sequence ('%s', 'id'),"
                             "               coalesce (max (id), 0) + 1, false) FROM %s",
                             tables[i].table, tables[i].table);
      if (!tw_pg_run (self, "numbering the workspace's rows", error, sql, 0, NULL))
        return FALSE;
    }
  return TRUE;
}

/* Serialises imports into one workspace: a second waits for the first to commit. */
static gboolean
lock_for_import (TwPgWorkspace  *self,
                 GError        **error)
{
  const char *params[] = { tw_pg_workspace_get_name (self) };

  return tw_pg_run (self, "waiting for another import into the workspace", error,
                    "SELECT pg_advisory_xact_lock (hashtext ('tractwise-import:' || $1))",
                    1, params);
}

gboolean
tw_pg_publish (TwPgWorkspace  *self,
               TwStore        *store,
               GError        **error)
{
  g_autofree char *file = NULL;
  g_autoptr(GString) detail = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (store != NULL, FALSE);

  if (tw_store_is_review (store))
    {
      g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_INVALID,
                   "%s is a review copy of a share package, not a workspace; publish the "
                   "workspace it was shared from", tw_store_get_path (store));
      return FALSE;
    }
  if (!tw_pg_begin (self, error))
    return FALSE;
  if (!lock_for_import (self, error) || !workspace_is_empty (self, error)
      || !drop_key (self, "outcome_value", error))
    goto failed;
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      gint64 n_rows = 0;

      if (!publish_table (self, store, &tables[i], &n_rows, error))
        goto failed;
      g_string_append_printf (detail, "%s%s %" G_GINT64_FORMAT, detail->len > 0 ? ", " : "",
                              tables[i].table, n_rows);
    }
  file = g_path_get_basename (tw_store_get_path (store));
  if (!add_key (self, "outcome_value", OUTCOME_KEY, error)
      || !restart_identities (self, error)
      || !tw_pg_audit (self, "publish", file, detail->str, error)
      || !tw_pg_commit (self, error))
    goto failed;
  return TRUE;

failed:
  tw_pg_rollback (self);
  return FALSE;
}

static void
append_figure (GString *line,
               double   value)
{
  if (isnan (value))
    g_string_append (line, "\\N");
  else
    append_double (line, value);
}

gboolean
tw_pg_replace_published (TwPgWorkspace           *self,
                         const TwPgPublishedRate *rates,
                         gsize                    n_rates,
                         GError                 **error)
{
  const char *what = "publishing the suppressed figures";
  g_autoptr(PGresult) started = NULL;
  g_autoptr(GString) buffer = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (rates != NULL || n_rates == 0, FALSE);

  if (!tw_pg_begin (self, error)
      || !tw_pg_run (self, what, error, "DELETE FROM published_rate", 0, NULL)
      || !drop_key (self, "published_rate", error))
    goto failed;
  started = PQexec (tw_pg_workspace_get_conn (self),
                    "COPY published_rate (geography, geoid, measure, period, stratum, status,"
                    " numerator, denominator, rate, lower, upper) FROM STDIN");
  if (PQresultStatus (started) != PGRES_COPY_IN)
    {
      tw_pg_set_error (self, started, what, error);
      goto failed;
    }
  buffer = g_string_sized_new (COPY_CHUNK + 4096);
  for (gsize i = 0; i < n_rates; i++)
    {
      const TwPgPublishedRate *r = &rates[i];
      const char *texts[] = { r->geography, r->geoid, r->measure, r->period, r->stratum,
                              r->status };
      const double figures[] = { r->numerator, r->denominator, r->rate, r->lower, r->upper };

      for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
        {
          append_copy_text (buffer, texts[t]);
          g_string_append_c (buffer, '\t');
        }
      for (guint t = 0; t < G_N_ELEMENTS (figures); t++)
        {
          append_figure (buffer, figures[t]);
          g_string_append_c (buffer, t + 1 < G_N_ELEMENTS (figures) ? '\t' : '\n');
        }
      if (!put_copy_data (self, buffer, COPY_CHUNK, what, error))
        goto failed;
    }
  if (!put_copy_data (self, buffer, 0, what, error)
      || !end_copy_in (self, NULL, what, error)
      || !add_key (self, "published_rate", PUBLISHED_KEY, error)
      || !tw_pg_commit (self, error))
    goto failed;
  return TRUE;

failed:
  tw_pg_rollback (self);
  return FALSE;
}

/* Reading the workspace into a file. */

/* Splits a line of COPY text into its fields, unescaped in place (NULL for \N). */
static GPtrArray *
split_copy_line (char *line)
{
  GPtrArray *fields = g_ptr_array_new ();
  char *field = line;

  for (;;)
    {
      char *end = field;
      char *out = field;
      gboolean last;

      while (*end != '\t' && *end != '\n' && *end != '\0')
        end++;
      last = *end != '\t';
      *end = '\0';

      if (strcmp (field, "\\N") == 0)
        g_ptr_array_add (fields, NULL);
      else
        {
          for (const char *in = field; *in != '\0'; in++)
            {
              if (*in == '\\' && in[1] != '\0')
                {
                  in++;
                  switch (*in)
                    {
                    case 'n': *out++ = '\n'; break;
                    case 'r': *out++ = '\r'; break;
                    case 't': *out++ = '\t'; break;
                    case 'b': *out++ = '\b'; break;
                    case 'f': *out++ = '\f'; break;
                    case 'v': *out++ = '\v'; break;
                    default: *out++ = *in; break;
                    }
                }
              else
                *out++ = *in;
            }
          *out = '\0';
          g_ptr_array_add (fields, field);
        }
      if (last)
        break;
      field = end + 1;
    }
  return fields;
}

static GBytes *
decode_hex (const char *hex)
{
  gsize length = strlen (hex) / 2;
  guchar *bytes = g_malloc (MAX (length, 1));

  for (gsize i = 0; i < length; i++)
    bytes[i] = (guchar) ((g_ascii_xdigit_value (hex[2 * i]) << 4)
                         | g_ascii_xdigit_value (hex[2 * i + 1]));
  return g_bytes_new_take (bytes, length);
}

typedef enum
{
  BIND_TEXT,
  BIND_INTEGER,
  BIND_REAL,
  BIND_GEOMETRY,
} BindKind;

/* How each column is stored in the file: by its declared type, as SQLite would read it. */
static BindKind *
file_column_kinds (TwStore          *store,
                   const TableSpec  *spec,
                   GError          **error)
{
  g_autofree gboolean *is_geometry = NULL;
  g_auto(GStrv) names = spec_columns (spec, &is_geometry);
  g_autofree char *joined = g_strjoinv (",", names);
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s LIMIT 0", joined, spec->table);
  g_autoptr(sqlite3_stmt) stmt = prepare_file_sql (store, sql, error);
  guint n = g_strv_length (names);
  BindKind *kinds;

  if (stmt == NULL)
    return NULL;
  kinds = g_new0 (BindKind, n);
  for (guint i = 0; i < n; i++)
    {
      const char *type = sqlite3_column_decltype (stmt, (int) i);

      if (is_geometry[i])
        kinds[i] = BIND_GEOMETRY;
      else if (type != NULL && g_ascii_strcasecmp (type, "INTEGER") == 0)
        kinds[i] = BIND_INTEGER;
      else if (type != NULL && g_ascii_strcasecmp (type, "REAL") == 0)
        kinds[i] = BIND_REAL;
      else
        kinds[i] = BIND_TEXT;
    }
  return kinds;
}

static void
bind_field (sqlite3_stmt *stmt,
            int           index,
            BindKind      kind,
            const char   *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, index);
  else if (kind == BIND_INTEGER)
    sqlite3_bind_int64 (stmt, index, g_ascii_strtoll (value, NULL, 10));
  else if (kind == BIND_REAL)
    sqlite3_bind_double (stmt, index, g_ascii_strtod (value, NULL));
  else if (kind == BIND_GEOMETRY)
    {
      g_autoptr(GBytes) bytes = decode_hex (value);
      gsize size = 0;
      gconstpointer data = g_bytes_get_data (bytes, &size);

      sqlite3_bind_blob (stmt, index, data, (int) size, SQLITE_TRANSIENT);
    }
  else
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

/* One line of COPY text bound to @stmt's parameters: 1, or -1 when it is not @n fields. */
static int
bind_text_row (sqlite3_stmt   *stmt,
               const BindKind *kinds,
               guint           n,
               char           *line)
{
  g_autoptr(GPtrArray) fields = split_copy_line (line);

  if (fields->len != n)
    return -1;
  for (guint i = 0; i < n; i++)
    bind_field (stmt, (int) i + 1, kinds[i], g_ptr_array_index (fields, i));
  return 1;
}

static gboolean
read_be (const guchar **p,
         const guchar  *end,
         gsize          size,
         guint64       *value)
{
  if ((gsize) (end - *p) < size)
    return FALSE;
  *value = 0;
  for (gsize i = 0; i < size; i++)
    *value = (*value << 8) | (*p)[i];
  *p += size;
  return TRUE;
}

/* The binary format's signature, flags and header extension, before the first row. */
static gboolean
skip_binary_header (const guchar **p,
                    const guchar  *end)
{
  static const guchar signature[] = "PGCOPY\n\377\r\n";
  guint64 flags, extension;

  if ((gsize) (end - *p) < sizeof signature || memcmp (*p, signature, sizeof signature) != 0)
    return FALSE;
  *p += sizeof signature;
  if (!read_be (p, end, 4, &flags) || !read_be (p, end, 4, &extension)
      || (guint64) (end - *p) < extension)
    return FALSE;
  *p += extension;
  return TRUE;
}

/* One row of COPY's binary format at *@p bound to @stmt's parameters (the columns cast as
 * @kinds say): 1, 0 for the trailer, -1 for anything else. */
static int
bind_binary_row (sqlite3_stmt   *stmt,
                 const BindKind *kinds,
                 guint           n,
                 const guchar  **p,
                 const guchar   *end)
{
  guint64 count;

  if (!read_be (p, end, 2, &count))
    return -1;
  if (count == 0xffff)
    return 0;
  if (count != n)
    return -1;
  for (guint i = 0; i < n; i++)
    {
      guint64 length, bits;
      double real;

      if (!read_be (p, end, 4, &length))
        return -1;
      if (length == 0xffffffff)
        {
          sqlite3_bind_null (stmt, (int) i + 1);
          continue;
        }
      if ((guint64) (end - *p) < length)
        return -1;
      switch (kinds[i])
        {
        case BIND_INTEGER:
          if (length != 8 || !read_be (p, end, 8, &bits))
            return -1;
          sqlite3_bind_int64 (stmt, (int) i + 1, (gint64) bits);
          break;
        case BIND_REAL:
          if (length != 8 || !read_be (p, end, 8, &bits))
            return -1;
          memcpy (&real, &bits, sizeof real);
          sqlite3_bind_double (stmt, (int) i + 1, real);
          break;
        case BIND_GEOMETRY:
          sqlite3_bind_blob (stmt, (int) i + 1, *p, (int) length, SQLITE_STATIC);
          *p += length;
          break;
        default:
          sqlite3_bind_text (stmt, (int) i + 1, (const char *) *p, (int) length,
                             SQLITE_STATIC);
          *p += length;
          break;
        }
    }
  return 1;
}

/* A row of outcome_value in COPY's binary format (five int8, two float8) appended to
 * @rows: 1, 0 for the trailer, -1 for anything else. */
static int
read_binary_outcome (GArray        *rows,
                     const guchar **p,
                     const guchar  *end)
{
  guint64 count, fields[7];
  TwOutcomeRow row;

  if (!read_be (p, end, 2, &count))
    return -1;
  if (count == 0xffff)
    return 0;
  if (count != G_N_ELEMENTS (fields))
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      guint64 length;

      if (!read_be (p, end, 4, &length) || length != 8 || !read_be (p, end, 8, &fields[i]))
        return -1;
    }
  row.measure_id = (gint64) fields[0];
  row.period_id = (gint64) fields[1];
  row.stratum_id = (gint64) fields[2];
  row.area_id = (gint64) fields[3];
  row.age_group_id = (gint64) fields[4];
  memcpy (&row.numerator, &fields[5], sizeof (double));
  memcpy (&row.denominator, &fields[6], sizeof (double));
  g_array_append_val (rows, row);
  return 1;
}

static gboolean
add_outcomes (TwStore  *store,
              GArray   *rows,
              GError  **error)
{
  gssize stored = tw_store_add_outcomes (store, (const TwOutcomeRow *) rows->data, rows->len,
                                         error);
  gboolean whole = stored >= 0 && (gsize) stored == rows->len;

  if (stored >= 0 && !whole)
    g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_SERVER,
                 "checking out the outcomes: the server sent one twice; ask the workspace's "
                 "owner to check its table outcome_value");
  g_array_set_size (rows, 0);
  return whole;
}

#define COPY_BATCH 2048
#define COPY_BATCHES_AHEAD 64

typedef struct
{
  PGconn      *conn;
  GAsyncQueue *batches;  /* of GPtrArray of GBytes, one each row; an empty one ends them */
  GAsyncQueue *spare;    /* batches the writer is done with, to be filled again */
  int          length;   /* PQgetCopyData's last answer: -1 done, -2 failed */
} CopyReader;

/* Reads a COPY TO STDOUT to its end, in batches of rows. */
static gpointer
read_copy_rows (gpointer data)
{
  CopyReader *reader = data;
  GPtrArray *batch = NULL;
  char *line = NULL;

  while ((reader->length = PQgetCopyData (reader->conn, &line, FALSE)) > 0)
    {
      /* A writer far behind: wait for it rather than hold the whole table in memory. */
      if (batch == NULL && g_async_queue_length (reader->batches) >= COPY_BATCHES_AHEAD)
        batch = g_async_queue_pop (reader->spare);
      if (batch == NULL)
        batch = g_async_queue_try_pop (reader->spare);
      if (batch == NULL)
        batch = g_ptr_array_new_full (COPY_BATCH, (GDestroyNotify) g_bytes_unref);
      g_ptr_array_add (batch, g_bytes_new_with_free_func (line, (gsize) reader->length,
                                                          PQfreemem, line));
      if (batch->len == COPY_BATCH)
        {
          g_async_queue_push (reader->batches, batch);
          batch = NULL;
        }
    }
  if (batch != NULL && batch->len > 0)
    g_async_queue_push (reader->batches, g_steal_pointer (&batch));
  g_async_queue_push (reader->batches, batch != NULL ? batch : g_ptr_array_new ());
  return NULL;
}

static gboolean
file_table_is_empty (TwStore    *store,
                     const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s LIMIT 1", table);
  g_autoptr(sqlite3_stmt) stmt = prepare_file_sql (store, sql, NULL);

  return stmt != NULL && sqlite3_step (stmt) == SQLITE_DONE;
}

/* COPYs the workspace's @spec table into the file (in a transaction of the caller's); with
 * @query, its rows instead (a SELECT of @spec's columns, in their order). */
static gboolean
checkout_table (TwPgWorkspace    *self,
                TwStore          *store,
                const TableSpec  *spec,
                const char       *query,
                GError          **error)
{
  PGconn *conn = tw_pg_workspace_get_conn (self);
  g_autofree gboolean *is_geometry = NULL;
  g_auto(GStrv) names = spec_columns (spec, &is_geometry);
  guint n = g_strv_length (names);
  g_autofree BindKind *kinds = file_column_kinds (store, spec, error);
  g_autoptr(GString) select = g_string_new ("COPY (SELECT ");
  g_autoptr(GString) insert = g_string_new (NULL);
  g_autofree char *what = g_strdup_printf ("checking out the table %s", spec->table);
  g_autofree char *joined = g_strjoinv (",", names);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(PGresult) started = NULL;
  CopyReader reader = { 0 };
  g_autoptr(GArray) outcomes = NULL;
  gboolean header_read = FALSE;
  gboolean empty;
  GThread *thread;
  PGresult *result;
  gboolean ok = TRUE;

  if (kinds == NULL)
    return FALSE;
  if (query != NULL)
    g_string_printf (select, "COPY (%s) TO STDOUT", query);
  else
    {
      /* A whole table in COPY's binary format, each column cast to what the file stores:
       * no text to print on the server and parse here, outlines as WKB rather than hex. */
      static const char *casts[] = {
        [BIND_TEXT] = "::text", [BIND_INTEGER] = "::int8", [BIND_REAL] = "::float8",
        [BIND_GEOMETRY] = ", 'NDR')",
      };

      for (guint i = 0; i < n; i++)
        g_string_append_printf (select, "%s%s%s%s", i > 0 ? "," : "",
                                kinds[i] == BIND_GEOMETRY ? "ST_AsBinary (" : "", names[i],
                                casts[kinds[i]]);
      g_string_append_printf (select, " FROM %s) TO STDOUT (FORMAT binary)", spec->table);
    }

  /* Into an empty table a plain INSERT: OR REPLACE makes SQLite keep a statement journal,
   * a copy of every page each row touches (six times the first open's time). */
  empty = file_table_is_empty (store, spec->table);
  g_string_append_printf (insert, "INSERT %sINTO %s (%s) VALUES (", empty ? "" : "OR REPLACE ",
                          spec->table, joined);
  /* The bulk of a workspace goes in as the outcome import's rows do, a batch a statement. */
  if (empty && query == NULL && strcmp (spec->table, "outcome_value") == 0)
    outcomes = g_array_sized_new (FALSE, FALSE, sizeof (TwOutcomeRow), COPY_BATCH);
  for (guint i = 0; i < n; i++)
    g_string_append (insert, i > 0 ? ",?" : "?");
  g_string_append_c (insert, ')');
  stmt = prepare_file_sql (store, insert->str, error);
  if (stmt == NULL)
    return FALSE;

  started = PQexec (conn, select->str);
  if (PQresultStatus (started) != PGRES_COPY_OUT)
    return tw_pg_set_error (self, started, what, error);

  /* The server's rows are read on a second thread while this one writes them to the file:
   * the first open waits for whichever is slower, not for both in turn. */
  reader.conn = conn;
  reader.batches = g_async_queue_new_full ((GDestroyNotify) g_ptr_array_unref);
  reader.spare = g_async_queue_new_full ((GDestroyNotify) g_ptr_array_unref);
  thread = g_thread_new ("tw-pg-copy-out", read_copy_rows, &reader);
  for (;;)
    {
      GPtrArray *batch = g_async_queue_pop (reader.batches);

      if (batch->len == 0)
        {
          g_ptr_array_unref (batch);
          break;
        }
      for (guint r = 0; ok && r < batch->len; r++)
        {
          gsize size = 0;
          const guchar *row = g_bytes_get_data (g_ptr_array_index (batch, r), &size);
          const guchar *end = row + size;
          int bound;

          if (query != NULL)
            bound = bind_text_row (stmt, kinds, n, (char *) row);
          else
            {
              if (!header_read && !skip_binary_header (&row, end))
                bound = -1;
              else if (row == end)
                bound = 0;  /* the header alone */
              else if (outcomes != NULL)
                bound = read_binary_outcome (outcomes, &row, end);
              else
                bound = bind_binary_row (stmt, kinds, n, &row, end);
              header_read = TRUE;
            }
          if (bound > 0 && outcomes != NULL)
            continue;
          if (bound < 0)
            {
              g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_SERVER,
                           "%s: the server sent a row this version cannot read (%u columns "
                           "expected); update Tractwise", what, n);
              ok = FALSE;
            }
          else if (bound > 0 && sqlite3_step (stmt) != SQLITE_DONE)
            ok = tw_store_set_sql_error (store, error, "writing the checked-out file");
          sqlite3_reset (stmt);
        }
      if (ok && outcomes != NULL && outcomes->len > 0)
        ok = add_outcomes (store, outcomes, error);
      g_ptr_array_set_size (batch, 0);
      g_async_queue_push (reader.spare, batch);
    }
  g_thread_join (thread);
  g_async_queue_unref (reader.batches);
  g_async_queue_unref (reader.spare);
  if (reader.length == -2 && ok)
    ok = tw_pg_set_error (self, NULL, what, error);
  while ((result = PQgetResult (conn)) != NULL)
    {
      if (ok && PQresultStatus (result) != PGRES_COMMAND_OK)
        ok = tw_pg_set_error (self, result, what, error);
      PQclear (result);
    }
  return ok;
}

/* A row of a table people edit, as the file holds it (a project with its areas and
 * partners): what tells a checkin that the row was edited since the checkout. */
static char *
file_row_sql (const TableSpec *spec)
{
  g_autofree char *columns = plain_columns (spec);

  if (strcmp (spec->table, "project") == 0)
    return g_strdup_printf ("SELECT %s, %s,"
                            " (SELECT group_concat (area_id) FROM"
                            "   (SELECT area_id FROM project_area WHERE project_id = project.id"
                            "    ORDER BY area_id)),"
                            " (SELECT group_concat (partner_id || ':' || coalesce (role, ''),"
                            "                       '|') FROM"
                            "   (SELECT partner_id, role FROM project_partner"
                            "    WHERE project_id = project.id ORDER BY partner_id))"
                            " FROM project", spec->key, columns);
  return g_strdup_printf ("SELECT %s, %s FROM %s%s", spec->key, columns, spec->table,
                          LOCAL_ONLY_FILTER (spec));
}

/* key → the row's text, for every row of @spec's table in the file. */
static GHashTable *
read_file_rows (TwStore          *store,
                const TableSpec  *spec,
                GError          **error)
{
  g_autofree char *sql = file_row_sql (spec);
  g_autoptr(sqlite3_stmt) stmt = prepare_file_sql (store, sql, error);
  g_autoptr(GHashTable) rows = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GString *line = g_string_new (NULL);

      append_file_row (line, stmt, 1);
      g_hash_table_insert (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                           g_string_free (line, FALSE));
    }
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (store, error, "reading the project file");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* The workspace's rows of @spec's table as text, with their version and who changed them
 * last: key, row_version, changed_by, changed_at, then the columns. */
static PGresult *
read_server_rows (TwPgWorkspace    *self,
                  const TableSpec  *spec,
                  const char       *only_key,
                  GError          **error)
{
  g_autofree char *columns = plain_columns (spec);
  g_autofree char *sql = g_strdup_printf ("SELECT %s::text, row_version,"
                                          " changed_by, to_char (changed_at,"
                                          " 'YYYY-MM-DD HH24:MI:SS TZ'), %s FROM %s%s"
                                          " ORDER BY 1",
                                          spec->key, columns, spec->table,
                                          only_key != NULL
                                            ? (strcmp (spec->key, "id") == 0
                                                 ? " WHERE id = $1::bigint" : " WHERE key = $1")
                                            : "");
  const char *params[] = { only_key };

  return tw_pg_exec (self, "reading the workspace", error, sql, only_key != NULL ? 1 : 0,
                     params);
}

#define SERVER_FIRST_COLUMN 4

/* Records in the file which rows it holds at which version: for every table people edit,
 * key → { "version", "server": the row as the server had it, "file": as the file has it }. */
static gboolean
record_checkout (TwPgWorkspace  *self,
                 TwStore        *store,
                 GError        **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "workspace");
  json_builder_add_string_value (builder, tw_pg_workspace_get_name (self));
  json_builder_set_member_name (builder, "tables");
  json_builder_begin_object (builder);
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      const TableSpec *spec = &tables[t];
      g_autoptr(PGresult) server = NULL;
      g_autoptr(GHashTable) file = NULL;

      if (spec->key == NULL)
        continue;
      server = read_server_rows (self, spec, NULL, error);
      file = server != NULL ? read_file_rows (store, spec, error) : NULL;
      if (file == NULL)
        return FALSE;
      json_builder_set_member_name (builder, spec->table);
      json_builder_begin_object (builder);
      for (int r = 0; r < PQntuples (server); r++)
        {
          const char *key = PQgetvalue (server, r, 0);
          const char *file_row = g_hash_table_lookup (file, key);

          if (file_row == NULL)
            continue;
          json_builder_set_member_name (builder, key);
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "version");
          json_builder_add_int_value (builder, g_ascii_strtoll (PQgetvalue (server, r, 1),
                                                                NULL, 10));
          json_builder_set_member_name (builder, "server");
          json_builder_begin_array (builder);
          for (int c = SERVER_FIRST_COLUMN; c < PQnfields (server); c++)
            if (PQgetisnull (server, r, c))
              json_builder_add_null_value (builder);
            else
              json_builder_add_string_value (builder, PQgetvalue (server, r, c));
          json_builder_end_array (builder);
          json_builder_set_member_name (builder, "file");
          json_builder_add_string_value (builder, file_row);
          json_builder_end_object (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  return tw_store_set_setting (store, TW_PG_KEY_CHECKOUT, text, error);
}

void
tw_pg_remove_file (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);

      g_unlink (name);
    }
}

/* Every table as of one moment, though colleagues keep writing. */
static gboolean
begin_snapshot (TwPgWorkspace  *self,
                GError        **error)
{
  return tw_pg_run (self, "reading the workspace", error,
                    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL);
}

/* Reads the workspace's rows into @store, in a transaction of both. */
static gboolean
read_workspace (TwPgWorkspace  *self,
                TwStore        *store,
                gboolean        team_tables_only,
                GError        **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      gboolean is_team = FALSE;

      for (guint t = 0; t < G_N_ELEMENTS (team_tables_children_first); t++)
        if (strcmp (tables[i].table, team_tables_children_first[t]) == 0)
          is_team = TRUE;
      if (team_tables_only && !is_team)
        continue;
      if (!checkout_table (self, store, &tables[i], NULL, error))
        return FALSE;
      if (strcmp (tables[i].table, "area") == 0)
        {
          sqlite3_stmt *stmt = tw_store_prepare (store,
                                                 "INSERT OR REPLACE INTO area_rtree"
                                                 " (id, min_lon, max_lon, min_lat, max_lat)"
                                                 " SELECT id, min_lon, max_lon, min_lat, max_lat"
                                                 " FROM area", error);

          if (stmt == NULL || !tw_store_step_done (store, stmt, "indexing the areas", error))
            return FALSE;
        }
    }
  return record_checkout (self, store, error);
}

/* A new file being filled from the server is deleted when anything fails, so it needs no
 * journal, no sync and no foreign-key checks (the server's rows already meet them): its
 * pages are written once, to the file, rather than to the WAL and then again. */
static gboolean
set_loading (TwStore   *store,
             gboolean   loading,
             GError   **error)
{
  const char *sql = loading
    ? "PRAGMA foreign_keys = OFF; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF"
    : "PRAGMA synchronous = FULL; PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON";

  if (sqlite3_exec (tw_store_get_db (store), sql, NULL, NULL, NULL) != SQLITE_OK)
    return tw_store_set_sql_error (store, error, "preparing the checked-out file");
  return TRUE;
}

gboolean
tw_pg_checkout (TwPgWorkspace  *self,
                const char     *path,
                GError        **error)
{
  g_autoptr(TwStore) store = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  store = tw_store_create (path, error);
  if (store == NULL)
    return FALSE;
  if (!set_loading (store, TRUE, error) || !begin_snapshot (self, error))
    goto failed;
  if (!tw_store_begin (store, error))
    goto failed;
  if (!read_workspace (self, store, FALSE, error) || !tw_store_commit (store, error)
      || !set_loading (store, FALSE, error))
    {
      tw_store_rollback (store);
      /* A checkout holds raw counts: the server gives them to analysts and owners only. */
      if (error != NULL && g_error_matches (*error, TW_PG_ERROR, TW_PG_ERROR_DENIED))
        g_prefix_error (error, "a checkout holds the raw counts, which workspace '%s' "
                        "gives to analysts and owners only: ", tw_pg_workspace_get_name (self));
      goto failed;
    }
  tw_pg_rollback (self);
  tw_pg_audit (self, "checkout", path, NULL, NULL);
  return TRUE;

failed:
  tw_pg_rollback (self);
  g_clear_pointer (&store, tw_store_close);
  tw_pg_remove_file (path);
  return FALSE;
}

/* Checkin: the file's edits since its checkout, sent row by row under the row versions the
 * checkout recorded. */

typedef struct
{
  TwPgWorkspace *workspace;
  TwStore       *store;
  JsonObject    *base;        /* table → key → { version, server, file } */
  GHashTable    *new_partners;  /* the file's id of a new partner → the server's */
  GHashTable    *new_projects;
  GPtrArray     *conflicts;   /* one sentence each */
  TwPgCheckinCounts counts;
} Checkin;

/* A field of the current row as text for a parameter (NULL for NULL). */
static char *
file_value_text (sqlite3_stmt *stmt,
                 int           column)
{
  GString *text;

  switch (sqlite3_column_type (stmt, column))
    {
    case SQLITE_NULL:
      return NULL;
    case SQLITE_FLOAT:
      text = g_string_new (NULL);
      append_double (text, sqlite3_column_double (stmt, column));
      return g_string_free (text, FALSE);
    default:
      return g_strdup ((const char *) sqlite3_column_text (stmt, column));
    }
}

/* A reference to a row the checkin added has the server's id. */
static const char *
map_reference (Checkin    *checkin,
               const char *column,
               const char *value)
{
  GHashTable *ids = NULL;
  const char *mapped;

  if (value == NULL)
    return NULL;
  if (strcmp (column, "project_id") == 0)
    ids = checkin->new_projects;
  else if (strcmp (column, "partner_id") == 0)
    ids = checkin->new_partners;
  mapped = ids != NULL ? g_hash_table_lookup (ids, value) : NULL;
  return mapped != NULL ? mapped : value;
}

/* The file's row @key of @spec's table, as parameters (references mapped). */
static GPtrArray *
file_row_values (Checkin          *checkin,
                 const TableSpec  *spec,
                 const char       *key,
                 GError          **error)
{
  g_autofree char *columns = plain_columns (spec);
  g_auto(GStrv) names = spec_columns (spec, NULL);
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s WHERE %s = ?", columns,
                                          spec->table, spec->key);
  g_autoptr(sqlite3_stmt) stmt = prepare_file_sql (checkin->store, sql, error);
  GPtrArray *values;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      tw_store_set_sql_error (checkin->store, error, "reading the project file");
      return NULL;
    }
  values = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    {
      g_autofree char *value = file_value_text (stmt, i);

      g_ptr_array_add (values, g_strdup (map_reference (checkin, names[i], value)));
    }
  return values;
}

/* "project 3 "Lead-safe homes"" */
static char *
describe_row (const TableSpec *spec,
              const char      *key,
              JsonArray       *server)
{
  gboolean titled = strcmp (spec->table, "partner") == 0 || strcmp (spec->table, "project") == 0;
  guint title_index = strcmp (spec->table, "milestone") == 0 ? 2 : 1;

  if ((titled || strcmp (spec->table, "milestone") == 0) && server != NULL
      && json_array_get_length (server) > title_index
      && !json_array_get_null_element (server, title_index))
    return g_strdup_printf ("%s %s \"%s\"", spec->table, key,
                            json_array_get_string_element (server, title_index));
  if (strcmp (spec->table, "setting") == 0)
    return g_strdup_printf ("the setting %s", key);
  return g_strdup_printf ("%s %s", spec->table, key);
}

/* Says who changed the row @key since the checkout, and what. */
static gboolean
note_conflict (Checkin          *checkin,
               const TableSpec  *spec,
               const char       *key,
               JsonObject       *base_row,
               const char       *what_we_did,
               GError          **error)
{
  JsonArray *before = base_row != NULL ? json_object_get_array_member (base_row, "server")
                                       : NULL;
  g_autoptr(PGresult) now = read_server_rows (checkin->workspace, spec, key, error);
  g_autofree char *row = describe_row (spec, key, before);
  g_auto(GStrv) names = spec_columns (spec, NULL);
  g_autoptr(GString) changed = g_string_new (NULL);

  if (now == NULL)
    return FALSE;
  if (PQntuples (now) == 0)
    {
      g_ptr_array_add (checkin->conflicts,
                       g_strdup_printf ("%s was deleted on the server since the checkout "
                                        "(you %s it)", row, what_we_did));
      return TRUE;
    }
  for (int c = SERVER_FIRST_COLUMN; before != NULL && c < PQnfields (now); c++)
    {
      guint i = (guint) (c - SERVER_FIRST_COLUMN);
      gboolean was_null = i >= json_array_get_length (before)
                          || json_array_get_null_element (before, i);
      gboolean differs = was_null != (gboolean) PQgetisnull (now, 0, c)
                         || (!was_null
                             && strcmp (json_array_get_string_element (before, i),
                                        PQgetvalue (now, 0, c)) != 0);

      if (differs)
        g_string_append_printf (changed, "%s%s", changed->len > 0 ? ", " : "", names[i]);
    }
  if (before == NULL)
    g_string_assign (changed, "added it");
  else if (changed->len == 0)
    g_string_assign (changed, strcmp (spec->table, "project") == 0 ? "its areas or partners"
                                                                  : "no field you can see");
  g_ptr_array_add (checkin->conflicts,
                   g_strdup_printf ("%s was changed by %s at %s (%s) since the checkout "
                                    "(you %s it)", row, PQgetvalue (now, 0, 2),
                                    PQgetvalue (now, 0, 3), changed->str, what_we_did));
  return TRUE;
}

/* Replaces the server's areas and partners of a project with the file's. */
static gboolean
send_project_children (Checkin     *checkin,
                       const char  *file_id,
                       const char  *server_id,
                       GError     **error)
{
  const char *ids[] = { server_id };
  g_autoptr(sqlite3_stmt) areas = prepare_file_sql (checkin->store,
                                                    "SELECT area_id FROM project_area"
                                                    " WHERE project_id = ?", error);
  g_autoptr(sqlite3_stmt) partners = NULL;

  if (areas == NULL
      || !tw_pg_run (checkin->workspace, "checking in a project's areas", error,
                     "DELETE FROM project_area WHERE project_id = $1", 1, ids)
      || !tw_pg_run (checkin->workspace, "checking in a project's partners", error,
                     "DELETE FROM project_partner WHERE project_id = $1", 1, ids))
    return FALSE;
  sqlite3_bind_text (areas, 1, file_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (areas) == SQLITE_ROW)
    {
      const char *params[] = { server_id, (const char *) sqlite3_column_text (areas, 0) };

      if (!tw_pg_run (checkin->workspace, "checking in a project's areas", error,
                      "INSERT INTO project_area (project_id, area_id) VALUES ($1, $2)",
                      2, params))
        return FALSE;
    }

  partners = prepare_file_sql (checkin->store,
                               "SELECT partner_id, role FROM project_partner"
                               " WHERE project_id = ?", error);
  if (partners == NULL)
    return FALSE;
  sqlite3_bind_text (partners, 1, file_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (partners) == SQLITE_ROW)
    {
      const char *params[] = {
        server_id,
        map_reference (checkin, "partner_id", (const char *) sqlite3_column_text (partners, 0)),
        (const char *) sqlite3_column_text (partners, 1),
      };

      if (!tw_pg_run (checkin->workspace, "checking in a project's partners", error,
                      "INSERT INTO project_partner (project_id, partner_id, role)"
                      " VALUES ($1, $2, $3)", 3, params))
        return FALSE;
    }
  return TRUE;
}

static gboolean
send_update (Checkin          *checkin,
             const TableSpec  *spec,
             const char       *key,
             JsonObject       *base_row,
             GError          **error)
{
  g_auto(GStrv) names = spec_columns (spec, NULL);
  g_autoptr(GPtrArray) values = file_row_values (checkin, spec, key, error);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  g_autofree char *version = NULL;
  g_autoptr(PGresult) result = NULL;

  if (values == NULL)
    return FALSE;
  g_string_printf (sql, "UPDATE %s SET ", spec->table);
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (strcmp (names[i], spec->key) == 0)
        continue;
      g_ptr_array_add (params, g_ptr_array_index (values, i));
      g_string_append_printf (sql, "%s%s = $%u", params->len > 1 ? ", " : "", names[i],
                              params->len);
    }
  version = g_strdup_printf ("%" G_GINT64_FORMAT,
                             json_object_get_int_member (base_row, "version"));
  g_ptr_array_add (params, (gpointer) key);
  g_ptr_array_add (params, version);
  g_string_append_printf (sql, " WHERE %s = $%u AND row_version = $%u RETURNING 1",
                          spec->key, params->len - 1, params->len);

  result = tw_pg_exec (checkin->workspace, "checking in an edited row", error, sql->str,
                       (int) params->len, (const char * const *) params->pdata);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    return note_conflict (checkin, spec, key, base_row, "edited", error);
  checkin->counts.updated++;
  if (strcmp (spec->table, "project") == 0)
    return send_project_children (checkin, key, key, error);
  return TRUE;
}

static gboolean
send_insert (Checkin          *checkin,
             const TableSpec  *spec,
             const char       *key,
             GError          **error)
{
  g_auto(GStrv) names = spec_columns (spec, NULL);
  g_autoptr(GPtrArray) values = file_row_values (checkin, spec, key, error);
  g_autoptr(GString) columns = g_string_new (NULL);
  g_autoptr(GString) placeholders = g_string_new (NULL);
  g_autoptr(GPtrArray) params = g_ptr_array_new ();
  g_autofree char *sql = NULL;
  g_autoptr(PGresult) result = NULL;
  gboolean by_id = strcmp (spec->key, "id") == 0;

  if (values == NULL)
    return FALSE;
  for (guint i = 0; names[i] != NULL; i++)
    {
      /* A new row takes the server's next id: a colleague may have used the file's. */
      if (by_id && strcmp (names[i], "id") == 0)
        continue;
      g_ptr_array_add (params, g_ptr_array_index (values, i));
      g_string_append_printf (columns, "%s%s", params->len > 1 ? ", " : "", names[i]);
      g_string_append_printf (placeholders, "%s$%u", params->len > 1 ? ", " : "", params->len);
    }
  sql = g_strdup_printf ("INSERT INTO %s (%s) VALUES (%s) ON CONFLICT DO NOTHING"
                         " RETURNING %s::text", spec->table, columns->str, placeholders->str,
                         spec->key);
  result = tw_pg_exec (checkin->workspace, "checking in a new row", error, sql,
                       (int) params->len, (const char * const *) params->pdata);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    {
      g_autofree char *row = describe_row (spec, key, NULL);

      g_ptr_array_add (checkin->conflicts,
                       g_strdup_printf ("%s, which you added, was added on the server too "
                                        "since the checkout", row));
      return TRUE;
    }
  checkin->counts.added++;
  if (strcmp (spec->table, "partner") == 0)
    g_hash_table_insert (checkin->new_partners, g_strdup (key),
                         g_strdup (PQgetvalue (result, 0, 0)));
  if (strcmp (spec->table, "project") == 0)
    {
      g_hash_table_insert (checkin->new_projects, g_strdup (key),
                           g_strdup (PQgetvalue (result, 0, 0)));
      return send_project_children (checkin, key, PQgetvalue (result, 0, 0), error);
    }
  return TRUE;
}

static gboolean
send_delete (Checkin          *checkin,
             const TableSpec  *spec,
             const char       *key,
             JsonObject       *base_row,
             GError          **error)
{
  g_autofree char *version = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              json_object_get_int_member (base_row, "version"));
  g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE %s = $1 AND row_version = $2"
                                          " RETURNING 1", spec->table, spec->key);
  const char *params[] = { key, version };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(PGresult) still = NULL;

  /* The file's milestones and comments of a deleted project went first; any left are a
   * colleague's, which the delete would take with it. */
  if (strcmp (spec->table, "project") == 0)
    {
      g_autoptr(PGresult) children = tw_pg_exec (checkin->workspace,
                                                 "checking in a deleted project", error,
                                                 "SELECT 'a milestone', changed_by"
                                                 " FROM milestone WHERE project_id = $1"
                                                 " UNION ALL SELECT 'a comment', changed_by"
                                                 " FROM comment WHERE project_id = $1"
                                                 " LIMIT 1", 1, params);
      g_autofree char *row = NULL;

      if (children == NULL)
        return FALSE;
      if (PQntuples (children) > 0)
        {
          row = describe_row (spec, key, json_object_get_array_member (base_row, "server"));
          g_ptr_array_add (checkin->conflicts,
                           g_strdup_printf ("%s got %s from %s since the checkout (you "
                                            "deleted the project)", row,
                                            PQgetvalue (children, 0, 0),
                                            PQgetvalue (children, 0, 1)));
          return TRUE;
        }
    }

  result = tw_pg_exec (checkin->workspace, "checking in a deleted row", error, sql, 2, params);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) > 0)
    {
      checkin->counts.deleted++;
      return TRUE;
    }
  still = read_server_rows (checkin->workspace, spec, key, error);
  if (still == NULL)
    return FALSE;
  /* Deleted by a colleague too: nothing is lost. */
  if (PQntuples (still) == 0)
    return TRUE;
  return note_conflict (checkin, spec, key, base_row, "deleted", error);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = g_ascii_strtoll (a, NULL, 10);
  gint64 y = g_ascii_strtoll (b, NULL, 10);

  return x < y ? -1 : x > y;
}

static gboolean
send_table (Checkin          *checkin,
            const TableSpec  *spec,
            GError          **error)
{
  g_autoptr(GHashTable) file = read_file_rows (checkin->store, spec, error);
  JsonObject *base = NULL;
  g_autoptr(GList) keys = NULL;

  if (file == NULL)
    return FALSE;
  if (json_object_has_member (checkin->base, spec->table))
    base = json_object_get_object_member (checkin->base, spec->table);

  /* In key order, so new rows are numbered as the file numbered them. */
  keys = g_hash_table_get_keys (file);
  keys = g_list_sort (keys, strcmp (spec->key, "id") == 0 ? compare_ids
                                                          : (GCompareFunc) strcmp);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonObject *base_row = base != NULL && json_object_has_member (base, key)
                             ? json_object_get_object_member (base, key) : NULL;

      if (base_row == NULL)
        {
          if (!send_insert (checkin, spec, key, error))
            return FALSE;
        }
      else if (g_strcmp0 (json_object_get_string_member (base_row, "file"),
                          g_hash_table_lookup (file, key)) != 0)
        {
          if (!send_update (checkin, spec, key, base_row, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
send_deletes (Checkin          *checkin,
              const TableSpec  *spec,
              GError          **error)
{
  g_autoptr(GHashTable) file = read_file_rows (checkin->store, spec, error);
  JsonObject *base;
  g_autoptr(GList) members = NULL;

  if (file == NULL)
    return FALSE;
  if (!json_object_has_member (checkin->base, spec->table))
    return TRUE;
  base = json_object_get_object_member (checkin->base, spec->table);
  members = json_object_get_members (base);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_hash_table_contains (file, l->data)
        && !send_delete (checkin, spec, l->data, json_object_get_object_member (base, l->data),
                         error))
      return FALSE;
  return TRUE;
}

static gboolean
holds_value (JsonNode *node,
             GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* Whether a checkout record has the shape record_checkout writes: the file may have been
 * edited by hand, and nothing read from it may trip an assertion. */
static gboolean
is_valid_record (JsonObject *root)
{
  JsonNode *record_tables = json_object_get_member (root, "tables");
  g_autoptr(GList) names = NULL;

  if (!holds_value (json_object_get_member (root, "workspace"), G_TYPE_STRING)
      || record_tables == NULL || !JSON_NODE_HOLDS_OBJECT (record_tables))
    return FALSE;
  names = json_object_get_members (json_node_get_object (record_tables));
  for (GList *t = names; t != NULL; t = t->next)
    {
      JsonNode *rows = json_object_get_member (json_node_get_object (record_tables), t->data);
      g_autoptr(GList) keys = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (rows))
        return FALSE;
      keys = json_object_get_members (json_node_get_object (rows));
      for (GList *k = keys; k != NULL; k = k->next)
        {
          JsonNode *row = json_object_get_member (json_node_get_object (rows), k->data);
          JsonObject *fields;
          JsonNode *server;

          if (!JSON_NODE_HOLDS_OBJECT (row))
            return FALSE;
          fields = json_node_get_object (row);
          server = json_object_get_member (fields, "server");
          if (!holds_value (json_object_get_member (fields, "version"), G_TYPE_INT64)
              || !holds_value (json_object_get_member (fields, "file"), G_TYPE_STRING)
              || server == NULL || !JSON_NODE_HOLDS_ARRAY (server))
            return FALSE;
          for (guint i = 0; i < json_array_get_length (json_node_get_array (server)); i++)
            {
              JsonNode *value = json_array_get_element (json_node_get_array (server), i);

              if (!JSON_NODE_HOLDS_NULL (value) && !holds_value (value, G_TYPE_STRING))
                return FALSE;
            }
        }
    }
  return TRUE;
}

/* The checkout record of @store, when it is a checkout of this workspace. */
static JsonNode *
read_checkout_record (TwPgWorkspace  *self,
                      TwStore        *store,
                      GError        **error)
{
  g_autofree char *text = tw_store_get_setting (store, TW_PG_KEY_CHECKOUT);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
      || !is_valid_record (json_node_get_object (json_parser_get_root (parser))))
    {
      g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_NOT_CHECKED_OUT,
                   "%s is not a checkout of a team workspace; make one with "
                   "'tractwise-cli checkout URI FILE'", tw_store_get_path (store));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (json_object_get_string_member_with_default (root, "workspace", NULL),
                 tw_pg_workspace_get_name (self)) != 0)
    {
      g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_NOT_CHECKED_OUT,
                   "%s was checked out of workspace '%s', not '%s'; check it in there",
                   tw_store_get_path (store),
                   json_object_get_string_member_with_default (root, "workspace", "?"),
                   tw_pg_workspace_get_name (self));
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

static gboolean
run_file_sql (TwStore     *store,
              const char  *sql,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare_file_sql (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return tw_store_set_sql_error (store, error, "refreshing the workspace file");
  return TRUE;
}

/* Empties the file's copy of the workspace: the tables people edit, or every table. */
static gboolean
clear_file (TwStore   *store,
            gboolean   team_tables_only,
            GError   **error)
{
  for (guint i = G_N_ELEMENTS (tables); i > 0; i--)
    {
      const TableSpec *spec = &tables[i - 1];
      gboolean is_team = FALSE;
      g_autofree char *sql = NULL;

      for (guint t = 0; t < G_N_ELEMENTS (team_tables_children_first); t++)
        if (strcmp (spec->table, team_tables_children_first[t]) == 0)
          is_team = TRUE;
      if (team_tables_only && !is_team)
        continue;
      sql = g_strdup_printf ("DELETE FROM %s%s", spec->table, LOCAL_ONLY_FILTER (spec));
      if (!run_file_sql (store, sql, error))
        return FALSE;
    }
  return team_tables_only || run_file_sql (store, "DELETE FROM area_rtree", error);
}

typedef gboolean (*ReadFunc) (TwPgWorkspace  *self,
                              TwStore        *store,
                              gboolean        flag,
                              GError        **error);

/* Runs @read in one snapshot of the workspace and one transaction of the file. */
static gboolean
refresh_with (TwPgWorkspace  *self,
              TwStore        *store,
              ReadFunc        read,
              gboolean        flag,
              GError        **error)
{
  if (!begin_snapshot (self, error))
    return FALSE;
  if (!tw_store_begin (store, error))
    {
      tw_pg_rollback (self);
      return FALSE;
    }
  if (!read (self, store, flag, error) || !tw_store_commit (store, error))
    {
      tw_store_rollback (store);
      tw_pg_rollback (self);
      return FALSE;
    }
  tw_pg_rollback (self);
  return TRUE;
}

static gboolean
read_workspace_again (TwPgWorkspace  *self,
                      TwStore        *store,
                      gboolean        team_tables_only,
                      GError        **error)
{
  return clear_file (store, team_tables_only, error)
         && read_workspace (self, store, team_tables_only, error);
}

gboolean
tw_pg_refresh (TwPgWorkspace  *self,
               TwStore        *store,
               gboolean        team_tables_only,
               GError        **error)
{
  return refresh_with (self, store, read_workspace_again, team_tables_only, error);
}

/* What a viewer or a partner may read, as a workspace file: the published figures as
 * counts and populations (a hidden figure as a withheld cell: its population, no count),
 * as a review copy of a share package holds them, so every command computes from them
 * what it would publish. */
static const TableSpec published_spec = {
  "published_rate", "geography,geoid,measure,period,stratum,numerator,denominator", NULL
};

static const char *published_sql[] = {
  "CREATE TEMP TABLE IF NOT EXISTS published_rate (geography TEXT, geoid TEXT, measure TEXT,"
  " period TEXT, stratum TEXT, numerator REAL, denominator REAL)",
  "DELETE FROM temp.published_rate",
  "INSERT OR IGNORE INTO age_group (id, label) VALUES (0, '')",
};

static const char *published_cells_sql[] = {
  "INSERT INTO period (label) SELECT DISTINCT period FROM temp.published_rate ORDER BY 1",
  "INSERT INTO stratum (label) SELECT DISTINCT stratum FROM temp.published_rate ORDER BY 1",
  "INSERT INTO outcome_value (measure_id, period_id, stratum_id, area_id, age_group_id,"
  "                           numerator, denominator)"
  " SELECT m.id, p.id, s.id, a.id, 0, r.numerator, r.denominator"
  " FROM temp.published_rate r JOIN measure m ON m.code = r.measure"
  " JOIN period p ON p.label = r.period JOIN stratum s ON s.label = r.stratum"
  " JOIN geography g ON g.name = r.geography"
  " JOIN area a ON a.geography_id = g.id AND a.geoid = r.geoid"
  " WHERE r.numerator IS NOT NULL",
  "INSERT INTO outcome_withheld (measure_id, period_id, stratum_id, area_id, denominator)"
  " SELECT m.id, p.id, s.id, a.id, r.denominator"
  " FROM temp.published_rate r JOIN measure m ON m.code = r.measure"
  " JOIN period p ON p.label = r.period JOIN stratum s ON s.label = r.stratum"
  " JOIN geography g ON g.name = r.geography"
  " JOIN area a ON a.geography_id = g.id AND a.geoid = r.geoid"
  " WHERE r.numerator IS NULL",
  "DELETE FROM temp.published_rate",
};

/* A partner's projects, areas and comments come through the views of 002 and 004. */
static const struct
{
  const char *table;
  const char *query;
} partner_rows[] = {
  { "project", "SELECT p.id, p.title, p.aim, m.id, p.stratum,"
               " (SELECT a.geography_id FROM partner_project_area pa JOIN area a USING (geoid)"
               "  WHERE pa.project_id = p.id LIMIT 1),"
               " p.start_date, p.end_date, p.status, NULL, p.goal_percent, NULL"
               " FROM partner_project p LEFT JOIN measure m ON m.code = p.measure" },
  { "project_area", "SELECT DISTINCT ON (pa.project_id, a.id) pa.project_id, a.id"
                    " FROM partner_project_area pa JOIN area a USING (geoid)" },
  { "comment", "SELECT id, project_id, area_id, author, body, created_at FROM partner_comment" },
};

static const char *viewer_tables[] = {
  "partner", "project", "project_partner", "project_area", "milestone", "comment",
};

static gboolean
run_file_statements (TwStore             *store,
                     const char * const  *sql,
                     guint                n,
                     GError             **error)
{
  for (guint i = 0; i < n; i++)
    if (!run_file_sql (store, sql[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
read_published (TwPgWorkspace  *self,
                TwStore        *store,
                gboolean        partner,
                GError        **error)
{
  static const char *base_tables[] = { "geography", "area", "measure" };
  static const TableSpec policy_spec = { "setting", "key,value", NULL };

  if (!clear_file (store, FALSE, error)
      || !run_file_statements (store, published_sql, G_N_ELEMENTS (published_sql), error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (base_tables); i++)
    if (!checkout_table (self, store, find_spec (base_tables[i]), NULL, error))
      return FALSE;
  if (!run_file_sql (store, "INSERT INTO area_rtree (id, min_lon, max_lon, min_lat, max_lat)"
                            " SELECT id, min_lon, max_lon, min_lat, max_lat FROM area", error)
      || !checkout_table (self, store, &published_spec,
                          "SELECT geography, geoid, measure, period, stratum, numerator,"
                          " denominator FROM published_rate", error)
      || !run_file_statements (store, published_cells_sql, G_N_ELEMENTS (published_cells_sql),
                               error)
      || !checkout_table (self, store, &policy_spec,
                          "SELECT key, value FROM workspace_policy ()", error))
    return FALSE;

  if (partner)
    {
      for (guint i = 0; i < G_N_ELEMENTS (partner_rows); i++)
        if (!checkout_table (self, store, find_spec (partner_rows[i].table),
                             partner_rows[i].query, error))
          return FALSE;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (viewer_tables); i++)
    if (!checkout_table (self, store, find_spec (viewer_tables[i]), NULL, error))
      return FALSE;
  return TRUE;
}

gboolean
tw_pg_refresh_published (TwPgWorkspace  *self,
                         TwStore        *store,
                         gboolean        partner,
                         GError        **error)
{
  return refresh_with (self, store, read_published, partner, error);
}

gboolean
tw_pg_checkin (TwPgWorkspace     *self,
               TwStore           *store,
               TwPgCheckinCounts *counts,
               GError           **error)
{
  return tw_pg_send_edits (self, store, counts, FALSE, error);
}

gboolean
tw_pg_send_edits (TwPgWorkspace     *self,
                  TwStore           *store,
                  TwPgCheckinCounts *counts,
                  gboolean           replica,
                  GError           **error)
{
  static const char *order[] = { "partner", "project", "milestone", "comment", "setting" };
  g_autoptr(JsonNode) record = NULL;
  g_autoptr(GHashTable) new_partners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                              g_free);
  g_autoptr(GHashTable) new_projects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                              g_free);
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *detail = NULL;
  Checkin checkin = { 0 };

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (store != NULL, FALSE);

  record = read_checkout_record (self, store, error);
  if (record == NULL)
    return FALSE;
  checkin.workspace = self;
  checkin.store = store;
  checkin.base = json_object_get_object_member (json_node_get_object (record), "tables");
  checkin.new_partners = new_partners;
  checkin.new_projects = new_projects;
  checkin.conflicts = conflicts;

  if (!tw_pg_begin (self, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (!send_table (&checkin, find_spec (order[i]), error))
      goto failed;
  /* Children first, once every new row is in (a deleted partner may have had projects). */
  for (guint i = G_N_ELEMENTS (order); i > 0; i--)
    if (!send_deletes (&checkin, find_spec (order[i - 1]), error))
      goto failed;

  if (conflicts->len > 0)
    {
      g_autofree char *list = NULL;

      g_ptr_array_add (conflicts, NULL);
      list = g_strjoinv ("; ", (char **) conflicts->pdata);
      if (replica)
        g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_CONFLICT,
                     "your change was not saved: %s; the workspace shows their version "
                     "now, redo your change there", list);
      else
        g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_CONFLICT,
                     "nothing was checked in, and %s keeps your edits: %s; check out the "
                     "workspace again and redo those edits there", tw_store_get_path (store),
                     list);
      goto failed;
    }

  detail = g_strdup_printf ("%u updated, %u added, %u deleted", checkin.counts.updated,
                            checkin.counts.added, checkin.counts.deleted);
  if (!tw_pg_audit (self, replica ? "edit" : "checkin",
                    replica ? tw_pg_workspace_get_name (self) : tw_store_get_path (store),
                    detail, error)
      || !tw_pg_commit (self, error))
    goto failed;
  if (counts != NULL)
    *counts = checkin.counts;

  if (!tw_pg_refresh (self, store, TRUE, error))
    {
      g_prefix_error (error, "checked in, but %s could not take the workspace's rows back "
                      "(check it out again): ", tw_store_get_path (store));
      return FALSE;
    }
  return TRUE;

failed:
  tw_pg_rollback (self);
  return FALSE;
}
