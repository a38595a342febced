/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-map-view"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "tw-analysis-legend.h"
#include "tw-analysis-panel.h"
#include "tw-area-origins.h"
#include "tw-area-row.h"
#include "tw-areas-table.h"
#include "tw-background-source.h"
#include "tw-choropleth-source.h"
#include "tw-format.h"
#include "tw-sparkline.h"
#include "tw-highlight-layer.h"
#include "tw-map-keys.h"
#include "tw-map-scale.h"
#include "tw-map-view.h"
#include "tw-policy-text.h"
#include "tw-outlines.h"
#include "tw-session-signals.h"
#include "tw-style.h"
#include "tw-swatch.h"

struct _TwMapView
{
  GtkBox                parent_instance;

  /* Template widgets */
  TwAnalysisPanel      *analysis_panel;
  ShumateSimpleMap     *map;
  GtkProgressBar       *map_progress;
  TwMapScale           *scale;
  GtkWidget            *legend_card;
  GtkLabel             *legend_title;
  GtkLabel             *legend_subtitle;
  GtkGrid              *legend_rows;
  GtkWidget            *details_card;
  GtkLabel             *details_name;
  GtkLabel             *details_geoid;
  GtkLabel             *details_body;
  TwSparkline          *details_sparkline;
  GtkLabel             *details_flag;
  GtkLabel             *details_comments;
  GtkWidget            *details_comment_button;

  /* Owned references */
  TwMapSession         *session;
  GSignalGroup          *session_signals;
  ShumateMapLayer      *osm_layer;
  ShumateMapLayer      *choropleth_layer;
  TwHighlightLayer     *highlight;
  TwChoroplethSource   *choropleth_source;
  GCancellable         *outlines_cancellable;
  char                 *legend_text;   /* as a screen reader reads it */
  GHashTable           *origins;       /* GEOID → TwAreaOrigin of a converted geography */
  GCancellable         *origins_cancellable;

  /* Borrowed references */
  ShumateLayer         *footprints;

  gboolean              osm_basemap;
  gboolean              show_analysis;
  gboolean              refit_pending;  /* fit the layer again when its legend appears */
  TwBox                 refit_box;
  gboolean              zoom_pending;   /* a fit waiting for the map's size */
  TwBox                 pending_box;
  double                pending_max_zoom;
  gboolean              outlines_started;  /* county and state lines, once a map is drawn */
  /* The last fit: while the view is still where it put it, a new size fits it again. */
  TwBox                 fit_box;
  double                fit_max_zoom, fit_zoom, fit_lat, fit_lon;
  int                   fit_width, fit_height;
  gboolean              fitted;
  guint                 refit_tick;
  guint                 progress_id;
  guint                 drawn_id;
};

G_DEFINE_FINAL_TYPE (TwMapView, tw_map_view, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_OSM_BASEMAP,
  PROP_SHOW_ANALYSIS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DRAWN,
  AREA_COMMENTS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define OSM_OPACITY 0.78

/* County and state lines, and the layer they belong to. */
typedef struct
{
  TwAreaLayer *layer;
  TwLineSet   *counties;   /* may be NULL */
  TwLineSet   *states;     /* may be NULL */
} Outlines;

static void
outlines_free (Outlines *outlines)
{
  g_clear_pointer (&outlines->layer, tw_area_layer_unref);
  g_clear_pointer (&outlines->counties, tw_line_set_unref);
  g_clear_pointer (&outlines->states, tw_line_set_unref);
  g_free (outlines);
}

static gboolean
pulse_progress (gpointer bar)
{
  gtk_progress_bar_pulse (bar);
  return G_SOURCE_CONTINUE;
}

static void
update_map_busy (TwMapView *self)
{
  gboolean busy = tw_map_session_get_busy (self->session);

  gtk_widget_set_visible (GTK_WIDGET (self->map_progress), busy);
  if (busy && self->progress_id == 0)
    self->progress_id = g_timeout_add (120, pulse_progress, self->map_progress);
  else if (!busy)
    g_clear_handle_id (&self->progress_id, g_source_remove);
}

/* Layers of the map */

/* Overlays from the bottom: OpenStreetMap, the choropleth, the highlights. libshumate 1.0.3
 * declares shumate_simple_map_insert_overlay_layer () but does not export it, so the
 * overlays are taken off and added back in order. */
static void
restack_overlays (TwMapView *self)
{
  ShumateLayer *layers[] = {
    SHUMATE_LAYER (self->osm_layer),
    SHUMATE_LAYER (self->choropleth_layer),
    self->footprints,
    SHUMATE_LAYER (self->highlight),
  };

  for (guint i = 0; i < G_N_ELEMENTS (layers); i++)
    if (layers[i] != NULL && gtk_widget_get_parent (GTK_WIDGET (layers[i])) != NULL)
      shumate_simple_map_remove_overlay_layer (self->map, layers[i]);
  for (guint i = 0; i < G_N_ELEMENTS (layers); i++)
    if (layers[i] != NULL)
      shumate_simple_map_add_overlay_layer (self->map, layers[i]);
}

static void
set_choropleth_layer (TwMapView          *self,
                      TwChoroplethSource *source)
{
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);

  if (self->choropleth_layer != NULL)
    shumate_simple_map_remove_overlay_layer (self->map, SHUMATE_LAYER (self->choropleth_layer));
  g_clear_object (&self->choropleth_layer);
  g_clear_object (&self->choropleth_source);

  if (source == NULL)
    return;

  self->choropleth_source = g_object_ref (source);
  self->choropleth_layer = g_object_ref_sink (shumate_map_layer_new (SHUMATE_MAP_SOURCE (source),
                                                                     viewport));
  gtk_widget_set_opacity (GTK_WIDGET (self->choropleth_layer),
                          self->osm_layer != NULL ? OSM_OPACITY : 1.0);
  restack_overlays (self);
}

/* Shows the choropleth's style in a new source, unless the one shown draws the same tiles
 * already: then its tiles stay in libshumate's cache. */
static void
show_choropleth_style (TwMapView *self)
{
  g_autoptr(TwChoroplethSource) source = NULL;
  TwMapStyle *style;

  if (tw_map_session_get_choropleth (self->session) == NULL || tw_map_session_get_layer (self->session) == NULL)
    return;
  style = tw_choropleth_get_style (tw_map_session_get_choropleth (self->session));
  if (self->choropleth_source != NULL
      && tw_choropleth_source_get_geometry (self->choropleth_source)
         == tw_area_layer_get_geometry (tw_map_session_get_layer (self->session))
      && tw_choropleth_source_draws (self->choropleth_source, style))
    return;

  source = tw_choropleth_source_new (tw_area_layer_get_geometry (tw_map_session_get_layer (self->session)), style);
  shumate_map_source_set_license (SHUMATE_MAP_SOURCE (source), NULL);
  set_choropleth_layer (self, source);
}

