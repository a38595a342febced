/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-overview"

#include <string.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "tw-format.h"
#include "tw-overview.h"

/* How many population groups a measure row names before it elides the rest. */
#define MAX_STRATA_SHOWN 6

struct _TwOverview
{
  GtkWidget   parent_instance;

  /* Template widgets */
  GtkLabel   *project_title;
  GtkLabel   *project_details;
  GtkListBox *geographies_list;
  GtkListBox *measures_list;
};

G_DEFINE_FINAL_TYPE (TwOverview, tw_overview, GTK_TYPE_WIDGET)

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
    return tw_format_count_locale ((gint64) per);

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
  g_autofree char *areas = tw_format_count_locale (geography->areas);

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

static void
tw_overview_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), TW_TYPE_OVERVIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tw_overview_parent_class)->dispose (object);
}

static void
tw_overview_class_init (TwOverviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_overview_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/tw-overview.ui");
  gtk_widget_class_bind_template_child (widget_class, TwOverview, project_title);
  gtk_widget_class_bind_template_child (widget_class, TwOverview, project_details);
  gtk_widget_class_bind_template_child (widget_class, TwOverview, geographies_list);
  gtk_widget_class_bind_template_child (widget_class, TwOverview, measures_list);
}

static void
tw_overview_init (TwOverview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_set_placeholder (self->geographies_list,
                                create_placeholder (_("No areas yet. Import boundaries with "
                                                      "Import in the header bar.")));
  gtk_list_box_set_placeholder (self->measures_list,
                                create_placeholder (_("No outcomes yet. Import a table of them "
                                                      "with Import in the header bar.")));
}

void
tw_overview_show (TwOverview             *self,
                  const char             *basename,
                  const TwProjectSummary *summary)
{
  g_autofree char *title = NULL;
  g_autofree char *partners = NULL;
  g_autofree char *projects = NULL;
  g_autofree char *partners_text = NULL;
  g_autofree char *projects_text = NULL;
  g_autofree char *details = NULL;

  g_return_if_fail (TW_IS_OVERVIEW (self));
  g_return_if_fail (basename != NULL);
  g_return_if_fail (summary != NULL);

  title = g_str_has_suffix (basename, ".tractwise")
          ? g_strndup (basename, strlen (basename) - strlen (".tractwise"))
          : g_strdup (basename);
  gtk_label_set_text (self->project_title, title);

  partners = tw_format_count_locale (summary->partners);
  projects = tw_format_count_locale (summary->projects);
  partners_text = g_strdup_printf (ngettext ("%s partner", "%s partners",
                                             plural_n (summary->partners)),
                                   partners);
  projects_text = g_strdup_printf (ngettext ("%s project", "%s projects",
                                             plural_n (summary->projects)),
                                   projects);
  /* Translators: as in "2 partners · 3 projects · project file version 1" */
  details = g_strdup_printf (_("%s · %s · workspace file version %d"),
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
      g_autofree char *count = tw_format_count_locale (measure->rows);
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
}
