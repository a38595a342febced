/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-map-controls"

#include <math.h>
#include <glib/gi18n.h>

#include "tw-format.h"
#include "tw-map-bar-layout.h"
#include "tw-map-catalog.h"
#include "tw-list-labels.h"
#include "tw-map-controls.h"
#include "tw-map-request.h"
#include "tw-palette.h"
#include "tw-session-signals.h"
#include "tw-trend.h"

struct _TwMapControls
{
  GtkWidget        parent_instance;

  /* Template widgets */
  GtkDropDown     *geography_dropdown;
  GtkDropDown     *measure_dropdown;
  GtkDropDown     *period_dropdown;
  GtkDropDown     *mode_dropdown;
  GtkDropDown     *from_dropdown;
  GtkDropDown     *group_dropdown;
  GtkDropDown     *method_dropdown;
  GtkDropDown     *classes_dropdown;
  GtkDropDown     *palette_dropdown;
  GtkEntry        *breaks_entry;
  GtkWidget       *breaks_label;
  GtkLabel        *breaks_error;
  GtkSpinner      *map_spinner;
  GtkWidget       *analyst_switch;
  GtkWidget       *analyst_switch_label;
  GtkWidget       *menu_analyst_label;
  GtkWidget       *menu_analyst_switch;
  GtkToggleButton *analysis_button;
  GtkToggleButton *table_button;

  /* Owned references */
  TwMapSession    *session;
  GBindingGroup   *bindings;
  GSignalGroup    *session_signals;
  GStrv            geographies;     /* the geography picker's names */
  GStrv            measure_codes;   /* the measure picker's codes */
  GStrv            periods;         /* the period picker's */
  GStrv            from_periods;    /* the from-period picker's */
  GStrv            strata;          /* the group picker's */
  GStrv            palettes;        /* the palette picker's */

  gboolean         updating_pickers;
};

G_DEFINE_FINAL_TYPE (TwMapControls, tw_map_controls, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SHOW_ANALYSIS,
  PROP_SHOW_TABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const struct
{
  TwClassifyMethod method;
  const char      *label;
} methods[] = {
  { TW_CLASSIFY_QUANTILE, N_("Quantiles") },
  { TW_CLASSIFY_NATURAL, N_("Natural breaks") },
  { TW_CLASSIFY_EQUAL, N_("Equal intervals") },
  { TW_CLASSIFY_STDDEV, N_("Standard deviations") },
  { TW_CLASSIFY_MANUAL, N_("Manual breaks") },
};

static GtkStringList *
string_list_new (void)
{
  return gtk_string_list_new (NULL);
}

static void
setup_picker_label (GtkSignalListItemFactory *factory,
                    GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

static void
bind_picker_label (GtkSignalListItemFactory *factory,
                   GtkListItem              *item)
{
  GtkStringObject *string = gtk_list_item_get_item (item);
  const char *text = gtk_string_object_get_string (string);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
  gtk_widget_set_tooltip_text (gtk_list_item_get_child (item), text);
}

/* A long measure name ("Uncontrolled diabetes, HbA1c over 9% (synthetic)") would set the
 * window's narrowest width: the pickers shorten it with "…" and their lists show it whole. */
static void
make_picker_shrink (GtkDropDown *dropdown)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_picker_label), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_picker_label), NULL);
  gtk_drop_down_set_factory (dropdown, factory);
  tw_drop_down_list_whole (dropdown);
}

static void
set_picker_items (GtkDropDown *dropdown,
                  GPtrArray   *labels,
                  guint        selected)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);
  g_autoptr(GtkStringList) list = NULL;
  gboolean same = model != NULL && g_list_model_get_n_items (model) == labels->len;

  /* The same items: only the one picked changes, the list the user may have open stays. */
  for (guint i = 0; same && i < labels->len; i++)
    {
      g_autofree char *valid = g_utf8_make_valid (g_ptr_array_index (labels, i), -1);

      same = g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), valid) == 0;
    }
  if (!same)
    {
      list = string_list_new ();
      for (guint i = 0; i < labels->len; i++)
        {
          g_autofree char *valid = g_utf8_make_valid (g_ptr_array_index (labels, i), -1);
          gtk_string_list_append (list, valid);
        }
      gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list));
    }
  gtk_drop_down_set_selected (dropdown, labels->len > 0 ? MIN (selected, labels->len - 1)
                                                        : GTK_INVALID_LIST_POSITION);
  /* One choice stays readable and sensitive: a greyed picker looks broken. */
  gtk_widget_set_sensitive (GTK_WIDGET (dropdown), labels->len > 0);
}

