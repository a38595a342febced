/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-area-origins"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "tw-area-origins.h"
#include "tw-format.h"

typedef struct
{
  char       *geography;
  char       *measure;
  char       *period;
  char       *group;
  GHashTable *origins;
} Load;

static void
load_free (Load *load)
{
  g_free (load->geography);
  g_free (load->measure);
  g_free (load->period);
  g_free (load->group);
  g_clear_pointer (&load->origins, g_hash_table_unref);
  g_free (load);
}

static gboolean
read_origins (TwStore       *store,
              gpointer       task_data,
              GCancellable  *cancellable,
              GError       **error)
{
  Load *load = task_data;
  g_autoptr(GPtrArray) origins = NULL;
  gint64 geography_id = tw_store_resolve_geography (store, load->geography, error);

  if (geography_id < 0)
    return FALSE;
  origins = tw_store_list_area_origins (store, geography_id, load->measure, load->period,
                                        load->group, error);
  if (origins == NULL)
    return FALSE;
  load->origins = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) tw_area_origin_free);
  for (guint i = 0; i < origins->len; i++)
    {
      TwAreaOrigin *origin = g_ptr_array_index (origins, i);

      g_hash_table_replace (load->origins, origin->geoid, origin);
    }
  g_ptr_array_set_free_func (origins, NULL);
  return TRUE;
}

void
tw_area_origins_load_async (TwDocument          *document,
                            const char          *geography,
                            const char          *measure,
                            const char          *period,
                            const char          *group,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Load *load;

  g_return_if_fail (TW_IS_DOCUMENT (document));
  g_return_if_fail (geography != NULL);

  load = g_new0 (Load, 1);
  load->geography = g_strdup (geography);
  load->measure = g_strdup (measure);
  load->period = g_strdup (period);
  load->group = g_strdup (group);
  tw_document_run_async (document, TW_DOCUMENT_READ, read_origins, load,
                         (GDestroyNotify) load_free, cancellable, callback, user_data);
}

GHashTable *
tw_area_origins_load_finish (TwDocument    *document,
                             GAsyncResult  *result,
                             GError       **error)
{
  Load *load;

  if (!tw_document_run_finish (document, result, error))
    return NULL;
  load = tw_document_run_get_task_data (result);
  return g_steal_pointer (&load->origins);
}

/* The share of @origin's count allocated from areas shared with others, as a whole
 * percent; NULL when it is not to be said (a hidden figure) or there is none. */
static char *
partial_share (const TwAreaOrigin *origin,
               gboolean            with_share)
{
  if (!with_share || !(origin->partial > 0) || !(origin->count > 0))
    return NULL;
  return tw_format_whole_percent (origin->partial / origin->count, FALSE, "—");
}

char *
tw_area_origin_describe (const TwAreaOrigin *origin,
                         gboolean            with_share)
{
  g_autofree char *from = g_utf8_make_valid (origin->from_geography != NULL
                                             ? origin->from_geography : "", -1);
  g_autofree char *how = NULL;
  g_autofree char *share = NULL;

  switch (origin->change)
    {
    case TW_AREA_CHANGE_UNCHANGED:
      /* Translators: %s is the geography the figures were converted from */
      how = g_strdup_printf (_("Unchanged from “%s”"), from);
      break;
    case TW_AREA_CHANGE_RECODED:
      how = g_strdup_printf (_("Recoded from “%s”: the same area under a new GEOID"), from);
      break;
    case TW_AREA_CHANGE_SPLIT:
      how = g_strdup_printf (_("Split from an area of “%s”"), from);
      break;
    case TW_AREA_CHANGE_MERGED:
    default:
      how = g_strdup_printf (_("Merged from areas of “%s”"), from);
      break;
    }
  if ((share = partial_share (origin, with_share)) != NULL)
    {
      /* Translators: "Split from an area of “Boston 2010”: 40% of its count …" */
      return g_strdup_printf (_("%s: %s%% of its count allocated from areas shared with "
                                "others"), how, share);
    }
  return g_steal_pointer (&how);
}

char *
tw_area_origin_badge (const TwAreaOrigin *origin,
                      gboolean            with_share)
{
  g_autofree char *share = partial_share (origin, with_share);
  const char *how;

  switch (origin->change)
    {
    case TW_AREA_CHANGE_UNCHANGED:
      /* Translators: a badge in the table: the area was not changed by the conversion */
      how = C_("area origin", "Unchanged");
      break;
    case TW_AREA_CHANGE_RECODED:
      how = C_("area origin", "Recoded");
      break;
    case TW_AREA_CHANGE_SPLIT:
      how = C_("area origin", "Split");
      break;
    case TW_AREA_CHANGE_MERGED:
    default:
      how = C_("area origin", "Merged");
      break;
    }
  if (share == NULL)
    return g_strdup (how);
  /* Translators: a badge in the table: "Split · 40%", the share of the area's count
   * allocated from areas shared with others */
  return g_strdup_printf (_("%s · %s%%"), how, share);
}
