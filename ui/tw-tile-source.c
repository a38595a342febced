/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-tile-source"

#include "config.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "tw-tile-source.h"

#define TILE_SIZE 256
#define MAX_ZOOM 18

typedef struct
{
  /* Written from the main thread only. */
  guint  n_pending;
  guint  n_tiles;
  double max_tile_ms;
} TwTileSourcePrivate;

/* One tile on its way through a worker thread. */
typedef struct
{
  cairo_surface_t *(*draw_tile) (gpointer snapshot, int z, int x, int y, int size);
  void             (*free_snapshot) (gpointer snapshot);
  gpointer          snapshot;
  int               z, x, y;
  double            ms;
} TileJob;

typedef struct
{
  GTask           *task;
  GTaskThreadFunc  func;
} PoolJob;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (TwTileSource, tw_tile_source, SHUMATE_TYPE_MAP_SOURCE)

static void
tile_job_free (TileJob *job)
{
  if (job->free_snapshot != NULL)
    job->free_snapshot (job->snapshot);
  g_free (job);
}

/* GTK 4.8's cairo renderer converts a texture to its own premultiplied format on every
 * frame, through floats for most formats (about 0.4 ms a tile); packed RGB it copies
 * (0.05 ms), straight alpha it converts at half the premultiplied cost. So a tile with no
 * transparent pixel becomes packed RGB, any other straight-alpha BGRA; in the worker
 * thread, once. */
GdkTexture *
tw_texture_new_for_surface (cairo_surface_t *surface)
{
  g_autoptr(GBytes) bytes = NULL;
  int width, height, stride;
  const guint8 *data;
  gboolean opaque = TRUE;
  guint8 *pixels, *out;

  g_return_val_if_fail (surface != NULL, NULL);
  g_return_val_if_fail (cairo_image_surface_get_format (surface) == CAIRO_FORMAT_ARGB32,
                        NULL);

  cairo_surface_flush (surface);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  stride = cairo_image_surface_get_stride (surface);
  data = cairo_image_surface_get_data (surface);

  for (int y = 0; y < height && opaque; y++)
    {
      const guint32 *row = (const guint32 *) (data + (gsize) y * stride);

      for (int x = 0; x < width; x++)
        if ((row[x] >> 24) != 0xff)
          {
            opaque = FALSE;
            break;
          }
    }

  out = pixels = g_malloc ((gsize) width * height * (opaque ? 3 : 4));
  for (int y = 0; y < height; y++)
    {
      const guint32 *row = (const guint32 *) (data + (gsize) y * stride);

      for (int x = 0; x < width; x++)
        {
          guint32 p = row[x];
          guint a = p >> 24;

          if (opaque)
            {
              *out++ = (p >> 16) & 0xff;
              *out++ = (p >> 8) & 0xff;
              *out++ = p & 0xff;
            }
          else
            {
              /* cairo's pixels are premultiplied: undo it. */
              guint r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;

              if (a != 0 && a != 0xff)
                {
                  r = MIN (255, (r * 255 + a / 2) / a);
                  g = MIN (255, (g * 255 + a / 2) / a);
                  b = MIN (255, (b * 255 + a / 2) / a);
                }
              *out++ = b;
              *out++ = g;
              *out++ = r;
              *out++ = a;
            }
        }
    }

  bytes = g_bytes_new_take (pixels, (gsize) width * height * (opaque ? 3 : 4));
  return gdk_memory_texture_new (width, height,
                                 opaque ? GDK_MEMORY_R8G8B8 : GDK_MEMORY_B8G8R8A8,
                                 bytes, width * (opaque ? 3 : 4));
}

/* Tiles are drawn by a few threads of their own at a lower priority than the main thread,
 * one fewer than the cores: a burst of tiles after a pan must not take the CPU the next
 * frame needs. GLib's shared pool would run up to 10 at once. */
void
tw_thread_lower_priority (void)
{
#ifdef __linux__
  /* On Linux a thread id here names one thread, not the process. */
  setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10);
#endif
}

static void
run_pool_job (gpointer data,
              gpointer user_data)
{
  static GPrivate lowered;
  PoolJob *job = data;

  if (g_private_get (&lowered) == NULL)
    {
      tw_thread_lower_priority ();
      g_private_set (&lowered, GINT_TO_POINTER (1));
    }
  job->func (job->task, g_task_get_source_object (job->task), g_task_get_task_data (job->task),
             g_task_get_cancellable (job->task));
  g_object_unref (job->task);
  g_free (job);
}

guint
tw_tile_threads (void)
{
  static gsize n;

  if (g_once_init_enter (&n))
    {
      const char *env = g_getenv ("TW_TILE_THREADS");
      guint64 wanted = env != NULL ? g_ascii_strtoull (env, NULL, 10) : 0;

      if (wanted == 0)
        wanted = MAX (1, (int) g_get_num_processors () - 1);
      g_once_init_leave (&n, (gsize) MIN (wanted, 64));
    }
  return (guint) n;
}

/* Runs @func for @task in the tile threads, which every source shares. */
static void
run_in_tile_thread (GTask           *task,
                    GTaskThreadFunc  func)
{
  static GThreadPool *pool;
  PoolJob *job;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (run_pool_job, NULL, (int) tw_tile_threads (),
                                                 FALSE, NULL));
  job = g_new (PoolJob, 1);
  job->task = g_object_ref (task);
  job->func = func;
  g_thread_pool_push (pool, job, NULL);
}

