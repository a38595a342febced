/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-share-package"

#include <math.h>
#include <string.h>

#include <ogr_api.h>

#include "tw-project.h"
#include "tw-store-private.h"
#include "tw-share-package.h"
#include "tw-untrusted.h"

/* What a text value may hold. */
enum
{
  TEXT_NULLABLE = 1 << 0,   /* may be null (else: required, not blank) */
  TEXT_LINES    = 1 << 1,   /* may hold tabs and line breaks */
};

#define MAX_NAME 1000          /* codes, names, labels */
#define MAX_CODE 200           /* geographies, periods, groups, kinds */
#define MAX_GEOID 64
#define MAX_PROSE 100000       /* aims, sources, the policy */
#define MAX_LIST (8 << 20)     /* a project's GEOIDs, the metadata's lists */
#define MAX_METADATA_ROWS 1000
#define MAX_GEOGRAPHIES 1000
#define SUPPORTED_VERSION 1

G_DEFINE_QUARK (tw-share-error-quark, tw_share_error)

struct _TwSharePackage
{
  char        *path;
  TwUntrusted *db;
  GCancellable *cancellable;
  GHashTable  *metadata;        /* key → value */
  char        *geometry_column; /* of the areas table */
  gint64       srs_id;          /* of the areas table: EPSG:4326 */
  gboolean     has_contacts;
};

/* Where a value was read, for messages. */
typedef struct
{
  TwSharePackage *package;
  sqlite3_stmt   *stmt;
  const char     *table;
  guint           row;
} Cursor;

gboolean
tw_share_package_damaged (GError    **error,
                          const char *path,
                          const char *format,
                          ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
               "%s: the share package is damaged or unsafe: %s; ask its sender for a new "
               "one", path, what);
  return FALSE;
}

static gboolean
bad_value (Cursor     *c,
           int         column,
           GError    **error,
           const char *format,
           ...) G_GNUC_PRINTF (4, 5);

static gboolean
bad_value (Cursor     *c,
           int         column,
           GError    **error,
           const char *format,
           ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  return tw_share_package_damaged (error, c->package->path, "table '%s', row %u: %s %s",
                                   c->table, c->row, sqlite3_column_name (c->stmt, column),
                                   what);
}

/* An error of the untrusted file, as the one line a package gets. */
static gboolean
wrap_error (TwSharePackage  *self,
            GError          *local,
            GError         **error)
{
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || local->domain == TW_SHARE_ERROR)
    g_propagate_error (error, local);
  else
    {
      tw_share_package_damaged (error, self->path, "%s", local->message);
      g_error_free (local);
    }
  return FALSE;
}

static gboolean
read_text (Cursor      *c,
           int          column,
           gsize        max,
           guint        flags,
           const char **out,
           GError     **error)
{
  int type = sqlite3_column_type (c->stmt, column);
  const char *text;
  int length;

  *out = NULL;
  if (type == SQLITE_NULL)
    return (flags & TEXT_NULLABLE) != 0 || bad_value (c, column, error, "is empty");
  if (type != SQLITE_TEXT)
    return bad_value (c, column, error, "is %s, not text",
                      type == SQLITE_BLOB ? "binary" : "a number");
  length = sqlite3_column_bytes (c->stmt, column);
  if ((gsize) length > max)
    return bad_value (c, column, error, "is %d bytes long, more than the %" G_GSIZE_FORMAT
                      " it may be", length, max);
  text = (const char *) sqlite3_column_text (c->stmt, column);
  if (text == NULL)
    return bad_value (c, column, error, "cannot be read");
  if (strlen (text) != (size_t) length)
    return bad_value (c, column, error, "holds a zero byte");
  if (!g_utf8_validate (text, length, NULL))
    return bad_value (c, column, error, "is not UTF-8 text");
  for (int i = 0; i < length; i++)
    {
      guchar b = (guchar) text[i];

      if ((b < 0x20 || b == 0x7f)
          && !((flags & TEXT_LINES) != 0 && (b == '\n' || b == '\t' || b == '\r')))
        return bad_value (c, column, error, "holds a control character (byte %d)", i + 1);
    }
  if ((flags & TEXT_NULLABLE) == 0)
    {
      gboolean blank = TRUE;

      for (int i = 0; i < length && blank; i++)
        blank = g_ascii_isspace (text[i]);
      if (blank)
        return bad_value (c, column, error, "is empty");
    }
  *out = text;
  return TRUE;
}

