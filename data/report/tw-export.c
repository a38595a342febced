/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-export"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "tw-export-private.h"
#include "tw-format.h"
#include "tw-json.h"
#include "tw-pdf-tags.h"
#include "tw-policy-text.h"
#include "tw-store-catalog.h"

#define EARTH_RADIUS 6378137.0
#define METRES_PER_MILE 1609.344
/* Letter, in points: the page the type sizes are chosen for. */
#define LETTER_WIDTH 612.0
#define LETTER_HEIGHT 792.0
#define A4_WIDTH 595.276
#define A4_HEIGHT 841.89
/* A 16:9 presentation slide, 13.333 × 7.5 inches: 1920 × 1080 pixels at 144 dpi. */
#define SLIDE_WIDTH 960.0
#define SLIDE_HEIGHT 540.0
#define MAX_PIXELS 20000
#define MAX_COUNTY_OUTLINES 800
/* Above this many areas in view, vector maps are drawn at one unit a point, not two. */
#define DENSE_AREAS 20000
#define FRAME_COLOR 0x9E9E9E
#define TEXT_COLOR 0x212121
#define MUTED_COLOR 0x5F6368

struct _TwMapExport
{
  gatomicrefcount  ref_count;
  TwChoropleth    *map;
  TwAreaLayer     *layer;
  TwLineSet       *counties;
  TwLineSet       *states;
  TwBox            extent;
  guint           *shown_counts;  /* with an extent: each legend row's areas in it */
  gboolean         north_arrow;
  char            *title;
  char            *subtitle;
  char            *legend_heading;
  char            *source_line;
  char            *footnote;
};

G_DEFINE_QUARK (tw-export-error-quark, tw_export_error)

/* Typesetting */

void
tw_typeset_set_color (cairo_t *cr,
                      guint32  color)
{
  cairo_set_source_rgb (cr, ((color >> 16) & 0xff) / 255.0, ((color >> 8) & 0xff) / 255.0,
                        (color & 0xff) / 255.0);
}

PangoLayout *
tw_typeset_layout (cairo_t     *cr,
                   double       size,
                   PangoWeight  weight)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (TW_EXPORT_FONT_FAMILY);
  cairo_font_options_t *options = cairo_font_options_create ();

  /* Layout in points whatever the surface: the PNG and the PDF break lines alike. */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pango_layout_get_context (layout), options);
  pango_layout_context_changed (layout);
  cairo_font_options_destroy (options);

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, weight);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  return layout;
}

double
tw_typeset_text (cairo_t        *cr,
                 const char     *text,
                 gboolean        markup,
                 double          size,
                 PangoWeight     weight,
                 double          x,
                 double          y,
                 double          width,
                 PangoAlignment  alignment,
                 guint32         color)
{
  g_autoptr(PangoLayout) layout = NULL;
  int w, h;

  g_return_val_if_fail (cr != NULL, 0.0);

  if (text == NULL || text[0] == '\0')
    return 0.0;
  layout = tw_typeset_layout (cr, size, weight);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_alignment (layout, alignment);
  if (markup)
    pango_layout_set_markup (layout, text, -1);
  else
    pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &w, &h);

  cairo_save (cr);
  tw_typeset_set_color (cr, color);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
  return (double) h / PANGO_SCALE;
}

double
tw_typeset_text_width (cairo_t     *cr,
                       const char  *text,
                       double       size,
                       PangoWeight  weight)
{
  g_autoptr(PangoLayout) layout = tw_typeset_layout (cr, size, weight);
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &w, &h);
  return (double) w / PANGO_SCALE;
}

/* Measures text without drawing it, on a scratch surface: its height in @width (≤ 0: one
 * line), and its widest line in @natural_width. */
static double
measure_text_full (const char  *text,
                   gboolean     markup,
                   double       size,
                   PangoWeight  weight,
                   double       width,
                   double      *natural_width)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  g_autoptr(PangoLayout) layout = NULL;
  int w, h;

  if (natural_width != NULL)
    *natural_width = 0.0;
  if (text == NULL || text[0] == '\0')
    return 0.0;
  surface = cairo_image_surface_create (CAIRO_FORMAT_A8, 1, 1);
  cr = cairo_create (surface);
  layout = tw_typeset_layout (cr, size, weight);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  if (markup)
    pango_layout_set_markup (layout, text, -1);
  else
    pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &w, &h);
  g_clear_object (&layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  if (natural_width != NULL)
    *natural_width = (double) w / PANGO_SCALE;
  return (double) h / PANGO_SCALE;
}

static double
measure_text (const char  *text,
              gboolean     markup,
              double       size,
              PangoWeight  weight,
              double       width)
{
  return measure_text_full (text, markup, size, weight, width, NULL);
}

static double
measure_width (const char  *text,
               double       size,
               PangoWeight  weight)
{
  double w;

  measure_text_full (text, FALSE, size, weight, -1, &w);
  return w;
}

char *
tw_export_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

/* Pages and formats */

gboolean
tw_export_format_from_path (const char      *path,
                            TwExportFormat  *format,
                            GError         **error)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".png"))
    *format = TW_EXPORT_FORMAT_PNG;
  else if (g_str_has_suffix (lower, ".svg"))
    *format = TW_EXPORT_FORMAT_SVG;
  else if (g_str_has_suffix (lower, ".pdf"))
    *format = TW_EXPORT_FORMAT_PDF;
  else
    {
      g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID,
                   "%s: the file name does not end in .png, .svg or .pdf; name the format "
                   "with the suffix", path);
      return FALSE;
    }
  return TRUE;
}

const char *
tw_export_format_to_string (TwExportFormat format)
{
  switch (format)
    {
    case TW_EXPORT_FORMAT_PNG:
      return "png";
    case TW_EXPORT_FORMAT_SVG:
      return "svg";
    case TW_EXPORT_FORMAT_PDF:
      return "pdf";
    default:
      g_return_val_if_reached ("png");
    }
}

gboolean
tw_export_page_for_pixels (TwExportPage    *page,
                           TwExportFormat   format,
                           int              width,
                           int              height,
                           GError         **error)
{
  g_return_val_if_fail (page != NULL, FALSE);

  if (width < 200 || height < 150 || width > MAX_PIXELS || height > MAX_PIXELS)
    {
      g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID,
                   "a page of %d × %d pixels is out of range; give a width of 200 to %d and "
                   "a height of 150 to %d pixels", width, height, MAX_PIXELS, MAX_PIXELS);
      return FALSE;
    }
  page->format = format;
  page->dpi = 96.0;
  page->width = width * 72.0 / page->dpi;
  page->height = height * 72.0 / page->dpi;
  return TRUE;
}

gboolean
tw_export_page_for_paper (TwExportPage    *page,
                          TwExportFormat   format,
                          const char      *paper,
                          gboolean         landscape,
                          double           dpi,
                          GError         **error)
{
  double w, h;
  gboolean slide = FALSE;

  g_return_val_if_fail (page != NULL, FALSE);

  if (paper == NULL || g_ascii_strcasecmp (paper, "letter") == 0)
    w = LETTER_WIDTH, h = LETTER_HEIGHT;
  else if (g_ascii_strcasecmp (paper, "a4") == 0)
    w = A4_WIDTH, h = A4_HEIGHT;
  else if (g_ascii_strcasecmp (paper, "slide") == 0)
    {
      /* A presentation's 16:9 slide is wide whichever way it is asked for. */
      w = SLIDE_HEIGHT, h = SLIDE_WIDTH;
      landscape = TRUE;
      slide = TRUE;
    }
  else
    {
      g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID,
                   "unknown paper '%s'; use letter, a4 or slide", paper);
      return FALSE;
    }
  if (dpi <= 0)
    dpi = slide ? 144.0 : 150.0;
  if (dpi < 36 || dpi > 1200 || ceil (MAX (w, h) * dpi / 72.0) > MAX_PIXELS)
    {
      g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID,
                   "a resolution of %g dpi is out of range; give 36 to 1200 dpi", dpi);
      return FALSE;
    }
  page->format = format;
  page->width = landscape ? h : w;
  page->height = landscape ? w : h;
  page->dpi = dpi;
  return TRUE;
}

/* Outlines */

static gboolean
geoids_are_fips (TwAreaLayer *layer,
                 guint       *length)
{
  guint n = tw_area_layer_get_n_areas (layer);
  gsize first = 0;

  for (guint i = 0; i < n; i++)
    {
      const char *geoid = tw_area_layer_get_geoid (layer, i);
      gsize len = strlen (geoid);

      if (i == 0)
        first = len;
      if (len != first || (len != 11 && len != 5))
        return FALSE;
      for (gsize c = 0; c < len; c++)
        if (!g_ascii_isdigit (geoid[c]))
          return FALSE;
    }
  *length = (guint) first;
  return n > 0;
}

