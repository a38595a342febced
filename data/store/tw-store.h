/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TW_STORE_ERROR (tw_store_error_quark ())

/* 'TWis' */
#define TW_STORE_APPLICATION_ID 0x54576973
#define TW_STORE_SCHEMA_VERSION 2

typedef enum
{
  TW_STORE_ERROR_NOT_FOUND,      /* the file does not exist */
  TW_STORE_ERROR_EXISTS,         /* creating over an existing file */
  TW_STORE_ERROR_NOT_A_PROJECT,  /* not SQLite, or another application's database */
  TW_STORE_ERROR_TOO_NEW,        /* written by a newer Tractwise */
  TW_STORE_ERROR_INVALID,        /* a bad argument a user gave (unknown geography …) */
  TW_STORE_ERROR_SQL,            /* SQLite failed: an internal failure */
  TW_STORE_ERROR_READ_ONLY,      /* a review copy of a share package: nothing may change */
  TW_STORE_ERROR_BUSY,           /* another program kept writing to the file for too long */
} TwStoreError;

/* A review project (a share package opened for review, tw-review-project.h) holds this
 * setting: the package's file name. Such a project refuses every edit. */
#define TW_STORE_KEY_REVIEW_PACKAGE "review.package"

typedef struct _TwStore TwStore;

GQuark        tw_store_error_quark     (void);

/* Creates a new, empty project at @path; refuses to overwrite. */
TwStore      *tw_store_create          (const char  *path,
                                        GError     **error);
/* Opens an existing project, migrating it forward; a newer or foreign file is refused
 * and left byte-for-byte as it was. */
TwStore      *tw_store_open            (const char  *path,
                                        GError     **error);
void          tw_store_close           (TwStore     *self);

/* While another program (or another connection of this one) writes to the file, a writer
 * waits its turn: as long as the other is seen working, up to $TW_STORE_WAIT_SECONDS (120)
 * without a sign of it, then fails with TW_STORE_ERROR_BUSY. @func is called every few
 * seconds of a wait, with who holds the file when known (else NULL); cancelling
 * @cancellable ends a wait with G_IO_ERROR_CANCELLED. */
typedef void (*TwStoreWaitFunc) (TwStore    *store,
                                 const char *holder,
                                 double      waited_seconds,
                                 gpointer    user_data);
void          tw_store_set_wait_func   (TwStore         *self,
                                        TwStoreWaitFunc  func,
                                        gpointer         user_data);
void          tw_store_set_cancellable (TwStore         *self,
                                        GCancellable    *cancellable);

const char   *tw_store_get_path        (TwStore     *self);
int           tw_store_get_schema_version (TwStore  *self);
/* Whether the project is a read-only review copy of a share package: transactions,
 * settings and the audit log refuse with TW_STORE_ERROR_READ_ONLY, and SQLite itself
 * refuses any write (PRAGMA query_only). */
gboolean      tw_store_is_review       (TwStore     *self);

/* Transactions: every import and edit is one. */
gboolean      tw_store_begin           (TwStore     *self,
                                        GError     **error);
gboolean      tw_store_commit          (TwStore     *self,
                                        GError     **error);
void          tw_store_rollback        (TwStore     *self);
/* Makes the transactions begun until the group's end one: each becomes a savepoint, and
 * the end keeps them all or none (@keep FALSE: a dry run of several steps). */
gboolean      tw_store_begin_group     (TwStore     *self,
                                        GError     **error);
gboolean      tw_store_end_group       (TwStore     *self,
                                        gboolean     keep,
                                        GError     **error);

/* Settings (key/value text). */
char         *tw_store_get_setting     (TwStore     *self,
                                        const char  *key);
gboolean      tw_store_set_setting     (TwStore     *self,
                                        const char  *key,
                                        const char  *value,
                                        GError     **error);

/* Appends a row to the audit log (inside the caller's transaction, if any). */
gboolean      tw_store_audit           (TwStore     *self,
                                        const char  *action,
                                        const char  *detail,
                                        GError     **error);

/* Geographies. Resolves @name (may be NULL when the project holds exactly one) to its id;
 * the error says which geographies exist. */
gint64        tw_store_resolve_geography (TwStore    *self,
                                          const char *name,
                                          GError    **error);
/* Resolves a measure code to its id, or -1 with an error naming the codes there are. */
gint64        tw_store_resolve_measure (TwStore     *self,
                                        const char  *code,
                                        GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwStore, tw_store_close)

/* The periods of a measure's outcomes, sorted; the strata of a measure (in one @period, or
 * in any when NULL), "all" first. Fast at any size: they seek through the key. */
GStrv         tw_store_list_periods    (TwStore     *self,
                                        gint64       measure_id,
                                        GError     **error);
GStrv         tw_store_list_strata     (TwStore     *self,
                                        gint64       measure_id,
                                        const char  *period,
                                        GError     **error);

/* What a project holds, for `tractwise-cli info` and the window. */
typedef struct
{
  char   *name;
  char   *level;      /* tract, block-group, county, zcta, other */
  int     vintage;    /* 0 when unknown */
  gint64  areas;
} TwGeographySummary;

typedef struct
{
  char    *code;
  char    *label;
  char    *kind;       /* "rate" or "proportion" */
  double   per;        /* the multiplier: 100, 1000, 100000 … */
  gint64   rows;       /* outcome rows */
  GStrv    periods;    /* sorted */
  GStrv    strata;     /* "all" first, then sorted */
} TwMeasureSummary;

typedef struct
{
  int        schema_version;
  GPtrArray *geographies;  /* TwGeographySummary * */
  GPtrArray *measures;     /* TwMeasureSummary * */
  gint64     partners;
  gint64     projects;
} TwProjectSummary;

TwProjectSummary *tw_store_summarize   (TwStore          *self,
                                        GError          **error);
void              tw_project_summary_free (TwProjectSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwProjectSummary, tw_project_summary_free)

G_END_DECLS
