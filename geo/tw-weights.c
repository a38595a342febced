/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-weights"

#include <math.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "tw-parallel.h"
#include "tw-weights.h"

struct _TwPolygonSet
{
  gboolean  geographic;
  GArray   *xy;          /* double pairs */
  GArray   *ring_start;  /* gsize: first point of each ring, then the end */
  GArray   *ring_hole;   /* guint8 */
  GArray   *area_ring;   /* guint: first ring of each area */
  double    max_abs;     /* the largest finite |coordinate| */
};

struct _TwWeights
{
  TwWeightsType type;
  guint         n;
  guint        *offsets;     /* n + 1 */
  guint        *neighbours;
  double       *weights;
};

G_DEFINE_QUARK (tw-weights-error-quark, tw_weights_error)

gboolean
tw_weights_type_from_string (const char    *text,
                             TwWeightsType *type)
{
  static const char *names[] = { "queen", "rook", "knn" };

  g_return_val_if_fail (type != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (text, names[i]))
      {
        *type = (TwWeightsType) i;
        return TRUE;
      }
  return FALSE;
}

/* ---- polygons ------------------------------------------------------------------------ */

TwPolygonSet *
tw_polygon_set_new (gboolean geographic)
{
  TwPolygonSet *self = g_new0 (TwPolygonSet, 1);
  gsize zero = 0;

  self->geographic = geographic;
  self->xy = g_array_new (FALSE, FALSE, sizeof (double));
  self->ring_start = g_array_new (FALSE, FALSE, sizeof (gsize));
  self->ring_hole = g_array_new (FALSE, FALSE, sizeof (guint8));
  self->area_ring = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_val (self->ring_start, zero);
  return self;
}

void
tw_polygon_set_free (TwPolygonSet *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->xy);
  g_array_unref (self->ring_start);
  g_array_unref (self->ring_hole);
  g_array_unref (self->area_ring);
  g_free (self);
}

static guint
n_rings (const TwPolygonSet *self)
{
  return self->ring_start->len - 1;
}

guint
tw_polygon_set_begin_area (TwPolygonSet *self)
{
  guint ring;

  g_return_val_if_fail (self != NULL, 0);

  ring = n_rings (self);
  g_array_append_val (self->area_ring, ring);
  return self->area_ring->len - 1;
}

void
tw_polygon_set_add_ring (TwPolygonSet *self,
                         const double *xy,
                         guint         n_points,
                         gboolean      hole)
{
  gsize end;
  guint8 flag = hole ? 1 : 0;

  g_return_if_fail (self != NULL);
  g_return_if_fail (self->area_ring->len > 0);
  g_return_if_fail (xy != NULL || n_points == 0);

  g_array_append_vals (self->xy, xy, 2 * (gsize) n_points);
  for (gsize i = 0; i < 2 * (gsize) n_points; i++)
    if (isfinite (xy[i]))
      self->max_abs = MAX (self->max_abs, fabs (xy[i]));
  end = self->xy->len / 2;
  g_array_append_val (self->ring_start, end);
  g_array_append_val (self->ring_hole, flag);
}

guint
tw_polygon_set_get_n_areas (const TwPolygonSet *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->area_ring->len;
}

gsize
tw_polygon_set_get_n_points (const TwPolygonSet *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->xy->len / 2;
}

static void
area_rings (const TwPolygonSet *self,
            guint               index,
            guint              *first,
            guint              *end)
{
  *first = g_array_index (self->area_ring, guint, index);
  *end = index + 1 < self->area_ring->len
         ? g_array_index (self->area_ring, guint, index + 1) : n_rings (self);
}

typedef struct
{
  const guint8 *p;
  const guint8 *end;
} WkbCursor;

static gboolean
read_u32 (WkbCursor *c,
          gboolean   little,
          guint32   *value)
{
  guint32 v;

  if (c->end - c->p < 4)
    return FALSE;
  memcpy (&v, c->p, 4);
  c->p += 4;
  *value = little ? GUINT32_FROM_LE (v) : GUINT32_FROM_BE (v);
  return TRUE;
}

static gboolean
read_polygon_body (TwPolygonSet *self,
                   WkbCursor    *c,
                   gboolean      little,
                   guint         dims)
{
  guint32 rings;

  if (!read_u32 (c, little, &rings))
    return FALSE;
  for (guint32 r = 0; r < rings; r++)
    {
      guint32 points;
      g_autofree double *xy = NULL;

      if (!read_u32 (c, little, &points))
        return FALSE;
      if ((gsize) (c->end - c->p) / (8 * dims) < points)
        return FALSE;
      xy = g_new (double, 2 * (gsize) points + 1);
      for (guint32 i = 0; i < points; i++)
        for (guint d = 0; d < 2; d++)
          {
            guint64 bits;

            memcpy (&bits, c->p + 8 * (i * (gsize) dims + d), 8);
            bits = little ? GUINT64_FROM_LE (bits) : GUINT64_FROM_BE (bits);
            memcpy (&xy[2 * (gsize) i + d], &bits, 8);
          }
      c->p += 8 * (gsize) dims * points;
      tw_polygon_set_add_ring (self, xy, points, r > 0);
    }
  return TRUE;
}

static gboolean
read_header (WkbCursor *c,
             gboolean  *little,
             guint32   *base,
             guint     *dims)
{
  guint32 type;

  if (c->p >= c->end || (*c->p != 0 && *c->p != 1))
    return FALSE;
  *little = *c->p == 1;
  c->p++;
  if (!read_u32 (c, *little, &type))
    return FALSE;
  *dims = 2;
  if (type & 0x80000000u)
    (*dims)++;
  if (type & 0x40000000u)
    (*dims)++;
  type &= 0x0fffffffu;
  if (type >= 1000 && type < 4000)
    {
      guint flavour = type / 1000;

      *dims = flavour == 3 ? 4 : 3;
      type %= 1000;
    }
  *base = type;
  return TRUE;
}

