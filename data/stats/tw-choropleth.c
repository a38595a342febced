/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-choropleth"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tw-choropleth.h"
#include "tw-rate-table.h"

#define MAX_DECIMALS 8

struct _TwChoropleth
{
  gatomicrefcount      ref_count;
  TwAreaLayer         *layer;
  TwAreaFigure        *figures;
  TwClassification    *classification;
  TwMapStyle          *style;
  const TwPalette     *palette;
  TwSuppressionPolicy  policy;
  gboolean             reveal;
  guint                n_suppressed;
  guint                n_no_data;
  guint                n_ranked;
  guint                decimals;
  GStringChunk        *reasons;
  TwStatusRow          status_rows[TW_N_FIGURE_STATUSES + 1];
  guint                n_status_rows;
  int                  row_of_status[TW_N_FIGURE_STATUSES];  /* −1: none */
  int                  row_of_revealed;

  char                *code;
  char                *label;
  char                *period;
  char                *from_period;   /* a map of change: its periods' codes */
  char                *to_period;
  char                *stratum;
  TwRateKind           kind;
  double               multiplier;

  /* A change map (tw_choropleth_new_change); NULL otherwise */
  double              *change_ends;      /* rate from, rate to, per area */
  gboolean             ratio;
  char                *unit;
  guint                n_undetermined;
  guint                undetermined_kind;
};

G_DEFINE_QUARK (tw-choropleth-error-quark, tw_choropleth_error)

static gboolean
check_classes (const TwChoroplethQuery  *query,
               GError                  **error)
{
  if (query->method != TW_CLASSIFY_MANUAL)
    {
      if (query->n_classes < TW_CLASSIFY_MIN_CLASSES || query->n_classes > TW_CLASSIFY_MAX_CLASSES)
        {
          g_set_error (error, TW_CHOROPLETH_ERROR, TW_CHOROPLETH_ERROR_CLASSES,
                       "%u classes: a map has %d to %d classes", query->n_classes,
                       TW_CLASSIFY_MIN_CLASSES, TW_CLASSIFY_MAX_CLASSES);
          return FALSE;
        }
      return TRUE;
    }

  if (query->n_manual_breaks + 1 < TW_CLASSIFY_MIN_CLASSES
      || query->n_manual_breaks + 1 > TW_CLASSIFY_MAX_CLASSES)
    {
      g_set_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_CLASSES,
                   "%u manual breaks: give %d to %d breaks (the thresholds between classes)",
                   query->n_manual_breaks, TW_CLASSIFY_MIN_CLASSES - 1,
                   TW_CLASSIFY_MAX_CLASSES - 1);
      return FALSE;
    }
  for (guint i = 0; i < query->n_manual_breaks; i++)
    {
      if (!isfinite (query->manual_breaks[i])
          || (i > 0 && query->manual_breaks[i] <= query->manual_breaks[i - 1]))
        {
          g_set_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_BREAKS,
                       "manual breaks must be finite numbers in increasing order");
          return FALSE;
        }
    }
  return TRUE;
}

static int
compare_by_rate_descending (gconstpointer a,
                            gconstpointer b,
                            gpointer      user_data)
{
  const TwAreaFigure *figures = user_data;
  double x = figures[*(const guint *) a].rate, y = figures[*(const guint *) b].rate;

  return (x < y) - (x > y);
}

/* Rank 1 is the highest rate; ties share the best rank ("1, 2, 2, 4"). */
static void
rank_areas (TwChoropleth *self,
            guint        *ranked)
{
  g_qsort_with_data (ranked, self->n_ranked, sizeof (guint), compare_by_rate_descending,
                     self->figures);
  for (guint i = 0; i < self->n_ranked; i++)
    {
      TwAreaFigure *figure = &self->figures[ranked[i]];

      if (i > 0 && self->figures[ranked[i - 1]].rate == figure->rate)
        figure->rank = self->figures[ranked[i - 1]].rank;
      else
        figure->rank = i + 1;
    }
}

