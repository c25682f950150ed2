/* mail-protocol.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mail-protocol.h"

static const char * const protocol_names[] = {
  [MAIL_PROTOCOL_IMAP] = "imap",
  [MAIL_PROTOCOL_POP3] = "pop3",
  [MAIL_PROTOCOL_SMTP] = "smtp",
};

static const char * const security_names[] = {
  [MAIL_SECURITY_NONE] = "none",
  [MAIL_SECURITY_STARTTLS] = "starttls",
  [MAIL_SECURITY_TLS] = "tls",
};

/**
 * mail_protocol_to_string:
 * @protocol: a #MailProtocol
 *
 * Returns: (transfer none): "imap", "pop3" or "smtp"
 */
const char *
mail_protocol_to_string (MailProtocol protocol)
{
  g_return_val_if_fail ((guint) protocol < G_N_ELEMENTS (protocol_names), NULL);

  return protocol_names[protocol];
}

/**
 * mail_protocol_to_display_name:
 * @protocol: a #MailProtocol
 *
 * Returns: (transfer none): "IMAP", "POP3" or "SMTP", as people write them
 */
const char *
mail_protocol_to_display_name (MailProtocol protocol)
{
  switch (protocol)
    {
    case MAIL_PROTOCOL_IMAP:
      return "IMAP";
    case MAIL_PROTOCOL_POP3:
      return "POP3";
    case MAIL_PROTOCOL_SMTP:
    default:
      return "SMTP";
    }
}

/**
 * mail_protocol_from_string:
 * @name: "imap", "pop3" (or "pop") or "smtp", in any case
 * @protocol: (out): the protocol
 *
 * Returns: %TRUE when @name names a protocol
 */
gboolean
mail_protocol_from_string (const char   *name,
                           MailProtocol *protocol)
{
  g_return_val_if_fail (protocol != NULL, FALSE);

  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (protocol_names); i++)
    if (g_ascii_strcasecmp (name, protocol_names[i]) == 0)
      {
        *protocol = (MailProtocol) i;
        return TRUE;
      }

  if (g_ascii_strcasecmp (name, "pop") == 0)
    {
      *protocol = MAIL_PROTOCOL_POP3;
      return TRUE;
    }

  return FALSE;
}

/**
 * mail_protocol_default_port:
 * @protocol: a #MailProtocol
 * @security: how the connection is secured
 *
 * Returns: the standard port: 993/143 for IMAP, 995/110 for POP3, and 465/587 for
 *   submission (RFC 8314, RFC 6409)
 */
guint16
mail_protocol_default_port (MailProtocol protocol,
                            MailSecurity security)
{
  gboolean implicit = security == MAIL_SECURITY_TLS;

  switch (protocol)
    {
    case MAIL_PROTOCOL_IMAP:
      return implicit ? 993 : 143;
    case MAIL_PROTOCOL_POP3:
      return implicit ? 995 : 110;
    case MAIL_PROTOCOL_SMTP:
      return implicit ? 465 : 587;
    default:
      g_return_val_if_reached (0);
    }
}

/**
 * mail_security_to_string:
 * @security: a #MailSecurity
 *
 * Returns: (transfer none): "tls", "starttls" or "none"
 */
const char *
mail_security_to_string (MailSecurity security)
{
  g_return_val_if_fail ((guint) security < G_N_ELEMENTS (security_names), NULL);

  return security_names[security];
}

/**
 * mail_security_from_string:
 * @name: "tls" (or "ssl"), "starttls" or "none", in any case
 * @security: (out): the security
 *
 * Returns: %TRUE when @name names a security mode
 */
gboolean
mail_security_from_string (const char   *name,
                           MailSecurity *security)
{
  g_return_val_if_fail (security != NULL, FALSE);

  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (security_names); i++)
    if (g_ascii_strcasecmp (name, security_names[i]) == 0)
      {
        *security = (MailSecurity) i;
        return TRUE;
      }

  /* What provider pages and autoconfig files call implicit TLS. */
  if (g_ascii_strcasecmp (name, "ssl") == 0)
    {
      *security = MAIL_SECURITY_TLS;
      return TRUE;
    }

  return FALSE;
}
