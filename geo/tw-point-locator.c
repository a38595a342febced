/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-point-locator"

#include "config.h"

#include <math.h>

#include <ogr_api.h>

#include "tw-gdal.h"
#include "tw-parallel.h"
#include "tw-point-locator.h"

/* A point this close to an edge (in degrees, about 0.1 mm) is on it: a point placed on a
 * shared edge in one program is rarely exactly on the doubles of another. */
#define ON_EDGE 1e-9

typedef struct
{
  double min_x, min_y, max_x, max_y;
} Box;

struct _TwPointLocator
{
  GArray  *xy;          /* double pairs */
  GArray  *ring_start;  /* guint64: first point of each ring, then the end */
  GArray  *area_ring;   /* guint: first ring of each area, then the end */
  GArray  *boxes;       /* Box per area */
  gboolean sealed;

  /* A uniform grid over the areas' extent: the areas whose box meets each cell, in order. */
  Box      extent;
  guint    nx, ny;
  double   cell_w, cell_h;
  guint32 *cell_start;  /* nx * ny + 1 */
  guint32 *cell_areas;
};

G_DEFINE_QUARK (tw-point-locator-error-quark, tw_point_locator_error)

TwPointLocator *
tw_point_locator_new (void)
{
  TwPointLocator *self = g_new0 (TwPointLocator, 1);
  guint zero = 0;
  guint64 zero64 = 0;

  self->xy = g_array_new (FALSE, FALSE, sizeof (double));
  self->ring_start = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->area_ring = g_array_new (FALSE, FALSE, sizeof (guint));
  self->boxes = g_array_new (FALSE, FALSE, sizeof (Box));
  g_array_append_val (self->ring_start, zero64);
  g_array_append_val (self->area_ring, zero);
  return self;
}

void
tw_point_locator_free (TwPointLocator *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->xy);
  g_array_unref (self->ring_start);
  g_array_unref (self->area_ring);
  g_array_unref (self->boxes);
  g_free (self->cell_start);
  g_free (self->cell_areas);
  g_free (self);
}

static void
add_ring (TwPointLocator *self,
          OGRGeometryH    ring,
          Box            *box)
{
  int n = OGR_G_GetPointCount (ring);
  guint first = self->xy->len;
  guint64 end;

  if (n < 3)
    return;
  g_array_set_size (self->xy, first + 2 * (guint) n);
  OGR_G_GetPoints (ring, &g_array_index (self->xy, double, first), 2 * sizeof (double),
                   &g_array_index (self->xy, double, first + 1), 2 * sizeof (double),
                   NULL, 0);
  for (int i = 0; i < n; i++)
    {
      double x = g_array_index (self->xy, double, first + 2 * i);
      double y = g_array_index (self->xy, double, first + 2 * i + 1);

      box->min_x = MIN (box->min_x, x);
      box->max_x = MAX (box->max_x, x);
      box->min_y = MIN (box->min_y, y);
      box->max_y = MAX (box->max_y, y);
    }
  end = self->xy->len / 2;
  g_array_append_val (self->ring_start, end);
}

static gboolean
add_polygon (TwPointLocator *self,
             OGRGeometryH    polygon,
             Box            *box)
{
  if (wkbFlatten (OGR_G_GetGeometryType (polygon)) != wkbPolygon)
    return FALSE;
  for (int i = 0; i < OGR_G_GetGeometryCount (polygon); i++)
    add_ring (self, OGR_G_GetGeometryRef (polygon, i), box);
  return TRUE;
}

