/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * A strip of projects by date: one bar per project from its start to its end, coloured by
 * status, with today marked. Clicking a bar emits "project-activated".
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
/* RGB of the bars of @status. */
guint32    tw_project_status_color          (const char        *status);

G_END_DECLS
