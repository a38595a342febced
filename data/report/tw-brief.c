/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-brief"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include <cairo-pdf.h>

#include "tw-brief.h"
#include "tw-format.h"
#include "tw-choropleth.h"
#include "tw-disparity.h"
#include "tw-evaluation.h"
#include "tw-export-private.h"
#include "tw-map-request.h"
#include "tw-partners.h"
#include "tw-project.h"
#include "tw-rate-table.h"
#include "tw-store-catalog.h"

#define PAGE_WIDTH 612.0
#define PAGE_HEIGHT 792.0
#define MARGIN 54.0
#define TEXT_WIDTH (PAGE_WIDTH - 2 * MARGIN)
#define HEADER_Y 32.0
#define TOP (MARGIN + 12.0)
#define BOTTOM (PAGE_HEIGHT - MARGIN)
/* One scale of type for every page: headings, body, tables, notes and running heads. */
#define HEADING_SIZE 18.0
#define SUBHEADING_SIZE 13.0
#define BODY_SIZE 10.0
#define TABLE_SIZE 8.5
#define SMALL_SIZE 7.5   /* notes, captions, running heads, the charts' axes */
/* Body text is set with a little more leading than the font's own. */
#define BODY_SPACING 1.15
#define CELL_PAD 3.0
#define TEXT_COLOR 0x212121
#define MUTED_COLOR 0x5F6368
#define RULE_COLOR 0xBDBDBD
#define ZEBRA_COLOR 0xF3F4F6
#define ACCENT_COLOR 0x1A5FB4
#define MAX_DISPARITY_ROWS 15

/* The document being set: pages are recorded first, so that each can say "of N". */
typedef struct
{
  GPtrArray *pages;   /* cairo_surface_t * recording surfaces */
  cairo_t   *cr;      /* the current page */
  double     y;
} Doc;

/* A pooled figure is printed only when the areas it pools hold this share of the group's
 * population. */
#define MIN_POOLED_POPULATION 0.8

/* One group's figure of the whole region, pooled over the areas whose count of the group is
 * shown; hidden counts never enter it. */
typedef struct
{
  char     *stratum;
  double    events;
  double    denominator;
  double    rate, lower, upper;
  guint     n_areas;           /* areas pooled */
  guint     n_rows;            /* areas with a row of the group */
  double    row_denominator;   /* the population of all those areas (public) */
  double    share_events;      /* over the areas where the group's and the total's counts
                                * are both shown; NAN when there is none */
  double    share_denominator;
  gboolean  shown;             /* some area pooled */
} RegionFigure;

typedef struct
{
  TwStore       *store;
  const TwBriefOptions *options;
  const char    *stratum;
  TwAreaLayer   *layer;
  TwChoropleth  *map;
  TwMapExport   *export;
  TwRateTable   *table;
  GPtrArray     *region;      /* RegionFigure * of the brief's period */
  GPtrArray     *projects;    /* TwProject * */
  char          *project_name;
  char          *today;
  char          *unit;
  char          *title;
} Brief;

static void
region_figure_free (RegionFigure *figure)
{
  g_free (figure->stratum);
  g_free (figure);
}

/* Document */

static void
doc_new_page (Doc *doc)
{
  cairo_rectangle_t extents = { 0, 0, PAGE_WIDTH, PAGE_HEIGHT };
  cairo_surface_t *page = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, &extents);

  g_clear_pointer (&doc->cr, cairo_destroy);
  g_ptr_array_add (doc->pages, page);
  doc->cr = cairo_create (page);
  doc->y = TOP;
}

/* Starts a new page unless @height fits below the cursor. */
static void
doc_ensure (Doc    *doc,
            double  height)
{
  if (doc->y + height > BOTTOM)
    doc_new_page (doc);
}

/* A layout of @text in @width points (≤ 0: one line) with lines @spacing times the font's
 * own distance apart (0: the font's). */
static PangoLayout *
text_layout (cairo_t     *cr,
             const char  *text,
             gboolean     markup,
             double       size,
             PangoWeight  weight,
             double       width,
             double       spacing)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (TW_EXPORT_FONT_FAMILY);
  cairo_font_options_t *options = cairo_font_options_create ();

  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (pango_layout_get_context (layout), options);
  pango_layout_context_changed (layout);
  cairo_font_options_destroy (options);
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, weight);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_line_spacing (layout, (float) spacing);
  if (markup)
    pango_layout_set_markup (layout, text, -1);
  else
    pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
doc_measure (Doc         *doc,
             const char  *text,
             gboolean     markup,
             double       size,
             PangoWeight  weight,
             double       width)
{
  g_autoptr(PangoLayout) layout = text_layout (doc->cr, text, markup, size, weight, width, 0);
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

/* The width of @text on one line. */
static double
doc_text_width (Doc         *doc,
                const char  *text,
                double       size,
                PangoWeight  weight)
{
  g_autoptr(PangoLayout) layout = text_layout (doc->cr, text, FALSE, size, weight, -1, 0);
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  return (double) w / PANGO_SCALE;
}

static void
doc_paragraph (Doc        *doc,
               const char *text,
               gboolean    markup,
               double      size,
               guint32     color)
{
  g_autoptr(PangoLayout) layout = text_layout (doc->cr, text, markup, size,
                                               PANGO_WEIGHT_NORMAL, TEXT_WIDTH, BODY_SPACING);
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  doc_ensure (doc, (double) h / PANGO_SCALE);
  cairo_save (doc->cr);
  tw_typeset_set_color (doc->cr, color);
  cairo_move_to (doc->cr, MARGIN, doc->y);
  pango_cairo_show_layout (doc->cr, layout);
  cairo_restore (doc->cr);
  doc->y += (double) h / PANGO_SCALE + size * 0.6;
}

static void
doc_heading (Doc        *doc,
             const char *text,
             double      size)
{
  double h = doc_measure (doc, text, FALSE, size, PANGO_WEIGHT_BOLD, TEXT_WIDTH);

  /* A heading never ends a page: keep some room for what follows it. */
  doc_ensure (doc, h + 60);
  if (doc->y > TOP)
    doc->y += size * 0.6;
  tw_typeset_text (doc->cr, text, FALSE, size, PANGO_WEIGHT_BOLD, MARGIN, doc->y, TEXT_WIDTH,
                   PANGO_ALIGN_LEFT, size > SUBHEADING_SIZE ? ACCENT_COLOR : TEXT_COLOR);
  doc->y += h + size * 0.45;
}

typedef struct
{
  const char     *header;
  PangoAlignment  alignment;   /* right-aligned columns hold figures, never broken */
} Column;

/* The widest word of @text. */
static double
widest_word (Doc         *doc,
             const char  *text,
             double       size,
             PangoWeight  weight)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  double w = 0;

  for (guint i = 0; words[i] != NULL; i++)
    w = MAX (w, doc_text_width (doc, words[i], size, weight));
  return w;
}

/* Column widths as a browser sets a table's: each column its text's width on one line
 * when the table fits, else its widest word (a figure's whole width) and a share of what
 * is left in proportion to what it lacks. */
static void
table_widths (Doc          *doc,
              const Column *columns,
              guint         n_columns,
              GPtrArray    *rows,
              double        size,
              double       *widths)
{
  g_autofree double *natural = g_new0 (double, n_columns);
  g_autofree double *least = g_new0 (double, n_columns);
  double sum_natural = 0, sum_least = 0;

  for (guint c = 0; c < n_columns; c++)
    {
      gboolean figures = columns[c].alignment == PANGO_ALIGN_RIGHT;

      natural[c] = doc_text_width (doc, columns[c].header, size, PANGO_WEIGHT_BOLD);
      least[c] = widest_word (doc, columns[c].header, size, PANGO_WEIGHT_BOLD);
      for (guint r = 0; r < rows->len; r++)
        {
          const char *cell = ((char **) g_ptr_array_index (rows, r))[c];
          double w;

          if (cell == NULL)
            continue;
          w = doc_text_width (doc, cell, size, PANGO_WEIGHT_NORMAL);
          natural[c] = MAX (natural[c], w);
          least[c] = MAX (least[c], figures ? w : widest_word (doc, cell, size,
                                                               PANGO_WEIGHT_NORMAL));
        }
      natural[c] = ceil (natural[c] + 2 * CELL_PAD + 1);
      least[c] = ceil (least[c] + 2 * CELL_PAD + 1);
      sum_natural += natural[c];
      sum_least += least[c];
    }
  for (guint c = 0; c < n_columns; c++)
    {
      if (sum_natural <= TEXT_WIDTH)
        widths[c] = natural[c] + (TEXT_WIDTH - sum_natural) * natural[c] / sum_natural;
      else if (sum_least < TEXT_WIDTH)
        widths[c] = least[c] + (TEXT_WIDTH - sum_least) * (natural[c] - least[c])
                               / (sum_natural - sum_least);
      else
        widths[c] = least[c] * TEXT_WIDTH / sum_least;
    }
}

