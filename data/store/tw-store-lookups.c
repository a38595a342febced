/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-store"

#include "config.h"

#include "tw-store-lookups.h"
#include "tw-store-private.h"

gboolean
tw_store_set_query_only (TwStore  *self,
                         GError  **error)
{
  char *message = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (sqlite3_exec (tw_store_get_db (self), "PRAGMA query_only = 1", NULL, NULL,
                    &message) != SQLITE_OK)
    {
      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_SQL,
                   "%s: cannot open the project for reading only: %s",
                   tw_store_get_path (self), message != NULL ? message : "out of memory");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

gboolean
tw_store_list_measure_labels (TwStore  *self,
                              GStrv    *codes,
                              GStrv    *labels,
                              GError  **error)
{
  g_autoptr(GPtrArray) code_list = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) label_list = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (codes != NULL && labels != NULL, FALSE);

  stmt = tw_store_prepare (self, "SELECT code, label FROM measure ORDER BY code", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *label = (const char *) sqlite3_column_text (stmt, 1);

      g_ptr_array_add (code_list, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (label_list, g_strdup (label != NULL ? label : ""));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (self, error, "listing the measures");

  g_ptr_array_add (code_list, NULL);
  g_ptr_array_add (label_list, NULL);
  *codes = (GStrv) g_ptr_array_free (g_steal_pointer (&code_list), FALSE);
  *labels = (GStrv) g_ptr_array_free (g_steal_pointer (&label_list), FALSE);
  return TRUE;
}

GHashTable *
tw_store_list_area_names (TwStore  *self,
                          GError  **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);

  stmt = tw_store_prepare (self, "SELECT g.name, a.geoid, a.name FROM area a "
                           "JOIN geography g ON g.id = a.geography_id "
                           "WHERE a.name IS NOT NULL", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (names,
                         g_strdup_printf ("%s\n%s", sqlite3_column_text (stmt, 0),
                                          sqlite3_column_text (stmt, 1)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 2)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (self, error, "reading the areas' names");
      return NULL;
    }
  return g_steal_pointer (&names);
}