/* The index of @value in @values, or @fallback. */
static guint
index_of (GStrv       values,
          const char *value,
          guint       fallback)
{
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    if (g_strcmp0 (values[i], value) == 0)
      return i;
  return fallback;
}

static const char *
picked (GStrv        values,
        GtkDropDown *dropdown)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (values == NULL || i == GTK_INVALID_LIST_POSITION || i >= g_strv_length (values))
    return NULL;
  return values[i];
}

/* A group's code as words ("black" reads "Black"), as the pages print it; the session keeps
 * the code. */
static char *
stratum_label (const char *code)
{
  if (g_strcmp0 (code, "all") == 0)
    return g_strdup (_("All groups"));
  return tw_format_group_label (code);
}

/* "2019–2021" for periods read as consecutive years, else NULL. */
static char *
span_label (const char *const *periods,
            guint               n)
{
  double first = 0, year, last = NAN;

  for (guint i = 0; i < n; i++)
    {
      if (!tw_period_to_year (periods[i], &year, NULL) || year != floor (year)
          || (i > 0 && year != last + 1))
        return NULL;
      if (i == 0)
        first = year;
      last = year;
    }
  /* TRANSLATORS: a span of years, first and last */
  return g_strdup_printf (_("%.0f–%.0f"), first, last);
}

/* Appends the pools a user reaches for with small yearly counts: every run of three
 * consecutive periods when there are more, and the whole span. Each is the code the data
 * layer reads ("2019+2020+2021") and its label ("2019–2021 pooled"). */
static void
add_pooled_periods (const char *const *periods,
                    GStrvBuilder       *codes,
                    GPtrArray          *labels)
{
  guint n = periods != NULL ? g_strv_length ((GStrv) periods) : 0;

  for (guint start = 0; n >= 2 && start + 3 <= n; start++)
    {
      guint length = n > 3 ? 3 : n;
      g_autofree char *code = NULL, *span = NULL;
      g_auto(GStrv) run = g_new0 (char *, length + 1);

      for (guint i = 0; i < length; i++)
        run[i] = g_strdup (periods[start + i]);
      code = g_strjoinv ("+", run);
      span = span_label ((const char *const *) run, length);
      if (span == NULL)
        span = g_strjoinv (" + ", run);
      g_strv_builder_add (codes, code);
      /* TRANSLATORS: a period made of several summed, "2019–2021 pooled" */
      g_ptr_array_add (labels, g_strdup_printf (_("%s pooled"), span));
      if (length == n)
        return;
    }
  if (n >= 2)
    {
      g_autofree char *code = g_strjoinv ("+", (GStrv) periods);
      g_autofree char *span = span_label (periods, n);

      g_strv_builder_add (codes, code);
      if (span != NULL)
        /* TRANSLATORS: every period summed, "2017–2021 pooled (all years)" */
        g_ptr_array_add (labels, g_strdup_printf (_("%s pooled (all years)"), span));
      else
        g_ptr_array_add (labels, g_strdup (_("All periods pooled")));
    }
}

/* The period picker's codes: the measure's periods, then its pools; their labels. */
static GStrv
fill_period_labels (const char *const *periods,
                    GPtrArray          *labels)
{
  g_autoptr(GStrvBuilder) codes = g_strv_builder_new ();

  for (guint i = 0; periods != NULL && periods[i] != NULL; i++)
    {
      g_strv_builder_add (codes, periods[i]);
      g_ptr_array_add (labels, g_strdup (periods[i]));
    }
  add_pooled_periods (periods, codes, labels);
  return g_strv_builder_end (codes);
}

/* The from-period picker of a change map: the same periods and pools as the period's. */
static void
fill_from_periods (TwMapControls      *self,
                   const TwMapMeasure *measure)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  g_clear_pointer (&self->from_periods, g_strfreev);
  self->from_periods = fill_period_labels (measure != NULL
                                           ? (const char *const *) measure->periods : NULL,
                                           labels);
  /* "2019 →" reads as the start of a change beside the period picker's "2021". */
  for (guint i = 0; i < labels->len; i++)
    {
      char *label = g_strdup_printf (_("%s →"), (char *) g_ptr_array_index (labels, i));

      g_free (g_ptr_array_index (labels, i));
      g_ptr_array_index (labels, i) = label;
    }
  set_picker_items (self->from_dropdown, labels,
                    index_of (self->from_periods,
                              tw_map_session_get_from_period (self->session), 0));
}

