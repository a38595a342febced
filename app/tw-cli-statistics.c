/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tw-area-polygons.h"
#include "tw-cli-private.h"
#include "tw-rate-table.h"
#include "tw-spatial-stats.h"
#include "tw-suppression.h"
#include "tw-weights.h"

/* Permutation results are reproducible by default: the same seed unless one is given. */
#define DEFAULT_SEED 20240501

typedef struct
{
  char     *geography;
  char     *measure;
  char     *period;
  char     *from;       /* a differential statistic: the change from this period */
  char     *stratum;
  char     *weights;
  char     *smooth;
  int       k;
  int       permutations;
  gint64    seed;
  double    alpha;
  gboolean  fdr;
  gboolean  reveal;
} StatOptions;

static void
stat_options_clear (StatOptions *o)
{
  g_free (o->geography);
  g_free (o->measure);
  g_free (o->period);
  g_free (o->from);
  g_free (o->stratum);
  g_free (o->weights);
  g_free (o->smooth);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StatOptions, stat_options_clear)

/* What a statistic runs on: the areas, their weights, and the value of each. */
typedef struct
{
  TwAreaPolygons *areas;
  TwWeights      *all_weights;  /* every area */
  TwWeights      *weights;      /* the areas with a value, renumbered */
  double         *value;        /* by area: the rate, NAN when there is none */
  gboolean       *suppressed;   /* by area */
  gboolean       *keep;         /* by area: has a value */
  guint          *index;        /* analysed number → area */
  double         *values;       /* by analysed number */
  guint           n;            /* analysed */
} Prepared;

static void
prepared_clear (Prepared *p)
{
  g_clear_pointer (&p->areas, tw_area_polygons_free);
  g_clear_pointer (&p->all_weights, tw_weights_free);
  g_clear_pointer (&p->weights, tw_weights_free);
  g_free (p->value);
  g_free (p->suppressed);
  g_free (p->keep);
  g_free (p->index);
  g_free (p->values);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Prepared, prepared_clear)

static void
print_reveal_banner (void)
{
  fprintf (stderr, "tractwise-cli: analyst view: suppressed figures are shown; this output "
                   "must not leave your screen\n");
}

static int
fail_statistics (const GError *error)
{
  if (error->domain == TW_RATE_TABLE_ERROR && error->code == TW_RATE_TABLE_ERROR_PERIOD)
    return tw_cli_bad_input ("%s; give one of those with --period", error->message);
  if (error->domain == TW_RATE_TABLE_ERROR && error->code == TW_RATE_TABLE_ERROR_STRATUM)
    return tw_cli_bad_input ("%s; give one of those with --stratum", error->message);
  return tw_cli_fail (error);
}

/* Loads the areas of the geography and builds their weights. */
static TwAreaPolygons *
load_weights (TwStore        *store,
              const char     *geography,
              TwWeightsType   type,
              guint           k,
              TwWeights     **weights,
              gint64         *geography_id,
              GError        **error)
{
  g_autoptr(TwAreaPolygons) areas = NULL;

  *geography_id = tw_store_resolve_geography (store, geography, error);
  if (*geography_id < 0)
    return NULL;
  areas = tw_area_polygons_load (store, *geography_id, error);
  if (areas == NULL)
    return NULL;
  if (type == TW_WEIGHTS_KNN)
    *weights = tw_weights_new_knn (areas->polygons, k, error);
  else
    *weights = tw_weights_new_contiguity (areas->polygons, type, TW_WEIGHTS_DEFAULT_SNAP, 0,
                                          error);
  if (*weights == NULL)
    return NULL;
  return g_steal_pointer (&areas);
}