static double
row_height (Doc          *doc,
            const double *widths,
            guint         n_columns,
            char        **cells,
            double        size,
            PangoWeight   weight)
{
  double h = 0;

  for (guint c = 0; c < n_columns; c++)
    h = MAX (h, doc_measure (doc, cells[c] != NULL ? cells[c] : "", FALSE, size, weight,
                             widths[c] - 2 * CELL_PAD));
  return h + 2 * CELL_PAD;
}

static void
draw_row (Doc          *doc,
          const Column *columns,
          const double *widths,
          guint         n_columns,
          char        **cells,
          double        size,
          PangoWeight   weight,
          double        height,
          gboolean      shaded)
{
  double x = MARGIN;

  if (shaded)
    {
      cairo_save (doc->cr);
      tw_typeset_set_color (doc->cr, ZEBRA_COLOR);
      cairo_rectangle (doc->cr, MARGIN, doc->y, TEXT_WIDTH, height);
      cairo_fill (doc->cr);
      cairo_restore (doc->cr);
    }
  for (guint c = 0; c < n_columns; c++)
    {
      tw_typeset_text (doc->cr, cells[c], FALSE, size, weight, x + CELL_PAD, doc->y + CELL_PAD,
                       widths[c] - 2 * CELL_PAD, columns[c].alignment, TEXT_COLOR);
      x += widths[c];
    }
  doc->y += height;
}

static void
draw_rule (Doc    *doc,
           double  line_width)
{
  cairo_save (doc->cr);
  tw_typeset_set_color (doc->cr, RULE_COLOR);
  cairo_set_line_width (doc->cr, line_width);
  cairo_move_to (doc->cr, MARGIN, doc->y);
  cairo_line_to (doc->cr, PAGE_WIDTH - MARGIN, doc->y);
  cairo_stroke (doc->cr);
  cairo_restore (doc->cr);
}

/* A table; @rows holds GStrv rows of n_columns cells. The header repeats on each page. */
static void
doc_table (Doc          *doc,
           const Column *columns,
           guint         n_columns,
           GPtrArray    *rows,
           double        size)
{
  g_autofree char **header = g_new0 (char *, n_columns + 1);
  g_autofree double *widths = g_new0 (double, n_columns);
  double header_h;

  table_widths (doc, columns, n_columns, rows, size, widths);
  for (guint c = 0; c < n_columns; c++)
    header[c] = (char *) columns[c].header;
  header_h = row_height (doc, widths, n_columns, header, size, PANGO_WEIGHT_BOLD);

  for (guint r = 0; r <= rows->len; r++)
    {
      char **cells = r < rows->len ? g_ptr_array_index (rows, r) : NULL;
      double h = cells != NULL ? row_height (doc, widths, n_columns, cells, size,
                                             PANGO_WEIGHT_NORMAL) : 0;

      if (r == 0 || doc->y + h > BOTTOM)
        {
          doc_ensure (doc, header_h + h + 2);
          draw_row (doc, columns, widths, n_columns, header, size, PANGO_WEIGHT_BOLD, header_h,
                    FALSE);
          draw_rule (doc, 0.8);
        }
      if (cells == NULL)
        break;
      draw_row (doc, columns, widths, n_columns, cells, size, PANGO_WEIGHT_NORMAL, h,
                r % 2 == 1);
    }
  draw_rule (doc, 0.8);
  doc->y += size * 1.5;
}

/* Figures */

static char *
format_number (double value,
               guint  decimals)
{
  if (!isfinite (value))
    return g_strdup ("–");
  return tw_format_decimal (value, (int) decimals, TRUE, FALSE);
}

static char *
format_published (double value)
{
  return tw_format_published (value, TRUE, FALSE, "–");
}

static char *
format_rate_interval (double rate,
                      double lower,
                      double upper)
{
  g_autofree char *r = format_published (rate);
  g_autofree char *l = format_published (lower);
  g_autofree char *u = format_published (upper);

  if (!isfinite (lower) || !isfinite (upper))
    return g_steal_pointer (&r);
  return g_strdup_printf ("%s (%s–%s)", r, l, u);
}

static char *
format_percent (double fraction)
{
  g_autofree char *number = format_published (100 * fraction);

  return isfinite (fraction) ? g_strdup_printf ("%s%%", number) : g_steal_pointer (&number);
}

/* Progress toward a goal in whole percents: "42%", "−15%", "1,230%". */
static char *
format_whole_percent (double fraction)
{
  g_autofree char *number = tw_format_whole_percent (fraction, TRUE, "–");

  return isfinite (fraction) ? g_strdup_printf ("%s%%", number) : g_steal_pointer (&number);
}

/* "over 412 of 437 areas whose counts are shown" */
static char *
format_areas (guint n_areas,
              guint n_rows)
{
  if (n_areas == n_rows)
    return g_strdup_printf (n_rows == 1 ? "over the one area, whose count is shown"
                                        : "over all %u areas, whose counts are shown", n_rows);
  return g_strdup_printf ("over %u of %u areas whose counts are shown", n_areas, n_rows);
}

static gboolean
row_published (const TwRateRow *row)
{
  return row != NULL && !tw_rate_row_is_suppressed (row) && isfinite (row->numerator);
}

/* Each group's rate over the areas where its count is shown, and its shares of the events
 * and the population over the areas where its count and the area's total are both shown
 * (the total is the area's `all`, or the sum of its groups when it has none). */
static GPtrArray *
compute_region (TwRateTable *table)
{
  const char *const *strata = tw_rate_table_get_strata (table);
  guint n_strata = g_strv_length ((GStrv) strata);
  guint n_rows = tw_rate_table_get_n_rows (table);
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree const TwRateRow **area = g_new0 (const TwRateRow *, n_strata);
  g_autofree double *share = g_new0 (double, 4 * n_strata);   /* x, total x, n, total n */
  GPtrArray *figures = g_ptr_array_new_with_free_func ((GDestroyNotify) region_figure_free);

  for (guint s = 0; s < n_strata; s++)
    {
      RegionFigure *figure = g_new0 (RegionFigure, 1);

      figure->stratum = g_strdup (strata[s]);
      g_ptr_array_add (figures, figure);
      g_hash_table_insert (index, (gpointer) strata[s], GUINT_TO_POINTER (s + 1));
    }

  for (guint i = 0; i < n_rows;)
    {
      gint64 area_id = tw_rate_table_get_row (table, i)->area_id;
      const TwRateRow *total = NULL;
      double total_x = 0, total_n = 0;
      gboolean has_total = TRUE;

      memset (area, 0, n_strata * sizeof *area);
      for (; i < n_rows && tw_rate_table_get_row (table, i)->area_id == area_id; i++)
        {
          const TwRateRow *row = tw_rate_table_get_row (table, i);
          guint s = GPOINTER_TO_UINT (g_hash_table_lookup (index, row->stratum));

          if (s > 0)
            area[s - 1] = row;
        }

      for (guint s = 0; s < n_strata; s++)
        {
          RegionFigure *f = g_ptr_array_index (figures, s);

          if (area[s] == NULL)
            continue;
          f->n_rows++;
          if (isfinite (area[s]->denominator))
            f->row_denominator += area[s]->denominator;
          if (!row_published (area[s]))
            continue;
          f->n_areas++;
          f->events += area[s]->numerator;
          f->denominator += area[s]->denominator;
          if (g_str_equal (strata[s], "all"))
            total = area[s];
        }

      /* The area's total, when it is shown. */
      for (guint s = 0; s < n_strata; s++)
        if (g_str_equal (strata[s], "all") && area[s] != NULL)
          has_total = total != NULL;
      if (total != NULL)
        {
          total_x = total->numerator;
          total_n = total->denominator;
        }
      else
        for (guint s = 0; s < n_strata && has_total; s++)
          {
            if (area[s] == NULL)
              continue;
            has_total = row_published (area[s]);
            total_x += area[s]->numerator;
            total_n += area[s]->denominator;
          }
      if (!has_total)
        continue;
      for (guint s = 0; s < n_strata; s++)
        if (row_published (area[s]))
          {
            share[4 * s] += area[s]->numerator;
            share[4 * s + 1] += total_x;
            share[4 * s + 2] += area[s]->denominator;
            share[4 * s + 3] += total_n;
          }
    }

  for (guint s = 0; s < n_strata; s++)
    {
      RegionFigure *f = g_ptr_array_index (figures, s);
      TwRateEstimate estimate;

      /* Pooling only shown counts keeps zeros and counts of k or more and drops the small
       * ones: where the areas pooled hold too little of the group's population, the pooled
       * rate says more about which counts were shown than about the group (a group whose
       * every positive count is small would read 0). Populations are public, so this choice
       * tells nothing about a hidden count. */
      f->shown = f->n_areas > 0
                 && f->denominator >= MIN_POOLED_POPULATION * f->row_denominator;
      f->rate = f->lower = f->upper = NAN;
      if (f->shown)
        {
          estimate = tw_rate_crude (tw_rate_table_get_kind (table), f->events, f->denominator,
                                    tw_rate_table_get_multiplier (table));
          f->rate = estimate.rate;
          f->lower = estimate.lower;
          f->upper = estimate.upper;
        }
      tw_disparity_shares (share[4 * s], share[4 * s + 2], share[4 * s + 1], share[4 * s + 3],
                           &f->share_events, &f->share_denominator);
      if (share[4 * s + 2] < MIN_POOLED_POPULATION * f->row_denominator)
        f->share_events = NAN;
    }
  return figures;
}

