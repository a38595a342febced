/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A workspace on a team server (PostgreSQL 15 + PostGIS 3). Everything else sees only this
 * header, never libpq's. */
#pragma once

#include <gio/gio.h>

#include "tw-store.h"

G_BEGIN_DECLS

#define TW_PG_ERROR (tw_pg_error_quark ())

typedef enum
{
  TW_PG_ERROR_URI,           /* not a workspace URI, no or a bad workspace name, a password */
  TW_PG_ERROR_CONNECT,       /* the server could not be reached or refused the login */
  TW_PG_ERROR_NO_WORKSPACE,  /* the database has no such workspace */
  TW_PG_ERROR_NOT_EMPTY,     /* publishing into a workspace that already holds data */
  TW_PG_ERROR_TOO_NEW,       /* the workspace was made by a newer Tractwise */
  TW_PG_ERROR_DENIED,        /* the server refused it to this login (its role) */
  TW_PG_ERROR_CONFLICT,      /* a checkin met rows a colleague changed since the checkout */
  TW_PG_ERROR_NOT_CHECKED_OUT, /* checkin of a file that is no checkout of this workspace */
  TW_PG_ERROR_INVALID,       /* a bad argument (role, county code, partner name) */
  TW_PG_ERROR_SERVER,        /* any other server failure: an internal failure */
} TwPgError;

/* The newest migration of data/store/pg/ this build knows. */
#define TW_PG_SCHEMA_VERSION 4

/* The setting of a checked-out file: which rows it holds, at which versions. */
#define TW_PG_KEY_CHECKOUT "team.checkout"

/* The settings of a local replica (README, "Team server"): the URI it copies, what the
 * login may read ("full" for owners and analysts, "viewer", "partner") and the revision of
 * each of the workspace's tables it holds. */
#define TW_PG_KEY_REPLICA_URI       "team.replica.uri"
#define TW_PG_KEY_REPLICA_ROLE      "team.replica.role"
#define TW_PG_KEY_REPLICA_REVISIONS "team.replica.revisions"

typedef struct _TwPgWorkspace TwPgWorkspace;

GQuark          tw_pg_error_quark          (void);

/* Whether @location names a server workspace rather than a file: a postgresql:// or
 * postgres:// URI, or libpq keyword=value settings (service=NAME workspace=NAME). */
gboolean        tw_pg_is_workspace_uri     (const char      *location);

/* How messages name the workspace @uri names: "workspace 'NAME' on HOST" (the host or
 * socket folder), never the local copy's file. */
char           *tw_pg_describe_uri         (const char      *uri);

/* Connects to the workspace @uri names (the `workspace` parameter; the rest goes to libpq
 * as it is) and migrates its schema forward. With @create a missing workspace is made
 * (the login needs CREATEROLE and CREATE on the database); else it is an error. */
TwPgWorkspace  *tw_pg_workspace_open       (const char      *uri,
                                            gboolean         create,
                                            GError         **error);
void            tw_pg_workspace_close      (TwPgWorkspace   *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwPgWorkspace, tw_pg_workspace_close)

const char     *tw_pg_workspace_get_name   (TwPgWorkspace   *self);
int             tw_pg_workspace_get_schema_version (TwPgWorkspace *self);

/* Copies every table of @store into the (empty) workspace in one transaction: areas as
 * PostGIS geometry, outcomes by COPY FROM STDIN. */
gboolean        tw_pg_publish              (TwPgWorkspace   *self,
                                            TwStore         *store,
                                            GError         **error);

/* One published figure: computed by the caller under the workspace's policy, so
 * suppressed cells have no numerator and no rate (NAN). */
typedef struct
{
  const char *geography;
  const char *geoid;
  const char *measure;
  const char *period;
  const char *stratum;
  const char *status;
  double      numerator;
  double      denominator;
  double      rate;
  double      lower;
  double      upper;
} TwPgPublishedRate;

/* Replaces the workspace's published figures with @rates (TwPgPublishedRate). */
gboolean        tw_pg_replace_published    (TwPgWorkspace   *self,
                                            const TwPgPublishedRate *rates,
                                            gsize            n_rates,
                                            GError         **error);

