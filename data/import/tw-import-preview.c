/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-import-preview"

#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

#include "tw-area-reader.h"
#include "tw-attributes.h"
#include "tw-import-preview.h"
#include "tw-point-import.h"

G_DEFINE_QUARK (tw-import-preview-error-quark, tw_import_preview_error)

/* The names the importers look for, in their order (data/tw-outcome-import.c and
 * geo/tw-area-reader.c): a column picked here is the one they would pick unprompted. */
static const char *const geoid_names[] = { "geoid", "geoid20", "geoid10", "geoidfq", "fips",
                                           "geo_id", "tract", "id", NULL };
static const char *const measure_names[] = { "measure", NULL };
static const char *const period_names[] = { "period", "year", NULL };
static const char *const stratum_names[] = { "stratum", "group", NULL };
static const char *const numerator_names[] = { "numerator", "count", "events", NULL };
static const char *const denominator_names[] = { "denominator", "population", NULL };
static const char *const area_id_names[] = { "GEOID", "GEOID20", "GEOID10", "GEOIDFQ",
                                             "GEOID_TRACT_20", "GEOID_TRACT_10", "FIPS",
                                             "GEO_ID", "AFFGEOID", "id", NULL };
/* As data/import/tw-point-import.c looks for them. */
static const char *const latitude_names[] = { "lat", "latitude", NULL };
static const char *const longitude_names[] = { "lon", "lng", "long", "longitude", NULL };
static const char *const area_name_names[] = { "NAME", "NAMELSAD", "NAME20", "NAME10",
                                               "NAMELSAD20", "NAMELSAD10", NULL };

static void
layer_free (gpointer data)
{
  TwImportLayer *layer = data;

  g_free (layer->name);
  g_strfreev (layer->fields);
  g_clear_pointer (&layer->rows, g_ptr_array_unref);
  g_free (layer->note);
  g_free (layer);
}

void
tw_import_preview_free (TwImportPreview *preview)
{
  if (preview == NULL)
    return;
  g_free (preview->source);
  g_clear_pointer (&preview->layers, g_ptr_array_unref);
  g_free (preview);
}

int
tw_import_guess_column (const char *const *fields,
                        TwImportColumn     role)
{
  static const char *const *names[TW_IMPORT_N_COLUMNS] = {
    geoid_names, measure_names, period_names, stratum_names, numerator_names,
    denominator_names, area_id_names, area_name_names, latitude_names, longitude_names,
  };

  g_return_val_if_fail (role < TW_IMPORT_N_COLUMNS, -1);

  if (fields == NULL)
    return -1;
  for (guint j = 0; names[role][j] != NULL; j++)
    for (guint i = 0; fields[i] != NULL; i++)
      if (g_ascii_strcasecmp (fields[i], names[role][j]) == 0)
        return (int) i;
  return -1;
}

static gboolean
is_polygon_type (OGRwkbGeometryType type)
{
  type = wkbFlatten (type);
  return type == wkbPolygon || type == wkbMultiPolygon || type == wkbCurvePolygon
         || type == wkbMultiSurface;
}

/* Layers of unknown geometry type (GeoJSON, KML) are polygons when their first feature with
 * a geometry is one. */
static gboolean
layer_has_polygons (OGRLayerH layer)
{
  OGRwkbGeometryType type = OGR_L_GetGeomType (layer);
  OGRFeatureH feature;
  gboolean polygons = FALSE;

  if (type == wkbNone)
    return FALSE;
  if (wkbFlatten (type) != wkbUnknown && wkbFlatten (type) != wkbGeometryCollection)
    return is_polygon_type (type);

  OGR_L_ResetReading (layer);
  for (int i = 0; i < 50 && (feature = OGR_L_GetNextFeature (layer)) != NULL; i++)
    {
      OGRGeometryH geometry = OGR_F_GetGeometryRef (feature);
      gboolean found = geometry != NULL;

      if (found)
        polygons = is_polygon_type (OGR_G_GetGeometryType (geometry));
      OGR_F_Destroy (feature);
      if (found)
        break;
    }
  OGR_L_ResetReading (layer);
  return polygons;
}

