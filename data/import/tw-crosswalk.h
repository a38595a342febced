/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-area-import.h"
#include "tw-store.h"

G_BEGIN_DECLS

/*
 * A crosswalk: the outcomes of one geography allocated to another's areas through a
 * relationship file, as published:
 *
 * - census-tract: the Census Bureau's tab20_tract20_tract10 (pipe-delimited), either way;
 * - census-zcta: its tab20_zcta520_tract20, either way;
 * - hud-zip: HUD–USPS ZIP ↔ tract (XLSX or its CSV export); its ratios share out the
 *   areas of its first column, so a ZIP_TRACT file goes from ZIP codes to tracts and a
 *   TRACT_ZIP file from tracts to ZIP codes, never the other way;
 * - pairs: a table from,to,weight (NHGIS, a health department's own weights);
 * - overlay: no file; the shares of each source area's land that the target geography's
 *   areas cover, from the outlines in the project (a partner's service area);
 * - regions: a list region,geoid of whole areas making up each region (a partner's service
 *   area as GEOIDs); the target geography is made of the regions, each outlined by its
 *   members' polygons dissolved.
 *
 * Counts are allocated, never rates (tw-allocate.h); the allocated outcomes keep their
 * measure codes on the target geography. All of it is one transaction.
 */

#define TW_CROSSWALK_ERROR (tw_crosswalk_error_quark ())

typedef enum
{
  TW_CROSSWALK_ERROR_OPEN,        /* the file cannot be read */
  TW_CROSSWALK_ERROR_FORMAT,      /* not the layout named, or a column is missing */
  TW_CROSSWALK_ERROR_ROW,         /* a row holds a bad value (the message names it) */
  TW_CROSSWALK_ERROR_OPTIONS,     /* the options contradict the file or the project */
  TW_CROSSWALK_ERROR_VINTAGE,     /* outcomes fit another geography better */
} TwCrosswalkError;

typedef enum
{
  TW_CROSSWALK_FORMAT_AUTO,
  TW_CROSSWALK_FORMAT_CENSUS_TRACT,
  TW_CROSSWALK_FORMAT_CENSUS_ZCTA,
  TW_CROSSWALK_FORMAT_HUD_ZIP,
  TW_CROSSWALK_FORMAT_PAIRS,
  TW_CROSSWALK_FORMAT_OVERLAY,
  TW_CROSSWALK_FORMAT_REGIONS,
} TwCrosswalkFormat;

/* How a source area's count is shared among the target areas that cover it. */
typedef enum
{
  TW_CROSSWALK_RULE_PROPORTIONAL,  /* by its weights */
  TW_CROSSWALK_RULE_MAJORITY,      /* wholly to a target holding ≥ 50% of it (PolicyMap) */
} TwCrosswalkRule;

typedef struct
{
  const char        *from_geography;   /* required */
  const char        *to_geography;     /* required */
  TwCrosswalkFormat  format;
  const char        *weight;           /* NULL or "area": land area; "population": by the
                                        * people of @blocks; else a column */
  TwCrosswalkRule    rule;
  const char *const *measures;         /* NULL: every measure of the source geography */
  const char        *blocks;           /* with weight "population": a table of block parts,
                                        * from,to,population (block GEOIDs) */
  TwImportProgress   progress;         /* NULL, or told the target rows written so far (the
                                        * total -1 until the last call, done == total) */
  gpointer           progress_data;
} TwCrosswalkOptions;

typedef struct
{
  char    *format;              /* census-tract, census-zcta, hud-zip, pairs, overlay */
  char    *weight;              /* "land area", or the column */
  char    *rule;                /* "proportional" or "majority (≥ 50% of the area)" */
  gint64   links;               /* source–target pairs of positive weight */
  gint64   rows;                /* outcome rows written */
  gint64   hidden_cells;        /* target cells hidden as their sources were */
  GStrv    measures;
  double   source_total;        /* numerators of the source geography's outcomes */
  double   target_total;        /* numerators allocated */
  gboolean conserved;           /* the two agree to 1e-9 */
  GStrv    unmatched_source;    /* GEOIDs with outcomes and no link to a target area */
  GStrv    unmatched_target;    /* GEOIDs of target areas no source reaches */
  gint64   unchanged, recoded, split, merged;   /* target areas by how they came about */
} TwCrosswalkResult;

GQuark             tw_crosswalk_error_quark  (void);
gboolean           tw_crosswalk_format_from_string (const char        *text,
                                                    TwCrosswalkFormat *format);
const char        *tw_crosswalk_format_to_string   (TwCrosswalkFormat  format);

/* Allocates the outcomes of options->from_geography to options->to_geography through the
 * relationship file @source (NULL for the overlay), in one transaction; on any error the
 * project is unchanged. */
TwCrosswalkResult *tw_crosswalk_run          (TwStore                  *store,
                                              const char               *source,
                                              const TwCrosswalkOptions *options,
                                              GCancellable             *cancellable,
                                              GError                  **error);
void               tw_crosswalk_result_free  (TwCrosswalkResult        *result);

/* Vintage awareness for an import into @geography_id whose GEOIDs @unmatched (a set of
 * strings) are not its areas: when nine in ten of them or more are areas of another
 * geography of the project, FALSE with TW_CROSSWALK_ERROR_VINTAGE naming that geography and
 * the crosswalk to use (@source names the file). */
gboolean           tw_crosswalk_check_vintage (TwStore                 *store,
                                              gint64                   geography_id,
                                              GHashTable              *unmatched,
                                              const char              *source,
                                              GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwCrosswalkResult, tw_crosswalk_result_free)

G_END_DECLS
