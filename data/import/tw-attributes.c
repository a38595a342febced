/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-attributes"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>
#include <cpl_conv.h>
#include <cpl_error.h>

#include "tw-attributes.h"
#include "tw-gdal.h"
#include "tw-outcome-import.h"
#include "tw-store-catalog.h"
#include "tw-store-dictionary.h"
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
  g_free (result->universe);
  g_strfreev (result->null_codes);
  g_free (result->null_code_counts);
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

static const char *const layout_names[] = { "auto", "plain", "svi", "adi", "places", "acs" };

const char *
tw_attribute_layout_to_string (TwAttributeLayout layout)
{
  g_return_val_if_fail (layout <= TW_ATTRIBUTE_LAYOUT_ACS, NULL);
  return layout_names[layout];
}

gboolean
tw_attribute_layout_from_string (const char        *text,
                                 TwAttributeLayout *layout)
{
  for (guint i = 0; i < G_N_ELEMENTS (layout_names); i++)
    if (g_ascii_strcasecmp (text, layout_names[i]) == 0)
      {
        *layout = i;
        return TRUE;
      }
  return FALSE;
}

/* The Census Bureau's "jam values" in ACS estimates and margins, and what they mean. */
static const struct { double value; const char *code; } acs_jams[] = {
  { -666666666, "-666666666" },  /* the estimate could not be computed */
  { -999999999, "-999999999" },  /* too few sample cases for an estimate or a margin */
  { -888888888, "-888888888" },  /* not applicable or not available */
  { -222222222, "-222222222" },  /* a margin that could not be computed */
  { -333333333, "-333333333" },  /* a median in an open-ended interval */
  { -555555555, "-555555555" },  /* a controlled estimate: no sampling error (margin 0) */
};

/* The text codes of a layout that mean "no value" (a null, counted by code). */
static const char *const adi_codes[] = { "PH", "GQ", "PH-GQ", "QDI", NULL };
static const char *const acs_codes[] = { "(X)", "-", "N", "**", "***", "*****", NULL };

/* What the codes of a layout mean, for the dictionary. */
static const char *
layout_null_codes (TwAttributeLayout layout)
{
  switch (layout)
    {
    case TW_ATTRIBUTE_LAYOUT_SVI:
      return "-999 (could not be computed); empty, NA";
    case TW_ATTRIBUTE_LAYOUT_ADI:
      return "PH (low population or housing), GQ (group quarters), PH-GQ (both), QDI "
             "(questionable data integrity); empty, NA";
    case TW_ATTRIBUTE_LAYOUT_ACS:
      return "-666666666, -999999999, -888888888, -222222222, -333333333, (X), -, N, **, "
             "***, and top- or bottom-coded medians (\"250,000+\"); -555555555 and ***** in "
             "a margin: a controlled estimate, margin 0";
    case TW_ATTRIBUTE_LAYOUT_PLACES:
    case TW_ATTRIBUTE_LAYOUT_PLAIN:
    default:
      return "-999; empty, NA, NaN, null";
    }
}

/* A cell as a number, or NAN for a missing value. FALSE when it is neither, with a
 * @reason. Numbers follow the outcome import's rules (tw_parse_decimal), negative ones
 * allowed, and lie within ±TW_COUNT_MAX. A layout's null code gives NAN (or, for a
 * controlled ACS estimate's margin, 0) and its text in @code. */
static gboolean
parse_text (TwAttributeLayout   layout,
            const char         *cell,
            double             *value,
            const char        **code,
            const char        **reason)
{
  g_autofree char *text = g_strstrip (g_strdup (cell));
  const char *const *codes = layout == TW_ATTRIBUTE_LAYOUT_ADI ? adi_codes
                             : layout == TW_ATTRIBUTE_LAYOUT_ACS ? acs_codes : NULL;
  gsize len = strlen (text);
  double v;

  *code = NULL;
  if (*text == '\0' || g_ascii_strcasecmp (text, "NA") == 0
      || g_ascii_strcasecmp (text, "NaN") == 0 || g_ascii_strcasecmp (text, "null") == 0)
    {
      *value = NAN;
      return TRUE;
    }
  for (guint i = 0; codes != NULL && codes[i] != NULL; i++)
    if (g_str_equal (text, codes[i]))
      {
        *code = codes[i];
        *value = g_str_equal (text, "*****") ? 0.0 : NAN;
        return TRUE;
      }
  /* An ACS median beyond its table's range: "250,000+", "2,500-". */
  if (layout == TW_ATTRIBUTE_LAYOUT_ACS && len > 1
      && (text[len - 1] == '+' || text[len - 1] == '-') && g_ascii_isdigit (text[0]))
    {
      *code = text[len - 1] == '+' ? "top-coded (+)" : "bottom-coded (-)";
      *value = NAN;
      return TRUE;
    }
  if (!tw_parse_decimal (text, &v, reason))
    return FALSE;
  *value = v;
  return TRUE;
}

