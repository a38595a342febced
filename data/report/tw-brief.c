/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-brief"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include <cairo-pdf.h>

#include "tw-brief.h"
#include "tw-brief-private.h"
#include "tw-format.h"
#include "tw-change.h"
#include "tw-choropleth.h"
#include "tw-disparity.h"
#include "tw-evaluation.h"
#include "tw-export-private.h"
#include "tw-map-request.h"
#include "tw-partners.h"
#include "tw-policy-text.h"
#include "tw-project.h"
#include "tw-rate-table.h"
#include "tw-report-doc.h"
#include "tw-store-catalog.h"
#include "tw-store-dictionary.h"

#define MAX_DISPARITY_ROWS 15

/* A pooled figure is printed only when the areas it pools hold this share of the group's
 * population. */
#define MIN_POOLED_POPULATION 0.8


typedef struct
{
  TwStore       *store;
  const TwBriefOptions *options;
  const char    *stratum;
  TwAreaLayer   *layer;
  TwChoropleth  *map;
  TwMapExport   *export;
  TwRateTable   *table;
  GPtrArray     *region;      /* TwRegionFigure * of the brief's period */
  GPtrArray     *projects;    /* TwProject * */
  char          *project_name;
  char          *today;
  char          *unit;
  char          *title;
  char          *organisation;   /* or NULL */
  GPtrArray     *measures;    /* TwMeasureInfo * */
  GStrv          periods;     /* the measure's, oldest first */
  GPtrArray     *by_period;   /* GPtrArray of TwRegionFigure * per period */
  GPtrArray     *evaluations; /* the projects' evaluations as text, in their order */
  GArray        *verdicts;    /* TwEvaluationVerdict per project; -1: not evaluated */
  GArray        *disparities; /* Disparity, largest first */
  guint          n_unreliable_disparities; /* left out of the ranking */
} Brief;

static void
region_figure_free (TwRegionFigure *figure)
{
  g_free (figure->stratum);
  g_free (figure);
}

static TwMeasureInfo *
find_measure (GPtrArray  *measures,
              const char *code)
{
  for (guint i = 0; measures != NULL && i < measures->len; i++)
    {
      TwMeasureInfo *measure = g_ptr_array_index (measures, i);

      if (g_strcmp0 (measure->code, code) == 0)
        return measure;
    }
  return NULL;
}

const char *
tw_report_measure_label (GPtrArray  *measures,
                         const char *code)
{
  TwMeasureInfo *measure = find_measure (measures, code);

  return measure != NULL && measure->label != NULL ? measure->label : code;
}

char *
tw_report_measure_unit (const TwMeasureInfo *measure)
{
  g_autofree char *per = NULL;

  if (g_str_equal (measure->kind, "proportion") && measure->multiplier == 100.0)
    return g_strdup ("in percentage points");
  per = tw_format_decimal (measure->multiplier, 0, TRUE, FALSE);
  return g_strdup_printf ("per %s", per);
}

const char *
tw_report_status_words (const char *status)
{
  if (g_strcmp0 (status, TW_PROJECT_STATUS_ACTIVE) == 0)
    return "Active";
  if (g_strcmp0 (status, TW_PROJECT_STATUS_PAUSED) == 0)
    return "Paused";
  if (g_strcmp0 (status, TW_PROJECT_STATUS_COMPLETED) == 0)
    return "Completed";
  return "Planned";
}

/* Figures */

static char *
format_number (double value,
               guint  decimals)
{
  if (!isfinite (value))
    return g_strdup ("–");
  return tw_format_decimal (value, (int) decimals, TRUE, FALSE);
}

char *
tw_report_format_published (double value)
{
  return tw_format_published (value, TRUE, FALSE, "–");
}

char *
tw_report_format_rate_interval (double rate,
                      double lower,
                      double upper)
{
  g_autofree char *r = tw_report_format_published (rate);
  g_autofree char *l = tw_report_format_published (lower);
  g_autofree char *u = tw_report_format_published (upper);

  if (!isfinite (lower) || !isfinite (upper))
    return g_steal_pointer (&r);
  return g_strdup_printf ("%s (%s–%s)", r, l, u);
}

static char *
format_percent (double fraction)
{
  g_autofree char *number = tw_report_format_published (100 * fraction);

  return isfinite (fraction) ? g_strdup_printf ("%s%%", number) : g_steal_pointer (&number);
}

/* Progress toward a goal in whole percents: "42%", "−15%", "1,230%". */
static char *
format_whole_percent (double fraction)
{
  g_autofree char *number = tw_format_whole_percent (fraction, TRUE, "–");

  return isfinite (fraction) ? g_strdup_printf ("%s%%", number) : g_steal_pointer (&number);
}

/* "over 412 of 437 areas whose counts are shown" */
static char *
format_areas (guint n_areas,
              guint n_rows)
{
  if (n_areas == n_rows)
    return g_strdup_printf (n_rows == 1 ? "over the one area, whose count is shown"
                                        : "over all %u areas, whose counts are shown", n_rows);
  return g_strdup_printf ("over %u of %u areas whose counts are shown", n_areas, n_rows);
}

static gboolean
row_published (const TwRateRow *row)
{
  return row != NULL && !tw_rate_row_is_suppressed (row) && isfinite (row->numerator);
}

/* Each group's rate over the areas where its count is shown, and its shares of the events
 * and the population over the areas where its count and the area's total are both shown
 * (the total is the area's `all`, or the sum of its groups when it has none). */
GPtrArray *
tw_region_figures_compute (TwRateTable *table)
{
  const char *const *strata = tw_rate_table_get_strata (table);
  guint n_strata = g_strv_length ((GStrv) strata);
  guint n_rows = tw_rate_table_get_n_rows (table);
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree const TwRateRow **area = g_new0 (const TwRateRow *, n_strata);
  g_autofree double *share = g_new0 (double, 4 * n_strata);   /* x, total x, n, total n */
  GPtrArray *figures = g_ptr_array_new_with_free_func ((GDestroyNotify) region_figure_free);

  for (guint s = 0; s < n_strata; s++)
    {
      TwRegionFigure *figure = g_new0 (TwRegionFigure, 1);

      figure->stratum = g_strdup (strata[s]);
      g_ptr_array_add (figures, figure);
      g_hash_table_insert (index, (gpointer) strata[s], GUINT_TO_POINTER (s + 1));
    }

  for (guint i = 0; i < n_rows;)
    {
      gint64 area_id = tw_rate_table_get_row (table, i)->area_id;
      const TwRateRow *total = NULL;
      double total_x = 0, total_n = 0;
      gboolean has_total = TRUE;

      memset (area, 0, n_strata * sizeof *area);
      for (; i < n_rows && tw_rate_table_get_row (table, i)->area_id == area_id; i++)
        {
          const TwRateRow *row = tw_rate_table_get_row (table, i);
          guint s = GPOINTER_TO_UINT (g_hash_table_lookup (index, row->stratum));

          if (s > 0)
            area[s - 1] = row;
        }

      for (guint s = 0; s < n_strata; s++)
        {
          TwRegionFigure *f = g_ptr_array_index (figures, s);

          if (area[s] == NULL)
            continue;
          f->n_rows++;
          if (isfinite (area[s]->denominator))
            f->row_denominator += area[s]->denominator;
          if (!row_published (area[s]))
            continue;
          f->n_areas++;
          f->events += area[s]->numerator;
          f->denominator += area[s]->denominator;
          if (g_str_equal (strata[s], "all"))
            total = area[s];
        }

      /* The area's total, when it is shown. */
      for (guint s = 0; s < n_strata; s++)
        if (g_str_equal (strata[s], "all") && area[s] != NULL)
          has_total = total != NULL;
      if (total != NULL)
        {
          total_x = total->numerator;
          total_n = total->denominator;
        }
      else
        for (guint s = 0; s < n_strata && has_total; s++)
          {
            if (area[s] == NULL)
              continue;
            has_total = row_published (area[s]);
            total_x += area[s]->numerator;
            total_n += area[s]->denominator;
          }
      if (!has_total)
        continue;
      for (guint s = 0; s < n_strata; s++)
        if (row_published (area[s]))
          {
            share[4 * s] += area[s]->numerator;
            share[4 * s + 1] += total_x;
            share[4 * s + 2] += area[s]->denominator;
            share[4 * s + 3] += total_n;
          }
    }

  for (guint s = 0; s < n_strata; s++)
    {
      TwRegionFigure *f = g_ptr_array_index (figures, s);
      TwRateEstimate estimate;

      /* Pooling only shown counts keeps zeros and counts of k or more and drops the small
       * ones: where the areas pooled hold too little of the group's population, the pooled
       * rate says more about which counts were shown than about the group (a group whose
       * every positive count is small would read 0). Populations are public, so this choice
       * tells nothing about a hidden count. */
      f->shown = f->n_areas > 0
                 && f->denominator >= MIN_POOLED_POPULATION * f->row_denominator;
      f->rate = f->lower = f->upper = NAN;
      if (f->shown)
        {
          estimate = tw_rate_crude (tw_rate_table_get_kind (table), f->events, f->denominator,
                                    tw_rate_table_get_multiplier (table));
          f->rate = estimate.rate;
          f->lower = estimate.lower;
          f->upper = estimate.upper;
        }
      tw_disparity_shares (share[4 * s], share[4 * s + 2], share[4 * s + 1], share[4 * s + 3],
                           &f->share_events, &f->share_denominator);
      if (share[4 * s + 2] < MIN_POOLED_POPULATION * f->row_denominator)
        f->share_events = NAN;
    }
  return figures;
}

typedef struct
{
  guint  row;        /* index into the rate table */
  double ratio, lower, upper;
  double key;        /* the interval's bound nearest 1: how sure the disparity is */
  double size;       /* the ratio, or its inverse where lower is worse: the table's order */
} Disparity;

static int
compare_disparities (gconstpointer a,
                     gconstpointer b)
{
  const Disparity *x = a, *y = b;
  double kx = isfinite (x->key) ? x->key : 0, ky = isfinite (y->key) ? y->key : 0;

  if (x->size != y->size)
    return x->size < y->size ? 1 : -1;
  if (kx != ky)
    return kx < ky ? 1 : -1;
  return (int) x->row - (int) y->row;
}

