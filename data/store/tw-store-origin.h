/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-store-crosswalk.h"

G_BEGIN_DECLS

/*
 * Where an area's figures came from, for the window's badge: how the last crosswalk into
 * its geography made the area (unchanged, recoded, split, merged), from which geography,
 * and for one cell (measure, period, group) how much of its count came from source areas
 * shared with other targets.
 */

typedef struct
{
  char         *geoid;
  TwAreaChange  change;
  char         *from_geography;
  double        count;      /* the cell's count, its age groups summed; NAN without one */
  double        partial;    /* of it, from shared sources; 0 when none, NAN without a cell */
} TwAreaOrigin;

/* The origins of the areas of @geography_id made by a crosswalk, with their cell of
 * @measure_code, @period and @stratum; an empty array when the geography was never a
 * crosswalk's target. */
GPtrArray *tw_store_list_area_origins (TwStore     *self,
                                       gint64       geography_id,
                                       const char  *measure_code,
                                       const char  *period,
                                       const char  *stratum,
                                       GError     **error);
void       tw_area_origin_free        (TwAreaOrigin *origin);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwAreaOrigin, tw_area_origin_free)

G_END_DECLS