static void
update_osm_layer (TwMapView *self)
{

  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);

  if (self->osm_basemap && self->osm_layer == NULL
      && TW_IS_BACKGROUND_SOURCE (shumate_simple_map_get_map_source (self->map)))
    {
      g_autoptr(ShumateMapSourceRegistry) registry =
        shumate_map_source_registry_new_with_defaults ();
      ShumateMapSource *osm = shumate_map_source_registry_get_by_id (registry,
                                                                     SHUMATE_MAP_SOURCE_OSM_MAPNIK);

      if (osm == NULL)
        return;
      /* Over the offline background, so a tile that cannot be fetched shows it instead of
       * an empty square. */
      self->osm_layer = g_object_ref_sink (shumate_map_layer_new (osm, viewport));
      restack_overlays (self);
      shumate_license_append_map_source (shumate_simple_map_get_license (self->map), osm);
    }
  else if (!self->osm_basemap && self->osm_layer != NULL)
    {
      ShumateMapSource *osm = NULL;

      g_object_get (self->osm_layer, "map-source", &osm, NULL);
      if (osm != NULL)
        shumate_license_remove_map_source (shumate_simple_map_get_license (self->map), osm);
      g_clear_object (&osm);
      shumate_simple_map_remove_overlay_layer (self->map, SHUMATE_LAYER (self->osm_layer));
      g_clear_object (&self->osm_layer);
    }

  if (self->choropleth_layer != NULL)
    gtk_widget_set_opacity (GTK_WIDGET (self->choropleth_layer),
                            self->osm_layer != NULL ? OSM_OPACITY : 1.0);
}

static void
set_background (TwMapView *self,
                Outlines  *result)
{
  g_autoptr(TwBackgroundSource) background = NULL;

  background = tw_background_source_new ();
  /* The areas themselves, faint; then counties and states over them. */
  tw_background_source_add_lines (background, tw_background_draw_area_outlines,
                                  tw_geometry_set_ref (tw_area_layer_get_geometry (result->layer)),
                                  (GDestroyNotify) tw_geometry_set_unref,
                                  TW_BACKGROUND_LINES_AREAS, 0.5);
  if (result->counties != NULL)
    tw_background_source_add_lines (background, (TwBackgroundDrawFunc) tw_line_set_draw,
                                    tw_line_set_ref (result->counties),
                                    (GDestroyNotify) tw_line_set_unref,
                                    TW_BACKGROUND_LINES_COUNTIES, 0.8);
  if (result->states != NULL)
    tw_background_source_add_lines (background, (TwBackgroundDrawFunc) tw_line_set_draw,
                                    tw_line_set_ref (result->states),
                                    (GDestroyNotify) tw_line_set_unref,
                                    TW_BACKGROUND_LINES_STATES, 1.4);
  shumate_map_source_set_license (SHUMATE_MAP_SOURCE (background),
                                  _("Boundaries: project data"));
  tw_background_source_show (background, self->map);
  update_osm_layer (self);
}

static void zoom_to_box (TwMapView *self, const TwBox *box, double max_zoom);

/* The fit asked for before the map had its size: made while the map is laid out (the
 * overlay places its cards), so that no frame is drawn at the view before it. */
static gboolean
zoom_when_allocated (GtkWidget     *widget,
                     GdkFrameClock *clock,
                     gpointer       user_data)
{
  TwMapView *self = TW_MAP_VIEW (widget);

  if (!self->zoom_pending)
    return G_SOURCE_REMOVE;
  if (gtk_widget_get_width (GTK_WIDGET (self->map)) < 64
      || gtk_widget_get_height (GTK_WIDGET (self->map)) < 64)
    return G_SOURCE_CONTINUE;
  self->zoom_pending = FALSE;
  zoom_to_box (self, &self->pending_box, self->pending_max_zoom);
  return G_SOURCE_REMOVE;
}

/* Shows @box (world coordinates) as large as it fits. */
static void
zoom_to_box (TwMapView   *self,
             const TwBox *box,
             double       max_zoom)
{
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
  GtkWidget *widget = GTK_WIDGET (self->map);
  double width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  double dx = MAX (box->max_x - box->min_x, 1e-9), dy = MAX (box->max_y - box->min_y, 1e-9);
  double lon, lat, zoom, shift_x = 0.0, shift_y = 0.0;

  /* Before the first layout, zoom once the map knows its size. */
  if (width < 64 || height < 64)
    {
      if (!self->zoom_pending)
        gtk_widget_add_tick_callback (GTK_WIDGET (self), zoom_when_allocated, NULL, NULL);
      self->zoom_pending = TRUE;
      self->pending_box = *box;
      self->pending_max_zoom = max_zoom;
      return;
    }
  self->zoom_pending = FALSE;

  zoom = log2 (MIN (width * 0.9 / (dx * 256), height * 0.9 / (dy * 256)));

  /* The legend card covers the map's lower left corner: fit the box beside it or above
   * it, whichever shows it larger. */
  if (gtk_widget_get_visible (self->legend_card))
    {
      int legend_width, legend_height;
      double beside, above;

      gtk_widget_measure (self->legend_card, GTK_ORIENTATION_HORIZONTAL, -1, NULL,
                          &legend_width, NULL, NULL);
      gtk_widget_measure (self->legend_card, GTK_ORIENTATION_VERTICAL, legend_width, NULL,
                          &legend_height, NULL, NULL);
      legend_width += gtk_widget_get_margin_start (self->legend_card) + 12;
      legend_height += gtk_widget_get_margin_bottom (self->legend_card) + 12;
      beside = log2 (MIN ((width - legend_width) * 0.9 / (dx * 256),
                          height * 0.9 / (dy * 256)));
      above = log2 (MIN (width * 0.9 / (dx * 256),
                         (height - legend_height) * 0.9 / (dy * 256)));
      if (width > legend_width && beside >= above && beside > zoom - 1)
        {
          zoom = CLAMP (beside, 1, max_zoom);
          shift_x = legend_width / 2.0;
        }
      else if (height > legend_height && above > zoom - 1)
        {
          zoom = CLAMP (above, 1, max_zoom);
          shift_y = -legend_height / 2.0;
        }
    }

  zoom = CLAMP (zoom, 1, max_zoom);
  /* The view's centre moves the other way by the shift, in world units at this zoom. */
  tw_world_to_lonlat ((box->min_x + box->max_x) / 2 - shift_x / (256 * exp2 (zoom)),
                      (box->min_y + box->max_y) / 2 - shift_y / (256 * exp2 (zoom)),
                      &lon, &lat);
  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);

  self->fit_box = *box;
  self->fit_max_zoom = max_zoom;
  self->fit_zoom = shumate_viewport_get_zoom_level (viewport);
  self->fit_lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
  self->fit_lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  self->fit_width = width;
  self->fit_height = height;
  self->fitted = TRUE;
}

