/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-crosswalk"

#include "config.h"

#include <cpl_conv.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdlib.h>
#include <string.h>

#include "tw-allocate.h"
#include "tw-crosswalk.h"
#include "tw-gdal.h"
#include "tw-store-catalog.h"
#include "tw-store-crosswalk.h"
#include "tw-store-outcomes.h"

G_DEFINE_QUARK (tw-crosswalk-error-quark, tw_crosswalk_error)

/* Rows handed from the allocating thread to the store at once: large, as on a busy machine
 * each hand-over can wait a time slice for the other thread. */
#define BATCH 65536

/* A relationship file as text: upper-case column names and rows of fields. */
typedef struct
{
  GPtrArray *columns;   /* char * */
  GPtrArray *rows;      /* GStrv */
} Table;

/* One row of the relationship, by GEOID, before the project's areas are looked up. */
typedef struct
{
  char   *from;
  char   *to;
  double  weight;
} Pair;

typedef struct
{
  TwStore                  *store;
  const TwCrosswalkOptions *options;
  char                     *basename;
  gint64                    from_id;
  gint64                    to_id;
  GHashTable               *from_areas;   /* GEOID → area id */
  GHashTable               *to_areas;
  GArray                   *pairs;        /* Pair */
  TwCrosswalkResult        *result;
  gboolean                  in_transaction;
} Crosswalk;

static const char *const format_names[] = {
  [TW_CROSSWALK_FORMAT_AUTO] = "auto",
  [TW_CROSSWALK_FORMAT_CENSUS_TRACT] = "census-tract",
  [TW_CROSSWALK_FORMAT_CENSUS_ZCTA] = "census-zcta",
  [TW_CROSSWALK_FORMAT_HUD_ZIP] = "hud-zip",
  [TW_CROSSWALK_FORMAT_PAIRS] = "pairs",
  [TW_CROSSWALK_FORMAT_OVERLAY] = "overlay",
  [TW_CROSSWALK_FORMAT_REGIONS] = "regions",
};

gboolean
tw_crosswalk_format_from_string (const char        *text,
                                 TwCrosswalkFormat *format)
{
  g_return_val_if_fail (text != NULL && format != NULL, FALSE);

  for (guint f = 0; f < G_N_ELEMENTS (format_names); f++)
    if (g_str_equal (text, format_names[f]))
      {
        *format = f;
        return TRUE;
      }
  return FALSE;
}

const char *
tw_crosswalk_format_to_string (TwCrosswalkFormat format)
{
  g_return_val_if_fail (format < G_N_ELEMENTS (format_names), "auto");
  return format_names[format];
}

static void
clear_pair (gpointer data)
{
  Pair *pair = data;

  g_free (pair->from);
  g_free (pair->to);
}

static void
table_clear (Table *table)
{
  g_clear_pointer (&table->columns, g_ptr_array_unref);
  g_clear_pointer (&table->rows, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Table, table_clear)

static int
find_column (const Table *table,
             const char  *name)
{
  for (guint c = 0; c < table->columns->len; c++)
    if (g_ascii_strcasecmp (g_ptr_array_index (table->columns, c), name) == 0)
      return (int) c;
  return -1;
}

/* The Census Bureau's relationship files are pipe-delimited text without quoting, which
 * GDAL 3.6's CSV driver does not take: they are split here, field by field. */
static gboolean
read_pipe_table (Crosswalk   *self,
                 const char  *source,
                 char        *contents,
                 Table       *table,
                 GError     **error)
{
  char *text = contents;
  g_auto(GStrv) lines = NULL;
  guint n_columns;

  if (g_str_has_prefix (text, "\xEF\xBB\xBF"))
    text += 3;
  lines = g_strsplit (text, "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    g_strchomp (lines[l]);   /* \r of Windows line ends */

  {
    g_auto(GStrv) names = g_strsplit (lines[0], "|", -1);

    n_columns = g_strv_length (names);
    for (guint c = 0; c < n_columns; c++)
      g_ptr_array_add (table->columns, g_ascii_strup (g_strstrip (names[c]), -1));
  }
  for (guint l = 1; lines[l] != NULL; l++)
    {
      GStrv fields;

      if (lines[l][0] == '\0')
        continue;
      fields = g_strsplit (lines[l], "|", -1);
      if (g_strv_length (fields) != n_columns)
        {
          g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_ROW,
                       "%s, line %u: %u fields where the header names %u; check that the "
                       "file is whole and pipe-delimited", self->basename, l + 1,
                       g_strv_length (fields), n_columns);
          g_strfreev (fields);
          return FALSE;
        }
      g_ptr_array_add (table->rows, fields);
    }
  return TRUE;
}

/* HUD's XLSX, its CSV export, a pairs table: anything GDAL reads, every field as text. */
static gboolean
read_gdal_table (Crosswalk   *self,
                 const char  *source,
                 Table       *table,
                 GError     **error)
{
  static const char *csv_options[] = { "AUTODETECT_TYPE=NO", NULL };
  g_autofree char *lower = g_ascii_strdown (source, -1);
  GDALDatasetH dataset;
  OGRLayerH layer;
  OGRFeatureDefnH defn;
  OGRFeatureH feature;
  int n_fields;

  CPLSetThreadLocalConfigOption ("OGR_XLSX_FIELD_TYPES", "STRING");
  CPLSetThreadLocalConfigOption ("OGR_XLSX_HEADERS", "FORCE");
  CPLSetThreadLocalConfigOption ("OGR_ODS_FIELD_TYPES", "STRING");
  CPLSetThreadLocalConfigOption ("OGR_ODS_HEADERS", "FORCE");
  tw_gdal_init ();
  CPLErrorReset ();
  dataset = GDALOpenEx (source, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                        g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".txt")
                        ? csv_options : NULL, NULL);
  if (dataset == NULL || GDALDatasetGetLayerCount (dataset) < 1)
    {
      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPEN,
                   "%s: not a relationship file Tractwise can read (%s); use the Census "
                   "Bureau's pipe-delimited text, HUD's XLSX or a CSV table",
                   self->basename, *CPLGetLastErrorMsg () ? CPLGetLastErrorMsg () : "no table");
      if (dataset != NULL)
        GDALClose (dataset);
      return FALSE;
    }
  layer = GDALDatasetGetLayer (dataset, 0);
  defn = OGR_L_GetLayerDefn (layer);
  n_fields = OGR_FD_GetFieldCount (defn);
  for (int f = 0; f < n_fields; f++)
    g_ptr_array_add (table->columns,
                     g_ascii_strup (OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, f)), -1));
  OGR_L_ResetReading (layer);
  while ((feature = OGR_L_GetNextFeature (layer)) != NULL)
    {
      GStrv fields = g_new0 (char *, n_fields + 1);

      for (int f = 0; f < n_fields; f++)
        fields[f] = g_strdup (OGR_F_IsFieldSetAndNotNull (feature, f)
                              ? OGR_F_GetFieldAsString (feature, f) : "");
      g_ptr_array_add (table->rows, fields);
      OGR_F_Destroy (feature);
    }
  GDALClose (dataset);
  return TRUE;
}

static gboolean
read_table (Crosswalk   *self,
            const char  *source,
            Table       *table,
            GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (source);
  const char *newline;
  gsize length;

  table->columns = g_ptr_array_new_with_free_func (g_free);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  if (!g_file_query_exists (file, NULL))
    {
      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPEN,
                   "%s: no such file; check the path", source);
      return FALSE;
    }
  /* Only a text file whose first line holds a pipe is read here; XLSX goes to GDAL. */
  if (!g_str_has_suffix (self->basename, ".xlsx") && !g_str_has_suffix (self->basename, ".ods")
      && g_file_get_contents (source, &contents, &length, &local)
      && memchr (contents, '\0', length) == NULL)
    {
      newline = strchr (contents, '\n');
      if (memchr (contents, '|', newline != NULL ? (gsize) (newline - contents) : length))
        return read_pipe_table (self, source, contents, table, error);
    }
  return read_gdal_table (self, source, table, error);
}

