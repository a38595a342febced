/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-store.h"
#include "tw-suppression.h"

G_BEGIN_DECLS

/*
 * One open project: the file the user opened, the file actually read (the same, or the
 * working file of a share package's review copy), what it holds and its privacy policy.
 * Views hold a reference and listen: whoever changes the project emits `changed` with a
 * detail saying what changed, and each view reloads what it shows of that.
 *
 * The SQLite connection never leaves a worker thread: tw_document_run_async() opens the
 * project there, runs the caller's function on it and closes it.
 */

#define TW_TYPE_DOCUMENT (tw_document_get_type ())
#define TW_TYPE_SUPPRESSION_POLICY (tw_suppression_policy_get_type ())
#define TW_DOCUMENT_ERROR (tw_document_error_quark ())

G_DECLARE_FINAL_TYPE (TwDocument, tw_document, TW, DOCUMENT, GObject)

typedef enum
{
  TW_DOCUMENT_ERROR_NOT_LOCAL,   /* the file is not on this computer: no path to read */
} TwDocumentError;

/* How a worker opens the project: a reader cannot write by mistake (SQLite refuses). */
typedef enum
{
  TW_DOCUMENT_READ,
  TW_DOCUMENT_WRITE,
} TwDocumentAccess;

/* The details of TwDocument::changed: what a writer changed. */
#define TW_DOCUMENT_CHANGED_OUTCOMES   "outcomes"
#define TW_DOCUMENT_CHANGED_PROJECTS   "projects"
#define TW_DOCUMENT_CHANGED_PARTNERS   "partners"
#define TW_DOCUMENT_CHANGED_POLICY     "policy"
#define TW_DOCUMENT_CHANGED_COMMENTS   "comments"
#define TW_DOCUMENT_CHANGED_ATTRIBUTES "attributes"

/* Runs in a worker thread on a store opened for it; returns FALSE with @error set on
 * failure. Results go into @task_data. */
typedef gboolean (*TwDocumentFunc) (TwStore       *store,
                                    gpointer       task_data,
                                    GCancellable  *cancellable,
                                    GError       **error);

GType              tw_suppression_policy_get_type (void) G_GNUC_CONST;
GQuark             tw_document_error_quark      (void);

TwDocument        *tw_document_new              (GFile             *file);
/* A document whose @project_path differs from @file (a review copy's working file). */
TwDocument        *tw_document_new_for_path     (GFile             *file,
                                                 const char        *project_path);

/* A workspace on a team server (tw-pg.h): its project path is the local replica, set by
 * tw_document_connect_async. */
TwDocument        *tw_document_new_for_server   (const char        *uri);
/* The server workspace's URI, or NULL for a file. */
const char        *tw_document_get_server_uri   (TwDocument        *self);
/* Brings the replica up to date in a worker thread, sets the project path to it, then
 * watches the server: each colleague's commit refreshes the replica and emits `changed`
 * for what changed (after reloading the summary and policy when those may have). */
void               tw_document_connect_async    (TwDocument        *self,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
gboolean           tw_document_connect_finish   (TwDocument        *self,
                                                 GAsyncResult      *result,
                                                 GError           **error);

GFile             *tw_document_get_file         (TwDocument        *self);
const char        *tw_document_get_project_path (TwDocument        *self);
void               tw_document_set_project_path (TwDocument        *self,
                                                 const char        *project_path);
/* NULL until loaded. */
const TwProjectSummary *tw_document_get_summary (TwDocument        *self);
gboolean           tw_document_get_loading      (TwDocument        *self);
gboolean           tw_document_get_read_only    (TwDocument        *self);
/* The share package's review (a TwReviewSession of ui/), or NULL. Setting one makes the
 * document read-only. */
GObject           *tw_document_get_review_session (TwDocument      *self);
void               tw_document_set_review_session (TwDocument      *self,
                                                   GObject         *review_session);
/* The policy stored in the project; the default until loaded. */
const TwSuppressionPolicy *tw_document_get_policy (TwDocument      *self);

/* Reads the summary and the policy, with `loading` TRUE meanwhile. On failure both stay as
 * they were. */
void               tw_document_load_async       (TwDocument        *self,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
gboolean           tw_document_load_finish      (TwDocument        *self,
                                                 GAsyncResult      *result,
                                                 GError           **error);

/* The one way the UI reaches the project: opens project-path in a worker thread for
 * @access, runs @func (store, @task_data, @cancellable, error) and closes it. @task_data is
 * freed with @task_data_free when the result is. */
void               tw_document_run_async        (TwDocument        *self,
                                                 TwDocumentAccess   access,
                                                 TwDocumentFunc     func,
                                                 gpointer           task_data,
                                                 GDestroyNotify     task_data_free,
                                                 GCancellable      *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer           user_data);
gboolean           tw_document_run_finish       (TwDocument        *self,
                                                 GAsyncResult      *result,
                                                 GError           **error);
/* The @task_data a run was given, owned by @result. */
gpointer           tw_document_run_get_task_data (GAsyncResult     *result);

/* Opens the project in the calling thread, for a short write the user waits on (adding or
 * deleting one project or partner); everything longer goes through tw_document_run_async(). */
TwStore           *tw_document_open_store       (TwDocument        *self,
                                                 TwDocumentAccess   access,
                                                 GError           **error);

/* Stores @policy (and audits it) in a worker thread; on success the document's policy is
 * @policy, and `notify::policy` and `changed::policy` are emitted. */
void               tw_document_save_policy_async (TwDocument       *self,
                                                  const TwSuppressionPolicy *policy,
                                                  GCancellable     *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer          user_data);
gboolean           tw_document_save_policy_finish (TwDocument      *self,
                                                   GAsyncResult    *result,
                                                   GError         **error);

/* Tells the views that @detail (one of TW_DOCUMENT_CHANGED_*) changed; a writer calls it
 * in the main thread once its write is committed. */
void               tw_document_emit_changed     (TwDocument        *self,
                                                 const char        *detail);

G_END_DECLS
