/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-point-import"

#include <math.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <glib/gstdio.h>

#include "tw-gdal.h"
#include "tw-parallel.h"
#include "tw-outcome-import.h"
#include "tw-point-import.h"
#include "tw-point-locator.h"
#include "tw-store-catalog.h"
#include "tw-store-dictionary.h"
#include "tw-store-import.h"

/* Events are read, located and counted a batch at a time: memory does not grow with the
 * file. */
#define BATCH 65536
#define STORE_BATCH 4096

G_DEFINE_QUARK (tw-point-import-error-quark, tw_point_import_error)

/* DeGAUSS's precision, best first. */
static const char *const precisions[] = { "range", "street", "intersection", "zip", "city" };

typedef struct
{
  TwStore                    *store;
  const TwPointImportOptions *options;
  char                       *basename;
  gint64                      geography_id;

  /* The geography, in GEOID order. */
  guint            n_areas;
  GPtrArray       *geoids;
  GArray          *area_ids;      /* gint64 */
  GHashTable      *area_index;    /* geoid → index + 1 (the --geoid-field mode) */
  TwPointLocator  *locator;

  int col_lat, col_lon, col_geoid, col_group, col_period, col_precision;
  /* A GEOID given in parts (the Census geocoder's state, county and tract codes): the
   * columns after col_geoid whose text follows its. */
  int col_geoid_parts[3];
  guint n_geoid_parts;
  int min_rank;                   /* -1: no precision filter */
  /* The Census geocoder's batch result, which has no header line: its columns by place. */
  gboolean census_batch;
  int col_coordinates;            /* "lon,lat" in one field; -1 when not read so */
  OGRCoordinateTransformationH transform;

  /* Groups and periods of the events → their index; counts[c] is an array of n_areas
   * counts for the group × period pair c = group * n_periods_max + period, grown as
   * pairs appear. */
  GHashTable *group_index, *period_index;
  GPtrArray  *group_names, *period_names;
  GHashTable *pairs;              /* (group << 32 | period) → guint32 * counts */

  gint64 *records, *imprecise;    /* per area, for the quality report */

  TwPointImportResult *result;
} Import;

typedef struct
{
  gint64   row;
  guint    group, period;
  gboolean imprecise;
  int      area;                  /* known already (geoid mode), or -2: to locate */
} Event;

static void
import_clear (Import *self)
{
  g_free (self->basename);
  g_clear_pointer (&self->geoids, g_ptr_array_unref);
  g_clear_pointer (&self->area_ids, g_array_unref);
  g_clear_pointer (&self->area_index, g_hash_table_unref);
  g_clear_pointer (&self->locator, tw_point_locator_free);
  if (self->transform != NULL)
    OCTDestroyCoordinateTransformation (self->transform);
  g_clear_pointer (&self->group_index, g_hash_table_unref);
  g_clear_pointer (&self->period_index, g_hash_table_unref);
  g_clear_pointer (&self->group_names, g_ptr_array_unref);
  g_clear_pointer (&self->period_names, g_ptr_array_unref);
  g_clear_pointer (&self->pairs, g_hash_table_unref);
  g_free (self->records);
  g_free (self->imprecise);
  g_clear_pointer (&self->result, tw_point_import_result_free);
}

void
tw_point_import_result_free (TwPointImportResult *result)
{
  if (result == NULL)
    return;
  g_strfreev (result->periods);
  g_strfreev (result->strata);
  if (result->quality != NULL)
    {
      for (guint i = 0; i < result->quality->len; i++)
        g_free (g_array_index (result->quality, TwPointQuality, i).geoid);
      g_array_unref (result->quality);
    }
  g_free (result);
}

/* Its first line is a record (no header), whose third field says Match, No_Match or Tie. */
gboolean
tw_point_import_is_census_batch (const char *source)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  char head[4096];
  gssize length;
  const char *p;
  guint field = 0;
  g_autoptr(GString) third = g_string_new (NULL);
  gboolean quoted = FALSE;

  if (!g_file_test (source, G_FILE_TEST_IS_REGULAR))
    return FALSE;
  file = g_file_new_for_path (source);
  stream = g_file_read (file, NULL, NULL);
  if (stream == NULL)
    return FALSE;
  length = g_input_stream_read (G_INPUT_STREAM (stream), head, sizeof head - 1, NULL, NULL);
  if (length <= 0)
    return FALSE;
  head[length] = '\0';
  p = g_str_has_prefix (head, "\xEF\xBB\xBF") ? head + 3 : head;
  for (; *p != '\0' && *p != '\n' && *p != '\r' && field <= 2; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (*p == ',' && !quoted)
        field++;
      else if (field == 2)
        g_string_append_c (third, *p);
    }
  return g_str_equal (third->str, "Match") || g_str_equal (third->str, "No_Match")
         || g_str_equal (third->str, "Tie");
}

static GDALDatasetH
open_vector (const char  *source,
             gboolean     census_batch,
             GError     **error)
{
  static const char *csv_options[] = { "AUTODETECT_TYPE=NO", "EMPTY_STRING_AS_NULL=YES", NULL };
  static const char *census_options[] = { "AUTODETECT_TYPE=NO", "EMPTY_STRING_AS_NULL=YES",
                                          "HEADERS=NO", NULL };
  g_autofree char *lower = g_ascii_strdown (source, -1);
  g_autofree char *basename = g_filename_display_basename (source);
  g_autofree char *as_csv = g_strconcat ("CSV:", source, NULL);
  GDALDatasetH dataset;

  if (!g_file_test (source, G_FILE_TEST_EXISTS) && !g_str_has_prefix (source, "/vsi"))
    {
      g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_OPEN,
                   "%s: no such file; check the path", source);
      return NULL;
    }
  tw_gdal_init ();
  if (g_str_has_suffix (lower, ".parquet") && GDALGetDriverByName ("Parquet") == NULL)
    {
      g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_OPEN,
                   "%s: this GDAL (%s) has no Parquet driver; save the events as CSV or "
                   "GeoPackage (ogr2ogr can, where it has the driver) and import that",
                   basename, GDALVersionInfo ("RELEASE_NAME"));
      return NULL;
    }
  CPLErrorReset ();
  CPLPushErrorHandler (CPLQuietErrorHandler);
  /* The geocoder names its result .csv or .txt, or leaves the name as given. */
  dataset = GDALOpenEx (census_batch ? as_csv : source,
                        GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                        census_batch ? census_options
                        : g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".txt")
                          || g_str_has_suffix (lower, ".tsv")
                        ? csv_options : NULL, NULL);
  CPLPopErrorHandler ();
  if (dataset == NULL)
    g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_OPEN,
                 "%s: not a file Tractwise can read; use CSV, GeoPackage, GeoJSON or Parquet",
                 basename);
  return dataset;
}

