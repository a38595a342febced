/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-evaluation"

#include <math.h>
#include <string.h>

#include "tw-evaluation.h"
#include "tw-store-catalog.h"
#include "tw-store-evaluation.h"
#include "tw-store-outcomes.h"
#include "tw-project.h"
#include "tw-rate-table.h"

G_DEFINE_QUARK (tw-evaluation-error-quark, tw_evaluation_error)

#define Z_95 1.959963984540054

enum { TARGET, COMPARISON, N_ROLES };

/* What the rate table holds for one area's cell of the project's group in one period. */
typedef enum
{
  CELL_NONE,       /* no row */
  CELL_SHOWN,      /* published */
  CELL_HIDDEN,     /* suppressed: pooled only in the analyst view */
  CELL_WITHHELD,   /* no count at all (NAN): never pooled */
} CellState;

/* One area's cells, period by period (as self->periods). */
typedef struct
{
  gint64     area_id;
  int        role;
  double    *numerator;
  double    *denominator;
  CellState *state;
  gboolean   in_panel;
  gboolean   left_out;   /* out of the panel because of a hidden cell */
} AreaCells;

/* A pool being summed. */
typedef struct
{
  double numerator;
  double denominator;
  guint  n_areas;
  guint  n_left_out;
  guint  n_hidden;     /* hidden cells pooled (analyst view only) */
} Sum;

typedef struct
{
  TwStore      *store;
  TwEvaluation *result;
  GHashTable   *roles;        /* area id → role + 1 */
  gboolean      all_others;   /* every area not a target is a comparison area */
  GPtrArray    *periods;      /* char *, the measure's periods in the geography, by year */
  GHashTable   *period_index; /* period → index + 1 */
  GHashTable   *areas;        /* area id → AreaCells *, the areas with a role and a row */
  GPtrArray    *area_list;    /* the same by area id: pools sum in one order, whatever the
                               * other areas chosen */
} Evaluator;

static void
area_cells_free (gpointer data)
{
  AreaCells *cells = data;

  g_free (cells->numerator);
  g_free (cells->denominator);
  g_free (cells->state);
  g_free (cells);
}

static void
point_free (gpointer data)
{
  TwEvaluationPoint *point = data;

  g_free (point->period);
  g_free (point);
}

void
tw_evaluation_free (TwEvaluation *evaluation)
{
  if (evaluation == NULL)
    return;
  g_free (evaluation->measure);
  g_free (evaluation->stratum);
  g_free (evaluation->start_date);
  g_strfreev (evaluation->before);
  g_strfreev (evaluation->after);
  g_clear_pointer (&evaluation->trend, g_ptr_array_unref);
  g_free (evaluation);
}

static void
evaluator_clear (Evaluator *self)
{
  g_clear_pointer (&self->area_list, g_ptr_array_unref);
  g_clear_pointer (&self->areas, g_hash_table_unref);
  g_clear_pointer (&self->roles, g_hash_table_unref);
  g_clear_pointer (&self->periods, g_ptr_array_unref);
  g_clear_pointer (&self->period_index, g_hash_table_unref);
  g_clear_pointer (&self->result, tw_evaluation_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Evaluator, evaluator_clear)

gboolean
tw_period_parse_years (const char *period,
                       int        *first_year,
                       int        *last_year)
{
  const char *p = period;
  int first, last;

  g_return_val_if_fail (first_year != NULL && last_year != NULL, FALSE);

  if (period == NULL)
    return FALSE;
  while (g_ascii_isspace (*p))
    p++;
  for (int i = 0; i < 4; i++)
    if (!g_ascii_isdigit (p[i]))
      return FALSE;
  first = last = (int) g_ascii_strtoll (p, NULL, 10);
  p += 4;
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0')
    {
      if (*p == '-' || *p == '/')
        p++;
      else if (g_str_has_prefix (p, "\u2013"))
        p += strlen ("\u2013");
      else
        return FALSE;
      while (g_ascii_isspace (*p))
        p++;
      for (int i = 0; i < 4; i++)
        if (!g_ascii_isdigit (p[i]))
          return FALSE;
      last = (int) g_ascii_strtoll (p, NULL, 10);
      p += 4;
      while (g_ascii_isspace (*p))
        p++;
      if (*p != '\0' || last < first)
        return FALSE;
    }
  if (first < 1)
    return FALSE;
  *first_year = first;
  *last_year = last;
  return TRUE;
}

static int
compare_periods (gconstpointer a,
                 gconstpointer b)
{
  const char *pa = *(const char *const *) a, *pb = *(const char *const *) b;
  int fa = 0, la = 0, fb = 0, lb = 0;
  gboolean ya = tw_period_parse_years (pa, &fa, &la);
  gboolean yb = tw_period_parse_years (pb, &fb, &lb);

  if (ya != yb)
    return ya ? -1 : 1;   /* periods without years last */
  if (ya && fa != fb)
    return fa < fb ? -1 : 1;
  if (ya && la != lb)
    return la < lb ? -1 : 1;
  return strcmp (pa, pb);
}

static gboolean
invalid (GError    **error,
         TwStore    *store,
         int         code,
         const char *format,
         ...) G_GNUC_PRINTF (4, 5);

static gboolean
invalid (GError    **error,
         TwStore    *store,
         int         code,
         const char *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, TW_EVALUATION_ERROR, code, "%s: %s", tw_store_get_path (store), message);
  return FALSE;
}

