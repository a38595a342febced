/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-suppression"

#include <math.h>
#include <stdlib.h>

#include "tw-status.h"
#include "tw-store-policy.h"
#include "tw-suppression.h"

G_DEFINE_QUARK (tw-suppression-error-quark, tw_suppression_error)

/* tw_policy_presets is indexed by TwSuppressionPreset. */
G_STATIC_ASSERT (G_N_ELEMENTS (tw_policy_presets) == TW_SUPPRESSION_N_PRESETS);

/* Counts within this of zero are zero: apportioned counts carry rounding noise. */
#define ZERO_TOLERANCE 1e-9

void
tw_suppression_policy_init (TwSuppressionPolicy *policy)
{
  g_return_if_fail (policy != NULL);

  policy->min_count = TW_SUPPRESSION_DEFAULT_MIN_COUNT;
  policy->preset = TW_SUPPRESSION_PRESET_CMS;
  policy->complementary = TRUE;
  policy->unstable_below = TW_SUPPRESSION_UNSTABLE_BELOW;
}

const char *
tw_suppression_preset_to_string (TwSuppressionPreset preset)
{
  g_return_val_if_fail (preset < TW_SUPPRESSION_N_PRESETS, NULL);
  return tw_policy_presets[preset].name;
}

const char *
tw_suppression_preset_get_version (TwSuppressionPreset preset)
{
  g_return_val_if_fail (preset < TW_SUPPRESSION_N_PRESETS, NULL);
  return tw_policy_presets[preset].version;
}

gboolean
tw_suppression_policy_set_preset (TwSuppressionPolicy  *policy,
                                  const char           *name,
                                  GError              **error)
{
  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < TW_SUPPRESSION_N_PRESETS; i++)
    {
      if (i != TW_SUPPRESSION_PRESET_CUSTOM
          && g_ascii_strcasecmp (name, tw_policy_presets[i].name) == 0)
        {
          policy->preset = i;
          policy->min_count = tw_policy_presets[i].min_count;
          policy->unstable_below = tw_figure_status_unstable_below (i);
          return TRUE;
        }
    }

  g_set_error (error, TW_SUPPRESSION_ERROR, TW_SUPPRESSION_ERROR_INVALID,
               "unknown suppression preset '%s'; use cms, wonder, uscs, wisqars, nchs-rates, "
               "nchs-proportions or wa-doh, or a custom --min-count", name);
  return FALSE;
}

gboolean
tw_suppression_policy_set_min_count (TwSuppressionPolicy  *policy,
                                     gint64                min_count,
                                     GError              **error)
{
  g_return_val_if_fail (policy != NULL, FALSE);

  if (min_count < 1 || min_count > G_MAXINT32)
    {
      g_set_error (error, TW_SUPPRESSION_ERROR, TW_SUPPRESSION_ERROR_INVALID,
                   "the minimum count must be a whole number of at least 1, not %"
                   G_GINT64_FORMAT, min_count);
      return FALSE;
    }

  policy->min_count = (guint) min_count;
  policy->preset = TW_SUPPRESSION_PRESET_CUSTOM;
  policy->unstable_below = TW_SUPPRESSION_UNSTABLE_BELOW;
  return TRUE;
}

gboolean
tw_suppression_policy_load (TwSuppressionPolicy  *policy,
                            TwStore              *store,
                            GError              **error)
{
  g_autofree char *preset = NULL;
  g_autofree char *min_count = NULL;

  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (store != NULL, FALSE);

  tw_suppression_policy_init (policy);
  preset = tw_store_get_setting (store, TW_STORE_KEY_SUPPRESSION_PRESET);
  min_count = tw_store_get_setting (store, TW_STORE_KEY_SUPPRESSION_MIN_COUNT);

  if (preset != NULL && !g_str_equal (preset, "custom"))
    {
      if (!tw_suppression_policy_set_preset (policy, preset, error))
        return FALSE;
    }
  else if (preset != NULL || min_count != NULL)
    {
      guint64 k = 0;

      if (min_count == NULL
          || !g_ascii_string_to_unsigned (min_count, 10, 1, G_MAXINT32, &k, NULL))
        {
          g_set_error (error, TW_SUPPRESSION_ERROR, TW_SUPPRESSION_ERROR_INVALID,
                       "%s: the stored suppression threshold '%s' is not a whole number "
                       "of at least 1; set it again with 'tractwise-cli policy'",
                       tw_store_get_path (store), min_count ? min_count : "(none)");
          return FALSE;
        }
      policy->min_count = (guint) k;
      policy->preset = TW_SUPPRESSION_PRESET_CUSTOM;
      policy->unstable_below = TW_SUPPRESSION_UNSTABLE_BELOW;
    }

  return TRUE;
}

