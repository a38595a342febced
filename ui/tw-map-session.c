/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-map-session"

#include <math.h>
#include <glib/gi18n.h>

#include "tw-area-row.h"
#include "tw-map-catalog.h"
#include "tw-map-request.h"
#include "tw-trend.h"
#include "tw-map-session.h"
#include "tw-palette.h"

struct _TwMapSession
{
  GObject           parent_instance;

  /* What the map shows */
  TwDocument       *document;
  GBinding         *read_only_binding;
  GStrv             geographies;
  char             *geography;
  char             *measure;
  char             *period;
  char             *from_period;  /* a change's first period */
  TwMapMode         mode;
  char             *group;
  TwClassifyMethod  method;
  guint             classes;
  char             *breaks;
  char             *palette;
  gboolean          reveal;
  gboolean          read_only;
  int               selected;
  int               hovered;

  /* What was computed from it */
  GPtrArray        *measures;   /* TwMapMeasure * */
  TwAreaLayer      *layer;
  TwChoropleth     *choropleth;
  GPtrArray        *rows;       /* TwAreaRow * */
  TwAreaSeries     *series;     /* with a map of change or trend */

  /* The work running: a layer or a choropleth, never both */
  GCancellable     *cancellable;

  /* The first geography of a project being opened, loaded beside its summary */
  TwDocument       *prefetch_document;
  GCancellable     *prefetch_cancellable;
  gboolean          prefetch_pending;
  struct _LayerJob *prefetched;
  GError           *prefetch_error;
};