gboolean
tw_polygon_set_add_wkb (TwPolygonSet  *self,
                        const guint8  *wkb,
                        gsize          length,
                        GError       **error)
{
  WkbCursor c = { wkb, wkb + length };
  gboolean little;
  guint32 base;
  guint dims;
  guint area;
  gsize points_before, rings_before;
  gboolean ok = FALSE;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (wkb != NULL || length == 0, FALSE);

  points_before = self->xy->len;
  rings_before = self->ring_start->len;
  area = tw_polygon_set_begin_area (self);

  if (read_header (&c, &little, &base, &dims))
    {
      if (base == 3)
        ok = read_polygon_body (self, &c, little, dims);
      else if (base == 6)
        {
          guint32 parts;

          ok = read_u32 (&c, little, &parts);
          for (guint32 i = 0; ok && i < parts; i++)
            {
              gboolean part_little;
              guint part_dims;

              ok = read_header (&c, &part_little, &base, &part_dims) && base == 3
                   && read_polygon_body (self, &c, part_little, part_dims);
            }
        }
    }

  if (!ok)
    {
      g_array_set_size (self->xy, points_before);
      g_array_set_size (self->ring_start, rings_before);
      g_array_set_size (self->ring_hole, rings_before - 1);
      g_array_set_size (self->area_ring, area);
      g_set_error (error, TW_WEIGHTS_ERROR, TW_WEIGHTS_ERROR_INVALID,
                   "not a Polygon or MultiPolygon in WKB, or a truncated one");
    }
  return ok;
}

void
tw_polygon_set_get_centroid (const TwPolygonSet *self,
                             guint               index,
                             double             *x,
                             double             *y)
{
  const double *xy;
  guint first, end;
  double area = 0, cx = 0, cy = 0, ox = NAN, oy = NAN, sx = 0, sy = 0;
  gsize count = 0;

  g_return_if_fail (self != NULL && index < self->area_ring->len);

  xy = (const double *) self->xy->data;
  area_rings (self, index, &first, &end);
  for (guint r = first; r < end; r++)
    {
      gsize a = g_array_index (self->ring_start, gsize, r);
      gsize b = g_array_index (self->ring_start, gsize, r + 1);
      double ring_area = 0, rx = 0, ry = 0;

      for (gsize i = a; i < b; i++)
        {
          gsize j = i + 1 < b ? i + 1 : a;
          double x0, y0, x1, y1, cross;

          if (isnan (ox))
            {
              ox = xy[2 * i];
              oy = xy[2 * i + 1];
            }
          /* relative to the first point: no cancellation far from the origin */
          x0 = xy[2 * i] - ox;
          y0 = xy[2 * i + 1] - oy;
          x1 = xy[2 * j] - ox;
          y1 = xy[2 * j + 1] - oy;
          cross = x0 * y1 - x1 * y0;
          ring_area += cross;
          rx += (x0 + x1) * cross;
          ry += (y0 + y1) * cross;
          sx += x0;
          sy += y0;
          count++;
        }
      /* exterior rings add, holes subtract, whatever their orientation */
      if ((ring_area < 0) != (g_array_index (self->ring_hole, guint8, r) != 0))
        {
          ring_area = -ring_area;
          rx = -rx;
          ry = -ry;
        }
      area += ring_area;
      cx += rx;
      cy += ry;
    }

  if (count == 0)
    {
      *x = *y = NAN;
      return;
    }
  if (fabs (area) > 0)
    {
      *x = ox + cx / (3 * area);
      *y = oy + cy / (3 * area);
    }
  else
    {
      *x = ox + sx / count;
      *y = oy + sy / count;
    }
}

/* ---- radix sort ---------------------------------------------------------------------- */

/* Least significant digit first, 8 bits at a time over bits [0, @bits), skipping digits where
 * every key agrees; @tmp_* are scratch of the same size. The result ends in keys/values. */
static void
radix_sort_lsd (guint64 *keys,
                guint32 *values,
                guint64 *tmp_keys,
                guint32 *tmp_values,
                gsize    n,
                guint    bits)
{
  gsize count[256];
  guint64 *src_k = keys, *dst_k = tmp_keys;
  guint32 *src_v = values, *dst_v = tmp_values;
  guint64 all_or = 0, all_and = ~(guint64) 0;

  for (gsize i = 0; i < n; i++)
    {
      all_or |= keys[i];
      all_and &= keys[i];
    }
  for (guint shift = 0; shift < bits; shift += 8)
    {
      gsize sum = 0;

      if ((((all_or ^ all_and) >> shift) & 0xff) == 0)
        continue;
      memset (count, 0, sizeof count);
      for (gsize i = 0; i < n; i++)
        count[(src_k[i] >> shift) & 0xff]++;
      for (guint d = 0; d < 256; d++)
        {
          gsize c = count[d];

          count[d] = sum;
          sum += c;
        }
      for (gsize i = 0; i < n; i++)
        {
          gsize at = count[(src_k[i] >> shift) & 0xff]++;

          dst_k[at] = src_k[i];
          if (src_v != NULL)
            dst_v[at] = src_v[i];
        }
      { guint64 *t = src_k; src_k = dst_k; dst_k = t; }
      { guint32 *t = src_v; src_v = dst_v; dst_v = t; }
    }
  if (src_k != keys)
    {
      memcpy (keys, src_k, n * sizeof (guint64));
      if (values != NULL)
        memcpy (values, src_v, n * sizeof (guint32));
    }
}

#define N_BUCKETS 4096

typedef struct
{
  guint64 *keys, *tmp_keys;
  guint32 *values, *tmp_values;
  gsize    n;
  guint    shift;          /* the bucket is key >> shift */
  gsize   *counts;         /* N_BUCKETS a worker, then their offsets */
  gsize   *bucket_start;   /* N_BUCKETS + 1 */
  guint    n_workers;
} RadixJob;

static void
radix_histogram (gpointer data,
                 guint    worker,
                 gsize    begin,
                 gsize    end)
{
  RadixJob *job = data;
  gsize *count = job->counts + (gsize) begin * N_BUCKETS;
  gsize s = job->n * begin / job->n_workers, e = job->n * end / job->n_workers;

  for (gsize i = s; i < e; i++)
    count[(job->keys[i] >> job->shift) & (N_BUCKETS - 1)]++;
}

static void
radix_scatter (gpointer data,
               guint    worker,
               gsize    begin,
               gsize    end)
{
  RadixJob *job = data;
  gsize *at = job->counts + (gsize) begin * N_BUCKETS;
  gsize s = job->n * begin / job->n_workers, e = job->n * end / job->n_workers;

  for (gsize i = s; i < e; i++)
    {
      gsize to = at[(job->keys[i] >> job->shift) & (N_BUCKETS - 1)]++;

      job->tmp_keys[to] = job->keys[i];
      if (job->values != NULL)
        job->tmp_values[to] = job->values[i];
    }
}