/* Whether the view is still where the last fit put it: not zoomed or moved since. */
static gboolean
view_is_fitted (TwMapView *self)
{
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);

  return self->fitted
         && fabs (shumate_viewport_get_zoom_level (viewport) - self->fit_zoom) < 1e-6
         && fabs (shumate_location_get_latitude (SHUMATE_LOCATION (viewport))
                  - self->fit_lat) < 1e-6
         && fabs (shumate_location_get_longitude (SHUMATE_LOCATION (viewport))
                  - self->fit_lon) < 1e-6;
}

static gboolean
refit_after_resize (GtkWidget     *widget,
                    GdkFrameClock *clock,
                    gpointer       user_data)
{
  TwMapView *self = TW_MAP_VIEW (widget);

  self->refit_tick = 0;
  if (view_is_fitted (self))
    zoom_to_box (self, &self->fit_box, self->fit_max_zoom);

  return G_SOURCE_REMOVE;
}

/* Details and legend */

static gboolean
figure_hidden (TwMapView          *self,
               const TwAreaFigure *figure)
{
  return figure->suppressed && !tw_choropleth_get_reveal (tw_map_session_get_choropleth (self->session));
}

static char *
suppressed_text (TwChoropleth *choropleth)
{
  const TwSuppressionPolicy *policy = tw_choropleth_get_policy (choropleth);

  return g_strdup_printf (_("Suppressed (fewer than %d events)"),
                          policy != NULL ? (int) policy->min_count
                                         : TW_SUPPRESSION_DEFAULT_MIN_COUNT);
}

/* The kind a change map gives the changes it cannot tell from none: the one after its
 * classes (tw_choropleth_new_change ()). */
static guint
undetermined_kind (TwChoropleth *choropleth)
{
  return tw_map_style_get_n_classes (tw_choropleth_get_style (choropleth)) - 1;
}

/* A change map's card: the two rates and their change with its interval; nothing of a
 * change either end of which is hidden. Returns the flag to show, or NULL. */
static char *
append_change_details (TwMapView          *self,
                       int                 area,
                       const TwAreaFigure *figure,
                       GString            *body)
{
  TwChoropleth *choropleth = tw_map_session_get_choropleth (self->session);
  g_autofree char *unit = tw_choropleth_format_unit (choropleth);
  g_autofree char *change = NULL, *lower = NULL, *upper = NULL;
  g_autofree char *from_text = NULL, *to_text = NULL;
  double from = NAN, to = NAN;

  if (figure->kind == TW_AREA_NO_DATA)
    {
      g_string_append (body, _("No change to show: a period has no data for this group."));
      return NULL;
    }
  if (figure_hidden (self, figure) || figure->withheld)
    {
      g_autofree char *suppressed = suppressed_text (choropleth);

      g_string_append (body, _("The change is not shown: a figure it is made of is "
                               "suppressed."));
      return g_strdup_printf (_("%s in a period it is made of"), suppressed);
    }
  tw_choropleth_get_change_ends (choropleth, area, &from, &to);
  if (isnan (from) && isnan (to))
    {
      change = tw_choropleth_format_rate (choropleth, figure->rate);
      lower = tw_choropleth_format_rate (choropleth, figure->lower);
      upper = tw_choropleth_format_rate (choropleth, figure->upper);
      /* Translators: a trend: the annual percent change and its interval */
      g_string_append_printf (body, _("Annual change: %s %s\n95%% interval: %s – %s"),
                              change, unit, lower, upper);
      return figure->kind == undetermined_kind (choropleth)
             ? g_strdup (_("The data cannot tell this trend from none.")) : NULL;
    }
  from_text = tw_format_decimal (from, tw_choropleth_get_decimals (choropleth), TRUE, FALSE);
  to_text = tw_format_decimal (to, tw_choropleth_get_decimals (choropleth), TRUE, FALSE);
  change = tw_choropleth_format_rate (choropleth, figure->rate);
  lower = tw_choropleth_format_rate (choropleth, figure->lower);
  upper = tw_choropleth_format_rate (choropleth, figure->upper);
  /* Translators: the rates of the two periods, then their change and its interval */
  g_string_append_printf (body, _("Rate: %s → %s\nChange: %s %s\n95%% interval: %s – %s"),
                          from_text, to_text, change, unit, lower, upper);
  if (figure->kind == undetermined_kind (choropleth))
    return g_strdup (_("The data cannot tell this change from no change."));
  if (figure->suppressed)
    return g_strdup (_("Suppressed for everyone else: shown here because the analyst view "
                       "is on."));
  if (figure->status == TW_FIGURE_UNRELIABLE)
    /* Translators: %s says why, from the policy's rule: "RSE 35% (7 events)" */
    return g_strdup_printf (_("Unreliable in a period it is made of: %s. Read with care."),
                            figure->reason);
  return NULL;
}

/* The area's published rates period by period, with a map of change or trend. */
static void
update_sparkline (TwMapView *self,
                  int        area)
{
  TwChoropleth *choropleth = tw_map_session_get_choropleth (self->session);
  const char *const *periods = NULL;
  guint n = 0;
  const double *rates = tw_map_session_get_series (self->session, area, &periods, &n);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  if (rates == NULL || choropleth == NULL)
    {
      tw_sparkline_set_values (self->details_sparkline, NULL, NULL, NULL, 0);
      return;
    }
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (texts, tw_format_published (rates[i], TRUE, FALSE, "—"));
  g_ptr_array_add (texts, NULL);
  tw_sparkline_set_values (self->details_sparkline, rates, periods,
                           (const char *const *) texts->pdata, n);
}

/* Why a hidden figure is hidden, with no count in it. */
static char *
hidden_text (TwChoropleth       *choropleth,
             const TwAreaFigure *figure)
{
  if (figure->status == TW_FIGURE_COMPLEMENTARY)
    return g_strdup (_("Suppressed so that no other area's hidden count can be worked out"));
  return suppressed_text (choropleth);
}

