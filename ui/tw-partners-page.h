/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/*
 * The partner registry of the open project file: the list of partners and the editor of
 * the chosen one. Every edit is written at once, one transaction each (text fields shortly
 * after typing stops, and before the page goes away). Deleting offers Undo; a partner that
 * projects use is not deleted and the message names them.
 */

#define TW_TYPE_PARTNERS_PAGE (tw_partners_page_get_type ())

G_DECLARE_FINAL_TYPE (TwPartnersPage, tw_partners_page, TW, PARTNERS_PAGE, AdwBin)

/* The project file (NULL: none); reads its partners. */
void        tw_partners_page_set_path     (TwPartnersPage *self,
                                           const char     *path);
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
/* A review copy's partners: shown, with nothing to add, edit or delete. */
void        tw_partners_page_set_read_only (TwPartnersPage *self,
                                            gboolean        read_only);
/* Writes what was typed and not yet written. */
void        tw_partners_page_flush        (TwPartnersPage *self);
/* The last refusal shown to the user, or NULL. */
const char *tw_partners_page_get_message  (TwPartnersPage *self);
/* Undoes the last delete (what the toast's button does); FALSE when there is none. */
gboolean    tw_partners_page_undo         (TwPartnersPage *self);

G_END_DECLS
