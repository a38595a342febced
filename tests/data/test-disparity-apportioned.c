/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-disparity-apportioned"

#include <math.h>

#include "tw-disparity.h"

/* The rate and risk ratios of two independent groups with apportioned counts (0.0003 in
 * 0.01 persons, 2.5 in 1000.25 …) against epitools' rateratio.wald and riskratio.wald
 * (tests/fixtures/rates/gamma-reference.txt, written by gamma-reference.R there). */
static void
test_ratios_equal_epitools (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "rates",
                                                 "gamma-reference.txt", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint compared = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", -1);
      double v[7];
      TwRateKind kind;
      TwDisparity d;

      if (g_strv_length (f) != 8)
        continue;
      if (g_str_equal (f[0], "rateratio"))
        kind = TW_RATE_KIND_RATE;
      else if (g_str_equal (f[0], "riskratio"))
        kind = TW_RATE_KIND_PROPORTION;
      else
        continue;
      for (guint j = 0; j < 7; j++)
        v[j] = g_ascii_strtod (f[j + 1], NULL);

      g_test_message ("%s %g/%g against %g/%g", f[0], v[0], v[1], v[2], v[3]);
      tw_disparity_compare (kind, v[0], v[1], v[2], v[3], FALSE, 1.0, &d);
      for (guint j = 0; j < 3; j++)
        {
          double got = (&d.ratio)[j], want = v[4 + j];

          if (!(fabs (got - want) <= 1e-12 * want))
            g_error ("%s %g/%g: got %.17g, epitools %.17g", f[0], v[0], v[1], got, want);
        }
      g_assert_true (isfinite (d.difference_lower) && isfinite (d.difference_upper));
      compared++;
    }
  g_assert_cmpuint (compared, ==, 9);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/disparity-apportioned/ratios-equal-epitools",
                   test_ratios_equal_epitools);

  return g_test_run ();
}
