/* mail-protocol-log.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * MAIL_PROTOCOL_LOG_DEFAULT_MAX_ENTRIES:
 *
 * How many entries a log keeps by default; older ones are dropped.
 */
#define MAIL_PROTOCOL_LOG_DEFAULT_MAX_ENTRIES 1000

/**
 * MAIL_PROTOCOL_LOG_REDACTED:
 *
 * What a log shows in place of a secret.
 */
#define MAIL_PROTOCOL_LOG_REDACTED "******"

/**
 * MailProtocolLogDirection:
 * @MAIL_PROTOCOL_LOG_SENT: the client sent it ("C: ")
 * @MAIL_PROTOCOL_LOG_RECEIVED: the server sent it ("S: ")
 * @MAIL_PROTOCOL_LOG_INFO: a note of the connection layer ("-- "): connected, TLS started
 */
typedef enum
{
  MAIL_PROTOCOL_LOG_SENT,
  MAIL_PROTOCOL_LOG_RECEIVED,
  MAIL_PROTOCOL_LOG_INFO,
} MailProtocolLogDirection;

#define MAIL_TYPE_PROTOCOL_LOG (mail_protocol_log_get_type ())

G_DECLARE_FINAL_TYPE (MailProtocolLog, mail_protocol_log, MAIL, PROTOCOL_LOG, GObject)

MailProtocolLog  *mail_protocol_log_new           (guint                     max_entries);
void              mail_protocol_log_set_name      (MailProtocolLog          *self,
                                                   const char               *name);
char             *mail_protocol_log_dup_name      (MailProtocolLog          *self);
guint             mail_protocol_log_get_max_entries (MailProtocolLog        *self);

void              mail_protocol_log_add_line      (MailProtocolLog          *self,
                                                   MailProtocolLogDirection  direction,
                                                   const char               *line,
                                                   gssize                    length);
void              mail_protocol_log_add_data      (MailProtocolLog          *self,
                                                   MailProtocolLogDirection  direction,
                                                   const char               *data,
                                                   gsize                     length);
void              mail_protocol_log_add_secret    (MailProtocolLog          *self,
                                                   MailProtocolLogDirection  direction,
                                                   const char               *data,
                                                   gsize                     public_length);
void              mail_protocol_log_add_body      (MailProtocolLog          *self,
                                                   MailProtocolLogDirection  direction,
                                                   guint64                   n_bytes);
void              mail_protocol_log_add_info      (MailProtocolLog          *self,
                                                   const char               *format,
                                                   ...) G_GNUC_PRINTF (2, 3);
void              mail_protocol_log_clear         (MailProtocolLog          *self);

guint             mail_protocol_log_get_n_entries (MailProtocolLog          *self);
char            **mail_protocol_log_dup_lines     (MailProtocolLog          *self)
    G_GNUC_WARN_UNUSED_RESULT;
char             *mail_protocol_log_to_string     (MailProtocolLog          *self)
    G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
