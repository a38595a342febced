/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The privacy policy as a project file holds it: a preset name and the threshold k, as
 * two settings. What they mean is data/stats/tw-suppression.h's; the presets are part of
 * the file format, so they are here, where the review copy of a share package
 * (tw-review-project.c) checks the package's policy without depending on the statistics.
 * How each preset judges reliability (unreliable, not privacy) is data/stats/tw-status.c's.
 */

#define TW_STORE_KEY_SUPPRESSION_PRESET "suppression.preset"
#define TW_STORE_KEY_SUPPRESSION_MIN_COUNT "suppression.min_count"

typedef struct
{
  const char *name;
  const char *version;       /* the edition of the source the preset follows */
  guint       min_count;     /* 0 for "custom": any k ≥ 1 */
  const char *source;        /* whose policy it is, as a brief cites it */
} TwPolicyPreset;

/* In the order of TwSuppressionPreset (data/stats/tw-suppression.h): "custom" is fourth,
 * where older project files have it, and the presets added since follow it. */
#define TW_N_POLICY_PRESETS 8
extern const TwPolicyPreset tw_policy_presets[TW_N_POLICY_PRESETS];

G_END_DECLS
