/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-json"

#include <math.h>
#include <string.h>

#include "tw-json.h"

void
tw_json_add_string (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (name != NULL);

  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

char *
tw_json_builder_to_text (JsonBuilder *builder,
                         gboolean     pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (JSON_IS_BUILDER (builder), NULL);

  root = json_builder_get_root (builder);
  g_return_val_if_fail (root != NULL, NULL);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, pretty);
  return json_generator_to_data (generator, NULL);
}

/* Reading with limits */

G_DEFINE_QUARK (tw-json-error-quark, tw_json_error)

typedef struct
{
  JsonNode   *node;     /* borrowed: its parent, or the caller, owns it */
  char       *key;      /* an object's member name waiting for its value */
} Frame;

typedef struct
{
  const char         *text;
  gsize               length;
  gsize               at;
  const TwJsonLimits *limits;
  guint               values;
} Scanner;

static gboolean
scan_error (Scanner     *s,
            int          code,
            GError     **error,
            const char  *what)
{
  guint line = 1;

  for (gsize i = 0; i < s->at && i < s->length; i++)
    line += s->text[i] == '\n';
  g_set_error (error, TW_JSON_ERROR, code, "%s at line %u", what, line);
  return FALSE;
}

static void
skip_space (Scanner *s)
{
  while (s->at < s->length
         && (s->text[s->at] == ' ' || s->text[s->at] == '\t' || s->text[s->at] == '\n'
             || s->text[s->at] == '\r'))
    s->at++;
}

static int
hex_digit (char c)
{
  return g_ascii_xdigit_value (c);
}

static gboolean
read_hex4 (Scanner  *s,
           gunichar *out)
{
  gunichar value = 0;

  if (s->at + 4 > s->length)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int digit = hex_digit (s->text[s->at + i]);

      if (digit < 0)
        return FALSE;
      value = value * 16 + digit;
    }
  s->at += 4;
  *out = value;
  return TRUE;
}