static gboolean
parse_weights_type (const char    *text,
                    int            k,
                    TwWeightsType *type,
                    const char    *command,
                    int           *status)
{
  if (text == NULL)
    text = "queen";
  if (!tw_weights_type_from_string (text, type))
    {
      *status = tw_cli_bad_input ("%s: unknown weights '%s'; use queen, rook or knn", command,
                                  text);
      return FALSE;
    }
  if (*type == TW_WEIGHTS_KNN && k < 1)
    {
      *status = tw_cli_bad_input ("%s: k nearest neighbours need --k K (1 or more)", command);
      return FALSE;
    }
  if (*type != TW_WEIGHTS_KNN && k != 0)
    {
      *status = tw_cli_bad_input ("%s: --k goes with --type knn (or --weights knn) only",
                                  command);
      return FALSE;
    }
  return TRUE;
}

int
tw_cli_weights (int    argc,
                char **argv)
{
  g_autofree char *geography = NULL, *type_name = NULL;
  int k = 0;
  const GOptionEntry entries[] = {
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "Geography (default: the only one)", "NAME" },
    { "type", 0, 0, G_OPTION_ARG_STRING, &type_name, "queen (default), rook or knn", "TYPE" },
    { "k", 0, 0, G_OPTION_ARG_INT, &k, "Neighbours of each area for knn", "K" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwAreaPolygons) areas = NULL;
  g_autoptr(TwWeights) weights = NULL;
  g_autoptr(GArray) islands = NULL;
  TwWeightsType type;
  gint64 geography_id;
  guint min, max;
  double mean;
  JsonBuilder *builder;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE",
                     "Spatial weights of a geography: queen or rook contiguity (as R spdep's "
                     "poly2nb) or k nearest neighbours (great-circle distance between "
                     "centroids); lists the islands, areas without neighbours.", entries, 1))
    return TW_CLI_BAD_INPUT;
  if (!parse_weights_type (type_name, k, &type, "weights", &status))
    return status;

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  areas = load_weights (store, geography, type, k, &weights, &geography_id, &error);
  if (areas == NULL)
    return tw_cli_fail (error);

  islands = tw_weights_get_islands (weights);
  tw_weights_get_cardinality (weights, &min, &max, &mean);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "areas");
  json_builder_add_int_value (builder, areas->n_areas);
  json_builder_set_member_name (builder, "islands");
  json_builder_begin_array (builder);
  for (guint i = 0; i < islands->len; i++)
    json_builder_add_string_value (builder, areas->geoids[g_array_index (islands, guint, i)]);
  json_builder_end_array (builder);
  tw_cli_add_number (builder, "min", min);
  tw_cli_add_number (builder, "max", max);
  tw_cli_add_number (builder, "mean", mean);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

/* The rate of every area for the options' measure, period and stratum, smoothed as asked,
 * and the weights restricted to the areas that have one. */
