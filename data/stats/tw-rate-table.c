/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-rate-table"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tw-rate-table.h"
#include "tw-store-catalog.h"
#include "tw-store-crosswalk.h"
#include "tw-store-dictionary.h"
#include "tw-store-outcomes.h"
#include "tw-stats-dist.h"

/* The counts of one cell by age group, for the cells whose data has them. */
typedef struct
{
  double    numerator[TW_N_AGE_GROUPS];
  double    denominator[TW_N_AGE_GROUPS];
  gboolean  present[TW_N_AGE_GROUPS];
  double    sum_numerator;
  double    sum_denominator;
  char     *unknown_label;   /* the first label that is not one of the 11 */
} AgeCounts;

/* One stratum of one area. */
typedef struct
{
  guint              area;      /* index into areas */
  guint              stratum;   /* index into strata */
  double             numerator;
  double             denominator;
  gboolean           has_unsplit;   /* a row with an empty age group */
  gboolean           withheld;      /* a review copy's suppressed cell: no count here */
  gboolean           pool_hidden;   /* a pooled cell hidden by rule 7 */
  gboolean           from_hidden;   /* allocated from a hidden source (tw-store-crosswalk.h) */
  double             variance;      /* of an allocated count: Σ w²·y; 0 otherwise */
  double             population_rse;  /* SE/estimate of a denominator that is an estimate */
  double             population_moe;  /* its MOE (90%), NAN for a count */
  int                ages;          /* index into ages, or -1 */
  TwSuppressionCell  policy;
  TwRateEstimate     estimate;
  GStrv              missing_age_groups;
  int                row;           /* index into rows, or -1 */
} Cell;

typedef struct
{
  gint64      id;
  const char *geoid;
  guint       n_cells;
  double      population;      /* the estimate the measure's denominators are, or NAN */
  double      population_moe;  /* and its margin of error (90%) */
} Area;

struct _TwRateTable
{
  gatomicrefcount      ref_count;
  TwSuppressionPolicy  policy;
  TwRateMethod         method;
  gboolean             reveal;
  char                *code;
  char                *label;
  char                *period;
  GStrv                components;  /* the periods a pooled period sums; one otherwise */
  TwRateKind           kind;
  double               multiplier;
  gboolean             higher_is_worse;

  GStringChunk        *strings;
  GPtrArray           *strata;     /* char * (in strings), "all" first; NULL-terminated */
  GArray              *areas;      /* Area, sorted by id */
  int                 *cell_at;    /* areas × strata → index into cells, or -1 */
  GArray              *cells;      /* Cell */
  GArray              *ages;       /* AgeCounts */
  guint               *order;      /* areas with cells, by GEOID then id */
  guint                n_order;
  GArray              *rows;       /* TwRateRow */
  guint                n_incomplete;
  char                *first_incomplete;
};

G_DEFINE_QUARK (tw-rate-table-error-quark, tw_rate_table_error)

static Cell *
cell_of (TwRateTable *self,
         guint        area,
         guint        stratum)
{
  int index = self->cell_at[(gsize) area * self->strata->len + stratum];

  return index < 0 ? NULL : &g_array_index (self->cells, Cell, index);
}

static int
compare_area_ids (gconstpointer a,
                  gconstpointer b)
{
  const Area *x = a, *y = b;

  return (x->id > y->id) - (x->id < y->id);
}

static int
compare_order (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const Area *areas = user_data;
  const Area *x = &areas[*(const guint *) a], *y = &areas[*(const guint *) b];
  int c = strcmp (x->geoid, y->geoid);

  return c != 0 ? c : (x->id > y->id) - (x->id < y->id);
}

static char *
join_strings (GPtrArray *strings)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < strings->len && g_ptr_array_index (strings, i) != NULL; i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, g_ptr_array_index (strings, i));
    }
  if (text->len == 0)
    g_string_append (text, "none");
  return g_string_free (text, FALSE);
}

/* The measure's periods, in order. The store seeks along the outcome key from one period
 * to the next: a scan through the outcome view would read every row of the measure. */
static GPtrArray *
list_periods (TwStore  *store,
              gint64    measure_id,
              GError  **error)
{
  g_auto(GStrv) labels = tw_store_list_periods (store, measure_id, error);
  GPtrArray *periods;

  if (labels == NULL)
    return NULL;
  periods = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; labels[i] != NULL; i++)
    g_ptr_array_add (periods, g_steal_pointer (&labels[i]));
  return periods;
}

/* The strata of every period of the measure, "all" first and then sorted. */
static gboolean
list_strata (TwRateTable  *self,
             TwStore      *store,
             gint64        measure_id,
             GError      **error)
{
  g_auto(GStrv) labels = tw_store_list_strata (store, measure_id, NULL, error);

  if (labels == NULL)
    return FALSE;
  self->strata = g_ptr_array_new_null_terminated (g_strv_length (labels) + 1, NULL, TRUE);
  for (guint i = 0; labels[i] != NULL; i++)
    g_ptr_array_add (self->strata, g_string_chunk_insert_const (self->strings, labels[i]));
  return TRUE;
}

static int
find_stratum (TwRateTable *self,
              const char  *stratum)
{
  for (guint s = 0; s < self->strata->len; s++)
    if (g_str_equal (g_ptr_array_index (self->strata, s), stratum))
      return s;
  return -1;
}