static char *
format_fixed (double value,
              guint  decimals)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *format = g_strdup_printf ("%%.%uf", decimals);
  GString *text = g_string_new (NULL);
  const char *digits, *point;
  gsize n_int;

  g_ascii_formatd (buffer, sizeof buffer, format, value);
  digits = buffer;
  if (*digits == '-')
    g_string_append_c (text, *digits++);
  point = strchr (digits, '.');
  n_int = point != NULL ? (gsize) (point - digits) : strlen (digits);
  /* Thousands grouped as "12,345.6". */
  for (gsize i = 0; i < n_int; i++)
    {
      if (i > 0 && (n_int - i) % 3 == 0)
        g_string_append_c (text, ',');
      g_string_append_c (text, digits[i]);
    }
  if (point != NULL)
    g_string_append (text, point);
  return g_string_free (text, FALSE);
}

/* About three significant digits of the largest rate shown; then more, until no two
 * distinct breaks print alike. */
static guint
choose_decimals (TwChoropleth *self)
{
  double largest = 0.0;
  int decimals;

  for (guint i = 0; i < tw_area_layer_get_n_areas (self->layer); i++)
    {
      const TwAreaFigure *figure = &self->figures[i];

      if (figure->rank > 0 && isfinite (figure->rate))
        largest = MAX (largest, fabs (figure->rate));
    }
  decimals = largest > 0.0 ? 2 - (int) floor (log10 (largest)) : 1;
  decimals = CLAMP (decimals, 1, MAX_DECIMALS);

  if (self->classification == NULL)
    return decimals;
  for (; decimals < MAX_DECIMALS; decimals++)
    {
      gboolean alike = FALSE;

      for (guint i = 0; i < self->classification->n_classes && !alike; i++)
        {
          double lo = self->classification->breaks[i], hi = self->classification->breaks[i + 1];
          g_autofree char *a = NULL, *b = NULL;

          if (lo == hi)
            continue;
          a = format_fixed (lo, decimals);
          b = format_fixed (hi, decimals);
          alike = g_str_equal (a, b);
        }
      if (!alike)
        break;
    }
  return decimals;
}

static void
add_status_row (TwChoropleth   *self,
                TwFigureStatus  status,
                gboolean        revealed,
                guint           n_areas,
                guint32         fill,
                TwHatch         hatch)
{
  TwStatusRow *row = &self->status_rows[self->n_status_rows];

  *row = (TwStatusRow) { status, revealed, n_areas, fill, hatch };
  if (revealed)
    self->row_of_revealed = self->n_status_rows;
  else
    self->row_of_status[status] = self->n_status_rows;
  self->n_status_rows++;
}

/* The legend's status rows: each area in the row of how it is drawn. */
static void
count_statuses (TwChoropleth *self)
{
  guint counts[TW_N_FIGURE_STATUSES] = { 0 }, n_revealed = 0;
  guint n_classes = tw_map_style_get_n_classes (self->style);

  for (guint i = 0; i < tw_area_layer_get_n_areas (self->layer); i++)
    {
      const TwAreaFigure *figure = &self->figures[i];

      if (figure->revealed)
        n_revealed++;
      else
        counts[figure->status]++;
    }

  self->row_of_revealed = -1;
  for (guint s = 0; s < TW_N_FIGURE_STATUSES; s++)
    self->row_of_status[s] = -1;
  /* The unreliable swatch over the middle class: the hatch reads on any class colour. */
  if (counts[TW_FIGURE_UNRELIABLE] > 0)
    add_status_row (self, TW_FIGURE_UNRELIABLE, FALSE, counts[TW_FIGURE_UNRELIABLE],
                    tw_map_style_get_fill (self->style, (guint8) (n_classes / 2)),
                    TW_HATCH_UNRELIABLE);
  if (n_revealed > 0)
    add_status_row (self, TW_FIGURE_SUPPRESSED, TRUE, n_revealed,
                    tw_map_style_get_fill (self->style, (guint8) (n_classes / 2)),
                    TW_HATCH_REVEALED);
  add_status_row (self, TW_FIGURE_SUPPRESSED, FALSE, counts[TW_FIGURE_SUPPRESSED],
                  tw_map_style_get_fill (self->style, TW_AREA_SUPPRESSED),
                  TW_HATCH_SUPPRESSED);
  if (counts[TW_FIGURE_COMPLEMENTARY] > 0)
    add_status_row (self, TW_FIGURE_COMPLEMENTARY, FALSE, counts[TW_FIGURE_COMPLEMENTARY],
                    tw_map_style_get_fill (self->style, TW_AREA_SUPPRESSED),
                    TW_HATCH_SUPPRESSED);
  add_status_row (self, TW_FIGURE_MISSING, FALSE, counts[TW_FIGURE_MISSING],
                  tw_map_style_get_fill (self->style, TW_AREA_NO_DATA), TW_HATCH_NONE);
  if (counts[TW_FIGURE_NOT_APPLICABLE] > 0)
    add_status_row (self, TW_FIGURE_NOT_APPLICABLE, FALSE, counts[TW_FIGURE_NOT_APPLICABLE],
                    tw_map_style_get_fill (self->style, TW_AREA_NO_DATA), TW_HATCH_NONE);
}

