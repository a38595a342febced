/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-pg"

#include <string.h>

#include "tw-pg.h"
#include "tw-pg-private.h"

/* Members of a workspace: a login role, granted the workspace's group role for what they
 * may do, and a row of `member` for the policies (counties, the partner they speak for). */

static const char *roles[] = { "owner", "analyst", "viewer", "partner" };

static gboolean
is_valid_login (const char *login)
{
  gsize length = strlen (login);

  if (length == 0 || length > 63)
    return FALSE;
  for (const char *p = login; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("_.@-", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
is_valid_county (const char *county)
{
  if (strlen (county) != 5)
    return FALSE;
  for (const char *p = county; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
check_login (const char  *login,
             GError     **error)
{
  if (!is_valid_login (login))
    {
      g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_INVALID,
                   "'%s' is not a login name Tractwise accepts: use letters, digits and "
                   "_ . @ - (at most 63)", login);
      return FALSE;
    }
  return TRUE;
}

/* Takes every role of the workspace from @login. */
static gboolean
revoke_roles (TwPgWorkspace  *self,
              const char     *login,
              GError        **error)
{
  PGconn *conn = tw_pg_workspace_get_conn (self);
  char *login_ident = PQescapeIdentifier (conn, login, strlen (login));
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < G_N_ELEMENTS (roles); i++)
    {
      g_autofree char *group = tw_pg_workspace_get_group_role (self, roles[i]);
      char *group_ident = PQescapeIdentifier (conn, group, strlen (group));
      g_autofree char *sql = g_strdup_printf ("REVOKE %s FROM %s", group_ident, login_ident);

      ok = tw_pg_run (self, "taking the member's roles", error, sql, 0, NULL);
      PQfreemem (group_ident);
    }
  PQfreemem (login_ident);
  return ok;
}

gboolean
tw_pg_member_add (TwPgWorkspace      *self,
                  const char         *login,
                  const char         *role,
                  const char * const *counties,
                  const char         *partner,
                  GError            **error)
{
  PGconn *conn;
  g_autoptr(GString) county_array = NULL;
  g_autoptr(PGresult) exists = NULL;
  g_autoptr(PGresult) partner_row = NULL;
  g_autofree char *group = NULL;
  g_autofree char *sql = NULL;
  const char *partner_id = NULL;
  char *login_ident;
  char *group_ident;
  gboolean known_role = FALSE;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (login != NULL && role != NULL, FALSE);

  conn = tw_pg_workspace_get_conn (self);
  if (!check_login (login, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    known_role |= strcmp (role, roles[i]) == 0;
  if (!known_role)
    {
      g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_INVALID,
                   "--role %s: a member is an owner, analyst, viewer or partner", role);
      return FALSE;
    }
  if ((strcmp (role, "partner") == 0) != (partner != NULL))
    {
      g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_INVALID,
                   partner != NULL ? "--partner is for members with --role partner"
                                   : "a partner member speaks for one partner organization: "
                                     "name it with --partner NAME");
      return FALSE;
    }
  if (counties != NULL && counties[0] != NULL)
    {
      county_array = g_string_new ("{");
      for (guint i = 0; counties[i] != NULL; i++)
        {
          if (!is_valid_county (counties[i]))
            {
              g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_INVALID,
                           "--counties: '%s' is not a county FIPS code (5 digits, state and "
                           "county, such as 25025)", counties[i]);
              return FALSE;
            }
          g_string_append_printf (county_array, "%s%s", i > 0 ? "," : "", counties[i]);
        }
      g_string_append_c (county_array, '}');
    }

  if (!tw_pg_begin (self, error))
    return FALSE;
  if (partner != NULL)
    {
      const char *params[] = { partner };

      partner_row = tw_pg_exec (self, "looking up the partner", error,
                                "SELECT id::text FROM partner WHERE name = $1", 1, params);
      if (partner_row == NULL)
        goto failed;
      if (PQntuples (partner_row) == 0)
        {
          g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_INVALID,
                       "--partner: workspace '%s' has no partner named '%s'",
                       tw_pg_workspace_get_name (self), partner);
          goto failed;
        }
      partner_id = PQgetvalue (partner_row, 0, 0);
    }

  {
    const char *params[] = { login };

    exists = tw_pg_exec (self, "looking up the login", error,
                         "SELECT 1 FROM pg_roles WHERE rolname = $1", 1, params);
    if (exists == NULL)
      goto failed;
  }

  login_ident = PQescapeIdentifier (conn, login, strlen (login));
  group = tw_pg_workspace_get_group_role (self, role);
  group_ident = PQescapeIdentifier (conn, group, strlen (group));
  /* No password: the server's authentication (pg_hba.conf, a password set by the
   * database's administrator, or Kerberos) decides how the member logs in. */
  ok = PQntuples (exists) > 0
       || tw_pg_run (self, "creating the login", error,
                     (sql = g_strdup_printf ("CREATE ROLE %s LOGIN", login_ident)), 0, NULL);
  g_clear_pointer (&sql, g_free);
  ok = ok && revoke_roles (self, login, error);
  if (ok)
    {
      sql = g_strdup_printf ("GRANT %s TO %s", group_ident, login_ident);
      ok = tw_pg_run (self, "granting the member's role", error, sql, 0, NULL);
    }
  PQfreemem (login_ident);
  PQfreemem (group_ident);
  if (!ok)
    goto failed;

  {
    const char *params[] = { login, role, county_array != NULL ? county_array->str : NULL,
                             partner_id };

    if (!tw_pg_run (self, "recording the member", error,
                    "INSERT INTO member (login, role, counties, partner_id)"
                    " VALUES ($1, $2, $3::text[], $4::bigint)"
                    " ON CONFLICT (login) DO UPDATE SET role = EXCLUDED.role,"
                    "   counties = EXCLUDED.counties, partner_id = EXCLUDED.partner_id,"
                    "   added_by = session_user, added_at = now ()", 4, params)
        || !tw_pg_commit (self, error))
      goto failed;
  }
  return TRUE;

failed:
  tw_pg_rollback (self);
  return FALSE;
}

void
tw_pg_member_free (TwPgMember *member)
{
  if (member == NULL)
    return;
  g_free (member->login);
  g_free (member->role);
  g_strfreev (member->counties);
  g_free (member->partner);
  g_free (member);
}

GPtrArray *
tw_pg_member_list (TwPgWorkspace  *self,
                   GError        **error)
{
  g_autoptr(PGresult) result = NULL;
  GPtrArray *members;

  g_return_val_if_fail (self != NULL, NULL);

  result = tw_pg_exec (self, "listing the members", error,
                       "SELECT m.login, m.role, array_to_string (m.counties, ','), p.name"
                       " FROM member m LEFT JOIN partner p ON p.id = m.partner_id"
                       " ORDER BY m.login", 0, NULL);
  if (result == NULL)
    return NULL;
  members = g_ptr_array_new_with_free_func ((GDestroyNotify) tw_pg_member_free);
  for (int r = 0; r < PQntuples (result); r++)
    {
      TwPgMember *member = g_new0 (TwPgMember, 1);

      member->login = g_strdup (PQgetvalue (result, r, 0));
      member->role = g_strdup (PQgetvalue (result, r, 1));
      if (!PQgetisnull (result, r, 2))
        member->counties = g_strsplit (PQgetvalue (result, r, 2), ",", -1);
      if (!PQgetisnull (result, r, 3))
        member->partner = g_strdup (PQgetvalue (result, r, 3));
      g_ptr_array_add (members, member);
    }
  return members;
}

gboolean
tw_pg_member_remove (TwPgWorkspace  *self,
                     const char     *login,
                     GError        **error)
{
  const char *params[] = { login };
  g_autoptr(PGresult) deleted = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  if (!check_login (login, error) || !tw_pg_begin (self, error))
    return FALSE;
  deleted = tw_pg_exec (self, "removing the member", error,
                        "DELETE FROM member WHERE login = $1 RETURNING 1", 1, params);
  if (deleted == NULL)
    goto failed;
  if (PQntuples (deleted) == 0)
    {
      g_set_error (error, TW_PG_ERROR, TW_PG_ERROR_INVALID,
                   "workspace '%s' has no member '%s' (see 'tractwise-cli member list')",
                   tw_pg_workspace_get_name (self), login);
      goto failed;
    }
  if (!revoke_roles (self, login, error) || !tw_pg_commit (self, error))
    goto failed;
  return TRUE;

failed:
  tw_pg_rollback (self);
  return FALSE;
}
