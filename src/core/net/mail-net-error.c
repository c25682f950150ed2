/* mail-net-error.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The connection layer's error domain, and the one place that sorts any error a user can
 * see into a MailErrorCategory. MAIL_NET_ERROR is an extended error domain (GLib 2.68):
 * a certificate error carries the MailCertificateInfo itself, so it survives GTask and
 * g_error_copy() on its way to the UI or to `mail-tool check --json`.
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-net"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-net-error.h"

typedef struct
{
  MailCertificateInfo *certificate_info;
} MailNetErrorPrivate;

/* The private-data accessor G_DEFINE_EXTENDED_ERROR writes may return NULL (after a
 * g_return_val_if_fail), hence the checks. */
static void
mail_net_error_private_init (MailNetErrorPrivate *priv)
{
  if (priv != NULL)
    priv->certificate_info = NULL;
}

static void
mail_net_error_private_copy (const MailNetErrorPrivate *src,
                             MailNetErrorPrivate       *dest)
{
  if (src != NULL && dest != NULL && src->certificate_info != NULL)
    dest->certificate_info = g_object_ref (src->certificate_info);
}

static void
mail_net_error_private_clear (MailNetErrorPrivate *priv)
{
  if (priv != NULL)
    g_clear_object (&priv->certificate_info);
}

G_DEFINE_EXTENDED_ERROR (MailNetError, mail_net_error)

static GMutex registry_mutex;
static GHashTable *registry;

/**
 * mail_net_error_get_certificate_info:
 * @error: a #GError
 *
 * Returns: (transfer none) (nullable): the certificate a %MAIL_NET_ERROR_CERTIFICATE
 *   error is about, or %NULL for any other error
 */
MailCertificateInfo *
mail_net_error_get_certificate_info (const GError *error)
{
  MailNetErrorPrivate *priv;

  if (error == NULL || error->domain != MAIL_NET_ERROR)
    return NULL;

  priv = mail_net_error_get_private (error);

  return priv != NULL ? priv->certificate_info : NULL;
}

/**
 * mail_net_error_new_certificate:
 * @info: the certificate that was not accepted
 *
 * Returns: (transfer full): a %MAIL_NET_ERROR_CERTIFICATE error carrying @info, with
 *   a plain-language message
 */
GError *
mail_net_error_new_certificate (MailCertificateInfo *info)
{
  g_autofree char *message = NULL;
  MailNetErrorPrivate *priv;
  GError *error;

  g_return_val_if_fail (MAIL_IS_CERTIFICATE_INFO (info), NULL);

  message = mail_certificate_info_describe (info);
  error = g_error_new_literal (MAIL_NET_ERROR, MAIL_NET_ERROR_CERTIFICATE, message);
  priv = mail_net_error_get_private (error);
  if (priv != NULL)
    priv->certificate_info = g_object_ref (info);

  return error;
}

/**
 * mail_net_error_set_starttls_unavailable:
 * @error: return location for a #GError
 * @code: %MAIL_NET_ERROR_STARTTLS_NOT_OFFERED, %MAIL_NET_ERROR_STARTTLS_REFUSED,
 *   %MAIL_NET_ERROR_STARTTLS_PREAUTH or %MAIL_NET_ERROR_STARTTLS_INJECTION
 *
 * For protocol clients on a STARTTLS account: the one error to return when the upgrade
 * to TLS cannot happen. The connection must then be closed; there is no fallback to
 * plaintext. The server's own words are deliberately left out of the message: before
 * TLS anyone on the path can write them (they belong in the protocol log only).
 */
