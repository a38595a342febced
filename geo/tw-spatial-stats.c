/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-spatial-stats"

#include <math.h>
#include <string.h>

#include "tw-parallel.h"
#include "tw-spatial-stats.h"
#include "tw-stats-dist.h"

G_DEFINE_QUARK (tw-spatial-stats-error-quark, tw_spatial_stats_error)

const char *
tw_lisa_cluster_to_string (TwLisaCluster cluster)
{
  switch (cluster)
    {
    case TW_LISA_HIGH_HIGH:
      return "high-high";
    case TW_LISA_LOW_LOW:
      return "low-low";
    case TW_LISA_HIGH_LOW:
      return "high-low";
    case TW_LISA_LOW_HIGH:
      return "low-high";
    case TW_LISA_NOT_SIGNIFICANT:
    default:
      return "not significant";
    }
}

/* ---- random streams: xoshiro256** seeded through splitmix64 ---------------------------- */

typedef struct
{
  guint64 s[4];
  guint32 spare;       /* the low half of the last output, not used yet */
  gboolean has_spare;
} Rng;

static inline guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += 0x9e3779b97f4a7c15ull);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static void
rng_init (Rng     *rng,
          guint64  seed,
          guint64  stream,
          guint64  salt)
{
  guint64 state = seed ^ (salt * 0xd1b54a32d192ed03ull);

  state = splitmix64 (&state) ^ stream;
  for (guint i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&state);
  rng->has_spare = FALSE;
}

static inline guint64
rotl (guint64 x,
      int     k)
{
  return (x << k) | (x >> (64 - k));
}

