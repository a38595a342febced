/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <shumate/shumate.h>

#include "tw-area-layer.h"
#include "tw-areas-table.h"
#include "tw-choropleth.h"
#include "tw-document.h"
#include "tw-export-dialog.h"
#include "tw-exports-window.h"
#include "tw-map-controls.h"
#include "tw-map-session.h"
#include "tw-map-view.h"
#include "tw-outlines.h"
#include "tw-overview.h"
#include "tw-partners-page.h"
#include "tw-projects-page.h"
#include "tw-review-banner.h"
#include "tw-window.h"

G_BEGIN_DECLS

/* The window's own parts in other files keep their state here. */
typedef struct _ReviewState ReviewState;
typedef struct _ShotState ShotState;

struct _TwWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwViewSwitcherTitle *window_title;
  AdwViewStack         *view_stack;
  TwProjectsPage       *projects_page;
  TwPartnersPage       *partners_page;
  AdwViewSwitcherBar   *switcher_bar;
  GtkSpinner           *header_spinner;
  GtkStack             *stack;
  GtkSpinner           *page_spinner;
  TwOverview           *overview;
  AdwToastOverlay      *toast_overlay;
  GtkRevealer          *analyst_revealer;
  TwMapControls        *controls;
  AdwFlap              *map_flap;
  TwMapView            *map_view;
  TwReviewBanner       *review_banner;
  TwAreasTable         *areas_table;

  /* Owned references */
  TwMapSession         *session;
  GFile                *file;
  TwDocument           *document;
  char                 *path;
  GCancellable         *load_cancellable;
  GtkFileChooserNative *file_chooser;
  const TwProjectSummary *summary;  /* the document's */
  GPropertyAction      *analyst_action;

  /* State */
  gboolean              osm_basemap;

  /* The parts in other files: exports (tw-window-export.c), review (tw-window-review.c) */
  char                 *export_toast;    /* the last toast an export showed */
  TwOutlineCache       *export_outlines;
  gboolean              brief_busy;
  ReviewState          *review;
  GVariant             *last_map;        /* a{sv}, the workspace's last map, until shown */
  guint                 last_map_idle;
  ShotState            *shot;            /* the screenshot tour's, or NULL */

  /* Timings, for the speed checks */
  gint64                open_started;
  double                open_ms;
  guint                 frame_tick_id;
  gint64                last_frame_time;
  gint64                max_frame_gap;
  gint64                last_frame_cpu;
  gint64                max_frame_cpu;
};

/* Opening a project (tw-window-open.c). */
void              tw_window_show_error         (TwWindow     *self,
                                                GFile        *file,
                                                const GError *error);
/* After an import: the document reads its summary again and the overview shows it; the
 * map session follows the document's changed::outcomes itself. */
void              tw_window_reload_summary     (TwWindow     *self);
/* Asks for a team server workspace's URI and opens it. */
void              tw_window_connect_server     (TwWindow     *self);
/* Shows whether a load runs; called whenever load_cancellable comes or goes. */
void              tw_window_loading_changed    (TwWindow   *self);
/* Where the time goes while a project opens: G_MESSAGES_DEBUG=tw-window shows it. */
void              tw_window_trace_open         (TwWindow   *self,
                                                const char *step);

/* The last map of each workspace (tw-window-last-map.c): saved for the file shown (when
 * the window closes or opens another), restored for @file as it opens. */
void              tw_window_last_map_init      (TwWindow   *self);
void              tw_window_last_map_save      (TwWindow   *self);
/* The geography of @file's last map, to load first; NULL when none is remembered. */
char             *tw_window_last_map_geography (TwWindow   *self,
                                                GFile      *file);
void              tw_window_last_map_restore   (TwWindow   *self,
                                                GFile      *file);

/* The screenshot tour's hook (tw-window-shots.c): TW_SHOT_READY and TW_SHOT_VIEW. */
void              tw_window_shots_init         (TwWindow   *self);

/* What those parts free when the window goes. */
void              tw_window_export_dispose     (TwWindow   *self);
void              tw_window_review_dispose     (TwWindow   *self);
void              tw_window_last_map_dispose   (TwWindow   *self);
void              tw_window_shots_dispose      (TwWindow   *self);

/* What the window tests and the speed checks look at and drive. */

