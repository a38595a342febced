/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "tw-application.h"
#include "tw-window.h"
#include "tw-window-private.h"

G_BEGIN_DECLS

/* g_test_init, then GTK as a window test wants it: no OpenStreetMap tiles, no
 * accessibility bus unless the test asked for one, no animations caught half-way. */
void            window_test_init        (int          *argc,
                                         char       ***argv);
/* The real application object (styles, actions, accelerators), registered but not run:
 * the test drives the main loop itself. NULL @application_id for the program's own. */
TwApplication  *window_test_application (const char   *application_id);
/* A new folder for the test's files, tw-test-@name-XXXXXX in the temporary folder. */
char           *make_tmpdir             (const char   *name);
/* Builds the demo project as dir/demo.tractwise with build-aux/make-demo; its path. */
char           *make_demo               (const char   *dir);
/* The JSON a tractwise-cli command prints (TW_CLI, arguments up to NULL; it must succeed). */
JsonNode       *run_cli_json            (const char   *first,
                                         ...) G_GNUC_NULL_TERMINATED;
/* Removes @dir and all it holds. */
void            remove_tree             (const char   *dir);
/* A window test program's set-up, once: a temporary folder for @name at @tmpdir (which
 * holds the test's XDG_DATA_HOME too), window_test_init (), the demo workspace in it at
 * @demo_path (when it is not NULL) and the application. */
TwApplication  *window_test_setup       (int          *argc,
                                         char       ***argv,
                                         const char   *name,
                                         char        **tmpdir,
                                         char        **demo_path);
/* Runs the tests added, then lets go of what window_test_setup () made (the folder stays
 * when TW_TEST_KEEP is set); the exit status. */
int             window_test_run         (TwApplication *app,
                                         char          *tmpdir,
                                         char          *demo_path);

/* A picture of a window, as a user sees it. */
typedef struct
{
  int     width, height;
  gsize   stride;
  guchar *data;  /* B8G8R8A8 premultiplied */
} Image;

/* Runs the main loop while @condition holds; fails the test after a minute. */
void        spin_while      (gboolean  (*condition) (gpointer),
                             gpointer    data);
/* A tick callback counting frames into the guint at @frames. */
gboolean    count_frame     (GtkWidget     *widget,
                             GdkFrameClock *clock,
                             gpointer       frames);
/* Lets the window draw three frames. */
void        wait_for_frames (GtkWidget  *widget);
/* Whether the window still loads, or its map's tiles in view are not all drawn yet. */
gboolean    map_not_drawn   (gpointer    window);
/* Until the map's tiles in view are drawn. */
void        wait_for_map    (TwWindow   *window);
/* A window of @width × @height showing the project at @path, its map drawn. */
TwWindow   *open_project_window (TwApplication *app,
                                 const char    *path,
                                 int            width,
                                 int            height);

/* Renders @window with its own renderer, saving the PNG as @name in G_TEST_BUILDDIR. */
Image      *render_window   (GtkWidget  *window,
                             const char *name);
void        image_free      (Image      *image);
/* The pixel at (@x, @y) as 0xRRGGBB. */
guint32     pixel           (const Image *image,
                             int          x,
                             int          y);
int         color_distance  (guint32     a,
                             guint32     b);
/* The smallest color_distance () to @color of the pixels within 2 of (@x, @y): a class
 * colour between the lines of the unreliable hatch. */
int         color_distance_near (const Image *image,
                             int          x,
                             int          y,
                             guint32      color);

/* Picks the item labelled @text in the picker named @picker ("measure", "method" …). */
void        select_picker   (TwWindow   *window,
                             const char *picker,
                             const char *text);

/* The first widget in @root's tree (@root too) of @type for which @match, if any, holds. */
typedef gboolean (*WidgetMatch) (GtkWidget     *widget,
                                 gconstpointer  data);
GtkWidget  *find_widget     (GtkWidget     *root,
                             GType          type,
                             WidgetMatch    match,
                             gconstpointer  data);
/* WidgetMatch for a mapped label showing the text @text. */
gboolean    label_says      (GtkWidget     *widget,
                             gconstpointer  text);
/* WidgetMatch for a widget with the CSS class @name. */
gboolean    has_css_class   (GtkWidget     *widget,
                             gconstpointer  name);
/* The widget of @root's tree that the .ui file calls @id. */
GtkWidget  *find_by_id      (GtkWidget     *root,
                             const char    *id);
/* A visible toplevel window of @type. */
GtkWindow  *find_toplevel   (GType          type);

/* The index of the area called @name on the window's map; -1 when there is none. */
int         find_area_named (TwWindow      *window,
                             const char    *name);
/* The map, and where its areas are in window coordinates. */
GtkWidget  *map_widget      (TwWindow   *window);
gboolean    world_to_window (TwWindow   *window,
                             double      wx,
                             double      wy,
                             double     *x,
                             double     *y);
int         hit_at_window   (TwWindow   *window,
                             double      x,
                             double      y);
gboolean    map_shows_at    (TwWindow   *window,
                             double      x,
                             double      y);
/* The colours (0xRRGGBB) of @image, every other pixel, where the map shows outside every
 * area and not under a card. */
GArray     *map_background_pixels (TwWindow    *window,
                                   const Image *image);
/* A point well inside @area, in window coordinates. */
gboolean    inner_point     (TwWindow   *window,
                             guint       area,
                             double     *x,
                             double     *y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Image, image_free)

G_END_DECLS
