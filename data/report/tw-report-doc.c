/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-report-doc"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>

#include <cairo-pdf.h>

#include "tw-export-private.h"
#include "tw-pdf-tags.h"
#include "tw-report-doc.h"

#define HEADER_Y 32.0
/* Body text is set with a little more leading than the font's own. */
#define BODY_SPACING 1.15
#define CELL_PAD 3.0
#define ZEBRA_COLOR 0xF3F4F6

/* The engine's own state behind TwDoc: the first pass records each page to count them;
 * the second draws on the PDF surface, tagged. */
typedef struct
{
  TwDoc            doc;
  const TwDocInfo *info;
  gboolean         tagged;
  cairo_surface_t *pdf;
  GPtrArray       *recorded;   /* the first pass's pages */
  guint            page;       /* pages begun */
  guint            n_pages;    /* of the first pass */
  GPtrArray       *alts;       /* the figures' alternative texts, in order */
  /* A heading is kept with what follows it: when the first pass finds a page ending
   * under a heading, that heading starts a new page and the pages are set again. */
  GHashTable      *kept;       /* indices of the headings that start a page */
  guint            n_headings; /* set so far */
  int              open;       /* the last heading, while nothing follows it; or -1 */
  gboolean         open_at_top;
  gboolean         relayout;
} Engine;

/* Text */

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
  PangoLayout *layout = tw_typeset_layout (cr, size, weight);

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

double
tw_doc_measure (TwDoc       *doc,
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
double
tw_doc_text_width (TwDoc       *doc,
                   const char  *text,
                   double       size,
                   PangoWeight  weight)
{
  return tw_typeset_text_width (doc->cr, text, size, weight);
}

void
tw_doc_paragraph (TwDoc      *doc,
                  const char *text,
                  gboolean    markup,
                  double      size,
                  guint32     color)
{
  g_autoptr(PangoLayout) layout = text_layout (doc->cr, text, markup, size,
                                               PANGO_WEIGHT_NORMAL, TW_DOC_TEXT_WIDTH,
                                               BODY_SPACING);
  int w, h;

  pango_layout_get_size (layout, &w, &h);
  tw_doc_ensure (doc, (double) h / PANGO_SCALE);
  tw_doc_tag_begin (doc, "P");
  cairo_save (doc->cr);
  tw_typeset_set_color (doc->cr, color);
  cairo_move_to (doc->cr, TW_DOC_MARGIN, doc->y);
  pango_cairo_show_layout (doc->cr, layout);
  cairo_restore (doc->cr);
  tw_doc_tag_end (doc, "P");
  doc->y += (double) h / PANGO_SCALE + size * 0.6;
}

void
tw_doc_heading (TwDoc      *doc,
                const char *text,
                double      size)
{
  Engine *engine = (Engine *) doc;
  double h = tw_doc_measure (doc, text, FALSE, size, PANGO_WEIGHT_BOLD, TW_DOC_TEXT_WIDTH);
  guint index = engine->n_headings++;

  tw_doc_ensure (doc, h + 60);
  if (doc->y > TW_DOC_TOP
      && g_hash_table_contains (engine->kept, GUINT_TO_POINTER (index + 1)))
    tw_doc_new_page (doc);
  engine->open = (int) index;
  engine->open_at_top = doc->y <= TW_DOC_TOP;
  if (doc->y > TW_DOC_TOP)
    doc->y += size * 0.6;
  tw_doc_text (doc, size >= TW_DOC_HEADING_SIZE ? "H1" : "H2", text, FALSE, size,
               PANGO_WEIGHT_BOLD, TW_DOC_MARGIN, doc->y, TW_DOC_TEXT_WIDTH, PANGO_ALIGN_LEFT,
               size > TW_DOC_SUBHEADING_SIZE ? TW_DOC_ACCENT_COLOR : TW_DOC_TEXT_COLOR);
  doc->y += h + size * 0.45;
}

/* The widest word of @text. */
static double
widest_word (TwDoc       *doc,
             const char  *text,
             double       size,
             PangoWeight  weight)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  double w = 0;

  for (guint i = 0; words[i] != NULL; i++)
    w = MAX (w, tw_doc_text_width (doc, words[i], size, weight));
  return w;
}

