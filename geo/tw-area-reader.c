/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-area-reader"

#include "tw-area-reader.h"
#include "tw-gdal.h"
#include "tw-parallel.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

typedef struct _TwAreaPipeline TwAreaPipeline;

struct _TwAreaReader
{
  /* What the user named, for messages */
  char                         *display_name;
  gboolean                      is_shapefile_path;

  /* Owned GDAL handles */
  GDALDatasetH                  dataset;
  OGRLayerH                     layer;      /* borrowed from dataset */
  OGRSpatialReferenceH          source_srs; /* NULL when lon/lat was assumed */
  OGRSpatialReferenceH          target_srs;
  OGRCoordinateTransformationH  transform;  /* NULL when no reprojection is needed */

  char                         *layer_name;
  char                         *id_field;
  int                           id_index;
  OGRFieldType                  id_type;
  char                         *name_field;
  int                           name_index;
  char                         *source_crs;
  gint64                        feature_count;

  /* Progress through the layer */
  gint64                        position;   /* features read so far */
  guint                         yielded;
  guint                         repaired;
  gboolean                      finished;
  GHashTable                   *seen_ids;   /* geoid → gint64 * first feature number */
  TwAreaPipeline               *pipeline;   /* from the first tw_area_reader_next () on */

  GPtrArray                    *warnings;
  GPtrArray                    *skipped;
};

G_DEFINE_QUARK (tw-area-reader-error-quark, tw_area_reader_error)


/* Field names that hold area ids or names, in order of preference; matched without case. */
static const char * const id_field_names[] = {
  "GEOID", "GEOID20", "GEOID10", "GEOIDFQ", "GEOID_TRACT_20", "GEOID_TRACT_10",
  "FIPS", "GEO_ID", "AFFGEOID", "id",
};

#define MAX_ID_CHARS 64
#define MAX_NAME_CHARS 256

/* Below this (about a square metre at mid-latitudes), an area is a degenerate ring. */
#define MIN_AREA_DEGREES2 1e-10

static const char * const name_field_names[] = {
  "NAME", "NAMELSAD", "NAME20", "NAME10", "NAMELSAD20", "NAMELSAD10",
};

static const char *
readable_formats (void)
{
  return _("Shapefile, zipped Shapefile, GeoPackage, GeoJSON, TopoJSON, FlatGeobuf, KML "
           "and GML");
}


/* GDAL's last message without its trailing newline, or @fallback when it gave none. */
static char *
gdal_message (const char *fallback)
{
  const char *msg = CPLGetLastErrorMsg ();

  if (msg == NULL || *msg == '\0')
    return g_strdup (fallback);

  return g_strchomp (g_strdup (msg));
}

static void
area_skip_free (gpointer data)
{
  TwAreaSkip *skip = data;

  g_free (skip->reason);
  g_free (skip);
}

static void
add_skip (TwAreaReader *self,
          char         *reason)
{
  TwAreaSkip *skip = g_new0 (TwAreaSkip, 1);

  skip->feature = self->position;
  skip->reason = reason;
  g_ptr_array_add (self->skipped, skip);
}

static gboolean
has_suffix_nocase (const char *text,
                   const char *suffix)
{
  gsize text_len = strlen (text);
  gsize suffix_len = strlen (suffix);

  return text_len >= suffix_len
         && g_ascii_strcasecmp (text + text_len - suffix_len, suffix) == 0;
}

/* Through GDAL's virtual file system, so that this also looks inside /vsizip/. */
static gboolean
vsi_file_exists (const char *path)
{
  VSILFILE *file = VSIFOpenL (path, "rb");

  if (file == NULL)
    return FALSE;

  VSIFCloseL (file);
  return TRUE;
}

/* A Shapefile whose .dbf is gone still opens in GDAL, without attributes. Look for the
 * sibling in either case, as GDAL does. */
static gboolean
shapefile_has_dbf (const char *shp_path)
{
  g_autofree char *stem = g_strndup (shp_path, strlen (shp_path) - strlen (".shp"));
  g_autofree char *lower = g_strconcat (stem, ".dbf", NULL);
  g_autofree char *upper = g_strconcat (stem, ".DBF", NULL);

  return vsi_file_exists (lower) || vsi_file_exists (upper);
}

/* The one Shapefile (or other single source) inside a zip whose top level GDAL cannot
 * open, such as a zip holding a folder. */
static char *
find_single_shapefile_in_zip (const char *vsi_path)
{
  char **entries = VSIReadDirRecursive (vsi_path);
  char *found = NULL;
  guint n_found = 0;

  for (char **entry = entries; entries != NULL && *entry != NULL; entry++)
    {
      if (has_suffix_nocase (*entry, ".shp") && strstr (*entry, "__MACOSX") == NULL)
        {
          n_found++;
          g_free (found);
          found = g_strconcat (vsi_path, "/", *entry, NULL);
        }
    }
  CSLDestroy (entries);

  if (n_found != 1)
    g_clear_pointer (&found, g_free);

  return found;
}

static GDALDatasetH
open_dataset (const char  *path,
              const char  *display_name,
              GError     **error)
{
  const unsigned int flags = GDAL_OF_VECTOR | GDAL_OF_READONLY;
  g_autofree char *open_path = NULL;
  g_autofree char *reason = NULL;
  GDALDatasetH dataset;
  gboolean is_zip = has_suffix_nocase (path, ".zip") && !g_str_has_prefix (path, "/vsi");

  if (!g_str_has_prefix (path, "/vsi") && strstr (path, ":") == NULL
      && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_OPEN,
                   _("%s: no such file or folder; check the path"), display_name);
      return NULL;
    }

  if (has_suffix_nocase (path, ".shp") && !shapefile_has_dbf (path))
    {
      g_autofree char *dbf = g_strndup (display_name, strlen (display_name) - strlen (".shp"));

      g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_OPEN,
                   _("%s: the Shapefile's .dbf file (%s.dbf) is missing, so the area ids "
                     "cannot be read; put the .dbf (and the .shx and .prj) next to the .shp, "
                     "or import the zipped Shapefile as it was published"),
                   display_name, dbf);
      return NULL;
    }

  if (is_zip)
    {
      g_autofree char *absolute = g_canonicalize_filename (path, NULL);
      open_path = g_strconcat ("/vsizip/", absolute, NULL);
    }
  else
    open_path = g_strdup (path);

  CPLErrorReset ();
  dataset = GDALOpenEx (open_path, flags, NULL, NULL, NULL);

  if (is_zip && (dataset == NULL || GDALDatasetGetLayerCount (dataset) == 0))
    {
      g_autofree char *inner = find_single_shapefile_in_zip (open_path);

      if (inner != NULL)
        {
          g_clear_pointer (&dataset, GDALClose);
          if (!shapefile_has_dbf (inner))
            {
              g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_OPEN,
                           _("%s: the Shapefile in this zip has no .dbf file, so the area "
                             "ids cannot be read; zip the .shp together with its .dbf, "
                             ".shx and .prj"),
                           display_name);
              return NULL;
            }
          CPLErrorReset ();
          dataset = GDALOpenEx (inner, flags, NULL, NULL, NULL);
        }
    }

  if (dataset == NULL)
    {
      GDALDriverH driver;

      reason = gdal_message (_("the format is not recognised"));
      CPLErrorReset ();
      driver = GDALIdentifyDriverEx (open_path, GDAL_OF_VECTOR, NULL, NULL);
      if (driver != NULL)
        {
          g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_OPEN,
                       _("%s: looks like %s but GDAL cannot open it (%s); the file may be "
                         "truncated or damaged — export it again"),
                       display_name, GDALGetDriverLongName (driver), reason);
          return NULL;
        }

      g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_OPEN,
                   _("%s: not a file GDAL can read as areas (%s); Tractwise reads %s"),
                   display_name, reason, readable_formats ());
      return NULL;
    }

  if (GDALDatasetGetLayerCount (dataset) == 0)
    {
      GDALClose (dataset);
      g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_OPEN,
                   _("%s: holds no vector layer, so there are no areas to read; "
                     "Tractwise reads %s"),
                   display_name, readable_formats ());
      return NULL;
    }

  return dataset;
}

