/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-cli"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tw-cli-private.h"
#include "tw-evaluation.h"
#include "tw-partners.h"
#include "tw-policy-text.h"
#include "tw-project.h"

typedef struct
{
  const char   *verb;
  TwCliCommand  run;
  const char   *summary;
} TwCliVerb;

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

static int
print_id (const char *member,
          gint64      id)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, id);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

static gboolean
parse_id (const char *text,
          const char *what,
          gint64     *id)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    {
      tw_cli_bad_input ("'%s' is not a %s id; give the number 'list' shows", text, what);
      return FALSE;
    }
  *id = (gint64) value;
  return TRUE;
}

/* A non-negative amount, or NAN when @text is NULL. */
static gboolean
parse_amount (const char *text,
              const char *option,
              double     *value)
{
  char *end = NULL;

  *value = NAN;
  if (text == NULL)
    return TRUE;
  *value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (*value))
    {
      tw_cli_bad_input ("%s: '%s' is not a number; write it like 2500 or 12.5", option, text);
      return FALSE;
    }
  return TRUE;
}

/* "A,B, C" → { "A", "B", "C" }; empty items are dropped. */
static GStrv
split_list (const char *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) items = NULL;

  if (text == NULL)
    return NULL;
  items = g_strsplit (text, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_strstrip (items[i]);
      if (items[i][0] != '\0')
        g_strv_builder_add (builder, items[i]);
    }
  return g_strv_builder_end (builder);
}

/* Runs the verb @argv[1] of the command @argv[0] ("partner add"), or says what exists. */
static int
dispatch (int              argc,
          char           **argv,
          const TwCliVerb *verbs,
          guint            n_verbs)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < n_verbs; i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "", verbs[i].verb);

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      FILE *out = argc < 2 ? stderr : stdout;

      fprintf (out, "Usage: tractwise-cli %s VERB WORKSPACE [OPTIONS…]\n\nVerbs:\n", argv[0]);
      for (guint i = 0; i < n_verbs; i++)
        fprintf (out, "  %-12s %s\n", verbs[i].verb, verbs[i].summary);
      return argc < 2 ? TW_CLI_BAD_INPUT : TW_CLI_OK;
    }

  for (guint i = 0; i < n_verbs; i++)
    if (g_str_equal (argv[1], verbs[i].verb))
      {
        g_autofree char *name = g_strdup_printf ("%s %s", argv[0], argv[1]);
        g_autofree char **args = g_new0 (char *, argc);

        args[0] = name;
        for (int j = 2; j < argc; j++)
          args[j - 1] = argv[j];
        return verbs[i].run (argc - 1, args);
      }

  return tw_cli_bad_input ("%s: unknown verb '%s'; use one of: %s", argv[0], argv[1],
                           names->str);
}

/* Partners */

static int
partner_add (int    argc,
             char **argv)
{
  g_autofree char *name = NULL, *kind = NULL, *contact = NULL, *email = NULL;
  g_autofree char *phone = NULL, *agreement = NULL, *notes = NULL;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "The organization's name (unique)", "NAME" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, "Community-based organization, school, clinic …", "KIND" },
    { "contact", 0, 0, G_OPTION_ARG_STRING, &contact, "A contact person", "NAME" },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, "E-mail address", "E" },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &phone, "Telephone", "P" },
    { "agreement", 0, 0, G_OPTION_ARG_STRING, &agreement, "none, mou or dua", "A" },
    { "notes", 0, 0, G_OPTION_ARG_STRING, &notes, "Notes", "T" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwPartner) partner = NULL;
  int status = TW_CLI_OK;
  gint64 id;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE", "Add a partner organization.", entries, 1))
    return TW_CLI_BAD_INPUT;
  if (name == NULL)
    return tw_cli_bad_input ("partner add: give the partner's name with --name");
  if (agreement != NULL && !tw_partner_agreement_is_valid (agreement))
    return tw_cli_bad_input ("partner add: unknown agreement '%s'; use none, mou (memorandum "
                             "of understanding) or dua (data-use agreement)", agreement);

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;

  partner = tw_partner_new (name);
  partner->kind = g_steal_pointer (&kind);
  partner->contact = g_steal_pointer (&contact);
  partner->email = g_steal_pointer (&email);
  partner->phone = g_steal_pointer (&phone);
  if (agreement != NULL)
    {
      g_free (partner->agreement);
      partner->agreement = g_steal_pointer (&agreement);
    }
  partner->notes = g_steal_pointer (&notes);

  id = tw_partners_add (store, partner, &error);
  if (id < 0)
    return tw_cli_fail (error);
  return print_id ("id", id);
}

