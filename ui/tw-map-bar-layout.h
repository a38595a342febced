/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * The map's control bar lays its children out in a row and wraps them onto a new line
 * where the window is too narrow, each at its natural width: a picker is never shortened
 * to "Boston tr…" while there is room below. Before it wraps, the children whose layout
 * property "fold" is set (buttons that drop their labels) give up width to keep one line:
 * a second line would take height from the map and its legend. A line's spare width goes
 * to its children that expand horizontally (GTK 4.8 and libadwaita 1.2 have no wrap box).
 */

#define TW_TYPE_MAP_BAR_LAYOUT (tw_map_bar_layout_get_type ())

G_DECLARE_FINAL_TYPE (TwMapBarLayout, tw_map_bar_layout, TW, MAP_BAR_LAYOUT, GtkLayoutManager)

#define TW_TYPE_MAP_BAR_LAYOUT_CHILD (tw_map_bar_layout_child_get_type ())

G_DECLARE_FINAL_TYPE (TwMapBarLayoutChild, tw_map_bar_layout_child, TW, MAP_BAR_LAYOUT_CHILD,
                      GtkLayoutChild)

G_END_DECLS
