/* mail-smtp-client.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Message submission (RFC 6409) over SMTP (RFC 5321), written as linear _sync code over
 * one MailConnection; mail-smtp-client-async.c wraps each operation in a GTask.
 *
 * Threads. One thread owns a client at a time: the one calling its _sync functions. The
 * _async wrappers run them on the client's MailTaskQueue, one after another in the order
 * they were called, so that queue's thread owns the client while a call runs; whoever calls
 * _sync functions directly must not have an _async call in flight at the same time. Other
 * threads may only cancel a GCancellable given to a call, and read the state and the
 * extensions through the getters, which state_mutex guards for that reason alone.
 *
 * Security. Implicit TLS (port 465, RFC 8314) is preferred. With STARTTLS (port 587,
 * RFC 3207) the client needs STARTTLS in the EHLO reply and a 220 to it, and nothing
 * after that 220 (MailConnection refuses buffered bytes); otherwise the connection fails
 * with starttls-unavailable and is closed, with no plaintext fallback. After TLS the
 * extensions learned before it are forgotten and EHLO is sent again. AUTH is used only
 * over an encrypted connection unless the user explicitly allowed plaintext on an
 * unencrypted account; its steps are mail-sasl-exchange.c's, and secrets go through
 * mail_connection_write_secret_sync(). Until the connection is encrypted the server's words
 * never reach an error message, since anyone on the path could have written them; they
 * stay in the protocol log, and the reply stays attached to the error for its codes.
 *
 * Injection. Every address is checked by mail_smtp_address_check() and every header of a
 * GMime message by mail_smtp_header_check() before a single command is built, so CR, LF
 * and other control characters never reach the envelope or the header. The message goes
 * through mail_smtp_data_encode(): every line ends in CRLF, a bare CR or LF never reaches
 * the wire, lines are dot-stuffed, and the only CRLF.CRLF is the real end (no SMTP
 * smuggling).
 *
 * Sending. Everything that can be refused locally is refused before MAIL FROM: an
 * invalid address, a message larger than the server's SIZE, 8-bit data the server
 * cannot take, an address that needs SMTPUTF8 when it is not offered. With PIPELINING,
 * MAIL FROM and every RCPT TO leave in one write. Each recipient's reply is kept in the
 * MailSmtpResult; a message accepted for some recipients only is reported as
 * MAIL_SMTP_OUTCOME_PARTIAL, and one whose final reply never came as
 * MAIL_SMTP_OUTCOME_UNKNOWN (it may have been delivered: never resend it blindly).
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-smtp"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-sasl-exchange.h"
#include "mail-smtp-client.h"
#include "mail-smtp-private.h"
#include "mail-task.h"

/* RFC 5321 §4.5.3.1.4: a command line is at most 512 octets, CRLF included. */
#define COMMAND_LINE_MAX 512

struct _MailSmtpClient
{
  GObject               parent_instance;

  /* Runs the _async calls' _sync twins, one at a time, in order (no lock: one thread
   * owns the client at a time, see the top of this file). */
  MailTaskQueue        *queue;
  MailConnection       *connection;
  MailSmtpReplyParser  *parser;
  gboolean              allow_plaintext_password;
  char                 *helo_name;

  /* Only for the getters, which other threads may call while the owner runs an
   * operation: guards what they read, not the protocol. */
  GMutex                state_mutex;
  MailSmtpState         state;
  MailSmtpEhlo          ehlo;
};

G_DEFINE_FINAL_TYPE (MailSmtpClient, mail_smtp_client, G_TYPE_OBJECT)

/* A message ready for the transaction: checked envelope and the message bytes. */
struct _MailSmtpPrepared
{
  char      *from;
  char     **recipients;
  GBytes    *message;
  /* Built by GMime here, so it may be re-encoded to 7 bit for a server without 8BITMIME. */
  gboolean   may_reencode;
};

void
_mail_smtp_prepared_free (MailSmtpPrepared *prepared)
{
  if (prepared == NULL)
    return;

  g_free (prepared->from);
  g_strfreev (prepared->recipients);
  g_clear_pointer (&prepared->message, g_bytes_unref);
  g_free (prepared);
}

/* ---------------------------------------------------------------------------------- */
/* State                                                                               */

static const char *
server_name (MailSmtpClient *self)
{
  return mail_connection_get_host (self->connection);
}

static void
forget_extensions (MailSmtpClient *self)
{
  g_mutex_lock (&self->state_mutex);
  mail_smtp_ehlo_clear (&self->ehlo);
  g_mutex_unlock (&self->state_mutex);
}

static void
set_state (MailSmtpClient *self,
           MailSmtpState   state)
{
  g_mutex_lock (&self->state_mutex);
  self->state = state;
  g_mutex_unlock (&self->state_mutex);

  if (state == MAIL_SMTP_STATE_DISCONNECTED)
    {
      forget_extensions (self);
      mail_smtp_reply_parser_reset (self->parser);
    }
}

static void
connection_lost (MailSmtpClient *self)
{
  if (!mail_connection_is_connected (self->connection))
    set_state (self, MAIL_SMTP_STATE_DISCONNECTED);
}

static void
abort_session (MailSmtpClient *self)
{
  mail_connection_close_sync (self->connection, NULL, NULL);
  set_state (self, MAIL_SMTP_STATE_DISCONNECTED);
}

static gboolean
require_connected (MailSmtpClient  *self,
                   GError         **error)
{
  if (self->state != MAIL_SMTP_STATE_DISCONNECTED
      && !mail_connection_is_connected (self->connection))
    set_state (self, MAIL_SMTP_STATE_DISCONNECTED);

  if (self->state != MAIL_SMTP_STATE_DISCONNECTED)
    return TRUE;

  g_set_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_STATE, _("Not connected to the server %s."),
               server_name (self));
  return FALSE;
}

static MailSmtpExtensions
extensions (MailSmtpClient *self)
{
  return self->ehlo.extensions;
}

/* ---------------------------------------------------------------------------------- */
/* Errors                                                                              */

/* Whether the server's words may be shown to people. Before TLS, or on an account without
 * it, anyone on the path could have written them: they then stay in the protocol log. Ask
 * while the connection is still open. */
static gboolean
words_trusted (MailSmtpClient *self)
{
  return mail_connection_is_encrypted (self->connection);
}

/* @what, followed by the server's reply when its words may be shown. */
static char *
describe_refusal (MailSmtpClient *self,
                  MailSmtpReply  *reply,
                  const char     *what)
{
  g_autofree char *quoted = NULL;

  if (!words_trusted (self))
    return g_strdup (what);

  quoted = mail_smtp_reply_describe (reply);

  /* TRANSLATORS: the first %s is a sentence, the second the server's reply */
  return g_strdup_printf (_("%s The server said: “%s”."), what, quoted);
}

/* The error for a refusal: %MAIL_SMTP_ERROR_TRANSIENT for 4yz, _PERMANENT for 5yz, with
 * the reply attached, and quoted when its words may be shown (see words_trusted()). */
