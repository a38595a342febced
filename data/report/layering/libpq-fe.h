/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Found before the system's libpq-fe.h by data/report: only data/store sees a database. */
#error "libpq-fe.h in data/report: call a function of the store's public headers instead"
