/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-focus"

#include "tw-focus.h"

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkWidget             *list)
{
  GtkDirectionType direction;
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (list));
  gboolean moved;

  if (keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab)
    direction = (state & GDK_SHIFT_MASK) ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD;
  else if (keyval == GDK_KEY_ISO_Left_Tab)
    direction = GTK_DIR_TAB_BACKWARD;
  else
    return FALSE;
  if (root == NULL || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)))
    return FALSE;

  /* The window's own focus chain, with the list left out for one move: the focus goes to
   * whatever comes after (or before) it, wrapping round at the end as Tab does. */
  gtk_widget_set_can_focus (list, FALSE);
  moved = gtk_widget_child_focus (root, direction);
  if (!moved)
    {
      gtk_root_set_focus (GTK_ROOT (root), NULL);
      moved = gtk_widget_child_focus (root, direction);
    }
  gtk_widget_set_can_focus (list, TRUE);
  return moved;
}

void
tw_focus_tab_leaves_list (GtkWidget *list)
{
  GtkEventController *keys;

  g_return_if_fail (GTK_IS_WIDGET (list));

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_key_pressed), list, 0);
  gtk_widget_add_controller (list, keys);
}
