/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-choropleth-source"

#include <math.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "tw-choropleth-source.h"

#define TILE_SIZE 256
#define MAX_ZOOM 18

struct _TwChoroplethSource
{
  ShumateMapSource  parent_instance;

  TwGeometrySet    *geometry;
  TwMapStyle       *style;

  /* Written from the main thread only. */
  guint             n_pending;
  guint             n_tiles;
  double            max_tile_ms;
};

typedef struct
{
  TwGeometrySet *geometry;
  TwMapStyle    *style;
  int            z, x, y;
  double         ms;
} TileJob;

typedef struct
{
  GTask           *task;
  GTaskThreadFunc  func;
} PoolJob;

G_DEFINE_FINAL_TYPE (TwChoroplethSource, tw_choropleth_source, SHUMATE_TYPE_MAP_SOURCE)

static void
tile_job_free (TileJob *job)
{
  g_clear_pointer (&job->geometry, tw_geometry_set_unref);
  g_clear_pointer (&job->style, tw_map_style_unref);
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

void
tw_tile_task_run (GTask           *task,
                  GTaskThreadFunc  func)
{
  static GThreadPool *pool;
  PoolJob *job;

  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (func != NULL);

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (run_pool_job, NULL, (int) tw_tile_threads (),
                                                 FALSE, NULL));
  job = g_new (PoolJob, 1);
  job->task = g_object_ref (task);
  job->func = func;
  g_thread_pool_push (pool, job, NULL);
}

/* Whether any area of @geometry meets the tile, so that empty ocean costs nothing. */
static gboolean
stop_at_first (guint    area,
               gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return FALSE;
}

