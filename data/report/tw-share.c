/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-share"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tw-export-private.h"
#include "tw-format.h"
#include "tw-json.h"
#include "tw-package-writer.h"
#include "tw-partners.h"
#include "tw-policy-text.h"
#include "tw-project.h"
#include "tw-rate-table.h"
#include "tw-share.h"
#include "tw-share-package.h"
#include "tw-store-catalog.h"
#include "tw-suppression.h"

#define COMMENTS_FORMAT "tractwise-comments"
#define MAX_COMMENT_LENGTH 20000
#define MAX_AUTHOR_LENGTH 200
#define MAX_COMMENTS 100000

typedef TwComment Comment;

struct _TwReview
{
  char       *path;
  GHashTable *metadata;    /* key → value */
  GHashTable *areas;       /* "geography\ngeoid" set */
  GHashTable *geographies; /* name set */
  GHashTable *projects;    /* gint64 * → title */
  GPtrArray  *comments;    /* Comment * */
};

static char *
now_utc (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* Writing: what is published, through the privacy policy; tw-package-writer.h stores it. */

typedef struct
{
  TwStore         *store;
  TwPackageWriter *package;
  const TwShareOptions *options;
  guint            done;
  guint            total;   /* steps: the areas, each measure's period, the rest */
  GPtrArray       *geographies;   /* NULL-terminated names, when narrowed to a partner */
} Writer;

static void
step (Writer *w)
{
  w->done++;
  if (w->options->progress != NULL)
    w->options->progress (MIN (w->done, w->total), w->total, w->options->progress_data);
}

static gboolean
write_rates (Writer             *w,
             GPtrArray          *measures,
             TwShareSummary     *summary,
             GCancellable       *cancellable,
             GError            **error)
{
  for (guint m = 0; m < measures->len; m++)
    {
      const char *code = g_ptr_array_index (measures, m);
      g_auto(GStrv) periods = NULL;
      gint64 measure_id = tw_store_resolve_measure (w->store, code, error);

      if (measure_id < 0 || (periods = tw_store_list_periods (w->store, measure_id, error)) == NULL)
        return FALSE;
      for (guint p = 0; periods[p] != NULL; p++)
        {
          TwRateQuery query = { 0 };
          g_autoptr(TwRateTable) table = NULL;
          guint n;

          query.measure = code;
          query.period = periods[p];
          query.method = TW_RATE_METHOD_CRUDE;
          table = tw_rate_table_compute (w->store, &query, NULL, cancellable, error);
          if (table == NULL)
            return FALSE;
          n = tw_rate_table_get_n_rows (table);
          for (guint i = 0; i < n; i++)
            {
              const TwRateRow *row = tw_rate_table_get_row (table, i);
              gboolean hidden = tw_rate_row_is_suppressed (row);
              /* Suppressed: nulls. Never the count, nor anything computed from it. */
              TwPackageRateRow rate = {
                .area_id = row->area_id,
                .geoid = row->geoid,
                .measure = code,
                .period = periods[p],
                .stratum = row->stratum,
                .numerator = hidden ? NAN : row->numerator,
                .denominator = row->denominator,
                .rate = hidden ? NAN : tw_format_round_published (row->rate),
                .lower = hidden ? NAN : tw_format_round_published (row->lower),
                .upper = hidden ? NAN : tw_format_round_published (row->upper),
                .suppressed = hidden,
                .unstable = hidden || row->unstable,
                .status = tw_figure_status_to_string (row->status),
                .reason = row->status_reason,
              };

              if (!tw_package_writer_has_area (w->package, row->area_id))
                continue;
              if (!tw_package_writer_add_rate (w->package, &rate, error))
                return FALSE;
              summary->n_rates++;
              summary->n_suppressed += hidden;
            }
          step (w);
        }
    }
  return TRUE;
}

static gboolean
write_measures (Writer     *w,
                GPtrArray  *measures,
                GPtrArray  *infos,
                GError    **error)
{
  for (guint m = 0; m < measures->len; m++)
    for (guint i = 0; i < infos->len; i++)
      {
        TwMeasureInfo *info = g_ptr_array_index (infos, i);
        TwPackageMeasure measure = {
          .code = info->code,
          .label = info->label,
          .kind = info->kind,
          .multiplier = info->multiplier,
          .higher_is_worse = info->higher_is_worse,
          .source = info->source,
        };

        if (g_str_equal (info->code, g_ptr_array_index (measures, m))
            && !tw_package_writer_add_measure (w->package, &measure, error))
          return FALSE;
      }
  return TRUE;
}

static gboolean
write_projects (Writer          *w,
                GPtrArray       *projects,
                TwShareSummary  *summary,
                GError         **error)
{
  for (guint p = 0; p < projects->len; p++)
    {
      TwProject *project = g_ptr_array_index (projects, p);
      g_autoptr(GString) partners = g_string_new (NULL);
      g_autoptr(GString) geoids = g_string_new (NULL);
      /* Budgets and notes stay home. */
      TwPackageProject shared = {
        .id = project->id,
        .title = project->title,
        .aim = project->aim,
        .measure = project->measure,
        .stratum = project->stratum != NULL ? project->stratum : "all",
        .geography = project->geography,
        .status = project->status,
        .start_date = project->start_date,
        .end_date = project->end_date,
        .goal_percent = project->goal_percent,
      };

      for (guint i = 0; project->partners != NULL && i < project->partners->len; i++)
        {
          TwProjectPartner *partner = g_ptr_array_index (project->partners, i);

          if (w->options->partner != NULL && !g_str_equal (partner->name, w->options->partner))
            continue;
          g_string_append_printf (partners, "%s%s", partners->len > 0 ? "; " : "",
                                  partner->name);
          if (partner->role != NULL)
            g_string_append_printf (partners, " (%s)", partner->role);
        }
      for (guint i = 0; project->areas != NULL && i < project->areas->len; i++)
        g_string_append_printf (geoids, "%s%s", i > 0 ? "," : "",
                                (const char *) g_ptr_array_index (project->areas, i));
      shared.partners = partners->str;
      shared.geoids = geoids->str;
      if (!tw_package_writer_add_project (w->package, &shared, error))
        return FALSE;
      summary->n_projects++;
    }
  return TRUE;
}

static gboolean
write_partners (Writer          *w,
                gboolean         with_contacts,
                TwShareSummary  *summary,
                GError         **error)
{
  g_autoptr(GPtrArray) partners = tw_partners_list (w->store, error);

  if (partners == NULL)
    return FALSE;
  for (guint i = 0; i < partners->len; i++)
    {
      TwPartner *partner = g_ptr_array_index (partners, i);
      g_autoptr(GString) projects = g_string_new (NULL);
      gboolean own = w->options->partner != NULL;
      /* Notes stay home; contacts leave only when chosen, or to the partner they are. */
      TwPackagePartner shared = {
        .id = partner->id,
        .name = partner->name,
        .kind = partner->kind,
        .agreement = partner->agreement != NULL ? partner->agreement
                                                : TW_PARTNER_AGREEMENT_NONE,
        .contact = with_contacts || own ? partner->contact : NULL,
        .email = with_contacts || own ? partner->email : NULL,
        .phone = with_contacts || own ? partner->phone : NULL,
      };

      if (own && !g_str_equal (partner->name, w->options->partner))
        continue;

      for (guint p = 0; partner->projects != NULL && p < partner->projects->len; p++)
        {
          TwPartnerProject *project = g_ptr_array_index (partner->projects, p);

          g_string_append_printf (projects, "%s%s", p > 0 ? "; " : "", project->title);
        }
      shared.projects = projects->str;
      if (!tw_package_writer_add_partner (w->package, &shared, error))
        return FALSE;
      summary->n_partners++;
    }
  return TRUE;
}

static gboolean
write_metadata (Writer                    *w,
                const char                *package_id,
                const char                *created_at,
                GPtrArray                 *measures,
                GPtrArray                 *measure_infos,
                const TwSuppressionPolicy *policy,
                gboolean                   with_contacts,
                const char                *shared_by,
                GError                   **error)
{
  g_autoptr(GString) sources = g_string_new (NULL);
  g_autoptr(GString) geographies = g_string_new (NULL);
  g_autoptr(GPtrArray) geography_infos = NULL;
  g_autofree char *measure_list = NULL;
  g_autofree char *created_by = NULL;
  g_autofree char *base = g_path_get_basename (tw_store_get_path (w->store));
  g_autofree char *describe = tw_policy_text_describe (policy);
  g_autofree char *min_count = g_strdup_printf ("%u", policy->min_count);
  const char *real_name = g_get_real_name ();

  /* A person's name as they gave it; never the account's login name, which says nothing
   * to a partner ("shared by root"). With no name the package says nobody. */
  if (shared_by != NULL && shared_by[0] != '\0')
    created_by = g_strdup (shared_by);
  else
    created_by = real_name != NULL && real_name[0] != '\0' && !g_str_equal (real_name, "Unknown")
                 && !g_str_equal (real_name, g_get_user_name ())
                 ? g_strdup (real_name) : g_strdup ("");
  for (guint m = 0; m < measures->len; m++)
    for (guint i = 0; i < measure_infos->len; i++)
      {
        TwMeasureInfo *info = g_ptr_array_index (measure_infos, i);

        if (g_str_equal (info->code, g_ptr_array_index (measures, m)))
          g_string_append_printf (sources, "%s%s: %s", sources->len > 0 ? "; " : "",
                                  info->code,
                                  info->source != NULL ? info->source : "not recorded");
      }
  geography_infos = tw_store_list_geographies (w->store, -1, NULL, error);
  if (geography_infos == NULL)
    return FALSE;
  g_ptr_array_sort (geography_infos, tw_geography_info_compare_names);
  for (guint i = 0; i < geography_infos->len; i++)
    {
      TwGeographyInfo *info = g_ptr_array_index (geography_infos, i);
      g_autoptr(GPtrArray) dictionary = tw_store_load_dictionary (w->store, info->id, error);

      if (w->geographies != NULL
          && !g_strv_contains ((const char *const *) w->geographies->pdata, info->name))
        continue;
      if (dictionary == NULL)
        return FALSE;
      for (guint d = 0; d < dictionary->len; d++)
        if (!tw_package_writer_add_dictionary (w->package, info->name,
                                               g_ptr_array_index (dictionary, d), error))
          return FALSE;
      g_string_append_printf (geographies, "%s%s (%s, vintage %s, source %s)",
                              geographies->len > 0 ? "; " : "", info->name, info->level,
                              info->vintage != NULL ? info->vintage : "unknown",
                              info->source != NULL ? info->source : "unknown");
    }
  g_ptr_array_add (measures, NULL);
  measure_list = g_strjoinv (",", (GStrv) measures->pdata);
  g_ptr_array_remove_index (measures, measures->len - 1);

  {
    const char *pairs[] = {
      "package", TW_SHARE_PACKAGE_NAME,
      "package_version", TW_SHARE_PACKAGE_VERSION,
      "package_id", package_id,
      "created_at", created_at,
      "created_by", created_by,
      "tractwise_version", PACKAGE_VERSION,
      "source_project", base,
      "policy", describe,
      "policy_preset", tw_suppression_preset_to_string (policy->preset),
      "policy_min_count", min_count,
      "measures", measure_list,
      "sources", sources->str,
      "geographies", geographies->str,
      "contacts_included", with_contacts ? "yes"
                           : w->options->partner != NULL ? "partner's own" : "no",
      "partner", w->options->partner != NULL ? w->options->partner : "every partner",
      "note", "Suppressed rows have null numerator, rate, lower and upper. Rates are crude, "
              "with 95% intervals: Wilson for proportions, exact Poisson for rates. Shared "
              "read-only for review: send comments back as a Tractwise comments file.",
      NULL
    };

    for (guint i = 0; pairs[i] != NULL; i += 2)
      if (!tw_package_writer_add_metadata (w->package, pairs[i], pairs[i + 1], error))
        return FALSE;
  }
  return TRUE;
}

/* Keeps in @projects those @partner takes part in; refuses a partner the registry does not
 * hold (naming those it does) and one with no project, which would share nothing. */
static gboolean
narrow_to_partner (TwStore     *store,
                   const char  *partner,
                   GPtrArray   *projects,
                   GError     **error)
{
  if (tw_partners_find (store, partner, error) < 0)
    return FALSE;
  for (guint p = projects->len; p > 0; p--)
    {
      TwProject *project = g_ptr_array_index (projects, p - 1);
      gboolean theirs = FALSE;

      for (guint i = 0; project->partners != NULL && i < project->partners->len; i++)
        theirs |= g_str_equal (((TwProjectPartner *) g_ptr_array_index (project->partners,
                                                                        i))->name, partner);
      if (!theirs)
        g_ptr_array_remove_index (projects, p - 1);
    }
  if (projects->len == 0)
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                   "partner “%s” takes part in no project, so a package for it alone would "
                   "hold nothing; add it to a project first", partner);
      return FALSE;
    }
  return TRUE;
}

