/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-palette"

#include "config.h"

#include "tw-palette.h"

/*
 * The colour tables below are ColorBrewer 2.0 (https://colorbrewer2.org), by Cynthia
 * Brewer, Mark Harrower and The Pennsylvania State University, used under the Apache
 * License 2.0:
 *
 *   Copyright (c) 2002 Cynthia Brewer, Mark Harrower, and The Pennsylvania State
 *   University. Licensed under the Apache License, Version 2.0; you may obtain a copy
 *   of the License at http://www.apache.org/licenses/LICENSE-2.0. Unless required by
 *   applicable law or agreed to in writing, software distributed under the License is
 *   distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND.
 *
 *   This product includes color specifications and designs developed by Cynthia
 *   Brewer (http://colorbrewer.org/).
 *
 * The values were written out from the R package RColorBrewer 1.1-3 (Debian
 * r-cran-rcolorbrewer), which carries the same published tables; "colour-blind safe" is
 * ColorBrewer's own rating (RColorBrewer's brewer.pal.info$colorblind), which for these
 * schemes holds at every class count from 3 to 9.
 *
 * Each table holds the 3-class scheme, then the 4-class one, … up to 9 classes.
 */

struct _TwPalette
{
  const char     *name;
  TwPaletteKind   kind;
  gboolean        colorblind_safe;
  const guint32  *colors;
};

static const guint32 blues[] = {
  /* 3 */ 0xDEEBF7, 0x9ECAE1, 0x3182BD,
  /* 4 */ 0xEFF3FF, 0xBDD7E7, 0x6BAED6, 0x2171B5,
  /* 5 */ 0xEFF3FF, 0xBDD7E7, 0x6BAED6, 0x3182BD, 0x08519C,
  /* 6 */ 0xEFF3FF, 0xC6DBEF, 0x9ECAE1, 0x6BAED6, 0x3182BD, 0x08519C,
  /* 7 */ 0xEFF3FF, 0xC6DBEF, 0x9ECAE1, 0x6BAED6, 0x4292C6, 0x2171B5, 0x084594,
  /* 8 */ 0xF7FBFF, 0xDEEBF7, 0xC6DBEF, 0x9ECAE1, 0x6BAED6, 0x4292C6, 0x2171B5, 0x084594,
  /* 9 */ 0xF7FBFF, 0xDEEBF7, 0xC6DBEF, 0x9ECAE1, 0x6BAED6, 0x4292C6, 0x2171B5, 0x08519C, 0x08306B,
};

static const guint32 bugn[] = {
  /* 3 */ 0xE5F5F9, 0x99D8C9, 0x2CA25F,
  /* 4 */ 0xEDF8FB, 0xB2E2E2, 0x66C2A4, 0x238B45,
  /* 5 */ 0xEDF8FB, 0xB2E2E2, 0x66C2A4, 0x2CA25F, 0x006D2C,
  /* 6 */ 0xEDF8FB, 0xCCECE6, 0x99D8C9, 0x66C2A4, 0x2CA25F, 0x006D2C,
  /* 7 */ 0xEDF8FB, 0xCCECE6, 0x99D8C9, 0x66C2A4, 0x41AE76, 0x238B45, 0x005824,
  /* 8 */ 0xF7FCFD, 0xE5F5F9, 0xCCECE6, 0x99D8C9, 0x66C2A4, 0x41AE76, 0x238B45, 0x005824,
  /* 9 */ 0xF7FCFD, 0xE5F5F9, 0xCCECE6, 0x99D8C9, 0x66C2A4, 0x41AE76, 0x238B45, 0x006D2C, 0x00441B,
};

static const guint32 bupu[] = {
  /* 3 */ 0xE0ECF4, 0x9EBCDA, 0x8856A7,
  /* 4 */ 0xEDF8FB, 0xB3CDE3, 0x8C96C6, 0x88419D,
  /* 5 */ 0xEDF8FB, 0xB3CDE3, 0x8C96C6, 0x8856A7, 0x810F7C,
  /* 6 */ 0xEDF8FB, 0xBFD3E6, 0x9EBCDA, 0x8C96C6, 0x8856A7, 0x810F7C,
  /* 7 */ 0xEDF8FB, 0xBFD3E6, 0x9EBCDA, 0x8C96C6, 0x8C6BB1, 0x88419D, 0x6E016B,
  /* 8 */ 0xF7FCFD, 0xE0ECF4, 0xBFD3E6, 0x9EBCDA, 0x8C96C6, 0x8C6BB1, 0x88419D, 0x6E016B,
  /* 9 */ 0xF7FCFD, 0xE0ECF4, 0xBFD3E6, 0x9EBCDA, 0x8C96C6, 0x8C6BB1, 0x88419D, 0x810F7C, 0x4D004B,
};

