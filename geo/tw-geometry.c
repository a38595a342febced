/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-geometry"

#include <math.h>
#include <string.h>

#include "tw-geometry.h"
#include "tw-parallel.h"

/* Children of an index node. */
#define NODE_SIZE 16

/* Simplified copies for these tolerances, in world units: half a 256-px tile pixel at
 * zooms 2 to 10. Zoom z's half pixel is 0.5 / (256 · 2^z). Each is a fraction of the one
 * above it, so together they cost about as much memory as the finest. */
static const int level_zooms[] = { 10, 9, 8, 7, 6, 5, 4, 3, 2 };
#define N_LEVELS (1 + G_N_ELEMENTS (level_zooms))

typedef struct
{
  double  tolerance;
  gint    ready;       /* atomic: built (the full outline is from the start) */
  GArray *points;      /* float x, y pairs */
  GArray *ring_start;  /* guint32: first point of each ring, in pairs; one more at the end */
  GArray *area_ring;   /* guint32: first ring of each area; one more at the end */
} Level;

struct _TwGeometrySet
{
  gatomicrefcount ref_count;
  gboolean        sealed;

  Level           levels[N_LEVELS];   /* [0] is the full outline */
  GMutex          level_lock;         /* held while levels are built on first use */
  GArray         *boxes;              /* float min_x, min_y, max_x, max_y per area */
  TwBox           extent;

  /* Packed Hilbert R-tree: node boxes (float ×4), leaves first (one per area, sorted),
   * then each level above. For a leaf, node_index is the area; above, the first child. */
  float          *node_boxes;
  guint32        *node_index;
  GArray         *level_end;          /* guint32: end of each tree level in the node arrays */
};

G_DEFINE_QUARK (tw-geometry-error-quark, tw_geometry_error)

void
tw_world_from_lonlat (double  lon,
                      double  lat,
                      double *x,
                      double *y)
{
  double s;

  lat = CLAMP (lat, -85.0511287798, 85.0511287798);
  s = sin (lat * G_PI / 180.0);
  *x = (lon + 180.0) / 360.0;
  *y = 0.5 - log ((1 + s) / (1 - s)) / (4 * G_PI);
}

void
tw_world_to_lonlat (double  x,
                    double  y,
                    double *lon,
                    double *lat)
{
  *lon = x * 360.0 - 180.0;
  *lat = 90.0 - 360.0 * atan (exp ((y - 0.5) * 2 * G_PI)) / G_PI;
}

static void
level_init (Level  *level,
            double  tolerance)
{
  guint32 zero = 0;

  level->tolerance = tolerance;
  level->points = g_array_new (FALSE, FALSE, sizeof (float));
  level->ring_start = g_array_new (FALSE, FALSE, sizeof (guint32));
  level->area_ring = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_array_append_val (level->ring_start, zero);
  g_array_append_val (level->area_ring, zero);
}

static void
level_clear (Level *level)
{
  g_clear_pointer (&level->points, g_array_unref);
  g_clear_pointer (&level->ring_start, g_array_unref);
  g_clear_pointer (&level->area_ring, g_array_unref);
}

static inline guint32
level_n_points (Level *level)
{
  return level->points->len / 2;
}

static void
level_close_ring (Level *level)
{
  guint32 end = level_n_points (level);

  g_array_append_val (level->ring_start, end);
}

static void
level_close_area (Level *level)
{
  guint32 rings = level->ring_start->len - 1;

  g_array_append_val (level->area_ring, rings);
}

TwGeometrySet *
tw_geometry_set_new (void)
{
  TwGeometrySet *self = g_new0 (TwGeometrySet, 1);

  g_atomic_ref_count_init (&self->ref_count);
  g_mutex_init (&self->level_lock);
  for (guint i = 0; i < N_LEVELS; i++)
    level_init (&self->levels[i], i == 0 ? 0 : 0.5 / (256.0 * (1 << level_zooms[i - 1])));
  self->boxes = g_array_new (FALSE, FALSE, sizeof (float));
  self->level_end = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->extent.min_x = self->extent.min_y = G_MAXDOUBLE;
  self->extent.max_x = self->extent.max_y = -G_MAXDOUBLE;
  return self;
}

