/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-import-dialog"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "tw-area-import.h"
#include "tw-area-reader.h"
#include "tw-chooser.h"
#include "tw-convert.h"
#include "tw-error-text.h"
#include "tw-focus.h"
#include "tw-format.h"
#include "tw-import-check.h"
#include "tw-import-dialog.h"
#include "tw-outcome-import.h"
#include "tw-store-catalog.h"
#include "tw-store-lookups.h"
#include "tw-store.h"
#include "tw-toast.h"

#define PREVIEW_ROWS 20

struct _TwImportDialog
{
  AdwWindow             parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkButton            *cancel_button;
  GtkButton            *back_button;
  GtkButton            *next_button;
  GtkStack             *stack;
  GtkSpinner           *reading_spinner;
  AdwStatusPage        *error_page;
  GtkImage             *kind_icon;
  GtkLabel             *kind_title;
  GtkLabel             *kind_subtitle;
  AdwPreferencesGroup  *preview_group;
  GtkColumnView        *preview_view;
  GtkWidget            *outcome_group;
  GtkWidget            *measure_group;
  GtkWidget            *area_group;
  AdwComboRow          *geoid_row;
  AdwComboRow          *numerator_row;
  AdwComboRow          *denominator_row;
  AdwComboRow          *measure_row;
  AdwComboRow          *latitude_row;
  AdwComboRow          *longitude_row;
  AdwComboRow          *precision_row;
  AdwComboRow          *denominator_source_row;
  AdwActionRow         *denominators_file_row;
  AdwEntryRow          *measure_code_row;
  AdwComboRow          *period_row;
  AdwEntryRow          *period_value_row;
  AdwComboRow          *stratum_row;
  AdwComboRow          *geography_row;
  AdwExpanderRow       *convert_row;
  AdwComboRow          *convert_to_row;
  AdwActionRow         *relationship_row;
  AdwComboRow          *format_row;
  AdwComboRow          *rule_row;
  AdwEntryRow          *label_row;
  AdwComboRow          *kind_row;
  AdwComboRow          *per_row;
  AdwComboRow          *layer_row;
  AdwComboRow          *id_row;
  AdwComboRow          *name_row;
  AdwEntryRow          *geography_name_row;
  AdwComboRow          *level_row;
  AdwEntryRow          *vintage_row;
  GtkSpinner           *checking_spinner;
  GtkImage             *report_icon;
  GtkLabel             *report_title;
  GtkLabel             *report_summary;
  AdwPreferencesGroup  *problems_group;
  GtkListBox           *problems_list;
  AdwStatusPage        *importing_page;
  GtkProgressBar       *progress_bar;

  /* Owned references */
  TwDocument           *document;
  GFile                *source;
  char                 *source_path;
  TwImportPreview      *preview;
  GStrv                 geographies;
  char                 *screen_geography;  /* the window's: suggested unless another fits */
  char                 *matched_field;     /* the GEOID column the suggestion is for */
  gboolean              geography_picked;  /* by the user: no suggestion overrides it */
  GCancellable         *cancellable;
  GPtrArray            *problems;      /* char *, as listed */
  char                 *relationship;  /* the relationship file to convert through */
  char                 *denominators;  /* a points file's table of denominators */
  GStrv                 attributes;    /* of every geography: denominators of points */
  GString              *report;        /* the last report as shown, for tests */

  /* Borrowed: the run under way, owned by its result */
  struct _RunData      *running;

  gboolean              filling;
  gboolean              ready;         /* the last check found nothing that blocks */
  double                fraction;
  guint                 tick_id;
};

typedef struct
{
  TwImportPreview *preview;
  GStrv            geographies;
} PreviewResult;

typedef struct
{
  TwOutcomeImportResult *outcomes;
  TwAreaImportResult    *areas;
  TwConvertResult       *converted;
  TwPointImportResult   *points;
  TwAttributeImportResult *attributes;
  GHashTable            *measure_labels;  /* code → label, as the store knows them */
} RunResult;

/* Everything an import needs, copied for its thread, and what it did. */
typedef struct _RunData
{
  char         *source;
  TwImportKind  kind;
  gboolean      validate;
  char         *layer;
  char         *fields[TW_IMPORT_N_COLUMNS];
  char         *measure;
  char         *period;
  char         *label;
  const char   *measure_kind;
  double        per;
  char         *geography;
  const char   *level;
  int           vintage;
  char         *to_geography;  /* converting: the geography to allocate to, else NULL */
  char         *relationship;
  TwCrosswalkFormat format;
  TwCrosswalkRule rule;
  char         *min_precision;
  char         *denominators;
  char         *denominator_attribute;
  gsize         done;    /* atomic */
  gsize         total;   /* atomic; 0 when unknown */
  RunResult    *result;
} RunData;

G_DEFINE_FINAL_TYPE (TwImportDialog, tw_import_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void  suggest_geography (TwImportDialog *self);
static guint geography_index   (TwImportDialog *self,
                                const char     *name);

enum {
  IMPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const levels[] = { "tract", "block-group", "county", "zcta", "other" };
static const double multipliers[] = { 100, 1000, 10000, 100000 };

static void
preview_result_free (PreviewResult *result)
{
  g_clear_pointer (&result->preview, tw_import_preview_free);
  g_strfreev (result->geographies);
  g_free (result);
}

static void run_result_free (RunResult *result);

static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->result, run_result_free);
  g_free (data->source);
  g_free (data->layer);
  for (guint i = 0; i < TW_IMPORT_N_COLUMNS; i++)
    g_free (data->fields[i]);
  g_free (data->measure);
  g_free (data->period);
  g_free (data->label);
  g_free (data->geography);
  g_free (data->to_geography);
  g_free (data->relationship);
  g_free (data->min_precision);
  g_free (data->denominators);
  g_free (data->denominator_attribute);
  g_free (data);
}

static void
run_result_free (RunResult *result)
{
  g_clear_pointer (&result->outcomes, tw_outcome_import_result_free);
  g_clear_pointer (&result->areas, tw_area_import_result_free);
  g_clear_pointer (&result->converted, tw_convert_result_free);
  g_clear_pointer (&result->points, tw_point_import_result_free);
  g_clear_pointer (&result->attributes, tw_attribute_import_result_free);
  g_clear_pointer (&result->measure_labels, g_hash_table_unref);
  g_free (result);
}

static gulong
plural_n (gint64 value)
{
  return (gulong) CLAMP (value, 0, G_MAXLONG);
}

static TwImportLayer *
current_layer (TwImportDialog *self)
{
  guint i;

  if (self->preview == NULL || self->preview->layers->len == 0)
    return NULL;
  i = adw_combo_row_get_selected (self->layer_row);
  if (i == GTK_INVALID_LIST_POSITION || i >= self->preview->layers->len)
    i = 0;
  return g_ptr_array_index (self->preview->layers, i);
}

static AdwComboRow *
row_for_role (TwImportDialog *self,
              TwImportColumn  role)
{
  switch (role)
    {
    case TW_IMPORT_COLUMN_GEOID: return self->geoid_row;
    case TW_IMPORT_COLUMN_MEASURE: return self->measure_row;
    case TW_IMPORT_COLUMN_PERIOD: return self->period_row;
    case TW_IMPORT_COLUMN_STRATUM: return self->stratum_row;
    case TW_IMPORT_COLUMN_NUMERATOR: return self->numerator_row;
    case TW_IMPORT_COLUMN_DENOMINATOR: return self->denominator_row;
    case TW_IMPORT_COLUMN_AREA_ID: return self->id_row;
    case TW_IMPORT_COLUMN_AREA_NAME: return self->name_row;
    case TW_IMPORT_COLUMN_LATITUDE: return self->latitude_row;
    case TW_IMPORT_COLUMN_LONGITUDE: return self->longitude_row;
    case TW_IMPORT_N_COLUMNS:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* What the first item of each column picker stands for. */
static gboolean
is_points (TwImportDialog *self)
{
  return self->preview != NULL && self->preview->kind == TW_IMPORT_KIND_POINTS;
}

static gboolean
is_attributes (TwImportDialog *self)
{
  return self->preview != NULL && self->preview->kind == TW_IMPORT_KIND_ATTRIBUTES;
}

/* The published layout of community data, in words. */
static const char *
layout_title (TwAttributeLayout layout)
{
  switch (layout)
    {
    case TW_ATTRIBUTE_LAYOUT_SVI: return _("CDC/ATSDR Social Vulnerability Index (SVI)");
    case TW_ATTRIBUTE_LAYOUT_ADI: return _("Neighborhood Atlas Area Deprivation Index (ADI)");
    case TW_ATTRIBUTE_LAYOUT_PLACES: return _("CDC PLACES census tract estimates");
    case TW_ATTRIBUTE_LAYOUT_ACS: return _("American Community Survey table (Census)");
    case TW_ATTRIBUTE_LAYOUT_AUTO:
    case TW_ATTRIBUTE_LAYOUT_PLAIN:
    default:
      return _("A table of area attributes");
    }
}

static const char *
none_label (TwImportDialog *self,
            TwImportColumn  role)
{
  if (role == TW_IMPORT_COLUMN_GEOID && is_points (self))
    return _("None: placed by their coordinates");
  switch (role)
    {
    case TW_IMPORT_COLUMN_MEASURE: return _("One for every row");
    case TW_IMPORT_COLUMN_PERIOD: return _("One for every row");
    case TW_IMPORT_COLUMN_STRATUM: return _("No groups: everyone");
    case TW_IMPORT_COLUMN_AREA_NAME: return _("No name");
    case TW_IMPORT_COLUMN_GEOID:
    case TW_IMPORT_COLUMN_NUMERATOR:
    case TW_IMPORT_COLUMN_DENOMINATOR:
    case TW_IMPORT_COLUMN_AREA_ID:
    case TW_IMPORT_COLUMN_LATITUDE:
    case TW_IMPORT_COLUMN_LONGITUDE:
    case TW_IMPORT_N_COLUMNS:
    default:
      return _("Choose a column");
    }
}

static void
set_strings (AdwComboRow        *row,
             const char *const  *strings,
             guint               selected)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (strings);

  adw_combo_row_set_model (row, G_LIST_MODEL (list));
  adw_combo_row_set_selected (row, selected);
}

static void
fill_column_row (TwImportDialog *self,
                 TwImportColumn  role)
{
  TwImportLayer *layer = current_layer (self);
  g_autoptr(GStrvBuilder) items = g_strv_builder_new ();
  g_auto(GStrv) strings = NULL;

  int guess = layer != NULL ? layer->guess[role] : -1;

  g_strv_builder_add (items, none_label (self, role));
  if (layer != NULL)
    g_strv_builder_addv (items, (const char **) layer->fields);
  strings = g_strv_builder_end (items);
  /* Events are placed by their coordinates unless they have none: an "id" column is a
   * patient's, not an area's. */
  if (role == TW_IMPORT_COLUMN_GEOID && is_points (self)
      && (layer->has_points || layer->guess[TW_IMPORT_COLUMN_LATITUDE] >= 0))
    guess = -1;
  set_strings (row_for_role (self, role), (const char *const *) strings,
               guess >= 0 ? (guint) guess + 1 : 0);
}

static const char *
chosen_field (TwImportDialog *self,
              TwImportColumn  role)
{
  TwImportLayer *layer = current_layer (self);
  guint i = adw_combo_row_get_selected (row_for_role (self, role));

  if (layer == NULL || i == 0 || i == GTK_INVALID_LIST_POSITION
      || i > g_strv_length (layer->fields))
    return NULL;
  return layer->fields[i - 1];
}

static char *
entry_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_strstrip (text);
  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static const char *
role_title (TwImportColumn role)
{
  switch (role)
    {
    case TW_IMPORT_COLUMN_GEOID: return _("GEOID");
    case TW_IMPORT_COLUMN_MEASURE: return _("measure");
    case TW_IMPORT_COLUMN_PERIOD: return _("period");
    case TW_IMPORT_COLUMN_STRATUM: return _("group");
    case TW_IMPORT_COLUMN_NUMERATOR: return _("numerator");
    case TW_IMPORT_COLUMN_DENOMINATOR: return _("denominator");
    case TW_IMPORT_COLUMN_AREA_ID: return _("id");
    case TW_IMPORT_COLUMN_AREA_NAME: return _("name");
    case TW_IMPORT_COLUMN_LATITUDE: return _("latitude");
    case TW_IMPORT_COLUMN_LONGITUDE: return _("longitude");
    case TW_IMPORT_N_COLUMNS:
    default:
      return "";
    }
}

/* Whether a column plays @role in a file of this kind. */
static gboolean
role_used (TwImportDialog *self,
           TwImportColumn  role)
{
  switch (self->preview != NULL ? self->preview->kind : TW_IMPORT_KIND_OUTCOMES)
    {
    case TW_IMPORT_KIND_AREAS:
      return role == TW_IMPORT_COLUMN_AREA_ID || role == TW_IMPORT_COLUMN_AREA_NAME;
    case TW_IMPORT_KIND_ATTRIBUTES:
      return FALSE;
    case TW_IMPORT_KIND_POINTS:
      return role == TW_IMPORT_COLUMN_GEOID || role == TW_IMPORT_COLUMN_PERIOD
             || role == TW_IMPORT_COLUMN_STRATUM || role == TW_IMPORT_COLUMN_LATITUDE
             || role == TW_IMPORT_COLUMN_LONGITUDE;
    case TW_IMPORT_KIND_OUTCOMES:
    default:
      return role < TW_IMPORT_COLUMN_AREA_ID;
    }
}

/* The preview's headers say which column plays which part: "FIPS → GEOID". */
static void
update_column_titles (TwImportDialog *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->preview_view);
  TwImportLayer *layer = current_layer (self);
  for (guint i = 0; layer != NULL && i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      const char *field = layer->fields[i];
      const char *role = NULL;
      g_autofree char *title = NULL;

      for (guint r = 0; r < TW_IMPORT_N_COLUMNS; r++)
        if (role_used (self, r) && g_strcmp0 (chosen_field (self, r), field) == 0)
          role = role_title (r);
      title = role != NULL ? g_strdup_printf ("%s → %s", field, role) : g_strdup (field);
      gtk_column_view_column_set_title (column, title);
    }
}

