/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-map-keys"

#include <glib/gi18n.h>

#include "tw-map-keys.h"

#define PAN_FRACTION 0.125

static void
pan (ShumateSimpleMap *simple,
     double            dx,
     double            dy)
{
  ShumateMap *map = shumate_simple_map_get_map (simple);
  ShumateViewport *viewport = shumate_simple_map_get_viewport (simple);
  double width = gtk_widget_get_width (GTK_WIDGET (map));
  double height = gtk_widget_get_height (GTK_WIDGET (map));
  double lat, lon;

  if (width <= 0 || height <= 0)
    return;
  shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (map),
                                              width / 2 + dx * width * PAN_FRACTION,
                                              height / 2 + dy * height * PAN_FRACTION,
                                              &lat, &lon);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
}

static void
zoom_by (ShumateSimpleMap *simple,
         double            levels)
{
  ShumateViewport *viewport = shumate_simple_map_get_viewport (simple);
  double zoom = shumate_viewport_get_zoom_level (viewport) + levels;

  zoom = CLAMP (zoom, shumate_viewport_get_min_zoom_level (viewport),
                shumate_viewport_get_max_zoom_level (viewport));
  shumate_viewport_set_zoom_level (viewport, zoom);
}

gboolean
tw_map_keys_press (ShumateSimpleMap *map,
                   guint             keyval,
                   GdkModifierType   state)
{
  g_return_val_if_fail (SHUMATE_IS_SIMPLE_MAP (map), FALSE);

  /* Alt and Super belong to the desktop; Ctrl with + and − is the usual zoom. */
  if (state & (GDK_ALT_MASK | GDK_SUPER_MASK))
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      pan (map, -1, 0);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      pan (map, 1, 0);
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      pan (map, 0, -1);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      pan (map, 0, 1);
      return TRUE;
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      zoom_by (map, 1);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_underscore:
    case GDK_KEY_KP_Subtract:
      zoom_by (map, -1);
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                ShumateSimpleMap      *map)
{
  return tw_map_keys_press (map, keyval, state);
}

static void
on_click_pressed (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  GtkWidget       *map)
{
  gtk_widget_grab_focus (map);
}

/* libshumate's zoom buttons show only an icon, with an untranslated tooltip: a screen reader
 * would call them "button". They are the keys' twins, so they say so. */
static void
name_zoom_buttons (GtkWidget *widget)
{
  GtkWidget *child = GTK_IS_BUTTON (widget) ? gtk_button_get_child (GTK_BUTTON (widget)) : NULL;

  if (GTK_IS_IMAGE (child) && gtk_image_get_icon_name (GTK_IMAGE (child)) != NULL)
    {
      const char *icon = gtk_image_get_icon_name (GTK_IMAGE (child));
      const char *label = NULL, *description = NULL;

      if (g_strcmp0 (icon, "zoom-in-symbolic") == 0)
        {
          label = _("Zoom In");
          description = _("The plus key does the same on the map");
        }
      else if (g_strcmp0 (icon, "zoom-out-symbolic") == 0)
        {
          label = _("Zoom Out");
          description = _("The minus key does the same on the map");
        }
      if (label != NULL)
        {
          gtk_widget_set_tooltip_text (widget, label);
          gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                          GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                          -1);
        }
      return;
    }
  for (child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    name_zoom_buttons (child);
}

void
tw_map_keys_attach (ShumateSimpleMap *map)
{
  GtkWidget *inner;
  GtkEventController *keys;
  GtkGesture *click;

  g_return_if_fail (SHUMATE_IS_SIMPLE_MAP (map));

  inner = GTK_WIDGET (shumate_simple_map_get_map (map));
  gtk_widget_set_focusable (inner, TRUE);
  gtk_widget_set_focus_on_click (inner, TRUE);
  gtk_widget_add_css_class (inner, "focusable-map");
  gtk_accessible_update_property (GTK_ACCESSIBLE (inner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Map"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Arrow keys move the map; plus and minus zoom in and out. "
                                    "The table of areas lists every figure as text."),
                                  -1);

  name_zoom_buttons (GTK_WIDGET (map));

  keys = gtk_event_controller_key_new ();
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_key_pressed), map, 0);
  gtk_widget_add_controller (inner, keys);

  /* A click on the map gives it the keys, as on any other control. */
  click = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_click_pressed), inner, 0);
  gtk_widget_add_controller (inner, GTK_EVENT_CONTROLLER (click));
}
