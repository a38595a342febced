/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-area-layer.h"
#include "tw-classify.h"
#include "tw-palette.h"
#include "tw-rates.h"
#include "tw-renderer.h"
#include "tw-status.h"
#include "tw-store.h"
#include "tw-suppression.h"

G_BEGIN_DECLS

/*
 * One map's worth of figures: for a measure, period and stratum, every area of a layer with
 * its count, denominator, rate and interval under the project's suppression policy, the
 * classes of the rates, and the TwMapStyle the renderer draws. The map window, its legend,
 * details pane and table, `tractwise-cli classify` and `render-tile`, and every export are
 * made from this one object. Immutable once computed; shared between threads by reference.
 *
 * Suppressed areas are left out of the classes and drawn hatched, unless @reveal (the
 * analyst view, own screen only) is set: then they are classed and coloured like the rest,
 * dotted (TW_HATCH_REVEALED) so that no one takes them for published figures, and still
 * say they are suppressed. The cells a review copy holds withheld stay hatched: there is
 * nothing to reveal. Unreliable figures are classed and hatched over their class colour
 * (TW_HATCH_UNRELIABLE); areas without data are grey, never hatched.
 */

#define TW_CHOROPLETH_ERROR (tw_choropleth_error_quark ())

typedef enum
{
  TW_CHOROPLETH_ERROR_PALETTE,   /* no palette of that name */
  TW_CHOROPLETH_ERROR_CLASSES,   /* the number of classes is not 3 … 9 */
} TwChoroplethError;

typedef struct
{
  const char       *measure;       /* code */
  const char       *period;
  const char       *stratum;       /* NULL: "all" */
  TwClassifyMethod  method;
  guint             n_classes;     /* 3 … 9 */
  const double     *manual_breaks; /* for TW_CLASSIFY_MANUAL */
  guint             n_manual_breaks;
  const char       *palette;       /* NULL: the default */
  gboolean          reveal;        /* analyst view */
} TwChoroplethQuery;

typedef struct
{
  double   numerator;     /* NAN when the area has no row */
  double   denominator;
  double   rate;          /* per the measure's multiplier; NAN when no data */
  double   lower, upper;  /* 95% interval */
  gboolean suppressed;    /* the policy hides it (the figures above are still filled in) */
  gboolean withheld;      /* suppressed at source (a review copy): no figure to reveal */
  gboolean unstable;      /* fewer than 20 events, or suppressed */
  int      rank;          /* 1 = highest rate among the areas shown; 0 when not ranked */
  guint8   kind;          /* class index, or TW_AREA_NO_DATA / TW_AREA_SUPPRESSED */
  TwFigureStatus status;  /* tw-status.h, the same with a reveal as without; missing
                           * for an area without a row */
  const char *reason;     /* why, in words, "" when shown: a count only for an unreliable
                           * figure ("RSE 35% (7 events)"), never for a hidden one */
  gboolean revealed;      /* hidden for everyone else, drawn here by the analyst view */
} TwAreaFigure;

/* A row of the legend after the classes: a status, how many areas the map draws with it,
 * and how its swatch is drawn (@fill under @hatch). */
typedef struct
{
  TwFigureStatus  status;
  gboolean        revealed;  /* the analyst view's row: hidden figures shown on this screen */
  guint           n_areas;
  guint32         fill;
  TwHatch         hatch;
} TwStatusRow;

typedef struct _TwChoropleth TwChoropleth;

GQuark               tw_choropleth_error_quark   (void);

TwChoropleth        *tw_choropleth_compute       (TwStore                 *store,
                                                  TwAreaLayer             *layer,
                                                  const TwChoroplethQuery *query,
                                                  GCancellable            *cancellable,
                                                  GError                 **error);
TwChoropleth        *tw_choropleth_ref           (TwChoropleth            *self);
void                 tw_choropleth_unref         (TwChoropleth            *self);

TwAreaLayer         *tw_choropleth_get_layer     (TwChoropleth            *self);
const TwAreaFigure  *tw_choropleth_get_figure    (TwChoropleth            *self,
                                                  guint                    area);
/* NULL when no area has a value to class. */
const TwClassification *tw_choropleth_get_classification (TwChoropleth     *self);
TwMapStyle          *tw_choropleth_get_style     (TwChoropleth            *self);
guint                tw_choropleth_get_n_suppressed (TwChoropleth         *self);
guint                tw_choropleth_get_n_no_data (TwChoropleth            *self);
/* The legend's rows after the classes, in this order: unreliable, shown only in the
 * analyst view, suppressed, complementary, no data, not applicable. The suppressed and
 * no-data rows are always there (a legend names both); the others when an area has them.
 * Each area is counted in one row at most (a shown one in none). */
