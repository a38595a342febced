/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-point-locator"

#include "config.h"

#include <math.h>
#include <string.h>

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

/* A grid over a box: the areas whose box meets each cell, in order; for each cell either
 * the answer for all its points (an area, or -1: the cell meets no edge of its areas), or
 * CELL_MIXED (test its areas), or CELL_FINER (a finer grid of its own: crowded cells of
 * small areas, such as a city's). */
typedef struct Grid
{
  Box           extent;
  guint         nx, ny;
  double        scale_x, scale_y;  /* cells per degree */
  guint32      *cell_start;        /* nx * ny + 1 */
  guint32      *cell_areas;
  gint32       *cell_answer;
  struct Grid **finer;             /* per cell; NULL when no cell is CELL_FINER */
} Grid;

#define CELL_MIXED (-2)
#define CELL_FINER (-3)
/* A cell with more areas than this gets a finer grid, to this depth. */
#define CROWDED 8
#define MAX_DEPTH 4
#ifndef CELLS_PER_AREA
#define CELLS_PER_AREA 16.0
#endif

/* Each area's own raster over its box: every cell INSIDE, OUTSIDE or CROSSED by its
 * boundary (or within ON_EDGE of it), so that most points need no walk along the edges. */
enum { OUTSIDE, INSIDE, CROSSED };

typedef struct
{
  gsize  offset;
  guint  kx, ky;             /* 0: an empty area */
  double scale_x, scale_y;   /* cells per degree */
} AreaRaster;

struct _TwPointLocator
{
  GArray     *xy;          /* double pairs */
  GArray     *ring_start;  /* guint64: first point of each ring, then the end */
  GArray     *area_ring;   /* guint: first ring of each area, then the end */
  GArray     *boxes;       /* Box per area */
  gboolean    sealed;

