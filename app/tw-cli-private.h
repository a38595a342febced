/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "tw-map-request.h"
#include "tw-status.h"
#include "tw-store.h"

G_BEGIN_DECLS

/* Exit statuses of tractwise-cli. */
enum
{
  TW_CLI_OK = 0,
  TW_CLI_INTERNAL = 1,   /* a failure that is not the user's input */
  TW_CLI_BAD_INPUT = 2,  /* bad input: one line on stderr, the project unchanged */
};

/* A sub-command: argv[0] is its name ("import-areas"). Returns an exit status. */
typedef int (*TwCliCommand) (int argc, char **argv);

/* Parses @argv with @entries; on a bad option prints one line and returns FALSE.
 * @usage is the positional part ("PROJECT SOURCE"), @n_positional how many it needs;
 * positionals are left in @argv (argv[1] …). */
gboolean   tw_cli_parse           (int            *argc,
                                   char         ***argv,
                                   const char     *usage,
                                   const char     *summary,
                                   const GOptionEntry *entries,
                                   int             n_positional);

/* Prints @error as one line on stderr ("tractwise-cli: …") and returns the exit status it
 * calls for: TW_CLI_INTERNAL for SQLite failures, TW_CLI_BAD_INPUT otherwise. */
int        tw_cli_fail            (const GError   *error);
/* Prints a formatted message for bad input and returns TW_CLI_BAD_INPUT. */
int        tw_cli_bad_input       (const char     *format,
                                   ...) G_GNUC_PRINTF (1, 2);
/* Reads --per: a positive number into @per, or says so and returns FALSE. */
gboolean   tw_cli_parse_per       (const char     *text,
                                   double         *per);

/* The options of the map's commands (classify, render-tile, export-map), as GOption
 * fills them. */
typedef struct
{
  char     *measure;
  char     *period;
  char     *stratum;
  char     *geography;
  char     *method;
  int       classes;
  char     *breaks;
  char     *palette;
  gboolean  reveal;
} TwCliMapOptions;

void       tw_cli_map_options_clear (TwCliMapOptions *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TwCliMapOptions, tw_cli_map_options_clear)

#define TW_CLI_MAP_OPTION_ENTRIES(o) \
  { "measure", 0, 0, G_OPTION_ARG_STRING, &(o).measure, "Measure code (required)", "M" }, \
  { "period", 0, 0, G_OPTION_ARG_STRING, &(o).period, "Period (required)", "P" }, \
  { "stratum", 0, 0, G_OPTION_ARG_STRING, &(o).stratum, "Group (default: all)", "S" }, \
  { "geography", 0, 0, G_OPTION_ARG_STRING, &(o).geography, "Geography of the map (default: the one holding the measure)", "G" }, \
  { "method", 0, 0, G_OPTION_ARG_STRING, &(o).method, "quantile, equal, natural, stddev or manual", "METHOD" }, \
  { "classes", 0, 0, G_OPTION_ARG_INT, &(o).classes, "Number of classes, 3 to 9 (default 5)", "K" }, \
  { "breaks", 0, 0, G_OPTION_ARG_STRING, &(o).breaks, "Manual breaks between classes, increasing: a,b,… or \"a b …\"", "LIST" }

/* The map the options describe, checked as far as it can be without the project (method
 * manual when only --breaks is given); NULL with one line printed and *status set. */
TwMapRequest *tw_cli_map_request  (const char      *command,
                                   TwCliMapOptions *options,
                                   int             *status);
/* Prints a TwMapRequest error as one line naming the option it is about
 * ("classify --breaks: …"); any other error as tw_cli_fail. Returns the exit status. */
int        tw_cli_refuse_map_request (const char   *command,
                                      const GError *error);

/* The geography a command taking a measure works on: --geography @geography when given,
 * else the one geography holding @measure (0 when none, or when the measure is unknown:
 * the command says so itself). A measure on several geographies (after a crosswalk) is
 * refused: one line printed, *status set, FALSE. */
gboolean   tw_cli_measure_geography (TwStore     *store,
                                     const char  *command,
                                     const char  *measure,
                                     const char  *geography,
                                     gint64      *geography_id,
                                     int         *status);

