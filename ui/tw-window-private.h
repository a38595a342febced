/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <shumate/shumate.h>

#include "tw-area-layer.h"
#include "tw-choropleth.h"
#include "tw-window.h"

G_BEGIN_DECLS

/* What the window tests and the speed checks look at and drive. */

ShumateSimpleMap *tw_window_get_map            (TwWindow   *self);
TwAreaLayer      *tw_window_get_area_layer     (TwWindow   *self);
TwChoropleth     *tw_window_get_choropleth     (TwWindow   *self);
/* TRUE once every tile the map shows has been drawn. */
gboolean          tw_window_get_map_drawn      (TwWindow   *self);
/* Milliseconds from tw_window_open () to the first fully drawn map, or 0. */
double            tw_window_get_open_ms        (TwWindow   *self);
/* The pointer moving over the map at (@x, @y) in the map's coordinates; clicking there. */
void              tw_window_pointer_motion     (TwWindow   *self,
                                                double      x,
                                                double      y);
void              tw_window_pointer_click      (TwWindow   *self,
                                                double      x,
                                                double      y);
int               tw_window_get_hovered_area   (TwWindow   *self);
int               tw_window_get_selected_area  (TwWindow   *self);
/* The text of the details pane and of the legend, as a screen reader reads them. */
char             *tw_window_get_details_text   (TwWindow   *self);
char             *tw_window_get_legend_text    (TwWindow   *self);
/* The entry of the manual breaks, shown when the method is "Manual breaks". */
GtkEntry         *tw_window_get_breaks_entry   (TwWindow   *self);
GtkDropDown      *tw_window_get_picker         (TwWindow   *self,
                                                const char *name);
GtkColumnView    *tw_window_get_table          (TwWindow   *self);
GtkSingleSelection *tw_window_get_table_selection (TwWindow *self);
/* Longest time between two frames since tw_window_watch_frames (TRUE) began, in ms. */
void              tw_window_watch_frames       (TwWindow   *self,
                                                gboolean    watch);
double            tw_window_get_max_frame_gap  (TwWindow   *self);
/* The most CPU time the main thread spent between two frames, in ms (same watch). */
double            tw_window_get_max_frame_cpu  (TwWindow   *self);

G_END_DECLS