static TwImportLayer *
read_layer (OGRLayerH layer,
            guint     max_rows)
{
  TwImportLayer *info = g_new0 (TwImportLayer, 1);
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (layer);
  int n_fields = OGR_FD_GetFieldCount (defn);
  g_autoptr(GStrvBuilder) fields = g_strv_builder_new ();
  OGRFeatureH feature;

  info->name = g_utf8_make_valid (OGR_L_GetName (layer), -1);
  info->has_polygons = layer_has_polygons (layer);
  info->has_points = wkbFlatten (OGR_L_GetGeomType (layer)) == wkbPoint;
  info->n_features = OGR_L_GetFeatureCount (layer, FALSE);
  for (int i = 0; i < n_fields; i++)
    {
      g_autofree char *name = g_utf8_make_valid (OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn,
                                                                                       i)),
                                                 -1);
      g_strv_builder_add (fields, name);
    }
  info->fields = g_strv_builder_end (fields);

  info->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  OGR_L_ResetReading (layer);
  while (info->rows->len < max_rows && (feature = OGR_L_GetNextFeature (layer)) != NULL)
    {
      char **row = g_new0 (char *, n_fields + 1);

      for (int i = 0; i < n_fields; i++)
        row[i] = OGR_F_IsFieldSetAndNotNull (feature, i)
                 ? g_utf8_make_valid (OGR_F_GetFieldAsString (feature, i), -1)
                 : g_strdup ("");
      g_ptr_array_add (info->rows, row);
      OGR_F_Destroy (feature);
    }

  for (guint role = 0; role < TW_IMPORT_N_COLUMNS; role++)
    info->guess[role] = tw_import_guess_column ((const char *const *) info->fields, role);
  return info;
}

/* The area reader's own choice of id and name, which also knows about TopoJSON ids and
 * lower-case names; where it cannot choose, the reason is kept for the assistant. */
static void
detect_area_fields (const char    *source,
                    TwImportLayer *layer)
{
  g_autoptr(GError) error = NULL;
  TwAreaReader *reader = tw_area_reader_open (source, layer->name, NULL, NULL, NULL, &error);
  const char *id, *name;

  if (reader == NULL)
    {
      layer->note = g_strdup (error->message);
      return;
    }
  id = tw_area_reader_get_id_field (reader);
  name = tw_area_reader_get_name_field (reader);
  for (guint i = 0; layer->fields[i] != NULL; i++)
    {
      if (id != NULL && g_ascii_strcasecmp (layer->fields[i], id) == 0)
        layer->guess[TW_IMPORT_COLUMN_AREA_ID] = (int) i;
      if (name != NULL && g_ascii_strcasecmp (layer->fields[i], name) == 0)
        layer->guess[TW_IMPORT_COLUMN_AREA_NAME] = (int) i;
    }
  tw_area_reader_free (reader);
}

