/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-allocate"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tw-allocate.h"

/* A weight this close to 1 sends the whole source to one target. */
#define WHOLE_TOLERANCE 1e-12

typedef struct
{
  gint64 area_id;
  guint  first;      /* its links: targets[first … first + n) */
  guint  n;
} Source;

typedef struct
{
  guint  target;     /* index into self->target_ids */
  double weight;
} Link;

/* One (target, age group) of the current group; a target's are chained by next. */
typedef struct
{
  gint64 age_group_id;
  double numerator;
  double denominator;
  int    next;
} AgeSum;

typedef struct
{
  double   partial;
  double   variance;
  double   least_source;
  gboolean hidden;
  guint    n_sources;
} CellSum;

struct _TwAllocator
{
  Source     *sources;       /* by area id */
  guint       n_sources;
  Link       *links;
  gint64     *target_ids;    /* sorted */
  guint       n_targets;

  int        *head;          /* per target: its first AgeSum of the group, or -1 */
  CellSum    *cells;         /* per target */
  GArray     *sums;          /* AgeSum */
  GArray     *touched;       /* guint targets with rows in the group */

  /* The source cell being read: its rows and whether it is hidden. */
  GArray     *pending;       /* TwOutcomeRow */
  gboolean    pending_hidden;
  gboolean    in_group;
  TwOutcomeRow group;        /* measure, period and stratum of the group */

  GArray     *rows;          /* TwOutcomeRow ready */
  GArray     *ready_cells;   /* TwAllocatedCell ready */
  GArray     *unlinked;      /* gint64 */
  GHashTable *unlinked_seen;

  long double source_total;
  long double target_total;
  gint64      hidden_cells;
  const TwSuppressionPolicy *policy;   /* borrowed; NULL: every hidden cell noted */
};

static int
compare_links (const void *a,
               const void *b)
{
  const TwAllocationLink *x = a, *y = b;

  if (x->from_area != y->from_area)
    return x->from_area < y->from_area ? -1 : 1;
  if (x->to_area != y->to_area)
    return x->to_area < y->to_area ? -1 : 1;
  return 0;
}

