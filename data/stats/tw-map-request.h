/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-area-layer.h"
#include "tw-choropleth.h"
#include "tw-classify.h"
#include "tw-store.h"

G_BEGIN_DECLS

/*
 * What a map shows, as one value: geography, measure, period, group, classes (method and
 * count, or manual breaks), palette and reveal. The map session of the window, the
 * command line (classify, render-tile, export-map) and the brief all describe their map
 * with a TwMapRequest, so they share one grammar for typed breaks, one validation with
 * one set of messages, one rule for the default geography and one compute.
 *
 * A plain value (a boxed type): copy it to hand it to a worker thread, where
 * tw_map_request_compute () runs (it reads the store and may take seconds). Nothing here
 * touches the main loop.
 *
 * Messages name the field in the words a user sees ("breaks", "classes", "group") and say
 * what to do; the command line puts the option's name before them
 * (tw_map_request_error_option ()), the window shows them as they are.
 *
 * Default geography (no geography named): the project's only geography; else, when a
 * measure is set, the only geography holding outcomes of that measure (in the period,
 * when one is set) — an error naming the geographies when none or several do; else (no
 * measure yet: a window opening a workspace) the first geography imported.
 */

#define TW_TYPE_MAP_REQUEST (tw_map_request_get_type ())
#define TW_MAP_REQUEST_ERROR (tw_map_request_error_quark ())

/* Which field is wrong: a caller can point at it (the command line names its option). */
typedef enum
{
  TW_MAP_REQUEST_ERROR_MEASURE,    /* none set, or the project has no measure of that code */
  TW_MAP_REQUEST_ERROR_PERIOD,     /* none set, or the measure has no outcomes in it */
  TW_MAP_REQUEST_ERROR_STRATUM,    /* the measure has no such group in the period */
  TW_MAP_REQUEST_ERROR_GEOGRAPHY,  /* no geography of that name, or none can be chosen */
  TW_MAP_REQUEST_ERROR_METHOD,     /* no classification method of that name */
  TW_MAP_REQUEST_ERROR_CLASSES,    /* not 3 to 9 */
  TW_MAP_REQUEST_ERROR_BREAKS,     /* not numbers, not increasing, too few or many,
                                    * missing for the manual method or set for another */
  TW_MAP_REQUEST_ERROR_PALETTE,    /* no palette of that name */
} TwMapRequestError;

/* What the map shows of the measure: its rates in the period, their change from another
 * period (tw-change.h) as a difference or a ratio, or each area's trend over every period
 * of the measure (tw-trend.h: the annual percent change). tw_choropleth_new_change ()
 * draws the last three. */
typedef enum
{
  TW_MAP_MODE_RATE,
  TW_MAP_MODE_CHANGE,
  TW_MAP_MODE_CHANGE_RATIO,
  TW_MAP_MODE_TREND,
} TwMapMode;

/* The number of classes when none is set. */
#define TW_MAP_REQUEST_DEFAULT_CLASSES 5

typedef struct _TwMapRequest TwMapRequest;

GType             tw_map_request_get_type        (void) G_GNUC_CONST;
GQuark            tw_map_request_error_quark     (void);

/* An empty request: no geography (the default), measure or period; every group;
 * quantiles in TW_MAP_REQUEST_DEFAULT_CLASSES classes; no breaks; the default palette;
 * not revealed. */
TwMapRequest     *tw_map_request_new             (void);
TwMapRequest     *tw_map_request_copy            (const TwMapRequest *self);
void              tw_map_request_free            (TwMapRequest       *self);
/* Whether the two would compute the same map. */
gboolean          tw_map_request_equal           (const TwMapRequest *a,
                                                  const TwMapRequest *b);

/* NULL: the default geography (see above). */
void              tw_map_request_set_geography   (TwMapRequest       *self,
                                                  const char         *name);
const char       *tw_map_request_get_geography   (const TwMapRequest *self);
/* A measure code. */
void              tw_map_request_set_measure     (TwMapRequest       *self,
                                                  const char         *code);
const char       *tw_map_request_get_measure     (const TwMapRequest *self);
void              tw_map_request_set_period      (TwMapRequest       *self,
                                                  const char         *period);
const char       *tw_map_request_get_period      (const TwMapRequest *self);
/* NULL or "all": every group; the getter then returns "all". */
void              tw_map_request_set_stratum     (TwMapRequest       *self,
                                                  const char         *stratum);
const char       *tw_map_request_get_stratum     (const TwMapRequest *self);

void              tw_map_request_set_method      (TwMapRequest       *self,
                                                  TwClassifyMethod    method);
/* "quantile", "equal", "natural", "stddev" or "manual"; FALSE and
 * TW_MAP_REQUEST_ERROR_METHOD otherwise, the method left as it was. */
