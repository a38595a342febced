/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-project-editor"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>

#include "tw-error-text.h"
#include "tw-format.h"
#include "tw-list-labels.h"
#include "tw-project-editor.h"
#include "tw-project-timeline.h"
#include "tw-toast.h"

#define SAVE_DELAY_MS 500

struct _TwProjectEditor
{
  AdwBin             parent_instance;

  /* Template widgets */
  AdwEntryRow       *title_row;
  GtkTextView       *aim_view;
  AdwComboRow       *status_row;
  AdwEntryRow       *start_row;
  AdwEntryRow       *end_row;
  AdwEntryRow       *budget_row;
  AdwComboRow       *measure_row;
  AdwComboRow       *stratum_row;
  AdwActionRow      *goal_row;
  GtkSpinButton     *goal_spin;
  AdwActionRow      *areas_row;
  GtkSwitch         *footprint_switch;
  GtkListBox        *partners_list;
  GtkListBox        *milestones_list;
  TwEvaluationPanel *evaluation;
  GtkTextView       *notes_view;
  GtkWidget         *choose_button;
  GtkWidget         *milestones_group;
  GtkWidget         *comments_group;
  GtkListBox        *comments_list;
  GtkWidget         *notes_group;
  GtkWidget         *comment_button;
  GtkWidget         *delete_button;

  /* Owned */
  TwDocument        *document;
  GStrv              measures;
  GStrv              partners;
  GStrv              strata;
  TwProject         *project;
  TwMilestone       *deleted_milestone;
  gint64             deleted_milestone_project;
  gboolean           reveal;
  gboolean           read_only;
  gboolean           filling;
  gboolean           dirty;
  guint              save_id;

  /* Borrowed: the "add a partner" row's widgets */
  GtkDropDown       *add_partner_dropdown;
  GtkEditable       *add_role_entry;
  GtkEditable       *add_milestone_title;
  GtkEditable       *add_milestone_due;
};

G_DEFINE_FINAL_TYPE (TwProjectEditor, tw_project_editor, ADW_TYPE_BIN)

enum
{
  SAVED,
  CHOOSE_AREAS,
  FOOTPRINT_TOGGLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *statuses[] = {
  TW_PROJECT_STATUS_PLANNED, TW_PROJECT_STATUS_ACTIVE, TW_PROJECT_STATUS_PAUSED,
  TW_PROJECT_STATUS_COMPLETED,
};

static void fill_lists (TwProjectEditor *self);

static void
show_message (TwProjectEditor *self,
              const char      *message)
{
  AdwToast *toast = tw_toast_new_plain (message);

  adw_toast_set_timeout (toast, 6);
  tw_toast_show (GTK_WIDGET (self), toast);
}

static TwStore *
open_store_for (TwProjectEditor  *self,
                TwDocumentAccess  access)
{
  g_autoptr(GError) error = NULL;
  TwStore *store;

  if (self->document == NULL)
    return NULL;
  if ((store = tw_document_open_store (self->document, access, &error)) == NULL)
    tw_error_toast_show (GTK_WIDGET (self), error);
  return store;
}

static TwStore *
open_store (TwProjectEditor *self)
{
  return open_store_for (self, TW_DOCUMENT_WRITE);
}

static char *
text_or_null (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));

  return *stripped != '\0' ? g_steal_pointer (&stripped) : NULL;
}

static char *
row_text (AdwEntryRow *row)
{
  return text_or_null (gtk_editable_get_text (GTK_EDITABLE (row)));
}

static void
set_row_text (AdwEntryRow *row,
              const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/* The locale's currency symbol ("$", "€"); a health system in the United States where the
 * locale names none ("C"). */
static const char *
currency_symbol (void)
{
  const char *symbol = localeconv ()->currency_symbol;

  return symbol != NULL && *symbol != '\0' ? symbol : "$";
}

/* A budget with its digits grouped by the locale ("120,000", "1,250.50"). */
static char *
format_budget (double value)
{
  g_autofree char *whole = NULL;
  double cents;

  if (isnan (value))
    return NULL;
  whole = tw_format_count_locale ((gint64) trunc (value));
  cents = round (fabs (value - trunc (value)) * 100);
  if (cents == 0)
    return g_steal_pointer (&whole);
  return g_strdup_printf ("%s%s%02d", whole, localeconv ()->decimal_point, (int) cents);
}

/* A number typed in @row, NAN when empty; FALSE (and the row marked) when it is not one.
 * The locale's and the comma's grouping, spaces and the currency symbol are skipped; the
 * decimal point may be the locale's or ".". */
static gboolean
row_number (AdwEntryRow *row,
            double      *value)
{
  g_autofree char *typed = row_text (row);
  g_autoptr(GString) text = NULL;
  const char *group = localeconv ()->thousands_sep;
  const char *point = localeconv ()->decimal_point;
  char *end;

  *value = NAN;
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  if (typed == NULL)
    return TRUE;
  text = g_string_new (typed);
  g_string_replace (text, currency_symbol (), "", 0);
  if (group != NULL && *group != '\0' && g_strcmp0 (group, point) != 0)
    g_string_replace (text, group, "", 0);
  if (g_strcmp0 (point, ",") != 0)
    g_string_replace (text, ",", "", 0);
  g_string_replace (text, " ", "", 0);
  g_string_replace (text, "\u00a0", "", 0);
  g_string_replace (text, "\u202f", "", 0);
  if (point != NULL && *point != '\0' && g_strcmp0 (point, ".") != 0)
    g_string_replace (text, point, ".", 0);
  *value = g_ascii_strtod (text->str, &end);
  if (*end != '\0' || text->len == 0 || !isfinite (*value))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      return FALSE;
    }
  return TRUE;
}

