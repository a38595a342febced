/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-outline-cache"

#include "tw-outline-cache.h"

struct _TwOutlineCache
{
  GObject      parent_instance;

  TwAreaLayer *layer;
  TwLineSet   *counties;
  TwLineSet   *states;
};

G_DEFINE_FINAL_TYPE (TwOutlineCache, tw_outline_cache, G_TYPE_OBJECT)

static void
clear (TwOutlineCache *self)
{
  g_clear_pointer (&self->layer, tw_area_layer_unref);
  g_clear_pointer (&self->counties, tw_line_set_unref);
  g_clear_pointer (&self->states, tw_line_set_unref);
}

static void
tw_outline_cache_finalize (GObject *object)
{
  clear (TW_OUTLINE_CACHE (object));

  G_OBJECT_CLASS (tw_outline_cache_parent_class)->finalize (object);
}

static void
tw_outline_cache_class_init (TwOutlineCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tw_outline_cache_finalize;
}

static void
tw_outline_cache_init (TwOutlineCache *self)
{
}

TwOutlineCache *
tw_outline_cache_new (void)
{
  return g_object_new (TW_TYPE_OUTLINE_CACHE, NULL);
}

gboolean
tw_outline_cache_lookup (TwOutlineCache *self,
                         TwAreaLayer    *layer,
                         TwLineSet     **counties,
                         TwLineSet     **states)
{
  g_return_val_if_fail (TW_IS_OUTLINE_CACHE (self), FALSE);

  if (self->layer == NULL || self->layer != layer)
    return FALSE;
  *counties = self->counties != NULL ? tw_line_set_ref (self->counties) : NULL;
  *states = self->states != NULL ? tw_line_set_ref (self->states) : NULL;
  return TRUE;
}

void
tw_outline_cache_store (TwOutlineCache *self,
                        TwAreaLayer    *layer,
                        TwLineSet      *counties,
                        TwLineSet      *states)
{
  g_return_if_fail (TW_IS_OUTLINE_CACHE (self));
  g_return_if_fail (layer != NULL);

  clear (self);
  self->layer = tw_area_layer_ref (layer);
  self->counties = counties != NULL ? tw_line_set_ref (counties) : NULL;
  self->states = states != NULL ? tw_line_set_ref (states) : NULL;
}
