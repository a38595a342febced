/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-review-banner"


#include "tw-review-banner.h"

struct _TwReviewBanner
{
  GtkWidget        parent_instance;

  /* Template widgets */
  GtkRevealer     *revealer;
  GtkLabel        *label;

  /* Owned */
  TwDocument      *document;
};

G_DEFINE_FINAL_TYPE (TwReviewBanner, tw_review_banner, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DOCUMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Shown while the document is a share package's review. */
static void
on_review_session_changed (TwReviewBanner *self)
{
  GObject *session = self->document != NULL
                     ? tw_document_get_review_session (self->document) : NULL;

  if (TW_IS_REVIEW_SESSION (session))
    {
      g_autofree char *text = tw_review_session_describe (TW_REVIEW_SESSION (session));

      gtk_label_set_text (self->label, text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      text, -1);
    }
  gtk_revealer_set_reveal_child (self->revealer, TW_IS_REVIEW_SESSION (session));
}

static void
tw_review_banner_dispose (GObject *object)
{
  TwReviewBanner *self = TW_REVIEW_BANNER (object);

  g_clear_object (&self->document);
  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_REVIEW_BANNER);

  G_OBJECT_CLASS (tw_review_banner_parent_class)->dispose (object);
}

static void
tw_review_banner_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TwReviewBanner *self = TW_REVIEW_BANNER (object);

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
tw_review_banner_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TwReviewBanner *self = TW_REVIEW_BANNER (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      tw_review_banner_set_document (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tw_review_banner_class_init (TwReviewBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_review_banner_dispose;
  object_class->get_property = tw_review_banner_get_property;
  object_class->set_property = tw_review_banner_set_property;

  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, TW_TYPE_DOCUMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/"
                                               "tw-review-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, TwReviewBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, TwReviewBanner, label);
}

static void
tw_review_banner_init (TwReviewBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
tw_review_banner_set_document (TwReviewBanner *self,
                               TwDocument     *document)
{
  g_return_if_fail (TW_IS_REVIEW_BANNER (self));
  g_return_if_fail (document == NULL || TW_IS_DOCUMENT (document));

  if (self->document == document)
    return;
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_set_object (&self->document, document);
  if (document != NULL)
    g_signal_connect_object (document, "notify::review-session",
                             G_CALLBACK (on_review_session_changed), self, G_CONNECT_SWAPPED);
  on_review_session_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
}

gboolean
tw_review_banner_get_revealed (TwReviewBanner *self)
{
  g_return_val_if_fail (TW_IS_REVIEW_BANNER (self), FALSE);
  return gtk_revealer_get_reveal_child (self->revealer);
}

const char *
tw_review_banner_get_text (TwReviewBanner *self)
{
  g_return_val_if_fail (TW_IS_REVIEW_BANNER (self), NULL);
  return gtk_label_get_text (self->label);
}
