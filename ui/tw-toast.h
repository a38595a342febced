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

/* Shows @toast in the toast overlay around @widget; without one (a page not yet in a window)
 * the toast is dropped. */
static inline void
tw_toast_show (GtkWidget *widget,
               AdwToast  *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

G_END_DECLS