static void
radix_buckets (gpointer data,
               guint    worker,
               gsize    begin,
               gsize    end)
{
  RadixJob *job = data;

  for (gsize b = begin; b < end; b++)
    {
      gsize s = job->bucket_start[b], m = job->bucket_start[b + 1] - s;

      /* the bucket's keys are in tmp: sort them there, the main arrays as scratch */
      radix_sort_lsd (job->tmp_keys + s, job->values ? job->tmp_values + s : NULL,
                      job->keys + s, job->values ? job->values + s : NULL, m, job->shift);
      memcpy (job->keys + s, job->tmp_keys + s, m * sizeof (guint64));
      if (job->values != NULL)
        memcpy (job->values + s, job->tmp_values + s, m * sizeof (guint32));
    }
}

/* Sorts @keys (with @values alongside when not NULL): one pass into 4096 buckets by the
 * highest differing bits, then each bucket on its own (small enough for the cache), the
 * buckets spread over @n_threads. */
static void
radix_sort (guint64 *keys,
            guint32 *values,
            gsize    n,
            guint    n_threads)
{
  RadixJob job = { 0 };
  g_autofree guint64 *tmp_keys = g_new (guint64, MAX (n, 1));
  g_autofree guint32 *tmp_values = values != NULL ? g_new (guint32, MAX (n, 1)) : NULL;
  g_autofree gsize *counts = NULL;
  g_autofree gsize *bucket_start = NULL;
  guint64 all_or = 0, all_and = ~(guint64) 0;
  guint bits = 0;

  for (gsize i = 0; i < n; i++)
    {
      all_or |= keys[i];
      all_and &= keys[i];
    }
  while (bits < 64 && ((all_or ^ all_and) >> bits) != 0)
    bits++;
  if (n < 65536 || bits <= 12)
    {
      radix_sort_lsd (keys, values, tmp_keys, tmp_values, n, bits);
      return;
    }

  job.keys = keys;
  job.values = values;
  job.tmp_keys = tmp_keys;
  job.tmp_values = tmp_values;
  job.n = n;
  job.shift = bits - 12;
  job.n_workers = n_threads;
  job.counts = counts = g_new0 (gsize, (gsize) N_BUCKETS * n_threads);
  job.bucket_start = bucket_start = g_new (gsize, N_BUCKETS + 1);
  tw_parallel_for (n_threads, 1, n_threads, radix_histogram, &job);
  tw_parallel_partition_offsets (counts, n_threads, N_BUCKETS, bucket_start);
  tw_parallel_for (n_threads, 1, n_threads, radix_scatter, &job);
  tw_parallel_for (N_BUCKETS, 16, n_threads, radix_buckets, &job);
}

/* ---- contiguity ---------------------------------------------------------------------- */

/* Points are grouped by the square cell (256 × snap wide) they fall in, and the points of a
 * cell are compared with one another. A point within snap of a cell's edge is put in the
 * cells across that edge too (four cells at most), so that two points within snap always
 * share a cell; a pair of points sharing two cells counts only in the smaller of their own
 * ("home") cells.
 *
 * Cells are gathered into tiles of 2^14 × 2^14 cells, and tiles into partitions of a few
 * thousand points by the Morton order of the tile numbers (modulo 256): a partition is matched
 * in the cache, and partitions matched one after another read the same stretch of input. A
 * partition lists the indices of its points in input order, so that the points of one stretch
 * of boundary follow one another, and so do the pairs of areas they make (most repeats are
 * dropped on the spot). Only those 4 bytes a point are written: fresh memory costs more than
 * the arithmetic. */

#define CELL_LIMIT 1152921504606846976.0   /* 2^60: cell numbers are clamped to ± this */
#define TILE_SHIFT 14
#define RECENT_BITS 12
#define AREA_BLOCK_SHIFT 8
#define PREFETCH_AHEAD 16

/* A large scratch array, in huge pages where the system gives them on request (fewer page
 * faults). Freed with g_aligned_free (). */
static gpointer
scratch_alloc (gsize size)
{
  gsize huge = 2 * 1024 * 1024;
  gpointer p = g_aligned_alloc (1, (MAX (size, 1) + huge - 1) / huge * huge, huge);

#ifdef MADV_HUGEPAGE
  if (size >= huge)
    madvise (p, size, MADV_HUGEPAGE);
#endif
  return p;
}

typedef struct
{
  guint64 *data;
  gsize    len;
  gsize    capacity;
  guint    min_hits;
  guint64  recent[1 << RECENT_BITS];       /* a direct-mapped cache of the pairs emitted … */
  guint8   recent_hits[1 << RECENT_BITS];  /* … and how many times each was */
} PairBuffer;

/* Per worker: the points of the partition being matched. */
typedef struct
{
  gint32  *head;      /* first point of each hash slot's chain, -1 when empty */
  gint32  *next;
  guint32 *slot;      /* G_MAXUINT32: a repeated point, left out */
  guint32 *area;
  double  *xy;
  gint64  *cell;      /* the cell of this copy of the point */
  guint8  *home;      /* whether that cell is the point's own */
} MatchScratch;

typedef struct
{
  const double  *xy;
  const gsize   *ring_start;
  const gsize   *area_first;   /* first point of each area, then the number of points */
  const guint32 *block_area;   /* the area of the first point of each block of points */
  guint          n_areas;
  double         inv_cell;
  double         reach;        /* snap, a hair wider: which cells a point can touch */
  double         snap2;
  double         inner_lo;     /* a point this far inside its cell (in cells) is in no other */
  double         inner_hi;
  guint          part_bits;
  guint          table_bits;
  guint         *chunk_ring;   /* first ring of each chunk, then the end */
  gsize         *counts;       /* n_parts a chunk: histogram, then write positions */
  gsize         *part_start;   /* n_parts + 1 */
  guint32       *entries;      /* point indices, partition after partition */
  PairBuffer   **pairs;        /* a worker */
  MatchScratch  *scratch;      /* a worker */
} ContiguityJob;

static inline gint64
cell_index (double v)
{
  gint64 i;

  v = CLAMP (v, -CELL_LIMIT, CELL_LIMIT);
  i = (gint64) v;
  return i - (v < (double) i);   /* floor */
}

static inline guint64
mix (gint64 cx,
     gint64 cy)
{
  guint64 h = (guint64) cx * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)
              ^ (guint64) cy * G_GUINT64_CONSTANT (0xc2b2ae3d27d4eb4f);

  h ^= h >> 31;
  return h * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
}

/* The low 8 bits of @x and @y interleaved (a Morton code). */
static inline guint
interleave8 (guint64 x,
             guint64 y)
{
  guint64 v = (x & 0xff) | ((y & 0xff) << 32);

  v = (v | (v << 4)) & G_GUINT64_CONSTANT (0x00000f0f00000f0f);
  v = (v | (v << 2)) & G_GUINT64_CONSTANT (0x0000333300003333);
  v = (v | (v << 1)) & G_GUINT64_CONSTANT (0x0000555500005555);
  return (guint) ((v & 0xffff) | ((v >> 31) & 0xaaaa));
}

