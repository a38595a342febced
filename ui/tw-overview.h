/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tw-store.h"

G_BEGIN_DECLS

/* The page a project opens on when it has no map to show: its name, its partners and
 * projects, its geographies and measures. */

#define TW_TYPE_OVERVIEW (tw_overview_get_type ())

G_DECLARE_FINAL_TYPE (TwOverview, tw_overview, TW, OVERVIEW, GtkWidget)

/* Shows @summary of the project file called @basename (as it is displayed). */
void tw_overview_show (TwOverview             *self,
                       const char             *basename,
                       const TwProjectSummary *summary);

G_END_DECLS
