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

/* A measure whose denominators are an area attribute (an ACS population estimate, say)
 * remembers it, per geography, so that its rates can carry the estimate's margin of error
 * (data/stats/tw-rate-table.h). @attribute NULL forgets it (the denominators came from a
 * table since). Inside the caller's transaction, or on its own. */
gboolean           tw_store_set_denominator_attribute (TwStore     *store,
                                                       const char  *measure,
                                                       gint64       geography_id,
                                                       const char  *attribute,
                                                       GError     **error);
/* The attribute @measure's denominators came from in @geography_id, or NULL. */
char              *tw_store_get_denominator_attribute (TwStore     *store,
                                                       const char  *measure,
                                                       gint64       geography_id);

/* The population estimates of @measure's denominators and their margins of error (the
 * field the dictionary pairs with the attribute), by area over every geography that
 * records one: @area_ids (gint64, ascending), @estimates and @moes (double). Areas without
 * both figures are left out; empty arrays when the measure's denominators have no MOE.
 * @attribute (NULL allowed) receives the first attribute's name. */
gboolean           tw_store_load_denominator_moe (TwStore     *store,
                                                  const char  *measure,
                                                  GArray     **area_ids,
                                                  GArray     **estimates,
                                                  GArray     **moes,
                                                  char       **attribute,
                                                  GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwDictionaryEntry, tw_dictionary_entry_free)

G_END_DECLS