/* A count of square metres, a ratio or a weight: finite and not negative. */
static gboolean
parse_number (Crosswalk   *self,
              const Table *table,
              guint        row,
              int          column,
              double      *value,
              GError     **error)
{
  const char *text = ((GStrv) g_ptr_array_index (table->rows, row))[column];
  char *end = NULL;

  *value = g_ascii_strtod (text, &end);
  if (*text == '\0' || end == text || *end != '\0' || !isfinite (*value) || *value < 0)
    {
      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_ROW,
                   "%s, row %u, %s: '%s' is not a number of 0 or more; correct the row",
                   self->basename, row + 2,
                   (const char *) g_ptr_array_index (table->columns, column), text);
      return FALSE;
    }
  return TRUE;
}

static const char *
field (const Table *table,
       guint        row,
       int          column)
{
  return ((GStrv) g_ptr_array_index (table->rows, row))[column];
}

/* How many of @geoids' keys the column holds. */
static guint
count_matches (const Table *table,
               int          column,
               GHashTable  *geoids)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint r = 0; r < table->rows->len; r++)
    {
      const char *geoid = field (table, r, column);

      if (g_hash_table_contains (geoids, geoid))
        g_hash_table_add (seen, (gpointer) geoid);
    }
  return g_hash_table_size (seen);
}

static void
add_pair (Crosswalk  *self,
          const char *from,
          const char *to,
          double      weight)
{
  Pair pair = { g_strdup (from), g_strdup (to), weight };

  g_array_append_val (self->pairs, pair);
}

/* Which of the two GEOID columns @a and @b holds the source geography's areas; FALSE with
 * an error when the file is about neither geography. */
static gboolean
pick_direction (Crosswalk    *self,
                const Table  *table,
                int           a,
                int           b,
                gboolean     *a_is_source,
                gboolean     *tie,
                GError      **error)
{
  guint from_a = count_matches (table, a, self->from_areas);
  guint from_b = count_matches (table, b, self->from_areas);
  guint to_a = count_matches (table, a, self->to_areas);
  guint to_b = count_matches (table, b, self->to_areas);
  const char *name_a = g_ptr_array_index (table->columns, a);
  const char *name_b = g_ptr_array_index (table->columns, b);

  *a_is_source = from_a + to_b >= from_b + to_a;
  if (tie != NULL)
    *tie = from_a + to_b == from_b + to_a;
  if ((*a_is_source ? from_a : from_b) == 0)
    {
      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
                   "%s: none of the GEOIDs of geography '%s' is in %s or %s; check --from "
                   "and that the file covers its areas", self->basename,
                   self->options->from_geography, name_a, name_b);
      return FALSE;
    }
  if ((*a_is_source ? to_b : to_a) == 0)
    {
      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
                   "%s: none of the GEOIDs of geography '%s' is in %s; check --to and that "
                   "the file covers its areas", self->basename, self->options->to_geography,
                   *a_is_source ? name_b : name_a);
      return FALSE;
    }
  return TRUE;
}

static int
require_column (Crosswalk    *self,
                const Table  *table,
                const char   *name,
                const char   *layout,
                GError      **error)
{
  int column = find_column (table, name);

  if (column < 0)
    g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_FORMAT,
                 "%s: no column %s, which the %s layout has; check --format and that the "
                 "file is the one published", self->basename, name, layout);
  return column;
}

/* When both geographies hold the same GEOIDs (every tract unchanged but a few), the
 * vintage of --from says which side of a Census file it is: _10 or _20. */
static gboolean
direction_by_vintage (Crosswalk    *self,
                      const char   *suffix_a,
                      const char   *suffix_b,
                      gboolean     *a_is_source,
                      GError      **error)
{
  g_autoptr(TwGeographyInfo) from = tw_store_get_geography (self->store, self->from_id, error);
  const char *year;

  if (from == NULL)
    return FALSE;
  year = from->vintage != NULL && strlen (from->vintage) == 4 ? from->vintage + 2 : "";
  if (*year != '\0' && g_str_has_suffix (suffix_a, year) != g_str_has_suffix (suffix_b, year))
    {
      *a_is_source = g_str_has_suffix (suffix_a, year);
      return TRUE;
    }
  g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
               "%s: the GEOIDs of '%s' and '%s' fit both of its sides; import the areas with "
               "--vintage (2010 or 2020) so the direction is known", self->basename,
               self->options->from_geography, self->options->to_geography);
  return FALSE;
}

/* The Census layouts: a row per part shared by area A (first GEOID column) and area B,
 * with each area's land and water and the part's. A source's count goes to its parts by
 * their share of its land; a source with no land (water only) by their share of its
 * water, and one with neither in equal shares. */
static gboolean
read_census (Crosswalk    *self,
             const Table  *table,
             const char   *layout,
             const char   *geoid_a,
             const char   *geoid_b,
             GError      **error)
{
  const char *suffix_a = geoid_a + strlen ("GEOID_");
  const char *suffix_b = geoid_b + strlen ("GEOID_");
  g_autofree char *land_a_name = g_strconcat ("AREALAND_", suffix_a, NULL);
  g_autofree char *land_b_name = g_strconcat ("AREALAND_", suffix_b, NULL);
  g_autofree char *water_a_name = g_strconcat ("AREAWATER_", suffix_a, NULL);
  g_autofree char *water_b_name = g_strconcat ("AREAWATER_", suffix_b, NULL);
  const char *weight = self->options->weight;
  gboolean by_area = weight == NULL || g_ascii_strcasecmp (weight, "area") == 0;
  int a, b, land_a, land_b, water_a, water_b, land_part, water_part, weight_column = -1;
  int from, from_land, from_water;
  gboolean a_is_source, tie;
  g_autoptr(GHashTable) rows_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) totals = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  if ((a = require_column (self, table, geoid_a, layout, error)) < 0
      || (b = require_column (self, table, geoid_b, layout, error)) < 0
      || (land_a = require_column (self, table, land_a_name, layout, error)) < 0
      || (land_b = require_column (self, table, land_b_name, layout, error)) < 0
      || (water_a = require_column (self, table, water_a_name, layout, error)) < 0
      || (water_b = require_column (self, table, water_b_name, layout, error)) < 0
      || (land_part = require_column (self, table, "AREALAND_PART", layout, error)) < 0
      || (water_part = require_column (self, table, "AREAWATER_PART", layout, error)) < 0)
    return FALSE;
  if (!by_area && (weight_column = find_column (table, weight)) < 0)
    {
      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
                   "%s: no column %s to weight by; give --weight area or one of its "
                   "columns", self->basename, weight);
      return FALSE;
    }
  if (!pick_direction (self, table, a, b, &a_is_source, &tie, error)
      || (tie && !direction_by_vintage (self, suffix_a, suffix_b, &a_is_source, error)))
    return FALSE;
  from = a_is_source ? a : b;
  from_land = a_is_source ? land_a : land_b;
  from_water = a_is_source ? water_a : water_b;

  /* A weight column is shared out in proportion over the source's rows. */
  for (guint r = 0; r < table->rows->len; r++)
    {
      const char *source = field (table, r, from);
      double value, *total;

      if (*source == '\0')
        continue;
      g_hash_table_insert (rows_of, (gpointer) source,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (rows_of,
                                                                                   source)) + 1));
      if (weight_column < 0)
        continue;
      if (!parse_number (self, table, r, weight_column, &value, error))
        return FALSE;
      total = g_hash_table_lookup (totals, source);
      if (total == NULL)
        g_hash_table_insert (totals, (gpointer) source, total = g_new0 (double, 1));
      *total += value;
    }

  for (guint r = 0; r < table->rows->len; r++)
    {
      const char *source = field (table, r, from);
      const char *target = field (table, r, a_is_source ? b : a);
      double land, water, part_land, part_water, share;

      /* The ZCTA file's parts of tracts outside every ZCTA have no ZCTA GEOID: their
       * share of a tract goes nowhere and shows in the totals. */
      if (*source == '\0' || *target == '\0')
        continue;
      if (!parse_number (self, table, r, from_land, &land, error)
          || !parse_number (self, table, r, from_water, &water, error)
          || !parse_number (self, table, r, land_part, &part_land, error)
          || !parse_number (self, table, r, water_part, &part_water, error))
        return FALSE;
      if (weight_column >= 0)
        {
          double value, total = *(double *) g_hash_table_lookup (totals, source);

          if (!parse_number (self, table, r, weight_column, &value, error))
            return FALSE;
          share = total > 0 ? value / total : 0;
        }
      else if (land > 0)
        share = part_land / land;
      else if (water > 0)
        share = part_water / water;
      else
        share = 1.0 / GPOINTER_TO_UINT (g_hash_table_lookup (rows_of, source));
      if (share > 1 + 1e-9)
        {
          g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_ROW,
                       "%s, row %u: the part of %s is larger than the area itself (%s "
                       "above %s); check that the file is the one published", self->basename,
                       r + 2, source, (const char *) g_ptr_array_index (table->columns,
                                                                        land_part),
                       (const char *) g_ptr_array_index (table->columns, from_land));
          return FALSE;
        }
      add_pair (self, source, target, share);
    }
  self->result->weight = g_strdup (weight_column >= 0 ? weight : "land area");
  return TRUE;
}