static int
compare_ids (const void *a,
             const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static int
compare_sources (const void *key,
                 const void *member)
{
  gint64 id = *(const gint64 *) key;
  const Source *source = member;

  return id < source->area_id ? -1 : id > source->area_id;
}

static int
compare_age_sums (const void *a,
                  const void *b)
{
  const AgeSum *x = a, *y = b;

  return x->age_group_id < y->age_group_id ? -1 : x->age_group_id > y->age_group_id;
}

static guint
target_index (TwAllocator *self,
              gint64       area_id)
{
  const gint64 *found = bsearch (&area_id, self->target_ids, self->n_targets,
                                 sizeof (gint64), compare_ids);

  g_assert (found != NULL);
  return (guint) (found - self->target_ids);
}

TwAllocator *
tw_allocator_new (const TwAllocationLink *links,
                  gsize                   n_links)
{
  g_autofree TwAllocationLink *sorted = NULL;
  TwAllocator *self;
  gsize n_kept = 0;

  g_return_val_if_fail (links != NULL || n_links == 0, NULL);
  g_return_val_if_fail (n_links < G_MAXUINT, NULL);

  sorted = g_new (TwAllocationLink, MAX (n_links, 1));
  for (gsize i = 0; i < n_links; i++)
    if (links[i].weight > 0 && isfinite (links[i].weight))
      sorted[n_kept++] = links[i];
  qsort (sorted, n_kept, sizeof (TwAllocationLink), compare_links);

  self = g_new0 (TwAllocator, 1);
  self->target_ids = g_new (gint64, MAX (n_kept, 1));
  for (gsize i = 0; i < n_kept; i++)
    self->target_ids[i] = sorted[i].to_area;
  qsort (self->target_ids, n_kept, sizeof (gint64), compare_ids);
  for (gsize i = 0; i < n_kept; i++)
    if (self->n_targets == 0 || self->target_ids[self->n_targets - 1] != self->target_ids[i])
      self->target_ids[self->n_targets++] = self->target_ids[i];

  self->sources = g_new (Source, MAX (n_kept, 1));
  self->links = g_new (Link, MAX (n_kept, 1));
  for (gsize i = 0, n = 0; i < n_kept; i++)
    {
      const TwAllocationLink *link = &sorted[i];
      Source *source = self->n_sources > 0 ? &self->sources[self->n_sources - 1] : NULL;

      if (source == NULL || source->area_id != link->from_area)
        {
          source = &self->sources[self->n_sources++];
          source->area_id = link->from_area;
          source->first = n;
          source->n = 0;
        }
      /* The same pair twice (a relationship file's rows of one pair) adds up. */
      if (source->n > 0
          && self->target_ids[self->links[n - 1].target] == link->to_area)
        {
          self->links[n - 1].weight += link->weight;
          continue;
        }
      self->links[n].target = target_index (self, link->to_area);
      self->links[n].weight = link->weight;
      source->n++;
      n++;
    }

  self->head = g_new (int, MAX (self->n_targets, 1));
  for (guint t = 0; t < self->n_targets; t++)
    self->head[t] = -1;
  self->cells = g_new0 (CellSum, MAX (self->n_targets, 1));
  self->sums = g_array_new (FALSE, FALSE, sizeof (AgeSum));
  self->touched = g_array_new (FALSE, FALSE, sizeof (guint));
  self->pending = g_array_new (FALSE, FALSE, sizeof (TwOutcomeRow));
  self->rows = g_array_new (FALSE, FALSE, sizeof (TwOutcomeRow));
  self->ready_cells = g_array_new (FALSE, FALSE, sizeof (TwAllocatedCell));
  self->unlinked = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->unlinked_seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  return self;
}

void
tw_allocator_free (TwAllocator *self)
{
  if (self == NULL)
    return;
  g_free (self->sources);
  g_free (self->links);
  g_free (self->target_ids);
  g_free (self->head);
  g_free (self->cells);
  g_array_unref (self->sums);
  g_array_unref (self->touched);
  g_array_unref (self->pending);
  g_array_unref (self->rows);
  g_array_unref (self->ready_cells);
  g_array_unref (self->unlinked);
  g_hash_table_unref (self->unlinked_seen);
  g_free (self);
}

static const Source *
find_source (TwAllocator *self,
             gint64       area_id)
{
  return bsearch (&area_id, self->sources, self->n_sources, sizeof (Source), compare_sources);
}

static void
note_unlinked (TwAllocator *self,
               gint64       area_id)
{
  if (g_hash_table_contains (self->unlinked_seen, &area_id))
    return;
  g_hash_table_add (self->unlinked_seen, g_memdup2 (&area_id, sizeof area_id));
  g_array_append_val (self->unlinked, area_id);
}

static void
add_to_target (TwAllocator        *self,
               guint               target,
               const TwOutcomeRow *row,
               double              weight)
{
  AgeSum *sum = NULL;

  for (int i = self->head[target]; i >= 0; i = g_array_index (self->sums, AgeSum, i).next)
    if (g_array_index (self->sums, AgeSum, i).age_group_id == row->age_group_id)
      {
        sum = &g_array_index (self->sums, AgeSum, i);
        break;
      }
  if (sum == NULL)
    {
      AgeSum fresh = { row->age_group_id, 0, 0, self->head[target] };

      if (self->head[target] < 0)
        {
          g_array_append_val (self->touched, target);
          self->cells[target] = (CellSum) { 0, 0, NAN, FALSE, 0 };
        }
      g_array_append_val (self->sums, fresh);
      self->head[target] = self->sums->len - 1;
      sum = &g_array_index (self->sums, AgeSum, self->sums->len - 1);
    }
  sum->numerator += weight * row->numerator;
  sum->denominator += weight * row->denominator;
}

/* Shares out the rows of one source cell (one area, all its age groups). */
static void
allocate_pending (TwAllocator *self)
{
  const TwOutcomeRow *rows = (const TwOutcomeRow *) self->pending->data;
  guint n_rows = self->pending->len;
  const Source *source;
  double count = 0;

  if (n_rows == 0)
    return;
  for (guint r = 0; r < n_rows; r++)
    count += rows[r].numerator;
  self->source_total += count;

  source = find_source (self, rows[0].area_id);
  if (source == NULL)
    {
      note_unlinked (self, rows[0].area_id);
      g_array_set_size (self->pending, 0);
      return;
    }
  for (guint l = 0; l < source->n; l++)
    {
      const Link *link = &self->links[source->first + l];
      CellSum *cell;

      for (guint r = 0; r < n_rows; r++)
        add_to_target (self, link->target, &rows[r], link->weight);
      cell = &self->cells[link->target];
      /* A target reached only by rows of zero has no cell yet. */
      if (self->head[link->target] < 0)
        continue;
      cell->variance += link->weight * link->weight * count;
      if (source->n > 1 || link->weight < 1 - WHOLE_TOLERANCE)
        cell->partial += link->weight * count;
      if (count > 0 && !(cell->least_source <= count))
        cell->least_source = count;
      cell->hidden |= self->pending_hidden;
      cell->n_sources++;
      self->target_total += link->weight * count;
    }
  g_array_set_size (self->pending, 0);
}

static int
compare_targets (const void *a,
                 const void *b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

void
tw_allocator_finish_group (TwAllocator *self)
{
  g_autoptr(GArray) ages = g_array_new (FALSE, FALSE, sizeof (AgeSum));

  g_return_if_fail (self != NULL);

  allocate_pending (self);
  /* Targets are numbered in area id order, so this is the outcome key's order. */
  qsort (self->touched->data, self->touched->len, sizeof (guint), compare_targets);
  for (guint i = 0; i < self->touched->len; i++)
    {
      guint target = g_array_index (self->touched, guint, i);
      const CellSum *sum = &self->cells[target];
      TwAllocatedCell cell = {
        .measure_id = self->group.measure_id,
        .period_id = self->group.period_id,
        .stratum_id = self->group.stratum_id,
        .area_id = self->target_ids[target],
        .partial = sum->partial,
        .variance = sum->variance,
        .least_source = sum->least_source,
        .hidden = sum->hidden,
      };

      g_array_set_size (ages, 0);
      for (int s = self->head[target]; s >= 0; s = g_array_index (self->sums, AgeSum, s).next)
        g_array_append_val (ages, g_array_index (self->sums, AgeSum, s));
      g_array_sort (ages, compare_age_sums);
      for (guint a = 0; a < ages->len; a++)
        {
          const AgeSum *age = &g_array_index (ages, AgeSum, a);
          TwOutcomeRow row = self->group;

          row.area_id = cell.area_id;
          row.age_group_id = age->age_group_id;
          row.numerator = age->numerator;
          row.denominator = age->denominator;
          g_array_append_val (self->rows, row);
        }
      /* A cell that is one source moved whole says nothing the outcome row does not, even
       * when hidden for its count alone: rule 1 hides the moved count the same way. */
      self->hidden_cells += sum->hidden;
      if (sum->partial > 0 || sum->n_sources > 1
          || (sum->hidden && (self->policy == NULL
                              || !tw_suppression_is_small (self->policy, sum->least_source))))
        g_array_append_val (self->ready_cells, cell);
      self->head[target] = -1;
    }
  g_array_set_size (self->touched, 0);
  g_array_set_size (self->sums, 0);
  self->in_group = FALSE;
}

void
tw_allocator_add (TwAllocator        *self,
                  const TwOutcomeRow *row,
                  gboolean            hidden)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (row != NULL);

  if (self->in_group
      && (row->measure_id != self->group.measure_id
          || row->period_id != self->group.period_id
          || row->stratum_id != self->group.stratum_id))
    tw_allocator_finish_group (self);
  if (!self->in_group)
    {
      self->group = *row;
      self->in_group = TRUE;
    }
  if (self->pending->len > 0
      && g_array_index (self->pending, TwOutcomeRow, 0).area_id != row->area_id)
    allocate_pending (self);
  if (self->pending->len == 0)
    self->pending_hidden = hidden;
  g_array_append_val (self->pending, *row);
}

GArray *
tw_allocator_get_rows (TwAllocator *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->rows;
}

GArray *
tw_allocator_get_cells (TwAllocator *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->ready_cells;
}

double
tw_allocator_get_source_total (TwAllocator *self)
{
  g_return_val_if_fail (self != NULL, NAN);
  return (double) self->source_total;
}

double
tw_allocator_get_target_total (TwAllocator *self)
{
  g_return_val_if_fail (self != NULL, NAN);
  return (double) self->target_total;
}

void
tw_allocator_set_policy (TwAllocator               *self,
                         const TwSuppressionPolicy *policy)
{
  g_return_if_fail (self != NULL);
  self->policy = policy;
}

gint64
tw_allocator_get_hidden_cells (TwAllocator *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->hidden_cells;
}

gboolean
tw_allocator_has_links (TwAllocator *self,
                        gint64       area_id)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return find_source (self, area_id) != NULL;
}