static char *
join_layer_names (GDALDatasetH dataset)
{
  g_autoptr(GString) names = g_string_new (NULL);
  int n_layers = GDALDatasetGetLayerCount (dataset);

  for (int i = 0; i < n_layers; i++)
    {
      OGRLayerH layer = GDALDatasetGetLayer (dataset, i);

      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, OGR_L_GetName (layer));
    }

  return g_string_free (g_steal_pointer (&names), FALSE);
}

static char *
join_field_names (OGRFeatureDefnH defn)
{
  g_autoptr(GString) names = g_string_new (NULL);
  int n_fields = OGR_FD_GetFieldCount (defn);

  for (int i = 0; i < n_fields; i++)
    {
      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i)));
    }

  if (n_fields == 0)
    g_string_append (names, _("none"));

  return g_string_free (g_steal_pointer (&names), FALSE);
}

static int
find_field_nocase (OGRFeatureDefnH  defn,
                   const char      *wanted)
{
  int n_fields = OGR_FD_GetFieldCount (defn);

  for (int i = 0; i < n_fields; i++)
    {
      if (g_ascii_strcasecmp (OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn, i)), wanted) == 0)
        return i;
    }

  return -1;
}

static gboolean
pick_layer (TwAreaReader  *self,
            const char    *layer_name,
            GError       **error)
{
  if (layer_name != NULL)
    self->layer = GDALDatasetGetLayerByName (self->dataset, layer_name);
  else if (GDALDatasetGetLayerCount (self->dataset) == 1)
    self->layer = GDALDatasetGetLayer (self->dataset, 0);

  if (self->layer == NULL)
    {
      g_autofree char *names = join_layer_names (self->dataset);

      if (layer_name != NULL)
        g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_LAYER,
                     _("%s: has no layer named '%s'; its layers are: %s; "
                       "name one of them with --layer"),
                     self->display_name, layer_name, names);
      else
        g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_LAYER,
                     _("%s: holds %d layers (%s); name the one to import with --layer NAME"),
                     self->display_name, GDALDatasetGetLayerCount (self->dataset), names);
      return FALSE;
    }

  self->layer_name = g_strdup (OGR_L_GetName (self->layer));
  return TRUE;
}

static gboolean
pick_fields (TwAreaReader  *self,
             const char    *id_field,
             const char    *name_field,
             GError       **error)
{
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn (self->layer);
  g_autofree char *available = join_field_names (defn);

  self->id_index = -1;
  self->name_index = -1;

  if (OGR_FD_GetFieldCount (defn) == 0
      && g_strcmp0 (GDALGetDriverShortName (GDALGetDatasetDriver (self->dataset)),
                    "ESRI Shapefile") == 0)
    {
      g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_FIELD,
                   _("%s: layer '%s' has no attributes: the Shapefile's .dbf file is "
                     "missing or empty, so the area ids cannot be read; put the .dbf next "
                     "to the .shp"),
                   self->display_name, self->layer_name);
      return FALSE;
    }

  if (id_field != NULL)
    {
      self->id_index = find_field_nocase (defn, id_field);
      if (self->id_index < 0)
        {
          g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_FIELD,
                       _("%s: layer '%s' has no field '%s' for the area ids; its fields "
                         "are: %s; give one of them with --id-field"),
                       self->display_name, self->layer_name, id_field, available);
          return FALSE;
        }
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (id_field_names) && self->id_index < 0; i++)
        self->id_index = find_field_nocase (defn, id_field_names[i]);

      if (self->id_index < 0)
        {
          g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_FIELD,
                       _("%s: layer '%s' has no field Tractwise recognises as the area id "
                         "(GEOID, GEOID20, GEOID10, GEOIDFQ, FIPS, GEO_ID, AFFGEOID, id); "
                         "its fields are: %s; name the one that holds the ids with "
                         "--id-field"),
                       self->display_name, self->layer_name, available);
          return FALSE;
        }
    }

  if (name_field != NULL)
    {
      self->name_index = find_field_nocase (defn, name_field);
      if (self->name_index < 0)
        {
          g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_FIELD,
                       _("%s: layer '%s' has no field '%s' for the area names; its fields "
                         "are: %s; give one of them with --name-field"),
                       self->display_name, self->layer_name, name_field, available);
          return FALSE;
        }
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (name_field_names) && self->name_index < 0; i++)
        self->name_index = find_field_nocase (defn, name_field_names[i]);
      if (self->name_index == self->id_index)
        self->name_index = -1;
    }

  {
    OGRFieldDefnH id_defn = OGR_FD_GetFieldDefn (defn, self->id_index);

    self->id_field = g_strdup (OGR_Fld_GetNameRef (id_defn));
    self->id_type = OGR_Fld_GetType (id_defn);
  }
  if (self->name_index >= 0)
    self->name_field = g_strdup (OGR_Fld_GetNameRef (OGR_FD_GetFieldDefn (defn,
                                                                          self->name_index)));

  if (self->id_type == OFTInteger || self->id_type == OFTInteger64 || self->id_type == OFTReal)
    g_ptr_array_add (self->warnings,
                     g_strdup_printf (_("%s: the id field '%s' holds numbers, not text; ids "
                                        "that should begin with 0 have lost it. If the ids "
                                        "do not match your outcome tables, export the field "
                                        "as text"),
                                      self->display_name, self->id_field));

  return TRUE;
}

/* "EPSG:4269" when the CRS has (or can be matched to) an authority code, else its name. */
static char *
describe_crs (OGRSpatialReferenceH srs)
{
  OGRSpatialReferenceH copy = OSRClone (srs);
  const char *authority = OSRGetAuthorityName (copy, NULL);
  const char *code = OSRGetAuthorityCode (copy, NULL);
  char *description = NULL;

  if (authority == NULL || code == NULL)
    {
      if (OSRAutoIdentifyEPSG (copy) == OGRERR_NONE)
        {
          authority = OSRGetAuthorityName (copy, NULL);
          code = OSRGetAuthorityCode (copy, NULL);
        }
    }

  if (authority != NULL && code != NULL)
    description = g_strdup_printf ("%s:%s", authority, code);

  if (description == NULL)
    {
      int n_matches = 0;
      int *confidence = NULL;
      OGRSpatialReferenceH *matches = OSRFindMatches (copy, NULL, &n_matches, &confidence);

      if (n_matches > 0 && confidence[0] >= 90)
        {
          const char *match_authority = OSRGetAuthorityName (matches[0], NULL);
          const char *match_code = OSRGetAuthorityCode (matches[0], NULL);

          if (match_authority != NULL && match_code != NULL)
            description = g_strdup_printf ("%s:%s", match_authority, match_code);
        }
      if (matches != NULL)
        OSRFreeSRSArray (matches);
      CPLFree (confidence);
    }

  if (description == NULL)
    {
      const char *name = OSRGetName (copy);
      description = g_strdup (name != NULL && *name != '\0' ? name : _("unnamed CRS"));
    }

  OSRDestroySpatialReference (copy);
  return description;
}


/* NAD83 to WGS 84 is a null transformation in PROJ's default pipeline, yet it costs a call
 * a vertex. When points spread over the layer come back exactly as they went in, the
 * transformation is the identity and is skipped. */
static gboolean
transform_is_identity (TwAreaReader *self)
{
  OGREnvelope extent;

  if (OGR_L_GetExtent (self->layer, &extent, FALSE) != OGRERR_NONE)
    return FALSE;

  for (int i = 0; i <= 4; i++)
    for (int j = 0; j <= 4; j++)
      {
        double x = extent.MinX + (extent.MaxX - extent.MinX) * i / 4;
        double y = extent.MinY + (extent.MaxY - extent.MinY) * j / 4;
        double tx = x, ty = y;

        if (!OCTTransform (self->transform, 1, &tx, &ty, NULL) || tx != x || ty != y)
          return FALSE;
      }
  return TRUE;
}

/* A CRS that a layer declares is taken on trust unless its coordinates cannot be in it:
 * longitude/latitude beyond ±180°/±90°, or projected coordinates that land far outside the
 * area the CRS is made for, or all within a few metres (longitude/latitude read as metres:
 * a whole county at one point off Africa). Then the message names the CRS and what the
 * coordinates look like. Returns TRUE when nothing is wrong or nothing can be told. */
