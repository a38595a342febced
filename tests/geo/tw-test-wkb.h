/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <string.h>

/* Little-endian ISO WKB of a one-ring polygon from @n lon/lat pairs (closed here). */
static inline GByteArray *
tw_test_polygon_wkb (const double *lonlat,
                     guint32       n)
{
  GByteArray *wkb = g_byte_array_new ();
  guint8 order = 1;
  guint32 type = GUINT32_TO_LE (3), rings = GUINT32_TO_LE (1), count = GUINT32_TO_LE (n + 1);

  g_byte_array_append (wkb, &order, 1);
  g_byte_array_append (wkb, (guint8 *) &type, 4);
  g_byte_array_append (wkb, (guint8 *) &rings, 4);
  g_byte_array_append (wkb, (guint8 *) &count, 4);
  for (guint32 i = 0; i <= n; i++)
    {
      for (guint d = 0; d < 2; d++)
        {
          double v = lonlat[2 * (i % n) + d];
          guint64 bits;

          memcpy (&bits, &v, 8);
          bits = GUINT64_TO_LE (bits);
          g_byte_array_append (wkb, (guint8 *) &bits, 8);
        }
    }
  return wkb;
}

/* A square from (@lon, @lat) to (@lon + @size, @lat + @size), with @extra points on each
 * side so that shared sides share every vertex. */
static inline GByteArray *
tw_test_square_wkb (double lon,
                    double lat,
                    double size,
                    guint  extra)
{
  guint per_side = extra + 1;
  g_autofree double *p = g_new (double, 8 * per_side);
  guint k = 0;

  for (guint i = 0; i < per_side; i++, k++)
    p[2 * k] = lon + size * i / per_side, p[2 * k + 1] = lat;
  for (guint i = 0; i < per_side; i++, k++)
    p[2 * k] = lon + size, p[2 * k + 1] = lat + size * i / per_side;
  for (guint i = 0; i < per_side; i++, k++)
    p[2 * k] = lon + size - size * i / per_side, p[2 * k + 1] = lat + size;
  for (guint i = 0; i < per_side; i++, k++)
    p[2 * k] = lon, p[2 * k + 1] = lat + size - size * i / per_side;
  return tw_test_polygon_wkb (p, k);
}
