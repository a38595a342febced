/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-document"

#include <glib/gstdio.h>
#include <string.h>

#include "tw-document.h"
#include "tw-test-project.h"

/* Waits in the main loop for a GAsyncResult. */
static void
on_result (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* A project with one geography of two areas and one measure over two periods. */
static Project *
make_project (void)
{
  Project *p = project_new ();
  gint64 g = add_geography (p, "tracts");
  gint64 a = add_area (p, g, "001", -71.0, 42.3);
  gint64 b = add_area (p, g, "002", -71.1, 42.3);
  gint64 m = add_measure (p, "asthma", "rate", 10000);

  add_outcome (p, m, a, "2021", "all", 40, 4000);
  add_outcome (p, m, b, "2022", "all", 50, 5000);
  return p;
}

static gboolean
load (TwDocument  *document,
      GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tw_document_load_async (document, NULL, on_result, &result);
  return tw_document_load_finish (document, wait_for (&result), error);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_load (void)
{
  g_autoptr(Project) p = make_project ();
  g_autoptr(GFile) file = g_file_new_for_path (p->path);
  g_autoptr(TwDocument) document = tw_document_new (file);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const TwProjectSummary *summary;
  const TwMeasureSummary *measure;
  guint loading_notes = 0, summary_notes = 0;

  g_assert_cmpstr (tw_document_get_project_path (document), ==, p->path);
  g_assert_null (tw_document_get_summary (document));
  g_assert_false (tw_document_get_loading (document));
  g_signal_connect (document, "notify::loading", G_CALLBACK (count_notify), &loading_notes);
  g_signal_connect (document, "notify::summary", G_CALLBACK (count_notify), &summary_notes);

  tw_document_load_async (document, NULL, on_result, &result);
  /* Loading from the moment it is asked until the summary is there. */
  g_assert_true (tw_document_get_loading (document));
  g_assert_cmpuint (loading_notes, ==, 1);
  g_assert_true (tw_document_load_finish (document, wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_false (tw_document_get_loading (document));
  g_assert_cmpuint (loading_notes, ==, 2);
  g_assert_cmpuint (summary_notes, ==, 1);

  summary = tw_document_get_summary (document);
  g_assert_nonnull (summary);
  g_assert_cmpuint (summary->geographies->len, ==, 1);
  g_assert_cmpint (((TwGeographySummary *) g_ptr_array_index (summary->geographies, 0))->areas,
                   ==, 2);
  g_assert_cmpuint (summary->measures->len, ==, 1);
  measure = g_ptr_array_index (summary->measures, 0);
  g_assert_cmpstr (measure->code, ==, "asthma");
  g_assert_cmpint (measure->rows, ==, 2);
  g_assert_cmpuint (g_strv_length (measure->periods), ==, 2);
  g_assert_false (tw_document_get_read_only (document));
  g_assert_cmpuint (tw_document_get_policy (document)->min_count, ==,
                    TW_SUPPRESSION_DEFAULT_MIN_COUNT);
}

/* The policy stored in the file, not the default, once loaded. */
static void
test_load_policy (void)
{
  g_autoptr(Project) p = make_project ();
  g_autoptr(GFile) file = g_file_new_for_path (p->path);
  g_autoptr(TwDocument) document = tw_document_new (file);
  g_autoptr(GError) error = NULL;
  TwSuppressionPolicy policy;
  guint policy_notes = 0;

  tw_suppression_policy_init (&policy);
  g_assert_true (tw_suppression_policy_set_preset (&policy, "uscs", &error));
  g_assert_true (tw_suppression_policy_save (&policy, p->store, &error));
  g_assert_no_error (error);

  g_signal_connect (document, "notify::policy", G_CALLBACK (count_notify), &policy_notes);
  g_assert_true (load (document, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tw_document_get_policy (document)->min_count, ==, 16);
  g_assert_cmpint (tw_document_get_policy (document)->preset, ==, TW_SUPPRESSION_PRESET_USCS);
  g_assert_cmpuint (policy_notes, ==, 1);
}

/* A file that is gone: an error naming it, no summary, no longer loading. */
static void
test_missing_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tw-document-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "gone.tractwise", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(TwDocument) document = tw_document_new (file);
  g_autoptr(GError) error = NULL;

  g_assert_false (load (document, &error));
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_null (tw_document_get_summary (document));
  g_assert_false (tw_document_get_loading (document));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_rmdir (dir);
}

/* A file that is not a project is refused, and left as it was. */
static void
test_not_a_project (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tw-document-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "notes.tractwise", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(TwDocument) document = tw_document_new (file);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;

  g_assert_true (g_file_set_contents (path, "not a database\n", -1, NULL));
  g_assert_false (load (document, &error));
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_NOT_A_PROJECT);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, "not a database\n");
  g_unlink (path);
  g_rmdir (dir);
}

/* A file with no local path (a remote location) cannot be read. */
static void
test_not_local (void)
{
  g_autoptr(GFile) file = g_file_new_for_uri ("tw-test-nowhere:///project.tractwise");
  g_autoptr(TwDocument) document = tw_document_new (file);
  g_autoptr(GError) error = NULL;

  g_assert_null (tw_document_get_project_path (document));
  g_assert_false (load (document, &error));
  g_assert_error (error, TW_DOCUMENT_ERROR, TW_DOCUMENT_ERROR_NOT_LOCAL);
  g_assert_false (tw_document_get_loading (document));
}

static void
test_properties (void)
{
  g_autoptr(Project) p = make_project ();
  g_autoptr(GFile) file = g_file_new_for_path (p->path);
  g_autoptr(TwDocument) document = tw_document_new_for_path (file, p->path);
  g_autoptr(GObject) review = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GFile) got_file = NULL;
  g_autoptr(GObject) got_review = NULL;
  g_autofree char *got_path = NULL;
  g_autofree TwSuppressionPolicy *got_policy = NULL;
  gpointer got_summary = NULL;
  gboolean loading = TRUE, read_only = TRUE;
  guint path_notes = 0, review_notes = 0, read_only_notes = 0;
  g_autoptr(GError) error = NULL;

  g_object_get (document, "file", &got_file, "project-path", &got_path, "summary", &got_summary,
                "loading", &loading, "read-only", &read_only, "review-session", &got_review,
                "policy", &got_policy, NULL);
  g_assert_true (g_file_equal (got_file, file));
  g_assert_cmpstr (got_path, ==, p->path);
  g_assert_null (got_summary);
  g_assert_false (loading);
  g_assert_false (read_only);
  g_assert_null (got_review);
  g_assert_cmpuint (got_policy->min_count, ==, TW_SUPPRESSION_DEFAULT_MIN_COUNT);

  g_signal_connect (document, "notify::project-path", G_CALLBACK (count_notify), &path_notes);
  g_signal_connect (document, "notify::review-session", G_CALLBACK (count_notify),
                    &review_notes);
  g_signal_connect (document, "notify::read-only", G_CALLBACK (count_notify), &read_only_notes);

  /* Setting the same value again says nothing. */
  g_object_set (document, "project-path", p->path, NULL);
  g_assert_cmpuint (path_notes, ==, 0);
  g_object_set (document, "project-path", "/elsewhere.tractwise", NULL);
  g_assert_cmpuint (path_notes, ==, 1);
  g_assert_cmpstr (tw_document_get_project_path (document), ==, "/elsewhere.tractwise");
  tw_document_set_project_path (document, p->path);

  /* A review makes the document read-only. */
  g_object_set (document, "review-session", review, NULL);
  g_object_set (document, "review-session", review, NULL);
  g_assert_cmpuint (review_notes, ==, 1);
  g_assert_cmpuint (read_only_notes, ==, 1);
  g_assert_true (tw_document_get_review_session (document) == review);
  g_assert_true (tw_document_get_read_only (document));

  g_assert_true (load (document, &error));
  g_assert_no_error (error);
  g_object_get (document, "summary", &got_summary, NULL);
  g_assert_true (got_summary == tw_document_get_summary (document));
  g_assert_nonnull (got_summary);
  g_assert_true (tw_document_get_read_only (document));
}

typedef struct
{
  GStrv  seen;   /* the details received, in order */
  guint  projects;
} Changes;

static void
on_changed (TwDocument *document,
            gpointer    user_data)
{
  Changes *changes = user_data;
  GSignalInvocationHint *hint = g_signal_get_invocation_hint (document);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_addv (builder, (const char **) changes->seen);
  g_strv_builder_add (builder, g_quark_to_string (hint->detail));
  g_strfreev (changes->seen);
  changes->seen = g_strv_builder_end (builder);
}

static void
on_projects_changed (TwDocument *document,
                     gpointer    user_data)
{
  ((Changes *) user_data)->projects++;
}

/* A view that listens to one detail hears only that one; a view that listens to all hears
 * each, with its detail. */
static void
test_changed_details (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nowhere/p.tractwise");
  g_autoptr(TwDocument) document = tw_document_new (file);
  const char *details[] = { "outcomes", "projects", "partners", "policy", "comments",
                            "attributes", NULL };
  Changes changes = { g_new0 (char *, 1), 0 };

  g_signal_connect (document, "changed", G_CALLBACK (on_changed), &changes);
  g_signal_connect (document, "changed::projects", G_CALLBACK (on_projects_changed), &changes);
  for (guint i = 0; details[i] != NULL; i++)
    tw_document_emit_changed (document, details[i]);

  g_assert_cmpstrv (changes.seen, details);
  g_assert_cmpuint (changes.projects, ==, 1);
  g_strfreev (changes.seen);
}

static gboolean
write_setting (TwStore       *store,
               gpointer       task_data,
               GCancellable  *cancellable,
               GError       **error)
{
  g_assert_false (g_main_context_is_owner (g_main_context_default ()));
  return tw_store_set_setting (store, "test.note", task_data, error);
}

static gboolean
read_setting (TwStore       *store,
              gpointer       task_data,
              GCancellable  *cancellable,
              GError       **error)
{
  char **out = task_data;

  *out = tw_store_get_setting (store, "test.note");
  return TRUE;
}

static gboolean
run (TwDocument        *document,
     TwDocumentAccess   access,
     TwDocumentFunc     func,
     gpointer           data,
     GCancellable      *cancellable,
     GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tw_document_run_async (document, access, func, data, NULL, cancellable, on_result, &result);
  wait_for (&result);
  g_assert_true (tw_document_run_get_task_data (result) == data);
  return tw_document_run_finish (document, result, error);
}

static void
test_run_write_then_read (void)
{
  g_autoptr(Project) p = make_project ();
  g_autoptr(GFile) file = g_file_new_for_path (p->path);
  g_autoptr(TwDocument) document = tw_document_new (file);
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;

  g_assert_true (run (document, TW_DOCUMENT_WRITE, write_setting, "hello", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (run (document, TW_DOCUMENT_READ, read_setting, &note, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (note, ==, "hello");
}

/* A reader that writes by mistake fails, and the file keeps what it held. */
static void
test_run_read_refuses_writes (void)
{
  g_autoptr(Project) p = make_project ();
  g_autoptr(GFile) file = g_file_new_for_path (p->path);
  g_autoptr(TwDocument) document = tw_document_new (file);
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;

  g_assert_false (run (document, TW_DOCUMENT_READ, write_setting, "sneaky", NULL, &error));
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_SQL);
  g_clear_error (&error);
  note = tw_store_get_setting (p->store, "test.note");
  g_assert_null (note);
}

/* The calling thread's store: a reader's refuses writes, a writer's does not. */
static void
test_open_store (void)
{
  g_autoptr(Project) p = make_project ();
  g_autoptr(GFile) file = g_file_new_for_path (p->path);
  g_autoptr(TwDocument) document = tw_document_new (file);
  g_autoptr(GFile) remote = g_file_new_for_uri ("tw-test-nowhere:///project.tractwise");
  g_autoptr(TwDocument) nowhere = tw_document_new (remote);
  g_autoptr(TwStore) reader = NULL;
  g_autoptr(TwStore) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;

  reader = tw_document_open_store (document, TW_DOCUMENT_READ, &error);
  g_assert_no_error (error);
  g_assert_false (tw_store_set_setting (reader, "test.note", "no", &error));
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_SQL);
  g_clear_error (&error);

  writer = tw_document_open_store (document, TW_DOCUMENT_WRITE, &error);
  g_assert_no_error (error);
  g_assert_true (tw_store_set_setting (writer, "test.note", "yes", &error));
  g_assert_no_error (error);
  note = tw_store_get_setting (reader, "test.note");
  g_assert_cmpstr (note, ==, "yes");

  g_assert_null (tw_document_open_store (nowhere, TW_DOCUMENT_READ, &error));
  g_assert_error (error, TW_DOCUMENT_ERROR, TW_DOCUMENT_ERROR_NOT_LOCAL);
}

static gboolean
fail_with_error (TwStore       *store,
                 gpointer       task_data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_set_error_literal (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID, "no such geography");
  return FALSE;
}

static gboolean
fail_silently (TwStore       *store,
               gpointer       task_data,
               GCancellable  *cancellable,
               GError       **error)
{
  return FALSE;
}

static gboolean
count_calls (TwStore       *store,
             gpointer       task_data,
             GCancellable  *cancellable,
             GError       **error)
{
  (*(guint *) task_data)++;
  return TRUE;
}

static void
test_run_errors (void)
{
  g_autoptr(Project) p = make_project ();
  g_autoptr(GFile) file = g_file_new_for_path (p->path);
  g_autoptr(TwDocument) document = tw_document_new (file);
  g_autoptr(GFile) gone_file = g_file_new_for_path ("/nonexistent/gone.tractwise");
  g_autoptr(TwDocument) gone = tw_document_new (gone_file);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  guint calls = 0;

  /* The function's own error comes back as it was. */
  g_assert_false (run (document, TW_DOCUMENT_READ, fail_with_error, NULL, NULL, &error));
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "no such geography");
  g_clear_error (&error);

  /* A failure without an error is still a failure. */
  g_assert_false (run (document, TW_DOCUMENT_READ, fail_silently, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* No project, no call. */
  g_assert_false (run (gone, TW_DOCUMENT_WRITE, count_calls, &calls, NULL, &error));
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (calls, ==, 0);

  /* Cancelled before it ran: not run at all. */
  g_cancellable_cancel (cancellable);
  g_assert_false (run (document, TW_DOCUMENT_WRITE, count_calls, &calls, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (calls, ==, 0);

  g_assert_true (run (document, TW_DOCUMENT_READ, count_calls, &calls, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (calls, ==, 1);
}

static gboolean
check_object (TwStore       *store,
              gpointer       task_data,
              GCancellable  *cancellable,
              GError       **error)
{
  return G_IS_OBJECT (task_data);
}

/* The task data lives as long as the result, then goes with its free function. */
static void
test_run_frees_task_data (void)
{
  g_autoptr(Project) p = make_project ();
  g_autoptr(GFile) file = g_file_new_for_path (p->path);
  g_autoptr(TwDocument) document = tw_document_new (file);
  GAsyncResult *result = NULL;
  GObject *data = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GError) error = NULL;
  GWeakRef weak;
  GObject *left;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_weak_ref_init (&weak, data);
  tw_document_run_async (document, TW_DOCUMENT_READ, check_object, data, g_object_unref,
                         NULL, on_result, &result);
  wait_for (&result);
  g_assert_true (tw_document_run_finish (document, result, &error));
  g_assert_no_error (error);
  g_assert_true (tw_document_run_get_task_data (result) == data);
  g_clear_object (&result);
  /* The worker thread lets go of the task just after it returned. */
  while ((left = g_weak_ref_get (&weak)) != NULL && g_get_monotonic_time () < deadline)
    {
      g_object_unref (left);
      g_usleep (1000);
    }
  g_assert_null (left);
  g_weak_ref_clear (&weak);
}

static void
on_policy_changed (TwDocument *document,
                   gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* Saving the policy: stored, audited, and the views told through changed::policy. */
static void
test_save_policy (void)
{
  g_autoptr(Project) p = make_project ();
  g_autoptr(GFile) file = g_file_new_for_path (p->path);
  g_autoptr(TwDocument) document = tw_document_new (file);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TwSuppressionPolicy policy, stored;
  guint changes = 0, notes = 0;

  g_assert_true (load (document, &error));
  g_signal_connect (document, "changed::policy", G_CALLBACK (on_policy_changed), &changes);
  g_signal_connect (document, "notify::policy", G_CALLBACK (count_notify), &notes);

  tw_suppression_policy_init (&policy);
  g_assert_true (tw_suppression_policy_set_min_count (&policy, 5, &error));
  tw_document_save_policy_async (document, &policy, NULL, on_result, &result);
  g_assert_true (tw_document_save_policy_finish (document, wait_for (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (notes, ==, 1);
  g_assert_cmpuint (tw_document_get_policy (document)->min_count, ==, 5);

  g_assert_true (tw_suppression_policy_load (&stored, p->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stored.min_count, ==, 5);
  g_assert_cmpint (stored.preset, ==, TW_SUPPRESSION_PRESET_CUSTOM);
}

/* A policy that cannot be saved leaves the document's as it was, and nothing is told. */
static void
test_save_policy_fails (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/gone.tractwise");
  g_autoptr(TwDocument) document = tw_document_new (file);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TwSuppressionPolicy policy;
  guint changes = 0;

  g_signal_connect (document, "changed::policy", G_CALLBACK (on_policy_changed), &changes);
  tw_suppression_policy_init (&policy);
  policy.min_count = 3;
  tw_document_save_policy_async (document, &policy, NULL, on_result, &result);
  g_assert_false (tw_document_save_policy_finish (document, wait_for (&result), &error));
  g_assert_error (error, TW_STORE_ERROR, TW_STORE_ERROR_NOT_FOUND);
  g_assert_cmpuint (changes, ==, 0);
  g_assert_cmpuint (tw_document_get_policy (document)->min_count, ==,
                    TW_SUPPRESSION_DEFAULT_MIN_COUNT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/document/load", test_load);
  g_test_add_func ("/data/document/load-policy", test_load_policy);
  g_test_add_func ("/data/document/missing-file", test_missing_file);
  g_test_add_func ("/data/document/not-a-project", test_not_a_project);
  g_test_add_func ("/data/document/not-local", test_not_local);
  g_test_add_func ("/data/document/properties", test_properties);
  g_test_add_func ("/data/document/changed-details", test_changed_details);
  g_test_add_func ("/data/document/run/write-then-read", test_run_write_then_read);
  g_test_add_func ("/data/document/run/read-refuses-writes", test_run_read_refuses_writes);
  g_test_add_func ("/data/document/run/errors", test_run_errors);
  g_test_add_func ("/data/document/run/frees-task-data", test_run_frees_task_data);
  g_test_add_func ("/data/document/open-store", test_open_store);
  g_test_add_func ("/data/document/save-policy", test_save_policy);
  g_test_add_func ("/data/document/save-policy-fails", test_save_policy_fails);

  return g_test_run ();
}
