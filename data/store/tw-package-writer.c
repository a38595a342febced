/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-package-writer"

#include <errno.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "tw-gdal.h"
#include "tw-package-writer.h"
#include "tw-store-private.h"

/* A package is written in a private folder beside its destination and renamed into place,
 * so a killed export leaves the old package or the new one and no part file or journal
 * under a visible name. The folder, ".NAME.gpkg.tractwise-XXXXXX", holds the pid of the
 * process writing it; the next export to that destination (from the CLI or the window)
 * removes the folders of processes that are gone. */
#define PARTIAL_SUFFIX ".tractwise-"
#define PARTIAL_OWNER "owner.pid"

struct _TwPackageWriter
{
  TwStore             *store;
  char                *path;
  char                *folder;      /* the private folder; NULL once removed */
  char                *tmp;         /* the package inside it */
  GDALDatasetH         dataset;
  OGRSpatialReferenceH srs;
  gboolean             with_contacts;
  OGRLayerH            areas, rates, measures, projects, partners, metadata;
  GHashTable          *geographies; /* area id → geography name, of the areas copied */
  GHashTable          *footprints;  /* target area id → OGRGeometryH, once copied */
  GHashTable          *only;        /* the geographies copied (names); NULL: every one */
  gboolean             areas_copied;
};

static gboolean
set_gdal_error (GError    **error,
                const char *path,
                const char *what)
{
  const char *message = CPLGetLastErrorMsg ();

  g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_WRITE, "%s: %s%s%s", path, what,
               message != NULL && message[0] != '\0' ? ": " : "",
               message != NULL ? message : "");
  return FALSE;
}

/* Partial folders */

static void
remove_partial_folder (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (folder, name, NULL);

      g_unlink (file);
    }
  g_rmdir (folder);
}

static void
remove_abandoned_partials (const char *destination)
{
  g_autofree char *parent = g_path_get_dirname (destination);
  g_autofree char *base = g_path_get_basename (destination);
  g_autofree char *prefix = g_strconcat (".", base, PARTIAL_SUFFIX, NULL);
  g_autoptr(GDir) dir = g_dir_open (parent, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *folder = NULL, *owner = NULL, *text = NULL;
      gint64 pid = 0;

      if (!g_str_has_prefix (name, prefix) || strlen (name) != strlen (prefix) + 6)
        continue;
      folder = g_build_filename (parent, name, NULL);
      owner = g_build_filename (folder, PARTIAL_OWNER, NULL);
      if (g_file_get_contents (owner, &text, NULL, NULL))
        pid = g_ascii_strtoll (text, NULL, 10);
      /* Killed before it wrote its pid, or its process is gone. */
      if (pid > 0 && (pid == getpid () || kill ((pid_t) pid, 0) == 0 || errno != ESRCH))
        continue;
      remove_partial_folder (folder);
    }
}

/* The private folder for writing @destination, or NULL. */
static char *
make_partial_folder (const char  *destination,
                     GError     **error)
{
  g_autofree char *parent = g_path_get_dirname (destination);
  g_autofree char *base = g_path_get_basename (destination);
  g_autofree char *name = g_strconcat (".", base, PARTIAL_SUFFIX, "XXXXXX", NULL);
  g_autofree char *folder = g_build_filename (parent, name, NULL);
  g_autofree char *owner = NULL;
  g_autofree char *pid = g_strdup_printf ("%d\n", (int) getpid ());

  if (g_mkdtemp_full (folder, 0700) == NULL)
    {
      int saved = errno;

      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_WRITE,
                   "%s: cannot write in %s: %s; choose a folder you can write to",
                   destination, parent, g_strerror (saved));
      return NULL;
    }
  owner = g_build_filename (folder, PARTIAL_OWNER, NULL);
  if (!g_file_set_contents (owner, pid, -1, error))
    {
      remove_partial_folder (folder);
      return NULL;
    }
  return g_steal_pointer (&folder);
}

/* Layers and features */