static void
update_details (TwMapView *self)
{
  int selected = tw_map_session_get_selected_area (self->session);
  int hovered = tw_map_session_get_hovered_area (self->session);
  int area = hovered >= 0 ? hovered : selected;
  const TwAreaFigure *figure;
  const char *name, *geoid;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *flag = NULL;
  g_autofree char *geoid_text = NULL;
  g_autofree char *comments = NULL;

  if (tw_map_session_get_layer (self->session) == NULL || tw_map_session_get_choropleth (self->session) == NULL || area < 0
      || (guint) area >= tw_area_layer_get_n_areas (tw_map_session_get_layer (self->session)))
    {
      gtk_widget_set_visible (self->details_card, FALSE);
      return;
    }

  figure = tw_choropleth_get_figure (tw_map_session_get_choropleth (self->session), area);
  geoid = tw_area_layer_get_geoid (tw_map_session_get_layer (self->session), area);
  name = tw_area_layer_get_name (tw_map_session_get_layer (self->session), area);
  {
    g_autofree char *valid_name = g_utf8_make_valid (name != NULL && *name ? name : geoid, -1);
    gtk_label_set_text (self->details_name, valid_name);
  }
  geoid_text = g_strdup_printf (_("GEOID %s"), geoid);
  {
    g_autofree char *valid = g_utf8_make_valid (geoid_text, -1);
    gtk_label_set_text (self->details_geoid, valid);
  }

  if (figure != NULL && tw_choropleth_is_change (tw_map_session_get_choropleth (self->session)))
    flag = append_change_details (self, area, figure, body);
  else if (figure != NULL && figure->status == TW_FIGURE_NOT_APPLICABLE)
    g_string_append (body, _("No population for this period and group, so no rate."));
  else if (figure == NULL || figure->kind == TW_AREA_NO_DATA
      || (isnan (figure->numerator) && !figure->suppressed))
    g_string_append (body, _("No data for this period and group."));
  else if (figure_hidden (self, figure) || figure->withheld)
    {
      g_autofree char *denominator = tw_area_row_format_figure (figure->denominator);

      /* Only the population is public; the count and all it gives are not. */
      g_string_append_printf (body, _("Population: %s"), denominator);
      if (figure->withheld)
        {
          const TwSuppressionPolicy *policy = tw_choropleth_get_policy (tw_map_session_get_choropleth (self->session));

          /* Translators: an area a share package holds no figures for; %d is the policy's k */
          flag = g_strdup_printf (_("Suppressed in the shared copy (policy k = %d): its count "
                                    "and rate were not shared."),
                                  policy != NULL ? (int) policy->min_count
                                                 : TW_SUPPRESSION_DEFAULT_MIN_COUNT);
        }
      else
        flag = hidden_text (tw_map_session_get_choropleth (self->session), figure);
    }
  else
    {
      g_autofree char *count = tw_area_row_format_figure (figure->numerator);
      g_autofree char *denominator = tw_area_row_format_figure (figure->denominator);
      g_autofree char *unit = tw_choropleth_format_unit (tw_map_session_get_choropleth (self->session));
      g_autofree char *rate = tw_choropleth_format_rate (tw_map_session_get_choropleth (self->session), figure->rate);
      g_autofree char *lower = tw_choropleth_format_rate (tw_map_session_get_choropleth (self->session), figure->lower);
      g_autofree char *upper = tw_choropleth_format_rate (tw_map_session_get_choropleth (self->session), figure->upper);

      g_string_append_printf (body, _("Count: %s\nPopulation: %s\nRate: %s %s\n"
                                      "95%% interval: %s – %s"),
                              count, denominator, rate, unit, lower, upper);
      if (figure->rank > 0)
        {
          g_autofree char *rank = tw_format_count_locale (figure->rank);
          g_string_append_c (body, '\n');
          /* Translators: the area's place when areas are ordered by rate, highest first */
          g_string_append_printf (body, _("Rank: %s (1 = highest rate)"), rank);
        }
      if (figure->suppressed)
        {
          g_autofree char *suppressed = hidden_text (tw_map_session_get_choropleth (self->session),
                                                     figure);
          flag = g_strdup_printf (_("%s for everyone else: shown here because the analyst "
                                    "view is on."), suppressed);
        }
      else if (figure->status == TW_FIGURE_UNRELIABLE)
        /* Translators: %s says why, from the policy's rule: "RSE 35% (7 events)" */
        flag = g_strdup_printf (_("Unreliable: %s. Read with care."), figure->reason);
    }

  if (self->origins != NULL && g_hash_table_contains (self->origins, geoid))
    {
      gboolean shown = figure != NULL && figure->kind != TW_AREA_NO_DATA
                       && !isnan (figure->numerator) && !figure_hidden (self, figure)
                       && !figure->withheld;
      g_autofree char *origin = tw_area_origin_describe (g_hash_table_lookup (self->origins,
                                                                              geoid), shown);

      g_string_append_printf (body, "\n%s", origin);
    }
  gtk_label_set_text (self->details_body, body->str);
  update_sparkline (self, area);
  gtk_label_set_text (self->details_flag, flag != NULL ? flag : "");
  gtk_widget_set_visible (GTK_WIDGET (self->details_flag), flag != NULL);
  g_signal_emit (self, signals[AREA_COMMENTS], 0,
                 tw_area_layer_get_geography_name (tw_map_session_get_layer (self->session)),
                                             geoid, &comments);
  gtk_label_set_text (self->details_comments, comments != NULL ? comments : "");
  gtk_widget_set_visible (GTK_WIDGET (self->details_comments), comments != NULL);
  /* A reviewer comments on the area picked, not on one the pointer passes. */
  gtk_widget_set_visible (self->details_comment_button,
                          tw_map_session_get_read_only (self->session) && area == selected);
  gtk_widget_set_visible (self->details_card, TRUE);
}

/* The mean and sample standard deviation of the rates the classes were made from: those
 * of the areas drawn in a class. */
static void
classes_mean_sd (TwChoropleth *choropleth,
                 double       *mean,
                 double       *sd)
{
  TwAreaLayer *layer = tw_choropleth_get_layer (choropleth);
  double sum = 0, squares = 0;
  guint n = 0;

  for (guint area = 0; area < tw_area_layer_get_n_areas (layer); area++)
    {
      const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, area);

      if (figure == NULL || figure->kind >= TW_AREA_SUPPRESSED || isnan (figure->rate))
        continue;
      sum += figure->rate;
      n++;
    }
  *mean = n > 0 ? sum / n : 0;
  for (guint area = 0; n > 1 && area < tw_area_layer_get_n_areas (layer); area++)
    {
      const TwAreaFigure *figure = tw_choropleth_get_figure (choropleth, area);

      if (figure == NULL || figure->kind >= TW_AREA_SUPPRESSED || isnan (figure->rate))
        continue;
      squares += (figure->rate - *mean) * (figure->rate - *mean);
    }
  *sd = n > 1 ? sqrt (squares / (n - 1)) : 0;
}

/* A number of standard deviations from the mean, as a legend says it: "+1.5", "−0.5", "0". */
static char *
format_sds (double z)
{
  double rounded = round (z * 2) / 2;

  if (fabs (rounded) < 0.25)
    return g_strdup ("0");
  /* Translators: a number of standard deviations above (+) or below (−) the mean */
  return g_strdup_printf (rounded > 0 ? _("+%.1f") : _("−%.1f"), fabs (rounded));
}

/* A standard-deviation class in SDs from the mean, its rates after it: the outer classes
 * open-ended ("below −1.5 SD"), since their outer breaks are only the lowest and highest
 * rates. */
