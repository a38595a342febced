/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>

#include <gdal.h>

#include "tw-cli-private.h"
#include "tw-format.h"
#include "tw-gdal.h"
#include "tw-pg.h"
#include "tw-share.h"

typedef struct
{
  const char   *name;
  TwCliCommand  run;
  const char   *summary;
} TwCliEntry;

/* Every sub-command, in the order --help lists them. */
static const TwCliEntry commands[] = {
  { "new", tw_cli_new, "Create an empty workspace file" },
  { "import-areas", tw_cli_import_areas, "Import area boundaries from any file GDAL reads" },
  { "import-outcomes", tw_cli_import_outcomes, "Import an outcome table (CSV, XLSX, ODS, DBF, GeoPackage)" },
  { "crosswalk", tw_cli_crosswalk, "Allocate a geography's outcomes to another's areas (2010 ↔ 2020 tracts, ZIP)" },
  { "import-points", tw_cli_import_points, "Count events (points or geocoder output) by area, group and period" },
  { "info", tw_cli_info, "Summarise a workspace: geographies, measures, partners, projects" },
  { "areas", tw_cli_areas, "List the areas of a geography with centroid and bounding box" },
  { "policy", tw_cli_policy, "Show or set the suppression policy (smallest count shown)" },
  { "rates", tw_cli_rates, "Rates with 95% intervals per area and group, suppressed by the policy" },
  { "disparities", tw_cli_disparities, "Rate ratios and differences against a reference group" },
  { "change", tw_cli_change, "Change of the rates between two periods: difference, ratio, z-test" },
  { "gap", tw_cli_gap, "Whether a group's gap to a reference narrowed between two periods" },
  { "trend", tw_cli_trend, "Annual percent change per area from a quasi-Poisson regression" },
  { "classify", tw_cli_classify, "Classes of a map: breaks and counts (quantile, natural, …)" },
  { "render-tile", tw_cli_render_tile, "Render one map tile to PNG, as the map window draws it" },
  { "partner", tw_cli_partner, "Partner organizations: add, list, delete" },
  { "project", tw_cli_project, "Partner projects: add, list, show, set-areas, milestone, evaluate, delete" },
  { "import-attributes", tw_cli_import_attributes, "Import area attributes (SVI, ADI, PLACES, ACS, any number) keyed by GEOID" },
  { "attributes", tw_cli_attributes, "The data dictionary of the areas' attributes" },
  { "weights", tw_cli_weights, "Spatial weights: queen, rook or k nearest neighbours; islands" },
  { "moran", tw_cli_moran, "Global Moran's I of the rates, analytic and by permutation" },
  { "lisa", tw_cli_lisa, "Local Moran (LISA) clusters of the rates" },
  { "hotspots", tw_cli_hotspots, "Getis-Ord Gi* hot and cold spots of the rates" },
  { "export-map", tw_cli_export_map, "Export the map as PNG, SVG or PDF with legend and footnote" },
  { "export-html", tw_cli_export_html, "Write the map as one HTML file that opens offline in any browser" },
  { "export-brief", tw_cli_export_brief, "Write the board brief: a multi-page PDF" },
  { "export-chna", tw_cli_export_chna, "Write the data sections of a Community Health Needs Assessment (PDF)" },
  { "export-csv", tw_cli_export_csv, "Write a measure's published figures as CSV with a codebook beside it" },
  { "export-share", tw_cli_export_share, "Write a share package (GeoPackage) for partners" },
  { "import-comments", tw_cli_import_comments, "Import a partner's comments file into the workspace" },
  { "review-comment", tw_cli_review_comment, "Add a comment on a share package to a comments file" },
  { "publish", tw_cli_publish, "Copy a workspace file into a new workspace on a team server" },
  { "checkout", tw_cli_checkout, "Copy a team server's workspace into a new workspace file" },
  { "checkin", tw_cli_checkin, "Send a checked-out file's edits back to its workspace" },
  { "member", tw_cli_member, "Members of a team workspace: add, list, remove" },
  { "comment", tw_cli_comment, "Add a comment on a project to a team workspace (partners too)" },
  { "demo", tw_cli_demo, "Build the demo workspace (NC SIDS counties, Boston tracts, synthetic)" },
};

static const char * const file_only_commands[] = {
  "new", "demo", "import-areas", "import-outcomes", "import-points", "import-attributes",
  "crosswalk", NULL
};

