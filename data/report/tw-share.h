/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-comments.h"
#include "tw-share-package.h"
#include "tw-store.h"

G_BEGIN_DECLS

/*
 * The share package: what a partner organization receives, as a GeoPackage written
 * through GDAL that opens in QGIS (or any GIS) as ordinary layers in EPSG:4326:
 *
 *   areas      MultiPolygon: geography, geoid, name
 *   rates      table: geography, geoid, measure, period, stratum, numerator, denominator,
 *              rate, lower, upper, suppressed, unstable — every area, period and group of
 *              the chosen measures under the project's suppression policy: a suppressed
 *              row has null numerator, rate, lower and upper (its denominator stays, as
 *              the policy allows)
 *   measures   table: code, label, kind, multiplier, higher_is_worse, source
 *   projects   MultiPolygon (the union of the target areas): id, title, aim, measure,
 *              stratum, geography, status, start_date, end_date, goal_percent, partners,
 *              geoids. Budgets and notes stay home.
 *   partners   table: id, name, kind, agreement, projects; contact, email and phone only
 *              when contacts are chosen. Notes stay home.
 *   metadata   table: key, value — package = "tractwise-share", package_version,
 *              package_id (a random UUID), created_at, created_by, tractwise_version, source_project, policy (the
 *              footnote), policy_preset, policy_min_count, measures, sources, geographies,
 *              contacts_included.
 *
 * Review: a share package opened in Tractwise is a read-only review project. TwReview
 * reads it (never writes it) and collects the partner's comments on areas and projects,
 * saved as a small JSON file:
 *
 *   { "format": "tractwise-comments", "version": 1,
 *     "package": { "file": …, "source_project": …, "created_at": …, "package_id": … },
 *     "comments": [ { "geography": …, "geoid": … or null, "project_id": … or null,
 *                     "project_title": … or null, "author": …, "body": …,
 *                     "created_at": "YYYY-MM-DDTHH:MM:SSZ" }, … ] }
 *
 * which staff import into the original project (tw_share_import_comments): only the
 * project whose audit log records exporting that package (its id and time) takes them.
 *
 * This module decides what is published and checks what comes back; data/store keeps the
 * files: tw-package-writer.h writes a package, tw-share-package.h reads one as hostile,
 * tw-comments.h stores the comments, and the error domain lives there too.
 */

/* Called from the writing thread after each step: @done of @total. */
typedef void (*TwShareProgress) (guint    done,
                                 guint    total,
                                 gpointer user_data);

typedef struct
{
  const char *const *measures;       /* codes; NULL: every measure, or with @partner the
                                      * measures of its projects */
  gboolean           with_contacts;  /* partners' contact, e-mail and phone */
  /* A partner's name: the package holds only its projects (naming no other partner), the
   * geographies of their target areas, the chosen measures there and its own entry with
   * its contact details; nothing of another partner. NULL: every partner. */
  const char        *partner;
  TwShareProgress    progress;       /* may be NULL */
  gpointer           progress_data;
  const char        *shared_by;      /* the sender as partners see them ("Ana Ruiz (Boston
                                      * Medical Center)"); NULL: the account's name */
} TwShareOptions;

typedef struct
{
  guint n_areas;
  guint n_rates;
  guint n_suppressed;
  guint n_projects;
  guint n_partners;
} TwShareSummary;

/* Writes the package to @path and an "export-share" row (with the package's id and time)
 * to the audit log. The package is written in a private folder beside @path and renamed
 * into place: a killed export leaves the old file or the new one, and the next export
 * removes the folder it left. @summary may be NULL. */
gboolean    tw_share_write            (TwStore              *store,
                                       const TwShareOptions *options,
                                       const char           *path,
                                       TwShareSummary       *summary,
                                       GCancellable         *cancellable,
                                       GError              **error);

/* Whether @path is a share package (a GeoPackage whose metadata says so), opened as
 * hostile (tw-share-package.h): header, tables and metadata, no rows else. */
gboolean    tw_share_is_package       (const char           *path);
/* The same, saying why not. */
gboolean    tw_share_check_package    (const char           *path,
                                       GError              **error);
/* Whether @path's first bytes say GeoPackage (its application_id): nothing else is read. */
gboolean    tw_share_is_geopackage    (const char           *path);

typedef struct _TwReview TwReview;

/* Opens a share package for review, as hostile (tw-share-package.h): every table is read
 * and checked; @cancellable stops it. The package is never written. */
TwReview   *tw_review_open            (const char           *path,
                                       GCancellable         *cancellable,
                                       GError              **error);
void        tw_review_free            (TwReview             *review);

const char *tw_review_get_path        (TwReview             *review);
/* A value of the metadata table, or NULL. */
const char *tw_review_get_metadata    (TwReview             *review,
                                       const char           *key);
guint       tw_review_get_n_areas     (TwReview             *review);
/* The title of a shared project, or NULL when the package has no such project. */
const char *tw_review_get_project_title (TwReview           *review,
                                         gint64              project_id);

/* Adds a comment on an area (@geoid, of @geography: NULL when the package has one
 * geography) and/or a project (@project_id > 0). The package itself is never written. */
gboolean    tw_review_add_comment     (TwReview             *review,
                                       const char           *geography,
                                       const char           *geoid,
                                       gint64                project_id,
                                       const char           *author,
                                       const char           *body,
                                       GError              **error);
guint       tw_review_get_n_comments  (TwReview             *review);
/* The comments made so far, oldest first (those of an earlier file first). */
const TwComment *tw_review_get_comment (TwReview            *review,
                                        guint                index);
void        tw_review_remove_comment  (TwReview             *review,
                                       guint                 index);
/* Reads the comments of an earlier comments file of this package, to add to them. */
gboolean    tw_review_load_comments   (TwReview             *review,
                                       const char           *path,
                                       GError              **error);
gboolean    tw_review_save_comments   (TwReview             *review,
                                       const char           *path,
                                       GError              **error);

/* Imports a comments file into the project it came from, in one transaction with an
 * "import-comments" audit row; a comment already there is not added twice. Returns how
 * many were added, or -1. */
gint64      tw_share_import_comments  (TwStore              *store,
                                       const char           *path,
                                       GError              **error);

/* Every comment of a project file (imported from reviews or written by staff), oldest
 * first, as TwComment *. */
GPtrArray  *tw_share_list_comments    (TwStore              *store,
                                       GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwReview, tw_review_free)

G_END_DECLS
