/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A toast showing @text as it is. A toast's title is Pango markup, and the names in it are
 * the user's ("Boys & Girls Club"), as are file names and error messages. */
static inline AdwToast *
tw_toast_new_plain (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autofree char *escaped = g_markup_escape_text (valid, -1);

  return adw_toast_new (escaped);
}

G_END_DECLS
