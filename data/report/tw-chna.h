/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "tw-store.h"

G_BEGIN_DECLS

/*
 * The data sections of a Community Health Needs Assessment (26 CFR §1.501(r)-3), one
 * tagged PDF on the brief's layout engine, each section headed as the regulation names it
 * and filled from the workspace:
 *
 *   Community served           the geographies, their areas and population, by group
 *   Process and methods        the data dictionary, sources and vintages, the methods and
 *                              the suppression policy
 *   Community input            the partners and the comments they sent back
 *   Significant health needs   every measure ranked by a stated criterion, with its
 *                              reliability
 *   Resources available        the partner registry
 *   Impact of actions taken    the projects and their evaluations
 *
 * Only published figures are printed, as in the brief: pooled figures over shown counts
 * only. The report is written to the audit log ("export-chna").
 */

typedef struct
{
  const char *organisation;  /* NULL: the workspace's, if stored */
  const char *title;         /* NULL: "Community Health Needs Assessment: data" */
  const char *source;        /* a source line under the title; NULL: none (the data
                              * dictionary names every source) */
} TwChnaOptions;

gboolean tw_chna_write (TwStore             *store,
                        const TwChnaOptions *options,
                        const char          *path,
                        GCancellable        *cancellable,
                        GError             **error);

/* The report's first page drawn on @cr in points (612 × 792), for a preview: the same
 * figures as tw_chna_write, untagged, nothing audited. */
gboolean tw_chna_render_first_page (TwStore             *store,
                                    const TwChnaOptions *options,
                                    cairo_t             *cr,
                                    GCancellable        *cancellable,
                                    GError             **error);

G_END_DECLS