G_DEFINE_FINAL_TYPE (TwMapSession, tw_map_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_GEOGRAPHIES,
  PROP_GEOGRAPHY,
  PROP_MEASURES,
  PROP_MEASURE,
  PROP_PERIOD,
  PROP_FROM_PERIOD,
  PROP_MODE,
  PROP_GROUP,
  PROP_METHOD,
  PROP_CLASSES,
  PROP_BREAKS,
  PROP_BREAKS_INVALID,
  PROP_PALETTE,
  PROP_REVEAL,
  PROP_READ_ONLY,
  PROP_LAYER,
  PROP_CHOROPLETH,
  PROP_SELECTED_AREA,
  PROP_HOVERED_AREA,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  LAYER_FAILED,
  CHOROPLETH_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A layer loaded in a worker thread: @geography in, the rest out. */
typedef struct _LayerJob
{
  char        *geography;  /* NULL: the first */
  gboolean     or_first;   /* the first when @geography is gone */
  TwAreaLayer *layer;
  GPtrArray   *measures;   /* TwMapMeasure * with outcomes in this geography */
} LayerJob;

/* A choropleth computed in a worker thread, with the table's rows. */
typedef struct
{
  TwMapRequest *request;
  TwAreaLayer  *layer;
  TwChoropleth *choropleth;
  GPtrArray    *rows;       /* TwAreaRow * */
  TwAreaSeries *series;     /* maps of change and trend only */
} ChoroplethJob;

static void compute_choropleth (TwMapSession *self);

static void
layer_job_free (LayerJob *job)
{
  g_free (job->geography);
  g_clear_pointer (&job->layer, tw_area_layer_unref);
  g_clear_pointer (&job->measures, g_ptr_array_unref);
  g_free (job);
}

static void
choropleth_job_free (ChoroplethJob *job)
{
  g_clear_pointer (&job->request, tw_map_request_free);
  g_clear_pointer (&job->layer, tw_area_layer_unref);
  g_clear_pointer (&job->series, tw_area_series_free);
  g_clear_pointer (&job->choropleth, tw_choropleth_unref);
  g_clear_pointer (&job->rows, g_ptr_array_unref);
  g_free (job);
}

static void
notify (TwMapSession *self,
        guint         prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* Sets the string at @field; TRUE when it changed. */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/* Cancels whatever runs and starts a new piece of work. */
static GCancellable *
restart_work (TwMapSession *self)
{
  gboolean was_busy = self->cancellable != NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (!was_busy)
    notify (self, PROP_BUSY);

  return self->cancellable;
}

static void
stop_work (TwMapSession *self)
{
  if (self->cancellable == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  notify (self, PROP_BUSY);
}

static const TwMapMeasure *
find_measure (TwMapSession *self,
              const char   *code)
{
  for (guint i = 0; self->measures != NULL && i < self->measures->len; i++)
    {
      const TwMapMeasure *measure = g_ptr_array_index (self->measures, i);

      if (g_strcmp0 (measure->code, code) == 0)
        return measure;
    }
  return NULL;
}

/* Whether @periods holds @period, or every period of a pool ("2019+2020"). */
static gboolean
measure_has_period (const TwMapMeasure *measure,
                    const char         *period)
{
  g_auto(GStrv) parts = NULL;

  if (period == NULL || *period == '\0')
    return FALSE;
  parts = g_strsplit (period, "+", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (!g_strv_contains ((const char * const *) measure->periods, parts[i]))
      return FALSE;
  return TRUE;
}

/* A change's first period: kept when the measure has it, else the measure's first. */
static void
validate_from_period (TwMapSession       *self,
                      const TwMapMeasure *measure)
{
  const char *from = NULL;

  if (measure != NULL && measure_has_period (measure, self->from_period))
    from = self->from_period;
  else if (measure != NULL && measure->periods[0] != NULL)
    from = measure->periods[0];
  if (set_string (&self->from_period, from))
    notify (self, PROP_FROM_PERIOD);
}

/* Keeps the period and group picked when the measure has them; else the latest period
 * (what first comes to mind) and the first group. Notifies what changed. */
static void
validate_period_and_group (TwMapSession *self)
{
  const TwMapMeasure *measure = find_measure (self, self->measure);
  const char *period = NULL, *group = NULL;

  if (measure != NULL)
    {
      guint n = g_strv_length (measure->periods);

      if (measure_has_period (measure, self->period))
        period = self->period;
      else if (n > 0)
        period = measure->periods[n - 1];
      if (self->group != NULL && g_strv_contains ((const char * const *) measure->strata,
                                                  self->group))
        group = self->group;
      else
        group = measure->strata[0];
    }
  if (set_string (&self->period, period))
    notify (self, PROP_PERIOD);
  validate_from_period (self, measure);
  if (set_string (&self->group, group))
    notify (self, PROP_GROUP);
}

/* Worker threads, on a store tw_document_run_async () opened for them */

static gboolean
load_layer_func (TwStore       *store,
                 gpointer       task_data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  LayerJob *job = task_data;
  g_autoptr(TwMapRequest) request = tw_map_request_new ();
  gint64 geography_id, start;

  /* None named (and no measure yet): the first geography imported. */
  tw_map_request_set_geography (request, job->geography);
  geography_id = tw_map_request_resolve_geography (request, store,
                                                   job->or_first ? NULL : error);
  if (geography_id < 0 && job->or_first)
    {
      tw_map_request_set_geography (request, NULL);
      geography_id = tw_map_request_resolve_geography (request, store, error);
    }
  if (geography_id < 0)
    return FALSE;

  start = g_get_monotonic_time ();
  job->layer = tw_area_layer_load (store, geography_id, cancellable, error);
  g_debug ("Areas loaded in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
  if (job->layer == NULL)
    return FALSE;
  g_free (job->geography);
  job->geography = g_strdup (tw_area_layer_get_geography_name (job->layer));

  start = g_get_monotonic_time ();
  if ((job->measures = tw_map_catalog_list_measures (store, geography_id, error)) == NULL)
    return FALSE;
  g_debug ("Measures listed in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static gboolean
compute_choropleth_func (TwStore       *store,
                         gpointer       task_data,
                         GCancellable  *cancellable,
                         GError       **error)
{
  ChoroplethJob *job = task_data;
  gint64 start = g_get_monotonic_time ();

  job->choropleth = tw_map_request_compute_on_layer (job->request, store, job->layer,
                                                     cancellable, error);
  g_debug ("Choropleth computed in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
  if (job->choropleth == NULL)
    return FALSE;

  /* A map of time gives each area's card its rates period by period. */
  if (tw_map_request_get_mode (job->request) != TW_MAP_MODE_RATE)
    {
      start = g_get_monotonic_time ();
      job->series = tw_area_series_compute (store, job->layer,
                                            tw_map_request_get_measure (job->request),
                                            tw_map_request_get_stratum (job->request),
                                            cancellable, error);
      g_debug ("Series read in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
      if (job->series == NULL)
        return FALSE;
    }

  /* The table's rows are made here too: formatting thousands of figures is not for the
   * main loop. */
  start = g_get_monotonic_time ();
  job->rows = tw_area_rows_new (job->choropleth, job->layer, cancellable);
  g_debug ("Table rows made in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* Results */

static void
apply_layer_result (TwMapSession *self,
                    LayerJob     *result,
                    GError       *error)
{
  gboolean had_choropleth = self->choropleth != NULL;

  if (result == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not draw the map: %s"),
                                                  error->message);
      g_debug ("%s", message);
      stop_work (self);
      g_signal_emit (self, signals[LAYER_FAILED], 0, message);
      return;
    }

  g_clear_pointer (&self->layer, tw_area_layer_unref);
  g_clear_pointer (&self->choropleth, tw_choropleth_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->series, tw_area_series_free);
  g_clear_pointer (&self->measures, g_ptr_array_unref);
  self->layer = tw_area_layer_ref (result->layer);
  self->measures = g_ptr_array_ref (result->measures);

  /* The views see the new layer with all it implies already in place. */
  g_object_freeze_notify (G_OBJECT (self));

  if (set_string (&self->geography, result->geography))
    notify (self, PROP_GEOGRAPHY);
  notify (self, PROP_MEASURES);
  /* The measure picked stays when the geography has it; else the first. */
  if (find_measure (self, self->measure) == NULL
      && set_string (&self->measure,
                     self->measures->len > 0
                     ? ((TwMapMeasure *) g_ptr_array_index (self->measures, 0))->code : NULL))
    notify (self, PROP_MEASURE);
  validate_period_and_group (self);
  if (self->selected != -1)
    {
      self->selected = -1;
      notify (self, PROP_SELECTED_AREA);
    }
  if (self->hovered != -1)
    {
      self->hovered = -1;
      notify (self, PROP_HOVERED_AREA);
    }
  if (had_choropleth)
    notify (self, PROP_CHOROPLETH);
  notify (self, PROP_LAYER);
  g_object_thaw_notify (G_OBJECT (self));

  if (self->measures->len == 0)
    stop_work (self);
  else
    compute_choropleth (self);
}

static void
on_layer_loaded (GObject      *object,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(TwMapSession) self = user_data;
  g_autoptr(GError) error = NULL;
  LayerJob *job = tw_document_run_get_task_data (res);

  if (!tw_document_run_finish (TW_DOCUMENT (object), res, &error))
    job = NULL;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Loaded while the summary is still being read: shown once it is. */
  if (self->prefetch_pending)
    {
      LayerJob *kept = NULL;

      if (job != NULL)
        {
          kept = g_new0 (LayerJob, 1);
          kept->geography = g_steal_pointer (&job->geography);
          kept->layer = g_steal_pointer (&job->layer);
          kept->measures = g_steal_pointer (&job->measures);
        }
      self->prefetch_pending = FALSE;
      self->prefetched = kept;
      self->prefetch_error = g_steal_pointer (&error);
      return;
    }
  apply_layer_result (self, job, error);
}

static void
load_layer_or_first (TwMapSession *self,
                     TwDocument   *document,
                     const char   *geography,
                     gboolean      or_first)
{
  GCancellable *cancellable = restart_work (self);
  LayerJob *job = g_new0 (LayerJob, 1);

  job->geography = g_strdup (geography);
  job->or_first = or_first;
  tw_document_run_async (document, TW_DOCUMENT_READ, load_layer_func, job,
                         (GDestroyNotify) layer_job_free, cancellable, on_layer_loaded,
                         g_object_ref (self));
}

static void
load_layer (TwMapSession *self,
            TwDocument   *document,
            const char   *geography)
{
  load_layer_or_first (self, document, geography, FALSE);
}

static void
on_choropleth_computed (GObject      *object,
                        GAsyncResult *res,
                        gpointer      user_data)
{
  g_autoptr(TwMapSession) self = user_data;
  g_autoptr(GError) error = NULL;
  ChoroplethJob *job = tw_document_run_get_task_data (res);

  if (!tw_document_run_finish (TW_DOCUMENT (object), res, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not compute the map: %s"), error->message);
      g_warning ("%s", message);
      stop_work (self);
      g_signal_emit (self, signals[CHOROPLETH_FAILED], 0, message);
      return;
    }

  g_clear_pointer (&self->choropleth, tw_choropleth_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->series, tw_area_series_free);
  self->choropleth = g_steal_pointer (&job->choropleth);
  self->rows = g_steal_pointer (&job->rows);
  self->series = g_steal_pointer (&job->series);
  g_clear_object (&self->cancellable);
  notify (self, PROP_CHOROPLETH);
  notify (self, PROP_BUSY);
}

/* What the session shows, as the one description of a map; NULL when the typed breaks
 * of the manual method do not read as numbers. */
static TwMapRequest *
make_request (TwMapSession *self)
{
  g_autoptr(TwMapRequest) request = tw_map_request_new ();

  tw_map_request_set_geography (request, self->geography);
  tw_map_request_set_measure (request, self->measure);
  tw_map_request_set_period (request, self->period);
  tw_map_request_set_stratum (request, self->group);
  tw_map_request_set_method (request, self->method);
  tw_map_request_set_n_classes (request, self->classes);
  tw_map_request_set_palette (request, self->palette);
  tw_map_request_set_reveal (request, self->reveal);
  tw_map_request_set_mode (request, self->mode);
  tw_map_request_set_from_period (request, self->from_period);
  if (self->method == TW_CLASSIFY_MANUAL
      && !tw_map_request_set_breaks_text (request, self->breaks != NULL ? self->breaks : "",
                                          NULL))
    return NULL;

  return g_steal_pointer (&request);
}

static void
compute_choropleth (TwMapSession *self)
{
  g_autoptr(TwMapRequest) request = NULL;
  GCancellable *cancellable;
  ChoroplethJob *job;

  if (self->layer == NULL || self->document == NULL || self->measure == NULL
      || self->period == NULL)
    {
      stop_work (self);
      return;
    }
  /* Nothing typed yet, or not numbers: the map stays as it is until they are. */
  if ((request = make_request (self)) == NULL)
    {
      stop_work (self);
      return;
    }

  cancellable = restart_work (self);
  job = g_new0 (ChoroplethJob, 1);
  job->request = g_steal_pointer (&request);
  job->layer = tw_area_layer_ref (self->layer);
  tw_document_run_async (self->document, TW_DOCUMENT_READ, compute_choropleth_func, job,
                         (GDestroyNotify) choropleth_job_free, cancellable,
                         on_choropleth_computed, g_object_ref (self));
}

static void
clear_prefetch (TwMapSession *self)
{
  g_clear_object (&self->prefetch_document);
  g_clear_object (&self->prefetch_cancellable);
  g_clear_pointer (&self->prefetched, layer_job_free);
  g_clear_error (&self->prefetch_error);
  self->prefetch_pending = FALSE;
}

/* The geographies of the document's summary, for the picker. */
static void
update_geographies (TwMapSession *self)
{
  const TwProjectSummary *summary = self->document != NULL
                                    ? tw_document_get_summary (self->document) : NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;

  for (guint i = 0; summary != NULL && i < summary->geographies->len; i++)
    g_strv_builder_add (builder, ((TwGeographySummary *)
                                  g_ptr_array_index (summary->geographies, i))->name);
  names = g_strv_builder_end (builder);
  if (self->geographies != NULL
      && g_strv_equal ((const char * const *) self->geographies, (const char * const *) names))
    return;
  g_strfreev (self->geographies);
  self->geographies = g_steal_pointer (&names);
  notify (self, PROP_GEOGRAPHIES);
}

/* New outcomes may bring new measures to the geography shown: load it again. */
static void
on_document_outcomes_changed (TwMapSession *self)
{
  if (self->layer != NULL)
    load_layer (self, self->document, self->geography);
}

/* GObject */

static void
tw_map_session_dispose (GObject *object)
{
  TwMapSession *self = TW_MAP_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_prefetch (self);
  tw_map_session_set_document (self, NULL);

  G_OBJECT_CLASS (tw_map_session_parent_class)->dispose (object);
}

static void
tw_map_session_finalize (GObject *object)
{
  TwMapSession *self = TW_MAP_SESSION (object);

  g_strfreev (self->geographies);
  g_free (self->geography);
  g_free (self->measure);
  g_free (self->period);
  g_free (self->from_period);
  g_free (self->group);
  g_free (self->breaks);
  g_free (self->palette);
  g_clear_pointer (&self->measures, g_ptr_array_unref);
  g_clear_pointer (&self->layer, tw_area_layer_unref);
  g_clear_pointer (&self->choropleth, tw_choropleth_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->series, tw_area_series_free);

  G_OBJECT_CLASS (tw_map_session_parent_class)->finalize (object);
}

static void
tw_map_session_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TwMapSession *self = TW_MAP_SESSION (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_GEOGRAPHIES:
      g_value_set_boxed (value, self->geographies);
      break;
    case PROP_GEOGRAPHY:
      g_value_set_string (value, self->geography);
      break;
    case PROP_MEASURES:
      g_value_set_pointer (value, self->measures);
      break;
    case PROP_MEASURE:
      g_value_set_string (value, self->measure);
      break;
    case PROP_PERIOD:
      g_value_set_string (value, self->period);
      break;
    case PROP_FROM_PERIOD:
      g_value_set_string (value, self->from_period);
      break;
    case PROP_MODE:
      g_value_set_int (value, self->mode);
      break;
    case PROP_GROUP:
      g_value_set_string (value, self->group);
      break;
    case PROP_METHOD:
      g_value_set_int (value, self->method);
      break;
    case PROP_CLASSES:
      g_value_set_uint (value, self->classes);
      break;
    case PROP_BREAKS:
      g_value_set_string (value, self->breaks);
      break;
    case PROP_BREAKS_INVALID:
      g_value_set_boolean (value, tw_map_session_get_breaks_invalid (self));
      break;
    case PROP_PALETTE:
      g_value_set_string (value, self->palette);
      break;
    case PROP_REVEAL:
      g_value_set_boolean (value, self->reveal);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    case PROP_LAYER:
      g_value_set_pointer (value, self->layer);
      break;
    case PROP_CHOROPLETH:
      g_value_set_pointer (value, self->choropleth);
      break;
    case PROP_SELECTED_AREA:
      g_value_set_int (value, self->selected);
      break;
    case PROP_HOVERED_AREA:
      g_value_set_int (value, self->hovered);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->cancellable != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_map_session_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TwMapSession *self = TW_MAP_SESSION (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      tw_map_session_set_document (self, g_value_get_object (value));
      break;
    case PROP_GEOGRAPHY:
      tw_map_session_set_geography (self, g_value_get_string (value));
      break;
    case PROP_MEASURE:
      tw_map_session_set_measure (self, g_value_get_string (value));
      break;
    case PROP_PERIOD:
      tw_map_session_set_period (self, g_value_get_string (value));
      break;
    case PROP_FROM_PERIOD:
      tw_map_session_set_from_period (self, g_value_get_string (value));
      break;
    case PROP_MODE:
      tw_map_session_set_mode (self, g_value_get_int (value));
      break;
    case PROP_GROUP:
      tw_map_session_set_group (self, g_value_get_string (value));
      break;
    case PROP_METHOD:
      tw_map_session_set_method (self, g_value_get_int (value));
      break;
    case PROP_CLASSES:
      tw_map_session_set_classes (self, g_value_get_uint (value));
      break;
    case PROP_BREAKS:
      tw_map_session_set_breaks (self, g_value_get_string (value));
      break;
    case PROP_PALETTE:
      tw_map_session_set_palette (self, g_value_get_string (value));
      break;
    case PROP_REVEAL:
      tw_map_session_set_reveal (self, g_value_get_boolean (value));
      break;
    case PROP_READ_ONLY:
      tw_map_session_set_read_only (self, g_value_get_boolean (value));
      break;
    case PROP_SELECTED_AREA:
      tw_map_session_set_selected_area (self, g_value_get_int (value));
      break;
    case PROP_HOVERED_AREA:
      tw_map_session_set_hovered_area (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_map_session_class_init (TwMapSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = tw_map_session_dispose;
  object_class->finalize = tw_map_session_finalize;
  object_class->get_property = tw_map_session_get_property;
  object_class->set_property = tw_map_session_set_property;

  properties[PROP_DOCUMENT] = g_param_spec_object ("document", NULL, NULL,
                                                   TW_TYPE_DOCUMENT, rw);
  /** TwMapSession:geographies: the names of the document's geographies. */
  properties[PROP_GEOGRAPHIES] = g_param_spec_boxed ("geographies", NULL, NULL,
                                                     G_TYPE_STRV, ro);
  properties[PROP_GEOGRAPHY] = g_param_spec_string ("geography", NULL, NULL, NULL, rw);
  /** TwMapSession:measures: a GPtrArray of TwMapMeasure *, or NULL. */
  properties[PROP_MEASURES] = g_param_spec_pointer ("measures", NULL, NULL, ro);
  properties[PROP_MEASURE] = g_param_spec_string ("measure", NULL, NULL, NULL, rw);
  properties[PROP_PERIOD] = g_param_spec_string ("period", NULL, NULL, NULL, rw);
  properties[PROP_FROM_PERIOD] = g_param_spec_string ("from-period", NULL, NULL, NULL, rw);
  properties[PROP_MODE] = g_param_spec_int ("mode", NULL, NULL, TW_MAP_MODE_RATE,
                                            TW_MAP_MODE_TREND, TW_MAP_MODE_RATE, rw);
  properties[PROP_GROUP] = g_param_spec_string ("group", NULL, NULL, NULL, rw);
  /** TwMapSession:method: a TwClassifyMethod. */
  properties[PROP_METHOD] = g_param_spec_int ("method", NULL, NULL,
                                              0, G_MAXINT, TW_CLASSIFY_QUANTILE, rw);
  properties[PROP_CLASSES] = g_param_spec_uint ("classes", NULL, NULL,
                                                TW_CLASSIFY_MIN_CLASSES,
                                                TW_CLASSIFY_MAX_CLASSES,
                                                TW_MAP_SESSION_DEFAULT_CLASSES, rw);
  properties[PROP_BREAKS] = g_param_spec_string ("breaks", NULL, NULL, NULL, rw);
  properties[PROP_BREAKS_INVALID] = g_param_spec_boolean ("breaks-invalid", NULL, NULL,
                                                          FALSE, ro);
  properties[PROP_PALETTE] = g_param_spec_string ("palette", NULL, NULL,
                                                  TW_PALETTE_DEFAULT_NAME, rw);
  properties[PROP_REVEAL] = g_param_spec_boolean ("reveal", NULL, NULL, FALSE, rw);
  properties[PROP_READ_ONLY] = g_param_spec_boolean ("read-only", NULL, NULL, FALSE, rw);
  /** TwMapSession:layer: the TwAreaLayer shown, or NULL. */
  properties[PROP_LAYER] = g_param_spec_pointer ("layer", NULL, NULL, ro);
  /** TwMapSession:choropleth: the TwChoropleth shown, or NULL. */
  properties[PROP_CHOROPLETH] = g_param_spec_pointer ("choropleth", NULL, NULL, ro);
  properties[PROP_SELECTED_AREA] = g_param_spec_int ("selected-area", NULL, NULL,
                                                     -1, G_MAXINT, -1, rw);
  properties[PROP_HOVERED_AREA] = g_param_spec_int ("hovered-area", NULL, NULL,
                                                    -1, G_MAXINT, -1, rw);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TwMapSession::layer-failed:
   * @message: what went wrong, for the user
   *
   * The areas of the geography could not be loaded; the map shown stays.
   */
  signals[LAYER_FAILED] = g_signal_new ("layer-failed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * TwMapSession::choropleth-failed:
   * @message: what went wrong, for the user
   *
   * The figures could not be computed; the map shown stays.
   */
  signals[CHOROPLETH_FAILED] = g_signal_new ("choropleth-failed", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tw_map_session_init (TwMapSession *self)
{
  self->method = TW_CLASSIFY_QUANTILE;
  self->classes = TW_MAP_SESSION_DEFAULT_CLASSES;
  self->palette = g_strdup (TW_PALETTE_DEFAULT_NAME);
  self->selected = self->hovered = -1;
}

/* Public API */

TwMapSession *
tw_map_session_new (void)
{
  return g_object_new (TW_TYPE_MAP_SESSION, NULL);
}

TwDocument *
tw_map_session_get_document (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), NULL);

  return self->document;
}

void
tw_map_session_set_document (TwMapSession *self,
                             TwDocument   *document)
{
  gboolean prefetched;

  g_return_if_fail (TW_IS_MAP_SESSION (self));
  g_return_if_fail (document == NULL || TW_IS_DOCUMENT (document));

  if (self->document == document)
    return;
  prefetched = document != NULL && self->prefetch_document == document;
  if (!prefetched)
    clear_prefetch (self);
  if (self->document != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->document, self);
      g_clear_pointer (&self->read_only_binding, g_binding_unbind);
    }
  g_set_object (&self->document, document);
  if (document != NULL)
    {
      g_signal_connect_object (document, "changed::" TW_DOCUMENT_CHANGED_POLICY,
                               G_CALLBACK (tw_map_session_refresh), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "changed::" TW_DOCUMENT_CHANGED_ATTRIBUTES,
                               G_CALLBACK (tw_map_session_refresh), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "changed::" TW_DOCUMENT_CHANGED_OUTCOMES,
                               G_CALLBACK (on_document_outcomes_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "notify::summary",
                               G_CALLBACK (update_geographies), self, G_CONNECT_SWAPPED);
      self->read_only_binding = g_object_bind_property (document, "read-only",
                                                        self, "read-only",
                                                        G_BINDING_SYNC_CREATE);
    }
  update_geographies (self);
  notify (self, PROP_DOCUMENT);

  if (document == NULL || self->geographies[0] == NULL)
    {
      gboolean had_layer = self->layer != NULL, had_choropleth = self->choropleth != NULL;

      stop_work (self);
      clear_prefetch (self);
      g_clear_pointer (&self->layer, tw_area_layer_unref);
      g_clear_pointer (&self->choropleth, tw_choropleth_unref);
      g_clear_pointer (&self->rows, g_ptr_array_unref);
      g_clear_pointer (&self->series, tw_area_series_free);
      if (had_choropleth)
        notify (self, PROP_CHOROPLETH);
      if (had_layer)
        notify (self, PROP_LAYER);
      return;
    }

  /* The first geography has been loading since the file was opened (unless other work
   * took its place meanwhile). */
  if (prefetched && self->prefetch_pending
      && !g_cancellable_is_cancelled (self->prefetch_cancellable))
    {
      self->prefetch_pending = FALSE;
      g_clear_object (&self->prefetch_document);
      /* on_layer_loaded applies it */
      return;
    }
  if (prefetched && !self->prefetch_pending)
    {
      LayerJob *result = g_steal_pointer (&self->prefetched);
      g_autoptr(GError) error = g_steal_pointer (&self->prefetch_error);

      clear_prefetch (self);
      apply_layer_result (self, result, error);
      g_clear_pointer (&result, layer_job_free);
      return;
    }
  clear_prefetch (self);
  load_layer (self, document, NULL);
}

void
tw_map_session_prefetch (TwMapSession *self,
                         TwDocument   *document,
                         const char   *geography)
{
  g_return_if_fail (TW_IS_MAP_SESSION (self));
  g_return_if_fail (TW_IS_DOCUMENT (document));

  clear_prefetch (self);
  load_layer_or_first (self, document, geography, TRUE);
  self->prefetch_document = g_object_ref (document);
  self->prefetch_cancellable = g_object_ref (self->cancellable);
  self->prefetch_pending = TRUE;
}

void
tw_map_session_discard_prefetch (TwMapSession *self)
{
  g_return_if_fail (TW_IS_MAP_SESSION (self));

  if (self->prefetch_document == NULL)
    return;
  stop_work (self);
  clear_prefetch (self);
}

const char * const *
tw_map_session_get_geographies (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), NULL);

  return (const char * const *) self->geographies;
}

const char *
tw_map_session_get_geography (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), NULL);

  return self->geography;
}

void
tw_map_session_set_geography (TwMapSession *self,
                              const char   *geography)
{
  g_return_if_fail (TW_IS_MAP_SESSION (self));

  if (!set_string (&self->geography, geography))
    return;
  notify (self, PROP_GEOGRAPHY);
  if (self->document != NULL)
    load_layer (self, self->document, self->geography);
}

GPtrArray *
tw_map_session_get_measures (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), NULL);

  return self->measures;
}

const char *
tw_map_session_get_measure (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), NULL);

  return self->measure;
}

void
tw_map_session_set_measure (TwMapSession *self,
                            const char   *measure)
{
  g_return_if_fail (TW_IS_MAP_SESSION (self));

  if (!set_string (&self->measure, measure))
    return;
  g_object_freeze_notify (G_OBJECT (self));
  notify (self, PROP_MEASURE);
  validate_period_and_group (self);
  g_object_thaw_notify (G_OBJECT (self));
  compute_choropleth (self);
}

const char *
tw_map_session_get_period (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), NULL);

  return self->period;
}

void
tw_map_session_set_period (TwMapSession *self,
                           const char   *period)
{
  g_return_if_fail (TW_IS_MAP_SESSION (self));

  if (!set_string (&self->period, period))
    return;
  notify (self, PROP_PERIOD);
  compute_choropleth (self);
}

const char *
tw_map_session_get_from_period (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), NULL);

  return self->from_period;
}

void
tw_map_session_set_from_period (TwMapSession *self,
                                const char   *period)
{
  g_return_if_fail (TW_IS_MAP_SESSION (self));

  if (!set_string (&self->from_period, period))
    return;
  notify (self, PROP_FROM_PERIOD);
  if (self->mode == TW_MAP_MODE_CHANGE || self->mode == TW_MAP_MODE_CHANGE_RATIO)
    compute_choropleth (self);
}

TwMapMode
tw_map_session_get_mode (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), TW_MAP_MODE_RATE);

  return self->mode;
}

void
tw_map_session_set_mode (TwMapSession *self,
                         TwMapMode     mode)
{
  g_return_if_fail (TW_IS_MAP_SESSION (self));
  g_return_if_fail (mode <= TW_MAP_MODE_TREND);

  if (self->mode == mode)
    return;
  self->mode = mode;
  notify (self, PROP_MODE);
  compute_choropleth (self);
}

const char *
tw_map_session_get_group (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), NULL);

  return self->group;
}

