/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-choropleth-source"

#include "tw-choropleth-source.h"

struct _TwChoroplethSource
{
  TwTileSource   parent_instance;

  TwGeometrySet *geometry;
  TwMapStyle    *style;
};

/* What a tile reads: both are immutable. */
typedef struct
{
  TwGeometrySet *geometry;
  TwMapStyle    *style;
} Snapshot;

G_DEFINE_FINAL_TYPE (TwChoroplethSource, tw_choropleth_source, TW_TYPE_TILE_SOURCE)

/* Whether any area of @geometry meets the tile, so that empty ocean costs nothing. */
static gboolean
stop_at_first (guint    area,
               gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return FALSE;
}

static gpointer
tw_choropleth_source_snapshot (TwTileSource *source)
{
  TwChoroplethSource *self = TW_CHOROPLETH_SOURCE (source);
  Snapshot *snapshot = g_new (Snapshot, 1);

  snapshot->geometry = tw_geometry_set_ref (self->geometry);
  snapshot->style = tw_map_style_ref (self->style);
  return snapshot;
}

static void
tw_choropleth_source_free_snapshot (gpointer data)
{
  Snapshot *snapshot = data;

  tw_geometry_set_unref (snapshot->geometry);
  tw_map_style_unref (snapshot->style);
  g_free (snapshot);
}

static cairo_surface_t *
tw_choropleth_source_draw_tile (gpointer data,
                                int      z,
                                int      x,
                                int      y,
                                int      size)
{
  Snapshot *snapshot = data;
  gboolean any = FALSE;
  TwBox box;

  tw_tile_box (z, x, y, &box);
  tw_geometry_set_query (snapshot->geometry, &box, stop_at_first, &any);
  if (!any)
    return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  return tw_render_tile (snapshot->geometry, snapshot->style, z, x, y, size);
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
  TwTileSourceClass *tile_source_class = TW_TILE_SOURCE_CLASS (klass);

  object_class->finalize = tw_choropleth_source_finalize;
  tile_source_class->snapshot = tw_choropleth_source_snapshot;
  tile_source_class->free_snapshot = tw_choropleth_source_free_snapshot;
  tile_source_class->draw_tile = tw_choropleth_source_draw_tile;
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

  return tw_tile_source_get_n_tiles (TW_TILE_SOURCE (self));
}

guint
tw_choropleth_source_get_n_pending (TwChoroplethSource *self)
{
  g_return_val_if_fail (TW_IS_CHOROPLETH_SOURCE (self), 0);

  return tw_tile_source_get_n_pending (TW_TILE_SOURCE (self));
}

double
tw_choropleth_source_get_max_tile_ms (TwChoroplethSource *self)
{
  g_return_val_if_fail (TW_IS_CHOROPLETH_SOURCE (self), 0);

  return tw_tile_source_get_max_tile_ms (TW_TILE_SOURCE (self));
}