static OGRLayerH
pick_layer (GDALDatasetH  dataset,
            const char   *wanted,
            const char   *basename,
            GError      **error)
{
  int n = GDALDatasetGetLayerCount (dataset);

  if (wanted != NULL)
    {
      OGRLayerH layer = GDALDatasetGetLayerByName (dataset, wanted);

      if (layer == NULL)
        g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_OPEN,
                     "%s: no layer named '%s'; check --layer", basename, wanted);
      return layer;
    }
  if (n == 1)
    return GDALDatasetGetLayer (dataset, 0);
  g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_OPEN,
               n == 0 ? "%s: holds no table; check that it is the right file"
                      : "%s: holds several layers; say which with --layer", basename);
  return NULL;
}

/* The column named @given, or else the first of @guesses (case-insensitive); -1 if none.
 * A @given name that is missing is an error. */
static gboolean
find_column (OGRFeatureDefnH     defn,
             const char         *given,
             const char *const  *guesses,
             const char         *option,
             const char         *basename,
             int                *column,
             GError            **error)
{
  *column = -1;
  if (given != NULL)
    {
      *column = OGR_FD_GetFieldIndex (defn, given);
      if (*column < 0)
        {
          g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_COLUMNS,
                       "%s: no column named '%s' (%s); check its spelling", basename, given,
                       option);
          return FALSE;
        }
      return TRUE;
    }
  for (guint g = 0; guesses != NULL && guesses[g] != NULL && *column < 0; g++)
    for (int i = 0; i < OGR_FD_GetFieldCount (defn); i++)
      if (g_ascii_strcasecmp (OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i)),
                              guesses[g]) == 0)
        {
          *column = i;
          break;
        }
  return TRUE;
}

static gboolean
find_columns (Import     *self,
              OGRLayerH   layer,
              GError    **error)
{
  static const char *const lat_names[] = { "lat", "latitude", NULL };
  static const char *const lon_names[] = { "lon", "lng", "long", "longitude", NULL };
  static const char *const precision_names[] = { "precision", NULL };
  const TwPointImportOptions *o = self->options;
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (layer);

  self->col_lat = self->col_lon = self->col_geoid = self->col_coordinates = -1;
  /* The geocoder's columns: id, address, match, exactness, matched address, "lon,lat",
   * line id, side, then state, county, tract and block codes when geographies were asked
   * for. The codes name the area; without them, the coordinates locate it. */
  if (self->census_batch && o->geoid_field == NULL && o->lat_field == NULL
      && o->lon_field == NULL)
    {
      int n_fields = OGR_FD_GetFieldCount (defn);

      if (n_fields >= 11)
        {
          self->col_geoid = 8;
          self->col_geoid_parts[0] = 9;
          self->col_geoid_parts[1] = 10;
          self->n_geoid_parts = 2;
        }
      else if (n_fields >= 6)
        self->col_coordinates = 5;
      else
        {
          g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_COLUMNS,
                       "%s: a Census geocoder result with %d columns, where it has 8 or 12; "
                       "check that it is the whole batch result", self->basename, n_fields);
          return FALSE;
        }
    }
  if (o->geoid_field != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (o->geoid_field, ",", 0);
      guint n = g_strv_length (parts);

      if (n == 0 || n > 4)
        {
          g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_COLUMNS,
                       "--geoid-field names one column, or up to four whose codes make the "
                       "GEOID (STATE,COUNTY,TRACT)");
          return FALSE;
        }
      for (guint i = 0; i < n; i++)
        if (!find_column (defn, parts[i], NULL, "--geoid-field", self->basename,
                          i == 0 ? &self->col_geoid : &self->col_geoid_parts[i - 1], error))
          return FALSE;
      self->n_geoid_parts = n - 1;
    }
  if (!find_column (defn, o->group_field, NULL, "--group-field", self->basename,
                       &self->col_group, error)
      || !find_column (defn, o->period_field, NULL, "--period-field", self->basename,
                       &self->col_period, error)
      || !find_column (defn, o->precision_field, o->min_precision ? precision_names : NULL,
                       "--precision-field", self->basename, &self->col_precision, error))
    return FALSE;
  if (o->min_precision != NULL && self->col_precision < 0)
    {
      g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_COLUMNS,
                   "%s: --min-precision needs a precision column; name it with "
                   "--precision-field", self->basename);
      return FALSE;
    }
  if (self->col_geoid >= 0 || self->col_coordinates >= 0)
    return TRUE;

  /* A layer of points is read by its geometry unless columns are named: latitude and
   * longitude columns beside it may be stale copies. */
  if (o->lat_field == NULL && o->lon_field == NULL
      && wkbFlatten (OGR_L_GetGeomType (layer)) == wkbPoint)
    {
      OGRSpatialReferenceH crs = OGR_L_GetSpatialRef (layer);

      self->col_lat = self->col_lon = -1;
      if (crs != NULL)
        {
          OGRSpatialReferenceH source = OSRClone (crs);
          OGRSpatialReferenceH target = OSRNewSpatialReference (NULL);

          OSRImportFromEPSG (target, 4326);
          OSRSetAxisMappingStrategy (source, OAMS_TRADITIONAL_GIS_ORDER);
          OSRSetAxisMappingStrategy (target, OAMS_TRADITIONAL_GIS_ORDER);
          gboolean same = OSRIsSame (source, target);

          if (!same)
            self->transform = OCTNewCoordinateTransformation (source, target);
          OSRDestroySpatialReference (source);
          OSRDestroySpatialReference (target);
          if (!same && self->transform == NULL)
            {
              g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_OPEN,
                           "%s: its coordinate system cannot be turned into longitude and "
                           "latitude; save it in EPSG:4326", self->basename);
              return FALSE;
            }
        }
      return TRUE;
    }
  if (!find_column (defn, o->lat_field, lat_names, "--lat-field", self->basename,
                    &self->col_lat, error)
      || !find_column (defn, o->lon_field, lon_names, "--lon-field", self->basename,
                       &self->col_lon, error))
    return FALSE;
  if (self->col_lat >= 0 && self->col_lon >= 0)
    return TRUE;
  g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_COLUMNS,
               "%s: no point geometry and no latitude and longitude columns found; name "
               "them with --lat-field and --lon-field, or give --geoid-field", self->basename);
  return FALSE;
}