void
mail_net_error_set_starttls_unavailable (GError       **error,
                                         MailNetError   code)
{
  const char *reason;

  switch (code)
    {
    case MAIL_NET_ERROR_STARTTLS_NOT_OFFERED:
      reason = _("the server does not offer STARTTLS");
      break;

    case MAIL_NET_ERROR_STARTTLS_REFUSED:
      reason = _("the server refused STARTTLS");
      break;

    case MAIL_NET_ERROR_STARTTLS_PREAUTH:
      reason = _("the server skipped authentication before encryption was started (PREAUTH)");
      break;

    case MAIL_NET_ERROR_STARTTLS_INJECTION:
      reason = _("the server sent unexpected data before encryption was started, which may "
                 "mean that someone is tampering with the connection");
      break;

    default:
      g_return_if_reached ();
    }

  g_set_error (error, MAIL_NET_ERROR, code, _("The connection could not be secured: %s."),
               reason);
}

/**
 * mail_error_register_domain:
 * @domain: an error domain of another area, such as the IMAP client's
 * @func: (scope forever): sorts errors of @domain into categories
 *
 * Lets higher layers (IMAP, POP3, SMTP) teach mail_error_categorize() their own domains,
 * without the connection layer knowing them.
 */
void
mail_error_register_domain (GQuark                  domain,
                            MailErrorCategorizeFunc func)
{
  g_return_if_fail (domain != 0);
  g_return_if_fail (func != NULL);

  g_mutex_lock (&registry_mutex);
  if (registry == NULL)
    registry = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (registry, GUINT_TO_POINTER (domain), (gpointer) func);
  g_mutex_unlock (&registry_mutex);
}

static MailErrorCategorizeFunc
lookup_domain (GQuark domain)
{
  MailErrorCategorizeFunc func = NULL;

  g_mutex_lock (&registry_mutex);
  if (registry != NULL)
    func = (MailErrorCategorizeFunc) g_hash_table_lookup (registry, GUINT_TO_POINTER (domain));
  g_mutex_unlock (&registry_mutex);

  return func;
}

static MailErrorCategory
categorize_net_error (const GError *error)
{
  switch ((MailNetError) error->code)
    {
    case MAIL_NET_ERROR_CERTIFICATE:
      return MAIL_ERROR_CATEGORY_TLS_CERTIFICATE;

    case MAIL_NET_ERROR_TLS_VERSION:
    case MAIL_NET_ERROR_PLAINTEXT_REFUSED:
      return MAIL_ERROR_CATEGORY_TLS_REQUIRED;

    case MAIL_NET_ERROR_STARTTLS_NOT_OFFERED:
    case MAIL_NET_ERROR_STARTTLS_REFUSED:
    case MAIL_NET_ERROR_STARTTLS_PREAUTH:
    case MAIL_NET_ERROR_STARTTLS_INJECTION:
      return MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE;

    case MAIL_NET_ERROR_NO_MECHANISM:
      return MAIL_ERROR_CATEGORY_MISSING_CAPABILITY;

    case MAIL_NET_ERROR_LIMIT:
    case MAIL_NET_ERROR_FAILED:
    default:
      return MAIL_ERROR_CATEGORY_PROTOCOL;
    }
}

static MailErrorCategory
categorize_tls_error (const GError *error)
{
  switch ((GTlsError) error->code)
    {
    case G_TLS_ERROR_BAD_CERTIFICATE:
    case G_TLS_ERROR_CERTIFICATE_REQUIRED:
      return MAIL_ERROR_CATEGORY_TLS_CERTIFICATE;

    case G_TLS_ERROR_EOF:
      return MAIL_ERROR_CATEGORY_NETWORK;

    case G_TLS_ERROR_UNAVAILABLE:
    case G_TLS_ERROR_MISC:
    case G_TLS_ERROR_NOT_TLS:
    case G_TLS_ERROR_HANDSHAKE:
    case G_TLS_ERROR_INAPPROPRIATE_FALLBACK:
    default:
      return MAIL_ERROR_CATEGORY_TLS_REQUIRED;
    }
}

/**
 * mail_error_categorize:
 * @error: (nullable): any error from the core
 *
 * Sorts an error into the categories users and scripts see. Cancellation is not a
 * failure to show: it is %MAIL_ERROR_CATEGORY_NONE.
 *
 * Returns: the category of @error
 */
