/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-pg"

#include <string.h>

#include "tw-pg.h"
#include "tw-pg-private.h"
#include "tw-pg-resources.h"

struct _TwPgWorkspace
{
  PGconn *conn;
  char   *name;          /* the workspace, as the URI gave it */
  char   *schema;        /* tractwise_NAME */
  char   *schema_ident;  /* … quoted */
  int     schema_version;
};

G_DEFINE_QUARK (tw-pg-error-quark, tw_pg_error)

#define NAME_MAX_LENGTH 40

static const char *migrations[] = {
  "001-tables.sql",
  "002-access.sql",
  "003-audit.sql",
  "004-replica.sql",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == TW_PG_SCHEMA_VERSION);

static const char *group_roles[] = { "owner", "analyst", "viewer", "partner" };

static void
ignore_notice (void       *data,
               const char *message)
{
}

static gboolean
is_valid_name (const char *name)
{
  gsize length = strlen (name);

  if (length == 0 || length > NAME_MAX_LENGTH || !g_ascii_islower (name[0]))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* Splits @uri into the workspace name and what libpq is given. */
static gboolean
split_uri (const char  *uri,
           char       **name,
           char       **conninfo,
           GError     **error)
{
  gboolean is_url = g_str_has_prefix (uri, "postgresql://") || g_str_has_prefix (uri, "postgres://");
  const char *query = is_url ? strchr (uri, '?') : NULL;
  g_auto(GStrv) items = NULL;
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) kept_items = NULL;
  g_autofree char *found = NULL;
  g_autofree char *joined = NULL;

  if (is_url)
    items = query != NULL ? g_strsplit (query + 1, "&", -1) : g_new0 (char *, 1);
  else
    items = g_strsplit_set (uri, " \t\n", -1);

  for (guint i = 0; items[i] != NULL; i++)
    {
      if (items[i][0] == '\0')
        continue;
      if (g_str_has_prefix (items[i], "workspace="))
        {
          g_free (found);
          found = is_url ? g_uri_unescape_string (items[i] + strlen ("workspace="), NULL)
                         : g_strdup (items[i] + strlen ("workspace="));
        }
      else
        g_strv_builder_add (kept, items[i]);
    }
  kept_items = g_strv_builder_end (kept);

  if (found == NULL)
    {
      g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_URI,
                   "%s names no workspace; add workspace=NAME (for example "
                   "postgresql://host/db?workspace=boston)", uri);
      return FALSE;
    }
  if (!is_valid_name (found))
    {
      g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_URI,
                   "workspace name '%s' is not valid: use lower-case letters, digits and _ "
                   "(at most %d), starting with a letter", found, NAME_MAX_LENGTH);
      return FALSE;
    }

  if (is_url)
    {
      g_autofree char *base = g_strndup (uri, query != NULL ? (gsize) (query - uri) : strlen (uri));

      joined = g_strjoinv ("&", kept_items);
      *conninfo = joined[0] != '\0' ? g_strconcat (base, "?", joined, NULL) : g_steal_pointer (&base);
    }
  else
    *conninfo = g_strjoinv (" ", kept_items);
  *name = g_steal_pointer (&found);
  return TRUE;
}

char *
tw_pg_describe_uri (const char *uri)
{
  g_autofree char *name = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *host = NULL;
  g_autofree char *service = NULL;
  PQconninfoOption *options;

  g_return_val_if_fail (uri != NULL, NULL);

  if (!split_uri (uri, &name, &conninfo, NULL))
    return g_strdup (uri);
  options = PQconninfoParse (conninfo, NULL);
  for (PQconninfoOption *o = options; o != NULL && o->keyword != NULL; o++)
    if (o->val != NULL && o->val[0] != '\0')
      {
        if (strcmp (o->keyword, "host") == 0)
          host = g_strdup (o->val);
        else if (strcmp (o->keyword, "service") == 0)
          service = g_strdup (o->val);
      }
  PQconninfoFree (options);
  if (host != NULL)
    return g_strdup_printf ("workspace '%s' on %s", name, host);
  if (service != NULL)
    return g_strdup_printf ("workspace '%s' of service %s", name, service);
  return g_strdup_printf ("workspace '%s' on this machine's server", name);
}

/* libpq's settings for @conninfo must parse and hold no password: a password on a command
 * line is seen by every user of the machine (ps). */
