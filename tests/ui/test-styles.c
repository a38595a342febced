/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-styles"

/* The window in the light and dark styles, with and without high contrast, as pixels: the
 * map's own background follows the style, and the legend's text stays readable. */

#include <math.h>
#include <glib/gstdio.h>

#include "tw-application.h"
#include "tw-background-source.h"
#include "tw-window.h"
#include "tw-window-private.h"
#include "window-test-helpers.h"

#define WIDTH 1280
#define HEIGHT 800

static char *tmpdir;
static char *demo_path;
static TwApplication *app;
static GSettings *a11y_settings;

static void
set_style (gboolean dark,
           gboolean high_contrast)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();

  adw_style_manager_set_color_scheme (manager, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                    : ADW_COLOR_SCHEME_FORCE_LIGHT);
  if (a11y_settings != NULL)
    g_settings_set_boolean (a11y_settings, "high-contrast", high_contrast);
  g_assert_cmpint (adw_style_manager_get_dark (manager), ==, dark);
  g_assert_cmpint (adw_style_manager_get_high_contrast (manager), ==, high_contrast);
}

static TwWindow *
open_demo (void)
{
  return open_project_window (app, demo_path, WIDTH, HEIGHT);
}

static TwBackgroundSource *
background_source (TwWindow *window)
{
  ShumateMapSource *source = shumate_simple_map_get_map_source (tw_window_get_map (window));

  g_assert_true (TW_IS_BACKGROUND_SOURCE (source));
  return TW_BACKGROUND_SOURCE (source);
}

static gboolean
background_not_drawn (gpointer window)
{
  TwBackgroundSource *source = background_source (window);

  return tw_background_source_get_n_tiles (source) == 0
         || tw_background_source_get_n_pending (source) > 0;
}

/* WCAG 2's relative luminance of an sRGB colour, and the contrast ratio of two. */
static double
luminance (guint32 rgb)
{
  double l = 0;
  const double weights[3] = { 0.2126, 0.7152, 0.0722 };

  for (int i = 0; i < 3; i++)
    {
      double c = ((rgb >> (16 - 8 * i)) & 0xff) / 255.0;

      l += weights[i] * (c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4));
    }
  return l;
}

static double
contrast_ratio (guint32 a,
                guint32 b)
{
  double la = luminance (a), lb = luminance (b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

/* The commonest colour in a rectangle of @image. */
static guint32
commonest_color (const Image *image,
                 int          x0,
                 int          y0,
                 int          x1,
                 int          y1)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer key, value;
  guint32 best = 0;
  guint best_count = 0;

  for (int y = MAX (0, y0); y < MIN (image->height, y1); y++)
    for (int x = MAX (0, x0); x < MIN (image->width, x1); x++)
      {
        gpointer color = GUINT_TO_POINTER (pixel (image, x, y) | 0x1000000);

        g_hash_table_insert (counts, color,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (
                               g_hash_table_lookup (counts, color)) + 1));
      }
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) > best_count)
      {
        best_count = GPOINTER_TO_UINT (value);
        best = GPOINTER_TO_UINT (key) & 0xffffff;
      }
  return best;
}

/* The map outside every area: the background source's colour, light or dark as the
 * style is, with lines on it that stand out at 3:1 at least (WCAG's figure for graphics). */
static void
check_map_background (TwWindow    *window,
                      const Image *image,
                      gboolean     dark,
                      const char  *style)
{
  guint32 expected = tw_background_source_get_background (background_source (window));
  g_autoptr(GArray) outside = map_background_pixels (window, image);
  guint n = outside->len, n_background = 0;
  double best_contrast = 1;

  for (guint i = 0; i < outside->len; i++)
    {
      guint32 seen = g_array_index (outside, guint32, i);

      n_background += color_distance (seen, expected) <= 2;
      best_contrast = MAX (best_contrast, contrast_ratio (seen, expected));
    }
  g_test_message ("%s: map background #%06x (luminance %.3f) on %u of %u pixels outside the "
                  "areas; lines up to %.1f:1", style, expected, luminance (expected),
                  n_background, n, best_contrast);
  g_assert_cmpuint (n, >, 10000);
  g_assert_cmpuint (n_background, >, n * 8 / 10);
  if (dark)
    g_assert_cmpfloat (luminance (expected), <, 0.05);
  else
    g_assert_cmpfloat (luminance (expected), >, 0.85);
  g_assert_cmpfloat (best_contrast, >=, 3.0);
}

