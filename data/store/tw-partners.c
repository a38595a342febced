/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-partners"

#include <string.h>

#include "tw-partners.h"
#include "tw-store-private.h"

G_DEFINE_QUARK (tw-partners-error-quark, tw_partners_error)

static void
partner_project_free (gpointer data)
{
  TwPartnerProject *project = data;

  g_free (project->title);
  g_free (project->role);
  g_free (project);
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text == NULL || text[0] == '\0')
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

TwPartner *
tw_partner_new (const char *name)
{
  TwPartner *partner = g_new0 (TwPartner, 1);

  partner->name = g_strdup (name);
  partner->agreement = g_strdup (TW_PARTNER_AGREEMENT_NONE);
  return partner;
}

TwPartner *
tw_partner_copy (const TwPartner *partner)
{
  TwPartner *copy;

  g_return_val_if_fail (partner != NULL, NULL);

  copy = g_new0 (TwPartner, 1);
  copy->id = partner->id;
  copy->name = g_strdup (partner->name);
  copy->kind = g_strdup (partner->kind);
  copy->contact = g_strdup (partner->contact);
  copy->email = g_strdup (partner->email);
  copy->phone = g_strdup (partner->phone);
  copy->agreement = g_strdup (partner->agreement);
  copy->notes = g_strdup (partner->notes);
  if (partner->projects != NULL)
    {
      copy->projects = g_ptr_array_new_with_free_func (partner_project_free);
      for (guint i = 0; i < partner->projects->len; i++)
        {
          const TwPartnerProject *from = g_ptr_array_index (partner->projects, i);
          TwPartnerProject *to = g_new0 (TwPartnerProject, 1);

          to->id = from->id;
          to->title = g_strdup (from->title);
          to->role = g_strdup (from->role);
          g_ptr_array_add (copy->projects, to);
        }
    }
  return copy;
}

void
tw_partner_free (TwPartner *partner)
{
  if (partner == NULL)
    return;
  g_free (partner->name);
  g_free (partner->kind);
  g_free (partner->contact);
  g_free (partner->email);
  g_free (partner->phone);
  g_free (partner->agreement);
  g_free (partner->notes);
  g_clear_pointer (&partner->projects, g_ptr_array_unref);
  g_free (partner);
}

gboolean
tw_partner_agreement_is_valid (const char *agreement)
{
  return agreement != NULL
         && (g_str_equal (agreement, TW_PARTNER_AGREEMENT_NONE)
             || g_str_equal (agreement, TW_PARTNER_AGREEMENT_MOU)
             || g_str_equal (agreement, TW_PARTNER_AGREEMENT_DUA));
}

static gboolean
validate (TwStore         *store,
          const TwPartner *partner,
          GError         **error)
{
  const char *path = tw_store_get_path (store);
  g_autofree char *name = g_strstrip (g_strdup (partner->name ? partner->name : ""));

  if (name[0] == '\0')
    {
      g_set_error (error, TW_PARTNERS_ERROR, TW_PARTNERS_ERROR_INVALID,
                   "%s: a partner needs a name; give it with --name", path);
      return FALSE;
    }
  if (!g_utf8_validate (partner->name, -1, NULL))
    {
      g_set_error (error, TW_PARTNERS_ERROR, TW_PARTNERS_ERROR_INVALID,
                   "%s: the partner name is not valid UTF-8; retype it", path);
      return FALSE;
    }
  if (partner->agreement != NULL && !tw_partner_agreement_is_valid (partner->agreement))
    {
      g_set_error (error, TW_PARTNERS_ERROR, TW_PARTNERS_ERROR_INVALID,
                   "%s: partner '%s': unknown agreement '%s'; use none, mou (memorandum of "
                   "understanding) or dua (data-use agreement)",
                   path, partner->name, partner->agreement);
      return FALSE;
    }
  if (partner->email != NULL && partner->email[0] != '\0'
      && (strchr (partner->email, '@') == NULL || strchr (partner->email, ' ') != NULL))
    {
      g_set_error (error, TW_PARTNERS_ERROR, TW_PARTNERS_ERROR_INVALID,
                   "%s: partner '%s': '%s' is not an e-mail address; give one like "
                   "name@example.org", path, partner->name, partner->email);
      return FALSE;
    }
  return TRUE;
}

/* The id of another partner (not @except) named @name, or 0. */
static gint64
name_taken (TwStore    *store,
            const char *name,
            gint64      except,
            GError    **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;

  stmt = tw_store_prepare (store, "SELECT id FROM partner WHERE name = ?1 AND id <> ?2",
                           error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, except);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (id > 0)
    g_set_error (error, TW_PARTNERS_ERROR, TW_PARTNERS_ERROR_DUPLICATE,
                 "%s: there is already a partner named '%s' (id %" G_GINT64_FORMAT "); "
                 "choose another name", tw_store_get_path (store), name, id);
  return id;
}

