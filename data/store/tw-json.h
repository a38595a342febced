/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Adds the member @name to the object being built: @value as a string, or null when
 * @value is NULL. */
void   tw_json_add_string      (JsonBuilder *builder,
                                const char  *name,
                                const char  *value);
/* What @builder has built, as JSON text; indented when @pretty. */
char  *tw_json_builder_to_text (JsonBuilder *builder,
                                gboolean     pretty);

/*
 * Reading JSON that came from outside (a partner's comments file) with limits, before
 * anything is built: json-glib's parser recurses once per level of nesting and builds
 * every value, so a file of deeply nested arrays overflows the stack. This reader keeps
 * its own stack and stops at the first limit passed, saying which and where. It reads
 * strict JSON (RFC 8259): no comments, no single quotes, no trailing commas, UTF-8 only,
 * no duplicate member names, no NUL in strings, finite numbers.
 */

#define TW_JSON_ERROR (tw_json_error_quark ())

typedef enum
{
  TW_JSON_ERROR_TOO_LARGE,   /* the file, a string or the number of values */
  TW_JSON_ERROR_TOO_DEEP,    /* nesting of arrays and objects */
  TW_JSON_ERROR_SYNTAX,      /* not JSON */
  TW_JSON_ERROR_READ,        /* the file cannot be read */
} TwJsonError;

typedef struct
{
  gsize max_size;        /* bytes of the whole text */
  guint max_depth;       /* arrays and objects inside one another */
  gsize max_string;      /* bytes of one string, once unescaped */
  guint max_values;      /* values of every kind, containers included */
} TwJsonLimits;

GQuark     tw_json_error_quark      (void);

/* Parses @length bytes of @text within @limits. Returns the root, or NULL with @error
 * (the message says what and at which line). */
JsonNode  *tw_json_parse_bounded    (const char          *text,
                                     gsize                length,
                                     const TwJsonLimits  *limits,
                                     GError             **error);
/* The same, from the file @path, which is not read at all when larger than the limit. */
JsonNode  *tw_json_load_bounded     (const char          *path,
                                     const TwJsonLimits  *limits,
                                     GError             **error);

G_END_DECLS