/* The pairs of area and group that fare worse than their area, with the ratio's interval,
 * largest disparity first; suppressed rows never enter. */
static GArray *
find_disparities (Brief *brief)
{
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (Disparity));
  guint n_rows = tw_rate_table_get_n_rows (brief->table);

  for (guint i = 0; i < n_rows; i++)
    {
      const TwRateRow *row = tw_rate_table_get_row (brief->table, i);
      const TwRateRow *ref;
      TwDisparity d;
      Disparity entry;

      if (g_str_equal (row->stratum, "all") || tw_rate_row_is_suppressed (row))
        continue;
      ref = tw_rate_table_find_row (brief->table, row->area_id, "all");
      if (ref == NULL || tw_rate_row_is_suppressed (ref))
        continue;
      tw_disparity_compare (tw_rate_table_get_kind (brief->table), row->numerator,
                            row->denominator, ref->numerator, ref->denominator, TRUE,
                            tw_rate_table_get_multiplier (brief->table), &d);
      if (!isfinite (d.ratio))
        continue;
      /* Disparities where the group fares worse than its area. */
      if (tw_rate_table_get_higher_is_worse (brief->table) ? d.ratio <= 1 : d.ratio >= 1)
        continue;
      /* A ranking leaves unreliable figures out, and says how many. */
      if (tw_figure_status_worst (row->status, ref->status) == TW_FIGURE_UNRELIABLE)
        {
          brief->n_unreliable_disparities++;
          continue;
        }
      entry.row = i;
      entry.ratio = d.ratio;
      entry.lower = d.ratio_lower;
      entry.upper = d.ratio_upper;
      entry.key = tw_rate_table_get_higher_is_worse (brief->table) ? d.ratio_lower
                                                                   : 1 / d.ratio_upper;
      entry.size = tw_rate_table_get_higher_is_worse (brief->table) ? d.ratio : 1 / d.ratio;
      g_array_append_val (found, entry);
    }
  g_array_sort (found, compare_disparities);
  return g_steal_pointer (&found);
}

/* Key messages */

TwRegionFigure *
tw_region_figures_find (GPtrArray  *figures,
             const char *stratum)
{
  for (guint i = 0; figures != NULL && i < figures->len; i++)
    {
      TwRegionFigure *f = g_ptr_array_index (figures, i);

      if (g_str_equal (f->stratum, stratum))
        return f;
    }
  return NULL;
}

/* Where no two groups' pooled rates may be printed: the disparity table's first row. */
static char *
message_area_gap (Brief *brief)
{
  Disparity *top = &g_array_index (brief->disparities, Disparity, 0);
  const TwRateRow *row = tw_rate_table_get_row (brief->table, top->row);
  const TwRateRow *ref = tw_rate_table_find_row (brief->table, row->area_id, "all");
  int index = tw_area_layer_find_geoid (brief->layer, row->geoid);
  const char *name = index >= 0 ? tw_area_layer_get_name (brief->layer, index) : NULL;
  g_autofree char *group = tw_format_group_label (row->stratum);
  g_autofree char *ratio = tw_report_format_published (top->ratio);
  g_autofree char *lo = tw_report_format_published (top->lower);
  g_autofree char *hi = tw_report_format_published (top->upper);
  g_autofree char *r = tw_report_format_rate_interval (row->rate, row->lower, row->upper);
  g_autofree char *a = tw_report_format_rate_interval (ref->rate, ref->lower, ref->upper);

  return g_markup_printf_escaped ("<b>Largest gap.</b> In %s, %s, the %s group's rate was %s "
                                  "times the area's rate for all groups (95%% interval %s to %s): "
                                  "%s against %s %s. Across the whole region, too few of the "
                                  "groups' counts are shown to compare their rates.", name != NULL ? name : row->geoid,
                                  tw_choropleth_get_period (brief->map), group, ratio, lo, hi,
                                  r, a, brief->unit);
}

/* The largest gap between two groups' pooled rates this period, with the rate ratio's
 * interval: only figures the groups table prints enter it. */
static char *
message_gap (Brief *brief)
{
  gboolean higher_is_worse = tw_rate_table_get_higher_is_worse (brief->table);
  TwRegionFigure *worst = NULL, *best = NULL;
  g_autofree char *worst_name = NULL, *best_name = NULL;
  g_autofree char *ratio = NULL, *lo = NULL, *hi = NULL, *w = NULL, *b = NULL;
  TwDisparity d;

  for (guint i = 0; i < brief->region->len; i++)
    {
      TwRegionFigure *f = g_ptr_array_index (brief->region, i);

      if (g_str_equal (f->stratum, "all") || !f->shown || !isfinite (f->rate))
        continue;
      if (worst == NULL || (higher_is_worse ? f->rate > worst->rate : f->rate < worst->rate))
        worst = f;
      if (best == NULL || (higher_is_worse ? f->rate < best->rate : f->rate > best->rate))
        best = f;
    }
  if ((worst == NULL || worst == best || !(best->rate > 0)) && brief->disparities->len > 0)
    return message_area_gap (brief);
  if (worst == NULL || worst == best || !(best->rate > 0))
    return g_strdup ("<b>Largest gap.</b> No two groups and no group in an area have rates "
                     "that may be shown side by side, so no gap is given.");
  tw_disparity_compare (tw_rate_table_get_kind (brief->table), worst->events,
                        worst->denominator, best->events, best->denominator, FALSE,
                        tw_rate_table_get_multiplier (brief->table), &d);
  worst_name = tw_format_group_label (worst->stratum);
  best_name = tw_format_group_label (best->stratum);
  ratio = tw_report_format_published (d.ratio);
  lo = tw_report_format_published (d.ratio_lower);
  hi = tw_report_format_published (d.ratio_upper);
  w = tw_report_format_rate_interval (worst->rate, worst->lower, worst->upper);
  b = tw_report_format_rate_interval (best->rate, best->lower, best->upper);
  return g_markup_printf_escaped ("<b>Largest gap.</b> In %s the %s group's rate was %s times "
                                  "the %s group's (95%% interval %s to %s): %s against %s %s, "
                                  "each pooled over the areas where its count is shown.",
                                  tw_choropleth_get_period (brief->map), worst_name, ratio,
                                  best_name, lo, hi, w, b, brief->unit);
}

/* Whether a z-test of the difference of two pooled rates (tw-change.h), not whether their
 * intervals overlap, finds it beyond chance at the 5% level. */
static gboolean
beyond_chance (Brief                *brief,
               const TwRegionFigure *from,
               const TwRegionFigure *to)
{
  TwChangeEstimate estimate;

  return tw_change_estimate (tw_rate_table_get_kind (brief->table),
                             tw_rate_table_get_multiplier (brief->table),
                             from->events, from->denominator, to->events, to->denominator,
                             &estimate)
         && isfinite (estimate.p) && estimate.p < 0.05;
}

/* The group whose pooled rate moved most, relative to where it started, between the first
 * and the last period in which it is shown. */
static char *
message_change (Brief *brief)
{
  const char *const *strata = tw_rate_table_get_strata (brief->table);
  TwRegionFigure *from = NULL, *to = NULL;
  guint from_p = 0, to_p = 0;
  double largest = -1;
  g_autofree char *name = NULL, *a = NULL, *b = NULL, *change = NULL;
  gboolean worse;

  for (guint s = 0; strata[s] != NULL; s++)
    {
      TwRegionFigure *first = NULL, *last = NULL;
      guint first_p = 0, last_p = 0;

      for (guint p = 0; p < brief->by_period->len; p++)
        {
          TwRegionFigure *f = tw_region_figures_find (g_ptr_array_index (brief->by_period, p),
                                                      strata[s]);

          if (f == NULL || !f->shown || !isfinite (f->rate))
            continue;
          if (first == NULL)
            {
              first = f;
              first_p = p;
            }
          last = f;
          last_p = p;
        }
      if (first == NULL || first == last || !(first->rate > 0))
        continue;
      if (fabs (last->rate / first->rate - 1) > largest)
        {
          largest = fabs (last->rate / first->rate - 1);
          from = first;
          to = last;
          from_p = first_p;
          to_p = last_p;
        }
    }
  if (from == NULL)
    return g_strdup ("<b>Largest change.</b> No group has a rate for the region that may be "
                     "shown in two periods, so no change is given.");
  name = tw_format_group_label (from->stratum);
  a = tw_report_format_rate_interval (from->rate, from->lower, from->upper);
  b = tw_report_format_rate_interval (to->rate, to->lower, to->upper);
  change = format_whole_percent (fabs (to->rate / from->rate - 1));
  worse = tw_rate_table_get_higher_is_worse (brief->table) == (to->rate > from->rate);
  return g_markup_printf_escaped ("<b>Largest change.</b> %s: %s in %s, %s in %s %s — %s by "
                                  "%s (%s)%s.", name, a, brief->periods[from_p], b,
                                  brief->periods[to_p], brief->unit,
                                  to->rate > from->rate ? "up" : "down", change,
                                  worse ? "worse" : "better",
                                  beyond_chance (brief, from, to)
                                  ? "; a test of the difference puts it beyond chance "
                                    "(p < 0.05)"
                                  : "; a test of the difference cannot tell it from chance");
}

