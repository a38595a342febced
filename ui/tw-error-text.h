/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* What the window can offer after an error: a button that fixes its cause. */
typedef enum
{
  TW_ERROR_STEP_NONE,
  TW_ERROR_STEP_CHOOSE_AREAS,   /* the project editor's Choose on Map (editor.choose-areas) */
  TW_ERROR_STEP_IMPORT,         /* Import… (win.import) */
} TwErrorStep;

/* The data layer's messages are written for the command line: they start with the file's
 * path and name tractwise-cli commands and --options. tw_error_text() gives the window's
 * sentence for @error instead: no path, no command, no option, capitalised, with a full
 * stop. */
char        *tw_error_text             (const GError *error);

/* The step the window offers for @error, with its button label and detailed action name;
 * TW_ERROR_STEP_NONE when there is none. */
TwErrorStep  tw_error_next_step        (const GError *error);
const char  *tw_error_step_label       (TwErrorStep   step);
const char  *tw_error_step_action      (TwErrorStep   step);

/* A toast with tw_error_text(), and the next step as its button when there is one. */
AdwToast    *tw_error_toast_new        (const GError *error);

/* Shows tw_error_toast_new() for @error in the toast overlay around @widget. */
void         tw_error_toast_show       (GtkWidget    *widget,
                                        const GError *error);

/* A dialog over @parent with @heading and tw_error_text() of @error. */
void         tw_error_alert_present    (GtkWindow    *parent,
                                        const char   *heading,
                                        const GError *error);

/* tw_error_text() of a CLI-style @message with no error code: for text that reaches the
 * window as a string (a report line, a stored note). */
char        *tw_error_text_from_message (const char  *message);

G_END_DECLS