/* Dates */

static void
on_day_selected (GtkCalendar *calendar,
                 GtkEditable *target)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (calendar), GTK_TYPE_POPOVER);

  gtk_editable_set_text (target, text);
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
}

/* The calendar opens on the date typed, or today. */
static void
on_date_popover_show (GtkPopover  *popover,
                      GtkEditable *target)
{
  GtkCalendar *calendar = GTK_CALENDAR (gtk_popover_get_child (popover));
  const char *text = gtk_editable_get_text (target);
  g_autofree char *midnight = g_strconcat (text, "T00:00:00", NULL);
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) date = tw_project_date_is_valid (text)
                              ? g_date_time_new_from_iso8601 (midnight, local)
                              : g_date_time_new_now_local ();

  g_signal_handlers_block_by_func (calendar, on_day_selected, target);
  if (date != NULL)
    gtk_calendar_select_day (calendar, date);
  g_signal_handlers_unblock_by_func (calendar, on_day_selected, target);
}

/* A calendar button for @target: a date is picked, or typed as YYYY-MM-DD. */
static GtkWidget *
date_picker_new (GtkEditable *target,
                 const char  *label)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *calendar = gtk_calendar_new ();

  gtk_popover_set_child (GTK_POPOVER (popover), calendar);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
  g_signal_connect_object (calendar, "day-selected", G_CALLBACK (on_day_selected), target, 0);
  g_signal_connect_object (popover, "show", G_CALLBACK (on_date_popover_show), target, 0);
  return button;
}

static gboolean
row_date (AdwEntryRow *row,
          char       **date)
{
  *date = row_text (row);
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  if (*date != NULL && !tw_project_date_is_valid (*date))
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      g_clear_pointer (date, g_free);
      return FALSE;
    }
  return TRUE;
}

static char *
view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return text_or_null (text);
}

static void
evaluate (TwProjectEditor *self)
{
  tw_evaluation_panel_evaluate (self->evaluation, self->document,
                                self->project != NULL ? self->project->id : 0, self->reveal);
}

/* Writes @edited through the data layer; on success it becomes the project shown. */
static gboolean
write_project (TwProjectEditor *self,
               TwProject       *edited)
{
  g_autoptr(TwStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TwProject) stored = NULL;

  if ((store = open_store (self)) == NULL)
    return FALSE;
  if (!tw_project_update (store, edited, &error)
      || (stored = tw_project_get (store, edited->id, &error)) == NULL)
    {
      tw_error_toast_show (GTK_WIDGET (self), error);
      return FALSE;
    }
  g_clear_pointer (&self->project, tw_project_free);
  self->project = g_steal_pointer (&stored);
  g_signal_emit (self, signals[SAVED], 0, self->project);
  return TRUE;
}