TwGeometrySet *
tw_geometry_set_ref (TwGeometrySet *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tw_geometry_set_unref (TwGeometrySet *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  for (guint i = 0; i < N_LEVELS; i++)
    level_clear (&self->levels[i]);
  g_mutex_clear (&self->level_lock);
  g_array_unref (self->boxes);
  g_array_unref (self->level_end);
  g_free (self->node_boxes);
  g_free (self->node_index);
  g_free (self);
}

/* --- WKB ---------------------------------------------------------------------------- */

typedef struct
{
  const guint8 *data;
  gsize         length;
  gsize         offset;
} WkbReader;

static gboolean
wkb_uint32 (WkbReader *r,
            gboolean   little,
            guint32   *value)
{
  guint32 v;

  if (r->length - r->offset < 4)
    return FALSE;
  memcpy (&v, r->data + r->offset, 4);
  r->offset += 4;
  *value = little ? GUINT32_FROM_LE (v) : GUINT32_FROM_BE (v);
  return TRUE;
}

static gboolean
wkb_header (WkbReader *r,
            gboolean  *little,
            guint32   *type)
{
  if (r->length - r->offset < 1)
    return FALSE;
  *little = r->data[r->offset++] == 1;
  return wkb_uint32 (r, *little, type);
}

static gboolean
read_polygon (Level     *full,
              WkbReader *r,
              gboolean   little,
              guint      dims,
              float     *box)
{
  guint32 n_rings;

  if (!wkb_uint32 (r, little, &n_rings))
    return FALSE;

  for (guint32 i = 0; i < n_rings; i++)
    {
      guint32 n_points, kept;
      const guint8 *at;
      float *to;
      guint first;

      if (!wkb_uint32 (r, little, &n_points) || n_points > (r->length - r->offset) / (8 * dims))
        return FALSE;
      at = r->data + r->offset;
      r->offset += (gsize) n_points * 8 * dims;

      /* The closing point repeats the first: rings are stored open. */
      kept = n_points > 1 ? n_points - 1 : n_points;
      first = full->points->len;
      g_array_set_size (full->points, first + 2 * kept);
      to = &g_array_index (full->points, float, first);
      for (guint32 j = 0; j < kept; j++, at += 8 * dims)
        {
          guint64 bits[2];
          double lon, lat, x, y;

          memcpy (bits, at, 16);
          if (little)
            {
              bits[0] = GUINT64_FROM_LE (bits[0]);
              bits[1] = GUINT64_FROM_LE (bits[1]);
            }
          else
            {
              bits[0] = GUINT64_FROM_BE (bits[0]);
              bits[1] = GUINT64_FROM_BE (bits[1]);
            }
          memcpy (&lon, &bits[0], 8);
          memcpy (&lat, &bits[1], 8);
          tw_world_from_lonlat (lon, lat, &x, &y);
          to[2 * j] = (float) x;
          to[2 * j + 1] = (float) y;
          box[0] = MIN (box[0], to[2 * j]);
          box[1] = MIN (box[1], to[2 * j + 1]);
          box[2] = MAX (box[2], to[2 * j]);
          box[3] = MAX (box[3], to[2 * j + 1]);
        }

      if (kept < 3)
        g_array_set_size (full->points, first);
      else
        level_close_ring (full);
    }
  return TRUE;
}

static guint
wkb_dims (guint32 type)
{
  if (type >= 3000)
    return 4;
  if (type >= 1000 || (type & 0x80000000) || (type & 0x40000000))
    return (type & 0x80000000) && (type & 0x40000000) ? 4 : 3;
  return 2;
}

static guint32
wkb_base_type (guint32 type)
{
  return (type & 0x0fffffff) % 1000;
}

/* Appends one area to @full (its outlines), @boxes and @extent; FALSE (and nothing added)
 * when the WKB is damaged or not a (multi)polygon. */
static gboolean
parse_area (Level        *full,
            GArray       *boxes,
            TwBox        *extent,
            const guint8 *wkb,
            gsize         length)
{
  WkbReader r = { wkb, length, 0 };
  gboolean little;
  guint32 type;
  float box[4] = { G_MAXFLOAT, G_MAXFLOAT, -G_MAXFLOAT, -G_MAXFLOAT };
  guint points_before = full->points->len, rings_before = full->ring_start->len;
  gboolean ok = FALSE;

  if (wkb_header (&r, &little, &type))
    {
      if (wkb_base_type (type) == 3)
        ok = read_polygon (full, &r, little, wkb_dims (type), box);
      else if (wkb_base_type (type) == 6)
        {
          guint32 n_parts;

          ok = wkb_uint32 (&r, little, &n_parts);
          for (guint32 i = 0; ok && i < n_parts; i++)
            {
              gboolean part_little;
              guint32 part_type;

              ok = wkb_header (&r, &part_little, &part_type)
                   && wkb_base_type (part_type) == 3
                   && read_polygon (full, &r, part_little, wkb_dims (part_type), box);
            }
        }
    }

  if (!ok)
    {
      g_array_set_size (full->points, points_before);
      g_array_set_size (full->ring_start, rings_before);
      return FALSE;
    }

  if (box[0] > box[2])
    memset (box, 0, sizeof box);
  level_close_area (full);
  g_array_append_vals (boxes, box, 4);
  if (full->ring_start->len > rings_before)
    {
      extent->min_x = MIN (extent->min_x, box[0]);
      extent->min_y = MIN (extent->min_y, box[1]);
      extent->max_x = MAX (extent->max_x, box[2]);
      extent->max_y = MAX (extent->max_y, box[3]);
    }
  return TRUE;
}

static void
set_damaged_error (GError **error,
                   guint    area)
{
  g_set_error (error, TW_GEOMETRY_ERROR, TW_GEOMETRY_ERROR_WKB,
               "area %u: its stored outline is damaged or not a polygon", area);
}

gboolean
tw_geometry_set_add_wkb (TwGeometrySet *self,
                         const guint8  *wkb,
                         gsize          length,
                         GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->sealed, FALSE);

  if (!parse_area (&self->levels[0], self->boxes, &self->extent, wkb, length))
    {
      set_damaged_error (error, self->levels[0].area_ring->len - 1);
      return FALSE;
    }
  return TRUE;
}

