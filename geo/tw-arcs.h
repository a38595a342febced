/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-geometry.h"

G_BEGIN_DECLS

/*
 * The areas of a geometry set as a topology of arcs, for outputs that simplify outlines
 * once and for all (the web map): every ring is cut where three or more outlines meet,
 * each boundary two areas share becomes one arc, and each arc is simplified once
 * (Douglas–Peucker, its ends kept), so neighbours keep exactly the same border — no gaps,
 * no overlaps. Shared boundaries are recognised by identical vertices, as in tw-outlines.
 */

typedef struct _TwArcSet TwArcSet;

/* Builds the arcs of every area of @geometry (sealed) at full detail and simplifies each
 * to @tolerance world units (0: not at all). Returns NULL only when cancelled. */
TwArcSet   *tw_arc_set_new            (TwGeometrySet *geometry,
                                       double         tolerance,
                                       GCancellable  *cancellable);
void        tw_arc_set_free           (TwArcSet      *self);

/* How many distinct arcs the areas' rings are made of. */
guint       tw_arc_set_get_n_arcs     (TwArcSet      *self);
guint       tw_arc_set_get_n_rings    (TwArcSet      *self,
                                       guint          area);
/* Ring @ring of @area, simplified, as world x, y pairs appended to @points (doubles); the
 * ring is open (its first point is not repeated). Returns the number of points appended:
 * fewer than 3 when the ring is smaller than the tolerance. */
guint       tw_arc_set_append_ring    (TwArcSet      *self,
                                       guint          area,
                                       guint          ring,
                                       GArray        *points);
/* The areas on the two sides of @arc; @second is G_MAXUINT for an arc on the region's edge
 * (or a coast), which only one area has. */
void        tw_arc_set_get_arc_areas  (TwArcSet      *self,
                                       guint          arc,
                                       guint         *first,
                                       guint         *second);
/* The simplified @arc as world x, y pairs appended to @points, both ends included (the
 * same point twice for a closed one); returns the number appended. For outlines. */
guint       tw_arc_set_append_arc     (TwArcSet      *self,
                                       guint          arc,
                                       GArray        *points);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwArcSet, tw_arc_set_free)

G_END_DECLS