static const char *
file_geography (TwImportDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->geography_row);

  if (self->geographies == NULL || selected >= g_strv_length (self->geographies))
    return NULL;
  return self->geographies[selected];
}

/* The geography the table is converted to, when conversion is on; NULL otherwise. */
static const char *
convert_target (TwImportDialog *self)
{
  guint to = adw_combo_row_get_selected (self->convert_to_row);

  if (self->preview == NULL || self->preview->kind != TW_IMPORT_KIND_OUTCOMES
      || !adw_expander_row_get_enable_expansion (self->convert_row)
      || self->geographies == NULL || to >= g_strv_length (self->geographies))
    return NULL;
  return self->geographies[to];
}

static gboolean
choices_complete (TwImportDialog *self)
{
  g_autofree char *measure = entry_text (self->measure_code_row);
  g_autofree char *period = entry_text (self->period_value_row);
  g_autofree char *geography = entry_text (self->geography_name_row);

  if (self->preview == NULL)
    return FALSE;
  if (self->preview->kind == TW_IMPORT_KIND_AREAS)
    return chosen_field (self, TW_IMPORT_COLUMN_AREA_ID) != NULL && geography != NULL;

  if (is_attributes (self))
    return file_geography (self) != NULL;
  if (is_points (self))
    {
      TwImportLayer *layer = current_layer (self);
      gboolean placed = chosen_field (self, TW_IMPORT_COLUMN_GEOID) != NULL
                        || (layer != NULL && layer->has_points
                            && chosen_field (self, TW_IMPORT_COLUMN_LATITUDE) == NULL
                            && chosen_field (self, TW_IMPORT_COLUMN_LONGITUDE) == NULL)
                        || (chosen_field (self, TW_IMPORT_COLUMN_LATITUDE) != NULL
                            && chosen_field (self, TW_IMPORT_COLUMN_LONGITUDE) != NULL);
      gboolean denominators = adw_combo_row_get_selected (self->denominator_source_row) > 0
                              || self->denominators != NULL;

      return placed && denominators && measure != NULL
             && (chosen_field (self, TW_IMPORT_COLUMN_PERIOD) != NULL || period != NULL);
    }
  if (adw_expander_row_get_enable_expansion (self->convert_row)
      && (convert_target (self) == NULL || self->relationship == NULL
          || g_strcmp0 (convert_target (self), file_geography (self)) == 0))
    return FALSE;
  return chosen_field (self, TW_IMPORT_COLUMN_GEOID) != NULL
         && chosen_field (self, TW_IMPORT_COLUMN_NUMERATOR) != NULL
         && chosen_field (self, TW_IMPORT_COLUMN_DENOMINATOR) != NULL
         && (chosen_field (self, TW_IMPORT_COLUMN_MEASURE) != NULL || measure != NULL)
         && (chosen_field (self, TW_IMPORT_COLUMN_PERIOD) != NULL || period != NULL);
}

static void
update_buttons (TwImportDialog *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean running = self->cancellable != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), g_str_equal (page, "report"));
  gtk_widget_set_visible (GTK_WIDGET (self->next_button),
                          g_str_equal (page, "setup") || g_str_equal (page, "report"));
  if (g_str_equal (page, "report"))
    {
      gtk_button_set_label (self->next_button, convert_target (self) != NULL ? _("_Convert")
                                                                             : _("_Import"));
      gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), self->ready && !running);
    }
  else
    {
      gtk_button_set_label (self->next_button, _("C_heck"));
      gtk_widget_set_sensitive (GTK_WIDGET (self->next_button),
                                !running && choices_complete (self));
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), !g_str_equal (page, "importing"));
}

static void
show_page (TwImportDialog *self,
           const char     *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_spinner_set_spinning (self->reading_spinner, g_str_equal (name, "reading"));
  gtk_spinner_set_spinning (self->checking_spinner, g_str_equal (name, "checking"));
  update_buttons (self);
}

static void
on_choice_changed (TwImportDialog *self)
{
  gboolean measure_column, period_column;

  if (self->filling || self->preview == NULL)
    return;

  measure_column = chosen_field (self, TW_IMPORT_COLUMN_MEASURE) != NULL && !is_points (self);
  period_column = chosen_field (self, TW_IMPORT_COLUMN_PERIOD) != NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->measure_code_row),
                          !measure_column && !is_attributes (self));
  gtk_widget_set_visible (GTK_WIDGET (self->period_value_row),
                          !period_column && !is_attributes (self));
  if (is_points (self))
    {
      gboolean located = chosen_field (self, TW_IMPORT_COLUMN_GEOID) == NULL;

      gtk_widget_set_visible (GTK_WIDGET (self->latitude_row), located);
      gtk_widget_set_visible (GTK_WIDGET (self->longitude_row), located);
      gtk_widget_set_visible (GTK_WIDGET (self->denominators_file_row),
                              adw_combo_row_get_selected (self->denominator_source_row) == 0);
    }
  self->ready = FALSE;
  update_column_titles (self);
  update_buttons (self);
  suggest_geography (self);
}

/* The preview */

static void
on_preview_setup (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_label_set_width_chars (GTK_LABEL (label), 6);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
on_preview_bind (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 TwImportDialog           *self)
{
  TwImportLayer *layer = current_layer (self);
  GListModel *columns = gtk_column_view_get_columns (self->preview_view);
  guint column = 0;
  GtkStringObject *row = gtk_list_item_get_item (item);
  guint64 index = g_ascii_strtoull (gtk_string_object_get_string (row), NULL, 10);
  const char *text = "";

  /* The column shown is the field of the same place in the file. */
  for (guint n = g_list_model_get_n_items (columns); column < n; column++)
    {
      g_autoptr(GtkColumnViewColumn) candidate = g_list_model_get_item (columns, column);

      if (gtk_column_view_column_get_factory (candidate) == GTK_LIST_ITEM_FACTORY (factory))
        break;
    }

  if (layer != NULL && index < layer->rows->len)
    {
      char **fields = g_ptr_array_index (layer->rows, index);

      if (column < g_strv_length (fields))
        text = fields[column];
    }
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static void
fill_preview (TwImportDialog *self)
{
  TwImportLayer *layer = current_layer (self);
  GListModel *columns = gtk_column_view_get_columns (self->preview_view);
  g_autoptr(GtkStringList) rows = gtk_string_list_new (NULL);
  g_autoptr(GtkNoSelection) selection = NULL;
  g_autofree char *n_rows = NULL;
  g_autofree char *description = NULL;
  g_autofree char *basename = g_file_get_basename (self->source);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);
      gtk_column_view_remove_column (self->preview_view, column);
    }
  if (layer == NULL)
    return;

  for (guint i = 0; layer->fields[i] != NULL; i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (on_preview_setup), NULL);
      g_signal_connect_object (factory, "bind", G_CALLBACK (on_preview_bind), self, 0);
      column = gtk_column_view_column_new (layer->fields[i], factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->preview_view, column);
    }
  for (guint i = 0; i < layer->rows->len; i++)
    {
      char index[16];

      g_snprintf (index, sizeof index, "%u", i);
      gtk_string_list_append (rows, index);
    }
  selection = gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&rows)));
  gtk_column_view_set_model (self->preview_view, GTK_SELECTION_MODEL (selection));

  n_rows = tw_format_count_locale (layer->rows->len);
  if (layer->n_features > (gint64) layer->rows->len)
    {
      g_autofree char *all = tw_format_count_locale (layer->n_features);
      /* Translators: "The first 20 of 3,142 rows of “file.csv”" */
      description = g_strdup_printf (_("The first %s of %s rows of “%s”"), n_rows, all,
                                     basename);
    }
  else
    description = g_strdup_printf (ngettext ("The %s row of “%s”", "All %s rows of “%s”",
                                             layer->rows->len),
                                   n_rows, basename);
  adw_preferences_group_set_description (self->preview_group, description);
}

