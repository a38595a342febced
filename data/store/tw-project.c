/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-project"

#include <math.h>
#include <string.h>

#include "tw-partners.h"
#include "tw-store-private.h"
#include "tw-project.h"

G_DEFINE_QUARK (tw-project-error-quark, tw_project_error)

/* What a project's names refer to, checked before anything is written. */
typedef struct
{
  gint64  measure_id;     /* 0: none */
  gint64  geography_id;   /* 0: none */
  GArray *partner_ids;    /* gint64, in the project's order, without repeats */
  GPtrArray *roles;       /* char * (borrowed), beside partner_ids */
  GArray *area_ids;       /* gint64 */
} Resolved;

static void
resolved_clear (Resolved *resolved)
{
  g_clear_pointer (&resolved->partner_ids, g_array_unref);
  g_clear_pointer (&resolved->roles, g_ptr_array_unref);
  g_clear_pointer (&resolved->area_ids, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Resolved, resolved_clear)

static void
project_partner_free (gpointer data)
{
  TwProjectPartner *partner = data;

  g_free (partner->name);
  g_free (partner->role);
  g_free (partner);
}

static void
comment_free (gpointer data)
{
  TwProjectComment *comment = data;

  g_free (comment->author);
  g_free (comment->body);
  g_free (comment->created_at);
  g_free (comment->geoid);
  g_free (comment);
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text == NULL || text[0] == '\0')
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

static void
bind_id_or_null (sqlite3_stmt *stmt,
                 int           index,
                 gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, index, id);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
is_blank (const char *text)
{
  return text == NULL || text[0] == '\0';
}

/* Runs @sql with one integer parameter and no result rows. */
static gboolean
exec_with_id (TwStore     *store,
              const char  *sql,
              gint64       id,
              const char  *what,
              GError     **error)
{
  sqlite3_stmt *stmt = tw_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (store, error, what);
  return TRUE;
}

static gboolean
row_exists (TwStore     *store,
            const char  *sql,
            gint64       id,
            gboolean    *exists,
            GError     **error)
{
  sqlite3_stmt *stmt = tw_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return tw_store_set_sql_error (store, error, "reading the project file");
  *exists = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
audit (TwStore    *store,
       const char *action,
       gint64      project_id,
       const char *format,
       ...) G_GNUC_PRINTF (4, 5);

static gboolean
audit (TwStore    *store,
       const char *action,
       gint64      project_id,
       const char *format,
       ...)
{
  g_autofree char *what = NULL;
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  detail = g_strdup_printf ("project %" G_GINT64_FORMAT ": %s", project_id, what);
  return tw_store_audit (store, action, detail, NULL);
}

TwProject *
tw_project_new (const char *title)
{
  TwProject *project = g_new0 (TwProject, 1);

  project->title = g_strdup (title);
  project->status = g_strdup (TW_PROJECT_STATUS_PLANNED);
  project->budget = NAN;
  project->goal_percent = NAN;
  project->partners = g_ptr_array_new_with_free_func (project_partner_free);
  project->areas = g_ptr_array_new_with_free_func (g_free);
  project->milestones = g_ptr_array_new_with_free_func ((GDestroyNotify) tw_milestone_free);
  project->comments = g_ptr_array_new_with_free_func (comment_free);
  return project;
}

TwMilestone *
tw_milestone_new (const char *title,
                  const char *due_date,
                  const char *done_date)
{
  TwMilestone *milestone = g_new0 (TwMilestone, 1);

  milestone->title = g_strdup (title);
  milestone->due_date = g_strdup (due_date);
  milestone->done_date = g_strdup (done_date);
  return milestone;
}

void
tw_milestone_free (TwMilestone *milestone)
{
  if (milestone == NULL)
    return;
  g_free (milestone->title);
  g_free (milestone->due_date);
  g_free (milestone->done_date);
  g_free (milestone);
}

TwProject *
tw_project_copy (const TwProject *project)
{
  TwProject *copy;

  g_return_val_if_fail (project != NULL, NULL);

  copy = tw_project_new (project->title);
  copy->id = project->id;
  copy->aim = g_strdup (project->aim);
  copy->measure = g_strdup (project->measure);
  copy->stratum = g_strdup (project->stratum);
  copy->geography = g_strdup (project->geography);
  copy->start_date = g_strdup (project->start_date);
  copy->end_date = g_strdup (project->end_date);
  g_free (copy->status);
  copy->status = g_strdup (project->status);
  copy->budget = project->budget;
  copy->goal_percent = project->goal_percent;
  copy->notes = g_strdup (project->notes);
  for (guint i = 0; project->partners && i < project->partners->len; i++)
    {
      const TwProjectPartner *from = g_ptr_array_index (project->partners, i);
      TwProjectPartner *to = g_new0 (TwProjectPartner, 1);

      to->partner_id = from->partner_id;
      to->name = g_strdup (from->name);
      to->role = g_strdup (from->role);
      g_ptr_array_add (copy->partners, to);
    }
  for (guint i = 0; project->areas && i < project->areas->len; i++)
    g_ptr_array_add (copy->areas, g_strdup (g_ptr_array_index (project->areas, i)));
  for (guint i = 0; project->milestones && i < project->milestones->len; i++)
    {
      const TwMilestone *from = g_ptr_array_index (project->milestones, i);
      TwMilestone *to = tw_milestone_new (from->title, from->due_date, from->done_date);

      to->id = from->id;
      g_ptr_array_add (copy->milestones, to);
    }
  for (guint i = 0; project->comments && i < project->comments->len; i++)
    {
      const TwProjectComment *from = g_ptr_array_index (project->comments, i);
      TwProjectComment *to = g_new0 (TwProjectComment, 1);

      to->id = from->id;
      to->author = g_strdup (from->author);
      to->body = g_strdup (from->body);
      to->created_at = g_strdup (from->created_at);
      to->geoid = g_strdup (from->geoid);
      g_ptr_array_add (copy->comments, to);
    }
  return copy;
}

void
tw_project_free (TwProject *project)
{
  if (project == NULL)
    return;
  g_free (project->title);
  g_free (project->aim);
  g_free (project->measure);
  g_free (project->stratum);
  g_free (project->geography);
  g_free (project->start_date);
  g_free (project->end_date);
  g_free (project->status);
  g_free (project->notes);
  g_clear_pointer (&project->partners, g_ptr_array_unref);
  g_clear_pointer (&project->areas, g_ptr_array_unref);
  g_clear_pointer (&project->milestones, g_ptr_array_unref);
  g_clear_pointer (&project->comments, g_ptr_array_unref);
  g_free (project);
}

void
tw_project_take_partner (TwProject  *project,
                         const char *name,
                         const char *role)
{
  TwProjectPartner *partner;

  g_return_if_fail (project != NULL);
  g_return_if_fail (name != NULL);

  partner = g_new0 (TwProjectPartner, 1);
  partner->name = g_strdup (name);
  partner->role = g_strdup (role);
  g_ptr_array_add (project->partners, partner);
}

void
tw_project_take_area (TwProject  *project,
                      const char *geoid)
{
  g_return_if_fail (project != NULL);
  g_return_if_fail (geoid != NULL);

  g_ptr_array_add (project->areas, g_strdup (geoid));
}

gboolean
tw_project_status_is_valid (const char *status)
{
  return status != NULL
         && (g_str_equal (status, TW_PROJECT_STATUS_PLANNED)
             || g_str_equal (status, TW_PROJECT_STATUS_ACTIVE)
             || g_str_equal (status, TW_PROJECT_STATUS_PAUSED)
             || g_str_equal (status, TW_PROJECT_STATUS_COMPLETED));
}

gboolean
tw_project_date_is_valid (const char *date)
{
  int year, month, day;

  if (date == NULL || strlen (date) != 10 || date[4] != '-' || date[7] != '-')
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (date[i]))
      return FALSE;
  year = atoi (date);
  month = atoi (date + 5);
  day = atoi (date + 8);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1
         && g_date_valid_dmy (day, month, year);
}

static gboolean
check_date (TwStore     *store,
            const char  *date,
            const char  *what,
            GError     **error)
{
  if (is_blank (date) || tw_project_date_is_valid (date))
    return TRUE;
  g_set_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_INVALID,
               "%s: the %s '%s' is not a date; write it YYYY-MM-DD, e.g. 2024-03-01",
               tw_store_get_path (store), what, date);
  return FALSE;
}