static gboolean
check_crs_fits (TwAreaReader  *self,
                gboolean       declared,
                GError       **error)
{
  OGRCoordinateTransformationH transform = NULL;
  OGREnvelope extent;
  double west, south, east, north;
  double min_lon, min_lat, max_lon, max_lat;
  const char *area_name = NULL;
  gboolean looks_lonlat, fits = TRUE, far = FALSE;
  g_autofree char *hint = NULL;

  CPLErrorReset ();
  if (OGR_L_GetExtent (self->layer, &extent, TRUE) != OGRERR_NONE
      || !isfinite (extent.MinX) || !isfinite (extent.MaxX)
      || !isfinite (extent.MinY) || !isfinite (extent.MaxY))
    return TRUE;  /* features without coordinates, or broken ones, are reported one by one */

  looks_lonlat = extent.MinX >= -180.0 && extent.MaxX <= 180.0
                 && extent.MinY >= -90.0 && extent.MaxY <= 90.0;
  hint = looks_lonlat
         ? g_strdup (_("they look like longitude/latitude: give --assume-crs EPSG:4326 or fix "
                       "the .prj"))
         : g_strdup (_("give the right CRS with --assume-crs EPSG:NNNN (the same one if it "
                       "is right after all) or fix the .prj"));

  if (OSRIsGeographic (self->source_srs))
    {
      if (extent.MinX >= -180.5 && extent.MaxX <= 180.5
          && extent.MinY >= -90.5 && extent.MaxY <= 90.5)
        return TRUE;
      g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_CRS,
                   _("%s: the coordinates do not fit CRS %s (x %.6g to %.6g, y %.6g to %.6g "
                     "are not longitude/latitude); they look projected: give --assume-crs "
                     "EPSG:NNNN or fix the .prj"),
                   self->display_name, self->source_crs, extent.MinX, extent.MaxX,
                   extent.MinY, extent.MaxY);
      return FALSE;
    }
  if (!OSRIsProjected (self->source_srs))
    return TRUE;

  transform = OCTNewCoordinateTransformation (self->source_srs, self->target_srs);
  if (transform == NULL)
    return TRUE;  /* set_up_crs () says why */
  if (!OCTTransformBounds (transform, extent.MinX, extent.MinY, extent.MaxX, extent.MaxY,
                           &min_lon, &min_lat, &max_lon, &max_lat, 21)
      || !isfinite (min_lon) || !isfinite (max_lon) || !isfinite (min_lat)
      || !isfinite (max_lat))
    {
      OCTDestroyCoordinateTransformation (transform);
      g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_CRS,
                   _("%s: the coordinates do not fit CRS %s (x %.6g to %.6g, y %.6g to %.6g "
                     "cannot be converted to longitude/latitude); %s"),
                   self->display_name, self->source_crs, extent.MinX, extent.MaxX,
                   extent.MinY, extent.MaxY, hint);
      return FALSE;
    }
  OCTDestroyCoordinateTransformation (transform);

  /* Boundaries of a tract, a county or a ZIP code span more than a kilometre; longitude/
   * latitude read as metres span a few hundred metres at most. */
  if (looks_lonlat && max_lon - min_lon < 0.01 && max_lat - min_lat < 0.01
      && (extent.MaxX - extent.MinX > 0.0 || extent.MaxY - extent.MinY > 0.0))
    fits = FALSE;

  /* Used outside its area by a few degrees is common (a state in one UTM zone); landing
   * far away is not. A CRS the user names with --assume-crs is trusted that far: Hawaii
   * alone in the contiguous states' Albers is odd, not wrong. */
  if (fits && declared
      && OSRGetAreaOfUse (self->source_srs, &west, &south, &east, &north, &area_name)
      && west >= -180.0 && south >= -90.0 && west != east)
    {
      const double margin = 15.0;
      gboolean crosses = west > east;  /* the area of use crosses the antimeridian */

      far = max_lat < south - margin || min_lat > north + margin
            || (!crosses && (max_lon < west - margin || min_lon > east + margin));
      fits = !far;
    }

  if (fits)
    return TRUE;
  if (far)
    g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_CRS,
                 _("%s: the coordinates do not fit CRS %s (the layer lands at %.4f° to %.4f° "
                   "longitude, %.4f° to %.4f° latitude, far from where the CRS is used: "
                   "%.1f° to %.1f°, %.1f° to %.1f°); %s"),
                 self->display_name, self->source_crs, min_lon, max_lon, min_lat, max_lat,
                 west, east, south, north, hint);
  else
    g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_CRS,
                 _("%s: the coordinates do not fit CRS %s (the layer lands at %.4f° to %.4f° "
                   "longitude, %.4f° to %.4f° latitude, all within a few hundred metres); %s"),
                 self->display_name, self->source_crs, min_lon, max_lon, min_lat, max_lat,
                 hint);
  return FALSE;
}

static gboolean
set_up_crs (TwAreaReader  *self,
            const char    *assume_crs,
            GError       **error)
{
  OGRSpatialReferenceH layer_srs = OGR_L_GetSpatialRef (self->layer);

  self->target_srs = OSRNewSpatialReference (NULL);
  OSRImportFromEPSG (self->target_srs, 4326);
  OSRSetAxisMappingStrategy (self->target_srs, OAMS_TRADITIONAL_GIS_ORDER);

  if (layer_srs != NULL)
    {
      g_autoptr(GError) misfit = NULL;

      self->source_srs = OSRClone (layer_srs);
      self->source_crs = describe_crs (self->source_srs);
      OSRSetAxisMappingStrategy (self->source_srs, OAMS_TRADITIONAL_GIS_ORDER);

      if (check_crs_fits (self, TRUE, &misfit))
        {
          if (assume_crs != NULL)
            g_ptr_array_add (self->warnings,
                             g_strdup_printf (_("%s: layer '%s' has its own coordinate "
                                                "reference system (%s), so --assume-crs %s was "
                                                "not used"),
                                              self->display_name, self->layer_name,
                                              self->source_crs, assume_crs));
        }
      else if (assume_crs == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&misfit));
          return FALSE;
        }
      else
        {
          g_ptr_array_add (self->warnings,
                           g_strdup_printf (_("%s: layer '%s' declares %s, but its coordinates "
                                              "do not fit it; --assume-crs %s was used "
                                              "instead"),
                                            self->display_name, self->layer_name,
                                            self->source_crs, assume_crs));
          g_clear_pointer (&self->source_srs, OSRDestroySpatialReference);
          g_clear_pointer (&self->source_crs, g_free);
          layer_srs = NULL;
        }
    }

  if (layer_srs == NULL && assume_crs != NULL)
    {
      self->source_srs = OSRNewSpatialReference (NULL);
      CPLErrorReset ();
      if (OSRSetFromUserInput (self->source_srs, assume_crs) != OGRERR_NONE)
        {
          g_autofree char *reason = gdal_message (_("unknown to GDAL"));

          g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_CRS,
                       _("%s: --assume-crs '%s' is not a coordinate reference system GDAL "
                         "knows (%s); give one such as EPSG:26986"),
                       self->display_name, assume_crs, reason);
          return FALSE;
        }
      self->source_crs = describe_crs (self->source_srs);
      OSRSetAxisMappingStrategy (self->source_srs, OAMS_TRADITIONAL_GIS_ORDER);
      if (!check_crs_fits (self, FALSE, error))
        return FALSE;
    }
  else if (layer_srs == NULL)
    {
      OGREnvelope extent;

      CPLErrorReset ();
      if (OGR_L_GetExtent (self->layer, &extent, TRUE) != OGRERR_NONE)
        {
          g_autofree char *reason = gdal_message (_("no extent"));

          g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_CRS,
                       _("%s: layer '%s' has no coordinate reference system and its extent "
                         "cannot be read (%s); name its CRS with --assume-crs EPSG:NNNN"),
                       self->display_name, self->layer_name, reason);
          return FALSE;
        }

      if (extent.MinX < -180.0 || extent.MaxX > 180.0
          || extent.MinY < -90.0 || extent.MaxY > 90.0)
        {
          g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_CRS,
                       _("%s: layer '%s' has no coordinate reference system and its "
                         "coordinates (e.g. %.0f, %.0f) are not longitude/latitude; name its "
                         "CRS with --assume-crs EPSG:NNNN (for example EPSG:26986), or add "
                         "a .prj file"),
                       self->display_name, self->layer_name, extent.MinX, extent.MinY);
          return FALSE;
        }

      self->source_crs = g_strdup ("none (assumed EPSG:4326)");
      g_ptr_array_add (self->warnings,
                       g_strdup_printf (_("%s: layer '%s' has no coordinate reference system; "
                                          "its coordinates look like longitude/latitude, so "
                                          "EPSG:4326 was assumed. If that is wrong, give "
                                          "--assume-crs."),
                                        self->display_name, self->layer_name));
      return TRUE;
    }

  OSRSetAxisMappingStrategy (self->source_srs, OAMS_TRADITIONAL_GIS_ORDER);

  if (OSRIsSame (self->source_srs, self->target_srs))
    return TRUE;

  CPLErrorReset ();
  self->transform = OCTNewCoordinateTransformation (self->source_srs, self->target_srs);
  if (self->transform == NULL)
    {
      g_autofree char *reason = gdal_message (_("no transformation found"));

      g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_CRS,
                   _("%s: layer '%s' is in %s, which cannot be converted to "
                     "longitude/latitude (%s); export the layer in another CRS"),
                   self->display_name, self->layer_name, self->source_crs, reason);
      return FALSE;
    }

  if (transform_is_identity (self))
    g_clear_pointer (&self->transform, OCTDestroyCoordinateTransformation);

  return TRUE;
}

