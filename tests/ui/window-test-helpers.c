/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-window-helpers"

/* What the window tests share: the test program's set-up, running the main loop until
 * something happens, taking a picture of a window and reading its pixels, finding widgets,
 * and finding areas on the map. */

#include <math.h>
#include <glib/gstdio.h>

#include "window-test-helpers.h"

/* Set-up */

void
window_test_init (int    *argc,
                  char ***argv)
{
  /* No session bus under Xvfb, so no accessibility bus either. */
  g_setenv ("GTK_A11Y", "none", FALSE);
  /* Never the network in tests. */
  g_setenv ("TW_BASEMAP", "offline", TRUE);
  g_test_init (argc, argv, NULL);
  gtk_init ();
  /* Transitions would be caught half-way in the pictures. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

TwApplication *
window_test_application (const char *application_id)
{
  g_autoptr(GError) error = NULL;
  TwApplication *app;
  GLogLevelFlags fatal_mask;

  /* NON_UNIQUE so that no session bus is needed. */
  app = g_object_new (TW_TYPE_APPLICATION,
                      "application-id", application_id ? application_id : APPLICATION_ID,
                      "flags", G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN,
                      "resource-base-path", "/io/github/tractwise/Tractwise",
                      NULL);
  /* Xvfb runs without a session bus: GtkApplication warns and carries on, as it does
   * for a user without one. Only while registering are warnings not fatal. */
  fatal_mask = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_log_set_always_fatal (fatal_mask);
  return app;
}

char *
make_tmpdir (const char *name)
{
  g_autofree char *template = g_strdup_printf ("tw-test-%s-XXXXXX", name);
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (template, &error);

  g_assert_no_error (error);
  return dir;
}

char *
make_demo (const char *dir)
{
  const char *cli = g_getenv ("TW_CLI");
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "..", "..", "build-aux",
                                                   "make-demo", NULL);
  g_autofree char *path = g_build_filename (dir, "demo.tractwise", NULL);
  const char *argv[] = { script, cli, path, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_nonnull (cli);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

JsonNode *
run_cli_json (const char *first,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("TW_CLI"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("tractwise-cli %s failed: %s", first, err);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

void
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

TwApplication *
window_test_setup (int          *argc,
                   char       ***argv,
                   const char   *name,
                   char        **tmpdir,
                   char        **demo_path)
{
  g_autofree char *data_home = NULL;

  *tmpdir = make_tmpdir (name);
  /* Recent files, and the demo the start page builds, go to a folder of the test's own
   * (before GTK reads where the user's data is). */
  data_home = g_build_filename (*tmpdir, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  window_test_init (argc, argv);
  adw_init ();
  if (demo_path != NULL)
    *demo_path = make_demo (*tmpdir);
  return window_test_application (NULL);
}

int
window_test_run (TwApplication *app,
                 char          *tmpdir,
                 char          *demo_path)
{
  int status = g_test_run ();

  g_clear_object (&app);
  /* TW_TEST_KEEP: the files stay, to be looked at. */
  if (g_getenv ("TW_TEST_KEEP") == NULL)
    remove_tree (tmpdir);
  g_free (demo_path);
  g_free (tmpdir);
  return status;
}

/* Main loop helpers */

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
spin_while (gboolean (*condition) (gpointer),
            gpointer   data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (60, on_timeout, &timed_out);

  while (condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (id);
}

gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
fewer_than_three_frames (gpointer frames)
{
  return *(guint *) frames < 3;
}

void
wait_for_frames (GtkWidget *widget)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, count_frame, &frames, NULL);

  spin_while (fewer_than_three_frames, &frames);
  gtk_widget_remove_tick_callback (widget, id);
}

gboolean
map_not_drawn (gpointer window)
{
  if (g_getenv ("TW_TEST_TRACE"))
    g_printerr ("loading %d drawn %d layer %p choropleth %p\n", tw_window_get_loading (window),
                tw_window_get_map_drawn (window), tw_window_get_area_layer (window),
                tw_window_get_choropleth (window));
  return tw_window_get_loading (window) || !tw_window_get_map_drawn (window)
         || tw_window_get_area_layer (window) == NULL;
}

/* Waits for the figures and every tile in view, then for the frames that show them. */
void
wait_for_map (TwWindow *window)
{
  spin_while (map_not_drawn, window);
  wait_for_frames (GTK_WIDGET (window));
  spin_while (map_not_drawn, window);
  wait_for_frames (GTK_WIDGET (window));
}

TwWindow *
open_project_window (TwApplication *app,
                     const char    *path,
                     int            width,
                     int            height)
{
  TwWindow *window = tw_window_new (app);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  tw_window_open (window, file);
  wait_for_map (window);
  g_test_message ("%s opened and drawn in %.0f ms", path, tw_window_get_open_ms (window));
  return window;
}

/* Pixels */

void
image_free (Image *image)
{
  g_free (image->data);
  g_free (image);
}

Image *
render_window (GtkWidget  *window,
               const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  int width = gtk_widget_get_width (window), height = gtk_widget_get_height (window);
  graphene_rect_t bounds;
  Image *image;

  /* The paintable is the window with its frame (client-side decorations reach a few pixels
   * outside it): drawn at that size, then cut to the window, a pixel of the picture is the
   * pixel at the same window coordinates, not scaled. */
  g_assert_true (gtk_widget_compute_bounds (window, window, &bounds));
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                          gdk_paintable_get_intrinsic_width (paintable),
                          gdk_paintable_get_intrinsic_height (paintable));
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (-bounds.origin.x, -bounds.origin.y,
                                                              width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);

  image = g_new0 (Image, 1);
  image->width = gdk_texture_get_width (texture);
  image->height = gdk_texture_get_height (texture);
  image->stride = (gsize) image->width * 4;
  image->data = g_malloc ((gsize) image->height * image->stride);
  gdk_texture_download (texture, image->data, image->stride);
  return image;
}

guint32
pixel (const Image *image,
       int          x,
       int          y)
{
  const guchar *p;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, image->width);
  g_assert_cmpint (y, <, image->height);
  p = image->data + (gsize) y * image->stride + (gsize) x * 4;
  return ((guint32) p[2] << 16) | ((guint32) p[1] << 8) | p[0];
}

int
color_distance (guint32 a,
                guint32 b)
{
  return MAX (MAX (abs ((int) ((a >> 16) & 0xff) - (int) ((b >> 16) & 0xff)),
                   abs ((int) ((a >> 8) & 0xff) - (int) ((b >> 8) & 0xff))),
              abs ((int) (a & 0xff) - (int) (b & 0xff)));
}

int
color_distance_near (const Image *image,
                     int          x,
                     int          y,
                     guint32      color)
{
  int best = G_MAXINT;

  for (int dy = -2; dy <= 2; dy++)
    for (int dx = -2; dx <= 2; dx++)
      best = MIN (best, color_distance (pixel (image, x + dx, y + dy), color));
  return best;
}

/* Widgets */

GtkWidget *
find_widget (GtkWidget     *root,
             GType          type,
             WidgetMatch    match,
             gconstpointer  data)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (match == NULL || match (root, data)))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
