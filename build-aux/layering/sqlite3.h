/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Found before the system's sqlite3.h by every part of Tractwise except data/store: only the
 * store sees SQLite (../shared/DESIGN.md, "Layers"). Add a function to data/store instead. */
#error "sqlite3.h outside data/store: call a function of the store's public headers instead"