/* The projects' verdicts, counted. */
static char *
message_verdicts (Brief *brief)
{
  guint n[4] = { 0 }, n_none = 0;
  g_autoptr(GString) text = g_string_new ("<b>Partner projects.</b> ");
  g_autoptr(GString) improved = g_string_new (NULL);

  if (brief->projects->len == 0)
    {
      g_string_append (text, "None is recorded in the workspace yet, so this brief has no "
                             "page of projects.");
      return g_string_free (g_steal_pointer (&text), FALSE);
    }
  for (guint p = 0; p < brief->verdicts->len; p++)
    {
      int verdict = g_array_index (brief->verdicts, int, p);

      if (verdict < 0 || verdict == TW_EVALUATION_VERDICT_NONE)
        n_none++;
      else
        n[verdict]++;
      if (verdict == TW_EVALUATION_VERDICT_IMPROVED)
        {
          TwProject *project = g_ptr_array_index (brief->projects, p);
          g_autofree char *title = g_markup_escape_text (project->title, -1);

          g_string_append_printf (improved, "%s%s", improved->len > 0 ? ", " : "", title);
        }
    }
  g_string_append_printf (text, "Of %u, ", brief->projects->len);
  g_string_append_printf (text, "%u improved%s%s%s, ", n[TW_EVALUATION_VERDICT_IMPROVED],
                          improved->len > 0 ? " (" : "", improved->str,
                          improved->len > 0 ? ")" : "");
  g_string_append_printf (text, "%u worsened, ", n[TW_EVALUATION_VERDICT_WORSENED]);
  g_string_append_printf (text, "%u changed no more than their comparison areas and %u %s "
                          "not evaluated or withheld.", n[TW_EVALUATION_VERDICT_NO_CHANGE],
                          n_none, n_none == 1 ? "was" : "were");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Pages */

static void
write_cover (Brief *brief,
             TwDoc *doc)
{
  g_autofree char *subtitle = NULL;
  g_autofree char *group = NULL;
  g_autofree char *facts = NULL;
  g_autofree char *rate = NULL;
  g_autofree char *unit_interval = NULL;
  g_autofree char *area_counts = tw_policy_text_area_counts (brief->map);
  TwRegionFigure *all = NULL;
  double width = TW_DOC_PAGE_WIDTH - 2 * TW_DOC_MARGIN;
  g_autofree char *gap = message_gap (brief);
  g_autofree char *change = message_change (brief);
  g_autofree char *verdicts = message_verdicts (brief);
  const char *messages[] = { gap, change, verdicts };
  const char *footnote = tw_map_export_get_footnote (brief->export);
  const char *label = tw_choropleth_get_measure_label (brief->map);

  doc->y = TW_DOC_PAGE_HEIGHT * 0.14;
  if (brief->organisation != NULL)
    {
      g_autofree char *kicker = g_strdup_printf ("%s · Board brief", brief->organisation);

      doc->y += tw_doc_text (doc, "P", kicker, FALSE, 11, PANGO_WEIGHT_BOLD, TW_DOC_MARGIN,
                             doc->y, width, PANGO_ALIGN_LEFT, TW_DOC_ACCENT_COLOR) - 14;
    }
  else
    tw_doc_text (doc, "P", "Board brief", FALSE, 11, PANGO_WEIGHT_BOLD, TW_DOC_MARGIN, doc->y,
                 width, PANGO_ALIGN_LEFT, TW_DOC_ACCENT_COLOR);
  doc->y += 22;
  doc->y += tw_doc_text (doc, "H1", brief->title, FALSE, 28, PANGO_WEIGHT_BOLD, TW_DOC_MARGIN,
                         doc->y, width, PANGO_ALIGN_LEFT, TW_DOC_TEXT_COLOR);
  doc->y += 8;
  group = tw_format_group_label (brief->stratum);
  subtitle = g_strdup_printf ("%s%s%s · %s · %s",
                              g_str_equal (label, brief->title) ? "" : label,
                              g_str_equal (label, brief->title) ? "" : " · ",
                              tw_choropleth_get_period (brief->map), group,
                              tw_area_layer_get_geography_name (brief->layer));
  doc->y += tw_doc_text (doc, "P", subtitle, FALSE, 13, PANGO_WEIGHT_NORMAL, TW_DOC_MARGIN,
                         doc->y, width, PANGO_ALIGN_LEFT, TW_DOC_MUTED_COLOR);
  doc->y += 30;
  cairo_save (doc->cr);
  tw_typeset_set_color (doc->cr, TW_DOC_ACCENT_COLOR);
  cairo_rectangle (doc->cr, TW_DOC_MARGIN, doc->y, 60, 3);
  cairo_fill (doc->cr);
  cairo_restore (doc->cr);
  doc->y += 20;

  for (guint i = 0; i < brief->region->len; i++)
    {
      TwRegionFigure *f = g_ptr_array_index (brief->region, i);

      if (g_strcmp0 (f->stratum, brief->stratum) == 0)
        all = f;
    }
  if (all != NULL && all->shown)
    {
      g_autofree char *areas = format_areas (all->n_areas, all->n_rows);

      rate = tw_report_format_rate_interval (all->rate, all->lower, all->upper);
      unit_interval = g_strdup_printf ("%s (95%% interval), %s", brief->unit, areas);
    }
  facts = g_markup_printf_escaped ("<b>Prepared</b> %s\n"
                           "<b>Workspace</b> %s\n"
                           "<b>Areas</b> %s\n"
                           "<b>Region's rate</b> %s%s%s\n"
                           "<b>Partner projects</b> %u\n"
                           "%s",
                           brief->today, brief->project_name,
                           area_counts,
                           rate != NULL ? rate
                           : all != NULL && all->n_areas > 0
                           ? "not pooled: the areas whose counts are shown hold too little of "
                             "the population"
                           : "withheld under the suppression policy",
                           rate != NULL ? " " : "",
                           rate != NULL ? unit_interval : "",
                           brief->projects->len,
                           tw_map_export_get_source_line (brief->export));
  doc->y += tw_doc_text (doc, "P", facts, TRUE, 11, PANGO_WEIGHT_NORMAL, TW_DOC_MARGIN, doc->y,
                         width, PANGO_ALIGN_LEFT, TW_DOC_TEXT_COLOR) + 20;

  tw_doc_text (doc, "H2", "Key messages", FALSE, TW_DOC_SUBHEADING_SIZE, PANGO_WEIGHT_BOLD,
               TW_DOC_MARGIN, doc->y, width, PANGO_ALIGN_LEFT, TW_DOC_ACCENT_COLOR);
  doc->y += TW_DOC_SUBHEADING_SIZE * 1.8;
  tw_doc_tag_begin (doc, "L");
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      tw_doc_tag_begin (doc, "LI");
      tw_doc_text (doc, "Lbl", "•", FALSE, 11, PANGO_WEIGHT_BOLD, TW_DOC_MARGIN, doc->y, 12,
                   PANGO_ALIGN_LEFT, TW_DOC_ACCENT_COLOR);
      doc->y += tw_doc_text (doc, "LBody", messages[i], TRUE, 11, PANGO_WEIGHT_NORMAL,
                             TW_DOC_MARGIN + 14, doc->y, width - 14, PANGO_ALIGN_LEFT,
                             TW_DOC_TEXT_COLOR) + 8;
      tw_doc_tag_end (doc, "LI");
    }
  tw_doc_tag_end (doc, "L");
  doc->y += 12;

  if (strstr (label, "synthetic") != NULL || strstr (label, "SYNTHETIC") != NULL)
    doc->y += tw_doc_text (doc, "P", "<b>Demonstration data.</b> The outcome figures of this "
                           "measure are synthetic: they were generated for demonstration and "
                           "describe no real people.", TRUE, 10, PANGO_WEIGHT_NORMAL,
                           TW_DOC_MARGIN, doc->y, width, PANGO_ALIGN_LEFT, 0xA51D2D) + 12;

  /* The policy at the foot of the cover, its last line on the text block's bottom. */
  tw_doc_text (doc, "P", footnote, FALSE, TW_DOC_SMALL_SIZE, PANGO_WEIGHT_NORMAL, TW_DOC_MARGIN,
               TW_DOC_BOTTOM - tw_doc_measure (doc, footnote, FALSE, TW_DOC_SMALL_SIZE,
                                               PANGO_WEIGHT_NORMAL, width),
               width, PANGO_ALIGN_LEFT, TW_DOC_MUTED_COLOR);
}

/* The map export's page in the text block, set in the brief's type: its title is the
 * brief's, so the page's heading and the map's subtitle stand in for it. */
static void
write_map (Brief *brief,
           TwDoc *doc)
{
  TwMapPageLayout layout;
  g_autofree char *alt = tw_map_export_describe (brief->export);

  tw_doc_heading (doc, "The map", TW_DOC_HEADING_SIZE);
  tw_doc_paragraph (doc, tw_map_export_get_subtitle (brief->export), FALSE, TW_DOC_BODY_SIZE,
                    TW_DOC_MUTED_COLOR);
  tw_map_export_layout_body (brief->export, TW_DOC_MARGIN, doc->y, TW_DOC_TEXT_WIDTH,
                             TW_DOC_BOTTOM - doc->y, 1.0, &layout);
  tw_doc_figure_begin (doc, alt);
  tw_map_export_draw_layout (brief->export, doc->cr, &layout);
  tw_doc_figure_end (doc);
  doc->y = TW_DOC_BOTTOM;
}

