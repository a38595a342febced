/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tw-cli-private.h"
#include "tw-disparity.h"
#include "tw-rates.h"
#include "tw-suppression.h"

/* One stratum of one area: its counts (crude, and by age group when the data has them)
 * and what the policy decided. */
typedef struct
{
  char              *stratum;
  double             numerator;
  double             denominator;
  gboolean           has_unsplit;        /* a row with an empty age_group */
  double             age_numerator[TW_N_AGE_GROUPS];
  double             age_denominator[TW_N_AGE_GROUPS];
  gboolean           age_present[TW_N_AGE_GROUPS];
  double             age_sum_numerator;  /* over age rows, for data without an unsplit row */
  double             age_sum_denominator;
  gboolean           has_age;
  char              *unknown_age_group;  /* the first label not among the 11 */
  TwSuppressionCell  cell;
  TwRateEstimate     estimate;
  GStrv              missing_age_groups;
} StratumCell;

typedef struct
{
  gint64     area_id;
  char      *geoid;
  GPtrArray *cells;   /* StratumCell *, "all" first */
} AreaTable;

typedef struct
{
  TwRateKind           kind;
  double               multiplier;
  TwSuppressionPolicy  policy;
  GPtrArray           *areas;    /* AreaTable * */
  GPtrArray           *strata;   /* char *, "all" first, then sorted */
} OutcomeTable;

static void
stratum_cell_free (gpointer data)
{
  StratumCell *cell = data;

  g_free (cell->stratum);
  g_free (cell->unknown_age_group);
  g_strfreev (cell->missing_age_groups);
  g_free (cell);
}

static void
area_table_free (gpointer data)
{
  AreaTable *area = data;

  g_free (area->geoid);
  g_ptr_array_unref (area->cells);
  g_free (area);
}

static void
outcome_table_free (OutcomeTable *table)
{
  g_clear_pointer (&table->areas, g_ptr_array_unref);
  g_clear_pointer (&table->strata, g_ptr_array_unref);
  g_free (table);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OutcomeTable, outcome_table_free)

static StratumCell *
area_find_cell (AreaTable  *area,
                const char *stratum)
{
  for (guint i = 0; i < area->cells->len; i++)
    {
      StratumCell *cell = g_ptr_array_index (area->cells, i);

      if (g_str_equal (cell->stratum, stratum))
        return cell;
    }
  return NULL;
}

static gboolean
strv_contains_ptr (GPtrArray  *strings,
                   const char *value)
{
  for (guint i = 0; i < strings->len; i++)
    if (g_str_equal (g_ptr_array_index (strings, i), value))
      return TRUE;
  return FALSE;
}

static char *
join_ptr_array (GPtrArray *strings)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < strings->len; i++)
    {
      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, g_ptr_array_index (strings, i));
    }
  if (strings->len == 0)
    g_string_append (text, "none");
  return g_string_free (text, FALSE);
}

/* The distinct values of one column for a measure, in SQL order. */
static GPtrArray *
measure_values (TwStore     *store,
                const char  *sql,
                gint64       measure_id,
                GError     **error)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = tw_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, measure_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (values, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (store, error, "reading outcomes");
      return NULL;
    }
  return g_steal_pointer (&values);
}

