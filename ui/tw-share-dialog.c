/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-share-dialog"

#include <glib/gi18n.h>
#include <string.h>

#include "tw-alert.h"
#include "tw-error-text.h"
#include "tw-format.h"
#include "tw-preferences-window.h"
#include "tw-project.h"
#include "tw-share.h"
#include "tw-share-dialog.h"
#include "tw-status.h"
#include "tw-suppression.h"

struct _TwShareDialog
{
  AdwWindow            parent_instance;

  /* Template widgets */
  AdwWindowTitle      *window_title;
  GtkButton           *cancel_button;
  GtkButton           *share_button;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwEntryRow         *name_row;
  AdwEntryRow         *organisation_row;
  AdwComboRow         *partner_row;
  GtkListBox          *measures_list;
  GtkWidget           *contacts_row;
  GtkSwitch           *contacts_switch;
  GtkListBox          *contents_list;
  GtkProgressBar      *progress_bar;

  /* Owned */
  TwDocument          *document;
  GCancellable        *load_cancellable;
  GCancellable        *cancellable;
  TwProjectSummary    *summary;
  TwSuppressionPolicy  policy;
  GPtrArray           *projects;    /* TwProject * */
  GStrv                partners;    /* those taking part in a project: the picker's, by name */
  GPtrArray           *checks;      /* GtkCheckButton *, one a measure of the summary */
  GtkFileChooserNative *chooser;
  char                *out_path;
  guint                progress_id;
  gint                 done;        /* steps written, from the writing thread */
  gint                 total;
  gboolean             loading;
  gboolean             writing;
};

G_DEFINE_FINAL_TYPE (TwShareDialog, tw_share_dialog, ADW_TYPE_WINDOW)

enum
{
  SHARED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  TwProjectSummary    *summary;
  TwSuppressionPolicy  policy;
  GPtrArray           *projects;
} Loaded;

typedef struct
{
  char            *out_path;
  GStrv            measures;
  gboolean         with_contacts;
  char            *partner;
  char            *shared_by;
  TwShareSummary   summary;
  TwShareDialog   *self;     /* for the progress counters only; kept alive by the task */
} Job;

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->summary, tw_project_summary_free);
  g_clear_pointer (&loaded->projects, g_ptr_array_unref);
  g_free (loaded);
}

static void
job_free (Job *job)
{
  g_free (job->out_path);
  g_strfreev (job->measures);
  g_free (job->partner);
  g_free (job->shared_by);
  g_free (job);
}

static const char *
preset_label (const TwSuppressionPolicy *policy)
{
  switch (policy->preset)
    {
    case TW_SUPPRESSION_PRESET_CMS:
      return "CMS";
    case TW_SUPPRESSION_PRESET_WONDER:
      return "CDC WONDER";
    case TW_SUPPRESSION_PRESET_USCS:
      return _("U.S. Cancer Statistics");
    case TW_SUPPRESSION_PRESET_WISQARS:
      return "CDC WISQARS";
    case TW_SUPPRESSION_PRESET_NCHS_RATES:
      return _("NCHS rates");
    case TW_SUPPRESSION_PRESET_NCHS_PROPORTIONS:
      return _("NCHS proportions");
    case TW_SUPPRESSION_PRESET_WA_DOH:
      return _("Washington DOH");
    case TW_SUPPRESSION_PRESET_CUSTOM:
    default:
      return _("Custom");
    }
}

/* "Suppression: CDC WONDER (k = 10; unreliable below 20)": the preset by name, its k and
 * its reliability rule in a few words, as the method notes state them in full. */
