/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include <stdio.h>

#include "tw-cli-private.h"
#include "tw-demo.h"

int
tw_cli_demo (int    argc,
             char **argv)
{
  gboolean replace = FALSE;
  const GOptionEntry entries[] = {
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace, "Replace OUT when it exists (it is swapped in only once whole)", NULL },
    { NULL }
  };
  g_autofree char *installed = g_build_filename (PKGDATADIR, "demo", NULL);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  const char *out;
  JsonBuilder *builder;

  if (!tw_cli_parse (&argc, &argv, "OUT",
                     "Build the demo workspace: North Carolina SIDS by county (real) and "
                     "Boston 1970 tracts with synthetic outcomes — the workspace the window's "
                     "\"Try the demo\" opens, made by the same code.", entries, 1))
    return TW_CLI_BAD_INPUT;
  out = argv[1];
  if (!replace && g_file_test (out, G_FILE_TEST_EXISTS))
    return tw_cli_bad_input ("demo: %s exists; give a new file name, or --replace", out);

  data = tw_demo_find_data (installed, TW_SOURCE_DEMO_DIR);
  if (data == NULL)
    {
      fprintf (stderr, "tractwise-cli: demo: the demo's files are not installed (looked in %s "
                       "and %s); reinstall Tractwise\n", installed, TW_SOURCE_DEMO_DIR);
      return TW_CLI_INTERNAL;
    }
  if (!tw_demo_build (data, out, NULL, &error))
    return tw_cli_fail (error);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "out");
  json_builder_add_string_value (builder, out);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}
