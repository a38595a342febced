/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-attributes"

#include <math.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>
#include <cpl_conv.h>
#include <cpl_error.h>

#include "tw-attributes.h"
#include "tw-gdal.h"
#include "tw-outcome-import.h"
#include "tw-store-import.h"

G_DEFINE_QUARK (tw-attribute-error-quark, tw_attribute_error)

/* CDC SVI marks values it could not compute with -999. */
#define SVI_MISSING -999.0

void
tw_attribute_import_result_free (TwAttributeImportResult *result)
{
  if (result == NULL)
    return;
  g_strfreev (result->fields);
  g_free (result);
}

static char *
strip_zeros (const char *geoid)
{
  while (*geoid == '0' && geoid[1] != '\0')
    geoid++;
  return g_strdup (geoid);
}

static gboolean
all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (; *text; text++)
    if (!g_ascii_isdigit (*text))
      return FALSE;
  return TRUE;
}

/* GEOID → area id, and the same keyed without leading zeros (for files that lost them:
 * a spreadsheet that read "01001020100" as a number); an ambiguous stripped key maps to 0. */
static gboolean
load_areas (TwStore     *store,
            gint64       geography_id,
            GHashTable  *exact,
            GHashTable  *stripped,
            GError     **error)
{
  g_autoptr(GHashTable) areas = tw_store_map_geoids (store, geography_id, error);
  GHashTableIter iter;
  gpointer geoid, id;

  if (areas == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, areas);
  while (g_hash_table_iter_next (&iter, &geoid, &id))
    {
      char *key = strip_zeros (geoid);
      gint64 *value = g_new (gint64, 1);

      *value = (gint64) GPOINTER_TO_SIZE (id);
      g_hash_table_insert (exact, g_strdup (geoid), g_memdup2 (value, sizeof *value));
      if (g_hash_table_contains (stripped, key))
        *value = 0;
      g_hash_table_insert (stripped, key, value);
    }
  return TRUE;
}

static int
find_field (OGRFeatureDefnH  defn,
            const char      *name)
{
  int n = OGR_FD_GetFieldCount (defn);

  for (int i = 0; i < n; i++)
    if (g_str_equal (OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i)), name))
      return i;
  for (int i = 0; i < n; i++)
    if (g_ascii_strcasecmp (OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i)), name) == 0)
      return i;
  return -1;
}

static char *
list_fields (OGRFeatureDefnH defn)
{
  GString *names = g_string_new (NULL);

  for (int i = 0; i < OGR_FD_GetFieldCount (defn); i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "",
                            OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i)));
  return g_string_free (names, FALSE);
}

/* A cell as a number, or NAN for a missing value. FALSE when it is neither, with a
 * @reason. Numbers follow the outcome import's rules (tw_parse_decimal), negative ones
 * allowed, and lie within ±TW_COUNT_MAX. */
static gboolean
parse_cell (OGRFeatureH  feature,
            int          field,
            double      *value,
            const char **reason)
{
  g_autofree char *text = NULL;
  double v;

  if (!OGR_F_IsFieldSetAndNotNull (feature, field))
    {
      *value = NAN;
      return TRUE;
    }
  switch (OGR_Fld_GetType (OGR_F_GetFieldDefnRef (feature, field)))
    {
    case OFTInteger:
    case OFTInteger64:
    case OFTReal:
      v = OGR_F_GetFieldAsDouble (feature, field);
      break;
    default:
      text = g_strdup (OGR_F_GetFieldAsString (feature, field));
      g_strstrip (text);
      if (*text == '\0' || g_ascii_strcasecmp (text, "NA") == 0
          || g_ascii_strcasecmp (text, "NaN") == 0 || g_ascii_strcasecmp (text, "null") == 0)
        {
          *value = NAN;
          return TRUE;
        }
      if (!tw_parse_decimal (text, &v, reason))
        return FALSE;
      break;
    }

  if (!isfinite (v))
    {
      *reason = "is not a finite number";
      return FALSE;
    }
  if (fabs (v) > TW_COUNT_MAX)
    {
      *reason = "is beyond ±1e12, the largest value Tractwise takes";
      return FALSE;
    }
  *value = v == SVI_MISSING ? NAN : v;
  return TRUE;
}