static void
fill_choices (TwImportDialog *self)
{
  TwImportLayer *layer = current_layer (self);
  gboolean areas = self->preview->kind == TW_IMPORT_KIND_AREAS;

  self->filling = TRUE;
  for (guint role = 0; role < TW_IMPORT_N_COLUMNS; role++)
    fill_column_row (self, role);
  if (areas && layer != NULL
      && *gtk_editable_get_text (GTK_EDITABLE (self->geography_name_row)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->geography_name_row), layer->name);
  self->filling = FALSE;

  fill_preview (self);
  on_choice_changed (self);
}

static void
on_layer_changed (TwImportDialog *self)
{
  TwImportLayer *layer;

  if (self->filling || self->preview == NULL)
    return;
  layer = current_layer (self);
  gtk_editable_set_text (GTK_EDITABLE (self->geography_name_row), layer->name);
  fill_choices (self);
}

static void
show_preview (TwImportDialog *self)
{
  TwImportLayer *layer = current_layer (self);
  gboolean areas = self->preview->kind == TW_IMPORT_KIND_AREAS;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *count = NULL;
  g_autofree char *subtitle = NULL;
  guint n_fields = g_strv_length (layer->fields);

  gboolean points = is_points (self);
  gboolean community = is_attributes (self);

  gtk_image_set_from_icon_name (self->kind_icon, areas ? "find-location-symbolic"
                                : points ? "mark-location-symbolic"
                                : "x-office-spreadsheet-symbolic");
  adw_window_title_set_title (self->window_title, areas ? _("Import Boundaries")
                              : points ? _("Count Events")
                              : community ? _("Import Community Data") : _("Import Outcomes"));
  gtk_label_set_text (self->kind_title, areas ? _("Boundaries") : points ? _("Events")
                      : community ? _("Community Data") : _("Outcome Table"));
  if (layer->n_features >= 0)
    count = tw_format_count_locale (layer->n_features);
  if (points)
    /* The rows may name or place a person: they are counted, never shown. */
    subtitle = count != NULL
               ? g_strdup_printf (ngettext ("%s event (a row per patient or visit), counted by "
                                            "area, group and period. Its row is not shown.",
                                            "%s events (a row per patient or visit), counted "
                                            "by area, group and period. Their rows are not "
                                            "shown.", plural_n (layer->n_features)), count)
               : g_strdup (_("Events (a row per patient or visit), counted by area, group and "
                             "period. Their rows are not shown."));
  else if (community)
    /* Translators: "CDC/ATSDR Social Vulnerability Index (SVI): 85,528 rows. Its own …" */
    subtitle = g_strdup_printf (_("%s: %s rows. Its own fields are imported, with their "
                                  "margins of error, null codes and release."),
                                layout_title (tw_attribute_layout_detect ((const char *const *)
                                                                          layer->fields)),
                                count != NULL ? count : "?");
  else if (areas)
    subtitle = count != NULL
               ? g_strdup_printf (ngettext ("A layer of polygons: %s feature with %u fields",
                                            "A layer of polygons: %s features with %u fields",
                                            plural_n (layer->n_features)),
                                  count, n_fields)
               : g_strdup_printf (_("A layer of polygons with %u fields"), n_fields);
  else
    subtitle = count != NULL
               ? g_strdup_printf (ngettext ("A table without geometry: %s row and %u columns",
                                            "A table without geometry: %s rows and %u columns",
                                            plural_n (layer->n_features)),
                                  count, n_fields)
               : g_strdup_printf (_("A table without geometry, with %u columns"), n_fields);
  if (layer->note != NULL && areas)
    {
      g_autofree char *with_note = g_strdup_printf ("%s. %s", subtitle, layer->note);
      g_free (subtitle);
      subtitle = g_steal_pointer (&with_note);
    }
  gtk_label_set_text (self->kind_subtitle, subtitle);

  gtk_widget_set_visible (self->outcome_group, !areas);
  gtk_widget_set_visible (self->measure_group, !areas);
  gtk_widget_set_visible (self->area_group, areas);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_group), !points);
  gtk_widget_set_visible (GTK_WIDGET (self->numerator_row), !points && !community);
  gtk_widget_set_visible (GTK_WIDGET (self->denominator_row), !points && !community);
  gtk_widget_set_visible (GTK_WIDGET (self->measure_row), !points && !community);
  gtk_widget_set_visible (GTK_WIDGET (self->geoid_row), !community);
  gtk_widget_set_visible (GTK_WIDGET (self->period_row), !community);
  gtk_widget_set_visible (GTK_WIDGET (self->stratum_row), !community);
  gtk_widget_set_visible (self->measure_group, !areas && !community);
  if (community)
    {
      /* Only the geography is asked for, and only when there is a choice. */
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->outcome_group),
                                       _("Geography"));
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->outcome_group),
                                             _("The geography whose areas the rows describe: "
                                               "its vintage is checked against the file’s."));
      gtk_widget_set_visible (self->outcome_group, g_strv_length (self->geographies) > 1);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->latitude_row), points);
  gtk_widget_set_visible (GTK_WIDGET (self->longitude_row), points);
  gtk_widget_set_visible (GTK_WIDGET (self->precision_row), points);
  gtk_widget_set_visible (GTK_WIDGET (self->denominator_source_row), points);
  gtk_widget_set_visible (GTK_WIDGET (self->denominators_file_row), points);
  if (points)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->geoid_row),
                                   _("Only for a geocoder’s output that names each event’s "
                                     "area"));
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->measure_group),
                                       _("Measure"));
    }

  self->filling = TRUE;
  for (guint i = 0; i < self->preview->layers->len; i++)
    g_ptr_array_add (names, ((TwImportLayer *) g_ptr_array_index (self->preview->layers, i))->name);
  g_ptr_array_add (names, NULL);
  set_strings (self->layer_row, (const char *const *) names->pdata, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->layer_row), self->preview->layers->len > 1);
  set_strings (self->geography_row, (const char *const *) self->geographies,
               geography_index (self, self->screen_geography) != GTK_INVALID_LIST_POSITION
               ? geography_index (self, self->screen_geography) : 0);
  gtk_widget_set_visible (GTK_WIDGET (self->geography_row),
                          g_strv_length (self->geographies) > 1);
  set_strings (self->convert_to_row, (const char *const *) self->geographies,
               geography_index (self, self->screen_geography) != GTK_INVALID_LIST_POSITION
               ? geography_index (self, self->screen_geography) : 0);
  gtk_widget_set_visible (GTK_WIDGET (self->convert_row),
                          !points && !community && g_strv_length (self->geographies) > 1);
  {
    g_autoptr(GStrvBuilder) sources = g_strv_builder_new ();

    g_strv_builder_add (sources, _("A table of denominators"));
    for (guint i = 0; self->attributes != NULL && self->attributes[i] != NULL; i++)
      {
        /* Translators: the area attribute (an ACS population) denominators are taken from */
        g_autofree char *item = g_strdup_printf (_("The areas’ attribute “%s”"),
                                                 self->attributes[i]);
        g_strv_builder_add (sources, item);
      }
    g_auto(GStrv) items = g_strv_builder_end (sources);
    set_strings (self->denominator_source_row, (const char *const *) items, 0);
  }
  self->filling = FALSE;

  fill_choices (self);
  show_page (self, "setup");
}

static void
read_preview_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  TwImportDialog *self = source_object;
  g_autoptr(GError) error = NULL;
  PreviewResult *result;
  TwImportPreview *preview;

  preview = tw_import_preview_read (self->source_path, PREVIEW_ROWS, &error);
  if (preview == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  result = g_new0 (PreviewResult, 1);
  result->preview = preview;
  g_task_return_pointer (task, result, (GDestroyNotify) preview_result_free);
}

