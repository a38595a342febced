/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-projects-page"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "tw-document.h"
#include "tw-error-text.h"
#include "tw-partners.h"
#include "tw-project-timeline.h"
#include "tw-projects-page.h"
#include "tw-store-lookups.h"
#include "tw-toast.h"

struct _TwProjectsPage
{
  AdwBin             parent_instance;

  /* Template widgets */
  GtkStack          *stack;
  GtkDropDown       *status_filter;
  GtkDropDown       *partner_filter;
  GtkDropDown       *measure_filter;
  GtkLabel          *count_label;
  TwProjectTimeline *timeline;
  GtkListBox        *list;
  TwProjectEditor   *editor;

  /* Owned */
  TwDocument        *document;
  GCancellable      *load_cancellable;
  TwAreaLayer       *layer;
  TwFootprintLayer  *footprints;
  GPtrArray         *projects;       /* TwProject *, every one */
  GPtrArray         *shown;          /* TwProject *, borrowed from @projects */
  GStrv              measures;
  GStrv              measure_labels;
  GStrv              partners;
  GHashTable        *hidden;         /* ids (gint64 *) of footprints toggled off */
  TwProject         *deleted;
  gint64             selected;
  gboolean           filling;
  gboolean           read_only;

  /* Choosing target areas */
  gint64             picking;        /* the project's id, 0 when not choosing */
  char              *picking_geography;
  GHashTable        *chosen;         /* area index + 1 */
  TwPickTool         tool;
  GArray            *drag;           /* double x, y pairs of the drag in progress */
  gboolean           dragging;
  gboolean           drag_add;
  char              *pick_return;    /* the window's page choosing began on, or NULL */

  /* Borrowed */
  ShumateSimpleMap  *map;
  GtkWidget         *pick_bar;       /* owned too: the map's overlay may go first */
  GtkLabel          *pick_label;
  GtkToggleButton   *tool_buttons[3];
};

/* What the page shows of the file, read in one go. */
typedef struct
{
  GPtrArray *projects;        /* TwProject * */
  GStrv      partners;        /* names */
  GStrv      measures;
  GStrv      measure_labels;
} ProjectLists;

G_DEFINE_FINAL_TYPE (TwProjectsPage, tw_projects_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SHOW_GEOGRAPHY,
  PICK_TABLE_AREA,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *statuses[] = {
  TW_PROJECT_STATUS_PLANNED, TW_PROJECT_STATUS_ACTIVE, TW_PROJECT_STATUS_PAUSED,
  TW_PROJECT_STATUS_COMPLETED,
};

static void update_footprints (TwProjectsPage *self);
static void reload_from (TwProjectsPage *self,
                         TwStore        *store);
static void set_read_only (TwProjectsPage *self,
                           gboolean        read_only);
static void show_lists (TwProjectsPage *self,
                        ProjectLists   *lists);
static void update_pick_bar (TwProjectsPage *self);

static void
show_message (TwProjectsPage *self,
              const char     *message)
{
  tw_toast_show (GTK_WIDGET (self), tw_toast_new_plain (message));
}

static void
project_lists_free (ProjectLists *lists)
{
  g_clear_pointer (&lists->projects, g_ptr_array_unref);
  g_strfreev (lists->partners);
  g_strfreev (lists->measures);
  g_strfreev (lists->measure_labels);
  g_free (lists);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ProjectLists, project_lists_free)

/* For a write the user waits on: a toast says why it cannot be made. */
static TwStore *
open_store (TwProjectsPage *self)
{
  g_autoptr(GError) error = NULL;
  TwStore *store;

  if (self->document == NULL)
    return NULL;
  if ((store = tw_document_open_store (self->document, TW_DOCUMENT_WRITE, &error)) == NULL)
    tw_error_toast_show (GTK_WIDGET (self), error);
  return store;
}

/* Tells the other views; this page has already shown its own write. */
static void
emit_changed (TwProjectsPage *self,
              const char     *detail)
{
  if (self->document == NULL)
    return;
  g_signal_handlers_block_matched (self->document, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  tw_document_emit_changed (self->document, detail);
  g_signal_handlers_unblock_matched (self->document, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                     self);
}

static gboolean
reveal_figures (TwProjectsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gboolean reveal = FALSE;

  if (root != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (root), "analyst-view"))
    g_object_get (root, "analyst-view", &reveal, NULL);
  return reveal;
}

static TwProject *
find_project (TwProjectsPage *self,
              gint64          id)
{
  for (guint i = 0; self->projects != NULL && i < self->projects->len; i++)
    if (((TwProject *) g_ptr_array_index (self->projects, i))->id == id)
      return g_ptr_array_index (self->projects, i);
  return NULL;
}

static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, TW_PROJECT_STATUS_ACTIVE) == 0)
    return _("Active");
  if (g_strcmp0 (status, TW_PROJECT_STATUS_PAUSED) == 0)
    return _("Paused");
  if (g_strcmp0 (status, TW_PROJECT_STATUS_COMPLETED) == 0)
    return _("Completed");
  return _("Planned");
}

/* Reading the file */

/* Runs in a worker thread, or in the main thread right after the page's own write. */
static gboolean
read_lists (TwStore       *store,
            gpointer       task_data,
            GCancellable  *cancellable,
            GError       **error)
{
  ProjectLists *lists = task_data;
  g_autoptr(GPtrArray) partners = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  if ((lists->projects = tw_project_list (store, error)) == NULL
      || (partners = tw_partners_list (store, error)) == NULL
      || !tw_store_list_measure_labels (store, &lists->measures, &lists->measure_labels, error))
    return FALSE;
  for (guint i = 0; i < partners->len; i++)
    g_strv_builder_add (names, ((TwPartner *) g_ptr_array_index (partners, i))->name);
  lists->partners = g_strv_builder_end (names);
  return TRUE;
}

static void
set_filter_items (GtkDropDown *dropdown,
                  const char  *any,
                  GStrv        items)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  GtkStringObject *current = gtk_drop_down_get_selected_item (dropdown);
  g_autofree char *keep = current != NULL
                          ? g_strdup (gtk_string_object_get_string (current)) : NULL;
  guint position = 0;

  gtk_string_list_append (model, any);
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      gtk_string_list_append (model, items[i]);
      if (g_strcmp0 (items[i], keep) == 0)
        position = i + 1;
    }
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (model));
  gtk_drop_down_set_selected (dropdown, position);
}