static void
on_from_period_picked (TwMapControls *self)
{
  g_autofree char *period = g_strdup (picked (self->from_periods, self->from_dropdown));

  if (!self->updating_pickers && self->session != NULL && period != NULL)
    tw_map_session_set_from_period (self->session, period);
}

static gboolean
mode_is_change (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      user_data)
{
  g_value_set_boolean (to, g_value_get_int (from) == TW_MAP_MODE_CHANGE
                          || g_value_get_int (from) == TW_MAP_MODE_CHANGE_RATIO);
  return TRUE;
}

/* A trend takes every period of the measure: no period to pick. */
static gboolean
mode_has_period (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  g_value_set_boolean (to, g_value_get_int (from) != TW_MAP_MODE_TREND);
  return TRUE;
}

static gboolean
mode_to_selected (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_set_uint (to, (guint) g_value_get_int (from));
  return TRUE;
}

static gboolean
selected_to_mode (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  guint selected = g_value_get_uint (from);

  if (selected > TW_MAP_MODE_TREND)
    return FALSE;
  g_value_set_int (to, (int) selected);
  return TRUE;
}

/* The map's mode and, for a change, the from-period picker beside the period's. */
static void
bind_change_pickers (TwMapControls *self)
{
  g_binding_group_bind_full (self->bindings, "mode", self->mode_dropdown, "selected",
                             G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL,
                             mode_to_selected, selected_to_mode, NULL, NULL);
  g_binding_group_bind_full (self->bindings, "mode", self->from_dropdown, "visible",
                             G_BINDING_SYNC_CREATE, mode_is_change, NULL, NULL, NULL);
  g_binding_group_bind_full (self->bindings, "mode", self->period_dropdown, "visible",
                             G_BINDING_SYNC_CREATE, mode_has_period, NULL, NULL, NULL);
}

/* Fills the period and group pickers for the measure picked, keeping what was picked. */
static void
fill_period_and_group (TwMapControls *self)
{
  GPtrArray *measures = tw_map_session_get_measures (self->session);
  const char *code = tw_map_session_get_measure (self->session);
  const TwMapMeasure *measure = NULL;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; measures != NULL && i < measures->len; i++)
    if (g_strcmp0 (((TwMapMeasure *) g_ptr_array_index (measures, i))->code, code) == 0)
      measure = g_ptr_array_index (measures, i);

  g_clear_pointer (&self->periods, g_strfreev);
  g_clear_pointer (&self->strata, g_strfreev);
  self->strata = g_strdupv (measure != NULL ? measure->strata : NULL);
  if (self->strata == NULL)
    self->strata = g_new0 (char *, 1);
  self->periods = fill_period_labels (measure != NULL ? (const char *const *) measure->periods
                                                      : NULL, labels);
  fill_from_periods (self, measure);
  set_picker_items (self->period_dropdown, labels,
                    index_of (self->periods, tw_map_session_get_period (self->session), 0));

  g_ptr_array_set_size (labels, 0);
  for (guint i = 0; self->strata[i] != NULL; i++)
    g_ptr_array_add (labels, stratum_label (self->strata[i]));
  set_picker_items (self->group_dropdown, labels,
                    index_of (self->strata, tw_map_session_get_group (self->session), 0));
}

static void
fill_measures (TwMapControls *self)
{
  GPtrArray *available = tw_map_session_get_measures (self->session);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GStrvBuilder) codes = g_strv_builder_new ();

  for (guint i = 0; available != NULL && i < available->len; i++)
    {
      const TwMapMeasure *measure = g_ptr_array_index (available, i);

      g_strv_builder_add (codes, measure->code);
      g_ptr_array_add (labels, g_strdup (measure->label != NULL && *measure->label != '\0'
                                         ? measure->label : measure->code));
    }
  g_clear_pointer (&self->measure_codes, g_strfreev);
  self->measure_codes = g_strv_builder_end (codes);
  set_picker_items (self->measure_dropdown, labels,
                    index_of (self->measure_codes, tw_map_session_get_measure (self->session),
                              0));
  fill_period_and_group (self);
}

/* The pickers show what the session shows. */
static void
sync_pickers (TwMapControls *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char * const *geographies = tw_map_session_get_geographies (self->session);

  self->updating_pickers = TRUE;
  for (guint i = 0; geographies != NULL && geographies[i] != NULL; i++)
    g_ptr_array_add (names, g_strdup (geographies[i]));
  g_strfreev (self->geographies);
  self->geographies = g_strdupv ((char **) geographies);
  set_picker_items (self->geography_dropdown, names,
                    index_of (self->geographies, tw_map_session_get_geography (self->session),
                              0));
  fill_measures (self);
  self->updating_pickers = FALSE;
}

