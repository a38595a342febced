/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-map-bar-layout"

#include "tw-map-bar-layout.h"

struct _TwMapBarLayout
{
  GtkLayoutManager parent_instance;

  int              spacing;        /* between children on a line */
  int              line_spacing;   /* between lines */
};

G_DEFINE_FINAL_TYPE (TwMapBarLayout, tw_map_bar_layout, GTK_TYPE_LAYOUT_MANAGER)

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

/* Puts @widget's visible children on lines of @width (-1: one line), each at its natural
 * width (its minimum when even a line of its own is narrower); returns the lines' count,
 * their heights in @line_heights. */
static guint
place_children (TwMapBarLayout *self,
                GtkWidget      *widget,
                int             width,
                GArray         *placements,
                GArray         *line_heights)
{
  int x = 0, line = 0, line_height = 0;
  gboolean line_empty = TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      Placement placement = { child, 0, 0, 0, FALSE };
      int minimum, natural;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
      placement.width = width >= 0 ? MAX (minimum, MIN (natural, width)) : natural;
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