static char *
describe_policy (const TwSuppressionPolicy *policy)
{
  g_autofree char *reliability = NULL;

  switch (policy->preset)
    {
    case TW_SUPPRESSION_PRESET_WISQARS:
      reliability = g_strdup (_("unreliable at 20 events or fewer"));
      break;
    case TW_SUPPRESSION_PRESET_NCHS_RATES:
      reliability = g_strdup (_("unreliable below 20 events or with an interval wider than "
                                "160% of the rate"));
      break;
    case TW_SUPPRESSION_PRESET_NCHS_PROPORTIONS:
      reliability = g_strdup (_("Korn–Graubard interval rules"));
      break;
    case TW_SUPPRESSION_PRESET_WA_DOH:
      reliability = g_strdup (_("unreliable at a relative standard error of 30% or more"));
      break;
    default:
      /* Translators: %u is a number of events */
      reliability = g_strdup_printf (_("unreliable below %u"),
                                     tw_figure_status_unstable_below (policy->preset));
      break;
    }
  /* Translators: the policy's name, k, and its reliability rule */
  return g_strdup_printf (_("Suppression: %s (k = %u; %s)"), preset_label (policy),
                          policy->min_count, reliability);
}

/* The partner chosen in the picker, or NULL for everything. */
static const char *
chosen_partner (TwShareDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->partner_row);

  if (self->partners == NULL || selected == 0 || selected == GTK_INVALID_LIST_POSITION
      || selected > g_strv_length (self->partners))
    return NULL;
  return self->partners[selected - 1];
}

static gboolean
project_has_partner (TwProject  *project,
                     const char *partner)
{
  for (guint i = 0; project->partners != NULL && i < project->partners->len; i++)
    if (g_str_equal (((TwProjectPartner *) g_ptr_array_index (project->partners, i))->name,
                     partner))
      return TRUE;
  return FALSE;
}

static GStrv
chosen_measures (TwShareDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; self->checks != NULL && i < self->checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
      g_strv_builder_add (builder, ((TwMeasureSummary *)
                                    g_ptr_array_index (self->summary->measures, i))->code);
  return g_strv_builder_end (builder);
}

static void
add_contents_row (TwShareDialog *self,
                  const char    *title,
                  const char    *subtitle,
                  const char    *icon)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *image = gtk_image_new_from_icon_name (icon);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), image);
  gtk_list_box_append (self->contents_list, row);
}

static gboolean
has_name (TwShareDialog *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (
                                        GTK_EDITABLE (self->name_row))));

  return *name != '\0';
}

