/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-export-dialog"

#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tw-error-text.h"
#include "tw-export-dialog.h"
#include "tw-list-labels.h"
#include "tw-geometry.h"
#include "tw-chna.h"
#include "tw-csv-export.h"
#include "tw-html-export.h"
#include "tw-map-session.h"
#include "tw-outline-cache.h"
#include "tw-outlines.h"
#include "tw-preferences-window.h"
#include "tw-report-doc.h"
#include "tw-store.h"

/* Typing in a title redraws the preview once the typing pauses. */
#define PREVIEW_DELAY_MS 200
#define PREVIEW_MAX_PIXELS 1600

enum { SIZE_LETTER, SIZE_A4, SIZE_PIXELS };
/* The format row's last choices: the web map, one HTML file with no page size, and the
 * Community Health Needs Assessment, a report of its own on letter pages. */
#define FORMAT_WEB_MAP 3
#define FORMAT_CHNA 4
#define FORMAT_CSV 5

struct _TwExportDialog
{
  AdwWindow             parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkButton            *cancel_button;
  GtkButton            *export_button;
  GtkSpinner           *export_spinner;
  GtkStack             *preview_stack;
  GtkAspectFrame       *page_frame;
  GtkPicture           *preview_picture;
  GtkSpinner           *preview_spinner;
  GtkLabel             *error_label;
  GtkWidget            *settings_page;
  GtkWidget            *settings_column;
  GtkWidget            *settings_separator;
  GtkWidget            *text_group;
  GtkWidget            *report_group;
  AdwEntryRow          *organisation_row;
  AdwEntryRow          *source_row;
  AdwEntryRow          *title_row;
  AdwEntryRow          *subtitle_row;
  GtkSwitch            *north_arrow_switch;
  GtkWidget            *view_row;
  GtkSwitch            *view_switch;
  AdwPreferencesGroup  *file_group;
  AdwComboRow          *format_row;
  AdwComboRow          *size_row;
  GtkWidget            *landscape_row;
  GtkSwitch            *landscape_switch;
  GtkWidget            *dpi_row;
  GtkSpinButton        *dpi_spin;
  GtkWidget            *width_row;
  GtkSpinButton        *width_spin;
  GtkWidget            *height_row;
  GtkSpinButton        *height_spin;

  /* Owned references */
  TwDocument           *document;
  TwMapSession         *session;
  TwOutlineCache       *outlines;
  TwChoropleth         *map;
  TwLineSet            *counties;
  TwLineSet            *states;
  GdkTexture           *preview;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  char                 *error;

  /* Borrowed references */
  ShumateSimpleMap     *map_widget;   /* weak */

  gboolean              have_outlines;
  gboolean              has_view;      /* the map showed part of the region when opened */
  double                view[4];       /* that part: min lon, min lat, max lon, max lat */
  gboolean              prefilled;     /* the texts hold the page's defaults */
  gboolean              filling;
  gboolean              refused;
  gboolean              page_valid;
  gboolean              rendering;
  gboolean              writing;
  gboolean              previewed;     /* a preview was drawn from this project */
  gboolean              disposed;
  int                   area_width;    /* the space the last preview was drawn for */
  int                   area_height;
  guint                 generation;    /* the fields' changes */
  guint                 rendered_generation;
  guint                 debounce_id;
  TwMapFrame            preview_frame;
  double                preview_scale;
};

G_DEFINE_FINAL_TYPE (TwExportDialog, tw_export_dialog, ADW_TYPE_WINDOW)

