/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-review-project"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

#include "tw-project.h"
#include "tw-review-project.h"
#include "tw-share.h"
#include "tw-store.h"
#include "tw-suppression.h"

typedef struct
{
  const char   *package;
  TwStore      *store;
  GDALDatasetH  dataset;
  GHashTable   *metadata;      /* key → value */
  GHashTable   *geographies;   /* name → gint64 * id */
  GHashTable   *areas;         /* "geography\ngeoid" → gint64 * id */
  GHashTable   *measures;      /* code → gint64 * id */
  GHashTable   *periods;       /* label → gint64 * id */
  GHashTable   *strata;        /* label → gint64 * id */
  GPtrArray    *partner_names; /* char *, longest first */
  GHashTable   *partner_ids;   /* name → gint64 * id */
} Builder;

static gboolean
damaged (GError    **error,
         const char *package,
         const char *format,
         ...) G_GNUC_PRINTF (3, 4);

static gboolean
damaged (GError    **error,
         const char *package,
         const char *format,
         ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
               "%s: the share package is damaged: %s; ask its sender for a new one", package,
               what);
  return FALSE;
}

static gint64 *
id_new (gint64 id)
{
  return g_memdup2 (&id, sizeof id);
}

static gint64
lookup_id (GHashTable *table,
           const char *key)
{
  gint64 *id = key != NULL ? g_hash_table_lookup (table, key) : NULL;

  return id != NULL ? *id : 0;
}

/* A field of @feature as text, or NULL when the layer lacks it or it is null. */
static const char *
field_text (OGRFeatureH  feature,
            const char  *name)
{
  int index = OGR_F_GetFieldIndex (feature, name);

  if (index < 0 || !OGR_F_IsFieldSetAndNotNull (feature, index))
    return NULL;
  return OGR_F_GetFieldAsString (feature, index);
}

static double
field_real (OGRFeatureH  feature,
            const char  *name)
{
  int index = OGR_F_GetFieldIndex (feature, name);

  if (index < 0 || !OGR_F_IsFieldSetAndNotNull (feature, index))
    return NAN;
  return OGR_F_GetFieldAsDouble (feature, index);
}

static OGRLayerH
layer (Builder     *b,
       const char  *name,
       GError     **error)
{
  OGRLayerH found = GDALDatasetGetLayerByName (b->dataset, name);

  if (found == NULL)
    damaged (error, b->package, "it has no '%s' layer", name);
  else
    OGR_L_ResetReading (found);
  return found;
}

static gboolean
step_done (Builder      *b,
           sqlite3_stmt *stmt,
           const char   *what,
           GError      **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    return damaged (error, b->package, "%s: %s", what,
                    sqlite3_errmsg (tw_store_get_db (b->store)));
  return tw_store_set_sql_error (b->store, error, what);
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           column,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, column);
}

static void
bind_real_or_null (sqlite3_stmt *stmt,
                   int           column,
                   double        value)
{
  if (isfinite (value))
    sqlite3_bind_double (stmt, column, value);
  else
    sqlite3_bind_null (stmt, column);
}

static gboolean
read_metadata (Builder  *b,
               GError  **error)
{
  OGRLayerH metadata = layer (b, "metadata", error);
  OGRFeatureH feature;

  if (metadata == NULL)
    return FALSE;
  while ((feature = OGR_L_GetNextFeature (metadata)) != NULL)
    {
      const char *key = field_text (feature, "key");
      const char *value = field_text (feature, "value");

      if (key != NULL && value != NULL)
        g_hash_table_insert (b->metadata, g_strdup (key), g_strdup (value));
      OGR_F_Destroy (feature);
    }
  return TRUE;
}

/* The level and vintage of geography @name, from the metadata's "geographies":
 * "NAME (LEVEL, vintage V, source S); …". */