/* Reads a measure's outcomes for one period, grouped by area, and applies the policy. */
static OutcomeTable *
outcome_table_load (TwStore     *store,
                    const char  *measure,
                    const char  *period,
                    GError     **error)
{
  g_autoptr(OutcomeTable) table = g_new0 (OutcomeTable, 1);
  g_autoptr(GPtrArray) periods = NULL;
  g_autofree char *kind = NULL;
  AreaTable *area = NULL;
  sqlite3_stmt *stmt;
  gint64 measure_id;
  int rc;

  measure_id = tw_store_resolve_measure (store, measure, error);
  if (measure_id < 0)
    return NULL;

  if (!tw_suppression_policy_load (&table->policy, store, error))
    return NULL;

  stmt = tw_store_prepare (store, "SELECT kind, multiplier FROM measure WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, measure_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      kind = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      table->multiplier = sqlite3_column_double (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (!tw_rate_kind_from_string (kind, &table->kind))
    {
      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                   "%s: measure '%s' has kind '%s'; it must be rate or proportion",
                   tw_store_get_path (store), measure, kind ? kind : "(none)");
      return NULL;
    }

  periods = measure_values (store,
                            "SELECT DISTINCT period FROM outcome WHERE measure_id = ?1 "
                            "ORDER BY period", measure_id, error);
  if (periods == NULL)
    return NULL;
  if (!strv_contains_ptr (periods, period))
    {
      g_autofree char *list = join_ptr_array (periods);

      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                   "%s: measure '%s' has no period '%s' (there are: %s); give one of those "
                   "with --period", tw_store_get_path (store), measure, period, list);
      return NULL;
    }

  table->strata = measure_values (store,
                                  "SELECT DISTINCT stratum FROM outcome WHERE measure_id = ?1 "
                                  "ORDER BY stratum <> 'all', stratum", measure_id, error);
  if (table->strata == NULL)
    return NULL;
  table->areas = g_ptr_array_new_with_free_func (area_table_free);

  stmt = tw_store_prepare (store,
                           "SELECT o.area_id, a.geoid, o.stratum, o.age_group, o.numerator, "
                           "       o.denominator "
                           "FROM outcome o JOIN area a ON a.id = o.area_id "
                           "WHERE o.measure_id = ?1 AND o.period = ?2 "
                           "ORDER BY a.geoid, o.area_id, o.stratum <> 'all', o.stratum",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, measure_id);
  sqlite3_bind_text (stmt, 2, period, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 area_id = sqlite3_column_int64 (stmt, 0);
      const char *stratum = (const char *) sqlite3_column_text (stmt, 2);
      const char *age_group = (const char *) sqlite3_column_text (stmt, 3);
      double numerator = sqlite3_column_double (stmt, 4);
      double denominator = sqlite3_column_double (stmt, 5);
      StratumCell *cell;

      if (area == NULL || area->area_id != area_id)
        {
          area = g_new0 (AreaTable, 1);
          area->area_id = area_id;
          area->geoid = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          area->cells = g_ptr_array_new_with_free_func (stratum_cell_free);
          g_ptr_array_add (table->areas, area);
        }

      cell = area_find_cell (area, stratum);
      if (cell == NULL)
        {
          cell = g_new0 (StratumCell, 1);
          cell->stratum = g_strdup (stratum);
          g_ptr_array_add (area->cells, cell);
        }

      if (age_group == NULL || age_group[0] == '\0')
        {
          cell->has_unsplit = TRUE;
          cell->numerator = numerator;
          cell->denominator = denominator;
        }
      else
        {
          int index = tw_age_group_index (age_group);

          cell->has_age = TRUE;
          cell->age_sum_numerator += numerator;
          cell->age_sum_denominator += denominator;
          if (index < 0)
            {
              if (cell->unknown_age_group == NULL)
                cell->unknown_age_group = g_strdup (age_group);
            }
          else
            {
              cell->age_present[index] = TRUE;
              cell->age_numerator[index] += numerator;
              cell->age_denominator[index] += denominator;
            }
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (store, error, "reading outcomes");
      return NULL;
    }

  /* The counts the policy judges: the unsplit row, or else the sum over age groups. */
  for (guint a = 0; a < table->areas->len; a++)
    {
      AreaTable *t = g_ptr_array_index (table->areas, a);
      g_autofree TwSuppressionCell *cells = g_new0 (TwSuppressionCell, t->cells->len);

      for (guint i = 0; i < t->cells->len; i++)
        {
          StratumCell *cell = g_ptr_array_index (t->cells, i);

          if (!cell->has_unsplit)
            {
              cell->numerator = cell->age_sum_numerator;
              cell->denominator = cell->age_sum_denominator;
            }
          cells[i].numerator = cell->numerator;
          cells[i].is_total = g_str_equal (cell->stratum, "all");
        }
      tw_suppression_apply_area (&table->policy, cells, t->cells->len);
      for (guint i = 0; i < t->cells->len; i++)
        ((StratumCell *) g_ptr_array_index (t->cells, i))->cell = cells[i];
    }

  return g_steal_pointer (&table);
}