static int
compare_names (const void *a,
               const void *b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

typedef struct
{
  GStrv geographies;
  GStrv attributes;   /* of any geography, sorted, each once */
} Lists;

/* The geographies outcomes may go into, and the attributes that may be denominators; none
 * when the project cannot be read (the check says so then). */
static gboolean
list_geographies (TwStore       *store,
                  gpointer       task_data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Lists *lists = task_data;
  g_autoptr(TwProjectSummary) summary = NULL;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_autoptr(GHashTable) attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            NULL);
  g_autofree gpointer *sorted = NULL;
  guint n_sorted;

  if ((summary = tw_store_summarize (store, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < summary->geographies->len; i++)
    {
      const char *name = ((TwGeographySummary *) g_ptr_array_index (summary->geographies,
                                                                    i))->name;
      gint64 id = tw_store_resolve_geography (store, name, NULL);
      g_auto(GStrv) own = id >= 0 ? tw_store_list_attributes (store, id, NULL) : NULL;

      g_strv_builder_add (names, name);
      for (guint a = 0; own != NULL && own[a] != NULL; a++)
        g_hash_table_add (attributes, g_strdup (own[a]));
    }
  lists->geographies = g_strv_builder_end (names);
  sorted = g_hash_table_get_keys_as_array (attributes, &n_sorted);
  qsort (sorted, n_sorted, sizeof (gpointer), compare_names);
  lists->attributes = g_new0 (char *, n_sorted + 1);
  for (guint i = 0; i < n_sorted; i++)
    lists->attributes[i] = g_strdup (sorted[i]);
  return TRUE;
}

static void
lists_free (Lists *lists)
{
  g_strfreev (lists->geographies);
  g_strfreev (lists->attributes);
  g_free (lists);
}

static void
on_geographies_read (GObject      *object,
                     GAsyncResult *res,
                     gpointer      user_data)
{
  g_autoptr(TwImportDialog) self = user_data;
  Lists *lists = tw_document_run_get_task_data (res);

  if (!tw_document_run_finish (TW_DOCUMENT (object), res, NULL) || lists->geographies == NULL)
    self->geographies = g_new0 (char *, 1);
  else
    {
      self->geographies = g_steal_pointer (&lists->geographies);
      self->attributes = g_steal_pointer (&lists->attributes);
    }
  show_preview (self);
}

static void
on_preview_read (GObject      *object,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  TwImportDialog *self = TW_IMPORT_DIALOG (object);
  g_autoptr(GError) error = NULL;
  PreviewResult *result = g_task_propagate_pointer (G_TASK (res), &error);

  if (result == NULL)
    {
      g_autofree char *message = tw_error_text (error);

      adw_status_page_set_description (self->error_page, message);
      show_page (self, "error");
      return;
    }
  self->preview = g_steal_pointer (&result->preview);
  preview_result_free (result);
  tw_document_run_async (self->document, TW_DOCUMENT_READ, list_geographies,
                         g_new0 (Lists, 1), (GDestroyNotify) lists_free, NULL,
                         on_geographies_read, g_object_ref (self));
}

/* Suggesting the geography */

typedef struct
{
  GStrv   geoids;
  GArray *matches;   /* TwGeoidMatches */
  GStrv   names;     /* the geographies', in the same order */
} MatchData;

static void
match_data_free (MatchData *data)
{
  g_strfreev (data->geoids);
  g_clear_pointer (&data->matches, g_array_unref);
  g_strfreev (data->names);
  g_free (data);
}

static gboolean
count_matches (TwStore       *store,
               gpointer       task_data,
               GCancellable  *cancellable,
               GError       **error)
{
  MatchData *data = task_data;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  data->matches = tw_store_count_geoid_matches (store, (const char * const *) data->geoids,
                                                error);
  if (data->matches == NULL)
    return FALSE;
  for (guint i = 0; i < data->matches->len; i++)
    {
      gint64 id = g_array_index (data->matches, TwGeoidMatches, i).geography_id;
      g_autoptr(TwGeographyInfo) info = tw_store_get_geography (store, id, error);

      if (info == NULL)
        return FALSE;
      g_strv_builder_add (names, info->name);
    }
  data->names = g_strv_builder_end (names);
  return TRUE;
}

static guint
geography_index (TwImportDialog *self,
                 const char     *name)
{
  for (guint i = 0; name != NULL && self->geographies[i] != NULL; i++)
    if (g_str_equal (self->geographies[i], name))
      return i;
  return GTK_INVALID_LIST_POSITION;
}

/* The geography on screen stays chosen unless the file's GEOIDs are areas of another more
 * often: then that one is, and the row says why. */
static void
on_matches_counted (GObject      *object,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  g_autoptr(TwImportDialog) self = user_data;
  MatchData *data = tw_document_run_get_task_data (res);
  guint n = g_strv_length (data->geoids);
  const char *screen = self->screen_geography;
  guint screen_matched = 0, best_matched = 0;
  const char *best = NULL;
  g_autofree char *why = NULL;

  if (!tw_document_run_finish (TW_DOCUMENT (object), res, NULL) || self->geographies == NULL)
    return;
  for (guint i = 0; i < data->matches->len; i++)
    {
      guint matched = g_array_index (data->matches, TwGeoidMatches, i).matched;

      if (g_strcmp0 (data->names[i], screen) == 0)
        screen_matched = matched;
      if (matched > best_matched)
        {
          best_matched = matched;
          best = data->names[i];
        }
    }

  if (best == NULL)
    /* Translators: %u is how many rows the assistant looked at */
    why = g_strdup_printf (ngettext ("The GEOID of the first row is an area of no geography "
                                     "of this workspace: check the GEOID column.",
                                     "None of the first %u rows' GEOIDs is an area of any "
                                     "geography of this workspace: check the GEOID column.", n),
                           n);
  else if (screen == NULL || best_matched > screen_matched)
    {
      g_autofree char *matched = g_strdup_printf (ngettext ("%u of the first %u GEOIDs is",
                                                            "%u of the first %u GEOIDs are",
                                                            best_matched),
                                                  best_matched, n);

      if (screen != NULL && geography_index (self, screen) != GTK_INVALID_LIST_POSITION)
        /* Translators: "18 of the first 20 GEOIDs are areas of “Boston tracts”, 0 of
         * “North Carolina counties” (the map's)." */
        why = g_strdup_printf (_("Suggested: %s areas of “%s”, %u of “%s” (the map’s)."),
                               matched, best, screen_matched, screen);
      else
        why = g_strdup_printf (_("Suggested: %s areas of “%s”."), matched, best);
      if (!self->geography_picked)
        {
          self->filling = TRUE;
          adw_combo_row_set_selected (self->geography_row, geography_index (self, best));
          self->filling = FALSE;
        }
      if (screen != NULL && geography_index (self, screen) != GTK_INVALID_LIST_POSITION)
        {
          /* Translators: the map shows another geography than the table's GEOIDs */
          g_autofree char *offer = g_strdup_printf (_("The map shows “%s”: the table can be "
                                                      "converted to it through a "
                                                      "relationship file."), screen);

          adw_expander_row_set_subtitle (self->convert_row, offer);
        }
    }
  else
    why = g_strdup_printf (ngettext ("The map’s geography: %u of the first %u GEOIDs is "
                                     "its area.",
                                     "The map’s geography: %u of the first %u GEOIDs are "
                                     "its areas.", screen_matched),
                           screen_matched, n);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->geography_row), why);
}

/* Counts, for each geography, the preview rows whose GEOID is one of its areas, once for
 * each GEOID column chosen. */
static void
suggest_geography (TwImportDialog *self)
{
  const char *field = chosen_field (self, TW_IMPORT_COLUMN_GEOID);
  TwImportLayer *layer = current_layer (self);
  g_autoptr(GStrvBuilder) geoids = NULL;
  MatchData *data;
  int column = -1;

  if (self->preview->kind != TW_IMPORT_KIND_OUTCOMES || layer == NULL
      || self->geographies == NULL || self->geographies[0] == NULL
      || g_strcmp0 (field, self->matched_field) == 0)
    return;
  g_free (self->matched_field);
  self->matched_field = g_strdup (field);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->geography_row), NULL);
  for (guint i = 0; field != NULL && layer->fields[i] != NULL; i++)
    if (g_str_equal (layer->fields[i], field))
      column = i;
  if (column < 0)
    return;

  geoids = g_strv_builder_new ();
  for (guint i = 0; i < layer->rows->len; i++)
    {
      const char *value = ((GStrv) g_ptr_array_index (layer->rows, i))[column];
      g_autofree char *geoid = value != NULL ? g_strstrip (g_strdup (value)) : NULL;

      if (geoid != NULL && *geoid != '\0')
        g_strv_builder_add (geoids, geoid);
    }
  data = g_new0 (MatchData, 1);
  data->geoids = g_strv_builder_end (geoids);
  if (data->geoids[0] == NULL)
    {
      match_data_free (data);
      return;
    }
  tw_document_run_async (self->document, TW_DOCUMENT_READ, count_matches, data,
                         (GDestroyNotify) match_data_free, NULL, on_matches_counted,
                         g_object_ref (self));
}

static void
on_geography_picked (TwImportDialog *self)
{
  if (!self->filling)
    self->geography_picked = TRUE;
}

/* Checking and importing */

static void
on_progress (gint64   done,
             gint64   total,
             gpointer user_data)
{
  RunData *data = user_data;

  g_atomic_pointer_set (&data->done, (gsize) MAX (done, 0));
  g_atomic_pointer_set (&data->total, (gsize) MAX (total, 0));
}

/* The outcome import @data asks for; its strings are @data's. */
static TwOutcomeImportOptions
outcome_options (const RunData *data)
{
  return (TwOutcomeImportOptions) {
    .layer = data->layer,
    .geography = data->geography,
    .geoid_field = data->fields[TW_IMPORT_COLUMN_GEOID],
    .measure = data->measure,
    .label = data->label,
    .period = data->period,
    .numerator_field = data->fields[TW_IMPORT_COLUMN_NUMERATOR],
    .denominator_field = data->fields[TW_IMPORT_COLUMN_DENOMINATOR],
    .kind = data->measure_kind,
    .per = data->per,
    .measure_field = data->fields[TW_IMPORT_COLUMN_MEASURE],
    .period_field = data->fields[TW_IMPORT_COLUMN_PERIOD],
    .stratum_field = data->fields[TW_IMPORT_COLUMN_STRATUM],
    .stratum = data->fields[TW_IMPORT_COLUMN_STRATUM] == NULL ? "all" : NULL,
  };
}

/* The labels the report names @measures by: the store's, and for the one new measure a
 * check would create (and roll back), the label the user gave it. */
static gboolean
list_measure_labels (TwStore  *store,
                     RunData  *data,
                     GStrv     measures,
                     GError  **error)
{
  g_auto(GStrv) codes = NULL;
  g_auto(GStrv) labels = NULL;
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  data->result->measure_labels = table;
  if (!tw_store_list_measure_labels (store, &codes, &labels, error))
    return FALSE;
  for (guint i = 0; codes[i] != NULL; i++)
    if (labels[i] != NULL && *labels[i] != '\0')
      g_hash_table_insert (table, g_strdup (codes[i]), g_strdup (labels[i]));
  for (guint i = 0; measures != NULL && measures[i] != NULL; i++)
    if (data->label != NULL && *data->label != '\0'
        && !g_hash_table_contains (table, measures[i]))
      g_hash_table_insert (table, g_strdup (measures[i]), g_strdup (data->label));
  return TRUE;
}

/* A check writes nothing either, but runs in the transaction an import would. */
static gboolean
run_import (TwStore       *store,
            gpointer       task_data,
            GCancellable  *cancellable,
            GError       **error)
{
  RunData *data = task_data;
  RunResult *result;

  result = data->result = g_new0 (RunResult, 1);
  if (data->to_geography != NULL)
    {
      TwConvertOptions options = {
        .import = outcome_options (data),
        .relationship = data->relationship,
        .to_geography = data->to_geography,
        .format = data->format,
        .rule = data->rule,
        .dry_run = data->validate,
      };

      result->converted = tw_convert_outcomes (store, data->source, &options, on_progress,
                                               data, cancellable, error);
      return result->converted != NULL
             && list_measure_labels (store, data, result->converted->imported->measures,
                                     error);
    }
  if (data->kind == TW_IMPORT_KIND_ATTRIBUTES)
    {
      TwAttributeImportOptions options = {
        .layer = data->layer,
        .geography = data->geography,
      };

      result->attributes = data->validate
                           ? tw_attribute_import_dry_run (store, data->source, &options, error)
                           : tw_attribute_import (store, data->source, &options, error);
      return result->attributes != NULL;
    }
  if (data->kind == TW_IMPORT_KIND_POINTS)
    {
      TwPointImportOptions options = {
        .layer = data->layer,
        .geography = data->geography,
        .measure = data->measure,
        .label = data->label,
        .lat_field = data->fields[TW_IMPORT_COLUMN_LATITUDE],
        .lon_field = data->fields[TW_IMPORT_COLUMN_LONGITUDE],
        .geoid_field = data->fields[TW_IMPORT_COLUMN_GEOID],
        .group_field = data->fields[TW_IMPORT_COLUMN_STRATUM],
        .period_field = data->fields[TW_IMPORT_COLUMN_PERIOD],
        .period = data->period,
        .denominators = data->denominators,
        .denominator_attribute = data->denominator_attribute,
        .kind = data->measure_kind,
        .per = data->per,
        .min_precision = data->min_precision,
      };

      result->points = data->validate
                       ? tw_point_import_dry_run (store, data->source, &options, cancellable,
                                                  error)
                       : tw_point_import (store, data->source, &options, cancellable, error);
      return result->points != NULL;
    }
  if (data->kind == TW_IMPORT_KIND_OUTCOMES)
    {
      TwOutcomeImportOptions options = outcome_options (data);

      options.validate_only = data->validate;

      result->outcomes = tw_outcome_import (store, data->source, &options, on_progress, data,
                                            cancellable, error);
      if (result->outcomes != NULL
          && !list_measure_labels (store, data, result->outcomes->measures, error))
        return FALSE;
    }
  else
    {
      TwAreaImportOptions options = {
        .layer = data->layer,
        .id_field = data->fields[TW_IMPORT_COLUMN_AREA_ID],
        .name_field = data->fields[TW_IMPORT_COLUMN_AREA_NAME],
        .level = data->level,
        .vintage = data->vintage,
        .geography = data->geography,
        .validate_only = data->validate,
      };

      result->areas = tw_area_import (store, data->source, &options, on_progress, data,
                                      cancellable, error);
    }
  return result->outcomes != NULL || result->areas != NULL;
}