static gboolean
load_projects (TwStore    *store,
               TwPartner  *partner,
               GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = tw_store_prepare (store,
                           "SELECT p.id, p.title, pp.role FROM project_partner pp "
                           "JOIN project p ON p.id = pp.project_id "
                           "WHERE pp.partner_id = ?1 ORDER BY p.id", error);
  if (stmt == NULL)
    return FALSE;
  partner->projects = g_ptr_array_new_with_free_func (partner_project_free);
  sqlite3_bind_int64 (stmt, 1, partner->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TwPartnerProject *project = g_new0 (TwPartnerProject, 1);

      project->id = sqlite3_column_int64 (stmt, 0);
      project->title = tw_store_column_dup (stmt, 1);
      project->role = tw_store_column_dup (stmt, 2);
      g_ptr_array_add (partner->projects, project);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (store, error, "reading a partner's projects");
  return TRUE;
}

static TwPartner *
partner_from_row (sqlite3_stmt *stmt)
{
  TwPartner *partner = g_new0 (TwPartner, 1);

  partner->id = sqlite3_column_int64 (stmt, 0);
  partner->name = tw_store_column_dup (stmt, 1);
  partner->kind = tw_store_column_dup (stmt, 2);
  partner->contact = tw_store_column_dup (stmt, 3);
  partner->email = tw_store_column_dup (stmt, 4);
  partner->phone = tw_store_column_dup (stmt, 5);
  partner->agreement = tw_store_column_dup (stmt, 6);
  partner->notes = tw_store_column_dup (stmt, 7);
  return partner;
}

#define PARTNER_COLUMNS "id, name, kind, contact, email, phone, agreement, notes"

GPtrArray *
tw_partners_list (TwStore  *store,
                  GError  **error)
{
  g_autoptr(GPtrArray) partners = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = tw_store_prepare (store, "SELECT " PARTNER_COLUMNS " FROM partner "
                                  "ORDER BY name COLLATE NOCASE, id", error);
  if (stmt == NULL)
    return NULL;
  partners = g_ptr_array_new_with_free_func ((GDestroyNotify) tw_partner_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (partners, partner_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (store, error, "reading the partners");
      return NULL;
    }

  for (guint i = 0; i < partners->len; i++)
    if (!load_projects (store, g_ptr_array_index (partners, i), error))
      return NULL;
  return g_steal_pointer (&partners);
}

TwPartner *
tw_partners_get (TwStore  *store,
                 gint64    id,
                 GError  **error)
{
  g_autoptr(TwPartner) partner = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = tw_store_prepare (store, "SELECT " PARTNER_COLUMNS " FROM partner WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    partner = partner_from_row (stmt);
  sqlite3_reset (stmt);
  if (partner == NULL)
    {
      g_set_error (error, TW_PARTNERS_ERROR, TW_PARTNERS_ERROR_NOT_FOUND,
                   "%s: no partner with id %" G_GINT64_FORMAT "; 'tractwise-cli partner list' "
                   "shows them", tw_store_get_path (store), id);
      return NULL;
    }
  if (!load_projects (store, partner, error))
    return NULL;
  return g_steal_pointer (&partner);
}

gint64
tw_partners_find (TwStore     *store,
                  const char  *name,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = -1;

  g_return_val_if_fail (store != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  stmt = tw_store_prepare (store, "SELECT id FROM partner WHERE name = ?1", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (id < 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      stmt = tw_store_prepare (store, "SELECT name FROM partner ORDER BY name COLLATE NOCASE",
                               error);
      if (stmt == NULL)
        return -1;
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append_printf (names, "%s'%s'", names->len ? ", " : "",
                                (const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      g_set_error (error, TW_PARTNERS_ERROR, TW_PARTNERS_ERROR_NOT_FOUND,
                   "%s: no partner named '%s' (there are: %s); add it first with "
                   "'tractwise-cli partner add'", tw_store_get_path (store), name,
                   names->len ? names->str : "none");
    }
  return id;
}

static gboolean
write_partner (TwStore         *store,
               const TwPartner *partner,
               const char      *sql,
               gint64           id,
               GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = tw_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, partner->name, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 2, partner->kind);
  bind_text_or_null (stmt, 3, partner->contact);
  bind_text_or_null (stmt, 4, partner->email);
  bind_text_or_null (stmt, 5, partner->phone);
  sqlite3_bind_text (stmt, 6, partner->agreement ? partner->agreement
                                                 : TW_PARTNER_AGREEMENT_NONE,
                     -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 7, partner->notes);
  if (id > 0)
    sqlite3_bind_int64 (stmt, 8, id);
  else
    sqlite3_bind_null (stmt, 8);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (store, error, "storing a partner");
  return TRUE;
}

static gboolean
audit (TwStore    *store,
       const char *action,
       gint64      id,
       const char *name,
       GError    **error)
{
  g_autofree char *detail = g_strdup_printf ("partner %" G_GINT64_FORMAT " '%s'", id, name);

  return tw_store_audit (store, action, detail, error);
}

static gint64
insert_partner (TwStore         *store,
                const TwPartner *partner,
                gint64           id,
                const char      *action,
                GError         **error)
{
  if (!validate (store, partner, error))
    return -1;
  if (name_taken (store, partner->name, id, error) != 0)
    return -1;

  if (!tw_store_begin (store, error))
    return -1;
  if (!write_partner (store, partner,
                      "INSERT INTO partner (name, kind, contact, email, phone, agreement, "
                      "notes, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", id, error))
    goto fail;
  id = sqlite3_last_insert_rowid (tw_store_get_db (store));
  if (!audit (store, action, id, partner->name, error))
    goto fail;
  if (!tw_store_commit (store, error))
    return -1;
  return id;

fail:
  tw_store_rollback (store);
  return -1;
}

gint64
tw_partners_add (TwStore         *store,
                 const TwPartner *partner,
                 GError         **error)
{
  g_return_val_if_fail (store != NULL, -1);
  g_return_val_if_fail (partner != NULL, -1);

  return insert_partner (store, partner, 0, "partner.add", error);
}

gboolean
tw_partners_restore (TwStore         *store,
                     const TwPartner *partner,
                     GError         **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (partner != NULL && partner->id > 0, FALSE);

  {
    sqlite3_stmt *stmt = tw_store_prepare (store, "SELECT 1 FROM partner WHERE id = ?1",
                                           error);
    gboolean exists;

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, partner->id);
    exists = sqlite3_step (stmt) == SQLITE_ROW;
    sqlite3_reset (stmt);
    if (exists)
      {
        g_set_error (error, TW_PARTNERS_ERROR, TW_PARTNERS_ERROR_DUPLICATE,
                     "%s: partner %" G_GINT64_FORMAT " exists already; nothing to restore",
                     tw_store_get_path (store), partner->id);
        return FALSE;
      }
  }
  return insert_partner (store, partner, partner->id, "partner.restore", error) > 0;
}

gboolean
tw_partners_update (TwStore         *store,
                    const TwPartner *partner,
                    GError         **error)
{
  g_autoptr(TwPartner) old = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (partner != NULL, FALSE);

  old = tw_partners_get (store, partner->id, error);
  if (old == NULL)
    return FALSE;
  if (!validate (store, partner, error))
    return FALSE;
  if (name_taken (store, partner->name, partner->id, error) != 0)
    return FALSE;

  if (!tw_store_begin (store, error))
    return FALSE;
  if (!write_partner (store, partner,
                      "UPDATE partner SET name = ?1, kind = ?2, contact = ?3, email = ?4, "
                      "phone = ?5, agreement = ?6, notes = ?7 WHERE id = ?8",
                      partner->id, error)
      || !audit (store, "partner.update", partner->id, partner->name, error))
    {
      tw_store_rollback (store);
      return FALSE;
    }
  return tw_store_commit (store, error);
}

gboolean
tw_partners_delete (TwStore    *store,
                    gint64      id,
                    TwPartner **deleted,
                    GError    **error)
{
  g_autoptr(TwPartner) partner = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (deleted == NULL || *deleted == NULL, FALSE);

  /* A read-only file says so before anything else. */
  if (!tw_store_begin (store, error))
    return FALSE;
  partner = tw_partners_get (store, id, error);
  if (partner == NULL)
    goto fail;

  if (partner->projects->len > 0)
    {
      g_autoptr(GString) titles = g_string_new (NULL);

      for (guint i = 0; i < partner->projects->len; i++)
        {
          TwPartnerProject *project = g_ptr_array_index (partner->projects, i);

          g_string_append_printf (titles, "%s%" G_GINT64_FORMAT " '%s'", i ? ", " : "",
                                  project->id, project->title);
        }
      g_set_error (error, TW_PARTNERS_ERROR, TW_PARTNERS_ERROR_IN_USE,
                   "%s: partner '%s' takes part in project%s %s; remove it from %s first",
                   tw_store_get_path (store), partner->name,
                   partner->projects->len > 1 ? "s" : "", titles->str,
                   partner->projects->len > 1 ? "them" : "it");
      goto fail;
    }

  stmt = tw_store_prepare (store, "DELETE FROM partner WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (store, error, "deleting a partner");
      goto fail;
    }
  if (!audit (store, "partner.delete", id, partner->name, error))
    goto fail;
  if (!tw_store_commit (store, error))
    return FALSE;

  if (deleted != NULL)
    *deleted = g_steal_pointer (&partner);
  return TRUE;

fail:
  tw_store_rollback (store);
  return FALSE;
}
