/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-parallel"

#include "config.h"

#include "tw-parallel.h"

/* What the chunks of one loop did, written from every worker. */
typedef struct
{
  gsize    n_items;
  gsize    chunk;
  guint    n_threads;
  gint    *visits;      /* a count an item */
  guint64 *values;      /* f (i) an item */
  guint64 *sums;        /* a worker's sum of f (i) */
  gint     calls;
  gint     bad_calls;   /* an empty, overlong, misaligned or out-of-range chunk */
} Loop;

static guint64
item_value (gsize i)
{
  guint64 x = (guint64) i * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

  return x ^ (x >> 29);
}

static void
visit (gpointer user_data,
       guint    worker,
       gsize    begin,
       gsize    end)
{
  Loop *loop = user_data;

  g_atomic_int_inc (&loop->calls);
  if (begin >= end || end > loop->n_items || end - begin > MAX (loop->chunk, 1)
      || begin % MAX (loop->chunk, 1) != 0 || worker >= loop->n_threads)
    {
      g_atomic_int_inc (&loop->bad_calls);
      return;
    }
  for (gsize i = begin; i < end; i++)
    {
      g_atomic_int_inc (&loop->visits[i]);
      loop->values[i] = item_value (i);
      loop->sums[worker] += item_value (i);
    }
}

/* Every item is visited once, in chunks of the size asked for, and what the workers computed
 * equals the serial loop's, for sizes around the chunk and thread counts. */
static void
test_every_item_once (void)
{
  const gsize sizes[] = { 0, 1, 2, 3, 7, 63, 64, 65, 1000, 4097, 100003 };
  const gsize chunks[] = { 0, 1, 2, 3, 16, 64, 1000, G_MAXSIZE };
  const guint threads[] = { 1, 2, 3, 4, 8, 0 };

  for (guint a = 0; a < G_N_ELEMENTS (sizes); a++)
    for (guint b = 0; b < G_N_ELEMENTS (chunks); b++)
      for (guint c = 0; c < G_N_ELEMENTS (threads); c++)
        {
          gsize n = sizes[a], chunk = MAX (chunks[b], 1);
          guint n_threads = tw_parallel_threads (threads[c]);
          g_autofree gint *visits = g_new0 (gint, MAX (n, 1));
          g_autofree guint64 *values = g_new0 (guint64, MAX (n, 1));
          g_autofree guint64 *sums = g_new0 (guint64, n_threads);
          Loop loop = { n, chunks[b], n_threads, visits, values, sums, 0, 0 };
          guint64 serial_sum = 0, parallel_sum = 0;

          tw_parallel_for (n, chunks[b], threads[c], visit, &loop);

          g_assert_cmpint (loop.bad_calls, ==, 0);
          g_assert_cmpuint ((gsize) loop.calls, ==, n == 0 ? 0 : (n - 1) / chunk + 1);
          for (gsize i = 0; i < n; i++)
            {
              g_assert_cmpint (visits[i], ==, 1);
              g_assert_cmpuint (values[i], ==, item_value (i));
              serial_sum += item_value (i);
            }
          for (guint t = 0; t < n_threads; t++)
            parallel_sum += sums[t];
          g_assert_cmpuint (parallel_sum, ==, serial_sum);
        }
}

/* Two chunks on two threads: each waits for the other to start, which only a loop that
 * really runs them at once gets past. */
typedef struct
{
  gint  started;
  gint  met;
  guint workers_seen;   /* a bit a worker */
} Meeting;