static gboolean
parse_cell (TwAttributeLayout   layout,
            gboolean            margin,
            OGRFeatureH         feature,
            int                 field,
            double             *value,
            const char        **code,
            const char        **reason)
{
  double v;

  *code = NULL;
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
      if (!parse_text (layout, OGR_F_GetFieldAsString (feature, field), &v, code, reason))
        return FALSE;
      if (*code != NULL || isnan (v))
        {
          *value = v;
          return TRUE;
        }
      break;
    }

  if (!isfinite (v))
    {
      *reason = "is not a finite number";
      return FALSE;
    }
  if (layout == TW_ATTRIBUTE_LAYOUT_ACS)
    for (guint i = 0; i < G_N_ELEMENTS (acs_jams); i++)
      if (v == acs_jams[i].value)
        {
          *code = acs_jams[i].code;
          *value = margin && i == G_N_ELEMENTS (acs_jams) - 1 ? 0.0 : NAN;
          return TRUE;
        }
  if (fabs (v) > TW_COUNT_MAX)
    {
      *reason = "is beyond ±1e12, the largest value Tractwise takes";
      return FALSE;
    }
  if (v == SVI_MISSING && layout != TW_ATTRIBUTE_LAYOUT_ACS)
    {
      *code = "-999";
      *value = NAN;
      return TRUE;
    }
  *value = v;
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
            GPtrArray   *entries,
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
      || !tw_store_save_dictionary (store, geography_id, entries, error)
      || !tw_store_audit (store, "import-attributes", detail, error)
      || !tw_store_commit (store, error))
    {
      tw_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

/* A field's name starts with @prefix and has more after it. */
static gboolean
has_prefix (const char *name,
            const char *prefix)
{
  return g_str_has_prefix (name, prefix) && name[strlen (prefix)] != '\0';
}

static gboolean
has_name (const char *const *names,
          const char        *name)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_ascii_strcasecmp (names[i], name) == 0)
      return TRUE;
  return FALSE;
}

TwAttributeLayout
tw_attribute_layout_detect (const char *const *names)
{
  g_return_val_if_fail (names != NULL, TW_ATTRIBUTE_LAYOUT_PLAIN);

  if (has_name (names, "ADI_NATRANK") || has_name (names, "ADI_STATERNK"))
    return TW_ATTRIBUTE_LAYOUT_ADI;
  if (has_name (names, "FIPS") && (has_name (names, "RPL_THEMES")
                                   || has_name (names, "RPL_THEME1")))
    return TW_ATTRIBUTE_LAYOUT_SVI;
  if (has_name (names, "GEO_ID"))
    return TW_ATTRIBUTE_LAYOUT_ACS;
  if (has_name (names, "TractFIPS"))
    for (guint i = 0; names[i] != NULL; i++)
      if (g_str_has_suffix (names[i], "_CrudePrev"))
        return TW_ATTRIBUTE_LAYOUT_PLACES;
  return TW_ATTRIBUTE_LAYOUT_PLAIN;
}

static TwAttributeLayout
detect_layout (OGRFeatureDefnH defn)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (int i = 0; i < OGR_FD_GetFieldCount (defn); i++)
    g_ptr_array_add (names, (gpointer) OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i)));
  g_ptr_array_add (names, NULL);
  return tw_attribute_layout_detect ((const char *const *) names->pdata);
}

static const char *
layout_geoid_field (TwAttributeLayout layout)
{
  switch (layout)
    {
    case TW_ATTRIBUTE_LAYOUT_SVI:
    case TW_ATTRIBUTE_LAYOUT_ADI:
      return "FIPS";
    case TW_ATTRIBUTE_LAYOUT_PLACES:
      return "TractFIPS";
    case TW_ATTRIBUTE_LAYOUT_ACS:
      return "GEO_ID";
    case TW_ATTRIBUTE_LAYOUT_AUTO:
    case TW_ATTRIBUTE_LAYOUT_PLAIN:
    default:
      return NULL;
    }
}

/* Which columns a field is read from: its own, or (PLACES) one limit of a "(lo, hi)"
 * interval column. */
typedef enum { PART_VALUE, PART_LOWER, PART_UPPER } Part;

typedef struct
{
  char *name;     /* as stored */
  char *source;   /* the column read */
  Part  part;
  char *moe;      /* the stored field holding its margin, or NULL */
  char *label;    /* the file's own words for it (ACS: its label row), or NULL */
} Field;

static void
field_clear (gpointer data)
{
  Field *field = data;

  g_free (field->name);
  g_free (field->source);
  g_free (field->moe);
  g_free (field->label);
}

static void
add_field (GArray     *fields,
           const char *name,
           const char *source,
           Part        part,
           const char *moe)
{
  Field field = { g_strdup (name), g_strdup (source), part, g_strdup (moe), NULL };

  g_array_append_val (fields, field);
}

