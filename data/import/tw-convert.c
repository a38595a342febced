/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-convert"

#include "config.h"

#include "tw-convert.h"

TwConvertResult *
tw_convert_outcomes (TwStore                 *store,
                     const char              *source,
                     const TwConvertOptions  *options,
                     TwImportProgress         progress,
                     gpointer                 progress_data,
                     GCancellable            *cancellable,
                     GError                 **error)
{
  g_autoptr(TwConvertResult) result = g_new0 (TwConvertResult, 1);
  TwOutcomeImportOptions import;
  TwCrosswalkOptions crosswalk = { 0 };

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->relationship != NULL, NULL);

  if (options->import.geography == NULL || options->to_geography == NULL)
    {
      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
                   "name the geography of the file's GEOIDs and the one to convert to");
      return NULL;
    }
  import = options->import;
  /* A dry run stores the rows all the same: the allocation reads them back. */
  import.validate_only = FALSE;

  if (!tw_store_begin_group (store, error))
    return NULL;
  result->imported = tw_outcome_import (store, source, &import, progress, progress_data,
                                        cancellable, error);
  if (result->imported != NULL)
    {
      crosswalk.from_geography = import.geography;
      crosswalk.to_geography = options->to_geography;
      crosswalk.format = options->format;
      crosswalk.rule = options->rule;
      /* The file's measures only, not what the geography held before. */
      crosswalk.measures = (const char *const *) result->imported->measures;
      crosswalk.progress = progress;
      crosswalk.progress_data = progress_data;
      result->converted = tw_crosswalk_run (store, options->relationship, &crosswalk,
                                            cancellable, error);
    }
  if (result->converted == NULL)
    {
      tw_store_end_group (store, FALSE, NULL);
      return NULL;
    }
  if (!tw_store_end_group (store, !options->dry_run, error))
    return NULL;
  return g_steal_pointer (&result);
}

void
tw_convert_result_free (TwConvertResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->imported, tw_outcome_import_result_free);
  g_clear_pointer (&result->converted, tw_crosswalk_result_free);
  g_free (result);
}
