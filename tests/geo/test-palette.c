/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-palette"

#include "config.h"

#include "tw-palette.h"

/* Expected colours are ColorBrewer's published tables (colorbrewer2.org). */

static double
luminance (guint32 color)
{
  double r, g, b;

  tw_color_to_rgb (color, &r, &g, &b);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

static void
assert_scheme (const char    *name,
               guint          n,
               const guint32 *expected)
{
  const TwPalette *p = tw_palette_lookup (name);

  g_assert_nonnull (p);
  for (guint i = 0; i < n; i++)
    {
      guint32 color = tw_palette_get_color (p, n, i);

      if (color != expected[i])
        g_error ("%s %u colour %u is #%06X, not #%06X", name, n, i, color, expected[i]);
    }
}

static void
test_lookup (void)
{
  static const char * const required[] = {
    "YlOrRd", "YlGnBu", "Blues", "Greens", "Oranges", "Purples", "Reds", "BuPu", "OrRd",
    "PuBuGn", "RdBu", "PuOr", "BrBG", "PiYG", "RdYlBu",
  };

  for (guint i = 0; i < G_N_ELEMENTS (required); i++)
    {
      g_autofree char *lower = g_ascii_strdown (required[i], -1);
      g_autofree char *upper = g_ascii_strup (required[i], -1);
      const TwPalette *p = tw_palette_lookup (required[i]);

      g_assert_nonnull (p);
      g_assert_cmpstr (tw_palette_get_name (p), ==, required[i]);
      g_assert_true (tw_palette_lookup (lower) == p);
      g_assert_true (tw_palette_lookup (upper) == p);
      g_assert_cmpint (tw_palette_get_kind (p), ==,
                       i < 10 ? TW_PALETTE_SEQUENTIAL : TW_PALETTE_DIVERGING);
      g_assert_true (tw_palette_is_colorblind_safe (p));
    }
  g_assert_null (tw_palette_lookup ("Viridis"));
  g_assert_null (tw_palette_lookup (""));
  g_assert_null (tw_palette_lookup ("YlOrRd "));
}

static void
test_published_values (void)
{
  static const guint32 ylorrd5[] = { 0xFFFFB2, 0xFECC5C, 0xFD8D3C, 0xF03B20, 0xBD0026 };
  static const guint32 ylorrd9[] = { 0xFFFFCC, 0xFFEDA0, 0xFED976, 0xFEB24C, 0xFD8D3C,
                                     0xFC4E2A, 0xE31A1C, 0xBD0026, 0x800026 };
  static const guint32 ylgnbu3[] = { 0xEDF8B1, 0x7FCDBB, 0x2C7FB8 };
  static const guint32 blues4[] = { 0xEFF3FF, 0xBDD7E7, 0x6BAED6, 0x2171B5 };
  static const guint32 rdbu5[] = { 0xCA0020, 0xF4A582, 0xF7F7F7, 0x92C5DE, 0x0571B0 };
  static const guint32 puor3[] = { 0xF1A340, 0xF7F7F7, 0x998EC3 };
  static const guint32 rdylbu7[] = { 0xD73027, 0xFC8D59, 0xFEE090, 0xFFFFBF, 0xE0F3F8,
                                     0x91BFDB, 0x4575B4 };
  static const guint32 brbg6[] = { 0x8C510A, 0xD8B365, 0xF6E8C3, 0xC7EAE5, 0x5AB4AC, 0x01665E };
  static const guint32 piyg4[] = { 0xD01C8B, 0xF1B6DA, 0xB8E186, 0x4DAC26 };
  const TwPalette *def = tw_palette_get_default (TW_PALETTE_SEQUENTIAL);

  assert_scheme ("YlOrRd", 5, ylorrd5);
  assert_scheme ("YlOrRd", 9, ylorrd9);
  assert_scheme ("YlGnBu", 3, ylgnbu3);
  assert_scheme ("Blues", 4, blues4);
  assert_scheme ("RdBu", 5, rdbu5);
  assert_scheme ("PuOr", 3, puor3);
  assert_scheme ("RdYlBu", 7, rdylbu7);
  assert_scheme ("BrBG", 6, brbg6);
  assert_scheme ("PiYG", 4, piyg4);

  g_assert_cmpstr (tw_palette_get_name (def), ==, "YlOrRd");
  g_assert_true (tw_palette_is_colorblind_safe (def));
  g_assert_true (tw_palette_is_colorblind_safe (tw_palette_get_default (TW_PALETTE_DIVERGING)));
}

/* Every scheme has 3..9 classes of distinct colours; a sequential scheme darkens from the
 * first class to the last, and a diverging scheme is lightest in the middle. */
static void
test_lengths_and_order (void)
{
  g_assert_cmpuint (tw_palette_get_n_palettes (), >=, 15);

  for (guint p = 0; p < tw_palette_get_n_palettes (); p++)
    {
      const TwPalette *palette = tw_palette_get_nth (p);

      for (guint n = TW_PALETTE_MIN_CLASSES; n <= TW_PALETTE_MAX_CLASSES; n++)
        {
          double lightest = -1;
          guint lightest_at = 0;

          for (guint i = 0; i < n; i++)
            {
              guint32 color = tw_palette_get_color (palette, n, i);

              g_assert_cmpuint (color, <=, 0xFFFFFF);
              for (guint j = 0; j < i; j++)
                g_assert_cmpuint (tw_palette_get_color (palette, n, j), !=, color);
              if (luminance (color) > lightest)
                {
                  lightest = luminance (color);
                  lightest_at = i;
                }
              if (tw_palette_get_kind (palette) == TW_PALETTE_SEQUENTIAL && i > 0)
                g_assert_cmpfloat (luminance (color), <,
                                   luminance (tw_palette_get_color (palette, n, i - 1)));
            }
          if (tw_palette_get_kind (palette) == TW_PALETTE_DIVERGING)
            {
              g_assert_cmpuint (lightest_at, >=, (n - 1) / 2);
              g_assert_cmpuint (lightest_at, <=, n / 2);
            }
        }
    }
}

static void
test_list_names (void)
{
  g_auto(GStrv) all = tw_palette_list_names (TW_PALETTE_FILTER_ALL);
  g_auto(GStrv) seq = tw_palette_list_names (TW_PALETTE_FILTER_SEQUENTIAL);
  g_auto(GStrv) div = tw_palette_list_names (TW_PALETTE_FILTER_DIVERGING);
  g_auto(GStrv) safe = tw_palette_list_names (TW_PALETTE_FILTER_ALL |
                                              TW_PALETTE_FILTER_COLORBLIND_SAFE);

  g_assert_cmpuint (g_strv_length (all), ==, tw_palette_get_n_palettes ());
  g_assert_cmpuint (g_strv_length (seq) + g_strv_length (div), ==, g_strv_length (all));
  g_assert_true (g_strv_contains ((const char * const *) seq, "YlOrRd"));
  g_assert_false (g_strv_contains ((const char * const *) seq, "RdBu"));
  g_assert_true (g_strv_contains ((const char * const *) div, "RdBu"));
  /* ColorBrewer rates these diverging schemes not colour-blind safe. */
  g_assert_true (g_strv_contains ((const char * const *) all, "RdYlGn"));
  g_assert_false (g_strv_contains ((const char * const *) safe, "RdYlGn"));
  g_assert_false (g_strv_contains ((const char * const *) safe, "Spectral"));
  g_assert_false (g_strv_contains ((const char * const *) safe, "RdGy"));
  g_assert_true (g_strv_contains ((const char * const *) safe, "RdYlBu"));
  g_assert_true (g_strv_contains ((const char * const *) safe, "PuOr"));
}

static void
test_rgb_and_bytes (void)
{
  const TwPalette *p = tw_palette_lookup ("ylorrd");
  double r, g, b;
  guint8 rb, gb, bb;
  g_autofree char *hex = NULL;

  tw_palette_get_rgb (p, 5, 0, &r, &g, &b);
  g_assert_cmpfloat (r, ==, 1.0);
  g_assert_cmpfloat (g, ==, 1.0);
  g_assert_cmpfloat_with_epsilon (b, 178 / 255.0, 1e-12);
  tw_palette_get_bytes (p, 5, 4, &rb, &gb, &bb);
  g_assert_cmpuint (rb, ==, 0xBD);
  g_assert_cmpuint (gb, ==, 0x00);
  g_assert_cmpuint (bb, ==, 0x26);
  hex = tw_color_to_hex (tw_palette_get_color (p, 5, 0));
  g_assert_cmpstr (hex, ==, "#FFFFB2");
}

/* One or two classes (too few distinct values) still read low to high. */
static void
test_fewer_classes (void)
{
  const TwPalette *p = tw_palette_lookup ("Blues");

  g_assert_cmpuint (tw_palette_get_color (p, 2, 0), ==, 0xDEEBF7);
  g_assert_cmpuint (tw_palette_get_color (p, 2, 1), ==, 0x3182BD);
  g_assert_cmpuint (tw_palette_get_color (p, 1, 0), ==, 0x3182BD);
  g_assert_cmpuint (tw_palette_get_color (tw_palette_lookup ("RdBu"), 1, 0), ==, 0xF7F7F7);
}

static void
test_fixed_colors (void)
{
  double r, g, b;

  g_assert_cmpuint (tw_palette_fixed_color (TW_COLOR_NO_DATA), ==, 0xBDBDBD);
  tw_palette_fixed_rgb (TW_COLOR_NO_DATA, &r, &g, &b);
  g_assert_cmpfloat_with_epsilon (r, 0xBD / 255.0, 1e-12);
  g_assert_cmpfloat (r, ==, g);
  g_assert_cmpfloat (g, ==, b);
  g_assert_cmpuint (tw_palette_fixed_color (TW_COLOR_SUPPRESSED_HATCH), !=,
                    tw_palette_fixed_color (TW_COLOR_SUPPRESSED_FILL));

  /* No-data grey and the suppressed fill must not be mistaken for a class colour of any
   * scheme but the grey one. */
  for (guint p = 0; p < tw_palette_get_n_palettes (); p++)
    {
      const TwPalette *palette = tw_palette_get_nth (p);

      if (g_str_equal (tw_palette_get_name (palette), "Greys")
          || g_str_equal (tw_palette_get_name (palette), "RdGy"))
        continue;
      for (guint n = TW_PALETTE_MIN_CLASSES; n <= TW_PALETTE_MAX_CLASSES; n++)
        for (guint i = 0; i < n; i++)
          {
            guint32 color = tw_palette_get_color (palette, n, i);

            g_assert_cmpuint (color, !=, tw_palette_fixed_color (TW_COLOR_NO_DATA));
            g_assert_cmpuint (color, !=, tw_palette_fixed_color (TW_COLOR_SUPPRESSED_FILL));
          }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/geo/palette/lookup", test_lookup);
  g_test_add_func ("/geo/palette/published-values", test_published_values);
  g_test_add_func ("/geo/palette/lengths-and-order", test_lengths_and_order);
  g_test_add_func ("/geo/palette/list-names", test_list_names);
  g_test_add_func ("/geo/palette/rgb-and-bytes", test_rgb_and_bytes);
  g_test_add_func ("/geo/palette/fewer-classes", test_fewer_classes);
  g_test_add_func ("/geo/palette/fixed-colors", test_fixed_colors);

  return g_test_run ();
}
