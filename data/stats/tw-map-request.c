/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-map-request"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "tw-change.h"
#include "tw-store-catalog.h"
#include "tw-trend.h"
#include "tw-map-request.h"
#include "tw-palette.h"

struct _TwMapRequest
{
  char             *geography;   /* NULL: the default */
  char             *measure;
  char             *period;
  char             *stratum;     /* NULL: every group */
  TwClassifyMethod  method;
  guint             n_classes;
  double           *breaks;
  guint             n_breaks;
  char             *palette;     /* NULL: the default */
  gboolean          reveal;
  TwMapMode         mode;
  char             *from_period; /* a change's first period */
};

G_DEFINE_BOXED_TYPE (TwMapRequest, tw_map_request, tw_map_request_copy, tw_map_request_free)
G_DEFINE_QUARK (tw-map-request-error-quark, tw_map_request_error)

#define BREAKS_EXAMPLE "e.g. 1.5, 2.5, 4"

/* Helpers */

static gboolean
is_change (const TwMapRequest *self)
{
  return self->mode == TW_MAP_MODE_CHANGE || self->mode == TW_MAP_MODE_CHANGE_RATIO;
}

static gboolean
is_separator (char c)
{
  return c == ',' || c == ';';
}

static char *
join_names (GPtrArray *entries)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      TwGeographyInfo *entry = g_ptr_array_index (entries, i);

      g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", entry->name);
    }
  return g_string_free (g_steal_pointer (&list), FALSE);
}

/* Finite, strictly increasing, and as many as 3 to 9 classes need. */
static gboolean
check_breaks (const double  *breaks,
              guint          n_breaks,
              GError       **error)
{
  for (guint i = 0; i < n_breaks; i++)
    {
      if (!isfinite (breaks[i]))
        {
          g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_BREAKS,
                       "break %u is not a finite number; give the thresholds between "
                       "classes as increasing numbers, " BREAKS_EXAMPLE, i + 1);
          return FALSE;
        }
      if (i > 0 && breaks[i] <= breaks[i - 1])
        {
          g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_BREAKS,
                       "%g does not follow a smaller break (%g); give the thresholds "
                       "between classes in increasing order", breaks[i], breaks[i - 1]);
          return FALSE;
        }
    }
  if (n_breaks + 1 < TW_CLASSIFY_MIN_CLASSES || n_breaks + 1 > TW_CLASSIFY_MAX_CLASSES)
    {
      g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_BREAKS,
                   "%u %s %u classes; give %d to %d breaks for %d to %d classes",
                   n_breaks, n_breaks == 1 ? "break makes" : "breaks make", n_breaks + 1,
                   TW_CLASSIFY_MIN_CLASSES - 1, TW_CLASSIFY_MAX_CLASSES - 1,
                   TW_CLASSIFY_MIN_CLASSES, TW_CLASSIFY_MAX_CLASSES);
      return FALSE;
    }
  return TRUE;
}

/* A number as C writes it in decimal: no hexadecimal, "inf", "nan" or thousands commas,
 * which strtod would take or stop at. */
static gboolean
parse_number (const char  *piece,
              double      *value,
              GError     **error)
{
  char *end = NULL;

  for (const char *c = piece; *c != '\0'; c++)
    if (!g_ascii_isdigit (*c) && strchr ("+-.eE", *c) == NULL)
      end = (char *) piece;
  if (end == NULL)
    {
      errno = 0;
      *value = g_ascii_strtod (piece, &end);
    }
  if (end == piece || *end != '\0')
    {
      g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_BREAKS,
                   "'%s' is not a number; give the thresholds between classes as "
                   "increasing numbers, " BREAKS_EXAMPLE, piece);
      return FALSE;
    }
  if (errno == ERANGE || !isfinite (*value))
    {
      g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_BREAKS,
                   "'%s' is too large or too small a number for a break; give the "
                   "thresholds between classes as increasing numbers, " BREAKS_EXAMPLE, piece);
      return FALSE;
    }
  return TRUE;
}

