/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The crosswalk's relationship reader on one file of the format TW_FUZZ_SUFFIX names,
 * allocating the North Carolina counties' outcomes to a second vintage of the same
 * counties (crosswalk.tractwise of tests/fuzz/make-corpus). The file's first byte also
 * picks the rule, so both the proportional and the majority path see every input. */
#define G_LOG_DOMAIN "tw-fuzz-crosswalk"

#include "fuzz-common.h"
#include "tw-crosswalk.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *path = tw_fuzz_write ("in" TW_FUZZ_SUFFIX, data, size);
  g_autoptr(TwStore) store = tw_fuzz_open_prepared_project ("crosswalk.tractwise");
  g_autoptr(TwCrosswalkResult) result = NULL;
  TwCrosswalkOptions options = {
    .from_geography = "nc",
    .to_geography = "nc-2020",
    .rule = size > 0 && (data[0] & 1) ? TW_CROSSWALK_RULE_MAJORITY
                                       : TW_CROSSWALK_RULE_PROPORTIONAL,
  };

  result = tw_crosswalk_run (store, path, &options, NULL, NULL);
  return 0;
}