static int
partner_list (int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(GPtrArray) partners = NULL;
  JsonBuilder *builder;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE", "List the partners and their projects.", NULL,
                     1))
    return TW_CLI_BAD_INPUT;
  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  partners = tw_partners_list (store, &error);
  if (partners == NULL)
    return tw_cli_fail (error);

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < partners->len; i++)
    {
      TwPartner *partner = g_ptr_array_index (partners, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, partner->id);
      add_string (builder, "name", partner->name);
      add_string (builder, "kind", partner->kind);
      add_string (builder, "agreement", partner->agreement);
      add_string (builder, "contact", partner->contact);
      add_string (builder, "email", partner->email);
      add_string (builder, "phone", partner->phone);
      add_string (builder, "notes", partner->notes);
      json_builder_set_member_name (builder, "projects");
      json_builder_begin_array (builder);
      for (guint j = 0; j < partner->projects->len; j++)
        {
          TwPartnerProject *project = g_ptr_array_index (partner->projects, j);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, project->id);
          add_string (builder, "title", project->title);
          add_string (builder, "role", project->role);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return tw_cli_print_builder (builder);
}

static int
partner_delete (int    argc,
                char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  int status = TW_CLI_OK;
  gint64 id;
  guint64 number;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE NAME|ID",
                     "Delete a partner that no project uses.", NULL, 2))
    return TW_CLI_BAD_INPUT;
  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;

  /* By name first: a name may be made of digits. */
  id = tw_partners_find (store, argv[2], &error);
  if (id < 0 && g_ascii_string_to_unsigned (argv[2], 10, 1, G_MAXINT64, &number, NULL))
    {
      g_autoptr(TwPartner) partner = tw_partners_get (store, (gint64) number, NULL);

      if (partner != NULL)
        {
          g_clear_error (&error);
          id = partner->id;
        }
    }
  if (id < 0)
    return tw_cli_fail (error);
  if (!tw_partners_delete (store, id, NULL, &error))
    return tw_cli_fail (error);
  return print_id ("deleted", id);
}

int
tw_cli_partner (int    argc,
                char **argv)
{
  static const TwCliVerb verbs[] = {
    { "add", partner_add, "Add a partner organization → {\"id\"}" },
    { "list", partner_list, "List the partners with their projects" },
    { "delete", partner_delete, "Delete a partner no project uses" },
  };

  return dispatch (argc, argv, verbs, G_N_ELEMENTS (verbs));
}

/* Projects */

static void
add_project_partners (TwStore    *store,
                      TwProject  *project,
                      char      **values)
{
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      const char *colon = strrchr (values[i], ':');

      /* "NAME:ROLE", unless the whole text is a partner's name. */
      if (colon != NULL && tw_partners_find (store, values[i], NULL) < 0)
        {
          g_autofree char *name = g_strndup (values[i], colon - values[i]);

          tw_project_take_partner (project, g_strstrip (name), colon[1] ? colon + 1 : NULL);
        }
      else
        tw_project_take_partner (project, values[i], NULL);
    }
}

