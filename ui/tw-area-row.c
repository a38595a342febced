/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-area-row"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "tw-area-row.h"
#include "tw-format.h"

G_DEFINE_FINAL_TYPE (TwAreaRow, tw_area_row, G_TYPE_OBJECT)

static void
tw_area_row_finalize (GObject *object)
{
  TwAreaRow *self = TW_AREA_ROW (object);

  for (guint i = 0; i < TW_N_AREA_COLUMNS; i++)
    g_free (self->text[i]);
  g_free (self->name_key);

  G_OBJECT_CLASS (tw_area_row_parent_class)->finalize (object);
}

static void
tw_area_row_class_init (TwAreaRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tw_area_row_finalize;
}

static void
tw_area_row_init (TwAreaRow *self)
{
  for (guint i = 0; i < TW_N_AREA_COLUMNS; i++)
    self->keys[i] = NAN;
}

TwAreaRow *
tw_area_row_new (guint area)
{
  TwAreaRow *self = g_object_new (TW_TYPE_AREA_ROW, NULL);

  self->area = area;
  return self;
}

void
tw_area_row_take (TwAreaRow    *self,
                  TwAreaColumn  column,
                  char         *text,
                  double        key)
{
  g_return_if_fail (TW_IS_AREA_ROW (self));
  g_return_if_fail (column < TW_N_AREA_COLUMNS);

  g_free (self->text[column]);
  self->text[column] = text;
  self->keys[column] = key;
}

int
tw_area_row_compare (TwAreaRow    *a,
                     TwAreaRow    *b,
                     TwAreaColumn  column)
{
  double ka = a->keys[column], kb = b->keys[column];

  /* Text columns sort by their text; numbers by value, with the empty ones last. */
  if (column == TW_AREA_COLUMN_NAME && a->name_key != NULL && b->name_key != NULL)
    {
      int c = strcmp (a->name_key, b->name_key);
      return c != 0 ? c : (a->area > b->area) - (a->area < b->area);
    }
  if (column == TW_AREA_COLUMN_GEOID || column == TW_AREA_COLUMN_NAME
      || column == TW_AREA_COLUMN_FLAGS)
    {
      int c = g_utf8_collate (a->text[column] ? a->text[column] : "",
                              b->text[column] ? b->text[column] : "");
      return c != 0 ? c : (a->area > b->area) - (a->area < b->area);
    }

  if (isnan (ka) || isnan (kb))
    {
      if (isnan (ka) && isnan (kb))
        return (a->area > b->area) - (a->area < b->area);
      return isnan (ka) ? 1 : -1;
    }
  if (ka != kb)
    return ka < kb ? -1 : 1;
  return (a->area > b->area) - (a->area < b->area);
}

int
tw_area_row_compare_has_rate (TwAreaRow *a,
                              TwAreaRow *b)
{
  return !!isnan (a->keys[TW_AREA_COLUMN_RATE]) - !!isnan (b->keys[TW_AREA_COLUMN_RATE]);
}

char *
tw_area_row_format_figure (double value)
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
  gboolean no_data = figure == NULL
                     || (isnan (figure->numerator) && isnan (figure->rate) && !figure->suppressed);
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
  tw_area_row_take (row, TW_AREA_COLUMN_DENOMINATOR, tw_area_row_format_figure (figure->denominator),
                    figure->denominator);
  if (!hidden)
    {
      tw_area_row_take (row, TW_AREA_COLUMN_COUNT, tw_area_row_format_figure (figure->numerator),
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
tw_area_rows_new (TwChoropleth *choropleth,
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
