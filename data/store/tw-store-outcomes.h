/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-store.h"

G_BEGIN_DECLS

/*
 * What the statistics read of a project: a measure's definition, the areas of a geography,
 * and a measure's outcome rows for one period. The rows are handed to a callback one by one,
 * straight from the statement, so a national table (half a million rows) is never copied
 * into a list first; the strings a callback receives are valid only during that call.
 */

typedef struct
{
  char     *code;
  char     *label;
  char     *kind;             /* as stored: "rate" or "proportion" (anything else is refused
                               * by the statistics, not here) */
  double    multiplier;       /* 100, 1000, 100000 … */
  gboolean  higher_is_worse;
} TwStoreMeasure;

/* One row of outcome_value, or of a review copy's outcome_withheld. */
typedef struct
{
  const char *stratum;
  gint64      area_id;
  const char *age_group;      /* "" when the row is not split by age */
  double      numerator;      /* NAN for a withheld row: the package holds no count */
  double      denominator;    /* NAN when a withheld row's population is unknown */
} TwStoreOutcome;

typedef void (*TwStoreGeoidFunc)   (gint64                area_id,
                                    const char           *geoid,
                                    gpointer              user_data);
typedef void (*TwStoreOutcomeFunc) (const TwStoreOutcome *outcome,
                                    gpointer              user_data);

/* The measure with id @measure_id (see tw_store_resolve_measure); an unknown id is
 * TW_STORE_ERROR_INVALID. Clear it with tw_store_measure_clear. */
gboolean      tw_store_get_measure     (TwStore              *self,
                                        gint64                measure_id,
                                        TwStoreMeasure       *measure,
                                        GError              **error);
void          tw_store_measure_clear   (TwStoreMeasure       *measure);

/* Calls @func with the id and GEOID of every area of @geography_id (≤ 0: of every
 * geography), in no set order. Only the index on (geography_id, geoid) is read, never the
 * outlines. */
gboolean      tw_store_foreach_geoid   (TwStore              *self,
                                        gint64                geography_id,
                                        TwStoreGeoidFunc      func,
                                        gpointer              user_data,
                                        GError              **error);

/* Calls @func for every outcome row of @measure_id in @period, in the order of the outcome
 * key: all the rows of one stratum together, within it by area id, then by age group
 * (strata and age groups by their id, the order they were first stored, not by label).
 * An unknown period has no rows. Cancelling @cancellable
 * stops the scan with G_IO_ERROR_CANCELLED. */
gboolean      tw_store_foreach_outcome (TwStore              *self,
                                        gint64                measure_id,
                                        const char           *period,
                                        TwStoreOutcomeFunc    func,
                                        gpointer              user_data,
                                        GCancellable         *cancellable,
                                        GError              **error);

/* Calls @func for every cell of @measure_id in @period that a share package withheld (only a
 * review copy has any): its stratum, area and population, never a count. */
gboolean      tw_store_foreach_withheld_outcome (TwStore           *self,
                                        gint64                measure_id,
                                        const char           *period,
                                        TwStoreOutcomeFunc    func,
                                        gpointer              user_data,
                                        GError              **error);

/* The periods in which @measure_id has outcomes in the areas of @geography_id, in text
 * order, and in @has_stratum whether any of those rows is of @stratum. */
GStrv         tw_store_list_geography_periods (TwStore      *self,
                                        gint64                measure_id,
                                        gint64                geography_id,
                                        const char           *stratum,
                                        gboolean             *has_stratum,
                                        GError              **error);

G_END_DECLS
