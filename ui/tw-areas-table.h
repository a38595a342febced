/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tw-area-layer.h"
#include "tw-choropleth.h"
#include "tw-map-session.h"

G_BEGIN_DECLS

/* The table of areas beside the map: the figures of the session's choropleth, one row an
 * area, sortable, filtered by a search on name and GEOID. Its selection is the session's. */

#define TW_TYPE_AREAS_TABLE (tw_areas_table_get_type ())

G_DECLARE_FINAL_TYPE (TwAreasTable, tw_areas_table, TW, AREAS_TABLE, GtkBox)

TwMapSession       *tw_areas_table_get_session   (TwAreasTable *self);
void                tw_areas_table_set_session   (TwAreasTable *self,
                                                  TwMapSession *session);
void                tw_areas_table_focus_search  (TwAreasTable *self);
/* For the tests. */
GtkColumnView      *tw_areas_table_get_view      (TwAreasTable *self);
GtkSingleSelection *tw_areas_table_get_selection (TwAreasTable *self);

G_END_DECLS