static char *
join_periods (GPtrArray *periods)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < periods->len; i++)
    g_string_append_printf (text, "%s%s", i ? ", " : "",
                            (const char *) g_ptr_array_index (periods, i));
  return g_strdup (periods->len ? text->str : "none");
}

static gboolean
load_measure (Evaluator  *self,
              gint64      measure_id,
              gint64      geography_id,
              GError    **error)
{
  TwEvaluation *result = self->result;
  g_autoptr(TwMeasureInfo) measure = NULL;
  g_auto(GStrv) periods = NULL;
  gboolean has_stratum = FALSE;

  measure = tw_store_get_measure (self->store, measure_id, error);
  if (measure == NULL)
    return FALSE;
  result->multiplier = measure->multiplier;
  result->higher_is_worse = measure->higher_is_worse;
  if (!tw_rate_kind_from_string (measure->kind, &result->kind))
    return invalid (error, self->store, TW_EVALUATION_ERROR_INVALID,
                    "measure '%s' has kind '%s'; it must be rate or proportion",
                    result->measure, measure->kind ? measure->kind : "(none)");

  periods = tw_store_list_geography_periods (self->store, measure_id, geography_id,
                                             result->stratum, &has_stratum, error);
  if (periods == NULL)
    return FALSE;
  self->periods = g_ptr_array_new_with_free_func (g_free);
  for (guint p = 0; periods[p] != NULL; p++)
    g_ptr_array_add (self->periods, g_steal_pointer (&periods[p]));
  if (!has_stratum)
    return invalid (error, self->store, TW_EVALUATION_ERROR_NO_DATA,
                    "measure '%s' has no outcomes for group '%s' in the project's geography; "
                    "import them with 'tractwise-cli import-outcomes'",
                    result->measure, result->stratum);

  g_ptr_array_sort (self->periods, compare_periods);
  self->period_index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint p = 0; p < self->periods->len; p++)
    g_hash_table_insert (self->period_index, g_ptr_array_index (self->periods, p),
                         GUINT_TO_POINTER (p + 1));
  self->areas = g_hash_table_new (NULL, NULL);
  self->area_list = g_ptr_array_new_with_free_func (area_cells_free);
  return TRUE;
}

/* The periods of one side: named by the user (each must exist), or from the start date. */
static GStrv
choose_side (Evaluator   *self,
             GStrv        named,
             gboolean     after,
             GError     **error)
{
  TwEvaluation *result = self->result;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *side = after ? "after" : "before";
  guint n = 0;

  if (named != NULL && named[0] != NULL)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; named[i] != NULL; i++)
        {
          if (!g_hash_table_contains (self->period_index, named[i]))
            {
              g_autofree char *list = join_periods (self->periods);

              invalid (error, self->store, TW_EVALUATION_ERROR_INVALID,
                       "measure '%s' has no period '%s' (there are: %s); give one of those "
                       "with --%s", result->measure, named[i], list, side);
              return NULL;
            }
          if (g_hash_table_add (seen, named[i]))   /* a period named twice counts once */
            g_strv_builder_add (builder, named[i]);
        }
      return g_strv_builder_end (builder);
    }

  if (result->start_date == NULL)
    {
      invalid (error, self->store, TW_EVALUATION_ERROR_NO_START_DATE,
               "project %" G_GINT64_FORMAT " has no start date; set one, or name the "
               "periods with --before and --after", result->project_id);
      return NULL;
    }

  {
    int start_year = atoi (result->start_date);
    gboolean starts_new_year = g_str_has_suffix (result->start_date, "-01-01");

    for (guint p = 0; p < self->periods->len; p++)
      {
        const char *period = g_ptr_array_index (self->periods, p);
        int first, last;

        if (!tw_period_parse_years (period, &first, &last))
          continue;
        if ((!after && last < start_year)
            || (after && (first > start_year || (first == start_year && starts_new_year))))
          {
            g_strv_builder_add (builder, period);
            n++;
          }
      }
  }
  if (n == 0)
    {
      g_autofree char *list = join_periods (self->periods);

      invalid (error, self->store, TW_EVALUATION_ERROR_NO_DATA,
               "measure '%s' has no period wholly %s the project's start (%s); periods: %s; "
               "name the periods with --%s", result->measure, side, result->start_date,
               list, side);
      return NULL;
    }
  return g_strv_builder_end (builder);
}

