/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Makes Tab and Shift+Tab leave @list (a GtkColumnView or GtkListView) in one press; the
 * arrow keys still move along its rows. GTK 4.8's lists take Tab from row to row, so a
 * keyboard user would press it once per row to get past a table of a hundred areas (GTK 4.12
 * added GtkListTabBehavior for this). */
void tw_focus_tab_leaves_list (GtkWidget *list);

G_END_DECLS
