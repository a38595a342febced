/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-share.h"

G_BEGIN_DECLS

/*
 * A share package open for review in a window: the read-only review project built from it
 * in a private temporary folder (deleted with the session), and the comments the reviewer
 * makes, which live here until saved to a comments file.
 */

#define TW_TYPE_REVIEW_SESSION (tw_review_session_get_type ())

G_DECLARE_FINAL_TYPE (TwReviewSession, tw_review_session, TW, REVIEW_SESSION, GObject)

/* Reads @package and builds its review project; blocks (run it in a thread). */
TwReviewSession *tw_review_session_new          (const char       *package,
                                                 GCancellable     *cancellable,
                                                 GError          **error);

const char      *tw_review_session_get_package  (TwReviewSession  *self);
/* The review project's file, for everything that reads a project. */
const char      *tw_review_session_get_project_path (TwReviewSession *self);
/* The metadata of the package ("created_by", "created_at", "policy" …), or NULL. */
const char      *tw_review_session_get_metadata (TwReviewSession  *self,
                                                 const char       *key);
/* An area's name, or NULL. */
const char      *tw_review_session_get_area_name (TwReviewSession *self,
                                                  const char      *geography,
                                                  const char      *geoid);
const char      *tw_review_session_get_project_title (TwReviewSession *self,
                                                      gint64           project_id);
/* "Review copy shared by … on … — read-only. …", for the banner. */
char            *tw_review_session_describe     (TwReviewSession  *self);

/* The reviewer's name, written with each comment; the user's real name at first. */
const char      *tw_review_session_get_author   (TwReviewSession  *self);
void             tw_review_session_set_author   (TwReviewSession  *self,
                                                 const char       *author);

/* Comments: "changed" is emitted after each change. */
guint            tw_review_session_get_n_comments (TwReviewSession *self);
const TwComment *tw_review_session_get_comment  (TwReviewSession  *self,
                                                 guint             index);
gboolean         tw_review_session_add_comment  (TwReviewSession  *self,
                                                 const char       *geography,
                                                 const char       *geoid,
                                                 gint64            project_id,
                                                 const char       *body,
                                                 GError          **error);
void             tw_review_session_remove_comment (TwReviewSession *self,
                                                   guint            index);
/* Adds the comments of an earlier comments file of this package. */
gboolean         tw_review_session_load         (TwReviewSession  *self,
                                                 const char       *path,
                                                 GError          **error);
gboolean         tw_review_session_save         (TwReviewSession  *self,
                                                 const char       *path,
                                                 GError          **error);
/* Whether some comments are not in the last file saved. */
gboolean         tw_review_session_get_unsaved  (TwReviewSession  *self);
/* The file last saved or loaded, or NULL. */
const char      *tw_review_session_get_comments_path (TwReviewSession *self);
/* Where comments go first: "<package>-comments.json" beside the package. */
char            *tw_review_session_suggest_comments_path (TwReviewSession *self);

G_END_DECLS