GArray *
tw_allocator_list_unlinked (TwAllocator *self)
{
  GArray *copy;

  g_return_val_if_fail (self != NULL, NULL);
  copy = g_array_copy (self->unlinked);
  g_array_sort (copy, compare_ids);
  return copy;
}

gboolean
tw_allocation_totals_agree (double a,
                            double b)
{
  return fabs (a - b) <= 1e-9 * MAX (1.0, MAX (fabs (a), fabs (b)));
}

guint
tw_cell_key_hash (gconstpointer data)
{
  const TwCellKey *key = data;
  guint64 h = (guint64) key->area_id * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);

  h ^= (guint64) key->stratum_id * G_GUINT64_CONSTANT (0xC2B2AE3D27D4EB4F);
  h ^= (guint64) key->period_id * G_GUINT64_CONSTANT (0x165667B19E3779F9);
  return (guint) (h ^ (h >> 32));
}

gboolean
tw_cell_key_equal (gconstpointer a,
                   gconstpointer b)
{
  const TwCellKey *x = a, *y = b;

  return x->area_id == y->area_id && x->stratum_id == y->stratum_id
         && x->period_id == y->period_id;
}

typedef struct
{
  TwCellKey key;
  guint     rank;        /* of its stratum */
  gsize     first_row;
  gsize     n_rows;
  double    count;
  double    denominator;
} JudgedCell;

