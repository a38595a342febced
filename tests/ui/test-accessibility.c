/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-accessibility"

/*
 * What a screen reader and a keyboard user meet: every control of the main window, the
 * preferences and the import assistant has an accessible name, and the window can be driven
 * by the keyboard alone (real key presses, sent through the X server's XTest extension).
 *
 * GTK 4.8 has no public getter for accessible properties, and under GTK_A11Y=none (the other
 * window tests) widgets have no GtkATContext at all, so nothing could be read. Here GTK_A11Y
 * is "test": GTK's test context keeps what every widget declares, and
 * gtk_test_accessible_has_property (), _has_relation () and _check_property () read it.
 * (GTK 4.8 also makes a widget's tooltip its accessible description, which is why no check
 * here asks for descriptions: an icon button with only a tooltip has a description and no
 * name, which is what the walk below finds.)
 */

#include <stdio.h>
#include <string.h>
#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <gmodule.h>

#include "tw-application.h"
#include "tw-import-dialog.h"
#include "tw-preferences-window.h"
#include "tw-share.h"
#include "tw-share-dialog.h"
#include "tw-store.h"
#include "tw-window.h"
#include "tw-window-private.h"
#include "window-test-helpers.h"

#define WIDTH 1280
#define HEIGHT 800

static char *tmpdir;
static char *demo_path;
static TwApplication *app;

/* Accessible names */

/* Widgets built out of parts: the whole has the name; its inner button, text field or list
 * is not what a screen reader presents on its own. */
static gboolean
is_composite_control (GtkWidget *widget)
{
  return GTK_IS_DROP_DOWN (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_ENTRY (widget)
         || GTK_IS_SEARCH_ENTRY (widget) || GTK_IS_PASSWORD_ENTRY (widget)
         || GTK_IS_SPIN_BUTTON (widget) || ADW_IS_SPLIT_BUTTON (widget)
         || GTK_IS_SWITCH (widget) || GTK_IS_COLUMN_VIEW (widget) || ADW_IS_ENTRY_ROW (widget)
         || ADW_IS_COMBO_ROW (widget);
}

/* Containers that pass the keyboard on to what they hold. */
static gboolean
is_container (GtkWidget *widget)
{
  return GTK_IS_SCROLLED_WINDOW (widget) || GTK_IS_VIEWPORT (widget) || GTK_IS_PANED (widget)
         || GTK_IS_LIST_BOX (widget) || GTK_IS_LIST_VIEW (widget) || GTK_IS_GRID_VIEW (widget)
         || GTK_IS_FLOW_BOX (widget) || GTK_IS_STACK (widget) || GTK_IS_POPOVER (widget);
}

static gboolean
is_interactive (GtkWidget *widget)
{
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));

  if (GTK_IS_LIST_BOX_ROW (widget))
    return gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (widget));
  if (GTK_IS_BUTTON (widget) || is_composite_control (widget) || GTK_IS_CHECK_BUTTON (widget)
      || GTK_IS_SCALE (widget) || GTK_IS_TEXT_VIEW (widget) || GTK_IS_EDITABLE (widget))
    return TRUE;
  /* Anything else that takes the keyboard, as our map does; not a label that lets its text
   * be selected, nor the rows and cells of a list, which its columns name. */
  return gtk_widget_get_focusable (widget) && !is_container (widget) && !GTK_IS_LABEL (widget)
         && role != GTK_ACCESSIBLE_ROLE_ROW && role != GTK_ACCESSIBLE_ROLE_CELL
         && role != GTK_ACCESSIBLE_ROLE_GRID_CELL && role != GTK_ACCESSIBLE_ROLE_LIST_ITEM;
}