void
tw_map_session_set_group (TwMapSession *self,
                          const char   *group)
{
  g_return_if_fail (TW_IS_MAP_SESSION (self));

  if (!set_string (&self->group, group))
    return;
  notify (self, PROP_GROUP);
  compute_choropleth (self);
}

TwClassifyMethod
tw_map_session_get_method (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), TW_CLASSIFY_QUANTILE);

  return self->method;
}

void
tw_map_session_set_method (TwMapSession     *self,
                           TwClassifyMethod  method)
{
  gboolean was_invalid;

  g_return_if_fail (TW_IS_MAP_SESSION (self));

  if (self->method == method)
    return;
  was_invalid = tw_map_session_get_breaks_invalid (self);
  self->method = method;
  notify (self, PROP_METHOD);
  if (was_invalid != tw_map_session_get_breaks_invalid (self))
    notify (self, PROP_BREAKS_INVALID);
  compute_choropleth (self);
}

guint
tw_map_session_get_classes (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), TW_MAP_SESSION_DEFAULT_CLASSES);

  return self->classes;
}

void
tw_map_session_set_classes (TwMapSession *self,
                            guint         classes)
{
  g_return_if_fail (TW_IS_MAP_SESSION (self));
  g_return_if_fail (classes >= TW_CLASSIFY_MIN_CLASSES && classes <= TW_CLASSIFY_MAX_CLASSES);

  if (self->classes == classes)
    return;
  self->classes = classes;
  notify (self, PROP_CLASSES);
  compute_choropleth (self);
}

