/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-window"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>

#include "tw-application.h"
#include "tw-store.h"
#include "tw-window.h"

/* How many population groups a measure row names before it elides the rest. */
#define MAX_STRATA_SHOWN 6

struct _TwWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkSpinner           *header_spinner;
  GtkStack             *stack;
  GtkSpinner           *page_spinner;
  GtkLabel             *project_title;
  GtkLabel             *project_details;
  GtkListBox           *geographies_list;
  GtkListBox           *measures_list;

  /* Owned references */
  GFile                *file;
  GCancellable         *load_cancellable;
  GtkFileChooserNative *file_chooser;
};

/* What a load runs on. The summary is read in a worker thread: the SQLite connection is
 * opened, used and closed inside that thread, so no connection is ever shared with the
 * main thread; the window keeps only the summary it got back. */
typedef struct
{
  GFile *file;
  char  *path;
} LoadData;

G_DEFINE_FINAL_TYPE (TwWindow, tw_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_FILE,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->file);
  g_free (data->path);
  g_free (data);
}

/* Groups the digits of @value by thousands with the locale's separator (a comma where the
 * locale has none, as in "C"), so that "per 100,000" reads as people write it. */
static char *
format_count (gint64 value)
{
  const char *sep = localeconv ()->thousands_sep;
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                             value < 0 ? -(guint64) value : (guint64) value);
  GString *out = g_string_new (value < 0 ? "-" : "");
  gsize len = strlen (digits);

  if (sep == NULL || *sep == '\0')
    sep = ",";

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, sep);
      g_string_append_c (out, digits[i]);
    }

  return g_string_free (out, FALSE);
}

/* The number ngettext () chooses a plural form by. */
static gulong
plural_n (gint64 value)
{
  return value < 0 ? 0 : (gulong) value;
}

static char *
format_multiplier (double per)
{
  if (per >= 1 && per < 1e15 && per == (double) (gint64) per)
    return format_count ((gint64) per);

  return g_strdup_printf ("%g", per);
}

static const char *
level_display_name (const char *level)
{
  if (g_strcmp0 (level, "tract") == 0)
    return _("tract");
  if (g_strcmp0 (level, "block-group") == 0)
    return _("block group");
  if (g_strcmp0 (level, "county") == 0)
    return _("county");
  if (g_strcmp0 (level, "zcta") == 0)
    return _("ZCTA");
  if (g_strcmp0 (level, "other") == 0)
    return _("other");

  return level != NULL ? level : _("unknown level");
}

/* "tract · 2020 · 506 areas" */
static char *
format_geography_subtitle (const TwGeographySummary *geography)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *areas = format_count (geography->areas);

  g_ptr_array_add (parts, g_strdup (level_display_name (geography->level)));
  if (geography->vintage > 0)
    g_ptr_array_add (parts, g_strdup_printf ("%d", geography->vintage));
  g_ptr_array_add (parts, g_strdup_printf (ngettext ("%s area", "%s areas",
                                                     plural_n (geography->areas)),
                                           areas));
  g_ptr_array_add (parts, NULL);

  return g_strjoinv (" · ", (char **) parts->pdata);
}

/* TRUE when @periods are consecutive years (2019, 2020, 2021), which read best as a span. */
static gboolean
periods_are_consecutive_years (GStrv periods)
{
  gint64 previous = 0;

  for (guint i = 0; periods[i] != NULL; i++)
    {
      gint64 year;

      if (strlen (periods[i]) != 4
          || !g_ascii_string_to_signed (periods[i], 10, 1000, 9999, &year, NULL)
          || (i > 0 && year != previous + 1))
        return FALSE;
      previous = year;
    }

  return TRUE;
}

static char *
format_periods (GStrv periods)
{
  guint n = periods != NULL ? g_strv_length (periods) : 0;

  if (n == 0)
    return g_strdup (_("no outcomes yet"));
  if (n == 1)
    return g_strdup_printf (_("period %s"), periods[0]);
  if (periods_are_consecutive_years (periods))
    /* Translators: the first and the last of a measure's periods, as in "periods 2019–2023" */
    return g_strdup_printf (_("periods %s–%s"), periods[0], periods[n - 1]);
  if (n <= 3)
    {
      g_autofree char *list = g_strjoinv (", ", periods);
      return g_strdup_printf (_("periods %s"), list);
    }

  /* Translators: the first and the last of a measure's periods, as in
   * "periods 1974-1978 to 1999-2004" */
  return g_strdup_printf (_("periods %s to %s"), periods[0], periods[n - 1]);
}

