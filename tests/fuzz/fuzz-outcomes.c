/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The outcome importer on one table of the format TW_FUZZ_SUFFIX names, imported into a
 * fresh copy of the prepared project (the North Carolina counties). */
#define G_LOG_DOMAIN "tw-fuzz-outcomes"

#include "fuzz-common.h"
#include "tw-outcome-import.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *path = tw_fuzz_write ("in" TW_FUZZ_SUFFIX, data, size);
  g_autoptr(TwStore) store = tw_fuzz_open_project ();
  g_autoptr(TwOutcomeImportResult) result = NULL;
  TwOutcomeImportOptions options = { .skip_unmatched = TRUE };

  result = tw_outcome_import (store, path, &options, NULL, NULL, NULL, NULL);
  return 0;
}
