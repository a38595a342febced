/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-store.h"

G_BEGIN_DECLS

/* Partner projects: what a project aims at (a measure and group), where (target areas of
 * one geography), when (start and end), with whom (partners and their roles), and how it
 * goes (status, budget, goal, milestones, notes and comments).
 *
 * Plain structs in, plain structs out. Every edit is one transaction and one row of the
 * audit log; when it fails the file is as it was, and every reference (partner, measure,
 * stratum, geography, GEOID) is checked before anything is written.
 *
 * Undo of a delete: tw_project_delete hands back everything it deleted (the project, its
 * partners and roles, areas, milestones and comments, with their ids); tw_project_restore
 * writes it back under the same ids. Nothing is soft-deleted: a deleted project is gone
 * from the file until restored. */

#define TW_PROJECT_ERROR (tw_project_error_quark ())

typedef enum
{
  TW_PROJECT_ERROR_INVALID,             /* an empty title, a bad date, status, budget, goal */
  TW_PROJECT_ERROR_NOT_FOUND,           /* no project, milestone or comment with that id */
  TW_PROJECT_ERROR_UNKNOWN_REFERENCE,   /* an unknown partner, measure, stratum, geography
                                         * or GEOID */
  TW_PROJECT_ERROR_EXISTS,              /* restoring over an id that is in use */
} TwProjectError;

#define TW_PROJECT_STATUS_PLANNED "planned"
#define TW_PROJECT_STATUS_ACTIVE "active"
#define TW_PROJECT_STATUS_PAUSED "paused"
#define TW_PROJECT_STATUS_COMPLETED "completed"

typedef struct
{
  gint64  partner_id;   /* 0: look the partner up by @name */
  char   *name;
  char   *role;         /* NULL when none */
} TwProjectPartner;

typedef struct
{
  gint64  id;
  char   *title;
  char   *due_date;     /* YYYY-MM-DD or NULL */
  char   *done_date;    /* YYYY-MM-DD, NULL while not done */
} TwMilestone;

typedef struct
{
  gint64  id;
  char   *author;
  char   *body;
  char   *created_at;   /* ISO 8601, UTC; set by the store */
  char   *geoid;        /* the area it is about, or NULL */
} TwProjectComment;

typedef struct
{
  gint64     id;            /* 0 before it is stored */
  char      *title;         /* not empty */
  char      *aim;
  char      *measure;       /* measure code, or NULL */
  char      *stratum;       /* the group; NULL means "all" */
  char      *geography;     /* name; NULL on add means the project's only geography */
  char      *start_date;    /* YYYY-MM-DD or NULL */
  char      *end_date;      /* YYYY-MM-DD, not before the start, or NULL */
  char      *status;        /* planned, active, paused, completed; NULL on add = planned */
  double     budget;        /* NAN when not set; ≥ 0 */
  double     goal_percent;  /* NAN when not set; 10 = move the rate 10% the good way */
  char      *notes;
  GPtrArray *partners;      /* TwProjectPartner *, by partner name */
  GPtrArray *areas;         /* char * GEOIDs of @geography, sorted */
  GPtrArray *milestones;    /* TwMilestone *, by due date */
  GPtrArray *comments;      /* TwProjectComment *, oldest first */
} TwProject;

GQuark      tw_project_error_quark      (void);

TwProject  *tw_project_new              (const char      *title);
TwProject  *tw_project_copy             (const TwProject *project);
void        tw_project_free             (TwProject       *project);

/* In-memory helpers for building a project before tw_project_add or tw_project_update. */
void        tw_project_take_partner     (TwProject       *project,
                                         const char      *name,
                                         const char      *role);
void        tw_project_take_area        (TwProject       *project,
                                         const char      *geoid);
TwMilestone *tw_milestone_new           (const char      *title,
                                         const char      *due_date,
                                         const char      *done_date);
void        tw_milestone_free           (TwMilestone     *milestone);

/* Whether @status is planned, active, paused or completed. */
gboolean    tw_project_status_is_valid  (const char      *status);
/* Whether @date is a real calendar date written YYYY-MM-DD. */
gboolean    tw_project_date_is_valid    (const char      *date);

/* Every project, by id, complete (partners, areas, milestones, comments). */
GPtrArray  *tw_project_list             (TwStore         *store,
                                         GError         **error);
TwProject  *tw_project_get              (TwStore         *store,
                                         gint64           id,
                                         GError         **error);

/* Stores a new project with its partners, areas and milestones (its own id and the
 * milestones' ids are ignored; comments are not taken). Returns the new id, or -1. */
gint64      tw_project_add              (TwStore         *store,
                                         const TwProject *project,
                                         GError         **error);
/* Writes the fields, partners and areas of the project with @project->id (milestones and
 * comments have their own functions). */
gboolean    tw_project_update           (TwStore         *store,
                                         const TwProject *project,
                                         GError         **error);
/* Replaces the target areas: GEOIDs of the project's geography (which is set, when the
 * project has none, to the project file's only geography). */
gboolean    tw_project_set_areas        (TwStore         *store,
                                         gint64           project_id,
                                         const char *const *geoids,
                                         GError         **error);

gint64      tw_project_add_milestone    (TwStore         *store,
                                         gint64           project_id,
                                         const TwMilestone *milestone,
                                         GError         **error);
gboolean    tw_project_update_milestone (TwStore         *store,
                                         const TwMilestone *milestone,
                                         GError         **error);
gboolean    tw_project_delete_milestone (TwStore         *store,
                                         gint64           milestone_id,
                                         GError         **error);

/* A comment on the project, or on one of its areas (@geoid may be NULL). */
gint64      tw_project_add_comment      (TwStore         *store,
                                         gint64           project_id,
                                         const char      *author,
                                         const char      *body,
                                         const char      *geoid,
                                         GError         **error);
gboolean    tw_project_delete_comment   (TwStore         *store,
                                         gint64           comment_id,
                                         GError         **error);

/* Deletes a project and everything that hangs on it. @deleted (may be NULL) receives it
 * all, for tw_project_restore. */
gboolean    tw_project_delete           (TwStore         *store,
                                         gint64           id,
                                         TwProject      **deleted,
                                         GError         **error);
/* Writes a deleted project back under its own ids: the undo of tw_project_delete. Fails,
 * changing nothing, when its id is in use or a partner or area it named is gone. */
gboolean    tw_project_restore          (TwStore         *store,
                                         const TwProject *project,
                                         GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwProject, tw_project_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwMilestone, tw_milestone_free)

G_END_DECLS