static char *
format_strata (GStrv strata)
{
  guint n = strata != NULL ? g_strv_length (strata) : 0;
  g_autoptr(GString) list = g_string_new (NULL);

  if (n == 0)
    return NULL;
  if (n == 1 && g_strcmp0 (strata[0], "all") == 0)
    return g_strdup (_("overall only"));

  for (guint i = 0; i < n && i < MAX_STRATA_SHOWN; i++)
    {
      if (i > 0)
        g_string_append (list, ", ");
      g_string_append (list, strata[i]);
    }
  if (n > MAX_STRATA_SHOWN)
    g_string_append (list, ", …");

  /* Translators: the population groups of a measure, as in "groups all, black, white" */
  return g_strdup_printf (ngettext ("group %s", "groups %s", n), list->str);
}

/* "code · rate per 100,000 · periods 2019–2023 · groups all, black, …" */
static char *
format_measure_subtitle (const TwMeasureSummary *measure)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *per = format_multiplier (measure->per);
  char *strata;

  g_ptr_array_add (parts, g_strdup (measure->code));
  if (g_strcmp0 (measure->kind, "proportion") == 0)
    /* Translators: as in "proportion per 100" */
    g_ptr_array_add (parts, g_strdup_printf (_("proportion per %s"), per));
  else
    /* Translators: as in "rate per 100,000" */
    g_ptr_array_add (parts, g_strdup_printf (_("rate per %s"), per));
  g_ptr_array_add (parts, format_periods (measure->periods));
  if ((strata = format_strata (measure->strata)) != NULL)
    g_ptr_array_add (parts, strata);
  g_ptr_array_add (parts, NULL);

  return g_strjoinv (" · ", (char **) parts->pdata);
}

/* File names are bytes in the file system's encoding; labels need UTF-8. */
static char *
file_display_name (GFile *file)
{
  const char *path = g_file_peek_path (file);
  g_autofree char *basename = NULL;

  if (path != NULL)
    return g_filename_display_basename (path);

  basename = g_file_get_basename (file);
  return g_utf8_make_valid (basename != NULL ? basename : "", -1);
}

static GtkWidget *
create_placeholder (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "placeholder-row");

  return label;
}

