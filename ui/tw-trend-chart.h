/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tw-evaluation.h"

G_BEGIN_DECLS

/*
 * The rate of a project's target areas against its comparison areas, period by period,
 * with their 95% intervals and the project's start marked. A suppressed point is left out
 * and marked as such on the axis.
 */

#define TW_TYPE_TREND_CHART (tw_trend_chart_get_type ())

G_DECLARE_FINAL_TYPE (TwTrendChart, tw_trend_chart, TW, TREND_CHART, GtkWidget)

GtkWidget *tw_trend_chart_new            (void);
/* Copies what it draws from @evaluation (NULL: nothing). */
void       tw_trend_chart_set_evaluation (TwTrendChart       *self,
                                          const TwEvaluation *evaluation);
guint      tw_trend_chart_get_n_points   (TwTrendChart       *self);

G_END_DECLS