static char *
sd_class_label (guint       index,
                guint       n_classes,
                double      low_z,
                double      high_z,
                const char *low,
                const char *high)
{
  g_autofree char *low_sds = format_sds (low_z);
  g_autofree char *high_sds = format_sds (high_z);

  if (n_classes == 1)
    return g_strdup_printf ("%s – %s", low, high);
  if (index == 0)
    /* Translators: a class of rates more than 1.5 standard deviations below the mean */
    return g_strdup_printf (_("below %s SD (%s – %s)"), high_sds, low, high);
  if (index == n_classes - 1)
    return g_strdup_printf (_("above %s SD (%s – %s)"), low_sds, low, high);
  /* Translators: a class of rates between −0.5 and +0.5 standard deviations of the mean */
  return g_strdup_printf (_("%s to %s SD (%s – %s)"), low_sds, high_sds, low, high);
}

static void
add_legend_row (TwMapView  *self,
                int         row,
                guint32     color,
                TwHatch     hatch,
                const char *text,
                guint       count,
                GString    *accessible)
{
  g_autofree char *count_text = tw_format_count_locale (count);

  tw_swatch_attach_row (self->legend_rows, row, color, hatch, text, count_text);

  g_string_append_printf (accessible, "%s: %s %s. ", text, count_text,
                          ngettext ("area", "areas", count));
}

static void
update_legend (TwMapView *self)
{
  TwChoropleth *choropleth = tw_map_session_get_choropleth (self->session);
  const TwClassification *classes;
  TwMapStyle *style;
  GtkWidget *child;
  g_autoptr(GString) accessible = g_string_new (NULL);
  g_autofree char *unit = NULL;
  g_autofree char *subtitle = NULL;
  const TwStatusRow *status_rows;
  guint n_status_rows;
  const char *stratum;
  const char *label;
  double mean = 0, sd = 0;
  int row = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->legend_rows))) != NULL)
    gtk_grid_remove (self->legend_rows, child);

  if (choropleth == NULL)
    {
      gtk_widget_set_visible (self->legend_card, FALSE);
      return;
    }

  style = tw_choropleth_get_style (choropleth);
  classes = tw_choropleth_get_classification (choropleth);
  unit = tw_choropleth_format_unit (choropleth);
  stratum = tw_choropleth_get_stratum (choropleth);
  label = tw_choropleth_get_measure_label (choropleth);
  {
    g_autofree char *valid = g_utf8_make_valid (label ? label : "", -1);
    gtk_label_set_text (self->legend_title, valid);
    g_string_append_printf (accessible, "%s. ", valid);
  }
  /* Translators: "rate per 1,000 · 1979-1984 · all groups" */
  subtitle = g_strdup_printf (_("%s · %s · %s"), unit, tw_choropleth_get_period (choropleth),
                              stratum == NULL || g_strcmp0 (stratum, "all") == 0
                              ? _("all groups") : stratum);
  {
    g_autofree char *valid = g_utf8_make_valid (subtitle, -1);
    gtk_label_set_text (self->legend_subtitle, valid);
    g_string_append_printf (accessible, "%s. ", valid);
  }

  if (classes != NULL && classes->method == TW_CLASSIFY_STDDEV)
    classes_mean_sd (choropleth, &mean, &sd);
  for (guint i = 0; classes != NULL && i < classes->n_classes; i++)
    {
      g_autofree char *low = tw_choropleth_format_rate (choropleth, classes->breaks[i]);
      g_autofree char *high = tw_choropleth_format_rate (choropleth, classes->breaks[i + 1]);
      g_autofree char *range = NULL;

      if (sd > 0)
        range = sd_class_label (i, classes->n_classes,
                                (classes->breaks[i] - mean) / sd,
                                (classes->breaks[i + 1] - mean) / sd, low, high);
      else
        range = g_strdup_printf ("%s – %s", low, high);

      add_legend_row (self, row++, tw_map_style_get_fill (style, i), TW_HATCH_NONE, range,
                      classes->counts[i], accessible);
    }

  n_status_rows = tw_choropleth_get_status_rows (choropleth, &status_rows);
  for (guint i = 0; i < n_status_rows; i++)
    {
      g_autofree char *text = NULL;

      text = tw_policy_text_status_row (tw_choropleth_get_policy (choropleth),
                                        tw_choropleth_is_change (choropleth), &status_rows[i]);

      add_legend_row (self, row++, status_rows[i].fill, status_rows[i].hatch, text,
                      status_rows[i].n_areas, accessible);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->legend_card),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Legend"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, accessible->str,
                                  -1);
  g_free (self->legend_text);
  self->legend_text = g_strdup (accessible->str);
  gtk_widget_set_visible (self->legend_card, TRUE);
  if (self->refit_pending)
    {
      self->refit_pending = FALSE;
      zoom_to_box (self, &self->refit_box, 12);
    }
}

static void
on_session_selected_changed (TwMapView *self)
{
  int area = tw_map_session_get_selected_area (self->session);

  tw_highlight_layer_set_selected (self->highlight, area);
  update_details (self);
  tw_analysis_panel_set_selected (self->analysis_panel, area);
}

static void
on_session_hovered_changed (TwMapView *self)
{
  tw_highlight_layer_set_hovered (self->highlight,
                                  tw_map_session_get_hovered_area (self->session));
  update_details (self);
}

/* The analysis panel's map (LISA clusters, hot spots …) replaces the rates' tiles and
 * legend while the panel is open; closing it, or a new rate map, brings the rates back. */
static void
on_analysis_map_changed (TwMapView *self)
{
  TwMapStyle *style = tw_analysis_panel_get_style (self->analysis_panel);
  g_autoptr(TwChoroplethSource) source = NULL;

  gtk_widget_set_visible (self->legend_card, style == NULL && tw_map_session_get_choropleth (self->session) != NULL);
  if (style == NULL && tw_map_session_get_choropleth (self->session) != NULL)
    style = tw_choropleth_get_style (tw_map_session_get_choropleth (self->session));
  if (style == NULL || tw_map_session_get_layer (self->session) == NULL
      || tw_map_style_get_n_areas (style) != tw_area_layer_get_n_areas (tw_map_session_get_layer (self->session))
      || (self->choropleth_source != NULL
          && tw_choropleth_source_get_style (self->choropleth_source) == style))
    return;

  source = tw_choropleth_source_new (tw_area_layer_get_geometry (tw_map_session_get_layer (self->session)), style);
  shumate_map_source_set_license (SHUMATE_MAP_SOURCE (source), NULL);
  set_choropleth_layer (self, source);
}

static void
on_analysis_area_activated (TwMapView *self,
                            int        area)
{
  tw_map_session_set_selected_area (self->session, area);
}

static void
zoom_to_area (TwMapView *self,
              int        area)
{
  TwBox box;

  tw_geometry_set_get_area_box (tw_area_layer_get_geometry (tw_map_session_get_layer (self->session)), area, &box);
  zoom_to_box (self, &box, 14);
}

