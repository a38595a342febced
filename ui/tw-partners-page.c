/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-partners-page"

#include <glib/gi18n.h>

#include "tw-alert.h"
#include "tw-document.h"
#include "tw-error-text.h"
#include "tw-list-labels.h"
#include "tw-partners.h"
#include "tw-partners-page.h"
#include "tw-toast.h"

#define SAVE_DELAY_MS 500

struct _TwPartnersPage
{
  AdwBin        parent_instance;

  /* Template widgets */
  GtkStack     *stack;
  GtkLabel     *count_label;
  GtkListBox   *list;
  AdwEntryRow  *name_row;
  AdwEntryRow  *kind_row;
  AdwComboRow  *agreement_row;
  AdwEntryRow  *contact_row;
  AdwEntryRow  *email_row;
  AdwEntryRow  *phone_row;
  GtkTextView  *notes_view;
  GtkListBox   *projects_list;
  GtkWidget    *delete_button;

  /* Owned */
  TwDocument   *document;
  GCancellable *load_cancellable;
  GPtrArray    *partners;   /* TwPartner *, as listed */
  TwPartner    *deleted;    /* the last deleted, for Undo */
  char         *message;
  gint64        selected;
  guint         save_id;
  gboolean      dirty;
  gboolean      filling;
  gboolean      read_only;
};

G_DEFINE_FINAL_TYPE (TwPartnersPage, tw_partners_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void reload_from (TwPartnersPage *self,
                         TwStore        *store);
static void set_read_only (TwPartnersPage *self,
                           gboolean        read_only);
static void show_partners (TwPartnersPage *self,
                           GPtrArray      *partners);

static const char *agreements[] = {
  TW_PARTNER_AGREEMENT_NONE, TW_PARTNER_AGREEMENT_MOU, TW_PARTNER_AGREEMENT_DUA,
};

static void
show_error (TwPartnersPage *self,
            const char     *heading,
            const GError   *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *body = tw_error_text (error);

  g_free (self->message);
  self->message = g_strdup (body);
  if (!GTK_IS_WINDOW (root))
    return;
  tw_alert_present (GTK_WINDOW (root), heading, body);
}

static TwStore *
open_store (TwPartnersPage *self)
{
  g_autoptr(GError) error = NULL;
  TwStore *store;

  if (self->document == NULL)
    return NULL;
  store = tw_document_open_store (self->document, TW_DOCUMENT_WRITE, &error);
  if (store == NULL)
    show_error (self, _("Could Not Open the Workspace"), error);
  return store;
}

/* Tells the other views; this page has already shown its own write. */
static void
emit_changed (TwPartnersPage *self)
{
  if (self->document == NULL)
    return;
  g_signal_handlers_block_matched (self->document, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  tw_document_emit_changed (self->document, TW_DOCUMENT_CHANGED_PARTNERS);
  g_signal_handlers_unblock_matched (self->document, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                     self);
}

static TwPartner *
find_partner (TwPartnersPage *self,
              gint64          id)
{
  for (guint i = 0; self->partners != NULL && i < self->partners->len; i++)
    if (((TwPartner *) g_ptr_array_index (self->partners, i))->id == id)
      return g_ptr_array_index (self->partners, i);
  return NULL;
}

static const char *
agreement_label (const char *agreement)
{
  if (g_strcmp0 (agreement, TW_PARTNER_AGREEMENT_MOU) == 0)
    return _("Memorandum of understanding");
  if (g_strcmp0 (agreement, TW_PARTNER_AGREEMENT_DUA) == 0)
    return _("Data-use agreement");
  return _("No agreement");
}

static char *
partner_subtitle (const TwPartner *partner)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autofree char *projects = NULL;

  if (partner->kind != NULL && *partner->kind != '\0')
    g_ptr_array_add (parts, partner->kind);
  g_ptr_array_add (parts, (char *) agreement_label (partner->agreement));
  if (partner->projects != NULL && partner->projects->len > 0)
    {
      projects = g_strdup_printf (ngettext ("%u project", "%u projects", partner->projects->len),
                                  partner->projects->len);
      g_ptr_array_add (parts, projects);
    }
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static GtkWidget *
create_partner_row (const TwPartner *partner)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = partner_subtitle (partner);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), partner->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  return row;
}

/* The list holds a row for each partner, in order. */
static gint64
row_partner_id (TwPartnersPage *self,
                GtkListBoxRow  *row)
{
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;

  if (index < 0 || self->partners == NULL || (guint) index >= self->partners->len)
    return 0;
  return ((TwPartner *) g_ptr_array_index (self->partners, index))->id;
}