static void
save_now (TwProjectEditor *self)
{
  g_autoptr(TwProject) edited = NULL;
  g_autofree char *start = NULL, *end = NULL;
  double budget, goal;
  guint measure, stratum, status;
  gboolean valid = TRUE;

  g_clear_handle_id (&self->save_id, g_source_remove);
  if (!self->dirty || self->project == NULL || self->read_only)
    return;
  self->dirty = FALSE;

  edited = tw_project_copy (self->project);
  valid &= row_date (self->start_row, &start);
  valid &= row_date (self->end_row, &end);
  valid &= row_number (self->budget_row, &budget);
  /* The spin button holds only what the store accepts; 0 is no goal. */
  goal = gtk_spin_button_get_value (self->goal_spin);
  if (goal <= 0)
    goal = NAN;
  g_free (edited->title);
  edited->title = row_text (self->title_row);
  if (edited->title == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->title_row), "error");
      valid = FALSE;
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->title_row), "error");
  if (!valid)
    return;

  g_free (edited->aim);
  edited->aim = view_text (self->aim_view);
  g_free (edited->start_date);
  edited->start_date = g_steal_pointer (&start);
  g_free (edited->end_date);
  edited->end_date = g_steal_pointer (&end);
  edited->budget = budget;
  edited->goal_percent = goal;
  status = adw_combo_row_get_selected (self->status_row);
  g_free (edited->status);
  edited->status = g_strdup (statuses[MIN (status, G_N_ELEMENTS (statuses) - 1)]);
  measure = adw_combo_row_get_selected (self->measure_row);
  g_free (edited->measure);
  edited->measure = measure > 0 && self->measures != NULL
                    && measure <= g_strv_length (self->measures)
                    ? g_strdup (self->measures[measure - 1]) : NULL;
  stratum = adw_combo_row_get_selected (self->stratum_row);
  g_free (edited->stratum);
  edited->stratum = edited->measure != NULL && self->strata != NULL
                    && stratum < g_strv_length (self->strata)
                    && g_strcmp0 (self->strata[stratum], "all") != 0
                    ? g_strdup (self->strata[stratum]) : NULL;
  g_free (edited->notes);
  edited->notes = view_text (self->notes_view);

  if (!write_project (self, edited))
    {
      /* The date order is the only check that spans two fields. */
      if (edited->start_date != NULL && edited->end_date != NULL
          && strcmp (edited->end_date, edited->start_date) < 0)
        gtk_widget_add_css_class (GTK_WIDGET (self->end_row), "error");
      return;
    }
  evaluate (self);
}

static gboolean
on_save_timeout (gpointer user_data)
{
  TwProjectEditor *self = user_data;

  self->save_id = 0;
  save_now (self);
  return G_SOURCE_REMOVE;
}

static void
on_field_changed (TwProjectEditor *self)
{
  if (self->filling || self->project == NULL || self->read_only)
    return;
  self->dirty = TRUE;
  g_clear_handle_id (&self->save_id, g_source_remove);
  self->save_id = g_timeout_add (SAVE_DELAY_MS, on_save_timeout, self);
}

static void
on_choice_changed (TwProjectEditor *self)
{
  if (self->filling || self->project == NULL)
    return;
  self->dirty = TRUE;
  save_now (self);
}

static void
fill_strata (TwProjectEditor *self,
             const char      *measure,
             const char      *selected)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  g_autoptr(TwStore) store = NULL;
  guint position = 0;

  g_clear_pointer (&self->strata, g_strfreev);
  if (measure != NULL && (store = open_store_for (self, TW_DOCUMENT_READ)) != NULL)
    {
      gint64 id = tw_store_resolve_measure (store, measure, NULL);

      if (id >= 0)
        self->strata = tw_store_list_strata (store, id, NULL, NULL);
    }
  if (self->strata == NULL)
    self->strata = g_strdupv ((char *[]) { (char *) "all", NULL });
  for (guint i = 0; self->strata[i] != NULL; i++)
    {
      gtk_string_list_append (model, g_strcmp0 (self->strata[i], "all") == 0
                                     ? _("Everyone") : self->strata[i]);
      if (g_strcmp0 (self->strata[i], selected) == 0)
        position = i;
    }
  adw_combo_row_set_model (self->stratum_row, G_LIST_MODEL (model));
  adw_combo_row_set_selected (self->stratum_row, position);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stratum_row), measure != NULL);
}

static void
on_measure_changed (TwProjectEditor *self)
{
  guint measure = adw_combo_row_get_selected (self->measure_row);
  gboolean filling = self->filling;

  if (filling || self->project == NULL)
    return;
  self->filling = TRUE;
  fill_strata (self, measure > 0 ? self->measures[measure - 1] : NULL, NULL);
  self->filling = filling;
  on_choice_changed (self);
}

static void
on_footprint_toggled (TwProjectEditor *self)
{
  if (self->filling || self->project == NULL)
    return;
  g_signal_emit (self, signals[FOOTPRINT_TOGGLED], 0, self->project->id,
                 gtk_switch_get_active (self->footprint_switch));
}

/* The lists hold a row for each of the project's partners and milestones, in order: the
 * row of @widget says which. */
static int
row_index (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW);

  return row != NULL ? gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) : -1;
}