gboolean          tw_map_request_set_method_name (TwMapRequest       *self,
                                                  const char         *name,
                                                  GError            **error);
TwClassifyMethod  tw_map_request_get_method      (const TwMapRequest *self);
/* The number of classes the computed methods make (3 to 9, checked by validate); the
 * manual method ignores it: its breaks make the classes. */
void              tw_map_request_set_n_classes   (TwMapRequest       *self,
                                                  guint               n_classes);
guint             tw_map_request_get_n_classes   (const TwMapRequest *self);

/*
 * Manual breaks: the thresholds between classes, 2 to 8 of them for 3 to 9 classes,
 * finite and strictly increasing. Typed, they are numbers in C notation ("1.5", "-2",
 * "1e3"; no thousands separators) separated by commas, semicolons or spaces:
 * "1.5, 2.5, 4", "1.5 2.5 4" and "1, 2; 3" all read as three breaks; "1,,2", "1, x",
 * "3, 2" and "" are refused (TW_MAP_REQUEST_ERROR_BREAKS, a message quoting the piece).
 */
double           *tw_map_request_parse_breaks    (const char         *text,
                                                  guint              *n_breaks,
                                                  GError            **error);
/* Sets the breaks from typed text; FALSE (the breaks left as they were) when it does not
 * parse. */
gboolean          tw_map_request_set_breaks_text (TwMapRequest       *self,
                                                  const char         *text,
                                                  GError            **error);
/* @n_breaks numbers, or none (NULL, 0). Checked by validate, not here. */
void              tw_map_request_set_breaks      (TwMapRequest       *self,
                                                  const double       *breaks,
                                                  guint               n_breaks);
const double     *tw_map_request_get_breaks      (const TwMapRequest *self,
                                                  guint              *n_breaks);

/* A palette name (tw_palette_lookup); NULL: the default sequential palette. */
void              tw_map_request_set_palette     (TwMapRequest       *self,
                                                  const char         *palette);
const char       *tw_map_request_get_palette     (const TwMapRequest *self);
/* The analyst view: suppressed areas are classed and coloured (own screen only). */
void              tw_map_request_set_reveal      (TwMapRequest       *self,
                                                  gboolean            reveal);
gboolean          tw_map_request_get_reveal      (const TwMapRequest *self);

/* TW_MAP_MODE_RATE unless set. A change goes from the period set here to the request's
 * period; both may be pools ("2019+2020"). */
void              tw_map_request_set_mode        (TwMapRequest       *self,
                                                  TwMapMode           mode);
TwMapMode         tw_map_request_get_mode        (const TwMapRequest *self);
void              tw_map_request_set_from_period (TwMapRequest       *self,
                                                  const char         *period);
const char       *tw_map_request_get_from_period (const TwMapRequest *self);

/* What can be checked without the project: a measure and period set, the method's
 * classes or breaks, the palette. */
gboolean          tw_map_request_validate        (const TwMapRequest *self,
                                                  GError            **error);

/* The geography the map is drawn on, by the rule above; -1 and an error
 * (TW_MAP_REQUEST_ERROR_GEOGRAPHY, or the store's on a failure to read). */
gint64            tw_map_request_resolve_geography (const TwMapRequest *self,
                                                    TwStore            *store,
                                                    GError            **error);
/* The areas of that geography. */
TwAreaLayer      *tw_map_request_load_layer      (const TwMapRequest   *self,
                                                  TwStore              *store,
                                                  TwAreaLayerLoadFlags  flags,
                                                  GCancellable         *cancellable,
                                                  GError              **error);

/*
 * The map: validates the request and checks it against the project (measure, period,
 * group), then loads the layer (tw_choropleth_get_layer () gives it) and computes the
 * choropleth. tw_map_request_compute_on_layer () uses a layer already loaded (the
 * window's, kept while only the measure or classes change; an export's lazily sealed
 * one) and does not look at the request's geography. Call them in a worker thread;
 * cancelling ends them with G_IO_ERROR_CANCELLED. Bad requests fail with
 * TW_MAP_REQUEST_ERROR; a store that cannot be read, with its own error.
 */
TwChoropleth     *tw_map_request_compute         (const TwMapRequest *self,
                                                  TwStore            *store,
                                                  GCancellable       *cancellable,
                                                  GError            **error);
TwChoropleth     *tw_map_request_compute_on_layer (const TwMapRequest *self,
                                                   TwStore            *store,
                                                   TwAreaLayer        *layer,
                                                   GCancellable       *cancellable,
                                                   GError            **error);

/* The command-line option of the field an error of TW_MAP_REQUEST_ERROR names
 * ("--breaks"), or NULL for another error. */
const char       *tw_map_request_error_option    (const GError       *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwMapRequest, tw_map_request_free)

G_END_DECLS
