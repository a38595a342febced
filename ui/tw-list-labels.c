/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-list-labels"

#include "config.h"

#include "tw-list-labels.h"

/* A row's value wraps after this many characters rather than widening the row. */
#define VALUE_WIDTH_CHARS 40

static const char *
item_text (GtkListItem *item)
{
  gpointer object = gtk_list_item_get_item (item);

  return GTK_IS_STRING_OBJECT (object) ? gtk_string_object_get_string (object) : "";
}

static void
setup_whole_label (GtkSignalListItemFactory *factory,
                   GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

static void
bind_whole_label (GtkSignalListItemFactory *factory,
                  GtkListItem              *item)
{
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), item_text (item));
}

static GtkListItemFactory *
whole_label_factory_new (void)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_whole_label), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_whole_label), NULL);
  return factory;
}

void
tw_drop_down_list_whole (GtkDropDown *dropdown)
{
  g_autoptr(GtkListItemFactory) factory = whole_label_factory_new ();

  g_return_if_fail (GTK_IS_DROP_DOWN (dropdown));

  gtk_drop_down_set_list_factory (dropdown, factory);
}

/* A combo row's value */

static void
setup_value_label (GtkSignalListItemFactory *factory,
                   GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), VALUE_WIDTH_CHARS);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
  gtk_list_item_set_child (item, label);
}

/* A combo row's list: the label and a check mark on the choice made */

static void
update_check (GtkListItem *item)
{
  AdwComboRow *row = g_object_get_data (G_OBJECT (item), "tw-combo-row");
  GtkWidget *check = gtk_widget_get_last_child (gtk_list_item_get_child (item));

  gtk_widget_set_opacity (check, row != NULL && adw_combo_row_get_selected_item (row)
                                                == gtk_list_item_get_item (item) ? 1 : 0);
}

static void
setup_list_row (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_item_set_child (item, box);
}

static void
bind_list_row (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               AdwComboRow              *row)
{
  GtkWidget *box = gtk_list_item_get_child (item);

  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (box)), item_text (item));
  g_object_set_data (G_OBJECT (item), "tw-combo-row", row);
  g_signal_connect_object (row, "notify::selected-item", G_CALLBACK (update_check), item,
                           G_CONNECT_SWAPPED);
  update_check (item);
}

static void
unbind_list_row (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 AdwComboRow              *row)
{
  g_signal_handlers_disconnect_by_func (row, update_check, item);
  g_object_set_data (G_OBJECT (item), "tw-combo-row", NULL);
}

void
tw_combo_row_show_whole (AdwComboRow *row)
{
  g_autoptr(GtkListItemFactory) value = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkListItemFactory) list = gtk_signal_list_item_factory_new ();

  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  g_signal_connect (value, "setup", G_CALLBACK (setup_value_label), NULL);
  g_signal_connect (value, "bind", G_CALLBACK (bind_whole_label), NULL);
  /* The row outlives its factories' items: no reference back to it. */
  g_signal_connect (list, "setup", G_CALLBACK (setup_list_row), NULL);
  g_signal_connect (list, "bind", G_CALLBACK (bind_list_row), row);
  g_signal_connect (list, "unbind", G_CALLBACK (unbind_list_row), row);
  adw_combo_row_set_factory (row, value);
  adw_combo_row_set_list_factory (row, list);
}