/* The codes of the measures shared: @wanted, once each, or every measure by code. */
static GPtrArray *
choose_measures (TwStore            *store,
                 const char *const  *wanted,
                 GPtrArray          *infos,
                 GError            **error)
{
  g_autoptr(GPtrArray) measures = g_ptr_array_new_with_free_func (g_free);

  if (wanted != NULL)
    {
      for (guint i = 0; wanted[i] != NULL; i++)
        {
          if (tw_store_resolve_measure (store, wanted[i], error) < 0)
            return NULL;
          if (!g_ptr_array_find_with_equal_func (measures, wanted[i], g_str_equal, NULL))
            g_ptr_array_add (measures, g_strdup (wanted[i]));
        }
    }
  else
    for (guint i = 0; i < infos->len; i++)
      g_ptr_array_add (measures, g_strdup (((TwMeasureInfo *) g_ptr_array_index (infos, i))->code));
  return g_steal_pointer (&measures);
}

gboolean
tw_share_write (TwStore              *store,
                const TwShareOptions *options,
                const char           *path,
                TwShareSummary       *summary,
                GCancellable         *cancellable,
                GError              **error)
{
  TwShareOptions defaults = { 0 };
  TwShareSummary local_summary = { 0 };
  TwSuppressionPolicy policy;
  g_autoptr(GPtrArray) measure_infos = NULL;
  g_autoptr(GPtrArray) measures = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(TwPackageWriter) package = NULL;
  /* Which package this is: comments sent back name it, and are refused by a project
   * that did not make it. */
  g_autofree char *package_id = g_uuid_string_random ();
  g_autofree char *created_at = now_utc ();
  g_autofree char *policy_text = NULL;
  g_autofree char *measure_list = NULL;
  g_autoptr(GPtrArray) geographies = NULL;
  g_autoptr(GPtrArray) partner_measures = NULL;
  Writer w = { store, NULL, NULL, 0, 2, NULL };
  gboolean ok;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (options == NULL)
    options = &defaults;
  w.options = options;
  if (summary == NULL)
    summary = &local_summary;
  memset (summary, 0, sizeof *summary);

  /* A review copy is not shared on: the store's own refusal, before a file is written. */
  if (tw_store_is_review (store) && !tw_store_begin (store, error))
    return FALSE;
  if (!g_str_has_suffix (path, ".gpkg"))
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                   "%s: a share package is a GeoPackage; give a file name ending in .gpkg",
                   path);
      return FALSE;
    }
  if (!tw_suppression_policy_load (&policy, store, error))
    return FALSE;
  measure_infos = tw_store_list_measures (store, error);
  if (measure_infos == NULL)
    return FALSE;
  projects = tw_project_list (store, error);
  if (projects == NULL)
    return FALSE;
  if (options->partner != NULL)
    {
      if (!narrow_to_partner (store, options->partner, projects, error))
        return FALSE;
      geographies = g_ptr_array_new ();
      partner_measures = g_ptr_array_new ();
      for (guint p = 0; p < projects->len; p++)
        {
          TwProject *project = g_ptr_array_index (projects, p);

          if (project->geography != NULL
              && !g_ptr_array_find_with_equal_func (geographies, project->geography,
                                                    g_str_equal, NULL))
            g_ptr_array_add (geographies, project->geography);
          if (project->measure != NULL
              && !g_ptr_array_find_with_equal_func (partner_measures, project->measure,
                                                    g_str_equal, NULL))
            g_ptr_array_add (partner_measures, project->measure);
        }
      g_ptr_array_add (geographies, NULL);
      g_ptr_array_add (partner_measures, NULL);
      w.geographies = geographies;
    }
  measures = choose_measures (store, options->measures != NULL ? options->measures
                                     : partner_measures != NULL && partner_measures->len > 1
                                     ? (const char *const *) partner_measures->pdata : NULL,
                              measure_infos, error);
  if (measures == NULL)
    return FALSE;
  for (guint m = 0; m < measures->len; m++)
    {
      g_auto(GStrv) periods = NULL;
      gint64 measure_id = tw_store_resolve_measure (store, g_ptr_array_index (measures, m), error);

      if (measure_id < 0 || (periods = tw_store_list_periods (store, measure_id, error)) == NULL)
        return FALSE;
      w.total += g_strv_length (periods);
    }

  package = tw_package_writer_new (store, path,
                                   options->with_contacts || options->partner != NULL, error);
  if (package == NULL)
    return FALSE;
  w.package = package;
  if (geographies != NULL)
    tw_package_writer_limit_geographies (package, (const char *const *) geographies->pdata);
  ok = tw_package_writer_copy_areas (package, &summary->n_areas, error);
  if (ok)
    step (&w);
  ok = ok && !g_cancellable_set_error_if_cancelled (cancellable, error);
  ok = ok && write_rates (&w, measures, summary, cancellable, error);
  ok = ok && write_measures (&w, measures, measure_infos, error);
  ok = ok && write_projects (&w, projects, summary, error);
  ok = ok && write_partners (&w, options->with_contacts, summary, error);
  ok = ok && write_metadata (&w, package_id, created_at, measures, measure_infos, &policy,
                             options->with_contacts, options->shared_by, error);
  ok = ok && !g_cancellable_set_error_if_cancelled (cancellable, error);
  ok = ok && tw_package_writer_commit (package, error);
  if (!ok)
    return FALSE;
  step (&w);

  policy_text = g_strdup_printf ("%s, k = %u", tw_suppression_preset_to_string (policy.preset),
                                 policy.min_count);
  g_ptr_array_add (measures, NULL);
  measure_list = g_strjoinv (",", (GStrv) measures->pdata);
  return tw_export_audit (store, "export-share", path, "gpkg", error,
                          "package_id", package_id, "created_at", created_at,
                          "measures", measure_list, "policy", policy_text,
                          "contacts", options->with_contacts ? "included" : "left out",
                          "partner", options->partner != NULL ? options->partner : "every partner",
                          NULL);
}

