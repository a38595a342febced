/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-review-project"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tw-project.h"
#include "tw-store-private.h"
#include "tw-review-project.h"
#include "tw-share-package.h"
#include "tw-store.h"
#include "tw-suppression.h"

typedef struct
{
  const char   *package;
  TwStore      *store;
  TwReviewProjectSummary *summary;
  GCancellable *cancellable;
  GHashTable   *metadata;      /* key → value (the package's) */
  sqlite3_stmt *area, *geography, *measure, *shown, *withheld, *partner, *project;
  GHashTable   *geographies;   /* name → gint64 * id */
  GHashTable   *areas;         /* "geography\ngeoid" → gint64 * id */
  GHashTable   *measures;      /* code → gint64 * id */
  GHashTable   *periods;       /* label → gint64 * id */
  GHashTable   *strata;        /* label → gint64 * id */
  GPtrArray    *partner_names; /* char *, longest first */
  GHashTable   *partner_ids;   /* name → gint64 * id */
  gsize         partner_work;  /* names compared, reading the projects' partner lists */
} Builder;

#define MAX_PARTNER_WORK 50000000

#define damaged tw_share_package_damaged

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
          {
            gint64 year = g_ascii_strtoll (at + strlen (", vintage "), NULL, 10);

            *vintage = year > 0 && year < 10000 ? (int) year : 0;
          }
        break;
      }
}

