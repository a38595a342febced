/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-classify"

#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "tw-classify.h"

/*
 * Natural breaks: the sorted values are collapsed to their distinct values u[0..m-1] with
 * weights (how often each occurs), which gives the same optimum. D[q][j] is the least
 * within-class sum of squares of u[0..j] in q + 1 classes:
 *
 *   D[0][j] = cost (0, j)
 *   D[q][j] = min over q <= i <= j of D[q-1][i-1] + cost (i, j)
 *
 * cost (i, j) comes in O(1) from prefix sums of w, w·u and w·u² (of u shifted by its
 * median, to keep the subtraction accurate). The first i reaching the minimum never
 * decreases as j grows (Wang & Song 2011, Ckmeans.1d.dp), so each row is filled by divide
 * and conquer: solve the middle j over its whole range of i, then each half over the part
 * of that range left to it. That is O(m log m) a row and O(K m log m) in all, and exact.
 */

typedef struct
{
  gsize   m;            /* distinct values */
  double *cw;           /* prefix sums, m + 1 each */
  double *cs;
  double *css;
  double *prev;         /* D[q-1][·] */
  double *cur;          /* D[q][·] */
  guint32 *first;       /* first[q * m + j]: where the last class of D[q][j] begins */
  gsize   prev_jhi;     /* the last j of row q - 1 */
} NaturalBreaks;

G_DEFINE_QUARK (tw-classify-error-quark, tw_classify_error)

G_DEFINE_BOXED_TYPE (TwClassification, tw_classification,
                     tw_classification_copy, tw_classification_free)

static const char * const method_names[] = {
  [TW_CLASSIFY_QUANTILE] = "quantile",
  [TW_CLASSIFY_EQUAL] = "equal",
  [TW_CLASSIFY_NATURAL] = "natural",
  [TW_CLASSIFY_STDDEV] = "stddev",
  [TW_CLASSIFY_MANUAL] = "manual",
};

/* Sorts finite doubles (no NaN) by an LSD radix sort on their bits, mapped so that the
 * unsigned order is the numeric order: several times faster than qsort() at 85,000
 * values, which matters when natural breaks themselves take a few milliseconds. */
static void
sort_doubles (double *values,
              gsize   n)
{
  g_autofree guint64 *keys = g_new (guint64, 2 * n);
  guint64 *src = keys, *dst = keys + n;
  gsize (*histogram)[256] = g_malloc0 (8 * sizeof *histogram);

  for (gsize i = 0; i < n; i++)
    {
      guint64 bits;

      memcpy (&bits, &values[i], sizeof bits);
      bits = (bits & G_GUINT64_CONSTANT (0x8000000000000000)) ? ~bits
             : bits | G_GUINT64_CONSTANT (0x8000000000000000);
      src[i] = bits;
      for (guint b = 0; b < 8; b++)
        histogram[b][(bits >> (8 * b)) & 0xff]++;
    }

  for (guint b = 0; b < 8; b++)
    {
      gsize offset = 0;
      guint64 *tmp;

      /* A byte that all keys share changes nothing. */
      if (histogram[b][(src[0] >> (8 * b)) & 0xff] == n)
        continue;
      for (guint d = 0; d < 256; d++)
        {
          gsize c = histogram[b][d];

          histogram[b][d] = offset;
          offset += c;
        }
      for (gsize i = 0; i < n; i++)
        dst[histogram[b][(src[i] >> (8 * b)) & 0xff]++] = src[i];
      tmp = src;
      src = dst;
      dst = tmp;
    }

  for (gsize i = 0; i < n; i++)
    {
      guint64 bits = src[i];

      bits = (bits & G_GUINT64_CONSTANT (0x8000000000000000))
             ? bits & ~G_GUINT64_CONSTANT (0x8000000000000000) : ~bits;
      memcpy (&values[i], &bits, sizeof bits);
    }
  g_free (histogram);
}