static int
area_at (TwMapView *self,
         double     x,
         double     y)
{
  ShumateViewport *viewport = shumate_simple_map_get_viewport (self->map);
  GtkWidget *map = GTK_WIDGET (shumate_simple_map_get_map (self->map));
  double lat, lon, wx, wy;

  if (tw_map_session_get_layer (self->session) == NULL)
    return -1;
  shumate_viewport_widget_coords_to_location (viewport, map, x, y, &lat, &lon);
  tw_world_from_lonlat (lon, lat, &wx, &wy);
  return tw_geometry_set_hit (tw_area_layer_get_geometry (tw_map_session_get_layer (self->session)), wx, wy);
}

static void
on_map_motion (GtkEventControllerMotion *motion,
               double                    x,
               double                    y,
               TwMapView                *self)
{
  tw_map_view_pointer_motion (self, x, y);
}

static void
on_map_leave (GtkEventControllerMotion *motion,
              TwMapView                *self)
{
  tw_map_session_set_hovered_area (self->session, -1);
}

static void
on_map_released (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 TwMapView       *self)
{
  if (n_press == 1)
    tw_map_view_pointer_click (self, x, y);
}

/* Loading the layer and the figures */

static gboolean
geoids_are_fips (TwAreaLayer *layer)
{
  guint n = tw_area_layer_get_n_areas (layer);

  for (guint i = 0; i < n; i++)
    {
      const char *geoid = tw_area_layer_get_geoid (layer, i);

      if (strlen (geoid) < 5)
        return FALSE;
      for (guint k = 0; k < 5; k++)
        if (!g_ascii_isdigit (geoid[k]))
          return FALSE;
    }
  return n > 0;
}

/* Groups areas by the first @digits of their GEOID: 5 for counties, 2 for states. */
static guint32 *
fips_groups (TwAreaLayer *layer,
             guint        digits)
{
  guint n = tw_area_layer_get_n_areas (layer);
  guint32 *groups = g_new (guint32, n);

  for (guint i = 0; i < n; i++)
    {
      const char *geoid = tw_area_layer_get_geoid (layer, i);
      guint32 group = 0;

      for (guint k = 0; k < digits; k++)
        group = group * 10 + (guint32) (geoid[k] - '0');
      groups[i] = group;
    }
  return groups;
}

/* County and state lines when GEOIDs are FIPS codes; the region's edge otherwise. They
 * show only where no choropleth covers the background, so they are built after the first
 * map is drawn, at the tile threads' low priority. */
static void
build_outlines_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  TwAreaLayer *layer = task_data;
  Outlines *result = g_new0 (Outlines, 1);
  gint64 start = g_get_monotonic_time ();

  result->layer = tw_area_layer_ref (layer);
  if (geoids_are_fips (layer))
    {
      g_autofree guint32 *counties = fips_groups (layer, 5);
      g_autofree guint32 *states = fips_groups (layer, 2);

      result->counties = tw_outlines_build (tw_area_layer_get_geometry (layer), counties,
                                            cancellable);
      result->states = tw_outlines_build (tw_area_layer_get_geometry (layer), states,
                                          cancellable);
    }
  else
    result->states = tw_outlines_build (tw_area_layer_get_geometry (layer), NULL, cancellable);
  g_debug ("Outlines built in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);

  if (g_task_return_error_if_cancelled (task))
    {
      outlines_free (result);
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) outlines_free);
}

static void
on_outlines_built (GObject      *object,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  TwMapView *self = TW_MAP_VIEW (object);
  Outlines *result = g_task_propagate_pointer (G_TASK (res), NULL);

  if (result == NULL)
    return;
  if (result->layer == tw_map_session_get_layer (self->session))
    set_background (self, result);
  outlines_free (result);
}

/* A thread of its own: the tile threads stay free for panning meanwhile. */
static gpointer
outlines_thread_main (gpointer data)
{
  GTask *task = data;

  tw_thread_lower_priority ();
  build_outlines_thread (task, g_task_get_source_object (task), g_task_get_task_data (task),
                         g_task_get_cancellable (task));
  g_object_unref (task);
  return NULL;
}

static void
build_outlines (TwMapView *self)
{
  GTask *task;

  g_cancellable_cancel (self->outlines_cancellable);
  g_clear_object (&self->outlines_cancellable);
  if (tw_map_session_get_layer (self->session) == NULL)
    return;
  self->outlines_started = TRUE;
  self->outlines_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->outlines_cancellable, on_outlines_built, NULL);
  g_task_set_source_tag (task, build_outlines);
  g_task_set_task_data (task, tw_area_layer_ref (tw_map_session_get_layer (self->session)),
                        (GDestroyNotify) tw_area_layer_unref);
  g_thread_unref (g_thread_new ("tw-outlines", outlines_thread_main, task));
}

/* A new layer: its areas drawn plain, the map fitted to them, its figures on the way. */
static void
on_session_layer_changed (TwMapView *self)
{
  TwAreaLayer *layer = tw_map_session_get_layer (self->session);
  GPtrArray *measures = tw_map_session_get_measures (self->session);
  Outlines *plain;
  TwBox extent;

  g_cancellable_cancel (self->outlines_cancellable);
  g_clear_object (&self->outlines_cancellable);
  self->outlines_started = FALSE;
  tw_analysis_panel_set_choropleth (self->analysis_panel,
                                    tw_map_session_get_document (self->session), NULL);
  set_choropleth_layer (self, NULL);
  if (layer == NULL)
    return;

  plain = g_new0 (Outlines, 1);
  plain->layer = tw_area_layer_ref (layer);
  set_background (self, plain);
  outlines_free (plain);
  tw_highlight_layer_set_geometry (self->highlight, tw_area_layer_get_geometry (layer));
  update_details (self);
  update_legend (self);

  tw_geometry_set_get_extent (tw_area_layer_get_geometry (layer), &extent);
  zoom_to_box (self, &extent, 12);
  /* Once the map has its legend, fit again around it. */
  self->refit_pending = TRUE;
  self->refit_box = extent;

  /* Nothing to colour: the outlines need not wait for a first map. */
  if (measures == NULL || measures->len == 0)
    build_outlines (self);
}

static gboolean
check_map_drawn (gpointer user_data)
{
  TwMapView *self = user_data;

  if (!tw_map_view_get_tiles_drawn (self))
    return G_SOURCE_CONTINUE;

  self->drawn_id = 0;
  g_signal_emit (self, signals[DRAWN], 0);
  if (!self->outlines_started)
    build_outlines (self);
  return G_SOURCE_REMOVE;
}

static void
on_origins_loaded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GHashTable *origins = tw_area_origins_load_finish (TW_DOCUMENT (object), result, &error);
  TwMapView *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = TW_MAP_VIEW (user_data);
  if (origins == NULL)
    g_debug ("No area origins: %s", error->message);
  g_clear_pointer (&self->origins, g_hash_table_unref);
  self->origins = origins;
  update_details (self);
}

