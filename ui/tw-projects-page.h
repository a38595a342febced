/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <shumate/shumate.h>

#include "tw-area-layer.h"
#include "tw-document.h"
#include "tw-footprint-layer.h"
#include "tw-project-editor.h"

G_BEGIN_DECLS

/*
 * The partner projects of the open file: filters by status, partner and measure, a
 * timeline, the list, and the editor of the chosen project. The projects' footprints are
 * drawn on the window's map, and their target areas are chosen there: click (only that
 * area), shift-click (add or remove one), or drag a rectangle or a lasso (the tool chosen
 * in the bar over the map, or a rectangle with Ctrl held); shift while dragging adds to
 * the choice. An area is taken by a rectangle or lasso when it lies wholly inside.
 */

#define TW_TYPE_PROJECTS_PAGE (tw_projects_page_get_type ())

G_DECLARE_FINAL_TYPE (TwProjectsPage, tw_projects_page, TW, PROJECTS_PAGE, AdwBin)

typedef enum
{
  TW_PICK_TOOL_CLICK,
  TW_PICK_TOOL_RECTANGLE,
  TW_PICK_TOOL_LASSO,
} TwPickTool;

TwProjectsPage   *tw_projects_page_new            (TwDocument       *document);
/* The open project (NULL: none). The page reads it in a worker thread, shows it
 * read-only when it is, and reads it again on its changed::projects, ::partners and
 * ::outcomes; its own writes emit changed::projects. */
TwDocument       *tw_projects_page_get_document   (TwProjectsPage   *self);
void              tw_projects_page_set_document   (TwProjectsPage   *self,
                                                   TwDocument       *document);
/* The map the footprints are drawn on and the areas picked from (set once). */
void              tw_projects_page_set_map        (TwProjectsPage   *self,
                                                   ShumateSimpleMap *map);
/* The areas the map shows (NULL: none). */
void              tw_projects_page_set_layer      (TwProjectsPage   *self,
                                                   TwAreaLayer      *layer);
/* Reads the projects again, in a worker thread. */
void              tw_projects_page_reload         (TwProjectsPage   *self);
/* Projects the filters let through, and every project. */
guint             tw_projects_page_get_n_shown    (TwProjectsPage   *self);
guint             tw_projects_page_get_n_projects (TwProjectsPage   *self);
void              tw_projects_page_select         (TwProjectsPage   *self,
                                                   gint64            id);
gint64            tw_projects_page_get_selected   (TwProjectsPage   *self);
/* Filters: NULL for any. */
void              tw_projects_page_set_filter     (TwProjectsPage   *self,
                                                   const char       *status,
                                                   const char       *partner,
                                                   const char       *measure);
/* Deletes with Undo in a toast. */
gboolean          tw_projects_page_delete         (TwProjectsPage   *self,
                                                   gint64            id);
gboolean          tw_projects_page_undo           (TwProjectsPage   *self);
TwProjectEditor  *tw_projects_page_get_editor     (TwProjectsPage   *self);
TwFootprintLayer *tw_projects_page_get_footprints (TwProjectsPage   *self);
void              tw_projects_page_set_footprint_shown (TwProjectsPage *self,
                                                        gint64          id,
                                                        gboolean        shown);

/* Choosing target areas on the map. Coordinates are the map widget's. */
gboolean          tw_projects_page_pick_begin     (TwProjectsPage   *self,
                                                   gint64            id);
gboolean          tw_projects_page_get_picking    (TwProjectsPage   *self);
void              tw_projects_page_set_pick_tool  (TwProjectsPage   *self,
                                                   TwPickTool        tool);
void              tw_projects_page_pick_click     (TwProjectsPage   *self,
                                                   double            x,
                                                   double            y,
                                                   gboolean          toggle);
void              tw_projects_page_pick_rectangle (TwProjectsPage   *self,
                                                   double            x0,
                                                   double            y0,
                                                   double            x1,
                                                   double            y1,
                                                   gboolean          add);
/* @points: x, y pairs. */
void              tw_projects_page_pick_lasso     (TwProjectsPage   *self,
                                                   const double     *points,
                                                   guint             n_points,
                                                   gboolean          add);
/* Adds the area selected in the table (or on the map). */
void              tw_projects_page_pick_area      (TwProjectsPage   *self,
                                                   int               area);
/* The GEOIDs chosen so far, sorted. */
GStrv             tw_projects_page_get_chosen     (TwProjectsPage   *self);
/* Writes the choice as the project's target areas (@apply) or drops it. */
gboolean          tw_projects_page_pick_finish    (TwProjectsPage   *self,
                                                   gboolean          apply);

G_END_DECLS
