/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-store.h"
#include "tw-weights.h"

G_BEGIN_DECLS

/* The areas of one geography with their exact boundaries (the doubles of the stored WKB,
 * lon/lat, not the simplified Web-Mercator outlines of tw-geometry), in GEOID order: the
 * input of the spatial weights. */
typedef struct
{
  guint         n_areas;
  gint64       *area_ids;
  GStrv         geoids;
  TwPolygonSet *polygons;
} TwAreaPolygons;

TwAreaPolygons *tw_area_polygons_load (TwStore          *store,
                                       gint64            geography_id,
                                       GError          **error);
void            tw_area_polygons_free (TwAreaPolygons   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwAreaPolygons, tw_area_polygons_free)

G_END_DECLS