enum {
  EXPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What a worker thread needs to lay out the page, and to write it. */
typedef struct _ExportResult ExportResult;

typedef struct
{
  TwChoropleth  *map;
  gboolean       have_outlines;
  TwLineSet     *counties;
  TwLineSet     *states;
  char          *title;       /* NULL: the page's default */
  char          *subtitle;
  gboolean       north_arrow;
  gboolean       has_extent;  /* only the part of the region the map showed */
  double         extent[4];
  TwExportPage   page;
  int            max_width;   /* of the preview */
  int            max_height;
  char          *out_path;    /* the file written, or NULL for a preview */
  gboolean       web_map;     /* written as the web map (HTML) rather than the page */
  gboolean       chna;        /* the CHNA report rather than the map */
  gboolean       csv;         /* the map's figures as a table, with its codebook */
  char          *organisation;
  char          *source;
  guint          generation;
  ExportResult  *result;      /* what the worker made */
} ExportJob;

struct _ExportResult
{
  TwMapExport   *export;
  gboolean       have_outlines;
  TwLineSet     *counties;
  TwLineSet     *states;
  GdkTexture    *texture;
  TwMapFrame     frame;
  double         scale;
  guint          generation;
};

static void export_result_free (ExportResult *result);

static void
export_job_free (ExportJob *job)
{
  g_clear_pointer (&job->result, export_result_free);
  g_clear_pointer (&job->map, tw_choropleth_unref);
  g_clear_pointer (&job->counties, tw_line_set_unref);
  g_clear_pointer (&job->states, tw_line_set_unref);
  g_free (job->title);
  g_free (job->subtitle);
  g_free (job->organisation);
  g_free (job->source);
  g_free (job->out_path);
  g_free (job);
}

static void
export_result_free (ExportResult *result)
{
  g_clear_pointer (&result->export, tw_map_export_unref);
  g_clear_pointer (&result->counties, tw_line_set_unref);
  g_clear_pointer (&result->states, tw_line_set_unref);
  g_clear_object (&result->texture);
  g_free (result);
}

/* Worker threads */

/* The page of @job's map, with the outlines built first when the job has none. */
static TwMapExport *
prepare_export (ExportJob     *job,
                TwStore       *store,
                GCancellable  *cancellable,
                GError       **error)
{
  TwMapLayout layout = { 0 };

  if (!job->have_outlines)
    {
      TwAreaLayer *layer = tw_choropleth_get_layer (job->map);
      TwBox extent;

      tw_geometry_set_get_extent (tw_area_layer_get_geometry (layer), &extent);
      tw_export_build_outlines (layer, &extent, cancellable, &job->counties, &job->states);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      job->have_outlines = TRUE;
    }
  layout.title = job->title;
  layout.subtitle = job->subtitle;
  layout.north_arrow = job->north_arrow;
  /* A part of the region gets outlines of its own: county lines that the whole region
   * had too many of may be told apart there. */
  layout.has_outlines = !job->has_extent;
  layout.counties = job->counties;
  layout.states = job->states;
  layout.has_extent = job->has_extent;
  memcpy (layout.extent, job->extent, sizeof layout.extent);
  return tw_map_export_new (store, job->map, &layout, cancellable, error);
}

static ExportResult *
export_result_new (ExportJob   *job,
                   TwMapExport *export)
{
  ExportResult *result = g_new0 (ExportResult, 1);

  result->export = export;
  result->generation = job->generation;
  result->have_outlines = job->have_outlines;
  result->counties = job->counties != NULL ? tw_line_set_ref (job->counties) : NULL;
  result->states = job->states != NULL ? tw_line_set_ref (job->states) : NULL;
  return result;
}

static gboolean
render_preview (TwStore       *store,
                gpointer       task_data,
                GCancellable  *cancellable,
                GError       **error)
{
  ExportJob *job = task_data;
  g_autoptr(GBytes) bytes = NULL;
  TwMapExport *export = NULL;
  ExportResult *result;
  cairo_surface_t *surface;
  cairo_t *cr;
  double scale;
  int width, height;

  if (!job->chna && (export = prepare_export (job, store, cancellable, error)) == NULL)
    return FALSE;
  result = export_result_new (job, export);

  scale = MIN (job->max_width / job->page.width, job->max_height / job->page.height);
  width = MAX (1, (int) floor (job->page.width * scale));
  height = MAX (1, (int) floor (job->page.height * scale));
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  if (job->chna)
    {
      TwChnaOptions options = { job->organisation, NULL, job->source };

      if (!tw_chna_render_first_page (store, &options, cr, cancellable, error))
        {
          cairo_destroy (cr);
          cairo_surface_destroy (surface);
          export_result_free (result);
          return FALSE;
        }
    }
  else
    tw_map_export_render (export, cr, job->page.width, job->page.height, &result->frame);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * height);
  result->texture = gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes,
                                            cairo_image_surface_get_stride (surface));
  result->scale = scale;
  cairo_surface_destroy (surface);
  job->result = result;
  return TRUE;
}

static gboolean
write_export (TwStore       *store,
              gpointer       task_data,
              GCancellable  *cancellable,
              GError       **error)
{
  ExportJob *job = task_data;
  g_autoptr(TwMapExport) export = NULL;
  gboolean existed = g_file_test (job->out_path, G_FILE_TEST_EXISTS);
  g_autofree char *folder = g_path_get_dirname (job->out_path);

  /* Said in words a user can act on, before cairo says "error while writing". */
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("the folder “%s” does not exist"), folder);
      return FALSE;
    }
  if (g_access (folder, W_OK) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("you may not write in the folder “%s”"), folder);
      return FALSE;
    }

  if (job->chna)
    {
      TwChnaOptions options = { job->organisation, NULL, job->source };

      if (!tw_chna_write (store, &options, job->out_path, NULL, error))
        {
          if ((*error)->domain != TW_EXPORT_ERROR && !existed)
            g_unlink (job->out_path);
          return FALSE;
        }
      job->result = export_result_new (job, NULL);
      return TRUE;
    }
  if (job->csv)
    {
      TwCsvOptions options = { 0 };
      g_autofree char *codebook = tw_csv_codebook_path (job->out_path);
      gboolean codebook_existed = g_file_test (codebook, G_FILE_TEST_EXISTS);

      options.measure = tw_choropleth_get_measure_code (job->map);
      options.period = tw_choropleth_get_period (job->map);
      options.stratum = tw_choropleth_get_stratum (job->map);
      options.geography = tw_area_layer_get_geography_name (tw_choropleth_get_layer (job->map));
      if (!tw_csv_export_write (store, &options, job->out_path, NULL, NULL, error))
        {
          /* Written but not in the audit log: neither file may stay. */
          if ((*error)->domain != TW_EXPORT_ERROR && !existed)
            g_unlink (job->out_path);
          if ((*error)->domain != TW_EXPORT_ERROR && !codebook_existed)
            g_unlink (codebook);
          return FALSE;
        }
      job->result = export_result_new (job, NULL);
      return TRUE;
    }
  if (job->web_map)
    {
      TwHtmlOptions options = { job->title, TW_HTML_LANGUAGE_EN };

      /* In the reader's language when it is one the web map speaks. */
      tw_html_language_from_string (g_get_language_names ()[0], &options.language, NULL);
      if (!tw_html_export_write (store, job->map, &options, job->out_path, NULL, error))
        {
          if ((*error)->domain != TW_EXPORT_ERROR && !existed)
            g_unlink (job->out_path);
          return FALSE;
        }
      job->result = export_result_new (job, NULL);
      return TRUE;
    }
  if ((export = prepare_export (job, store, cancellable, error)) == NULL)
    return FALSE;
  if (!tw_map_export_write (export, store, &job->page, job->out_path, NULL, error))
    {
      /* Written but not in the audit log: a file that left unrecorded must not stay. */
      if ((*error)->domain != TW_EXPORT_ERROR && !existed)
        g_unlink (job->out_path);
      return FALSE;
    }
  job->result = export_result_new (job, g_steal_pointer (&export));
  return TRUE;
}

