/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-review"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tw-application.h"
#include "tw-store-private.h"
#include "tw-comments-page.h"
#include "tw-highlight-layer.h"
#include "tw-palette.h"
#include "tw-partners.h"
#include "tw-preferences-window.h"
#include "tw-project.h"
#include "tw-rate-table.h"
#include "tw-review-banner.h"
#include "tw-review-session.h"
#include "tw-share.h"
#include "tw-share-dialog.h"
#include "tw-store.h"
#include "tw-window.h"
#include "tw-window-private.h"
#include "tw-window-review.h"
#include "window-test-helpers.h"

#define WIDTH 1280
#define HEIGHT 800

static char *tmpdir;
static char *demo_path;
static char *package_path;
static char *comments_path;
static gint64 project_id;
static TwApplication *app;

/* What a reviewer may still do: open another file, a window, a new project of their own,
 * the basemap and the shortcuts. Anything else the window offers edits, imports or
 * exports, and must be off. Decided here, apart from the code under test. */
static const char *const harmless[] = {
  "win.open", "win.new-window", "win.new-project", "win.osm-basemap", "win.show-help-overlay",
  NULL
};
/* The application's own actions, none of which touches a project (the preferences show the
 * policy of a review copy without a way to change it). */
static const char *const app_actions[] = { "quit", "about", "preferences", "basemap", NULL };

static TwWindow *
open_file (const char *path)
{
  return open_project_window (app, path, WIDTH, HEIGHT);
}

/* The package, showing the counties' SIDS of 1979–84 as the project's tests do. */
static TwWindow *
open_review (void)
{
  TwWindow *window = open_file (package_path);

  select_picker (window, "geography", "North Carolina counties");
  wait_for_map (window);
  select_picker (window, "measure", "Sudden infant death syndrome");
  wait_for_map (window);
  select_picker (window, "period", "1979-1984");
  wait_for_map (window);
  return window;
}

/* The pixel where the pointer would be over @area, in map coordinates. */
static void
map_point (TwWindow *window,
           int       area,
           double   *mx,
           double   *my)
{
  double x, y;

  g_assert_true (inner_point (window, area, &x, &y));
  g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (window), map_widget (window),
                                                   x, y, mx, my));
}

/* Whether a shortcut (or a menu, or a button) can reach the action: GTK 4.8's shortcuts
 * refuse a disabled action, and never run it. */
static gboolean
reachable (GtkWidget  *widget,
           const char *name)
{
  g_autoptr(GtkShortcutAction) action = gtk_named_action_new (name);

  return gtk_shortcut_action_activate (action, 0, widget, NULL);
}

/* Scrolls the first scrolled window in @content to @from_end pixels before its end. */
static void
scroll_near_end (GtkWidget *content,
                 double     from_end)
{
  GtkWidget *scroller = find_widget (content, GTK_TYPE_SCROLLED_WINDOW, NULL, NULL);
  GtkAdjustment *adjustment;

  g_assert_nonnull (scroller);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment)
                                        - gtk_adjustment_get_page_size (adjustment) - from_end);
}

static gboolean
no_message_dialog (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL;
}

/* Writes a comment in the dialog "Comment on …" that the window opened. */
static void
answer_comment_dialog (const char *text)
{
  AdwMessageDialog *dialog;
  GtkWidget *view, *entry;

  spin_while (no_message_dialog, NULL);
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_test_message ("Dialog: %s", adw_message_dialog_get_heading (dialog));
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_heading (dialog), "Comment on "));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "add"));
  entry = find_widget (adw_message_dialog_get_extra_child (dialog), GTK_TYPE_ENTRY, NULL,
                       NULL);
  if (entry != NULL)
    gtk_editable_set_text (GTK_EDITABLE (entry), "Rosa Díaz");
  view = find_widget (adw_message_dialog_get_extra_child (dialog), GTK_TYPE_TEXT_VIEW, NULL,
                      NULL);
  g_assert_nonnull (view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "add"));
  adw_message_dialog_response (dialog, "add");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
row_says (GtkWidget     *widget,
          gconstpointer  text)
{
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (widget));
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));

  return (subtitle != NULL && strstr (subtitle, text) != NULL)
         || (title != NULL && strstr (title, text) != NULL);
}

