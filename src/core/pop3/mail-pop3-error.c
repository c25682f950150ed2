/* mail-pop3-error.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-pop3"

#include "mail-net-error.h"
#include "mail-pop3-error.h"

static MailErrorCategory
categorize (const GError *error)
{
  switch ((MailPop3Error) error->code)
    {
    case MAIL_POP3_ERROR_AUTH_FAILED:
      return MAIL_ERROR_CATEGORY_AUTH_FAILED;

    case MAIL_POP3_ERROR_PROTOCOL:
    case MAIL_POP3_ERROR_FAILED:
    case MAIL_POP3_ERROR_IN_USE:
    case MAIL_POP3_ERROR_LOGIN_DELAY:
    case MAIL_POP3_ERROR_SYS_TEMP:
    case MAIL_POP3_ERROR_SYS_PERM:
    case MAIL_POP3_ERROR_NOT_SUPPORTED:
    case MAIL_POP3_ERROR_TOO_LARGE:
    case MAIL_POP3_ERROR_NOT_STORED:
    case MAIL_POP3_ERROR_NO_SUCH_MESSAGE:
    case MAIL_POP3_ERROR_STATE:
    default:
      return MAIL_ERROR_CATEGORY_PROTOCOL;
    }
}

GQuark
mail_pop3_error_quark (void)
{
  static gsize quark;

  /* The first use also teaches mail_error_categorize() this domain. */
  if (g_once_init_enter (&quark))
    {
      GQuark q = g_quark_from_static_string ("mail-pop3-error-quark");

      mail_error_register_domain (q, categorize);
      g_once_init_leave (&quark, q);
    }

  return (GQuark) quark;
}

/**
 * mail_pop3_error_is_temporary:
 * @error: (nullable): an error from the POP3 client
 *
 * Whether trying again later, without changing anything, may succeed: the mailbox was in
 * use, the server asked for a delay between logins, or reported a temporary problem.
 * (Network errors and timeouts are temporary too, but they are the caller's to judge.)
 *
 * Returns: %TRUE for [IN-USE], [LOGIN-DELAY] and [SYS/TEMP]
 */
gboolean
mail_pop3_error_is_temporary (const GError *error)
{
  return error != NULL && error->domain == MAIL_POP3_ERROR
         && (error->code == MAIL_POP3_ERROR_IN_USE || error->code == MAIL_POP3_ERROR_LOGIN_DELAY
             || error->code == MAIL_POP3_ERROR_SYS_TEMP);
}
