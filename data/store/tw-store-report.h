/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-store.h"

G_BEGIN_DECLS

/*
 * What the brief, the map exports and the share packages (data/report) read of a project
 * besides its figures: where each geography's boundaries and each measure's data come
 * from, and which geographies hold a measure's outcomes.
 */

typedef struct
{
  gint64  id;
  char   *name;
  char   *level;      /* tract, block-group, county, zcta, other */
  char   *vintage;    /* "2020", or NULL when unknown */
  char   *source;     /* or NULL */
} TwGeographyInfo;

typedef struct
{
  gint64    id;
  char     *code;
  char     *label;
  char     *kind;             /* "rate" or "proportion" */
  double    multiplier;       /* per 100, 1000, 100000 … */
  gboolean  higher_is_worse;
  char     *source;           /* or NULL */
} TwMeasureInfo;

void             tw_geography_info_free   (TwGeographyInfo *info);
void             tw_measure_info_free     (TwMeasureInfo   *info);

/* Every geography, by name (TwGeographyInfo *). */
GPtrArray       *tw_store_report_list_geographies (TwStore     *store,
                                                   GError     **error);
/* Every measure, by code (TwMeasureInfo *). */
GPtrArray       *tw_store_report_list_measures    (TwStore     *store,
                                                   GError     **error);
/* One geography, or NULL with TW_STORE_ERROR_INVALID when there is none of that id. */
TwGeographyInfo *tw_store_report_get_geography    (TwStore     *store,
                                                   gint64       id,
                                                   GError     **error);
/* One measure, or NULL with TW_STORE_ERROR_INVALID naming the codes there are. */
TwMeasureInfo   *tw_store_report_get_measure      (TwStore     *store,
                                                   const char  *code,
                                                   GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwGeographyInfo, tw_geography_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwMeasureInfo, tw_measure_info_free)

G_END_DECLS