static gint64
row_milestone_id (TwProjectEditor *self,
                  GtkWidget       *widget)
{
  int index = row_index (widget);

  if (self->project == NULL || index < 0 || (guint) index >= self->project->milestones->len)
    return 0;
  return ((TwMilestone *) g_ptr_array_index (self->project->milestones, index))->id;
}

/* Partners */

static void
on_remove_partner (GtkButton       *button,
                   TwProjectEditor *self)
{
  int index = row_index (GTK_WIDGET (button));
  g_autofree char *name = NULL;
  g_autoptr(TwProject) edited = NULL;

  if (self->project == NULL || index < 0 || (guint) index >= self->project->partners->len)
    return;
  name = g_strdup (((TwProjectPartner *) g_ptr_array_index (self->project->partners,
                                                            index))->name);
  save_now (self);
  edited = tw_project_copy (self->project);
  for (guint i = 0; i < edited->partners->len; i++)
    if (g_strcmp0 (((TwProjectPartner *) g_ptr_array_index (edited->partners, i))->name,
                   name) == 0)
      {
        g_ptr_array_remove_index (edited->partners, i);
        break;
      }
  if (write_project (self, edited))
    fill_lists (self);
}

static void
on_add_partner (GtkButton       *button,
                TwProjectEditor *self)
{
  GtkStringObject *item = NULL;
  g_autofree char *role = NULL;
  g_autoptr(TwProject) edited = NULL;

  if (self->add_partner_dropdown == NULL || self->project == NULL
      || (item = gtk_drop_down_get_selected_item (self->add_partner_dropdown)) == NULL)
    return;
  role = text_or_null (gtk_editable_get_text (self->add_role_entry));
  save_now (self);
  edited = tw_project_copy (self->project);
  tw_project_take_partner (edited, gtk_string_object_get_string (item), role);
  if (write_project (self, edited))
    fill_lists (self);
}

/* Milestones */

static void
on_milestone_toggled (GtkCheckButton  *check,
                      TwProjectEditor *self)
{
  gint64 id = row_milestone_id (self, GTK_WIDGET (check));
  g_autoptr(TwStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (self->filling || self->project == NULL || (store = open_store (self)) == NULL)
    return;
  for (guint i = 0; i < self->project->milestones->len; i++)
    {
      TwMilestone *milestone = g_ptr_array_index (self->project->milestones, i);
      g_autoptr(TwMilestone) edited = NULL;
      g_autoptr(GDateTime) now = NULL;

      if (milestone->id != id)
        continue;
      edited = tw_milestone_new (milestone->title, milestone->due_date, NULL);
      edited->id = id;
      if (gtk_check_button_get_active (check))
        {
          now = g_date_time_new_now_local ();
          edited->done_date = g_date_time_format (now, "%Y-%m-%d");
        }
      if (!tw_project_update_milestone (store, edited, &error))
        tw_error_toast_show (GTK_WIDGET (self), error);
      else
        {
          g_free (milestone->done_date);
          milestone->done_date = g_strdup (edited->done_date);
        }
      break;
    }
  fill_lists (self);
}

static void
on_delete_milestone (GtkButton       *button,
                     TwProjectEditor *self)
{
  tw_project_editor_delete_milestone (self, row_milestone_id (self, GTK_WIDGET (button)));
}

static gboolean
reload_project (TwProjectEditor *self)
{
  g_autoptr(TwStore) store = open_store (self);
  g_autoptr(GError) error = NULL;
  TwProject *project;

  if (store == NULL || self->project == NULL)
    return FALSE;
  if ((project = tw_project_get (store, self->project->id, &error)) == NULL)
    {
      tw_error_toast_show (GTK_WIDGET (self), error);
      return FALSE;
    }
  g_clear_pointer (&self->project, tw_project_free);
  self->project = project;
  g_signal_emit (self, signals[SAVED], 0, self->project);
  return TRUE;
}

static void
on_undo_milestone (AdwToast        *toast,
                   TwProjectEditor *self)
{
  g_autoptr(TwStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (self->deleted_milestone == NULL || (store = open_store (self)) == NULL)
    return;
  if (tw_project_add_milestone (store, self->deleted_milestone_project,
                                self->deleted_milestone, &error) < 0)
    {
      tw_error_toast_show (GTK_WIDGET (self), error);
      return;
    }
  g_clear_pointer (&self->deleted_milestone, tw_milestone_free);
  g_clear_pointer (&store, tw_store_close);
  if (self->project != NULL && self->project->id == self->deleted_milestone_project
      && reload_project (self))
    fill_lists (self);
}

static void
on_add_milestone (GtkWidget       *widget,
                  TwProjectEditor *self)
{
  g_autofree char *title = text_or_null (gtk_editable_get_text (self->add_milestone_title));
  g_autofree char *due = text_or_null (gtk_editable_get_text (self->add_milestone_due));
  g_autoptr(TwMilestone) milestone = NULL;
  g_autoptr(TwStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (title == NULL || self->project == NULL)
    return;
  if (due != NULL && !tw_project_date_is_valid (due))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->add_milestone_due), "error");
      show_message (self, _("Write the due date as YYYY-MM-DD, for example 2025-06-30."));
      return;
    }
  milestone = tw_milestone_new (title, due, NULL);
  if ((store = open_store (self)) == NULL)
    return;
  if (tw_project_add_milestone (store, self->project->id, milestone, &error) < 0)
    {
      tw_error_toast_show (GTK_WIDGET (self), error);
      return;
    }
  g_clear_pointer (&store, tw_store_close);
  if (reload_project (self))
    fill_lists (self);
}

