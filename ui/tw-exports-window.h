/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-document.h"

G_BEGIN_DECLS

#define TW_TYPE_EXPORTS_WINDOW (tw_exports_window_get_type ())

G_DECLARE_FINAL_TYPE (TwExportsWindow, tw_exports_window, TW, EXPORTS_WINDOW, AdwWindow)

/* The project's exports (maps, briefs, share packages, prints) from its audit log, the
 * newest first, each with its date, kind and file, and an Open button while the file is
 * still where it was written. */
TwExportsWindow *tw_exports_window_new         (GtkWindow       *parent,
                                                TwDocument      *document);

/* What the tests look at: whether the list is still being read, and each row as
 * "title\nsubtitle" with "\nopen" when it has an Open button. */
gboolean         tw_exports_window_get_loading (TwExportsWindow *self);
GStrv            tw_exports_window_get_rows    (TwExportsWindow *self);

G_END_DECLS
