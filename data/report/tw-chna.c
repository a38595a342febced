/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-chna"

#include "config.h"

#include <math.h>
#include <string.h>

#include "tw-brief-private.h"
#include "tw-chna.h"
#include "tw-comments.h"
#include "tw-export-private.h"
#include "tw-format.h"
#include "tw-partners.h"
#include "tw-policy-text.h"
#include "tw-suppression.h"

#define DEFAULT_TITLE "Community Health Needs Assessment: data"

/* One measure as a health need: its latest period on the geography that holds it. */
typedef struct
{
  TwMeasureInfo *measure;      /* borrowed from Chna.measures */
  char          *period;
  char          *first_period; /* NULL when there is one period */
  char          *geography;
  char          *unit;
  GPtrArray     *figures;      /* TwRegionFigure * of the latest period */
  GPtrArray     *first_figures;
  guint          n_rows, n_shown, n_suppressed, n_unstable, n_worse;
  double         population;   /* the denominators of the areas' "all" rows (public) */
  double         score;        /* the share of the areas shown that fare worse */
} Need;

typedef struct
{
  TwStore             *store;
  const TwChnaOptions *options;
  char                *title;
  char                *organisation;
  char                *project_name;
  char                *today;
  char                *head_left;
  GPtrArray           *measures;   /* TwMeasureInfo * */
  GPtrArray           *needs;      /* Need *, ranked */
  GPtrArray           *projects;   /* TwProject * */
  GPtrArray           *partners;   /* TwPartner * */
  GPtrArray           *comments;   /* TwComment * */
  GPtrArray           *evaluations; /* char *, one per project */
  TwSuppressionPolicy  policy;
} Chna;

static void
need_free (Need *need)
{
  g_free (need->period);
  g_free (need->first_period);
  g_free (need->geography);
  g_free (need->unit);
  g_clear_pointer (&need->figures, g_ptr_array_unref);
  g_clear_pointer (&need->first_figures, g_ptr_array_unref);
  g_free (need);
}

