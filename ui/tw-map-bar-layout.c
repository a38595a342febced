/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-map-bar-layout"

#include "tw-map-bar-layout.h"

struct _TwMapBarLayout
{
  GtkLayoutManager parent_instance;

  int              spacing;        /* between children on a line */
  int              line_spacing;   /* between lines */
};

struct _TwMapBarLayoutChild
{
  GtkLayoutChild parent_instance;

  gboolean       fold;
};

G_DEFINE_FINAL_TYPE (TwMapBarLayout, tw_map_bar_layout, GTK_TYPE_LAYOUT_MANAGER)
G_DEFINE_FINAL_TYPE (TwMapBarLayoutChild, tw_map_bar_layout_child, GTK_TYPE_LAYOUT_CHILD)

enum {
  CHILD_PROP_0,
  CHILD_PROP_FOLD,
  N_CHILD_PROPS
};

static GParamSpec *child_properties[N_CHILD_PROPS];

enum {
  PROP_0,
  PROP_SPACING,
  PROP_LINE_SPACING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Where one child goes: its line, and its width and height there. */
typedef struct
{
  GtkWidget *child;
  int        line;
  int        width;
  int        height;
  gboolean   expand;
} Placement;

static gboolean
child_folds (TwMapBarLayout *self,
             GtkWidget      *child)
{
  GtkLayoutChild *layout_child = gtk_layout_manager_get_layout_child (GTK_LAYOUT_MANAGER (self),
                                                                      child);

  return TW_MAP_BAR_LAYOUT_CHILD (layout_child)->fold;
}

/* The widths of @widget's visible children on one line of @width: each at its natural
 * width when all fit; else the children that fold at their minimum (their compact form)
 * and what is left shared among them in order, up to their natural width. FALSE, and
 * nothing in @widths, when even folded they do not fit. */
static gboolean
fit_one_line (TwMapBarLayout *self,
              GtkWidget      *widget,
              int             width,
              GHashTable     *widths)
{
  int natural_sum = 0, folded_sum = 0, spare;
  gboolean first = TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int minimum, natural;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
      natural_sum += (first ? 0 : self->spacing) + natural;
      folded_sum += (first ? 0 : self->spacing) + (child_folds (self, child) ? minimum : natural);
      first = FALSE;
    }
  if (folded_sum > width)
    return FALSE;

  spare = width - folded_sum;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int minimum, natural, child_width;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
      child_width = natural;
      if (natural_sum > width && child_folds (self, child))
        {
          child_width = minimum + MIN (spare, natural - minimum);
          spare -= child_width - minimum;
        }
      g_hash_table_insert (widths, child, GINT_TO_POINTER (child_width));
    }
  return TRUE;
}

/* Puts @widget's visible children on one line of @width if they fit there, folded if need
 * be; else on lines of @width (-1: one line), each at its natural width (its minimum when
 * even a line of its own is narrower). Returns the lines' count, their heights in
 * @line_heights. */
static guint
place_children (TwMapBarLayout *self,
                GtkWidget      *widget,
                int             width,
                GArray         *placements,
                GArray         *line_heights)
{
  g_autoptr(GHashTable) one_line = g_hash_table_new (NULL, NULL);
  int x = 0, line = 0, line_height = 0;
  gboolean line_empty = TRUE;

  if (width >= 0)
    fit_one_line (self, widget, width, one_line);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      Placement placement = { child, 0, 0, 0, FALSE };
      int minimum, natural;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
      placement.width = width >= 0 ? MAX (minimum, MIN (natural, width)) : natural;
      if (g_hash_table_contains (one_line, child))
        placement.width = GPOINTER_TO_INT (g_hash_table_lookup (one_line, child));
      if (width >= 0 && !line_empty && x + self->spacing + placement.width > width)
        {
          g_array_append_val (line_heights, line_height);
          line++;
          x = 0;
          line_height = 0;
          line_empty = TRUE;
        }
      x += (line_empty ? 0 : self->spacing) + placement.width;
      line_empty = FALSE;
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, placement.width, NULL, &natural,
                          NULL, NULL);
      placement.line = line;
      placement.height = natural;
      placement.expand = gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL);
      line_height = MAX (line_height, natural);
      g_array_append_val (placements, placement);
    }
  if (!line_empty)
    g_array_append_val (line_heights, line_height);

  return line_heights->len;
}

static GtkSizeRequestMode
tw_map_bar_layout_get_request_mode (GtkLayoutManager *manager,
                                    GtkWidget        *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
tw_map_bar_layout_measure (GtkLayoutManager *manager,
                           GtkWidget        *widget,
                           GtkOrientation    orientation,
                           int               for_size,
                           int              *minimum,
                           int              *natural,
                           int              *minimum_baseline,
                           int              *natural_baseline)
{
  TwMapBarLayout *self = TW_MAP_BAR_LAYOUT (manager);

  *minimum = *natural = 0;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      gboolean first = TRUE;

      /* As narrow as its widest child, as wide as all of them on one line. */
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          int child_minimum, child_natural;

          if (!gtk_widget_should_layout (child))
            continue;
          gtk_widget_measure (child, orientation, -1, &child_minimum, &child_natural,
                              NULL, NULL);
          *minimum = MAX (*minimum, child_minimum);
          *natural += (first ? 0 : self->spacing) + child_natural;
          first = FALSE;
        }
    }
  else
    {
      g_autoptr(GArray) placements = g_array_new (FALSE, FALSE, sizeof (Placement));
      g_autoptr(GArray) heights = g_array_new (FALSE, FALSE, sizeof (int));
      guint n_lines = place_children (self, widget, for_size, placements, heights);

      for (guint i = 0; i < n_lines; i++)
        *minimum += (i > 0 ? self->line_spacing : 0) + g_array_index (heights, int, i);
      *natural = *minimum;
    }
}

