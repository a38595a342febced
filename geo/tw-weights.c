/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-weights"

#include <math.h>
#include <string.h>

#include "tw-weights.h"

struct _TwPolygonSet
{
  gboolean  geographic;
  GArray   *xy;          /* double pairs */
  GArray   *ring_start;  /* gsize: first point of each ring, then the end */
  GArray   *ring_hole;   /* guint8 */
  GArray   *area_ring;   /* guint: first ring of each area */
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

/* ---- threads ------------------------------------------------------------------------- */

typedef void (*ChunkFunc) (gpointer data, guint worker, gsize begin, gsize end);

typedef struct
{
  ChunkFunc func;
  gpointer  data;
  gsize     n_items;
  gsize     chunk;
  gint      next;     /* atomic chunk counter */
  guint     worker;
} ParallelJob;

typedef struct
{
  ParallelJob *job;
  guint        worker;
} ParallelWorker;

static gpointer
parallel_worker (gpointer data)
{
  ParallelWorker *w = data;
  ParallelJob *job = w->job;

  for (;;)
    {
      gsize c = (gsize) g_atomic_int_add (&job->next, 1);
      gsize begin = c * job->chunk;

      if (begin >= job->n_items)
        break;
      job->func (job->data, w->worker, begin, MIN (begin + job->chunk, job->n_items));
    }
  return NULL;
}

static guint
resolve_threads (guint n_threads)
{
  return n_threads == 0 ? MAX (1, g_get_num_processors ()) : n_threads;
}

static void
run_parallel (ChunkFunc func,
              gpointer  data,
              gsize     n_items,
              gsize     chunk,
              guint     n_threads)
{
  ParallelJob job = { func, data, n_items, MAX (chunk, 1), 0, 0 };
  g_autofree ParallelWorker *workers = g_new0 (ParallelWorker, n_threads);
  g_autofree GThread **threads = g_new0 (GThread *, n_threads);

  for (guint t = 0; t < n_threads; t++)
    {
      workers[t].job = &job;
      workers[t].worker = t;
    }
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("tw-weights", parallel_worker, &workers[t]);
  parallel_worker (&workers[0]);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
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
  gsize sum = 0;

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
  run_parallel (radix_histogram, &job, n_threads, 1, n_threads);
  for (guint b = 0; b < N_BUCKETS; b++)
    {
      bucket_start[b] = sum;
      for (guint t = 0; t < n_threads; t++)
        {
          gsize c = counts[(gsize) t * N_BUCKETS + b];

          counts[(gsize) t * N_BUCKETS + b] = sum;
          sum += c;
        }
    }
  bucket_start[N_BUCKETS] = n;
  run_parallel (radix_scatter, &job, n_threads, 1, n_threads);
  run_parallel (radix_buckets, &job, N_BUCKETS, 16, n_threads);
}

/* ---- contiguity ---------------------------------------------------------------------- */

typedef struct
{
  const double  *xy;
  const guint32 *area_of;    /* area of each point */
  const guint64 *keys;       /* sorted cell keys */
  const guint32 *points;     /* point index of each sorted entry */
  gsize          n;
  gsize         *run_bounds; /* chunk starts aligned to cell runs */
  double         snap;
  double         snap2;
  double         cell;
  double         xmin, ymin;
  struct _PairBuffer *pairs; /* low area << 32 | high area, one buffer a worker */
} ContiguityJob;

/* A cell's key: its tile of 4096 × 4096 cells first, then the cell within the tile, so that
 * sorted points stay near their neighbours in memory (cell numbers are below 2^30). */
static inline guint64
cell_key (guint64 cx,
          guint64 cy)
{
  return ((cx >> 12) << 42) | ((cy >> 12) << 24) | ((cx & 4095) << 12) | (cy & 4095);
}

static inline void
cell_of_key (guint64  key,
             guint64 *cx,
             guint64 *cy)
{
  *cx = ((key >> 42) << 12) | ((key >> 12) & 4095);
  *cy = (((key >> 24) & 0x3ffff) << 12) | (key & 4095);
}

static gsize
run_end (const guint64 *keys,
         gsize          n,
         gsize          i)
{
  guint64 k = keys[i];

  while (i < n && keys[i] == k)
    i++;
  return i;
}

static gsize
find_cell (const guint64 *keys,
           gsize          n,
           guint64        key)
{
  gsize lo = 0, hi = n;

  while (lo < hi)
    {
      gsize mid = lo + (hi - lo) / 2;

      if (keys[mid] < key)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

typedef struct _PairBuffer
{
  guint64 *data;
  gsize    len;
  gsize    capacity;
  guint8  *duplicate;    /* scratch: flags of one run */
  gsize    duplicate_capacity;
} PairBuffer;

static inline void
emit (PairBuffer *pairs,
      guint32     a,
      guint32     b)
{
  if (G_UNLIKELY (pairs->len == pairs->capacity))
    {
      pairs->capacity = MAX (1024, pairs->capacity * 2);
      pairs->data = g_renew (guint64, pairs->data, pairs->capacity);
    }
  pairs->data[pairs->len++] = a < b ? ((guint64) a << 32) | b : ((guint64) b << 32) | a;
}

static inline gboolean
same_point (const ContiguityJob *job,
            guint32              p,
            guint32              q)
{
  return job->xy[2 * (gsize) p] == job->xy[2 * (gsize) q]
         && job->xy[2 * (gsize) p + 1] == job->xy[2 * (gsize) q + 1];
}

/* Whether sorted entry @i repeats a point of its own area earlier in its cell, which
 * starts at @s: such a point counts once. */
static gboolean
is_duplicate (const ContiguityJob *job,
              gsize                s,
              gsize                i)
{
  guint32 p = job->points[i];

  for (gsize j = s; j < i; j++)
    {
      guint32 q = job->points[j];

      if (job->area_of[p] == job->area_of[q] && same_point (job, p, q))
        return TRUE;
    }
  return FALSE;
}

static inline gboolean
close_enough (const ContiguityJob *job,
              guint32              p,
              guint32              q)
{
  double dx = job->xy[2 * (gsize) p] - job->xy[2 * (gsize) q];
  double dy = job->xy[2 * (gsize) p + 1] - job->xy[2 * (gsize) q + 1];

  return dx * dx + dy * dy <= job->snap2;
}

static void
match_with_cell (ContiguityJob *job,
                 PairBuffer    *pairs,
                 guint32        p,
                 guint64        key)
{
  gsize s = find_cell (job->keys, job->n, key);

  for (gsize j = s; j < job->n && job->keys[j] == key; j++)
    {
      guint32 q = job->points[j];

      if (job->area_of[p] != job->area_of[q] && close_enough (job, p, q)
          && !is_duplicate (job, s, j))
        emit (pairs, job->area_of[p], job->area_of[q]);
    }
}

static void
match_chunk (gpointer data,
             guint    worker,
             gsize    begin,
             gsize    end)
{
  ContiguityJob *job = data;
  PairBuffer *pairs = &job->pairs[worker];

  for (gsize c = begin; c < end; c++)
    {
      gsize s = job->run_bounds[c], e = job->run_bounds[c + 1];

      while (s < e)
        {
          gsize r = run_end (job->keys, e, s);
          guint64 key = job->keys[s];
          guint64 cx, cy;
          guint8 *dup;

          cell_of_key (key, &cx, &cy);
          if (r - s > pairs->duplicate_capacity)
            {
              pairs->duplicate_capacity = MAX (r - s, 2 * pairs->duplicate_capacity);
              pairs->duplicate = g_renew (guint8, pairs->duplicate, pairs->duplicate_capacity);
            }
          dup = pairs->duplicate;
          for (gsize i = s; i < r; i++)
            dup[i - s] = i > s && is_duplicate (job, s, i);

          for (gsize i = s; i < r; i++)
            {
              guint32 p = job->points[i];
              double fx, fy;
              gboolean east, north, south;

              if (dup[i - s])
                continue;
              for (gsize j = i + 1; j < r; j++)
                {
                  guint32 q = job->points[j];

                  if (!dup[j - s] && job->area_of[p] != job->area_of[q]
                      && close_enough (job, p, q))
                    emit (pairs, job->area_of[p], job->area_of[q]);
                }

              if (job->snap <= 0)
                continue;
              /* a partner in a neighbouring cell: look only forward (east, north-east,
               * south-east, north) so that each pair of cells is visited once */
              fx = (job->xy[2 * (gsize) p] - job->xmin) - (double) cx * job->cell;
              fy = (job->xy[2 * (gsize) p + 1] - job->ymin) - (double) cy * job->cell;
              east = fx >= job->cell - job->snap;
              north = fy >= job->cell - job->snap;
              south = fy <= job->snap && cy > 0;
              if (east)
                {
                  match_with_cell (job, pairs, p, cell_key (cx + 1, cy));
                  if (north)
                    match_with_cell (job, pairs, p, cell_key (cx + 1, cy + 1));
                  if (south)
                    match_with_cell (job, pairs, p, cell_key (cx + 1, cy - 1));
                }
              if (north)
                match_with_cell (job, pairs, p, cell_key (cx, cy + 1));
            }
          s = r;
        }
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

typedef struct
{
  const TwPolygonSet *polygons;
  guint32            *area_of;
  guint64            *keys;     /* G_MAXUINT64 marks a point left out, until cell_keys */
  guint32            *points;
  guint               n_areas;
  guint               n_workers;
  double             *bounds;   /* xmin, ymin, xmax, ymax a worker */
  gsize              *valid;    /* a worker */
  double              cell, xmin, ymin;
  guint64             beyond;   /* the key of the points left out: after every cell */
  gsize               n;
} CollectJob;

static void
collect_points (gpointer data,
                guint    worker,
                gsize    begin,
                gsize    end)
{
  CollectJob *job = data;
  const double *xy = (const double *) job->polygons->xy->data;
  guint a0 = (guint) ((guint64) job->n_areas * begin / job->n_workers);
  guint a1 = (guint) ((guint64) job->n_areas * end / job->n_workers);
  double xmin = G_MAXDOUBLE, ymin = G_MAXDOUBLE, xmax = -G_MAXDOUBLE, ymax = -G_MAXDOUBLE;
  gsize valid = 0;

  for (guint a = a0; a < a1; a++)
    {
      guint first, last;

      area_rings (job->polygons, a, &first, &last);
      for (guint r = first; r < last; r++)
        {
          gsize s = g_array_index (job->polygons->ring_start, gsize, r);
          gsize e = g_array_index (job->polygons->ring_start, gsize, r + 1);
          gboolean closed = e - s > 1 && xy[2 * s] == xy[2 * (e - 1)]
                            && xy[2 * s + 1] == xy[2 * (e - 1) + 1];

          for (gsize i = s; i < e; i++)
            {
              double x = xy[2 * i], y = xy[2 * i + 1];

              job->area_of[i] = a;
              job->points[i] = (guint32) i;
              if ((closed && i == e - 1) || !isfinite (x) || !isfinite (y))
                {
                  job->keys[i] = G_MAXUINT64;
                  continue;
                }
              job->keys[i] = 0;
              valid++;
              xmin = MIN (xmin, x);
              xmax = MAX (xmax, x);
              ymin = MIN (ymin, y);
              ymax = MAX (ymax, y);
            }
        }
    }
  job->bounds[4 * begin] = xmin;
  job->bounds[4 * begin + 1] = ymin;
  job->bounds[4 * begin + 2] = xmax;
  job->bounds[4 * begin + 3] = ymax;
  job->valid[begin] = valid;
}

static void
cell_keys (gpointer data,
           guint    worker,
           gsize    begin,
           gsize    end)
{
  CollectJob *job = data;
  const double *xy = (const double *) job->polygons->xy->data;

  for (gsize i = begin; i < end; i++)
    if (job->keys[i] == G_MAXUINT64)
      job->keys[i] = job->beyond;
    else
      {
        guint64 cx = (guint64) ((xy[2 * i] - job->xmin) / job->cell);
        guint64 cy = (guint64) ((xy[2 * i + 1] - job->ymin) / job->cell);

        job->keys[i] = cell_key (cx, cy);
      }
}

TwWeights *
tw_weights_new_contiguity (const TwPolygonSet *polygons,
                           TwWeightsType       type,
                           double              snap,
                           guint               n_threads,
                           GError            **error)
{
  ContiguityJob job = { 0 };
  CollectJob collect = { 0 };
  g_autofree guint32 *area_of = NULL;
  g_autofree guint64 *keys = NULL;
  g_autofree guint32 *points = NULL;
  g_autofree gsize *run_bounds = NULL;
  g_autofree guint64 *all_pairs = NULL;
  const double *xy;
  gsize n_points, n = 0, n_pairs = 0, n_chunks;
  guint n_areas;
  double xmin = G_MAXDOUBLE, ymin = G_MAXDOUBLE, xmax = -G_MAXDOUBLE, ymax = -G_MAXDOUBLE;
  double cell;
  TwWeights *result;

  g_return_val_if_fail (polygons != NULL, NULL);
  g_return_val_if_fail (type == TW_WEIGHTS_QUEEN || type == TW_WEIGHTS_ROOK, NULL);

  if (!(snap >= 0) || !isfinite (snap))
    {
      g_set_error (error, TW_WEIGHTS_ERROR, TW_WEIGHTS_ERROR_INVALID,
                   "the snap distance must be zero or more, not %g", snap);
      return NULL;
    }
  n_threads = resolve_threads (n_threads);
  n_areas = tw_polygon_set_get_n_areas (polygons);
  n_points = tw_polygon_set_get_n_points (polygons);
  if (n_points >= G_MAXUINT32)
    {
      g_set_error (error, TW_WEIGHTS_ERROR, TW_WEIGHTS_ERROR_INVALID,
                   "too many boundary points (%" G_GSIZE_FORMAT ")", n_points);
      return NULL;
    }
  xy = (const double *) polygons->xy->data;

  /* every point once: the closing point of a ring repeats its first */
  area_of = g_new (guint32, MAX (n_points, 1));
  points = g_new (guint32, MAX (n_points, 1));
  keys = g_new (guint64, MAX (n_points, 1));
  collect.polygons = polygons;
  collect.area_of = area_of;
  collect.keys = keys;
  collect.points = points;
  collect.n_areas = n_areas;
  collect.n_workers = n_threads;
  collect.bounds = g_new (double, 4 * n_threads);
  collect.valid = g_new0 (gsize, n_threads);
  run_parallel (collect_points, &collect, n_threads, 1, n_threads);
  for (guint t = 0; t < n_threads; t++)
    {
      xmin = MIN (xmin, collect.bounds[4 * t]);
      ymin = MIN (ymin, collect.bounds[4 * t + 1]);
      xmax = MAX (xmax, collect.bounds[4 * t + 2]);
      ymax = MAX (ymax, collect.bounds[4 * t + 3]);
      n += collect.valid[t];
    }
  g_free (collect.bounds);
  g_free (collect.valid);

  /* cells wide enough that most points are far from a cell's edge, narrow enough that the
   * cell numbers stay below 2^30 (cell_key) */
  cell = MAX (256 * snap, MAX (xmax - xmin, ymax - ymin) / 536870912.0);
  if (!(cell > 0))
    cell = 1;
  collect.cell = cell;
  collect.xmin = xmin;
  collect.ymin = ymin;
  collect.n = n_points;
  collect.beyond = (guint64) 1 << 62;
  run_parallel (cell_keys, &collect, n_points, 1 << 16, n_threads);
  /* the points left out have the largest key and sort last */
  radix_sort (keys, points, n_points, n_threads);

  /* chunks for the workers, each starting where a cell starts */
  n_chunks = MAX (1, MIN (n / 65536, 4096));
  run_bounds = g_new (gsize, n_chunks + 1);
  run_bounds[0] = 0;
  for (gsize c = 1; c < n_chunks; c++)
    {
      gsize at = MAX (run_bounds[c - 1], n * c / n_chunks);

      while (at > 0 && at < n && keys[at] == keys[at - 1])
        at++;
      run_bounds[c] = at;
    }
  run_bounds[n_chunks] = n;

  job.xy = xy;
  job.area_of = area_of;
  job.keys = keys;
  job.points = points;
  job.n = n;
  job.run_bounds = run_bounds;
  job.snap = snap;
  job.snap2 = snap * snap;
  job.cell = cell;
  job.xmin = xmin;
  job.ymin = ymin;
  job.pairs = g_new0 (PairBuffer, n_threads);
  run_parallel (match_chunk, &job, n_chunks, 4, n_threads);

  for (guint t = 0; t < n_threads; t++)
    n_pairs += job.pairs[t].len;
  all_pairs = g_new (guint64, MAX (n_pairs, 1));
  n_pairs = 0;
  for (guint t = 0; t < n_threads; t++)
    {
      if (job.pairs[t].len > 0)
        memcpy (all_pairs + n_pairs, job.pairs[t].data, job.pairs[t].len * sizeof (guint64));
      n_pairs += job.pairs[t].len;
      g_free (job.pairs[t].data);
      g_free (job.pairs[t].duplicate);
    }
  g_free (job.pairs);
  radix_sort (all_pairs, NULL, n_pairs, n_threads);

  result = weights_from_pairs (type, n_areas, all_pairs, n_pairs,
                               type == TW_WEIGHTS_QUEEN ? 1 : 2);
  return result;
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
