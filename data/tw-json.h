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

G_END_DECLS
