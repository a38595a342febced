/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <pango/pangocairo.h>

#include "tw-export.h"
#include "tw-outlines.h"

G_BEGIN_DECLS

/* What the map export shares with the board brief: one typeface, the map, the legend. */

#define TW_EXPORT_FONT_FAMILY "Cantarell, DejaVu Sans, sans-serif"

/* Sets @text (Pango markup when @markup) in @width points from (@x, @y), in the export's
 * typeface at @size points; returns the height it took. @width ≤ 0: one line, unwrapped. */
double      tw_typeset_text            (cairo_t         *cr,
                                        const char      *text,
                                        gboolean         markup,
                                        double           size,
                                        PangoWeight      weight,
                                        double           x,
                                        double           y,
                                        double           width,
                                        PangoAlignment   alignment,
                                        guint32          color);
/* A layout in the export's typeface at @size points, laid out in points whatever the
 * surface. */
PangoLayout *tw_typeset_layout          (cairo_t         *cr,
                                        double           size,
                                        PangoWeight      weight);
/* The width of @text on one line. */
double      tw_typeset_text_width      (cairo_t         *cr,
                                        const char      *text,
                                        double           size,
                                        PangoWeight      weight);
void        tw_typeset_set_color       (cairo_t         *cr,
                                        guint32          color);

/* The map export's page without its title and subtitle, in the rectangle, type @scale
 * times a letter page's: the brief sets its own heading. */
void        tw_map_export_layout_body  (TwMapExport     *self,
                                        double           x,
                                        double           y,
                                        double           width,
                                        double           height,
                                        double           scale,
                                        TwMapPageLayout *layout);
void        tw_map_export_draw_layout  (TwMapExport     *self,
                                        cairo_t         *cr,
                                        const TwMapPageLayout *layout);

/* The map alone, fitted to @extent (world box; NULL: the export's) in the rectangle. */
void        tw_map_export_draw_map     (TwMapExport     *self,
                                        cairo_t         *cr,
                                        double           x,
                                        double           y,
                                        double           width,
                                        double           height,
                                        const TwBox     *extent,
                                        TwMapFrame      *frame);
/* The legend in @width points from (@x, @y), text at @size points, with each class's
 * count of areas when @counts; returns its height. With @cr NULL it only measures. */
double      tw_map_export_draw_legend  (TwMapExport     *self,
                                        cairo_t         *cr,
                                        double           x,
                                        double           y,
                                        double           width,
                                        double           size,
                                        gboolean         counts);
/* The width the legend takes at @size with no line broken. */
double      tw_map_export_legend_width (TwMapExport     *self,
                                        double           size,
                                        gboolean         counts);
/* Scale bar (km above, miles below) for @frame, at most @max_width wide; returns height. */
double      tw_map_export_draw_scale_bar (cairo_t       *cr,
                                        const TwMapFrame *frame,
                                        double           x,
                                        double           y,
                                        double           max_width,
                                        double           size);
void        tw_map_export_draw_north_arrow (cairo_t     *cr,
                                        double           x,
                                        double           y,
                                        double           size);
/* The world box of the export's extent. */
void        tw_map_export_get_extent   (TwMapExport     *self,
                                        TwBox           *extent);
TwLineSet  *tw_map_export_get_counties (TwMapExport     *self);
TwLineSet  *tw_map_export_get_states   (TwMapExport     *self);
const char *tw_map_export_get_source_line (TwMapExport  *self);

/* One audit row for an export: @action, then a JSON object of the file's base name, its
 * format, its absolute path and the members of @fields (name, value pairs,
 * NULL-terminated). */
gboolean    tw_export_audit            (TwStore         *store,
                                        const char      *action,
                                        const char      *path,
                                        const char      *format,
                                        GError         **error,
                                        ...) G_GNUC_NULL_TERMINATED;

/* "2026-11-27" in local time. */
char       *tw_export_today            (void);

G_END_DECLS