static gboolean
load_measure (TwRateTable  *self,
              TwStore      *store,
              gint64        measure_id,
              GError      **error)
{
  g_autoptr(TwMeasureInfo) measure = tw_store_get_measure (store, measure_id, error);

  if (measure == NULL)
    return FALSE;
  self->code = g_steal_pointer (&measure->code);
  self->label = g_steal_pointer (&measure->label);
  self->multiplier = measure->multiplier;
  self->higher_is_worse = measure->higher_is_worse;
  if (!tw_rate_kind_from_string (measure->kind, &self->kind))
    {
      g_set_error (error, TW_RATE_TABLE_ERROR, TW_RATE_TABLE_ERROR_MEASURE,
                   "%s: measure '%s' has kind '%s'; it must be rate or proportion",
                   tw_store_get_path (store), self->code ? self->code : "?",
                   measure->kind ? measure->kind : "(none)");
      return FALSE;
    }
  return TRUE;
}

static void
add_area (gint64      area_id,
          const char *geoid,
          gpointer    user_data)
{
  TwRateTable *self = user_data;
  Area area = { 0 };

  area.id = area_id;
  area.geoid = g_string_chunk_insert (self->strings, geoid);
  area.population = area.population_moe = NAN;
  g_array_append_val (self->areas, area);
}

/* The areas the rows may belong to, sorted by id, with their GEOIDs. */
static gboolean
load_areas (TwRateTable  *self,
            TwStore      *store,
            gint64        geography_id,
            GError      **error)
{
  self->areas = g_array_new (FALSE, FALSE, sizeof (Area));
  if (!tw_store_foreach_geoid (store, geography_id, add_area, self, error))
    return FALSE;
  g_array_sort (self->areas, compare_area_ids);
  return TRUE;
}

static int find_area (TwRateTable *self, gint64 id, guint hint);

/* The population estimates, with their MOE, that the measure's denominators were taken
 * from (an ACS table imported as attributes, tw-store-dictionary.h). */
static gboolean
load_population_moe (TwRateTable  *self,
                     TwStore      *store,
                     GError      **error)
{
  g_autoptr(GArray) ids = NULL, estimates = NULL, moes = NULL;

  if (!tw_store_load_denominator_moe (store, self->code, &ids, &estimates, &moes, NULL, error))
    return FALSE;
  for (guint i = 0, hint = 0; i < ids->len; i++)
    {
      int a = find_area (self, g_array_index (ids, gint64, i), hint);
      Area *area;

      if (a < 0)
        continue;
      area = &g_array_index (self->areas, Area, a);
      area->population = g_array_index (estimates, double, i);
      area->population_moe = g_array_index (moes, double, i);
      hint = a + 1;
    }
  return TRUE;
}

/* Index of the area @id at or after @hint, or by binary search; -1 when not loaded. */
static int
find_area (TwRateTable *self,
           gint64       id,
           guint        hint)
{
  const Area *areas = (const Area *) self->areas->data;
  guint lo = 0, hi = self->areas->len;

  if (hint < self->areas->len && areas[hint].id == id)
    return hint;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (areas[mid].id < id)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < self->areas->len && areas[lo].id == id ? (int) lo : -1;
}

static Cell *
add_cell (TwRateTable *self,
          guint        area,
          guint        stratum)
{
  Cell *cell;

  g_array_set_size (self->cells, self->cells->len + 1);
  cell = &g_array_index (self->cells, Cell, self->cells->len - 1);
  memset (cell, 0, sizeof *cell);
  cell->area = area;
  cell->stratum = stratum;
  cell->ages = -1;
  cell->row = -1;
  cell->population_moe = NAN;
  self->cell_at[(gsize) area * self->strata->len + stratum] = self->cells->len - 1;
  g_array_index (self->areas, Area, area).n_cells++;
  return cell;
}

/* Where the scan of the outcome rows is: the rows come stratum by stratum and, within
 * one, by area id, so the stratum's label is compared only when it changes and an area
 * is usually the one after the last. */
typedef struct
{
  TwRateTable *table;
  const char  *stratum_label;   /* in table->strings */
  int          stratum;
  int          area;
  Cell        *cell;
  guint        hint;
} CellScan;

