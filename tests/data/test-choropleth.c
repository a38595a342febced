/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-test"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tw-choropleth.h"
#include "tw-rates.h"
#include "tw-test-project.h"



enum { A1, A2, A3, A4, A5, A6, A7, A8, N_AREAS };

/* Eight squares of one geography, and a measure "visits" per 1,000 in 2020: */
static const struct
{
  double numerator, denominator;  /* numerator < 0: no row */
} visits[N_AREAS] = {
  [A1] = { 50, 1000 },   /* 50 */
  [A2] = { 40, 1000 },   /* 40, tied with A3 */
  [A3] = { 80, 2000 },   /* 40 */
  [A4] = { 20, 1000 },   /* 20 */
  [A5] = { 5, 10 },      /* 500, but from 5 events: suppressed */
  [A6] = { 100, 1000 },  /* 100 */
  [A7] = { -1, 0 },      /* no row */
  [A8] = { 0, 1000 },    /* 0, shown */
};

typedef struct
{
  Project     *project;
  TwAreaLayer *layer;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Project *p = project_new ();
  gint64 g = add_geography (p, "grid");
  gint64 m = add_measure (p, "visits", "rate", 1000);
  gint64 s = add_measure (p, "screened", "proportion", 100);
  gint64 flat = add_measure (p, "flat", "rate", 100000);
  gint64 tiny = add_measure (p, "tiny", "rate", 1);

  for (guint i = 0; i < N_AREAS; i++)
    {
      g_autofree char *geoid = g_strdup_printf ("A%u", i + 1);
      gint64 area = add_area (p, g, geoid, -80 + 0.2 * i, 35);

      if (visits[i].numerator >= 0)
        add_outcome (p, m, area, "2020", "all", visits[i].numerator, visits[i].denominator);
      add_outcome (p, s, area, "2020", "all", 30 + i, 100);
      add_outcome (p, flat, area, "2020", "all", 40, 2000);
      add_outcome (p, tiny, area, "2020", "all", 12 + i, 1000 + 100 * i);
    }
  f->project = p;
  f->layer = tw_area_layer_load (p->store, g, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tw_area_layer_get_n_areas (f->layer), ==, N_AREAS);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  tw_area_layer_unref (f->layer);
  project_free (f->project);
}

static TwChoropleth *
compute (Fixture          *f,
         const char       *measure,
         TwClassifyMethod  method,
         guint             n_classes,
         gboolean          reveal,
         GError          **error)
{
  TwChoroplethQuery query = { 0 };

  query.measure = measure;
  query.period = "2020";
  query.method = method;
  query.n_classes = n_classes;
  query.reveal = reveal;
  return tw_choropleth_compute (f->project->store, f->layer, &query, NULL, error);
}

/* The layer's area index of GEOID "A<i + 1>". */
static guint
area (Fixture *f,
      guint    i)
{
  g_autofree char *geoid = g_strdup_printf ("A%u", i + 1);
  int index = tw_area_layer_find_geoid (f->layer, geoid);

  g_assert_cmpint (index, >=, 0);
  return index;
}

static const TwAreaFigure *
figure (Fixture      *f,
        TwChoropleth *map,
        guint         i)
{
  return tw_choropleth_get_figure (map, area (f, i));
}

static void
test_figures (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwChoropleth) map = compute (f, "visits", TW_CLASSIFY_EQUAL, 3, FALSE, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < N_AREAS; i++)
    {
      const TwAreaFigure *fig = figure (f, map, i);

      if (visits[i].numerator < 0)
        {
          g_assert_true (isnan (fig->numerator) && isnan (fig->rate));
          g_assert_cmpint (fig->kind, ==, TW_AREA_NO_DATA);
          g_assert_cmpint (fig->rank, ==, 0);
          continue;
        }
      if (fig->suppressed)
        {
          /* Outside the analyst view a hidden area brings its population and nothing else. */
          g_assert_true (isnan (fig->numerator) && isnan (fig->rate));
          g_assert_true (isnan (fig->lower) && isnan (fig->upper));
          g_assert_cmpfloat (fig->denominator, ==, visits[i].denominator);
          g_assert_cmpint (fig->kind, ==, TW_AREA_SUPPRESSED);
          continue;
        }
      {
        TwRateEstimate want = tw_rate_crude (TW_RATE_KIND_RATE, visits[i].numerator,
                                             visits[i].denominator, 1000);

        g_assert_cmpfloat (fig->numerator, ==, visits[i].numerator);
        g_assert_cmpfloat (fig->denominator, ==, visits[i].denominator);
        g_assert_cmpfloat (fig->rate, ==, want.rate);
        g_assert_cmpfloat (fig->lower, ==, want.lower);
        g_assert_cmpfloat (fig->upper, ==, want.upper);
      }
    }
  g_assert_true (figure (f, map, A5)->suppressed);
  g_assert_true (figure (f, map, A5)->unstable);
  g_assert_false (figure (f, map, A1)->suppressed);
  g_assert_false (figure (f, map, A4)->unstable);   /* 20 events */
  g_assert_true (figure (f, map, A8)->unstable);    /* 0 events */
  g_assert_cmpuint (tw_choropleth_get_n_suppressed (map), ==, 1);
  g_assert_cmpuint (tw_choropleth_get_n_no_data (map), ==, 1);
  g_assert_cmpuint (tw_choropleth_get_n_ranked (map), ==, 6);
  g_assert_cmpstr (tw_choropleth_get_measure_code (map), ==, "visits");
  g_assert_cmpstr (tw_choropleth_get_measure_label (map), ==, "Label of visits");
  g_assert_cmpstr (tw_choropleth_get_period (map), ==, "2020");
  g_assert_cmpstr (tw_choropleth_get_stratum (map), ==, "all");
  g_assert_cmpuint (tw_choropleth_get_policy (map)->min_count, ==, 11);
  g_assert_true (tw_choropleth_get_layer (map) == f->layer);
}

