/* mail-smtp-data.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MAIL_SMTP_MAX_ADDRESS_LENGTH:
 *
 * The longest address the envelope takes: RFC 5321 §4.5.3.1.3 allows a path of 256
 * octets, angle brackets included.
 */
#define MAIL_SMTP_MAX_ADDRESS_LENGTH 254

/**
 * MailSmtpDataInfo:
 * @size: the message's size as SIZE counts it (RFC 1870): every line ending in CRLF,
 *   before dot-stuffing
 * @has_8bit: whether any byte is 0x80 or above (needs 8BITMIME, or SMTPUTF8)
 * @header_8bit: whether such a byte is in the header (needs SMTPUTF8, RFC 6532)
 *
 * What mail_smtp_data_encode() learned about a message.
 */
typedef struct
{
  guint64  size;
  gboolean has_8bit;
  gboolean header_8bit;
} MailSmtpDataInfo;

GBytes   *mail_smtp_data_encode         (const guint8      *data,
                                         gsize              length,
                                         MailSmtpDataInfo  *info,
                                         GError           **error)
    G_GNUC_WARN_UNUSED_RESULT;

gboolean  mail_smtp_address_check       (const char        *address,
                                         gboolean          *needs_smtputf8,
                                         GError           **error);
char     *mail_smtp_address_to_envelope (const char        *address,
                                         gboolean           smtputf8,
                                         GError           **error)
    G_GNUC_WARN_UNUSED_RESULT;
gboolean  mail_smtp_header_check        (const char        *name,
                                         const char        *value,
                                         GError           **error);

G_END_DECLS
