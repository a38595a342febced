/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-weights.h"

G_BEGIN_DECLS

/* Spatial statistics on one value an area, with the formulas of R spdep 1.2 (the reference
 * the tests hold them to):
 *
 *  - global Moran's I, its expectation and variance under randomisation as moran.test
 *    (randomisation = TRUE; n reduced by the islands, as its adjust.n), z and the one-sided
 *    ("greater") normal p; the permutation p as moran.mc: (#{I_perm ≥ I} + 1) / (N + 1);
 *  - local Moran as localmoran (conditional = TRUE, mlvar = TRUE): I_i, E, Var, z and the
 *    two-sided normal p; the conditional-permutation pseudo p as GeoDa's (and
 *    localmoran_perm's "Pr(folded) Sim"): the area's value stays, the others are drawn
 *    without replacement onto its neighbours, p = (min (#≥, #≤) + 1) / (N + 1);
 *  - Getis–Ord Gi* as localG on the neighbours with the area itself included (binary
 *    weights; scaling a row does not change its z), with the two-sided normal p;
 *  - spatial Empirical Bayes rates as EBlocal (each area shrunk towards the rate of itself
 *    and its neighbours).
 *
 * Permutations: the random stream of area i (local) or of permutation j (global) starts
 * from @seed and that index alone, so results do not depend on the number of threads
 * (@n_threads; 0 uses every core). */

#define TW_SPATIAL_STATS_ERROR (tw_spatial_stats_error_quark ())

typedef enum
{
  TW_SPATIAL_STATS_ERROR_INVALID,   /* sizes differ, too few areas, a value not finite … */
} TwSpatialStatsError;

typedef struct
{
  double i;
  double expectation;
  double variance;
  double z;
  double p_analytic;       /* one-sided, greater */
  double p_permutation;    /* NAN without permutations */
  guint  permutations;
} TwMoranGlobal;

typedef enum
{
  TW_LISA_NOT_SIGNIFICANT,
  TW_LISA_HIGH_HIGH,
  TW_LISA_LOW_LOW,
  TW_LISA_HIGH_LOW,
  TW_LISA_LOW_HIGH,
} TwLisaCluster;

typedef struct
{
  double i;
  double expectation;
  double variance;
  double z;
  double p_analytic;       /* two-sided normal */
  double p_permutation;    /* pseudo p; NAN without permutations or neighbours */
  double lag;              /* the spatial lag of the centred value */
  double centred;          /* the value minus the mean */
} TwMoranLocal;

GQuark        tw_spatial_stats_error_quark (void);

/* "high-high", "low-low", "high-low", "low-high", "not significant". */
const char   *tw_lisa_cluster_to_string  (TwLisaCluster   cluster);

gboolean      tw_moran_global            (const TwWeights *weights,
                                          const double    *values,
                                          guint            permutations,
                                          guint64          seed,
                                          guint            n_threads,
                                          TwMoranGlobal   *result,
                                          GError         **error);

/* @results holds one entry an area. */
gboolean      tw_moran_local             (const TwWeights *weights,
                                          const double    *values,
                                          guint            permutations,
                                          guint64          seed,
                                          guint            n_threads,
                                          TwMoranLocal    *results,
                                          GError         **error);

/* The cluster type of one area: significant when @p ≤ @alpha (pass the pseudo p, or an
 * adjusted one); the quadrant from the signs of the centred value and its lag. An island
 * (no neighbours) or a NAN p is not significant. */
TwLisaCluster tw_lisa_classify           (const TwMoranLocal *local,
                                          double              p,
                                          double              alpha);

/* Getis–Ord Gi* z and two-sided p, one each an area. */
gboolean      tw_getis_ord_gstar         (const TwWeights *weights,
                                          const double    *values,
                                          double          *z,
                                          double          *p,
                                          GError         **error);

/* Spatial Empirical Bayes rates (per person, not multiplied) as spdep's EBlocal: every
 * population must be positive and no count negative. */
gboolean      tw_rate_eb_local           (const TwWeights *weights,
                                          const double    *events,
                                          const double    *population,
                                          double          *estimates,
                                          GError         **error);

/* Benjamini–Hochberg adjusted p values (NAN entries stay NAN and do not count). */
void          tw_fdr_adjust              (const double    *p,
                                          guint            n,
                                          double          *adjusted);

G_END_DECLS