static void
print_help (FILE *out)
{
  fprintf (out, "Usage: tractwise-cli COMMAND WORKSPACE [OPTIONS…]\n\n"
                "Tractwise %s — health-equity maps and partner projects, for scripts.\n"
                "Queries print JSON on stdout. Bad input prints one line on stderr, exits\n"
                "with status 2 and leaves the workspace file unchanged.\n\nCommands:\n",
           PACKAGE_VERSION);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-18s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nRun 'tractwise-cli COMMAND --help' for the options of one command.\n");
}

gboolean
tw_cli_parse (int                 *argc,
              char              ***argv,
              const char          *usage,
              const char          *summary,
              const GOptionEntry  *entries,
              int                  n_positional)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *parameter = g_strdup_printf ("%s %s", (*argv)[0], usage);

  context = g_option_context_new (parameter);
  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, "tractwise-cli %s: %s; see 'tractwise-cli %s --help'\n",
               (*argv)[0], error->message, (*argv)[0]);
      return FALSE;
    }

  if (*argc - 1 != n_positional)
    {
      fprintf (stderr, "tractwise-cli %s: expected %s; see 'tractwise-cli %s --help'\n",
               (*argv)[0], usage, (*argv)[0]);
      return FALSE;
    }

  return TRUE;
}

/* A command on a server workspace reads a local copy of it, which messages from the store
 * name by its file: the user gave a URI, and is told of the workspace and its server. */
static char *replica_file;
static char *replica_name;

static char *
name_the_server (char *message)
{
  g_auto(GStrv) parts = NULL;

  if (replica_file == NULL || strstr (message, replica_file) == NULL)
    return message;
  parts = g_strsplit (message, replica_file, -1);
  g_free (message);
  return g_strjoinv (replica_name, parts);
}

int
tw_cli_fail (const GError *error)
{
  g_autofree char *message = NULL;

  g_assert (error != NULL);

  /* Messages quote what the input held, which may be any bytes: print UTF-8 only. */
  message = name_the_server (g_utf8_make_valid (error->message, -1));
  /* … and one line, whatever line breaks a quoted cell held. */
  for (char *c = message; *c != '\0'; c++)
    if ((guchar) *c < 0x20)
      *c = ' ';
  fprintf (stderr, "tractwise-cli: %s\n", message);
  /* Another program writing for too long is not an internal failure: try again later. */
  if (error->domain == TW_STORE_ERROR && error->code == TW_STORE_ERROR_BUSY)
    return TW_CLI_BAD_INPUT;
  if (error->domain == TW_STORE_ERROR && error->code == TW_STORE_ERROR_SQL)
    return TW_CLI_INTERNAL;
  return TW_CLI_BAD_INPUT;
}

int
tw_cli_bad_input (const char *format,
                  ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = name_the_server (g_strdup_vprintf (format, args));
  va_end (args);

  fprintf (stderr, "tractwise-cli: %s\n", message);
  return TW_CLI_BAD_INPUT;
}

gboolean
tw_cli_parse_per (const char *text,
                  double     *per)
{
  char *end = NULL;

  *per = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !(*per > 0) || !isfinite (*per))
    {
      tw_cli_bad_input ("--per '%s' is not a positive number; use 100, 1000 or 100000", text);
      return FALSE;
    }
  return TRUE;
}

static void
on_store_wait (TwStore    *store,
               const char *holder,
               double      waited_seconds,
               gpointer    user_data)
{
  g_autofree char *path = g_utf8_make_valid (tw_store_get_path (store), -1);

  fprintf (stderr, "tractwise-cli: waiting for another program writing to %s… (%s, %.0f s)\n",
           path, holder != NULL ? holder : "not named", waited_seconds);
}

TwStore *
tw_cli_open_project (const char *path,
                     int        *status)
{
  g_autoptr(GError) error = NULL;
  TwStore *store;

  /* A GeoPackage may be a partner's hostile file: never opened as a project (SQLite would
   * read it writable), only checked as a package. */
  if (tw_share_is_geopackage (path))
    {
      if (tw_share_check_package (path, &error))
        *status = tw_cli_bad_input ("%s: a share package opens read-only for review and "
                                    "cannot be edited; make changes in the original project, "
                                    "or add a comment with 'tractwise-cli review-comment'",
                                    path);
      else if (g_error_matches (error, TW_SHARE_ERROR, TW_SHARE_ERROR_NOT_A_PACKAGE))
        *status = tw_cli_bad_input ("%s: a GeoPackage, not a Tractwise project file; import "
                                    "its areas with 'tractwise-cli import-areas', or open a "
                                    ".tractwise file", path);
      else
        *status = tw_cli_fail (error);
      return NULL;
    }
  store = tw_store_open (path, &error);
  if (store != NULL && tw_pg_is_workspace_uri (path) && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_free (replica_file);
      g_free (replica_name);
      replica_file = g_strdup (tw_store_get_path (store));
      replica_name = tw_pg_describe_uri (path);
    }
  if (store != NULL)
    tw_store_set_wait_func (store, on_store_wait, NULL);
  else
    *status = tw_cli_fail (error);
  return store;
}