/* A share of a batch of areas, parsed on its own. */
typedef struct
{
  const guint8 *const *wkbs;
  const gsize         *lengths;
  guint                first, end;   /* the areas of the batch it parses */
  guint                failed;       /* the first damaged one, or end */
  Level                part;
  GArray              *boxes;
  TwBox                extent;
} ParseJob;

static void
parse_shares (gpointer data,
              guint    worker,
              gsize    begin,
              gsize    end)
{
  ParseJob *jobs = data;

  for (gsize t = begin; t < end; t++)
    {
      ParseJob *job = &jobs[t];

      for (guint i = job->first; i < job->end; i++)
        if (!parse_area (&job->part, job->boxes, &job->extent, job->wkbs[i], job->lengths[i]))
          {
            job->failed = i;
            break;
          }
    }
}

/* Appends a parsed share to the set's own arrays. */
static void
append_part (TwGeometrySet *self,
             ParseJob      *job)
{
  Level *full = &self->levels[0];
  guint32 point_base = full->points->len / 2, ring_base = full->ring_start->len - 1;
  guint n_rings = job->part.ring_start->len - 1, n_areas = job->part.area_ring->len - 1;
  guint32 *ring_start, *area_ring;

  g_array_append_vals (full->points, job->part.points->data, job->part.points->len);
  ring_start = &g_array_index (job->part.ring_start, guint32, 1);
  for (guint r = 0; r < n_rings; r++)
    ring_start[r] += point_base;
  g_array_append_vals (full->ring_start, ring_start, n_rings);
  area_ring = &g_array_index (job->part.area_ring, guint32, 1);
  for (guint a = 0; a < n_areas; a++)
    area_ring[a] += ring_base;
  g_array_append_vals (full->area_ring, area_ring, n_areas);
  g_array_append_vals (self->boxes, job->boxes->data, job->boxes->len);
  self->extent.min_x = MIN (self->extent.min_x, job->extent.min_x);
  self->extent.min_y = MIN (self->extent.min_y, job->extent.min_y);
  self->extent.max_x = MAX (self->extent.max_x, job->extent.max_x);
  self->extent.max_y = MAX (self->extent.max_y, job->extent.max_y);
}

