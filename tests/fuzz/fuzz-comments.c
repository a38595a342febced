/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A comments file: read by a review of the prepared share package (as review-comment adds
 * to an earlier file), then imported into a fresh copy of the project it came from. */
#define G_LOG_DOMAIN "tw-fuzz-comments"

#include "fuzz-common.h"
#include "tw-share.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *path = tw_fuzz_write ("comments.json", data, size);
  g_autoptr(TwReview) review = tw_review_open (tw_fuzz_prepared ("package.gpkg"), NULL, NULL);
  g_autoptr(TwStore) store = NULL;

  if (review != NULL)
    tw_review_load_comments (review, path, NULL);
  store = tw_fuzz_open_project ();
  tw_share_import_comments (store, path, NULL);
  return 0;
}
