/* mail-autoconfig-error.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MAIL_AUTOCONFIG_ERROR:
 *
 * The error domain of account autoconfiguration and its config-v1.1 parser.
 */
#define MAIL_AUTOCONFIG_ERROR (mail_autoconfig_error_quark ())

/**
 * MailAutoconfigError:
 * @MAIL_AUTOCONFIG_ERROR_MALFORMED: the document is not well-formed XML, or not UTF-8
 * @MAIL_AUTOCONFIG_ERROR_TOO_LARGE: the document is larger than the parser accepts
 * @MAIL_AUTOCONFIG_ERROR_NOT_AUTOCONFIG: the document is XML, but not a `clientConfig`
 * @MAIL_AUTOCONFIG_ERROR_FORBIDDEN: the document has a document type (DTD) or entity
 *   declaration, which a configuration file never needs and which is refused unread
 * @MAIL_AUTOCONFIG_ERROR_NOT_FOUND: the web server has no such file (HTTP 404 or 410)
 * @MAIL_AUTOCONFIG_ERROR_HTTP: the web server answered with another status that is not
 *   success (the message names it)
 * @MAIL_AUTOCONFIG_ERROR_INSECURE_REDIRECT: an HTTPS request was redirected to plain HTTP,
 *   or a request to an address that is neither http nor https
 * @MAIL_AUTOCONFIG_ERROR_TOO_MANY_REDIRECTS: the web server redirected more than five times
 *
 * Error codes of %MAIL_AUTOCONFIG_ERROR.
 */
typedef enum
{
  MAIL_AUTOCONFIG_ERROR_MALFORMED,
  MAIL_AUTOCONFIG_ERROR_TOO_LARGE,
  MAIL_AUTOCONFIG_ERROR_NOT_AUTOCONFIG,
  MAIL_AUTOCONFIG_ERROR_FORBIDDEN,
  MAIL_AUTOCONFIG_ERROR_NOT_FOUND,
  MAIL_AUTOCONFIG_ERROR_HTTP,
  MAIL_AUTOCONFIG_ERROR_INSECURE_REDIRECT,
  MAIL_AUTOCONFIG_ERROR_TOO_MANY_REDIRECTS,
} MailAutoconfigError;

GQuark mail_autoconfig_error_quark (void);

G_END_DECLS
