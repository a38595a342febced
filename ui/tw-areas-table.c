/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-areas-table"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "tw-area-origins.h"
#include "tw-area-row.h"
#include "tw-areas-table.h"
#include "tw-focus.h"
#include "tw-format.h"
#include "tw-session-signals.h"
#include "tw-suppression.h"

struct _TwAreasTable
{
  GtkBox              parent_instance;

  /* Template widgets */
  GtkSearchEntry     *area_search;
  GtkScrolledWindow  *areas_scroller;
  GtkColumnView      *areas_view;

  /* Owned references */
  TwMapSession       *session;
  GSignalGroup       *session_signals;
  GListStore         *rows;
  GtkCustomFilter    *filter;
  GtkSingleSelection *selection;
  GtkColumnViewColumn *rate_column;  /* its title says what the map shows */
  char               *needle;     /* the search, case-folded; NULL shows every row */
  GHashTable         *origins;    /* GEOID → TwAreaOrigin of a converted geography, or NULL */
  GCancellable       *origins_cancellable;

  gboolean            syncing_selection;
  guint               scroll_tick;
};

/* What a column's cells need to know. */
typedef struct
{
  TwAreasTable *self;
  TwAreaColumn  column;
} CellContext;

static void
free_cell_context (gpointer  data,
                   GClosure *closure)
{
  g_free (data);
}

G_DEFINE_FINAL_TYPE (TwAreasTable, tw_areas_table, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  AREA_ACTIVATED,
  SEARCH_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What a figure's cell says when it has no figure to show. */
#define PLACEHOLDER_SUPPRESSED N_("suppressed")
#define PLACEHOLDER_NO_DATA N_("no data")

/* The figure column's title on a map of change or trend. */
#define TITLE_CHANGE N_("Change")
/* xgettext:no-c-format */
#define TITLE_TREND N_("% a year")

/* Enough for "Boston Roxbury" or "Mecklenburg" beside the figures. */
#define NAME_COLUMN_WIDTH 132

static void
on_cell_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               CellContext              *context)
{
  TwAreaColumn column = context->column;
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column == TW_AREA_COLUMN_GEOID || column == TW_AREA_COLUMN_NAME
      || column == TW_AREA_COLUMN_FLAGS)
    gtk_label_set_xalign (GTK_LABEL (label), 0);
  else
    {
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_widget_add_css_class (label, "numeric");
    }
  if (column == TW_AREA_COLUMN_NAME)
    {
      /* The name, then how a conversion made the area: a badge, not a column (a hidden
       * column would still take its width). */
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *badge = gtk_label_new (NULL);

      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_visible (badge, FALSE);
      gtk_widget_add_css_class (badge, "area-origin");
      gtk_widget_add_css_class (badge, "caption");
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), badge);
      gtk_list_item_set_child (item, box);
      return;
    }
  gtk_list_item_set_child (item, label);
}

/* The name cell's badge: how the conversion into this geography made the row's area,
 * with the share of its count from shared areas only for a figure shown. */
static void
bind_origin_badge (TwAreasTable *self,
                   TwAreaRow    *row,
                   GtkWidget    *badge)
{
  const TwAreaOrigin *origin = self->origins != NULL && row->text[TW_AREA_COLUMN_GEOID] != NULL
    ? g_hash_table_lookup (self->origins, row->text[TW_AREA_COLUMN_GEOID]) : NULL;
  gboolean shown = row->text[TW_AREA_COLUMN_COUNT] != NULL;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;

  gtk_widget_set_visible (badge, origin != NULL);
  if (origin == NULL)
    return;
  text = tw_area_origin_badge (origin, shown);
  tooltip = tw_area_origin_describe (origin, shown);
  gtk_label_set_text (GTK_LABEL (badge), text);
  if (g_strcmp0 (gtk_widget_get_tooltip_text (badge), tooltip) != 0)
    gtk_widget_set_tooltip_text (badge, tooltip);
  if (origin->change == TW_AREA_CHANGE_UNCHANGED)
    gtk_widget_add_css_class (badge, "dim-label");
  else
    gtk_widget_remove_css_class (badge, "dim-label");
}

