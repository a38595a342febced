/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/*
 * Choices read whole. GTK's and libadwaita's own rows shorten a long choice with "…"
 * (a combo row's at 20 characters), so "Memorandum of understanding" or a measure's name
 * could not be told from its neighbours. These factories show the text of each
 * GtkStringObject whole: a list as wide as its longest choice, and a combo row's value
 * over two lines when the row is narrow.
 */

/* The list @dropdown opens shows every choice whole (its button keeps its own factory). */
void tw_drop_down_list_whole (GtkDropDown *dropdown);
/* @row's list shows every choice whole, with a check mark on the one chosen, and the row
 * its value whole. */
void tw_combo_row_show_whole (AdwComboRow *row);

G_END_DECLS
