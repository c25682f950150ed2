/* mail-pop3-error.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MAIL_POP3_ERROR:
 *
 * The error domain of the POP3 client and its reply parser. Transport failures stay in
 * `G_IO_ERROR` and `G_TLS_ERROR`; STARTTLS and plaintext refusals are `MAIL_NET_ERROR`.
 */
#define MAIL_POP3_ERROR (mail_pop3_error_quark ())

/**
 * MailPop3Error:
 * @MAIL_POP3_ERROR_PROTOCOL: the server sent something that is not valid POP3
 * @MAIL_POP3_ERROR_FAILED: the server answered -ERR without a response code that says more
 * @MAIL_POP3_ERROR_AUTH_FAILED: the server refused the user name or password (RFC 3206
 *   [AUTH], or a refused PASS or AUTH without a more specific code)
 * @MAIL_POP3_ERROR_IN_USE: the mailbox is locked by another session (RFC 2449 [IN-USE])
 * @MAIL_POP3_ERROR_LOGIN_DELAY: the server refuses logins this soon after the last one
 *   (RFC 2449 [LOGIN-DELAY])
 * @MAIL_POP3_ERROR_SYS_TEMP: a temporary problem on the server (RFC 3206 [SYS/TEMP])
 * @MAIL_POP3_ERROR_SYS_PERM: a permanent problem on the server (RFC 3206 [SYS/PERM])
 * @MAIL_POP3_ERROR_NOT_SUPPORTED: the server does not offer what was asked for (UIDL, TOP)
 * @MAIL_POP3_ERROR_TOO_LARGE: a message is larger than the client's size limit
 * @MAIL_POP3_ERROR_NOT_STORED: a deletion was refused because the message has not been
 *   confirmed as stored locally (see mail_pop3_retrieved_mark_stored())
 * @MAIL_POP3_ERROR_NO_SUCH_MESSAGE: no message with that number or unique id in this session
 * @MAIL_POP3_ERROR_STATE: the command is not allowed in the session's current state (not
 *   connected, not signed in, or a token from another session)
 *
 * Error codes of %MAIL_POP3_ERROR.
 */
typedef enum
{
  MAIL_POP3_ERROR_PROTOCOL,
  MAIL_POP3_ERROR_FAILED,
  MAIL_POP3_ERROR_AUTH_FAILED,
  MAIL_POP3_ERROR_IN_USE,
  MAIL_POP3_ERROR_LOGIN_DELAY,
  MAIL_POP3_ERROR_SYS_TEMP,
  MAIL_POP3_ERROR_SYS_PERM,
  MAIL_POP3_ERROR_NOT_SUPPORTED,
  MAIL_POP3_ERROR_TOO_LARGE,
  MAIL_POP3_ERROR_NOT_STORED,
  MAIL_POP3_ERROR_NO_SUCH_MESSAGE,
  MAIL_POP3_ERROR_STATE,
} MailPop3Error;

GQuark   mail_pop3_error_quark        (void);
gboolean mail_pop3_error_is_temporary (const GError *error);

G_END_DECLS
