/* mail-sasl.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * MailSaslMechanism:
 * @MAIL_SASL_MECHANISM_NONE: no mechanism
 * @MAIL_SASL_MECHANISM_PLAIN: PLAIN (RFC 4616), user name and password in one response
 * @MAIL_SASL_MECHANISM_LOGIN: LOGIN, user name and password in two responses
 * @MAIL_SASL_MECHANISM_XOAUTH2: Google's and Microsoft's XOAUTH2 with an OAuth 2.0 token
 * @MAIL_SASL_MECHANISM_OAUTHBEARER: OAUTHBEARER (RFC 7628) with an OAuth 2.0 token
 *
 * The SASL mechanisms the protocol clients can use.
 */
typedef enum
{
  MAIL_SASL_MECHANISM_NONE,
  MAIL_SASL_MECHANISM_PLAIN,
  MAIL_SASL_MECHANISM_LOGIN,
  MAIL_SASL_MECHANISM_XOAUTH2,
  MAIL_SASL_MECHANISM_OAUTHBEARER,
} MailSaslMechanism;

/**
 * MailSaslCredential:
 * @MAIL_SASL_CREDENTIAL_PASSWORD: the account signs in with a password
 * @MAIL_SASL_CREDENTIAL_OAUTH2: the account signs in with an OAuth 2.0 access token
 *
 * What kind of secret the account has.
 */
typedef enum
{
  MAIL_SASL_CREDENTIAL_PASSWORD,
  MAIL_SASL_CREDENTIAL_OAUTH2,
} MailSaslCredential;

/**
 * MAIL_SASL_OAUTH_ERROR_RESPONSE:
 *
 * What a client answers to the error challenge of a failed OAUTHBEARER exchange (the
 * base64 of a single 0x01) so that the server sends its final failure reply. A failed
 * XOAUTH2 exchange is answered with an empty line instead.
 */
#define MAIL_SASL_OAUTH_ERROR_RESPONSE "AQ=="

const char        *mail_sasl_mechanism_to_string     (MailSaslMechanism    mechanism);
MailSaslMechanism  mail_sasl_mechanism_from_string   (const char          *name);
gboolean           mail_sasl_mechanism_sends_password (MailSaslMechanism   mechanism);

MailSaslMechanism  mail_sasl_choose_mechanism        (const char * const  *offered,
                                                      MailSaslCredential   credential,
                                                      gboolean             encrypted,
                                                      gboolean             allow_plaintext_password,
                                                      GError             **error);

char              *mail_sasl_plain_response          (const char          *authzid,
                                                      const char          *user,
                                                      const char          *password,
                                                      GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;
char              *mail_sasl_login_response          (guint                step,
                                                      const char          *user,
                                                      const char          *password,
                                                      GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;
char              *mail_sasl_xoauth2_response        (const char          *user,
                                                      const char          *token,
                                                      GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;
char              *mail_sasl_oauthbearer_response    (const char          *user,
                                                      const char          *host,
                                                      guint16              port,
                                                      const char          *token,
                                                      GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;
GBytes            *mail_sasl_decode_challenge        (const char          *challenge,
                                                      GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;
void               mail_sasl_clear_free              (char                *response);

G_END_DECLS
