/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-suppression"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tw-suppression.h"

#define N_RANDOM_TABLES 20000
#define MAX_GROUPS 8

static TwSuppressionPolicy
policy_with (guint k)
{
  TwSuppressionPolicy policy;

  tw_suppression_policy_init (&policy);
  g_assert_true (tw_suppression_policy_set_min_count (&policy, k, NULL));
  return policy;
}

/* Builds an area: cells[0] is `all` (when @total >= 0), then the groups. */
static guint
area (TwSuppressionCell *cells,
      double             total,
      const double      *groups,
      guint              n_groups)
{
  guint n = 0;

  if (total >= 0)
    cells[n++] = (TwSuppressionCell) { .numerator = total, .is_total = TRUE };
  for (guint i = 0; i < n_groups; i++)
    cells[n++] = (TwSuppressionCell) { .numerator = groups[i] };
  return n;
}

static void
test_policy_presets (void)
{
  TwSuppressionPolicy policy;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  tw_suppression_policy_init (&policy);
  g_assert_cmpuint (policy.min_count, ==, 11);
  g_assert_cmpint (policy.preset, ==, TW_SUPPRESSION_PRESET_CMS);
  g_assert_true (policy.complementary);
  g_assert_cmpuint (policy.unstable_below, ==, 20);

  g_assert_true (tw_suppression_policy_set_preset (&policy, "wonder", NULL));
  g_assert_cmpuint (policy.min_count, ==, 10);
  g_assert_true (tw_suppression_policy_set_preset (&policy, "uscs", NULL));
  g_assert_cmpuint (policy.min_count, ==, 16);
  g_assert_cmpstr (tw_suppression_preset_to_string (policy.preset), ==, "uscs");
  g_assert_true (tw_suppression_policy_set_preset (&policy, "cms", NULL));
  g_assert_cmpuint (policy.min_count, ==, 11);

  g_assert_false (tw_suppression_policy_set_preset (&policy, "hipaa", &error));
  g_assert_error (error, TW_SUPPRESSION_ERROR, TW_SUPPRESSION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (policy.min_count, ==, 11);

  g_assert_false (tw_suppression_policy_set_min_count (&policy, 0, &error));
  g_assert_error (error, TW_SUPPRESSION_ERROR, TW_SUPPRESSION_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tw_suppression_policy_set_min_count (&policy, -3, NULL));
  g_assert_true (tw_suppression_policy_set_min_count (&policy, 5, NULL));
  g_assert_cmpint (policy.preset, ==, TW_SUPPRESSION_PRESET_CUSTOM);
  g_assert_cmpuint (policy.min_count, ==, 5);

  text = tw_suppression_policy_describe (&policy);
  g_assert_nonnull (strstr (text, "1 to 4"));
  g_assert_nonnull (strstr (text, "k = 5"));
}

static void
test_policy_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tw-suppression-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "policy.tractwise", NULL);
  TwSuppressionPolicy policy, loaded;

  g_assert_no_error (error);
  {
    g_autoptr(TwStore) store = tw_store_create (path, &error);

    g_assert_no_error (error);
    g_assert_true (tw_suppression_policy_load (&loaded, store, &error));
    g_assert_cmpuint (loaded.min_count, ==, 11);
    g_assert_cmpint (loaded.preset, ==, TW_SUPPRESSION_PRESET_CMS);

    policy = policy_with (7);
    g_assert_true (tw_suppression_policy_save (&policy, store, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(TwStore) store = tw_store_open (path, &error);
    g_autofree char *value = NULL;

    g_assert_no_error (error);
    g_assert_true (tw_suppression_policy_load (&loaded, store, &error));
    g_assert_cmpuint (loaded.min_count, ==, 7);
    g_assert_cmpint (loaded.preset, ==, TW_SUPPRESSION_PRESET_CUSTOM);
    value = tw_store_get_setting (store, TW_SUPPRESSION_KEY_PRESET);
    g_assert_cmpstr (value, ==, "custom");

    g_assert_true (tw_suppression_policy_set_preset (&policy, "uscs", NULL));
    g_assert_true (tw_suppression_policy_save (&policy, store, NULL));
    g_assert_true (tw_suppression_policy_load (&loaded, store, NULL));
    g_assert_cmpuint (loaded.min_count, ==, 16);

    /* A damaged setting is an error, never a silent default. */
    g_assert_true (tw_store_set_setting (store, TW_SUPPRESSION_KEY_PRESET, "custom", NULL));
    g_assert_true (tw_store_set_setting (store, TW_SUPPRESSION_KEY_MIN_COUNT, "zero", NULL));
    g_assert_false (tw_suppression_policy_load (&loaded, store, &error));
    g_assert_error (error, TW_SUPPRESSION_ERROR, TW_SUPPRESSION_ERROR_INVALID);
  }

  g_remove (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_remove (wal);
    g_remove (shm);
  }
  g_rmdir (dir);
}

static void
test_primary (void)
{
  TwSuppressionPolicy policy = policy_with (11);
  static const double groups[] = { 0, 1, 10, 10.6, 11, 0.4, 19, 20 };
  TwSuppressionCell cells[8];
  guint n = area (cells, -1, groups, G_N_ELEMENTS (groups));

  tw_suppression_apply_area (&policy, cells, n);
  g_assert_cmpint (cells[0].reason, ==, TW_SUPPRESSION_SHOWN);   /* zero is shown */
  g_assert_true (cells[0].unstable);
  g_assert_cmpint (cells[1].reason, ==, TW_SUPPRESSION_PRIMARY);
  g_assert_cmpint (cells[2].reason, ==, TW_SUPPRESSION_PRIMARY);
  g_assert_cmpint (cells[3].reason, ==, TW_SUPPRESSION_PRIMARY); /* apportioned */
  g_assert_cmpint (cells[4].reason, ==, TW_SUPPRESSION_SHOWN);
  g_assert_cmpint (cells[5].reason, ==, TW_SUPPRESSION_PRIMARY);
  g_assert_true (cells[6].unstable);
  g_assert_false (cells[7].unstable);
  for (guint i = 0; i < n; i++)
    if (cells[i].reason != TW_SUPPRESSION_SHOWN)
      g_assert_true (cells[i].unstable);
}

static void
test_complementary_examples (void)
{
  TwSuppressionPolicy policy = policy_with (11);
  TwSuppressionCell cells[MAX_GROUPS + 1];
  guint n;

  /* all 30 = 25 + 5: the 5 is primary, the 25 goes with it. */
  n = area (cells, 30, (double[]) { 25, 5 }, 2);
  tw_suppression_apply_area (&policy, cells, n);
  g_assert_cmpint (cells[0].reason, ==, TW_SUPPRESSION_SHOWN);
  g_assert_cmpint (cells[1].reason, ==, TW_SUPPRESSION_COMPLEMENTARY);
  g_assert_cmpint (cells[2].reason, ==, TW_SUPPRESSION_PRIMARY);

  /* The next-smallest positive group is picked; a zero protects nothing. */
  n = area (cells, 100, (double[]) { 60, 3, 0, 37 }, 4);
  tw_suppression_apply_area (&policy, cells, n);
  g_assert_cmpint (cells[1].reason, ==, TW_SUPPRESSION_SHOWN);
  g_assert_cmpint (cells[2].reason, ==, TW_SUPPRESSION_PRIMARY);
  g_assert_cmpint (cells[3].reason, ==, TW_SUPPRESSION_SHOWN);
  g_assert_cmpint (cells[4].reason, ==, TW_SUPPRESSION_COMPLEMENTARY);

  /* Two small groups hide each other only if together they reach k: 2 + 3 = 5 does not. */
  n = area (cells, 100, (double[]) { 2, 3, 40, 55 }, 4);
  tw_suppression_apply_area (&policy, cells, n);
  g_assert_cmpint (cells[3].reason, ==, TW_SUPPRESSION_COMPLEMENTARY);
  g_assert_cmpint (cells[4].reason, ==, TW_SUPPRESSION_SHOWN);

  /* A small unlisted remainder (all − groups = 5) is a small count too. */
  n = area (cells, 50, (double[]) { 20, 25 }, 2);
  tw_suppression_apply_area (&policy, cells, n);
  g_assert_cmpint (cells[1].reason, ==, TW_SUPPRESSION_COMPLEMENTARY);
  g_assert_cmpint (cells[2].reason, ==, TW_SUPPRESSION_COMPLEMENTARY);
  g_assert_cmpint (cells[0].reason, ==, TW_SUPPRESSION_SHOWN);

  /* A small total: everything but zeros is hidden, nothing more needed. */
  n = area (cells, 8, (double[]) { 5, 3, 0 }, 3);
  tw_suppression_apply_area (&policy, cells, n);
  g_assert_cmpint (cells[0].reason, ==, TW_SUPPRESSION_PRIMARY);
  g_assert_cmpint (cells[1].reason, ==, TW_SUPPRESSION_PRIMARY);
  g_assert_cmpint (cells[2].reason, ==, TW_SUPPRESSION_PRIMARY);
  g_assert_cmpint (cells[3].reason, ==, TW_SUPPRESSION_SHOWN);

  /* One group only: it is the total, so the total goes with it. */
  n = area (cells, 40, (double[]) { 4 }, 1);
  tw_suppression_apply_area (&policy, cells, n);
  g_assert_cmpint (cells[1].reason, ==, TW_SUPPRESSION_PRIMARY);
  g_assert_cmpint (cells[0].reason, ==, TW_SUPPRESSION_COMPLEMENTARY);

  /* Without a total nothing can be subtracted. */
  n = area (cells, -1, (double[]) { 40, 4 }, 2);
  tw_suppression_apply_area (&policy, cells, n);
  g_assert_cmpint (cells[0].reason, ==, TW_SUPPRESSION_SHOWN);
  g_assert_cmpint (cells[1].reason, ==, TW_SUPPRESSION_PRIMARY);

  /* k = 1 hides nothing. */
  policy = policy_with (1);
  n = area (cells, 3, (double[]) { 1, 2 }, 2);
  tw_suppression_apply_area (&policy, cells, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (cells[i].reason, ==, TW_SUPPRESSION_SHOWN);
}

static double
random_count (GRand *rand,
              guint  k,
              gboolean fractional)
{
  double r = g_rand_double (rand), c;

  if (r < 0.25)
    c = 0;
  else if (r < 0.6)
    c = g_rand_int_range (rand, 1, MAX (k, 2) + 1);
  else if (r < 0.85)
    c = g_rand_int_range (rand, 1, 3 * k + 5);
  else
    c = g_rand_int_range (rand, 1, 500);
  if (fractional && c > 0)
    c = MAX (0.25, c - 0.25 * g_rand_int_range (rand, 0, 4));
  return c;
}

/* What an observer of the published table can compute, checked against the policy:
 * no shown count is small; from the total, subtracting any set of shown groups leaves
 * 0 or at least k, and never exactly one hidden group. */
static void
check_published (const TwSuppressionPolicy *policy,
                 const TwSuppressionCell   *cells,
                 guint                      n)
{
  const TwSuppressionCell *total = NULL;
  double shown_sum = 0.0;
  guint n_hidden = 0;

  for (guint i = 0; i < n; i++)
    {
      gboolean hidden = cells[i].reason != TW_SUPPRESSION_SHOWN;

      if (cells[i].numerator > 0 && cells[i].numerator < policy->min_count)
        g_assert_true (hidden);
      if (hidden)
        g_assert_true (cells[i].unstable);
      else
        g_assert_true (cells[i].unstable == (cells[i].numerator < policy->unstable_below));
      if (cells[i].is_total)
        total = &cells[i];
      else if (!hidden)
        shown_sum += cells[i].numerator;
      else if (cells[i].numerator > 0)
        n_hidden++;
    }

  if (total != NULL && total->reason == TW_SUPPRESSION_SHOWN)
    {
      double residual = total->numerator - shown_sum;

      g_assert_cmpuint (n_hidden, !=, 1);
      /* Every subset of shown groups leaves at least this residual (counts are ≥ 0). */
      g_assert_false (residual > 1e-9 && residual < policy->min_count);
    }
}

static void
test_random_tables (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);
  static const guint thresholds[] = { 1, 2, 5, 10, 11, 16, 25 };
  guint n_complementary = 0, n_total_hidden = 0;

  for (guint t = 0; t < N_RANDOM_TABLES; t++)
    {
      guint k = thresholds[g_rand_int_range (rand, 0, G_N_ELEMENTS (thresholds))];
      TwSuppressionPolicy policy = policy_with (k);
      double groups[MAX_GROUPS], total = 0.0, r;
      guint n_groups = g_rand_int_range (rand, 1, MAX_GROUPS + 1);
      gboolean fractional = g_rand_double (rand) < 0.2;
      TwSuppressionCell cells[MAX_GROUPS + 1];
      guint n;

      for (guint i = 0; i < n_groups; i++)
        {
          groups[i] = random_count (rand, k, fractional);
          total += groups[i];
        }
      /* Most tables partition `all`; some leave an unlisted remainder, some overlap. */
      r = g_rand_double (rand);
      if (r < 0.15)
        total += g_rand_int_range (rand, 1, k + 2);
      else if (r < 0.25)
        total += g_rand_int_range (rand, 1, 200);
      else if (r < 0.3)
        total = MAX (0.0, total - g_rand_int_range (rand, 1, 20));
      else if (r < 0.38)
        total = -1; /* no `all` row */

      n = area (cells, total, groups, n_groups);
      tw_suppression_apply_area (&policy, cells, n);
      check_published (&policy, cells, n);

      for (guint i = 0; i < n; i++)
        {
          n_complementary += cells[i].reason == TW_SUPPRESSION_COMPLEMENTARY;
          n_total_hidden += cells[i].is_total && cells[i].reason == TW_SUPPRESSION_COMPLEMENTARY;
        }
    }

  /* The tables did exercise the complementary rule, including hiding a total. */
  g_assert_cmpuint (n_complementary, >, 1000);
  g_assert_cmpuint (n_total_hidden, >, 10);
}

/* Rule 4 over random pools of areas. */
static void
test_random_pools (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242);

  for (guint t = 0; t < 5000; t++)
    {
      guint k = g_rand_int_range (rand, 1, 20);
      TwSuppressionPolicy policy = policy_with (k);
      guint n = g_rand_int_range (rand, 1, 30), min_hidden = g_rand_int_range (rand, 1, 4);
      g_autofree TwSuppressionCell *cells = g_new0 (TwSuppressionCell, n);
      guint n_positive_shown = 0;
      double hidden_sum = 0.0;
      guint n_hidden = 0;

      for (guint i = 0; i < n; i++)
        {
          cells[i].numerator = random_count (rand, k, FALSE);
          tw_suppression_apply_area (&policy, &cells[i], 1);
        }
      tw_suppression_apply_pool (&policy, cells, n, min_hidden);

      for (guint i = 0; i < n; i++)
        {
          if (cells[i].reason == TW_SUPPRESSION_SHOWN)
            {
              g_assert_false (tw_suppression_is_small (&policy, cells[i].numerator));
              n_positive_shown += cells[i].numerator > 0;
            }
          else if (cells[i].numerator > 0)
            {
              n_hidden++;
              hidden_sum += cells[i].numerator;
            }
        }

      /* Either the pool is safe, or nothing positive is left to be shown from it. */
      if (tw_suppression_pool_is_safe (&policy, cells, n, min_hidden))
        g_assert_true (n_hidden == 0 || (n_hidden >= min_hidden && hidden_sum >= k));
      else
        g_assert_cmpuint (n_positive_shown, ==, 0);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data/suppression/policy/presets", test_policy_presets);
  g_test_add_func ("/data/suppression/policy/store", test_policy_store);
  g_test_add_func ("/data/suppression/primary", test_primary);
  g_test_add_func ("/data/suppression/complementary/examples", test_complementary_examples);
  g_test_add_func ("/data/suppression/complementary/random-tables", test_random_tables);
  g_test_add_func ("/data/suppression/pool/random", test_random_pools);

  return g_test_run ();
}
