/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The file the user accepted in @native (with @response), when it has a local path: NULL
 * when they cancelled or chose a file with none (a remote location, for one). */
GFile *tw_chooser_get_local_file (GtkNativeDialog *native,
                                  int              response);

G_END_DECLS
