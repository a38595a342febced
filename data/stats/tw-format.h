/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @value with its digits grouped by thousands ("12,345"), by @separator (NULL or "": a
 * comma). Pages and files use the comma; the window uses the locale's separator. */
char *tw_format_count        (gint64      value,
                              const char *separator);
/* The same, with the locale's separator (a comma where the locale has none, as in "C"). */
char *tw_format_count_locale (gint64      value);

/* Publication precision (THE RULE, tw-suppression.h): @value rounded to 3 significant
 * figures, as published tables print rates, intervals, ratios and shares (2.3456 → 2.35,
 * 1234.5 → 1230, 0.012345 → 0.0123). Zero, NAN and infinities come back unchanged. */
#define TW_FORMAT_PUBLISHED_DIGITS 3
double tw_format_round_published (double value);

/* @value with @decimals, a Unicode minus, a "+" when @signed_ and digits grouped by commas
 * when @grouped ("1,234.5"). */
char  *tw_format_decimal         (double      value,
                                  int         decimals,
                                  gboolean    grouped,
                                  gboolean    signed_);

/* @value at publication precision as text: 3 significant figures with the decimals they
 * need ("127", "99.5", "0.0123", "1230"), digits grouped by commas when @grouped ("1,230"),
 * a sign always when @signed_ ("+4.5", "−4.5"; else "−" only for negatives), a Unicode
 * minus, and @none for NAN. */
char  *tw_format_published       (double      value,
                                  gboolean    grouped,
                                  gboolean    signed_,
                                  const char *none);

/* A fraction as whole percents, without the sign "%": "42", "−15", at most 3 significant
 * figures ("1230", or "1,230" when @grouped); @none for NAN. For progress toward a goal. */
char  *tw_format_whole_percent   (double      fraction,
                                  gboolean    grouped,
                                  const char *none);

/* The shortest text that reads back as exactly @value ("2.35", not 2.3500000000000001), in
 * the C locale, into @buffer of @size bytes (32 is always enough). */
char  *tw_format_shortest        (char       *buffer,
                                  gsize       size,
                                  double      value);

/* A group's code in words, as the window and every page show it: no label is stored, so
 * "black" reads "Black", "age_65_plus" "Age 65 plus" and "all" (or NULL) "All groups". */
char  *tw_format_group_label     (const char *code);

G_END_DECLS
