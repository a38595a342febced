/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

/* Makes the map focusable and drivable from the keyboard: the arrow keys pan by an eighth
 * of the view, + and − (and Ctrl with them) zoom by one level. */
void     tw_map_keys_attach (ShumateSimpleMap *map);

/* What a key press on the focused map does; TRUE when it did something. */
gboolean tw_map_keys_press  (ShumateSimpleMap *map,
                             guint             keyval,
                             GdkModifierType   state);

G_END_DECLS
