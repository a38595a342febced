/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-document"

#include "config.h"

#include <string.h>

#include "tw-document.h"
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

  G_OBJECT_CLASS (tw_document_parent_class)->dispose (object);
}

static void
tw_document_finalize (GObject *object)
{
  TwDocument *self = TW_DOCUMENT (object);

  g_clear_object (&self->file);
  g_free (self->project_path);
  g_clear_pointer (&self->summary, tw_project_summary_free);

  G_OBJECT_CLASS (tw_document_parent_class)->finalize (object);
}

static void
tw_document_constructed (GObject *object)
{
  TwDocument *self = TW_DOCUMENT (object);

  G_OBJECT_CLASS (tw_document_parent_class)->constructed (object);

  if (self->project_path == NULL && self->file != NULL)
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
