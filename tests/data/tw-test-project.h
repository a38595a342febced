/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-store.h"
#include "tw-suppression.h"

G_BEGIN_DECLS

/* A project in a temporary folder, filled through SQL so that the tests of the rate table
 * and the choropleth depend on those alone, not on the importers. */
typedef struct
{
  char    *dir;
  char    *path;
  TwStore *store;
} Project;

/* A little-endian WKB square of @size degrees at (@lon, @lat). */
GBytes  *square_wkb    (double      lon,
                        double      lat,
                        double      size);
void     exec          (Project    *p,
                        const char *sql);
/* The single number the query @sql returns (a count). */
gint64   count         (TwStore    *store,
                        const char *sql);
gint64   add_geography (Project    *p,
                        const char *name);
gint64   add_area      (Project    *p,
                        gint64      geography,
                        const char *geoid,
                        double      lon,
                        double      lat);
gint64   add_measure   (Project    *p,
                        const char *code,
                        const char *kind,
                        double      multiplier);
void     add_outcome   (Project    *p,
                        gint64      measure,
                        gint64      area,
                        const char *period,
                        const char *stratum,
                        double      numerator,
                        double      denominator);
Project *project_new   (void);
void     project_free  (Project    *p);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Project, project_free)

/* The policy of the preset @name ("cms", "nchs-rates" …). */
TwSuppressionPolicy preset_policy (const char *name);

G_END_DECLS