static gint64
resolve_measure (const TwMapRequest  *self,
                 TwStore             *store,
                 GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TwProjectSummary) summary = NULL;
  g_autoptr(GString) list = NULL;
  gint64 id;

  id = tw_store_resolve_measure (store, self->measure, &local_error);
  if (id >= 0 || !g_error_matches (local_error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID))
    {
      if (id < 0)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return id;
    }

  /* The store's message names a command-line option: say it in this module's words. */
  summary = tw_store_summarize (store, error);
  if (summary == NULL)
    return -1;
  list = g_string_new (NULL);
  for (guint i = 0; i < summary->measures->len; i++)
    {
      TwMeasureSummary *measure = g_ptr_array_index (summary->measures, i);

      g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", measure->code);
    }
  if (list->len == 0)
    g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_MEASURE,
                 "%s: no measure '%s': the project holds no outcomes yet; import some first",
                 tw_store_get_path (store), self->measure);
  else
    g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_MEASURE,
                 "%s: no measure '%s'; use one of %s", tw_store_get_path (store),
                 self->measure, list->str);
  return -1;
}

static void
set_period_error (const TwMapRequest  *self,
                  TwStore             *store,
                  GStrv                periods,
                  GError             **error)
{
  g_autofree char *list = g_strjoinv (", ", periods);

  g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_PERIOD,
               "%s: measure '%s' has no period '%s'; use one of %s",
               tw_store_get_path (store), self->measure, self->period,
               periods[0] != NULL ? list : "(none)");
}

/* Whether @periods holds @period, or every period a pool "P1+P2" names. */
static gboolean
has_period (GStrv       periods,
            const char *period)
{
  g_auto(GStrv) parts = g_strsplit (period, "+", -1);

  if (g_strv_contains ((const char *const *) periods, period))
    return TRUE;
  for (guint p = 0; parts[p] != NULL; p++)
    if (!g_strv_contains ((const char *const *) periods, parts[p]))
      return FALSE;
  return parts[0] != NULL;
}

static gboolean
has_period_named (TwStore    *store,
                  gint64      measure_id,
                  const char *period)
{
  g_auto(GStrv) periods = tw_store_list_periods (store, measure_id, NULL);

  return periods != NULL && g_strv_contains ((const char *const *) periods, period);
}

/* The measure exists, has outcomes in the period and the group among its groups. */
static gboolean
check_against_store (const TwMapRequest  *self,
                     TwStore             *store,
                     GError             **error)
{
  const char *stratum = tw_map_request_get_stratum (self);
  g_auto(GStrv) periods = NULL;
  g_auto(GStrv) strata = NULL;
  gint64 measure_id;

  measure_id = resolve_measure (self, store, error);
  if (measure_id < 0)
    return FALSE;

  periods = tw_store_list_periods (store, measure_id, error);
  if (periods == NULL)
    return FALSE;
  if (!has_period (periods, self->period))
    {
      set_period_error (self, store, periods, error);
      return FALSE;
    }
  if (is_change (self) && !has_period (periods, self->from_period))
    {
      g_autofree char *list = g_strjoinv (", ", periods);

      g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_PERIOD,
                   "%s: measure '%s' has no period '%s' to compare with; use one of %s",
                   tw_store_get_path (store), self->measure, self->from_period,
                   periods[0] != NULL ? list : "(none)");
      return FALSE;
    }

  /* Groups are listed over every period, as the rate table reads them. */
  strata = tw_store_list_strata (store, measure_id, NULL, error);
  if (strata == NULL)
    return FALSE;
  if (!g_strv_contains ((const char *const *) strata, stratum))
    {
      g_autofree char *list = g_strjoinv (", ", strata);

      g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_STRATUM,
                   "%s: measure '%s' has no group '%s'; use one of %s",
                   tw_store_get_path (store), self->measure, stratum,
                   strata[0] != NULL ? list : "(none)");
      return FALSE;
    }
  return TRUE;
}

/* Public API */

TwMapRequest *
tw_map_request_new (void)
{
  TwMapRequest *self = g_new0 (TwMapRequest, 1);

  self->method = TW_CLASSIFY_QUANTILE;
  self->n_classes = TW_MAP_REQUEST_DEFAULT_CLASSES;
  return self;
}