/* A group as a board reads it: groups are stored as they were typed ("asian"), and a table
 * cell or a heading starts with a capital. */
static char *
group_name (const char *stratum)
{
  char first[8] = { 0 };

  if (stratum == NULL || g_str_equal (stratum, "all"))
    return g_strdup ("All groups");
  if (!g_utf8_validate (stratum, -1, NULL) || *stratum == '\0')
    return g_strdup (stratum);
  g_unichar_to_utf8 (g_unichar_totitle (g_utf8_get_char (stratum)), first);
  return g_strconcat (first, g_utf8_next_char (stratum), NULL);
}

/* Pages */

static void
write_cover (Brief *brief,
             Doc   *doc)
{
  g_autofree char *subtitle = NULL;
  g_autofree char *group = NULL;
  g_autofree char *facts = NULL;
  g_autofree char *rate = NULL;
  g_autofree char *unit_interval = NULL;
  RegionFigure *all = NULL;
  double width = PAGE_WIDTH - 2 * MARGIN;
  const char *label = tw_choropleth_get_measure_label (brief->map);

  doc->y = PAGE_HEIGHT * 0.28;
  tw_typeset_text (doc->cr, "BOARD BRIEF", FALSE, 11, PANGO_WEIGHT_BOLD, MARGIN, doc->y, width,
                   PANGO_ALIGN_LEFT, ACCENT_COLOR);
  doc->y += 22;
  doc->y += tw_typeset_text (doc->cr, brief->title, FALSE, 28, PANGO_WEIGHT_BOLD, MARGIN,
                             doc->y, width, PANGO_ALIGN_LEFT, TEXT_COLOR);
  doc->y += 8;
  group = group_name (brief->stratum);
  subtitle = g_strdup_printf ("%s%s%s · %s · %s",
                              g_str_equal (label, brief->title) ? "" : label,
                              g_str_equal (label, brief->title) ? "" : " · ",
                              tw_choropleth_get_period (brief->map), group,
                              tw_area_layer_get_geography_name (brief->layer));
  doc->y += tw_typeset_text (doc->cr, subtitle, FALSE, 13, PANGO_WEIGHT_NORMAL, MARGIN, doc->y,
                             width, PANGO_ALIGN_LEFT, MUTED_COLOR);
  doc->y += 30;
  cairo_save (doc->cr);
  tw_typeset_set_color (doc->cr, ACCENT_COLOR);
  cairo_rectangle (doc->cr, MARGIN, doc->y, 60, 3);
  cairo_fill (doc->cr);
  cairo_restore (doc->cr);
  doc->y += 20;

  for (guint i = 0; i < brief->region->len; i++)
    {
      RegionFigure *f = g_ptr_array_index (brief->region, i);

      if (g_strcmp0 (f->stratum, brief->stratum) == 0)
        all = f;
    }
  if (all != NULL && all->shown)
    {
      g_autofree char *areas = format_areas (all->n_areas, all->n_rows);

      rate = format_rate_interval (all->rate, all->lower, all->upper);
      unit_interval = g_strdup_printf ("%s (95%% interval), %s", brief->unit, areas);
    }
  facts = g_strdup_printf ("<b>Prepared</b> %s\n"
                           "<b>Project</b> %s\n"
                           "<b>Areas</b> %u shown, %u suppressed, %u without data\n"
                           "<b>Region's rate</b> %s%s%s\n"
                           "<b>Partner projects</b> %u",
                           brief->today, brief->project_name,
                           tw_choropleth_get_n_ranked (brief->map),
                           tw_choropleth_get_n_suppressed (brief->map),
                           tw_choropleth_get_n_no_data (brief->map),
                           rate != NULL ? rate
                           : all != NULL && all->n_areas > 0
                           ? "not pooled: the areas whose counts are shown hold too little of "
                             "the population"
                           : "withheld under the suppression policy",
                           rate != NULL ? " " : "",
                           rate != NULL ? unit_interval : "",
                           brief->projects->len);
  doc->y += tw_typeset_text (doc->cr, facts, TRUE, 11, PANGO_WEIGHT_NORMAL, MARGIN, doc->y,
                             width, PANGO_ALIGN_LEFT, TEXT_COLOR) + 24;

  if (strstr (label, "synthetic") != NULL || strstr (label, "SYNTHETIC") != NULL)
    doc->y += tw_typeset_text (doc->cr, "<b>Demonstration data.</b> The outcome figures of this "
                               "measure are synthetic: they were generated for demonstration "
                               "and describe no real people.", TRUE, 10, PANGO_WEIGHT_NORMAL,
                               MARGIN, doc->y, width, PANGO_ALIGN_LEFT, 0xA51D2D) + 12;

  /* The policy at the foot of the cover, its last line on the text block's bottom. */
  tw_typeset_text (doc->cr, tw_map_export_get_footnote (brief->export), FALSE, SMALL_SIZE,
                   PANGO_WEIGHT_NORMAL, MARGIN,
                   BOTTOM - doc_measure (doc, tw_map_export_get_footnote (brief->export), FALSE,
                                         SMALL_SIZE, PANGO_WEIGHT_NORMAL, width),
                   width, PANGO_ALIGN_LEFT, MUTED_COLOR);
}

/* The map export's page in the text block, set in the brief's type: its title is the
 * brief's, so the page's heading and the map's subtitle stand in for it. */
static void
write_map (Brief *brief,
           Doc   *doc)
{
  TwMapPageLayout layout;

  doc_heading (doc, "The map", HEADING_SIZE);
  doc_paragraph (doc, tw_map_export_get_subtitle (brief->export), FALSE, BODY_SIZE,
                 MUTED_COLOR);
  tw_map_export_layout_body (brief->export, MARGIN, doc->y, TEXT_WIDTH, BOTTOM - doc->y, 1.0,
                             &layout);
  tw_map_export_draw_layout (brief->export, doc->cr, &layout);
  doc->y = BOTTOM;
}

typedef struct
{
  guint  row;        /* index into the rate table */
  double ratio, lower, upper;
  double key;        /* the interval's bound nearest 1: how sure the disparity is */
} Disparity;

static int
compare_disparities (gconstpointer a,
                     gconstpointer b)
{
  const Disparity *x = a, *y = b;
  double kx = isfinite (x->key) ? x->key : 0, ky = isfinite (y->key) ? y->key : 0;

  if (kx != ky)
    return kx < ky ? 1 : -1;
  if (x->ratio != y->ratio)
    return x->ratio < y->ratio ? 1 : -1;
  return (int) x->row - (int) y->row;
}

