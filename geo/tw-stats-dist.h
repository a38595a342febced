/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Distribution functions for intervals and tests, written from their textbook definitions
 * (no data/ dependency). Relative accuracy is about 1e-12 over the ranges the rates and
 * spatial statistics use; arguments outside a function's domain give NAN. */

/* Regularised lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), a > 0, x ≥ 0. */
double tw_stats_gamma_p            (double a,
                                    double x);
/* Its complement Q(a, x) = 1 − P(a, x), computed without cancellation. */
double tw_stats_gamma_q            (double a,
                                    double x);
/* The quantile of the gamma distribution with shape @a (any a > 0, not only integers) and
 * scale 1: the x with P(a, x) = p. p = 0 gives 0, p = 1 gives +∞. */
double tw_stats_gamma_quantile     (double p,
                                    double a);
/* The quantile of the chi-square distribution with @df degrees of freedom (df > 0). */
double tw_stats_chisq_quantile     (double p,
                                    double df);
/* The standard normal distribution function Φ(z) and its quantile Φ⁻¹(p). */
double tw_stats_normal_cdf         (double z);
double tw_stats_normal_quantile    (double p);

G_END_DECLS