TwMapRequest *
tw_map_request_copy (const TwMapRequest *self)
{
  TwMapRequest *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (TwMapRequest, 1);
  *copy = *self;
  copy->geography = g_strdup (self->geography);
  copy->measure = g_strdup (self->measure);
  copy->period = g_strdup (self->period);
  copy->stratum = g_strdup (self->stratum);
  copy->palette = g_strdup (self->palette);
  copy->from_period = g_strdup (self->from_period);
  copy->breaks = g_memdup2 (self->breaks, sizeof (double) * self->n_breaks);
  return copy;
}

void
tw_map_request_free (TwMapRequest *self)
{
  if (self == NULL)
    return;
  g_free (self->geography);
  g_free (self->measure);
  g_free (self->period);
  g_free (self->stratum);
  g_free (self->palette);
  g_free (self->from_period);
  g_free (self->breaks);
  g_free (self);
}

gboolean
tw_map_request_equal (const TwMapRequest *a,
                      const TwMapRequest *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_strcmp0 (a->geography, b->geography) == 0
         && g_strcmp0 (a->measure, b->measure) == 0
         && g_strcmp0 (a->period, b->period) == 0
         && g_strcmp0 (a->stratum, b->stratum) == 0
         && g_strcmp0 (a->palette, b->palette) == 0
         && a->method == b->method
         && (a->method == TW_CLASSIFY_MANUAL || a->n_classes == b->n_classes)
         && a->n_breaks == b->n_breaks
         && (a->n_breaks == 0
             || memcmp (a->breaks, b->breaks, sizeof (double) * a->n_breaks) == 0)
         && !a->reveal == !b->reveal
         && a->mode == b->mode
         && (!is_change (a) || g_strcmp0 (a->from_period, b->from_period) == 0);
}

void
tw_map_request_set_geography (TwMapRequest *self,
                              const char   *name)
{
  g_return_if_fail (self != NULL);
  g_free (self->geography);
  self->geography = g_strdup (name);
}

const char *
tw_map_request_get_geography (const TwMapRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->geography;
}

void
tw_map_request_set_measure (TwMapRequest *self,
                            const char   *code)
{
  g_return_if_fail (self != NULL);
  g_free (self->measure);
  self->measure = g_strdup (code);
}

const char *
tw_map_request_get_measure (const TwMapRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->measure;
}

void
tw_map_request_set_period (TwMapRequest *self,
                           const char   *period)
{
  g_return_if_fail (self != NULL);
  g_free (self->period);
  self->period = g_strdup (period);
}

const char *
tw_map_request_get_period (const TwMapRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->period;
}

void
tw_map_request_set_stratum (TwMapRequest *self,
                            const char   *stratum)
{
  g_return_if_fail (self != NULL);
  g_free (self->stratum);
  self->stratum = g_strcmp0 (stratum, "all") == 0 ? NULL : g_strdup (stratum);
}

const char *
tw_map_request_get_stratum (const TwMapRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->stratum != NULL ? self->stratum : "all";
}

void
tw_map_request_set_method (TwMapRequest     *self,
                           TwClassifyMethod  method)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (method <= TW_CLASSIFY_MANUAL);
  self->method = method;
}

gboolean
tw_map_request_set_method_name (TwMapRequest  *self,
                                const char    *name,
                                GError       **error)
{
  TwClassifyMethod method;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!tw_classify_method_from_string (name, &method, NULL))
    {
      g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_METHOD,
                   "no classification method '%s'; use quantile, equal, natural, stddev or "
                   "manual", name);
      return FALSE;
    }
  self->method = method;
  return TRUE;
}

TwClassifyMethod
tw_map_request_get_method (const TwMapRequest *self)
{
  g_return_val_if_fail (self != NULL, TW_CLASSIFY_QUANTILE);
  return self->method;
}

void
tw_map_request_set_n_classes (TwMapRequest *self,
                              guint         n_classes)
{
  g_return_if_fail (self != NULL);
  self->n_classes = n_classes;
}

guint
tw_map_request_get_n_classes (const TwMapRequest *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_classes;
}