/* The legend's rows after a map of time's classes: the changes it cannot tell from none
 * (status shown, hatched over the neutral colour), the hidden ones and those without data. */
static void
count_time_statuses (TwChoropleth *self,
                     guint         n_hidden)
{
  guint n_revealed = 0, n_unreliable = 0;

  self->row_of_revealed = -1;
  for (guint s = 0; s < TW_N_FIGURE_STATUSES; s++)
    self->row_of_status[s] = -1;
  add_status_row (self, TW_FIGURE_SHOWN, FALSE, self->n_undetermined,
                  tw_map_style_get_fill (self->style, (guint8) self->undetermined_kind),
                  TW_HATCH_UNRELIABLE);
  for (guint i = 0; i < tw_area_layer_get_n_areas (self->layer); i++)
    {
      n_revealed += self->figures[i].revealed && self->figures[i].kind < self->undetermined_kind;
      n_unreliable += !self->figures[i].revealed
                      && self->figures[i].status == TW_FIGURE_UNRELIABLE;
    }
  if (n_unreliable > 0)
    add_status_row (self, TW_FIGURE_UNRELIABLE, FALSE, n_unreliable,
                    tw_map_style_get_fill (self->style, (guint8) (self->undetermined_kind / 2)),
                    TW_HATCH_UNRELIABLE);
  if (n_revealed > 0)
    add_status_row (self, TW_FIGURE_SUPPRESSED, TRUE, n_revealed,
                    tw_map_style_get_fill (self->style, (guint8) (self->undetermined_kind / 2)),
                    TW_HATCH_REVEALED);
  add_status_row (self, TW_FIGURE_SUPPRESSED, FALSE, n_hidden,
                  tw_map_style_get_fill (self->style, TW_AREA_SUPPRESSED),
                  TW_HATCH_SUPPRESSED);
  add_status_row (self, TW_FIGURE_MISSING, FALSE, self->n_no_data,
                  tw_map_style_get_fill (self->style, TW_AREA_NO_DATA), TW_HATCH_NONE);
}

