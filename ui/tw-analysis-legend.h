/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * The legend card of an analysis map, over the map where the rates' legend is otherwise: a
 * swatch, a name and a count of areas a row (cluster types, hot-spot classes, attribute
 * classes), or the square legend of a 3 × 3 bivariate map with its two axes.
 */

#define TW_TYPE_ANALYSIS_LEGEND (tw_analysis_legend_get_type ())

G_DECLARE_FINAL_TYPE (TwAnalysisLegend, tw_analysis_legend, TW, ANALYSIS_LEGEND, GtkBox)

/* Empties the card and shows it with @title and @subtitle. */
void        tw_analysis_legend_begin         (TwAnalysisLegend *self,
                                              const char       *title,
                                              const char       *subtitle);
void        tw_analysis_legend_add_row       (TwAnalysisLegend *self,
                                              guint32           color,
                                              gboolean          hatched,
                                              const char       *label,
                                              guint             count);
/* The 3 × 3 square: @colors[attribute tertile × 3 + rate tertile]; @x_ticks and @y_ticks
 * are the two inner breaks of each axis as text. */
void        tw_analysis_legend_set_square    (TwAnalysisLegend *self,
                                              const guint32    *colors,
                                              const char       *x_label,
                                              const char       *y_label,
                                              const char *const x_ticks[2],
                                              const char *const y_ticks[2]);
/* Hides the card. */
void        tw_analysis_legend_clear         (TwAnalysisLegend *self);
/* What the card says, as a screen reader reads it. */
const char *tw_analysis_legend_get_text      (TwAnalysisLegend *self);
/* The square's drawing, for the tests; NULL unless a square is shown. */
GtkWidget  *tw_analysis_legend_get_square    (TwAnalysisLegend *self);
/* Where swatch (@rate_tertile, @attribute_tertile) is centred in the square's coordinates. */
void        tw_analysis_legend_get_swatch_centre (TwAnalysisLegend *self,
                                              guint             rate_tertile,
                                              guint             attribute_tertile,
                                              double           *x,
                                              double           *y);

G_END_DECLS