has_css_class (GtkWidget     *widget,
               gconstpointer  css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

static gboolean
has_buildable_id (GtkWidget     *widget,
                  gconstpointer  id)
{
  return g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), id) == 0;
}

gboolean
label_says (GtkWidget     *widget,
            gconstpointer  text)
{
  return gtk_widget_get_mapped (widget)
         && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

GtkWidget *
find_by_id (GtkWidget  *root,
            const char *id)
{
  return find_widget (root, GTK_TYPE_WIDGET, has_buildable_id, id);
}

GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type)
          && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

/* Geometry on screen */

int
find_area_named (TwWindow   *window,
                 const char *name)
{
  TwAreaLayer *layer = tw_window_get_area_layer (window);

  for (guint i = 0; i < tw_area_layer_get_n_areas (layer); i++)
    if (g_strcmp0 (tw_area_layer_get_name (layer, i), name) == 0)
      return (int) i;
  return -1;
}

GtkWidget *
map_widget (TwWindow *window)
{
  return GTK_WIDGET (shumate_simple_map_get_map (tw_window_get_map (window)));
}

/* Window coordinates of world point (@wx, @wy); FALSE when off the map. */
gboolean
world_to_window (TwWindow *window,
                 double    wx,
                 double    wy,
                 double   *x,
                 double   *y)
{
  ShumateViewport *viewport = shumate_simple_map_get_viewport (tw_window_get_map (window));
  GtkWidget *map = map_widget (window);
  double lon, lat, mx, my;

  tw_world_to_lonlat (wx, wy, &lon, &lat);
  shumate_viewport_location_to_widget_coords (viewport, map, lat, lon, &mx, &my);
  if (mx < 0 || my < 0 || mx >= gtk_widget_get_width (map) || my >= gtk_widget_get_height (map))
    return FALSE;
  return gtk_widget_translate_coordinates (map, GTK_WIDGET (window), mx, my, x, y);
}

