/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-choropleth.h"
#include "tw-status.h"
#include "tw-suppression.h"

G_BEGIN_DECLS

/*
 * The policy and its reliability rule in words, in the reader's language (gettext): the
 * statistics give values (tw_figure_status_get_rule, TwStatusRow), and the window, the map
 * exports, the brief, the CSV codebook and the share package say them with these, so each
 * says them the same way. The web map, whose language is chosen apart from the reader's,
 * has its own words (tw-html-export.c).
 */

/* The rule in a few words, for a legend's row: "fewer than 20 events", "RSE 30% or more". */
char *tw_policy_text_rule_short  (const TwSuppressionPolicy *policy);
/* The rule in one sentence, for method notes: "Rates from fewer than 20 events are marked
 * unreliable." */
char *tw_policy_text_rule        (const TwSuppressionPolicy *policy);
/* The whole method note: what is suppressed, by which preset and version, and the rule. */
char *tw_policy_text_describe    (const TwSuppressionPolicy *policy);
/* The legend's label of a status row (tw_choropleth_get_status_rows) of a map under
 * @policy, a map of change when @change: "Unreliable — fewer than 20 events", "Suppressed
 * (fewer than 11 events)", "No data" … */
char *tw_policy_text_status_row  (const TwSuppressionPolicy *policy,
                                  gboolean                   change,
                                  const TwStatusRow         *row);

/* How many areas of @map have each status, as a cover or a summary says it: "2 shown,
 * 1 unreliable, 1 suppressed, 1 suppressed to protect another area, 1 without data,
 * 1 not applicable" (shown, suppressed and without data always; the others when an area
 * has them). A map of change counts its figures with a value as shown. */
char *tw_policy_text_area_counts (TwChoropleth              *map);

G_END_DECLS