ShumateSimpleMap *tw_window_get_map            (TwWindow   *self);
TwAreaLayer      *tw_window_get_area_layer     (TwWindow   *self);
TwChoropleth     *tw_window_get_choropleth     (TwWindow   *self);
/* TRUE once every tile the map shows has been drawn. */
gboolean          tw_window_get_map_drawn      (TwWindow   *self);
/* Milliseconds from tw_window_open () to the first fully drawn map, or 0. */
double            tw_window_get_open_ms        (TwWindow   *self);
/* The pointer moving over the map at (@x, @y) in the map's coordinates; clicking there. */
void              tw_window_pointer_motion     (TwWindow   *self,
                                                double      x,
                                                double      y);
void              tw_window_pointer_click      (TwWindow   *self,
                                                double      x,
                                                double      y);
int               tw_window_get_hovered_area   (TwWindow   *self);
int               tw_window_get_selected_area  (TwWindow   *self);
/* The text of the details pane and of the legend, as a screen reader reads them. */
char             *tw_window_get_details_text   (TwWindow   *self);
char             *tw_window_get_legend_text    (TwWindow   *self);
/* The entry of the manual breaks, shown when the method is "Manual breaks". */
GtkEntry         *tw_window_get_breaks_entry   (TwWindow   *self);
GtkDropDown      *tw_window_get_picker         (TwWindow   *self,
                                                const char *name);
GtkColumnView    *tw_window_get_table          (TwWindow   *self);
GtkSingleSelection *tw_window_get_table_selection (TwWindow *self);
/* Longest time between two frames since tw_window_watch_frames (TRUE) began, in ms. */
void              tw_window_watch_frames       (TwWindow   *self,
                                                gboolean    watch);
double            tw_window_get_max_frame_gap  (TwWindow   *self);
/* The most CPU time the main thread spent between two frames, in ms (same watch). */
double            tw_window_get_max_frame_cpu  (TwWindow   *self);

void              tw_window_add_toast          (TwWindow   *self,
                                                AdwToast   *toast);

/* Export, print and the list of exports (tw-window-export.c). */
void              tw_window_export_init        (TwWindow   *self);
void              tw_window_export_map_action  (GtkWidget  *widget,
                                                const char *action_name,
                                                GVariant   *parameter);
void              tw_window_export_brief_action (GtkWidget *widget,
                                                const char *action_name,
                                                GVariant   *parameter);
void              tw_window_print_action       (GtkWidget  *widget,
                                                const char *action_name,
                                                GVariant   *parameter);
/* Opens the file exported (a toast's button), the URI @parameter. */
void              tw_window_open_export_action (GtkWidget  *widget,
                                                const char *action_name,
                                                GVariant   *parameter);
void              tw_window_exports_action     (GtkWidget  *widget,
                                                const char *action_name,
                                                GVariant   *parameter);
/* What those actions do, for the tests: the dialog opened (NULL when there is no map);
 * a print, to the PDF at @export_path without the print dialog when it is given; the
 * list of exports opened; the text of the last toast they showed. */
TwExportDialog   *tw_window_export_map         (TwWindow   *self);
void              tw_window_print_map          (TwWindow   *self,
                                                const char *export_path,
                                                GAsyncReadyCallback callback,
                                                gpointer    user_data);
gboolean          tw_window_print_map_finish   (TwWindow   *self,
                                                GAsyncResult *result,
                                                GError    **error);
TwExportsWindow  *tw_window_show_exports       (TwWindow   *self);
/* Writes the board brief of the map shown to @file in a thread (FALSE: no map); busy
 * until it is written or has failed, then a toast says which. */
gboolean          tw_window_export_brief       (TwWindow   *self,
                                                GFile      *file);
gboolean          tw_window_get_brief_busy     (TwWindow   *self);
/* The county and state lines exports of @layer draw, once built (new references). */
gboolean          tw_window_lookup_export_outlines (TwWindow    *self,
                                                    TwAreaLayer *layer,
                                                    TwLineSet  **counties,
                                                    TwLineSet  **states);
const char       *tw_window_get_export_toast   (TwWindow   *self);
/* What the window's own parts in other files use (tw-window-review.c). */
const char       *tw_window_get_project_path   (TwWindow   *self);
void              tw_window_show_toast         (TwWindow   *self,
                                                const char *message);
AdwViewStack     *tw_window_get_view_stack     (TwWindow   *self);
TwProjectsPage   *tw_window_get_projects_page  (TwWindow   *self);
TwPartnersPage   *tw_window_get_partners_page  (TwWindow   *self);
TwReviewBanner   *tw_window_get_review_banner  (TwWindow   *self);

G_END_DECLS