/* HUD's ZIP codes keep their leading zeros when a spreadsheet turned them into numbers. */
static char *
pad_geoid (const char *text,
           guint       width)
{
  gsize length = strlen (text);

  if (length >= width || length == 0 || strspn (text, "0123456789") != length)
    return g_strdup (text);
  return g_strdup_printf ("%0*d%s", (int) (width - length), 0, text);
}

static gboolean
read_hud (Crosswalk    *self,
          const Table  *table,
          GError      **error)
{
  const char *weight = self->options->weight;
  int zip = require_column (self, table, "ZIP", "HUD–USPS ZIP crosswalk", error);
  int tract = zip < 0 ? -1 : require_column (self, table, "TRACT", "HUD–USPS ZIP crosswalk",
                                             error);
  int ratio, first, second;
  gboolean first_is_source;

  if (tract < 0)
    return FALSE;
  if (weight == NULL || g_ascii_strcasecmp (weight, "area") == 0)
    weight = "RES_RATIO";
  if ((ratio = find_column (table, weight)) < 0)
    {
      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
                   "%s: no column %s to weight by; give --weight RES_RATIO, BUS_RATIO, "
                   "OTH_RATIO or TOT_RATIO", self->basename, weight);
      return FALSE;
    }
  for (guint r = 0; r < table->rows->len; r++)
    {
      GStrv fields = g_ptr_array_index (table->rows, r);
      char *padded = pad_geoid (fields[zip], 5);

      g_free (fields[zip]);
      fields[zip] = padded;
      padded = pad_geoid (fields[tract], 11);
      g_free (fields[tract]);
      fields[tract] = padded;
    }
  first = MIN (zip, tract);
  second = MAX (zip, tract);
  if (!pick_direction (self, table, first, second, &first_is_source, NULL, error))
    return FALSE;
  /* The ratios share out the first column's areas: the reverse is another file. */
  if (!first_is_source)
    {
      gboolean zip_first = first == zip;

      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
                   "%s: its ratios share each %s among %s, so it cannot take counts from "
                   "%s to %s; use HUD's %s file for that direction",
                   self->basename, zip_first ? "ZIP code" : "tract",
                   zip_first ? "tracts" : "ZIP codes", zip_first ? "tracts" : "ZIP codes",
                   zip_first ? "ZIP codes" : "tracts", zip_first ? "TRACT_ZIP" : "ZIP_TRACT");
      return FALSE;
    }
  for (guint r = 0; r < table->rows->len; r++)
    {
      double share;

      if (!parse_number (self, table, r, ratio, &share, error))
        return FALSE;
      if (share > 1 + 1e-9)
        {
          g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_ROW,
                       "%s, row %u, %s: %s is above 1, and a ratio is a share; correct the "
                       "row", self->basename, r + 2, weight, field (table, r, ratio));
          return FALSE;
        }
      add_pair (self, field (table, r, first), field (table, r, second), share);
    }
  self->result->weight = g_ascii_strup (weight, -1);
  return TRUE;
}

static gboolean
read_pairs (Crosswalk    *self,
            const Table  *table,
            GError      **error)
{
  const char *weight = self->options->weight;
  int from = require_column (self, table, "FROM", "pairs (from,to,weight)", error);
  int to = from < 0 ? -1 : require_column (self, table, "TO", "pairs (from,to,weight)", error);
  int column;
  gboolean from_is_source;

  if (to < 0)
    return FALSE;
  if (weight == NULL || g_ascii_strcasecmp (weight, "area") == 0)
    weight = "weight";
  if ((column = find_column (table, weight)) < 0)
    {
      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
                   "%s: no column %s to weight by; name the weight column with --weight",
                   self->basename, weight);
      return FALSE;
    }
  if (!pick_direction (self, table, from, to, &from_is_source, NULL, error))
    return FALSE;
  if (!from_is_source)
    {
      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
                   "%s: geography '%s' is in its column 'to', not 'from'; swap --from and "
                   "--to, or give a table in this direction", self->basename,
                   self->options->from_geography);
      return FALSE;
    }
  for (guint r = 0; r < table->rows->len; r++)
    {
      double share;

      if (!parse_number (self, table, r, column, &share, error))
        return FALSE;
      if (share > 1 + 1e-9)
        {
          g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_ROW,
                       "%s, row %u, %s: %s is above 1, and a weight is the share of the "
                       "'from' area that goes to the 'to' area; correct the row",
                       self->basename, r + 2, weight, field (table, r, column));
          return FALSE;
        }
      add_pair (self, field (table, r, from), field (table, r, to), share);
    }
  self->result->weight = g_strdup (weight);
  return TRUE;
}

static TwCrosswalkFormat
detect_format (const Table *table)
{
  if (find_column (table, "GEOID_TRACT_20") >= 0 && find_column (table, "GEOID_TRACT_10") >= 0)
    return TW_CROSSWALK_FORMAT_CENSUS_TRACT;
  if (find_column (table, "GEOID_ZCTA5_20") >= 0 && find_column (table, "GEOID_TRACT_20") >= 0)
    return TW_CROSSWALK_FORMAT_CENSUS_ZCTA;
  if (find_column (table, "ZIP") >= 0 && find_column (table, "TRACT") >= 0)
    return TW_CROSSWALK_FORMAT_HUD_ZIP;
  if (find_column (table, "FROM") >= 0 && find_column (table, "TO") >= 0)
    return TW_CROSSWALK_FORMAT_PAIRS;
  return TW_CROSSWALK_FORMAT_AUTO;
}

static gboolean
read_relationship (Crosswalk   *self,
                   const char  *source,
                   GError     **error)
{
  g_auto(Table) table = { NULL, NULL };
  TwCrosswalkFormat format = self->options->format;

  if (!read_table (self, source, &table, error))
    return FALSE;
  if (format == TW_CROSSWALK_FORMAT_AUTO)
    format = detect_format (&table);
  self->result->format = g_strdup (tw_crosswalk_format_to_string (format));
  switch (format)
    {
    case TW_CROSSWALK_FORMAT_CENSUS_TRACT:
      return read_census (self, &table, "Census tract-to-tract (tab20_tract20_tract10)",
                          "GEOID_TRACT_20", "GEOID_TRACT_10", error);
    case TW_CROSSWALK_FORMAT_CENSUS_ZCTA:
      return read_census (self, &table, "Census ZCTA-to-tract (tab20_zcta520_tract20)",
                          "GEOID_ZCTA5_20", "GEOID_TRACT_20", error);
    case TW_CROSSWALK_FORMAT_HUD_ZIP:
      return read_hud (self, &table, error);
    case TW_CROSSWALK_FORMAT_PAIRS:
      return read_pairs (self, &table, error);
    case TW_CROSSWALK_FORMAT_AUTO:
    case TW_CROSSWALK_FORMAT_OVERLAY:
    default:
      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_FORMAT,
                   "%s: not a relationship file Tractwise knows (its columns are neither "
                   "the Census tract or ZCTA layout, HUD's ZIP, TRACT nor from,to,weight); "
                   "give --format", self->basename);
      return FALSE;
    }
}

/* The overlay: each source area's share of its area covered by each target area, measured
 * on an equal-area projection (EPSG:6933) so that shares do not depend on latitude. */
typedef struct
{
  char               *geoid;
  OGRGeometryH        geometry;
  OGREnvelope         box;
} Outline;

typedef struct
{
  GArray                       *outlines;
  OGRCoordinateTransformationH  transform;
} OutlineLoad;

static void
clear_outline (gpointer data)
{
  Outline *outline = data;

  g_free (outline->geoid);
  if (outline->geometry != NULL)
    OGR_G_DestroyGeometry (outline->geometry);
}

