/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-store.h"

G_BEGIN_DECLS

/* Small reads the window's pages make, and the read-only mode of a reader's connection. */

/* From now on SQLite refuses every write on this connection (PRAGMA query_only): a reader
 * that writes by mistake fails instead of changing the project. */
gboolean    tw_store_set_query_only     (TwStore     *self,
                                         GError     **error);

/* Every measure's code and label, sorted by code, as two arrays of the same length. */
gboolean    tw_store_list_measure_labels (TwStore    *self,
                                          GStrv      *codes,
                                          GStrv      *labels,
                                          GError    **error);

/* The names of the areas that have one: "geography\ngeoid" → name. */
GHashTable *tw_store_list_area_names    (TwStore     *self,
                                         GError     **error);

G_END_DECLS
