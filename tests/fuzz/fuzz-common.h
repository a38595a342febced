/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "tw-store.h"

G_BEGIN_DECLS

/* libFuzzer's entry points: each harness defines the second, and the first when it has
 * set-up of its own (tw_fuzz_init runs on first use of the functions below anyway). */
int         LLVMFuzzerInitialize    (int            *argc,
                                     char         ***argv);
int         LLVMFuzzerTestOneInput  (const uint8_t  *data,
                                     size_t          size);

/* Quiets GDAL, makes GLib criticals fatal (none may be reachable from input) and creates a
 * scratch folder, removed at exit; once. */
void        tw_fuzz_init            (void);
/* A path in the scratch folder. */
const char *tw_fuzz_path            (const char     *name);
/* Writes @data to the scratch file @name and returns its path. */
const char *tw_fuzz_write           (const char     *name,
                                     const uint8_t  *data,
                                     size_t          size);
/* A file that tests/fuzz/make-corpus prepared in $TW_FUZZ_DIR (project.tractwise: the
 * North Carolina counties with outcomes, a partner and a project; package.gpkg: its share
 * package). Exits with a message when the folder was not prepared. */
const char *tw_fuzz_prepared        (const char     *name);
/* A fresh copy of the prepared project, opened; the previous copy is removed. */
TwStore    *tw_fuzz_open_project    (void);
/* The same for another project make-corpus prepared (crosswalk.tractwise). */
TwStore    *tw_fuzz_open_prepared_project (const char *name);
/* Removes a scratch file with its SQLite journals. */
void        tw_fuzz_remove          (const char     *path);

G_END_DECLS
