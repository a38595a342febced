/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-store-private.h"
#include <sqlite3.h>

G_BEGIN_DECLS

/*
 * An SQLite file that came from outside (a share package a partner was sent) is read
 * as hostile: opened read-only and immutable (no journal, -wal or -shm is ever made
 * beside it), in SQLite's defensive mode with its schema untrusted, triggers and views
 * off and no extension loading, under tight limits, and with a progress handler that
 * stops any statement once the work passes a budget proportional to the file's size or
 * the caller cancels. Only ordinary tables are read: tw_untrusted_check_table refuses a
 * view, a virtual table or a generated column under an expected name.
 */

#define TW_UNTRUSTED_ERROR (tw_untrusted_error_quark ())

typedef enum
{
  TW_UNTRUSTED_ERROR_UNREADABLE,   /* missing, not a regular file, too large */
  TW_UNTRUSTED_ERROR_NOT_SQLITE,   /* no SQLite database */
  TW_UNTRUSTED_ERROR_DAMAGED,      /* corrupt, or a table is not what it must be */
  TW_UNTRUSTED_ERROR_TOO_MUCH_WORK /* reading it passed the work budget */
} TwUntrustedError;

typedef struct _TwUntrusted TwUntrusted;

GQuark        tw_untrusted_error_quark   (void);

/* Opens @path (at most @max_size bytes). @cancellable, if any, stops reading when
 * cancelled (G_IO_ERROR_CANCELLED). Nothing is read but the file's header. */
TwUntrusted  *tw_untrusted_open          (const char    *path,
                                          guint64        max_size,
                                          GCancellable  *cancellable,
                                          GError       **error);
void          tw_untrusted_close         (TwUntrusted   *self);

/* The header's application_id (PRAGMA application_id), read from the bytes. */
guint32       tw_untrusted_get_application_id (TwUntrusted *self);

/* Whether @table is an ordinary table (not a view, not a virtual table) with each of
 * @columns (NULL-terminated) and no generated column. */
gboolean      tw_untrusted_check_table   (TwUntrusted        *self,
                                          const char         *table,
                                          const char *const  *columns,
                                          GError            **error);
/* Whether the schema names @table (of any type); FALSE with @error when it cannot be read. */
gboolean      tw_untrusted_has_table     (TwUntrusted        *self,
                                          const char         *table,
                                          GError            **error);

/* A statement of ours (never text from the file) on the file; finalize it with
 * sqlite3_finalize. */
sqlite3_stmt *tw_untrusted_prepare       (TwUntrusted   *self,
                                          const char    *sql,
                                          GError       **error);
/* Steps @stmt: 1 for a row, 0 when done, -1 with @error set (damaged, over budget or
 * cancelled). */
int           tw_untrusted_step          (TwUntrusted   *self,
                                          sqlite3_stmt  *stmt,
                                          GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwUntrusted, tw_untrusted_close)

G_END_DECLS
