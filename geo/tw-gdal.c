/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-gdal"

#include <cpl_error.h>
#include <gdal.h>

#include "tw-gdal.h"

void
tw_gdal_init (void)
{
  static gsize ready = 0;

  if (g_once_init_enter (&ready))
    {
      GDALAllRegister ();
      CPLSetErrorHandler (CPLQuietErrorHandler);
      g_once_init_leave (&ready, 1);
    }
}
