/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-comments"

#include "tw-comments.h"
#include "tw-share-package.h"
#include "tw-store-private.h"

void
tw_comment_free (TwComment *comment)
{
  if (comment == NULL)
    return;
  g_free (comment->geography);
  g_free (comment->geoid);
  g_free (comment->project_title);
  g_free (comment->author);
  g_free (comment->body);
  g_free (comment->created_at);
  g_free (comment);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

gboolean
tw_comments_package_exported (TwStore     *store,
                              const char  *package_id,
                              const char  *created_at,
                              gboolean    *exported,
                              GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (package_id != NULL && created_at != NULL, FALSE);
  g_return_val_if_fail (exported != NULL, FALSE);

  stmt = tw_store_prepare (store,
                           "SELECT 1 FROM audit_log WHERE action = 'export-share' "
                           "AND json_valid (detail) "
                           "AND json_extract (detail, '$.package_id') = ?1 "
                           "AND json_extract (detail, '$.created_at') = ?2", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, package_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, created_at, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tw_store_set_sql_error (store, error, "reading the export log");
  *exported = rc == SQLITE_ROW;
  return TRUE;
}

static char *
comment_key (gint64      project_id,
             gint64      area_id,
             const char *author,
             const char *body,
             const char *created_at)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "\x1f%" G_GINT64_FORMAT "\x1f%s%s\x1f%s\x1f%s",
                          project_id, area_id, author != NULL ? "=" : "", author != NULL
                          ? author : "", body, created_at);
}