/* ColorBrewer's codes ("YlOrRd") in words, lowest class first. */
static const struct
{
  const char *code;
  const char *words;
} palette_names[] = {
  { "Blues", N_("Blues") },
  { "BuGn", N_("Blue to green") },
  { "BuPu", N_("Blue to purple") },
  { "GnBu", N_("Green to blue") },
  { "Greens", N_("Greens") },
  { "Greys", N_("Greys") },
  { "Oranges", N_("Oranges") },
  { "OrRd", N_("Orange to red") },
  { "PuBu", N_("Purple to blue") },
  { "PuBuGn", N_("Purple, blue and green") },
  { "PuRd", N_("Purple to red") },
  { "Purples", N_("Purples") },
  { "RdPu", N_("Red to purple") },
  { "Reds", N_("Reds") },
  { "YlGn", N_("Yellow to green") },
  { "YlGnBu", N_("Yellow, green and blue") },
  { "YlOrBr", N_("Yellow, orange and brown") },
  { "YlOrRd", N_("Yellow, orange and red") },
  { "BrBG", N_("Brown to teal") },
  { "PiYG", N_("Pink to green") },
  { "PRGn", N_("Purple to green") },
  { "PuOr", N_("Orange to purple") },
  { "RdBu", N_("Red to blue") },
  { "RdGy", N_("Red to grey") },
  { "RdYlBu", N_("Red, yellow and blue") },
  { "RdYlGn", N_("Red, yellow and green") },
  { "Spectral", N_("Spectral") },
};

static const char *
palette_words (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (palette_names); i++)
    if (g_strcmp0 (palette_names[i].code, code) == 0)
      return _(palette_names[i].words);
  return code;
}

/* A palette row: its colours at the default number of classes, then its name. */
static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  const TwPalette *palette = user_data;
  guint n = TW_MAP_SESSION_DEFAULT_CLASSES;

  if (palette == NULL)
    return;
  for (guint i = 0; i < n; i++)
    {
      double red, green, blue;
      int x0 = (int) (i * width / n), x1 = (int) ((i + 1) * width / n);

      tw_palette_get_rgb (palette, n, i, &red, &green, &blue);
      cairo_set_source_rgb (cr, red, green, blue);
      cairo_rectangle (cr, x0, 0, x1 - x0, height);
      cairo_fill (cr);
    }
}

/* The button shortens a scheme's name when the bar is narrow; the list shows it whole. */
static void
setup_palette_row (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  shorten)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *swatch = gtk_drawing_area_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 60);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 14);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (swatch, "palette-swatch");
  if (GPOINTER_TO_INT (shorten))
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (item, box);
}

static void
bind_palette_row (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  TwMapControls            *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *swatch = gtk_widget_get_first_child (box);
  GtkWidget *label = gtk_widget_get_last_child (box);
  guint position = gtk_list_item_get_position (item);
  const TwPalette *palette = NULL;
  const char *text = gtk_string_object_get_string (gtk_list_item_get_item (item));

  if (self->palettes != NULL && position < g_strv_length (self->palettes))
    palette = tw_palette_lookup (self->palettes[position]);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch, (gpointer) palette,
                                  NULL);
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (box, text);
}

static void
make_palette_rows (TwMapControls *self)
{
  g_autoptr(GtkListItemFactory) button = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) list = gtk_signal_list_item_factory_new ();

  g_signal_connect (button, "setup", G_CALLBACK (setup_palette_row), GINT_TO_POINTER (TRUE));
  g_signal_connect (button, "bind", G_CALLBACK (bind_palette_row), self);
  gtk_drop_down_set_factory (self->palette_dropdown, button);
  g_signal_connect (list, "setup", G_CALLBACK (setup_palette_row), GINT_TO_POINTER (FALSE));
  g_signal_connect (list, "bind", G_CALLBACK (bind_palette_row), self);
  gtk_drop_down_set_list_factory (self->palette_dropdown, list);
}

