/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tw-store.h"

G_BEGIN_DECLS

/*
 * What left the project: the audit log's rows of map exports, board briefs, share
 * packages and prints, read back for the project's list of exports. Each export writes its
 * own row as it writes its file (data/report; a print's: tw_export_log_add_print in
 * tw-export.h).
 */

typedef enum
{
  TW_EXPORT_KIND_MAP,     /* "export-map" */
  TW_EXPORT_KIND_BRIEF,   /* "export-brief" */
  TW_EXPORT_KIND_SHARE,   /* "export-share" */
  TW_EXPORT_KIND_PRINT,   /* "print" */
} TwExportKind;

typedef struct
{
  gint64        id;
  GDateTime    *at;        /* when, in UTC */
  TwExportKind  kind;
  char         *file;      /* the file's base name; NULL for a print on paper */
  char         *path;      /* the file's absolute path, when the row names it */
  char         *format;    /* "png", "svg", "pdf", "gpkg"; NULL when unknown */
  char         *printer;   /* a print's printer, or NULL */
  char         *measure;   /* the measure code drawn, or NULL */
  char         *period;
} TwExportRecord;

void            tw_export_record_free          (TwExportRecord  *record);
/* "Map", "Board brief", "Share package", "Print". */
const char     *tw_export_kind_to_label        (TwExportKind     kind);

/* Every export of the project, the newest first (TwExportRecord *). A row whose detail is
 * not the JSON an export writes is listed with what it holds. */
GPtrArray      *tw_export_log_list             (TwStore         *store,
                                                GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwExportRecord, tw_export_record_free)

G_END_DECLS