static void
fill_tile_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  TileJob *job = task_data;
  gint64 start = g_get_monotonic_time ();
  cairo_surface_t *surface;
  GdkTexture *texture;
  gboolean any = FALSE;
  TwBox box;

  if (g_task_return_error_if_cancelled (task))
    return;

  tw_tile_box (job->z, job->x, job->y, &box);
  tw_geometry_set_query (job->geometry, &box, stop_at_first, &any);
  surface = any ? tw_render_tile (job->geometry, job->style, job->z, job->x, job->y,
                                  TILE_SIZE)
                : cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
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
on_tile_rendered (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TwChoroplethSource *self = TW_CHOROPLETH_SOURCE (object);
  g_autoptr(GTask) outer = user_data;
  ShumateTile *tile = g_task_get_task_data (outer);
  TileJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  self->n_pending--;
  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (texture == NULL)
    {
      /* libshumate drops tile errors silently: say what went wrong. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("%s", error->message);
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }

  self->n_tiles++;
  self->max_tile_ms = MAX (self->max_tile_ms, job->ms);

  shumate_tile_set_paintable (tile, GDK_PAINTABLE (texture));
  shumate_tile_set_fade_in (tile, FALSE);
  shumate_tile_set_state (tile, SHUMATE_STATE_DONE);
  g_task_return_boolean (outer, TRUE);
}

static void
tw_choropleth_source_fill_tile_async (ShumateMapSource    *source,
                                      ShumateTile         *tile,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  TwChoroplethSource *self = TW_CHOROPLETH_SOURCE (source);
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  TileJob *job;

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, tw_choropleth_source_fill_tile_async);
  g_task_set_task_data (outer, g_object_ref (tile), g_object_unref);

  shumate_tile_set_state (tile, SHUMATE_STATE_LOADING);
  self->n_pending++;

  job = g_new0 (TileJob, 1);
  job->geometry = tw_geometry_set_ref (self->geometry);
  job->style = tw_map_style_ref (self->style);
  job->z = (int) shumate_tile_get_zoom_level (tile);
  job->x = (int) shumate_tile_get_x (tile);
  job->y = (int) shumate_tile_get_y (tile);

  /* The drawing reads only the immutable geometry and style: the tile widget itself is
   * touched back on the main thread. */
  inner = g_task_new (self, cancellable, on_tile_rendered, g_steal_pointer (&outer));
  g_task_set_task_data (inner, job, (GDestroyNotify) tile_job_free);
  tw_tile_task_run (inner, fill_tile_thread);
}

static gboolean
tw_choropleth_source_fill_tile_finish (ShumateMapSource  *source,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
tw_choropleth_source_finalize (GObject *object)
{
  TwChoroplethSource *self = TW_CHOROPLETH_SOURCE (object);

  g_clear_pointer (&self->geometry, tw_geometry_set_unref);
  g_clear_pointer (&self->style, tw_map_style_unref);

  G_OBJECT_CLASS (tw_choropleth_source_parent_class)->finalize (object);
}

static void
tw_choropleth_source_class_init (TwChoroplethSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateMapSourceClass *source_class = SHUMATE_MAP_SOURCE_CLASS (klass);

  object_class->finalize = tw_choropleth_source_finalize;
  source_class->fill_tile_async = tw_choropleth_source_fill_tile_async;
  source_class->fill_tile_finish = tw_choropleth_source_fill_tile_finish;
}

static void
tw_choropleth_source_init (TwChoroplethSource *self)
{
}

TwChoroplethSource *
tw_choropleth_source_new (TwGeometrySet *geometry,
                          TwMapStyle    *style)
{
  static guint serial;
  g_autofree char *id = NULL;
  TwChoroplethSource *self;

  g_return_val_if_fail (geometry != NULL, NULL);
  g_return_val_if_fail (style != NULL, NULL);

  /* libshumate keys its tile cache by source id: one id per style. */
  id = g_strdup_printf ("tractwise-choropleth-%u", ++serial);
  self = g_object_new (TW_TYPE_CHOROPLETH_SOURCE,
                       "id", id,
                       "name", "Tractwise choropleth",
                       "min-zoom-level", 0,
                       "max-zoom-level", MAX_ZOOM,
                       "tile-size", TILE_SIZE,
                       "projection", SHUMATE_MAP_PROJECTION_MERCATOR,
                       NULL);
  self->geometry = tw_geometry_set_ref (geometry);
  self->style = tw_map_style_ref (style);

  return self;
}

gboolean
tw_choropleth_source_draws (TwChoroplethSource *self,
                            TwMapStyle         *style)
{
  guint n;

  g_return_val_if_fail (TW_IS_CHOROPLETH_SOURCE (self), FALSE);
  g_return_val_if_fail (style != NULL, FALSE);

  n = tw_map_style_get_n_areas (style);
  if (tw_map_style_get_n_classes (self->style) != tw_map_style_get_n_classes (style)
      || tw_map_style_get_n_areas (self->style) != n)
    return FALSE;
  for (guint k = 0; k < tw_map_style_get_n_classes (style); k++)
    if (tw_map_style_get_fill (self->style, k) != tw_map_style_get_fill (style, k))
      return FALSE;
  for (guint i = 0; i < n; i++)
    if (tw_map_style_get_area (self->style, i) != tw_map_style_get_area (style, i))
      return FALSE;
  return TRUE;
}

TwGeometrySet *
tw_choropleth_source_get_geometry (TwChoroplethSource *self)
{
  g_return_val_if_fail (TW_IS_CHOROPLETH_SOURCE (self), NULL);

  return self->geometry;
}

TwMapStyle *
tw_choropleth_source_get_style (TwChoroplethSource *self)
{
  g_return_val_if_fail (TW_IS_CHOROPLETH_SOURCE (self), NULL);

  return self->style;
}

guint
tw_choropleth_source_get_n_tiles (TwChoroplethSource *self)
{
  g_return_val_if_fail (TW_IS_CHOROPLETH_SOURCE (self), 0);

  return self->n_tiles;
}

guint
tw_choropleth_source_get_n_pending (TwChoroplethSource *self)
{
  g_return_val_if_fail (TW_IS_CHOROPLETH_SOURCE (self), 0);

  return self->n_pending;
}

double
tw_choropleth_source_get_max_tile_ms (TwChoroplethSource *self)
{
  g_return_val_if_fail (TW_IS_CHOROPLETH_SOURCE (self), 0);

  return self->max_tile_ms;
}