double *
tw_map_request_parse_breaks (const char  *text,
                             guint       *n_breaks,
                             GError     **error)
{
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  const char *p = text;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (n_breaks != NULL, NULL);

  while (g_ascii_isspace (*p))
    p++;
  if (*p == '\0')
    {
      g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_BREAKS,
                   "no breaks given; give the thresholds between classes as increasing "
                   "numbers, " BREAKS_EXAMPLE);
      return NULL;
    }

  while (*p != '\0')
    {
      const char *start = p;
      g_autofree char *piece = NULL;
      double value;

      while (*p != '\0' && !g_ascii_isspace (*p) && !is_separator (*p))
        p++;
      if (p == start)
        {
          g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_BREAKS,
                       "'%s' has an empty break between separators; give numbers separated "
                       "by commas or spaces, " BREAKS_EXAMPLE, text);
          return NULL;
        }
      piece = g_strndup (start, p - start);
      if (!parse_number (piece, &value, error))
        return NULL;
      g_array_append_val (values, value);

      /* One separator, with spaces on either side, or spaces alone; none at the end. */
      while (g_ascii_isspace (*p))
        p++;
      if (is_separator (*p))
        {
          p++;
          while (g_ascii_isspace (*p))
            p++;
          if (*p == '\0')
            {
              g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_BREAKS,
                           "'%s' ends with a separator; give numbers separated by commas "
                           "or spaces, " BREAKS_EXAMPLE, text);
              return NULL;
            }
        }
    }

  if (!check_breaks ((const double *) values->data, values->len, error))
    return NULL;
  *n_breaks = values->len;
  return (double *) g_array_free (g_steal_pointer (&values), FALSE);
}

gboolean
tw_map_request_set_breaks_text (TwMapRequest  *self,
                                const char    *text,
                                GError       **error)
{
  double *breaks;
  guint n;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  breaks = tw_map_request_parse_breaks (text, &n, error);
  if (breaks == NULL)
    return FALSE;
  g_free (self->breaks);
  self->breaks = breaks;
  self->n_breaks = n;
  return TRUE;
}

void
tw_map_request_set_breaks (TwMapRequest *self,
                           const double *breaks,
                           guint         n_breaks)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (breaks != NULL || n_breaks == 0);

  g_free (self->breaks);
  self->breaks = g_memdup2 (breaks, sizeof (double) * n_breaks);
  self->n_breaks = n_breaks;
}

const double *
tw_map_request_get_breaks (const TwMapRequest *self,
                           guint              *n_breaks)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n_breaks != NULL)
    *n_breaks = self->n_breaks;
  return self->breaks;
}

void
tw_map_request_set_palette (TwMapRequest *self,
                            const char   *palette)
{
  g_return_if_fail (self != NULL);
  g_free (self->palette);
  self->palette = g_strdup (palette);
}

const char *
tw_map_request_get_palette (const TwMapRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->palette;
}

void
tw_map_request_set_reveal (TwMapRequest *self,
                           gboolean      reveal)
{
  g_return_if_fail (self != NULL);
  self->reveal = !!reveal;
}

gboolean
tw_map_request_get_reveal (const TwMapRequest *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->reveal;
}

void
tw_map_request_set_mode (TwMapRequest *self,
                         TwMapMode     mode)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (mode <= TW_MAP_MODE_TREND);
  self->mode = mode;
}

TwMapMode
tw_map_request_get_mode (const TwMapRequest *self)
{
  g_return_val_if_fail (self != NULL, TW_MAP_MODE_RATE);
  return self->mode;
}

void
tw_map_request_set_from_period (TwMapRequest *self,
                                const char   *period)
{
  g_return_if_fail (self != NULL);
  g_free (self->from_period);
  self->from_period = g_strdup (period);
}

const char *
tw_map_request_get_from_period (const TwMapRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->from_period;
}