/* Review */

gboolean
tw_share_check_package (const char  *path,
                        GError     **error)
{
  g_autoptr(TwSharePackage) package = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  package = tw_share_package_open (path, NULL, error);
  return package != NULL;
}

gboolean
tw_share_is_package (const char *path)
{
  return tw_share_check_package (path, NULL);
}

gboolean
tw_share_is_geopackage (const char *path)
{
  guchar header[72];
  FILE *file;
  size_t n = 0;

  g_return_val_if_fail (path != NULL, FALSE);

  file = fopen (path, "rb");
  if (file == NULL)
    return FALSE;
  n = fread (header, 1, sizeof header, file);
  fclose (file);
  return n == sizeof header && memcmp (header, "SQLite format 3", 16) == 0
         && (((guint32) header[68] << 24) | ((guint32) header[69] << 16)
             | ((guint32) header[70] << 8) | header[71]) == TW_GEOPACKAGE_APPLICATION_ID;
}

static char *
area_key (const char *geography,
          const char *geoid)
{
  return g_strdup_printf ("%s\n%s", geography, geoid);
}

static gboolean
on_review_area (const TwPackageArea  *area,
                gpointer              data,
                GError              **error)
{
  TwReview *review = data;

  g_hash_table_add (review->areas, area_key (area->geography, area->geoid));
  if (!g_hash_table_contains (review->geographies, area->geography))
    g_hash_table_add (review->geographies, g_strdup (area->geography));
  return TRUE;
}