static void
load_outline (const TwStoredArea *area,
              gpointer            user_data)
{
  OutlineLoad *load = user_data;
  Outline outline = { NULL, NULL, { 0 } };

  if (OGR_G_CreateFromWkb (area->wkb, NULL, &outline.geometry, (int) area->wkb_len)
      != OGRERR_NONE)
    return;
  if (OGR_G_Transform (outline.geometry, load->transform) != OGRERR_NONE)
    {
      OGR_G_DestroyGeometry (outline.geometry);
      return;
    }
  outline.geoid = g_strdup (area->geoid);
  OGR_G_GetEnvelope (outline.geometry, &outline.box);
  g_array_append_val (load->outlines, outline);
}

static GArray *
load_outlines (Crosswalk                     *self,
               gint64                         geography_id,
               OGRCoordinateTransformationH   transform,
               GError                       **error)
{
  OutlineLoad load = { g_array_new (FALSE, FALSE, sizeof (Outline)), transform };

  g_array_set_clear_func (load.outlines, clear_outline);
  if (!tw_store_foreach_area (self->store, geography_id, load_outline, &load, error))
    {
      g_array_unref (load.outlines);
      return NULL;
    }
  return load.outlines;
}

static gboolean
read_overlay (Crosswalk  *self,
              GError    **error)
{
  OGRSpatialReferenceH lonlat = OSRNewSpatialReference (NULL);
  OGRSpatialReferenceH equal_area = OSRNewSpatialReference (NULL);
  OGRCoordinateTransformationH transform;
  g_autoptr(GArray) sources = NULL;
  g_autoptr(GArray) targets = NULL;

  OSRImportFromEPSG (lonlat, 4326);
  OSRSetAxisMappingStrategy (lonlat, OAMS_TRADITIONAL_GIS_ORDER);
  OSRImportFromEPSG (equal_area, 6933);
  OSRSetAxisMappingStrategy (equal_area, OAMS_TRADITIONAL_GIS_ORDER);
  transform = OCTNewCoordinateTransformation (lonlat, equal_area);
  OSRDestroySpatialReference (lonlat);
  OSRDestroySpatialReference (equal_area);
  if (transform == NULL)
    {
      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPEN,
                   "cannot project the outlines to measure their areas (PROJ's database is "
                   "missing?); reinstall GDAL's data");
      return FALSE;
    }
  sources = load_outlines (self, self->from_id, transform, error);
  targets = sources == NULL ? NULL : load_outlines (self, self->to_id, transform, error);
  OCTDestroyCoordinateTransformation (transform);
  if (targets == NULL)
    return FALSE;

  for (guint s = 0; s < sources->len; s++)
    {
      const Outline *source = &g_array_index (sources, Outline, s);
      double whole = OGR_G_Area (source->geometry), covered = 0;
      guint first = self->pairs->len;

      if (!(whole > 0))
        continue;
      for (guint t = 0; t < targets->len; t++)
        {
          const Outline *target = &g_array_index (targets, Outline, t);
          OGRGeometryH part;
          double shared;

          if (target->box.MinX > source->box.MaxX || target->box.MaxX < source->box.MinX
              || target->box.MinY > source->box.MaxY || target->box.MaxY < source->box.MinY)
            continue;
          part = OGR_G_Intersection (source->geometry, target->geometry);
          if (part == NULL)
            continue;
          shared = OGR_G_Area (part);
          OGR_G_DestroyGeometry (part);
          if (shared > 0)
            {
              add_pair (self, source->geoid, target->geoid, shared / whole);
              covered += shared / whole;
            }
        }
      /* Parts cut by GEOS add up to their whole only to about 1e-8: a source the targets
       * cover is shared by its parts' areas, so that its count is kept whole. */
      if (fabs (covered - 1) < 1e-6 || covered > 1)
        for (guint p = first; p < self->pairs->len; p++)
          g_array_index (self->pairs, Pair, p).weight /= covered;
    }
  self->result->format = g_strdup ("overlay");
  self->result->weight = g_strdup ("area (equal-area projection, EPSG:6933)");
  return TRUE;
}

/* The area of @areas whose GEOID begins @block: a block's GEOID is its state (2 digits),
 * county (3), tract (6), block group (1) and block (4) codes, so its tract is its first 11
 * characters. NULL when none holds it. */
static const char *
area_of_block (GHashTable *areas,
               const char *block)
{
  static const guint prefixes[] = { 15, 12, 11, 5, 2 };
  char head[16];

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      gpointer key;

      if (strlen (block) < prefixes[i])
        continue;
      g_strlcpy (head, block, prefixes[i] + 1);
      if (g_hash_table_lookup_extended (areas, head, &key, NULL))
        return key;
    }
  return NULL;
}

/* Weights by population: each source area's count goes to its parts by the people of its
 * blocks in each (a table of block parts from,to,population, the blocks' GEOIDs in the two
 * geographies' vintages: the Census block relationship file joined with the blocks'
 * populations). A source area without people in the table keeps the relationship file's
 * weights. */
static gboolean
apply_block_weights (Crosswalk   *self,
                     const char  *blocks,
                     GError     **error)
{
  g_auto(Table) table = { NULL, NULL };
  g_autoptr(GHashTable) people = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        g_free);
  g_autoptr(GHashTable) totals = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *relationship = self->basename;
  g_autoptr(GArray) kept = g_array_new (FALSE, FALSE, sizeof (Pair));
  GHashTableIter iter;
  gpointer key, value;
  int from, to, population;

  self->basename = g_path_get_basename (blocks);
  if (!read_table (self, blocks, &table, error)
      || (from = require_column (self, &table, "FROM", "blocks (from,to,population)",
                                 error)) < 0
      || (to = require_column (self, &table, "TO", "blocks (from,to,population)",
                               error)) < 0
      || (population = require_column (self, &table, "POPULATION",
                                       "blocks (from,to,population)", error)) < 0)
    {
      g_free (g_steal_pointer (&self->basename));
      self->basename = g_steal_pointer (&relationship);
      return FALSE;
    }
  for (guint r = 0; r < table.rows->len; r++)
    {
      const char *source = area_of_block (self->from_areas, field (&table, r, from));
      const char *target = area_of_block (self->to_areas, field (&table, r, to));
      double count, *sum;
      char *part;

      if (!parse_number (self, &table, r, population, &count, error))
        {
          g_free (g_steal_pointer (&self->basename));
          self->basename = g_steal_pointer (&relationship);
          return FALSE;
        }
      if (source == NULL || target == NULL)
        continue;
      part = g_strconcat (source, "\t", target, NULL);
      sum = g_hash_table_lookup (people, part);
      if (sum == NULL)
        g_hash_table_insert (people, part, sum = g_new0 (double, 1));
      else
        g_free (part);
      *sum += count;
      sum = g_hash_table_lookup (totals, source);
      if (sum == NULL)
        g_hash_table_insert (totals, (gpointer) source, sum = g_new0 (double, 1));
      *sum += count;
    }
  g_free (self->basename);
  self->basename = g_steal_pointer (&relationship);

  /* The relationship's pairs of sources without people, then every part with people. */
  for (guint p = 0; p < self->pairs->len; p++)
    {
      Pair *pair = &g_array_index (self->pairs, Pair, p);
      double *total = g_hash_table_lookup (totals, pair->from);

      if (total == NULL || !(*total > 0))
        {
          g_array_append_val (kept, *pair);
          pair->from = pair->to = NULL;
        }
    }
  g_array_set_size (self->pairs, 0);
  g_array_append_vals (self->pairs, kept->data, kept->len);
  g_hash_table_iter_init (&iter, people);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_auto(GStrv) ends = g_strsplit (key, "\t", 2);
      double total = *(double *) g_hash_table_lookup (totals, ends[0]);

      if (total > 0 && *(double *) value > 0)
        add_pair (self, ends[0], ends[1], *(double *) value / total);
    }
  g_free (self->result->weight);
  {
    g_autofree char *name = g_path_get_basename (blocks);

    self->result->weight = g_strdup_printf ("population (blocks of %s)", name);
  }
  return TRUE;
}

/* PolicyMap's rule: a source goes wholly to the target holding at least half of it, and
 * to none when no target does. */