static inline guint
partition_of (const ContiguityJob *job,
              gint64               cx,
              gint64               cy)
{
  return interleave8 ((guint64) (cx >> TILE_SHIFT), (guint64) (cy >> TILE_SHIFT))
         >> (16 - job->part_bits);
}

/* The cells a point near its cell's edge is put in (2 or 4; 1 when it is not so near after
 * all), as (x, y) pairs in a fixed order. */
static G_NO_INLINE guint
point_cells_near_edge (const ContiguityJob *job,
                       double               x,
                       double               y,
                       gint64              *cells)
{
  gint64 x0 = cell_index ((x - job->reach) * job->inv_cell);
  gint64 x1 = cell_index ((x + job->reach) * job->inv_cell);
  gint64 y0 = cell_index ((y - job->reach) * job->inv_cell);
  gint64 y1 = cell_index ((y + job->reach) * job->inv_cell);
  guint n = 0;

  for (gint64 cx = x0; cx <= x1; cx++)
    for (gint64 cy = y0; cy <= y1; cy++)
      {
        cells[2 * n] = cx;
        cells[2 * n + 1] = cy;
        n++;
      }
  return n;
}

/* The cells a point is put in (1, 2 or 4), as (x, y) pairs in a fixed order, and its own. */
static inline guint
point_cells (const ContiguityJob *job,
             double               x,
             double               y,
             gint64              *cells,
             gint64              *hx,
             gint64              *hy)
{
  double fx = x * job->inv_cell, fy = y * job->inv_cell, rx, ry;

  *hx = cell_index (fx);
  *hy = cell_index (fy);
  /* most points lie well inside their cell */
  rx = fx - (double) *hx;
  ry = fy - (double) *hy;
  if (G_LIKELY (rx >= job->inner_lo && rx <= job->inner_hi
                && ry >= job->inner_lo && ry <= job->inner_hi))
    {
      cells[0] = *hx;
      cells[1] = *hy;
      return 1;
    }
  return point_cells_near_edge (job, x, y, cells);
}

/* The points of ring @r that count: not the closing point, not a non-finite one. */
static inline gsize
ring_end (const ContiguityJob *job,
          guint                r)
{
  gsize s = job->ring_start[r], e = job->ring_start[r + 1];

  if (e - s > 1 && job->xy[2 * s] == job->xy[2 * (e - 1)]
      && job->xy[2 * s + 1] == job->xy[2 * (e - 1) + 1])
    e--;
  return e;
}

static inline gboolean
point_counts (const ContiguityJob *job,
              gsize                i)
{
  return isfinite (job->xy[2 * i]) && isfinite (job->xy[2 * i + 1]);
}

static void
partition_count (gpointer data,
                 guint    worker,
                 gsize    begin,
                 gsize    end)
{
  ContiguityJob *job = data;

  for (gsize c = begin; c < end; c++)
    {
      gsize *count = job->counts + (c << job->part_bits);
      guint run_part = 0;
      gsize run = 0;

      /* successive points mostly fall in one partition: count them as runs */
      for (guint r = job->chunk_ring[c]; r < job->chunk_ring[c + 1]; r++)
        for (gsize i = job->ring_start[r], e = ring_end (job, r); i < e; i++)
          if (point_counts (job, i))
            {
              gint64 cells[8], hx, hy;
              guint n = point_cells (job, job->xy[2 * i], job->xy[2 * i + 1], cells, &hx, &hy);

              for (guint k = 0; k < n; k++)
                {
                  guint part = partition_of (job, cells[2 * k], cells[2 * k + 1]);

                  if (part != run_part)
                    {
                      count[run_part] += run;
                      run_part = part;
                      run = 0;
                    }
                  run++;
                }
            }
      count[run_part] += run;
    }
}

static void
partition_scatter (gpointer data,
                   guint    worker,
                   gsize    begin,
                   gsize    end)
{
  ContiguityJob *job = data;
  guint32 *entries = job->entries;

  for (gsize c = begin; c < end; c++)
    {
      gsize *at = job->counts + (c << job->part_bits);
      guint run_part = 0;
      gsize to = at[0];

      for (guint r = job->chunk_ring[c]; r < job->chunk_ring[c + 1]; r++)
        for (gsize i = job->ring_start[r], e = ring_end (job, r); i < e; i++)
          if (point_counts (job, i))
            {
              gint64 cells[8], hx, hy;
              guint n = point_cells (job, job->xy[2 * i], job->xy[2 * i + 1], cells, &hx, &hy);

              for (guint k = 0; k < n; k++)
                {
                  guint part = partition_of (job, cells[2 * k], cells[2 * k + 1]);

                  if (part != run_part)
                    {
                      at[run_part] = to;
                      run_part = part;
                      to = at[part];
                    }
                  entries[to++] = (guint32) i;
                }
            }
      at[run_part] = to;
    }
}

static inline void
emit (PairBuffer *pairs,
      guint32     a,
      guint32     b)
{
  guint64 pair = a < b ? ((guint64) a << 32) | b : ((guint64) b << 32) | a;
  guint h = (guint) ((pair * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)) >> (64 - RECENT_BITS));

  /* each copy emitted stands for one more pair of points: a pair of areas needs no more
   * copies than the hits it must reach (rook: two) */
  if (pairs->recent[h] == pair)
    {
      if (pairs->recent_hits[h] >= pairs->min_hits)
        return;
      pairs->recent_hits[h]++;
    }
  else
    {
      pairs->recent[h] = pair;
      pairs->recent_hits[h] = 1;
    }
  if (G_UNLIKELY (pairs->len == pairs->capacity))
    {
      pairs->capacity = MAX (4096, pairs->capacity * 2);
      pairs->data = g_renew (guint64, pairs->data, pairs->capacity);
    }
  pairs->data[pairs->len++] = pair;
}

/* The area of point @i: most often the one of the point before; else from the area of the
 * block of points it lies in, a few steps on. */
static inline guint32
area_of_point (const ContiguityJob *job,
               gsize                i,
               guint32              guess)
{
  guint32 a;

  if (job->area_first[guess] <= i && i < job->area_first[guess + 1])
    return guess;
  a = job->block_area[i >> AREA_BLOCK_SHIFT];
  while (job->area_first[a + 1] <= i)
    a++;
  return a;
}

