/* mail-window.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mail-application.h"

G_BEGIN_DECLS

#define MAIL_TYPE_WINDOW (mail_window_get_type ())

G_DECLARE_FINAL_TYPE (MailWindow, mail_window, MAIL, WINDOW, AdwApplicationWindow)

MailWindow *mail_window_new            (MailApplication *application);
GtkWidget  *mail_window_get_assistant  (MailWindow      *self);
gboolean    mail_window_get_adding     (MailWindow      *self);

G_END_DECLS