gboolean
tw_geometry_set_add_wkb_many (TwGeometrySet       *self,
                              const guint8 *const *wkbs,
                              const gsize         *lengths,
                              guint                n,
                              GError             **error)
{
  guint n_threads = CLAMP (g_get_num_processors (), 1, 8);
  ParseJob jobs[8];
  gsize total = 0, done = 0;
  guint at = 0, areas_before;
  gboolean ok = TRUE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->sealed, FALSE);
  g_return_val_if_fail (n == 0 || (wkbs != NULL && lengths != NULL), FALSE);

  /* shares of about the same number of bytes */
  for (guint i = 0; i < n; i++)
    total += lengths[i];
  n_threads = MIN (n_threads, MAX (n / 16, 1));
  for (guint t = 0; t < n_threads; t++)
    {
      ParseJob *job = &jobs[t];

      job->wkbs = wkbs;
      job->lengths = lengths;
      job->first = at;
      while (at < n && (t == n_threads - 1 || done < total * (t + 1) / n_threads))
        done += lengths[at++];
      job->end = job->failed = at;
      level_init (&job->part, 0);
      job->boxes = g_array_new (FALSE, FALSE, sizeof (float));
      job->extent.min_x = job->extent.min_y = G_MAXDOUBLE;
      job->extent.max_x = job->extent.max_y = -G_MAXDOUBLE;
    }
  tw_parallel_for (n_threads, 1, n_threads, parse_shares, jobs);

  /* in order, up to the first damaged area */
  areas_before = self->levels[0].area_ring->len - 1;
  for (guint t = 0; t < n_threads; t++)
    {
      if (ok)
        append_part (self, &jobs[t]);
      if (ok && jobs[t].failed < jobs[t].end)
        {
          set_damaged_error (error, areas_before + jobs[t].failed);
          ok = FALSE;
        }
      level_clear (&jobs[t].part);
      g_array_unref (jobs[t].boxes);
    }
  return ok;
}

/* --- Simplification ------------------------------------------------------------------- */

static double
segment_distance (const float *p,
                  const float *a,
                  const float *b)
{
  double dx = b[0] - a[0], dy = b[1] - a[1];
  double px = p[0] - a[0], py = p[1] - a[1];
  double length2 = dx * dx + dy * dy;
  double t;

  if (length2 == 0)
    return sqrt (px * px + py * py);
  t = CLAMP ((px * dx + py * dy) / length2, 0.0, 1.0);
  px -= t * dx;
  py -= t * dy;
  return sqrt (px * px + py * py);
}

/* Douglas–Peucker significance of the vertices of a ring: a vertex is kept at tolerance t
 * when its significance is at least t. A vertex's significance is its distance from the chord
 * of its segment, bounded by its parent's, so every tolerance gives a proper Douglas–Peucker
 * result, each a subset of the finer ones. Segments whose significance falls below @cutoff
 * are not split further (their vertices keep 0): a cutoff of 0 gives every significance, the
 * tolerance of one level just what that level needs. */