static GError *
reply_error (MailSmtpClient *self,
             MailSmtpReply  *reply,
             const char     *what)
{
  g_autofree char *message = describe_refusal (self, reply, what);
  MailSmtpError code = MAIL_SMTP_ERROR_PROTOCOL;

  if (mail_smtp_reply_is_transient (reply))
    code = MAIL_SMTP_ERROR_TRANSIENT;
  else if (mail_smtp_reply_is_permanent (reply))
    code = MAIL_SMTP_ERROR_PERMANENT;

  return mail_smtp_error_new_reply (code, reply, message);
}

/* ---------------------------------------------------------------------------------- */
/* Reading and writing                                                                 */

static gboolean
send_line (MailSmtpClient  *self,
           const char      *line,
           GCancellable    *cancellable,
           GError         **error)
{
  if (!mail_connection_write_line_sync (self->connection, line, cancellable, error))
    {
      connection_lost (self);
      return FALSE;
    }

  return TRUE;
}

static gboolean
send_data (MailSmtpClient         *self,
           const void             *data,
           gsize                   length,
           MailConnectionIOFlags   flags,
           GCancellable           *cancellable,
           GError                **error)
{
  if (!mail_connection_write_all_sync (self->connection, data, length, flags, cancellable,
                                       error))
    {
      connection_lost (self);
      return FALSE;
    }

  return TRUE;
}

static MailSmtpReply *
read_reply (MailSmtpClient  *self,
            GCancellable    *cancellable,
            GError         **error)
{
  for (;;)
    {
      g_autofree char *line = NULL;
      MailSmtpReply *reply = NULL;
      gsize length = 0;

      line = mail_connection_read_line_sync (self->connection, MAIL_CONNECTION_IO_NONE, &length,
                                             cancellable, error);
      if (line == NULL)
        {
          connection_lost (self);
          return NULL;
        }

      if (!mail_smtp_reply_parser_feed (self->parser, line, length, &reply, error))
        {
          /* The parser quotes the line, which only the protocol log may keep when the
           * server's words are not to be shown. */
          if (error != NULL && !words_trusted (self))
            {
              g_clear_error (error);
              g_set_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL,
                           _("The server %s sent a reply that is not valid SMTP."),
                           server_name (self));
            }
          abort_session (self);
          return NULL;
        }

      if (reply != NULL)
        return reply;
    }
}

static MailSmtpReply *
command (MailSmtpClient  *self,
         const char      *line,
         GCancellable    *cancellable,
         GError         **error)
{
  if (!send_line (self, line, cancellable, error))
    return NULL;

  return read_reply (self, cancellable, error);
}

/* RSET after a refused transaction, so the session can send the next message; a failure
 * only means the session is gone, which the next call reports. */
static void
reset_quietly (MailSmtpClient *self,
               GCancellable   *cancellable)
{
  g_autoptr (MailSmtpReply) reply = NULL;

  if (mail_connection_is_connected (self->connection))
    reply = command (self, "RSET", cancellable, NULL);
}

/* ---------------------------------------------------------------------------------- */
/* GObject                                                                             */

static void
mail_smtp_client_dispose (GObject *object)
{
  MailSmtpClient *self = (MailSmtpClient *) object;

  if (self->connection != NULL)
    mail_connection_close_sync (self->connection, NULL, NULL);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (mail_smtp_client_parent_class)->dispose (object);
}

static void
mail_smtp_client_finalize (GObject *object)
{
  MailSmtpClient *self = (MailSmtpClient *) object;

  mail_smtp_ehlo_clear (&self->ehlo);
  g_clear_pointer (&self->parser, mail_smtp_reply_parser_free);
  g_clear_pointer (&self->helo_name, g_free);
  g_clear_pointer (&self->queue, mail_task_queue_free);
  g_mutex_clear (&self->state_mutex);

  G_OBJECT_CLASS (mail_smtp_client_parent_class)->finalize (object);
}

static void
mail_smtp_client_class_init (MailSmtpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mail_smtp_client_dispose;
  object_class->finalize = mail_smtp_client_finalize;

  /* GMime builds and re-encodes messages here; it needs its tables set up once. */
  g_mime_init ();
}

static void
mail_smtp_client_init (MailSmtpClient *self)
{
  g_mutex_init (&self->state_mutex);
  self->queue = mail_task_queue_new ();
  self->parser = mail_smtp_reply_parser_new ();
}

/**
 * mail_smtp_client_new:
 * @host: the server's host name
 * @port: the server's port (465 for implicit TLS, 587 for STARTTLS)
 * @security: how to secure the connection
 * @database: (nullable): the certificate authorities to trust, normally a
 *   #MailTlsDatabase; %NULL for the TLS backend's default
 *
 * Creates a client; nothing happens on the network until mail_smtp_client_connect_sync().
 *
 * Returns: (transfer full): a new #MailSmtpClient
 */
MailSmtpClient *
mail_smtp_client_new (const char   *host,
                      guint16       port,
                      MailSecurity  security,
                      GTlsDatabase *database)
{
  MailSmtpClient *self;

  g_return_val_if_fail (host != NULL && host[0] != '\0', NULL);
  g_return_val_if_fail (port != 0, NULL);
  g_return_val_if_fail (database == NULL || G_IS_TLS_DATABASE (database), NULL);

  self = g_object_new (MAIL_TYPE_SMTP_CLIENT, NULL);
  self->connection = mail_connection_new (host, port, security, database);

  return self;
}

/**
 * mail_smtp_client_get_connection:
 * @self: a #MailSmtpClient
 *
 * The connection underneath, for its TLS details and settings. Do not read or write on
 * it directly.
 *
 * Returns: (transfer none): the connection
 */
MailConnection *
mail_smtp_client_get_connection (MailSmtpClient *self)
{
  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), NULL);

  return self->connection;
}

/**
 * mail_smtp_client_set_allow_plaintext_password:
 * @self: a #MailSmtpClient
 * @allow: whether the user explicitly allowed sending the password unencrypted
 *
 * Only matters for a %MAIL_SECURITY_NONE account; any other account signs in only once
 * the connection is encrypted.
 */
void
mail_smtp_client_set_allow_plaintext_password (MailSmtpClient *self,
                                               gboolean        allow)
{
  g_return_if_fail (MAIL_IS_SMTP_CLIENT (self));

  self->allow_plaintext_password = !!allow;
  mail_connection_set_allow_plaintext_secrets (self->connection, !!allow);
}

/**
 * mail_smtp_client_set_helo_name:
 * @self: a #MailSmtpClient
 * @name: (nullable): the name to give in EHLO, or %NULL for the default
 *
 * By default EHLO names the client by the address literal of its end of the connection
 * ("[192.0.2.1]"), which reveals nothing the server does not already see, rather than
 * the computer's host name.
 */
void
mail_smtp_client_set_helo_name (MailSmtpClient *self,
                                const char     *name)
{
  g_return_if_fail (MAIL_IS_SMTP_CLIENT (self));
  g_return_if_fail (name == NULL || (name[0] != '\0' && strpbrk (name, " \r\n") == NULL));

  g_free (self->helo_name);
  self->helo_name = g_strdup (name);
}

/**
 * mail_smtp_client_get_state:
 * @self: a #MailSmtpClient
 *
 * Returns: where the session is
 */
MailSmtpState
mail_smtp_client_get_state (MailSmtpClient *self)
{
  MailSmtpState state;

  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), MAIL_SMTP_STATE_DISCONNECTED);

  g_mutex_lock (&self->state_mutex);
  state = self->state;
  g_mutex_unlock (&self->state_mutex);

  return state;
}

