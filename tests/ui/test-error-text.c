/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-error-text"

/* The data layer's errors in the window's words: what a user reads in a toast, banner or
 * dialog names no file path, no tractwise-cli command and no --option. */

#include <gtk/gtk.h>

#include <string.h>

#include "tw-error-text.h"
#include "tw-evaluation.h"
#include "tw-project.h"
#include "tw-store.h"
#include "window-test-helpers.h"

static char *tmpdir;
static char *demo_path;

static void
assert_window_words (const char *text)
{
  g_assert_nonnull (text);
  if (strchr (text, '/') != NULL || strstr (text, "tractwise-cli") != NULL
      || strstr (text, "--") != NULL)
    g_error ("terminal words in the window's text: %s", text);
  /* A sentence, or a file's name in quotes */
  g_assert_true (g_unichar_isupper (g_utf8_get_char (text))
                 || g_str_has_prefix (text, "“"));
  g_assert_true (g_str_has_suffix (text, "."));
}

static TwStore *
open_demo (void)
{
  g_autoptr(GError) error = NULL;
  TwStore *store = tw_store_open (demo_path, &error);

  g_assert_no_error (error);
  return store;
}

/* The evaluation of a project without target areas: the CLI's message names
 * 'tractwise-cli project set-areas'; the window says so in words and offers Choose on Map. */
static void
test_no_target_areas (void)
{
  TwStore *store = open_demo ();
  g_autoptr(TwProject) project = tw_project_new ("Asthma visits");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 id;

  project->measure = g_strdup ("asthma_ed");
  id = tw_project_add (store, project, &error);
  g_assert_no_error (error);
  g_assert_null (tw_evaluation_run (store, id, NULL, &error));
  g_assert_error (error, TW_EVALUATION_ERROR, TW_EVALUATION_ERROR_NO_TARGET_AREAS);
  g_assert_nonnull (strstr (error->message, "tractwise-cli"));

  text = tw_error_text (error);
  assert_window_words (text);
  g_assert_nonnull (strstr (text, "target areas"));
  g_assert_cmpint (tw_error_next_step (error), ==, TW_ERROR_STEP_CHOOSE_AREAS);
  g_assert_cmpstr (tw_error_step_action (TW_ERROR_STEP_CHOOSE_AREAS), ==,
                   "editor.choose-areas");
  tw_store_close (store);
}

/* A refused save: the message starts with the file's path and ends with "--title". */
static void
test_refused_title (void)
{
  TwStore *store = open_demo ();
  g_autoptr(TwProject) project = tw_project_new ("");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (tw_project_add (store, project, &error), <, 0);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, tmpdir));

  text = tw_error_text (error);
  assert_window_words (text);
  g_assert_cmpstr (text, ==, "A project needs a title.");
  g_assert_cmpint (tw_error_next_step (error), ==, TW_ERROR_STEP_NONE);
  tw_store_close (store);
}

/* Messages with no code of their own lose the path prefix, the CLI's advice and options in
 * parentheses, and keep what says what is wrong; a path inside becomes its file name. */
static void
test_cleaned_messages (void)
{
  static const struct { const char *message, *text; } cases[] = {
    { "/home/ana/demo.tractwise: no measure 'x' (there are: asthma_ed, copd); "
      "give one of those with --measure",
      "No measure 'x' (there are: asthma_ed, copd)." },
    { "/tmp/a b/demo.tractwise: a group (--stratum black) needs a measure; give it with "
      "--measure", "A group needs a measure." },
    { "demo.tractwise: comparison GEOID '25025' is one of its areas, or --comparison all",
      "Comparison GEOID '25025' is one of its areas." },
    { "cannot read '/home/ana/exports/visits.csv': permission denied",
      "Cannot read 'visits.csv': permission denied." },
    { "--level 'city' is not a level Tractwise knows; use tract, county",
      "Level 'city' is not a level Tractwise knows; use tract, county." },
    { "/home/ana/demo.tractwise: ", "Something went wrong, and nothing was changed." },
    { "/home/ana/maps/board.pdf: cannot write: Is a directory",
      "“board.pdf”: cannot write: Is a directory." },
    { "Could not compute the map: /home/ana/My Data/demo.tractwise: no period '2031' "
      "(there are: 2019, 2020); give one of those with --period",
      "Could not compute the map: no period '2031' (there are: 2019, 2020)." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (TW_PROJECT_ERROR,
                                                     TW_PROJECT_ERROR_INVALID,
                                                     cases[i].message);
      g_autofree char *text = tw_error_text (error);

      g_assert_cmpstr (text, ==, cases[i].text);
      assert_window_words (text);
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmpdir = make_tmpdir ("error-text");
  demo_path = make_demo (tmpdir);

  g_test_add_func ("/ui/error-text/no-target-areas", test_no_target_areas);
  g_test_add_func ("/ui/error-text/refused-title", test_refused_title);
  g_test_add_func ("/ui/error-text/cleaned-messages", test_cleaned_messages);
  status = g_test_run ();

  remove_tree (tmpdir);
  g_free (demo_path);
  g_free (tmpdir);
  return status;
}
