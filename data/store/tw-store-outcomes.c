/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-store-outcomes"

#include <math.h>
#include <string.h>

#include "tw-store-outcomes.h"
#include "tw-store-private.h"

/* Cancellation is looked at once every this many rows: often enough to stop a national
 * scan within milliseconds, rarely enough to cost nothing. */
#define CANCEL_CHECK_MASK 0xffff

gboolean
tw_store_get_measure (TwStore         *self,
                      gint64           measure_id,
                      TwStoreMeasure  *measure,
                      GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (measure != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (measure, 0, sizeof *measure);
  stmt = tw_store_prepare (self,
                           "SELECT code, label, kind, multiplier, higher_is_worse "
                           "FROM measure WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, measure_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      measure->code = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      measure->label = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      measure->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      measure->multiplier = sqlite3_column_double (stmt, 3);
      measure->higher_is_worse = sqlite3_column_int (stmt, 4) != 0;
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                   "%s: no measure with id %" G_GINT64_FORMAT, tw_store_get_path (self),
                   measure_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return tw_store_set_sql_error (self, error, "reading a measure");
  return TRUE;
}

void
tw_store_measure_clear (TwStoreMeasure *measure)
{
  g_return_if_fail (measure != NULL);

  g_clear_pointer (&measure->code, g_free);
  g_clear_pointer (&measure->label, g_free);
  g_clear_pointer (&measure->kind, g_free);
}

gboolean
tw_store_foreach_geoid (TwStore           *self,
                        gint64             geography_id,
                        TwStoreGeoidFunc   func,
                        gpointer           user_data,
                        GError           **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (geography_id > 0)
    {
      stmt = tw_store_prepare (self, "SELECT id, geoid FROM area WHERE geography_id = ?1",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, geography_id);
    }
  else
    {
      stmt = tw_store_prepare (self, "SELECT id, geoid FROM area WHERE geography_id IS NOT NULL",
                               error);
      if (stmt == NULL)
        return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func (sqlite3_column_int64 (stmt, 0), (const char *) sqlite3_column_text (stmt, 1),
          user_data);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (self, error, "reading areas");
  return TRUE;
}

static double
column_number (sqlite3_stmt *stmt,
               int           column)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL
         ? NAN : sqlite3_column_double (stmt, column);
}

/* Steps @stmt, whose columns are stratum, area id, age group, numerator and denominator,
 * bound to @measure_id and @period, handing each row to @func. Only when @nullable are the
 * counts looked at for NULL (as NAN): outcome_value's never are, and asking costs 5% of a
 * national rate table. */
static gboolean
scan_outcomes (TwStore             *self,
               sqlite3_stmt        *stmt,
               gint64               measure_id,
               const char          *period,
               gboolean             nullable,
               TwStoreOutcomeFunc   func,
               gpointer             user_data,
               GCancellable        *cancellable,
               const char          *what,
               GError             **error)
{
  guint n_read = 0;
  int rc;

  sqlite3_bind_int64 (stmt, 1, measure_id);
  sqlite3_bind_text (stmt, 2, period, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TwStoreOutcome outcome;
      const char *age_group = (const char *) sqlite3_column_text (stmt, 2);

      if ((++n_read & CANCEL_CHECK_MASK) == 0
          && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
      outcome.stratum = (const char *) sqlite3_column_text (stmt, 0);
      outcome.area_id = sqlite3_column_int64 (stmt, 1);
      outcome.age_group = age_group != NULL ? age_group : "";
      outcome.numerator = nullable ? column_number (stmt, 3)
                                   : sqlite3_column_double (stmt, 3);
      outcome.denominator = nullable ? column_number (stmt, 4)
                                     : sqlite3_column_double (stmt, 4);
      func (&outcome, user_data);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (self, error, what);
  return TRUE;
}

gboolean
tw_store_foreach_outcome (TwStore             *self,
                          gint64               measure_id,
                          const char          *period,
                          TwStoreOutcomeFunc   func,
                          gpointer             user_data,
                          GCancellable        *cancellable,
                          GError             **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (period != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  stmt = tw_store_prepare (self,
                           /* Along the primary key, which keeps each stratum's rows
                            * together and in area order: ordering by the labels instead
                            * would sort half a million rows for the nation. */
                           "SELECT s.label, v.area_id, g.label, v.numerator, v.denominator "
                           "FROM outcome_value v "
                           "JOIN stratum s ON s.id = v.stratum_id "
                           "JOIN age_group g ON g.id = v.age_group_id "
                           "WHERE v.measure_id = ?1 "
                           "  AND v.period_id = (SELECT id FROM period WHERE label = ?2) "
                           "ORDER BY v.measure_id, v.period_id, v.stratum_id, v.area_id, "
                           "  v.age_group_id", error);
  if (stmt == NULL)
    return FALSE;
  return scan_outcomes (self, stmt, measure_id, period, FALSE, func, user_data, cancellable,
                        "reading outcomes", error);
}

gboolean
tw_store_foreach_withheld_outcome (TwStore             *self,
                                   gint64               measure_id,
                                   const char          *period,
                                   TwStoreOutcomeFunc   func,
                                   gpointer             user_data,
                                   GError             **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (period != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  /* No numerator: the package never held one. */
  stmt = tw_store_prepare (self,
                           "SELECT s.label, w.area_id, '', NULL, w.denominator "
                           "FROM outcome_withheld w "
                           "JOIN stratum s ON s.id = w.stratum_id "
                           "WHERE w.measure_id = ?1 "
                           "  AND w.period_id = (SELECT id FROM period WHERE label = ?2)", error);
  if (stmt == NULL)
    return FALSE;
  return scan_outcomes (self, stmt, measure_id, period, TRUE, func, user_data, NULL,
                        "reading withheld outcomes", error);
}

GStrv
tw_store_list_geography_periods (TwStore     *self,
                                 gint64       measure_id,
                                 gint64       geography_id,
                                 const char  *stratum,
                                 gboolean    *has_stratum,
                                 GError     **error)
{
  g_autoptr(GStrvBuilder) periods = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (stratum != NULL, NULL);

  stmt = tw_store_prepare (self,
                           "SELECT o.period, max (o.stratum = ?3) FROM outcome o "
                           "JOIN area a ON a.id = o.area_id "
                           "WHERE o.measure_id = ?1 AND a.geography_id = ?2 GROUP BY o.period",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, measure_id);
  sqlite3_bind_int64 (stmt, 2, geography_id);
  sqlite3_bind_text (stmt, 3, stratum, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_strv_builder_add (periods, (const char *) sqlite3_column_text (stmt, 0));
      if (sqlite3_column_int (stmt, 1))
        found = TRUE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (self, error, "reading outcomes");
      return NULL;
    }
  if (has_stratum != NULL)
    *has_stratum = found;
  return g_strv_builder_end (periods);
}