static void
fill_style_pickers (TwMapControls *self)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  char **sequential, **diverging;
  guint n = 0, selected = 0;

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    g_ptr_array_add (labels, g_strdup (_(methods[i].label)));
  set_picker_items (self->method_dropdown, labels, 0);

  g_ptr_array_set_size (labels, 0);
  for (guint k = TW_CLASSIFY_MIN_CLASSES; k <= TW_CLASSIFY_MAX_CLASSES; k++)
    g_ptr_array_add (labels, g_strdup_printf (ngettext ("%u class", "%u classes", k), k));
  set_picker_items (self->classes_dropdown, labels,
                    TW_MAP_SESSION_DEFAULT_CLASSES - TW_CLASSIFY_MIN_CLASSES);

  /* Colour-blind-safe schemes only: a map read by a board must read for everyone. */
  sequential = tw_palette_list_names (TW_PALETTE_FILTER_SEQUENTIAL
                                      | TW_PALETTE_FILTER_COLORBLIND_SAFE);
  diverging = tw_palette_list_names (TW_PALETTE_FILTER_DIVERGING
                                     | TW_PALETTE_FILTER_COLORBLIND_SAFE);
  g_ptr_array_set_size (labels, 0);
  g_clear_pointer (&self->palettes, g_strfreev);
  self->palettes = g_new0 (char *, g_strv_length (sequential) + g_strv_length (diverging) + 1);
  for (guint i = 0; sequential[i] != NULL; i++)
    {
      if (g_strcmp0 (sequential[i], TW_PALETTE_DEFAULT_NAME) == 0)
        selected = n;
      self->palettes[n++] = g_strdup (sequential[i]);
      g_ptr_array_add (labels, g_strdup (palette_words (sequential[i])));
    }
  for (guint i = 0; diverging[i] != NULL; i++)
    {
      self->palettes[n++] = g_strdup (diverging[i]);
      /* Translators: a diverging colour scheme, named by its colours ("Red to blue") */
      g_ptr_array_add (labels, g_strdup_printf (_("%s, diverging"),
                                                palette_words (diverging[i])));
    }
  g_strfreev (sequential);
  g_strfreev (diverging);
  set_picker_items (self->palette_dropdown, labels, selected);
}

/* Bindings between the pickers of classes and colours and the session */

static gboolean
classes_to_index (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_set_uint (to, g_value_get_uint (from) - TW_CLASSIFY_MIN_CLASSES);
  return TRUE;
}

static gboolean
index_to_classes (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  guint index = g_value_get_uint (from);

  if (index == GTK_INVALID_LIST_POSITION)
    return FALSE;
  g_value_set_uint (to, TW_CLASSIFY_MIN_CLASSES + index);
  return TRUE;
}

static gboolean
method_to_index (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    if ((int) methods[i].method == g_value_get_int (from))
      {
        g_value_set_uint (to, i);
        return TRUE;
      }
  return FALSE;
}

static gboolean
index_to_method (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  guint index = g_value_get_uint (from);

  if (index >= G_N_ELEMENTS (methods))
    return FALSE;
  g_value_set_int (to, methods[index].method);
  return TRUE;
}

static gboolean
palette_to_index (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  TwMapControls *self = user_data;
  guint index = index_of (self->palettes, g_value_get_string (from),
                          GTK_INVALID_LIST_POSITION);

  if (index == GTK_INVALID_LIST_POSITION)
    return FALSE;
  g_value_set_uint (to, index);
  return TRUE;
}

static gboolean
index_to_palette (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  TwMapControls *self = user_data;
  guint index = g_value_get_uint (from);

  if (self->palettes == NULL || index >= g_strv_length (self->palettes))
    return FALSE;
  g_value_set_string (to, self->palettes[index]);
  return TRUE;
}

static gboolean
method_is_manual (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_set_boolean (to, g_value_get_int (from) == TW_CLASSIFY_MANUAL);
  return TRUE;
}

/* Callbacks */

static void
on_geography_picked (TwMapControls *self)
{
  /* Copied: the session's notifications fill the pickers' lists again. */
  g_autofree char *geography = g_strdup (picked (self->geographies, self->geography_dropdown));

  if (!self->updating_pickers && self->session != NULL && geography != NULL)
    tw_map_session_set_geography (self->session, geography);
}

static void
on_measure_picked (TwMapControls *self)
{
  g_autofree char *measure = g_strdup (picked (self->measure_codes, self->measure_dropdown));

  if (!self->updating_pickers && self->session != NULL && measure != NULL)
    tw_map_session_set_measure (self->session, measure);
}

static void
on_period_picked (TwMapControls *self)
{
  g_autofree char *period = g_strdup (picked (self->periods, self->period_dropdown));

  if (!self->updating_pickers && self->session != NULL && period != NULL)
    tw_map_session_set_period (self->session, period);
}

