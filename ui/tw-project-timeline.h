/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tw-project.h"

G_BEGIN_DECLS

/*
 * A strip of projects by date: one bar per project from its start to its end, coloured by
 * status, its milestones as diamonds on it (overdue ones in the error colour, larger), with
 * today marked. Clicking a bar emits "project-activated".
 */

#define TW_TYPE_PROJECT_TIMELINE (tw_project_timeline_get_type ())

G_DECLARE_FINAL_TYPE (TwProjectTimeline, tw_project_timeline, TW, PROJECT_TIMELINE, GtkWidget)

GtkWidget *tw_project_timeline_new          (void);
/* @projects: TwProject *, drawn in that order; the timeline keeps a reference. */
void       tw_project_timeline_set_projects (TwProjectTimeline *self,
                                             GPtrArray         *projects);
void       tw_project_timeline_set_selected (TwProjectTimeline *self,
                                             gint64             project_id);
/* Today's date, YYYY-MM-DD, for tests; NULL for the real today. */
void       tw_project_timeline_set_today    (TwProjectTimeline *self,
                                             const char        *date);
/* How many overdue milestones the timeline draws. */
guint      tw_project_timeline_get_n_overdue (TwProjectTimeline *self);
/* How many titles the timeline draws cut short, for want of room. */
guint      tw_project_timeline_get_n_cut    (TwProjectTimeline *self);
/* The full title of the project whose label is at @x, @y, or NULL: the label's tooltip. */
char      *tw_project_timeline_get_tooltip_at (TwProjectTimeline *self,
                                               double             x,
                                               double             y);
/* Whether @milestone is not done and its due date lies before @today (YYYY-MM-DD). */
gboolean   tw_milestone_is_overdue          (const TwMilestone *milestone,
                                             const char        *today);
/* Today in the local time zone, YYYY-MM-DD. */
char      *tw_today_iso                     (void);
/* RGB of the bars of @status. */
guint32    tw_project_status_color          (const char        *status);

G_END_DECLS