/* What a hidden or missing figure's cell says: words, not a blank, so that a screen
 * reader says why. */
static void
on_cell_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CellContext              *context)
{
  TwAreasTable *self = context->self;
  TwAreaColumn column = context->column;
  TwAreaRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *placeholder = NULL;
  const char *tooltip = NULL;
  gboolean dim = FALSE;

  if (column == TW_AREA_COLUMN_NAME)
    {
      bind_origin_badge (self, row, gtk_widget_get_last_child (label));
      label = gtk_widget_get_first_child (label);
    }
  if (row->text[column] == NULL && (column == TW_AREA_COLUMN_COUNT
                                    || column == TW_AREA_COLUMN_RATE
                                    || column == TW_AREA_COLUMN_INTERVAL))
    {
      dim = TRUE;
      if (row->hidden && column == TW_AREA_COLUMN_COUNT)
        {
          TwChoropleth *choropleth = self->session != NULL
            ? tw_map_session_get_choropleth (self->session) : NULL;
          const TwSuppressionPolicy *policy = choropleth != NULL
            ? tw_choropleth_get_policy (choropleth) : NULL;

          /* Translators: in the table, for a count the privacy rule hides */
          placeholder = g_strdup_printf (_("< %d"), policy != NULL ? (int) policy->min_count
                                                    : TW_SUPPRESSION_DEFAULT_MIN_COUNT);
        }
      else if (row->hidden && column == TW_AREA_COLUMN_RATE)
        placeholder = g_strdup (_(PLACEHOLDER_SUPPRESSED));
      else if (column == TW_AREA_COLUMN_RATE && !row->hidden)
        placeholder = g_strdup (_(PLACEHOLDER_NO_DATA));
      else
        placeholder = g_strdup ("—");
      if (row->hidden)
        tooltip = _("Suppressed: too few events to show without identifying people");
    }
  else if (row->unstable && column == TW_AREA_COLUMN_RATE)
    tooltip = _("Unstable: few events; read with care");
  else if (column == TW_AREA_COLUMN_NAME)
    /* A long name is shortened in its column: whole in the tooltip. */
    tooltip = row->text[column];

  gtk_label_set_text (GTK_LABEL (label), placeholder != NULL ? placeholder
                                         : row->text[column] != NULL ? row->text[column] : "");
  /* Setting a tooltip asks the display server where the pointer is: only when it changes. */
  if (g_strcmp0 (gtk_widget_get_tooltip_text (label), tooltip) != 0)
    gtk_widget_set_tooltip_text (label, tooltip);
  if (dim)
    gtk_widget_add_css_class (label, "dim-label");
  else
    gtk_widget_remove_css_class (label, "dim-label");
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  return tw_area_row_compare ((TwAreaRow *) a, (TwAreaRow *) b, GPOINTER_TO_UINT (user_data));
}

static int
compare_has_rate (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  return tw_area_row_compare_has_rate ((TwAreaRow *) a, (TwAreaRow *) b);
}

/* GTK 4.8 has no gtk_column_view_scroll_to (): rows are one height, so scroll there, once
 * the rows are laid out (the sort goes a slice at a time, and the new rows' height is known
 * only after the next layout). */
static gboolean
scroll_to_selected (GtkWidget     *widget,
                    GdkFrameClock *clock,
                    gpointer       user_data)
{
  TwAreasTable *self = TW_AREAS_TABLE (widget);
  guint position = gtk_single_selection_get_selected (self->selection);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->areas_scroller);
  double upper = gtk_adjustment_get_upper (adjustment);
  double page = gtk_adjustment_get_page_size (adjustment);
  double value = gtk_adjustment_get_value (adjustment);
  double row_height, y;

  self->scroll_tick = 0;
  if (position == GTK_INVALID_LIST_POSITION || n == 0 || upper <= page)
    return G_SOURCE_REMOVE;
  row_height = upper / n;
  y = row_height * position;
  if (y < value || y + 2 * row_height > value + page)
    gtk_adjustment_set_value (adjustment, MAX (0, y - page / 3));

  return G_SOURCE_REMOVE;
}