static inline guint64
rng_next (Rng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* 32 random bits: both halves of each 64-bit output are used */
static inline guint32
rng_next32 (Rng *rng)
{
  guint64 x;

  if (rng->has_spare)
    {
      rng->has_spare = FALSE;
      return rng->spare;
    }
  x = rng_next (rng);
  rng->spare = (guint32) x;
  rng->has_spare = TRUE;
  return (guint32) (x >> 32);
}

/* uniform in [0, bound) without bias (Lemire's multiply and reject) */
static inline guint32
rng_below (Rng     *rng,
           guint32  bound)
{
  guint64 m = (guint64) rng_next32 (rng) * bound;
  guint32 low = (guint32) m;

  if (low < bound)
    {
      guint32 threshold = -bound % bound;

      while (low < threshold)
        {
          m = (guint64) rng_next32 (rng) * bound;
          low = (guint32) m;
        }
    }
  return (guint32) (m >> 32);
}

/* ---- helpers ------------------------------------------------------------------------- */

static gboolean
check_values (const TwWeights *weights,
              const double    *values,
              guint            minimum,
              GError         **error)
{
  guint n = tw_weights_get_n_areas (weights);

  if (n < minimum)
    {
      g_set_error (error, TW_SPATIAL_STATS_ERROR, TW_SPATIAL_STATS_ERROR_INVALID,
                   "%u areas with neighbours and a value; at least %u are needed", n, minimum);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (!isfinite (values[i]))
      {
        g_set_error (error, TW_SPATIAL_STATS_ERROR, TW_SPATIAL_STATS_ERROR_INVALID,
                     "area %u has no finite value", i);
        return FALSE;
      }
  return TRUE;
}

/* The statistics are ratios of sums of squares and fourth powers of the values, which
 * overflow past about 1e77 (a rate over a population of 1e-300) and underflow below
 * 1e-77. Far from 1 the values are divided by the power of two nearest their largest
 * size: that changes no digit of a ratio, and values in between are left as they are. */
static double
value_unit (const double *values,
            guint         n)
{
  double largest = 0;
  int exponent;

  for (guint i = 0; i < n; i++)
    largest = MAX (largest, fabs (values[i]));
  if (largest == 0 || (largest > 1e-60 && largest < 1e60))
    return 1.0;
  frexp (largest, &exponent);
  return ldexp (1.0, exponent);
}

/* The values in @unit minus their mean. */
static double *
centre (const double *values,
        guint         n,
        double        unit,
        double       *sum_squares)
{
  double *z = g_new (double, MAX (n, 1));
  double mean = 0, ss = 0;

  for (guint i = 0; i < n; i++)
    mean += values[i] / unit;
  mean /= n;
  for (guint i = 0; i < n; i++)
    {
      z[i] = values[i] / unit - mean;
      ss += z[i] * z[i];
    }
  *sum_squares = ss;
  return z;
}

static inline double
lag_of (const TwWeights *weights,
        const double    *z,
        guint            i)
{
  guint k;
  const guint *nb = tw_weights_get_neighbours (weights, i, &k);
  const double *w = tw_weights_get_row (weights, i, NULL);
  double lag = 0;

  for (guint j = 0; j < k; j++)
    lag += w[j] * z[nb[j]];
  return lag;
}

static double
weight_of (const TwWeights *weights,
           guint            i,
           guint            j)
{
  guint k;
  const guint *nb = tw_weights_get_neighbours (weights, i, &k);
  guint lo = 0, hi = k;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (nb[mid] < j)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < k && nb[lo] == j ? tw_weights_get_row (weights, i, NULL)[lo] : 0;
}

/* ---- global Moran -------------------------------------------------------------------- */

typedef struct
{
  const TwWeights *weights;
  const double    *z;
  guint            n;
  guint64          seed;
  const guint     *offsets;
  const guint     *nb;
  const double    *w;
  double           observed;   /* Σ z_i lag_i */
  double          *scratch;    /* n a worker */
  gint            *greater;    /* a worker: permutations with a sum ≥ the observed */
} GlobalJob;

static void
global_permutations (gpointer data,
                     guint    worker,
                     gsize    begin,
                     gsize    end)
{
  GlobalJob *job = data;
  double *zp = job->scratch + (gsize) worker * job->n;

  for (gsize p = begin; p < end; p++)
    {
      Rng rng;
      double sum = 0;

      /* each permutation shuffles the same starting order: its stream alone decides it */
      memcpy (zp, job->z, job->n * sizeof (double));
      rng_init (&rng, job->seed, p, 1);
      for (guint i = job->n - 1; i > 0; i--)
        {
          guint j = rng_below (&rng, i + 1);
          double t = zp[i];

          zp[i] = zp[j];
          zp[j] = t;
        }
      for (guint i = 0; i < job->n; i++)
        {
          double lag = 0;

          for (guint l = job->offsets[i]; l < job->offsets[i + 1]; l++)
            lag += job->w[l] * zp[job->nb[l]];
          sum += zp[i] * lag;
        }
      if (sum >= job->observed)
        job->greater[worker]++;
    }
}

gboolean
tw_moran_global (const TwWeights *weights,
                 const double    *values,
                 guint            permutations,
                 guint64          seed,
                 guint            n_threads,
                 TwMoranGlobal   *result,
                 GError         **error)
{
  guint n_all, n;
  g_autofree double *z = NULL;
  g_autofree double *row_sum = NULL;
  g_autofree double *col_sum = NULL;
  double zz, z4 = 0, cross = 0, s0 = 0, s1 = 0, s2 = 0, k, nn, vi, tmp;

  g_return_val_if_fail (weights != NULL && values != NULL && result != NULL, FALSE);

  if (!check_values (weights, values, 4, error))
    return FALSE;
  n_all = tw_weights_get_n_areas (weights);
  {
    g_autoptr(GArray) islands = tw_weights_get_islands (weights);

    n = n_all - islands->len;   /* spdep's adjust.n */
  }
  if (n < 4)
    {
      g_set_error (error, TW_SPATIAL_STATS_ERROR, TW_SPATIAL_STATS_ERROR_INVALID,
                   "%u areas have neighbours; Moran's I needs at least 4", n);
      return FALSE;
    }

  z = centre (values, n_all, value_unit (values, n_all), &zz);
  if (!(zz > 0))
    {
      g_set_error (error, TW_SPATIAL_STATS_ERROR, TW_SPATIAL_STATS_ERROR_INVALID,
                   "every area has the same value: Moran's I is undefined");
      return FALSE;
    }
  row_sum = g_new0 (double, n_all);
  col_sum = g_new0 (double, n_all);
  for (guint i = 0; i < n_all; i++)
    {
      guint m;
      const guint *nb = tw_weights_get_neighbours (weights, i, &m);
      const double *w = tw_weights_get_row (weights, i, NULL);

      z4 += z[i] * z[i] * z[i] * z[i];
      cross += z[i] * lag_of (weights, z, i);
      for (guint j = 0; j < m; j++)
        {
          row_sum[i] += w[j];
          col_sum[nb[j]] += w[j];
          s1 += w[j] * w[j] + w[j] * weight_of (weights, nb[j], i);
        }
    }
  for (guint i = 0; i < n_all; i++)
    {
      s0 += row_sum[i];
      s2 += (row_sum[i] + col_sum[i]) * (row_sum[i] + col_sum[i]);
    }

  nn = (double) n * n;
  k = n_all * z4 / (zz * zz);
  result->i = (n / s0) * cross / zz;
  result->expectation = -1.0 / (n - 1);
  vi = n * (s1 * (nn - 3.0 * n + 3) - n * s2 + 3 * s0 * s0);
  tmp = k * (s1 * (nn - n) - 2.0 * n * s2 + 6 * s0 * s0);
  result->variance = (vi - tmp) / ((n - 1.0) * (n - 2.0) * (n - 3.0) * s0 * s0)
                     - result->expectation * result->expectation;
  result->z = (result->i - result->expectation) / sqrt (result->variance);
  result->p_analytic = tw_stats_normal_cdf (-result->z);
  result->permutations = permutations;
  result->p_permutation = NAN;

  if (permutations > 0)
    {
      GlobalJob job = { weights, z, n_all, seed, NULL, NULL, NULL, cross, NULL, NULL };
      guint greater = 0;

      n_threads = tw_parallel_threads (n_threads);
      tw_weights_get_rows (weights, &job.offsets, &job.nb, &job.w);
      job.scratch = g_new (double, (gsize) n_all * n_threads);
      job.greater = g_new0 (gint, n_threads);
      tw_parallel_for (permutations, 8, n_threads, global_permutations, &job);
      for (guint t = 0; t < n_threads; t++)
        greater += job.greater[t];
      result->p_permutation = (greater + 1.0) / (permutations + 1.0);
      g_free (job.scratch);
      g_free (job.greater);
    }
  return TRUE;
}

/* ---- local Moran --------------------------------------------------------------------- */

typedef struct
{
  const TwWeights *weights;
  const double    *z;
  guint            n;
  guint            permutations;
  guint64          seed;
  TwMoranLocal    *results;
  guint          **pools;   /* a worker: 0 … n − 1, for large neighbourhoods */
} LocalJob;

/* Draws @k distinct areas other than @self into @out. */
static void
draw_others (Rng     *rng,
             guint    n,
             guint    self,
             guint    k,
             guint   *pool,
             guint   *swaps,
             guint   *out)
{
  if (k <= 48 && k * 4 <= n)
    {
      for (guint t = 0; t < k; t++)
        {
          guint r;
          gboolean again;

          do
            {
              r = rng_below (rng, n - 1);
              r += r >= self;
              again = FALSE;
              for (guint u = 0; u < t; u++)
                if (out[u] == r)
                  {
                    again = TRUE;
                    break;
                  }
            }
          while (again);
          out[t] = r;
        }
      return;
    }

  /* a partial Fisher–Yates over the others, undone afterwards */
  pool[self] = n - 1;
  pool[n - 1] = self;
  for (guint t = 0; t < k; t++)
    {
      guint r = t + rng_below (rng, n - 1 - t);
      guint v = pool[t];

      pool[t] = pool[r];
      pool[r] = v;
      swaps[t] = r;
      out[t] = pool[t];
    }
  for (guint t = k; t-- > 0;)
    {
      guint r = swaps[t];
      guint v = pool[t];

      pool[t] = pool[r];
      pool[r] = v;
    }
  pool[n - 1] = n - 1;
  pool[self] = self;
}

static void
local_permutations (gpointer data,
                    guint    worker,
                    gsize    begin,
                    gsize    end)
{
  LocalJob *job = data;
  guint *pool = job->pools[worker];
  g_autofree guint *drawn = NULL;
  g_autofree guint *swaps = NULL;
  guint capacity = 0;

  for (gsize i = begin; i < end; i++)
    {
      guint k;
      const double *w = tw_weights_get_row (job->weights, i, &k);
      TwMoranLocal *r = &job->results[i];
      guint ge = 0, le = 0;
      Rng rng;

      if (k == 0 || k >= job->n)
        continue;
      if (k > capacity)
        {
          capacity = k;
          drawn = g_renew (guint, drawn, capacity);
          swaps = g_renew (guint, swaps, capacity);
        }
      rng_init (&rng, job->seed, i, 2);
      for (guint p = 0; p < job->permutations; p++)
        {
          double lag = 0;

          draw_others (&rng, job->n, i, k, pool, swaps, drawn);
          for (guint j = 0; j < k; j++)
            lag += w[j] * job->z[drawn[j]];
          /* I_perm = z_i / m2 × lag compares with I_i as lag does with the lag, by the
           * sign of z_i */
          if (r->centred > 0)
            {
              ge += lag >= r->lag;
              le += lag <= r->lag;
            }
          else if (r->centred < 0)
            {
              ge += lag <= r->lag;
              le += lag >= r->lag;
            }
          else
            {
              ge++;
              le++;
            }
        }
      r->p_permutation = (MIN (ge, le) + 1.0) / (job->permutations + 1.0);
    }
}

gboolean
tw_moran_local (const TwWeights *weights,
                const double    *values,
                guint            permutations,
                guint64          seed,
                guint            n_threads,
                TwMoranLocal    *results,
                GError         **error)
{
  guint n;
  g_autofree double *z = NULL;
  double zz, m2, unit;

  g_return_val_if_fail (weights != NULL && values != NULL && results != NULL, FALSE);

  if (!check_values (weights, values, 3, error))
    return FALSE;
  n = tw_weights_get_n_areas (weights);
  unit = value_unit (values, n);
  z = centre (values, n, unit, &zz);
  m2 = zz / n;
  if (!(m2 > 0))
    {
      g_set_error (error, TW_SPATIAL_STATS_ERROR, TW_SPATIAL_STATS_ERROR_INVALID,
                   "every area has the same value: local Moran is undefined");
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      guint k;
      const double *w = tw_weights_get_row (weights, i, &k);
      TwMoranLocal *r = &results[i];
      double wi = 0, wi2 = 0;

      for (guint j = 0; j < k; j++)
        {
          wi += w[j];
          wi2 += w[j] * w[j];
        }
      r->centred = z[i];
      r->lag = lag_of (weights, z, i);
      r->i = z[i] / m2 * r->lag;
      r->expectation = -(z[i] * z[i] * wi) / ((n - 1.0) * m2);
      r->variance = (z[i] / m2) * (z[i] / m2) * (n / (n - 2.0))
                    * (wi2 - wi * wi / (n - 1.0)) * (m2 - z[i] * z[i] / (n - 1.0));
      r->z = r->variance > 0 ? (r->i - r->expectation) / sqrt (r->variance) : NAN;
      r->p_analytic = isnan (r->z) ? NAN : 2 * tw_stats_normal_cdf (-fabs (r->z));
      r->p_permutation = NAN;
    }

  if (permutations > 0)
    {
      LocalJob job = { weights, z, n, permutations, seed, results, NULL };

      n_threads = tw_parallel_threads (n_threads);
      job.pools = g_new0 (guint *, n_threads);
      for (guint t = 0; t < n_threads; t++)
        {
          job.pools[t] = g_new (guint, n);
          for (guint i = 0; i < n; i++)
            job.pools[t][i] = i;
        }
      tw_parallel_for (n, 64, n_threads, local_permutations, &job);
      for (guint t = 0; t < n_threads; t++)
        g_free (job.pools[t]);
      g_free (job.pools);
    }
  /* Back to the values' own unit (the permutations compared lags in the scaled one). */
  for (guint i = 0; i < n && unit != 1.0; i++)
    {
      results[i].centred *= unit;
      results[i].lag *= unit;
    }
  return TRUE;
}

TwLisaCluster
tw_lisa_classify (const TwMoranLocal *local,
                  double              p,
                  double              alpha)
{
  g_return_val_if_fail (local != NULL, TW_LISA_NOT_SIGNIFICANT);

  if (isnan (p) || p > alpha || isnan (local->z))
    return TW_LISA_NOT_SIGNIFICANT;
  if (local->centred > 0)
    return local->lag > 0 ? TW_LISA_HIGH_HIGH : TW_LISA_HIGH_LOW;
  if (local->centred < 0)
    return local->lag < 0 ? TW_LISA_LOW_LOW : TW_LISA_LOW_HIGH;
  return TW_LISA_NOT_SIGNIFICANT;
}

/* ---- Getis–Ord Gi* ------------------------------------------------------------------- */

gboolean
tw_getis_ord_gstar (const TwWeights *weights,
                    const double    *values,
                    double          *z,
                    double          *p,
                    GError         **error)
{
  guint n;
  double mean = 0, ss = 0, si2, unit;

  g_return_val_if_fail (weights != NULL && values != NULL && z != NULL, FALSE);

  if (!check_values (weights, values, 3, error))
    return FALSE;
  n = tw_weights_get_n_areas (weights);
  unit = value_unit (values, n);
  for (guint i = 0; i < n; i++)
    mean += values[i] / unit;
  mean /= n;
  for (guint i = 0; i < n; i++)
    ss += (values[i] / unit - mean) * (values[i] / unit - mean);
  si2 = ss / n;

  for (guint i = 0; i < n; i++)
    {
      guint k;
      const guint *nb = tw_weights_get_neighbours (weights, i, &k);
      double sum = values[i] / unit, wi = k + 1.0, vg;

      for (guint j = 0; j < k; j++)
        sum += values[nb[j]] / unit;
      vg = si2 * (n * wi - wi * wi) / (n - 1.0);
      z[i] = vg > 0 ? (sum - wi * mean) / sqrt (vg) : NAN;
      if (p != NULL)
        p[i] = isnan (z[i]) ? NAN : 2 * tw_stats_normal_cdf (-fabs (z[i]));
    }
  return TRUE;
}

/* ---- spatial Empirical Bayes --------------------------------------------------------- */

gboolean
tw_rate_eb_local (const TwWeights *weights,
                  const double    *events,
                  const double    *population,
                  double          *estimates,
                  GError         **error)
{
  guint n;
  g_autofree double *m = NULL;
  double sum_events = 0, sum_population = 0;

  g_return_val_if_fail (weights != NULL && events != NULL && population != NULL, FALSE);
  g_return_val_if_fail (estimates != NULL, FALSE);

  n = tw_weights_get_n_areas (weights);
  for (guint i = 0; i < n; i++)
    {
      if (!(population[i] > 0) || !(events[i] >= 0) || !isfinite (events[i])
          || !isfinite (population[i]))
        {
          g_set_error (error, TW_SPATIAL_STATS_ERROR, TW_SPATIAL_STATS_ERROR_INVALID,
                       "spatial Empirical Bayes needs a positive population and a count of "
                       "zero or more in every area (area %u of %u has %g events in %g)",
                       i + 1, n, events[i], population[i]);
          return FALSE;
        }
      sum_events += events[i];
      sum_population += population[i];
    }
  if (!isfinite (sum_events) || !isfinite (sum_population))
    {
      g_set_error (error, TW_SPATIAL_STATS_ERROR, TW_SPATIAL_STATS_ERROR_INVALID,
                   "spatial Empirical Bayes: the counts (%g) or populations (%g) add up to "
                   "more than a number can hold", sum_events, sum_population);
      return FALSE;
    }

  /* the neighbourhood of i is i and its neighbours; spdep's EBlocal (geoda = FALSE) sums
   * n_j (x_j − m_j)² over it, each term with the neighbourhood mean m_j of area j */
  m = g_new (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      guint k;
      const guint *nb = tw_weights_get_neighbours (weights, i, &k);
      double r = events[i], pop = population[i];

      for (guint j = 0; j < k; j++)
        {
          r += events[nb[j]];
          pop += population[nb[j]];
        }
      m[i] = r / pop;
    }
  for (guint i = 0; i < n; i++)
    {
      guint k;
      const guint *nb = tw_weights_get_neighbours (weights, i, &k);
      double pop = population[i], xi = events[i] / population[i], c, a;

      c = population[i] * (xi - m[i]) * (xi - m[i]);
      for (guint j = 0; j < k; j++)
        {
          guint o = nb[j];
          double xo = events[o] / population[o];

          pop += population[o];
          c += population[o] * (xo - m[o]) * (xo - m[o]);
        }
      /* nbar, the mean population of the neighbourhood, is pop / (k + 1) */
      a = c / pop - m[i] / (pop / (k + 1.0));
      if (a < 0)
        a = 0;
      estimates[i] = a > 0 ? m[i] + (xi - m[i]) * (a / (a + m[i] / population[i])) : m[i];
      if (!isfinite (estimates[i]))
        {
          g_set_error (error, TW_SPATIAL_STATS_ERROR, TW_SPATIAL_STATS_ERROR_INVALID,
                       "spatial Empirical Bayes: around area %u of %u (%g events in %g) the "
                       "rates spread too far for their variance to be a number", i + 1, n,
                       events[i], population[i]);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- false discovery rate ------------------------------------------------------------ */

static int
compare_by_p (gconstpointer a,
              gconstpointer b,
              gpointer      data)
{
  const double *p = data;
  guint i = *(const guint *) a, j = *(const guint *) b;

  if (p[i] != p[j])
    return (p[i] > p[j]) - (p[i] < p[j]);
  return (i > j) - (i < j);
}

void
tw_fdr_adjust (const double *p,
               guint         n,
               double       *adjusted)
{
  g_autofree guint *order = g_new (guint, MAX (n, 1));
  guint m = 0;
  double running = 1;

  g_return_if_fail (p != NULL || n == 0);
  g_return_if_fail (adjusted != NULL || n == 0);

  for (guint i = 0; i < n; i++)
    {
      adjusted[i] = NAN;
      if (!isnan (p[i]))
        order[m++] = i;
    }
  g_qsort_with_data (order, m, sizeof (guint), compare_by_p, (gpointer) p);
  for (guint r = m; r-- > 0;)
    {
      double v = p[order[r]] * m / (r + 1.0);

      running = MIN (running, v);
      adjusted[order[r]] = MIN (running, 1.0);
    }
}