static OGRLayerH
create_layer (TwPackageWriter     *self,
              const char          *name,
              OGRwkbGeometryType   type,
              const char *const   *fields,   /* name, type letter: s text, i integer,
                                              * I 64-bit, r real, b boolean */
              GError             **error)
{
  char *options[] = { (char *) "FID=fid", NULL };
  OGRLayerH layer;

  layer = GDALDatasetCreateLayer (self->dataset, name, type == wkbNone ? NULL : self->srs,
                                  type, options);
  if (layer == NULL)
    {
      set_gdal_error (error, self->path, "cannot create a layer");
      return NULL;
    }
  for (guint i = 0; fields[i] != NULL; i += 2)
    {
      OGRFieldType ftype = OFTString;
      OGRFieldSubType subtype = OFSTNone;
      OGRFieldDefnH field;

      switch (fields[i + 1][0])
        {
        case 'i':
          ftype = OFTInteger;
          break;
        case 'I':
          ftype = OFTInteger64;
          break;
        case 'r':
          ftype = OFTReal;
          break;
        case 'b':
          ftype = OFTInteger;
          subtype = OFSTBoolean;
          break;
        default:
          break;
        }
      field = OGR_Fld_Create (fields[i], ftype);
      OGR_Fld_SetSubType (field, subtype);
      if (OGR_L_CreateField (layer, field, TRUE) != OGRERR_NONE)
        {
          OGR_Fld_Destroy (field);
          set_gdal_error (error, self->path, "cannot create a field");
          return NULL;
        }
      OGR_Fld_Destroy (field);
    }
  return layer;
}

static void
set_string (OGRFeatureH  feature,
            const char  *name,
            const char  *value)
{
  int index = OGR_F_GetFieldIndex (feature, name);

  g_assert (index >= 0);
  if (value != NULL)
    OGR_F_SetFieldString (feature, index, value);
  else
    OGR_F_SetFieldNull (feature, index);
}

static void
set_real (OGRFeatureH  feature,
          const char  *name,
          double       value)
{
  int index = OGR_F_GetFieldIndex (feature, name);

  g_assert (index >= 0);
  if (isfinite (value))
    OGR_F_SetFieldDouble (feature, index, value);
  else
    OGR_F_SetFieldNull (feature, index);
}

static void
set_int (OGRFeatureH  feature,
         const char  *name,
         gint64       value)
{
  int index = OGR_F_GetFieldIndex (feature, name);

  g_assert (index >= 0);
  OGR_F_SetFieldInteger64 (feature, index, value);
}

static gboolean
add_feature (TwPackageWriter  *self,
             OGRLayerH         layer,
             OGRFeatureH       feature,
             GError          **error)
{
  OGRErr err = OGR_L_CreateFeature (layer, feature);

  OGR_F_Destroy (feature);
  if (err != OGRERR_NONE)
    return set_gdal_error (error, self->path, "cannot write a feature");
  return TRUE;
}

/* Every table, empty, in the order a package lists them. */
static gboolean
create_layers (TwPackageWriter  *self,
               GError          **error)
{
  static const char *const area_fields[] = {
    "geography", "s", "geoid", "s", "name", "s", NULL
  };
  static const char *const rate_fields[] = {
    "geography", "s", "geoid", "s", "measure", "s", "period", "s", "stratum", "s",
    "numerator", "r", "denominator", "r", "rate", "r", "lower", "r", "upper", "r",
    "suppressed", "b", "unstable", "b", "status", "s", "reason", "s", NULL
  };
  static const char *const measure_fields[] = {
    "code", "s", "label", "s", "kind", "s", "multiplier", "r", "higher_is_worse", "b",
    "source", "s", NULL
  };
  static const char *const project_fields[] = {
    "id", "I", "title", "s", "aim", "s", "measure", "s", "stratum", "s", "geography", "s",
    "status", "s", "start_date", "s", "end_date", "s", "goal_percent", "r", "partners", "s",
    "geoids", "s", NULL
  };
  static const char *const partner_fields[] = {
    "id", "I", "name", "s", "kind", "s", "agreement", "s", "projects", "s", NULL
  };
  static const char *const contact_fields[] = {
    "id", "I", "name", "s", "kind", "s", "agreement", "s", "projects", "s",
    "contact", "s", "email", "s", "phone", "s", NULL
  };
  static const char *const metadata_fields[] = { "key", "s", "value", "s", NULL };

  return (self->areas = create_layer (self, "areas", wkbMultiPolygon, area_fields, error))
         && (self->rates = create_layer (self, "rates", wkbNone, rate_fields, error))
         && (self->measures = create_layer (self, "measures", wkbNone, measure_fields, error))
         && (self->projects = create_layer (self, "projects", wkbMultiPolygon, project_fields,
                                            error))
         && (self->partners = create_layer (self, "partners", wkbNone,
                                            self->with_contacts ? contact_fields
                                                                : partner_fields, error))
         && (self->metadata = create_layer (self, "metadata", wkbNone, metadata_fields,
                                            error));
}

