/* mail-connection-tls.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The TLS decisions of MailConnection, gathered so that a security review can read them
 * alone. A reviewer finds here:
 *
 *  - which certificate that fails verification is still accepted: only the pinned one,
 *    for exactly this host and port, and within its validity period
 *    (mail_connection_set_pinned_certificate(), pin_accepts(), accept_certificate_cb());
 *  - what every handshake is given (the server identity, the caller's certificate
 *    database, untouched validation flags) and the TLS 1.2 floor
 *    (_mail_connection_handshake());
 *  - the STARTTLS upgrade, refused when a single byte follows the server's reply
 *    (socket_is_quiet(), mail_connection_start_tls_sync());
 *  - what the connection reports about its encryption: mail_connection_is_encrypted(),
 *    the test the protocol clients make before they send a password, and the
 *    negotiated version, cipher suite and certificate.
 *
 * Elsewhere: mail-connection.c runs the handshake for implicit TLS while connecting, and
 * mail_connection_write_secret_sync() there refuses to send a secret without encryption;
 * mail-certificate-info.c computes fingerprints and validity; mail-tls-database.c decides
 * which certificate authorities are trusted.
 *
 * TLS. The GTlsClientConnection always gets the server identity (a GNetworkAddress of
 * host:port) and the caller's GTlsDatabase; validation flags are never touched. A
 * certificate that fails verification is only accepted when it is exactly the pinned
 * one (SHA-256 of the DER) for exactly this host and port, and still within its
 * validity period; otherwise the handshake fails with MAIL_NET_ERROR_CERTIFICATE
 * carrying a MailCertificateInfo. Anything older than TLS 1.2 is refused.
 *
 * STARTTLS. The protocol client sends its STARTTLS command, reads the positive reply
 * through this connection, and calls mail_connection_start_tls_sync(). That fails, and
 * closes the connection, if a single byte already follows the reply (in the reader's
 * buffer or waiting in the socket): a server does not speak before the client's TLS
 * hello, so those bytes are an injection attempt. After a successful upgrade the client
 * MUST forget everything it learned before it (capabilities, greeting text): watch
 * notify::encrypted or just reset that state after the call. There is no fallback to
 * plaintext, ever: a client that cannot upgrade reports
 * mail_net_error_set_starttls_unavailable() and closes.
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-net"

#include <glib/gi18n.h>

#include "mail-connection-private.h"

/* ---------------------------------------------------------------------------------- */
/* Pinning                                                                             */

/**
 * mail_connection_set_pinned_certificate:
 * @self: a #MailConnection
 * @host: (nullable): the host name the pin was made for
 * @port: the port the pin was made for
 * @fingerprint: (nullable): the SHA-256 fingerprint of the certificate's DER encoding
 *   (the user accepted exactly this certificate), or %NULL for no pin
 *
 * Sets the account's pinned certificate, the one exception to certificate verification.
 * It is used only when @host and @port are exactly the connection's (so a pin never
 * follows an account to another server), only for exactly that certificate, and never
 * for a certificate that is expired, not yet valid, revoked or insecure.
 *
 * Returns: %FALSE if @fingerprint is not a SHA-256 fingerprint (no pin is then set)
 */
gboolean
mail_connection_set_pinned_certificate (MailConnection *self,
                                        const char     *host,
                                        guint16         port,
                                        const char     *fingerprint)
{
  g_autofree char *normal = NULL;

  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);

  g_clear_pointer (&self->pin_host, g_free);
  g_clear_pointer (&self->pin_fingerprint, g_free);
  self->pin_port = 0;

  if (fingerprint == NULL)
    return TRUE;

  g_return_val_if_fail (host != NULL, FALSE);

  normal = mail_certificate_fingerprint_normalize (fingerprint);
  if (normal == NULL)
    return FALSE;

  self->pin_host = g_strdup (host);
  self->pin_port = port;
  self->pin_fingerprint = g_steal_pointer (&normal);

  return TRUE;
}

static gboolean
pin_accepts (MailConnection      *self,
             MailCertificateInfo *info)
{
  GTlsCertificateFlags never = G_TLS_CERTIFICATE_REVOKED | G_TLS_CERTIFICATE_INSECURE
                               | G_TLS_CERTIFICATE_EXPIRED | G_TLS_CERTIFICATE_NOT_ACTIVATED;

  if (self->pin_fingerprint == NULL || self->pin_host == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (self->pin_host, self->host) != 0 || self->pin_port != self->port)
    return FALSE;

  if (!mail_certificate_info_matches_fingerprint (info, self->pin_fingerprint))
    return FALSE;

  /* GLib does not promise to report every problem, so check the dates ourselves too. */
  if ((mail_certificate_info_get_errors (info) & never) != 0
      || !mail_certificate_info_is_in_validity_period (info, NULL))
    return FALSE;

  return TRUE;
}

/* ---------------------------------------------------------------------------------- */
/* The handshake                                                                       */