static const guint32 gnbu[] = {
  /* 3 */ 0xE0F3DB, 0xA8DDB5, 0x43A2CA,
  /* 4 */ 0xF0F9E8, 0xBAE4BC, 0x7BCCC4, 0x2B8CBE,
  /* 5 */ 0xF0F9E8, 0xBAE4BC, 0x7BCCC4, 0x43A2CA, 0x0868AC,
  /* 6 */ 0xF0F9E8, 0xCCEBC5, 0xA8DDB5, 0x7BCCC4, 0x43A2CA, 0x0868AC,
  /* 7 */ 0xF0F9E8, 0xCCEBC5, 0xA8DDB5, 0x7BCCC4, 0x4EB3D3, 0x2B8CBE, 0x08589E,
  /* 8 */ 0xF7FCF0, 0xE0F3DB, 0xCCEBC5, 0xA8DDB5, 0x7BCCC4, 0x4EB3D3, 0x2B8CBE, 0x08589E,
  /* 9 */ 0xF7FCF0, 0xE0F3DB, 0xCCEBC5, 0xA8DDB5, 0x7BCCC4, 0x4EB3D3, 0x2B8CBE, 0x0868AC, 0x084081,
};

static const guint32 greens[] = {
  /* 3 */ 0xE5F5E0, 0xA1D99B, 0x31A354,
  /* 4 */ 0xEDF8E9, 0xBAE4B3, 0x74C476, 0x238B45,
  /* 5 */ 0xEDF8E9, 0xBAE4B3, 0x74C476, 0x31A354, 0x006D2C,
  /* 6 */ 0xEDF8E9, 0xC7E9C0, 0xA1D99B, 0x74C476, 0x31A354, 0x006D2C,
  /* 7 */ 0xEDF8E9, 0xC7E9C0, 0xA1D99B, 0x74C476, 0x41AB5D, 0x238B45, 0x005A32,
  /* 8 */ 0xF7FCF5, 0xE5F5E0, 0xC7E9C0, 0xA1D99B, 0x74C476, 0x41AB5D, 0x238B45, 0x005A32,
  /* 9 */ 0xF7FCF5, 0xE5F5E0, 0xC7E9C0, 0xA1D99B, 0x74C476, 0x41AB5D, 0x238B45, 0x006D2C, 0x00441B,
};

static const guint32 greys[] = {
  /* 3 */ 0xF0F0F0, 0xBDBDBD, 0x636363,
  /* 4 */ 0xF7F7F7, 0xCCCCCC, 0x969696, 0x525252,
  /* 5 */ 0xF7F7F7, 0xCCCCCC, 0x969696, 0x636363, 0x252525,
  /* 6 */ 0xF7F7F7, 0xD9D9D9, 0xBDBDBD, 0x969696, 0x636363, 0x252525,
  /* 7 */ 0xF7F7F7, 0xD9D9D9, 0xBDBDBD, 0x969696, 0x737373, 0x525252, 0x252525,
  /* 8 */ 0xFFFFFF, 0xF0F0F0, 0xD9D9D9, 0xBDBDBD, 0x969696, 0x737373, 0x525252, 0x252525,
  /* 9 */ 0xFFFFFF, 0xF0F0F0, 0xD9D9D9, 0xBDBDBD, 0x969696, 0x737373, 0x525252, 0x252525, 0x000000,
};

static const guint32 oranges[] = {
  /* 3 */ 0xFEE6CE, 0xFDAE6B, 0xE6550D,
  /* 4 */ 0xFEEDDE, 0xFDBE85, 0xFD8D3C, 0xD94701,
  /* 5 */ 0xFEEDDE, 0xFDBE85, 0xFD8D3C, 0xE6550D, 0xA63603,
  /* 6 */ 0xFEEDDE, 0xFDD0A2, 0xFDAE6B, 0xFD8D3C, 0xE6550D, 0xA63603,
  /* 7 */ 0xFEEDDE, 0xFDD0A2, 0xFDAE6B, 0xFD8D3C, 0xF16913, 0xD94801, 0x8C2D04,
  /* 8 */ 0xFFF5EB, 0xFEE6CE, 0xFDD0A2, 0xFDAE6B, 0xFD8D3C, 0xF16913, 0xD94801, 0x8C2D04,
  /* 9 */ 0xFFF5EB, 0xFEE6CE, 0xFDD0A2, 0xFDAE6B, 0xFD8D3C, 0xF16913, 0xD94801, 0xA63603, 0x7F2704,
};

static const guint32 orrd[] = {
  /* 3 */ 0xFEE8C8, 0xFDBB84, 0xE34A33,
  /* 4 */ 0xFEF0D9, 0xFDCC8A, 0xFC8D59, 0xD7301F,
  /* 5 */ 0xFEF0D9, 0xFDCC8A, 0xFC8D59, 0xE34A33, 0xB30000,
  /* 6 */ 0xFEF0D9, 0xFDD49E, 0xFDBB84, 0xFC8D59, 0xE34A33, 0xB30000,
  /* 7 */ 0xFEF0D9, 0xFDD49E, 0xFDBB84, 0xFC8D59, 0xEF6548, 0xD7301F, 0x990000,
  /* 8 */ 0xFFF7EC, 0xFEE8C8, 0xFDD49E, 0xFDBB84, 0xFC8D59, 0xEF6548, 0xD7301F, 0x990000,
  /* 9 */ 0xFFF7EC, 0xFEE8C8, 0xFDD49E, 0xFDBB84, 0xFC8D59, 0xEF6548, 0xD7301F, 0xB30000, 0x7F0000,
};