static void
add_area (const TwStoredArea *area,
          gpointer            user_data)
{
  Import *self = user_data;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (self->geoids, g_strdup (area->geoid));
  g_array_append_val (self->area_ids, area->id);
  g_hash_table_insert (self->area_index, g_ptr_array_index (self->geoids, self->n_areas),
                       GUINT_TO_POINTER (self->n_areas + 1));
  self->n_areas++;
  /* An area whose boundary cannot be read (it was checked at its import) holds no point. */
  if (!tw_point_locator_add_wkb (self->locator, area->wkb, area->wkb_len, &error))
    g_warning ("%s: %s", area->geoid, error->message);
}

static gboolean
load_areas (Import  *self,
            GError **error)
{
  self->geography_id = tw_store_resolve_geography (self->store, self->options->geography,
                                                   error);
  if (self->geography_id < 0)
    return FALSE;
  self->geoids = g_ptr_array_new_with_free_func (g_free);
  self->area_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->area_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->locator = tw_point_locator_new ();
  if (!tw_store_foreach_area (self->store, self->geography_id, add_area, self, error))
    return FALSE;
  tw_point_locator_seal (self->locator);
  self->records = g_new0 (gint64, MAX (self->n_areas, 1));
  self->imprecise = g_new0 (gint64, MAX (self->n_areas, 1));
  return TRUE;
}

static const char *
field_text (OGRFeatureH feature,
            int         column)
{
  if (column < 0 || !OGR_F_IsFieldSetAndNotNull (feature, column))
    return NULL;
  return OGR_F_GetFieldAsString (feature, column);
}

/* The index of a group or period code, checked the first time it is seen. */
static gboolean
code_index (Import      *self,
            GHashTable  *index,
            GPtrArray   *names,
            const char  *what,
            const char  *code,
            gint64       row,
            guint       *found,
            GError     **error)
{
  gpointer value;
  const char *problem;

  if (g_hash_table_lookup_extended (index, code, NULL, &value))
    {
      *found = GPOINTER_TO_UINT (value);
      return TRUE;
    }
  problem = tw_code_problem (code, TW_CODE_MAX_CHARS);
  if (problem != NULL)
    {
      /* The row number, not the value: it may be anything a person typed. */
      g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_ROW,
                   "%s: row %" G_GINT64_FORMAT ": the %s %s; codes are printable text of at "
                   "most 64 characters that does not start with = + - @", self->basename,
                   row, what, problem);
      return FALSE;
    }
  *found = names->len;
  g_ptr_array_add (names, g_strdup (code));
  g_hash_table_insert (index, g_ptr_array_index (names, *found), GUINT_TO_POINTER (*found));
  return TRUE;
}

/* A period from a year or a date (2021, 2021-03-04, 2021/03/04): the year. */
static const char *
period_of (const char *text,
           char        year[5])
{
  if (g_ascii_isdigit (text[0]) && g_ascii_isdigit (text[1]) && g_ascii_isdigit (text[2])
      && g_ascii_isdigit (text[3]) && (text[4] == '-' || text[4] == '/')
      && g_ascii_isdigit (text[5]))
    {
      memcpy (year, text, 4);
      year[4] = '\0';
      return year;
    }
  return text;
}

/* The group, period and precision of an event from their texts (NULL: no value). */
static gboolean
event_codes (Import      *self,
             const char  *group_text,
             const char  *period_text,
             const char  *precision_text,
             gint64       row,
             Event       *event,
             GError     **error)
{
  const char *group = "all", *period = self->options->period;
  char year[5];

  event->row = row;
  event->area = -2;
  event->imprecise = FALSE;
  if (self->col_group >= 0)
    group = group_text == NULL || *group_text == '\0' ? "unknown" : group_text;
  if (!code_index (self, self->group_index, self->group_names, "group", group, row,
                   &event->group, error))
    return FALSE;
  if (self->col_period >= 0)
    {
      if (period_text == NULL || *period_text == '\0')
        {
          g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_ROW,
                       "%s: row %" G_GINT64_FORMAT ": the period is empty; every event "
                       "needs one, or give --period", self->basename, row);
          return FALSE;
        }
      period = period_of (period_text, year);
    }
  if (!code_index (self, self->period_index, self->period_names, "period", period, row,
                   &event->period, error))
    return FALSE;

  if (self->min_rank >= 0)
    {
      int rank = G_N_ELEMENTS (precisions);

      for (guint i = 0; precision_text != NULL && i < G_N_ELEMENTS (precisions); i++)
        if (g_ascii_strcasecmp (precision_text, precisions[i]) == 0)
          rank = (int) i;
      event->imprecise = rank > self->min_rank;
    }
  return TRUE;
}

static gboolean
read_event (Import       *self,
            OGRFeatureH   feature,
            gint64        row,
            Event        *event,
            double       *lon,
            double       *lat,
            GError      **error)
{
  const char *text;
  /* GDAL formats a number field into one buffer per feature: copy all but the last. */
  g_autofree char *group = g_strdup (field_text (feature, self->col_group));
  g_autofree char *period = g_strdup (field_text (feature, self->col_period));

  *lon = *lat = NAN;
  if (!event_codes (self, group, period, field_text (feature, self->col_precision), row,
                    event, error))
    return FALSE;

  if (self->col_geoid >= 0)
    {
      char geoid[TW_CODE_MAX_CHARS + 1] = "";

      /* A missing part (an unmatched geocode) leaves the GEOID unknown: outside. */
      text = field_text (feature, self->col_geoid);
      if (text != NULL)
        g_strlcpy (geoid, text, sizeof geoid);
      for (guint i = 0; text != NULL && i < self->n_geoid_parts; i++)
        if ((text = field_text (feature, self->col_geoid_parts[i])) != NULL)
          g_strlcat (geoid, text, sizeof geoid);
      event->area = text != NULL
        ? (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->area_index, geoid)) - 1 : -1;
    }
  else if (self->col_coordinates >= 0)
    {
      g_auto(GStrv) parts = NULL;
      const char *reason = "is not two numbers";

      text = field_text (feature, self->col_coordinates);
      parts = text != NULL ? g_strsplit (text, ",", 3) : NULL;
      /* A No_Match row has no coordinates: outside. */
      if (parts != NULL
          && (g_strv_length (parts) != 2 || !tw_parse_decimal (parts[0], lon, &reason)
              || !tw_parse_decimal (parts[1], lat, &reason)))
        {
          g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_ROW,
                       "%s: row %" G_GINT64_FORMAT ": the coordinates %s; give the "
                       "geocoder's \"longitude,latitude\"", self->basename, row, reason);
          return FALSE;
        }
    }
  else if (self->col_lat >= 0)
    {
      /* GDAL formats a number field into one buffer per feature: copy the first. */
      g_autofree char *lat_text = g_strdup (field_text (feature, self->col_lat));
      const char *lon_text = field_text (feature, self->col_lon);
      const char *reason;

      /* An empty location (an unmatched geocode) is an event outside every area; a
       * location that is not a number is a mistake in the file. */
      if (lat_text != NULL && lon_text != NULL
          && (!tw_parse_decimal (lat_text, lat, &reason)
              || !tw_parse_decimal (lon_text, lon, &reason)))
        {
          g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_ROW,
                       "%s: row %" G_GINT64_FORMAT ": the latitude or longitude %s; give "
                       "decimal degrees, or leave both empty", self->basename, row, reason);
          return FALSE;
        }
    }
  else
    {
      OGRGeometryH point = OGR_F_GetGeometryRef (feature);

      if (point != NULL && !OGR_G_IsEmpty (point)
          && wkbFlatten (OGR_G_GetGeometryType (point)) == wkbPoint)
        {
          *lon = OGR_G_GetX (point, 0);
          *lat = OGR_G_GetY (point, 0);
        }
    }
  return TRUE;
}

