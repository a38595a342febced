/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-brief"

#include <math.h>

#include "tw-brief-private.h"
#include "tw-change.h"
#include "tw-format.h"

/* Rows of each table of the change page. */
#define MAX_CHANGE_ROWS 5

typedef struct
{
  guint  row;
  double size;   /* how far the change is from none, in the direction of the table */
} Ranked;

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *x = a, *y = b;

  if (x->size != y->size)
    return x->size < y->size ? 1 : -1;
  return (int) x->row - (int) y->row;
}

/* "−4.2 (−6.0 to −2.4)": a signed change and its interval. */
static char *
format_change (double value,
               double lower,
               double upper)
{
  g_autofree char *v = tw_format_published (value, TRUE, TRUE, "–");
  g_autofree char *lo = tw_format_published (lower, TRUE, TRUE, "–");
  g_autofree char *hi = tw_format_published (upper, TRUE, TRUE, "–");

  return g_strdup_printf ("%s (%s to %s)", v, lo, hi);
}

static void
add_area_table (const TwBriefChange *page,
                TwChange            *change,
                GArray              *ranked,
                TwDoc               *doc)
{
  g_autofree char *from_header = g_strdup_printf ("%s rate", page->from);
  g_autofree char *to_header = g_strdup_printf ("%s rate", page->to);
  TwDocColumn columns[] = {
    { "Area", PANGO_ALIGN_LEFT },
    { from_header, PANGO_ALIGN_RIGHT },
    { to_header, PANGO_ALIGN_RIGHT },
    { "Change (95% CI)", PANGO_ALIGN_RIGHT },
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint i = 0; i < MIN (ranked->len, MAX_CHANGE_ROWS); i++)
    {
      const TwChangeRow *row = tw_change_get_row (change, g_array_index (ranked, Ranked, i).row);
      int index = tw_area_layer_find_geoid (page->layer, row->geoid);
      const char *name = index >= 0 ? tw_area_layer_get_name (page->layer, index) : NULL;
      char **cells = g_new0 (char *, 5);

      cells[0] = name != NULL && *name != '\0' ? g_strdup_printf ("%s (%s)", name, row->geoid)
                                               : g_strdup (row->geoid);
      cells[1] = tw_report_format_published (row->estimate.rate_from);
      cells[2] = tw_report_format_published (row->estimate.rate_to);
      cells[3] = format_change (row->estimate.difference, row->estimate.difference_lower,
                                row->estimate.difference_upper);
      g_ptr_array_add (rows, cells);
    }
  tw_doc_table (doc, columns, G_N_ELEMENTS (columns), rows, TW_DOC_TABLE_SIZE);
}

/* A gap's row with no figures, and why. */
static void
add_gap_without_figures (GPtrArray  *rows,
                         char      **cells,
                         const char *why)
{
  for (guint c = 1; c < 4; c++)
    cells[c] = g_strdup ("–");
  cells[4] = g_strdup (why);
  g_ptr_array_add (rows, cells);
}

/* Each group's gap to all groups in the first and last period, from the region's pooled
 * figures (hidden counts never enter them), and whether it narrowed. */
static void
add_gap_table (const TwBriefChange *page,
               TwDoc               *doc)
{
  static const TwDocColumn columns[] = {
    { "Group", PANGO_ALIGN_LEFT },
    { "Gap at start", PANGO_ALIGN_RIGHT },
    { "Gap at end", PANGO_ALIGN_RIGHT },
    { "End over start (95% CI)", PANGO_ALIGN_RIGHT },
    { "Reading", PANGO_ALIGN_LEFT },
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) hidden = g_ptr_array_new_with_free_func (g_free);
  TwRegionFigure *ref_from = tw_region_figures_find (page->first, "all");
  TwRegionFigure *ref_to = tw_region_figures_find (page->last, "all");

  for (guint i = 0; i < page->first->len; i++)
    {
      TwRegionFigure *from = g_ptr_array_index (page->first, i);
      TwRegionFigure *to = tw_region_figures_find (page->last, from->stratum);
      double x[2], n[2], x_ref[2], n_ref[2];
      TwGapChange gap;
      char **cells;

      if (g_str_equal (from->stratum, "all"))
        continue;
      /* A group without both pooled figures gets no row of dashes: it is named below. */
      if (to == NULL || ref_from == NULL || ref_to == NULL || !from->shown || !to->shown
          || !ref_from->shown || !ref_to->shown)
        {
          g_ptr_array_add (hidden, tw_format_group_label (from->stratum));
          continue;
        }
      cells = g_new0 (char *, 6);
      cells[0] = tw_format_group_label (from->stratum);
      x[0] = from->events, n[0] = from->denominator;
      x[1] = to->events, n[1] = to->denominator;
      x_ref[0] = ref_from->events, n_ref[0] = ref_from->denominator;
      x_ref[1] = ref_to->events, n_ref[1] = ref_to->denominator;
      if (!tw_change_gap (page->kind, TRUE, x, n, x_ref, n_ref, &gap))
        {
          add_gap_without_figures (rows, cells, "no events in a period");
          continue;
        }
      cells[1] = tw_report_format_published (gap.ratio_from);
      cells[2] = tw_report_format_published (gap.ratio_to);
      {
        g_autofree char *r = tw_report_format_published (gap.ratio_of_ratios);
        g_autofree char *lo = tw_report_format_published (gap.lower);
        g_autofree char *hi = tw_report_format_published (gap.upper);

        cells[3] = g_strdup_printf ("%s (%s–%s)", r, lo, hi);
      }
      cells[4] = g_strdup (gap.narrowed ? "narrowed"
                           : (gap.lower > 1 || gap.upper < 1)
                             && fabs (log (gap.ratio_to)) > fabs (log (gap.ratio_from))
                           ? "widened"
                           : "no narrowing the data can tell");
      g_ptr_array_add (rows, cells);
    }
  if (rows->len > 0)
    tw_doc_table (doc, columns, G_N_ELEMENTS (columns), rows, TW_DOC_TABLE_SIZE);
  if (hidden->len > 0)
    {
      g_autoptr(GString) text = g_string_new (NULL);

      g_string_append (text, rows->len > 0 ? "Not shown: " : "No group's gap can be shown: ");
      tw_report_append_list (text, hidden);
      g_string_append_printf (text, ", as too few of %s counts may be shown in %s or %s "
                              "for a pooled regional rate.",
                              hidden->len > 1 ? "each group's" : "the group's",
                              page->from, page->to);
      tw_doc_paragraph (doc, text->str, FALSE, TW_DOC_BODY_SIZE, TW_DOC_MUTED_COLOR);
    }
  else if (rows->len == 0)
    tw_doc_paragraph (doc, "The measure has no groups besides all groups.", FALSE,
                      TW_DOC_BODY_SIZE, TW_DOC_MUTED_COLOR);
}