static gboolean
on_area (const TwPackageArea  *area,
         gpointer              data,
         GError              **error)
{
  Builder *b = data;
  gint64 geography_id = lookup_id (b->geographies, area->geography);

  if (geography_id == 0)
    {
      g_autofree char *level = NULL;
      g_autofree char *base = g_path_get_basename (b->package);
      g_autofree char *source = g_strdup_printf ("share package %s", base);
      int vintage;

      parse_geography (b, area->geography, &level, &vintage);
      sqlite3_bind_text (b->geography, 1, area->geography, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (b->geography, 2, level, -1, SQLITE_TRANSIENT);
      if (vintage > 0)
        sqlite3_bind_int (b->geography, 3, vintage);
      else
        sqlite3_bind_null (b->geography, 3);
      sqlite3_bind_text (b->geography, 4, source, -1, SQLITE_TRANSIENT);
      if (!step_done (b, b->geography, "storing a geography", error))
        return FALSE;
      geography_id = sqlite3_last_insert_rowid (tw_store_get_db (b->store));
      g_hash_table_insert (b->geographies, g_strdup (area->geography), id_new (geography_id));
    }

  sqlite3_bind_int64 (b->area, 1, geography_id);
  sqlite3_bind_text (b->area, 2, area->geoid, -1, SQLITE_TRANSIENT);
  bind_text_or_null (b->area, 3, area->name);
  sqlite3_bind_blob (b->area, 4, area->wkb, (int) area->wkb_size, SQLITE_STATIC);
  sqlite3_bind_double (b->area, 5, area->min_lon);
  sqlite3_bind_double (b->area, 6, area->min_lat);
  sqlite3_bind_double (b->area, 7, area->max_lon);
  sqlite3_bind_double (b->area, 8, area->max_lat);
  if (!step_done (b, b->area, "storing an area", error))
    return FALSE;
  g_hash_table_insert (b->areas, g_strdup_printf ("%s\n%s", area->geography, area->geoid),
                       id_new (sqlite3_last_insert_rowid (tw_store_get_db (b->store))));
  b->summary->n_areas++;
  return TRUE;
}

static gboolean
on_measure (const TwPackageMeasure  *measure,
            gpointer                 data,
            GError                 **error)
{
  Builder *b = data;

  sqlite3_bind_text (b->measure, 1, measure->code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (b->measure, 2, measure->label, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (b->measure, 3, measure->kind, -1, SQLITE_STATIC);
  sqlite3_bind_double (b->measure, 4, measure->multiplier);
  sqlite3_bind_int (b->measure, 5, measure->higher_is_worse);
  bind_text_or_null (b->measure, 6, measure->source);
  if (!step_done (b, b->measure, "storing a measure", error))
    return FALSE;
  g_hash_table_insert (b->measures, g_strdup (measure->code),
                       id_new (sqlite3_last_insert_rowid (tw_store_get_db (b->store))));
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
on_rate (const TwPackageRate  *rate,
         gpointer              data,
         GError              **error)
{
  Builder *b = data;
  g_autofree char *key = g_strdup_printf ("%s\n%s", rate->geography, rate->geoid);
  gint64 measure = lookup_id (b->measures, rate->measure);
  gint64 area = lookup_id (b->areas, key);
  gint64 period_id, stratum_id;
  sqlite3_stmt *stmt = rate->suppressed ? b->withheld : b->shown;

  if (measure <= 0 || area <= 0)
    return damaged (error, b->package, "table 'rates', row %u: names an area or measure "
                    "the package does not hold", rate->row);
  if ((rate->row & 0xfff) == 0 && g_cancellable_set_error_if_cancelled (b->cancellable, error))
    return FALSE;
  period_id = label_id (b, b->periods, "period", rate->period, error);
  stratum_id = period_id > 0 ? label_id (b, b->strata, "stratum", rate->stratum, error) : -1;
  if (period_id <= 0 || stratum_id <= 0)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, measure);
  sqlite3_bind_int64 (stmt, 2, period_id);
  sqlite3_bind_int64 (stmt, 3, stratum_id);
  sqlite3_bind_int64 (stmt, 4, area);
  /* What the package suppressed stays suppressed: its count is never read. */
  if (rate->suppressed)
    bind_real_or_null (stmt, 5, rate->denominator);
  else
    {
      sqlite3_bind_double (stmt, 5, rate->numerator);
      sqlite3_bind_double (stmt, 6, rate->denominator);
    }
  if (!step_done (b, stmt, "storing a rate", error))
    return FALSE;
  if (rate->suppressed)
    b->summary->n_withheld++;
  else
    b->summary->n_shown++;
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
on_partner (const TwPackagePartner  *partner,
            gpointer                 data,
            GError                 **error)
{
  Builder *b = data;

  sqlite3_bind_int64 (b->partner, 1, partner->id);
  sqlite3_bind_text (b->partner, 2, partner->name, -1, SQLITE_TRANSIENT);
  bind_text_or_null (b->partner, 3, partner->kind);
  bind_text_or_null (b->partner, 4, partner->contact);
  bind_text_or_null (b->partner, 5, partner->email);
  bind_text_or_null (b->partner, 6, partner->phone);
  sqlite3_bind_text (b->partner, 7, partner->agreement, -1, SQLITE_TRANSIENT);
  if (!step_done (b, b->partner, "storing a partner", error))
    return FALSE;
  g_ptr_array_add (b->partner_names, g_strdup (partner->name));
  g_hash_table_insert (b->partner_ids, g_strdup (partner->name), id_new (partner->id));
  b->summary->n_partners++;
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

      /* Names and roles may hold "; " and " (": matching them is quadratic at worst, and a
       * crafted list must not make it endless. */
      b->partner_work += b->partner_names->len + 1;
      if (b->partner_work > MAX_PARTNER_WORK)
        return damaged (error, b->package, "table 'projects': project %" G_GINT64_FORMAT
                        " lists its partners in a way that cannot be read", project_id);

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
          b->partner_work += (close != NULL ? (gsize) (close - at) : strlen (at)) / 16;
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
on_project (const TwPackageProject  *project,
            gpointer                 data,
            GError                 **error)
{
  Builder *b = data;
  gint64 measure = lookup_id (b->measures, project->measure);
  gint64 geography_id = lookup_id (b->geographies, project->geography);
  sqlite3_stmt *stmt = b->project;

  /* Partners come before projects: their names, longest first, parse the lists. */
  if (project->row == 1)
    g_ptr_array_sort (b->partner_names, compare_longest_first);
  sqlite3_bind_int64 (stmt, 1, project->id);
  sqlite3_bind_text (stmt, 2, project->title, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 3, project->aim);
  if (measure > 0)
    sqlite3_bind_int64 (stmt, 4, measure);
  else
    sqlite3_bind_null (stmt, 4);
  bind_text_or_null (stmt, 5, g_strcmp0 (project->stratum, "all") != 0 ? project->stratum
                                                                       : NULL);
  if (geography_id > 0)
    sqlite3_bind_int64 (stmt, 6, geography_id);
  else
    sqlite3_bind_null (stmt, 6);
  bind_text_or_null (stmt, 7, project->start_date);
  bind_text_or_null (stmt, 8, project->end_date);
  sqlite3_bind_text (stmt, 9, project->status, -1, SQLITE_TRANSIENT);
  bind_real_or_null (stmt, 10, project->goal_percent);
  if (!step_done (b, stmt, "storing a project", error)
      || !write_project_partners (b, project->id, project->partners, error)
      || !write_project_areas (b, project->id, geography_id > 0 ? project->geography : NULL,
                               project->geoids, error))
    return FALSE;
  b->summary->n_projects++;
  return TRUE;
}

static gboolean
index_areas (Builder  *b,
             GError  **error)
{
  sqlite3_stmt *stmt = tw_store_prepare (b->store,
                                         "INSERT INTO area_rtree (id, min_lon, max_lon, "
                                         "min_lat, max_lat) SELECT id, min_lon, max_lon, "
                                         "min_lat, max_lat FROM area", error);

  return stmt != NULL && step_done (b, stmt, "indexing the areas", error);
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
  const TwSharePackageVisitor visitor = {
    .with_outlines = TRUE,
    .area = on_area,
    .measure = on_measure,
    .rate = on_rate,
    .partner = on_partner,
    .project = on_project,
  };
  g_autoptr(TwSharePackage) reader = NULL;
  TwReviewProjectSummary local_summary = { 0 };
  Builder b = { package };
  gboolean ok;

  g_return_val_if_fail (package != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (summary == NULL)
    summary = &local_summary;
  memset (summary, 0, sizeof *summary);

  /* The package is checked (header, tables, metadata) before a file is made. */
  reader = tw_share_package_open (package, cancellable, error);
  if (reader == NULL)
    return FALSE;
  b.store = tw_store_create (path, error);
  if (b.store == NULL)
    return FALSE;
  b.summary = summary;
  b.cancellable = cancellable;
  b.metadata = tw_share_package_get_metadata (reader);
  b.geographies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  b.areas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  b.measures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  b.periods = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  b.strata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  b.partner_names = g_ptr_array_new_with_free_func (g_free);
  b.partner_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  ok = (b.geography = tw_store_prepare (b.store, "INSERT INTO geography (name, level, vintage, "
                                        "source) VALUES (?1, ?2, ?3, ?4)", error)) != NULL
       && (b.area = tw_store_prepare (b.store, "INSERT INTO area (geography_id, geoid, name, "
                                      "geom, min_lon, min_lat, max_lon, max_lat) "
                                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error)) != NULL
       && (b.measure = tw_store_prepare (b.store, "INSERT INTO measure (code, label, kind, "
                                         "multiplier, higher_is_worse, source) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error)) != NULL
       && (b.shown = tw_store_prepare (b.store, "INSERT INTO outcome_value (measure_id, "
                                       "period_id, stratum_id, area_id, age_group_id, "
                                       "numerator, denominator) "
                                       "VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6)", error)) != NULL
       && (b.withheld = tw_store_prepare (b.store, "INSERT INTO outcome_withheld (measure_id, "
                                          "period_id, stratum_id, area_id, denominator) "
                                          "VALUES (?1, ?2, ?3, ?4, ?5)", error)) != NULL
       && (b.partner = tw_store_prepare (b.store, "INSERT INTO partner (id, name, kind, "
                                         "contact, email, phone, agreement) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error)) != NULL
       && (b.project = tw_store_prepare (b.store, "INSERT INTO project (id, title, aim, "
                                         "measure_id, stratum, geography_id, start_date, "
                                         "end_date, status, goal_percent) VALUES (?1, ?2, ?3, "
                                         "?4, ?5, ?6, ?7, ?8, ?9, ?10)", error)) != NULL
       && tw_store_begin (b.store, error)
       && tw_share_package_read (reader, &visitor, &b, error)
       && index_areas (&b, error)
       && write_settings (&b, error)
       && tw_store_commit (b.store, error);
  if (!ok)
    tw_store_rollback (b.store);

  tw_store_close (b.store);
  g_hash_table_unref (b.geographies);
  g_hash_table_unref (b.areas);
  g_hash_table_unref (b.measures);
  g_hash_table_unref (b.periods);
  g_hash_table_unref (b.strata);
  g_ptr_array_unref (b.partner_names);
  g_hash_table_unref (b.partner_ids);
  if (!ok)
    {
      /* Only the file: the folder is the caller's. */
      for (guint i = 0; i < 4; i++)
        {
          g_autofree char *file = g_strconcat (path, (const char *[]) { "", "-wal", "-shm",
                                                                        "-journal" }[i], NULL);
          g_unlink (file);
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
