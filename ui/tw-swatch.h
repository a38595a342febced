/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * A legend's row: the swatch (a fill, hatched where the map hatches suppressed areas), its
 * name and the number of areas it covers. The rates' legend of the map view and the
 * analysis legend both draw their rows with it.
 */

/* A 26 × 16 swatch of @color (0xRRGGBB). */
GtkWidget *tw_swatch_new        (guint32     color,
                                 gboolean    hatched);
/* Attaches a swatch, @label and @count_text at @row of @grid's three columns. */
void       tw_swatch_attach_row (GtkGrid    *grid,
                                 int         row,
                                 guint32     color,
                                 gboolean    hatched,
                                 const char *label,
                                 const char *count_text);

G_END_DECLS