static void
write_disparities (Brief *brief,
                   TwDoc *doc)
{
  static const TwDocColumn area_columns[] = {
    { "Area", PANGO_ALIGN_LEFT },
    { "Group", PANGO_ALIGN_LEFT },
    { "Group's rate (95% CI)", PANGO_ALIGN_RIGHT },
    { "Area's rate (95% CI)", PANGO_ALIGN_RIGHT },
    { "Rate ratio (95% CI)", PANGO_ALIGN_RIGHT },
  };
  static const TwDocColumn group_columns[] = {
    { "Group", PANGO_ALIGN_LEFT },
    { "Rate (95% CI)", PANGO_ALIGN_RIGHT },
    { "Areas pooled", PANGO_ALIGN_RIGHT },
    { "Share of events", PANGO_ALIGN_RIGHT },
    { "Share of population", PANGO_ALIGN_RIGHT },
  };
  GArray *found = brief->disparities;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autofree char *intro = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *left_out = NULL;
  guint n_listed, n_unreliable = brief->n_unreliable_disparities;

  tw_doc_new_page (doc);
  tw_doc_heading (doc, "Where and for whom: the largest disparities", TW_DOC_HEADING_SIZE);


  n_listed = MIN (found->len, MAX_DISPARITY_ROWS);
  left_out = n_unreliable == 0 ? g_strdup ("")
             : g_strdup_printf (", and %u pair%s with an unreliable rate %s left out", n_unreliable,
                                n_unreliable == 1 ? "" : "s", n_unreliable == 1 ? "is" : "are");
  listed = n_listed == 0 ? g_strdup ("Listed: the areas and groups whose figures the "
                                     "suppression policy allows to be shown, largest "
                                     "disparity first")
         : n_listed == 1 ? g_strdup ("Listed: the one area and group whose figures the "
                                     "suppression policy allows to be shown")
         : g_strdup_printf ("Listed: the %u pairs of area and group with the largest rate "
                            "ratio, largest first, among those whose figures the suppression "
                            "policy allows to be shown", n_listed);
  intro = g_strdup_printf ("Each group's rate in an area against the area's rate for all "
                           "groups, in %s for %s. The rate ratio's 95%% interval is by the delta "
                           "method, allowing for the group being part of its area. %s; "
                           "suppressed figures are never listed%s. Rates %s.",
                           tw_choropleth_get_period (brief->map),
                           tw_choropleth_get_measure_label (brief->map), listed, left_out,
                           brief->unit);
  tw_doc_paragraph (doc, intro, FALSE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);

  for (guint i = 0; i < MIN (found->len, MAX_DISPARITY_ROWS); i++)
    {
      Disparity *entry = &g_array_index (found, Disparity, i);
      const TwRateRow *row = tw_rate_table_get_row (brief->table, entry->row);
      const TwRateRow *ref = tw_rate_table_find_row (brief->table, row->area_id, "all");
      int index = tw_area_layer_find_geoid (brief->layer, row->geoid);
      const char *name = index >= 0 ? tw_area_layer_get_name (brief->layer, index) : NULL;
      g_autofree char *lo = tw_report_format_published (entry->lower);
      g_autofree char *hi = tw_report_format_published (entry->upper);
      g_autofree char *ratio = tw_report_format_published (entry->ratio);
      char **cells = g_new0 (char *, 6);

      cells[0] = name != NULL ? g_strdup_printf ("%s (%s)", name, row->geoid)
                              : g_strdup (row->geoid);
      cells[1] = tw_format_group_label (row->stratum);
      cells[2] = tw_report_format_rate_interval (row->rate, row->lower, row->upper);
      cells[3] = tw_report_format_rate_interval (ref->rate, ref->lower, ref->upper);
      cells[4] = isfinite (entry->lower) ? g_strdup_printf ("%s (%s–%s)", ratio, lo, hi)
                                         : g_strdup (ratio);
      g_ptr_array_add (rows, cells);
    }
  if (rows->len > 0)
    tw_doc_table (doc, area_columns, G_N_ELEMENTS (area_columns), rows, TW_DOC_TABLE_SIZE);
  else
    tw_doc_paragraph (doc, "No area has a group whose figures may be shown and whose rate is "
                   "worse than its area's.", FALSE, TW_DOC_BODY_SIZE, TW_DOC_MUTED_COLOR);

  tw_doc_heading (doc, "Groups across the region", TW_DOC_SUBHEADING_SIZE);
  tw_doc_paragraph (doc, "Each group's rate pooled over the areas of the map where its count is "
                 "shown (of the areas with a count for the group), and its share of the events "
                 "against its share of the population, over the areas where both its count and "
                 "the area's total are shown. Suppressed counts never enter a pooled figure. "
                 "Because the small counts are the ones left out, a pooled rate leans toward the "
                 "areas with no events or many: it is withheld (\"too few shown\") unless the "
                 "areas pooled hold at least 80% of the group's population.", FALSE,
                 TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);
  g_ptr_array_set_size (rows, 0);
  for (guint i = 0; i < brief->region->len; i++)
    {
      TwRegionFigure *f = g_ptr_array_index (brief->region, i);
      char **cells = g_new0 (char *, 6);

      cells[0] = tw_format_group_label (f->stratum);
      cells[1] = f->shown ? tw_report_format_rate_interval (f->rate, f->lower, f->upper)
                 : f->n_areas > 0 ? g_strdup ("too few shown") : g_strdup ("withheld");
      cells[2] = g_strdup_printf ("%u of %u", f->n_areas, f->n_rows);
      cells[3] = isfinite (f->share_events) ? format_percent (f->share_events)
                                            : g_strdup ("withheld");
      cells[4] = isfinite (f->share_denominator) ? format_percent (f->share_denominator)
                                                 : g_strdup ("–");
      g_ptr_array_add (rows, cells);
    }
  tw_doc_table (doc, group_columns, G_N_ELEMENTS (group_columns), rows, TW_DOC_TABLE_SIZE);
}

/* A project's evaluation as a board should read it: the verdict first, in words; progress
 * toward the goal only when the DiD's interval shows a change, and always with its
 * interval. */
char *
tw_report_evaluation_text (TwStore             *store,
                           GPtrArray           *measures,
                           const char          *measure,
                           const char          *unit,
                           TwProject           *project,
                           TwEvaluationVerdict *verdict)
{
  TwEvaluationOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwEvaluation) evaluation = NULL;
  g_autofree char *did = NULL, *lo = NULL, *hi = NULL, *figure = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  *verdict = (TwEvaluationVerdict) -1;
  if (project->measure == NULL || project->areas == NULL || project->areas->len == 0)
    return g_strdup ("Not evaluated: no measure or target areas");
  evaluation = tw_evaluation_run (store, project->id, &options, &error);
  if (evaluation == NULL)
    return g_strdup (error->domain == TW_EVALUATION_ERROR
                     && error->code == TW_EVALUATION_ERROR_NO_DATA
                     ? "Not evaluated: no periods on both sides of the start"
                     : "Not evaluated: needs a start date and periods");
  if (evaluation->verdict == TW_EVALUATION_VERDICT_NONE)
    return g_strdup ("Withheld under the suppression policy: no target or no comparison "
                     "area has its counts shown in every period used");

  *verdict = evaluation->verdict;
  did = tw_report_format_published (evaluation->did);
  lo = tw_report_format_published (evaluation->did_lower);
  hi = tw_report_format_published (evaluation->did_upper);
  if (g_strcmp0 (evaluation->measure, measure) == 0)
    figure = g_strdup_printf ("DiD %s %s, 95%% interval %s to %s", did, unit, lo, hi);
  else
    {
      TwMeasureInfo *info = find_measure (measures, evaluation->measure);
      g_autofree char *its_unit = info != NULL ? tw_report_measure_unit (info) : NULL;

      figure = g_strdup_printf ("DiD %s%s%s in %s, 95%% interval %s to %s", did,
                                its_unit != NULL ? " " : "", its_unit != NULL ? its_unit : "",
                                tw_report_measure_label (measures, evaluation->measure), lo,
                                hi);
    }

  switch (evaluation->verdict)
    {
    case TW_EVALUATION_VERDICT_NO_CHANGE:
      g_string_append (text, "Not distinguishable from the change in the comparison areas");
      break;
    case TW_EVALUATION_VERDICT_IMPROVED:
    case TW_EVALUATION_VERDICT_WORSENED:
      g_string_append (text, evaluation->verdict == TW_EVALUATION_VERDICT_IMPROVED
                             ? "Improved" : "Worsened");
      if (isfinite (evaluation->goal_progress))
        {
          g_autofree char *p = format_whole_percent (evaluation->goal_progress);
          g_autofree char *pl = format_whole_percent (evaluation->goal_progress_lower);
          g_autofree char *pu = format_whole_percent (evaluation->goal_progress_upper);

          g_string_append_printf (text, ": %s of the goal (95%% interval %s to %s)", p, pl, pu);
        }
      else
        g_string_append (text, " beyond the change in the comparison areas");
      break;
    case TW_EVALUATION_VERDICT_NONE:
      break;
    }
  g_string_append_printf (text, " (%s)", figure);
  if (evaluation->n_target_used < evaluation->n_target_areas
      || evaluation->n_comparison_used < evaluation->n_comparison_areas)
    g_string_append_printf (text, "; over %u of %u target and %u of %u comparison areas "
                            "whose counts are shown", evaluation->n_target_used,
                            evaluation->n_target_areas, evaluation->n_comparison_used,
                            evaluation->n_comparison_areas);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Outlines each project's target areas on the map and numbers them. */
static void
draw_footprints (Brief            *brief,
                 cairo_t          *cr,
                 const TwMapFrame *frame)
{
  TwGeometrySet *geometry = tw_area_layer_get_geometry (brief->layer);
  double scale = frame->width / (frame->view.max_x - frame->view.min_x);
  double r, g, b;

  tw_palette_fixed_rgb (TW_COLOR_PROJECT_OUTLINE, &r, &g, &b);
  cairo_save (cr);
  cairo_rectangle (cr, frame->x, frame->y, frame->width, frame->height);
  cairo_clip (cr);
  for (guint p = 0; p < brief->projects->len; p++)
    {
      TwProject *project = g_ptr_array_index (brief->projects, p);
      TwBox all = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
      g_autofree char *number = g_strdup_printf ("%u", p + 1);
      double cx, cy;
      guint n = 0;

      if (g_strcmp0 (project->geography, tw_area_layer_get_geography_name (brief->layer)) != 0)
        continue;
      cairo_new_path (cr);
      for (guint a = 0; project->areas != NULL && a < project->areas->len; a++)
        {
          int index = tw_area_layer_find_geoid (brief->layer,
                                                g_ptr_array_index (project->areas, a));
          TwBox box;

          if (index < 0)
            continue;
          tw_geometry_set_get_area_box (geometry, index, &box);
          all.min_x = MIN (all.min_x, box.min_x);
          all.min_y = MIN (all.min_y, box.min_y);
          all.max_x = MAX (all.max_x, box.max_x);
          all.max_y = MAX (all.max_y, box.max_y);
          n++;
          for (guint ring = 0; ring < tw_geometry_set_get_n_rings (geometry, index, 0.25 / scale);
               ring++)
            {
              guint n_points;
              const float *pt = tw_geometry_set_get_ring (geometry, index, 0.25 / scale, ring,
                                                          &n_points);

              for (guint k = 0; k < n_points; k++)
                {
                  double x = frame->x + (pt[2 * k] - frame->view.min_x) * scale;
                  double y = frame->y + (pt[2 * k + 1] - frame->view.min_y) * scale;

                  if (k == 0)
                    cairo_move_to (cr, x, y);
                  else
                    cairo_line_to (cr, x, y);
                }
              cairo_close_path (cr);
            }
        }
      if (n == 0)
        continue;
      /* A white halo keeps the outline visible on the darkest class. */
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 3.4);
      cairo_stroke_preserve (cr);
      cairo_set_source_rgb (cr, r, g, b);
      cairo_set_line_width (cr, 1.6);
      cairo_stroke (cr);

      /* The project's number in a disc beside its areas' box. */
      cx = frame->x + (all.max_x - frame->view.min_x) * scale + 4;
      cy = frame->y + (all.min_y - frame->view.min_y) * scale - 4;
      cairo_arc (cr, cx, cy, 7, 0, 2 * G_PI);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke_preserve (cr);
      cairo_set_source_rgb (cr, r, g, b);
      cairo_fill (cr);
      tw_typeset_text (cr, number, FALSE, 8, PANGO_WEIGHT_BOLD, cx - 7, cy - 5.2, 14,
                       PANGO_ALIGN_CENTER, 0xFFFFFF);
    }
  cairo_restore (cr);
}