/* Fields */

static gboolean
web_map_selected (TwExportDialog *self)
{
  return adw_combo_row_get_selected (self->format_row) == FORMAT_WEB_MAP;
}

static gboolean
chna_selected (TwExportDialog *self)
{
  return adw_combo_row_get_selected (self->format_row) == FORMAT_CHNA;
}

static gboolean
csv_selected (TwExportDialog *self)
{
  return adw_combo_row_get_selected (self->format_row) == FORMAT_CSV;
}

/* A letter page, portrait: the CHNA report's, whatever the map's size fields say. */
static void
chna_page (TwExportPage *page)
{
  page->format = TW_EXPORT_FORMAT_PDF;
  page->width = TW_DOC_PAGE_WIDTH;
  page->height = TW_DOC_PAGE_HEIGHT;
}

static TwExportFormat
selected_format (TwExportDialog *self)
{
  switch (adw_combo_row_get_selected (self->format_row))
    {
    case 0:
      return TW_EXPORT_FORMAT_PNG;
    case 1:
      return TW_EXPORT_FORMAT_SVG;
    default:
      return TW_EXPORT_FORMAT_PDF;
    }
}

static gboolean
read_page (TwExportDialog  *self,
           TwExportPage    *page,
           GError         **error)
{
  TwExportFormat format = selected_format (self);

  switch (adw_combo_row_get_selected (self->size_row))
    {
    case SIZE_PIXELS:
      return tw_export_page_for_pixels (page, format,
                                        gtk_spin_button_get_value_as_int (self->width_spin),
                                        gtk_spin_button_get_value_as_int (self->height_spin),
                                        error);
    case SIZE_A4:
      return tw_export_page_for_paper (page, format, "a4",
                                       gtk_switch_get_active (self->landscape_switch),
                                       gtk_spin_button_get_value (self->dpi_spin), error);
    default:
      return tw_export_page_for_paper (page, format, "letter",
                                       gtk_switch_get_active (self->landscape_switch),
                                       gtk_spin_button_get_value (self->dpi_spin), error);
    }
}

/* "11 × 8.5 in, 1650 × 1275 pixels": what the file will be. */
static char *
describe_page (TwExportDialog     *self,
               const TwExportPage *page)
{
  gboolean paper = adw_combo_row_get_selected (self->size_row) != SIZE_PIXELS;
  g_autofree char *size = NULL;

  if (paper && adw_combo_row_get_selected (self->size_row) == SIZE_A4)
    size = g_strdup_printf (_("%.0f × %.0f mm"), page->width / 72 * 25.4,
                            page->height / 72 * 25.4);
  else if (paper)
    size = g_strdup_printf (_("%g × %g in"), round (page->width / 72 * 10) / 10,
                            round (page->height / 72 * 10) / 10);

  if (page->format == TW_EXPORT_FORMAT_PNG)
    {
      g_autofree char *pixels = g_strdup_printf (_("%ld × %ld pixels"),
                                                 lround (page->width * page->dpi / 72),
                                                 lround (page->height * page->dpi / 72));

      return size != NULL ? g_strdup_printf ("%s, %s", size, pixels) : g_steal_pointer (&pixels);
    }
  if (size == NULL)
    size = g_strdup_printf (_("%ld × %ld pixels at 96 per inch"),
                            lround (page->width * 96 / 72), lround (page->height * 96 / 72));
  return g_strdup_printf (_("%s; the map and its text stay sharp at any size"), size);
}

static void
set_error (TwExportDialog *self,
           const char     *message)
{
  g_clear_pointer (&self->error, g_free);
  self->error = g_strdup (message);
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_sensitivity (TwExportDialog *self)
{
  gboolean busy = self->rendering || self->debounce_id != 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button),
                            !self->refused && !self->writing && self->page_valid
                            && self->previewed);
  gtk_widget_set_sensitive (self->settings_page, !self->refused && !self->writing);
  /* Nothing to set while refused: the reason takes the whole dialog. */
  gtk_widget_set_visible (self->settings_column, !self->refused);
  gtk_widget_set_visible (self->settings_separator, !self->refused);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), !self->writing);
  gtk_widget_set_visible (GTK_WIDGET (self->export_spinner), self->writing);
  gtk_spinner_set_spinning (self->export_spinner, self->writing);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_spinner), busy);
  gtk_spinner_set_spinning (self->preview_spinner, busy);
}

static const char *
entry_text_or_default (TwExportDialog *self,
                       AdwEntryRow    *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  /* Until the defaults are filled in, an empty entry asks for them. */
  return !self->prefilled && *text == '\0' ? NULL : text;
}

static ExportJob *
export_job_new (TwExportDialog     *self,
                const TwExportPage *page)
{
  ExportJob *job = g_new0 (ExportJob, 1);

  job->map = tw_choropleth_ref (self->map);
  job->have_outlines = self->have_outlines;
  job->counties = self->counties != NULL ? tw_line_set_ref (self->counties) : NULL;
  job->states = self->states != NULL ? tw_line_set_ref (self->states) : NULL;
  job->title = g_strdup (entry_text_or_default (self, self->title_row));
  job->subtitle = g_strdup (entry_text_or_default (self, self->subtitle_row));
  job->north_arrow = gtk_switch_get_active (self->north_arrow_switch);
  job->has_extent = self->has_view && gtk_switch_get_active (self->view_switch);
  memcpy (job->extent, self->view, sizeof job->extent);
  job->page = *page;
  job->generation = self->generation;
  job->chna = chna_selected (self);
  job->csv = csv_selected (self);
  if (job->chna)
    {
      job->organisation = g_strstrip (g_strdup (gtk_editable_get_text (
                                        GTK_EDITABLE (self->organisation_row))));
      job->source = g_strstrip (g_strdup (gtk_editable_get_text (
                                  GTK_EDITABLE (self->source_row))));
      chna_page (&job->page);
    }
  return job;
}