/**
 * mail_smtp_client_dup_capabilities:
 * @self: a #MailSmtpClient
 *
 * The extensions of the last EHLO reply, one a line with the keyword upper-cased ("SIZE
 * 26214400", "AUTH PLAIN LOGIN", "PIPELINING"). On a STARTTLS connection these come
 * from the EHLO after TLS. Safe to call while an operation runs in another thread.
 *
 * Returns: (transfer full) (array zero-terminated=1): the capabilities; empty when not
 *   connected or after a HELO fallback
 */
char **
mail_smtp_client_dup_capabilities (MailSmtpClient *self)
{
  char **copy;

  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), NULL);

  g_mutex_lock (&self->state_mutex);
  copy = self->ehlo.capabilities != NULL ? g_strdupv (self->ehlo.capabilities)
                                         : g_new0 (char *, 1);
  g_mutex_unlock (&self->state_mutex);

  return copy;
}

/**
 * mail_smtp_client_dup_auth_mechanisms:
 * @self: a #MailSmtpClient
 *
 * Returns: (transfer full) (array zero-terminated=1): the SASL mechanisms of the EHLO
 *   AUTH line, upper-cased; empty when none are offered (as before TLS on most servers)
 */
char **
mail_smtp_client_dup_auth_mechanisms (MailSmtpClient *self)
{
  char **copy;

  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), NULL);

  g_mutex_lock (&self->state_mutex);
  copy = self->ehlo.auth_mechanisms != NULL ? g_strdupv (self->ehlo.auth_mechanisms)
                                            : g_new0 (char *, 1);
  g_mutex_unlock (&self->state_mutex);

  return copy;
}

/**
 * mail_smtp_client_get_extensions:
 * @self: a #MailSmtpClient
 *
 * Returns: the extensions of the last EHLO reply that the client knows
 */
MailSmtpExtensions
mail_smtp_client_get_extensions (MailSmtpClient *self)
{
  MailSmtpExtensions result;

  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), MAIL_SMTP_EXTENSION_NONE);

  g_mutex_lock (&self->state_mutex);
  result = self->ehlo.extensions;
  g_mutex_unlock (&self->state_mutex);

  return result;
}

/**
 * mail_smtp_client_has_extension:
 * @self: a #MailSmtpClient
 * @extension: one extension
 *
 * Returns: whether the last EHLO reply offered @extension
 */
gboolean
mail_smtp_client_has_extension (MailSmtpClient     *self,
                                MailSmtpExtensions  extension)
{
  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), FALSE);

  return (mail_smtp_client_get_extensions (self) & extension) == extension
         && extension != MAIL_SMTP_EXTENSION_NONE;
}

/**
 * mail_smtp_client_get_max_size:
 * @self: a #MailSmtpClient
 *
 * Returns: the largest message the server accepts (its SIZE), in octets; 0 when it
 *   announced no limit
 */
guint64
mail_smtp_client_get_max_size (MailSmtpClient *self)
{
  guint64 size;

  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), 0);

  g_mutex_lock (&self->state_mutex);
  size = self->ehlo.max_size;
  g_mutex_unlock (&self->state_mutex);

  return size;
}

/* ---------------------------------------------------------------------------------- */
/* Connecting                                                                          */

static char *
default_helo_name (MailSmtpClient *self)
{
  g_autoptr (GSocketAddress) local = mail_connection_get_local_address (self->connection);
  g_autofree char *text = NULL;
  GInetAddress *address;

  if (!G_IS_INET_SOCKET_ADDRESS (local))
    return g_strdup ("localhost");

  address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
  text = g_inet_address_to_string (address);

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[IPv6:%s]", text);

  return g_strdup_printf ("[%s]", text);
}

/* EHLO, or HELO when the server does not know EHLO (and @allow_helo). */
static gboolean
greet (MailSmtpClient  *self,
       gboolean         allow_helo,
       GCancellable    *cancellable,
       GError         **error)
{
  g_autofree char *name = NULL;
  g_autofree char *line = NULL;
  g_autoptr (MailSmtpReply) reply = NULL;
  MailSmtpEhlo ehlo;

  name = self->helo_name != NULL ? g_strdup (self->helo_name) : default_helo_name (self);
  line = g_strconcat ("EHLO ", name, NULL);

  reply = command (self, line, cancellable, error);
  if (reply == NULL)
    return FALSE;

  if (mail_smtp_reply_get_code (reply) == 250)
    {
      mail_smtp_ehlo_parse (reply, &ehlo);
      g_mutex_lock (&self->state_mutex);
      mail_smtp_ehlo_clear (&self->ehlo);
      self->ehlo = ehlo;
      g_mutex_unlock (&self->state_mutex);
      return TRUE;
    }

  if (allow_helo && mail_smtp_reply_is_permanent (reply))
    {
      g_clear_pointer (&reply, mail_smtp_reply_unref);
      g_free (line);
      line = g_strconcat ("HELO ", name, NULL);

      reply = command (self, line, cancellable, error);
      if (reply == NULL)
        return FALSE;

      if (mail_smtp_reply_get_code (reply) == 250)
        {
          forget_extensions (self);
          return TRUE;
        }
    }

  g_propagate_error (error, mail_smtp_error_new_reply (
    mail_smtp_reply_is_transient (reply) ? MAIL_SMTP_ERROR_TRANSIENT : MAIL_SMTP_ERROR_PERMANENT,
    reply, _("The server did not accept the greeting (EHLO).")));
  abort_session (self);

  return FALSE;
}

static gboolean
start_tls (MailSmtpClient  *self,
           GCancellable    *cancellable,
           GError         **error)
{
  g_autoptr (MailSmtpReply) reply = NULL;

  if ((extensions (self) & MAIL_SMTP_EXTENSION_STARTTLS) == 0)
    {
      mail_protocol_log_add_info (mail_connection_get_log (self->connection),
                                  "STARTTLS not offered: closing");
      abort_session (self);
      mail_net_error_set_starttls_unavailable (error, MAIL_NET_ERROR_STARTTLS_NOT_OFFERED);
      return FALSE;
    }

  reply = command (self, "STARTTLS", cancellable, error);
  if (reply == NULL)
    return FALSE;

  if (mail_smtp_reply_get_code (reply) != 220)
    {
      abort_session (self);
      mail_net_error_set_starttls_unavailable (error, MAIL_NET_ERROR_STARTTLS_REFUSED);
      return FALSE;
    }

  if (!mail_connection_start_tls_sync (self->connection, cancellable, error))
    {
      connection_lost (self);
      return FALSE;
    }

  /* RFC 3207 §4.2: forget everything learned before TLS and greet again. */
  forget_extensions (self);
  mail_smtp_reply_parser_reset (self->parser);

  return greet (self, FALSE, cancellable, error);
}

/**
 * mail_smtp_client_connect_sync:
 * @self: a #MailSmtpClient
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Connects, verifies the certificate, reads the greeting and sends EHLO (HELO when the
 * server does not know EHLO); on a %MAIL_SECURITY_STARTTLS account, then STARTTLS and
 * EHLO again. When STARTTLS is not offered, is refused or is followed by injected bytes,
 * fails with a %MAIL_NET_ERROR starttls-unavailable error and closes the connection.
 *
 * Returns: %TRUE when the session is in %MAIL_SMTP_STATE_CONNECTED
 */
