/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-preferences-window"

#include <glib/gi18n.h>

#include "tw-application.h"
#include "tw-classify.h"
#include "tw-error-text.h"
#include "tw-list-labels.h"
#include "tw-palette.h"
#include "tw-policy-text.h"
#include "tw-preferences-window.h"
#include "tw-suppression.h"
#include "tw-map-session.h"
#include "tw-toast.h"

struct _TwPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwEntryRow          *name_row;
  AdwEntryRow          *organisation_row;
  AdwPreferencesGroup  *privacy_group;
  AdwComboRow          *policy_row;
  AdwActionRow         *custom_row;
  GtkSpinButton        *min_count_spin;
  AdwActionRow         *policy_status_row;
  GtkSwitch            *basemap_switch;
  AdwComboRow          *palette_row;
  AdwComboRow          *classes_row;
  AdwComboRow          *method_row;
  GtkSwitch            *analyst_switch;

  /* Owned references */
  GtkWindow            *window;
  GSettings            *settings;
  TwDocument           *document;    /* NULL: no project whose policy may change */
  GStrv                 palettes;
  GCancellable         *cancellable;

  gboolean              filling;
  guint                 busy;
};

G_DEFINE_FINAL_TYPE (TwPreferencesWindow, tw_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  POLICY_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The order of the policy row's items; "Custom" follows them. */
static const char *const presets[] = { "cms", "wonder", "uscs", "wisqars", "nchs-rates",
                                       "nchs-proportions", "wa-doh" };

static guint
preset_row (TwSuppressionPreset preset)
{
  const char *name = tw_suppression_preset_to_string (preset);

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (presets); i++)
    if (g_str_equal (presets[i], name))
      return i;
  return G_N_ELEMENTS (presets);
}

static void
set_busy (TwPreferencesWindow *self,
          gboolean             busy)
{
  self->busy += busy ? 1 : -1;
  gtk_widget_set_sensitive (GTK_WIDGET (self->privacy_group),
                            self->busy == 0 && self->document != NULL);
}

static void
show_policy (TwPreferencesWindow       *self,
             const TwSuppressionPolicy *policy)
{
  self->filling = TRUE;
  adw_combo_row_set_selected (self->policy_row, preset_row (policy->preset));
  gtk_spin_button_set_value (self->min_count_spin, policy->min_count);
  gtk_widget_set_visible (GTK_WIDGET (self->custom_row),
                          policy->preset == TW_SUPPRESSION_PRESET_CUSTOM);
  self->filling = FALSE;
}

static void
on_policy_saved (GObject      *object,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  g_autoptr(TwPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *footnote = NULL;

  set_busy (self, FALSE);
  if (!tw_document_save_policy_finish (TW_DOCUMENT (object), res, &error))
    {
      g_autofree char *text = tw_error_text (error);
      g_autofree char *message = g_strdup_printf (_("The policy could not be read or saved. %s"),
                                                  text);
      g_autofree char *valid = g_utf8_make_valid (message, -1);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), tw_toast_new_plain (valid));
      show_policy (self, tw_document_get_policy (TW_DOCUMENT (object)));
      return;
    }
  /* The document tells the map and the legend (changed::policy): they are computed again
   * under the new policy. */
  show_policy (self, tw_document_get_policy (TW_DOCUMENT (object)));
  footnote = tw_policy_text_describe (tw_document_get_policy (TW_DOCUMENT (object)));
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    tw_toast_new_plain (_("The workspace’s policy is saved")));
  adw_preferences_group_set_description (self->privacy_group, footnote);
  g_signal_emit (self, signals[POLICY_SAVED], 0);
}

/* Shows the project's policy (@wanted NULL), or saves @wanted as the project's. */
static void
run_policy (TwPreferencesWindow       *self,
            const TwSuppressionPolicy *wanted)
{
  if (self->document == NULL)
    return;
  if (wanted == NULL)
    {
      show_policy (self, tw_document_get_policy (self->document));
      return;
    }
  set_busy (self, TRUE);
  tw_document_save_policy_async (self->document, wanted, self->cancellable, on_policy_saved,
                                 g_object_ref (self));
}

static void
on_policy_changed (TwPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->policy_row);

  if (self->filling)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->custom_row), selected >= G_N_ELEMENTS (presets));
  tw_preferences_window_set_policy (self, selected < G_N_ELEMENTS (presets) ? presets[selected]
                                                                           : NULL,
                                    (guint) gtk_spin_button_get_value_as_int (self->min_count_spin));
}

static void
on_palette_changed (TwPreferencesWindow *self)
{
  guint i = adw_combo_row_get_selected (self->palette_row);

  if (!self->filling && self->settings != NULL && self->palettes != NULL
      && i < g_strv_length (self->palettes))
    g_settings_set_string (self->settings, "default-palette", self->palettes[i]);
}

