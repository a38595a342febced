/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-pg"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "tw-pg.h"
#include "tw-pg-private.h"
#include "tw-store-private.h"

/* A server workspace read at local speed: every command and the window read a replica
 * file; writes go to the server in the same operation (tw_pg_replica_push). */

/* The tables whose change a replica of @role must read again. */
static const char *published_tables[] = {
  "geography", "area", "measure", "published_rate", "setting", "partner", "project",
  "project_partner", "project_area", "milestone", "comment", "member",
};

static const char *team_tables[] = {
  "partner", "project", "project_partner", "project_area", "milestone", "comment", "setting",
};

static gboolean
in_list (const char * const *list,
         guint               n,
         const char         *name)
{
  for (guint i = 0; i < n; i++)
    if (strcmp (list[i], name) == 0)
      return TRUE;
  return FALSE;
}

/* What the login may read: "full" (raw counts), "viewer" or "partner". */
static char *
read_role (TwPgWorkspace  *workspace,
           GError        **error)
{
  g_autoptr(PGresult) result = tw_pg_exec (workspace, "looking up your role", error,
                                           "SELECT has_table_privilege ('outcome_value',"
                                           "                            'SELECT'),"
                                           "       has_table_privilege ('project', 'SELECT'),"
                                           "       has_table_privilege ('published_rate',"
                                           "                            'SELECT')",
                                           0, NULL);

  if (result == NULL)
    return NULL;
  if (strcmp (PQgetvalue (result, 0, 0), "t") == 0)
    return g_strdup ("full");
  if (strcmp (PQgetvalue (result, 0, 1), "t") == 0)
    return g_strdup ("viewer");
  if (strcmp (PQgetvalue (result, 0, 2), "t") == 0)
    return g_strdup ("partner");
  g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_DENIED,
               "your login is no member of workspace '%s'; ask its owner to add you "
               "(tractwise-cli member add)", tw_pg_workspace_get_name (workspace));
  return NULL;
}

/* The replica's file: one per server, database, login and workspace, so that two logins
 * of one machine never share what only one of them may read. */
static char *
replica_path (TwPgWorkspace  *workspace,
              GError        **error)
{
  PGconn *conn = tw_pg_workspace_get_conn (workspace);
  g_autoptr(PGresult) user = tw_pg_exec (workspace, "looking up your login", error,
                                         "SELECT session_user", 0, NULL);
  g_autofree char *key = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *name = NULL;

  if (user == NULL)
    return NULL;
  key = g_strdup_printf ("%s\n%s\n%s\n%s\n%s", PQhost (conn), PQport (conn), PQdb (conn),
                         PQgetvalue (user, 0, 0), tw_pg_workspace_get_name (workspace));
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  folder = g_build_filename (g_get_user_cache_dir (), "tractwise", "replicas", NULL);
  /* An analyst's replica holds raw counts: for the user's eyes only. */
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot make the folder of local copies %s: %s; check its permissions",
                   folder, g_strerror (saved));
      return NULL;
    }
  name = g_strdup_printf ("%s-%.16s.tractwise", tw_pg_workspace_get_name (workspace), digest);
  return g_build_filename (folder, name, NULL);
}

/* The server's revision of every table, as a JSON object. */
static JsonObject *
read_revisions (TwPgWorkspace  *workspace,
                GError        **error)
{
  g_autoptr(PGresult) result = tw_pg_exec (workspace, "reading the workspace's revisions",
                                           error, "SELECT name, revision FROM table_revision",
                                           0, NULL);
  JsonObject *revisions;

  if (result == NULL)
    return NULL;
  revisions = json_object_new ();
  for (int r = 0; r < PQntuples (result); r++)
    json_object_set_int_member (revisions, PQgetvalue (result, r, 0),
                                g_ascii_strtoll (PQgetvalue (result, r, 1), NULL, 10));
  return revisions;
}

static JsonObject *
stored_revisions (TwStore *store)
{
  g_autofree char *text = tw_store_get_setting (store, TW_PG_KEY_REPLICA_REVISIONS);
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return json_object_new ();
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The tables whose revision on the server is not the one the replica holds. */
static GStrv
changed_tables (JsonObject *server,
                JsonObject *replica)
{
  g_autoptr(GStrvBuilder) changed = g_strv_builder_new ();
  g_autoptr(GList) names = json_object_get_members (server);

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *held = json_object_get_member (replica, l->data);

      if (held == NULL || !JSON_NODE_HOLDS_VALUE (held)
          || json_node_get_value_type (held) != G_TYPE_INT64
          || json_node_get_int (held) != json_object_get_int_member (server, l->data))
        g_strv_builder_add (changed, l->data);
    }
  return g_strv_builder_end (changed);
}

static gboolean
store_replica_settings (TwStore     *store,
                        const char  *uri,
                        const char  *role,
                        JsonObject  *revisions,
                        GError     **error)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), revisions);
  g_autofree char *text = json_to_string (node, FALSE);

  return tw_store_set_setting (store, TW_PG_KEY_REPLICA_URI, uri, error)
         && tw_store_set_setting (store, TW_PG_KEY_REPLICA_ROLE, role, error)
         && tw_store_set_setting (store, TW_PG_KEY_REPLICA_REVISIONS, text, error);
}

/* The first time: a checkout (or the published figures) into a new file, moved into place
 * only when whole. */
