/* mail-account-error.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * MAIL_ACCOUNT_ERROR:
 *
 * The error domain of accounts: their settings files and their passwords in the keyring.
 */
#define MAIL_ACCOUNT_ERROR (mail_account_error_quark ())

/**
 * MailAccountError:
 * @MAIL_ACCOUNT_ERROR_KEYRING_UNAVAILABLE: there is no keyring (Secret Service) to keep
 *   the password in, or it could not be reached
 * @MAIL_ACCOUNT_ERROR_KEYRING_LOCKED: the keyring is locked, and was not unlocked
 * @MAIL_ACCOUNT_ERROR_KEYRING_REFUSED: the keyring refused to keep or give the password
 *   (a prompt was dismissed, or access was denied)
 * @MAIL_ACCOUNT_ERROR_NOT_FOUND: no such account, or no password for it in the keyring
 * @MAIL_ACCOUNT_ERROR_INVALID: the settings are incomplete or wrong (an unknown protocol,
 *   a port out of range, a broken settings file, ...); the message says what
 * @MAIL_ACCOUNT_ERROR_EXISTS: an account with this address already exists
 *
 * Error codes of %MAIL_ACCOUNT_ERROR. Files that cannot be read or written keep their
 * %G_FILE_ERROR or %G_IO_ERROR, prefixed with what was being done.
 */
typedef enum
{
  MAIL_ACCOUNT_ERROR_KEYRING_UNAVAILABLE,
  MAIL_ACCOUNT_ERROR_KEYRING_LOCKED,
  MAIL_ACCOUNT_ERROR_KEYRING_REFUSED,
  MAIL_ACCOUNT_ERROR_NOT_FOUND,
  MAIL_ACCOUNT_ERROR_INVALID,
  MAIL_ACCOUNT_ERROR_EXISTS,
} MailAccountError;

GQuark      mail_account_error_quark    (void);
const char *mail_account_error_category (const GError *error);

G_END_DECLS
