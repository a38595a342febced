/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-dropdowns"

/* Every drop-down of the window at 1024×700 — the map's pickers and classes, the analysis
 * panel, the projects and partners pages, the import assistant, the export dialog and the
 * preferences — opened as a person opens it: no choice, in its list or on its button, is
 * cut short ("Boston tr…"), none with a single choice is greyed out as if broken, and none
 * is shown empty. */

#include "tw-analysis-panel.h"
#include "tw-application.h"
#include "tw-export-dialog.h"
#include "tw-import-dialog.h"
#include "tw-partners.h"
#include "tw-preferences-window.h"
#include "tw-project.h"
#include "tw-projects-page.h"
#include "tw-partners-page.h"
#include "tw-store.h"
#include "tw-window.h"
#include "tw-window-private.h"
#include "window-test-helpers.h"

#define WIDTH 1024
#define HEIGHT 700

static char *tmpdir;
static char *demo_path;
static TwApplication *app;

typedef struct
{
  const char *where;
  guint       n_checked;   /* drop-downs opened */
  GPtrArray  *problems;    /* char *, what was found */
} Walk;

static gboolean
is_dropdown (GtkWidget *widget)
{
  return GTK_IS_DROP_DOWN (widget) || ADW_IS_COMBO_ROW (widget);
}

static GListModel *
dropdown_model (GtkWidget *widget)
{
  return GTK_IS_DROP_DOWN (widget) ? gtk_drop_down_get_model (GTK_DROP_DOWN (widget))
                                   : adw_combo_row_get_model (ADW_COMBO_ROW (widget));
}

static const char *
dropdown_name (GtkWidget *widget)
{
  const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));

  if (ADW_IS_COMBO_ROW (widget))
    return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  return id != NULL ? id : G_OBJECT_TYPE_NAME (widget);
}

static void
collect_cut (GtkWidget  *root,
             const char *name,
             Walk       *walk)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root)
      && pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (root))))
    {
      gboolean listed = gtk_widget_get_ancestor (root, GTK_TYPE_POPOVER) != NULL;
      char *problem = g_strdup_printf ("%s, “%s”: “%s” is cut short %s", walk->where, name,
                                       gtk_label_get_text (GTK_LABEL (root)),
                                       listed ? "in its list" : "where it shows the choice");

      /* A long list scrolled page by page shows some rows twice. */
      if (!g_ptr_array_find_with_equal_func (walk->problems, problem, g_str_equal, NULL))
        g_ptr_array_add (walk->problems, problem);
      else
        g_free (problem);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_cut (child, name, walk);
}

static GtkWidget *
find_popover (GtkWidget *widget)
{
  return find_widget (widget, GTK_TYPE_POPOVER, NULL, NULL);
}

static gboolean
popover_shown (gpointer popover)
{
  return gtk_widget_get_mapped (popover);
}

static gboolean
popover_hidden (gpointer popover)
{
  return !gtk_widget_get_mapped (popover);
}

/* Opens @widget's list, looks at every row (scrolling a page at a time), closes it. */
static void
check_dropdown (GtkWidget *widget,
                Walk      *walk)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (widget));
  const char *name = dropdown_name (widget);
  guint n = g_list_model_get_n_items (dropdown_model (widget));
  GtkWidget *popover, *scrolled;

  walk->n_checked++;
  g_test_message ("%s: “%s”, %u choices", walk->where, name, n);
  if (n == 1 && !gtk_widget_is_sensitive (widget))
    g_ptr_array_add (walk->problems,
                     g_strdup_printf ("%s, “%s”: its one choice is greyed out", walk->where,
                                      name));
  if (n == 0)
    g_ptr_array_add (walk->problems,
                     g_strdup_printf ("%s, “%s”: it is shown with nothing to choose",
                                      walk->where, name));
  if (!gtk_widget_is_sensitive (widget) || n == 0)
    {
      collect_cut (widget, name, walk);
      return;
    }

  if (GTK_IS_DROP_DOWN (widget))
    g_signal_emit_by_name (widget, "activate");
  else
    gtk_widget_activate (widget);
  popover = find_popover (widget);
  g_assert_nonnull (popover);
  /* A popover is a surface of its own: the X server maps it. */
  spin_while (popover_hidden, popover);
  wait_for_frames (popover);
  collect_cut (widget, name, walk);
  if (g_strcmp0 (name, "_Suppression policy") == 0)
    image_free (render_window (popover, "dropdowns-policy-list.png"));

  scrolled = find_widget (popover, GTK_TYPE_SCROLLED_WINDOW, NULL, NULL);
  if (scrolled != NULL)
    {
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (
                                    GTK_SCROLLED_WINDOW (scrolled));

      while (gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)
             < gtk_adjustment_get_upper (adjustment))
        {
          gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment)
                                                + gtk_adjustment_get_page_size (adjustment));
          wait_for_frames (root);
          collect_cut (popover, name, walk);
        }
    }

  gtk_popover_popdown (GTK_POPOVER (popover));
  spin_while (popover_shown, popover);
  wait_for_frames (root);
}

/* Every drop-down shown under @root, in the order of the tree. */
static void
collect_dropdowns (GtkWidget *root,
                   GPtrArray *found)
{
  if (is_dropdown (root) && gtk_widget_get_mapped (root))
    g_ptr_array_add (found, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_dropdowns (child, found);
}

static void
check_all (GtkWidget  *root,
           const char *where,
           Walk       *walk)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  walk->where = where;
  collect_dropdowns (root, found);
  for (guint i = 0; i < found->len; i++)
    check_dropdown (found->pdata[i], walk);
}

