/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Rates with honest uncertainty. All functions take counts as doubles: apportioned
 * (non-integer) counts are valid everywhere. Intervals are two-sided at @level (0.95 for
 * the usual 95%), on the scale of the estimate they go with. */

#define TW_RATES_ERROR (tw_rates_error_quark ())

typedef enum
{
  TW_RATES_ERROR_INVALID,             /* negative counts, numerator above a proportion's base */
  TW_RATES_ERROR_UNKNOWN_AGE_GROUP,   /* an age_group label not in tw_age_group_labels */
  TW_RATES_ERROR_MISSING_AGE_GROUPS,  /* age adjustment without all 11 groups */
} TwRatesError;

typedef enum
{
  TW_RATE_KIND_RATE,         /* events per person-time: exact Poisson (Garwood) interval */
  TW_RATE_KIND_PROPORTION,   /* cases per person: Wilson score interval */
} TwRateKind;

/* A rate and its interval, already multiplied (per 100 000 …). NAN where undefined. */
typedef struct
{
  double rate;
  double lower;
  double upper;
} TwRateEstimate;

GQuark      tw_rates_error_quark           (void);

/* "rate" or "proportion" (the measure table's kind); FALSE for anything else. */
gboolean    tw_rate_kind_from_string       (const char *text,
                                            TwRateKind *kind);

/* Wilson score interval for the proportion @x / @n (0 ≤ x ≤ n, n > 0, both finite; any
 * other arguments give FALSE and NAN limits). Computed without cancellation, so a tiny
 * denominator (0.01) keeps every digit of its limits. */
gboolean    tw_rate_interval_wilson        (double      x,
                                            double      n,
                                            double      level,
                                            double     *lower,
                                            double     *upper);
/* Exact Poisson (Garwood) interval for the rate @x / @n (x ≥ 0, n > 0):
 *   lower = gamma_quantile (α/2, x) / n   (0 when x = 0)
 *   upper = gamma_quantile (1 − α/2, x + 1) / n
 * which is the chi-square form χ²(α/2, 2x)/2n … χ²(1 − α/2, 2x + 2)/2n, and holds for
 * non-integer x; for x = 0 the upper limit is 3.689 events. Below about 0.005 events the
 * lower limit is under 1e-300 (10^−5000 for 0.0003) and comes out 0, as in R. NaN,
 * infinite or negative arguments give FALSE and NAN limits. */
gboolean    tw_rate_interval_poisson       (double      x,
                                            double      n,
                                            double      level,
                                            double     *lower,
                                            double     *upper);

/* Korn–Graubard interval for a proportion @p estimated with effective sample size @n_eff
 * (Korn EL, Graubard BI 1998; NCHS Data Presentation Standards for Proportions, Parker et
 * al. 2017): the Clopper–Pearson interval with x = p·n_eff "successes" in n_eff trials,
 *   lower = qbeta (α/2, x, n_eff − x + 1)     (0 when x = 0)
 *   upper = qbeta (1 − α/2, x + 1, n_eff − x) (1 when x = n_eff)
 * as R's survey::svyciprop (method = "beta") computes it when the design's degrees of
 * freedom are large. For complete counts (no sampling design) n_eff is the denominator,
 * and the interval is Clopper–Pearson's. FALSE, with NAN limits, unless 0 ≤ p ≤ 1 and
 * n_eff > 0, finite. */
gboolean    tw_rate_interval_korn_graubard (double      p,
                                            double      n_eff,
                                            double      level,
                                            double     *lower,
                                            double     *upper);

/* Margins of error of survey estimates (the American Community Survey's are at 90%):
 * U.S. Census Bureau, Understanding and Using American Community Survey Data: What All Data
 * Users Need to Know (2020), chapter 8, "Calculating Measures of Error for Derived
 * Estimates". SE = MOE / 1.645. */
#define TW_MOE_Z 1.645

/* The MOE of a sum: √(Σ MOE²). The handbook's rule for zero estimates (only the largest
 * MOE among them counts) applies when @estimates is not NULL. */
double      tw_moe_sum                     (const double *estimates,
                                            const double *moes,
                                            guint         n);
/* The MOE of the proportion X/Y, X a subset of Y: (1/Y) √(MOE_X² − p² MOE_Y²), and the
 * ratio formula (1/Y) √(MOE_X² + p² MOE_Y²) when the radicand is negative, as the
 * handbook says. NAN when Y ≤ 0. */
double      tw_moe_proportion              (double x,
                                            double moe_x,
                                            double y,
                                            double moe_y);
/* The MOE of the ratio X/Y (X not a subset of Y): (1/Y) √(MOE_X² + R² MOE_Y²). */
double      tw_moe_ratio                   (double x,
                                            double moe_x,
                                            double y,
                                            double moe_y);
/* The MOE of the product X·Y: √(X² MOE_Y² + Y² MOE_X²). */
double      tw_moe_product                 (double x,
                                            double moe_x,
                                            double y,
                                            double moe_y);

/* The standard error of the rate @x / @n × @multiplier when the count @x is Poisson and the
 * population @n an estimate with margin of error @moe_n (90%, as the ACS publishes it), by
 * the delta method: Var r = r² (1/x + (SE_n / n)²), SE_n = @moe_n / 1.645. With @moe_n = 0
 * it is the Poisson SE m √x / n. NAN without a positive population. */
double      tw_rate_se_with_population_moe (double x,
                                            double n,
                                            double moe_n,
                                            double multiplier);