/* A string, the scanner on its opening quote. */
static char *
scan_string (Scanner  *s,
             GError  **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  s->at++;
  while (TRUE)
    {
      guchar c;

      if (s->at >= s->length)
        {
          scan_error (s, TW_JSON_ERROR_SYNTAX, error, "a string is not closed");
          return NULL;
        }
      if (out->len > s->limits->max_string)
        {
          scan_error (s, TW_JSON_ERROR_TOO_LARGE, error, "a string is too long");
          return NULL;
        }
      c = (guchar) s->text[s->at];
      if (c == '"')
        break;
      if (c < 0x20)
        {
          scan_error (s, TW_JSON_ERROR_SYNTAX, error, "a string holds a control character");
          return NULL;
        }
      if (c != '\\')
        {
          g_string_append_c (out, (char) c);
          s->at++;
          continue;
        }
      s->at++;
      if (s->at >= s->length)
        continue;
      c = (guchar) s->text[s->at++];
      switch (c)
        {
        case '"': case '\\': case '/':
          g_string_append_c (out, (char) c);
          break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar u, low;

            if (!read_hex4 (s, &u))
              {
                scan_error (s, TW_JSON_ERROR_SYNTAX, error, "a \\u escape is not 4 hex digits");
                return NULL;
              }
            if (u >= 0xd800 && u <= 0xdbff)
              {
                if (s->at + 2 > s->length || s->text[s->at] != '\\'
                    || s->text[s->at + 1] != 'u')
                  {
                    scan_error (s, TW_JSON_ERROR_SYNTAX, error, "a string holds half a "
                                "surrogate pair");
                    return NULL;
                  }
                s->at += 2;
                if (!read_hex4 (s, &low) || low < 0xdc00 || low > 0xdfff)
                  {
                    scan_error (s, TW_JSON_ERROR_SYNTAX, error, "a string holds half a "
                                "surrogate pair");
                    return NULL;
                  }
                u = 0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00);
              }
            else if ((u >= 0xdc00 && u <= 0xdfff) || u == 0)
              {
                scan_error (s, TW_JSON_ERROR_SYNTAX, error, u == 0 ? "a string holds a zero "
                            "character" : "a string holds half a surrogate pair");
                return NULL;
              }
            g_string_append_unichar (out, u);
          }
          break;
        default:
          scan_error (s, TW_JSON_ERROR_SYNTAX, error, "a string has an unknown \\ escape");
          return NULL;
        }
    }
  s->at++;
  if (!g_utf8_validate (out->str, out->len, NULL))
    {
      scan_error (s, TW_JSON_ERROR_SYNTAX, error, "a string is not UTF-8");
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static JsonNode *
scan_number (Scanner  *s,
             GError  **error)
{
  gsize start = s->at;
  gboolean integer = TRUE;
  g_autofree char *text = NULL;
  JsonNode *node;

  if (s->at < s->length && s->text[s->at] == '-')
    s->at++;
  if (s->at < s->length && s->text[s->at] == '0')
    s->at++;
  else if (s->at < s->length && g_ascii_isdigit (s->text[s->at]))
    while (s->at < s->length && g_ascii_isdigit (s->text[s->at]))
      s->at++;
  else
    {
      scan_error (s, TW_JSON_ERROR_SYNTAX, error, "a value is not JSON");
      return NULL;
    }
  if (s->at < s->length && s->text[s->at] == '.')
    {
      integer = FALSE;
      s->at++;
      if (!(s->at < s->length && g_ascii_isdigit (s->text[s->at])))
        {
          scan_error (s, TW_JSON_ERROR_SYNTAX, error, "a number is cut short");
          return NULL;
        }
      while (s->at < s->length && g_ascii_isdigit (s->text[s->at]))
        s->at++;
    }
  if (s->at < s->length && (s->text[s->at] == 'e' || s->text[s->at] == 'E'))
    {
      integer = FALSE;
      s->at++;
      if (s->at < s->length && (s->text[s->at] == '+' || s->text[s->at] == '-'))
        s->at++;
      if (!(s->at < s->length && g_ascii_isdigit (s->text[s->at])))
        {
          scan_error (s, TW_JSON_ERROR_SYNTAX, error, "a number is cut short");
          return NULL;
        }
      while (s->at < s->length && g_ascii_isdigit (s->text[s->at]))
        s->at++;
    }
  if (s->at - start > 64)
    {
      scan_error (s, TW_JSON_ERROR_TOO_LARGE, error, "a number is too long");
      return NULL;
    }
  text = g_strndup (s->text + start, s->at - start);
  node = json_node_alloc ();
  if (integer)
    {
      gint64 value;

      if (g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
        return json_node_init_int (node, value);
    }
  {
    double value = g_ascii_strtod (text, NULL);

    if (!isfinite (value))
      {
        json_node_unref (node);
        scan_error (s, TW_JSON_ERROR_TOO_LARGE, error, "a number is too large");
        return NULL;
      }
    return json_node_init_double (node, value);
  }
}

static gboolean
scan_word (Scanner    *s,
           const char *word)
{
  gsize n = strlen (word);

  if (s->at + n > s->length || memcmp (s->text + s->at, word, n) != 0)
    return FALSE;
  s->at += n;
  return TRUE;
}

/* A value that is no container, or a new empty container. */
static JsonNode *
scan_value (Scanner  *s,
            GError  **error)
{
  char c;

  if (++s->values > s->limits->max_values)
    {
      scan_error (s, TW_JSON_ERROR_TOO_LARGE, error, "there are too many values");
      return NULL;
    }
  if (s->at >= s->length)
    {
      scan_error (s, TW_JSON_ERROR_SYNTAX, error, "the text ends early");
      return NULL;
    }
  c = s->text[s->at];
  switch (c)
    {
    case '{':
      s->at++;
      return json_node_init_object (json_node_alloc (), json_object_new ());
    case '[':
      s->at++;
      return json_node_init_array (json_node_alloc (), json_array_new ());
    case '"':
      {
        char *text = scan_string (s, error);
        JsonNode *node;

        if (text == NULL)
          return NULL;
        node = json_node_init_string (json_node_alloc (), text);
        g_free (text);
        return node;
      }
    case 't':
      if (scan_word (s, "true"))
        return json_node_init_boolean (json_node_alloc (), TRUE);
      break;
    case 'f':
      if (scan_word (s, "false"))
        return json_node_init_boolean (json_node_alloc (), FALSE);
      break;
    case 'n':
      if (scan_word (s, "null"))
        return json_node_init_null (json_node_alloc ());
      break;
    default:
      if (c == '-' || g_ascii_isdigit (c))
        return scan_number (s, error);
      break;
    }
  scan_error (s, TW_JSON_ERROR_SYNTAX, error, "a value is not JSON");
  return NULL;
}

static void
clear_frame (gpointer data)
{
  g_free (((Frame *) data)->key);
}

JsonNode *
tw_json_parse_bounded (const char          *text,
                       gsize                length,
                       const TwJsonLimits  *limits,
                       GError             **error)
{
  Scanner s = { text, length, 0, limits, 0 };
  g_autoptr(GArray) stack = NULL;
  JsonNode *root = NULL;
  /* Whether a value is wanted next (else a ',' or a closing bracket). */
  gboolean want_value = TRUE;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (limits != NULL, NULL);

  if (length > limits->max_size)
    {
      g_set_error (error, TW_JSON_ERROR, TW_JSON_ERROR_TOO_LARGE,
                   "it is %" G_GSIZE_FORMAT " bytes, more than %" G_GSIZE_FORMAT, length,
                   limits->max_size);
      return NULL;
    }
  stack = g_array_new (FALSE, TRUE, sizeof (Frame));
  g_array_set_clear_func (stack, clear_frame);

  while (TRUE)
    {
      Frame *top = stack->len > 0 ? &g_array_index (stack, Frame, stack->len - 1) : NULL;
      gboolean in_object = top != NULL && JSON_NODE_HOLDS_OBJECT (top->node);

      skip_space (&s);
      if (want_value)
        {
          JsonNode *node;

          /* An object's member: its name first. */
          if (in_object && top->key == NULL)
            {
              if (s.at >= s.length || text[s.at] != '"')
                {
                  scan_error (&s, TW_JSON_ERROR_SYNTAX, error, "an object member has no name");
                  goto failed;
                }
              top->key = scan_string (&s, error);
              if (top->key == NULL)
                goto failed;
              if (json_object_has_member (json_node_get_object (top->node), top->key))
                {
                  scan_error (&s, TW_JSON_ERROR_SYNTAX, error, "an object names a member "
                              "twice");
                  goto failed;
                }
              skip_space (&s);
              if (s.at >= s.length || text[s.at] != ':')
                {
                  scan_error (&s, TW_JSON_ERROR_SYNTAX, error, "a member name has no ':'");
                  goto failed;
                }
              s.at++;
              skip_space (&s);
            }
          node = scan_value (&s, error);
          if (node == NULL)
            goto failed;
          if (top == NULL)
            root = node;
          else if (in_object)
            {
              json_object_set_member (json_node_get_object (top->node), top->key, node);
              g_clear_pointer (&top->key, g_free);
            }
          else
            json_array_add_element (json_node_get_array (top->node), node);

          if (JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node))
            {
              Frame frame = { node, NULL };

              if (stack->len >= limits->max_depth)
                {
                  scan_error (&s, TW_JSON_ERROR_TOO_DEEP, error, "arrays and objects are "
                              "nested too deeply");
                  goto failed;
                }
              g_array_append_val (stack, frame);
              skip_space (&s);
              /* An empty container closes at once. */
              if (s.at < s.length && text[s.at] == (JSON_NODE_HOLDS_OBJECT (node) ? '}' : ']'))
                {
                  s.at++;
                  g_array_set_size (stack, stack->len - 1);
                  want_value = FALSE;
                }
              else
                want_value = TRUE;
              continue;
            }
          want_value = FALSE;
          continue;
        }

      /* After a value. */
      if (top == NULL)
        {
          if (s.at != s.length)
            {
              scan_error (&s, TW_JSON_ERROR_SYNTAX, error, "there is more after the end");
              goto failed;
            }
          return root;
        }
      if (s.at < s.length && text[s.at] == ',')
        {
          s.at++;
          want_value = TRUE;
        }
      else if (s.at < s.length && text[s.at] == (in_object ? '}' : ']'))
        {
          s.at++;
          g_array_set_size (stack, stack->len - 1);
        }
      else
        {
          scan_error (&s, TW_JSON_ERROR_SYNTAX, error, s.at >= s.length ? "the text ends early"
                      : "a ',' or a closing bracket is missing");
          goto failed;
        }
    }

failed:
  g_clear_pointer (&root, json_node_unref);
  return NULL;
}

JsonNode *
tw_json_load_bounded (const char          *path,
                      const TwJsonLimits  *limits,
                      GError             **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (limits != NULL, NULL);

  file = g_file_new_for_path (path);
  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, TW_JSON_ERROR, TW_JSON_ERROR_READ, "%s", local_error->message);
      return NULL;
    }
  /* One byte more than the limit tells a file that is too large, without reading it all. */
  data = g_malloc (limits->max_size + 1);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), data, limits->max_size + 1, &length,
                                NULL, &local_error))
    {
      g_set_error (error, TW_JSON_ERROR, TW_JSON_ERROR_READ, "%s", local_error->message);
      return NULL;
    }
  if (length > limits->max_size)
    {
      g_set_error (error, TW_JSON_ERROR, TW_JSON_ERROR_TOO_LARGE,
                   "it is larger than %" G_GSIZE_FORMAT " MiB", limits->max_size >> 20);
      return NULL;
    }
  return tw_json_parse_bounded (data, length, limits, error);
}
