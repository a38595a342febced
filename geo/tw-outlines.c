/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-outlines"

#include <math.h>
#include <string.h>

#include "tw-outlines.h"

struct _TwLineSet
{
  gatomicrefcount ref_count;
  GArray         *points;      /* float x, y */
  GArray         *line_start;  /* guint32, one more at the end */
  GArray         *boxes;       /* float ×4 per line */
};

typedef struct
{
  guint64 key;    /* hash of the segment's two ends, whichever way round */
  guint32 group;
  guint32 index;  /* segment number, in ring order over the whole set */
} Segment;

static inline guint64
mix (guint64 x)
{
  x ^= x >> 33;
  x *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  x ^= x >> 33;
  x *= G_GUINT64_CONSTANT (0xc4ceb9fe1a85ec53);
  x ^= x >> 33;
  return x;
}

static inline guint64
point_hash (const float *p)
{
  guint32 bx, by;

  memcpy (&bx, &p[0], 4);
  memcpy (&by, &p[1], 4);
  return mix (((guint64) bx << 32) | by);
}

/* Least-significant-digit radix sort on the key, 16 bits a pass. */
static void
sort_segments (Segment *segments,
               gsize    n)
{
  g_autofree Segment *scratch = g_new (Segment, MAX (n, 1));
  Segment *from = segments, *to = scratch;

  for (guint shift = 0; shift < 64; shift += 16)
    {
      g_autofree gsize *count = g_new0 (gsize, 65537);

      for (gsize i = 0; i < n; i++)
        count[((from[i].key >> shift) & 0xffff) + 1]++;
      for (guint b = 0; b < 65536; b++)
        count[b + 1] += count[b];
      for (gsize i = 0; i < n; i++)
        to[count[(from[i].key >> shift) & 0xffff]++] = from[i];

      {
        Segment *t = from;
        from = to;
        to = t;
      }
    }
  /* Four passes: the result is back in @segments. */
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

TwLineSet *
tw_outlines_build (TwGeometrySet *geometry,
                   const guint32 *groups,
                   GCancellable  *cancellable)
{
  g_autoptr(TwLineSet) self = NULL;
  g_autoptr(GArray) segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  g_autofree guint8 *keep = NULL;
  g_autoptr(GArray) run = g_array_new (FALSE, FALSE, sizeof (float));
  guint n_areas = tw_geometry_set_get_n_areas (geometry);
  guint32 index = 0, zero = 0;
  gsize n;

  self = g_new0 (TwLineSet, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->points = g_array_new (FALSE, FALSE, sizeof (float));
  self->line_start = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->boxes = g_array_new (FALSE, FALSE, sizeof (float));
  g_array_append_val (self->line_start, zero);

  g_array_set_size (segments, tw_geometry_set_get_n_vertices (geometry));
  for (guint a = 0; a < n_areas; a++)
    {
      guint n_rings = tw_geometry_set_get_n_rings (geometry, a, 0);

      for (guint r = 0; r < n_rings; r++)
        {
          guint np;
          const float *p = tw_geometry_set_get_ring (geometry, a, 0, r, &np);

          for (guint i = 0; i < np; i++)
            {
              Segment *s = &g_array_index (segments, Segment, index);
              guint64 h1 = point_hash (&p[2 * i]);
              guint64 h2 = point_hash (&p[2 * ((i + 1) % np)]);

              s->key = mix (MIN (h1, h2) * 31 + MAX (h1, h2));
              s->group = groups ? groups[a] : 0;
              s->index = index++;
            }
        }
      if ((a & 0xfff) == 0 && g_cancellable_is_cancelled (cancellable))
        return NULL;
    }
  n = index;
  sort_segments ((Segment *) segments->data, n);

  /* A segment is kept when no other has its ends, or when the other's group differs
   * (then only the first of the two is kept, so each boundary is drawn once). */
  keep = g_malloc0 (MAX (n, 1));
  for (gsize i = 0; i < n;)
    {
      const Segment *s = &g_array_index (segments, Segment, i);
      gsize j = i + 1;
      gboolean differ = FALSE;

      while (j < n && g_array_index (segments, Segment, j).key == s->key)
        {
          if (g_array_index (segments, Segment, j).group != s->group)
            differ = TRUE;
          j++;
        }
      if (j == i + 1 || differ)
        {
          guint32 first = s->index;

          for (gsize m = i + 1; m < j; m++)
            first = MIN (first, g_array_index (segments, Segment, m).index);
          keep[first] = 1;
        }
      i = j;
    }
  g_clear_pointer (&segments, g_array_unref);
  if (g_cancellable_is_cancelled (cancellable))
    return NULL;

  /* Runs of kept segments along each ring become polylines. */
  index = 0;
  for (guint a = 0; a < n_areas; a++)
    {
      guint n_rings = tw_geometry_set_get_n_rings (geometry, a, 0);

      for (guint r = 0; r < n_rings; r++)
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