/* The checks that need nothing from the file but the measure's direction. */
static gboolean
validate_fields (TwStore          *store,
                 const TwProject  *project,
                 gboolean          higher_is_worse,
                 GError          **error)
{
  const char *path = tw_store_get_path (store);
  g_autofree char *title = g_strstrip (g_strdup (project->title ? project->title : ""));

  if (title[0] == '\0')
    {
      g_set_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_INVALID,
                   "%s: a project needs a title; give it with --title", path);
      return FALSE;
    }
  if (!check_date (store, project->start_date, "start date", error)
      || !check_date (store, project->end_date, "end date", error))
    return FALSE;
  if (!is_blank (project->start_date) && !is_blank (project->end_date)
      && strcmp (project->end_date, project->start_date) < 0)
    {
      g_set_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_INVALID,
                   "%s: project '%s' ends (%s) before it starts (%s); give an end date on "
                   "or after the start", path, project->title, project->end_date,
                   project->start_date);
      return FALSE;
    }
  if (project->status != NULL && !tw_project_status_is_valid (project->status))
    {
      g_set_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_INVALID,
                   "%s: unknown status '%s'; use planned, active, paused or completed",
                   path, project->status);
      return FALSE;
    }
  if (!isnan (project->budget) && (!isfinite (project->budget) || project->budget < 0))
    {
      g_set_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_INVALID,
                   "%s: the budget must be an amount of zero or more", path);
      return FALSE;
    }
  if (!isnan (project->goal_percent)
      && (!isfinite (project->goal_percent) || project->goal_percent <= 0
          || project->goal_percent > (higher_is_worse ? 100 : 1000)))
    {
      g_set_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_INVALID,
                   "%s: the goal must be a percentage above 0 and at most %d (10 means "
                   "%s the rate by 10%%)", path, higher_is_worse ? 100 : 1000,
                   higher_is_worse ? "lower" : "raise");
      return FALSE;
    }
  return TRUE;
}