gboolean
mail_smtp_client_connect_sync (MailSmtpClient  *self,
                               GCancellable    *cancellable,
                               GError         **error)
{
  g_autoptr (MailSmtpReply) greeting = NULL;

  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), FALSE);

  if (self->state != MAIL_SMTP_STATE_DISCONNECTED
      && mail_connection_is_connected (self->connection))
    {
      g_set_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_STATE,
                   _("Already connected to the server %s."), server_name (self));
      return FALSE;
    }

  set_state (self, MAIL_SMTP_STATE_DISCONNECTED);

  if (!mail_connection_connect_sync (self->connection, cancellable, error))
    return FALSE;

  /* The reader counts the line end; the parser does not. */
  mail_line_reader_set_max_line_length (mail_connection_get_reader (self->connection),
                                        MAIL_SMTP_REPLY_MAX_LINE_LENGTH + 2);

  greeting = read_reply (self, cancellable, error);
  if (greeting == NULL)
    {
      abort_session (self);
      return FALSE;
    }

  if (mail_smtp_reply_get_code (greeting) != 220)
    {
      g_autofree char *what = g_strdup_printf (_("The server %s refused the connection."),
                                               server_name (self));
      g_autofree char *message = describe_refusal (self, greeting, what);

      g_propagate_error (error, mail_smtp_error_new_reply (
        mail_smtp_reply_is_transient (greeting) ? MAIL_SMTP_ERROR_TRANSIENT
                                                : MAIL_SMTP_ERROR_PERMANENT,
        greeting, message));
      abort_session (self);
      return FALSE;
    }

  mail_connection_set_phase (self->connection, MAIL_CONNECTION_PHASE_COMMAND);
  set_state (self, MAIL_SMTP_STATE_CONNECTED);

  if (!greet (self, TRUE, cancellable, error))
    return FALSE;

  if (mail_connection_get_security (self->connection) == MAIL_SECURITY_STARTTLS
      && !start_tls (self, cancellable, error))
    return FALSE;

  return TRUE;
}

/* ---------------------------------------------------------------------------------- */
/* Signing in                                                                          */

static gboolean
auth_refused (MailSmtpClient  *self,
              MailSmtpReply   *reply,
              GError         **error)
{
  const char *enhanced = mail_smtp_reply_get_enhanced_code (reply);
  g_autofree char *what = NULL;
  g_autofree char *message = NULL;

  if (mail_smtp_reply_get_code (reply) == 535 || g_strcmp0 (enhanced, "5.7.8") == 0)
    {
      what = g_strdup_printf (_("The server %s did not accept the user name or password."),
                              server_name (self));
      message = describe_refusal (self, reply, what);
      g_propagate_error (error,
                         mail_smtp_error_new_reply (MAIL_SMTP_ERROR_AUTH_FAILED, reply, message));
      return FALSE;
    }

  what = g_strdup_printf (_("The server %s refused to sign in."), server_name (self));
  g_propagate_error (error, reply_error (self, reply, what));

  return FALSE;
}

/* SASL (mail-sasl-exchange.c) over SMTP: "AUTH <mechanism> [<initial response>]", then
 * "334 challenge" replies answered one line each (RFC 4954). */

static MailSaslReply
sasl_read_step (gpointer       client,
                gboolean       challenge_expected,
                GCancellable  *cancellable,
                GError       **error)
{
  MailSmtpClient *self = client;
  g_autoptr (MailSmtpReply) reply = read_reply (self, cancellable, error);
  guint code;

  if (reply == NULL)
    return MAIL_SASL_REPLY_FAILURE;

  code = mail_smtp_reply_get_code (reply);
  if (code == 334)
    return MAIL_SASL_REPLY_CHALLENGE;

  if (code == 235 && !challenge_expected)
    return MAIL_SASL_REPLY_SUCCESS;

  if (!mail_smtp_reply_is_positive (reply))
    {
      auth_refused (self, reply, error);
      return MAIL_SASL_REPLY_FAILURE;
    }

  g_set_error_literal (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL,
                       challenge_expected
                       ? _("The server ended the sign-in exchange too early.")
                       : _("The server answered the sign-in with an unexpected reply."));
  abort_session (self);

  return MAIL_SASL_REPLY_FAILURE;
}

/* Answers a challenge the mechanism has nothing more for with "*" (RFC 4954 §4). */
static void
sasl_cancel (gpointer       client,
             GCancellable  *cancellable,
             GError       **error)
{
  MailSmtpClient *self = client;
  MailSmtpReply *reply = command (self, "*", cancellable, NULL);

  /* The answer to "*" does not matter: the session ends either way. */
  if (reply != NULL)
    mail_smtp_reply_unref (reply);

  g_set_error_literal (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL,
                       _("The server asked for more than a user name and password while "
                         "signing in."));
  abort_session (self);
}

/* The AUTH lines are written by mail-sasl-exchange.c, on the options' connection. */
static const MailSaslTransport sasl_transport = {
  .read_step = sasl_read_step,
  .cancel = sasl_cancel,
};

static gboolean
login_sasl (MailSmtpClient     *self,
            MailSaslMechanism   mechanism,
            const char         *user,
            const char         *password,
            GCancellable       *cancellable,
            GError            **error)
{
  /* RFC 4954 §4: an initial response goes with AUTH when the line fits in 512 octets. */
  MailSaslExchangeOptions options = {
    .connection = self->connection,
    .max_line = COMMAND_LINE_MAX,
  };

  if (mail_sasl_exchange_run (&sasl_transport, self, &options, mechanism, user, password,
                              cancellable, error))
    return TRUE;

  /* A write that failed closed the connection. */
  connection_lost (self);

  return FALSE;
}

/**
 * mail_smtp_client_login_sync:
 * @self: a #MailSmtpClient
 * @user: the user name
 * @password: the password
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * AUTH PLAIN (with an initial response) or AUTH LOGIN, whichever the server offers,
 * PLAIN first. On a connection that is not encrypted nothing is sent and the call fails
 * with %MAIL_NET_ERROR_PLAINTEXT_REFUSED, unless the account uses no encryption and
 * mail_smtp_client_set_allow_plaintext_password() allowed it. A server that offers no
 * usable mechanism gives %MAIL_NET_ERROR_NO_MECHANISM; a refused password
 * %MAIL_SMTP_ERROR_AUTH_FAILED (category auth-failed).
 *
 * Returns: %TRUE when signed in
 */
