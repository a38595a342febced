/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Reading a share package, which arrives by e-mail and is hostile until shown otherwise.
 * The file is opened through tw_untrusted_open (read-only, immutable, defensive, bounded
 * work, Cancel); before any row is read it must carry the GeoPackage application_id,
 * hold each table read as an ordinary table with the columns read, areas in EPSG:4326,
 * and a metadata table saying it is a Tractwise share package of a version this
 * Tractwise reads. Then every value is checked as it is read: types, lengths, UTF-8,
 * counts finite and in range, a proportion's count within its population, references
 * to areas and measures the package holds, outlines that parse with finite lon/lat.
 * GDAL never opens the package: its driver honours views and registers SQL functions.
 * Outlines are GeoPackage blobs whose WKB is parsed by OGR from bytes alone.
 *
 * Errors: TW_SHARE_ERROR_NOT_A_PACKAGE, TW_SHARE_ERROR_INVALID (one line: the file, the
 * table and row, what is wrong, what to do), G_IO_ERROR_CANCELLED.
 */

#define TW_SHARE_ERROR (tw_share_error_quark ())

/* The errors of share packages and comments, written (data/report/tw-share.h) or read. */
typedef enum
{
  TW_SHARE_ERROR_INVALID,            /* a bad option, comment or comments file */
  TW_SHARE_ERROR_NOT_A_PACKAGE,      /* not a Tractwise share package */
  TW_SHARE_ERROR_UNKNOWN_REFERENCE,  /* a measure, area or project that is not there */
  TW_SHARE_ERROR_WRITE,              /* GDAL or the file system failed */
} TwShareError;

GQuark          tw_share_error_quark     (void);

/* What a share package's metadata says it is. */
#define TW_SHARE_PACKAGE_NAME "tractwise-share"
#define TW_SHARE_PACKAGE_VERSION "1"

/* 'GPKG' */
#define TW_GEOPACKAGE_APPLICATION_ID 0x47504B47
#define TW_SHARE_MAX_PACKAGE_SIZE (G_GUINT64_CONSTANT (4) << 30)
/* The largest count a package may give: no population is larger. */
#define TW_SHARE_MAX_COUNT 1e12

typedef struct _TwSharePackage TwSharePackage;

typedef struct
{
  guint         row;
  const char   *geography;
  const char   *geoid;
  const char   *name;       /* or NULL */
  const guchar *wkb;        /* a MultiPolygon, NDR; only when the visitor asks */
  gsize         wkb_size;
  double        min_lon, min_lat, max_lon, max_lat;
} TwPackageArea;

typedef struct
{
  guint       row;
  const char *code;
  const char *label;        /* never NULL: the code when the package has none */
  const char *kind;         /* "rate" or "proportion" */
  double      multiplier;
  gboolean    higher_is_worse;
  const char *source;       /* or NULL */
} TwPackageMeasure;

typedef struct
{
  guint       row;
  const char *geography;
  const char *geoid;
  const char *measure;
  const char *period;
  const char *stratum;
  gboolean    suppressed;
  double      numerator;    /* NAN when suppressed */
  double      denominator;  /* NAN when unknown (suppressed rows only) */
} TwPackageRate;

typedef struct
{
  guint       row;
  gint64      id;
  const char *name;
  const char *kind, *contact, *email, *phone;   /* or NULL */
  const char *agreement;    /* none, mou or dua */
  const char *projects;     /* "Title; Title; …": written, not read back (NULL) */
} TwPackagePartner;

typedef struct
{
  guint       row;
  gint64      id;
  const char *title;
  const char *aim, *measure, *stratum, *geography, *start_date, *end_date;  /* or NULL */
  const char *status;       /* a valid project status */
  double      goal_percent; /* NAN when none */
  const char *partners;     /* "Name (role); Name; …", or NULL */
  const char *geoids;       /* "GEOID,GEOID,…", or NULL */
} TwPackageProject;

/* Each callback may be NULL; returning FALSE (with @error set) stops the reading. */
typedef struct
{
  gboolean  with_outlines;
  gboolean (*area)    (const TwPackageArea    *area,    gpointer data, GError **error);
  gboolean (*measure) (const TwPackageMeasure *measure, gpointer data, GError **error);
  gboolean (*rate)    (const TwPackageRate    *rate,    gpointer data, GError **error);
  gboolean (*partner) (const TwPackagePartner *partner, gpointer data, GError **error);
  gboolean (*project) (const TwPackageProject *project, gpointer data, GError **error);
} TwSharePackageVisitor;

/* Opens @path and checks what it is: header, tables, metadata. */
TwSharePackage *tw_share_package_open    (const char                  *path,
                                          GCancellable                *cancellable,
                                          GError                     **error);
void            tw_share_package_close   (TwSharePackage              *self);

/* The metadata table, key → value. */
GHashTable     *tw_share_package_get_metadata (TwSharePackage         *self);

/* Reads every area, measure, rate, partner and project, in that order, checking each
 * value and giving it to @visitor. */
gboolean        tw_share_package_read    (TwSharePackage              *self,
                                          const TwSharePackageVisitor *visitor,
                                          gpointer                     data,
                                          GError                     **error);

/* Sets @error to the one line a damaged package gets. Returns FALSE. */
gboolean        tw_share_package_damaged (GError                     **error,
                                          const char                  *path,
                                          const char                  *format,
                                          ...) G_GNUC_PRINTF (3, 4);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwSharePackage, tw_share_package_close)

G_END_DECLS