static char *
property_text (GtkWidget            *widget,
               GtkAccessibleProperty property)
{
  char *text;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), property))
    return NULL;
  /* The check returns the value whenever it is not the one expected, "". */
  text = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property, "");
  if (text != NULL && *text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static void add_widgets (GtkWidget *widget, GHashTable *widgets);

/* The widgets @widget is labelled by: GTK prints the relation as "GtkLabel<0x…> …"; each
 * pointer is looked up among the widgets of its window, never followed blindly. */
static GPtrArray *
labelled_by (GtkWidget *widget)
{
  g_autoptr(GHashTable) widgets = g_hash_table_new (NULL, NULL);
  g_autofree char *text = NULL;
  GPtrArray *targets = g_ptr_array_new ();

  if (!gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                         GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return targets;
  text = gtk_test_accessible_check_relation (GTK_ACCESSIBLE (widget),
                                             GTK_ACCESSIBLE_RELATION_LABELLED_BY, NULL);
  add_widgets (GTK_WIDGET (gtk_widget_get_root (widget)), widgets);
  for (const char *p = text != NULL ? strchr (text, '<') : NULL; p != NULL;
       p = strchr (p + 1, '<'))
    {
      gpointer target = NULL;

      if (sscanf (p + 1, "%p", &target) == 1 && g_hash_table_contains (widgets, target))
        g_ptr_array_add (targets, target);
    }
  return targets;
}

/* The name GTK gives @widget to assistive technologies (gtk_at_context_get_name () in 4.8):
 * its label property, then the names of the widgets it is labelled by (GTK sets both itself
 * from a button's or a label's own text). NULL when it has none. */
static char *
accessible_name (GtkWidget *widget)
{
  g_autoptr(GPtrArray) targets = NULL;
  GString *name;
  char *label = property_text (widget, GTK_ACCESSIBLE_PROPERTY_LABEL);

  if (label != NULL)
    return label;
  targets = labelled_by (widget);
  name = g_string_new (NULL);
  for (guint i = 0; i < targets->len; i++)
    {
      g_autofree char *part = property_text (g_ptr_array_index (targets, i),
                                             GTK_ACCESSIBLE_PROPERTY_LABEL);

      if (part != NULL)
        g_string_append_printf (name, "%s%s", name->len > 0 ? " " : "", part);
    }
  if (name->len == 0)
    {
      g_string_free (name, TRUE);
      return NULL;
    }
  return g_string_free (name, FALSE);
}

/* Where @widget is, in words a developer can find it by. */
static char *
describe_widget (GtkWidget *widget)
{
  GString *text = g_string_new (G_OBJECT_TYPE_NAME (widget));
  const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  /* GtkBuilder's own ids for objects without one mean nothing to a reader. */
  if (id != NULL && !g_str_has_prefix (id, "___"))
    g_string_append_printf (text, " #%s", id);
  if (tooltip != NULL)
    g_string_append_printf (text, " (tooltip “%s”)", tooltip);
  if (GTK_IS_BUTTON (widget) && gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL)
    g_string_append_printf (text, " (icon %s)", gtk_button_get_icon_name (GTK_BUTTON (widget)));
  for (GtkWidget *parent = gtk_widget_get_parent (widget); parent != NULL;
       parent = gtk_widget_get_parent (parent))
    {
      const char *parent_id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (parent));

      if (parent_id != NULL && g_str_has_prefix (parent_id, "___"))
        parent_id = NULL;
      if (parent_id != NULL || GTK_IS_ROOT (parent) || ADW_IS_PREFERENCES_ROW (parent))
        {
          g_string_append_printf (text, " in %s", G_OBJECT_TYPE_NAME (parent));
          if (parent_id != NULL)
            g_string_append_printf (text, " #%s", parent_id);
          if (ADW_IS_PREFERENCES_ROW (parent))
            g_string_append_printf (text, " “%s”",
                                    adw_preferences_row_get_title (ADW_PREFERENCES_ROW (parent)));
          break;
        }
    }
  return g_string_free (text, FALSE);
}

/* Parts no user can reach: hidden widgets (not popovers, hidden until their button opens
 * them), and the search field of preferences without search (libadwaita builds it anyway,
 * without a name). */
static gboolean
is_unreachable (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (!gtk_widget_get_visible (widget) && !GTK_IS_POPOVER (widget))
    return TRUE;
  return GTK_IS_SEARCH_ENTRY (widget) && ADW_IS_PREFERENCES_WINDOW (root)
         && !adw_preferences_window_get_search_enabled (ADW_PREFERENCES_WINDOW (root));
}

static void
add_widgets (GtkWidget  *widget,
             GHashTable *widgets)
{
  g_hash_table_add (widgets, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    add_widgets (child, widgets);
}

static void
collect_unnamed (GtkWidget *widget,
                 GPtrArray *unnamed,
                 guint     *n_checked)
{
  if (is_unreachable (widget))
    return;
  if (is_interactive (widget))
    {
      g_autofree char *name = accessible_name (widget);

      if (g_getenv ("TW_TEST_LIST_NAMES") != NULL)
        {
          g_autofree char *where = describe_widget (widget);
          g_autofree char *description = property_text (widget,
                                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

          g_test_message ("  “%s” (%s): %s", name != NULL ? name : "",
                          description != NULL ? description : "", where);
        }
      (*n_checked)++;
      if (name == NULL)
        g_ptr_array_add (unnamed, describe_widget (widget));
    }
  /* What a menu button opens holds controls of its own: the Classes popover, menus. */
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget)))
    collect_unnamed (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (widget))),
                     unnamed, n_checked);
  if (is_composite_control (widget))
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, unnamed, n_checked);
}

