/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-rates.h"
#include "tw-status.h"
#include "tw-store.h"
#include "tw-suppression.h"

G_BEGIN_DECLS

/*
 * The rates of one measure and period: every area and stratum ("group") with its count,
 * denominator, rate and 95% interval, and what the suppression policy decides for it. The
 * map, the exports and tractwise-cli all compute their figures here.
 *
 * The policy judges each area on all its strata (complementary suppression needs them),
 * whatever stratum a query asks for; a query with a stratum only gets, and only pays the
 * intervals of, that stratum's rows.
 *
 * This is the one gate of THE RULE (tw-suppression.h). Unless the query asks for a reveal
 * (the analyst view, which only the screen and stdout may show), the rows of hidden cells
 * hold NAN for their count, rate and interval — their population stays — and every figure
 * the table computes across areas (Empirical Bayes) is computed from the shown cells alone.
 * Whatever is built on a table without reveal therefore cannot depend on a hidden count:
 * code that pools rows must skip the NAN ones and say how many it left out. A review copy of
 * a share package has no figures for the cells the package withheld, revealed or not: their
 * rows say TW_SUPPRESSION_WITHHELD, with NAN likewise.
 *
 * A measure whose denominators were taken from an area attribute with a margin of error (an
 * ACS population: tw_store_set_denominator_attribute) has crude intervals that hold the
 * estimate's error too (tw_rate_interval_add_population_error), and its statuses are judged
 * with it (tw_figure_status_judge). Age-adjusted and smoothed rates do not.
 */

#define TW_RATE_TABLE_ERROR (tw_rate_table_error_quark ())

typedef enum
{
  TW_RATE_TABLE_ERROR_MEASURE,        /* the measure's kind is not rate or proportion */
  TW_RATE_TABLE_ERROR_PERIOD,         /* the measure has no such period */
  TW_RATE_TABLE_ERROR_STRATUM,        /* the measure has no such stratum */
  TW_RATE_TABLE_ERROR_AGE_GROUP,      /* an age group that is not one of the 11 */
  TW_RATE_TABLE_ERROR_INVALID,        /* figures the rate methods refuse */
} TwRateTableError;

typedef enum
{
  TW_RATE_METHOD_CRUDE,
  TW_RATE_METHOD_AGE_ADJUSTED,        /* US 2000 standard, Fay–Feuer intervals */
  TW_RATE_METHOD_EB,                  /* global Empirical Bayes, per stratum */
} TwRateMethod;

typedef struct
{
  const char   *measure;       /* code */
  const char   *period;
  const char   *stratum;       /* NULL: every stratum */
  gint64        geography_id;  /* ≤ 0: the areas of every geography */
  TwRateMethod  method;
  gboolean      reveal;        /* analyst view: hidden cells keep their figures */
} TwRateQuery;

typedef struct
{
  gint64               area_id;
  const char          *geoid;
  const char          *stratum;
  double               numerator;    /* for unsplit rows as given, else the sum over ages;
                                      * NAN for a hidden cell outside a reveal */
  double               denominator;
  double               rate;         /* per the measure's multiplier; NAN when undefined */
  double               lower;
  double               upper;
  TwSuppressionReason  reason;
  gboolean             unstable;     /* hidden, or unreliable by the preset's rule */
  TwFigureStatus       status;       /* tw-status.h: the same for a reveal as without */
  const char          *status_reason;  /* why, in words; "" when shown */
  gboolean             revealed;     /* a hidden cell whose figures a reveal shows */
  const char *const   *missing_age_groups;  /* age adjustment without all 11, else NULL */
  /* Age adjustment: the rate's variance Σ w²x/n² and max w/n, in the rate's units (the
   * moments of its Fay–Feuer interval, which tw-change needs); NAN for other methods and
   * for a rate that is NAN. */
  double               adjusted_variance;
  double               adjusted_weight_max;
  double               denominator_moe;  /* the 90% MOE of a denominator that is a population
                                          * estimate (crude rates), else NAN */
} TwRateRow;

typedef struct _TwRateTable TwRateTable;

GQuark             tw_rate_table_error_quark    (void);

/* Reads the outcomes of @query's measure and period, applies @policy (NULL: the project's,
 * tw_suppression_policy_load) and computes the rates by @query's method. */
TwRateTable       *tw_rate_table_compute        (TwStore                   *store,
                                                 const TwRateQuery         *query,
                                                 const TwSuppressionPolicy *policy,
                                                 GCancellable              *cancellable,
                                                 GError                   **error);
TwRateTable       *tw_rate_table_ref            (TwRateTable *self);
void               tw_rate_table_unref          (TwRateTable *self);

/* Rows by GEOID (then area id), within an area "all" first and then the other strata in
 * order; only @query's stratum when it named one. */
guint              tw_rate_table_get_n_rows     (TwRateTable *self);
const TwRateRow   *tw_rate_table_get_row        (TwRateTable *self,
                                                 guint        index);
/* The row of an area and stratum (NULL: "all", or the query's stratum), or NULL. */
const TwRateRow   *tw_rate_table_find_row       (TwRateTable *self,
                                                 gint64       area_id,
                                                 const char  *stratum);
gboolean           tw_rate_row_is_suppressed    (const TwRateRow *row);

/* The measure's strata over all its periods: "all" first, then sorted. */
const char *const *tw_rate_table_get_strata     (TwRateTable *self);
const TwSuppressionPolicy *tw_rate_table_get_policy (TwRateTable *self);
/* Whether the table holds the figures of hidden cells (the query asked for a reveal). */
gboolean           tw_rate_table_get_reveal     (TwRateTable *self);
TwRateMethod       tw_rate_table_get_method     (TwRateTable *self);

const char        *tw_rate_table_get_measure_code  (TwRateTable *self);
const char        *tw_rate_table_get_measure_label (TwRateTable *self);
TwRateKind         tw_rate_table_get_kind       (TwRateTable *self);
double             tw_rate_table_get_multiplier (TwRateTable *self);
gboolean           tw_rate_table_get_higher_is_worse (TwRateTable *self);
const char        *tw_rate_table_get_period     (TwRateTable *self);

/* Age adjustment: how many rows (of every stratum) lack age groups, and what the first of
 * them lacks ("area 37001, stratum all: …"), or NULL. */
guint              tw_rate_table_get_n_incomplete (TwRateTable *self);
const char        *tw_rate_table_get_first_incomplete (TwRateTable *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwRateTable, tw_rate_table_unref)

G_END_DECLS