static void
take_outlines (TwExportDialog *self,
               ExportResult   *result)
{
  if (self->have_outlines || !result->have_outlines)
    return;
  self->have_outlines = TRUE;
  self->counties = g_steal_pointer (&result->counties);
  self->states = g_steal_pointer (&result->states);
  tw_outline_cache_store (self->outlines, tw_choropleth_get_layer (self->map),
                          self->counties, self->states);
}

static void
look_up_outlines (TwExportDialog *self)
{
  g_clear_pointer (&self->counties, tw_line_set_unref);
  g_clear_pointer (&self->states, tw_line_set_unref);
  self->have_outlines = tw_outline_cache_lookup (self->outlines,
                                                 tw_choropleth_get_layer (self->map),
                                                 &self->counties, &self->states);
}

static void start_preview (TwExportDialog *self);

static void
on_preview_rendered (GObject      *object,
                     GAsyncResult *res,
                     gpointer      user_data)
{
  g_autoptr(TwExportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  ExportJob *job = tw_document_run_get_task_data (res);
  ExportResult *result = tw_document_run_finish (TW_DOCUMENT (object), res, &error)
                         ? g_steal_pointer (&job->result) : NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->rendering = FALSE;
  if (result == NULL)
    {
      g_autofree char *message = NULL;
      g_autofree char *text = tw_error_text (error);

      if (error->domain == TW_EXPORT_ERROR)
        message = g_strdup_printf (_("This map cannot be exported. %s"), text);
      else
        message = g_strdup_printf (_("The workspace could not be read to lay out the page. "
                                     "%s Check that the workspace file is still there, then "
                                     "open the dialog again."), text);
      set_error (self, message);
      update_sensitivity (self);
      return;
    }

  take_outlines (self, result);
  if (!self->prefilled && result->export != NULL)
    {
      self->filling = TRUE;
      if (*gtk_editable_get_text (GTK_EDITABLE (self->title_row)) == '\0')
        gtk_editable_set_text (GTK_EDITABLE (self->title_row),
                               tw_map_export_get_title (result->export));
      if (*gtk_editable_get_text (GTK_EDITABLE (self->subtitle_row)) == '\0')
        gtk_editable_set_text (GTK_EDITABLE (self->subtitle_row),
                               tw_map_export_get_subtitle (result->export));
      self->filling = FALSE;
      self->prefilled = TRUE;
    }

  g_set_object (&self->preview, result->texture);
  gtk_picture_set_paintable (self->preview_picture, GDK_PAINTABLE (self->preview));
  self->preview_frame = result->frame;
  self->preview_scale = result->scale;
  self->rendered_generation = result->generation;
  self->previewed = TRUE;
  export_result_free (result);

  /* The fields changed while this one was drawn: draw the newest. */
  if (self->rendered_generation != self->generation && self->debounce_id == 0)
    start_preview (self);
  update_sensitivity (self);
}

static void
start_preview (TwExportDialog *self)
{
  TwExportPage page;
  ExportJob *job;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int width = gtk_widget_get_width (GTK_WIDGET (self->preview_stack)) - 48;
  int height = gtk_widget_get_height (GTK_WIDGET (self->preview_stack)) - 48;

  if (self->rendering || self->refused || !read_page (self, &page, NULL))
    return;
  self->area_width = width;
  self->area_height = height;
  if (width < 200 || height < 150)
    {
      /* Not allocated yet: the dialog's default size. */
      width = 620;
      height = 600;
    }
  g_debug ("Preview for %d × %d", width, height);
  job = export_job_new (self, &page);
  job->max_width = MIN (width * scale, PREVIEW_MAX_PIXELS);
  job->max_height = MIN (height * scale, PREVIEW_MAX_PIXELS);
  self->rendering = TRUE;
  tw_document_run_async (self->document, TW_DOCUMENT_READ, render_preview, job,
                         (GDestroyNotify) export_job_free, self->cancellable,
                         on_preview_rendered, g_object_ref (self));
  update_sensitivity (self);
}

static gboolean
on_debounce_timeout (gpointer user_data)
{
  TwExportDialog *self = user_data;

  self->debounce_id = 0;
  start_preview (self);
  update_sensitivity (self);
  return G_SOURCE_REMOVE;
}

static void
on_field_changed (TwExportDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  guint size = adw_combo_row_get_selected (self->size_row);
  TwExportFormat format = selected_format (self);
  gboolean chna = chna_selected (self);
  gboolean csv = csv_selected (self);
  gboolean web_map = web_map_selected (self) || chna || csv;
  TwExportPage page;

  if (self->filling)
    return;

  /* The web map has no page: its size is the reader's window; the report has its own. */
  gtk_widget_set_visible (self->text_group, !chna && !csv);
  adw_window_title_set_title (self->window_title, chna ? _("Export Report") : _("Export Map"));
  adw_window_title_set_subtitle (self->window_title,
                                 chna ? _("Community Health Needs Assessment")
                                 : tw_choropleth_get_measure_label (self->map));
  gtk_widget_set_visible (self->report_group, chna);
  gtk_widget_set_visible (GTK_WIDGET (self->size_row), !web_map);
  gtk_widget_set_visible (self->landscape_row, !web_map && size != SIZE_PIXELS);
  gtk_widget_set_visible (self->dpi_row, !web_map && size != SIZE_PIXELS
                                         && format == TW_EXPORT_FORMAT_PNG);
  gtk_widget_set_visible (self->width_row, !web_map && size == SIZE_PIXELS);
  gtk_widget_set_visible (self->height_row, !web_map && size == SIZE_PIXELS);

  self->page_valid = read_page (self, &page, &error);
  if (self->page_valid && chna)
    {
      summary = g_strdup (_("The data sections of a Community Health Needs Assessment on "
                            "letter pages, tagged for screen readers: the community served, "
                            "process and methods, community input, significant health needs, "
                            "resources available and impact of actions taken, from the whole "
                            "workspace. Suppressed figures are not in it."));
      gtk_aspect_frame_set_ratio (self->page_frame,
                                  (float) (TW_DOC_PAGE_WIDTH / TW_DOC_PAGE_HEIGHT));
      set_error (self, NULL);
    }
  else if (self->page_valid && csv)
    {
      summary = g_strdup (_("The map’s figures as a table for a spreadsheet: one row an area, "
                            "with the status of each figure and why. A codebook beside it "
                            "describes every column, its source and the policy. Suppressed "
                            "figures are not in it."));
      set_error (self, NULL);
    }
  else if (self->page_valid && web_map)
    {
      summary = g_strdup (_("One file that opens in any web browser, offline: the map, its "
                            "legend and a table of the areas. Suppressed figures are not in "
                            "it."));
      set_error (self, NULL);
    }
  else if (self->page_valid)
    {
      summary = describe_page (self, &page);
      gtk_aspect_frame_set_ratio (self->page_frame, (float) (page.width / page.height));
      set_error (self, NULL);
    }
  else
    {
      g_autofree char *text = tw_error_text (error);
      g_autofree char *message = g_strdup_printf (_("This size cannot be exported. %s"), text);
      set_error (self, message);
    }
  adw_preferences_group_set_description (self->file_group, summary);

  self->generation++;
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->page_valid && !self->refused)
    self->debounce_id = g_timeout_add (PREVIEW_DELAY_MS, on_debounce_timeout, self);
  update_sensitivity (self);
}