gboolean
mail_smtp_client_login_sync (MailSmtpClient  *self,
                             const char      *user,
                             const char      *password,
                             GCancellable    *cancellable,
                             GError         **error)
{
  g_auto (GStrv) offered = NULL;
  MailSaslMechanism mechanism;
  gboolean encrypted;

  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if (!require_connected (self, error))
    return FALSE;

  if (self->state == MAIL_SMTP_STATE_AUTHENTICATED)
    {
      g_set_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_STATE,
                   _("Already signed in to the server %s."), server_name (self));
      return FALSE;
    }

  encrypted = mail_connection_is_encrypted (self->connection);
  if (!encrypted
      && !(mail_connection_get_security (self->connection) == MAIL_SECURITY_NONE
           && self->allow_plaintext_password))
    {
      mail_protocol_log_add_info (mail_connection_get_log (self->connection),
                                  "not signing in without encryption");
      g_set_error_literal (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED,
                           _("The password would have been sent over an unencrypted "
                             "connection, so it was not sent."));
      return FALSE;
    }

  offered = mail_smtp_client_dup_auth_mechanisms (self);
  mechanism = mail_sasl_choose_mechanism ((const char * const *) offered,
                                          MAIL_SASL_CREDENTIAL_PASSWORD, encrypted,
                                          self->allow_plaintext_password, error);
  switch (mechanism)
    {
    case MAIL_SASL_MECHANISM_PLAIN:
    case MAIL_SASL_MECHANISM_LOGIN:
      if (!login_sasl (self, mechanism, user, password, cancellable, error))
        return FALSE;
      break;

    case MAIL_SASL_MECHANISM_NONE:
    case MAIL_SASL_MECHANISM_XOAUTH2:
    case MAIL_SASL_MECHANISM_OAUTHBEARER:
    default:
      return FALSE;
    }

  set_state (self, MAIL_SMTP_STATE_AUTHENTICATED);

  return TRUE;
}

/* ---------------------------------------------------------------------------------- */
/* Sending                                                                             */

/**
 * mail_smtp_check_envelope:
 * @from: the envelope sender, "" for the null sender (bounces)
 * @recipients: (array zero-terminated=1): the envelope recipients, at least one
 * @error: return location for a #GError
 *
 * The checks mail_smtp_client_send_sync() makes before it sends anything, for callers
 * that want to refuse a bad address before they even connect (see
 * mail_smtp_address_check()).
 *
 * Returns: %TRUE when every address is usable; otherwise
 *   %MAIL_SMTP_ERROR_INVALID_ADDRESS or %MAIL_SMTP_ERROR_INVALID_MESSAGE
 */
gboolean
mail_smtp_check_envelope (const char         *from,
                          const char * const *recipients,
                          GError            **error)
{
  g_return_val_if_fail (from != NULL, FALSE);

  if (from[0] != '\0' && !mail_smtp_address_check (from, NULL, error))
    return FALSE;

  if (recipients == NULL || recipients[0] == NULL)
    {
      g_set_error_literal (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_MESSAGE,
                           _("The message has no recipients."));
      return FALSE;
    }

  for (guint i = 0; recipients[i] != NULL; i++)
    if (!mail_smtp_address_check (recipients[i], NULL, error))
      return FALSE;

  return TRUE;
}

static gboolean
needs_smtputf8 (const char         *from,
                const char * const *recipients)
{
  gboolean needs = FALSE;

  if (from[0] != '\0')
    mail_smtp_address_check (from, &needs, NULL);

  for (guint i = 0; !needs && recipients[i] != NULL; i++)
    mail_smtp_address_check (recipients[i], &needs, NULL);

  return needs;
}

static char *
format_size (guint64  size,
             gboolean exact)
{
  return g_format_size_full (size, exact ? G_FORMAT_SIZE_LONG_FORMAT : G_FORMAT_SIZE_DEFAULT);
}

/* GMime 3.2 declares no g_autoptr() cleanups, so its objects are released by hand. */
static GBytes *
write_message (GMimeObject *object)
{
  GMimeFormatOptions *options = g_mime_format_options_new ();
  GMimeStream *stream = g_mime_stream_mem_new ();
  GByteArray *array;
  GBytes *bytes;

  /* The envelope carries the Bcc recipients; the message never names them. */
  g_mime_format_options_add_hidden_header (options, "Bcc");
  g_mime_format_options_add_hidden_header (options, "Resent-Bcc");
  g_mime_format_options_set_newline_format (options, GMIME_NEWLINE_FORMAT_DOS);

  g_mime_object_write_to_stream (object, options, stream);
  g_mime_stream_flush (stream);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  bytes = g_bytes_new (array->data, array->len);

  g_object_unref (stream);
  g_mime_format_options_free (options);

  return bytes;
}

/* For a server without 8BITMIME: the message again, with every part that holds 8-bit
 * data re-encoded (quoted-printable or base64). Returns NULL when GMime cannot read it. */
static GBytes *
reencode_7bit (GBytes *message)
{
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeMessage *copy;
  GBytes *bytes = NULL;
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (message, &length);

  stream = g_mime_stream_mem_new_with_buffer ((const char *) data, length);
  parser = g_mime_parser_new_with_stream (stream);
  copy = g_mime_parser_construct_message (parser, NULL);

  if (copy != NULL)
    {
      g_mime_object_encode (GMIME_OBJECT (copy), GMIME_ENCODING_CONSTRAINT_7BIT);
      bytes = write_message (GMIME_OBJECT (copy));
      g_object_unref (copy);
    }

  g_object_unref (parser);
  g_object_unref (stream);

  return bytes;
}

/* Reads the replies to MAIL FROM and each RCPT TO into @result. Returns FALSE only when
 * the session failed; refusals are in the result. */
static gboolean
read_envelope_replies (MailSmtpClient  *self,
                       MailSmtpResult  *result,
                       guint            n_recipients,
                       gboolean         pipelined,
                       char           **rcpt_commands,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_autoptr (MailSmtpReply) mail_reply = read_reply (self, cancellable, error);

  if (mail_reply == NULL)
    return FALSE;

  _mail_smtp_result_set_sender_reply (result, mail_reply);

  /* Without pipelining, recipients are only sent once the sender is accepted. */
  if (!pipelined && !mail_smtp_reply_is_positive (mail_reply))
    return TRUE;

  for (guint i = 0; i < n_recipients; i++)
    {
      g_autoptr (MailSmtpReply) reply = NULL;

      if (!pipelined && !send_line (self, rcpt_commands[i], cancellable, error))
        return FALSE;

      reply = read_reply (self, cancellable, error);
      if (reply == NULL)
        return FALSE;

      _mail_smtp_result_set_recipient_reply (result, i, reply);
    }

  return TRUE;
}

static GError *
all_refused_error (MailSmtpClient *self,
                   MailSmtpResult *result)
{
  g_autoptr (GString) reasons = g_string_new (NULL);
  g_autofree char *message = NULL;
  MailSmtpReply *first = NULL;
  gboolean transient = FALSE;
  gboolean trusted = words_trusted (self);
  guint n = mail_smtp_result_get_n_recipients (result);

  for (guint i = 0; i < n; i++)
    {
      MailSmtpReply *reply = mail_smtp_result_get_recipient_reply (result, i);
      g_autofree char *quoted = NULL;

      if (reply == NULL)
        continue;

      if (first == NULL)
        first = reply;
      if (mail_smtp_reply_is_transient (reply))
        transient = TRUE;

      if (!trusted)
        continue;
      quoted = mail_smtp_reply_describe (reply);
      g_string_append_printf (reasons, " %s: “%s”.", mail_smtp_result_get_recipient (result, i),
                              quoted);
    }

  message = g_strdup_printf (_("The server %s refused every recipient, so the message was "
                               "not sent.%s"),
                             server_name (self), reasons->str);

  return mail_smtp_error_new_reply (transient ? MAIL_SMTP_ERROR_TRANSIENT
                                              : MAIL_SMTP_ERROR_PERMANENT,
                                    first, message);
}