static void
add_outcome (const TwStoreOutcome *outcome,
             gpointer              user_data)
{
  CellScan *scan = user_data;
  TwRateTable *self = scan->table;

  if (scan->stratum_label == NULL || strcmp (scan->stratum_label, outcome->stratum) != 0)
    {
      scan->stratum = find_stratum (self, outcome->stratum);
      scan->stratum_label = scan->stratum >= 0
                            ? g_ptr_array_index (self->strata, scan->stratum) : NULL;
      scan->cell = NULL;
      scan->hint = 0;
    }
  if (scan->stratum < 0)
    return;

  if (scan->cell == NULL || scan->area < 0
      || g_array_index (self->areas, Area, scan->area).id != outcome->area_id)
    {
      int found = find_area (self, outcome->area_id, scan->hint);

      if (found < 0)
        {
          scan->cell = NULL;   /* another geography */
          return;
        }
      scan->area = found;
      scan->hint = found + 1;
      scan->cell = cell_of (self, found, scan->stratum);
      if (scan->cell == NULL)
        scan->cell = add_cell (self, found, scan->stratum);
    }

  /* A pooled period sums its periods' rows into one cell. */
  if (outcome->age_group[0] == '\0')
    {
      scan->cell->has_unsplit = TRUE;
      scan->cell->numerator += outcome->numerator;
      scan->cell->denominator += outcome->denominator;
    }
  else
    {
      int index = tw_age_group_index (outcome->age_group);
      AgeCounts *ages;

      if (scan->cell->ages < 0)
        {
          g_array_set_size (self->ages, self->ages->len + 1);
          scan->cell->ages = self->ages->len - 1;
        }
      ages = &g_array_index (self->ages, AgeCounts, scan->cell->ages);
      ages->sum_numerator += outcome->numerator;
      ages->sum_denominator += outcome->denominator;
      if (index < 0)
        {
          if (ages->unknown_label == NULL)
            ages->unknown_label = g_strdup (outcome->age_group);
        }
      else
        {
          ages->present[index] = TRUE;
          ages->numerator[index] += outcome->numerator;
          ages->denominator[index] += outcome->denominator;
        }
    }
}

/* One pass over the measure and each period in the outcome key's order. */
static gboolean
load_cells (TwRateTable   *self,
            TwStore       *store,
            gint64         measure_id,
            GCancellable  *cancellable,
            GError       **error)
{
  gsize n_slots = (gsize) self->areas->len * self->strata->len;

  self->cell_at = g_new (int, MAX (n_slots, 1));
  memset (self->cell_at, 0xff, n_slots * sizeof (int));
  self->cells = g_array_sized_new (FALSE, FALSE, sizeof (Cell), self->areas->len);
  self->ages = g_array_new (FALSE, TRUE, sizeof (AgeCounts));

  for (guint p = 0; self->components[p] != NULL; p++)
    {
      CellScan scan = { .table = self, .stratum = -1, .area = -1 };

      if (!tw_store_foreach_outcome (store, measure_id, self->components[p], add_outcome,
                                     &scan, cancellable, error))
        return FALSE;
    }
  return TRUE;
}

static void
add_withheld (const TwStoreOutcome *outcome,
              gpointer              user_data)
{
  TwRateTable *self = user_data;
  int stratum = find_stratum (self, outcome->stratum);
  int area = find_area (self, outcome->area_id, G_MAXUINT);
  int index;
  Cell *cell;

  if (stratum < 0 || area < 0)
    return;
  index = self->cell_at[(gsize) area * self->strata->len + stratum];
  cell = index >= 0 ? &g_array_index (self->cells, Cell, index) : add_cell (self, area, stratum);
  cell->withheld = TRUE;
  cell->has_unsplit = TRUE;
  cell->ages = -1;
  cell->numerator = NAN;
  if (self->components[1] == NULL)
    cell->denominator = outcome->denominator;
  else
    cell->denominator += outcome->denominator;
}

/* The cells a share package withheld (a review project's): their population and that they
 * are suppressed, never a count. */
static gboolean
load_withheld (TwRateTable   *self,
               TwStore       *store,
               gint64         measure_id,
               GError       **error)
{
  for (guint p = 0; self->components[p] != NULL; p++)
    if (!tw_store_foreach_withheld_outcome (store, measure_id, self->components[p],
                                            add_withheld, self, error))
      return FALSE;
  return TRUE;
}

static void
add_allocated (const TwStoreAllocatedCell *allocated,
               gpointer                    user_data)
{
  TwRateTable *self = user_data;
  int stratum = find_stratum (self, allocated->stratum);
  int area = find_area (self, allocated->area_id, G_MAXUINT);
  int index;

  if (stratum < 0 || area < 0)
    return;
  index = self->cell_at[(gsize) area * self->strata->len + stratum];
  if (index >= 0)
    {
      Cell *cell = &g_array_index (self->cells, Cell, index);

      cell->from_hidden |= allocated->hidden
                           || tw_suppression_is_small (&self->policy, allocated->least_source);
      cell->variance += allocated->variance;
    }
}

/* An allocated count y with variance v < y is as certain as v / y of y² / v events (its
 * effective count): its interval and its reliability are those of that count. */
static double
effective_count (const Cell *cell)
{
  if (cell->variance > 0 && cell->numerator > 0 && cell->variance < cell->numerator)
    return cell->numerator * cell->numerator / cell->variance;
  return cell->numerator;
}

/* A cell allocated by a crosswalk from a source cell hidden on its own geography is hidden
 * too (as complementary): otherwise the two geographies' figures could be differenced. */
static gboolean
load_allocated (TwRateTable   *self,
                TwStore       *store,
                gint64         measure_id,
                GError       **error)
{
  for (guint p = 0; self->components[p] != NULL; p++)
    if (!tw_store_foreach_allocated_cell (store, measure_id, self->components[p],
                                          add_allocated, self, error))
      return FALSE;
  return TRUE;
}

/* Rule 7 (tw-suppression.h): a pooled cell is published only when it holds none or all of
 * the periods in which its area and group is hidden, and then only when what an outsider
 * gets of those hidden periods, their sum, stays a range for each. The periods are judged
 * one by one, as a query of each would be. */