static guint32 *
fips_groups (TwAreaLayer *layer,
             guint        prefix)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = tw_area_layer_get_n_areas (layer);
  guint32 *groups = g_new (guint32, n);

  for (guint i = 0; i < n; i++)
    {
      char *key = g_strndup (tw_area_layer_get_geoid (layer, i), prefix);
      gpointer value;

      if (!g_hash_table_lookup_extended (ids, key, NULL, &value))
        {
          value = GUINT_TO_POINTER (g_hash_table_size (ids));
          g_hash_table_insert (ids, key, value);
        }
      else
        g_free (key);
      groups[i] = GPOINTER_TO_UINT (value);
    }
  return groups;
}

guint32 *
tw_export_fips_groups (TwAreaLayer *layer,
                       guint        prefix,
                       guint       *n_groups)
{
  guint length = 0;
  guint32 *groups;

  if (!geoids_are_fips (layer, &length) || prefix > length)
    return NULL;
  groups = fips_groups (layer, prefix);
  *n_groups = 0;
  for (guint i = 0; i < tw_area_layer_get_n_areas (layer); i++)
    *n_groups = MAX (*n_groups, groups[i] + 1);
  return groups;
}

typedef struct
{
  TwGeometrySet *geometry;
  guint32       *groups;
  GCancellable  *cancellable;
} OutlineJob;

static gpointer
build_outlines_thread (gpointer data)
{
  OutlineJob *job = data;

  return tw_outlines_build (job->geometry, job->groups, job->cancellable);
}

typedef struct
{
  guint32    *groups;
  GHashTable *seen;
} CountGroups;

static gboolean
count_group (guint    area,
             gpointer user_data)
{
  CountGroups *count = user_data;

  g_hash_table_add (count->seen, GUINT_TO_POINTER (count->groups[area] + 1));
  return TRUE;
}

void
tw_export_build_outlines (TwAreaLayer   *layer,
                          const TwBox   *extent,
                          GCancellable  *cancellable,
                          TwLineSet    **counties,
                          TwLineSet    **states)
{
  TwGeometrySet *geometry = tw_area_layer_get_geometry (layer);
  guint length = 0;

  *counties = NULL;
  *states = NULL;
  if (geoids_are_fips (layer, &length))
    {
      g_autofree guint32 *state_groups = fips_groups (layer, 2);
      g_autofree guint32 *county_groups = fips_groups (layer, 5);
      OutlineJob job = { geometry, county_groups, cancellable };
      GThread *thread = NULL;
      guint n_counties = 0;

      /* More counties than a page can show apart make a grey mesh, not lines: a map of a
       * whole country shows states only. */
      if (extent != NULL)
        {
          CountGroups count = { county_groups, g_hash_table_new (NULL, NULL) };

          tw_geometry_set_query (geometry, extent, count_group, &count);
          n_counties = g_hash_table_size (count.seen);
          g_hash_table_unref (count.seen);
        }
      /* County GEOIDs are each their own county: the lines are then every area's edge. */
      if (n_counties <= MAX_COUNTY_OUTLINES)
        thread = g_thread_new ("tw-outlines", build_outlines_thread, &job);
      *states = tw_outlines_build (geometry, state_groups, cancellable);
      if (thread != NULL)
        *counties = g_thread_join (thread);
    }
  else
    *states = tw_outlines_build (geometry, NULL, cancellable);
}

gboolean
tw_export_extent_to_world (const double  *e,
                           TwBox         *box,
                           GError       **error)
{
  g_return_val_if_fail (e != NULL && box != NULL, FALSE);

  if (!(e[0] >= -180 && e[2] <= 180 && e[0] < e[2] && e[1] >= -85.05 && e[3] <= 85.05
        && e[1] < e[3]))
    {
      g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID,
                   "extent %g,%g,%g,%g is not a box in longitude and latitude; give "
                   "minlon,minlat,maxlon,maxlat with min < max, longitudes -180 to 180 "
                   "and latitudes -85 to 85", e[0], e[1], e[2], e[3]);
      return FALSE;
    }
  tw_world_from_lonlat (e[0], e[3], &box->min_x, &box->min_y);
  tw_world_from_lonlat (e[2], e[1], &box->max_x, &box->max_y);
  return TRUE;
}

/* The export object */

static char *
legend_heading (TwChoropleth *map)
{
  g_autofree char *unit = tw_choropleth_format_unit (map);

  if (g_str_equal (unit, "%"))
    return g_strdup ("Percent");
  /* A change is in the unit of the change itself: percentage points, per 100,000, × or
   * % a year — "proportion percentage points" says nothing right. */
  if (tw_choropleth_is_change (map))
    {
      char *heading = g_strdup_printf ("%s%s", g_str_equal (unit, "×") ? "Ratio of rates, "
                                                                       : "", unit);

      heading[0] = g_ascii_toupper (heading[0]);
      return heading;
    }
  return g_strdup_printf ("%s %s", tw_choropleth_is_proportion (map) ? "Proportion" : "Rate",
                          unit);
}

static char *
group_text (TwChoropleth *map)
{
  const char *stratum = tw_choropleth_get_stratum (map);
  g_autofree char *label = tw_format_group_label (stratum);

  if (stratum == NULL || g_str_equal (stratum, "all"))
    return g_steal_pointer (&label);
  return g_strdup_printf ("Group: %s", label);
}

static guint
legend_n_classes (TwMapExport *self)
{
  const TwClassification *classes = tw_choropleth_get_classification (self->map);

  return classes != NULL ? classes->n_classes : 0;
}

static guint
legend_n_rows (TwMapExport *self)
{
  const TwStatusRow *rows;

  return legend_n_classes (self) + tw_choropleth_get_status_rows (self->map, &rows);
}

/* A page of part of the region counts the areas it shows, not the whole region's. */
static void
count_shown (TwMapExport *self)
{
  const TwClassification *classes = tw_choropleth_get_classification (self->map);
  TwGeometrySet *geometry = tw_area_layer_get_geometry (self->layer);
  guint n_classes = classes != NULL ? classes->n_classes : 0;

  self->shown_counts = g_new0 (guint, legend_n_rows (self));
  for (guint i = 0; i < tw_area_layer_get_n_areas (self->layer); i++)
    {
      guint kind = tw_choropleth_get_figure (self->map, i)->kind;
      int status_row = tw_choropleth_get_status_row_of (self->map, i);
      TwBox box;

      tw_geometry_set_get_area_box (geometry, i, &box);
      if (box.max_x < self->extent.min_x || box.min_x > self->extent.max_x
          || box.max_y < self->extent.min_y || box.min_y > self->extent.max_y)
        continue;
      if (kind < n_classes)
        self->shown_counts[n_classes - 1 - kind]++;
      if (status_row >= 0)
        self->shown_counts[n_classes + status_row]++;
    }
}