/* Which areas a crosswalk made, and how, for the details card. */
static void
load_origins (TwMapView *self)
{
  TwDocument *document = tw_map_session_get_document (self->session);
  const char *geography = tw_map_session_get_geography (self->session);

  g_cancellable_cancel (self->origins_cancellable);
  g_clear_object (&self->origins_cancellable);
  g_clear_pointer (&self->origins, g_hash_table_unref);
  if (document == NULL || geography == NULL)
    return;
  self->origins_cancellable = g_cancellable_new ();
  tw_area_origins_load_async (document, geography, tw_map_session_get_measure (self->session),
                              tw_map_session_get_period (self->session),
                              tw_map_session_get_group (self->session),
                              self->origins_cancellable, on_origins_loaded, self);
}

static void
on_session_choropleth_changed (TwMapView *self)
{
  TwChoropleth *choropleth = tw_map_session_get_choropleth (self->session);
  int selected = tw_map_session_get_selected_area (self->session);

  if (choropleth == NULL)
    {
      update_legend (self);
      update_details (self);
      return;
    }

  show_choropleth_style (self);
  load_origins (self);

  /* The area picked is what the details card says. */
  if (selected >= 0)
    tw_map_session_set_hovered_area (self->session, -1);
  update_legend (self);
  tw_analysis_panel_set_choropleth (self->analysis_panel,
                                    tw_map_session_get_document (self->session), choropleth);
  update_details (self);

  if (self->drawn_id == 0)
    self->drawn_id = g_timeout_add (10, check_map_drawn, self);
}

static void
on_session_busy_changed (TwMapView *self)
{
  update_map_busy (self);
}

/* GObject */

static void
tw_map_view_dispose (GObject *object)
{
  TwMapView *self = TW_MAP_VIEW (object);

  tw_map_view_set_session (self, NULL);
  g_cancellable_cancel (self->origins_cancellable);
  g_clear_object (&self->origins_cancellable);
  g_clear_pointer (&self->origins, g_hash_table_unref);
  g_clear_object (&self->session_signals);
  g_cancellable_cancel (self->outlines_cancellable);
  g_clear_object (&self->outlines_cancellable);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  g_clear_handle_id (&self->drawn_id, g_source_remove);
  if (self->refit_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->refit_tick);
  self->refit_tick = 0;
  g_clear_object (&self->choropleth_layer);
  g_clear_object (&self->osm_layer);
  g_clear_object (&self->choropleth_source);
  g_clear_object (&self->highlight);
  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_MAP_VIEW);

  G_OBJECT_CLASS (tw_map_view_parent_class)->dispose (object);
}

static void
tw_map_view_finalize (GObject *object)
{
  TwMapView *self = TW_MAP_VIEW (object);

  g_free (self->legend_text);

  G_OBJECT_CLASS (tw_map_view_parent_class)->finalize (object);
}

static void
tw_map_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TwMapView *self = TW_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_OSM_BASEMAP:
      g_value_set_boolean (value, self->osm_basemap);
      break;
    case PROP_SHOW_ANALYSIS:
      g_value_set_boolean (value, self->show_analysis);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_map_view_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TwMapView *self = TW_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tw_map_view_set_session (self, g_value_get_object (value));
      break;
    case PROP_OSM_BASEMAP:
      tw_map_view_set_osm_basemap (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_ANALYSIS:
      if (self->show_analysis != g_value_get_boolean (value))
        {
          self->show_analysis = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A window resized, the table opened beside the map or the analysis panel shown: the
 * areas are fitted to the new size, unless the user has zoomed or moved the map. A box's
 * layout manager allocates it without its size_allocate; the overlay asks where each
 * card goes whenever it is laid out, after the map got its size: the moment to look. */
static gboolean
on_overlay_get_child_position (TwMapView    *self,
                               GtkWidget    *card,
                               GdkRectangle *allocation)
{
  int map_width = gtk_widget_get_width (GTK_WIDGET (self->map));
  int map_height = gtk_widget_get_height (GTK_WIDGET (self->map));

  if (self->zoom_pending && map_width >= 64 && map_height >= 64)
    {
      self->zoom_pending = FALSE;
      zoom_to_box (self, &self->pending_box, self->pending_max_zoom);
    }
  if (card == self->legend_card && self->refit_tick == 0 && map_width >= 64
      && map_height >= 64 && (map_width != self->fit_width || map_height != self->fit_height)
      && view_is_fitted (self))
    self->refit_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), refit_after_resize,
                                                     NULL, NULL);

  return FALSE;
}