static char *
text_or_null (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));

  return *stripped != '\0' ? g_steal_pointer (&stripped) : NULL;
}

static char *
notes_text (TwPartnersPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return text_or_null (text);
}

static void
save_now (TwPartnersPage *self)
{
  g_autoptr(TwStore) store = NULL;
  g_autoptr(GError) error = NULL;
  TwPartner *partner;
  g_autoptr(TwPartner) edited = NULL;
  g_autofree char *name = NULL;
  guint agreement;

  g_clear_handle_id (&self->save_id, g_source_remove);
  partner = find_partner (self, self->selected);
  if (!self->dirty || partner == NULL)
    return;
  self->dirty = FALSE;

  name = text_or_null (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  if (name == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");

  edited = tw_partner_copy (partner);
  g_free (edited->name);
  edited->name = g_steal_pointer (&name);
  g_free (edited->kind);
  edited->kind = text_or_null (gtk_editable_get_text (GTK_EDITABLE (self->kind_row)));
  g_free (edited->contact);
  edited->contact = text_or_null (gtk_editable_get_text (GTK_EDITABLE (self->contact_row)));
  g_free (edited->email);
  edited->email = text_or_null (gtk_editable_get_text (GTK_EDITABLE (self->email_row)));
  g_free (edited->phone);
  edited->phone = text_or_null (gtk_editable_get_text (GTK_EDITABLE (self->phone_row)));
  g_free (edited->notes);
  edited->notes = notes_text (self);
  agreement = adw_combo_row_get_selected (self->agreement_row);
  g_free (edited->agreement);
  edited->agreement = g_strdup (agreements[MIN (agreement, G_N_ELEMENTS (agreements) - 1)]);

  if ((store = open_store (self)) == NULL)
    return;
  if (!tw_partners_update (store, edited, &error))
    {
      if (g_error_matches (error, TW_PARTNERS_ERROR, TW_PARTNERS_ERROR_DUPLICATE))
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
          tw_error_toast_show (GTK_WIDGET (self), error);
        }
      else
        show_error (self, _("Could Not Save the Partner"), error);
      return;
    }

  /* The list keeps its rows (and the focus); only the edited one is retitled. */
  for (guint i = 0; i < self->partners->len; i++)
    if (g_ptr_array_index (self->partners, i) == partner)
      {
        g_ptr_array_index (self->partners, i) = g_steal_pointer (&edited);
        tw_partner_free (partner);
        partner = g_ptr_array_index (self->partners, i);
        break;
      }
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && row_partner_id (self, GTK_LIST_BOX_ROW (row)) == partner->id)
      {
        g_autofree char *subtitle = partner_subtitle (partner);

        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), partner->name);
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      }
  emit_changed (self);
}

static gboolean
on_save_timeout (gpointer user_data)
{
  TwPartnersPage *self = user_data;

  self->save_id = 0;
  save_now (self);
  return G_SOURCE_REMOVE;
}

static void
on_field_changed (TwPartnersPage *self)
{
  if (self->filling || self->selected == 0 || self->read_only)
    return;
  self->dirty = TRUE;
  g_clear_handle_id (&self->save_id, g_source_remove);
  self->save_id = g_timeout_add (SAVE_DELAY_MS, on_save_timeout, self);
}

static void
fill_editor (TwPartnersPage  *self,
             const TwPartner *partner)
{
  GtkWidget *child;

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), partner->name);
  gtk_editable_set_text (GTK_EDITABLE (self->kind_row), partner->kind ? partner->kind : "");
  gtk_editable_set_text (GTK_EDITABLE (self->contact_row),
                         partner->contact ? partner->contact : "");
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), partner->email ? partner->email : "");
  gtk_editable_set_text (GTK_EDITABLE (self->phone_row), partner->phone ? partner->phone : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view),
                            partner->notes ? partner->notes : "", -1);
  adw_combo_row_set_selected (self->agreement_row, 0);
  for (guint i = 0; i < G_N_ELEMENTS (agreements); i++)
    if (g_strcmp0 (partner->agreement, agreements[i]) == 0)
      adw_combo_row_set_selected (self->agreement_row, i);
  gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  /* A review copy without contact details shows no empty fields for them. */
  gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (self->contact_row),
                                                   ADW_TYPE_PREFERENCES_GROUP),
                          !self->read_only || partner->contact != NULL
                          || partner->email != NULL || partner->phone != NULL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->projects_list))) != NULL)
    gtk_list_box_remove (self->projects_list, child);
  for (guint i = 0; partner->projects != NULL && i < partner->projects->len; i++)
    {
      TwPartnerProject *project = g_ptr_array_index (partner->projects, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), project->title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   project->role != NULL ? project->role : _("No role given"));
      gtk_list_box_append (self->projects_list, row);
    }
  if (partner->projects == NULL || partner->projects->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("Not part of any project yet"));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->projects_list, row);
    }
  self->filling = FALSE;
}