TwMapExport *
tw_map_export_new (TwStore           *store,
                   TwChoropleth      *map,
                   const TwMapLayout *layout,
                   GCancellable      *cancellable,
                   GError           **error)
{
  g_autoptr(TwMapExport) self = NULL;
  TwMapLayout defaults = { 0 };
  g_autoptr(TwMeasureInfo) measure_info = NULL;
  g_autoptr(TwGeographyInfo) geography_info = NULL;
  g_autofree char *policy = NULL;
  g_autofree char *today = NULL;
  g_autofree char *group = NULL;
  g_autofree char *boundaries = NULL;
  const char *measure_source, *geo_source, *geo_vintage;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (map != NULL, NULL);

  if (layout == NULL)
    layout = &defaults;
  if (tw_choropleth_get_reveal (map))
    {
      g_set_error_literal (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_INVALID,
                           "this map shows the analyst view; exports never reveal suppressed "
                           "figures: compute the map without reveal");
      return NULL;
    }

  self = g_new0 (TwMapExport, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->map = tw_choropleth_ref (map);
  self->layer = tw_area_layer_ref (tw_choropleth_get_layer (map));
  self->north_arrow = layout->north_arrow;

  if (layout->has_extent)
    {
      if (!tw_export_extent_to_world (layout->extent, &self->extent, error))
        return NULL;
      count_shown (self);
    }
  else
    tw_geometry_set_get_extent (tw_area_layer_get_geometry (self->layer), &self->extent);
  if (!(self->extent.max_x > self->extent.min_x) || !(self->extent.max_y > self->extent.min_y))
    {
      /* One point-like area: a small box around it. */
      self->extent.min_x -= 1e-5;
      self->extent.max_x += 1e-5;
      self->extent.min_y -= 1e-5;
      self->extent.max_y += 1e-5;
    }

  /* Only for the sources line: a project that cannot say leaves it out. */
  tw_store_find_measure (store, tw_choropleth_get_measure_code (map), &measure_info, NULL);
  geography_info = tw_store_get_geography (store, tw_area_layer_get_geography_id (self->layer),
                                           NULL);
  measure_source = measure_info != NULL ? measure_info->source : NULL;
  geo_source = geography_info != NULL ? geography_info->source : NULL;
  geo_vintage = geography_info != NULL ? geography_info->vintage : NULL;

  group = group_text (map);
  self->legend_heading = legend_heading (map);
  self->title = g_strdup (layout->title != NULL ? layout->title
                                                : tw_choropleth_get_measure_label (map));
  if (layout->subtitle != NULL)
    self->subtitle = g_strdup (layout->subtitle);
  else
    {
      g_autofree char *heading = g_ascii_strdown (self->legend_heading, -1);

      self->subtitle = g_strdup_printf ("%s · %s · %s · %s", tw_choropleth_get_period (map),
                                        group, heading,
                                        tw_area_layer_get_geography_name (self->layer));
    }

  today = tw_export_today ();
  boundaries = g_strdup_printf ("%s%s%s%s%s", tw_area_layer_get_geography_name (self->layer),
                                geo_vintage != NULL || geo_source != NULL ? " (" : "",
                                geo_vintage != NULL ? geo_vintage : "",
                                geo_vintage != NULL && geo_source != NULL ? ", " : "",
                                geo_source != NULL ? geo_source : "");
  self->source_line = g_strdup_printf ("Source: %s. Boundaries: %s%s. Made with Tractwise %s on "
                                       "%s.",
                                       layout->source != NULL ? layout->source
                                       : measure_source != NULL ? measure_source
                                       : "project outcome data",
                                       boundaries,
                                       geo_vintage != NULL || geo_source != NULL ? ")" : "",
                                       PACKAGE_VERSION, today);
  policy = tw_policy_text_describe (tw_choropleth_get_policy (map));
  if (tw_choropleth_is_change (map))
    self->footnote = g_strdup_printf ("Suppression: %s Areas hatched over a pale fill are "
                                      "suppressed in a period the change is made of; areas "
                                      "hatched the other way over the neutral colour cannot "
                                      "be told from no change (the 95%% interval includes "
                                      "it); grey areas have no data.", policy);
  else
    self->footnote = g_strdup_printf ("Suppression: %s Areas hatched over a pale fill are "
                                      "suppressed; areas hatched the other way over their "
                                      "class colour are unreliable; grey areas have no data.",
                                      policy);

  if (layout->has_outlines)
    {
      self->counties = layout->counties != NULL ? tw_line_set_ref (layout->counties) : NULL;
      self->states = layout->states != NULL ? tw_line_set_ref (layout->states) : NULL;
    }
  else
    tw_export_build_outlines (self->layer, &self->extent, cancellable, &self->counties,
                              &self->states);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  return g_steal_pointer (&self);
}

TwMapExport *
tw_map_export_ref (TwMapExport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tw_map_export_unref (TwMapExport *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_clear_pointer (&self->map, tw_choropleth_unref);
  g_clear_pointer (&self->layer, tw_area_layer_unref);
  g_clear_pointer (&self->counties, tw_line_set_unref);
  g_clear_pointer (&self->states, tw_line_set_unref);
  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->legend_heading);
  g_free (self->source_line);
  g_free (self->footnote);
  g_free (self->shown_counts);
  g_free (self);
}

TwChoropleth *
tw_map_export_get_choropleth (TwMapExport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->map;
}

const char *
tw_map_export_get_title (TwMapExport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->title;
}

const char *
tw_map_export_get_subtitle (TwMapExport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->subtitle;
}

const char *
tw_map_export_get_footnote (TwMapExport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->footnote;
}

const char *
tw_map_export_get_source_line (TwMapExport *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->source_line;
}

void
tw_map_export_get_extent (TwMapExport *self,
                          TwBox       *extent)
{
  g_return_if_fail (self != NULL);
  *extent = self->extent;
}

TwLineSet *
tw_map_export_get_counties (TwMapExport *self)
{
  return self->counties;
}

TwLineSet *
tw_map_export_get_states (TwMapExport *self)
{
  return self->states;
}

/* Drawing */

static gboolean
count_area (guint    area,
            gpointer user_data)
{
  (*(guint *) user_data)++;
  return TRUE;
}

static guint
count_areas (TwAreaLayer *layer,
             const TwBox *view)
{
  guint n = 0;

  tw_geometry_set_query (tw_area_layer_get_geometry (layer), view, count_area, &n);
  return n;
}

void
tw_map_export_draw_map (TwMapExport *self,
                        cairo_t     *cr,
                        double       x,
                        double       y,
                        double       width,
                        double       height,
                        const TwBox *extent,
                        TwMapFrame  *frame)
{
  TwMapFrame f;
  double scale, cx, cy, res, dx = 1.0, dy = 0.0;
  guint n_areas = tw_area_layer_get_n_areas (self->layer);

  g_return_if_fail (self != NULL);
  g_return_if_fail (width > 0 && height > 0);

  if (extent == NULL)
    extent = &self->extent;
  scale = MIN (width / (extent->max_x - extent->min_x),
               height / (extent->max_y - extent->min_y));
  cx = (extent->min_x + extent->max_x) / 2;
  cy = (extent->min_y + extent->max_y) / 2;
  f.x = x;
  f.y = y;
  f.width = width;
  f.height = height;
  f.view.min_x = cx - width / scale / 2;
  f.view.max_x = cx + width / scale / 2;
  f.view.min_y = cy - height / scale / 2;
  f.view.max_y = cy + height / scale / 2;

  /* The renderer simplifies to half a unit of its space: give it at least two units a
   * point, and the device's pixels when there are more of them. */
  cairo_user_to_device_distance (cr, &dx, &dy);
  res = MAX (hypot (dx, dy), count_areas (self->layer, &f.view) > DENSE_AREAS ? 1.0 : 2.0);

  cairo_save (cr);
  cairo_rectangle (cr, x, y, width, height);
  cairo_clip (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, 1.0 / res, 1.0 / res);
  tw_render_view (tw_area_layer_get_geometry (self->layer), tw_choropleth_get_style (self->map),
                  cr, &f.view, width * res, height * res);

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  if (self->counties != NULL)
    {
      tw_typeset_set_color (cr, tw_palette_fixed_color (TW_COLOR_COUNTY_OUTLINE));
      cairo_set_line_width (cr, (n_areas > 20000 ? 0.25 : 0.5) * res);
      tw_line_set_draw (self->counties, cr, &f.view, width * res, height * res);
    }
  if (self->states != NULL)
    {
      tw_typeset_set_color (cr, tw_palette_fixed_color (TW_COLOR_STATE_OUTLINE));
      cairo_set_line_width (cr, (n_areas > 20000 ? 0.6 : 0.9) * res);
      tw_line_set_draw (self->states, cr, &f.view, width * res, height * res);
    }
  cairo_restore (cr);

  cairo_save (cr);
  tw_typeset_set_color (cr, FRAME_COLOR);
  cairo_set_line_width (cr, 0.5);
  cairo_rectangle (cr, x, y, width, height);
  cairo_stroke (cr);
  cairo_restore (cr);

  if (frame != NULL)
    *frame = f;
}

/* Row @i of the legend: the classes, highest first as readers scan down, then a row for
 * each status the map draws (tw_choropleth_get_status_rows). */
static void
legend_row (TwMapExport  *self,
            guint         i,
            char        **label,
            char        **count)
{
  const TwClassification *classes = tw_choropleth_get_classification (self->map);
  guint n_classes = classes != NULL ? classes->n_classes : 0;
  guint n;

  if (i < n_classes)
    {
      guint c = n_classes - 1 - i;
      g_autofree char *low = tw_choropleth_format_rate (self->map, classes->breaks[c]);
      g_autofree char *high = tw_choropleth_format_rate (self->map, classes->breaks[c + 1]);

      *label = g_str_equal (low, high) ? g_strdup (low) : g_strdup_printf ("%s – %s", low, high);
      n = classes->counts[c];
    }
  else
    {
      const TwStatusRow *rows;

      tw_choropleth_get_status_rows (self->map, &rows);
      *label = tw_policy_text_status_row (tw_choropleth_get_policy (self->map),
                                          tw_choropleth_is_change (self->map),
                                          &rows[i - n_classes]);
      n = rows[i - n_classes].n_areas;
    }
  /* A page of part of the region counts the areas it shows. */
  *count = tw_format_count (self->shown_counts != NULL ? self->shown_counts[i] : n, NULL);
}

/* The legend at @size: its swatches, the gap after them and the gap before the counts. */
#define LEGEND_SWATCH_WIDTH(size) ((size) * 2.2)
#define LEGEND_SWATCH_HEIGHT(size) ((size) * 1.25)
#define LEGEND_LABEL_GAP(size) ((size) * 0.8)
#define LEGEND_COUNT_GAP(size) ((size) * 1.2)
/* The scale bar's height at @size (two bars of draw_one_bar). */
#define SCALE_BAR_HEIGHT(size) ((size) * 2.8)
/* The north arrow's size, width and height for a legend at @size. */
#define ARROW_SIZE(size) ((size) * 1.6)
#define ARROW_WIDTH(size) (ARROW_SIZE (size) * 2)
#define ARROW_HEIGHT(size) (ARROW_SIZE (size) * 2.9)
/* The frame's room around the region: the extent times this, the region centred. */
#define MAP_PADDING 1.025

static const char *
count_heading (TwMapExport *self)
{
  return self->shown_counts != NULL ? "areas shown" : "areas";
}

static double
legend_count_width (TwMapExport *self,
                    double       size)
{
  double w = measure_width (count_heading (self), size * 0.85, PANGO_WEIGHT_NORMAL);

  for (guint i = 0; i < legend_n_rows (self); i++)
    {
      g_autofree char *label = NULL;
      g_autofree char *count = NULL;

      legend_row (self, i, &label, &count);
      w = MAX (w, measure_width (count, size, PANGO_WEIGHT_NORMAL));
    }
  return ceil (w);
}

/* The width rows @first to @last (excluded) take at @size with no line broken. */
static double
legend_rows_width (TwMapExport *self,
                   double       size,
                   gboolean     counts,
                   guint        first,
                   guint        last)
{
  double labels = 0;

  for (guint i = first; i < last; i++)
    {
      g_autofree char *label = NULL;
      g_autofree char *count = NULL;

      legend_row (self, i, &label, &count);
      labels = MAX (labels, measure_width (label, size, PANGO_WEIGHT_NORMAL));
    }
  /* A point to spare, so that the label's line is not broken by rounding. */
  return LEGEND_SWATCH_WIDTH (size) + LEGEND_LABEL_GAP (size) + ceil (labels) + 1.0
         + (counts ? LEGEND_COUNT_GAP (size) + legend_count_width (self, size) : 0.0);
}

/* The room the heading takes over rows in @width. */
static double
legend_heading_room (TwMapExport *self,
                     double       width,
                     double       size)
{
  return measure_text (self->legend_heading, FALSE, size * 1.1, PANGO_WEIGHT_BOLD, width)
         + size * 0.2;
}

static double
legend_heading_width (TwMapExport *self,
                      double       size)
{
  return ceil (measure_width (self->legend_heading, size * 1.1, PANGO_WEIGHT_BOLD));
}

double
tw_map_export_legend_width (TwMapExport *self,
                            double       size,
                            gboolean     counts)
{
  g_return_val_if_fail (self != NULL, 0.0);

  return MAX (legend_heading_width (self, size),
              legend_rows_width (self, size, counts, 0, legend_n_rows (self)));
}

/* Rows @first to @last (excluded) of the legend in @width from (@x, @y), under its heading;
 * or, when @heading_h ≥ 0, under that much room left beside another part's heading. */
static double
draw_legend_rows (TwMapExport *self,
                  cairo_t     *cr,
                  double       x,
                  double       y,
                  double       width,
                  double       size,
                  gboolean     counts,
                  guint        first,
                  guint        last,
                  double       heading_h)
{
  TwMapStyle *style = tw_choropleth_get_style (self->map);
  double row = size * 1.75, sw = LEGEND_SWATCH_WIDTH (size), sh = LEGEND_SWATCH_HEIGHT (size);
  double count_width, label_width, line_height, top = y;
  guint n_classes = legend_n_classes (self);
  const TwStatusRow *status_rows;

  count_width = counts ? legend_count_width (self, size) : 0.0;
  line_height = measure_text ("0", FALSE, size, PANGO_WEIGHT_NORMAL, -1);
  label_width = MAX (size * 4, width - sw - LEGEND_LABEL_GAP (size)
                               - (counts ? LEGEND_COUNT_GAP (size) + count_width : 0.0));

  /* Heading, the counts' heading, then a row for each class, suppressed and no data. */
  if (heading_h < 0)
    heading_h = legend_heading_room (self, width, size);
  if (cr != NULL && first == 0)
    tw_typeset_text (cr, self->legend_heading, FALSE, size * 1.1, PANGO_WEIGHT_BOLD, x, y,
                     width, PANGO_ALIGN_LEFT, TEXT_COLOR);
  y += heading_h;
  if (cr != NULL && counts)
    tw_typeset_text (cr, count_heading (self), FALSE, size * 0.85, PANGO_WEIGHT_NORMAL,
                     x + width - count_width, y, count_width, PANGO_ALIGN_RIGHT, MUTED_COLOR);
  y += counts ? size * 1.3 : size * 0.3;

  for (guint i = first; i < last; i++)
    {
      g_autofree char *label = NULL;
      g_autofree char *count = NULL;
      double lh, sy;

      legend_row (self, i, &label, &count);
      lh = measure_text (label, FALSE, size, PANGO_WEIGHT_NORMAL, label_width);
      /* The swatch centred on the label's first line. */
      sy = y + (line_height - sh) / 2;
      if (cr != NULL)
        {
          /* The hatches at half the map's spacing: a legend's points are smaller than the
           * screen's pixels the map's spacing is made for. */
          tw_choropleth_get_status_rows (self->map, &status_rows);
          if (i < n_classes)
            tw_render_hatched_rectangle (cr,
                                         tw_map_style_get_fill (style,
                                                                (guint8) (n_classes - 1 - i)),
                                         TW_HATCH_NONE, x, sy, sw, sh, 1.0);
          else
            tw_render_hatched_rectangle (cr, status_rows[i - n_classes].fill,
                                         status_rows[i - n_classes].hatch, x, sy, sw, sh, 0.5);
          if (i >= n_classes)
            {
              cairo_save (cr);
              tw_typeset_set_color (cr, FRAME_COLOR);
              cairo_set_line_width (cr, 0.4);
              cairo_rectangle (cr, x, sy, sw, sh);
              cairo_stroke (cr);
              cairo_restore (cr);
            }
          tw_typeset_text (cr, label, FALSE, size, PANGO_WEIGHT_NORMAL,
                           x + sw + LEGEND_LABEL_GAP (size), y, label_width, PANGO_ALIGN_LEFT,
                           TEXT_COLOR);
          if (counts)
            tw_typeset_text (cr, count, FALSE, size, PANGO_WEIGHT_NORMAL,
                             x + width - count_width, y, count_width, PANGO_ALIGN_RIGHT,
                             MUTED_COLOR);
        }
      y += MAX (row, lh + size * 0.5);
    }
  /* The last row's leading is not part of the legend. */
  return y - top - size * 0.5;
}

double
tw_map_export_draw_legend (TwMapExport *self,
                           cairo_t     *cr,
                           double       x,
                           double       y,
                           double       width,
                           double       size,
                           gboolean     counts)
{
  g_return_val_if_fail (self != NULL, 0.0);

  return draw_legend_rows (self, cr, x, y, width, size, counts, 0, legend_n_rows (self), -1);
}

/* The largest 1, 2 or 5 × 10^n not above @limit. */
static double
nice_length (double limit)
{
  double p = pow (10.0, floor (log10 (limit)));

  if (5 * p <= limit)
    return 5 * p;
  if (2 * p <= limit)
    return 2 * p;
  return p;
}

static double
draw_one_bar (cairo_t    *cr,
              double      x,
              double      y,
              double      length,
              const char *label,
              double      size)
{
  double h = size * 0.45;

  cairo_save (cr);
  tw_typeset_set_color (cr, TEXT_COLOR);
  cairo_set_line_width (cr, 0.6);
  cairo_rectangle (cr, x, y, length, h);
  cairo_stroke (cr);
  cairo_rectangle (cr, x, y, length / 2, h);
  cairo_fill (cr);
  cairo_restore (cr);
  tw_typeset_text (cr, label, FALSE, size * 0.85, PANGO_WEIGHT_NORMAL, x + length + size * 0.5,
                   y + h / 2 - size * 0.6, -1, PANGO_ALIGN_LEFT, TEXT_COLOR);
  return SCALE_BAR_HEIGHT (size) / 2;
}

double
tw_map_export_draw_scale_bar (cairo_t          *cr,
                              const TwMapFrame *frame,
                              double            x,
                              double            y,
                              double            max_width,
                              double            size)
{
  double lon, lat, points_per_world, metres_per_point, max_metres, km, mi, top = y;
  g_autofree char *km_label = NULL;
  g_autofree char *mi_label = NULL;

  tw_world_to_lonlat ((frame->view.min_x + frame->view.max_x) / 2,
                      (frame->view.min_y + frame->view.max_y) / 2, &lon, &lat);
  points_per_world = frame->width / (frame->view.max_x - frame->view.min_x);
  metres_per_point = 2 * G_PI * EARTH_RADIUS * cos (lat * G_PI / 180.0) / points_per_world;
  max_metres = (max_width - size * 4) * metres_per_point;
  if (!(max_metres > 0))
    return 0.0;

  km = nice_length (max_metres / 1000.0);
  mi = nice_length (max_metres / METRES_PER_MILE);
  if (km >= 1)
    km_label = g_strdup_printf ("%g km", km);
  else
    km_label = g_strdup_printf ("%g m", km * 1000);
  mi_label = g_strdup_printf ("%g mi", mi);

  y += draw_one_bar (cr, x, y, km * 1000 / metres_per_point, km_label, size);
  y += draw_one_bar (cr, x, y, mi * METRES_PER_MILE / metres_per_point, mi_label, size);
  return y - top;
}

void
tw_map_export_draw_north_arrow (cairo_t *cr,
                                double   x,
                                double   y,
                                double   size)
{
  double w = size * 0.9, h = size * 1.6;

  tw_typeset_text (cr, "N", FALSE, size, PANGO_WEIGHT_BOLD, x - size, y, size * 2,
                   PANGO_ALIGN_CENTER, TEXT_COLOR);
  y += size * 1.3;
  cairo_save (cr);
  tw_typeset_set_color (cr, TEXT_COLOR);
  cairo_set_line_width (cr, 0.6);
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x + w / 2, y + h);
  cairo_line_to (cr, x, y + h * 0.72);
  cairo_close_path (cr);
  cairo_fill (cr);
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x - w / 2, y + h);
  cairo_line_to (cr, x, y + h * 0.72);
  cairo_close_path (cr);
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* Page layout */