gboolean
tw_map_request_validate (const TwMapRequest  *self,
                         GError             **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->measure == NULL || *self->measure == '\0')
    {
      g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_MEASURE,
                   "no measure chosen; a map shows one measure, by its code");
      return FALSE;
    }
  if (self->period == NULL || *self->period == '\0')
    {
      g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_PERIOD,
                   "no period chosen; a map shows one period of the measure");
      return FALSE;
    }
  if (is_change (self) && (self->from_period == NULL || *self->from_period == '\0'))
    {
      g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_PERIOD,
                   "no period to compare with; a map of change goes from one period to "
                   "another");
      return FALSE;
    }
  if (is_change (self) && g_strcmp0 (self->from_period, self->period) == 0)
    {
      g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_PERIOD,
                   "a change from %s to itself is none; choose two different periods",
                   self->period);
      return FALSE;
    }
  if (self->method == TW_CLASSIFY_MANUAL)
    {
      if (self->n_breaks == 0)
        {
          g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_BREAKS,
                       "the manual method needs breaks: give the thresholds between "
                       "classes as increasing numbers, " BREAKS_EXAMPLE);
          return FALSE;
        }
      if (!check_breaks (self->breaks, self->n_breaks, error))
        return FALSE;
    }
  else
    {
      if (self->n_breaks > 0)
        {
          g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_BREAKS,
                       "breaks go with the manual method, not %s; choose manual or leave "
                       "the breaks out", tw_classify_method_to_string (self->method));
          return FALSE;
        }
      if (self->n_classes < TW_CLASSIFY_MIN_CLASSES
          || self->n_classes > TW_CLASSIFY_MAX_CLASSES)
        {
          g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_CLASSES,
                       "a map has %d to %d classes; give a number in that range",
                       TW_CLASSIFY_MIN_CLASSES, TW_CLASSIFY_MAX_CLASSES);
          return FALSE;
        }
    }
  if (self->palette != NULL && tw_palette_lookup (self->palette) == NULL)
    {
      g_auto(GStrv) names = tw_palette_list_names (TW_PALETTE_FILTER_ALL);
      g_autofree char *list = g_strjoinv (", ", names);

      g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_PALETTE,
                   "no palette '%s'; use one of %s", self->palette, list);
      return FALSE;
    }
  return TRUE;
}

gint64
tw_map_request_resolve_geography (const TwMapRequest  *self,
                                  TwStore             *store,
                                  GError             **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *list = NULL, *first_period = NULL;
  gint64 measure_id = -1, found = -1;
  guint n_holding = 0;

  g_return_val_if_fail (self != NULL, -1);
  g_return_val_if_fail (store != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  entries = tw_store_list_geographies (store, -1, NULL, error);
  if (entries == NULL)
    return -1;
  if (entries->len == 0)
    {
      g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_GEOGRAPHY,
                   "%s: the project has no areas yet; import some first",
                   tw_store_get_path (store));
      return -1;
    }
  list = join_names (entries);

  if (self->geography != NULL)
    {
      for (guint i = 0; i < entries->len; i++)
        {
          TwGeographyInfo *entry = g_ptr_array_index (entries, i);

          if (g_str_equal (entry->name, self->geography))
            return entry->id;
        }
      g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_GEOGRAPHY,
                   "%s: no geography named '%s'; use one of %s", tw_store_get_path (store),
                   self->geography, list);
      return -1;
    }

  if (entries->len == 1 || self->measure == NULL)
    return ((TwGeographyInfo *) g_ptr_array_index (entries, 0))->id;

  measure_id = resolve_measure (self, store, error);
  if (measure_id < 0)
    return -1;
  g_clear_pointer (&entries, g_ptr_array_unref);
  /* A pool's geography is its first period's (the rate table reads its areas alike). */
  first_period = self->period == NULL ? NULL
                 : has_period_named (store, measure_id, self->period)
                 ? g_strdup (self->period)
                 : g_strndup (self->period, strcspn (self->period, "+"));
  entries = tw_store_list_geographies (store, measure_id, first_period, error);
  if (entries == NULL)
    return -1;
  for (guint i = 0; i < entries->len; i++)
    {
      TwGeographyInfo *entry = g_ptr_array_index (entries, i);

      if (entry->holds)
        {
          found = entry->id;
          n_holding++;
        }
    }
  if (n_holding == 1)
    return found;
  /* Held nowhere: most likely a period the measure does not have. */
  if (n_holding == 0 && self->period != NULL)
    {
      g_auto(GStrv) periods = tw_store_list_periods (store, measure_id, error);

      if (periods == NULL)
        return -1;
      if (!has_period (periods, self->period))
        {
          set_period_error (self, store, periods, error);
          return -1;
        }
    }
  g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_GEOGRAPHY,
               "%s: measure '%s' has outcomes%s%s in %s geography; name one of %s",
               tw_store_get_path (store), self->measure,
               self->period != NULL ? " for period " : "",
               self->period != NULL ? self->period : "",
               n_holding == 0 ? "no" : "more than one", list);
  return -1;
}

