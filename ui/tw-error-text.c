/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-error-text"

#include <glib/gi18n.h>
#include <string.h>

#include "tw-alert.h"
#include "tw-analysis.h"
#include "tw-error-text.h"
#include "tw-evaluation.h"
#include "tw-share-package.h"
#include "tw-store.h"
#include "tw-toast.h"

/* The window's own sentence for the errors whose cause it can name better than the
 * command line's message; NULL for the others. */
static const char *
known_text (const GError *error)
{
  if (error->domain == TW_EVALUATION_ERROR)
    switch (error->code)
      {
      case TW_EVALUATION_ERROR_NO_TARGET_AREAS:
        return _("This project has no target areas yet. Choose them on the map to evaluate "
                 "the project.");
      case TW_EVALUATION_ERROR_NO_MEASURE:
        return _("This project has no outcome to evaluate. Choose the outcome it aims to "
                 "improve.");
      case TW_EVALUATION_ERROR_NO_START_DATE:
        return _("This project has no start date, so there is no before and after to "
                 "compare. Set its start date.");
      default:
        return NULL;
      }
  if (error->domain == TW_STORE_ERROR)
    switch (error->code)
      {
      case TW_STORE_ERROR_NOT_FOUND:
        return _("The file was not found. It may have been moved, renamed or deleted.");
      case TW_STORE_ERROR_EXISTS:
        return _("A file with this name already exists. Choose another name.");
      case TW_STORE_ERROR_NOT_A_PROJECT:
        return _("This file is not a Tractwise workspace.");
      case TW_STORE_ERROR_TOO_NEW:
        return _("This workspace was saved by a newer version of Tractwise. Update Tractwise "
                 "to open it.");
      case TW_STORE_ERROR_READ_ONLY:
        return _("This is a review copy of a shared package: it cannot be changed.");
      case TW_STORE_ERROR_BUSY:
        return _("Another program is writing to this workspace. Try again in a moment.");
      default:
        return NULL;
      }
  if (error->domain == TW_SHARE_ERROR && error->code == TW_SHARE_ERROR_NOT_A_PACKAGE)
    return _("This file is not a Tractwise share package.");
  return NULL;
}

static gboolean
is_cli_word_at (const char *p)
{
  return g_str_has_prefix (p, "tractwise-cli")
         || (p[0] == '-' && p[1] == '-' && g_ascii_isalpha (p[2]));
}

static const char *
find_cli_word (const char *text,
               const char *end)
{
  for (const char *p = text; p < end && *p != '\0'; p++)
    if (is_cli_word_at (p))
      return p;
  return NULL;
}

/* A message's "PLACE: " names the file (the workspace, a table): the window shows which
 * file it is about already. */
static gboolean
is_place (const char *prefix,
          gsize       length)
{
  g_autofree char *text = g_strndup (prefix, length);

  if (text[0] == '/' || text[0] == '~' || strstr (text, "://") != NULL)
    return TRUE;
  return strchr (text, ' ') == NULL && strchr (text, '.') != NULL;
}

/* The workspace's own path or address: the window shows which workspace is open. */
static gboolean
is_workspace (const char *place)
{
  return g_str_has_suffix (place, ".tractwise") || strstr (place, "://") != NULL;
}

/* Each "PLACE: " part, at the start or after a sentence of the window's ("Could not compute
 * the map: /home/ana/demo.tractwise: no measure …"), goes when it is the workspace and
 * becomes the file's name in quotes when it is another file ("“map.pdf”: cannot write"). */
static char *
drop_places (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ": ", -1);
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean first = TRUE;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *name = NULL;

      if (parts[i + 1] != NULL && is_place (parts[i], strlen (parts[i])))
        {
          if (is_workspace (parts[i]))
            continue;
          name = g_path_get_basename (parts[i]);
        }
      if (!first)
        g_string_append (out, ": ");
      if (name != NULL)
        /* Translators: a file's name, quoted */
        g_string_append_printf (out, _("“%s”"), name);
      else
        g_string_append (out, parts[i]);
      first = FALSE;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
is_opening_quote (gunichar c)
{
  return c == '\'' || c == '"' || c == '(' || c == '`' || c == 0x2018 || c == 0x201C;
}

static gboolean
is_closing_mark (char c)
{
  return c == '\'' || c == '"' || c == ')' || c == ',' || c == ':' || c == ';' || c == '`'
         || c == '.';
}

/* Each word that is a path ("/home/ana/visits.csv", "'file:///tmp/x.gpkg'") becomes its
 * file name, keeping the quotes and punctuation around it. */
static void
append_without_paths (GString    *out,
                      const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];
      const char *start = word;
      const char *end;
      g_autofree char *path = NULL;
      g_autofree char *name = NULL;

      if (i > 0)
        g_string_append_c (out, ' ');
      while (*start != '\0' && is_opening_quote (g_utf8_get_char (start)))
        start = g_utf8_next_char (start);
      if (!(start[0] == '/' || g_str_has_prefix (start, "~/")
            || g_str_has_prefix (start, "file://")))
        {
          g_string_append (out, word);
          continue;
        }
      end = start + strlen (start);
      while (end > start && is_closing_mark (end[-1]))
        end--;
      path = g_strndup (start, end - start);
      name = g_path_get_basename (path);
      g_string_append_len (out, word, start - word);
      g_string_append (out, name);
      g_string_append (out, end);
    }
}

