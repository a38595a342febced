/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-area-import"

#include <string.h>

#include "tw-area-import.h"
#include "tw-area-reader.h"
#include "tw-store-import.h"

static const char *levels[] = { "tract", "block-group", "county", "zcta", "other" };

static void
skip_free (gpointer data)
{
  TwAreaSkip *skip = data;

  g_free (skip->reason);
  g_free (skip);
}

void
tw_area_import_result_free (TwAreaImportResult *result)
{
  if (result == NULL)
    return;
  g_free (result->geography);
  g_free (result->source_crs);
  g_free (result->id_field);
  g_free (result->name_field);
  g_clear_pointer (&result->skipped, g_ptr_array_unref);
  g_clear_pointer (&result->warnings, g_ptr_array_unref);
  g_free (result);
}

static gboolean
level_is_known (const char *level)
{
  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    if (g_str_equal (level, levels[i]))
      return TRUE;
  return FALSE;
}

/* A geography's name is shown in pickers and written to every export. */
static gboolean
name_is_printable (const char *name)
{
  glong length;

  if (!g_utf8_validate (name, -1, NULL))
    return FALSE;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isprint (g_utf8_get_char (p)))
      return FALSE;
  length = g_utf8_strlen (name, -1);
  return length >= 1 && length <= 64;
}

/* Areas go to the store in batches of this many. */
#define BATCH_FEATURES 256

/* Reads up to BATCH_FEATURES features into @batch, counted in @n; FALSE once the layer is
 * done, with @error set (and @n 0, the batch cleared) when it failed. */
static gboolean
read_batch (TwAreaReader   *reader,
            TwAreaFeature  *batch,
            guint          *n,
            GCancellable   *cancellable,
            GError        **error)
{
  GError *read_error = NULL;

  for (*n = 0; *n < BATCH_FEATURES; (*n)++)
    if (!tw_area_reader_next (reader, &batch[*n], cancellable, &read_error))
      break;
  if (read_error == NULL)
    return *n == BATCH_FEATURES;
  for (guint i = 0; i < *n; i++)
    tw_area_feature_clear (&batch[i]);
  *n = 0;
  g_propagate_error (error, read_error);
  return FALSE;
}

static gboolean
import_features (TwStore             *store,
                 TwAreaReader        *reader,
                 const char          *source,
                 TwAreaImportResult  *result,
                 const TwAreaImportOptions *options,
                 TwImportProgress     progress,
                 gpointer             progress_data,
                 GCancellable        *cancellable,
                 GError             **error)
{
  g_autofree char *basename = g_filename_display_basename (source);
  g_autofree char *detail = NULL;
  gint64 geography_id = -1;
  gint64 total = tw_area_reader_get_feature_count (reader);
  g_autoptr(GArray) boxes = g_array_new (FALSE, FALSE, sizeof (TwStoreAreaBox));
  /* The reader reads and checks the next features in threads of its own while this one
   * stores them. */
  g_autofree TwAreaFeature *batch = g_new0 (TwAreaFeature, BATCH_FEATURES);
  GError *failure = NULL;
  guint n = 0;
  gboolean more;

  /* A file refused in its first batch leaves the project's bytes as they were: the
   * transaction (and a bulk one's change of journal) starts once there is something to
   * store. */
  more = read_batch (reader, batch, &n, cancellable, &failure);
  if (n > 0 && !(options->validate_only ? tw_store_begin (store, &failure)
                                        : tw_store_begin_bulk (store, &failure)))
    more = FALSE;
  else if (n > 0)
    geography_id = tw_store_add_geography (store, result->geography,
                                           options->level ? options->level : "tract",
                                           options->vintage, basename, result->source_crs,
                                           &failure);
  while (n > 0)
    {
      gboolean ok = geography_id >= 0
                    && tw_store_add_areas_keeping_boxes (store, geography_id, batch, n, boxes,
                                                          &failure);

      for (guint i = 0; i < n; i++)
        tw_area_feature_clear (&batch[i]);
      if (!ok)
        break;
      result->imported += n;
      if (progress != NULL)
        progress (result->imported, total, progress_data);
      n = 0;
      if (more)
        more = read_batch (reader, batch, &n, cancellable, &failure);
    }
  if (failure != NULL)
    {
      g_propagate_error (error, failure);
      return FALSE;
    }

  if (result->imported == 0)
    {
      GPtrArray *skipped = tw_area_reader_get_skipped (reader);
      g_autofree char *first = NULL;

      if (skipped->len > 0)
        {
          TwAreaSkip *skip = g_ptr_array_index (skipped, 0);

          first = g_strdup_printf (" (every feature was skipped; feature %" G_GINT64_FORMAT
                                   ": %s)", skip->feature, skip->reason);
        }
      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                   "%s: layer '%s' holds no polygon that can be imported%s; check that "
                   "it is the boundary layer (give another with --layer)",
                   basename, tw_area_reader_get_layer_name (reader),
                   first != NULL ? first : " (it is empty)");
      return FALSE;
    }

  /* The index is filled once all areas are in, in one pass: inserting box by box while
   * the areas stream in rewrites its pages many times over. */
  if (!tw_store_index_area_boxes (store, boxes, error))
    return FALSE;

  detail = g_strdup_printf ("areas from %s into geography '%s': %" G_GINT64_FORMAT
                            " imported, %u repaired, %u skipped",
                            basename, result->geography, result->imported,
                            tw_area_reader_get_repaired (reader),
                            tw_area_reader_get_skipped (reader)->len);
  return tw_store_audit (store, "import-areas", detail, error);
}

