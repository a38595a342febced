/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-attributes.h"
#include "tw-point-import.h"

G_BEGIN_DECLS

/* Dry runs for the import assistant: an import made in full inside a group of
 * transactions (tw_store_begin_group), reported, then dropped, so what is shown before
 * anything is written is what the import would write. */

/* tw_point_import() without keeping anything. */
TwPointImportResult *tw_point_import_dry_run (TwStore                    *store,
                                              const char                 *source,
                                              const TwPointImportOptions *options,
                                              GCancellable               *cancellable,
                                              GError                    **error);

/* tw_attribute_import() without keeping anything. */
TwAttributeImportResult *tw_attribute_import_dry_run (TwStore                        *store,
                                                      const char                     *source,
                                                      const TwAttributeImportOptions *options,
                                                      GError                        **error);

G_END_DECLS
