/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Found before the system's libpq-fe.h by every part of Tractwise except data/store. */
#error "libpq-fe.h outside data/store: call a function of the store's public headers instead"
