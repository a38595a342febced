/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "tw-geometry.h"
#include "tw-palette.h"

G_BEGIN_DECLS

/*
 * The choropleth renderer. The same code draws the map's 256-px tiles (in worker threads)
 * and every export, so the screen and the page agree.
 *
 * A TwMapStyle says how each area of a TwGeometrySet is drawn: the class it falls in (0 to
 * n_classes − 1), or one of the special kinds below. A style is immutable once built and
 * shared between threads by reference.
 */

enum
{
  TW_AREA_HIDDEN = 255,      /* not drawn at all */
  TW_AREA_NO_DATA = 254,     /* grey */
  TW_AREA_SUPPRESSED = 253,  /* hatched: fewer events than the privacy policy allows */
};

/* How an area is hatched over its fill. A suppressed area (TW_AREA_SUPPRESSED) is always
 * TW_HATCH_SUPPRESSED; a classed area may carry one of the other two over its class colour.
 * Each reads in light, dark and high-contrast styles and in greyscale print: they differ in
 * direction and shape, not only in colour. */
typedef enum
{
  TW_HATCH_NONE = 0,
  TW_HATCH_SUPPRESSED,  /* privacy: "/" lines in grey over a pale fill */
  TW_HATCH_UNRELIABLE,  /* shown but unstable: "\" lines, dark beside light, sparser */
  TW_HATCH_REVEALED,    /* analyst view: a figure only this screen shows; a grid of dots */
} TwHatch;

#define TW_N_HATCHES (TW_HATCH_REVEALED + 1)

typedef struct _TwMapStyle TwMapStyle;

TwMapStyle  *tw_map_style_new          (guint             n_areas,
                                        const TwPalette  *palette,
                                        guint             n_classes);
/* A style whose classes have the @n_colors colours given (0xRRGGBB) rather than a
 * ColorBrewer palette's: categories such as LISA cluster types, or a bivariate scheme.
 * tw_map_style_get_palette () returns NULL for it. */
TwMapStyle  *tw_map_style_new_with_colors (guint           n_areas,
                                        const guint32    *colors,
                                        guint             n_colors);
TwMapStyle  *tw_map_style_ref          (TwMapStyle       *self);
void         tw_map_style_unref        (TwMapStyle       *self);

/* Every area starts as TW_AREA_NO_DATA. */
void         tw_map_style_set_area     (TwMapStyle       *self,
                                        guint             area,
                                        guint8            kind);
guint8       tw_map_style_get_area     (TwMapStyle       *self,
                                        guint             area);
/* The hatch over a classed @area: TW_HATCH_NONE (the default), TW_HATCH_UNRELIABLE or
 * TW_HATCH_REVEALED. */
void         tw_map_style_set_hatch    (TwMapStyle       *self,
                                        guint             area,
                                        TwHatch           hatch);
/* What @area is drawn with: TW_HATCH_SUPPRESSED for a suppressed area. */
TwHatch      tw_map_style_get_hatch    (TwMapStyle       *self,
                                        guint             area);
guint        tw_map_style_get_n_areas  (TwMapStyle       *self);
guint        tw_map_style_get_n_classes (TwMapStyle      *self);
const TwPalette *tw_map_style_get_palette (TwMapStyle    *self);
/* The 0xRRGGBB colour an area of @kind is filled with (a hatched area: its background). */
guint32      tw_map_style_get_fill     (TwMapStyle       *self,
                                        guint8            kind);
/* Fill opacity, 0–1 (default 1). */
void         tw_map_style_set_opacity  (TwMapStyle       *self,
                                        double            opacity);

/* Draws the areas of @geometry that meet @view (world coordinates) onto @cr, whose user
 * space is the view's pixels: (0, 0) at the view's top left, @width × @height. */
void         tw_render_view            (TwGeometrySet    *geometry,
                                        TwMapStyle       *style,
                                        cairo_t          *cr,
                                        const TwBox      *view,
                                        double            width,
                                        double            height);

/* Adds the rings of @area to the current path of @cr, at the level of detail half a pixel
 * shows: world point (x, y) goes to ((x − @origin_x) × @scale, (y − @origin_y) × @scale).
 * For the overlays drawn over the map (outlines, highlights, footprints). */
void         tw_render_area_path       (cairo_t          *cr,
                                        TwGeometrySet    *geometry,
                                        guint             area,
                                        double            origin_x,
                                        double            origin_y,
                                        double            scale);

/* Fills the rectangle (@x, @y, @width, @height) of @cr with @fill (0xRRGGBB) and @hatch over
 * it as the map draws them, the hatch's spacing times @scale: legends' swatches (the window,
 * exports, the web map's tests). */
void         tw_render_hatched_rectangle (cairo_t        *cr,
                                        guint32           fill,
                                        TwHatch           hatch,
                                        double            x,
                                        double            y,
                                        double            width,
                                        double            height,
                                        double            scale);

/* Renders tile (@z, @x, @y) of the Web Mercator tile grid, @size pixels square, into a new
 * ARGB32 image surface (transparent where no area is). */
cairo_surface_t *tw_render_tile        (TwGeometrySet    *geometry,
                                        TwMapStyle       *style,
                                        int               z,
                                        int               x,
                                        int               y,
                                        int               size);

/* The world box of a tile. */
void         tw_tile_box               (int               z,
                                        int               x,
                                        int               y,
                                        TwBox            *box);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwMapStyle, tw_map_style_unref)

G_END_DECLS
