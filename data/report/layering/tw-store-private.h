/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Found before data/store's own by data/report: the store's connection is for data/store. */
#error "tw-store-private.h in data/report: call a function of the store's public headers instead"
