/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-store.h"
#include "tw-area-import.h"

G_BEGIN_DECLS

#define TW_OUTCOME_IMPORT_ERROR (tw_outcome_import_error_quark ())

typedef enum
{
  TW_OUTCOME_IMPORT_ERROR_OPEN,     /* GDAL cannot read the table */
  TW_OUTCOME_IMPORT_ERROR_COLUMNS,  /* a needed column is missing or not given */
  TW_OUTCOME_IMPORT_ERROR_ROW,      /* a row holds a bad value (the message names it) */
  TW_OUTCOME_IMPORT_ERROR_MEASURE,  /* a measure's kind or multiplier conflict */
  TW_OUTCOME_IMPORT_ERROR_CANCELLED,
} TwOutcomeImportError;

typedef struct
{
  const char *layer;
  const char *geography;          /* NULL: the project's only geography */
  const char *geoid_field;        /* NULL: geoid, GEOID, GEOID20, FIPS … */
  const char *measure;            /* the measure of every row (wide form, or no column) */
  const char *label;              /* label of a measure created by the import */
  const char *period;             /* the period of every row when there is no column */
  const char *stratum;            /* the stratum of every row when there is no column */
  const char *numerator_field;    /* NULL: numerator */
  const char *denominator_field;  /* NULL: denominator */
  const char *kind;               /* "rate" or "proportion", for new measures */
  double      per;                /* multiplier for new measures; 0: 100,000 or 100 */
  gboolean    skip_unmatched;     /* unknown geoids are counted and left out */
  const char *measure_field;      /* NULL: measure */
  const char *period_field;       /* NULL: period, year */
  const char *stratum_field;      /* NULL: stratum, group */
  /* Runs every check, then rolls back: the result lists the problems instead of an error
   * refusing the file, and nothing is written. */
  gboolean    validate_only;
} TwOutcomeImportOptions;

typedef struct
{
  gint64     rows;                /* rows stored */
  GStrv      measures;
  GStrv      periods;
  GStrv      strata;
  gint64     unmatched;
  GStrv      unmatched_examples;  /* at most 10 */
  gint64     apportioned;         /* rows with non-integer counts */
  GPtrArray *problems;            /* char *: every row problem found, at most 100 */
  gint64     n_problems;          /* all of them, beyond the 100 kept */
} TwOutcomeImportResult;

/* What an import accepts, as the README states it: counts and denominators are decimal
 * numbers from 0 to TW_COUNT_MAX; measure, period and group codes are printable UTF-8 of
 * at most TW_CODE_MAX_CHARS characters that a spreadsheet cannot take for a formula. */
#define TW_COUNT_MAX      1e12
#define TW_CODE_MAX_CHARS 64

GQuark                 tw_outcome_import_error_quark (void);

/* Reads @text as a decimal number: an optional '-', digits with an optional fraction and
 * exponent ("12", "0.5", "1.5e3"), with plain spaces around it ignored. No '+', hex,
 * thousands separators, inf or nan. Returns FALSE with a @reason ("is empty", "is not a
 * decimal number", "is too large") otherwise. */
gboolean               tw_parse_decimal    (const char   *text,
                                            double       *value,
                                            const char  **reason);
/* Why @code cannot be a measure, period or group code (or a label of @max_chars), or NULL
 * when it can. */
const char            *tw_code_problem     (const char   *code,
                                            glong         max_chars);
/* @text for a one-line message: at most 40 characters, control characters escaped. */
char                  *tw_quote_for_message (const char  *text);

/* Reads @source (plain CSV directly, any other table through GDAL, each row as GDAL reads
 * it) and stores its rows in one transaction. Any bad row refuses the
 * whole file: nothing is written and @error names the row, the field and what to do. */
TwOutcomeImportResult *tw_outcome_import  (TwStore                      *store,
                                           const char                   *source,
                                           const TwOutcomeImportOptions *options,
                                           TwImportProgress              progress,
                                           gpointer                      progress_data,
                                           GCancellable                 *cancellable,
                                           GError                      **error);
void                   tw_outcome_import_result_free (TwOutcomeImportResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwOutcomeImportResult, tw_outcome_import_result_free)

G_END_DECLS
