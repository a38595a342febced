/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-demo"

#include <errno.h>

#include <glib/gstdio.h>

#include "tw-area-import.h"
#include "tw-demo.h"
#include "tw-outcome-import.h"
#include "tw-store.h"

static gboolean
holds_demo (const char *dir)
{
  g_autofree char *nc = NULL;

  if (dir == NULL)
    return FALSE;
  nc = g_build_filename (dir, "nc_sids", "nc.shp", NULL);
  return g_file_test (nc, G_FILE_TEST_IS_REGULAR);
}

char *
tw_demo_find_data (const char *installed,
                   const char *source_tree)
{
  if (holds_demo (installed))
    return g_strdup (installed);
  if (holds_demo (source_tree))
    return g_strdup (source_tree);
  return NULL;
}

typedef struct
{
  const char *file;
  const char *geography;
  const char *label;
  const char *kind;
  double      per;
} DemoTable;

static gboolean
build (TwStore      *store,
       const char   *dir,
       GCancellable *cancellable,
       GError      **error)
{
  static const DemoTable boston[] = {
    { "boston-asthma_ed-SYNTHETIC.csv", "Boston tracts",
      "Asthma emergency visits (synthetic)", "rate", 10000 },
    { "boston-diabetes_uncontrolled-SYNTHETIC.csv", "Boston tracts",
      "Uncontrolled diabetes, HbA1c over 9% (synthetic)", "proportion", 100 },
    { "boston-preterm_birth-SYNTHETIC.csv", "Boston tracts", "Preterm birth (synthetic)",
      "proportion", 100 },
  };
  g_autofree char *nc_shp = g_build_filename (dir, "nc_sids", "nc.shp", NULL);
  g_autofree char *nc_dbf = g_build_filename (dir, "nc_sids", "nc.dbf", NULL);
  g_autofree char *boston_shp = g_build_filename (dir, "boston_tracts", "boston_tracts.shp",
                                                  NULL);
  TwAreaImportOptions nc_areas = {
    .id_field = "FIPS", .name_field = "NAME", .level = "county", .vintage = 1974,
    .geography = "North Carolina counties",
  };
  TwAreaImportOptions boston_areas = {
    .id_field = "poltract", .name_field = "TOWN", .level = "tract", .vintage = 1970,
    .geography = "Boston tracts",
  };
  TwOutcomeImportOptions sids74 = {
    .geography = "North Carolina counties", .geoid_field = "FIPS", .measure = "sids",
    .label = "Sudden infant death syndrome", .kind = "rate", .per = 1000,
    .period = "1974-1978", .numerator_field = "SID74", .denominator_field = "BIR74",
  };
  TwOutcomeImportOptions sids79 = {
    .geography = "North Carolina counties", .geoid_field = "FIPS", .measure = "sids",
    .period = "1979-1984", .numerator_field = "SID79", .denominator_field = "BIR79",
  };
  g_autoptr(TwAreaImportResult) areas = NULL;
  g_autoptr(TwOutcomeImportResult) outcomes = NULL;

  if ((areas = tw_area_import (store, nc_shp, &nc_areas, NULL, NULL, cancellable,
                               error)) == NULL)
    return FALSE;
  g_clear_pointer (&areas, tw_area_import_result_free);
  if ((outcomes = tw_outcome_import (store, nc_dbf, &sids74, NULL, NULL, cancellable,
                                     error)) == NULL)
    return FALSE;
  g_clear_pointer (&outcomes, tw_outcome_import_result_free);
  if ((outcomes = tw_outcome_import (store, nc_dbf, &sids79, NULL, NULL, cancellable,
                                     error)) == NULL)
    return FALSE;
  g_clear_pointer (&outcomes, tw_outcome_import_result_free);
  if ((areas = tw_area_import (store, boston_shp, &boston_areas, NULL, NULL, cancellable,
                               error)) == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (boston); i++)
    {
      g_autofree char *csv = g_build_filename (dir, boston[i].file, NULL);
      TwOutcomeImportOptions options = {
        .geography = boston[i].geography, .label = boston[i].label, .kind = boston[i].kind,
        .per = boston[i].per,
      };

      g_clear_pointer (&outcomes, tw_outcome_import_result_free);
      if ((outcomes = tw_outcome_import (store, csv, &options, NULL, NULL, cancellable,
                                         error)) == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
remove_with_journal (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

gboolean
tw_demo_build (const char   *data_dir,
               const char   *out,
               GCancellable *cancellable,
               GError      **error)
{
  g_autofree char *part = NULL;
  g_autofree char *folder = NULL;
  TwStore *store;
  gboolean ok;

  g_return_val_if_fail (data_dir != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  folder = g_path_get_dirname (out);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s: cannot create the folder (%s)", folder, g_strerror (saved));
      return FALSE;
    }

  part = g_strconcat (out, ".part", NULL);
  remove_with_journal (part);
  store = tw_store_create (part, error);
  if (store == NULL)
    return FALSE;
  ok = build (store, data_dir, cancellable, error);
  tw_store_close (store);

  if (ok && g_rename (part, out) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", out,
                   g_strerror (saved));
      ok = FALSE;
    }
  remove_with_journal (part);
  return ok;
}