/* A store error about a user's name becomes an unknown reference. */
static void
propagate_reference (GError **error,
                     GError  *inner)
{
  if (inner->domain == TW_STORE_ERROR && inner->code == TW_STORE_ERROR_SQL)
    g_propagate_error (error, inner);
  else
    {
      g_set_error_literal (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_UNKNOWN_REFERENCE,
                           inner->message);
      g_error_free (inner);
    }
}

static gboolean
resolve_measure (TwStore          *store,
                 const TwProject  *project,
                 Resolved         *resolved,
                 gboolean         *higher_is_worse,
                 GError          **error)
{
  GError *inner = NULL;
  sqlite3_stmt *stmt;
  gboolean has_rows = FALSE, has_stratum = FALSE;
  int rc;

  *higher_is_worse = TRUE;
  if (is_blank (project->measure))
    {
      if (!is_blank (project->stratum) && !g_str_equal (project->stratum, "all"))
        {
          g_set_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_INVALID,
                       "%s: a group (--stratum %s) needs a measure; give it with --measure",
                       tw_store_get_path (store), project->stratum);
          return FALSE;
        }
      return TRUE;
    }

  resolved->measure_id = tw_store_resolve_measure (store, project->measure, &inner);
  if (resolved->measure_id < 0)
    {
      propagate_reference (error, inner);
      return FALSE;
    }

  stmt = tw_store_prepare (store, "SELECT higher_is_worse FROM measure WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, resolved->measure_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    *higher_is_worse = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);

  if (is_blank (project->stratum))
    return TRUE;

  /* A group is checked against the outcomes, once there are any. */
  stmt = tw_store_prepare (store,
                           "SELECT stratum FROM outcome WHERE measure_id = ?1 "
                           "GROUP BY stratum", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, resolved->measure_id);
  {
    g_autoptr(GString) strata = g_string_new (NULL);

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        const char *stratum = (const char *) sqlite3_column_text (stmt, 0);

        has_rows = TRUE;
        if (g_str_equal (stratum, project->stratum))
          has_stratum = TRUE;
        g_string_append_printf (strata, "%s%s", strata->len ? ", " : "", stratum);
      }
    sqlite3_reset (stmt);
    if (rc != SQLITE_DONE)
      return tw_store_set_sql_error (store, error, "reading the groups of a measure");
    if (has_rows && !has_stratum)
      {
        g_set_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_UNKNOWN_REFERENCE,
                     "%s: measure '%s' has no group '%s' (there are: %s); give one of those "
                     "with --stratum", tw_store_get_path (store), project->measure,
                     project->stratum, strata->str);
        return FALSE;
      }
  }
  return TRUE;
}

static gboolean
resolve_geography (TwStore     *store,
                   const char  *name,
                   gboolean     needed,
                   gint64      *geography_id,
                   GError     **error)
{
  GError *inner = NULL;
  gint64 id;

  id = tw_store_resolve_geography (store, is_blank (name) ? NULL : name, &inner);
  if (id >= 0)
    {
      *geography_id = id;
      return TRUE;
    }
  if (is_blank (name) && !needed
      && !(inner->domain == TW_STORE_ERROR && inner->code == TW_STORE_ERROR_SQL))
    {
      /* No areas yet, or several geographies and none chosen: the project has none yet. */
      g_error_free (inner);
      *geography_id = 0;
      return TRUE;
    }
  propagate_reference (error, inner);
  return FALSE;
}

static gboolean
resolve_areas (TwStore            *store,
               gint64              geography_id,
               const char *const  *geoids,
               guint               n_geoids,
               GArray            **area_ids,
               GError            **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GString) unknown = g_string_new (NULL);
  guint n_unknown = 0;
  sqlite3_stmt *stmt;

  stmt = tw_store_prepare (store, "SELECT id FROM area WHERE geography_id = ?1 AND geoid = ?2",
                           error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < n_geoids; i++)
    {
      gint64 id = -1;
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, geography_id);
      sqlite3_bind_text (stmt, 2, geoids[i], -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        id = sqlite3_column_int64 (stmt, 0);
      else if (rc != SQLITE_DONE)
        {
          sqlite3_reset (stmt);
          return tw_store_set_sql_error (store, error, "looking up areas");
        }

      if (id < 0)
        {
          if (n_unknown < 5)
            g_string_append_printf (unknown, "%s'%s'", n_unknown ? ", " : "", geoids[i]);
          n_unknown++;
        }
      else if (g_hash_table_add (seen, GINT_TO_POINTER (id)))   /* repeats count once */
        g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);

  if (n_unknown > 0)
    {
      g_autofree char *geography = NULL;

      stmt = tw_store_prepare (store, "SELECT name FROM geography WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, geography_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        geography = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);

      g_set_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_UNKNOWN_REFERENCE,
                   "%s: %u GEOID%s not in geography '%s': %s%s; 'tractwise-cli areas' lists "
                   "the areas there are", tw_store_get_path (store), n_unknown,
                   n_unknown > 1 ? "s are" : " is", geography ? geography : "?",
                   unknown->str, n_unknown > 5 ? " …" : "");
      return FALSE;
    }

  *area_ids = g_steal_pointer (&ids);
  return TRUE;
}

