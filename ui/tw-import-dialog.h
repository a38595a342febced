/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-document.h"
#include "tw-import-preview.h"

G_BEGIN_DECLS

#define TW_TYPE_IMPORT_DIALOG (tw_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TwImportDialog, tw_import_dialog, TW, IMPORT_DIALOG, AdwWindow)

/* The import assistant for @source into the project at @project: it reads the first rows,
 * recognises boundaries or an outcome table, lets the columns be chosen, checks every row
 * without writing anything, then imports with progress. Emits "imported" when done. */
TwImportDialog *tw_import_dialog_new_for_document (GtkWindow  *parent,
                                                  TwDocument *document,
                                                  GFile      *source);
/* The same, with a document of its own for the project at @project. */
TwImportDialog *tw_import_dialog_new           (GtkWindow      *parent,
                                                GFile          *project,
                                                GFile          *source);

/* The geography the window shows: the assistant suggests it for an outcome table unless
 * the table's GEOIDs are areas of another geography more often. Call before it is shown. */
void            tw_import_dialog_set_geography (TwImportDialog *self,
                                                const char     *geography);
/* The geography the outcomes go into, as chosen now; NULL before the file is read. */
const char     *tw_import_dialog_get_geography (TwImportDialog *self);
/* Why that geography is suggested (the geography row's subtitle), or NULL. */
const char     *tw_import_dialog_get_geography_reason (TwImportDialog *self);

/* "reading", "error", "setup", "checking", "report" or "importing". */
const char     *tw_import_dialog_get_page      (TwImportDialog *self);
TwImportKind    tw_import_dialog_get_kind      (TwImportDialog *self);
/* The column chosen for @role, or NULL (a value for every row, or nothing chosen). */
const char     *tw_import_dialog_get_column    (TwImportDialog *self,
                                                TwImportColumn  role);
/* Chooses @field for @role; NULL chooses none. FALSE when the file has no such column. */
gboolean        tw_import_dialog_set_column    (TwImportDialog *self,
                                                TwImportColumn  role,
                                                const char     *field);
/* The preview table's rows shown. */
guint           tw_import_dialog_get_n_preview_rows (TwImportDialog *self);
/* Checks every row, as the Check button does; FALSE when the choices are incomplete. */
gboolean        tw_import_dialog_check         (TwImportDialog *self);
/* Imports, as the Import button does; FALSE unless a check found no problem. */
gboolean        tw_import_dialog_import        (TwImportDialog *self);
/* Stops a check or an import: nothing is written. */
void            tw_import_dialog_stop          (TwImportDialog *self);
/* Converts the table to @to_geography through @relationship as it is imported, as the
 * Convert to Another Geography row does; NULL turns conversion off. */
void            tw_import_dialog_set_conversion (TwImportDialog *self,
                                                 const char     *to_geography,
                                                 GFile          *relationship);
/* The conversion row's subtitle (an offer when the map shows another geography than the
 * table's), or NULL when the workspace has a single geography. */
const char     *tw_import_dialog_get_conversion_offer (TwImportDialog *self);
/* A points file's denominators: from @table, or from the areas' @attribute. */
void            tw_import_dialog_set_denominators (TwImportDialog *self,
                                                   GFile          *table,
                                                   const char     *attribute);
/* Types @measure and @period (either may be NULL) into their rows. */
void            tw_import_dialog_set_text      (TwImportDialog *self,
                                                const char     *measure,
                                                const char     *period);
/* The last report as shown: its summary, then each listed row as "title: text". */
const char     *tw_import_dialog_get_report    (TwImportDialog *self);
/* The problems listed by the last check, as shown: "row 12 (line 13): …". */
GStrv           tw_import_dialog_get_problems  (TwImportDialog *self);
/* The import's progress, 0 to 1; notifies "fraction". */
double          tw_import_dialog_get_fraction  (TwImportDialog *self);

G_END_DECLS
