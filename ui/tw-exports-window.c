/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-exports-window"

#include <glib/gi18n.h>

#include "tw-error-text.h"
#include "tw-export-log.h"
#include "tw-exports-window.h"

struct _TwExportsWindow
{
  AdwWindow       parent_instance;

  /* Template widgets */
  GtkStack       *stack;
  GtkSpinner     *spinner;
  GtkListBox     *list;
  AdwStatusPage  *error_page;

  /* Owned references */
  TwDocument     *document;
  GCancellable   *cancellable;
  GPtrArray      *rows;      /* char *, as tw_exports_window_get_rows gives them */
};

G_DEFINE_FINAL_TYPE (TwExportsWindow, tw_exports_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The list as read in a thread, with whether each file is still there. */
typedef struct
{
  GPtrArray *records;   /* TwExportRecord * */
  GArray    *exists;    /* gboolean */
} ExportList;

static void
export_list_free (ExportList *list)
{
  g_clear_pointer (&list->records, g_ptr_array_unref);
  g_clear_pointer (&list->exists, g_array_unref);
  g_free (list);
}

static gboolean
read_list (TwStore       *store,
           gpointer       task_data,
           GCancellable  *cancellable,
           GError       **error)
{
  ExportList *list = task_data;

  if ((list->records = tw_export_log_list (store, error)) == NULL)
    return FALSE;
  list->exists = g_array_sized_new (FALSE, TRUE, sizeof (gboolean), list->records->len);
  for (guint i = 0; i < list->records->len; i++)
    {
      TwExportRecord *record = list->records->pdata[i];
      gboolean exists = record->path != NULL
                        && g_file_test (record->path, G_FILE_TEST_IS_REGULAR);

      g_array_append_val (list->exists, exists);
    }
  return TRUE;
}

static void
on_open_clicked (GtkButton *button,
                 gpointer   user_data)
{
  const char *path = user_data;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);

  gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (button))), uri, GDK_CURRENT_TIME);
}

/* "Map · PDF · 27 Nov 2026, 14:05" */
static char *
describe_record (const TwExportRecord *record)
{
  g_autoptr(GString) text = g_string_new (_(tw_export_kind_to_label (record->kind)));

  if (record->format != NULL)
    {
      g_autofree char *format = g_ascii_strup (record->format, -1);

      g_string_append_printf (text, " · %s", format);
    }
  if (record->printer != NULL)
    g_string_append_printf (text, " · %s", record->printer);
  if (record->at != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (record->at);
      /* Translators: the date and time of an export; see g_date_time_format () */
      g_autofree char *when = g_date_time_format (local, _("%-d %b %Y, %H:%M"));

      g_string_append_printf (text, " · %s", when);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
add_row (TwExportsWindow      *self,
         const TwExportRecord *record,
         gboolean              exists)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = describe_record (record);
  g_autofree char *title = NULL;

  if (record->file != NULL)
    title = g_strdup (record->file);
  else if (record->kind == TW_EXPORT_KIND_PRINT)
    title = g_strdup (_("Printed on paper"));
  else
    title = g_strdup (_("Unnamed file"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row),
                                record->kind == TW_EXPORT_KIND_PRINT ? "printer-symbolic"
                                : record->kind == TW_EXPORT_KIND_SHARE ? "folder-publicshare-symbolic"
                                : record->kind == TW_EXPORT_KIND_BRIEF ? "x-office-document-symbolic"
                                : "image-x-generic-symbolic");
  if (exists)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Open"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, record->path);
      g_signal_connect_data (button, "clicked", G_CALLBACK (on_open_clicked),
                             g_strdup (record->path), (GClosureNotify) (void (*) (void)) g_free,
                             0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
    }
  else if (record->path != NULL)
    {
      GtkWidget *label = gtk_label_new (_("Moved or deleted"));

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_tooltip_text (label, record->path);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  gtk_list_box_append (self->list, row);
  g_ptr_array_add (self->rows, g_strdup_printf ("%s\n%s%s", title, subtitle,
                                                exists ? "\nopen" : ""));
}

static void
on_list_read (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(TwExportsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  ExportList *list = tw_document_run_get_task_data (res);

  if (!tw_document_run_finish (TW_DOCUMENT (object), res, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_set_spinning (self->spinner, FALSE);
  g_clear_object (&self->cancellable);
  if (error != NULL)
    {
      g_autofree char *text = tw_error_text (error);
      g_autofree char *message = g_strdup_printf (_("%s Check that the workspace file is "
                                                    "still there and open this list again."),
                                                  text);

      adw_status_page_set_description (self->error_page, message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }
  for (guint i = 0; i < list->records->len; i++)
    add_row (self, list->records->pdata[i], g_array_index (list->exists, gboolean, i));
  gtk_stack_set_visible_child_name (self->stack, list->records->len > 0 ? "list" : "empty");
}

static void
tw_exports_window_dispose (GObject *object)
{
  TwExportsWindow *self = TW_EXPORTS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_EXPORTS_WINDOW);

  G_OBJECT_CLASS (tw_exports_window_parent_class)->dispose (object);
}

static void
tw_exports_window_finalize (GObject *object)
{
  TwExportsWindow *self = TW_EXPORTS_WINDOW (object);

  g_clear_object (&self->document);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (tw_exports_window_parent_class)->finalize (object);
}

static void
tw_exports_window_constructed (GObject *object)
{
  TwExportsWindow *self = TW_EXPORTS_WINDOW (object);

  G_OBJECT_CLASS (tw_exports_window_parent_class)->constructed (object);

  if (self->document == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_set_spinning (self->spinner, TRUE);
  tw_document_run_async (self->document, TW_DOCUMENT_READ, read_list, g_new0 (ExportList, 1),
                         (GDestroyNotify) export_list_free, self->cancellable, on_list_read,
                         g_object_ref (self));
}

static void
tw_exports_window_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TwExportsWindow *self = TW_EXPORTS_WINDOW (object);

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
tw_exports_window_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TwExportsWindow *self = TW_EXPORTS_WINDOW (object);

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
tw_exports_window_class_init (TwExportsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_exports_window_dispose;
  object_class->finalize = tw_exports_window_finalize;
  object_class->constructed = tw_exports_window_constructed;
  object_class->get_property = tw_exports_window_get_property;
  object_class->set_property = tw_exports_window_set_property;

  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, TW_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/"
                                               "tw-exports-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TwExportsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TwExportsWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, TwExportsWindow, list);
  gtk_widget_class_bind_template_child (widget_class, TwExportsWindow, error_page);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tw_exports_window_init (TwExportsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_ptr_array_new_with_free_func (g_free);
}

TwExportsWindow *
tw_exports_window_new (GtkWindow  *parent,
                       TwDocument *document)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TW_IS_DOCUMENT (document), NULL);

  return g_object_new (TW_TYPE_EXPORTS_WINDOW, "transient-for", parent, "document", document,
                       NULL);
}

gboolean
tw_exports_window_get_loading (TwExportsWindow *self)
{
  g_return_val_if_fail (TW_IS_EXPORTS_WINDOW (self), FALSE);

  return self->cancellable != NULL;
}

GStrv
tw_exports_window_get_rows (TwExportsWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (TW_IS_EXPORTS_WINDOW (self), NULL);

  for (guint i = 0; i < self->rows->len; i++)
    g_strv_builder_add (builder, self->rows->pdata[i]);
  return g_strv_builder_end (builder);
}
