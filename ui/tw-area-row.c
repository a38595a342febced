/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-area-row"

#include <math.h>
#include <string.h>

#include "tw-area-row.h"

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
