/* mail-error.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mail-error.h"

static const char * const category_names[] = {
  [MAIL_ERROR_CATEGORY_NONE] = "none",
  [MAIL_ERROR_CATEGORY_NETWORK] = "network",
  [MAIL_ERROR_CATEGORY_TIMEOUT] = "timeout",
  [MAIL_ERROR_CATEGORY_TLS_CERTIFICATE] = "tls-certificate",
  [MAIL_ERROR_CATEGORY_TLS_REQUIRED] = "tls-required",
  [MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE] = "starttls-unavailable",
  [MAIL_ERROR_CATEGORY_AUTH_FAILED] = "auth-failed",
  [MAIL_ERROR_CATEGORY_PROTOCOL] = "protocol",
  [MAIL_ERROR_CATEGORY_NOT_FOUND] = "not-found",
  [MAIL_ERROR_CATEGORY_APP_PASSWORD] = "app-password",
  [MAIL_ERROR_CATEGORY_MISSING_CAPABILITY] = "missing-capability",
  [MAIL_ERROR_CATEGORY_TEMPORARY] = "temporary",
};

/**
 * mail_error_category_to_string:
 * @category: a #MailErrorCategory
 *
 * Returns: (transfer none): the stable name of @category, as the tool prints it
 */
const char *
mail_error_category_to_string (MailErrorCategory category)
{
  if ((guint) category >= G_N_ELEMENTS (category_names))
    return "protocol";

  return category_names[category];
}

/**
 * mail_error_category_from_string:
 * @name: a category name such as "auth-failed"
 *
 * Returns: the category, or %MAIL_ERROR_CATEGORY_NONE when @name is unknown
 */
MailErrorCategory
mail_error_category_from_string (const char *name)
{
  g_return_val_if_fail (name != NULL, MAIL_ERROR_CATEGORY_NONE);

  for (guint i = 0; i < G_N_ELEMENTS (category_names); i++)
    if (g_str_equal (name, category_names[i]))
      return (MailErrorCategory) i;

  return MAIL_ERROR_CATEGORY_NONE;
}