static void
collect_labels (GtkWidget *widget,
                GPtrArray *labels)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    g_ptr_array_add (labels, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, labels);
}

/* Every text of the legend, measured on screen: its strongest glyph pixel against the
 * commonest colour around it, which is the card's. */
static void
check_legend_contrast (TwWindow    *window,
                       const Image *image,
                       double       minimum,
                       const char  *style)
{
  GtkWidget *legend = find_by_id (GTK_WIDGET (window), "legend_card");
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  double worst = G_MAXDOUBLE;

  g_assert_nonnull (legend);
  collect_labels (legend, labels);
  g_assert_cmpuint (labels->len, >=, 8);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      graphene_rect_t bounds;
      guint32 background;
      double best = 1;
      int x0, y0, x1, y1;

      g_assert_true (gtk_widget_compute_bounds (label, GTK_WIDGET (window), &bounds));
      x0 = (int) floor (bounds.origin.x);
      y0 = (int) floor (bounds.origin.y);
      x1 = (int) ceil (bounds.origin.x + bounds.size.width);
      y1 = (int) ceil (bounds.origin.y + bounds.size.height);
      background = commonest_color (image, x0, y0, x1, y1);
      for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
          best = MAX (best, contrast_ratio (pixel (image, x, y), background));
      g_test_message ("%s: “%s” %.1f:1 on #%06x", style, gtk_label_get_text (GTK_LABEL (label)),
                      best, background);
      worst = MIN (worst, best);
      if (best < minimum)
        g_error ("%s: the legend's “%s” has a contrast of %.2f:1 to its background, "
                 "less than %.1f:1", style, gtk_label_get_text (GTK_LABEL (label)), best,
                 minimum);
    }
  g_test_message ("%s: the legend's weakest text contrast is %.1f:1", style, worst);
}

static void
check_style (TwWindow *window,
             gboolean  dark,
             gboolean  high_contrast,
             const char *name)
{
  g_autofree char *file = g_strdup_printf ("styles-%s.png", name);
  g_autoptr(Image) image = NULL;

  set_style (dark, high_contrast);
  spin_while (background_not_drawn, window);
  wait_for_map (window);
  image = render_window (GTK_WIDGET (window), file);
  check_map_background (window, image, dark, name);
  check_legend_contrast (window, image, high_contrast ? 7.0 : 4.5, name);
}

static void
test_light_and_dark (void)
{
  TwWindow *window = open_demo ();
  TwBackgroundSource *light;

  check_style (window, FALSE, FALSE, "light");
  light = background_source (window);
  check_style (window, TRUE, FALSE, "dark");
  /* A source of its own, so that no light tile is shown again from libshumate's cache. */
  g_assert_true (background_source (window) != light);
  g_assert_cmpstr (shumate_map_source_get_id (SHUMATE_MAP_SOURCE (background_source (window))),
                   !=, "");
  check_style (window, FALSE, FALSE, "light-again");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_high_contrast (void)
{
  TwWindow *window;

  /* build-aux/install-deps --tests installs gsettings-desktop-schemas, which holds the
   * setting GNOME turns high contrast on with: without it this check cannot run. */
  g_assert_nonnull (a11y_settings);
  window = open_demo ();
  check_style (window, FALSE, TRUE, "hc");
  check_style (window, TRUE, TRUE, "hc-dark");
  set_style (FALSE, FALSE);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSettingsSchema) schema = NULL;
  int status;

  /* The a11y settings below are GNOME's switch for high contrast; no portal may answer for
   * it. */
  g_setenv ("ADW_DISABLE_PORTAL", "1", TRUE);
  window_test_init (&argc, &argv);

  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                            "org.gnome.desktop.a11y.interface", TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, "high-contrast"))
    a11y_settings = g_settings_new ("org.gnome.desktop.a11y.interface");

  tmpdir = make_tmpdir ("styles");
  demo_path = make_demo (tmpdir);

  app = window_test_application (NULL);

  g_test_add_func ("/ui/styles/light-and-dark", test_light_and_dark);
  g_test_add_func ("/ui/styles/high-contrast", test_high_contrast);

  status = g_test_run ();

  g_clear_object (&app);
  g_clear_object (&a11y_settings);
  remove_tree (tmpdir);
  g_free (demo_path);
  g_free (tmpdir);

  return status;
}
