/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-document.h"

G_BEGIN_DECLS

/*
 * The partner registry of the open project file: the list of partners and the editor of
 * the chosen one. Every edit is written at once, one transaction each (text fields shortly
 * after typing stops, and before the page goes away). Deleting offers Undo; a partner that
 * projects use is not deleted and the message names them.
 */

#define TW_TYPE_PARTNERS_PAGE (tw_partners_page_get_type ())

G_DECLARE_FINAL_TYPE (TwPartnersPage, tw_partners_page, TW, PARTNERS_PAGE, AdwBin)

TwPartnersPage *tw_partners_page_new     (TwDocument     *document);
/* The open project (NULL: none). The page reads its partners in a worker thread, shows
 * them read-only when it is, and reads them again on changed::partners and ::projects;
 * its own writes emit changed::partners. */
TwDocument *tw_partners_page_get_document (TwPartnersPage *self);
void        tw_partners_page_set_document (TwPartnersPage *self,
                                           TwDocument     *document);
/* Reads the partners again, in a worker thread. */
void        tw_partners_page_reload       (TwPartnersPage *self);
guint       tw_partners_page_get_n_partners (TwPartnersPage *self);
/* The id of the partner in the editor, or 0. */
gint64      tw_partners_page_get_selected (TwPartnersPage *self);
void        tw_partners_page_select       (TwPartnersPage *self,
                                           gint64          id);
/* Adds a partner named @name (NULL: a new, numbered name) and opens it; its id or 0. */
gint64      tw_partners_page_add          (TwPartnersPage *self,
                                           const char     *name);
/* Deletes the partner with Undo in a toast; FALSE (and a message) when refused. */
gboolean    tw_partners_page_delete       (TwPartnersPage *self,
                                           gint64          id);
/* Writes what was typed and not yet written. */
void        tw_partners_page_flush        (TwPartnersPage *self);
/* The last refusal shown to the user, or NULL. */
const char *tw_partners_page_get_message  (TwPartnersPage *self);
/* Undoes the last delete (what the toast's button does); FALSE when there is none. */
gboolean    tw_partners_page_undo         (TwPartnersPage *self);

G_END_DECLS