/* The layout's own fields, in the file's order. */
static void
layout_fields (TwAttributeLayout  layout,
               OGRFeatureDefnH    defn,
               GArray            *fields)
{
  for (int i = 0; i < OGR_FD_GetFieldCount (defn); i++)
    {
      const char *name = OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i));
      g_autofree char *pair = NULL;

      switch (layout)
        {
        case TW_ATTRIBUTE_LAYOUT_SVI:
          /* Estimates with their margins (E_/M_, EP_/MP_) and the percentile ranks. */
          if (has_prefix (name, "EP_") || has_prefix (name, "E_"))
            {
              pair = g_strconcat (has_prefix (name, "EP_") ? "MP_" : "M_",
                                  name + (has_prefix (name, "EP_") ? 3 : 2), NULL);
              add_field (fields, name, name, PART_VALUE, find_field (defn, pair) >= 0
                                                         ? pair : NULL);
            }
          else if (has_prefix (name, "MP_") || has_prefix (name, "M_")
                   || has_prefix (name, "RPL_THEME"))
            add_field (fields, name, name, PART_VALUE, NULL);
          break;
        case TW_ATTRIBUTE_LAYOUT_ADI:
          if (g_str_equal (name, "ADI_NATRANK") || g_str_equal (name, "ADI_STATERNK"))
            add_field (fields, name, name, PART_VALUE, NULL);
          break;
        case TW_ATTRIBUTE_LAYOUT_PLACES:
          if (g_str_has_suffix (name, "_CrudePrev"))
            {
              g_autofree char *measure = g_strndup (name, strlen (name) - strlen ("CrudePrev"));
              g_autofree char *ci = g_strconcat (measure, "Crude95CI", NULL);
              g_autofree char *lower = g_strconcat (name, "_lower", NULL);
              g_autofree char *upper = g_strconcat (name, "_upper", NULL);

              add_field (fields, name, name, PART_VALUE, NULL);
              if (find_field (defn, ci) >= 0)
                {
                  add_field (fields, lower, ci, PART_LOWER, NULL);
                  add_field (fields, upper, ci, PART_UPPER, NULL);
                }
            }
          else if (g_str_equal (name, "TotalPopulation"))
            add_field (fields, name, name, PART_VALUE, NULL);
          break;
        case TW_ATTRIBUTE_LAYOUT_ACS:
          {
            gsize len = strlen (name);

            /* B01003_001E and its margin B01003_001M. */
            if (len > 5 && strchr (name, '_') != NULL
                && (name[len - 1] == 'E' || name[len - 1] == 'M')
                && g_ascii_isdigit (name[len - 2]))
              {
                pair = g_strdup (name);
                pair[len - 1] = name[len - 1] == 'E' ? 'M' : 'E';
                add_field (fields, name, name, PART_VALUE,
                           name[len - 1] == 'E' && find_field (defn, pair) >= 0 ? pair : NULL);
              }
          }
          break;
        case TW_ATTRIBUTE_LAYOUT_AUTO:
        case TW_ATTRIBUTE_LAYOUT_PLAIN:
        default:
          break;
        }
    }
}

/* One limit of a PLACES interval "(12.3, 15.6)"; NAN for an empty cell. */
static gboolean
parse_interval (const char  *cell,
                Part         part,
                double      *value,
                const char **reason)
{
  g_autofree char *text = g_strstrip (g_strdup (cell));
  g_auto(GStrv) limits = NULL;
  char *inner = text;
  gsize len;

  if (*text == '\0')
    {
      *value = NAN;
      return TRUE;
    }
  len = strlen (inner);
  if (len < 2 || inner[0] != '(' || inner[len - 1] != ')')
    {
      *reason = "is not an interval \"(low, high)\"";
      return FALSE;
    }
  inner[len - 1] = '\0';
  limits = g_strsplit (inner + 1, ",", -1);
  if (g_strv_length (limits) != 2)
    {
      *reason = "is not an interval \"(low, high)\"";
      return FALSE;
    }
  return tw_parse_decimal (g_strstrip (limits[part == PART_LOWER ? 0 : 1]), value, reason);
}

/* The first year 1990 … 2099 in @name ("SVI_2020_US.csv", "ACSDT5Y2021.B01003"), or 0. */
static int
year_in (const char *name)
{
  for (const char *p = name; *p != '\0'; p++)
    {
      int year;

      if (!g_ascii_isdigit (p[0]) || !g_ascii_isdigit (p[1]) || !g_ascii_isdigit (p[2])
          || !g_ascii_isdigit (p[3]) || g_ascii_isdigit (p[4])
          || (p > name && g_ascii_isdigit (p[-1])))
        continue;
      year = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
      if (year >= 1990 && year <= 2099)
        return year;
    }
  return 0;
}

/* SVI and ACS of 2020 on are tabulated on 2020 tracts and block groups, 2010–2019 on
 * 2010's: refused on a geography of the other vintage. */
static gboolean
check_vintage (TwStore            *store,
               gint64              geography_id,
               TwAttributeLayout   layout,
               int                 year,
               const char         *basename,
               GError            **error)
{
  g_autoptr(TwGeographyInfo) info = NULL;
  int expected, vintage;

  if ((layout != TW_ATTRIBUTE_LAYOUT_SVI && layout != TW_ATTRIBUTE_LAYOUT_ACS) || year < 2010)
    return TRUE;
  info = tw_store_get_geography (store, geography_id, NULL);
  if (info == NULL || info->vintage == NULL || info->level == NULL
      || (!g_str_equal (info->level, "tract") && !g_str_equal (info->level, "block-group")))
    return TRUE;
  vintage = atoi (info->vintage);
  expected = year >= 2020 ? 2020 : 2010;
  if (vintage != 2010 && vintage != 2020)
    return TRUE;
  if (vintage == expected)
    return TRUE;
  g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_INVALID,
               "%s: %s %d is tabulated on %d census %ss, but geography '%s' holds %d %ss; "
               "import a release of %s, or the areas of %d", basename,
               layout == TW_ATTRIBUTE_LAYOUT_SVI ? "CDC SVI" : "ACS", year, expected,
               info->level, info->name, vintage, info->level,
               vintage == 2020 ? "2020 or later" : "2010 to 2019", expected);
  return FALSE;
}

