/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Shows @heading and @body in a dialog over @parent that the user closes. */
void tw_alert_present (GtkWindow  *parent,
                       const char *heading,
                       const char *body);

G_END_DECLS
