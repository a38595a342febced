/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-store.h"

G_BEGIN_DECLS

/*
 * What a project is about: its measures, its geographies, the GEOIDs of their areas and
 * the areas' attributes.
 * The statistics, the importers and the reports all describe a measure and a geography
 * with these two structs and look them up with these functions.
 */

typedef struct
{
  gint64    id;
  char     *code;
  char     *label;
  char     *kind;             /* as stored: "rate" or "proportion" (anything else is refused
                               * by the statistics, not here) */
  double    multiplier;       /* per 100, 1000, 100000 … */
  gboolean  higher_is_worse;
  char     *source;           /* or NULL */
} TwMeasureInfo;

typedef struct
{
  gint64    id;
  char     *name;
  char     *level;            /* tract, block-group, county, zcta, other */
  char     *vintage;          /* "2020", or NULL when unknown */
  char     *source;           /* or NULL */
  gboolean  holds;            /* see tw_store_list_geographies */
} TwGeographyInfo;

void             tw_measure_info_free       (TwMeasureInfo    *info);
void             tw_geography_info_free     (TwGeographyInfo  *info);

/* Measures. */

/* The measure with id @measure_id (see tw_store_resolve_measure), or NULL with
 * TW_STORE_ERROR_INVALID when there is none. */
TwMeasureInfo   *tw_store_get_measure       (TwStore          *self,
                                             gint64            measure_id,
                                             GError          **error);
/* Looks up the measure with @code: TRUE with *@measure NULL when the project has none,
 * FALSE only when the project cannot be read. */
gboolean         tw_store_find_measure      (TwStore          *self,
                                             const char       *code,
                                             TwMeasureInfo   **measure,
                                             GError          **error);
/* Every measure, by code (TwMeasureInfo *). */
GPtrArray       *tw_store_list_measures     (TwStore          *self,
                                             GError          **error);

/* Geographies. */

/* One geography (holds FALSE), or NULL with TW_STORE_ERROR_INVALID when there is none of
 * that id. */
TwGeographyInfo *tw_store_get_geography     (TwStore          *self,
                                             gint64            geography_id,
                                             GError          **error);
/* Every geography of the project, in the order they were imported (TwGeographyInfo *):
 * each says in holds whether it holds outcomes of @measure_id (in @period, or in any period
 * when NULL); with @measure_id below 0, none does. */
GPtrArray       *tw_store_list_geographies  (TwStore          *self,
                                             gint64            measure_id,
                                             const char       *period,
                                             GError          **error);
/* Orders two TwGeographyInfo ** by name, for g_ptr_array_sort. */
int              tw_geography_info_compare_names (gconstpointer a,
                                                  gconstpointer b);

/* Areas. */

typedef void (*TwStoreGeoidFunc) (gint64      area_id,
                                  const char *geoid,
                                  gpointer    user_data);

/* Calls @func with the id and GEOID of every area of @geography_id (≤ 0: of every
 * geography), in no set order. Only the index on (geography_id, geoid) is read, never the
 * outlines. */
gboolean         tw_store_foreach_geoid     (TwStore          *self,
                                             gint64            geography_id,
                                             TwStoreGeoidFunc  func,
                                             gpointer          user_data,
                                             GError          **error);
/* The same as a GEOID → area id (GSIZE_TO_POINTER) table. */
GHashTable      *tw_store_map_geoids        (TwStore          *self,
                                             gint64            geography_id,
                                             GError          **error);

/* How many of a file's GEOIDs one geography holds. */
typedef struct
{
  gint64  geography_id;
  guint   matched;
} TwGeoidMatches;

/* For every geography, in the order they were imported, how many of the distinct GEOIDs in
 * @geoids (NULL-terminated) are its areas (TwGeoidMatches): an importer suggests the
 * geography a table's rows belong to. Reads the index on (geography, GEOID) only. */
GArray          *tw_store_count_geoid_matches (TwStore            *self,
                                               const char * const *geoids,
                                               GError            **error);

/* Area attributes (see tw-store-import.h for storing them). */

/* The attribute names stored for the geography's areas, sorted. */
GStrv            tw_store_list_attributes   (TwStore          *self,
                                             gint64            geography_id,
                                             GError          **error);
/* The values of attribute @name in GEOID order: area ids (gint64) and values (double, NAN
 * when missing); empty arrays when the areas have no such attribute. */
gboolean         tw_store_load_attribute    (TwStore          *self,
                                             gint64            geography_id,
                                             const char       *name,
                                             GArray          **area_ids,
                                             GArray          **values,
                                             GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwMeasureInfo, tw_measure_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwGeographyInfo, tw_geography_info_free)

G_END_DECLS
