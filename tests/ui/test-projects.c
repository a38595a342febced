/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-projects"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "tw-application.h"
#include "tw-store-private.h"
#include "tw-evaluation-panel.h"
#include "tw-palette.h"
#include "tw-partners.h"
#include "tw-partners-page.h"
#include "tw-project.h"
#include "tw-project-timeline.h"
#include "tw-projects-page.h"
#include "tw-window.h"
#include "tw-window-private.h"
#include "window-test-helpers.h"

#define WIDTH 1280
#define HEIGHT 860

static char *tmpdir;
static char *demo_path;
static TwApplication *app;

static gboolean
evaluation_busy (gpointer panel)
{
  return tw_evaluation_panel_get_busy (panel);
}

/* The window and its pages */

static TwProjectsPage *
projects_page (TwWindow *window)
{
  return TW_PROJECTS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window), TW_TYPE_WINDOW,
                                                          "projects_page"));
}

static TwPartnersPage *
partners_page (TwWindow *window)
{
  return TW_PARTNERS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (window), TW_TYPE_WINDOW,
                                                          "partners_page"));
}

static void
show_page (TwWindow   *window,
           const char *name)
{
  AdwViewStack *stack = ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                       TW_TYPE_WINDOW,
                                                                       "view_stack"));

  adw_view_stack_set_visible_child_name (stack, name);
  wait_for_frames (GTK_WIDGET (window));
}

/* Map widget coordinates of world point (@wx, @wy). */
static void
world_to_map (TwWindow *window,
              double    wx,
              double    wy,
              double   *x,
              double   *y)
{
  ShumateViewport *viewport = shumate_simple_map_get_viewport (tw_window_get_map (window));
  double lon, lat;

  tw_world_to_lonlat (wx, wy, &lon, &lat);
  shumate_viewport_location_to_widget_coords (viewport, map_widget (window), lat, lon, x, y);
}

static void
select_geography (TwWindow   *window,
                  const char *name)
{
  select_picker (window, "geography", name);
  /* Let the old layer's work be cancelled before waiting for the new one. */
  for (int k = 0; k < 20; k++)
    g_main_context_iteration (NULL, FALSE);
  wait_for_map (window);
  g_assert_cmpstr (tw_area_layer_get_geography_name (tw_window_get_area_layer (window)), ==,
                   name);
}

/* A copy of the demo with a partner and a project on five Boston tracts. */
static char *
make_project_file (gint64 *project_id,
                   gint64 *partner_id)
{
  static guint counter;
  g_autofree char *name = g_strdup_printf ("projects-%u.tractwise", counter++);
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwPartner) partner = tw_partner_new ("Roxbury Asthma Coalition");
  g_autoptr(TwProject) project = tw_project_new ("Home asthma visits in Roxbury");
  const char *tracts[] = { "0801", "0802", "0803", "0805", "0807" };

  g_assert_true (g_file_get_contents (demo_path, &contents, &length, &error));
  g_assert_true (g_file_set_contents (path, contents, length, &error));
  store = tw_store_open (path, &error);
  g_assert_no_error (error);

  partner->kind = g_strdup ("community-based organization");
  partner->agreement = g_strdup (TW_PARTNER_AGREEMENT_MOU);
  partner->contact = g_strdup ("Dana Ortiz");
  *partner_id = tw_partners_add (store, partner, &error);
  g_assert_no_error (error);

  project->aim = g_strdup ("Fewer emergency visits for asthma through home visits");
  project->measure = g_strdup ("asthma_ed");
  project->geography = g_strdup ("Boston tracts");
  project->start_date = g_strdup ("2020-01-01");
  project->end_date = g_strdup ("2022-06-30");
  project->status = g_strdup (TW_PROJECT_STATUS_ACTIVE);
  project->budget = 120000;
  project->goal_percent = 10;
  tw_project_take_partner (project, partner->name, "home visits");
  for (guint i = 0; i < G_N_ELEMENTS (tracts); i++)
    tw_project_take_area (project, tracts[i]);
  g_ptr_array_add (project->milestones, tw_milestone_new ("Hire community health workers",
                                                          "2020-03-01", "2020-02-20"));
  g_ptr_array_add (project->milestones, tw_milestone_new ("First 100 homes visited",
                                                          "2020-09-30", NULL));
  *project_id = tw_project_add (store, project, &error);
  g_assert_no_error (error);

  /* A second, planned project, for the timeline. */
  {
    g_autoptr(TwProject) second = tw_project_new ("Diabetes self-management classes");

    second->measure = g_strdup ("diabetes_uncontrolled");
    second->geography = g_strdup ("Boston tracts");
    second->start_date = g_strdup ("2025-09-01");
    second->end_date = g_strdup ("2026-12-31");
    tw_project_take_area (second, "0101");
    tw_project_add (store, second, &error);
    g_assert_no_error (error);
  }
  return path;
}

