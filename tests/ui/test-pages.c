/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-pages"

/* The pages with a document and no window: what they list comes from the document, and
 * they follow its changed signal, as a view follows its model. */

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include <string.h>

#include "tw-analysis-panel.h"
#include "tw-document.h"
#include "tw-export-dialog.h"
#include "tw-map-session.h"
#include "tw-partners-page.h"
#include "tw-partners.h"
#include "tw-project.h"
#include "tw-projects-page.h"

static char *tmpdir;
static char *demo_path;

typedef gboolean (*Condition) (gpointer data);

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @condition holds; FALSE if it did not within @ms. */
static gboolean
spin_until (Condition condition,
            gpointer  data,
            guint     ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (ms, on_timeout, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return condition (data);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* Lets worker threads finish and their results arrive. */
static void
spin_for (guint ms)
{
  spin_until (never, NULL, ms);
}

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
  g_assert_true (tw_document_load_finish (TW_DOCUMENT (object), result, NULL));
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static TwDocument *
load_document (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TwDocument *document = tw_document_new (file);
  gboolean loaded = FALSE;

  tw_document_load_async (document, NULL, on_loaded, &loaded);
  g_assert_true (spin_until (is_true, &loaded, 30000));
  return document;
}

static void
add_project (const char *path,
             const char *title,
             const char *partner_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = tw_store_open (path, &error);
  g_autoptr(TwProject) project = tw_project_new (title);

  g_assert_no_error (error);
  project->measure = g_strdup ("asthma_ed");
  project->geography = g_strdup ("Boston tracts");
  project->start_date = g_strdup ("2020-01-01");
  if (partner_name != NULL)
    tw_project_take_partner (project, partner_name, "outreach");
  g_assert_cmpint (tw_project_add (store, project, &error), >, 0);
  g_assert_no_error (error);
}

static void
add_partner (const char *path,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = tw_store_open (path, &error);
  g_autoptr(TwPartner) partner = tw_partner_new (name);

  g_assert_no_error (error);
  g_assert_cmpint (tw_partners_add (store, partner, &error), >, 0);
  g_assert_no_error (error);
}

/* A copy of the demo with a partner and two projects. */
static char *
make_project_file (const char *name)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (demo_path, &contents, &length, &error));
  g_assert_true (g_file_set_contents (path, contents, length, &error));
  add_partner (path, "Roxbury Asthma Coalition");
  add_project (path, "Home asthma visits in Roxbury", "Roxbury Asthma Coalition");
  add_project (path, "School nurse asthma plans", NULL);
  return path;
}

typedef struct
{
  TwProjectsPage *page;
  guint           n;
} ProjectsWait;

static gboolean
projects_listed (gpointer data)
{
  ProjectsWait *wait = data;

  return tw_projects_page_get_n_projects (wait->page) == wait->n;
}

typedef struct
{
  TwPartnersPage *page;
  guint           n;
} PartnersWait;

static gboolean
partners_listed (gpointer data)
{
  PartnersWait *wait = data;

  return tw_partners_page_get_n_partners (wait->page) == wait->n;
}

