/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * A small line of an area's rates over the periods, for its details card: a dot for each
 * period with a figure, the line broken where one is hidden or missing (never drawn across
 * it, so no hidden value can be read from the slope). Screen readers hear the figures as a
 * list ("2019: 42.7; 2020: not shown; 2021: 33.8").
 */

#define TW_TYPE_SPARKLINE (tw_sparkline_get_type ())

G_DECLARE_FINAL_TYPE (TwSparkline, tw_sparkline, TW, SPARKLINE, GtkWidget)

GtkWidget   *tw_sparkline_new        (void);
/* @values (NAN: no figure) of @n_values periods called @periods, as @texts print them
 * (NULL @texts: "%.1f"). NULL @values hides the line. */
void         tw_sparkline_set_values (TwSparkline        *self,
                                      const double       *values,
                                      const char *const  *periods,
                                      const char *const  *texts,
                                      guint               n_values);
/* What a screen reader says, or "" when the line is hidden. */
const char  *tw_sparkline_get_text   (TwSparkline        *self);

G_END_DECLS