static guint32 *
pair_counts (Import *self,
             guint   group,
             guint   period)
{
  guint64 key = (guint64) group << 32 | period;
  guint32 *counts = g_hash_table_lookup (self->pairs, &key);

  if (counts == NULL)
    {
      counts = g_new0 (guint32, MAX (self->n_areas, 1));
      g_hash_table_insert (self->pairs, g_memdup2 (&key, sizeof key), counts);
    }
  return counts;
}

static void
count_event (Import      *self,
             const Event *event,
             int          area)
{
  TwPointImportResult *r = self->result;

  if (area < 0)
    {
      r->outside++;
      if (r->n_outside_rows < TW_POINT_IMPORT_OUTSIDE_ROWS)
        r->outside_rows[r->n_outside_rows++] = event->row;
      return;
    }
  self->records[area]++;
  if (event->imprecise)
    {
      self->imprecise[area]++;
      r->imprecise++;
      return;
    }
  r->assigned++;
  pair_counts (self, event->group, event->period)[area]++;
}

static void
count_batch (Import *self,
             Event  *events,
             double *lon,
             double *lat,
             int    *areas,
             gsize   n)
{
  if (self->col_geoid < 0)
    {
      if (self->transform != NULL)
        OCTTransform (self->transform, (int) n, lon, lat, NULL);
      tw_point_locator_find_many (self->locator, lon, lat, n, areas);
    }
  else
    for (gsize i = 0; i < n; i++)
      areas[i] = events[i].area;

  for (gsize i = 0; i < n; i++)
    count_event (self, &events[i], areas[i]);
}

static gboolean
read_events (Import        *self,
             OGRLayerH      layer,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autofree Event *events = g_new (Event, BATCH);
  g_autofree double *lon = g_new (double, BATCH);
  g_autofree double *lat = g_new (double, BATCH);
  g_autofree int *areas = g_new (int, BATCH);
  OGRFeatureH feature;
  gsize n = 0;
  gint64 row = 0;
  /* What the driver knows without reading the file: a CSV's count is not known (-1). */
  gint64 total = OGR_L_GetFeatureCount (layer, FALSE);

  OGR_L_ResetReading (layer);
  CPLErrorReset ();
  while ((feature = OGR_L_GetNextFeature (layer)) != NULL)
    {
      gboolean ok = read_event (self, feature, ++row, &events[n], &lon[n], &lat[n], error);

      OGR_F_Destroy (feature);
      if (!ok)
        return FALSE;
      if (++n == BATCH)
        {
          count_batch (self, events, lon, lat, areas, n);
          n = 0;
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          if (self->options->progress != NULL)
            self->options->progress (row, MAX (total, row), self->options->progress_data);
        }
    }
  if (CPLGetLastErrorType () >= CE_Failure)
    {
      g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_OPEN,
                   "%s: GDAL could not read past row %" G_GINT64_FORMAT "; check the file",
                   self->basename, row);
      return FALSE;
    }
  count_batch (self, events, lon, lat, areas, n);
  self->result->points = row;
  if (self->options->progress != NULL)
    self->options->progress (row, row, self->options->progress_data);
  return TRUE;
}

/* A plain CSV file with latitude and longitude columns — the usual export of events, and
 * the largest — is read by our own parser rather than GDAL's feature by feature: a block
 * of records at a time, split into fields and located on all cores, then counted in file
 * order. Anything else goes through GDAL. */
#define CSV_BLOCK (4 << 20)

typedef struct
{
  gsize       start, end;     /* in the block; end is where the record's '\0' goes */
  const char *group, *period, *precision;
  const char *problem;        /* why the latitude or longitude is not a number */
  int         area;
} CsvRecord;

typedef struct
{
  Import    *import;
  char      *block;
  CsvRecord *records;
  int        last_column;     /* the last column read */
} CsvJob;

/* Splits a record (its '\0' written) into its fields in place, up to @last: @fields[i] is
 * column i's text, NULL when empty or missing. Quoted fields lose their quotes, a doubled
 * quote inside becomes one. */
static void
csv_fields (char        *p,
            int          last,
            const char **fields)
{
  int i = 0;

  for (; i <= last && p != NULL; i++)
    {
      char *start = p, *out = p;

      if (*p == '"')
        {
          for (p++; *p != '\0'; p++)
            {
              if (*p == '"' && p[1] == '"')
                *out++ = *p++;
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                *out++ = *p;
            }
          while (*p != ',' && *p != '\0')
            *out++ = *p++;
        }
      else
        {
          while (*p != ',' && *p != '\0')
            p++;
          out = p;
        }
      fields[i] = out > start ? start : NULL;
      if (*p == ',')
        {
          *out = '\0';
          p++;
        }
      else
        {
          *out = '\0';
          p = NULL;
        }
    }
  for (; i <= last; i++)
    fields[i] = NULL;
}