gboolean
tw_point_locator_add_wkb (TwPointLocator *self,
                          const guint8   *wkb,
                          gsize           length,
                          GError        **error)
{
  OGRGeometryH geometry = NULL;
  Box box = { INFINITY, INFINITY, -INFINITY, -INFINITY };
  gboolean ok = TRUE;
  guint end;

  g_return_val_if_fail (self != NULL && !self->sealed, FALSE);

  tw_gdal_init ();
  if (OGR_G_CreateFromWkb (wkb, NULL, &geometry, (int) MIN (length, G_MAXINT))
      != OGRERR_NONE || geometry == NULL)
    ok = FALSE;
  else if (wkbFlatten (OGR_G_GetGeometryType (geometry)) == wkbMultiPolygon)
    {
      for (int i = 0; ok && i < OGR_G_GetGeometryCount (geometry); i++)
        ok = add_polygon (self, OGR_G_GetGeometryRef (geometry, i), &box);
    }
  else
    ok = add_polygon (self, geometry, &box);
  if (geometry != NULL)
    OGR_G_DestroyGeometry (geometry);

  if (!ok)
    {
      /* Drop what this area added, so the indices of the areas stay in step. */
      guint first_ring = g_array_index (self->area_ring, guint, self->area_ring->len - 1);

      g_array_set_size (self->xy,
                        2 * g_array_index (self->ring_start, guint64, first_ring));
      g_array_set_size (self->ring_start, first_ring + 1);
      g_set_error (error, TW_POINT_LOCATOR_ERROR, TW_POINT_LOCATOR_ERROR_WKB,
                   "area %u: its boundary is not a polygon or multipolygon",
                   self->boxes->len);
      box = (Box) { INFINITY, INFINITY, -INFINITY, -INFINITY };
      ok = FALSE;
    }

  end = self->ring_start->len - 1;
  g_array_append_val (self->area_ring, end);
  g_array_append_val (self->boxes, box);
  return ok;
}

static void
cell_range (TwPointLocator *self,
            const Box      *box,
            guint          *x0,
            guint          *y0,
            guint          *x1,
            guint          *y1)
{
  double fx0 = floor ((box->min_x - ON_EDGE - self->extent.min_x) / self->cell_w);
  double fy0 = floor ((box->min_y - ON_EDGE - self->extent.min_y) / self->cell_h);
  double fx1 = floor ((box->max_x + ON_EDGE - self->extent.min_x) / self->cell_w);
  double fy1 = floor ((box->max_y + ON_EDGE - self->extent.min_y) / self->cell_h);

  *x0 = (guint) CLAMP (fx0, 0, self->nx - 1);
  *y0 = (guint) CLAMP (fy0, 0, self->ny - 1);
  *x1 = (guint) CLAMP (fx1, 0, self->nx - 1);
  *y1 = (guint) CLAMP (fy1, 0, self->ny - 1);
}

void
tw_point_locator_seal (TwPointLocator *self)
{
  guint n = self->boxes->len;
  gsize n_cells;
  double width, height, cells;
  guint32 *fill;

  g_return_if_fail (self != NULL && !self->sealed);
  self->sealed = TRUE;

  self->extent = (Box) { INFINITY, INFINITY, -INFINITY, -INFINITY };
  for (guint i = 0; i < n; i++)
    {
      const Box *b = &g_array_index (self->boxes, Box, i);

      if (b->min_x > b->max_x)
        continue;
      self->extent.min_x = MIN (self->extent.min_x, b->min_x);
      self->extent.min_y = MIN (self->extent.min_y, b->min_y);
      self->extent.max_x = MAX (self->extent.max_x, b->max_x);
      self->extent.max_y = MAX (self->extent.max_y, b->max_y);
    }
  if (self->extent.min_x > self->extent.max_x)
    self->extent = (Box) { 0, 0, 1, 1 };

  /* About sixteen cells an area, shaped like the extent: few boxes to test a point. */
  width = MAX (self->extent.max_x - self->extent.min_x, 1e-6);
  height = MAX (self->extent.max_y - self->extent.min_y, 1e-6);
  cells = 16.0 * MAX (n, 1);
  self->nx = (guint) CLAMP (ceil (sqrt (cells * width / height)), 1, 4096);
  self->ny = (guint) CLAMP (ceil (cells / self->nx), 1, 4096);
  self->cell_w = width / self->nx;
  self->cell_h = height / self->ny;
  n_cells = (gsize) self->nx * self->ny;

  self->cell_start = g_new0 (guint32, n_cells + 1);
  for (guint i = 0; i < n; i++)
    {
      const Box *b = &g_array_index (self->boxes, Box, i);
      guint x0, y0, x1, y1;

      if (b->min_x > b->max_x)
        continue;
      cell_range (self, b, &x0, &y0, &x1, &y1);
      for (guint y = y0; y <= y1; y++)
        for (guint x = x0; x <= x1; x++)
          self->cell_start[(gsize) y * self->nx + x + 1]++;
    }
  for (gsize c = 0; c < n_cells; c++)
    self->cell_start[c + 1] += self->cell_start[c];

  self->cell_areas = g_new (guint32, MAX (self->cell_start[n_cells], 1));
  fill = g_memdup2 (self->cell_start, n_cells * sizeof (guint32));
  for (guint i = 0; i < n; i++)
    {
      const Box *b = &g_array_index (self->boxes, Box, i);
      guint x0, y0, x1, y1;

      if (b->min_x > b->max_x)
        continue;
      cell_range (self, b, &x0, &y0, &x1, &y1);
      for (guint y = y0; y <= y1; y++)
        for (guint x = x0; x <= x1; x++)
          self->cell_areas[fill[(gsize) y * self->nx + x]++] = i;
    }
  g_free (fill);
}

