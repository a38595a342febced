/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's SQLite connection, for the modules of data/store only: everything else reaches
 * the project through the functions of the public headers, so no SQL lives outside this
 * folder (ui/, app/ and the other data/ folders are built with a sqlite3.h that refuses to
 * compile). */
#pragma once

#include <sqlite3.h>

#include "tw-store.h"

G_BEGIN_DECLS

sqlite3      *tw_store_get_db          (TwStore     *self);
/* Opens a server workspace's replica file as a plain file, to bring it up to date. */
TwStore      *tw_store_open_for_replica (const char  *path,
                                         GError     **error);

/* Sets @error from the connection's last SQLite error, prefixed by @what. Returns FALSE. */
gboolean      tw_store_set_sql_error   (TwStore     *self,
                                        GError     **error,
                                        const char  *what);

/* A cached prepared statement for @sql, reset and with its bindings cleared. */
sqlite3_stmt *tw_store_prepare         (TwStore     *self,
                                        const char  *sql,
                                        GError     **error);

/* Steps @stmt, which returns no rows, and resets it; FALSE with @error (prefixed by @what)
 * when it fails. */
gboolean      tw_store_step_done       (TwStore       *self,
                                        sqlite3_stmt  *stmt,
                                        const char    *what,
                                        GError       **error);

/* A column of the current row: text as a copy (NULL for NULL), a number (NAN for NULL). */
char         *tw_store_column_dup      (sqlite3_stmt  *stmt,
                                        int            column);
double        tw_store_column_double   (sqlite3_stmt  *stmt,
                                        int            column);

/* The first column of every row of @stmt (bound already), as text; NULLs are left out.
 * Resets @stmt. */
GStrv         tw_store_collect_texts   (TwStore       *self,
                                        sqlite3_stmt  *stmt,
                                        const char    *what,
                                        GError       **error);

G_END_DECLS