/* A finite number (integer or real), or NAN for null when @nullable. */
static gboolean
read_number (Cursor    *c,
             int        column,
             gboolean   nullable,
             double     min,
             double     max,
             double    *out,
             GError   **error)
{
  int type = sqlite3_column_type (c->stmt, column);
  double value;

  *out = NAN;
  if (type == SQLITE_NULL)
    return nullable || bad_value (c, column, error, "is empty");
  if (type != SQLITE_INTEGER && type != SQLITE_FLOAT)
    return bad_value (c, column, error, "is %s, not a number",
                      type == SQLITE_BLOB ? "binary" : "text");
  value = sqlite3_column_double (c->stmt, column);
  if (!isfinite (value))
    return bad_value (c, column, error, "is not a finite number");
  if (value < min)
    return bad_value (c, column, error, "is %s (%g)", min == 0.0 ? "negative" : "too small",
                      value);
  if (value > max)
    return bad_value (c, column, error, "is %g, more than %g", value, max);
  *out = value;
  return TRUE;
}

static gboolean
read_id (Cursor  *c,
         int      column,
         gint64  *out,
         GError **error)
{
  if (sqlite3_column_type (c->stmt, column) != SQLITE_INTEGER
      || sqlite3_column_int64 (c->stmt, column) <= 0)
    return bad_value (c, column, error, "is not a positive whole number");
  *out = sqlite3_column_int64 (c->stmt, column);
  return TRUE;
}

static gboolean
read_flag (Cursor    *c,
           int        column,
           gboolean  *out,
           GError   **error)
{
  int type = sqlite3_column_type (c->stmt, column);
  gint64 value = sqlite3_column_int64 (c->stmt, column);

  *out = FALSE;
  if (type == SQLITE_NULL)
    return TRUE;
  if (type != SQLITE_INTEGER || (value != 0 && value != 1))
    return bad_value (c, column, error, "is not 0 or 1");
  *out = value == 1;
  return TRUE;
}

static gboolean
check_table (TwSharePackage     *self,
             const char         *table,
             const char *const  *columns,
             GError            **error)
{
  GError *local = NULL;

  if (!tw_untrusted_check_table (self->db, table, columns, &local))
    return wrap_error (self, local, error);
  return TRUE;
}

static sqlite3_stmt *
prepare (TwSharePackage  *self,
         const char      *sql,
         GError         **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = tw_untrusted_prepare (self->db, sql, &local);

  if (stmt == NULL)
    wrap_error (self, local, error);
  return stmt;
}

/* 1 row, 0 done, -1 error. */
static int
step (TwSharePackage  *self,
      sqlite3_stmt    *stmt,
      GError         **error)
{
  GError *local = NULL;
  int rc = tw_untrusted_step (self->db, stmt, &local);

  if (rc < 0)
    wrap_error (self, local, error);
  return rc;
}