const char *
tw_map_session_get_breaks (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), NULL);

  return self->breaks;
}

void
tw_map_session_set_breaks (TwMapSession *self,
                           const char   *breaks)
{
  gboolean was_invalid;

  g_return_if_fail (TW_IS_MAP_SESSION (self));

  was_invalid = tw_map_session_get_breaks_invalid (self);
  if (!set_string (&self->breaks, breaks))
    return;
  notify (self, PROP_BREAKS);
  if (was_invalid != tw_map_session_get_breaks_invalid (self))
    notify (self, PROP_BREAKS_INVALID);
  if (self->method == TW_CLASSIFY_MANUAL)
    compute_choropleth (self);
}

gboolean
tw_map_session_get_breaks_invalid (TwMapSession *self)
{
  g_autofree double *breaks = NULL;
  guint n_breaks = 0;

  g_return_val_if_fail (TW_IS_MAP_SESSION (self), FALSE);

  if (self->method != TW_CLASSIFY_MANUAL)
    return FALSE;
  breaks = tw_map_request_parse_breaks (self->breaks != NULL ? self->breaks : "", &n_breaks,
                                        NULL);
  return breaks == NULL;
}

const char *
tw_map_session_get_palette (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), NULL);

  return self->palette;
}

void
tw_map_session_set_palette (TwMapSession *self,
                            const char   *palette)
{
  g_return_if_fail (TW_IS_MAP_SESSION (self));

  if (!set_string (&self->palette, palette))
    return;
  notify (self, PROP_PALETTE);
  compute_choropleth (self);
}

