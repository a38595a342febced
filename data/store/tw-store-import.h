/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-area-reader.h"
#include "tw-store.h"

G_BEGIN_DECLS

/*
 * What the importers (data/import) write to a project, and read back to check a file
 * against it. The importers hold the transaction (tw_store_begin … tw_store_commit) and
 * check every value; these functions store what they are given. Bulk rows go in batches
 * through statements the store keeps prepared.
 */

/* A bulk import's transaction. When no other connection has the file open, it runs in
 * rollback-journal mode: the pages it appends past the file's old end are written once,
 * where the write-ahead log writes every page twice, and a killed import is still undone
 * (by the journal, when the file is next opened). Otherwise it is an ordinary transaction.
 * end_bulk goes after its commit or rollback and puts the write-ahead log back. */
gboolean      tw_store_begin_bulk      (TwStore              *self,
                                        GError              **error);
void          tw_store_end_bulk        (TwStore              *self);

/* Areas. */

gboolean      tw_store_has_geography   (TwStore              *self,
                                        const char           *name);
/* Adds an empty geography; @vintage 0 when unknown. Returns its id, or -1. */
gint64        tw_store_add_geography   (TwStore              *self,
                                        const char           *name,
                                        const char           *level,
                                        int                   vintage,
                                        const char           *source,
                                        const char           *source_crs,
                                        GError              **error);
gboolean      tw_store_add_areas       (TwStore              *self,
                                        gint64                geography_id,
                                        const TwAreaFeature  *areas,
                                        guint                 n_areas,
                                        GError              **error);
/* Puts the geography's areas into the spatial index, once they are all in: the index is
 * packed again as a whole, much quicker than grown box by box. */
gboolean      tw_store_index_areas     (TwStore              *self,
                                        gint64                geography_id,
                                        GError              **error);

/* The same for an importer that keeps the new areas' boxes as it stores them, so that the
 * index is packed without reading the areas back: tw_store_add_areas_keeping_boxes ()
 * appends a TwStoreAreaBox to @boxes for each area stored. */
typedef struct
{
  gint64 id;
  double min_lon, max_lon, min_lat, max_lat;
} TwStoreAreaBox;

gboolean      tw_store_add_areas_keeping_boxes (TwStore             *self,
                                                gint64               geography_id,
                                                const TwAreaFeature *areas,
                                                guint                n_areas,
                                                GArray              *boxes,
                                                GError             **error);
gboolean      tw_store_index_area_boxes        (TwStore             *self,
                                                GArray              *boxes,
                                                GError             **error);

/* An area as stored: exact boundary (WKB, lon/lat) and bounding box. */
typedef struct
{
  gint64         id;
  const char    *geoid;
  const char    *name;      /* may be NULL */
  const guint8  *wkb;
  gsize          wkb_len;
  double         min_lon, min_lat, max_lon, max_lat;
} TwStoredArea;

typedef void (*TwStoredAreaFunc) (const TwStoredArea *area,
                                  gpointer            user_data);

/* Calls @func for each area of the geography in GEOID order; @area lives for the call. */
gboolean      tw_store_foreach_area    (TwStore              *self,
                                        gint64                geography_id,
                                        TwStoredAreaFunc      func,
                                        gpointer              user_data,
                                        GError              **error);

/* Outcomes. */

/* An outcome import is one transaction in which SQLite does not check the references of
 * the rows (their area, measure and labels): the importer has checked each already, and
 * SQLite's own checks would cost two index look-ups a row. begin starts it; commit writes
 * @audit_detail to the audit log and commits; abandon rolls back. Either ends it, and the
 * checks are on again for anything after. */
gboolean      tw_store_begin_outcome_import   (TwStore     *self,
                                               GError     **error);
gboolean      tw_store_commit_outcome_import  (TwStore     *self,
                                               const char  *audit_detail,
                                               GError     **error);
void          tw_store_abandon_outcome_import (TwStore     *self);

/* Adds a measure; @kind is "rate" or "proportion". Returns its id, or -1. */
gint64        tw_store_add_measure     (TwStore              *self,
                                        const char           *code,
                                        const char           *label,
                                        const char           *kind,
                                        double                per,
                                        const char           *source,
                                        GError              **error);

/* The labels an outcome row is keyed by besides its measure and area. */
typedef enum
{
  TW_OUTCOME_LABEL_PERIOD,
  TW_OUTCOME_LABEL_STRATUM,
  TW_OUTCOME_LABEL_AGE_GROUP,   /* "" for rows without one */
} TwOutcomeLabel;

/* The id of a period, stratum or age-group label, added when the project has none yet.
 * Returns -1 on a failure. */
gint64        tw_store_find_or_add_label (TwStore            *self,
                                          TwOutcomeLabel      kind,
                                          const char         *label,
                                          GError            **error);
GStrv         tw_store_list_labels     (TwStore              *self,
                                        TwOutcomeLabel        kind,
                                        GError              **error);

typedef struct
{
  gint64 measure_id;
  gint64 period_id;
  gint64 stratum_id;
  gint64 area_id;
  gint64 age_group_id;
  double numerator;
  double denominator;
} TwOutcomeRow;

/* Stores @rows in order until one has the key (measure, period, stratum, area, age group)
 * of a row already stored. Returns how many were stored: @n_rows, or fewer when row [that
 * many] is such a duplicate (it and the rows after it are not stored); -1 with @error on a
 * failure. */
gssize        tw_store_add_outcomes    (TwStore              *self,
                                        const TwOutcomeRow   *rows,
                                        gsize                 n_rows,
                                        GError              **error);

/* Area attributes. */

/* One area's values of the attributes being stored, in the order of their names; NAN is a
 * missing value. */
typedef struct
{
  gint64  area_id;
  double *values;
} TwAttributeValues;

/* Replaces the attributes @names of the geography's areas with @rows (TwAttributeValues),
 * noting @source; inside the caller's transaction. */
gboolean      tw_store_replace_attributes (TwStore           *self,
                                           gint64             geography_id,
                                           const char *const *names,
                                           GArray            *rows,
                                           const char        *source,
                                           GError           **error);
G_END_DECLS
