/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tw-format"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tw-format.h"

char *
tw_format_count (gint64      value,
                 const char *separator)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                             value < 0 ? -(guint64) value : (guint64) value);
  GString *out = g_string_new (value < 0 ? "-" : "");
  gsize len = strlen (digits);

  if (separator == NULL || *separator == '\0')
    separator = ",";
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, separator);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

char *
tw_format_count_locale (gint64 value)
{
  return tw_format_count (value, localeconv ()->thousands_sep);
}

double
tw_format_round_published (double value)
{
  char text[64];

  if (!isfinite (value) || value == 0.0)
    return value;
  /* Decimal rounding of the decimal expansion: 2.345 (stored as 2.34499…) gives 2.34, as
   * printf would print it, rather than what a scaled binary product happens to give. */
  g_snprintf (text, sizeof text, "%.*e", TW_FORMAT_PUBLISHED_DIGITS - 1, value);
  return g_ascii_strtod (text, NULL);
}

char *
tw_format_shortest (char   *buffer,
                    gsize   size,
                    double  value)
{
  g_return_val_if_fail (buffer != NULL && size >= 32, NULL);

  for (int digits = 1; digits <= 17; digits++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", digits);
      g_ascii_formatd (buffer, size, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  return buffer;
}

char *
tw_format_decimal (double   value,
                   int      decimals,
                   gboolean grouped,
                   gboolean signed_)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE], format[16];
  g_autoptr(GString) out = g_string_new (NULL);
  const char *text, *dot;
  gsize int_len;

  g_snprintf (format, sizeof format, "%%.%df", decimals);
  text = g_ascii_formatd (buffer, sizeof buffer, format, fabs (value));
  if (value < 0)
    g_string_append (out, "−");
  else if (signed_ && value > 0)
    g_string_append_c (out, '+');
  dot = strchr (text, '.');
  int_len = dot != NULL ? (gsize) (dot - text) : strlen (text);
  for (gsize i = 0; i < int_len; i++)
    {
      if (grouped && i > 0 && (int_len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, text[i]);
    }
  if (dot != NULL)
    g_string_append (out, dot);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
tw_format_published (double      value,
                     gboolean    grouped,
                     gboolean    signed_,
                     const char *none)
{
  int decimals;

  if (!isfinite (value))
    return g_strdup (none);
  value = tw_format_round_published (value);
  decimals = value == 0.0 ? 0
             : MAX (0, TW_FORMAT_PUBLISHED_DIGITS - 1 - (int) floor (log10 (fabs (value))));
  return tw_format_decimal (value, decimals, grouped, signed_);
}

char *
tw_format_whole_percent (double      fraction,
                         gboolean    grouped,
                         const char *none)
{
  double percent;

  if (!isfinite (fraction))
    return g_strdup (none);
  percent = round (100 * fraction);
  if (fabs (percent) >= 1000)
    percent = tw_format_round_published (percent);
  return tw_format_decimal (percent + 0.0, 0, grouped, FALSE);
}

char *
tw_format_group_label (const char *code)
{
  g_autofree char *valid = NULL;
  GString *label;

  if (code == NULL || g_str_equal (code, "all"))
    return g_strdup ("All groups");
  valid = g_utf8_make_valid (code, -1);
  label = g_string_new (NULL);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '_')
        c = ' ';
      else if (p == valid)
        c = g_unichar_totitle (c);
      g_string_append_unichar (label, c);
    }
  return g_string_free (label, FALSE);
}