static gboolean
resolve_partners (TwStore          *store,
                  const TwProject  *project,
                  Resolved         *resolved,
                  GError          **error)
{
  resolved->partner_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  resolved->roles = g_ptr_array_new ();

  for (guint i = 0; project->partners != NULL && i < project->partners->len; i++)
    {
      const TwProjectPartner *partner = g_ptr_array_index (project->partners, i);
      gint64 id = partner->partner_id;
      gboolean repeated = FALSE;

      if (id > 0)
        {
          gboolean exists;

          if (!row_exists (store, "SELECT 1 FROM partner WHERE id = ?1", id, &exists, error))
            return FALSE;
          if (!exists)
            {
              g_set_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_UNKNOWN_REFERENCE,
                           "%s: no partner with id %" G_GINT64_FORMAT " (%s); it may have "
                           "been deleted", tw_store_get_path (store), id,
                           partner->name ? partner->name : "no name");
              return FALSE;
            }
        }
      else
        {
          GError *inner = NULL;

          id = tw_partners_find (store, partner->name ? partner->name : "", &inner);
          if (id < 0)
            {
              propagate_reference (error, inner);
              return FALSE;
            }
        }

      for (guint j = 0; j < resolved->partner_ids->len; j++)
        if (g_array_index (resolved->partner_ids, gint64, j) == id)
          repeated = TRUE;
      if (repeated)
        continue;
      g_array_append_val (resolved->partner_ids, id);
      g_ptr_array_add (resolved->roles, partner->role);
    }
  return TRUE;
}

/* Every check of a project to be written. */
static gboolean
resolve_project (TwStore          *store,
                 const TwProject  *project,
                 Resolved         *resolved,
                 GError          **error)
{
  gboolean higher_is_worse = TRUE;
  guint n_areas = project->areas ? project->areas->len : 0;

  if (!resolve_measure (store, project, resolved, &higher_is_worse, error))
    return FALSE;
  if (!validate_fields (store, project, higher_is_worse, error))
    return FALSE;
  if (!resolve_geography (store, project->geography, n_areas > 0, &resolved->geography_id,
                          error))
    return FALSE;
  if (!resolve_partners (store, project, resolved, error))
    return FALSE;
  if (n_areas == 0)
    {
      resolved->area_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      return TRUE;
    }
  return resolve_areas (store, resolved->geography_id,
                        (const char *const *) project->areas->pdata, n_areas,
                        &resolved->area_ids, error);
}

static gboolean
write_areas (TwStore   *store,
             gint64     project_id,
             GArray    *area_ids,
             GError   **error)
{
  sqlite3_stmt *stmt;

  if (!exec_with_id (store, "DELETE FROM project_area WHERE project_id = ?1", project_id,
                     "replacing target areas", error))
    return FALSE;
  stmt = tw_store_prepare (store, "INSERT INTO project_area (project_id, area_id) "
                                  "VALUES (?1, ?2)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < area_ids->len; i++)
    {
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, project_id);
      sqlite3_bind_int64 (stmt, 2, g_array_index (area_ids, gint64, i));
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return tw_store_set_sql_error (store, error, "storing target areas");
    }
  return TRUE;
}

static gboolean
write_partners (TwStore         *store,
                gint64           project_id,
                const Resolved  *resolved,
                GError         **error)
{
  sqlite3_stmt *stmt;

  if (!exec_with_id (store, "DELETE FROM project_partner WHERE project_id = ?1", project_id,
                     "replacing project partners", error))
    return FALSE;
  stmt = tw_store_prepare (store, "INSERT INTO project_partner (project_id, partner_id, role) "
                                  "VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < resolved->partner_ids->len; i++)
    {
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, project_id);
      sqlite3_bind_int64 (stmt, 2, g_array_index (resolved->partner_ids, gint64, i));
      bind_text_or_null (stmt, 3, g_ptr_array_index (resolved->roles, i));
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return tw_store_set_sql_error (store, error, "storing project partners");
    }
  return TRUE;
}

/* Inserts (@id 0: a new id; @id > 0: that id) or updates (@update) the project row. */
static gint64
write_project_row (TwStore          *store,
                   const TwProject  *project,
                   const Resolved   *resolved,
                   gint64            id,
                   gboolean          update,
                   GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (update)
    stmt = tw_store_prepare (store,
                             "UPDATE project SET title = ?1, aim = ?2, measure_id = ?3, "
                             "stratum = ?4, geography_id = ?5, start_date = ?6, end_date = ?7, "
                             "status = ?8, budget = ?9, goal_percent = ?10, notes = ?11 "
                             "WHERE id = ?12", error);
  else
    stmt = tw_store_prepare (store,
                             "INSERT INTO project (title, aim, measure_id, stratum, "
                             "geography_id, start_date, end_date, status, budget, goal_percent, "
                             "notes, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                             "?12)", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, project->title, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 2, project->aim);
  bind_id_or_null (stmt, 3, resolved->measure_id);
  bind_text_or_null (stmt, 4, project->stratum);
  bind_id_or_null (stmt, 5, resolved->geography_id);
  bind_text_or_null (stmt, 6, project->start_date);
  bind_text_or_null (stmt, 7, project->end_date);
  sqlite3_bind_text (stmt, 8, project->status ? project->status : TW_PROJECT_STATUS_PLANNED,
                     -1, SQLITE_TRANSIENT);
  if (isnan (project->budget))
    sqlite3_bind_null (stmt, 9);
  else
    sqlite3_bind_double (stmt, 9, project->budget);
  if (isnan (project->goal_percent))
    sqlite3_bind_null (stmt, 10);
  else
    sqlite3_bind_double (stmt, 10, project->goal_percent);
  bind_text_or_null (stmt, 11, project->notes);
  bind_id_or_null (stmt, 12, id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (store, error, "storing a project");
      return -1;
    }
  return update ? id : sqlite3_last_insert_rowid (tw_store_get_db (store));
}

