/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-tile-source"

#include "config.h"

#include "tw-tile-source.h"

/* The base class with no window: a source that paints each tile one colour, or fails. */

#define TEST_TYPE_SOURCE (test_source_get_type ())
G_DECLARE_FINAL_TYPE (TestSource, test_source, TEST, SOURCE, TwTileSource)

struct _TestSource
{
  TwTileSource parent_instance;

  guint32      color;       /* 0xRRGGBB */
  gboolean     fail;
  gint        *n_snapshots; /* taken and not freed yet */
};

typedef struct
{
  guint32  color;
  gboolean fail;
  gint    *n_snapshots;
} Snapshot;

G_DEFINE_FINAL_TYPE (TestSource, test_source, TW_TYPE_TILE_SOURCE)

static gpointer
test_source_snapshot (TwTileSource *source)
{
  TestSource *self = TEST_SOURCE (source);
  Snapshot *snapshot = g_new (Snapshot, 1);

  snapshot->color = self->color;
  snapshot->fail = self->fail;
  snapshot->n_snapshots = self->n_snapshots;
  g_atomic_int_inc (self->n_snapshots);
  return snapshot;
}

static void
test_source_free_snapshot (gpointer data)
{
  Snapshot *snapshot = data;

  g_atomic_int_add (snapshot->n_snapshots, -1);
  g_free (snapshot);
}

static cairo_surface_t *
test_source_draw_tile (gpointer data,
                       int      z,
                       int      x,
                       int      y,
                       int      size)
{
  Snapshot *snapshot = data;
  cairo_surface_t *surface;
  cairo_t *cr;

  if (snapshot->fail)
    return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, -1, -1);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, ((snapshot->color >> 16) & 0xff) / 255.0,
                        ((snapshot->color >> 8) & 0xff) / 255.0, (snapshot->color & 0xff) / 255.0);
  cairo_paint (cr);
  cairo_destroy (cr);
  return surface;
}

static void
test_source_class_init (TestSourceClass *klass)
{
  TwTileSourceClass *tile_source_class = TW_TILE_SOURCE_CLASS (klass);

  tile_source_class->snapshot = test_source_snapshot;
  tile_source_class->free_snapshot = test_source_free_snapshot;
  tile_source_class->draw_tile = test_source_draw_tile;
}

static void
test_source_init (TestSource *self)
{
}

static gint n_snapshots;

static TestSource *
test_source_new (guint32 color)
{
  TestSource *self = g_object_new (TEST_TYPE_SOURCE, "id", "test", "name", "Test tiles",
                                   NULL);

  self->color = color;
  self->n_snapshots = &n_snapshots;
  return self;
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Fill;

static void
on_filled (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fill *fill = user_data;

  fill->ok = shumate_map_source_fill_tile_finish (SHUMATE_MAP_SOURCE (object), result,
                                                  &fill->error);
  fill->done = TRUE;
}

static void
fill_tile (TestSource   *source,
           ShumateTile  *tile,
           GCancellable *cancellable,
           Fill         *fill)
{
  shumate_map_source_fill_tile_async (SHUMATE_MAP_SOURCE (source), tile, cancellable,
                                      on_filled, fill);
}

static void
wait_for (Fill *fill)
{
  while (!fill->done)
    g_main_context_iteration (NULL, TRUE);
}

/* A tile's snapshot goes with its worker's task, which the tile thread may drop a moment
 * after the tile is back. */
static gboolean
snapshots_freed (void)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  while (g_atomic_int_get (&n_snapshots) != 0 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return g_atomic_int_get (&n_snapshots) == 0;
}

static guint32
texture_pixel (GdkTexture *texture,
               int         x,
               int         y)
{
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  g_autofree guint32 *pixels = g_new (guint32, (gsize) width * height);

  /* GDK_MEMORY_DEFAULT: premultiplied ARGB, native endian, like cairo's */
  gdk_texture_download (texture, (guint8 *) pixels, (gsize) width * 4);
  return pixels[(gsize) y * width + x] & 0xffffff;
}

/* The tile failed with @code and nothing is left of it. */
static void
assert_no_tile (TestSource  *source,
                ShumateTile *tile,
                Fill        *fill,
                int          code)
{
  g_assert_false (fill->ok);
  g_assert_error (fill->error, G_IO_ERROR, code);
  g_clear_error (&fill->error);
  g_assert_null (shumate_tile_get_paintable (tile));
  g_assert_cmpuint (tw_tile_source_get_n_tiles (TW_TILE_SOURCE (source)), ==, 0);
  g_assert_cmpuint (tw_tile_source_get_n_pending (TW_TILE_SOURCE (source)), ==, 0);
  g_assert_true (snapshots_freed ());
}

/* Every tile source draws 256-pixel Mercator tiles from zoom 0 to 18. */
static void
test_tile_geometry (void)
{
  g_autoptr(TestSource) source = test_source_new (0x336699);
  ShumateMapSource *map_source = SHUMATE_MAP_SOURCE (source);

  g_assert_cmpuint (shumate_map_source_get_tile_size (map_source), ==, 256);
  g_assert_cmpuint (shumate_map_source_get_min_zoom_level (map_source), ==, 0);
  g_assert_cmpuint (shumate_map_source_get_max_zoom_level (map_source), ==, 18);
  g_assert_cmpint (shumate_map_source_get_projection (map_source), ==,
                   SHUMATE_MAP_PROJECTION_MERCATOR);
}

/* A tile comes back drawn, in the colours the source had when it was asked for, and the
 * counts follow. */
static void
test_tile_drawn_from_snapshot (void)
{
  g_autoptr(TestSource) source = test_source_new (0x336699);
  g_autoptr(ShumateTile) first = shumate_tile_new_full (1, 2, 256, 3);
  g_autoptr(ShumateTile) second = shumate_tile_new_full (2, 2, 256, 3);
  Fill a = { 0 }, b = { 0 };
  GdkPaintable *paintable;

  fill_tile (source, first, NULL, &a);
  g_assert_cmpint (shumate_tile_get_state (first), ==, SHUMATE_STATE_LOADING);
  g_assert_cmpuint (tw_tile_source_get_n_pending (TW_TILE_SOURCE (source)), ==, 1);
  /* a change after the request is not what the first tile shows */
  source->color = 0xcc3311;
  fill_tile (source, second, NULL, &b);
  wait_for (&a);
  wait_for (&b);

  g_assert_no_error (a.error);
  g_assert_true (a.ok && b.ok);
  g_assert_cmpint (shumate_tile_get_state (first), ==, SHUMATE_STATE_DONE);
  paintable = shumate_tile_get_paintable (first);
  g_assert_true (GDK_IS_TEXTURE (paintable));
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (paintable)), ==, 256);
  g_assert_cmphex (texture_pixel (GDK_TEXTURE (paintable), 128, 128), ==, 0x336699);
  g_assert_cmphex (texture_pixel (GDK_TEXTURE (shumate_tile_get_paintable (second)), 0, 255),
                   ==, 0xcc3311);
  g_assert_cmpuint (tw_tile_source_get_n_tiles (TW_TILE_SOURCE (source)), ==, 2);
  g_assert_cmpuint (tw_tile_source_get_n_pending (TW_TILE_SOURCE (source)), ==, 0);
  g_assert_cmpfloat (tw_tile_source_get_max_tile_ms (TW_TILE_SOURCE (source)), >, 0);
  g_assert_true (snapshots_freed ());
}

