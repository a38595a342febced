/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Finds the area that holds a point, on the exact boundaries (doubles, lon/lat) rather than
 * the simplified outlines drawn on the map. A point on the boundary of several areas goes
 * to the one added first: add the areas in GEOID order and that is the lowest GEOID.
 *
 * Built once (add every area, then seal), then read-only: threads share it without locks.
 */

#define TW_POINT_LOCATOR_ERROR (tw_point_locator_error_quark ())

typedef enum
{
  TW_POINT_LOCATOR_ERROR_WKB,  /* an area's WKB is not a (multi)polygon */
} TwPointLocatorError;

typedef struct _TwPointLocator TwPointLocator;

GQuark          tw_point_locator_error_quark (void);

TwPointLocator *tw_point_locator_new     (void);
void            tw_point_locator_free    (TwPointLocator *self);

/* Adds the next area (index = areas added before) from ISO WKB in lon/lat. On an error the
 * area is added empty, holding no point, so that the indices stay in step. */
gboolean        tw_point_locator_add_wkb (TwPointLocator *self,
                                          const guint8   *wkb,
                                          gsize           length,
                                          GError        **error);
/* Builds the index. No area can be added afterwards. */
void            tw_point_locator_seal    (TwPointLocator *self);

guint           tw_point_locator_get_n_areas (TwPointLocator *self);

/* The area holding (@lon, @lat), boundary included, or -1. */
int             tw_point_locator_find    (TwPointLocator *self,
                                          double          lon,
                                          double          lat);
/* The same for @n points on all cores: @areas[i] gets the area of point i. */
void            tw_point_locator_find_many (TwPointLocator *self,
                                            const double   *lon,
                                            const double   *lat,
                                            gsize           n,
                                            int            *areas);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwPointLocator, tw_point_locator_free)

G_END_DECLS
