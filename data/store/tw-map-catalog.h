/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-store.h"

G_BEGIN_DECLS

/* What a map of a project can show: its geographies, and the measures with outcomes in one
 * of them, each with its periods and population groups. */

typedef struct
{
  char  *code;
  char  *label;
  GStrv  periods;   /* sorted */
  GStrv  strata;    /* "all" first */
} TwMapMeasure;

void       tw_map_measure_free                 (TwMapMeasure *measure);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwMapMeasure, tw_map_measure_free)

/* The first geography, as the summary lists them; NULL without an error when the project
 * holds none. */
char      *tw_map_catalog_first_geography      (TwStore      *store,
                                                GError      **error);

/* The measures (TwMapMeasure *) with outcomes in the geography @geography_id, by code. A
 * measure counts as present when an area of the geography has a row in its first period
 * and group, which takes one lookup of the key per area at most. */
GPtrArray *tw_map_catalog_list_measures        (TwStore      *store,
                                                gint64        geography_id,
                                                GError      **error);

G_END_DECLS
