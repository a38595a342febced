/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-store.h"

G_BEGIN_DECLS

/* Area attributes: numeric fields of an area that are not outcomes — social-vulnerability
 * and deprivation indices (CDC SVI's RPL_THEMES and RPL_THEME1…4, ADI ranks) or any other
 * number — imported from any table GDAL reads and keyed by GEOID. Cells are read as text and
 * parsed here, so that a GEOID keeps its leading zeros and a typo is an error rather than a
 * silent null. Empty cells, "NA", "NaN" and the SVI sentinel -999 are missing values: stored
 * as null and counted. */

#define TW_ATTRIBUTE_ERROR (tw_attribute_error_quark ())

typedef enum
{
  TW_ATTRIBUTE_ERROR_OPEN,      /* GDAL cannot read the table, or no such layer */
  TW_ATTRIBUTE_ERROR_COLUMNS,   /* the GEOID field or a named field is missing */
  TW_ATTRIBUTE_ERROR_ROW,       /* a row holds a bad value or a repeated GEOID */
  TW_ATTRIBUTE_ERROR_INVALID,   /* bad options (no fields …) */
} TwAttributeError;

typedef struct
{
  const char        *layer;        /* NULL: the only layer or sheet */
  const char        *geography;    /* NULL: the project's only geography */
  const char        *geoid_field;  /* required */
  const char *const *fields;       /* NULL-terminated, at least one */
} TwAttributeImportOptions;

typedef struct
{
  gint64  rows;       /* rows matched to an area and stored */
  GStrv   fields;     /* as stored (the names given) */
  gint64  unmatched;  /* rows whose GEOID is not an area of the geography (left out) */
  gint64  missing;    /* cells stored as null */
} TwAttributeImportResult;

GQuark                   tw_attribute_error_quark  (void);

/* Reads @source and replaces the named attributes of the geography's areas, in one
 * transaction; any bad row refuses the whole file and nothing is written. */
TwAttributeImportResult *tw_attribute_import       (TwStore                        *store,
                                                    const char                     *source,
                                                    const TwAttributeImportOptions *options,
                                                    GError                        **error);
void                     tw_attribute_import_result_free (TwAttributeImportResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwAttributeImportResult, tw_attribute_import_result_free)

G_END_DECLS
