/* mail-smtp-error.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* MAIL_SMTP_ERROR is an extended error domain (GLib 2.68): an error caused by a server
 * reply carries the reply itself, so its code, enhanced status code and text survive
 * GTask and g_error_copy() on their way to the outbox and the user.
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-smtp"

#include "mail-net-error.h"
#include "mail-smtp-error.h"

typedef struct
{
  MailSmtpReply *reply;
} MailSmtpErrorPrivate;

/* The accessor G_DEFINE_EXTENDED_ERROR writes may hand these NULL. */
static void
mail_smtp_error_private_init (MailSmtpErrorPrivate *priv)
{
  if (priv != NULL)
    priv->reply = NULL;
}

static void
mail_smtp_error_private_copy (const MailSmtpErrorPrivate *src,
                              MailSmtpErrorPrivate       *dest)
{
  if (src != NULL && dest != NULL && src->reply != NULL)
    dest->reply = mail_smtp_reply_ref (src->reply);
}

static void
mail_smtp_error_private_clear (MailSmtpErrorPrivate *priv)
{
  if (priv != NULL)
    g_clear_pointer (&priv->reply, mail_smtp_reply_unref);
}

/* Defines mail_smtp_error_quark_real (); the public quark function also registers the
 * domain's categories. */
GQuark mail_smtp_error_quark_real (void);

#define mail_smtp_error_quark mail_smtp_error_quark_real
G_DEFINE_EXTENDED_ERROR (MailSmtpError, mail_smtp_error)
#undef mail_smtp_error_quark

static MailErrorCategory
categorize (const GError *error)
{
  switch ((MailSmtpError) error->code)
    {
    case MAIL_SMTP_ERROR_AUTH_FAILED:
      return MAIL_ERROR_CATEGORY_AUTH_FAILED;

    case MAIL_SMTP_ERROR_PROTOCOL:
    case MAIL_SMTP_ERROR_TRANSIENT:
    case MAIL_SMTP_ERROR_PERMANENT:
    case MAIL_SMTP_ERROR_MESSAGE_TOO_LARGE:
    case MAIL_SMTP_ERROR_SMTPUTF8_UNSUPPORTED:
    case MAIL_SMTP_ERROR_8BIT_UNSUPPORTED:
    case MAIL_SMTP_ERROR_INVALID_ADDRESS:
    case MAIL_SMTP_ERROR_INVALID_MESSAGE:
    case MAIL_SMTP_ERROR_STATE:
    default:
      return MAIL_ERROR_CATEGORY_PROTOCOL;
    }
}

GQuark
mail_smtp_error_quark (void)
{
  static gsize registered;
  GQuark quark = mail_smtp_error_quark_real ();

  if (g_once_init_enter (&registered))
    {
      mail_error_register_domain (quark, categorize);
      g_once_init_leave (&registered, 1);
    }

  return quark;
}

/**
 * mail_smtp_error_new_reply:
 * @code: the error code
 * @reply: (nullable): the server reply the error answers
 * @message: a message for people
 *
 * Returns: (transfer full): a new error carrying @reply
 */
GError *
mail_smtp_error_new_reply (MailSmtpError  code,
                           MailSmtpReply *reply,
                           const char    *message)
{
  MailSmtpErrorPrivate *priv;
  GError *error;

  g_return_val_if_fail (message != NULL, NULL);

  error = g_error_new_literal (MAIL_SMTP_ERROR, code, message);
  priv = mail_smtp_error_get_private (error);
  if (priv != NULL && reply != NULL)
    priv->reply = mail_smtp_reply_ref (reply);

  return error;
}

/**
 * mail_smtp_error_get_reply:
 * @error: a #GError
 *
 * Returns: (transfer none) (nullable): the server reply a %MAIL_SMTP_ERROR is about, with
 *   its code and enhanced status code, or %NULL
 */
MailSmtpReply *
mail_smtp_error_get_reply (const GError *error)
{
  MailSmtpErrorPrivate *priv;

  if (error == NULL || error->domain != MAIL_SMTP_ERROR)
    return NULL;

  priv = mail_smtp_error_get_private (error);

  return priv != NULL ? priv->reply : NULL;
}

/**
 * mail_smtp_error_is_transient:
 * @error: (nullable): an error from the SMTP client
 *
 * Whether sending again later, unchanged, may succeed (a 4yz refusal). Network errors
 * and timeouts may be temporary too, but they are the caller's to judge: after a timeout
 * at the end of the message it may already have been delivered.
 *
 * Returns: %TRUE for %MAIL_SMTP_ERROR_TRANSIENT
 */
gboolean
mail_smtp_error_is_transient (const GError *error)
{
  return g_error_matches (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_TRANSIENT);
}
