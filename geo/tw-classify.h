/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * Class breaks for a choropleth.
 *
 * Input is an array of doubles; NaN means "no value" and is skipped (counted in
 * n_missing). The result has n_classes classes and n_classes + 1 breaks, lowest
 * first. Value v belongs to class i when breaks[i] < v <= breaks[i + 1]; the first
 * class also holds its lower bound breaks[0]. For every method but manual,
 * breaks[0] is the smallest value and breaks[n_classes] the largest.
 *
 * Methods:
 *
 * - QUANTILE: breaks are the sample quantiles at i/K (i = 0..K), R's type 7 (the
 *   definition R's quantile() uses by default and classInt's "quantile" style):
 *   h = (n - 1) p, q = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]) on
 *   the sorted values. Equal breaks (many tied values) are merged, so fewer classes
 *   may result.
 * - EQUAL: K classes of equal width from the smallest to the largest value.
 * - NATURAL: exact natural breaks, the partition of the sorted values into K
 *   contiguous groups with the least within-class sum of squares (optimal
 *   one-dimensional k-means, as Fisher (1958) and classInt's "fisher" style compute).
 *   Dynamic programming over all values, never a sample. Each inner break is the
 *   midpoint between the largest value of the lower class and the smallest value of
 *   the upper class, as classInt's "fisher" style reports it.
 * - STDDEV: classes one standard deviation wide centred on the mean: for even K the
 *   mean is a break, for odd K the middle class is mean ± sd/2. The inner breaks are
 *   mean + (i - K/2) sd for i = 1..K-1, with sd the sample standard deviation
 *   (n - 1, as R's sd()); inner breaks that fall at or outside the range of the data
 *   are dropped (fewer classes), and the outer breaks are the smallest and largest
 *   values. (classInt's "sd" style instead takes pretty() multiples of sd.)
 * - MANUAL: the caller gives the K - 1 inner breaks (the thresholds between
 *   classes), strictly increasing and finite, so K = n_manual + 1 must be 3..9. The
 *   outer breaks are the smallest and largest values, widened to the first and last
 *   inner break when the data do not reach them, so every value has a class; classes
 *   may then be empty.
 *
 * Fewer distinct values than K: every computed method (all but MANUAL) makes at
 * most as many classes as there are distinct values, so n_classes may be below the
 * K asked for (down to 1 when all values are equal). A caller must read n_classes.
 */

#define TW_CLASSIFY_MIN_CLASSES 3
#define TW_CLASSIFY_MAX_CLASSES 9

#define TW_CLASSIFY_ERROR (tw_classify_error_quark ())

/**
 * TwClassifyError:
 * @TW_CLASSIFY_ERROR_CLASSES: the number of classes is outside 3..9 (for manual
 *   breaks: not 2..8 inner breaks)
 * @TW_CLASSIFY_ERROR_BREAKS: manual breaks are not finite or not strictly increasing
 * @TW_CLASSIFY_ERROR_NO_VALUES: there is no value to classify (empty, or all NaN)
 * @TW_CLASSIFY_ERROR_VALUE: a value is infinite
 * @TW_CLASSIFY_ERROR_METHOD: unknown method name
 */
typedef enum
{
  TW_CLASSIFY_ERROR_CLASSES,
  TW_CLASSIFY_ERROR_BREAKS,
  TW_CLASSIFY_ERROR_NO_VALUES,
  TW_CLASSIFY_ERROR_VALUE,
  TW_CLASSIFY_ERROR_METHOD,
} TwClassifyError;

typedef enum
{
  TW_CLASSIFY_QUANTILE,
  TW_CLASSIFY_EQUAL,
  TW_CLASSIFY_NATURAL,
  TW_CLASSIFY_STDDEV,
  TW_CLASSIFY_MANUAL,
} TwClassifyMethod;

typedef struct
{
  TwClassifyMethod method;
  guint            n_classes;   /* classes actually made, may be below the K asked for */
  double          *breaks;      /* n_classes + 1 values, lowest first */
  guint           *counts;      /* n_classes values */
  double           within_ss;   /* sum over classes of the squared deviations from the class mean */
  guint            n_values;    /* values classified */
  guint            n_missing;   /* NaN values skipped */
} TwClassification;

GType             tw_classification_get_type     (void) G_GNUC_CONST;
#define TW_TYPE_CLASSIFICATION (tw_classification_get_type ())

GQuark            tw_classify_error_quark        (void);

TwClassification *tw_classify                    (const double      *values,
                                                  gsize              n_values,
                                                  TwClassifyMethod   method,
                                                  guint              n_classes,
                                                  const double      *manual_breaks,
                                                  gsize              n_manual_breaks,
                                                  GError           **error);

TwClassification *tw_classification_copy         (const TwClassification *self);
void              tw_classification_free         (TwClassification       *self);

int               tw_classification_class_of     (const TwClassification *self,
                                                  double                  value);

int               tw_classify_find_class         (const double      *breaks,
                                                  guint              n_classes,
                                                  double             value);

double            tw_classify_within_ss          (const double      *values,
                                                  gsize              n_values,
                                                  const double      *breaks,
                                                  guint              n_classes);

const char       *tw_classify_method_to_string   (TwClassifyMethod   method);
gboolean          tw_classify_method_from_string (const char        *name,
                                                  TwClassifyMethod  *method,
                                                  GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwClassification, tw_classification_free)

G_END_DECLS