/* The areas' outlines are in a column gpkg_geometry_columns names, in EPSG:4326. */
static gboolean
read_geometry_column (TwSharePackage  *self,
                      GError         **error)
{
  static const char *const geometry_columns[] = { "table_name", "column_name", "srs_id", NULL };
  static const char *const srs_columns[] = { "srs_id", "organization",
                                             "organization_coordsys_id", NULL };
  sqlite3_stmt *stmt;
  Cursor c = { self, NULL, "gpkg_geometry_columns", 0 };
  const char *name;
  gboolean ok = TRUE;
  int rc;

  if (!check_table (self, "gpkg_geometry_columns", geometry_columns, error)
      || !check_table (self, "gpkg_spatial_ref_sys", srs_columns, error))
    return FALSE;
  stmt = prepare (self, "SELECT column_name, srs_id FROM gpkg_geometry_columns "
                  "WHERE table_name = 'areas'", error);
  if (stmt == NULL)
    return FALSE;
  c.stmt = stmt;
  rc = step (self, stmt, error);
  c.row = 1;
  if (rc == 0)
    ok = tw_share_package_damaged (error, self->path, "the 'areas' table has no outlines");
  else if (rc < 0)
    ok = FALSE;
  else if (read_text (&c, 0, 64, 0, &name, error))
    {
      /* Only a plain name: it goes into our SQL, quoted. */
      for (const char *p = name; *p != '\0' && ok; p++)
        ok = g_ascii_isalnum (*p) || *p == '_';
      if (!ok)
        tw_share_package_damaged (error, self->path, "the areas' outline column has the "
                                  "name '%s'", name);
      self->geometry_column = g_strdup (name);
      self->srs_id = sqlite3_column_int64 (stmt, 1);
    }
  else
    ok = FALSE;
  sqlite3_finalize (stmt);
  if (!ok)
    return FALSE;

  stmt = prepare (self, "SELECT organization, organization_coordsys_id "
                  "FROM gpkg_spatial_ref_sys WHERE srs_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->srs_id);
  rc = step (self, stmt, error);
  if (rc == 1 && g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0) != NULL
                                     ? (const char *) sqlite3_column_text (stmt, 0) : "",
                                     "EPSG") == 0
      && sqlite3_column_int64 (stmt, 1) == 4326)
    ok = TRUE;
  else if (rc >= 0)
    ok = tw_share_package_damaged (error, self->path, "its areas are not in longitude and "
                                   "latitude (EPSG:4326)");
  else
    ok = FALSE;
  sqlite3_finalize (stmt);
  return ok;
}

/* A GeoPackage of someone else's has no metadata at all. */
static gboolean
check_has_metadata (TwSharePackage  *self,
                    GError         **error)
{
  GError *local = NULL;

  if (!tw_untrusted_has_table (self->db, "metadata", &local))
    {
      if (local != NULL)
        return wrap_error (self, local, error);
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_NOT_A_PACKAGE,
                   "%s: not a Tractwise share package (a GeoPackage whose metadata table "
                   "says package = %s)", self->path, TW_SHARE_PACKAGE_NAME);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_metadata (TwSharePackage  *self,
               GError         **error)
{
  static const char *const columns[] = { "key", "value", NULL };
  static const struct { const char *key; guint max; } short_values[] = {
    { "package", 64 }, { "package_version", 16 }, { "package_id", 64 }, { "created_at", 64 },
    { "created_by", 400 }, { "tractwise_version", 64 }, { "source_project", 1000 },
    { "policy_preset", 64 }, { "policy_min_count", 16 }, { "contacts_included", 16 },
    { "policy", 4000 }, { "geographies", 1 << 20 },
  };
  sqlite3_stmt *stmt;
  Cursor c = { self, NULL, "metadata", 0 };
  const char *package, *version, *created_at;
  guint64 number = 0;
  int rc;

  if (!check_table (self, "metadata", columns, error))
    return FALSE;
  stmt = prepare (self, "SELECT key, value FROM metadata", error);
  if (stmt == NULL)
    return FALSE;
  c.stmt = stmt;
  while ((rc = step (self, stmt, error)) == 1)
    {
      const char *key, *value;

      c.row++;
      if (c.row > MAX_METADATA_ROWS)
        {
          sqlite3_finalize (stmt);
          return tw_share_package_damaged (error, self->path, "its metadata has more than %d "
                                           "rows", MAX_METADATA_ROWS);
        }
      if (!read_text (&c, 0, MAX_CODE, 0, &key, error)
          || !read_text (&c, 1, MAX_LIST, TEXT_NULLABLE | TEXT_LINES, &value, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
      if (g_hash_table_contains (self->metadata, key))
        {
          bad_value (&c, 0, error, "'%s' is given twice", key);
          sqlite3_finalize (stmt);
          return FALSE;
        }
      g_hash_table_insert (self->metadata, g_strdup (key), g_strdup (value != NULL ? value : ""));
    }
  sqlite3_finalize (stmt);
  if (rc < 0)
    return FALSE;

  /* What the window shows in one line (its banner, the comments file) is one short line. */
  for (guint i = 0; i < G_N_ELEMENTS (short_values); i++)
    {
      const char *value = g_hash_table_lookup (self->metadata, short_values[i].key);

      if (value == NULL)
        continue;
      if (strlen (value) > short_values[i].max)
        return tw_share_package_damaged (error, self->path, "table 'metadata': %s is longer "
                                         "than %u bytes", short_values[i].key,
                                         short_values[i].max);
      for (const char *at = value; *at != '\0'; at++)
        if ((guchar) *at < 0x20)
          return tw_share_package_damaged (error, self->path, "table 'metadata': %s holds a "
                                           "control character", short_values[i].key);
    }

  package = g_hash_table_lookup (self->metadata, "package");
  version = g_hash_table_lookup (self->metadata, "package_version");
  created_at = g_hash_table_lookup (self->metadata, "created_at");
  if (g_strcmp0 (package, TW_SHARE_PACKAGE_NAME) != 0)
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_NOT_A_PACKAGE,
                   "%s: not a Tractwise share package (a GeoPackage whose metadata table "
                   "says package = %s)", self->path, TW_SHARE_PACKAGE_NAME);
      return FALSE;
    }
  if (version == NULL || !g_ascii_string_to_unsigned (version, 10, 1, G_MAXINT, &number, NULL))
    return tw_share_package_damaged (error, self->path, "its metadata gives no package_version");
  if (number > SUPPORTED_VERSION)
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_INVALID,
                   "%s: made by a newer Tractwise (share package version %s; this version "
                   "reads up to %d); update Tractwise to open it", self->path, version,
                   SUPPORTED_VERSION);
      return FALSE;
    }
  {
    g_autoptr(GDateTime) made = created_at != NULL ? g_date_time_new_from_iso8601 (created_at,
                                                                                  NULL)
                                                   : NULL;

    if (made == NULL)
      return tw_share_package_damaged (error, self->path, "its metadata has no valid "
                                       "created_at time");
  }
  if (!g_ascii_string_to_unsigned (g_hash_table_lookup (self->metadata, "policy_min_count")
                                   ? g_hash_table_lookup (self->metadata, "policy_min_count")
                                   : "", 10, 1, G_MAXINT32, NULL, NULL))
    return tw_share_package_damaged (error, self->path, "its metadata names no suppression "
                                     "threshold (policy_min_count)");
  return TRUE;
}