static int
project_add (int    argc,
             char **argv)
{
  g_autofree char *title = NULL, *aim = NULL, *measure = NULL, *stratum = NULL;
  g_autofree char *geography = NULL, *areas = NULL, *start = NULL, *end = NULL;
  g_autofree char *status_text = NULL, *budget = NULL, *goal = NULL, *notes = NULL;
  g_auto(GStrv) partners = NULL;
  const GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "The project's title", "T" },
    { "aim", 0, 0, G_OPTION_ARG_STRING, &aim, "What it aims to do", "A" },
    { "partner", 0, 0, G_OPTION_ARG_STRING_ARRAY, &partners, "A partner, by name, with an optional role after a colon (repeatable)", "NAME[:ROLE]" },
    { "measure", 0, 0, G_OPTION_ARG_STRING, &measure, "The outcome measure it targets", "M" },
    { "stratum", 0, 0, G_OPTION_ARG_STRING, &stratum, "The group it targets (default all)", "S" },
    { "geography", 0, 0, G_OPTION_ARG_STRING, &geography, "The geography of its areas (default: the only one)", "G" },
    { "areas", 0, 0, G_OPTION_ARG_STRING, &areas, "Target areas", "GEOID,…" },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start, "Start date", "YYYY-MM-DD" },
    { "end", 0, 0, G_OPTION_ARG_STRING, &end, "End date", "YYYY-MM-DD" },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status_text, "planned, active, paused or completed", "S" },
    { "budget", 0, 0, G_OPTION_ARG_STRING, &budget, "Budget", "AMOUNT" },
    { "goal-percent", 0, 0, G_OPTION_ARG_STRING, &goal, "Goal: move the rate this many percent the good way", "P" },
    { "notes", 0, 0, G_OPTION_ARG_STRING, &notes, "Notes", "T" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwProject) project = NULL;
  g_auto(GStrv) geoids = NULL;
  int status = TW_CLI_OK;
  gint64 id;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE", "Add a partner project.", entries, 1))
    return TW_CLI_BAD_INPUT;
  if (title == NULL)
    return tw_cli_bad_input ("project add: give the project's title with --title");

  project = tw_project_new (title);
  if (!parse_amount (budget, "--budget", &project->budget)
      || !parse_amount (goal, "--goal-percent", &project->goal_percent))
    return TW_CLI_BAD_INPUT;

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;

  project->aim = g_steal_pointer (&aim);
  project->measure = g_steal_pointer (&measure);
  project->stratum = g_steal_pointer (&stratum);
  project->geography = g_steal_pointer (&geography);
  project->start_date = g_steal_pointer (&start);
  project->end_date = g_steal_pointer (&end);
  if (status_text != NULL)
    {
      g_free (project->status);
      project->status = g_steal_pointer (&status_text);
    }
  project->notes = g_steal_pointer (&notes);
  add_project_partners (store, project, partners);
  geoids = split_list (areas);
  for (guint i = 0; geoids != NULL && geoids[i] != NULL; i++)
    tw_project_take_area (project, geoids[i]);

  id = tw_project_add (store, project, &error);
  if (id < 0)
    return tw_cli_fail (error);
  return print_id ("id", id);
}

static void
build_project_summary (JsonBuilder *builder,
                       TwProject   *project)
{
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, project->id);
  add_string (builder, "title", project->title);
  add_string (builder, "status", project->status);
  add_string (builder, "measure", project->measure);
  add_string (builder, "stratum", project->stratum ? project->stratum
                                  : project->measure ? "all" : NULL);
  add_string (builder, "geography", project->geography);
  add_string (builder, "start", project->start_date);
  add_string (builder, "end", project->end_date);
  tw_cli_add_number (builder, "budget", project->budget);
  tw_cli_add_number (builder, "goal_percent", project->goal_percent);
}

static int
project_list (int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  JsonBuilder *builder;
  int status = TW_CLI_OK;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE", "List the partner projects.", NULL, 1))
    return TW_CLI_BAD_INPUT;
  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  projects = tw_project_list (store, &error);
  if (projects == NULL)
    return tw_cli_fail (error);

  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < projects->len; i++)
    {
      TwProject *project = g_ptr_array_index (projects, i);

      json_builder_begin_object (builder);
      build_project_summary (builder, project);
      json_builder_set_member_name (builder, "partners");
      json_builder_begin_array (builder);
      for (guint j = 0; j < project->partners->len; j++)
        json_builder_add_string_value (builder, ((TwProjectPartner *)
                                                 g_ptr_array_index (project->partners, j))->name);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "areas");
      json_builder_add_int_value (builder, project->areas->len);
      json_builder_set_member_name (builder, "milestones");
      json_builder_add_int_value (builder, project->milestones->len);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return tw_cli_print_builder (builder);
}