static GtkWidget *
create_row (const char *title,
            const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *valid_title = g_utf8_make_valid (title != NULL ? title : "", -1);
  g_autofree char *valid_subtitle = g_utf8_make_valid (subtitle, -1);

  /* Names come from the user's files, in whatever encoding they had: never markup,
   * always valid UTF-8. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), valid_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), valid_subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

/* Shows whether a load runs; called whenever load_cancellable comes or goes. */
static void
tw_window_loading_changed (TwWindow *self)
{
  gboolean loading = tw_window_get_loading (self);
  /* With nothing shown yet, the whole page waits; with a project shown, it stays readable
   * and only the header says that another is coming. */
  gboolean whole_page = loading && self->file == NULL;

  g_assert (TW_IS_WINDOW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->header_spinner), loading && !whole_page);
  gtk_spinner_set_spinning (self->header_spinner, loading && !whole_page);
  gtk_spinner_set_spinning (self->page_spinner, whole_page);
  if (whole_page)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else if (self->file == NULL)
    gtk_stack_set_visible_child_name (self->stack, "empty");

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
tw_window_show_summary (TwWindow               *self,
                        GFile                  *file,
                        const TwProjectSummary *summary)
{
  g_autofree char *basename = file_display_name (file);
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *folder = NULL;
  g_autofree char *title = NULL;
  g_autofree char *partners = format_count (summary->partners);
  g_autofree char *projects = format_count (summary->projects);
  g_autofree char *partners_text = NULL;
  g_autofree char *projects_text = NULL;
  g_autofree char *details = NULL;

  g_assert (TW_IS_WINDOW (self));

  if (g_set_object (&self->file, file))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);

  if (parent != NULL && g_file_is_native (parent))
    {
      g_autofree char *path = g_filename_display_name (g_file_peek_path (parent));
      g_autofree char *home = g_filename_display_name (g_get_home_dir ());

      if (g_str_has_prefix (path, home)
          && (path[strlen (home)] == '/' || path[strlen (home)] == '\0'))
        folder = g_strconcat ("~", path + strlen (home), NULL);
      else
        folder = g_steal_pointer (&path);
    }

  adw_window_title_set_title (self->window_title, basename);
  adw_window_title_set_subtitle (self->window_title, folder != NULL ? folder : "");
  gtk_window_set_title (GTK_WINDOW (self), basename);

  title = g_str_has_suffix (basename, ".tractwise")
          ? g_strndup (basename, strlen (basename) - strlen (".tractwise"))
          : g_strdup (basename);
  gtk_label_set_text (self->project_title, title);

  partners_text = g_strdup_printf (ngettext ("%s partner", "%s partners",
                                             plural_n (summary->partners)),
                                   partners);
  projects_text = g_strdup_printf (ngettext ("%s project", "%s projects",
                                             plural_n (summary->projects)),
                                   projects);
  /* Translators: as in "2 partners · 3 projects · project file version 1" */
  details = g_strdup_printf (_("%s · %s · project file version %d"),
                             partners_text, projects_text, summary->schema_version);
  gtk_label_set_text (self->project_details, details);

  clear_list (self->geographies_list);
  for (guint i = 0; i < summary->geographies->len; i++)
    {
      const TwGeographySummary *geography = g_ptr_array_index (summary->geographies, i);
      g_autofree char *subtitle = format_geography_subtitle (geography);

      gtk_list_box_append (self->geographies_list, create_row (geography->name, subtitle));
    }

  clear_list (self->measures_list);
  for (guint i = 0; i < summary->measures->len; i++)
    {
      const TwMeasureSummary *measure = g_ptr_array_index (summary->measures, i);
      g_autofree char *subtitle = format_measure_subtitle (measure);
      g_autofree char *count = format_count (measure->rows);
      g_autofree char *rows = g_strdup_printf (ngettext ("%s row", "%s rows",
                                                         plural_n (measure->rows)),
                                               count);
      const char *label = measure->label != NULL && *measure->label != '\0'
                          ? measure->label : measure->code;
      GtkWidget *row = create_row (label, subtitle);
      GtkWidget *suffix = gtk_label_new (rows);

      gtk_widget_add_css_class (suffix, "dim-label");
      gtk_widget_add_css_class (suffix, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
      gtk_list_box_append (self->measures_list, row);
    }

  gtk_stack_set_visible_child_name (self->stack, "project");
}

static void
tw_window_show_error (TwWindow     *self,
                      GFile        *file,
                      const GError *error)
{
  g_autofree char *basename = file_display_name (file);
  g_autofree char *heading = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *valid_body = NULL;
  const char *body;
  AdwMessageDialog *dialog;

  g_assert (TW_IS_WINDOW (self));

  /* The store's messages speak to command-line users too; where they name a command,
   * say what to do in the window instead. */
  body = error->message;
  if (g_error_matches (error, TW_STORE_ERROR, TW_STORE_ERROR_TOO_NEW))
    heading = g_strdup (_("Project Made by a Newer Tractwise"));
  else if (g_error_matches (error, TW_STORE_ERROR, TW_STORE_ERROR_NOT_A_PROJECT))
    {
      heading = g_strdup_printf (_("“%s” Is Not a Tractwise Project"), basename);
      body = _("The file was not made by Tractwise, or it is damaged. Project files end "
               "in “.tractwise”.");
    }
  else if (g_error_matches (error, TW_STORE_ERROR, TW_STORE_ERROR_NOT_FOUND))
    {
      heading = g_strdup_printf (_("Could Not Find “%s”"), basename);
      body = _("The file may have been moved, renamed or deleted.");
    }
  else
    heading = g_strdup_printf (_("Could Not Open “%s”"), basename);

  /* The heading names the file: drop the path many messages begin with. */
  if (path != NULL && g_str_has_prefix (body, path) && body[strlen (path)] == ':')
    {
      body += strlen (path) + 1;
      while (g_ascii_isspace (*body))
        body++;
    }
  if (*body == '\0')
    body = error->message;

  /* Messages may quote file names in any encoding. */
  valid_body = g_utf8_make_valid (body, -1);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, NULL));
  if (valid_body[0] != '\0')
    {
      gunichar first = g_unichar_totitle (g_utf8_get_char (valid_body));
      char buf[6];

      adw_message_dialog_format_body (dialog, "%.*s%s", g_unichar_to_utf8 (first, buf), buf,
                                      g_utf8_next_char (valid_body));
    }
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
load_summary_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TwStore) store = NULL;
  TwProjectSummary *summary;

  if (data->path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Only project files on this computer can be opened."));
      return;
    }

  if ((store = tw_store_open (data->path, &error)) == NULL
      || (summary = tw_store_summarize (store, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, summary, (GDestroyNotify) tw_project_summary_free);
}

static void
on_summary_loaded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TwWindow *self = TW_WINDOW (object);
  LoadData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(TwProjectSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  summary = g_task_propagate_pointer (G_TASK (result), &error);

  /* A newer load, or the window closing, took over: nothing to show. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->load_cancellable);

  if (summary == NULL)
    {
      g_debug ("Could not open %s: %s", data->path ? data->path : "(remote file)",
               error->message);
      tw_window_loading_changed (self);
      tw_window_show_error (self, data->file, error);
      return;
    }

  tw_window_show_summary (self, data->file, summary);
  tw_window_loading_changed (self);
}

static void
on_file_chooser_response (GtkNativeDialog *native,
                          int              response,
                          gpointer         user_data)
{
  TwWindow *self = TW_WINDOW (user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));

      if (file != NULL)
        tw_window_open (self, file);
    }

  g_clear_object (&self->file_chooser);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         gpointer       user_data)
{
  TwWindow *self = TW_WINDOW (user_data);

  if (!G_VALUE_HOLDS (value, G_TYPE_FILE))
    return FALSE;

  tw_window_open (self, g_value_get_object (value));

  return TRUE;
}

static void
tw_window_open_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TwWindow *self = TW_WINDOW (widget);
  g_autoptr(GtkFileFilter) projects = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->file_chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file_chooser));
      return;
    }

  self->file_chooser = gtk_file_chooser_native_new (_("Open Project"), GTK_WINDOW (self),
                                                    GTK_FILE_CHOOSER_ACTION_OPEN,
                                                    _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->file_chooser), TRUE);

  gtk_file_filter_set_name (projects, _("Tractwise Projects"));
  gtk_file_filter_add_pattern (projects, "*.tractwise");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->file_chooser), projects);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->file_chooser), all);

  if (self->file != NULL)
    {
      g_autoptr(GFile) folder = g_file_get_parent (self->file);

      if (folder != NULL)
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->file_chooser),
                                             folder, NULL);
    }

  g_signal_connect (self->file_chooser, "response",
                    G_CALLBACK (on_file_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file_chooser));
}

static void
tw_window_new_window_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (widget));
  TwWindow *window;

  if (!TW_IS_APPLICATION (app))
    return;

  window = tw_window_new (TW_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
}

static void
tw_window_dispose (GObject *object)
{
  TwWindow *self = TW_WINDOW (object);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
  g_clear_object (&self->file_chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_WINDOW);

  G_OBJECT_CLASS (tw_window_parent_class)->dispose (object);
}

static void
tw_window_finalize (GObject *object)
{
  TwWindow *self = TW_WINDOW (object);

  g_clear_object (&self->file);

  G_OBJECT_CLASS (tw_window_parent_class)->finalize (object);
}

static void
tw_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TwWindow *self = TW_WINDOW (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, tw_window_get_loading (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_window_class_init (TwWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_window_dispose;
  object_class->finalize = tw_window_finalize;
  object_class->get_property = tw_window_get_property;

  /**
   * TwWindow:file:
   *
   * The project file shown, or %NULL while none is.
   */
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TwWindow:loading:
   *
   * Whether a project is being read.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/tw-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TwWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, header_spinner);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, page_spinner);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, project_title);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, project_details);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, geographies_list);
  gtk_widget_class_bind_template_child (widget_class, TwWindow, measures_list);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, tw_window_open_action);
  gtk_widget_class_install_action (widget_class, "win.new-window", NULL,
                                   tw_window_new_window_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-window", NULL);
}

