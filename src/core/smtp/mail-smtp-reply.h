/* mail-smtp-reply.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * MAIL_SMTP_REPLY_MAX_LINE_LENGTH:
 *
 * The longest reply line the parser accepts, line end excluded. RFC 5321 §4.5.3.1.5 sets
 * 512 octets; servers exceed it, so the limit is generous but fixed.
 */
#define MAIL_SMTP_REPLY_MAX_LINE_LENGTH 8192

/**
 * MAIL_SMTP_REPLY_MAX_LINES:
 *
 * The most lines one reply may have.
 */
#define MAIL_SMTP_REPLY_MAX_LINES 256

typedef struct _MailSmtpReply MailSmtpReply;
typedef struct _MailSmtpReplyParser MailSmtpReplyParser;

#define MAIL_TYPE_SMTP_REPLY (mail_smtp_reply_get_type ())

GType                mail_smtp_reply_get_type            (void) G_GNUC_CONST;
MailSmtpReply       *mail_smtp_reply_new                 (guint                code,
                                                          const char          *enhanced_code,
                                                          const char * const  *lines);
MailSmtpReply       *mail_smtp_reply_ref                 (MailSmtpReply       *reply);
void                 mail_smtp_reply_unref               (MailSmtpReply       *reply);

guint                mail_smtp_reply_get_code            (MailSmtpReply       *reply);
const char          *mail_smtp_reply_get_enhanced_code   (MailSmtpReply       *reply);
const char * const  *mail_smtp_reply_get_lines           (MailSmtpReply       *reply);
char                *mail_smtp_reply_dup_text            (MailSmtpReply       *reply)
    G_GNUC_WARN_UNUSED_RESULT;
char                *mail_smtp_reply_describe            (MailSmtpReply       *reply)
    G_GNUC_WARN_UNUSED_RESULT;
gboolean             mail_smtp_reply_is_positive         (MailSmtpReply       *reply);
gboolean             mail_smtp_reply_is_intermediate     (MailSmtpReply       *reply);
gboolean             mail_smtp_reply_is_transient        (MailSmtpReply       *reply);
gboolean             mail_smtp_reply_is_permanent        (MailSmtpReply       *reply);

MailSmtpReplyParser *mail_smtp_reply_parser_new          (void);
void                 mail_smtp_reply_parser_free         (MailSmtpReplyParser *parser);
void                 mail_smtp_reply_parser_reset        (MailSmtpReplyParser *parser);
gboolean             mail_smtp_reply_parser_feed         (MailSmtpReplyParser *parser,
                                                          const char          *line,
                                                          gsize                length,
                                                          MailSmtpReply      **reply,
                                                          GError             **error);

MailSmtpReply       *mail_smtp_reply_parse               (const char          *text,
                                                          gsize                length,
                                                          GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;

/**
 * MailSmtpExtensions:
 * @MAIL_SMTP_EXTENSION_NONE: none
 * @MAIL_SMTP_EXTENSION_STARTTLS: STARTTLS (RFC 3207)
 * @MAIL_SMTP_EXTENSION_AUTH: AUTH (RFC 4954)
 * @MAIL_SMTP_EXTENSION_SIZE: SIZE (RFC 1870)
 * @MAIL_SMTP_EXTENSION_PIPELINING: PIPELINING (RFC 2920)
 * @MAIL_SMTP_EXTENSION_8BITMIME: 8BITMIME (RFC 6152)
 * @MAIL_SMTP_EXTENSION_SMTPUTF8: SMTPUTF8 (RFC 6531)
 * @MAIL_SMTP_EXTENSION_ENHANCEDSTATUSCODES: ENHANCEDSTATUSCODES (RFC 2034)
 * @MAIL_SMTP_EXTENSION_CHUNKING: CHUNKING (RFC 3030), recognised but not used
 * @MAIL_SMTP_EXTENSION_DSN: DSN (RFC 3461), recognised but not used
 *
 * The EHLO keywords the client knows.
 */
typedef enum
{
  MAIL_SMTP_EXTENSION_NONE = 0,
  MAIL_SMTP_EXTENSION_STARTTLS = 1 << 0,
  MAIL_SMTP_EXTENSION_AUTH = 1 << 1,
  MAIL_SMTP_EXTENSION_SIZE = 1 << 2,
  MAIL_SMTP_EXTENSION_PIPELINING = 1 << 3,
  MAIL_SMTP_EXTENSION_8BITMIME = 1 << 4,
  MAIL_SMTP_EXTENSION_SMTPUTF8 = 1 << 5,
  MAIL_SMTP_EXTENSION_ENHANCEDSTATUSCODES = 1 << 6,
  MAIL_SMTP_EXTENSION_CHUNKING = 1 << 7,
  MAIL_SMTP_EXTENSION_DSN = 1 << 8,
} MailSmtpExtensions;

/**
 * MailSmtpEhlo:
 * @extensions: the extensions recognised
 * @max_size: the SIZE limit in octets, 0 when none was announced (or "SIZE 0", which means
 *   no fixed limit, or a value that is not a number)
 * @capabilities: (array zero-terminated=1): every line after the greeting line, cleaned,
 *   keyword upper-cased ("SIZE 26214400", "AUTH PLAIN LOGIN")
 * @auth_mechanisms: (array zero-terminated=1): the mechanisms of the AUTH line(s),
 *   upper-cased, without repeats
 *
 * What an EHLO reply says. Clear it with mail_smtp_ehlo_clear().
 */
typedef struct
{
  MailSmtpExtensions   extensions;
  guint64              max_size;
  char               **capabilities;
  char               **auth_mechanisms;
} MailSmtpEhlo;

void                 mail_smtp_ehlo_parse                (MailSmtpReply       *reply,
                                                          MailSmtpEhlo        *ehlo);
void                 mail_smtp_ehlo_clear                (MailSmtpEhlo        *ehlo);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailSmtpReply, mail_smtp_reply_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailSmtpReplyParser, mail_smtp_reply_parser_free)

G_END_DECLS