static void
wait_for_the_other (gpointer user_data,
                    guint    worker,
                    gsize    begin,
                    gsize    end)
{
  Meeting *m = user_data;
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  g_atomic_int_or (&m->workers_seen, 1u << MIN (worker, 31));
  g_atomic_int_inc (&m->started);
  while (g_atomic_int_get (&m->started) < 2 && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  if (g_atomic_int_get (&m->started) == 2)
    g_atomic_int_inc (&m->met);
}

static void
test_runs_at_once (void)
{
  Meeting m = { 0, 0, 0 };

  tw_parallel_for (2, 1, 2, wait_for_the_other, &m);
  g_assert_cmpint (m.started, ==, 2);
  g_assert_cmpint (m.met, ==, 2);
  g_assert_cmpuint (m.workers_seen, ==, 0x3);
}

/* No more workers than chunks, so that scratch a worker is never wasted on idle threads. */
static void
record_worker (gpointer user_data,
               guint    worker,
               gsize    begin,
               gsize    end)
{
  g_atomic_int_or ((guint *) user_data, 1u << MIN (worker, 31));
}

static void
test_no_more_threads_than_chunks (void)
{
  guint seen = 0;

  tw_parallel_for (3, 1, 16, record_worker, &seen);
  g_assert_cmpuint (seen, !=, 0);
  g_assert_cmpuint (seen & ~0x7u, ==, 0);

  seen = 0;
  /* one chunk: the calling thread alone */
  tw_parallel_for (100, 100, 16, record_worker, &seen);
  g_assert_cmpuint (seen, ==, 0x1);

  g_assert_cmpuint (tw_parallel_threads (5), ==, 5);
  g_assert_cmpuint (tw_parallel_threads (0), ==, MAX (1, g_get_num_processors ()));
}

/* A partition done the way the weights and outlines do it: chunks count their items of each
 * part, the offsets follow, chunks write their items; the result is the serial stable sort by
 * part. */
typedef struct
{
  const guint *part_of;   /* an item */
  gsize        n_items;
  gsize        n_chunks;
  gsize        n_parts;
  gsize       *counts;    /* n_parts a chunk */
  guint32     *out;
} Partition;

/* Chunk @c's counts, or write positions, of each part; its items are [*first, *last). */
static gsize *
chunk_counts (Partition *job,
              gsize      c,
              gsize     *first,
              gsize     *last)
{
  *first = job->n_items * c / job->n_chunks;
  *last = job->n_items * (c + 1) / job->n_chunks;
  return job->counts + c * job->n_parts;
}

static void
count_parts (gpointer user_data,
             guint    worker,
             gsize    begin,
             gsize    end)
{
  Partition *job = user_data;

  for (gsize c = begin, first, last; c < end; c++)
    {
      gsize *count = chunk_counts (job, c, &first, &last);

      for (gsize i = first; i < last; i++)
        count[job->part_of[i]]++;
    }
}

static void
write_parts (gpointer user_data,
             guint    worker,
             gsize    begin,
             gsize    end)
{
  Partition *job = user_data;

  for (gsize c = begin, first, last; c < end; c++)
    {
      gsize *at = chunk_counts (job, c, &first, &last);

      for (gsize i = first; i < last; i++)
        job->out[at[job->part_of[i]]++] = (guint32) i;
    }
}

static void
test_partition_offsets (void)
{
  const gsize sizes[] = { 0, 1, 5, 1000, 65537 };
  const gsize parts[] = { 1, 2, 7, 4096 };
  const gsize chunks[] = { 1, 3, 32 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (15);

  for (guint a = 0; a < G_N_ELEMENTS (sizes); a++)
    for (guint b = 0; b < G_N_ELEMENTS (parts); b++)
      for (guint c = 0; c < G_N_ELEMENTS (chunks); c++)
        {
          gsize n = sizes[a], n_parts = parts[b], n_chunks = chunks[c];
          g_autofree guint *part_of = g_new (guint, MAX (n, 1));
          g_autofree gsize *counts = g_new0 (gsize, n_chunks * n_parts);
          g_autofree gsize *part_start = g_new (gsize, n_parts + 1);
          g_autofree guint32 *out = g_new (guint32, MAX (n, 1));
          Partition job = { part_of, n, n_chunks, n_parts, counts, out };
          gsize largest, serial_largest = 0, at = 0;

          for (gsize i = 0; i < n; i++)
            part_of[i] = (guint) g_rand_int_range (rand, 0, (gint32) n_parts);
          tw_parallel_for (n_chunks, 1, 4, count_parts, &job);
          largest = tw_parallel_partition_offsets (counts, n_chunks, n_parts, part_start);
          tw_parallel_for (n_chunks, 1, 4, write_parts, &job);

          for (guint p = 0; p < n_parts; p++)
            {
              gsize size = 0;

              g_assert_cmpuint (part_start[p], ==, at);
              for (gsize i = 0; i < n; i++)
                if (part_of[i] == p)
                  {
                    g_assert_cmpuint (out[at++], ==, i);
                    size++;
                  }
              serial_largest = MAX (serial_largest, size);
            }
          g_assert_cmpuint (part_start[n_parts], ==, n);
          g_assert_cmpuint (largest, ==, serial_largest);
        }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/geo/parallel/every-item-once", test_every_item_once);
  g_test_add_func ("/geo/parallel/runs-at-once", test_runs_at_once);
  g_test_add_func ("/geo/parallel/no-more-threads-than-chunks",
                   test_no_more_threads_than_chunks);
  g_test_add_func ("/geo/parallel/partition-offsets", test_partition_offsets);

  return g_test_run ();
}
