/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-outlines"

#include <math.h>
#include <string.h>

#include "tw-outlines.h"
#include "tw-parallel.h"

struct _TwLineSet
{
  gatomicrefcount ref_count;
  GArray         *points;      /* float x, y */
  GArray         *line_start;  /* guint32, one more at the end */
  GArray         *boxes;       /* float ×4 per line */
};

/* Segments with the same two ends (either way round) are found by gathering the segments
 * into partitions by the place of their smaller end: tiles of the region's extent (256 across)
 * in Morton order, so that a partition is small enough for a hash table in the cache and the
 * partitions matched one after another read neighbouring stretches of the outlines. Only a
 * 4-byte segment number is written a segment. */

typedef struct
{
  const float  **ring_points;
  guint32       *ring_n;
  guint32       *ring_first;   /* number of the ring's first segment; one more at the end */
  guint32       *ring_group;
  guint32       *block_ring;   /* the ring of each 256th segment */
  guint          n_rings;
  double         ox, oy, inv_tile;
  guint          part_bits;
  guint         *chunk_ring;   /* first ring of each chunk, then n_rings */
  gsize         *counts;       /* n_parts a chunk: histogram, then write positions */
  gsize         *part_start;
  guint32       *entries;
  guint8        *keep;
  gsize          largest;
} OutlineJob;

#define BLOCK_SHIFT 8

#define MAX_THREADS 8

/* The low 8 bits of @x and @y interleaved (a Morton code). */
static inline guint
interleave8 (guint x,
             guint y)
{
  guint64 v = (x & 0xff) | ((guint64) (y & 0xff) << 32);

  v = (v | (v << 4)) & G_GUINT64_CONSTANT (0x00000f0f00000f0f);
  v = (v | (v << 2)) & G_GUINT64_CONSTANT (0x0000333300003333);
  v = (v | (v << 1)) & G_GUINT64_CONSTANT (0x0000555500005555);
  return (guint) ((v & 0xffff) | ((v >> 31) & 0xaaaa));
}

static inline guint64
point_bits (const float *p)
{
  guint32 bx, by;

  memcpy (&bx, &p[0], 4);
  memcpy (&by, &p[1], 4);
  return ((guint64) bx << 32) | by;
}

static inline guint
tile_of (const OutlineJob *job,
         double            v,
         double            origin)
{
  double t = (v - origin) * job->inv_tile;

  return isfinite (t) && t >= 0 && t < 256 ? (guint) t : 255;
}

/* The partition of the segment from @a to @b: by the tile of its smaller end. */
static inline guint
partition_of (const OutlineJob *job,
              const float      *a,
              const float      *b)
{
  const float *p = point_bits (a) <= point_bits (b) ? a : b;

  return interleave8 (tile_of (job, p[0], job->ox), tile_of (job, p[1], job->oy))
         >> (16 - job->part_bits);
}

static void
count_chunks (gpointer data,
              guint    worker,
              gsize    begin,
              gsize    end)
{
  OutlineJob *job = data;

  for (gsize c = begin; c < end; c++)
    {
      gsize *count = job->counts + (c << job->part_bits);

      for (guint r = job->chunk_ring[c]; r < job->chunk_ring[c + 1]; r++)
        {
          const float *p = job->ring_points[r];
          guint32 n = job->ring_n[r];

          for (guint32 i = 0; i < n; i++)
            count[partition_of (job, &p[2 * i], &p[2 * (i + 1 < n ? i + 1 : 0)])]++;
        }
    }
}

static void
scatter_chunks (gpointer data,
                guint    worker,
                gsize    begin,
                gsize    end)
{
  OutlineJob *job = data;

  for (gsize c = begin; c < end; c++)
    {
      gsize *at = job->counts + (c << job->part_bits);

      for (guint r = job->chunk_ring[c]; r < job->chunk_ring[c + 1]; r++)
        {
          const float *p = job->ring_points[r];
          guint32 n = job->ring_n[r];

          for (guint32 i = 0; i < n; i++)
            job->entries[at[partition_of (job, &p[2 * i], &p[2 * (i + 1 < n ? i + 1 : 0)])]++] =
              job->ring_first[r] + i;
        }
    }
}