static void
apply_majority (Crosswalk *self)
{
  g_autoptr(GHashTable) best = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint p = 0; p < self->pairs->len; p++)
    {
      Pair *pair = &g_array_index (self->pairs, Pair, p);
      Pair *other = g_hash_table_lookup (best, pair->from);

      if (other == NULL || pair->weight > other->weight)
        g_hash_table_insert (best, pair->from, pair);
    }
  for (guint p = 0; p < self->pairs->len; p++)
    {
      Pair *pair = &g_array_index (self->pairs, Pair, p);

      pair->weight = g_hash_table_lookup (best, pair->from) == pair && pair->weight >= 0.5
                     ? 1.0 : 0.0;
    }
}

static gint64
area_of (GHashTable *areas,
         const char *geoid)
{
  gpointer id;

  if (!g_hash_table_lookup_extended (areas, geoid, NULL, &id))
    return -1;
  return (gint64) GPOINTER_TO_SIZE (id);
}

/* The pairs as links between the two geographies' areas; pairs about other areas (a
 * national file for one county's tracts) are left out. */
static GArray *
make_links (Crosswalk *self)
{
  GArray *links = g_array_new (FALSE, FALSE, sizeof (TwAllocationLink));

  for (guint p = 0; p < self->pairs->len; p++)
    {
      const Pair *pair = &g_array_index (self->pairs, Pair, p);
      TwAllocationLink link = {
        area_of (self->from_areas, pair->from), area_of (self->to_areas, pair->to),
        pair->weight
      };

      if (link.from_area >= 0 && link.to_area >= 0 && link.weight > 0)
        g_array_append_val (links, link);
    }
  return links;
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static GStrv
sorted_strv (GPtrArray *strings)
{
  g_ptr_array_sort (strings, compare_strings);
  g_ptr_array_add (strings, NULL);
  return (GStrv) g_ptr_array_free (strings, FALSE);
}

typedef struct
{
  guint    n_sources;
  gboolean whole;        /* its one source goes wholly to it */
  char    *source;       /* GEOID of its first source */
} TargetOrigin;

/* How each target area came about (for the window's badge), and the target areas that no
 * source reaches. */
static gboolean
note_changes (Crosswalk  *self,
              gint64      crosswalk_id,
              GError    **error)
{
  g_autoptr(GHashTable) n_targets = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) origins = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GPtrArray) unmatched = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  for (guint p = 0; p < self->pairs->len; p++)
    {
      const Pair *pair = &g_array_index (self->pairs, Pair, p);

      if (pair->weight > 0 && area_of (self->from_areas, pair->from) >= 0)
        g_hash_table_insert (n_targets, pair->from,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (n_targets,
                                                                                     pair->from)) + 1));
    }
  for (guint p = 0; p < self->pairs->len; p++)
    {
      const Pair *pair = &g_array_index (self->pairs, Pair, p);
      TargetOrigin *origin;

      if (!(pair->weight > 0) || area_of (self->from_areas, pair->from) < 0
          || area_of (self->to_areas, pair->to) < 0)
        continue;
      origin = g_hash_table_lookup (origins, pair->to);
      if (origin == NULL)
        {
          origin = g_new0 (TargetOrigin, 1);
          origin->source = pair->from;
          origin->whole = TRUE;
          g_hash_table_insert (origins, pair->to, origin);
        }
      else if (g_str_equal (origin->source, pair->from))
        continue;
      origin->n_sources++;
      origin->whole &= GPOINTER_TO_UINT (g_hash_table_lookup (n_targets, pair->from)) == 1
                       && pair->weight >= 1 - 1e-9;
    }

  g_hash_table_iter_init (&iter, self->to_areas);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TargetOrigin *origin = g_hash_table_lookup (origins, key);
      TwAreaChange change;

      if (origin == NULL)
        {
          g_ptr_array_add (unmatched, g_strdup (key));
          continue;
        }
      change = origin->n_sources > 1 ? TW_AREA_CHANGE_MERGED
               : !origin->whole ? TW_AREA_CHANGE_SPLIT
               : g_str_equal (origin->source, key) ? TW_AREA_CHANGE_UNCHANGED
               : TW_AREA_CHANGE_RECODED;
      switch (change)
        {
        case TW_AREA_CHANGE_UNCHANGED: self->result->unchanged++; break;
        case TW_AREA_CHANGE_RECODED: self->result->recoded++; break;
        case TW_AREA_CHANGE_SPLIT: self->result->split++; break;
        case TW_AREA_CHANGE_MERGED: self->result->merged++; break;
        default: g_assert_not_reached ();
        }
      if (!tw_store_add_area_change (self->store, crosswalk_id,
                                     (gint64) GPOINTER_TO_SIZE (value), change, error))
        return FALSE;
    }
  self->result->unmatched_target = sorted_strv (g_steal_pointer (&unmatched));
  return TRUE;
}

static void
collect_allocated (const TwStoreAllocatedCell *cell,
                   gpointer                    user_data)
{
  TwStoreAllocatedCell copy = *cell;

  copy.stratum = NULL;   /* valid only during the call */
  g_array_append_val ((GArray *) user_data, copy);
}

/* The source cells already hidden as allocated from hidden cells (a chain of crosswalks),
 * as TwCellKey: the policy hides them on the source geography too. */
static GHashTable *
find_hidden_before (Crosswalk                 *self,
                    gint64                     measure_id,
                    const TwSuppressionPolicy *policy,
                    GError                   **error)
{
  g_autoptr(GHashTable) hidden = g_hash_table_new_full (tw_cell_key_hash, tw_cell_key_equal,
                                                        g_free, NULL);
  /* Every period of the project rather than the measure's on the source geography:
   * listing those reads all the measure's rows, which read_measure then reads again. */
  g_auto(GStrv) periods = tw_store_list_labels (self->store, TW_OUTCOME_LABEL_PERIOD, error);

  if (periods == NULL)
    return NULL;
  for (guint p = 0; periods[p] != NULL; p++)
    {
      g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (TwStoreAllocatedCell));
      gint64 period_id = tw_store_find_or_add_label (self->store, TW_OUTCOME_LABEL_PERIOD,
                                                     periods[p], error);

      if (period_id < 0
          || !tw_store_foreach_allocated_cell (self->store, measure_id, periods[p],
                                               collect_allocated, cells, error))
        return NULL;
      for (guint c = 0; c < cells->len; c++)
        {
          const TwStoreAllocatedCell *cell = &g_array_index (cells, TwStoreAllocatedCell, c);
          TwCellKey key = { period_id, cell->stratum_id, cell->area_id };

          if (cell->hidden || tw_suppression_is_small (policy, cell->least_source))
            g_hash_table_add (hidden, g_memdup2 (&key, sizeof key));
        }
    }
  return g_steal_pointer (&hidden);
}

typedef struct
{
  GHashTable *sources;     /* area ids of the source geography */
  GArray     *rows;        /* TwOutcomeRow */
} Collect;

static void
collect_row (const TwOutcomeRow *row,
             gpointer            user_data)
{
  Collect *collect = user_data;

  if (g_hash_table_contains (collect->sources, GSIZE_TO_POINTER ((gsize) row->area_id)))
    g_array_append_val (collect->rows, *row);
}

/* Target rows and cells on their way from the allocating thread to the store. */
typedef struct
{
  GArray *rows;    /* TwOutcomeRow */
  GArray *cells;   /* TwAllocatedCell */
} Batch;

static void
batch_free (Batch *batch)
{
  g_array_unref (batch->rows);
  g_array_unref (batch->cells);
  g_free (batch);
}

static gboolean
store_batch (Crosswalk    *self,
             const Batch  *batch,
             gint64        crosswalk_id,
             GError      **error)
{
  gssize stored = tw_store_add_outcomes (self->store, (const TwOutcomeRow *) batch->rows->data,
                                         batch->rows->len, error);

  if (stored < 0)
    return FALSE;
  if ((guint) stored != batch->rows->len)
    {
      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
                   "geography '%s' already holds some of the outcomes being converted; "
                   "nothing was written", self->options->to_geography);
      return FALSE;
    }
  if (!tw_store_add_allocated_cells (self->store, crosswalk_id,
                                     (const TwAllocatedCell *) batch->cells->data,
                                     batch->cells->len, error))
    return FALSE;
  self->result->rows += batch->rows->len;
  if (self->options->progress != NULL)
    self->options->progress (self->result->rows, -1, self->options->progress_data);
  return TRUE;
}

/* The measures to allocate: those named, or every one the source geography holds; none
 * may be on the target geography already. */
