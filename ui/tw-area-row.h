/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-area-layer.h"
#include "tw-choropleth.h"

G_BEGIN_DECLS

/*
 * One row of the table of areas: what the screen may show of an area's figures, as text,
 * and the keys the columns sort by. Figures the privacy policy hides are NaN here (unless
 * the analyst view made the row), so that not even the order of the rows gives them away.
 */

typedef enum
{
  TW_AREA_COLUMN_GEOID,
  TW_AREA_COLUMN_NAME,
  TW_AREA_COLUMN_COUNT,
  TW_AREA_COLUMN_DENOMINATOR,
  TW_AREA_COLUMN_RATE,
  TW_AREA_COLUMN_INTERVAL,
  TW_AREA_COLUMN_FLAGS,
  TW_N_AREA_COLUMNS,
} TwAreaColumn;

#define TW_TYPE_AREA_ROW (tw_area_row_get_type ())

G_DECLARE_FINAL_TYPE (TwAreaRow, tw_area_row, TW, AREA_ROW, GObject)

struct _TwAreaRow
{
  GObject  parent_instance;

  guint    area;                      /* index in the layer */
  double   keys[TW_N_AREA_COLUMNS];   /* numeric sort keys; NaN sorts last */
  char    *text[TW_N_AREA_COLUMNS];   /* what the cells show */
  char    *name_key;                  /* the name's collation key, made off the main loop */
  gboolean hidden;                    /* its figures are suppressed from this view */
  gboolean unstable;
};

TwAreaRow *tw_area_row_new     (guint          area);
/* Takes @text. */
void       tw_area_row_take    (TwAreaRow     *self,
                                TwAreaColumn   column,
                                char          *text,
                                double         key);
int        tw_area_row_compare (TwAreaRow     *a,
                                TwAreaRow     *b,
                                TwAreaColumn   column);
/* Rows without a rate (suppressed, no data) after those with one, whatever the order. */
int        tw_area_row_compare_has_rate (TwAreaRow *a,
                                         TwAreaRow *b);

/* A count or population as the table and the details card show it: whole numbers grouped
 * by the locale ("12,345"), others with one decimal, "—" for NAN. */
char      *tw_area_row_format_figure (double value);

/* The table's rows (TwAreaRow *) for @choropleth, in the table's first order (rows with a
 * rate first, the highest first). Safe in a worker thread. */
GPtrArray *tw_area_rows_new          (TwChoropleth *choropleth,
                                      TwAreaLayer  *layer,
                                      GCancellable *cancellable);

G_END_DECLS