static int
compare_judged (const void *a,
                const void *b,
                void       *user_data)
{
  const JudgedCell *cells = user_data;
  const JudgedCell *x = &cells[*(const gsize *) a], *y = &cells[*(const gsize *) b];

  if (x->key.period_id != y->key.period_id)
    return x->key.period_id < y->key.period_id ? -1 : 1;
  if (x->key.area_id != y->key.area_id)
    return x->key.area_id < y->key.area_id ? -1 : 1;
  return x->rank < y->rank ? -1 : x->rank > y->rank;
}

void
tw_allocation_find_hidden (const TwSuppressionPolicy *policy,
                           const TwOutcomeRow        *rows,
                           gsize                      n_rows,
                           GArray                    *stratum_order,
                           gint64                     all_id,
                           GHashTable                *hidden_before,
                           guint8                    *hidden)
{
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (JudgedCell));
  g_autoptr(GHashTable) ranks = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GArray) group = g_array_new (FALSE, FALSE, sizeof (TwSuppressionCell));
  g_autofree gsize *order = NULL;

  g_return_if_fail (policy != NULL);
  g_return_if_fail (rows != NULL || n_rows == 0);
  g_return_if_fail (stratum_order != NULL);

  for (guint i = 0; i < stratum_order->len; i++)
    g_hash_table_insert (ranks, GSIZE_TO_POINTER ((gsize) g_array_index (stratum_order,
                                                                         gint64, i)),
                         GUINT_TO_POINTER (i + 1));
  for (gsize r = 0; r < n_rows; r++)
    {
      const TwOutcomeRow *row = &rows[r];
      JudgedCell *last = cells->len > 0
                         ? &g_array_index (cells, JudgedCell, cells->len - 1) : NULL;

      if (last == NULL || last->key.period_id != row->period_id
          || last->key.stratum_id != row->stratum_id || last->key.area_id != row->area_id)
        {
          JudgedCell cell = {
            { row->period_id, row->stratum_id, row->area_id },
            GPOINTER_TO_UINT (g_hash_table_lookup (ranks,
                                                   GSIZE_TO_POINTER ((gsize) row->stratum_id))),
            r, 0, 0, 0
          };

          g_array_append_val (cells, cell);
          last = &g_array_index (cells, JudgedCell, cells->len - 1);
        }
      last->n_rows++;
      last->count += row->numerator;
      last->denominator += row->denominator;
    }

  order = g_new (gsize, MAX (cells->len, 1));
  for (gsize c = 0; c < cells->len; c++)
    order[c] = c;
  g_qsort_with_data (order, cells->len, sizeof (gsize), compare_judged, cells->data);

  for (gsize start = 0; start < cells->len;)
    {
      const JudgedCell *first = &g_array_index (cells, JudgedCell, order[start]);
      gsize end = start;

      g_array_set_size (group, 0);
      while (end < cells->len)
        {
          const JudgedCell *cell = &g_array_index (cells, JudgedCell, order[end]);
          TwSuppressionCell judged = { cell->count, cell->denominator,
                                       cell->key.stratum_id == all_id,
                                       TW_SUPPRESSION_SHOWN, FALSE };

          if (cell->key.period_id != first->key.period_id
              || cell->key.area_id != first->key.area_id)
            break;
          /* In the rate table's order (judge_areas): rule 1 first. */
          judged.reason = tw_suppression_is_small (policy, cell->count)
                          ? TW_SUPPRESSION_PRIMARY
                          : hidden_before != NULL
                            && g_hash_table_contains (hidden_before, &cell->key)
                          ? TW_SUPPRESSION_COMPLEMENTARY : TW_SUPPRESSION_SHOWN;
          g_array_append_val (group, judged);
          end++;
        }
      tw_suppression_complete_area (policy, (TwSuppressionCell *) group->data, group->len);
      for (gsize i = start; i < end; i++)
        {
          const JudgedCell *cell = &g_array_index (cells, JudgedCell, order[i]);
          gboolean is_hidden = g_array_index (group, TwSuppressionCell, i - start).reason
                               != TW_SUPPRESSION_SHOWN;

          memset (hidden + cell->first_row, is_hidden, cell->n_rows);
        }
      start = end;
    }
}