static gsize
count_distinct (const double *sorted,
                gsize         n)
{
  gsize d = n > 0 ? 1 : 0;

  for (gsize i = 1; i < n; i++)
    if (sorted[i] != sorted[i - 1])
      d++;
  return d;
}

static inline double
segment_cost (const NaturalBreaks *nb,
              gsize                i,
              gsize                j)
{
  double w = nb->cw[j + 1] - nb->cw[i];
  double s = nb->cs[j + 1] - nb->cs[i];

  return (nb->css[j + 1] - nb->css[i]) - s * s / w;
}

/* Fills D[q][j] for j in [jlo, jhi], knowing that the best first index of the last class
 * lies in [ilo, ihi]. The right half is a loop, the left half a recursion of depth log m. */
static void
fill_row (NaturalBreaks *nb,
          gsize          q,
          gsize          jlo,
          gsize          jhi,
          gsize          ilo,
          gsize          ihi)
{
  while (jlo <= jhi)
    {
      gsize mid = jlo + (jhi - jlo) / 2;
      gsize lo = MAX (ilo, q);
      gsize hi = MIN (ihi, mid);

      /* With one class more, the last class begins no earlier. */
      if (q >= 2 && mid <= nb->prev_jhi)
        lo = MAX (lo, nb->first[(q - 1) * nb->m + mid]);
      gsize best = lo;
      double best_d = INFINITY;

      for (gsize i = lo; i <= hi; i++)
        {
          double d = nb->prev[i - 1] + segment_cost (nb, i, mid);

          if (d < best_d)
            {
              best_d = d;
              best = i;
            }
        }
      nb->cur[mid] = best_d;
      nb->first[q * nb->m + mid] = (guint32) best;

      if (mid > jlo)
        fill_row (nb, q, jlo, mid - 1, ilo, best);
      jlo = mid + 1;
      ilo = best;
    }
}

/* Class k of the sorted distinct values u is u[start[k]] .. u[start[k + 1] - 1]. */
static void
natural_partition (const double *u,
                   const double *weight,
                   gsize         m,
                   guint         k,
                   gsize        *start)
{
  NaturalBreaks nb = { .m = m };
  g_autofree double *rows = g_new (double, 2 * m);
  double shift = u[m / 2];
  gsize j;

  g_assert (k >= 2 && k <= m);

  nb.cw = g_new (double, 3 * (m + 1));
  nb.cs = nb.cw + (m + 1);
  nb.css = nb.cs + (m + 1);
  nb.cw[0] = nb.cs[0] = nb.css[0] = 0;
  for (j = 0; j < m; j++)
    {
      double x = u[j] - shift;

      nb.cw[j + 1] = nb.cw[j] + weight[j];
      nb.cs[j + 1] = nb.cs[j] + weight[j] * x;
      nb.css[j + 1] = nb.css[j] + weight[j] * x * x;
    }

  nb.prev = rows;
  nb.cur = rows + m;
  nb.first = g_new (guint32, (gsize) k * m);

  /* Row q is needed for j up to m - k + q only: the classes above need a value each. */
  for (j = 0; j <= m - k; j++)
    nb.prev[j] = segment_cost (&nb, 0, j);

  for (guint q = 1; q + 1 < k; q++)
    {
      double *tmp;

      fill_row (&nb, q, q, m - k + q, q, m - k + q);
      nb.prev_jhi = m - k + q;
      tmp = nb.prev;
      nb.prev = nb.cur;
      nb.cur = tmp;
    }

  /* The last row is needed at j = m - 1 alone. */
  fill_row (&nb, k - 1, m - 1, m - 1, k - 1, m - 1);

  start[k] = m;
  j = m - 1;
  for (guint q = k - 1; q > 0; q--)
    {
      start[q] = nb.first[q * m + j];
      j = start[q] - 1;
    }
  start[0] = 0;

  g_free (nb.cw);
  g_free (nb.first);
}