static GDALDatasetH
open_table (const char  *source,
            const char  *basename,
            gboolean    *spreadsheet,
            GError     **error)
{
  static const char *csv_options[] = { "AUTODETECT_TYPE=NO", "EMPTY_STRING_AS_NULL=YES", NULL };
  g_autofree char *lower = g_ascii_strdown (source, -1);
  const char *const *open_options = NULL;
  GDALDatasetH dataset;

  *spreadsheet = FALSE;
  if (g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".tsv")
      || g_str_has_suffix (lower, ".txt"))
    open_options = csv_options;
  else if (g_str_has_suffix (lower, ".xlsx") || g_str_has_suffix (lower, ".ods"))
    {
      /* every cell as text and the first row as the header (GDAL 3.6: config options) */
      CPLSetThreadLocalConfigOption ("OGR_XLSX_FIELD_TYPES", "STRING");
      CPLSetThreadLocalConfigOption ("OGR_XLSX_HEADERS", "FORCE");
      CPLSetThreadLocalConfigOption ("OGR_ODS_FIELD_TYPES", "STRING");
      CPLSetThreadLocalConfigOption ("OGR_ODS_HEADERS", "FORCE");
      *spreadsheet = TRUE;
    }

  CPLErrorReset ();
  CPLPushErrorHandler (CPLQuietErrorHandler);
  tw_gdal_init ();
  dataset = GDALOpenEx (source, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, open_options, NULL);
  CPLPopErrorHandler ();
  if (dataset == NULL)
    {
      const char *why = CPLGetLastErrorMsg ();

      g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_OPEN,
                   "%s: not a table Tractwise can read%s%s%s; use CSV, XLSX, ODS, DBF or a "
                   "GeoPackage", basename, *why ? " (" : "", why, *why ? ")" : "");
    }
  return dataset;
}

static void
clear_spreadsheet_options (gboolean spreadsheet)
{
  if (!spreadsheet)
    return;
  CPLSetThreadLocalConfigOption ("OGR_XLSX_FIELD_TYPES", NULL);
  CPLSetThreadLocalConfigOption ("OGR_XLSX_HEADERS", NULL);
  CPLSetThreadLocalConfigOption ("OGR_ODS_FIELD_TYPES", NULL);
  CPLSetThreadLocalConfigOption ("OGR_ODS_HEADERS", NULL);
}

static OGRLayerH
pick_layer (GDALDatasetH  dataset,
            const char   *wanted,
            const char   *basename,
            GError      **error)
{
  int n = GDALDatasetGetLayerCount (dataset);
  g_autoptr(GString) names = g_string_new (NULL);

  if (wanted != NULL)
    {
      OGRLayerH layer = GDALDatasetGetLayerByName (dataset, wanted);

      if (layer != NULL)
        return layer;
    }
  else if (n == 1)
    return GDALDatasetGetLayer (dataset, 0);

  for (int i = 0; i < n; i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "",
                            OGR_L_GetName (GDALDatasetGetLayer (dataset, i)));
  if (n == 0)
    g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_OPEN,
                 "%s: holds no table; check that it is the right file", basename);
  else if (wanted != NULL)
    g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_OPEN,
                 "%s: no layer or sheet named '%s' (there are: %s); give one with --layer",
                 basename, wanted, names->str);
  else
    g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_OPEN,
                 "%s: holds several layers or sheets (%s); say which with --layer",
                 basename, names->str);
  return NULL;
}