static gboolean
check_conninfo (const char  *uri,
                const char  *conninfo,
                GError     **error)
{
  char *message = NULL;
  PQconninfoOption *options = PQconninfoParse (conninfo, &message);
  gboolean has_password = FALSE;

  if (options == NULL)
    {
      g_autofree char *text = g_strdup (message != NULL ? g_strstrip (message) : "out of memory");

      PQfreemem (message);
      g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_URI,
                   "%s is not a connection URI libpq reads: %s", uri, text);
      return FALSE;
    }
  for (PQconninfoOption *o = options; o->keyword != NULL; o++)
    if (strcmp (o->keyword, "password") == 0 && o->val != NULL && o->val[0] != '\0')
      has_password = TRUE;
  PQconninfoFree (options);

  if (has_password)
    {
      g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_URI,
                   "the workspace URI holds a password, which every user of this machine "
                   "could read; remove it and put it in ~/.pgpass (or $PGPASSFILE)");
      return FALSE;
    }
  return TRUE;
}

static char *
first_line (const char *text)
{
  g_autofree char *copy = g_strdup (text != NULL ? text : "");
  char *end = strchr (copy, '\n');

  if (end != NULL)
    *end = '\0';
  return g_strdup (g_strstrip (copy));
}

gboolean
tw_pg_set_error (TwPgWorkspace  *self,
                 const PGresult *result,
                 const char     *what,
                 GError        **error)
{
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  const char *primary = result != NULL ? PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY)
                                       : NULL;
  g_autofree char *message = first_line (primary != NULL ? primary
                                                         : PQerrorMessage (self->conn));

  /* 42501: insufficient_privilege, raised by grants and by row-level security. */
  if (state != NULL && strcmp (state, "42501") == 0)
    g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_DENIED,
                 "%s: the server refused it to this login (%s); ask the workspace's owner "
                 "for a role that allows it", what, message);
  else
    g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_SERVER, "%s: %s", what, message);
  return FALSE;
}

PGresult *
tw_pg_exec (TwPgWorkspace       *self,
            const char          *what,
            GError             **error,
            const char          *sql,
            int                  n_params,
            const char * const  *params)
{
  g_autoptr(PGresult) result = PQexecParams (self->conn, sql, n_params, NULL, params,
                                             NULL, NULL, 0);
  ExecStatusType status = PQresultStatus (result);

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      tw_pg_set_error (self, result, what, error);
      return NULL;
    }
  return g_steal_pointer (&result);
}

gboolean
tw_pg_run (TwPgWorkspace       *self,
           const char          *what,
           GError             **error,
           const char          *sql,
           int                  n_params,
           const char * const  *params)
{
  g_autoptr(PGresult) result = tw_pg_exec (self, what, error, sql, n_params, params);

  return result != NULL;
}

gboolean
tw_pg_begin (TwPgWorkspace  *self,
             GError        **error)
{
  return tw_pg_run (self, "begin", error, "BEGIN", 0, NULL);
}

gboolean
tw_pg_commit (TwPgWorkspace  *self,
              GError        **error)
{
  return tw_pg_run (self, "commit", error, "COMMIT", 0, NULL);
}

void
tw_pg_rollback (TwPgWorkspace *self)
{
  g_autoptr(PGresult) result = NULL;

  if (PQtransactionStatus (self->conn) != PQTRANS_IDLE)
    result = PQexec (self->conn, "ROLLBACK");
}

static char *
quote_ident (TwPgWorkspace *self,
             const char    *text)
{
  char *quoted = PQescapeIdentifier (self->conn, text, strlen (text));
  char *copy = g_strdup (quoted);

  PQfreemem (quoted);
  return copy;
}

static char *
quote_literal (TwPgWorkspace *self,
               const char    *text)
{
  char *quoted = PQescapeLiteral (self->conn, text, strlen (text));
  char *copy = g_strdup (quoted);

  PQfreemem (quoted);
  return copy;
}

static char *
group_role (TwPgWorkspace *self,
            const char    *role)
{
  return g_strdup_printf ("%s_%s", self->schema, role);
}

/* The migration's SQL with its placeholders filled: identifiers and literals quoted by
 * libpq, from names checked by is_valid_name. */
