/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-share-package.h"
#include "tw-store.h"
#include "tw-store-dictionary.h"

G_BEGIN_DECLS

/*
 * Writing a share package: a GeoPackage, written through GDAL, with the tables
 * data/report/tw-share.h describes. The writer stores what it is given: which figures are
 * published, and which are withheld under the privacy policy, is decided by its caller
 * (data/report/tw-share.c). The areas and the projects' footprints are copied from the
 * project itself.
 *
 * The package is written in a private folder beside its destination and renamed into
 * place by tw_package_writer_commit: a killed export leaves the old file or the new one,
 * and the next writer to that destination removes the folders of processes that are gone.
 * Errors: TW_SHARE_ERROR_WRITE (one line: the file, what failed), TW_STORE_ERROR_SQL.
 */

typedef struct _TwPackageWriter TwPackageWriter;

/* A row of the rates table; a NAN is written as null. */
typedef struct
{
  gint64      area_id;      /* the project's area: one tw_package_writer_copy_areas copied */
  const char *geoid;
  const char *measure;
  const char *period;
  const char *stratum;
  double      numerator;
  double      denominator;
  double      rate, lower, upper;
  gboolean    suppressed;
  gboolean    unstable;
  const char *status;       /* "shown", "unreliable", "suppressed" … (data/stats/tw-status.h) */
  const char *reason;       /* why, in words; never a hidden count */
} TwPackageRateRow;

/* Starts the package of @store's project (which must outlive the writer) that will be
 * @path (a .gpkg file), with the partners' contact columns when @with_contacts. */
TwPackageWriter *tw_package_writer_new         (TwStore                *store,
                                                const char             *path,
                                                gboolean                with_contacts,
                                                GError                **error);
/* Closes the writer; a package not committed is removed with its folder. */
void             tw_package_writer_free        (TwPackageWriter        *self);

/* Copies only the areas of @geographies (names, NULL-terminated; NULL: every geography):
 * a package narrowed to one partner holds its projects' geography alone. Before
 * tw_package_writer_copy_areas. */
void             tw_package_writer_limit_geographies (TwPackageWriter   *self,
                                                      const char *const *geographies);
/* Copies every area of the project (geography, GEOID, name, outline), adding their
 * number to @n_areas. Before any rate or project. */
gboolean         tw_package_writer_copy_areas  (TwPackageWriter        *self,
                                                guint                  *n_areas,
                                                GError                **error);
/* Whether the area @area_id was copied. */
gboolean         tw_package_writer_has_area    (TwPackageWriter        *self,
                                                gint64                  area_id);
gboolean         tw_package_writer_add_rate    (TwPackageWriter        *self,
                                                const TwPackageRateRow *rate,
                                                GError                **error);
gboolean         tw_package_writer_add_measure (TwPackageWriter        *self,
                                                const TwPackageMeasure *measure,
                                                GError                **error);
/* A project, its footprint the union of the outlines of its target areas in the project
 * (@project->id's). */
gboolean         tw_package_writer_add_project (TwPackageWriter        *self,
                                                const TwPackageProject *project,
                                                GError                **error);
/* A partner; its contact, e-mail and phone only when the writer was made with contacts. */
gboolean         tw_package_writer_add_partner (TwPackageWriter        *self,
                                                const TwPackagePartner *partner,
                                                GError                **error);
gboolean         tw_package_writer_add_metadata (TwPackageWriter       *self,
                                                 const char            *key,
                                                 const char            *value,
                                                 GError               **error);

/* Finishes the package and puts it in place at its path. */
/* The data dictionary of a geography's attributes, as GeoPackage metadata of the areas
 * table (gpkg_metadata, gpkg_metadata_reference): one item a member of each entry,
 * "dictionary.GEOGRAPHY.FIELD.MEMBER", as ogrinfo lists them. */
gboolean         tw_package_writer_add_dictionary (TwPackageWriter         *self,
                                                   const char              *geography,
                                                   const TwDictionaryEntry *entry,
                                                   GError                 **error);
gboolean         tw_package_writer_commit      (TwPackageWriter        *self,
                                                GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwPackageWriter, tw_package_writer_free)

G_END_DECLS
