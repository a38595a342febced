/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-partners"

#include <glib/gstdio.h>
#include <string.h>

#include "tw-partners.h"
#include "tw-store-private.h"
#include "tw-project.h"
#include "tw-test-project.h"

typedef struct
{
  char    *dir;
  char    *path;
  TwStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tw-partners-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "p.tractwise", NULL);
  f->store = tw_store_create (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  tw_store_close (f->store);
  g_unlink (f->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static gint64
add_partner (TwStore    *store,
             const char *name,
             const char *agreement)
{
  g_autoptr(TwPartner) partner = tw_partner_new (name);
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_free (partner->agreement);
  partner->agreement = g_strdup (agreement);
  id = tw_partners_add (store, partner, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(TwPartner) partner = tw_partner_new ("Eastside Health Collaborative");
  g_autoptr(TwPartner) read = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  partner->kind = g_strdup ("community-based organization");
  partner->contact = g_strdup ("Ana Ruiz");
  partner->email = g_strdup ("ana@eastside.example.org");
  partner->phone = g_strdup ("+1 919 555 0100");
  g_free (partner->agreement);
  partner->agreement = g_strdup ("dua");
  partner->notes = g_strdup ("Meets monthly");
  id = tw_partners_add (f->store, partner, &error);
  g_assert_no_error (error);

  /* Through the file: close and reopen. */
  tw_store_close (f->store);
  f->store = tw_store_open (f->path, &error);
  g_assert_no_error (error);

  read = tw_partners_get (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (read->name, ==, "Eastside Health Collaborative");
  g_assert_cmpstr (read->kind, ==, "community-based organization");
  g_assert_cmpstr (read->contact, ==, "Ana Ruiz");
  g_assert_cmpstr (read->email, ==, "ana@eastside.example.org");
  g_assert_cmpstr (read->phone, ==, "+1 919 555 0100");
  g_assert_cmpstr (read->agreement, ==, "dua");
  g_assert_cmpstr (read->notes, ==, "Meets monthly");
  g_assert_cmpuint (read->projects->len, ==, 0);

  g_free (read->agreement);
  read->agreement = g_strdup ("mou");
  g_free (read->name);
  read->name = g_strdup ("Eastside Collaborative");
  g_clear_pointer (&read->phone, g_free);
  g_assert_true (tw_partners_update (f->store, read, &error));
  g_assert_no_error (error);

  add_partner (f->store, "Church of the Good Shepherd", "none");
  list = tw_partners_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  /* By name, case-insensitively. */
  g_assert_cmpstr (((TwPartner *) list->pdata[0])->name, ==, "Church of the Good Shepherd");
  g_assert_cmpstr (((TwPartner *) list->pdata[1])->name, ==, "Eastside Collaborative");
  g_assert_cmpstr (((TwPartner *) list->pdata[1])->agreement, ==, "mou");
  g_assert_null (((TwPartner *) list->pdata[1])->phone);

  /* Every edit is in the audit log. */
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM audit_log WHERE action LIKE "
                                    "'partner.%'"), ==, 3);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwPartner) partner = NULL;
  gint64 id = add_partner (f->store, "Westside Clinic", "none");
  gint64 log = count (f->store, "SELECT count(*) FROM audit_log");

  partner = tw_partner_new ("Westside Clinic");
  g_assert_cmpint (tw_partners_add (f->store, partner, &error), ==, -1);
  g_assert_error (error, TW_PARTNERS_ERROR, TW_PARTNERS_ERROR_DUPLICATE);
  g_clear_error (&error);

  g_free (partner->name);
  partner->name = g_strdup ("   ");
  g_assert_cmpint (tw_partners_add (f->store, partner, &error), ==, -1);
  g_assert_error (error, TW_PARTNERS_ERROR, TW_PARTNERS_ERROR_INVALID);
  g_clear_error (&error);

  g_free (partner->name);
  partner->name = g_strdup ("Another");
  g_free (partner->agreement);
  partner->agreement = g_strdup ("handshake");
  g_assert_cmpint (tw_partners_add (f->store, partner, &error), ==, -1);
  g_assert_error (error, TW_PARTNERS_ERROR, TW_PARTNERS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "handshake"));
  g_clear_error (&error);

  g_assert_cmpint (tw_partners_find (f->store, "Nobody", &error), ==, -1);
  g_assert_error (error, TW_PARTNERS_ERROR, TW_PARTNERS_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Westside Clinic"));
  g_clear_error (&error);

  g_assert_cmpint (count (f->store, "SELECT count(*) FROM partner"), ==, 1);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM audit_log"), ==, log);
  g_assert_cmpint (tw_partners_find (f->store, "Westside Clinic", NULL), ==, id);
}

static void
test_delete_in_use (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(TwProject) project = tw_project_new ("Asthma home visits");
  g_autoptr(TwPartner) deleted = NULL;
  g_autoptr(TwPartner) partner = NULL;
  g_autoptr(GError) error = NULL;
  gint64 used = add_partner (f->store, "School Nurses Network", "mou");
  gint64 unused = add_partner (f->store, "Library", "none");
  gint64 project_id;

  tw_project_take_partner (project, "School Nurses Network", "outreach");
  project_id = tw_project_add (f->store, project, &error);
  g_assert_no_error (error);

  partner = tw_partners_get (f->store, used, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (partner->projects->len, ==, 1);
  g_assert_cmpint (((TwPartnerProject *) partner->projects->pdata[0])->id, ==, project_id);
  g_assert_cmpstr (((TwPartnerProject *) partner->projects->pdata[0])->role, ==, "outreach");

  g_assert_false (tw_partners_delete (f->store, used, &deleted, &error));
  g_assert_error (error, TW_PARTNERS_ERROR, TW_PARTNERS_ERROR_IN_USE);
  g_assert_nonnull (strstr (error->message, "Asthma home visits"));
  g_assert_null (deleted);
  g_clear_error (&error);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM partner"), ==, 2);

  /* An unused one goes, and comes back under its id. */
  g_assert_true (tw_partners_delete (f->store, unused, &deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM partner"), ==, 1);
  g_assert_cmpstr (deleted->name, ==, "Library");
  g_assert_true (tw_partners_restore (f->store, deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tw_partners_find (f->store, "Library", NULL), ==, unused);
  g_assert_false (tw_partners_restore (f->store, deleted, &error));
  g_assert_error (error, TW_PARTNERS_ERROR, TW_PARTNERS_ERROR_DUPLICATE);
  g_clear_error (&error);

  /* Once the project lets it go, it can be deleted. */
  g_assert_true (tw_project_delete (f->store, project_id, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (tw_partners_delete (f->store, used, NULL, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/data/partners/round-trip", Fixture, NULL, fixture_set_up, test_round_trip,
              fixture_tear_down);
  g_test_add ("/data/partners/refused", Fixture, NULL, fixture_set_up, test_refused,
              fixture_tear_down);
  g_test_add ("/data/partners/delete-in-use", Fixture, NULL, fixture_set_up,
              test_delete_in_use, fixture_tear_down);
  return g_test_run ();
}
