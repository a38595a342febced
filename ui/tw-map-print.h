/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tw-choropleth.h"
#include "tw-document.h"
#include "tw-outlines.h"

G_BEGIN_DECLS

/* Prints @map, from the project of @document, on one page with the layout of the PDF
 * map export, drawn by the same renderer at the size of the page chosen in the print
 * dialog. The page is laid out in a thread first; a print that went through adds a
 * "print" row to the project's audit log. With @export_path the print dialog is skipped
 * and the page is written to that PDF file (GTK_PRINT_OPERATION_ACTION_EXPORT). With
 * @have_outlines, @counties and @states (either may be NULL) are the export's outlines,
 * built already; without, they are built first.
 * A map in the analyst view is refused (TW_EXPORT_ERROR_INVALID). */
void      tw_map_print_async   (GtkWindow           *parent,
                                TwDocument          *document,
                                TwChoropleth        *map,
                                gboolean             have_outlines,
                                TwLineSet           *counties,
                                TwLineSet           *states,
                                const char          *export_path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data);
/* TRUE when printed; FALSE with G_IO_ERROR_CANCELLED when the user cancelled. */
gboolean  tw_map_print_finish  (GAsyncResult        *result,
                                GError             **error);

G_END_DECLS
