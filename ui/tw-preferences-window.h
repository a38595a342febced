/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TW_TYPE_PREFERENCES_WINDOW (tw_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (TwPreferencesWindow, tw_preferences_window, TW, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* The preferences of @settings (may be NULL: the rows are then insensitive) and the
 * suppression policy of the project @parent shows, when @parent is a Tractwise window. */
TwPreferencesWindow *tw_preferences_window_new        (GtkWindow           *parent,
                                                       GSettings           *settings);
/* Sets the project's policy as the rows do: a preset name (cms, wonder, uscs) or NULL and a
 * custom @min_count. It is saved in a thread; "policy-saved" follows. */
void                 tw_preferences_window_set_policy (TwPreferencesWindow *self,
                                                       const char          *preset,
                                                       guint                min_count);
/* TRUE while the project's policy is being read or saved. */
gboolean             tw_preferences_window_get_busy   (TwPreferencesWindow *self);

/* Who the user is, as the preferences say: trimmed, "" when not given. The Unix account's
 * name never stands in for it. */
char                *tw_preferences_get_user_name         (void);
char                *tw_preferences_get_user_organisation (void);
/* Remembers @name and/or @organisation (NULL leaves one as it is). */
void                 tw_preferences_set_user              (const char *name,
                                                           const char *organisation);
/* "Ana Ruiz (Boston Medical Center)", "Ana Ruiz", or NULL when no name is given. */
char                *tw_preferences_describe_user         (void);

G_END_DECLS