/* The ids of the areas some project targets, their outlines to come. */
static GHashTable *
target_areas (TwStore  *store,
              GError  **error)
{
  g_autoptr(GHashTable) areas = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                       (GDestroyNotify) OGR_G_DestroyGeometry);
  sqlite3_stmt *stmt = tw_store_prepare (store, "SELECT DISTINCT area_id FROM project_area",
                                         error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_hash_table_insert (areas, g_memdup2 (&id, sizeof id), NULL);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tw_store_set_sql_error (store, error, "reading the projects' areas");
      return NULL;
    }
  return g_steal_pointer (&areas);
}

/* Public API */

TwPackageWriter *
tw_package_writer_new (TwStore     *store,
                       const char  *path,
                       gboolean     with_contacts,
                       GError     **error)
{
  g_autoptr(TwPackageWriter) self = NULL;
  g_autofree char *base = NULL;
  GDALDriverH driver;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_new0 (TwPackageWriter, 1);
  self->store = store;
  self->path = g_strdup (path);
  self->with_contacts = with_contacts;
  self->geographies = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->footprints = target_areas (store, error);
  if (self->footprints == NULL)
    return NULL;

  tw_gdal_init ();
  driver = GDALGetDriverByName ("GPKG");
  if (driver == NULL)
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_WRITE,
                   "GDAL has no GeoPackage driver (call GDALAllRegister first)");
      return NULL;
    }
  remove_abandoned_partials (path);
  self->folder = make_partial_folder (path, error);
  if (self->folder == NULL)
    return NULL;
  base = g_path_get_basename (path);
  self->tmp = g_build_filename (self->folder, base, NULL);
  CPLErrorReset ();
  self->dataset = GDALCreate (driver, self->tmp, 0, 0, 0, GDT_Unknown, NULL);
  if (self->dataset == NULL)
    {
      set_gdal_error (error, path, "cannot create the GeoPackage");
      return NULL;
    }
  self->srs = OSRNewSpatialReference (NULL);
  OSRImportFromEPSG (self->srs, 4326);
  OSRSetAxisMappingStrategy (self->srs, OAMS_TRADITIONAL_GIS_ORDER);

  if (GDALDatasetStartTransaction (self->dataset, FALSE) != OGRERR_NONE)
    {
      set_gdal_error (error, path, "cannot start writing");
      return NULL;
    }
  if (!create_layers (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
tw_package_writer_free (TwPackageWriter *self)
{
  if (self == NULL)
    return;
  if (self->dataset != NULL)
    GDALClose (self->dataset);
  if (self->srs != NULL)
    OSRRelease (self->srs);
  if (self->folder != NULL)
    remove_partial_folder (self->folder);
  g_clear_pointer (&self->geographies, g_hash_table_unref);
  g_clear_pointer (&self->footprints, g_hash_table_unref);
  g_clear_pointer (&self->only, g_hash_table_unref);
  g_free (self->path);
  g_free (self->folder);
  g_free (self->tmp);
  g_free (self);
}

gboolean
tw_package_writer_copy_areas (TwPackageWriter  *self,
                              guint            *n_areas,
                              GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (n_areas != NULL, FALSE);
  g_return_val_if_fail (!self->areas_copied, FALSE);

  stmt = tw_store_prepare (self->store,
                           "SELECT a.id, g.name, a.geoid, a.name, a.geom FROM area a "
                           "JOIN geography g ON g.id = a.geography_id ORDER BY g.name, a.geoid",
                           error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OGRFeatureH feature = OGR_F_Create (OGR_L_GetLayerDefn (self->areas));
      OGRGeometryH geometry = NULL;
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *geography = (const char *) sqlite3_column_text (stmt, 1);

      if (self->only != NULL && !g_hash_table_contains (self->only, geography))
        {
          OGR_F_Destroy (feature);
          continue;
        }
      g_hash_table_insert (self->geographies, g_memdup2 (&id, sizeof id), g_strdup (geography));
      set_string (feature, "geography", geography);
      set_string (feature, "geoid", (const char *) sqlite3_column_text (stmt, 2));
      set_string (feature, "name", (const char *) sqlite3_column_text (stmt, 3));
      if (OGR_G_CreateFromWkb (sqlite3_column_blob (stmt, 4), self->srs, &geometry,
                               sqlite3_column_bytes (stmt, 4)) == OGRERR_NONE)
        {
          geometry = OGR_G_ForceToMultiPolygon (geometry);
          if (g_hash_table_contains (self->footprints, &id))
            g_hash_table_insert (self->footprints, g_memdup2 (&id, sizeof id),
                                 OGR_G_Clone (geometry));
          OGR_F_SetGeometryDirectly (feature, geometry);
        }
      if (!add_feature (self, self->areas, feature, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
      (*n_areas)++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return tw_store_set_sql_error (self->store, error, "reading areas");
  self->areas_copied = TRUE;
  return TRUE;
}

void
tw_package_writer_limit_geographies (TwPackageWriter   *self,
                                     const char *const *geographies)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->areas_copied);

  g_clear_pointer (&self->only, g_hash_table_unref);
  if (geographies == NULL)
    return;
  self->only = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; geographies[i] != NULL; i++)
    g_hash_table_add (self->only, g_strdup (geographies[i]));
}

gboolean
tw_package_writer_has_area (TwPackageWriter *self,
                            gint64           area_id)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->areas_copied, FALSE);

  return g_hash_table_contains (self->geographies, &area_id);
}

