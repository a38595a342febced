/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-arcs"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tw-arcs.h"

#define UNSET G_MAXUINT32
#define REVERSED 0x80000000u

struct _TwArcSet
{
  guint    n_vertices;
  double  *xy;            /* x, y of each distinct vertex */
  GArray  *area_ring;     /* guint32: first ring of each area, one more at the end */
  GArray  *ring_arc;      /* guint32: first arc reference of each ring, one more */
  GArray  *arc_refs;      /* guint32: arc index, | REVERSED when walked backwards */
  GArray  *arc_start;     /* guint32: first kept vertex of each arc, one more */
  GArray  *arc_kept;      /* guint32: the vertices each arc keeps, in its own direction */
  GArray  *arc_areas;     /* guint32 × 2: the areas on its two sides, UNSET for none */
};

typedef struct
{
  guint64 key;
  guint32 occurrence;
} Occurrence;

static int
compare_occurrences (const void *a,
                     const void *b)
{
  const Occurrence *x = a, *y = b;

  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->occurrence < y->occurrence ? -1 : x->occurrence > y->occurrence;
}

static inline guint64
point_key (const float *p)
{
  guint32 bx, by;

  memcpy (&bx, &p[0], 4);
  memcpy (&by, &p[1], 4);
  return ((guint64) bx << 32) | by;
}

static double
segment_distance (const double *p,
                  const double *a,
                  const double *b)
{
  double dx = b[0] - a[0], dy = b[1] - a[1];
  double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2 : 0;

  t = CLAMP (t, 0.0, 1.0);
  return hypot (p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/* Douglas–Peucker between @first and @last, both kept already. */
static void
keep_between (const TwArcSet *self,
              const guint32  *seq,
              guint           first,
              guint           last,
              double          tolerance,
              guint8         *keep)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));

  g_array_append_val (stack, first);
  g_array_append_val (stack, last);
  while (stack->len > 0)
    {
      guint b = g_array_index (stack, guint, stack->len - 1);
      guint a = g_array_index (stack, guint, stack->len - 2);
      double worst = -1;
      guint at = 0;

      g_array_set_size (stack, stack->len - 2);
      for (guint i = a + 1; i < b; i++)
        {
          double d = segment_distance (&self->xy[2 * seq[i]], &self->xy[2 * seq[a]],
                                       &self->xy[2 * seq[b]]);
          if (d > worst)
            {
              worst = d;
              at = i;
            }
        }
      if (worst > tolerance)
        {
          keep[at] = 1;
          g_array_append_val (stack, a);
          g_array_append_val (stack, at);
          g_array_append_val (stack, at);
          g_array_append_val (stack, b);
        }
    }
}

/* Appends the simplified arc @seq (@n vertices) to the set's kept vertices. */
static void
add_simplified_arc (TwArcSet      *self,
                    const guint32 *seq,
                    guint          n,
                    double         tolerance)
{
  g_autofree guint8 *keep = g_new0 (guint8, n);
  guint32 end;

  keep[0] = keep[n - 1] = 1;
  if (seq[0] == seq[n - 1] && n > 2)
    {
      /* A closed arc has no chord: anchor it at its farthest vertex as well. */
      double worst = -1;
      guint far = 1;

      for (guint i = 1; i < n - 1; i++)
        {
          double d = hypot (self->xy[2 * seq[i]] - self->xy[2 * seq[0]],
                            self->xy[2 * seq[i] + 1] - self->xy[2 * seq[0] + 1]);
          if (d > worst)
            {
              worst = d;
              far = i;
            }
        }
      keep[far] = 1;
      keep_between (self, seq, 0, far, tolerance, keep);
      keep_between (self, seq, far, n - 1, tolerance, keep);
    }
  else
    keep_between (self, seq, 0, n - 1, tolerance, keep);

  for (guint i = 0; i < n; i++)
    if (keep[i] || tolerance <= 0)
      g_array_append_val (self->arc_kept, seq[i]);
  end = self->arc_kept->len;
  g_array_append_val (self->arc_start, end);
}

/* The arc @seq (@n vertices), found or added; returns its reference from the ring's side. */
static guint32
find_or_add_arc (TwArcSet      *self,
                 GHashTable    *arcs,
                 guint32       *seq,
                 guint          n,
                 guint32        area,
                 double         tolerance)
{
  gboolean reverse = seq[0] > seq[n - 1] || (seq[0] == seq[n - 1] && n > 2 && seq[1] > seq[n - 2]);
  g_autoptr(GBytes) key = NULL;
  gpointer found;
  guint32 index;

  if (reverse)
    for (guint i = 0; i < n / 2; i++)
      {
        guint32 t = seq[i];
        seq[i] = seq[n - 1 - i];
        seq[n - 1 - i] = t;
      }
  key = g_bytes_new (seq, n * sizeof (guint32));
  if (g_hash_table_lookup_extended (arcs, key, NULL, &found))
    {
      guint32 *sides;

      index = GPOINTER_TO_UINT (found);
      sides = &g_array_index (self->arc_areas, guint32, 2 * index);
      if (sides[1] == UNSET && sides[0] != area)
        sides[1] = area;
    }
  else
    {
      guint32 sides[2] = { area, UNSET };

      index = self->arc_start->len - 1;
      g_hash_table_insert (arcs, g_bytes_ref (key), GUINT_TO_POINTER (index));
      add_simplified_arc (self, seq, n, tolerance);
      g_array_append_vals (self->arc_areas, sides, 2);
    }
  return index | (reverse ? REVERSED : 0);
}