static gboolean
project_passes (TwProjectsPage *self,
                TwProject      *project)
{
  guint status = gtk_drop_down_get_selected (self->status_filter);
  guint partner = gtk_drop_down_get_selected (self->partner_filter);
  guint measure = gtk_drop_down_get_selected (self->measure_filter);

  if (status > 0 && status <= G_N_ELEMENTS (statuses)
      && g_strcmp0 (project->status, statuses[status - 1]) != 0)
    return FALSE;
  if (measure > 0 && self->measures != NULL && measure <= g_strv_length (self->measures)
      && g_strcmp0 (project->measure, self->measures[measure - 1]) != 0)
    return FALSE;
  if (partner > 0 && self->partners != NULL && partner <= g_strv_length (self->partners))
    {
      for (guint i = 0; i < project->partners->len; i++)
        if (g_strcmp0 (((TwProjectPartner *) g_ptr_array_index (project->partners, i))->name,
                       self->partners[partner - 1]) == 0)
          return TRUE;
      return FALSE;
    }
  return TRUE;
}

static char *
project_subtitle (const TwProject *project)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (parts, g_strdup (status_label (project->status)));
  if (project->start_date != NULL)
    g_ptr_array_add (parts, project->end_date != NULL
                            ? g_strdup_printf ("%s – %s", project->start_date, project->end_date)
                            : g_strdup_printf (_("from %s"), project->start_date));
  g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u area", "%u areas", project->areas->len),
                                           project->areas->len));
  if (project->partners->len > 0)
    g_ptr_array_add (parts, g_strdup (((TwProjectPartner *)
                                       g_ptr_array_index (project->partners, 0))->name));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static void
draw_status_dot (GtkDrawingArea *area,
                 cairo_t        *cr,
                 int             width,
                 int             height,
                 gpointer        user_data)
{
  guint32 rgb = GPOINTER_TO_UINT (user_data);

  cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
  cairo_fill (cr);
}

static GtkWidget *
create_project_row (const TwProject *project)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *dot = gtk_drawing_area_new ();
  g_autofree char *subtitle = project_subtitle (project);
  g_autofree char *css = g_strdup_printf ("status-%s", project->status);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), project->title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (dot), draw_status_dot,
                                  GUINT_TO_POINTER (tw_project_status_color (project->status)),
                                  NULL);
  gtk_widget_set_size_request (dot, 10, 10);
  gtk_widget_set_valign (dot, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (dot, "status-dot");
  gtk_widget_add_css_class (dot, css);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), dot);
  return row;
}

/* The list holds a row for each shown project, in order. */
static gint64
row_project_id (TwProjectsPage *self,
                GtkListBoxRow  *row)
{
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;

  if (index < 0 || self->shown == NULL || (guint) index >= self->shown->len)
    return 0;
  return ((TwProject *) g_ptr_array_index (self->shown, index))->id;
}

/* Fills the list and the timeline with the projects the filters let through. */
static void
apply_filters (TwProjectsPage *self)
{
  g_autofree char *count = NULL;
  GtkWidget *child;
  gint64 selected = self->selected;

  g_clear_pointer (&self->shown, g_ptr_array_unref);
  self->shown = g_ptr_array_new ();
  for (guint i = 0; self->projects != NULL && i < self->projects->len; i++)
    if (project_passes (self, g_ptr_array_index (self->projects, i)))
      g_ptr_array_add (self->shown, g_ptr_array_index (self->projects, i));

  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < self->shown->len; i++)
    gtk_list_box_append (self->list, create_project_row (g_ptr_array_index (self->shown, i)));
  self->filling = FALSE;
  tw_project_timeline_set_projects (self->timeline, self->shown);

  if (self->shown->len == self->projects->len)
    count = g_strdup_printf (ngettext ("%u project", "%u projects", self->projects->len),
                             self->projects->len);
  else
    count = g_strdup_printf (_("%u of %u projects"), self->shown->len, self->projects->len);
  gtk_label_set_text (self->count_label, count);

  self->selected = 0;
  if (find_project (self, selected) != NULL)
    tw_projects_page_select (self, selected);
  else if (self->shown->len > 0)
    tw_projects_page_select (self, ((TwProject *) g_ptr_array_index (self->shown, 0))->id);
  else
    {
      tw_project_editor_set_project (self->editor, NULL, FALSE, FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->editor), FALSE);
    }
  update_footprints (self);
}

static void
on_filter_changed (TwProjectsPage *self)
{
  if (!self->filling)
    apply_filters (self);
}

/* Footprints */

static void
update_footprints (TwProjectsPage *self)
{
  const char *geography;

  if (self->footprints == NULL)
    return;
  tw_footprint_layer_clear (self->footprints);
  if (self->layer == NULL || self->shown == NULL)
    return;
  geography = tw_area_layer_get_geography_name (self->layer);
  for (guint i = 0; i < self->shown->len; i++)
    {
      TwProject *project = g_ptr_array_index (self->shown, i);
      g_autoptr(GArray) areas = g_array_new (FALSE, FALSE, sizeof (guint));

      if (g_hash_table_contains (self->hidden, &project->id) || project->id == self->picking
          || g_strcmp0 (project->geography, geography) != 0)
        continue;
      for (guint j = 0; j < project->areas->len; j++)
        {
          int area = tw_area_layer_find_geoid (self->layer, g_ptr_array_index (project->areas, j));

          if (area >= 0)
            g_array_append_val (areas, area);
        }
      tw_footprint_layer_add (self->footprints, project->title, (guint *) areas->data,
                              areas->len);
    }
}

/* Choosing areas */

static void
chosen_to_layer (TwProjectsPage *self)
{
  g_autoptr(GArray) areas = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->chosen);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint area = GPOINTER_TO_UINT (key) - 1;

      g_array_append_val (areas, area);
    }
  tw_footprint_layer_set_chosen (self->footprints, self->picking != 0, (guint *) areas->data,
                                 areas->len);
  update_pick_bar (self);
}

static void
map_to_world (TwProjectsPage *self,
              double          x,
              double          y,
              double         *wx,
              double         *wy)
{
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
  GtkWidget *map = GTK_WIDGET (shumate_simple_map_get_map (self->map));
  double lat, lon;

  shumate_viewport_widget_coords_to_location (viewport, map, x, y, &lat, &lon);
  tw_world_from_lonlat (lon, lat, wx, wy);
}

