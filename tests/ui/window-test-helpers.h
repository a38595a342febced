/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tw-window.h"
#include "tw-window-private.h"

G_BEGIN_DECLS

/* A picture of a window, as a user sees it. */
typedef struct
{
  int     width, height;
  gsize   stride;
  guchar *data;  /* B8G8R8A8 premultiplied */
} Image;

/* Runs the main loop while @condition holds; fails the test after 30 seconds. */
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

/* Picks the item labelled @text in the picker named @picker ("measure", "method" …). */
void        select_picker   (TwWindow   *window,
                             const char *picker,
                             const char *text);

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
/* A point well inside @area, in window coordinates. */
gboolean    inner_point     (TwWindow   *window,
                             guint       area,
                             double     *x,
                             double     *y);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Image, image_free)

G_END_DECLS