static void
queue_scroll_to_selected (TwAreasTable *self)
{
  if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_selected,
                                                      NULL, NULL);
}

static void
on_sort_pending_changed (TwAreasTable     *self,
                         GParamSpec       *pspec,
                         GtkSortListModel *sorted)
{
  if (gtk_sort_list_model_get_pending (sorted) == 0)
    queue_scroll_to_selected (self);
}

/* The search keeps the rows whose name or GEOID holds what is typed. */
static gboolean
row_matches (gpointer item,
             gpointer user_data)
{
  TwAreasTable *self = user_data;
  TwAreaRow *row = item;

  if (self->needle == NULL)
    return TRUE;
  for (guint i = 0; i < 2; i++)
    {
      const char *text = row->text[i == 0 ? TW_AREA_COLUMN_NAME : TW_AREA_COLUMN_GEOID];
      g_autofree char *folded = NULL;

      if (text == NULL)
        continue;
      folded = g_utf8_casefold (text, -1);
      if (strstr (folded, self->needle) != NULL)
        return TRUE;
    }

  return FALSE;
}

/* How wide a column must be to show its title (and the sort arrow beside it) and the
 * widest of the texts after it (NULL-terminated), in the table's own font: no width in
 * pixels guessed for one font and one locale. */
static int
column_width (TwAreasTable *self,
              const char   *title,
              ...)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->areas_view),
                                                                  title);
  int title_width, widest = 0;
  const char *text;
  va_list args;

  pango_layout_get_pixel_size (layout, &title_width, NULL);
  va_start (args, title);
  while ((text = va_arg (args, const char *)) != NULL)
    {
      int width;

      pango_layout_set_text (layout, text, -1);
      pango_layout_get_pixel_size (layout, &width, NULL);
      widest = MAX (widest, width);
    }
  va_end (args);

  /* The cell's padding (6 px a side in style.css) and the header's sort arrow (16 px). */
  return MAX (title_width + 16, widest) + 2 * 6 + 4;
}