static void
on_row_selected (TwPartnersPage *self,
                 GtkListBoxRow  *row)
{
  TwPartner *partner;

  if (self->filling)
    return;
  save_now (self);
  self->selected = row_partner_id (self, row);
  partner = find_partner (self, self->selected);
  if (partner != NULL)
    fill_editor (self, partner);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "partners.delete",
                                 partner != NULL && !self->read_only);
}

static void
restore_deleted (TwPartnersPage *self)
{
  g_autoptr(TwStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (self->deleted == NULL || (store = open_store (self)) == NULL)
    return;
  if (!tw_partners_restore (store, self->deleted, &error))
    {
      show_error (self, _("Could Not Restore the Partner"), error);
      return;
    }
  id = self->deleted->id;
  g_clear_pointer (&self->deleted, tw_partner_free);
  reload_from (self, store);
  tw_partners_page_select (self, id);
  emit_changed (self);
}

static void
on_undo_clicked (AdwToast       *toast,
                 TwPartnersPage *self)
{
  restore_deleted (self);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  tw_partners_page_add (TW_PARTNERS_PAGE (widget), NULL);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TwPartnersPage *self = TW_PARTNERS_PAGE (widget);

  if (self->selected != 0)
    tw_partners_page_delete (self, self->selected);
}

static void
on_unmap (TwPartnersPage *self)
{
  save_now (self);
}

static void
on_document_changed (TwPartnersPage *self)
{
  /* Projects edited on their page change what a partner takes part in. */
  tw_partners_page_reload (self);
}

static void
on_read_only_changed (TwPartnersPage *self)
{
  set_read_only (self, self->document != NULL && tw_document_get_read_only (self->document));
}

static void
tw_partners_page_dispose (GObject *object)
{
  TwPartnersPage *self = TW_PARTNERS_PAGE (object);

  /* Nothing typed is lost when the window closes. */
  save_now (self);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->document);
  /* AdwBin drops its child (the template) itself. */

  G_OBJECT_CLASS (tw_partners_page_parent_class)->dispose (object);
}

static void
tw_partners_page_finalize (GObject *object)
{
  TwPartnersPage *self = TW_PARTNERS_PAGE (object);

  g_clear_pointer (&self->partners, g_ptr_array_unref);
  g_clear_pointer (&self->deleted, tw_partner_free);
  g_free (self->message);

  G_OBJECT_CLASS (tw_partners_page_parent_class)->finalize (object);
}

