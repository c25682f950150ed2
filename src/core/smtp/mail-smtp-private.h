/* mail-smtp-private.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-smtp-client.h"
#include "mail-smtp-result.h"
#include "mail-task.h"

G_BEGIN_DECLS

typedef struct _MailSmtpPrepared MailSmtpPrepared;

MailSmtpResult   *_mail_smtp_result_new                 (const char          *sender,
                                                         const char * const  *recipients);
void              _mail_smtp_result_set_sender_reply    (MailSmtpResult      *self,
                                                         MailSmtpReply       *reply);
void              _mail_smtp_result_set_recipient_reply (MailSmtpResult      *self,
                                                         guint                index,
                                                         MailSmtpReply       *reply);
void              _mail_smtp_result_set_data_reply      (MailSmtpResult      *self,
                                                         MailSmtpReply       *reply);
void              _mail_smtp_result_set_outcome         (MailSmtpResult      *self,
                                                         MailSmtpOutcome      outcome);

MailSmtpPrepared *_mail_smtp_prepared_new_raw           (const char          *from,
                                                         const char * const  *recipients,
                                                         GBytes              *message,
                                                         GError             **error);
MailSmtpPrepared *_mail_smtp_prepared_new_message       (GMimeMessage        *message,
                                                         GError             **error);
void              _mail_smtp_prepared_free              (MailSmtpPrepared    *prepared);
MailTaskQueue    *_mail_smtp_client_get_queue           (MailSmtpClient      *self);
gboolean          _mail_smtp_client_send_prepared       (MailSmtpClient      *self,
                                                         MailSmtpPrepared    *prepared,
                                                         MailSmtpResult     **result,
                                                         GCancellable        *cancellable,
                                                         GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailSmtpPrepared, _mail_smtp_prepared_free)

G_END_DECLS
