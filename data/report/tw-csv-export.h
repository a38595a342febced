/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-store.h"

G_BEGIN_DECLS

/*
 * A measure's published figures as a CSV table (RFC 4180, UTF-8), one row an area, period
 * and group:
 *
 *   geography, geoid, measure, period, stratum, numerator, denominator, rate, lower, upper,
 *   status, reason
 *
 * A hidden cell (suppressed, complementary) has no numerator, rate or interval, only its
 * denominator (the population, which the policy allows) and a reason that names no count.
 * Rates and intervals are rounded to publication precision, as in every other output.
 *
 * Beside FILE.csv goes FILE.codebook.csv, one row a column of the table: name, label, unit,
 * universe, source, release, licence, null_codes, moe (the columns that hold this one's
 * margin of error or interval) and policy (the preset, its version and k) — what a partner
 * needs to read the table without asking. Both files are written whole or not at all, and
 * to the audit log ("export-csv").
 */

typedef struct
{
  const char *measure;     /* code; required */
  const char *period;      /* NULL: every period of the measure */
  const char *stratum;     /* NULL: every group */
  const char *geography;   /* NULL: the one holding the measure */
} TwCsvOptions;

typedef struct
{
  guint n_rows;
  guint n_hidden;
} TwCsvSummary;

/* "FILE.codebook.csv" beside @path ("FILE.csv"). */
char       *tw_csv_codebook_path (const char         *path);

gboolean    tw_csv_export_write  (TwStore            *store,
                                  const TwCsvOptions *options,
                                  const char         *path,
                                  TwCsvSummary       *summary,
                                  GCancellable       *cancellable,
                                  GError            **error);

G_END_DECLS
