/* mail-protocol.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MailSecurity:
 * @MAIL_SECURITY_NONE: no encryption; only with the user's explicit consent
 * @MAIL_SECURITY_STARTTLS: plaintext first, then the protocol's STARTTLS command; if the
 *   upgrade does not happen the connection fails
 * @MAIL_SECURITY_TLS: TLS from the first byte (implicit TLS, RFC 8314), preferred
 *
 * How a connection is secured.
 */
typedef enum
{
  MAIL_SECURITY_NONE,
  MAIL_SECURITY_STARTTLS,
  MAIL_SECURITY_TLS,
} MailSecurity;

/**
 * MailProtocol:
 * @MAIL_PROTOCOL_IMAP: IMAP (incoming, mail stays on the server)
 * @MAIL_PROTOCOL_POP3: POP3 (incoming, mail is downloaded)
 * @MAIL_PROTOCOL_SMTP: SMTP submission (outgoing)
 */
typedef enum
{
  MAIL_PROTOCOL_IMAP,
  MAIL_PROTOCOL_POP3,
  MAIL_PROTOCOL_SMTP,
} MailProtocol;

const char *mail_protocol_to_string   (MailProtocol   protocol);
const char *mail_protocol_to_display_name (MailProtocol protocol);
gboolean    mail_protocol_from_string (const char    *name,
                                       MailProtocol  *protocol);
guint16     mail_protocol_default_port (MailProtocol  protocol,
                                        MailSecurity  security);

const char *mail_security_to_string   (MailSecurity   security);
gboolean    mail_security_from_string (const char    *name,
                                       MailSecurity  *security);

G_END_DECLS