guint
tw_point_locator_get_n_areas (TwPointLocator *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->boxes->len;
}

/* Whether the closed area (boundary included) holds the point: even-odd over all its
 * rings, so holes need no special case. */
static gboolean
area_holds (TwPointLocator *self,
            guint           area,
            double          x,
            double          y)
{
  const double *xy = (const double *) self->xy->data;
  const guint64 *ring_start = (const guint64 *) self->ring_start->data;
  guint first = g_array_index (self->area_ring, guint, area);
  guint last = g_array_index (self->area_ring, guint, area + 1);
  gboolean inside = FALSE;

  for (guint r = first; r < last; r++)
    for (guint64 i = ring_start[r]; i + 1 < ring_start[r + 1]; i++)
      {
        double ax = xy[2 * i], ay = xy[2 * i + 1];
        double bx = xy[2 * i + 2], by = xy[2 * i + 3];

        /* Most edges are above or below the point: two comparisons rule them out. */
        if (y < MIN (ay, by) - ON_EDGE || y > MAX (ay, by) + ON_EDGE)
          continue;
        if (x >= MIN (ax, bx) - ON_EDGE && x <= MAX (ax, bx) + ON_EDGE
            && y >= MIN (ay, by) - ON_EDGE && y <= MAX (ay, by) + ON_EDGE)
          {
            double dx = bx - ax, dy = by - ay;
            double cross = dx * (y - ay) - dy * (x - ax);
            double length = MAX (fabs (dx), fabs (dy));

            if (fabs (cross) <= ON_EDGE * length || length == 0)
              return TRUE;
          }
        if ((ay > y) != (by > y) && x < ax + (bx - ax) * (y - ay) / (by - ay))
          inside = !inside;
      }
  return inside;
}

int
tw_point_locator_find (TwPointLocator *self,
                       double          lon,
                       double          lat)
{
  double fx, fy;
  gsize cell;

  g_return_val_if_fail (self != NULL && self->sealed, -1);

  if (!isfinite (lon) || !isfinite (lat))
    return -1;
  fx = floor ((lon - self->extent.min_x) / self->cell_w);
  fy = floor ((lat - self->extent.min_y) / self->cell_h);
  /* A point up to ON_EDGE outside the extent may still be on an area's edge. */
  if (fx < -1 || fy < -1 || fx > self->nx || fy > self->ny)
    return -1;
  cell = (gsize) CLAMP (fy, 0, self->ny - 1) * self->nx + (gsize) CLAMP (fx, 0, self->nx - 1);

  for (guint32 k = self->cell_start[cell]; k < self->cell_start[cell + 1]; k++)
    {
      guint area = self->cell_areas[k];
      const Box *b = &g_array_index (self->boxes, Box, area);

      if (lon < b->min_x - ON_EDGE || lon > b->max_x + ON_EDGE
          || lat < b->min_y - ON_EDGE || lat > b->max_y + ON_EDGE)
        continue;
      if (area_holds (self, area, lon, lat))
        return (int) area;
    }
  return -1;
}

typedef struct
{
  TwPointLocator *self;
  const double   *lon;
  const double   *lat;
  int            *areas;
} FindMany;

static void
find_chunk (gpointer user_data,
            guint    worker,
            gsize    begin,
            gsize    end)
{
  FindMany *job = user_data;

  for (gsize i = begin; i < end; i++)
    job->areas[i] = tw_point_locator_find (job->self, job->lon[i], job->lat[i]);
}

void
tw_point_locator_find_many (TwPointLocator *self,
                            const double   *lon,
                            const double   *lat,
                            gsize           n,
                            int            *areas)
{
  FindMany job = { self, lon, lat, areas };

  g_return_if_fail (self != NULL && self->sealed);
  tw_parallel_for (n, 2048, 0, find_chunk, &job);
}
