/* mail-server-check.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-certificate-info.h"
#include "mail-error.h"
#include "mail-protocol.h"

G_BEGIN_DECLS

/**
 * MailServerCheckOptions:
 * @user: (nullable): the user name to sign in with; %NULL only connects and secures
 * @password: (nullable): the password for @user
 * @database: (nullable): the trust store (the system's plus any extra CA)
 * @pinned_fingerprint: (nullable): a certificate the user accepted for exactly this host
 *   and port (SHA-256)
 * @allow_plaintext_password: whether the user explicitly allowed sending the password
 *   over an unencrypted connection
 * @timeout_seconds: per-phase timeout (connect, greeting, command); 0 for the defaults
 *
 * What to check and how.
 */
typedef struct
{
  const char   *user;
  const char   *password;
  GTlsDatabase *database;
  const char   *pinned_fingerprint;
  gboolean      allow_plaintext_password;
  guint         timeout_seconds;
} MailServerCheckOptions;

/**
 * MailServerCheckResult:
 * @protocol: the protocol checked
 * @host: the server
 * @port: its port
 * @security: how the connection was to be secured
 * @ok: whether everything asked for worked (connect, secure, and sign in when a user was given)
 * @authenticated: whether the sign-in succeeded
 * @capabilities: the capabilities the server announced once secured
 * @auth_mechanisms: the authentication mechanisms it offered once secured
 * @tls_version: (nullable): the TLS version in use, e.g. "TLS 1.3"
 * @certificate: (nullable): the server's certificate, whenever TLS got that far
 * @category: what kind of failure, or %MAIL_ERROR_CATEGORY_NONE
 * @message: (nullable): the failure in plain language
 * @error: (nullable): the failure as a #GError
 * @elapsed_ms: how long the check took
 * @log: the protocol log, credentials redacted
 *
 * The outcome of one check, ready to show or print.
 */
typedef struct
{
  MailProtocol         protocol;
  char                *host;
  guint16              port;
  MailSecurity         security;
  gboolean             ok;
  gboolean             authenticated;
  char               **capabilities;
  char               **auth_mechanisms;
  char                *tls_version;
  MailCertificateInfo *certificate;
  MailErrorCategory    category;
  char                *message;
  GError              *error;
  gint64               elapsed_ms;
  char                *log;
} MailServerCheckResult;

void                   mail_server_check_result_free (MailServerCheckResult         *result);

MailServerCheckResult *mail_server_check_sync        (MailProtocol                   protocol,
                                                      const char                    *host,
                                                      guint16                        port,
                                                      MailSecurity                   security,
                                                      const MailServerCheckOptions  *options,
                                                      GCancellable                  *cancellable);
void                   mail_server_check_async       (MailProtocol                   protocol,
                                                      const char                    *host,
                                                      guint16                        port,
                                                      MailSecurity                   security,
                                                      const MailServerCheckOptions  *options,
                                                      GCancellable                  *cancellable,
                                                      GAsyncReadyCallback            callback,
                                                      gpointer                       user_data);
MailServerCheckResult *mail_server_check_finish      (GAsyncResult                  *result,
                                                      GError                       **error);

gboolean mail_server_check_text_asks_for_app_password (const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailServerCheckResult, mail_server_check_result_free)

G_END_DECLS