static void
tw_partners_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TwPartnersPage *self = TW_PARTNERS_PAGE (object);

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
tw_partners_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TwPartnersPage *self = TW_PARTNERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      tw_partners_page_set_document (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_partners_page_class_init (TwPartnersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_partners_page_dispose;
  object_class->finalize = tw_partners_page_finalize;
  object_class->get_property = tw_partners_page_get_property;
  object_class->set_property = tw_partners_page_set_property;

  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, TW_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/"
                                               "tw-partners-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TwPartnersPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TwPartnersPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, TwPartnersPage, list);
  gtk_widget_class_bind_template_child (widget_class, TwPartnersPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, TwPartnersPage, kind_row);
  gtk_widget_class_bind_template_child (widget_class, TwPartnersPage, agreement_row);
  gtk_widget_class_bind_template_child (widget_class, TwPartnersPage, contact_row);
  gtk_widget_class_bind_template_child (widget_class, TwPartnersPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, TwPartnersPage, phone_row);
  gtk_widget_class_bind_template_child (widget_class, TwPartnersPage, notes_view);
  gtk_widget_class_bind_template_child (widget_class, TwPartnersPage, projects_list);
  gtk_widget_class_bind_template_child (widget_class, TwPartnersPage, delete_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);

  gtk_widget_class_install_action (widget_class, "partners.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "partners.delete", NULL, delete_action);
}

static void
tw_partners_page_init (TwPartnersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tw_combo_row_show_whole (self->agreement_row);

  g_signal_connect_object (gtk_text_view_get_buffer (self->notes_view), "changed",
                           G_CALLBACK (on_field_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "unmap", G_CALLBACK (on_unmap), NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "partners.delete", FALSE);
}

TwPartnersPage *
tw_partners_page_new (TwDocument *document)
{
  g_return_val_if_fail (document == NULL || TW_IS_DOCUMENT (document), NULL);

  return g_object_new (TW_TYPE_PARTNERS_PAGE, "document", document, NULL);
}

TwDocument *
tw_partners_page_get_document (TwPartnersPage *self)
{
  g_return_val_if_fail (TW_IS_PARTNERS_PAGE (self), NULL);

  return self->document;
}

void
tw_partners_page_set_document (TwPartnersPage *self,
                               TwDocument     *document)
{
  g_return_if_fail (TW_IS_PARTNERS_PAGE (self));
  g_return_if_fail (document == NULL || TW_IS_DOCUMENT (document));

  if (self->document == document)
    return;

  save_now (self);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->document, document);
  if (document != NULL)
    {
      g_signal_connect_object (document, "changed::partners",
                               G_CALLBACK (on_document_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "changed::projects",
                               G_CALLBACK (on_document_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (document, "notify::read-only",
                               G_CALLBACK (on_read_only_changed), self, G_CONNECT_SWAPPED);
    }
  self->selected = 0;
  g_clear_pointer (&self->deleted, tw_partner_free);
  on_read_only_changed (self);
  /* Nothing of another project's stays on show while this one is read. */
  {
    g_autoptr(GPtrArray) none = g_ptr_array_new_with_free_func ((GDestroyNotify) tw_partner_free);

    show_partners (self, none);
    gtk_stack_set_visible_child_name (self->stack, "none");
  }
  tw_partners_page_reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

static gboolean
read_partners (TwStore       *store,
               gpointer       task_data,
               GCancellable  *cancellable,
               GError       **error)
{
  GPtrArray **partners = task_data;

  return (*partners = tw_partners_list (store, error)) != NULL;
}

static void
partners_result_free (GPtrArray **partners)
{
  g_clear_pointer (partners, g_ptr_array_unref);
  g_free (partners);
}

static void
show_partners (TwPartnersPage *self,
               GPtrArray      *partners)
{
  g_autofree char *count = NULL;
  GtkWidget *child;
  gint64 selected;

  save_now (self);
  selected = self->selected;
  g_clear_pointer (&self->partners, g_ptr_array_unref);
  self->partners = g_ptr_array_ref (partners);
  self->filling = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < self->partners->len; i++)
    gtk_list_box_append (self->list, create_partner_row (g_ptr_array_index (self->partners, i)));
  self->filling = FALSE;
  count = g_strdup_printf (ngettext ("%u Partner", "%u Partners", self->partners->len),
                           self->partners->len);
  gtk_label_set_text (self->count_label, count);

  gtk_stack_set_visible_child_name (self->stack, self->partners->len > 0 ? "list" : "empty");
  self->selected = 0;
  if (self->partners->len > 0)
    tw_partners_page_select (self, find_partner (self, selected) != NULL
                                   ? selected
                                   : ((TwPartner *) g_ptr_array_index (self->partners, 0))->id);
}

/* After the page's own write, from the store it wrote with: shown at once. */
static void
reload_from (TwPartnersPage *self,
             TwStore        *store)
{
  g_autoptr(GPtrArray) partners = NULL;
  g_autoptr(GError) error = NULL;

  /* A read on its way would show the file as it was before this write. */
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if ((partners = tw_partners_list (store, &error)) == NULL)
    {
      show_error (self, _("Could Not Read the Partners"), error);
      return;
    }
  show_partners (self, partners);
}

static void
on_partners_read (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TwPartnersPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray **partners = tw_document_run_get_task_data (result);

  if (!tw_document_run_finish (TW_DOCUMENT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->load_cancellable);
      gtk_stack_set_visible_child_name (self->stack, "none");
      show_error (self, _("Could Not Read the Partners"), error);
      return;
    }
  g_clear_object (&self->load_cancellable);
  show_partners (self, *partners);
}

void
tw_partners_page_reload (TwPartnersPage *self)
{
  g_return_if_fail (TW_IS_PARTNERS_PAGE (self));

  save_now (self);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->document == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }
  self->load_cancellable = g_cancellable_new ();
  tw_document_run_async (self->document, TW_DOCUMENT_READ, read_partners,
                         g_new0 (GPtrArray *, 1), (GDestroyNotify) partners_result_free,
                         self->load_cancellable, on_partners_read, g_object_ref (self));
}

guint
tw_partners_page_get_n_partners (TwPartnersPage *self)
{
  g_return_val_if_fail (TW_IS_PARTNERS_PAGE (self), 0);

  return self->partners != NULL ? self->partners->len : 0;
}

gint64
tw_partners_page_get_selected (TwPartnersPage *self)
{
  g_return_val_if_fail (TW_IS_PARTNERS_PAGE (self), 0);

  return self->selected;
}

void
tw_partners_page_select (TwPartnersPage *self,
                         gint64          id)
{
  g_return_if_fail (TW_IS_PARTNERS_PAGE (self));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && row_partner_id (self, GTK_LIST_BOX_ROW (row)) == id)
      {
        gtk_list_box_select_row (self->list, GTK_LIST_BOX_ROW (row));
        return;
      }
}

gint64
tw_partners_page_add (TwPartnersPage *self,
                      const char     *name)
{
  g_autoptr(TwStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TwPartner) partner = NULL;
  g_autofree char *numbered = NULL;
  gint64 id;

  g_return_val_if_fail (TW_IS_PARTNERS_PAGE (self), 0);

  save_now (self);
  if ((store = open_store (self)) == NULL)
    return 0;
  for (guint n = 1; name == NULL; n++)
    {
      g_free (numbered);
      numbered = n == 1 ? g_strdup (_("New Partner"))
                        : g_strdup_printf (_("New Partner %u"), n);
      if (tw_partners_find (store, numbered, NULL) < 0)
        name = numbered;
    }
  partner = tw_partner_new (name);
  id = tw_partners_add (store, partner, &error);
  if (id < 0)
    {
      show_error (self, _("Could Not Add the Partner"), error);
      return 0;
    }
  reload_from (self, store);
  tw_partners_page_select (self, id);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  emit_changed (self);
  return id;
}

gboolean
tw_partners_page_delete (TwPartnersPage *self,
                         gint64          id)
{
  g_autoptr(TwStore) store = NULL;
  g_autoptr(GError) error = NULL;
  TwPartner *deleted = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  g_return_val_if_fail (TW_IS_PARTNERS_PAGE (self), FALSE);

  save_now (self);
  if ((store = open_store (self)) == NULL)
    return FALSE;
  if (!tw_partners_delete (store, id, &deleted, &error))
    {
      show_error (self, g_error_matches (error, TW_PARTNERS_ERROR, TW_PARTNERS_ERROR_IN_USE)
                        ? _("Partner Still in Use") : _("Could Not Delete the Partner"),
                  error);
      return FALSE;
    }
  g_clear_pointer (&self->deleted, tw_partner_free);
  self->deleted = deleted;
  title = g_strdup_printf (_("“%s” deleted"), deleted->name);
  toast = tw_toast_new_plain (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_clicked), self, 0);
  tw_toast_show (GTK_WIDGET (self), toast);
  self->selected = 0;
  reload_from (self, store);
  emit_changed (self);
  return TRUE;
}

void
tw_partners_page_flush (TwPartnersPage *self)
{
  g_return_if_fail (TW_IS_PARTNERS_PAGE (self));

  save_now (self);
}

const char *
tw_partners_page_get_message (TwPartnersPage *self)
{
  g_return_val_if_fail (TW_IS_PARTNERS_PAGE (self), NULL);

  return self->message;
}

gboolean
tw_partners_page_undo (TwPartnersPage *self)
{
  g_return_val_if_fail (TW_IS_PARTNERS_PAGE (self), FALSE);

  if (self->deleted == NULL)
    return FALSE;
  restore_deleted (self);
  return self->deleted == NULL;
}

static void
set_read_only (TwPartnersPage *self,
               gboolean        read_only)
{
  AdwEntryRow *entries[] = {
    self->name_row, self->kind_row, self->contact_row, self->email_row, self->phone_row,
  };

  save_now (self);
  self->read_only = read_only;
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    gtk_editable_set_editable (GTK_EDITABLE (entries[i]), !read_only);
  gtk_widget_set_sensitive (GTK_WIDGET (self->agreement_row), !read_only);
  gtk_text_view_set_editable (self->notes_view, !read_only);
  /* A review copy holds no notes. */
  gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (self->notes_view),
                                                   ADW_TYPE_PREFERENCES_GROUP), !read_only);
  gtk_widget_set_visible (self->delete_button, !read_only);
  if (find_partner (self, self->selected) != NULL)
    fill_editor (self, find_partner (self, self->selected));
  if (read_only)
    gtk_widget_add_css_class (GTK_WIDGET (self), "read-only");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "read-only");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "partners.add", !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "partners.delete",
                                 !read_only && find_partner (self, self->selected) != NULL);
}
