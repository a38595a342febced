/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-store.h"

G_BEGIN_DECLS

/* A geography of the project and whether it holds outcomes of a measure. */
typedef struct
{
  gint64    id;
  char     *name;
  gboolean  holds;
} TwGeographyEntry;

void        tw_geography_entry_free  (TwGeographyEntry *entry);

/* Every geography of the project, in the order they were imported (TwGeographyEntry *):
 * each says whether it holds outcomes of @measure_id (in @period, or in any period when
 * NULL); with @measure_id below 0, none does. */
GPtrArray  *tw_store_list_geographies (TwStore     *self,
                                       gint64       measure_id,
                                       const char  *period,
                                       GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwGeographyEntry, tw_geography_entry_free)

G_END_DECLS