/* The footprint map in words, for its alternative text. */
static char *
footprints_text (Brief *brief)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "Map of %s, %s, with the target areas of the partner projects "
                          "outlined and numbered:", tw_choropleth_get_measure_label (brief->map),
                          tw_choropleth_get_period (brief->map));
  for (guint p = 0, n = 0; p < brief->projects->len; p++)
    {
      TwProject *project = g_ptr_array_index (brief->projects, p);
      guint n_areas = project->areas != NULL ? project->areas->len : 0;

      if (g_strcmp0 (project->geography, tw_area_layer_get_geography_name (brief->layer)) != 0)
        continue;
      g_string_append_printf (text, "%s %u, %s (%u target area%s)", n++ > 0 ? ";" : "", p + 1,
                              project->title, n_areas, n_areas == 1 ? "" : "s");
    }
  g_string_append_c (text, '.');
  return g_string_free (text, FALSE);
}

static void
write_projects (Brief *brief,
                TwDoc *doc)
{
  static const TwDocColumn columns[] = {
    { "#", PANGO_ALIGN_LEFT },
    { "Project", PANGO_ALIGN_LEFT },
    { "Partners", PANGO_ALIGN_LEFT },
    { "Status", PANGO_ALIGN_LEFT },
    { "Dates", PANGO_ALIGN_LEFT },
    { "Goal", PANGO_ALIGN_LEFT },
    { "Evaluation", PANGO_ALIGN_LEFT },
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  TwGeometrySet *geometry = tw_area_layer_get_geometry (brief->layer);
  TwBox extent = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
  g_autoptr(GString) elsewhere = g_string_new (NULL);
  TwMapFrame frame;
  g_autofree char *alt = NULL;
  double map_h = 300, map_w, key_w, key_h, pad;
  guint n_areas = 0;

  /* No page that says only that there is nothing: the cover's key messages say it. */
  if (brief->projects->len == 0)
    return;
  tw_doc_new_page (doc);
  tw_doc_heading (doc, "Partner projects", TW_DOC_HEADING_SIZE);
  for (guint p = 0; p < brief->projects->len; p++)
    {
      TwProject *project = g_ptr_array_index (brief->projects, p);

      if (g_strcmp0 (project->geography, tw_area_layer_get_geography_name (brief->layer)) != 0)
        continue;
      for (guint a = 0; project->areas != NULL && a < project->areas->len; a++)
        {
          int index = tw_area_layer_find_geoid (brief->layer,
                                                g_ptr_array_index (project->areas, a));
          TwBox box;

          if (index < 0)
            continue;
          tw_geometry_set_get_area_box (geometry, index, &box);
          extent.min_x = MIN (extent.min_x, box.min_x);
          extent.min_y = MIN (extent.min_y, box.min_y);
          extent.max_x = MAX (extent.max_x, box.max_x);
          extent.max_y = MAX (extent.max_y, box.max_y);
          n_areas++;
        }
    }
  tw_doc_paragraph (doc, n_areas > 0
                      ? "Target areas of each project outlined on the map of the brief's "
                        "measure, numbered as in the table. Evaluations compare the target "
                        "areas with all other areas before and after each project's start "
                        "(difference in differences of pooled rates, 95% interval), over the "
                        "areas whose counts are shown in every period used. A project has "
                        "improved or worsened only when the interval excludes zero; progress "
                        "toward its goal is measured on the difference in differences."
                      : "Evaluations compare each project's target areas with all other areas "
                        "before and after its start (difference in differences of pooled "
                        "rates, 95% interval), over the areas whose counts are shown in every "
                        "period used. A project has improved or worsened only when the "
                        "interval excludes zero; progress toward its goal is measured on the "
                        "difference in differences.", FALSE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);
  if (n_areas > 0)
    {
      /* The footprints with their surroundings: half their size again around them. */
      pad = MAX (extent.max_x - extent.min_x, extent.max_y - extent.min_y) * 0.8;
      extent.min_x -= pad;
      extent.max_x += pad;
      extent.min_y -= pad;
      extent.max_y += pad;

      /* The map with its key (the classes' colours; the counts are the whole region's, not
       * this view's) and scale bar in a column beside it. */
      key_w = MIN (tw_map_export_legend_width (brief->export, TW_DOC_TABLE_SIZE, FALSE), 150.0);
      map_w = TW_DOC_TEXT_WIDTH - key_w - 18;
      map_h = MIN (map_h, map_w * (extent.max_y - extent.min_y) / (extent.max_x - extent.min_x));
      tw_doc_ensure (doc, map_h + 20);
      alt = footprints_text (brief);
      tw_doc_figure_begin (doc, alt);
      tw_map_export_draw_map (brief->export, doc->cr, TW_DOC_MARGIN, doc->y, map_w, map_h,
                              &extent, &frame);
      draw_footprints (brief, doc->cr, &frame);
      key_h = tw_map_export_draw_legend (brief->export, doc->cr, TW_DOC_MARGIN + map_w + 18,
                                         doc->y, key_w, TW_DOC_TABLE_SIZE, FALSE);
      tw_map_export_draw_scale_bar (doc->cr, &frame, TW_DOC_MARGIN + map_w + 18,
                                    doc->y + key_h + 14 + TW_DOC_TABLE_SIZE * 0.4, key_w,
                                    TW_DOC_TABLE_SIZE);
      tw_doc_figure_end (doc);
      doc->y += MAX (map_h, key_h + 14 + TW_DOC_TABLE_SIZE * 3.2) + 8;
    }
  for (guint p = 0; p < brief->projects->len; p++)
    {
      TwProject *project = g_ptr_array_index (brief->projects, p);

      if (g_strcmp0 (project->geography, tw_area_layer_get_geography_name (brief->layer)) == 0)
        continue;
      g_string_append_printf (elsewhere, "%s%u (%s)", elsewhere->len > 0 ? ", " : "", p + 1,
                              project->geography != NULL ? project->geography
                                                         : "no target areas");
    }
  if (elsewhere->len > 0)
    {
      g_autofree char *note = g_strdup_printf ("%s, as their target areas are in another "
                                               "geography: %s.",
                                               n_areas > 0 ? "Not on this map"
                                                           : "No map of the projects",
                                               elsewhere->str);

      tw_doc_paragraph (doc, note, FALSE, TW_DOC_SMALL_SIZE, TW_DOC_MUTED_COLOR);
    }
  doc->y += 6;

  for (guint p = 0; p < brief->projects->len; p++)
    {
      TwProject *project = g_ptr_array_index (brief->projects, p);
      g_autoptr(GString) partners = g_string_new (NULL);
      char **cells = g_new0 (char *, 8);

      for (guint i = 0; project->partners != NULL && i < project->partners->len; i++)
        {
          TwProjectPartner *partner = g_ptr_array_index (project->partners, i);

          if (partners->len > 0)
            g_string_append (partners, "; ");
          g_string_append (partners, partner->name);
          if (partner->role != NULL)
            g_string_append_printf (partners, " (%s)", partner->role);
        }
      cells[0] = g_strdup_printf ("%u", p + 1);
      cells[1] = g_strdup (project->title);
      cells[2] = g_strdup (partners->len > 0 ? partners->str : "–");
      cells[3] = g_strdup (tw_report_status_words (project->status));
      cells[4] = g_strdup_printf ("%s – %s", project->start_date ? project->start_date : "?",
                                  project->end_date ? project->end_date : "open");
      cells[5] = isfinite (project->goal_percent)
                 ? g_strdup_printf ("%g%% better%s%s", project->goal_percent,
                                    project->measure != NULL ? ", " : "",
                                    project->measure != NULL
                                    ? tw_report_measure_label (brief->measures,
                                                               project->measure)
                                    : "")
                 : g_strdup ("–");
      cells[6] = g_strdup (g_ptr_array_index (brief->evaluations, p));
      g_ptr_array_add (rows, cells);
    }
  tw_doc_table (doc, columns, G_N_ELEMENTS (columns), rows, TW_DOC_TABLE_SIZE);
}

/* The top of the trends' shared y-axis: the highest upper bound of any group's shown
 * point, so that groups compared side by side are drawn to one scale. */
static double
trends_top (Brief *brief)
{
  double top = 0;

  for (guint p = 0; p < brief->by_period->len; p++)
    {
      GPtrArray *figures = g_ptr_array_index (brief->by_period, p);

      for (guint i = 0; i < figures->len; i++)
        {
          TwRegionFigure *f = g_ptr_array_index (figures, i);

          if (f->shown)
            top = MAX (top, isfinite (f->upper) ? f->upper : f->rate);
        }
    }
  return top;
}

/* A trend chart in words, for its alternative text: each period's point as printed. */
static char *
trend_text (Brief      *brief,
            const char *stratum)
{
  g_autofree char *group = tw_format_group_label (stratum);
  GString *text = g_string_new (NULL);
  guint shown = 0;

  g_string_append_printf (text, "Trend of the rate for %s, %s, pooled over the areas whose "
                          "counts are shown:", group, brief->unit);
  for (guint p = 0; p < brief->by_period->len; p++)
    {
      TwRegionFigure *f = tw_region_figures_find (g_ptr_array_index (brief->by_period, p), stratum);
      g_autofree char *figure = NULL;

      if (f == NULL || !f->shown || !isfinite (f->rate))
        figure = g_strdup ("not shown");
      else
        {
          figure = tw_report_format_rate_interval (f->rate, f->lower, f->upper);
          shown++;
        }
      g_string_append_printf (text, "%s %s %s", p > 0 ? "," : "", brief->periods[p], figure);
    }
  g_string_append_c (text, '.');
  if (shown == 0)
    {
      g_string_truncate (text, 0);
      g_string_append_printf (text, "Trend of the rate for %s: no period may be shown.", group);
    }
  return g_string_free (text, FALSE);
}

/* A small chart of one group's pooled rate by period, with its intervals, on the y-axis
 * from 0 to @shared_top that every group's chart shares. */
static void
draw_trend (Brief      *brief,
            cairo_t    *cr,
            const char *stratum,
            double      shared_top,
            double      x,
            double      y,
            double      w,
            double      h)
{
  GStrv periods = brief->periods;
  GPtrArray *by_period = brief->by_period;
  guint n = g_strv_length (periods);
  /* The plot leaves a gutter for the rates on its left, room for half a period's label on
   * its right and a line for the periods under it. */
  double top = shared_top, px0 = x + 40, pw = w - 40 - 18;
  gboolean any = FALSE;
  double py0 = y + TW_DOC_BODY_SIZE * 2.4 + TW_DOC_SMALL_SIZE * 1.3;
  double ph = h - (py0 - y) - TW_DOC_SMALL_SIZE * 2.6;
  double step, tick;
  gboolean pen = FALSE;
  guint shown = 0, fewest = G_MAXUINT, most = 0, rows = 0;
  g_autofree char *heading = tw_format_group_label (stratum);
  g_autofree char *caption = NULL;

  tw_typeset_text (cr, heading, FALSE, TW_DOC_BODY_SIZE, PANGO_WEIGHT_BOLD, x, y, w,
                   PANGO_ALIGN_LEFT, TW_DOC_TEXT_COLOR);
  for (guint p = 0; p < n; p++)
    {
      GPtrArray *figures = g_ptr_array_index (by_period, p);

      for (guint i = 0; figures != NULL && i < figures->len; i++)
        {
          TwRegionFigure *f = g_ptr_array_index (figures, i);

          if (!g_str_equal (f->stratum, stratum) || f->n_rows == 0)
            continue;
          fewest = MIN (fewest, f->n_areas);
          most = MAX (most, f->n_areas);
          rows = MAX (rows, f->n_rows);
          any |= f->shown;
        }
    }
  /* Over how many areas each point pools, as the tables say it. */
  if (rows > 0)
    {
      caption = fewest == most
                ? g_strdup_printf ("Over %u of %u areas with counts shown", most, rows)
                : g_strdup_printf ("Over %u–%u of %u areas with counts shown", fewest, most,
                                   rows);
      tw_typeset_text (cr, caption, FALSE, TW_DOC_SMALL_SIZE, PANGO_WEIGHT_NORMAL, x,
                       y + TW_DOC_BODY_SIZE * 1.5, w, PANGO_ALIGN_LEFT, TW_DOC_MUTED_COLOR);
    }
  if (!any || !(top > 0))
    {
      /* Below the caption, which says over how many areas. */
      tw_typeset_text (cr, most > 0 ? "No period is shown: the areas whose counts are shown "
                                      "hold too little of the group's population to pool."
                                    : "No period can be shown under the suppression policy.",
                       FALSE, TW_DOC_SMALL_SIZE, PANGO_WEIGHT_NORMAL, x,
                       y + TW_DOC_BODY_SIZE * 1.5 + TW_DOC_SMALL_SIZE * 2.2, w, PANGO_ALIGN_LEFT,
                       TW_DOC_MUTED_COLOR);
      return;
    }
  tick = pow (10, floor (log10 (top / 2)));
  if (top / tick > 8)
    tick *= 5;
  else if (top / tick > 4)
    tick *= 2;
  top = ceil (top / tick) * tick;

  cairo_save (cr);
  cairo_set_line_width (cr, 0.4);
  for (double v = 0; v <= top + tick / 2; v += tick)
    {
      double ty = py0 + ph - v / top * ph;
      g_autofree char *label = format_number (v, tick >= 1 ? 0 : (guint) ceil (-log10 (tick)));

      tw_typeset_set_color (cr, TW_DOC_RULE_COLOR);
      cairo_move_to (cr, px0, ty);
      cairo_line_to (cr, px0 + pw, ty);
      cairo_stroke (cr);
      tw_typeset_text (cr, label, FALSE, TW_DOC_SMALL_SIZE, PANGO_WEIGHT_NORMAL, x,
                       ty - TW_DOC_SMALL_SIZE * 0.6, px0 - x - 6, PANGO_ALIGN_RIGHT,
                       TW_DOC_MUTED_COLOR);
    }
  step = n > 1 ? pw / (n - 1) : 0;
  for (guint p = 0; p < n; p++)
    {
      double tx = n > 1 ? px0 + p * step : px0 + pw / 2;

      tw_typeset_text (cr, periods[p], FALSE, TW_DOC_SMALL_SIZE, PANGO_WEIGHT_NORMAL, tx - 30,
                       py0 + ph + TW_DOC_SMALL_SIZE * 0.8, 60, PANGO_ALIGN_CENTER,
                       TW_DOC_MUTED_COLOR);
    }

  /* Whiskers, then the line through shown points (broken where one is withheld). */
  tw_typeset_set_color (cr, TW_DOC_ACCENT_COLOR);
  for (guint pass = 0; pass < 2; pass++)
    for (guint p = 0; p < n; p++)
      {
        GPtrArray *figures = g_ptr_array_index (by_period, p);
        TwRegionFigure *f = NULL;
        double tx = n > 1 ? px0 + p * step : px0 + pw / 2;

        for (guint i = 0; figures != NULL && i < figures->len; i++)
          if (g_str_equal (((TwRegionFigure *) g_ptr_array_index (figures, i))->stratum, stratum))
            f = g_ptr_array_index (figures, i);
        if (f == NULL || !f->shown || !isfinite (f->rate))
          {
            if (pass == 1 && pen)
              cairo_stroke (cr);
            pen = FALSE;
            continue;
          }
        if (pass == 0)
          {
            cairo_set_line_width (cr, 0.8);
            cairo_move_to (cr, tx, py0 + ph - f->lower / top * ph);
            cairo_line_to (cr, tx, py0 + ph - f->upper / top * ph);
            cairo_stroke (cr);
            cairo_arc (cr, tx, py0 + ph - f->rate / top * ph, 2.2, 0, 2 * G_PI);
            cairo_fill (cr);
            shown++;
          }
        else
          {
            cairo_set_line_width (cr, 1.4);
            if (pen)
              cairo_line_to (cr, tx, py0 + ph - f->rate / top * ph);
            else
              cairo_move_to (cr, tx, py0 + ph - f->rate / top * ph);
            pen = TRUE;
          }
      }
  if (pen)
    cairo_stroke (cr);
  cairo_restore (cr);
}

/* Each group's pooled figures in every period of the measure, for the trends and the
 * cover's largest change. */
static gboolean
compute_trends (Brief         *brief,
                GCancellable  *cancellable,
                GError       **error)
{
  gint64 measure_id;

  brief->by_period = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  measure_id = tw_store_resolve_measure (brief->store, brief->options->measure, error);
  if (measure_id < 0)
    return FALSE;
  brief->periods = tw_store_list_periods (brief->store, measure_id, error);
  if (brief->periods == NULL)
    return FALSE;
  for (guint p = 0; brief->periods[p] != NULL; p++)
    {
      TwRateQuery query = { 0 };
      g_autoptr(TwRateTable) table = NULL;

      query.measure = brief->options->measure;
      query.period = brief->periods[p];
      query.geography_id = tw_area_layer_get_geography_id (brief->layer);
      query.method = TW_RATE_METHOD_CRUDE;
      table = tw_rate_table_compute (brief->store, &query, NULL, cancellable, error);
      if (table == NULL)
        return FALSE;
      g_ptr_array_add (brief->by_period, tw_region_figures_compute (table));
    }
  return TRUE;
}

/* Why a group has no trend chart: no period of it may be shown. */
typedef enum
{
  TREND_SHOWN,
  TREND_SUPPRESSED,   /* no area's count of the group is shown in any period */
  TREND_TOO_FEW,      /* the areas shown hold too little of its population to pool */
  TREND_NO_DATA,
} TrendStatus;

static TrendStatus
trend_status (Brief      *brief,
              const char *stratum)
{
  guint rows = 0, areas = 0;

  for (guint p = 0; p < brief->by_period->len; p++)
    {
      TwRegionFigure *f = tw_region_figures_find (g_ptr_array_index (brief->by_period, p),
                                                  stratum);

      if (f == NULL)
        continue;
      if (f->shown && isfinite (f->rate))
        return TREND_SHOWN;
      rows += f->n_rows;
      areas += f->n_areas;
    }
  return rows == 0 ? TREND_NO_DATA : areas == 0 ? TREND_SUPPRESSED : TREND_TOO_FEW;
}

void
tw_report_append_list (GString   *text,
                       GPtrArray *labels)
{
  for (guint i = 0; i < labels->len; i++)
    g_string_append_printf (text, "%s%s", i == 0 ? "" : i + 1 == labels->len ? " and " : ", ",
                            (char *) g_ptr_array_index (labels, i));
}

/* Why the groups @names have no chart, as a clause. */
static char *
trend_reason (TrendStatus  status,
              const char  *names,
              gboolean     several)
{
  switch (status)
    {
    case TREND_SUPPRESSED:
      return g_strdup_printf ("%s, whose counts are all suppressed under the policy", names);
    case TREND_TOO_FEW:
      return g_strdup_printf ("%s, as in every period the areas whose counts are shown hold "
                              "less than %g%% of %s population: too little for a regional "
                              "rate that does not lean towards the larger counts", names,
                              100 * MIN_POOLED_POPULATION,
                              several ? "each group's" : "the group's");
    case TREND_NO_DATA:
      return g_strdup_printf ("%s, without counts", names);
    case TREND_SHOWN:
    default:
      g_assert_not_reached ();
    }
}

/* One sentence naming the groups without a chart and why; NULL when every group has one. */
static char *
trends_left_out (Brief *brief)
{
  const char *const *strata = tw_rate_table_get_strata (brief->table);
  g_autoptr(GString) text = g_string_new (NULL);

  for (TrendStatus status = TREND_SUPPRESSED; status <= TREND_NO_DATA; status++)
    {
      g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GString) names = g_string_new (NULL);
      g_autofree char *reason = NULL;

      for (guint s = 0; strata[s] != NULL; s++)
        if (trend_status (brief, strata[s]) == status)
          g_ptr_array_add (labels, tw_format_group_label (strata[s]));
      if (labels->len == 0)
        continue;
      tw_report_append_list (names, labels);
      reason = trend_reason (status, names->str, labels->len > 1);
      g_string_append_printf (text, "%s%s", text->len == 0 ? "Not shown: " : "; ", reason);
    }
  if (text->len == 0)
    return NULL;
  g_string_append_c (text, '.');
  return g_strdup (text->str);
}

