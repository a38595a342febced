/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-store.h"

G_BEGIN_DECLS

/* What a map of a project can show in one of its geographies: the measures with outcomes
 * there, each with its periods and population groups (the map's pickers). Which geography
 * is shown by default is TwMapRequest's rule. */

typedef struct
{
  char  *code;
  char  *label;
  GStrv  periods;   /* sorted */
  GStrv  strata;    /* "all" first */
} TwMapMeasure;

void       tw_map_measure_free                 (TwMapMeasure *measure);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwMapMeasure, tw_map_measure_free)

/* The measures (TwMapMeasure *) with outcomes in the geography @geography_id, by code. A
 * measure counts as present when an area of the geography has a row in its first period
 * and group, which takes one lookup of the key per area at most. */
GPtrArray *tw_map_catalog_list_measures        (TwStore      *store,
                                                gint64        geography_id,
                                                GError      **error);

G_END_DECLS
