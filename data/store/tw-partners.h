/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-store.h"

G_BEGIN_DECLS

/* The partner registry: community organizations a project works with.
 *
 * Every edit is one transaction and one row of the audit log; when it fails the file is as
 * it was. A partner that a project uses cannot be deleted: the error
 * (TW_PARTNERS_ERROR_IN_USE) names the projects. */

#define TW_PARTNERS_ERROR (tw_partners_error_quark ())

typedef enum
{
  TW_PARTNERS_ERROR_INVALID,     /* an empty name, an unknown agreement */
  TW_PARTNERS_ERROR_NOT_FOUND,   /* no partner with that id or name */
  TW_PARTNERS_ERROR_DUPLICATE,   /* another partner has that name */
  TW_PARTNERS_ERROR_IN_USE,      /* deleting a partner that projects use */
} TwPartnersError;

/* The agreements a partner can have with the center. */
#define TW_PARTNER_AGREEMENT_NONE "none"
#define TW_PARTNER_AGREEMENT_MOU "mou"   /* memorandum of understanding */
#define TW_PARTNER_AGREEMENT_DUA "dua"   /* data-use agreement */

/* A project a partner takes part in, as tw_partners_list and tw_partners_get fill it. */
typedef struct
{
  gint64  id;
  char   *title;
  char   *role;   /* NULL when none was given */
} TwPartnerProject;

typedef struct
{
  gint64     id;          /* 0 before it is stored */
  char      *name;        /* unique, not empty */
  char      *kind;        /* free text: community-based organization, school, clinic … */
  char      *contact;
  char      *email;
  char      *phone;
  char      *agreement;   /* "none", "mou" or "dua"; NULL is taken as "none" */
  char      *notes;
  GPtrArray *projects;    /* TwPartnerProject *, by project id; read-only, NULL in new ones */
} TwPartner;

GQuark      tw_partners_error_quark        (void);

TwPartner  *tw_partner_new                 (const char      *name);
TwPartner  *tw_partner_copy                (const TwPartner *partner);
void        tw_partner_free                (TwPartner       *partner);

/* Whether @agreement is "none", "mou" or "dua". */
gboolean    tw_partner_agreement_is_valid  (const char      *agreement);

/* Every partner, by name, with the projects it takes part in. */
GPtrArray  *tw_partners_list               (TwStore         *store,
                                            GError         **error);
TwPartner  *tw_partners_get                (TwStore         *store,
                                            gint64           id,
                                            GError         **error);
/* The id of the partner named exactly @name, or -1 with an error naming the partners
 * there are. */
gint64      tw_partners_find               (TwStore         *store,
                                            const char      *name,
                                            GError         **error);

/* Stores a new partner (its id is ignored) and returns the new id, or -1. */
gint64      tw_partners_add                (TwStore         *store,
                                            const TwPartner *partner,
                                            GError         **error);
/* Writes every field of the partner with @partner->id. */
gboolean    tw_partners_update             (TwStore         *store,
                                            const TwPartner *partner,
                                            GError         **error);
/* Deletes a partner no project uses. @deleted (may be NULL) receives what was deleted, so
 * that tw_partners_restore can undo it. */
gboolean    tw_partners_delete             (TwStore         *store,
                                            gint64           id,
                                            TwPartner      **deleted,
                                            GError         **error);
/* Stores @partner again under its own id (the undo of a delete). */
gboolean    tw_partners_restore            (TwStore         *store,
                                            const TwPartner *partner,
                                            GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwPartner, tw_partner_free)

G_END_DECLS