static GtkWidget *
flat_icon_button (const char *icon,
                  const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static char *
format_areas (const TwProject *project)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint shown = MIN (project->areas->len, 40);

  if (project->areas->len == 0)
    return g_strdup (_("None chosen yet: choose them on the map, by clicking areas or "
                       "dragging a rectangle or lasso."));
  for (guint i = 0; i < shown; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? ", " : "",
                            (char *) g_ptr_array_index (project->areas, i));
  if (shown < project->areas->len)
    g_string_append_printf (text, _(" and %u more"), project->areas->len - shown);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The comments on the project and its areas, from partners' reviews or staff. */
static void
fill_comments (TwProjectEditor *self)
{
  clear_list (self->comments_list);
  for (guint i = 0; i < self->project->comments->len; i++)
    {
      TwProjectComment *comment = g_ptr_array_index (self->project->comments, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *day = g_strndup (comment->created_at != NULL ? comment->created_at : "",
                                        10);
      g_autofree char *subtitle = NULL;

      /* Translators: who wrote a comment and on which day, and the area it is about */
      subtitle = comment->geoid != NULL
                 ? g_strdup_printf (_("%s · %s · on area %s"),
                                    comment->author != NULL ? comment->author : _("Anonymous"),
                                    day, comment->geoid)
                 : g_strdup_printf (_("%s · %s"),
                                    comment->author != NULL ? comment->author : _("Anonymous"),
                                    day);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), comment->body);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->comments_list, row);
    }
  gtk_widget_set_visible (self->comments_group, self->project->comments->len > 0);
}