TwChoropleth *
tw_choropleth_compute (TwStore                 *store,
                       TwAreaLayer             *layer,
                       const TwChoroplethQuery *query,
                       GCancellable            *cancellable,
                       GError                 **error)
{
  g_autoptr(TwChoropleth) self = NULL;
  g_autoptr(TwRateTable) table = NULL;
  g_autofree double *values = NULL;
  g_autofree guint *ranked = NULL;
  TwRateQuery rate_query = { 0 };
  guint n_areas, n_classes;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (layer != NULL, NULL);
  g_return_val_if_fail (query != NULL && query->measure != NULL && query->period != NULL,
                        NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (TwChoropleth, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->layer = tw_area_layer_ref (layer);
  self->reveal = query->reveal;
  self->stratum = g_strdup (query->stratum != NULL ? query->stratum : "all");
  n_areas = tw_area_layer_get_n_areas (layer);
  self->figures = g_new0 (TwAreaFigure, MAX (n_areas, 1));
  self->reasons = g_string_chunk_new (256);

  self->palette = query->palette != NULL ? tw_palette_lookup (query->palette)
                                         : tw_palette_get_default (TW_PALETTE_SEQUENTIAL);
  if (self->palette == NULL)
    {
      g_auto(GStrv) names = tw_palette_list_names (TW_PALETTE_FILTER_ALL);
      g_autofree char *list = g_strjoinv (", ", names);

      g_set_error (error, TW_CHOROPLETH_ERROR, TW_CHOROPLETH_ERROR_PALETTE,
                   "no palette '%s' (there are: %s)", query->palette, list);
      return NULL;
    }
  if (!check_classes (query, error))
    return NULL;

  if (!tw_suppression_policy_load (&self->policy, store, error))
    return NULL;
  rate_query.measure = query->measure;
  rate_query.period = query->period;
  rate_query.stratum = self->stratum;
  rate_query.geography_id = tw_area_layer_get_geography_id (layer);
  rate_query.method = TW_RATE_METHOD_CRUDE;
  rate_query.reveal = self->reveal;
  table = tw_rate_table_compute (store, &rate_query, &self->policy, cancellable, error);
  if (table == NULL)
    return NULL;

  self->code = g_strdup (tw_rate_table_get_measure_code (table));
  self->label = g_strdup (tw_rate_table_get_measure_label (table));
  self->period = g_strdup (tw_rate_table_get_period (table));
  self->kind = tw_rate_table_get_kind (table);
  self->multiplier = tw_rate_table_get_multiplier (table);

  for (guint i = 0; i < n_areas; i++)
    {
      TwAreaFigure *figure = &self->figures[i];

      figure->numerator = figure->denominator = NAN;
      figure->rate = figure->lower = figure->upper = NAN;
      figure->kind = TW_AREA_NO_DATA;
      figure->status = TW_FIGURE_MISSING;
      figure->reason = "no data";
    }
  for (guint r = 0; r < tw_rate_table_get_n_rows (table); r++)
    {
      const TwRateRow *row = tw_rate_table_get_row (table, r);
      int index = tw_area_layer_find_area_id (layer, row->area_id);
      TwAreaFigure *figure;

      if (index < 0)
        continue;
      figure = &self->figures[index];
      figure->numerator = row->numerator;
      figure->denominator = row->denominator;
      figure->rate = row->rate;
      figure->lower = row->lower;
      figure->upper = row->upper;
      figure->suppressed = tw_rate_row_is_suppressed (row);
      figure->withheld = row->reason == TW_SUPPRESSION_WITHHELD;
      figure->unstable = row->unstable;
      figure->status = row->status;
      figure->reason = g_string_chunk_insert_const (self->reasons, row->status_reason);
    }
  g_clear_pointer (&table, tw_rate_table_unref);

  /* What is classed: the areas with a rate that are shown. A suppressed area stays out,
   * so that no break, count or rank can carry its rate. */
  values = g_new (double, MAX (n_areas, 1));
  ranked = g_new (guint, MAX (n_areas, 1));
  for (guint i = 0; i < n_areas; i++)
    {
      TwAreaFigure *figure = &self->figures[i];

      values[i] = NAN;
      if (figure->suppressed && (!self->reveal || figure->withheld))
        {
          figure->kind = TW_AREA_SUPPRESSED;
          self->n_suppressed++;
        }
      else if (isfinite (figure->rate))
        {
          values[i] = figure->rate;
          ranked[self->n_ranked++] = i;
          if (figure->suppressed)
            self->n_suppressed++;
          figure->revealed = figure->suppressed;
        }
      else
        {
          self->n_no_data++;
          if (figure->suppressed)
            self->n_suppressed++;
          figure->revealed = figure->suppressed;
        }
    }

  if (self->n_ranked > 0)
    {
      self->classification = tw_classify (values, n_areas, query->method, query->n_classes,
                                          query->manual_breaks, query->n_manual_breaks, error);
      if (self->classification == NULL)
        return NULL;
    }
  n_classes = self->classification != NULL
              ? self->classification->n_classes
              : query->method == TW_CLASSIFY_MANUAL ? query->n_manual_breaks + 1
              : query->n_classes;

  self->style = tw_map_style_new (n_areas, self->palette, n_classes);
  for (guint i = 0; i < self->n_ranked; i++)
    {
      TwAreaFigure *figure = &self->figures[ranked[i]];
      int class = tw_classification_class_of (self->classification, figure->rate);

      g_assert (class >= 0);
      figure->kind = class;
    }
  for (guint i = 0; i < n_areas; i++)
    {
      const TwAreaFigure *figure = &self->figures[i];

      if (figure->kind != TW_AREA_NO_DATA)
        tw_map_style_set_area (self->style, i, figure->kind);
      if (figure->kind >= n_classes)
        continue;
      if (figure->revealed)
        tw_map_style_set_hatch (self->style, i, TW_HATCH_REVEALED);
      else if (figure->status == TW_FIGURE_UNRELIABLE)
        tw_map_style_set_hatch (self->style, i, TW_HATCH_UNRELIABLE);
    }
  count_statuses (self);

  rank_areas (self, ranked);
  self->decimals = choose_decimals (self);
  return g_steal_pointer (&self);
}

TwChoropleth *
tw_choropleth_ref (TwChoropleth *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tw_choropleth_unref (TwChoropleth *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_clear_pointer (&self->layer, tw_area_layer_unref);
  g_clear_pointer (&self->classification, tw_classification_free);
  g_clear_pointer (&self->style, tw_map_style_unref);
  g_free (self->figures);
  g_free (self->change_ends);
  g_free (self->unit);
  g_clear_pointer (&self->reasons, g_string_chunk_free);
  g_free (self->code);
  g_free (self->label);
  g_free (self->period);
  g_free (self->from_period);
  g_free (self->to_period);
  g_free (self->stratum);
  g_free (self);
}

TwAreaLayer *
tw_choropleth_get_layer (TwChoropleth *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->layer;
}

const TwAreaFigure *
tw_choropleth_get_figure (TwChoropleth *self,
                          guint         area)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (area < tw_area_layer_get_n_areas (self->layer), NULL);
  return &self->figures[area];
}

const TwClassification *
tw_choropleth_get_classification (TwChoropleth *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->classification;
}

TwMapStyle *
tw_choropleth_get_style (TwChoropleth *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->style;
}

guint
tw_choropleth_get_n_suppressed (TwChoropleth *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_suppressed;
}

guint
tw_choropleth_get_n_no_data (TwChoropleth *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_no_data;
}

guint
tw_choropleth_get_status_rows (TwChoropleth       *self,
                               const TwStatusRow **rows)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (rows != NULL, 0);

  *rows = self->status_rows;
  return self->n_status_rows;
}

int
tw_choropleth_get_status_row_of (TwChoropleth *self,
                                 guint         area)
{
  const TwAreaFigure *figure;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (area < tw_area_layer_get_n_areas (self->layer), -1);

  figure = &self->figures[area];
  /* On a map of time, only the undetermined among the shown have a row. */
  if (self->change_ends != NULL && figure->status == TW_FIGURE_SHOWN
      && figure->kind != self->undetermined_kind)
    return -1;
  return figure->revealed ? self->row_of_revealed : self->row_of_status[figure->status];
}

guint
tw_choropleth_get_n_ranked (TwChoropleth *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_ranked;
}

const TwSuppressionPolicy *
tw_choropleth_get_policy (TwChoropleth *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->policy;
}

gboolean
tw_choropleth_get_reveal (TwChoropleth *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->reveal;
}

const char *
tw_choropleth_get_measure_code (TwChoropleth *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->code;
}

const char *
tw_choropleth_get_measure_label (TwChoropleth *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->label;
}

const char *
tw_choropleth_get_period (TwChoropleth *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->period;
}

const char *
tw_choropleth_get_stratum (TwChoropleth *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->stratum;
}

gboolean
tw_choropleth_is_proportion (TwChoropleth *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->kind == TW_RATE_KIND_PROPORTION;
}

double
tw_choropleth_get_multiplier (TwChoropleth *self)
{
  g_return_val_if_fail (self != NULL, 1.0);
  return self->multiplier;
}

const TwPalette *
tw_choropleth_get_palette (TwChoropleth *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->palette;
}

guint
tw_choropleth_get_decimals (TwChoropleth *self)
{
  g_return_val_if_fail (self != NULL, 1);
  return self->decimals;
}

char *
tw_choropleth_format_unit (TwChoropleth *self)
{
  g_autofree char *per = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->unit != NULL)
    return g_strdup (self->unit);
  if (self->change_ends != NULL && self->kind == TW_RATE_KIND_PROPORTION
      && self->multiplier == 100.0)
    return g_strdup ("percentage points");
  if (self->kind == TW_RATE_KIND_PROPORTION && self->multiplier == 100.0)
    return g_strdup ("%");
  if (self->multiplier == floor (self->multiplier) && self->multiplier < 1e15)
    per = format_fixed (self->multiplier, 0);
  else
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      per = g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", self->multiplier));
    }
  return g_strdup_printf ("per %s", per);
}

