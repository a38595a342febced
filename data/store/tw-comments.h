/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-store.h"

G_BEGIN_DECLS

/*
 * Partners' comments kept in a project: those a review sent back in a comments file
 * (read and checked by data/report/tw-share.c) and those staff wrote. Errors are
 * TW_SHARE_ERROR's (tw-share-package.h) or TW_STORE_ERROR_SQL.
 */

/* A comment on an area and/or a project, of a review or of a project file. */
typedef struct
{
  char   *geography;      /* the area's geography, or NULL */
  char   *geoid;          /* the area, or NULL: about a project only */
  gint64  project_id;     /* 0: none */
  char   *project_title;
  char   *author;
  char   *body;
  char   *created_at;     /* YYYY-MM-DDTHH:MM:SSZ */
} TwComment;

void        tw_comment_free              (TwComment   *comment);

/* Sets @exported to whether the project's audit log records exporting the share package
 * @package_id made at @created_at: comments answer only the project that made it. */
gboolean    tw_comments_package_exported (TwStore     *store,
                                          const char  *package_id,
                                          const char  *created_at,
                                          gboolean    *exported,
                                          GError     **error);

/* Adds @comments (TwComment *, read from the comments file @path, named in messages) to
 * the project, each on the project's area (a NULL geography: the project's only one)
 * and project; one already there is not added again. Run inside the caller's
 * transaction: a comment on an area or project the project does not hold fails with
 * TW_SHARE_ERROR_UNKNOWN_REFERENCE, and the caller rolls back. Returns how many were
 * added, or -1. */
gint64      tw_comments_add              (TwStore     *store,
                                          const char  *path,
                                          GPtrArray   *comments,
                                          GError     **error);

/* Every comment of the project, oldest first, as TwComment *. */
GPtrArray  *tw_comments_list             (TwStore     *store,
                                          GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwComment, tw_comment_free)

G_END_DECLS