static void
on_group_picked (TwMapControls *self)
{
  g_autofree char *group = g_strdup (picked (self->strata, self->group_dropdown));

  if (!self->updating_pickers && self->session != NULL && group != NULL)
    tw_map_session_set_group (self->session, group);
}

/* The breaks typed count once Enter is pressed, or once the method turns manual (this
 * runs before the method's binding). */
static void
on_breaks_activate (TwMapControls *self)
{
  if (self->session != NULL)
    tw_map_session_set_breaks (self->session,
                               gtk_editable_get_text (GTK_EDITABLE (self->breaks_entry)));
}

/* Manual breaks start from the classes on the map, so the field is never empty and red
 * before anything is typed: the user moves a break instead of inventing all of them. */
static void
fill_breaks_from_map (TwMapControls *self)
{
  TwChoropleth *choropleth = tw_map_session_get_choropleth (self->session);
  const TwClassification *classes = choropleth != NULL
                                    ? tw_choropleth_get_classification (choropleth) : NULL;
  g_autoptr(GString) text = NULL;

  if (classes == NULL || classes->n_classes < TW_CLASSIFY_MIN_CLASSES)
    return;
  text = g_string_new (NULL);
  for (guint i = 1; i < classes->n_classes; i++)
    {
      char number[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (text, "%s%s", i > 1 ? ", " : "",
                              g_ascii_formatd (number, sizeof number, "%.6g",
                                               classes->breaks[i]));
    }
  gtk_editable_set_text (GTK_EDITABLE (self->breaks_entry), text->str);
}

static void
on_method_picked (TwMapControls *self)
{
  guint index = gtk_drop_down_get_selected (self->method_dropdown);
  g_autofree char *typed = NULL;

  if (self->session == NULL)
    return;
  typed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->breaks_entry))));
  if (index < G_N_ELEMENTS (methods) && methods[index].method == TW_CLASSIFY_MANUAL
      && *typed == '\0')
    fill_breaks_from_map (self);
  on_breaks_activate (self);
}

/* Red, with the reason under the field, only once breaks that do not read were entered. */
static void
on_breaks_invalid_changed (TwMapControls *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree double *breaks = NULL;
  g_autofree char *reason = NULL;
  guint n_breaks = 0;
  gboolean invalid = self->session != NULL && tw_map_session_get_breaks_invalid (self->session);

  if (invalid)
    {
      const char *text = tw_map_session_get_breaks (self->session);

      breaks = tw_map_request_parse_breaks (text != NULL ? text : "", &n_breaks, &error);
      if (error != NULL)
        {
          /* The message is a sentence's tail ("'x' is not a number; …"): it starts one. */
          reason = g_strdup (error->message);
          if (g_ascii_islower (reason[0]))
            reason[0] = g_ascii_toupper (reason[0]);
        }
    }
  if (invalid)
    gtk_widget_add_css_class (GTK_WIDGET (self->breaks_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->breaks_entry), "error");
  gtk_label_set_text (self->breaks_error, reason != NULL ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->breaks_error), invalid && reason != NULL);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->breaks_entry),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               invalid ? GTK_ACCESSIBLE_INVALID_TRUE
                                       : GTK_ACCESSIBLE_INVALID_FALSE, -1);
  if (reason != NULL)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (self->breaks_entry),
                                    GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->breaks_error,
                                    NULL, -1);
  else
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->breaks_entry),
                                   GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
}

/* GObject */