  Grid       *grid;
  AreaRaster *rasters;
  guint8     *raster_cells;
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

static void
grid_free (Grid *grid)
{
  if (grid == NULL)
    return;
  for (gsize c = 0; grid->finer != NULL && c < (gsize) grid->nx * grid->ny; c++)
    grid_free (grid->finer[c]);
  g_free (grid->finer);
  g_free (grid->cell_start);
  g_free (grid->cell_areas);
  g_free (grid->cell_answer);
  g_free (grid);
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
  grid_free (self->grid);
  g_free (self->rasters);
  g_free (self->raster_cells);
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

static gboolean area_holds (TwPointLocator *self, guint area, double x, double y);

/* Marks the cells of a raster over @box (kx × ky cells of 1/scale degrees) that the box of
 * an edge meets, widened: a point's cell is found by a division that may round. */
static void
mark_edge (guint8       *cells,
           guint         kx,
           guint         ky,
           const Box    *box,
           double        scale_x,
           double        scale_y,
           double        ax,
           double        ay,
           double        bx,
           double        by)
{
  double margin = 4 * ON_EDGE;
  double fx0 = floor ((MIN (ax, bx) - margin - box->min_x) * scale_x);
  double fx1 = floor ((MAX (ax, bx) + margin - box->min_x) * scale_x);
  double fy0 = floor ((MIN (ay, by) - margin - box->min_y) * scale_y);
  double fy1 = floor ((MAX (ay, by) + margin - box->min_y) * scale_y);
  guint x0 = (guint) CLAMP (fx0, 0, kx - 1), x1 = (guint) CLAMP (fx1, 0, kx - 1);
  guint y0 = (guint) CLAMP (fy0, 0, ky - 1), y1 = (guint) CLAMP (fy1, 0, ky - 1);

  for (guint y = y0; y <= y1; y++)
    memset (cells + (gsize) y * kx + x0, CROSSED, x1 - x0 + 1);
}

/* Cells not marked CROSSED that touch by a side form regions the boundary does not enter:
 * one test at one cell's centre answers for its whole region. */
static void
fill_regions (TwPointLocator *self,
              guint           area,
              const Box      *box,
              const AreaRaster *raster,
              guint8         *cells,
              guint8         *seen,
              guint32        *stack)
{
  guint kx = raster->kx, ky = raster->ky;

  memset (seen, 0, (gsize) kx * ky);
  for (guint start = 0; start < kx * ky; start++)
    {
      guint8 value;
      guint top = 0;

      if (cells[start] == CROSSED || seen[start])
        continue;
      value = area_holds (self, area,
                          box->min_x + ((start % kx) + 0.5) / raster->scale_x,
                          box->min_y + ((start / kx) + 0.5) / raster->scale_y)
              ? INSIDE : OUTSIDE;
      seen[start] = 1;
      stack[top++] = start;
      while (top > 0)
        {
          guint c = stack[--top], cx = c % kx, cy = c / kx;
          guint next[4] = { cx > 0 ? c - 1 : G_MAXUINT, cx + 1 < kx ? c + 1 : G_MAXUINT,
                            cy > 0 ? c - kx : G_MAXUINT, cy + 1 < ky ? c + kx : G_MAXUINT };

          cells[c] = value;
          for (guint j = 0; j < 4; j++)
            if (next[j] != G_MAXUINT && cells[next[j]] != CROSSED && !seen[next[j]])
              {
                seen[next[j]] = 1;
                stack[top++] = next[j];
              }
        }
    }
}

#define RASTER_MAX 4096

static void
build_rasters (TwPointLocator *self)
{
  const double *xy = (const double *) self->xy->data;
  const guint64 *ring_start = (const guint64 *) self->ring_start->data;
  guint n = self->boxes->len;
  gsize total = 0;
  g_autofree guint8 *seen = g_malloc (RASTER_MAX);
  g_autofree guint32 *stack = g_new (guint32, RASTER_MAX);

  self->rasters = g_new0 (AreaRaster, MAX (n, 1));
  for (guint a = 0; a < n; a++)
    {
      const Box *b = &g_array_index (self->boxes, Box, a);
      AreaRaster *raster = &self->rasters[a];
      guint first = g_array_index (self->area_ring, guint, a);
      guint last = g_array_index (self->area_ring, guint, a + 1);
      guint64 n_points = ring_start[last] - ring_start[first];
      double width, height, cells;

      if (b->min_x > b->max_x)
        continue;
      /* Finer for longer boundaries, square cells as far as the limit allows. */
      cells = CLAMP (4.0 * n_points, 64, RASTER_MAX);
      width = MAX (b->max_x - b->min_x, 1e-9);
      height = MAX (b->max_y - b->min_y, 1e-9);
      raster->kx = (guint) CLAMP (round (sqrt (cells * width / height)), 1, 64);
      raster->ky = (guint) CLAMP (cells / raster->kx, 1, 64);
      raster->kx = MIN (raster->kx, RASTER_MAX / raster->ky);
      raster->scale_x = raster->kx / width;
      raster->scale_y = raster->ky / height;
      raster->offset = total;
      total += (gsize) raster->kx * raster->ky;
    }
  self->raster_cells = g_malloc0 (MAX (total, 1));
  for (guint a = 0; a < n; a++)
    {
      const Box *b = &g_array_index (self->boxes, Box, a);
      const AreaRaster *raster = &self->rasters[a];
      guint8 *cells = self->raster_cells + raster->offset;
      guint first = g_array_index (self->area_ring, guint, a);
      guint last = g_array_index (self->area_ring, guint, a + 1);

      if (raster->kx == 0)
        continue;
      for (guint r = first; r < last; r++)
        for (guint64 i = ring_start[r]; i + 1 < ring_start[r + 1]; i++)
          mark_edge (cells, raster->kx, raster->ky, b, raster->scale_x, raster->scale_y,
                     xy[2 * i], xy[2 * i + 1], xy[2 * i + 2], xy[2 * i + 3]);
      fill_regions (self, a, b, raster, cells, seen, stack);
    }
  g_debug ("%u areas, %" G_GSIZE_FORMAT " points, %" G_GSIZE_FORMAT " raster cells", n,
           (gsize) self->xy->len / 2, total);
}

/* How area @a lies towards a box (the grid cell, widened by the rounding margin): wholly
 * INSIDE, wholly OUTSIDE, or CROSSED, by its raster. */
static int
area_towards_box (TwPointLocator *self,
                  guint           a,
                  const Box      *box)
{
  const Box *b = &g_array_index (self->boxes, Box, a);
  const AreaRaster *raster = &self->rasters[a];
  double fx0, fy0, fx1, fy1;
  guint x0, y0, x1, y1;
  gboolean beyond, any_inside = FALSE, any_outside = FALSE;

  if (raster->kx == 0 || box->max_x < b->min_x - ON_EDGE || box->min_x > b->max_x + ON_EDGE
      || box->max_y < b->min_y - ON_EDGE || box->min_y > b->max_y + ON_EDGE)
    return OUTSIDE;
  fx0 = floor ((box->min_x - b->min_x) * raster->scale_x);
  fx1 = floor ((box->max_x - b->min_x) * raster->scale_x);
  fy0 = floor ((box->min_y - b->min_y) * raster->scale_y);
  fy1 = floor ((box->max_y - b->min_y) * raster->scale_y);
  /* Beyond the raster, the area's own box: outside it, or on its edge (then the raster's
   * border cells are CROSSED). */
  beyond = fx0 < 0 || fy0 < 0 || fx1 >= raster->kx || fy1 >= raster->ky;
  x0 = (guint) CLAMP (fx0, 0, raster->kx - 1);
  x1 = (guint) CLAMP (fx1, 0, raster->kx - 1);
  y0 = (guint) CLAMP (fy0, 0, raster->ky - 1);
  y1 = (guint) CLAMP (fy1, 0, raster->ky - 1);
  for (guint y = y0; y <= y1; y++)
    for (guint x = x0; x <= x1; x++)
      switch (self->raster_cells[raster->offset + (gsize) y * raster->kx + x])
        {
        case CROSSED:
          return CROSSED;
        case INSIDE:
          any_inside = TRUE;
          break;
        default:
          any_outside = TRUE;
        }
  if (!any_inside)
    return OUTSIDE;
  return any_outside || beyond ? CROSSED : INSIDE;
}

static void
grid_cell_box (const Grid *grid,
               guint       x,
               guint       y,
               Box        *box)
{
  /* Widened: a point's cell is found by a division that may round. */
  double margin = 4 * ON_EDGE;

  box->min_x = grid->extent.min_x + x / grid->scale_x - margin;
  box->max_x = grid->extent.min_x + (x + 1) / grid->scale_x + margin;
  box->min_y = grid->extent.min_y + y / grid->scale_y - margin;
  box->max_y = grid->extent.min_y + (y + 1) / grid->scale_y + margin;
}

static void
grid_cell_range (const Grid *grid,
                 const Box  *box,
                 guint      *x0,
                 guint      *y0,
                 guint      *x1,
                 guint      *y1)
{
  double fx0 = floor ((box->min_x - ON_EDGE - grid->extent.min_x) * grid->scale_x);
  double fy0 = floor ((box->min_y - ON_EDGE - grid->extent.min_y) * grid->scale_y);
  double fx1 = floor ((box->max_x + ON_EDGE - grid->extent.min_x) * grid->scale_x);
  double fy1 = floor ((box->max_y + ON_EDGE - grid->extent.min_y) * grid->scale_y);

  *x0 = (guint) CLAMP (fx0, 0, grid->nx - 1);
  *y0 = (guint) CLAMP (fy0, 0, grid->ny - 1);
  *x1 = (guint) CLAMP (fx1, 0, grid->nx - 1);
  *y1 = (guint) CLAMP (fy1, 0, grid->ny - 1);
}

/* A grid over @extent holding @areas (ascending), CELLS_PER_AREA cells an area; finer
 * grids take their cells from @budget. */
static Grid *
grid_new (TwPointLocator *self,
          const Box      *extent,
          const guint32  *areas,
          guint           n,
          guint           depth,
          gsize          *budget)
{
  Grid *grid = g_new0 (Grid, 1);
  double width = MAX (extent->max_x - extent->min_x, 1e-9);
  double height = MAX (extent->max_y - extent->min_y, 1e-9);
  double cells = CELLS_PER_AREA * MAX (n, 1);
  gsize n_cells;
  guint32 *fill = NULL;

  grid->extent = *extent;
  grid->nx = (guint) CLAMP (ceil (sqrt (cells * width / height)), 1, 4096);
  grid->ny = (guint) CLAMP (ceil (cells / grid->nx), 1, 4096);
  grid->scale_x = grid->nx / width;
  grid->scale_y = grid->ny / height;
  n_cells = (gsize) grid->nx * grid->ny;

  grid->cell_start = g_new0 (guint32, n_cells + 1);
  for (int pass = 0; pass < 2; pass++)
    {
      if (pass == 1)
        {
          for (gsize c = 0; c < n_cells; c++)
            grid->cell_start[c + 1] += grid->cell_start[c];
          grid->cell_areas = g_new (guint32, MAX (grid->cell_start[n_cells], 1));
          fill = g_memdup2 (grid->cell_start, n_cells * sizeof (guint32));
        }
      for (guint i = 0; i < n; i++)
        {
          const Box *b = &g_array_index (self->boxes, Box, areas[i]);
          guint x0, y0, x1, y1;

          if (b->min_x > b->max_x)
            continue;
          grid_cell_range (grid, b, &x0, &y0, &x1, &y1);
          for (guint y = y0; y <= y1; y++)
            for (guint x = x0; x <= x1; x++)
              {
                gsize c = (gsize) y * grid->nx + x;

                if (pass == 0)
                  grid->cell_start[c + 1]++;
                else
                  grid->cell_areas[fill[c]++] = areas[i];
              }
        }
    }
  g_free (fill);

  grid->cell_answer = g_new (gint32, n_cells);
  for (gsize c = 0; c < n_cells; c++)
    {
      guint32 first = grid->cell_start[c], count = grid->cell_start[c + 1] - first;
      Box box;

      grid_cell_box (grid, c % grid->nx, c / grid->nx, &box);
      /* A finer grid parts the areas smaller than the cell; an area covering the whole
       * cell would be in each of its cells (overlapping areas, damaged data). */
      if (count > CROWDED && depth < MAX_DEPTH && *budget >= 16 * count)
        {
          guint smaller = 0;

          for (guint32 k = first; k < first + count; k++)
            {
              const Box *b = &g_array_index (self->boxes, Box, grid->cell_areas[k]);

              smaller += b->min_x > box.min_x || b->max_x < box.max_x
                         || b->min_y > box.min_y || b->max_y < box.max_y;
            }
          if (smaller > CROWDED && 2 * smaller > count)
            {
              *budget -= 16 * count;
              if (grid->finer == NULL)
                grid->finer = g_new0 (Grid *, n_cells);
              grid->finer[c] = grid_new (self, &box, grid->cell_areas + first, count,
                                         depth + 1, budget);
              grid->cell_answer[c] = CELL_FINER;
              continue;
            }
        }
      /* The first area (lowest GEOID) that holds the whole cell, all before it holding
       * none of it; or none holding any of it. */
      grid->cell_answer[c] = -1;
      for (guint32 k = first; k < first + count; k++)
        {
          int towards = area_towards_box (self, grid->cell_areas[k], &box);

          if (towards == OUTSIDE)
            continue;
          grid->cell_answer[c] = towards == INSIDE ? (gint32) grid->cell_areas[k] : CELL_MIXED;
          break;
        }
    }
  return grid;
}

void
tw_point_locator_seal (TwPointLocator *self)
{
  guint n = self->boxes->len;
  Box extent = { INFINITY, INFINITY, -INFINITY, -INFINITY };
  g_autofree guint32 *all = g_new (guint32, MAX (n, 1));
  gsize budget;

  g_return_if_fail (self != NULL && !self->sealed);
  self->sealed = TRUE;

  for (guint i = 0; i < n; i++)
    {
      const Box *b = &g_array_index (self->boxes, Box, i);

      all[i] = i;
      if (b->min_x > b->max_x)
        continue;
      extent.min_x = MIN (extent.min_x, b->min_x);
      extent.min_y = MIN (extent.min_y, b->min_y);
      extent.max_x = MAX (extent.max_x, b->max_x);
      extent.max_y = MAX (extent.max_y, b->max_y);
    }
  if (extent.min_x > extent.max_x)
    extent = (Box) { 0, 0, 1, 1 };
  /* Finer grids take at most as many cells again as the areas' rasters. */
  budget = (gsize) RASTER_MAX * MAX (n, 1) / 4;
  build_rasters (self);
  self->grid = grid_new (self, &extent, all, n, 0, &budget);
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

/* The areas of a cell in turn, each by its raster and, where the raster cannot tell, by
 * its edges. */
static int
find_in_cell (TwPointLocator *self,
              const Grid     *grid,
              gsize           cell,
              double          lon,
              double          lat)
{
  for (guint32 k = grid->cell_start[cell]; k < grid->cell_start[cell + 1]; k++)
    {
      guint area = grid->cell_areas[k];
      const Box *b = &g_array_index (self->boxes, Box, area);
      const AreaRaster *raster = &self->rasters[area];
      double fx, fy;

      if (lon < b->min_x - ON_EDGE || lon > b->max_x + ON_EDGE
          || lat < b->min_y - ON_EDGE || lat > b->max_y + ON_EDGE)
        continue;
      fx = floor ((lon - b->min_x) * raster->scale_x);
      fy = floor ((lat - b->min_y) * raster->scale_y);
      /* A point just outside the box (on its edge within ON_EDGE) is tested in full. */
      if (fx >= 0 && fy >= 0 && fx < raster->kx && fy < raster->ky)
        {
          guint8 value = self->raster_cells[raster->offset + (gsize) fy * raster->kx
                                            + (gsize) fx];

          if (value == INSIDE)
            return (int) area;
          if (value == OUTSIDE)
            continue;
        }
      if (area_holds (self, area, lon, lat))
        return (int) area;
    }
  return -1;
}

int
tw_point_locator_find (TwPointLocator *self,
                       double          lon,
                       double          lat)
{
  const Grid *grid;
  gboolean within = TRUE;

  g_return_val_if_fail (self != NULL && self->sealed, -1);

  if (!isfinite (lon) || !isfinite (lat))
    return -1;
  for (grid = self->grid;;)
    {
      double fx = floor ((lon - grid->extent.min_x) * grid->scale_x);
      double fy = floor ((lat - grid->extent.min_y) * grid->scale_y);
      gsize cell;

      /* A point up to ON_EDGE outside the extent may still be on an area's edge: it is
       * tested against the areas of the nearest cell, never answered by a cell's answer. */
      if (grid == self->grid && (fx < -1 || fy < -1 || fx > grid->nx || fy > grid->ny))
        return -1;
      if (fx < 0 || fy < 0 || fx >= grid->nx || fy >= grid->ny)
        within = FALSE;
      cell = (gsize) CLAMP (fy, 0, grid->ny - 1) * grid->nx
             + (gsize) CLAMP (fx, 0, grid->nx - 1);
      if (grid->cell_answer[cell] == CELL_FINER)
        {
          grid = grid->finer[cell];
          continue;
        }
      if (within && grid->cell_answer[cell] != CELL_MIXED)
        return grid->cell_answer[cell];
      return find_in_cell (self, grid, cell, lon, lat);
    }
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
