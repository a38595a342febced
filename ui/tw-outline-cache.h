/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "tw-area-layer.h"
#include "tw-outlines.h"

G_BEGIN_DECLS

/*
 * The county and state lines an export of one layer draws: built once (in the export
 * dialog's first preview), then shared by every export and print of that layer. A window
 * holds one and hands it to its export dialogs.
 */

#define TW_TYPE_OUTLINE_CACHE (tw_outline_cache_get_type ())

G_DECLARE_FINAL_TYPE (TwOutlineCache, tw_outline_cache, TW, OUTLINE_CACHE, GObject)

TwOutlineCache *tw_outline_cache_new    (void);
/* FALSE when the lines of @layer were not built yet; else new references (or NULL: the
 * layer has no such lines). */
gboolean        tw_outline_cache_lookup (TwOutlineCache *self,
                                         TwAreaLayer    *layer,
                                         TwLineSet     **counties,
                                         TwLineSet     **states);
/* Keeps the lines of @layer, in place of any other layer's. */
void            tw_outline_cache_store  (TwOutlineCache *self,
                                         TwAreaLayer    *layer,
                                         TwLineSet      *counties,
                                         TwLineSet      *states);

G_END_DECLS
