/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-area-import.h"
#include "tw-store.h"

G_BEGIN_DECLS

/*
 * Events (a row per patient or visit, with a location or an assigned GEOID) counted by area,
 * group and period into an outcome measure. Coordinates, ids and dates are read in memory
 * only: what is written is the counts, their denominators and an audit line naming the file
 * by its name, size and SHA-256.
 */

#define TW_POINT_IMPORT_ERROR (tw_point_import_error_quark ())

typedef enum
{
  TW_POINT_IMPORT_ERROR_OPEN,          /* GDAL cannot read the file or a table */
  TW_POINT_IMPORT_ERROR_COLUMNS,       /* a needed column is missing or not given */
  TW_POINT_IMPORT_ERROR_OPTIONS,       /* the options contradict each other or the project */
  TW_POINT_IMPORT_ERROR_ROW,           /* a row holds a bad value (the message names it) */
  TW_POINT_IMPORT_ERROR_DENOMINATOR,   /* a count has no denominator, or a bad one */
  TW_POINT_IMPORT_ERROR_CANCELLED,
} TwPointImportError;

typedef struct
{
  const char *layer;
  const char *geography;              /* NULL: the project's only geography */
  const char *measure;                /* required */
  const char *label;                  /* label of a new measure */
  const char *lat_field, *lon_field;  /* NULL: lat/latitude, lon/lng/longitude, or geometry */
  const char *geoid_field;            /* the area is given (geocoder output), not located */
  const char *group_field;            /* NULL: every event in group "all" */
  const char *period_field;           /* a year, or a date whose year is the period */
  const char *period;                 /* the period of every event */
  const char *denominators;           /* table: geoid, [stratum], [period], denominator */
  const char *denominator_attribute;  /* or an area attribute of the project (population) */
  const char *kind;                   /* "rate" (default) or "proportion", new measures */
  double      per;                    /* multiplier of a new measure; 0: 100,000 or 100 */
  const char *min_precision;          /* DeGAUSS precision: range, street, intersection … */
  const char *precision_field;        /* NULL: precision */
  TwImportProgress progress;          /* events read so far and the total, now and then */
  gpointer         progress_data;
} TwPointImportOptions;

#define TW_POINT_IMPORT_OUTSIDE_ROWS 20

typedef struct
{
  char   *geoid;
  gint64  records;    /* events given to the area, imprecise ones included */
  gint64  imprecise;  /* below the minimum precision: not counted */
} TwPointQuality;

typedef struct
{
  gint64  points;        /* events read */
  gint64  assigned;      /* counted in an area */
  gint64  outside;       /* in no area, without a location, or with an unknown GEOID */
  gint64  outside_rows[TW_POINT_IMPORT_OUTSIDE_ROWS];  /* the first ones, 1-based rows */
  guint   n_outside_rows;
  gint64  imprecise;     /* below --min-precision, not counted */
  gint64  rows;          /* outcome rows stored */
  GStrv   periods;
  GStrv   strata;
  GArray *quality;       /* TwPointQuality of areas with imprecise events, GEOID order */
} TwPointImportResult;

GQuark               tw_point_import_error_quark (void);

/* Counts the events of @source and stores them as measure options->measure in one
 * transaction; on any error nothing is written. */
TwPointImportResult *tw_point_import             (TwStore                    *store,
                                                  const char                 *source,
                                                  const TwPointImportOptions *options,
                                                  GCancellable               *cancellable,
                                                  GError                    **error);
void                 tw_point_import_result_free (TwPointImportResult        *result);

/* Whether @source is the Census geocoder's batch result, which has no header line: the
 * import reads its columns by place. */
gboolean             tw_point_import_is_census_batch (const char             *source);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwPointImportResult, tw_point_import_result_free)

G_END_DECLS