/* The rows that depend on the stored project: areas, partners, milestones. */
static void
fill_lists (TwProjectEditor *self)
{
  const TwProject *project = self->project;
  g_autofree char *areas_title = NULL, *areas_text = NULL;
  g_autoptr(GtkStringList) available = gtk_string_list_new (NULL);
  GtkWidget *row, *box, *button;

  if (project == NULL)
    return;
  self->filling = TRUE;

  areas_title = project->geography != NULL
                ? g_strdup_printf (ngettext ("%u area of %s", "%u areas of %s",
                                             project->areas->len),
                                   project->areas->len, project->geography)
                : g_strdup_printf (ngettext ("%u area", "%u areas", project->areas->len),
                                   project->areas->len);
  areas_text = format_areas (project);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->areas_row), areas_title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->areas_row), areas_text);

  clear_list (self->partners_list);
  for (guint i = 0; i < project->partners->len; i++)
    {
      TwProjectPartner *partner = g_ptr_array_index (project->partners, i);

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), partner->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   partner->role != NULL ? partner->role : _("No role given"));
      gtk_list_box_append (self->partners_list, row);
      if (self->read_only)
        continue;
      button = flat_icon_button ("list-remove-symbolic", _("Remove from the Project"));
      g_signal_connect (button, "clicked", G_CALLBACK (on_remove_partner), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  fill_comments (self);
  if (self->read_only)
    {
      if (project->partners->len == 0)
        {
          row = adw_action_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No partners named"));
          gtk_widget_add_css_class (row, "dim-label");
          gtk_list_box_append (self->partners_list, row);
        }
      self->filling = FALSE;
      return;
    }
  for (guint i = 0; self->partners != NULL && self->partners[i] != NULL; i++)
    {
      gboolean taken = FALSE;

      for (guint j = 0; j < project->partners->len && !taken; j++)
        taken = g_strcmp0 (((TwProjectPartner *) g_ptr_array_index (project->partners,
                                                                     j))->name,
                           self->partners[i]) == 0;
      if (!taken)
        gtk_string_list_append (available, self->partners[i]);
    }
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Add a Partner"));
  /* An empty, greyed drop-down would look broken: say why there is nothing to add. */
  if (g_list_model_get_n_items (G_LIST_MODEL (available)) == 0)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   self->partners != NULL && self->partners[0] != NULL
                                   ? _("Every partner of the workspace takes part. Add others "
                                       "on the Partners page.")
                                   : _("Add partners on the Partners page first."));
      gtk_widget_add_css_class (row, "dim-label");
      self->add_partner_dropdown = NULL;
      self->add_role_entry = NULL;
    }
  else
    {
      box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
      self->add_partner_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (
                                                    g_object_ref (available)), NULL));
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->add_partner_dropdown));
      self->add_role_entry = GTK_EDITABLE (gtk_entry_new ());
      gtk_entry_set_placeholder_text (GTK_ENTRY (self->add_role_entry), _("Role"));
      gtk_editable_set_width_chars (self->add_role_entry, 12);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->add_role_entry));
      button = flat_icon_button ("list-add-symbolic", _("Add the Partner"));
      g_signal_connect (button, "clicked", G_CALLBACK (on_add_partner), self);
      gtk_box_append (GTK_BOX (box), button);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
    }
  gtk_list_box_append (self->partners_list, row);

  clear_list (self->milestones_list);
  for (guint i = 0; i < project->milestones->len; i++)
    {
      TwMilestone *milestone = g_ptr_array_index (project->milestones, i);
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *subtitle = NULL;
      g_autofree char *today = tw_today_iso ();
      gboolean overdue = tw_milestone_is_overdue (milestone, today);

      if (milestone->done_date != NULL)
        subtitle = g_strdup_printf (_("Done %s"), milestone->done_date);
      else if (overdue)
        subtitle = g_strdup_printf (_("Overdue: due %s"), milestone->due_date);
      else if (milestone->due_date != NULL)
        subtitle = g_strdup_printf (_("Due %s"), milestone->due_date);
      else
        subtitle = g_strdup (_("No due date"));
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), milestone->title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), milestone->done_date != NULL);
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (check, _("Done"));
      g_signal_connect (check, "toggled", G_CALLBACK (on_milestone_toggled), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      if (overdue)
        {
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

          gtk_widget_add_css_class (icon, "error");
          gtk_widget_set_tooltip_text (icon, _("Overdue"));
          gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _("Overdue"), -1);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
          gtk_widget_add_css_class (row, "overdue");
        }
      button = flat_icon_button ("user-trash-symbolic", _("Delete the Milestone"));
      g_signal_connect (button, "clicked", G_CALLBACK (on_delete_milestone), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->milestones_list, row);
    }
  row = adw_action_row_new ();
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_hexpand (box, TRUE);
  self->add_milestone_title = GTK_EDITABLE (gtk_entry_new ());
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->add_milestone_title), _("New milestone"));
  gtk_widget_set_hexpand (GTK_WIDGET (self->add_milestone_title), TRUE);
  g_signal_connect (self->add_milestone_title, "activate", G_CALLBACK (on_add_milestone), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->add_milestone_title));
  self->add_milestone_due = GTK_EDITABLE (gtk_entry_new ());
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->add_milestone_due), _("Due YYYY-MM-DD"));
  gtk_editable_set_width_chars (self->add_milestone_due, 14);
  g_signal_connect (self->add_milestone_due, "activate", G_CALLBACK (on_add_milestone), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->add_milestone_due));
  gtk_box_append (GTK_BOX (box), date_picker_new (self->add_milestone_due,
                                                  _("Choose the Due Date")));
  button = flat_icon_button ("list-add-symbolic", _("Add the Milestone"));
  g_signal_connect (button, "clicked", G_CALLBACK (on_add_milestone), self);
  gtk_box_append (GTK_BOX (box), button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  gtk_list_box_append (self->milestones_list, row);

  self->filling = FALSE;
}

static void
choose_areas_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TwProjectEditor *self = TW_PROJECT_EDITOR (widget);

  save_now (self);
  if (self->project != NULL)
    g_signal_emit (self, signals[CHOOSE_AREAS], 0, self->project->id);
}

static void
on_unmap (TwProjectEditor *self)
{
  save_now (self);
}

static void
tw_project_editor_dispose (GObject *object)
{
  TwProjectEditor *self = TW_PROJECT_EDITOR (object);

  /* Nothing typed is lost when the window closes. */
  save_now (self);
  g_clear_object (&self->document);
  /* AdwBin drops its child (the template) itself. */

  G_OBJECT_CLASS (tw_project_editor_parent_class)->dispose (object);
}

