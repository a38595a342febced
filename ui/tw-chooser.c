/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-chooser"

#include "tw-chooser.h"

GFile *
tw_chooser_get_local_file (GtkNativeDialog *native,
                           int              response)
{
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (GTK_IS_FILE_CHOOSER (native), NULL);

  if (response != GTK_RESPONSE_ACCEPT)
    return NULL;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  if (file == NULL || g_file_peek_path (file) == NULL)
    return NULL;
  return g_steal_pointer (&file);
}