/* One transaction, MAIL FROM to the final reply. @result is set as soon as MAIL FROM
 * goes out. */
static gboolean
transaction (MailSmtpClient    *self,
             MailSmtpPrepared  *prepared,
             MailSmtpResult   **result_out,
             GCancellable      *cancellable,
             GError           **error)
{
  const char * const *recipients = (const char * const *) prepared->recipients;
  g_autoptr (MailSmtpResult) result = NULL;
  g_autoptr (MailSmtpReply) data_reply = NULL;
  g_autoptr (MailSmtpReply) final_reply = NULL;
  g_autoptr (GBytes) wire = NULL;
  g_autoptr (GBytes) message = g_bytes_ref (prepared->message);
  g_autoptr (GString) batch = g_string_new (NULL);
  g_autoptr (GPtrArray) rcpt_commands = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *envelope_from = NULL;
  GError *local_error = NULL;
  MailSmtpExtensions ext = extensions (self);
  MailSmtpDataInfo info;
  gboolean smtputf8;
  gboolean pipelined;
  guint n_recipients = g_strv_length (prepared->recipients);
  guint n_accepted = 0;
  gsize wire_length = 0;
  const guint8 *wire_data;

  wire = mail_smtp_data_encode (g_bytes_get_data (message, NULL), g_bytes_get_size (message),
                                &info, error);
  if (wire == NULL)
    return FALSE;

  smtputf8 = info.header_8bit || needs_smtputf8 (prepared->from, recipients);

  if (smtputf8 && (ext & MAIL_SMTP_EXTENSION_SMTPUTF8) == 0)
    {
      g_set_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_SMTPUTF8_UNSUPPORTED,
                   _("The message has international addresses or headers, and the server %s "
                     "does not accept them (it does not offer SMTPUTF8). Nothing was sent."),
                   server_name (self));
      return FALSE;
    }

  if (info.has_8bit && !smtputf8 && (ext & MAIL_SMTP_EXTENSION_8BITMIME) == 0)
    {
      g_autoptr (GBytes) seven_bit = prepared->may_reencode ? reencode_7bit (message) : NULL;
      MailSmtpDataInfo seven_bit_info;

      g_clear_pointer (&wire, g_bytes_unref);
      if (seven_bit != NULL)
        wire = mail_smtp_data_encode (g_bytes_get_data (seven_bit, NULL),
                                      g_bytes_get_size (seven_bit), &seven_bit_info, NULL);

      if (wire == NULL || seven_bit_info.has_8bit)
        {
          g_set_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_8BIT_UNSUPPORTED,
                       _("The message contains 8-bit data and the server %s does not accept "
                         "it (it does not offer 8BITMIME). Nothing was sent."),
                       server_name (self));
          return FALSE;
        }
      info = seven_bit_info;
    }

  if (self->ehlo.max_size > 0 && info.size > self->ehlo.max_size)
    {
      g_autofree char *size = format_size (info.size, FALSE);
      g_autofree char *limit = format_size (self->ehlo.max_size, FALSE);

      /* "26.2 MB, more than the 26.2 MB": then say it in bytes. */
      if (g_str_equal (size, limit))
        {
          g_free (size);
          g_free (limit);
          size = format_size (info.size, TRUE);
          limit = format_size (self->ehlo.max_size, TRUE);
        }

      g_set_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_MESSAGE_TOO_LARGE,
                   _("The message is %s, more than the %s the server %s accepts. Nothing was "
                     "sent."),
                   size, limit, server_name (self));
      return FALSE;
    }

  /* Every address passed mail_smtp_address_check() in prepare(). */
  if (prepared->from[0] != '\0')
    {
      envelope_from = mail_smtp_address_to_envelope (prepared->from, smtputf8, error);
      if (envelope_from == NULL)
        return FALSE;
    }

  g_string_append_printf (batch, "MAIL FROM:<%s>", envelope_from != NULL ? envelope_from : "");
  if ((ext & MAIL_SMTP_EXTENSION_SIZE) != 0)
    g_string_append_printf (batch, " SIZE=%" G_GUINT64_FORMAT, info.size);
  if (info.has_8bit && (ext & MAIL_SMTP_EXTENSION_8BITMIME) != 0)
    g_string_append (batch, " BODY=8BITMIME");
  if (smtputf8)
    g_string_append (batch, " SMTPUTF8");

  for (guint i = 0; i < n_recipients; i++)
    {
      g_autofree char *address = mail_smtp_address_to_envelope (recipients[i], smtputf8, error);

      if (address == NULL)
        return FALSE;
      g_ptr_array_add (rcpt_commands, g_strdup_printf ("RCPT TO:<%s>", address));
    }

  result = _mail_smtp_result_new (prepared->from, recipients);
  if (result_out != NULL)
    *result_out = g_object_ref (result);

  pipelined = (ext & MAIL_SMTP_EXTENSION_PIPELINING) != 0;
  if (pipelined)
    {
      /* RFC 2920: MAIL FROM and every RCPT TO in one write. */
      g_string_append (batch, "\r\n");
      for (guint i = 0; i < n_recipients; i++)
        g_string_append_printf (batch, "%s\r\n", (char *) g_ptr_array_index (rcpt_commands, i));

      if (!send_data (self, batch->str, batch->len, MAIL_CONNECTION_IO_NONE, cancellable, error))
        return FALSE;
    }
  else if (!send_line (self, batch->str, cancellable, error))
    {
      return FALSE;
    }

  if (!read_envelope_replies (self, result, n_recipients, pipelined,
                              (char **) rcpt_commands->pdata, cancellable, error))
    return FALSE;

  if (!mail_smtp_reply_is_positive (mail_smtp_result_get_sender_reply (result)))
    {
      g_autofree char *what = g_strdup_printf (_("The server %s refused the sender %s."),
                                               server_name (self),
                                               prepared->from[0] != '\0' ? prepared->from : "<>");

      g_propagate_error (error,
                         reply_error (self, mail_smtp_result_get_sender_reply (result), what));
      reset_quietly (self, cancellable);
      return FALSE;
    }

  for (guint i = 0; i < n_recipients; i++)
    if (mail_smtp_reply_is_positive (mail_smtp_result_get_recipient_reply (result, i)))
      n_accepted++;

  if (n_accepted == 0)
    {
      g_propagate_error (error, all_refused_error (self, result));
      reset_quietly (self, cancellable);
      return FALSE;
    }

  data_reply = command (self, "DATA", cancellable, error);
  if (data_reply == NULL)
    return FALSE;

  if (mail_smtp_reply_get_code (data_reply) != 354)
    {
      g_autofree char *what = g_strdup_printf (_("The server %s refused to take the message."),
                                               server_name (self));

      _mail_smtp_result_set_data_reply (result, data_reply);
      g_propagate_error (error, reply_error (self, data_reply, what));
      reset_quietly (self, cancellable);
      return FALSE;
    }

  wire_data = g_bytes_get_data (wire, &wire_length);
  if (!send_data (self, wire_data, wire_length, MAIL_CONNECTION_IO_BODY, cancellable, error))
    return FALSE;

  /* The server may check the whole message now (content filters, virus scanners): RFC
   * 5321 §4.5.3.2.6 gives it ten minutes, where any other reply gets the command timeout. */
  mail_connection_set_phase (self->connection, MAIL_CONNECTION_PHASE_DATA_END);
  final_reply = read_reply (self, cancellable, &local_error);
  mail_connection_set_phase (self->connection, MAIL_CONNECTION_PHASE_COMMAND);
  if (final_reply == NULL)
    {
      /* The whole message, final dot included, went out: it may have been delivered. */
      _mail_smtp_result_set_outcome (result, MAIL_SMTP_OUTCOME_UNKNOWN);
      g_prefix_error (&local_error, _("The server %s did not confirm the message, which may "
                                      "have been delivered all the same. "),
                      server_name (self));
      g_propagate_error (error, local_error);
      return FALSE;
    }

  _mail_smtp_result_set_data_reply (result, final_reply);

  if (!mail_smtp_reply_is_positive (final_reply))
    {
      g_autofree char *what = g_strdup_printf (_("The server %s refused the message."),
                                               server_name (self));

      g_propagate_error (error, reply_error (self, final_reply, what));
      return FALSE;
    }

  _mail_smtp_result_set_outcome (result, n_accepted == n_recipients ? MAIL_SMTP_OUTCOME_SENT
                                                                    : MAIL_SMTP_OUTCOME_PARTIAL);

  return TRUE;
}