typedef struct
{
  guint64 lo, hi;      /* the two ends, smaller first */
  guint32 count;
  guint32 first;       /* smallest segment number */
  guint32 group;
  gboolean differ;
} SegmentGroup;

static inline guint32
ring_of_segment (const OutlineJob *job,
                 guint32           s,
                 guint32           guess)
{
  guint32 r;

  if (guess < job->n_rings && job->ring_first[guess] <= s && s < job->ring_first[guess + 1])
    return guess;
  r = job->block_ring[s >> BLOCK_SHIFT];
  while (job->ring_first[r + 1] <= s)
    r++;
  return r;
}

/* A segment is kept when no other has its ends, or when another with them lies in another
 * group (then only the first of them, so that each boundary is drawn once). */
static void
match_partitions (gpointer data,
                  guint    worker,
                  gsize    begin,
                  gsize    end)
{
  OutlineJob *job = data;
  guint bits = 4;
  g_autofree gint32 *slots = NULL;
  g_autofree SegmentGroup *groups = NULL;

  while (((gsize) 1 << bits) < 2 * job->largest)
    bits++;
  slots = g_new (gint32, (gsize) 1 << bits);
  memset (slots, 0xff, sizeof (gint32) << bits);
  groups = g_new (SegmentGroup, MAX (job->largest, 1));

  for (gsize part = begin; part < end; part++)
    {
      guint32 n_groups = 0, ring = 0;

      for (gsize e = job->part_start[part]; e < job->part_start[part + 1]; e++)
        {
          guint32 s = job->entries[e];
          guint32 i, n, group;
          const float *p;
          guint64 a, b, lo, hi, h;
          gsize slot;

          ring = ring_of_segment (job, s, ring);
          p = job->ring_points[ring];
          n = job->ring_n[ring];
          i = s - job->ring_first[ring];
          group = job->ring_group[ring];
          a = point_bits (&p[2 * i]);
          b = point_bits (&p[2 * (i + 1 < n ? i + 1 : 0)]);
          lo = MIN (a, b);
          hi = MAX (a, b);
          h = (lo * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)) ^ (hi * G_GUINT64_CONSTANT (0xc2b2ae3d27d4eb4f));
          h ^= h >> 29;
          slot = (gsize) ((h * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9)) >> (64 - bits));
          for (;;)
            {
              gint32 at = slots[slot];

              if (at < 0)
                {
                  SegmentGroup *g = &groups[n_groups];

                  g->lo = lo;
                  g->hi = hi;
                  g->count = 1;
                  g->first = s;
                  g->group = group;
                  g->differ = FALSE;
                  slots[slot] = (gint32) n_groups++;
                  break;
                }
              if (groups[at].lo == lo && groups[at].hi == hi)
                {
                  SegmentGroup *g = &groups[at];

                  g->count++;
                  g->first = MIN (g->first, s);
                  g->differ |= g->group != group;
                  break;
                }
              slot = (slot + 1) & (((gsize) 1 << bits) - 1);
            }
        }
      for (guint32 g = 0; g < n_groups; g++)
        if (groups[g].count == 1 || groups[g].differ)
          job->keep[groups[g].first] = 1;
      /* empty the table: clear the slots these groups took */
      for (guint32 g = 0; g < n_groups; g++)
        {
          guint64 h = (groups[g].lo * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15))
                      ^ (groups[g].hi * G_GUINT64_CONSTANT (0xc2b2ae3d27d4eb4f));
          gsize slot;

          h ^= h >> 29;
          slot = (gsize) ((h * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9)) >> (64 - bits));
          while (slots[slot] >= 0)
            {
              slots[slot] = -1;
              slot = (slot + 1) & (((gsize) 1 << bits) - 1);
            }
        }
    }
}

static void
add_line (TwLineSet   *self,
          const float *points,
          guint        n)
{
  float box[4] = { G_MAXFLOAT, G_MAXFLOAT, -G_MAXFLOAT, -G_MAXFLOAT };
  guint32 end;

  for (guint i = 0; i < n; i++)
    {
      box[0] = MIN (box[0], points[2 * i]);
      box[1] = MIN (box[1], points[2 * i + 1]);
      box[2] = MAX (box[2], points[2 * i]);
      box[3] = MAX (box[3], points[2 * i + 1]);
    }
  g_array_append_vals (self->points, points, 2 * n);
  end = self->points->len / 2;
  g_array_append_val (self->line_start, end);
  g_array_append_vals (self->boxes, box, 4);
}

