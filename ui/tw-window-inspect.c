/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-window"

/* What the window tests and the speed checks look at and drive: each forwards to the part
 * of the window that holds it. Production code uses the parts themselves. */

#include <time.h>

#include "tw-window-private.h"

/* CPU time the main thread has used, in µs: on a busy machine the gap between frames says
 * as much about the other programs as about this one; this says what a frame cost us. */
static gint64
main_thread_cpu_time (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
on_frame_tick (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  TwWindow *self = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = main_thread_cpu_time ();

  if (self->last_frame_time != 0)
    {
      self->max_frame_gap = MAX (self->max_frame_gap, now - self->last_frame_time);
      self->max_frame_cpu = MAX (self->max_frame_cpu, cpu - self->last_frame_cpu);
    }
  self->last_frame_time = now;
  self->last_frame_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

ShumateSimpleMap *
tw_window_get_map (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  return tw_map_view_get_map (self->map_view);
}

gboolean
tw_window_get_map_drawn (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), FALSE);

  /* Not while the workspace's last map is still to be shown, nor while figures compute. */
  return self->last_map == NULL && self->last_map_idle == 0
         && !tw_map_session_get_busy (self->session)
         && tw_map_view_get_tiles_drawn (self->map_view);
}

void
tw_window_pointer_motion (TwWindow *self,
                          double    x,
                          double    y)
{
  g_return_if_fail (TW_IS_WINDOW (self));

  tw_map_view_pointer_motion (self->map_view, x, y);
}

void
tw_window_pointer_click (TwWindow *self,
                         double    x,
                         double    y)
{
  g_return_if_fail (TW_IS_WINDOW (self));

  tw_map_view_pointer_click (self->map_view, x, y);
}

char *
tw_window_get_details_text (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  return tw_map_view_get_details_text (self->map_view);
}

char *
tw_window_get_legend_text (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  return tw_map_view_get_legend_text (self->map_view);
}

TwAreaLayer *
tw_window_get_area_layer (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  return tw_map_session_get_layer (self->session);
}

TwChoropleth *
tw_window_get_choropleth (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  return tw_map_session_get_choropleth (self->session);
}

double
tw_window_get_open_ms (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), 0);

  return self->open_ms;
}

int
tw_window_get_hovered_area (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), -1);

  return tw_map_session_get_hovered_area (self->session);
}

int
tw_window_get_selected_area (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), -1);

  return tw_map_session_get_selected_area (self->session);
}

GtkEntry *
tw_window_get_breaks_entry (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  return tw_map_controls_get_breaks_entry (self->controls);
}

GtkDropDown *
tw_window_get_picker (TwWindow   *self,
                      const char *name)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  return tw_map_controls_get_picker (self->controls, name);
}

GtkColumnView *
tw_window_get_table (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  return tw_areas_table_get_view (self->areas_table);
}

GtkSingleSelection *
tw_window_get_table_selection (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  return tw_areas_table_get_selection (self->areas_table);
}

void
tw_window_watch_frames (TwWindow *self,
                        gboolean  watch)
{
  g_return_if_fail (TW_IS_WINDOW (self));

  if (watch && self->frame_tick_id == 0)
    {
      self->last_frame_time = 0;
      self->max_frame_gap = 0;
      self->max_frame_cpu = 0;
      self->frame_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_frame_tick,
                                                          self, NULL);
    }
  else if (!watch && self->frame_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->frame_tick_id);
      self->frame_tick_id = 0;
    }
}

double
tw_window_get_max_frame_gap (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), 0);

  return self->max_frame_gap / 1000.0;
}

double
tw_window_get_max_frame_cpu (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), 0);

  return self->max_frame_cpu / 1000.0;
}

const char *
tw_window_get_project_path (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  return self->path;
}

AdwViewStack *
tw_window_get_view_stack (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  return self->view_stack;
}

TwProjectsPage *
tw_window_get_projects_page (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  return self->projects_page;
}

TwPartnersPage *
tw_window_get_partners_page (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  return self->partners_page;
}

TwReviewBanner *
tw_window_get_review_banner (TwWindow *self)
{
  g_return_val_if_fail (TW_IS_WINDOW (self), NULL);

  return self->review_banner;
}