TwAreaLayer *
tw_map_request_load_layer (const TwMapRequest    *self,
                           TwStore               *store,
                           TwAreaLayerLoadFlags   flags,
                           GCancellable          *cancellable,
                           GError               **error)
{
  gint64 geography_id;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (store != NULL, NULL);

  geography_id = tw_map_request_resolve_geography (self, store, error);
  if (geography_id < 0)
    return NULL;
  return tw_area_layer_load_with_flags (store, geography_id, flags, cancellable, error);
}

/* A period as a legend says it: a pool "2019+2020+2021" as "2019–2021 pooled" when its
 * periods are consecutive years, else with its pluses spaced. */
static char *
period_words (const char *period)
{
  g_auto(GStrv) parts = g_strsplit (period, "+", -1);
  guint n = g_strv_length (parts);
  gboolean years = n > 1;

  for (guint i = 0; years && i < n; i++)
    {
      char *end = NULL;
      gint64 year = g_ascii_strtoll (parts[i], &end, 10);

      years = end != parts[i] && *end == '\0'
              && (i == 0 || year == g_ascii_strtoll (parts[i - 1], NULL, 10) + 1);
    }
  if (years)
    return g_strdup_printf ("%s–%s pooled", parts[0], parts[n - 1]);
  return g_strjoinv (" + ", parts);
}

/* Figures with no value for every area of a map of time, and the rates its changes are
 * between (NAN for a trend), to fill and hand to tw_choropleth_new_change (). */
static TwAreaFigure *
new_time_figures (guint    n_areas,
                  double **ends)
{
  TwAreaFigure *figures = g_new0 (TwAreaFigure, MAX (n_areas, 1));

  *ends = g_new (double, 2 * MAX (n_areas, 1));
  for (guint i = 0; i < n_areas; i++)
    {
      figures[i].numerator = figures[i].denominator = NAN;
      figures[i].rate = figures[i].lower = figures[i].upper = NAN;
      figures[i].status = TW_FIGURE_MISSING;
      (*ends)[2 * i] = (*ends)[2 * i + 1] = NAN;
    }
  return figures;
}

/* Draws a map of time from the figures filled in: @what names it after the measure's label
 * ("change in rate"), @period_label its periods. */
static TwChoropleth *
draw_time_map (const TwMapRequest  *self,
               TwStore             *store,
               TwAreaLayer         *layer,
               TwMeasureInfo       *measure,
               const char          *what,
               const char          *period_label,
               const char          *unit,
               TwAreaFigure        *figures,
               double              *ends,
               GError             **error)
{
  g_autofree char *label = NULL;
  TwChoroplethChangeSpec spec = { 0 };
  TwRateKind kind = TW_RATE_KIND_RATE;

  tw_rate_kind_from_string (measure->kind, &kind);
  label = g_strdup_printf ("%s: %s", measure->label != NULL && *measure->label != '\0'
                                     ? measure->label : measure->code, what);
  spec.measure_code = measure->code;
  spec.measure_label = label;
  spec.period_label = period_label;
  spec.unit = unit;
  spec.stratum = tw_map_request_get_stratum (self);
  spec.kind = kind;
  spec.multiplier = measure->multiplier;
  spec.higher_is_worse = measure->higher_is_worse;
  spec.ratio = self->mode == TW_MAP_MODE_CHANGE_RATIO;
  spec.reveal = self->reveal;
  spec.n_classes = self->n_classes;
  if (self->mode != TW_MAP_MODE_TREND)
    {
      spec.from_period = self->from_period;
      spec.to_period = self->period;
    }
  return tw_choropleth_new_change (store, layer, &spec, figures, ends, error);
}

/* The map of change of a request already checked: the change of each area of @layer in
 * the request's group, from tw-change. */