static GPtrArray *
pick_measures (Crosswalk  *self,
               GError    **error)
{
  g_autoptr(GPtrArray) all = tw_store_list_measures (self->store, error);
  g_autoptr(GPtrArray) picked = g_ptr_array_new_with_free_func ((GDestroyNotify) tw_measure_info_free);

  if (all == NULL)
    return NULL;
  for (guint m = 0; m < all->len; m++)
    {
      TwMeasureInfo *measure = g_ptr_array_index (all, m);
      g_autoptr(GPtrArray) geographies = NULL;
      gboolean on_source = FALSE, on_target = FALSE;

      if (self->options->measures != NULL
          && !g_strv_contains (self->options->measures, measure->code))
        continue;
      geographies = tw_store_list_geographies (self->store, measure->id, NULL, error);
      if (geographies == NULL)
        return NULL;
      for (guint g = 0; g < geographies->len; g++)
        {
          TwGeographyInfo *geography = g_ptr_array_index (geographies, g);

          on_source |= geography->id == self->from_id && geography->holds;
          on_target |= geography->id == self->to_id && geography->holds;
        }
      if (on_target)
        {
          g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
                       "measure %s already has outcomes on geography '%s'; convert other "
                       "measures with --measures, or start from a project without them",
                       measure->code, self->options->to_geography);
          return NULL;
        }
      if (!on_source)
        {
          if (self->options->measures == NULL)
            continue;
          g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
                       "measure %s has no outcomes on geography '%s'; check --measures and "
                       "--from", measure->code, self->options->from_geography);
          return NULL;
        }
      g_ptr_array_add (picked, g_ptr_array_steal_index (all, m--));
    }
  for (guint i = 0; self->options->measures != NULL && self->options->measures[i]; i++)
    {
      gboolean found = FALSE;

      for (guint m = 0; m < picked->len && !found; m++)
        found = g_str_equal (((TwMeasureInfo *) g_ptr_array_index (picked, m))->code,
                             self->options->measures[i]);
      if (!found)
        {
          g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
                       "no measure %s in the project; check --measures",
                       self->options->measures[i]);
          return NULL;
        }
    }
  if (picked->len == 0)
    {
      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
                   "geography '%s' holds no outcomes to convert; import them first",
                   self->options->from_geography);
      return NULL;
    }
  return g_steal_pointer (&picked);
}

/* One measure's source rows, judged and shared out on a second thread while the first
 * stores what is ready (SQLite's inserts are most of a crosswalk's time) and reads the
 * next measure. */
typedef struct
{
  TwAllocator               *allocator;
  const TwSuppressionPolicy *policy;
  GArray                    *strata;
  gint64                     all_id;
  GAsyncQueue               *jobs;      /* Job, then a Job without rows to end */
  GAsyncQueue               *ready;     /* Batch; NULL rows ends a measure */
  GAsyncQueue               *tokens;    /* batches the worker may have in flight */
  gint                       stop;
} Pipeline;

typedef struct
{
  GArray     *rows;     /* TwOutcomeRow, of one measure; NULL: no more */
  GHashTable *before;   /* TwCellKey set */
} Job;

/* How many batches of BATCH rows may wait to be stored: enough to keep both threads busy,
 * few enough that memory does not grow with the project. */
#define IN_FLIGHT 12

static void
hand_over (Pipeline *pipeline,
           gboolean  last)
{
  GArray *rows = tw_allocator_get_rows (pipeline->allocator);
  GArray *cells = tw_allocator_get_cells (pipeline->allocator);
  Batch *batch = g_new (Batch, 1);

  g_async_queue_pop (pipeline->tokens);
  batch->rows = g_array_copy (rows);
  batch->cells = g_array_copy (cells);
  g_array_set_size (rows, 0);
  g_array_set_size (cells, 0);
  g_async_queue_push (pipeline->ready, batch);
  if (last)
    {
      batch = g_new0 (Batch, 1);
      g_async_queue_push (pipeline->ready, batch);
    }
}

static gpointer
allocate_thread (gpointer data)
{
  Pipeline *pipeline = data;

  for (;;)
    {
      Job *job = g_async_queue_pop (pipeline->jobs);
      g_autofree guint8 *hidden = NULL;
      GArray *ready = tw_allocator_get_rows (pipeline->allocator);
      const TwOutcomeRow *rows;
      guint n_rows;

      if (job->rows == NULL)
        {
          g_free (job);
          return NULL;
        }
      rows = (const TwOutcomeRow *) job->rows->data;
      n_rows = job->rows->len;
      hidden = g_new (guint8, MAX (n_rows, 1));
      tw_allocation_find_hidden (pipeline->policy, rows, n_rows, pipeline->strata,
                                 pipeline->all_id, job->before, hidden);
      for (guint r = 0; r < n_rows && !g_atomic_int_get (&pipeline->stop); r++)
        {
          tw_allocator_add (pipeline->allocator, &rows[r], hidden[r]);
          if (ready->len >= BATCH)
            hand_over (pipeline, FALSE);
        }
      tw_allocator_finish_group (pipeline->allocator);
      hand_over (pipeline, TRUE);
      g_array_unref (job->rows);
      g_hash_table_unref (job->before);
      g_free (job);
    }
}

static void
push_job (Pipeline   *pipeline,
          GArray     *rows,
          GHashTable *before)
{
  Job *job = g_new (Job, 1);

  job->rows = rows;
  job->before = before;
  g_async_queue_push (pipeline->jobs, job);
}

/* Reads a measure's rows of the source geography (in the outcome key's order) and the
 * cells of it hidden by an earlier crosswalk. */
static gboolean
read_measure (Crosswalk                 *self,
              const TwMeasureInfo       *measure,
              GHashTable                *sources,
              const TwSuppressionPolicy *policy,
              GArray                   **rows,
              GHashTable               **before,
              GCancellable              *cancellable,
              GError                   **error)
{
  Collect collect = { sources, g_array_new (FALSE, FALSE, sizeof (TwOutcomeRow)) };

  *rows = collect.rows;
  *before = find_hidden_before (self, measure->id, policy, error);
  return *before != NULL
         && tw_store_foreach_measure_outcome (self->store, measure->id, collect_row, &collect,
                                              cancellable, error);
}