/* Re-runs the area rules after rule 4 hid more cells; returns whether anything changed. */
static gboolean
outcome_table_complete (OutcomeTable *table)
{
  gboolean changed = FALSE;

  for (guint a = 0; a < table->areas->len; a++)
    {
      AreaTable *t = g_ptr_array_index (table->areas, a);
      g_autofree TwSuppressionCell *cells = g_new0 (TwSuppressionCell, t->cells->len);

      for (guint i = 0; i < t->cells->len; i++)
        cells[i] = ((StratumCell *) g_ptr_array_index (t->cells, i))->cell;
      tw_suppression_complete_area (&table->policy, cells, t->cells->len);
      for (guint i = 0; i < t->cells->len; i++)
        {
          StratumCell *cell = g_ptr_array_index (t->cells, i);

          changed |= cell->cell.reason != cells[i].reason;
          cell->cell = cells[i];
        }
    }
  return changed;
}

static gboolean
check_stratum (TwStore       *store,
               OutcomeTable  *table,
               const char    *stratum,
               const char    *option,
               GError       **error)
{
  g_autofree char *list = NULL;

  if (stratum == NULL || strv_contains_ptr (table->strata, stratum))
    return TRUE;
  list = join_ptr_array (table->strata);
  g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
               "%s: the outcomes have no stratum '%s' (there are: %s); give one of those "
               "with %s", tw_store_get_path (store), stratum, list, option);
  return FALSE;
}

static void
compute_crude (OutcomeTable *table)
{
  for (guint a = 0; a < table->areas->len; a++)
    {
      AreaTable *area = g_ptr_array_index (table->areas, a);

      for (guint i = 0; i < area->cells->len; i++)
        {
          StratumCell *cell = g_ptr_array_index (area->cells, i);

          cell->estimate = tw_rate_crude (table->kind, cell->numerator, cell->denominator,
                                          table->multiplier);
        }
    }
}

/* Age-adjusted rates; returns how many rows lack age groups, or -1 with @error for an
 * age-group label that is not one of the 11. */
static int
compute_age_adjusted (TwStore       *store,
                      OutcomeTable  *table,
                      GError       **error)
{
  int n_incomplete = 0;

  for (guint a = 0; a < table->areas->len; a++)
    {
      AreaTable *area = g_ptr_array_index (table->areas, a);

      for (guint i = 0; i < area->cells->len; i++)
        {
          StratumCell *cell = g_ptr_array_index (area->cells, i);
          g_autoptr(GError) local_error = NULL;

          if (cell->unknown_age_group != NULL)
            {
              g_autofree char *labels = g_strjoinv (", ", (GStrv) tw_age_group_labels ());

              g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                           "%s: area %s, stratum %s: age group '%s' is not one of the 11 NCHS "
                           "groups (%s); import the outcomes again with those labels",
                           tw_store_get_path (store), area->geoid, cell->stratum,
                           cell->unknown_age_group, labels);
              return -1;
            }
          if (!tw_rate_age_adjusted (cell->age_numerator, cell->age_denominator,
                                     cell->age_present, table->multiplier, &cell->estimate,
                                     &cell->missing_age_groups, &local_error))
            {
              if (!g_error_matches (local_error, TW_RATES_ERROR,
                                    TW_RATES_ERROR_MISSING_AGE_GROUPS))
                {
                  g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                               "%s: area %s, stratum %s: %s", tw_store_get_path (store),
                               area->geoid, cell->stratum, local_error->message);
                  return -1;
                }
              if (n_incomplete == 0)
                fprintf (stderr, "tractwise-cli: warning: area %s, stratum %s: %s\n",
                         area->geoid, cell->stratum, local_error->message);
              n_incomplete++;
            }
        }
    }
  return n_incomplete;
}