static const guint32 pubu[] = {
  /* 3 */ 0xECE7F2, 0xA6BDDB, 0x2B8CBE,
  /* 4 */ 0xF1EEF6, 0xBDC9E1, 0x74A9CF, 0x0570B0,
  /* 5 */ 0xF1EEF6, 0xBDC9E1, 0x74A9CF, 0x2B8CBE, 0x045A8D,
  /* 6 */ 0xF1EEF6, 0xD0D1E6, 0xA6BDDB, 0x74A9CF, 0x2B8CBE, 0x045A8D,
  /* 7 */ 0xF1EEF6, 0xD0D1E6, 0xA6BDDB, 0x74A9CF, 0x3690C0, 0x0570B0, 0x034E7B,
  /* 8 */ 0xFFF7FB, 0xECE7F2, 0xD0D1E6, 0xA6BDDB, 0x74A9CF, 0x3690C0, 0x0570B0, 0x034E7B,
  /* 9 */ 0xFFF7FB, 0xECE7F2, 0xD0D1E6, 0xA6BDDB, 0x74A9CF, 0x3690C0, 0x0570B0, 0x045A8D, 0x023858,
};

static const guint32 pubugn[] = {
  /* 3 */ 0xECE2F0, 0xA6BDDB, 0x1C9099,
  /* 4 */ 0xF6EFF7, 0xBDC9E1, 0x67A9CF, 0x02818A,
  /* 5 */ 0xF6EFF7, 0xBDC9E1, 0x67A9CF, 0x1C9099, 0x016C59,
  /* 6 */ 0xF6EFF7, 0xD0D1E6, 0xA6BDDB, 0x67A9CF, 0x1C9099, 0x016C59,
  /* 7 */ 0xF6EFF7, 0xD0D1E6, 0xA6BDDB, 0x67A9CF, 0x3690C0, 0x02818A, 0x016450,
  /* 8 */ 0xFFF7FB, 0xECE2F0, 0xD0D1E6, 0xA6BDDB, 0x67A9CF, 0x3690C0, 0x02818A, 0x016450,
  /* 9 */ 0xFFF7FB, 0xECE2F0, 0xD0D1E6, 0xA6BDDB, 0x67A9CF, 0x3690C0, 0x02818A, 0x016C59, 0x014636,
};

static const guint32 purd[] = {
  /* 3 */ 0xE7E1EF, 0xC994C7, 0xDD1C77,
  /* 4 */ 0xF1EEF6, 0xD7B5D8, 0xDF65B0, 0xCE1256,
  /* 5 */ 0xF1EEF6, 0xD7B5D8, 0xDF65B0, 0xDD1C77, 0x980043,
  /* 6 */ 0xF1EEF6, 0xD4B9DA, 0xC994C7, 0xDF65B0, 0xDD1C77, 0x980043,
  /* 7 */ 0xF1EEF6, 0xD4B9DA, 0xC994C7, 0xDF65B0, 0xE7298A, 0xCE1256, 0x91003F,
  /* 8 */ 0xF7F4F9, 0xE7E1EF, 0xD4B9DA, 0xC994C7, 0xDF65B0, 0xE7298A, 0xCE1256, 0x91003F,
  /* 9 */ 0xF7F4F9, 0xE7E1EF, 0xD4B9DA, 0xC994C7, 0xDF65B0, 0xE7298A, 0xCE1256, 0x980043, 0x67001F,
};

static const guint32 purples[] = {
  /* 3 */ 0xEFEDF5, 0xBCBDDC, 0x756BB1,
  /* 4 */ 0xF2F0F7, 0xCBC9E2, 0x9E9AC8, 0x6A51A3,
  /* 5 */ 0xF2F0F7, 0xCBC9E2, 0x9E9AC8, 0x756BB1, 0x54278F,
  /* 6 */ 0xF2F0F7, 0xDADAEB, 0xBCBDDC, 0x9E9AC8, 0x756BB1, 0x54278F,
  /* 7 */ 0xF2F0F7, 0xDADAEB, 0xBCBDDC, 0x9E9AC8, 0x807DBA, 0x6A51A3, 0x4A1486,
  /* 8 */ 0xFCFBFD, 0xEFEDF5, 0xDADAEB, 0xBCBDDC, 0x9E9AC8, 0x807DBA, 0x6A51A3, 0x4A1486,
  /* 9 */ 0xFCFBFD, 0xEFEDF5, 0xDADAEB, 0xBCBDDC, 0x9E9AC8, 0x807DBA, 0x6A51A3, 0x54278F, 0x3F007D,
};

static const guint32 rdpu[] = {
  /* 3 */ 0xFDE0DD, 0xFA9FB5, 0xC51B8A,
  /* 4 */ 0xFEEBE2, 0xFBB4B9, 0xF768A1, 0xAE017E,
  /* 5 */ 0xFEEBE2, 0xFBB4B9, 0xF768A1, 0xC51B8A, 0x7A0177,
  /* 6 */ 0xFEEBE2, 0xFCC5C0, 0xFA9FB5, 0xF768A1, 0xC51B8A, 0x7A0177,
  /* 7 */ 0xFEEBE2, 0xFCC5C0, 0xFA9FB5, 0xF768A1, 0xDD3497, 0xAE017E, 0x7A0177,
  /* 8 */ 0xFFF7F3, 0xFDE0DD, 0xFCC5C0, 0xFA9FB5, 0xF768A1, 0xDD3497, 0xAE017E, 0x7A0177,
  /* 9 */ 0xFFF7F3, 0xFDE0DD, 0xFCC5C0, 0xFA9FB5, 0xF768A1, 0xDD3497, 0xAE017E, 0x7A0177, 0x49006A,
};

