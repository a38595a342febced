/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-areas-table"

#include <math.h>
#include <glib/gi18n.h>

#include "tw-area-row.h"
#include "tw-areas-table.h"
#include "tw-format.h"

char *
tw_areas_table_format_figure (double value)
{
  if (isnan (value))
    return g_strdup ("—");
  if (value == floor (value) && fabs (value) < 1e15)
    return tw_format_count_locale ((gint64) value);
  return g_strdup_printf ("%.1f", value);
}

static TwAreaRow *
make_row (TwChoropleth *choropleth,
          TwAreaLayer  *layer,
          guint         area,
          const char   *suppressed_flag)
{
  const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, area);
  TwAreaRow *row = tw_area_row_new (area);
  const char *name = tw_area_layer_get_name (layer, area);
  gboolean reveal = tw_choropleth_get_reveal (choropleth);
  /* A hidden area has no count here (THE RULE), yet it has data. */
  gboolean no_data = figure == NULL || (isnan (figure->numerator) && !figure->suppressed);
  gboolean hidden = !no_data && figure->suppressed && !reveal;
  g_autoptr(GPtrArray) flags = g_ptr_array_new ();

  tw_area_row_take (row, TW_AREA_COLUMN_GEOID,
                    g_utf8_make_valid (tw_area_layer_get_geoid (layer, area), -1), NAN);
  tw_area_row_take (row, TW_AREA_COLUMN_NAME,
                    g_utf8_make_valid (name != NULL ? name : "", -1), NAN);
  row->name_key = g_utf8_collate_key (row->text[TW_AREA_COLUMN_NAME], -1);
  if (no_data)
    {
      tw_area_row_take (row, TW_AREA_COLUMN_FLAGS, g_strdup (_("no data")), NAN);
      return row;
    }

  /* The denominator is public; hidden figures are blank and sort last, never by value. */
  tw_area_row_take (row, TW_AREA_COLUMN_DENOMINATOR, tw_areas_table_format_figure (figure->denominator),
                    figure->denominator);
  if (!hidden)
    {
      tw_area_row_take (row, TW_AREA_COLUMN_COUNT, tw_areas_table_format_figure (figure->numerator),
                        figure->numerator);
      tw_area_row_take (row, TW_AREA_COLUMN_RATE,
                        tw_choropleth_format_rate (choropleth, figure->rate), figure->rate);
      if (!isnan (figure->lower) && !isnan (figure->upper))
        {
          g_autofree char *lower = tw_choropleth_format_rate (choropleth, figure->lower);
          g_autofree char *upper = tw_choropleth_format_rate (choropleth, figure->upper);
          tw_area_row_take (row, TW_AREA_COLUMN_INTERVAL,
                            g_strdup_printf ("%s – %s", lower, upper), figure->lower);
        }
    }

  row->hidden = hidden;
  row->unstable = !figure->suppressed && figure->unstable;
  if (figure->suppressed)
    g_ptr_array_add (flags, (gpointer) suppressed_flag);
  else if (figure->unstable)
    g_ptr_array_add (flags, _("unstable"));
  g_ptr_array_add (flags, NULL);
  tw_area_row_take (row, TW_AREA_COLUMN_FLAGS, g_strjoinv (", ", (char **) flags->pdata), NAN);

  return row;
}

/* The table's first order (setup_table): rows with a rate first, the highest first. */
static int
compare_rows_by_rate (gconstpointer a,
                      gconstpointer b)
{
  TwAreaRow *x = *(TwAreaRow **) a, *y = *(TwAreaRow **) b;
  int c = tw_area_row_compare_has_rate (x, y);

  return c != 0 ? c : -tw_area_row_compare (x, y, TW_AREA_COLUMN_RATE);
}

GPtrArray *
tw_areas_table_make_rows (TwChoropleth *choropleth,
                          TwAreaLayer  *layer,
                          GCancellable *cancellable)
{
  guint n = tw_area_layer_get_n_areas (layer);
  GPtrArray *rows = g_ptr_array_new_full (n, g_object_unref);
  /* Translators: a flag in the table of areas */
  const char *flag = tw_choropleth_get_reveal (choropleth) ? _("suppressed (shown)")
                                                           : _("suppressed");

  for (guint i = 0; i < n; i++)
    {
      if ((i & 1023) == 0 && g_cancellable_is_cancelled (cancellable))
        break;
      g_ptr_array_add (rows, make_row (choropleth, layer, i, flag));
    }

  /* In the table's first order, so that sorting them again on the main loop is one pass. */
  g_ptr_array_sort (rows, compare_rows_by_rate);
  return rows;
}