/* Export */

/* What a failed export did not write, as the start of the sentence that says so. */
static const char *
not_written (gboolean chna,
             gboolean csv)
{
  if (chna)
    return _("The CHNA report was not written");
  if (csv)
    return _("The table and its codebook were not written");
  return _("The map was not exported");
}

static void
on_written (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(TwExportDialog) self = user_data;
  ExportJob *job = tw_document_run_get_task_data (res);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (job->out_path);
  ExportResult *result = tw_document_run_finish (TW_DOCUMENT (object), res, &error)
                         ? g_steal_pointer (&job->result) : NULL;

  self->writing = FALSE;
  /* The window closed meanwhile, and the dialog with it. */
  if (self->disposed)
    {
      g_clear_pointer (&result, export_result_free);
      return;
    }
  if (result == NULL)
    {
      g_autofree char *message = NULL;
      g_autofree char *text = tw_error_text (error);
      const char *what = not_written (job->chna, job->csv);

      /* Translators: the first %s is what was not written ("The map was not exported"),
       * the second why */
      if (error->domain == G_IO_ERROR)
        message = g_strdup_printf (_("%s. %s Choose another folder and export again."),
                                   what, text);
      else if (g_error_matches (error, TW_EXPORT_ERROR, TW_EXPORT_ERROR_WRITE))
        message = g_strdup_printf (_("%s. %s Nothing was written; choose another folder or "
                                     "file name, or free some disk space, and export "
                                     "again."), what, text);
      else if (error->domain == TW_EXPORT_ERROR)
        message = g_strdup_printf (_("%s. %s"), what, text);
      else
        message = g_strdup_printf (_("%s: the workspace could not record it in its audit "
                                     "log. %s Nothing was written; check that the "
                                     "workspace file can be changed, then export again."),
                                   what, text);
      g_debug ("%s", message);
      set_error (self, message);
      update_sensitivity (self);
      return;
    }

  take_outlines (self, result);
  export_result_free (result);
  update_sensitivity (self);
  g_signal_emit (self, signals[EXPORTED], 0, file);
  gtk_window_destroy (GTK_WINDOW (self));
}

static const char *
format_suffix (TwExportDialog *self)
{
  if (chna_selected (self))
    return "pdf";
  if (csv_selected (self))
    return "csv";
  return web_map_selected (self) ? "html" : tw_export_format_to_string (selected_format (self));
}

/* "Sudden infant death syndrome, 1979–84" → a name a file can have. */
static char *
suggested_name (TwExportDialog *self)
{
  g_autofree char *base = g_strdup (chna_selected (self)
                                    ? _("Community Health Needs Assessment")
                                    : gtk_editable_get_text (GTK_EDITABLE (self->title_row)));

  g_strdelimit (base, "/\\:*?\"<>|", '-');
  g_strstrip (base);
  if (*base == '\0')
    {
      g_free (base);
      base = g_strdup (_("Map"));
    }
  return g_strdup_printf ("%s.%s", base, format_suffix (self));
}

static void
on_chooser_response (GtkNativeDialog *native,
                     int              response,
                     gpointer         user_data)
{
  TwExportDialog *self = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  gtk_native_dialog_destroy (native);
  g_clear_object (&self->chooser);
  if (file != NULL)
    tw_export_dialog_export_to (self, file);
}