static char *
migration_sql (TwPgWorkspace  *self,
               const char     *file,
               GError        **error)
{
  g_autofree char *path = g_strconcat ("/io/github/tractwise/pg/", file, NULL);
  g_autoptr(GBytes) bytes = g_resource_lookup_data (tw_pg_get_resource (), path, 0, error);
  g_autoptr(GString) sql = NULL;
  g_autofree char *channel = NULL;

  if (bytes == NULL)
    return NULL;
  sql = g_string_new_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_string_replace (sql, "@schema@", self->schema_ident, 0);
  for (guint i = 0; i < G_N_ELEMENTS (group_roles); i++)
    {
      g_autofree char *placeholder = g_strdup_printf ("@%s@", group_roles[i]);
      g_autofree char *role = group_role (self, group_roles[i]);
      g_autofree char *ident = quote_ident (self, role);

      g_string_replace (sql, placeholder, ident, 0);
    }
  channel = quote_literal (self, self->schema);
  g_string_replace (sql, "@channel@", channel, 0);
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

static gboolean
ensure_group_roles (TwPgWorkspace  *self,
                    GError        **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (group_roles); i++)
    {
      g_autofree char *role = group_role (self, group_roles[i]);
      const char *params[] = { role };
      g_autoptr(PGresult) found = tw_pg_exec (self, "looking up the workspace's roles", error,
                                              "SELECT 1 FROM pg_roles WHERE rolname = $1",
                                              1, params);
      g_autofree char *ident = NULL;
      g_autofree char *sql = NULL;

      if (found == NULL)
        return FALSE;
      if (PQntuples (found) > 0)
        continue;
      ident = quote_ident (self, role);
      sql = g_strdup_printf ("CREATE ROLE %s NOLOGIN", ident);
      if (!tw_pg_run (self, "creating the workspace's roles", error, sql, 0, NULL))
        return FALSE;
    }
  return TRUE;
}

/* The workspace's schema version (0 when it has none yet), under the workspace's advisory
 * lock of the current transaction. */
static gboolean
read_schema_version (TwPgWorkspace  *self,
                     gboolean        create,
                     GError        **error)
{
  const char *params[] = { self->schema };
  g_autoptr(PGresult) exists = NULL;
  g_autoptr(PGresult) version = NULL;
  g_autofree char *sql = NULL;

  if (!tw_pg_run (self, "locking the workspace", error,
                  "SELECT pg_advisory_xact_lock (hashtext ('tractwise:' || $1))", 1, params))
    return FALSE;
  exists = tw_pg_exec (self, "looking up the workspace", error,
                       "SELECT to_regclass (quote_ident ($1) || '.schema_version') IS NOT NULL,"
                       "       EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)",
                       1, params);
  if (exists == NULL)
    return FALSE;

  if (strcmp (PQgetvalue (exists, 0, 0), "t") != 0)
    {
      if (!create)
        {
          g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_NO_WORKSPACE,
                       "the database has no workspace '%s'; publish a file into it first "
                       "(tractwise-cli publish FILE URI)", self->name);
          return FALSE;
        }
      if (strcmp (PQgetvalue (exists, 0, 1), "t") != 0)
        {
          sql = g_strdup_printf ("CREATE SCHEMA %s", self->schema_ident);
          if (!tw_pg_run (self, "creating the workspace", error, sql, 0, NULL))
            return FALSE;
          g_clear_pointer (&sql, g_free);
        }
      sql = g_strdup_printf ("CREATE TABLE %s.schema_version ("
                             "  version integer PRIMARY KEY,"
                             "  applied_at timestamptz NOT NULL DEFAULT now (),"
                             "  applied_by text NOT NULL DEFAULT session_user)",
                             self->schema_ident);
      if (!tw_pg_run (self, "creating the workspace", error, sql, 0, NULL))
        return FALSE;
      g_clear_pointer (&sql, g_free);
    }

  sql = g_strdup_printf ("SELECT coalesce (max (version), 0) FROM %s.schema_version",
                         self->schema_ident);
  version = tw_pg_exec (self, "reading the workspace's version", error, sql, 0, NULL);
  if (version == NULL)
    return FALSE;
  self->schema_version = atoi (PQgetvalue (version, 0, 0));
  return TRUE;
}

static gboolean
migrate (TwPgWorkspace  *self,
         gboolean        create,
         GError        **error)
{
  if (!tw_pg_begin (self, error))
    return FALSE;
  if (!read_schema_version (self, create, error) || !tw_pg_commit (self, error))
    goto failed;

  if (self->schema_version > TW_PG_SCHEMA_VERSION)
    {
      g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_TOO_NEW,
                   "workspace '%s' was made by a newer Tractwise (schema %d, this one knows "
                   "%d); update Tractwise to open it", self->name, self->schema_version,
                   TW_PG_SCHEMA_VERSION);
      return FALSE;
    }

  /* Each migration in its own transaction, under the workspace's lock, so two clients
   * opening an old workspace at once do not both migrate it. */
  while (self->schema_version < TW_PG_SCHEMA_VERSION)
    {
      g_autofree char *sql = NULL;
      g_autofree char *version = NULL;
      g_autofree char *what = NULL;
      g_autoptr(PGresult) result = NULL;
      const char *params[1];
      int next;

      if (!tw_pg_begin (self, error) || !read_schema_version (self, create, error))
        goto failed;
      if (self->schema_version >= TW_PG_SCHEMA_VERSION)
        {
          if (!tw_pg_commit (self, error))
            goto failed;
          break;
        }
      next = self->schema_version + 1;
      what = g_strdup_printf ("updating workspace '%s' to schema %d (%s)", self->name, next,
                              migrations[next - 1]);
      if (!ensure_group_roles (self, error))
        goto failed;
      sql = g_strdup_printf ("SET LOCAL search_path = %s, public", self->schema_ident);
      if (!tw_pg_run (self, what, error, sql, 0, NULL))
        goto failed;
      g_clear_pointer (&sql, g_free);
      sql = migration_sql (self, migrations[next - 1], error);
      if (sql == NULL)
        goto failed;
      result = PQexec (self->conn, sql);
      if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
        {
          tw_pg_set_error (self, result, what, error);
          goto failed;
        }
      g_clear_pointer (&sql, g_free);
      version = g_strdup_printf ("%d", next);
      params[0] = version;
      sql = g_strdup_printf ("INSERT INTO %s.schema_version (version) VALUES ($1::integer)",
                             self->schema_ident);
      if (!tw_pg_run (self, what, error, sql, 1, params) || !tw_pg_commit (self, error))
        goto failed;
      self->schema_version = next;
    }
  return TRUE;

