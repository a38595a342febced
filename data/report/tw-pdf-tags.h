/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * What cairo 1.16 cannot write into a tagged PDF, added with qpdf (its JSON form,
 * --update-from-json), never by editing the file's bytes: each Figure's alternative text
 * (/Alt), the document's language (/Lang) and that viewers show the title rather than the
 * file name (/DisplayDocTitle).
 */

/* Completes the tagged PDF at @path in place: @alts (char *) go to its Figure elements in
 * the structure tree's reading order, @language (BCP 47, or NULL) to its catalog. Without
 * qpdf on the PATH the file stays as cairo wrote it, with a warning. */
gboolean tw_pdf_tags_complete (const char  *path,
                               const char  *language,
                               GPtrArray   *alts,
                               GError     **error);

G_END_DECLS