static gboolean
prepare (TwStore           *store,
         const StatOptions *o,
         Prepared          *p,
         int               *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwRateTable) table = NULL, before = NULL;
  TwRateQuery query = { 0 };
  TwWeightsType type;
  gint64 geography_id;
  const char *stratum = o->stratum != NULL ? o->stratum : "all";
  gboolean spatial_eb;
  guint n_areas;

  if (!parse_weights_type (o->weights, o->k, &type, "statistics", status))
    return FALSE;
  p->areas = load_weights (store, o->geography, type, o->k, &p->all_weights, &geography_id,
                           &error);
  if (p->areas == NULL)
    {
      *status = tw_cli_fail (error);
      return FALSE;
    }

  spatial_eb = o->smooth != NULL && g_str_equal (o->smooth, "spatial-eb");
  query.measure = o->measure;
  query.period = o->period;
  query.stratum = stratum;
  query.geography_id = geography_id;
  query.method = o->smooth != NULL && g_str_equal (o->smooth, "eb")
                 ? TW_RATE_METHOD_EB : TW_RATE_METHOD_CRUDE;
  /* THE RULE: without --reveal the table holds no figure of a hidden cell, so a hidden
   * area takes no part — neither a statistic of its own nor a term in its neighbours'. */
  query.reveal = o->reveal;
  table = tw_rate_table_compute (store, &query, NULL, NULL, &error);
  if (table == NULL)
    {
      *status = fail_statistics (error);
      return FALSE;
    }
  /* A differential statistic runs on the change of the rate since --from; an area whose
   * either end is hidden is suppressed, as one hidden cell is. */
  if (o->from != NULL)
    {
      query.period = o->from;
      before = tw_rate_table_compute (store, &query, NULL, NULL, &error);
      if (before == NULL)
        {
          *status = fail_statistics (error);
          return FALSE;
        }
    }

  n_areas = p->areas->n_areas;
  p->value = g_new (double, MAX (n_areas, 1));
  p->suppressed = g_new0 (gboolean, MAX (n_areas, 1));
  p->keep = g_new0 (gboolean, MAX (n_areas, 1));
  for (guint i = 0; i < n_areas; i++)
    {
      const TwRateRow *row = tw_rate_table_find_row (table, p->areas->area_ids[i], stratum);

      p->value[i] = row != NULL ? row->rate : NAN;
      p->suppressed[i] = row != NULL && tw_rate_row_is_suppressed (row);
      if (before != NULL)
        {
          const TwRateRow *start = tw_rate_table_find_row (before, p->areas->area_ids[i],
                                                           stratum);

          p->value[i] = start != NULL ? p->value[i] - start->rate : NAN;
          p->suppressed[i] |= start != NULL && tw_rate_row_is_suppressed (start);
          row = start != NULL ? row : NULL;
        }
      p->keep[i] = row != NULL && (spatial_eb ? row->denominator > 0 && isfinite (row->numerator)
                                              : isfinite (p->value[i]));
    }

  if (spatial_eb)
    {
      g_autoptr(TwWeights) sub = tw_weights_subset (p->all_weights, p->keep);
      guint m = tw_weights_get_n_areas (sub), j = 0;
      g_autofree double *events = g_new (double, MAX (m, 1));
      g_autofree double *population = g_new (double, MAX (m, 1));
      g_autofree double *estimates = g_new (double, MAX (m, 1));

      for (guint i = 0; i < n_areas; i++)
        if (p->keep[i])
          {
            const TwRateRow *row = tw_rate_table_find_row (table, p->areas->area_ids[i],
                                                           stratum);

            events[j] = row->numerator;
            population[j] = row->denominator;
            j++;
          }
      if (!tw_rate_eb_local (sub, events, population, estimates, &error))
        {
          *status = tw_cli_fail (error);
          return FALSE;
        }
      j = 0;
      for (guint i = 0; i < n_areas; i++)
        p->value[i] = p->keep[i] ? estimates[j++] * tw_rate_table_get_multiplier (table) : NAN;
    }

  p->weights = tw_weights_subset (p->all_weights, p->keep);
  p->n = tw_weights_get_n_areas (p->weights);
  p->index = g_new (guint, MAX (p->n, 1));
  p->values = g_new (double, MAX (p->n, 1));
  for (guint i = 0, j = 0; i < n_areas; i++)
    if (p->keep[i])
      {
        p->index[j] = i;
        p->values[j++] = p->value[i];
      }
  if (p->n < n_areas)
    {
      guint n_suppressed = 0;

      for (guint i = 0; i < n_areas; i++)
        n_suppressed += !p->keep[i] && p->suppressed[i];
      fprintf (stderr, "tractwise-cli: warning: %u of %u areas are left out: %u suppressed "
                       "under the policy, %u without a rate for this measure, period and "
                       "group\n", n_areas - p->n, n_areas, n_suppressed,
               n_areas - p->n - n_suppressed);
    }
  return TRUE;
}

/* Why an area has no statistic: "analysed" (it took part), "suppressed" (its count is
 * hidden under the policy, so it is left out as missing: no statistic of its own and no
 * term in its neighbours') or "no data"; and whether it had no neighbour left. */
