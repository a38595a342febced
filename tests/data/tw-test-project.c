/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-test"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "tw-test-project.h"
#include "tw-store-private.h"

/* A little-endian WKB square of @size degrees at (@lon, @lat). */
GBytes *
square_wkb (double lon,
            double lat,
            double size)
{
  GByteArray *wkb = g_byte_array_new ();
  const double ring[] = { lon, lat, lon + size, lat, lon + size, lat + size, lon, lat + size,
                          lon, lat };
  guint8 order = 1;
  guint32 type = 3, rings = 1, points = 5;

  g_byte_array_append (wkb, &order, 1);
  g_byte_array_append (wkb, (guint8 *) &type, 4);
  g_byte_array_append (wkb, (guint8 *) &rings, 4);
  g_byte_array_append (wkb, (guint8 *) &points, 4);
  g_byte_array_append (wkb, (const guint8 *) ring, sizeof ring);
  return g_byte_array_free_to_bytes (wkb);
}

void
exec (Project    *p,
      const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (tw_store_get_db (p->store), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

gint64
count (TwStore    *store,
       const char *sql)
{
  sqlite3_stmt *stmt = tw_store_prepare (store, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

gint64
add_geography (Project    *p,
               const char *name)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO geography (name, level) VALUES ('%s', "
                                          "'other')", name);

  exec (p, sql);
  return sqlite3_last_insert_rowid (tw_store_get_db (p->store));
}

gint64
add_area (Project    *p,
          gint64      geography,
          const char *geoid,
          double      lon,
          double      lat)
{
  g_autoptr(GBytes) wkb = square_wkb (lon, lat, 0.1);
  sqlite3_stmt *stmt = tw_store_prepare (p->store,
                                         "INSERT INTO area (geography_id, geoid, name, geom, "
                                         "min_lon, min_lat, max_lon, max_lat) "
                                         "VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?4 + 0.1, ?5 + 0.1)",
                                         NULL);
  gsize size;
  const void *data = g_bytes_get_data (wkb, &size);

  sqlite3_bind_int64 (stmt, 1, geography);
  sqlite3_bind_text (stmt, 2, geoid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 3, data, size, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 4, lon);
  sqlite3_bind_double (stmt, 5, lat);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
  return sqlite3_last_insert_rowid (tw_store_get_db (p->store));
}

gint64
add_measure (Project    *p,
             const char *code,
             const char *kind,
             double      multiplier)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO measure (code, label, kind, multiplier) "
                                          "VALUES ('%s', 'Label of %s', '%s', %g)",
                                          code, code, kind, multiplier);

  exec (p, sql);
  return sqlite3_last_insert_rowid (tw_store_get_db (p->store));
}

void
add_outcome (Project    *p,
             gint64      measure,
             gint64      area,
             const char *period,
             const char *stratum,
             double      numerator,
             double      denominator)
{
  sqlite3_stmt *stmt = tw_store_prepare (p->store,
                                         "INSERT INTO outcome (measure_id, area_id, period, "
                                         "stratum, numerator, denominator) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", NULL);

  sqlite3_bind_int64 (stmt, 1, measure);
  sqlite3_bind_int64 (stmt, 2, area);
  sqlite3_bind_text (stmt, 3, period, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, stratum, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (stmt, 5, numerator);
  sqlite3_bind_double (stmt, 6, denominator);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
}

Project *
project_new (void)
{
  g_autoptr(GError) error = NULL;
  Project *p = g_new0 (Project, 1);

  p->dir = g_dir_make_tmp ("tw-test-project-XXXXXX", &error);
  g_assert_no_error (error);
  p->path = g_build_filename (p->dir, "p.tractwise", NULL);
  p->store = tw_store_create (p->path, &error);
  g_assert_no_error (error);
  return p;
}

void
project_free (Project *p)
{
  g_autofree char *wal = g_strconcat (p->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (p->path, "-shm", NULL);

  tw_store_close (p->store);
  g_unlink (p->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (p->dir);
  g_free (p->path);
  g_free (p->dir);
  g_free (p);
}


TwSuppressionPolicy
preset_policy (const char *name)
{
  TwSuppressionPolicy policy;

  tw_suppression_policy_init (&policy);
  g_assert_true (tw_suppression_policy_set_preset (&policy, name, NULL));
  return policy;
}