static gboolean
allocate (Crosswalk     *self,
          GArray        *links,
          gint64         crosswalk_id,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(TwAllocator) allocator = tw_allocator_new ((const TwAllocationLink *) links->data,
                                                       links->len);
  g_autoptr(GPtrArray) measures = pick_measures (self, error);
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  g_autoptr(GPtrArray) unmatched = g_ptr_array_new ();
  g_autoptr(GArray) unlinked = NULL;
  g_autoptr(GHashTable) geoid_of = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GHashTable) sources = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GArray) strata = NULL;
  GArray *rows = NULL;
  GHashTable *before = NULL;
  TwSuppressionPolicy policy;
  Pipeline pipeline = { 0 };
  GThread *thread;
  gint64 all_id;
  GHashTableIter iter;
  gpointer key, value;
  gboolean ok = TRUE;

  if (measures == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, self->from_areas);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_hash_table_add (sources, value);
  if (!tw_suppression_policy_load (&policy, self->store, error)
      || (strata = tw_store_list_strata_in_order (self->store, &all_id, error)) == NULL)
    return FALSE;
  tw_allocator_set_policy (allocator, &policy);

  pipeline.allocator = allocator;
  pipeline.policy = &policy;
  pipeline.strata = strata;
  pipeline.all_id = all_id;
  pipeline.jobs = g_async_queue_new ();
  pipeline.ready = g_async_queue_new ();
  pipeline.tokens = g_async_queue_new ();
  for (guint t = 0; t < IN_FLIGHT; t++)
    g_async_queue_push (pipeline.tokens, GUINT_TO_POINTER (1));
  thread = g_thread_new ("tw-crosswalk", allocate_thread, &pipeline);

  ok = read_measure (self, g_ptr_array_index (measures, 0), sources, &policy, &rows, &before,
                     cancellable, error);
  for (guint m = 0; m < measures->len && ok; m++)
    {
      TwMeasureInfo *measure = g_ptr_array_index (measures, m);

      g_ptr_array_add (codes, g_strdup (measure->code));
      push_job (&pipeline, rows, before);
      rows = NULL;
      before = NULL;
      if (m + 1 < measures->len)
        ok = read_measure (self, g_ptr_array_index (measures, m + 1), sources, &policy,
                           &rows, &before, cancellable, error);
      /* Store the measure's batches; after a failure, only take them off the queue. */
      for (;;)
        {
          Batch *batch = g_async_queue_pop (pipeline.ready);
          gboolean end = batch->rows == NULL;

          if (!end)
            {
              if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
                ok = FALSE;
              if (ok)
                ok = store_batch (self, batch, crosswalk_id, error);
              if (!ok)
                g_atomic_int_set (&pipeline.stop, 1);
              g_async_queue_push (pipeline.tokens, GUINT_TO_POINTER (1));
              batch_free (batch);
            }
          else
            g_free (batch);
          if (end)
            break;
        }
    }
  g_clear_pointer (&rows, g_array_unref);
  g_clear_pointer (&before, g_hash_table_unref);
  push_job (&pipeline, NULL, NULL);
  g_thread_join (thread);
  g_async_queue_unref (pipeline.jobs);
  g_async_queue_unref (pipeline.ready);
  g_async_queue_unref (pipeline.tokens);
  if (!ok)
    return FALSE;

  if (self->options->progress != NULL)
    self->options->progress (self->result->rows, self->result->rows,
                             self->options->progress_data);
  self->result->measures = sorted_strv (g_steal_pointer (&codes));
  self->result->hidden_cells = tw_allocator_get_hidden_cells (allocator);
  self->result->source_total = tw_allocator_get_source_total (allocator);
  self->result->target_total = tw_allocator_get_target_total (allocator);
  self->result->conserved = tw_allocation_totals_agree (self->result->source_total,
                                                        self->result->target_total);
  self->result->links = links->len;

  g_hash_table_iter_init (&iter, self->from_areas);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (geoid_of, value, key);
  unlinked = tw_allocator_list_unlinked (allocator);
  for (guint i = 0; i < unlinked->len; i++)
    g_ptr_array_add (unmatched,
                     g_strdup (g_hash_table_lookup (geoid_of,
                                                    GSIZE_TO_POINTER ((gsize) g_array_index (unlinked, gint64, i)))));
  self->result->unmatched_source = sorted_strv (g_steal_pointer (&unmatched));
  return TRUE;
}

/* A custom region from a list of its members: table region,geoid. */
typedef struct
{
  GHashTable *members;   /* GEOID → region name (the table's) */
  GHashTable *parts;     /* region name → OGRGeometryH, the union so far */
} Regions;

static void
add_member_outline (const TwStoredArea *area,
                    gpointer            user_data)
{
  Regions *regions = user_data;
  const char *region = g_hash_table_lookup (regions->members, area->geoid);
  OGRGeometryH geometry = NULL, members;

  if (region == NULL
      || OGR_G_CreateFromWkb (area->wkb, NULL, &geometry, (int) area->wkb_len) != OGRERR_NONE)
    return;
  members = g_hash_table_lookup (regions->parts, region);
  if (members == NULL)
    {
      members = OGR_G_CreateGeometry (wkbMultiPolygon);
      g_hash_table_insert (regions->parts, (gpointer) region, members);
    }
  /* GDAL 3.6 dissolves a multipolygon (UnionCascaded): its polygons one by one. */
  if (wkbFlatten (OGR_G_GetGeometryType (geometry)) == wkbMultiPolygon)
    {
      for (int i = 0; i < OGR_G_GetGeometryCount (geometry); i++)
        OGR_G_AddGeometry (members, OGR_G_GetGeometryRef (geometry, i));
      OGR_G_DestroyGeometry (geometry);
    }
  else
    OGR_G_AddGeometryDirectly (members, geometry);
}

static void
destroy_geometry (gpointer data)
{
  OGR_G_DestroyGeometry (data);
}

/* A geography of its own for the regions, each outlined by its members' polygons dissolved
 * with GEOS so the map can draw it; each member goes wholly to its region. Inside the
 * crosswalk's transaction. */
static gboolean
build_regions (Crosswalk   *self,
               const char  *source,
               GError     **error)
{
  g_auto(Table) table = { NULL, NULL };
  g_autoptr(GHashTable) members = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) parts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       destroy_geometry);
  g_autofree const char **names = NULL;
  guint n_names;
  g_autoptr(GArray) features = g_array_new (FALSE, TRUE, sizeof (TwAreaFeature));
  Regions regions = { members, parts };
  int region, geoid;
  gint64 geography_id;
  gboolean ok = TRUE;

  if (!read_table (self, source, &table, error)
      || (region = require_column (self, &table, "REGION", "regions (region,geoid)",
                                   error)) < 0
      || (geoid = require_column (self, &table, "GEOID", "regions (region,geoid)", error)) < 0)
    return FALSE;
  for (guint r = 0; r < table.rows->len; r++)
    {
      const char *name = field (&table, r, region), *member = field (&table, r, geoid);
      const char *before = g_hash_table_lookup (members, member);

      if (*name == '\0' || area_of (self->from_areas, member) < 0)
        {
          g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_ROW,
                       *name == '\0' ? "%s, row %u: the region is empty; name it"
                                     : "%s, row %u: %s is not an area of '%s'; correct the row "
                                       "or check --from", self->basename, r + 2, member,
                       self->options->from_geography);
          return FALSE;
        }
      if (before != NULL && !g_str_equal (before, name))
        {
          g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_ROW,
                       "%s, row %u: %s is in region '%s' already; an area belongs to one "
                       "region (for shares, give --format pairs)", self->basename, r + 2,
                       member, before);
          return FALSE;
        }
      g_hash_table_insert (members, (gpointer) member, (gpointer) name);
      add_pair (self, member, name, 1.0);
    }
  if (!tw_store_foreach_area (self->store, self->from_id, add_member_outline, &regions, error))
    return FALSE;

  names = (const char **) g_hash_table_get_keys_as_array (parts, &n_names);
  qsort (names, n_names, sizeof (char *), compare_strings);
  for (guint i = 0; i < n_names && ok; i++)
    {
      const char *name = names[i];
      OGRGeometryH whole = OGR_G_UnionCascaded (g_hash_table_lookup (parts, name));
      TwAreaFeature feature = { 0 };
      OGREnvelope box;

      if (whole == NULL)
        {
          g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_ROW,
                       "%s: the outlines of region '%s' cannot be joined; check its areas "
                       "with tractwise-cli areas", self->basename, name);
          ok = FALSE;
          break;
        }
      if (wkbFlatten (OGR_G_GetGeometryType (whole)) != wkbPolygon
          && wkbFlatten (OGR_G_GetGeometryType (whole)) != wkbMultiPolygon)
        whole = OGR_G_ForceToMultiPolygon (whole);
      OGR_G_GetEnvelope (whole, &box);
      feature.feature = i + 1;
      feature.geoid = g_strdup (name);
      feature.name = g_strdup (name);
      feature.wkb_len = OGR_G_WkbSize (whole);
      feature.wkb = g_malloc (feature.wkb_len);
      OGR_G_ExportToIsoWkb (whole, wkbNDR, feature.wkb);
      feature.min_lon = box.MinX;
      feature.max_lon = box.MaxX;
      feature.min_lat = box.MinY;
      feature.max_lat = box.MaxY;
      OGR_G_DestroyGeometry (whole);
      g_array_append_val (features, feature);
    }
  if (ok)
    {
      geography_id = tw_store_add_geography (self->store, self->options->to_geography,
                                             "other", 0, self->basename, "EPSG:4326", error);
      ok = geography_id >= 0
           && tw_store_add_areas (self->store, geography_id,
                                  (const TwAreaFeature *) features->data, features->len, error)
           && tw_store_index_areas (self->store, geography_id, error);
    }
  for (guint i = 0; i < features->len; i++)
    tw_area_feature_clear (&g_array_index (features, TwAreaFeature, i));
  if (!ok)
    return FALSE;
  self->result->format = g_strdup ("regions");
  self->result->weight = g_strdup ("whole areas (members of a region)");
  return TRUE;
}

