/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tw-make-nation: a seeded, reproducible synthetic nation for the benchmarks.
 *
 *   tw-make-nation [--out DIR] [--seed N] [--tracts N] [--no-shapefile] [--no-outcomes]
 *
 * Writes DIR/nation.gpkg (layer "tracts"), DIR/nation.shp.zip and DIR/outcomes.csv.
 *
 * How the geography is made
 * -------------------------
 * Tracts are the cells of a "brick" tessellation: rows of cells, every other row shifted by
 * half a cell, so every node joins exactly three cells and every cell has six neighbours, like
 * a Voronoi diagram.  The nodes are jittered, then mapped to longitude/latitude by a warp that
 * widens cells in the west and shrinks them (25-fold in area) around a few dozen metro centres.
 * Every edge between two nodes is densified with wiggles that depend only on the two node ids,
 * so the two tracts on either side hold exactly the same vertices.  A rough outline of the
 * lower 48 with a noisy coast decides land and water; land cells cut off from the mainland are
 * islands (some are tracts of their own with no neighbour, some join the nearest coastal tract
 * as a detached part); island chains stand in for Hawaii and Puerto Rico.  A few tracts get a
 * small interior ring: some are lakes, others are filled by an enclave tract (tract code 98xx,
 * a "special land use" tract such as an airport).  The grid spacing is found by bisection so
 * that, with the enclaves, there are exactly --tracts tracts.
 *
 * States are the Voronoi regions of real state seed points (real FIPS codes); counties are
 * Voronoi regions (in grid space, so metro counties hold many tracts) of seeds drawn among a
 * state's tracts, numbered 001, 003, … in alphabetical order of their made-up names like the
 * real ones; tract codes are NNNNSS with a few splits (.01/.02).
 *
 * Outcomes: for every tract, 5 measures × 5 periods (2019–2023) × 6 strata, long form.  Group
 * populations come from smooth regional fields; rates and proportions are smooth in space with
 * disparities between groups; counts are drawn (binomial or Poisson) with a hash of the row as
 * the random stream, so the table does not depend on threads or order.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <cpl_string.h>

/* ------------------------------------------------------------------------------------------ */
/* Hashing and noise                                                                           */

static guint64 g_seed = 20200401;

