/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tw-renderer.h"

G_BEGIN_DECLS

/*
 * Colours for what Tractwise draws itself (the offline map, charts, legend swatches), taken
 * from the style so that they follow the light and dark styles and high contrast. Names are
 * libadwaita's named colours (window_bg_color, accent_color, error_color …) or ours, defined
 * in style.css and its -dark, -hc and -hc-dark companions (tw_map_background_color …).
 */

/* The colour text is drawn in on @widget. */
void     tw_style_get_foreground    (GtkWidget   *widget,
                                     GdkRGBA     *color);
/* The named colour @name as @widget's style defines it; @fallback (0xRRGGBB) where the
 * style has none, as in a program without Tractwise's style sheets. */
void     tw_style_lookup_color      (GtkWidget   *widget,
                                     const char  *name,
                                     guint32      fallback,
                                     GdkRGBA     *color);
guint32  tw_style_rgba_to_rgb       (const GdkRGBA *color);
/* @color with its alpha multiplied by @alpha, as the cairo source. */
void     tw_style_set_source        (cairo_t     *cr,
                                     const GdkRGBA *color,
                                     double       alpha);
gboolean tw_style_is_high_contrast  (void);

/* A legend's swatch of @fill (0xRRGGBB) under @hatch as the map draws it, with
 * an outline in @widget's text colour so that a pale or grey swatch stands out from the
 * card behind it in every style. */
void     tw_style_draw_swatch       (GtkWidget   *widget,
                                     cairo_t     *cr,
                                     int          width,
                                     int          height,
                                     guint32      fill,
                                     TwHatch      hatch);

/* A layout of @text in @widget's font at @scale times its size. */
PangoLayout *tw_style_create_layout (GtkWidget  *widget,
                                     const char *text,
                                     double      scale);
/* Draws @text at @scale times @widget's font size in the current source, placed so that
 * the point (@xalign, @yalign) of its box, each from 0 to 1, is at (@x, @y). */
void     tw_style_show_text         (GtkWidget   *widget,
                                     cairo_t     *cr,
                                     const char  *text,
                                     double       scale,
                                     double       x,
                                     double       y,
                                     double       xalign,
                                     double       yalign);

G_END_DECLS
