/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "tw-store-policy.h"

const TwPolicyPreset tw_policy_presets[4] = {
  { "cms", 11, "CMS cell-size suppression policy" },
  { "wonder", 10, "CDC WONDER" },
  { "uscs", 16, "U.S. Cancer Statistics" },
  { "custom", 0, "project setting" },
};