TwAreaImportResult *
tw_area_import (TwStore                   *store,
                const char                *source,
                const TwAreaImportOptions *options,
                TwImportProgress           progress,
                gpointer                   progress_data,
                GCancellable              *cancellable,
                GError                   **error)
{
  static const TwAreaImportOptions defaults = { 0 };
  g_autoptr(TwAreaReader) reader = NULL;
  g_autoptr(TwAreaImportResult) result = NULL;
  GPtrArray *skipped, *warnings;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);

  if (options == NULL)
    options = &defaults;

  if (options->level != NULL && !level_is_known (options->level))
    {
      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                   "--level '%s' is not a level Tractwise knows; use tract, block-group, "
                   "county, zcta or other", options->level);
      return NULL;
    }

  reader = tw_area_reader_open (source, options->layer, options->id_field,
                                options->name_field, options->assume_crs, error);
  if (reader == NULL)
    return NULL;

  result = g_new0 (TwAreaImportResult, 1);
  result->geography = g_strdup (options->geography ? options->geography
                                                   : tw_area_reader_get_layer_name (reader));
  result->source_crs = g_strdup (tw_area_reader_get_source_crs (reader));
  result->id_field = g_strdup (tw_area_reader_get_id_field (reader));
  result->name_field = g_strdup (tw_area_reader_get_name_field (reader));

  if (!name_is_printable (result->geography))
    {
      g_autofree char *basename = g_filename_display_basename (source);

      if (options->geography != NULL)
        g_set_error_literal (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                             "--geography must be printable UTF-8 text of 1 to 64 "
                             "characters; choose another name");
      else
        g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                     "%s: the layer's name is not printable UTF-8 text of 1 to 64 "
                     "characters; name the geography with --geography", basename);
      return NULL;
    }
  if (tw_store_has_geography (store, result->geography))
    {
      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                   "%s: the project already has a geography named '%s'; name the new one "
                   "with --geography", tw_store_get_path (store), result->geography);
      return NULL;
    }

  if (!import_features (store, reader, source, result, options, progress, progress_data,
                        cancellable, error)
      || (!options->validate_only && !tw_store_commit (store, error)))
    {
      tw_store_rollback (store);
      tw_store_end_bulk (store);
      return NULL;
    }
  if (options->validate_only)
    tw_store_rollback (store);
  tw_store_end_bulk (store);

  result->repaired = tw_area_reader_get_repaired (reader);
  skipped = tw_area_reader_get_skipped (reader);
  result->skipped = g_ptr_array_new_with_free_func (skip_free);
  for (guint i = 0; i < skipped->len; i++)
    {
      TwAreaSkip *from = g_ptr_array_index (skipped, i);
      TwAreaSkip *skip = g_new0 (TwAreaSkip, 1);

      skip->feature = from->feature;
      skip->reason = g_strdup (from->reason);
      g_ptr_array_add (result->skipped, skip);
    }
  warnings = tw_area_reader_get_warnings (reader);
  result->warnings = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < warnings->len; i++)
    g_ptr_array_add (result->warnings, g_strdup (g_ptr_array_index (warnings, i)));

  return g_steal_pointer (&result);
}
