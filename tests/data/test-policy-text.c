/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-policy-text"

#include "config.h"

#include <glib/gstdio.h>
#include <libintl.h>
#include <locale.h>
#include <string.h>

#include "tw-policy-text.h"
#include "tw-suppression.h"
#include "tw-test-project.h"

static const char *const presets[] = {
  "cms", "wonder", "uscs", "wisqars", "nchs-rates", "nchs-proportions", "wa-doh",
};

/* Every text the legend, the method notes and the codebook take from the policy, for
 * @policy: the rule short and long, the method note, and each legend status row of a map
 * of rates and of change. */
static GPtrArray *
all_texts (const TwSuppressionPolicy *policy)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (texts, tw_policy_text_rule_short (policy));
  g_ptr_array_add (texts, tw_policy_text_rule (policy));
  g_ptr_array_add (texts, tw_policy_text_describe (policy));
  for (guint change = 0; change < 2; change++)
    for (guint s = 0; s < TW_N_FIGURE_STATUSES; s++)
      for (guint revealed = 0; revealed < 2; revealed++)
        {
          TwStatusRow row = { .status = s, .revealed = revealed, .n_areas = 3 };

          g_ptr_array_add (texts, tw_policy_text_status_row (policy, change, &row));
        }
  return texts;
}

/* English, as every output printed it before the words moved out of the statistics. */
static void
test_english (void)
{
  TwSuppressionPolicy cms = preset_policy ("cms"), wisqars = preset_policy ("wisqars");
  TwSuppressionPolicy nchs = preset_policy ("nchs-rates"), wa = preset_policy ("wa-doh");
  TwStatusRow unreliable = { .status = TW_FIGURE_UNRELIABLE };
  TwStatusRow suppressed = { .status = TW_FIGURE_SUPPRESSED };
  g_autofree char *a = tw_policy_text_rule_short (&cms);
  g_autofree char *b = tw_policy_text_rule_short (&wisqars);
  g_autofree char *c = tw_policy_text_rule_short (&nchs);
  g_autofree char *d = tw_policy_text_rule_short (&wa);
  g_autofree char *e = tw_policy_text_status_row (&cms, FALSE, &unreliable);
  g_autofree char *f = tw_policy_text_status_row (&cms, FALSE, &suppressed);
  g_autofree char *g = tw_policy_text_status_row (&cms, TRUE, &suppressed);
  g_autofree char *h = tw_policy_text_describe (&cms);

  g_assert_cmpstr (a, ==, "fewer than 20 events");
  g_assert_cmpstr (b, ==, "20 or fewer events");
  g_assert_cmpstr (c, ==, "fewer than 20 events or interval over 160% of the rate");
  g_assert_cmpstr (d, ==, "RSE 30% or more");
  g_assert_cmpstr (e, ==, "Unreliable — fewer than 20 events");
  g_assert_cmpstr (f, ==, "Suppressed (fewer than 11 events)");
  g_assert_cmpstr (g, ==, "Suppressed (fewer than 11 events) in a period it is made of");
  g_assert_cmpstr (h, ==, "Counts of 1 to 10, and every figure computed from them, are "
                          "suppressed (CMS cell-size suppression policy, k = 11), with "
                          "complementary suppression so that none can be recovered; preset "
                          "cms, version 2020. Rates from fewer than 20 events are marked "
                          "unreliable.");
}

/* Whether every letter of @text lies between ⟦ and ⟧: what a pseudo-translation wrote. A
 * value put into a translated sentence (a number, the preset's name) is inside it. */
static gboolean
all_translated (const char *text)
{
  int depth = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x27E6)
        depth++;
      else if (c == 0x27E7)
        depth--;
      else if (depth == 0 && g_unichar_isalpha (c))
        return FALSE;
    }
  return depth == 0;
}

/* Under another language every word comes from its catalogue: here a pseudo-translation
 * that brackets each string (tests/data/pseudo-locale.py), so a word outside the brackets
 * is English that bypassed gettext. */
static void
test_every_word_through_gettext (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tw-pseudo-locale-XXXXXX", NULL);
  g_autofree char *messages = g_build_filename (dir, "xx", "LC_MESSAGES", NULL);
  g_autofree char *mo = g_build_filename (messages, GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *built = g_test_build_filename (G_TEST_BUILT, "tractwise-pseudo.mo", NULL);
  g_autofree char *bytes = NULL;
  g_autofree char *old_dir = g_strdup (bindtextdomain (GETTEXT_PACKAGE, NULL));
  gsize length;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (messages, 0700), ==, 0);
  g_assert_true (g_file_get_contents (built, &bytes, &length, NULL));
  g_assert_true (g_file_set_contents (mo, bytes, length, NULL));

  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
  g_setenv ("LANGUAGE", "xx", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    {
      TwSuppressionPolicy policy = preset_policy (presets[i]);
      g_autoptr(GPtrArray) texts = all_texts (&policy);

      for (guint t = 0; t < texts->len; t++)
        {
          const char *text = g_ptr_array_index (texts, t);

          if (!all_translated (text))
            g_error ("%s: '%s' holds words that did not go through gettext", presets[i],
                     text);
        }
    }
  {
    /* And the catalogue is read: not the English. */
    TwSuppressionPolicy cms = preset_policy ("cms");
    g_autofree char *rule = tw_policy_text_rule_short (&cms);

    g_assert_cmpstr (rule, ==, "⟦fewer than 20 events⟧");
  }

  g_unsetenv ("LANGUAGE");
  bindtextdomain (GETTEXT_PACKAGE, old_dir);
  g_remove (mo);
  g_rmdir (messages);
  {
    g_autofree char *xx = g_build_filename (dir, "xx", NULL);

    g_rmdir (xx);
  }
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/data/policy-text/english", test_english);
  g_test_add_func ("/data/policy-text/every-word-through-gettext",
                   test_every_word_through_gettext);
  return g_test_run ();
}