/* Global EB per stratum over the areas with a population; then rule 4 of the policy. */
static void
compute_eb (OutcomeTable *table)
{
  for (guint s = 0; s < table->strata->len; s++)
    {
      const char *stratum = g_ptr_array_index (table->strata, s);
      g_autoptr(GPtrArray) members = g_ptr_array_new ();
      g_autofree double *y = NULL, *n = NULL, *est = NULL;
      double a = 0.0, b = 0.0, sum_y = 0.0, sum_n = 0.0;

      for (guint i = 0; i < table->areas->len; i++)
        {
          StratumCell *cell = area_find_cell (g_ptr_array_index (table->areas, i), stratum);

          if (cell != NULL)
            {
              cell->estimate.rate = cell->estimate.lower = cell->estimate.upper = NAN;
              if (cell->denominator > 0.0)
                g_ptr_array_add (members, cell);
            }
        }
      if (members->len == 0)
        continue;

      y = g_new (double, members->len);
      n = g_new (double, members->len);
      est = g_new (double, members->len);
      for (guint i = 0; i < members->len; i++)
        {
          StratumCell *cell = g_ptr_array_index (members, i);

          y[i] = cell->numerator;
          n[i] = cell->denominator;
          sum_y += y[i];
          sum_n += n[i];
        }
      if (!tw_rate_eb_global (y, n, members->len, est, &b, &a, NULL))
        continue;

      for (guint i = 0; i < members->len; i++)
        {
          StratumCell *cell = g_ptr_array_index (members, i);

          cell->estimate.rate = est[i] * table->multiplier;
          tw_rate_eb_interval (y[i], n[i], b, a, sum_y, sum_n,
                               &cell->estimate.lower, &cell->estimate.upper);
          cell->estimate.lower *= table->multiplier;
          cell->estimate.upper *= table->multiplier;
        }
    }

  /* Rule 4: the smoothing parameters pool every area of a stratum. Hide the smallest
   * shown areas until each pool is safe, re-run the area rules, repeat until stable. */
  for (gboolean changed = TRUE; changed;)
    {
      changed = FALSE;
      for (guint s = 0; s < table->strata->len; s++)
        {
          const char *stratum = g_ptr_array_index (table->strata, s);
          g_autoptr(GArray) cells = g_array_new (FALSE, TRUE, sizeof (TwSuppressionCell));
          g_autoptr(GPtrArray) members = g_ptr_array_new ();

          for (guint i = 0; i < table->areas->len; i++)
            {
              StratumCell *cell = area_find_cell (g_ptr_array_index (table->areas, i),
                                                  stratum);

              if (cell != NULL && cell->denominator > 0.0)
                {
                  g_ptr_array_add (members, cell);
                  g_array_append_val (cells, cell->cell);
                }
            }
          if (tw_suppression_apply_pool (&table->policy, (TwSuppressionCell *) cells->data,
                                         cells->len, 3) > 0)
            {
              for (guint i = 0; i < members->len; i++)
                ((StratumCell *) g_ptr_array_index (members, i))->cell =
                  g_array_index (cells, TwSuppressionCell, i);
              changed = TRUE;
            }
        }
      if (outcome_table_complete (table))
        changed = TRUE;
    }
}

static gboolean
is_suppressed (const StratumCell *cell)
{
  return cell->cell.reason != TW_SUPPRESSION_SHOWN;
}

static void
print_reveal_banner (void)
{
  fprintf (stderr, "tractwise-cli: analyst view: suppressed figures are shown; this output "
                   "must not leave your screen\n");
}