static void
csv_locate_chunk (gpointer user_data,
                  guint    worker,
                  gsize    begin,
                  gsize    end)
{
  CsvJob *job = user_data;
  Import *self = job->import;
  const char **fields = g_newa (const char *, job->last_column + 1);

  for (gsize i = begin; i < end; i++)
    {
      CsvRecord *record = &job->records[i];
      double lat, lon;

      job->block[record->end] = '\0';
      csv_fields (job->block + record->start, job->last_column, fields);
      record->group = self->col_group >= 0 ? fields[self->col_group] : NULL;
      record->period = self->col_period >= 0 ? fields[self->col_period] : NULL;
      record->precision = self->col_precision >= 0 ? fields[self->col_precision] : NULL;
      record->problem = NULL;
      record->area = -1;
      /* An empty location (an unmatched geocode) is outside every area. */
      if (fields[self->col_lat] != NULL && fields[self->col_lon] != NULL)
        {
          if (!tw_parse_decimal (fields[self->col_lat], &lat, &record->problem)
              || !tw_parse_decimal (fields[self->col_lon], &lon, &record->problem))
            continue;
          record->area = tw_point_locator_find (self->locator, lon, lat);
        }
    }
}

/* The records in @block[0, @length): their bounds into @records (grown as needed), the
 * number of bytes they take (a last record cut by the block's end is left for the next,
 * unless @at_end) into @used. A newline inside quotes belongs to its field. */
static gsize
csv_split (char     *block,
           gsize     length,
           gboolean  at_end,
           GArray   *records,
           gsize    *used)
{
  gsize p = 0;

  g_array_set_size (records, 0);
  while (p < length)
    {
      const char *newline = memchr (block + p, '\n', length - p);
      gsize end = newline != NULL ? (gsize) (newline - block) : length;
      CsvRecord record = { 0 };

      if (memchr (block + p, '"', end - p) != NULL)
        {
          gboolean quoted = FALSE;

          for (end = p; end < length && (quoted || block[end] != '\n'); end++)
            if (block[end] == '"')
              quoted = !quoted;
          newline = end < length ? block + end : NULL;
        }
      if (newline == NULL && !at_end)
        break;
      record.start = p;
      record.end = end;
      if (record.end > record.start && block[record.end - 1] == '\r')
        record.end--;
      p = newline != NULL ? end + 1 : length;
      /* Blank lines are no records, as for GDAL. */
      if (record.end > record.start)
        g_array_append_val (records, record);
    }
  *used = p;
  return records->len;
}

/* Whether the header (in @line, '\0'-ended) names the layer's columns as GDAL read them:
 * then our fields are its fields. */
static gboolean
csv_header_matches (char            *line,
                    OGRFeatureDefnH  defn)
{
  int n = OGR_FD_GetFieldCount (defn);
  const char **names = g_newa (const char *, n + 1);

  if (n == 0 || strchr (line, ';') != NULL || strchr (line, '\t') != NULL)
    return FALSE;
  csv_fields (line, n, names);
  if (names[n] != NULL)
    return FALSE;
  for (int i = 0; i < n; i++)
    if (names[i] == NULL || strcmp (names[i], OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn,
                                                                                       i))) != 0)
      return FALSE;
  return TRUE;
}

/* Reads the events of a plain CSV file; FALSE with no error set when the file is not one
 * this reader takes (then GDAL reads it). */
static gboolean
read_csv_events (Import        *self,
                 const char    *source,
                 OGRLayerH      layer,
                 GCancellable  *cancellable,
                 gboolean      *taken,
                 GError       **error)
{
  g_autofree char *lower = g_ascii_strdown (source, -1);
  g_autofree char *block = NULL;
  g_autoptr(GArray) records = NULL;
  FILE *file;
  gsize length = 0, used, header_end;
  gint64 row = 0;
  gboolean at_end = FALSE, ok = FALSE;
  CsvJob job = { self };

  *taken = FALSE;
  if (self->census_batch || self->col_lat < 0 || self->col_lon < 0 || self->col_geoid >= 0
      || self->transform != NULL || !g_str_has_suffix (lower, ".csv")
      || !g_file_test (source, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  file = g_fopen (source, "rb");
  if (file == NULL)
    return TRUE;

  /* One byte more than a block for the '\0' of a last record without a newline. */
  block = g_malloc (CSV_BLOCK + 1);
  records = g_array_new (FALSE, FALSE, sizeof (CsvRecord));
  length = fread (block, 1, CSV_BLOCK, file);
  at_end = length < CSV_BLOCK;
  header_end = 0;
  {
    gsize skip = length >= 3 && memcmp (block, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    char *newline = memchr (block + skip, '\n', length - skip);
    gsize end;

    if (newline == NULL)
      goto out;
    header_end = newline - block + 1;
    end = newline - block;
    if (end > skip && block[end - 1] == '\r')
      end--;
    {
      g_autofree char *header = g_strndup (block + skip, end - skip);

      if (!csv_header_matches (header, OGR_L_GetLayerDefn (layer)))
        goto out;
    }
  }
  *taken = TRUE;
  job.block = block;
  job.last_column = MAX (MAX (self->col_lat, self->col_lon),
                         MAX (MAX (self->col_group, self->col_period), self->col_precision));
  memmove (block, block + header_end, length - header_end);
  length -= header_end;

  for (;;)
    {
      gsize n, got;

      if (!at_end && length < CSV_BLOCK)
        {
          got = fread (block + length, 1, CSV_BLOCK - length, file);
          length += got;
          at_end = length < CSV_BLOCK;
        }
      n = csv_split (block, length, at_end, records, &used);
      if (n == 0 && used == 0 && !at_end)
        {
          /* A record longer than a block: not a file of events. */
          g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_ROW,
                       "%s: row %" G_GINT64_FORMAT ": a record longer than %d MB; check "
                       "the file's quotes", self->basename, row + 1, CSV_BLOCK >> 20);
          goto out;
        }
      job.records = (CsvRecord *) (gpointer) records->data;
      tw_parallel_for (n, 1024, 0, csv_locate_chunk, &job);
      for (gsize i = 0; i < n; i++)
        {
          const CsvRecord *record = &job.records[i];
          Event event;

          row++;
          if (record->problem != NULL)
            {
              g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_ROW,
                           "%s: row %" G_GINT64_FORMAT ": the latitude or longitude %s; give "
                           "decimal degrees, or leave both empty", self->basename, row,
                           record->problem);
              goto out;
            }
          if (!event_codes (self, record->group, record->period, record->precision, row,
                            &event, error))
            goto out;
          count_event (self, &event, record->area);
        }
      memmove (block, block + used, length - used);
      length -= used;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      if (self->options->progress != NULL)
        self->options->progress (row, row, self->options->progress_data);
      if (at_end && length == 0)
        break;
    }
  if (ferror (file))
    {
      g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_OPEN,
                   "%s: could not read past row %" G_GINT64_FORMAT "; check the file",
                   self->basename, row);
      goto out;
    }
  self->result->points = row;
  ok = TRUE;

out:
  fclose (file);
  return ok || !*taken;
}

