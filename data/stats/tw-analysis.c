/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-analysis"

#include <math.h>
#include <string.h>

#include "tw-analysis.h"
#include "tw-area-polygons.h"
#include "tw-classify.h"
#include "tw-rate-table.h"
#include "tw-store-catalog.h"

G_DEFINE_QUARK (tw-analysis-error-quark, tw_analysis_error)

/* GeoDa's cluster colours: not significant, high-high, low-low, high-low, low-high. */
static const guint32 lisa_colors[] = { 0xD9D9D9, 0xE31A1C, 0x1F78B4, 0xFB9A99, 0xA6CEE3 };

/* ColorBrewer RdBu (7 classes) for the confidence bins, the middle one grey as in the LISA
 * map so that "not significant" reads the same on both. */
static const guint32 hotspot_colors[] = {
  0x2166AC, 0x67A9CF, 0xD1E5F0, 0xD9D9D9, 0xFDDBC7, 0xEF8A62, 0xB2182B,
};

/* Joshua Stevens' 3 × 3 scheme (grey-pink-blue): the rate grows towards red, the attribute
 * towards blue; index = attribute tertile × 3 + rate tertile. */
static const guint32 bivariate_colors[] = {
  0xE8E8E8, 0xE4ACAC, 0xC85A5A,
  0xB0D5DF, 0xAD9EA5, 0x985356,
  0x64ACBE, 0x627F8C, 0x574249,
};

G_STATIC_ASSERT (G_N_ELEMENTS (lisa_colors) == TW_LISA_LOW_HIGH + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (hotspot_colors) == TW_N_HOTSPOT_CLASSES);

const guint32 *
tw_analysis_lisa_colors (void)
{
  return lisa_colors;
}

const guint32 *
tw_analysis_hotspot_colors (void)
{
  return hotspot_colors;
}

const guint32 *
tw_analysis_bivariate_colors (void)
{
  return bivariate_colors;
}

void
tw_analysis_free (TwAnalysis *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->style, tw_map_style_unref);
  g_free (self->areas);
  g_free (self);
}

static void
report (TwAnalysisProgress progress,
        gpointer           user_data,
        TwAnalysisStage    stage)
{
  if (progress != NULL)
    progress (stage, user_data);
}

/* The crude rate of every area of the layer (NAN without one), or its change since the
 * query's from_period, and whether it is suppressed, as `tractwise-cli` computes them for
 * its statistics. */
static gboolean
load_rates (TwStore                *store,
            TwAreaLayer            *layer,
            const TwAnalysisQuery  *query,
            TwAnalysis             *self,
            GCancellable           *cancellable,
            GError                **error)
{
  g_autoptr(TwRateTable) table = NULL;
  g_autoptr(TwRateTable) before = NULL;
  TwRateQuery rates = { 0 };
  const char *stratum = query->stratum != NULL ? query->stratum : "all";

  rates.measure = query->measure;
  rates.period = query->period;
  rates.stratum = stratum;
  rates.geography_id = tw_area_layer_get_geography_id (layer);
  rates.method = TW_RATE_METHOD_CRUDE;
  /* THE RULE: outside the analyst view a hidden area has no rate here, so it is left out
   * as missing (drawn hatched), with no statistic of its own and no term in any other's. */
  rates.reveal = query->reveal;
  table = tw_rate_table_compute (store, &rates, NULL, cancellable, error);
  if (table == NULL)
    return FALSE;
  if (query->from_period != NULL)
    {
      rates.period = query->from_period;
      before = tw_rate_table_compute (store, &rates, NULL, cancellable, error);
      if (before == NULL)
        return FALSE;
    }

  self->multiplier = tw_rate_table_get_multiplier (table);
  for (guint i = 0; i < self->n_areas; i++)
    {
      gint64 id = tw_area_layer_get_area_id (layer, i);
      const TwRateRow *row = tw_rate_table_find_row (table, id, stratum);
      TwAnalysisArea *area = &self->areas[i];

      area->x = row != NULL ? row->rate : NAN;
      area->suppressed = row != NULL && tw_rate_row_is_suppressed (row);
      if (before != NULL)
        {
          const TwRateRow *start = tw_rate_table_find_row (before, id, stratum);

          area->x = start != NULL ? area->x - start->rate : NAN;
          area->suppressed |= start != NULL && tw_rate_row_is_suppressed (start);
        }
    }
  return TRUE;
}