/* Widens the 95% interval @lower … @upper of @rate, whose count's error it holds, by a
 * population that is an estimate with relative standard error @population_rse
 * (SE_n / n, SE_n = MOE_n / 1.645). Each side's half-width h becomes
 * √(h² + (1.96 · rate · @population_rse)²): the two errors are independent and add in
 * quadrature, so for many events the interval is rate ± 1.96 √Var r with the delta method's
 * Var r = r² (1/x + (SE_n / n)²) (tw_rate_se_with_population_moe), and for few events it
 * keeps the exact interval's asymmetry. The lower limit stays at or above 0, the upper at or
 * below @ceiling (the multiplier for a proportion, INFINITY for a rate). Nothing changes
 * when @population_rse is 0, or when a figure is NAN. */
void        tw_rate_interval_add_population_error (double  rate,
                                                   double  population_rse,
                                                   double  ceiling,
                                                   double *lower,
                                                   double *upper);

/* The crude rate @numerator / @denominator × @multiplier with its 95% interval of the
 * @kind's method. A zero denominator gives NAN throughout. */
TwRateEstimate tw_rate_crude               (TwRateKind  kind,
                                            double      numerator,
                                            double      denominator,
                                            double      multiplier);

/* Age adjustment: direct standardisation to the US 2000 standard population in the 11
 * NCHS age groups. The outcome table's age_group column uses these labels, in this order:
 *   "00" (under 1), "01-04", "05-14", "15-24", "25-34", "35-44", "45-54", "55-64",
 *   "65-74", "75-84", "85+"
 * An empty age_group means the row is not split by age. */
#define TW_N_AGE_GROUPS 11

const char *const *tw_age_group_labels     (void);
/* The index 0 … 10 of @label, or -1. */
int         tw_age_group_index             (const char *label);
/* The share of the US 2000 standard population in group @index (they sum to 1). */
double      tw_age_group_standard_weight   (int         index);

/* The directly age-adjusted rate, × @multiplier, with the gamma interval of Fay and
 * Feuer (1997) at 95%. @numerators and @denominators hold one value per age group, in
 * label order; @present says which groups the data has. A group that is absent, or
 * present with a zero denominator, cannot be weighted: the error
 * (TW_RATES_ERROR_MISSING_AGE_GROUPS) names the groups, and @missing (when not NULL)
 * receives their labels as a NULL-terminated array. */
gboolean    tw_rate_age_adjusted           (const double    *numerators,
                                            const double    *denominators,
                                            const gboolean  *present,
                                            double           multiplier,
                                            TwRateEstimate  *estimate,
                                            GStrv           *missing,
                                            GError         **error);

/* The same for any weights (summing to 1), for tests against published examples that
 * use another standard. */
gboolean    tw_rate_direct_standardized    (const double    *numerators,
                                            const double    *denominators,
                                            const double    *weights,
                                            guint            n_groups,
                                            double           level,
                                            TwRateEstimate  *estimate);

/* The moments of a directly standardised rate that Fay and Feuer's interval rests on, each
 * × @multiplier (the variance × @multiplier²): @rate y = Σ w_i x_i / n_i, @variance
 * v = Σ w_i² x_i / n_i² and @weight_max w_M = max w_i / n_i. FALSE, with NAN, on the figures
 * tw_rate_direct_standardized refuses. */
gboolean    tw_rate_standardized_moments   (const double    *numerators,
                                            const double    *denominators,
                                            const double    *weights,
                                            guint            n_groups,
                                            double           multiplier,
                                            double          *rate,
                                            double          *variance,
                                            double          *weight_max);
/* Fay and Feuer's gamma interval at @level from those moments (any common multiplier). */
void        tw_rate_fay_feuer_interval     (double           rate,
                                            double           variance,
                                            double           weight_max,
                                            double           level,
                                            double          *lower,
                                            double          *upper);
/* The @p quantile of the F distribution with @df1 and @df2 degrees of freedom (any
 * positive reals), through the beta quantile; NAN outside the domain. */
double      tw_rate_f_quantile             (double           p,
                                            double           df1,
                                            double           df2);

/* Global Empirical Bayes smoothing (Marshall 1991), exactly as R spdep's
 * EBest (n = @events, x = @population, family = "poisson") computes it:
 *   r_i = y_i / n_i, b = Σy / Σn, s² = Σ n_i (r_i − b)² / Σn,
 *   a = s² − b / (Σn / N), a = 0 when negative,
 *   est_i = b + a (r_i − b) / (a + b / n_i)
 * @estimates receives the smoothed rates (per person, not multiplied). Every population
 * must be positive and finite, every count finite and at least 0 (apportioned counts such
 * as 0.0003 are fine); otherwise the error is TW_RATES_ERROR_INVALID. When every count is
 * 0 the estimates are 0 (spdep: NaN). @prior_mean and @prior_variance (b and a) may be
 * NULL. */
gboolean    tw_rate_eb_global              (const double    *events,
                                            const double    *population,
                                            guint            n_areas,
                                            double          *estimates,
                                            double          *prior_mean,
                                            double          *prior_variance,
                                            GError         **error);
/* The 95% interval of one smoothed rate: the quantiles of its gamma posterior, shape
 * b²/a + y and rate b/a + n (whose mean is the EB estimate). When a = 0 every area is
 * shrunk to b, and the interval is the exact Poisson interval of the pooled rate
 * Σy / Σn (pass those as @pooled_events and @pooled_population). Not multiplied.
 * FALSE, with NAN limits, when an argument is negative, NaN or infinite. */
gboolean    tw_rate_eb_interval            (double          events,
                                            double          population,
                                            double          prior_mean,
                                            double          prior_variance,
                                            double          pooled_events,
                                            double          pooled_population,
                                            double         *lower,
                                            double         *upper);

G_END_DECLS