/* The measure the rows go to: found in the project or added. */
typedef struct
{
  gint64    id;
  gboolean  proportion;
  double    per;
} MeasureRef;

/* The outcome rows, built and stored in batches. */
typedef struct
{
  Import       *import;
  MeasureRef    measure;
  gint64       *group_ids, *period_ids;
  guint8       *covered;       /* per pair and area: it has its row */
  GHashTable   *pair_slot;     /* counts array → slot in covered */
  TwOutcomeRow  pending[STORE_BATCH];
  guint         n_pending;
} Rows;

static gboolean
flush_rows (Rows     *rows,
            GError  **error)
{
  Import *self = rows->import;
  gssize stored;

  if (rows->n_pending == 0)
    return TRUE;
  stored = tw_store_add_outcomes (self->store, rows->pending, rows->n_pending, error);
  if (stored < 0)
    return FALSE;
  self->result->rows += stored;
  if ((guint) stored < rows->n_pending)
    {
      g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_OPTIONS,
                   "%s: the project already holds measure '%s' for these periods and groups; "
                   "import under another --measure code", self->basename,
                   self->options->measure);
      return FALSE;
    }
  rows->n_pending = 0;
  return TRUE;
}

/* One outcome row: the count of @group × @period in @area over @denominator. */
static gboolean
add_row (Rows        *rows,
         guint        area,
         guint        group,
         guint        period,
         double       denominator,
         const char  *where,
         GError     **error)
{
  Import *self = rows->import;
  guint64 key = (guint64) group << 32 | period;
  guint32 *counts = g_hash_table_lookup (self->pairs, &key);
  double count = counts != NULL ? counts[area] : 0;
  gsize slot = ((gsize) group * self->period_names->len + period) * self->n_areas + area;
  TwOutcomeRow *row;

  if (rows->covered[slot])
    {
      g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_DENOMINATOR,
                   "%s: a second denominator for area %s, group '%s', period '%s'; keep "
                   "one", where, (char *) g_ptr_array_index (self->geoids, area),
                   (char *) g_ptr_array_index (self->group_names, group),
                   (char *) g_ptr_array_index (self->period_names, period));
      return FALSE;
    }
  rows->covered[slot] = 1;
  if (rows->measure.proportion && count > denominator)
    {
      g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_DENOMINATOR,
                   "%s: area %s, group '%s', period '%s' counts %g events over a "
                   "denominator of %g; a proportion cannot exceed it: check the "
                   "denominator or use --kind rate", where,
                   (char *) g_ptr_array_index (self->geoids, area),
                   (char *) g_ptr_array_index (self->group_names, group),
                   (char *) g_ptr_array_index (self->period_names, period), count,
                   denominator);
      return FALSE;
    }
  if (count > 0 && denominator <= 0)
    {
      g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_DENOMINATOR,
                   "%s: area %s has events but a denominator of 0; check the denominator",
                   where, (char *) g_ptr_array_index (self->geoids, area));
      return FALSE;
    }
  row = &rows->pending[rows->n_pending++];
  row->measure_id = rows->measure.id;
  row->period_id = rows->period_ids[period];
  row->stratum_id = rows->group_ids[group];
  row->area_id = g_array_index (self->area_ids, gint64, area);
  row->numerator = count;
  row->denominator = denominator;
  return rows->n_pending < STORE_BATCH || flush_rows (rows, error);
}

static gboolean
rows_from_table (Rows         *rows,
                 GError      **error)
{
  static const char *const geoid_names[] = { "geoid", "GEOID20", "GEOID10", "fips", NULL };
  static const char *const stratum_names[] = { "stratum", "group", NULL };
  static const char *const period_names[] = { "period", "year", NULL };
  static const char *const denominator_names[] = { "denominator", "population", NULL };
  Import *self = rows->import;
  g_autofree char *name = g_filename_display_basename (self->options->denominators);
  GDALDatasetH dataset;
  OGRLayerH layer;
  OGRFeatureH feature;
  int col_geoid, col_stratum, col_period, col_denominator;
  gint64 row = 0;
  gboolean ok = FALSE;

  dataset = open_vector (self->options->denominators, FALSE, error);
  if (dataset == NULL)
    return FALSE;
  layer = pick_layer (dataset, NULL, name, error);
  if (layer == NULL)
    goto out;
  {
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn (layer);

    find_column (defn, NULL, geoid_names, NULL, name, &col_geoid, NULL);
    find_column (defn, NULL, stratum_names, NULL, name, &col_stratum, NULL);
    find_column (defn, NULL, period_names, NULL, name, &col_period, NULL);
    find_column (defn, NULL, denominator_names, NULL, name, &col_denominator, NULL);
  }
  if (col_geoid < 0 || col_denominator < 0)
    {
      g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_COLUMNS,
                   "%s: a denominator table needs the columns geoid and denominator "
                   "(stratum and period are optional)", name);
      goto out;
    }

  while ((feature = OGR_L_GetNextFeature (layer)) != NULL)
    {
      const char *geoid = field_text (feature, col_geoid);
      const char *stratum = field_text (feature, col_stratum);
      const char *period = field_text (feature, col_period);
      const char *text = field_text (feature, col_denominator), *reason = NULL;
      g_autofree char *where = g_strdup_printf ("%s: row %" G_GINT64_FORMAT, name, ++row);
      guint area = GPOINTER_TO_UINT (geoid ? g_hash_table_lookup (self->area_index, geoid)
                                           : NULL);
      double denominator = 0;
      gboolean good = TRUE;

      if (area == 0)
        {
          g_autofree char *quoted = tw_quote_for_message (geoid ? geoid : "");

          g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_DENOMINATOR,
                       "%s: the geoid '%s' is not an area of the geography; check it",
                       where, quoted);
          good = FALSE;
        }
      else if (text == NULL || !tw_parse_decimal (text, &denominator, &reason)
               || denominator < 0 || denominator > TW_COUNT_MAX)
        {
          g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_DENOMINATOR,
                       "%s: the denominator %s; give a count from 0 up", where,
                       text == NULL ? "is empty" : reason ? reason : "is out of range");
          good = FALSE;
        }
      for (guint g = 0; good && g < self->group_names->len; g++)
        {
          if (stratum != NULL && !g_str_equal (stratum, g_ptr_array_index (self->group_names,
                                                                          g)))
            continue;
          for (guint p = 0; good && p < self->period_names->len; p++)
            {
              if (period != NULL
                  && !g_str_equal (period, g_ptr_array_index (self->period_names, p)))
                continue;
              good = add_row (rows, area - 1, g, p, denominator, where, error);
            }
        }
      OGR_F_Destroy (feature);
      if (!good)
        goto out;
    }
  ok = TRUE;

