/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-store.h"

G_BEGIN_DECLS

/*
 * The board brief: one multi-page PDF (US letter) for a measure, period and group —
 * a cover; the map (the map export's layout); the areas and groups with the largest
 * disparities, with intervals; the partner projects as a map of footprints and a table
 * (partners, status, dates, goal, evaluation); trends of each group's rate over the
 * periods; methods, data sources and vintages, the suppression policy and the version of
 * Tractwise that made it. Every page has a header line and "Page n of N".
 *
 * Nothing suppressed is ever printed: figures come from the rate table, the choropleth
 * and the evaluation with reveal off, and every pooled figure (the region's rates and
 * shares, the trends, the evaluations) is computed over published cells only and says over
 * how many areas, so no two figures can be subtracted to recover a hidden count. Rates,
 * intervals, ratios and shares are printed to 3 significant figures; an evaluation gives
 * its verdict in words, with progress toward the goal only when the difference in
 * differences' interval shows a change. The brief is written to the audit log
 * ("export-brief").
 */

typedef struct
{
  const char *measure;     /* code; required */
  const char *period;      /* required */
  const char *stratum;     /* NULL: "all" */
  const char *geography;   /* NULL: the one holding the measure */
  const char *title;       /* NULL: the measure's label */
  const char *organisation;  /* NULL: the workspace's, if stored; else none named */
  const char *source;      /* the cover's source line; NULL: the measures' sources */
} TwBriefOptions;

/* Writes the brief to @path (through a temporary file). */
gboolean    tw_brief_write    (TwStore              *store,
                               const TwBriefOptions *options,
                               const char           *path,
                               GCancellable         *cancellable,
                               GError              **error);

G_END_DECLS
