/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-highlight-layer.h"
#include "tw-review-session.h"
#include "tw-window.h"

G_BEGIN_DECLS

/*
 * The window's sharing, split from tw-window.c by concern: "Share with a Partner…"
 * (win.share), "Import Comments…" (win.import-comments), and review mode, the window
 * showing a share package: its banner, the Comments page, the "review" actions
 * (comment-area, comment-project, save-comments, open-comments, show-comments), every edit
 * action disabled, and a question before unsaved comments are lost.
 */

/* Installs win.share and win.import-comments on the window's class. */
void             tw_window_review_class_init    (GtkWidgetClass  *widget_class);

/* Imports the comments file at @path into the project shown, then reads the project again
 * ("Import Comments…" after its file chooser). */
void             tw_window_review_import_comments (TwWindow      *self,
                                                   const char    *path);

/* Whether @file may be opened now: when comments of the review shown are not saved, asks
 * first (and opens @file itself once they are saved or given up). */
gboolean         tw_window_review_may_open      (TwWindow        *self,
                                                 GFile           *file);

/* Enters review mode for @session, or leaves it (NULL). */
void             tw_window_review_set_session   (TwWindow        *self,
                                                 TwReviewSession *session);
TwReviewSession *tw_window_review_get_session   (TwWindow        *self);

/* The comments of the workspace shown (TwComment *, transfer full; NULL: none): listed on a
 * Comments page when there are any, and marked on the map. */
void             tw_window_review_set_comments  (TwWindow        *self,
                                                 GPtrArray       *comments);
/* Marks the commented areas of the map's geography (the reviewer's comments in review
 * mode, the workspace's otherwise); called when the map's areas change. */
void             tw_window_review_update_marks  (TwWindow        *self);
/* The layer drawing those markers, or NULL before the map has areas. */
TwHighlightLayer *tw_window_review_get_marks    (TwWindow        *self);
/* The comments on an area, a few lines for the details card, or NULL when there are none:
 * the reviewer's in review mode, the project's otherwise. */
char            *tw_window_review_describe_area (TwWindow        *self,
                                                 const char      *geography,
                                                 const char      *geoid);

G_END_DECLS
