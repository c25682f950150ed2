/* mail-smtp-private.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-smtp-result.h"

G_BEGIN_DECLS

MailSmtpResult *_mail_smtp_result_new                 (const char          *sender,
                                                       const char * const  *recipients);
void            _mail_smtp_result_set_sender_reply    (MailSmtpResult      *self,
                                                       MailSmtpReply       *reply);
void            _mail_smtp_result_set_recipient_reply (MailSmtpResult      *self,
                                                       guint                index,
                                                       MailSmtpReply       *reply);
void            _mail_smtp_result_set_data_reply      (MailSmtpResult      *self,
                                                       MailSmtpReply       *reply);
void            _mail_smtp_result_set_outcome         (MailSmtpResult      *self,
                                                       MailSmtpOutcome      outcome);

G_END_DECLS