/* The largest box of the extent's proportions, with a little room around it, that fits in
 * @avail_w × @avail_h: the frame hugs the map instead of leaving bands of white. */
static void
fit_to_extent (const TwBox *extent,
               double       avail_w,
               double       avail_h,
               double      *w,
               double      *h)
{
  double ew = (extent->max_x - extent->min_x) * MAP_PADDING;
  double eh = (extent->max_y - extent->min_y) * MAP_PADDING;
  double scale = MIN (avail_w / ew, avail_h / eh);

  *w = MAX (1.0, MIN (avail_w, ew * scale));
  *h = MAX (1.0, MIN (avail_h, eh * scale));
}

/* The type sizes for a page @scale times a letter page's size: paper is set at 19, 11, 9
 * and 7.5 points, and nothing below what reads in print or on a screen unless the page is
 * too small to hold it, when everything is set @shrink times smaller. */
static void
set_type_sizes (TwMapPageLayout *l,
                double           scale,
                double           shrink)
{
  l->title_size = 19.0 * scale * shrink;
  l->subtitle_size = MAX (11.0 * scale, 8.5) * shrink;
  l->legend_size = MAX (9.0 * scale, 7.5) * shrink;
  l->note_size = MAX (7.5 * scale, 7.0) * shrink;
}