/* --- A quick test for the common case of a simple polygon ------------------------------
 *
 * GEOS's validity test is most of an import's time. Nearly every area of a real boundary
 * file is one simple ring, or a few simple rings far apart, and that can be proved much
 * faster: no two non-adjacent edges meet and no edge doubles back. Whatever this test
 * cannot prove valid goes to GEOS, which decides. */

typedef struct
{
  double min_x, max_x, min_y, max_y;
  double ax, ay, bx, by;
  guint  ring, index, n;   /* its ring, its place in the ring, the ring's edge count */
} Edge;

/* Where an edge comes in the sweep: the sort moves these 16 bytes, not the edges. */
typedef struct
{
  double min_x;
  guint  edge;
} EdgeKey;

/* The end of the run of keys in ascending order from @start. */
static inline guint
run_end (const EdgeKey *keys,
         guint          start,
         guint          n)
{
  guint end = start + 1;

  while (end < n && keys[end].min_x >= keys[end - 1].min_x)
    end++;
  return end;
}

/* Sorts @keys by min_x, with @spare as large; returns whichever of the two holds the result.
 * A merge of the runs already there: a ring is a few x-monotone chains, each a run (one in
 * descending order turned around first), so a ring of n edges takes a few passes of n.
 * Inline: a sort through a comparison callback took a quarter of an import. */
static EdgeKey *
sort_edge_keys (EdgeKey *keys,
                EdgeKey *spare,
                guint    n)
{
  for (guint i = 0; i < n;)
    {
      guint end = i + 1;

      while (end < n && keys[end].min_x < keys[end - 1].min_x)
        end++;
      for (guint a = i, b = end - 1; a < b; a++, b--)
        {
          EdgeKey swap = keys[a];

          keys[a] = keys[b];
          keys[b] = swap;
        }
      i = end;
    }

  while (n > 0 && run_end (keys, 0, n) < n)
    {
      EdgeKey *swap;

      for (guint i = 0; i < n;)
        {
          guint middle = run_end (keys, i, n);
          guint end = middle < n ? run_end (keys, middle, n) : n;
          guint a = i, b = middle, out = i;

          while (a < middle && b < end)
            spare[out++] = keys[b].min_x < keys[a].min_x ? keys[b++] : keys[a++];
          while (a < middle)
            spare[out++] = keys[a++];
          while (b < end)
            spare[out++] = keys[b++];
          i = end;
        }
      swap = keys;
      keys = spare;
      spare = swap;
    }
  return keys;
}

static inline double
orientation (double ax, double ay, double bx, double by, double cx, double cy)
{
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/* Whether two edges touch or cross; collinear or degenerate cases count as touching. */
static gboolean
edges_meet (const Edge *e,
            const Edge *f)
{
  double d1 = orientation (e->ax, e->ay, e->bx, e->by, f->ax, f->ay);
  double d2 = orientation (e->ax, e->ay, e->bx, e->by, f->bx, f->by);
  double d3 = orientation (f->ax, f->ay, f->bx, f->by, e->ax, e->ay);
  double d4 = orientation (f->ax, f->ay, f->bx, f->by, e->bx, e->by);

  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
    return TRUE;
  if (d1 == 0 || d2 == 0 || d3 == 0 || d4 == 0)
    {
      /* Possibly touching: the boxes decide (conservatively). */
      return MAX (MIN (e->ax, e->bx), MIN (f->ax, f->bx)) <= MIN (MAX (e->ax, e->bx), MAX (f->ax, f->bx))
             && MAX (MIN (e->ay, e->by), MIN (f->ay, f->by)) <= MIN (MAX (e->ay, e->by), MAX (f->ay, f->by));
    }
  return FALSE;
}

static gboolean
adjacent (const Edge *e,
          const Edge *f)
{
  if (e->ring != f->ring)
    return FALSE;
  /* no division: this runs for most pairs the sweep meets */
  return f->index == (e->index + 1 == e->n ? 0 : e->index + 1)
         || e->index == (f->index + 1 == f->n ? 0 : f->index + 1);
}

static gboolean
append_ring_edges (OGRGeometryH ring,
                   guint        ring_number,
                   GArray      *edges,
                   GArray      *points)
{
  int n = OGR_G_GetPointCount (ring);
  guint first = edges->len;
  const double *xy;

  if (n < 4)
    return FALSE;
  g_array_set_size (points, 2 * n);
  xy = (const double *) points->data;
  OGR_G_GetPoints (ring, (double *) xy, 2 * sizeof (double), (double *) xy + 1,
                   2 * sizeof (double), NULL, 0);

  /* Closed, with at least three distinct corners. */
  if (xy[0] != xy[2 * (n - 1)] || xy[1] != xy[2 * (n - 1) + 1])
    return FALSE;

  g_array_set_size (edges, first + n - 1);
  for (int i = 0; i + 1 < n; i++)
    {
      Edge *e = &g_array_index (edges, Edge, first + i);

      e->ax = xy[2 * i];
      e->ay = xy[2 * i + 1];
      e->bx = xy[2 * i + 2];
      e->by = xy[2 * i + 3];
      if (e->ax == e->bx && e->ay == e->by)
        return FALSE;  /* repeated point: let GEOS judge */
      e->min_x = MIN (e->ax, e->bx);
      e->max_x = MAX (e->ax, e->bx);
      e->min_y = MIN (e->ay, e->by);
      e->max_y = MAX (e->ay, e->by);
      e->ring = ring_number;
      e->index = i;
      e->n = n - 1;
    }

  /* Adjacent edges must not fold back onto each other. */
  for (guint i = first; i < edges->len; i++)
    {
      const Edge *e = &g_array_index (edges, Edge, i);
      const Edge *f = &g_array_index (edges, Edge, first + (i - first + 1) % (n - 1));

      if (orientation (e->ax, e->ay, e->bx, e->by, f->bx, f->by) == 0
          && (f->bx - e->bx) * (e->ax - e->bx) + (f->by - e->by) * (e->ay - e->by) > 0)
        return FALSE;
    }
  return TRUE;
}

/* TRUE when @geometry is certainly a valid polygon or multipolygon whose every polygon is
 * a single ring; FALSE means "ask GEOS", not "invalid". */
static gboolean
surely_simple (OGRGeometryH  geometry,
               GArray       *edges,
               GArray       *keys,
               GArray       *points)
{
  const Edge *all;
  EdgeKey *order;
  OGRwkbGeometryType type = wkbFlatten (OGR_G_GetGeometryType (geometry));
  int n_parts = type == wkbPolygon ? 1 : OGR_G_GetGeometryCount (geometry);

  if (type != wkbPolygon && type != wkbMultiPolygon)
    return FALSE;

  g_array_set_size (edges, 0);
  for (int p = 0; p < n_parts; p++)
    {
      OGRGeometryH polygon = type == wkbPolygon ? geometry : OGR_G_GetGeometryRef (geometry, p);

      if (OGR_G_GetGeometryCount (polygon) != 1
          || !append_ring_edges (OGR_G_GetGeometryRef (polygon, 0), p, edges, points))
        return FALSE;
    }

  /* Parts of a multipolygon must also lie apart: one inside another is invalid, and a
   * sweep of edges cannot see that. Disjoint boxes settle it. */
  if (n_parts > 1)
    {
      for (int p = 0; p < n_parts; p++)
        for (int q = p + 1; q < n_parts; q++)
          {
            OGREnvelope a, b;

            OGR_G_GetEnvelope (OGR_G_GetGeometryRef (geometry, p), &a);
            OGR_G_GetEnvelope (OGR_G_GetGeometryRef (geometry, q), &b);
            if (a.MinX <= b.MaxX && b.MinX <= a.MaxX && a.MinY <= b.MaxY && b.MinY <= a.MaxY)
              return FALSE;
          }
    }

  all = (const Edge *) edges->data;
  g_array_set_size (keys, 2 * edges->len);
  order = (EdgeKey *) keys->data;
  for (guint i = 0; i < edges->len; i++)
    order[i] = (EdgeKey) { all[i].min_x, i };
  order = sort_edge_keys (order, order + edges->len, edges->len);
  for (guint i = 0; i < edges->len; i++)
    {
      const Edge *e = &all[order[i].edge];

      for (guint j = i + 1; j < edges->len && order[j].min_x <= e->max_x; j++)
        {
          const Edge *f = &all[order[j].edge];

          if (f->min_y > e->max_y || f->max_y < e->min_y)
            continue;
          if (!adjacent (e, f) && edges_meet (e, f))
            return FALSE;
        }
    }
  return TRUE;
}

/* The area id as text. Numbers keep no decimals; text keeps its leading zeros. */
static char *
read_id (TwAreaReader *self,
         OGRFeatureH   feature)
{
  if (!OGR_F_IsFieldSetAndNotNull (feature, self->id_index))
    return NULL;

  switch (self->id_type)
    {
    case OFTInteger:
    case OFTInteger64:
      return g_strdup_printf ("%" G_GINT64_FORMAT,
                              (gint64) OGR_F_GetFieldAsInteger64 (feature, self->id_index));

    case OFTReal:
      {
        double value = OGR_F_GetFieldAsDouble (feature, self->id_index);

        if (isfinite (value) && value == floor (value) && fabs (value) < 1e15)
          return g_strdup_printf ("%.0f", value);
      }
      G_GNUC_FALLTHROUGH;

    default:
      return g_strstrip (g_strdup (OGR_F_GetFieldAsString (feature, self->id_index)));
    }
}

static char *
read_name (TwAreaReader *self,
           OGRFeatureH   feature)
{
  char *name;

  if (self->name_index < 0 || !OGR_F_IsFieldSetAndNotNull (feature, self->name_index))
    return NULL;

  name = g_strstrip (g_strdup (OGR_F_GetFieldAsString (feature, self->name_index)));
  if (*name == '\0')
    g_clear_pointer (&name, g_free);

  return name;
}

/* Why @text cannot be an id or name that every output can carry on one line, or NULL. */
static const char *
text_problem (const char *text,
              glong       max_chars)
{
  if (!g_utf8_validate (text, -1, NULL))
    return _("is not UTF-8 text; save the file as UTF-8, or declare its encoding (a .cpg "
             "file beside a Shapefile)");
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isprint (g_utf8_get_char (p)))
      return _("holds a control character or a line break; correct it in the source");
  if (g_utf8_strlen (text, -1) > max_chars)
    return max_chars == MAX_ID_CHARS ? _("is longer than 64 characters; check the field")
                                     : _("is longer than 256 characters; check the field");
  return NULL;
}

