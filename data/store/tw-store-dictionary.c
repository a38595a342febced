/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-store"

#include <json-glib/json-glib.h>

#include <math.h>

#include "tw-json.h"
#include "tw-store-catalog.h"
#include "tw-store-dictionary.h"

/* The members of an entry, in the order tractwise-cli attributes prints them. */
#define N_MEMBERS 8
static const char *const members[N_MEMBERS] = {
  "field", "label", "universe", "source", "release", "licence", "null_codes", "moe",
};

static char **
member_of (TwDictionaryEntry *entry,
           guint              i)
{
  char **slots[N_MEMBERS] = {
    &entry->field, &entry->label, &entry->universe, &entry->source, &entry->release,
    &entry->licence, &entry->null_codes, &entry->moe,
  };

  return slots[i];
}

void
tw_dictionary_entry_free (TwDictionaryEntry *entry)
{
  if (entry == NULL)
    return;
  for (guint i = 0; i < N_MEMBERS; i++)
    g_free (*member_of (entry, i));
  g_free (entry);
}

static char *
setting_key (gint64 geography_id)
{
  return g_strdup_printf ("attributes.dictionary.%" G_GINT64_FORMAT, geography_id);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const TwDictionaryEntry *x = *(TwDictionaryEntry *const *) a;
  const TwDictionaryEntry *y = *(TwDictionaryEntry *const *) b;

  return g_strcmp0 (x->field, y->field);
}

GPtrArray *
tw_store_load_dictionary (TwStore  *store,
                          gint64    geography_id,
                          GError  **error)
{
  g_autofree char *key = setting_key (geography_id);
  g_autofree char *text = tw_store_get_setting (store, key);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  JsonNode *root;
  JsonArray *array;

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tw_dictionary_entry_free);
  if (text == NULL)
    return g_steal_pointer (&entries);

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, TW_STORE_ERROR, TW_STORE_ERROR_INVALID,
                   "%s: the data dictionary of geography %" G_GINT64_FORMAT " is damaged; "
                   "import the attributes again", tw_store_get_path (store), geography_id);
      return NULL;
    }
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      TwDictionaryEntry *entry;

      if (object == NULL || !json_object_has_member (object, "field"))
        continue;
      entry = g_new0 (TwDictionaryEntry, 1);
      for (guint m = 0; m < N_MEMBERS; m++)
        {
          JsonNode *value = json_object_get_member (object, members[m]);

          if (value != NULL && JSON_NODE_HOLDS_VALUE (value)
              && json_node_get_value_type (value) == G_TYPE_STRING)
            *member_of (entry, m) = g_strdup (json_node_get_string (value));
        }
      if (entry->field == NULL)
        tw_dictionary_entry_free (entry);
      else
        g_ptr_array_add (entries, entry);
    }
  g_ptr_array_sort (entries, compare_entries);
  return g_steal_pointer (&entries);
}

gboolean
tw_store_save_dictionary (TwStore    *store,
                          gint64      geography_id,
                          GPtrArray  *entries,
                          GError    **error)
{
  g_autofree char *key = setting_key (geography_id);
  g_autoptr(GPtrArray) merged = tw_store_load_dictionary (store, geography_id, error);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *text = NULL;

  if (merged == NULL)
    return FALSE;
  /* The new entries replace the stored ones of their fields. */
  for (guint i = 0; i < merged->len;)
    {
      TwDictionaryEntry *old = g_ptr_array_index (merged, i);
      gboolean replaced = FALSE;

      for (guint j = 0; j < entries->len && !replaced; j++)
        replaced = g_str_equal (old->field,
                                ((TwDictionaryEntry *) g_ptr_array_index (entries, j))->field);
      if (replaced)
        g_ptr_array_remove_index (merged, i);
      else
        i++;
    }
  json_builder_begin_array (builder);
  for (guint pass = 0; pass < 2; pass++)
    {
      GPtrArray *list = pass == 0 ? merged : entries;

      for (guint i = 0; i < list->len; i++)
        {
          TwDictionaryEntry *entry = g_ptr_array_index (list, i);

          json_builder_begin_object (builder);
          for (guint m = 0; m < N_MEMBERS; m++)
            tw_json_add_string (builder, members[m], *member_of (entry, m));
          json_builder_end_object (builder);
        }
    }
  json_builder_end_array (builder);
  text = tw_json_builder_to_text (builder, FALSE);
  return tw_store_set_setting (store, key, text, error);
}

static char *
denominator_key (const char *measure,
                 gint64      geography_id)
{
  return g_strdup_printf ("measure.%s.denominator.%" G_GINT64_FORMAT, measure, geography_id);
}