out:
  GDALClose (dataset);
  return ok;
}

static gboolean
rows_from_attribute (Rows     *rows,
                     GError  **error)
{
  Import *self = rows->import;
  const char *name = self->options->denominator_attribute;
  g_autoptr(GArray) area_ids = NULL;
  g_autoptr(GArray) values = NULL;
  g_autofree char *where = g_strdup_printf ("attribute '%s'", name);

  if (!tw_store_load_attribute (self->store, self->geography_id, name, &area_ids, &values,
                                error))
    return FALSE;
  if (area_ids->len == 0)
    {
      g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_DENOMINATOR,
                   "the geography has no attribute '%s'; import it with import-attributes "
                   "or give --denominators", name);
      return FALSE;
    }
  /* Both lists are in GEOID order, as the layer's areas are. */
  for (guint i = 0, area = 0; i < area_ids->len; i++)
    {
      gint64 id = g_array_index (area_ids, gint64, i);
      double value = g_array_index (values, double, i);

      while (area < self->n_areas && g_array_index (self->area_ids, gint64, area) != id)
        area++;
      if (area == self->n_areas || isnan (value))
        continue;
      for (guint g = 0; g < self->group_names->len; g++)
        for (guint p = 0; p < self->period_names->len; p++)
          if (!add_row (rows, area, g, p, value, where, error))
            return FALSE;
    }
  return TRUE;
}

/* Every count must have found its denominator. */
static gboolean
check_covered (Rows     *rows,
               GError  **error)
{
  Import *self = rows->import;

  for (guint g = 0; g < self->group_names->len; g++)
    for (guint p = 0; p < self->period_names->len; p++)
      {
        guint64 key = (guint64) g << 32 | p;
        guint32 *counts = g_hash_table_lookup (self->pairs, &key);
        gsize base = ((gsize) g * self->period_names->len + p) * self->n_areas;

        for (guint a = 0; counts != NULL && a < self->n_areas; a++)
          if (counts[a] > 0 && !rows->covered[base + a])
            {
              g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_DENOMINATOR,
                           "%s: area %s has events of group '%s' in period '%s' but no "
                           "denominator; add it to %s", self->basename,
                           (char *) g_ptr_array_index (self->geoids, a),
                           (char *) g_ptr_array_index (self->group_names, g),
                           (char *) g_ptr_array_index (self->period_names, p),
                           self->options->denominators ? "the denominator table"
                                                        : "the attribute");
              return FALSE;
            }
      }
  return TRUE;
}

static gboolean
find_measure (Import      *self,
              MeasureRef  *measure,
              GError     **error)
{
  const TwPointImportOptions *o = self->options;
  const char *kind = o->kind ? o->kind : "rate";
  double per = o->per > 0 ? o->per : (g_str_equal (kind, "rate") ? 100000 : 100);
  g_autoptr(TwMeasureInfo) stored_measure = NULL;

  if (!tw_store_find_measure (self->store, o->measure, &stored_measure, error))
    return FALSE;
  if (stored_measure != NULL)
    {
      measure->id = stored_measure->id;
      measure->proportion = g_strcmp0 (stored_measure->kind, "proportion") == 0;
      measure->per = stored_measure->multiplier;
    }
  else
    measure->id = -1;
  if (measure->id >= 0)
    {
      const char *stored = measure->proportion ? "proportion" : "rate";

      if ((o->kind != NULL && !g_str_equal (o->kind, stored))
          || (o->per > 0 && o->per != measure->per))
        {
          g_set_error (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_OPTIONS,
                       "measure '%s' is already in the project as a %s per %g; leave out "
                       "--kind and --per, or import under another --measure code",
                       o->measure, stored, measure->per);
          return FALSE;
        }
      return TRUE;
    }
  measure->id = tw_store_add_measure (self->store, o->measure, o->label ? o->label
                                                                         : o->measure,
                                      kind, per, self->basename, error);
  measure->proportion = g_str_equal (kind, "proportion");
  measure->per = per;
  return measure->id >= 0;
}

static gboolean
store_rows (Import  *self,
            GError **error)
{
  Rows rows = { .import = self };
  gsize n_slots = (gsize) self->group_names->len * self->period_names->len * self->n_areas;
  gboolean ok = FALSE;

  rows.covered = g_malloc0 (MAX (n_slots, 1));
  rows.group_ids = g_new (gint64, MAX (self->group_names->len, 1));
  rows.period_ids = g_new (gint64, MAX (self->period_names->len, 1));
  if (!find_measure (self, &rows.measure, error))
    goto out;
  for (guint g = 0; g < self->group_names->len; g++)
    if ((rows.group_ids[g] = tw_store_find_or_add_label (self->store, TW_OUTCOME_LABEL_STRATUM,
                                                         g_ptr_array_index (self->group_names,
                                                                            g),
                                                         error)) < 0)
      goto out;
  for (guint p = 0; p < self->period_names->len; p++)
    if ((rows.period_ids[p] = tw_store_find_or_add_label (self->store, TW_OUTCOME_LABEL_PERIOD,
                                                          g_ptr_array_index (
                                                            self->period_names, p),
                                                          error)) < 0)
      goto out;
  {
    gint64 age = tw_store_find_or_add_label (self->store, TW_OUTCOME_LABEL_AGE_GROUP, "",
                                             error);
    if (age < 0)
      goto out;
    for (guint i = 0; i < STORE_BATCH; i++)
      rows.pending[i].age_group_id = age;
  }

  if (self->options->denominators != NULL ? !rows_from_table (&rows, error)
                                          : !rows_from_attribute (&rows, error))
    goto out;
  if (!check_covered (&rows, error) || !flush_rows (&rows, error))
    goto out;
  ok = TRUE;

out:
  g_free (rows.covered);
  g_free (rows.group_ids);
  g_free (rows.period_ids);
  return ok;
}