static gboolean
make_replica (TwPgWorkspace  *workspace,
              const char     *uri,
              const char     *role,
              JsonObject     *revisions,
              const char     *path,
              GError        **error)
{
  g_autofree char *partial = g_strdup_printf ("%s.%d.partial", path, (int) getpid ());
  g_autoptr(TwStore) store = NULL;
  gboolean ok;

  tw_pg_remove_file (partial);
  if (strcmp (role, "full") == 0)
    ok = tw_pg_checkout (workspace, partial, error)
         && (store = tw_store_open_for_replica (partial, error)) != NULL;
  else
    ok = (store = tw_store_create (partial, error)) != NULL
         && tw_pg_refresh_published (workspace, store, strcmp (role, "partner") == 0, error);
  ok = ok && store_replica_settings (store, uri, role, revisions, error);
  g_clear_pointer (&store, tw_store_close);
  if (ok && g_chmod (partial, 0600) == 0 && g_rename (partial, path) == 0)
    return TRUE;
  if (ok)
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                 "cannot keep the local copy of workspace '%s' at %s: %s",
                 tw_pg_workspace_get_name (workspace), path, g_strerror (errno));
  tw_pg_remove_file (partial);
  return FALSE;
}

char *
tw_pg_replica_sync (const char  *uri,
                    GStrv       *changed,
                    GError     **error)
{
  g_autoptr(TwPgWorkspace) workspace = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(JsonObject) server = NULL;
  g_autoptr(JsonObject) held = NULL;
  g_auto(GStrv) differ = NULL;
  g_autofree char *role = NULL;
  g_autofree char *path = NULL;
  gboolean bulk = FALSE, wanted = FALSE;

  g_return_val_if_fail (uri != NULL, NULL);

  if (changed != NULL)
    *changed = NULL;
  workspace = tw_pg_workspace_open (uri, FALSE, error);
  if (workspace == NULL || (role = read_role (workspace, error)) == NULL
      || (path = replica_path (workspace, error)) == NULL
      || (server = read_revisions (workspace, error)) == NULL)
    return NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      if (!make_replica (workspace, uri, role, server, path, error))
        return NULL;
      if (changed != NULL)
        *changed = g_strdupv ((char **) team_tables);
      return g_steal_pointer (&path);
    }

  store = tw_store_open_for_replica (path, error);
  if (store == NULL)
    return NULL;
  held = stored_revisions (store);
  differ = changed_tables (server, held);
  for (guint i = 0; differ[i] != NULL; i++)
    {
      gboolean team = in_list (team_tables, G_N_ELEMENTS (team_tables), differ[i]);

      if (strcmp (role, "full") == 0)
        wanted = TRUE, bulk = bulk || !team;
      else if (in_list (published_tables, G_N_ELEMENTS (published_tables), differ[i]))
        wanted = TRUE;
    }
  if (wanted)
    {
      gboolean ok;

      if (strcmp (role, "full") == 0)
        ok = tw_pg_refresh (workspace, store, !bulk, error);
      else
        ok = tw_pg_refresh_published (workspace, store, strcmp (role, "partner") == 0, error);
      if (!ok)
        return NULL;
    }
  if ((wanted || differ[0] != NULL)
      && !store_replica_settings (store, uri, role, server, error))
    return NULL;
  if (changed != NULL)
    *changed = g_steal_pointer (&differ);
  return g_steal_pointer (&path);
}

gboolean
tw_pg_replica_push (TwStore  *store,
                    GError  **error)
{
  g_autofree char *uri = tw_store_get_setting (store, TW_PG_KEY_REPLICA_URI);
  g_autoptr(TwPgWorkspace) workspace = NULL;
  g_autoptr(GError) sent = NULL;
  g_autoptr(GError) undone = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  workspace = tw_pg_workspace_open (uri, FALSE, &sent);
  if (workspace != NULL && tw_pg_send_edits (workspace, store, NULL, TRUE, &sent))
    return TRUE;

  /* Undone: the replica takes the workspace's rows back. When even that fails (the server
   * is gone), the replica is marked stale, and the next open reads everything again. */
  if (workspace == NULL || !tw_pg_refresh (workspace, store, TRUE, &undone))
    tw_store_set_setting (store, TW_PG_KEY_REPLICA_REVISIONS, "{}", NULL);
  if (g_error_matches (sent, TW_PG_ERROR, TW_PG_ERROR_CONFLICT))
    g_propagate_error (error, g_steal_pointer (&sent));
  else
    g_propagate_prefixed_error (error, g_steal_pointer (&sent),
                                "your change was not saved on the team server: ");
  return FALSE;
}

gboolean
tw_pg_add_comment (TwPgWorkspace  *self,
                   gint64          project_id,
                   const char     *geoid,
                   const char     *author,
                   const char     *body,
                   GError        **error)
{
  g_autofree char *project = g_strdup_printf ("%" G_GINT64_FORMAT, project_id);
  g_autofree char *area = NULL;
  const char *params[4];

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (author != NULL && body != NULL, FALSE);

  if (geoid != NULL)
    {
      const char *lookup[] = { geoid };
      g_autoptr(PGresult) found = tw_pg_exec (self, "looking up the area", error,
                                              "SELECT id::text FROM area WHERE geoid = $1"
                                              " ORDER BY id LIMIT 1", 1, lookup);

      if (found == NULL)
        return FALSE;
      if (PQntuples (found) == 0)
        {
          g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_INVALID,
                       "workspace '%s' has no area %s that you may see; give a GEOID of the "
                       "project's areas", tw_pg_workspace_get_name (self), geoid);
          return FALSE;
        }
      area = g_strdup (PQgetvalue (found, 0, 0));
    }
  params[0] = project;
  params[1] = area;
  params[2] = author;
  params[3] = body;
  /* No RETURNING: a partner inserts comments but reads them only through partner_comment. */
  return tw_pg_run (self, "adding the comment", error,
                    "INSERT INTO comment (project_id, area_id, author, body, created_at)"
                    " VALUES ($1::bigint, $2::bigint, $3, $4,"
                    "         to_char (now () AT TIME ZONE 'UTC',"
                    "                  'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))", 4, params);
}