static void
add_problem_row (TwImportDialog *self,
                 const char     *where,
                 const char     *what)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *valid_where = g_utf8_make_valid (where, -1);
  g_autofree char *valid_what = g_utf8_make_valid (what, -1);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), valid_where);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), valid_what);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_list_box_append (self->problems_list, row);
  g_string_append_printf (self->report, "%s: %s\n", valid_where, valid_what);
}

/* "nc.csv: row 12 (line 13): what" is listed as "Row 12 (line 13)" over "what". */
static void
add_problem (TwImportDialog *self,
             const char     *problem)
{
  g_autofree char *basename = g_path_get_basename (self->source_path);
  const char *text = problem;
  const char *split;

  if (g_str_has_prefix (text, basename) && g_str_has_prefix (text + strlen (basename), ": "))
    text += strlen (basename) + 2;
  g_ptr_array_add (self->problems, g_strdup (text));

  split = strstr (text, "): ");
  if ((g_str_has_prefix (text, "row ") || g_str_has_prefix (text, "feature ")) && split != NULL)
    {
      g_autofree char *where = g_strndup (text, split + 1 - text);

      where[0] = g_ascii_toupper (where[0]);
      add_problem_row (self, where, split + 3);
    }
  else
    add_problem_row (self, _("The whole file"), text);
}

static void
clear_report (TwImportDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list))) != NULL)
    gtk_list_box_remove (self->problems_list, child);
  g_ptr_array_set_size (self->problems, 0);
  g_string_truncate (self->report, 0);
}

static char *
join_strv (GStrv values)
{
  return values != NULL && values[0] != NULL ? g_strjoinv (", ", values) : g_strdup ("—");
}

typedef char *(*LabelFunc) (const char *code,
                            gpointer    data);

/* "Asthma emergency visits, Preterm birth", "All groups, Black": @codes as @label names
 * them. */
static char *
join_labels (GStrv      codes,
             LabelFunc  label,
             gpointer   data)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; codes != NULL && codes[i] != NULL; i++)
    {
      g_autofree char *words = label (codes[i], data);

      g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", words);
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : g_strdup ("—");
}

/* A measure by its label in @labels, by its code when it has none. */
static char *
measure_label (const char *code,
               gpointer    labels)
{
  const char *label = labels != NULL ? g_hash_table_lookup (labels, code) : NULL;

  return g_strdup (label != NULL ? label : code);
}

/* A group as the map's picker names it. */
static char *
group_label (const char *code,
             gpointer    data)
{
  return tw_format_group_label (code);
}

/* The report's heading: what it is about, and what has (not) been written. */
static void
set_report_heading (TwImportDialog *self,
                    const char     *title,
                    const char     *description)
{
  adw_preferences_group_set_title (self->problems_group, title);
  adw_preferences_group_set_description (self->problems_group, description);
}

static char *
format_total (double value)
{
  if (value == floor (value) && fabs (value) < 1e15)
    return tw_format_count_locale ((gint64) value);
  return tw_format_decimal (value, 2, TRUE, FALSE);
}

