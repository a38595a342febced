/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-document.h"

G_BEGIN_DECLS

typedef struct _TwApplication TwApplication;

#define TW_TYPE_WINDOW (tw_window_get_type ())

G_DECLARE_FINAL_TYPE (TwWindow, tw_window, TW, WINDOW, AdwApplicationWindow)

TwWindow *tw_window_new         (TwApplication *application);
/* Opens the project at @file: its summary is read in a worker thread, the window shows it
 * when done; an error is shown in a dialog and leaves what was shown before in place. */
void      tw_window_open        (TwWindow      *self,
                                 GFile         *file);
/* The project shown, or NULL. */
GFile    *tw_window_get_file    (TwWindow      *self);
/* The document of the project shown, or NULL. */
TwDocument *tw_window_get_document (TwWindow   *self);
/* TRUE while a project is being read; notifies "loading". */
gboolean  tw_window_get_loading (TwWindow      *self);
/* Opens the import assistant for @source into the project shown. */
void      tw_window_import_file (TwWindow      *self,
                                 GFile         *source);
/* What dropping @files (GFile *) on the window does: a project is opened, anything else is
 * imported. */
gboolean  tw_window_drop_files  (TwWindow      *self,
                                 GSList        *files);

G_END_DECLS
