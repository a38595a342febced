/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* A small project for the export, brief and share tests: 16 square tracts (0.1° a side) in
 * two counties of one state, a rate measure "visits" per 1 000 with groups, some of its
 * counts small enough to be suppressed, one partner and one project. */

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tw-area-layer.h"
#include "tw-store-private.h"
#include "tw-choropleth.h"
#include "tw-partners.h"
#include "tw-project.h"
#include "tw-store.h"

#define FIXTURE_N_AREAS 16

typedef struct
{
  char    *dir;
  char    *path;
  TwStore *store;
  gint64   project_id;
} Fixture;

/* Counts of the `all` cells (denominator 1 000 each); areas 5 and 10 are suppressed. */
static const int fixture_counts[FIXTURE_N_AREAS] = {
  20, 40, 60, 80, 100, 3, 140, 160, 30, 50, 7, 90, 110, 130, 150, 170,
};

static void
fixture_exec (TwStore    *store,
              const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (tw_store_get_db (store), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static char *
fixture_geoid (guint area)
{
  return g_strdup_printf ("%s%06u", area < 8 ? "37001" : "37003", 100 + area);
}

/* The square of area @i: column i % 4, row i / 4, from (−80, 35.4) east and south. */
static void
fixture_square (guint   i,
                double *lon0,
                double *lat0,
                double *lon1,
                double *lat1)
{
  *lon0 = -80.0 + 0.1 * (i % 4);
  *lon1 = *lon0 + 0.1;
  *lat1 = 35.4 - 0.1 * (i / 4);
  *lat0 = *lat1 - 0.1;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwPartner) partner = tw_partner_new ("Eastside Clinic");
  g_autoptr(TwProject) project = tw_project_new ("Home visits");
  sqlite3_stmt *stmt;

  f->dir = g_dir_make_tmp ("tw-export-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "p.tractwise", NULL);
  f->store = tw_store_create (f->path, &error);
  g_assert_no_error (error);
  fixture_exec (f->store, "INSERT INTO geography (id, name, level, vintage, source) "
                          "VALUES (1, 'tracts', 'tract', 2020, 'synthetic squares')");
  fixture_exec (f->store, "INSERT INTO measure (id, code, label, kind, multiplier, source) "
                          "VALUES (1, 'visits', 'Clinic visits (synthetic)', 'rate', 1000, "
                          "'test fixture')");

  stmt = tw_store_prepare (f->store, "INSERT INTO area (id, geography_id, geoid, name, geom, "
                                     "min_lon, min_lat, max_lon, max_lat) "
                                     "VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < FIXTURE_N_AREAS; i++)
    {
      g_autofree char *geoid = fixture_geoid (i);
      g_autofree char *name = g_strdup_printf ("Tract %u", i);
      guint8 wkb[1 + 4 + 4 + 4 + 5 * 16];
      double lon0, lat0, lon1, lat1;
      double points[10];
      guint32 value;

      fixture_square (i, &lon0, &lat0, &lon1, &lat1);
      points[0] = lon0, points[1] = lat0, points[2] = lon1, points[3] = lat0;
      points[4] = lon1, points[5] = lat1, points[6] = lon0, points[7] = lat1;
      points[8] = lon0, points[9] = lat0;
      wkb[0] = 1;   /* little endian */
      value = GUINT32_TO_LE (3);
      memcpy (wkb + 1, &value, 4);
      value = GUINT32_TO_LE (1);
      memcpy (wkb + 5, &value, 4);
      value = GUINT32_TO_LE (5);
      memcpy (wkb + 9, &value, 4);
      for (guint k = 0; k < 10; k++)
        {
          guint64 bits;

          memcpy (&bits, &points[k], 8);
          bits = GUINT64_TO_LE (bits);
          memcpy (wkb + 13 + 8 * k, &bits, 8);
        }
      sqlite3_bind_int64 (stmt, 1, i + 1);
      sqlite3_bind_text (stmt, 2, geoid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_blob (stmt, 4, wkb, sizeof wkb, SQLITE_TRANSIENT);
      sqlite3_bind_double (stmt, 5, lon0);
      sqlite3_bind_double (stmt, 6, lat0);
      sqlite3_bind_double (stmt, 7, lon1);
      sqlite3_bind_double (stmt, 8, lat1);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }

  stmt = tw_store_prepare (f->store, "INSERT INTO outcome (measure_id, area_id, period, "
                                     "stratum, numerator, denominator) "
                                     "VALUES (1, ?1, ?2, ?3, ?4, ?5)", &error);
  g_assert_no_error (error);
  for (guint p = 0; p < 2; p++)
    for (guint i = 0; i < FIXTURE_N_AREAS; i++)
      {
        /* `all` and two groups that add up to it: "a" holds 40%, "b" the rest. */
        const char *strata[] = { "all", "a", "b" };
        double all = fixture_counts[i] + (p == 0 ? 10 : 0);
        double counts[] = { all, round (all * 0.4), all - round (all * 0.4) };
        double denominators[] = { 1000, 400, 600 };

        for (guint s = 0; s < 3; s++)
          {
            sqlite3_bind_int64 (stmt, 1, i + 1);
            sqlite3_bind_text (stmt, 2, p == 0 ? "2019" : "2020", -1, SQLITE_STATIC);
            sqlite3_bind_text (stmt, 3, strata[s], -1, SQLITE_STATIC);
            sqlite3_bind_double (stmt, 4, counts[s]);
            sqlite3_bind_double (stmt, 5, denominators[s]);
            g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
            sqlite3_reset (stmt);
          }
      }

  partner->kind = g_strdup ("clinic");
  partner->email = g_strdup ("nurse@clinic.example");
  partner->phone = g_strdup ("555-0199");
  g_assert_cmpint (tw_partners_add (f->store, partner, &error), >, 0);
  g_assert_no_error (error);
  project->measure = g_strdup ("visits");
  project->start_date = g_strdup ("2020-01-01");
  project->status = g_strdup ("active");
  project->goal_percent = 10;
  tw_project_take_partner (project, "Eastside Clinic", "lead");
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *geoid = fixture_geoid (i + 1);

      tw_project_take_area (project, geoid);
    }
  f->project_id = tw_project_add (f->store, project, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  tw_store_close (f->store);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (f->dir, name, NULL);

      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

G_GNUC_UNUSED static TwChoropleth *
fixture_map (Fixture  *f,
             gboolean  reveal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwAreaLayer) layer = tw_area_layer_load (f->store, 1, NULL, &error);
  TwChoroplethQuery query = { 0 };
  TwChoropleth *map;

  g_assert_no_error (error);
  query.measure = "visits";
  query.period = "2020";
  query.method = TW_CLASSIFY_QUANTILE;
  query.n_classes = 4;
  query.reveal = reveal;
  map = tw_choropleth_compute (f->store, layer, &query, NULL, &error);
  g_assert_no_error (error);
  return map;
}

static gint64
fixture_count_audit (Fixture    *f,
                     const char *action)
{
  sqlite3_stmt *stmt = tw_store_prepare (f->store, "SELECT count(*) FROM audit_log "
                                                   "WHERE action = ?1", NULL);
  gint64 n;

  sqlite3_bind_text (stmt, 1, action, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}