TwSharePackage *
tw_share_package_open (const char    *path,
                       GCancellable  *cancellable,
                       GError       **error)
{
  static const char *const tables[][14] = {
    { "areas", "geography", "geoid", "name", NULL },
    { "measures", "code", "label", "kind", "multiplier", "higher_is_worse", "source", NULL },
    { "rates", "geography", "geoid", "measure", "period", "stratum", "numerator",
      "denominator", "suppressed", NULL },
    { "partners", "id", "name", "kind", "agreement", NULL },
    { "projects", "id", "title", "aim", "measure", "stratum", "geography", "status",
      "start_date", "end_date", "goal_percent", "partners", "geoids", NULL },
  };
  g_autoptr(TwSharePackage) self = NULL;
  GError *local = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  self = g_new0 (TwSharePackage, 1);
  self->path = g_strdup (path);
  self->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  self->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->db = tw_untrusted_open (path, TW_SHARE_MAX_PACKAGE_SIZE, cancellable, &local);
  if (self->db == NULL)
    {
      if (g_error_matches (local, TW_UNTRUSTED_ERROR, TW_UNTRUSTED_ERROR_NOT_SQLITE)
          || g_error_matches (local, TW_UNTRUSTED_ERROR, TW_UNTRUSTED_ERROR_UNREADABLE))
        {
          g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_NOT_A_PACKAGE,
                       "%s: not a Tractwise share package: %s", path, local->message);
          g_error_free (local);
          return NULL;
        }
      wrap_error (self, local, error);
      return NULL;
    }
  /* Before any SQL: whose file is it? */
  if (tw_untrusted_get_application_id (self->db) != TW_GEOPACKAGE_APPLICATION_ID)
    {
      g_set_error (error, TW_SHARE_ERROR, TW_SHARE_ERROR_NOT_A_PACKAGE,
                   "%s: not a Tractwise share package: it is an SQLite file of another "
                   "application (application_id 0x%08x, not a GeoPackage's 0x%08x)", path,
                   tw_untrusted_get_application_id (self->db), TW_GEOPACKAGE_APPLICATION_ID);
      return NULL;
    }
  /* Each table is known to be an ordinary table before a row of it is read; the metadata
   * first, which says whether a newer Tractwise made the rest. */
  if (!check_has_metadata (self, error) || !read_metadata (self, error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (!check_table (self, tables[i][0], &tables[i][1], error))
      return NULL;
  if (!read_geometry_column (self, error))
    return NULL;
  {
    static const char *const contacts[] = { "contact", "email", "phone", NULL };

    self->has_contacts = tw_untrusted_check_table (self->db, "partners", contacts, NULL);
  }
  return g_steal_pointer (&self);
}

void
tw_share_package_close (TwSharePackage *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->db, tw_untrusted_close);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->metadata, g_hash_table_unref);
  g_free (self->geometry_column);
  g_free (self->path);
  g_free (self);
}