gboolean
tw_package_writer_add_rate (TwPackageWriter         *self,
                            const TwPackageRateRow  *rate,
                            GError                 **error)
{
  OGRFeatureH feature;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (rate != NULL, FALSE);
  g_return_val_if_fail (self->areas_copied, FALSE);

  feature = OGR_F_Create (OGR_L_GetLayerDefn (self->rates));
  set_string (feature, "geography", g_hash_table_lookup (self->geographies, &rate->area_id));
  set_string (feature, "geoid", rate->geoid);
  set_string (feature, "measure", rate->measure);
  set_string (feature, "period", rate->period);
  set_string (feature, "stratum", rate->stratum);
  set_real (feature, "numerator", rate->numerator);
  set_real (feature, "denominator", rate->denominator);
  set_real (feature, "rate", rate->rate);
  set_real (feature, "lower", rate->lower);
  set_real (feature, "upper", rate->upper);
  set_int (feature, "suppressed", rate->suppressed);
  set_int (feature, "unstable", rate->unstable);
  set_string (feature, "status", rate->status);
  set_string (feature, "reason", rate->reason);
  return add_feature (self, self->rates, feature, error);
}

gboolean
tw_package_writer_add_measure (TwPackageWriter         *self,
                               const TwPackageMeasure  *measure,
                               GError                 **error)
{
  OGRFeatureH feature;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (measure != NULL, FALSE);

  feature = OGR_F_Create (OGR_L_GetLayerDefn (self->measures));
  set_string (feature, "code", measure->code);
  set_string (feature, "label", measure->label);
  set_string (feature, "kind", measure->kind);
  set_real (feature, "multiplier", measure->multiplier);
  set_int (feature, "higher_is_worse", measure->higher_is_worse);
  set_string (feature, "source", measure->source);
  return add_feature (self, self->measures, feature, error);
}

/* The union of the outlines of project @id's target areas (GEOS through GDAL), or NULL
 * when none has one. */
static OGRGeometryH
footprint (TwPackageWriter  *self,
           gint64            id,
           GError          **error)
{
  OGRGeometryH collection;
  OGRGeometryH merged;
  sqlite3_stmt *stmt;
  int rc;

  stmt = tw_store_prepare (self->store, "SELECT area_id FROM project_area WHERE project_id = ?1",
                           error);
  if (stmt == NULL)
    return NULL;
  collection = OGR_G_CreateGeometry (wkbMultiPolygon);
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 area_id = sqlite3_column_int64 (stmt, 0);
      OGRGeometryH area = g_hash_table_lookup (self->footprints, &area_id);

      for (int part = 0; area != NULL && part < OGR_G_GetGeometryCount (area); part++)
        OGR_G_AddGeometry (collection, OGR_G_GetGeometryRef (area, part));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE || OGR_G_GetGeometryCount (collection) == 0)
    {
      OGR_G_DestroyGeometry (collection);
      if (rc != SQLITE_DONE)
        tw_store_set_sql_error (self->store, error, "reading a project's areas");
      return NULL;
    }
  /* One footprint: neighbouring target areas merged. */
  merged = OGR_G_UnionCascaded (collection);
  if (merged != NULL)
    {
      OGR_G_DestroyGeometry (collection);
      collection = OGR_G_ForceToMultiPolygon (merged);
    }
  OGR_G_AssignSpatialReference (collection, self->srs);
  return collection;
}