/* A chart for each group with a period that may be shown, all on one y-axis, and a
 * sentence for the others; no page when no group has one. */
static void
write_trends (Brief *brief,
              TwDoc *doc)
{
  const char *const *strata = tw_rate_table_get_strata (brief->table);
  double ch = 150;
  double top = trends_top (brief);
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  g_autofree char *intro = NULL;
  g_autofree char *left_out = trends_left_out (brief);
  double cw;

  for (guint s = 0; strata[s] != NULL; s++)
    if (trend_status (brief, strata[s]) == TREND_SHOWN)
      g_ptr_array_add (shown, (gpointer) strata[s]);
  if (shown->len == 0)
    return;
  /* One chart alone takes the whole width. */
  cw = shown->len == 1 ? TW_DOC_TEXT_WIDTH : (TW_DOC_TEXT_WIDTH - 24) / 2;

  tw_doc_new_page (doc);
  tw_doc_heading (doc, "Trends", TW_DOC_HEADING_SIZE);
  intro = g_strdup_printf ("The region's rate for each group by period (%s), pooled over "
                           "the areas of the map where the group's count is shown, with 95%% "
                           "intervals, every group on the same scale. Suppressed counts never "
                           "enter a point; a period with no count shown is left out and the line "
                           "is broken there.",
                           brief->unit);
  tw_doc_paragraph (doc, intro, FALSE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);
  if (left_out != NULL)
    tw_doc_paragraph (doc, left_out, FALSE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);
  for (guint i = 0; i < shown->len; i++)
    {
      const char *stratum = g_ptr_array_index (shown, i);
      guint col = shown->len == 1 ? 0 : i % 2;
      g_autofree char *alt = trend_text (brief, stratum);

      if (col == 0)
        tw_doc_ensure (doc, ch);
      tw_doc_figure_begin (doc, alt);
      draw_trend (brief, doc->cr, stratum, top, TW_DOC_MARGIN + col * (cw + 24), doc->y, cw,
                  ch - 12);
      tw_doc_figure_end (doc);
      if (col == 1 || i + 1 == shown->len)
        doc->y += ch;
    }
}