static void
on_export_clicked (TwExportDialog *self)
{
  g_autofree char *name = suggested_name (self);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GFile) folder = NULL;
  TwExportFormat format = selected_format (self);
  g_autofree char *pattern = g_strdup_printf ("*.%s", format_suffix (self));
  g_autofree char *dir = g_path_get_dirname (tw_document_get_project_path (self->document));

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Export Map"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (filter, web_map_selected (self) ? _("Web pages")
                                    : csv_selected (self) ? _("CSV tables")
                                    : format == TW_EXPORT_FORMAT_PNG ? _("PNG images")
                                    : format == TW_EXPORT_FORMAT_SVG ? _("SVG drawings")
                                    : _("PDF documents"));
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  folder = g_file_new_for_path (dir);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_cancel_clicked (TwExportDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

/* Analyst view */

/* The lon/lat box the window's map shows, when it shows only a part of the region. */
static gboolean
map_view_extent (TwExportDialog *self,
                 double         *extent)
{
  ShumateSimpleMap *map = self->map_widget;
  ShumateViewport *viewport;
  double width, height, scale;
  double x, y;
  TwBox region, view;

  if (map == NULL)
    return FALSE;
  viewport = shumate_simple_map_get_viewport (map);
  width = gtk_widget_get_width (GTK_WIDGET (map));
  height = gtk_widget_get_height (GTK_WIDGET (map));
  scale = 256 * exp2 (shumate_viewport_get_zoom_level (viewport));
  if (width < 16 || height < 16)
    return FALSE;
  tw_world_from_lonlat (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                        shumate_location_get_latitude (SHUMATE_LOCATION (viewport)), &x, &y);
  view.min_x = x - width / 2 / scale;
  view.max_x = x + width / 2 / scale;
  view.min_y = y - height / 2 / scale;
  view.max_y = y + height / 2 / scale;
  tw_geometry_set_get_extent (tw_area_layer_get_geometry (tw_choropleth_get_layer (self->map)),
                              &region);
  /* The whole region on screen: nothing to choose. */
  if (view.min_x <= region.min_x && view.max_x >= region.max_x
      && view.min_y <= region.min_y && view.max_y >= region.max_y)
    return FALSE;
  view.min_x = MAX (view.min_x, region.min_x);
  view.max_x = MIN (view.max_x, region.max_x);
  view.min_y = MAX (view.min_y, region.min_y);
  view.max_y = MIN (view.max_y, region.max_y);
  if (!(view.max_x > view.min_x) || !(view.max_y > view.min_y))
    return FALSE;
  /* World y grows southward. */
  tw_world_to_lonlat (view.min_x, view.max_y, &extent[0], &extent[1]);
  tw_world_to_lonlat (view.max_x, view.min_y, &extent[2], &extent[3]);
  return TRUE;
}

/* The analyst view turned off (or another map computed) while refused: show the new map. */
static void
on_session_choropleth (TwExportDialog *self)
{
  TwChoropleth *map = tw_map_session_get_choropleth (self->session);

  if (!self->refused || map == NULL || tw_choropleth_get_reveal (map))
    return;

  g_clear_pointer (&self->map, tw_choropleth_unref);
  self->map = tw_choropleth_ref (map);
  look_up_outlines (self);
  self->has_view = map_view_extent (self, self->view);
  gtk_widget_set_visible (self->view_row, self->has_view);
  self->refused = FALSE;
  gtk_stack_set_visible_child_name (self->preview_stack, "preview");
  on_field_changed (self);
}

static void
on_turn_off_clicked (TwExportDialog *self)
{
  tw_map_session_set_reveal (self->session, FALSE);
}

/* The preview is drawn for the space it has: first once the dialog has its size, again
 * when the dialog is resized. */
static void
tw_export_dialog_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  TwExportDialog *self = TW_EXPORT_DIALOG (widget);
  int area_width, area_height;

  GTK_WIDGET_CLASS (tw_export_dialog_parent_class)->size_allocate (widget, width, height,
                                                                   baseline);
  if (self->refused || !self->page_valid || self->disposed)
    return;
  area_width = gtk_widget_get_width (GTK_WIDGET (self->preview_stack)) - 48;
  area_height = gtk_widget_get_height (GTK_WIDGET (self->preview_stack)) - 48;
  g_debug ("allocated: area %d × %d, previewed %d rendering %d", area_width, area_height,
           self->previewed, self->rendering);
  if (!self->previewed && !self->rendering)
    {
      g_clear_handle_id (&self->debounce_id, g_source_remove);
      start_preview (self);
      update_sensitivity (self);
    }
  else if (ABS (area_width - self->area_width) > 8 || ABS (area_height - self->area_height) > 8)
    {
      self->generation++;
      self->area_width = area_width;
      self->area_height = area_height;
      g_clear_handle_id (&self->debounce_id, g_source_remove);
      self->debounce_id = g_timeout_add (PREVIEW_DELAY_MS, on_debounce_timeout, self);
    }
}

/* A file being written is finished first. */
static gboolean
tw_export_dialog_close_request (GtkWindow *window)
{
  TwExportDialog *self = TW_EXPORT_DIALOG (window);

  if (self->writing)
    return TRUE;
  return GTK_WINDOW_CLASS (tw_export_dialog_parent_class)->close_request (window);
}

/* GObject */

static void
tw_export_dialog_dispose (GObject *object)
{
  TwExportDialog *self = TW_EXPORT_DIALOG (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->map_widget != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->map_widget), (gpointer *) &self->map_widget);
  self->map_widget = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), TW_TYPE_EXPORT_DIALOG);

  G_OBJECT_CLASS (tw_export_dialog_parent_class)->dispose (object);
}

