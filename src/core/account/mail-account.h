/* mail-account.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-account-error.h"
#include "mail-protocol.h"

G_BEGIN_DECLS

/**
 * MAIL_ACCOUNT_AUTH_PASSWORD:
 *
 * The auth method of a server signed in to with the password, by the best password
 * mechanism it offers. Any other value names one SASL mechanism ("PLAIN", "XOAUTH2").
 */
#define MAIL_ACCOUNT_AUTH_PASSWORD "password"

/**
 * MAIL_ACCOUNT_DEFAULT_SYNC_WINDOW_DAYS:
 *
 * How many days of recent mail get their bodies downloaded, unless the user chose.
 */
#define MAIL_ACCOUNT_DEFAULT_SYNC_WINDOW_DAYS 30

/**
 * MAIL_ACCOUNT_MAX_DAYS:
 *
 * The largest number of days a sync window or a POP3 deletion delay may be.
 */
#define MAIL_ACCOUNT_MAX_DAYS 36500

/**
 * MailAccountDirection:
 * @MAIL_ACCOUNT_INCOMING: the incoming server (IMAP or POP3)
 * @MAIL_ACCOUNT_OUTGOING: the outgoing server (SMTP submission)
 *
 * Which of an account's two servers.
 */
typedef enum
{
  MAIL_ACCOUNT_INCOMING,
  MAIL_ACCOUNT_OUTGOING,
} MailAccountDirection;

/**
 * MailAccountServer:
 * @protocol: IMAP or POP3 for the incoming server, SMTP for the outgoing one
 * @host: the host name in ASCII (IDNA) form, as used on the wire
 * @port: the port
 * @security: implicit TLS, STARTTLS or none
 * @username: (nullable): the user name to sign in with; %NULL only for an outgoing
 *   server that takes mail without signing in
 * @auth: %MAIL_ACCOUNT_AUTH_PASSWORD, or the name of one SASL mechanism
 * @allow_plaintext_password: the user explicitly allowed sending the password over an
 *   unencrypted connection to this server; required when @security is
 *   %MAIL_SECURITY_NONE
 * @pinned_fingerprint: (nullable): the SHA-256 fingerprint of a certificate the user chose
 *   to trust for exactly this server, in the form mail_certificate_fingerprint_normalize()
 *   gives
 * @pinned_pem: (nullable): that certificate in PEM form, to show it again
 * @ca_file: (nullable): a PEM file of extra certificate authorities this server is
 *   verified against, in addition to the system's (inside the account's data directory
 *   once the account is saved)
 *
 * One server of an account. Never holds a password: that is only in the keyring.
 */
typedef struct
{
  MailProtocol  protocol;
  char         *host;
  guint16       port;
  MailSecurity  security;
  char         *username;
  char         *auth;
  gboolean      allow_plaintext_password;
  char         *pinned_fingerprint;
  char         *pinned_pem;
  char         *ca_file;
} MailAccountServer;

#define MAIL_TYPE_ACCOUNT_SERVER (mail_account_server_get_type ())

GType              mail_account_server_get_type (void) G_GNUC_CONST;
MailAccountServer *mail_account_server_new      (MailProtocol             protocol,
                                                 const char              *host,
                                                 guint16                  port,
                                                 MailSecurity             security)
    G_GNUC_WARN_UNUSED_RESULT;
MailAccountServer *mail_account_server_copy     (const MailAccountServer *server)
    G_GNUC_WARN_UNUSED_RESULT;
void               mail_account_server_free     (MailAccountServer       *server);
gboolean           mail_account_server_equal    (const MailAccountServer *a,
                                                 const MailAccountServer *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailAccountServer, mail_account_server_free)

#define MAIL_TYPE_ACCOUNT (mail_account_get_type ())

G_DECLARE_FINAL_TYPE (MailAccount, mail_account, MAIL, ACCOUNT, GObject)

MailAccount             *mail_account_new                    (const char            *address)
    G_GNUC_WARN_UNUSED_RESULT;
MailAccount             *mail_account_copy                   (MailAccount           *self)
    G_GNUC_WARN_UNUSED_RESULT;

const char              *mail_account_get_id                 (MailAccount           *self);
const char              *mail_account_get_address            (MailAccount           *self);
void                     mail_account_set_address            (MailAccount           *self,
                                                              const char            *address);
const char              *mail_account_get_display_name       (MailAccount           *self);
void                     mail_account_set_display_name       (MailAccount           *self,
                                                              const char            *name);
const char              *mail_account_get_signature          (MailAccount           *self);
void                     mail_account_set_signature          (MailAccount           *self,
                                                              const char            *signature);
const MailAccountServer *mail_account_get_server             (MailAccount           *self,
                                                              MailAccountDirection   direction);
void                     mail_account_set_server             (MailAccount           *self,
                                                              MailAccountDirection   direction,
                                                              const MailAccountServer *server);
guint                    mail_account_get_sync_window_days   (MailAccount           *self);
void                     mail_account_set_sync_window_days   (MailAccount           *self,
                                                              guint                  days);
gboolean                 mail_account_get_pop3_leave_on_server (MailAccount         *self);
void                     mail_account_set_pop3_leave_on_server (MailAccount         *self,
                                                                gboolean             leave);
guint                    mail_account_get_pop3_delete_after_days (MailAccount       *self);
void                     mail_account_set_pop3_delete_after_days (MailAccount       *self,
                                                                  guint              days);

gboolean                 mail_account_validate               (MailAccount           *self,
                                                              GError               **error);

GKeyFile                *mail_account_to_key_file            (MailAccount           *self)
    G_GNUC_WARN_UNUSED_RESULT;
MailAccount             *mail_account_new_from_key_file      (GKeyFile              *key_file,
                                                              GError               **error)
    G_GNUC_WARN_UNUSED_RESULT;

char                    *mail_account_dup_settings_path      (MailAccount           *self)
    G_GNUC_WARN_UNUSED_RESULT;
char                    *mail_account_dup_data_dir           (MailAccount           *self)
    G_GNUC_WARN_UNUSED_RESULT;
char                    *mail_account_dup_settings_dir       (void)
    G_GNUC_WARN_UNUSED_RESULT;
char                    *mail_account_dup_data_root          (void)
    G_GNUC_WARN_UNUSED_RESULT;

gboolean                 mail_account_address_equal          (const char            *a,
                                                              const char            *b);

G_END_DECLS