/* Whether the pair of points @p and @q, both in cell (cx, cy), counts there: in the smaller
 * of their home cells (each holds a copy of both points). */
static gboolean
counted_here (const ContiguityJob *job,
              const MatchScratch  *s,
              gint32               p,
              gint32               q,
              gint64               cx,
              gint64               cy)
{
  gint64 px, py, qx, qy;

  if (s->home[p] && s->home[q])
    return TRUE;
  px = cell_index (s->xy[2 * p] * job->inv_cell);
  py = cell_index (s->xy[2 * p + 1] * job->inv_cell);
  qx = cell_index (s->xy[2 * q] * job->inv_cell);
  qy = cell_index (s->xy[2 * q + 1] * job->inv_cell);
  if (qx < px || (qx == px && qy < py))
    {
      px = qx;
      py = qy;
    }
  return px == cx && py == cy;
}

static void
match_partitions (gpointer data,
                  guint    worker,
                  gsize    begin,
                  gsize    end)
{
  ContiguityJob *job = data;
  PairBuffer *pairs = job->pairs[worker];
  MatchScratch *s = &job->scratch[worker];
  guint shift = 64 - job->table_bits;

  for (gsize part = begin; part < end; part++)
    {
      const guint32 *entries = job->entries + job->part_start[part];
      gint32 m = (gint32) (job->part_start[part + 1] - job->part_start[part]);
      guint32 area = 0, last = G_MAXUINT32;
      gint64 cells[8], hx = 0, hy = 0;
      guint n_cells = 0, copy = 0;

      for (gint32 i = 0; i < m; i++)
        {
          guint32 point = entries[i];
          double x = job->xy[2 * (gsize) point], y = job->xy[2 * (gsize) point + 1];
          gint64 cx, cy;
          guint32 slot;
          gboolean repeated = FALSE;

#ifdef __GNUC__
          /* the points of a partition are scattered over the input: ask for them early */
          if (i + PREFETCH_AHEAD < m)
            __builtin_prefetch (job->xy + 2 * (gsize) entries[i + PREFETCH_AHEAD]);
#endif
          /* the copies of a point in one partition follow one another, in point_cells order */
          if (point != last)
            {
              area = area_of_point (job, point, area);
              n_cells = point_cells (job, x, y, cells, &hx, &hy);
              copy = 0;
              last = point;
            }
          else
            copy++;
          if (n_cells > 1)
            while (partition_of (job, cells[2 * copy], cells[2 * copy + 1]) != part)
              copy++;
          cx = cells[2 * copy];
          cy = cells[2 * copy + 1];
          slot = (guint32) (mix (cx, cy) >> shift);

          s->area[i] = area;
          s->xy[2 * i] = x;
          s->xy[2 * i + 1] = y;
          s->cell[2 * i] = cx;
          s->cell[2 * i + 1] = cy;
          s->home[i] = cx == hx && cy == hy;

          /* a point its area already has in this cell counts once */
          for (gint32 j = s->head[slot]; j >= 0; j = s->next[j])
            if (s->area[j] == area && s->xy[2 * j] == x && s->xy[2 * j + 1] == y
                && s->cell[2 * j] == cx && s->cell[2 * j + 1] == cy)
              {
                repeated = TRUE;
                break;
              }
          if (repeated)
            {
              s->slot[i] = G_MAXUINT32;
              continue;
            }
          for (gint32 j = s->head[slot]; j >= 0; j = s->next[j])
            {
              double dx, dy;

              if (s->area[j] == area || s->cell[2 * j] != cx || s->cell[2 * j + 1] != cy)
                continue;
              dx = x - s->xy[2 * j];
              dy = y - s->xy[2 * j + 1];
              if (dx * dx + dy * dy <= job->snap2 && counted_here (job, s, i, j, cx, cy))
                emit (pairs, area, s->area[j]);
            }
          s->slot[i] = slot;
          s->next[i] = s->head[slot];
          s->head[slot] = i;
        }
      for (gint32 i = 0; i < m; i++)
        if (s->slot[i] != G_MAXUINT32)
          s->head[s->slot[i]] = -1;
    }
}

static TwWeights *
weights_from_pairs (TwWeightsType  type,
                    guint          n,
                    const guint64 *pairs,
                    gsize          n_pairs,
                    guint          min_hits)
{
  TwWeights *self = g_new0 (TwWeights, 1);
  g_autofree guint *fill = g_new0 (guint, n);
  GArray *kept = g_array_new (FALSE, FALSE, sizeof (guint64));

  for (gsize i = 0; i < n_pairs;)
    {
      gsize j = i;

      while (j < n_pairs && pairs[j] == pairs[i])
        j++;
      if (j - i >= min_hits)
        g_array_append_val (kept, pairs[i]);
      i = j;
    }

  self->type = type;
  self->n = n;
  self->offsets = g_new0 (guint, n + 1);
  for (guint i = 0; i < kept->len; i++)
    {
      guint64 pair = g_array_index (kept, guint64, i);

      self->offsets[(pair >> 32) + 1]++;
      self->offsets[(pair & 0xffffffffu) + 1]++;
    }
  for (guint i = 0; i < n; i++)
    self->offsets[i + 1] += self->offsets[i];
  self->neighbours = g_new (guint, MAX (self->offsets[n], 1));
  self->weights = g_new (double, MAX (self->offsets[n], 1));
  /* pairs are sorted (low, high): a row's lower neighbours first, then its higher ones,
   * each in ascending order */
  for (guint i = 0; i < kept->len; i++)
    {
      guint64 pair = g_array_index (kept, guint64, i);
      guint lo = pair >> 32, hi = pair & 0xffffffffu;

      self->neighbours[self->offsets[hi] + fill[hi]++] = lo;
    }
  for (guint i = 0; i < kept->len; i++)
    {
      guint64 pair = g_array_index (kept, guint64, i);
      guint lo = pair >> 32, hi = pair & 0xffffffffu;

      self->neighbours[self->offsets[lo] + fill[lo]++] = hi;
    }
  for (guint i = 0; i < n; i++)
    for (guint j = self->offsets[i]; j < self->offsets[i + 1]; j++)
      self->weights[j] = 1.0 / (self->offsets[i + 1] - self->offsets[i]);
  g_array_unref (kept);
  return self;
}