static gboolean
on_review_project (const TwPackageProject  *project,
                   gpointer                 data,
                   GError                 **error)
{
  TwReview *review = data;

  g_hash_table_insert (review->projects, g_memdup2 (&project->id, sizeof project->id),
                       g_strdup (project->title));
  return TRUE;
}

TwReview *
tw_review_open (const char    *path,
                GCancellable  *cancellable,
                GError       **error)
{
  /* Every table is read and checked, outlines too: a package is good or bad the same way
   * wherever it is opened. */
  const TwSharePackageVisitor visitor = {
    .with_outlines = FALSE,
    .area = on_review_area,
    .project = on_review_project,
  };
  g_autoptr(TwReview) review = NULL;
  g_autoptr(TwSharePackage) package = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (path != NULL, NULL);

  package = tw_share_package_open (path, cancellable, error);
  if (package == NULL)
    return NULL;

  review = g_new0 (TwReview, 1);
  review->path = g_strdup (path);
  review->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  review->areas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  review->geographies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  review->projects = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  review->comments = g_ptr_array_new_with_free_func ((GDestroyNotify) tw_comment_free);

  g_hash_table_iter_init (&iter, tw_share_package_get_metadata (package));
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (review->metadata, g_strdup (key), g_strdup (value));
  if (!tw_share_package_read (package, &visitor, review, error))
    return NULL;
  return g_steal_pointer (&review);
}

