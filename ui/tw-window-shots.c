/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-window"

/* The screenshot tour (app/screenshots/take-screenshots) waits for what it photographs
 * instead of sleeping a fixed time, which under load was sometimes too short: with
 * TW_SHOT_READY=FILE in the environment, the window shows the view TW_SHOT_VIEW names and
 * writes FILE once it is drawn. Views: start (no workspace), map, table, analysis,
 * projects:ID (that project in the editor), comments, share (the Share dialog), change
 * (the map of change between two periods). */

#include <string.h>

#include "tw-share-dialog.h"
#include "tw-window-private.h"

/* Frames drawn unchanged after the view is ready, for late layout and fades. */
#define SETTLE_FRAMES 12

struct _ShotState
{
  char          *view;
  char          *ready;
  gboolean       shown;    /* the view has been asked for */
  guint          settled;  /* frames drawn since it was ready */
  TwShareDialog *dialog;   /* a weak pointer */
  guint          tick_id;
};

static TwShareDialog *
find_share_dialog (TwWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (TW_IS_SHARE_DIALOG (window)
          && gtk_window_get_transient_for (window) == GTK_WINDOW (self))
        return TW_SHARE_DIALOG (window);
    }
  return NULL;
}

static void
show_view (TwWindow  *self,
           ShotState *shot)
{
  if (g_str_equal (shot->view, "table"))
    g_object_set (self->controls, "show-table", TRUE, NULL);
  else if (g_str_equal (shot->view, "analysis"))
    g_object_set (self->controls, "show-analysis", TRUE, NULL);
  else if (g_str_has_prefix (shot->view, "projects"))
    {
      const char *id = strchr (shot->view, ':');

      adw_view_stack_set_visible_child_name (self->view_stack, "projects");
      if (id != NULL)
        tw_projects_page_select (self->projects_page, g_ascii_strtoll (id + 1, NULL, 10));
    }
  else if (g_str_equal (shot->view, "comments"))
    adw_view_stack_set_visible_child_name (self->view_stack, "comments");
  else if (g_str_equal (shot->view, "change"))
    tw_map_session_set_mode (self->session, TW_MAP_MODE_CHANGE);
  else if (g_str_equal (shot->view, "share"))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.share", NULL);
      shot->dialog = find_share_dialog (self);
      if (shot->dialog != NULL)
        g_object_add_weak_pointer (G_OBJECT (shot->dialog), (gpointer *) &shot->dialog);
    }
}

static gboolean
view_ready (TwWindow  *self,
            ShotState *shot)
{
  if (g_str_equal (shot->view, "start"))
    return !tw_window_get_loading (self);
  if (g_str_equal (shot->view, "share"))
    return shot->dialog != NULL && !tw_share_dialog_get_loading (shot->dialog);
  if (g_str_has_prefix (shot->view, "projects") || g_str_equal (shot->view, "comments"))
    return TRUE;
  return !tw_map_session_get_busy (self->session) && tw_window_get_map_drawn (self);
}

static gboolean
shot_tick (GtkWidget     *widget,
           GdkFrameClock *clock,
           gpointer       user_data)
{
  TwWindow *self = TW_WINDOW (widget);
  ShotState *shot = self->shot;
  g_autoptr(GError) error = NULL;

  if (!shot->shown)
    {
      /* A workspace to open comes after the window: wait for its map first. */
      if (!g_str_equal (shot->view, "start")
          && (self->file == NULL || tw_window_get_loading (self)
              || !tw_window_get_map_drawn (self)))
        return G_SOURCE_CONTINUE;
      show_view (self, shot);
      shot->shown = TRUE;
    }
  if (!view_ready (self, shot))
    {
      shot->settled = 0;
      return G_SOURCE_CONTINUE;
    }
  if (++shot->settled < SETTLE_FRAMES)
    return G_SOURCE_CONTINUE;

  if (!g_file_set_contents (shot->ready, shot->view, -1, &error))
    g_warning ("Could not say the window is ready: %s", error->message);
  shot->tick_id = 0;
  return G_SOURCE_REMOVE;
}

void
tw_window_shots_init (TwWindow *self)
{
  const char *ready = g_getenv ("TW_SHOT_READY");
  const char *view = g_getenv ("TW_SHOT_VIEW");

  if (ready == NULL || *ready == '\0')
    return;
  self->shot = g_new0 (ShotState, 1);
  self->shot->ready = g_strdup (ready);
  self->shot->view = g_strdup (view != NULL && *view != '\0' ? view : "map");
  self->shot->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), shot_tick, NULL, NULL);
}

void
tw_window_shots_dispose (TwWindow *self)
{
  if (self->shot == NULL)
    return;
  if (self->shot->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->shot->tick_id);
  if (self->shot->dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->shot->dialog),
                                  (gpointer *) &self->shot->dialog);
  g_free (self->shot->view);
  g_free (self->shot->ready);
  g_clear_pointer (&self->shot, g_free);
}