gboolean
tw_store_set_denominator_attribute (TwStore     *store,
                                    const char  *measure,
                                    gint64       geography_id,
                                    const char  *attribute,
                                    GError     **error)
{
  g_autofree char *key = NULL;
  g_autofree char *old = NULL;

  g_return_val_if_fail (store != NULL && measure != NULL, FALSE);

  key = denominator_key (measure, geography_id);
  old = tw_store_get_setting (store, key);
  /* Nothing to forget: a workspace without such links gains no empty setting. */
  if (attribute == NULL && old == NULL)
    return TRUE;
  return tw_store_set_setting (store, key, attribute, error);
}

char *
tw_store_get_denominator_attribute (TwStore    *store,
                                    const char *measure,
                                    gint64      geography_id)
{
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;

  g_return_val_if_fail (store != NULL && measure != NULL, NULL);

  key = denominator_key (measure, geography_id);
  value = tw_store_get_setting (store, key);
  return value != NULL && *value != '\0' ? g_steal_pointer (&value) : NULL;
}

typedef struct
{
  gint64 area_id;
  double estimate;
  double moe;
} DenominatorMoe;

static int
compare_denominator_moes (gconstpointer a,
                          gconstpointer b)
{
  gint64 x = ((const DenominatorMoe *) a)->area_id;
  gint64 y = ((const DenominatorMoe *) b)->area_id;

  return x < y ? -1 : x > y;
}

/* The areas of one geography whose population estimate and MOE are both known. */
static gboolean
collect_denominator_moes (TwStore     *store,
                          gint64       geography_id,
                          const char  *attribute,
                          const char  *moe_field,
                          GArray      *found,
                          GError     **error)
{
  g_autoptr(GArray) ids = NULL, values = NULL, moe_ids = NULL, moes = NULL;
  g_autoptr(GHashTable) moe_of = g_hash_table_new (g_int64_hash, g_int64_equal);

  if (!tw_store_load_attribute (store, geography_id, attribute, &ids, &values, error)
      || !tw_store_load_attribute (store, geography_id, moe_field, &moe_ids, &moes, error))
    return FALSE;
  for (guint i = 0; i < moe_ids->len; i++)
    g_hash_table_insert (moe_of, &g_array_index (moe_ids, gint64, i),
                         &g_array_index (moes, double, i));
  for (guint i = 0; i < ids->len; i++)
    {
      DenominatorMoe row = { g_array_index (ids, gint64, i), g_array_index (values, double, i),
                             NAN };
      double *moe = g_hash_table_lookup (moe_of, &row.area_id);

      if (moe == NULL || !isfinite (*moe) || !(*moe >= 0.0) || !isfinite (row.estimate)
          || !(row.estimate > 0.0))
        continue;
      row.moe = *moe;
      g_array_append_val (found, row);
    }
  return TRUE;
}

gboolean
tw_store_load_denominator_moe (TwStore     *store,
                               const char  *measure,
                               GArray     **area_ids,
                               GArray     **estimates,
                               GArray     **moes,
                               char       **attribute,
                               GError     **error)
{
  g_autoptr(GPtrArray) geographies = NULL;
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (DenominatorMoe));
  g_autofree char *first = NULL;

  g_return_val_if_fail (store != NULL && measure != NULL, FALSE);
  g_return_val_if_fail (area_ids != NULL && estimates != NULL && moes != NULL, FALSE);

  geographies = tw_store_list_geographies (store, -1, NULL, error);
  if (geographies == NULL)
    return FALSE;
  for (guint g = 0; g < geographies->len; g++)
    {
      const TwGeographyInfo *geography = g_ptr_array_index (geographies, g);
      g_autofree char *name = tw_store_get_denominator_attribute (store, measure,
                                                                  geography->id);
      g_autoptr(GPtrArray) dictionary = NULL;
      const TwDictionaryEntry *entry = NULL;

      if (name == NULL)
        continue;
      dictionary = tw_store_load_dictionary (store, geography->id, error);
      if (dictionary == NULL)
        return FALSE;
      for (guint d = 0; d < dictionary->len && entry == NULL; d++)
        if (g_str_equal (((TwDictionaryEntry *) g_ptr_array_index (dictionary, d))->field,
                         name))
          entry = g_ptr_array_index (dictionary, d);
      /* A population without a margin of error (a census count) adds nothing. */
      if (entry == NULL || entry->moe == NULL || *entry->moe == '\0')
        continue;
      if (!collect_denominator_moes (store, geography->id, name, entry->moe, found, error))
        return FALSE;
      if (first == NULL)
        first = g_strdup (name);
    }
  g_array_sort (found, compare_denominator_moes);

  *area_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), found->len);
  *estimates = g_array_sized_new (FALSE, FALSE, sizeof (double), found->len);
  *moes = g_array_sized_new (FALSE, FALSE, sizeof (double), found->len);
  for (guint i = 0; i < found->len; i++)
    {
      const DenominatorMoe *row = &g_array_index (found, DenominatorMoe, i);

      g_array_append_val (*area_ids, row->area_id);
      g_array_append_val (*estimates, row->estimate);
      g_array_append_val (*moes, row->moe);
    }
  if (attribute != NULL)
    *attribute = g_steal_pointer (&first);
  return TRUE;
}