static const guint32 reds[] = {
  /* 3 */ 0xFEE0D2, 0xFC9272, 0xDE2D26,
  /* 4 */ 0xFEE5D9, 0xFCAE91, 0xFB6A4A, 0xCB181D,
  /* 5 */ 0xFEE5D9, 0xFCAE91, 0xFB6A4A, 0xDE2D26, 0xA50F15,
  /* 6 */ 0xFEE5D9, 0xFCBBA1, 0xFC9272, 0xFB6A4A, 0xDE2D26, 0xA50F15,
  /* 7 */ 0xFEE5D9, 0xFCBBA1, 0xFC9272, 0xFB6A4A, 0xEF3B2C, 0xCB181D, 0x99000D,
  /* 8 */ 0xFFF5F0, 0xFEE0D2, 0xFCBBA1, 0xFC9272, 0xFB6A4A, 0xEF3B2C, 0xCB181D, 0x99000D,
  /* 9 */ 0xFFF5F0, 0xFEE0D2, 0xFCBBA1, 0xFC9272, 0xFB6A4A, 0xEF3B2C, 0xCB181D, 0xA50F15, 0x67000D,
};

static const guint32 ylgn[] = {
  /* 3 */ 0xF7FCB9, 0xADDD8E, 0x31A354,
  /* 4 */ 0xFFFFCC, 0xC2E699, 0x78C679, 0x238443,
  /* 5 */ 0xFFFFCC, 0xC2E699, 0x78C679, 0x31A354, 0x006837,
  /* 6 */ 0xFFFFCC, 0xD9F0A3, 0xADDD8E, 0x78C679, 0x31A354, 0x006837,
  /* 7 */ 0xFFFFCC, 0xD9F0A3, 0xADDD8E, 0x78C679, 0x41AB5D, 0x238443, 0x005A32,
  /* 8 */ 0xFFFFE5, 0xF7FCB9, 0xD9F0A3, 0xADDD8E, 0x78C679, 0x41AB5D, 0x238443, 0x005A32,
  /* 9 */ 0xFFFFE5, 0xF7FCB9, 0xD9F0A3, 0xADDD8E, 0x78C679, 0x41AB5D, 0x238443, 0x006837, 0x004529,
};

static const guint32 ylgnbu[] = {
  /* 3 */ 0xEDF8B1, 0x7FCDBB, 0x2C7FB8,
  /* 4 */ 0xFFFFCC, 0xA1DAB4, 0x41B6C4, 0x225EA8,
  /* 5 */ 0xFFFFCC, 0xA1DAB4, 0x41B6C4, 0x2C7FB8, 0x253494,
  /* 6 */ 0xFFFFCC, 0xC7E9B4, 0x7FCDBB, 0x41B6C4, 0x2C7FB8, 0x253494,
  /* 7 */ 0xFFFFCC, 0xC7E9B4, 0x7FCDBB, 0x41B6C4, 0x1D91C0, 0x225EA8, 0x0C2C84,
  /* 8 */ 0xFFFFD9, 0xEDF8B1, 0xC7E9B4, 0x7FCDBB, 0x41B6C4, 0x1D91C0, 0x225EA8, 0x0C2C84,
  /* 9 */ 0xFFFFD9, 0xEDF8B1, 0xC7E9B4, 0x7FCDBB, 0x41B6C4, 0x1D91C0, 0x225EA8, 0x253494, 0x081D58,
};

static const guint32 ylorbr[] = {
  /* 3 */ 0xFFF7BC, 0xFEC44F, 0xD95F0E,
  /* 4 */ 0xFFFFD4, 0xFED98E, 0xFE9929, 0xCC4C02,
  /* 5 */ 0xFFFFD4, 0xFED98E, 0xFE9929, 0xD95F0E, 0x993404,
  /* 6 */ 0xFFFFD4, 0xFEE391, 0xFEC44F, 0xFE9929, 0xD95F0E, 0x993404,
  /* 7 */ 0xFFFFD4, 0xFEE391, 0xFEC44F, 0xFE9929, 0xEC7014, 0xCC4C02, 0x8C2D04,
  /* 8 */ 0xFFFFE5, 0xFFF7BC, 0xFEE391, 0xFEC44F, 0xFE9929, 0xEC7014, 0xCC4C02, 0x8C2D04,
  /* 9 */ 0xFFFFE5, 0xFFF7BC, 0xFEE391, 0xFEC44F, 0xFE9929, 0xEC7014, 0xCC4C02, 0x993404, 0x662506,
};