/* The first coordinate of @geometry (a Polygon or MultiPolygon) that is not a finite
 * number, in @bad as x and y; FALSE when there is none. NaN passes every comparison the
 * validity test makes, so it is looked for first. */
static gboolean
find_non_finite (OGRGeometryH  geometry,
                 GArray       *points,
                 double        bad[2])
{
  OGRwkbGeometryType type = wkbFlatten (OGR_G_GetGeometryType (geometry));
  int n_parts = type == wkbPolygon ? 1 : OGR_G_GetGeometryCount (geometry);

  for (int p = 0; p < n_parts; p++)
    {
      OGRGeometryH polygon = type == wkbPolygon ? geometry : OGR_G_GetGeometryRef (geometry, p);

      for (int r = 0; r < OGR_G_GetGeometryCount (polygon); r++)
        {
          OGRGeometryH ring = OGR_G_GetGeometryRef (polygon, r);
          int n = OGR_G_GetPointCount (ring);
          double *xy;

          g_array_set_size (points, 2 * (guint) n);
          xy = (double *) points->data;
          OGR_G_GetPoints (ring, xy, 2 * sizeof (double), xy + 1, 2 * sizeof (double),
                           NULL, 0);
          for (int i = 0; i < 2 * n; i += 2)
            if (!isfinite (xy[i]) || !isfinite (xy[i + 1]))
              {
                bad[0] = xy[i];
                bad[1] = xy[i + 1];
                return TRUE;
              }
        }
    }
  return FALSE;
}

static const char *
geometry_type_label (OGRwkbGeometryType type)
{
  switch (wkbFlatten (type))
    {
    case wkbPoint:              return "Point";
    case wkbMultiPoint:         return "MultiPoint";
    case wkbLineString:         return "LineString";
    case wkbMultiLineString:    return "MultiLineString";
    case wkbCircularString:     return "CircularString";
    case wkbCompoundCurve:      return "CompoundCurve";
    case wkbMultiCurve:         return "MultiCurve";
    case wkbGeometryCollection: return "GeometryCollection without polygons";
    default:                    return OGRGeometryTypeToName (type);
    }
}

/* Adds the polygons found in @geometry (at any depth of collections) to @multi. */
static void
collect_polygons (OGRGeometryH geometry,
                  OGRGeometryH multi)
{
  OGRwkbGeometryType type = wkbFlatten (OGR_G_GetGeometryType (geometry));

  if (OGR_G_IsEmpty (geometry))
    return;

  if (type == wkbPolygon)
    {
      OGR_G_AddGeometry (multi, geometry);
    }
  else if (type == wkbCurvePolygon || type == wkbMultiSurface || type == wkbMultiPolygon
           || type == wkbGeometryCollection || type == wkbPolyhedralSurface || type == wkbTIN)
    {
      OGRGeometryH linear = NULL;

      if (type == wkbCurvePolygon || type == wkbMultiSurface)
        geometry = linear = OGR_G_GetLinearGeometry (geometry, 0, NULL);
      else if (type == wkbPolyhedralSurface || type == wkbTIN)
        geometry = linear = OGR_G_ForceToMultiPolygon (OGR_G_Clone (geometry));

      if (geometry != NULL && wkbFlatten (OGR_G_GetGeometryType (geometry)) == wkbPolygon)
        OGR_G_AddGeometry (multi, geometry);
      else if (geometry != NULL)
        for (int i = 0; i < OGR_G_GetGeometryCount (geometry); i++)
          collect_polygons (OGR_G_GetGeometryRef (geometry, i), multi);

      if (linear != NULL)
        OGR_G_DestroyGeometry (linear);
    }
}

/* A new Polygon or MultiPolygon holding the polygonal parts of @geometry, or NULL. */
static OGRGeometryH
polygonal_copy (OGRGeometryH geometry)
{
  OGRwkbGeometryType type = wkbFlatten (OGR_G_GetGeometryType (geometry));
  OGRGeometryH multi;
  OGRGeometryH result;

  if (type == wkbPolygon || type == wkbMultiPolygon)
    return OGR_G_Clone (geometry);

  multi = OGR_G_CreateGeometry (wkbMultiPolygon);
  collect_polygons (geometry, multi);

  switch (OGR_G_GetGeometryCount (multi))
    {
    case 0:
      result = NULL;
      break;
    case 1:
      result = OGR_G_Clone (OGR_G_GetGeometryRef (multi, 0));
      break;
    default:
      return multi;
    }

  OGR_G_DestroyGeometry (multi);
  return result;
}