static TwChoropleth *
compute_change (const TwMapRequest  *self,
                TwStore             *store,
                TwAreaLayer         *layer,
                TwMeasureInfo       *measure,
                GCancellable        *cancellable,
                GError             **error)
{
  gboolean ratio = self->mode == TW_MAP_MODE_CHANGE_RATIO;
  const char *stratum = tw_map_request_get_stratum (self);
  g_autoptr(TwChange) change = NULL;
  g_autofree TwAreaFigure *figures = NULL;
  g_autofree double *ends = NULL;
  g_autofree char *from = NULL, *to = NULL, *period_label = NULL;
  TwChangeQuery query = { 0 };

  query.measure = self->measure;
  query.from = self->from_period;
  query.to = self->period;
  query.stratum = stratum;
  query.geography_id = tw_area_layer_get_geography_id (layer);
  query.reveal = self->reveal;
  change = tw_change_compute (store, &query, cancellable, error);
  if (change == NULL)
    return NULL;

  figures = new_time_figures (tw_area_layer_get_n_areas (layer), &ends);
  for (guint r = 0; r < tw_change_get_n_rows (change); r++)
    {
      const TwChangeRow *row = tw_change_get_row (change, r);
      int area = tw_area_layer_find_geoid (layer, row->geoid);
      TwAreaFigure *figure;

      if (area < 0 || g_strcmp0 (row->stratum, stratum) != 0)
        continue;
      figure = &figures[area];
      figure->rate = ratio ? row->estimate.ratio : row->estimate.difference;
      figure->lower = ratio ? row->estimate.ratio_lower : row->estimate.difference_lower;
      figure->upper = ratio ? row->estimate.ratio_upper : row->estimate.difference_upper;
      figure->suppressed = row->suppressed;
      figure->unstable = row->status == TW_FIGURE_UNRELIABLE;
      figure->status = row->status;
      figure->reason = row->reason;   /* the choropleth keeps a copy */
      ends[2 * area] = row->estimate.rate_from;
      ends[2 * area + 1] = row->estimate.rate_to;
    }

  from = period_words (self->from_period);
  to = period_words (self->period);
  period_label = g_strdup_printf ("%s → %s", from, to);
  return draw_time_map (self, store, layer, measure,
                        ratio ? "ratio of rates" : "change in rate", period_label,
                        ratio ? "×" : NULL, g_steal_pointer (&figures),
                        g_steal_pointer (&ends), error);
}

/* The map of trends of a request already checked: each area's annual percent change over
 * every period of the measure (tw-trend). */
static TwChoropleth *
compute_trend (const TwMapRequest  *self,
               TwStore             *store,
               TwAreaLayer         *layer,
               TwMeasureInfo       *measure,
               GCancellable        *cancellable,
               GError             **error)
{
  const char *stratum = tw_map_request_get_stratum (self);
  g_autoptr(TwTrend) trend = NULL;
  g_autofree TwAreaFigure *figures = NULL;
  g_autofree double *ends = NULL;
  g_auto(GStrv) periods = NULL;
  g_autofree char *period_label = NULL;
  guint n_periods;

  periods = tw_store_list_periods (store, measure->id, error);
  if (periods == NULL)
    return NULL;
  n_periods = g_strv_length (periods);
  trend = tw_trend_compute (store, measure->code, NULL, stratum,
                            tw_area_layer_get_geography_id (layer), self->reveal, cancellable,
                            error);
  if (trend == NULL)
    return NULL;

  figures = new_time_figures (tw_area_layer_get_n_areas (layer), &ends);
  for (guint r = 0; r < tw_trend_get_n_rows (trend); r++)
    {
      const TwTrendRow *row = tw_trend_get_row (trend, r);
      int area = tw_area_layer_find_geoid (layer, row->geoid);

      if (area < 0 || g_strcmp0 (row->stratum, stratum) != 0)
        continue;
      figures[area].rate = row->fit.apc;
      figures[area].lower = row->fit.apc_lower;
      figures[area].upper = row->fit.apc_upper;
      figures[area].suppressed = row->suppressed;
      figures[area].status = row->suppressed ? TW_FIGURE_SUPPRESSED : TW_FIGURE_SHOWN;
    }

  period_label = n_periods > 0 ? g_strdup_printf ("trend %s to %s", periods[0],
                                                  periods[n_periods - 1])
                               : g_strdup ("trend");
  return draw_time_map (self, store, layer, measure, "annual percent change", period_label,
                        "% a year", g_steal_pointer (&figures), g_steal_pointer (&ends),
                        error);
}