GHashTable *
tw_share_package_get_metadata (TwSharePackage *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->metadata;
}

/* Reading the tables */

typedef struct
{
  TwSharePackage              *package;
  const TwSharePackageVisitor *visitor;
  gpointer                     data;
  GHashTable                  *areas;     /* "geography\ngeoid" set */
  GHashTable                  *geographies;
  GHashTable                  *measures;  /* code → kind (static) */
  GHashTable                  *ids;       /* partner or project ids, per table */
  GByteArray                  *wkb;
} Reader;

static char *
area_key (const char *geography,
          const char *geoid)
{
  return g_strconcat (geography, "\n", geoid, NULL);
}

/* A GeoPackage geometry blob: 'GP', version, flags, srs_id, an envelope, then WKB. The
 * outline must be a (multi)polygon in the layer's CRS with finite lon/lat. */
static gboolean
read_outline (Reader         *r,
              Cursor         *c,
              int             column,
              TwPackageArea  *area,
              GError        **error)
{
  static const guint envelope_sizes[8] = { 0, 32, 48, 48, 64, 0, 0, 0 };
  const guchar *blob = sqlite3_column_blob (c->stmt, column);
  gsize size = sqlite3_column_bytes (c->stmt, column);
  OGRGeometryH geometry = NULL;
  OGREnvelope box;
  guint flags, envelope, header;
  gint32 srs_id;
  gboolean ok = TRUE;

  if (sqlite3_column_type (c->stmt, column) != SQLITE_BLOB || size < 8 || blob[0] != 'G'
      || blob[1] != 'P')
    return bad_value (c, column, error, "is not a GeoPackage outline");
  flags = blob[3];
  envelope = (flags >> 1) & 7;
  if ((flags & 0x20) != 0 || (envelope > 4) || (flags & 0x10) != 0)
    return bad_value (c, column, error, "is %s", (flags & 0x10) != 0 ? "an empty outline"
                      : "an outline of a kind Tractwise does not read");
  memcpy (&srs_id, blob + 4, 4);
  if ((flags & 1) != (G_BYTE_ORDER == G_LITTLE_ENDIAN))
    srs_id = (gint32) GUINT32_SWAP_LE_BE ((guint32) srs_id);
  if (srs_id != r->package->srs_id)
    return bad_value (c, column, error, "is in another coordinate system (srs %d)", srs_id);
  header = 8 + envelope_sizes[envelope];
  if (size <= header
      || OGR_G_CreateFromWkb (blob + header, NULL, &geometry, (int) (size - header))
         != OGRERR_NONE || geometry == NULL)
    return bad_value (c, column, error, "is not a readable outline");

  switch (wkbFlatten (OGR_G_GetGeometryType (geometry)))
    {
    case wkbPolygon:
    case wkbMultiPolygon:
      break;
    default:
      OGR_G_DestroyGeometry (geometry);
      return bad_value (c, column, error, "is not a polygon");
    }
  geometry = OGR_G_ForceToMultiPolygon (geometry);
  OGR_G_FlattenTo2D (geometry);
  if (OGR_G_IsEmpty (geometry))
    ok = bad_value (c, column, error, "is an empty outline");
  for (int p = 0; ok && p < OGR_G_GetGeometryCount (geometry); p++)
    {
      OGRGeometryH polygon = OGR_G_GetGeometryRef (geometry, p);

      for (int ring = 0; ok && ring < OGR_G_GetGeometryCount (polygon); ring++)
        {
          OGRGeometryH line = OGR_G_GetGeometryRef (polygon, ring);
          int n = OGR_G_GetPointCount (line);

          if (n < 4)
            ok = bad_value (c, column, error, "has a ring of %d points (a ring needs 4)", n);
          for (int i = 0; ok && i < n; i++)
            {
              double x = OGR_G_GetX (line, i), y = OGR_G_GetY (line, i);

              if (!(x >= -180.0 && x <= 180.0 && y >= -90.0 && y <= 90.0))
                ok = bad_value (c, column, error, "has point %d outside longitude and "
                                "latitude (%g, %g)", i + 1, x, y);
            }
        }
    }
  if (ok)
    {
      gsize wkb_size = OGR_G_WkbSize (geometry);

      g_byte_array_set_size (r->wkb, wkb_size);
      OGR_G_ExportToWkb (geometry, wkbNDR, r->wkb->data);
      OGR_G_GetEnvelope (geometry, &box);
      area->wkb = r->wkb->data;
      area->wkb_size = wkb_size;
      area->min_lon = box.MinX;
      area->min_lat = box.MinY;
      area->max_lon = box.MaxX;
      area->max_lat = box.MaxY;
    }
  OGR_G_DestroyGeometry (geometry);
  return ok;
}