static gboolean
judge_pools (TwRateTable        *self,
             TwStore            *store,
             const TwRateQuery  *query,
             GPtrArray          *periods,
             GCancellable       *cancellable,
             GError            **error)
{
  g_autoptr(GPtrArray) tables = NULL;
  double k = self->policy.min_count;

  tables = g_ptr_array_new_with_free_func ((GDestroyNotify) tw_rate_table_unref);
  for (guint p = 0; p < periods->len; p++)
    {
      TwRateQuery single = { 0 };
      TwRateTable *table;

      single.measure = query->measure;
      single.period = g_ptr_array_index (periods, p);
      single.geography_id = query->geography_id;
      single.method = TW_RATE_METHOD_CRUDE;
      single.reveal = TRUE;
      table = tw_rate_table_compute (store, &single, &self->policy, cancellable, error);
      if (table == NULL)
        return FALSE;
      g_ptr_array_add (tables, table);
    }

  for (guint i = 0; i < self->cells->len; i++)
    {
      Cell *cell = &g_array_index (self->cells, Cell, i);
      const Area *area = &g_array_index (self->areas, Area, cell->area);
      const char *stratum = g_ptr_array_index (self->strata, cell->stratum);
      double sum = 0.0, least = 0.0, most = 0.0;
      guint n_hidden = 0;
      gboolean outside = FALSE;

      for (guint p = 0; p < periods->len; p++)
        {
          const TwRateRow *row = tw_rate_table_find_row (g_ptr_array_index (tables, p),
                                                         area->id, stratum);

          if (row == NULL || row->reason == TW_SUPPRESSION_SHOWN)
            continue;
          if (!g_strv_contains ((const char *const *) self->components,
                                g_ptr_array_index (periods, p)))
            {
              outside = TRUE;
              break;
            }
          n_hidden++;
          sum += row->numerator;
          switch (row->reason)
            {
            case TW_SUPPRESSION_PRIMARY:
              least += 1.0;
              most += MAX (1.0, k - 1.0);
              break;
            case TW_SUPPRESSION_COMPLEMENTARY:
              least += k;
              most = INFINITY;
              break;
            default:
              most = INFINITY;
            }
        }
      if (n_hidden == 0 && !outside)
        continue;
      cell->pool_hidden = outside || n_hidden < 2 || !isfinite (sum)
                          || sum < least + 1.5 || sum > most - 1.5
                          || tw_suppression_is_small (&self->policy, sum);
    }
  return TRUE;
}

/* Rules 1, 2, 3 and 5 of the policy, area by area over all its groups. */
static void
judge_areas (TwRateTable *self)
{
  guint n_strata = self->strata->len;
  g_autofree TwSuppressionCell *cells = g_new0 (TwSuppressionCell, MAX (n_strata, 1));
  g_autofree Cell **members = g_new0 (Cell *, MAX (n_strata, 1));

  for (guint o = 0; o < self->n_order; o++)
    {
      guint area = self->order[o];
      guint n = 0;

      for (guint s = 0; s < n_strata; s++)
        {
          Cell *cell = cell_of (self, area, s);

          if (cell == NULL)
            continue;
          members[n] = cell;
          cells[n].numerator = cell->numerator;
          cells[n].denominator = cell->denominator;
          cells[n].is_total = g_str_equal (g_ptr_array_index (self->strata, s), "all");
          /* Rules 1 and 6 as tw_suppression_apply_area would, then rule 7's complements.
           * A cell allocated from a hidden source is complementary whatever its count:
           * "small" would tell whether the hidden sources' shares add up to k. */
          cells[n].reason = cell->withheld || isnan (cell->numerator)
                            ? TW_SUPPRESSION_WITHHELD
                            : cell->from_hidden
                            ? TW_SUPPRESSION_COMPLEMENTARY
                            : tw_suppression_is_small (&self->policy, cell->numerator)
                            ? TW_SUPPRESSION_PRIMARY
                            : cell->pool_hidden
                            ? TW_SUPPRESSION_COMPLEMENTARY
                            : TW_SUPPRESSION_SHOWN;
          cells[n].unstable = FALSE;
          n++;
        }
      tw_suppression_complete_area (&self->policy, cells, n);
      for (guint i = 0; i < n; i++)
        {
          members[i]->policy = cells[i];
          if (cells[i].reason == TW_SUPPRESSION_SHOWN && members[i]->variance > 0)
            members[i]->policy.unstable = effective_count (members[i])
                                          < (double) self->policy.unstable_below;
        }
    }
}

/* The gamma quantiles of the exact Poisson interval depend on the count alone, and counts
 * repeat: remember them for whole counts below this. */
#define POISSON_CACHE_SIZE 4096

typedef struct
{
  double lower[POISSON_CACHE_SIZE];  /* NAN until computed */
  double upper[POISSON_CACHE_SIZE];
} PoissonCache;

/* tw_rate_crude, with the quantiles of whole counts computed once each. The arithmetic is
 * tw_rate_interval_poisson's, so the figures are the same to the last bit. */