/* Equal intervals over the shown rates 0 … 100: the suppressed 500 is in no class, and no
 * break, count or rank carries it. */
static void
test_classes_ranks_and_style (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwChoropleth) map = compute (f, "visits", TW_CLASSIFY_EQUAL, 3, FALSE, &error);
  const TwClassification *classes;
  TwMapStyle *style;
  const struct { guint area; int kind, rank; } want[] = {
    { A1, 1, 2 }, { A2, 1, 3 }, { A3, 1, 3 }, { A4, 0, 5 }, { A5, TW_AREA_SUPPRESSED, 0 },
    { A6, 2, 1 }, { A7, TW_AREA_NO_DATA, 0 }, { A8, 0, 6 },
  };
  const guint32 ylorrd3[] = { 0xFFEDA0, 0xFEB24C, 0xF03B20 };

  g_assert_no_error (error);
  classes = tw_choropleth_get_classification (map);
  g_assert_nonnull (classes);
  g_assert_cmpuint (classes->n_classes, ==, 3);
  g_assert_cmpfloat (classes->breaks[0], ==, 0);
  g_assert_cmpfloat (classes->breaks[3], ==, 100);
  g_assert_cmpuint (classes->counts[0] + classes->counts[1] + classes->counts[2], ==, 6);

  style = tw_choropleth_get_style (map);
  g_assert_cmpuint (tw_map_style_get_n_areas (style), ==, N_AREAS);
  g_assert_cmpuint (tw_map_style_get_n_classes (style), ==, 3);
  g_assert_cmpstr (tw_palette_get_name (tw_choropleth_get_palette (map)), ==, "YlOrRd");
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      const TwAreaFigure *fig = figure (f, map, want[i].area);

      g_assert_cmpint (fig->kind, ==, want[i].kind);
      g_assert_cmpint (fig->rank, ==, want[i].rank);
      g_assert_cmpint (tw_map_style_get_area (style, area (f, want[i].area)), ==, want[i].kind);
      if (want[i].kind < 3)
        g_assert_cmphex (tw_map_style_get_fill (style, fig->kind), ==, ylorrd3[fig->kind]);
    }
}

/* The analyst view classes and ranks the suppressed area too, and still says it is
 * suppressed. */
static void
test_reveal (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwChoropleth) map = compute (f, "visits", TW_CLASSIFY_EQUAL, 3, TRUE, &error);
  const TwClassification *classes;

  g_assert_no_error (error);
  g_assert_true (tw_choropleth_get_reveal (map));
  classes = tw_choropleth_get_classification (map);
  g_assert_cmpfloat (classes->breaks[3], ==, 500);
  g_assert_true (figure (f, map, A5)->suppressed);
  g_assert_cmpint (figure (f, map, A5)->kind, ==, 2);
  g_assert_cmpint (figure (f, map, A5)->rank, ==, 1);
  g_assert_cmpint (figure (f, map, A6)->rank, ==, 2);
  g_assert_cmpint (figure (f, map, A6)->kind, ==, 0);
  g_assert_cmpuint (tw_choropleth_get_n_suppressed (map), ==, 1);
  g_assert_cmpuint (tw_choropleth_get_n_ranked (map), ==, 7);
}