/* "3: 25025010100, 25025010200, 25025010300" — the first few of @geoids and how many. */
static char *
some_geoids (GStrv geoids)
{
  guint n = geoids != NULL ? g_strv_length (geoids) : 0;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *count = tw_format_count_locale (n);

  g_string_append (text, count);
  for (guint i = 0; i < MIN (n, 5); i++)
    g_string_append_printf (text, "%s%s", i == 0 ? ": " : ", ", geoids[i]);
  if (n > 5)
    g_string_append (text, ", …");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* What a conversion would write, before it is: rows, the totals and their check, what the
 * areas became, the cells hidden, and the GEOIDs on either side without a counterpart. */
static gboolean
report_conversion (TwImportDialog        *self,
                   const TwConvertResult *converted,
                   GHashTable            *measure_labels,
                   GString               *summary)
{
  const TwCrosswalkResult *c = converted->converted;
  const TwOutcomeImportResult *imported = converted->imported;
  const char *from = file_geography (self);
  const char *to = convert_target (self);
  g_autofree char *rows_in = tw_format_count_locale (imported->rows);
  g_autofree char *rows_out = tw_format_count_locale (c->rows);
  g_autofree char *source_total = format_total (c->source_total);
  g_autofree char *target_total = format_total (c->target_total);
  g_autofree char *measures = join_labels (imported->measures, measure_label, measure_labels);
  g_autofree char *periods = join_strv (imported->periods);
  g_autofree char *strata = join_labels (imported->strata, group_label, NULL);
  g_autofree char *method = NULL;
  g_autofree char *totals = NULL;
  g_autofree char *areas = NULL;
  g_autofree char *hidden = NULL;
  g_autofree char *hidden_count = tw_format_count_locale (c->hidden_cells);

  /* Translators: "30 rows of “Boston 2010” become 41 rows of “Boston 2020”." */
  g_string_append_printf (summary, _("%s rows of “%s” become %s rows of “%s”."),
                          rows_in, from != NULL ? from : "", rows_out, to != NULL ? to : "");
  g_string_append_c (summary, '\n');
  g_string_append_printf (summary, _("Measures: %s · periods: %s · groups: %s"),
                          measures, periods, strata);
  g_string_append_c (summary, '\n');
  g_string_append_printf (summary, _("The table is kept on “%s” too."),
                          from != NULL ? from : "");

  set_report_heading (self, _("Conversion"),
                      _("Nothing has been written yet. Check these figures, then convert."));
  /* Translators: the relationship file's layout, its weight and the allocation rule */
  method = g_strdup_printf (_("%s layout, weight: %s; rule: %s"), c->format, c->weight,
                            c->rule);
  add_problem_row (self, _("Relationship file"), method);
  totals = c->conserved
           ? g_strdup_printf (_("%s events in the table, %s after conversion: conserved"),
                              source_total, target_total)
           : g_strdup_printf (_("%s events in the table, %s after conversion: not conserved, "
                                "as some GEOIDs reach no area"), source_total, target_total);
  add_problem_row (self, _("Totals"), totals);
  areas = g_strdup_printf (_("%" G_GINT64_FORMAT " unchanged, %" G_GINT64_FORMAT " recoded, "
                             "%" G_GINT64_FORMAT " split, %" G_GINT64_FORMAT " merged"),
                           c->unchanged, c->recoded, c->split, c->merged);
  {
    /* Translators: "Areas of “Boston 2020”" */
    g_autofree char *title = g_strdup_printf (_("Areas of “%s”"), to != NULL ? to : "");
    add_problem_row (self, title, areas);
  }
  hidden = g_strdup_printf (ngettext ("%s cell is hidden after conversion because a cell it "
                                      "comes from is hidden",
                                      "%s cells are hidden after conversion because a cell "
                                      "they come from is hidden", plural_n (c->hidden_cells)),
                            hidden_count);
  add_problem_row (self, _("Privacy"), hidden);
  if (c->unmatched_source != NULL && c->unmatched_source[0] != NULL)
    {
      g_autofree char *list = some_geoids (c->unmatched_source);
      add_problem_row (self, _("GEOIDs of the table reaching no area"), list);
    }
  if (c->unmatched_target != NULL && c->unmatched_target[0] != NULL)
    {
      g_autofree char *list = some_geoids (c->unmatched_target);
      add_problem_row (self, _("Areas no GEOID of the table reaches"), list);
    }
  return c->rows == 0;
}

/* What counting the events would write, before it is: how many were placed, outside every
 * area (by row number) or too imprecise, and where geocoding was poor. No coordinate or id
 * of the file is ever shown. */
static gboolean
report_points (TwImportDialog            *self,
               const TwPointImportResult *points,
               GString                   *summary)
{
  g_autofree char *read = tw_format_count_locale (points->points);
  g_autofree char *assigned = tw_format_count_locale (points->assigned);
  g_autofree char *outside = tw_format_count_locale (points->outside);
  g_autofree char *imprecise = tw_format_count_locale (points->imprecise);
  g_autofree char *rows = tw_format_count_locale (points->rows);
  g_autofree char *periods = join_strv (points->periods);
  g_autofree char *strata = join_labels (points->strata, group_label, NULL);
  const char *geography = file_geography (self);

  /* Translators: "500 events read: 462 in areas of “Boston tracts”, 38 outside every area,
   * 0 geocodes less precise than asked." */
  g_string_append_printf (summary, _("%s events read: %s in areas of “%s”, %s outside every "
                                     "area, %s geocodes less precise than asked."),
                          read, assigned, geography != NULL ? geography : "", outside,
                          imprecise);
  g_string_append_c (summary, '\n');
  g_string_append_printf (summary, ngettext ("%s outcome row is ready to import.",
                                             "%s outcome rows are ready to import.",
                                             plural_n (points->rows)), rows);
  g_string_append_c (summary, '\n');
  g_string_append_printf (summary, _("Periods: %s · groups: %s"), periods, strata);

  set_report_heading (self, _("Events"),
                      _("Nothing has been written yet. Only counts are kept: no coordinate, "
                        "id or date of the file."));
  if (points->n_outside_rows > 0)
    {
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; i < points->n_outside_rows; i++)
        g_string_append_printf (list, "%s%" G_GINT64_FORMAT, i == 0 ? "" : ", ",
                                points->outside_rows[i]);
      if (points->outside > (gint64) points->n_outside_rows)
        g_string_append (list, ", …");
      add_problem_row (self, _("Rows outside every area"), list->str);
    }
  for (guint i = 0; points->quality != NULL && i < MIN (points->quality->len, 10); i++)
    {
      const TwPointQuality *q = &g_array_index (points->quality, TwPointQuality, i);
      g_autofree char *title = g_strdup_printf (_("Geocodes of GEOID %s"), q->geoid);
      g_autofree char *share = tw_format_whole_percent ((double) q->imprecise
                                                        / MAX (q->records, 1), FALSE, "—");
      g_autofree char *text = g_strdup_printf (_("%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                                                 " imprecise (%s%%)"),
                                               q->imprecise, q->records, share);

      add_problem_row (self, title, text);
    }
  if (points->quality != NULL && points->quality->len > 10)
    {
      g_autofree char *more = g_strdup_printf (_("%u more areas have imprecise geocodes"),
                                               points->quality->len - 10);
      add_problem_row (self, _("More"), more);
    }
  return points->rows == 0;
}

/* What importing community data would write: its layout and universe, the fields, and
 * the null codes and missing cells counted. */
static gboolean
report_attributes (TwImportDialog                *self,
                   const TwAttributeImportResult *attributes,
                   GString                       *summary)
{
  g_autofree char *rows = tw_format_count_locale (attributes->rows);
  g_autofree char *fields = join_strv (attributes->fields);
  g_autofree char *missing = tw_format_count_locale (attributes->missing);
  g_autoptr(GString) codes = g_string_new (NULL);
  const char *geography = file_geography (self);

  /* Translators: "5 rows for areas of “tracts”: E_TOTPOP, M_TOTPOP …" */
  g_string_append_printf (summary, _("%s rows for areas of “%s”: %s."), rows,
                          geography != NULL ? geography : "", fields);
  g_string_append_c (summary, '\n');
  g_string_append_printf (summary, _("Layout: %s; %s."), layout_title (attributes->layout),
                          attributes->universe != NULL ? attributes->universe : "");

  set_report_heading (self, _("Community Data"), _("Nothing has been written yet."));
  for (guint i = 0; attributes->null_codes != NULL && attributes->null_codes[i] != NULL; i++)
    {
      g_autofree char *cells = tw_format_count_locale (attributes->null_code_counts[i]);

      /* Translators: "−999: 7 cells" */
      g_string_append_printf (codes, _("%s%s: %s cells"), i == 0 ? "" : "; ",
                              attributes->null_codes[i], cells);
    }
  add_problem_row (self, _("Null codes"), codes->len > 0 ? codes->str : _("None met"));
  {
    g_autofree char *text = g_strdup_printf (_("%s cells stored as missing"), missing);
    add_problem_row (self, _("Missing values"), text);
  }
  if (attributes->unmatched > 0)
    {
      g_autofree char *unmatched = tw_format_count_locale (attributes->unmatched);
      g_autofree char *text = g_strdup_printf (_("%s rows name areas the geography does not "
                                                 "have and will be left out"), unmatched);
      add_problem_row (self, _("Other areas"), text);
    }
  if (attributes->merged > 0)
    {
      g_autofree char *merged = tw_format_count_locale (attributes->merged);
      g_autofree char *text = g_strdup_printf (_("%s block groups averaged into their tracts"),
                                               merged);
      add_problem_row (self, _("Block groups"), text);
    }
  return attributes->rows == 0;
}

static void
show_report (TwImportDialog  *self,
             const RunResult *result,
             const GError    *error)
{
  g_autoptr(GString) summary = g_string_new (NULL);
  gboolean blocked;

  clear_report (self);
  set_report_heading (self, _("Problems"),
                      _("Nothing has been written. Fix these rows in the file, or choose "
                        "other columns, then check again."));

  if (error != NULL)
    {
      blocked = TRUE;
      g_autofree char *problem = tw_error_text (error);

      add_problem (self, problem);
      g_string_append (summary, _("The file cannot be imported as it is."));
      if (g_error_matches (error, TW_CROSSWALK_ERROR, TW_CROSSWALK_ERROR_VINTAGE))
        add_problem_row (self, _("Convert it"),
                         _("Go back, choose the geography the GEOIDs are areas of, and turn "
                           "on Convert to Another Geography."));
    }
  else if (result->converted != NULL)
    blocked = report_conversion (self, result->converted, result->measure_labels, summary);
  else if (result->points != NULL)
    blocked = report_points (self, result->points, summary);
  else if (result->attributes != NULL)
    blocked = report_attributes (self, result->attributes, summary);
  else if (result->outcomes != NULL)
    {
      const TwOutcomeImportResult *outcomes = result->outcomes;
      g_autofree char *rows = tw_format_count_locale (outcomes->rows);

      blocked = outcomes->n_problems > 0 || outcomes->rows == 0;
      for (guint i = 0; i < outcomes->problems->len; i++)
        add_problem (self, g_ptr_array_index (outcomes->problems, i));
      if (outcomes->n_problems > (gint64) outcomes->problems->len)
        {
          g_autofree char *more = tw_format_count_locale (outcomes->n_problems - outcomes->problems->len);
          g_autofree char *text = g_strdup_printf (_("%s more rows have problems too"), more);

          add_problem_row (self, _("More"), text);
        }
      if (!blocked)
        {
          g_autofree char *measures = join_labels (outcomes->measures, measure_label,
                                                   result->measure_labels);
          g_autofree char *periods = join_strv (outcomes->periods);
          g_autofree char *strata = join_labels (outcomes->strata, group_label, NULL);

          g_string_append_printf (summary, ngettext ("%s row is ready to import.",
                                                     "%s rows are ready to import.",
                                                     plural_n (outcomes->rows)), rows);
          g_string_append_c (summary, '\n');
          g_string_append_printf (summary, _("Measures: %s · periods: %s · groups: %s"),
                                  measures, periods, strata);
        }
      else if (outcomes->rows == 0 && outcomes->n_problems == 0)
        {
          add_problem_row (self, _("The whole file"),
                           outcomes->unmatched > 0
                           ? _("No GEOID of the table is an area of the geography; check the "
                               "GEOID column and the geography")
                           : _("The table holds no row to import"));
        }
      if (outcomes->unmatched > 0 && outcomes->n_problems == 0)
        {
          g_autofree char *unmatched = tw_format_count_locale (outcomes->unmatched);
          g_string_append_c (summary, '\n');
          g_string_append_printf (summary, _("%s rows name areas the geography does not have "
                                             "and will be left out."), unmatched);
        }
      if (outcomes->apportioned > 0)
        {
          g_autofree char *apportioned = tw_format_count_locale (outcomes->apportioned);
          g_string_append_c (summary, '\n');
          g_string_append_printf (summary, _("%s rows hold counts that are not whole numbers "
                                             "(apportioned)."), apportioned);
        }
    }
  else
    {
      const TwAreaImportResult *areas = result->areas;
      g_autofree char *imported = tw_format_count_locale (areas->imported);

      blocked = areas->imported == 0;
      g_string_append_printf (summary, ngettext ("%s area is ready to import into “%s”.",
                                                 "%s areas are ready to import into “%s”.",
                                                 plural_n (areas->imported)),
                              imported, areas->geography);
      if (areas->repaired > 0)
        {
          g_string_append_c (summary, '\n');
          g_string_append_printf (summary, ngettext ("%u invalid polygon will be repaired.",
                                                     "%u invalid polygons will be repaired.",
                                                     areas->repaired), areas->repaired);
        }
      for (guint i = 0; i < areas->warnings->len; i++)
        {
          g_string_append_c (summary, '\n');
          g_string_append (summary, g_ptr_array_index (areas->warnings, i));
        }
      if (areas->skipped->len > 0)
        {
          adw_preferences_group_set_title (self->problems_group, _("Features Left Out"));
          adw_preferences_group_set_description (self->problems_group,
                                                 _("These features will not become areas. "
                                                   "The others can be imported."));
        }
      for (guint i = 0; i < areas->skipped->len; i++)
        {
          TwAreaSkip *skip = g_ptr_array_index (areas->skipped, i);
          g_autofree char *text = g_strdup_printf ("feature %" G_GINT64_FORMAT " (%s): %s",
                                                   skip->feature, _("left out"), skip->reason);
          add_problem (self, text);
        }
    }

  self->ready = !blocked;
  gtk_widget_set_visible (GTK_WIDGET (self->problems_group),
                          gtk_widget_get_first_child (GTK_WIDGET (self->problems_list)) != NULL);
  if (blocked)
    {
      g_autofree char *title = NULL;
      g_autofree char *count = tw_format_count_locale (MAX ((gint64) self->problems->len,
                                                  result != NULL && result->outcomes != NULL
                                                  ? result->outcomes->n_problems : 0));

      title = g_strdup_printf (ngettext ("%s Problem Found", "%s Problems Found",
                                         plural_n (self->problems->len)), count);
      gtk_label_set_text (self->report_title, title);
      gtk_image_set_from_icon_name (self->report_icon, "dialog-warning-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->report_icon), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->report_icon), "warning");
      if (summary->len > 0)
        g_string_append_c (summary, '\n');
      g_string_append (summary, _("Nothing was written to the workspace."));
    }
  else
    {
      gtk_label_set_text (self->report_title, result->converted != NULL ? _("Ready to Convert")
                                                                        : _("Ready to Import"));
      gtk_image_set_from_icon_name (self->report_icon, "emblem-ok-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->report_icon), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->report_icon), "success");
    }
  gtk_label_set_text (self->report_summary, summary->str);
  g_string_prepend_c (self->report, '\n');
  g_string_prepend (self->report, summary->str);
  show_page (self, "report");
}

static void
on_checked (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(TwImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  RunData *data = tw_document_run_get_task_data (res);
  RunResult *result = tw_document_run_finish (TW_DOCUMENT (object), res, &error)
                      ? g_steal_pointer (&data->result) : NULL;

  if (self->running == data)
    self->running = NULL;
  g_clear_object (&self->cancellable);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_CANCELLED)
      || g_error_matches (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_CANCELLED))
    {
      show_page (self, "setup");
      return;
    }
  show_report (self, result, error);
  g_clear_pointer (&result, run_result_free);
}

static gboolean
on_tick (gpointer user_data)
{
  TwImportDialog *self = user_data;
  RunData *data = self->running;
  gsize done, total;
  g_autofree char *done_text = NULL;

  if (data == NULL)
    return G_SOURCE_CONTINUE;
  done = (gsize) g_atomic_pointer_get (&data->done);
  total = (gsize) g_atomic_pointer_get (&data->total);
  done_text = tw_format_count_locale ((gint64) done);

  if (total > 0)
    {
      g_autofree char *total_text = tw_format_count_locale ((gint64) total);
      /* Translators: "1,024 of 3,142" rows or features */
      g_autofree char *text = g_strdup_printf (_("%s of %s"), done_text, total_text);
      double fraction = MIN (1.0, (double) done / total);

      gtk_progress_bar_set_fraction (self->progress_bar, fraction);
      gtk_progress_bar_set_text (self->progress_bar, text);
      if (fraction != self->fraction)
        {
          self->fraction = fraction;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
        }
    }
  else
    {
      gtk_progress_bar_pulse (self->progress_bar);
      gtk_progress_bar_set_text (self->progress_bar, done_text);
    }
  return G_SOURCE_CONTINUE;
}

static void
on_imported (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(TwImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  RunData *data = tw_document_run_get_task_data (res);
  RunResult *result = tw_document_run_finish (TW_DOCUMENT (object), res, &error)
                      ? g_steal_pointer (&data->result) : NULL;
  g_autofree char *message = NULL;

  on_tick (self);
  if (self->running == data)
    self->running = NULL;
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_object (&self->cancellable);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (error, TW_OUTCOME_IMPORT_ERROR, TW_OUTCOME_IMPORT_ERROR_CANCELLED)
      || g_error_matches (error, TW_POINT_IMPORT_ERROR, TW_POINT_IMPORT_ERROR_CANCELLED))
    {
      show_page (self, "report");
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   tw_toast_new_plain (_("Import stopped. Nothing was written.")));
      return;
    }
  if (result == NULL)
    {
      show_report (self, NULL, error);
      return;
    }

  if (result->outcomes != NULL || result->converted != NULL || result->points != NULL)
    tw_document_emit_changed (self->document, TW_DOCUMENT_CHANGED_OUTCOMES);
  if (result->attributes != NULL)
    tw_document_emit_changed (self->document, TW_DOCUMENT_CHANGED_ATTRIBUTES);
  if (result->converted != NULL)
    {
      g_autofree char *rows = tw_format_count_locale (result->converted->converted->rows);
      message = g_strdup_printf (ngettext ("Converted the table to %s outcome row of “%s”",
                                           "Converted the table to %s outcome rows of “%s”",
                                           plural_n (result->converted->converted->rows)),
                                 rows, data->to_geography);
    }
  else if (result->attributes != NULL)
    {
      g_autofree char *rows = tw_format_count_locale (result->attributes->rows);

      message = g_strdup_printf (ngettext ("Imported %u field of community data for %s areas",
                                           "Imported %u fields of community data for %s areas",
                                           g_strv_length (result->attributes->fields)),
                                 g_strv_length (result->attributes->fields), rows);
    }
  else if (result->points != NULL)
    {
      g_autofree char *events = tw_format_count_locale (result->points->assigned);
      g_autofree char *rows = tw_format_count_locale (result->points->rows);

      /* Translators: "Counted 462 events into 120 outcome rows" */
      message = g_strdup_printf (_("Counted %s events into %s outcome rows"), events, rows);
    }
  else if (result->outcomes != NULL)
    {
      g_autofree char *rows = tw_format_count_locale (result->outcomes->rows);
      message = g_strdup_printf (ngettext ("Imported %s outcome row", "Imported %s outcome rows",
                                           plural_n (result->outcomes->rows)), rows);
    }
  else
    {
      g_autofree char *areas = tw_format_count_locale (result->areas->imported);
      message = g_strdup_printf (ngettext ("Imported %s area into “%s”",
                                           "Imported %s areas into “%s”",
                                           plural_n (result->areas->imported)),
                                 areas, result->areas->geography);
    }
  run_result_free (result);

  g_signal_emit (self, signals[IMPORTED], 0, message);
  gtk_window_destroy (GTK_WINDOW (self));
}

static RunData *
collect_choices (TwImportDialog *self,
                 gboolean        validate)
{
  RunData *data = g_new0 (RunData, 1);
  TwImportLayer *layer = current_layer (self);
  guint per = adw_combo_row_get_selected (self->per_row);
  guint level = adw_combo_row_get_selected (self->level_row);
  guint geography = adw_combo_row_get_selected (self->geography_row);
  g_autofree char *vintage = entry_text (self->vintage_row);

  data->source = g_strdup (self->source_path);
  data->kind = self->preview->kind;
  data->validate = validate;
  if (self->preview->layers->len > 1)
    data->layer = g_strdup (layer->name);
  for (guint role = 0; role < TW_IMPORT_N_COLUMNS; role++)
    data->fields[role] = role_used (self, role) ? g_strdup (chosen_field (self, role)) : NULL;

  if (data->kind == TW_IMPORT_KIND_POINTS)
    {
      static const char *const precisions[] = { NULL, "range", "street", "intersection", "zip",
                                                "city" };
      guint precision = adw_combo_row_get_selected (self->precision_row);
      guint source = adw_combo_row_get_selected (self->denominator_source_row);

      data->min_precision = g_strdup (precision < G_N_ELEMENTS (precisions)
                                      ? precisions[precision] : NULL);
      if (source == 0)
        data->denominators = g_strdup (self->denominators);
      else if (self->attributes != NULL && source - 1 < g_strv_length (self->attributes))
        data->denominator_attribute = g_strdup (self->attributes[source - 1]);
    }
  if (data->kind != TW_IMPORT_KIND_AREAS)
    {
      if (data->fields[TW_IMPORT_COLUMN_MEASURE] == NULL)
        data->measure = entry_text (self->measure_code_row);
      if (data->fields[TW_IMPORT_COLUMN_PERIOD] == NULL)
        data->period = entry_text (self->period_value_row);
      data->label = entry_text (self->label_row);
      data->measure_kind = adw_combo_row_get_selected (self->kind_row) == 1 ? "proportion"
                                                                            : "rate";
      data->per = per < G_N_ELEMENTS (multipliers) ? multipliers[per] : 0;
      if (self->geographies != NULL && geography < g_strv_length (self->geographies))
        data->geography = g_strdup (self->geographies[geography]);
      if (convert_target (self) != NULL)
        {
          static const TwCrosswalkFormat formats[] = {
            TW_CROSSWALK_FORMAT_AUTO, TW_CROSSWALK_FORMAT_CENSUS_TRACT,
            TW_CROSSWALK_FORMAT_CENSUS_ZCTA, TW_CROSSWALK_FORMAT_HUD_ZIP,
            TW_CROSSWALK_FORMAT_PAIRS,
          };
          guint format = adw_combo_row_get_selected (self->format_row);

          data->to_geography = g_strdup (convert_target (self));
          data->relationship = g_strdup (self->relationship);
          data->format = format < G_N_ELEMENTS (formats) ? formats[format]
                                                         : TW_CROSSWALK_FORMAT_AUTO;
          data->rule = adw_combo_row_get_selected (self->rule_row) == 1
                       ? TW_CROSSWALK_RULE_MAJORITY : TW_CROSSWALK_RULE_PROPORTIONAL;
        }
    }
  else
    {
      data->geography = entry_text (self->geography_name_row);
      data->level = level < G_N_ELEMENTS (levels) ? levels[level] : "other";
      if (vintage != NULL)
        data->vintage = (int) CLAMP (g_ascii_strtoll (vintage, NULL, 10), 0, 9999);
    }
  return data;
}

static void
start_run (TwImportDialog *self,
           gboolean        validate)
{
  RunData *data;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  data = collect_choices (self, validate);
  self->running = data;
  if (!validate)
    {
      self->fraction = 0;
      gtk_progress_bar_set_fraction (self->progress_bar, 0);
      gtk_progress_bar_set_text (self->progress_bar, "");
      g_clear_handle_id (&self->tick_id, g_source_remove);
      self->tick_id = g_timeout_add (100, on_tick, self);
    }
  tw_document_run_async (self->document, TW_DOCUMENT_WRITE, run_import, data,
                         (GDestroyNotify) run_data_free, self->cancellable,
                         validate ? on_checked : on_imported, g_object_ref (self));
  show_page (self, validate ? "checking" : "importing");
}

/* Callbacks */

static void
on_cancel_clicked (TwImportDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_back_clicked (TwImportDialog *self)
{
  show_page (self, "setup");
}

static void
on_next_clicked (TwImportDialog *self)
{
  if (g_str_equal (gtk_stack_get_visible_child_name (self->stack), "report"))
    tw_import_dialog_import (self);
  else
    tw_import_dialog_check (self);
}

static void
on_stop_clicked (TwImportDialog *self)
{
  tw_import_dialog_stop (self);
}

static void
set_relationship (TwImportDialog *self,
                  GFile          *file)
{
  g_autofree char *basename = file != NULL ? g_file_get_basename (file) : NULL;
  g_autofree char *valid = basename != NULL ? g_utf8_make_valid (basename, -1) : NULL;

  g_free (self->relationship);
  self->relationship = file != NULL ? g_file_get_path (file) : NULL;
  adw_action_row_set_subtitle (self->relationship_row,
                               valid != NULL ? valid : _("None chosen"));
  on_choice_changed (self);
}

static void
set_denominators (TwImportDialog *self,
                  GFile          *file)
{
  g_autofree char *basename = file != NULL ? g_file_get_basename (file) : NULL;
  g_autofree char *valid = basename != NULL ? g_utf8_make_valid (basename, -1) : NULL;

  g_free (self->denominators);
  self->denominators = file != NULL ? g_file_get_path (file) : NULL;
  adw_action_row_set_subtitle (self->denominators_file_row,
                               valid != NULL ? valid : _("None chosen"));
  on_choice_changed (self);
}

static void
on_denominators_chosen (GtkNativeDialog *native,
                        int              response,
                        TwImportDialog  *self)
{
  g_autoptr(GFile) file = tw_chooser_get_local_file (native, response);

  if (file != NULL)
    set_denominators (self, file);
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}

static void
on_choose_denominators_clicked (TwImportDialog *self)
{
  GtkFileChooserNative *native;

  native = gtk_file_chooser_native_new (_("Choose a Table of Denominators"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect_object (native, "response", G_CALLBACK (on_denominators_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
on_relationship_chosen (GtkNativeDialog *native,
                        int              response,
                        TwImportDialog  *self)
{
  g_autoptr(GFile) file = tw_chooser_get_local_file (native, response);

  if (file != NULL)
    set_relationship (self, file);
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}

static void
on_choose_relationship_clicked (TwImportDialog *self)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  native = gtk_file_chooser_native_new (_("Choose a Relationship File"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), NULL);
  gtk_file_filter_set_name (filter, _("Relationship files (TXT, CSV, XLSX)"));
  gtk_file_filter_add_suffix (filter, "txt");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_suffix (filter, "xlsx");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_signal_connect_object (native, "response", G_CALLBACK (on_relationship_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* libadwaita 1.2 leaves an expander row's enable switch without a name for screen
 * readers: it gets the row's. */
static void
name_enable_switch (GtkWidget  *widget,
                    const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_SWITCH (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      name, -1);
    else
      name_enable_switch (child, name);
}

/* GObject */

static void
tw_import_dialog_dispose (GObject *object)
{
  TwImportDialog *self = TW_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (tw_import_dialog_parent_class)->dispose (object);
}

static void
tw_import_dialog_finalize (GObject *object)
{
  TwImportDialog *self = TW_IMPORT_DIALOG (object);

  g_clear_object (&self->document);
  g_clear_object (&self->source);
  g_free (self->source_path);
  g_clear_pointer (&self->preview, tw_import_preview_free);
  g_strfreev (self->geographies);
  g_free (self->screen_geography);
  g_free (self->matched_field);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_free (self->relationship);
  g_free (self->denominators);
  g_strfreev (self->attributes);
  g_string_free (self->report, TRUE);

  G_OBJECT_CLASS (tw_import_dialog_parent_class)->finalize (object);
}

static void
tw_import_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TwImportDialog *self = TW_IMPORT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_import_dialog_class_init (TwImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_import_dialog_dispose;
  object_class->finalize = tw_import_dialog_finalize;
  object_class->get_property = tw_import_dialog_get_property;

  /**
   * TwImportDialog:fraction:
   *
   * How much of the import is done, from 0 to 1.
   */
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TwImportDialog::imported:
   * @message: what was imported, in a sentence
   *
   * Emitted once the import is written, just before the dialog closes.
   */
  signals[IMPORTED] = g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/"
                                               "tw-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, back_button);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, next_button);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, reading_spinner);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, kind_icon);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, kind_title);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, kind_subtitle);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, preview_group);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, preview_view);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, outcome_group);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, measure_group);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, area_group);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, geoid_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, numerator_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, denominator_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, measure_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, measure_code_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, period_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, period_value_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, stratum_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, geography_row);
  gtk_widget_class_bind_template_callback (widget_class, on_geography_picked);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, convert_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, convert_to_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, relationship_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, rule_row);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_relationship_clicked);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, latitude_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, longitude_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, precision_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, denominator_source_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, denominators_file_row);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_denominators_clicked);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, label_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, kind_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, per_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, layer_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, id_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, geography_name_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, level_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, vintage_row);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, checking_spinner);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, report_icon);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, report_title);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, report_summary);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, problems_group);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, problems_list);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, importing_page);
  gtk_widget_class_bind_template_child (widget_class, TwImportDialog, progress_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_choice_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_layer_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_next_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tw_import_dialog_init (TwImportDialog *self)
{
  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  tw_focus_tab_leaves_list (GTK_WIDGET (self->preview_view));
  name_enable_switch (GTK_WIDGET (self->convert_row), _("Convert to another geography"));
  self->filling = FALSE;
  self->problems = g_ptr_array_new_with_free_func (g_free);
  self->report = g_string_new (NULL);
}

/* Public API */

TwImportDialog *
tw_import_dialog_new (GtkWindow *parent,
                      GFile     *project,
                      GFile     *source)
{
  g_autoptr(TwDocument) document = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_FILE (project), NULL);
  g_return_val_if_fail (G_IS_FILE (source), NULL);

  document = tw_document_new (project);
  return tw_import_dialog_new_for_document (parent, document, source);
}

