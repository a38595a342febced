/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-comments-page"

#include <glib/gi18n.h>

#include "tw-area-layer.h"
#include "tw-comments-page.h"
#include "tw-error-text.h"

struct _TwCommentsPage
{
  AdwBin           parent_instance;

  /* Template widgets */
  GtkWidget       *received_group;
  GtkListBox      *received_list;
  GtkWidget       *own_group;
  GtkWidget       *author_group;
  GtkWidget       *save_group;
  GtkListBox      *list;
  AdwEntryRow     *author_row;

  /* Owned */
  TwDocument      *document;
  TwReviewSession *session;   /* the document's */
  GPtrArray       *received;  /* TwComment *, newest first: the workspace's, outside review */
  gboolean         filling;
};

G_DEFINE_FINAL_TYPE (TwCommentsPage, tw_comments_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  AREA_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
tw_comment_describe_subject (TwReviewSession *session,
                             const TwComment *comment)
{
  g_autofree char *area = NULL;
  const char *title = comment->project_title;

  if (comment->geoid != NULL)
    {
      const char *name = tw_review_session_get_area_name (session, comment->geography,
                                                          comment->geoid);

      /* Translators: an area's name and its GEOID */
      area = name != NULL ? g_strdup_printf (_("%s (area %s)"), name, comment->geoid)
                          : g_strdup_printf (_("Area %s"), comment->geoid);
    }
  if (title == NULL && comment->project_id > 0)
    title = tw_review_session_get_project_title (session, comment->project_id);
  if (area != NULL && title != NULL)
    /* Translators: an area, and the project the comment is about too */
    return g_strdup_printf (_("%s, in the project “%s”"), area, title);
  if (area != NULL)
    return g_steal_pointer (&area);
  return g_strdup_printf (_("The project “%s”"), title != NULL ? title : "?");
}

/* The list holds a row for each comment, in order. */
static void
on_remove_clicked (GtkButton      *button,
                   TwCommentsPage *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);
  int index = row != NULL ? gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) : -1;

  if (index >= 0 && (guint) index < tw_review_session_get_n_comments (self->session))
    tw_review_session_remove_comment (self->session, (guint) index);
}

static void
fill (TwCommentsPage *self)
{
  GtkWidget *child;
  guint n = self->session != NULL ? tw_review_session_get_n_comments (self->session) : 0;

  if (self->session == NULL)
    return;
  self->filling = TRUE;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->author_row)),
                 tw_review_session_get_author (self->session)) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->author_row),
                           tw_review_session_get_author (self->session));
  self->filling = FALSE;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < n; i++)
    {
      const TwComment *comment = tw_review_session_get_comment (self->session, i);
      g_autofree char *subject = tw_comment_describe_subject (self->session, comment);
      g_autofree char *remove_label = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), comment->body);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subject);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Remove This Comment"));
      remove_label = g_strdup_printf (_("Remove the comment on %s"), subject);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remove_label, -1);
      g_signal_connect (button, "clicked", G_CALLBACK (on_remove_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->list, row);
    }
  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No comments yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Click an area on the map and choose “Comment on This "
                                     "Area…”, or open a project and choose “Comment on This "
                                     "Project…”."));
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->list, row);
    }
}

static void
on_received_activated (TwCommentsPage *self,
                       GtkListBoxRow  *row)
{
  int index = gtk_list_box_row_get_index (row);
  const TwComment *comment;

  if (self->received == NULL || index < 0 || (guint) index >= self->received->len)
    return;
  comment = g_ptr_array_index (self->received, index);
  if (comment->geoid != NULL)
    g_signal_emit (self, signals[AREA_ACTIVATED], 0, comment->geography, comment->geoid);
}

/* "7 December 2026", in local time; the stored text when it is not a time. */
static char *
format_comment_date (const char *created_at)
{
  g_autoptr(GDateTime) when = created_at != NULL ? g_date_time_new_from_iso8601 (created_at, NULL)
                                                 : NULL;
  g_autoptr(GDateTime) local = when != NULL ? g_date_time_to_local (when) : NULL;

  if (local == NULL)
    return g_strdup (created_at != NULL ? created_at : "");
  /* Translators: a date, as in "12 May 2024" */
  return g_date_time_format (local, _("%-d %B %Y"));
}

static char *
describe_received (const TwComment *comment,
                   TwAreaLayer     *layer)
{
  g_autofree char *area = NULL;

  if (comment->geoid != NULL)
    {
      int index = layer != NULL
                  && (comment->geography == NULL
                      || g_strcmp0 (comment->geography,
                                    tw_area_layer_get_geography_name (layer)) == 0)
                  ? tw_area_layer_find_geoid (layer, comment->geoid) : -1;
      const char *name = index >= 0 ? tw_area_layer_get_name (layer, index) : NULL;

      area = name != NULL ? g_strdup_printf (_("%s (area %s)"), name, comment->geoid)
                          : g_strdup_printf (_("Area %s"), comment->geoid);
    }
  if (area != NULL && comment->project_title != NULL)
    return g_strdup_printf (_("%s, in the project “%s”"), area, comment->project_title);
  if (area != NULL)
    return g_steal_pointer (&area);
  return g_strdup_printf (_("The project “%s”"),
                          comment->project_title != NULL ? comment->project_title : "?");
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const TwComment *ca = *(const TwComment **) a;
  const TwComment *cb = *(const TwComment **) b;

  return g_strcmp0 (cb->created_at, ca->created_at);
}

