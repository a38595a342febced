/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The workspace's libpq connection, for the tw-pg-*.c modules of data/store only. */
#pragma once

#include <libpq-fe.h>

#include "tw-pg.h"

G_BEGIN_DECLS

PGconn     *tw_pg_workspace_get_conn   (TwPgWorkspace  *self);
/* The workspace's schema as a quoted identifier, for SQL that names it. */
const char *tw_pg_workspace_get_schema_ident (TwPgWorkspace *self);

/* The name of the workspace's group role for @role (owner, analyst, viewer, partner). */
char       *tw_pg_workspace_get_group_role (TwPgWorkspace *self,
                                            const char    *role);

/* Runs @sql with text @params ($1 …; NULL is SQL NULL). Returns the result when it
 * succeeded (tuples or command), else NULL with @error, prefixed by @what. */
PGresult   *tw_pg_exec                 (TwPgWorkspace  *self,
                                        const char     *what,
                                        GError        **error,
                                        const char     *sql,
                                        int             n_params,
                                        const char * const *params);
/* The same for SQL that returns nothing worth keeping. */
gboolean    tw_pg_run                  (TwPgWorkspace  *self,
                                        const char     *what,
                                        GError        **error,
                                        const char     *sql,
                                        int             n_params,
                                        const char * const *params);

/* Sets @error from @result (or the connection when NULL) prefixed by @what: permission
 * failures as TW_PG_ERROR_DENIED, others as TW_PG_ERROR_SERVER. Returns FALSE. */
gboolean    tw_pg_set_error            (TwPgWorkspace  *self,
                                        const PGresult *result,
                                        const char     *what,
                                        GError        **error);

gboolean    tw_pg_begin                (TwPgWorkspace  *self,
                                        GError        **error);
gboolean    tw_pg_commit               (TwPgWorkspace  *self,
                                        GError        **error);
void        tw_pg_rollback             (TwPgWorkspace  *self);

/* Replaces the file's copy of the workspace with the workspace's rows as of now, in one
 * transaction of each: the tables people edit, or every table (a checkout again, in place). */
gboolean    tw_pg_refresh              (TwPgWorkspace  *self,
                                        TwStore        *store,
                                        gboolean        team_tables_only,
                                        GError        **error);
/* The same for a viewer's or partner's replica: only what their role reads (the published
 * figures, the areas, the policy, and the projects they may see). */
gboolean    tw_pg_refresh_published    (TwPgWorkspace  *self,
                                        TwStore        *store,
                                        gboolean        partner,
                                        GError        **error);
/* tw_pg_checkin; for a replica (@replica) the message of a conflict says the change was
 * not saved rather than naming a file to check out again. */
gboolean    tw_pg_send_edits           (TwPgWorkspace     *self,
                                        TwStore           *store,
                                        TwPgCheckinCounts *counts,
                                        gboolean           replica,
                                        GError           **error);

/* Removes a workspace file with its SQLite journals. */
void        tw_pg_remove_file          (const char     *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

G_END_DECLS
