/* mail-account-error.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mail-account-error.h"

G_DEFINE_QUARK (mail-account-error-quark, mail_account_error)

static const char * const category_names[] = {
  [MAIL_ACCOUNT_ERROR_KEYRING_UNAVAILABLE] = "keyring-unavailable",
  [MAIL_ACCOUNT_ERROR_KEYRING_LOCKED] = "keyring-locked",
  [MAIL_ACCOUNT_ERROR_KEYRING_REFUSED] = "keyring-refused",
  [MAIL_ACCOUNT_ERROR_NOT_FOUND] = "not-found",
  [MAIL_ACCOUNT_ERROR_INVALID] = "invalid",
  [MAIL_ACCOUNT_ERROR_EXISTS] = "exists",
};

/**
 * mail_account_error_category:
 * @error: an error from an account operation
 *
 * The stable name `mail-tool account` prints for @error, which scripts match on:
 * "keyring-unavailable", "keyring-locked", "keyring-refused", "not-found", "invalid" or
 * "exists" for %MAIL_ACCOUNT_ERROR, "cancelled" for a cancellation, and "file" for a
 * settings or data file that could not be read or written.
 *
 * Returns: (transfer none): the category's name
 */
const char *
mail_account_error_category (const GError *error)
{
  g_return_val_if_fail (error != NULL, "file");

  if (error->domain == MAIL_ACCOUNT_ERROR && (guint) error->code < G_N_ELEMENTS (category_names))
    return category_names[error->code];
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return "cancelled";

  return "file";
}