/* Opens an existing project, or prints why not. */
/* Progress of a long import (tw-cli-import.c): with --progress (tw_cli_progress_lines),
 * one line "progress: WHAT DONE TOTAL" on stderr at most twice a second and one at the
 * end; on a terminal, a line redrawn in place; else nothing. @what is the WHAT. */
extern gboolean tw_cli_progress_lines;
gboolean   tw_cli_wants_progress  (void);
void       tw_cli_show_progress   (gint64          done,
                                   gint64          total,
                                   gpointer        what);
void       tw_cli_end_progress    (void);

TwStore   *tw_cli_open_project    (const char     *path,
                                   int            *status);

/* Prints @node as JSON on stdout followed by a newline, and frees nothing. */
void       tw_cli_print_json      (JsonNode       *node);
/* Prints the builder's root and frees it. Returns TW_CLI_OK. */
int        tw_cli_print_builder   (JsonBuilder    *builder);

/* A double that may be absent: NAN prints as null. */
void       tw_cli_add_number      (JsonBuilder    *builder,
                                   const char     *member,
                                   double          value);
/* A published figure (rate, interval, ratio, share): rounded to publication precision
 * (tw_format_round_published) unless @reveal. */
void       tw_cli_add_figure      (JsonBuilder    *builder,
                                   const char     *member,
                                   double          value,
                                   gboolean        reveal);

/* A figure's "status" and "reason" (tw-status.h), the same members in every command. */
void       tw_cli_add_status      (JsonBuilder    *builder,
                                   TwFigureStatus  status,
                                   const char     *reason);

/* An array of strings (NULL-terminated; NULL prints []). */
void       tw_cli_add_strings     (JsonBuilder        *builder,
                                   const char         *member,
                                   char * const       *values);

/* The sub-commands. */
int        tw_cli_new             (int argc, char **argv);
int        tw_cli_import_areas    (int argc, char **argv);
int        tw_cli_import_outcomes (int argc, char **argv);
int        tw_cli_import_points   (int argc, char **argv);
int        tw_cli_crosswalk       (int argc, char **argv);
int        tw_cli_info            (int argc, char **argv);
int        tw_cli_areas           (int argc, char **argv);
int        tw_cli_policy          (int argc, char **argv);
int        tw_cli_rates           (int argc, char **argv);
int        tw_cli_disparities     (int argc, char **argv);
int        tw_cli_change          (int argc, char **argv);
int        tw_cli_trend           (int argc, char **argv);
int        tw_cli_gap             (int argc, char **argv);
int        tw_cli_classify        (int argc, char **argv);
int        tw_cli_render_tile     (int argc, char **argv);
int        tw_cli_partner         (int argc, char **argv);
int        tw_cli_project         (int argc, char **argv);
int        tw_cli_import_attributes (int argc, char **argv);
int        tw_cli_attributes        (int argc, char **argv);
int        tw_cli_weights         (int argc, char **argv);
int        tw_cli_moran           (int argc, char **argv);
int        tw_cli_lisa            (int argc, char **argv);
int        tw_cli_hotspots        (int argc, char **argv);
int        tw_cli_export_map      (int argc, char **argv);
int        tw_cli_export_html     (int argc, char **argv);
int        tw_cli_export_brief    (int argc, char **argv);
int        tw_cli_export_chna     (int argc, char **argv);
int        tw_cli_export_csv      (int argc, char **argv);
int        tw_cli_export_share    (int argc, char **argv);
int        tw_cli_import_comments (int argc, char **argv);
int        tw_cli_review_comment  (int argc, char **argv);
int        tw_cli_demo            (int argc, char **argv);
/* The team server (tw-cli-team.c). */
int        tw_cli_publish         (int argc, char **argv);
int        tw_cli_checkout        (int argc, char **argv);
int        tw_cli_checkin         (int argc, char **argv);
int        tw_cli_member          (int argc, char **argv);
int        tw_cli_comment         (int argc, char **argv);
/* `rates --smooth spatial-eb` (tw-cli-statistics.c). */
int        tw_cli_rates_spatial_eb (TwStore *store, const char *geography, const char *measure,
                                    const char *period, const char *stratum, gboolean reveal);

G_END_DECLS
