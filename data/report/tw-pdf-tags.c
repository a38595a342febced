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

/* Artifacts */

static gboolean
is_delimiter (char c)
{
  return strchr ("()<>[]{}/%", c) != NULL;
}

static gboolean
is_space (char c)
{
  return strchr (" \t\r\n\f", c) != NULL || c == '\0';
}

/* Past one operand or operator token at @c (not whitespace), or NULL where the content
 * cannot be read with confidence. */
static const char *
skip_token (const char *c,
            const char *end)
{
  if (*c == '(')
    {
      int depth = 0;

      for (; c < end; c++)
        {
          if (*c == '\\')
            c++;
          else if (*c == '(')
            depth++;
          else if (*c == ')' && --depth == 0)
            return c + 1;
        }
      return NULL;
    }
  if (c + 1 < end && c[0] == '<' && c[1] == '<')
    {
      int depth = 0;

      /* A dictionary, which may hold strings: nested, to its closing >>. */
      while (c < end)
        {
          if (c + 1 < end && c[0] == '<' && c[1] == '<')
            depth++, c += 2;
          else if (c + 1 < end && c[0] == '>' && c[1] == '>')
            {
              c += 2;
              if (--depth == 0)
                return c;
            }
          else if (*c == '(' || *c == '<')
            {
              if ((c = *c == '(' ? skip_token (c, end) : memchr (c, '>', end - c)) == NULL)
                return NULL;
              if (*c == '>')
                c++;
            }
          else
            c++;
        }
      return NULL;
    }
  if (*c == '<')
    {
      const char *close = memchr (c, '>', end - c);

      return close != NULL ? close + 1 : NULL;
    }
  if (*c == '[' || *c == ']' || *c == '{' || *c == '}')
    return c + 1;
  if (*c == '/')
    c++;
  while (c < end && !is_space (*c) && !is_delimiter (*c))
    c++;
  return c;
}

/* @stream with what is drawn outside every structure element — running heads, page
 * numbers, rules, table shading — marked as /Artifact, so that a reader of the structure
 * tree meets only content. NULL when the stream holds what this reader does not know
 * (an inline image), which is then left as it is. */
static GString *
mark_artifacts (const char *stream,
                gsize       length)
{
  GString *out = g_string_sized_new (length + 256);
  const char *end = stream + length, *c = stream, *op_start = NULL;
  /* The marked-content sequences open: 't' a structure element's (with an MCID), 'a' an
   * artifact of ours, 'o' any other (a span of actual text). */
  g_autoptr(GString) stack = g_string_new (NULL);
  gboolean mcid = FALSE;

  while (c < end)
    {
      const char *next;
      gboolean tagged = strchr (stack->str, 't') != NULL;
      gboolean artifact = strchr (stack->str, 'a') != NULL;

      if (is_space (*c))
        {
          if (op_start == NULL)
            g_string_append_c (out, *c);
          c++;
          continue;
        }
      if (*c == '%')
        {
          while (c < end && *c != '\n' && *c != '\r')
            c++;
          continue;
        }
      if (op_start == NULL)
        op_start = c;
      if ((next = skip_token (c, end)) == NULL || next == c)
        {
          g_string_free (out, TRUE);
          return NULL;
        }
      if (*c == '(' || *c == '<' || *c == '[' || *c == ']' || *c == '/'
          || g_ascii_isdigit (*c) || *c == '-' || *c == '+' || *c == '.'
          || (next - c == 4 && memcmp (c, "true", 4) == 0)
          || (next - c == 5 && memcmp (c, "false", 5) == 0)
          || (next - c == 4 && memcmp (c, "null", 4) == 0))
        {
          /* An operand: an MCID in it says a structure element's content begins. */
          if (*c == '<' && next - c > 6 && g_strstr_len (c, next - c, "/MCID") != NULL)
            mcid = TRUE;
          c = next;
          continue;
        }
      /* An operator, ending the operation that began at op_start. */
      {
        gsize n = next - c;
        gboolean begin = (n == 3 && memcmp (c, "BDC", 3) == 0)
                         || (n == 3 && memcmp (c, "BMC", 3) == 0);
        gboolean finish = n == 3 && memcmp (c, "EMC", 3) == 0;
        gboolean state = (n == 1 && (*c == 'q' || *c == 'Q'));

        if (n == 2 && memcmp (c, "BI", 2) == 0)
          {
            g_string_free (out, TRUE);
            return NULL;
          }
        /* Close our artifact before a structure element, a q or Q (which must not cross
         * it), or an EMC of a sequence begun outside it. */
        if (artifact && stack->str[stack->len - 1] == 'a' && ((begin && mcid) || state
                                                              || finish))
          {
            g_string_append (out, "EMC\n");
            g_string_truncate (stack, strchr (stack->str, 'a') - stack->str);
            artifact = FALSE;
          }
        if (!tagged && !artifact && !state && !finish && !(begin && mcid))
          {
            g_string_append (out, "/Artifact BMC\n");
            g_string_append_c (stack, 'a');
          }
        g_string_append_len (out, op_start, next - op_start);
        if (begin)
          g_string_append_c (stack, mcid ? 't' : 'o');
        else if (finish && stack->len > 0)
          g_string_truncate (stack, stack->len - 1);
        op_start = NULL;
        mcid = FALSE;
        c = next;
      }
    }
  if (strchr (stack->str, 'a') != NULL)
    g_string_append (out, "EMC\n");
  return out;
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

/* Each page's content streams (qpdf wrote them, decoded, into @folder) with their
 * artifacts marked, as updates of @objects. */
static gboolean
mark_page_artifacts (JsonArray   *pages,
                     JsonObject  *objects,
                     JsonObject  *updates,
                     const char  *folder,
                     GError     **error)
{
  for (guint p = 0; pages != NULL && p < json_array_get_length (pages); p++)
    {
      JsonObject *page = json_array_get_object_element (pages, p);
      JsonArray *contents = json_object_get_array_member (page, "contents");

      for (guint i = 0; contents != NULL && i < json_array_get_length (contents); i++)
        {
          const char *ref = json_array_get_string_element (contents, i);
          g_autofree char *key = g_strconcat ("obj:", ref, NULL);
          JsonObject *object = json_object_has_member (objects, key)
                               ? json_object_get_object_member (objects, key) : NULL;
          JsonObject *stream = object != NULL && json_object_has_member (object, "stream")
                               ? json_object_get_object_member (object, "stream") : NULL;
          const char *datafile = stream != NULL
                                 ? json_object_get_string_member_with_default (stream,
                                                                               "datafile", NULL)
                                 : NULL;
          g_autofree char *data = NULL;
          g_autofree char *marked_path = NULL;
          g_autoptr(GString) marked = NULL;
          JsonObject *update, *new_stream;
          gsize length;

          if (datafile == NULL || !g_file_get_contents (datafile, &data, &length, error))
            return datafile == NULL;
          if ((marked = mark_artifacts (data, length)) == NULL)
            {
              g_warning ("page %u: its content is not marked as artifacts: it holds an inline "
                         "image", p + 1);
              continue;
            }
          marked_path = g_strdup_printf ("%s/artifacts-%u-%u", folder, p, i);
          if (!g_file_set_contents (marked_path, marked->str, marked->len, error))
            return FALSE;
          new_stream = json_object_new ();
          json_object_set_object_member (new_stream, "dict",
                                         json_object_ref (json_object_get_object_member (
                                           stream, "dict")));
          json_object_set_string_member (new_stream, "datafile", marked_path);
          update = json_object_new ();
          json_object_set_object_member (update, "stream", new_stream);
          json_object_set_object_member (updates, key, update);
        }
    }
  return TRUE;
}

static void
remove_folder (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (folder, name, NULL);

      g_unlink (file);
    }
  g_rmdir (folder);
}