static void
write_disparities (Brief *brief,
                   Doc   *doc)
{
  static const Column area_columns[] = {
    { "Area", PANGO_ALIGN_LEFT },
    { "Group", PANGO_ALIGN_LEFT },
    { "Group's rate (95% CI)", PANGO_ALIGN_RIGHT },
    { "Area's rate (95% CI)", PANGO_ALIGN_RIGHT },
    { "Rate ratio (95% CI)", PANGO_ALIGN_RIGHT },
  };
  static const Column group_columns[] = {
    { "Group", PANGO_ALIGN_LEFT },
    { "Rate (95% CI)", PANGO_ALIGN_RIGHT },
    { "Areas pooled", PANGO_ALIGN_RIGHT },
    { "Share of events", PANGO_ALIGN_RIGHT },
    { "Share of population", PANGO_ALIGN_RIGHT },
  };
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Disparity));
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autofree char *intro = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *left_out = NULL;
  guint n_listed, n_unreliable = 0;
  guint n_rows = tw_rate_table_get_n_rows (brief->table);

  doc_new_page (doc);
  doc_heading (doc, "Where and for whom: the largest disparities", HEADING_SIZE);

  for (guint i = 0; i < n_rows; i++)
    {
      const TwRateRow *row = tw_rate_table_get_row (brief->table, i);
      const TwRateRow *ref;
      TwDisparity d;
      Disparity entry;

      if (g_str_equal (row->stratum, "all") || tw_rate_row_is_suppressed (row))
        continue;
      ref = tw_rate_table_find_row (brief->table, row->area_id, "all");
      if (ref == NULL || tw_rate_row_is_suppressed (ref))
        continue;
      tw_disparity_compare (tw_rate_table_get_kind (brief->table), row->numerator,
                            row->denominator, ref->numerator, ref->denominator, TRUE,
                            tw_rate_table_get_multiplier (brief->table), &d);
      if (!isfinite (d.ratio))
        continue;
      /* Disparities where the group fares worse than its area. */
      if (tw_rate_table_get_higher_is_worse (brief->table) ? d.ratio <= 1 : d.ratio >= 1)
        continue;
      /* A ranking leaves unreliable figures out, and says how many. */
      if (tw_figure_status_worst (row->status, ref->status) == TW_FIGURE_UNRELIABLE)
        {
          n_unreliable++;
          continue;
        }
      entry.row = i;
      entry.ratio = d.ratio;
      entry.lower = d.ratio_lower;
      entry.upper = d.ratio_upper;
      entry.key = tw_rate_table_get_higher_is_worse (brief->table) ? d.ratio_lower
                                                                   : 1 / d.ratio_upper;
      g_array_append_val (found, entry);
    }
  g_array_sort (found, compare_disparities);

  n_listed = MIN (found->len, MAX_DISPARITY_ROWS);
  left_out = n_unreliable == 0 ? g_strdup ("")
             : g_strdup_printf (", and %u pair%s with an unreliable rate %s left out", n_unreliable,
                                n_unreliable == 1 ? "" : "s", n_unreliable == 1 ? "is" : "are");
  listed = n_listed == 0 ? g_strdup ("Listed: the areas and groups whose figures the "
                                     "suppression policy allows to be shown, by the highest "
                                     "lower interval bound")
         : n_listed == 1 ? g_strdup ("Listed: the one area and group whose figures the "
                                     "suppression policy allows to be shown")
         : g_strdup_printf ("Listed: the %u pairs of area and group with the highest lower "
                            "interval bound, among those whose figures the suppression policy "
                            "allows to be shown", n_listed);
  intro = g_strdup_printf ("Each group's rate in an area against the area's rate for all "
                           "groups, in %s for %s. The rate ratio's 95%% interval is by the delta "
                           "method, allowing for the group being part of its area. %s; "
                           "suppressed figures are never listed%s. Rates %s.",
                           tw_choropleth_get_period (brief->map),
                           tw_choropleth_get_measure_label (brief->map), listed, left_out,
                           brief->unit);
  doc_paragraph (doc, intro, FALSE, BODY_SIZE, TEXT_COLOR);

  for (guint i = 0; i < MIN (found->len, MAX_DISPARITY_ROWS); i++)
    {
      Disparity *entry = &g_array_index (found, Disparity, i);
      const TwRateRow *row = tw_rate_table_get_row (brief->table, entry->row);
      const TwRateRow *ref = tw_rate_table_find_row (brief->table, row->area_id, "all");
      int index = tw_area_layer_find_geoid (brief->layer, row->geoid);
      const char *name = index >= 0 ? tw_area_layer_get_name (brief->layer, index) : NULL;
      g_autofree char *lo = format_published (entry->lower);
      g_autofree char *hi = format_published (entry->upper);
      g_autofree char *ratio = format_published (entry->ratio);
      char **cells = g_new0 (char *, 6);

      cells[0] = name != NULL ? g_strdup_printf ("%s (%s)", name, row->geoid)
                              : g_strdup (row->geoid);
      cells[1] = group_name (row->stratum);
      cells[2] = format_rate_interval (row->rate, row->lower, row->upper);
      cells[3] = format_rate_interval (ref->rate, ref->lower, ref->upper);
      cells[4] = isfinite (entry->lower) ? g_strdup_printf ("%s (%s–%s)", ratio, lo, hi)
                                         : g_strdup (ratio);
      g_ptr_array_add (rows, cells);
    }
  if (rows->len > 0)
    doc_table (doc, area_columns, G_N_ELEMENTS (area_columns), rows, TABLE_SIZE);
  else
    doc_paragraph (doc, "No area has a group whose figures may be shown and whose rate is "
                   "worse than its area's.", FALSE, BODY_SIZE, MUTED_COLOR);

  doc_heading (doc, "Groups across the region", SUBHEADING_SIZE);
  doc_paragraph (doc, "Each group's rate pooled over the areas of the map where its count is "
                 "shown (of the areas with a count for the group), and its share of the events "
                 "against its share of the population, over the areas where both its count and "
                 "the area's total are shown. Suppressed counts never enter a pooled figure. "
                 "Because the small counts are the ones left out, a pooled rate leans toward the "
                 "areas with no events or many: it is withheld (\"too few shown\") unless the "
                 "areas pooled hold at least 80% of the group's population.", FALSE,
                 BODY_SIZE, TEXT_COLOR);
  g_ptr_array_set_size (rows, 0);
  for (guint i = 0; i < brief->region->len; i++)
    {
      RegionFigure *f = g_ptr_array_index (brief->region, i);
      char **cells = g_new0 (char *, 6);

      cells[0] = group_name (f->stratum);
      cells[1] = f->shown ? format_rate_interval (f->rate, f->lower, f->upper)
                 : f->n_areas > 0 ? g_strdup ("too few shown") : g_strdup ("withheld");
      cells[2] = g_strdup_printf ("%u of %u", f->n_areas, f->n_rows);
      cells[3] = isfinite (f->share_events) ? format_percent (f->share_events)
                                            : g_strdup ("withheld");
      cells[4] = isfinite (f->share_denominator) ? format_percent (f->share_denominator)
                                                 : g_strdup ("–");
      g_ptr_array_add (rows, cells);
    }
  doc_table (doc, group_columns, G_N_ELEMENTS (group_columns), rows, TABLE_SIZE);
}

/* A project's evaluation as a board should read it: the verdict first, in words; progress
 * toward the goal only when the DiD's interval shows a change, and always with its
 * interval. */
static char *
evaluation_text (Brief     *brief,
                 TwProject *project)
{
  TwEvaluationOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwEvaluation) evaluation = NULL;
  g_autofree char *did = NULL, *lo = NULL, *hi = NULL, *figure = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (project->measure == NULL || project->areas == NULL || project->areas->len == 0)
    return g_strdup ("Not evaluated: no measure or target areas");
  evaluation = tw_evaluation_run (brief->store, project->id, &options, &error);
  if (evaluation == NULL)
    return g_strdup (error->domain == TW_EVALUATION_ERROR
                     && error->code == TW_EVALUATION_ERROR_NO_DATA
                     ? "Not evaluated: no periods on both sides of the start"
                     : "Not evaluated: needs a start date and periods");
  if (evaluation->verdict == TW_EVALUATION_VERDICT_NONE)
    return g_strdup ("Withheld under the suppression policy: no target or no comparison "
                     "area has its counts shown in every period used");

  did = format_published (evaluation->did);
  lo = format_published (evaluation->did_lower);
  hi = format_published (evaluation->did_upper);
  if (g_str_equal (evaluation->measure, tw_choropleth_get_measure_code (brief->map)))
    figure = g_strdup_printf ("DiD %s %s, 95%% interval %s to %s", did, brief->unit, lo, hi);
  else
    figure = g_strdup_printf ("DiD %s in %s, 95%% interval %s to %s", did,
                              evaluation->measure, lo, hi);

  switch (evaluation->verdict)
    {
    case TW_EVALUATION_VERDICT_NO_CHANGE:
      g_string_append (text, "Not distinguishable from the change in the comparison areas");
      break;
    case TW_EVALUATION_VERDICT_IMPROVED:
    case TW_EVALUATION_VERDICT_WORSENED:
      g_string_append (text, evaluation->verdict == TW_EVALUATION_VERDICT_IMPROVED
                             ? "Improved" : "Worsened");
      if (isfinite (evaluation->goal_progress))
        {
          g_autofree char *p = format_whole_percent (evaluation->goal_progress);
          g_autofree char *pl = format_whole_percent (evaluation->goal_progress_lower);
          g_autofree char *pu = format_whole_percent (evaluation->goal_progress_upper);

          g_string_append_printf (text, ": %s of the goal (95%% interval %s to %s)", p, pl, pu);
        }
      else
        g_string_append (text, " beyond the change in the comparison areas");
      break;
    case TW_EVALUATION_VERDICT_NONE:
      break;
    }
  g_string_append_printf (text, " (%s)", figure);
  if (evaluation->n_target_used < evaluation->n_target_areas
      || evaluation->n_comparison_used < evaluation->n_comparison_areas)
    g_string_append_printf (text, "; over %u of %u target and %u of %u comparison areas "
                            "whose counts are shown", evaluation->n_target_used,
                            evaluation->n_target_areas, evaluation->n_comparison_used,
                            evaluation->n_comparison_areas);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Outlines each project's target areas on the map and numbers them. */
