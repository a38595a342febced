/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "tw-choropleth.h"
#include "tw-outlines.h"
#include "tw-store.h"

G_BEGIN_DECLS

/*
 * Map export: one page holding a choropleth, fitted to an extent, with its title,
 * subtitle, legend (class ranges with their counts of areas, the hatched "suppressed"
 * and grey "no data" swatches with theirs), scale bar, optional north arrow, the
 * source and date line and the suppression footnote that names the policy. County and
 * state outlines are drawn in place of a basemap.
 *
 * The map is drawn by tw_render_view with the TwChoropleth's style — the renderer of the
 * map window's tiles — so the page and the screen agree. A TwMapExport never reveals: it
 * refuses a choropleth computed with reveal set.
 *
 * Units: a page is laid out in points (1/72 inch). tw_map_export_render draws onto any
 * cairo context whose user space is points: a PDF or SVG surface as it comes, an image
 * surface scaled by dpi / 72, a GtkPrintContext's cairo context with the unit set to
 * points (GtkPrintOperation's draw-page calls it with the same layout as the PDF).
 */

#define TW_EXPORT_ERROR (tw_export_error_quark ())

typedef enum
{
  TW_EXPORT_ERROR_INVALID,   /* a bad size, extent, paper or file name; a revealed map */
  TW_EXPORT_ERROR_WRITE,     /* the file could not be written */
} TwExportError;

typedef enum
{
  TW_EXPORT_FORMAT_PNG,
  TW_EXPORT_FORMAT_SVG,
  TW_EXPORT_FORMAT_PDF,
} TwExportFormat;

/* What the page says and shows. Every field may be left zero. */
typedef struct
{
  const char *title;         /* NULL: the measure's label */
  const char *subtitle;      /* NULL: period, group and unit */
  const char *source;        /* NULL: the measure's source, or "project outcome data" */
  gboolean    north_arrow;
  gboolean    has_extent;
  double      extent[4];     /* min lon, min lat, max lon, max lat (EPSG:4326) */
  /* Outlines already built (the map window has them; tw_export_build_outlines makes them
   * in a thread while the choropleth is computed). Without: built by tw_map_export_new. */
  gboolean    has_outlines;
  TwLineSet  *counties;      /* may be NULL */
  TwLineSet  *states;        /* may be NULL */
} TwMapLayout;

/* A page: its size in points and, for PNG, its resolution. */
typedef struct
{
  TwExportFormat format;
  double         width;      /* points */
  double         height;
  double         dpi;        /* PNG pixels per inch; pixels = points × dpi / 72 */
} TwExportPage;

/* Where the map sits on a page after layout: @frame in points, @view the world box
 * (tw-geometry.h's Web Mercator unit square) drawn into it. */
typedef struct
{
  double x, y, width, height;
  TwBox  view;
} TwMapFrame;

/* Where tw_map_export_render sets each part of a page, in points from its top left. */
typedef struct
{
  double     title_size;     /* type sizes, points */
  double     subtitle_size;
  double     legend_size;
  double     note_size;      /* the source line and the footnote */
  double     margin;
  gboolean   has_title;
  double     text_x, text_width;     /* the column of the title and subtitle */
  double     notes_x, notes_width, notes_height;   /* and of the source line and footnote */
  double     title_y, subtitle_y, source_y, footnote_y;   /* the tops of those texts */
  double     body_x, body_y, body_width, body_height;     /* the room between them */
  gboolean   legend_beside;  /* in a column beside the map; else in a band under it */
  double     legend_x, legend_y, legend_width, legend_height;
  gboolean   legend_split;   /* in the band: the suppressed and no-data rows in a second column */
  double     legend2_x, legend2_width, legend2_height;
  double     scale_bar_x, scale_bar_y, scale_bar_width, scale_bar_height;
  double     arrow_x, arrow_y;   /* the north arrow's top centre, when it has one */
  double     arrow_width, arrow_height;
  TwMapFrame map;
} TwMapPageLayout;

typedef struct _TwMapExport TwMapExport;

GQuark          tw_export_error_quark          (void);

/* "png", "svg" or "pdf" from the file name's suffix (any case). */
gboolean        tw_export_format_from_path     (const char      *path,
                                                TwExportFormat  *format,
                                                GError         **error);