/* SVI ranks within the nation (the US file) or within one state. */
static char *
svi_universe (OGRLayerH   layer,
              const char *basename)
{
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (layer);
  int column = find_field (defn, "ST_ABBR");
  g_autofree char *first = NULL;
  OGRFeatureH feature;
  gboolean several = FALSE;

  if (column < 0)
    column = find_field (defn, "STATE");
  if (strstr (basename, "_US") != NULL || strstr (basename, "US_") != NULL)
    return g_strdup ("areas ranked within the United States (US edition)");
  if (column < 0)
    return g_strdup ("areas ranked as the file ranks them (edition unknown)");
  OGR_L_ResetReading (layer);
  while (!several && (feature = OGR_L_GetNextFeature (layer)) != NULL)
    {
      const char *state = OGR_F_GetFieldAsString (feature, column);

      if (first == NULL)
        first = g_strdup (state);
      else
        several = !g_str_equal (first, state);
      OGR_F_Destroy (feature);
    }
  OGR_L_ResetReading (layer);
  if (several || first == NULL)
    return g_strdup ("areas ranked within the United States (US edition)");
  return g_strdup_printf ("areas ranked within %s (state edition)", first);
}

static const struct { const char *field, *label; } known_labels[] = {
  { "RPL_THEMES", "SVI: overall percentile ranking" },
  { "RPL_THEME1", "SVI: socioeconomic status, percentile ranking" },
  { "RPL_THEME2", "SVI: household characteristics, percentile ranking" },
  { "RPL_THEME3", "SVI: racial and ethnic minority status, percentile ranking" },
  { "RPL_THEME4", "SVI: housing type and transportation, percentile ranking" },
  { "E_TOTPOP", "SVI: population estimate" },
  { "ADI_NATRANK", "ADI: national percentile (1–100)" },
  { "ADI_STATERNK", "ADI: state decile (1–10)" },
  { "ADI_NATRANK_SHARE80", "ADI: share of the tract's ranked block groups at or above the "
                           "80th national percentile" },
  { "ADI_SUPPRESSED_SHARE", "ADI: share of the tract's block groups whose rank is a "
                            "suppression code (PH, GQ, PH-GQ, QDI)" },
};

/* The same, for tracts whose block groups are weighted by their population. */
static const struct { const char *field, *label; } weighted_labels[] = {
  { "ADI_NATRANK_SHARE80", "ADI: share of the tract's population in block groups at or "
                           "above the 80th national percentile" },
  { "ADI_SUPPRESSED_SHARE", "ADI: share of the tract's population in block groups whose "
                            "rank is a suppression code (PH, GQ, PH-GQ, QDI)" },
};

static TwDictionaryEntry *
dictionary_entry (TwAttributeLayout  layout,
                  const Field       *field,
                  const char        *universe,
                  const char        *basename,
                  const char        *release,
                  gboolean           weighted)
{
  static const char *const sources[] = {
    NULL, NULL, "CDC/ATSDR Social Vulnerability Index", "Neighborhood Atlas Area Deprivation "
    "Index (University of Wisconsin)", "CDC PLACES", "U.S. Census Bureau, American Community "
    "Survey",
  };
  static const char *const licences[] = {
    NULL, NULL, "public domain (CDC/ATSDR)", "Neighborhood Atlas terms of use: cite; no "
    "redistribution of the file", "public domain (CDC)", "public domain (U.S. Census Bureau)",
  };
  TwDictionaryEntry *entry = g_new0 (TwDictionaryEntry, 1);

  entry->field = g_strdup (field->name);
  for (guint i = 0; weighted && i < G_N_ELEMENTS (weighted_labels); i++)
    if (g_str_equal (weighted_labels[i].field, field->name))
      entry->label = g_strdup (weighted_labels[i].label);
  for (guint i = 0; entry->label == NULL && i < G_N_ELEMENTS (known_labels); i++)
    if (g_str_equal (known_labels[i].field, field->name))
      entry->label = g_strdup (known_labels[i].label);
  if (entry->label == NULL && layout == TW_ATTRIBUTE_LAYOUT_PLACES)
    entry->label = g_strdup_printf (field->part == PART_VALUE ? "PLACES: %s (crude prevalence, %%)"
                                    : field->part == PART_LOWER
                                    ? "PLACES: %s, lower 95%% limit" : "PLACES: %s, upper 95%% "
                                    "limit", field->source);
  if (entry->label == NULL && field->label != NULL)
    entry->label = g_strdup (field->label);
  if (entry->label == NULL)
    entry->label = g_strdup (field->name);
  entry->universe = g_strdup (universe);
  entry->source = sources[layout] != NULL ? g_strdup_printf ("%s (%s)", sources[layout], basename)
                  : g_strdup (basename);
  entry->release = g_strdup (release);
  entry->licence = g_strdup (licences[layout]);
  entry->null_codes = g_strdup (layout_null_codes (layout));
  entry->moe = g_strdup (field->moe);
  return entry;
}

