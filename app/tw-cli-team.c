/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tw-cli-private.h"
#include "tw-format.h"
#include "tw-pg.h"
#include "tw-rate-table.h"

/* A team server: publish, checkout, checkin and member. */

static int
fail (const GError *error)
{
  int status = tw_cli_fail (error);

  /* The server failing is not the user's input. */
  return g_error_matches (error, TW_PG_ERROR, TW_PG_ERROR_SERVER) ? TW_CLI_INTERNAL : status;
}

static TwPgWorkspace *
open_workspace (const char *command,
                const char *uri,
                gboolean    create,
                int        *status)
{
  g_autoptr(GError) error = NULL;
  TwPgWorkspace *workspace;

  if (!tw_pg_is_workspace_uri (uri))
    {
      *status = tw_cli_bad_input ("%s: '%s' is not a workspace URI; write "
                                  "postgresql://[user@]host[:port]/db?workspace=NAME, "
                                  "postgresql:///db?host=/socket/dir&workspace=NAME or "
                                  "'service=NAME workspace=NAME'", command, uri);
      return NULL;
    }
  workspace = tw_pg_workspace_open (uri, create, &error);
  if (workspace == NULL)
    *status = fail (error);
  return workspace;
}

static const char *
status_word (const TwRateRow *row)
{
  switch (row->reason)
    {
    case TW_SUPPRESSION_COMPLEMENTARY:
      return "complementary";
    case TW_SUPPRESSION_PRIMARY:
    case TW_SUPPRESSION_WITHHELD:
      return "suppressed";
    case TW_SUPPRESSION_SHOWN:
    default:
      if (isnan (row->rate))
        return "missing";
      return row->unstable ? "unreliable" : "shown";
    }
}

static double
published (double value)
{
  return isnan (value) ? NAN : tw_format_round_published (value);
}

/* The figures a viewer or partner may read, computed here under the workspace's policy
 * (primary and complementary suppression, publication precision), as every export is:
 * the server only ever holds their result. */
static gboolean
publish_figures (TwStore        *store,
                 TwPgWorkspace  *workspace,
                 guint          *n_figures,
                 GError        **error)
{
  g_autoptr(TwProjectSummary) summary = tw_store_summarize (store, error);
  g_autoptr(GArray) rates = g_array_new (FALSE, TRUE, sizeof (TwPgPublishedRate));
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func ((GDestroyNotify) tw_rate_table_unref);

  if (summary == NULL)
    return FALSE;
  for (guint g = 0; g < summary->geographies->len; g++)
    {
      TwGeographySummary *geography = g_ptr_array_index (summary->geographies, g);
      gint64 geography_id = tw_store_resolve_geography (store, geography->name, error);

      if (geography_id < 0)
        return FALSE;
      for (guint m = 0; m < summary->measures->len; m++)
        {
          TwMeasureSummary *measure = g_ptr_array_index (summary->measures, m);

          for (guint p = 0; measure->periods != NULL && measure->periods[p] != NULL; p++)
            {
              TwRateQuery query = {
                .measure = measure->code,
                .period = measure->periods[p],
                .geography_id = geography_id,
                .method = TW_RATE_METHOD_CRUDE,
              };
              TwRateTable *table = tw_rate_table_compute (store, &query, NULL, NULL, error);

              if (table == NULL)
                return FALSE;
              g_ptr_array_add (tables, table);
              for (guint i = 0; i < tw_rate_table_get_n_rows (table); i++)
                {
                  const TwRateRow *row = tw_rate_table_get_row (table, i);
                  gboolean hide = tw_rate_row_is_suppressed (row);
                  TwPgPublishedRate rate = {
                    .geography = geography->name,
                    .geoid = row->geoid,
                    .measure = measure->code,
                    .period = measure->periods[p],
                    .stratum = row->stratum,
                    .status = status_word (row),
                    .numerator = hide ? NAN : row->numerator,
                    .denominator = row->denominator,
                    .rate = hide ? NAN : published (row->rate),
                    .lower = hide ? NAN : published (row->lower),
                    .upper = hide ? NAN : published (row->upper),
                  };

                  g_array_append_val (rates, rate);
                }
            }
        }
    }
  *n_figures = rates->len;
  return tw_pg_replace_published (workspace, (TwPgPublishedRate *) (gpointer) rates->data,
                                  rates->len, error);
}

/* {"workspace": NAME, MEMBER: COUNT, …}: pairs of a member name and a gint64, then NULL. */
static int
print_workspace_counts (TwPgWorkspace *workspace,
                        const char    *first_member,
                        ...)
{
  JsonBuilder *builder = json_builder_new ();
  va_list args;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "workspace");
  json_builder_add_string_value (builder, tw_pg_workspace_get_name (workspace));
  va_start (args, first_member);
  for (const char *member = first_member; member != NULL; member = va_arg (args, const char *))
    {
      json_builder_set_member_name (builder, member);
      json_builder_add_int_value (builder, va_arg (args, gint64));
    }
  va_end (args);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