static void
add_area_status (JsonBuilder    *builder,
                 const Prepared *p,
                 guint           area,
                 int             analysed)
{
  guint n_neighbours = 0;

  if (analysed >= 0)
    tw_weights_get_neighbours (p->weights, analysed, &n_neighbours);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, analysed >= 0 ? "analysed"
                                 : p->suppressed[area] ? "suppressed" : "no data");
  json_builder_set_member_name (builder, "island");
  json_builder_add_boolean_value (builder, analysed >= 0 && n_neighbours == 0);
}

/* Which areas a global statistic left out, and why, and the islands among those kept. */
static void
add_left_out (JsonBuilder    *builder,
              const Prepared *p)
{
  static const char *const members[] = { "suppressed", "no_data", "islands" };

  tw_cli_add_number (builder, "areas_analysed", p->n);
  for (guint m = 0; m < G_N_ELEMENTS (members); m++)
    {
      json_builder_set_member_name (builder, members[m]);
      json_builder_begin_array (builder);
      for (guint i = 0, j = 0; i < p->areas->n_areas; i++)
        {
          guint n_neighbours = 0;
          gboolean listed;

          if (p->keep[i])
            tw_weights_get_neighbours (p->weights, j++, &n_neighbours);
          listed = m == 0 ? !p->keep[i] && p->suppressed[i]
                   : m == 1 ? !p->keep[i] && !p->suppressed[i]
                   : p->keep[i] && n_neighbours == 0;
          if (listed)
            json_builder_add_string_value (builder, p->areas->geoids[i]);
        }
      json_builder_end_array (builder);
    }
}

static gboolean
check_stat_options (const StatOptions *o,
                    const char        *command,
                    int               *status)
{
  if (o->measure == NULL || o->period == NULL)
    {
      *status = tw_cli_bad_input ("%s: --measure and --period are required", command);
      return FALSE;
    }
  if (o->smooth != NULL && !g_str_equal (o->smooth, "none") && !g_str_equal (o->smooth, "eb")
      && !g_str_equal (o->smooth, "spatial-eb"))
    {
      *status = tw_cli_bad_input ("%s: unknown --smooth '%s'; use none, eb or spatial-eb",
                                  command, o->smooth);
      return FALSE;
    }
  if (o->from != NULL && o->smooth != NULL && !g_str_equal (o->smooth, "none"))
    {
      *status = tw_cli_bad_input ("%s: --from (a differential statistic) runs on crude rates; "
                                  "leave out --smooth", command);
      return FALSE;
    }
  if (o->permutations < 0 || o->permutations > 99999)
    {
      *status = tw_cli_bad_input ("%s: --permutations must be between 0 and 99999, not %d",
                                  command, o->permutations);
      return FALSE;
    }
  if (!(o->alpha > 0 && o->alpha < 1))
    {
      *status = tw_cli_bad_input ("%s: --alpha must be between 0 and 1 (such as 0.05), not %g",
                                  command, o->alpha);
      return FALSE;
    }
  return TRUE;
}