/* TwDocColumn widths as a browser sets a table's: each column its text's width on one line
 * when the table fits, else its widest word (a figure's whole width) and a share of what
 * is left in proportion to what it lacks. */
static void
table_widths (TwDoc             *doc,
              const TwDocColumn *columns,
              guint              n_columns,
              GPtrArray         *rows,
              double             size,
              double            *widths)
{
  g_autofree double *natural = g_new0 (double, n_columns);
  g_autofree double *least = g_new0 (double, n_columns);
  double sum_natural = 0, sum_least = 0;

  for (guint c = 0; c < n_columns; c++)
    {
      gboolean figures = columns[c].alignment == PANGO_ALIGN_RIGHT;

      natural[c] = tw_doc_text_width (doc, columns[c].header, size, PANGO_WEIGHT_BOLD);
      least[c] = widest_word (doc, columns[c].header, size, PANGO_WEIGHT_BOLD);
      for (guint r = 0; r < rows->len; r++)
        {
          const char *cell = ((char **) g_ptr_array_index (rows, r))[c];
          double w;

          if (cell == NULL)
            continue;
          w = tw_doc_text_width (doc, cell, size, PANGO_WEIGHT_NORMAL);
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
      if (sum_natural <= TW_DOC_TEXT_WIDTH)
        widths[c] = natural[c] + (TW_DOC_TEXT_WIDTH - sum_natural) * natural[c] / sum_natural;
      else if (sum_least < TW_DOC_TEXT_WIDTH)
        widths[c] = least[c] + (TW_DOC_TEXT_WIDTH - sum_least) * (natural[c] - least[c])
                               / (sum_natural - sum_least);
      else
        widths[c] = least[c] * TW_DOC_TEXT_WIDTH / sum_least;
    }
}

static double
row_height (TwDoc         *doc,
            const double  *widths,
            guint          n_columns,
            char         **cells,
            double         size,
            PangoWeight    weight)
{
  double h = 0;

  for (guint c = 0; c < n_columns; c++)
    h = MAX (h, tw_doc_measure (doc, cells[c] != NULL ? cells[c] : "", FALSE, size, weight,
                             widths[c] - 2 * CELL_PAD));
  return h + 2 * CELL_PAD;
}

static void
draw_row (TwDoc              *doc,
          const TwDocColumn  *columns,
          const double       *widths,
          guint               n_columns,
          char              **cells,
          double              size,
          PangoWeight         weight,
          double              height,
          gboolean            shaded,
          const char         *cell_tag)   /* TH, TD; NULL: a repeated header, untagged */
{
  double x = TW_DOC_MARGIN;

  if (shaded)
    {
      cairo_save (doc->cr);
      tw_typeset_set_color (doc->cr, ZEBRA_COLOR);
      cairo_rectangle (doc->cr, TW_DOC_MARGIN, doc->y, TW_DOC_TEXT_WIDTH, height);
      cairo_fill (doc->cr);
      cairo_restore (doc->cr);
    }
  if (cell_tag != NULL)
    tw_doc_tag_begin (doc, "TR");
  for (guint c = 0; c < n_columns; c++)
    {
      if (cell_tag != NULL)
        tw_doc_tag_begin (doc, cell_tag);
      tw_typeset_text (doc->cr, cells[c] != NULL ? cells[c] : "", FALSE, size, weight,
                       x + CELL_PAD, doc->y + CELL_PAD, widths[c] - 2 * CELL_PAD,
                       columns[c].alignment, TW_DOC_TEXT_COLOR);
      if (cell_tag != NULL)
        tw_doc_tag_end (doc, cell_tag);
      x += widths[c];
    }
  if (cell_tag != NULL)
    tw_doc_tag_end (doc, "TR");
  doc->y += height;
}

static void
draw_rule (TwDoc  *doc,
           double  line_width)
{
  cairo_save (doc->cr);
  tw_typeset_set_color (doc->cr, TW_DOC_RULE_COLOR);
  cairo_set_line_width (doc->cr, line_width);
  cairo_move_to (doc->cr, TW_DOC_MARGIN, doc->y);
  cairo_line_to (doc->cr, TW_DOC_PAGE_WIDTH - TW_DOC_MARGIN, doc->y);
  cairo_stroke (doc->cr);
  cairo_restore (doc->cr);
}

/* A table; @rows holds GStrv rows of n_columns cells. The header repeats on each page.
 * A page holds the header and at least two rows of a table (or all of a shorter one): its
 * first two rows and its last two are kept together. */
void
tw_doc_table (TwDoc             *doc,
              const TwDocColumn *columns,
              guint              n_columns,
              GPtrArray         *rows,
              double             size)
{
  g_autofree char **header = g_new0 (char *, n_columns + 1);
  g_autofree double *widths = g_new0 (double, n_columns);
  g_autofree double *heights = g_new0 (double, rows->len + 1);
  double header_h;

  table_widths (doc, columns, n_columns, rows, size, widths);
  for (guint c = 0; c < n_columns; c++)
    header[c] = (char *) columns[c].header;
  header_h = row_height (doc, widths, n_columns, header, size, PANGO_WEIGHT_BOLD);
  for (guint r = 0; r < rows->len; r++)
    heights[r] = row_height (doc, widths, n_columns, g_ptr_array_index (rows, r), size,
                             PANGO_WEIGHT_NORMAL);

  /* Before the table's tag, so that a heading over it counts as followed by nothing yet. */
  tw_doc_ensure (doc, header_h + heights[0] + (rows->len > 1 ? heights[1] : 0) + 2);
  tw_doc_tag_begin (doc, "Table");
  for (guint r = 0; r <= rows->len; r++)
    {
      char **cells = r < rows->len ? g_ptr_array_index (rows, r) : NULL;
      double h = heights[r];

      /* The last two rows go over together rather than leave one alone under a header. */
      if (r >= 2 && r + 2 == rows->len)
        h += heights[r + 1];
      if (r == 0 || (cells != NULL && doc->y + h > TW_DOC_BOTTOM))
        {
          tw_doc_ensure (doc, header_h + h + 2);
          draw_row (doc, columns, widths, n_columns, header, size, PANGO_WEIGHT_BOLD, header_h,
                    FALSE, r == 0 ? "TH" : NULL);
          draw_rule (doc, 0.8);
        }
      if (cells == NULL)
        break;
      draw_row (doc, columns, widths, n_columns, cells, size, PANGO_WEIGHT_NORMAL, heights[r],
                r % 2 == 1, "TD");
    }
  draw_rule (doc, 0.8);
  tw_doc_tag_end (doc, "Table");
  doc->y += size * 1.5;
}

/* Tags */

void
tw_doc_tag_begin (TwDoc      *doc,
                  const char *tag)
{
  Engine *engine = (Engine *) doc;

  if (!g_str_equal (tag, "H1") && !g_str_equal (tag, "H2"))
    engine->open = -1;
  if (engine->tagged)
    cairo_tag_begin (doc->cr, tag, "");
}

void
tw_doc_tag_end (TwDoc      *doc,
                const char *tag)
{
  Engine *engine = (Engine *) doc;

  if (engine->tagged)
    cairo_tag_end (doc->cr, tag);
}

void
tw_doc_figure_begin (TwDoc      *doc,
                     const char *alt)
{
  Engine *engine = (Engine *) doc;

  engine->open = -1;
  if (!engine->tagged)
    return;
  g_ptr_array_add (engine->alts, g_strdup (alt));
  cairo_tag_begin (doc->cr, "Figure", "");
}

void
tw_doc_figure_end (TwDoc *doc)
{
  tw_doc_tag_end (doc, "Figure");
}

double
tw_doc_text (TwDoc          *doc,
             const char     *tag,
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
  double h;

  tw_doc_tag_begin (doc, tag);
  h = tw_typeset_text (doc->cr, text, markup, size, weight, x, y, width, alignment, color);
  tw_doc_tag_end (doc, tag);
  return h;
}

/* Pages */

/* One half of the running head, on one line: a long title is cut short with an
 * ellipsis rather than broken over the rule. */
static void
running_head (cairo_t        *cr,
              const char     *text,
              double          x,
              PangoAlignment  alignment)
{
  g_autoptr(PangoLayout) layout = text_layout (cr, text, FALSE, TW_DOC_SMALL_SIZE,
                                               PANGO_WEIGHT_NORMAL, TW_DOC_TEXT_WIDTH / 2 - 6,
                                               0);

  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, alignment);
  cairo_save (cr);
  tw_typeset_set_color (cr, TW_DOC_MUTED_COLOR);
  cairo_move_to (cr, x, HEADER_Y);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

/* The running head and the page number of the page being finished: not part of the
 * structure, as a reader of the text needs neither. */
static void
finish_page (Engine *engine)
{
  cairo_t *cr = engine->doc.cr;
  g_autofree char *number = g_strdup_printf ("Page %u of %u", engine->page, engine->n_pages);

  if (engine->page > 1)
    {
      running_head (cr, engine->info->head_left, TW_DOC_MARGIN, PANGO_ALIGN_LEFT);
      running_head (cr, engine->info->head_right, TW_DOC_PAGE_WIDTH / 2 + 6, PANGO_ALIGN_RIGHT);
      cairo_save (cr);
      tw_typeset_set_color (cr, TW_DOC_RULE_COLOR);
      cairo_set_line_width (cr, 0.5);
      cairo_move_to (cr, TW_DOC_MARGIN, HEADER_Y + 13);
      cairo_line_to (cr, TW_DOC_PAGE_WIDTH - TW_DOC_MARGIN, HEADER_Y + 13);
      cairo_stroke (cr);
      cairo_restore (cr);
    }
  tw_typeset_text (cr, number, FALSE, TW_DOC_SMALL_SIZE, PANGO_WEIGHT_NORMAL, TW_DOC_MARGIN,
                   TW_DOC_PAGE_HEIGHT - TW_DOC_MARGIN + 18, TW_DOC_TEXT_WIDTH,
                   PANGO_ALIGN_CENTER, TW_DOC_MUTED_COLOR);
  cairo_show_page (cr);
}

void
tw_doc_new_page (TwDoc *doc)
{
  Engine *engine = (Engine *) doc;

  if (engine->tagged)
    {
      if (engine->page > 0)
        finish_page (engine);
    }
  else
    {
      cairo_rectangle_t extents = { 0, 0, TW_DOC_PAGE_WIDTH, TW_DOC_PAGE_HEIGHT };
      cairo_surface_t *page = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA,
                                                              &extents);

      g_clear_pointer (&doc->cr, cairo_destroy);
      g_ptr_array_add (engine->recorded, page);
      doc->cr = cairo_create (page);
    }
  engine->page++;
  doc->y = TW_DOC_TOP;
}

