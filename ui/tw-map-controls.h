/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tw-map-session.h"

G_BEGIN_DECLS

/* The bar over the map: the geography, measure, period and group pickers, classes and
 * colours, the analyst view switch, and the toggles of the analysis panel and the table.
 * The pickers show the session and set it. */

#define TW_TYPE_MAP_CONTROLS (tw_map_controls_get_type ())

G_DECLARE_FINAL_TYPE (TwMapControls, tw_map_controls, TW, MAP_CONTROLS, GtkWidget)

TwMapSession       *tw_map_controls_get_session      (TwMapControls *self);
void                tw_map_controls_set_session      (TwMapControls *self,
                                                      TwMapSession  *session);
/* The palettes the palette picker offers (colour-blind-safe ones only). */
const char * const *tw_map_controls_get_palettes     (TwMapControls *self);
/* For the tests: a picker by name ("geography", "measure" … "palette"), the breaks. */
GtkDropDown        *tw_map_controls_get_picker       (TwMapControls *self,
                                                      const char    *name);
GtkEntry           *tw_map_controls_get_breaks_entry (TwMapControls *self);

G_END_DECLS