/* Fails, naming each one, when an interactive widget under @root has no accessible name. */
static void
assert_all_named (GtkWidget  *root,
                  const char *what)
{
  g_autoptr(GPtrArray) unnamed = g_ptr_array_new_with_free_func (g_free);
  guint n_checked = 0;

  collect_unnamed (root, unnamed, &n_checked);
  g_test_message ("%s: %u controls, %u without an accessible name", what, n_checked,
                  unnamed->len);
  for (guint i = 0; i < unnamed->len; i++)
    g_test_message ("  no name: %s", (char *) g_ptr_array_index (unnamed, i));
  if (unnamed->len > 0)
    g_error ("%s: %u controls have no accessible name, the first %s", what, unnamed->len,
             (char *) g_ptr_array_index (unnamed, 0));
  g_assert_cmpuint (n_checked, >, 5);
}

static TwWindow *
open_demo (void)
{
  return open_project_window (app, demo_path, WIDTH, HEIGHT);
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

static void
test_names (void)
{
  TwWindow *start = tw_window_new (app);
  TwWindow *window;
  TwPreferencesWindow *preferences;
  TwImportDialog *dialog;
  g_autoptr(GFile) project = NULL;
  g_autoptr(GFile) table = NULL;
  g_autofree char *csv = g_build_filename (g_getenv ("TW_FIXTURES"), "outcomes", "nc-long.csv",
                                           NULL);

  /* A window without a project: the start page. */
  gtk_window_present (GTK_WINDOW (start));
  wait_for_frames (GTK_WIDGET (start));
  assert_all_named (GTK_WIDGET (start), "The start page");
  gtk_window_destroy (GTK_WINDOW (start));

  window = open_demo ();
  assert_all_named (GTK_WIDGET (window), "The main window");

  /* The legend, as a screen reader has it: every row in words, not only in colour. */
  {
    GtkWidget *legend = find_by_id (GTK_WIDGET (window), "legend_card");
    g_autofree char *name = NULL;
    g_autofree char *text = NULL;
    const char *expected[] = { "Sudden infant death syndrome", "per 1,000", "0.00 – ",
                               "Suppressed (fewer than 11 events): 66 areas",
                               "No data: 0 areas" };

    g_assert_nonnull (legend);
    name = accessible_name (legend);
    text = property_text (legend, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    g_test_message ("The legend, “%s”: %s", name, text);
    g_assert_cmpstr (name, ==, "Legend");
    g_assert_nonnull (text);
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      if (strstr (text, expected[i]) == NULL)
        g_error ("The legend's description lacks “%s”: %s", expected[i], text);
  }

  preferences = tw_preferences_window_new (GTK_WINDOW (window), tw_application_get_settings (app));
  gtk_window_present (GTK_WINDOW (preferences));
  spin_while (preferences_busy, preferences);
  assert_all_named (GTK_WIDGET (preferences), "The preferences");
  gtk_window_destroy (GTK_WINDOW (preferences));

  project = g_file_new_for_path (demo_path);
  table = g_file_new_for_path (csv);
  dialog = tw_import_dialog_new (GTK_WINDOW (window), project, table);
  gtk_window_present (GTK_WINDOW (dialog));
  spin_while (import_reading, dialog);
  g_assert_cmpstr (tw_import_dialog_get_page (dialog), ==, "setup");
  assert_all_named (GTK_WIDGET (dialog), "The import assistant");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Sharing, and the review of what was shared (with its Comments page). */
  {
    TwShareDialog *share = tw_share_dialog_new (GTK_WINDOW (window), demo_path);
    g_autofree char *package = g_build_filename (tmpdir, "shared.gpkg", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (package);
    g_autoptr(GError) error = NULL;
    g_autoptr(TwStore) store = tw_store_open (demo_path, &error);
    TwWindow *review;

    gtk_window_present (GTK_WINDOW (share));
    spin_while ((gboolean (*) (gpointer)) tw_share_dialog_get_loading, share);
    assert_all_named (GTK_WIDGET (share), "The Share dialog");
    gtk_window_destroy (GTK_WINDOW (share));

    g_assert_true (tw_share_write (store, NULL, package, NULL, NULL, &error));
    g_assert_no_error (error);
    review = tw_window_new (app);
    gtk_window_set_default_size (GTK_WINDOW (review), WIDTH, HEIGHT);
    gtk_window_present (GTK_WINDOW (review));
    tw_window_open (review, file);
    wait_for_map (review);
    assert_all_named (GTK_WIDGET (review), "A share package in review");
    adw_view_stack_set_visible_child_name (tw_window_get_view_stack (review), "comments");
    wait_for_frames (GTK_WIDGET (review));
    assert_all_named (GTK_WIDGET (review), "The Comments page of a review");
    gtk_window_destroy (GTK_WINDOW (review));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The keyboard alone */

typedef int (*FakeKeyEvent) (Display      *display,
                             unsigned int  keycode,
                             Bool          is_press,
                             unsigned long delay);

static FakeKeyEvent fake_key_event;

static Display *
x_display (void)
{
  return gdk_x11_display_get_xdisplay (gdk_display_get_default ());
}

/* Lets GTK read and handle what the X server sent. */
static void
settle (void)
{
  gint64 end = g_get_monotonic_time () + 80 * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

static void
fake_key (guint    keyval,
          gboolean press)
{
  KeyCode code = XKeysymToKeycode (x_display (), keyval);

  g_assert_cmpuint (code, !=, 0);
  fake_key_event (x_display (), code, press, 0);
}

/* Presses and releases @keyval (a GDK key, which is the X keysym), with Control and Shift
 * held when asked, as a keyboard does: through the X server to the focused window. */
static void
press (guint    keyval,
       gboolean control,
       gboolean shift)
{
  if (control)
    fake_key (GDK_KEY_Control_L, TRUE);
  if (shift)
    fake_key (GDK_KEY_Shift_L, TRUE);
  fake_key (keyval, TRUE);
  fake_key (keyval, FALSE);
  if (shift)
    fake_key (GDK_KEY_Shift_L, FALSE);
  if (control)
    fake_key (GDK_KEY_Control_L, FALSE);
  XSync (x_display (), False);
  settle ();
}

static gboolean
window_not_active (gpointer window)
{
  return !gtk_window_is_active (window);
}

/* Gives @window the keyboard, as a window manager would when it is shown (Xvfb has none). */
static void
focus_window (GtkWindow *window)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  wait_for_frames (GTK_WIDGET (window));
  XSetInputFocus (x_display (), gdk_x11_surface_get_xid (surface), RevertToParent,
                  CurrentTime);
  XSync (x_display (), False);
  spin_while (window_not_active, window);
}

static gboolean
has_focus_within (GtkWindow *window,
                  GtkWidget *widget)
{
  GtkWidget *focus = gtk_window_get_focus (window);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* Presses Tab until the keyboard is in @widget; the number of presses it took. */
static guint
tab_to (GtkWindow *window,
        GtkWidget *widget)
{
  for (guint n = 0; n < 120; n++)
    {
      if (has_focus_within (window, widget))
        return n;
      press (GDK_KEY_Tab, FALSE, FALSE);
    }
  g_error ("Tab never reached %s", G_OBJECT_TYPE_NAME (widget));
}

/* The text of what has the keyboard, a list item: the label down its first children. */
static char *
focused_text (GtkWindow *window)
{
  GtkWidget *focus = gtk_window_get_focus (window);
  GString *text = g_string_new (NULL);

  for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_first_child (w))
    if (GTK_IS_LABEL (w))
      g_string_append (text, gtk_label_get_text (GTK_LABEL (w)));
  return g_string_free (text, FALSE);
}

static const char *
picked (GtkDropDown *dropdown)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);

  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

/* Whether the list of @dropdown is shown (it is a popover inside the drop-down). */
static gboolean
list_is_open (GtkDropDown *dropdown)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (dropdown)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      return gtk_widget_get_visible (child);
  return FALSE;
}

/* Opens @dropdown with Space, moves down the list with the arrow key until the item
 * @text has the keyboard, and picks it with Enter. */
static void
pick_by_keyboard (GtkWindow   *window,
                  GtkDropDown *dropdown,
                  const char  *text)
{
  tab_to (window, GTK_WIDGET (dropdown));
  press (GDK_KEY_space, FALSE, FALSE);
  g_assert_true (list_is_open (dropdown));
  for (guint n = 0; n < 20; n++)
    {
      g_autofree char *focused = focused_text (window);

      if (g_strcmp0 (focused, text) == 0)
        {
          press (GDK_KEY_Return, FALSE, FALSE);
          g_assert_cmpstr (picked (dropdown), ==, text);
          g_assert_false (list_is_open (dropdown));
          return;
        }
      press (GDK_KEY_Down, FALSE, FALSE);
    }
  g_error ("The arrow keys never reached “%s” in the list", text);
}

/* A dialog opened with Control and @keyval from @window, then closed with Escape. */
static void
open_and_escape (GtkWindow  *window,
                 guint       keyval,
                 GType       type,
                 const char *what)
{
  GtkWindow *dialog;

  g_assert_null (find_toplevel (type));
  press (keyval, TRUE, FALSE);
  dialog = find_toplevel (type);
  if (dialog == NULL)
    g_error ("Control+%s opened no %s", gdk_keyval_name (keyval), what);
  g_assert_true (gtk_window_get_transient_for (dialog) == window);
  focus_window (dialog);
  press (GDK_KEY_Escape, FALSE, FALSE);
  if (find_toplevel (type) != NULL)
    g_error ("Escape left the %s open", what);
  g_test_message ("Control+%s opened the %s; Escape closed it", gdk_keyval_name (keyval), what);
}

static void
test_keyboard (void)
{
  TwWindow *window;
  GtkWindow *gtk_window;
  GtkWidget *map;
  GtkDropDown *measure;
  ShumateViewport *viewport;
  g_autoptr(GPtrArray) cycle = g_ptr_array_new ();
  g_autofree char *before = NULL;
  const char *pickers[] = { "geography", "period" };
  TwImportDialog *dialog;
  g_autoptr(GFile) project = NULL;
  g_autoptr(GFile) table = NULL;
  g_autofree char *csv = NULL;
  g_autoptr(Image) focused_map = NULL;
  g_autoptr(Image) unfocused_map = NULL;
  double longitude, zoom;
  int selected;
  guint n;

  if (fake_key_event == NULL)
    {
      g_test_skip ("No XTest library (libXtst.so.6) to send key presses with");
      return;
    }
  window = open_demo ();
  gtk_window = GTK_WINDOW (window);
  map = GTK_WIDGET (shumate_simple_map_get_map (tw_window_get_map (window)));
  focus_window (gtk_window);

  /* Tab goes round the whole window and comes back: no control keeps the keyboard. */
  press (GDK_KEY_Tab, FALSE, FALSE);
  g_assert_nonnull (gtk_window_get_focus (gtk_window));
  g_ptr_array_add (cycle, gtk_window_get_focus (gtk_window));
  for (n = 0; n < 150; n++)
    {
      GtkWidget *focus;

      press (GDK_KEY_Tab, FALSE, FALSE);
      focus = gtk_window_get_focus (gtk_window);
      if (focus == g_ptr_array_index (cycle, 0))
        break;
      g_ptr_array_add (cycle, focus);
    }
  g_test_message ("Tab goes round %u controls", cycle->len);
  for (guint i = 0; i < cycle->len; i++)
    {
      g_autofree char *where = describe_widget (g_ptr_array_index (cycle, i));

      g_test_message ("  %s", where);
    }
  g_assert_cmpuint (n, <, 150);
  for (guint i = 0; i < G_N_ELEMENTS (pickers); i++)
    {
      GtkWidget *picker = GTK_WIDGET (tw_window_get_picker (window, pickers[i]));
      gboolean reached = FALSE;

      for (guint k = 0; k < cycle->len && !reached; k++)
        reached = gtk_widget_is_ancestor (g_ptr_array_index (cycle, k), picker);
      if (!reached)
        g_error ("Tab never reaches the %s picker", pickers[i]);
    }
  g_assert_true (g_ptr_array_find (cycle, map, NULL));
  /* The table is one stop, not one per row: its rows are for the arrow keys. */
  {
    GtkWidget *areas = GTK_WIDGET (tw_window_get_table (window));
    guint in_table = 0;

    for (guint i = 0; i < cycle->len; i++)
      in_table += gtk_widget_is_ancestor (g_ptr_array_index (cycle, i), areas);
    g_assert_cmpuint (in_table, ==, 1);
  }

  /* The pickers: Boston, then another measure, by the arrow keys and Enter. */
  pick_by_keyboard (gtk_window, tw_window_get_picker (window, "geography"), "Boston tracts");
  wait_for_map (window);
  g_assert_cmpstr (tw_area_layer_get_geography_name (tw_window_get_area_layer (window)), ==,
                   "Boston tracts");
  measure = tw_window_get_picker (window, "measure");
  before = g_strdup (tw_choropleth_get_measure_code (tw_window_get_choropleth (window)));
  tab_to (gtk_window, GTK_WIDGET (measure));
  press (GDK_KEY_space, FALSE, FALSE);
  press (GDK_KEY_Down, FALSE, FALSE);
  press (GDK_KEY_Return, FALSE, FALSE);
  wait_for_map (window);
  g_test_message ("Measure by keyboard: %s → %s (%s)", before,
                  tw_choropleth_get_measure_code (tw_window_get_choropleth (window)),
                  picked (measure));
  g_assert_cmpstr (tw_choropleth_get_measure_code (tw_window_get_choropleth (window)), !=,
                   before);

  /* The map: Right pans east, keypad + zooms in. */
  viewport = shumate_simple_map_get_viewport (tw_window_get_map (window));
  tab_to (gtk_window, map);
  longitude = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  zoom = shumate_viewport_get_zoom_level (viewport);
  press (GDK_KEY_Right, FALSE, FALSE);
  g_test_message ("Right arrow: longitude %.4f → %.4f", longitude,
                  shumate_location_get_longitude (SHUMATE_LOCATION (viewport)));
  g_assert_cmpfloat (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), >,
                     longitude + 1e-4);
  g_assert_true (has_focus_within (gtk_window, map));
  press (GDK_KEY_KP_Add, FALSE, FALSE);
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), >, zoom + 0.5);
  wait_for_map (window);
  focused_map = render_window (GTK_WIDGET (window), "keyboard-map-focused.png");

  /* The table: the arrow keys move along the rows, and the row picked is the area picked. */
  tab_to (gtk_window, GTK_WIDGET (tw_window_get_table (window)));
  press (GDK_KEY_Down, FALSE, FALSE);
  selected = tw_window_get_selected_area (window);
  press (GDK_KEY_Down, FALSE, FALSE);
  g_test_message ("Down arrow in the table: area %d → %d", selected,
                  tw_window_get_selected_area (window));
  g_assert_cmpint (tw_window_get_selected_area (window), >=, 0);
  g_assert_cmpint (tw_window_get_selected_area (window), !=, selected);
  /* The map showed it had the keyboard: a ring along its edge, gone once the focus left. */
  wait_for_frames (GTK_WIDGET (window));
  unfocused_map = render_window (GTK_WIDGET (window), "keyboard-map-unfocused.png");
  {
    double x, y;
    guint32 ring, plain;

    g_assert_true (gtk_widget_translate_coordinates (map, GTK_WIDGET (window), 1,
                                                     gtk_widget_get_height (map) / 2.0, &x, &y));
    ring = pixel (focused_map, (int) x, (int) y);
    plain = pixel (unfocused_map, (int) x, (int) y);
    g_test_message ("Map edge at %.0f,%.0f with the keyboard #%06x, without #%06x", x, y, ring,
                    plain);
    g_assert_cmpint (color_distance (ring, plain), >, 60);
  }

  /* And Shift+Tab leaves the table for the search field above it. */
  press (GDK_KEY_Tab, FALSE, TRUE);
  g_assert_false (has_focus_within (gtk_window, GTK_WIDGET (tw_window_get_table (window))));
  g_assert_true (GTK_IS_TEXT (gtk_window_get_focus (gtk_window)));

  /* Dialogs open from their shortcuts and close with Escape. */
  open_and_escape (gtk_window, GDK_KEY_comma, TW_TYPE_PREFERENCES_WINDOW, "preferences");
  focus_window (gtk_window);

  csv = g_build_filename (g_getenv ("TW_FIXTURES"), "outcomes", "nc-long.csv", NULL);
  project = g_file_new_for_path (demo_path);
  table = g_file_new_for_path (csv);
  dialog = tw_import_dialog_new (gtk_window, project, table);
  gtk_window_present (GTK_WINDOW (dialog));
  spin_while (import_reading, dialog);
  focus_window (GTK_WINDOW (dialog));
  press (GDK_KEY_Escape, FALSE, FALSE);
  g_assert_null (find_toplevel (TW_TYPE_IMPORT_DIALOG));

  gtk_window_destroy (gtk_window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* See the top of this file: the test context is what lets a test read accessible names. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  window_test_init (&argc, &argv);

  {
    GModule *xtst = g_module_open ("libXtst.so.6", G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);

    if (xtst == NULL || !g_module_symbol (xtst, "XTestFakeKeyEvent", (gpointer *) &fake_key_event))
      fake_key_event = NULL;
  }

  tmpdir = make_tmpdir ("a11y");
  demo_path = make_demo (tmpdir);

  app = window_test_application (NULL);

  g_test_add_func ("/ui/accessibility/names", test_names);
  g_test_add_func ("/ui/accessibility/keyboard", test_keyboard);

  status = g_test_run ();

  g_clear_object (&app);
  remove_tree (tmpdir);
  g_free (demo_path);
  g_free (tmpdir);

  return status;
}
