/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tw-document.h"
#include "tw-review-session.h"

G_BEGIN_DECLS

/* The strip under the header bar of a window reviewing a share package: who shared it and
 * when, that it is read-only, and "Save Comments…". */

#define TW_TYPE_REVIEW_BANNER (tw_review_banner_get_type ())

G_DECLARE_FINAL_TYPE (TwReviewBanner, tw_review_banner, TW, REVIEW_BANNER, GtkWidget)

/* Shown while @document (NULL: none) is a share package's review. */
void         tw_review_banner_set_document (TwReviewBanner *self,
                                            TwDocument     *document);
gboolean     tw_review_banner_get_revealed (TwReviewBanner *self);
const char  *tw_review_banner_get_text    (TwReviewBanner  *self);

G_END_DECLS