/* A tract's block groups (adi): per field the sums of weight × value and of the weights
 * of the block groups with a value; the weight ranked, ranked ≥ 80 nationally, coded, and
 * in all. A weight is a block group's population, or 1 without populations. */
typedef struct
{
  double *sums;
  double *weights;
  double  ranked;
  double  top;
  double  coded;
  double  total;
} Merged;

/* An ACS table of block-group populations (GEO_ID "1500000US…", @field): by GEOID without
 * leading zeros, as the ADI file's FIPS may have lost them. A null code is no population. */
static GHashTable *
load_populations (const char  *source,
                  const char  *field,
                  GError     **error)
{
  g_autoptr(GHashTable) populations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             g_free);
  g_autofree char *basename = g_filename_display_basename (source);
  GDALDatasetH dataset;
  OGRLayerH layer;
  OGRFeatureH feature;
  gboolean spreadsheet, ok = TRUE;
  gint64 row_number = 0;
  int geoid_column, value_column;

  dataset = open_table (source, basename, &spreadsheet, error);
  if (dataset == NULL)
    return NULL;
  layer = pick_layer (dataset, NULL, basename, error);
  if (layer == NULL)
    ok = FALSE;
  geoid_column = ok ? find_field (OGR_L_GetLayerDefn (layer), "GEO_ID") : -1;
  value_column = ok ? find_field (OGR_L_GetLayerDefn (layer), field) : -1;
  if (ok && (geoid_column < 0 || value_column < 0))
    {
      g_autofree char *names = list_fields (OGR_L_GetLayerDefn (layer));

      g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_COLUMNS,
                   "%s: no field named '%s' (there are: %s); give an ACS block-group table "
                   "with GEO_ID and its population (--population-field)", basename,
                   geoid_column < 0 ? "GEO_ID" : field, names);
      ok = FALSE;
    }
  while (ok && (feature = OGR_L_GetNextFeature (layer)) != NULL)
    {
      g_autofree char *geoid = g_strstrip (g_strdup (OGR_F_GetFieldAsString (feature,
                                                                            geoid_column)));
      const char *us = strstr (geoid, "US"), *code = NULL, *reason = NULL;
      double value;

      row_number++;
      if (row_number == 1 && g_ascii_strcasecmp (geoid, "Geography") == 0)
        {
          OGR_F_Destroy (feature);
          continue;
        }
      if (us != NULL)
        memmove (geoid, us + 2, strlen (us + 2) + 1);
      if (!parse_cell (TW_ATTRIBUTE_LAYOUT_ACS, FALSE, feature, value_column, &value, &code,
                       &reason) || (!isnan (value) && value < 0.0) || !all_digits (geoid))
        {
          g_autofree char *quoted = tw_quote_for_message (OGR_F_GetFieldAsString (
                                                            feature, value_column));

          g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_ROW,
                       "%s: row %" G_GINT64_FORMAT " (line %" G_GINT64_FORMAT "): '%s' is "
                       "not a population of block group '%s'; correct it, or leave the cell "
                       "empty", basename, row_number, row_number + 1, quoted, geoid);
          ok = FALSE;
        }
      else
        g_hash_table_insert (populations, strip_zeros (geoid), g_memdup2 (&value,
                                                                           sizeof value));
      OGR_F_Destroy (feature);
    }
  GDALClose (dataset);
  clear_spreadsheet_options (spreadsheet);
  return ok ? g_steal_pointer (&populations) : NULL;
}