/* Cuts the ring @v (@n vertices, open) at its junctions into arcs. */
static void
cut_ring (TwArcSet      *self,
          GHashTable    *arcs,
          const guint32 *v,
          guint          n,
          guint32        area,
          const guint8  *junction,
          double         tolerance)
{
  g_autofree guint32 *seq = g_new (guint32, n + 1);
  guint first = n, m;
  guint32 ref, end;

  for (guint i = 0; i < n; i++)
    if (junction[v[i]])
      {
        first = i;
        break;
      }

  if (first == n)
    {
      /* No junction: one closed arc, started at its smallest vertex so that the ring of a
       * neighbour that holds it whole (an enclave) finds the same one. */
      guint lowest = 0;

      for (guint i = 1; i < n; i++)
        if (v[i] < v[lowest])
          lowest = i;
      for (guint i = 0; i <= n; i++)
        seq[i] = v[(lowest + i) % n];
      ref = find_or_add_arc (self, arcs, seq, n + 1, area, tolerance);
      g_array_append_val (self->arc_refs, ref);
    }
  else
    {
      m = 0;
      seq[m++] = v[first];
      for (guint step = 1; step <= n; step++)
        {
          guint32 id = v[(first + step) % n];

          seq[m++] = id;
          if (junction[id])
            {
              ref = find_or_add_arc (self, arcs, seq, m, area, tolerance);
              g_array_append_val (self->arc_refs, ref);
              seq[0] = id;
              m = 1;
            }
        }
    }
  end = self->arc_refs->len;
  g_array_append_val (self->ring_arc, end);
}

TwArcSet *
tw_arc_set_new (TwGeometrySet *geometry,
                double         tolerance,
                GCancellable  *cancellable)
{
  g_autoptr(TwArcSet) self = g_new0 (TwArcSet, 1);
  g_autoptr(GArray) occurrences = g_array_new (FALSE, FALSE, sizeof (Occurrence));
  g_autoptr(GArray) ring_vertex = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) ring_first = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GHashTable) arcs = NULL;
  g_autofree guint32 *first_lo = NULL, *first_hi = NULL;
  g_autofree guint8 *junction = NULL;
  guint n_areas = tw_geometry_set_get_n_areas (geometry);
  guint32 zero = 0, n_rings = 0;
  Occurrence *occ;

  self->area_ring = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->ring_arc = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->arc_refs = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->arc_start = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->arc_kept = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->arc_areas = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_array_append_val (self->area_ring, zero);
  g_array_append_val (self->ring_arc, zero);
  g_array_append_val (self->arc_start, zero);
  g_array_append_val (ring_first, zero);

  /* Every vertex at full detail, repeated ones dropped. */
  for (guint a = 0; a < n_areas; a++)
    {
      guint rings = tw_geometry_set_get_n_rings (geometry, a, 0);

      if ((a & 1023) == 0 && g_cancellable_is_cancelled (cancellable))
        return NULL;
      for (guint r = 0; r < rings; r++)
        {
          guint n;
          const float *p = tw_geometry_set_get_ring (geometry, a, 0, r, &n);
          guint start = occurrences->len;

          for (guint i = 0; i < n; i++)
            {
              Occurrence o = { point_key (&p[2 * i]), occurrences->len };

              if (occurrences->len > start
                  && g_array_index (occurrences, Occurrence, occurrences->len - 1).key == o.key)
                continue;
              g_array_append_val (occurrences, o);
            }
          while (occurrences->len - start > 1
                 && g_array_index (occurrences, Occurrence, occurrences->len - 1).key
                    == g_array_index (occurrences, Occurrence, start).key)
            g_array_set_size (occurrences, occurrences->len - 1);
          if (occurrences->len == start)
            continue;
          n_rings++;
          g_array_append_val (ring_first, occurrences->len);
        }
      g_array_append_val (self->area_ring, n_rings);
    }

  /* Vertex numbers: the same point everywhere is one vertex. */
  g_array_set_size (ring_vertex, occurrences->len);
  {
    g_autoptr(GArray) sorted = g_array_copy (occurrences);

    qsort (sorted->data, sorted->len, sizeof (Occurrence), compare_occurrences);
    self->xy = g_new (double, 2 * MAX (sorted->len, 1));
    for (guint i = 0; i < sorted->len; i++)
      {
        occ = &g_array_index (sorted, Occurrence, i);
        if (i == 0 || occ->key != g_array_index (sorted, Occurrence, i - 1).key)
          {
            guint32 bx = occ->key >> 32, by = (guint32) occ->key;
            float x, y;

            memcpy (&x, &bx, 4);
            memcpy (&y, &by, 4);
            self->xy[2 * self->n_vertices] = x;
            self->xy[2 * self->n_vertices + 1] = y;
            self->n_vertices++;
          }
        g_array_index (ring_vertex, guint32, occ->occurrence) = self->n_vertices - 1;
      }
  }

  /* A junction is a vertex met twice with different neighbours: outlines meet there. */
  first_lo = g_new (guint32, MAX (self->n_vertices, 1));
  first_hi = g_new (guint32, MAX (self->n_vertices, 1));
  junction = g_new0 (guint8, MAX (self->n_vertices, 1));
  memset (first_lo, 0xff, self->n_vertices * sizeof (guint32));
  for (guint r = 0; r < n_rings; r++)
    {
      guint32 start = g_array_index (ring_first, guint32, r);
      guint n = g_array_index (ring_first, guint32, r + 1) - start;
      const guint32 *v = &g_array_index (ring_vertex, guint32, start);

      for (guint i = 0; i < n; i++)
        {
          guint32 prev = v[(i + n - 1) % n], next = v[(i + 1) % n];
          guint32 lo = MIN (prev, next), hi = MAX (prev, next);

          if (first_lo[v[i]] == UNSET)
            {
              first_lo[v[i]] = lo;
              first_hi[v[i]] = hi;
            }
          else if (first_lo[v[i]] != lo || first_hi[v[i]] != hi)
            junction[v[i]] = 1;
        }
    }

  arcs = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref,
                                NULL);
  for (guint a = 0, r = 0; a < n_areas; a++)
    {
      if ((a & 1023) == 0 && g_cancellable_is_cancelled (cancellable))
        return NULL;
      for (; r < g_array_index (self->area_ring, guint32, a + 1); r++)
        {
          guint32 start = g_array_index (ring_first, guint32, r);

          cut_ring (self, arcs, &g_array_index (ring_vertex, guint32, start),
                    g_array_index (ring_first, guint32, r + 1) - start, a, junction, tolerance);
        }
    }
  return g_steal_pointer (&self);
}