static const guint32 ylorrd[] = {
  /* 3 */ 0xFFEDA0, 0xFEB24C, 0xF03B20,
  /* 4 */ 0xFFFFB2, 0xFECC5C, 0xFD8D3C, 0xE31A1C,
  /* 5 */ 0xFFFFB2, 0xFECC5C, 0xFD8D3C, 0xF03B20, 0xBD0026,
  /* 6 */ 0xFFFFB2, 0xFED976, 0xFEB24C, 0xFD8D3C, 0xF03B20, 0xBD0026,
  /* 7 */ 0xFFFFB2, 0xFED976, 0xFEB24C, 0xFD8D3C, 0xFC4E2A, 0xE31A1C, 0xB10026,
  /* 8 */ 0xFFFFCC, 0xFFEDA0, 0xFED976, 0xFEB24C, 0xFD8D3C, 0xFC4E2A, 0xE31A1C, 0xB10026,
  /* 9 */ 0xFFFFCC, 0xFFEDA0, 0xFED976, 0xFEB24C, 0xFD8D3C, 0xFC4E2A, 0xE31A1C, 0xBD0026, 0x800026,
};

static const guint32 brbg[] = {
  /* 3 */ 0xD8B365, 0xF5F5F5, 0x5AB4AC,
  /* 4 */ 0xA6611A, 0xDFC27D, 0x80CDC1, 0x018571,
  /* 5 */ 0xA6611A, 0xDFC27D, 0xF5F5F5, 0x80CDC1, 0x018571,
  /* 6 */ 0x8C510A, 0xD8B365, 0xF6E8C3, 0xC7EAE5, 0x5AB4AC, 0x01665E,
  /* 7 */ 0x8C510A, 0xD8B365, 0xF6E8C3, 0xF5F5F5, 0xC7EAE5, 0x5AB4AC, 0x01665E,
  /* 8 */ 0x8C510A, 0xBF812D, 0xDFC27D, 0xF6E8C3, 0xC7EAE5, 0x80CDC1, 0x35978F, 0x01665E,
  /* 9 */ 0x8C510A, 0xBF812D, 0xDFC27D, 0xF6E8C3, 0xF5F5F5, 0xC7EAE5, 0x80CDC1, 0x35978F, 0x01665E,
};

static const guint32 piyg[] = {
  /* 3 */ 0xE9A3C9, 0xF7F7F7, 0xA1D76A,
  /* 4 */ 0xD01C8B, 0xF1B6DA, 0xB8E186, 0x4DAC26,
  /* 5 */ 0xD01C8B, 0xF1B6DA, 0xF7F7F7, 0xB8E186, 0x4DAC26,
  /* 6 */ 0xC51B7D, 0xE9A3C9, 0xFDE0EF, 0xE6F5D0, 0xA1D76A, 0x4D9221,
  /* 7 */ 0xC51B7D, 0xE9A3C9, 0xFDE0EF, 0xF7F7F7, 0xE6F5D0, 0xA1D76A, 0x4D9221,
  /* 8 */ 0xC51B7D, 0xDE77AE, 0xF1B6DA, 0xFDE0EF, 0xE6F5D0, 0xB8E186, 0x7FBC41, 0x4D9221,
  /* 9 */ 0xC51B7D, 0xDE77AE, 0xF1B6DA, 0xFDE0EF, 0xF7F7F7, 0xE6F5D0, 0xB8E186, 0x7FBC41, 0x4D9221,
};

static const guint32 prgn[] = {
  /* 3 */ 0xAF8DC3, 0xF7F7F7, 0x7FBF7B,
  /* 4 */ 0x7B3294, 0xC2A5CF, 0xA6DBA0, 0x008837,
  /* 5 */ 0x7B3294, 0xC2A5CF, 0xF7F7F7, 0xA6DBA0, 0x008837,
  /* 6 */ 0x762A83, 0xAF8DC3, 0xE7D4E8, 0xD9F0D3, 0x7FBF7B, 0x1B7837,
  /* 7 */ 0x762A83, 0xAF8DC3, 0xE7D4E8, 0xF7F7F7, 0xD9F0D3, 0x7FBF7B, 0x1B7837,
  /* 8 */ 0x762A83, 0x9970AB, 0xC2A5CF, 0xE7D4E8, 0xD9F0D3, 0xA6DBA0, 0x5AAE61, 0x1B7837,
  /* 9 */ 0x762A83, 0x9970AB, 0xC2A5CF, 0xE7D4E8, 0xF7F7F7, 0xD9F0D3, 0xA6DBA0, 0x5AAE61, 0x1B7837,
};

static const guint32 puor[] = {
  /* 3 */ 0xF1A340, 0xF7F7F7, 0x998EC3,
  /* 4 */ 0xE66101, 0xFDB863, 0xB2ABD2, 0x5E3C99,
  /* 5 */ 0xE66101, 0xFDB863, 0xF7F7F7, 0xB2ABD2, 0x5E3C99,
  /* 6 */ 0xB35806, 0xF1A340, 0xFEE0B6, 0xD8DAEB, 0x998EC3, 0x542788,
  /* 7 */ 0xB35806, 0xF1A340, 0xFEE0B6, 0xF7F7F7, 0xD8DAEB, 0x998EC3, 0x542788,
  /* 8 */ 0xB35806, 0xE08214, 0xFDB863, 0xFEE0B6, 0xD8DAEB, 0xB2ABD2, 0x8073AC, 0x542788,
  /* 9 */ 0xB35806, 0xE08214, 0xFDB863, 0xFEE0B6, 0xF7F7F7, 0xD8DAEB, 0xB2ABD2, 0x8073AC, 0x542788,
};

