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
 *
 * Error codes of %MAIL_AUTOCONFIG_ERROR.
 */
typedef enum
{
  MAIL_AUTOCONFIG_ERROR_MALFORMED,
  MAIL_AUTOCONFIG_ERROR_TOO_LARGE,
  MAIL_AUTOCONFIG_ERROR_NOT_AUTOCONFIG,
  MAIL_AUTOCONFIG_ERROR_FORBIDDEN,
} MailAutoconfigError;

GQuark mail_autoconfig_error_quark (void);

G_END_DECLS