/* A partner and a project of the demo, for the pages' drop-downs. */
static void
add_project (const char *path,
             gint64     *project_id,
             gint64     *partner_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = tw_store_open (path, &error);
  g_autoptr(TwPartner) partner = tw_partner_new ("Roxbury Asthma Coalition");
  g_autoptr(TwProject) project = tw_project_new ("Home asthma visits in Roxbury");

  g_assert_no_error (error);
  *partner_id = tw_partners_add (store, partner, &error);
  g_assert_no_error (error);
  project->measure = g_strdup ("asthma_ed");
  project->geography = g_strdup ("Boston tracts");
  project->start_date = g_strdup ("2020-01-01");
  tw_project_take_partner (project, partner->name, "home visits");
  *project_id = tw_project_add (store, project, &error);
  g_assert_no_error (error);
}

static gboolean
preferences_busy (gpointer preferences)
{
  return tw_preferences_window_get_busy (preferences);
}

static gboolean
import_reading (gpointer dialog)
{
  return g_strcmp0 (tw_import_dialog_get_page (dialog), "reading") == 0;
}

static gboolean
export_busy (gpointer dialog)
{
  return tw_export_dialog_get_busy (dialog);
}

static void
test_dropdowns_whole (void)
{
  gint64 project_id, partner_id;
  TwWindow *window;
  Walk walk = { NULL, 0, g_ptr_array_new_with_free_func (g_free) };
  GtkWidget *classes, *toggle, *dialog;
  TwProjectsPage *projects;
  TwPartnersPage *partners;
  g_autoptr(GFile) table = NULL;
  g_autofree char *csv = NULL;

  add_project (demo_path, &project_id, &partner_id);
  window = open_project_window (app, demo_path, WIDTH, HEIGHT);
  classes = find_by_id (GTK_WIDGET (window), "classes_button");
  toggle = find_widget (GTK_WIDGET (window), GTK_TYPE_TOGGLE_BUTTON, has_css_class,
                        "analysis-toggle");
  projects = tw_window_get_projects_page (window);
  partners = tw_window_get_partners_page (window);

  /* The map's pickers, then those of its Classes popover. */
  check_all (GTK_WIDGET (window), "The map", &walk);
  g_assert_nonnull (classes);
  gtk_menu_button_popup (GTK_MENU_BUTTON (classes));
  wait_for_frames (GTK_WIDGET (window));
  check_all (find_popover (classes), "The map's classes", &walk);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (classes));

  g_assert_nonnull (toggle);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  wait_for_frames (GTK_WIDGET (window));
  check_all (find_widget (GTK_WIDGET (window), TW_TYPE_ANALYSIS_PANEL, NULL, NULL),
             "The analysis panel", &walk);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), FALSE);

  adw_view_stack_set_visible_child_name (tw_window_get_view_stack (window), "projects");
  wait_for_frames (GTK_WIDGET (window));
  g_assert_cmpuint (tw_projects_page_get_n_projects (projects), >, 0);
  tw_projects_page_select (projects, project_id);
  wait_for_frames (GTK_WIDGET (window));
  check_all (GTK_WIDGET (projects), "The projects page", &walk);
  image_free (render_window (GTK_WIDGET (window), "dropdowns-projects.png"));

  adw_view_stack_set_visible_child_name (tw_window_get_view_stack (window), "partners");
  wait_for_frames (GTK_WIDGET (window));
  tw_partners_page_select (partners, partner_id);
  wait_for_frames (GTK_WIDGET (window));
  check_all (GTK_WIDGET (partners), "The partners page", &walk);
  adw_view_stack_set_visible_child_name (tw_window_get_view_stack (window), "map");
  wait_for_map (window);

  dialog = GTK_WIDGET (tw_window_export_map (window));
  g_assert_nonnull (dialog);
  spin_while (export_busy, dialog);
  wait_for_frames (dialog);
  check_all (dialog, "The export dialog", &walk);
  gtk_window_destroy (GTK_WINDOW (dialog));

  csv = g_build_filename (g_getenv ("TW_FIXTURES"), "outcomes", "nc-long.csv", NULL);
  table = g_file_new_for_path (csv);
  dialog = GTK_WIDGET (tw_import_dialog_new_for_document (GTK_WINDOW (window),
                                                          tw_window_get_document (window),
                                                          table));
  gtk_window_present (GTK_WINDOW (dialog));
  spin_while (import_reading, dialog);
  g_assert_cmpstr (tw_import_dialog_get_page (TW_IMPORT_DIALOG (dialog)), ==, "setup");
  wait_for_frames (dialog);
  check_all (dialog, "The import assistant", &walk);
  gtk_window_destroy (GTK_WINDOW (dialog));

  dialog = GTK_WIDGET (tw_preferences_window_new (GTK_WINDOW (window),
                                                  tw_application_get_settings (app)));
  gtk_window_present (GTK_WINDOW (dialog));
  spin_while (preferences_busy, dialog);
  wait_for_frames (dialog);
  check_all (dialog, "The preferences", &walk);
  gtk_window_destroy (GTK_WINDOW (dialog));

  for (guint i = 0; i < walk.problems->len; i++)
    g_test_message ("%s", (char *) walk.problems->pdata[i]);
  g_test_message ("%u drop-downs opened", walk.n_checked);
  g_assert_cmpuint (walk.n_checked, >=, 20);
  g_assert_cmpuint (walk.problems->len, ==, 0);
  g_ptr_array_unref (walk.problems);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  app = window_test_setup (&argc, &argv, "dropdowns", &tmpdir, &demo_path);

  g_test_add_func ("/ui/dropdowns/whole", test_dropdowns_whole);

  return window_test_run (app, tmpdir, demo_path);
}