/* Fewer distinct values than classes: the map has the classes the values allow. */
static void
test_fewer_classes (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwChoropleth) map = compute (f, "flat", TW_CLASSIFY_QUANTILE, 5, FALSE, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (tw_choropleth_get_classification (map)->n_classes, ==, 1);
  g_assert_cmpuint (tw_map_style_get_n_classes (tw_choropleth_get_style (map)), ==, 1);
  for (guint i = 0; i < N_AREAS; i++)
    g_assert_cmpint (figure (f, map, i)->kind, ==, 0);
}

static void
test_formats (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwChoropleth) visits_map = compute (f, "visits", TW_CLASSIFY_NATURAL, 3, FALSE,
                                                &error);
  g_autoptr(TwChoropleth) screened = compute (f, "screened", TW_CLASSIFY_NATURAL, 3, FALSE,
                                              &error);
  g_autoptr(TwChoropleth) flat = compute (f, "flat", TW_CLASSIFY_NATURAL, 3, FALSE, &error);
  g_autoptr(TwChoropleth) tiny = compute (f, "tiny", TW_CLASSIFY_NATURAL, 3, FALSE, &error);
  g_autofree char *u1 = tw_choropleth_format_unit (visits_map);
  g_autofree char *u2 = tw_choropleth_format_unit (screened);
  g_autofree char *u3 = tw_choropleth_format_unit (flat);
  g_autofree char *r1 = tw_choropleth_format_rate (visits_map, 12.4);
  g_autofree char *r2 = tw_choropleth_format_rate (flat, 12345.678);
  g_autofree char *r3 = tw_choropleth_format_rate (tiny, 0.0123456);
  g_autofree char *r4 = tw_choropleth_format_rate (tiny, NAN);

  g_assert_no_error (error);
  g_assert_cmpstr (u1, ==, "per 1,000");
  g_assert_cmpstr (u2, ==, "%");
  g_assert_cmpstr (u3, ==, "per 100,000");
  g_assert_true (tw_choropleth_is_proportion (screened));
  g_assert_false (tw_choropleth_is_proportion (visits_map));
  g_assert_cmpfloat (tw_choropleth_get_multiplier (flat), ==, 100000);
  /* About three significant digits of the largest rate shown: 100 → one decimal. */
  g_assert_cmpstr (r1, ==, "12.4");
  g_assert_cmpstr (r2, ==, "12,345.7");
  /* Rates of 0.012 … 0.0063 per person: four decimals. */
  g_assert_cmpuint (tw_choropleth_get_decimals (tiny), ==, 4);
  g_assert_cmpstr (r3, ==, "0.0123");
  g_assert_cmpstr (r4, ==, "–");
}

static void
test_bad_queries (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TwChoroplethQuery query = { "visits", "2020", NULL, TW_CLASSIFY_QUANTILE, 5 };
  const double decreasing[] = { 3, 2 };
  TwChoropleth *map;

  query.palette = "Nope";
  g_assert_null (tw_choropleth_compute (f->project->store, f->layer, &query, NULL, &error));
  g_assert_error (error, TW_CHOROPLETH_ERROR, TW_CHOROPLETH_ERROR_PALETTE);
  g_clear_error (&error);

  query.palette = "Blues";
  query.n_classes = 2;
  g_assert_null (tw_choropleth_compute (f->project->store, f->layer, &query, NULL, &error));
  g_assert_error (error, TW_CHOROPLETH_ERROR, TW_CHOROPLETH_ERROR_CLASSES);
  g_clear_error (&error);

  query.method = TW_CLASSIFY_MANUAL;
  query.manual_breaks = decreasing;
  query.n_manual_breaks = 2;
  g_assert_null (tw_choropleth_compute (f->project->store, f->layer, &query, NULL, &error));
  g_assert_error (error, TW_CLASSIFY_ERROR, TW_CLASSIFY_ERROR_BREAKS);
  g_clear_error (&error);

  query.method = TW_CLASSIFY_QUANTILE;
  query.n_classes = 3;
  query.period = "1999";
  g_assert_null (tw_choropleth_compute (f->project->store, f->layer, &query, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  query.period = "2020";
  map = tw_choropleth_compute (f->project->store, f->layer, &query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tw_palette_get_name (tw_choropleth_get_palette (map)), ==, "Blues");
  tw_choropleth_unref (tw_choropleth_ref (map));
  tw_choropleth_unref (map);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add ("/data/choropleth/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("figures", test_figures);
  ADD ("classes-ranks-and-style", test_classes_ranks_and_style);
  ADD ("reveal", test_reveal);
  ADD ("fewer-classes", test_fewer_classes);
  ADD ("formats", test_formats);
  ADD ("bad-queries", test_bad_queries);
#undef ADD
  return g_test_run ();
}