static gboolean
load_roles (Evaluator            *self,
            gint64                geography_id,
            const char *const    *comparison,
            GError              **error)
{
  TwEvaluation *result = self->result;
  g_autoptr(GArray) targets = NULL;
  g_autoptr(GHashTable) geoids = NULL;

  targets = tw_store_list_target_area_ids (self->store, result->project_id, error);
  if (targets == NULL)
    return FALSE;
  self->roles = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < targets->len; i++)
    g_hash_table_insert (self->roles, GINT_TO_POINTER (g_array_index (targets, gint64, i)),
                         GINT_TO_POINTER (TARGET + 1));
  result->n_target_areas = g_hash_table_size (self->roles);

  if (comparison == NULL || comparison[0] == NULL
      || (g_str_equal (comparison[0], "all") && comparison[1] == NULL))
    {
      gint64 n_areas = tw_store_count_areas (self->store, geography_id, error);

      if (n_areas < 0)
        return FALSE;
      self->all_others = TRUE;
      result->n_comparison_areas = n_areas - result->n_target_areas;
      return TRUE;
    }

  geoids = tw_store_map_geoids (self->store, geography_id, error);
  if (geoids == NULL)
    return FALSE;
  for (guint i = 0; comparison[i] != NULL; i++)
    {
      gint64 id = GPOINTER_TO_SIZE (g_hash_table_lookup (geoids, comparison[i]));
      gpointer role;

      if (id == 0)
        return invalid (error, self->store, TW_EVALUATION_ERROR_INVALID,
                        "comparison area '%s' is not in the project's geography; give GEOIDs "
                        "of its areas, or --comparison all", comparison[i]);
      role = g_hash_table_lookup (self->roles, GINT_TO_POINTER (id));
      if (GPOINTER_TO_INT (role) == TARGET + 1)
        return invalid (error, self->store, TW_EVALUATION_ERROR_INVALID,
                        "comparison area '%s' is one of the project's target areas; compare "
                        "with other areas", comparison[i]);
      if (role == NULL)
        {
          g_hash_table_insert (self->roles, GINT_TO_POINTER (id),
                               GINT_TO_POINTER (COMPARISON + 1));
          result->n_comparison_areas++;
        }
    }
  return TRUE;
}

static int
compare_area_ids (gconstpointer a,
                  gconstpointer b)
{
  const AreaCells *x = *(AreaCells *const *) a, *y = *(AreaCells *const *) b;

  return x->area_id < y->area_id ? -1 : x->area_id > y->area_id;
}

/* Reads each period's cell of the project's group for every area with a role. The rate
 * table decides every cell as `rates` does: rules 1–3 over all the area's groups. */
