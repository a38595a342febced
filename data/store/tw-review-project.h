/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A share package opened for review becomes a review project: an ordinary project file,
 * built where the caller says (the window uses a private temporary folder and deletes it
 * when the review closes), holding exactly what the package holds:
 *
 *   - its geographies and areas, measures, partners (the fields shared) and projects with
 *     their target areas and partners, under the package's own ids, so that comments name
 *     the same projects as in the project the package came from;
 *   - the rates as the package gives them: a shown row's count and denominator (the rate
 *     table computes the same crude rate and interval from them), and a suppressed row as
 *     a withheld cell (outcome_withheld): its population, and no count at all;
 *   - the package's suppression policy;
 *
 * and marked read-only (TW_STORE_KEY_REVIEW_PACKAGE): tw_store_open makes it refuse every
 * edit. Nothing is invented: a figure the package does not hold is not in the project.
 */

typedef struct
{
  guint n_areas;
  guint n_shown;      /* rate rows with a count */
  guint n_withheld;   /* rate rows the package suppressed */
  guint n_projects;
  guint n_partners;
} TwReviewProjectSummary;

/* Builds the review project of @package at @path (which must not exist). Fails with
 * TW_SHARE_ERROR_NOT_A_PACKAGE for a file that is no share package, and
 * TW_SHARE_ERROR_INVALID when the package is damaged; nothing is left at @path then.
 * @summary may be NULL. */
gboolean    tw_review_project_create  (const char             *package,
                                       const char             *path,
                                       TwReviewProjectSummary *summary,
                                       GCancellable           *cancellable,
                                       GError                **error);

/* Removes a review project's file with its SQLite journals, and its folder when that is
 * left empty. */
void        tw_review_project_delete  (const char             *path);

G_END_DECLS