static void
update_contents (TwShareDialog *self)
{
  g_auto(GStrv) measures = NULL;
  g_autoptr(GString) geographies = g_string_new (NULL);
  g_autofree char *title = NULL, *subtitle = NULL, *count = NULL;
  g_autoptr(GHashTable) partner_geographies = g_hash_table_new (g_str_hash, g_str_equal);
  const char *partner = chosen_partner (self);
  gboolean contacts;
  GtkWidget *child;
  guint64 n_areas = 0;
  guint64 n_projects = 0;
  guint n_measures;

  if (self->summary == NULL)
    return;
  if (partner == NULL)
    n_projects = self->summary->projects;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->contents_list))) != NULL)
    gtk_list_box_remove (self->contents_list, child);

  /* A partner's package holds the geographies of its projects' target areas only. */
  for (guint p = 0; partner != NULL && p < self->projects->len; p++)
    {
      TwProject *project = g_ptr_array_index (self->projects, p);

      if (project_has_partner (project, partner))
        {
          n_projects++;
          if (project->geography != NULL)
            g_hash_table_add (partner_geographies, project->geography);
        }
    }
  for (guint i = 0; i < self->summary->geographies->len; i++)
    {
      TwGeographySummary *geography = g_ptr_array_index (self->summary->geographies, i);

      if (partner != NULL && !g_hash_table_contains (partner_geographies, geography->name))
        continue;
      n_areas += geography->areas;
      g_string_append_printf (geographies, "%s%s", geographies->len > 0 ? ", " : "",
                              geography->name);
    }
  count = tw_format_count_locale (n_areas);
  title = g_strdup_printf (ngettext ("%s area", "%s areas", n_areas == 1 ? 1 : 2), count);
  /* Translators: the geographies the areas come from */
  subtitle = g_strdup_printf (_("Outlines, GEOIDs and names of %s"), geographies->str);
  add_contents_row (self, title, subtitle, "mark-location-symbolic");

  measures = chosen_measures (self);
  n_measures = g_strv_length (measures);
  g_clear_pointer (&title, g_free);
  g_clear_pointer (&subtitle, g_free);
  if (n_measures == 0)
    {
      title = g_strdup (_("No rates"));
      subtitle = g_strdup (_("Choose at least one measure to share."));
    }
  else
    {
      title = g_strdup_printf (ngettext ("Rates of %u measure", "Rates of %u measures",
                                         n_measures), n_measures);
      /* Translators: %s names the policy (CMS, CDC WONDER …), the numbers are k and k − 1 */
      subtitle = self->policy.min_count > 1
                 ? g_strdup_printf (_("Suppressed cells are withheld under the policy “%s, "
                                      "k = %u”: counts of 1 to %u, and every rate and interval "
                                      "computed from them, are left empty and marked "
                                      "suppressed."), preset_label (&self->policy),
                                    self->policy.min_count, self->policy.min_count - 1)
                 : g_strdup (_("The workspace’s policy (k = 1) suppresses no counts: every "
                               "count is shared."));
    }
  add_contents_row (self, title, subtitle, "x-office-spreadsheet-symbolic");
  {
    g_autofree char *policy = describe_policy (&self->policy);

    add_contents_row (self, policy,
                      _("Every figure in the package, and its method note, follows this "
                        "policy of the workspace; Preferences change it."),
                      "security-high-symbolic");
  }

  g_clear_pointer (&title, g_free);
  g_clear_pointer (&count, g_free);
  count = tw_format_count_locale (n_projects);
  title = g_strdup_printf (ngettext ("%s project", "%s projects", n_projects == 1 ? 1 : 2),
                           count);
  add_contents_row (self, title,
                    partner != NULL
                    ? _("Titles, aims, dates, status, goals and target areas of the projects "
                        "this partner takes part in. Budgets, milestones and notes stay here.")
                    : _("Titles, aims, dates, status, goals, partners and target areas. "
                        "Budgets, milestones and notes stay here."),
                    "x-office-calendar-symbolic");

  contacts = gtk_switch_get_active (self->contacts_switch);
  gtk_widget_set_visible (self->contacts_row, partner == NULL);
  g_clear_pointer (&title, g_free);
  g_clear_pointer (&count, g_free);
  if (partner != NULL)
    {
      /* Translators: the one partner a package is for */
      title = g_strdup_printf (_("Only %s"), partner);
      add_contents_row (self, title,
                        _("Its name, kind, agreement and its own contact details. No other "
                          "partner is named. Notes stay here."), "system-users-symbolic");
    }
  else
    {
      count = tw_format_count_locale (self->summary->partners);
      title = g_strdup_printf (ngettext ("%s partner", "%s partners",
                                         self->summary->partners == 1 ? 1 : 2), count);
      add_contents_row (self, title,
                        contacts ? _("Names, kinds, agreements and contact details (contact "
                                     "person, e-mail, phone). Notes stay here.")
                                 : _("Names, kinds and agreements. Contact details and notes "
                                     "stay here."),
                        "system-users-symbolic");
    }

  add_contents_row (self, _("Metadata"),
                    _("The policy, the sources of the measures and areas, today’s date and "
                      "the name you give, so that the package says how it was made."),
                    "dialog-information-symbolic");

  gtk_widget_set_sensitive (GTK_WIDGET (self->share_button),
                            n_measures > 0 && !self->writing && has_name (self));
  /* A greyed button says what it waits for. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->share_button),
                               n_measures == 0 ? _("Choose at least one measure to share")
                               : !has_name (self) ? _("Enter your name: your partner sees who "
                                                      "shared the package")
                               : NULL);
}

static void
on_check_toggled (TwShareDialog *self)
{
  update_contents (self);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

/* "Everything", then each partner that takes part in a project, by name: a partner without
 * one would get an empty package. */