static void
tw_project_editor_finalize (GObject *object)
{
  TwProjectEditor *self = TW_PROJECT_EDITOR (object);

  g_strfreev (self->measures);
  g_strfreev (self->partners);
  g_strfreev (self->strata);
  g_clear_pointer (&self->project, tw_project_free);
  g_clear_pointer (&self->deleted_milestone, tw_milestone_free);

  G_OBJECT_CLASS (tw_project_editor_parent_class)->finalize (object);
}

static void
tw_project_editor_class_init (TwProjectEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_project_editor_dispose;
  object_class->finalize = tw_project_editor_finalize;

  /**
   * TwProjectEditor::saved:
   * @project: the project as written
   *
   * An edit was written to the file.
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  /**
   * TwProjectEditor::choose-areas:
   * @id: the project's id
   *
   * The user asked to choose the target areas on the map.
   */
  signals[CHOOSE_AREAS] = g_signal_new ("choose-areas", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * TwProjectEditor::footprint-toggled:
   * @id: the project's id
   * @shown: whether its footprint is to be drawn
   */
  signals[FOOTPRINT_TOGGLED] = g_signal_new ("footprint-toggled", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_BOOLEAN);

  g_type_ensure (TW_TYPE_EVALUATION_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/"
                                               "tw-project-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, aim_view);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, status_row);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, start_row);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, end_row);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, budget_row);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, measure_row);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, stratum_row);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, goal_row);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, goal_spin);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, areas_row);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, footprint_switch);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, partners_list);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, milestones_list);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, evaluation);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, choose_button);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, milestones_group);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, comments_group);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, comments_list);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, notes_group);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, comment_button);
  gtk_widget_class_bind_template_child (widget_class, TwProjectEditor, delete_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_choice_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_measure_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_footprint_toggled);

  gtk_widget_class_install_action (widget_class, "editor.choose-areas", NULL,
                                   choose_areas_action);
}

static void
tw_project_editor_init (TwProjectEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tw_combo_row_show_whole (self->status_row);
  tw_combo_row_show_whole (self->measure_row);
  tw_combo_row_show_whole (self->stratum_row);
  adw_entry_row_add_suffix (self->start_row,
                            date_picker_new (GTK_EDITABLE (self->start_row),
                                             _("Choose the Start Date")));
  adw_entry_row_add_suffix (self->end_row,
                            date_picker_new (GTK_EDITABLE (self->end_row),
                                             _("Choose the End Date")));
  {
    GtkWidget *currency = gtk_label_new (currency_symbol ());

    gtk_widget_add_css_class (currency, "dim-label");
    adw_entry_row_add_prefix (self->budget_row, currency);
  }

  g_signal_connect_object (gtk_text_view_get_buffer (self->notes_view), "changed",
                           G_CALLBACK (on_field_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->aim_view), "changed",
                           G_CALLBACK (on_field_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "unmap", G_CALLBACK (on_unmap), NULL);
}

void
tw_project_editor_set_context (TwProjectEditor *self,
                               TwDocument      *document,
                               GStrv            measures,
                               GStrv            labels,
                               GStrv            partners)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);

  g_return_if_fail (TW_IS_PROJECT_EDITOR (self));

  save_now (self);
  g_set_object (&self->document, document);
  g_strfreev (self->measures);
  self->measures = g_strdupv (measures);
  g_strfreev (self->partners);
  self->partners = g_strdupv (partners);

  gtk_string_list_append (model, _("None"));
  for (guint i = 0; measures != NULL && measures[i] != NULL; i++)
    gtk_string_list_append (model, labels != NULL && labels[i] != NULL ? labels[i]
                                                                       : measures[i]);
  self->filling = TRUE;
  adw_combo_row_set_model (self->measure_row, G_LIST_MODEL (model));
  self->filling = FALSE;
}

void
tw_project_editor_set_project (TwProjectEditor *self,
                               const TwProject *project,
                               gboolean         footprint_shown,
                               gboolean         reveal)
{
  g_autofree char *budget = NULL;
  guint measure = 0;

  g_return_if_fail (TW_IS_PROJECT_EDITOR (self));

  save_now (self);
  g_clear_pointer (&self->project, tw_project_free);
  self->reveal = reveal;
  if (project == NULL)
    {
      evaluate (self);
      return;
    }
  self->project = tw_project_copy (project);

  self->filling = TRUE;
  set_row_text (self->title_row, project->title);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->aim_view),
                            project->aim != NULL ? project->aim : "", -1);
  set_row_text (self->start_row, project->start_date);
  set_row_text (self->end_row, project->end_date);
  budget = format_budget (project->budget);
  set_row_text (self->budget_row, budget);
  gtk_spin_button_set_value (self->goal_spin,
                             isnan (project->goal_percent) ? 0 : project->goal_percent);
  adw_combo_row_set_selected (self->status_row, 0);
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (g_strcmp0 (project->status, statuses[i]) == 0)
      adw_combo_row_set_selected (self->status_row, i);
  for (guint i = 0; self->measures != NULL && self->measures[i] != NULL; i++)
    if (g_strcmp0 (self->measures[i], project->measure) == 0)
      measure = i + 1;
  adw_combo_row_set_selected (self->measure_row, measure);
  fill_strata (self, project->measure, project->stratum != NULL ? project->stratum : "all");
  gtk_switch_set_active (self->footprint_switch, footprint_shown);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view),
                            project->notes != NULL ? project->notes : "", -1);
  self->filling = FALSE;
  fill_lists (self);
  evaluate (self);
}