/* Writes the workspace into a new project file at @path and records the versions of its
 * rows there (TW_PG_KEY_CHECKOUT) for a later checkin. */
gboolean        tw_pg_checkout             (TwPgWorkspace   *self,
                                            const char      *path,
                                            GError         **error);

/* What a checkin sent. */
typedef struct
{
  guint updated;
  guint added;
  guint deleted;
} TwPgCheckinCounts;

/* Sends the rows of partners, projects (with their areas and partners), milestones,
 * comments and settings that changed in @store since its checkout, in one transaction.
 * A row a colleague changed since then is a TW_PG_ERROR_CONFLICT naming who changed what
 * and when; then nothing is sent. After a checkin @store holds the workspace's rows. */
gboolean        tw_pg_checkin              (TwPgWorkspace     *self,
                                            TwStore           *store,
                                            TwPgCheckinCounts *counts,
                                            GError           **error);

/* A server workspace opened like a file: a local replica under
 * $XDG_CACHE_HOME/tractwise/replicas/, one per server, database, login and workspace, made
 * the first time and brought up to date here (only the tables that changed since, by their
 * revisions). Returns its path; @changed (may be NULL) gets the names of the workspace's
 * tables that changed since the replica last read them (empty when none). */
char           *tw_pg_replica_sync         (const char      *uri,
                                            GStrv           *changed,
                                            GError         **error);
/* Sends the edits just committed to @store, a replica a "full" login opened, to its
 * workspace (as a checkin); when the server refuses them the replica takes the workspace's
 * rows back, so nothing is kept that the server does not hold. */
gboolean        tw_pg_replica_push         (TwStore         *store,
                                            GError         **error);

/* Adds a comment on project @project_id (and the area @geoid, may be NULL) to the workspace,
 * under the login's role: a partner only on a project of the organization they speak for
 * (the server refuses any other, TW_PG_ERROR_DENIED). */
gboolean        tw_pg_add_comment          (TwPgWorkspace   *self,
                                            gint64           project_id,
                                            const char      *geoid,
                                            const char      *author,
                                            const char      *body,
                                            GError         **error);

/* Members: a login role granted one of the workspace's roles. */
typedef struct
{
  char  *login;
  char  *role;       /* owner, analyst, viewer, partner */
  GStrv  counties;   /* NULL: every area */
  char  *partner;    /* the partner organization of a partner member, else NULL */
} TwPgMember;

void            tw_pg_member_free          (TwPgMember *member);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwPgMember, tw_pg_member_free)

/* Adds (or changes) a member: creates the login role when missing (without a password:
 * the server's authentication decides), grants only @role's group. @counties are 5-digit
 * county FIPS codes (NULL: every area); @partner names the partner organization a partner
 * member speaks for. */
gboolean        tw_pg_member_add           (TwPgWorkspace      *self,
                                            const char         *login,
                                            const char         *role,
                                            const char * const *counties,
                                            const char         *partner,
                                            GError            **error);
/* The members, by login (TwPgMember). */
GPtrArray      *tw_pg_member_list          (TwPgWorkspace   *self,
                                            GError         **error);
/* Revokes the workspace's roles from @login (the login role itself stays). */
gboolean        tw_pg_member_remove        (TwPgWorkspace   *self,
                                            const char      *login,
                                            GError         **error);

/* Writes an entry to the server's audit trail (exports, shares: what the triggers do not
 * see). */
gboolean        tw_pg_audit                (TwPgWorkspace   *self,
                                            const char      *action,
                                            const char      *what,
                                            const char      *detail,
                                            GError         **error);

/* Called in the main context of the watch when a colleague's transaction that changed
 * @table committed; @who is their login. */
typedef void (*TwPgChangeFunc) (const char *table,
                                const char *who,
                                gpointer    user_data);

/* A GSource on the workspace's own connection (LISTEN): it dispatches @func for every
 * committed change by another connection. The workspace must outlive the source. */
GSource        *tw_pg_watch_source_new     (TwPgWorkspace   *self,
                                            TwPgChangeFunc   func,
                                            gpointer         user_data,
                                            GDestroyNotify   destroy,
                                            GError         **error);

G_END_DECLS