/* Weights over the areas with a rate (area->x finite), in the layer's order of those areas:
 * @index maps the analysed number to the layer's area. */
static TwWeights *
load_weights (TwStore                *store,
              TwAreaLayer            *layer,
              const TwAnalysisQuery  *query,
              TwAnalysis             *self,
              TwAnalysisProgress      progress,
              gpointer                user_data,
              GArray                 *index,
              GCancellable           *cancellable,
              GError                **error)
{
  g_autoptr(TwAreaPolygons) polygons = NULL;
  g_autoptr(TwWeights) all = NULL;
  g_autofree gboolean *keep = NULL;
  TwWeightsType type = query->weights == TW_WEIGHTS_ROOK ? TW_WEIGHTS_ROOK : TW_WEIGHTS_QUEEN;

  report (progress, user_data, TW_ANALYSIS_STAGE_BOUNDARIES);
  polygons = tw_area_polygons_load (store, tw_area_layer_get_geography_id (layer), error);
  if (polygons == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  report (progress, user_data, TW_ANALYSIS_STAGE_WEIGHTS);
  all = tw_weights_new_contiguity (polygons->polygons, type, TW_WEIGHTS_DEFAULT_SNAP, 0, error);
  if (all == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  keep = g_new0 (gboolean, MAX (polygons->n_areas, 1));
  for (guint j = 0; j < polygons->n_areas; j++)
    {
      int at = tw_area_layer_find_area_id (layer, polygons->area_ids[j]);
      guint area = at >= 0 ? (guint) at : G_MAXUINT;

      keep[j] = at >= 0 && (guint) at < self->n_areas && isfinite (self->areas[at].x);
      if (keep[j])
        g_array_append_val (index, area);
    }
  return tw_weights_subset (all, keep);
}

static gboolean
run_local (TwStore                *store,
           TwAreaLayer            *layer,
           const TwAnalysisQuery  *query,
           TwAnalysis             *self,
           TwAnalysisProgress      progress,
           gpointer                user_data,
           GCancellable           *cancellable,
           GError                **error)
{
  g_autoptr(GArray) index = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(TwWeights) weights = NULL;
  g_autofree double *values = NULL, *p = NULL, *adjusted = NULL;
  guint n;

  weights = load_weights (store, layer, query, self, progress, user_data, index, cancellable,
                          error);
  if (weights == NULL)
    return FALSE;
  n = index->len;
  if (n < 3)
    {
      g_set_error (error, TW_ANALYSIS_ERROR, TW_ANALYSIS_ERROR_NO_VALUES,
                   "%u areas have a rate for this period and group; at least 3 are needed", n);
      return FALSE;
    }

  values = g_new (double, n);
  p = g_new (double, n);
  adjusted = g_new (double, n);
  for (guint j = 0; j < n; j++)
    {
      TwAnalysisArea *area = &self->areas[g_array_index (index, guint, j)];
      guint n_neighbours;

      values[j] = area->x;
      area->analysed = TRUE;
      tw_weights_get_neighbours (weights, j, &n_neighbours);
      area->island = n_neighbours == 0;
      self->n_islands += area->island;
    }
  self->n_analysed = n;

  if (query->kind == TW_ANALYSIS_LISA)
    {
      g_autofree TwMoranLocal *local = g_new0 (TwMoranLocal, n);
      double sd = 0;

      report (progress, user_data, TW_ANALYSIS_STAGE_GLOBAL);
      if (!tw_moran_global (weights, values, query->permutations, query->seed, 0,
                            &self->global, error)
          || g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      report (progress, user_data, TW_ANALYSIS_STAGE_LOCAL);
      if (!tw_moran_local (weights, values, query->permutations, query->seed, 0, local, error)
          || g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      for (guint j = 0; j < n; j++)
        {
          p[j] = query->permutations > 0 ? local[j].p_permutation : local[j].p_analytic;
          sd += local[j].centred * local[j].centred;
        }
      /* The scatterplot's units: the population standard deviation, as GeoDa's. */
      sd = sqrt (sd / n);
      if (query->fdr)
        tw_fdr_adjust (p, n, adjusted);
      else
        memcpy (adjusted, p, n * sizeof (double));

      self->style = tw_map_style_new_with_colors (self->n_areas, lisa_colors,
                                                  G_N_ELEMENTS (lisa_colors));
      self->n_classes = G_N_ELEMENTS (lisa_colors);
      for (guint j = 0; j < n; j++)
        {
          TwAnalysisArea *area = &self->areas[g_array_index (index, guint, j)];

          area->kind = (guint8) tw_lisa_classify (&local[j], adjusted[j], query->alpha);
          area->p = adjusted[j];
          area->z = local[j].z;
          area->x = sd > 0 ? local[j].centred / sd : 0;
          area->y = sd > 0 ? local[j].lag / sd : 0;
          self->n_hidden_points += area->suppressed && !query->reveal;
        }
    }
  else
    {
      g_autofree double *z = g_new (double, n);

      report (progress, user_data, TW_ANALYSIS_STAGE_LOCAL);
      if (!tw_getis_ord_gstar (weights, values, z, p, error)
          || g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (query->fdr)
        tw_fdr_adjust (p, n, adjusted);
      else
        memcpy (adjusted, p, n * sizeof (double));

      self->style = tw_map_style_new_with_colors (self->n_areas, hotspot_colors,
                                                  G_N_ELEMENTS (hotspot_colors));
      self->n_classes = G_N_ELEMENTS (hotspot_colors);
      for (guint j = 0; j < n; j++)
        {
          TwAnalysisArea *area = &self->areas[g_array_index (index, guint, j)];
          double q = adjusted[j];
          int level = q <= 0.01 ? 3 : q <= 0.05 ? 2 : q <= 0.10 ? 1 : 0;

          area->z = z[j];
          area->p = q;
          if (!isfinite (z[j]) || level == 0)
            area->kind = TW_HOTSPOT_NOT_SIGNIFICANT;
          else
            area->kind = z[j] > 0 ? TW_HOTSPOT_NOT_SIGNIFICANT + level
                                  : TW_HOTSPOT_NOT_SIGNIFICANT - level;
          /* The scatterplot is LISA's; Gi* has none. */
          area->x = area->y = NAN;
        }
    }

  for (guint i = 0; i < self->n_areas; i++)
    if (!self->areas[i].analysed)
      {
        self->areas[i].kind = self->areas[i].suppressed ? TW_AREA_SUPPRESSED : TW_AREA_NO_DATA;
        self->areas[i].x = self->areas[i].y = NAN;
      }
  return TRUE;
}

static gboolean
load_attribute (TwStore                *store,
                TwAreaLayer            *layer,
                const TwAnalysisQuery  *query,
                TwAnalysis             *self,
                GError                **error)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) values = NULL;
  guint known = 0;

  if (query->attribute == NULL)
    {
      g_set_error (error, TW_ANALYSIS_ERROR, TW_ANALYSIS_ERROR_ATTRIBUTE,
                   "No attribute was chosen");
      return FALSE;
    }
  if (!tw_store_load_attribute (store, tw_area_layer_get_geography_id (layer), query->attribute,
                                &ids, &values, error))
    return FALSE;
  if (ids->len == 0)
    {
      g_set_error (error, TW_ANALYSIS_ERROR, TW_ANALYSIS_ERROR_ATTRIBUTE_NOT_IMPORTED,
                   "no attribute named '%s' for these areas; import it with "
                   "'tractwise-cli import-attributes'", query->attribute);
      return FALSE;
    }
  for (guint i = 0; i < self->n_areas; i++)
    self->areas[i].attribute = NAN;
  for (guint r = 0; r < ids->len; r++)
    {
      int at = tw_area_layer_find_area_id (layer, g_array_index (ids, gint64, r));
      double value = g_array_index (values, double, r);

      if (at >= 0 && (guint) at < self->n_areas && isfinite (value))
        {
          self->areas[at].attribute = value;
          known++;
        }
    }
  if (known == 0)
    {
      g_set_error (error, TW_ANALYSIS_ERROR, TW_ANALYSIS_ERROR_ATTRIBUTE,
                   "No area of this geography has a value of “%s”", query->attribute);
      return FALSE;
    }
  return TRUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The smallest, the 1/3 and 2/3 quantiles (R's type 7, as the quantile classes) and the
 * largest of @values (NAN skipped) into @breaks; FALSE when there is none. Tied values are
 * not merged into fewer classes: with many equal rates (zeros, often) a third may be empty,
 * but each third keeps its meaning and the legend's two breaks stay true. */
static gboolean
tertiles (const double *values,
          guint         n,
          double       *breaks)
{
  g_autoptr(GArray) sorted = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < n; i++)
    if (isfinite (values[i]))
      g_array_append_val (sorted, values[i]);
  if (sorted->len == 0)
    return FALSE;
  g_array_sort (sorted, compare_doubles);
  for (guint k = 0; k <= 3; k++)
    {
      double h = (sorted->len - 1) * k / 3.0;
      guint lo = (guint) floor (h);
      guint hi = MIN (lo + 1, sorted->len - 1);
      double x_lo = g_array_index (sorted, double, lo);

      breaks[k] = x_lo + (h - lo) * (g_array_index (sorted, double, hi) - x_lo);
    }
  return TRUE;
}

/* The third @value falls in: up to the first inner break, up to the second, above. */
static int
tertile_of (const double *breaks,
            double        value)
{
  return value <= breaks[1] ? 0 : value <= breaks[2] ? 1 : 2;
}

static gboolean
run_attribute_maps (TwStore                *store,
                    TwAreaLayer            *layer,
                    const TwAnalysisQuery  *query,
                    TwAnalysis             *self,
                    TwAnalysisProgress      progress,
                    gpointer                user_data,
                    GError                **error)
{
  g_autofree double *values = g_new (double, MAX (self->n_areas, 1));

  report (progress, user_data, TW_ANALYSIS_STAGE_ATTRIBUTE);
  if (!load_attribute (store, layer, query, self, error))
    return FALSE;
  report (progress, user_data, TW_ANALYSIS_STAGE_CLASSES);

  if (query->kind == TW_ANALYSIS_ATTRIBUTE)
    {
      g_autoptr(TwClassification) classes = NULL;

      for (guint i = 0; i < self->n_areas; i++)
        values[i] = self->areas[i].attribute;
      classes = tw_classify (values, self->n_areas, TW_CLASSIFY_QUANTILE,
                             TW_ANALYSIS_ATTRIBUTE_CLASSES, NULL, 0, error);
      if (classes == NULL)
        return FALSE;
      self->n_classes = classes->n_classes;
      memcpy (self->breaks, classes->breaks, (classes->n_classes + 1) * sizeof (double));
      self->style = tw_map_style_new (self->n_areas, tw_palette_lookup ("PuBu"),
                                      MAX (classes->n_classes, TW_PALETTE_MIN_CLASSES));
      for (guint i = 0; i < self->n_areas; i++)
        {
          int c = isfinite (values[i]) ? tw_classification_class_of (classes, values[i]) : -1;

          self->areas[i].kind = c >= 0 ? (guint8) c : TW_AREA_NO_DATA;
          self->areas[i].x = self->areas[i].y = NAN;
        }
      return TRUE;
    }

  {
    g_autofree double *rates = g_new (double, MAX (self->n_areas, 1));

    /* The rate tertiles come from the rates that may be shown: a hidden rate must not
     * move a break. */
    for (guint i = 0; i < self->n_areas; i++)
      {
        const TwAnalysisArea *area = &self->areas[i];

        rates[i] = area->suppressed && !query->reveal ? NAN : area->x;
        values[i] = isfinite (area->x) ? area->attribute : NAN;
      }
    if (!tertiles (rates, self->n_areas, self->rate_breaks))
      {
        g_set_error (error, TW_ANALYSIS_ERROR, TW_ANALYSIS_ERROR_NO_VALUES,
                     "No area has a rate that may be shown for this period and group");
        return FALSE;
      }
    if (!tertiles (values, self->n_areas, self->attribute_breaks))
      {
        g_set_error (error, TW_ANALYSIS_ERROR, TW_ANALYSIS_ERROR_ATTRIBUTE,
                     "No area with a rate has a value of “%s”", query->attribute);
        return FALSE;
      }

    self->n_classes = G_N_ELEMENTS (bivariate_colors);
    self->style = tw_map_style_new_with_colors (self->n_areas, bivariate_colors,
                                                G_N_ELEMENTS (bivariate_colors));
    for (guint i = 0; i < self->n_areas; i++)
      {
        TwAnalysisArea *area = &self->areas[i];

        if (area->suppressed && (!query->reveal || !isfinite (area->x)))
          area->kind = TW_AREA_SUPPRESSED;
        else if (!isfinite (area->x) || !isfinite (area->attribute))
          area->kind = TW_AREA_NO_DATA;
        else
          area->kind = (guint8) (tertile_of (self->attribute_breaks, area->attribute) * 3
                                 + tertile_of (self->rate_breaks, area->x));
        area->x = area->y = NAN;
      }
  }
  return TRUE;
}

TwAnalysis *
tw_analysis_run (TwStore                *store,
                 TwAreaLayer            *layer,
                 const TwAnalysisQuery  *query,
                 TwAnalysisProgress      progress,
                 gpointer                user_data,
                 GCancellable           *cancellable,
                 GError                **error)
{
  g_autoptr(TwAnalysis) self = NULL;
  gboolean ok;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (layer != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (TwAnalysis, 1);
  self->kind = query->kind;
  self->reveal = query->reveal;
  self->n_areas = tw_area_layer_get_n_areas (layer);
  self->areas = g_new0 (TwAnalysisArea, MAX (self->n_areas, 1));
  self->global.p_permutation = NAN;
  for (guint i = 0; i < self->n_areas; i++)
    {
      self->areas[i].x = self->areas[i].y = NAN;
      self->areas[i].z = self->areas[i].p = self->areas[i].attribute = NAN;
    }

  if (query->kind != TW_ANALYSIS_ATTRIBUTE)
    {
      report (progress, user_data, TW_ANALYSIS_STAGE_RATES);
      if (!load_rates (store, layer, query, self, cancellable, error))
        return NULL;
    }

  if (query->kind == TW_ANALYSIS_LISA || query->kind == TW_ANALYSIS_HOTSPOTS)
    ok = run_local (store, layer, query, self, progress, user_data, cancellable, error);
  else
    ok = run_attribute_maps (store, layer, query, self, progress, user_data, error);
  if (!ok || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  for (guint i = 0; i < self->n_areas; i++)
    {
      guint8 kind = self->areas[i].kind;

      tw_map_style_set_area (self->style, i, kind);
      if (kind == TW_AREA_NO_DATA)
        self->n_no_data++;
      else if (kind == TW_AREA_SUPPRESSED)
        self->n_suppressed++;
      else if (kind < self->n_classes)
        self->counts[kind]++;
    }
  return g_steal_pointer (&self);
}