static gboolean
check_milestone (TwStore            *store,
                 const TwMilestone  *milestone,
                 GError            **error)
{
  g_autofree char *title = g_strstrip (g_strdup (milestone->title ? milestone->title : ""));

  if (title[0] == '\0')
    {
      g_set_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_INVALID,
                   "%s: a milestone needs a title; give it with --title",
                   tw_store_get_path (store));
      return FALSE;
    }
  return check_date (store, milestone->due_date, "due date", error)
         && check_date (store, milestone->done_date, "done date", error);
}

static gint64
insert_milestone (TwStore            *store,
                  gint64              project_id,
                  const TwMilestone  *milestone,
                  gint64              id,
                  GError            **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = tw_store_prepare (store, "INSERT INTO milestone (project_id, title, due_date, "
                                  "done_date, id) VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, project_id);
  sqlite3_bind_text (stmt, 2, milestone->title, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 3, milestone->due_date);
  bind_text_or_null (stmt, 4, milestone->done_date);
  bind_id_or_null (stmt, 5, id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (store, error, "storing a milestone");
      return -1;
    }
  return sqlite3_last_insert_rowid (tw_store_get_db (store));
}

static gboolean
project_exists (TwStore  *store,
                gint64    id,
                GError  **error)
{
  gboolean exists;

  if (!row_exists (store, "SELECT 1 FROM project WHERE id = ?1", id, &exists, error))
    return FALSE;
  if (!exists)
    g_set_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_NOT_FOUND,
                 "%s: no project with id %" G_GINT64_FORMAT "; 'tractwise-cli project list' "
                 "shows them", tw_store_get_path (store), id);
  return exists;
}

/* Reading */