TwWeights *
tw_weights_new_contiguity (const TwPolygonSet *polygons,
                           TwWeightsType       type,
                           double              snap,
                           guint               n_threads,
                           GError            **error)
{
  ContiguityJob job = { 0 };
  g_autofree guint *chunk_ring = NULL;
  g_autofree gsize *counts = NULL;
  g_autofree gsize *part_start = NULL;
  g_autofree gsize *area_first = NULL;
  g_autofree guint32 *block_area = NULL;
  g_autofree guint64 *all_pairs = NULL;
  guint32 *entries;
  gsize n_points, n_entries, n_parts, largest = 0, n_pairs = 0;
  guint n_areas, n_ring, n_chunks, min_hits = type == TW_WEIGHTS_QUEEN ? 1 : 2;
  double cell;

  g_return_val_if_fail (polygons != NULL, NULL);
  g_return_val_if_fail (type == TW_WEIGHTS_QUEEN || type == TW_WEIGHTS_ROOK, NULL);

  if (!(snap >= 0) || !isfinite (snap))
    {
      g_set_error (error, TW_WEIGHTS_ERROR, TW_WEIGHTS_ERROR_INVALID,
                   "the snap distance must be zero or more, not %g", snap);
      return NULL;
    }
  n_threads = tw_parallel_threads (n_threads);
  n_areas = tw_polygon_set_get_n_areas (polygons);
  n_points = tw_polygon_set_get_n_points (polygons);
  n_ring = n_rings (polygons);
  if (n_points >= G_MAXUINT32)
    {
      g_set_error (error, TW_WEIGHTS_ERROR, TW_WEIGHTS_ERROR_INVALID,
                   "too many boundary points (%" G_GSIZE_FORMAT ")", n_points);
      return NULL;
    }

  /* cells wide enough that few points lie within snap of an edge, and no narrower than
   * 2^-24 of the largest coordinate: in metres the default snap would make cells of a few
   * micrometres, and a tile of them would hold one point */
  cell = MAX (256 * snap, polygons->max_abs * 0x1p-24);
  if (!(cell > 0) || !isfinite (cell))
    cell = 1;
  job.xy = (const double *) polygons->xy->data;
  job.ring_start = (const gsize *) polygons->ring_start->data;
  job.n_areas = n_areas;
  job.inv_cell = 1 / cell;
  job.reach = snap * (1 + 0x1p-20);
  job.snap2 = snap * snap;
  /* with cell numbers below 2^36 the rounding of (x ± reach) / cell is below 2^-14 cells */
  if (polygons->max_abs * job.inv_cell <= 0x1p36)
    {
      job.inner_lo = job.reach * job.inv_cell + 1.0 / 1024;
      job.inner_hi = 1 - job.inner_lo;
    }
  else
    {
      job.inner_lo = 2;
      job.inner_hi = -1;
    }

  job.area_first = area_first = g_new (gsize, n_areas + 1);
  for (guint a = 0; a < n_areas; a++)
    area_first[a] = job.ring_start[g_array_index (polygons->area_ring, guint, a)];
  area_first[n_areas] = n_points;
  job.block_area = block_area = g_new (guint32, (n_points >> AREA_BLOCK_SHIFT) + 1);
  for (gsize b = 0, a = 0; b <= n_points >> AREA_BLOCK_SHIFT; b++)
    {
      /* the last area starting at or before the block (an area without points starts where
       * the next one does) */
      while (a < n_areas && area_first[a + 1] <= b << AREA_BLOCK_SHIFT)
        a++;
      block_area[b] = (guint32) MIN (a, MAX (n_areas, 1) - 1);
    }

  /* chunks of whole rings holding about the same number of points */
  n_chunks = MAX (1, MIN (n_ring, 8 * n_threads));
  chunk_ring = g_new (guint, n_chunks + 1);
  for (guint c = 0; c <= n_chunks; c++)
    {
      gsize target = n_points * c / n_chunks;
      guint lo = c > 0 ? chunk_ring[c - 1] : 0, hi = n_ring;

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (job.ring_start[mid] < target)
            lo = mid + 1;
          else
            hi = mid;
        }
      chunk_ring[c] = c == n_chunks ? n_ring : lo;
    }
  job.chunk_ring = chunk_ring;

  /* partitions of about 2048 points */
  while (job.part_bits < 16 && ((gsize) 2048 << job.part_bits) < n_points)
    job.part_bits++;
  n_parts = (gsize) 1 << job.part_bits;
  job.counts = counts = g_new0 (gsize, n_chunks * n_parts);
  tw_parallel_for (n_chunks, 1, n_threads, partition_count, &job);
  job.part_start = part_start = g_new (gsize, n_parts + 1);
  largest = tw_parallel_partition_offsets (counts, n_chunks, n_parts, part_start);
  n_entries = part_start[n_parts];
  if (largest >= G_MAXINT32)
    {
      g_set_error (error, TW_WEIGHTS_ERROR, TW_WEIGHTS_ERROR_INVALID,
                   "too many boundary points in one place (%" G_GSIZE_FORMAT ")", largest);
      return NULL;
    }
  job.entries = entries = scratch_alloc (n_entries * sizeof (guint32));
  tw_parallel_for (n_chunks, 1, n_threads, partition_scatter, &job);

  while (job.table_bits < 31 && ((gsize) 1 << job.table_bits) < 2 * largest)
    job.table_bits++;
  job.table_bits = MAX (job.table_bits, 4);
  job.pairs = g_new0 (PairBuffer *, n_threads);
  job.scratch = g_new0 (MatchScratch, n_threads);
  for (guint t = 0; t < n_threads; t++)
    {
      MatchScratch *s = &job.scratch[t];
      gsize m = MAX (largest, 1);

      s->head = g_new (gint32, (gsize) 1 << job.table_bits);
      memset (s->head, 0xff, sizeof (gint32) << job.table_bits);
      s->next = g_new (gint32, m);
      s->slot = g_new (guint32, m);
      s->area = g_new (guint32, m);
      s->xy = g_new (double, 2 * m);
      s->cell = g_new (gint64, 2 * m);
      s->home = g_new (guint8, m);
      job.pairs[t] = g_new0 (PairBuffer, 1);
      memset (job.pairs[t]->recent, 0xff, sizeof job.pairs[t]->recent);
      job.pairs[t]->min_hits = min_hits;
    }
  tw_parallel_for (n_parts, 16, n_threads, match_partitions, &job);
  g_aligned_free (entries);

  for (guint t = 0; t < n_threads; t++)
    n_pairs += job.pairs[t]->len;
  all_pairs = g_new (guint64, MAX (n_pairs, 1));
  n_pairs = 0;
  for (guint t = 0; t < n_threads; t++)
    {
      MatchScratch *s = &job.scratch[t];

      if (job.pairs[t]->len > 0)
        memcpy (all_pairs + n_pairs, job.pairs[t]->data, job.pairs[t]->len * sizeof (guint64));
      n_pairs += job.pairs[t]->len;
      g_free (job.pairs[t]->data);
      g_free (job.pairs[t]);
      g_free (s->head);
      g_free (s->next);
      g_free (s->slot);
      g_free (s->area);
      g_free (s->xy);
      g_free (s->cell);
      g_free (s->home);
    }
  g_free (job.pairs);
  g_free (job.scratch);
  radix_sort (all_pairs, NULL, n_pairs, n_threads);

  return weights_from_pairs (type, n_areas, all_pairs, n_pairs, min_hits);
}

