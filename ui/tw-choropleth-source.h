/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <shumate/shumate.h>

#include "tw-geometry.h"
#include "tw-renderer.h"

G_BEGIN_DECLS

/*
 * Tiles of the choropleth: a map source whose tiles are drawn by tw_render_tile in worker
 * threads from geometry held in memory. A source draws one style for ever; a new style is a
 * new source with a new id, so libshumate's tile cache never shows a stale tile.
 */

#define TW_TYPE_CHOROPLETH_SOURCE (tw_choropleth_source_get_type ())

G_DECLARE_FINAL_TYPE (TwChoroplethSource, tw_choropleth_source, TW, CHOROPLETH_SOURCE,
                      ShumateMapSource)

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

/* A texture holding a copy of an ARGB32 cairo image surface (premultiplied, native
 * endian), as tiles hand to libshumate: packed RGB when no pixel is transparent. */
GdkTexture         *tw_texture_new_for_surface        (cairo_surface_t    *surface);
/* Lowers the calling thread's priority below the main thread's (Linux; elsewhere a no-op). */
void                tw_thread_lower_priority          (void);

/* Runs @func for @task in the tile threads (fewer than the cores, lower priority), which
 * the map's sources share. */
void                tw_tile_task_run                  (GTask              *task,
                                                       GTaskThreadFunc     func);
guint               tw_tile_threads                   (void);

G_END_DECLS
