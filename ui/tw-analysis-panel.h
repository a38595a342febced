/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-analysis.h"
#include "tw-choropleth.h"
#include "tw-document.h"
#include "tw-moran-plot.h"

G_BEGIN_DECLS

/*
 * The analysis panel beside the map: picks an analysis (LISA clusters, Gi* hot and cold
 * spots, an attribute's map, the rate × attribute bivariate map) and its options, runs it in
 * a worker thread through the document (progress, Cancel), and shows the global Moran's I and
 * the Moran scatterplot. The map it makes is handed to the window through
 * tw_analysis_panel_get_style () and ::map-changed; its legend goes to the TwAnalysisLegend
 * of the :legend property. While the panel is not :active, it offers no style, so the
 * window's rate map shows.
 */

#define TW_TYPE_ANALYSIS_PANEL (tw_analysis_panel_get_type ())

G_DECLARE_FINAL_TYPE (TwAnalysisPanel, tw_analysis_panel, TW, ANALYSIS_PANEL, GtkBox)

/* What the analyses run on: the project's document (also the :document property) and its
 * current rate map (measure, period, group, analyst view, areas). A change re-runs the
 * analysis shown, if any. */
void              tw_analysis_panel_set_choropleth (TwAnalysisPanel *self,
                                                    TwDocument      *document,
                                                    TwChoropleth    *choropleth);
/* The area selected on the map (-1: none): its point is ringed in the scatterplot. */
void              tw_analysis_panel_set_selected   (TwAnalysisPanel *self,
                                                    int              area);
/* The map to draw instead of the rates, or NULL. */
TwMapStyle       *tw_analysis_panel_get_style      (TwAnalysisPanel *self);

/* For the tests and the keyboard: pick an analysis, an attribute, and run. */
void              tw_analysis_panel_set_kind       (TwAnalysisPanel *self,
                                                    TwAnalysisKind   kind);
gboolean          tw_analysis_panel_set_attribute  (TwAnalysisPanel *self,
                                                    const char      *name);
void              tw_analysis_panel_run            (TwAnalysisPanel *self);
void              tw_analysis_panel_cancel         (TwAnalysisPanel *self);
gboolean          tw_analysis_panel_get_busy       (TwAnalysisPanel *self);
/* The result shown, or NULL. */
const TwAnalysis *tw_analysis_panel_get_analysis   (TwAnalysisPanel *self);
TwMoranPlot      *tw_analysis_panel_get_plot       (TwAnalysisPanel *self);
/* The text of the global Moran's I line, and of the status line (errors, Cancelled). */
const char       *tw_analysis_panel_get_global_text (TwAnalysisPanel *self);
const char       *tw_analysis_panel_get_status_text (TwAnalysisPanel *self);

/* Imports the area attributes of the table @file (its GEOID column and every column of
 * numbers) for the geography shown, through the document; the status line says how it
 * went and the Attribute row lists them. The Import… button does this after a file
 * chooser. */
void             tw_analysis_panel_import_attributes (TwAnalysisPanel *self,
                                                      GFile           *file);

G_END_DECLS
