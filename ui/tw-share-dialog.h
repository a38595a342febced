/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-document.h"

G_BEGIN_DECLS

/*
 * Share with a Partner: everything or one partner's share (its projects, their areas'
 * geographies, its own contact details), the measures to include, whether partners' contact details go too,
 * what the package will hold (and that suppressed cells are withheld under the project's
 * policy), then a file, written in a thread with progress and Cancel. Emits "shared" with
 * a one-line summary when the package is written (the audit log has its row by then).
 */

#define TW_TYPE_SHARE_DIALOG (tw_share_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TwShareDialog, tw_share_dialog, TW, SHARE_DIALOG, AdwWindow)

TwShareDialog *tw_share_dialog_new_for_document (GtkWindow  *parent,
                                                 TwDocument *document);
/* A dialog with a document of its own for the project at @project_path. */
TwShareDialog *tw_share_dialog_new          (GtkWindow     *parent,
                                             const char    *project_path);

/* For the tests: TRUE while the project is read; the measures offered, chosen or not; what
 * the package holds, as the rows say it; writing to @path without the file chooser. */
gboolean       tw_share_dialog_get_loading  (TwShareDialog *self);
guint          tw_share_dialog_get_n_measures (TwShareDialog *self);
void           tw_share_dialog_set_measure_active (TwShareDialog *self,
                                                   guint          index,
                                                   gboolean       active);
/* The partners the picker offers after "Everything" (those with a project), and choosing
 * one (NULL: everything) as a user would. */
guint          tw_share_dialog_get_n_partners (TwShareDialog *self);
const char    *tw_share_dialog_get_partner_name (TwShareDialog *self,
                                                 guint          index);
void           tw_share_dialog_choose_partner (TwShareDialog *self,
                                               const char    *partner);
void           tw_share_dialog_set_with_contacts (TwShareDialog *self,
                                                  gboolean       with_contacts);
char          *tw_share_dialog_get_contents_text (TwShareDialog *self);
void           tw_share_dialog_write_to     (TwShareDialog *self,
                                             const char    *path);
gboolean       tw_share_dialog_get_writing  (TwShareDialog *self);
void           tw_share_dialog_cancel       (TwShareDialog *self);

G_END_DECLS