int
tw_cli_policy (int    argc,
               char **argv)
{
  g_autofree char *preset = NULL;
  int min_count = 0;
  gboolean min_count_given;
  const GOptionEntry entries[] = {
    { "preset", 0, 0, G_OPTION_ARG_STRING, &preset, "cms (11), wonder (10) or uscs (16)", "NAME" },
    { "min-count", 0, 0, G_OPTION_ARG_INT, &min_count, "A custom smallest count that may be shown (at least 1)", "K" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  TwSuppressionPolicy policy, wanted;
  JsonBuilder *builder;
  int status = TW_CLI_OK;

  /* GOption writes only what is given: G_MININT marks an absent --min-count. */
  min_count = G_MININT;
  if (!tw_cli_parse (&argc, &argv, "PROJECT",
                     "Show or set the project's suppression policy: counts from 1 to K − 1, "
                     "and every figure computed from them, are never shown.", entries, 1))
    return TW_CLI_BAD_INPUT;
  min_count_given = min_count != G_MININT;

  /* Check the options before the project is even opened. */
  tw_suppression_policy_init (&wanted);
  if (preset != NULL && min_count_given)
    return tw_cli_bad_input ("policy: give either --preset or --min-count, not both");
  if (preset != NULL && !tw_suppression_policy_set_preset (&wanted, preset, &error))
    return tw_cli_fail (error);
  if (min_count_given && !tw_suppression_policy_set_min_count (&wanted, min_count, &error))
    return tw_cli_fail (error);

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;

  if (preset != NULL || min_count_given)
    {
      if (!tw_suppression_policy_save (&wanted, store, &error))
        return tw_cli_fail (error);
    }
  if (!tw_suppression_policy_load (&policy, store, &error))
    return tw_cli_fail (error);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "min_count");
  json_builder_add_int_value (builder, policy.min_count);
  json_builder_set_member_name (builder, "preset");
  json_builder_add_string_value (builder, tw_suppression_preset_to_string (policy.preset));
  json_builder_set_member_name (builder, "complementary");
  json_builder_add_boolean_value (builder, policy.complementary);
  json_builder_set_member_name (builder, "unstable_below");
  json_builder_add_int_value (builder, policy.unstable_below);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

int
tw_cli_rates (int    argc,
              char **argv)
{
  g_autofree char *measure = NULL, *period = NULL, *stratum = NULL, *smooth = NULL;
  gboolean age_adjust = FALSE, reveal = FALSE, eb;
  const GOptionEntry entries[] = {
    { "measure", 0, 0, G_OPTION_ARG_STRING, &measure, "Measure code (required)", "M" },
    { "period", 0, 0, G_OPTION_ARG_STRING, &period, "Period (required)", "P" },
    { "stratum", 0, 0, G_OPTION_ARG_STRING, &stratum, "Only this group (default: every group)", "S" },
    { "smooth", 0, 0, G_OPTION_ARG_STRING, &smooth, "none (default) or eb: global Empirical Bayes", "METHOD" },
    { "age-adjust", 0, 0, G_OPTION_ARG_NONE, &age_adjust, "Age-adjust to the US 2000 standard population", NULL },
    { "reveal", 0, 0, G_OPTION_ARG_NONE, &reveal, "Analyst view: show suppressed figures (stdout only)", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(OutcomeTable) table = NULL;
  JsonBuilder *builder;
  int status = TW_CLI_OK, n_incomplete = 0;

  if (!tw_cli_parse (&argc, &argv, "PROJECT",
                     "Rates per area and group with 95% intervals (Wilson for proportions, "
                     "exact Poisson for rates), under the project's suppression policy.",
                     entries, 1))
    return TW_CLI_BAD_INPUT;

  if (measure == NULL || period == NULL)
    return tw_cli_bad_input ("rates: --measure and --period are required");
  if (smooth != NULL && !g_str_equal (smooth, "none") && !g_str_equal (smooth, "eb"))
    return tw_cli_bad_input ("rates: unknown --smooth '%s'; use none or eb", smooth);
  eb = smooth != NULL && g_str_equal (smooth, "eb");
  if (eb && age_adjust)
    return tw_cli_bad_input ("rates: --smooth eb and --age-adjust cannot be combined; "
                             "smooth crude rates or age-adjust, not both");

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;

  table = outcome_table_load (store, measure, period, &error);
  if (table == NULL || !check_stratum (store, table, stratum, "--stratum", &error))
    return tw_cli_fail (error);

  if (age_adjust)
    {
      n_incomplete = compute_age_adjusted (store, table, &error);
      if (n_incomplete < 0)
        return tw_cli_fail (error);
    }
  else if (eb)
    compute_eb (table);
  else
    compute_crude (table);

  if (reveal)
    print_reveal_banner ();
  if (n_incomplete > 1)
    fprintf (stderr, "tractwise-cli: warning: %d rows in all lack age groups; their rates are "
                     "null and missing_age_groups names the groups\n", n_incomplete);

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint a = 0; a < table->areas->len; a++)
    {
      AreaTable *area = g_ptr_array_index (table->areas, a);

      for (guint i = 0; i < area->cells->len; i++)
        {
          StratumCell *cell = g_ptr_array_index (area->cells, i);
          gboolean hide = is_suppressed (cell) && !reveal;

          if (stratum != NULL && !g_str_equal (stratum, cell->stratum))
            continue;

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "geoid");
          json_builder_add_string_value (builder, area->geoid);
          json_builder_set_member_name (builder, "stratum");
          json_builder_add_string_value (builder, cell->stratum);
          tw_cli_add_number (builder, "numerator", hide ? NAN : cell->numerator);
          tw_cli_add_number (builder, "denominator", cell->denominator);
          tw_cli_add_number (builder, "rate", hide ? NAN : cell->estimate.rate);
          tw_cli_add_number (builder, "lower", hide ? NAN : cell->estimate.lower);
          tw_cli_add_number (builder, "upper", hide ? NAN : cell->estimate.upper);
          json_builder_set_member_name (builder, "suppressed");
          json_builder_add_boolean_value (builder, is_suppressed (cell));
          json_builder_set_member_name (builder, "unstable");
          json_builder_add_boolean_value (builder,
                                          reveal ? cell->numerator < table->policy.unstable_below
                                                 : cell->cell.unstable);
          if (cell->missing_age_groups != NULL)
            {
              json_builder_set_member_name (builder, "missing_age_groups");
              json_builder_begin_array (builder);
              for (guint g = 0; cell->missing_age_groups[g] != NULL; g++)
                json_builder_add_string_value (builder, cell->missing_age_groups[g]);
              json_builder_end_array (builder);
            }
          json_builder_end_object (builder);
        }
    }
  json_builder_end_array (builder);
  return tw_cli_print_builder (builder);
}

int
tw_cli_disparities (int    argc,
                    char **argv)
{
  g_autofree char *measure = NULL, *period = NULL, *reference = NULL;
  gboolean reveal = FALSE;
  const GOptionEntry entries[] = {
    { "measure", 0, 0, G_OPTION_ARG_STRING, &measure, "Measure code (required)", "M" },
    { "period", 0, 0, G_OPTION_ARG_STRING, &period, "Period (required)", "P" },
    { "reference", 0, 0, G_OPTION_ARG_STRING, &reference, "Reference group (default: all)", "S" },
    { "reveal", 0, 0, G_OPTION_ARG_NONE, &reveal, "Analyst view: show suppressed figures (stdout only)", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(OutcomeTable) table = NULL;
  g_autofree TwSuppressionCell *region_cells = NULL;
  g_autofree double *region_x = NULL, *region_n = NULL;
  g_autofree gboolean *region_pool_safe = NULL;
  double total_x = 0.0, total_n = 0.0;
  const char *ref;
  JsonBuilder *builder;
  int status = TW_CLI_OK;
  guint n_strata;

  if (!tw_cli_parse (&argc, &argv, "PROJECT",
                     "Rate ratios and differences of each group against a reference group, "
                     "per area, and each group's share of events and of the denominator.",
                     entries, 1))
    return TW_CLI_BAD_INPUT;
  if (measure == NULL || period == NULL)
    return tw_cli_bad_input ("disparities: --measure and --period are required");
  ref = reference != NULL ? reference : "all";

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;

  table = outcome_table_load (store, measure, period, &error);
  if (table == NULL || !check_stratum (store, table, ref, "--reference", &error))
    return tw_cli_fail (error);
  compute_crude (table);

  /* The region: one table of strata, judged like an area, plus rule 4 per stratum. */
  n_strata = table->strata->len;
  region_cells = g_new0 (TwSuppressionCell, n_strata);
  region_x = g_new0 (double, n_strata);
  region_n = g_new0 (double, n_strata);
  region_pool_safe = g_new0 (gboolean, n_strata);
  for (guint s = 0; s < n_strata; s++)
    {
      const char *stratum = g_ptr_array_index (table->strata, s);
      g_autoptr(GArray) pool = g_array_new (FALSE, TRUE, sizeof (TwSuppressionCell));

      for (guint a = 0; a < table->areas->len; a++)
        {
          StratumCell *cell = area_find_cell (g_ptr_array_index (table->areas, a), stratum);

          if (cell == NULL)
            continue;
          region_x[s] += cell->numerator;
          region_n[s] += cell->denominator;
          g_array_append_val (pool, cell->cell);
        }
      region_cells[s].numerator = region_x[s];
      region_cells[s].is_total = g_str_equal (stratum, "all");
      region_pool_safe[s] = tw_suppression_pool_is_safe (&table->policy,
                                                         (TwSuppressionCell *) pool->data,
                                                         pool->len, 2);
    }
  tw_suppression_apply_area (&table->policy, region_cells, n_strata);

  if (strv_contains_ptr (table->strata, "all"))
    {
      total_x = region_x[0];
      total_n = region_n[0];
    }
  else
    for (guint s = 0; s < n_strata; s++)
      {
        total_x += region_x[s];
        total_n += region_n[s];
      }

  if (reveal)
    print_reveal_banner ();

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "areas");
  json_builder_begin_array (builder);
  for (guint a = 0; a < table->areas->len; a++)
    {
      AreaTable *area = g_ptr_array_index (table->areas, a);
      StratumCell *ref_cell = area_find_cell (area, ref);

      for (guint i = 0; i < area->cells->len; i++)
        {
          StratumCell *cell = g_ptr_array_index (area->cells, i);
          TwDisparity d = { NAN, NAN, NAN, NAN, NAN, NAN };
          gboolean hide_rate = is_suppressed (cell) && !reveal;
          gboolean hide_comparison = hide_rate
                                     || (ref_cell != NULL && is_suppressed (ref_cell) && !reveal);

          if (cell == ref_cell)
            {
              /* The reference against itself: no interval to speak of. */
              d.ratio = cell->estimate.rate > 0.0 ? 1.0 : NAN;
              d.difference = isnan (cell->estimate.rate) ? NAN : 0.0;
            }
          else if (ref_cell != NULL)
            tw_disparity_compare (table->kind, cell->numerator, cell->denominator,
                                  ref_cell->numerator, ref_cell->denominator,
                                  g_str_equal (ref, "all") && cell != ref_cell,
                                  table->multiplier, &d);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "geoid");
          json_builder_add_string_value (builder, area->geoid);
          json_builder_set_member_name (builder, "stratum");
          json_builder_add_string_value (builder, cell->stratum);
          tw_cli_add_number (builder, "rate", hide_rate ? NAN : cell->estimate.rate);
          tw_cli_add_number (builder, "ratio", hide_comparison ? NAN : d.ratio);
          tw_cli_add_number (builder, "ratio_lower", hide_comparison ? NAN : d.ratio_lower);
          tw_cli_add_number (builder, "ratio_upper", hide_comparison ? NAN : d.ratio_upper);
          tw_cli_add_number (builder, "difference", hide_comparison ? NAN : d.difference);
          tw_cli_add_number (builder, "difference_lower",
                             hide_comparison ? NAN : d.difference_lower);
          tw_cli_add_number (builder, "difference_upper",
                             hide_comparison ? NAN : d.difference_upper);
          json_builder_set_member_name (builder, "suppressed");
          json_builder_add_boolean_value (builder, is_suppressed (cell));
          json_builder_end_object (builder);
        }
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "region");
  json_builder_begin_array (builder);
  for (guint s = 0; s < n_strata; s++)
    {
      double share_x, share_n;
      gboolean hide = !reveal && (region_cells[s].reason != TW_SUPPRESSION_SHOWN
                                  || !region_pool_safe[s]);

      tw_disparity_shares (region_x[s], region_n[s], total_x, total_n, &share_x, &share_n);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "stratum");
      json_builder_add_string_value (builder, g_ptr_array_index (table->strata, s));
      tw_cli_add_number (builder, "share_of_events", hide ? NAN : share_x);
      tw_cli_add_number (builder, "share_of_denominator", share_n);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}