static void
ring_significance (const float *points,
                   guint32      n,
                   double       cutoff,
                   float       *significance,
                   GArray      *stack)
{
  guint32 far = 0;
  double best = -1;

  for (guint32 i = 0; i < n; i++)
    significance[i] = 0;

  for (guint32 i = 1; i < n; i++)
    {
      double dx = points[2 * i] - points[0], dy = points[2 * i + 1] - points[1];
      double d = dx * dx + dy * dy;

      if (d > best)
        {
          best = d;
          far = i;
        }
    }
  significance[0] = G_MAXFLOAT;
  significance[far] = G_MAXFLOAT;

  /* Segments (i, j, bound); index n stands for 0 again. */
  g_array_set_size (stack, 0);
  {
    guint32 seg[2][2] = { { 0, far }, { far, n } };

    for (guint s = 0; s < 2; s++)
      {
        guint32 item[3] = { seg[s][0], seg[s][1], 0 };
        float bound = G_MAXFLOAT;

        memcpy (&item[2], &bound, sizeof bound);
        g_array_append_vals (stack, item, 3);
      }
  }

  while (stack->len > 0)
    {
      guint32 *top = &g_array_index (stack, guint32, stack->len - 3);
      guint32 i = top[0], j = top[1], k = 0;
      float bound;
      double worst = -1;

      memcpy (&bound, &top[2], sizeof bound);
      g_array_set_size (stack, stack->len - 3);
      if (j <= i + 1)
        continue;

      for (guint32 m = i + 1; m < j; m++)
        {
          double d = segment_distance (&points[2 * m], &points[2 * i], &points[2 * (j % n)]);

          if (d > worst)
            {
              worst = d;
              k = m;
            }
        }

      significance[k] = MIN ((float) worst, bound);
      if (!(significance[k] >= cutoff))
        continue;   /* nothing between i and j reaches the cutoff */
      {
        guint32 left[3] = { i, k, 0 }, right[3] = { k, j, 0 };
        float child = significance[k];

        memcpy (&left[2], &child, sizeof child);
        memcpy (&right[2], &child, sizeof child);
        g_array_append_vals (stack, left, 3);
        g_array_append_vals (stack, right, 3);
      }
    }
}

typedef struct
{
  const Level *full;
  double       cutoff;
  float       *significance;  /* one per vertex of the full level */
  guint32      first_ring, last_ring;
} SignificanceJob;

static void
significance_shares (gpointer data,
                     guint    worker,
                     gsize    begin,
                     gsize    end)
{
  SignificanceJob *jobs = data;
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (gsize t = begin; t < end; t++)
    {
      SignificanceJob *job = &jobs[t];

      for (guint32 ring = job->first_ring; ring < job->last_ring; ring++)
        {
          guint32 start = g_array_index (job->full->ring_start, guint32, ring);
          guint32 n = g_array_index (job->full->ring_start, guint32, ring + 1) - start;

          ring_significance (&g_array_index (job->full->points, float, 2 * start), n,
                             job->cutoff, job->significance + start, stack);
        }
    }
}

/* The significance of every vertex of the full level, down to @cutoff. */
static float *
compute_significance (TwGeometrySet *self,
                      double         cutoff)
{
  Level *full = &self->levels[0];
  guint32 n_rings = full->ring_start->len - 1;
  guint64 n_points = full->points->len / 2;
  float *significance = g_new (float, MAX (n_points, 1));
  guint n_threads = CLAMP (g_get_num_processors (), 1, 8);
  SignificanceJob jobs[8];
  guint32 ring = 0;

  /* Each ring's is its own: the rings are shared out among the cores by vertex count. */
  if (n_points < 100000)
    n_threads = 1;
  for (guint t = 0; t < n_threads; t++)
    {
      guint64 until = n_points * (t + 1) / n_threads;

      jobs[t].full = full;
      jobs[t].cutoff = cutoff;
      jobs[t].significance = significance;
      jobs[t].first_ring = ring;
      while (ring < n_rings && (t == n_threads - 1
                                || g_array_index (full->ring_start, guint32, ring) < until))
        ring++;
      jobs[t].last_ring = ring;
    }
  tw_parallel_for (n_threads, 1, n_threads, significance_shares, jobs);
  return significance;
}

/* Fills the simplified levels in @mask (bit l: level l; a run of levels from the first to the
 * coarsest) with the vertices whose significance reaches their tolerance, ring by ring (a
 * ring is read once for all of them). */