/* The queue the _async wrappers run their _sync twins on. */
MailTaskQueue *
_mail_smtp_client_get_queue (MailSmtpClient *self)
{
  return self->queue;
}

gboolean
_mail_smtp_client_send_prepared (MailSmtpClient    *self,
                                 MailSmtpPrepared  *prepared,
                                 MailSmtpResult   **result,
                                 GCancellable      *cancellable,
                                 GError           **error)
{
  if (!require_connected (self, error))
    return FALSE;

  return transaction (self, prepared, result, cancellable, error);
}

MailSmtpPrepared *
_mail_smtp_prepared_new_raw (const char          *from,
                             const char * const  *recipients,
                             GBytes              *message,
                             GError             **error)
{
  MailSmtpPrepared *prepared;

  if (!mail_smtp_check_envelope (from, recipients, error))
    return NULL;

  prepared = g_new0 (MailSmtpPrepared, 1);
  prepared->from = g_strdup (from);
  prepared->recipients = g_strdupv ((char **) recipients);
  prepared->message = g_bytes_ref (message);

  return prepared;
}

/**
 * mail_smtp_client_send_sync:
 * @self: a #MailSmtpClient
 * @from: the envelope sender (return path), "" for the null sender
 * @recipients: (array zero-terminated=1): the envelope recipients, at least one
 * @message: the message (RFC 5322), with any line ends
 * @result: (out) (optional) (nullable) (transfer full): what became of the message and of
 *   each recipient; set once MAIL FROM was sent, also when the call fails
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends one message. Before anything goes out, every address is checked (CR, LF and
 * other control characters are refused), the message is normalised and dot-stuffed, and
 * it is refused when it is larger than the server's SIZE, holds 8-bit data the server
 * cannot take, or needs SMTPUTF8 the server does not offer.
 *
 * The call succeeds when the server accepted the message for at least one recipient.
 * Check mail_smtp_result_get_outcome(): %MAIL_SMTP_OUTCOME_PARTIAL means some recipients
 * were refused, and the result says which and why. When every recipient, the sender or
 * the message is refused, the call fails with %MAIL_SMTP_ERROR_TRANSIENT or
 * %MAIL_SMTP_ERROR_PERMANENT (the reply is attached to the error) and the session stays
 * usable. The final reply may take the server a while (content filters): it gets the
 * connection's %MAIL_CONNECTION_PHASE_DATA_END timeout, ten minutes by default, instead
 * of the command timeout. When it never comes, the outcome is %MAIL_SMTP_OUTCOME_UNKNOWN.
 *
 * Returns: %TRUE when the server accepted the message
 */
gboolean
mail_smtp_client_send_sync (MailSmtpClient      *self,
                            const char          *from,
                            const char * const  *recipients,
                            GBytes              *message,
                            MailSmtpResult     **result,
                            GCancellable        *cancellable,
                            GError             **error)
{
  g_autoptr (MailSmtpPrepared) prepared = NULL;

  if (result != NULL)
    *result = NULL;

  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), FALSE);
  g_return_val_if_fail (from != NULL, FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  prepared = _mail_smtp_prepared_new_raw (from, recipients, message, error);
  if (prepared == NULL)
    return FALSE;

  return _mail_smtp_client_send_prepared (self, prepared, result, cancellable, error);
}

static gboolean
check_mailbox (InternetAddress  *address,
               GError          **error)
{
  const char *name = internet_address_get_name (address);

  if (name != NULL && strpbrk (name, "\r\n") != NULL)
    {
      g_set_error_literal (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_ADDRESS,
                           _("A name in the message’s addresses contains a line break."));
      return FALSE;
    }

  return TRUE;
}

/* Adds the mailboxes of @list (groups flattened) to @addresses, skipping repeats. */
static gboolean
collect_mailboxes (InternetAddressList  *list,
                   GPtrArray            *addresses,
                   GHashTable           *seen,
                   GError              **error)
{
  int n = list != NULL ? internet_address_list_length (list) : 0;

  for (int i = 0; i < n; i++)
    {
      InternetAddress *address = internet_address_list_get_address (list, i);

      if (!check_mailbox (address, error))
        return FALSE;

      if (INTERNET_ADDRESS_IS_GROUP (address))
        {
          InternetAddressList *members =
            internet_address_group_get_members (INTERNET_ADDRESS_GROUP (address));

          if (!collect_mailboxes (members, addresses, seen, error))
            return FALSE;
        }
      else if (INTERNET_ADDRESS_IS_MAILBOX (address))
        {
          const char *addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address));
          char *key;

          if (addr == NULL || addr[0] == '\0')
            continue;

          if (!mail_smtp_address_check (addr, NULL, error))
            return FALSE;

          key = g_utf8_casefold (addr, -1);
          if (g_hash_table_add (seen, key))
            g_ptr_array_add (addresses, g_strdup (addr));
        }
    }

  return TRUE;
}

static void
check_part_headers_cb (GMimeObject *parent,
                       GMimeObject *part,
                       gpointer     user_data)
{
  GError **error = user_data;
  GMimeHeaderList *headers = g_mime_object_get_header_list (part);
  int n = g_mime_header_list_get_count (headers);

  for (int i = 0; i < n && *error == NULL; i++)
    {
      GMimeHeader *header = g_mime_header_list_get_header_at (headers, i);

      mail_smtp_header_check (g_mime_header_get_name (header), g_mime_header_get_value (header),
                              error);
    }
}