static void
on_classes_changed (TwPreferencesWindow *self)
{
  guint i = adw_combo_row_get_selected (self->classes_row);

  if (!self->filling && self->settings != NULL && i != GTK_INVALID_LIST_POSITION)
    g_settings_set_int (self->settings, "default-classes", (int) i + TW_CLASSIFY_MIN_CLASSES);
}

static void
on_method_changed (TwPreferencesWindow *self)
{
  guint i = adw_combo_row_get_selected (self->method_row);

  /* The row lists the methods in the schema's enum order. */
  if (!self->filling && self->settings != NULL && i != GTK_INVALID_LIST_POSITION)
    g_settings_set_enum (self->settings, "default-classification", (int) i);
}

static void
fill_palettes (TwPreferencesWindow *self)
{
  g_auto(GStrv) sequential = tw_palette_list_names (TW_PALETTE_FILTER_SEQUENTIAL
                                                    | TW_PALETTE_FILTER_COLORBLIND_SAFE);
  g_auto(GStrv) diverging = tw_palette_list_names (TW_PALETTE_FILTER_DIVERGING
                                                   | TW_PALETTE_FILTER_COLORBLIND_SAFE);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; sequential[i] != NULL; i++)
    {
      g_autofree char *label = g_strdup_printf (_("%s (sequential)"), sequential[i]);
      gtk_string_list_append (labels, label);
      g_strv_builder_add (names, sequential[i]);
    }
  for (guint i = 0; diverging[i] != NULL; i++)
    {
      g_autofree char *label = g_strdup_printf (_("%s (diverging)"), diverging[i]);
      gtk_string_list_append (labels, label);
      g_strv_builder_add (names, diverging[i]);
    }
  self->palettes = g_strv_builder_end (names);
  adw_combo_row_set_model (self->palette_row, G_LIST_MODEL (labels));
}

static void
load_settings (TwPreferencesWindow *self)
{
  g_autofree char *palette = NULL;

  self->filling = TRUE;
  if (self->settings == NULL)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->organisation_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->basemap_switch), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->palette_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->classes_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->method_row), FALSE);
      self->filling = FALSE;
      return;
    }

  g_settings_bind (self->settings, "basemap", self->basemap_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "user-name", self->name_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "user-organisation", self->organisation_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  palette = g_settings_get_string (self->settings, "default-palette");
  for (guint i = 0; self->palettes[i] != NULL; i++)
    if (g_str_equal (self->palettes[i], palette))
      adw_combo_row_set_selected (self->palette_row, i);
  adw_combo_row_set_selected (self->classes_row,
                              (guint) (g_settings_get_int (self->settings, "default-classes")
                                       - TW_CLASSIFY_MIN_CLASSES));
  adw_combo_row_set_selected (self->method_row,
                              (guint) g_settings_get_enum (self->settings,
                                                           "default-classification"));
  self->filling = FALSE;
}

static void
tw_preferences_window_dispose (GObject *object)
{
  TwPreferencesWindow *self = TW_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->window);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (tw_preferences_window_parent_class)->dispose (object);
}

static void
tw_preferences_window_finalize (GObject *object)
{
  TwPreferencesWindow *self = TW_PREFERENCES_WINDOW (object);

  g_clear_object (&self->document);
  g_strfreev (self->palettes);

  G_OBJECT_CLASS (tw_preferences_window_parent_class)->finalize (object);
}

static void
tw_preferences_window_class_init (TwPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_preferences_window_dispose;
  object_class->finalize = tw_preferences_window_finalize;

  /**
   * TwPreferencesWindow::policy-saved:
   *
   * Emitted once a new suppression policy is in the project file.
   */
  signals[POLICY_SAVED] = g_signal_new ("policy-saved", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/"
                                               "tw-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TwPreferencesWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, TwPreferencesWindow, organisation_row);
  gtk_widget_class_bind_template_child (widget_class, TwPreferencesWindow, privacy_group);
  gtk_widget_class_bind_template_child (widget_class, TwPreferencesWindow, policy_row);
  gtk_widget_class_bind_template_child (widget_class, TwPreferencesWindow, custom_row);
  gtk_widget_class_bind_template_child (widget_class, TwPreferencesWindow, min_count_spin);
  gtk_widget_class_bind_template_child (widget_class, TwPreferencesWindow, policy_status_row);
  gtk_widget_class_bind_template_child (widget_class, TwPreferencesWindow, basemap_switch);
  gtk_widget_class_bind_template_child (widget_class, TwPreferencesWindow, palette_row);
  gtk_widget_class_bind_template_child (widget_class, TwPreferencesWindow, classes_row);
  gtk_widget_class_bind_template_child (widget_class, TwPreferencesWindow, method_row);
  gtk_widget_class_bind_template_child (widget_class, TwPreferencesWindow, analyst_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_policy_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_palette_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_classes_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_method_changed);
}

static void
tw_preferences_window_init (TwPreferencesWindow *self)
{
  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  tw_combo_row_show_whole (self->policy_row);
  self->filling = FALSE;
  self->cancellable = g_cancellable_new ();
  fill_palettes (self);
}

/* The map session of @parent (a Tractwise window has one as its "session" property), or
 * NULL: the preferences know the window only through its properties. */
static TwMapSession *
parent_session (GtkWindow *parent)
{
  TwMapSession *session = NULL;
  GParamSpec *pspec;

  if (parent == NULL)
    return NULL;
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (parent), "session");
  if (pspec == NULL || !g_type_is_a (pspec->value_type, TW_TYPE_MAP_SESSION))
    return NULL;
  g_object_get (parent, "session", &session, NULL);
  return session;
}

