/* mail-error.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * MailErrorCategory:
 * @MAIL_ERROR_CATEGORY_NONE: no error
 * @MAIL_ERROR_CATEGORY_NETWORK: the server could not be reached
 * @MAIL_ERROR_CATEGORY_TIMEOUT: the server did not answer in time
 * @MAIL_ERROR_CATEGORY_TLS_CERTIFICATE: the server's certificate was not accepted
 * @MAIL_ERROR_CATEGORY_TLS_REQUIRED: the connection would not have been encrypted
 * @MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE: the server did not offer or refused STARTTLS
 * @MAIL_ERROR_CATEGORY_AUTH_FAILED: the server refused the user name or password
 * @MAIL_ERROR_CATEGORY_PROTOCOL: the server said something we could not accept
 * @MAIL_ERROR_CATEGORY_NOT_FOUND: no settings could be found for an address
 * @MAIL_ERROR_CATEGORY_APP_PASSWORD: the provider wants an app password, or mail access
 *   (IMAP, POP3) turned on in its web settings, before it lets a mail client sign in
 * @MAIL_ERROR_CATEGORY_MISSING_CAPABILITY: the server lacks something required, such as
 *   an authentication mechanism this application supports
 * @MAIL_ERROR_CATEGORY_TEMPORARY: the server refused for now (a mailbox in use, a service
 *   briefly unavailable): the same request may succeed later, so it is worth retrying
 *   with backoff
 *
 * The categories every failure a user can see is sorted into. They are stable: the
 * command-line tool prints them and scripts match on them.
 */
typedef enum
{
  MAIL_ERROR_CATEGORY_NONE,
  MAIL_ERROR_CATEGORY_NETWORK,
  MAIL_ERROR_CATEGORY_TIMEOUT,
  MAIL_ERROR_CATEGORY_TLS_CERTIFICATE,
  MAIL_ERROR_CATEGORY_TLS_REQUIRED,
  MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE,
  MAIL_ERROR_CATEGORY_AUTH_FAILED,
  MAIL_ERROR_CATEGORY_PROTOCOL,
  MAIL_ERROR_CATEGORY_NOT_FOUND,
  MAIL_ERROR_CATEGORY_APP_PASSWORD,
  MAIL_ERROR_CATEGORY_MISSING_CAPABILITY,
  MAIL_ERROR_CATEGORY_TEMPORARY,
} MailErrorCategory;

const char        *mail_error_category_to_string (MailErrorCategory category);
MailErrorCategory  mail_error_category_from_string (const char *name);

G_END_DECLS