static void
note_code (TwAttributeImportResult *result,
           GPtrArray               *codes,
           GArray                  *counts,
           const char              *code)
{
  guint i;

  for (i = 0; i < codes->len; i++)
    if (g_str_equal (g_ptr_array_index (codes, i), code))
      break;
  if (i == codes->len)
    {
      gint64 zero = 0;

      g_ptr_array_add (codes, g_strdup (code));
      g_array_append_val (counts, zero);
    }
  g_array_index (counts, gint64, i)++;
  (void) result;
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
  g_autoptr(GHashTable) merged = NULL;
  g_autoptr(GHashTable) populations = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GArray) fields = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GArray) code_counts = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *release = NULL;
  g_autofree int *columns = NULL;
  g_autofree double *values = NULL;
  GDALDatasetH dataset = NULL;
  OGRLayerH layer;
  OGRFeatureDefnH defn;
  OGRFeatureH feature;
  TwAttributeLayout layout;
  gboolean spreadsheet = FALSE, ok = FALSE, share80 = FALSE;
  gint64 geography_id, row_number = 0;
  const char *geoid_field;
  guint n_fields, n_stored;
  int geoid_column, natrank = -1, population_column = -1;
  gboolean weighted = options->population_source != NULL || options->population_field != NULL;

  g_return_val_if_fail (store != NULL && source != NULL && options != NULL, NULL);

  layout = options->layout;
  if (layout == TW_ATTRIBUTE_LAYOUT_PLAIN
      && (options->geoid_field == NULL || options->fields == NULL
          || options->fields[0] == NULL))
    {
      g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_INVALID,
                   "name the GEOID field (--geoid-field) and at least one field to import "
                   "(--fields A,B,…)");
      return NULL;
    }
  if (options->fields != NULL && options->fields[0] == NULL)
    {
      g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_INVALID,
                   "name at least one field to import (--fields A,B,…)");
      return NULL;
    }
  n_fields = options->fields != NULL ? g_strv_length ((GStrv) options->fields) : 0;
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

  if (layout == TW_ATTRIBUTE_LAYOUT_AUTO)
    layout = detect_layout (defn);
  release = g_strdup (options->release);
  if (release == NULL && year_in (basename) > 0)
    release = g_strdup_printf ("%d", year_in (basename));
  if (!check_vintage (store, geography_id, layout, release ? year_in (release) : 0, basename,
                      error))
    goto out;

  geoid_field = options->geoid_field != NULL ? options->geoid_field
                : layout_geoid_field (layout);
  if (geoid_field == NULL)
    {
      g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_INVALID,
                   "%s: not a layout Tractwise knows (SVI, ADI, PLACES, ACS); name the GEOID "
                   "field (--geoid-field) and the fields (--fields A,B,…)", basename);
      goto out;
    }

  fields = g_array_new (FALSE, TRUE, sizeof (Field));
  g_array_set_clear_func (fields, field_clear);
  if (n_fields > 0)
    {
      g_autoptr(GArray) known = g_array_new (FALSE, TRUE, sizeof (Field));

      g_array_set_clear_func (known, field_clear);
      layout_fields (layout, defn, known);
      for (guint f = 0; f < n_fields; f++)
        {
          const Field *match = NULL;

          for (guint k = 0; k < known->len && match == NULL; k++)
            if (g_str_equal (g_array_index (known, Field, k).name, options->fields[f]))
              match = &g_array_index (known, Field, k);
          add_field (fields, options->fields[f], match ? match->source : options->fields[f],
                     match ? match->part : PART_VALUE, match ? match->moe : NULL);
        }
    }
  else
    layout_fields (layout, defn, fields);
  if (fields->len == 0)
    {
      g_autofree char *names = list_fields (defn);

      g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_COLUMNS,
                   "%s: no %s fields found (there are: %s); name them with --fields", basename,
                   tw_attribute_layout_to_string (layout), names);
      goto out;
    }

  geoid_column = find_field (defn, geoid_field);
  columns = g_new (int, fields->len);
  for (guint f = 0; f <= fields->len; f++)
    {
      const char *name = f < fields->len ? g_array_index (fields, Field, f).source
                         : geoid_field;
      int column = f < fields->len ? find_field (defn, name) : geoid_column;

      if (column < 0)
        {
          g_autofree char *names = list_fields (defn);

          g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_COLUMNS,
                       "%s: no field named '%s' (there are: %s); check --%s",
                       basename, name, names, f < fields->len ? "fields" : "geoid-field");
          goto out;
        }
      if (f < fields->len)
        {
          columns[f] = column;
          if (g_str_equal (g_array_index (fields, Field, f).name, "ADI_NATRANK"))
            natrank = f;
        }
    }

  if (weighted && layout != TW_ATTRIBUTE_LAYOUT_ADI)
    {
      g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_INVALID,
                   "%s: block-group populations weigh ADI block groups onto tracts only; "
                   "leave out --population and --population-field", basename);
      goto out;
    }
  if (options->population_source != NULL)
    {
      populations = load_populations (options->population_source,
                                       options->population_field ? options->population_field
                                       : "B01003_001E", error);
      if (populations == NULL)
        goto out;
    }
  else if (options->population_field != NULL)
    {
      population_column = find_field (defn, options->population_field);
      if (population_column < 0)
        {
          g_autofree char *names = list_fields (defn);

          g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_COLUMNS,
                       "%s: no field named '%s' (there are: %s); check --population-field",
                       basename, options->population_field, names);
          goto out;
        }
    }

  result = g_new0 (TwAttributeImportResult, 1);
  result->layout = layout;
  result->universe = layout == TW_ATTRIBUTE_LAYOUT_SVI ? svi_universe (layer, basename)
                     : layout == TW_ATTRIBUTE_LAYOUT_ADI
                     ? g_strdup ("census block groups, ranked nationally (percentile) and "
                                 "within their state (decile)")
                     : layout == TW_ATTRIBUTE_LAYOUT_PLACES
                     ? g_strdup ("census tracts: adults, model-based estimates")
                     : layout == TW_ATTRIBUTE_LAYOUT_ACS
                     ? g_strdup ("the table's universe (see its label)") : NULL;
  rows = g_array_new (FALSE, FALSE, sizeof (TwAttributeValues));
  seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  merged = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  codes = g_ptr_array_new_with_free_func (g_free);
  code_counts = g_array_new (FALSE, FALSE, sizeof (gint64));
  n_stored = fields->len;
  values = g_new (double, n_stored);

  OGR_L_ResetReading (layer);
  CPLErrorReset ();
  while ((feature = OGR_L_GetNextFeature (layer)) != NULL)
    {
      g_autofree char *geoid = NULL;
      gint64 *id;
      gboolean merge = FALSE, coded = FALSE;
      double weight = 1.0;

      row_number++;
      geoid = g_strstrip (g_strdup (OGR_F_GetFieldAsString (feature, geoid_column)));
      /* ACS: "1400000US25025000100"; data.census.gov's second row holds the labels. */
      if (layout == TW_ATTRIBUTE_LAYOUT_ACS)
        {
          const char *us = strstr (geoid, "US");

          if (row_number == 1 && (g_ascii_strcasecmp (geoid, "Geography") == 0
                                  || g_ascii_strcasecmp (geoid, "id") == 0))
            {
              /* "Estimate!!Total" says what B01003_001E is: the dictionary's label. */
              for (guint f = 0; f < fields->len; f++)
                {
                  Field *field = &g_array_index (fields, Field, f);
                  g_auto(GStrv) parts = g_strsplit (OGR_F_GetFieldAsString (feature,
                                                                            columns[f]),
                                                    "!!", -1);
                  g_autofree char *words = g_strstrip (g_strjoinv (" — ", parts));

                  if (*words != '\0' && g_utf8_validate (words, -1, NULL))
                    field->label = g_strdup_printf ("ACS %s: %s", field->source, words);
                }
              OGR_F_Destroy (feature);
              continue;
            }
          if (us != NULL)
            memmove (geoid, us + 2, strlen (us + 2) + 1);
        }
      if (*geoid == '\0')
        {
          g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_ROW,
                       "%s: row %" G_GINT64_FORMAT " (line %" G_GINT64_FORMAT "): field '%s' "
                       "is empty; every row needs a GEOID", basename, row_number,
                       row_number + 1, geoid_field);
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
      /* ADI's block groups onto the tracts that hold them: the GEOID less its last digit. */
      if (id == NULL && layout == TW_ATTRIBUTE_LAYOUT_ADI && all_digits (geoid)
          && strlen (geoid) > 1)
        {
          g_autofree char *tract = g_strndup (geoid, strlen (geoid) - 1);
          g_autofree char *key = strip_zeros (tract);

          id = g_hash_table_lookup (exact, tract);
          if (id == NULL)
            id = g_hash_table_lookup (stripped, key);
          if (id != NULL && *id == 0)
            id = NULL;
          merge = id != NULL;
        }
      if (id == NULL)
        {
          result->unmatched++;
          OGR_F_Destroy (feature);
          continue;
        }
      if (!merge && g_hash_table_contains (seen, id))
        {
          g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_ROW,
                       "%s: row %" G_GINT64_FORMAT " (line %" G_GINT64_FORMAT "): GEOID %s "
                       "appears twice; keep one row an area", basename, row_number,
                       row_number + 1, geoid);
          OGR_F_Destroy (feature);
          goto out;
        }

      for (guint f = 0; f < fields->len; f++)
        {
          const Field *field = &g_array_index (fields, Field, f);
          const char *reason = NULL, *code = NULL;
          gsize len = strlen (field->source);
          gboolean margin = layout == TW_ATTRIBUTE_LAYOUT_ACS && len > 0
                            && field->source[len - 1] == 'M';
          gboolean parsed = field->part == PART_VALUE
                            ? parse_cell (layout, margin, feature, columns[f], &values[f],
                                          &code, &reason)
                            : parse_interval (OGR_F_GetFieldAsString (feature, columns[f]),
                                              field->part, &values[f], &reason);

          if (!parsed)
            {
              g_autofree char *quoted = tw_quote_for_message (OGR_F_GetFieldAsString (
                                                                feature, columns[f]));

              g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_ROW,
                           "%s: row %" G_GINT64_FORMAT " (line %" G_GINT64_FORMAT "), field "
                           "'%s': '%s' %s; values are decimal numbers (no '+', hex or "
                           "thousands separators) within ±1e12: correct it, or leave the "
                           "cell empty for a missing value", basename, row_number,
                           row_number + 1, field->source, quoted, reason);
              OGR_F_Destroy (feature);
              goto out;
            }
          if (code != NULL)
            note_code (result, codes, code_counts, code);
          coded |= (int) f == natrank && code != NULL;
        }
      if (merge && population_column >= 0)
        {
          const char *code = NULL, *reason = NULL;

          if (!parse_cell (layout, FALSE, feature, population_column, &weight, &code,
                           &reason))
            weight = NAN;
        }
      else if (merge && populations != NULL)
        {
          g_autofree char *key = strip_zeros (geoid);
          double *found = g_hash_table_lookup (populations, key);

          weight = found != NULL ? *found : NAN;
        }
      OGR_F_Destroy (feature);

      if (merge)
        {
          Merged *m = g_hash_table_lookup (merged, id);

          if (m == NULL)
            {
              TwAttributeValues row = { *id, NULL };

              m = g_new0 (Merged, 1);
              m->sums = g_new0 (double, fields->len);
              m->weights = g_new0 (double, fields->len);
              g_hash_table_insert (merged, g_memdup2 (id, sizeof *id), m);
              g_hash_table_add (seen, g_memdup2 (id, sizeof *id));
              row.values = (double *) m;   /* filled in below */
              g_array_append_val (rows, row);
            }
          result->merged++;
          share80 = TRUE;
          /* A block group of unknown population can weigh in nothing. */
          if (!(weight >= 0.0))
            {
              result->unweighed++;
              continue;
            }
          for (guint f = 0; f < fields->len; f++)
            if (!isnan (values[f]))
              {
                m->sums[f] += weight * values[f];
                m->weights[f] += weight;
              }
          if (natrank >= 0 && !isnan (values[natrank]))
            {
              m->ranked += weight;
              m->top += values[natrank] >= 80.0 ? weight : 0.0;
            }
          m->coded += coded ? weight : 0.0;
          m->total += weight;
          continue;
        }
      if (g_hash_table_contains (merged, id))
        {
          g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_ROW,
                       "%s: row %" G_GINT64_FORMAT " (line %" G_GINT64_FORMAT "): GEOID %s "
                       "is an area whose block groups the file also holds; keep one or the "
                       "other", basename, row_number, row_number + 1, geoid);
          goto out;
        }
      g_hash_table_add (seen, g_memdup2 (id, sizeof *id));
      {
        TwAttributeValues row = { *id, g_memdup2 (values, fields->len * sizeof (double)) };

        g_array_append_val (rows, row);
      }
    }
  if (CPLGetLastErrorType () >= CE_Failure)
    {
      g_set_error (error, TW_ATTRIBUTE_ERROR, TW_ATTRIBUTE_ERROR_ROW,
                   "%s: row %" G_GINT64_FORMAT " cannot be read (%s); the file may be damaged",
                   basename, row_number + 1, CPLGetLastErrorMsg ());
      goto out;
    }

  /* Merged tracts: the (weighted) means of their block groups, the share ranked ≥ 80 and the
   * share coded. */
  if (share80 && natrank >= 0)
    {
      add_field (fields, "ADI_NATRANK_SHARE80", "ADI_NATRANK", PART_VALUE, NULL);
      add_field (fields, "ADI_SUPPRESSED_SHARE", "ADI_NATRANK", PART_VALUE, NULL);
    }
  for (guint r = 0; r < rows->len; r++)
    {
      TwAttributeValues *row = &g_array_index (rows, TwAttributeValues, r);
      Merged *m = g_hash_table_lookup (merged, &row->area_id);
      double *means;

      if (m == NULL || row->values != (double *) m)
        {
          if (fields->len > n_stored)
            {
              row->values = g_realloc_n (row->values, fields->len, sizeof (double));
              for (guint f = n_stored; f < fields->len; f++)
                row->values[f] = NAN;
            }
          continue;
        }
      means = g_new (double, fields->len);
      for (guint f = 0; f < n_stored; f++)
        means[f] = m->weights[f] > 0.0 ? m->sums[f] / m->weights[f] : NAN;
      if (fields->len > n_stored)
        {
          means[n_stored] = m->ranked > 0.0 ? m->top / m->ranked : NAN;
          means[n_stored + 1] = m->total > 0.0 ? m->coded / m->total : NAN;
        }
      row->values = means;
      g_free (m->sums);
      g_free (m->weights);
    }
  for (guint r = 0; r < rows->len; r++)
    for (guint f = 0; f < fields->len; f++)
      result->missing += isnan (g_array_index (rows, TwAttributeValues, r).values[f]);

  result->fields = g_new0 (char *, fields->len + 1);
  for (guint f = 0; f < fields->len; f++)
    result->fields[f] = g_strdup (g_array_index (fields, Field, f).name);
  g_ptr_array_add (codes, NULL);
  result->null_codes = (GStrv) g_ptr_array_steal (codes, NULL);
  result->null_code_counts = g_memdup2 (code_counts->data,
                                        MAX (code_counts->len, 1) * sizeof (gint64));
  result->rows = rows->len;

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tw_dictionary_entry_free);
  for (guint f = 0; f < fields->len; f++)
    {
      const Field *field = &g_array_index (fields, Field, f);
      g_autofree char *universe = NULL;

      if (share80 && layout == TW_ATTRIBUTE_LAYOUT_ADI && weighted)
        universe = g_strdup_printf ("census tracts: their block groups weighted by population "
                                    "(%s)", options->population_source != NULL
                                    ? options->population_source : options->population_field);
      else if (share80 && layout == TW_ATTRIBUTE_LAYOUT_ADI)
        universe = g_strdup ("census tracts: their block groups, unweighted (no populations "
                             "given)");
      g_ptr_array_add (entries, dictionary_entry (layout, field, universe ? universe
                                                  : result->universe, basename, release,
                                                  weighted));
    }
  ok = write_rows (store, geography_id, basename, result->fields, rows, entries, error);

out:
  if (rows != NULL)
    for (guint r = 0; r < rows->len; r++)
      {
        TwAttributeValues *row = &g_array_index (rows, TwAttributeValues, r);
        Merged *m = merged != NULL ? g_hash_table_lookup (merged, &row->area_id) : NULL;

        if (m != NULL && row->values == (double *) m)
          {
            g_free (m->sums);
            g_free (m->weights);
          }
        else
          g_free (row->values);
      }
  if (merged != NULL)
    {
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, merged);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_free (value);
    }
  if (dataset != NULL)
    GDALClose (dataset);
  clear_spreadsheet_options (spreadsheet);
  return ok ? g_steal_pointer (&result) : NULL;
}