guint                tw_choropleth_get_status_rows (TwChoropleth          *self,
                                                  const TwStatusRow      **rows);
/* The index of @area's status row, or −1 (a shown area is in its class only). */
int                  tw_choropleth_get_status_row_of (TwChoropleth        *self,
                                                  guint                    area);
const TwSuppressionPolicy *tw_choropleth_get_policy (TwChoropleth         *self);
gboolean             tw_choropleth_get_reveal    (TwChoropleth            *self);

/* The measure as users read it. */
const char          *tw_choropleth_get_measure_code  (TwChoropleth        *self);
const char          *tw_choropleth_get_measure_label (TwChoropleth        *self);
const char          *tw_choropleth_get_period    (TwChoropleth            *self);
const char          *tw_choropleth_get_stratum   (TwChoropleth            *self);
gboolean             tw_choropleth_is_proportion (TwChoropleth            *self);
double               tw_choropleth_get_multiplier (TwChoropleth           *self);
/* "per 1,000 births"-style unit text: "per 100,000", "%" for proportions per 100. */
char                *tw_choropleth_format_unit   (TwChoropleth            *self);
/* A rate as the legend and the details pane print it ("12.4"). */
char                *tw_choropleth_format_rate   (TwChoropleth            *self,
                                                  double                   rate);

/* Added for the command line and the legend. */
const TwPalette     *tw_choropleth_get_palette   (TwChoropleth            *self);
/* The decimals tw_choropleth_format_rate prints: about three significant digits of the
 * largest rate shown, more when two breaks would otherwise print alike. */
guint                tw_choropleth_get_decimals  (TwChoropleth            *self);
/* How many areas are shown with a value (classed and ranked). */
guint                tw_choropleth_get_n_ranked  (TwChoropleth            *self);

/*
 * A map of change between two periods (tw-map-request builds it from tw-change): each
 * figure's rate is the change (a difference, or a ratio), lower and upper its 95%
 * interval. Classes are symmetric about no change (0, or 1 on a log scale for a ratio),
 * an even number of them so that no change is a break, coloured with a diverging palette
 * (rises red when a higher rate is worse); a change whose interval holds no change is
 * drawn in the palette's neutral middle colour under the unreliable hatch, as its own
 * kind (n_classes of the classification), counted by tw_choropleth_get_n_undetermined ()
 * and in the first status row. A change is suppressed when either end is, like any figure.
 */
typedef struct
{
  const char *measure_code;
  const char *measure_label;
  const char *period_label;    /* "2019 → 2021" */
  const char *stratum;
  TwRateKind  kind;
  double      multiplier;
  gboolean    higher_is_worse;
  gboolean    ratio;           /* centred on 1, classes symmetric on a log scale */
  const char *unit;            /* NULL: the rate's ("per 10,000"; a proportion's
                                * difference in percentage points) */
  gboolean    reveal;
  guint       n_classes;       /* made even, 4 … 8 */
  const char *from_period;     /* a change's periods (codes); NULL for a trend */
  const char *to_period;
} TwChoroplethChangeSpec;

/* Takes @figures (one per area of @layer; rate, lower, upper, suppressed and withheld
 * filled in) and @ends (the rates from and to, two per area). */
TwChoropleth        *tw_choropleth_new_change    (TwStore                      *store,
                                                  TwAreaLayer                  *layer,
                                                  const TwChoroplethChangeSpec *spec,
                                                  TwAreaFigure                 *figures,
                                                  double                       *ends,
                                                  GError                      **error);
gboolean             tw_choropleth_is_change     (TwChoropleth            *self);
/* The periods (codes) a map of change is between; FALSE, with NULL, for a trend or a map of
 * rates. */
gboolean             tw_choropleth_get_change_periods (TwChoropleth       *self,
                                                  const char        **from,
                                                  const char        **to);
guint                tw_choropleth_get_n_undetermined (TwChoropleth       *self);
/* The rates an area's change is between (NAN for a trend); FALSE on a map of rates. */
gboolean             tw_choropleth_get_change_ends (TwChoropleth          *self,
                                                    guint                  area,
                                                    double                *from,
                                                    double                *to);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwChoropleth, tw_choropleth_unref)

G_END_DECLS