/* A tile that cannot be drawn fails with a warning naming the source and the tile, since
 * libshumate would drop the error silently. */
static void
test_failed_tile_is_logged (void)
{
  g_autoptr(TestSource) source = test_source_new (0x336699);
  g_autoptr(ShumateTile) tile = shumate_tile_new_full (1, 2, 256, 3);
  Fill fill = { 0 };

  source->fail = TRUE;
  g_test_expect_message ("tw-tile-source", G_LOG_LEVEL_WARNING,
                         "Test tiles: Could not draw tile 3/1/2: *");
  fill_tile (source, tile, NULL, &fill);
  wait_for (&fill);
  g_test_assert_expected_messages ();

  assert_no_tile (source, tile, &fill, G_IO_ERROR_FAILED);
}

/* A tile cancelled before it is drawn ends as cancelled, quietly. */
static void
test_cancelled_tile (void)
{
  g_autoptr(TestSource) source = test_source_new (0x336699);
  g_autoptr(ShumateTile) tile = shumate_tile_new_full (1, 2, 256, 3);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Fill fill = { 0 };

  g_cancellable_cancel (cancellable);
  fill_tile (source, tile, cancellable, &fill);
  wait_for (&fill);

  assert_no_tile (source, tile, &fill, G_IO_ERROR_CANCELLED);
}

static void
note_thread (gpointer data,
             GObject *where_the_object_was)
{
  *(GThread **) data = g_thread_self ();
}

/* Dropped while its tiles are drawn, a source goes once they are done, on the main thread
 * (its subclasses' finalizers touch widgets and signals), never in a tile thread. */
static void
test_source_dropped_while_drawing (void)
{
  TestSource *source = test_source_new (0x336699);
  Fill fills[32] = { { 0 } };
  ShumateTile *tiles[32];
  GThread *finalized_in = NULL;

  g_object_weak_ref (G_OBJECT (source), note_thread, &finalized_in);
  for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
    {
      tiles[i] = shumate_tile_new_full (i, 0, 256, 5);
      fill_tile (source, tiles[i], NULL, &fills[i]);
    }
  g_object_unref (source);
  for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
    {
      wait_for (&fills[i]);
      g_assert_no_error (fills[i].error);
      g_assert_cmpint (shumate_tile_get_state (tiles[i]), ==, SHUMATE_STATE_DONE);
      g_object_unref (tiles[i]);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (finalized_in == g_thread_self ());
  g_assert_true (snapshots_freed ());
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/tile-source/tile-geometry", test_tile_geometry);
  g_test_add_func ("/ui/tile-source/drawn-from-snapshot", test_tile_drawn_from_snapshot);
  g_test_add_func ("/ui/tile-source/failed-tile-is-logged", test_failed_tile_is_logged);
  g_test_add_func ("/ui/tile-source/cancelled-tile", test_cancelled_tile);
  g_test_add_func ("/ui/tile-source/dropped-while-drawing", test_source_dropped_while_drawing);

  return g_test_run ();
}
