/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-choropleth.h"
#include "tw-store.h"

G_BEGIN_DECLS

/*
 * The web map: one HTML file that opens offline in any browser, for partners who do not
 * run Tractwise. Inline style and script, and a Content-Security-Policy that forbids every
 * request (the script allowed by its hash). The areas are SVG paths simplified once per
 * shared border (tw-arcs), filled with the choropleth's own classes and palette, hatched
 * and grey as the app draws suppressed and no-data areas; a legend with the counts of
 * areas; hover and keyboard navigation (Tab into the map, arrow keys between areas) with a
 * details panel; and a sortable table of every area as the accessible alternative.
 *
 * Only published figures are written: a suppressed area has its name, GEOID and the word
 * "suppressed", and nothing else — no count, denominator, rate, interval or rank, in no
 * attribute, comment or script. Rates and intervals are at publication precision.
 */

typedef enum
{
  TW_HTML_LANGUAGE_EN,
  TW_HTML_LANGUAGE_ES,
} TwHtmlLanguage;

typedef struct
{
  const char     *title;      /* NULL: the measure's label */
  TwHtmlLanguage  language;
} TwHtmlOptions;

/* What was written, for the command line. */
typedef struct
{
  guint  n_areas;      /* areas drawn and rows in the table */
  guint  n_arcs;       /* distinct borders after shared-edge simplification */
  gsize  bytes;
} TwHtmlSummary;

/* "en" or "es"; FALSE and TW_EXPORT_ERROR_INVALID otherwise. */
gboolean    tw_html_language_from_string (const char          *code,
                                          TwHtmlLanguage      *language,
                                          GError             **error);
const char *tw_html_language_to_string   (TwHtmlLanguage       language);

/* Writes @map (never revealed: TW_EXPORT_ERROR_INVALID) to @path as one HTML file, through
 * a temporary file, and adds an "export-map" row of format "html" to @store's audit log.
 * @summary may be NULL. */
gboolean    tw_html_export_write         (TwStore             *store,
                                          TwChoropleth        *map,
                                          const TwHtmlOptions *options,
                                          const char          *path,
                                          TwHtmlSummary       *summary,
                                          GError             **error);

G_END_DECLS
