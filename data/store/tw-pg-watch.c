/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-pg"

#include <json-glib/json-glib.h>

#include "tw-pg.h"
#include "tw-pg-private.h"

/* A colleague's commit reaches the main loop: the workspace's triggers NOTIFY on its
 * channel, and this source wakes on the connection's socket (GLib only, no GTK). */

typedef struct
{
  GSource        source;
  TwPgWorkspace *workspace;
  gpointer       tag;
  GQueue         pending;  /* PGnotify *: read by a query of the connection, not yet told */
} WatchSource;

/* A query on the same connection may have read notifications already: the socket will not
 * wake for them, so they are taken here. */
static void
take_pending (WatchSource *self)
{
  PGnotify *notify;

  while ((notify = PQnotifies (tw_pg_workspace_get_conn (self->workspace))) != NULL)
    g_queue_push_tail (&self->pending, notify);
}

static gboolean
watch_prepare (GSource *source,
               int     *timeout)
{
  WatchSource *self = (WatchSource *) source;

  *timeout = -1;
  take_pending (self);
  return !g_queue_is_empty (&self->pending);
}

static gboolean
watch_check (GSource *source)
{
  WatchSource *self = (WatchSource *) source;

  return !g_queue_is_empty (&self->pending)
         || (g_source_query_unix_fd (source, self->tag) & (G_IO_IN | G_IO_HUP | G_IO_ERR)) != 0;
}

static void
watch_finalize (GSource *source)
{
  WatchSource *self = (WatchSource *) source;

  g_queue_clear_full (&self->pending, PQfreemem);
}

static gboolean
watch_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  WatchSource *self = (WatchSource *) source;
  PGconn *conn = tw_pg_workspace_get_conn (self->workspace);
  TwPgChangeFunc func = (TwPgChangeFunc) (gpointer) callback;
  PGnotify *notify;

  if (!PQconsumeInput (conn))
    {
      g_warning ("lost the team server's connection of workspace '%s': %s; changes by "
                 "colleagues are no longer seen", tw_pg_workspace_get_name (self->workspace),
                 PQerrorMessage (conn));
      return G_SOURCE_REMOVE;
    }
  take_pending (self);
  while ((notify = g_queue_pop_head (&self->pending)) != NULL)
    {
      /* Our own commits notify us too: only a colleague's matter. */
      if (notify->be_pid != PQbackendPID (conn) && func != NULL)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          const char *table = NULL;
          const char *who = NULL;

          if (json_parser_load_from_data (parser, notify->extra, -1, NULL)
              && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
            {
              JsonObject *object = json_node_get_object (json_parser_get_root (parser));

              table = json_object_get_string_member_with_default (object, "table", NULL);
              who = json_object_get_string_member_with_default (object, "who", NULL);
            }
          func (table != NULL ? table : "", who != NULL ? who : "", user_data);
        }
      PQfreemem (notify);
    }
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs watch_funcs = {
  .prepare = watch_prepare,
  .check = watch_check,
  .dispatch = watch_dispatch,
  .finalize = watch_finalize,
};

GSource *
tw_pg_watch_source_new (TwPgWorkspace   *self,
                        TwPgChangeFunc   func,
                        gpointer         user_data,
                        GDestroyNotify   destroy,
                        GError         **error)
{
  g_autofree char *sql = NULL;
  WatchSource *source;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (func != NULL, NULL);

  sql = g_strdup_printf ("LISTEN %s", tw_pg_workspace_get_schema_ident (self));
  if (!tw_pg_run (self, "watching the workspace", error, sql, 0, NULL))
    return NULL;

  source = (WatchSource *) g_source_new (&watch_funcs, sizeof (WatchSource));
  source->workspace = self;
  g_queue_init (&source->pending);
  source->tag = g_source_add_unix_fd ((GSource *) source,
                                      PQsocket (tw_pg_workspace_get_conn (self)), G_IO_IN);
  g_source_set_name ((GSource *) source, "tractwise team workspace");
  g_source_set_callback ((GSource *) source, (GSourceFunc) (gpointer) func, user_data, destroy);
  return (GSource *) source;
}
