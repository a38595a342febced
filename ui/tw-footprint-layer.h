/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <shumate/shumate.h>

#include "tw-geometry.h"

G_BEGIN_DECLS

/*
 * Partner projects' footprints over the map: each project's target areas filled lightly
 * and outlined, with its title at their middle. While target areas are being chosen, the
 * chosen ones are drawn in the selection colour, with the rectangle or lasso being dragged.
 */

#define TW_TYPE_FOOTPRINT_LAYER (tw_footprint_layer_get_type ())

G_DECLARE_FINAL_TYPE (TwFootprintLayer, tw_footprint_layer, TW, FOOTPRINT_LAYER, ShumateLayer)

TwFootprintLayer *tw_footprint_layer_new            (ShumateViewport  *viewport);
/* Forgets every footprint and the choice when the geometry changes. */
void              tw_footprint_layer_set_geometry   (TwFootprintLayer *self,
                                                     TwGeometrySet    *geometry);
TwGeometrySet    *tw_footprint_layer_get_geometry   (TwFootprintLayer *self);
void              tw_footprint_layer_clear          (TwFootprintLayer *self);
/* A project's footprint: @areas are indices into the geometry. */
void              tw_footprint_layer_add            (TwFootprintLayer *self,
                                                     const char       *label,
                                                     const guint      *areas,
                                                     guint             n_areas);
guint             tw_footprint_layer_get_n_footprints (TwFootprintLayer *self);
/* The areas being chosen, or @active FALSE when no choice is in progress. */
void              tw_footprint_layer_set_chosen     (TwFootprintLayer *self,
                                                     gboolean          active,
                                                     const guint      *areas,
                                                     guint             n_areas);
/* The shape being dragged, in the layer's coordinates: 2 points (x, y pairs) for a
 * rectangle's corners, more for a lasso; 0 for none. */
void              tw_footprint_layer_set_band       (TwFootprintLayer *self,
                                                     const double     *points,
                                                     guint             n_points,
                                                     gboolean          is_rectangle);

G_END_DECLS