static void
setup_table (TwAreasTable *self)
{
  /* Every column but the name as wide as its widest figure, so that none is cut off at
   * any window size; the name takes what is left and ellipsizes ("Boston Roxbury" is
   * told apart by its GEOID). The flags are in the details card and the rate's tooltip:
   * no column for them (a hidden column would still take its width in GTK 4.8). */
  static const struct
  {
    TwAreaColumn  column;
    const char   *title;
    const char   *widest;     /* the widest figure the column holds, for its width */
  } columns[] = {
    { TW_AREA_COLUMN_NAME, N_("Name"), NULL },
    /* A tract's GEOID has 11 digits. */
    { TW_AREA_COLUMN_GEOID, N_("GEOID"), "00000000000" },
    /* Translators: a short column title: the rate of the measure */
    { TW_AREA_COLUMN_RATE, N_("Rate"), "00,000.0" },
    /* Translators: a short column title: the 95% confidence interval of the rate */
    { TW_AREA_COLUMN_INTERVAL, N_("95% CI"), "000.00 – 000.00" },
    /* Translators: a short column title: the count of events (the numerator) */
    { TW_AREA_COLUMN_COUNT, N_("Events"), "00,000" },
    /* Translators: a column title: the denominator, usually the population; the area's
     * details card says the same word */
    { TW_AREA_COLUMN_DENOMINATOR, N_("Population"), "000,000" },
  };
  g_autoptr(GtkMultiSorter) sorter = gtk_multi_sorter_new ();
  GtkColumnViewColumn *by_rate = NULL;
  GtkSortListModel *sorted;
  GtkFilterListModel *filtered;

  self->rows = g_list_store_new (TW_TYPE_AREA_ROW);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;
      GtkSorter *column_sorter =
        GTK_SORTER (gtk_custom_sorter_new (compare_rows, GUINT_TO_POINTER (columns[i].column),
                                           NULL));

      CellContext *context = g_new0 (CellContext, 1);

      /* The factory goes with the table: the context needs no reference. */
      context->self = self;
      context->column = columns[i].column;
      g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup), context);
      g_signal_connect_data (factory, "bind", G_CALLBACK (on_cell_bind), context,
                             free_cell_context, 0);
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_sorter (column, column_sorter);
      if (columns[i].column == TW_AREA_COLUMN_NAME)
        {
          gtk_column_view_column_set_expand (column, TRUE);
          gtk_column_view_column_set_fixed_width (column, NAME_COLUMN_WIDTH);
        }
      else if (columns[i].column == TW_AREA_COLUMN_RATE)
        /* The rate's cell says in words why it has no figure; on a map of change its
         * title is the longer "Change" or "% a year". */
        gtk_column_view_column_set_fixed_width (column,
                                                MAX (column_width (self, _(columns[i].title),
                                                                   columns[i].widest,
                                                                   _(PLACEHOLDER_SUPPRESSED),
                                                                   _(PLACEHOLDER_NO_DATA),
                                                                   NULL),
                                                     column_width (self, _(TITLE_CHANGE),
                                                                   _(TITLE_TREND), NULL)));
      else
        gtk_column_view_column_set_fixed_width (column,
                                                column_width (self, _(columns[i].title),
                                                              columns[i].widest, NULL));
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->areas_view, column);
      if (columns[i].column == TW_AREA_COLUMN_RATE)
        by_rate = self->rate_column = column;
      g_object_unref (column_sorter);
      g_object_unref (column);
    }

  /* Rows with no rate to show stay last in either direction; then the column's order. */
  gtk_multi_sorter_append (sorter, GTK_SORTER (gtk_custom_sorter_new (compare_has_rate, NULL,
                                                                      NULL)));
  gtk_multi_sorter_append (sorter, g_object_ref (gtk_column_view_get_sorter (self->areas_view)));
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->rows)),
                                    GTK_SORTER (g_steal_pointer (&sorter)));
  /* Sorting 85,000 rows at once would hold up the frames: a slice at a time. */
  gtk_sort_list_model_set_incremental (sorted, TRUE);
  g_signal_connect_object (sorted, "notify::pending", G_CALLBACK (on_sort_pending_changed),
                           self, G_CONNECT_SWAPPED);
  self->filter = gtk_custom_filter_new (row_matches, self, NULL);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (sorted),
                                        GTK_FILTER (g_object_ref (self->filter)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (filtered));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  gtk_column_view_set_model (self->areas_view, GTK_SELECTION_MODEL (self->selection));
  /* The worst rates first: what a board asks about. */
  gtk_column_view_sort_by_column (self->areas_view, by_rate, GTK_SORT_DESCENDING);
}

static void
on_table_selection_changed (TwAreasTable *self)
{
  TwAreaRow *row;

  if (self->syncing_selection || self->session == NULL)
    return;
  row = gtk_single_selection_get_selected_item (self->selection);
  self->syncing_selection = TRUE;
  tw_map_session_set_selected_area (self->session, row != NULL ? (int) row->area : -1);
  self->syncing_selection = FALSE;
}

/* Selects @area in the table too, and scrolls it into view. */
static void
select_table_row (TwAreasTable *self,
                  int           area)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  guint n = g_list_model_get_n_items (model);
  guint position = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; area >= 0 && i < n; i++)
    {
      g_autoptr(TwAreaRow) row = g_list_model_get_item (model, i);

      if ((int) row->area == area)
        {
          position = i;
          break;
        }
    }

  self->syncing_selection = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->syncing_selection = FALSE;

  queue_scroll_to_selected (self);
}