/* ---- k nearest neighbours ------------------------------------------------------------ */

typedef struct
{
  double (*p)[3];
  guint  *order;
  guint8 *axis;   /* split axis of each subtree root, by position in order */
  guint   sort_axis;
} KdTree;

static gint
compare_on_axis (gconstpointer a,
                 gconstpointer b,
                 gpointer      data)
{
  const KdTree *tree = data;
  guint i = *(const guint *) a, j = *(const guint *) b;
  double x = tree->p[i][tree->sort_axis], y = tree->p[j][tree->sort_axis];

  if (x != y)
    return (x > y) - (x < y);
  return (i > j) - (i < j);
}

static void
kd_build (KdTree *tree,
          guint   lo,
          guint   hi)
{
  double min[3] = { G_MAXDOUBLE, G_MAXDOUBLE, G_MAXDOUBLE };
  double max[3] = { -G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
  guint axis = 0, mid;

  if (hi - lo <= 1)
    return;
  for (guint i = lo; i < hi; i++)
    for (guint d = 0; d < 3; d++)
      {
        min[d] = MIN (min[d], tree->p[tree->order[i]][d]);
        max[d] = MAX (max[d], tree->p[tree->order[i]][d]);
      }
  for (guint d = 1; d < 3; d++)
    if (max[d] - min[d] > max[axis] - min[axis])
      axis = d;

  mid = lo + (hi - lo) / 2;
  tree->sort_axis = axis;
  g_qsort_with_data (tree->order + lo, hi - lo, sizeof (guint), compare_on_axis, tree);
  tree->axis[mid] = axis;
  kd_build (tree, lo, mid);
  kd_build (tree, mid + 1, hi);
}

typedef struct
{
  double d;
  guint  index;
} Candidate;

static inline gboolean
candidate_worse (Candidate a,
                 Candidate b)
{
  return a.d > b.d || (a.d == b.d && a.index > b.index);
}

/* a max-heap of the k best so far, worst on top */
static void
heap_offer (Candidate *heap,
            guint     *size,
            guint      k,
            Candidate  c)
{
  guint i;

  if (*size == k)
    {
      if (!candidate_worse (heap[0], c))
        return;
      i = 0;
      for (;;)
        {
          guint l = 2 * i + 1, r = l + 1, m = i;
          Candidate worst = c;

          if (l < k && candidate_worse (heap[l], worst))
            {
              m = l;
              worst = heap[l];
            }
          if (r < k && candidate_worse (heap[r], worst))
            m = r;
          if (m == i)
            break;
          heap[i] = heap[m];
          i = m;
        }
      heap[i] = c;
      return;
    }
  i = (*size)++;
  while (i > 0 && candidate_worse (c, heap[(i - 1) / 2]))
    {
      heap[i] = heap[(i - 1) / 2];
      i = (i - 1) / 2;
    }
  heap[i] = c;
}

static void
kd_search (const KdTree *tree,
           guint         lo,
           guint         hi,
           const double *q,
           guint         self,
           Candidate    *heap,
           guint        *size,
           guint         k)
{
  guint mid, index, axis;
  double diff, d = 0;

  if (lo >= hi)
    return;
  mid = lo + (hi - lo) / 2;
  index = tree->order[mid];
  for (guint a = 0; a < 3; a++)
    {
      double t = tree->p[index][a] - q[a];

      d += t * t;
    }
  if (index != self)
    heap_offer (heap, size, k, (Candidate) { d, index });
  if (hi - lo == 1)
    return;
  axis = tree->axis[mid];
  diff = q[axis] - tree->p[index][axis];
  if (diff < 0)
    {
      kd_search (tree, lo, mid, q, self, heap, size, k);
      if (*size < k || diff * diff <= heap[0].d)
        kd_search (tree, mid + 1, hi, q, self, heap, size, k);
    }
  else
    {
      kd_search (tree, mid + 1, hi, q, self, heap, size, k);
      if (*size < k || diff * diff <= heap[0].d)
        kd_search (tree, lo, mid, q, self, heap, size, k);
    }
}

static int
compare_guint (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return (x > y) - (x < y);
}

TwWeights *
tw_weights_new_knn (const TwPolygonSet *polygons,
                    guint               k,
                    GError            **error)
{
  KdTree tree;
  guint n;
  TwWeights *self;
  g_autofree Candidate *heap = NULL;

  g_return_val_if_fail (polygons != NULL, NULL);

  n = tw_polygon_set_get_n_areas (polygons);
  if (k < 1 || k >= n)
    {
      g_set_error (error, TW_WEIGHTS_ERROR, TW_WEIGHTS_ERROR_INVALID,
                   "k must be between 1 and %u (one less than the number of areas), not %u",
                   n > 0 ? n - 1 : 0, k);
      return NULL;
    }

  tree.p = (double (*)[3]) g_new (double, 3 * (gsize) n);
  tree.order = g_new (guint, n);
  tree.axis = g_new0 (guint8, n);
  for (guint i = 0; i < n; i++)
    {
      double x, y;

      tw_polygon_set_get_centroid (polygons, i, &x, &y);
      if (polygons->geographic)
        {
          /* unit vectors: the chord orders pairs as the great circle does */
          double lon = x * G_PI / 180, lat = y * G_PI / 180;

          tree.p[i][0] = cos (lat) * cos (lon);
          tree.p[i][1] = cos (lat) * sin (lon);
          tree.p[i][2] = sin (lat);
        }
      else
        {
          tree.p[i][0] = x;
          tree.p[i][1] = y;
          tree.p[i][2] = 0;
        }
      if (!isfinite (tree.p[i][0]) || !isfinite (tree.p[i][1]))
        tree.p[i][0] = tree.p[i][1] = tree.p[i][2] = G_MAXDOUBLE / 4;
      tree.order[i] = i;
    }
  kd_build (&tree, 0, n);

  self = g_new0 (TwWeights, 1);
  self->type = TW_WEIGHTS_KNN;
  self->n = n;
  self->offsets = g_new (guint, n + 1);
  self->neighbours = g_new (guint, (gsize) n * k);
  self->weights = g_new (double, (gsize) n * k);
  heap = g_new (Candidate, k);
  for (guint i = 0; i < n; i++)
    {
      guint size = 0;

      kd_search (&tree, 0, n, tree.p[i], i, heap, &size, k);
      self->offsets[i] = i * k;
      for (guint j = 0; j < k; j++)
        {
          self->neighbours[(gsize) i * k + j] = heap[j].index;
          self->weights[(gsize) i * k + j] = 1.0 / k;
        }
      qsort (self->neighbours + (gsize) i * k, k, sizeof (guint), compare_guint);
    }
  self->offsets[n] = n * k;

  g_free (tree.p);
  g_free (tree.order);
  g_free (tree.axis);
  return self;
}

/* ---- general ------------------------------------------------------------------------- */

TwWeights *
tw_weights_new_from_lists (guint         n_areas,
                           const guint  *offsets,
                           const guint  *neighbours,
                           GError      **error)
{
  TwWeights *self;

  g_return_val_if_fail (offsets != NULL, NULL);

  for (guint i = 0; i < n_areas; i++)
    {
      if (offsets[i + 1] < offsets[i])
        {
          g_set_error (error, TW_WEIGHTS_ERROR, TW_WEIGHTS_ERROR_INVALID,
                       "neighbour offsets must not decrease (area %u)", i);
          return NULL;
        }
      for (guint j = offsets[i]; j < offsets[i + 1]; j++)
        if (neighbours[j] >= n_areas || neighbours[j] == i)
          {
            g_set_error (error, TW_WEIGHTS_ERROR, TW_WEIGHTS_ERROR_INVALID,
                         "area %u has neighbour %u: itself or out of range", i, neighbours[j]);
            return NULL;
          }
    }

  self = g_new0 (TwWeights, 1);
  self->type = TW_WEIGHTS_QUEEN;
  self->n = n_areas;
  self->offsets = g_new (guint, n_areas + 1);
  self->neighbours = g_new (guint, MAX (offsets[n_areas] - offsets[0], 1));
  self->weights = g_new (double, MAX (offsets[n_areas] - offsets[0], 1));
  for (guint i = 0; i <= n_areas; i++)
    self->offsets[i] = offsets[i] - offsets[0];
  for (guint i = 0; i < n_areas; i++)
    {
      guint count = offsets[i + 1] - offsets[i];

      memcpy (self->neighbours + self->offsets[i], neighbours + offsets[i],
              count * sizeof (guint));
      qsort (self->neighbours + self->offsets[i], count, sizeof (guint), compare_guint);
      for (guint j = 0; j < count; j++)
        self->weights[self->offsets[i] + j] = 1.0 / count;
    }
  return self;
}

TwWeights *
tw_weights_subset (const TwWeights *self,
                   const gboolean  *keep)
{
  TwWeights *sub;
  g_autofree guint *renumber = NULL;
  guint m = 0, links = 0;

  g_return_val_if_fail (self != NULL && keep != NULL, NULL);

  renumber = g_new (guint, MAX (self->n, 1));
  for (guint i = 0; i < self->n; i++)
    renumber[i] = keep[i] ? m++ : G_MAXUINT;

  sub = g_new0 (TwWeights, 1);
  sub->type = self->type;
  sub->n = m;
  sub->offsets = g_new0 (guint, m + 1);
  sub->neighbours = g_new (guint, MAX (self->offsets[self->n], 1));
  sub->weights = g_new (double, MAX (self->offsets[self->n], 1));
  for (guint i = 0; i < self->n; i++)
    {
      guint start = links;

      if (!keep[i])
        continue;
      for (guint j = self->offsets[i]; j < self->offsets[i + 1]; j++)
        if (keep[self->neighbours[j]])
          sub->neighbours[links++] = renumber[self->neighbours[j]];
      for (guint j = start; j < links; j++)
        sub->weights[j] = 1.0 / (links - start);
      sub->offsets[renumber[i] + 1] = links;
    }
  return sub;
}

void
tw_weights_free (TwWeights *self)
{
  if (self == NULL)
    return;
  g_free (self->offsets);
  g_free (self->neighbours);
  g_free (self->weights);
  g_free (self);
}

TwWeightsType
tw_weights_get_type (const TwWeights *self)
{
  g_return_val_if_fail (self != NULL, TW_WEIGHTS_QUEEN);
  return self->type;
}

guint
tw_weights_get_n_areas (const TwWeights *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n;
}

const guint *
tw_weights_get_neighbours (const TwWeights *self,
                           guint            index,
                           guint           *n_neighbours)
{
  g_return_val_if_fail (self != NULL && index < self->n, NULL);

  if (n_neighbours != NULL)
    *n_neighbours = self->offsets[index + 1] - self->offsets[index];
  return self->neighbours + self->offsets[index];
}

const double *
tw_weights_get_row (const TwWeights *self,
                    guint            index,
                    guint           *n_neighbours)
{
  g_return_val_if_fail (self != NULL && index < self->n, NULL);

  if (n_neighbours != NULL)
    *n_neighbours = self->offsets[index + 1] - self->offsets[index];
  return self->weights + self->offsets[index];
}

guint
tw_weights_get_n_links (const TwWeights *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->offsets[self->n];
}

void
tw_weights_get_rows (const TwWeights  *self,
                     const guint     **offsets,
                     const guint     **neighbours,
                     const double    **weights)
{
  g_return_if_fail (self != NULL);

  *offsets = self->offsets;
  *neighbours = self->neighbours;
  *weights = self->weights;
}

GArray *
tw_weights_get_islands (const TwWeights *self)
{
  GArray *islands;

  g_return_val_if_fail (self != NULL, NULL);

  islands = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < self->n; i++)
    if (self->offsets[i + 1] == self->offsets[i])
      g_array_append_val (islands, i);
  return islands;
}

void
tw_weights_get_cardinality (const TwWeights *self,
                            guint           *min,
                            guint           *max,
                            double          *mean)
{
  guint lo = G_MAXUINT, hi = 0;

  g_return_if_fail (self != NULL);

  for (guint i = 0; i < self->n; i++)
    {
      guint c = self->offsets[i + 1] - self->offsets[i];

      lo = MIN (lo, c);
      hi = MAX (hi, c);
    }
  if (min != NULL)
    *min = self->n > 0 ? lo : 0;
  if (max != NULL)
    *max = hi;
  if (mean != NULL)
    *mean = self->n > 0 ? (double) self->offsets[self->n] / self->n : NAN;
}