char *
tw_choropleth_format_rate (TwChoropleth *self,
                           double        rate)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (!isfinite (rate))
    return g_strdup ("–");
  return format_fixed (rate, self->decimals);
}

/* Change maps */

/* Reversed ColorBrewer RdBu of @n + 1 colours (n even): falls in blue, rises in red when a
 * higher rate is worse (the other way round when it is better), its middle colour last,
 * for the changes whose interval holds no change. */
static void
change_colors (guint     n,
               gboolean  higher_is_worse,
               guint32  *colors)
{
  const TwPalette *rdbu = tw_palette_lookup ("RdBu");

  for (guint j = 0; j < n; j++)
    {
      guint index = j < n / 2 ? n - j : n - j - 1;

      colors[j] = tw_palette_get_color (rdbu, n + 1, higher_is_worse ? index : n - index);
    }
  colors[n] = tw_palette_get_color (rdbu, n + 1, n / 2);
}

TwChoropleth *
tw_choropleth_new_change (TwStore                       *store,
                          TwAreaLayer                   *layer,
                          const TwChoroplethChangeSpec  *spec,
                          TwAreaFigure                  *figures,
                          double                        *ends,
                          GError                       **error)
{
  g_autoptr(TwChoropleth) self = NULL;
  g_autofree double *values = NULL;
  g_autofree guint *ranked = NULL;
  g_autofree gboolean *unreliable = NULL;
  guint32 colors[TW_PALETTE_MAX_CLASSES];
  double centre, widest = 0.0, inner[TW_PALETTE_MAX_CLASSES];
  guint n_areas, n, n_hidden = 0;

  g_return_val_if_fail (store != NULL && layer != NULL && spec != NULL, NULL);
  g_return_val_if_fail (figures != NULL && ends != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  n_areas = tw_area_layer_get_n_areas (layer);
  self = g_new0 (TwChoropleth, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->layer = tw_area_layer_ref (layer);
  self->figures = figures;
  self->change_ends = ends;
  self->ratio = spec->ratio;
  self->unit = g_strdup (spec->unit);
  self->reveal = spec->reveal;
  self->palette = tw_palette_lookup ("RdBu");
  self->code = g_strdup (spec->measure_code);
  self->label = g_strdup (spec->measure_label);
  self->period = g_strdup (spec->period_label);
  self->from_period = g_strdup (spec->from_period);
  self->to_period = g_strdup (spec->from_period != NULL ? spec->to_period : NULL);
  self->stratum = g_strdup (spec->stratum != NULL ? spec->stratum : "all");
  self->kind = spec->kind;
  self->multiplier = spec->multiplier;
  if (!tw_suppression_policy_load (&self->policy, store, error))
    return NULL;

  /* An even number of classes, so that 0 is a break: a change the data can tell from none
   * is a fall or a rise, never both. The undetermined take the palette's middle colour,
   * hatched: their class colour would make the noisiest small areas the loudest, and a
   * plain pale fill reads as "no change", which the data do not say either. */
  n = CLAMP (spec->n_classes & ~1u, 4, TW_PALETTE_MAX_CLASSES - 1);
  centre = spec->ratio ? 1.0 : 0.0;
  values = g_new (double, MAX (n_areas, 1));
  ranked = g_new (guint, MAX (n_areas, 1));
  unreliable = g_new0 (gboolean, MAX (n_areas, 1));
  self->reasons = g_string_chunk_new (256);
  for (guint i = 0; i < n_areas; i++)
    {
      TwAreaFigure *figure = &self->figures[i];

      values[i] = NAN;
      unreliable[i] = figure->status == TW_FIGURE_UNRELIABLE;
      figure->reason = g_string_chunk_insert_const (self->reasons, figure->reason != NULL
                                                                   ? figure->reason : "");
      figure->kind = TW_AREA_NO_DATA;
      figure->status = TW_FIGURE_SHOWN;
      if (figure->suppressed && (!self->reveal || figure->withheld))
        {
          figure->kind = TW_AREA_SUPPRESSED;
          figure->status = TW_FIGURE_SUPPRESSED;
          self->n_suppressed++;
          n_hidden++;
          continue;
        }
      if (figure->suppressed)
        {
          self->n_suppressed++;
          figure->revealed = TRUE;
        }
      if (!isfinite (figure->rate) || (spec->ratio && figure->rate <= 0))
        {
          figure->status = TW_FIGURE_MISSING;
          self->n_no_data++;
          continue;
        }
      ranked[self->n_ranked++] = i;
      if (!(figure->lower > centre || figure->upper < centre))
        {
          figure->kind = n;
          self->n_undetermined++;
          continue;
        }
      values[i] = figure->rate;
      widest = MAX (widest, fabs (spec->ratio ? log (figure->rate) : figure->rate));
    }

  if (self->n_ranked > self->n_undetermined)
    {
      if (widest == 0.0)
        widest = 1.0;
      for (guint k = 1; k < n; k++)
        {
          double at = widest * (2.0 * k / n - 1.0);

          inner[k - 1] = spec->ratio ? exp (at) : at;
        }
      inner[n / 2 - 1] = centre;
      self->classification = tw_classify (values, n_areas, TW_CLASSIFY_MANUAL, n, inner, n - 1,
                                          error);
      if (self->classification == NULL)
        return NULL;
    }

  change_colors (n, spec->higher_is_worse, colors);
  self->style = tw_map_style_new_with_colors (n_areas, colors, n + 1);
  for (guint i = 0; i < n_areas; i++)
    {
      TwAreaFigure *figure = &self->figures[i];

      if (figure->kind == TW_AREA_NO_DATA && isfinite (values[i]))
        figure->kind = tw_classification_class_of (self->classification, values[i]);
      if (figure->kind != TW_AREA_NO_DATA)
        tw_map_style_set_area (self->style, i, figure->kind);
      if (figure->kind == n)
        tw_map_style_set_hatch (self->style, i, TW_HATCH_UNRELIABLE);
      else if (figure->kind < n && figure->revealed)
        tw_map_style_set_hatch (self->style, i, TW_HATCH_REVEALED);
      else if (figure->kind < n && unreliable[i])
        {
          /* A change told from none but with an unreliable end: its class colour under the
           * unreliable hatch, as on a map of rates (the undetermined keep their own row). */
          figure->status = TW_FIGURE_UNRELIABLE;
          tw_map_style_set_hatch (self->style, i, TW_HATCH_UNRELIABLE);
        }
    }
  self->undetermined_kind = n;
  count_time_statuses (self, n_hidden);
  rank_areas (self, ranked);
  self->decimals = choose_decimals (self);
  return g_steal_pointer (&self);
}

gboolean
tw_choropleth_get_change_periods (TwChoropleth  *self,
                                  const char   **from,
                                  const char   **to)
{
  g_return_val_if_fail (self != NULL && from != NULL && to != NULL, FALSE);
  *from = self->from_period;
  *to = self->to_period;
  return self->from_period != NULL && self->to_period != NULL;
}

gboolean
tw_choropleth_is_change (TwChoropleth *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->change_ends != NULL;
}

guint
tw_choropleth_get_n_undetermined (TwChoropleth *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_undetermined;
}

gboolean
tw_choropleth_get_change_ends (TwChoropleth *self,
                               guint         area,
                               double       *from,
                               double       *to)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (area < tw_area_layer_get_n_areas (self->layer), FALSE);

  if (self->change_ends == NULL)
    return FALSE;
  *from = self->change_ends[2 * area];
  *to = self->change_ends[2 * area + 1];
  return TRUE;
}
