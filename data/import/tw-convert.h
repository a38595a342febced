/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-crosswalk.h"
#include "tw-outcome-import.h"

G_BEGIN_DECLS

/*
 * An outcome table converted to another geography as it is imported: its rows go into the
 * geography its GEOIDs are areas of (options->import.geography), and its measures are then
 * allocated to options->to_geography through a relationship file (tw-crosswalk.h). Both
 * steps are one transaction; a dry run makes them, reports them and keeps nothing, so the
 * import assistant can show a conversion's figures before it is written.
 */

typedef struct
{
  TwOutcomeImportOptions  import;        /* import.geography: the file's own; required */
  const char             *relationship;  /* the relationship file; required */
  const char             *to_geography;  /* required */
  TwCrosswalkFormat       format;
  TwCrosswalkRule         rule;
  gboolean                dry_run;       /* everything is done, then nothing is kept */
} TwConvertOptions;

typedef struct
{
  TwOutcomeImportResult *imported;   /* the rows as the file gives them */
  TwCrosswalkResult     *converted;  /* their allocation to the other geography */
} TwConvertResult;

TwConvertResult *tw_convert_outcomes     (TwStore                 *store,
                                          const char              *source,
                                          const TwConvertOptions  *options,
                                          TwImportProgress         progress,
                                          gpointer                 progress_data,
                                          GCancellable            *cancellable,
                                          GError                 **error);
void             tw_convert_result_free  (TwConvertResult         *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwConvertResult, tw_convert_result_free)

G_END_DECLS
