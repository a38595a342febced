/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-area-layer.h"
#include "tw-choropleth.h"

G_BEGIN_DECLS

/* A count or population as the table and the details card show it: whole numbers grouped
 * by the locale ("12,345"), others with one decimal, "—" for NAN. */
char      *tw_areas_table_format_figure (double value);

/* The table's rows (TwAreaRow *) for @choropleth, in the table's first order (rows with a
 * rate first, the highest first). Safe in a worker thread. */
GPtrArray *tw_areas_table_make_rows (TwChoropleth *choropleth,
                                     TwAreaLayer  *layer,
                                     GCancellable *cancellable);

G_END_DECLS