static int
run_statistic (int         argc,
               char      **argv,
               const char *command,
               const char *summary)
{
  g_auto(StatOptions) o = { 0 };
  g_auto(Prepared) p = { 0 };
  gboolean is_lisa = g_str_equal (command, "lisa");
  GOptionEntry entries[] = {
    { "geography", 0, 0, G_OPTION_ARG_STRING, &o.geography, "Geography (default: the only one)", "NAME" },
    { "measure", 0, 0, G_OPTION_ARG_STRING, &o.measure, "Measure code (required)", "M" },
    { "period", 0, 0, G_OPTION_ARG_STRING, &o.period, "Period (required)", "P" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &o.from, "Differential: run on the change of the rate from this period to --period", "P" },
    { "stratum", 0, 0, G_OPTION_ARG_STRING, &o.stratum, "Group (default: all)", "S" },
    { "weights", 0, 0, G_OPTION_ARG_STRING, &o.weights, "queen (default), rook or knn", "TYPE" },
    { "k", 0, 0, G_OPTION_ARG_INT, &o.k, "Neighbours of each area for knn", "K" },
    { "permutations", 0, 0, G_OPTION_ARG_INT, &o.permutations, "Permutations (default 999; 0: none)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o.seed, "Seed of the permutations (same seed, same result)", "S" },
    { "smooth", 0, 0, G_OPTION_ARG_STRING, &o.smooth, "none (default), eb (global Empirical Bayes) or spatial-eb", "METHOD" },
    { "reveal", 0, 0, G_OPTION_ARG_NONE, &o.reveal, "Analyst view: show figures of suppressed areas (stdout only)", NULL },
    { "alpha", 0, 0, G_OPTION_ARG_DOUBLE, &o.alpha, "Significance level of the clusters (default 0.05)", "A" },
    { "fdr", 0, 0, G_OPTION_ARG_NONE, &o.fdr, "Control the false discovery rate (Benjamini–Hochberg)", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  JsonBuilder *builder;
  int status = TW_CLI_OK;

  o.permutations = 999;
  o.seed = DEFAULT_SEED;
  o.alpha = 0.05;
  if (!is_lisa)
    entries[11].long_name = entries[12].long_name = NULL;   /* --alpha and --fdr: lisa only */
  if (!tw_cli_parse (&argc, &argv, "WORKSPACE", summary, entries, 1))
    return TW_CLI_BAD_INPUT;
  if (!check_stat_options (&o, command, &status))
    return status;

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  if (!prepare (store, &o, &p, &status))
    return status;
  if (o.reveal)
    print_reveal_banner ();

  builder = json_builder_new ();
  if (g_str_equal (command, "moran"))
    {
      TwMoranGlobal g;

      if (!tw_moran_global (p.weights, p.values, o.permutations, o.seed, 0, &g, &error))
        {
          g_object_unref (builder);
          return tw_cli_fail (error);
        }
      json_builder_begin_object (builder);
      tw_cli_add_number (builder, "i", g.i);
      tw_cli_add_number (builder, "expectation", g.expectation);
      tw_cli_add_number (builder, "variance", g.variance);
      tw_cli_add_number (builder, "z", g.z);
      tw_cli_add_number (builder, "p_analytic", g.p_analytic);
      tw_cli_add_number (builder, "p_permutation", g.p_permutation);
      add_left_out (builder, &p);
      json_builder_end_object (builder);
      return tw_cli_print_builder (builder);
    }

  if (is_lisa)
    {
      g_autofree TwMoranLocal *local = g_new0 (TwMoranLocal, MAX (p.n, 1));
      g_autofree double *pv = g_new (double, MAX (p.n, 1));
      g_autofree double *adjusted = g_new (double, MAX (p.n, 1));
      g_autofree int *at = g_new (int, MAX (p.areas->n_areas, 1));

      if (!tw_moran_local (p.weights, p.values, o.permutations, o.seed, 0, local, &error))
        {
          g_object_unref (builder);
          return tw_cli_fail (error);
        }
      for (guint j = 0; j < p.n; j++)
        pv[j] = o.permutations > 0 ? local[j].p_permutation : local[j].p_analytic;
      if (o.fdr)
        tw_fdr_adjust (pv, p.n, adjusted);
      else
        memcpy (adjusted, pv, p.n * sizeof (double));
      for (guint i = 0; i < p.areas->n_areas; i++)
        at[i] = -1;
      for (guint j = 0; j < p.n; j++)
        at[p.index[j]] = j;

      json_builder_begin_array (builder);
      for (guint i = 0; i < p.areas->n_areas; i++)
        {
          int j = at[i];

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "geoid");
          json_builder_add_string_value (builder, p.areas->geoids[i]);
          /* I_i is the area's own centred value times its lag: a figure of its rate */
          tw_cli_add_number (builder, "i", j < 0 ? NAN : local[j].i);
          tw_cli_add_number (builder, "z", j < 0 ? NAN : local[j].z);
          tw_cli_add_number (builder, "p", j < 0 ? NAN : adjusted[j]);
          json_builder_set_member_name (builder, "cluster");
          json_builder_add_string_value (builder, j >= 0
                                         ? tw_lisa_cluster_to_string (
                                             tw_lisa_classify (&local[j], adjusted[j], o.alpha))
                                         : p.suppressed[i] ? "suppressed" : "no data");
          add_area_status (builder, &p, i, j);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      return tw_cli_print_builder (builder);
    }

  {
    g_autofree double *z = g_new (double, MAX (p.n, 1));
    g_autofree double *pv = g_new (double, MAX (p.n, 1));
    g_autofree int *at = g_new (int, MAX (p.areas->n_areas, 1));

    if (!tw_getis_ord_gstar (p.weights, p.values, z, pv, &error))
      {
        g_object_unref (builder);
        return tw_cli_fail (error);
      }
    for (guint i = 0; i < p.areas->n_areas; i++)
      at[i] = -1;
    for (guint j = 0; j < p.n; j++)
      at[p.index[j]] = j;
    json_builder_begin_array (builder);
    for (guint i = 0; i < p.areas->n_areas; i++)
      {
        int j = at[i];

        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "geoid");
        json_builder_add_string_value (builder, p.areas->geoids[i]);
        tw_cli_add_number (builder, "z", j < 0 ? NAN : z[j]);
        tw_cli_add_number (builder, "p", j < 0 ? NAN : pv[j]);
        add_area_status (builder, &p, i, j);
        json_builder_end_object (builder);
      }
    json_builder_end_array (builder);
    return tw_cli_print_builder (builder);
  }
}

int
tw_cli_moran (int    argc,
              char **argv)
{
  return run_statistic (argc, argv, "moran",
                        "Global Moran's I of the rates with its expectation and variance under "
                        "randomisation (as R spdep's moran.test) and a permutation p value "
                        "(one-sided: more clustered than chance).");
}

int
tw_cli_lisa (int    argc,
             char **argv)
{
  return run_statistic (argc, argv, "lisa",
                        "Local Moran (LISA) of the rates: I and z as R spdep's localmoran, the "
                        "conditional-permutation pseudo p value, and the cluster type "
                        "(high-high, low-low, high-low, low-high, not significant). The i of a "
                        "suppressed area is null unless --reveal.");
}

int
tw_cli_hotspots (int    argc,
                 char **argv)
{
  return run_statistic (argc, argv, "hotspots",
                        "Getis-Ord Gi* hot and cold spots of the rates (the area itself "
                        "included, as R spdep's localG): z and its two-sided normal p.");
}

/* `rates --smooth spatial-eb`: each area's rate shrunk towards the rate of its queen
 * neighbourhood (spdep's EBlocal). The smoothed rate pools the counts of the neighbourhood,
 * so (THE RULE) without --reveal it is computed over the published cells alone: a hidden
 * area is left out as missing, gets no smoothed rate, and adds nothing to its neighbours'. */
int
tw_cli_rates_spatial_eb (TwStore    *store,
                         const char *geography,
                         const char *measure,
                         const char *period,
                         const char *stratum,
                         gboolean    reveal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwRateTable) table = NULL;
  g_autoptr(TwAreaPolygons) areas = NULL;
  g_autoptr(TwWeights) weights = NULL;
  g_autoptr(GHashTable) index = g_hash_table_new (g_int64_hash, g_int64_equal);
  TwRateQuery query = { 0 };
  const char *const *strata;
  const TwSuppressionPolicy *policy;
  gint64 geography_id;
  guint n_rows;
  g_autofree double *smoothed = NULL;
  JsonBuilder *builder;

  areas = load_weights (store, geography, TW_WEIGHTS_QUEEN, 0, &weights, &geography_id,
                        &error);
  if (areas == NULL)
    return tw_cli_fail (error);
  for (guint i = 0; i < areas->n_areas; i++)
    g_hash_table_insert (index, &areas->area_ids[i], GUINT_TO_POINTER (i + 1));

  query.measure = measure;
  query.period = period;
  query.stratum = stratum;
  query.geography_id = geography_id;
  query.method = TW_RATE_METHOD_CRUDE;
  query.reveal = reveal;
  table = tw_rate_table_compute (store, &query, NULL, NULL, &error);
  if (table == NULL)
    return fail_statistics (error);
  policy = tw_rate_table_get_policy (table);
  n_rows = tw_rate_table_get_n_rows (table);
  smoothed = g_new (double, MAX (n_rows, 1));
  for (guint r = 0; r < n_rows; r++)
    smoothed[r] = NAN;

  strata = tw_rate_table_get_strata (table);
  for (guint s = 0; strata[s] != NULL; s++)
    {
      g_autofree gboolean *keep = g_new0 (gboolean, MAX (areas->n_areas, 1));
      g_autofree const TwRateRow **rows = g_new0 (const TwRateRow *, MAX (areas->n_areas, 1));
      g_autofree guint *row_of = g_new0 (guint, MAX (areas->n_areas, 1));
      g_autoptr(TwWeights) sub = NULL;
      g_autofree double *events = NULL, *population = NULL, *estimates = NULL;
      g_autofree guint *area_of = NULL;
      guint m, j = 0;

      if (stratum != NULL && !g_str_equal (stratum, strata[s]))
        continue;
      for (guint r = 0; r < n_rows; r++)
        {
          const TwRateRow *row = tw_rate_table_get_row (table, r);
          guint at = GPOINTER_TO_UINT (g_hash_table_lookup (index, &row->area_id));

          if (at == 0 || !g_str_equal (row->stratum, strata[s]))
            continue;
          rows[at - 1] = row;
          row_of[at - 1] = r;
          keep[at - 1] = row->denominator > 0 && isfinite (row->numerator);
        }
      sub = tw_weights_subset (weights, keep);
      m = tw_weights_get_n_areas (sub);
      if (m == 0)
        continue;
      events = g_new (double, m);
      population = g_new (double, m);
      estimates = g_new (double, m);
      area_of = g_new (guint, m);
      for (guint i = 0; i < areas->n_areas; i++)
        if (keep[i])
          {
            events[j] = rows[i]->numerator;
            population[j] = rows[i]->denominator;
            area_of[j++] = i;
          }
      if (!tw_rate_eb_local (sub, events, population, estimates, &error))
        return tw_cli_fail (error);
      for (j = 0; j < m; j++)
        smoothed[row_of[area_of[j]]] = estimates[j] * tw_rate_table_get_multiplier (table);
    }

  if (reveal)
    print_reveal_banner ();
  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint r = 0; r < n_rows; r++)
    {
      const TwRateRow *row = tw_rate_table_get_row (table, r);
      gboolean suppressed = tw_rate_row_is_suppressed (row);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "geoid");
      json_builder_add_string_value (builder, row->geoid);
      json_builder_set_member_name (builder, "stratum");
      json_builder_add_string_value (builder, row->stratum);
      tw_cli_add_number (builder, "numerator", row->numerator);
      tw_cli_add_number (builder, "denominator", row->denominator);
      tw_cli_add_figure (builder, "rate", smoothed[r], reveal);
      /* EBlocal gives no interval */
      tw_cli_add_number (builder, "lower", NAN);
      tw_cli_add_number (builder, "upper", NAN);
      json_builder_set_member_name (builder, "suppressed");
      json_builder_add_boolean_value (builder, suppressed);
      json_builder_set_member_name (builder, "unstable");
      json_builder_add_boolean_value (builder, reveal && isfinite (row->numerator)
                                               ? row->numerator < policy->unstable_below
                                               : row->unstable);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return tw_cli_print_builder (builder);
}