const TwProject *
tw_project_editor_get_project (TwProjectEditor *self)
{
  g_return_val_if_fail (TW_IS_PROJECT_EDITOR (self), NULL);

  return self->project;
}

void
tw_project_editor_flush (TwProjectEditor *self)
{
  g_return_if_fail (TW_IS_PROJECT_EDITOR (self));

  save_now (self);
}

TwEvaluationPanel *
tw_project_editor_get_evaluation (TwProjectEditor *self)
{
  g_return_val_if_fail (TW_IS_PROJECT_EDITOR (self), NULL);

  return self->evaluation;
}

gboolean
tw_project_editor_delete_milestone (TwProjectEditor *self,
                                    gint64           milestone_id)
{
  g_autoptr(TwStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  TwMilestone *copy = NULL;
  AdwToast *toast;

  g_return_val_if_fail (TW_IS_PROJECT_EDITOR (self), FALSE);

  if (self->project == NULL || (store = open_store (self)) == NULL)
    return FALSE;
  for (guint i = 0; i < self->project->milestones->len; i++)
    {
      TwMilestone *milestone = g_ptr_array_index (self->project->milestones, i);

      if (milestone->id == milestone_id)
        copy = tw_milestone_new (milestone->title, milestone->due_date, milestone->done_date);
    }
  if (copy == NULL)
    return FALSE;
  if (!tw_project_delete_milestone (store, milestone_id, &error))
    {
      tw_milestone_free (copy);
      tw_error_toast_show (GTK_WIDGET (self), error);
      return FALSE;
    }
  g_clear_pointer (&store, tw_store_close);
  g_clear_pointer (&self->deleted_milestone, tw_milestone_free);
  self->deleted_milestone = copy;
  self->deleted_milestone_project = self->project->id;
  title = g_strdup_printf (_("Milestone “%s” deleted"), copy->title);
  toast = tw_toast_new_plain (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_milestone), self, 0);
  tw_toast_show (GTK_WIDGET (self), toast);
  if (reload_project (self))
    fill_lists (self);
  return TRUE;
}

void
tw_project_editor_set_read_only (TwProjectEditor *self,
                                 gboolean         read_only)
{
  AdwEntryRow *entries[] = {
    self->title_row, self->start_row, self->end_row, self->budget_row,
  };

  g_return_if_fail (TW_IS_PROJECT_EDITOR (self));

  read_only = !!read_only;
  if (self->read_only == read_only)
    return;
  save_now (self);
  self->read_only = read_only;
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    gtk_editable_set_editable (GTK_EDITABLE (entries[i]), !read_only);
  gtk_widget_set_sensitive (GTK_WIDGET (self->status_row), !read_only);
  gtk_editable_set_editable (GTK_EDITABLE (self->goal_spin), !read_only);
  gtk_widget_set_sensitive (GTK_WIDGET (self->goal_spin), !read_only);
  gtk_widget_set_sensitive (GTK_WIDGET (self->measure_row), !read_only);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stratum_row), !read_only);
  gtk_text_view_set_editable (self->notes_view, !read_only);
  gtk_text_view_set_editable (self->aim_view, !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.choose-areas", !read_only);
  /* A review copy holds no budget, milestones or notes: no empty fields that suggest it. */
  gtk_widget_set_visible (GTK_WIDGET (self->budget_row), !read_only);
  gtk_widget_set_visible (self->milestones_group, !read_only);
  gtk_widget_set_visible (self->notes_group, !read_only);
  gtk_widget_set_visible (self->choose_button, !read_only);
  gtk_widget_set_visible (self->delete_button, !read_only);
  gtk_widget_set_visible (self->comment_button, read_only);
  if (read_only)
    gtk_widget_add_css_class (GTK_WIDGET (self), "read-only");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "read-only");
  fill_lists (self);
}