static const guint32 rdbu[] = {
  /* 3 */ 0xEF8A62, 0xF7F7F7, 0x67A9CF,
  /* 4 */ 0xCA0020, 0xF4A582, 0x92C5DE, 0x0571B0,
  /* 5 */ 0xCA0020, 0xF4A582, 0xF7F7F7, 0x92C5DE, 0x0571B0,
  /* 6 */ 0xB2182B, 0xEF8A62, 0xFDDBC7, 0xD1E5F0, 0x67A9CF, 0x2166AC,
  /* 7 */ 0xB2182B, 0xEF8A62, 0xFDDBC7, 0xF7F7F7, 0xD1E5F0, 0x67A9CF, 0x2166AC,
  /* 8 */ 0xB2182B, 0xD6604D, 0xF4A582, 0xFDDBC7, 0xD1E5F0, 0x92C5DE, 0x4393C3, 0x2166AC,
  /* 9 */ 0xB2182B, 0xD6604D, 0xF4A582, 0xFDDBC7, 0xF7F7F7, 0xD1E5F0, 0x92C5DE, 0x4393C3, 0x2166AC,
};

static const guint32 rdgy[] = {
  /* 3 */ 0xEF8A62, 0xFFFFFF, 0x999999,
  /* 4 */ 0xCA0020, 0xF4A582, 0xBABABA, 0x404040,
  /* 5 */ 0xCA0020, 0xF4A582, 0xFFFFFF, 0xBABABA, 0x404040,
  /* 6 */ 0xB2182B, 0xEF8A62, 0xFDDBC7, 0xE0E0E0, 0x999999, 0x4D4D4D,
  /* 7 */ 0xB2182B, 0xEF8A62, 0xFDDBC7, 0xFFFFFF, 0xE0E0E0, 0x999999, 0x4D4D4D,
  /* 8 */ 0xB2182B, 0xD6604D, 0xF4A582, 0xFDDBC7, 0xE0E0E0, 0xBABABA, 0x878787, 0x4D4D4D,
  /* 9 */ 0xB2182B, 0xD6604D, 0xF4A582, 0xFDDBC7, 0xFFFFFF, 0xE0E0E0, 0xBABABA, 0x878787, 0x4D4D4D,
};

static const guint32 rdylbu[] = {
  /* 3 */ 0xFC8D59, 0xFFFFBF, 0x91BFDB,
  /* 4 */ 0xD7191C, 0xFDAE61, 0xABD9E9, 0x2C7BB6,
  /* 5 */ 0xD7191C, 0xFDAE61, 0xFFFFBF, 0xABD9E9, 0x2C7BB6,
  /* 6 */ 0xD73027, 0xFC8D59, 0xFEE090, 0xE0F3F8, 0x91BFDB, 0x4575B4,
  /* 7 */ 0xD73027, 0xFC8D59, 0xFEE090, 0xFFFFBF, 0xE0F3F8, 0x91BFDB, 0x4575B4,
  /* 8 */ 0xD73027, 0xF46D43, 0xFDAE61, 0xFEE090, 0xE0F3F8, 0xABD9E9, 0x74ADD1, 0x4575B4,
  /* 9 */ 0xD73027, 0xF46D43, 0xFDAE61, 0xFEE090, 0xFFFFBF, 0xE0F3F8, 0xABD9E9, 0x74ADD1, 0x4575B4,
};

static const guint32 rdylgn[] = {
  /* 3 */ 0xFC8D59, 0xFFFFBF, 0x91CF60,
  /* 4 */ 0xD7191C, 0xFDAE61, 0xA6D96A, 0x1A9641,
  /* 5 */ 0xD7191C, 0xFDAE61, 0xFFFFBF, 0xA6D96A, 0x1A9641,
  /* 6 */ 0xD73027, 0xFC8D59, 0xFEE08B, 0xD9EF8B, 0x91CF60, 0x1A9850,
  /* 7 */ 0xD73027, 0xFC8D59, 0xFEE08B, 0xFFFFBF, 0xD9EF8B, 0x91CF60, 0x1A9850,
  /* 8 */ 0xD73027, 0xF46D43, 0xFDAE61, 0xFEE08B, 0xD9EF8B, 0xA6D96A, 0x66BD63, 0x1A9850,
  /* 9 */ 0xD73027, 0xF46D43, 0xFDAE61, 0xFEE08B, 0xFFFFBF, 0xD9EF8B, 0xA6D96A, 0x66BD63, 0x1A9850,
};

