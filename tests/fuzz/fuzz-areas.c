/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The area reader (geo/) on one file of the format TW_FUZZ_SUFFIX names: every layer is
 * listed and every feature read. A Shapefile's .shp is fuzzed beside whole companions. */
#define G_LOG_DOMAIN "tw-fuzz-areas"

#include <string.h>

#include "fuzz-common.h"
#include "tw-area-reader.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  tw_fuzz_init ();
  if (strcmp (TW_FUZZ_SUFFIX, ".shp") == 0)
    {
      const char *companions[] = { ".shx", ".dbf", ".prj" };

      for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
        {
          g_autofree char *name = g_strconcat ("nc", companions[i], NULL);
          g_autofree char *target = g_strconcat ("in", companions[i], NULL);
          g_autofree char *contents = NULL;
          gsize length;

          if (g_file_get_contents (tw_fuzz_prepared (name), &contents, &length, NULL))
            tw_fuzz_write (target, (const uint8_t *) contents, length);
        }
    }
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *path = tw_fuzz_write ("in" TW_FUZZ_SUFFIX, data, size);
  g_auto(GStrv) layers = tw_area_reader_list_layers (path, NULL);
  g_autoptr(TwAreaReader) reader = NULL;
  TwAreaFeature feature = { 0 };

  reader = tw_area_reader_open (path, layers != NULL ? layers[0] : NULL, NULL, NULL, NULL,
                                NULL);
  if (reader == NULL)
    return 0;
  while (tw_area_reader_next (reader, &feature, NULL, NULL))
    ;
  tw_area_feature_clear (&feature);
  return 0;
}