static gboolean
check_headers (GMimeMessage  *message,
               GError       **error)
{
  GError *local_error = NULL;

  check_part_headers_cb (NULL, GMIME_OBJECT (message), &local_error);
  if (local_error == NULL)
    g_mime_message_foreach (message, check_part_headers_cb, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  return TRUE;
}

/**
 * mail_smtp_message_get_envelope:
 * @message: a message
 * @from: (out) (transfer full) (optional): the envelope sender: the Sender mailbox, or
 *   else the first From mailbox
 * @recipients: (out) (transfer full) (array zero-terminated=1) (optional): every mailbox
 *   of To, Cc and Bcc, groups flattened, each once
 * @error: return location for a #GError
 *
 * Derives the envelope of a message and checks its addresses, as
 * mail_smtp_client_send_message_sync() does.
 *
 * Returns: %TRUE on success; %MAIL_SMTP_ERROR_INVALID_MESSAGE when there is no sender or
 *   no recipient, %MAIL_SMTP_ERROR_INVALID_ADDRESS for an unusable address
 */
gboolean
mail_smtp_message_get_envelope (GMimeMessage   *message,
                                char          **from,
                                char         ***recipients,
                                GError        **error)
{
  g_autoptr (GPtrArray) senders = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) seen_senders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                               NULL);
  static const GMimeAddressType recipient_types[] = {
    GMIME_ADDRESS_TYPE_TO, GMIME_ADDRESS_TYPE_CC, GMIME_ADDRESS_TYPE_BCC,
  };

  g_return_val_if_fail (GMIME_IS_MESSAGE (message), FALSE);

  if (!collect_mailboxes (g_mime_message_get_sender (message), senders, seen_senders, error))
    return FALSE;
  if (senders->len == 0
      && !collect_mailboxes (g_mime_message_get_from (message), senders, seen_senders, error))
    return FALSE;

  if (senders->len == 0)
    {
      g_set_error_literal (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_MESSAGE,
                           _("The message has no sender (From)."));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (recipient_types); i++)
    if (!collect_mailboxes (g_mime_message_get_addresses (message, recipient_types[i]), addresses,
                            seen, error))
      return FALSE;

  if (addresses->len == 0)
    {
      g_set_error_literal (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_MESSAGE,
                           _("The message has no recipients."));
      return FALSE;
    }

  if (from != NULL)
    *from = g_strdup (g_ptr_array_index (senders, 0));

  if (recipients != NULL)
    {
      g_ptr_array_add (addresses, NULL);
      *recipients = (char **) g_ptr_array_steal (addresses, NULL);
    }

  return TRUE;
}

MailSmtpPrepared *
_mail_smtp_prepared_new_message (GMimeMessage  *message,
                                 GError       **error)
{
  g_autoptr (MailSmtpPrepared) prepared = g_new0 (MailSmtpPrepared, 1);

  if (!mail_smtp_message_get_envelope (message, &prepared->from, &prepared->recipients, error)
      || !check_headers (message, error))
    return NULL;

  prepared->message = write_message (GMIME_OBJECT (message));
  prepared->may_reencode = TRUE;

  return g_steal_pointer (&prepared);
}

/**
 * mail_smtp_client_send_message_sync:
 * @self: a #MailSmtpClient
 * @message: the message to send
 * @result: (out) (optional) (nullable) (transfer full): what became of the message; see
 *   mail_smtp_client_send_sync()
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends a GMime message: the envelope sender is the Sender mailbox, or else the first
 * From mailbox; the recipients are every mailbox of To, Cc and Bcc. Every header of the
 * message and of its parts is checked first, and a value holding CR or LF (after
 * decoding) refuses the message before anything is sent. The Bcc header is left out of
 * what is sent. For a server without 8BITMIME, 8-bit parts are re-encoded to 7 bit
 * (@message itself is not changed). Otherwise as mail_smtp_client_send_sync().
 *
 * Returns: %TRUE when the server accepted the message
 */
gboolean
mail_smtp_client_send_message_sync (MailSmtpClient   *self,
                                    GMimeMessage     *message,
                                    MailSmtpResult  **result,
                                    GCancellable     *cancellable,
                                    GError          **error)
{
  g_autoptr (MailSmtpPrepared) prepared = NULL;

  if (result != NULL)
    *result = NULL;

  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), FALSE);
  g_return_val_if_fail (GMIME_IS_MESSAGE (message), FALSE);

  prepared = _mail_smtp_prepared_new_message (message, error);
  if (prepared == NULL)
    return FALSE;

  return _mail_smtp_client_send_prepared (self, prepared, result, cancellable, error);
}

/* ---------------------------------------------------------------------------------- */
/* Session                                                                             */

static gboolean
simple_command (MailSmtpClient  *self,
                const char      *line,
                const char      *what,
                GCancellable    *cancellable,
                GError         **error)
{
  g_autoptr (MailSmtpReply) reply = NULL;

  if (!require_connected (self, error))
    return FALSE;

  reply = command (self, line, cancellable, error);
  if (reply == NULL)
    return FALSE;

  if (!mail_smtp_reply_is_positive (reply))
    {
      g_propagate_error (error, reply_error (self, reply, what));
      return FALSE;
    }

  return TRUE;
}

/**
 * mail_smtp_client_reset_sync:
 * @self: a #MailSmtpClient
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * RSET: abandons a transaction in progress. mail_smtp_client_send_sync() already does
 * this after a refusal.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_smtp_client_reset_sync (MailSmtpClient  *self,
                             GCancellable    *cancellable,
                             GError         **error)
{
  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), FALSE);

  return simple_command (self, "RSET", _("The server did not accept RSET."), cancellable, error);
}

/**
 * mail_smtp_client_noop_sync:
 * @self: a #MailSmtpClient
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * NOOP: checks that the session is alive.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_smtp_client_noop_sync (MailSmtpClient  *self,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), FALSE);

  return simple_command (self, "NOOP", _("The server did not accept NOOP."), cancellable, error);
}

/**
 * mail_smtp_client_quit_sync:
 * @self: a #MailSmtpClient
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * QUIT, then closes the connection (which is closed however QUIT goes). Quitting a
 * disconnected client does nothing.
 *
 * Returns: %TRUE when the server said goodbye
 */
gboolean
mail_smtp_client_quit_sync (MailSmtpClient  *self,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_autoptr (MailSmtpReply) reply = NULL;
  gboolean ok;

  g_return_val_if_fail (MAIL_IS_SMTP_CLIENT (self), FALSE);

  if (self->state == MAIL_SMTP_STATE_DISCONNECTED
      || !mail_connection_is_connected (self->connection))
    {
      set_state (self, MAIL_SMTP_STATE_DISCONNECTED);
      return TRUE;
    }

  reply = command (self, "QUIT", cancellable, error);
  ok = reply != NULL;
  if (ok && !mail_smtp_reply_is_positive (reply))
    {
      g_propagate_error (error, reply_error (self, reply, _("The server did not accept QUIT.")));
      ok = FALSE;
    }

  abort_session (self);

  return ok;
}

/**
 * mail_smtp_client_disconnect:
 * @self: a #MailSmtpClient
 *
 * Closes the connection without QUIT. Like the _sync functions, call it from the thread
 * that owns the client, with no _async call in flight (cancel a running one and wait for
 * its callback first).
 */
void
mail_smtp_client_disconnect (MailSmtpClient *self)
{
  g_return_if_fail (MAIL_IS_SMTP_CLIENT (self));

  abort_session (self);
}
