/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-document.h"
#include "tw-store-origin.h"

G_BEGIN_DECLS

/* Reads how the areas of @geography came out of a crosswalk, with their cell of @measure,
 * @period and @group: a GEOID → TwAreaOrigin table, empty when none did. */
void        tw_area_origins_load_async  (TwDocument          *document,
                                         const char          *geography,
                                         const char          *measure,
                                         const char          *period,
                                         const char          *group,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
GHashTable *tw_area_origins_load_finish (TwDocument          *document,
                                         GAsyncResult        *result,
                                         GError             **error);

/* The details card's line for @origin: "Split from an area of “Boston 2010”: 40% of its
 * count from areas shared with others"; the share only when @with_share (a figure shown,
 * not hidden). */
char       *tw_area_origin_describe     (const TwAreaOrigin  *origin,
                                         gboolean             with_share);

/* The table's badge for @origin: "Split", "Merged", "Recoded", "Unchanged"; with the share
 * of its count from shared areas when @with_share and there is one ("Split · 40%"). */
char       *tw_area_origin_badge        (const TwAreaOrigin  *origin,
                                         gboolean             with_share);

G_END_DECLS