static int
project_show (int    argc,
              char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwProject) project = NULL;
  JsonBuilder *builder;
  int status = TW_CLI_OK;
  gint64 id;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE ID", "Show one project in full.", NULL, 2))
    return TW_CLI_BAD_INPUT;
  if (!parse_id (argv[2], "project", &id))
    return TW_CLI_BAD_INPUT;
  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  project = tw_project_get (store, id, &error);
  if (project == NULL)
    return tw_cli_fail (error);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  build_project_summary (builder, project);
  add_string (builder, "aim", project->aim);
  add_string (builder, "notes", project->notes);
  json_builder_set_member_name (builder, "partners");
  json_builder_begin_array (builder);
  for (guint i = 0; i < project->partners->len; i++)
    {
      TwProjectPartner *partner = g_ptr_array_index (project->partners, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, partner->partner_id);
      add_string (builder, "name", partner->name);
      add_string (builder, "role", partner->role);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "areas");
  json_builder_begin_array (builder);
  for (guint i = 0; i < project->areas->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (project->areas, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "milestones");
  json_builder_begin_array (builder);
  for (guint i = 0; i < project->milestones->len; i++)
    {
      TwMilestone *milestone = g_ptr_array_index (project->milestones, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, milestone->id);
      add_string (builder, "title", milestone->title);
      add_string (builder, "due", milestone->due_date);
      add_string (builder, "done", milestone->done_date);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "comments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < project->comments->len; i++)
    {
      TwProjectComment *comment = g_ptr_array_index (project->comments, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, comment->id);
      add_string (builder, "author", comment->author);
      add_string (builder, "body", comment->body);
      add_string (builder, "created_at", comment->created_at);
      add_string (builder, "geoid", comment->geoid);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

static int
project_set_areas (int    argc,
                   char **argv)
{
  g_autofree char *areas = NULL;
  const GOptionEntry entries[] = {
    { "areas", 0, 0, G_OPTION_ARG_STRING, &areas, "The target areas (an empty list clears them)", "GEOID,…" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_auto(GStrv) geoids = NULL;
  JsonBuilder *builder;
  int status = TW_CLI_OK;
  gint64 id;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE ID", "Replace a project's target areas.",
                     entries, 2))
    return TW_CLI_BAD_INPUT;
  if (!parse_id (argv[2], "project", &id))
    return TW_CLI_BAD_INPUT;
  if (areas == NULL)
    return tw_cli_bad_input ("project set-areas: give the target areas with --areas "
                             "GEOID,… (--areas '' clears them)");
  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;

  geoids = split_list (areas);
  if (!tw_project_set_areas (store, id, (const char *const *) geoids, &error))
    return tw_cli_fail (error);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "areas");
  {
    g_autoptr(TwProject) project = tw_project_get (store, id, NULL);

    json_builder_add_int_value (builder, project ? project->areas->len : 0);
  }
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

static int
project_milestone (int    argc,
                   char **argv)
{
  g_autofree char *title = NULL, *due = NULL, *done = NULL;
  const GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "What is to be done", "T" },
    { "due", 0, 0, G_OPTION_ARG_STRING, &due, "When it is due", "YYYY-MM-DD" },
    { "done", 0, 0, G_OPTION_ARG_STRING, &done, "When it was done", "YYYY-MM-DD" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwMilestone) milestone = NULL;
  int status = TW_CLI_OK;
  gint64 id, milestone_id;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE ID", "Add a milestone to a project.", entries, 2))
    return TW_CLI_BAD_INPUT;
  if (!parse_id (argv[2], "project", &id))
    return TW_CLI_BAD_INPUT;
  if (title == NULL || due == NULL)
    return tw_cli_bad_input ("project milestone: give --title and --due YYYY-MM-DD");
  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;

  milestone = tw_milestone_new (title, due, done);
  milestone_id = tw_project_add_milestone (store, id, milestone, &error);
  if (milestone_id < 0)
    return tw_cli_fail (error);
  return print_id ("id", milestone_id);
}

static int
project_delete (int    argc,
                char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  int status = TW_CLI_OK;
  gint64 id;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE ID",
                     "Delete a project with its areas, milestones and comments.", NULL, 2))
    return TW_CLI_BAD_INPUT;
  if (!parse_id (argv[2], "project", &id))
    return TW_CLI_BAD_INPUT;
  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;
  if (!tw_project_delete (store, id, NULL, &error))
    return tw_cli_fail (error);
  return print_id ("deleted", id);
}

