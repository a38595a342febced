/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <pango/pangocairo.h>

G_BEGIN_DECLS

/*
 * The layout engine of the brief and the CHNA report: US letter pages set top to bottom in
 * one type scale, with headings, paragraphs and tables that break across pages, a running
 * head and "Page n of N" on every page.
 *
 * The document is written twice by the caller's TwDocWriteFunc: once to count the pages,
 * then onto the PDF surface itself with its structure tagged (headings, paragraphs, tables
 * with header cells, figures), as cairo 1.16 drops the tags of a recorded page when it is
 * replayed. The writer must therefore draw the same both times. Figures' alternative text
 * and the document's language, which cairo 1.16 cannot write, are added by tw-pdf-tags.
 */

#define TW_DOC_PAGE_WIDTH 612.0
#define TW_DOC_PAGE_HEIGHT 792.0
#define TW_DOC_MARGIN 54.0
#define TW_DOC_TEXT_WIDTH (TW_DOC_PAGE_WIDTH - 2 * TW_DOC_MARGIN)
#define TW_DOC_TOP (TW_DOC_MARGIN + 12.0)
#define TW_DOC_BOTTOM (TW_DOC_PAGE_HEIGHT - TW_DOC_MARGIN)
/* One scale of type for every page: headings, body, tables, notes and running heads. */
#define TW_DOC_HEADING_SIZE 18.0
#define TW_DOC_SUBHEADING_SIZE 13.0
#define TW_DOC_BODY_SIZE 10.0
#define TW_DOC_TABLE_SIZE 8.5
#define TW_DOC_SMALL_SIZE 7.5   /* notes, captions, running heads, the charts' axes */
#define TW_DOC_TEXT_COLOR 0x212121
#define TW_DOC_MUTED_COLOR 0x5F6368
#define TW_DOC_RULE_COLOR 0xBDBDBD
#define TW_DOC_ACCENT_COLOR 0x1A5FB4

typedef struct _TwDoc TwDoc;

/* The page being set: draw on @cr from @y down. */
struct _TwDoc
{
  cairo_t *cr;
  double   y;
};

typedef struct
{
  const char     *header;
  PangoAlignment  alignment;   /* right-aligned columns hold figures, never broken */
} TwDocColumn;

typedef struct
{
  const char *title;        /* the PDF's title */
  const char *language;     /* BCP 47, "en-US" */
  const char *head_left;    /* the running head over every page but the first */
  const char *head_right;
} TwDocInfo;

/* Sets the document on the pages given: the first page is begun before it is called. */
typedef void (*TwDocWriteFunc) (TwDoc    *doc,
                                gpointer  user_data);

/* Writes the PDF to @path (through a temporary file). */
gboolean    tw_doc_write_pdf         (const TwDocInfo *info,
                                      TwDocWriteFunc   write,
                                      gpointer         user_data,
                                      const char      *path,
                                      GError         **error);

/* Draws page @page (from 0) of the document on @cr, in points on a white page, for a
 * preview: untagged, without running head or page number. FALSE when there is no such
 * page. */
gboolean    tw_doc_render_page       (const TwDocInfo *info,
                                      TwDocWriteFunc   write,
                                      gpointer         user_data,
                                      guint            page,
                                      cairo_t         *cr);

void        tw_doc_new_page          (TwDoc          *doc);
/* Starts a new page unless @height fits below the cursor. */
void        tw_doc_ensure            (TwDoc          *doc,
                                      double          height);
/* The height of @text in @width points (≤ 0: one line). */
double      tw_doc_measure           (TwDoc          *doc,
                                      const char     *text,
                                      gboolean        markup,
                                      double          size,
                                      PangoWeight     weight,
                                      double          width);
double      tw_doc_text_width        (TwDoc          *doc,
                                      const char     *text,
                                      double          size,
                                      PangoWeight     weight);
/* A paragraph (P) across the text block. */
void        tw_doc_paragraph         (TwDoc          *doc,
                                      const char     *text,
                                      gboolean        markup,
                                      double          size,
                                      guint32         color);
/* A heading: H1 at TW_DOC_HEADING_SIZE or more, else H2. */
void        tw_doc_heading           (TwDoc          *doc,
                                      const char     *text,
                                      double          size);
/* A table of @rows, GStrv rows of @n_columns cells, with its header cells (TH) repeated on
 * each page it runs onto. */
void        tw_doc_table             (TwDoc             *doc,
                                      const TwDocColumn *columns,
                                      guint              n_columns,
                                      GPtrArray         *rows,
                                      double             size);
/* Structure around what the caller draws itself ("P", "H1", "Caption"…). */
void        tw_doc_tag_begin         (TwDoc          *doc,
                                      const char     *tag);
void        tw_doc_tag_end           (TwDoc          *doc,
                                      const char     *tag);
/* A figure with its alternative text, which should say what the figure shows. */
void        tw_doc_figure_begin      (TwDoc          *doc,
                                      const char     *alt);
void        tw_doc_figure_end        (TwDoc          *doc);
/* Text set with tw_typeset_text inside a tag; returns its height. */
double      tw_doc_text              (TwDoc          *doc,
                                      const char     *tag,
                                      const char     *text,
                                      gboolean        markup,
                                      double          size,
                                      PangoWeight     weight,
                                      double          x,
                                      double          y,
                                      double          width,
                                      PangoAlignment  alignment,
                                      guint32         color);

G_END_DECLS
