/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Distribution functions for intervals and tests, written from their textbook definitions
 * (no data/ dependency). Against R 4.2.2 (tests/fixtures/rates/gamma-reference.txt) the
 * relative error is below 1e-12 for every shape from 1e-4 to 1e6, the shapes apportioned
 * counts give (0.0003, 0.4, 10.6 …) included. Any double is a valid argument: outside a
 * function's domain (NaN, negative, infinite shape) the result is NAN, never an abort. */

/* Regularised lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), a > 0, x ≥ 0. Its cost
 * grows as √a (about 1 ms at a = 1e8). */
double tw_stats_gamma_p            (double a,
                                    double x);
/* Its complement Q(a, x) = 1 − P(a, x), computed without cancellation. */
double tw_stats_gamma_q            (double a,
                                    double x);
/* The quantile of the gamma distribution with shape @a (any a > 0, not only integers) and
 * scale 1: the x with P(a, x) = p. p = 0 gives 0, p = 1 gives +∞. A quantile below the
 * doubles' range (the lower limit of a count of 0.0003 is about 10^−5000) gives 0 or a
 * subnormal, as R's qgamma does. Past a shape of 1e8 it is Wilson–Hilferty's (relative
 * error below 3e-12 for 1e-10 ≤ p ≤ 1 − 1e-10): the exact expansions take O(√a) terms. */
double tw_stats_gamma_quantile     (double p,
                                    double a);
/* The quantile of the chi-square distribution with @df degrees of freedom (df > 0). */
double tw_stats_chisq_quantile     (double p,
                                    double df);
/* The standard normal distribution function Φ(z) and its quantile Φ⁻¹(p). */
double tw_stats_normal_cdf         (double z);
double tw_stats_normal_quantile    (double p);

G_END_DECLS
