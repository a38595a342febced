/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-store"

#include "config.h"

#include <math.h>
#include <string.h>

#include "tw-store-array.h"
#include "tw-store-private.h"

#define ARRAY_POINTER_TYPE "tw-store-array"

typedef struct
{
  sqlite3_vtab             base;
  const TwStoreArrayTable *table;
} ArrayVtab;

typedef struct
{
  sqlite3_vtab_cursor  base;
  TwStoreArray         array;
  gsize                i;
} ArrayCursor;

static int
array_connect (sqlite3             *db,
               void                *aux,
               int                  argc,
               const char *const   *argv,
               sqlite3_vtab       **vtab,
               char               **error)
{
  const TwStoreArrayTable *table = aux;
  g_autoptr(GString) declaration = g_string_new ("CREATE TABLE x (");
  ArrayVtab *v;
  int rc;

  for (guint c = 0; c < table->n_columns; c++)
    g_string_append_printf (declaration, "%s, ", table->columns[c].name);
  g_string_append (declaration, "items HIDDEN)");
  rc = sqlite3_declare_vtab (db, declaration->str);
  if (rc != SQLITE_OK)
    return rc;
  v = sqlite3_malloc (sizeof *v);
  if (v == NULL)
    return SQLITE_NOMEM;
  memset (v, 0, sizeof *v);
  v->table = table;
  *vtab = &v->base;
  return SQLITE_OK;
}

static int
array_disconnect (sqlite3_vtab *vtab)
{
  sqlite3_free (vtab);
  return SQLITE_OK;
}

/* Only a scan of the array given as the hidden argument. */
static int
array_best_index (sqlite3_vtab       *vtab,
                  sqlite3_index_info *info)
{
  int hidden = (int) ((ArrayVtab *) vtab)->table->n_columns;

  for (int i = 0; i < info->nConstraint; i++)
    if (info->aConstraint[i].iColumn == hidden && info->aConstraint[i].usable
        && info->aConstraint[i].op == SQLITE_INDEX_CONSTRAINT_EQ)
      {
        info->aConstraintUsage[i].argvIndex = 1;
        info->aConstraintUsage[i].omit = 1;
        info->estimatedCost = 1;
        return SQLITE_OK;
      }
  return SQLITE_CONSTRAINT;
}

static int
array_open (sqlite3_vtab         *vtab,
            sqlite3_vtab_cursor **cursor)
{
  ArrayCursor *c = sqlite3_malloc (sizeof *c);

  if (c == NULL)
    return SQLITE_NOMEM;
  memset (c, 0, sizeof *c);
  *cursor = &c->base;
  return SQLITE_OK;
}

static int
array_close (sqlite3_vtab_cursor *cursor)
{
  sqlite3_free (cursor);
  return SQLITE_OK;
}

static int
array_filter (sqlite3_vtab_cursor  *cursor,
              int                   idx_num,
              const char           *idx_str,
              int                   argc,
              sqlite3_value       **argv)
{
  ArrayCursor *c = (ArrayCursor *) cursor;
  const TwStoreArray *array = argc == 1 ? sqlite3_value_pointer (argv[0], ARRAY_POINTER_TYPE)
                                        : NULL;

  c->array = array != NULL ? *array : (TwStoreArray) { NULL, 0 };
  c->i = 0;
  return SQLITE_OK;
}

static int
array_next (sqlite3_vtab_cursor *cursor)
{
  ((ArrayCursor *) cursor)->i++;
  return SQLITE_OK;
}

static int
array_eof (sqlite3_vtab_cursor *cursor)
{
  ArrayCursor *c = (ArrayCursor *) cursor;

  return c->i >= c->array.n_items;
}

static int
array_column (sqlite3_vtab_cursor *cursor,
              sqlite3_context     *context,
              int                  column)
{
  ArrayCursor *c = (ArrayCursor *) cursor;
  const TwStoreArrayTable *table = ((ArrayVtab *) cursor->pVtab)->table;
  const TwStoreArrayColumn *spec;
  const guint8 *at;

  if (column < 0 || (guint) column >= table->n_columns)
    {
      sqlite3_result_null (context);
      return SQLITE_OK;
    }
  spec = &table->columns[column];
  at = (const guint8 *) c->array.items + c->i * table->item_size + spec->offset;
  switch (spec->type)
    {
    case TW_STORE_ARRAY_INT64:
      sqlite3_result_int64 (context, *(const gint64 *) at);
      break;
    case TW_STORE_ARRAY_DOUBLE_OR_NULL:
      if (isnan (*(const double *) at))
        {
          sqlite3_result_null (context);
          break;
        }
      /* fall through */
    case TW_STORE_ARRAY_DOUBLE:
      sqlite3_result_double (context, *(const double *) at);
      break;
    case TW_STORE_ARRAY_BOOLEAN:
      sqlite3_result_int (context, *(const gboolean *) at ? 1 : 0);
      break;
    }
  return SQLITE_OK;
}

static int
array_rowid (sqlite3_vtab_cursor *cursor,
             sqlite3_int64       *rowid)
{
  *rowid = (sqlite3_int64) ((ArrayCursor *) cursor)->i;
  return SQLITE_OK;
}

static const sqlite3_module array_module = {
  .iVersion = 0,
  .xConnect = array_connect,
  .xBestIndex = array_best_index,
  .xDisconnect = array_disconnect,
  .xOpen = array_open,
  .xClose = array_close,
  .xFilter = array_filter,
  .xNext = array_next,
  .xEof = array_eof,
  .xColumn = array_column,
  .xRowid = array_rowid,
};

sqlite3_stmt *
tw_store_prepare_array (TwStore                  *self,
                        const TwStoreArrayTable  *table,
                        const char               *sql,
                        GError                  **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL && table != NULL && sql != NULL, NULL);

  /* The function is this connection's own, registered the first time it is wanted. */
  stmt = tw_store_prepare (self, sql, NULL);
  if (stmt != NULL)
    return stmt;
  if (sqlite3_create_module_v2 (tw_store_get_db (self), table->name, &array_module,
                                (void *) table, NULL) != SQLITE_OK)
    {
      tw_store_set_sql_error (self, error, "storing rows in bulk");
      return NULL;
    }
  return tw_store_prepare (self, sql, error);
}

void
tw_store_bind_array (sqlite3_stmt       *stmt,
                     int                 index,
                     const TwStoreArray *array)
{
  sqlite3_bind_pointer (stmt, index, (void *) array, ARRAY_POINTER_TYPE, NULL);
}