static gboolean
scan_outcomes (Evaluator  *self,
               gint64      geography_id,
               GError    **error)
{
  guint n_periods = self->periods->len;

  for (guint p = 0; p < n_periods; p++)
    {
      g_autoptr(TwRateTable) table = NULL;
      TwRateQuery query = {
        .measure = self->result->measure,
        .period = g_ptr_array_index (self->periods, p),
        .stratum = self->result->stratum,
        .geography_id = geography_id,
        .method = TW_RATE_METHOD_CRUDE,
        .reveal = self->result->revealed,
      };
      guint n_rows;

      table = tw_rate_table_compute (self->store, &query, &self->result->policy, NULL, error);
      if (table == NULL)
        return FALSE;
      n_rows = tw_rate_table_get_n_rows (table);
      for (guint i = 0; i < n_rows; i++)
        {
          const TwRateRow *row = tw_rate_table_get_row (table, i);
          gpointer key = GINT_TO_POINTER (row->area_id);
          int value = GPOINTER_TO_INT (g_hash_table_lookup (self->roles, key));
          int role = value > 0 ? value - 1 : (self->all_others ? COMPARISON : -1);
          AreaCells *cells;

          if (role < 0 || !g_str_equal (row->stratum, self->result->stratum))
            continue;
          cells = g_hash_table_lookup (self->areas, key);
          if (cells == NULL)
            {
              cells = g_new0 (AreaCells, 1);
              cells->area_id = row->area_id;
              cells->role = role;
              cells->numerator = g_new0 (double, n_periods);
              cells->denominator = g_new0 (double, n_periods);
              cells->state = g_new0 (CellState, n_periods);
              g_hash_table_insert (self->areas, key, cells);
              g_ptr_array_add (self->area_list, cells);
            }
          cells->numerator[p] = row->numerator;
          cells->denominator[p] = row->denominator;
          if (isnan (row->numerator))
            cells->state[p] = CELL_WITHHELD;
          else if (tw_rate_row_is_suppressed (row))
            cells->state[p] = CELL_HIDDEN;
          else
            cells->state[p] = CELL_SHOWN;
        }
    }
  g_ptr_array_sort (self->area_list, compare_area_ids);
  return TRUE;
}

static guint
period_of (Evaluator  *self,
           const char *period)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->period_index, period)) - 1;
}

static gboolean
cell_usable (const TwEvaluation *result,
             CellState           state)
{
  return state == CELL_SHOWN || (state == CELL_HIDDEN && result->revealed);
}

/* The balanced panel: an area takes part when each period used has a usable cell; one with
 * a hidden cell in any of them is left out of every pool. */
static void
choose_panel (Evaluator *self)
{
  TwEvaluation *result = self->result;

  for (guint a = 0; a < self->area_list->len; a++)
    {
      AreaCells *cells = g_ptr_array_index (self->area_list, a);
      gboolean hidden = FALSE, missing = FALSE;

      for (int side = 0; side < 2; side++)
        {
          GStrv periods = side == 0 ? result->before : result->after;

          for (guint i = 0; periods[i] != NULL; i++)
            {
              CellState state = cells->state[period_of (self, periods[i])];

              if (state == CELL_NONE)
                missing = TRUE;
              else if (!cell_usable (result, state))
                hidden = TRUE;
            }
        }
      cells->in_panel = !hidden && !missing;
      cells->left_out = hidden;
      if (hidden)
        {
          if (cells->role == TARGET)
            result->n_target_left_out++;
          else
            result->n_comparison_left_out++;
        }
      else if (cells->in_panel)
        {
          if (cells->role == TARGET)
            result->n_target_used++;
          else
            result->n_comparison_used++;
        }
    }
  result->n_target_no_data = result->n_target_areas - result->n_target_used
                             - result->n_target_left_out;
  result->n_comparison_no_data = result->n_comparison_areas - result->n_comparison_used
                                 - result->n_comparison_left_out;
}

static void
fill_figure (const TwEvaluation *result,
             TwEvaluationFigure *figure,
             const Sum          *sum)
{
  TwRateEstimate estimate;
  double m = result->multiplier;

  figure->n_areas = sum->n_areas;
  figure->n_left_out = sum->n_left_out;
  figure->suppressed = result->revealed ? sum->n_hidden > 0
                                        : sum->n_areas == 0 && sum->n_left_out > 0;
  figure->unstable = sum->numerator < result->policy.unstable_below;
  figure->rate = figure->lower = figure->upper = figure->variance = NAN;
  if (sum->n_areas == 0 || !(sum->denominator > 0.0))
    return;

  estimate = tw_rate_crude (result->kind, sum->numerator, sum->denominator, m);
  figure->rate = estimate.rate;
  figure->lower = estimate.lower;
  figure->upper = estimate.upper;
  if (result->kind == TW_RATE_KIND_PROPORTION)
    {
      double p = sum->numerator / sum->denominator;

      figure->variance = p * (1.0 - p) / sum->denominator * m * m;
    }
  else
    figure->variance = sum->numerator / (sum->denominator * sum->denominator) * m * m;
}

