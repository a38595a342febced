/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-store.h"

G_BEGIN_DECLS

typedef struct
{
  const char *layer;        /* NULL: the only layer */
  const char *id_field;     /* NULL: detected */
  const char *name_field;   /* NULL: detected */
  const char *level;        /* NULL: "tract" */
  int         vintage;      /* 0: unknown */
  const char *assume_crs;   /* NULL: none */
  const char *geography;    /* NULL: the layer name */
  gboolean    validate_only;  /* run every check and roll back: nothing is written */
} TwAreaImportOptions;

typedef struct
{
  char      *geography;
  gint64     imported;
  guint      repaired;
  GPtrArray *skipped;       /* TwAreaSkip *, owned */
  char      *source_crs;
  GPtrArray *warnings;      /* char *, owned */
  char      *id_field;
  char      *name_field;
} TwAreaImportResult;

/* Called now and then with the features read so far and the total (-1 when unknown). */
typedef void (*TwImportProgress) (gint64   done,
                                  gint64   total,
                                  gpointer user_data);

/* Imports every polygon of @source into a new geography of @store, in one transaction:
 * on any error nothing is written. */
TwAreaImportResult *tw_area_import    (TwStore                   *store,
                                       const char                *source,
                                       const TwAreaImportOptions *options,
                                       TwImportProgress           progress,
                                       gpointer                   progress_data,
                                       GCancellable              *cancellable,
                                       GError                   **error);
void                tw_area_import_result_free (TwAreaImportResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwAreaImportResult, tw_area_import_result_free)

G_END_DECLS
