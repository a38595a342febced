/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-export-log"

#include <json-glib/json-glib.h>

#include "tw-export-log.h"
#include "tw-store-private.h"

static const struct
{
  const char   *action;
  TwExportKind  kind;
  const char   *label;
} kinds[] = {
  { "export-map", TW_EXPORT_KIND_MAP, "Map" },
  { "export-brief", TW_EXPORT_KIND_BRIEF, "Board brief" },
  { "export-share", TW_EXPORT_KIND_SHARE, "Share package" },
  { "print", TW_EXPORT_KIND_PRINT, "Print" },
};

void
tw_export_record_free (TwExportRecord *record)
{
  if (record == NULL)
    return;
  g_clear_pointer (&record->at, g_date_time_unref);
  g_free (record->file);
  g_free (record->path);
  g_free (record->format);
  g_free (record->printer);
  g_free (record->measure);
  g_free (record->period);
  g_free (record);
}

const char *
tw_export_kind_to_label (TwExportKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      return kinds[i].label;
  g_return_val_if_reached (NULL);
}

static char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

static TwExportRecord *
read_record (sqlite3_stmt *stmt)
{
  TwExportRecord *record = g_new0 (TwExportRecord, 1);
  const char *action = (const char *) sqlite3_column_text (stmt, 2);
  const char *detail = (const char *) sqlite3_column_text (stmt, 3);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  record->id = sqlite3_column_int64 (stmt, 0);
  record->at = g_date_time_new_from_iso8601 ((const char *) sqlite3_column_text (stmt, 1), utc);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].action, action) == 0)
      record->kind = kinds[i].kind;

  if (detail != NULL && json_parser_load_from_data (parser, detail, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    object = json_node_get_object (json_parser_get_root (parser));
  record->file = member_string (object, "file");
  record->path = member_string (object, "path");
  record->format = member_string (object, "format");
  record->printer = member_string (object, "printer");
  record->measure = member_string (object, "measure");
  record->period = member_string (object, "period");
  /* A path that is not absolute names no file this program can find again. */
  if (record->path != NULL && !g_path_is_absolute (record->path))
    g_clear_pointer (&record->path, g_free);
  return record;
}

GPtrArray *
tw_export_log_list (TwStore  *store,
                    GError  **error)
{
  g_autoptr(GPtrArray) records = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = tw_store_prepare (store, "SELECT id, at, action, detail FROM audit_log "
                                  "WHERE action IN (?1, ?2, ?3, ?4) ORDER BY id DESC", error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    sqlite3_bind_text (stmt, (int) i + 1, kinds[i].action, -1, SQLITE_STATIC);

  records = g_ptr_array_new_with_free_func ((GDestroyNotify) tw_export_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, read_record (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (store, error, "reading the list of exports");
      return NULL;
    }
  return g_steal_pointer (&records);
}
