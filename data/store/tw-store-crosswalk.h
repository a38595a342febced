/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-store-import.h"

G_BEGIN_DECLS

/*
 * What a crosswalk (data/import/tw-crosswalk.h) reads of a project and writes to it: the
 * source geography's outcome rows, and beside each allocated cell of the target geography
 * what the window and the privacy rule need to know of how it was made.
 *
 * An allocated cell (measure, period, group, area) notes the part of its count that came
 * from sources split between several targets (`partial`), the variance of its count
 * (Σ w²·y over its sources), whether any of its sources was hidden on the source geography
 * under the policy at the time (`hidden`), and the smallest count among its sources with
 * one (`least_source`), so a stricter policy later hides it too. A cell that is one source
 * cell moved whole (unchanged or recoded), and not hidden, is not noted: its row says it all. The rate table hides every
 * such cell as complementary (tw-rate-table.c): an allocated figure never depends on a
 * hidden source cell.
 */

typedef void (*TwOutcomeRowFunc) (const TwOutcomeRow *row,
                                  gpointer            user_data);

/* Calls @func for every outcome row of @measure_id, of every geography (the caller picks
 * its areas' rows), in the order of the outcome key (period, group, area, age group). */
gboolean   tw_store_foreach_measure_outcome (TwStore           *self,
                                             gint64             measure_id,
                                             TwOutcomeRowFunc   func,
                                             gpointer           user_data,
                                             GCancellable      *cancellable,
                                             GError           **error);

typedef struct
{
  gint64  measure_id;
  gint64  period_id;
  gint64  stratum_id;
  gint64  area_id;
  double  partial;        /* count that came from sources shared with other targets */
  double  variance;       /* Σ w²·y */
  double  least_source;   /* smallest non-zero source count; NAN when every one was 0 */
  gboolean hidden;        /* a source cell was hidden on the source geography */
} TwAllocatedCell;

/* Makes the crosswalk's tables when the project has none yet; inside the caller's
 * transaction. */
gboolean   tw_store_prepare_crosswalk  (TwStore                *self,
                                        GError                **error);
/* Notes a crosswalk from @from_geography_id to @to_geography_id, returns its id or -1. */
gint64     tw_store_add_crosswalk      (TwStore                *self,
                                        gint64                  from_geography_id,
                                        gint64                  to_geography_id,
                                        const char             *source,
                                        const char             *method,
                                        GError                **error);
/* Adds @note (how its outcomes were allocated, rule named) to the source line of the
 * geography @geography_id, which every output that names the geography's source prints:
 * the map's notes, the web map, the brief, the share package; unless the line has it
 * already (the same conversion again, for other measures). */
gboolean   tw_store_note_allocation    (TwStore                *self,
                                        gint64                  geography_id,
                                        const char             *note,
                                        GError                **error);
gboolean   tw_store_add_allocated_cells (TwStore               *self,
                                        gint64                  crosswalk_id,
                                        const TwAllocatedCell  *cells,
                                        gsize                   n_cells,
                                        GError                **error);

/* How a target area came out of a crosswalk, for the window's badge. */
typedef enum
{
  TW_AREA_CHANGE_UNCHANGED,   /* one source, wholly, and only to this area */
  TW_AREA_CHANGE_RECODED,     /* as unchanged, under another GEOID */
  TW_AREA_CHANGE_SPLIT,       /* a part of one source */
  TW_AREA_CHANGE_MERGED,      /* several sources (wholly or in part) */
} TwAreaChange;

const char *tw_area_change_to_string   (TwAreaChange            change);
gboolean   tw_store_add_area_change    (TwStore                *self,
                                        gint64                  crosswalk_id,
                                        gint64                  area_id,
                                        TwAreaChange            change,
                                        GError                **error);

typedef struct
{
  const char *stratum;
  gint64      stratum_id;
  gint64      area_id;
  double      partial;
  double      variance;
  double      least_source;
  gboolean    hidden;
} TwStoreAllocatedCell;

typedef void (*TwStoreAllocatedCellFunc) (const TwStoreAllocatedCell *cell,
                                          gpointer                    user_data);

/* Calls @func for every allocated cell of @measure_id in @period; none when the project
 * was never given a crosswalk. */
gboolean   tw_store_foreach_allocated_cell (TwStore                  *self,
                                            gint64                    measure_id,
                                            const char               *period,
                                            TwStoreAllocatedCellFunc  func,
                                            gpointer                  user_data,
                                            GError                  **error);

/* Every stratum id in the order the rate table lists strata: "all" first, then by label;
 * a gint64 array. @all_id: the id of "all", or -1. */
GArray    *tw_store_list_strata_in_order (TwStore                *self,
                                          gint64                 *all_id,
                                          GError                **error);

G_END_DECLS
