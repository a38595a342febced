/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "tw-area-layer.h"
#include "tw-choropleth.h"
#include "tw-classify.h"
#include "tw-document.h"
#include "tw-map-request.h"

G_BEGIN_DECLS

/*
 * What one window's map shows, as properties the views bind to: the geography and its
 * areas (the layer), the measure, period and group, the classes and palette, whether
 * suppressed figures are revealed, the choropleth computed from all of them, and the area
 * selected and the one under the pointer.
 *
 * The session recomputes on its own: a new geography loads its layer in a worker thread,
 * any other change of what the map shows computes a new choropleth in one (a
 * TwMapRequest), as does the document's `changed`; "busy" holds while either runs. The
 * store is reached only through tw_document_run_async ().
 */

#define TW_TYPE_MAP_SESSION (tw_map_session_get_type ())

G_DECLARE_FINAL_TYPE (TwMapSession, tw_map_session, TW, MAP_SESSION, GObject)

#define TW_MAP_SESSION_DEFAULT_CLASSES 5

TwMapSession *tw_map_session_new              (void);

/* The project shown, or NULL. Setting it loads its first geography, or takes the one
 * tw_map_session_prefetch (@document, …) loaded; its `changed` (policy, attributes, outcomes)
 * recomputes what is shown. */
TwDocument   *tw_map_session_get_document     (TwMapSession *self);
void          tw_map_session_set_document     (TwMapSession *self,
                                               TwDocument   *document);
/* Starts loading @geography (NULL, or one @document no longer has: the first) of
 * @document while its summary is still being read; the layer is shown once @document is
 * the session's. */
void          tw_map_session_prefetch         (TwMapSession *self,
                                               TwDocument   *document,
                                               const char   *geography);
/* The document prefetched was not opened after all: what was loaded for it goes. */
void          tw_map_session_discard_prefetch (TwMapSession *self);

/* The document's geographies, as its summary lists them. */
const char * const *tw_map_session_get_geographies (TwMapSession *self);
const char   *tw_map_session_get_geography    (TwMapSession *self);
void          tw_map_session_set_geography    (TwMapSession *self,
                                               const char   *geography);
/* The measures (TwMapMeasure *) with outcomes in the geography shown. */
GPtrArray    *tw_map_session_get_measures     (TwMapSession *self);
const char   *tw_map_session_get_measure      (TwMapSession *self);
void          tw_map_session_set_measure      (TwMapSession *self,
                                               const char   *measure);
const char   *tw_map_session_get_period       (TwMapSession *self);
void          tw_map_session_set_period       (TwMapSession *self,
                                               const char   *period);
/* Rates, their change from the from-period to the period, or trends (tw-map-request.h).
 * The from-period is kept valid for the measure (its first period by default). */
TwMapMode     tw_map_session_get_mode         (TwMapSession *self);
void          tw_map_session_set_mode         (TwMapSession *self,
                                               TwMapMode     mode);
const char   *tw_map_session_get_from_period  (TwMapSession *self);
void          tw_map_session_set_from_period  (TwMapSession *self,
                                               const char   *period);
/* A stratum code; "all" for all groups. */
const char   *tw_map_session_get_group        (TwMapSession *self);
void          tw_map_session_set_group        (TwMapSession *self,
                                               const char   *group);
TwClassifyMethod tw_map_session_get_method    (TwMapSession *self);
void          tw_map_session_set_method       (TwMapSession     *self,
                                               TwClassifyMethod  method);
guint         tw_map_session_get_classes      (TwMapSession *self);
void          tw_map_session_set_classes      (TwMapSession *self,
                                               guint         classes);
/* The breaks between classes as typed ("1.5, 2.5, 4"; tw_map_request_parse_breaks ()),
 * used by the manual method. */
const char   *tw_map_session_get_breaks       (TwMapSession *self);
void          tw_map_session_set_breaks       (TwMapSession *self,
                                               const char   *breaks);
/* TRUE when the method is manual and the breaks typed are not numbers: the map then
 * stays as it was. */
gboolean      tw_map_session_get_breaks_invalid (TwMapSession *self);
const char   *tw_map_session_get_palette      (TwMapSession *self);
void          tw_map_session_set_palette      (TwMapSession *self,
                                               const char   *palette);
/* The analyst view: suppressed figures shown, on this screen only. Never on a read-only
 * review copy, which holds none to reveal. */
gboolean      tw_map_session_get_reveal       (TwMapSession *self);
void          tw_map_session_set_reveal       (TwMapSession *self,
                                               gboolean      reveal);
gboolean      tw_map_session_get_read_only    (TwMapSession *self);
void          tw_map_session_set_read_only    (TwMapSession *self,
                                               gboolean      read_only);

TwAreaLayer  *tw_map_session_get_layer        (TwMapSession *self);
TwChoropleth *tw_map_session_get_choropleth   (TwMapSession *self);
/* The table's rows (TwAreaRow *) of the choropleth, made with it, in its first order. */
GPtrArray    *tw_map_session_get_rows         (TwMapSession *self);
/* Area indices in the layer; -1: none. Selecting forgets the area hovered. */
int           tw_map_session_get_selected_area (TwMapSession *self);
void          tw_map_session_set_selected_area (TwMapSession *self,
                                                int           area);
int           tw_map_session_get_hovered_area (TwMapSession *self);
void          tw_map_session_set_hovered_area (TwMapSession *self,
                                               int           area);
gboolean      tw_map_session_get_busy         (TwMapSession *self);

/* With a map of change or trend: @area's published rates in each single period of the
 * measure (NAN where hidden or missing), for its sparkline; else NULL. */
const double *tw_map_session_get_series       (TwMapSession        *self,
                                               int                  area,
                                               const char *const  **periods,
                                               guint               *n_periods);

/* Computes the choropleth again from the project (after its figures or policy changed). */
void          tw_map_session_refresh          (TwMapSession *self);

G_END_DECLS