static void
chna_clear (Chna *chna)
{
  g_free (chna->title);
  g_free (chna->organisation);
  g_free (chna->project_name);
  g_free (chna->today);
  g_free (chna->head_left);
  g_clear_pointer (&chna->needs, g_ptr_array_unref);
  g_clear_pointer (&chna->measures, g_ptr_array_unref);
  g_clear_pointer (&chna->projects, g_ptr_array_unref);
  g_clear_pointer (&chna->partners, g_ptr_array_unref);
  g_clear_pointer (&chna->comments, g_ptr_array_unref);
  g_clear_pointer (&chna->evaluations, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Chna, chna_clear)

/* Gathering */

static TwRateTable *
compute_table (TwStore       *store,
               const char    *measure,
               const char    *period,
               gint64         geography_id,
               GCancellable  *cancellable,
               GError       **error)
{
  TwRateQuery query = { 0 };

  query.measure = measure;
  query.period = period;
  query.geography_id = geography_id;
  query.method = TW_RATE_METHOD_CRUDE;
  return tw_rate_table_compute (store, &query, NULL, cancellable, error);
}

/* The need of @measure, or NULL (and no error) when it has no outcomes. An area fares worse
 * when its rate's 95% interval lies wholly on the worse side of the region's pooled rate;
 * only areas whose counts are shown are compared. */
static Need *
gather_need (TwStore        *store,
             TwMeasureInfo  *measure,
             GCancellable   *cancellable,
             GError        **error)
{
  g_autoptr(TwRateTable) table = NULL;
  g_autoptr(GPtrArray) geographies = NULL;
  g_auto(GStrv) periods = NULL;
  TwGeographyInfo *geography = NULL;
  TwRegionFigure *all;
  Need *need;
  gint64 measure_id;
  guint n_periods;

  measure_id = tw_store_resolve_measure (store, measure->code, error);
  if (measure_id < 0)
    return NULL;
  periods = tw_store_list_periods (store, measure_id, error);
  if (periods == NULL)
    return NULL;
  n_periods = g_strv_length (periods);
  if (n_periods == 0)
    return NULL;
  geographies = tw_store_list_geographies (store, measure_id, periods[n_periods - 1], error);
  if (geographies == NULL)
    return NULL;
  for (guint i = 0; i < geographies->len && geography == NULL; i++)
    if (((TwGeographyInfo *) g_ptr_array_index (geographies, i))->holds)
      geography = g_ptr_array_index (geographies, i);
  if (geography == NULL)
    return NULL;
  table = compute_table (store, measure->code, periods[n_periods - 1], geography->id,
                         cancellable, error);
  if (table == NULL)
    return NULL;

  need = g_new0 (Need, 1);
  need->measure = measure;
  need->period = g_strdup (periods[n_periods - 1]);
  need->geography = g_strdup (geography->name);
  /* A rate's unit, not a difference's: "%", not percentage points. */
  need->unit = g_str_equal (measure->kind, "proportion") && measure->multiplier == 100.0
               ? g_strdup ("in percent") : tw_report_measure_unit (measure);
  need->figures = tw_region_figures_compute (table);
  all = tw_region_figures_find (need->figures, "all");
  for (guint i = 0; i < tw_rate_table_get_n_rows (table); i++)
    {
      const TwRateRow *row = tw_rate_table_get_row (table, i);

      if (!g_str_equal (row->stratum, "all"))
        continue;
      need->n_rows++;
      if (isfinite (row->denominator))
        need->population += row->denominator;
      if (tw_rate_row_is_suppressed (row) || !isfinite (row->rate))
        {
          need->n_suppressed += tw_rate_row_is_suppressed (row);
          continue;
        }
      need->n_shown++;
      need->n_unstable += row->unstable;
      if (all != NULL && all->shown
          && (measure->higher_is_worse ? row->lower > all->rate : row->upper < all->rate))
        need->n_worse++;
    }
  need->score = need->n_shown > 0 ? (double) need->n_worse / need->n_shown : 0;

  if (n_periods > 1)
    {
      g_autoptr(TwRateTable) first = compute_table (store, measure->code, periods[0],
                                                    geography->id, cancellable, error);

      if (first == NULL)
        {
          need_free (need);
          return NULL;
        }
      need->first_period = g_strdup (periods[0]);
      need->first_figures = tw_region_figures_compute (first);
    }
  return need;
}

static int
compare_needs (gconstpointer a,
               gconstpointer b)
{
  const Need *x = *(Need **) a, *y = *(Need **) b;

  if (x->score != y->score)
    return x->score < y->score ? 1 : -1;
  return g_utf8_collate (x->measure->label, y->measure->label);
}

/* Words */

static const char *
agreement_words (const char *agreement)
{
  if (g_strcmp0 (agreement, TW_PARTNER_AGREEMENT_MOU) == 0)
    return "Memorandum of understanding";
  if (g_strcmp0 (agreement, TW_PARTNER_AGREEMENT_DUA) == 0)
    return "Data-use agreement";
  return "None";
}

static char *
format_count (double value)
{
  return tw_format_count ((gint64) llround (value), NULL);
}

static char *
region_rate (Need *need)
{
  TwRegionFigure *all = tw_region_figures_find (need->figures, "all");

  if (all == NULL || !all->shown)
    return g_strdup ("withheld");
  return tw_report_format_rate_interval (all->rate, all->lower, all->upper);
}

static char *
change_words (Need *need)
{
  TwRegionFigure *all = tw_region_figures_find (need->figures, "all");
  TwRegionFigure *first = need->first_figures != NULL
                          ? tw_region_figures_find (need->first_figures, "all") : NULL;
  g_autofree char *from = NULL;
  gboolean apart;

  if (first == NULL)
    return g_strdup ("one period only");
  if (all == NULL || !all->shown || !first->shown)
    return g_strdup ("withheld");
  from = tw_report_format_published (first->rate);
  apart = all->lower > first->upper || all->upper < first->lower;
  if (!apart)
    return g_strdup_printf ("from %s in %s: no clear change", from, need->first_period);
  return g_strdup_printf ("from %s in %s: %s", from, need->first_period,
                          (all->rate > first->rate) == need->measure->higher_is_worse
                          ? "worse" : "better");
}

/* Sections */

/* The table, or when it has no row, why not. */
static void
table_or_say (TwDoc             *doc,
              const TwDocColumn *columns,
              guint              n_columns,
              GPtrArray         *rows,
              const char        *none)
{
  if (rows->len > 0)
    tw_doc_table (doc, columns, n_columns, rows, TW_DOC_TABLE_SIZE);
  else
    tw_doc_paragraph (doc, none, FALSE, TW_DOC_BODY_SIZE, TW_DOC_MUTED_COLOR);
}

static void
write_title (Chna  *chna,
             TwDoc *doc)
{
  g_autofree char *facts = NULL;

  doc->y = TW_DOC_TOP + 24;
  if (chna->organisation != NULL)
    doc->y += tw_doc_text (doc, "P", chna->organisation, FALSE, 11, PANGO_WEIGHT_BOLD,
                           TW_DOC_MARGIN, doc->y, TW_DOC_TEXT_WIDTH, PANGO_ALIGN_LEFT,
                           TW_DOC_ACCENT_COLOR) + 6;
  doc->y += tw_doc_text (doc, "H1", chna->title, FALSE, 24, PANGO_WEIGHT_BOLD, TW_DOC_MARGIN,
                         doc->y, TW_DOC_TEXT_WIDTH, PANGO_ALIGN_LEFT, TW_DOC_TEXT_COLOR) + 8;
  facts = g_strdup_printf ("The data sections of a Community Health Needs Assessment "
                           "(26 CFR §1.501(r)-3), prepared %s from the workspace %s. Every "
                           "figure obeys the suppression policy described under Process and "
                           "methods.", chna->today, chna->project_name);
  tw_doc_paragraph (doc, facts, FALSE, TW_DOC_BODY_SIZE, TW_DOC_MUTED_COLOR);
  if (chna->options->source != NULL && *chna->options->source != '\0')
    {
      g_autofree char *source = g_strdup_printf ("Source: %s", chna->options->source);

      tw_doc_paragraph (doc, source, FALSE, TW_DOC_BODY_SIZE, TW_DOC_MUTED_COLOR);
    }
  doc->y += 6;
}

/* The need holding the most people: its denominators describe the community served. */
static Need *
largest_need (Chna *chna)
{
  Need *largest = NULL;

  for (guint i = 0; i < chna->needs->len; i++)
    {
      Need *need = g_ptr_array_index (chna->needs, i);

      if (largest == NULL || need->population > largest->population)
        largest = need;
    }
  return largest;
}

static void
write_community (Chna  *chna,
                 TwDoc *doc)
{
  static const TwDocColumn geo_columns[] = {
    { "Geography", PANGO_ALIGN_LEFT },
    { "Measures", PANGO_ALIGN_LEFT },
    { "Areas with data", PANGO_ALIGN_RIGHT },
  };
  static const TwDocColumn group_columns[] = {
    { "Group", PANGO_ALIGN_LEFT },
    { "Population", PANGO_ALIGN_RIGHT },
    { "Share", PANGO_ALIGN_RIGHT },
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  Need *largest = largest_need (chna);

  tw_doc_heading (doc, "Community served", TW_DOC_HEADING_SIZE);
  if (largest == NULL)
    {
      tw_doc_paragraph (doc, "The workspace holds no outcomes yet, so the community it serves "
                        "cannot be described from its data.", FALSE, TW_DOC_BODY_SIZE,
                        TW_DOC_TEXT_COLOR);
      return;
    }
  tw_doc_paragraph (doc, "The community is the region the workspace's outcome data cover: "
                    "the areas of each geography below.", FALSE, TW_DOC_BODY_SIZE,
                    TW_DOC_TEXT_COLOR);
  for (guint i = 0; i < chna->needs->len; i++)
    {
      Need *need = g_ptr_array_index (chna->needs, i);
      g_autoptr(GString) measures = g_string_new (NULL);
      guint n_areas = 0;
      char **cells;

      if (g_hash_table_contains (seen, need->geography))
        continue;
      g_hash_table_add (seen, need->geography);
      for (guint j = 0; j < chna->needs->len; j++)
        {
          Need *other = g_ptr_array_index (chna->needs, j);

          if (!g_str_equal (other->geography, need->geography))
            continue;
          g_string_append_printf (measures, "%s%s", measures->len > 0 ? "; " : "",
                                  other->measure->label);
          n_areas = MAX (n_areas, other->n_rows);
        }
      cells = g_new0 (char *, 4);
      cells[0] = g_strdup (need->geography);
      cells[1] = g_strdup (measures->str);
      cells[2] = tw_format_count (n_areas, NULL);
      g_ptr_array_add (rows, cells);
    }
  tw_doc_table (doc, geo_columns, G_N_ELEMENTS (geo_columns), rows, TW_DOC_TABLE_SIZE);

  {
    g_autofree char *total = format_count (largest->population);
    g_autofree char *text = g_strdup_printf ("Population: %s, the population at risk of %s "
                                             "in %s over %u areas of %s, by group (groups "
                                             "may overlap or leave people out, as the data "
                                             "record them). Populations are public and are "
                                             "never suppressed.", total,
                                             largest->measure->label, largest->period,
                                             largest->n_rows, largest->geography);

    tw_doc_paragraph (doc, text, FALSE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);
  }
  g_ptr_array_set_size (rows, 0);
  for (guint i = 0; i < largest->figures->len; i++)
    {
      TwRegionFigure *f = g_ptr_array_index (largest->figures, i);
      char **cells = g_new0 (char *, 4);
      g_autofree char *share = tw_report_format_published (100 * f->row_denominator
                                                           / largest->population);

      cells[0] = tw_format_group_label (f->stratum);
      cells[1] = format_count (f->row_denominator);
      cells[2] = largest->population > 0 ? g_strdup_printf ("%s%%", share) : g_strdup ("–");
      g_ptr_array_add (rows, cells);
    }
  tw_doc_table (doc, group_columns, G_N_ELEMENTS (group_columns), rows, TW_DOC_TABLE_SIZE);
}

static void
write_methods (Chna  *chna,
               TwDoc *doc)
{
  g_autofree char *policy = tw_policy_text_describe (&chna->policy);

  tw_doc_heading (doc, "Process and methods", TW_DOC_HEADING_SIZE);
  tw_doc_paragraph (doc, "Outcome counts per area, period and population group were loaded "
                    "from the sources listed in the data dictionary below and mapped on the "
                    "census geographies listed with them. A crude rate is the number of "
                    "events divided by the population at risk; its 95% interval is a Wilson "
                    "score interval for a proportion and an exact Poisson (Garwood) interval "
                    "for a rate. The region's rate pools the areas whose counts are shown. "
                    "Health needs are ranked by the criterion stated under Significant health "
                    "needs; partners' comments and projects come from the workspace's partner "
                    "registry.", FALSE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);
  tw_doc_heading (doc, "Suppression policy", TW_DOC_SUBHEADING_SIZE);
  tw_doc_paragraph (doc, policy, FALSE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);
  tw_doc_paragraph (doc, "A suppressed cell shows no count, rate or interval; pooled figures "
                    "are computed over shown counts only and say over how many areas, so no "
                    "two figures can be subtracted to recover a suppressed count. Figures are "
                    "given to 3 significant figures.", FALSE, TW_DOC_BODY_SIZE,
                    TW_DOC_TEXT_COLOR);
  tw_doc_heading (doc, "Data dictionary and sources", TW_DOC_SUBHEADING_SIZE);
  tw_report_add_sources (chna->store, chna->measures, doc);
}

static const char *
partner_name_of (Chna       *chna,
                 const char *author)
{
  for (guint i = 0; i < chna->partners->len; i++)
    {
      TwPartner *partner = g_ptr_array_index (chna->partners, i);

      if (g_strcmp0 (partner->name, author) == 0)
        return partner->name;
    }
  return NULL;
}

static void
write_input (Chna  *chna,
             TwDoc *doc)
{
  static const TwDocColumn columns[] = {
    { "Date", PANGO_ALIGN_LEFT },
    { "From", PANGO_ALIGN_LEFT },
    { "About", PANGO_ALIGN_LEFT },
    { "Comment", PANGO_ALIGN_LEFT },
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autofree char *intro = NULL;

  tw_doc_heading (doc, "Community input", TW_DOC_HEADING_SIZE);
  intro = g_strdup_printf ("%u partner organisation%s %s recorded in the workspace (see "
                           "Resources available). Partners review the maps and projects in a "
                           "share package and send their comments back; %s",
                           chna->partners->len, chna->partners->len == 1 ? "" : "s",
                           chna->partners->len == 1 ? "is" : "are",
                           chna->comments->len == 0
                           ? "none has been received yet."
                           : "those received are listed below, oldest first.");
  tw_doc_paragraph (doc, intro, FALSE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);
  for (guint i = 0; i < chna->comments->len; i++)
    {
      TwComment *comment = g_ptr_array_index (chna->comments, i);
      char **cells = g_new0 (char *, 5);
      const char *partner = partner_name_of (chna, comment->author);

      cells[0] = g_strndup (comment->created_at != NULL ? comment->created_at : "–", 10);
      cells[1] = g_strdup (partner != NULL ? partner
                           : comment->author != NULL ? comment->author : "–");
      cells[2] = comment->project_title != NULL
                 ? g_strdup_printf ("Project: %s", comment->project_title)
                 : g_strdup_printf ("Area %s", comment->geoid != NULL ? comment->geoid : "–");
      cells[3] = g_strdup (comment->body);
      g_ptr_array_add (rows, cells);
    }
  if (rows->len > 0)
    tw_doc_table (doc, columns, G_N_ELEMENTS (columns), rows, TW_DOC_TABLE_SIZE);
}

static void
write_needs (Chna  *chna,
             TwDoc *doc)
{
  static const TwDocColumn columns[] = {
    { "Rank", PANGO_ALIGN_RIGHT },
    { "Health need", PANGO_ALIGN_LEFT },
    { "Region's rate (95% CI)", PANGO_ALIGN_RIGHT },
    { "Areas worse than the region", PANGO_ALIGN_RIGHT },
    { "Change", PANGO_ALIGN_LEFT },
    { "Reliability", PANGO_ALIGN_LEFT },
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  tw_doc_heading (doc, "Significant health needs", TW_DOC_HEADING_SIZE);
  tw_doc_paragraph (doc, "Criterion: each measure is ranked by the share of the areas shown "
                    "whose rate is significantly worse than the region's in its latest period "
                    "(the area's 95% interval lies wholly on the worse side of the region's "
                    "pooled rate); ties by name. The more areas fare significantly worse, the "
                    "more widespread the need. Change compares the region's rate with the "
                    "first period's; a change is called only when the two intervals do not "
                    "overlap. Reliability says over how many areas the figures stand, how "
                    "many are suppressed and how many rest on fewer than the policy's "
                    "stable count of events.", FALSE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);
  for (guint i = 0; i < chna->needs->len; i++)
    {
      Need *need = g_ptr_array_index (chna->needs, i);
      char **cells = g_new0 (char *, 7);
      g_autofree char *rate = region_rate (need);
      g_autofree char *share = tw_report_format_published (100 * need->score);
      gboolean synthetic = strstr (need->measure->label, "synthetic") != NULL;

      cells[0] = g_strdup_printf ("%u", i + 1);
      cells[1] = g_strdup_printf ("%s, %s (%s, %s)", need->measure->label, need->unit,
                                  need->period, need->geography);
      cells[2] = g_steal_pointer (&rate);
      cells[3] = g_strdup_printf ("%u of %u (%s%%)", need->n_worse, need->n_shown, share);
      cells[4] = change_words (need);
      cells[5] = g_strdup_printf ("%u of %u areas shown, %u suppressed, %u unstable%s",
                                  need->n_shown, need->n_rows, need->n_suppressed,
                                  need->n_unstable, synthetic ? "; synthetic data" : "");
      g_ptr_array_add (rows, cells);
    }
  table_or_say (doc, columns, G_N_ELEMENTS (columns), rows,
                "No measure has outcomes in the workspace.");
}

static void
write_resources (Chna  *chna,
                 TwDoc *doc)
{
  static const TwDocColumn columns[] = {
    { "Partner", PANGO_ALIGN_LEFT },
    { "Kind", PANGO_ALIGN_LEFT },
    { "Agreement", PANGO_ALIGN_LEFT },
    { "Projects", PANGO_ALIGN_LEFT },
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  tw_doc_heading (doc, "Resources available", TW_DOC_HEADING_SIZE);
  tw_doc_paragraph (doc, "The community organisations in the partner registry, with their "
                    "agreements with the organisation and the projects they take part in.",
                    FALSE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);
  for (guint i = 0; i < chna->partners->len; i++)
    {
      TwPartner *partner = g_ptr_array_index (chna->partners, i);
      g_autoptr(GString) projects = g_string_new (NULL);
      char **cells = g_new0 (char *, 5);

      for (guint j = 0; partner->projects != NULL && j < partner->projects->len; j++)
        {
          TwPartnerProject *project = g_ptr_array_index (partner->projects, j);

          g_string_append_printf (projects, "%s%s", projects->len > 0 ? "; " : "",
                                  project->title);
        }
      cells[0] = g_strdup (partner->name);
      cells[1] = g_strdup (partner->kind != NULL ? partner->kind : "–");
      cells[2] = g_strdup (agreement_words (partner->agreement));
      cells[3] = g_strdup (projects->len > 0 ? projects->str : "–");
      g_ptr_array_add (rows, cells);
    }
  table_or_say (doc, columns, G_N_ELEMENTS (columns), rows,
                "No partner is recorded in the workspace.");
}

static void
write_impact (Chna  *chna,
              TwDoc *doc)
{
  static const TwDocColumn columns[] = {
    { "Project", PANGO_ALIGN_LEFT },
    { "Partners", PANGO_ALIGN_LEFT },
    { "Status", PANGO_ALIGN_LEFT },
    { "Dates", PANGO_ALIGN_LEFT },
    { "Evaluation", PANGO_ALIGN_LEFT },
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  tw_doc_heading (doc, "Impact of actions taken", TW_DOC_HEADING_SIZE);
  tw_doc_paragraph (doc, "Each project's target areas are compared with all other areas "
                    "before and after its start (difference in differences of pooled rates, "
                    "95% interval), over the areas whose counts are shown in every period "
                    "used. A project has improved or worsened only when the interval excludes "
                    "zero.", FALSE, TW_DOC_BODY_SIZE, TW_DOC_TEXT_COLOR);
  for (guint i = 0; i < chna->projects->len; i++)
    {
      TwProject *project = g_ptr_array_index (chna->projects, i);
      g_autoptr(GString) partners = g_string_new (NULL);
      char **cells = g_new0 (char *, 6);

      for (guint j = 0; project->partners != NULL && j < project->partners->len; j++)
        g_string_append_printf (partners, "%s%s", partners->len > 0 ? "; " : "",
                                ((TwProjectPartner *) g_ptr_array_index (project->partners,
                                                                         j))->name);
      cells[0] = g_strdup (project->title);
      cells[1] = g_strdup (partners->len > 0 ? partners->str : "–");
      cells[2] = g_strdup (tw_report_status_words (project->status));
      cells[3] = g_strdup_printf ("%s – %s", project->start_date ? project->start_date : "?",
                                  project->end_date ? project->end_date : "open");
      cells[4] = g_strdup (g_ptr_array_index (chna->evaluations, i));
      g_ptr_array_add (rows, cells);
    }
  table_or_say (doc, columns, G_N_ELEMENTS (columns), rows,
                "No project is recorded in the workspace.");
}

static void
write_chna (TwDoc    *doc,
            gpointer  user_data)
{
  Chna *chna = user_data;

  write_title (chna, doc);
  write_community (chna, doc);
  write_methods (chna, doc);
  write_input (chna, doc);
  write_needs (chna, doc);
  write_resources (chna, doc);
  write_impact (chna, doc);
}

/* Everything the report prints, read from @store; @info's texts are kept in @chna. */
static gboolean
chna_prepare (Chna                *chna,
              TwStore             *store,
              const TwChnaOptions *options,
              TwDocInfo           *info,
              GCancellable        *cancellable,
              GError             **error)
{
  static const TwChnaOptions defaults = { 0 };
  g_autofree char *base = NULL;

  chna->store = store;
  chna->options = options != NULL ? options : &defaults;
  if (!tw_suppression_policy_load (&chna->policy, store, error))
    return FALSE;
  chna->measures = tw_store_list_measures (store, error);
  if (chna->measures == NULL)
    return FALSE;
  chna->needs = g_ptr_array_new_with_free_func ((GDestroyNotify) need_free);
  for (guint i = 0; i < chna->measures->len; i++)
    {
      g_autoptr(GError) local = NULL;
      Need *need = gather_need (store, g_ptr_array_index (chna->measures, i), cancellable,
                                &local);

      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (need != NULL)
        g_ptr_array_add (chna->needs, need);
    }
  g_ptr_array_sort (chna->needs, compare_needs);
  chna->projects = tw_project_list (store, error);
  if (chna->projects == NULL)
    return FALSE;
  chna->partners = tw_partners_list (store, error);
  if (chna->partners == NULL)
    return FALSE;
  chna->comments = tw_comments_list (store, error);
  if (chna->comments == NULL)
    return FALSE;
  chna->evaluations = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < chna->projects->len; i++)
    {
      TwEvaluationVerdict verdict;

      g_ptr_array_add (chna->evaluations,
                       tw_report_evaluation_text (store, chna->measures, NULL, NULL,
                                                  g_ptr_array_index (chna->projects, i),
                                                  &verdict));
    }

  chna->title = g_strdup (chna->options->title != NULL && *chna->options->title != '\0'
                          ? chna->options->title : DEFAULT_TITLE);
  chna->organisation = chna->options->organisation != NULL && *chna->options->organisation
                       ? g_strdup (chna->options->organisation)
                       : tw_store_get_setting (store, "organisation");
  if (chna->organisation != NULL && *chna->organisation == '\0')
    g_clear_pointer (&chna->organisation, g_free);
  base = g_path_get_basename (tw_store_get_path (store));
  chna->project_name = g_str_has_suffix (base, ".tractwise")
                       ? g_strndup (base, strlen (base) - strlen (".tractwise"))
                       : g_strdup (base);
  chna->today = tw_export_today ();

  chna->head_left = g_strdup_printf ("%s · Community Health Needs Assessment",
                                     chna->organisation != NULL ? chna->organisation
                                                                : chna->project_name);
  info->title = chna->title;
  info->language = "en-US";
  info->head_left = chna->head_left;
  info->head_right = chna->today;
  return TRUE;
}

gboolean
tw_chna_write (TwStore             *store,
               const TwChnaOptions *options,
               const char          *path,
               GCancellable        *cancellable,
               GError             **error)
{
  g_auto(Chna) chna = { 0 };
  TwDocInfo info = { 0 };

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!chna_prepare (&chna, store, options, &info, cancellable, error))
    return FALSE;
  if (!tw_doc_write_pdf (&info, write_chna, &chna, path, error))
    return FALSE;
  return tw_export_audit (store, "export-chna", path, "pdf", error,
                          "policy", tw_suppression_preset_to_string (chna.policy.preset),
                          NULL);
}

gboolean
tw_chna_render_first_page (TwStore             *store,
                           const TwChnaOptions *options,
                           cairo_t             *cr,
                           GCancellable        *cancellable,
                           GError             **error)
{
  g_auto(Chna) chna = { 0 };
  TwDocInfo info = { 0 };

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (cr != NULL, FALSE);

  if (!chna_prepare (&chna, store, options, &info, cancellable, error))
    return FALSE;
  tw_doc_render_page (&info, write_chna, &chna, 0, cr);
  return TRUE;
}