static void
draw_footprints (Brief            *brief,
                 cairo_t          *cr,
                 const TwMapFrame *frame)
{
  TwGeometrySet *geometry = tw_area_layer_get_geometry (brief->layer);
  double scale = frame->width / (frame->view.max_x - frame->view.min_x);
  double r, g, b;

  tw_palette_fixed_rgb (TW_COLOR_PROJECT_OUTLINE, &r, &g, &b);
  cairo_save (cr);
  cairo_rectangle (cr, frame->x, frame->y, frame->width, frame->height);
  cairo_clip (cr);
  for (guint p = 0; p < brief->projects->len; p++)
    {
      TwProject *project = g_ptr_array_index (brief->projects, p);
      TwBox all = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
      g_autofree char *number = g_strdup_printf ("%u", p + 1);
      double cx, cy;
      guint n = 0;

      if (g_strcmp0 (project->geography, tw_area_layer_get_geography_name (brief->layer)) != 0)
        continue;
      cairo_new_path (cr);
      for (guint a = 0; project->areas != NULL && a < project->areas->len; a++)
        {
          int index = tw_area_layer_find_geoid (brief->layer,
                                                g_ptr_array_index (project->areas, a));
          TwBox box;

          if (index < 0)
            continue;
          tw_geometry_set_get_area_box (geometry, index, &box);
          all.min_x = MIN (all.min_x, box.min_x);
          all.min_y = MIN (all.min_y, box.min_y);
          all.max_x = MAX (all.max_x, box.max_x);
          all.max_y = MAX (all.max_y, box.max_y);
          n++;
          for (guint ring = 0; ring < tw_geometry_set_get_n_rings (geometry, index, 0.25 / scale);
               ring++)
            {
              guint n_points;
              const float *pt = tw_geometry_set_get_ring (geometry, index, 0.25 / scale, ring,
                                                          &n_points);

              for (guint k = 0; k < n_points; k++)
                {
                  double x = frame->x + (pt[2 * k] - frame->view.min_x) * scale;
                  double y = frame->y + (pt[2 * k + 1] - frame->view.min_y) * scale;

                  if (k == 0)
                    cairo_move_to (cr, x, y);
                  else
                    cairo_line_to (cr, x, y);
                }
              cairo_close_path (cr);
            }
        }
      if (n == 0)
        continue;
      /* A white halo keeps the outline visible on the darkest class. */
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 3.4);
      cairo_stroke_preserve (cr);
      cairo_set_source_rgb (cr, r, g, b);
      cairo_set_line_width (cr, 1.6);
      cairo_stroke (cr);

      /* The project's number in a disc beside its areas' box. */
      cx = frame->x + (all.max_x - frame->view.min_x) * scale + 4;
      cy = frame->y + (all.min_y - frame->view.min_y) * scale - 4;
      cairo_arc (cr, cx, cy, 7, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke_preserve (cr);
      cairo_set_source_rgb (cr, r, g, b);
      cairo_fill (cr);
      tw_typeset_text (cr, number, FALSE, 8, PANGO_WEIGHT_BOLD, cx - 7, cy - 5.2, 14,
                       PANGO_ALIGN_CENTER, 0xFFFFFF);
    }
  cairo_restore (cr);
}

