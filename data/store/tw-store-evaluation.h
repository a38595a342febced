/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-store.h"

G_BEGIN_DECLS

/* What an evaluation of a partner project reads besides its outcomes and its areas' GEOIDs
 * (tw-store-catalog.h): which areas are its targets and how many areas its geography has. */

/* The area ids (gint64) of the target areas of project @project_id, in no set order. */
GArray       *tw_store_list_target_area_ids (TwStore     *self,
                                             gint64       project_id,
                                             GError     **error);

/* How many areas @geography_id holds, or -1 with @error. */
gint64        tw_store_count_areas          (TwStore     *self,
                                             gint64       geography_id,
                                             GError     **error);

G_END_DECLS