void
tw_arc_set_free (TwArcSet *self)
{
  if (self == NULL)
    return;
  g_free (self->xy);
  g_clear_pointer (&self->area_ring, g_array_unref);
  g_clear_pointer (&self->ring_arc, g_array_unref);
  g_clear_pointer (&self->arc_refs, g_array_unref);
  g_clear_pointer (&self->arc_start, g_array_unref);
  g_clear_pointer (&self->arc_kept, g_array_unref);
  g_clear_pointer (&self->arc_areas, g_array_unref);
  g_free (self);
}

guint
tw_arc_set_get_n_arcs (TwArcSet *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->arc_start->len - 1;
}

guint
tw_arc_set_get_n_rings (TwArcSet *self,
                        guint     area)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (area + 1 < self->area_ring->len, 0);

  return g_array_index (self->area_ring, guint32, area + 1)
         - g_array_index (self->area_ring, guint32, area);
}

guint
tw_arc_set_append_ring (TwArcSet *self,
                        guint     area,
                        guint     ring,
                        GArray   *points)
{
  guint32 r, first, last;
  guint appended = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (ring < tw_arc_set_get_n_rings (self, area), 0);
  g_return_val_if_fail (points != NULL, 0);

  r = g_array_index (self->area_ring, guint32, area) + ring;
  first = g_array_index (self->ring_arc, guint32, r);
  last = g_array_index (self->ring_arc, guint32, r + 1);
  for (guint32 i = first; i < last; i++)
    {
      guint32 ref = g_array_index (self->arc_refs, guint32, i);
      guint32 arc = ref & ~REVERSED;
      guint32 a = g_array_index (self->arc_start, guint32, arc);
      guint32 n = g_array_index (self->arc_start, guint32, arc + 1) - a;
      const guint32 *kept = &g_array_index (self->arc_kept, guint32, a);

      /* Each arc's last vertex is the next one's first. */
      for (guint32 k = 0; k + 1 < n; k++)
        {
          guint32 v = (ref & REVERSED) ? kept[n - 1 - k] : kept[k];

          g_array_append_vals (points, &self->xy[2 * v], 2);
          appended++;
        }
    }
  return appended;
}

void
tw_arc_set_get_arc_areas (TwArcSet *self,
                          guint     arc,
                          guint    *first,
                          guint    *second)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (arc < tw_arc_set_get_n_arcs (self));

  *first = g_array_index (self->arc_areas, guint32, 2 * arc);
  *second = g_array_index (self->arc_areas, guint32, 2 * arc + 1);
}

guint
tw_arc_set_append_arc (TwArcSet *self,
                       guint     arc,
                       GArray   *points)
{
  guint32 a, n;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (arc < tw_arc_set_get_n_arcs (self), 0);
  g_return_val_if_fail (points != NULL, 0);

  a = g_array_index (self->arc_start, guint32, arc);
  n = g_array_index (self->arc_start, guint32, arc + 1) - a;
  for (guint32 k = 0; k < n; k++)
    g_array_append_vals (points, &self->xy[2 * g_array_index (self->arc_kept, guint32, a + k)], 2);
  return n;
}