static void
write_projects (Brief *brief,
                Doc   *doc)
{
  static const Column columns[] = {
    { "#", PANGO_ALIGN_LEFT },
    { "Project", PANGO_ALIGN_LEFT },
    { "Partners", PANGO_ALIGN_LEFT },
    { "Status", PANGO_ALIGN_LEFT },
    { "Dates", PANGO_ALIGN_LEFT },
    { "Goal", PANGO_ALIGN_LEFT },
    { "Evaluation", PANGO_ALIGN_LEFT },
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  TwGeometrySet *geometry = tw_area_layer_get_geometry (brief->layer);
  TwBox extent = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
  g_autoptr(GString) elsewhere = g_string_new (NULL);
  TwMapFrame frame;
  double map_h = 300, map_w, key_w, key_h, pad;
  guint n_areas = 0;

  doc_new_page (doc);
  doc_heading (doc, "Partner projects", HEADING_SIZE);
  if (brief->projects->len == 0)
    {
      doc_paragraph (doc, "No partner projects are recorded in this project.", FALSE,
                     BODY_SIZE, MUTED_COLOR);
      return;
    }
  for (guint p = 0; p < brief->projects->len; p++)
    {
      TwProject *project = g_ptr_array_index (brief->projects, p);

      if (g_strcmp0 (project->geography, tw_area_layer_get_geography_name (brief->layer)) != 0)
        continue;
      for (guint a = 0; project->areas != NULL && a < project->areas->len; a++)
        {
          int index = tw_area_layer_find_geoid (brief->layer,
                                                g_ptr_array_index (project->areas, a));
          TwBox box;

          if (index < 0)
            continue;
          tw_geometry_set_get_area_box (geometry, index, &box);
          extent.min_x = MIN (extent.min_x, box.min_x);
          extent.min_y = MIN (extent.min_y, box.min_y);
          extent.max_x = MAX (extent.max_x, box.max_x);
          extent.max_y = MAX (extent.max_y, box.max_y);
          n_areas++;
        }
    }
  doc_paragraph (doc, n_areas > 0
                      ? "Target areas of each project outlined on the map of the brief's "
                        "measure, numbered as in the table. Evaluations compare the target "
                        "areas with all other areas before and after each project's start "
                        "(difference in differences of pooled rates, 95% interval), over the "
                        "areas whose counts are shown in every period used. A project has "
                        "improved or worsened only when the interval excludes zero; progress "
                        "toward its goal is measured on the difference in differences."
                      : "Evaluations compare each project's target areas with all other areas "
                        "before and after its start (difference in differences of pooled "
                        "rates, 95% interval), over the areas whose counts are shown in every "
                        "period used. A project has improved or worsened only when the "
                        "interval excludes zero; progress toward its goal is measured on the "
                        "difference in differences.", FALSE, BODY_SIZE, TEXT_COLOR);
  if (n_areas > 0)
    {
      /* The footprints with their surroundings: half their size again around them. */
      pad = MAX (extent.max_x - extent.min_x, extent.max_y - extent.min_y) * 0.8;
      extent.min_x -= pad;
      extent.max_x += pad;
      extent.min_y -= pad;
      extent.max_y += pad;

      /* The map with its key (the classes' colours; the counts are the whole region's, not
       * this view's) and scale bar in a column beside it. */
      key_w = MIN (tw_map_export_legend_width (brief->export, TABLE_SIZE, FALSE), 150.0);
      map_w = TEXT_WIDTH - key_w - 18;
      map_h = MIN (map_h, map_w * (extent.max_y - extent.min_y) / (extent.max_x - extent.min_x));
      doc_ensure (doc, map_h + 20);
      tw_map_export_draw_map (brief->export, doc->cr, MARGIN, doc->y, map_w, map_h, &extent,
                              &frame);
      draw_footprints (brief, doc->cr, &frame);
      key_h = tw_map_export_draw_legend (brief->export, doc->cr, MARGIN + map_w + 18, doc->y,
                                         key_w, TABLE_SIZE, FALSE);
      tw_map_export_draw_scale_bar (doc->cr, &frame, MARGIN + map_w + 18,
                                    doc->y + key_h + 14 + TABLE_SIZE * 0.4, key_w, TABLE_SIZE);
      doc->y += MAX (map_h, key_h + 14 + TABLE_SIZE * 3.2) + 8;
    }
  for (guint p = 0; p < brief->projects->len; p++)
    {
      TwProject *project = g_ptr_array_index (brief->projects, p);

      if (g_strcmp0 (project->geography, tw_area_layer_get_geography_name (brief->layer)) == 0)
        continue;
      g_string_append_printf (elsewhere, "%s%u (%s)", elsewhere->len > 0 ? ", " : "", p + 1,
                              project->geography != NULL ? project->geography
                                                         : "no target areas");
    }
  if (elsewhere->len > 0)
    {
      g_autofree char *note = g_strdup_printf ("%s, as their target areas are in another "
                                               "geography: %s.",
                                               n_areas > 0 ? "Not on this map"
                                                           : "No map of the projects",
                                               elsewhere->str);

      doc_paragraph (doc, note, FALSE, SMALL_SIZE, MUTED_COLOR);
    }
  doc->y += 6;

  for (guint p = 0; p < brief->projects->len; p++)
    {
      TwProject *project = g_ptr_array_index (brief->projects, p);
      g_autoptr(GString) partners = g_string_new (NULL);
      char **cells = g_new0 (char *, 8);

      for (guint i = 0; project->partners != NULL && i < project->partners->len; i++)
        {
          TwProjectPartner *partner = g_ptr_array_index (project->partners, i);

          if (partners->len > 0)
            g_string_append (partners, "; ");
          g_string_append (partners, partner->name);
          if (partner->role != NULL)
            g_string_append_printf (partners, " (%s)", partner->role);
        }
      cells[0] = g_strdup_printf ("%u", p + 1);
      cells[1] = g_strdup (project->title);
      cells[2] = g_strdup (partners->len > 0 ? partners->str : "–");
      cells[3] = g_strdup (project->status);
      cells[4] = g_strdup_printf ("%s – %s", project->start_date ? project->start_date : "?",
                                  project->end_date ? project->end_date : "open");
      cells[5] = isfinite (project->goal_percent)
                 ? g_strdup_printf ("%g%% better%s%s", project->goal_percent,
                                    project->measure != NULL ? ", " : "",
                                    project->measure != NULL ? project->measure : "")
                 : g_strdup ("–");
      cells[6] = evaluation_text (brief, project);
      g_ptr_array_add (rows, cells);
    }
  doc_table (doc, columns, G_N_ELEMENTS (columns), rows, TABLE_SIZE);
}

/* A small chart of one group's pooled rate by period, with its intervals. */
static void
draw_trend (Brief      *brief,
            cairo_t    *cr,
            const char *stratum,
            GStrv       periods,
            GPtrArray  *by_period,   /* GPtrArray of RegionFigure * per period */
            double      x,
            double      y,
            double      w,
            double      h)
{
  guint n = g_strv_length (periods);
  /* The plot leaves a gutter for the rates on its left, room for half a period's label on
   * its right and a line for the periods under it. */
  double top = 0, px0 = x + 40, pw = w - 40 - 18;
  double py0 = y + BODY_SIZE * 2.4 + SMALL_SIZE * 1.3;
  double ph = h - (py0 - y) - SMALL_SIZE * 2.6;
  double step, tick;
  gboolean pen = FALSE;
  guint shown = 0, fewest = G_MAXUINT, most = 0, rows = 0;
  g_autofree char *heading = group_name (stratum);
  g_autofree char *caption = NULL;

  tw_typeset_text (cr, heading, FALSE, BODY_SIZE, PANGO_WEIGHT_BOLD, x, y, w,
                   PANGO_ALIGN_LEFT, TEXT_COLOR);
  for (guint p = 0; p < n; p++)
    {
      GPtrArray *figures = g_ptr_array_index (by_period, p);

      for (guint i = 0; figures != NULL && i < figures->len; i++)
        {
          RegionFigure *f = g_ptr_array_index (figures, i);

          if (!g_str_equal (f->stratum, stratum) || f->n_rows == 0)
            continue;
          fewest = MIN (fewest, f->n_areas);
          most = MAX (most, f->n_areas);
          rows = MAX (rows, f->n_rows);
          if (f->shown)
            top = MAX (top, isfinite (f->upper) ? f->upper : f->rate);
        }
    }
  /* Over how many areas each point pools, as the tables say it. */
  if (rows > 0)
    {
      caption = fewest == most
                ? g_strdup_printf ("Over %u of %u areas with counts shown", most, rows)
                : g_strdup_printf ("Over %u–%u of %u areas with counts shown", fewest, most,
                                   rows);
      tw_typeset_text (cr, caption, FALSE, SMALL_SIZE, PANGO_WEIGHT_NORMAL, x,
                       y + BODY_SIZE * 1.5, w, PANGO_ALIGN_LEFT, MUTED_COLOR);
    }
  if (!(top > 0))
    {
      /* Below the caption, which says over how many areas. */
      tw_typeset_text (cr, most > 0 ? "No period is shown: the areas whose counts are shown "
                                      "hold too little of the group's population to pool."
                                    : "No period can be shown under the suppression policy.",
                       FALSE, SMALL_SIZE, PANGO_WEIGHT_NORMAL, x,
                       y + BODY_SIZE * 1.5 + SMALL_SIZE * 2.2, w, PANGO_ALIGN_LEFT,
                       MUTED_COLOR);
      return;
    }
  tick = pow (10, floor (log10 (top / 2)));
  if (top / tick > 8)
    tick *= 5;
  else if (top / tick > 4)
    tick *= 2;
  top = ceil (top / tick) * tick;

  cairo_save (cr);
  cairo_set_line_width (cr, 0.4);
  for (double v = 0; v <= top + tick / 2; v += tick)
    {
      double ty = py0 + ph - v / top * ph;
      g_autofree char *label = format_number (v, tick >= 1 ? 0 : (guint) ceil (-log10 (tick)));

      tw_typeset_set_color (cr, RULE_COLOR);
      cairo_move_to (cr, px0, ty);
      cairo_line_to (cr, px0 + pw, ty);
      cairo_stroke (cr);
      tw_typeset_text (cr, label, FALSE, SMALL_SIZE, PANGO_WEIGHT_NORMAL, x, ty - SMALL_SIZE * 0.6,
                       px0 - x - 6, PANGO_ALIGN_RIGHT, MUTED_COLOR);
    }
  step = n > 1 ? pw / (n - 1) : 0;
  for (guint p = 0; p < n; p++)
    {
      double tx = n > 1 ? px0 + p * step : px0 + pw / 2;

      tw_typeset_text (cr, periods[p], FALSE, SMALL_SIZE, PANGO_WEIGHT_NORMAL, tx - 30,
                       py0 + ph + SMALL_SIZE * 0.8, 60, PANGO_ALIGN_CENTER, MUTED_COLOR);
    }

  /* Whiskers, then the line through shown points (broken where one is withheld). */
  tw_typeset_set_color (cr, ACCENT_COLOR);
  for (guint pass = 0; pass < 2; pass++)
    for (guint p = 0; p < n; p++)
      {
        GPtrArray *figures = g_ptr_array_index (by_period, p);
        RegionFigure *f = NULL;
        double tx = n > 1 ? px0 + p * step : px0 + pw / 2;

        for (guint i = 0; figures != NULL && i < figures->len; i++)
          if (g_str_equal (((RegionFigure *) g_ptr_array_index (figures, i))->stratum, stratum))
            f = g_ptr_array_index (figures, i);
        if (f == NULL || !f->shown || !isfinite (f->rate))
          {
            if (pass == 1 && pen)
              cairo_stroke (cr);
            pen = FALSE;
            continue;
          }
        if (pass == 0)
          {
            cairo_set_line_width (cr, 0.8);
            cairo_move_to (cr, tx, py0 + ph - f->lower / top * ph);
            cairo_line_to (cr, tx, py0 + ph - f->upper / top * ph);
            cairo_stroke (cr);
            cairo_arc (cr, tx, py0 + ph - f->rate / top * ph, 2.2, 0, 2 * G_PI);
            cairo_fill (cr);
            shown++;
          }
        else
          {
            cairo_set_line_width (cr, 1.4);
            if (pen)
              cairo_line_to (cr, tx, py0 + ph - f->rate / top * ph);
            else
              cairo_move_to (cr, tx, py0 + ph - f->rate / top * ph);
            pen = TRUE;
          }
      }
  if (pen)
    cairo_stroke (cr);
  cairo_restore (cr);
}

static gboolean
write_trends (Brief         *brief,
              Doc           *doc,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GPtrArray) by_period = NULL;
  g_auto(GStrv) periods = NULL;
  const char *const *strata = tw_rate_table_get_strata (brief->table);
  gint64 measure_id;
  double cw = (TEXT_WIDTH - 24) / 2, ch = 150;
  g_autofree char *intro = NULL;

  by_period = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  measure_id = tw_store_resolve_measure (brief->store, brief->options->measure, error);
  if (measure_id < 0)
    return FALSE;
  periods = tw_store_list_periods (brief->store, measure_id, error);
  if (periods == NULL)
    return FALSE;
  for (guint p = 0; periods[p] != NULL; p++)
    {
      TwRateQuery query = { 0 };
      g_autoptr(TwRateTable) table = NULL;

      query.measure = brief->options->measure;
      query.period = periods[p];
      query.geography_id = tw_area_layer_get_geography_id (brief->layer);
      query.method = TW_RATE_METHOD_CRUDE;
      table = tw_rate_table_compute (brief->store, &query, NULL, cancellable, error);
      if (table == NULL)
        return FALSE;
      g_ptr_array_add (by_period, compute_region (table));
    }

  doc_new_page (doc);
  doc_heading (doc, "Trends", HEADING_SIZE);
  intro = g_strdup_printf ("The region's rate for each group by period (%s), pooled over "
                           "the areas of the map where the group's count is shown, with 95%% "
                           "intervals. Suppressed counts never enter a point; a period with no "
                           "count shown is left out and the line is broken there.",
                           brief->unit);
  doc_paragraph (doc, intro, FALSE, BODY_SIZE, TEXT_COLOR);
  for (guint s = 0; strata[s] != NULL; s++)
    {
      guint col = s % 2;

      if (col == 0)
        doc_ensure (doc, ch);
      draw_trend (brief, doc->cr, strata[s], periods, by_period,
                  MARGIN + col * (cw + 24), doc->y, cw, ch - 12);
      if (col == 1 || strata[s + 1] == NULL)
        doc->y += ch;
    }
  return TRUE;
}