/* GEOS's "structure" method unions overlapping parts of a multipolygon, where the default
 * "linework" method would cut their overlap out as a hole; use it where GEOS has it. */
static OGRGeometryH
make_valid (OGRGeometryH geometry)
{
  const char *options[] = { "METHOD=STRUCTURE", "KEEP_COLLAPSED=NO", NULL };
  OGRGeometryH made_valid = OGR_G_MakeValidEx (geometry, (CSLConstList) options);

  if (made_valid == NULL)
    made_valid = OGR_G_MakeValid (geometry);

  return made_valid;
}

/* --- Reading in a pipeline -----------------------------------------------------------
 *
 * One thread reads features with GDAL (which reads a layer in order only) into batches;
 * each batch's geometry work — the validity test and repair, the reprojection, the box,
 * the WKB — is spread over the cores with tw_parallel_for while the caller stores the
 * batch before it. What depends on the features before (duplicate ids, the skip list, the
 * first refusal) is decided in file order as the caller takes the features, so the result
 * is the one a single thread gives. */

#define BATCH_FEATURES 128
#define N_BATCHES 6

typedef enum
{
  VERDICT_TAKEN,
  VERDICT_SKIPPED,   /* reason in message */
  VERDICT_REFUSED,   /* the whole source; message is the error's */
} Verdict;

typedef struct
{
  gint64         position;
  char          *geoid;
  char          *name;
  OGRGeometryH   geometry;      /* as read; NULL when the feature has none */
  const char    *id_problem;    /* text_problem () of the id, or NULL */
  const char    *name_problem;
  Verdict        verdict;       /* of the geometry */
  char          *message;
  TwAreaFeature  out;
} Item;

typedef enum
{
  BATCH_MORE,
  BATCH_END,         /* the layer is read to its end */
  BATCH_READ_ERROR,  /* message names the feature */
  BATCH_CANCELLED,
} BatchEnd;

typedef struct
{
  Item     items[BATCH_FEATURES];
  guint    n_items;
  guint    next;      /* the next item the caller takes */
  BatchEnd end;
  char    *message;
} Batch;

/* Scratch of one worker of tw_parallel_for: the transformation is not safe to share. */
typedef struct
{
  OGRCoordinateTransformationH transform;
  GArray                      *edges;
  GArray                      *edge_keys;
  GArray                      *points;
} Scratch;

struct _TwAreaPipeline
{
  TwAreaReader *reader;
  GCancellable *cancellable;
  GThread      *thread;
  GAsyncQueue  *filled;
  GAsyncQueue  *empty;
  gint          stop;      /* atomic: the caller wants no more */
  Batch        *current;   /* the batch the caller takes features from */
  Scratch      *scratch;   /* one a worker */
  guint         n_workers;
};

static void
item_clear (Item *item)
{
  g_clear_pointer (&item->geoid, g_free);
  g_clear_pointer (&item->name, g_free);
  g_clear_pointer (&item->geometry, OGR_G_DestroyGeometry);
  g_clear_pointer (&item->message, g_free);
  tw_area_feature_clear (&item->out);
}

static void
batch_clear (Batch *batch)
{
  for (guint i = 0; i < batch->n_items; i++)
    item_clear (&batch->items[i]);
  batch->n_items = 0;
  batch->next = 0;
  batch->end = BATCH_MORE;
  g_clear_pointer (&batch->message, g_free);
}

/* The geometry of one feature, checked, repaired, converted and boxed (any thread). */
static void
check_geometry (TwAreaReader *self,
                Scratch      *scratch,
                Item         *item)
{
  TwAreaFeature *out = &item->out;
  const char *geoid = item->geoid;
  OGRGeometryH geometry;
  OGREnvelope envelope;
  gboolean repaired = FALSE;
  double bad[2];
  int wkb_len;

  item->verdict = VERDICT_REFUSED;
  if (item->geometry == NULL || OGR_G_IsEmpty (item->geometry))
    {
      item->verdict = VERDICT_SKIPPED;
      item->message = g_strdup (_("empty geometry"));
      return;
    }

  {
    OGRwkbGeometryType type = wkbFlatten (OGR_G_GetGeometryType (item->geometry));

    /* A polygon is taken as it is read (no copy); anything else gives its polygons. */
    if (type == wkbPolygon || type == wkbMultiPolygon)
      geometry = g_steal_pointer (&item->geometry);
    else
      geometry = polygonal_copy (item->geometry);
  }
  if (geometry == NULL)
    {
      item->verdict = VERDICT_SKIPPED;
      item->message = g_strdup_printf (_("not a polygon (%s)"),
                                       geometry_type_label (OGR_G_GetGeometryType (
                                                              item->geometry)));
      return;
    }
  g_clear_pointer (&item->geometry, OGR_G_DestroyGeometry);

  OGR_G_Set3D (geometry, FALSE);
  OGR_G_SetMeasured (geometry, FALSE);

  if (find_non_finite (geometry, scratch->points, bad))
    {
      OGR_G_DestroyGeometry (geometry);
      item->message = g_strdup_printf (_("%s: feature %" G_GINT64_FORMAT " (id %s) has a "
                                         "coordinate that is not a finite number (%g, %g); "
                                         "the file is damaged: export it again"),
                                       self->display_name, item->position, geoid, bad[0],
                                       bad[1]);
      return;
    }

  if (!surely_simple (geometry, scratch->edges, scratch->edge_keys, scratch->points) && !OGR_G_IsValid (geometry))
    {
      OGRGeometryH made_valid = make_valid (geometry);
      OGRGeometryH polygons = made_valid != NULL ? polygonal_copy (made_valid) : NULL;

      g_clear_pointer (&made_valid, OGR_G_DestroyGeometry);
      OGR_G_DestroyGeometry (geometry);
      if (polygons == NULL)
        {
          item->message = g_strdup_printf (_("%s: feature %" G_GINT64_FORMAT " (id %s) is a "
                                             "polygon without area that cannot be repaired "
                                             "(fewer than three distinct points, all on one "
                                             "line, or an open ring); correct or delete it in "
                                             "the source"),
                                           self->display_name, item->position, geoid);
          return;
        }
      geometry = polygons;
      repaired = TRUE;
    }

  if (scratch->transform != NULL
      && OGR_G_Transform (geometry, scratch->transform) != OGRERR_NONE)
    {
      OGR_G_DestroyGeometry (geometry);
      item->verdict = VERDICT_SKIPPED;
      item->message = g_strdup_printf (_("its coordinates cannot be converted from %s to "
                                         "longitude/latitude"),
                                       self->source_crs);
      return;
    }

  OGR_G_GetEnvelope (geometry, &envelope);
  if (!isfinite (envelope.MinX) || !isfinite (envelope.MaxX)
      || !isfinite (envelope.MinY) || !isfinite (envelope.MaxY)
      || envelope.MinX < -180.5 || envelope.MaxX > 180.5
      || envelope.MinY < -90.5 || envelope.MaxY > 90.5)
    {
      OGR_G_DestroyGeometry (geometry);
      item->message = g_strdup_printf (_("%s: feature %" G_GINT64_FORMAT " (id %s) is not "
                                         "within longitude/latitude after conversion from %s "
                                         "(x %g to %g, y %g to %g); check its coordinates and "
                                         "the layer's CRS"),
                                       self->display_name, item->position, geoid,
                                       self->source_crs, envelope.MinX, envelope.MaxX,
                                       envelope.MinY, envelope.MaxY);
      return;
    }

  /* A ring of fewer than three distinct points, or all on one line, "repairs" into a
   * polygon of no area: a map cannot show it and a rate cannot be placed on it. */
  if (!(OGR_G_Area (geometry) >= MIN_AREA_DEGREES2))
    {
      OGR_G_DestroyGeometry (geometry);
      item->message = g_strdup_printf (_("%s: feature %" G_GINT64_FORMAT " (id %s) is a "
                                         "polygon without area (fewer than three distinct "
                                         "points, or all on one line); correct or delete it "
                                         "in the source"),
                                       self->display_name, item->position, geoid);
      return;
    }

  wkb_len = OGR_G_WkbSize (geometry);
  out->wkb = g_malloc (wkb_len);
  OGR_G_ExportToIsoWkb (geometry, wkbNDR, out->wkb);
  out->wkb_len = wkb_len;
  OGR_G_DestroyGeometry (geometry);

  out->feature = item->position;
  out->min_lon = envelope.MinX;
  out->min_lat = envelope.MinY;
  out->max_lon = envelope.MaxX;
  out->max_lat = envelope.MaxY;
  out->repaired = repaired;
  item->verdict = VERDICT_TAKEN;
}