void
tw_doc_ensure (TwDoc  *doc,
               double  height)
{
  Engine *engine = (Engine *) doc;

  if (doc->y + height <= TW_DOC_BOTTOM)
    return;
  /* A heading with nothing under it would end this page: it starts the next one. */
  if (!engine->tagged && engine->open >= 0 && !engine->open_at_top)
    {
      g_hash_table_add (engine->kept, GUINT_TO_POINTER (engine->open + 1));
      engine->relayout = TRUE;
    }
  engine->open = -1;
  tw_doc_new_page (doc);
}

/* The first pass alone: its pages recorded, untagged, each without head or number, set
 * again as long as a heading is found at a page's foot; @kept gathers those headings. */
static GPtrArray *
record_pages (const TwDocInfo *info,
              TwDocWriteFunc   write,
              gpointer         user_data,
              GHashTable      *kept)
{
  Engine engine = { 0 };

  engine.info = info;
  engine.kept = kept;
  for (guint pass = 0; pass == 0 || (engine.relayout && pass < 16); pass++)
    {
      g_clear_pointer (&engine.recorded, g_ptr_array_unref);
      engine.recorded = g_ptr_array_new_with_free_func ((GDestroyNotify) cairo_surface_destroy);
      engine.page = 0;
      engine.n_headings = 0;
      engine.open = -1;
      engine.relayout = FALSE;
      tw_doc_new_page (&engine.doc);
      write (&engine.doc, user_data);
      g_clear_pointer (&engine.doc.cr, cairo_destroy);
    }
  return engine.recorded;
}

