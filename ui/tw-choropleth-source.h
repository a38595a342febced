/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-geometry.h"
#include "tw-renderer.h"
#include "tw-tile-source.h"

G_BEGIN_DECLS

/*
 * Tiles of the choropleth: a tile source whose tiles are drawn by tw_render_tile from
 * geometry held in memory. A source draws one style for ever; a new style is a new source
 * with a new id, so libshumate's tile cache never shows a stale tile.
 */

#define TW_TYPE_CHOROPLETH_SOURCE (tw_choropleth_source_get_type ())

G_DECLARE_FINAL_TYPE (TwChoroplethSource, tw_choropleth_source, TW, CHOROPLETH_SOURCE,
                      TwTileSource)

TwChoroplethSource *tw_choropleth_source_new          (TwGeometrySet      *geometry,
                                                       TwMapStyle         *style);
/* Whether the source's tiles are what @style would draw: then it can stay. */
gboolean            tw_choropleth_source_draws        (TwChoroplethSource *self,
                                                       TwMapStyle         *style);
TwGeometrySet      *tw_choropleth_source_get_geometry (TwChoroplethSource *self);
TwMapStyle         *tw_choropleth_source_get_style    (TwChoroplethSource *self);
/* Tiles drawn so far and the milliseconds the slowest took, for the speed checks. */
guint               tw_choropleth_source_get_n_tiles  (TwChoroplethSource *self);
/* Tiles asked for and not drawn yet. */
guint               tw_choropleth_source_get_n_pending (TwChoroplethSource *self);
double              tw_choropleth_source_get_max_tile_ms (TwChoroplethSource *self);

G_END_DECLS