/* Runs @sql over one table, calling @row_func for each row. */
static gboolean
scan (Reader      *r,
      const char  *table,
      const char  *sql,
      gboolean   (*row_func) (Reader *r, Cursor *c, GError **error),
      GError     **error)
{
  sqlite3_stmt *stmt;
  Cursor c = { r->package, NULL, table, 0 };
  gboolean ok = TRUE;
  int rc = -1;

  if (g_cancellable_set_error_if_cancelled (r->package->cancellable, error))
    return FALSE;
  stmt = c.stmt = prepare (r->package, sql, error);

  if (stmt == NULL)
    return FALSE;
  while (ok && (rc = step (r->package, stmt, error)) == 1)
    {
      c.row++;
      ok = ((c.row & 0xff) != 0
            || !g_cancellable_set_error_if_cancelled (r->package->cancellable, error))
           && row_func (r, &c, error);
    }
  sqlite3_finalize (stmt);
  return ok && rc == 0;
}

static gboolean
area_row (Reader  *r,
          Cursor  *c,
          GError **error)
{
  TwPackageArea area = { c->row };
  g_autofree char *key = NULL;

  if (!read_text (c, 0, MAX_CODE, 0, &area.geography, error)
      || !read_text (c, 1, MAX_GEOID, 0, &area.geoid, error)
      || !read_text (c, 2, MAX_NAME, TEXT_NULLABLE, &area.name, error)
      || !read_outline (r, c, 3, &area, error))
    return FALSE;
  if (!g_hash_table_contains (r->geographies, area.geography))
    {
      /* A project holds a handful: each is looked up in the metadata once. */
      if (g_hash_table_size (r->geographies) >= MAX_GEOGRAPHIES)
        return bad_value (c, 0, error, "names more than %d geographies", MAX_GEOGRAPHIES);
      g_hash_table_add (r->geographies, g_strdup (area.geography));
    }
  key = area_key (area.geography, area.geoid);
  if (g_hash_table_contains (r->areas, key))
    return bad_value (c, 1, error, "'%s' is given twice", area.geoid);
  g_hash_table_add (r->areas, g_steal_pointer (&key));
  if (!r->visitor->with_outlines)
    area.wkb = NULL, area.wkb_size = 0;
  return r->visitor->area == NULL || r->visitor->area (&area, r->data, error);
}