static const guint32 spectral[] = {
  /* 3 */ 0xFC8D59, 0xFFFFBF, 0x99D594,
  /* 4 */ 0xD7191C, 0xFDAE61, 0xABDDA4, 0x2B83BA,
  /* 5 */ 0xD7191C, 0xFDAE61, 0xFFFFBF, 0xABDDA4, 0x2B83BA,
  /* 6 */ 0xD53E4F, 0xFC8D59, 0xFEE08B, 0xE6F598, 0x99D594, 0x3288BD,
  /* 7 */ 0xD53E4F, 0xFC8D59, 0xFEE08B, 0xFFFFBF, 0xE6F598, 0x99D594, 0x3288BD,
  /* 8 */ 0xD53E4F, 0xF46D43, 0xFDAE61, 0xFEE08B, 0xE6F598, 0xABDDA4, 0x66C2A5, 0x3288BD,
  /* 9 */ 0xD53E4F, 0xF46D43, 0xFDAE61, 0xFEE08B, 0xFFFFBF, 0xE6F598, 0xABDDA4, 0x66C2A5, 0x3288BD,
};

static const TwPalette palettes[] = {
  { "Blues", TW_PALETTE_SEQUENTIAL, TRUE, blues },
  { "BuGn", TW_PALETTE_SEQUENTIAL, TRUE, bugn },
  { "BuPu", TW_PALETTE_SEQUENTIAL, TRUE, bupu },
  { "GnBu", TW_PALETTE_SEQUENTIAL, TRUE, gnbu },
  { "Greens", TW_PALETTE_SEQUENTIAL, TRUE, greens },
  { "Greys", TW_PALETTE_SEQUENTIAL, TRUE, greys },
  { "Oranges", TW_PALETTE_SEQUENTIAL, TRUE, oranges },
  { "OrRd", TW_PALETTE_SEQUENTIAL, TRUE, orrd },
  { "PuBu", TW_PALETTE_SEQUENTIAL, TRUE, pubu },
  { "PuBuGn", TW_PALETTE_SEQUENTIAL, TRUE, pubugn },
  { "PuRd", TW_PALETTE_SEQUENTIAL, TRUE, purd },
  { "Purples", TW_PALETTE_SEQUENTIAL, TRUE, purples },
  { "RdPu", TW_PALETTE_SEQUENTIAL, TRUE, rdpu },
  { "Reds", TW_PALETTE_SEQUENTIAL, TRUE, reds },
  { "YlGn", TW_PALETTE_SEQUENTIAL, TRUE, ylgn },
  { "YlGnBu", TW_PALETTE_SEQUENTIAL, TRUE, ylgnbu },
  { "YlOrBr", TW_PALETTE_SEQUENTIAL, TRUE, ylorbr },
  { "YlOrRd", TW_PALETTE_SEQUENTIAL, TRUE, ylorrd },
  { "BrBG", TW_PALETTE_DIVERGING, TRUE, brbg },
  { "PiYG", TW_PALETTE_DIVERGING, TRUE, piyg },
  { "PRGn", TW_PALETTE_DIVERGING, TRUE, prgn },
  { "PuOr", TW_PALETTE_DIVERGING, TRUE, puor },
  { "RdBu", TW_PALETTE_DIVERGING, TRUE, rdbu },
  { "RdGy", TW_PALETTE_DIVERGING, FALSE, rdgy },
  { "RdYlBu", TW_PALETTE_DIVERGING, TRUE, rdylbu },
  { "RdYlGn", TW_PALETTE_DIVERGING, FALSE, rdylgn },
  { "Spectral", TW_PALETTE_DIVERGING, FALSE, spectral },
};

static const guint32 fixed_colors[TW_N_FIXED_COLORS] = {
  [TW_COLOR_NO_DATA] = 0xBDBDBD,
  [TW_COLOR_SUPPRESSED_FILL] = 0xF0F0F0,
  [TW_COLOR_SUPPRESSED_HATCH] = 0x636363,
  [TW_COLOR_AREA_OUTLINE] = 0x969696,
  [TW_COLOR_COUNTY_OUTLINE] = 0x525252,
  [TW_COLOR_STATE_OUTLINE] = 0x252525,
  [TW_COLOR_HOVER_OUTLINE] = 0x000000,
  [TW_COLOR_SELECTION_OUTLINE] = 0x1C71D8,
  [TW_COLOR_PROJECT_OUTLINE] = 0x813D9C,
  [TW_COLOR_OFFLINE_BACKGROUND] = 0xF6F5F4,
  [TW_COLOR_LEGEND_TEXT] = 0x241F31,
};

/* The n colours of the n-class scheme begin after 3 + 4 + … + (n - 1) colours. */
static inline gsize
scheme_offset (guint n_classes)
{
  return (gsize) (n_classes - 3) * (n_classes + 2) / 2;
}

/**
 * tw_palette_lookup:
 * @name: a ColorBrewer scheme name such as "YlOrRd", in any case
 *
 * Returns: (nullable) (transfer none): the palette, or %NULL when there is none of that name
 */
const TwPalette *
tw_palette_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (palettes); i++)
    if (g_ascii_strcasecmp (palettes[i].name, name) == 0)
      return &palettes[i];
  return NULL;
}

/**
 * tw_palette_get_default:
 * @kind: sequential or diverging
 *
 * Returns: (transfer none): YlOrRd for sequential data, RdBu for diverging data; both
 *   are colour-blind safe
 */
const TwPalette *
tw_palette_get_default (TwPaletteKind kind)
{
  g_return_val_if_fail (kind <= TW_PALETTE_DIVERGING, NULL);

  return tw_palette_lookup (kind == TW_PALETTE_DIVERGING ? TW_PALETTE_DEFAULT_DIVERGING_NAME
                                                          : TW_PALETTE_DEFAULT_NAME);
}