/* The map's frame and the world box it shows: the extent with the room around it that
 * fit_to_extent gave the frame. */
static void
set_map_frame (TwMapExport     *self,
               TwMapPageLayout *l,
               double           x,
               double           y,
               double           width,
               double           height)
{
  double cx = (self->extent.min_x + self->extent.max_x) / 2;
  double cy = (self->extent.min_y + self->extent.max_y) / 2;
  double scale = MIN (width / ((self->extent.max_x - self->extent.min_x) * MAP_PADDING),
                      height / ((self->extent.max_y - self->extent.min_y) * MAP_PADDING));

  l->map.x = x;
  l->map.y = y;
  l->map.width = width;
  l->map.height = height;
  l->map.view.min_x = cx - width / scale / 2;
  l->map.view.max_x = cx + width / scale / 2;
  l->map.view.min_y = cy - height / scale / 2;
  l->map.view.max_y = cy + height / scale / 2;
}

/* Sets the map, legend, scale bar and arrow in the body of @l, the legend in a column
 * beside the map or in a band under it, whichever lets the map be larger; the block is
 * centred in the body. FALSE when the map is left too little room. */
static gboolean
layout_map_block (TwMapExport     *self,
                  TwMapPageLayout *l,
                  double           scale)
{
  double size = l->legend_size, gap = 14.0 * scale, side_gap = 18.0 * scale;
  double natural = tw_map_export_legend_width (self, size, TRUE);
  double arrow_w = self->north_arrow ? ARROW_WIDTH (size) + gap : 0.0;
  double arrow_h = self->north_arrow ? ARROW_HEIGHT (size) : 0.0;
  guint n_rows = legend_n_rows (self), n_classes = legend_n_classes (self);
  double col_w, col_legend_h, col_h, col_map_w, col_map_h;
  double band_w1, band_w2, band_legend_h, band_bar_w, band_h, band_needed, band_map_w, band_map_h;
  double h1, h2;
  double bx, by, mw, mh;
  gboolean column_fits, bar_under, roomy;

  /* A column beside the map: the legend, the scale bar, the arrow. */
  col_w = CLAMP (natural, 10.0 * size, MAX (10.0 * size, 0.36 * l->body_width));
  col_legend_h = tw_map_export_draw_legend (self, NULL, 0, 0, col_w, size, TRUE);
  col_h = col_legend_h + gap + SCALE_BAR_HEIGHT (size)
          + (self->north_arrow ? gap + arrow_h : 0.0);
  fit_to_extent (&self->extent, l->body_width - col_w - side_gap, l->body_height,
                 &col_map_w, &col_map_h);
  column_fits = col_h <= l->body_height && l->body_width - col_w - side_gap > 0;

  /* A band under the map: the classes, beside them the suppressed and no-data rows when
   * there is room (else under them), and the scale bar and the arrow on the right, or
   * under the second column when only that leaves room. */
  band_bar_w = MIN (MAX (11.0 * size, 0.18 * l->body_width), 170.0 * scale);
  band_w1 = MAX (legend_heading_width (self, size),
                 legend_rows_width (self, size, TRUE, 0, n_classes));
  band_w2 = legend_rows_width (self, size, TRUE, n_classes, n_rows);
  h1 = draw_legend_rows (self, NULL, 0, 0, band_w1, size, TRUE, 0, n_classes, -1);
  h2 = draw_legend_rows (self, NULL, 0, 0, band_w2, size, TRUE, n_classes, n_rows,
                         legend_heading_room (self, band_w1, size));
  band_needed = band_w1 + 2 * gap + band_w2 + 2 * gap + band_bar_w + arrow_w;
  l->legend_split = TRUE;
  bar_under = FALSE;
  if (band_needed <= l->body_width)
    band_legend_h = MAX (h1, h2);
  else if ((band_needed = band_w1 + 2 * gap + MAX (band_w2, band_bar_w) + arrow_w)
           <= l->body_width)
    {
      bar_under = TRUE;
      band_legend_h = MAX (h1, h2 + gap + SCALE_BAR_HEIGHT (size));
    }
  else
    {
      l->legend_split = FALSE;
      band_w1 = MIN (natural, l->body_width - 2 * gap - band_bar_w - arrow_w);
      band_w2 = 0;
      band_needed = l->body_width;
      band_legend_h = tw_map_export_draw_legend (self, NULL, 0, 0, band_w1, size, TRUE);
    }
  band_h = MAX (band_legend_h, MAX (SCALE_BAR_HEIGHT (size), arrow_h));
  fit_to_extent (&self->extent, l->body_width, MAX (1.0, l->body_height - band_h - gap),
                 &band_map_w, &band_map_h);

  l->legend_beside = column_fits && col_map_w * col_map_h >= band_map_w * band_map_h;
  if (l->legend_beside)
    {
      double block_w = col_map_w + side_gap + col_w;

      l->legend_split = FALSE;
      mw = col_map_w;
      mh = col_map_h;
      bx = l->body_x + (l->body_width - block_w) / 2;
      by = l->body_y + (l->body_height - MAX (mh, col_h)) / 2;
      l->legend_x = bx + mw + side_gap;
      l->legend_y = by;
      l->legend_width = col_w;
      l->legend_height = col_legend_h;
      l->scale_bar_x = l->legend_x;
      l->scale_bar_y = l->legend_y + col_legend_h + gap;
      l->scale_bar_width = MIN (col_w, 170.0 * scale);
      l->arrow_x = l->legend_x + ARROW_WIDTH (size) / 2;
      l->arrow_y = l->scale_bar_y + SCALE_BAR_HEIGHT (size) + gap;
      roomy = l->body_width - col_w - side_gap >= 0.4 * l->body_width;
    }
  else
    {
      double band_w, band_x;

      mw = band_map_w;
      mh = band_map_h;
      by = l->body_y + (l->body_height - (mh + gap + band_h)) / 2;
      bx = l->body_x + (l->body_width - mw) / 2;
      /* The band spans the map, or is centred under it when the map is narrower. */
      band_w = MIN (MAX (mw, band_needed), l->body_width);
      band_x = l->body_x + (l->body_width - band_w) / 2;
      l->legend_x = band_x;
      l->legend_y = by + mh + gap;
      l->legend_width = band_w1;
      l->legend_height = band_legend_h;
      l->legend2_x = band_x + band_w1 + 2 * gap;
      l->legend2_width = band_w2;
      l->legend2_height = l->legend_split ? h2 : 0.0;
      if (l->legend_split)
        l->legend_height = h1;
      l->scale_bar_x = bar_under ? l->legend2_x : band_x + band_w - arrow_w - band_bar_w;
      l->scale_bar_y = bar_under ? l->legend_y + h2 + gap : l->legend_y;
      l->scale_bar_width = band_bar_w;
      l->arrow_x = band_x + band_w - ARROW_WIDTH (size) / 2;
      l->arrow_y = l->legend_y;
      roomy = l->body_height - band_h - gap >= 0.4 * l->body_height;
    }

  set_map_frame (self, l, bx, by, mw, mh);
  return roomy;
}