static void
tw_map_bar_layout_allocate (GtkLayoutManager *manager,
                            GtkWidget        *widget,
                            int               width,
                            int               height,
                            int               baseline)
{
  TwMapBarLayout *self = TW_MAP_BAR_LAYOUT (manager);
  g_autoptr(GArray) placements = g_array_new (FALSE, FALSE, sizeof (Placement));
  g_autoptr(GArray) heights = g_array_new (FALSE, FALSE, sizeof (int));
  guint n_lines = place_children (self, widget, width, placements, heights);
  guint first = 0;
  int y = 0;

  for (guint line = 0; line < n_lines; line++)
    {
      int line_height = g_array_index (heights, int, line);
      int used = 0, n_expand = 0, spare, share, x = 0;
      guint end = first;

      for (; end < placements->len; end++)
        {
          Placement *placement = &g_array_index (placements, Placement, end);

          if (placement->line != (int) line)
            break;
          used += (end > first ? self->spacing : 0) + placement->width;
          n_expand += placement->expand;
        }
      spare = MAX (0, width - used);
      share = n_expand > 0 ? spare / n_expand : 0;
      for (guint i = first; i < end; i++)
        {
          Placement *placement = &g_array_index (placements, Placement, i);
          int child_width = placement->width;

          if (placement->expand)
            {
              /* The last to expand takes what division leaves over. */
              int extra = --n_expand == 0 ? spare : share;

              child_width += extra;
              spare -= extra;
            }
          gtk_widget_size_allocate (placement->child,
                                    &(GtkAllocation) { x, y + (line_height - placement->height) / 2,
                                                       child_width, placement->height },
                                    -1);
          x += child_width + self->spacing;
        }
      y += line_height + self->line_spacing;
      first = end;
    }
}

static void
tw_map_bar_layout_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TwMapBarLayout *self = TW_MAP_BAR_LAYOUT (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      g_value_set_int (value, self->spacing);
      break;
    case PROP_LINE_SPACING:
      g_value_set_int (value, self->line_spacing);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_map_bar_layout_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TwMapBarLayout *self = TW_MAP_BAR_LAYOUT (object);
  int *field;

  switch (prop_id)
    {
    case PROP_SPACING:
      field = &self->spacing;
      break;
    case PROP_LINE_SPACING:
      field = &self->line_spacing;
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  if (*field == g_value_get_int (value))
    return;
  *field = g_value_get_int (value);
  gtk_layout_manager_layout_changed (GTK_LAYOUT_MANAGER (self));
  g_object_notify_by_pspec (object, pspec);
}

static void
tw_map_bar_layout_class_init (TwMapBarLayoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkLayoutManagerClass *layout_class = GTK_LAYOUT_MANAGER_CLASS (klass);

  object_class->get_property = tw_map_bar_layout_get_property;
  object_class->set_property = tw_map_bar_layout_set_property;
  layout_class->layout_child_type = TW_TYPE_MAP_BAR_LAYOUT_CHILD;
  layout_class->get_request_mode = tw_map_bar_layout_get_request_mode;
  layout_class->measure = tw_map_bar_layout_measure;
  layout_class->allocate = tw_map_bar_layout_allocate;

  /**
   * TwMapBarLayout:spacing:
   *
   * The space between two children on a line, in pixels.
   */
  properties[PROP_SPACING] =
    g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT, 6,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TwMapBarLayout:line-spacing:
   *
   * The space between two lines, in pixels.
   */
  properties[PROP_LINE_SPACING] =
    g_param_spec_int ("line-spacing", NULL, NULL, 0, G_MAXINT, 6,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tw_map_bar_layout_init (TwMapBarLayout *self)
{
  self->spacing = 6;
  self->line_spacing = 6;
}

static void
tw_map_bar_layout_child_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  TwMapBarLayoutChild *self = TW_MAP_BAR_LAYOUT_CHILD (object);

  switch (prop_id)
    {
    case CHILD_PROP_FOLD:
      g_value_set_boolean (value, self->fold);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_map_bar_layout_child_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  TwMapBarLayoutChild *self = TW_MAP_BAR_LAYOUT_CHILD (object);
  GtkLayoutManager *manager;

  switch (prop_id)
    {
    case CHILD_PROP_FOLD:
      if (self->fold == g_value_get_boolean (value))
        return;
      self->fold = g_value_get_boolean (value);
      manager = gtk_layout_child_get_layout_manager (GTK_LAYOUT_CHILD (self));
      gtk_layout_manager_layout_changed (manager);
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_map_bar_layout_child_class_init (TwMapBarLayoutChildClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = tw_map_bar_layout_child_get_property;
  object_class->set_property = tw_map_bar_layout_child_set_property;

  /**
   * TwMapBarLayoutChild:fold:
   *
   * Whether the child may be given less than its natural width, down to its minimum (a
   * compact form: a button without its label, a control that moves into a menu), to keep
   * the bar on one line.
   */
  child_properties[CHILD_PROP_FOLD] =
    g_param_spec_boolean ("fold", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_CHILD_PROPS, child_properties);
}

static void
tw_map_bar_layout_child_init (TwMapBarLayoutChild *self)
{
}