const char     *tw_export_format_to_string     (TwExportFormat   format);
/* A page of @width × @height pixels (at 96 dpi for the layout's points). */
gboolean        tw_export_page_for_pixels      (TwExportPage    *page,
                                                TwExportFormat   format,
                                                int              width,
                                                int              height,
                                                GError         **error);
/* A paper page: "letter" or "a4", portrait unless @landscape, or "slide", a 16:9
 * presentation slide (960 × 540 points, always wide); @dpi (≤ 0: 150, a slide 144 for
 * 1920 × 1080 pixels) is used by PNG only. */
gboolean        tw_export_page_for_paper       (TwExportPage    *page,
                                                TwExportFormat   format,
                                                const char      *paper,
                                                gboolean         landscape,
                                                double           dpi,
                                                GError         **error);

/* County and state outlines when GEOIDs are FIPS codes (no county lines when @extent, a
 * world box or NULL, holds too many counties to tell apart), else the region's edge. */
void            tw_export_build_outlines       (TwAreaLayer     *layer,
                                                const TwBox     *extent,
                                                GCancellable    *cancellable,
                                                TwLineSet      **counties,
                                                TwLineSet      **states);
/* The world box of a lon/lat extent (min lon, min lat, max lon, max lat); FALSE when it is
 * not one. */
gboolean        tw_export_extent_to_world      (const double    *extent,
                                                TwBox           *box,
                                                GError         **error);

/* Prepares the page for @map: resolves the texts, the extent and the outlines (reads the
 * measure's and the geography's sources from @store). */
TwMapExport    *tw_map_export_new              (TwStore         *store,
                                                TwChoropleth    *map,
                                                const TwMapLayout *layout,
                                                GCancellable    *cancellable,
                                                GError         **error);
TwMapExport    *tw_map_export_ref              (TwMapExport     *self);
void            tw_map_export_unref            (TwMapExport     *self);

TwChoropleth   *tw_map_export_get_choropleth   (TwMapExport     *self);
const char     *tw_map_export_get_title        (TwMapExport     *self);
const char     *tw_map_export_get_subtitle     (TwMapExport     *self);
const char     *tw_map_export_get_footnote     (TwMapExport     *self);
/* The map in words, for its alternative text: measure, period, group and geography, the
 * classes with their counts of areas, the three highest rates shown and how many areas are
 * suppressed or without data. Only published figures. */
char           *tw_map_export_describe         (TwMapExport     *self);

/* Lays out a page of @width × @height points: type sized for the page (a letter or A4
 * page: title 19, subtitle 11, legend 9, notes 7.5 points), the legend beside or under the
 * map, whichever lets the map be larger. */
void            tw_map_export_layout           (TwMapExport     *self,
                                                double           width,
                                                double           height,
                                                TwMapPageLayout *layout);

/* Draws the whole page, @width × @height points, onto @cr (user space in points, origin
 * at the page's top left). @frame (may be NULL) receives where the map went. */
void            tw_map_export_render           (TwMapExport     *self,
                                                cairo_t         *cr,
                                                double           width,
                                                double           height,
                                                TwMapFrame      *frame);

/* A live preview: the page drawn into a new ARGB32 image no larger than @max_width ×
 * @max_height pixels, keeping the page's proportions. */
cairo_surface_t *tw_map_export_render_preview  (TwMapExport     *self,
                                                const TwExportPage *page,
                                                int              max_width,
                                                int              max_height);

/* Writes the page to @path in @page's format (through a temporary file, so a failed
 * export leaves nothing half-written) and adds an "export-map" row to the audit log of
 * @store: file, format, measure, period, group and policy. */
gboolean        tw_map_export_write            (TwMapExport     *self,
                                                TwStore         *store,
                                                const TwExportPage *page,
                                                const char      *path,
                                                TwMapFrame      *frame,
                                                GError         **error);

/* Adds a "print" row for @export to the audit log of @store (tw-export-log.h lists them):
 * the printer, the file when the print went to one (@path may be NULL), the measure,
 * period, group and the suppression policy. */
gboolean        tw_export_log_add_print        (TwStore         *store,
                                                TwMapExport     *export,
                                                const char      *printer,
                                                const char      *path,
                                                GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwMapExport, tw_map_export_unref)

G_END_DECLS