static guint
natural_breaks (const double *sorted,
                gsize         n,
                guint         k,
                double       *breaks)
{
  g_autofree double *u = g_new (double, n);
  g_autofree double *weight = g_new (double, n);
  gsize start[TW_CLASSIFY_MAX_CLASSES + 1];
  gsize m = 0;

  for (gsize i = 0; i < n; i++)
    {
      if (m > 0 && sorted[i] == u[m - 1])
        {
          weight[m - 1] += 1;
        }
      else
        {
          u[m] = sorted[i];
          weight[m] = 1;
          m++;
        }
    }

  k = MIN (k, m);
  if (k == 1)
    {
      breaks[0] = breaks[1] = u[0];
      return 1;
    }

  if (k == m)
    {
      for (gsize i = 0; i <= m; i++)
        start[i] = i;
    }
  else
    {
      natural_partition (u, weight, m, k, start);
    }

  breaks[0] = u[0];
  for (guint c = 1; c < k; c++)
    {
      double below = u[start[c] - 1];
      double above = u[start[c]];
      double mid = (below + above) / 2;

      /* Two neighbouring doubles may round their midpoint up to the upper one. */
      breaks[c] = mid < above ? mid : below;
    }
  breaks[k] = u[m - 1];
  return k;
}

/* R's quantile type 7, computed as R does: index = 1 + (n - 1) p, then
 * (1 - h) x[lo] + h x[hi]. */
static double
quantile_type7 (const double *sorted,
                gsize         n,
                double        p)
{
  /* 1-based, as R writes it, so that the rounding is R's too */
  double index = 1 + (double) (n - 1) * p;
  gsize lo = (gsize) floor (index);
  gsize hi = (gsize) ceil (index);
  double h = index - (double) lo;

  lo = CLAMP (lo, 1, n);
  hi = CLAMP (hi, 1, n);
  if (h <= 0 || sorted[hi - 1] == sorted[lo - 1])
    return sorted[lo - 1];
  return (1 - h) * sorted[lo - 1] + h * sorted[hi - 1];
}

static guint
quantile_breaks (const double *sorted,
                 gsize         n,
                 guint         k,
                 double       *breaks)
{
  guint n_breaks = 0;

  for (guint i = 0; i <= k; i++)
    {
      double q = i == k ? sorted[n - 1] : quantile_type7 (sorted, n, i * (1.0 / k));

      /* Tied values can make equal quantiles: one break stands for them. */
      if (n_breaks == 0 || q > breaks[n_breaks - 1])
        breaks[n_breaks++] = q;
    }

  if (n_breaks == 1)
    breaks[n_breaks++] = sorted[n - 1];
  return n_breaks - 1;
}

static guint
equal_breaks (const double *sorted,
              gsize         n,
              guint         k,
              double       *breaks)
{
  double lo = sorted[0];
  double hi = sorted[n - 1];
  double step = (hi - lo) / k;

  breaks[0] = lo;
  for (guint i = 1; i < k; i++)
    breaks[i] = lo + i * step;
  breaks[k] = hi;
  return k;
}

static guint
stddev_breaks (const double *sorted,
               gsize         n,
               guint         k,
               double       *breaks)
{
  double lo = sorted[0];
  double hi = sorted[n - 1];
  double mean = 0, ss = 0, sd;
  guint n_breaks = 0;

  for (gsize i = 0; i < n; i++)
    mean += sorted[i];
  mean /= n;
  for (gsize i = 0; i < n; i++)
    ss += (sorted[i] - mean) * (sorted[i] - mean);
  sd = n > 1 ? sqrt (ss / (n - 1)) : 0;

  breaks[n_breaks++] = lo;
  for (guint i = 1; i < k; i++)
    {
      double b = mean + (i - k / 2.0) * sd;

      if (b > lo && b < hi && b > breaks[n_breaks - 1])
        breaks[n_breaks++] = b;
    }
  breaks[n_breaks++] = hi;
  return n_breaks - 1;
}

static guint
manual_breaks_fill (const double *sorted,
                    gsize         n,
                    const double *inner,
                    gsize         n_inner,
                    double       *breaks)
{
  breaks[0] = MIN (sorted[0], inner[0]);
  memcpy (breaks + 1, inner, n_inner * sizeof (double));
  breaks[n_inner + 1] = MAX (sorted[n - 1], inner[n_inner - 1]);
  return n_inner + 1;
}