void
tw_review_free (TwReview *review)
{
  if (review == NULL)
    return;
  g_free (review->path);
  g_hash_table_unref (review->metadata);
  g_hash_table_unref (review->areas);
  g_hash_table_unref (review->geographies);
  g_hash_table_unref (review->projects);
  g_ptr_array_unref (review->comments);
  g_free (review);
}

const char *
tw_review_get_path (TwReview *review)
{
  g_return_val_if_fail (review != NULL, NULL);
  return review->path;
}

const char *
tw_review_get_metadata (TwReview   *review,
                        const char *key)
{
  g_return_val_if_fail (review != NULL, NULL);
  return g_hash_table_lookup (review->metadata, key);
}

guint
tw_review_get_n_areas (TwReview *review)
{
  g_return_val_if_fail (review != NULL, 0);
  return g_hash_table_size (review->areas);
}

const char *
tw_review_get_project_title (TwReview *review,
                             gint64    project_id)
{
  g_return_val_if_fail (review != NULL, NULL);
  return g_hash_table_lookup (review->projects, &project_id);
}

guint
tw_review_get_n_comments (TwReview *review)
{
  g_return_val_if_fail (review != NULL, 0);
  return review->comments->len;
}

const TwComment *
tw_review_get_comment (TwReview *review,
                       guint     index)
{
  g_return_val_if_fail (review != NULL, NULL);
  g_return_val_if_fail (index < review->comments->len, NULL);
  return g_ptr_array_index (review->comments, index);
}

void
tw_review_remove_comment (TwReview *review,
                          guint     index)
{
  g_return_if_fail (review != NULL);
  g_return_if_fail (index < review->comments->len);
  g_ptr_array_remove_index (review->comments, index);
}

/* Whether @text holds a control character (tabs and line breaks allowed when @lines). */
static gboolean
has_control (const char *text,
             gboolean    lines)
{
  for (const char *c = text; c != NULL && *c != '\0'; c++)
    if (((guchar) *c < 0x20 && !(lines && (*c == '\n' || *c == '\t' || *c == '\r')))
        || *c == 0x7f)
      return TRUE;
  return FALSE;
}

