/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <shumate/shumate.h>

#include "tw-map-session.h"

G_BEGIN_DECLS

/* The map of a session: the choropleth's tiles over the offline background (or
 * OpenStreetMap), the highlights of the areas hovered and selected, the legend and the
 * details cards, the pointer, and the spatial analysis panel beside it. */

#define TW_TYPE_MAP_VIEW (tw_map_view_get_type ())

G_DECLARE_FINAL_TYPE (TwMapView, tw_map_view, TW, MAP_VIEW, GtkBox)

TwMapSession     *tw_map_view_get_session      (TwMapView    *self);
void              tw_map_view_set_session      (TwMapView    *self,
                                                TwMapSession *session);
void              tw_map_view_set_osm_basemap  (TwMapView    *self,
                                                gboolean      osm_basemap);
/* A layer drawn between the choropleth and the highlights (a project's footprint). */
void              tw_map_view_set_footprints   (TwMapView    *self,
                                                ShumateLayer *footprints);
ShumateSimpleMap *tw_map_view_get_map          (TwMapView    *self);
/* Shows @area as large as it fits. */
void              tw_map_view_zoom_to_area     (TwMapView    *self,
                                                int           area);
/* Shows the details card again (after the comments on its area changed). */
void              tw_map_view_refresh_details  (TwMapView    *self);

/* What the window tests and the speed checks look at and drive. */
/* TRUE once every tile the map shows has been drawn. */
gboolean          tw_map_view_get_tiles_drawn  (TwMapView    *self);
/* The pointer moving over the map at (@x, @y) in the map's coordinates; clicking there. */
void              tw_map_view_pointer_motion   (TwMapView    *self,
                                                double        x,
                                                double        y);
void              tw_map_view_pointer_click    (TwMapView    *self,
                                                double        x,
                                                double        y);
/* The text of the details pane and of the legend, as a screen reader reads them. */
char             *tw_map_view_get_details_text (TwMapView    *self);
char             *tw_map_view_get_legend_text  (TwMapView    *self);

G_END_DECLS