static void
fill_partners (TwShareDialog *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  for (guint p = 0; p < self->projects->len; p++)
    {
      TwProject *project = g_ptr_array_index (self->projects, p);

      for (guint i = 0; project->partners != NULL && i < project->partners->len; i++)
        {
          const char *name = ((TwProjectPartner *) g_ptr_array_index (project->partners,
                                                                      i))->name;

          if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
            g_ptr_array_add (names, (gpointer) name);
        }
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  g_strfreev (self->partners);
  self->partners = g_strdupv ((GStrv) names->pdata);
  gtk_string_list_append (model, _("Everything"));
  for (guint i = 0; self->partners[i] != NULL; i++)
    gtk_string_list_append (model, self->partners[i]);
  adw_combo_row_set_model (self->partner_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->partner_row, 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->partner_row), self->partners[0] != NULL);
}

/* A partner chosen: the measures of its projects are checked (all when they name none). */
static void
on_partner_selected (TwShareDialog *self)
{
  const char *partner = chosen_partner (self);
  g_autoptr(GHashTable) theirs = g_hash_table_new (g_str_hash, g_str_equal);

  if (self->summary == NULL || self->checks == NULL)
    return;
  for (guint p = 0; partner != NULL && p < self->projects->len; p++)
    {
      TwProject *project = g_ptr_array_index (self->projects, p);

      if (project->measure != NULL && project_has_partner (project, partner))
        g_hash_table_add (theirs, project->measure);
    }
  for (guint i = 0; i < self->checks->len; i++)
    {
      TwMeasureSummary *measure = g_ptr_array_index (self->summary->measures, i);

      gtk_check_button_set_active (g_ptr_array_index (self->checks, i),
                                   g_hash_table_size (theirs) == 0
                                   || g_hash_table_contains (theirs, measure->code));
    }
  update_contents (self);
}

