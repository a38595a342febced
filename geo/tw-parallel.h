/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The one worker pool of geo/: a loop over items 0 … n − 1 split into chunks that threads
 * take in turn, the calling thread among them, and joined before it returns.
 *
 * Each call to @func gets one chunk, [begin, end), and the number of the worker running it,
 * below the thread count, so that a caller can give each worker scratch of its own. A
 * worker runs one chunk at a time; which worker gets which chunk is not fixed, so results
 * must not depend on it. */

typedef void (*TwParallelFunc) (gpointer user_data,
                                guint    worker,
                                gsize    begin,
                                gsize    end);

/* @n_threads, or the number of processors when it is 0. */
guint tw_parallel_threads (guint n_threads);

/* Calls @func over chunks of @chunk items (the last may be shorter; 0 counts as 1) on up to
 * @n_threads threads (0: the number of processors), no more threads than chunks. */
void  tw_parallel_for     (gsize          n_items,
                           gsize          chunk,
                           guint          n_threads,
                           TwParallelFunc func,
                           gpointer       user_data);

/* For a partition of items into @n_parts parts done in chunks, each chunk counting then
 * writing its own items: turns @counts (n_parts a chunk, chunk after chunk: how many items
 * of each part the chunk has) into where the chunk writes its first item of each part, so
 * that the items come part by part and, within a part, chunk by chunk. @part_start
 * (n_parts + 1) gets where each part begins, then the total. Returns the largest part. */
gsize tw_parallel_partition_offsets (gsize *counts,
                                     gsize  n_chunks,
                                     gsize  n_parts,
                                     gsize *part_start);

G_END_DECLS