static void
add_source_rows (Brief     *brief,
                 Doc       *doc)
{
  static const Column geo_columns[] = {
    { "Geography", PANGO_ALIGN_LEFT },
    { "Level", PANGO_ALIGN_LEFT },
    { "Vintage", PANGO_ALIGN_LEFT },
    { "Source", PANGO_ALIGN_LEFT },
  };
  static const Column measure_columns[] = {
    { "Measure", PANGO_ALIGN_LEFT },
    { "Label", PANGO_ALIGN_LEFT },
    { "Kind", PANGO_ALIGN_LEFT },
    { "Source", PANGO_ALIGN_LEFT },
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) geographies = tw_store_list_geographies (brief->store, -1, NULL, NULL);
  g_autoptr(GPtrArray) measures = tw_store_list_measures (brief->store, NULL);

  if (geographies != NULL)
    g_ptr_array_sort (geographies, tw_geography_info_compare_names);

  for (guint i = 0; geographies != NULL && i < geographies->len; i++)
    {
      TwGeographyInfo *geography = g_ptr_array_index (geographies, i);
      char **cells = g_new0 (char *, 5);

      cells[0] = g_strdup (geography->name);
      cells[1] = g_strdup (geography->level);
      cells[2] = g_strdup (geography->vintage != NULL ? geography->vintage : "–");
      cells[3] = g_strdup (geography->source != NULL ? geography->source : "–");
      g_ptr_array_add (rows, cells);
    }
  doc_table (doc, geo_columns, G_N_ELEMENTS (geo_columns), rows, TABLE_SIZE);

  g_ptr_array_set_size (rows, 0);
  for (guint i = 0; measures != NULL && i < measures->len; i++)
    {
      TwMeasureInfo *measure = g_ptr_array_index (measures, i);
      char **cells = g_new0 (char *, 5);
      g_autofree char *per = format_number (measure->multiplier, 0);

      cells[0] = g_strdup (measure->code);
      cells[1] = g_strdup (measure->label);
      cells[2] = g_strdup_printf ("%s per %s", measure->kind, per);
      cells[3] = g_strdup (measure->source != NULL ? measure->source : "–");
      g_ptr_array_add (rows, cells);
    }
  doc_table (doc, measure_columns, G_N_ELEMENTS (measure_columns), rows, TABLE_SIZE);
}

static void
write_methods (Brief *brief,
               Doc   *doc)
{
  const TwClassification *classes = tw_choropleth_get_classification (brief->map);
  g_autofree char *rates = NULL;
  g_autofree char *classing = NULL;
  g_autofree char *policy = NULL;
  g_autofree char *made = NULL;
  g_autoptr(GString) breaks = g_string_new (NULL);
  gboolean proportion = tw_choropleth_is_proportion (brief->map);
  g_autofree char *reliability =
    tw_figure_status_describe_rule (tw_choropleth_get_policy (brief->map));

  doc_new_page (doc);
  doc_heading (doc, "Methods", HEADING_SIZE);
  rates = g_strdup_printf ("<b>Rates.</b> A crude rate is the number of events divided by the "
                           "population at risk, %s. The 95%% intervals are %s. %s Unreliable "
                           "figures should be read with their intervals, and are left out of "
                           "rankings.", brief->unit,
                           proportion ? "Wilson score intervals, as this measure is a "
                                        "proportion (binomial counts); rates get exact Poisson "
                                        "(Garwood) intervals"
                                      : "exact Poisson intervals (Garwood, from chi-square "
                                        "quantiles), as this measure is a rate (Poisson counts); "
                                        "proportions get Wilson score intervals",
                           reliability);
  doc_paragraph (doc, rates, TRUE, BODY_SIZE, TEXT_COLOR);
  doc_paragraph (doc, "<b>Smoothing.</b> The map and tables show crude rates: no smoothing was "
                 "applied. Tractwise also offers global and spatial Empirical Bayes smoothing "
                 "(Marshall 1991) for the analyst's own screen.", TRUE, BODY_SIZE, TEXT_COLOR);
  for (guint i = 0; classes != NULL && i <= classes->n_classes; i++)
    {
      g_autofree char *b = tw_choropleth_format_rate (brief->map, classes->breaks[i]);

      g_string_append_printf (breaks, "%s%s", i > 0 ? ", " : "", b);
    }
  classing = g_strdup_printf ("<b>Classes.</b> The map's %u classes are %s breaks of the "
                              "rates of the areas shown (%s), with the palette %s, "
                              "colour-blind safe where the palette is. Suppressed areas are "
                              "left out of the classes and hatched; areas without data are "
                              "grey.",
                              classes != NULL ? classes->n_classes : 0,
                              classes != NULL ? tw_classify_method_to_string (classes->method)
                                              : "no",
                              breaks->len > 0 ? breaks->str : "none",
                              tw_palette_get_name (tw_choropleth_get_palette (brief->map)));
  if (classes == NULL)
    {
      g_free (classing);
      classing = g_strdup ("<b>Classes.</b> No area could be classed: every area is "
                           "suppressed or without data. Suppressed areas are hatched; areas "
                           "without data are grey.");
    }
  doc_paragraph (doc, classing, TRUE, BODY_SIZE, TEXT_COLOR);
  doc_paragraph (doc, "<b>Disparities.</b> Rate ratios of a group against its area's overall "
                 "rate, with 95% intervals exp (ln RR ± 1.96 SE) by the delta method (Katz's "
                 "log method for proportions), allowing for the group's events being part of "
                 "the area's.", TRUE, BODY_SIZE, TEXT_COLOR);
  doc_paragraph (doc, "<b>Project evaluation.</b> Difference in differences of pooled rates: "
                 "(target after − target before) − (comparison after − comparison before), "
                 "with a normal-approximation 95% interval from the four pools' variances, "
                 "over the areas whose counts are shown in every period used: an area with a "
                 "suppressed count in any of them is left out of every pool. A project has "
                 "improved (or worsened) when the interval lies wholly on the good (or bad) "
                 "side of zero; otherwise its change is not distinguishable from the change in "
                 "the comparison areas. Progress toward a goal is the difference in "
                 "differences against the goal expressed as a change of the target areas' rate "
                 "before the start, with the interval carried over; the target areas' own "
                 "change is no measure of progress, as it holds the trend everywhere.",
                 TRUE, BODY_SIZE, TEXT_COLOR);

  doc_heading (doc, "Suppression policy", SUBHEADING_SIZE);
  policy = tw_suppression_policy_describe (tw_choropleth_get_policy (brief->map));
  doc_paragraph (doc, policy, FALSE, BODY_SIZE, TEXT_COLOR);
  doc_paragraph (doc, "A suppressed cell shows no count, rate, interval or ratio; its "
                 "population stays. Pooled figures (the region's rates and shares, the trends, "
                 "project evaluations) are computed over the cells whose counts are shown, "
                 "never with a suppressed one, and say over how many areas; no two of them can "
                 "be subtracted to recover a suppressed count. Rates, intervals, ratios and "
                 "shares are given to 3 significant figures. This brief never reveals a "
                 "suppressed figure.", FALSE, BODY_SIZE, TEXT_COLOR);

  doc_heading (doc, "Data sources and vintages", SUBHEADING_SIZE);
  add_source_rows (brief, doc);

  doc_heading (doc, "About this brief", SUBHEADING_SIZE);
  made = g_strdup_printf ("Made with Tractwise %s on %s from the project file %s.",
                          PACKAGE_VERSION, brief->today, brief->project_name);
  doc_paragraph (doc, made, FALSE, BODY_SIZE, TEXT_COLOR);
}

