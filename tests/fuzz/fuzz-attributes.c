/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The attribute importer on one CSV table, imported into a fresh copy of the prepared
 * project: the GEOID column and three attributes, as the fixture names them. */
#define G_LOG_DOMAIN "tw-fuzz-attributes"

#include "fuzz-common.h"
#include "tw-attributes.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *path = tw_fuzz_write ("in.csv", data, size);
  const char *fields[] = { "RPL_THEMES", "RPL_THEME1", "E_TOTPOP", NULL };
  g_autoptr(TwStore) store = tw_fuzz_open_project ();
  g_autoptr(TwAttributeImportResult) result = NULL;
  TwAttributeImportOptions options = { .geoid_field = "FIPS", .fields = fields };

  result = tw_attribute_import (store, path, &options, NULL);
  return 0;
}
