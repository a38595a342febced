/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-evaluation-panel.h"
#include "tw-project.h"

G_BEGIN_DECLS

/*
 * The editor of one partner project, in the style of a preferences page: its fields,
 * outcome and goal, target areas, partners with roles, milestones, notes and evaluation.
 * Every edit is written at once as one transaction (typed text shortly after typing stops,
 * and before the editor goes away or shows another project).
 */

#define TW_TYPE_PROJECT_EDITOR (tw_project_editor_get_type ())

G_DECLARE_FINAL_TYPE (TwProjectEditor, tw_project_editor, TW, PROJECT_EDITOR, AdwBin)

/* The open project, its measures (codes, with @labels) and partners' names. */
void               tw_project_editor_set_context   (TwProjectEditor *self,
                                                    TwDocument      *document,
                                                    GStrv            measures,
                                                    GStrv            labels,
                                                    GStrv            partners);
/* Shows a copy of @project (NULL: none). */
void               tw_project_editor_set_project   (TwProjectEditor *self,
                                                    const TwProject *project,
                                                    gboolean         footprint_shown,
                                                    gboolean         reveal);
/* The project as last written, or NULL. */
const TwProject   *tw_project_editor_get_project   (TwProjectEditor *self);
void               tw_project_editor_flush         (TwProjectEditor *self);
TwEvaluationPanel *tw_project_editor_get_evaluation (TwProjectEditor *self);
/* A review copy's project: shown, with nothing to edit, and a button for the action
 * "review.comment-project". */
void               tw_project_editor_set_read_only (TwProjectEditor *self,
                                                    gboolean         read_only);
/* Deletes the milestone with Undo in a toast. */
gboolean           tw_project_editor_delete_milestone (TwProjectEditor *self,
                                                       gint64           milestone_id);

G_END_DECLS
