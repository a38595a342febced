/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Spatial weights: who neighbours whom.
 *
 * Polygons come in as rings of doubles in their own coordinates (lon/lat or projected), with
 * no simplification, so that the neighbours equal R spdep's poly2nb on the same polygons:
 *   queen: two areas are neighbours when a boundary point of one lies within @snap of a
 *          boundary point of the other (Euclidean distance in the coordinate units, ≤ snap);
 *   rook:  when at least two such pairs of points exist (poly2nb's "more than one point").
 * Repeated points of one area (ring closures, a vertex shared by two of its rings) count
 * once. TW_WEIGHTS_DEFAULT_SNAP is poly2nb's default, sqrt (DBL_EPSILON).
 *
 * k nearest neighbours use the centroids (area-weighted, of all parts) and great-circle
 * distance when the coordinates are lon/lat, planar distance when projected. Ties are broken
 * by the lower area index. kNN weights are not symmetric.
 *
 * Every row is row-standardised (each neighbour weighs 1 / its number); an area without
 * neighbours (an island) keeps an empty row and is listed by tw_weights_get_islands(). */

#define TW_WEIGHTS_ERROR (tw_weights_error_quark ())
#define TW_WEIGHTS_DEFAULT_SNAP 1.4901161193847656e-08

typedef enum
{
  TW_WEIGHTS_ERROR_INVALID,    /* a malformed geometry (WKB) or a bad argument */
} TwWeightsError;

typedef enum
{
  TW_WEIGHTS_QUEEN,
  TW_WEIGHTS_ROOK,
  TW_WEIGHTS_KNN,
} TwWeightsType;

typedef struct _TwPolygonSet TwPolygonSet;
typedef struct _TwWeights TwWeights;

GQuark        tw_weights_error_quark     (void);

/* "queen", "rook", "knn"; FALSE for anything else. */
gboolean      tw_weights_type_from_string (const char    *text,
                                           TwWeightsType *type);

/* Polygons: one area after another, each made of rings. */
TwPolygonSet *tw_polygon_set_new         (gboolean       geographic);
void          tw_polygon_set_free        (TwPolygonSet  *self);
/* Starts the next area; returns its index. */
guint         tw_polygon_set_begin_area  (TwPolygonSet  *self);
/* Appends a ring of @n_points (x, y) pairs to the area begun last; @hole says it is an
 * interior ring (it subtracts from the centroid's area). */
void          tw_polygon_set_add_ring    (TwPolygonSet  *self,
                                          const double  *xy,
                                          guint          n_points,
                                          gboolean       hole);
/* Adds one area from ISO or OGC WKB (either byte order): Polygon or MultiPolygon, 2D or
 * with Z/M (dropped). A malformed blob adds nothing and fails. */
gboolean      tw_polygon_set_add_wkb     (TwPolygonSet  *self,
                                          const guint8  *wkb,
                                          gsize          length,
                                          GError       **error);
guint         tw_polygon_set_get_n_areas (const TwPolygonSet *self);
gsize         tw_polygon_set_get_n_points (const TwPolygonSet *self);
/* The area-weighted centroid of area @index (of all its parts; holes subtract). */
void          tw_polygon_set_get_centroid (const TwPolygonSet *self,
                                           guint               index,
                                           double             *x,
                                           double             *y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwPolygonSet, tw_polygon_set_free)

/* Contiguity (queen or rook) with @snap (≥ 0) on @n_threads threads (0: all cores). */
TwWeights    *tw_weights_new_contiguity  (const TwPolygonSet *polygons,
                                          TwWeightsType       type,
                                          double              snap,
                                          guint               n_threads,
                                          GError            **error);
/* The @k nearest neighbours of each area (1 ≤ k < number of areas). */
TwWeights    *tw_weights_new_knn         (const TwPolygonSet *polygons,
                                          guint               k,
                                          GError            **error);
/* From neighbour lists: the neighbours of area i are neighbours[offsets[i] … offsets[i+1]).
 * Self-links are refused. Row-standardised. */
TwWeights    *tw_weights_new_from_lists  (guint               n_areas,
                                          const guint        *offsets,
                                          const guint        *neighbours,
                                          GError            **error);
/* The same neighbours restricted to the areas where @keep is TRUE, renumbered in order;
 * rows are standardised again (an area can become an island). */
TwWeights    *tw_weights_subset          (const TwWeights    *self,
                                          const gboolean     *keep);
void          tw_weights_free            (TwWeights          *self);

TwWeightsType tw_weights_get_type        (const TwWeights    *self);
guint         tw_weights_get_n_areas     (const TwWeights    *self);
/* The neighbours of area @index in ascending order, and their weights. */
const guint  *tw_weights_get_neighbours  (const TwWeights    *self,
                                          guint               index,
                                          guint              *n_neighbours);
const double *tw_weights_get_row         (const TwWeights    *self,
                                          guint               index,
                                          guint              *n_neighbours);
guint         tw_weights_get_n_links     (const TwWeights    *self);
/* The whole structure at once (compressed rows), for loops that visit every link: the
 * neighbours of i are neighbours[offsets[i] … offsets[i + 1]), weighing weights[…]. */
void          tw_weights_get_rows        (const TwWeights    *self,
                                          const guint       **offsets,
                                          const guint       **neighbours,
                                          const double      **weights);
/* The areas without neighbours, ascending. */
GArray       *tw_weights_get_islands     (const TwWeights    *self);
/* Number of neighbours: smallest, largest, mean (over all areas). */
void          tw_weights_get_cardinality (const TwWeights    *self,
                                          guint              *min,
                                          guint              *max,
                                          double             *mean);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwWeights, tw_weights_free)

G_END_DECLS