static gboolean
check_comment (TwReview    *review,
               Comment     *comment,
               GError     **error)
{
  if (comment->body == NULL || g_strstrip (comment->body)[0] == '\0'
      || strlen (comment->body) > MAX_COMMENT_LENGTH || !g_utf8_validate (comment->body, -1, NULL))
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                   "a comment needs a text of 1 to %d characters of UTF-8", MAX_COMMENT_LENGTH);
      return FALSE;
    }
  if (comment->author == NULL || g_strstrip (comment->author)[0] == '\0'
      || !g_utf8_validate (comment->author, -1, NULL)
      || g_utf8_strlen (comment->author, -1) > MAX_AUTHOR_LENGTH)
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                   "a comment needs its author's name, of at most %d characters",
                   MAX_AUTHOR_LENGTH);
      return FALSE;
    }
  /* What the comments file may not hold, a comment may not hold either. */
  if (has_control (comment->author, FALSE) || has_control (comment->body, TRUE))
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                   "a comment's %s holds a control character",
                   has_control (comment->author, FALSE) ? "author" : "text");
      return FALSE;
    }
  if (comment->geoid == NULL && comment->project_id <= 0)
    {
      g_set_error_literal (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                           "a comment is about an area (GEOID) or a project (id), or both");
      return FALSE;
    }
  if (comment->geoid != NULL)
    {
      g_autofree char *key = NULL;

      if (comment->geography == NULL)
        {
          if (g_hash_table_size (review->geographies) != 1)
            {
              g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                           "%s: the package has %u geographies; name the area's geography",
                           review->path, g_hash_table_size (review->geographies));
              return FALSE;
            }
          {
            GHashTableIter iter;
            gpointer name;

            g_hash_table_iter_init (&iter, review->geographies);
            g_hash_table_iter_next (&iter, &name, NULL);
            comment->geography = g_strdup (name);
          }
        }
      key = area_key (comment->geography, comment->geoid);
      if (!g_hash_table_contains (review->areas, key))
        {
          g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_UNKNOWN_REFERENCE,
                       "%s: the package has no area '%s' in geography '%s'", review->path,
                       comment->geoid, comment->geography);
          return FALSE;
        }
    }
  if (comment->project_id > 0)
    {
      const char *title = g_hash_table_lookup (review->projects, &comment->project_id);

      if (title == NULL)
        {
          g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_UNKNOWN_REFERENCE,
                       "%s: the package has no project %" G_GINT64_FORMAT, review->path,
                       comment->project_id);
          return FALSE;
        }
      g_free (comment->project_title);
      comment->project_title = g_strdup (title);
    }
  return TRUE;
}

gboolean
tw_review_add_comment (TwReview    *review,
                       const char  *geography,
                       const char  *geoid,
                       gint64       project_id,
                       const char  *author,
                       const char  *body,
                       GError     **error)
{
  Comment *comment;

  g_return_val_if_fail (review != NULL, FALSE);

  comment = g_new0 (Comment, 1);
  comment->geography = g_strdup (geography);
  comment->geoid = g_strdup (geoid);
  comment->project_id = project_id;
  comment->author = g_strdup (author);
  comment->body = g_strdup (body);
  comment->created_at = now_utc ();
  if (!check_comment (review, comment, error))
    {
      tw_comment_free (comment);
      return FALSE;
    }
  g_ptr_array_add (review->comments, comment);
  return TRUE;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A comments file arrives by e-mail: read within limits before anything is built. A
 * hundred thousand comments of a few lines each fit. */
static const TwJsonLimits comments_limits = {
  .max_size = 64 << 20,
  .max_depth = 32,
  .max_string = 4 * MAX_COMMENT_LENGTH,
  .max_values = 2000000,
};

/* Member @name of comment @index as text of at most @max characters, or NULL when it is
 * missing or null; FALSE with @error when it is another type or too long. */
static gboolean
comment_text (const char  *path,
              guint        index,
              JsonObject  *item,
              const char  *name,
              glong        max,
              gboolean     lines,
              char       **out,
              GError     **error)
{
  JsonNode *node = json_object_get_member (item, name);
  const char *text;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                   "%s: comment %u: %s is not text", path, index, name);
      return FALSE;
    }
  text = json_node_get_string (node);
  if (g_utf8_strlen (text, -1) > max)
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                   "%s: comment %u: %s is longer than %ld characters", path, index, name, max);
      return FALSE;
    }
  if (has_control (text, lines))
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                   "%s: comment %u: %s holds a control character", path, index, name);
      return FALSE;
    }
  *out = g_strdup (text);
  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* Reads a comments file into Comment structs, checking its shape and every comment. */
