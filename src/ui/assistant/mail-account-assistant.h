/* mail-account-assistant.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mail-autoconfig-report.h"

G_BEGIN_DECLS

#define MAIL_TYPE_ACCOUNT_ASSISTANT (mail_account_assistant_get_type ())

G_DECLARE_FINAL_TYPE (MailAccountAssistant, mail_account_assistant, MAIL, ACCOUNT_ASSISTANT, AdwBin)

GtkWidget  *mail_account_assistant_new          (void);
const char *mail_account_assistant_get_address  (MailAccountAssistant       *self);
const char *mail_account_assistant_get_display_name (MailAccountAssistant   *self);
const char *mail_account_assistant_get_password (MailAccountAssistant       *self);
gboolean    mail_account_assistant_can_continue (MailAccountAssistant       *self);
const char *mail_account_assistant_get_page     (MailAccountAssistant       *self);
gboolean    mail_account_assistant_get_busy     (MailAccountAssistant       *self);
void        mail_account_assistant_show_report  (MailAccountAssistant       *self,
                                                 const MailAutoconfigReport *report);

G_END_DECLS
