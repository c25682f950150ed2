/* mail-net-error.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-certificate-info.h"
#include "mail-error.h"

G_BEGIN_DECLS

#define MAIL_NET_ERROR (mail_net_error_quark ())

/**
 * MailNetError:
 * @MAIL_NET_ERROR_FAILED: any other failure of the connection layer
 * @MAIL_NET_ERROR_CERTIFICATE: the server's certificate was not accepted; the error
 *   carries a #MailCertificateInfo (see mail_net_error_get_certificate_info())
 * @MAIL_NET_ERROR_TLS_VERSION: the server negotiated a TLS version older than 1.2
 * @MAIL_NET_ERROR_LIMIT: the server sent a line, literal or response larger than the
 *   limit set on the reader
 * @MAIL_NET_ERROR_STARTTLS_NOT_OFFERED: the server does not offer STARTTLS
 * @MAIL_NET_ERROR_STARTTLS_REFUSED: the server refused the STARTTLS command
 * @MAIL_NET_ERROR_STARTTLS_PREAUTH: the server greeted with PREAUTH (or otherwise skipped
 *   authentication) on an account that requires STARTTLS
 * @MAIL_NET_ERROR_STARTTLS_INJECTION: the server sent bytes after accepting STARTTLS and
 *   before the TLS handshake: a response-injection attack or a broken server
 * @MAIL_NET_ERROR_PLAINTEXT_REFUSED: a password or token would have been sent over an
 *   unencrypted connection
 * @MAIL_NET_ERROR_NO_MECHANISM: the server offers no sign-in mechanism that can be used
 *
 * Errors of the connection layer. Plain transport errors stay in %G_IO_ERROR,
 * %G_RESOLVER_ERROR and %G_TLS_ERROR; use mail_error_categorize() to sort any of them.
 */
typedef enum
{
  MAIL_NET_ERROR_FAILED,
  MAIL_NET_ERROR_CERTIFICATE,
  MAIL_NET_ERROR_TLS_VERSION,
  MAIL_NET_ERROR_LIMIT,
  MAIL_NET_ERROR_STARTTLS_NOT_OFFERED,
  MAIL_NET_ERROR_STARTTLS_REFUSED,
  MAIL_NET_ERROR_STARTTLS_PREAUTH,
  MAIL_NET_ERROR_STARTTLS_INJECTION,
  MAIL_NET_ERROR_PLAINTEXT_REFUSED,
  MAIL_NET_ERROR_NO_MECHANISM,
} MailNetError;

/**
 * MailErrorCategorizeFunc:
 * @error: an error of the domain the function was registered for
 *
 * Returns: the category of @error
 */
typedef MailErrorCategory (*MailErrorCategorizeFunc) (const GError *error);

GQuark               mail_net_error_quark                    (void);

MailCertificateInfo *mail_net_error_get_certificate_info     (const GError         *error);
GError              *mail_net_error_new_certificate          (MailCertificateInfo  *info);
void                 mail_net_error_set_starttls_unavailable (GError              **error,
                                                              MailNetError          code);

MailErrorCategory    mail_error_categorize                   (const GError         *error);
char                *mail_error_describe                     (const GError         *error);
const char          *mail_error_category_describe            (MailErrorCategory     category);
void                 mail_error_register_domain              (GQuark                domain,
                                                              MailErrorCategorizeFunc func);

G_END_DECLS