static void
count_changes (TwDocument *document,
               gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* The page lists the document's projects, with the filters letting all through and the
 * first one open in the editor. */
static void
test_projects_listed (void)
{
  g_autofree char *path = make_project_file ("listed.tractwise");
  g_autoptr(TwDocument) document = load_document (path);
  g_autoptr(TwProjectsPage) page = g_object_ref_sink (tw_projects_page_new (document));
  ProjectsWait wait = { page, 2 };
  const TwProject *shown;

  g_assert_true (tw_projects_page_get_document (page) == document);
  g_assert_true (spin_until (projects_listed, &wait, 30000));
  g_assert_cmpuint (tw_projects_page_get_n_shown (page), ==, 2);
  g_assert_cmpint (tw_projects_page_get_selected (page), >, 0);
  shown = tw_project_editor_get_project (tw_projects_page_get_editor (page));
  g_assert_nonnull (shown);
  g_assert_cmpint (shown->id, ==, tw_projects_page_get_selected (page));

  /* The filters are the file's: one measure, one partner. */
  tw_projects_page_set_filter (page, NULL, "Roxbury Asthma Coalition", NULL);
  g_assert_cmpuint (tw_projects_page_get_n_shown (page), ==, 1);
  tw_projects_page_set_filter (page, NULL, NULL, "asthma_ed");
  g_assert_cmpuint (tw_projects_page_get_n_shown (page), ==, 2);
}

/* Another writer's project appears when, and only when, the document says projects
 * changed. */
static void
test_projects_follow_changed (void)
{
  g_autofree char *path = make_project_file ("changed.tractwise");
  g_autoptr(TwDocument) document = load_document (path);
  g_autoptr(TwProjectsPage) page = g_object_ref_sink (tw_projects_page_new (document));
  ProjectsWait wait = { page, 2 };

  g_assert_true (spin_until (projects_listed, &wait, 30000));
  add_project (path, "Asthma-friendly housing", NULL);
  spin_for (300);
  g_assert_cmpuint (tw_projects_page_get_n_projects (page), ==, 2);

  tw_document_emit_changed (document, TW_DOCUMENT_CHANGED_PROJECTS);
  wait.n = 3;
  g_assert_true (spin_until (projects_listed, &wait, 30000));
  g_assert_cmpuint (tw_projects_page_get_n_shown (page), ==, 3);

  /* A new partner is a new choice of the partner filter. */
  add_partner (path, "Dudley Street Clinic");
  add_project (path, "Clinic walk-ins", "Dudley Street Clinic");
  tw_document_emit_changed (document, TW_DOCUMENT_CHANGED_PARTNERS);
  wait.n = 4;
  g_assert_true (spin_until (projects_listed, &wait, 30000));
  tw_projects_page_set_filter (page, NULL, "Dudley Street Clinic", NULL);
  g_assert_cmpuint (tw_projects_page_get_n_shown (page), ==, 1);
}

/* The page's own delete shows at once and tells the other views, not itself. */
static void
test_projects_delete_tells_others (void)
{
  g_autofree char *path = make_project_file ("delete.tractwise");
  g_autoptr(TwDocument) document = load_document (path);
  g_autoptr(TwProjectsPage) page = g_object_ref_sink (tw_projects_page_new (document));
  ProjectsWait wait = { page, 2 };
  guint changes = 0;
  gint64 id;

  g_assert_true (spin_until (projects_listed, &wait, 30000));
  g_signal_connect (document, "changed::projects", G_CALLBACK (count_changes), &changes);
  id = tw_projects_page_get_selected (page);
  g_assert_true (tw_projects_page_delete (page, id));
  g_assert_cmpuint (tw_projects_page_get_n_projects (page), ==, 1);
  g_assert_cmpuint (changes, ==, 1);
  spin_for (200);
  g_assert_cmpuint (tw_projects_page_get_n_projects (page), ==, 1);

  g_assert_true (tw_projects_page_undo (page));
  g_assert_cmpuint (tw_projects_page_get_n_projects (page), ==, 2);
  g_assert_cmpint (tw_projects_page_get_selected (page), ==, id);
  g_assert_cmpuint (changes, ==, 2);
}

/* Another project file: the page shows that file's projects. */
static void
test_projects_switch_document (void)
{
  g_autofree char *path = make_project_file ("first.tractwise");
  g_autofree char *other = g_build_filename (tmpdir, "other.tractwise", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(TwDocument) document = load_document (path);
  g_autoptr(TwDocument) other_document = NULL;
  g_autoptr(TwProjectsPage) page = g_object_ref_sink (tw_projects_page_new (document));
  ProjectsWait wait = { page, 2 };
  guint notes = 0;

  g_assert_true (g_file_get_contents (demo_path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (other, contents, length, NULL));
  add_project (other, "Only one here", NULL);
  other_document = load_document (other);

  g_assert_true (spin_until (projects_listed, &wait, 30000));
  g_signal_connect (page, "notify::document", G_CALLBACK (count_notify), &notes);
  g_object_set (page, "document", other_document, NULL);
  /* The first file's projects go at once, not when the other's are read. */
  g_assert_cmpuint (tw_projects_page_get_n_projects (page), ==, 0);
  g_object_set (page, "document", other_document, NULL);
  g_assert_cmpuint (notes, ==, 1);
  wait.n = 1;
  g_assert_true (spin_until (projects_listed, &wait, 30000));

  /* The first document's changes are no longer the page's. */
  tw_document_emit_changed (document, TW_DOCUMENT_CHANGED_PROJECTS);
  spin_for (200);
  g_assert_cmpuint (tw_projects_page_get_n_projects (page), ==, 1);
}

/* A document whose file is gone: nothing listed, and no crash. */
static void
test_projects_missing_file (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "gone.tractwise", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(TwDocument) document = tw_document_new (file);
  g_autoptr(TwProjectsPage) page = g_object_ref_sink (tw_projects_page_new (document));

  spin_for (300);
  g_assert_cmpuint (tw_projects_page_get_n_projects (page), ==, 0);
  g_assert_false (tw_projects_page_delete (page, 1));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_partners_follow_changed (void)
{
  g_autofree char *path = make_project_file ("partners.tractwise");
  g_autoptr(TwDocument) document = load_document (path);
  g_autoptr(TwPartnersPage) page = g_object_ref_sink (tw_partners_page_new (document));
  PartnersWait wait = { page, 1 };
  guint changes = 0;
  gint64 added;

  g_assert_true (tw_partners_page_get_document (page) == document);
  g_assert_true (spin_until (partners_listed, &wait, 30000));
  g_assert_cmpint (tw_partners_page_get_selected (page), >, 0);

  add_partner (path, "Dudley Street Clinic");
  spin_for (300);
  g_assert_cmpuint (tw_partners_page_get_n_partners (page), ==, 1);
  tw_document_emit_changed (document, TW_DOCUMENT_CHANGED_PARTNERS);
  wait.n = 2;
  g_assert_true (spin_until (partners_listed, &wait, 30000));

  /* Its own add shows at once and tells the other views. */
  g_signal_connect (document, "changed::partners", G_CALLBACK (count_changes), &changes);
  added = tw_partners_page_add (page, "Mattapan Food Pantry");
  g_assert_cmpint (added, >, 0);
  g_assert_cmpuint (tw_partners_page_get_n_partners (page), ==, 3);
  g_assert_cmpint (tw_partners_page_get_selected (page), ==, added);
  g_assert_cmpuint (changes, ==, 1);
}

static guint
count_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    n++;
  return n;
}

typedef struct
{
  GtkWidget *list;
  guint      n;
} RowsWait;

static gboolean
rows_counted (gpointer data)
{
  RowsWait *wait = data;

  return count_rows (wait->list) == wait->n;
}

/* What a partner takes part in follows the projects: the projects page's own delete tells
 * the partners page on the same document. */
static void
test_partners_follow_projects (void)
{
  g_autofree char *path = make_project_file ("takes-part.tractwise");
  g_autoptr(TwDocument) document = load_document (path);
  g_autoptr(TwPartnersPage) partners = g_object_ref_sink (tw_partners_page_new (document));
  g_autoptr(TwProjectsPage) projects = g_object_ref_sink (tw_projects_page_new (document));
  PartnersWait partners_wait = { partners, 1 };
  ProjectsWait projects_wait = { projects, 2 };
  RowsWait rows;
  gint64 id = 0;

  g_assert_true (spin_until (partners_listed, &partners_wait, 30000));
  g_assert_true (spin_until (projects_listed, &projects_wait, 30000));
  rows.list = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (partners),
                                                         TW_TYPE_PARTNERS_PAGE,
                                                         "projects_list"));
  g_assert_cmpuint (count_rows (rows.list), ==, 1);

  /* Another writer's project with the partner: shown once the document says so. */
  add_project (path, "Asthma-friendly housing", "Roxbury Asthma Coalition");
  tw_document_emit_changed (document, TW_DOCUMENT_CHANGED_PROJECTS);
  rows.n = 2;
  g_assert_true (spin_until (rows_counted, &rows, 30000));

  /* The projects page deletes the first one with the partner. */
  projects_wait.n = 3;
  g_assert_true (spin_until (projects_listed, &projects_wait, 30000));
  tw_projects_page_set_filter (projects, NULL, "Roxbury Asthma Coalition", NULL);
  g_assert_cmpuint (tw_projects_page_get_n_shown (projects), ==, 2);
  id = tw_projects_page_get_selected (projects);
  g_assert_cmpint (id, >, 0);
  g_assert_true (tw_projects_page_delete (projects, id));
  rows.n = 1;
  g_assert_true (spin_until (rows_counted, &rows, 30000));
}

/* A review copy's document: its partners are shown with nothing to change. */
static void
test_partners_read_only (void)
{
  g_autofree char *path = make_project_file ("review.tractwise");
  g_autoptr(TwDocument) document = load_document (path);
  g_autoptr(TwDocument) editable = load_document (path);
  g_autoptr(GObject) review = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(TwPartnersPage) page = NULL;
  g_autoptr(TwPartnersPage) other = NULL;
  PartnersWait wait;
  GtkWidget *delete_button, *name_row;

  tw_document_set_review_session (document, review);
  page = g_object_ref_sink (tw_partners_page_new (document));
  other = g_object_ref_sink (tw_partners_page_new (editable));
  wait = (PartnersWait) { page, 1 };
  g_assert_true (spin_until (partners_listed, &wait, 30000));
  wait = (PartnersWait) { other, 1 };
  g_assert_true (spin_until (partners_listed, &wait, 30000));

  delete_button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page),
                                                             TW_TYPE_PARTNERS_PAGE,
                                                             "delete_button"));
  name_row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), TW_TYPE_PARTNERS_PAGE,
                                                        "name_row"));
  g_assert_false (gtk_widget_get_visible (delete_button));
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (name_row)));

  delete_button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (other),
                                                             TW_TYPE_PARTNERS_PAGE,
                                                             "delete_button"));
  name_row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (other), TW_TYPE_PARTNERS_PAGE,
                                                        "name_row"));
  g_assert_true (gtk_widget_get_visible (delete_button));
  g_assert_true (gtk_editable_get_editable (GTK_EDITABLE (name_row)));
}