static GPtrArray *
read_comments (const char  *path,
               JsonObject **package,
               JsonNode   **root_out,
               GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) comments = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonNode *version;
  JsonArray *array;

  comments = g_ptr_array_new_with_free_func ((GDestroyNotify) tw_comment_free);
  root = tw_json_load_bounded (path, &comments_limits, &local_error);
  if (root == NULL)
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                   "%s: not a comments file Tractwise can read: %s; ask its sender for the "
                   "file Tractwise saved", path, local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root)
      || g_strcmp0 (member_string (json_node_get_object (root), "format"), COMMENTS_FORMAT) != 0
      || !json_object_has_member (json_node_get_object (root), "comments")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root), "comments")))
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                   "%s: not a Tractwise comments file (a JSON object with \"format\": \"%s\" "
                   "and a \"comments\" array)", path, COMMENTS_FORMAT);
      return NULL;
    }
  object = json_node_get_object (root);
  version = json_object_get_member (object, "version");
  if (version != NULL && JSON_NODE_TYPE (version) == JSON_NODE_VALUE
      && json_node_get_value_type (version) == G_TYPE_INT64 && json_node_get_int (version) > 1)
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                   "%s: made by a newer Tractwise (comments version %" G_GINT64_FORMAT "); "
                   "update Tractwise to read it", path, json_node_get_int (version));
      return NULL;
    }
  array = json_object_get_array_member (object, "comments");
  if (json_array_get_length (array) > MAX_COMMENTS)
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                   "%s: holds %u comments, more than the %d a comments file may hold; ask "
                   "for it in parts", path, json_array_get_length (array), MAX_COMMENTS);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *item;
      JsonNode *project;
      Comment *comment;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                       "%s: comment %u is not an object", path, i + 1);
          return NULL;
        }
      item = json_node_get_object (node);
      comment = g_new0 (Comment, 1);
      g_ptr_array_add (comments, comment);
      if (!comment_text (path, i + 1, item, "geography", 200, FALSE, &comment->geography, error)
          || !comment_text (path, i + 1, item, "geoid", 64, FALSE, &comment->geoid, error)
          || !comment_text (path, i + 1, item, "project_title", 1000, FALSE,
                            &comment->project_title, error)
          || !comment_text (path, i + 1, item, "author", MAX_AUTHOR_LENGTH, FALSE,
                            &comment->author, error)
          || !comment_text (path, i + 1, item, "body", MAX_COMMENT_LENGTH, TRUE, &comment->body,
                            error)
          || !comment_text (path, i + 1, item, "created_at", 64, FALSE, &comment->created_at,
                            error))
        return NULL;
      if (is_blank (comment->author) || is_blank (comment->body))
        {
          g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                       "%s: comment %u has no %s; a comment needs its author and its text",
                       path, i + 1, is_blank (comment->author) ? "author" : "text");
          return NULL;
        }
      project = json_object_get_member (item, "project_id");
      if (project != NULL && !JSON_NODE_HOLDS_NULL (project))
        {
          if (JSON_NODE_TYPE (project) != JSON_NODE_VALUE
              || json_node_get_value_type (project) != G_TYPE_INT64
              || json_node_get_int (project) <= 0)
            {
              g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                           "%s: comment %u: project_id is not a project number", path, i + 1);
              return NULL;
            }
          comment->project_id = json_node_get_int (project);
        }
      if (comment->geoid == NULL && comment->project_id <= 0)
        {
          g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                       "%s: comment %u is about no area (geoid) and no project (project_id)",
                       path, i + 1);
          return NULL;
        }
      if (comment->created_at == NULL)
        {
          g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                       "%s: comment %u has no created_at time", path, i + 1);
          return NULL;
        }
      {
        g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (comment->created_at, NULL);

        if (time == NULL)
          {
            g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                         "%s: comment %u: created_at '%s' is not an ISO 8601 time", path,
                         i + 1, comment->created_at);
            return NULL;
          }
      }
    }
  if (package != NULL)
    *package = json_object_has_member (object, "package")
               && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "package"))
               ? json_object_get_object_member (object, "package") : NULL;
  if (root_out != NULL)
    *root_out = g_steal_pointer (&root);
  return g_steal_pointer (&comments);
}

