/* mail-autoconfig-parser.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mail-autoconfig-error.h"
#include "mail-protocol.h"

G_BEGIN_DECLS

/**
 * MAIL_AUTOCONFIG_PARSER_MAX_SIZE:
 *
 * The largest document mail_autoconfig_parse() reads, in bytes (1 MiB). The largest file
 * in the ISPDB is a few kilobytes.
 */
#define MAIL_AUTOCONFIG_PARSER_MAX_SIZE (1024 * 1024)

/**
 * MailAutoconfigAuth:
 * @MAIL_AUTOCONFIG_AUTH_PASSWORD_CLEARTEXT: a password sent as is, over the secured
 *   connection ("password-cleartext"; the deprecated "plain" means the same)
 * @MAIL_AUTOCONFIG_AUTH_PASSWORD_ENCRYPTED: a password challenge such as CRAM-MD5
 *   ("password-encrypted"; the deprecated "secure" means the same)
 * @MAIL_AUTOCONFIG_AUTH_OAUTH2: OAuth 2.0 ("OAuth2")
 * @MAIL_AUTOCONFIG_AUTH_GSSAPI: Kerberos ("GSSAPI")
 * @MAIL_AUTOCONFIG_AUTH_NTLM: NTLM ("NTLM")
 * @MAIL_AUTOCONFIG_AUTH_TLS_CLIENT_CERT: a TLS client certificate ("TLS-client-cert")
 * @MAIL_AUTOCONFIG_AUTH_CLIENT_IP_ADDRESS: the server trusts the client's address
 *   ("client-IP-address")
 * @MAIL_AUTOCONFIG_AUTH_SMTP_AFTER_POP: SMTP is allowed after a POP3 login ("smtp-after-pop")
 * @MAIL_AUTOCONFIG_AUTH_NONE: no authentication ("none")
 *
 * An `<authentication>` value of config-v1.1.
 */
typedef enum
{
  MAIL_AUTOCONFIG_AUTH_PASSWORD_CLEARTEXT,
  MAIL_AUTOCONFIG_AUTH_PASSWORD_ENCRYPTED,
  MAIL_AUTOCONFIG_AUTH_OAUTH2,
  MAIL_AUTOCONFIG_AUTH_GSSAPI,
  MAIL_AUTOCONFIG_AUTH_NTLM,
  MAIL_AUTOCONFIG_AUTH_TLS_CLIENT_CERT,
  MAIL_AUTOCONFIG_AUTH_CLIENT_IP_ADDRESS,
  MAIL_AUTOCONFIG_AUTH_SMTP_AFTER_POP,
  MAIL_AUTOCONFIG_AUTH_NONE,
} MailAutoconfigAuth;

const char *mail_autoconfig_auth_to_string (MailAutoconfigAuth auth);

/**
 * MailAutoconfigPop3Hints:
 * @leave_messages_on_server: `<leaveMessagesOnServer>`, %TRUE when absent (as Thunderbird)
 * @download_on_biff: `<downloadOnBiff>`, %TRUE when absent
 * @days_to_leave_messages_on_server: `<daysToLeaveMessagesOnServer>`, 14 when absent
 * @check_interval_minutes: `<checkInterval minutes>`, 0 when absent
 *
 * What a provider suggests for a POP3 account (the `<pop3>` block).
 */
typedef struct
{
  gboolean leave_messages_on_server;
  gboolean download_on_biff;
  guint    days_to_leave_messages_on_server;
  guint    check_interval_minutes;
} MailAutoconfigPop3Hints;

/**
 * MailAutoconfigServer:
 * @protocol: %MAIL_PROTOCOL_IMAP or %MAIL_PROTOCOL_POP3 for incoming servers,
 *   %MAIL_PROTOCOL_SMTP for outgoing ones
 * @hostname: the host name, placeholders substituted. It is kept as the file gives it,
 *   ASCII or Unicode (IDN); converting it (g_hostname_to_ascii()) is the connection's job.
 * @port: the port, 1 to 65535
 * @security: how the connection is secured
 * @username: (nullable): the user name, placeholders substituted, or %NULL when the file
 *   gives none
 * @auth_methods: (element-type MailAutoconfigAuth): the authentication methods in the
 *   file's order (the provider's preference), without duplicates; empty when the file
 *   lists none or none that is known
 * @has_pop3_hints: whether @pop3_hints came from a `<pop3>` block
 * @pop3_hints: POP3 suggestions; defaults unless @has_pop3_hints
 *
 * One `<incomingServer>` or `<outgoingServer>` section that passed validation.
 */
typedef struct
{
  MailProtocol            protocol;
  char                   *hostname;
  guint16                 port;
  MailSecurity            security;
  char                   *username;
  GArray                 *auth_methods;
  gboolean                has_pop3_hints;
  MailAutoconfigPop3Hints pop3_hints;
} MailAutoconfigServer;

/**
 * MailAutoconfigText:
 * @lang: (nullable): the `lang` attribute, or %NULL
 * @text: the text, placeholders substituted and surrounding white space removed
 *
 * A text in one language.
 */
typedef struct
{
  char *lang;
  char *text;
} MailAutoconfigText;

/**
 * MailAutoconfigLink:
 * @url: the http or https address (`<enable visiturl>` or `<documentation url>`),
 *   placeholders substituted
 * @texts: (element-type MailAutoconfigText): the `<instruction>` or `<descr>` texts, in
 *   the file's order
 *
 * A page the provider points the user to: what to enable before mail works, or
 * documentation.
 */
typedef struct
{
  char      *url;
  GPtrArray *texts;
} MailAutoconfigLink;

/**
 * MailAutoconfigResult:
 * @provider_id: (nullable): `<emailProvider id>`
 * @domains: (element-type utf8): the `<domain>`s, in order
 * @display_name: (nullable): `<displayName>`
 * @display_short_name: (nullable): `<displayShortName>`
 * @incoming_servers: (element-type MailAutoconfigServer): IMAP and POP3 servers in the
 *   file's order, which is the provider's preference
 * @outgoing_servers: (element-type MailAutoconfigServer): SMTP servers in the file's order
 * @instructions: (element-type MailAutoconfigLink): the `<enable>` sections
 * @documentation: (element-type MailAutoconfigLink): the `<documentation>` sections
 * @warnings: (element-type utf8): what the parser ignored, dropped or read although it is
 *   deprecated, one sentence each, for logs and diagnostics
 *
 * What a config-v1.1 document says. Either server list may be empty.
 */
typedef struct
{
  char      *provider_id;
  GPtrArray *domains;
  char      *display_name;
  char      *display_short_name;
  GPtrArray *incoming_servers;
  GPtrArray *outgoing_servers;
  GPtrArray *instructions;
  GPtrArray *documentation;
  GPtrArray *warnings;
} MailAutoconfigResult;

MailAutoconfigResult *mail_autoconfig_parse        (const char           *data,
                                                    gssize                length,
                                                    const char           *email_address,
                                                    GError              **error)
G_GNUC_WARN_UNUSED_RESULT;
void                  mail_autoconfig_result_free  (MailAutoconfigResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailAutoconfigResult, mail_autoconfig_result_free)

G_END_DECLS