static gboolean
load_details (TwStore    *store,
              TwProject  *project,
              GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = tw_store_prepare (store,
                           "SELECT pp.partner_id, pa.name, pp.role FROM project_partner pp "
                           "JOIN partner pa ON pa.id = pp.partner_id "
                           "WHERE pp.project_id = ?1 ORDER BY pa.name COLLATE NOCASE", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, project->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TwProjectPartner *partner = g_new0 (TwProjectPartner, 1);

      partner->partner_id = sqlite3_column_int64 (stmt, 0);
      partner->name = tw_store_column_dup (stmt, 1);
      partner->role = tw_store_column_dup (stmt, 2);
      g_ptr_array_add (project->partners, partner);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (store, error, "reading project partners");

  stmt = tw_store_prepare (store,
                           "SELECT a.geoid FROM project_area pa JOIN area a ON a.id = pa.area_id "
                           "WHERE pa.project_id = ?1 ORDER BY a.geoid", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, project->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (project->areas, tw_store_column_dup (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (store, error, "reading target areas");

  stmt = tw_store_prepare (store,
                           "SELECT id, title, due_date, done_date FROM milestone "
                           "WHERE project_id = ?1 ORDER BY due_date IS NULL, due_date, id",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, project->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TwMilestone *milestone = g_new0 (TwMilestone, 1);

      milestone->id = sqlite3_column_int64 (stmt, 0);
      milestone->title = tw_store_column_dup (stmt, 1);
      milestone->due_date = tw_store_column_dup (stmt, 2);
      milestone->done_date = tw_store_column_dup (stmt, 3);
      g_ptr_array_add (project->milestones, milestone);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (store, error, "reading milestones");

  stmt = tw_store_prepare (store,
                           "SELECT c.id, c.author, c.body, c.created_at, a.geoid FROM comment c "
                           "LEFT JOIN area a ON a.id = c.area_id "
                           "WHERE c.project_id = ?1 ORDER BY c.created_at, c.id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, project->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TwProjectComment *comment = g_new0 (TwProjectComment, 1);

      comment->id = sqlite3_column_int64 (stmt, 0);
      comment->author = tw_store_column_dup (stmt, 1);
      comment->body = tw_store_column_dup (stmt, 2);
      comment->created_at = tw_store_column_dup (stmt, 3);
      comment->geoid = tw_store_column_dup (stmt, 4);
      g_ptr_array_add (project->comments, comment);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (store, error, "reading comments");
  return TRUE;
}

#define PROJECT_SELECT \
  "SELECT p.id, p.title, p.aim, m.code, p.stratum, g.name, p.start_date, p.end_date, " \
  "  p.status, p.budget, p.goal_percent, p.notes " \
  "FROM project p LEFT JOIN measure m ON m.id = p.measure_id " \
  "LEFT JOIN geography g ON g.id = p.geography_id "

static TwProject *
project_from_row (sqlite3_stmt *stmt)
{
  TwProject *project = tw_project_new (NULL);

  project->id = sqlite3_column_int64 (stmt, 0);
  project->title = tw_store_column_dup (stmt, 1);
  project->aim = tw_store_column_dup (stmt, 2);
  project->measure = tw_store_column_dup (stmt, 3);
  project->stratum = tw_store_column_dup (stmt, 4);
  project->geography = tw_store_column_dup (stmt, 5);
  project->start_date = tw_store_column_dup (stmt, 6);
  project->end_date = tw_store_column_dup (stmt, 7);
  g_free (project->status);
  project->status = tw_store_column_dup (stmt, 8);
  project->budget = tw_store_column_double (stmt, 9);
  project->goal_percent = tw_store_column_double (stmt, 10);
  project->notes = tw_store_column_dup (stmt, 11);
  return project;
}

GPtrArray *
tw_project_list (TwStore  *store,
                 GError  **error)
{
  g_autoptr(GPtrArray) projects = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = tw_store_prepare (store, PROJECT_SELECT "ORDER BY p.id", error);
  if (stmt == NULL)
    return NULL;
  projects = g_ptr_array_new_with_free_func ((GDestroyNotify) tw_project_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (projects, project_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (store, error, "reading projects");
      return NULL;
    }
  for (guint i = 0; i < projects->len; i++)
    if (!load_details (store, g_ptr_array_index (projects, i), error))
      return NULL;
  return g_steal_pointer (&projects);
}

TwProject *
tw_project_get (TwStore  *store,
                gint64    id,
                GError  **error)
{
  g_autoptr(TwProject) project = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (store != NULL, NULL);

  stmt = tw_store_prepare (store, PROJECT_SELECT "WHERE p.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    project = project_from_row (stmt);
  sqlite3_reset (stmt);
  if (project == NULL)
    {
      g_set_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_NOT_FOUND,
                   "%s: no project with id %" G_GINT64_FORMAT "; 'tractwise-cli project list' "
                   "shows them", tw_store_get_path (store), id);
      return NULL;
    }
  if (!load_details (store, project, error))
    return NULL;
  return g_steal_pointer (&project);
}

/* Writing */

static gint64
insert_project (TwStore          *store,
                const TwProject  *project,
                gint64            id,
                gboolean          restore,
                GError          **error)
{
  g_auto(Resolved) resolved = { 0 };

  for (guint i = 0; project->milestones != NULL && i < project->milestones->len; i++)
    if (!check_milestone (store, g_ptr_array_index (project->milestones, i), error))
      return -1;
  if (!resolve_project (store, project, &resolved, error))
    return -1;

  if (!tw_store_begin (store, error))
    return -1;
  id = write_project_row (store, project, &resolved, id, FALSE, error);
  if (id < 0
      || !write_partners (store, id, &resolved, error)
      || !write_areas (store, id, resolved.area_ids, error))
    goto fail;
  for (guint i = 0; project->milestones != NULL && i < project->milestones->len; i++)
    {
      const TwMilestone *milestone = g_ptr_array_index (project->milestones, i);

      if (insert_milestone (store, id, milestone, restore ? milestone->id : 0, error) < 0)
        goto fail;
    }

  if (restore)
    {
      sqlite3_stmt *stmt;

      stmt = tw_store_prepare (store,
                               "INSERT INTO comment (id, project_id, area_id, author, body, "
                               "  created_at) "
                               "VALUES (?1, ?2, (SELECT id FROM area WHERE geography_id = ?3 "
                               "AND geoid = ?4), ?5, ?6, ?7)", error);
      if (stmt == NULL)
        goto fail;
      for (guint i = 0; project->comments != NULL && i < project->comments->len; i++)
        {
          const TwProjectComment *comment = g_ptr_array_index (project->comments, i);
          int rc;

          sqlite3_reset (stmt);
          sqlite3_bind_int64 (stmt, 1, comment->id);
          sqlite3_bind_int64 (stmt, 2, id);
          sqlite3_bind_int64 (stmt, 3, resolved.geography_id);
          bind_text_or_null (stmt, 4, comment->geoid);
          bind_text_or_null (stmt, 5, comment->author);
          sqlite3_bind_text (stmt, 6, comment->body ? comment->body : "", -1,
                             SQLITE_TRANSIENT);
          sqlite3_bind_text (stmt, 7, comment->created_at ? comment->created_at : "", -1,
                             SQLITE_TRANSIENT);
          rc = sqlite3_step (stmt);
          sqlite3_reset (stmt);
          if (rc != SQLITE_DONE)
            {
              tw_store_set_sql_error (store, error, "restoring comments");
              goto fail;
            }
        }
    }

  if (!audit (store, restore ? "project.restore" : "project.add", id, "'%s', %u areas, "
              "%u partners", project->title, resolved.area_ids->len,
              resolved.partner_ids->len))
    {
      tw_store_set_sql_error (store, error, "writing the audit log");
      goto fail;
    }
  if (!tw_store_commit (store, error))
    return -1;
  return id;

fail:
  tw_store_rollback (store);
  return -1;
}

gint64
tw_project_add (TwStore          *store,
                const TwProject  *project,
                GError          **error)
{
  g_return_val_if_fail (store != NULL, -1);
  g_return_val_if_fail (project != NULL, -1);

  return insert_project (store, project, 0, FALSE, error);
}

gboolean
tw_project_restore (TwStore          *store,
                    const TwProject  *project,
                    GError          **error)
{
  gboolean exists;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (project != NULL && project->id > 0, FALSE);

  if (!row_exists (store, "SELECT 1 FROM project WHERE id = ?1", project->id, &exists, error))
    return FALSE;
  if (exists)
    {
      g_set_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_EXISTS,
                   "%s: project %" G_GINT64_FORMAT " exists already; nothing to restore",
                   tw_store_get_path (store), project->id);
      return FALSE;
    }
  return insert_project (store, project, project->id, TRUE, error) > 0;
}

gboolean
tw_project_update (TwStore          *store,
                   const TwProject  *project,
                   GError          **error)
{
  g_auto(Resolved) resolved = { 0 };

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (project != NULL, FALSE);

  if (!project_exists (store, project->id, error))
    return FALSE;
  if (!resolve_project (store, project, &resolved, error))
    return FALSE;

  if (!tw_store_begin (store, error))
    return FALSE;
  if (write_project_row (store, project, &resolved, project->id, TRUE, error) < 0
      || !write_partners (store, project->id, &resolved, error)
      || !write_areas (store, project->id, resolved.area_ids, error))
    goto fail;
  if (!audit (store, "project.update", project->id, "'%s', %u areas, %u partners",
              project->title, resolved.area_ids->len, resolved.partner_ids->len))
    {
      tw_store_set_sql_error (store, error, "writing the audit log");
      goto fail;
    }
  return tw_store_commit (store, error);

fail:
  tw_store_rollback (store);
  return FALSE;
}

gboolean
tw_project_set_areas (TwStore            *store,
                      gint64              project_id,
                      const char *const  *geoids,
                      GError            **error)
{
  g_autoptr(GArray) area_ids = NULL;
  g_autoptr(TwProject) project = NULL;
  gint64 geography_id = 0;
  guint n_geoids = geoids ? g_strv_length ((char **) geoids) : 0;

  g_return_val_if_fail (store != NULL, FALSE);

  project = tw_project_get (store, project_id, error);
  if (project == NULL)
    return FALSE;
  if (!resolve_geography (store, project->geography, n_geoids > 0, &geography_id, error))
    return FALSE;
  if (n_geoids == 0)
    area_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  else if (!resolve_areas (store, geography_id, geoids, n_geoids, &area_ids, error))
    return FALSE;

  if (!tw_store_begin (store, error))
    return FALSE;
  if (project->geography == NULL && geography_id > 0)
    {
      sqlite3_stmt *stmt = tw_store_prepare (store, "UPDATE project SET geography_id = ?2 "
                                                    "WHERE id = ?1", error);
      int rc;

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, project_id);
      sqlite3_bind_int64 (stmt, 2, geography_id);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          tw_store_set_sql_error (store, error, "storing a project's geography");
          goto fail;
        }
    }
  if (!write_areas (store, project_id, area_ids, error))
    goto fail;
  if (!audit (store, "project.set-areas", project_id, "%u areas", area_ids->len))
    {
      tw_store_set_sql_error (store, error, "writing the audit log");
      goto fail;
    }
  return tw_store_commit (store, error);

fail:
  tw_store_rollback (store);
  return FALSE;
}

gint64
tw_project_add_milestone (TwStore            *store,
                          gint64              project_id,
                          const TwMilestone  *milestone,
                          GError            **error)
{
  gint64 id;

  g_return_val_if_fail (store != NULL, -1);
  g_return_val_if_fail (milestone != NULL, -1);

  if (!project_exists (store, project_id, error) || !check_milestone (store, milestone, error))
    return -1;

  if (!tw_store_begin (store, error))
    return -1;
  id = insert_milestone (store, project_id, milestone, 0, error);
  if (id < 0)
    goto fail;
  if (!audit (store, "project.milestone.add", project_id, "milestone %" G_GINT64_FORMAT
              " '%s'", id, milestone->title))
    {
      tw_store_set_sql_error (store, error, "writing the audit log");
      goto fail;
    }
  if (!tw_store_commit (store, error))
    return -1;
  return id;

fail:
  tw_store_rollback (store);
  return -1;
}

static gint64
milestone_project (TwStore  *store,
                   gint64    milestone_id,
                   GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 project_id = -1;

  stmt = tw_store_prepare (store, "SELECT project_id FROM milestone WHERE id = ?1", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, milestone_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    project_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (project_id < 0)
    g_set_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_NOT_FOUND,
                 "%s: no milestone with id %" G_GINT64_FORMAT, tw_store_get_path (store),
                 milestone_id);
  return project_id;
}

gboolean
tw_project_update_milestone (TwStore            *store,
                             const TwMilestone  *milestone,
                             GError            **error)
{
  sqlite3_stmt *stmt;
  gint64 project_id;
  int rc;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (milestone != NULL, FALSE);

  project_id = milestone_project (store, milestone->id, error);
  if (project_id < 0 || !check_milestone (store, milestone, error))
    return FALSE;

  if (!tw_store_begin (store, error))
    return FALSE;
  stmt = tw_store_prepare (store, "UPDATE milestone SET title = ?2, due_date = ?3, "
                                  "done_date = ?4 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, milestone->id);
  sqlite3_bind_text (stmt, 2, milestone->title, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 3, milestone->due_date);
  bind_text_or_null (stmt, 4, milestone->done_date);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (store, error, "storing a milestone");
      goto fail;
    }
  if (!audit (store, "project.milestone.update", project_id, "milestone %" G_GINT64_FORMAT
              " '%s'", milestone->id, milestone->title))
    {
      tw_store_set_sql_error (store, error, "writing the audit log");
      goto fail;
    }
  return tw_store_commit (store, error);

fail:
  tw_store_rollback (store);
  return FALSE;
}

gboolean
tw_project_delete_milestone (TwStore  *store,
                             gint64    milestone_id,
                             GError  **error)
{
  gint64 project_id;

  g_return_val_if_fail (store != NULL, FALSE);

  project_id = milestone_project (store, milestone_id, error);
  if (project_id < 0)
    return FALSE;
  if (!tw_store_begin (store, error))
    return FALSE;
  if (!exec_with_id (store, "DELETE FROM milestone WHERE id = ?1", milestone_id,
                     "deleting a milestone", error))
    goto fail;
  if (!audit (store, "project.milestone.delete", project_id, "milestone %" G_GINT64_FORMAT,
              milestone_id))
    {
      tw_store_set_sql_error (store, error, "writing the audit log");
      goto fail;
    }
  return tw_store_commit (store, error);

fail:
  tw_store_rollback (store);
  return FALSE;
}

gint64
tw_project_add_comment (TwStore     *store,
                        gint64       project_id,
                        const char  *author,
                        const char  *body,
                        const char  *geoid,
                        GError     **error)
{
  g_autoptr(TwProject) project = NULL;
  g_autoptr(GArray) area_ids = NULL;
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  g_return_val_if_fail (store != NULL, -1);

  project = tw_project_get (store, project_id, error);
  if (project == NULL)
    return -1;
  if (is_blank (body))
    {
      g_set_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_INVALID,
                   "%s: a comment needs some text", tw_store_get_path (store));
      return -1;
    }
  if (!is_blank (geoid))
    {
      const char *geoids[] = { geoid, NULL };
      gint64 geography_id = 0;

      if (!resolve_geography (store, project->geography, TRUE, &geography_id, error)
          || !resolve_areas (store, geography_id, geoids, 1, &area_ids, error))
        return -1;
    }

  if (!tw_store_begin (store, error))
    return -1;
  stmt = tw_store_prepare (store, "INSERT INTO comment (project_id, area_id, author, body) "
                                  "VALUES (?1, ?2, ?3, ?4)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, project_id);
  bind_id_or_null (stmt, 2, area_ids ? g_array_index (area_ids, gint64, 0) : 0);
  bind_text_or_null (stmt, 3, author);
  sqlite3_bind_text (stmt, 4, body, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (store, error, "storing a comment");
      goto fail;
    }
  id = sqlite3_last_insert_rowid (tw_store_get_db (store));
  if (!audit (store, "project.comment.add", project_id, "comment %" G_GINT64_FORMAT, id))
    {
      tw_store_set_sql_error (store, error, "writing the audit log");
      goto fail;
    }
  if (!tw_store_commit (store, error))
    return -1;
  return id;

fail:
  tw_store_rollback (store);
  return -1;
}

gboolean
tw_project_delete_comment (TwStore  *store,
                           gint64    comment_id,
                           GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 project_id = -1;

  g_return_val_if_fail (store != NULL, FALSE);

  stmt = tw_store_prepare (store, "SELECT project_id FROM comment WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, comment_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    project_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (project_id < 0)
    {
      g_set_error (error, TW_PROJECT_ERROR, TW_PROJECT_ERROR_NOT_FOUND,
                   "%s: no comment with id %" G_GINT64_FORMAT, tw_store_get_path (store),
                   comment_id);
      return FALSE;
    }

  if (!tw_store_begin (store, error))
    return FALSE;
  if (!exec_with_id (store, "DELETE FROM comment WHERE id = ?1", comment_id,
                     "deleting a comment", error))
    goto fail;
  if (!audit (store, "project.comment.delete", project_id, "comment %" G_GINT64_FORMAT,
              comment_id))
    {
      tw_store_set_sql_error (store, error, "writing the audit log");
      goto fail;
    }
  return tw_store_commit (store, error);

fail:
  tw_store_rollback (store);
  return FALSE;
}

gboolean
tw_project_delete (TwStore     *store,
                   gint64       id,
                   TwProject  **deleted,
                   GError     **error)
{
  g_autoptr(TwProject) project = NULL;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (deleted == NULL || *deleted == NULL, FALSE);

  project = tw_project_get (store, id, error);
  if (project == NULL)
    return FALSE;

  if (!tw_store_begin (store, error))
    return FALSE;
  /* Partners, areas, milestones and comments go with it (ON DELETE CASCADE). */
  if (!exec_with_id (store, "DELETE FROM project WHERE id = ?1", id, "deleting a project",
                     error))
    goto fail;
  if (!audit (store, "project.delete", id, "'%s'", project->title))
    {
      tw_store_set_sql_error (store, error, "writing the audit log");
      goto fail;
    }
  if (!tw_store_commit (store, error))
    return FALSE;

  if (deleted != NULL)
    *deleted = g_steal_pointer (&project);
  return TRUE;

fail:
  tw_store_rollback (store);
  return FALSE;
}
