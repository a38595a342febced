/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the import assistant shows before anything is written: what kind of file a source
 * is, its layers, their columns and their first rows, and which columns look like what. */

#define TW_IMPORT_PREVIEW_ERROR (tw_import_preview_error_quark ())

typedef enum
{
  TW_IMPORT_PREVIEW_ERROR_OPEN,    /* GDAL cannot read the file */
  TW_IMPORT_PREVIEW_ERROR_EMPTY,   /* no layer, or no column */
} TwImportPreviewError;

typedef enum
{
  TW_IMPORT_KIND_OUTCOMES,  /* a table without polygons */
  TW_IMPORT_KIND_AREAS,     /* a layer of polygons */
  TW_IMPORT_KIND_POINTS,    /* events: points, or rows with a latitude and a longitude */
  TW_IMPORT_KIND_ATTRIBUTES,  /* community data in a published layout (SVI, ADI …) */
} TwImportKind;

/* The roles a column of an outcome table can play, and the id and name of areas. */
typedef enum
{
  TW_IMPORT_COLUMN_GEOID,
  TW_IMPORT_COLUMN_MEASURE,
  TW_IMPORT_COLUMN_PERIOD,
  TW_IMPORT_COLUMN_STRATUM,
  TW_IMPORT_COLUMN_NUMERATOR,
  TW_IMPORT_COLUMN_DENOMINATOR,
  TW_IMPORT_COLUMN_AREA_ID,
  TW_IMPORT_COLUMN_AREA_NAME,
  TW_IMPORT_COLUMN_LATITUDE,    /* of an event */
  TW_IMPORT_COLUMN_LONGITUDE,
  TW_IMPORT_N_COLUMNS
} TwImportColumn;

typedef struct
{
  char      *name;
  gboolean   has_polygons;
  gboolean   has_points;
  GStrv      fields;       /* column names */
  GPtrArray *rows;         /* GStrv each, one string a field, the first rows only */
  gint64     n_features;   /* -1 when GDAL cannot count them quickly */
  int        guess[TW_IMPORT_N_COLUMNS];  /* index in @fields, or -1 */
  char      *note;         /* why the area id could not be found, or NULL */
} TwImportLayer;

typedef struct
{
  char         *source;
  TwImportKind  kind;
  GPtrArray    *layers;    /* TwImportLayer *: the polygon layers of areas, else all */
} TwImportPreview;

GQuark           tw_import_preview_error_quark (void);

/* Reads the layers and the first @max_rows rows of each. Blocks: run it in a thread. */
TwImportPreview *tw_import_preview_read (const char  *source,
                                         guint        max_rows,
                                         GError     **error);
void             tw_import_preview_free (TwImportPreview *preview);

/* The index in @fields of the column most likely to play @role, or -1. */
int              tw_import_guess_column (const char *const *fields,
                                         TwImportColumn     role);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwImportPreview, tw_import_preview_free)

G_END_DECLS