static gboolean
write_rows (TwStore     *store,
            gint64       geography_id,
            const char  *basename,
            GStrv        fields,
            GArray      *rows,
            GError     **error)
{
  g_autofree char *detail = NULL;
  g_autofree char *joined = NULL;

  if (!tw_store_begin (store, error))
    return FALSE;
  joined = g_strjoinv (",", fields);
  detail = g_strdup_printf ("%s: %u rows, fields %s", basename, rows->len, joined);
  if (!tw_store_replace_attributes (store, geography_id, (const char *const *) fields, rows,
                                    basename, error)
      || !tw_store_audit (store, "import-attributes", detail, error)
      || !tw_store_commit (store, error))
    {
      tw_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

TwAttributeImportResult *
tw_attribute_import (TwStore                        *store,
                     const char                     *source,
                     const TwAttributeImportOptions *options,
                     GError                        **error)
{
  g_autoptr(TwAttributeImportResult) result = NULL;
  g_autoptr(GHashTable) exact = NULL;
  g_autoptr(GHashTable) stripped = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autofree char *basename = NULL;
  g_autofree int *columns = NULL;
  GDALDatasetH dataset = NULL;
  OGRLayerH layer;
  OGRFeatureDefnH defn;
  OGRFeatureH feature;
  gboolean spreadsheet = FALSE, ok = FALSE;
  gint64 geography_id, row_number = 0;
  guint n_fields;
  int geoid_column;

  g_return_val_if_fail (store != NULL && source != NULL && options != NULL, NULL);

  if (options->geoid_field == NULL || options->fields == NULL || options->fields[0] == NULL)
    {
      g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_INVALID,
                   "name the GEOID field (--geoid-field) and at least one field to import "
                   "(--fields A,B,…)");
      return NULL;
    }
  n_fields = g_strv_length ((GStrv) options->fields);
  for (guint f = 0; f < n_fields; f++)
    {
      const char *problem = tw_code_problem (options->fields[f], TW_CODE_MAX_CHARS);

      if (problem != NULL)
        {
          g_autofree char *quoted = tw_quote_for_message (options->fields[f]);

          g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_INVALID,
                       "--fields: the name '%s' %s; attribute names are printable text of "
                       "at most 64 characters that does not start with = + - @", quoted,
                       problem);
          return NULL;
        }
    }
  for (guint f = 0; f < n_fields; f++)
    for (guint g = 0; g < f; g++)
      if (g_str_equal (options->fields[f], options->fields[g]))
        {
          g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_INVALID,
                       "field '%s' is named twice; name each field once", options->fields[f]);
          return NULL;
        }

  geography_id = tw_store_resolve_geography (store, options->geography, error);
  if (geography_id < 0)
    return NULL;

  basename = g_filename_display_basename (source);
  exact = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  stripped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!load_areas (store, geography_id, exact, stripped, error))
    return NULL;

  dataset = open_table (source, basename, &spreadsheet, error);
  if (dataset == NULL)
    goto out;
  layer = pick_layer (dataset, options->layer, basename, error);
  if (layer == NULL)
    goto out;
  defn = OGR_L_GetLayerDefn (layer);

  geoid_column = find_field (defn, options->geoid_field);
  columns = g_new (int, n_fields);
  for (guint f = 0; f <= n_fields; f++)
    {
      const char *name = f < n_fields ? options->fields[f] : options->geoid_field;
      int column = f < n_fields ? find_field (defn, name) : geoid_column;

      if (column < 0)
        {
          g_autofree char *names = list_fields (defn);

          g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_COLUMNS,
                       "%s: no field named '%s' (there are: %s); check --%s",
                       basename, name, names, f < n_fields ? "fields" : "geoid-field");
          goto out;
        }
      if (f < n_fields)
        columns[f] = column;
    }

  result = g_new0 (TwAttributeImportResult, 1);
  result->fields = g_strdupv ((GStrv) options->fields);
  rows = g_array_new (FALSE, FALSE, sizeof (TwAttributeValues));
  seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  OGR_L_ResetReading (layer);
  CPLErrorReset ();
  while ((feature = OGR_L_GetNextFeature (layer)) != NULL)
    {
      g_autofree char *geoid = NULL;
      gint64 *id;
      TwAttributeValues parsed = { 0 };

      row_number++;
      geoid = g_strstrip (g_strdup (OGR_F_GetFieldAsString (feature, geoid_column)));
      if (*geoid == '\0')
        {
          g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_ROW,
                       "%s: row %" G_GINT64_FORMAT " (line %" G_GINT64_FORMAT "): field '%s' "
                       "is empty; every row needs a GEOID", basename, row_number,
                       row_number + 1, options->geoid_field);
          OGR_F_Destroy (feature);
          goto out;
        }
      id = g_hash_table_lookup (exact, geoid);
      if (id == NULL && all_digits (geoid))
        {
          g_autofree char *key = strip_zeros (geoid);

          id = g_hash_table_lookup (stripped, key);
          if (id != NULL && *id == 0)
            id = NULL;
        }
      if (id == NULL)
        {
          result->unmatched++;
          OGR_F_Destroy (feature);
          continue;
        }
      if (g_hash_table_contains (seen, id))
        {
          g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_ROW,
                       "%s: row %" G_GINT64_FORMAT " (line %" G_GINT64_FORMAT "): GEOID %s "
                       "appears twice; keep one row an area", basename, row_number,
                       row_number + 1, geoid);
          OGR_F_Destroy (feature);
          goto out;
        }
      g_hash_table_add (seen, g_memdup2 (id, sizeof *id));

      parsed.area_id = *id;
      parsed.values = g_new (double, n_fields);
      g_array_append_val (rows, parsed);
      for (guint f = 0; f < n_fields; f++)
        {
          const char *reason = NULL;

          if (!parse_cell (feature, columns[f], &parsed.values[f], &reason))
            {
              g_autofree char *quoted = tw_quote_for_message (OGR_F_GetFieldAsString (
                                                                feature, columns[f]));

              g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_ROW,
                           "%s: row %" G_GINT64_FORMAT " (line %" G_GINT64_FORMAT "), field "
                           "'%s': '%s' %s; values are decimal numbers (no '+', hex or "
                           "thousands separators) within ±1e12: correct it, or leave the "
                           "cell empty for a missing value", basename, row_number,
                           row_number + 1, options->fields[f], quoted, reason);
              OGR_F_Destroy (feature);
              goto out;
            }
          result->missing += isnan (parsed.values[f]);
        }
      OGR_F_Destroy (feature);
    }
  if (CPLGetLastErrorType () >= CE_Failure)
    {
      g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_ROW,
                   "%s: row %" G_GINT64_FORMAT " cannot be read (%s); the file may be damaged",
                   basename, row_number + 1, CPLGetLastErrorMsg ());
      goto out;
    }

  result->rows = rows->len;
  ok = write_rows (store, geography_id, basename, result->fields, rows, error);