static void
fill_levels (TwGeometrySet *self,
             guint          mask,
             const float   *significance)
{
  guint first = 1, last = N_LEVELS - 1;
  Level *full = &self->levels[0];
  guint n_areas = full->area_ring->len - 1;
  guint64 n_points = full->points->len / 2;
  const float *points = (const float *) full->points->data;
  const guint32 *ring_start = (const guint32 *) full->ring_start->data;
  const guint32 *area_ring = (const guint32 *) full->area_ring->data;
  guint64 n_kept[N_LEVELS] = { 0 };
  float *base[N_LEVELS], *to[N_LEVELS];

  while (first < N_LEVELS && !(mask & (1u << first)))
    first++;
  while (last > first && !(mask & (1u << last)))
    last--;
  g_return_if_fail (first < N_LEVELS);

  /* tolerances grow with the level: a vertex is in the levels up to the first it misses */
  for (guint64 i = 0; i < n_points; i++)
    for (guint l = first; l <= last && significance[i] >= self->levels[l].tolerance; l++)
      n_kept[l]++;
  for (guint l = first; l <= last; l++)
    if (mask & (1u << l))
      {
        g_array_set_size (self->levels[l].points, 2 * n_kept[l]);
        base[l] = to[l] = (float *) self->levels[l].points->data;
      }
  for (guint a = 0; a < n_areas; a++)
    {
      for (guint32 r = area_ring[a]; r < area_ring[a + 1]; r++)
        for (guint l = first; l <= last; l++)
          {
            Level *level = &self->levels[l];
            float *at = to[l];

            if (!(mask & (1u << l)))
              continue;
            for (guint32 i = ring_start[r]; i < ring_start[r + 1]; i++)
              if (significance[i] >= level->tolerance)
                {
                  at[0] = points[2 * i];
                  at[1] = points[2 * i + 1];
                  at += 2;
                }
            /* a ring needs three points */
            if (at - to[l] >= 6)
              {
                guint32 end = (guint32) ((at - base[l]) / 2);

                g_array_append_val (level->ring_start, end);
                to[l] = at;
              }
          }
      for (guint l = first; l <= last; l++)
        if (mask & (1u << l))
          level_close_area (&self->levels[l]);
    }
  for (guint l = first; l <= last; l++)
    if (mask & (1u << l))
      g_array_set_size (self->levels[l].points, to[l] - base[l]);
}

/* --- Index ---------------------------------------------------------------------------- */

/* Position of (x, y), both in [0, 65535], along a Hilbert curve of order 16. */
static guint32
hilbert (guint32 x,
         guint32 y)
{
  guint32 d = 0;

  for (guint32 s = 1u << 15; s > 0; s >>= 1)
    {
      guint32 rx = (x & s) > 0;
      guint32 ry = (y & s) > 0;

      d += s * s * ((3 * rx) ^ ry);
      if (ry == 0)
        {
          if (rx == 1)
            {
              x = s - 1 - (x & (s - 1)) + (x & ~(s - 1));
              y = s - 1 - (y & (s - 1)) + (y & ~(s - 1));
              x &= 0xffff;
              y &= 0xffff;
            }
          {
            guint32 t = x;
            x = y;
            y = t;
          }
        }
    }
  return d;
}

typedef struct
{
  guint32 key;
  guint32 area;
} SortItem;

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const SortItem *ia = a, *ib = b;

  return (ia->key > ib->key) - (ia->key < ib->key);
}