guint
tw_palette_get_n_palettes (void)
{
  return G_N_ELEMENTS (palettes);
}

/**
 * tw_palette_get_nth:
 * @index: 0 .. tw_palette_get_n_palettes () - 1; sequential schemes come first
 *
 * Returns: (transfer none): the palette
 */
const TwPalette *
tw_palette_get_nth (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (palettes), NULL);

  return &palettes[index];
}

/**
 * tw_palette_list_names:
 * @filter: which kinds to list, and whether only colour-blind-safe schemes
 *
 * Returns: (transfer full): the names, sequential schemes first, each kind in
 *   alphabetical order; free with g_strfreev()
 */
char **
tw_palette_list_names (TwPaletteFilter filter)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (palettes); i++)
    {
      const TwPalette *p = &palettes[i];
      TwPaletteFilter kind = p->kind == TW_PALETTE_SEQUENTIAL ? TW_PALETTE_FILTER_SEQUENTIAL
                                                              : TW_PALETTE_FILTER_DIVERGING;

      if ((filter & kind) == 0)
        continue;
      if ((filter & TW_PALETTE_FILTER_COLORBLIND_SAFE) && !p->colorblind_safe)
        continue;
      g_ptr_array_add (names, g_strdup (p->name));
    }
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

const char *
tw_palette_get_name (const TwPalette *palette)
{
  g_return_val_if_fail (palette != NULL, NULL);

  return palette->name;
}

TwPaletteKind
tw_palette_get_kind (const TwPalette *palette)
{
  g_return_val_if_fail (palette != NULL, TW_PALETTE_SEQUENTIAL);

  return palette->kind;
}

gboolean
tw_palette_is_colorblind_safe (const TwPalette *palette)
{
  g_return_val_if_fail (palette != NULL, FALSE);

  return palette->colorblind_safe;
}

/**
 * tw_palette_get_color:
 * @palette: a palette
 * @n_classes: how many classes the map has, 3..9
 * @index: the class, 0 (lowest) .. @n_classes - 1
 *
 * Maps with one or two classes (too few distinct values for more) take the first and
 * last colour of the 3-class scheme, so they still read low to high.
 *
 * Returns: the colour as 0xRRGGBB
 */
guint32
tw_palette_get_color (const TwPalette *palette,
                      guint            n_classes,
                      guint            index)
{
  g_return_val_if_fail (palette != NULL, fixed_colors[TW_COLOR_NO_DATA]);
  g_return_val_if_fail (n_classes >= 1 && n_classes <= TW_PALETTE_MAX_CLASSES,
                        fixed_colors[TW_COLOR_NO_DATA]);
  g_return_val_if_fail (index < n_classes, fixed_colors[TW_COLOR_NO_DATA]);

  if (n_classes == 1)
    return palette->colors[palette->kind == TW_PALETTE_DIVERGING ? 1 : 2];
  if (n_classes == 2)
    return palette->colors[index == 0 ? 0 : 2];
  return palette->colors[scheme_offset (n_classes) + index];
}

void
tw_palette_get_rgb (const TwPalette *palette,
                    guint            n_classes,
                    guint            index,
                    double          *red,
                    double          *green,
                    double          *blue)
{
  tw_color_to_rgb (tw_palette_get_color (palette, n_classes, index), red, green, blue);
}

void
tw_palette_get_bytes (const TwPalette *palette,
                      guint            n_classes,
                      guint            index,
                      guint8          *red,
                      guint8          *green,
                      guint8          *blue)
{
  guint32 color = tw_palette_get_color (palette, n_classes, index);

  g_return_if_fail (red != NULL && green != NULL && blue != NULL);

  *red = (color >> 16) & 0xff;
  *green = (color >> 8) & 0xff;
  *blue = color & 0xff;
}

/**
 * tw_palette_fixed_color:
 * @color: which one
 *
 * Returns: the colour as 0xRRGGBB
 */
guint32
tw_palette_fixed_color (TwFixedColor color)
{
  g_return_val_if_fail (color < TW_N_FIXED_COLORS, 0);

  return fixed_colors[color];
}

void
tw_palette_fixed_rgb (TwFixedColor  color,
                      double       *red,
                      double       *green,
                      double       *blue)
{
  g_return_if_fail (color < TW_N_FIXED_COLORS);

  tw_color_to_rgb (fixed_colors[color], red, green, blue);
}

/* 0xRRGGBB to the 0..1 doubles cairo takes. */
void
tw_color_to_rgb (guint32  color,
                 double  *red,
                 double  *green,
                 double  *blue)
{
  g_return_if_fail (red != NULL && green != NULL && blue != NULL);

  *red = ((color >> 16) & 0xff) / 255.0;
  *green = ((color >> 8) & 0xff) / 255.0;
  *blue = (color & 0xff) / 255.0;
}

/**
 * tw_color_to_hex:
 * @color: 0xRRGGBB
 *
 * Returns: (transfer full): "#RRGGBB", as SVG and CSS write it
 */
char *
tw_color_to_hex (guint32 color)
{
  return g_strdup_printf ("#%06X", (unsigned) (color & 0xffffff));
}
