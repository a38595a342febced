/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Found before cairo's own cairo-pdf.h by every part of Tractwise except data/report: only the
 * report writes PDF and SVG pages. */
#error "cairo-pdf.h outside data/report: write pages through data/report's functions instead"
