/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * ColorBrewer palettes for choropleths (sequential and diverging, 3 to 9 classes) and the
 * fixed colours the renderer and the legend use. Colours are 0xRRGGBB; the first colour
 * of a palette is for the lowest class.
 */

#define TW_PALETTE_MIN_CLASSES 3
#define TW_PALETTE_MAX_CLASSES 9
#define TW_PALETTE_DEFAULT_NAME "YlOrRd"
#define TW_PALETTE_DEFAULT_DIVERGING_NAME "RdBu"

typedef enum
{
  TW_PALETTE_SEQUENTIAL,
  TW_PALETTE_DIVERGING,
} TwPaletteKind;

/* Which palettes tw_palette_list_names() lists. */
typedef enum
{
  TW_PALETTE_FILTER_SEQUENTIAL     = 1 << 0,
  TW_PALETTE_FILTER_DIVERGING      = 1 << 1,
  TW_PALETTE_FILTER_COLORBLIND_SAFE = 1 << 2,
  TW_PALETTE_FILTER_ALL            = TW_PALETTE_FILTER_SEQUENTIAL | TW_PALETTE_FILTER_DIVERGING,
} TwPaletteFilter;

/* Colours that do not depend on the palette. */
typedef enum
{
  TW_COLOR_NO_DATA,             /* fill of an area without a value */
  TW_COLOR_SUPPRESSED_FILL,     /* background of a suppressed area */
  TW_COLOR_SUPPRESSED_HATCH,    /* hatch lines over a suppressed area */
  TW_COLOR_AREA_OUTLINE,        /* thin outline of every area */
  TW_COLOR_COUNTY_OUTLINE,
  TW_COLOR_STATE_OUTLINE,
  TW_COLOR_HOVER_OUTLINE,
  TW_COLOR_SELECTION_OUTLINE,
  TW_COLOR_PROJECT_OUTLINE,     /* footprint of a partner project's target areas */
  TW_COLOR_OFFLINE_BACKGROUND,  /* map background when no basemap is shown */
  TW_COLOR_LEGEND_TEXT,
  TW_N_FIXED_COLORS,
} TwFixedColor;

typedef struct _TwPalette TwPalette;

const TwPalette *tw_palette_lookup              (const char       *name);
const TwPalette *tw_palette_get_default         (TwPaletteKind     kind);
guint            tw_palette_get_n_palettes      (void);
const TwPalette *tw_palette_get_nth             (guint             index);
char           **tw_palette_list_names          (TwPaletteFilter   filter);

const char      *tw_palette_get_name            (const TwPalette  *palette);
TwPaletteKind    tw_palette_get_kind            (const TwPalette  *palette);
gboolean         tw_palette_is_colorblind_safe  (const TwPalette  *palette);

guint32          tw_palette_get_color           (const TwPalette  *palette,
                                                 guint             n_classes,
                                                 guint             index);
void             tw_palette_get_rgb             (const TwPalette  *palette,
                                                 guint             n_classes,
                                                 guint             index,
                                                 double           *red,
                                                 double           *green,
                                                 double           *blue);
void             tw_palette_get_bytes           (const TwPalette  *palette,
                                                 guint             n_classes,
                                                 guint             index,
                                                 guint8           *red,
                                                 guint8           *green,
                                                 guint8           *blue);

guint32          tw_palette_fixed_color         (TwFixedColor      color);
void             tw_palette_fixed_rgb           (TwFixedColor      color,
                                                 double           *red,
                                                 double           *green,
                                                 double           *blue);

void             tw_color_to_rgb                (guint32           color,
                                                 double           *red,
                                                 double           *green,
                                                 double           *blue);
char            *tw_color_to_hex                (guint32           color);

G_END_DECLS
