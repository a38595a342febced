/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-area-layer.h"
#include "tw-evaluation.h"
#include "tw-project.h"
#include "tw-rate-table.h"
#include "tw-report-doc.h"
#include "tw-store-catalog.h"

G_BEGIN_DECLS

/* What the CHNA report takes from the brief: the region's pooled figures, the words for
 * evaluations, statuses and measures, and the sources table. */

/* One group's figure of the whole region, pooled over the areas whose count of the group is
 * shown; hidden counts never enter it. */
typedef struct
{
  char     *stratum;
  double    events;
  double    denominator;
  double    rate, lower, upper;
  guint     n_areas;           /* areas pooled */
  guint     n_rows;            /* areas with a row of the group */
  double    row_denominator;   /* the population of all those areas (public) */
  double    share_events;      /* over the areas where the group's and the total's counts
                                * are both shown; NAN when there is none */
  double    share_denominator;
  gboolean  shown;             /* pooled over areas holding enough of the group's people */
} TwRegionFigure;

/* Each group's TwRegionFigure of @table, in the table's order of groups. */
GPtrArray      *tw_region_figures_compute      (TwRateTable         *table);
TwRegionFigure *tw_region_figures_find         (GPtrArray           *figures,
                                                const char          *stratum);

/* Figures at publication precision: "93.0", "93.0 (91.8–94.1)"; "–" for none. */
char           *tw_report_format_published     (double               value);
char           *tw_report_format_rate_interval (double               rate,
                                                double               lower,
                                                double               upper);
const char     *tw_report_status_words         (const char          *status);
/* Appends @labels (char *) as "Asian, Hispanic and White". */
void            tw_report_append_list          (GString             *text,
                                                GPtrArray           *labels);
/* The label of the measure @code among @measures (TwMeasureInfo *), else the code. */
const char     *tw_report_measure_label        (GPtrArray           *measures,
                                                const char          *code);
/* "per 10,000", or "in percentage points" for a proportion in percent. */
char           *tw_report_measure_unit         (const TwMeasureInfo *measure);
/* A project's evaluation in words, verdict first; its difference in differences in @unit
 * when it is of @measure, else with its own measure's unit and label. @verdict receives
 * the verdict, or -1 when the project could not be evaluated. */
char           *tw_report_evaluation_text      (TwStore             *store,
                                                GPtrArray           *measures,
                                                const char          *measure,
                                                const char          *unit,
                                                TwProject           *project,
                                                TwEvaluationVerdict *verdict);
/* The geographies and the measures (data dictionary) with their sources, as tables. */
void            tw_report_add_sources          (TwStore             *store,
                                                GPtrArray           *measures,
                                                TwDoc               *doc);

/* The brief's page of change (tw-brief-change.c): the largest improvements and worsenings
 * between two periods, with their intervals, and each group's gap over time. */
typedef struct
{
  TwStore       *store;
  TwAreaLayer   *layer;
  const char    *measure;
  const char    *stratum;
  const char    *from;          /* the first period */
  const char    *to;            /* the last */
  GPtrArray     *first;         /* TwRegionFigure * of each period */
  GPtrArray     *last;
  TwRateKind     kind;
  gboolean       higher_is_worse;
  const char    *unit;          /* "per 10,000" */
} TwBriefChange;

gboolean        tw_brief_write_change          (const TwBriefChange *page,
                                                TwDoc               *doc,
                                                GError             **error);

G_END_DECLS