typedef struct
{
  TwAreaPipeline *pipeline;
  Batch          *batch;
} CheckJob;

static void
check_items (gpointer user_data,
             guint    worker,
             gsize    begin,
             gsize    end)
{
  CheckJob *job = user_data;
  TwAreaReader *self = job->pipeline->reader;
  Scratch *scratch = &job->pipeline->scratch[worker];

  CPLPushErrorHandler (CPLQuietErrorHandler);
  for (gsize i = begin; i < end; i++)
    {
      Item *item = &job->batch->items[i];

      /* The id's and name's problems come before the geometry's, but only a duplicate
       * id, known in file order, can still skip the feature: the geometry is checked
       * anyway, and what counts is decided in tw_area_reader_next (). */
      if (item->geoid != NULL && *item->geoid != '\0')
        item->id_problem = text_problem (item->geoid, MAX_ID_CHARS);
      if (item->name != NULL)
        item->name_problem = text_problem (item->name, MAX_NAME_CHARS);
      if (item->geoid != NULL && *item->geoid != '\0' && item->id_problem == NULL
          && item->name_problem == NULL)
        check_geometry (self, scratch, item);
    }
  CPLPopErrorHandler ();
}

static gpointer
pipeline_thread (gpointer data)
{
  TwAreaPipeline *pipeline = data;
  TwAreaReader *self = pipeline->reader;
  gint64 position = 0;
  BatchEnd end = BATCH_MORE;

  CPLPushErrorHandler (CPLQuietErrorHandler);
  while (end == BATCH_MORE)
    {
      Batch *batch = g_async_queue_pop (pipeline->empty);
      CheckJob job = { pipeline, batch };

      while (batch->n_items < BATCH_FEATURES)
        {
          OGRFeatureH feature;
          Item *item;

          if (g_atomic_int_get (&pipeline->stop)
              || g_cancellable_is_cancelled (pipeline->cancellable))
            {
              end = BATCH_CANCELLED;
              break;
            }
          CPLErrorReset ();
          feature = OGR_L_GetNextFeature (self->layer);
          if (CPLGetLastErrorType () == CE_Failure || CPLGetLastErrorType () == CE_Fatal)
            {
              g_autofree char *reason = gdal_message (_("unknown error"));

              g_clear_pointer (&feature, OGR_F_Destroy);
              batch->message = g_strdup_printf (_("%s: feature %" G_GINT64_FORMAT " cannot "
                                                  "be read (%s); the file may be truncated "
                                                  "or damaged — export it again"),
                                                self->display_name, position + 1, reason);
              end = BATCH_READ_ERROR;
              break;
            }
          if (feature == NULL)
            {
              end = BATCH_END;
              break;
            }
          item = &batch->items[batch->n_items++];
          memset (item, 0, sizeof *item);
          item->position = ++position;
          item->geoid = read_id (self, feature);
          item->name = read_name (self, feature);
          item->geometry = OGR_F_StealGeometry (feature);
          OGR_F_Destroy (feature);
        }
      batch->end = end;
      tw_parallel_for (batch->n_items, 8, pipeline->n_workers, check_items, &job);
      g_async_queue_push (pipeline->filled, batch);
    }
  CPLPopErrorHandler ();
  return NULL;
}

static TwAreaPipeline *
pipeline_start (TwAreaReader *self,
                GCancellable *cancellable)
{
  TwAreaPipeline *pipeline = g_new0 (TwAreaPipeline, 1);

  pipeline->reader = self;
  pipeline->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  pipeline->filled = g_async_queue_new ();
  pipeline->empty = g_async_queue_new ();
  pipeline->n_workers = tw_parallel_threads (0);
  pipeline->scratch = g_new0 (Scratch, pipeline->n_workers);
  for (guint w = 0; w < pipeline->n_workers; w++)
    {
      pipeline->scratch[w].edges = g_array_new (FALSE, FALSE, sizeof (Edge));
      pipeline->scratch[w].edge_keys = g_array_new (FALSE, FALSE, sizeof (EdgeKey));
      pipeline->scratch[w].points = g_array_new (FALSE, FALSE, sizeof (double));
      if (self->transform != NULL)
        pipeline->scratch[w].transform = OCTClone (self->transform);
    }
  for (guint i = 0; i < N_BATCHES; i++)
    g_async_queue_push (pipeline->empty, g_new0 (Batch, 1));
  pipeline->thread = g_thread_new ("tw-area-reader", pipeline_thread, pipeline);
  return pipeline;
}

static void
pipeline_free (TwAreaPipeline *pipeline)
{
  Batch *batch = pipeline->current;

  /* The reading thread ends at its next batch: take batches until the last. */
  g_atomic_int_set (&pipeline->stop, 1);
  while (batch == NULL || batch->end == BATCH_MORE)
    {
      if (batch != NULL)
        {
          batch_clear (batch);
          g_async_queue_push (pipeline->empty, batch);
        }
      batch = g_async_queue_pop (pipeline->filled);
    }
  g_thread_join (pipeline->thread);
  batch_clear (batch);
  g_free (batch);
  while ((batch = g_async_queue_try_pop (pipeline->empty)) != NULL)
    g_free (batch);
  for (guint w = 0; w < pipeline->n_workers; w++)
    {
      g_clear_pointer (&pipeline->scratch[w].transform, OCTDestroyCoordinateTransformation);
      g_array_unref (pipeline->scratch[w].edges);
      g_array_unref (pipeline->scratch[w].edge_keys);
      g_array_unref (pipeline->scratch[w].points);
    }
  g_free (pipeline->scratch);
  g_async_queue_unref (pipeline->filled);
  g_async_queue_unref (pipeline->empty);
  g_clear_object (&pipeline->cancellable);
  g_free (pipeline);
}

/* Decides one feature in file order: fills @out and returns TRUE when it is a usable area.
 * Otherwise records why it was left out and returns FALSE, or, when the feature cannot be
 * right (the file is damaged or mislabelled), sets @error: the whole source is refused. */
static gboolean
take_item (TwAreaReader  *self,
           Item          *item,
           TwAreaFeature *out,
           GError       **error)
{
  gint64 *first_seen;

  self->position = item->position;
  if (item->geoid == NULL || *item->geoid == '\0')
    {
      add_skip (self, g_strdup_printf (_("no id (the field '%s' is empty)"), self->id_field));
      return FALSE;
    }
  if (item->id_problem != NULL)
    {
      g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_FEATURE,
                   _("%s: feature %" G_GINT64_FORMAT ", field '%s' (the id) %s"),
                   self->display_name, self->position, self->id_field, item->id_problem);
      return FALSE;
    }
  if (item->name_problem != NULL)
    {
      g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_FEATURE,
                   _("%s: feature %" G_GINT64_FORMAT " (id %s), field '%s' (the name) %s"),
                   self->display_name, self->position, item->geoid, self->name_field,
                   item->name_problem);
      return FALSE;
    }

  first_seen = g_hash_table_lookup (self->seen_ids, item->geoid);
  if (first_seen != NULL)
    {
      add_skip (self, g_strdup_printf (_("duplicate id '%s' (first seen at feature %"
                                         G_GINT64_FORMAT ")"),
                                       item->geoid, *first_seen));
      return FALSE;
    }

  switch (item->verdict)
    {
    case VERDICT_SKIPPED:
      add_skip (self, g_steal_pointer (&item->message));
      return FALSE;
    case VERDICT_REFUSED:
      g_set_error_literal (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_FEATURE,
                           item->message);
      return FALSE;
    case VERDICT_TAKEN:
    default:
      break;
    }

  *out = item->out;
  memset (&item->out, 0, sizeof item->out);
  out->name = g_steal_pointer (&item->name);
  if (out->repaired)
    self->repaired++;

  first_seen = g_new (gint64, 1);
  *first_seen = self->position;
  g_hash_table_insert (self->seen_ids, g_strdup (item->geoid), first_seen);
  out->geoid = g_steal_pointer (&item->geoid);
  return TRUE;
}