/* A map of change or trend, of a request already checked. */
static TwChoropleth *
compute_time_map (const TwMapRequest  *self,
                  TwStore             *store,
                  TwAreaLayer         *layer,
                  GCancellable        *cancellable,
                  GError             **error)
{
  g_autoptr(TwMeasureInfo) measure = NULL;

  if (!tw_store_find_measure (store, self->measure, &measure, error))
    return NULL;
  if (measure == NULL)
    {
      g_set_error (error, TW_MAP_REQUEST_ERROR, TW_MAP_REQUEST_ERROR_MEASURE,
                   "%s: no measure '%s'", tw_store_get_path (store), self->measure);
      return NULL;
    }
  if (self->mode == TW_MAP_MODE_TREND)
    return compute_trend (self, store, layer, measure, cancellable, error);
  return compute_change (self, store, layer, measure, cancellable, error);
}

/* The choropleth of a request already checked. */
static TwChoropleth *
compute_choropleth (const TwMapRequest  *self,
                    TwStore             *store,
                    TwAreaLayer         *layer,
                    GCancellable        *cancellable,
                    GError             **error)
{
  TwChoroplethQuery query = { 0 };

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (self->mode != TW_MAP_MODE_RATE)
    return compute_time_map (self, store, layer, cancellable, error);
  query.measure = self->measure;
  query.period = self->period;
  query.stratum = self->stratum;
  query.method = self->method;
  query.n_classes = self->n_classes;
  if (self->method == TW_CLASSIFY_MANUAL)
    {
      query.manual_breaks = self->breaks;
      query.n_manual_breaks = self->n_breaks;
    }
  query.palette = self->palette;
  query.reveal = self->reveal;
  return tw_choropleth_compute (store, layer, &query, cancellable, error);
}

TwChoropleth *
tw_map_request_compute_on_layer (const TwMapRequest  *self,
                                 TwStore             *store,
                                 TwAreaLayer         *layer,
                                 GCancellable        *cancellable,
                                 GError             **error)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (layer != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!tw_map_request_validate (self, error) || !check_against_store (self, store, error))
    return NULL;
  return compute_choropleth (self, store, layer, cancellable, error);
}

TwChoropleth *
tw_map_request_compute (const TwMapRequest  *self,
                        TwStore             *store,
                        GCancellable        *cancellable,
                        GError             **error)
{
  g_autoptr(TwAreaLayer) layer = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Everything a user can get wrong is said before the areas are read. */
  if (!tw_map_request_validate (self, error) || !check_against_store (self, store, error))
    return NULL;
  layer = tw_map_request_load_layer (self, store, TW_AREA_LAYER_LOAD_DEFAULT, cancellable,
                                     error);
  if (layer == NULL)
    return NULL;
  return compute_choropleth (self, store, layer, cancellable, error);
}

const char *
tw_map_request_error_option (const GError *error)
{
  static const char *const options[] = {
    [TW_MAP_REQUEST_ERROR_MEASURE] = "--measure",
    [TW_MAP_REQUEST_ERROR_PERIOD] = "--period",
    [TW_MAP_REQUEST_ERROR_STRATUM] = "--stratum",
    [TW_MAP_REQUEST_ERROR_GEOGRAPHY] = "--geography",
    [TW_MAP_REQUEST_ERROR_METHOD] = "--method",
    [TW_MAP_REQUEST_ERROR_CLASSES] = "--classes",
    [TW_MAP_REQUEST_ERROR_BREAKS] = "--breaks",
    [TW_MAP_REQUEST_ERROR_PALETTE] = "--palette",
  };

  if (error == NULL || error->domain != TW_MAP_REQUEST_ERROR || error->code < 0
      || (gsize) error->code >= G_N_ELEMENTS (options))
    return NULL;
  return options[error->code];
}