TwImportDialog *
tw_import_dialog_new_for_document (GtkWindow  *parent,
                                   TwDocument *document,
                                   GFile      *source)
{
  TwImportDialog *self;
  g_autoptr(GTask) task = NULL;
  g_autofree char *basename = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TW_IS_DOCUMENT (document), NULL);
  g_return_val_if_fail (G_IS_FILE (source), NULL);

  self = g_object_new (TW_TYPE_IMPORT_DIALOG, "transient-for", parent, NULL);
  self->document = g_object_ref (document);
  self->source = g_object_ref (source);
  self->source_path = g_file_get_path (source);
  basename = g_file_get_basename (source);
  {
    g_autofree char *valid = g_utf8_make_valid (basename, -1);
    adw_window_title_set_subtitle (self->window_title, valid);
  }

  show_page (self, "reading");
  if (tw_document_get_project_path (document) == NULL || self->source_path == NULL)
    {
      adw_status_page_set_description (self->error_page,
                                       _("Only files on this computer can be imported."));
      show_page (self, "error");
      return self;
    }

  task = g_task_new (self, NULL, on_preview_read, NULL);
  g_task_set_source_tag (task, tw_import_dialog_new);
  g_task_run_in_thread (task, read_preview_thread);
  return self;
}

void
tw_import_dialog_set_geography (TwImportDialog *self,
                                const char     *geography)
{
  g_return_if_fail (TW_IS_IMPORT_DIALOG (self));

  g_free (self->screen_geography);
  self->screen_geography = g_strdup (geography);
}