/* One side (before or after) of one role: the panel's areas over the side's periods. */
static void
pool_side (Evaluator          *self,
           int                 role,
           GStrv               periods,
           TwEvaluationFigure *figure)
{
  TwEvaluation *result = self->result;
  Sum sum = { 0 };

  for (guint a = 0; a < self->area_list->len; a++)
    {
      AreaCells *cells = g_ptr_array_index (self->area_list, a);

      if (cells->role != role || !cells->in_panel)
        continue;
      for (guint i = 0; periods[i] != NULL; i++)
        {
          guint p = period_of (self, periods[i]);

          sum.numerator += cells->numerator[p];
          sum.denominator += cells->denominator[p];
          sum.n_hidden += cells->state[p] == CELL_HIDDEN;
        }
      sum.n_areas++;
    }
  sum.n_left_out = role == TARGET ? result->n_target_left_out : result->n_comparison_left_out;
  fill_figure (result, figure, &sum);
}

/* One trend point: the panel's areas whose cell of period @p can be pooled. Left out: the
 * areas with a row of @p that a hidden cell keeps out, of the panel or of @p. */
static void
pool_point (Evaluator          *self,
            int                 role,
            guint               p,
            TwEvaluationFigure *figure)
{
  Sum sum = { 0 };

  for (guint a = 0; a < self->area_list->len; a++)
    {
      AreaCells *cells = g_ptr_array_index (self->area_list, a);

      if (cells->role != role || cells->state[p] == CELL_NONE)
        continue;
      if (cells->left_out || (cells->in_panel && !cell_usable (self->result, cells->state[p])))
        {
          sum.n_left_out++;
          continue;
        }
      if (!cells->in_panel)
        continue;
      sum.numerator += cells->numerator[p];
      sum.denominator += cells->denominator[p];
      sum.n_hidden += cells->state[p] == CELL_HIDDEN;
      sum.n_areas++;
    }
  fill_figure (self->result, figure, &sum);
}

static gboolean
figure_lacks (const TwEvaluationFigure *figure)
{
  return figure->suppressed || figure->n_left_out > 0;
}

static void
combine (TwEvaluation *result)
{
  const TwEvaluationFigure *tb = &result->target_before, *ta = &result->target_after;
  const TwEvaluationFigure *cb = &result->comparison_before, *ca = &result->comparison_after;
  /* The good way: down when higher is worse. */
  double good = result->higher_is_worse ? -1.0 : 1.0;

  result->suppressed = result->n_target_left_out > 0 || result->n_comparison_left_out > 0
                       || figure_lacks (tb) || figure_lacks (ta) || figure_lacks (cb)
                       || figure_lacks (ca);
  for (guint i = 0; i < result->trend->len; i++)
    {
      TwEvaluationPoint *point = g_ptr_array_index (result->trend, i);

      result->suppressed |= figure_lacks (&point->target) || figure_lacks (&point->comparison);
    }
  result->did = result->did_lower = result->did_upper = NAN;
  result->target_change_percent = NAN;
  result->goal_progress = result->goal_progress_lower = result->goal_progress_upper = NAN;
  result->verdict = TW_EVALUATION_VERDICT_NONE;

  if (!isnan (tb->rate) && !isnan (ta->rate) && !isnan (cb->rate) && !isnan (ca->rate))
    {
      double se = sqrt (tb->variance + ta->variance + cb->variance + ca->variance);

      result->did = (ta->rate - tb->rate) - (ca->rate - cb->rate);
      result->did_lower = result->did - Z_95 * se;
      result->did_upper = result->did + Z_95 * se;
      if (good * result->did_lower > 0.0 && good * result->did_upper > 0.0)
        result->verdict = TW_EVALUATION_VERDICT_IMPROVED;
      else if (good * result->did_lower < 0.0 && good * result->did_upper < 0.0)
        result->verdict = TW_EVALUATION_VERDICT_WORSENED;
      else
        result->verdict = TW_EVALUATION_VERDICT_NO_CHANGE;
    }

  if (!isnan (tb->rate) && !isnan (ta->rate) && tb->rate > 0.0)
    result->target_change_percent = 100.0 * (ta->rate - tb->rate) / tb->rate;

  if (!isnan (result->did) && !isnan (tb->rate) && tb->rate > 0.0
      && isfinite (result->goal_percent) && result->goal_percent > 0.0)
    {
      double goal = good * result->goal_percent / 100.0 * tb->rate;
      double a = result->did_lower / goal, b = result->did_upper / goal;

      result->goal_progress = result->did / goal;
      result->goal_progress_lower = MIN (a, b);
      result->goal_progress_upper = MAX (a, b);
    }
}