static gboolean
check_options (const TwPointImportOptions  *o,
               int                         *min_rank,
               GError                     **error)
{
  const char *problem = NULL;

  *min_rank = -1;
  if (o->measure == NULL)
    problem = "--measure CODE is required: the code of the measure the counts become";
  else if (tw_code_problem (o->measure, TW_CODE_MAX_CHARS) != NULL)
    problem = "--measure must be printable text of at most 64 characters that does not "
              "start with = + - @";
  else if (o->period != NULL && tw_code_problem (o->period, TW_CODE_MAX_CHARS) != NULL)
    problem = "--period must be printable text of at most 64 characters that does not "
              "start with = + - @";
  else if (o->label != NULL && tw_code_problem (o->label, 200) != NULL)
    problem = "--label must be printable text of at most 200 characters";
  else if ((o->period == NULL) == (o->period_field == NULL))
    problem = "give one of --period P (every event's period) or --period-field F";
  else if ((o->denominators == NULL) == (o->denominator_attribute == NULL))
    problem = "give one of --denominators TABLE or --denominator-attribute NAME: counts "
              "become rates only over a denominator";
  else if ((o->lat_field == NULL) != (o->lon_field == NULL))
    problem = "give --lat-field and --lon-field together";
  else if (o->geoid_field != NULL && o->lat_field != NULL)
    problem = "give either --lat-field and --lon-field or --geoid-field, not both";
  else if (o->kind != NULL && !g_str_equal (o->kind, "rate")
           && !g_str_equal (o->kind, "proportion"))
    problem = "--kind must be rate or proportion";
  else if (o->per < 0 || !isfinite (o->per))
    problem = "--per must be a positive multiplier such as 100, 1000 or 100000";
  else if (o->min_precision != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (precisions); i++)
        if (g_ascii_strcasecmp (o->min_precision, precisions[i]) == 0)
          *min_rank = (int) i;
      if (*min_rank < 0)
        problem = "--min-precision must be range, street, intersection, zip or city";
    }
  if (problem != NULL)
    g_set_error_literal (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_OPTIONS, problem);
  return problem == NULL;
}

/* The audit line: the file by name, size and SHA-256, the counts and the options; nothing
 * read from inside the file. */
static char *
describe_import (Import      *self,
                 const char  *source)
{
  const TwPointImportOptions *o = self->options;
  TwPointImportResult *r = self->result;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GFile) file = g_file_new_for_path (source);
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, NULL);
  g_autoptr(GString) detail = g_string_new (NULL);
  guint8 buffer[65536];
  gssize n;
  gint64 size = 0;

  if (stream != NULL)
    while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, sizeof buffer, NULL,
                                     NULL)) > 0)
      {
        g_checksum_update (checksum, buffer, n);
        size += n;
      }
  g_string_printf (detail, "events from %s (%" G_GINT64_FORMAT " bytes, SHA-256 %s): %"
                   G_GINT64_FORMAT " points, %" G_GINT64_FORMAT " assigned, %"
                   G_GINT64_FORMAT " outside, %" G_GINT64_FORMAT " imprecise, %"
                   G_GINT64_FORMAT " rows; --measure %s", self->basename, size,
                   stream != NULL ? g_checksum_get_string (checksum) : "unreadable",
                   r->points, r->assigned, r->outside, r->imprecise, r->rows, o->measure);
#define OPTION(flag, value) \
  if ((value) != NULL) g_string_append_printf (detail, " " flag " %s", (value))
  OPTION ("--geography", o->geography);
  OPTION ("--lat-field", o->lat_field);
  OPTION ("--lon-field", o->lon_field);
  OPTION ("--geoid-field", o->geoid_field);
  OPTION ("--group-field", o->group_field);
  OPTION ("--period-field", o->period_field);
  OPTION ("--period", o->period);
  OPTION ("--min-precision", o->min_precision);
  OPTION ("--denominator-attribute", o->denominator_attribute);
#undef OPTION
  if (o->denominators != NULL)
    {
      g_autofree char *name = g_filename_display_basename (o->denominators);

      g_string_append_printf (detail, " --denominators %s", name);
    }
  return g_string_free (g_steal_pointer (&detail), FALSE);
}

static int
compare_string_pointers (gconstpointer a,
                         gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static GStrv
sorted_names (GPtrArray *names)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GStrv sorted;

  for (guint i = 0; i < names->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (names, i));
  sorted = g_strv_builder_end (builder);
  qsort (sorted, names->len, sizeof (char *), compare_string_pointers);
  return sorted;
}

TwPointImportResult *
tw_point_import (TwStore                    *store,
                 const char                 *source,
                 const TwPointImportOptions *options,
                 GCancellable               *cancellable,
                 GError                    **error)
{
  Import self = { 0 };
  GDALDatasetH dataset = NULL;
  OGRLayerH layer;
  TwPointImportResult *result = NULL;
  g_autofree char *detail = NULL;
  gboolean csv = FALSE;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  self.store = store;
  self.options = options;
  self.basename = g_filename_display_basename (source);
  self.result = g_new0 (TwPointImportResult, 1);
  self.group_index = g_hash_table_new (g_str_hash, g_str_equal);
  self.period_index = g_hash_table_new (g_str_hash, g_str_equal);
  self.group_names = g_ptr_array_new_with_free_func (g_free);
  self.period_names = g_ptr_array_new_with_free_func (g_free);
  self.pairs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  if (!check_options (options, &self.min_rank, error))
    goto out;
  self.census_batch = tw_point_import_is_census_batch (source);
  dataset = open_vector (source, self.census_batch, error);
  if (dataset == NULL)
    goto out;
  layer = pick_layer (dataset, options->layer, self.basename, error);
  if (layer == NULL || !find_columns (&self, layer, error) || !load_areas (&self, error))
    goto out;
  if (!read_csv_events (&self, source, layer, cancellable, &csv, error)
      || (!csv && !read_events (&self, layer, cancellable, error)))
    goto out;

  if (!tw_store_begin_outcome_import (store, error))
    goto out;
  /* Rates carry the margin of error of a population estimate taken as denominator. */
  if (!store_rows (&self, error)
      || !tw_store_set_denominator_attribute (store, options->measure, self.geography_id,
                                              options->denominator_attribute, error)
      || (detail = describe_import (&self, source)) == NULL
      || !tw_store_commit_outcome_import (store, detail, error))
    {
      tw_store_abandon_outcome_import (store);
      goto out;
    }

  self.result->periods = sorted_names (self.period_names);
  self.result->strata = sorted_names (self.group_names);
  self.result->quality = g_array_new (FALSE, FALSE, sizeof (TwPointQuality));
  for (guint a = 0; a < self.n_areas; a++)
    if (self.imprecise[a] > 0)
      {
        TwPointQuality q = { g_strdup (g_ptr_array_index (self.geoids, a)),
                             self.records[a], self.imprecise[a] };

        g_array_append_val (self.result->quality, q);
      }
  result = g_steal_pointer (&self.result);

out:
  if (dataset != NULL)
    GDALClose (dataset);
  import_clear (&self);
  return result;
}
