/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TW_AREA_READER_ERROR (tw_area_reader_error_quark ())

/**
 * TwAreaReaderError:
 * @TW_AREA_READER_ERROR_OPEN: GDAL cannot open the source (missing, unknown format,
 *   random bytes, a Shapefile without its .dbf …)
 * @TW_AREA_READER_ERROR_LAYER: the named layer does not exist, or the source has several
 *   layers and none was named
 * @TW_AREA_READER_ERROR_FIELD: the id (or name) field cannot be found or was not detected
 * @TW_AREA_READER_ERROR_CRS: the layer has no CRS and is not lon/lat, or --assume-crs is invalid
 * @TW_AREA_READER_ERROR_EMPTY: the layer holds no usable polygon: tw_area_reader_open()
 *   reports it when the layer has no features at all (or no geometry column), and
 *   tw_area_reader_next() reports it at the end of a layer from which it yielded nothing
 *   because every feature was skipped (the skips are still in tw_area_reader_get_skipped())
 * @TW_AREA_READER_ERROR_READ: a feature cannot be read (truncated file …)
 * @TW_AREA_READER_ERROR_CANCELLED: the caller cancelled
 * @TW_AREA_READER_ERROR_FEATURE: a feature cannot be right and refuses the whole source:
 *   a coordinate that is not a finite number, a polygon without area, coordinates outside
 *   longitude/latitude after conversion, an id or name that is not printable UTF-8
 */
typedef enum
{
  TW_AREA_READER_ERROR_OPEN,
  TW_AREA_READER_ERROR_LAYER,
  TW_AREA_READER_ERROR_FIELD,
  TW_AREA_READER_ERROR_CRS,
  TW_AREA_READER_ERROR_EMPTY,
  TW_AREA_READER_ERROR_READ,
  TW_AREA_READER_ERROR_CANCELLED,
  TW_AREA_READER_ERROR_FEATURE,
} TwAreaReaderError;

/* One polygon feature, reprojected to EPSG:4326 in lon/lat order. */
typedef struct
{
  gint64   feature;     /* 1-based feature number in the source, as reported to users */
  char    *geoid;       /* text, leading zeros kept */
  char    *name;        /* may be NULL */
  guint8  *wkb;         /* ISO WKB, little-endian, Polygon or MultiPolygon, lon/lat */
  gsize    wkb_len;
  double   min_lon, min_lat, max_lon, max_lat;
  gboolean repaired;    /* OGR_G_MakeValid changed it */
} TwAreaFeature;

/* A feature left out, with the reason a user reads. */
typedef struct
{
  gint64  feature;
  char   *reason;
} TwAreaSkip;

typedef struct _TwAreaReader TwAreaReader;

GQuark        tw_area_reader_error_quark      (void);

/* Opens @path (a file, a folder, a .zip, or any GDAL connection string), picks @layer
 * (NULL: the only layer), finds the id field (@id_field, or GEOID, GEOID20, GEOID10, GEOIDFQ,
 * FIPS, GEOID_TRACT…, id …) and the name field (@name_field, or NAME, NAMELSAD, name …),
 * and sets up the reprojection. @assume_crs is any string OSRSetFromUserInput takes
 * ("EPSG:26986"), used when the layer has none, or when the coordinates cannot be in the
 * CRS it declares (they land far outside that CRS's area of use, or all in a few metres).
 * Without it, such a layer is refused with TW_AREA_READER_ERROR_CRS. */
TwAreaReader *tw_area_reader_open             (const char    *path,
                                               const char    *layer,
                                               const char    *id_field,
                                               const char    *name_field,
                                               const char    *assume_crs,
                                               GError       **error);
void          tw_area_reader_free             (TwAreaReader  *self);

/* The names of the layers of @path, for a user to pick one (NULL-terminated; g_strfreev).
 * @path is opened as tw_area_reader_open() opens it (a .zip through /vsizip/). */
char        **tw_area_reader_list_layers      (const char    *path,
                                               GError       **error);

const char   *tw_area_reader_get_layer_name   (TwAreaReader  *self);
const char   *tw_area_reader_get_id_field     (TwAreaReader  *self);
const char   *tw_area_reader_get_name_field   (TwAreaReader  *self); /* may be NULL */
/* "EPSG:4269", or the CRS name when it has no code, or "none (assumed EPSG:4326)" */
const char   *tw_area_reader_get_source_crs   (TwAreaReader  *self);
/* Features the driver announces, or -1 when unknown (for progress). */
gint64        tw_area_reader_get_feature_count (TwAreaReader *self);
/* Warnings a user should read (no CRS, assumed lon/lat …). Owned by the reader. */
GPtrArray    *tw_area_reader_get_warnings     (TwAreaReader  *self);
/* Skipped features (TwAreaSkip *) so far: empty, not a polygon, duplicate id, no id.
 * A feature that cannot be right refuses the source instead (TW_AREA_READER_ERROR_FEATURE
 * from tw_area_reader_next()). */
GPtrArray    *tw_area_reader_get_skipped      (TwAreaReader  *self);
guint         tw_area_reader_get_repaired     (TwAreaReader  *self);

/* Streams the next usable feature into @out (cleared first, so zero it before the first
 * call: TwAreaFeature f = { 0 }; free with tw_area_feature_clear). Returns FALSE at the end
 * (error unset) or on failure (error set). At the end of a layer that yielded no feature
 * at all, it fails with TW_AREA_READER_ERROR_EMPTY instead of ending quietly. A feature
 * that cannot be read (truncated file) fails with TW_AREA_READER_ERROR_READ naming its
 * number; a cancelled @cancellable fails with TW_AREA_READER_ERROR_CANCELLED. After the
 * end or an error, further calls return FALSE with error unset.
 * Memory does not grow with the number of features, except for the set of ids seen. */
gboolean      tw_area_reader_next             (TwAreaReader  *self,
                                               TwAreaFeature *out,
                                               GCancellable  *cancellable,
                                               GError       **error);

void          tw_area_feature_clear           (TwAreaFeature *feature);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwAreaReader, tw_area_reader_free)

G_END_DECLS