static void append_json (GString  *out,
                         JsonNode *node);

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const guchar *c = (const guchar *) text; *c != '\0'; c++)
    {
      switch (*c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*c < 0x20 || *c == 0x7f)
            g_string_append_printf (out, "\\u%04x", *c);
          else
            g_string_append_c (out, (char) *c);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_json_value (GString  *out,
                   JsonNode *node)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      if (isfinite (json_node_get_double (node)))
        g_string_append (out, tw_format_shortest (number, sizeof number,
                                                  json_node_get_double (node)));
      else
        g_string_append (out, "null");
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      break;
    case G_TYPE_STRING:
      append_json_string (out, json_node_get_string (node));
      break;
    default:
      g_string_append (out, "null");
    }
}

/* JSON as json-glib writes it, but with every number in its shortest exact form: a rate
 * rounded to 2.35 prints as 2.35, not as the 17 digits of the nearest binary fraction. */
static void
append_json (GString  *out,
             JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        g_string_append_c (out, '{');
        for (GList *m = members; m != NULL; m = m->next)
          {
            if (m != members)
              g_string_append_c (out, ',');
            append_json_string (out, m->data);
            g_string_append_c (out, ':');
            append_json (out, json_object_get_member (object, m->data));
          }
        g_string_append_c (out, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_json (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_VALUE:
      append_json_value (out, node);
      break;
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
    }
}

void
tw_cli_print_json (JsonNode *node)
{
  g_autoptr(GString) text = g_string_new (NULL);

  append_json (text, node);
  g_string_append_c (text, '\n');
  fwrite (text->str, 1, text->len, stdout);
}

int
tw_cli_print_builder (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  tw_cli_print_json (root);
  g_object_unref (builder);
  return TW_CLI_OK;
}

void
tw_cli_add_number (JsonBuilder *builder,
                   const char  *member,
                   double       value)
{
  if (member != NULL)
    json_builder_set_member_name (builder, member);
  if (isnan (value))
    json_builder_add_null_value (builder);
  else if (value == floor (value) && fabs (value) < 1e15)
    json_builder_add_int_value (builder, (gint64) value);
  else
    json_builder_add_double_value (builder, value);
}

void
tw_cli_add_figure (JsonBuilder *builder,
                   const char  *member,
                   double       value,
                   gboolean     reveal)
{
  tw_cli_add_number (builder, member, reveal ? value : tw_format_round_published (value));
}

void
tw_cli_add_strings (JsonBuilder        *builder,
                    const char         *member,
                    char * const       *values)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
      || g_str_equal (argv[1], "help"))
    {
      print_help (argc < 2 ? stderr : stdout);
      return argc < 2 ? TW_CLI_BAD_INPUT : TW_CLI_OK;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      printf ("tractwise-cli %s\n", PACKAGE_VERSION);
      return TW_CLI_OK;
    }

  /* These make or fill a file; a server workspace takes its data from a publish. */
  if (argc > 2 && tw_pg_is_workspace_uri (argv[2])
      && g_strv_contains (file_only_commands, argv[1]))
    {
      fprintf (stderr, "tractwise-cli: %s works on a workspace file, not on a server "
                       "workspace (%s); run it on a file, then 'tractwise-cli publish FILE "
                       "URI' into a new workspace\n", argv[1], argv[2]);
      return TW_CLI_BAD_INPUT;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[1], commands[i].name))
        {
          int status;

          tw_gdal_init ();
          status = commands[i].run (argc - 1, argv + 1);
          GDALDestroyDriverManager ();
          return status;
        }
    }

  fprintf (stderr, "tractwise-cli: unknown command '%s'; run 'tractwise-cli --help' for the list\n",
           argv[1]);
  return TW_CLI_BAD_INPUT;
}