int
hit_at_window (TwWindow *window,
               double    x,
               double    y)
{
  ShumateViewport *viewport = shumate_simple_map_get_viewport (tw_window_get_map (window));
  double mx, my, lat, lon, wx, wy;

  if (!gtk_widget_translate_coordinates (GTK_WIDGET (window), map_widget (window), x, y,
                                         &mx, &my))
    return -1;
  shumate_viewport_widget_coords_to_location (viewport, map_widget (window), mx, my,
                                              &lat, &lon);
  tw_world_from_lonlat (lon, lat, &wx, &wy);
  return tw_geometry_set_hit (tw_area_layer_get_geometry (tw_window_get_area_layer (window)),
                              wx, wy);
}

/* Whether the map itself, not a card over it, shows at window point (@x, @y). */
gboolean
map_shows_at (TwWindow *window,
              double    x,
              double    y)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (window), x, y, GTK_PICK_DEFAULT);

  return picked != NULL && (picked == map_widget (window)
                            || gtk_widget_is_ancestor (picked, map_widget (window)));
}

GArray *
map_background_pixels (TwWindow    *window,
                       const Image *image)
{
  GtkWidget *map = map_widget (window);
  GArray *colors = g_array_new (FALSE, FALSE, sizeof (guint32));
  double ox, oy;

  g_assert_true (gtk_widget_translate_coordinates (map, GTK_WIDGET (window), 0, 0, &ox, &oy));
  for (int y = (int) oy + 2; y < (int) oy + gtk_widget_get_height (map) - 2; y += 2)
    for (int x = (int) ox + 2; x < (int) ox + gtk_widget_get_width (map) - 2; x += 2)
      {
        guint32 seen;

        if (!map_shows_at (window, x, y) || hit_at_window (window, x, y) >= 0)
          continue;
        seen = pixel (image, x, y);
        g_array_append_val (colors, seen);
      }
  return colors;
}

/* How far world point (@x, @y) lies from the full outline of @area, in world units. */
static double
distance_to_outline (TwGeometrySet *geometry,
                     guint          area,
                     double         x,
                     double         y)
{
  double best = G_MAXDOUBLE;
  guint n_rings = tw_geometry_set_get_n_rings (geometry, area, 0);

  for (guint r = 0; r < n_rings; r++)
    {
      guint n;
      const float *p = tw_geometry_set_get_ring (geometry, area, 0, r, &n);

      /* The edges, the closing one too (a ring need not repeat its first point). */
      for (guint i = 0; i < n; i++)
        {
          guint k = (i + 1) % n;
          double ax = p[2 * i], ay = p[2 * i + 1];
          double dx = p[2 * k] - ax, dy = p[2 * k + 1] - ay;
          double length2 = dx * dx + dy * dy;
          double t = length2 > 0 ? CLAMP (((x - ax) * dx + (y - ay) * dy) / length2, 0, 1) : 0;

          best = MIN (best, hypot (x - ax - t * dx, y - ay - t * dy));
        }
    }
  return best;
}

/* The point of @area farthest from its outline (on a 15 × 15 grid over its box: a pole of
 * inaccessibility, roughly) where the map is not covered, in window coordinates; FALSE
 * unless it is at least 6 px inside. The map draws simplified outlines, so near a boundary
 * its fill may give way to a neighbour's, an outline or a sliver of background. */
gboolean
inner_point (TwWindow *window,
             guint     area,
             double   *x,
             double   *y)
{
  TwGeometrySet *geometry = tw_area_layer_get_geometry (tw_window_get_area_layer (window));
  double best = 0;
  TwBox box;

  tw_geometry_set_get_area_box (geometry, area, &box);
  for (int j = 1; j < 16; j++)
    for (int i = 1; i < 16; i++)
      {
        double wx = box.min_x + (box.max_x - box.min_x) * i / 16;
        double wy = box.min_y + (box.max_y - box.min_y) * j / 16;
        double px, py, qx, qy, inside;

        /* Web Mercator keeps angles, so one scale holds in every direction. */
        if (tw_geometry_set_hit (geometry, wx, wy) != (int) area
            || !world_to_window (window, wx, wy, &px, &py)
            || !world_to_window (window, wx + 1e-6, wy, &qx, &qy)
            || !map_shows_at (window, px, py))
          continue;
        inside = distance_to_outline (geometry, area, wx, wy) * hypot (qx - px, qy - py) / 1e-6;
        if (inside > best)
          {
            best = inside;
            *x = px;
            *y = py;
          }
      }
  return best >= 6;
}

void
select_picker (TwWindow   *window,
               const char *picker,
               const char *text)
{
  GtkDropDown *dropdown = tw_window_get_picker (window, picker);
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), text) == 0)
        {
          gtk_drop_down_set_selected (dropdown, i);
          return;
        }
    }
  g_error ("No “%s” in the %s picker", text, picker);
}