static void
draw_tile_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  TileJob *job = task_data;
  gint64 start = g_get_monotonic_time ();
  cairo_surface_t *surface;
  GdkTexture *texture;

  if (g_task_return_error_if_cancelled (task))
    return;

  surface = job->draw_tile (job->snapshot, job->z, job->x, job->y, TILE_SIZE);
  if (surface == NULL || cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "Could not draw tile %d/%d/%d: %s", job->z, job->x, job->y,
                               surface ? cairo_status_to_string (cairo_surface_status (surface))
                                       : "no surface");
      g_clear_pointer (&surface, cairo_surface_destroy);
      return;
    }

  texture = tw_texture_new_for_surface (surface);
  cairo_surface_destroy (surface);
  job->ms = (g_get_monotonic_time () - start) / 1000.0;
  g_task_return_pointer (task, texture, g_object_unref);
}

static void
on_tile_drawn (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  TwTileSource *self = g_task_get_source_object (outer);
  TwTileSourcePrivate *priv = tw_tile_source_get_instance_private (self);
  ShumateTile *tile = g_task_get_task_data (outer);
  TileJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  priv->n_pending--;
  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("%s: %s", shumate_map_source_get_name (SHUMATE_MAP_SOURCE (self)),
                   error->message);
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }

  priv->n_tiles++;
  priv->max_tile_ms = MAX (priv->max_tile_ms, job->ms);

  shumate_tile_set_paintable (tile, GDK_PAINTABLE (texture));
  shumate_tile_set_fade_in (tile, FALSE);
  shumate_tile_set_state (tile, SHUMATE_STATE_DONE);
  g_task_return_boolean (outer, TRUE);
}

static void
tw_tile_source_fill_tile_async (ShumateMapSource    *source,
                                ShumateTile         *tile,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  TwTileSource *self = TW_TILE_SOURCE (source);
  TwTileSourceClass *klass = TW_TILE_SOURCE_GET_CLASS (self);
  TwTileSourcePrivate *priv = tw_tile_source_get_instance_private (self);
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  TileJob *job;

  g_assert (klass->draw_tile != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, tw_tile_source_fill_tile_async);
  g_task_set_task_data (outer, g_object_ref (tile), g_object_unref);

  shumate_tile_set_state (tile, SHUMATE_STATE_LOADING);
  priv->n_pending++;

  job = g_new0 (TileJob, 1);
  job->draw_tile = klass->draw_tile;
  job->free_snapshot = klass->free_snapshot;
  job->snapshot = klass->snapshot != NULL ? klass->snapshot (self) : NULL;
  job->z = (int) shumate_tile_get_zoom_level (tile);
  job->x = (int) shumate_tile_get_x (tile);
  job->y = (int) shumate_tile_get_y (tile);

  /* The worker reads only the snapshot: the tile widget is touched back on the main
   * thread. Only @outer holds the source, and only the main thread drops @outer, so that
   * the source is never finalized in a tile thread. */
  inner = g_task_new (NULL, cancellable, on_tile_drawn, g_steal_pointer (&outer));
  g_task_set_task_data (inner, job, (GDestroyNotify) tile_job_free);
  run_in_tile_thread (inner, draw_tile_thread);
}

static gboolean
tw_tile_source_fill_tile_finish (ShumateMapSource  *source,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
tw_tile_source_constructed (GObject *object)
{
  ShumateMapSource *source = SHUMATE_MAP_SOURCE (object);

  G_OBJECT_CLASS (tw_tile_source_parent_class)->constructed (object);

  shumate_map_source_set_min_zoom_level (source, 0);
  shumate_map_source_set_max_zoom_level (source, MAX_ZOOM);
  shumate_map_source_set_tile_size (source, TILE_SIZE);
  shumate_map_source_set_projection (source, SHUMATE_MAP_PROJECTION_MERCATOR);
}

static void
tw_tile_source_class_init (TwTileSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateMapSourceClass *source_class = SHUMATE_MAP_SOURCE_CLASS (klass);

  object_class->constructed = tw_tile_source_constructed;
  source_class->fill_tile_async = tw_tile_source_fill_tile_async;
  source_class->fill_tile_finish = tw_tile_source_fill_tile_finish;
}

static void
tw_tile_source_init (TwTileSource *self)
{
}

guint
tw_tile_source_get_n_tiles (TwTileSource *self)
{
  TwTileSourcePrivate *priv;

  g_return_val_if_fail (TW_IS_TILE_SOURCE (self), 0);

  priv = tw_tile_source_get_instance_private (self);
  return priv->n_tiles;
}

guint
tw_tile_source_get_n_pending (TwTileSource *self)
{
  TwTileSourcePrivate *priv;

  g_return_val_if_fail (TW_IS_TILE_SOURCE (self), 0);

  priv = tw_tile_source_get_instance_private (self);
  return priv->n_pending;
}

double
tw_tile_source_get_max_tile_ms (TwTileSource *self)
{
  TwTileSourcePrivate *priv;

  g_return_val_if_fail (TW_IS_TILE_SOURCE (self), 0);

  priv = tw_tile_source_get_instance_private (self);
  return priv->max_tile_ms;
}