static void
tw_export_dialog_finalize (GObject *object)
{
  TwExportDialog *self = TW_EXPORT_DIALOG (object);

  g_clear_object (&self->document);
  g_clear_object (&self->session);
  g_clear_object (&self->outlines);
  g_clear_pointer (&self->map, tw_choropleth_unref);
  g_clear_pointer (&self->counties, tw_line_set_unref);
  g_clear_pointer (&self->states, tw_line_set_unref);
  g_clear_object (&self->preview);
  g_clear_object (&self->cancellable);
  g_free (self->error);

  G_OBJECT_CLASS (tw_export_dialog_parent_class)->finalize (object);
}

static void
tw_export_dialog_class_init (TwExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tw_export_dialog_dispose;
  object_class->finalize = tw_export_dialog_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = tw_export_dialog_close_request;
  widget_class->size_allocate = tw_export_dialog_size_allocate;

  /**
   * TwExportDialog::exported:
   * @file: the file written
   *
   * Emitted when the map was written to @file and recorded in the audit log, just before
   * the dialog closes.
   */
  signals[EXPORTED] = g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_FILE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tractwise/Tractwise/"
                                               "tw-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, export_button);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, export_spinner);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, page_frame);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, preview_picture);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, preview_spinner);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, settings_page);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, settings_column);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, settings_separator);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, text_group);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, report_group);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, organisation_row);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, source_row);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, subtitle_row);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, north_arrow_switch);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, view_row);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, view_switch);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, file_group);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, format_row);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, size_row);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, landscape_row);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, landscape_switch);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, dpi_row);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, dpi_spin);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, width_row);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, width_spin);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, height_row);
  gtk_widget_class_bind_template_child (widget_class, TwExportDialog, height_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_turn_off_clicked);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tw_export_dialog_init (TwExportDialog *self)
{
  g_autofree char *organisation = tw_preferences_get_user_organisation ();

  self->filling = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  tw_combo_row_show_whole (self->format_row);
  /* The report names the organisation of Preferences; empty, the workspace's. */
  gtk_editable_set_text (GTK_EDITABLE (self->organisation_row), organisation);
  self->filling = FALSE;
  self->cancellable = g_cancellable_new ();
}

/* Public API */

TwExportDialog *
tw_export_dialog_new (GtkWindow        *parent,
                      TwDocument       *document,
                      TwMapSession     *session,
                      ShumateSimpleMap *map_widget,
                      TwOutlineCache   *outlines)
{
  TwExportDialog *self;
  TwChoropleth *map;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (TW_IS_DOCUMENT (document), NULL);
  g_return_val_if_fail (tw_document_get_project_path (document) != NULL, NULL);
  g_return_val_if_fail (TW_IS_MAP_SESSION (session), NULL);
  g_return_val_if_fail (map_widget == NULL || SHUMATE_IS_SIMPLE_MAP (map_widget), NULL);
  g_return_val_if_fail (outlines == NULL || TW_IS_OUTLINE_CACHE (outlines), NULL);
  map = tw_map_session_get_choropleth (session);
  g_return_val_if_fail (map != NULL, NULL);

  self = g_object_new (TW_TYPE_EXPORT_DIALOG, "transient-for", parent, NULL);
  self->map_widget = map_widget;
  if (map_widget != NULL)
    g_object_add_weak_pointer (G_OBJECT (map_widget), (gpointer *) &self->map_widget);
  self->document = g_object_ref (document);
  self->session = g_object_ref (session);
  self->outlines = outlines != NULL ? g_object_ref (outlines) : tw_outline_cache_new ();
  self->map = tw_choropleth_ref (map);
  look_up_outlines (self);
  self->has_view = map_view_extent (self, self->view);
  gtk_widget_set_visible (self->view_row, self->has_view);
  adw_window_title_set_subtitle (self->window_title, tw_choropleth_get_measure_label (map));

  /* The data layer refuses a revealed map too; here the user learns how to go on. */
  self->refused = tw_choropleth_get_reveal (map);
  g_signal_connect_object (session, "notify::choropleth", G_CALLBACK (on_session_choropleth),
                           self, G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->preview_stack, self->refused ? "refused" : "preview");
  /* The first preview is drawn once the dialog has its size. */
  on_field_changed (self);
  return self;
}

void
tw_export_dialog_set_page (TwExportDialog *self,
                           TwExportFormat  format,
                           const char     *paper,
                           gboolean        landscape,
                           double          dpi,
                           int             width,
                           int             height)
{
  g_return_if_fail (TW_IS_EXPORT_DIALOG (self));

  self->filling = TRUE;
  adw_combo_row_set_selected (self->format_row, format == TW_EXPORT_FORMAT_PNG ? 0
                                                : format == TW_EXPORT_FORMAT_SVG ? 1 : 2);
  adw_combo_row_set_selected (self->size_row, paper == NULL ? SIZE_PIXELS
                                              : g_ascii_strcasecmp (paper, "a4") == 0
                                              ? SIZE_A4 : SIZE_LETTER);
  gtk_switch_set_active (self->landscape_switch, landscape);
  if (dpi > 0)
    gtk_spin_button_set_value (self->dpi_spin, dpi);
  if (width > 0)
    gtk_spin_button_set_value (self->width_spin, width);
  if (height > 0)
    gtk_spin_button_set_value (self->height_spin, height);
  self->filling = FALSE;
  on_field_changed (self);
}

void
tw_export_dialog_choose_web_map (TwExportDialog *self)
{
  g_return_if_fail (TW_IS_EXPORT_DIALOG (self));

  adw_combo_row_set_selected (self->format_row, FORMAT_WEB_MAP);
}

void
tw_export_dialog_choose_chna (TwExportDialog *self,
                              const char     *organisation,
                              const char     *source)
{
  g_return_if_fail (TW_IS_EXPORT_DIALOG (self));

  self->filling = TRUE;
  if (organisation != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->organisation_row), organisation);
  if (source != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->source_row), source);
  self->filling = FALSE;
  if (chna_selected (self))
    on_field_changed (self);
  else
    adw_combo_row_set_selected (self->format_row, FORMAT_CHNA);
}