/* The share dialog: what goes out, said before it goes; then the package and its audit row. */
static void
test_share_dialog (void)
{
  TwWindow *window = open_file (demo_path);
  g_autofree char *out = g_build_filename (tmpdir, "chosen.gpkg", NULL);
  g_autofree char *part = g_strconcat (out, ".part.gpkg", NULL);
  g_autofree char *text = NULL;
  g_autoptr(Image) shot = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TwReview) review = NULL;
  TwShareDialog *dialog;

  g_assert_true (reachable (GTK_WIDGET (window), "win.share"));
  dialog = TW_SHARE_DIALOG (find_toplevel (TW_TYPE_SHARE_DIALOG));
  g_assert_nonnull (dialog);
  spin_while ((gboolean (*) (gpointer)) tw_share_dialog_get_loading, dialog);
  g_assert_cmpuint (tw_share_dialog_get_n_measures (dialog), ==, 4);
  /* It fits a 1024 × 700 screen, and names measures as the map does, not by their codes. */
  wait_for_frames (GTK_WIDGET (dialog));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (dialog)), <=, 700);
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, row_says,
                                 "Asthma emergency visits"));
  g_assert_null (find_widget (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, row_says,
                              "asthma_ed"));

  text = tw_share_dialog_get_contents_text (dialog);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "606 areas"));
  g_assert_nonnull (strstr (text, "Rates of 4 measures"));
  g_assert_nonnull (strstr (text, "withheld under the policy “CMS, k = 11”"));
  g_assert_nonnull (strstr (text, "1 project"));
  g_assert_nonnull (strstr (text, "Contact details and notes stay here"));
  wait_for_frames (GTK_WIDGET (dialog));
  shot = render_window (GTK_WIDGET (dialog), "share-dialog.png");
  scroll_near_end (GTK_WIDGET (dialog), 0);
  wait_for_frames (GTK_WIDGET (dialog));
  g_clear_pointer (&shot, image_free);
  shot = render_window (GTK_WIDGET (dialog), "share-dialog-contents.png");

  tw_share_dialog_set_with_contacts (dialog, TRUE);
  g_clear_pointer (&text, g_free);
  text = tw_share_dialog_get_contents_text (dialog);
  g_assert_nonnull (strstr (text, "contact details (contact person, e-mail, phone)"));
  tw_share_dialog_set_with_contacts (dialog, FALSE);
  /* The first measure, asthma_ed, stays home. */
  tw_share_dialog_set_measure_active (dialog, 0, FALSE);
  g_clear_pointer (&text, g_free);
  text = tw_share_dialog_get_contents_text (dialog);
  g_assert_nonnull (strstr (text, "Rates of 3 measures"));

  gtk_editable_set_text (GTK_EDITABLE (find_by_id (GTK_WIDGET (dialog), "name_row")),
                         "Ana Ruiz");
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  tw_share_dialog_write_to (dialog, out);
  g_assert_true (tw_share_dialog_get_writing (dialog));
  while (dialog != NULL)
    g_main_context_iteration (NULL, TRUE);

  review = tw_review_open (out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tw_review_get_metadata (review, "measures"), ==,
                   "diabetes_uncontrolled,preterm_birth,sids");
  g_assert_cmpstr (tw_review_get_metadata (review, "contacts_included"), ==, "no");
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  {
    g_autoptr(TwStore) store = tw_store_open (demo_path, &error);
    sqlite3_stmt *stmt = tw_store_prepare (store, "SELECT count(*) FROM audit_log "
                                                  "WHERE action = 'export-share' "
                                                  "AND detail LIKE '%chosen.gpkg%'", NULL);

    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    sqlite3_reset (stmt);
  }

  /* Cancelled at once: the package is whole or not there, and nothing half-written stays. */
  g_assert_true (reachable (GTK_WIDGET (window), "win.share"));
  dialog = TW_SHARE_DIALOG (find_toplevel (TW_TYPE_SHARE_DIALOG));
  spin_while ((gboolean (*) (gpointer)) tw_share_dialog_get_loading, dialog);
  g_unlink (out);
  tw_share_dialog_write_to (dialog, out);
  tw_share_dialog_cancel (dialog);
  spin_while ((gboolean (*) (gpointer)) tw_share_dialog_get_writing, dialog);
  g_test_message ("after Cancel: %s", g_file_test (out, G_FILE_TEST_EXISTS) ? "whole package"
                                                                          : "no file");
  g_assert_true (!g_file_test (out, G_FILE_TEST_EXISTS) || tw_share_is_package (out));
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  gtk_window_destroy (GTK_WINDOW (dialog));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The partner picker: "Everything" first; one partner narrows what the package holds, and
 * the summary says so before anything is written. The policy is named by its preset. */
static void
test_share_partner (void)
{
  TwWindow *window = open_file (demo_path);
  g_autofree char *out = g_build_filename (tmpdir, "alliance.gpkg", NULL);
  g_autofree char *text = NULL;
  g_autoptr(Image) shot = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TwReview) review = NULL;
  TwShareDialog *dialog;

  g_assert_true (reachable (GTK_WIDGET (window), "win.share"));
  dialog = TW_SHARE_DIALOG (find_toplevel (TW_TYPE_SHARE_DIALOG));
  spin_while ((gboolean (*) (gpointer)) tw_share_dialog_get_loading, dialog);
  g_assert_cmpuint (tw_share_dialog_get_n_partners (dialog), ==, 1);
  g_assert_cmpstr (tw_share_dialog_get_partner_name (dialog, 0), ==, "Wake Health Alliance");
  text = tw_share_dialog_get_contents_text (dialog);
  g_assert_nonnull (strstr (text, "Suppression: CMS (k = 11; unreliable below 20)"));
  g_assert_nonnull (strstr (text, "606 areas"));

  tw_share_dialog_choose_partner (dialog, "Wake Health Alliance");
  g_clear_pointer (&text, g_free);
  text = tw_share_dialog_get_contents_text (dialog);
  g_test_message ("%s", text);
  /* The project's geography, its one measure, the partner alone with its own contacts. */
  g_assert_nonnull (strstr (text, "100 areas"));
  g_assert_nonnull (strstr (text, "of North Carolina counties\n"));
  g_assert_nonnull (strstr (text, "Rates of 1 measure:"));
  g_assert_nonnull (strstr (text, "1 project:"));
  g_assert_nonnull (strstr (text, "Only Wake Health Alliance: "));
  g_assert_null (strstr (text, "606 areas"));
  g_assert_false (gtk_widget_get_visible (find_by_id (GTK_WIDGET (dialog), "contacts_row")));
  wait_for_frames (GTK_WIDGET (dialog));
  shot = render_window (GTK_WIDGET (dialog), "share-dialog-partner.png");

  gtk_editable_set_text (GTK_EDITABLE (find_by_id (GTK_WIDGET (dialog), "name_row")),
                         "Ana Ruiz");
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  tw_share_dialog_write_to (dialog, out);
  while (dialog != NULL)
    g_main_context_iteration (NULL, TRUE);

  review = tw_review_open (out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tw_review_get_metadata (review, "measures"), ==, "sids");
  g_assert_cmpuint (tw_review_get_n_areas (review), ==, 100);
  g_assert_nonnull (tw_review_get_project_title (review, project_id));
  {
    g_autoptr(TwStore) store = tw_store_open (demo_path, &error);
    sqlite3_stmt *stmt = tw_store_prepare (store, "SELECT detail FROM audit_log "
                                                  "WHERE action = 'export-share' "
                                                  "AND detail LIKE '%alliance.gpkg%'", NULL);

    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 0),
                              "Wake Health Alliance"));
    sqlite3_reset (stmt);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (out);
}