TwImportPreview *
tw_import_preview_read (const char  *source,
                        guint        max_rows,
                        GError     **error)
{
  static const char *csv_options[] = { "AUTODETECT_TYPE=NO", "EMPTY_STRING_AS_NULL=YES", NULL };
  static const char *census_options[] = { "AUTODETECT_TYPE=NO", "EMPTY_STRING_AS_NULL=YES",
                                          "HEADERS=NO", NULL };
  static gsize registered = 0;
  g_autoptr(TwImportPreview) preview = NULL;
  g_autoptr(GPtrArray) layers = g_ptr_array_new_with_free_func (layer_free);
  g_autofree char *lower = NULL;
  g_autofree char *open_path = NULL;
  g_autofree char *basename = NULL;
  const char *const *open_options = NULL;
  gboolean spreadsheet = FALSE, any_polygons = FALSE, any_points = FALSE;
  gboolean community = FALSE, census_batch;
  GDALDatasetH dataset;

  g_return_val_if_fail (source != NULL, NULL);

  if (g_once_init_enter (&registered))
    {
      GDALAllRegister ();
      g_once_init_leave (&registered, 1);
    }
  lower = g_ascii_strdown (source, -1);
  basename = g_filename_display_basename (source);
  if (g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".tsv")
      || g_str_has_suffix (lower, ".txt"))
    open_options = csv_options;
  else if (g_str_has_suffix (lower, ".xlsx") || g_str_has_suffix (lower, ".ods"))
    spreadsheet = TRUE;
  census_batch = tw_point_import_is_census_batch (source);
  if (census_batch)
    {
      open_path = g_strconcat ("CSV:", source, NULL);
      open_options = census_options;
    }
  else if (g_str_has_suffix (lower, ".zip"))
    open_path = g_strconcat ("/vsizip/", source, NULL);
  else
    open_path = g_strdup (source);

  /* As the outcome import reads them: every cell as text, the first row the header. */
  if (spreadsheet)
    {
      CPLSetThreadLocalConfigOption ("OGR_XLSX_FIELD_TYPES", "STRING");
      CPLSetThreadLocalConfigOption ("OGR_XLSX_HEADERS", "FORCE");
      CPLSetThreadLocalConfigOption ("OGR_ODS_FIELD_TYPES", "STRING");
      CPLSetThreadLocalConfigOption ("OGR_ODS_HEADERS", "FORCE");
    }
  CPLErrorReset ();
  CPLPushErrorHandler (CPLQuietErrorHandler);
  dataset = GDALOpenEx (open_path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, open_options,
                        NULL);
  CPLPopErrorHandler ();
  if (dataset == NULL)
    {
      g_set_error (error, TW_IMPORT_PREVIEW_ERROR, TW_IMPORT_PREVIEW_ERROR_OPEN,
                   "%s: not a file Tractwise can import; use boundaries (Shapefile, "
                   "GeoPackage, GeoJSON …) or an outcome table (CSV, XLSX, ODS, DBF)",
                   basename);
      goto out;
    }

  for (int i = 0; i < GDALDatasetGetLayerCount (dataset); i++)
    {
      TwImportLayer *layer = read_layer (GDALDatasetGetLayer (dataset, i), max_rows);

      /* The geocoder's result places its events by its own columns, as the import reads
       * them. */
      layer->has_points |= census_batch;

      any_polygons |= layer->has_polygons;
      /* Coordinates without counts are events; a table with counts is outcomes. */
      any_points |= layer->has_points
                    || (layer->guess[TW_IMPORT_COLUMN_LATITUDE] >= 0
                        && layer->guess[TW_IMPORT_COLUMN_LONGITUDE] >= 0
                        && layer->guess[TW_IMPORT_COLUMN_NUMERATOR] < 0);
      community |= tw_attribute_layout_detect ((const char *const *) layer->fields)
                   != TW_ATTRIBUTE_LAYOUT_PLAIN;
      g_ptr_array_add (layers, layer);
    }
  GDALClose (dataset);

  preview = g_new0 (TwImportPreview, 1);
  preview->source = g_strdup (source);
  preview->kind = any_polygons ? TW_IMPORT_KIND_AREAS
                  : any_points ? TW_IMPORT_KIND_POINTS
                  : community ? TW_IMPORT_KIND_ATTRIBUTES : TW_IMPORT_KIND_OUTCOMES;
  preview->layers = g_ptr_array_new_with_free_func (layer_free);
  for (guint i = 0; i < layers->len; i++)
    {
      TwImportLayer *layer = g_ptr_array_index (layers, i);

      if (preview->kind == TW_IMPORT_KIND_AREAS && !layer->has_polygons)
        continue;
      g_ptr_array_add (preview->layers, g_ptr_array_steal_index (layers, i--));
    }
  if (preview->layers->len == 0 || g_strv_length (((TwImportLayer *)
                                                   preview->layers->pdata[0])->fields) == 0)
    {
      g_set_error (error, TW_IMPORT_PREVIEW_ERROR, TW_IMPORT_PREVIEW_ERROR_EMPTY,
                   "%s: holds no layer with columns; check that it is the right file",
                   basename);
      g_clear_pointer (&preview, tw_import_preview_free);
      goto out;
    }
  if (preview->kind == TW_IMPORT_KIND_AREAS)
    for (guint i = 0; i < preview->layers->len; i++)
      detect_area_fields (source, g_ptr_array_index (preview->layers, i));

out:
  if (spreadsheet)
    {
      CPLSetThreadLocalConfigOption ("OGR_XLSX_FIELD_TYPES", NULL);
      CPLSetThreadLocalConfigOption ("OGR_XLSX_HEADERS", NULL);
      CPLSetThreadLocalConfigOption ("OGR_ODS_FIELD_TYPES", NULL);
      CPLSetThreadLocalConfigOption ("OGR_ODS_HEADERS", NULL);
    }
  return g_steal_pointer (&preview);
}