static TwRateEstimate
crude_rate (TwRateTable  *self,
            PoissonCache *cache,
            double        x,
            double        n)
{
  TwRateEstimate estimate = { NAN, NAN, NAN };
  double alpha = 1.0 - 0.95, lower, upper;
  gsize k = (gsize) x;

  if (self->kind != TW_RATE_KIND_RATE || !(x >= 0.0) || x != floor (x)
      || x >= POISSON_CACHE_SIZE || !(n > 0.0))
    return tw_rate_crude (self->kind, x, n, self->multiplier);

  if (isnan (cache->upper[k]))
    {
      cache->lower[k] = x == 0.0 ? 0.0 : tw_stats_gamma_quantile (0.5 * alpha, x);
      cache->upper[k] = tw_stats_gamma_quantile (1.0 - 0.5 * alpha, x + 1.0);
    }
  lower = x == 0.0 ? 0.0 : cache->lower[k] / n;
  upper = cache->upper[k] / n;
  estimate.rate = x / n * self->multiplier;
  estimate.lower = lower * self->multiplier;
  estimate.upper = upper * self->multiplier;
  return estimate;
}

/* A denominator that is the area's population estimate — once per period a pool sums, the
 * same estimate each time — carries its relative error into the interval (tw-rates.h,
 * tw_rate_interval_add_population_error). The estimate's relative error is the same for
 * every multiple of it, as a repeated estimate's errors are not independent. */
static void
add_population_error (TwRateTable *self,
                      Cell        *cell)
{
  const Area *area = &g_array_index (self->areas, Area, cell->area);
  double times = g_strv_length (self->components);
  double expected = times * area->population;

  if (!isfinite (area->population) || !(area->population > 0.0)
      || !(fabs (cell->denominator - expected) <= 1e-9 * expected))
    return;
  cell->population_rse = area->population_moe / TW_MOE_Z / area->population;
  cell->population_moe = times * area->population_moe;
  tw_rate_interval_add_population_error (cell->estimate.rate, cell->population_rse,
                                         self->kind == TW_RATE_KIND_PROPORTION
                                         ? self->multiplier : INFINITY,
                                         &cell->estimate.lower, &cell->estimate.upper);
}

static void
compute_crude (TwRateTable *self,
               int          only_stratum)
{
  g_autofree PoissonCache *cache = g_new (PoissonCache, 1);

  for (guint i = 0; i < POISSON_CACHE_SIZE; i++)
    cache->lower[i] = cache->upper[i] = NAN;

  for (guint i = 0; i < self->cells->len; i++)
    {
      Cell *cell = &g_array_index (self->cells, Cell, i);

      if (only_stratum >= 0 && cell->stratum != (guint) only_stratum)
        continue;
      if (cell->withheld)
        cell->estimate.rate = cell->estimate.lower = cell->estimate.upper = NAN;
      else if (effective_count (cell) != cell->numerator)
        {
          double scale = effective_count (cell) / cell->numerator;

          cell->estimate = crude_rate (self, cache, cell->numerator * scale,
                                       cell->denominator * scale);
        }
      else
        cell->estimate = crude_rate (self, cache, cell->numerator, cell->denominator);
      if (!cell->withheld)
        add_population_error (self, cell);
    }
}

static gboolean
compute_age_adjusted (TwRateTable  *self,
                      TwStore      *store,
                      GError      **error)
{
  static const double no_counts[TW_N_AGE_GROUPS];
  static const gboolean none_present[TW_N_AGE_GROUPS];

  for (guint o = 0; o < self->n_order; o++)
    {
      guint area = self->order[o];
      const char *geoid = g_array_index (self->areas, Area, area).geoid;

      for (guint s = 0; s < self->strata->len; s++)
        {
          Cell *cell = cell_of (self, area, s);
          AgeCounts *ages;
          g_autoptr(GError) local_error = NULL;

          if (cell == NULL)
            continue;
          if (cell->withheld)
            {
              cell->estimate.rate = cell->estimate.lower = cell->estimate.upper = NAN;
              continue;
            }
          ages = cell->ages >= 0 ? &g_array_index (self->ages, AgeCounts, cell->ages) : NULL;
          if (ages != NULL && ages->unknown_label != NULL)
            {
              g_autofree char *labels = g_strjoinv (", ", (GStrv) tw_age_group_labels ());

              g_set_error (error, TW_RATE_TABLE_ERROR, TW_RATE_TABLE_ERROR_AGE_GROUP,
                           "%s: area %s, stratum %s: age group '%s' is not one of the 11 NCHS "
                           "groups (%s); import the outcomes again with those labels",
                           tw_store_get_path (store), geoid,
                           (const char *) g_ptr_array_index (self->strata, s),
                           ages->unknown_label, labels);
              return FALSE;
            }
          if (tw_rate_age_adjusted (ages ? ages->numerator : no_counts,
                                    ages ? ages->denominator : no_counts,
                                    ages ? ages->present : none_present,
                                    self->multiplier, &cell->estimate,
                                    &cell->missing_age_groups, &local_error))
            continue;
          if (!g_error_matches (local_error, TW_RATES_ERROR, TW_RATES_ERROR_MISSING_AGE_GROUPS))
            {
              g_set_error (error, TW_RATE_TABLE_ERROR, TW_RATE_TABLE_ERROR_INVALID,
                           "%s: area %s, stratum %s: %s", tw_store_get_path (store), geoid,
                           (const char *) g_ptr_array_index (self->strata, s),
                           local_error->message);
              return FALSE;
            }
          if (self->n_incomplete++ == 0)
            self->first_incomplete = g_strdup_printf ("area %s, stratum %s: %s", geoid,
                                                      (const char *) g_ptr_array_index (self->strata, s),
                                                      local_error->message);
        }
    }
  return TRUE;
}