/* Counts and within-class sum of squares of sorted values: each class is a run. */
static void
summarise_sorted (const double *sorted,
                  gsize         n,
                  const double *breaks,
                  guint         n_classes,
                  guint        *counts,
                  double       *within_ss)
{
  gsize i = 0;

  *within_ss = 0;
  for (guint c = 0; c < n_classes; c++)
    {
      gsize begin = i;
      double mean = 0, ss = 0;

      while (i < n && (c == n_classes - 1 || sorted[i] <= breaks[c + 1]))
        mean += sorted[i++];
      counts[c] = (guint) (i - begin);
      if (i == begin)
        continue;
      mean /= (double) (i - begin);
      for (gsize j = begin; j < i; j++)
        ss += (sorted[j] - mean) * (sorted[j] - mean);
      *within_ss += ss;
    }
}

/**
 * tw_classify:
 * @values: (array length=n_values): the values; NaN is "no value" and is skipped
 * @n_values: how many
 * @method: the classification method
 * @n_classes: K, the number of classes wanted, 3..9 (ignored for %TW_CLASSIFY_MANUAL)
 * @manual_breaks: (array length=n_manual_breaks) (nullable): for %TW_CLASSIFY_MANUAL,
 *   the K - 1 inner breaks, strictly increasing
 * @n_manual_breaks: how many
 * @error: return location for a #TW_CLASSIFY_ERROR
 *
 * Computes class breaks, counts and the within-class sum of squares; see tw-classify.h
 * for each method's definition and for what happens with fewer distinct values than K.
 *
 * Returns: (transfer full): the classification, or %NULL with @error set
 */