out:
  if (rows != NULL)
    for (guint r = 0; r < rows->len; r++)
      g_free (g_array_index (rows, TwAttributeValues, r).values);
  if (dataset != NULL)
    GDALClose (dataset);
  clear_spreadsheet_options (spreadsheet);
  return ok ? g_steal_pointer (&result) : NULL;
}

GStrv
tw_attribute_list (TwStore  *store,
                   gint64    geography_id,
                   GError  **error)
{
  g_return_val_if_fail (store != NULL, NULL);

  return tw_store_list_attributes (store, geography_id, error);
}

gboolean
tw_attribute_load (TwStore     *store,
                   gint64       geography_id,
                   const char  *name,
                   GArray     **area_ids,
                   GArray     **values,
                   GError     **error)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) found = NULL;

  g_return_val_if_fail (store != NULL && name != NULL, FALSE);
  g_return_val_if_fail (area_ids != NULL && values != NULL, FALSE);

  if (!tw_store_load_attribute (store, geography_id, name, &ids, &found, error))
    return FALSE;
  if (ids->len == 0)
    {
      g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_INVALID,
                   "no attribute named '%s' for these areas; import it with "
                   "'tractwise-cli import-attributes'", name);
      return FALSE;
    }
  *area_ids = g_steal_pointer (&ids);
  *values = g_steal_pointer (&found);
  return TRUE;
}