/* The updates made from qpdf's JSON in @parser, applied to @path. */
static gboolean
complete (const char  *path,
          const char  *language,
          GPtrArray   *alts,
          JsonParser  *parser,
          const char  *folder,
          GError     **error)
{
  g_autofree char *update_path = NULL;
  g_autofree char *update_arg = NULL;
  g_autoptr(JsonObject) updates = json_object_new ();
  g_autoptr(JsonNode) root_node = NULL;
  g_autoptr(GPtrArray) figures = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *catalog_key = NULL;
  JsonArray *qpdf, *pages;
  JsonObject *objects, *trailer, *catalog, *tree;
  JsonObject *preferences;
  Walk walk;
  int fd;
  gboolean ok;

  qpdf = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                       "qpdf");
  pages = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                        "pages");
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
  if (!mark_page_artifacts (pages, objects, updates, folder, error))
    return FALSE;

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

gboolean
tw_pdf_tags_complete (const char  *path,
                      const char  *language,
                      GPtrArray   *alts,
                      GError     **error)
{
  g_autofree char *folder = g_dir_make_tmp ("tractwise-tags-XXXXXX", error);
  g_autofree char *prefix = folder != NULL ? g_strconcat ("--json-stream-prefix=", folder,
                                                          "/stream", NULL) : NULL;
  const char *read_argv[] = { "qpdf", "--json=2", "--json-key=qpdf", "--json-key=pages",
                              "--decode-level=generalized", "--json-stream-data=file", prefix,
                              path, "-", NULL };
  g_autofree char *json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *qpdf_path = g_find_program_in_path ("qpdf");
  gboolean ok;

  g_return_val_if_fail (path != NULL && alts != NULL, FALSE);

  if (folder == NULL)
    return FALSE;
  if (qpdf_path == NULL)
    {
      g_warning ("%s: qpdf is not installed, so the figures' alternative text and the "
                 "language are left out; install qpdf", path);
      g_rmdir (folder);
      return TRUE;
    }
  ok = run_qpdf (read_argv, &json, error) && json_parser_load_from_data (parser, json, -1,
                                                                         error)
       && complete (path, language, alts, parser, folder, error);
  remove_folder (folder);
  return ok;
}
