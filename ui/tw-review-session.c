/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-review-session"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "tw-document.h"
#include "tw-preferences-window.h"
#include "tw-review-project.h"
#include "tw-review-session.h"
#include "tw-store-lookups.h"
#include "tw-store.h"

struct _TwReviewSession
{
  GObject   parent_instance;

  char     *package;
  char     *project_path;
  TwReview *review;
  char     *author;
  char     *comments_path;
  GHashTable *area_names;  /* "geography\ngeoid" → name */
  gboolean  unsaved;
};

G_DEFINE_FINAL_TYPE (TwReviewSession, tw_review_session, G_TYPE_OBJECT)

#define FOLDER_PREFIX "tractwise-review-"
#define OWNER_FILE "owner.pid"

/* Removes a review folder: its project and the note of the process that made it. */
static void
delete_folder (const char *project_path)
{
  g_autofree char *folder = g_path_get_dirname (project_path);
  g_autofree char *owner = g_build_filename (folder, OWNER_FILE, NULL);

  g_unlink (owner);
  tw_review_project_delete (project_path);
}

/* A review copy is a temporary project, deleted when its window closes. One whose
 * Tractwise was killed is left behind: the next review removes it once the process that
 * wrote its owner.pid is gone. */
static void
remove_abandoned_folders (void)
{
  const char *tmp = g_get_tmp_dir ();
  g_autoptr(GDir) dir = g_dir_open (tmp, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *folder = NULL, *owner = NULL, *text = NULL, *project = NULL;
      gint64 pid;

      if (!g_str_has_prefix (name, FOLDER_PREFIX))
        continue;
      folder = g_build_filename (tmp, name, NULL);
      owner = g_build_filename (folder, OWNER_FILE, NULL);
      if (!g_file_get_contents (owner, &text, NULL, NULL))
        continue;
      pid = g_ascii_strtoll (text, NULL, 10);
      if (pid <= 0 || pid == getpid () || kill ((pid_t) pid, 0) == 0 || errno != ESRCH)
        continue;
      project = g_build_filename (folder, "review.tractwise", NULL);
      delete_folder (project);
    }
}

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
changed (TwReviewSession *self,
         gboolean         unsaved)
{
  self->unsaved = unsaved;
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
tw_review_session_finalize (GObject *object)
{
  TwReviewSession *self = TW_REVIEW_SESSION (object);

  /* The review project lives only as long as the review. */
  if (self->project_path != NULL)
    delete_folder (self->project_path);
  g_free (self->package);
  g_free (self->project_path);
  g_clear_pointer (&self->review, tw_review_free);
  g_free (self->author);
  g_free (self->comments_path);
  g_clear_pointer (&self->area_names, g_hash_table_unref);

  G_OBJECT_CLASS (tw_review_session_parent_class)->finalize (object);
}

static void
tw_review_session_class_init (TwReviewSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tw_review_session_finalize;

  /**
   * TwReviewSession::changed:
   *
   * Emitted when a comment is added, removed, loaded or saved, or the author changes.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tw_review_session_init (TwReviewSession *self)
{
  /* The name the user gave (Preferences, or the first comment); never the account's. */
  self->author = tw_preferences_get_user_name ();
  self->area_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

TwReviewSession *
tw_review_session_new (const char    *package,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(TwReviewSession) self = NULL;
  g_autoptr(TwReview) review = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (package != NULL, NULL);

  review = tw_review_open (package, cancellable, error);
  if (review == NULL)
    return NULL;
  remove_abandoned_folders ();
  folder = g_dir_make_tmp (FOLDER_PREFIX "XXXXXX", error);
  if (folder == NULL)
    return NULL;
  path = g_build_filename (folder, "review.tractwise", NULL);
  {
    g_autofree char *owner = g_build_filename (folder, OWNER_FILE, NULL);
    g_autofree char *pid = g_strdup_printf ("%d\n", (int) getpid ());

    g_file_set_contents (owner, pid, -1, NULL);
  }
  if (!tw_review_project_create (package, path, NULL, cancellable, error))
    {
      delete_folder (path);
      return NULL;
    }

  self = g_object_new (TW_TYPE_REVIEW_SESSION, NULL);
  self->package = g_strdup (package);
  self->project_path = g_steal_pointer (&path);
  self->review = g_steal_pointer (&review);

  /* The areas' names, for the comments list, read as any view reads the project: through
   * a document, on a read-only connection (this already runs in a worker thread). */
  {
    g_autoptr(GFile) file = g_file_new_for_path (package);
    g_autoptr(TwDocument) document = tw_document_new_for_path (file, self->project_path);
    g_autoptr(TwStore) store = tw_document_open_store (document, TW_DOCUMENT_READ, error);

    if (store == NULL)
      return NULL;
    g_clear_pointer (&self->area_names, g_hash_table_unref);
    if ((self->area_names = tw_store_list_area_names (store, error)) == NULL)
      return NULL;
  }
  return g_steal_pointer (&self);
}

const char *
tw_review_session_get_package (TwReviewSession *self)
{
  g_return_val_if_fail (TW_IS_REVIEW_SESSION (self), NULL);
  return self->package;
}

const char *
tw_review_session_get_project_path (TwReviewSession *self)
{
  g_return_val_if_fail (TW_IS_REVIEW_SESSION (self), NULL);
  return self->project_path;
}

const char *
tw_review_session_get_metadata (TwReviewSession *self,
                                const char      *key)
{
  g_return_val_if_fail (TW_IS_REVIEW_SESSION (self), NULL);
  return tw_review_get_metadata (self->review, key);
}

char *
tw_review_session_describe (TwReviewSession *self)
{
  const char *by, *at;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *date = NULL;
  g_autofree char *who = NULL;

  g_return_val_if_fail (TW_IS_REVIEW_SESSION (self), NULL);

  by = tw_review_get_metadata (self->review, "created_by");
  at = tw_review_get_metadata (self->review, "created_at");
  when = at != NULL ? g_date_time_new_from_iso8601 (at, NULL) : NULL;
  local = when != NULL ? g_date_time_to_local (when) : NULL;
  /* Translators: a date, as in "12 May 2024" */
  date = local != NULL ? g_date_time_format (local, _("%-d %B %Y"))
                       : g_strdup (_("an unknown date"));
  who = g_utf8_make_valid (by != NULL && *by != '\0' ? by : _("an unknown sender"), -1);
  /* Translators: the first %s is who made the package, the second the date */
  return g_strdup_printf (_("Review copy shared by %s on %s — read-only. Your comments are "
                            "saved to a separate file."), who, date);
}

const char *
tw_review_session_get_author (TwReviewSession *self)
{
  g_return_val_if_fail (TW_IS_REVIEW_SESSION (self), NULL);
  return self->author;
}

void
tw_review_session_set_author (TwReviewSession *self,
                              const char      *author)
{
  g_return_if_fail (TW_IS_REVIEW_SESSION (self));

  if (g_strcmp0 (self->author, author) == 0)
    return;
  g_free (self->author);
  self->author = g_strdup (author != NULL ? author : "");
  /* Remembered: the next comment, and the next package, start with it. */
  if (*self->author != '\0')
    tw_preferences_set_user (self->author, NULL);
  g_signal_emit (self, signals[CHANGED], 0);
}

guint
tw_review_session_get_n_comments (TwReviewSession *self)
{
  g_return_val_if_fail (TW_IS_REVIEW_SESSION (self), 0);
  return tw_review_get_n_comments (self->review);
}

const TwComment *
tw_review_session_get_comment (TwReviewSession *self,
                               guint            index)
{
  g_return_val_if_fail (TW_IS_REVIEW_SESSION (self), NULL);
  return tw_review_get_comment (self->review, index);
}

gboolean
tw_review_session_add_comment (TwReviewSession  *self,
                               const char       *geography,
                               const char       *geoid,
                               gint64            project_id,
                               const char       *body,
                               GError          **error)
{
  g_return_val_if_fail (TW_IS_REVIEW_SESSION (self), FALSE);

  if (!tw_review_add_comment (self->review, geography, geoid, project_id, self->author, body,
                              error))
    return FALSE;
  changed (self, TRUE);
  return TRUE;
}

void
tw_review_session_remove_comment (TwReviewSession *self,
                                  guint            index)
{
  g_return_if_fail (TW_IS_REVIEW_SESSION (self));
  g_return_if_fail (index < tw_review_get_n_comments (self->review));

  tw_review_remove_comment (self->review, index);
  changed (self, TRUE);
}

gboolean
tw_review_session_load (TwReviewSession  *self,
                        const char       *path,
                        GError          **error)
{
  g_return_val_if_fail (TW_IS_REVIEW_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!tw_review_load_comments (self->review, path, error))
    return FALSE;
  /* Saving again adds the new comments to the file they came from. */
  g_free (self->comments_path);
  self->comments_path = g_strdup (path);
  changed (self, self->unsaved);
  return TRUE;
}

gboolean
tw_review_session_save (TwReviewSession  *self,
                        const char       *path,
                        GError          **error)
{
  g_return_val_if_fail (TW_IS_REVIEW_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!tw_review_save_comments (self->review, path, error))
    return FALSE;
  g_free (self->comments_path);
  self->comments_path = g_strdup (path);
  changed (self, FALSE);
  return TRUE;
}

gboolean
tw_review_session_get_unsaved (TwReviewSession *self)
{
  g_return_val_if_fail (TW_IS_REVIEW_SESSION (self), FALSE);
  return self->unsaved;
}

const char *
tw_review_session_get_comments_path (TwReviewSession *self)
{
  g_return_val_if_fail (TW_IS_REVIEW_SESSION (self), NULL);
  return self->comments_path;
}

char *
tw_review_session_suggest_comments_path (TwReviewSession *self)
{
  g_autofree char *stem = NULL;

  g_return_val_if_fail (TW_IS_REVIEW_SESSION (self), NULL);

  if (self->comments_path != NULL)
    return g_strdup (self->comments_path);
  stem = g_str_has_suffix (self->package, ".gpkg")
         ? g_strndup (self->package, strlen (self->package) - strlen (".gpkg"))
         : g_strdup (self->package);
  return g_strconcat (stem, "-comments.json", NULL);
}

const char *
tw_review_session_get_area_name (TwReviewSession *self,
                                 const char      *geography,
                                 const char      *geoid)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (TW_IS_REVIEW_SESSION (self), NULL);

  key = g_strdup_printf ("%s\n%s", geography, geoid);
  return g_hash_table_lookup (self->area_names, key);
}

const char *
tw_review_session_get_project_title (TwReviewSession *self,
                                     gint64           project_id)
{
  g_return_val_if_fail (TW_IS_REVIEW_SESSION (self), NULL);
  return tw_review_get_project_title (self->review, project_id);
}