gboolean
tw_map_session_get_reveal (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), FALSE);

  return self->reveal;
}

void
tw_map_session_set_reveal (TwMapSession *self,
                           gboolean      reveal)
{
  g_return_if_fail (TW_IS_MAP_SESSION (self));

  reveal = !!reveal;
  /* A review copy holds no suppressed figure to reveal. */
  if (self->reveal == reveal || (reveal && self->read_only))
    return;
  self->reveal = reveal;
  notify (self, PROP_REVEAL);
  compute_choropleth (self);
}

gboolean
tw_map_session_get_read_only (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), FALSE);

  return self->read_only;
}

void
tw_map_session_set_read_only (TwMapSession *self,
                              gboolean      read_only)
{
  g_return_if_fail (TW_IS_MAP_SESSION (self));

  read_only = !!read_only;
  if (self->read_only == read_only)
    return;
  self->read_only = read_only;
  notify (self, PROP_READ_ONLY);
  /* Nothing is hidden to reveal in a review copy. */
  if (read_only && self->reveal)
    tw_map_session_set_reveal (self, FALSE);
}

TwAreaLayer *
tw_map_session_get_layer (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), NULL);

  return self->layer;
}

TwChoropleth *
tw_map_session_get_choropleth (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), NULL);

  return self->choropleth;
}