TwClassification *
tw_classify (const double      *values,
             gsize              n_values,
             TwClassifyMethod   method,
             guint              n_classes,
             const double      *manual_breaks,
             gsize              n_manual_breaks,
             GError           **error)
{
  g_autoptr(TwClassification) self = NULL;
  g_autofree double *sorted = NULL;
  double breaks[TW_CLASSIFY_MAX_CLASSES + 1];
  gsize n = 0, n_missing = 0;
  guint k = n_classes;
  double lowest, highest, largest, unit = 1.0;

  g_return_val_if_fail (values != NULL || n_values == 0, NULL);
  g_return_val_if_fail (method <= TW_CLASSIFY_MANUAL, NULL);
  g_return_val_if_fail (manual_breaks != NULL || n_manual_breaks == 0, NULL);
  g_return_val_if_fail (n_values <= G_MAXUINT, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (method == TW_CLASSIFY_MANUAL)
    {
      if (n_manual_breaks < TW_CLASSIFY_MIN_CLASSES - 1
          || n_manual_breaks > TW_CLASSIFY_MAX_CLASSES - 1)
        {
          g_set_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_CLASSES,
                       "Manual classes need %d to %d breaks between classes, not %"
                       G_GSIZE_FORMAT, TW_CLASSIFY_MIN_CLASSES - 1,
                       TW_CLASSIFY_MAX_CLASSES - 1, n_manual_breaks);
          return NULL;
        }
      for (gsize i = 0; i < n_manual_breaks; i++)
        {
          if (!isfinite (manual_breaks[i]))
            {
              g_set_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_BREAKS,
                           "Break %" G_GSIZE_FORMAT " is not a number", i + 1);
              return NULL;
            }
          if (i > 0 && !(manual_breaks[i] > manual_breaks[i - 1]))
            {
              g_set_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_BREAKS,
                           "Breaks must increase: break %" G_GSIZE_FORMAT " (%g) is not "
                           "above break %" G_GSIZE_FORMAT " (%g)",
                           i + 1, manual_breaks[i], i, manual_breaks[i - 1]);
              return NULL;
            }
        }
      k = (guint) n_manual_breaks + 1;
    }
  else if (n_classes < TW_CLASSIFY_MIN_CLASSES || n_classes > TW_CLASSIFY_MAX_CLASSES)
    {
      g_set_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_CLASSES,
                   "The number of classes must be %d to %d, not %u",
                   TW_CLASSIFY_MIN_CLASSES, TW_CLASSIFY_MAX_CLASSES, n_classes);
      return NULL;
    }

  sorted = g_new (double, MAX (n_values, 1));
  for (gsize i = 0; i < n_values; i++)
    {
      if (isnan (values[i]))
        {
          n_missing++;
          continue;
        }
      if (isinf (values[i]))
        {
          g_set_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_VALUE,
                       "Value %" G_GSIZE_FORMAT " is infinite", i + 1);
          return NULL;
        }
      sorted[n++] = values[i];
    }
  if (n == 0)
    {
      g_set_error_literal (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_NO_VALUES,
                           "There are no values to classify");
      return NULL;
    }
  sort_doubles (sorted, n);

  /* Sums of squares overflow past 1e154 (a rate over a population of 1e-300): far from 1,
   * the values are classed in the power of two nearest their largest size, which moves no
   * break and no count — unless a value would fall below the normal doubles there. Manual
   * breaks are the user's, in the values' own unit. */
  lowest = sorted[0];
  highest = sorted[n - 1];
  largest = MAX (fabs (lowest), fabs (highest));
  if (method != TW_CLASSIFY_MANUAL && largest > 0 && !(largest > 1e-60 && largest < 1e60))
    {
      double smallest = largest;
      int exponent;

      for (gsize i = 0; i < n; i++)
        if (sorted[i] != 0)
          smallest = MIN (smallest, fabs (sorted[i]));
      frexp (largest, &exponent);
      if (ldexp (smallest, -exponent) >= DBL_MIN)
        {
          unit = ldexp (1.0, exponent);
          for (gsize i = 0; i < n; i++)
            sorted[i] /= unit;
        }
    }

  if (method != TW_CLASSIFY_MANUAL)
    k = (guint) MIN (k, count_distinct (sorted, n));

  switch (method)
    {
    case TW_CLASSIFY_QUANTILE:
      k = quantile_breaks (sorted, n, k, breaks);
      break;
    case TW_CLASSIFY_EQUAL:
      k = equal_breaks (sorted, n, k, breaks);
      break;
    case TW_CLASSIFY_NATURAL:
      k = natural_breaks (sorted, n, k, breaks);
      break;
    case TW_CLASSIFY_STDDEV:
      k = stddev_breaks (sorted, n, k, breaks);
      break;
    case TW_CLASSIFY_MANUAL:
      k = manual_breaks_fill (sorted, n, manual_breaks, n_manual_breaks, breaks);
      break;
    default:
      g_assert_not_reached ();
    }

  self = g_new0 (TwClassification, 1);
  self->method = method;
  self->n_classes = k;
  self->breaks = g_memdup2 (breaks, (k + 1) * sizeof (double));
  self->counts = g_new0 (guint, k);
  self->n_values = (guint) n;
  self->n_missing = (guint) n_missing;
  summarise_sorted (sorted, n, self->breaks, k, self->counts, &self->within_ss);
  if (unit != 1.0)
    {
      for (guint c = 0; c <= k; c++)
        self->breaks[c] *= unit;
      self->breaks[0] = lowest;
      self->breaks[k] = highest;
      self->within_ss *= unit * unit;
    }

  return g_steal_pointer (&self);
}

TwClassification *
tw_classification_copy (const TwClassification *self)
{
  TwClassification *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->breaks = g_memdup2 (self->breaks, (self->n_classes + 1) * sizeof (double));
  copy->counts = g_memdup2 (self->counts, self->n_classes * sizeof (guint));
  return copy;
}

void
tw_classification_free (TwClassification *self)
{
  if (self == NULL)
    return;
  g_free (self->breaks);
  g_free (self->counts);
  g_free (self);
}