static gboolean
banner_not_shown (gpointer window)
{
  return !gtk_widget_get_mapped (GTK_WIDGET (tw_window_get_review_banner (window)))
         || gtk_widget_get_height (GTK_WIDGET (tw_window_get_review_banner (window))) < 20;
}

/* The package opens read-only, says so, and draws the same map. */
static void
test_open_package (void)
{
  TwWindow *window = open_review ();
  TwReviewBanner *banner = tw_window_get_review_banner (window);
  TwChoropleth *choropleth = tw_window_get_choropleth (window);
  TwMapStyle *style = tw_choropleth_get_style (choropleth);
  TwProjectsPage *projects = tw_window_get_projects_page (window);
  int anson = find_area_named (window, "Anson");
  int mecklenburg = find_area_named (window, "Mecklenburg");
  guint32 warning = 0xe5a50a;   /* Adwaita's @warning_bg_color */
  guint32 hatch = tw_palette_fixed_color (TW_COLOR_SUPPRESSED_HATCH);
  guint32 fill = tw_map_style_get_fill (style, TW_AREA_SUPPRESSED);
  const TwAreaFigure *figure;
  g_autoptr(Image) image = NULL;
  g_autofree char *details = NULL;
  g_autofree char *uri = g_filename_to_uri (package_path, NULL, NULL);
  graphene_rect_t bounds;
  guint n_banner = 0, n_warning = 0, n_hatch = 0, n_fill = 0, n = 0;
  double x, y, mx, my;

  g_assert_true (tw_window_review_get_session (window) != NULL);
  g_assert_true (tw_review_banner_get_revealed (banner));
  g_test_message ("Banner: %s", tw_review_banner_get_text (banner));
  g_assert_true (g_str_has_prefix (tw_review_banner_get_text (banner), "Review copy shared by "));
  g_assert_nonnull (strstr (tw_review_banner_get_text (banner),
                            "— read-only. Your comments are saved to a separate file."));
  g_assert_true (gtk_recent_manager_has_item (gtk_recent_manager_get_default (), uri));
  spin_while (banner_not_shown, window);
  wait_for_frames (GTK_WIDGET (window));
  image = render_window (GTK_WIDGET (window), "review-window.png");

  /* The banner is drawn: a strip of the warning colour under the header bar. */
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (banner), GTK_WIDGET (window), &bounds));
  g_test_message ("banner at %.0f,%.0f, %.0f × %.0f", bounds.origin.x, bounds.origin.y,
                  bounds.size.width, bounds.size.height);
  g_assert_cmpfloat (bounds.size.width, >=, gtk_widget_get_width (GTK_WIDGET (window)) - 1);
  for (int py = (int) bounds.origin.y; py < (int) (bounds.origin.y + bounds.size.height); py++)
    for (int px = (int) bounds.origin.x; px < (int) (bounds.origin.x + bounds.size.width); px++)
      {
        n_banner++;
        n_warning += color_distance (pixel (image, px, py), warning) <= 12;
      }
  g_test_message ("banner: %u of %u pixels in the warning colour", n_warning, n_banner);
  g_assert_cmpuint (n_warning, >, n_banner / 2);

  /* Every edit is off, for shortcuts, menus and buttons alike. */
  {
    GtkWidgetClass *klass = GTK_WIDGET_GET_CLASS (window);
    g_auto(GStrv) mapped = g_action_group_list_actions (G_ACTION_GROUP (window));
    g_auto(GStrv) global = g_action_group_list_actions (G_ACTION_GROUP (app));
    const char *page_actions[] = { "projects.add", "projects.delete", NULL };
    const char *partner_actions[] = { "partners.add", "partners.delete", NULL };
    guint n_off = 0;
    const char *name, *property;
    const GVariantType *type;
    GType owner;

    for (guint i = 0;
         gtk_widget_class_query_action (klass, i, &owner, &name, &type, &property); i++)
      {
        if (!g_str_has_prefix (name, "win.") || g_strv_contains (harmless, name))
          continue;
        g_test_message ("off: %s", name);
        g_assert_false (reachable (GTK_WIDGET (window), name));
        n_off++;
      }
    for (guint i = 0; mapped[i] != NULL; i++)
      {
        g_autofree char *full = g_strconcat ("win.", mapped[i], NULL);

        if (!g_strv_contains (harmless, full))
          g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), mapped[i]));
      }
    for (guint i = 0; global[i] != NULL; i++)
      {
        g_test_message ("app.%s", global[i]);
        g_assert_true (g_strv_contains (app_actions, global[i]));
      }
    for (guint i = 0; page_actions[i] != NULL; i++)
      g_assert_false (reachable (GTK_WIDGET (projects), page_actions[i]));
    for (guint i = 0; partner_actions[i] != NULL; i++)
      g_assert_false (reachable (GTK_WIDGET (tw_window_get_partners_page (window)),
                                 partner_actions[i]));
    g_assert_false (reachable (GTK_WIDGET (tw_projects_page_get_editor (projects)),
                               "editor.choose-areas"));
    g_assert_false (tw_projects_page_pick_begin (projects, project_id));
    g_assert_cmpuint (n_off, >=, 4);
    g_assert_false (reachable (GTK_WIDGET (window), "win.import"));
    g_assert_false (reachable (GTK_WIDGET (window), "win.share"));
    g_assert_false (reachable (GTK_WIDGET (window), "win.import-comments"));
    g_assert_false (reachable (GTK_WIDGET (window), "win.analyst-view"));
    /* The analyst view stays off, whatever sets it. */
    g_object_set (window, "analyst-view", TRUE, NULL);
    g_assert_false (tw_choropleth_get_reveal (tw_window_get_choropleth (window)));
    g_assert_true (reachable (GTK_WIDGET (window), "review.show-comments"));
    adw_view_stack_set_visible_child_name (tw_window_get_view_stack (window), "map");
  }

  /* The main menu shows the edits greyed out. */
  {
    GtkWidget *button = find_widget (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON, NULL, NULL);
    GtkPopover *popover;
    g_autoptr(Image) menu = NULL;

    while (button != NULL && g_strcmp0 (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (button)),
                                        "open-menu-symbolic") != 0)
      button = gtk_widget_get_next_sibling (button);
    if (button != NULL)
      {
        gtk_menu_button_popup (GTK_MENU_BUTTON (button));
        popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
        wait_for_frames (GTK_WIDGET (popover));
        menu = render_window (GTK_WIDGET (popover), "review-main-menu.png");
        gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
      }
  }

  /* Anson's count is withheld in the package: hatched, and nothing shown of it. */
  figure = tw_choropleth_get_figure (choropleth, anson);
  g_assert_true (figure->withheld);
  g_assert_cmpint (figure->kind, ==, TW_AREA_SUPPRESSED);
  g_assert_true (isnan (figure->numerator) && isnan (figure->rate));
  g_assert_true (inner_point (window, anson, &x, &y));
  for (int dy = -12; dy <= 12; dy++)
    for (int dx = -12; dx <= 12; dx++)
      {
        guint32 seen;

        if (hit_at_window (window, x + dx, y + dy) != anson
            || !map_shows_at (window, x + dx, y + dy))
          continue;
        seen = pixel (image, (int) x + dx, (int) y + dy);
        n++;
        n_hatch += color_distance (seen, fill) > 60
                   && color_distance (seen, hatch) < color_distance (seen, fill);
        n_fill += color_distance (seen, fill) <= 3;
      }
  g_test_message ("Anson: %u pixels, %u hatch, %u background", n, n_hatch, n_fill);
  g_assert_cmpuint (n, >, 50);
  g_assert_cmpuint (n_hatch, >, n / 10);
  g_assert_cmpuint (n_fill, >, n / 10);
  map_point (window, anson, &mx, &my);
  tw_window_pointer_motion (window, mx, my);
  details = tw_window_get_details_text (window);
  g_test_message ("Details: %s", details);
  g_assert_nonnull (strstr (details, "Suppressed in the shared copy (policy k = 11)"));
  g_assert_null (strstr (details, "Count"));
  g_assert_null (strstr (details, "Rate"));

  /* Mecklenburg (no project on it) has its class colour, from the same rate as in the project. */
  figure = tw_choropleth_get_figure (choropleth, mecklenburg);
  g_assert_cmpuint (figure->kind, <, tw_map_style_get_n_classes (style));
  g_assert_true (inner_point (window, mecklenburg, &x, &y));
  g_assert_cmpint (color_distance (pixel (image, (int) x, (int) y),
                                   tw_map_style_get_fill (style, figure->kind)), <=, 3);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TwStore) store = tw_store_open (demo_path, &error);
    TwRateQuery query = { .measure = tw_choropleth_get_measure_code (choropleth),
                          .period = tw_choropleth_get_period (choropleth),
                          .method = TW_RATE_METHOD_CRUDE };
    g_autoptr(TwRateTable) table = tw_rate_table_compute (store, &query, NULL, NULL, &error);
    const TwRateRow *row = NULL;

    g_assert_no_error (error);
    for (guint i = 0; i < tw_rate_table_get_n_rows (table) && row == NULL; i++)
      if (g_str_equal (tw_rate_table_get_row (table, i)->geoid, "37119")
          && g_str_equal (tw_rate_table_get_row (table, i)->stratum, "all"))
        row = tw_rate_table_get_row (table, i);
    g_assert_nonnull (row);
    g_test_message ("Mecklenburg: %g in the project, %g in the review", row->rate, figure->rate);
    g_assert_cmpfloat_with_epsilon (figure->rate, row->rate, 1e-9 * row->rate);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