/* The comments already in the project, to add none twice: one pass, then hash lookups. */
static GHashTable *
existing_comments (TwStore  *store,
                   GError  **error)
{
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = tw_store_prepare (store, "SELECT coalesce (project_id, 0), "
                                         "coalesce (area_id, 0), author, body, created_at "
                                         "FROM comment", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (keys, comment_key (sqlite3_column_int64 (stmt, 0),
                                         sqlite3_column_int64 (stmt, 1),
                                         column_text (stmt, 2), column_text (stmt, 3),
                                         column_text (stmt, 4)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (store, error, "reading comments");
      return NULL;
    }
  return g_steal_pointer (&keys);
}

/* Geography name → gint64 * id. */
static GHashTable *
geography_ids (TwStore  *store,
               GError  **error)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = tw_store_prepare (store, "SELECT name, id FROM geography", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 1);

      g_hash_table_insert (ids, g_strdup (column_text (stmt, 0)), g_memdup2 (&id, sizeof id));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (store, error, "reading geographies");
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/* The project's area a comment is on: > 0, or 0 when the project has no such area. */
static gint64
find_area (sqlite3_stmt    *stmt,
           GHashTable      *geographies,
           const TwComment *comment)
{
  gint64 *geography_id = NULL;
  gint64 area_id = 0;

  if (comment->geography != NULL)
    geography_id = g_hash_table_lookup (geographies, comment->geography);
  else if (g_hash_table_size (geographies) == 1)
    {
      GHashTableIter iter;

      g_hash_table_iter_init (&iter, geographies);
      g_hash_table_iter_next (&iter, NULL, (gpointer *) &geography_id);
    }
  if (geography_id == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, *geography_id);
  sqlite3_bind_text (stmt, 2, comment->geoid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    area_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return area_id;
}

gint64
tw_comments_add (TwStore     *store,
                 const char  *path,
                 GPtrArray   *comments,
                 GError     **error)
{
  g_autoptr(GHashTable) geographies = NULL;
  g_autoptr(GHashTable) existing = NULL;
  sqlite3_stmt *area, *project, *insert;
  gint64 added = 0;

  g_return_val_if_fail (store != NULL, -1);
  g_return_val_if_fail (path != NULL, -1);
  g_return_val_if_fail (comments != NULL, -1);

  geographies = geography_ids (store, error);
  if (geographies == NULL)
    return -1;
  area = tw_store_prepare (store, "SELECT id FROM area WHERE geography_id = ?1 AND geoid = ?2",
                           error);
  project = tw_store_prepare (store, "SELECT 1 FROM project WHERE id = ?1", error);
  insert = tw_store_prepare (store, "INSERT INTO comment (project_id, area_id, author, body, "
                             "created_at) VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (area == NULL || project == NULL || insert == NULL)
    return -1;
  existing = existing_comments (store, error);
  if (existing == NULL)
    return -1;

  for (guint i = 0; i < comments->len; i++)
    {
      TwComment *comment = g_ptr_array_index (comments, i);
      gint64 area_id = 0;
      char *key;

      if (comment->geoid != NULL)
        {
          area_id = find_area (area, geographies, comment);
          if (area_id <= 0)
            {
              g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_UNKNOWN_REFERENCE,
                           "%s: comment %u is about area '%s'%s%s%s, which %s this project; "
                           "import comments into the project the package was made from",
                           path, i + 1, comment->geoid,
                           comment->geography != NULL ? " of '" : "",
                           comment->geography != NULL ? comment->geography : "",
                           comment->geography != NULL ? "'" : "",
                           comment->geography == NULL && g_hash_table_size (geographies) > 1
                           ? "names no geography of" : "is not in");
              return -1;
            }
        }
      if (comment->project_id > 0)
        {
          gboolean found;

          sqlite3_bind_int64 (project, 1, comment->project_id);
          found = sqlite3_step (project) == SQLITE_ROW;
          sqlite3_reset (project);
          if (!found)
            {
              g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_UNKNOWN_REFERENCE,
                           "%s: comment %u is about project %" G_GINT64_FORMAT " (%s), which "
                           "is not in this project file", path, i + 1, comment->project_id,
                           comment->project_title != NULL ? comment->project_title : "untitled");
              return -1;
            }
        }

      /* Importing the same file twice adds nothing the second time. */
      key = comment_key (MAX (comment->project_id, 0), area_id, comment->author, comment->body,
                         comment->created_at);
      if (!g_hash_table_add (existing, key))
        continue;

      if (comment->project_id > 0)
        sqlite3_bind_int64 (insert, 1, comment->project_id);
      else
        sqlite3_bind_null (insert, 1);
      if (area_id > 0)
        sqlite3_bind_int64 (insert, 2, area_id);
      else
        sqlite3_bind_null (insert, 2);
      sqlite3_bind_text (insert, 3, comment->author, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 4, comment->body, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 5, comment->created_at, -1, SQLITE_STATIC);
      if (sqlite3_step (insert) != SQLITE_DONE)
        {
          tw_store_set_sql_error (store, error, "storing a comment");
          sqlite3_reset (insert);
          return -1;
        }
      sqlite3_reset (insert);
      added++;
    }
  return added;
}

GPtrArray *
tw_comments_list (TwStore  *store,
                  GError  **error)
{
  g_autoptr(GPtrArray) comments = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  comments = g_ptr_array_new_with_free_func ((GDestroyNotify) tw_comment_free);
  stmt = tw_store_prepare (store,
                           "SELECT g.name, a.geoid, c.project_id, p.title, c.author, c.body, "
                           "c.created_at FROM comment c "
                           "LEFT JOIN area a ON a.id = c.area_id "
                           "LEFT JOIN geography g ON g.id = a.geography_id "
                           "LEFT JOIN project p ON p.id = c.project_id "
                           "ORDER BY c.created_at, c.id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TwComment *comment = g_new0 (TwComment, 1);

      comment->geography = g_strdup (column_text (stmt, 0));
      comment->geoid = g_strdup (column_text (stmt, 1));
      comment->project_id = sqlite3_column_int64 (stmt, 2);
      comment->project_title = g_strdup (column_text (stmt, 3));
      comment->author = g_strdup (column_text (stmt, 4));
      comment->body = g_strdup (column_text (stmt, 5));
      comment->created_at = g_strdup (column_text (stmt, 6));
      g_ptr_array_add (comments, comment);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (store, error, "reading comments");
      return NULL;
    }
  return g_steal_pointer (&comments);
}