MailErrorCategory
mail_error_categorize (const GError *error)
{
  MailErrorCategorizeFunc func;

  if (error == NULL)
    return MAIL_ERROR_CATEGORY_NONE;

  if (error->domain == MAIL_NET_ERROR)
    return categorize_net_error (error);

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_CANCELLED:
          return MAIL_ERROR_CATEGORY_NONE;

        case G_IO_ERROR_TIMED_OUT:
          return MAIL_ERROR_CATEGORY_TIMEOUT;

        case G_IO_ERROR_INVALID_DATA:
          return MAIL_ERROR_CATEGORY_PROTOCOL;

        default:
          /* Refused, host not found or unreachable, reset, closed, proxy failures. */
          return MAIL_ERROR_CATEGORY_NETWORK;
        }
    }

  if (error->domain == G_RESOLVER_ERROR)
    return MAIL_ERROR_CATEGORY_NETWORK;

  if (error->domain == G_TLS_ERROR)
    return categorize_tls_error (error);

  func = lookup_domain (error->domain);
  if (func != NULL)
    return func (error);

  return MAIL_ERROR_CATEGORY_PROTOCOL;
}

/**
 * mail_error_category_describe:
 * @category: a #MailErrorCategory
 *
 * Returns: one plain-language sentence for @category
 */
const char *
mail_error_category_describe (MailErrorCategory category)
{
  switch (category)
    {
    case MAIL_ERROR_CATEGORY_NONE:
      return _("No error.");

    case MAIL_ERROR_CATEGORY_NETWORK:
      return _("The server could not be reached.");

    case MAIL_ERROR_CATEGORY_TIMEOUT:
      return _("The server did not answer in time.");

    case MAIL_ERROR_CATEGORY_TLS_CERTIFICATE:
      return _("The server’s certificate was not accepted.");

    case MAIL_ERROR_CATEGORY_TLS_REQUIRED:
      return _("A secure connection to the server could not be made.");

    case MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE:
      return _("The connection could not be secured.");

    case MAIL_ERROR_CATEGORY_AUTH_FAILED:
      return _("The server did not accept the user name or password.");

    case MAIL_ERROR_CATEGORY_NOT_FOUND:
      return _("No settings were found for this address.");

    case MAIL_ERROR_CATEGORY_APP_PASSWORD:
      return _("The provider requires an app password, or mail access to be turned on first.");

    case MAIL_ERROR_CATEGORY_MISSING_CAPABILITY:
      return _("The server does not offer a way of signing in that this application supports.");

    case MAIL_ERROR_CATEGORY_TEMPORARY:
      return _("The server is busy or briefly unavailable; try again later.");

    case MAIL_ERROR_CATEGORY_PROTOCOL:
    default:
      return _("The server sent something this application does not understand.");
    }
}

/**
 * mail_error_describe:
 * @error: an error from the core
 *
 * A message for people. Errors from #MailConnection and the %MAIL_NET_ERROR domain are
 * already written as whole sentences ("The server mail.example.test did not answer within
 * 15 seconds.") and come back unchanged; a bare technical message from elsewhere ("Socket
 * I/O timed out") is put after the sentence for its category.
 *
 * Returns: (transfer full): a plain-language description of @error
 */
char *
mail_error_describe (const GError *error)
{
  const char *message;
  gsize len;

  g_return_val_if_fail (error != NULL, NULL);

  message = error->message != NULL ? error->message : "";
  len = strlen (message);

  if (error->domain == MAIL_NET_ERROR || (len > 0 && message[len - 1] == '.'))
    return g_strdup (message);

  if (len == 0)
    return g_strdup (mail_error_category_describe (mail_error_categorize (error)));

  /* TRANSLATORS: a sentence, then the technical detail in parentheses */
  return g_strdup_printf (_("%s (%s)"),
                          mail_error_category_describe (mail_error_categorize (error)),
                          message);
}