gboolean
tw_brief_write_change (const TwBriefChange  *page,
                       TwDoc                *doc,
                       GError              **error)
{
  TwChangeQuery query = { 0 };
  g_autoptr(TwChange) change = NULL;
  g_autoptr(GArray) better = g_array_new (FALSE, FALSE, sizeof (Ranked));
  g_autoptr(GArray) worse = g_array_new (FALSE, FALSE, sizeof (Ranked));
  g_autofree char *intro = NULL, *group = NULL, *left_out = NULL, *units = NULL;
  guint n_hidden = 0, n_unreliable = 0, n_undetermined = 0;

  query.measure = page->measure;
  query.from = page->from;
  query.to = page->to;
  query.stratum = page->stratum;
  query.geography_id = tw_area_layer_get_geography_id (page->layer);
  change = tw_change_compute (page->store, &query, NULL, error);
  if (change == NULL)
    return FALSE;

  for (guint i = 0; i < tw_change_get_n_rows (change); i++)
    {
      const TwChangeRow *row = tw_change_get_row (change, i);
      const TwChangeEstimate *e = &row->estimate;
      Ranked entry = { i, 0 };
      gboolean rose;

      if (row->suppressed)
        {
          n_hidden++;
          continue;
        }
      /* A ranking leaves unreliable figures out, and says how many. */
      if (row->status == TW_FIGURE_UNRELIABLE)
        {
          n_unreliable++;
          continue;
        }
      if (!(e->difference_lower > 0 || e->difference_upper < 0))
        {
          n_undetermined++;
          continue;
        }
      rose = e->difference_lower > 0;
      entry.size = fabs (e->difference);
      g_array_append_val (rose == page->higher_is_worse ? worse : better, entry);
    }
  g_array_sort (better, compare_ranked);
  g_array_sort (worse, compare_ranked);

  tw_doc_new_page (doc);
  {
    g_autofree char *heading = g_strdup_printf ("Change from %s to %s", page->from, page->to);

    tw_doc_heading (doc, heading, TW_DOC_HEADING_SIZE);
  }
  group = tw_format_group_label (page->stratum);
  units = g_str_equal (page->unit, "in percent")
          ? g_strdup ("rates in percent, changes in percentage points")
          : g_strdup_printf ("rates and changes %s", page->unit);
  left_out = g_strdup_printf ("%u area%s whose change the data cannot tell from none %s not "
                              "listed; %u with a count suppressed in either period and %u "
                              "with an unreliable rate are left out",
                              n_undetermined, n_undetermined == 1 ? "" : "s",
                              n_undetermined == 1 ? "is" : "are", n_hidden, n_unreliable);
  intro = g_strdup_printf ("The areas where the rate for %s changed by more than chance "
                           "allows between %s and %s: the 95%% interval of the difference "
                           "leaves out no change (a z-test of the difference, not a look at "
                           "whether two intervals overlap). Largest changes first; %s. %s.",
                           g_str_equal (page->stratum, "all") ? "all groups" : group,
                           page->from, page->to, units, left_out);
  tw_doc_paragraph (doc, intro, FALSE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);

  tw_doc_heading (doc, "Largest improvements", TW_DOC_SUBHEADING_SIZE);
  if (better->len > 0)
    add_area_table (page, change, better, doc);
  else
    tw_doc_paragraph (doc, "No area improved by more than chance allows.", FALSE,
                      TW_DOC_BODY_SIZE, TW_DOC_MUTED_COLOR);
  tw_doc_heading (doc, "Largest worsenings", TW_DOC_SUBHEADING_SIZE);
  if (worse->len > 0)
    add_area_table (page, change, worse, doc);
  else
    tw_doc_paragraph (doc, "No area worsened by more than chance allows.", FALSE,
                      TW_DOC_BODY_SIZE, TW_DOC_MUTED_COLOR);

  tw_doc_heading (doc, "The gap over time", TW_DOC_SUBHEADING_SIZE);
  {
    g_autofree char *text = g_strdup_printf (
      "Each group's gap: its rate over the rate for all groups, across the region, pooled "
      "over the areas where its count is shown, in %s and in %s (1 is even), and the ratio "
      "of the two with its 95%% interval. A gap has narrowed when it came nearer 1 and that "
      "interval leaves out 1.", page->from, page->to);

    tw_doc_paragraph (doc, text, FALSE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);
  }
  add_gap_table (page, doc);
  return TRUE;
}