/* One half of the running head, on one line: a long title is cut short with an
 * ellipsis rather than broken over the rule. */
static void
running_head (cairo_t        *cr,
              const char     *text,
              double          x,
              PangoAlignment  alignment)
{
  g_autoptr(PangoLayout) layout = text_layout (cr, text, FALSE, SMALL_SIZE, PANGO_WEIGHT_NORMAL,
                                               TEXT_WIDTH / 2 - 6, 0);

  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, alignment);
  cairo_save (cr);
  tw_typeset_set_color (cr, MUTED_COLOR);
  cairo_move_to (cr, x, HEADER_Y);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

/* Header line and page numbers over the recorded pages. */
static gboolean
finish_pdf (Brief      *brief,
            Doc        *doc,
            const char *path,
            GError    **error)
{
  g_autofree char *tmp = g_strdup_printf ("%s.part", path);
  cairo_surface_t *pdf = cairo_pdf_surface_create (tmp, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_status_t status;
  cairo_t *cr;

  cairo_pdf_surface_set_metadata (pdf, CAIRO_PDF_METADATA_TITLE, brief->title);
  cairo_pdf_surface_set_metadata (pdf, CAIRO_PDF_METADATA_CREATOR, "Tractwise " PACKAGE_VERSION);
  cr = cairo_create (pdf);
  for (guint i = 0; i < doc->pages->len; i++)
    {
      g_autofree char *number = g_strdup_printf ("Page %u of %u", i + 1, doc->pages->len);
      g_autofree char *left = g_strdup_printf ("%s · Board brief", brief->project_name);

      cairo_set_source_surface (cr, g_ptr_array_index (doc->pages, i), 0, 0);
      cairo_paint (cr);
      if (i > 0)
        {
          running_head (cr, left, MARGIN, PANGO_ALIGN_LEFT);
          running_head (cr, brief->title, PAGE_WIDTH / 2 + 6, PANGO_ALIGN_RIGHT);
          cairo_save (cr);
          tw_typeset_set_color (cr, RULE_COLOR);
          cairo_set_line_width (cr, 0.5);
          cairo_move_to (cr, MARGIN, HEADER_Y + 13);
          cairo_line_to (cr, PAGE_WIDTH - MARGIN, HEADER_Y + 13);
          cairo_stroke (cr);
          cairo_restore (cr);
        }
      tw_typeset_text (cr, number, FALSE, SMALL_SIZE, PANGO_WEIGHT_NORMAL, MARGIN,
                       PAGE_HEIGHT - MARGIN + 18, PAGE_WIDTH - 2 * MARGIN, PANGO_ALIGN_CENTER,
                       MUTED_COLOR);
      cairo_show_page (cr);
    }
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (pdf);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (pdf);
  cairo_surface_destroy (pdf);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_unlink (tmp);
      g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_WRITE, "%s: cannot write: %s", path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_WRITE, "%s: cannot write: %s", path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static void
brief_clear (Brief *brief)
{
  g_clear_pointer (&brief->layer, tw_area_layer_unref);
  g_clear_pointer (&brief->map, tw_choropleth_unref);
  g_clear_pointer (&brief->export, tw_map_export_unref);
  g_clear_pointer (&brief->table, tw_rate_table_unref);
  g_clear_pointer (&brief->region, g_ptr_array_unref);
  g_clear_pointer (&brief->projects, g_ptr_array_unref);
  g_free (brief->project_name);
  g_free (brief->today);
  g_free (brief->unit);
  g_free (brief->title);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Brief, brief_clear)

gboolean
tw_brief_write (TwStore              *store,
                const TwBriefOptions *options,
                const char           *path,
                GCancellable         *cancellable,
                GError              **error)
{
  g_auto(Brief) brief = { 0 };
  g_autoptr(TwMapRequest) request = NULL;
  TwRateQuery rate_query = { 0 };
  TwMapLayout layout = { 0 };
  g_autofree char *base = NULL;
  g_autofree char *policy = NULL;
  const TwSuppressionPolicy *p;
  Doc doc = { 0 };
  gint64 geography_id;
  gboolean ok;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (options != NULL && options->measure != NULL, FALSE);
  g_return_val_if_fail (options->period != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  brief.store = store;
  brief.options = options;
  brief.stratum = options->stratum != NULL ? options->stratum : "all";
  /* The map: quantiles in the default number of classes, never revealed. */
  request = tw_map_request_new ();
  tw_map_request_set_measure (request, options->measure);
  tw_map_request_set_period (request, options->period);
  tw_map_request_set_stratum (request, options->stratum);
  tw_map_request_set_geography (request, options->geography);
  brief.map = tw_map_request_compute (request, store, cancellable, error);
  if (brief.map == NULL)
    return FALSE;
  brief.layer = tw_area_layer_ref (tw_choropleth_get_layer (brief.map));
  geography_id = tw_area_layer_get_geography_id (brief.layer);
  brief.title = g_strdup (options->title != NULL ? options->title
                                                 : tw_choropleth_get_measure_label (brief.map));
  layout.title = brief.title;
  brief.export = tw_map_export_new (store, brief.map, &layout, cancellable, error);
  if (brief.export == NULL)
    return FALSE;

  rate_query.measure = options->measure;
  rate_query.period = options->period;
  rate_query.geography_id = geography_id;
  rate_query.method = TW_RATE_METHOD_CRUDE;
  brief.table = tw_rate_table_compute (store, &rate_query, NULL, cancellable, error);
  if (brief.table == NULL)
    return FALSE;
  brief.region = compute_region (brief.table);
  brief.projects = tw_project_list (store, error);
  if (brief.projects == NULL)
    return FALSE;

  base = g_path_get_basename (tw_store_get_path (store));
  brief.project_name = g_str_has_suffix (base, ".tractwise")
                       ? g_strndup (base, strlen (base) - strlen (".tractwise"))
                       : g_strdup (base);
  brief.today = tw_export_today ();
  {
    g_autofree char *unit = tw_choropleth_format_unit (brief.map);

    brief.unit = g_str_equal (unit, "%") ? g_strdup ("in percent") : g_steal_pointer (&unit);
  }

  doc.pages = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);
  doc_new_page (&doc);
  write_cover (&brief, &doc);
  doc_new_page (&doc);
  write_map (&brief, &doc);
  write_disparities (&brief, &doc);
  write_projects (&brief, &doc);
  ok = write_trends (&brief, &doc, cancellable, error);
  if (ok)
    {
      write_methods (&brief, &doc);
      g_clear_pointer (&doc.cr, cairo_destroy);
      ok = finish_pdf (&brief, &doc, path, error);
    }
  g_clear_pointer (&doc.cr, cairo_destroy);
  g_ptr_array_unref (doc.pages);
  if (!ok)
    return FALSE;

  p = tw_choropleth_get_policy (brief.map);
  policy = g_strdup_printf ("%s, k = %u", tw_suppression_preset_to_string (p->preset),
                            p->min_count);
  return tw_export_audit (store, "export-brief", path, "pdf", error,
                          "measure", options->measure, "period", options->period,
                          "stratum", brief.stratum, "policy", policy, NULL);
}
