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
  TwReviewSession *session;
};

G_DEFINE_FINAL_TYPE (TwReviewBanner, tw_review_banner, GTK_TYPE_WIDGET)

static void
tw_review_banner_dispose (GObject *object)
{
  TwReviewBanner *self = TW_REVIEW_BANNER (object);

  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_REVIEW_BANNER);

  G_OBJECT_CLASS (tw_review_banner_parent_class)->dispose (object);
}

static void
tw_review_banner_class_init (TwReviewBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_review_banner_dispose;

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
tw_review_banner_set_session (TwReviewBanner  *self,
                              TwReviewSession *session)
{
  g_return_if_fail (TW_IS_REVIEW_BANNER (self));
  g_return_if_fail (session == NULL || TW_IS_REVIEW_SESSION (session));

  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_autofree char *text = tw_review_session_describe (session);

      gtk_label_set_text (self->label, text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      text, -1);
    }
  gtk_revealer_set_reveal_child (self->revealer, session != NULL);
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
