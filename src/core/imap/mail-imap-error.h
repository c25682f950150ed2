/* mail-imap-error.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MAIL_IMAP_ERROR:
 *
 * The error domain of the IMAP code: the response parser, the command encoders and the
 * client. Transport failures stay in `G_IO_ERROR` and `G_TLS_ERROR`.
 */
#define MAIL_IMAP_ERROR (mail_imap_error_quark ())

/**
 * MailImapError:
 * @MAIL_IMAP_ERROR_PROTOCOL: the server sent something that is not valid IMAP
 * @MAIL_IMAP_ERROR_LIMIT_EXCEEDED: the server sent something larger or deeper than the
 *   parser's limits allow; the connection cannot continue
 * @MAIL_IMAP_ERROR_NO: the server answered a command with NO
 * @MAIL_IMAP_ERROR_BAD: the server answered a command with BAD
 * @MAIL_IMAP_ERROR_BYE: the server closed the session with BYE
 * @MAIL_IMAP_ERROR_AUTH_FAILED: the server refused the credentials
 * @MAIL_IMAP_ERROR_TRYCREATE: the target mailbox does not exist but could be created
 * @MAIL_IMAP_ERROR_OVERQUOTA: the command failed because a quota is exhausted
 * @MAIL_IMAP_ERROR_UNSENDABLE: a string cannot be put into a command in the requested form
 *   (it holds NUL, CR or LF, or 8-bit data the server did not agree to)
 * @MAIL_IMAP_ERROR_UNSUPPORTED: the server lacks an extension the operation needs to be safe
 * @MAIL_IMAP_ERROR_TEMPORARY: the server refused for now, with [INUSE] or [UNAVAILABLE]
 *   (RFC 5530): the same command may succeed later (category "temporary")
 *
 * Error codes of %MAIL_IMAP_ERROR.
 */
typedef enum
{
  MAIL_IMAP_ERROR_PROTOCOL,
  MAIL_IMAP_ERROR_LIMIT_EXCEEDED,
  MAIL_IMAP_ERROR_NO,
  MAIL_IMAP_ERROR_BAD,
  MAIL_IMAP_ERROR_BYE,
  MAIL_IMAP_ERROR_AUTH_FAILED,
  MAIL_IMAP_ERROR_TRYCREATE,
  MAIL_IMAP_ERROR_OVERQUOTA,
  MAIL_IMAP_ERROR_UNSENDABLE,
  MAIL_IMAP_ERROR_UNSUPPORTED,
  MAIL_IMAP_ERROR_TEMPORARY,
} MailImapError;

GQuark mail_imap_error_quark (void);

G_END_DECLS
