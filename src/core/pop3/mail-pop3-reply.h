/* mail-pop3-reply.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MAIL_POP3_MAX_UID_LENGTH:
 *
 * The longest unique-id a server may send (RFC 1939 §7: 1 to 70 characters).
 */
#define MAIL_POP3_MAX_UID_LENGTH 70

/**
 * MailPop3ReplyStatus:
 * @MAIL_POP3_REPLY_OK: "+OK"
 * @MAIL_POP3_REPLY_ERR: "-ERR"
 * @MAIL_POP3_REPLY_CONTINUE: "+ " followed by a base64 SASL challenge (RFC 5034)
 *
 * The status indicator of a POP3 reply line.
 */
typedef enum
{
  MAIL_POP3_REPLY_OK,
  MAIL_POP3_REPLY_ERR,
  MAIL_POP3_REPLY_CONTINUE,
} MailPop3ReplyStatus;

/**
 * MailPop3Reply:
 * @status: the status indicator
 * @code: (nullable): the extended response code of RFC 2449 in upper case, such as
 *   "AUTH", "IN-USE", "SYS/TEMP" (hierarchical codes keep their slashes), or %NULL
 * @text: the rest of the line; for a SASL challenge exactly as sent, otherwise with
 *   control characters replaced and invalid UTF-8 repaired, so it can be shown
 *
 * One parsed status line. Clear it with mail_pop3_reply_clear().
 */
typedef struct
{
  MailPop3ReplyStatus  status;
  char                *code;
  char                *text;
} MailPop3Reply;

gboolean  mail_pop3_reply_parse               (const char     *line,
                                               gsize           length,
                                               gboolean        allow_continuation,
                                               MailPop3Reply  *reply,
                                               GError        **error);
void      mail_pop3_reply_clear               (MailPop3Reply  *reply);
gboolean  mail_pop3_reply_has_code            (const MailPop3Reply *reply,
                                               const char     *code);

gboolean  mail_pop3_multiline_unstuff         (const char     *line,
                                               gsize           length,
                                               const char    **data,
                                               gsize          *data_length);

gboolean  mail_pop3_parse_stat                (const char     *text,
                                               guint          *count,
                                               guint64        *size,
                                               GError        **error);
gboolean  mail_pop3_parse_scan_listing        (const char     *line,
                                               gsize           length,
                                               guint          *number,
                                               guint64        *size,
                                               GError        **error);
gboolean  mail_pop3_parse_unique_id_listing   (const char     *line,
                                               gsize           length,
                                               guint          *number,
                                               char          **uid,
                                               GError        **error);
char     *mail_pop3_parse_capability          (const char     *line,
                                               gsize           length)
    G_GNUC_WARN_UNUSED_RESULT;

char     *mail_pop3_sanitize_text             (const char     *text,
                                               gsize           length)
    G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
