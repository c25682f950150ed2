/* mail-assistant-manual.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mail-autoconfig-report.h"

G_BEGIN_DECLS

#define MAIL_TYPE_ASSISTANT_MANUAL (mail_assistant_manual_get_type ())

G_DECLARE_FINAL_TYPE (MailAssistantManual, mail_assistant_manual, MAIL, ASSISTANT_MANUAL, AdwBin)

GtkWidget               *mail_assistant_manual_new              (void);
void                     mail_assistant_manual_set_account      (MailAssistantManual        *self,
                                                                 const char                 *address,
                                                                 const char                 *password);
void                     mail_assistant_manual_set_tls_database (MailAssistantManual        *self,
                                                                 GTlsDatabase               *database);
void                     mail_assistant_manual_prefill          (MailAssistantManual        *self,
                                                                 const MailAutoconfigReport *report);
gboolean                 mail_assistant_manual_is_complete      (MailAssistantManual        *self);
gboolean                 mail_assistant_manual_is_checking      (MailAssistantManual        *self);
MailAutoconfigCandidate *mail_assistant_manual_dup_incoming     (MailAssistantManual        *self)
    G_GNUC_WARN_UNUSED_RESULT;
MailAutoconfigCandidate *mail_assistant_manual_dup_outgoing     (MailAssistantManual        *self)
    G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