const char *
tw_evaluation_verdict_to_string (TwEvaluationVerdict verdict)
{
  switch (verdict)
    {
    case TW_EVALUATION_VERDICT_NO_CHANGE:
      return "no detectable change";
    case TW_EVALUATION_VERDICT_IMPROVED:
      return "improved";
    case TW_EVALUATION_VERDICT_WORSENED:
      return "worsened";
    case TW_EVALUATION_VERDICT_NONE:
    default:
      return NULL;
    }
}

TwEvaluation *
tw_evaluation_run (TwStore                    *store,
                   gint64                      project_id,
                   const TwEvaluationOptions  *options,
                   GError                    **error)
{
  g_auto(Evaluator) self = { 0 };
  g_autoptr(TwProject) project = NULL;
  TwEvaluationOptions defaults = { 0 };
  TwEvaluation *result;
  GError *inner = NULL;
  gint64 measure_id, geography_id = -1;

  g_return_val_if_fail (store != NULL, NULL);

  if (options == NULL)
    options = &defaults;
  self.store = store;

  project = tw_project_get (store, project_id, error);
  if (project == NULL)
    return NULL;

  result = self.result = g_new0 (TwEvaluation, 1);
  result->project_id = project_id;
  result->measure = g_strdup (project->measure);
  result->stratum = g_strdup (project->stratum ? project->stratum : "all");
  result->start_date = g_strdup (project->start_date);
  result->goal_percent = project->goal_percent;
  result->revealed = options->reveal;

  if (project->measure == NULL)
    {
      invalid (error, store, TW_EVALUATION_ERROR_NO_MEASURE,
               "project %" G_GINT64_FORMAT " has no measure; set the outcome it aims at "
               "(--measure) before evaluating it", project_id);
      return NULL;
    }
  if (project->geography == NULL || project->areas->len == 0)
    {
      invalid (error, store, TW_EVALUATION_ERROR_NO_TARGET_AREAS,
               "project %" G_GINT64_FORMAT " has no target areas; choose them with "
               "'tractwise-cli project set-areas'", project_id);
      return NULL;
    }

  measure_id = tw_store_resolve_measure (store, project->measure, &inner);
  if (measure_id >= 0)
    geography_id = tw_store_resolve_geography (store, project->geography, &inner);
  if (inner != NULL)
    {
      g_propagate_error (error, inner);
      return NULL;
    }

  if (!tw_suppression_policy_load (&result->policy, store, error)
      || !load_measure (&self, measure_id, geography_id, error)
      || !load_roles (&self, geography_id, (const char *const *) options->comparison, error))
    return NULL;

  result->before = choose_side (&self, options->before, FALSE, error);
  if (result->before == NULL)
    return NULL;
  result->after = choose_side (&self, options->after, TRUE, error);
  if (result->after == NULL)
    return NULL;
  for (guint i = 0; result->before[i] != NULL; i++)
    if (g_strv_contains ((const char *const *) result->after, result->before[i]))
      {
        invalid (error, store, TW_EVALUATION_ERROR_INVALID,
                 "period '%s' is named both before and after the start; name each period "
                 "on one side only", result->before[i]);
        return NULL;
      }
  if (options->before != NULL || options->after != NULL)
    g_clear_pointer (&result->start_date, g_free);
  if (result->n_comparison_areas == 0)
    {
      invalid (error, store, TW_EVALUATION_ERROR_INVALID,
               "project %" G_GINT64_FORMAT " has no comparison areas: its targets are every "
               "area of the geography", project_id);
      return NULL;
    }

  if (!scan_outcomes (&self, geography_id, error))
    return NULL;
  choose_panel (&self);

  result->trend = g_ptr_array_new_with_free_func (point_free);
  for (guint p = 0; p < self.periods->len; p++)
    {
      TwEvaluationPoint *point = g_new0 (TwEvaluationPoint, 1);

      point->period = g_strdup (g_ptr_array_index (self.periods, p));
      tw_period_parse_years (point->period, &point->first_year, &point->last_year);
      pool_point (&self, TARGET, p, &point->target);
      pool_point (&self, COMPARISON, p, &point->comparison);
      g_ptr_array_add (result->trend, point);
    }

  pool_side (&self, TARGET, result->before, &result->target_before);
  pool_side (&self, TARGET, result->after, &result->target_after);
  pool_side (&self, COMPARISON, result->before, &result->comparison_before);
  pool_side (&self, COMPARISON, result->after, &result->comparison_after);
  combine (result);

  return g_steal_pointer (&self.result);
}