static void
on_search_changed (TwAreasTable *self)
{
  g_autofree char *text =
    g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->area_search))));
  g_autofree char *needle = *text != '\0' ? g_utf8_casefold (text, -1) : NULL;

  if (g_strcmp0 (needle, self->needle) == 0)
    return;
  g_free (self->needle);
  self->needle = g_steal_pointer (&needle);
  /* Rows come and go, the area picked stays picked (and is its row again once shown). */
  self->syncing_selection = TRUE;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  self->syncing_selection = FALSE;
  if (self->session != NULL)
    select_table_row (self, tw_map_session_get_selected_area (self->session));
}

/* Enter shows the first row left (the area whose GEOID it is, when one is). */
static void
on_search_activate (TwAreasTable *self)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  g_autofree char *text = NULL;
  TwAreaLayer *layer;
  int area = -1, exact = -1;

  if (self->session == NULL || (layer = tw_map_session_get_layer (self->session)) == NULL)
    return;
  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->area_search))));
  if (*text == '\0')
    return;
  on_search_changed (self);

  exact = tw_area_layer_find_geoid (layer, text);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TwAreaRow) row = g_list_model_get_item (model, i);

      if (area < 0)
        area = row->area;
      if ((int) row->area == exact)
        {
          area = exact;
          break;
        }
    }
  if (area < 0)
    {
      g_signal_emit (self, signals[SEARCH_FAILED], 0, text);
      return;
    }

  tw_map_session_set_selected_area (self->session, area);
  g_signal_emit (self, signals[AREA_ACTIVATED], 0, area);
}

static void
on_session_layer_changed (TwAreasTable *self)
{
  g_list_store_remove_all (self->rows);
}

static void show_rows (TwAreasTable *self);

static void
on_origins_loaded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GHashTable *origins = tw_area_origins_load_finish (TW_DOCUMENT (object), result, &error);
  TwAreasTable *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = TW_AREAS_TABLE (user_data);
  g_clear_object (&self->origins_cancellable);
  if (origins == NULL)
    g_debug ("No area origins: %s", error->message);
  if (origins == NULL || g_hash_table_size (origins) == 0)
    {
      g_clear_pointer (&origins, g_hash_table_unref);
      return;
    }
  self->origins = origins;
  /* The rows again, bound with their badges. */
  if (self->session != NULL && tw_map_session_get_choropleth (self->session) != NULL)
    show_rows (self);
}

/* Which areas a conversion made, and how, for the badges. */
static void
load_origins (TwAreasTable *self)
{
  TwDocument *document = self->session != NULL
                         ? tw_map_session_get_document (self->session) : NULL;
  const char *geography = self->session != NULL
                          ? tw_map_session_get_geography (self->session) : NULL;

  g_cancellable_cancel (self->origins_cancellable);
  g_clear_object (&self->origins_cancellable);
  g_clear_pointer (&self->origins, g_hash_table_unref);
  if (document == NULL || geography == NULL)
    return;
  self->origins_cancellable = g_cancellable_new ();
  tw_area_origins_load_async (document, geography, tw_map_session_get_measure (self->session),
                              tw_map_session_get_period (self->session),
                              tw_map_session_get_group (self->session),
                              self->origins_cancellable, on_origins_loaded, self);
}

static void
on_session_choropleth_changed (TwAreasTable *self)
{
  TwMapMode mode;

  if (tw_map_session_get_choropleth (self->session) == NULL)
    return;
  mode = tw_map_session_get_mode (self->session);
  gtk_column_view_column_set_title (self->rate_column,
                                    mode == TW_MAP_MODE_RATE ? _("Rate")
                                    : mode == TW_MAP_MODE_TREND ? _(TITLE_TREND)
                                    : _(TITLE_CHANGE));
  load_origins (self);
  show_rows (self);
}

static void
show_rows (TwAreasTable *self)
{
  GPtrArray *rows = tw_map_session_get_rows (self->session);

  self->syncing_selection = TRUE;
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       rows != NULL ? rows->pdata : NULL, rows != NULL ? rows->len : 0);
  self->syncing_selection = FALSE;
  /* The area picked stays picked in the new rows. */
  select_table_row (self, tw_map_session_get_selected_area (self->session));
}

