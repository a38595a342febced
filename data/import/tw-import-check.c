/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-import-check"

#include "config.h"

#include "tw-import-check.h"

TwPointImportResult *
tw_point_import_dry_run (TwStore                    *store,
                         const char                 *source,
                         const TwPointImportOptions *options,
                         GCancellable               *cancellable,
                         GError                    **error)
{
  TwPointImportResult *result;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);

  if (!tw_store_begin_group (store, error))
    return NULL;
  result = tw_point_import (store, source, options, cancellable, error);
  tw_store_end_group (store, FALSE, NULL);
  return result;
}

TwAttributeImportResult *
tw_attribute_import_dry_run (TwStore                        *store,
                             const char                     *source,
                             const TwAttributeImportOptions *options,
                             GError                        **error)
{
  TwAttributeImportResult *result;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);

  if (!tw_store_begin_group (store, error))
    return NULL;
  result = tw_attribute_import (store, source, options, error);
  tw_store_end_group (store, FALSE, NULL);
  return result;
}