int
tw_cli_publish (int    argc,
                char **argv)
{
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwPgWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  gboolean figures_only = FALSE;
  const GOptionEntry entries[] = {
    { "figures-only", 0, 0, G_OPTION_ARG_NONE, &figures_only, "Only compute again the figures viewers and partners read (after a change of the policy), from the workspace URI itself", NULL },
    { NULL }
  };
  guint n_figures = 0;
  int status = TW_CLI_OK;

  /* With --figures-only the one argument is the workspace: known before parsing. */
  for (int i = 1; i < argc; i++)
    figures_only |= g_str_equal (argv[i], "--figures-only");
  if (!tw_cli_parse (&argc, &argv, figures_only ? "--figures-only URI" : "FILE URI",
                     "Copy a workspace file into a new workspace on a team server (PostgreSQL "
                     "with PostGIS): areas, outcomes, attributes, partners, projects, comments "
                     "and the policy, and the figures partners may see, suppressed. The URI "
                     "is postgresql://[user@]host[:port]/db?workspace=NAME; passwords go in "
                     "~/.pgpass, never in the URI.", entries, figures_only ? 1 : 2))
    return TW_CLI_BAD_INPUT;
  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  workspace = open_workspace ("publish", argv[figures_only ? 1 : 2], !figures_only, &status);
  if (workspace == NULL)
    return status;
  if ((!figures_only && !tw_pg_publish (workspace, store, &error))
      || !publish_figures (store, workspace, &n_figures, &error))
    return fail (error);

  return print_workspace_counts (workspace, "published_figures", (gint64) n_figures, NULL);
}

int
tw_cli_checkout (int    argc,
                 char **argv)
{
  g_autoptr(TwPgWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  JsonBuilder *builder;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "URI FILE",
                     "Copy a workspace of a team server into a new workspace file, to work "
                     "offline; 'checkin' brings the edits back.", NULL, 2))
    return TW_CLI_BAD_INPUT;
  if (g_file_test (argv[2], G_FILE_TEST_EXISTS))
    return tw_cli_bad_input ("checkout: %s exists; give a new file name", argv[2]);
  workspace = open_workspace ("checkout", argv[1], FALSE, &status);
  if (workspace == NULL)
    return status;
  if (!tw_pg_checkout (workspace, argv[2], &error))
    return fail (error);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "out");
  json_builder_add_string_value (builder, argv[2]);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

int
tw_cli_checkin (int    argc,
                char **argv)
{
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwPgWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  TwPgCheckinCounts counts = { 0 };
  JsonBuilder *builder;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "FILE URI",
                     "Send the edits of a checked-out file (partners, projects and their areas, "
                     "milestones, comments, settings) back to its workspace. A row a colleague "
                     "changed since the checkout is a conflict: nothing is sent and the message "
                     "names who changed what.", NULL, 2))
    return TW_CLI_BAD_INPUT;
  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  workspace = open_workspace ("checkin", argv[2], FALSE, &status);
  if (workspace == NULL)
    return status;
  if (!tw_pg_checkin (workspace, store, &counts, &error))
    return fail (error);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "updated");
  json_builder_add_int_value (builder, counts.updated);
  json_builder_set_member_name (builder, "added");
  json_builder_add_int_value (builder, counts.added);
  json_builder_set_member_name (builder, "deleted");
  json_builder_add_int_value (builder, counts.deleted);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

int
tw_cli_comment (int    argc,
                char **argv)
{
  g_autofree char *area = NULL, *author = NULL, *text = NULL;
  gint64 project = 0;
  const GOptionEntry entries[] = {
    { "project", 0, 0, G_OPTION_ARG_INT64, &project, "Id of the project (required)", "ID" },
    { "area", 0, 0, G_OPTION_ARG_STRING, &area, "GEOID of the area the comment is about", "GEOID" },
    { "author", 0, 0, G_OPTION_ARG_STRING, &author, "Who writes (required)", "NAME" },
    { "text", 0, 0, G_OPTION_ARG_STRING, &text, "The comment (required)", "TEXT" },
    { NULL }
  };
  g_autoptr(TwPgWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "URI",
                     "Add a comment on a project to a workspace on a team server. A partner "
                     "may comment on the projects of the organization they speak for; the "
                     "analysts' windows show it at once.", entries, 1))
    return TW_CLI_BAD_INPUT;
  if (project <= 0 || author == NULL || text == NULL || text[0] == '\0')
    return tw_cli_bad_input ("comment: --project ID, --author NAME and --text TEXT are "
                             "required");
  workspace = open_workspace ("comment", argv[1], FALSE, &status);
  if (workspace == NULL)
    return status;
  if (!tw_pg_add_comment (workspace, project, area, author, text, &error))
    return fail (error);

  return print_workspace_counts (workspace, "project", project, "comments_added", (gint64) 1,
                                 NULL);
}