/* The cells of stratum @s with a population, in area order; outside a reveal only the
 * shown ones (THE RULE: the smoothing parameters pool every member). */
static GPtrArray *
stratum_members (TwRateTable *self,
                 guint        s)
{
  GPtrArray *members = g_ptr_array_new ();

  for (guint o = 0; o < self->n_order; o++)
    {
      Cell *cell = cell_of (self, self->order[o], s);

      if (cell == NULL || !(cell->denominator > 0.0) || !isfinite (cell->numerator))
        continue;
      if (!self->reveal && cell->policy.reason != TW_SUPPRESSION_SHOWN)
        continue;
      g_ptr_array_add (members, cell);
    }
  return members;
}

/* Global EB per stratum over the areas with a population (outside a reveal, the shown
 * ones): the prior is estimated from them, and only they get a smoothed rate. */
static void
compute_eb (TwRateTable *self)
{
  for (guint i = 0; i < self->cells->len; i++)
    {
      Cell *cell = &g_array_index (self->cells, Cell, i);

      cell->estimate.rate = cell->estimate.lower = cell->estimate.upper = NAN;
    }

  for (guint s = 0; s < self->strata->len; s++)
    {
      g_autoptr(GPtrArray) members = stratum_members (self, s);
      g_autofree double *y = NULL, *n = NULL, *est = NULL;
      double a = 0.0, b = 0.0, sum_y = 0.0, sum_n = 0.0;
      double pooled_lower = NAN, pooled_upper = NAN;

      if (members->len == 0)
        continue;
      y = g_new (double, members->len);
      n = g_new (double, members->len);
      est = g_new (double, members->len);
      for (guint i = 0; i < members->len; i++)
        {
          Cell *cell = g_ptr_array_index (members, i);

          y[i] = cell->numerator;
          n[i] = cell->denominator;
          sum_y += y[i];
          sum_n += n[i];
        }
      if (!tw_rate_eb_global (y, n, members->len, est, &b, &a, NULL))
        continue;
      /* No spread between areas: every area gets the pooled interval, computed once
       * (its gamma shape is the stratum's whole count, slow to invert). */
      if (!(a > 0.0) || !(b > 0.0))
        tw_rate_eb_interval (0.0, 0.0, b, a, sum_y, sum_n, &pooled_lower, &pooled_upper);
      for (guint i = 0; i < members->len; i++)
        {
          Cell *cell = g_ptr_array_index (members, i);

          cell->estimate.rate = est[i] * self->multiplier;
          if (!(a > 0.0) || !(b > 0.0))
            {
              cell->estimate.lower = pooled_lower;
              cell->estimate.upper = pooled_upper;
            }
          else
            tw_rate_eb_interval (y[i], n[i], b, a, sum_y, sum_n,
                                 &cell->estimate.lower, &cell->estimate.upper);
          cell->estimate.lower *= self->multiplier;
          cell->estimate.upper *= self->multiplier;
        }
    }
}

/* THE RULE's gate: outside a reveal a hidden cell keeps its population and nothing else. */
static void
blank_hidden (TwRateTable *self)
{
  for (guint i = 0; i < self->cells->len; i++)
    {
      Cell *cell = &g_array_index (self->cells, Cell, i);

      if (cell->policy.reason == TW_SUPPRESSION_SHOWN)
        continue;
      cell->numerator = NAN;
      cell->estimate.rate = cell->estimate.lower = cell->estimate.upper = NAN;
      if (cell->ages >= 0)
        {
          AgeCounts *ages = &g_array_index (self->ages, AgeCounts, cell->ages);

          for (guint a = 0; a < TW_N_AGE_GROUPS; a++)
            ages->numerator[a] = NAN;
          ages->sum_numerator = NAN;
        }
    }
}

static void
adjusted_moments (TwRateTable *self,
                  const Cell  *cell,
                  TwRateRow   *row)
{
  double weights[TW_N_AGE_GROUPS], rate;
  const AgeCounts *ages;

  row->adjusted_variance = row->adjusted_weight_max = NAN;
  if (self->method != TW_RATE_METHOD_AGE_ADJUSTED || cell->ages < 0 || !isfinite (row->rate))
    return;
  ages = &g_array_index (self->ages, AgeCounts, cell->ages);
  for (int i = 0; i < TW_N_AGE_GROUPS; i++)
    weights[i] = tw_age_group_standard_weight (i);
  tw_rate_standardized_moments (ages->numerator, ages->denominator, weights, TW_N_AGE_GROUPS,
                                self->multiplier, &rate, &row->adjusted_variance,
                                &row->adjusted_weight_max);
}