/* The region's box, for the tiles of the partitions. */
static void
set_tiles (OutlineJob    *job,
           TwGeometrySet *geometry)
{
  TwBox extent;
  double side;

  tw_geometry_set_get_extent (geometry, &extent);
  side = MAX (extent.max_x - extent.min_x, extent.max_y - extent.min_y);
  if (!(side > 0) || !isfinite (side))
    side = 1;
  job->ox = isfinite (extent.min_x) ? extent.min_x : 0;
  job->oy = isfinite (extent.min_y) ? extent.min_y : 0;
  job->inv_tile = 255.0 / side;
}

TwLineSet *
tw_outlines_build (TwGeometrySet *geometry,
                   const guint32 *groups,
                   GCancellable  *cancellable)
{
  g_autoptr(TwLineSet) self = NULL;
  g_autoptr(GArray) run = g_array_new (FALSE, FALSE, sizeof (float));
  OutlineJob job = { 0 };
  g_autofree const float **ring_points = NULL;
  g_autofree guint32 *ring_n = NULL;
  g_autofree guint32 *ring_first = NULL;
  g_autofree guint32 *ring_group = NULL;
  g_autofree guint32 *block_ring = NULL;
  g_autofree guint *chunk_ring = NULL;
  g_autofree gsize *counts = NULL;
  g_autofree gsize *part_start = NULL;
  g_autofree guint8 *keep = NULL;
  guint n_areas = tw_geometry_set_get_n_areas (geometry);
  guint32 index = 0, zero = 0, n_rings = 0;
  guint n_chunks;
  gsize n, n_parts;

  self = g_new0 (TwLineSet, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->points = g_array_new (FALSE, FALSE, sizeof (float));
  self->line_start = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->boxes = g_array_new (FALSE, FALSE, sizeof (float));
  g_array_append_val (self->line_start, zero);

  /* every ring of the full outlines, its segments numbered in order */
  for (guint a = 0; a < n_areas; a++)
    n_rings += tw_geometry_set_get_n_rings (geometry, a, 0);
  ring_points = g_new (const float *, MAX (n_rings, 1));
  ring_n = g_new (guint32, MAX (n_rings, 1));
  ring_first = g_new (guint32, n_rings + 1);
  ring_group = g_new (guint32, MAX (n_rings, 1));
  n_rings = 0;
  for (guint a = 0; a < n_areas; a++)
    {
      guint k = tw_geometry_set_get_n_rings (geometry, a, 0);

      for (guint r = 0; r < k; r++)
        {
          guint np;

          ring_points[n_rings] = tw_geometry_set_get_ring (geometry, a, 0, r, &np);
          ring_n[n_rings] = np;
          ring_first[n_rings] = index;
          ring_group[n_rings] = groups ? groups[a] : 0;
          index += np;
          n_rings++;
        }
    }
  ring_first[n_rings] = index;
  n = index;
  block_ring = g_new (guint32, (n >> BLOCK_SHIFT) + 1);
  for (gsize b = 0, r = 0; b <= n >> BLOCK_SHIFT; b++)
    {
      while (r + 1 < n_rings && ring_first[r + 1] <= b << BLOCK_SHIFT)
        r++;
      block_ring[b] = (guint32) r;
    }
  job.ring_points = ring_points;
  job.ring_n = ring_n;
  job.ring_first = ring_first;
  job.ring_group = ring_group;
  job.block_ring = block_ring;
  job.n_rings = n_rings;
  set_tiles (&job, geometry);

  /* chunks of rings of about the same number of segments */
  n_chunks = MAX (1, MIN (n_rings, 32));
  chunk_ring = g_new (guint, n_chunks + 1);
  for (guint c = 0, r = 0; c <= n_chunks; c++)
    {
      while (r < n_rings && ring_first[r] < n * c / n_chunks)
        r++;
      chunk_ring[c] = c == n_chunks ? n_rings : r;
    }
  job.chunk_ring = chunk_ring;

  /* partitions of about 2048 segments */
  while (job.part_bits < 16 && ((gsize) 2048 << job.part_bits) < n)
    job.part_bits++;
  n_parts = (gsize) 1 << job.part_bits;
  job.counts = counts = g_new0 (gsize, n_chunks * n_parts);
  tw_parallel_for (n_chunks, 1, MIN (tw_parallel_threads (0), MAX_THREADS), count_chunks, &job);
  job.part_start = part_start = g_new (gsize, n_parts + 1);
  job.largest = tw_parallel_partition_offsets (counts, n_chunks, n_parts, part_start);
  if (g_cancellable_is_cancelled (cancellable))
    return NULL;
  job.entries = g_new (guint32, MAX (n, 1));
  tw_parallel_for (n_chunks, 1, MIN (tw_parallel_threads (0), MAX_THREADS), scatter_chunks, &job);
  job.keep = keep = g_malloc0 (MAX (n, 1));
  tw_parallel_for (n_parts, 64, MIN (tw_parallel_threads (0), MAX_THREADS), match_partitions, &job);
  g_free (job.entries);
  if (g_cancellable_is_cancelled (cancellable))
    return NULL;

  /* Runs of kept segments along each ring become polylines. */
  index = 0;
  for (guint a = 0; a < n_areas; a++)
    {
      guint k = tw_geometry_set_get_n_rings (geometry, a, 0);

      for (guint r = 0; r < k; r++)
        {
          guint np;
          const float *p = tw_geometry_set_get_ring (geometry, a, 0, r, &np);
          guint32 base = index;

          g_array_set_size (run, 0);
          for (guint i = 0; i < np; i++)
            {
              if (keep[base + i])
                {
                  if (run->len == 0)
                    g_array_append_vals (run, &p[2 * i], 2);
                  g_array_append_vals (run, &p[2 * ((i + 1) % np)], 2);
                }
              else if (run->len > 0)
                {
                  add_line (self, (const float *) run->data, run->len / 2);
                  g_array_set_size (run, 0);
                }
            }
          if (run->len > 0)
            add_line (self, (const float *) run->data, run->len / 2);
          index += np;
        }
    }

  return g_steal_pointer (&self);
}

TwLineSet *
tw_line_set_ref (TwLineSet *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tw_line_set_unref (TwLineSet *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_array_unref (self->points);
  g_array_unref (self->line_start);
  g_array_unref (self->boxes);
  g_free (self);
}

guint
tw_line_set_get_n_lines (TwLineSet *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->line_start->len - 1;
}

guint64
tw_line_set_get_n_points (TwLineSet *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->points->len / 2;
}

void
tw_line_set_draw (TwLineSet   *self,
                  cairo_t     *cr,
                  const TwBox *view,
                  double       width,
                  double       height)
{
  double scale;
  guint n_lines;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);

  scale = width / (view->max_x - view->min_x);
  n_lines = tw_line_set_get_n_lines (self);
  cairo_new_path (cr);
  for (guint l = 0; l < n_lines; l++)
    {
      const float *box = &g_array_index (self->boxes, float, 4 * l);
      guint32 start = g_array_index (self->line_start, guint32, l);
      guint32 stop = g_array_index (self->line_start, guint32, l + 1);
      const float *p = &g_array_index (self->points, float, 0);
      double last_x, last_y;

      if (box[0] > view->max_x || box[2] < view->min_x
          || box[1] > view->max_y || box[3] < view->min_y)
        continue;

      last_x = (p[2 * start] - view->min_x) * scale;
      last_y = (p[2 * start + 1] - view->min_y) * scale;
      cairo_move_to (cr, last_x, last_y);
      for (guint32 i = start + 1; i < stop; i++)
        {
          double x = (p[2 * i] - view->min_x) * scale;
          double y = (p[2 * i + 1] - view->min_y) * scale;

          if (i + 1 < stop && fabs (x - last_x) < 0.5 && fabs (y - last_y) < 0.5)
            continue;
          cairo_line_to (cr, x, y);
          last_x = x;
          last_y = y;
        }
    }
  cairo_stroke (cr);
}