/* Sets the map in the body of @l with the legend, scale bar, arrow and the notes in a
 * column beside it, the notes at the foot of the map. FALSE when they do not fit. */
static gboolean
layout_notes_beside (TwMapExport     *self,
                     TwMapPageLayout *l,
                     double           scale)
{
  double size = l->legend_size, gap = 14.0 * scale, side_gap = 18.0 * scale;
  double col_w, legend_h, source_h, note_h, upper_h, col_h, mw, mh, block_w, block_h;
  double bx, by;

  col_w = CLAMP (tw_map_export_legend_width (self, size, TRUE), 10.0 * size,
                 MAX (10.0 * size, 0.36 * l->body_width));
  if (l->body_width - col_w - side_gap < 0.4 * l->body_width)
    return FALSE;
  legend_h = tw_map_export_draw_legend (self, NULL, 0, 0, col_w, size, TRUE);
  note_h = measure_text (self->footnote, FALSE, l->note_size, PANGO_WEIGHT_NORMAL, col_w);
  source_h = measure_text (self->source_line, FALSE, l->note_size, PANGO_WEIGHT_NORMAL, col_w);
  upper_h = legend_h + gap + SCALE_BAR_HEIGHT (size)
            + (self->north_arrow ? gap + ARROW_HEIGHT (size) : 0.0);
  col_h = upper_h + 1.5 * gap + source_h + l->note_size * 0.3 + note_h;
  if (col_h > l->body_height)
    return FALSE;
  fit_to_extent (&self->extent, l->body_width - col_w - side_gap, l->body_height, &mw, &mh);

  block_w = mw + side_gap + col_w;
  block_h = MAX (mh, col_h);
  bx = l->body_x + (l->body_width - block_w) / 2;
  by = l->body_y + (l->body_height - block_h) / 2;
  l->legend_split = FALSE;
  l->legend_x = bx + mw + side_gap;
  l->legend_y = by;
  l->legend_width = col_w;
  l->legend_height = legend_h;
  l->scale_bar_x = l->legend_x;
  l->scale_bar_y = l->legend_y + legend_h + gap;
  l->scale_bar_width = MIN (col_w, 170.0 * scale);
  l->arrow_x = l->legend_x + ARROW_WIDTH (size) / 2;
  l->arrow_y = l->scale_bar_y + SCALE_BAR_HEIGHT (size) + gap;
  l->notes_x = l->legend_x;
  l->notes_width = col_w;
  l->footnote_y = by + block_h - note_h;
  l->source_y = l->footnote_y - l->note_size * 0.3 - source_h;

  set_map_frame (self, l, bx, by, mw, mh);
  return TRUE;
}

/* Lays out the page in (@x, @y, @width, @height) with type @shrink times its size: with
 * its title and subtitle and margins of its own, or (for the brief, which sets its own
 * heading and margins) without. FALSE when the map is left too little room. */
static gboolean
layout_page_at (TwMapExport     *self,
                double           x,
                double           y,
                double           width,
                double           height,
                double           scale,
                double           shrink,
                gboolean         with_title,
                TwMapPageLayout *l)
{
  double m, gap = 14.0 * scale * shrink, top, source_h, note_h;
  gboolean fits;

  memset (l, 0, sizeof *l);
  set_type_sizes (l, scale, shrink);
  m = with_title ? MAX (14.0, 36.0 * scale) : 0.0;
  l->has_title = with_title;
  l->margin = m;
  l->text_x = x + m;
  l->text_width = width - 2 * m;

  top = y + m;
  l->title_y = l->subtitle_y = top;
  if (with_title)
    {
      top += measure_text (self->title, FALSE, l->title_size, PANGO_WEIGHT_BOLD,
                           l->text_width);
      top += l->subtitle_size * 0.3;
      l->subtitle_y = top;
      top += measure_text (self->subtitle, FALSE, l->subtitle_size, PANGO_WEIGHT_NORMAL,
                           l->text_width);
      top += gap;
    }

  note_h = measure_text (self->footnote, FALSE, l->note_size, PANGO_WEIGHT_NORMAL,
                         l->text_width);
  source_h = measure_text (self->source_line, FALSE, l->note_size, PANGO_WEIGHT_NORMAL,
                           l->text_width);
  l->footnote_y = y + height - m - note_h;
  l->source_y = l->footnote_y - l->note_size * 0.3 - source_h;

  l->notes_x = l->text_x;
  l->notes_width = l->text_width;
  l->body_x = l->text_x;
  l->body_y = top;
  l->body_width = l->text_width;
  l->body_height = MAX (1.0, l->source_y - gap - top);
  fits = layout_map_block (self, l, scale * shrink) && l->body_height >= 0.35 * (height - 2 * m);

  /* A tall region on a wide page: the notes under the legend give the map the page's
   * height. */
  if (fits && l->legend_beside)
    {
      TwMapPageLayout beside = *l;

      beside.body_height = y + height - m - top;
      if (layout_notes_beside (self, &beside, scale * shrink)
          && beside.map.width * beside.map.height > l->map.width * l->map.height * 1.02)
        *l = beside;
    }
  l->notes_height = l->footnote_y - l->source_y
                    + measure_text (self->footnote, FALSE, l->note_size, PANGO_WEIGHT_NORMAL,
                                    l->notes_width);
  l->scale_bar_height = SCALE_BAR_HEIGHT (l->legend_size);
  l->arrow_width = self->north_arrow ? ARROW_WIDTH (l->legend_size) : 0.0;
  l->arrow_height = self->north_arrow ? ARROW_HEIGHT (l->legend_size) : 0.0;
  return fits;
}

static void
layout_page (TwMapExport     *self,
             double           x,
             double           y,
             double           width,
             double           height,
             double           scale,
             gboolean         with_title,
             TwMapPageLayout *l)
{
  /* A thumbnail cannot hold readable type: smaller type rather than text over the map. */
  for (double shrink = 1.0; shrink > 0.3; shrink *= 0.85)
    if (layout_page_at (self, x, y, width, height, scale, shrink, with_title, l))
      return;
}

/* Type is set for a letter page and scaled with the page's area. */
static double
page_scale (double width,
            double height)
{
  return CLAMP (sqrt (width * height / (LETTER_WIDTH * LETTER_HEIGHT)), 0.6, 3.0);
}

void
tw_map_export_layout (TwMapExport     *self,
                      double           width,
                      double           height,
                      TwMapPageLayout *layout)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (width > 0 && height > 0);
  g_return_if_fail (layout != NULL);

  layout_page (self, 0, 0, width, height, page_scale (width, height), TRUE, layout);
}

void
tw_map_export_layout_body (TwMapExport     *self,
                           double           x,
                           double           y,
                           double           width,
                           double           height,
                           double           scale,
                           TwMapPageLayout *layout)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (width > 0 && height > 0 && scale > 0);
  g_return_if_fail (layout != NULL);

  layout_page (self, x, y, width, height, scale, FALSE, layout);
}

