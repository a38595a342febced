/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-rates.h"

G_BEGIN_DECLS

/* Disparity measures: one group's rate against a reference group's, in the same area.
 *
 * Rate ratio RR = r_g / r_ref with a 95% interval exp (ln RR ± 1.96 SE), by the delta
 * method (Katz's log method for proportions):
 *   Var ln RR = f_g / x_g + f_ref / x_ref − 2 c f_g / x_ref
 * Rate difference RD = r_g − r_ref with a Wald interval RD ± 1.96 SE:
 *   Var RD = x_g / n_g² + x_ref / n_ref² − 2 c x_g / (n_g n_ref)             (rates)
 *   Var RD = p_g q_g / n_g + p_ref q_ref / n_ref − 2 c p_g q_g / n_ref      (proportions)
 * where x are events, n denominators, f = 1 for rates (Poisson counts) and f = q = 1 − p
 * for proportions (binomial counts), and c is the covariance term:
 *   - reference `all` (the default): the group is part of the total, so the two counts are
 *     positively correlated, Cov(x_g, x_all) = Var(x_g); c = 1. Treating them as
 *     independent would overstate the uncertainty (and count the group's events twice).
 *     The approximation assumes the group's events and people are a subset of the total's
 *     (true for a partition by race, sex, age band …; for overlapping strata such as
 *     ethnicity and race it remains a first-order approximation);
 *   - any other reference group: the two groups are taken as disjoint and independent,
 *     c = 0.
 * Undefined figures are NAN: the ratio when the reference rate is 0, the ratio's interval
 * when either count is 0 (its logarithm is undefined), everything without a positive
 * denominator. Suppressed cells get no ratio or difference at all (the caller applies the
 * policy: see tw-suppression.h). */

typedef struct
{
  double ratio;
  double ratio_lower;
  double ratio_upper;
  double difference;         /* × multiplier, like the rates */
  double difference_lower;
  double difference_upper;
} TwDisparity;

/* Compares the group (@x, @n) against the reference (@x_ref, @n_ref); @nested says that
 * the group is part of the reference (the reference is `all`). */
void tw_disparity_compare (TwRateKind   kind,
                           double       x,
                           double       n,
                           double       x_ref,
                           double       n_ref,
                           gboolean     nested,
                           double       multiplier,
                           TwDisparity *disparity);

/* A group's share of a region's events and of its denominator: @x / @total_x and
 * @n / @total_n (NAN when a total is 0). */
void tw_disparity_shares  (double       x,
                           double       n,
                           double       total_x,
                           double       total_n,
                           double      *share_of_events,
                           double      *share_of_denominator);

G_END_DECLS