static void
parse_geography (Builder     *b,
                 const char  *name,
                 char       **level,
                 int         *vintage)
{
  static const char *const levels[] = { "tract", "block-group", "county", "zcta", "other", NULL };
  const char *list = g_hash_table_lookup (b->metadata, "geographies");
  g_autofree char *opening = g_strconcat (name, " (", NULL);
  const char *at = list != NULL ? strstr (list, opening) : NULL;

  *level = g_strdup ("other");
  *vintage = 0;
  /* The name starts the list or follows "; ". */
  while (at != NULL && at != list && !(at - list >= 2 && at[-2] == ';' && at[-1] == ' '))
    at = strstr (at + 1, opening);
  if (at == NULL)
    return;
  at += strlen (opening);
  for (guint i = 0; levels[i] != NULL; i++)
    if (g_str_has_prefix (at, levels[i]) && at[strlen (levels[i])] == ',')
      {
        g_free (*level);
        *level = g_strdup (levels[i]);
        at += strlen (levels[i]);
        if (g_str_has_prefix (at, ", vintage "))
          *vintage = (int) g_ascii_strtoll (at + strlen (", vintage "), NULL, 10);
        break;
      }
}

static gboolean
write_areas (Builder                 *b,
             TwReviewProjectSummary  *summary,
             GError                 **error)
{
  OGRLayerH areas = layer (b, "areas", error);
  OGRFeatureH feature;
  sqlite3_stmt *geography, *area;
  g_autofree guchar *wkb = NULL;
  gsize wkb_size = 0;
  guint n = 0;

  if (areas == NULL)
    return FALSE;
  geography = tw_store_prepare (b->store,
                                "INSERT INTO geography (name, level, vintage, source) "
                                "VALUES (?1, ?2, ?3, ?4)", error);
  if (geography == NULL)
    return FALSE;
  area = tw_store_prepare (b->store,
                           "INSERT INTO area (geography_id, geoid, name, geom, min_lon, min_lat, "
                           "max_lon, max_lat) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
  if (area == NULL)
    return FALSE;

  while ((feature = OGR_L_GetNextFeature (areas)) != NULL)
    {
      const char *name = field_text (feature, "geography");
      const char *geoid = field_text (feature, "geoid");
      OGRGeometryH geometry = OGR_F_GetGeometryRef (feature);
      OGREnvelope box;
      gint64 geography_id;
      gsize size;
      gboolean ok;

      n++;
      if (name == NULL || geoid == NULL || geometry == NULL || OGR_G_IsEmpty (geometry))
        {
          OGR_F_Destroy (feature);
          return damaged (error, b->package, "area %u of the 'areas' layer has no geography, "
                          "GEOID or outline", n);
        }
      geography_id = lookup_id (b->geographies, name);
      if (geography_id == 0)
        {
          g_autofree char *level = NULL;
          g_autofree char *base = g_path_get_basename (b->package);
          g_autofree char *source = g_strdup_printf ("share package %s", base);
          int vintage;

          parse_geography (b, name, &level, &vintage);
          sqlite3_bind_text (geography, 1, name, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (geography, 2, level, -1, SQLITE_TRANSIENT);
          if (vintage > 0)
            sqlite3_bind_int (geography, 3, vintage);
          sqlite3_bind_text (geography, 4, source, -1, SQLITE_TRANSIENT);
          if (!step_done (b, geography, "storing a geography", error))
            {
              OGR_F_Destroy (feature);
              return FALSE;
            }
          geography_id = sqlite3_last_insert_rowid (tw_store_get_db (b->store));
          g_hash_table_insert (b->geographies, g_strdup (name), id_new (geography_id));
        }

      size = OGR_G_WkbSize (geometry);
      if (size > wkb_size)
        {
          g_free (wkb);
          wkb = g_malloc (size);
          wkb_size = size;
        }
      OGR_G_ExportToWkb (geometry, wkbNDR, wkb);
      OGR_G_GetEnvelope (geometry, &box);
      sqlite3_bind_int64 (area, 1, geography_id);
      sqlite3_bind_text (area, 2, geoid, -1, SQLITE_TRANSIENT);
      bind_text_or_null (area, 3, field_text (feature, "name"));
      sqlite3_bind_blob (area, 4, wkb, (int) size, SQLITE_STATIC);
      sqlite3_bind_double (area, 5, box.MinX);
      sqlite3_bind_double (area, 6, box.MinY);
      sqlite3_bind_double (area, 7, box.MaxX);
      sqlite3_bind_double (area, 8, box.MaxY);
      ok = step_done (b, area, "storing an area", error);
      if (ok)
        g_hash_table_insert (b->areas, g_strdup_printf ("%s\n%s", name, geoid),
                             id_new (sqlite3_last_insert_rowid (tw_store_get_db (b->store))));
      OGR_F_Destroy (feature);
      if (!ok)
        return FALSE;
      summary->n_areas++;
    }

  area = tw_store_prepare (b->store,
                           "INSERT INTO area_rtree (id, min_lon, max_lon, min_lat, max_lat) "
                           "SELECT id, min_lon, max_lon, min_lat, max_lat FROM area", error);
  return area != NULL && step_done (b, area, "indexing the areas", error);
}

static gboolean
write_measures (Builder  *b,
                GError  **error)
{
  OGRLayerH measures = layer (b, "measures", error);
  OGRFeatureH feature;
  sqlite3_stmt *stmt;

  if (measures == NULL)
    return FALSE;
  stmt = tw_store_prepare (b->store,
                           "INSERT INTO measure (code, label, kind, multiplier, higher_is_worse, "
                           "source) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (stmt == NULL)
    return FALSE;
  while ((feature = OGR_L_GetNextFeature (measures)) != NULL)
    {
      const char *code = field_text (feature, "code");
      const char *label = field_text (feature, "label");
      gboolean ok;

      sqlite3_bind_text (stmt, 1, code != NULL ? code : "", -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, label != NULL ? label : code != NULL ? code : "", -1,
                         SQLITE_TRANSIENT);
      bind_text_or_null (stmt, 3, field_text (feature, "kind"));
      bind_real_or_null (stmt, 4, field_real (feature, "multiplier"));
      sqlite3_bind_int (stmt, 5, field_real (feature, "higher_is_worse") != 0.0);
      bind_text_or_null (stmt, 6, field_text (feature, "source"));
      ok = code != NULL && step_done (b, stmt, "storing a measure", error);
      if (ok)
        g_hash_table_insert (b->measures, g_strdup (code),
                             id_new (sqlite3_last_insert_rowid (tw_store_get_db (b->store))));
      else if (code == NULL)
        damaged (error, b->package, "a measure has no code");
      OGR_F_Destroy (feature);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* The id of a period or stratum label, stored on first use. */
static gint64
label_id (Builder     *b,
          GHashTable  *cache,
          const char  *table,
          const char  *label,
          GError     **error)
{
  gint64 id = lookup_id (cache, label);
  sqlite3_stmt *stmt;

  if (id > 0)
    return id;
  stmt = tw_store_prepare (b->store,
                           g_str_equal (table, "period")
                           ? "INSERT OR IGNORE INTO period (label) VALUES (?1)"
                           : "INSERT OR IGNORE INTO stratum (label) VALUES (?1)", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, label, -1, SQLITE_TRANSIENT);
  if (!step_done (b, stmt, "storing a label", error))
    return -1;
  stmt = tw_store_prepare (b->store,
                           g_str_equal (table, "period") ? "SELECT id FROM period WHERE label = ?1"
                           : "SELECT id FROM stratum WHERE label = ?1", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, label, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  g_hash_table_insert (cache, g_strdup (label), id_new (id));
  return id;
}

static gboolean
write_rates (Builder                 *b,
             TwReviewProjectSummary  *summary,
             GCancellable            *cancellable,
             GError                 **error)
{
  OGRLayerH rates = layer (b, "rates", error);
  OGRFeatureH feature;
  sqlite3_stmt *shown, *withheld;
  guint n = 0;

  if (rates == NULL)
    return FALSE;
  shown = tw_store_prepare (b->store,
                            "INSERT INTO outcome_value (measure_id, period_id, stratum_id, "
                            "area_id, age_group_id, numerator, denominator) "
                            "VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6)", error);
  if (shown == NULL)
    return FALSE;
  withheld = tw_store_prepare (b->store,
                               "INSERT INTO outcome_withheld (measure_id, period_id, stratum_id, "
                               "area_id, denominator) VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (withheld == NULL)
    return FALSE;

  while ((feature = OGR_L_GetNextFeature (rates)) != NULL)
    {
      const char *geography = field_text (feature, "geography");
      const char *geoid = field_text (feature, "geoid");
      const char *period = field_text (feature, "period");
      const char *stratum = field_text (feature, "stratum");
      g_autofree char *key = g_strdup_printf ("%s\n%s", geography, geoid);
      gint64 measure = lookup_id (b->measures, field_text (feature, "measure"));
      gint64 area = lookup_id (b->areas, key);
      gint64 period_id, stratum_id;
      double numerator = field_real (feature, "numerator");
      double denominator = field_real (feature, "denominator");
      /* What the package suppressed stays suppressed, whatever else the row says: a count
       * beside a suppressed flag is never read. */
      gboolean hidden = field_real (feature, "suppressed") != 0.0 || !(numerator >= 0.0)
                        || !(denominator >= 0.0);
      sqlite3_stmt *stmt = hidden ? withheld : shown;
      gboolean ok;

      n++;
      if (measure == 0 || area == 0 || period == NULL || stratum == NULL)
        {
          OGR_F_Destroy (feature);
          return damaged (error, b->package, "rate row %u names a measure, area, period or "
                          "group that the package does not hold", n);
        }
      period_id = label_id (b, b->periods, "period", period, error);
      stratum_id = period_id > 0 ? label_id (b, b->strata, "stratum", stratum, error) : -1;
      OGR_F_Destroy (feature);
      if (period_id <= 0 || stratum_id <= 0)
        return FALSE;
      if ((n & 0xfff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      sqlite3_bind_int64 (stmt, 1, measure);
      sqlite3_bind_int64 (stmt, 2, period_id);
      sqlite3_bind_int64 (stmt, 3, stratum_id);
      sqlite3_bind_int64 (stmt, 4, area);
      if (hidden)
        bind_real_or_null (stmt, 5, denominator >= 0.0 ? denominator : NAN);
      else
        {
          sqlite3_bind_double (stmt, 5, numerator);
          sqlite3_bind_double (stmt, 6, denominator);
        }
      ok = step_done (b, stmt, "storing a rate", error);
      if (!ok)
        return FALSE;
      if (hidden)
        summary->n_withheld++;
      else
        summary->n_shown++;
    }
  return TRUE;
}

static int
compare_longest_first (gconstpointer a,
                       gconstpointer b)
{
  size_t x = strlen (*(const char *const *) a), y = strlen (*(const char *const *) b);

  return (x < y) - (x > y);
}

static gboolean
write_partners (Builder                 *b,
                TwReviewProjectSummary  *summary,
                GError                 **error)
{
  OGRLayerH partners = layer (b, "partners", error);
  OGRFeatureH feature;
  sqlite3_stmt *stmt;

  if (partners == NULL)
    return FALSE;
  stmt = tw_store_prepare (b->store,
                           "INSERT INTO partner (id, name, kind, contact, email, phone, "
                           "agreement) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (stmt == NULL)
    return FALSE;
  while ((feature = OGR_L_GetNextFeature (partners)) != NULL)
    {
      const char *name = field_text (feature, "name");
      const char *agreement = field_text (feature, "agreement");
      gint64 id = (gint64) field_real (feature, "id");
      gboolean ok;

      if (agreement == NULL || !g_strv_contains ((const char *[]) { "none", "mou", "dua", NULL },
                                                 agreement))
        agreement = "none";
      sqlite3_bind_int64 (stmt, 1, id);
      bind_text_or_null (stmt, 2, name);
      bind_text_or_null (stmt, 3, field_text (feature, "kind"));
      bind_text_or_null (stmt, 4, field_text (feature, "contact"));
      bind_text_or_null (stmt, 5, field_text (feature, "email"));
      bind_text_or_null (stmt, 6, field_text (feature, "phone"));
      sqlite3_bind_text (stmt, 7, agreement, -1, SQLITE_STATIC);
      ok = id > 0 && name != NULL && step_done (b, stmt, "storing a partner", error);
      if (ok)
        {
          g_ptr_array_add (b->partner_names, g_strdup (name));
          g_hash_table_insert (b->partner_ids, g_strdup (name), id_new (id));
        }
      else if (id <= 0 || name == NULL)
        damaged (error, b->package, "a partner has no id or name");
      OGR_F_Destroy (feature);
      if (!ok)
        return FALSE;
      summary->n_partners++;
    }
  g_ptr_array_sort (b->partner_names, compare_longest_first);
  return TRUE;
}

/* The project's partners from the package's "Name (role); Name; …": the partners' own
 * names (longest first) say where each one ends, whatever it holds. */
static gboolean
write_project_partners (Builder     *b,
                        gint64       project_id,
                        const char  *list,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  const char *at = list;

  if (list == NULL || *list == '\0')
    return TRUE;
  stmt = tw_store_prepare (b->store,
                           "INSERT OR IGNORE INTO project_partner (project_id, partner_id, role) "
                           "VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  while (*at != '\0')
    {
      const char *name = NULL, *next;
      g_autofree char *role = NULL;

      for (guint i = 0; i < b->partner_names->len && name == NULL; i++)
        {
          const char *candidate = g_ptr_array_index (b->partner_names, i);
          const char *end = at + strlen (candidate);

          if (strncmp (at, candidate, strlen (candidate)) == 0
              && (*end == '\0' || g_str_has_prefix (end, "; ") || g_str_has_prefix (end, " (")))
            name = candidate;
        }
      if (name == NULL)
        {
          next = strstr (at, "; ");
          at = next != NULL ? next + 2 : at + strlen (at);
          continue;
        }
      at += strlen (name);
      if (g_str_has_prefix (at, " ("))
        {
          const char *close = at + 2;

          /* The role ends at the first ")" that ends the item. */
          while ((close = strchr (close, ')')) != NULL
                 && !(close[1] == '\0' || g_str_has_prefix (close + 1, "; ")))
            close++;
          if (close != NULL)
            {
              role = g_strndup (at + 2, close - (at + 2));
              at = close + 1;
            }
        }
      sqlite3_bind_int64 (stmt, 1, project_id);
      sqlite3_bind_int64 (stmt, 2, lookup_id (b->partner_ids, name));
      bind_text_or_null (stmt, 3, role);
      if (!step_done (b, stmt, "storing a project's partner", error))
        return FALSE;
      if (g_str_has_prefix (at, "; "))
        at += 2;
      else if (*at != '\0')
        {
          next = strstr (at, "; ");
          at = next != NULL ? next + 2 : at + strlen (at);
        }
    }
  return TRUE;
}

static gboolean
write_project_areas (Builder     *b,
                     gint64       project_id,
                     const char  *geography,
                     const char  *list,
                     GError     **error)
{
  g_auto(GStrv) geoids = NULL;
  sqlite3_stmt *stmt;

  if (list == NULL || *list == '\0')
    return TRUE;
  if (geography == NULL && g_hash_table_size (b->geographies) == 1)
    {
      GHashTableIter iter;
      gpointer name;

      g_hash_table_iter_init (&iter, b->geographies);
      g_hash_table_iter_next (&iter, &name, NULL);
      geography = name;
    }
  stmt = tw_store_prepare (b->store,
                           "INSERT OR IGNORE INTO project_area (project_id, area_id) "
                           "VALUES (?1, ?2)", error);
  if (stmt == NULL)
    return FALSE;
  geoids = g_strsplit (list, ",", -1);
  for (guint i = 0; geoids[i] != NULL; i++)
    {
      g_autofree char *key = g_strdup_printf ("%s\n%s", geography, g_strstrip (geoids[i]));
      gint64 area = lookup_id (b->areas, key);

      if (area == 0)
        return damaged (error, b->package, "project %" G_GINT64_FORMAT " names area '%s', "
                        "which is not in its 'areas' layer", project_id, geoids[i]);
      sqlite3_bind_int64 (stmt, 1, project_id);
      sqlite3_bind_int64 (stmt, 2, area);
      if (!step_done (b, stmt, "storing a target area", error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_projects (Builder                 *b,
                TwReviewProjectSummary  *summary,
                GError                 **error)
{
  OGRLayerH projects = layer (b, "projects", error);
  OGRFeatureH feature;
  sqlite3_stmt *stmt;

  if (projects == NULL)
    return FALSE;
  while ((feature = OGR_L_GetNextFeature (projects)) != NULL)
    {
      gint64 id = (gint64) field_real (feature, "id");
      const char *title = field_text (feature, "title");
      const char *stratum = field_text (feature, "stratum");
      const char *geography = field_text (feature, "geography");
      const char *status = field_text (feature, "status");
      gint64 measure = lookup_id (b->measures, field_text (feature, "measure"));
      gint64 geography_id = lookup_id (b->geographies, geography);
      gboolean ok;

      if (id <= 0 || title == NULL)
        {
          OGR_F_Destroy (feature);
          return damaged (error, b->package, "a project has no id or title");
        }
      stmt = tw_store_prepare (b->store,
                               "INSERT INTO project (id, title, aim, measure_id, stratum, "
                               "geography_id, start_date, end_date, status, goal_percent) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error);
      if (stmt == NULL)
        {
          OGR_F_Destroy (feature);
          return FALSE;
        }
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, title, -1, SQLITE_TRANSIENT);
      bind_text_or_null (stmt, 3, field_text (feature, "aim"));
      if (measure > 0)
        sqlite3_bind_int64 (stmt, 4, measure);
      bind_text_or_null (stmt, 5, g_strcmp0 (stratum, "all") != 0 ? stratum : NULL);
      if (geography_id > 0)
        sqlite3_bind_int64 (stmt, 6, geography_id);
      bind_text_or_null (stmt, 7, field_text (feature, "start_date"));
      bind_text_or_null (stmt, 8, field_text (feature, "end_date"));
      sqlite3_bind_text (stmt, 9, tw_project_status_is_valid (status) ? status
                                  : TW_PROJECT_STATUS_PLANNED, -1, SQLITE_TRANSIENT);
      bind_real_or_null (stmt, 10, field_real (feature, "goal_percent"));
      ok = step_done (b, stmt, "storing a project", error)
           && write_project_partners (b, id, field_text (feature, "partners"), error)
           && write_project_areas (b, id, geography_id > 0 ? geography : NULL,
                                   field_text (feature, "geoids"), error);
      OGR_F_Destroy (feature);
      if (!ok)
        return FALSE;
      summary->n_projects++;
    }
  return TRUE;
}

static gboolean
write_settings (Builder  *b,
                GError  **error)
{
  g_autofree char *name = g_path_get_basename (b->package);
  const char *preset = g_hash_table_lookup (b->metadata, "policy_preset");
  const char *min_count = g_hash_table_lookup (b->metadata, "policy_min_count");
  TwSuppressionPolicy policy;
  guint64 k = 0;

  /* The package's policy: what it suppressed, the review says it suppressed. */
  tw_suppression_policy_init (&policy);
  if (min_count == NULL
      || !g_ascii_string_to_unsigned (min_count, 10, 1, G_MAXINT32, &k, NULL))
    return damaged (error, b->package, "its metadata names no suppression threshold");
  if (preset == NULL || g_str_equal (preset, "custom")
      || !tw_suppression_policy_set_preset (&policy, preset, NULL) || policy.min_count != k)
    {
      preset = "custom";
      policy.min_count = (guint) k;
    }
  return tw_store_set_setting (b->store, TW_SUPPRESSION_KEY_PRESET, preset, error)
         && tw_store_set_setting (b->store, TW_SUPPRESSION_KEY_MIN_COUNT, min_count, error)
         /* Last: from here on the file refuses every edit. */
         && tw_store_set_setting (b->store, TW_STORE_KEY_REVIEW_PACKAGE, name, error);
}

gboolean
tw_review_project_create (const char             *package,
                          const char             *path,
                          TwReviewProjectSummary *summary,
                          GCancellable           *cancellable,
                          GError                **error)
{
  const char *drivers[] = { "GPKG", NULL };
  TwReviewProjectSummary local_summary = { 0 };
  Builder b = { package };
  gboolean ok;

  g_return_val_if_fail (package != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (summary == NULL)
    summary = &local_summary;
  memset (summary, 0, sizeof *summary);

  if (!tw_share_is_package (package))
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_NOT_A_PACKAGE,
                   "%s: not a Tractwise share package", package);
      return FALSE;
    }
  CPLPushErrorHandler (CPLQuietErrorHandler);
  b.dataset = GDALOpenEx (package, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, NULL, NULL);
  CPLPopErrorHandler ();
  if (b.dataset == NULL)
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_NOT_A_PACKAGE,
                   "%s: cannot read the share package", package);
      return FALSE;
    }
  b.store = tw_store_create (path, error);
  if (b.store == NULL)
    {
      GDALClose (b.dataset);
      return FALSE;
    }
  b.metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  b.geographies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  b.areas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  b.measures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  b.periods = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  b.strata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  b.partner_names = g_ptr_array_new_with_free_func (g_free);
  b.partner_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  ok = tw_store_begin (b.store, error)
       && read_metadata (&b, error)
       && write_areas (&b, summary, error)
       && !g_cancellable_set_error_if_cancelled (cancellable, error)
       && write_measures (&b, error)
       && write_rates (&b, summary, cancellable, error)
       && write_partners (&b, summary, error)
       && write_projects (&b, summary, error)
       && write_settings (&b, error)
       && tw_store_commit (b.store, error);
  if (!ok)
    tw_store_rollback (b.store);

  GDALClose (b.dataset);
  tw_store_close (b.store);
  g_hash_table_unref (b.metadata);
  g_hash_table_unref (b.geographies);
  g_hash_table_unref (b.areas);
  g_hash_table_unref (b.measures);
  g_hash_table_unref (b.periods);
  g_hash_table_unref (b.strata);
  g_ptr_array_unref (b.partner_names);
  g_hash_table_unref (b.partner_ids);
  if (!ok)
    {
      g_autofree char *doomed = g_strdup (path);

      /* Only the file: the folder is the caller's. */
      g_unlink (doomed);
      for (guint i = 0; i < 2; i++)
        {
          g_autofree char *journal = g_strconcat (path, i == 0 ? "-wal" : "-shm", NULL);
          g_unlink (journal);
        }
    }
  return ok;
}

void
tw_review_project_delete (const char *path)
{
  g_autofree char *folder = NULL;

  g_return_if_fail (path != NULL);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *file = g_strconcat (path, (const char *[]) { "", "-wal", "-shm" }[i],
                                           NULL);
      g_unlink (file);
    }
  folder = g_path_get_dirname (path);
  g_rmdir (folder);
}