typedef struct
{
  TwGeometrySet *geometry;
  TwBox          box;
  const double  *polygon;    /* world x, y pairs; NULL for the box alone */
  guint          n_points;
  double         tolerance;
  GArray        *inside;
} PickQuery;

static gboolean
point_in_polygon (const double *p,
                  guint         n,
                  double        x,
                  double        y)
{
  gboolean inside = FALSE;

  for (guint i = 0, j = n - 1; i < n; j = i++)
    if (((p[2 * i + 1] > y) != (p[2 * j + 1] > y))
        && x < (p[2 * j] - p[2 * i]) * (y - p[2 * i + 1]) / (p[2 * j + 1] - p[2 * i + 1])
               + p[2 * i])
      inside = !inside;
  return inside;
}

static gboolean
visit_candidate (guint    area,
                 gpointer user_data)
{
  PickQuery *query = user_data;
  TwBox box;

  tw_geometry_set_get_area_box (query->geometry, area, &box);
  if (box.min_x < query->box.min_x || box.max_x > query->box.max_x
      || box.min_y < query->box.min_y || box.max_y > query->box.max_y)
    return TRUE;
  if (query->polygon != NULL)
    {
      guint n_rings = tw_geometry_set_get_n_rings (query->geometry, area, query->tolerance);

      for (guint r = 0; r < n_rings; r++)
        {
          guint n;
          const float *p = tw_geometry_set_get_ring (query->geometry, area, query->tolerance,
                                                     r, &n);

          for (guint i = 0; i < n; i++)
            if (!point_in_polygon (query->polygon, query->n_points, p[2 * i], p[2 * i + 1]))
              return TRUE;
        }
    }
  g_array_append_val (query->inside, area);
  return TRUE;
}

/* Areas wholly inside the polygon (widget x, y pairs; 2 points: a rectangle's corners). */
static void
pick_shape (TwProjectsPage *self,
            const double   *points,
            guint           n_points,
            gboolean        add)
{
  g_autofree double *world = g_new (double, 2 * MAX (n_points, 4));
  g_autoptr(GArray) inside = g_array_new (FALSE, FALSE, sizeof (guint));
  PickQuery query = { 0 };
  guint n = n_points;

  if (self->picking == 0 || self->layer == NULL || n_points < 2)
    return;
  if (n_points == 2)
    {
      const double corners[8] = { points[0], points[1], points[2], points[1],
                                  points[2], points[3], points[0], points[3] };

      for (guint i = 0; i < 4; i++)
        map_to_world (self, corners[2 * i], corners[2 * i + 1], &world[2 * i],
                      &world[2 * i + 1]);
      n = 4;
    }
  else
    for (guint i = 0; i < n_points; i++)
      map_to_world (self, points[2 * i], points[2 * i + 1], &world[2 * i], &world[2 * i + 1]);

  query.geometry = tw_area_layer_get_geometry (self->layer);
  query.box = (TwBox) { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
  for (guint i = 0; i < n; i++)
    {
      query.box.min_x = MIN (query.box.min_x, world[2 * i]);
      query.box.max_x = MAX (query.box.max_x, world[2 * i]);
      query.box.min_y = MIN (query.box.min_y, world[2 * i + 1]);
      query.box.max_y = MAX (query.box.max_y, world[2 * i + 1]);
    }
  query.polygon = n_points > 2 ? world : NULL;
  query.n_points = n;
  {
    double x0, y0, x1, y1;

    /* Vertices tested at the detail drawn on screen: half a pixel. */
    map_to_world (self, 0, 0, &x0, &y0);
    map_to_world (self, 1, 0, &x1, &y1);
    query.tolerance = fabs (x1 - x0) / 2;
  }
  query.inside = inside;
  tw_geometry_set_query (query.geometry, &query.box, visit_candidate, &query);

  if (!add)
    g_hash_table_remove_all (self->chosen);
  for (guint i = 0; i < inside->len; i++)
    g_hash_table_add (self->chosen, GUINT_TO_POINTER (g_array_index (inside, guint, i) + 1));
  chosen_to_layer (self);
}

static void
on_pick_pressed (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 TwProjectsPage  *self)
{
  if (self->picking != 0 && self->tool == TW_PICK_TOOL_CLICK && n_press == 1)
    tw_projects_page_pick_click (self, x, y,
                                 (gtk_event_controller_get_current_event_state (
                                    GTK_EVENT_CONTROLLER (gesture)) & GDK_SHIFT_MASK) != 0);
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               TwProjectsPage *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (
                            GTK_EVENT_CONTROLLER (gesture));

  self->dragging = self->picking != 0
                   && (self->tool != TW_PICK_TOOL_CLICK || (state & GDK_CONTROL_MASK) != 0);
  if (!self->dragging)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  /* The map does not pan while a shape is drawn. */
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->drag_add = (state & GDK_SHIFT_MASK) != 0;
  g_array_set_size (self->drag, 0);
  g_array_append_vals (self->drag, (double[]) { x, y }, 2);
}

static gboolean
drag_is_lasso (TwProjectsPage *self)
{
  return self->tool == TW_PICK_TOOL_LASSO;
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                TwProjectsPage *self)
{
  const double *start = (const double *) self->drag->data;
  double point[2] = { start[0] + dx, start[1] + dy };

  if (!self->dragging)
    return;
  if (drag_is_lasso (self))
    g_array_append_vals (self->drag, point, 2);
  else
    {
      g_array_set_size (self->drag, 2);
      g_array_append_vals (self->drag, point, 2);
    }
  tw_footprint_layer_set_band (self->footprints, (double *) self->drag->data,
                               self->drag->len / 2, !drag_is_lasso (self));
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             TwProjectsPage *self)
{
  const double *start = (const double *) self->drag->data;

  if (!self->dragging)
    return;
  self->dragging = FALSE;
  tw_footprint_layer_set_band (self->footprints, NULL, 0, FALSE);
  if (fabs (dx) < 4 && fabs (dy) < 4)
    tw_projects_page_pick_click (self, start[0], start[1], self->drag_add);
  else if (drag_is_lasso (self) && self->drag->len >= 6)
    tw_projects_page_pick_lasso (self, (double *) self->drag->data, self->drag->len / 2,
                                 self->drag_add);
  else
    tw_projects_page_pick_rectangle (self, start[0], start[1], start[0] + dx, start[1] + dy,
                                     self->drag_add);
}

static void
on_tool_toggled (GtkToggleButton *button,
                 TwProjectsPage  *self)
{
  if (gtk_toggle_button_get_active (button))
    for (guint i = 0; i < G_N_ELEMENTS (self->tool_buttons); i++)
      if (self->tool_buttons[i] == button)
        self->tool = i;
}

/* Choosing began in the project's editor: Done or Cancel goes back to it, on the project. */
static void
return_from_picking (TwProjectsPage *self,
                     gint64          id)
{
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_VIEW_STACK);
  g_autofree char *page = g_steal_pointer (&self->pick_return);

  if (page == NULL || stack == NULL)
    return;
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), page);
  if (find_project (self, id) != NULL)
    tw_projects_page_select (self, id);
}