static gboolean
read_next (TwAreaReader   *self,
           TwAreaFeature  *out,
           GCancellable   *cancellable,
           GError        **error)
{
  if (self->pipeline == NULL)
    self->pipeline = pipeline_start (self, cancellable);

  for (;;)
    {
      TwAreaPipeline *pipeline = self->pipeline;
      Batch *batch = pipeline->current;
      GError *refusal = NULL;
      gboolean taken;

      if (g_cancellable_is_cancelled (cancellable))
        {
          g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_CANCELLED,
                       _("%s: reading the areas was cancelled at feature %" G_GINT64_FORMAT),
                       self->display_name, self->position + 1);
          self->finished = TRUE;
          return FALSE;
        }

      if (batch != NULL && batch->next == batch->n_items && batch->end == BATCH_MORE)
        {
          batch_clear (batch);
          g_async_queue_push (pipeline->empty, batch);
          batch = pipeline->current = NULL;
        }
      if (batch == NULL)
        batch = pipeline->current = g_async_queue_pop (pipeline->filled);

      if (batch->next == batch->n_items)
        {
          self->finished = TRUE;
          if (batch->end == BATCH_CANCELLED)
            {
              g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_CANCELLED,
                           _("%s: reading the areas was cancelled at feature %"
                             G_GINT64_FORMAT), self->display_name, self->position + 1);
              return FALSE;
            }
          if (batch->end == BATCH_READ_ERROR)
            {
              g_set_error_literal (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_READ,
                                   batch->message);
              return FALSE;
            }
          if (self->yielded == 0 && self->skipped->len > 0)
            {
              TwAreaSkip *first = g_ptr_array_index (self->skipped, 0);

              g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_EMPTY,
                           _("%s: layer '%s' holds no polygon that can be imported "
                             "(%" G_GINT64_FORMAT " features, %u skipped; feature %"
                             G_GINT64_FORMAT ": %s); check that it is the right layer"),
                           self->display_name, self->layer_name, self->position,
                           self->skipped->len, first->feature, first->reason);
              return FALSE;
            }
          if (self->yielded == 0)
            {
              g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_EMPTY,
                           _("%s: layer '%s' holds no polygon that can be imported "
                             "(%" G_GINT64_FORMAT " features); check that it is the right "
                             "layer"),
                           self->display_name, self->layer_name, self->position);
              return FALSE;
            }
          return FALSE;
        }

      taken = take_item (self, &batch->items[batch->next++], out, &refusal);
      if (refusal != NULL)
        {
          self->finished = TRUE;
          g_propagate_error (error, refusal);
          return FALSE;
        }
      if (taken)
        {
          self->yielded++;
          return TRUE;
        }
    }
}

/**
 * tw_area_reader_open:
 *
 * Returns: (transfer full) (nullable): the reader, or %NULL with @error set
 */
TwAreaReader *
tw_area_reader_open (const char  *path,
                     const char  *layer,
                     const char  *id_field,
                     const char  *name_field,
                     const char  *assume_crs,
                     GError     **error)
{
  g_autoptr(TwAreaReader) self = NULL;
  g_autofree char *trimmed = NULL;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tw_gdal_init ();

  self = g_new0 (TwAreaReader, 1);
  trimmed = g_strdup (path);
  /* a folder given with a trailing slash still has a useful basename */
  while (strlen (trimmed) > 1 && G_IS_DIR_SEPARATOR (trimmed[strlen (trimmed) - 1]))
    trimmed[strlen (trimmed) - 1] = '\0';
  self->display_name = g_filename_display_basename (trimmed);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->skipped = g_ptr_array_new_with_free_func (area_skip_free);
  self->seen_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->id_index = -1;
  self->name_index = -1;

  if (assume_crs != NULL && *assume_crs == '\0')
    assume_crs = NULL;

  CPLPushErrorHandler (CPLQuietErrorHandler);

  self->dataset = open_dataset (path, self->display_name, error);
  ok = self->dataset != NULL && pick_layer (self, layer, error);

  if (ok)
    {
      self->feature_count = OGR_L_GetFeatureCount (self->layer, FALSE);

      if (self->feature_count == 0)
        {
          g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_EMPTY,
                       _("%s: layer '%s' holds no features, so there are no areas to "
                         "import; check that the file was exported whole and is the right "
                         "layer"),
                       self->display_name, self->layer_name);
          ok = FALSE;
        }
    }

  if (ok && OGR_L_GetGeomType (self->layer) == wkbNone)
    {
      g_set_error (error, TW_AREA_READER_ERROR, TW_AREA_READER_ERROR_EMPTY,
                   _("%s: layer '%s' is a table without geometry, so it holds no areas; "
                     "choose a layer with polygons"),
                   self->display_name, self->layer_name);
      ok = FALSE;
    }

  ok = ok && pick_fields (self, id_field, name_field, error);
  ok = ok && set_up_crs (self, assume_crs, error);

  if (ok)
    OGR_L_ResetReading (self->layer);

  CPLPopErrorHandler ();

  if (!ok)
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * tw_area_reader_list_layers:
 *
 * Returns: (transfer full): the names of the layers of @path, for a user to pick one
 */
char **
tw_area_reader_list_layers (const char  *path,
                            GError     **error)
{
  g_autofree char *display_name = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  GDALDatasetH dataset;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tw_gdal_init ();
  display_name = g_filename_display_basename (path);

  CPLPushErrorHandler (CPLQuietErrorHandler);
  dataset = open_dataset (path, display_name, error);
  CPLPopErrorHandler ();

  if (dataset == NULL)
    return NULL;

  builder = g_strv_builder_new ();
  for (int i = 0; i < GDALDatasetGetLayerCount (dataset); i++)
    g_strv_builder_add (builder, OGR_L_GetName (GDALDatasetGetLayer (dataset, i)));
  GDALClose (dataset);

  return g_strv_builder_end (builder);
}

void
tw_area_reader_free (TwAreaReader *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->pipeline, pipeline_free);
  CPLPushErrorHandler (CPLQuietErrorHandler);
  g_clear_pointer (&self->transform, OCTDestroyCoordinateTransformation);
  g_clear_pointer (&self->source_srs, OSRDestroySpatialReference);
  g_clear_pointer (&self->target_srs, OSRDestroySpatialReference);
  g_clear_pointer (&self->dataset, GDALClose);
  CPLPopErrorHandler ();
  g_clear_pointer (&self->seen_ids, g_hash_table_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_clear_pointer (&self->skipped, g_ptr_array_unref);
  g_free (self->display_name);
  g_free (self->layer_name);
  g_free (self->id_field);
  g_free (self->name_field);
  g_free (self->source_crs);
  g_free (self);
}

const char *
tw_area_reader_get_layer_name (TwAreaReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->layer_name;
}

const char *
tw_area_reader_get_id_field (TwAreaReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->id_field;
}

const char *
tw_area_reader_get_name_field (TwAreaReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->name_field;
}

const char *
tw_area_reader_get_source_crs (TwAreaReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->source_crs;
}

gint64
tw_area_reader_get_feature_count (TwAreaReader *self)
{
  g_return_val_if_fail (self != NULL, -1);

  return self->feature_count;
}

GPtrArray *
tw_area_reader_get_warnings (TwAreaReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->warnings;
}

GPtrArray *
tw_area_reader_get_skipped (TwAreaReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->skipped;
}

guint
tw_area_reader_get_repaired (TwAreaReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->repaired;
}

gboolean
tw_area_reader_next (TwAreaReader   *self,
                     TwAreaFeature  *out,
                     GCancellable   *cancellable,
                     GError        **error)
{
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  tw_area_feature_clear (out);

  if (self->finished)
    return FALSE;

  CPLPushErrorHandler (CPLQuietErrorHandler);
  ok = read_next (self, out, cancellable, error);
  CPLPopErrorHandler ();

  return ok;
}

void
tw_area_feature_clear (TwAreaFeature *feature)
{
  g_return_if_fail (feature != NULL);

  g_free (feature->geoid);
  g_free (feature->name);
  g_free (feature->wkb);
  memset (feature, 0, sizeof *feature);
}
