/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "tw-store.h"

G_BEGIN_DECLS

/*
 * A C array of structs read by SQL as a table-valued function, so that a batch goes into a
 * table with one INSERT … SELECT rather than a statement stepped a row with each value
 * bound (on millions of rows the binds, the steps and the connection's mutex taken by each
 * call were a third of SQLite's time). Private to data/store.
 */

typedef enum
{
  TW_STORE_ARRAY_INT64,
  TW_STORE_ARRAY_DOUBLE,
  TW_STORE_ARRAY_DOUBLE_OR_NULL,   /* NAN reads as NULL */
  TW_STORE_ARRAY_BOOLEAN,
} TwStoreArrayType;

typedef struct
{
  const char       *name;
  gsize             offset;
  TwStoreArrayType  type;
} TwStoreArrayColumn;

/* The function @name of the columns of @n_columns; its last, hidden column takes the array
 * (tw_store_bind_array). */
typedef struct
{
  const char               *name;
  const TwStoreArrayColumn *columns;
  guint                     n_columns;
  gsize                     item_size;
} TwStoreArrayTable;

/* The array bound to a statement: it must outlive the statement's step. */
typedef struct
{
  const void *items;
  gsize       n_items;
} TwStoreArray;

/* Prepares @sql, which reads `temp.NAME (?N)` of @table, registering the function on the
 * connection the first time. */
sqlite3_stmt *tw_store_prepare_array (TwStore                  *self,
                                      const TwStoreArrayTable  *table,
                                      const char               *sql,
                                      GError                  **error);
void          tw_store_bind_array    (sqlite3_stmt             *stmt,
                                      int                       index,
                                      const TwStoreArray       *array);

G_END_DECLS
