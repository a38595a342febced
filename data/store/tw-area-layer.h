/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-geometry.h"
#include "tw-store.h"

G_BEGIN_DECLS

/*
 * The areas of one geography loaded from a project into memory for drawing, hit-testing
 * and tables: area i of the layer is area i of its TwGeometrySet. Immutable once loaded,
 * shared between threads by reference.
 */

typedef struct _TwAreaLayer TwAreaLayer;

typedef enum
{
  TW_AREA_LAYER_LOAD_DEFAULT = 0,
  /* The simplified outlines of each zoom are built when first drawn rather than all at
   * load (tw_geometry_set_seal_lazily): for a layer drawn once, as by an export. */
  TW_AREA_LAYER_LOAD_LAZY_LEVELS = 1 << 0,
} TwAreaLayerLoadFlags;

/* Loads the geography @geography_id (see tw_store_resolve_geography). */
TwAreaLayer   *tw_area_layer_load          (TwStore       *store,
                                            gint64         geography_id,
                                            GCancellable  *cancellable,
                                            GError       **error);
TwAreaLayer   *tw_area_layer_load_with_flags (TwStore              *store,
                                            gint64                geography_id,
                                            TwAreaLayerLoadFlags  flags,
                                            GCancellable         *cancellable,
                                            GError              **error);
TwAreaLayer   *tw_area_layer_ref           (TwAreaLayer   *self);
void           tw_area_layer_unref         (TwAreaLayer   *self);

gint64         tw_area_layer_get_geography_id (TwAreaLayer *self);
const char    *tw_area_layer_get_geography_name (TwAreaLayer *self);
TwGeometrySet *tw_area_layer_get_geometry  (TwAreaLayer   *self);
guint          tw_area_layer_get_n_areas   (TwAreaLayer   *self);
const char    *tw_area_layer_get_geoid     (TwAreaLayer   *self,
                                            guint          index);
const char    *tw_area_layer_get_name      (TwAreaLayer   *self,
                                            guint          index);  /* may be NULL */
gint64         tw_area_layer_get_area_id   (TwAreaLayer   *self,
                                            guint          index);
/* Index of the area with this GEOID or project area id, or -1. */
int            tw_area_layer_find_geoid    (TwAreaLayer   *self,
                                            const char    *geoid);
int            tw_area_layer_find_area_id  (TwAreaLayer   *self,
                                            gint64         area_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwAreaLayer, tw_area_layer_unref)

G_END_DECLS