GPtrArray *
tw_map_session_get_rows (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), NULL);

  return self->rows;
}

int
tw_map_session_get_selected_area (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), -1);

  return self->selected;
}

void
tw_map_session_set_selected_area (TwMapSession *self,
                                  int           area)
{
  g_return_if_fail (TW_IS_MAP_SESSION (self));

  if (area < 0 || self->layer == NULL || (guint) area >= tw_area_layer_get_n_areas (self->layer))
    area = -1;
  if (self->selected == area)
    return;
  self->selected = area;
  /* What was just picked is what the details card describes, until the pointer moves over
   * the map again. */
  if (self->hovered != -1)
    {
      self->hovered = -1;
      notify (self, PROP_HOVERED_AREA);
    }
  notify (self, PROP_SELECTED_AREA);
}

int
tw_map_session_get_hovered_area (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), -1);

  return self->hovered;
}

void
tw_map_session_set_hovered_area (TwMapSession *self,
                                 int           area)
{
  g_return_if_fail (TW_IS_MAP_SESSION (self));

  if (area < 0 || self->layer == NULL || (guint) area >= tw_area_layer_get_n_areas (self->layer))
    area = -1;
  if (self->hovered == area)
    return;
  self->hovered = area;
  notify (self, PROP_HOVERED_AREA);
}

gboolean
tw_map_session_get_busy (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), FALSE);

  return self->cancellable != NULL;
}

void
tw_map_session_refresh (TwMapSession *self)
{
  g_return_if_fail (TW_IS_MAP_SESSION (self));

  compute_choropleth (self);
}

const double *
tw_map_session_get_series (TwMapSession        *self,
                           int                  area,
                           const char *const  **periods,
                           guint               *n_periods)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), NULL);
  g_return_val_if_fail (periods != NULL && n_periods != NULL, NULL);

  if (self->series == NULL || area < 0 || (guint) area >= self->series->n_areas)
    return NULL;
  *periods = (const char *const *) self->series->periods;
  *n_periods = self->series->n_periods;
  return &self->series->rates[(guint) area * self->series->n_periods];
}
