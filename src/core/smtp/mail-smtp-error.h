/* mail-smtp-error.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mail-smtp-reply.h"

G_BEGIN_DECLS

/**
 * MAIL_SMTP_ERROR:
 *
 * The error domain of the SMTP client and its reply parser. Transport failures stay in
 * `G_IO_ERROR` and `G_TLS_ERROR`; STARTTLS and plaintext refusals are `MAIL_NET_ERROR`.
 * An error that answers a server reply carries that reply (see
 * mail_smtp_error_get_reply()), with its enhanced status code.
 */
#define MAIL_SMTP_ERROR (mail_smtp_error_quark ())

/**
 * MailSmtpError:
 * @MAIL_SMTP_ERROR_PROTOCOL: the server sent something that is not valid SMTP
 * @MAIL_SMTP_ERROR_TRANSIENT: the server refused with a 4yz reply: trying again later may
 *   work
 * @MAIL_SMTP_ERROR_PERMANENT: the server refused with a 5yz reply: trying again will not
 *   help without a change
 * @MAIL_SMTP_ERROR_AUTH_FAILED: the server did not accept the user name or password
 * @MAIL_SMTP_ERROR_MESSAGE_TOO_LARGE: the message is larger than the server's SIZE limit;
 *   refused before anything was sent
 * @MAIL_SMTP_ERROR_SMTPUTF8_UNSUPPORTED: an address or header needs SMTPUTF8 (RFC 6531) and
 *   the server does not offer it
 * @MAIL_SMTP_ERROR_8BIT_UNSUPPORTED: the message has 8-bit data and the server offers
 *   neither 8BITMIME nor SMTPUTF8
 * @MAIL_SMTP_ERROR_INVALID_ADDRESS: an address is not one that can be put in the
 *   envelope (for example it holds CR, LF or another control character); nothing was sent
 * @MAIL_SMTP_ERROR_INVALID_MESSAGE: the message cannot be sent as it is (a header value
 *   holds CR, LF or NUL, the body holds NUL, there is no sender or no recipient); nothing
 *   was sent
 * @MAIL_SMTP_ERROR_STATE: not connected, or signed in already
 *
 * Error codes of %MAIL_SMTP_ERROR.
 */
typedef enum
{
  MAIL_SMTP_ERROR_PROTOCOL,
  MAIL_SMTP_ERROR_TRANSIENT,
  MAIL_SMTP_ERROR_PERMANENT,
  MAIL_SMTP_ERROR_AUTH_FAILED,
  MAIL_SMTP_ERROR_MESSAGE_TOO_LARGE,
  MAIL_SMTP_ERROR_SMTPUTF8_UNSUPPORTED,
  MAIL_SMTP_ERROR_8BIT_UNSUPPORTED,
  MAIL_SMTP_ERROR_INVALID_ADDRESS,
  MAIL_SMTP_ERROR_INVALID_MESSAGE,
  MAIL_SMTP_ERROR_STATE,
} MailSmtpError;

GQuark         mail_smtp_error_quark        (void);
GError        *mail_smtp_error_new_reply    (MailSmtpError  code,
                                             MailSmtpReply *reply,
                                             const char    *message);
MailSmtpReply *mail_smtp_error_get_reply    (const GError  *error);
gboolean       mail_smtp_error_is_transient (const GError  *error);

G_END_DECLS