static const char *
tls_version_name (GTlsProtocolVersion version)
{
  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_SSL_3_0:
      return "SSL 3.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_0:
      return "TLS 1.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_1:
      return "TLS 1.1";
    case G_TLS_PROTOCOL_VERSION_TLS_1_2:
      return "TLS 1.2";
    case G_TLS_PROTOCOL_VERSION_TLS_1_3:
      return "TLS 1.3";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0:
      return "DTLS 1.0";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2:
      return "DTLS 1.2";
    case G_TLS_PROTOCOL_VERSION_UNKNOWN:
    default:
      return "TLS (unknown version)";
    }
}

static gboolean
accept_certificate_cb (GTlsConnection       *tls,
                       GTlsCertificate      *peer_certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  MailConnection *self = user_data;
  g_autoptr (MailCertificateInfo) info = NULL;
  gboolean accept;

  info = mail_certificate_info_new (peer_certificate, errors, self->host, self->port);
  accept = pin_accepts (self, info);

  g_set_object (&self->peer_info, info);
  self->pin_used = accept;

  mail_protocol_log_add_info (self->log, "certificate %s %s",
                              mail_certificate_info_get_fingerprint (info),
                              accept ? "failed verification but is pinned for this server: accepted"
                                     : "failed verification: rejected");

  return accept;
}

gboolean
_mail_connection_handshake (MailConnection  *self,
                            guint            timeout,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_autoptr (GSocketConnectable) identity = g_network_address_new (self->host, self->port);
  g_autoptr (GIOStream) tls = NULL;
  GError *local_error = NULL;
  GTlsProtocolVersion version;
  MailConnectionGuard guard;
  gboolean ok;

  g_clear_object (&self->peer_info);
  self->pin_used = FALSE;

  tls = g_tls_client_connection_new (G_IO_STREAM (self->socket_connection), identity,
                                     &local_error);
  if (tls == NULL)
    {
      _mail_connection_fail_io (self, local_error, cancellable, error);
      return FALSE;
    }

  if (self->database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (tls), self->database);
  /* Mail protocols end their sessions explicitly (LOGOUT, QUIT); many servers then drop
   * the connection without a TLS close_notify. */
  g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), FALSE);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_certificate_cb), self);

  _mail_connection_apply_timeout (self, timeout);

  _mail_connection_guard_begin (self, cancellable, &guard);
  ok = g_tls_connection_handshake (G_TLS_CONNECTION (tls), cancellable, &local_error);
  _mail_connection_guard_end (&guard);

  if (!ok)
    {
      if (g_error_matches (local_error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE)
          && self->peer_info != NULL && !self->pin_used)
        {
          g_clear_error (&local_error);
          local_error = mail_net_error_new_certificate (self->peer_info);
        }
      _mail_connection_fail_io (self, local_error, cancellable, error);
      return FALSE;
    }

  version = g_tls_connection_get_protocol_version (G_TLS_CONNECTION (tls));
  if (version == G_TLS_PROTOCOL_VERSION_SSL_3_0 || version == G_TLS_PROTOCOL_VERSION_TLS_1_0
      || version == G_TLS_PROTOCOL_VERSION_TLS_1_1)
    {
      local_error = g_error_new (MAIL_NET_ERROR, MAIL_NET_ERROR_TLS_VERSION,
                                 _("The server %s only offers %s, which is no longer secure "
                                   "(TLS 1.2 or newer is required)."),
                                 self->host, tls_version_name (version));
      _mail_connection_fail_io (self, local_error, cancellable, error);
      return FALSE;
    }

  if (self->peer_info == NULL)
    {
      GTlsCertificate *peer = g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (tls));

      if (peer != NULL)
        self->peer_info = mail_certificate_info_new (
          peer, g_tls_connection_get_peer_certificate_errors (G_TLS_CONNECTION (tls)),
          self->host, self->port);
    }

  self->tls = G_TLS_CONNECTION (g_steal_pointer (&tls));
  self->stream = G_IO_STREAM (self->tls);
  self->output = g_io_stream_get_output_stream (self->stream);

  g_free (self->ciphersuite);
  self->ciphersuite = g_tls_connection_get_ciphersuite_name (self->tls);

  mail_protocol_log_add_info (self->log, "%s established (%s)", tls_version_name (version),
                              self->ciphersuite != NULL ? self->ciphersuite : "?");

  return TRUE;
}

/* ---------------------------------------------------------------------------------- */
/* STARTTLS                                                                            */

/* Whether bytes wait in the socket that nobody has read yet: after a STARTTLS reply,
 * nothing may. Sets error when they do, or when the server closed. */