static void
tw_map_controls_dispose (GObject *object)
{
  TwMapControls *self = TW_MAP_CONTROLS (object);
  GtkWidget *child;

  tw_map_controls_set_session (self, NULL);
  g_clear_object (&self->bindings);
  g_clear_object (&self->session_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_MAP_CONTROLS);
  /* A plain widget's children are its own to let go of, those without an id too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tw_map_controls_parent_class)->dispose (object);
}

static void
tw_map_controls_finalize (GObject *object)
{
  TwMapControls *self = TW_MAP_CONTROLS (object);

  g_strfreev (self->geographies);
  g_strfreev (self->measure_codes);
  g_strfreev (self->periods);
  g_strfreev (self->from_periods);
  g_strfreev (self->strata);
  g_strfreev (self->palettes);

  G_OBJECT_CLASS (tw_map_controls_parent_class)->finalize (object);
}

static void
tw_map_controls_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TwMapControls *self = TW_MAP_CONTROLS (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_SHOW_ANALYSIS:
      g_value_set_boolean (value, gtk_toggle_button_get_active (self->analysis_button));
      break;
    case PROP_SHOW_TABLE:
      g_value_set_boolean (value, gtk_toggle_button_get_active (self->table_button));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_map_controls_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TwMapControls *self = TW_MAP_CONTROLS (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tw_map_controls_set_session (self, g_value_get_object (value));
      break;
    case PROP_SHOW_ANALYSIS:
      gtk_toggle_button_set_active (self->analysis_button, g_value_get_boolean (value));
      break;
    case PROP_SHOW_TABLE:
      gtk_toggle_button_set_active (self->table_button, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
on_toggled (TwMapControls   *self,
            GParamSpec      *pspec,
            GtkToggleButton *button)
{
  g_object_notify_by_pspec (G_OBJECT (self),
                            properties[button == self->table_button ? PROP_SHOW_TABLE
                                                                    : PROP_SHOW_ANALYSIS]);
}

static void
tw_map_controls_class_init (TwMapControlsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_map_controls_dispose;
  object_class->finalize = tw_map_controls_finalize;
  object_class->get_property = tw_map_controls_get_property;
  object_class->set_property = tw_map_controls_set_property;

  /**
   * TwMapControls:session:
   *
   * The map session the pickers show and set.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TW_TYPE_MAP_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TwMapControls:show-analysis:
   *
   * Whether the spatial analysis panel is asked for.
   */
  properties[PROP_SHOW_ANALYSIS] =
    g_param_spec_boolean ("show-analysis", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TwMapControls:show-table:
   *
   * Whether the table of areas is asked for.
   */
  properties[PROP_SHOW_TABLE] =
    g_param_spec_boolean ("show-table", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TW_TYPE_MAP_BAR_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/"
                                               "tw-map-controls.ui");
  gtk_widget_class_bind_template_child (widget_class, TwMapControls, geography_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TwMapControls, measure_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TwMapControls, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TwMapControls, mode_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TwMapControls, from_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TwMapControls, group_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TwMapControls, method_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TwMapControls, classes_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TwMapControls, palette_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TwMapControls, breaks_entry);
  gtk_widget_class_bind_template_child (widget_class, TwMapControls, breaks_label);
  gtk_widget_class_bind_template_child (widget_class, TwMapControls, breaks_error);
  gtk_widget_class_bind_template_child (widget_class, TwMapControls, map_spinner);
  gtk_widget_class_bind_template_child (widget_class, TwMapControls, analyst_switch);
  gtk_widget_class_bind_template_child (widget_class, TwMapControls, analyst_switch_label);
  gtk_widget_class_bind_template_child (widget_class, TwMapControls, menu_analyst_label);
  gtk_widget_class_bind_template_child (widget_class, TwMapControls, menu_analyst_switch);
  gtk_widget_class_bind_template_child (widget_class, TwMapControls, analysis_button);
  gtk_widget_class_bind_template_child (widget_class, TwMapControls, table_button);
  gtk_widget_class_bind_template_callback (widget_class, on_geography_picked);
  gtk_widget_class_bind_template_callback (widget_class, on_measure_picked);
  gtk_widget_class_bind_template_callback (widget_class, on_period_picked);
  gtk_widget_class_bind_template_callback (widget_class, on_from_period_picked);
  gtk_widget_class_bind_template_callback (widget_class, on_group_picked);
  gtk_widget_class_bind_template_callback (widget_class, on_breaks_activate);
}

static void
tw_map_controls_init (TwMapControls *self)
{
  /* The pickers' lists come from the project: filled again when it changes. */
  static const TwSessionHandler handlers[] = {
    { "notify::geographies", G_CALLBACK (sync_pickers) },
    { "notify::geography", G_CALLBACK (sync_pickers) },
    { "notify::measures", G_CALLBACK (sync_pickers) },
    { "notify::measure", G_CALLBACK (sync_pickers) },
    { "notify::period", G_CALLBACK (sync_pickers) },
    { "notify::group", G_CALLBACK (sync_pickers) },
    { "notify::from-period", G_CALLBACK (sync_pickers) },
    { "notify::breaks-invalid", G_CALLBACK (on_breaks_invalid_changed) },
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  make_picker_shrink (self->geography_dropdown);
  make_picker_shrink (self->measure_dropdown);
  make_picker_shrink (self->period_dropdown);
  make_picker_shrink (self->from_dropdown);
  make_picker_shrink (self->group_dropdown);
  make_palette_rows (self);
  fill_style_pickers (self);
  g_signal_connect_object (self->analysis_button, "notify::active", G_CALLBACK (on_toggled),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->table_button, "notify::active", G_CALLBACK (on_toggled),
                           self, G_CONNECT_SWAPPED);
  /* Before the method's binding: the breaks typed go with the method that uses them. */
  g_signal_connect_object (self->method_dropdown, "notify::selected",
                           G_CALLBACK (on_method_picked), self, G_CONNECT_SWAPPED);

  self->session_signals = tw_session_signals_new (self, handlers, G_N_ELEMENTS (handlers));

  /* One group: swapping the session moves every binding at once. */
  self->bindings = g_binding_group_new ();
  g_binding_group_bind_full (self->bindings, "classes", self->classes_dropdown, "selected",
                             G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL,
                             classes_to_index, index_to_classes, NULL, NULL);
  g_binding_group_bind_full (self->bindings, "method", self->method_dropdown, "selected",
                             G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL,
                             method_to_index, index_to_method, NULL, NULL);
  g_binding_group_bind_full (self->bindings, "palette", self->palette_dropdown, "selected",
                             G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL,
                             palette_to_index, index_to_palette, self, NULL);
  g_binding_group_bind_full (self->bindings, "method", self->breaks_entry, "visible",
                             G_BINDING_SYNC_CREATE, method_is_manual, NULL, NULL, NULL);
  g_binding_group_bind_full (self->bindings, "method", self->breaks_label, "visible",
                             G_BINDING_SYNC_CREATE, method_is_manual, NULL, NULL, NULL);
  g_binding_group_bind (self->bindings, "busy", self->map_spinner, "visible",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->bindings, "busy", self->map_spinner, "spinning",
                        G_BINDING_SYNC_CREATE);
  /* A review copy has nothing to reveal: no switch that suggests it has. */
  g_binding_group_bind (self->bindings, "read-only", self->analyst_switch, "visible",
                        G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_binding_group_bind (self->bindings, "read-only", self->analyst_switch_label, "visible",
                        G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_binding_group_bind (self->bindings, "read-only", self->menu_analyst_label, "visible",
                        G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_binding_group_bind (self->bindings, "read-only", self->menu_analyst_switch, "visible",
                        G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);  bind_change_pickers (self);
}

TwMapSession *
tw_map_controls_get_session (TwMapControls *self)
{
  g_return_val_if_fail (TW_IS_MAP_CONTROLS (self), NULL);

  return self->session;
}

void
tw_map_controls_set_session (TwMapControls *self,
                             TwMapSession  *session)
{
  g_return_if_fail (TW_IS_MAP_CONTROLS (self));
  g_return_if_fail (session == NULL || TW_IS_MAP_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_binding_group_set_source (self->bindings, session);
  g_signal_group_set_target (self->session_signals, session);
  if (session != NULL)
    {
      sync_pickers (self);
      on_breaks_invalid_changed (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

GtkDropDown *
tw_map_controls_get_picker (TwMapControls *self,
                            const char    *name)
{
  g_return_val_if_fail (TW_IS_MAP_CONTROLS (self), NULL);

  if (g_strcmp0 (name, "geography") == 0)
    return self->geography_dropdown;
  if (g_strcmp0 (name, "measure") == 0)
    return self->measure_dropdown;
  if (g_strcmp0 (name, "period") == 0)
    return self->period_dropdown;
  if (g_strcmp0 (name, "group") == 0)
    return self->group_dropdown;
  if (g_strcmp0 (name, "mode") == 0)
    return self->mode_dropdown;
  if (g_strcmp0 (name, "from-period") == 0)
    return self->from_dropdown;
  if (g_strcmp0 (name, "method") == 0)
    return self->method_dropdown;
  if (g_strcmp0 (name, "classes") == 0)
    return self->classes_dropdown;
  if (g_strcmp0 (name, "palette") == 0)
    return self->palette_dropdown;
  g_return_val_if_reached (NULL);
}

GtkEntry *
tw_map_controls_get_breaks_entry (TwMapControls *self)
{
  g_return_val_if_fail (TW_IS_MAP_CONTROLS (self), NULL);

  return self->breaks_entry;
}

const char * const *
tw_map_controls_get_palettes (TwMapControls *self)
{
  g_return_val_if_fail (TW_IS_MAP_CONTROLS (self), NULL);

  return (const char * const *) self->palettes;
}
