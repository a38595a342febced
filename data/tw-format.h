/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @value with its digits grouped by thousands ("12,345"), by @separator (NULL or "": a
 * comma). Pages and files use the comma; the window uses the locale's separator. */
char *tw_format_count        (gint64      value,
                              const char *separator);
/* The same, with the locale's separator (a comma where the locale has none, as in "C"). */
char *tw_format_count_locale (gint64      value);

G_END_DECLS