static gboolean
measure_row (Reader  *r,
             Cursor  *c,
             GError **error)
{
  TwPackageMeasure measure = { c->row };
  const char *kind;

  if (!read_text (c, 0, MAX_CODE, 0, &measure.code, error)
      || !read_text (c, 1, MAX_NAME, TEXT_NULLABLE, &measure.label, error)
      || !read_text (c, 2, MAX_CODE, 0, &kind, error)
      || !read_number (c, 3, FALSE, 1e-9, 1e9, &measure.multiplier, error)
      || !read_flag (c, 4, &measure.higher_is_worse, error)
      || !read_text (c, 5, MAX_PROSE, TEXT_NULLABLE | TEXT_LINES, &measure.source, error))
    return FALSE;
  if (g_str_equal (kind, "rate"))
    measure.kind = "rate";
  else if (g_str_equal (kind, "proportion"))
    measure.kind = "proportion";
  else
    return bad_value (c, 2, error, "is '%s', not rate or proportion", kind);
  if (measure.label == NULL)
    measure.label = measure.code;
  if (g_hash_table_contains (r->measures, measure.code))
    return bad_value (c, 0, error, "'%s' is given twice", measure.code);
  g_hash_table_insert (r->measures, g_strdup (measure.code), (gpointer) measure.kind);
  return r->visitor->measure == NULL || r->visitor->measure (&measure, r->data, error);
}

static gboolean
rate_row (Reader  *r,
          Cursor  *c,
          GError **error)
{
  TwPackageRate rate = { c->row };
  g_autofree char *key = NULL;
  const char *kind;

  if (!read_text (c, 0, MAX_CODE, 0, &rate.geography, error)
      || !read_text (c, 1, MAX_GEOID, 0, &rate.geoid, error)
      || !read_text (c, 2, MAX_CODE, 0, &rate.measure, error)
      || !read_text (c, 3, MAX_CODE, 0, &rate.period, error)
      || !read_text (c, 4, MAX_CODE, 0, &rate.stratum, error)
      || !read_flag (c, 7, &rate.suppressed, error))
    return FALSE;
  key = area_key (rate.geography, rate.geoid);
  if (!g_hash_table_contains (r->areas, key))
    return bad_value (c, 1, error, "'%s' is not an area of the package", rate.geoid);
  kind = g_hash_table_lookup (r->measures, rate.measure);
  if (kind == NULL)
    return bad_value (c, 2, error, "'%s' is not a measure of the package", rate.measure);
  /* A suppressed row's count is never read: only its population. */
  if (!read_number (c, 6, rate.suppressed, 0.0, TW_SHARE_MAX_COUNT, &rate.denominator, error))
    return FALSE;
  if (rate.suppressed)
    return r->visitor->rate == NULL || r->visitor->rate (&rate, r->data, error);
  if (!read_number (c, 5, FALSE, 0.0, TW_SHARE_MAX_COUNT, &rate.numerator, error))
    return FALSE;
  if (g_str_equal (kind, "proportion") && rate.numerator > rate.denominator)
    return bad_value (c, 5, error, "%g is more than its denominator %g (a proportion)",
                      rate.numerator, rate.denominator);
  if (rate.numerator > 0 && rate.denominator == 0)
    return bad_value (c, 5, error, "%g has a denominator of 0", rate.numerator);
  return r->visitor->rate == NULL || r->visitor->rate (&rate, r->data, error);
}

static gboolean
partner_row (Reader  *r,
             Cursor  *c,
             GError **error)
{
  TwPackagePartner partner = { c->row };

  if (!read_id (c, 0, &partner.id, error)
      || !read_text (c, 1, MAX_NAME, 0, &partner.name, error)
      || !read_text (c, 2, MAX_CODE, TEXT_NULLABLE, &partner.kind, error)
      || !read_text (c, 3, MAX_CODE, TEXT_NULLABLE, &partner.agreement, error))
    return FALSE;
  if (r->package->has_contacts
      && (!read_text (c, 4, MAX_NAME, TEXT_NULLABLE, &partner.contact, error)
          || !read_text (c, 5, MAX_NAME, TEXT_NULLABLE, &partner.email, error)
          || !read_text (c, 6, MAX_NAME, TEXT_NULLABLE, &partner.phone, error)))
    return FALSE;
  if (partner.agreement == NULL)
    partner.agreement = "none";
  else if (!g_strv_contains ((const char *const[]) { "none", "mou", "dua", NULL },
                             partner.agreement))
    return bad_value (c, 3, error, "is '%s', not none, mou or dua", partner.agreement);
  if (g_hash_table_contains (r->ids, &partner.id))
    return bad_value (c, 0, error, "%" G_GINT64_FORMAT " is given twice", partner.id);
  g_hash_table_add (r->ids, g_memdup2 (&partner.id, sizeof partner.id));
  return r->visitor->partner == NULL || r->visitor->partner (&partner, r->data, error);
}

