/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TW_TYPE_START_PAGE (tw_start_page_get_type ())

G_DECLARE_FINAL_TYPE (TwStartPage, tw_start_page, TW, START_PAGE, AdwBin)

#define TW_PROJECT_MIME_TYPE "application/x-tractwise"

/* What a window shows with no project: Open, New, the demo and the recent projects.
 * Emits "open" with the project to open. */
GtkWidget *tw_start_page_new            (void);
/* Adds @file to the recent projects of every start page (GtkRecentManager). */
void       tw_start_page_add_recent     (GFile       *file);
/* The recent projects listed, newest first. */
guint      tw_start_page_get_n_recent   (TwStartPage *self);
GFile     *tw_start_page_get_recent     (TwStartPage *self,
                                         guint        index);
/* Removes the @index-th recent project from the list, with a toast to undo it. */
void       tw_start_page_remove_recent  (TwStartPage *self,
                                         guint        index);
/* Where the demo project is kept: $XDG_DATA_HOME/tractwise/demo.tractwise. */
char      *tw_start_page_get_demo_path  (void);
/* Opens the demo, building it first when it is not there yet. */
void       tw_start_page_open_demo      (TwStartPage *self);

G_END_DECLS
