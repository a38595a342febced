/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tw-renderer.h"

G_BEGIN_DECLS

/*
 * A legend's row: the swatch (a fill, hatched as the map hatches that kind of area), its
 * name and the number of areas it covers. The rates' legend of the map view and the
 * analysis legend both draw their rows with it.
 */

/* A 26 × 16 swatch of @color (0xRRGGBB). */
GtkWidget *tw_swatch_new        (guint32     color,
                                 TwHatch     hatch);
/* Attaches a swatch, @label and @count_text at @row of @grid's three columns. */
void       tw_swatch_attach_row (GtkGrid    *grid,
                                 int         row,
                                 guint32     color,
                                 TwHatch     hatch,
                                 const char *label,
                                 const char *count_text);

G_END_DECLS
