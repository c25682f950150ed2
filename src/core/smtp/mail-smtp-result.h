/* mail-smtp-result.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mail-smtp-reply.h"

G_BEGIN_DECLS

/**
 * MailSmtpOutcome:
 * @MAIL_SMTP_OUTCOME_NOT_SENT: the server took responsibility for nothing: it refused
 *   the sender, every recipient or the message, or the connection failed before the
 *   message was complete
 * @MAIL_SMTP_OUTCOME_SENT: the server accepted the message for every recipient
 * @MAIL_SMTP_OUTCOME_PARTIAL: the server accepted the message for some recipients and
 *   refused others; see the per-recipient replies
 * @MAIL_SMTP_OUTCOME_UNKNOWN: the whole message was sent but its confirmation never came
 *   (timeout or dropped connection): it may have been delivered, so do not resend it
 *   without asking
 *
 * What became of one message.
 */
typedef enum
{
  MAIL_SMTP_OUTCOME_NOT_SENT,
  MAIL_SMTP_OUTCOME_SENT,
  MAIL_SMTP_OUTCOME_PARTIAL,
  MAIL_SMTP_OUTCOME_UNKNOWN,
} MailSmtpOutcome;

#define MAIL_TYPE_SMTP_RESULT (mail_smtp_result_get_type ())

G_DECLARE_FINAL_TYPE (MailSmtpResult, mail_smtp_result, MAIL, SMTP_RESULT, GObject)

MailSmtpOutcome  mail_smtp_result_get_outcome                (MailSmtpResult *self);
gboolean         mail_smtp_result_get_accepted               (MailSmtpResult *self);
const char      *mail_smtp_result_get_sender                 (MailSmtpResult *self);
MailSmtpReply   *mail_smtp_result_get_sender_reply           (MailSmtpResult *self);
MailSmtpReply   *mail_smtp_result_get_data_reply             (MailSmtpResult *self);

guint            mail_smtp_result_get_n_recipients           (MailSmtpResult *self);
guint            mail_smtp_result_get_n_accepted             (MailSmtpResult *self);
guint            mail_smtp_result_get_n_rejected             (MailSmtpResult *self);
const char      *mail_smtp_result_get_recipient              (MailSmtpResult *self,
                                                              guint           index);
gboolean         mail_smtp_result_get_recipient_accepted     (MailSmtpResult *self,
                                                              guint           index);
MailSmtpReply   *mail_smtp_result_get_recipient_reply        (MailSmtpResult *self,
                                                              guint           index);
guint            mail_smtp_result_get_recipient_code         (MailSmtpResult *self,
                                                              guint           index);
const char      *mail_smtp_result_get_recipient_enhanced_code (MailSmtpResult *self,
                                                              guint           index);
char            *mail_smtp_result_dup_recipient_text         (MailSmtpResult *self,
                                                              guint           index)
    G_GNUC_WARN_UNUSED_RESULT;
char            *mail_smtp_result_describe                   (MailSmtpResult *self)
    G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
