/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A share package as a partner receives it: recognised, opened for review, and built into a
 * review project (which is then removed). */
#define G_LOG_DOMAIN "tw-fuzz-package"

#include "fuzz-common.h"
#include "tw-review-project.h"
#include "tw-share.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *path = tw_fuzz_write ("package.gpkg", data, size);
  const char *review_path = tw_fuzz_path ("review.tractwise");
  g_autoptr(TwReview) review = NULL;

  if (tw_share_is_package (path) && (review = tw_review_open (path, NULL, NULL)) != NULL)
    {
      tw_review_get_metadata (review, "package");
      tw_review_get_n_areas (review);
      tw_review_get_project_title (review, 1);
    }
  tw_fuzz_remove (review_path);
  if (tw_review_project_create (path, review_path, NULL, NULL, NULL))
    tw_review_project_delete (review_path);
  tw_fuzz_remove (review_path);
  tw_fuzz_remove (path);
  return 0;
}