gboolean
tw_review_load_comments (TwReview    *review,
                         const char  *path,
                         GError     **error)
{
  g_autoptr(GPtrArray) comments = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *package = NULL;
  const char *made_on, *id, *review_id;

  g_return_val_if_fail (review != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  comments = read_comments (path, &package, &root, error);
  if (comments == NULL)
    return FALSE;
  /* Comments on another package (another day's, or another project's) stay apart. */
  made_on = package != NULL ? member_string (package, "created_at") : NULL;
  id = package != NULL ? member_string (package, "package_id") : NULL;
  review_id = tw_review_get_metadata (review, "package_id");
  if ((made_on != NULL && g_strcmp0 (made_on, tw_review_get_metadata (review, "created_at")) != 0)
      || (id != NULL && review_id != NULL && !g_str_equal (id, review_id)))
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                   "%s: these comments are on another share package (made %s from %s); "
                   "open them with that package", path, made_on != NULL ? made_on : "earlier",
                   member_string (package, "source_project") != NULL
                   ? member_string (package, "source_project") : "an unknown project");
      return FALSE;
    }
  for (guint i = 0; i < comments->len; i++)
    if (!check_comment (review, g_ptr_array_index (comments, i), error))
      {
        g_prefix_error (error, "%s: comment %u: ", path, i + 1);
        return FALSE;
      }
  while (comments->len > 0)
    g_ptr_array_add (review->comments, g_ptr_array_steal_index (comments, 0));
  return TRUE;
}

gboolean
tw_review_save_comments (TwReview    *review,
                         const char  *path,
                         GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *base = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (review != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  base = g_path_get_basename (review->path);
  json_builder_begin_object (builder);
  tw_json_add_string (builder, "format", COMMENTS_FORMAT);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "package");
  json_builder_begin_object (builder);
  tw_json_add_string (builder, "file", base);
  tw_json_add_string (builder, "source_project",
                      tw_review_get_metadata (review, "source_project"));
  tw_json_add_string (builder, "created_at", tw_review_get_metadata (review, "created_at"));
  tw_json_add_string (builder, "package_id", tw_review_get_metadata (review, "package_id"));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "comments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < review->comments->len; i++)
    {
      Comment *comment = g_ptr_array_index (review->comments, i);

      json_builder_begin_object (builder);
      tw_json_add_string (builder, "geography",
                          comment->geoid != NULL ? comment->geography : NULL);
      tw_json_add_string (builder, "geoid", comment->geoid);
      json_builder_set_member_name (builder, "project_id");
      if (comment->project_id > 0)
        json_builder_add_int_value (builder, comment->project_id);
      else
        json_builder_add_null_value (builder);
      tw_json_add_string (builder, "project_title", comment->project_title);
      tw_json_add_string (builder, "author", comment->author);
      tw_json_add_string (builder, "body", comment->body);
      tw_json_add_string (builder, "created_at", comment->created_at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  text = tw_json_builder_to_text (builder, TRUE);
  if (!g_file_set_contents (path, text, -1, &local_error))
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_WRITE, "%s", local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* Whether this project exported the package @package names (its id and time). */
static gboolean
check_package_exported (TwStore     *store,
                        const char  *path,
                        JsonObject  *package,
                        GError     **error)
{
  const char *id = package != NULL ? member_string (package, "package_id") : NULL;
  const char *made = package != NULL ? member_string (package, "created_at") : NULL;
  const char *file = package != NULL ? member_string (package, "file") : NULL;
  gboolean exported = FALSE;

  if (id == NULL || made == NULL)
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                   "%s: these comments do not name the share package they answer (its id "
                   "and time; an older Tractwise did not record them); ask the partner to "
                   "comment on a new package", path);
      return FALSE;
    }
  if (!tw_comments_package_exported (store, id, made, &exported, error))
    return FALSE;
  if (exported)
    return TRUE;
  g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_UNKNOWN_REFERENCE,
               "%s: these comments answer the share package %s made %s, which this project "
               "did not export; import them into the project that made it", path,
               file != NULL ? file : id, made);
  return FALSE;
}

gint64
tw_share_import_comments (TwStore     *store,
                          const char  *path,
                          GError     **error)
{
  g_autoptr(GPtrArray) comments = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *count = NULL;
  JsonObject *package = NULL;
  gint64 added;

  g_return_val_if_fail (store != NULL, -1);
  g_return_val_if_fail (path != NULL, -1);

  /* A review copy takes no comments: the store's own refusal, before the file is read. */
  if (tw_store_is_review (store) && !tw_store_begin (store, error))
    return -1;
  /* The whole file is read and checked before the project is touched. */
  comments = read_comments (path, &package, &root, error);
  if (comments == NULL)
    return -1;
  if (!check_package_exported (store, path, package, error))
    return -1;

  if (!tw_store_begin (store, error))
    return -1;
  added = tw_comments_add (store, path, comments, error);
  if (added < 0)
    goto failed;
  count = g_strdup_printf ("%" G_GINT64_FORMAT, added);
  if (!tw_export_audit (store, "import-comments", path, "json", error, "comments", count,
                        "package", member_string (package, "file"),
                        "package_id", member_string (package, "package_id"), NULL)
      || !tw_store_commit (store, error))
    goto failed;
  return added;

failed:
  tw_store_rollback (store);
  return -1;
}

GPtrArray *
tw_share_list_comments (TwStore  *store,
                        GError  **error)
{
  return tw_comments_list (store, error);
}
