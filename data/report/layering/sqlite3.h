/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Found before the system's sqlite3.h by data/report, which cannot take build-aux/layering
 * (it is the one folder that writes PDF and SVG pages): only data/store sees SQLite. */
#error "sqlite3.h in data/report: call a function of the store's public headers instead"