static void
tw_map_view_class_init (TwMapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_map_view_dispose;
  object_class->finalize = tw_map_view_finalize;
  object_class->get_property = tw_map_view_get_property;
  object_class->set_property = tw_map_view_set_property;

  /**
   * TwMapView:session:
   *
   * What the map shows.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TW_TYPE_MAP_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TwMapView:osm-basemap:
   *
   * Whether OpenStreetMap's tiles are fetched and drawn under the map.
   */
  properties[PROP_OSM_BASEMAP] =
    g_param_spec_boolean ("osm-basemap", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TwMapView:show-analysis:
   *
   * Whether the spatial analysis panel is open beside the map.
   */
  properties[PROP_SHOW_ANALYSIS] =
    g_param_spec_boolean ("show-analysis", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TwMapView::drawn:
   *
   * Every tile in view of a new map has been drawn.
   */
  signals[DRAWN] = g_signal_new ("drawn", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * TwMapView::area-comments:
   * @geography: the geography's name
   * @geoid: the area's GEOID
   *
   * Asks for the comments on an area, a few lines for the details card.
   *
   * Returns: (transfer full) (nullable): the text, or %NULL when there are none
   */
  signals[AREA_COMMENTS] = g_signal_new ("area-comments", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0,
                                         g_signal_accumulator_first_wins, NULL, NULL,
                                         G_TYPE_STRING, 2, G_TYPE_STRING, G_TYPE_STRING);

  g_type_ensure (SHUMATE_TYPE_SIMPLE_MAP);
  g_type_ensure (TW_TYPE_ANALYSIS_PANEL);
  g_type_ensure (TW_TYPE_ANALYSIS_LEGEND);
  g_type_ensure (TW_TYPE_MAP_SCALE);
  g_type_ensure (TW_TYPE_SPARKLINE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/tw-map-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TwMapView, analysis_panel);
  gtk_widget_class_bind_template_child (widget_class, TwMapView, map);
  gtk_widget_class_bind_template_child (widget_class, TwMapView, map_progress);
  gtk_widget_class_bind_template_child (widget_class, TwMapView, legend_card);
  gtk_widget_class_bind_template_child (widget_class, TwMapView, scale);
  gtk_widget_class_bind_template_callback (widget_class, on_overlay_get_child_position);
  gtk_widget_class_bind_template_child (widget_class, TwMapView, legend_title);
  gtk_widget_class_bind_template_child (widget_class, TwMapView, legend_subtitle);
  gtk_widget_class_bind_template_child (widget_class, TwMapView, legend_rows);
  gtk_widget_class_bind_template_child (widget_class, TwMapView, details_card);
  gtk_widget_class_bind_template_child (widget_class, TwMapView, details_name);
  gtk_widget_class_bind_template_child (widget_class, TwMapView, details_geoid);
  gtk_widget_class_bind_template_child (widget_class, TwMapView, details_body);
  gtk_widget_class_bind_template_child (widget_class, TwMapView, details_sparkline);
  gtk_widget_class_bind_template_child (widget_class, TwMapView, details_flag);
  gtk_widget_class_bind_template_child (widget_class, TwMapView, details_comments);
  gtk_widget_class_bind_template_child (widget_class, TwMapView, details_comment_button);
  gtk_widget_class_bind_template_callback (widget_class, on_analysis_map_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_analysis_area_activated);
}

static void
tw_map_view_init (TwMapView *self)
{
  GtkWidget *map;
  GtkEventController *motion;
  GtkGesture *click;

  static const TwSessionHandler handlers[] = {
    { "notify::layer", G_CALLBACK (on_session_layer_changed) },
    { "notify::choropleth", G_CALLBACK (on_session_choropleth_changed) },
    { "notify::selected-area", G_CALLBACK (on_session_selected_changed) },
    { "notify::hovered-area", G_CALLBACK (on_session_hovered_changed) },
    { "notify::busy", G_CALLBACK (on_session_busy_changed) },
  };

  self->session_signals = tw_session_signals_new (self, handlers, G_N_ELEMENTS (handlers));

  gtk_widget_init_template (GTK_WIDGET (self));
  /* TwMapScale instead of libshumate's: round lengths in the locale's system. */
  gtk_widget_set_visible (GTK_WIDGET (shumate_simple_map_get_scale (self->map)), FALSE);
  tw_map_scale_set_viewport (self->scale, shumate_simple_map_get_viewport (self->map));

  self->highlight = g_object_ref_sink (tw_highlight_layer_new (
                                         shumate_simple_map_get_viewport (self->map)));
  shumate_simple_map_add_overlay_layer (self->map, SHUMATE_LAYER (self->highlight));

  map = GTK_WIDGET (shumate_simple_map_get_map (self->map));
  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_map_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_map_leave), self);
  gtk_widget_add_controller (map, motion);
  click = gtk_gesture_click_new ();
  g_signal_connect (click, "released", G_CALLBACK (on_map_released), self);
  gtk_widget_add_controller (map, GTK_EVENT_CONTROLLER (click));

  tw_map_keys_attach (self->map);
}

/* Public API */

TwMapSession *
tw_map_view_get_session (TwMapView *self)
{
  g_return_val_if_fail (TW_IS_MAP_VIEW (self), NULL);

  return self->session;
}

void
tw_map_view_set_session (TwMapView    *self,
                         TwMapSession *session)
{
  g_return_if_fail (TW_IS_MAP_VIEW (self));
  g_return_if_fail (session == NULL || TW_IS_MAP_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->session_signals, session);
  if (session != NULL)
    update_map_busy (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
tw_map_view_set_osm_basemap (TwMapView *self,
                             gboolean   osm_basemap)
{
  g_return_if_fail (TW_IS_MAP_VIEW (self));

  osm_basemap = !!osm_basemap;
  if (self->osm_basemap == osm_basemap)
    return;
  self->osm_basemap = osm_basemap;
  update_osm_layer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OSM_BASEMAP]);
}

void
tw_map_view_set_footprints (TwMapView    *self,
                            ShumateLayer *footprints)
{
  g_return_if_fail (TW_IS_MAP_VIEW (self));

  self->footprints = footprints;
  restack_overlays (self);
}

void
tw_map_view_zoom_to_area (TwMapView *self,
                          int        area)
{
  g_return_if_fail (TW_IS_MAP_VIEW (self));

  if (tw_map_session_get_layer (self->session) != NULL && area >= 0)
    zoom_to_area (self, area);
}

ShumateSimpleMap *
tw_map_view_get_map (TwMapView *self)
{
  g_return_val_if_fail (TW_IS_MAP_VIEW (self), NULL);

  return self->map;
}

gboolean
tw_map_view_get_tiles_drawn (TwMapView *self)
{
  g_return_val_if_fail (TW_IS_MAP_VIEW (self), FALSE);

  /* libshumate asks for the tiles in view from an idle callback: some must have come. */
  return self->choropleth_source != NULL && !tw_map_session_get_busy (self->session)
         && self->refit_tick == 0
         && tw_choropleth_source_get_n_tiles (self->choropleth_source) > 0
         && tw_choropleth_source_get_n_pending (self->choropleth_source) == 0;
}

void
tw_map_view_pointer_motion (TwMapView *self,
                            double     x,
                            double     y)
{
  int area;

  g_return_if_fail (TW_IS_MAP_VIEW (self));

  area = area_at (self, x, y);
  tw_map_session_set_hovered_area (self->session, area);
}

void
tw_map_view_pointer_click (TwMapView *self,
                           double     x,
                           double     y)
{
  g_return_if_fail (TW_IS_MAP_VIEW (self));

  tw_map_session_set_selected_area (self->session, area_at (self, x, y));
}

char *
tw_map_view_get_details_text (TwMapView *self)
{
  g_return_val_if_fail (TW_IS_MAP_VIEW (self), NULL);

  if (!gtk_widget_get_visible (self->details_card))
    return g_strdup ("");
  if (*tw_sparkline_get_text (self->details_sparkline) != '\0')
    return g_strjoin ("\n", gtk_label_get_text (self->details_name),
                      gtk_label_get_text (self->details_geoid),
                      gtk_label_get_text (self->details_body),
                      tw_sparkline_get_text (self->details_sparkline),
                      gtk_label_get_text (self->details_flag),
                      gtk_label_get_text (self->details_comments), NULL);
  return g_strjoin ("\n", gtk_label_get_text (self->details_name),
                    gtk_label_get_text (self->details_geoid),
                    gtk_label_get_text (self->details_body),
                    gtk_label_get_text (self->details_flag),
                    gtk_label_get_text (self->details_comments), NULL);
}

char *
tw_map_view_get_legend_text (TwMapView *self)
{
  g_return_val_if_fail (TW_IS_MAP_VIEW (self), NULL);

  return g_strdup (self->legend_text);
}

void
tw_map_view_refresh_details (TwMapView *self)
{
  g_return_if_fail (TW_IS_MAP_VIEW (self));

  update_details (self);
}