/* The analysis panel */

static gboolean
session_ready (gpointer session)
{
  return !tw_map_session_get_busy (session) && tw_map_session_get_choropleth (session) != NULL;
}

static gboolean
panel_idle (gpointer panel)
{
  return !tw_analysis_panel_get_busy (panel);
}

/* The demo's SIDS map of 1974–78 on North Carolina's counties, computed by a session. */
static TwMapSession *
open_sids_session (TwDocument *document)
{
  TwMapSession *session = tw_map_session_new ();

  tw_map_session_set_document (session, document);
  g_assert_true (spin_until (session_ready, session, 60000));
  tw_map_session_set_measure (session, "sids");
  tw_map_session_set_period (session, "1974-1978");
  spin_for (50);
  g_assert_true (spin_until (session_ready, session, 60000));
  g_assert_cmpstr (tw_map_session_get_geography (session), ==, "North Carolina counties");
  return session;
}

/* Given a document and a rate map, and no window, the panel runs LISA through the document:
 * the window test's (and the command line's) global Moran's I, and the file untouched. */
static void
test_analysis_runs_on_document (void)
{
  g_autoptr(TwDocument) document = load_document (demo_path);
  g_autoptr(TwMapSession) session = open_sids_session (document);
  TwAnalysisPanel *panel = g_object_new (TW_TYPE_ANALYSIS_PANEL, NULL);
  TwChoropleth *map = tw_map_session_get_choropleth (session);
  g_autoptr(GFileInfo) before = NULL, after = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (demo_path);
  const char *attributes = G_FILE_ATTRIBUTE_TIME_MODIFIED "," G_FILE_ATTRIBUTE_STANDARD_SIZE;
  const TwAnalysis *analysis;

  g_object_ref_sink (panel);
  before = g_file_query_info (file, attributes, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  tw_analysis_panel_set_choropleth (panel, document, map);
  {
    g_autoptr(TwDocument) shown = NULL;

    g_object_get (panel, "document", &shown, NULL);
    g_assert_true (shown == document);
  }
  tw_analysis_panel_set_kind (panel, TW_ANALYSIS_LISA);
  tw_analysis_panel_run (panel);
  g_assert_true (tw_analysis_panel_get_busy (panel));
  g_assert_true (spin_until (panel_idle, panel, 120000));
  analysis = tw_analysis_panel_get_analysis (panel);
  if (analysis == NULL)
    g_error ("No analysis: %s", tw_analysis_panel_get_status_text (panel));
  g_assert_cmpint (analysis->kind, ==, TW_ANALYSIS_LISA);
  g_assert_cmpuint (analysis->n_areas, ==,
                    tw_area_layer_get_n_areas (tw_choropleth_get_layer (map)));
  g_assert_nonnull (strstr (tw_analysis_panel_get_global_text (panel), "I = 0.3496"));
  g_assert_nonnull (strstr (tw_analysis_panel_get_global_text (panel), "68 suppressed left out"));

  after = g_file_query_info (file, attributes, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  g_assert_cmpint (g_file_info_get_size (after), ==, g_file_info_get_size (before));
  g_assert_cmpuint (g_file_info_get_attribute_uint64 (after, G_FILE_ATTRIBUTE_TIME_MODIFIED), ==,
                    g_file_info_get_attribute_uint64 (before, G_FILE_ATTRIBUTE_TIME_MODIFIED));
  g_object_unref (panel);
}

/* A document whose file went away: the panel says the analysis could not run, and shows
 * no result, instead of crashing or hanging. */
static void
test_analysis_missing_file (void)
{
  g_autofree char *copy = g_build_filename (tmpdir, "analysis-gone.tractwise", NULL);
  g_autoptr(GFile) source = g_file_new_for_path (demo_path);
  g_autoptr(GFile) target = g_file_new_for_path (copy);
  g_autoptr(TwDocument) document = NULL;
  g_autoptr(TwMapSession) session = NULL;
  TwAnalysisPanel *panel = g_object_new (TW_TYPE_ANALYSIS_PANEL, NULL);

  g_object_ref_sink (panel);
  g_assert_true (g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, NULL));
  document = load_document (copy);
  session = open_sids_session (document);
  g_assert_cmpint (g_unlink (copy), ==, 0);
  /* The attributes cannot be listed either: one warning, not a crash. */
  g_test_expect_message ("tw-analysis-panel", G_LOG_LEVEL_WARNING,
                         "Could not list the attributes*");
  tw_analysis_panel_set_choropleth (panel, document, tw_map_session_get_choropleth (session));

  tw_analysis_panel_set_kind (panel, TW_ANALYSIS_LISA);
  tw_analysis_panel_run (panel);
  g_assert_true (spin_until (panel_idle, panel, 120000));
  g_assert_null (tw_analysis_panel_get_analysis (panel));
  g_assert_nonnull (strstr (tw_analysis_panel_get_status_text (panel),
                            "The analysis could not run"));
  spin_for (200);
  g_test_assert_expected_messages ();
  g_object_unref (panel);
}

/* The export dialog */

/* Given the session and no window, the dialog refuses a map in the analyst view and takes
 * the session's next map once the view is turned off: no window, no idle callback. */
static void
test_export_follows_session (void)
{
  g_autoptr(TwDocument) document = load_document (demo_path);
  g_autoptr(TwMapSession) session = open_sids_session (document);
  TwExportDialog *dialog;

  tw_map_session_set_reveal (session, TRUE);
  g_assert_true (spin_until (session_ready, session, 60000));
  g_assert_true (tw_choropleth_get_reveal (tw_map_session_get_choropleth (session)));

  dialog = tw_export_dialog_new (NULL, document, session, NULL, NULL);
  g_assert_true (tw_export_dialog_get_refused (dialog));
  g_assert_false (tw_export_dialog_get_view_available (dialog));

  tw_map_session_set_reveal (session, FALSE);
  g_assert_true (spin_until (session_ready, session, 60000));
  g_assert_false (tw_export_dialog_get_refused (dialog));
  g_assert_false (tw_choropleth_get_reveal (tw_map_session_get_choropleth (session)));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int   argc,
      char *argv[])
{
  const char *cli = g_getenv ("TW_CLI");
  int status;

  g_setenv ("GTK_A11Y", "none", FALSE);
  g_test_init (&argc, &argv, NULL);
  gtk_init ();

  tmpdir = g_dir_make_tmp ("tw-test-pages-XXXXXX", NULL);
  demo_path = g_build_filename (tmpdir, "demo.tractwise", NULL);
  {
    g_autofree char *script = g_test_build_filename (G_TEST_DIST, "..", "..", "build-aux",
                                                     "make-demo", NULL);
    const char *args[] = { script, cli, demo_path, NULL };
    g_autoptr(GError) error = NULL;
    int wait_status = 0;

    g_assert_nonnull (cli);
    g_assert_true (g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                                 NULL, &wait_status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (wait_status, &error));
  }

  g_test_add_func ("/ui/pages/projects/listed", test_projects_listed);
  g_test_add_func ("/ui/pages/projects/follow-changed", test_projects_follow_changed);
  g_test_add_func ("/ui/pages/projects/delete-tells-others", test_projects_delete_tells_others);
  g_test_add_func ("/ui/pages/projects/switch-document", test_projects_switch_document);
  g_test_add_func ("/ui/pages/projects/missing-file", test_projects_missing_file);
  g_test_add_func ("/ui/pages/partners/follow-changed", test_partners_follow_changed);
  g_test_add_func ("/ui/pages/partners/read-only", test_partners_read_only);
  g_test_add_func ("/ui/pages/partners/follow-projects", test_partners_follow_projects);
  g_test_add_func ("/ui/pages/analysis/runs-on-document", test_analysis_runs_on_document);
  g_test_add_func ("/ui/pages/analysis/missing-file", test_analysis_missing_file);
  g_test_add_func ("/ui/pages/export/follows-session", test_export_follows_session);

  status = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *file = g_build_filename (tmpdir, name, NULL);

        g_unlink (file);
      }
    g_rmdir (tmpdir);
  }
  g_free (demo_path);
  g_free (tmpdir);
  return status;
}
