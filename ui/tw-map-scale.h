/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

/*
 * The map's scale bar: one bar in the locale's system of measurement (miles and feet where
 * LC_MEASUREMENT is imperial, kilometres and metres elsewhere), its length a round 1-2-5
 * step ("10 mi", "2,000 ft", "500 m"), never "9 mi" or "3000 ft" as libshumate's own
 * scale writes.
 */

#define TW_TYPE_MAP_SCALE (tw_map_scale_get_type ())

G_DECLARE_FINAL_TYPE (TwMapScale, tw_map_scale, TW, MAP_SCALE, GtkWidget)

/* The longest round length that fits in @max_pixels at @metres_per_pixel: its length in
 * pixels, and in @label its text ("2,000 ft"). */
double           tw_map_scale_pick          (double            metres_per_pixel,
                                             double            max_pixels,
                                             gboolean          imperial,
                                             char            **label);
/* Whether the locale measures in miles and feet. */
gboolean         tw_map_scale_locale_is_imperial (void);

void             tw_map_scale_set_viewport  (TwMapScale       *self,
                                             ShumateViewport  *viewport);
/* The text shown, for the tests and screen readers. */
const char      *tw_map_scale_get_label     (TwMapScale       *self);

G_END_DECLS