no_comment_on_wake (gpointer window)
{
  g_autofree char *text = tw_window_review_describe_area (window, "North Carolina counties",
                                                          "37183");

  return text == NULL || tw_window_get_loading (window);
}

static gboolean
project_not_listed (gpointer page)
{
  return tw_projects_page_get_n_projects (page) == 0;
}

/* A partner comments on an area and a project, saves, and staff import the file. */
static void
test_comments_round_trip (void)
{
  TwWindow *window = open_review ();
  TwReviewSession *session = tw_window_review_get_session (window);
  TwProjectsPage *projects = tw_window_get_projects_page (window);
  AdwViewStack *stack = tw_window_get_view_stack (window);
  g_autofree char *review_project = g_strdup (tw_review_session_get_project_path (session));
  int wake = find_area_named (window, "Wake");
  g_autofree char *details = NULL;
  g_autofree char *listed = NULL;
  g_autoptr(Image) shot = NULL;
  g_autoptr(GError) error = NULL;
  TwCommentsPage *page;
  double mx, my;

  g_assert_true (g_file_test (review_project, G_FILE_TEST_EXISTS));

  /* On Wake, picked on the map. */
  map_point (window, wake, &mx, &my);
  tw_window_pointer_click (window, mx, my);
  tw_window_pointer_motion (window, -1, -1);
  g_assert_cmpint (tw_window_get_selected_area (window), ==, wake);
  g_assert_true (reachable (GTK_WIDGET (window), "review.comment-area"));
  answer_comment_dialog ("The new clinic on Capital Blvd opened in 1983: counts before "
                         "and after are not comparable.");
  details = tw_window_get_details_text (window);
  g_test_message ("Details: %s", details);
  g_assert_nonnull (strstr (details, "Your comment:"));
  g_assert_nonnull (strstr (details, "Capital Blvd"));
  wait_for_frames (GTK_WIDGET (window));
  g_clear_pointer (&shot, image_free);
  shot = render_window (GTK_WIDGET (window), "review-area-comment.png");

  /* On the project, from its page. */
  adw_view_stack_set_visible_child_name (stack, "projects");
  spin_while (project_not_listed, projects);
  tw_projects_page_select (projects, project_id);
  g_assert_cmpint (tw_projects_page_get_selected (projects), ==, project_id);
  wait_for_frames (GTK_WIDGET (window));
  g_clear_pointer (&shot, image_free);
  shot = render_window (GTK_WIDGET (window), "review-project.png");
  adw_view_stack_set_visible_child_name (stack, "partners");
  wait_for_frames (GTK_WIDGET (window));
  g_clear_pointer (&shot, image_free);
  shot = render_window (GTK_WIDGET (window), "review-partners.png");
  adw_view_stack_set_visible_child_name (stack, "projects");
  scroll_near_end (GTK_WIDGET (tw_projects_page_get_editor (projects)), 0);
  wait_for_frames (GTK_WIDGET (window));
  g_clear_pointer (&shot, image_free);
  shot = render_window (GTK_WIDGET (window), "review-project-end.png");
  g_assert_true (reachable (GTK_WIDGET (window), "review.comment-project"));
  answer_comment_dialog ("Add the school on Oak Street to the target areas.");

  g_assert_cmpuint (tw_review_session_get_n_comments (session), ==, 2);
  g_assert_true (tw_review_session_get_unsaved (session));
  adw_view_stack_set_visible_child_name (stack, "comments");
  page = TW_COMMENTS_PAGE (adw_view_stack_get_visible_child (stack));
  listed = tw_comments_page_get_text (page);
  g_test_message ("Comments page:\n%s", listed);
  g_assert_nonnull (strstr (listed, "Wake (area 37183): The new clinic"));
  g_assert_nonnull (strstr (listed, "The project “Home visits in Wake”: Add the school"));
  wait_for_frames (GTK_WIDGET (window));
  g_clear_pointer (&shot, image_free);
  shot = render_window (GTK_WIDGET (window), "review-comments.png");

  /* Saved; closing asks nothing then, and the review project goes with the window. */
  g_assert_true (tw_review_session_save (session, comments_path, &error));
  g_assert_no_error (error);
  g_assert_false (tw_review_session_get_unsaved (session));
  gtk_window_close (GTK_WINDOW (window));
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  spin_while (file_exists, review_project);

  /* Staff import the file into the project the package came from. */
  window = open_file (demo_path);
  tw_window_review_import_comments (window, comments_path);
  spin_while (no_comment_on_wake, window);
  wait_for_map (window);
  map_point (window, find_area_named (window, "Wake"), &mx, &my);
  tw_window_pointer_motion (window, mx, my);
  g_clear_pointer (&details, g_free);
  details = tw_window_get_details_text (window);
  g_test_message ("Details after the import: %s", details);
  g_assert_nonnull (strstr (details, "1 comment:"));
  g_assert_nonnull (strstr (details, "Capital Blvd"));

  /* The Comments page lists what came back, with author, date and area; Wake carries a
   * marker on the map: a pixel of the marker colour above its middle. */
  {
    AdwViewStack *view_stack = tw_window_get_view_stack (window);
    GtkWidget *comments_page = adw_view_stack_get_child_by_name (view_stack, "comments");
    TwHighlightLayer *marks = tw_window_review_get_marks (window);
    g_autofree char *listed_here = NULL;
    g_autoptr(Image) plain = NULL;
    g_autoptr(Image) marked = NULL;
    guint32 marker = tw_palette_fixed_color (TW_COLOR_SELECTION_OUTLINE);
    double wx, wy;
    guint changed = 0;

    g_assert_nonnull (comments_page);
    listed_here = tw_comments_page_get_text (TW_COMMENTS_PAGE (comments_page));
    g_test_message ("Comments page: %s", listed_here);
    g_assert_nonnull (strstr (listed_here, " · Wake (area 37183) — "));
    g_assert_nonnull (strstr (listed_here, "Capital Blvd"));
    /* Written today: "7 December 2026" */
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *today = g_date_time_format (now, " · %-d %B %Y · ");

      g_assert_nonnull (strstr (listed_here, today));
    }
    g_assert_nonnull (marks);
    g_assert_cmpuint (tw_highlight_layer_get_n_marked (marks), >=, 1);

    /* Drawn: the pixels around Wake's middle change when its marker goes. */
    tw_window_pointer_motion (window, 1, 1);
    g_assert_true (inner_point (window, find_area_named (window, "Wake"), &wx, &wy));
    wait_for_frames (GTK_WIDGET (window));
    marked = render_window (GTK_WIDGET (window), "map-comment-marker.png");
    gtk_widget_set_visible (GTK_WIDGET (marks), FALSE);
    wait_for_frames (GTK_WIDGET (window));
    plain = render_window (GTK_WIDGET (window), "map-comment-marker-off.png");
    gtk_widget_set_visible (GTK_WIDGET (marks), TRUE);
    for (int y = 0; y < marked->height; y++)
      for (int x = 0; x < marked->width; x++)
        changed += pixel (marked, x, y) != pixel (plain, x, y)
                   && color_distance (pixel (marked, x, y), marker) <= 24;
    g_test_message ("%u pixels of the marker colour", changed);
    g_assert_cmpuint (changed, >=, 20);

    adw_view_stack_set_visible_child_name (view_stack, "comments");
    wait_for_frames (GTK_WIDGET (window));
    g_clear_pointer (&shot, image_free);
    shot = render_window (GTK_WIDGET (window), "comments-received.png");
    adw_view_stack_set_visible_child_name (view_stack, "map");
  }
  projects = tw_window_get_projects_page (window);
  spin_while (project_not_listed, projects);
  tw_projects_page_select (projects, project_id);
  {
    TwProjectEditor *editor = tw_projects_page_get_editor (projects);
    const TwProject *project = tw_project_editor_get_project (editor);
    TwProjectComment *comment;

    g_assert_nonnull (project);
    g_assert_cmpuint (project->comments->len, ==, 1);
    comment = g_ptr_array_index (project->comments, 0);
    g_assert_cmpstr (comment->body, ==, "Add the school on Oak Street to the target areas.");
  }
  adw_view_stack_set_visible_child_name (tw_window_get_view_stack (window), "projects");
  wait_for_frames (GTK_WIDGET (window));
  wait_for_frames (GTK_WIDGET (window));
  /* The comments come just before the notes, at the end. */
  scroll_near_end (GTK_WIDGET (tw_projects_page_get_editor (projects)), 260);
  wait_for_frames (GTK_WIDGET (window));
  g_clear_pointer (&shot, image_free);
  shot = render_window (GTK_WIDGET (window), "project-imported-comments.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A review copy left behind by a killed Tractwise is removed by the next review; one whose
 * Tractwise still runs is not. */
static void
test_abandoned_copies (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwReviewSession) session = NULL;
  g_autofree char *dead = g_dir_make_tmp ("tractwise-review-XXXXXX", &error);
  g_autofree char *alive = NULL;
  g_autofree char *dead_pid = NULL, *alive_pid = NULL;
  const char *argv[] = { "true", NULL };
  GPid child;
  int status;

  g_assert_no_error (error);
  alive = g_dir_make_tmp ("tractwise-review-XXXXXX", &error);
  g_assert_no_error (error);

  /* A process that has ended, and one that runs (the one that runs this test's parent). */
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                &child, &error));
  g_assert_no_error (error);
  waitpid (child, &status, 0);
  dead_pid = g_strdup_printf ("%d\n", (int) child);
  alive_pid = g_strdup_printf ("%d\n", (int) getppid ());
  for (guint i = 0; i < 2; i++)
    {
      const char *folder = i == 0 ? dead : alive;
      g_autofree char *owner = g_build_filename (folder, "owner.pid", NULL);
      g_autofree char *project = g_build_filename (folder, "review.tractwise", NULL);

      g_assert_true (g_file_set_contents (owner, i == 0 ? dead_pid : alive_pid, -1, NULL));
      g_assert_true (g_file_set_contents (project, "left behind", -1, NULL));
    }

  session = tw_review_session_new (package_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (dead, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (alive, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (tw_review_session_get_project_path (session),
                              G_FILE_TEST_IS_REGULAR));

  {
    g_autofree char *folder = g_path_get_dirname (tw_review_session_get_project_path (session));

    g_clear_object (&session);
    g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  }
  remove_tree (alive);
}

static gboolean
no_review (gpointer window)
{
  return tw_window_review_get_session (window) == NULL || tw_window_get_loading (window);
}

/* Unsaved comments are not lost without a question; a package dropped on a window opens. */
static void
test_unsaved_and_drop (void)
{
  TwWindow *window = tw_window_new (app);
  g_autoptr(GFile) file = g_file_new_for_path (package_path);
  GSList files = { file, NULL };
  AdwMessageDialog *dialog;
  g_autoptr(GError) error = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (tw_window_drop_files (window, &files));
  spin_while (no_review, window);
  g_assert_true (tw_review_session_add_comment (tw_window_review_get_session (window), NULL,
                                                NULL, project_id, "Needs a second look",
                                                &error));
  g_assert_no_error (error);

  /* Opening another file asks first; Cancel keeps the review and its comments. */
  {
    g_autoptr(GFile) demo = g_file_new_for_path (demo_path);

    tw_window_open (window, demo);
    spin_while (no_message_dialog, NULL);
    dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Save Your Comments?");
    g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "open another file"));
    adw_message_dialog_response (dialog, "cancel");
    gtk_window_destroy (GTK_WINDOW (dialog));
    g_assert_false (tw_window_get_loading (window));
    g_assert_true (g_file_equal (tw_window_get_file (window), file));
    g_assert_cmpuint (tw_review_session_get_n_comments (tw_window_review_get_session (window)),
                      ==, 1);
  }

  /* Ctrl+Q asks the same question; Cancel keeps the window, its review and its comments. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  spin_while (no_message_dialog, NULL);
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Save Your Comments?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "not saved yet"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (g_list_find (gtk_application_get_windows (GTK_APPLICATION (app)), window));
  g_assert_cmpuint (tw_review_session_get_n_comments (tw_window_review_get_session (window)),
                    ==, 1);
  g_assert_true (tw_review_session_get_unsaved (tw_window_review_get_session (window)));

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  spin_while (no_message_dialog, NULL);
  g_assert_nonnull (window);
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Save Your Comments?");
  adw_message_dialog_response (dialog, "discard");
  gtk_window_destroy (GTK_WINDOW (dialog));
  while (window != NULL)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
no_review_window (gpointer data)
{
  TwWindow *window = TW_WINDOW (find_toplevel (TW_TYPE_WINDOW));

  return window == NULL || tw_window_review_get_session (window) == NULL
         || tw_window_get_loading (window);
}

/* `tractwise FILE.gpkg` opens the package for review too. */
static void
test_command_line (void)
{
  g_autoptr(GFile) file = g_file_new_for_path (package_path);
  GFile *files[] = { file };
  TwWindow *window;

  g_application_open (G_APPLICATION (app), files, 1, "");
  spin_while (no_review_window, NULL);
  window = TW_WINDOW (find_toplevel (TW_TYPE_WINDOW));
  g_assert_true (g_file_equal (tw_window_get_file (window), file));
  g_assert_true (tw_review_banner_get_revealed (tw_window_get_review_banner (window)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The demo with a partner and a project on Wake, shared as a package. */
/* Whether @text holds @word as a word of its own. */
static gboolean
has_word (const char *text,
          const char *word)
{
  gsize length = strlen (word);

  for (const char *p = strstr (text, word); p != NULL; p = strstr (p + 1, word))
    if ((p == text || !g_ascii_isalnum (p[-1])) && !g_ascii_isalnum (p[length]))
      return TRUE;
  return FALSE;
}

/* Who shares: with no name in the preferences, the share dialog asks for one (Share stays
 * off, the account's name is not offered), remembers it, and the partner's review names the
 * sender as given, never the account; comments start with the remembered name. */
static void
test_who_you_are (void)
{
  GSettings *settings = tw_application_get_settings (app);
  g_autofree char *out = g_build_filename (tmpdir, "from-ana.gpkg", NULL);
  g_autofree char *account = g_strdup (g_get_user_name ());
  g_autofree char *remembered = NULL;
  g_autoptr(Image) shot = NULL;
  TwWindow *window;
  TwShareDialog *dialog;
  GtkWidget *name_row, *organisation_row, *share_button;
  const char *banner;

  g_settings_set_string (settings, "user-name", "");
  g_settings_set_string (settings, "user-organisation", "");
  window = open_file (demo_path);
  g_assert_true (reachable (GTK_WIDGET (window), "win.share"));
  dialog = TW_SHARE_DIALOG (find_toplevel (TW_TYPE_SHARE_DIALOG));
  spin_while ((gboolean (*) (gpointer)) tw_share_dialog_get_loading, dialog);
  name_row = find_by_id (GTK_WIDGET (dialog), "name_row");
  organisation_row = find_by_id (GTK_WIDGET (dialog), "organisation_row");
  share_button = find_by_id (GTK_WIDGET (dialog), "share_button");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "");
  g_assert_false (gtk_widget_get_sensitive (share_button));
  /* The greyed button says why. */
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (share_button), "your name"));

  gtk_editable_set_text (GTK_EDITABLE (name_row), "Ana Ruiz");
  gtk_editable_set_text (GTK_EDITABLE (organisation_row), "Boston Medical Center");
  g_assert_true (gtk_widget_get_sensitive (share_button));
  g_assert_null (gtk_widget_get_tooltip_text (share_button));
  wait_for_frames (GTK_WIDGET (dialog));
  shot = render_window (GTK_WIDGET (dialog), "share-dialog-shared-by.png");
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  tw_share_dialog_write_to (dialog, out);
  while (dialog != NULL)
    g_main_context_iteration (NULL, TRUE);
  gtk_window_destroy (GTK_WINDOW (window));
  remembered = g_settings_get_string (settings, "user-name");
  g_assert_cmpstr (remembered, ==, "Ana Ruiz");

  window = open_file (out);
  banner = tw_review_banner_get_text (tw_window_get_review_banner (window));
  g_test_message ("Banner: %s", banner);
  g_assert_true (g_str_has_prefix (banner,
                                   "Review copy shared by Ana Ruiz (Boston Medical Center) on "));
  g_assert_false (has_word (banner, account));
  g_assert_cmpstr (tw_review_session_get_author (tw_window_review_get_session (window)), ==,
                   "Ana Ruiz");
  /* The partner's view: no import, no spatial analysis, no analyst view to find. */
  g_assert_false (gtk_widget_get_mapped (find_by_id (GTK_WIDGET (window), "import_button")));
  g_assert_false (gtk_widget_get_mapped (find_by_id (GTK_WIDGET (window), "analysis_button")));
  g_assert_false (gtk_widget_get_mapped (find_by_id (GTK_WIDGET (window), "analyst_switch")));
  g_clear_pointer (&shot, image_free);
  wait_for_frames (GTK_WIDGET (window));
  shot = render_window (GTK_WIDGET (window), "review-shared-by.png");

  /* Preferences show the name and organisation remembered, and change them. */
  {
    TwPreferencesWindow *preferences = tw_preferences_window_new (GTK_WINDOW (window), settings);
    GtkWidget *row;
    g_autofree char *organisation = NULL;

    gtk_window_present (GTK_WINDOW (preferences));
    row = find_by_id (GTK_WIDGET (preferences), "name_row");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Ana Ruiz");
    row = find_by_id (GTK_WIDGET (preferences), "organisation_row");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "Boston Medical Center");
    gtk_editable_set_text (GTK_EDITABLE (row), "Roxbury Community Health");
    organisation = g_settings_get_string (settings, "user-organisation");
    g_assert_cmpstr (organisation, ==, "Roxbury Community Health");
    wait_for_frames (GTK_WIDGET (preferences));
    g_clear_pointer (&shot, image_free);
    shot = render_window (GTK_WIDGET (preferences), "preferences-you.png");
    gtk_window_destroy (GTK_WINDOW (preferences));
  }
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (out);
}

