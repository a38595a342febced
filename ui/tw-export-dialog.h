/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-document.h"
#include <shumate/shumate.h>

#include "tw-export.h"
#include "tw-map-session.h"
#include "tw-outline-cache.h"

G_BEGIN_DECLS

#define TW_TYPE_EXPORT_DIALOG (tw_export_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TwExportDialog, tw_export_dialog, TW, EXPORT_DIALOG, AdwWindow)

/* The Export Map dialog for the choropleth @session shows of @document: a live preview of
 * the page, its texts, format and size. @map_widget (may be NULL) is where the map is shown,
 * to offer the part of the region on screen; @outlines (may be NULL) shares the county and
 * state lines between exports. Export asks for a file, writes it in a thread (audited) and
 * emits "exported" with the file, then closes. A map in the analyst view is refused until
 * the session's reveal is turned off. */
TwExportDialog *tw_export_dialog_new           (GtkWindow        *parent,
                                                TwDocument       *document,
                                                TwMapSession     *session,
                                                ShumateSimpleMap *map_widget,
                                                TwOutlineCache   *outlines);

/* What the tests drive and look at. */

/* Sets the fields as a user would: @paper "letter" or "a4", or NULL for @width × @height
 * pixels; @dpi for a PNG on paper. */
void            tw_export_dialog_set_page      (TwExportDialog *self,
                                                TwExportFormat  format,
                                                const char     *paper,
                                                gboolean        landscape,
                                                double          dpi,
                                                int             width,
                                                int             height);
/* Chooses the web map (one HTML file) as the format, as a user would. */
void            tw_export_dialog_choose_web_map (TwExportDialog *self);
/* Chooses the table of the map's figures with its codebook (CSV). */
void            tw_export_dialog_choose_csv    (TwExportDialog *self);
/* Chooses the Community Health Needs Assessment (PDF) and types its organisation and
 * source line (NULL: left as they are). */
void            tw_export_dialog_choose_chna   (TwExportDialog *self,
                                                const char     *organisation,
                                                const char     *source);
void            tw_export_dialog_set_texts     (TwExportDialog *self,
                                                const char     *title,
                                                const char     *subtitle,
                                                gboolean        north_arrow);
const char     *tw_export_dialog_get_title_text (TwExportDialog *self);
const char     *tw_export_dialog_get_subtitle_text (TwExportDialog *self);
/* TRUE while a preview is waiting or drawn, or a file written. */
gboolean        tw_export_dialog_get_busy      (TwExportDialog *self);
/* TRUE when the map is refused (analyst view). */
gboolean        tw_export_dialog_get_refused   (TwExportDialog *self);
/* Whether the window's map showed only a part of the region, and the page shows only it. */
gboolean        tw_export_dialog_get_view_available (TwExportDialog *self);
void            tw_export_dialog_set_view_only (TwExportDialog *self,
                                                gboolean        only);
/* The preview shown, where its map lies (@frame, in points) and its pixels a point. */
GdkTexture     *tw_export_dialog_get_preview   (TwExportDialog *self,
                                                TwMapFrame     *frame,
                                                double         *scale);
GtkWidget      *tw_export_dialog_get_preview_widget (TwExportDialog *self);
/* The message shown for the last failure, or NULL. */
const char     *tw_export_dialog_get_error     (TwExportDialog *self);
/* Exports to @file as the file chooser's answer does. */
void            tw_export_dialog_export_to     (TwExportDialog *self,
                                                GFile          *file);

G_END_DECLS
