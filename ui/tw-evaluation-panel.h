/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tw-document.h"

G_BEGIN_DECLS

/*
 * A project's evaluation: the pooled rates of its target and comparison areas before and
 * after its start (over the areas whose counts are shown), the difference in differences
 * with its interval, the verdict in words and, when the interval shows an improvement, the
 * progress toward the goal with its interval and a bar; and the trend chart.
 * The evaluation runs in a worker thread (tw_document_run_async()).
 */

#define TW_TYPE_EVALUATION_PANEL (tw_evaluation_panel_get_type ())

G_DECLARE_FINAL_TYPE (TwEvaluationPanel, tw_evaluation_panel, TW, EVALUATION_PANEL, GtkBox)

/* Evaluates project @project_id of @document (NULL or 0: shows nothing). */
void      tw_evaluation_panel_evaluate   (TwEvaluationPanel *self,
                                          TwDocument        *document,
                                          gint64             project_id,
                                          gboolean           reveal);
/* TRUE while an evaluation runs. */
gboolean  tw_evaluation_panel_get_busy   (TwEvaluationPanel *self);
/* What the panel says, as a screen reader reads it. */
char     *tw_evaluation_panel_get_text   (TwEvaluationPanel *self);

G_END_DECLS
