/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-area-layer.h"
#include "tw-renderer.h"
#include "tw-spatial-stats.h"
#include "tw-store.h"
#include "tw-weights.h"

G_BEGIN_DECLS

/*
 * The analyses of the map window's analysis panel, computed in one call that a worker thread
 * runs with its own TwStore: a LISA cluster map with the Moran scatterplot, a Getis–Ord Gi*
 * hot- and cold-spot map, an area attribute's own choropleth, and the 3 × 3 bivariate map of
 * the outcome rate against an attribute. Each result holds the TwMapStyle the tiles are drawn
 * with, areas in the order of the TwAreaLayer given.
 *
 * The statistics run exactly as `tractwise-cli moran`, `lisa` and `hotspots` do (crude rates
 * of every area with one; the weights restricted to those areas), so the panel and the
 * command line agree. Outside the analyst view (@reveal) the rates are the published ones
 * (THE RULE, tw-suppression.h): a suppressed area has none, so it is left out as missing —
 * no cluster, hot spot, scatterplot point or rate third of its own, drawn hatched, and no
 * term in its neighbours' statistics; n_suppressed counts them. With @reveal every area
 * with a rate takes part, on the analyst's screen only.
 */

#define TW_ANALYSIS_ERROR (tw_analysis_error_quark ())

typedef enum
{
  TW_ANALYSIS_ERROR_NO_VALUES,    /* too few areas with a value to analyse */
  TW_ANALYSIS_ERROR_ATTRIBUTE,    /* no attribute chosen, or none of its values is known */
  TW_ANALYSIS_ERROR_ATTRIBUTE_NOT_IMPORTED,   /* the areas have no attribute of that name */
} TwAnalysisError;

typedef enum
{
  TW_ANALYSIS_LISA,
  TW_ANALYSIS_HOTSPOTS,
  TW_ANALYSIS_ATTRIBUTE,
  TW_ANALYSIS_BIVARIATE,
} TwAnalysisKind;

/* The classes of a hot-spot map, coldest first. */
typedef enum
{
  TW_HOTSPOT_COLD_99,
  TW_HOTSPOT_COLD_95,
  TW_HOTSPOT_COLD_90,
  TW_HOTSPOT_NOT_SIGNIFICANT,
  TW_HOTSPOT_HOT_90,
  TW_HOTSPOT_HOT_95,
  TW_HOTSPOT_HOT_99,
  TW_N_HOTSPOT_CLASSES,
} TwHotspotClass;

#define TW_ANALYSIS_DEFAULT_PERMUTATIONS 999
/* The seed `tractwise-cli` uses when none is given: the same permutations, the same p. */
#define TW_ANALYSIS_DEFAULT_SEED 20240501
#define TW_ANALYSIS_ATTRIBUTE_CLASSES 5

typedef struct
{
  TwAnalysisKind  kind;
  const char     *measure;       /* code; not needed for an attribute map */
  const char     *period;
  const char     *stratum;       /* NULL: "all" */
  TwWeightsType   weights;       /* queen or rook */
  guint           permutations;
  guint64         seed;
  double          alpha;         /* LISA significance level */
  gboolean        fdr;           /* Benjamini–Hochberg adjusted p values */
  const char     *attribute;     /* attribute and bivariate maps */
  gboolean        reveal;        /* analyst view */
  const char     *from_period;   /* differential: on the change of the crude rate from this
                                  * period to @period, an area hidden at either end left out
                                  * as suppressed (`tractwise-cli lisa --from`); NULL: rates */
} TwAnalysisQuery;

typedef struct
{
  guint8   kind;        /* the class drawn: index into the style, or TW_AREA_NO_DATA, … */
  gboolean analysed;    /* had a value and took part in the statistic */
  gboolean suppressed;  /* the policy hides its rate */
  gboolean island;      /* no neighbour among the areas analysed */
  double   x;           /* Moran scatterplot: the standardised rate … */
  double   y;           /* … and the spatial lag of the standardised rates */
  double   z;           /* local Moran z, or Gi* z */
  double   p;           /* the p its class was decided on (pseudo, or adjusted) */
  double   attribute;   /* NAN when unknown */
} TwAnalysisArea;

typedef struct
{
  TwAnalysisKind  kind;
  guint           n_areas;        /* of the layer */
  TwAnalysisArea *areas;
  TwMapStyle     *style;
  guint           n_classes;
  guint           counts[TW_PALETTE_MAX_CLASSES];
  guint           n_no_data;
  guint           n_suppressed;   /* drawn hatched */
  guint           n_hidden_points; /* suppressed areas the scatterplot must leave out */
  guint           n_analysed;
  guint           n_islands;
  TwMoranGlobal   global;         /* LISA */
  /* Attribute map: the quantile breaks (n_classes + 1). Bivariate: the tertile breaks of
   * the rate (over the areas whose rate may be shown) and of the attribute. */
  double          breaks[TW_PALETTE_MAX_CLASSES + 1];
  double          rate_breaks[4];
  double          attribute_breaks[4];
  double          multiplier;     /* of the measure */
  gboolean        reveal;
} TwAnalysis;

typedef enum
{
  TW_ANALYSIS_STAGE_RATES,
  TW_ANALYSIS_STAGE_BOUNDARIES,
  TW_ANALYSIS_STAGE_WEIGHTS,
  TW_ANALYSIS_STAGE_GLOBAL,        /* global Moran's I and its permutations */
  TW_ANALYSIS_STAGE_LOCAL,         /* local statistics and their permutations */
  TW_ANALYSIS_STAGE_ATTRIBUTE,
  TW_ANALYSIS_STAGE_CLASSES,
} TwAnalysisStage;

/* Called from the worker thread as each stage begins. */
typedef void (*TwAnalysisProgress) (TwAnalysisStage stage,
                                    gpointer        user_data);

GQuark          tw_analysis_error_quark   (void);

/* The fixed colours (0xRRGGBB) of the LISA cluster types (in TwLisaCluster order), the
 * hot-spot classes (TwHotspotClass order) and the bivariate scheme (Joshua Stevens' 3 × 3,
 * index = attribute tertile × 3 + rate tertile). */
const guint32  *tw_analysis_lisa_colors      (void);
const guint32  *tw_analysis_hotspot_colors   (void);
const guint32  *tw_analysis_bivariate_colors (void);

TwAnalysis     *tw_analysis_run           (TwStore                *store,
                                           TwAreaLayer            *layer,
                                           const TwAnalysisQuery  *query,
                                           TwAnalysisProgress      progress,
                                           gpointer                user_data,
                                           GCancellable           *cancellable,
                                           GError                **error);
void            tw_analysis_free          (TwAnalysis             *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwAnalysis, tw_analysis_free)

G_END_DECLS
