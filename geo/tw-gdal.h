/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Registers GDAL's drivers once, and keeps GDAL from printing its own messages: whoever
 * calls GDAL reads them with CPLGetLastErrorMsg () and says them in Tractwise's words.
 * Every module that opens a file through GDAL calls this first; it is cheap to repeat. */
void tw_gdal_init (void);

G_END_DECLS
