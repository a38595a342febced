/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The demo project, built by the same steps as build-aux/make-demo: North Carolina SIDS
 * counties (real) and Boston 1970 tracts with SYNTHETIC outcomes, from the files of
 * data/demo/ (installed to $pkgdatadir/demo). */

/* The folder holding the demo's source files: @installed when it holds them, else the
 * source tree's data/demo/ (a program run from its build folder). NULL when neither. */
char     *tw_demo_find_data (const char   *installed,
                             const char   *source_tree);

/* Builds the demo project at @out from @data_dir; it is written beside @out first and
 * moved into place at the end, so @out is never half made. */
gboolean  tw_demo_build     (const char   *data_dir,
                             const char   *out,
                             GCancellable *cancellable,
                             GError      **error);

G_END_DECLS