static int
compare_change (gconstpointer a,
                gconstpointer b,
                gpointer      map)
{
  double x = tw_choropleth_get_figure (map, *(const guint *) a)->rate;
  double y = tw_choropleth_get_figure (map, *(const guint *) b)->rate;

  return (x < y) - (x > y);
}

static void
append_changes (TwMapExport  *self,
                GString      *text,
                const char   *what,
                const guint  *areas,
                guint         n)
{
  g_string_append_printf (text, " %s:", what);
  for (guint i = 0; i < n; i++)
    {
      const char *name = tw_area_layer_get_name (self->layer, areas[i]);
      g_autofree char *change = tw_choropleth_format_rate (
        self->map, tw_choropleth_get_figure (self->map, areas[i])->rate);

      g_string_append_printf (text, "%s %s (%s)", i > 0 ? "," : "",
                              name != NULL ? name : tw_area_layer_get_geoid (self->layer,
                                                                              areas[i]),
                              change);
    }
  g_string_append_c (text, '.');
}

/* A map of change or trend ranks only what the data can tell: the largest rises and falls
 * among the shown changes told from none whose ends are reliable, and it says how many it
 * left out (a change inside its interval's noise, or resting on an unreliable end, would
 * otherwise top the list). */
static void
describe_change_extremes (TwMapExport *self,
                          GString     *text)
{
  guint n_areas = tw_area_layer_get_n_areas (self->layer);
  guint n_classes = tw_map_style_get_n_classes (tw_choropleth_get_style (self->map)) - 1;
  g_autofree guint *rises = g_new (guint, MAX (n_areas, 1));
  g_autofree guint *falls = g_new (guint, MAX (n_areas, 1));
  guint n_rises = 0, n_falls = 0, n_unreliable = 0;

  for (guint i = 0; i < n_areas; i++)
    {
      const TwAreaFigure *figure = tw_choropleth_get_figure (self->map, i);

      if (figure->kind >= n_classes || figure->suppressed)
        continue;
      if (figure->status == TW_FIGURE_UNRELIABLE)
        n_unreliable++;
      else if (figure->kind >= n_classes / 2)
        rises[n_rises++] = i;
      else
        falls[n_falls++] = i;
    }
  g_qsort_with_data (rises, n_rises, sizeof (guint), compare_change, self->map);
  g_qsort_with_data (falls, n_falls, sizeof (guint), compare_change, self->map);
  for (guint i = 0; i < n_falls / 2; i++)
    {
      guint swap = falls[i];

      falls[i] = falls[n_falls - 1 - i];
      falls[n_falls - 1 - i] = swap;
    }
  if (n_rises > 0)
    append_changes (self, text, "Largest rises the data can tell from no change", rises,
                    MIN (n_rises, 3));
  if (n_falls > 0)
    append_changes (self, text, "Largest falls the data can tell from no change", falls,
                    MIN (n_falls, 3));
  g_string_append_printf (text, " Not ranked: %u that cannot be told from no change and %u "
                          "unreliable.", tw_choropleth_get_n_undetermined (self->map),
                          n_unreliable);
}

char *
tw_map_export_describe (TwMapExport *self)
{
  const TwClassification *classes;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *group = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *unit = NULL;
  guint n_areas, top[3] = { G_MAXUINT, G_MAXUINT, G_MAXUINT }, n_top = 0;

  g_return_val_if_fail (self != NULL, NULL);

  classes = tw_choropleth_get_classification (self->map);
  group = tw_format_group_label (tw_choropleth_get_stratum (self->map));
  unit = tw_choropleth_format_unit (self->map);
  heading = g_ascii_strdown (self->legend_heading, -1);
  g_string_append_printf (text, "Choropleth map of %s, %s, %s, by area of %s (%s).",
                          tw_choropleth_get_measure_label (self->map),
                          tw_choropleth_get_period (self->map), group,
                          tw_area_layer_get_geography_name (self->layer), heading);

  /* The three highest of the areas shown; suppressed areas have no rank. */
  n_areas = tw_area_layer_get_n_areas (self->layer);
  for (guint i = 0; i < n_areas; i++)
    {
      const TwAreaFigure *figure = tw_choropleth_get_figure (self->map, i);

      if (figure->rank >= 1 && figure->rank <= 3 && !figure->suppressed)
        {
          top[figure->rank - 1] = i;
          n_top++;
        }
    }
  if (classes != NULL)
    {
      g_string_append_printf (text, " %u classes:", classes->n_classes);
      for (guint c = classes->n_classes; c > 0; c--)
        {
          g_autofree char *lo = tw_choropleth_format_rate (self->map, classes->breaks[c - 1]);
          g_autofree char *hi = tw_choropleth_format_rate (self->map, classes->breaks[c]);

          g_string_append_printf (text, "%s %s to %s (%u areas)",
                                  c == classes->n_classes ? "" : ",", lo, hi,
                                  classes->counts[c - 1]);
        }
      g_string_append_c (text, '.');
    }
  if (tw_choropleth_is_change (self->map))
    describe_change_extremes (self, text);
  else if (n_top > 0)
    {
      g_string_append (text, " Highest rates in");
      for (guint r = 0, n = 0; r < 3; r++)
        {
          const TwAreaFigure *figure;
          const char *name;
          g_autofree char *rate = NULL;

          if (top[r] == G_MAXUINT)
            continue;
          figure = tw_choropleth_get_figure (self->map, top[r]);
          name = tw_area_layer_get_name (self->layer, top[r]);
          rate = tw_choropleth_format_rate (self->map, figure->rate);
          g_string_append_printf (text, "%s %s (%s)", n++ > 0 ? "," : "",
                                  name != NULL ? name : tw_area_layer_get_geoid (self->layer,
                                                                                  top[r]),
                                  rate);
        }
      g_string_append_printf (text, " %s.", unit);
    }
  g_string_append_printf (text, " %u areas suppressed (hatched), %u without data (grey).",
                          tw_choropleth_get_n_suppressed (self->map),
                          tw_choropleth_get_n_no_data (self->map));
  {
    const TwStatusRow *rows;
    guint n_rows = tw_choropleth_get_status_rows (self->map, &rows);

    for (guint r = 0; r < n_rows; r++)
      if (rows[r].status == TW_FIGURE_UNRELIABLE)
        g_string_append_printf (text, " %u unreliable (hatched the other way over their class).",
                                rows[r].n_areas);
      else if (rows[r].status == TW_FIGURE_SHOWN)
        g_string_append_printf (text, " %u cannot be told from no change (hatched the other "
                                "way over the neutral colour).", rows[r].n_areas);
  }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
tag_begin (cairo_t    *cr,
           gboolean    tagged,
           const char *tag)
{
  if (tagged)
    cairo_tag_begin (cr, tag, "");
}

static void
tag_end (cairo_t    *cr,
         gboolean    tagged,
         const char *tag)
{
  if (tagged)
    cairo_tag_end (cr, tag);
}

/* The page, its structure tagged when @tagged: title, subtitle, the map with its key as one
 * figure, the notes. */
static void
draw_layout (TwMapExport           *self,
             cairo_t               *cr,
             const TwMapPageLayout *l,
             gboolean               tagged)
{
  TwMapFrame f;

  tag_begin (cr, tagged, "Document");
  if (l->has_title)
    {
      tag_begin (cr, tagged, "H1");
      tw_typeset_text (cr, self->title, FALSE, l->title_size, PANGO_WEIGHT_BOLD, l->text_x,
                       l->title_y, l->text_width, PANGO_ALIGN_LEFT, TEXT_COLOR);
      tag_end (cr, tagged, "H1");
      tag_begin (cr, tagged, "P");
      tw_typeset_text (cr, self->subtitle, FALSE, l->subtitle_size, PANGO_WEIGHT_NORMAL,
                       l->text_x, l->subtitle_y, l->text_width, PANGO_ALIGN_LEFT, MUTED_COLOR);
      tag_end (cr, tagged, "P");
    }
  tag_begin (cr, tagged, "Figure");
  tw_map_export_draw_map (self, cr, l->map.x, l->map.y, l->map.width, l->map.height,
                          &l->map.view, &f);
  if (l->legend_split)
    {
      guint n_rows = legend_n_rows (self), n_classes = legend_n_classes (self);
      double heading_h = legend_heading_room (self, l->legend_width, l->legend_size);

      draw_legend_rows (self, cr, l->legend_x, l->legend_y, l->legend_width, l->legend_size,
                        TRUE, 0, n_classes, -1);
      draw_legend_rows (self, cr, l->legend2_x, l->legend_y, l->legend2_width, l->legend_size,
                        TRUE, n_classes, n_rows, heading_h);
    }
  else
    tw_map_export_draw_legend (self, cr, l->legend_x, l->legend_y, l->legend_width,
                               l->legend_size, TRUE);
  /* The bar's labels reach a little above its top: lower it so that they line up. */
  tw_map_export_draw_scale_bar (cr, &f, l->scale_bar_x, l->scale_bar_y + l->legend_size * 0.4,
                                l->scale_bar_width, l->legend_size);
  if (self->north_arrow)
    tw_map_export_draw_north_arrow (cr, l->arrow_x, l->arrow_y, ARROW_SIZE (l->legend_size));
  tag_end (cr, tagged, "Figure");
  tag_begin (cr, tagged, "P");
  tw_typeset_text (cr, self->source_line, FALSE, l->note_size, PANGO_WEIGHT_NORMAL,
                   l->notes_x, l->source_y, l->notes_width, PANGO_ALIGN_LEFT, MUTED_COLOR);
  tag_end (cr, tagged, "P");
  tag_begin (cr, tagged, "P");
  tw_typeset_text (cr, self->footnote, FALSE, l->note_size, PANGO_WEIGHT_NORMAL, l->notes_x,
                   l->footnote_y, l->notes_width, PANGO_ALIGN_LEFT, MUTED_COLOR);
  tag_end (cr, tagged, "P");
  tag_end (cr, tagged, "Document");
}

void
tw_map_export_draw_layout (TwMapExport           *self,
                           cairo_t               *cr,
                           const TwMapPageLayout *l)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL && l != NULL);

  draw_layout (self, cr, l, FALSE);
}

