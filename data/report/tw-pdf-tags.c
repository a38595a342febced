/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-pdf-tags"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tw-export.h"
#include "tw-pdf-tags.h"

typedef struct
{
  JsonObject *objects;   /* "obj:N 0 R" → { "value": … } */
  GPtrArray  *figures;   /* object keys of the Figure elements, in reading order */
} Walk;

/* The object a reference such as "4 0 R" names, or NULL. */
static JsonObject *
lookup_dictionary (JsonObject  *objects,
                   const char  *reference,
                   char       **key)
{
  g_autofree char *name = g_strconcat ("obj:", reference, NULL);
  JsonObject *object;
  JsonNode *value;

  if (!json_object_has_member (objects, name))
    return NULL;
  object = json_object_get_object_member (objects, name);
  if (object == NULL || !json_object_has_member (object, "value"))
    return NULL;
  value = json_object_get_member (object, "value");
  if (!JSON_NODE_HOLDS_OBJECT (value))
    return NULL;
  if (key != NULL)
    *key = g_steal_pointer (&name);
  return json_node_get_object (value);
}

static gboolean
is_reference (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         && g_str_has_suffix (json_node_get_string (node), " R");
}

/* Depth first through /K, which holds a reference, a marked-content number or an array of
 * either: the order in which the content is read. */
static void
walk_kids (Walk     *walk,
           JsonNode *kids,
           guint     depth)
{
  if (depth > 64 || kids == NULL)
    return;
  if (JSON_NODE_HOLDS_ARRAY (kids))
    {
      JsonArray *array = json_node_get_array (kids);

      for (guint i = 0; i < json_array_get_length (array); i++)
        walk_kids (walk, json_array_get_element (array, i), depth + 1);
      return;
    }
  if (is_reference (kids))
    {
      g_autofree char *key = NULL;
      JsonObject *element = lookup_dictionary (walk->objects, json_node_get_string (kids), &key);

      if (element == NULL)
        return;
      if (g_strcmp0 (json_object_get_string_member_with_default (element, "/S", ""),
                     "/Figure") == 0)
        g_ptr_array_add (walk->figures, g_steal_pointer (&key));
      if (json_object_has_member (element, "/K"))
        walk_kids (walk, json_object_get_member (element, "/K"), depth + 1);
    }
}

static void
add_update (JsonObject *updates,
            const char *key,
            JsonObject *value)
{
  JsonObject *object = json_object_new ();

  json_object_set_object_member (object, "value", json_object_ref (value));
  json_object_set_object_member (updates, key, object);
}

static gboolean
run_qpdf (const char *const  *argv,
          char              **out,
          GError            **error)
{
  g_autofree char *err = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, &err,
                     &status, error))
    return FALSE;
  /* Exit status 3 is "succeeded with warnings". */
  if (!g_spawn_check_wait_status (status, NULL) && !(WIFEXITED (status)
                                                     && WEXITSTATUS (status) == 3))
    {
      g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_WRITE, "qpdf: %s",
                   err != NULL ? g_strstrip (err) : "failed");
      return FALSE;
    }
  return TRUE;
}

gboolean
tw_pdf_tags_complete (const char  *path,
                      const char  *language,
                      GPtrArray   *alts,
                      GError     **error)
{
  const char *read_argv[] = { "qpdf", "--json=2", "--json-key=qpdf", "--json-stream-data=none",
                              path, "-", NULL };
  g_autofree char *json = NULL;
  g_autofree char *update_path = NULL;
  g_autofree char *update_arg = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonObject) updates = json_object_new ();
  g_autoptr(JsonNode) root_node = NULL;
  g_autoptr(GPtrArray) figures = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *catalog_key = NULL;
  g_autofree char *qpdf_path = g_find_program_in_path ("qpdf");
  JsonArray *qpdf;
  JsonObject *objects, *trailer, *catalog, *tree;
  JsonObject *preferences;
  Walk walk;
  int fd;
  gboolean ok;

  g_return_val_if_fail (path != NULL && alts != NULL, FALSE);

  if (qpdf_path == NULL)
    {
      g_warning ("%s: qpdf is not installed, so the figures' alternative text and the "
                 "language are left out; install qpdf", path);
      return TRUE;
    }
  if (!run_qpdf (read_argv, &json, error) || !json_parser_load_from_data (parser, json, -1,
                                                                          error))
    return FALSE;
  qpdf = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                       "qpdf");
  objects = json_array_get_object_element (qpdf, 1);
  trailer = json_object_get_object_member (json_object_get_object_member (objects, "trailer"),
                                           "value");
  catalog = lookup_dictionary (objects, json_object_get_string_member (trailer, "/Root"),
                               &catalog_key);
  if (catalog == NULL)
    {
      g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_WRITE, "%s: no catalog", path);
      return FALSE;
    }

  walk.objects = objects;
  walk.figures = figures;
  tree = json_object_has_member (catalog, "/StructTreeRoot")
         ? lookup_dictionary (objects, json_object_get_string_member (catalog,
                                                                      "/StructTreeRoot"), NULL)
         : NULL;
  if (tree != NULL && json_object_has_member (tree, "/K"))
    walk_kids (&walk, json_object_get_member (tree, "/K"), 0);
  if (figures->len != alts->len)
    g_warning ("%s: %u figures tagged, %u alternative texts", path, figures->len, alts->len);
  for (guint i = 0; i < MIN (figures->len, alts->len); i++)
    {
      const char *key = g_ptr_array_index (figures, i);
      JsonObject *figure = json_node_get_object (
        json_object_get_member (json_object_get_object_member (objects, key), "value"));
      g_autofree char *alt = g_strconcat ("u:", (char *) g_ptr_array_index (alts, i), NULL);

      json_object_set_string_member (figure, "/Alt", alt);
      add_update (updates, key, figure);
    }

  if (language != NULL)
    {
      g_autofree char *lang = g_strconcat ("u:", language, NULL);

      json_object_set_string_member (catalog, "/Lang", lang);
    }
  /* A structure tree says the file is tagged; cairo does not always say so itself. */
  if (tree != NULL)
    {
      JsonObject *mark = json_object_new ();

      json_object_set_boolean_member (mark, "/Marked", TRUE);
      json_object_set_object_member (catalog, "/MarkInfo", mark);
    }
  preferences = json_object_new ();
  json_object_set_boolean_member (preferences, "/DisplayDocTitle", TRUE);
  json_object_set_object_member (catalog, "/ViewerPreferences", preferences);
  add_update (updates, catalog_key, catalog);

  {
    g_autoptr(JsonArray) document = json_array_new ();
    g_autoptr(JsonObject) top = json_object_new ();
    g_autoptr(JsonGenerator) generator = json_generator_new ();

    json_array_add_object_element (document,
                                   json_object_ref (json_array_get_object_element (qpdf, 0)));
    json_array_add_object_element (document, json_object_ref (updates));
    json_object_set_array_member (top, "qpdf", json_array_ref (document));
    root_node = json_node_init_object (json_node_alloc (), top);
    json_generator_set_root (generator, root_node);
    fd = g_file_open_tmp ("tractwise-tags-XXXXXX.json", &update_path, error);
    if (fd < 0)
      return FALSE;
    close (fd);
    if (!json_generator_to_file (generator, update_path, error))
      {
        g_unlink (update_path);
        return FALSE;
      }
  }
  update_arg = g_strconcat ("--update-from-json=", update_path, NULL);
  {
    const char *write_argv[] = { "qpdf", path, update_arg, "--replace-input", NULL };

    ok = run_qpdf (write_argv, NULL, error);
  }
  g_unlink (update_path);
  return ok;
}
