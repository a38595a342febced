/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-window"

/* The last map of each workspace: what the map showed when its window closed (geography,
 * measure, period, group, classes and palette) is what it shows when the workspace opens
 * again. It is kept in the user's settings, keyed by the file's URI, never in the
 * workspace: a file sent on, or a partner's review copy, carries nothing of what was looked
 * at, and a read-only review copy remembers its map like any other. The analyst view is
 * never remembered. */

#include "tw-application.h"
#include "tw-map-catalog.h"
#include "tw-window-private.h"

#define LAST_MAPS_KEY "last-maps"
/* Enough for every workspace a person works on; the oldest are forgotten. */
#define LAST_MAPS_MAX 40

static GSettings *
window_settings (TwWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return TW_IS_APPLICATION (app) ? tw_application_get_settings (TW_APPLICATION (app)) : NULL;
}

static GVariant *
string_or_empty (const char *text)
{
  return g_variant_new_string (text != NULL ? text : "");
}

static const TwMapMeasure *
find_measure (GPtrArray  *measures,
              const char *code)
{
  for (guint i = 0; measures != NULL && i < measures->len; i++)
    {
      const TwMapMeasure *measure = g_ptr_array_index (measures, i);

      if (g_strcmp0 (measure->code, code) == 0)
        return measure;
    }
  return NULL;
}

void
tw_window_last_map_save (TwWindow *self)
{
  GSettings *settings = window_settings (self);
  TwMapSession *session = self->session;
  g_autoptr(GVariant) old = NULL;
  g_autofree char *uri = NULL;
  GVariantBuilder maps, map;
  GVariantIter iter;
  const char *key;
  GVariant *value;
  guint kept = 1;

  g_assert (TW_IS_WINDOW (self));

  /* A restore not yet applied: the map shown is not the user's choice. */
  if (settings == NULL || self->file == NULL || self->last_map != NULL
      || tw_map_session_get_document (session) != self->document
      || tw_map_session_get_measure (session) == NULL)
    return;

  uri = g_file_get_uri (self->file);
  g_variant_builder_init (&map, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&map, "{sv}", "geography",
                         string_or_empty (tw_map_session_get_geography (session)));
  g_variant_builder_add (&map, "{sv}", "measure",
                         string_or_empty (tw_map_session_get_measure (session)));
  g_variant_builder_add (&map, "{sv}", "period",
                         string_or_empty (tw_map_session_get_period (session)));
  g_variant_builder_add (&map, "{sv}", "group",
                         string_or_empty (tw_map_session_get_group (session)));
  g_variant_builder_add (&map, "{sv}", "method",
                         g_variant_new_uint32 (tw_map_session_get_method (session)));
  g_variant_builder_add (&map, "{sv}", "classes",
                         g_variant_new_uint32 (tw_map_session_get_classes (session)));
  g_variant_builder_add (&map, "{sv}", "breaks",
                         string_or_empty (tw_map_session_get_breaks (session)));
  g_variant_builder_add (&map, "{sv}", "palette",
                         string_or_empty (tw_map_session_get_palette (session)));

  /* This workspace first, then the others as they were, most recent first. */
  g_variant_builder_init (&maps, G_VARIANT_TYPE ("a{sa{sv}}"));
  g_variant_builder_add (&maps, "{s@a{sv}}", uri, g_variant_builder_end (&map));
  old = g_settings_get_value (settings, LAST_MAPS_KEY);
  g_variant_iter_init (&iter, old);
  while (kept < LAST_MAPS_MAX && g_variant_iter_next (&iter, "{&s@a{sv}}", &key, &value))
    {
      if (g_strcmp0 (key, uri) != 0)
        {
          g_variant_builder_add (&maps, "{s@a{sv}}", key, value);
          kept++;
        }
      g_variant_unref (value);
    }
  g_settings_set_value (settings, LAST_MAPS_KEY, g_variant_builder_end (&maps));
}

/* The last map remembered for @file, or NULL. */
static GVariant *
lookup_last_map (TwWindow *self,
                 GFile    *file)
{
  GSettings *settings = window_settings (self);
  g_autoptr(GVariant) maps = NULL;
  g_autofree char *uri = NULL;
  GVariant *map = NULL;

  if (settings == NULL)
    return NULL;
  uri = g_file_get_uri (file);
  maps = g_settings_get_value (settings, LAST_MAPS_KEY);
  if (!g_variant_lookup (maps, uri, "@a{sv}", &map))
    return NULL;
  return map;
}