static void
build_index (TwGeometrySet *self)
{
  guint n = self->boxes->len / 4;
  const float *boxes = (const float *) self->boxes->data;
  double width = MAX (self->extent.max_x - self->extent.min_x, 1e-12);
  double height = MAX (self->extent.max_y - self->extent.min_y, 1e-12);
  g_autofree SortItem *items = g_new (SortItem, MAX (n, 1));
  guint total = n, level_size = n;
  guint32 position;

  /* Nodes in all levels. */
  while (level_size > 1)
    {
      level_size = (level_size + NODE_SIZE - 1) / NODE_SIZE;
      total += level_size;
    }
  self->node_boxes = g_new (float, 4 * MAX (total, 1));
  self->node_index = g_new (guint32, MAX (total, 1));

  for (guint i = 0; i < n; i++)
    {
      double cx = ((boxes[4 * i] + boxes[4 * i + 2]) / 2 - self->extent.min_x) / width;
      double cy = ((boxes[4 * i + 1] + boxes[4 * i + 3]) / 2 - self->extent.min_y) / height;

      items[i].key = hilbert ((guint32) CLAMP (cx * 65535, 0, 65535),
                              (guint32) CLAMP (cy * 65535, 0, 65535));
      items[i].area = i;
    }
  qsort (items, n, sizeof *items, compare_items);

  for (guint i = 0; i < n; i++)
    {
      memcpy (&self->node_boxes[4 * i], &boxes[4 * items[i].area], 4 * sizeof (float));
      self->node_index[i] = items[i].area;
    }
  position = n;
  g_array_append_val (self->level_end, position);

  {
    guint32 level_start = 0, level_stop = n;

    while (level_stop - level_start > 1)
      {
        for (guint32 child = level_start; child < level_stop; child += NODE_SIZE)
          {
            guint32 stop = MIN (child + NODE_SIZE, level_stop);
            float *box = &self->node_boxes[4 * position];

            box[0] = box[1] = G_MAXFLOAT;
            box[2] = box[3] = -G_MAXFLOAT;
            for (guint32 c = child; c < stop; c++)
              {
                const float *cb = &self->node_boxes[4 * c];

                box[0] = MIN (box[0], cb[0]);
                box[1] = MIN (box[1], cb[1]);
                box[2] = MAX (box[2], cb[2]);
                box[3] = MAX (box[3], cb[3]);
              }
            self->node_index[position] = child;
            position++;
          }
        level_start = level_stop;
        level_stop = position;
        g_array_append_val (self->level_end, position);
      }
  }
}

static void
seal (TwGeometrySet *self,
      gboolean       lazily)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->sealed);

  self->levels[0].ready = 1;
  if (!lazily)
    {
      g_autofree float *significance = compute_significance (self, 0);

      fill_levels (self, ((1u << N_LEVELS) - 1) & ~1u, significance);
      for (guint l = 1; l < N_LEVELS; l++)
        self->levels[l].ready = 1;
    }
  build_index (self);
  self->sealed = TRUE;
}

void
tw_geometry_set_seal (TwGeometrySet *self)
{
  seal (self, FALSE);
}

void
tw_geometry_set_seal_lazily (TwGeometrySet *self)
{
  seal (self, TRUE);
}

guint
tw_geometry_set_get_n_areas (TwGeometrySet *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->boxes->len / 4;
}

guint64
tw_geometry_set_get_n_vertices (TwGeometrySet *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->levels[0].points->len / 2;
}

void
tw_geometry_set_get_extent (TwGeometrySet *self,
                            TwBox         *extent)
{
  g_return_if_fail (self != NULL);
  *extent = self->extent;
}

void
tw_geometry_set_get_area_box (TwGeometrySet *self,
                              guint          area,
                              TwBox         *box)
{
  const float *b;

  g_return_if_fail (self != NULL);
  g_return_if_fail (area < self->boxes->len / 4);

  b = &g_array_index (self->boxes, float, 4 * area);
  box->min_x = b[0];
  box->min_y = b[1];
  box->max_x = b[2];
  box->max_y = b[3];
}

static inline gboolean
boxes_meet (const float *a,
            const TwBox *b)
{
  return a[0] <= b->max_x && a[2] >= b->min_x && a[1] <= b->max_y && a[3] >= b->min_y;
}