void
tw_map_export_render (TwMapExport *self,
                      cairo_t     *cr,
                      double       width,
                      double       height,
                      TwMapFrame  *frame)
{
  TwMapPageLayout layout;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (width > 0 && height > 0);

  tw_map_export_layout (self, width, height, &layout);
  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  /* Tags matter to a PDF only; other surfaces ignore them. */
  draw_layout (self, cr, &layout,
               cairo_surface_get_type (cairo_get_target (cr)) == CAIRO_SURFACE_TYPE_PDF);
  cairo_restore (cr);

  if (frame != NULL)
    *frame = layout.map;
}

cairo_surface_t *
tw_map_export_render_preview (TwMapExport        *self,
                              const TwExportPage *page,
                              int                 max_width,
                              int                 max_height)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  double scale;
  int w, h;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (page != NULL && page->width > 0 && page->height > 0, NULL);
  g_return_val_if_fail (max_width > 0 && max_height > 0, NULL);

  scale = MIN (max_width / page->width, max_height / page->height);
  w = MAX (1, (int) floor (page->width * scale));
  h = MAX (1, (int) floor (page->height * scale));
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  tw_map_export_render (self, cr, page->width, page->height, NULL);
  cairo_destroy (cr);
  return surface;
}

/* Writing */

gboolean
tw_export_audit (TwStore     *store,
                 const char  *action,
                 const char  *path,
                 const char  *format,
                 GError     **error,
                 ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *detail = NULL;
  const char *name;
  va_list args;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, base);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, format);
  /* Where it went, so that the project's list of exports can open it again. */
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, absolute);
  va_start (args, error);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      json_builder_set_member_name (builder, name);
      if (value != NULL)
        json_builder_add_string_value (builder, value);
      else
        json_builder_add_null_value (builder);
    }
  va_end (args);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  detail = json_generator_to_data (generator, NULL);
  return tw_store_audit (store, action, detail, error);
}

static gboolean
set_cairo_error (cairo_status_t   status,
                 const char      *path,
                 GError         **error)
{
  g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_WRITE, "%s: cannot write: %s", path,
               cairo_status_to_string (status));
  return FALSE;
}

gboolean
tw_map_export_write (TwMapExport        *self,
                     TwStore            *store,
                     const TwExportPage *page,
                     const char         *path,
                     TwMapFrame         *frame,
                     GError            **error)
{
  g_autofree char *tmp = NULL;
  g_autofree char *policy = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  const TwSuppressionPolicy *p;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (page != NULL && page->width > 0 && page->height > 0, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  tmp = g_strdup_printf ("%s.part", path);
  switch (page->format)
    {
    case TW_EXPORT_FORMAT_PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24,
                                            (int) lround (page->width * page->dpi / 72.0),
                                            (int) lround (page->height * page->dpi / 72.0));
      break;
    case TW_EXPORT_FORMAT_SVG:
      surface = cairo_svg_surface_create (tmp, page->width, page->height);
      if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
        cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PT);
      break;
    case TW_EXPORT_FORMAT_PDF:
      surface = cairo_pdf_surface_create (tmp, page->width, page->height);
      if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
        {
          cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->title);
          cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR,
                                          "Tractwise " PACKAGE_VERSION);
        }
      break;
    default:
      g_return_val_if_reached (FALSE);
    }
  status = cairo_surface_status (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_unlink (tmp);
      return set_cairo_error (status, path, error);
    }

  cr = cairo_create (surface);
  if (page->format == TW_EXPORT_FORMAT_PNG)
    cairo_scale (cr, page->dpi / 72.0, page->dpi / 72.0);
  {
    gint64 start = g_get_monotonic_time ();

    tw_map_export_render (self, cr, page->width, page->height, frame);
    g_debug ("page drawn in %.3f s", (g_get_monotonic_time () - start) / 1e6);
  }
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && page->format == TW_EXPORT_FORMAT_PNG)
    status = cairo_surface_write_to_png (surface, tmp);
  {
    gint64 start = g_get_monotonic_time ();

    cairo_surface_finish (surface);
    g_debug ("file finished in %.3f s", (g_get_monotonic_time () - start) / 1e6);
  }
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_unlink (tmp);
      return set_cairo_error (status, path, error);
    }
  if (page->format == TW_EXPORT_FORMAT_PDF)
    {
      g_autoptr(GPtrArray) alts = g_ptr_array_new_with_free_func (g_free);

      g_ptr_array_add (alts, tw_map_export_describe (self));
      if (!tw_pdf_tags_complete (tmp, "en-US", alts, error))
        {
          g_unlink (tmp);
          return FALSE;
        }
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_WRITE, "%s: cannot write: %s", path,
                   g_strerror (saved));
      return FALSE;
    }

  p = tw_choropleth_get_policy (self->map);
  policy = g_strdup_printf ("%s, k = %u", tw_suppression_preset_to_string (p->preset),
                            p->min_count);
  return tw_export_audit (store, "export-map", path, tw_export_format_to_string (page->format),
                          error,
                          "measure", tw_choropleth_get_measure_code (self->map),
                          "period", tw_choropleth_get_period (self->map),
                          "stratum", tw_choropleth_get_stratum (self->map) != NULL
                                     ? tw_choropleth_get_stratum (self->map) : "all",
                          "policy", policy, NULL);
}

gboolean
tw_export_log_add_print (TwStore      *store,
                         TwMapExport  *export,
                         const char   *printer,
                         const char   *path,
                         GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *base = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *policy = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *format = NULL;
  TwChoropleth *map;
  const TwSuppressionPolicy *p;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (export != NULL, FALSE);

  map = tw_map_export_get_choropleth (export);
  p = tw_choropleth_get_policy (map);
  policy = g_strdup_printf ("%s, k = %u", tw_suppression_preset_to_string (p->preset),
                            p->min_count);
  if (path != NULL)
    {
      const char *dot;

      base = g_path_get_basename (path);
      absolute = g_canonicalize_filename (path, NULL);
      /* The print dialog's "Print to File" writes PDF, PostScript or SVG. */
      dot = strrchr (base, '.');
      if (dot != NULL && dot[1] != '\0')
        format = g_ascii_strdown (dot + 1, -1);
    }

  json_builder_begin_object (builder);
  tw_json_add_string (builder, "printer", printer);
  tw_json_add_string (builder, "file", base);
  tw_json_add_string (builder, "format", format);
  tw_json_add_string (builder, "path", absolute);
  tw_json_add_string (builder, "title", tw_map_export_get_title (export));
  tw_json_add_string (builder, "measure", tw_choropleth_get_measure_code (map));
  tw_json_add_string (builder, "period", tw_choropleth_get_period (map));
  tw_json_add_string (builder, "stratum", tw_choropleth_get_stratum (map) != NULL
                                          ? tw_choropleth_get_stratum (map) : "all");
  tw_json_add_string (builder, "policy", policy);
  json_builder_end_object (builder);
  detail = tw_json_builder_to_text (builder, FALSE);
  return tw_store_audit (store, "print", detail, error);
}