TwPreferencesWindow *
tw_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  TwPreferencesWindow *self;
  g_autoptr(TwMapSession) session = NULL;
  TwDocument *document = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (TW_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  session = parent_session (parent);
  self->window = session != NULL ? g_object_ref (parent) : NULL;
  self->settings = settings != NULL ? g_object_ref (settings) : NULL;
  load_settings (self);

  document = session != NULL ? tw_map_session_get_document (session) : NULL;
  if (document != NULL && tw_document_get_review_session (document) != NULL)
    {
      /* A review copy keeps the policy it was shared under, and hides nothing to reveal. */
      document = NULL;
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->policy_status_row),
                                     _("A read-only review copy is open"));
      adw_action_row_set_subtitle (self->policy_status_row,
                                   _("Its policy is the one it was shared under; only the "
                                     "workspace it came from can change it."));
      gtk_widget_set_sensitive (GTK_WIDGET (self->analyst_switch), FALSE);
    }
  if (document != NULL && tw_document_get_project_path (document) != NULL)
    self->document = g_object_ref (document);
  gtk_widget_set_visible (GTK_WIDGET (self->policy_status_row), self->document == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->policy_row), self->document != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->custom_row), FALSE);
  run_policy (self, NULL);

  if (self->window != NULL)
    g_object_bind_property (self->window, "analyst-view", self->analyst_switch, "active",
                            G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  else
    gtk_widget_set_sensitive (GTK_WIDGET (self->analyst_switch), FALSE);
  return self;
}

void
tw_preferences_window_set_policy (TwPreferencesWindow *self,
                                  const char          *preset,
                                  guint                min_count)
{
  TwSuppressionPolicy policy;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TW_IS_PREFERENCES_WINDOW (self));

  tw_suppression_policy_init (&policy);
  if (preset != NULL ? !tw_suppression_policy_set_preset (&policy, preset, &error)
                     : !tw_suppression_policy_set_min_count (&policy, min_count, &error))
    {
      g_warning ("%s", error->message);
      return;
    }
  run_policy (self, &policy);
}

gboolean
tw_preferences_window_get_busy (TwPreferencesWindow *self)
{
  g_return_val_if_fail (TW_IS_PREFERENCES_WINDOW (self), FALSE);

  return self->busy > 0;
}

/* The running application's settings, or NULL (a test without the schema). */
static GSettings *
app_settings (void)
{
  GApplication *app = g_application_get_default ();

  return TW_IS_APPLICATION (app) ? tw_application_get_settings (TW_APPLICATION (app)) : NULL;
}

static char *
user_string (const char *key)
{
  GSettings *settings = app_settings ();
  g_autofree char *value = settings != NULL ? g_settings_get_string (settings, key) : NULL;

  return g_strstrip (g_strdup (value != NULL ? value : ""));
}

char *
tw_preferences_get_user_name (void)
{
  return user_string ("user-name");
}

char *
tw_preferences_get_user_organisation (void)
{
  return user_string ("user-organisation");
}

void
tw_preferences_set_user (const char *name,
                         const char *organisation)
{
  GSettings *settings = app_settings ();

  if (settings == NULL)
    return;
  if (name != NULL)
    g_settings_set_string (settings, "user-name", name);
  if (organisation != NULL)
    g_settings_set_string (settings, "user-organisation", organisation);
}

char *
tw_preferences_describe_user (void)
{
  g_autofree char *name = tw_preferences_get_user_name ();
  g_autofree char *organisation = tw_preferences_get_user_organisation ();

  if (*name == '\0')
    return NULL;
  if (*organisation == '\0')
    return g_steal_pointer (&name);
  /* Translators: a person and their organisation, "Ana Ruiz (Boston Medical Center)" */
  return g_strdup_printf (_("%s (%s)"), name, organisation);
}