gboolean
tw_doc_render_page (const TwDocInfo *info,
                    TwDocWriteFunc   write,
                    gpointer         user_data,
                    guint            page,
                    cairo_t         *cr)
{
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GHashTable) kept = g_hash_table_new (NULL, NULL);

  g_return_val_if_fail (info != NULL && write != NULL && cr != NULL, FALSE);

  pages = record_pages (info, write, user_data, kept);
  if (page >= pages->len)
    return FALSE;
  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, TW_DOC_PAGE_WIDTH, TW_DOC_PAGE_HEIGHT);
  cairo_fill (cr);
  cairo_set_source_surface (cr, g_ptr_array_index (pages, page), 0, 0);
  cairo_paint (cr);
  cairo_restore (cr);
  return TRUE;
}

gboolean
tw_doc_write_pdf (const TwDocInfo  *info,
                  TwDocWriteFunc    write,
                  gpointer          user_data,
                  const char       *path,
                  GError          **error)
{
  g_autofree char *tmp = g_strdup_printf ("%s.part", path);
  g_autoptr(GHashTable) kept = g_hash_table_new (NULL, NULL);
  Engine engine = { 0 };
  cairo_status_t status;

  g_return_val_if_fail (info != NULL && write != NULL && path != NULL, FALSE);

  /* The first pass sets the pages and counts them. */
  engine.info = info;
  engine.kept = kept;
  engine.open = -1;
  engine.recorded = record_pages (info, write, user_data, kept);
  engine.n_pages = engine.recorded->len;
  g_clear_pointer (&engine.recorded, g_ptr_array_unref);

  engine.tagged = TRUE;
  engine.page = 0;
  engine.alts = g_ptr_array_new_with_free_func (g_free);
  engine.pdf = cairo_pdf_surface_create (tmp, TW_DOC_PAGE_WIDTH, TW_DOC_PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (engine.pdf, CAIRO_PDF_METADATA_TITLE, info->title);
  cairo_pdf_surface_set_metadata (engine.pdf, CAIRO_PDF_METADATA_CREATOR,
                                  "Tractwise " PACKAGE_VERSION);
  engine.doc.cr = cairo_create (engine.pdf);
  cairo_tag_begin (engine.doc.cr, "Document", "");
  tw_doc_new_page (&engine.doc);
  write (&engine.doc, user_data);
  cairo_tag_end (engine.doc.cr, "Document");
  finish_page (&engine);
  status = cairo_status (engine.doc.cr);
  g_clear_pointer (&engine.doc.cr, cairo_destroy);
  cairo_surface_finish (engine.pdf);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (engine.pdf);
  cairo_surface_destroy (engine.pdf);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_ptr_array_unref (engine.alts);
      g_unlink (tmp);
      g_set_error (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_WRITE, "%s: cannot write: %s", path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  if (engine.n_pages != engine.page)
    g_warning ("%s: %u pages counted, %u written", path, engine.n_pages, engine.page);
  if (!tw_pdf_tags_complete (tmp, info->language, engine.alts, error))
    {
      g_ptr_array_unref (engine.alts);
      g_unlink (tmp);
      return FALSE;
    }
  g_ptr_array_unref (engine.alts);
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
