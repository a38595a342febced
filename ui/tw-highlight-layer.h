/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <shumate/shumate.h>

#include "tw-geometry.h"

G_BEGIN_DECLS

/*
 * The outlines of the hovered and the selected area, and markers on marked areas, drawn
 * over the tiles and redrawn as the viewport moves.
 */

#define TW_TYPE_HIGHLIGHT_LAYER (tw_highlight_layer_get_type ())

G_DECLARE_FINAL_TYPE (TwHighlightLayer, tw_highlight_layer, TW, HIGHLIGHT_LAYER, ShumateLayer)

TwHighlightLayer *tw_highlight_layer_new          (ShumateViewport  *viewport);
void              tw_highlight_layer_set_geometry (TwHighlightLayer *self,
                                                   TwGeometrySet    *geometry);
/* -1: none. */
void              tw_highlight_layer_set_hovered  (TwHighlightLayer *self,
                                                   int               area);
void              tw_highlight_layer_set_selected (TwHighlightLayer *self,
                                                   int               area);
/* Areas drawn with a marker (the commented ones); a new geometry clears them. */
void              tw_highlight_layer_set_marked   (TwHighlightLayer *self,
                                                   const int        *areas,
                                                   guint             n_areas);
guint             tw_highlight_layer_get_n_marked (TwHighlightLayer *self);
int               tw_highlight_layer_get_hovered  (TwHighlightLayer *self);
int               tw_highlight_layer_get_selected (TwHighlightLayer *self);

/* The affine map from world coordinates to @widget's pixels under @viewport (libshumate
 * draws no rotation here): pixel = (world − origin) × scale. */
void              tw_viewport_world_transform     (ShumateViewport  *viewport,
                                                   GtkWidget        *widget,
                                                   double           *origin_x,
                                                   double           *origin_y,
                                                   double           *scale);

G_END_DECLS