/**
 * tw_classify_find_class:
 * @breaks: (array): @n_classes + 1 breaks, lowest first
 * @n_classes: how many classes
 * @value: a value
 *
 * Returns: the class i with breaks[i] < @value <= breaks[i + 1] (class 0 also holds
 *   breaks[0]), found by binary search; -1 for NaN or a value outside the breaks
 */
int
tw_classify_find_class (const double *breaks,
                        guint         n_classes,
                        double        value)
{
  guint lo = 0, hi;

  g_return_val_if_fail (breaks != NULL, -1);
  g_return_val_if_fail (n_classes > 0, -1);

  if (isnan (value) || value < breaks[0] || value > breaks[n_classes])
    return -1;

  hi = n_classes - 1;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (value <= breaks[mid + 1])
        hi = mid;
      else
        lo = mid + 1;
    }
  return (int) lo;
}

/**
 * tw_classification_class_of:
 * @self: a classification
 * @value: a value
 *
 * Returns: the class of @value, or -1 for NaN or a value outside the breaks
 */
int
tw_classification_class_of (const TwClassification *self,
                            double                  value)
{
  g_return_val_if_fail (self != NULL, -1);

  return tw_classify_find_class (self->breaks, self->n_classes, value);
}

/**
 * tw_classify_within_ss:
 * @values: (array length=n_values): values, NaN skipped
 * @n_values: how many
 * @breaks: (array): @n_classes + 1 breaks
 * @n_classes: how many classes
 *
 * The within-class sum of squares of @values under @breaks: the sum over classes of
 * the squared deviations of the values from their class mean. Values outside the
 * breaks are left out.
 *
 * Returns: the sum of squares
 */
double
tw_classify_within_ss (const double *values,
                       gsize         n_values,
                       const double *breaks,
                       guint         n_classes)
{
  double sum[TW_CLASSIFY_MAX_CLASSES] = { 0 };
  double ss[TW_CLASSIFY_MAX_CLASSES] = { 0 };
  gsize count[TW_CLASSIFY_MAX_CLASSES] = { 0 };
  double total = 0;

  g_return_val_if_fail (values != NULL || n_values == 0, NAN);
  g_return_val_if_fail (breaks != NULL, NAN);
  g_return_val_if_fail (n_classes > 0 && n_classes <= TW_CLASSIFY_MAX_CLASSES, NAN);

  for (gsize i = 0; i < n_values; i++)
    {
      int c = tw_classify_find_class (breaks, n_classes, values[i]);

      if (c >= 0)
        {
          sum[c] += values[i];
          count[c]++;
        }
    }
  for (guint c = 0; c < n_classes; c++)
    if (count[c] > 0)
      sum[c] /= (double) count[c];
  for (gsize i = 0; i < n_values; i++)
    {
      int c = tw_classify_find_class (breaks, n_classes, values[i]);

      if (c >= 0)
        ss[c] += (values[i] - sum[c]) * (values[i] - sum[c]);
    }
  for (guint c = 0; c < n_classes; c++)
    total += ss[c];
  return total;
}

const char *
tw_classify_method_to_string (TwClassifyMethod method)
{
  g_return_val_if_fail (method <= TW_CLASSIFY_MANUAL, NULL);

  return method_names[method];
}

/**
 * tw_classify_method_from_string:
 * @name: "quantile", "equal", "natural", "stddev" or "manual" (any case)
 * @method: (out): the method
 * @error: return location for %TW_CLASSIFY_ERROR_METHOD
 *
 * Returns: %TRUE when @name names a method
 */
gboolean
tw_classify_method_from_string (const char        *name,
                                TwClassifyMethod  *method,
                                GError           **error)
{
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (method != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (method_names); i++)
    {
      if (g_ascii_strcasecmp (name, method_names[i]) == 0)
        {
          *method = (TwClassifyMethod) i;
          return TRUE;
        }
    }
  g_set_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_METHOD,
               "Unknown classification method “%s”: use quantile, equal, natural, stddev "
               "or manual", name);
  return FALSE;
}