char *
tw_window_last_map_geography (TwWindow *self,
                              GFile    *file)
{
  g_autoptr(GVariant) map = NULL;
  char *geography = NULL;

  g_assert (TW_IS_WINDOW (self));

  if ((map = lookup_last_map (self, file)) != NULL)
    g_variant_lookup (map, "geography", "s", &geography);
  return geography;
}

void
tw_window_last_map_restore (TwWindow *self,
                            GFile    *file)
{
  g_autoptr(GVariant) map = NULL;
  const char *palette = NULL, *breaks = NULL;
  guint32 method, classes;

  g_assert (TW_IS_WINDOW (self));

  g_clear_pointer (&self->last_map, g_variant_unref);
  g_clear_handle_id (&self->last_map_idle, g_source_remove);
  if ((map = lookup_last_map (self, file)) == NULL)
    return;

  /* How the map is drawn does not depend on what the workspace holds: set at once. */
  if (g_variant_lookup (map, "method", "u", &method) && method <= TW_CLASSIFY_MANUAL)
    tw_map_session_set_method (self->session, method);
  if (g_variant_lookup (map, "classes", "u", &classes)
      && classes >= TW_CLASSIFY_MIN_CLASSES && classes <= TW_CLASSIFY_MAX_CLASSES)
    tw_map_session_set_classes (self->session, classes);
  if (g_variant_lookup (map, "breaks", "&s", &breaks))
    tw_map_session_set_breaks (self->session, breaks);
  if (g_variant_lookup (map, "palette", "&s", &palette)
      && g_strv_contains (tw_map_controls_get_palettes (self->controls), palette))
    tw_map_session_set_palette (self->session, palette);

  /* What the map shows waits for the workspace's geographies and measures. */
  self->last_map = g_steal_pointer (&map);
}

/* Run once the layer has been applied: a geography, measure, period or group set from
 * inside the session's notification would be overtaken by the work it starts after. */
static gboolean
apply_last_map (gpointer user_data)
{
  TwWindow *self = user_data;
  TwMapSession *session = self->session;
  g_autoptr(GVariant) map = NULL;
  const TwMapMeasure *measure;
  const char *geography, *code, *period, *group;

  self->last_map_idle = 0;
  if (self->last_map == NULL || tw_map_session_get_layer (session) == NULL)
    return G_SOURCE_REMOVE;

  if (g_variant_lookup (self->last_map, "geography", "&s", &geography)
      && g_strcmp0 (geography, tw_map_session_get_geography (session)) != 0
      && g_strv_contains (tw_map_session_get_geographies (session), geography))
    {
      /* Its layer comes back here. */
      tw_map_session_set_geography (session, geography);
      return G_SOURCE_REMOVE;
    }

  map = g_steal_pointer (&self->last_map);
  if (!g_variant_lookup (map, "measure", "&s", &code)
      || (measure = find_measure (tw_map_session_get_measures (session), code)) == NULL)
    return G_SOURCE_REMOVE;
  tw_map_session_set_measure (session, code);
  if (g_variant_lookup (map, "period", "&s", &period)
      && g_strv_contains ((const char * const *) measure->periods, period))
    tw_map_session_set_period (session, period);
  if (g_variant_lookup (map, "group", "&s", &group)
      && g_strv_contains ((const char * const *) measure->strata, group))
    tw_map_session_set_group (session, group);
  return G_SOURCE_REMOVE;
}

static void
on_session_layer (TwWindow *self)
{
  if (self->last_map != NULL && self->last_map_idle == 0
      && tw_map_session_get_layer (self->session) != NULL)
    self->last_map_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, apply_last_map, self, NULL);
}

void
tw_window_last_map_init (TwWindow *self)
{
  g_signal_connect_object (self->session, "notify::layer",
                           G_CALLBACK (on_session_layer), self, G_CONNECT_SWAPPED);
}

void
tw_window_last_map_dispose (TwWindow *self)
{
  g_clear_handle_id (&self->last_map_idle, g_source_remove);
  g_clear_pointer (&self->last_map, g_variant_unref);
}