const char *
tw_import_dialog_get_geography (TwImportDialog *self)
{
  guint selected;

  g_return_val_if_fail (TW_IS_IMPORT_DIALOG (self), NULL);

  selected = adw_combo_row_get_selected (self->geography_row);
  if (self->geographies == NULL || selected >= g_strv_length (self->geographies))
    return NULL;
  return self->geographies[selected];
}

const char *
tw_import_dialog_get_geography_reason (TwImportDialog *self)
{
  const char *subtitle;

  g_return_val_if_fail (TW_IS_IMPORT_DIALOG (self), NULL);

  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (self->geography_row));
  return subtitle != NULL && *subtitle != '\0' ? subtitle : NULL;
}

const char *
tw_import_dialog_get_page (TwImportDialog *self)
{
  g_return_val_if_fail (TW_IS_IMPORT_DIALOG (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

TwImportKind
tw_import_dialog_get_kind (TwImportDialog *self)
{
  g_return_val_if_fail (TW_IS_IMPORT_DIALOG (self), TW_IMPORT_KIND_OUTCOMES);
  g_return_val_if_fail (self->preview != NULL, TW_IMPORT_KIND_OUTCOMES);

  return self->preview->kind;
}

const char *
tw_import_dialog_get_column (TwImportDialog *self,
                             TwImportColumn  role)
{
  g_return_val_if_fail (TW_IS_IMPORT_DIALOG (self), NULL);
  g_return_val_if_fail (role < TW_IMPORT_N_COLUMNS, NULL);

  return chosen_field (self, role);
}

gboolean
tw_import_dialog_set_column (TwImportDialog *self,
                             TwImportColumn  role,
                             const char     *field)
{
  TwImportLayer *layer;

  g_return_val_if_fail (TW_IS_IMPORT_DIALOG (self), FALSE);
  g_return_val_if_fail (role < TW_IMPORT_N_COLUMNS, FALSE);

  layer = current_layer (self);
  if (layer == NULL)
    return FALSE;
  if (field == NULL)
    {
      adw_combo_row_set_selected (row_for_role (self, role), 0);
      return TRUE;
    }
  for (guint i = 0; layer->fields[i] != NULL; i++)
    if (g_str_equal (layer->fields[i], field))
      {
        adw_combo_row_set_selected (row_for_role (self, role), i + 1);
        return TRUE;
      }
  return FALSE;
}

guint
tw_import_dialog_get_n_preview_rows (TwImportDialog *self)
{
  GtkSelectionModel *model;

  g_return_val_if_fail (TW_IS_IMPORT_DIALOG (self), 0);

  model = gtk_column_view_get_model (self->preview_view);
  return model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (model)) : 0;
}

gboolean
tw_import_dialog_check (TwImportDialog *self)
{
  g_return_val_if_fail (TW_IS_IMPORT_DIALOG (self), FALSE);

  if (self->cancellable != NULL || !choices_complete (self))
    return FALSE;
  start_run (self, TRUE);
  return TRUE;
}

gboolean
tw_import_dialog_import (TwImportDialog *self)
{
  g_return_val_if_fail (TW_IS_IMPORT_DIALOG (self), FALSE);

  if (self->cancellable != NULL || !self->ready)
    return FALSE;
  start_run (self, FALSE);
  return TRUE;
}

void
tw_import_dialog_stop (TwImportDialog *self)
{
  g_return_if_fail (TW_IS_IMPORT_DIALOG (self));

  g_cancellable_cancel (self->cancellable);
}

GStrv
tw_import_dialog_get_problems (TwImportDialog *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (TW_IS_IMPORT_DIALOG (self), NULL);

  for (guint i = 0; i < self->problems->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->problems, i));
  return g_strv_builder_end (builder);
}

double
tw_import_dialog_get_fraction (TwImportDialog *self)
{
  g_return_val_if_fail (TW_IS_IMPORT_DIALOG (self), 0);

  return self->fraction;
}

void
tw_import_dialog_set_conversion (TwImportDialog *self,
                                 const char     *to_geography,
                                 GFile          *relationship)
{
  guint to;

  g_return_if_fail (TW_IS_IMPORT_DIALOG (self));
  g_return_if_fail (relationship == NULL || G_IS_FILE (relationship));

  to = to_geography != NULL && self->geographies != NULL
       ? geography_index (self, to_geography) : GTK_INVALID_LIST_POSITION;
  if (to != GTK_INVALID_LIST_POSITION)
    adw_combo_row_set_selected (self->convert_to_row, to);
  set_relationship (self, relationship);
  adw_expander_row_set_enable_expansion (self->convert_row, to != GTK_INVALID_LIST_POSITION);
}

const char *
tw_import_dialog_get_conversion_offer (TwImportDialog *self)
{
  g_return_val_if_fail (TW_IS_IMPORT_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->convert_row)))
    return NULL;
  return adw_expander_row_get_subtitle (self->convert_row);
}

const char *
tw_import_dialog_get_report (TwImportDialog *self)
{
  g_return_val_if_fail (TW_IS_IMPORT_DIALOG (self), NULL);

  return self->report->str;
}

void
tw_import_dialog_set_denominators (TwImportDialog *self,
                                   GFile          *table,
                                   const char     *attribute)
{
  guint source = 0;

  g_return_if_fail (TW_IS_IMPORT_DIALOG (self));
  g_return_if_fail (table == NULL || G_IS_FILE (table));

  for (guint i = 0; attribute != NULL && self->attributes != NULL && self->attributes[i]; i++)
    if (g_str_equal (self->attributes[i], attribute))
      source = i + 1;
  adw_combo_row_set_selected (self->denominator_source_row, source);
  set_denominators (self, table);
}

void
tw_import_dialog_set_text (TwImportDialog *self,
                           const char     *measure,
                           const char     *period)
{
  g_return_if_fail (TW_IS_IMPORT_DIALOG (self));

  if (measure != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->measure_code_row), measure);
  if (period != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->period_value_row), period);
}