static inline guint64
mix64 (guint64 z)
{
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static inline guint64
hash3 (guint64 a, guint64 b, guint64 c)
{
  return mix64 (mix64 (mix64 (g_seed ^ a) ^ b) ^ c);
}

/* uniform in [0, 1) */
static inline double
unit (guint64 h)
{
  return (h >> 11) * (1.0 / 9007199254740992.0);
}

static inline double
hunit (guint64 a, guint64 b, guint64 c)
{
  return unit (hash3 (a, b, c));
}

/* A small random stream seeded by a hash. */
typedef struct { guint64 s; } Rng;

static inline double
rng_unit (Rng *r)
{
  r->s += 0x9e3779b97f4a7c15ULL;
  return unit (mix64 (r->s));
}

static inline double
rng_normal (Rng *r)
{
  double u1 = rng_unit (r), u2 = rng_unit (r);
  if (u1 < 1e-300)
    u1 = 1e-300;
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

static inline double
smooth (double t)
{
  return t * t * (3.0 - 2.0 * t);
}

/* value noise in [-1, 1] */
static double
vnoise (guint64 channel, double x, double y)
{
  double fx = floor (x), fy = floor (y);
  gint64 ix = (gint64) fx, iy = (gint64) fy;
  double tx = smooth (x - fx), ty = smooth (y - fy);
  double v00 = hunit (channel, (guint64) ix, (guint64) iy);
  double v10 = hunit (channel, (guint64) (ix + 1), (guint64) iy);
  double v01 = hunit (channel, (guint64) ix, (guint64) (iy + 1));
  double v11 = hunit (channel, (guint64) (ix + 1), (guint64) (iy + 1));
  double a = v00 + (v10 - v00) * tx, b = v01 + (v11 - v01) * tx;
  return 2.0 * (a + (b - a) * ty) - 1.0;
}

static double
fbm (guint64 channel, double x, double y, int octaves)
{
  double sum = 0, amp = 1, norm = 0;
  for (int o = 0; o < octaves; o++)
    {
      sum += amp * vnoise (channel * 31 + o, x, y);
      norm += amp;
      amp *= 0.5;
      x *= 2.03;
      y *= 2.03;
    }
  return sum / norm;
}

/* ------------------------------------------------------------------------------------------ */
/* The land: a rough outline of the lower 48, island blobs, metros, states                     */

static const double outline[][2] = {
  {-124.7, 48.4}, {-123.2, 49.0}, {-95.2, 49.0}, {-94.8, 49.3}, {-89.6, 48.0}, {-84.8, 46.9},
  {-84.4, 46.5}, {-82.4, 45.3}, {-82.5, 43.0}, {-83.1, 42.1}, {-82.4, 41.7}, {-78.9, 42.9},
  {-79.2, 43.5}, {-76.2, 44.2}, {-74.9, 45.0}, {-71.5, 45.0}, {-70.9, 45.3}, {-69.2, 47.4},
  {-67.8, 47.1}, {-67.8, 45.7}, {-67.0, 44.8}, {-68.8, 44.3}, {-70.2, 43.6}, {-70.8, 42.9},
  {-70.6, 42.2}, {-69.95, 41.7}, {-70.6, 41.5}, {-71.9, 41.3}, {-73.6, 40.95}, {-74.0, 40.6},
  {-74.0, 40.0}, {-74.9, 38.9}, {-75.05, 38.45}, {-75.5, 37.6}, {-75.9, 37.1}, {-76.0, 36.9},
  {-75.7, 35.9}, {-75.5, 35.2}, {-76.5, 34.7}, {-77.9, 33.9}, {-79.0, 33.5}, {-80.6, 32.3},
  {-81.4, 31.0}, {-81.3, 29.9}, {-80.6, 28.4}, {-80.0, 26.7}, {-80.2, 25.6}, {-80.9, 25.1},
  {-81.8, 26.1}, {-82.7, 27.7}, {-82.8, 28.9}, {-83.7, 29.9}, {-84.3, 30.05}, {-85.4, 29.7},
  {-86.5, 30.4}, {-88.0, 30.4}, {-89.3, 30.3}, {-89.6, 30.0}, {-89.2, 29.2}, {-90.0, 29.05},
  {-91.3, 29.3}, {-92.3, 29.55}, {-93.8, 29.7}, {-94.7, 29.35}, {-95.9, 28.6}, {-97.1, 27.8},
  {-97.4, 26.9}, {-97.2, 25.95}, {-97.5, 25.9}, {-99.1, 26.5}, {-99.5, 27.5}, {-100.3, 28.3},
  {-101.4, 29.8}, {-102.4, 29.8}, {-103.1, 29.0}, {-104.5, 29.7}, {-106.5, 31.75},
  {-108.2, 31.78}, {-108.2, 31.33}, {-111.07, 31.33}, {-114.8, 32.5}, {-114.7, 32.72},
  {-117.1, 32.53}, {-117.3, 33.1}, {-118.3, 33.7}, {-118.5, 34.0}, {-119.2, 34.2},
  {-120.6, 34.55}, {-120.6, 35.1}, {-121.9, 36.3}, {-121.9, 36.9}, {-122.5, 37.5},
  {-122.5, 37.8}, {-123.0, 38.0}, {-123.7, 38.9}, {-123.85, 39.8}, {-124.4, 40.4},
  {-124.1, 41.0}, {-124.2, 42.0}, {-124.55, 42.8}, {-124.1, 43.7}, {-123.9, 45.5},
  {-124.05, 46.3}, {-124.1, 47.0}, {-124.6, 48.2},
};
#define N_OUTLINE G_N_ELEMENTS (outline)

/* signed distance in degrees to the outline: positive inside */
static double
outline_sd (double x, double y)
{
  gboolean inside = FALSE;
  double best = G_MAXDOUBLE;
  for (guint i = 0, j = N_OUTLINE - 1; i < N_OUTLINE; j = i++)
    {
      double xi = outline[i][0], yi = outline[i][1], xj = outline[j][0], yj = outline[j][1];
      if (((yi > y) != (yj > y)) && (x < (xj - xi) * (y - yi) / (yj - yi) + xi))
        inside = !inside;
      double dx = xj - xi, dy = yj - yi;
      double t = ((x - xi) * dx + (y - yi) * dy) / (dx * dx + dy * dy);
      t = CLAMP (t, 0.0, 1.0);
      double ex = xi + t * dx - x, ey = yi + t * dy - y;
      double d = ex * ex + ey * ey;
      if (d < best)
        best = d;
    }
  best = sqrt (best);
  return inside ? best : -best;
}

typedef struct { double x, y, rx, ry; int state; } Blob;

/* island groups: Hawaii (15) and Puerto Rico (72) stand-ins in open water, Long Island (36) */
static const Blob blobs[] = {
  {-119.6, 26.0, 0.50, 0.36, 15}, {-120.7, 26.6, 0.28, 0.22, 15}, {-121.4, 27.0, 0.22, 0.14, 15},
  {-121.9, 27.2, 0.10, 0.08, 15}, {-122.6, 27.6, 0.26, 0.20, 15}, {-123.5, 28.0, 0.20, 0.15, 15},
  {-68.6, 26.0, 0.85, 0.24, 72}, {-67.55, 25.9, 0.12, 0.05, 72}, {-67.3, 26.05, 0.07, 0.05, 72},
  {-73.05, 40.8, 0.95, 0.13, 0},
};

typedef struct { double x, y, r, s; } Metro;

static const Metro metros[] = {
  {-74.1, 40.8, 2.4, 0.13}, {-118.1, 34.1, 2.2, 0.16}, {-87.8, 41.85, 1.8, 0.18},
  {-95.4, 29.8, 1.2, 0.25}, {-96.85, 32.8, 1.3, 0.25}, {-112.05, 33.45, 1.1, 0.25},
  {-75.15, 39.95, 0.8, 0.3}, {-84.4, 33.75, 1.2, 0.25}, {-80.25, 25.95, 0.9, 0.25},
  {-122.3, 47.6, 0.9, 0.3}, {-122.25, 37.75, 1.1, 0.25}, {-71.1, 42.35, 1.0, 0.3},
  {-77.0, 38.9, 0.9, 0.3}, {-83.1, 42.4, 0.9, 0.3}, {-93.25, 44.97, 0.9, 0.3},
  {-104.95, 39.7, 0.9, 0.3}, {-117.15, 32.8, 0.6, 0.35}, {-82.45, 27.95, 0.7, 0.35},
  {-90.2, 38.63, 0.7, 0.35}, {-76.6, 39.3, 0.5, 0.4}, {-80.85, 35.2, 0.7, 0.35},
  {-122.65, 45.5, 0.7, 0.35}, {-98.5, 29.45, 0.6, 0.35}, {-81.4, 28.5, 0.6, 0.35},
  {-121.5, 38.6, 0.6, 0.4}, {-80.0, 40.45, 0.6, 0.4}, {-115.15, 36.15, 0.6, 0.35},
  {-97.75, 30.3, 0.6, 0.35}, {-84.5, 39.1, 0.6, 0.4}, {-94.6, 39.1, 0.6, 0.4},
  {-82.99, 39.96, 0.6, 0.4}, {-86.15, 39.77, 0.6, 0.4}, {-81.7, 41.5, 0.6, 0.4},
  {-86.8, 36.16, 0.5, 0.4}, {-90.05, 29.95, 0.5, 0.45}, {-111.9, 40.75, 0.5, 0.4},
};

typedef struct { const char *fips, *name; } StateInfo;

static const StateInfo states[] = {
  {"01", "Alabama"}, {"04", "Arizona"}, {"05", "Arkansas"}, {"06", "California"},
  {"08", "Colorado"}, {"09", "Connecticut"}, {"10", "Delaware"}, {"11", "District of Columbia"},
  {"12", "Florida"}, {"13", "Georgia"}, {"15", "Hawaii"}, {"16", "Idaho"}, {"17", "Illinois"},
  {"18", "Indiana"}, {"19", "Iowa"}, {"20", "Kansas"}, {"21", "Kentucky"}, {"22", "Louisiana"},
  {"23", "Maine"}, {"24", "Maryland"}, {"25", "Massachusetts"}, {"26", "Michigan"},
  {"27", "Minnesota"}, {"28", "Mississippi"}, {"29", "Missouri"}, {"30", "Montana"},
  {"31", "Nebraska"}, {"32", "Nevada"}, {"33", "New Hampshire"}, {"34", "New Jersey"},
  {"35", "New Mexico"}, {"36", "New York"}, {"37", "North Carolina"}, {"38", "North Dakota"},
  {"39", "Ohio"}, {"40", "Oklahoma"}, {"41", "Oregon"}, {"42", "Pennsylvania"},
  {"44", "Rhode Island"}, {"45", "South Carolina"}, {"46", "South Dakota"}, {"47", "Tennessee"},
  {"48", "Texas"}, {"49", "Utah"}, {"50", "Vermont"}, {"51", "Virginia"}, {"53", "Washington"},
  {"54", "West Virginia"}, {"55", "Wisconsin"}, {"56", "Wyoming"}, {"72", "Puerto Rico"},
};
#define N_STATES G_N_ELEMENTS (states)

typedef struct { double x, y; int fips; } StateSeed;

/* one or more seed points per state (its Voronoi region is the state) */
static const StateSeed state_seeds[] = {
  {-86.8, 32.8, 1}, {-111.7, 34.3, 4}, {-92.4, 34.9, 5}, {-120.5, 38.0, 6}, {-118.0, 34.6, 6},
  {-121.8, 40.4, 6}, {-116.5, 33.5, 6}, {-105.5, 39.0, 8}, {-72.7, 41.6, 9}, {-75.5, 39.0, 10},
  {-77.02, 38.9, 11}, {-81.5, 28.0, 12}, {-84.5, 30.6, 12}, {-80.5, 26.3, 12}, {-83.4, 32.7, 13},
  {-114.6, 44.4, 16}, {-115.0, 46.8, 16}, {-89.2, 40.0, 17}, {-88.0, 42.0, 17}, {-86.3, 39.9, 18},
  {-93.5, 42.1, 19}, {-98.4, 38.5, 20}, {-85.3, 37.5, 21}, {-92.0, 31.0, 22}, {-90.6, 30.0, 22},
  {-69.2, 45.4, 23}, {-76.8, 39.05, 24}, {-71.8, 42.3, 25}, {-70.9, 42.0, 25}, {-84.7, 43.6, 26},
  {-87.0, 46.3, 26}, {-94.3, 46.3, 27}, {-89.7, 32.7, 28}, {-92.5, 38.4, 29}, {-109.6, 47.0, 30},
  {-99.8, 41.5, 31}, {-116.6, 39.3, 32}, {-71.6, 43.7, 33}, {-74.5, 40.2, 34}, {-74.4, 40.9, 34},
  {-106.1, 34.4, 35}, {-75.5, 42.9, 36}, {-73.8, 40.75, 36}, {-73.0, 40.85, 36}, {-79.4, 35.5, 37},
  {-100.5, 47.5, 38}, {-82.8, 40.3, 39}, {-97.5, 35.6, 40}, {-120.6, 43.9, 41}, {-77.8, 40.9, 42},
  {-75.3, 40.1, 42}, {-71.5, 41.7, 44}, {-80.9, 33.9, 45}, {-100.2, 44.4, 46}, {-86.3, 35.9, 47},
  {-99.3, 31.5, 48}, {-101.8, 34.5, 48}, {-96.0, 30.0, 48}, {-98.5, 27.4, 48}, {-104.5, 31.0, 48},
  {-111.7, 39.3, 49}, {-72.7, 44.0, 50}, {-78.8, 37.5, 51}, {-76.9, 37.3, 51}, {-120.4, 47.4, 53},
  {-80.6, 38.6, 54}, {-89.8, 44.6, 55}, {-107.5, 43.0, 56},
};

static int
state_index_of_fips (int fips)
{
  for (guint i = 0; i < N_STATES; i++)
    if (atoi (states[i].fips) == fips)
      return (int) i;
  g_error ("no state %d", fips);
  return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* The grid                                                                                    */

#define LON0 (-125.6)
#define LON1 (-66.4)
#define LAT0 (24.6)
#define LAT1 (49.6)
#define X_WARP 0.35        /* west cells (1 + X_WARP) / (1 - X_WARP) times wider than east */
#define ROW_ASPECT 0.78    /* row height / cell width in parameter degrees */

enum { CELL_WATER = 0, CELL_LAND = 1 };
enum { ROLE_NONE = 0, ROLE_MAIN, ROLE_OWN_ISLAND, ROLE_PART };

typedef struct
{
  double dx, dy;
  int ncol, nrow, nk;       /* cells per row, rows, nodes per line */
  double *nx, *ny;          /* node positions (lon, lat) */
  double *cx, *cy;          /* cell centres */
  guint8 *land;             /* CELL_* */
  guint8 *role;             /* ROLE_* */
  int *host;                /* ROLE_PART: cell whose tract this detached part joins */
  int *comp;                /* land component id */
  int ntracts_cells;        /* mainland + own-island cells */
  int nparts;
  int nown;                 /* own-island cells that have no neighbour (islands) */
} Grid;

static void
grid_clear (Grid *g)
{
  g_free (g->nx); g_free (g->ny); g_free (g->cx); g_free (g->cy);
  g_free (g->land); g_free (g->role); g_free (g->host); g_free (g->comp);
  memset (g, 0, sizeof *g);
}

static void
warp (double px, double py, double *ox, double *oy)
{
  double w = LON1 - LON0;
  double t = (px - LON0) / w;
  double x = LON0 + w * ((1 + X_WARP) * t - X_WARP * t * t);
  double y = py;
  for (guint m = 0; m < G_N_ELEMENTS (metros); m++)
    {
      const Metro *mt = &metros[m];
      /* two nested contractions: a wide gentle one and a core, so density rises gradually */
      for (int pass = 0; pass < 2; pass++)
        {
          double rad = pass == 0 ? mt->r : mt->r * 0.4;
          double s = pass == 0 ? 0.5 : MIN (1.0, mt->s / 0.5);
          double ddx = (x - mt->x) * 0.8, ddy = y - mt->y;
          double r = sqrt (ddx * ddx + ddy * ddy);
          if (r >= rad || r == 0)
            continue;
          double u = r / rad;
          double gu = s * u + 2 * (1 - s) * u * u - (1 - s) * u * u * u;
          double f = gu / u;
          x = mt->x + (x - mt->x) * f;
          y = mt->y + ddy * f;
        }
    }
  *ox = x;
  *oy = y;
}

static inline int
node_id (const Grid *g, int line, int k)
{
  return line * g->nk + k;
}

/* the six nodes of cell (i, j), counter-clockwise: BL, BM, BR, TR, TM, TL */
static inline void
cell_nodes (const Grid *g, int c, int n[6])
{
  int i = c % g->ncol, j = c / g->ncol;
  int k0 = 2 * i + (j & 1);
  n[0] = node_id (g, j, k0);
  n[1] = node_id (g, j, k0 + 1);
  n[2] = node_id (g, j, k0 + 2);
  n[3] = node_id (g, j + 1, k0 + 2);
  n[4] = node_id (g, j + 1, k0 + 1);
  n[5] = node_id (g, j + 1, k0);
}

static inline int
cell_at (const Grid *g, int row, int kcorner)
{
  if (row < 0 || row >= g->nrow)
    return -1;
  int i2 = kcorner - (row & 1);
  if (i2 < 0 || (i2 & 1))
    return -1;
  int i = i2 / 2;
  if (i >= g->ncol)
    return -1;
  return row * g->ncol + i;
}

/* the neighbour across each of the six edges (n[e] -> n[e+1]); -1 outside the grid */
static inline void
cell_neighbours (const Grid *g, int c, int nb[6])
{
  int i = c % g->ncol, j = c / g->ncol;
  int k0 = 2 * i + (j & 1);
  nb[0] = cell_at (g, j - 1, k0 - 1);
  nb[1] = cell_at (g, j - 1, k0 + 1);
  nb[2] = (i + 1 < g->ncol) ? c + 1 : -1;
  nb[3] = cell_at (g, j + 1, k0 + 1);
  nb[4] = cell_at (g, j + 1, k0 - 1);
  nb[5] = (i > 0) ? c - 1 : -1;
}

static void
grid_build (Grid *g, double dx)
{
  grid_clear (g);
  g->dx = dx;
  g->dy = dx * ROW_ASPECT;
  g->ncol = (int) ceil ((LON1 - LON0) / dx);
  g->nrow = (int) ceil ((LAT1 - LAT0) / g->dy);
  g->nk = 2 * g->ncol + 2;
  int nnodes = (g->nrow + 1) * g->nk, ncells = g->nrow * g->ncol;
  g->nx = g_new (double, nnodes);
  g->ny = g_new (double, nnodes);
  for (int line = 0; line <= g->nrow; line++)
    for (int k = 0; k < g->nk; k++)
      {
        int id = node_id (g, line, k);
        double jx = (hunit (1, (guint64) id, 0) - 0.5) * 0.22;
        double jy = (hunit (1, (guint64) id, 1) - 0.5) * 0.36;
        double px = LON0 + (0.5 * k + jx) * dx;
        double py = LAT0 + (line + jy) * g->dy;
        warp (px, py, &g->nx[id], &g->ny[id]);
        /* round like the cartographic files (1e-6 degree); both sides see the same node */
        g->nx[id] = round (g->nx[id] * 1e6) / 1e6;
        g->ny[id] = round (g->ny[id] * 1e6) / 1e6;
      }
  g->cx = g_new (double, ncells);
  g->cy = g_new (double, ncells);
  g->land = g_new0 (guint8, ncells);
  g->role = g_new0 (guint8, ncells);
  g->host = g_new (int, ncells);
  g->comp = g_new (int, ncells);

  for (int c = 0; c < ncells; c++)
    {
      int n[6];
      cell_nodes (g, c, n);
      double sx = 0, sy = 0;
      for (int e = 0; e < 6; e++)
        sx += g->nx[n[e]], sy += g->ny[n[e]];
      double x = g->cx[c] = sx / 6, y = g->cy[c] = sy / 6;
      g->host[c] = -1;
      g->comp[c] = -1;

      gboolean land = FALSE;
      double sd = outline_sd (x, y);
      if (sd > 0.45)
        land = TRUE;
      else if (sd > -0.9)
        {
          double noise = fbm (2, x * 1.3, y * 1.3, 4);
          if (sd + 0.32 * noise > 0)
            land = TRUE;
          else if (sd < -0.06 && fbm (3, x * 2.5, y * 2.5, 3) > 0.38)
            land = TRUE;      /* offshore islands */
          else if (sd < -0.04 && sd > -0.5 && hunit (13, (guint64) c, 0) < 0.03)
            land = TRUE;      /* rocks and keys */
        }
      if (!land)
        for (guint b = 0; b < G_N_ELEMENTS (blobs); b++)
          {
            double ex = (x - blobs[b].x) / blobs[b].rx, ey = (y - blobs[b].y) / blobs[b].ry;
            double rr = ex * ex + ey * ey;
            if (rr < 1.0 + 0.35 * fbm (4, x * 3, y * 3, 2))
              {
                land = TRUE;
                break;
              }
          }
      g->land[c] = land ? CELL_LAND : CELL_WATER;
    }

  /* components of land cells; the largest is the mainland */
  int *stack = g_new (int, ncells);
  int ncomp = 0, best = -1, best_size = 0;
  GArray *sizes = g_array_new (FALSE, FALSE, sizeof (int));
  for (int c = 0; c < ncells; c++)
    {
      if (!g->land[c] || g->comp[c] >= 0)
        continue;
      int sp = 0, size = 0;
      stack[sp++] = c;
      g->comp[c] = ncomp;
      while (sp > 0)
        {
          int a = stack[--sp], nb[6];
          size++;
          cell_neighbours (g, a, nb);
          for (int e = 0; e < 6; e++)
            if (nb[e] >= 0 && g->land[nb[e]] && g->comp[nb[e]] < 0)
              {
                g->comp[nb[e]] = ncomp;
                stack[sp++] = nb[e];
              }
        }
      g_array_append_val (sizes, size);
      if (size > best_size)
        best_size = size, best = ncomp;
      ncomp++;
    }
  g_free (stack);

  g->ntracts_cells = 0;
  g->nparts = 0;
  g->nown = 0;
  for (int c = 0; c < ncells; c++)
    {
      if (!g->land[c])
        continue;
      int size = g_array_index (sizes, int, g->comp[c]);
      if (g->comp[c] == best)
        {
          g->role[c] = ROLE_MAIN;
          g->ntracts_cells++;
          continue;
        }
      if (size > 1)
        {
          g->role[c] = ROLE_OWN_ISLAND;
          g->ntracts_cells++;
          continue;
        }
      /* a one-cell island: about half join the nearest mainland tract within 4 cells */
      int host = -1;
      if (hunit (5, (guint64) c, 0) < 0.55)
        {
          int i = c % g->ncol, j = c / g->ncol;
          double bd = G_MAXDOUBLE;
          for (int jj = MAX (0, j - 4); jj <= MIN (g->nrow - 1, j + 4); jj++)
            for (int ii = MAX (0, i - 4); ii <= MIN (g->ncol - 1, i + 4); ii++)
              {
                int o = jj * g->ncol + ii;
                if (!g->land[o] || g->comp[o] != best)
                  continue;
                double ddx = g->cx[o] - g->cx[c], ddy = g->cy[o] - g->cy[c];
                double d = ddx * ddx + ddy * ddy;
                if (d < bd)
                  bd = d, host = o;
              }
        }
      if (host >= 0)
        {
          g->role[c] = ROLE_PART;
          g->host[c] = host;
          g->nparts++;
        }
      else
        {
          g->role[c] = ROLE_OWN_ISLAND;
          g->ntracts_cells++;
          g->nown++;
        }
    }
  g_array_unref (sizes);
}

/* ------------------------------------------------------------------------------------------ */
/* Tracts                                                                                      */

enum { HOLE_NONE = 0, HOLE_ENCLAVE, HOLE_LAKE };

typedef struct
{
  int cell;          /* the cell (for an enclave: the host cell) */
  gboolean enclave;  /* fills the hole of its host */
  int state;         /* index in states[] */
  int county;        /* index in counties */
  char geoid[12];
  char *name;
  double x, y;       /* centre */
  guint32 nverts;
} Tract;

typedef struct
{
  int state;
  char *name;
  int code;          /* 1, 3, 5 … */
  double sx, sy;     /* seed, grid units */
} County;

typedef struct
{
  Grid g;
  GArray *tracts;        /* Tract */
  GPtrArray *counties;   /* County* */
  int *cell_tract;       /* cell -> tract index (mainland / own island) */
  guint8 *hole;          /* cell -> HOLE_* */
  int *first_part;       /* cell -> first detached part cell, -1 */
  int *next_part;        /* part cell -> next part cell of the same host, -1 */
  double vk;             /* densification constant */
  int nholes, nlakes, nenclaves, nmultipart, nislands;
  OGRGeometryH *geoms;   /* per tract (sorted), MultiPolygon */
} Nation;

static double
edge_len (const Grid *g, int a, int b)
{
  double dx = (g->nx[b] - g->nx[a]) * 0.8, dy = g->ny[b] - g->ny[a];
  return sqrt (dx * dx + dy * dy);
}

static inline gboolean
cell_filled (const Grid *g, int c)
{
  return c >= 0 && g->land[c];
}

/* number of intermediate points on the edge a-b (a < b) */
static int
edge_points (const Nation *n, int a, int b, gboolean coastal)
{
  guint64 h = hash3 (6, (guint64) a, (guint64) b);
  double u = unit (h);
  if (!coastal && u < 0.33)
    return 1 + (int) ((h >> 7) % 3);      /* a road: straight, few vertices */
  double f = pow (edge_len (&n->g, a, b), 0.6) * (0.5 + unit (mix64 (h)));
  if (coastal)
    f *= 2.5;
  int m = (int) lround (n->vk * f);
  return CLAMP (m, 1, 800);
}

/* appends the points of the edge from node p to node q, without q */
static void
edge_append (const Nation *n, int p, int q, gboolean coastal, GArray *xs, GArray *ys)
{
  const Grid *g = &n->g;
  int a = MIN (p, q), b = MAX (p, q);
  int m = edge_points (n, a, b, coastal);
  guint64 h = hash3 (6, (guint64) a, (guint64) b);
  gboolean road = !coastal && unit (h) < 0.33;
  double ax = g->nx[a], ay = g->ny[a], bx = g->nx[b], by = g->ny[b];
  double ddx = bx - ax, ddy = by - ay, len = sqrt (ddx * ddx + ddy * ddy);
  double nxp = -ddy / len, nyp = ddx / len;
  double a1, a2, a3, jit;
  Rng r = { mix64 (h ^ 0x5151) };
  if (road)
    {
      a1 = (rng_unit (&r) - 0.5) * 0.01;
      a2 = a3 = jit = 0;
    }
  else
    {
      a1 = (rng_unit (&r) - 0.5) * 0.09;
      a2 = (rng_unit (&r) - 0.5) * 0.09 / 2;
      a3 = (rng_unit (&r) - 0.5) * 0.09 / 3;
      jit = 0.35 * len / (m + 1);
    }
  /* the points in canonical order a -> b */
  double px[m], py[m];
  for (int i = 1; i <= m; i++)
    {
      double t = (double) i / (m + 1);
      double s1 = sin (G_PI * t);
      double off = len * (a1 * s1 + a2 * sin (2 * G_PI * t) + a3 * sin (3 * G_PI * t));
      off += jit * (rng_unit (&r) - 0.5) * s1;
      double x = ax + t * ddx + off * nxp, y = ay + t * ddy + off * nyp;
      px[i - 1] = round (x * 1e6) / 1e6;
      py[i - 1] = round (y * 1e6) / 1e6;
    }
  g_array_append_val (xs, g->nx[p]);
  g_array_append_val (ys, g->ny[p]);
  if (p == a)
    for (int i = 0; i < m; i++)
      {
        g_array_append_val (xs, px[i]);
        g_array_append_val (ys, py[i]);
      }
  else
    for (int i = m - 1; i >= 0; i--)
      {
        g_array_append_val (xs, px[i]);
        g_array_append_val (ys, py[i]);
      }
}

/* the exterior ring of a cell, counter-clockwise, closed */
static void
cell_ring (const Nation *n, int c, GArray *xs, GArray *ys)
{
  int nd[6], nb[6];
  cell_nodes (&n->g, c, nd);
  cell_neighbours (&n->g, c, nb);
  for (int e = 0; e < 6; e++)
    edge_append (n, nd[e], nd[(e + 1) % 6], !cell_filled (&n->g, nb[e]), xs, ys);
  double x0 = g_array_index (xs, double, 0), y0 = g_array_index (ys, double, 0);
  g_array_append_val (xs, x0);
  g_array_append_val (ys, y0);
}

/* the small hole of a host cell, counter-clockwise, closed */
static void
hole_ring (const Nation *n, int c, GArray *xs, GArray *ys)
{
  const Grid *g = &n->g;
  int nd[6];
  cell_nodes (g, c, nd);
  double cx = g->cx[c], cy = g->cy[c], rmin = G_MAXDOUBLE;
  for (int e = 0; e < 6; e++)
    {
      double x1 = g->nx[nd[e]], y1 = g->ny[nd[e]];
      double x2 = g->nx[nd[(e + 1) % 6]], y2 = g->ny[nd[(e + 1) % 6]];
      double dx = x2 - x1, dy = y2 - y1;
      double t = CLAMP (((cx - x1) * dx + (cy - y1) * dy) / (dx * dx + dy * dy), 0, 1);
      double ex = x1 + t * dx - cx, ey = y1 + t * dy - cy;
      rmin = MIN (rmin, sqrt (ex * ex + ey * ey));
    }
  Rng r = { hash3 (7, (guint64) c, 0) };
  double rad = rmin * (0.18 + 0.08 * rng_unit (&r));
  double ph1 = rng_unit (&r) * 2 * G_PI, ph2 = rng_unit (&r) * 2 * G_PI;
  int np = 24 + (int) (rng_unit (&r) * 40);
  for (int i = 0; i < np; i++)
    {
      double th = 2 * G_PI * i / np;
      double rr = rad * (1 + 0.15 * sin (2 * th + ph1) + 0.08 * sin (3 * th + ph2)
                         + 0.04 * (rng_unit (&r) - 0.5));
      double x = round ((cx + rr * cos (th)) * 1e6) / 1e6;
      double y = round ((cy + rr * sin (th)) * 1e6) / 1e6;
      g_array_append_val (xs, x);
      g_array_append_val (ys, y);
    }
  double x0 = g_array_index (xs, double, 0), y0 = g_array_index (ys, double, 0);
  g_array_append_val (xs, x0);
  g_array_append_val (ys, y0);
}

static OGRGeometryH
make_ring (GArray *xs, GArray *ys, gboolean reverse)
{
  OGRGeometryH ring = OGR_G_CreateGeometry (wkbLinearRing);
  guint np = xs->len;
  if (reverse)
    {
      for (guint i = 0; i < np / 2; i++)
        {
          double t = g_array_index (xs, double, i);
          g_array_index (xs, double, i) = g_array_index (xs, double, np - 1 - i);
          g_array_index (xs, double, np - 1 - i) = t;
          t = g_array_index (ys, double, i);
          g_array_index (ys, double, i) = g_array_index (ys, double, np - 1 - i);
          g_array_index (ys, double, np - 1 - i) = t;
        }
    }
  OGR_G_SetPoints (ring, (int) np, xs->data, sizeof (double), ys->data, sizeof (double), NULL, 0);
  return ring;
}

static OGRGeometryH
tract_geometry (const Nation *n, const Tract *t, guint32 *nverts)
{
  GArray *xs = g_array_sized_new (FALSE, FALSE, sizeof (double), 512);
  GArray *ys = g_array_sized_new (FALSE, FALSE, sizeof (double), 512);
  OGRGeometryH multi = OGR_G_CreateGeometry (wkbMultiPolygon);
  guint32 count = 0;

  if (t->enclave)
    {
      OGRGeometryH poly = OGR_G_CreateGeometry (wkbPolygon);
      hole_ring (n, t->cell, xs, ys);
      count += xs->len;
      OGR_G_AddGeometryDirectly (poly, make_ring (xs, ys, FALSE));
      OGR_G_AddGeometryDirectly (multi, poly);
    }
  else
    {
      for (int c = t->cell; c >= 0; c = (c == t->cell) ? n->first_part[t->cell] : n->next_part[c])
        {
          OGRGeometryH poly = OGR_G_CreateGeometry (wkbPolygon);
          g_array_set_size (xs, 0);
          g_array_set_size (ys, 0);
          cell_ring (n, c, xs, ys);
          count += xs->len;
          OGR_G_AddGeometryDirectly (poly, make_ring (xs, ys, FALSE));
          if (c == t->cell && n->hole[c] != HOLE_NONE)
            {
              g_array_set_size (xs, 0);
              g_array_set_size (ys, 0);
              hole_ring (n, c, xs, ys);
              count += xs->len;
              OGR_G_AddGeometryDirectly (poly, make_ring (xs, ys, TRUE));
            }
          OGR_G_AddGeometryDirectly (multi, poly);
        }
    }
  g_array_unref (xs);
  g_array_unref (ys);
  *nverts = count;
  return multi;
}

/* vertex count of a tract without building it (for the calibration) */
static guint64
tract_vertex_count (const Nation *n, int c)
{
  guint64 count = 0;
  for (int p = c; p >= 0; p = (p == c) ? n->first_part[c] : n->next_part[p])
    {
      int nd[6], nb[6];
      cell_nodes (&n->g, p, nd);
      cell_neighbours (&n->g, p, nb);
      for (int e = 0; e < 6; e++)
        {
          int a = MIN (nd[e], nd[(e + 1) % 6]), b = MAX (nd[e], nd[(e + 1) % 6]);
          count += 1 + edge_points (n, a, b, !cell_filled (&n->g, nb[e]));
        }
      count += 1;
    }
  return count;
}

/* ------------------------------------------------------------------------------------------ */
/* Names                                                                                       */

static const char *syl_a[] = { "Mar", "Bel", "Cal", "Ash", "Dun", "Elk", "Fair", "Glen", "Har",
  "Hol", "Ken", "Lin", "Mad", "Nor", "Oak", "Pem", "Ral", "Sal", "Tal", "Wal", "Win", "Brad",
  "Clay", "Dor", "Ev", "Frank", "Gar", "Hunt", "Jas", "Lam", "Mont", "Ran", "Stan", "Ver",
  "Whit", "Yor", "Ben", "Car", "Daw", "Lew" };
static const char *syl_b[] = { "low", "ton", "ford", "ley", "wood", "more", "field", "ville",
  "ington", "mer", "son", "dale", "bury", "ridge", "land", "er", "well", "bert", "den", "ham" };
static const char *pr_a[] = { "Aña", "Ba", "Ca", "Co", "Gua", "Ha", "Ja", "Ma", "Na", "Pe",
  "Que", "Sa", "Ti", "Ut", "Ve", "Ya", "Lo", "Ri", "Ce", "Mo" };
static const char *pr_b[] = { "sco", "yamón", "guas", "ñuelas", "rabo", "tillo", "güez",
  "nabo", "dilla", "jardo", "bón", "rito", "coa", "llanes", "quillo", "vieja" };

static char *
county_name (int state_fips, guint64 h, int attempt)
{
  h = mix64 (h + (guint64) attempt * 977);
  if (state_fips == 72)
    {
      const char *a = pr_a[h % G_N_ELEMENTS (pr_a)];
      const char *b = pr_b[(h >> 16) % G_N_ELEMENTS (pr_b)];
      return g_strdup_printf ("%s%s Municipio", a, b);
    }
  const char *a = syl_a[h % G_N_ELEMENTS (syl_a)];
  const char *b = syl_b[(h >> 16) % G_N_ELEMENTS (syl_b)];
  if (((h >> 32) % 9) == 0)
    return g_strdup_printf ("%s%s Parish", a, b);
  return g_strdup_printf ("%s%s County", a, b);
}

static int
compare_county_names (gconstpointer pa, gconstpointer pb)
{
  const County *a = *(County **) pa, *b = *(County **) pb;
  if (a->state != b->state)
    return a->state - b->state;
  return g_strcmp0 (a->name, b->name);
}

static int
compare_tracts_geoid (gconstpointer pa, gconstpointer pb)
{
  return strcmp (((const Tract *) pa)->geoid, ((const Tract *) pb)->geoid);
}

/* ------------------------------------------------------------------------------------------ */
/* Building the nation                                                                         */

static int
cmp_u64 (const void *pa, const void *pb)
{
  guint64 a = *(const guint64 *) pa, b = *(const guint64 *) pb;
  return a < b ? -1 : a > b;
}

typedef struct { double key; int idx; } SeedKey;

static int
cmp_seed_key (const void *pa, const void *pb)
{
  const SeedKey *a = pa, *b = pb;
  if (a->key != b->key)
    return a->key < b->key ? -1 : 1;
  return a->idx - b->idx;
}

static double
cell_area (const Grid *g, int c)
{
  int nd[6];
  double a = 0;
  cell_nodes (g, c, nd);
  for (int e = 0; e < 6; e++)
    {
      int p = nd[e], q = nd[(e + 1) % 6];
      a += g->nx[p] * g->ny[q] - g->nx[q] * g->ny[p];
    }
  return fabs (a) * 0.5 + 1e-12;
}

static int
nearest_state (double x, double y)
{
  double best = G_MAXDOUBLE;
  int fips = 1;
  for (guint s = 0; s < G_N_ELEMENTS (state_seeds); s++)
    {
      double dx = (x - state_seeds[s].x) * 0.8, dy = y - state_seeds[s].y;
      double d = dx * dx + dy * dy;
      if (d < best)
        best = d, fips = state_seeds[s].fips;
    }
  return fips;
}

static int
blob_state (double x, double y)
{
  for (guint b = 0; b < G_N_ELEMENTS (blobs); b++)
    {
      if (blobs[b].state == 0)
        continue;
      double ex = (x - blobs[b].x) / (blobs[b].rx + 0.5), ey = (y - blobs[b].y) / (blobs[b].ry + 0.5);
      if (ex * ex + ey * ey < 1)
        return blobs[b].state;
    }
  return 0;
}

static int
enclave_target (int ntracts)
{
  return CLAMP (ntracts / 700, 2, 150);
}

static void
nation_build (Nation *n, int ntracts)
{
  Grid *g = &n->g;
  int want_min = ntracts - (int) (enclave_target (ntracts) * 1.5);
  int want_max = ntracts - (int) ceil (enclave_target (ntracts) * 0.6);
  /* land area in parameter units is about 770 square degrees */
  double lo = sqrt (770.0 / ntracts / ROW_ASPECT) * 0.4, hi = lo * 6;
  double dx = 0;
  int iter;
  for (iter = 0; iter < 80; iter++)
    {
      dx = 0.5 * (lo + hi);
      grid_build (g, dx);
      if (g->ntracts_cells > want_max)
        lo = dx;             /* too many cells: grow them */
      else if (g->ntracts_cells < want_min)
        hi = dx;
      else
        break;
    }
  if (g->ntracts_cells > ntracts - 1 || g->ntracts_cells < ntracts - 400)
    g_error ("could not fit %d tracts (grid gives %d cells)", ntracts, g->ntracts_cells);
  g_printerr ("grid: %d x %d cells of %.4f deg (%d bisection steps), %d land cells\n",
              g->ncol, g->nrow, dx, iter + 1, g->ntracts_cells);

  int ncells = g->ncol * g->nrow;
  n->nenclaves = ntracts - g->ntracts_cells;
  n->nlakes = MAX (1, n->nenclaves / 3);
  n->hole = g_new0 (guint8, ncells);
  n->first_part = g_new (int, ncells);
  n->next_part = g_new (int, ncells);
  n->cell_tract = g_new (int, ncells);
  for (int c = 0; c < ncells; c++)
    n->first_part[c] = n->next_part[c] = n->cell_tract[c] = -1;
  for (int c = ncells - 1; c >= 0; c--)
    if (g->role[c] == ROLE_PART)
      {
        int h = g->host[c];
        n->next_part[c] = n->first_part[h];
        n->first_part[h] = c;
      }

  /* hosts of holes: interior mainland cells with the smallest hashes */
  {
    GArray *cand = g_array_new (FALSE, FALSE, sizeof (guint64));
    for (int c = 0; c < ncells; c++)
      {
        if (g->role[c] != ROLE_MAIN || n->first_part[c] >= 0)
          continue;
        int nb[6], ok = 1;
        cell_neighbours (g, c, nb);
        for (int e = 0; e < 6; e++)
          if (nb[e] < 0 || g->role[nb[e]] != ROLE_MAIN)
            ok = 0;
        if (!ok)
          continue;
        guint64 key = (hash3 (8, (guint64) c, 0) & 0xFFFFFFFF00000000ULL) | (guint64) c;
        g_array_append_val (cand, key);
      }
    /* by key: hash in the high half, cell in the low half */
    guint64 *keys = (guint64 *) cand->data;
    qsort (keys, cand->len, sizeof (guint64), cmp_u64);
    int need = n->nenclaves + n->nlakes, got = 0;
    for (guint i = 0; i < cand->len && got < need; i++)
      {
        int c = (int) (keys[i] & 0xFFFFFFFFULL);
        /* keep holes apart: no neighbour already a host */
        int nb[6], clash = 0;
        cell_neighbours (g, c, nb);
        for (int e = 0; e < 6; e++)
          if (n->hole[nb[e]] != HOLE_NONE)
            clash = 1;
        if (clash)
          continue;
        n->hole[c] = (got < n->nenclaves) ? HOLE_ENCLAVE : HOLE_LAKE;
        got++;
      }
    if (got < need)
      g_error ("not enough cells for %d holes", need);
    n->nholes = need;
    g_array_unref (cand);
  }

  /* tracts: cells first, then enclaves */
  n->tracts = g_array_new (FALSE, TRUE, sizeof (Tract));
  for (int c = 0; c < ncells; c++)
    {
      if (g->role[c] != ROLE_MAIN && g->role[c] != ROLE_OWN_ISLAND)
        continue;
      Tract t = { 0 };
      t.cell = c;
      t.x = g->cx[c];
      t.y = g->cy[c];
      int bs = blob_state (t.x, t.y);
      if (g->role[c] == ROLE_OWN_ISLAND && bs)
        t.state = state_index_of_fips (bs);
      else
        t.state = state_index_of_fips (nearest_state (t.x, t.y));
      n->cell_tract[c] = (int) n->tracts->len;
      g_array_append_val (n->tracts, t);
    }
  for (int c = 0; c < ncells; c++)
    if (n->hole[c] == HOLE_ENCLAVE)
      {
        Tract t = { 0 };
        Tract *host = &g_array_index (n->tracts, Tract, n->cell_tract[c]);
        t.cell = c;
        t.enclave = TRUE;
        t.x = g->cx[c];
        t.y = g->cy[c];
        t.state = host->state;
        g_array_append_val (n->tracts, t);
      }
  g_assert ((int) n->tracts->len == ntracts);

  /* counties: Voronoi regions (grid space) of seeds drawn among each state's cell tracts */
  n->counties = g_ptr_array_new ();
  {
    GPtrArray *by_state[N_STATES];
    for (guint s = 0; s < N_STATES; s++)
      by_state[s] = g_ptr_array_new ();
    for (guint i = 0; i < n->tracts->len; i++)
      {
        Tract *t = &g_array_index (n->tracts, Tract, i);
        if (!t->enclave)
          g_ptr_array_add (by_state[t->state], t);
      }
    for (guint s = 0; s < N_STATES; s++)
      {
        GPtrArray *ts = by_state[s];
        if (ts->len == 0)
          continue;
        int fips = atoi (states[s].fips);
        /* about 27 tracts a county on average, like the nation's 3,143 counties */
        int nc = MAX (1, (int) lround (ts->len / 27.0 * (fips == 72 ? 3.0 : 1.0)));
        nc = MIN (nc, 840);
        /* seeds drawn with probability by area (exponential race), so a metro county holds
         * many small tracts and a rural one a few large ones */
        SeedKey *keys = g_new (SeedKey, ts->len);
        for (guint i = 0; i < ts->len; i++)
          {
            int c = ((Tract *) ts->pdata[i])->cell;
            double u = hunit (9, (guint64) c, 0);
            keys[i].key = -log (MAX (u, 1e-300)) / cell_area (g, c);
            keys[i].idx = (int) i;
          }
        qsort (keys, ts->len, sizeof (SeedKey), cmp_seed_key);
        guint first = n->counties->len;
        GHashTable *names = g_hash_table_new (g_str_hash, g_str_equal);
        for (int k = 0; k < nc; k++)
          {
            Tract *t = ts->pdata[keys[k].idx];
            County *cty = g_new0 (County, 1);
            cty->state = (int) s;
            cty->sx = t->x;
            cty->sy = t->y;
            for (int attempt = 0;; attempt++)
              {
                cty->name = county_name (fips, hash3 (10, (guint64) t->cell, 0), attempt);
                if (!g_hash_table_contains (names, cty->name))
                  break;
                g_free (cty->name);
              }
            g_hash_table_add (names, cty->name);
            g_ptr_array_add (n->counties, cty);
          }
        g_hash_table_unref (names);
        g_free (keys);
        for (guint i = 0; i < ts->len; i++)
          {
            Tract *t = ts->pdata[i];
            double bd = G_MAXDOUBLE;
            int bc = (int) first;
            for (guint k = first; k < n->counties->len; k++)
              {
                County *cty = n->counties->pdata[k];
                double ex = (t->x - cty->sx) * 0.8, ey = t->y - cty->sy;
                double d = ex * ex + ey * ey;
                if (d < bd)
                  bd = d, bc = (int) k;
              }
            t->county = bc;
          }
        g_ptr_array_unref (ts);
      }
  }
  /* enclaves lie in their host's county */
  for (guint i = 0; i < n->tracts->len; i++)
    {
      Tract *t = &g_array_index (n->tracts, Tract, i);
      if (t->enclave)
        t->county = g_array_index (n->tracts, Tract, n->cell_tract[t->cell]).county;
    }
  /* county codes: alphabetical within the state, odd numbers like the real ones */
  {
    GPtrArray *sorted = g_ptr_array_copy (n->counties, NULL, NULL);
    g_ptr_array_sort (sorted, compare_county_names);
    int prev_state = -1, code = 0;
    for (guint k = 0; k < sorted->len; k++)
      {
        County *cty = sorted->pdata[k];
        if (cty->state != prev_state)
          code = 1, prev_state = cty->state;
        cty->code = code;
        code += 2;
      }
    g_ptr_array_unref (sorted);
  }
  /* tract codes: per county, in grid order (north-west first), with a few split tracts */
  {
    guint nc = n->counties->len;
    int *next_number = g_new0 (int, nc), *next_special = g_new0 (int, nc);
    int *split_left = g_new0 (int, nc), *split_suffix = g_new0 (int, nc);
    for (guint k = 0; k < nc; k++)
      next_number[k] = 1 + (int) (hunit (11, k, 0) * 3) * 100;
    /* walk cells from the top row down so numbering runs north to south */
    for (int row = g->nrow - 1; row >= 0; row--)
      for (int col = 0; col < g->ncol; col++)
        {
          int c = row * g->ncol + col;
          if (n->cell_tract[c] < 0)
            continue;
          Tract *t = &g_array_index (n->tracts, Tract, n->cell_tract[c]);
          int k = t->county, number, suffix;
          if (split_left[k] > 0)
            {
              number = next_number[k] - 1;
              suffix = ++split_suffix[k];
              split_left[k]--;
            }
          else if (hunit (12, (guint64) c, 0) < 0.12)
            {
              number = next_number[k]++;
              split_suffix[k] = 1;
              suffix = 1;
              split_left[k] = 1 + (hunit (12, (guint64) c, 1) < 0.3);
            }
          else
            {
              number = next_number[k]++;
              suffix = 0;
            }
          if (number > 9799)
            g_error ("county with too many tracts");
          County *cty = n->counties->pdata[k];
          g_snprintf (t->geoid, sizeof t->geoid, "%s%03d%04d%02d", states[t->state].fips,
                      cty->code, number, suffix);
          char num[16];
          if (suffix)
            g_snprintf (num, sizeof num, "%d.%02d", number, suffix);
          else
            g_snprintf (num, sizeof num, "%d", number);
          t->name = g_strdup_printf ("Census Tract %s, %s, %s", num, cty->name,
                                     states[t->state].name);
        }
    for (guint i = 0; i < n->tracts->len; i++)
      {
        Tract *t = &g_array_index (n->tracts, Tract, i);
        if (!t->enclave)
          continue;
        County *cty = n->counties->pdata[t->county];
        int number = 9800 + next_special[t->county]++;
        g_snprintf (t->geoid, sizeof t->geoid, "%s%03d%04d00", states[t->state].fips,
                    cty->code, number);
        t->name = g_strdup_printf ("Census Tract %d, %s, %s", number, cty->name,
                                   states[t->state].name);
      }
    /* a split tract whose number was shared across counties cannot happen: numbers are per
     * county; but a split may end at a county's last cell, which is harmless */
    g_free (next_number); g_free (next_special); g_free (split_left); g_free (split_suffix);
  }
  g_array_sort (n->tracts, compare_tracts_geoid);
  for (guint i = 0; i < n->tracts->len; i++)
    {
      Tract *t = &g_array_index (n->tracts, Tract, i);
      if (!t->enclave)
        n->cell_tract[t->cell] = (int) i;
      if (i > 0 && strcmp (t->geoid, g_array_index (n->tracts, Tract, i - 1).geoid) == 0)
        g_error ("duplicate GEOID %s", t->geoid);
    }

  /* counts */
  n->nmultipart = 0;
  n->nislands = 0;
  for (int c = 0; c < ncells; c++)
    {
      if (n->cell_tract[c] < 0)
        continue;
      if (n->first_part[c] >= 0)
        n->nmultipart++;
      if (g->role[c] == ROLE_OWN_ISLAND)
        {
          int nb[6], any = 0;
          cell_neighbours (g, c, nb);
          for (int e = 0; e < 6; e++)
            if (cell_filled (g, nb[e]))
              any = 1;
          if (!any && n->hole[c] != HOLE_ENCLAVE)
            n->nislands++;
        }
    }
}

static void
calibrate_vertices (Nation *n, double target_mean)
{
  int ncells = n->g.ncol * n->g.nrow;
  for (int pass = 0; pass < 3; pass++)
    {
      if (pass == 0)
        n->vk = 20;
      guint64 total = 0;
      for (int c = 0; c < ncells; c++)
        if (n->cell_tract[c] >= 0)
          total += tract_vertex_count (n, c);
      double mean = (double) total / n->tracts->len;
      n->vk *= target_mean / mean;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Geometry and writing                                                                        */

typedef struct { Nation *n; guint from, to; guint64 verts; } GeomJob;

static gpointer
geom_worker (gpointer data)
{
  GeomJob *job = data;
  job->verts = 0;
  for (guint i = job->from; i < job->to; i++)
    {
      Tract *t = &g_array_index (job->n->tracts, Tract, i);
      job->n->geoms[i] = tract_geometry (job->n, t, &t->nverts);
      job->verts += t->nverts;
    }
  return NULL;
}

typedef struct
{
  Nation *n;
  const char *path, *driver, *layer_name;
  gboolean shapefile;
  gboolean ok;
  double seconds;
} WriteJob;

static gpointer
write_worker (gpointer data)
{
  WriteJob *job = data;
  gint64 t0 = g_get_monotonic_time ();
  GDALDriverH drv = GDALGetDriverByName (job->driver);
  job->ok = FALSE;
  if (drv == NULL)
    {
      g_printerr ("no GDAL driver %s\n", job->driver);
      return NULL;
    }
  VSIUnlink (job->path);
  GDALDatasetH ds = GDALCreate (drv, job->path, 0, 0, 0, GDT_Unknown, NULL);
  if (ds == NULL)
    {
      g_printerr ("cannot create %s: %s\n", job->path, CPLGetLastErrorMsg ());
      return NULL;
    }
  OGRSpatialReferenceH srs = OSRNewSpatialReference (NULL);
  OSRImportFromEPSG (srs, 4269);
  OSRSetAxisMappingStrategy (srs, OAMS_TRADITIONAL_GIS_ORDER);
  char **lco = NULL;
  if (job->shapefile)
    lco = CSLSetNameValue (lco, "ENCODING", "UTF-8");
  else
    lco = CSLSetNameValue (lco, "FID", "fid");
  OGRLayerH layer = GDALDatasetCreateLayer (ds, job->layer_name, srs,
                                            job->shapefile ? wkbPolygon : wkbMultiPolygon, lco);
  CSLDestroy (lco);
  OSRRelease (srs);
  if (layer == NULL)
    {
      g_printerr ("cannot create layer in %s: %s\n", job->path, CPLGetLastErrorMsg ());
      GDALClose (ds);
      return NULL;
    }
  OGRFieldDefnH fd = OGR_Fld_Create ("GEOID", OFTString);
  OGR_Fld_SetWidth (fd, 11);
  OGR_L_CreateField (layer, fd, TRUE);
  OGR_Fld_Destroy (fd);
  fd = OGR_Fld_Create ("NAME", OFTString);
  OGR_Fld_SetWidth (fd, 100);
  OGR_L_CreateField (layer, fd, TRUE);
  OGR_Fld_Destroy (fd);

  GDALDatasetStartTransaction (ds, FALSE);
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (layer);
  for (guint i = 0; i < job->n->tracts->len; i++)
    {
      Tract *t = &g_array_index (job->n->tracts, Tract, i);
      OGRFeatureH f = OGR_F_Create (defn);
      OGR_F_SetFieldString (f, 0, t->geoid);
      OGR_F_SetFieldString (f, 1, t->name);
      OGRGeometryH geom = job->n->geoms[i];
      if (job->shapefile && OGR_G_GetGeometryCount (geom) == 1)
        OGR_F_SetGeometryDirectly (f, OGR_G_Clone (OGR_G_GetGeometryRef (geom, 0)));
      else
        OGR_F_SetGeometry (f, geom);
      if (OGR_L_CreateFeature (layer, f) != OGRERR_NONE)
        {
          g_printerr ("cannot write feature %u to %s: %s\n", i, job->path, CPLGetLastErrorMsg ());
          OGR_F_Destroy (f);
          GDALClose (ds);
          return NULL;
        }
      OGR_F_Destroy (f);
    }
  GDALDatasetCommitTransaction (ds);
  GDALClose (ds);
  job->ok = TRUE;
  job->seconds = (g_get_monotonic_time () - t0) / 1e6;
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Outcomes                                                                                    */

enum { G_WHITE, G_BLACK, G_HISP, G_ASIAN, G_AIAN, G_OTHER, N_GROUPS };
static const char *strata[] = { "all", "black", "hispanic", "white", "asian", "aian" };
static const int stratum_group[] = { -1, G_BLACK, G_HISP, G_WHITE, G_ASIAN, G_AIAN };

typedef struct
{
  const char *name;
  gboolean proportion;
  double base;                     /* baseline rate (per person-year) or proportion */
  double denom_share[N_GROUPS];    /* denominator as a share of the group's population */
  double disparity[N_GROUPS];      /* log (or logit) shift by group */
  double trend[5];                 /* log (or logit) shift by period */
  double rx, ry, rw, ramp;         /* a regional hot spot */
  double spatial;                  /* strength of the smooth spatial field */
} Measure;

static const Measure measures[] = {
  { "diabetes_hba1c", TRUE, 0.16,
    { 0.055, 0.085, 0.075, 0.060, 0.095, 0.06 },
    { 0.0, 0.45, 0.35, 0.05, 0.55, 0.2 },
    { 0.0, 0.10, 0.06, 0.03, 0.0 },
    -86.0, 33.0, 5.0, 0.30, 0.35 },
  { "asthma_ed", FALSE, 0.0055,
    { 1, 1, 1, 1, 1, 1 },
    { 0.0, 0.95, 0.35, -0.55, 0.25, 0.3 },
    { 0.0, -0.40, -0.25, -0.05, 0.0 },
    -75.0, 40.5, 3.0, 0.35, 0.40 },
  { "hypertension_control", TRUE, 0.62,
    { 0.18, 0.22, 0.13, 0.17, 0.19, 0.15 },
    { 0.0, -0.40, -0.25, 0.10, -0.30, -0.1 },
    { 0.0, -0.15, -0.08, -0.02, 0.03 },
    -88.0, 33.5, 6.0, -0.25, 0.25 },
  { "preterm_birth", TRUE, 0.095,
    { 0.0105, 0.0120, 0.0150, 0.0110, 0.0130, 0.011 },
    { 0.0, 0.48, 0.08, -0.05, 0.12, 0.1 },
    { 0.0, -0.02, 0.03, 0.05, 0.04 },
    -90.0, 32.0, 4.0, 0.25, 0.20 },
  { "opioid_overdose", FALSE, 0.00028,
    { 1, 1, 1, 1, 1, 1 },
    { 0.0, 0.15, -0.45, -0.80, 0.40, 0.0 },
    { 0.0, 0.22, 0.36, 0.42, 0.40 },
    -82.0, 38.3, 3.5, 0.75, 0.45 },
};
#define N_MEASURES G_N_ELEMENTS (measures)
#define N_PERIODS 5

static double
gauss2 (double x, double y, double cx, double cy, double w)
{
  double dx = (x - cx) * 0.8, dy = y - cy;
  return exp (-(dx * dx + dy * dy) / (w * w));
}

static double
metro_core (double x, double y)
{
  double best = 0;
  for (guint m = 0; m < G_N_ELEMENTS (metros); m++)
    {
      double v = gauss2 (x, y, metros[m].x, metros[m].y, metros[m].r * 0.45);
      best = MAX (best, v);
    }
  return best;
}

/* group population shares of a tract */
static void
group_shares (double x, double y, Rng *r, double share[N_GROUPS])
{
  double core = metro_core (x, y);
  double sc[N_GROUPS];
  sc[G_WHITE] = 0.0 - 0.8 * core;
  sc[G_BLACK] = -2.1 + 2.3 * gauss2 (x, y, -86.0, 32.5, 6.0) + 1.6 * core
                + 1.0 * fbm (21, x / 2.0, y / 2.0, 3);
  sc[G_HISP] = -2.0 + 2.4 * gauss2 (x, y, -104.0, 31.0, 7.0) + 1.6 * gauss2 (x, y, -119, 35, 4)
               + 1.8 * gauss2 (x, y, -80.4, 25.9, 1.5) + 0.9 * core + 0.9 * fbm (22, x / 2.0, y / 2.0, 3);
  sc[G_ASIAN] = -3.6 + 1.8 * gauss2 (x, y, -122.0, 37.5, 3.0) + 1.2 * gauss2 (x, y, -118.2, 34.0, 2.0)
                + 1.8 * core + 0.8 * fbm (23, x / 1.5, y / 1.5, 3);
  sc[G_AIAN] = -5.0 + 4.2 * gauss2 (x, y, -109.8, 36.2, 1.6) + 3.2 * gauss2 (x, y, -96.0, 35.8, 2.2)
               + 3.6 * gauss2 (x, y, -101.5, 43.4, 1.3) + 3.0 * gauss2 (x, y, -108.0, 48.2, 1.5)
               + 2.2 * gauss2 (x, y, -123.8, 41.5, 1.0) + 1.2 * fbm (24, x, y, 3);
  sc[G_OTHER] = -3.3 + 0.6 * core;
  double sum = 0;
  for (int k = 0; k < N_GROUPS; k++)
    {
      sc[k] = exp (sc[k] + 0.35 * rng_normal (r));
      sum += sc[k];
    }
  for (int k = 0; k < N_GROUPS; k++)
    share[k] = sc[k] / sum;
}

static inline gint64
draw_poisson (Rng *r, double mu)
{
  if (mu <= 0)
    return 0;
  if (mu < 40)
    {
      double l = exp (-mu), p = 1.0;
      gint64 k = 0;
      do
        {
          k++;
          p *= rng_unit (r);
        }
      while (p > l);
      return k - 1;
    }
  double v = mu + sqrt (mu) * rng_normal (r);
  return v < 0 ? 0 : (gint64) lround (v);
}

static inline gint64
draw_binomial (Rng *r, gint64 n, double p)
{
  if (n <= 0 || p <= 0)
    return 0;
  if (p >= 1)
    return n;
  if (n < 30)
    {
      gint64 k = 0;
      for (gint64 i = 0; i < n; i++)
        k += rng_unit (r) < p;
      return k;
    }
  double mean = n * p;
  if (mean < 15)
    return MIN (n, draw_poisson (r, mean));
  if (n * (1 - p) < 15)
    return n - MIN (n, draw_poisson (r, n * (1 - p)));
  double v = mean + sqrt (mean * (1 - p)) * rng_normal (r);
  return CLAMP ((gint64) lround (v), 0, n);
}

static inline double
logit (double p)
{
  return log (p / (1 - p));
}

static inline double
expit (double v)
{
  return 1.0 / (1.0 + exp (-v));
}

static char *
put_int (char *p, gint64 v)
{
  char tmp[24];
  int n = 0;
  if (v == 0)
    {
      *p++ = '0';
      return p;
    }
  while (v > 0)
    {
      tmp[n++] = (char) ('0' + v % 10);
      v /= 10;
    }
  while (n > 0)
    *p++ = tmp[--n];
  return p;
}

typedef struct
{
  Nation *n;
  const char *path;
  gboolean ok;
  gint64 rows, small_counts, zero_counts;
  double seconds;
} CsvJob;

static gpointer
csv_worker (gpointer data)
{
  CsvJob *job = data;
  gint64 t0 = g_get_monotonic_time ();
  FILE *f = fopen (job->path, "wb");
  if (f == NULL)
    {
      g_printerr ("cannot write %s: %s\n", job->path, g_strerror (errno));
      return NULL;
    }
  const size_t cap = 1 << 22;
  char *buf = g_malloc (cap + 4096), *p = buf;
  p += g_snprintf (p, 128, "geoid,measure,period,stratum,numerator,denominator\n");

  for (guint ti = 0; ti < job->n->tracts->len; ti++)
    {
      Tract *t = &g_array_index (job->n->tracts, Tract, ti);
      Rng r = { hash3 (30, (guint64) g_str_hash (t->geoid), ti) };
      double share[N_GROUPS];
      group_shares (t->x, t->y, &r, share);
      double pop_all = exp (log (3900) + 0.33 * rng_normal (&r));
      pop_all = CLAMP (pop_all, 1200, 8000);
      if (t->enclave)
        pop_all = 1200 + 400 * rng_unit (&r);
      double pop[N_GROUPS];
      for (int k = 0; k < N_GROUPS; k++)
        pop[k] = floor (pop_all * share[k] + rng_unit (&r));

      for (guint m = 0; m < N_MEASURES; m++)
        {
          const Measure *ms = &measures[m];
          double field = ms->spatial * fbm (40 + m, t->x / 3.0, t->y / 3.0, 4)
                         + ms->ramp * gauss2 (t->x, t->y, ms->rx, ms->ry, ms->rw)
                         + 0.12 * rng_normal (&r);
          for (int period = 0; period < N_PERIODS; period++)
            {
              double growth = 1.0 + 0.006 * period + 0.01 * rng_normal (&r);
              gint64 den[N_GROUPS], num[N_GROUPS], den_all = 0, num_all = 0;
              for (int k = 0; k < N_GROUPS; k++)
                {
                  double d = pop[k] * growth * ms->denom_share[k];
                  den[k] = (gint64) floor (d + rng_unit (&r));
                  double shift = field + ms->disparity[k] + ms->trend[period];
                  if (ms->proportion)
                    num[k] = draw_binomial (&r, den[k], expit (logit (ms->base) + shift));
                  else
                    num[k] = draw_poisson (&r, den[k] * ms->base * exp (shift));
                  den_all += den[k];
                  num_all += num[k];
                }
              for (guint s = 0; s < G_N_ELEMENTS (strata); s++)
                {
                  gint64 nu = s == 0 ? num_all : num[stratum_group[s]];
                  gint64 de = s == 0 ? den_all : den[stratum_group[s]];
                  if (de == 0)
                    continue;  /* a group without a population has no rate: no row */
                  *p++ = '"';
                  memcpy (p, t->geoid, 11);
                  p += 11;
                  *p++ = '"';
                  *p++ = ',';
                  size_t l = strlen (ms->name);
                  memcpy (p, ms->name, l);
                  p += l;
                  *p++ = ',';
                  p = put_int (p, 2019 + period);
                  *p++ = ',';
                  l = strlen (strata[s]);
                  memcpy (p, strata[s], l);
                  p += l;
                  *p++ = ',';
                  p = put_int (p, nu);
                  *p++ = ',';
                  p = put_int (p, de);
                  *p++ = '\n';
                  job->rows++;
                  if (nu == 0)
                    job->zero_counts++;
                  else if (nu <= 10)
                    job->small_counts++;
                }
              if ((size_t) (p - buf) > cap)
                {
                  if (fwrite (buf, 1, p - buf, f) != (size_t) (p - buf))
                    {
                      g_printerr ("write error on %s\n", job->path);
                      fclose (f);
                      return NULL;
                    }
                  p = buf;
                }
            }
        }
    }
  if (fwrite (buf, 1, p - buf, f) != (size_t) (p - buf) || fclose (f) != 0)
    {
      g_printerr ("write error on %s\n", job->path);
      return NULL;
    }
  g_free (buf);
  job->ok = TRUE;
  job->seconds = (g_get_monotonic_time () - t0) / 1e6;
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */

int
main (int argc, char **argv)
{
  g_autofree char *out = NULL;
  gint64 seed = 20200401;
  int ntracts = 85528;
  gboolean no_shp = FALSE, no_csv = FALSE;
  GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Output folder (default: .)", "DIR" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, "Random seed (default 20200401)", "N" },
    { "tracts", 'n', 0, G_OPTION_ARG_INT, &ntracts, "Number of tracts (default 85528)", "N" },
    { "no-shapefile", 0, 0, G_OPTION_ARG_NONE, &no_shp, "Skip nation.shp.zip", NULL },
    { "no-outcomes", 0, 0, G_OPTION_ARG_NONE, &no_csv, "Skip outcomes.csv", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("— make a synthetic nation of tracts");
  g_autoptr(GError) error = NULL;
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (ntracts < 200 || ntracts > 400000)
    {
      g_printerr ("--tracts must be between 200 and 400000\n");
      return 2;
    }
  if (out == NULL)
    out = g_strdup (".");
  if (g_mkdir_with_parents (out, 0755) != 0)
    {
      g_printerr ("cannot create %s: %s\n", out, g_strerror (errno));
      return 1;
    }
  g_seed = mix64 ((guint64) seed);

  gint64 t_start = g_get_monotonic_time (), t0 = t_start;
  GDALAllRegister ();
  CPLSetConfigOption ("OGR_SQLITE_SYNCHRONOUS", "OFF");

  Nation nation = { 0 };
  Nation *n = &nation;
  nation_build (n, ntracts);
  calibrate_vertices (n, 165.0);
  double t_layout = (g_get_monotonic_time () - t0) / 1e6;

  /* outcomes run beside the geometry */
  g_autofree char *csv_path = g_build_filename (out, "outcomes.csv", NULL);
  CsvJob csv = { n, csv_path, FALSE, 0, 0, 0, 0 };
  GThread *csv_thread = no_csv ? NULL : g_thread_new ("csv", csv_worker, &csv);

  t0 = g_get_monotonic_time ();
  n->geoms = g_new0 (OGRGeometryH, n->tracts->len);
  GeomJob jobs[2] = { { n, 0, n->tracts->len / 2, 0 }, { n, n->tracts->len / 2, n->tracts->len, 0 } };
  GThread *gt = g_thread_new ("geom", geom_worker, &jobs[1]);
  geom_worker (&jobs[0]);
  g_thread_join (gt);
  guint64 total_verts = jobs[0].verts + jobs[1].verts;
  double t_geom = (g_get_monotonic_time () - t0) / 1e6;

  t0 = g_get_monotonic_time ();
  g_autofree char *gpkg_path = g_build_filename (out, "nation.gpkg", NULL);
  g_autofree char *shp_path = g_build_filename (out, "nation.shp.zip", NULL);
  WriteJob wg = { n, gpkg_path, "GPKG", "tracts", FALSE, FALSE, 0 };
  WriteJob ws = { n, shp_path, "ESRI Shapefile", "nation", TRUE, FALSE, 0 };
  GThread *shp_thread = no_shp ? NULL : g_thread_new ("shp", write_worker, &ws);
  write_worker (&wg);
  if (shp_thread)
    g_thread_join (shp_thread);
  double t_write = (g_get_monotonic_time () - t0) / 1e6;
  if (csv_thread)
    g_thread_join (csv_thread);
  double t_total = (g_get_monotonic_time () - t_start) / 1e6;

  guint32 vmin = G_MAXUINT32, vmax = 0;
  for (guint i = 0; i < n->tracts->len; i++)
    {
      guint32 v = g_array_index (n->tracts, Tract, i).nverts;
      vmin = MIN (vmin, v);
      vmax = MAX (vmax, v);
    }
  int nstates = 0;
  {
    gboolean seen[N_STATES] = { 0 };
    for (guint i = 0; i < n->tracts->len; i++)
      seen[g_array_index (n->tracts, Tract, i).state] = TRUE;
    for (guint s = 0; s < N_STATES; s++)
      nstates += seen[s];
  }

  printf ("tracts        %u\n", n->tracts->len);
  printf ("counties      %u\n", n->counties->len);
  printf ("states        %d\n", nstates);
  printf ("vertices      %" G_GUINT64_FORMAT " (mean %.1f a tract, min %u, max %u; closing points counted)\n",
          total_verts, (double) total_verts / n->tracts->len, vmin, vmax);
  printf ("multipart     %d (tracts with a detached island part)\n", n->nmultipart);
  printf ("holes         %d (%d filled by an enclave tract, %d lakes)\n", n->nholes,
          n->nenclaves, n->nlakes);
  printf ("islands       %d (tracts with no neighbour)\n", n->nislands);
  if (!no_csv)
    printf ("outcome rows  %" G_GINT64_FORMAT " (%.1f%% zero counts, %.1f%% counts of 1-10)\n",
            csv.rows, 100.0 * csv.zero_counts / MAX (1, csv.rows),
            100.0 * csv.small_counts / MAX (1, csv.rows));
  printf ("seconds       layout %.2f, geometry %.2f, write %.2f (gpkg %.2f, shp.zip %.2f), "
          "outcomes %.2f (in parallel), total %.2f\n",
          t_layout, t_geom, t_write, wg.seconds, ws.seconds, csv.seconds, t_total);
  printf ("files         %s%s%s%s%s\n", gpkg_path, no_shp ? "" : " ", no_shp ? "" : shp_path,
          no_csv ? "" : " ", no_csv ? "" : csv_path);

  gboolean ok = wg.ok && (no_shp || ws.ok) && (no_csv || csv.ok);
  for (guint i = 0; i < n->tracts->len; i++)
    OGR_G_DestroyGeometry (n->geoms[i]);
  return ok ? 0 : 1;
}