static gboolean
run (Crosswalk     *self,
     const char    *source,
     GCancellable  *cancellable,
     GError       **error)
{
  const TwCrosswalkOptions *o = self->options;
  g_autoptr(GArray) links = NULL;
  g_autofree char *method = NULL;
  g_autofree char *note = NULL;
  gboolean by_population = o->weight != NULL && g_ascii_strcasecmp (o->weight, "population") == 0;
  TwCrosswalkOptions reading;
  gboolean ok;
  g_autofree char *detail = NULL;
  gint64 crosswalk_id;

  if (o->from_geography == NULL || o->to_geography == NULL)
    {
      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
                   "name the geographies to convert between with --from and --to");
      return FALSE;
    }
  if ((self->from_id = tw_store_resolve_geography (self->store, o->from_geography, error)) < 0)
    return FALSE;
  if (o->format == TW_CROSSWALK_FORMAT_REGIONS)
    {
      if (source == NULL || tw_store_has_geography (self->store, o->to_geography))
        {
          g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
                       source == NULL ? "--format regions takes a table region,geoid; give it"
                                      : "geography '%s' exists already; name a new one with "
                                        "--to for the regions", o->to_geography);
          return FALSE;
        }
      if (!tw_store_begin_outcome_import (self->store, error))
        return FALSE;
      self->in_transaction = TRUE;
      if ((self->from_areas = tw_store_map_geoids (self->store, self->from_id, error)) == NULL
          || !build_regions (self, source, error))
        return FALSE;
    }
  if ((self->to_id = tw_store_resolve_geography (self->store, o->to_geography, error)) < 0)
    return FALSE;
  if (self->from_id == self->to_id)
    {
      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
                   "--from and --to name the same geography '%s'; name two", o->to_geography);
      return FALSE;
    }
  if ((source == NULL) != (o->format == TW_CROSSWALK_FORMAT_OVERLAY))
    {
      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
                   source == NULL ? "give a relationship file, or --format overlay"
                                  : "--format overlay takes no relationship file; leave it out");
      return FALSE;
    }
  if ((self->from_areas == NULL
       && (self->from_areas = tw_store_map_geoids (self->store, self->from_id, error)) == NULL)
      || (self->to_areas = tw_store_map_geoids (self->store, self->to_id, error)) == NULL)
    return FALSE;

  if (by_population && o->blocks == NULL)
    {
      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
                   "--weight population needs the people of each block part: give "
                   "--blocks FILE (from,to,population)");
      return FALSE;
    }
  if (o->blocks != NULL && !by_population)
    {
      g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_OPTIONS,
                   "--blocks weights by population: give --weight population with it");
      return FALSE;
    }
  /* The relationship file gives the links and, for areas without people in the blocks,
   * its own weights. */
  reading = *o;
  if (by_population)
    reading.weight = NULL;
  self->options = &reading;
  ok = o->format == TW_CROSSWALK_FORMAT_REGIONS ? TRUE
       : source != NULL ? read_relationship (self, source, error) : read_overlay (self, error);
  self->options = o;
  if (!ok || (by_population && !apply_block_weights (self, o->blocks, error)))
    return FALSE;
  if (o->rule == TW_CROSSWALK_RULE_MAJORITY)
    apply_majority (self);
  self->result->rule = g_strdup (o->rule == TW_CROSSWALK_RULE_MAJORITY
                                 ? "majority (a source area goes wholly to the target "
                                   "holding at least 50% of it)"
                                 : "proportional (a source area's counts are shared by its "
                                   "weights)");
  links = make_links (self);
  method = g_strdup_printf ("%s; weight: %s; rule: %s", self->result->format,
                            self->result->weight, self->result->rule);
  note = g_strdup_printf ("outcomes allocated from %s%s%s (%s, weight %s, %s)",
                          o->from_geography, source != NULL ? " through " : "",
                          source != NULL ? self->basename : "", self->result->format,
                          self->result->weight,
                          o->rule == TW_CROSSWALK_RULE_MAJORITY
                          ? "majority rule: each area wholly to the one holding 50% or more "
                            "of it"
                          : "proportional rule: each area's counts shared by its weights");

  if (!self->in_transaction && !tw_store_begin_outcome_import (self->store, error))
    return FALSE;
  self->in_transaction = TRUE;
  if (!tw_store_prepare_crosswalk (self->store, error)
      || (crosswalk_id = tw_store_add_crosswalk (self->store, self->from_id, self->to_id,
                                                 source != NULL ? self->basename : NULL,
                                                 method, error)) < 0
      || !tw_store_note_allocation (self->store, self->to_id, note, error)
      || !note_changes (self, crosswalk_id, error)
      || !allocate (self, links, crosswalk_id, cancellable, error))
    return FALSE;
  detail = g_strdup_printf ("crosswalk from %s to %s (%s): %" G_GINT64_FORMAT " rows; "
                            "source total %.17g, target total %.17g", o->from_geography,
                            o->to_geography, method, self->result->rows,
                            self->result->source_total, self->result->target_total);
  self->in_transaction = FALSE;
  return tw_store_commit_outcome_import (self->store, detail, error);
}

TwCrosswalkResult *
tw_crosswalk_run (TwStore                  *store,
                  const char               *source,
                  const TwCrosswalkOptions *options,
                  GCancellable             *cancellable,
                  GError                  **error)
{
  Crosswalk self = { 0 };
  gboolean ok;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);

  self.store = store;
  self.options = options;
  self.basename = source != NULL ? g_path_get_basename (source) : g_strdup ("overlay");
  self.pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
  g_array_set_clear_func (self.pairs, clear_pair);
  self.result = g_new0 (TwCrosswalkResult, 1);

  ok = run (&self, source, cancellable, error);
  if (!ok && self.in_transaction)
    tw_store_abandon_outcome_import (store);

  g_free (self.basename);
  g_array_unref (self.pairs);
  g_clear_pointer (&self.from_areas, g_hash_table_unref);
  g_clear_pointer (&self.to_areas, g_hash_table_unref);
  if (!ok)
    g_clear_pointer (&self.result, tw_crosswalk_result_free);
  return self.result;
}

void
tw_crosswalk_result_free (TwCrosswalkResult *result)
{
  if (result == NULL)
    return;
  g_free (result->format);
  g_free (result->weight);
  g_free (result->rule);
  g_strfreev (result->measures);
  g_strfreev (result->unmatched_source);
  g_strfreev (result->unmatched_target);
  g_free (result);
}

gboolean
tw_crosswalk_check_vintage (TwStore     *store,
                            gint64       geography_id,
                            GHashTable  *unmatched,
                            const char  *source,
                            GError     **error)
{
  g_autoptr(GPtrArray) geographies = NULL;
  g_autoptr(TwGeographyInfo) chosen = NULL;
  guint n_unmatched = g_hash_table_size (unmatched);
  const TwGeographyInfo *best = NULL;
  guint best_found = 0;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (unmatched != NULL, FALSE);

  if (n_unmatched == 0)
    return TRUE;
  geographies = tw_store_list_geographies (store, -1, NULL, error);
  chosen = geographies == NULL ? NULL : tw_store_get_geography (store, geography_id, error);
  if (chosen == NULL)
    return FALSE;
  for (guint g = 0; g < geographies->len; g++)
    {
      const TwGeographyInfo *other = g_ptr_array_index (geographies, g);
      g_autoptr(GHashTable) areas = NULL;
      GHashTableIter iter;
      gpointer geoid;
      guint found = 0;

      if (other->id == geography_id)
        continue;
      areas = tw_store_map_geoids (store, other->id, error);
      if (areas == NULL)
        return FALSE;
      g_hash_table_iter_init (&iter, unmatched);
      while (g_hash_table_iter_next (&iter, &geoid, NULL))
        found += g_hash_table_contains (areas, geoid);
      if (found > best_found)
        {
          best = other;
          best_found = found;
        }
    }
  if (best == NULL || best_found * 10 < n_unmatched * 9)
    return TRUE;
  g_set_error (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_VINTAGE,
               "%s: %u GEOIDs are not areas of '%s'%s%s%s but %u of them are areas of '%s'%s%s%s: "
               "import the file into --geography '%s', then convert it with tractwise-cli crosswalk "
               "PROJECT RELATIONSHIP_FILE --from '%s' --to '%s'", source, n_unmatched,
               chosen->name, chosen->vintage ? " (" : "", chosen->vintage ? chosen->vintage : "",
               chosen->vintage ? ")" : "", best_found, best->name, best->vintage ? " (" : "",
               best->vintage ? best->vintage : "", best->vintage ? ")" : "", best->name,
               best->name, chosen->name);
  return FALSE;
}