static void
add_count (JsonBuilder *builder,
           const char  *member,
           guint        value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

static void
add_figure (JsonBuilder              *builder,
            const char               *member,
            const TwEvaluationFigure *figure,
            gboolean                  reveal)
{
  tw_cli_add_figure (builder, member, figure->rate, reveal);
}

static void
add_figure_detail (JsonBuilder              *builder,
                   const char               *member,
                   const TwEvaluationFigure *figure,
                   gboolean                  reveal)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  tw_cli_add_figure (builder, "rate", figure->rate, reveal);
  tw_cli_add_figure (builder, "lower", figure->lower, reveal);
  tw_cli_add_figure (builder, "upper", figure->upper, reveal);
  json_builder_set_member_name (builder, "areas");
  json_builder_add_int_value (builder, figure->n_areas);
  json_builder_set_member_name (builder, "areas_left_out");
  json_builder_add_int_value (builder, figure->n_left_out);
  json_builder_set_member_name (builder, "suppressed");
  json_builder_add_boolean_value (builder, figure->suppressed);
  json_builder_set_member_name (builder, "unstable");
  json_builder_add_boolean_value (builder, figure->unstable);
  json_builder_end_object (builder);
}

static int
project_evaluate (int    argc,
                  char **argv)
{
  g_autofree char *comparison = NULL, *before = NULL, *after = NULL;
  gboolean reveal = FALSE;
  const GOptionEntry entries[] = {
    { "comparison", 0, 0, G_OPTION_ARG_STRING, &comparison, "Comparison areas: all (every other area, the default) or a list", "all|GEOID,…" },
    { "before", 0, 0, G_OPTION_ARG_STRING, &before, "Periods before the start (default: those that end before it)", "P,…" },
    { "after", 0, 0, G_OPTION_ARG_STRING, &after, "Periods after the start (default: those that begin on or after it)", "P,…" },
    { "reveal", 0, 0, G_OPTION_ARG_NONE, &reveal, "Analyst view: show suppressed figures (stdout only)", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(TwEvaluation) evaluation = NULL;
  g_auto(GStrv) comparison_list = NULL, before_list = NULL, after_list = NULL;
  g_autofree char *footnote = NULL;
  TwEvaluationOptions options = { 0 };
  JsonBuilder *builder;
  int status = TW_CLI_OK;
  gint64 id;

  if (!tw_cli_parse (&argc, &argv, "WORKSPACE ID",
                     "Evaluate a project: pooled rates of its target and comparison areas "
                     "before and after its start, the difference in differences with its 95% "
                     "interval, its verdict, and progress toward the goal measured on it. "
                     "Without --reveal only areas whose counts are shown in every period used "
                     "are pooled.",
                     entries, 2))
    return TW_CLI_BAD_INPUT;
  if (!parse_id (argv[2], "project", &id))
    return TW_CLI_BAD_INPUT;
  comparison_list = split_list (comparison);
  before_list = split_list (before);
  after_list = split_list (after);
  if ((comparison != NULL && comparison_list[0] == NULL)
      || (before != NULL && before_list[0] == NULL)
      || (after != NULL && after_list[0] == NULL))
    return tw_cli_bad_input ("project evaluate: --comparison, --before and --after need at "
                             "least one item when given");
  if (comparison_list != NULL && g_strv_contains ((const char *const *) comparison_list, "all")
      && comparison_list[1] != NULL)
    return tw_cli_bad_input ("project evaluate: --comparison is either all or a list of "
                             "GEOIDs, not both");

  store = tw_cli_open_project (argv[1], &status);
  if (store == NULL)
    return status;

  options.comparison = comparison_list;
  options.before = before_list;
  options.after = after_list;
  options.reveal = reveal;
  evaluation = tw_evaluation_run (store, id, &options, &error);
  if (evaluation == NULL)
    return tw_cli_fail (error);
  if (reveal)
    fprintf (stderr, "tractwise-cli: analyst view: suppressed figures are shown; this output "
                     "must not leave your screen\n");

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "project");
  json_builder_add_int_value (builder, evaluation->project_id);
  add_string (builder, "measure", evaluation->measure);
  add_string (builder, "stratum", evaluation->stratum);
  tw_cli_add_number (builder, "multiplier", evaluation->multiplier);
  add_string (builder, "start", evaluation->start_date);
  tw_cli_add_strings (builder, "before", evaluation->before);
  tw_cli_add_strings (builder, "after", evaluation->after);
  json_builder_set_member_name (builder, "target_areas");
  json_builder_add_int_value (builder, evaluation->n_target_areas);
  json_builder_set_member_name (builder, "comparison_areas");
  json_builder_add_int_value (builder, evaluation->n_comparison_areas);
  add_count (builder, "n_target_areas_used", evaluation->n_target_used);
  add_count (builder, "n_target_areas_left_out", evaluation->n_target_left_out);
  add_count (builder, "n_target_areas_no_data", evaluation->n_target_no_data);
  add_count (builder, "n_comparison_areas_used", evaluation->n_comparison_used);
  add_count (builder, "n_comparison_areas_left_out", evaluation->n_comparison_left_out);
  add_count (builder, "n_comparison_areas_no_data", evaluation->n_comparison_no_data);
  add_figure (builder, "target_before", &evaluation->target_before, evaluation->revealed);
  add_figure (builder, "target_after", &evaluation->target_after, evaluation->revealed);
  add_figure (builder, "comparison_before", &evaluation->comparison_before, evaluation->revealed);
  add_figure (builder, "comparison_after", &evaluation->comparison_after, evaluation->revealed);
  tw_cli_add_figure (builder, "did", evaluation->did, evaluation->revealed);
  tw_cli_add_figure (builder, "did_lower", evaluation->did_lower, evaluation->revealed);
  tw_cli_add_figure (builder, "did_upper", evaluation->did_upper, evaluation->revealed);
  tw_cli_add_number (builder, "goal_percent", evaluation->goal_percent);
  tw_cli_add_figure (builder, "target_change_percent", evaluation->target_change_percent, evaluation->revealed);
  add_string (builder, "verdict", tw_evaluation_verdict_to_string (evaluation->verdict));
  tw_cli_add_figure (builder, "goal_progress", evaluation->goal_progress, evaluation->revealed);
  tw_cli_add_figure (builder, "goal_progress_lower", evaluation->goal_progress_lower, evaluation->revealed);
  tw_cli_add_figure (builder, "goal_progress_upper", evaluation->goal_progress_upper, evaluation->revealed);
  json_builder_set_member_name (builder, "suppressed");
  json_builder_add_boolean_value (builder, evaluation->suppressed);
  json_builder_set_member_name (builder, "revealed");
  json_builder_add_boolean_value (builder, evaluation->revealed);
  json_builder_set_member_name (builder, "figures");
  json_builder_begin_object (builder);
  add_figure_detail (builder, "target_before", &evaluation->target_before, evaluation->revealed);
  add_figure_detail (builder, "target_after", &evaluation->target_after, evaluation->revealed);
  add_figure_detail (builder, "comparison_before", &evaluation->comparison_before, evaluation->revealed);
  add_figure_detail (builder, "comparison_after", &evaluation->comparison_after, evaluation->revealed);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "trend");
  json_builder_begin_array (builder);
  for (guint i = 0; i < evaluation->trend->len; i++)
    {
      TwEvaluationPoint *point = g_ptr_array_index (evaluation->trend, i);

      json_builder_begin_object (builder);
      add_string (builder, "period", point->period);
      add_figure (builder, "target", &point->target, evaluation->revealed);
      add_figure (builder, "comparison", &point->comparison, evaluation->revealed);
      json_builder_set_member_name (builder, "target_suppressed");
      json_builder_add_boolean_value (builder, point->target.suppressed);
      json_builder_set_member_name (builder, "comparison_suppressed");
      json_builder_add_boolean_value (builder, point->comparison.suppressed);
      add_count (builder, "target_areas", point->target.n_areas);
      add_count (builder, "comparison_areas", point->comparison.n_areas);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  footnote = tw_policy_text_describe (&evaluation->policy);
  add_string (builder, "policy", footnote);
  json_builder_end_object (builder);
  return tw_cli_print_builder (builder);
}

int
tw_cli_project (int    argc,
                char **argv)
{
  static const TwCliVerb verbs[] = {
    { "add", project_add, "Add a project → {\"id\"}" },
    { "list", project_list, "List the projects" },
    { "show", project_show, "Show one project in full" },
    { "set-areas", project_set_areas, "Replace a project's target areas" },
    { "milestone", project_milestone, "Add a milestone" },
    { "evaluate", project_evaluate, "Pooled rates before and after, difference in differences, verdict, goal progress" },
    { "delete", project_delete, "Delete a project" },
  };

  return dispatch (argc, argv, verbs, G_N_ELEMENTS (verbs));
}
