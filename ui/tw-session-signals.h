/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-map-session.h"

G_BEGIN_DECLS

/* A view's handlers of its session's notifications ("notify::layer" and so on), each
 * called swapped with the view. */
typedef struct
{
  const char *signal;
  GCallback   callback;
} TwSessionHandler;

/* One GSignalGroup holding @handlers for @view: setting its target to a session (or NULL)
 * connects (or disconnects) them all at once. */
static inline GSignalGroup *
tw_session_signals_new (gpointer                view,
                        const TwSessionHandler *handlers,
                        guint                   n_handlers)
{
  GSignalGroup *group = g_signal_group_new (TW_TYPE_MAP_SESSION);

  for (guint i = 0; i < n_handlers; i++)
    g_signal_group_connect_object (group, handlers[i].signal, handlers[i].callback, view,
                                   G_CONNECT_SWAPPED);
  return group;
}

G_END_DECLS