void
tw_export_dialog_choose_csv (TwExportDialog *self)
{
  g_return_if_fail (TW_IS_EXPORT_DIALOG (self));

  adw_combo_row_set_selected (self->format_row, FORMAT_CSV);
}

void
tw_export_dialog_set_texts (TwExportDialog *self,
                            const char     *title,
                            const char     *subtitle,
                            gboolean        north_arrow)
{
  g_return_if_fail (TW_IS_EXPORT_DIALOG (self));

  self->filling = TRUE;
  if (title != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->title_row), title);
  if (subtitle != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->subtitle_row), subtitle);
  gtk_switch_set_active (self->north_arrow_switch, north_arrow);
  self->filling = FALSE;
  on_field_changed (self);
}

const char *
tw_export_dialog_get_title_text (TwExportDialog *self)
{
  g_return_val_if_fail (TW_IS_EXPORT_DIALOG (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->title_row));
}

const char *
tw_export_dialog_get_subtitle_text (TwExportDialog *self)
{
  g_return_val_if_fail (TW_IS_EXPORT_DIALOG (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->subtitle_row));
}

gboolean
tw_export_dialog_get_busy (TwExportDialog *self)
{
  g_return_val_if_fail (TW_IS_EXPORT_DIALOG (self), FALSE);

  /* A refused map waits for the session's next one. */
  return self->rendering || self->writing || self->debounce_id != 0
         || (self->refused && tw_map_session_get_busy (self->session));
}

gboolean
tw_export_dialog_get_refused (TwExportDialog *self)
{
  g_return_val_if_fail (TW_IS_EXPORT_DIALOG (self), FALSE);

  return self->refused;
}

gboolean
tw_export_dialog_get_view_available (TwExportDialog *self)
{
  g_return_val_if_fail (TW_IS_EXPORT_DIALOG (self), FALSE);

  return self->has_view && gtk_widget_get_visible (self->view_row);
}

void
tw_export_dialog_set_view_only (TwExportDialog *self,
                                gboolean        only)
{
  g_return_if_fail (TW_IS_EXPORT_DIALOG (self));

  gtk_switch_set_active (self->view_switch, only);
}

GdkTexture *
tw_export_dialog_get_preview (TwExportDialog *self,
                              TwMapFrame     *frame,
                              double         *scale)
{
  g_return_val_if_fail (TW_IS_EXPORT_DIALOG (self), NULL);

  if (frame != NULL)
    *frame = self->preview_frame;
  if (scale != NULL)
    *scale = self->preview_scale;
  return self->preview;
}

GtkWidget *
tw_export_dialog_get_preview_widget (TwExportDialog *self)
{
  g_return_val_if_fail (TW_IS_EXPORT_DIALOG (self), NULL);

  return GTK_WIDGET (self->preview_picture);
}

const char *
tw_export_dialog_get_error (TwExportDialog *self)
{
  g_return_val_if_fail (TW_IS_EXPORT_DIALOG (self), NULL);

  return self->error;
}

void
tw_export_dialog_export_to (TwExportDialog *self,
                            GFile          *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  TwExportFormat format = selected_format (self), named;
  TwExportPage page;
  ExportJob *job;

  g_return_if_fail (TW_IS_EXPORT_DIALOG (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->writing || self->refused)
    return;
  if (!read_page (self, &page, &error))
    {
      g_autofree char *text = tw_error_text (error);
      g_autofree char *message = g_strdup_printf (_("This size cannot be exported. %s"), text);
      set_error (self, message);
      return;
    }
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      /* Translators: the first %s is what was not written, the second a URI */
      g_autofree char *message = g_strdup_printf (_("%s: “%s” is not on a disk of this "
                                                    "computer. Choose a folder on a local "
                                                    "disk."),
                                                  not_written (chna_selected (self),
                                                               csv_selected (self)), uri);
      set_error (self, message);
      return;
    }
  /* The file's kind is the one chosen here; a name without its suffix gets it. */
  if (web_map_selected (self) ? !g_str_has_suffix (path, ".html")
      : chna_selected (self) ? !g_str_has_suffix (path, ".pdf")
      : csv_selected (self) ? !g_str_has_suffix (path, ".csv")
      : !tw_export_format_from_path (path, &named, NULL) || named != format)
    {
      g_autofree char *fixed = g_strdup_printf ("%s.%s", path, format_suffix (self));

      if (g_file_test (fixed, G_FILE_TEST_EXISTS))
        {
          /* Translators: the first %s is what was not written, the second a file */
          g_autofree char *message = g_strdup_printf (_("%s: “%s” already exists. Choose it "
                                                        "in the file chooser to replace it, "
                                                        "or give another name."),
                                                      not_written (chna_selected (self),
                                                                   csv_selected (self)),
                                                      fixed);
          set_error (self, message);
          return;
        }
      g_free (path);
      path = g_steal_pointer (&fixed);
    }

  set_error (self, NULL);
  job = export_job_new (self, &page);
  job->out_path = g_steal_pointer (&path);
  job->web_map = web_map_selected (self);
  self->writing = TRUE;
  /* Not cancellable: a file begun is finished, or removed, and always audited. */
  tw_document_run_async (self->document, TW_DOCUMENT_WRITE, write_export, job,
                         (GDestroyNotify) export_job_free, NULL, on_written,
                         g_object_ref (self));
  update_sensitivity (self);
}