static void
on_author_changed (TwCommentsPage *self)
{
  g_autofree char *author = NULL;

  if (self->filling || self->session == NULL)
    return;
  author = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->author_row))));
  tw_review_session_set_author (self->session, author);
}

static void
tw_comments_page_dispose (GObject *object)
{
  TwCommentsPage *self = TW_COMMENTS_PAGE (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->document);
  g_clear_pointer (&self->received, g_ptr_array_unref);

  G_OBJECT_CLASS (tw_comments_page_parent_class)->dispose (object);
}

static void
tw_comments_page_constructed (GObject *object)
{
  TwCommentsPage *self = TW_COMMENTS_PAGE (object);
  GObject *session;

  G_OBJECT_CLASS (tw_comments_page_parent_class)->constructed (object);

  session = self->document != NULL ? tw_document_get_review_session (self->document) : NULL;
  if (TW_IS_REVIEW_SESSION (session))
    {
      self->session = g_object_ref (TW_REVIEW_SESSION (session));
      g_signal_connect_swapped (session, "changed", G_CALLBACK (fill), self);
    }
  fill (self);
}

static void
tw_comments_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TwCommentsPage *self = TW_COMMENTS_PAGE (object);

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
tw_comments_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TwCommentsPage *self = TW_COMMENTS_PAGE (object);

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
tw_comments_page_class_init (TwCommentsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_comments_page_dispose;
  object_class->constructed = tw_comments_page_constructed;
  object_class->get_property = tw_comments_page_get_property;
  object_class->set_property = tw_comments_page_set_property;

  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, TW_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/"
                                               "tw-comments-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TwCommentsPage, received_group);
  gtk_widget_class_bind_template_child (widget_class, TwCommentsPage, received_list);
  gtk_widget_class_bind_template_child (widget_class, TwCommentsPage, own_group);
  gtk_widget_class_bind_template_child (widget_class, TwCommentsPage, author_group);
  gtk_widget_class_bind_template_child (widget_class, TwCommentsPage, save_group);
  gtk_widget_class_bind_template_child (widget_class, TwCommentsPage, list);
  gtk_widget_class_bind_template_child (widget_class, TwCommentsPage, author_row);
  gtk_widget_class_bind_template_callback (widget_class, on_author_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_received_activated);

  /**
   * TwCommentsPage::area-activated:
   * @geography: (nullable): the area's geography
   * @geoid: the area
   *
   * A received comment on an area was chosen: the window shows that area.
   */
  signals[AREA_ACTIVATED] = g_signal_new ("area-activated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
tw_comments_page_init (TwCommentsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TwCommentsPage *
tw_comments_page_new (TwDocument *document)
{
  g_return_val_if_fail (TW_IS_DOCUMENT (document), NULL);
  g_return_val_if_fail (TW_IS_REVIEW_SESSION (tw_document_get_review_session (document)), NULL);

  return g_object_new (TW_TYPE_COMMENTS_PAGE, "document", document, NULL);
}

TwCommentsPage *
tw_comments_page_new_received (void)
{
  TwCommentsPage *self = g_object_new (TW_TYPE_COMMENTS_PAGE, NULL);

  gtk_widget_set_visible (self->received_group, TRUE);
  gtk_widget_set_visible (self->own_group, FALSE);
  gtk_widget_set_visible (self->author_group, FALSE);
  gtk_widget_set_visible (self->save_group, FALSE);
  return self;
}

void
tw_comments_page_set_received (TwCommentsPage *self,
                               GPtrArray      *comments,
                               TwAreaLayer    *layer)
{
  GtkWidget *child;

  g_return_if_fail (TW_IS_COMMENTS_PAGE (self));

  g_clear_pointer (&self->received, g_ptr_array_unref);
  self->received = g_ptr_array_new ();
  for (guint i = 0; comments != NULL && i < comments->len; i++)
    g_ptr_array_add (self->received, g_ptr_array_index (comments, i));
  g_ptr_array_sort (self->received, compare_newest_first);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->received_list))) != NULL)
    gtk_list_box_remove (self->received_list, child);
  for (guint i = 0; i < self->received->len; i++)
    {
      const TwComment *comment = g_ptr_array_index (self->received, i);
      g_autofree char *subject = describe_received (comment, layer);
      g_autofree char *date = format_comment_date (comment->created_at);
      g_autofree char *author = g_utf8_make_valid (comment->author != NULL ? comment->author
                                                                           : _("Anonymous"), -1);
      g_autofree char *body = g_utf8_make_valid (comment->body != NULL ? comment->body : "",
                                                 -1);
      /* Translators: who wrote a comment, when, and on what */
      g_autofree char *subtitle = g_strdup_printf (_("%s · %s · %s"), author, date, subject);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), body);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (comment->geoid != NULL)
        {
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     gtk_image_new_from_icon_name ("mark-location-symbolic"));
          gtk_widget_set_tooltip_text (row, _("Show This Area on the Map"));
        }
      gtk_list_box_append (self->received_list, row);
    }
}