static void
prepare_project (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = tw_store_open (demo_path, &error);
  g_autoptr(TwPartner) partner = tw_partner_new ("Wake Health Alliance");
  g_autoptr(TwProject) project = tw_project_new ("Home visits in Wake");
  TwShareOptions options = { 0 };

  g_assert_no_error (error);
  partner->kind = g_strdup ("community-based organization");
  partner->email = g_strdup ("info@alliance.example");
  g_assert_cmpint (tw_partners_add (store, partner, &error), >, 0);
  project->aim = g_strdup ("Fewer infant deaths through home visits by nurses");
  project->measure = g_strdup ("sids");
  project->geography = g_strdup ("North Carolina counties");
  project->start_date = g_strdup ("1979-01-01");
  project->status = g_strdup ("active");
  project->goal_percent = 15;
  project->budget = 250000;
  tw_project_take_partner (project, "Wake Health Alliance", "lead");
  tw_project_take_area (project, "37183");
  tw_project_take_area (project, "37069");
  project_id = tw_project_add (store, project, &error);
  g_assert_no_error (error);
  g_assert_true (tw_share_write (store, &options, package_path, NULL, NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  window_test_init (&argc, &argv);

  tmpdir = make_tmpdir ("review");
  demo_path = make_demo (tmpdir);
  package_path = g_build_filename (tmpdir, "demo-shared.gpkg", NULL);
  comments_path = g_build_filename (tmpdir, "demo-shared-comments.json", NULL);
  prepare_project ();

  app = window_test_application (NULL);

  g_test_add_func ("/ui/review/share-dialog", test_share_dialog);
  g_test_add_func ("/ui/review/share-partner", test_share_partner);
  g_test_add_func ("/ui/review/open-package", test_open_package);
  g_test_add_func ("/ui/review/comments-round-trip", test_comments_round_trip);
  g_test_add_func ("/ui/review/unsaved-and-drop", test_unsaved_and_drop);
  g_test_add_func ("/ui/review/command-line", test_command_line);
  g_test_add_func ("/ui/review/abandoned-copies", test_abandoned_copies);
  g_test_add_func ("/ui/review/who-you-are", test_who_you_are);

  status = g_test_run ();

  g_clear_object (&app);
  remove_tree (tmpdir);
  g_free (demo_path);
  g_free (package_path);
  g_free (comments_path);
  g_free (tmpdir);
  return status;
}
