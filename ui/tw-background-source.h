/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-geometry.h"
#include "tw-tile-source.h"

G_BEGIN_DECLS

/*
 * The offline basemap: a plain background with outlines drawn over it, so that the map never
 * shows empty squares without a network. Where the outlines come from is the caller's
 * choice: the areas of the layer shown (tw_background_draw_area_outlines), county and state
 * lines. Tiles are drawn in the tile threads, so a draw function must only read immutable
 * data.
 *
 * Its colours are the map's style: the named colours tw_map_background_color and
 * tw_map_{area,county,state}_outline_color of style*.css, so that the map is dark in the dark
 * style and its lines stronger in high contrast.
 */

#define TW_TYPE_BACKGROUND_SOURCE (tw_background_source_get_type ())

G_DECLARE_FINAL_TYPE (TwBackgroundSource, tw_background_source, TW, BACKGROUND_SOURCE,
                      TwTileSource)

/* What a set of lines outlines, which decides its colour. */
typedef enum
{
  TW_BACKGROUND_LINES_AREAS,
  TW_BACKGROUND_LINES_COUNTIES,
  TW_BACKGROUND_LINES_STATES,
  TW_BACKGROUND_N_LINES,
} TwBackgroundLines;

/* Strokes lines meeting @view onto @cr (user space = the view's pixels) with the current
 * source and line width. */
typedef void (*TwBackgroundDrawFunc) (gpointer       data,
                                      cairo_t       *cr,
                                      const TwBox   *view,
                                      double         width,
                                      double         height);

TwBackgroundSource *tw_background_source_new       (void);
/* Adds a set of lines, drawn in the order added; only before the source is shown. */
void                tw_background_source_add_lines (TwBackgroundSource  *self,
                                                    TwBackgroundDrawFunc draw,
                                                    gpointer             data,
                                                    GDestroyNotify       destroy,
                                                    TwBackgroundLines    lines,
                                                    double               line_width);
/* Makes @self @map's base map, in the colours of @map's style, and keeps it in them: when
 * the style changes, @map is given a copy of @self (same lines, new source id so that no
 * tile of the old colours is reused) drawn in the new colours. */
void                tw_background_source_show      (TwBackgroundSource  *self,
                                                    ShumateSimpleMap    *map);
/* The colour of the plain background, 0xRRGGBB. */
guint32             tw_background_source_get_background (TwBackgroundSource *self);
/* Tiles drawn so far, and tiles asked for and not drawn yet: for tests. */
guint               tw_background_source_get_n_tiles    (TwBackgroundSource *self);
guint               tw_background_source_get_n_pending  (TwBackgroundSource *self);

/* A TwBackgroundDrawFunc for the outlines of every area of a TwGeometrySet (@data), left out
 * where the areas are too small on screen for their outlines to be told apart. */
void                tw_background_draw_area_outlines (gpointer      data,
                                                      cairo_t      *cr,
                                                      const TwBox  *view,
                                                      double        width,
                                                      double        height);

G_END_DECLS