static int
print_member (const char *user,
              const char *role)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  json_builder_add_string_value (builder, user);
  json_builder_set_member_name (builder, "role");
  if (role != NULL)
    json_builder_add_string_value (builder, role);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

static int
member_add (int    argc,
            char **argv)
{
  g_autofree char *user = NULL, *role = NULL, *counties = NULL, *partner = NULL;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, "Login name (created when missing, without a password)", "NAME" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, "owner, analyst, viewer or partner", "ROLE" },
    { "counties", 0, 0, G_OPTION_ARG_STRING, &counties, "Only these counties' areas: FIPS codes, 25025,25017", "LIST" },
    { "partner", 0, 0, G_OPTION_ARG_STRING, &partner, "The partner organization a partner member speaks for", "NAME" },
    { NULL }
  };
  g_autoptr(TwPgWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) county_list = NULL;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "URI",
                     "Add a member to a workspace, or change their role: the server then "
                     "allows only what the role allows.", entries, 1))
    return TW_CLI_BAD_INPUT;
  if (user == NULL || role == NULL)
    return tw_cli_bad_input ("member add: --user and --role are required");
  if (counties != NULL)
    {
      county_list = g_strsplit (counties, ",", -1);
      for (guint i = 0; county_list[i] != NULL; i++)
        g_strstrip (county_list[i]);
    }
  workspace = open_workspace ("member add", argv[1], FALSE, &status);
  if (workspace == NULL)
    return status;
  if (!tw_pg_member_add (workspace, user, role, (const char * const *) county_list, partner,
                         &error))
    return fail (error);
  return print_member (user, role);
}

static int
member_list (int    argc,
             char **argv)
{
  g_autoptr(TwPgWorkspace) workspace = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GError) error = NULL;
  JsonBuilder *builder;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "URI", "List the members of a workspace and their roles.",
                     NULL, 1))
    return TW_CLI_BAD_INPUT;
  workspace = open_workspace ("member list", argv[1], FALSE, &status);
  if (workspace == NULL)
    return status;
  members = tw_pg_member_list (workspace, &error);
  if (members == NULL)
    return fail (error);

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < members->len; i++)
    {
      TwPgMember *member = g_ptr_array_index (members, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "user");
      json_builder_add_string_value (builder, member->login);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, member->role);
      if (member->counties != NULL)
        tw_cli_add_strings (builder, "counties", member->counties);
      else
        {
          json_builder_set_member_name (builder, "counties");
          json_builder_add_null_value (builder);
        }
      json_builder_set_member_name (builder, "partner");
      if (member->partner != NULL)
        json_builder_add_string_value (builder, member->partner);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return tw_cli_print_builder (builder);
}

static int
member_remove (int    argc,
               char **argv)
{
  g_autofree char *user = NULL;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, "Login name", "NAME" },
    { NULL }
  };
  g_autoptr(TwPgWorkspace) workspace = NULL;
  g_autoptr(GError) error = NULL;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "URI",
                     "Take a member's roles in a workspace (the login itself stays).",
                     entries, 1))
    return TW_CLI_BAD_INPUT;
  if (user == NULL)
    return tw_cli_bad_input ("member remove: --user is required");
  workspace = open_workspace ("member remove", argv[1], FALSE, &status);
  if (workspace == NULL)
    return status;
  if (!tw_pg_member_remove (workspace, user, &error))
    return fail (error);
  return print_member (user, NULL);
}

int
tw_cli_member (int    argc,
               char **argv)
{
  static const struct
  {
    const char   *verb;
    TwCliCommand  run;
  } verbs[] = {
    { "add", member_add },
    { "list", member_list },
    { "remove", member_remove },
  };

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      fprintf (argc < 2 ? stderr : stdout,
               "Usage: tractwise-cli member add|list|remove URI [OPTIONS…]\n\n"
               "  add      Add a member or change their role (--user, --role, --counties, "
               "--partner)\n"
               "  list     List the members\n"
               "  remove   Take a member's roles (--user)\n");
      return argc < 2 ? TW_CLI_BAD_INPUT : TW_CLI_OK;
    }
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    if (g_str_equal (argv[1], verbs[i].verb))
      {
        g_autofree char *name = g_strdup_printf ("member %s", argv[1]);

        argv[1] = name;
        return verbs[i].run (argc - 1, argv + 1);
      }
  return tw_cli_bad_input ("member: unknown verb '%s'; use add, list or remove", argv[1]);
}
