/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-area-layer.h"
#include "tw-document.h"
#include "tw-review-session.h"

G_BEGIN_DECLS

/* The Comments page of a window reviewing a share package: the reviewer's comments, their
 * name, and buttons to open an earlier comments file and to save. */

#define TW_TYPE_COMMENTS_PAGE (tw_comments_page_get_type ())

G_DECLARE_FINAL_TYPE (TwCommentsPage, tw_comments_page, TW, COMMENTS_PAGE, AdwBin)

/* @document: a share package's review (its review-session a TwReviewSession). */
TwCommentsPage *tw_comments_page_new          (TwDocument      *document);
/* The Comments page of a workspace: the comments partners sent back, newest first, each
 * with its author, date and area or project (tw_comments_page_set_received). */
TwCommentsPage *tw_comments_page_new_received (void);
/* Lists @comments (TwComment *, borrowed: kept alive by the caller while shown); @layer,
 * when it holds a comment's geography, names its area. */
void            tw_comments_page_set_received (TwCommentsPage  *self,
                                               GPtrArray       *comments,
                                               TwAreaLayer     *layer);
/* The comments as listed, one line each ("subject: text"), for the tests. */
char           *tw_comments_page_get_text     (TwCommentsPage  *self);

/* Asks for a comment on an area (@geoid) or a project (@project_id > 0) and adds it to
 * @session. @subject names it ("Wake County", "the project “Home visits”"). */
void            tw_comment_dialog_present     (GtkWindow       *parent,
                                               TwReviewSession *session,
                                               const char      *subject,
                                               const char      *geography,
                                               const char      *geoid,
                                               gint64           project_id);
/* What the subject of @comment is, in words: "Wake (area 37183)", "Project “…”". */
char           *tw_comment_describe_subject   (TwReviewSession *session,
                                               const TwComment *comment);

G_END_DECLS
