/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-store-crosswalk.h"
#include "tw-suppression.h"

G_BEGIN_DECLS

/*
 * Allocation of counts from one geography's areas to another's: y_t = Σ_s w(s,t)·y_s for
 * numerators and denominators alike, so rates are recomputed on the target geography and
 * never allocated themselves. Non-integer allocated counts are normal; each target cell
 * keeps the variance of its count, Σ w²·y (the sources' counts taken as Poisson), and the
 * privacy notes of tw-store-crosswalk.h.
 *
 * The allocator is fed the source's rows in the order of the outcome key (one measure at
 * a time, then period, group, area, age group) and hands back the target's rows in the
 * same order, a group (measure, period, stratum) at a time.
 */

typedef struct
{
  gint64 from_area;
  gint64 to_area;
  double weight;     /* the share of the source area's count that goes to the target */
} TwAllocationLink;

typedef struct _TwAllocator TwAllocator;

/* @links may list a pair twice (their weights add up); weights of 0 are left out. */
TwAllocator *tw_allocator_new            (const TwAllocationLink *links,
                                          gsize                   n_links);
void         tw_allocator_free           (TwAllocator            *self);

/* Adds one source row; @hidden says whether its cell (all its age groups) is hidden on
 * the source geography. */
void         tw_allocator_add            (TwAllocator            *self,
                                          const TwOutcomeRow     *row,
                                          gboolean                hidden);
/* Ends the rows fed so far: every target row and cell is then ready. */
void         tw_allocator_finish_group   (TwAllocator            *self);

/* The target rows and cells ready so far (TwOutcomeRow, TwAllocatedCell); the caller
 * stores them and empties the arrays with g_array_set_size (…, 0). A cell that is one
 * source cell moved whole, and not hidden, has a row and no TwAllocatedCell. */
GArray      *tw_allocator_get_rows       (TwAllocator            *self);
GArray      *tw_allocator_get_cells      (TwAllocator            *self);

/* Numerator totals of what was fed and of what was allocated; an area with no link
 * keeps its count, which then counts in the source total only. */
double       tw_allocator_get_source_total (TwAllocator          *self);
double       tw_allocator_get_target_total (TwAllocator          *self);
/* The policy the sources were judged by (borrowed), so that a cell moved whole from one
 * source hidden for its small count alone is not noted: rule 1 hides the same count on the
 * target. Without one, every hidden cell is noted. */
void         tw_allocator_set_policy     (TwAllocator            *self,
                                          const TwSuppressionPolicy *policy);
/* Target cells fed by a hidden source so far, noted or not. */
gint64       tw_allocator_get_hidden_cells (TwAllocator          *self);
/* Whether the source area @area_id has a link of positive weight. */
gboolean     tw_allocator_has_links      (TwAllocator            *self,
                                          gint64                  area_id);
/* The source areas fed with counts but without a link (gint64 area ids, sorted). */
GArray      *tw_allocator_list_unlinked  (TwAllocator            *self);

/* Whether @a and @b agree as totals of a conserving allocation: to 1e-9 of the larger. */
gboolean     tw_allocation_totals_agree  (double                  a,
                                          double                  b);

/* A cell of a measure: its period, group and area. */
typedef struct
{
  gint64 period_id;
  gint64 stratum_id;
  gint64 area_id;
} TwCellKey;

guint        tw_cell_key_hash            (gconstpointer           key);
gboolean     tw_cell_key_equal           (gconstpointer           a,
                                          gconstpointer           b);

/* Which of @rows (one measure's rows of one geography, in the outcome key's order) the
 * policy hides on their own geography, as the rate table judges one period: rule 1 on each
 * cell's count (its age groups summed), then the complements within each area (rules 2, 3
 * and 5) over its groups in @stratum_order (stratum ids, "all" = @all_id first). The
 * cells of @hidden_before (TwCellKey set, or NULL) are hidden already (allocated from
 * hidden sources). Sets @hidden[r] for each row. */
void         tw_allocation_find_hidden   (const TwSuppressionPolicy *policy,
                                          const TwOutcomeRow     *rows,
                                          gsize                   n_rows,
                                          GArray                 *stratum_order,
                                          gint64                  all_id,
                                          GHashTable             *hidden_before,
                                          guint8                 *hidden);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwAllocator, tw_allocator_free)

G_END_DECLS