void
tw_geometry_set_query (TwGeometrySet *self,
                       const TwBox   *box,
                       TwAreaVisitor  visitor,
                       gpointer       user_data)
{
  guint32 stack[64 * NODE_SIZE];
  guint depth = 0;
  guint n_levels;

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->sealed);

  n_levels = self->level_end->len;
  if (tw_geometry_set_get_n_areas (self) == 0)
    return;

  /* Entries are node positions; a node's level follows from its position. */
  stack[depth++] = g_array_index (self->level_end, guint32, n_levels - 1) - 1;
  while (depth > 0)
    {
      guint32 node = stack[--depth];
      guint level = 0;
      guint32 first, stop;

      if (!boxes_meet (&self->node_boxes[4 * node], box))
        continue;
      while (node >= g_array_index (self->level_end, guint32, level))
        level++;
      if (level == 0)
        {
          if (!visitor (self->node_index[node], user_data))
            return;
          continue;
        }

      first = self->node_index[node];
      stop = MIN (first + NODE_SIZE, g_array_index (self->level_end, guint32, level - 1));
      for (guint32 child = stop; child > first; child--)
        stack[depth++] = child - 1;
    }
}

static const Level *
level_for (TwGeometrySet *self,
           double         tolerance)
{
  guint l = N_LEVELS - 1;

  while (l > 0 && self->levels[l].tolerance > tolerance)
    l--;
  if (!g_atomic_int_get (&self->levels[l].ready))
    {
      g_mutex_lock (&self->level_lock);
      if (!self->levels[l].ready)
        {
          /* the significances down to this level's tolerance serve every coarser one too:
           * fill those still missing at the same time (a view draws two levels) */
          g_autofree float *significance = compute_significance (self,
                                                                 self->levels[l].tolerance);
          guint mask = 0;

          for (guint m = l; m < N_LEVELS; m++)
            if (!self->levels[m].ready)
              mask |= 1u << m;
          fill_levels (self, mask, significance);
          for (guint m = l; m < N_LEVELS; m++)
            if (mask & (1u << m))
              g_atomic_int_set (&self->levels[m].ready, 1);
        }
      g_mutex_unlock (&self->level_lock);
    }
  return &self->levels[l];
}

guint
tw_geometry_set_get_n_rings (TwGeometrySet *self,
                             guint          area,
                             double         tolerance)
{
  const Level *level;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (self->sealed, 0);

  level = level_for (self, tolerance);
  return g_array_index (level->area_ring, guint32, area + 1)
         - g_array_index (level->area_ring, guint32, area);
}

const float *
tw_geometry_set_get_ring (TwGeometrySet *self,
                          guint          area,
                          double         tolerance,
                          guint          ring,
                          guint         *n_points)
{
  const Level *level;
  guint32 index, start;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->sealed, NULL);

  level = level_for (self, tolerance);
  index = g_array_index (level->area_ring, guint32, area) + ring;
  start = g_array_index (level->ring_start, guint32, index);
  *n_points = g_array_index (level->ring_start, guint32, index + 1) - start;
  return &g_array_index (level->points, float, 2 * start);
}

typedef struct
{
  TwGeometrySet *set;
  double         x, y;
  int            found;
} HitSearch;

static gboolean
ring_contains (const float *points,
               guint        n,
               double       x,
               double       y)
{
  gboolean inside = FALSE;

  for (guint i = 0, j = n - 1; i < n; j = i++)
    {
      double xi = points[2 * i], yi = points[2 * i + 1];
      double xj = points[2 * j], yj = points[2 * j + 1];

      if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
        inside = !inside;
    }
  return inside;
}

static gboolean
hit_visitor (guint    area,
             gpointer user_data)
{
  HitSearch *search = user_data;
  guint n_rings = tw_geometry_set_get_n_rings (search->set, area, 0);
  gboolean inside = FALSE;

  for (guint r = 0; r < n_rings; r++)
    {
      guint n;
      const float *points = tw_geometry_set_get_ring (search->set, area, 0, r, &n);

      if (ring_contains (points, n, search->x, search->y))
        inside = !inside;
    }
  if (inside)
    {
      search->found = (int) area;
      return FALSE;
    }
  return TRUE;
}

int
tw_geometry_set_hit (TwGeometrySet *self,
                     double         x,
                     double         y)
{
  HitSearch search = { self, x, y, -1 };
  TwBox box = { x, y, x, y };

  g_return_val_if_fail (self != NULL, -1);

  tw_geometry_set_query (self, &box, hit_visitor, &search);
  return search.found;
}