static TwWindow *
open_file (const char *path)
{
  return open_project_window (app, path, WIDTH, HEIGHT);
}

/* Scrolls the editor down to the evaluation and takes a screenshot. */
static void
render_evaluation (TwWindow          *window,
                   TwEvaluationPanel *panel,
                   const char        *name)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (panel), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (
                                GTK_SCROLLED_WINDOW (scrolled));
  g_autoptr(Image) image = NULL;
  double y = 0;
  graphene_point_t point;

  wait_for_frames (GTK_WIDGET (window));
  if (gtk_widget_compute_point (GTK_WIDGET (panel), gtk_scrolled_window_get_child (
                                  GTK_SCROLLED_WINDOW (scrolled)),
                                &GRAPHENE_POINT_INIT (0, 0), &point))
    y = point.y;
  gtk_adjustment_set_value (adjustment, y - 60);
  wait_for_frames (GTK_WIDGET (window));
  image = render_window (GTK_WIDGET (window), name);
}

/* Tests */

static void
test_rectangle_pick (void)
{
  gint64 project_id, partner_id;
  g_autofree char *path = make_project_file (&project_id, &partner_id);
  TwWindow *window = open_file (path);
  TwProjectsPage *page = projects_page (window);
  TwAreaLayer *layer;
  TwGeometrySet *geometry;
  GtkWidget *map = map_widget (window);
  double w = gtk_widget_get_width (map), h = gtk_widget_get_height (map);
  double x0 = w * 0.35, y0 = h * 0.35, x1 = w * 0.6, y1 = h * 0.65;
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  g_auto(GStrv) chosen = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwProject) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Image) image = NULL;
  guint n_partly = 0;

  select_geography (window, "Boston tracts");
  layer = tw_window_get_area_layer (window);
  geometry = tw_area_layer_get_geometry (layer);
  g_assert_true (tw_projects_page_pick_begin (page, project_id));
  g_assert_true (tw_projects_page_get_picking (page));
  tw_projects_page_set_pick_tool (page, TW_PICK_TOOL_RECTANGLE);
  tw_projects_page_pick_rectangle (page, x0, y0, x1, y1, FALSE);
  chosen = tw_projects_page_get_chosen (page);

  /* Independently: an area is inside when all four corners of its box are. */
  for (guint i = 0; i < tw_area_layer_get_n_areas (layer); i++)
    {
      TwBox box;
      double ax0, ay0, ax1, ay1;
      gboolean in, meets;

      tw_geometry_set_get_area_box (geometry, i, &box);
      world_to_map (window, box.min_x, box.min_y, &ax0, &ay0);
      world_to_map (window, box.max_x, box.max_y, &ax1, &ay1);
      in = ax0 >= x0 && ax1 <= x1 && ay0 >= y0 && ay1 <= y1;
      meets = ax1 >= x0 && ax0 <= x1 && ay1 >= y0 && ay0 <= y1;
      if (in)
        g_ptr_array_add (expected, (gpointer) tw_area_layer_get_geoid (layer, i));
      else if (meets)
        n_partly++;
    }
  g_test_message ("%u areas inside the rectangle, %u partly", expected->len, n_partly);
  g_assert_cmpuint (expected->len, >=, 5);
  g_assert_cmpuint (n_partly, >, 0);
  g_assert_cmpuint (g_strv_length (chosen), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_true (g_strv_contains ((const char *const *) chosen,
                                    g_ptr_array_index (expected, i)));

  wait_for_frames (GTK_WIDGET (window));
  g_clear_pointer (&image, image_free);
  image = render_window (GTK_WIDGET (window), "projects-picking.png");

  /* Done writes the choice to the file as the project's target areas. */
  g_assert_true (tw_projects_page_pick_finish (page, TRUE));
  store = tw_store_open (path, &error);
  g_assert_no_error (error);
  stored = tw_project_get (store, project_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->areas->len, ==, expected->len);
  for (guint i = 0; i < stored->areas->len; i++)
    g_assert_true (g_strv_contains ((const char *const *) chosen,
                                    g_ptr_array_index (stored->areas, i)));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_footprint_drawn (void)
{
  gint64 project_id, partner_id;
  g_autofree char *path = make_project_file (&project_id, &partner_id);
  TwWindow *window = open_file (path);
  TwAreaLayer *layer;
  TwGeometrySet *geometry;
  g_autoptr(Image) image = NULL;
  guint32 outline = tw_palette_fixed_color (TW_COLOR_PROJECT_OUTLINE);
  const char *tracts[] = { "0801", "0802", "0803", "0805", "0807" };
  TwBox all = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
  double ox, oy, ax0, ay0, ax1, ay1;
  guint near = 0, far = 0;

  select_geography (window, "Boston tracts");
  show_page (window, "projects");
  show_page (window, "map");
  layer = tw_window_get_area_layer (window);
  geometry = tw_area_layer_get_geometry (layer);
  /* Only this project's footprint (the other one is on diabetes). */
  tw_projects_page_set_filter (projects_page (window), NULL, NULL, "asthma_ed");
  g_assert_cmpuint (tw_projects_page_get_n_shown (projects_page (window)), ==, 1);
  g_assert_cmpuint (tw_footprint_layer_get_n_footprints (
                      tw_projects_page_get_footprints (projects_page (window))), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (tracts); i++)
    {
      int area = tw_area_layer_find_geoid (layer, tracts[i]);
      TwBox box;

      g_assert_cmpint (area, >=, 0);
      tw_geometry_set_get_area_box (geometry, area, &box);
      all.min_x = MIN (all.min_x, box.min_x);
      all.min_y = MIN (all.min_y, box.min_y);
      all.max_x = MAX (all.max_x, box.max_x);
      all.max_y = MAX (all.max_y, box.max_y);
    }
  /* Close enough to see the five tracts. */
  {
    double lon, lat;

    tw_world_to_lonlat ((all.min_x + all.max_x) / 2, (all.min_y + all.max_y) / 2, &lon, &lat);
    shumate_viewport_set_zoom_level (shumate_simple_map_get_viewport (tw_window_get_map (window)),
                                     14);
    shumate_map_center_on (shumate_simple_map_get_map (tw_window_get_map (window)), lat, lon);
  }
  wait_for_map (window);
  image = render_window (GTK_WIDGET (window), "projects-footprint.png");

  g_assert_true (gtk_widget_translate_coordinates (map_widget (window), GTK_WIDGET (window),
                                                   0, 0, &ox, &oy));
  world_to_map (window, all.min_x, all.min_y, &ax0, &ay0);
  world_to_map (window, all.max_x, all.max_y, &ax1, &ay1);
  ax0 += ox, ax1 += ox, ay0 += oy, ay1 += oy;
  for (int y = (int) oy; y < MIN (image->height, (int) oy + gtk_widget_get_height (
                                    map_widget (window))); y++)
    for (int x = (int) ox; x < MIN (image->width, (int) ox + gtk_widget_get_width (
                                      map_widget (window))); x++)
      {
        gboolean inside = x >= ax0 - 3 && x <= ax1 + 3 && y >= ay0 - 3 && y <= ay1 + 3;
        /* The label is drawn below the footprint in dark text, never in this colour. */
        gboolean is_outline = color_distance (pixel (image, x, y), outline) <= 20;

        if (!is_outline)
          continue;
        if (inside)
          near++;
        else if (x < ax0 - 40 || x > ax1 + 40 || y < ay0 - 40 || y > ay1 + 40)
          far++;
      }
  g_test_message ("Footprint box %.0f,%.0f–%.0f,%.0f: %u outline pixels there, %u far away",
                  ax0, ay0, ax1, ay1, near, far);
  g_assert_cmpuint (near, >, 100);
  g_assert_cmpuint (far, ==, 0);

  /* Toggled off, it is gone. */
  tw_projects_page_set_footprint_shown (projects_page (window), project_id, FALSE);
  wait_for_frames (GTK_WIDGET (window));
  g_clear_pointer (&image, image_free);
  image = render_window (GTK_WIDGET (window), "projects-footprint-off.png");
  near = 0;
  for (int y = MAX (0, (int) ay0 - 3); y < MIN (image->height, (int) ay1 + 3); y++)
    for (int x = MAX (0, (int) ax0 - 3); x < MIN (image->width, (int) ax1 + 3); x++)
      near += color_distance (pixel (image, x, y), outline) <= 20;
  g_assert_cmpuint (near, <, 10);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
project_in_file (const char *path,
                 gint64      id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = tw_store_open (path, &error);
  g_autoptr(TwProject) project = NULL;

  g_assert_no_error (error);
  project = tw_project_get (store, id, NULL);
  return project != NULL;
}

static void
test_undo_delete (void)
{
  gint64 project_id, partner_id;
  g_autofree char *path = make_project_file (&project_id, &partner_id);
  TwWindow *window = open_file (path);
  TwProjectsPage *page = projects_page (window);
  g_autoptr(TwProject) before = NULL;
  g_autoptr(TwProject) after = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(GError) error = NULL;

  show_page (window, "projects");
  g_assert_cmpuint (tw_projects_page_get_n_projects (page), ==, 2);
  store = tw_store_open (path, &error);
  before = tw_project_get (store, project_id, &error);
  g_assert_no_error (error);
  g_clear_pointer (&store, tw_store_close);

  g_assert_true (tw_projects_page_delete (page, project_id));
  g_assert_cmpuint (tw_projects_page_get_n_projects (page), ==, 1);
  g_assert_false (project_in_file (path, project_id));
  wait_for_frames (GTK_WIDGET (window));
  g_clear_pointer (&store, tw_store_close);
  {
    g_autoptr(Image) image = render_window (GTK_WIDGET (window), "projects-deleted.png");
  }

  g_assert_true (tw_projects_page_undo (page));
  g_assert_cmpuint (tw_projects_page_get_n_projects (page), ==, 2);
  g_assert_cmpint (tw_projects_page_get_selected (page), ==, project_id);
  store = tw_store_open (path, &error);
  after = tw_project_get (store, project_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (after->title, ==, before->title);
  g_assert_cmpuint (after->areas->len, ==, 5);
  g_assert_cmpuint (after->partners->len, ==, 1);
  g_assert_cmpuint (after->milestones->len, ==, 2);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_partner_in_use (void)
{
  gint64 project_id, partner_id;
  g_autofree char *path = make_project_file (&project_id, &partner_id);
  TwWindow *window = open_file (path);
  TwPartnersPage *page = partners_page (window);
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwPartner) partner = NULL;
  gint64 spare;

  show_page (window, "partners");
  g_assert_cmpuint (tw_partners_page_get_n_partners (page), ==, 1);
  g_assert_false (tw_partners_page_delete (page, partner_id));
  g_test_message ("Refusal: %s", tw_partners_page_get_message (page));
  g_assert_nonnull (strstr (tw_partners_page_get_message (page),
                            "Home asthma visits in Roxbury"));
  store = tw_store_open (path, &error);
  partner = tw_partners_get (store, partner_id, &error);
  g_assert_no_error (error);
  g_clear_pointer (&store, tw_store_close);

  /* A partner no project uses goes, and comes back with Undo. */
  spare = tw_partners_page_add (page, "Dudley Street Clinic");
  g_assert_cmpint (spare, >, 0);
  g_assert_cmpuint (tw_partners_page_get_n_partners (page), ==, 2);
  g_assert_true (tw_partners_page_delete (page, spare));
  g_assert_cmpuint (tw_partners_page_get_n_partners (page), ==, 1);
  g_assert_true (tw_partners_page_undo (page));
  g_assert_cmpuint (tw_partners_page_get_n_partners (page), ==, 2);
  tw_partners_page_select (page, partner_id);
  wait_for_frames (GTK_WIDGET (window));
  {
    GList *toplevels = gtk_window_list_toplevels ();

    /* The refusal was shown in a dialog over the window. */
    for (GList *l = toplevels; l != NULL; l = l->next)
      if (ADW_IS_MESSAGE_DIALOG (l->data))
        gtk_window_destroy (l->data);
    g_list_free (toplevels);
  }
  wait_for_frames (GTK_WIDGET (window));
  {
    g_autoptr(Image) image = render_window (GTK_WIDGET (window), "page-partners.png");
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_screenshots (void)
{
  gint64 project_id, partner_id;
  g_autofree char *path = make_project_file (&project_id, &partner_id);
  TwWindow *window = open_file (path);
  TwProjectsPage *page = projects_page (window);
  TwEvaluationPanel *panel;
  g_autofree char *text = NULL;

  select_geography (window, "Boston tracts");
  {
    g_autoptr(Image) image = render_window (GTK_WIDGET (window), "page-map.png");
  }
  show_page (window, "projects");
  tw_projects_page_select (page, project_id);
  panel = tw_project_editor_get_evaluation (tw_projects_page_get_editor (page));
  spin_while (evaluation_busy, panel);
  text = tw_evaluation_panel_get_text (panel);
  g_test_message ("Evaluation: %s", text);
  /* Only the target areas whose counts are shown in every period used are pooled; the DiD's
   * interval holds 0, so the panel says so and shows no progress bar. */
  g_assert_nonnull (strstr (text, "Target areas (4 of 5 areas)"));
  g_assert_nonnull (strstr (text, "No detectable change"));
  g_assert_nonnull (strstr (text, "Not distinguishable from the change in the comparison "
                                  "areas."));
  g_assert_null (strstr (text, "of the goal"));
  g_assert_null (strstr (text, "Progress bar"));
  {
    g_autoptr(Image) image = NULL;

    wait_for_frames (GTK_WIDGET (window));
    image = render_window (GTK_WIDGET (window), "page-projects.png");
  }
  render_evaluation (window, panel, "page-projects-evaluation.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The goal is a number of percent in a spin button beside "Improve the rate by": what is
 * typed is written, and what the store would refuse (−10) cannot be entered. */
static void
test_goal_field (void)
{
  gint64 project_id, partner_id;
  g_autofree char *path = make_project_file (&project_id, &partner_id);
  TwWindow *window = open_file (path);
  TwProjectsPage *page = projects_page (window);
  TwProjectEditor *editor;
  GtkWidget *row, *spin, *scrolled;
  GtkAdjustment *adjustment;
  graphene_point_t point;

  show_page (window, "projects");
  tw_projects_page_select (page, project_id);
  editor = tw_projects_page_get_editor (page);
  row = find_by_id (GTK_WIDGET (editor), "goal_row");
  spin = find_by_id (GTK_WIDGET (editor), "goal_spin");
  g_assert_nonnull (row);
  g_assert_nonnull (spin);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Improve the rate by");
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 10);

  gtk_editable_set_text (GTK_EDITABLE (spin), "25");
  gtk_spin_button_update (GTK_SPIN_BUTTON (spin));
  tw_project_editor_flush (editor);
  g_assert_cmpfloat (tw_project_editor_get_project (editor)->goal_percent, ==, 25);

  /* A minus sign is no goal the store takes: the field cannot hold it, nothing is refused. */
  gtk_editable_set_text (GTK_EDITABLE (spin), "-10");
  gtk_spin_button_update (GTK_SPIN_BUTTON (spin));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), >=, 0);
  g_assert_null (strstr (gtk_editable_get_text (GTK_EDITABLE (spin)), "-"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 15);
  tw_project_editor_flush (editor);
  g_assert_cmpfloat (tw_project_editor_get_project (editor)->goal_percent, ==, 15);

  scrolled = gtk_widget_get_ancestor (row, GTK_TYPE_SCROLLED_WINDOW);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  wait_for_frames (GTK_WIDGET (window));
  if (gtk_widget_compute_point (row, gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)),
                                &GRAPHENE_POINT_INIT (0, 0), &point))
    gtk_adjustment_set_value (adjustment, point.y - 200);
  wait_for_frames (GTK_WIDGET (window));
  {
    g_autoptr(Image) image = render_window (GTK_WIDGET (window), "projects-goal.png");
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A project whose target areas halved their visits after its start, while the others did
 * not: the DiD's interval lies below 0, so the panel says "Improved" and shows the progress
 * toward its goal (60% lower: a change of −0.6 × 127.4 per 10,000) with its interval, and a
 * bar at it. */
static void
test_verdict_improved (void)
{
  gint64 project_id, partner_id;
  g_autofree char *path = make_project_file (&project_id, &partner_id);
  g_autoptr(TwProject) project = tw_project_new ("Halved visits");
  g_autoptr(GError) error = NULL;
  const char *tracts[] = { "0901", "0902", "0903", "0904", "0905" };
  TwWindow *window;
  TwProjectsPage *page;
  TwEvaluationPanel *panel;
  g_autofree char *text = NULL;
  const char *bar;

  {
    g_autoptr(TwStore) store = tw_store_open (path, &error);

    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_exec (tw_store_get_db (store),
                                   "UPDATE outcome_value SET numerator = max (11, round "
                                   "(numerator * 0.5)) WHERE measure_id = (SELECT id FROM "
                                   "measure WHERE code = 'asthma_ed') AND area_id IN (SELECT id "
                                   "FROM area WHERE geoid IN ('0901', '0902', '0903', '0904', "
                                   "'0905')) AND period_id IN (SELECT id FROM period WHERE label "
                                   "IN ('2020', '2021')) AND stratum_id = (SELECT id FROM "
                                   "stratum WHERE label = 'all')", NULL, NULL, NULL), ==,
                     SQLITE_OK);
    project->measure = g_strdup ("asthma_ed");
    project->geography = g_strdup ("Boston tracts");
    project->start_date = g_strdup ("2020-01-01");
    project->goal_percent = 60;
    for (guint i = 0; i < G_N_ELEMENTS (tracts); i++)
      tw_project_take_area (project, tracts[i]);
    project_id = tw_project_add (store, project, &error);
    g_assert_no_error (error);
  }

  window = open_file (path);
  page = projects_page (window);
  show_page (window, "projects");
  tw_projects_page_select (page, project_id);
  panel = tw_project_editor_get_evaluation (tw_projects_page_get_editor (page));
  spin_while (evaluation_busy, panel);
  text = tw_evaluation_panel_get_text (panel);
  g_test_message ("Evaluation: %s", text);
  /* (Halving only the totals leaves groups above them: where the total minus the groups no
   * longer fits, the total is hidden and that target area is left out.) */
  g_assert_nonnull (strstr (text, "Target areas ("));
  g_assert_nonnull (strstr (text, "Verdict Improved"));
  g_assert_nonnull (strstr (text, "% of the goal (95% interval "));
  g_assert_null (strstr (text, "Not distinguishable"));
  bar = strstr (text, "Progress bar ");
  g_assert_nonnull (bar);
  /* The bar stands at the estimate the text gives first. */
  g_assert_cmpfloat (g_ascii_strtod (strstr (text, "Verdict Improved ")
                                     + strlen ("Verdict Improved "), NULL), ==,
                     g_ascii_strtod (bar + strlen ("Progress bar "), NULL));
  render_evaluation (window, panel, "page-projects-improved.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* What the window says holds no terminal words: no path, no tractwise-cli, no --option. */
static void
assert_window_words (const char *text)
{
  g_test_message ("Window text: %s", text);
  g_assert_null (strchr (text, '/'));
  g_assert_null (strstr (text, "tractwise-cli"));
  g_assert_null (strstr (text, "--"));
}

static gboolean
label_contains (GtkWidget     *widget,
                gconstpointer  text)
{
  return gtk_widget_get_mapped (widget)
         && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static gboolean
not_picking (gpointer page)
{
  return !tw_projects_page_get_picking (page);
}

/* A project without target areas: the evaluation says so in the window's words and offers
 * Choose on Map, which starts picking areas on the map. */
static void
test_no_target_areas (void)
{
  gint64 project_id, partner_id;
  g_autofree char *path = make_project_file (&project_id, &partner_id);
  g_autoptr(TwProject) project = tw_project_new ("Asthma education in schools");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  TwWindow *window;
  TwProjectsPage *page;
  TwEvaluationPanel *panel;
  GtkWidget *button;

  {
    g_autoptr(TwStore) store = tw_store_open (path, &error);

    g_assert_no_error (error);
    project->measure = g_strdup ("asthma_ed");
    project->geography = g_strdup ("Boston tracts");
    project->start_date = g_strdup ("2020-01-01");
    project_id = tw_project_add (store, project, &error);
    g_assert_no_error (error);
  }

  window = open_file (path);
  page = projects_page (window);
  show_page (window, "projects");
  tw_projects_page_select (page, project_id);
  panel = tw_project_editor_get_evaluation (tw_projects_page_get_editor (page));
  spin_while (evaluation_busy, panel);
  text = tw_evaluation_panel_get_text (panel);
  assert_window_words (text);
  g_assert_nonnull (strstr (text, "no target areas"));

  button = find_by_id (GTK_WIDGET (panel), "step_button");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Choose on Map");
  render_evaluation (window, panel, "page-projects-no-areas.png");
  g_assert_true (gtk_widget_activate (button));
  /* The map may switch to the project's geography first. */
  spin_while (not_picking, page);
  g_assert_true (tw_projects_page_get_picking (page));
  tw_projects_page_pick_finish (page, FALSE);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
picking (gpointer page)
{
  return tw_projects_page_get_picking (page);
}

static gboolean
in_pick_bar (GtkWidget     *widget,
             gconstpointer  unused)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    if (gtk_widget_has_css_class (w, "pick-bar"))
      return gtk_widget_get_mapped (widget);
  return FALSE;
}

static gboolean
cut_in_pick_bar (GtkWidget     *widget,
                 gconstpointer  unused)
{
  return in_pick_bar (widget, NULL)
         && pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget)));
}

static gboolean
labelled (GtkWidget     *widget,
          gconstpointer  label)
{
  return in_pick_bar (widget, NULL)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static const char *
visible_page (TwWindow *window)
{
  return adw_view_stack_get_visible_child_name (tw_window_get_view_stack (window));
}

/* Choose on Map from a project's editor: the map's tools show icons that exist (none the
 * same), and Done or Cancel bring the window back to the editor, on that project. */
static void
test_pick_returns (void)
{
  gint64 project_id, partner_id;
  g_autofree char *path = make_project_file (&project_id, &partner_id);
  TwWindow *window = open_file (path);
  TwProjectsPage *page = projects_page (window);
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (
                                                          GTK_WIDGET (window)));
  g_autoptr(GPtrArray) icons = g_ptr_array_new ();
  g_autoptr(Image) image = NULL;
  const char *buttons[] = { "_Done", "_Cancel" };

  for (guint round = 0; round < G_N_ELEMENTS (buttons); round++)
    {
      TwProjectEditor *editor;
      GtkWidget *button, *tool;

      show_page (window, "projects");
      tw_projects_page_select (page, project_id);
      editor = tw_projects_page_get_editor (page);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.choose-areas",
                                                 NULL));
      spin_while (not_picking, page);
      wait_for_map (window);
      g_assert_cmpstr (visible_page (window), ==, "map");

      if (round == 0)
        {
          image = render_window (GTK_WIDGET (window), "projects-pick-bar.png");
          /* The project's title and the count of areas chosen, whole. */
          g_assert_null (find_widget (GTK_WIDGET (window), GTK_TYPE_LABEL, cut_in_pick_bar,
                                      NULL));
          for (tool = find_widget (GTK_WIDGET (window), GTK_TYPE_TOGGLE_BUTTON, in_pick_bar,
                                   NULL);
               tool != NULL; tool = gtk_widget_get_next_sibling (tool))
            {
              const char *icon = gtk_button_get_icon_name (GTK_BUTTON (tool));

              g_test_message ("tool “%s”: %s", gtk_widget_get_tooltip_text (tool), icon);
              g_assert_true (gtk_icon_theme_has_icon (theme, icon));
              for (guint i = 0; i < icons->len; i++)
                g_assert_cmpstr (g_ptr_array_index (icons, i), !=, icon);
              g_ptr_array_add (icons, (gpointer) icon);
            }
          g_assert_cmpuint (icons->len, ==, 3);
        }

      button = find_widget (GTK_WIDGET (window), GTK_TYPE_BUTTON, labelled, buttons[round]);
      g_assert_nonnull (button);
      g_assert_true (gtk_widget_activate (button));
      /* A button activated by a key is clicked once its press has been shown. */
      spin_while (picking, page);
      wait_for_frames (GTK_WIDGET (window));
      g_assert_cmpstr (visible_page (window), ==, "projects");
      g_assert_cmpint (tw_projects_page_get_selected (page), ==, project_id);
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (tw_projects_page_get_editor (page))));
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A save the workspace refuses (an end before the start): the toast says why without the
 * file's path or the command line's advice. */
static void
test_refused_save_toast (void)
{
  gint64 project_id, partner_id;
  g_autofree char *path = make_project_file (&project_id, &partner_id);
  TwWindow *window = open_file (path);
  TwProjectsPage *page = projects_page (window);
  TwProjectEditor *editor;
  GtkWidget *end_row, *label;

  show_page (window, "projects");
  tw_projects_page_select (page, project_id);
  editor = tw_projects_page_get_editor (page);
  end_row = find_by_id (GTK_WIDGET (editor), "end_row");
  g_assert_nonnull (end_row);
  gtk_editable_set_text (GTK_EDITABLE (end_row), "2019-06-30");
  tw_project_editor_flush (editor);
  wait_for_frames (GTK_WIDGET (window));

  label = find_widget (GTK_WIDGET (window), GTK_TYPE_LABEL, label_contains, "before it starts");
  g_assert_nonnull (label);
  assert_window_words (gtk_label_get_text (GTK_LABEL (label)));
  g_assert_cmpstr (tw_project_editor_get_project (editor)->end_date, ==, "2022-06-30");
  {
    g_autoptr(Image) image = render_window (GTK_WIDGET (window), "projects-refused-save.png");
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The project's dates are picked on a calendar, its budget shows grouped digits and a
 * currency and takes them back, and a milestone past its due date is flagged in the list
 * and drawn on the timeline. */
static void
test_dates_budget_overdue (void)
{
  gint64 project_id, partner_id;
  g_autofree char *path = make_project_file (&project_id, &partner_id);
  TwWindow *window = open_file (path);
  TwProjectsPage *page = projects_page (window);
  TwProjectEditor *editor;
  GtkWidget *start_row, *budget_row, *calendar, *currency, *overdue, *timeline;
  g_autoptr(GDateTime) picked = g_date_time_new_local (2020, 2, 3, 0, 0, 0);

  show_page (window, "projects");
  tw_projects_page_select (page, project_id);
  editor = tw_projects_page_get_editor (page);
  wait_for_frames (GTK_WIDGET (window));

  start_row = find_by_id (GTK_WIDGET (editor), "start_row");
  calendar = find_widget (start_row, GTK_TYPE_CALENDAR, NULL, NULL);
  g_assert_nonnull (calendar);
  gtk_calendar_select_day (GTK_CALENDAR (calendar), picked);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (start_row)), ==, "2020-02-03");
  tw_project_editor_flush (editor);
  g_assert_cmpstr (tw_project_editor_get_project (editor)->start_date, ==, "2020-02-03");

  budget_row = find_by_id (GTK_WIDGET (editor), "budget_row");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (budget_row)), ==, "120,000");
  currency = find_widget (budget_row, GTK_TYPE_LABEL, label_contains, "$");
  g_assert_nonnull (currency);
  gtk_editable_set_text (GTK_EDITABLE (budget_row), "$95,500");
  tw_project_editor_flush (editor);
  g_assert_cmpfloat (tw_project_editor_get_project (editor)->budget, ==, 95500);

  /* "First 100 homes visited" was due 2020-09-30 and is not done. */
  overdue = find_widget (GTK_WIDGET (editor), GTK_TYPE_LABEL, label_contains,
                         "Overdue: due 2020-09-30");
  g_assert_nonnull (overdue);
  timeline = find_widget (GTK_WIDGET (page), TW_TYPE_PROJECT_TIMELINE, NULL, NULL);
  g_assert_nonnull (timeline);
  wait_for_frames (GTK_WIDGET (window));
  {
    g_autoptr(Image) image = render_window (GTK_WIDGET (window), "projects-overdue.png");
  }
  g_assert_cmpuint (tw_project_timeline_get_n_overdue (TW_PROJECT_TIMELINE (timeline)), ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* In a 1024 × 700 window the timeline gives its titles the room they need, a title's
 * label tells it whole as a tooltip, and a long aim wraps in the editor rather than hiding
 * past its first words. */
static void
test_long_texts (void)
{
  static const char aim[] = "Fewer emergency visits for asthma among children in Roxbury, "
                            "through home visits by community health workers who remove "
                            "triggers and teach families to use controller medicines";
  gint64 project_id, partner_id;
  g_autofree char *path = make_project_file (&project_id, &partner_id);
  TwWindow *window = open_project_window (app, path, 1024, 700);
  TwProjectsPage *page = projects_page (window);
  TwProjectEditor *editor;
  TwProjectTimeline *timeline;
  GtkWidget *aim_view;
  g_autoptr(PangoLayout) line = NULL;
  g_autofree char *tooltip = NULL;
  int line_height;

  show_page (window, "projects");
  tw_projects_page_select (page, project_id);
  editor = tw_projects_page_get_editor (page);
  timeline = TW_PROJECT_TIMELINE (find_widget (GTK_WIDGET (page), TW_TYPE_PROJECT_TIMELINE,
                                               NULL, NULL));
  g_assert_nonnull (timeline);

  aim_view = find_by_id (GTK_WIDGET (editor), "aim_view");
  g_assert_true (GTK_IS_TEXT_VIEW (aim_view));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (aim_view)), aim, -1);
  tw_project_editor_flush (editor);
  g_assert_cmpstr (tw_project_editor_get_project (editor)->aim, ==, aim);
  wait_for_frames (GTK_WIDGET (window));
  {
    g_autoptr(Image) image = render_window (GTK_WIDGET (window), "projects-long-texts.png");
  }

  g_assert_cmpuint (tw_project_timeline_get_n_cut (timeline), ==, 0);
  /* The first row's label, just under the axis. */
  tooltip = tw_project_timeline_get_tooltip_at (timeline, 20, 22 + 13);
  g_test_message ("first row: %s", tooltip);
  g_assert_true (g_strcmp0 (tooltip, "Home asthma visits in Roxbury") == 0
                 || g_strcmp0 (tooltip, "Diabetes self-management classes") == 0);
  g_assert_null (tw_project_timeline_get_tooltip_at (timeline, 20, 2));

  /* The aim shows on several lines: the whole of it, not its first words. */
  line = gtk_widget_create_pango_layout (aim_view, "Fewer");
  pango_layout_get_pixel_size (line, NULL, &line_height);
  g_test_message ("aim: %d px tall, a line %d px", gtk_widget_get_height (aim_view),
                  line_height);
  g_assert_cmpint (gtk_widget_get_height (aim_view), >=, 2 * line_height);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  app = window_test_setup (&argc, &argv, "projects", &tmpdir, &demo_path);

  g_test_add_func ("/ui/projects/rectangle-pick", test_rectangle_pick);
  g_test_add_func ("/ui/projects/footprint-drawn", test_footprint_drawn);
  g_test_add_func ("/ui/projects/undo-delete", test_undo_delete);
  g_test_add_func ("/ui/projects/partner-in-use", test_partner_in_use);
  g_test_add_func ("/ui/projects/verdict-improved", test_verdict_improved);
  g_test_add_func ("/ui/projects/screenshots", test_screenshots);
  g_test_add_func ("/ui/projects/goal-field", test_goal_field);
  g_test_add_func ("/ui/projects/pick-returns", test_pick_returns);
  g_test_add_func ("/ui/projects/no-target-areas", test_no_target_areas);
  g_test_add_func ("/ui/projects/refused-save-toast", test_refused_save_toast);
  g_test_add_func ("/ui/projects/dates-budget-overdue", test_dates_budget_overdue);
  g_test_add_func ("/ui/projects/long-texts", test_long_texts);

  return window_test_run (app, tmpdir, demo_path);
}
