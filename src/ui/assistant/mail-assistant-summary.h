/* mail-assistant-summary.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mail-autoconfig-report.h"
#include "mail-server-check.h"

G_BEGIN_DECLS

#define MAIL_TYPE_ASSISTANT_SUMMARY (mail_assistant_summary_get_type ())

G_DECLARE_FINAL_TYPE (MailAssistantSummary, mail_assistant_summary, MAIL, ASSISTANT_SUMMARY, AdwBin)

GtkWidget               *mail_assistant_summary_new                (void);
void                     mail_assistant_summary_set_report         (MailAssistantSummary       *self,
                                                                    const MailAutoconfigReport *report);
MailAutoconfigCandidate *mail_assistant_summary_dup_incoming       (MailAssistantSummary       *self)
    G_GNUC_WARN_UNUSED_RESULT;
MailAutoconfigCandidate *mail_assistant_summary_dup_outgoing       (MailAssistantSummary       *self)
    G_GNUC_WARN_UNUSED_RESULT;
gboolean                 mail_assistant_summary_get_needs_approval (MailAssistantSummary       *self);
gboolean                 mail_assistant_summary_get_can_confirm    (MailAssistantSummary       *self);
void                     mail_assistant_summary_set_use_pop3       (MailAssistantSummary       *self,
                                                                    gboolean                    use_pop3);
void                     mail_assistant_summary_set_approved       (MailAssistantSummary       *self,
                                                                    gboolean                    approved);
void                     mail_assistant_summary_set_sign_in_result (MailAssistantSummary        *self,
                                                                    const MailServerCheckResult *result);

G_END_DECLS