/* The area attributes' data dictionary in a few rows: one a source of each geography, with
 * how many fields it gave, how many have their margin of error beside them, and its
 * universe, release, licence and null codes. The full dictionary goes with every share
 * package; `tractwise-cli attributes` lists it. */
static void
add_dictionary_summary (TwStore   *store,
                        GPtrArray *geographies,
                        TwDoc     *doc)
{
  static const TwDocColumn columns[] = {
    { "Attributes", PANGO_ALIGN_LEFT },
    { "Fields", PANGO_ALIGN_RIGHT },
    { "Universe", PANGO_ALIGN_LEFT },
    { "Release", PANGO_ALIGN_LEFT },
    { "Licence", PANGO_ALIGN_LEFT },
    { "Null codes", PANGO_ALIGN_LEFT },
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint i = 0; geographies != NULL && i < geographies->len; i++)
    {
      TwGeographyInfo *geography = g_ptr_array_index (geographies, i);
      g_autoptr(GPtrArray) entries = tw_store_load_dictionary (store, geography->id, NULL);
      g_autoptr(GPtrArray) sources = g_ptr_array_new ();   /* the first entry of each */

      for (guint e = 0; entries != NULL && e < entries->len; e++)
        {
          TwDictionaryEntry *entry = g_ptr_array_index (entries, e);
          gboolean seen = FALSE;

          for (guint k = 0; k < sources->len && !seen; k++)
            seen = g_strcmp0 (((TwDictionaryEntry *) g_ptr_array_index (sources, k))->source,
                              entry->source) == 0;
          if (!seen)
            g_ptr_array_add (sources, entry);
        }
      for (guint k = 0; k < sources->len; k++)
        {
          TwDictionaryEntry *first = g_ptr_array_index (sources, k);
          guint n_fields = 0, n_moe = 0;
          char **cells = g_new0 (char *, G_N_ELEMENTS (columns) + 1);

          for (guint e = 0; e < entries->len; e++)
            {
              TwDictionaryEntry *entry = g_ptr_array_index (entries, e);

              if (g_strcmp0 (entry->source, first->source) != 0)
                continue;
              n_fields++;
              n_moe += entry->moe != NULL && *entry->moe != '\0';
            }
          cells[0] = g_strdup_printf ("%s, on %s", first->source != NULL ? first->source
                                                                        : "source not given",
                                      geography->name);
          cells[1] = n_moe > 0 ? g_strdup_printf ("%u (%u with a margin of error)", n_fields,
                                                  n_moe)
                               : g_strdup_printf ("%u", n_fields);
          cells[2] = g_strdup (first->universe != NULL ? first->universe : "–");
          cells[3] = g_strdup (first->release != NULL ? first->release : "–");
          cells[4] = g_strdup (first->licence != NULL ? first->licence : "–");
          cells[5] = g_strdup (first->null_codes != NULL ? first->null_codes : "–");
          g_ptr_array_add (rows, cells);
        }
    }
  if (rows->len == 0)
    return;
  /* The lead-in stays with its table. */
  tw_doc_ensure (doc, 110);
  tw_doc_paragraph (doc, "Area attributes (community data) and their data dictionary, "
                    "summarised by source:", FALSE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);
  tw_doc_table (doc, columns, G_N_ELEMENTS (columns), rows, TW_DOC_TABLE_SIZE);
}

void
tw_report_add_sources (TwStore   *store,
                       GPtrArray *measures,
                       TwDoc     *doc)
{
  static const TwDocColumn geo_columns[] = {
    { "Geography", PANGO_ALIGN_LEFT },
    { "Level", PANGO_ALIGN_LEFT },
    { "Vintage", PANGO_ALIGN_LEFT },
    { "Source", PANGO_ALIGN_LEFT },
  };
  static const TwDocColumn measure_columns[] = {
    { "Measure", PANGO_ALIGN_LEFT },
    { "Kind", PANGO_ALIGN_LEFT },
    { "Source", PANGO_ALIGN_LEFT },
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) geographies = tw_store_list_geographies (store, -1, NULL, NULL);

  if (geographies != NULL)
    g_ptr_array_sort (geographies, tw_geography_info_compare_names);

  for (guint i = 0; geographies != NULL && i < geographies->len; i++)
    {
      TwGeographyInfo *geography = g_ptr_array_index (geographies, i);
      char **cells = g_new0 (char *, 5);

      cells[0] = g_strdup (geography->name);
      cells[1] = g_strdup (geography->level);
      cells[2] = g_strdup (geography->vintage != NULL ? geography->vintage : "–");
      cells[3] = g_strdup (geography->source != NULL ? geography->source : "–");
      g_ptr_array_add (rows, cells);
    }
  tw_doc_table (doc, geo_columns, G_N_ELEMENTS (geo_columns), rows, TW_DOC_TABLE_SIZE);

  g_ptr_array_set_size (rows, 0);
  for (guint i = 0; measures != NULL && i < measures->len; i++)
    {
      TwMeasureInfo *measure = g_ptr_array_index (measures, i);
      char **cells = g_new0 (char *, 4);
      g_autofree char *per = format_number (measure->multiplier, 0);

      cells[0] = g_strdup (measure->label != NULL ? measure->label : measure->code);
      cells[1] = g_strdup_printf ("%s per %s", g_str_equal (measure->kind, "proportion")
                                               ? "Proportion" : "Rate", per);
      cells[2] = g_strdup (measure->source != NULL ? measure->source : "–");
      g_ptr_array_add (rows, cells);
    }
  tw_doc_table (doc, measure_columns, G_N_ELEMENTS (measure_columns), rows, TW_DOC_TABLE_SIZE);
  add_dictionary_summary (store, geographies, doc);
}