static void
tw_window_init (TwWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_set_placeholder (self->geographies_list,
                                create_placeholder (_("No areas yet. Import boundaries with "
                                                      "“tractwise-cli import-areas”.")));
  gtk_list_box_set_placeholder (self->measures_list,
                                create_placeholder (_("No outcomes yet. Import a table with "
                                                      "“tractwise-cli import-outcomes”.")));

  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect_object (drop, "drop", G_CALLBACK (on_drop), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

TwWindow *
tw_window_new (TwApplication *application)
{
  g_return_val_if_fail (application == NULL || TW_IS_APPLICATION (application), NULL);

  return g_object_new (TW_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

void
tw_window_open (TwWindow *self,
                GFile    *file)
{
  g_autoptr(GTask) task = NULL;
  gboolean was_loading;
  LoadData *data;

  g_return_if_fail (TW_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  /* The newest request wins. */
  was_loading = tw_window_get_loading (self);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  self->load_cancellable = g_cancellable_new ();

  data = g_new0 (LoadData, 1);
  data->file = g_object_ref (file);
  data->path = g_file_get_path (file);

  task = g_task_new (self, self->load_cancellable, on_summary_loaded, NULL);
  g_task_set_source_tag (task, tw_window_open);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_summary_thread);

  if (!was_loading)
    tw_window_loading_changed (self);
}

GFile *
tw_window_get_file (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  return self->file;
}

gboolean
tw_window_get_loading (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), FALSE);

  return self->load_cancellable != NULL;
}