static void
on_pick_done (GtkButton      *button,
              TwProjectsPage *self)
{
  gint64 id = self->picking;

  tw_projects_page_pick_finish (self, TRUE);
  return_from_picking (self, id);
}

static void
on_pick_cancel (GtkButton      *button,
                TwProjectsPage *self)
{
  gint64 id = self->picking;

  tw_projects_page_pick_finish (self, FALSE);
  return_from_picking (self, id);
}

static void
on_pick_table (GtkButton      *button,
               TwProjectsPage *self)
{
  g_signal_emit (self, signals[PICK_TABLE_AREA], 0);
}

static GtkWidget *
create_pick_bar (TwProjectsPage *self)
{
  static const struct
  {
    const char *icon;
    const char *tooltip;
  } tools[] = {
    { "input-mouse-symbolic", N_("Click Areas (Shift-click adds or removes one)") },
    { "tw-select-rectangle-symbolic", N_("Drag a Rectangle (Ctrl-drag with any tool)") },
    { "tw-select-lasso-symbolic", N_("Draw a Lasso") },
  };
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *tool_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *button;

  gtk_widget_set_halign (bar, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (bar, GTK_ALIGN_START);
  gtk_widget_set_margin_top (bar, 12);
  gtk_widget_add_css_class (bar, "card");
  gtk_widget_add_css_class (bar, "map-card");
  gtk_widget_add_css_class (bar, "pick-bar");

  /* A long title wraps: cut short, it would hide how many areas are chosen. */
  self->pick_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->pick_label, TRUE);
  gtk_label_set_wrap_mode (self->pick_label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (self->pick_label, 40);
  gtk_label_set_xalign (self->pick_label, 0);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->pick_label));

  gtk_widget_add_css_class (tool_box, "linked");
  for (guint i = 0; i < G_N_ELEMENTS (tools); i++)
    {
      button = gtk_toggle_button_new ();
      gtk_button_set_icon_name (GTK_BUTTON (button), tools[i].icon);
      gtk_widget_set_tooltip_text (button, _(tools[i].tooltip));
      if (i > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), self->tool_buttons[0]);
      self->tool_buttons[i] = GTK_TOGGLE_BUTTON (button);
      g_signal_connect (button, "toggled", G_CALLBACK (on_tool_toggled), self);
      gtk_box_append (GTK_BOX (tool_box), button);
    }
  gtk_toggle_button_set_active (self->tool_buttons[0], TRUE);
  gtk_box_append (GTK_BOX (bar), tool_box);

  button = gtk_button_new_from_icon_name ("list-add-symbolic");
  gtk_widget_set_tooltip_text (button, _("Add the Area Selected in the Table"));
  g_signal_connect (button, "clicked", G_CALLBACK (on_pick_table), self);
  gtk_box_append (GTK_BOX (bar), button);

  button = gtk_button_new_with_mnemonic (_("_Cancel"));
  g_signal_connect (button, "clicked", G_CALLBACK (on_pick_cancel), self);
  gtk_box_append (GTK_BOX (bar), button);
  button = gtk_button_new_with_mnemonic (_("_Done"));
  gtk_widget_add_css_class (button, "suggested-action");
  g_signal_connect (button, "clicked", G_CALLBACK (on_pick_done), self);
  gtk_box_append (GTK_BOX (bar), button);

  gtk_widget_set_visible (bar, FALSE);
  return bar;
}

static void
update_pick_bar (TwProjectsPage *self)
{
  TwProject *project = find_project (self, self->picking);
  g_autofree char *text = NULL;
  guint n = g_hash_table_size (self->chosen);

  if (self->pick_bar == NULL)
    return;
  gtk_widget_set_visible (self->pick_bar, project != NULL);
  if (project == NULL)
    return;
  text = g_strdup_printf (ngettext ("%s: %u area chosen", "%s: %u areas chosen", n),
                          project->title, n);
  gtk_label_set_text (self->pick_label, text);
}

/* Starts choosing once the map shows the project's geography. */
static void
start_choosing (TwProjectsPage *self)
{
  TwProject *project = find_project (self, self->picking);

  g_hash_table_remove_all (self->chosen);
  for (guint i = 0; project != NULL && i < project->areas->len; i++)
    {
      int area = tw_area_layer_find_geoid (self->layer, g_ptr_array_index (project->areas, i));

      if (area >= 0)
        g_hash_table_add (self->chosen, GUINT_TO_POINTER (area + 1));
    }
  update_footprints (self);
  chosen_to_layer (self);
}

/* Editor and list */

static void
on_row_selected (TwProjectsPage *self,
                 GtkListBoxRow  *row)
{
  TwProject *project;

  if (self->filling || row == NULL)
    return;
  self->selected = row_project_id (self, row);
  project = find_project (self, self->selected);
  tw_project_timeline_set_selected (self->timeline, self->selected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->editor), project != NULL);
  tw_project_editor_set_project (self->editor, project,
                                 project != NULL
                                 && !g_hash_table_contains (self->hidden, &project->id),
                                 reveal_figures (self));
}

static void
on_timeline_activated (TwProjectsPage *self,
                       gint64          id)
{
  tw_projects_page_select (self, id);
}