gboolean
tw_suppression_policy_save (const TwSuppressionPolicy  *policy,
                            TwStore                    *store,
                            GError                    **error)
{
  g_autofree char *min_count = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (policy->min_count >= 1, FALSE);

  min_count = g_strdup_printf ("%u", policy->min_count);
  /* The audit log records the values; a method note in words is the report layer's
   * (tw-policy-text.h), in the reader's language. */
  detail = g_strdup_printf ("preset %s, version %s, k = %u",
                            tw_suppression_preset_to_string (policy->preset),
                            tw_suppression_preset_get_version (policy->preset),
                            policy->min_count);

  if (!tw_store_begin (store, error))
    return FALSE;
  if (!tw_store_set_setting (store, TW_STORE_KEY_SUPPRESSION_PRESET,
                             tw_suppression_preset_to_string (policy->preset), error)
      || !tw_store_set_setting (store, TW_STORE_KEY_SUPPRESSION_MIN_COUNT, min_count, error)
      || !tw_store_audit (store, "policy", detail, error)
      || !tw_store_commit (store, error))
    {
      tw_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

gboolean
tw_suppression_is_small (const TwSuppressionPolicy *policy,
                         double                     count)
{
  g_return_val_if_fail (policy != NULL, FALSE);

  return count > ZERO_TOLERANCE && count < (double) policy->min_count;
}

static gboolean
is_hidden (const TwSuppressionCell *cell)
{
  return cell->reason != TW_SUPPRESSION_SHOWN;
}

/* The shown group (not the total) with a positive count and the smallest denominator, or
 * -1; ties go to the earlier cell. The choice looks at shown cells and populations only. */
static int
complement_candidate (const TwSuppressionCell *cells,
                      guint                    n_cells)
{
  int best = -1;

  for (guint i = 0; i < n_cells; i++)
    {
      if (cells[i].is_total || is_hidden (&cells[i]) || cells[i].numerator <= ZERO_TOLERANCE)
        continue;
      if (best < 0 || cells[i].denominator < cells[best].denominator)
        best = (int) i;
    }
  return best;
}

/* The total minus the shown groups: what anyone can compute of the hidden ones together. */
static double
public_remainder (const TwSuppressionCell *cells,
                  guint                    n_cells,
                  int                      total)
{
  double remainder = cells[total].numerator;

  for (guint i = 0; i < n_cells; i++)
    if (!cells[i].is_total && !is_hidden (&cells[i]))
      remainder -= cells[i].numerator;
  return remainder;
}

void
tw_suppression_apply_area (const TwSuppressionPolicy *policy,
                           TwSuppressionCell         *cells,
                           guint                      n_cells)
{
  g_return_if_fail (policy != NULL);
  g_return_if_fail (cells != NULL || n_cells == 0);

  /* Rule 1; rule 6 keeps a cell without a known count hidden. */
  for (guint i = 0; i < n_cells; i++)
    cells[i].reason = isnan (cells[i].numerator) ? TW_SUPPRESSION_WITHHELD
                      : tw_suppression_is_small (policy, cells[i].numerator)
                      ? TW_SUPPRESSION_PRIMARY : TW_SUPPRESSION_SHOWN;

  tw_suppression_complete_area (policy, cells, n_cells);
}

/* Rules 2, 3 and 5 once rule 1 (or a review copy's withheld cells, or rule 7) decided the
 * others. */
void
tw_suppression_complete_area (const TwSuppressionPolicy *policy,
                              TwSuppressionCell         *cells,
                              guint                      n_cells)
{
  int total = -1;
  gboolean remainder_rule = FALSE;
  double k = policy != NULL ? policy->min_count : 0;

  g_return_if_fail (policy != NULL);
  g_return_if_fail (cells != NULL || n_cells == 0);

  for (guint i = 0; i < n_cells; i++)
    {
      if (isnan (cells[i].numerator) && cells[i].reason == TW_SUPPRESSION_SHOWN)
        cells[i].reason = TW_SUPPRESSION_WITHHELD;
      if (tw_suppression_is_small (policy, cells[i].numerator)
          && cells[i].reason == TW_SUPPRESSION_SHOWN)
        cells[i].reason = TW_SUPPRESSION_PRIMARY;
      /* (One total an area: the import refuses a second `all` row.) */
      if (cells[i].is_total && total < 0)
        total = (int) i;
    }

  /* Rule 2. Whether a complement is needed depends on which cells are hidden and why, and on
   * what stays public (the total, the shown groups), never on a hidden count: a rule that
   * weighed the hidden counts (did they reach k together? could they be pinned?) would
   * hide more or fewer cells as they changed, and the cells hidden would then tell about
   * them — an outsider who knows the rule recovers them from that (the suite's outsider
   * test found exactly this in such a rule). */
  if (total >= 0 && !is_hidden (&cells[total]))
    {
      gboolean primary = FALSE, protected = FALSE, any_hidden = FALSE;
      guint n_primary = 0;

      for (guint i = 0; i < n_cells; i++)
        {
          if (cells[i].is_total)
            continue;
          any_hidden |= is_hidden (&cells[i]);
          primary |= cells[i].reason == TW_SUPPRESSION_PRIMARY;
          n_primary += cells[i].reason == TW_SUPPRESSION_PRIMARY;
          /* A withheld cell was protected by the package it came from. */
          protected |= cells[i].reason == TW_SUPPRESSION_COMPLEMENTARY
                       || cells[i].reason == TW_SUPPRESSION_WITHHELD;
        }
      /* With every group shown, the total minus the groups (people of no listed group) is
       * public: a small one needs a complement like a small group. */
      remainder_rule = !any_hidden && tw_suppression_is_small (policy,
                                                               public_remainder (cells, n_cells,
                                                                                 total));
      if ((primary && !protected) || remainder_rule)
        {
          int next = complement_candidate (cells, n_cells);

          /* With no group left to hide, two or more small groups may stay beside the
           * total: (c) checks what their sum lets an outsider say. One alone may not. */
          if (next >= 0)
            cells[next].reason = TW_SUPPRESSION_COMPLEMENTARY;
          else if (n_primary == 1 || remainder_rule)
            cells[total].reason = TW_SUPPRESSION_COMPLEMENTARY;
        }
    }

  /* (c) What the hidden groups can hold is public: 1 … k − 1 for a small group, k up to the
   * total for a complement (it was shown, so k or more), 1 … k − 1 for a small remainder
   * that set (b) going. When the total minus the shown groups is within one of the least or
   * the most they can hold, they split one way or nearly; when it is itself 1 … k − 1, the
   * groups together are a small count. Either way the total is hidden too, and an outsider
   * learns only that one of these held (checking only the exact least would say which). */
  if (total >= 0 && !is_hidden (&cells[total]))
    {
      double least = remainder_rule ? 1.0 : 0.0, most = remainder_rule ? k - 1.0 : 0.0;
      double all = cells[total].numerator, remainder;
      guint n_hidden = 0;

      for (guint i = 0; i < n_cells; i++)
        if (!cells[i].is_total && is_hidden (&cells[i]))
          {
            n_hidden++;
            switch (cells[i].reason)
              {
              case TW_SUPPRESSION_PRIMARY:
                least += 1.0;
                most += MAX (1.0, k - 1.0);
                break;
              case TW_SUPPRESSION_COMPLEMENTARY:
                least += k;
                most += all;
                break;
              default:
                most += all;
              }
          }
      remainder = public_remainder (cells, n_cells, total);
      if (n_hidden > 0
          && (remainder < least + 1.5 || remainder > most - 1.5
              || tw_suppression_is_small (policy, remainder)))
        cells[total].reason = TW_SUPPRESSION_COMPLEMENTARY;
    }

  /* Rule 5. */
  for (guint i = 0; i < n_cells; i++)
    cells[i].unstable = is_hidden (&cells[i])
                        || cells[i].numerator < (double) policy->unstable_below;
}