failed:
  tw_pg_rollback (self);
  return FALSE;
}

gboolean
tw_pg_is_workspace_uri (const char *location)
{
  const char *equals;

  g_return_val_if_fail (location != NULL, FALSE);

  if (g_str_has_prefix (location, "postgresql://") || g_str_has_prefix (location, "postgres://"))
    return TRUE;
  /* keyword=value settings: a word, then '=' (a file name rarely looks like that). */
  equals = strchr (location, '=');
  if (equals == NULL || equals == location)
    return FALSE;
  for (const char *p = location; p < equals; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

TwPgWorkspace *
tw_pg_workspace_open (const char  *uri,
                      gboolean     create,
                      GError     **error)
{
  g_autoptr(TwPgWorkspace) self = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *name = NULL;
  g_autofree char *search_path = NULL;
  const char *keywords[] = { "dbname", "fallback_application_name", NULL };
  const char *values[] = { NULL, "tractwise", NULL };

  g_return_val_if_fail (uri != NULL, NULL);

  if (!tw_pg_is_workspace_uri (uri))
    {
      g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_URI,
                   "%s is not a workspace URI; write postgresql://[user@]host[:port]/db"
                   "?workspace=NAME or service=NAME workspace=NAME", uri);
      return NULL;
    }
  if (!split_uri (uri, &name, &conninfo, error) || !check_conninfo (uri, conninfo, error))
    return NULL;

  self = g_new0 (TwPgWorkspace, 1);
  self->name = g_steal_pointer (&name);
  self->schema = g_strconcat ("tractwise_", self->name, NULL);
  values[0] = conninfo;
  self->conn = PQconnectdbParams (keywords, values, TRUE);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *message = first_line (PQerrorMessage (self->conn));

      g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_CONNECT,
                   "cannot reach the team server of workspace '%s': %s; check the URI, that "
                   "the server runs, and your login", self->name, message);
      return NULL;
    }
  PQsetNoticeProcessor (self->conn, ignore_notice, NULL);
  self->schema_ident = quote_ident (self, self->schema);

  if (!migrate (self, create, error))
    return NULL;

  search_path = g_strdup_printf ("SET search_path = %s, public", self->schema_ident);
  if (!tw_pg_run (self, "opening the workspace", error, search_path, 0, NULL))
    return NULL;
  return g_steal_pointer (&self);
}

void
tw_pg_workspace_close (TwPgWorkspace *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->conn, PQfinish);
  g_free (self->name);
  g_free (self->schema);
  g_free (self->schema_ident);
  g_free (self);
}

const char *
tw_pg_workspace_get_name (TwPgWorkspace *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

int
tw_pg_workspace_get_schema_version (TwPgWorkspace *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->schema_version;
}

PGconn *
tw_pg_workspace_get_conn (TwPgWorkspace *self)
{
  return self->conn;
}

const char *
tw_pg_workspace_get_schema_ident (TwPgWorkspace *self)
{
  return self->schema_ident;
}

char *
tw_pg_workspace_get_group_role (TwPgWorkspace *self,
                                const char    *role)
{
  return group_role (self, role);
}

gboolean
tw_pg_audit (TwPgWorkspace  *self,
             const char     *action,
             const char     *what,
             const char     *detail,
             GError        **error)
{
  const char *params[] = { action, what, detail };

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (action != NULL && what != NULL, FALSE);

  return tw_pg_run (self, "writing the audit trail", error,
                    "SELECT audit_note ($1, $2, $3)", 3, params);
}
