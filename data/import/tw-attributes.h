/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-store.h"

G_BEGIN_DECLS

/* Area attributes: numeric fields of an area that are not outcomes — social-vulnerability
 * and deprivation indices (CDC SVI's RPL_THEMES and RPL_THEME1…4, ADI ranks) or any other
 * number — imported from any table GDAL reads and keyed by GEOID. Cells are read as text and
 * parsed here, so that a GEOID keeps its leading zeros and a typo is an error rather than a
 * silent null. Empty cells, "NA", "NaN" and the SVI sentinel -999 are missing values: stored
 * as null and counted.
 *
 * Community data in their published layouts are recognised by their columns, or named:
 *   svi     CDC/ATSDR SVI: FIPS; E_/M_, EP_/MP_ pairs, RPL_THEME1…4, RPL_THEMES; −999 null;
 *           the US edition (ranked nationally) told from a state's by its states;
 *   adi     Neighborhood Atlas ADI: block-group FIPS, ADI_NATRANK, ADI_STATERNK; the codes
 *           PH, GQ, PH-GQ and QDI are nulls counted by code. Onto tracts the block groups'
 *           ranks are averaged, weighted by block-group population when one is given
 *           (population_source, an ACS block-group table, or population_field), else
 *           unweighted; ADI_NATRANK_SHARE80 is the share of the tract's population (or of
 *           its block groups) in ranked block groups at or above the 80th national
 *           percentile (ranks are not additive), and ADI_SUPPRESSED_SHARE the share in block
 *           groups whose rank is a suppression code, so a tract keeps the codes' status.
 *           A coded block group weighs in no mean and no share80;
 *   places  CDC PLACES tract files (GIS-friendly): TractFIPS, <M>_CrudePrev with
 *           <M>_Crude95CI "(lo, hi)", stored as <M>_CrudePrev_lower and _upper;
 *   acs     Census ACS tables: GEO_ID ("1400000US…"), <table>_<line>E estimates with their
 *           <table>_<line>M margins; the label row, the jam values (−666666666 …) and the
 *           annotations ("(X)", "-", "N", "**", "***"; "*****": a controlled estimate, MOE
 *           0) are handled;
 *   plain   any table: --geoid-field and --fields.
 * Without --fields a layout imports its own fields, and writes a data dictionary
 * (data/store/tw-store-dictionary.h). A file of the wrong vintage for the geography (SVI or
 * ACS of 2010–2019 on 2020 tracts, or the reverse) is refused by name. */

#define TW_ATTRIBUTE_ERROR (tw_attribute_error_quark ())

typedef enum
{
  TW_ATTRIBUTE_ERROR_OPEN,      /* GDAL cannot read the table, or no such layer */
  TW_ATTRIBUTE_ERROR_COLUMNS,   /* the GEOID field or a named field is missing */
  TW_ATTRIBUTE_ERROR_ROW,       /* a row holds a bad value or a repeated GEOID */
  TW_ATTRIBUTE_ERROR_INVALID,   /* bad options (no fields …) */
} TwAttributeError;

typedef enum
{
  TW_ATTRIBUTE_LAYOUT_AUTO = 0,  /* recognised from the columns */
  TW_ATTRIBUTE_LAYOUT_PLAIN,
  TW_ATTRIBUTE_LAYOUT_SVI,
  TW_ATTRIBUTE_LAYOUT_ADI,
  TW_ATTRIBUTE_LAYOUT_PLACES,
  TW_ATTRIBUTE_LAYOUT_ACS,
} TwAttributeLayout;

typedef struct
{
  const char        *layer;        /* NULL: the only layer or sheet */
  const char        *geography;    /* NULL: the project's only geography */
  const char        *geoid_field;  /* NULL: the layout's (required for plain) */
  const char *const *fields;       /* NULL-terminated; NULL: the layout's (plain: required) */
  TwAttributeLayout  layout;
  const char        *release;      /* NULL: the year in the file's name, if any */
  const char        *population_source;  /* adi onto tracts: block-group populations, an
                                          * ACS table (GEO_ID, population_field) */
  const char        *population_field;   /* in population_source (default B01003_001E),
                                          * or without it a column of the source itself */
} TwAttributeImportOptions;

typedef struct
{
  gint64             rows;       /* rows matched to an area and stored */
  GStrv              fields;     /* as stored */
  gint64             unmatched;  /* rows whose GEOID is not an area of the geography */
  gint64             missing;    /* cells stored as null */
  TwAttributeLayout  layout;     /* as recognised */
  char              *universe;   /* e.g. "census tracts, ranked within the United States" */
  GStrv              null_codes; /* the codes met, in order of first meeting … */
  gint64            *null_code_counts;  /* … and how many cells held each */
  gint64             merged;     /* block groups averaged into tracts (adi) */
  gint64             unweighed;  /* of those, without a population: in no figure */
} TwAttributeImportResult;

const char              *tw_attribute_layout_to_string   (TwAttributeLayout  layout);
gboolean                 tw_attribute_layout_from_string (const char        *text,
                                                          TwAttributeLayout *layout);

/* The published layout a table with the columns @names is in; PLAIN when none. */
TwAttributeLayout        tw_attribute_layout_detect      (const char *const *names);

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