gboolean
tw_package_writer_add_project (TwPackageWriter         *self,
                               const TwPackageProject  *project,
                               GError                 **error)
{
  g_autoptr(GError) local_error = NULL;
  OGRFeatureH feature;
  OGRGeometryH outline;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (project != NULL, FALSE);
  g_return_val_if_fail (self->areas_copied, FALSE);

  outline = footprint (self, project->id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  feature = OGR_F_Create (OGR_L_GetLayerDefn (self->projects));
  set_int (feature, "id", project->id);
  set_string (feature, "title", project->title);
  set_string (feature, "aim", project->aim);
  set_string (feature, "measure", project->measure);
  set_string (feature, "stratum", project->stratum);
  set_string (feature, "geography", project->geography);
  set_string (feature, "status", project->status);
  set_string (feature, "start_date", project->start_date);
  set_string (feature, "end_date", project->end_date);
  set_real (feature, "goal_percent", project->goal_percent);
  set_string (feature, "partners", project->partners);
  set_string (feature, "geoids", project->geoids);
  if (outline != NULL)
    OGR_F_SetGeometryDirectly (feature, outline);
  return add_feature (self, self->projects, feature, error);
}

gboolean
tw_package_writer_add_partner (TwPackageWriter         *self,
                               const TwPackagePartner  *partner,
                               GError                 **error)
{
  OGRFeatureH feature;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (partner != NULL, FALSE);

  feature = OGR_F_Create (OGR_L_GetLayerDefn (self->partners));
  set_int (feature, "id", partner->id);
  set_string (feature, "name", partner->name);
  set_string (feature, "kind", partner->kind);
  set_string (feature, "agreement", partner->agreement);
  set_string (feature, "projects", partner->projects);
  if (self->with_contacts)
    {
      set_string (feature, "contact", partner->contact);
      set_string (feature, "email", partner->email);
      set_string (feature, "phone", partner->phone);
    }
  return add_feature (self, self->partners, feature, error);
}

gboolean
tw_package_writer_add_metadata (TwPackageWriter  *self,
                                const char       *key,
                                const char       *value,
                                GError          **error)
{
  OGRFeatureH feature;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  feature = OGR_F_Create (OGR_L_GetLayerDefn (self->metadata));
  set_string (feature, "key", key);
  set_string (feature, "value", value);
  return add_feature (self, self->metadata, feature, error);
}

gboolean
tw_package_writer_add_dictionary (TwPackageWriter          *self,
                                  const char               *geography,
                                  const TwDictionaryEntry  *entry,
                                  GError                  **error)
{
  const char *const members[][2] = {
    { "label", entry->label }, { "universe", entry->universe }, { "source", entry->source },
    { "release", entry->release }, { "licence", entry->licence },
    { "null_codes", entry->null_codes }, { "moe", entry->moe },
  };

  g_return_val_if_fail (self != NULL && geography != NULL && entry != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autofree char *key = NULL;

      if (members[i][1] == NULL)
        continue;
      key = g_strdup_printf ("dictionary.%s.%s.%s", geography, entry->field, members[i][0]);
      if (GDALSetMetadataItem ((GDALMajorObjectH) self->areas, key, members[i][1], NULL)
          != CE_None)
        return set_gdal_error (error, self->path, "cannot write the data dictionary");
    }
  return TRUE;
}

gboolean
tw_package_writer_commit (TwPackageWriter  *self,
                          GError          **error)
{
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->dataset != NULL, FALSE);

  ok = GDALDatasetCommitTransaction (self->dataset) == OGRERR_NONE
       || set_gdal_error (error, self->path, "cannot finish writing");
  GDALClose (self->dataset);
  self->dataset = NULL;
  if (ok && g_rename (self->tmp, self->path) != 0)
    {
      int saved = errno;

      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_WRITE, "%s: cannot write: %s",
                   self->path, g_strerror (saved));
      ok = FALSE;
    }
  remove_partial_folder (self->folder);
  g_clear_pointer (&self->folder, g_free);
  return ok;
}
