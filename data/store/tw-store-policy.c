/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tw-store-policy.h"

/* The sources, cited in README.md ("Privacy and reliability presets") as well:
 *  cms:    CMS cell-size suppression policy (CMS, 2020): no cell of 1 to 10.
 *  wonder: CDC WONDER data use restrictions: sub-national counts of 1 to 9 suppressed;
 *          rates from fewer than 20 deaths flagged unreliable.
 *  uscs:   U.S. Cancer Statistics data visualizations, technical notes: counts below 16
 *          (and rates from them) suppressed.
 *  wisqars: CDC WISQARS fatal injury mapping help, 3.4 "Annotation and suppression of
 *          unstable rates": counts of 1 to 9 suppressed; rates from 20 deaths or fewer
 *          unstable (hatched).
 *  nchs-rates: NCHS vital statistics practice: counts of 1 to 9 suppressed below the
 *          national level, rates from fewer than 20 events unreliable; and the NCHS Data
 *          Presentation Standards for Rates (relative 95% CI width above 160%: unreliable).
 *  nchs-proportions: Parker JD, Talih M, Malec DJ, et al. NCHS Data Presentation Standards
 *          for Proportions. Vital Health Stat 2(175), 2017: Korn–Graubard interval,
 *          effective sample size under 30, absolute width 0.30 or more, or relative width
 *          above 130% for widths over 0.05 and under 0.30; counts of 1 to 9 suppressed.
 *  wa-doh: Washington State Department of Health, Agency Standards for Reporting Data with
 *          Small Numbers, revision May 2018: counts of 1 to 9 suppressed (with secondary
 *          suppression); estimates with a relative standard error of 30% or more flagged. */
const TwPolicyPreset tw_policy_presets[TW_N_POLICY_PRESETS] = {
  { "cms", "2020", 11, "CMS cell-size suppression policy" },
  { "wonder", "2023", 10, "CDC WONDER" },
  { "uscs", "2023", 16, "U.S. Cancer Statistics" },
  { "custom", "1", 0, "project setting" },
  { "wisqars", "2023", 10, "CDC WISQARS" },
  { "nchs-rates", "2023", 10, "NCHS Data Presentation Standards for Rates" },
  { "nchs-proportions", "2017", 10, "NCHS Data Presentation Standards for Proportions (Parker et al. 2017)" },
  { "wa-doh", "2018", 10, "Washington State DOH Standards for Reporting Data with Small Numbers (2018)" },
};
