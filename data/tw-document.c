/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-document"

#include "config.h"

#include <string.h>

#include "tw-document.h"
#include "tw-pg.h"
#include "tw-store-lookups.h"

struct _TwDocument
{
  GObject              parent_instance;

  GFile               *file;
  char                *project_path;
  TwProjectSummary    *summary;
  GObject             *review_session;
  TwSuppressionPolicy  policy;
  guint                loads;       /* loads under way: `loading` while any is */
  gboolean             read_only;

  /* A workspace on a team server: its URI, and the connection that LISTENs for colleagues'
   * commits (the replica at project_path is refreshed for each). */
  char                *server_uri;
  TwPgWorkspace       *watched;
  GSource             *watch;
  gboolean             refreshing;
  gboolean             refresh_again;
};

G_DEFINE_FINAL_TYPE (TwDocument, tw_document, G_TYPE_OBJECT)
G_DEFINE_QUARK (tw-document-error-quark, tw_document_error)

static TwSuppressionPolicy *
policy_copy (const TwSuppressionPolicy *policy)
{
  return g_memdup2 (policy, sizeof *policy);
}

G_DEFINE_BOXED_TYPE (TwSuppressionPolicy, tw_suppression_policy, policy_copy, g_free)

enum {
  PROP_0,
  PROP_FILE,
  PROP_PROJECT_PATH,
  PROP_SUMMARY,
  PROP_LOADING,
  PROP_READ_ONLY,
  PROP_REVIEW_SESSION,
  PROP_POLICY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const change_details[] = {
  TW_DOCUMENT_CHANGED_OUTCOMES,
  TW_DOCUMENT_CHANGED_PROJECTS,
  TW_DOCUMENT_CHANGED_PARTNERS,
  TW_DOCUMENT_CHANGED_POLICY,
  TW_DOCUMENT_CHANGED_COMMENTS,
  TW_DOCUMENT_CHANGED_ATTRIBUTES,
};

typedef struct
{
  char             *project_path;
  TwDocumentAccess  access;
  TwDocumentFunc    func;
  gpointer          data;
  GDestroyNotify    data_free;
} RunData;

typedef struct
{
  TwProjectSummary    *summary;
  TwSuppressionPolicy  policy;
} LoadData;

static void
run_data_free (RunData *run)
{
  g_free (run->project_path);
  if (run->data_free != NULL)
    g_clear_pointer (&run->data, run->data_free);
  g_free (run);
}

static void
load_data_free (LoadData *load)
{
  g_clear_pointer (&load->summary, tw_project_summary_free);
  g_free (load);
}

static void
set_loading (TwDocument *self,
             gboolean    started)
{
  gboolean was_loading = self->loads > 0;

  if (started)
    self->loads++;
  else
    {
      g_assert (self->loads > 0);
      self->loads--;
    }
  if (was_loading != (self->loads > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_read_only (TwDocument *self,
               gboolean    read_only)
{
  if (self->read_only == read_only)
    return;
  self->read_only = read_only;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
}

static void
set_policy (TwDocument                *self,
            const TwSuppressionPolicy *policy)
{
  if (memcmp (&self->policy, policy, sizeof *policy) == 0)
    return;
  self->policy = *policy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY]);
}

static TwStore *
open_store (const char        *project_path,
            TwDocumentAccess   access,
            GError           **error)
{
  g_autoptr(TwStore) store = NULL;

  if (project_path == NULL)
    {
      g_set_error_literal (error, TW_DOCUMENT_ERROR, TW_DOCUMENT_ERROR_NOT_LOCAL,
                           "Only project files on this computer can be opened.");
      return NULL;
    }
  if ((store = tw_store_open (project_path, error)) == NULL
      || (access == TW_DOCUMENT_READ && !tw_store_set_query_only (store, error)))
    return NULL;
  return g_steal_pointer (&store);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *run = task_data;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error)
      || (store = open_store (run->project_path, run->access, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  tw_store_set_cancellable (store, cancellable);

  if (!run->func (store, run->data, cancellable, &error))
    {
      /* A failing function must say why: an error-less failure would read as success. */
      if (error == NULL)
        g_set_error (&error, TW_STORE_ERROR, TW_STORE_ERROR_SQL,
                     "%s: the work on the project failed", run->project_path);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static gboolean
load_in_thread (TwStore       *store,
                gpointer       task_data,
                GCancellable  *cancellable,
                GError       **error)
{
  LoadData *load = task_data;

  if ((load->summary = tw_store_summarize (store, error)) == NULL)
    return FALSE;
  return tw_suppression_policy_load (&load->policy, store, error);
}

static gboolean
save_policy_in_thread (TwStore       *store,
                       gpointer       task_data,
                       GCancellable  *cancellable,
                       GError       **error)
{
  return tw_suppression_policy_save (task_data, store, error);
}

static void
on_load_finished (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TwDocument *self = TW_DOCUMENT (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  LoadData *load = tw_document_run_get_task_data (result);

  if (tw_document_run_finish (self, result, &error))
    {
      g_object_freeze_notify (G_OBJECT (self));
      g_clear_pointer (&self->summary, tw_project_summary_free);
      self->summary = g_steal_pointer (&load->summary);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
      set_policy (self, &load->policy);
      set_read_only (self, self->read_only || self->review_session != NULL);
      g_object_thaw_notify (G_OBJECT (self));
    }
  set_loading (self, FALSE);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_policy_saved (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TwDocument *self = TW_DOCUMENT (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!tw_document_run_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  set_policy (self, tw_document_run_get_task_data (result));
  tw_document_emit_changed (self, TW_DOCUMENT_CHANGED_POLICY);
  g_task_return_boolean (task, TRUE);
}

static void
tw_document_dispose (GObject *object)
{
  TwDocument *self = TW_DOCUMENT (object);

  g_clear_object (&self->review_session);
  if (self->watch != NULL)
    g_source_destroy (self->watch);
  g_clear_pointer (&self->watch, g_source_unref);
  g_clear_pointer (&self->watched, tw_pg_workspace_close);

  G_OBJECT_CLASS (tw_document_parent_class)->dispose (object);
}

static void
tw_document_finalize (GObject *object)
{
  TwDocument *self = TW_DOCUMENT (object);

  g_clear_object (&self->file);
  g_free (self->project_path);
  g_free (self->server_uri);
  g_clear_pointer (&self->summary, tw_project_summary_free);

  G_OBJECT_CLASS (tw_document_parent_class)->finalize (object);
}

static void
tw_document_constructed (GObject *object)
{
  TwDocument *self = TW_DOCUMENT (object);

  G_OBJECT_CLASS (tw_document_parent_class)->constructed (object);

  if (self->project_path == NULL && self->file != NULL && self->server_uri == NULL)
    self->project_path = g_file_get_path (self->file);
}

static void
tw_document_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TwDocument *self = TW_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_PROJECT_PATH:
      g_value_set_string (value, self->project_path);
      break;
    case PROP_SUMMARY:
      g_value_set_pointer (value, self->summary);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, tw_document_get_loading (self));
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    case PROP_REVIEW_SESSION:
      g_value_set_object (value, self->review_session);
      break;
    case PROP_POLICY:
      g_value_set_boxed (value, &self->policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_document_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TwDocument *self = TW_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_set_object (&self->file, g_value_get_object (value));
      break;
    case PROP_PROJECT_PATH:
      tw_document_set_project_path (self, g_value_get_string (value));
      break;
    case PROP_REVIEW_SESSION:
      tw_document_set_review_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_document_class_init (TwDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tw_document_constructed;
  object_class->dispose = tw_document_dispose;
  object_class->finalize = tw_document_finalize;
  object_class->get_property = tw_document_get_property;
  object_class->set_property = tw_document_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT_PATH] =
    g_param_spec_string ("project-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_pointer ("summary", NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVIEW_SESSION] =
    g_param_spec_object ("review-session", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POLICY] =
    g_param_spec_boxed ("policy", NULL, NULL, TW_TYPE_SUPPRESSION_POLICY,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TwDocument::changed:
   * @self: the document
   *
   * Emitted in the main thread after a write to the project was committed; the detail
   * says what changed (`outcomes`, `projects`, `partners`, `policy`, `comments`,
   * `attributes`), so a view connects to the details it shows.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tw_document_init (TwDocument *self)
{
  tw_suppression_policy_init (&self->policy);
}

TwDocument *
tw_document_new (GFile *file)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (TW_TYPE_DOCUMENT, "file", file, NULL);
}

TwDocument *
tw_document_new_for_path (GFile      *file,
                          const char *project_path)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (TW_TYPE_DOCUMENT, "file", file, "project-path", project_path, NULL);
}

GFile *
tw_document_get_file (TwDocument *self)
{
  g_return_val_if_fail (TW_IS_DOCUMENT (self), NULL);
  return self->file;
}

const char *
tw_document_get_project_path (TwDocument *self)
{
  g_return_val_if_fail (TW_IS_DOCUMENT (self), NULL);
  return self->project_path;
}

void
tw_document_set_project_path (TwDocument *self,
                              const char *project_path)
{
  g_return_if_fail (TW_IS_DOCUMENT (self));

  if (g_strcmp0 (self->project_path, project_path) == 0)
    return;
  g_free (self->project_path);
  self->project_path = g_strdup (project_path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT_PATH]);
}

const TwProjectSummary *
tw_document_get_summary (TwDocument *self)
{
  g_return_val_if_fail (TW_IS_DOCUMENT (self), NULL);
  return self->summary;
}

gboolean
tw_document_get_loading (TwDocument *self)
{
  g_return_val_if_fail (TW_IS_DOCUMENT (self), FALSE);
  return self->loads > 0;
}

gboolean
tw_document_get_read_only (TwDocument *self)
{
  g_return_val_if_fail (TW_IS_DOCUMENT (self), FALSE);
  return self->read_only;
}

GObject *
tw_document_get_review_session (TwDocument *self)
{
  g_return_val_if_fail (TW_IS_DOCUMENT (self), NULL);
  return self->review_session;
}

void
tw_document_set_review_session (TwDocument *self,
                                GObject    *review_session)
{
  g_return_if_fail (TW_IS_DOCUMENT (self));
  g_return_if_fail (review_session == NULL || G_IS_OBJECT (review_session));

  if (!g_set_object (&self->review_session, review_session))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVIEW_SESSION]);
  if (review_session != NULL)
    set_read_only (self, TRUE);
}

const TwSuppressionPolicy *
tw_document_get_policy (TwDocument *self)
{
  g_return_val_if_fail (TW_IS_DOCUMENT (self), NULL);
  return &self->policy;
}

void
tw_document_load_async (TwDocument          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TW_IS_DOCUMENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tw_document_load_async);

  set_loading (self, TRUE);
  tw_document_run_async (self, TW_DOCUMENT_READ, load_in_thread, g_new0 (LoadData, 1),
                         (GDestroyNotify) load_data_free, cancellable, on_load_finished, task);
}

gboolean
tw_document_load_finish (TwDocument    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (TW_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tw_document_load_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tw_document_run_async (TwDocument          *self,
                       TwDocumentAccess     access,
                       TwDocumentFunc       func,
                       gpointer             task_data,
                       GDestroyNotify       task_data_free,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *run;

  g_return_if_fail (TW_IS_DOCUMENT (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run = g_new0 (RunData, 1);
  run->project_path = g_strdup (self->project_path);
  run->access = access;
  run->func = func;
  run->data = task_data;
  run->data_free = task_data_free;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tw_document_run_async);
  g_task_set_task_data (task, run, (GDestroyNotify) run_data_free);

  if (run->project_path == NULL)
    {
      g_task_return_new_error (task, TW_DOCUMENT_ERROR, TW_DOCUMENT_ERROR_NOT_LOCAL,
                               "Only project files on this computer can be opened.");
      return;
    }
  g_task_run_in_thread (task, run_thread);
}

gboolean
tw_document_run_finish (TwDocument    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (TW_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tw_document_run_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gpointer
tw_document_run_get_task_data (GAsyncResult *result)
{
  RunData *run;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tw_document_run_async,
                        NULL);

  run = g_task_get_task_data (G_TASK (result));
  return run->data;
}

TwStore *
tw_document_open_store (TwDocument        *self,
                        TwDocumentAccess   access,
                        GError           **error)
{
  g_return_val_if_fail (TW_IS_DOCUMENT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_store (self->project_path, access, error);
}

void
tw_document_save_policy_async (TwDocument                *self,
                               const TwSuppressionPolicy *policy,
                               GCancellable              *cancellable,
                               GAsyncReadyCallback        callback,
                               gpointer                   user_data)
{
  GTask *task;

  g_return_if_fail (TW_IS_DOCUMENT (self));
  g_return_if_fail (policy != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tw_document_save_policy_async);
  tw_document_run_async (self, TW_DOCUMENT_WRITE, save_policy_in_thread,
                         policy_copy (policy), g_free, cancellable, on_policy_saved, task);
}

gboolean
tw_document_save_policy_finish (TwDocument    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (TW_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tw_document_emit_changed (TwDocument *self,
                          const char *detail)
{
  gboolean known = FALSE;

  g_return_if_fail (TW_IS_DOCUMENT (self));
  g_return_if_fail (detail != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (change_details); i++)
    known |= g_str_equal (detail, change_details[i]);
  g_return_if_fail (known);

  g_signal_emit (self, signals[CHANGED], g_quark_from_string (detail));
}

/* A workspace on a team server. */

typedef struct
{
  char          *path;
  TwPgWorkspace *watched;
  GStrv          changed;
} ServerData;

static void
server_data_free (ServerData *data)
{
  g_free (data->path);
  g_clear_pointer (&data->watched, tw_pg_workspace_close);
  g_strfreev (data->changed);
  g_free (data);
}

/* What a view reloads when a table of the workspace changed on the server. */
static const char *
change_detail (const char *table)
{
  static const struct { const char *table; const char *detail; } details[] = {
    { "geography", TW_DOCUMENT_CHANGED_OUTCOMES },
    { "area", TW_DOCUMENT_CHANGED_OUTCOMES },
    { "measure", TW_DOCUMENT_CHANGED_OUTCOMES },
    { "period", TW_DOCUMENT_CHANGED_OUTCOMES },
    { "stratum", TW_DOCUMENT_CHANGED_OUTCOMES },
    { "outcome_value", TW_DOCUMENT_CHANGED_OUTCOMES },
    { "outcome_withheld", TW_DOCUMENT_CHANGED_OUTCOMES },
    { "published_rate", TW_DOCUMENT_CHANGED_OUTCOMES },
    { "area_attribute", TW_DOCUMENT_CHANGED_ATTRIBUTES },
    { "partner", TW_DOCUMENT_CHANGED_PARTNERS },
    { "project", TW_DOCUMENT_CHANGED_PROJECTS },
    { "project_partner", TW_DOCUMENT_CHANGED_PROJECTS },
    { "project_area", TW_DOCUMENT_CHANGED_PROJECTS },
    { "milestone", TW_DOCUMENT_CHANGED_PROJECTS },
    { "comment", TW_DOCUMENT_CHANGED_COMMENTS },
    { "setting", TW_DOCUMENT_CHANGED_POLICY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (details); i++)
    if (g_str_equal (details[i].table, table))
      return details[i].detail;
  return NULL;
}

TwDocument *
tw_document_new_for_server (const char *uri)
{
  g_autoptr(GFile) file = NULL;
  TwDocument *self;

  g_return_val_if_fail (uri != NULL && tw_pg_is_workspace_uri (uri), NULL);

  file = g_file_new_for_uri (uri);
  self = g_object_new (TW_TYPE_DOCUMENT, NULL);
  self->server_uri = g_strdup (uri);
  self->file = g_steal_pointer (&file);
  return self;
}

const char *
tw_document_get_server_uri (TwDocument *self)
{
  g_return_val_if_fail (TW_IS_DOCUMENT (self), NULL);
  return self->server_uri;
}

static void
sync_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  TwDocument *self = source_object;
  ServerData *data = task_data;
  GError *error = NULL;

  data->path = tw_pg_replica_sync (self->server_uri, &data->changed, &error);
  if (data->path != NULL && self->watch == NULL)
    data->watched = tw_pg_workspace_open (self->server_uri, FALSE, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void start_refresh (TwDocument *self);

static void
on_refreshed (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TwDocument *self = TW_DOCUMENT (object);
  ServerData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) emitted = g_ptr_array_new ();
  gboolean reload = FALSE;

  self->refreshing = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Cannot bring the team workspace up to date: %s", error->message);
  for (guint i = 0; data->changed != NULL && data->changed[i] != NULL; i++)
    {
      const char *detail = change_detail (data->changed[i]);

      if (detail == NULL || g_ptr_array_find (emitted, detail, NULL))
        continue;
      g_ptr_array_add (emitted, (gpointer) detail);
      reload |= g_str_equal (detail, TW_DOCUMENT_CHANGED_OUTCOMES)
                || g_str_equal (detail, TW_DOCUMENT_CHANGED_POLICY)
                || g_str_equal (detail, TW_DOCUMENT_CHANGED_PROJECTS)
                || g_str_equal (detail, TW_DOCUMENT_CHANGED_PARTNERS);
    }
  /* The summary (and policy) first, so views reloading on `changed` read the new ones. */
  if (reload)
    tw_document_load_async (self, NULL, NULL, NULL);
  for (guint i = 0; i < emitted->len; i++)
    tw_document_emit_changed (self, g_ptr_array_index (emitted, i));

  if (self->refresh_again)
    start_refresh (self);
}

static void
start_refresh (TwDocument *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->refreshing)
    {
      self->refresh_again = TRUE;
      return;
    }
  self->refreshing = TRUE;
  self->refresh_again = FALSE;
  task = g_task_new (self, NULL, on_refreshed, NULL);
  g_task_set_task_data (task, g_new0 (ServerData, 1), (GDestroyNotify) server_data_free);
  g_task_run_in_thread (task, sync_in_thread);
}

static void
on_server_change (const char *table,
                  const char *who,
                  gpointer    user_data)
{
  start_refresh (TW_DOCUMENT (user_data));
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TwDocument *self = TW_DOCUMENT (object);
  ServerData *data = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  tw_document_set_project_path (self, data->path);
  if (self->watch == NULL && data->watched != NULL)
    {
      self->watched = g_steal_pointer (&data->watched);
      self->watch = tw_pg_watch_source_new (self->watched, on_server_change, self, NULL,
                                            &error);
      if (self->watch == NULL)
        {
          g_clear_pointer (&self->watched, tw_pg_workspace_close);
          g_task_return_error (task, error);
          return;
        }
      g_source_attach (self->watch, g_main_context_get_thread_default ());
    }
  g_task_return_boolean (task, TRUE);
}

void
tw_document_connect_async (TwDocument          *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  g_autoptr(GTask) sync = NULL;

  g_return_if_fail (TW_IS_DOCUMENT (self));
  g_return_if_fail (self->server_uri != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tw_document_connect_async);
  sync = g_task_new (self, cancellable, on_connected, task);
  g_task_set_task_data (sync, g_new0 (ServerData, 1), (GDestroyNotify) server_data_free);
  g_task_run_in_thread (sync, sync_in_thread);
}

gboolean
tw_document_connect_finish (TwDocument    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (TW_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