static void
on_editor_saved (TwProjectsPage  *self,
                 const TwProject *saved)
{
  for (guint i = 0; self->projects != NULL && i < self->projects->len; i++)
    {
      TwProject *project = g_ptr_array_index (self->projects, i);

      if (project->id != saved->id)
        continue;
      g_ptr_array_index (self->projects, i) = tw_project_copy (saved);
      /* @shown borrows from @projects. */
      for (guint j = 0; self->shown != NULL && j < self->shown->len; j++)
        if (g_ptr_array_index (self->shown, j) == project)
          g_ptr_array_index (self->shown, j) = g_ptr_array_index (self->projects, i);
      tw_project_free (project);
      break;
    }
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && row_project_id (self, GTK_LIST_BOX_ROW (row)) == saved->id)
      {
        g_autofree char *subtitle = project_subtitle (saved);

        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), saved->title);
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      }
  gtk_widget_queue_resize (GTK_WIDGET (self->timeline));
  update_footprints (self);
  /* What a partner takes part in may have changed. */
  emit_changed (self, TW_DOCUMENT_CHANGED_PROJECTS);
}

static void
on_choose_areas (TwProjectsPage *self,
                 gint64          id)
{
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_VIEW_STACK);

  if (!tw_projects_page_pick_begin (self, id))
    return;
  if (stack != NULL)
    {
      g_free (self->pick_return);
      self->pick_return = g_strdup (adw_view_stack_get_visible_child_name (
                                      ADW_VIEW_STACK (stack)));
      adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "map");
    }
}

static void
on_footprint_toggled (TwProjectsPage *self,
                      gint64          id,
                      gboolean        shown)
{
  tw_projects_page_set_footprint_shown (self, id, shown);
}

static void
restore_deleted (TwProjectsPage *self)
{
  g_autoptr(TwStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (self->deleted == NULL || (store = open_store (self)) == NULL)
    return;
  if (!tw_project_restore (store, self->deleted, &error))
    {
      tw_error_toast_show (GTK_WIDGET (self), error);
      return;
    }
  id = self->deleted->id;
  g_clear_pointer (&self->deleted, tw_project_free);
  reload_from (self, store);
  g_clear_pointer (&store, tw_store_close);
  tw_projects_page_select (self, id);
  emit_changed (self, TW_DOCUMENT_CHANGED_PROJECTS);
}

static void
on_undo_clicked (AdwToast       *toast,
                 TwProjectsPage *self)
{
  restore_deleted (self);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  TwProjectsPage *self = TW_PROJECTS_PAGE (widget);
  g_autoptr(TwStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TwProject) project = tw_project_new (_("New Project"));
  gint64 id;

  tw_project_editor_flush (self->editor);
  if ((store = open_store (self)) == NULL)
    return;
  /* A new project is on the geography the map shows. */
  if (self->layer != NULL)
    project->geography = g_strdup (tw_area_layer_get_geography_name (self->layer));
  if ((id = tw_project_add (store, project, &error)) < 0)
    {
      tw_error_toast_show (GTK_WIDGET (self), error);
      return;
    }
  self->filling = TRUE;
  gtk_drop_down_set_selected (self->status_filter, 0);
  gtk_drop_down_set_selected (self->partner_filter, 0);
  gtk_drop_down_set_selected (self->measure_filter, 0);
  self->filling = FALSE;
  reload_from (self, store);
  g_clear_pointer (&store, tw_store_close);
  tw_projects_page_select (self, id);
  emit_changed (self, TW_DOCUMENT_CHANGED_PROJECTS);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TwProjectsPage *self = TW_PROJECTS_PAGE (widget);

  if (self->selected != 0)
    tw_projects_page_delete (self, self->selected);
}

static void
on_document_changed (TwProjectsPage *self)
{
  /* Partners and measures are the filters' and the editor's choices. */
  tw_projects_page_reload (self);
}

static void
on_read_only_changed (TwProjectsPage *self)
{
  set_read_only (self, self->document != NULL && tw_document_get_read_only (self->document));
}

static void
tw_projects_page_dispose (GObject *object)
{
  TwProjectsPage *self = TW_PROJECTS_PAGE (object);

  if (self->editor != NULL)
    tw_project_editor_flush (self->editor);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->document);
  if (self->pick_bar != NULL && gtk_widget_get_parent (self->pick_bar) != NULL)
    gtk_overlay_remove_overlay (GTK_OVERLAY (gtk_widget_get_parent (self->pick_bar)),
                                self->pick_bar);
  g_clear_object (&self->pick_bar);
  g_clear_object (&self->footprints);
  /* AdwBin drops its child (the template) itself. */

  G_OBJECT_CLASS (tw_projects_page_parent_class)->dispose (object);
}

static void
tw_projects_page_finalize (GObject *object)
{
  TwProjectsPage *self = TW_PROJECTS_PAGE (object);

  g_clear_pointer (&self->layer, tw_area_layer_unref);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->projects, g_ptr_array_unref);
  g_strfreev (self->measures);
  g_strfreev (self->measure_labels);
  g_strfreev (self->partners);
  g_hash_table_unref (self->hidden);
  g_hash_table_unref (self->chosen);
  g_clear_pointer (&self->deleted, tw_project_free);
  g_free (self->picking_geography);
  g_free (self->pick_return);
  g_array_unref (self->drag);

  G_OBJECT_CLASS (tw_projects_page_parent_class)->finalize (object);
}

