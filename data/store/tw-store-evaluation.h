/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-store.h"

G_BEGIN_DECLS

/* What an evaluation of a partner project reads besides its outcomes: which areas are its
 * targets and which areas of its geography it may be compared with. */

/* The area ids (gint64) of the target areas of project @project_id, in no set order. */
GArray       *tw_store_list_target_area_ids (TwStore     *self,
                                             gint64       project_id,
                                             GError     **error);

/* How many areas @geography_id holds, or -1 with @error. */
gint64        tw_store_count_areas          (TwStore     *self,
                                             gint64       geography_id,
                                             GError     **error);

/* The id of the area @geoid of @geography_id; 0 when it has none, -1 with @error when the
 * project cannot be read. */
gint64        tw_store_find_area            (TwStore     *self,
                                             gint64       geography_id,
                                             const char  *geoid,
                                             GError     **error);

G_END_DECLS
