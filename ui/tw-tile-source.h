/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <shumate/shumate.h>

G_BEGIN_DECLS

/*
 * A map source whose tiles Tractwise draws itself with cairo, in the tile threads: 256-pixel
 * Mercator tiles, zooms 0 to 18. A subclass says what a tile reads (snapshot, in the main
 * thread) and how it is drawn from that alone (draw_tile, in a worker thread); this class
 * runs the task of each tile, its cancellation, the texture handed to libshumate and the
 * counts the speed checks read. A tile that cannot be drawn is logged, since libshumate
 * drops tile errors silently.
 */

#define TW_TYPE_TILE_SOURCE (tw_tile_source_get_type ())

G_DECLARE_DERIVABLE_TYPE (TwTileSource, tw_tile_source, TW, TILE_SOURCE, ShumateMapSource)

struct _TwTileSourceClass
{
  ShumateMapSourceClass parent_class;

  /* Main thread, once a tile: what drawing it reads, which must not change until
   * free_snapshot (a copy, or references to immutable data). */
  gpointer          (*snapshot)      (TwTileSource *self);
  void              (*free_snapshot) (gpointer      snapshot);
  /* A worker thread: tile @z/@x/@y, @size pixels square, as an ARGB32 image surface drawn
   * from @snapshot alone. A smaller surface is stretched over the tile (a 1 × 1 one for an
   * empty tile). A surface in an error state fails the tile. */
  cairo_surface_t  *(*draw_tile)     (gpointer      snapshot,
                                      int           z,
                                      int           x,
                                      int           y,
                                      int           size);
};

/* Tiles drawn so far, tiles asked for and not drawn yet, and the milliseconds the slowest
 * took: for tests and the speed checks. */
guint       tw_tile_source_get_n_tiles     (TwTileSource    *self);
guint       tw_tile_source_get_n_pending   (TwTileSource    *self);
double      tw_tile_source_get_max_tile_ms (TwTileSource    *self);

/* A texture holding a copy of an ARGB32 cairo image surface (premultiplied, native
 * endian), as tiles hand to libshumate: packed RGB when no pixel is transparent. */
GdkTexture *tw_texture_new_for_surface     (cairo_surface_t *surface);
/* Lowers the calling thread's priority below the main thread's (Linux; elsewhere a no-op). */
void        tw_thread_lower_priority       (void);
/* How many tile threads the map's sources share: fewer than the cores, or TW_TILE_THREADS. */
guint       tw_tile_threads                (void);

G_END_DECLS