static void
show_form (TwShareDialog *self,
           Loaded        *loaded)
{
  g_autofree char *basename = g_path_get_basename (
    tw_document_get_project_path (self->document));

  self->summary = g_steal_pointer (&loaded->summary);
  self->policy = loaded->policy;
  self->projects = g_steal_pointer (&loaded->projects);
  fill_partners (self);
  adw_window_title_set_subtitle (self->window_title, basename);
  self->checks = g_ptr_array_new ();
  for (guint i = 0; i < self->summary->measures->len; i++)
    {
      TwMeasureSummary *measure = g_ptr_array_index (self->summary->measures, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *periods = g_strjoinv (", ", measure->periods);

      /* The label names the measure; its code, for whoever matches the package's tables,
       * is the row's tooltip. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     measure->label != NULL && *measure->label != '\0'
                                     ? measure->label : measure->code);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), periods);
      gtk_widget_set_tooltip_text (row, measure->code);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (on_check_toggled), self);
      g_ptr_array_add (self->checks, check);
      gtk_list_box_append (self->measures_list, row);
    }
  if (self->summary->measures->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("This workspace has no outcomes to share yet"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->measures_list, row);
    }
  update_contents (self);
  gtk_stack_set_visible_child_name (self->stack, "form");
}

/* What the package would hold is read again: the file as it is now, not as it was opened. */
static gboolean
load_in_thread (TwStore       *store,
                gpointer       task_data,
                GCancellable  *cancellable,
                GError       **error)
{
  Loaded *loaded = task_data;

  loaded->summary = tw_store_summarize (store, error);
  return loaded->summary != NULL && tw_suppression_policy_load (&loaded->policy, store, error)
         && (loaded->projects = tw_project_list (store, error)) != NULL;
}

static void
on_loaded (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TwShareDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tw_document_run_finish (TW_DOCUMENT (object), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  if (error != NULL)
    {
      tw_error_alert_present (GTK_WINDOW (self), _("The Workspace Could Not Be Read"), error);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  show_form (self, tw_document_run_get_task_data (result));
}

/* Writing */

static void
on_progress (guint    done,
             guint    total,
             gpointer user_data)
{
  TwShareDialog *self = user_data;

  g_atomic_int_set (&self->total, (int) total);
  g_atomic_int_set (&self->done, (int) done);
}

static gboolean
show_progress (gpointer user_data)
{
  TwShareDialog *self = user_data;
  int total = g_atomic_int_get (&self->total);
  int done = g_atomic_int_get (&self->done);

  if (total > 0)
    {
      g_autofree char *text = g_strdup_printf (_("Step %d of %d"), MIN (done + 1, total), total);

      gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
      gtk_progress_bar_set_text (self->progress_bar, text);
    }
  else
    gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static gboolean
write_in_thread (TwStore       *store,
                 gpointer       task_data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  Job *job = task_data;
  TwShareOptions options = { 0 };

  options.measures = (const char *const *) job->measures;
  options.with_contacts = job->with_contacts;
  options.partner = job->partner;
  options.shared_by = job->shared_by;
  options.progress = on_progress;
  options.progress_data = job->self;
  return tw_share_write (store, &options, job->out_path, &job->summary, cancellable, error);
}

static void
set_writing (TwShareDialog *self,
             gboolean       writing)
{
  self->writing = writing;
  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (writing)
    {
      g_atomic_int_set (&self->done, 0);
      g_atomic_int_set (&self->total, 0);
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      gtk_progress_bar_set_text (self->progress_bar, NULL);
      self->progress_id = g_timeout_add (100, show_progress, self);
    }
  gtk_stack_set_visible_child_name (self->stack, writing ? "writing" : "form");
  gtk_widget_set_sensitive (GTK_WIDGET (self->share_button), !writing);
  update_contents (self);
}

static void
on_written (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TwShareDialog) self = user_data;
  Job *job = tw_document_run_get_task_data (result);
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *areas = NULL, *rates = NULL, *suppressed = NULL;
  g_autofree char *message = NULL;

  set_writing (self, FALSE);
  g_clear_object (&self->cancellable);
  if (!tw_document_run_finish (TW_DOCUMENT (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        tw_error_alert_present (GTK_WINDOW (self), _("The Package Was Not Written"), error);
      return;
    }

  basename = g_filename_display_basename (job->out_path);
  areas = tw_format_count_locale (job->summary.n_areas);
  rates = tw_format_count_locale (job->summary.n_rates);
  suppressed = tw_format_count_locale (job->summary.n_suppressed);
  /* Translators: the summary shown once a share package is written */
  message = g_strdup_printf (_("Shared in %s: %s areas, %s rates (%s suppressed), %u projects, "
                               "%u partners"), basename, areas, rates, suppressed,
                             job->summary.n_projects, job->summary.n_partners);
  g_signal_emit (self, signals[SHARED], 0, message);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
start_writing (TwShareDialog *self,
               const char    *path)
{
  Job *job;

  if (self->writing || self->summary == NULL)
    return;
  if (!has_name (self))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  {
    g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (
                                          GTK_EDITABLE (self->name_row))));
    g_autofree char *organisation = g_strstrip (g_strdup (gtk_editable_get_text (
                                                  GTK_EDITABLE (self->organisation_row))));

    tw_preferences_set_user (name, organisation);
  }
  job = g_new0 (Job, 1);
  job->shared_by = tw_preferences_describe_user ();
  job->out_path = g_str_has_suffix (path, ".gpkg") ? g_strdup (path)
                                                   : g_strconcat (path, ".gpkg", NULL);
  job->measures = chosen_measures (self);
  job->partner = g_strdup (chosen_partner (self));
  job->with_contacts = job->partner == NULL && gtk_switch_get_active (self->contacts_switch);
  job->self = self;
  if (job->measures[0] == NULL)
    {
      job_free (job);
      return;
    }
  self->cancellable = g_cancellable_new ();
  set_writing (self, TRUE);
  tw_document_run_async (self->document, TW_DOCUMENT_WRITE, write_in_thread, job,
                         (GDestroyNotify) job_free, self->cancellable, on_written,
                         g_object_ref (self));
}

static void
on_chooser_response (GtkNativeDialog *native,
                     int              response,
                     TwShareDialog   *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT
      && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native))) != NULL)
    {
      if (g_file_peek_path (file) == NULL)
        tw_alert_present (GTK_WINDOW (self), _("The Package Was Not Written"),
                          _("Choose a folder on this computer."));
      else
        start_writing (self, g_file_peek_path (file));
    }
  g_clear_object (&self->chooser);
}

static void
on_share_clicked (TwShareDialog *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GFile) folder = NULL;
  g_autofree char *base = g_path_get_basename (tw_document_get_project_path (self->document));
  g_autofree char *name = NULL;
  g_autofree char *dir = g_path_get_dirname (tw_document_get_project_path (self->document));

  if (self->chooser != NULL || self->writing)
    return;
  if (g_str_has_suffix (base, ".tractwise"))
    base[strlen (base) - strlen (".tractwise")] = '\0';
  /* Translators: the file name offered for a share package; %s is the project's name */
  name = g_strdup_printf (_("%s-shared.gpkg"), base);
  self->chooser = gtk_file_chooser_native_new (_("Save the Share Package"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (filter, _("GeoPackage"));
  gtk_file_filter_add_suffix (filter, "gpkg");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  folder = g_file_new_for_path (dir);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_cancel_clicked (TwShareDialog *self)
{
  if (self->writing)
    g_cancellable_cancel (self->cancellable);
  else
    gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
on_close_request (GtkWindow *window)
{
  TwShareDialog *self = TW_SHARE_DIALOG (window);

  /* Closing while writing cancels: the package is either whole or not there. */
  if (self->writing)
    {
      g_cancellable_cancel (self->cancellable);
      return TRUE;
    }
  return FALSE;
}

static void
tw_share_dialog_dispose (GObject *object)
{
  TwShareDialog *self = TW_SHARE_DIALOG (object);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  G_OBJECT_CLASS (tw_share_dialog_parent_class)->dispose (object);
}

static void
tw_share_dialog_finalize (GObject *object)
{
  TwShareDialog *self = TW_SHARE_DIALOG (object);

  g_clear_object (&self->document);
  g_free (self->out_path);
  g_clear_pointer (&self->summary, tw_project_summary_free);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->projects, g_ptr_array_unref);
  g_strfreev (self->partners);

  G_OBJECT_CLASS (tw_share_dialog_parent_class)->finalize (object);
}

static void
tw_share_dialog_constructed (GObject *object)
{
  TwShareDialog *self = TW_SHARE_DIALOG (object);

  G_OBJECT_CLASS (tw_share_dialog_parent_class)->constructed (object);

  g_assert (self->document != NULL);
  self->loading = TRUE;
  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  self->load_cancellable = g_cancellable_new ();
  tw_document_run_async (self->document, TW_DOCUMENT_READ, load_in_thread, g_new0 (Loaded, 1),
                         (GDestroyNotify) loaded_free, self->load_cancellable, on_loaded,
                         g_object_ref (self));
}

static void
tw_share_dialog_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TwShareDialog *self = TW_SHARE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_share_dialog_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TwShareDialog *self = TW_SHARE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      self->document = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_share_dialog_class_init (TwShareDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tw_share_dialog_dispose;
  object_class->finalize = tw_share_dialog_finalize;
  object_class->constructed = tw_share_dialog_constructed;
  object_class->get_property = tw_share_dialog_get_property;
  object_class->set_property = tw_share_dialog_set_property;

  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, TW_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  window_class->close_request = on_close_request;

  /**
   * TwShareDialog::shared:
   * @message: what was written, in one line
   *
   * Emitted when the package is written, just before the dialog closes.
   */
  signals[SHARED] = g_signal_new ("shared", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/"
                                               "tw-share-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TwShareDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TwShareDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TwShareDialog, share_button);
  gtk_widget_class_bind_template_child (widget_class, TwShareDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, TwShareDialog, organisation_row);
  gtk_widget_class_bind_template_child (widget_class, TwShareDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TwShareDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, TwShareDialog, partner_row);
  gtk_widget_class_bind_template_child (widget_class, TwShareDialog, measures_list);
  gtk_widget_class_bind_template_child (widget_class, TwShareDialog, contacts_row);
  gtk_widget_class_bind_template_child (widget_class, TwShareDialog, contacts_switch);
  gtk_widget_class_bind_template_child (widget_class, TwShareDialog, contents_list);
  gtk_widget_class_bind_template_child (widget_class, TwShareDialog, progress_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_share_clicked);
  gtk_widget_class_bind_template_callback (widget_class, update_contents);
  gtk_widget_class_bind_template_callback (widget_class, on_partner_selected);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tw_share_dialog_init (TwShareDialog *self)
{
  g_autofree char *name = tw_preferences_get_user_name ();
  g_autofree char *organisation = tw_preferences_get_user_organisation ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  gtk_editable_set_text (GTK_EDITABLE (self->organisation_row), organisation);
}

TwShareDialog *
tw_share_dialog_new_for_document (GtkWindow  *parent,
                                  TwDocument *document)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TW_IS_DOCUMENT (document), NULL);
  g_return_val_if_fail (tw_document_get_project_path (document) != NULL, NULL);

  return g_object_new (TW_TYPE_SHARE_DIALOG, "transient-for", parent, "document", document,
                       NULL);
}

TwShareDialog *
tw_share_dialog_new (GtkWindow  *parent,
                     const char *project_path)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(TwDocument) document = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (project_path != NULL, NULL);

  file = g_file_new_for_path (project_path);
  document = tw_document_new (file);
  return tw_share_dialog_new_for_document (parent, document);
}

gboolean
tw_share_dialog_get_loading (TwShareDialog *self)
{
  g_return_val_if_fail (TW_IS_SHARE_DIALOG (self), FALSE);
  return self->loading;
}

guint
tw_share_dialog_get_n_measures (TwShareDialog *self)
{
  g_return_val_if_fail (TW_IS_SHARE_DIALOG (self), 0);
  return self->checks != NULL ? self->checks->len : 0;
}

void
tw_share_dialog_set_measure_active (TwShareDialog *self,
                                    guint          index,
                                    gboolean       active)
{
  g_return_if_fail (TW_IS_SHARE_DIALOG (self));
  g_return_if_fail (self->checks != NULL && index < self->checks->len);
  gtk_check_button_set_active (g_ptr_array_index (self->checks, index), active);
}

guint
tw_share_dialog_get_n_partners (TwShareDialog *self)
{
  g_return_val_if_fail (TW_IS_SHARE_DIALOG (self), 0);
  return self->partners != NULL ? g_strv_length (self->partners) : 0;
}

const char *
tw_share_dialog_get_partner_name (TwShareDialog *self,
                                  guint          index)
{
  g_return_val_if_fail (TW_IS_SHARE_DIALOG (self), NULL);
  g_return_val_if_fail (self->partners != NULL && index < g_strv_length (self->partners), NULL);
  return self->partners[index];
}

void
tw_share_dialog_choose_partner (TwShareDialog *self,
                                const char    *partner)
{
  g_return_if_fail (TW_IS_SHARE_DIALOG (self));

  for (guint i = 0; partner != NULL && self->partners != NULL && self->partners[i] != NULL; i++)
    if (g_str_equal (self->partners[i], partner))
      {
        adw_combo_row_set_selected (self->partner_row, i + 1);
        return;
      }
  g_return_if_fail (partner == NULL);
  adw_combo_row_set_selected (self->partner_row, 0);
}

void
tw_share_dialog_set_with_contacts (TwShareDialog *self,
                                   gboolean       with_contacts)
{
  g_return_if_fail (TW_IS_SHARE_DIALOG (self));
  gtk_switch_set_active (self->contacts_switch, with_contacts);
}

char *
tw_share_dialog_get_contents_text (TwShareDialog *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (TW_IS_SHARE_DIALOG (self), NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->contents_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      g_string_append_printf (text, "%s: %s\n",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  return g_string_free (text, FALSE);
}

void
tw_share_dialog_write_to (TwShareDialog *self,
                          const char    *path)
{
  g_return_if_fail (TW_IS_SHARE_DIALOG (self));
  g_return_if_fail (path != NULL);
  start_writing (self, path);
}

gboolean
tw_share_dialog_get_writing (TwShareDialog *self)
{
  g_return_val_if_fail (TW_IS_SHARE_DIALOG (self), FALSE);
  return self->writing;
}

void
tw_share_dialog_cancel (TwShareDialog *self)
{
  g_return_if_fail (TW_IS_SHARE_DIALOG (self));
  on_cancel_clicked (self);
}
