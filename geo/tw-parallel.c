/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-parallel"

#include "config.h"

#include "tw-parallel.h"

typedef struct
{
  TwParallelFunc func;
  gpointer       user_data;
  gsize          n_items;
  gsize          chunk;
  gsize          n_chunks;
  gsize          next;     /* the next chunk to take, atomic */
} Loop;

typedef struct
{
  Loop  *loop;
  guint  worker;
} Worker;

static gpointer
run_worker (gpointer data)
{
  Worker *w = data;
  Loop *loop = w->loop;

  for (;;)
    {
      gsize c = (gsize) g_atomic_pointer_add (&loop->next, 1);
      gsize begin = c * loop->chunk;

      if (c >= loop->n_chunks)
        return NULL;
      loop->func (loop->user_data, w->worker, begin,
                  begin + MIN (loop->chunk, loop->n_items - begin));
    }
}

guint
tw_parallel_threads (guint n_threads)
{
  return n_threads == 0 ? MAX (1, g_get_num_processors ()) : n_threads;
}

void
tw_parallel_for (gsize          n_items,
                 gsize          chunk,
                 guint          n_threads,
                 TwParallelFunc func,
                 gpointer       user_data)
{
  Loop loop = { func, user_data, n_items, MAX (chunk, 1), 0, 0 };
  g_autofree Worker *workers = NULL;
  g_autofree GThread **threads = NULL;

  g_return_if_fail (func != NULL);

  if (n_items == 0)
    return;
  loop.n_chunks = (n_items - 1) / loop.chunk + 1;
  n_threads = (guint) MIN (tw_parallel_threads (n_threads), loop.n_chunks);

  workers = g_new (Worker, n_threads);
  threads = g_new0 (GThread *, n_threads);
  for (guint t = 0; t < n_threads; t++)
    {
      workers[t].loop = &loop;
      workers[t].worker = t;
    }
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("tw-parallel", run_worker, &workers[t]);
  run_worker (&workers[0]);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);
}

gsize
tw_parallel_partition_offsets (gsize *counts,
                               gsize  n_chunks,
                               gsize  n_parts,
                               gsize *part_start)
{
  gsize total = 0, largest = 0;

  g_return_val_if_fail (counts != NULL || n_chunks * n_parts == 0, 0);
  g_return_val_if_fail (part_start != NULL, 0);

  for (gsize p = 0; p < n_parts; p++)
    {
      part_start[p] = total;
      for (gsize c = 0; c < n_chunks; c++)
        {
          gsize k = counts[c * n_parts + p];

          counts[c * n_parts + p] = total;
          total += k;
        }
      largest = MAX (largest, total - part_start[p]);
    }
  part_start[n_parts] = total;
  return largest;
}