static void
build_rows (TwRateTable *self,
            int          only_stratum)
{
  self->rows = g_array_sized_new (FALSE, FALSE, sizeof (TwRateRow),
                                  only_stratum >= 0 ? self->n_order : self->cells->len);
  for (guint o = 0; o < self->n_order; o++)
    {
      const Area *area = &g_array_index (self->areas, Area, self->order[o]);

      for (guint s = 0; s < self->strata->len; s++)
        {
          Cell *cell;
          TwRateRow row;
          char reason[TW_FIGURE_REASON_SIZE];

          if (only_stratum >= 0 && s != (guint) only_stratum)
            continue;
          cell = cell_of (self, self->order[o], s);
          if (cell == NULL)
            continue;
          row.area_id = area->id;
          row.geoid = area->geoid;
          row.stratum = g_ptr_array_index (self->strata, s);
          row.numerator = cell->numerator;
          row.denominator = cell->denominator;
          row.rate = cell->estimate.rate;
          row.lower = cell->estimate.lower;
          row.upper = cell->estimate.upper;
          row.reason = cell->policy.reason;
          row.denominator_moe = cell->population_moe;
          row.status = tw_figure_status_judge (&self->policy, self->kind, cell->policy.reason,
                                               cell->numerator, cell->denominator,
                                               cell->population_rse, cell->estimate.rate,
                                               cell->estimate.lower, cell->estimate.upper,
                                               reason);
          row.status_reason = g_string_chunk_insert_const (self->strings, reason);
          row.unstable = cell->policy.reason != TW_SUPPRESSION_SHOWN
                         || row.status == TW_FIGURE_UNRELIABLE;
          row.revealed = self->reveal && cell->policy.reason != TW_SUPPRESSION_SHOWN
                         && cell->policy.reason != TW_SUPPRESSION_WITHHELD;
          row.missing_age_groups = (const char *const *) cell->missing_age_groups;
          adjusted_moments (self, cell, &row);
          cell->row = self->rows->len;
          g_array_append_val (self->rows, row);
        }
    }
}

