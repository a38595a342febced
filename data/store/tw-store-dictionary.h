/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-store.h"

G_BEGIN_DECLS

/*
 * The data dictionary of a geography's area attributes: for each field its label, universe,
 * source, release date, licence, null codes and the margin of error paired with it. The
 * import of community data (data/import/tw-attributes.c) writes it; `tractwise-cli
 * attributes`, the share package (gpkg_metadata) and the brief read it. It is kept as one
 * JSON setting a geography, so it needs no table of its own.
 */

typedef struct
{
  char *field;
  char *label;
  char *universe;     /* e.g. "census tracts, ranked within the United States" */
  char *source;       /* e.g. "CDC/ATSDR Social Vulnerability Index (SVI_2020_US.csv)" */
  char *release;      /* the release or vintage, as the file or the user gives it */
  char *licence;
  char *null_codes;   /* e.g. "-999 (not computed)" */
  char *moe;          /* the field holding this one's margin of error, or NULL */
} TwDictionaryEntry;

void               tw_dictionary_entry_free  (TwDictionaryEntry *entry);

/* The entries of @geography_id, by field; an empty array when none is stored. NULL with
 * @error when the stored text is damaged. */
GPtrArray         *tw_store_load_dictionary  (TwStore     *store,
                                              gint64       geography_id,
                                              GError     **error);
/* Adds or replaces the entries of @entries' fields (TwDictionaryEntry *), inside the
 * caller's transaction. */
gboolean           tw_store_save_dictionary  (TwStore     *store,
                                              gint64       geography_id,
                                              GPtrArray   *entries,
                                              GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwDictionaryEntry, tw_dictionary_entry_free)

G_END_DECLS
