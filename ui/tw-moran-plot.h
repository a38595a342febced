/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tw-analysis.h"
#include "tw-area-layer.h"

G_BEGIN_DECLS

/*
 * The Moran scatterplot: each area's standardised rate (x) against the spatial lag of the
 * standardised rates around it (y), the quadrant lines, and the line through the origin whose
 * slope is Moran's I; points coloured by LISA cluster type. Clicking a point emits
 * ::area-activated; the selected area's point is ringed.
 *
 * A suppressed area's x is its standardised rate, from which its rate follows: its point is
 * left out unless the analysis was computed for the analyst view.
 */

#define TW_TYPE_MORAN_PLOT (tw_moran_plot_get_type ())

G_DECLARE_FINAL_TYPE (TwMoranPlot, tw_moran_plot, TW, MORAN_PLOT, GtkWidget)

GtkWidget *tw_moran_plot_new            (void);
/* Copies the points of a LISA @analysis (NULL clears); @layer names areas in tooltips. */
void       tw_moran_plot_set_analysis   (TwMoranPlot      *self,
                                         const TwAnalysis *analysis,
                                         TwAreaLayer      *layer);
void       tw_moran_plot_set_selected   (TwMoranPlot      *self,
                                         int               area);
int        tw_moran_plot_get_selected   (TwMoranPlot      *self);
guint      tw_moran_plot_get_n_points   (TwMoranPlot      *self);
/* Where the point of @area is drawn, in the widget's coordinates; FALSE when it is not. */
gboolean   tw_moran_plot_get_point      (TwMoranPlot      *self,
                                         int               area,
                                         double           *x,
                                         double           *y);
/* What a click at (@x, @y) does: the nearest point within a few pixels is activated.
 * Returns its area, or -1. */
int        tw_moran_plot_activate_at    (TwMoranPlot      *self,
                                         double            x,
                                         double            y);

G_END_DECLS