static void
write_methods (Brief *brief,
               TwDoc *doc)
{
  const TwClassification *classes = tw_choropleth_get_classification (brief->map);
  g_autofree char *rates = NULL;
  g_autofree char *classing = NULL;
  g_autofree char *policy = NULL;
  g_autofree char *made = NULL;
  g_autoptr(GString) breaks = g_string_new (NULL);
  gboolean proportion = tw_choropleth_is_proportion (brief->map);
  g_autofree char *reliability =
    tw_policy_text_rule (tw_choropleth_get_policy (brief->map));

  tw_doc_new_page (doc);
  tw_doc_heading (doc, "Methods", TW_DOC_HEADING_SIZE);
  rates = g_strdup_printf ("<b>Rates.</b> A crude rate is the number of events divided by the "
                           "population at risk, %s. The 95%% intervals are %s. %s Unreliable "
                           "figures should be read with their intervals, and are left out of "
                           "rankings.", brief->unit,
                           proportion ? "Wilson score intervals, as this measure is a "
                                        "proportion (binomial counts); rates get exact Poisson "
                                        "(Garwood) intervals"
                                      : "exact Poisson intervals (Garwood, from chi-square "
                                        "quantiles), as this measure is a rate (Poisson counts); "
                                        "proportions get Wilson score intervals",
                           reliability);
  tw_doc_paragraph (doc, rates, TRUE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);
  tw_doc_paragraph (doc, "<b>Smoothing.</b> The map and tables show crude rates: no smoothing was "
                 "applied. Tractwise also offers global and spatial Empirical Bayes smoothing "
                 "(Marshall 1991) for the analyst's own screen.", TRUE, TW_DOC_BODY_SIZE,
                 TW_DOC_TEXT_COLOR);
  for (guint i = 0; classes != NULL && i <= classes->n_classes; i++)
    {
      g_autofree char *b = tw_choropleth_format_rate (brief->map, classes->breaks[i]);

      g_string_append_printf (breaks, "%s%s", i > 0 ? ", " : "", b);
    }
  classing = g_strdup_printf ("<b>Classes.</b> The map's %u classes are %s breaks of the "
                              "rates of the areas shown (%s), with the palette %s, "
                              "colour-blind safe where the palette is. Suppressed areas are "
                              "left out of the classes and hatched; areas without data are "
                              "grey.",
                              classes != NULL ? classes->n_classes : 0,
                              classes != NULL ? tw_classify_method_to_string (classes->method)
                                              : "no",
                              breaks->len > 0 ? breaks->str : "none",
                              tw_palette_get_name (tw_choropleth_get_palette (brief->map)));
  if (classes == NULL)
    {
      g_free (classing);
      classing = g_strdup ("<b>Classes.</b> No area could be classed: every area is "
                           "suppressed or without data. Suppressed areas are hatched; areas "
                           "without data are grey.");
    }
  tw_doc_paragraph (doc, classing, TRUE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);
  tw_doc_paragraph (doc, "<b>Disparities.</b> Rate ratios of a group against its area's overall "
                 "rate, with 95% intervals exp (ln RR ± 1.96 SE) by the delta method (Katz's "
                 "log method for proportions), allowing for the group's events being part of "
                 "the area's.", TRUE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);
  tw_doc_paragraph (doc, "<b>Project evaluation.</b> Difference in differences of pooled rates: "
                 "(target after − target before) − (comparison after − comparison before), "
                 "with a normal-approximation 95% interval from the four pools' variances, "
                 "over the areas whose counts are shown in every period used: an area with a "
                 "suppressed count in any of them is left out of every pool. A project has "
                 "improved (or worsened) when the interval lies wholly on the good (or bad) "
                 "side of zero; otherwise its change is not distinguishable from the change in "
                 "the comparison areas. Progress toward a goal is the difference in "
                 "differences against the goal expressed as a change of the target areas' rate "
                 "before the start, with the interval carried over; the target areas' own "
                 "change is no measure of progress, as it holds the trend everywhere.",
                 TRUE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);

  tw_doc_heading (doc, "Suppression policy", TW_DOC_SUBHEADING_SIZE);
  policy = tw_policy_text_describe (tw_choropleth_get_policy (brief->map));
  tw_doc_paragraph (doc, policy, FALSE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);
  tw_doc_paragraph (doc, "A suppressed cell shows no count, rate, interval or ratio; its "
                 "population stays. Pooled figures (the region's rates and shares, the trends, "
                 "project evaluations) are computed over the cells whose counts are shown, "
                 "never with a suppressed one, and say over how many areas; no two of them can "
                 "be subtracted to recover a suppressed count. Rates, intervals, ratios and "
                 "shares are given to 3 significant figures. This brief never reveals a "
                 "suppressed figure.", FALSE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);

  tw_doc_heading (doc, "Data sources and vintages", TW_DOC_SUBHEADING_SIZE);
  tw_report_add_sources (brief->store, brief->measures, doc);

  tw_doc_heading (doc, "About this brief", TW_DOC_SUBHEADING_SIZE);
  made = g_strdup_printf ("Made with Tractwise %s on %s from the project file %s.",
                          PACKAGE_VERSION, brief->today, brief->project_name);
  tw_doc_paragraph (doc, made, FALSE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);
}

/* From the measure's first period to its last (tw-brief-change.c); none with one period. */
static void
write_change (Brief *brief,
              TwDoc *doc)
{
  guint n = brief->periods != NULL ? g_strv_length (brief->periods) : 0;
  g_autoptr(GError) error = NULL;
  TwBriefChange page = { 0 };

  if (n < 2)
    return;
  page.store = brief->store;
  page.layer = brief->layer;
  page.measure = brief->options->measure;
  page.stratum = brief->stratum;
  page.from = brief->periods[0];
  page.to = brief->periods[n - 1];
  page.first = g_ptr_array_index (brief->by_period, 0);
  page.last = g_ptr_array_index (brief->by_period, n - 1);
  page.kind = tw_rate_table_get_kind (brief->table);
  page.higher_is_worse = tw_rate_table_get_higher_is_worse (brief->table);
  page.unit = brief->unit;
  if (!tw_brief_write_change (&page, doc, &error))
    g_warning ("The brief's page of change was left out: %s", error->message);
}

static void
write_brief (TwDoc    *doc,
             gpointer  user_data)
{
  Brief *brief = user_data;

  write_cover (brief, doc);
  tw_doc_new_page (doc);
  write_map (brief, doc);
  write_disparities (brief, doc);
  write_projects (brief, doc);
  write_trends (brief, doc);
  write_change (brief, doc);
  write_methods (brief, doc);
}

static void
brief_clear (Brief *brief)
{
  g_clear_pointer (&brief->layer, tw_area_layer_unref);
  g_clear_pointer (&brief->map, tw_choropleth_unref);
  g_clear_pointer (&brief->export, tw_map_export_unref);
  g_clear_pointer (&brief->table, tw_rate_table_unref);
  g_clear_pointer (&brief->region, g_ptr_array_unref);
  g_clear_pointer (&brief->projects, g_ptr_array_unref);
  g_free (brief->project_name);
  g_free (brief->today);
  g_free (brief->unit);
  g_free (brief->title);
  g_free (brief->organisation);
  g_clear_pointer (&brief->measures, g_ptr_array_unref);
  g_clear_pointer (&brief->periods, g_strfreev);
  g_clear_pointer (&brief->by_period, g_ptr_array_unref);
  g_clear_pointer (&brief->evaluations, g_ptr_array_unref);
  g_clear_pointer (&brief->verdicts, g_array_unref);
  g_clear_pointer (&brief->disparities, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Brief, brief_clear)

gboolean
tw_brief_write (TwStore              *store,
                const TwBriefOptions *options,
                const char           *path,
                GCancellable         *cancellable,
                GError              **error)
{
  g_auto(Brief) brief = { 0 };
  g_autoptr(TwMapRequest) request = NULL;
  TwRateQuery rate_query = { 0 };
  TwMapLayout layout = { 0 };
  g_autofree char *base = NULL;
  g_autofree char *policy = NULL;
  const TwSuppressionPolicy *p;
  TwDocInfo info = { 0 };
  g_autofree char *head_left = NULL;
  gint64 geography_id;

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (options != NULL && options->measure != NULL, FALSE);
  g_return_val_if_fail (options->period != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  brief.store = store;
  brief.options = options;
  brief.stratum = options->stratum != NULL ? options->stratum : "all";
  /* The map: quantiles in the default number of classes, never revealed. */
  request = tw_map_request_new ();
  tw_map_request_set_measure (request, options->measure);
  tw_map_request_set_period (request, options->period);
  tw_map_request_set_stratum (request, options->stratum);
  tw_map_request_set_geography (request, options->geography);
  brief.map = tw_map_request_compute (request, store, cancellable, error);
  if (brief.map == NULL)
    return FALSE;
  brief.layer = tw_area_layer_ref (tw_choropleth_get_layer (brief.map));
  geography_id = tw_area_layer_get_geography_id (brief.layer);
  brief.title = g_strdup (options->title != NULL ? options->title
                                                 : tw_choropleth_get_measure_label (brief.map));
  layout.title = brief.title;
  layout.source = options->source;
  brief.export = tw_map_export_new (store, brief.map, &layout, cancellable, error);
  if (brief.export == NULL)
    return FALSE;

  rate_query.measure = options->measure;
  rate_query.period = options->period;
  rate_query.geography_id = geography_id;
  rate_query.method = TW_RATE_METHOD_CRUDE;
  brief.table = tw_rate_table_compute (store, &rate_query, NULL, cancellable, error);
  if (brief.table == NULL)
    return FALSE;
  brief.region = tw_region_figures_compute (brief.table);
  brief.disparities = find_disparities (&brief);
  brief.projects = tw_project_list (store, error);
  if (brief.projects == NULL)
    return FALSE;
  brief.measures = tw_store_list_measures (store, error);
  if (brief.measures == NULL || !compute_trends (&brief, cancellable, error))
    return FALSE;
  brief.organisation = options->organisation != NULL && *options->organisation != '\0'
                       ? g_strdup (options->organisation)
                       : tw_store_get_setting (store, "organisation");
  if (brief.organisation != NULL && *brief.organisation == '\0')
    g_clear_pointer (&brief.organisation, g_free);

  base = g_path_get_basename (tw_store_get_path (store));
  brief.project_name = g_str_has_suffix (base, ".tractwise")
                       ? g_strndup (base, strlen (base) - strlen (".tractwise"))
                       : g_strdup (base);
  brief.today = tw_export_today ();
  {
    g_autofree char *unit = tw_choropleth_format_unit (brief.map);

    brief.unit = g_str_equal (unit, "%") ? g_strdup ("in percent") : g_steal_pointer (&unit);
  }
  /* After the unit, which the evaluations' figures print. */
  brief.evaluations = g_ptr_array_new_with_free_func (g_free);
  brief.verdicts = g_array_new (FALSE, FALSE, sizeof (int));
  for (guint i = 0; i < brief.projects->len; i++)
    {
      TwEvaluationVerdict verdict;

      g_ptr_array_add (brief.evaluations,
                       tw_report_evaluation_text (store, brief.measures, options->measure,
                                                  brief.unit,
                                                  g_ptr_array_index (brief.projects, i),
                                                  &verdict));
      g_array_append_val (brief.verdicts, verdict);
    }

  head_left = g_strdup_printf ("%s · Board brief", brief.organisation != NULL
                                                    ? brief.organisation : brief.project_name);
  info.title = brief.title;
  info.language = "en-US";
  info.head_left = head_left;
  info.head_right = brief.title;
  if (!tw_doc_write_pdf (&info, write_brief, &brief, path, error))
    return FALSE;

  p = tw_choropleth_get_policy (brief.map);
  policy = g_strdup_printf ("%s, k = %u", tw_suppression_preset_to_string (p->preset),
                            p->min_count);
  return tw_export_audit (store, "export-brief", path, "pdf", error,
                          "measure", options->measure, "period", options->period,
                          "stratum", brief.stratum, "policy", policy, NULL);
}
