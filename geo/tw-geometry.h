/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The areas of one geography held in memory for drawing: outlines in "world" coordinates
 * (Web Mercator scaled to the unit square: x from 0 at 180°W to 1 at 180°E, y from 0 at the
 * top, 85.05°N, to 1 at the bottom), stored as floats, with simplified copies of every ring
 * for the coarse zooms and a packed R-tree over the areas' boxes.
 *
 * A set is built once (add every area, then seal it) and is read-only afterwards, so tile
 * workers share it across threads without locks.
 */

#define TW_GEOMETRY_ERROR (tw_geometry_error_quark ())

typedef enum
{
  TW_GEOMETRY_ERROR_WKB,  /* the WKB is truncated or not a (multi)polygon */
} TwGeometryError;

typedef struct
{
  double min_x, min_y, max_x, max_y;
} TwBox;

typedef struct _TwGeometrySet TwGeometrySet;

/* The callback of tw_geometry_set_query: return FALSE to stop. */
typedef gboolean (*TwAreaVisitor) (guint    area,
                                   gpointer user_data);

GQuark          tw_geometry_error_quark      (void);

TwGeometrySet  *tw_geometry_set_new          (void);
TwGeometrySet  *tw_geometry_set_ref          (TwGeometrySet *self);
void            tw_geometry_set_unref        (TwGeometrySet *self);

/* Adds the next area (index = number of areas added before) from ISO WKB in lon/lat. */
gboolean        tw_geometry_set_add_wkb      (TwGeometrySet *self,
                                              const guint8  *wkb,
                                              gsize          length,
                                              GError       **error);
/* Adds the next @n areas, the same as tw_geometry_set_add_wkb on each in turn, parsed on
 * all cores; on a damaged one, the areas before it are added and the error names it. */
gboolean        tw_geometry_set_add_wkb_many (TwGeometrySet       *self,
                                              const guint8 *const *wkbs,
                                              const gsize         *lengths,
                                              guint                n,
                                              GError             **error);
/* Builds the simplified levels and the index. No area can be added afterwards. */
void            tw_geometry_set_seal         (TwGeometrySet *self);
/* The same, but each simplified level is built when first asked for (the same vertices): for
 * a set drawn once or twice, such as an export's, which needs one or two of the nine. */
void            tw_geometry_set_seal_lazily  (TwGeometrySet *self);

guint           tw_geometry_set_get_n_areas  (TwGeometrySet *self);
guint64         tw_geometry_set_get_n_vertices (TwGeometrySet *self);
/* Box of every area, in world coordinates. */
void            tw_geometry_set_get_extent   (TwGeometrySet *self,
                                              TwBox         *extent);
void            tw_geometry_set_get_area_box (TwGeometrySet *self,
                                              guint          area,
                                              TwBox         *box);

/* Calls @visitor for every area whose box meets @box (world coordinates). */
void            tw_geometry_set_query        (TwGeometrySet *self,
                                              const TwBox   *box,
                                              TwAreaVisitor  visitor,
                                              gpointer       user_data);

/* The area under a world point (even-odd rule on its full outline), or -1. */
int             tw_geometry_set_hit          (TwGeometrySet *self,
                                              double         x,
                                              double         y);

/* Rings of an area at the level that keeps it within @tolerance world units of the truth.
 * @points gets the ring's x, y pairs; returns the number of rings. */
guint           tw_geometry_set_get_n_rings  (TwGeometrySet *self,
                                              guint          area,
                                              double         tolerance);
const float    *tw_geometry_set_get_ring     (TwGeometrySet *self,
                                              guint          area,
                                              double         tolerance,
                                              guint          ring,
                                              guint         *n_points);

/* Longitude/latitude ↔ world. */
void            tw_world_from_lonlat         (double         lon,
                                              double         lat,
                                              double        *x,
                                              double        *y);
void            tw_world_to_lonlat           (double         x,
                                              double         y,
                                              double        *lon,
                                              double        *lat);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwGeometrySet, tw_geometry_set_unref)

G_END_DECLS
