/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "tw-geometry.h"

G_BEGIN_DECLS

/*
 * Outlines of groups of areas — counties and states built from tracts, or the edge of the
 * whole region — for the offline background and for exports. A segment is an outline when
 * the areas on its two sides belong to different groups, or when only one area has it
 * (a coast, the edge of the data). Shared boundaries are recognised by identical vertices,
 * as the Census Bureau's files and the importer keep them.
 */

typedef struct _TwLineSet TwLineSet;

/* @groups gives each area's group (e.g. its county); NULL puts every area in one group,
 * which outlines the region. Returns NULL only when cancelled. */
TwLineSet  *tw_outlines_build        (TwGeometrySet  *geometry,
                                      const guint32  *groups,
                                      GCancellable   *cancellable);
TwLineSet  *tw_line_set_ref          (TwLineSet      *self);
void        tw_line_set_unref        (TwLineSet      *self);

guint       tw_line_set_get_n_lines  (TwLineSet      *self);
guint64     tw_line_set_get_n_points (TwLineSet      *self);

/* Strokes the lines that meet @view onto @cr, whose user space is the view's pixels, with
 * the current source and line width. */
void        tw_line_set_draw         (TwLineSet      *self,
                                      cairo_t        *cr,
                                      const TwBox    *view,
                                      double          width,
                                      double          height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwLineSet, tw_line_set_unref)

G_END_DECLS