/* Removes "(--measure)" and the like, and the space before them. */
static char *
drop_cli_parentheses (const char *clause)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = clause;

  for (;;)
    {
      const char *open = strchr (p, '(');
      const char *close = open != NULL ? strchr (open, ')') : NULL;

      if (close == NULL)
        break;
      if (find_cli_word (open, close) != NULL)
        {
          const char *before = open;

          while (before > p && before[-1] == ' ')
            before--;
          g_string_append_len (out, p, before - p);
        }
      else
        g_string_append_len (out, p, close + 1 - p);
      p = close + 1;
    }
  g_string_append (out, p);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A clause that still names an option keeps what comes before its last ", " (", or
 * --comparison all"); one that starts with an option ("--level 'x' is not …") loses the
 * dashes. */
static char *
cut_cli_tail (const char *clause)
{
  const char *cli = find_cli_word (clause, clause + strlen (clause));
  g_autoptr(GString) out = NULL;

  if (cli == NULL)
    return g_strdup (clause);
  for (const char *p = cli; p > clause; p--)
    if (p[-1] == ' ' && p - 1 > clause && p[-2] == ',')
      return g_strndup (clause, p - 2 - clause);
  out = g_string_new (clause);
  g_string_replace (out, "tractwise-cli ", "", 0);
  g_string_replace (out, " --", " ", 0);
  if (g_str_has_prefix (out->str, "--"))
    g_string_erase (out, 0, 2);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
clean_message (const char *message)
{
  g_autofree char *valid = g_utf8_make_valid (message != NULL ? message : "", -1);
  g_autofree char *rest = g_strstrip (drop_places (valid));
  g_auto(GStrv) clauses = g_strsplit (rest, "; ", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; clauses[i] != NULL; i++)
    {
      g_autofree char *clause = drop_cli_parentheses (clauses[i]);

      if (find_cli_word (clause, clause + strlen (clause)) != NULL)
        {
          g_autofree char *cut = NULL;

          /* A later clause that names a command is the command line's advice: the window
           * offers its own step. */
          if (i > 0)
            continue;
          cut = cut_cli_tail (clause);
          g_free (clause);
          clause = g_steal_pointer (&cut);
        }
      g_strstrip (clause);
      if (clause[0] == '\0')
        continue;
      if (out->len > 0)
        g_string_append (out, "; ");
      append_without_paths (out, clause);
    }

  while (out->len > 0 && (out->str[out->len - 1] == ';' || out->str[out->len - 1] == ','
                          || out->str[out->len - 1] == ' '))
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    return g_strdup (_("Something went wrong, and nothing was changed."));
  if (g_ascii_islower (out->str[0]))
    out->str[0] = g_ascii_toupper (out->str[0]);
  if (!strchr (".!?", out->str[out->len - 1]))
    g_string_append_c (out, '.');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
tw_error_text (const GError *error)
{
  const char *known;

  g_return_val_if_fail (error != NULL, NULL);

  known = known_text (error);
  if (known != NULL)
    return g_strdup (known);
  return clean_message (error->message);
}

char *
tw_error_text_from_message (const char *message)
{
  return clean_message (message);
}

TwErrorStep
tw_error_next_step (const GError *error)
{
  g_return_val_if_fail (error != NULL, TW_ERROR_STEP_NONE);

  if (g_error_matches (error, TW_EVALUATION_ERROR, TW_EVALUATION_ERROR_NO_TARGET_AREAS))
    return TW_ERROR_STEP_CHOOSE_AREAS;
  if (g_error_matches (error, TW_EVALUATION_ERROR, TW_EVALUATION_ERROR_NO_DATA)
      || g_error_matches (error, TW_ANALYSIS_ERROR, TW_ANALYSIS_ERROR_ATTRIBUTE_NOT_IMPORTED))
    return TW_ERROR_STEP_IMPORT;
  return TW_ERROR_STEP_NONE;
}

const char *
tw_error_step_label (TwErrorStep step)
{
  switch (step)
    {
    case TW_ERROR_STEP_CHOOSE_AREAS:
      return _("Choose on Map");
    case TW_ERROR_STEP_IMPORT:
      return _("Import…");
    case TW_ERROR_STEP_NONE:
    default:
      return NULL;
    }
}

const char *
tw_error_step_action (TwErrorStep step)
{
  switch (step)
    {
    case TW_ERROR_STEP_CHOOSE_AREAS:
      return "editor.choose-areas";
    case TW_ERROR_STEP_IMPORT:
      return "win.import";
    case TW_ERROR_STEP_NONE:
    default:
      return NULL;
    }
}

AdwToast *
tw_error_toast_new (const GError *error)
{
  g_autofree char *text = NULL;
  TwErrorStep step;
  AdwToast *toast;

  g_return_val_if_fail (error != NULL, NULL);

  text = tw_error_text (error);
  step = tw_error_next_step (error);
  toast = tw_toast_new_plain (text);
  adw_toast_set_timeout (toast, 6);
  if (step != TW_ERROR_STEP_NONE)
    {
      adw_toast_set_button_label (toast, tw_error_step_label (step));
      adw_toast_set_action_name (toast, tw_error_step_action (step));
    }
  return toast;
}

void
tw_error_toast_show (GtkWidget    *widget,
                     const GError *error)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (error != NULL);

  tw_toast_show (widget, tw_error_toast_new (error));
}

void
tw_error_alert_present (GtkWindow    *parent,
                        const char   *heading,
                        const GError *error)
{
  g_autofree char *text = NULL;

  g_return_if_fail (heading != NULL);
  g_return_if_fail (error != NULL);

  text = tw_error_text (error);
  tw_alert_present (parent, heading, text);
}