TwRateTable *
tw_rate_table_compute (TwStore                   *store,
                       const TwRateQuery         *query,
                       const TwSuppressionPolicy *policy,
                       GCancellable              *cancellable,
                       GError                   **error)
{
  g_autoptr(TwRateTable) self = NULL;
  g_autoptr(GPtrArray) periods = NULL;
  gint64 measure_id;
  int only_stratum = -1;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (query != NULL && query->measure != NULL && query->period != NULL,
                        NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_new0 (TwRateTable, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->strings = g_string_chunk_new (64 * 1024);
  self->method = query->method;
  self->reveal = query->reveal;
  self->period = g_strdup (query->period);

  measure_id = tw_store_resolve_measure (store, query->measure, error);
  if (measure_id < 0)
    return NULL;
  if (policy != NULL)
    self->policy = *policy;
  else if (!tw_suppression_policy_load (&self->policy, store, error))
    return NULL;
  if (!load_measure (self, store, measure_id, error))
    return NULL;

  periods = list_periods (store, measure_id, error);
  if (periods == NULL)
    return NULL;
  /* "P1+P2+…" pools periods, unless the project holds a period of that very name. */
  if (g_ptr_array_find_with_equal_func (periods, query->period, g_str_equal, NULL))
    self->components = g_strsplit (query->period, "\n", 1);
  else
    self->components = g_strsplit (query->period, "+", -1);
  for (guint p = 0; self->components[p] != NULL; p++)
    {
      const char *component = self->components[p];

      if (!g_ptr_array_find_with_equal_func (periods, component, g_str_equal, NULL))
        {
          g_autofree char *list = join_strings (periods);

          g_set_error (error, TW_RATE_TABLE_ERROR, TW_RATE_TABLE_ERROR_PERIOD,
                       "%s: measure '%s' has no period '%s' (there are: %s)",
                       tw_store_get_path (store), query->measure, component, list);
          return NULL;
        }
      for (guint q = 0; q < p; q++)
        if (g_str_equal (self->components[q], component))
          {
            g_set_error (error, TW_RATE_TABLE_ERROR, TW_RATE_TABLE_ERROR_PERIOD,
                         "%s: pooled period '%s' names period '%s' twice",
                         tw_store_get_path (store), query->period, component);
            return NULL;
          }
    }
  if (self->components[0] == NULL)
    {
      g_autofree char *list = join_strings (periods);

      g_set_error (error, TW_RATE_TABLE_ERROR, TW_RATE_TABLE_ERROR_PERIOD,
                   "%s: measure '%s' has no period '' (there are: %s)",
                   tw_store_get_path (store), query->measure, list);
      return NULL;
    }
  if (!list_strata (self, store, measure_id, error))
    return NULL;
  if (query->stratum != NULL)
    {
      only_stratum = find_stratum (self, query->stratum);
      if (only_stratum < 0)
        {
          g_autofree char *list = join_strings (self->strata);

          g_set_error (error, TW_RATE_TABLE_ERROR, TW_RATE_TABLE_ERROR_STRATUM,
                       "%s: the outcomes have no stratum '%s' (there are: %s)",
                       tw_store_get_path (store), query->stratum, list);
          return NULL;
        }
    }

  if (!load_areas (self, store, query->geography_id, error)
      || !load_cells (self, store, measure_id, cancellable, error)
      || !load_withheld (self, store, measure_id, error)
      || !load_allocated (self, store, measure_id, error)
      || !load_population_moe (self, store, error))
    return NULL;

  /* Areas in GEOID order: the order of every listing, and of ties in rule 4. */
  self->order = g_new (guint, MAX (self->areas->len, 1));
  for (guint a = 0; a < self->areas->len; a++)
    {
      Area *area = &g_array_index (self->areas, Area, a);

      if (area->n_cells > 0)
        self->order[self->n_order++] = a;
    }
  g_qsort_with_data (self->order, self->n_order, sizeof (guint), compare_order,
                     self->areas->data);

  /* The counts the policy judges: the unsplit row, or else the sum over age groups. */
  for (guint i = 0; i < self->cells->len; i++)
    {
      Cell *cell = &g_array_index (self->cells, Cell, i);

      if (!cell->has_unsplit && cell->ages >= 0)
        {
          AgeCounts *ages = &g_array_index (self->ages, AgeCounts, cell->ages);

          cell->numerator = ages->sum_numerator;
          cell->denominator = ages->sum_denominator;
        }
    }
  if (self->components[1] != NULL
      && !judge_pools (self, store, query, periods, cancellable, error))
    return NULL;
  judge_areas (self);

  switch (self->method)
    {
    case TW_RATE_METHOD_CRUDE:
      compute_crude (self, only_stratum);
      break;
    case TW_RATE_METHOD_AGE_ADJUSTED:
      if (!compute_age_adjusted (self, store, error))
        return NULL;
      break;
    case TW_RATE_METHOD_EB:
      compute_eb (self);
      break;
    default:
      g_return_val_if_reached (NULL);
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (!self->reveal)
    blank_hidden (self);
  build_rows (self, only_stratum);
  return g_steal_pointer (&self);
}

TwRateTable *
tw_rate_table_ref (TwRateTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tw_rate_table_unref (TwRateTable *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  if (self->cells != NULL)
    {
      for (guint i = 0; i < self->cells->len; i++)
        g_strfreev (g_array_index (self->cells, Cell, i).missing_age_groups);
      g_array_unref (self->cells);
    }
  if (self->ages != NULL)
    {
      for (guint i = 0; i < self->ages->len; i++)
        g_free (g_array_index (self->ages, AgeCounts, i).unknown_label);
      g_array_unref (self->ages);
    }
  g_clear_pointer (&self->areas, g_array_unref);
  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->strata, g_ptr_array_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_free (self->cell_at);
  g_free (self->order);
  g_free (self->code);
  g_free (self->label);
  g_free (self->period);
  g_strfreev (self->components);
  g_free (self->first_incomplete);
  g_free (self);
}

guint
tw_rate_table_get_n_rows (TwRateTable *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->rows->len;
}

const TwRateRow *
tw_rate_table_get_row (TwRateTable *self,
                       guint        index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);
  return &g_array_index (self->rows, TwRateRow, index);
}

const TwRateRow *
tw_rate_table_find_row (TwRateTable *self,
                        gint64       area_id,
                        const char  *stratum)
{
  int area, s;
  Cell *cell;

  g_return_val_if_fail (self != NULL, NULL);

  area = find_area (self, area_id, G_MAXUINT);
  s = find_stratum (self, stratum != NULL ? stratum : "all");
  if (area < 0 || s < 0)
    return NULL;
  cell = cell_of (self, area, s);
  if (cell == NULL || cell->row < 0)
    return NULL;
  return &g_array_index (self->rows, TwRateRow, cell->row);
}

gboolean
tw_rate_row_is_suppressed (const TwRateRow *row)
{
  g_return_val_if_fail (row != NULL, TRUE);
  return row->reason != TW_SUPPRESSION_SHOWN;
}

const char *const *
tw_rate_table_get_strata (TwRateTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return (const char *const *) self->strata->pdata;
}

const TwSuppressionPolicy *
tw_rate_table_get_policy (TwRateTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->policy;
}

TwRateMethod
tw_rate_table_get_method (TwRateTable *self)
{
  g_return_val_if_fail (self != NULL, TW_RATE_METHOD_CRUDE);
  return self->method;
}

gboolean
tw_rate_table_get_reveal (TwRateTable *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->reveal;
}

const char *
tw_rate_table_get_measure_code (TwRateTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->code;
}

const char *
tw_rate_table_get_measure_label (TwRateTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->label;
}

TwRateKind
tw_rate_table_get_kind (TwRateTable *self)
{
  g_return_val_if_fail (self != NULL, TW_RATE_KIND_RATE);
  return self->kind;
}

double
tw_rate_table_get_multiplier (TwRateTable *self)
{
  g_return_val_if_fail (self != NULL, 1.0);
  return self->multiplier;
}

gboolean
tw_rate_table_get_higher_is_worse (TwRateTable *self)
{
  g_return_val_if_fail (self != NULL, TRUE);
  return self->higher_is_worse;
}

const char *
tw_rate_table_get_period (TwRateTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->period;
}

guint
tw_rate_table_get_n_incomplete (TwRateTable *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_incomplete;
}

const char *
tw_rate_table_get_first_incomplete (TwRateTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->first_incomplete;
}