static gboolean
socket_is_quiet (MailConnection  *self,
                 GError         **error)
{
  g_autoptr (GError) local_error = NULL;
  GInputVector vector;
  guint8 byte;
  int flags = G_SOCKET_MSG_PEEK;
  gssize n;

  GIOCondition wanted = G_IO_IN | G_IO_HUP | G_IO_ERR;

  if ((g_socket_condition_check (self->socket, wanted) & wanted) == 0)
    return TRUE;

  vector.buffer = &byte;
  vector.size = 1;
  n = g_socket_receive_message (self->socket, NULL, &vector, 1, NULL, NULL, &flags, NULL,
                                &local_error);
  if (n > 0)
    {
      mail_net_error_set_starttls_unavailable (error, MAIL_NET_ERROR_STARTTLS_INJECTION);
      return FALSE;
    }

  if (n == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                   _("The server %s closed the connection unexpectedly."), self->host);
      return FALSE;
    }

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return TRUE;

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * mail_connection_start_tls_sync:
 * @self: a #MailConnection
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Upgrades the connection to TLS after the protocol's STARTTLS command was accepted,
 * within the command timeout. STARTTLS must be the last command the client sent (never
 * pipelined with others), and its whole reply must have been read, preferably with
 * mail_connection_read_line_sync(), which never takes more than the line from the reader.
 * A client whose incremental parser copies bytes out of the reader must also check that
 * the parser holds nothing beyond the reply: that is the same injection, and this
 * function cannot see it.
 *
 * Fails with %MAIL_NET_ERROR_STARTTLS_INJECTION, without starting TLS, when any byte
 * follows the server's reply; fails like mail_connection_connect_sync() when the
 * certificate is not accepted. Every failure closes the connection: there is no way
 * back to plaintext.
 *
 * On success the caller MUST discard everything it learned before (capabilities, the
 * greeting) and ask again over TLS; anyone on the path could have written it.
 *
 * Returns: %TRUE when the connection is encrypted
 */
gboolean
mail_connection_start_tls_sync (MailConnection  *self,
                                GCancellable    *cancellable,
                                GError         **error)
{
  GError *local_error = NULL;
  gsize buffered;

  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);

  if (!_mail_connection_check_connected (self, error))
    return FALSE;

  if (self->tls != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The connection is already encrypted."));
      return FALSE;
    }

  buffered = mail_line_reader_get_available (self->reader);
  if (buffered > 0)
    {
      mail_protocol_log_add_info (self->log,
                                  "%" G_GSIZE_FORMAT " bytes followed the STARTTLS reply: "
                                  "possible response injection, closing",
                                  buffered);
      mail_net_error_set_starttls_unavailable (&local_error, MAIL_NET_ERROR_STARTTLS_INJECTION);
      _mail_connection_fail_io (self, local_error, NULL, error);
      return FALSE;
    }

  if (!socket_is_quiet (self, &local_error))
    {
      if (g_error_matches (local_error, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_INJECTION))
        mail_protocol_log_add_info (self->log, "bytes followed the STARTTLS reply: "
                                               "possible response injection, closing");
      _mail_connection_fail_io (self, local_error, NULL, error);
      return FALSE;
    }

  mail_protocol_log_add_info (self->log, "starting TLS");

  if (!_mail_connection_handshake (self, self->timeouts[MAIL_CONNECTION_PHASE_COMMAND],
                                   cancellable, error))
    return FALSE;

  if (!mail_line_reader_set_stream (self->reader, g_io_stream_get_input_stream (self->stream),
                                    &local_error))
    {
      _mail_connection_fail_io (self, local_error, NULL, error);
      return FALSE;
    }

  _mail_connection_apply_timeout (self, self->timeouts[self->phase]);
  _mail_connection_notify_encrypted (self);

  return TRUE;
}

/* ---------------------------------------------------------------------------------- */
/* What the connection reports                                                         */

/**
 * mail_connection_is_encrypted:
 * @self: a #MailConnection
 *
 * Returns: whether the connection is open and encrypted with a verified (or pinned)
 *   certificate: the only state in which credentials may be sent, unless the user
 *   explicitly chose no encryption
 */
gboolean
mail_connection_is_encrypted (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);

  return self->connected && self->tls != NULL;
}

/**
 * mail_connection_get_tls_version:
 * @self: a #MailConnection
 *
 * Returns: the negotiated TLS version, or %G_TLS_PROTOCOL_VERSION_UNKNOWN when not
 *   encrypted
 */
GTlsProtocolVersion
mail_connection_get_tls_version (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), G_TLS_PROTOCOL_VERSION_UNKNOWN);

  if (self->tls == NULL)
    return G_TLS_PROTOCOL_VERSION_UNKNOWN;

  return g_tls_connection_get_protocol_version (self->tls);
}

/**
 * mail_connection_get_ciphersuite_name:
 * @self: a #MailConnection
 *
 * Returns: (nullable): the negotiated cipher suite, or %NULL when not encrypted
 */
const char *
mail_connection_get_ciphersuite_name (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), NULL);

  if (self->tls == NULL)
    return NULL;

  return self->ciphersuite;
}

/**
 * mail_connection_get_peer_certificate_info:
 * @self: a #MailConnection
 *
 * The server's certificate from the last TLS handshake, whether it succeeded or not: after
 * a %MAIL_NET_ERROR_CERTIFICATE failure, this is the certificate to show the user.
 *
 * Returns: (transfer none) (nullable): the certificate, or %NULL before any handshake
 */
MailCertificateInfo *
mail_connection_get_peer_certificate_info (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), NULL);

  return self->peer_info;
}

/**
 * mail_connection_get_pinned_certificate_used:
 * @self: a #MailConnection
 *
 * Returns: whether the last handshake succeeded only because the certificate is pinned
 */
gboolean
mail_connection_get_pinned_certificate_used (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);

  return self->pin_used;
}