static void
on_session_selected_changed (TwAreasTable *self)
{
  if (!self->syncing_selection)
    select_table_row (self, tw_map_session_get_selected_area (self->session));
}

static void
tw_areas_table_dispose (GObject *object)
{
  TwAreasTable *self = TW_AREAS_TABLE (object);

  tw_areas_table_set_session (self, NULL);
  g_cancellable_cancel (self->origins_cancellable);
  g_clear_object (&self->origins_cancellable);
  g_clear_pointer (&self->origins, g_hash_table_unref);
  g_clear_object (&self->session_signals);
  if (self->scroll_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick);
  self->scroll_tick = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_AREAS_TABLE);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->needle, g_free);

  G_OBJECT_CLASS (tw_areas_table_parent_class)->dispose (object);
}

static void
tw_areas_table_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TwAreasTable *self = TW_AREAS_TABLE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_areas_table_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TwAreasTable *self = TW_AREAS_TABLE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tw_areas_table_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_areas_table_class_init (TwAreasTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_areas_table_dispose;
  object_class->get_property = tw_areas_table_get_property;
  object_class->set_property = tw_areas_table_set_property;

  /**
   * TwAreasTable:session:
   *
   * The map session whose areas and figures the table lists.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TW_TYPE_MAP_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TwAreasTable::area-activated:
   * @area: the area found
   *
   * An area was found by the search and selected: the map may show it.
   */
  signals[AREA_ACTIVATED] = g_signal_new ("area-activated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_INT);

  /**
   * TwAreasTable::search-failed:
   * @text: what was searched for
   *
   * No area has that name or GEOID.
   */
  signals[SEARCH_FAILED] = g_signal_new ("search-failed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/"
                                               "tw-areas-table.ui");
  gtk_widget_class_bind_template_child (widget_class, TwAreasTable, area_search);
  gtk_widget_class_bind_template_child (widget_class, TwAreasTable, areas_scroller);
  gtk_widget_class_bind_template_child (widget_class, TwAreasTable, areas_view);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
}

static void
tw_areas_table_init (TwAreasTable *self)
{
  static const TwSessionHandler handlers[] = {
    { "notify::layer", G_CALLBACK (on_session_layer_changed) },
    { "notify::choropleth", G_CALLBACK (on_session_choropleth_changed) },
    { "notify::selected-area", G_CALLBACK (on_session_selected_changed) },
  };

  self->session_signals = tw_session_signals_new (self, handlers, G_N_ELEMENTS (handlers));

  gtk_widget_init_template (GTK_WIDGET (self));
  setup_table (self);
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (on_table_selection_changed), self, G_CONNECT_SWAPPED);
  tw_focus_tab_leaves_list (GTK_WIDGET (self->areas_view));
}

TwMapSession *
tw_areas_table_get_session (TwAreasTable *self)
{
  g_return_val_if_fail (TW_IS_AREAS_TABLE (self), NULL);

  return self->session;
}

void
tw_areas_table_set_session (TwAreasTable *self,
                            TwMapSession *session)
{
  g_return_if_fail (TW_IS_AREAS_TABLE (self));
  g_return_if_fail (session == NULL || TW_IS_MAP_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_group_set_target (self->session_signals, session);
  if (self->rows != NULL)
    g_list_store_remove_all (self->rows);
  if (session != NULL && tw_map_session_get_choropleth (session) != NULL)
    on_session_choropleth_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
tw_areas_table_focus_search (TwAreasTable *self)
{
  g_return_if_fail (TW_IS_AREAS_TABLE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->area_search));
}

GtkColumnView *
tw_areas_table_get_view (TwAreasTable *self)
{
  g_return_val_if_fail (TW_IS_AREAS_TABLE (self), NULL);

  return self->areas_view;
}

GtkSingleSelection *
tw_areas_table_get_selection (TwAreasTable *self)
{
  g_return_val_if_fail (TW_IS_AREAS_TABLE (self), NULL);

  return self->selection;
}
