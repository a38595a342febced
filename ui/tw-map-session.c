/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-map-session"

#include <math.h>
#include <glib/gi18n.h>

#include "tw-areas-table.h"
#include "tw-map-catalog.h"
#include "tw-map-session.h"
#include "tw-palette.h"
#include "tw-store.h"

struct _TwMapSession
{
  GObject           parent_instance;

  /* What the map shows */
  char             *path;
  GStrv             geographies;
  char             *geography;
  char             *measure;
  char             *period;
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

  /* The work running: a layer or a choropleth, never both */
  GCancellable     *cancellable;

  /* The first geography of a project being opened, loaded beside its summary */
  char             *prefetch_path;
  gboolean          prefetch_pending;
  struct _LayerResult *prefetched;
  GError           *prefetch_error;
};

G_DEFINE_FINAL_TYPE (TwMapSession, tw_map_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_GEOGRAPHIES,
  PROP_GEOGRAPHY,
  PROP_MEASURES,
  PROP_MEASURE,
  PROP_PERIOD,
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

typedef struct
{
  char *path;
  char *geography;
} LayerData;

typedef struct _LayerResult
{
  char        *path;
  char        *geography;
  TwAreaLayer *layer;
  GPtrArray   *measures;   /* TwMapMeasure * with outcomes in this geography */
} LayerResult;

typedef struct
{
  char             *path;
  TwAreaLayer      *layer;
  char             *measure;
  char             *period;
  char             *stratum;
  TwClassifyMethod  method;
  guint             n_classes;
  char             *palette;
  gboolean          reveal;
  GArray           *breaks;  /* double: typed breaks between classes (manual method) */
} ChoroplethData;

typedef struct
{
  TwChoropleth *choropleth;
  GPtrArray    *rows;       /* TwAreaRow * */
} ChoroplethResult;

static void compute_choropleth (TwMapSession *self);

static void
layer_data_free (LayerData *data)
{
  g_free (data->path);
  g_free (data->geography);
  g_free (data);
}

static void
layer_result_free (LayerResult *result)
{
  g_free (result->path);
  g_free (result->geography);
  g_clear_pointer (&result->layer, tw_area_layer_unref);
  g_clear_pointer (&result->measures, g_ptr_array_unref);
  g_free (result);
}

static void
choropleth_data_free (ChoroplethData *data)
{
  g_free (data->path);
  g_clear_pointer (&data->layer, tw_area_layer_unref);
  g_free (data->measure);
  g_free (data->period);
  g_free (data->stratum);
  g_free (data->palette);
  g_clear_pointer (&data->breaks, g_array_unref);
  g_free (data);
}

static void
choropleth_result_free (ChoroplethResult *result)
{
  g_clear_pointer (&result->choropleth, tw_choropleth_unref);
  g_clear_pointer (&result->rows, g_ptr_array_unref);
  g_free (result);
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

      if (self->period != NULL && g_strv_contains ((const char * const *) measure->periods,
                                                   self->period))
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
  if (set_string (&self->group, group))
    notify (self, PROP_GROUP);
}

/* Threads */

static void
load_layer_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  LayerData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  LayerResult *result;
  gint64 geography_id, start;

  if ((store = tw_store_open (data->path, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* None named: the first, as the summary lists them. */
  if (data->geography == NULL
      && (data->geography = tw_map_catalog_first_geography (store, &error)) == NULL
      && error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if ((geography_id = tw_store_resolve_geography (store, data->geography, &error)) < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_new0 (LayerResult, 1);
  result->path = g_strdup (data->path);
  result->geography = g_strdup (data->geography);
  start = g_get_monotonic_time ();
  result->layer = tw_area_layer_load (store, geography_id, cancellable, &error);
  g_debug ("Areas loaded in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
  if (result->layer == NULL)
    {
      layer_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  start = g_get_monotonic_time ();
  if ((result->measures = tw_map_catalog_list_measures (store, geography_id, &error)) == NULL)
    {
      layer_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_debug ("Measures listed in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);

  if (g_task_return_error_if_cancelled (task))
    {
      layer_result_free (result);
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) layer_result_free);
}

static void
compute_choropleth_thread (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  ChoroplethData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  TwChoroplethQuery query = { 0 };
  ChoroplethResult *result;
  gint64 start;

  if ((store = tw_store_open (data->path, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  query.measure = data->measure;
  query.period = data->period;
  query.stratum = g_strcmp0 (data->stratum, "all") == 0 ? NULL : data->stratum;
  query.method = data->method;
  query.n_classes = data->n_classes;
  query.palette = data->palette;
  query.reveal = data->reveal;
  if (data->breaks != NULL)
    {
      query.manual_breaks = (const double *) data->breaks->data;
      query.n_manual_breaks = data->breaks->len;
    }

  result = g_new0 (ChoroplethResult, 1);
  start = g_get_monotonic_time ();
  result->choropleth = tw_choropleth_compute (store, data->layer, &query, cancellable, &error);
  g_debug ("Choropleth computed in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
  if (result->choropleth == NULL)
    {
      choropleth_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The table's rows are made here too: formatting thousands of figures is not for the
   * main loop. */
  start = g_get_monotonic_time ();
  result->rows = tw_areas_table_make_rows (result->choropleth, data->layer, cancellable);
  g_debug ("Table rows made in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
  if (g_task_return_error_if_cancelled (task))
    {
      choropleth_result_free (result);
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) choropleth_result_free);
}

/* Results */

static void
apply_layer_result (TwMapSession *self,
                    LayerResult  *result,
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
  TwMapSession *self = TW_MAP_SESSION (object);
  g_autoptr(GError) error = NULL;
  LayerResult *result = g_task_propagate_pointer (G_TASK (res), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Loaded while the summary is still being read: shown once it is. */
  if (self->prefetch_pending)
    {
      self->prefetch_pending = FALSE;
      self->prefetched = result;
      self->prefetch_error = g_steal_pointer (&error);
      return;
    }
  apply_layer_result (self, result, error);
  g_clear_pointer (&result, layer_result_free);
}

static void
load_layer (TwMapSession *self,
            const char   *path,
            const char   *geography)
{
  g_autoptr(GTask) task = NULL;
  GCancellable *cancellable = restart_work (self);
  LayerData *data = g_new0 (LayerData, 1);

  data->path = g_strdup (path);
  data->geography = g_strdup (geography);

  task = g_task_new (self, cancellable, on_layer_loaded, NULL);
  g_task_set_source_tag (task, load_layer);
  g_task_set_task_data (task, data, (GDestroyNotify) layer_data_free);
  g_task_run_in_thread (task, load_layer_thread);
}

static void
on_choropleth_computed (GObject      *object,
                        GAsyncResult *res,
                        gpointer      user_data)
{
  TwMapSession *self = TW_MAP_SESSION (object);
  g_autoptr(GError) error = NULL;
  ChoroplethResult *result = g_task_propagate_pointer (G_TASK (res), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (result == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not compute the map: %s"),
                                                  error->message);
      g_warning ("%s", message);
      stop_work (self);
      g_signal_emit (self, signals[CHOROPLETH_FAILED], 0, message);
      return;
    }

  g_clear_pointer (&self->choropleth, tw_choropleth_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  self->choropleth = g_steal_pointer (&result->choropleth);
  self->rows = g_steal_pointer (&result->rows);
  choropleth_result_free (result);
  g_clear_object (&self->cancellable);
  notify (self, PROP_CHOROPLETH);
  notify (self, PROP_BUSY);
}

static void
compute_choropleth (TwMapSession *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GArray) breaks = NULL;
  GCancellable *cancellable;
  ChoroplethData *data;

  if (self->layer == NULL || self->path == NULL || self->measure == NULL
      || self->period == NULL)
    {
      stop_work (self);
      return;
    }
  if (self->method == TW_CLASSIFY_MANUAL
      && (breaks = tw_map_session_parse_breaks (self->breaks)) == NULL)
    {
      /* Nothing typed yet, or not numbers: the map stays as it is until they are. */
      stop_work (self);
      return;
    }

  cancellable = restart_work (self);
  data = g_new0 (ChoroplethData, 1);
  data->path = g_strdup (self->path);
  data->layer = tw_area_layer_ref (self->layer);
  data->measure = g_strdup (self->measure);
  data->period = g_strdup (self->period);
  data->stratum = g_strdup (self->group);
  data->method = self->method;
  data->n_classes = self->classes;
  data->palette = g_strdup (self->palette);
  data->reveal = self->reveal;
  data->breaks = g_steal_pointer (&breaks);

  task = g_task_new (self, cancellable, on_choropleth_computed, NULL);
  g_task_set_source_tag (task, compute_choropleth);
  g_task_set_task_data (task, data, (GDestroyNotify) choropleth_data_free);
  g_task_run_in_thread (task, compute_choropleth_thread);
}

static void
clear_prefetch (TwMapSession *self)
{
  g_clear_pointer (&self->prefetch_path, g_free);
  g_clear_pointer (&self->prefetched, layer_result_free);
  g_clear_error (&self->prefetch_error);
  self->prefetch_pending = FALSE;
}

/* GObject */

static void
tw_map_session_dispose (GObject *object)
{
  TwMapSession *self = TW_MAP_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  clear_prefetch (self);

  G_OBJECT_CLASS (tw_map_session_parent_class)->dispose (object);
}

static void
tw_map_session_finalize (GObject *object)
{
  TwMapSession *self = TW_MAP_SESSION (object);

  g_free (self->path);
  g_strfreev (self->geographies);
  g_free (self->geography);
  g_free (self->measure);
  g_free (self->period);
  g_free (self->group);
  g_free (self->breaks);
  g_free (self->palette);
  g_clear_pointer (&self->measures, g_ptr_array_unref);
  g_clear_pointer (&self->layer, tw_area_layer_unref);
  g_clear_pointer (&self->choropleth, tw_choropleth_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

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
    case PROP_PATH:
      g_value_set_string (value, self->path);
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
    case PROP_PATH:
      tw_map_session_set_path (self, g_value_get_string (value));
      break;
    case PROP_GEOGRAPHIES:
      tw_map_session_set_geographies (self, g_value_get_boxed (value));
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

  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, rw);
  properties[PROP_GEOGRAPHIES] = g_param_spec_boxed ("geographies", NULL, NULL,
                                                     G_TYPE_STRV, rw);
  properties[PROP_GEOGRAPHY] = g_param_spec_string ("geography", NULL, NULL, NULL, rw);
  /** TwMapSession:measures: a GPtrArray of TwMapMeasure *, or NULL. */
  properties[PROP_MEASURES] = g_param_spec_pointer ("measures", NULL, NULL, ro);
  properties[PROP_MEASURE] = g_param_spec_string ("measure", NULL, NULL, NULL, rw);
  properties[PROP_PERIOD] = g_param_spec_string ("period", NULL, NULL, NULL, rw);
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

const char *
tw_map_session_get_path (TwMapSession *self)
{
  g_return_val_if_fail (TW_IS_MAP_SESSION (self), NULL);

  return self->path;
}

void
tw_map_session_set_path (TwMapSession *self,
                         const char   *path)
{
  g_return_if_fail (TW_IS_MAP_SESSION (self));

  /* The same file read again (after an import) loads again when it was prefetched. */
  if (!set_string (&self->path, path))
    {
      if (path == NULL || g_strcmp0 (self->prefetch_path, path) != 0)
        return;
    }
  else
    notify (self, PROP_PATH);
  if (g_strcmp0 (self->prefetch_path, path) != 0)
    clear_prefetch (self);

  if (path == NULL || self->geographies == NULL || self->geographies[0] == NULL)
    {
      gboolean had_layer = self->layer != NULL, had_choropleth = self->choropleth != NULL;

      stop_work (self);
      clear_prefetch (self);
      g_clear_pointer (&self->layer, tw_area_layer_unref);
      g_clear_pointer (&self->choropleth, tw_choropleth_unref);
      g_clear_pointer (&self->rows, g_ptr_array_unref);
      if (had_choropleth)
        notify (self, PROP_CHOROPLETH);
      if (had_layer)
        notify (self, PROP_LAYER);
      return;
    }

  /* The first geography has been loading since the file was opened. */
  if (self->prefetch_pending)
    {
      self->prefetch_pending = FALSE;
      g_clear_pointer (&self->prefetch_path, g_free);
      /* on_layer_loaded applies it */
      return;
    }
  if (self->prefetched != NULL || self->prefetch_error != NULL)
    {
      LayerResult *result = g_steal_pointer (&self->prefetched);
      g_autoptr(GError) error = g_steal_pointer (&self->prefetch_error);

      clear_prefetch (self);
      apply_layer_result (self, result, error);
      g_clear_pointer (&result, layer_result_free);
      return;
    }
  load_layer (self, path, self->geographies[0]);
}

void
tw_map_session_prefetch (TwMapSession *self,
                         const char   *path)
{
  g_return_if_fail (TW_IS_MAP_SESSION (self));
  g_return_if_fail (path != NULL);

  clear_prefetch (self);
  load_layer (self, path, NULL);
  self->prefetch_path = g_strdup (path);
  self->prefetch_pending = TRUE;
}

void
tw_map_session_discard_prefetch (TwMapSession *self)
{
  g_return_if_fail (TW_IS_MAP_SESSION (self));

  if (self->prefetch_path == NULL)
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

void
tw_map_session_set_geographies (TwMapSession       *self,
                                const char * const *geographies)
{
  g_return_if_fail (TW_IS_MAP_SESSION (self));

  if (self->geographies != NULL && geographies != NULL
      && g_strv_equal ((const char * const *) self->geographies, geographies))
    return;
  g_strfreev (self->geographies);
  self->geographies = g_strdupv ((char **) geographies);
  notify (self, PROP_GEOGRAPHIES);
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
  if (self->path != NULL)
    load_layer (self, self->path, self->geography);
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
  g_autoptr(GArray) breaks = NULL;

  g_return_val_if_fail (TW_IS_MAP_SESSION (self), FALSE);

  if (self->method != TW_CLASSIFY_MANUAL)
    return FALSE;
  breaks = tw_map_session_parse_breaks (self->breaks);
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

GArray *
tw_map_session_parse_breaks (const char *text)
{
  g_auto(GStrv) pieces = NULL;
  g_autoptr(GArray) breaks = g_array_new (FALSE, FALSE, sizeof (double));

  if (text == NULL)
    return NULL;
  pieces = g_regex_split_simple ("[,;\\s]+", text, 0, 0);
  for (guint i = 0; pieces[i] != NULL; i++)
    {
      char *end = NULL;
      double value;

      if (*pieces[i] == '\0')
        continue;
      value = g_ascii_strtod (pieces[i], &end);
      if (end == pieces[i] || *end != '\0' || !isfinite (value))
        return NULL;
      g_array_append_val (breaks, value);
    }
  return breaks->len > 0 ? g_steal_pointer (&breaks) : NULL;
}