static gboolean
is_date (const char *text)
{
  int y, m, d;
  char end;

  return text == NULL
         || (strlen (text) == 10 && sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3
             && g_date_valid_dmy (d, m, y));
}

static gboolean
project_row (Reader  *r,
             Cursor  *c,
             GError **error)
{
  TwPackageProject project = { c->row };

  if (!read_id (c, 0, &project.id, error)
      || !read_text (c, 1, MAX_NAME, 0, &project.title, error)
      || !read_text (c, 2, MAX_PROSE, TEXT_NULLABLE | TEXT_LINES, &project.aim, error)
      || !read_text (c, 3, MAX_CODE, TEXT_NULLABLE, &project.measure, error)
      || !read_text (c, 4, MAX_CODE, TEXT_NULLABLE, &project.stratum, error)
      || !read_text (c, 5, MAX_CODE, TEXT_NULLABLE, &project.geography, error)
      || !read_text (c, 6, MAX_CODE, TEXT_NULLABLE, &project.status, error)
      || !read_text (c, 7, 10, TEXT_NULLABLE, &project.start_date, error)
      || !read_text (c, 8, 10, TEXT_NULLABLE, &project.end_date, error)
      || !read_number (c, 9, TRUE, -1e6, 1e6, &project.goal_percent, error)
      || !read_text (c, 10, MAX_PROSE, TEXT_NULLABLE, &project.partners, error)
      || !read_text (c, 11, MAX_LIST, TEXT_NULLABLE, &project.geoids, error))
    return FALSE;
  if (project.status == NULL)
    project.status = TW_PROJECT_STATUS_PLANNED;
  else if (!tw_project_status_is_valid (project.status))
    return bad_value (c, 6, error, "is '%s', not a project status", project.status);
  if (!is_date (project.start_date))
    return bad_value (c, 7, error, "is '%s', not a date (YYYY-MM-DD)", project.start_date);
  if (!is_date (project.end_date))
    return bad_value (c, 8, error, "is '%s', not a date (YYYY-MM-DD)", project.end_date);
  if (g_hash_table_contains (r->ids, &project.id))
    return bad_value (c, 0, error, "%" G_GINT64_FORMAT " is given twice", project.id);
  g_hash_table_add (r->ids, g_memdup2 (&project.id, sizeof project.id));
  return r->visitor->project == NULL || r->visitor->project (&project, r->data, error);
}

gboolean
tw_share_package_read (TwSharePackage              *self,
                       const TwSharePackageVisitor *visitor,
                       gpointer                     data,
                       GError                     **error)
{
  g_autofree char *areas_sql = NULL;
  Reader r = { self, visitor, data };
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (visitor != NULL, FALSE);

  r.areas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r.geographies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r.measures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r.ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  r.wkb = g_byte_array_new ();
  areas_sql = g_strdup_printf ("SELECT geography, geoid, name, \"%s\" FROM areas",
                               self->geometry_column);
  ok = scan (&r, "areas", areas_sql, area_row, error)
       && scan (&r, "measures", "SELECT code, label, kind, multiplier, higher_is_worse, source "
                "FROM measures", measure_row, error)
       && scan (&r, "rates", "SELECT geography, geoid, measure, period, stratum, numerator, "
                "denominator, suppressed FROM rates", rate_row, error)
       && scan (&r, "partners", self->has_contacts
                ? "SELECT id, name, kind, agreement, contact, email, phone FROM partners"
                : "SELECT id, name, kind, agreement FROM partners", partner_row, error);
  if (ok)
    {
      g_hash_table_remove_all (r.ids);
      ok = scan (&r, "projects", "SELECT id, title, aim, measure, stratum, geography, status, "
                 "start_date, end_date, goal_percent, partners, geoids FROM projects",
                 project_row, error);
    }
  g_hash_table_unref (r.areas);
  g_hash_table_unref (r.geographies);
  g_hash_table_unref (r.measures);
  g_hash_table_unref (r.ids);
  g_byte_array_unref (r.wkb);
  return ok;
}