char *
tw_comments_page_get_text (TwCommentsPage *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (TW_IS_COMMENTS_PAGE (self), NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->received_list));
       self->received != NULL && row != NULL; row = gtk_widget_get_next_sibling (row))
    g_string_append_printf (text, "%s — %s\n",
                            adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));

  for (guint i = 0; self->session != NULL && i < tw_review_session_get_n_comments (self->session);
       i++)
    {
      const TwComment *comment = tw_review_session_get_comment (self->session, i);
      g_autofree char *subject = tw_comment_describe_subject (self->session, comment);

      g_string_append_printf (text, "%s: %s\n", subject, comment->body);
    }
  return g_string_free (text, FALSE);
}

/* The dialog */

typedef struct
{
  TwReviewSession *session;
  char            *geography;
  char            *geoid;
  gint64           project_id;
  AdwMessageDialog *dialog;  /* borrowed: the request lives as long as it */
  GtkTextBuffer   *buffer;    /* borrowed from the dialog */
  GtkEditable     *author;    /* NULL when the name is known */
} CommentRequest;

static void
comment_request_free (CommentRequest *request)
{
  g_object_unref (request->session);
  g_free (request->geography);
  g_free (request->geoid);
  g_free (request);
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static void
update_add_response (CommentRequest *request)
{
  AdwMessageDialog *dialog = request->dialog;
  g_autofree char *text = buffer_text (request->buffer);
  g_autofree char *author = request->author != NULL
                            ? g_strstrip (g_strdup (gtk_editable_get_text (request->author)))
                            : NULL;

  adw_message_dialog_set_response_enabled (dialog, "add",
                                           *text != '\0'
                                           && (request->author == NULL || *author != '\0'));
}

static void
on_comment_response (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  CommentRequest *request = user_data;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "add") != 0)
    return;
  if (request->author != NULL)
    {
      g_autofree char *author = g_strstrip (g_strdup (gtk_editable_get_text (request->author)));

      tw_review_session_set_author (request->session, author);
    }
  text = buffer_text (request->buffer);
  if (!tw_review_session_add_comment (request->session, request->geography, request->geoid,
                                      request->project_id, text, &error))
    {
      GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));
      g_autofree char *body = tw_error_text (error);
      AdwMessageDialog *message;

      message = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent,
                                                            _("The Comment Was Not Added"),
                                                            body));
      adw_message_dialog_add_response (message, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (message));
    }
}

void
tw_comment_dialog_present (GtkWindow       *parent,
                           TwReviewSession *session,
                           const char      *subject,
                           const char      *geography,
                           const char      *geoid,
                           gint64           project_id)
{
  g_autofree char *heading = NULL;
  CommentRequest *request;
  AdwMessageDialog *dialog;
  GtkWidget *box, *scroller, *view;

  g_return_if_fail (TW_IS_REVIEW_SESSION (session));

  request = g_new0 (CommentRequest, 1);
  request->session = g_object_ref (session);
  request->geography = g_strdup (geography);
  request->geoid = g_strdup (geoid);
  request->project_id = project_id;

  /* Translators: the heading of the dialog that takes a comment on an area or a project */
  heading = g_strdup_printf (_("Comment on %s"), subject);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading,
                                                       _("Write what the people who shared "
                                                         "this copy should know. Your comment "
                                                         "stays with this copy until you save "
                                                         "your comments.")));
  request->dialog = dialog;
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  if (*tw_review_session_get_author (session) == '\0')
    {
      GtkWidget *entry = gtk_entry_new ();

      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Your name"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Your name"), -1);
      gtk_box_append (GTK_BOX (box), entry);
      request->author = GTK_EDITABLE (entry);
      g_signal_connect_swapped (entry, "changed", G_CALLBACK (update_add_response), request);
    }
  view = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Your comment"), -1);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 120);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_widget_add_css_class (scroller, "card");
  gtk_box_append (GTK_BOX (box), scroller);
  adw_message_dialog_set_extra_child (dialog, box);
  request->buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));

  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "add", _("_Add Comment"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_swapped (request->buffer, "changed", G_CALLBACK (update_add_response),
                            request);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_comment_response), request,
                         (GClosureNotify) (void (*) (void)) comment_request_free, 0);
  update_add_response (request);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (request->author != NULL ? GTK_WIDGET (request->author) : view);
}