static void
tw_projects_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TwProjectsPage *self = TW_PROJECTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_projects_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TwProjectsPage *self = TW_PROJECTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      tw_projects_page_set_document (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_projects_page_class_init (TwProjectsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_projects_page_dispose;
  object_class->finalize = tw_projects_page_finalize;
  object_class->get_property = tw_projects_page_get_property;
  object_class->set_property = tw_projects_page_set_property;

  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, TW_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TwProjectsPage::show-geography:
   * @self: the page
   * @geography: the geography's name
   *
   * Choosing a project's target areas needs the map on @geography: whoever holds the map
   * shows it, and choosing starts once its areas are set with tw_projects_page_set_layer().
   */
  signals[SHOW_GEOGRAPHY] = g_signal_new ("show-geography", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * TwProjectsPage::pick-table-area:
   * @self: the page
   *
   * The user asks to add the area selected in the areas table: whoever holds the table
   * answers with tw_projects_page_pick_area().
   */
  signals[PICK_TABLE_AREA] = g_signal_new ("pick-table-area", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  g_type_ensure (TW_TYPE_PROJECT_TIMELINE);
  g_type_ensure (TW_TYPE_PROJECT_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/"
                                               "tw-projects-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TwProjectsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TwProjectsPage, status_filter);
  gtk_widget_class_bind_template_child (widget_class, TwProjectsPage, partner_filter);
  gtk_widget_class_bind_template_child (widget_class, TwProjectsPage, measure_filter);
  gtk_widget_class_bind_template_child (widget_class, TwProjectsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, TwProjectsPage, timeline);
  gtk_widget_class_bind_template_child (widget_class, TwProjectsPage, list);
  gtk_widget_class_bind_template_child (widget_class, TwProjectsPage, editor);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_timeline_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_saved);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_areas);
  gtk_widget_class_bind_template_callback (widget_class, on_footprint_toggled);

  gtk_widget_class_install_action (widget_class, "projects.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "projects.delete", NULL, delete_action);
}

static void
tw_projects_page_init (TwProjectsPage *self)
{
  const char *status_names[] = {
    _("Planned"), _("Active"), _("Paused"), _("Completed"), NULL,
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->hidden = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->chosen = g_hash_table_new (NULL, NULL);
  self->drag = g_array_new (FALSE, FALSE, sizeof (double));
  self->filling = TRUE;
  set_filter_items (self->status_filter, _("All Statuses"), (GStrv) status_names);
  set_filter_items (self->partner_filter, _("All Partners"), NULL);
  set_filter_items (self->measure_filter, _("All Measures"), NULL);
  self->filling = FALSE;
}

void
tw_projects_page_set_map (TwProjectsPage   *self,
                          ShumateSimpleMap *map)
{
  GtkWidget *map_widget, *parent;
  GtkEventController *click, *drag;

  g_return_if_fail (TW_IS_PROJECTS_PAGE (self));
  g_return_if_fail (SHUMATE_IS_SIMPLE_MAP (map));
  g_return_if_fail (self->map == NULL);

  self->map = map;
  self->footprints = g_object_ref_sink (tw_footprint_layer_new (
                                          shumate_simple_map_get_viewport (map)));
  shumate_simple_map_add_overlay_layer (map, SHUMATE_LAYER (self->footprints));

  map_widget = GTK_WIDGET (shumate_simple_map_get_map (map));
  click = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  g_signal_connect_object (click, "released", G_CALLBACK (on_pick_pressed), self, 0);
  gtk_widget_add_controller (map_widget, click);
  drag = GTK_EVENT_CONTROLLER (gtk_gesture_drag_new ());
  gtk_event_controller_set_propagation_phase (drag, GTK_PHASE_CAPTURE);
  g_signal_connect_object (drag, "drag-begin", G_CALLBACK (on_drag_begin), self, 0);
  g_signal_connect_object (drag, "drag-update", G_CALLBACK (on_drag_update), self, 0);
  g_signal_connect_object (drag, "drag-end", G_CALLBACK (on_drag_end), self, 0);
  gtk_widget_add_controller (map_widget, drag);

  parent = gtk_widget_get_parent (GTK_WIDGET (map));
  if (GTK_IS_OVERLAY (parent))
    {
      self->pick_bar = g_object_ref (create_pick_bar (self));
      gtk_overlay_add_overlay (GTK_OVERLAY (parent), self->pick_bar);
    }
}

TwProjectsPage *
tw_projects_page_new (TwDocument *document)
{
  g_return_val_if_fail (document == NULL || TW_IS_DOCUMENT (document), NULL);

  return g_object_new (TW_TYPE_PROJECTS_PAGE, "document", document, NULL);
}

TwDocument *
tw_projects_page_get_document (TwProjectsPage *self)
{
  g_return_val_if_fail (TW_IS_PROJECTS_PAGE (self), NULL);

  return self->document;
}

void
tw_projects_page_set_document (TwProjectsPage *self,
                               TwDocument     *document)
{
  g_return_if_fail (TW_IS_PROJECTS_PAGE (self));
  g_return_if_fail (document == NULL || TW_IS_DOCUMENT (document));

  if (self->document == document)
    return;

  tw_project_editor_flush (self->editor);
  if (self->picking != 0)
    tw_projects_page_pick_finish (self, FALSE);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->document, document);
  if (document != NULL)
    {
      g_signal_connect_object (document, "changed::projects",
                               G_CALLBACK (on_document_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "changed::partners",
                               G_CALLBACK (on_document_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "changed::outcomes",
                               G_CALLBACK (on_document_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "changed::comments",
                               G_CALLBACK (on_document_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "notify::read-only",
                               G_CALLBACK (on_read_only_changed), self, G_CONNECT_SWAPPED);
    }
  self->selected = 0;
  g_clear_pointer (&self->deleted, tw_project_free);
  g_hash_table_remove_all (self->hidden);
  on_read_only_changed (self);
  /* Nothing of another project's stays on show while this one is read. */
  {
    g_autoptr(ProjectLists) none = g_new0 (ProjectLists, 1);

    none->projects = g_ptr_array_new_with_free_func ((GDestroyNotify) tw_project_free);
    show_lists (self, none);
    gtk_stack_set_visible_child_name (self->stack, "none");
  }
  tw_projects_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

void
tw_projects_page_set_layer (TwProjectsPage *self,
                            TwAreaLayer    *layer)
{
  g_return_if_fail (TW_IS_PROJECTS_PAGE (self));

  if (layer != NULL)
    tw_area_layer_ref (layer);
  g_clear_pointer (&self->layer, tw_area_layer_unref);
  self->layer = layer;
  if (self->footprints != NULL)
    tw_footprint_layer_set_geometry (self->footprints,
                                     layer != NULL ? tw_area_layer_get_geometry (layer) : NULL);
  update_footprints (self);
  if (self->picking != 0)
    {
      if (layer != NULL
          && g_strcmp0 (tw_area_layer_get_geography_name (layer), self->picking_geography) == 0)
        start_choosing (self);
      else
        tw_projects_page_pick_finish (self, FALSE);
    }
}

static void
show_lists (TwProjectsPage *self,
            ProjectLists   *lists)
{
  tw_project_editor_flush (self->editor);
  g_strfreev (self->partners);
  self->partners = g_steal_pointer (&lists->partners);
  g_strfreev (self->measures);
  self->measures = g_steal_pointer (&lists->measures);
  g_strfreev (self->measure_labels);
  self->measure_labels = g_steal_pointer (&lists->measure_labels);

  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->projects, g_ptr_array_unref);
  self->projects = g_steal_pointer (&lists->projects);

  self->filling = TRUE;
  set_filter_items (self->partner_filter, _("All Partners"), self->partners);
  set_filter_items (self->measure_filter, _("All Measures"), self->measures);
  self->filling = FALSE;
  tw_project_editor_set_context (self->editor, self->document, self->measures,
                                 self->measure_labels, self->partners);

  gtk_stack_set_visible_child_name (self->stack, self->projects->len > 0 ? "list" : "empty");
  apply_filters (self);
}

/* After the page's own write, from the store it wrote with: shown at once. */
static void
reload_from (TwProjectsPage *self,
             TwStore        *store)
{
  g_autoptr(ProjectLists) lists = g_new0 (ProjectLists, 1);
  g_autoptr(GError) error = NULL;

  /* A read on its way would show the file as it was before this write. */
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (!read_lists (store, lists, NULL, &error))
    {
      tw_error_toast_show (GTK_WIDGET (self), error);
      return;
    }
  show_lists (self, lists);
}

static void
on_lists_read (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TwProjectsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tw_document_run_finish (TW_DOCUMENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->load_cancellable);
      tw_error_toast_show (GTK_WIDGET (self), error);
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }
  g_clear_object (&self->load_cancellable);
  show_lists (self, tw_document_run_get_task_data (result));
}

void
tw_projects_page_reload (TwProjectsPage *self)
{
  g_return_if_fail (TW_IS_PROJECTS_PAGE (self));

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->document == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }
  self->load_cancellable = g_cancellable_new ();
  tw_document_run_async (self->document, TW_DOCUMENT_READ, read_lists, g_new0 (ProjectLists, 1),
                         (GDestroyNotify) project_lists_free, self->load_cancellable,
                         on_lists_read, g_object_ref (self));
}

guint
tw_projects_page_get_n_shown (TwProjectsPage *self)
{
  g_return_val_if_fail (TW_IS_PROJECTS_PAGE (self), 0);

  return self->shown != NULL ? self->shown->len : 0;
}

guint
tw_projects_page_get_n_projects (TwProjectsPage *self)
{
  g_return_val_if_fail (TW_IS_PROJECTS_PAGE (self), 0);

  return self->projects != NULL ? self->projects->len : 0;
}

void
tw_projects_page_select (TwProjectsPage *self,
                         gint64          id)
{
  g_return_if_fail (TW_IS_PROJECTS_PAGE (self));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && row_project_id (self, GTK_LIST_BOX_ROW (row)) == id)
      {
        if (gtk_list_box_get_selected_row (self->list) == GTK_LIST_BOX_ROW (row))
          on_row_selected (self, GTK_LIST_BOX_ROW (row));
        else
          gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (row));
        return;
      }
}

gint64
tw_projects_page_get_selected (TwProjectsPage *self)
{
  g_return_val_if_fail (TW_IS_PROJECTS_PAGE (self), 0);

  return self->selected;
}

static void
select_filter (GtkDropDown *dropdown,
               GStrv        items,
               const char  *value)
{
  guint position = 0;

  for (guint i = 0; value != NULL && items != NULL && items[i] != NULL; i++)
    if (g_strcmp0 (items[i], value) == 0)
      position = i + 1;
  gtk_drop_down_set_selected (dropdown, position);
}

void
tw_projects_page_set_filter (TwProjectsPage *self,
                             const char     *status,
                             const char     *partner,
                             const char     *measure)
{
  g_return_if_fail (TW_IS_PROJECTS_PAGE (self));

  self->filling = TRUE;
  select_filter (self->status_filter, (GStrv) statuses, status);
  select_filter (self->partner_filter, self->partners, partner);
  select_filter (self->measure_filter, self->measures, measure);
  self->filling = FALSE;
  apply_filters (self);
}

gboolean
tw_projects_page_delete (TwProjectsPage *self,
                         gint64          id)
{
  g_autoptr(TwStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  TwProject *deleted = NULL;
  AdwToast *toast;

  g_return_val_if_fail (TW_IS_PROJECTS_PAGE (self), FALSE);

  tw_project_editor_flush (self->editor);
  if (self->picking == id)
    tw_projects_page_pick_finish (self, FALSE);
  if ((store = open_store (self)) == NULL)
    return FALSE;
  if (!tw_project_delete (store, id, &deleted, &error))
    {
      tw_error_toast_show (GTK_WIDGET (self), error);
      return FALSE;
    }
  g_clear_pointer (&self->deleted, tw_project_free);
  self->deleted = deleted;
  title = g_strdup_printf (_("Project “%s” deleted"), deleted->title);
  toast = tw_toast_new_plain (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_clicked), self, 0);
  tw_toast_show (GTK_WIDGET (self), toast);
  /* The editor must not write the deleted project back. */
  tw_project_editor_set_project (self->editor, NULL, FALSE, FALSE);
  self->selected = 0;
  reload_from (self, store);
  emit_changed (self, TW_DOCUMENT_CHANGED_PROJECTS);
  return TRUE;
}

gboolean
tw_projects_page_undo (TwProjectsPage *self)
{
  g_return_val_if_fail (TW_IS_PROJECTS_PAGE (self), FALSE);

  if (self->deleted == NULL)
    return FALSE;
  restore_deleted (self);
  return self->deleted == NULL;
}

TwProjectEditor *
tw_projects_page_get_editor (TwProjectsPage *self)
{
  g_return_val_if_fail (TW_IS_PROJECTS_PAGE (self), NULL);

  return self->editor;
}

TwFootprintLayer *
tw_projects_page_get_footprints (TwProjectsPage *self)
{
  g_return_val_if_fail (TW_IS_PROJECTS_PAGE (self), NULL);

  return self->footprints;
}

void
tw_projects_page_set_footprint_shown (TwProjectsPage *self,
                                      gint64          id,
                                      gboolean        shown)
{
  g_return_if_fail (TW_IS_PROJECTS_PAGE (self));

  if (shown)
    g_hash_table_remove (self->hidden, &id);
  else
    g_hash_table_add (self->hidden, g_memdup2 (&id, sizeof id));
  update_footprints (self);
}

gboolean
tw_projects_page_pick_begin (TwProjectsPage *self,
                             gint64          id)
{
  TwProject *project;
  const TwProjectSummary *summary;

  g_return_val_if_fail (TW_IS_PROJECTS_PAGE (self), FALSE);

  if ((project = find_project (self, id)) == NULL || self->map == NULL || self->read_only)
    return FALSE;
  if (self->picking != 0)
    tw_projects_page_pick_finish (self, FALSE);
  self->picking = id;
  g_free (self->picking_geography);
  self->picking_geography = g_strdup (project->geography);

  if (self->layer != NULL
      && (project->geography == NULL
          || g_strcmp0 (tw_area_layer_get_geography_name (self->layer),
                        project->geography) == 0))
    {
      g_free (self->picking_geography);
      self->picking_geography = g_strdup (tw_area_layer_get_geography_name (self->layer));
      start_choosing (self);
      return TRUE;
    }

  /* The map switches to the project's geography; choosing starts once it is drawn. */
  summary = self->document != NULL ? tw_document_get_summary (self->document) : NULL;
  for (guint i = 0; summary != NULL && i < summary->geographies->len; i++)
    if (g_strcmp0 (((TwGeographySummary *) g_ptr_array_index (summary->geographies, i))->name,
                   project->geography) == 0)
      {
        g_signal_emit (self, signals[SHOW_GEOGRAPHY], 0, project->geography);
        update_pick_bar (self);
        return TRUE;
      }
  self->picking = 0;
  show_message (self, _("The map cannot show this project’s geography."));
  return FALSE;
}

gboolean
tw_projects_page_get_picking (TwProjectsPage *self)
{
  g_return_val_if_fail (TW_IS_PROJECTS_PAGE (self), FALSE);

  return self->picking != 0 && self->layer != NULL
         && g_strcmp0 (tw_area_layer_get_geography_name (self->layer),
                       self->picking_geography) == 0;
}

void
tw_projects_page_set_pick_tool (TwProjectsPage *self,
                                TwPickTool      tool)
{
  g_return_if_fail (TW_IS_PROJECTS_PAGE (self));
  g_return_if_fail (tool <= TW_PICK_TOOL_LASSO);

  if (self->tool_buttons[tool] != NULL)
    gtk_toggle_button_set_active (self->tool_buttons[tool], TRUE);
  self->tool = tool;
}

void
tw_projects_page_pick_click (TwProjectsPage *self,
                             double          x,
                             double          y,
                             gboolean        toggle)
{
  double wx, wy;
  int area;

  g_return_if_fail (TW_IS_PROJECTS_PAGE (self));

  if (!tw_projects_page_get_picking (self))
    return;
  map_to_world (self, x, y, &wx, &wy);
  area = tw_geometry_set_hit (tw_area_layer_get_geometry (self->layer), wx, wy);
  if (!toggle)
    g_hash_table_remove_all (self->chosen);
  if (area >= 0 && toggle && g_hash_table_contains (self->chosen, GINT_TO_POINTER (area + 1)))
    g_hash_table_remove (self->chosen, GINT_TO_POINTER (area + 1));
  else if (area >= 0)
    g_hash_table_add (self->chosen, GINT_TO_POINTER (area + 1));
  chosen_to_layer (self);
}

void
tw_projects_page_pick_rectangle (TwProjectsPage *self,
                                 double          x0,
                                 double          y0,
                                 double          x1,
                                 double          y1,
                                 gboolean        add)
{
  g_return_if_fail (TW_IS_PROJECTS_PAGE (self));

  if (tw_projects_page_get_picking (self))
    pick_shape (self, (double[]) { x0, y0, x1, y1 }, 2, add);
}

void
tw_projects_page_pick_lasso (TwProjectsPage *self,
                             const double   *points,
                             guint           n_points,
                             gboolean        add)
{
  g_return_if_fail (TW_IS_PROJECTS_PAGE (self));
  g_return_if_fail (points != NULL || n_points == 0);

  if (tw_projects_page_get_picking (self) && n_points >= 3)
    pick_shape (self, points, n_points, add);
}

void
tw_projects_page_pick_area (TwProjectsPage *self,
                            int             area)
{
  g_return_if_fail (TW_IS_PROJECTS_PAGE (self));

  if (!tw_projects_page_get_picking (self) || area < 0
      || (guint) area >= tw_area_layer_get_n_areas (self->layer))
    return;
  g_hash_table_add (self->chosen, GINT_TO_POINTER (area + 1));
  chosen_to_layer (self);
}

static int
compare_geoids (gconstpointer a,
                gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

GStrv
tw_projects_page_get_chosen (TwProjectsPage *self)
{
  g_autoptr(GPtrArray) geoids = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (TW_IS_PROJECTS_PAGE (self), NULL);

  if (self->layer != NULL)
    {
      g_hash_table_iter_init (&iter, self->chosen);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (geoids, g_strdup (tw_area_layer_get_geoid (self->layer,
                                                                    GPOINTER_TO_UINT (key) - 1)));
    }
  g_ptr_array_sort (geoids, compare_geoids);
  g_ptr_array_add (geoids, NULL);
  return (GStrv) g_ptr_array_steal (geoids, NULL);
}

gboolean
tw_projects_page_pick_finish (TwProjectsPage *self,
                              gboolean        apply)
{
  g_auto(GStrv) geoids = NULL;
  g_autoptr(TwStore) store = NULL;
  gint64 id;
  gboolean written = FALSE;

  g_return_val_if_fail (TW_IS_PROJECTS_PAGE (self), FALSE);

  if (self->picking == 0)
    return FALSE;
  id = self->picking;
  geoids = tw_projects_page_get_chosen (self);
  if (apply && tw_projects_page_get_picking (self))
    {
      g_autoptr(GError) error = NULL;

      tw_project_editor_flush (self->editor);
      if ((store = open_store (self)) != NULL
          && !tw_project_set_areas (store, id, (const char *const *) geoids, &error))
        tw_error_toast_show (GTK_WIDGET (self), error);
      else
        written = store != NULL;
    }
  self->picking = 0;
  g_hash_table_remove_all (self->chosen);
  if (self->footprints != NULL)
    tw_footprint_layer_set_chosen (self->footprints, FALSE, NULL, 0);
  update_pick_bar (self);
  if (written)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("%u target area saved",
                                                         "%u target areas saved",
                                                         g_strv_length (geoids)),
                                               g_strv_length (geoids));

      show_message (self, text);
      reload_from (self, store);
      tw_projects_page_select (self, id);
      emit_changed (self, TW_DOCUMENT_CHANGED_PROJECTS);
    }
  else
    update_footprints (self);
  return written;
}

static void
set_read_only (TwProjectsPage *self,
               gboolean        read_only)
{
  if (read_only && self->picking != 0)
    tw_projects_page_pick_finish (self, FALSE);
  self->read_only = read_only;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "projects.add", !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "projects.delete", !read_only);
  tw_project_editor_set_read_only (self->editor, read_only);
}
