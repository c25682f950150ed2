/* mail-connection.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One TCP connection to a mail server, shared by the IMAP, POP3 and SMTP clients: connect,
 * implicit TLS or STARTTLS, a line reader with hard limits, whole-command writes, phase
 * timeouts, cancellation and a redacted protocol log. Protocol engines drive it with
 * linear _sync code from their own thread; one thread owns a connection at a time.
 *
 * Connecting. GSocketClient's asynchronous connect is the one with happy eyeballs
 * (parallel IPv6/IPv4 attempts) and it honours the system proxy settings, so the _sync
 * connect runs it on a private "mail-net-connect" thread and waits. The connect timeout
 * there covers name resolution too.
 *
 * TLS and STARTTLS: every decision about them (which certificate is accepted, pinning,
 * the oldest TLS version allowed, bytes injected before a STARTTLS upgrade) is in
 * mail-connection-tls.c, so that it can be reviewed alone.
 *
 * Timeouts. Each phase (connect, greeting, command, idle, data end) has a timeout, applied
 * as the GSocket timeout, so any blocking read or write, including the TLS handshake, fails
 * with G_IO_ERROR_TIMED_OUT when the server stays silent that long. The client says
 * which phase it is in with mail_connection_set_phase().
 *
 * Cancellation. While a call blocks, cancelling its GCancellable from any thread shuts
 * the socket down at once (shutdown(2), which is safe while another thread polls it) and
 * the call returns G_IO_ERROR_CANCELLED; the connection is then closed. The one
 * exception is mail_connection_wait_for_data_sync(), for IMAP IDLE: cancelling it leaves
 * the connection usable, so the client can send DONE.
 *
 * Errors. Any failure of a read or write closes the connection, because the protocol
 * state is then unknown. Error messages name the server and are whole sentences for
 * people ("The server mail.example.test did not answer within 60 seconds."); domains and
 * codes stay those of GIO.
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-net"

#include <glib/gi18n.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

#include "mail-connection.h"
#include "mail-connection-private.h"
#include "mail-thread-context.h"

G_DEFINE_FINAL_TYPE (MailConnection, mail_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_SECURITY,
  PROP_DATABASE,
  PROP_ENCRYPTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------------------------- */
/* Errors                                                                              */

static char *
strip_period (const char *message)
{
  char *copy = g_strdup (message != NULL ? message : "");
  gsize len = strlen (copy);

  while (len > 0 && (copy[len - 1] == '.' || copy[len - 1] == ' '))
    copy[--len] = '\0';

  return copy;
}

static GError *error_like (const GError *original,
                           const char   *format,
                           ...) G_GNUC_PRINTF (2, 3);

/* A new error with the domain and code of original and a message for people. */
static GError *
error_like (const GError *original,
            const char   *format,
            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  return g_error_new_literal (original->domain, original->code, message);
}

static GError *
timeout_error (MailConnection *self)
{
  return g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                      g_dngettext (GETTEXT_PACKAGE,
                                   "The server %s did not answer within %u second.",
                                   "The server %s did not answer within %u seconds.",
                                   self->active_timeout),
                      self->host, self->active_timeout);
}

/* Rewrites an error of a read, write or handshake for people. Takes @error. */
static GError *
translate_io_error (MailConnection *self,
                    GError         *error)
{
  g_autoptr (GError) original = error;
  g_autofree char *detail = NULL;

  if (original->domain == MAIL_NET_ERROR
      || g_error_matches (original, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (original, G_IO_ERROR, G_IO_ERROR_CLOSED))
    return g_steal_pointer (&original);

  if (g_error_matches (original, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return timeout_error (self);

  if (g_error_matches (original, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED)
      || g_error_matches (original, G_TLS_ERROR, G_TLS_ERROR_EOF))
    return error_like (original, _("The server %s closed the connection unexpectedly."),
                       self->host);

  detail = strip_period (original->message);

  if (original->domain == G_TLS_ERROR)
    {
      if (original->code == G_TLS_ERROR_NOT_TLS)
        return error_like (original, _("The server %s does not speak TLS on port %u (%s)."),
                           self->host, (guint) self->port, detail);
      return error_like (original, _("A secure connection to %s could not be set up: %s."),
                         self->host, detail);
    }

  return error_like (original, _("The connection to %s failed: %s."), self->host, detail);
}

/* Rewrites an error of the connect step for people. Takes @error. */
static GError *
translate_connect_error (MailConnection *self,
                         GError         *error)
{
  g_autoptr (GError) original = error;
  g_autofree char *detail = strip_period (original->message);

  if (g_error_matches (original, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_steal_pointer (&original);

  if (g_error_matches (original, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return timeout_error (self);

  if (g_error_matches (original, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    return error_like (original, _("The server name “%s” could not be found."), self->host);

  if (original->domain == G_RESOLVER_ERROR)
    return error_like (original, _("The server name “%s” could not be looked up: %s."),
                       self->host, detail);

  if (g_error_matches (original, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return error_like (original, _("The server %s refused the connection on port %u."),
                       self->host, (guint) self->port);

  if (g_error_matches (original, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
      || g_error_matches (original, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    return error_like (original, _("The server %s cannot be reached: %s."), self->host, detail);

  if (g_error_matches (original, G_IO_ERROR, G_IO_ERROR_PROXY_FAILED)
      || g_error_matches (original, G_IO_ERROR, G_IO_ERROR_PROXY_AUTH_FAILED)
      || g_error_matches (original, G_IO_ERROR, G_IO_ERROR_PROXY_NEED_AUTH)
      || g_error_matches (original, G_IO_ERROR, G_IO_ERROR_PROXY_NOT_ALLOWED))
    return error_like (original, _("Could not connect to %s through the proxy: %s."),
                       self->host, detail);

  return error_like (original, _("Could not connect to %s on port %u: %s."), self->host,
                     (guint) self->port, detail);
}

/* ---------------------------------------------------------------------------------- */
/* Closing and cancellation                                                            */

/* Closes the socket now, without a TLS goodbye. Only from the owning thread, and never
 * inside a blocking section (see _mail_connection_guard_begin()), so the cancel handler
 * cannot race with the close of the file descriptor. */
static void
close_now_full (MailConnection *self,
                gboolean        notify)
{
  gboolean was_encrypted = self->tls != NULL;

  if (!self->connected && self->socket_connection == NULL)
    return;

  g_atomic_int_set (&self->fd, -1);

  if (self->socket_connection != NULL)
    g_io_stream_close (G_IO_STREAM (self->socket_connection), NULL, NULL);

  if (self->connected)
    mail_protocol_log_add_info (self->log, "connection closed");

  self->connected = FALSE;
  g_clear_object (&self->tls);
  self->stream = NULL;
  self->output = NULL;
  self->socket = NULL;
  g_clear_object (&self->socket_connection);
  /* After the socket: whatever they still flush on disposal goes nowhere. */
  g_clear_object (&self->compress_output);
  g_clear_object (&self->compress_input);

  if (was_encrypted && notify)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENCRYPTED]);
}

static void
close_now (MailConnection *self)
{
  close_now_full (self, TRUE);
}

static void
abort_cb (GCancellable *cancellable,
          gpointer      user_data)
{
  MailConnection *self = user_data;
  int fd;

  g_atomic_int_set (&self->aborted, TRUE);

  fd = g_atomic_int_get (&self->fd);
  if (fd >= 0)
    shutdown (fd, SHUT_RDWR);
}

/* Marks the start of a call that may block: until _mail_connection_guard_end(), cancelling
 * shuts the socket down. */
void
_mail_connection_guard_begin (MailConnection      *self,
                              GCancellable        *cancellable,
                              MailConnectionGuard *guard)
{
  guard->cancellable = cancellable;
  guard->handler = 0;

  if (cancellable != NULL)
    guard->handler = g_cancellable_connect (cancellable, G_CALLBACK (abort_cb), self, NULL);
}

void
_mail_connection_guard_end (MailConnectionGuard *guard)
{
  /* Waits for a handler running in another thread to finish. */
  if (guard->handler != 0)
    g_cancellable_disconnect (guard->cancellable, guard->handler);
}

/* After a failed read, write or handshake: closes the connection and reports why.
 * Takes @local_error. */
void
_mail_connection_fail_io (MailConnection  *self,
                          GError          *local_error,
                          GCancellable    *cancellable,
                          GError         **error)
{
  if (g_atomic_int_get (&self->aborted)
      || (cancellable != NULL && g_cancellable_is_cancelled (cancellable)))
    {
      g_clear_error (&local_error);
      close_now (self);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           _("The operation was cancelled."));
      return;
    }

  local_error = translate_io_error (self, local_error);
  mail_protocol_log_add_info (self->log, "error: %s", local_error->message);
  close_now (self);
  g_propagate_error (error, local_error);
}

gboolean
_mail_connection_check_connected (MailConnection  *self,
                                  GError         **error)
{
  if (self->connected)
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, _("Not connected to %s."),
               self->host);
  return FALSE;
}

void
_mail_connection_apply_timeout (MailConnection *self,
                                guint           seconds)
{
  self->active_timeout = seconds;
  if (self->socket != NULL)
    g_socket_set_timeout (self->socket, seconds);
}

/* ---------------------------------------------------------------------------------- */
/* GObject                                                                             */

/* For mail-connection-tls.c, which does not see the property table. */
void
_mail_connection_notify_encrypted (MailConnection *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENCRYPTED]);
}

static void
mail_connection_dispose (GObject *object)
{
  MailConnection *self = (MailConnection *) object;

  close_now_full (self, FALSE);

  G_OBJECT_CLASS (mail_connection_parent_class)->dispose (object);
}

static void
mail_connection_finalize (GObject *object)
{
  MailConnection *self = (MailConnection *) object;

  g_clear_pointer (&self->host, g_free);
  g_clear_object (&self->database);
  g_clear_pointer (&self->pin_host, g_free);
  g_clear_pointer (&self->pin_fingerprint, g_free);
  g_clear_object (&self->log);
  g_clear_object (&self->reader);
  g_clear_object (&self->peer_info);
  g_clear_pointer (&self->ciphersuite, g_free);

  G_OBJECT_CLASS (mail_connection_parent_class)->finalize (object);
}

static void
mail_connection_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MailConnection *self = MAIL_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_SECURITY:
      g_value_set_int (value, self->security);
      break;

    case PROP_DATABASE:
      g_value_set_object (value, self->database);
      break;

    case PROP_ENCRYPTED:
      g_value_set_boolean (value, mail_connection_is_encrypted (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_connection_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MailConnection *self = MAIL_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_HOST:
      self->host = g_value_dup_string (value);
      break;

    case PROP_PORT:
      self->port = (guint16) g_value_get_uint (value);
      break;

    case PROP_SECURITY:
      self->security = (MailSecurity) g_value_get_int (value);
      break;

    case PROP_DATABASE:
      self->database = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_connection_constructed (GObject *object)
{
  MailConnection *self = MAIL_CONNECTION (object);
  g_autofree char *name = g_strdup_printf ("%s:%u", self->host, (guint) self->port);

  G_OBJECT_CLASS (mail_connection_parent_class)->constructed (object);

  mail_protocol_log_set_name (self->log, name);
}

static void
mail_connection_class_init (MailConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mail_connection_dispose;
  object_class->finalize = mail_connection_finalize;
  object_class->get_property = mail_connection_get_property;
  object_class->set_property = mail_connection_set_property;
  object_class->constructed = mail_connection_constructed;

  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       1, G_MAXUINT16, 993,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SECURITY] =
    g_param_spec_int ("security", NULL, NULL,
                      MAIL_SECURITY_NONE, MAIL_SECURITY_TLS, MAIL_SECURITY_TLS,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL,
                         G_TYPE_TLS_DATABASE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ENCRYPTED] =
    g_param_spec_boolean ("encrypted", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mail_connection_init (MailConnection *self)
{
  self->timeouts[MAIL_CONNECTION_PHASE_CONNECT] = MAIL_CONNECTION_DEFAULT_CONNECT_TIMEOUT;
  self->timeouts[MAIL_CONNECTION_PHASE_GREETING] = MAIL_CONNECTION_DEFAULT_GREETING_TIMEOUT;
  self->timeouts[MAIL_CONNECTION_PHASE_COMMAND] = MAIL_CONNECTION_DEFAULT_COMMAND_TIMEOUT;
  self->timeouts[MAIL_CONNECTION_PHASE_IDLE] = MAIL_CONNECTION_DEFAULT_IDLE_TIMEOUT;
  self->timeouts[MAIL_CONNECTION_PHASE_DATA_END] = MAIL_CONNECTION_DEFAULT_DATA_END_TIMEOUT;
  self->phase = MAIL_CONNECTION_PHASE_CONNECT;
  self->fd = -1;
  self->log = mail_protocol_log_new (0);
}

/**
 * mail_connection_new:
 * @host: the server's host name or address
 * @port: the server's port
 * @security: how to secure the connection
 * @database: (nullable): the certificate authorities to trust, normally a
 *   #MailTlsDatabase; %NULL for the TLS backend's default
 *
 * Creates an unconnected connection; see mail_connection_connect_sync().
 *
 * Returns: (transfer full): a new #MailConnection
 */
MailConnection *
mail_connection_new (const char   *host,
                     guint16       port,
                     MailSecurity  security,
                     GTlsDatabase *database)
{
  g_return_val_if_fail (host != NULL && host[0] != '\0', NULL);
  g_return_val_if_fail (port != 0, NULL);
  g_return_val_if_fail (database == NULL || G_IS_TLS_DATABASE (database), NULL);

  return g_object_new (MAIL_TYPE_CONNECTION,
                       "host", host,
                       "port", (guint) port,
                       "security", (int) security,
                       "database", database,
                       NULL);
}

/**
 * mail_connection_get_host:
 * @self: a #MailConnection
 *
 * Returns: the server's host name
 */
const char *
mail_connection_get_host (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), NULL);

  return self->host;
}

/**
 * mail_connection_get_port:
 * @self: a #MailConnection
 *
 * Returns: the server's port
 */
guint16
mail_connection_get_port (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), 0);

  return self->port;
}

/**
 * mail_connection_get_security:
 * @self: a #MailConnection
 *
 * Returns: how the connection is secured
 */
MailSecurity
mail_connection_get_security (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), MAIL_SECURITY_TLS);

  return self->security;
}

/**
 * mail_connection_get_database:
 * @self: a #MailConnection
 *
 * Returns: (transfer none) (nullable): the trusted certificate authorities
 */
GTlsDatabase *
mail_connection_get_database (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), NULL);

  return self->database;
}

/**
 * mail_connection_set_allow_plaintext_secrets:
 * @self: a #MailConnection
 * @allow: whether the user explicitly allowed sending the password unencrypted
 *
 * On a %MAIL_SECURITY_NONE connection, lets mail_connection_write_secret_sync() send. On
 * any other connection secrets are sent only once it is encrypted, whatever this says.
 */
void
mail_connection_set_allow_plaintext_secrets (MailConnection *self,
                                             gboolean        allow)
{
  g_return_if_fail (MAIL_IS_CONNECTION (self));

  self->allow_plaintext_secrets = !!allow;
}

/**
 * mail_connection_set_timeout:
 * @self: a #MailConnection
 * @phase: a phase
 * @seconds: how long the server may stay silent in @phase, 0 for no limit
 *
 * Sets a phase's timeout (defaults: 15 s connect, 15 s greeting, 60 s command, 29 min
 * idle, 10 min data end). It applies from the next time @phase is entered, or at once if
 * it is the current phase.
 */
void
mail_connection_set_timeout (MailConnection      *self,
                             MailConnectionPhase  phase,
                             guint                seconds)
{
  g_return_if_fail (MAIL_IS_CONNECTION (self));
  g_return_if_fail (phase < MAIL_CONNECTION_N_PHASES);

  self->timeouts[phase] = seconds;
  if (phase == self->phase && self->connected)
    _mail_connection_apply_timeout (self, seconds);
}

/**
 * mail_connection_get_timeout:
 * @self: a #MailConnection
 * @phase: a phase
 *
 * Returns: the timeout of @phase in seconds, 0 for none
 */
guint
mail_connection_get_timeout (MailConnection      *self,
                             MailConnectionPhase  phase)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), 0);
  g_return_val_if_fail (phase < MAIL_CONNECTION_N_PHASES, 0);

  return self->timeouts[phase];
}

/**
 * mail_connection_set_phase:
 * @self: a #MailConnection
 * @phase: the phase the protocol client is entering
 *
 * A successful connect leaves the connection in %MAIL_CONNECTION_PHASE_GREETING; the
 * client moves to %MAIL_CONNECTION_PHASE_COMMAND after the greeting, to
 * %MAIL_CONNECTION_PHASE_IDLE and back around IMAP IDLE, and to
 * %MAIL_CONNECTION_PHASE_DATA_END and back around the wait for SMTP's final reply.
 */
void
mail_connection_set_phase (MailConnection      *self,
                           MailConnectionPhase  phase)
{
  g_return_if_fail (MAIL_IS_CONNECTION (self));
  g_return_if_fail (phase < MAIL_CONNECTION_N_PHASES);

  self->phase = phase;
  _mail_connection_apply_timeout (self, self->timeouts[phase]);
}

/**
 * mail_connection_get_phase:
 * @self: a #MailConnection
 *
 * Returns: the current phase
 */
MailConnectionPhase
mail_connection_get_phase (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), MAIL_CONNECTION_PHASE_CONNECT);

  return self->phase;
}

/**
 * mail_connection_get_log:
 * @self: a #MailConnection
 *
 * Returns: (transfer none): the connection's protocol log
 */
MailProtocolLog *
mail_connection_get_log (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), NULL);

  return self->log;
}

/**
 * mail_connection_set_log:
 * @self: a #MailConnection
 * @log: a log to record into instead, such as one shared by an account's connections
 */
void
mail_connection_set_log (MailConnection  *self,
                         MailProtocolLog *log)
{
  g_return_if_fail (MAIL_IS_CONNECTION (self));
  g_return_if_fail (MAIL_IS_PROTOCOL_LOG (log));

  g_set_object (&self->log, log);
}

/**
 * mail_connection_get_reader:
 * @self: a #MailConnection
 *
 * The reader, for setting its limits and for incremental parsers (peek, consume, and
 * mail_connection_fill_sync() to read more). Bytes consumed that way are not logged: the
 * parser logs them with mail_connection_get_log(). The same reader object lives for the
 * whole connection; STARTTLS only switches the stream beneath it.
 *
 * Returns: (transfer none) (nullable): the reader, or %NULL before the connection is made
 */
MailLineReader *
mail_connection_get_reader (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), NULL);

  return self->reader;
}

/* ---------------------------------------------------------------------------------- */
/* Connecting                                                                          */

typedef struct
{
  GMutex              mutex;
  GCond               cond;
  gboolean            done;

  GSocketClient      *client;
  GSocketConnectable *address;
  GCancellable       *cancellable;
  guint               timeout_ms;
  GSource            *timeout_source;
  gboolean            timed_out;

  GSocketConnection  *connection;
  GError             *error;
} ConnectRequest;

static void
connect_request_clear (gpointer data)
{
  ConnectRequest *request = data;

  g_mutex_clear (&request->mutex);
  g_cond_clear (&request->cond);
  g_clear_object (&request->client);
  g_clear_object (&request->address);
  g_clear_object (&request->cancellable);
  if (request->timeout_source != NULL)
    g_source_destroy (request->timeout_source);
  g_clear_pointer (&request->timeout_source, g_source_unref);
  g_clear_object (&request->connection);
  g_clear_error (&request->error);
}

static void
connect_request_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, connect_request_clear);
}

/* The context of the thread that runs every asynchronous connect. It lives as long as the
 * process: a connect that finished leaves nothing behind, but late completions of the
 * attempts happy eyeballs cancelled still need a context that runs. */
static GMainContext *
connector_context (void)
{
  static gsize initialized;
  static GMainContext *context;

  if (g_once_init_enter (&initialized))
    {
      context = mail_thread_context_new ("mail-net-connect");
      g_once_init_leave (&initialized, 1);
    }

  return context;
}

static gboolean
connect_timeout_cb (gpointer data)
{
  ConnectRequest *request = data;

  request->timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);

  return G_SOURCE_REMOVE;
}

static void
connect_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      data)
{
  ConnectRequest *request = data;
  GSocketConnection *connection;
  GError *error = NULL;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);

  if (request->timeout_source != NULL)
    g_source_destroy (request->timeout_source);

  g_mutex_lock (&request->mutex);
  request->connection = connection;
  request->error = error;
  request->done = TRUE;
  g_cond_signal (&request->cond);
  g_mutex_unlock (&request->mutex);

  connect_request_unref (request);
}

static gboolean
start_connect_cb (gpointer data)
{
  ConnectRequest *request = data;

  if (request->timeout_ms > 0)
    {
      request->timeout_source = g_timeout_source_new (request->timeout_ms);
      g_source_set_callback (request->timeout_source, connect_timeout_cb,
                             g_atomic_rc_box_acquire (request), connect_request_unref);
      g_source_attach (request->timeout_source, g_main_context_get_thread_default ());
    }

  g_socket_client_connect_async (request->client, request->address, request->cancellable,
                                 connect_done_cb, g_atomic_rc_box_acquire (request));

  return G_SOURCE_REMOVE;
}

static void
chain_cancel_cb (GCancellable *cancellable,
                 gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static GSocketConnection *
connect_socket (MailConnection  *self,
                GCancellable    *cancellable,
                GError         **error)
{
  ConnectRequest *request = g_atomic_rc_box_new0 (ConnectRequest);
  GSocketConnection *connection = NULL;
  gulong handler = 0;
  gboolean timed_out;

  g_mutex_init (&request->mutex);
  g_cond_init (&request->cond);
  request->client = g_socket_client_new ();
  request->address = g_network_address_new (self->host, self->port);
  request->cancellable = g_cancellable_new ();
  request->timeout_ms = MIN (self->timeouts[MAIL_CONNECTION_PHASE_CONNECT], G_MAXUINT / 1000)
                        * 1000;

  /* TLS is done here, not by the socket client, so that certificate handling is ours. */
  g_socket_client_set_tls (request->client, FALSE);
  g_socket_client_set_timeout (request->client, self->timeouts[MAIL_CONNECTION_PHASE_CONNECT]);

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (chain_cancel_cb),
                                     g_object_ref (request->cancellable), g_object_unref);

  g_main_context_invoke_full (connector_context (), G_PRIORITY_DEFAULT, start_connect_cb,
                              g_atomic_rc_box_acquire (request), connect_request_unref);

  g_mutex_lock (&request->mutex);
  while (!request->done)
    g_cond_wait (&request->cond, &request->mutex);
  connection = g_steal_pointer (&request->connection);
  timed_out = request->timed_out;
  g_mutex_unlock (&request->mutex);

  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);

  if (connection == NULL)
    {
      GError *local_error = g_steal_pointer (&request->error);

      if (timed_out && (cancellable == NULL || !g_cancellable_is_cancelled (cancellable)))
        {
          g_clear_error (&local_error);
          local_error = timeout_error (self);
        }
      else
        {
          local_error = translate_connect_error (self, local_error);
        }
      g_propagate_error (error, local_error);
    }

  connect_request_unref (request);

  return connection;
}

static void
tune_socket (MailConnection *self)
{
  g_autoptr (GError) local_error = NULL;

  GSocketFamily family = g_socket_get_family (self->socket);

  /* GSocketClient makes its sockets with the default protocol, which for a stream in
   * these families is TCP. */
  if ((family == G_SOCKET_FAMILY_IPV4 || family == G_SOCKET_FAMILY_IPV6)
      && g_socket_get_socket_type (self->socket) == G_SOCKET_TYPE_STREAM
      && !g_socket_set_option (self->socket, IPPROTO_TCP, TCP_NODELAY, 1, &local_error))
    g_debug ("Could not set TCP_NODELAY: %s", local_error->message);

  g_socket_set_keepalive (self->socket, TRUE);
}

static char *
describe_remote (MailConnection *self)
{
  g_autoptr (GSocketAddress) address = NULL;

  address = g_socket_connection_get_remote_address (self->socket_connection, NULL);

  if (G_IS_INET_SOCKET_ADDRESS (address))
    {
      GInetSocketAddress *inet_address = G_INET_SOCKET_ADDRESS (address);
      g_autofree char *text = NULL;

      text = g_inet_address_to_string (g_inet_socket_address_get_address (inet_address));

      return g_strdup_printf ("%s port %u", text,
                              (guint) g_inet_socket_address_get_port (inet_address));
    }

  return g_strdup ("?");
}

/**
 * mail_connection_connect_sync:
 * @self: a #MailConnection
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Connects (through the system proxy if one is set), sets TCP_NODELAY and keepalive, and
 * with %MAIL_SECURITY_TLS completes the TLS handshake, all within the connect timeout.
 * The connection is then in %MAIL_CONNECTION_PHASE_GREETING. With
 * %MAIL_SECURITY_STARTTLS the protocol client reads the greeting, sends its STARTTLS
 * command and calls mail_connection_start_tls_sync().
 *
 * A certificate that is not accepted fails with %MAIL_NET_ERROR_CERTIFICATE; the
 * certificate is attached to the error (mail_net_error_get_certificate_info()) and
 * available from mail_connection_get_peer_certificate_info().
 *
 * Returns: %TRUE when connected
 */
gboolean
mail_connection_connect_sync (MailConnection  *self,
                              GCancellable    *cancellable,
                              GError         **error)
{
  g_autofree char *remote = NULL;
  GSocketConnection *connection;

  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (!self->connected, FALSE);

  close_now (self);
  g_clear_object (&self->peer_info);
  g_atomic_int_set (&self->aborted, FALSE);
  self->phase = MAIL_CONNECTION_PHASE_CONNECT;
  self->active_timeout = self->timeouts[MAIL_CONNECTION_PHASE_CONNECT];

  mail_protocol_log_add_info (self->log, "connecting to %s port %u (%s)", self->host,
                              (guint) self->port,
                              self->security == MAIL_SECURITY_TLS ? "TLS"
                              : self->security == MAIL_SECURITY_STARTTLS ? "STARTTLS"
                              : "no encryption");

  connection = connect_socket (self, cancellable, error);
  if (connection == NULL)
    {
      mail_protocol_log_add_info (self->log, "could not connect");
      return FALSE;
    }

  self->socket_connection = connection;
  self->socket = g_socket_connection_get_socket (connection);
  self->stream = G_IO_STREAM (connection);
  self->output = g_io_stream_get_output_stream (self->stream);
  self->connected = TRUE;
  g_atomic_int_set (&self->fd, g_socket_get_fd (self->socket));
  tune_socket (self);

  remote = describe_remote (self);
  mail_protocol_log_add_info (self->log, "connected to %s", remote);

  if (self->security == MAIL_SECURITY_TLS)
    {
      if (!_mail_connection_handshake (self, self->timeouts[MAIL_CONNECTION_PHASE_CONNECT],
                                       cancellable, error))
        return FALSE;
    }

  if (self->reader == NULL)
    {
      self->reader = mail_line_reader_new (g_io_stream_get_input_stream (self->stream), 0);
    }
  else
    {
      g_autoptr (MailLineReader) old = g_steal_pointer (&self->reader);

      /* A reconnect: a fresh reader with the limits the client set on the old one. */
      self->reader = mail_line_reader_new (g_io_stream_get_input_stream (self->stream), 0);
      mail_line_reader_set_max_line_length (self->reader,
                                            mail_line_reader_get_max_line_length (old));
      mail_line_reader_set_max_literal_size (self->reader,
                                             mail_line_reader_get_max_literal_size (old));
      mail_line_reader_set_max_response_size (self->reader,
                                              mail_line_reader_get_max_response_size (old));
    }

  mail_connection_set_phase (self, MAIL_CONNECTION_PHASE_GREETING);

  if (self->tls != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENCRYPTED]);

  return TRUE;
}

static void
connect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  MailConnection *self = source_object;
  GError *error = NULL;

  if (mail_connection_connect_sync (self, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * mail_connection_connect_async:
 * @self: a #MailConnection
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the connection is made or failed
 * @user_data: data for @callback
 *
 * Runs mail_connection_connect_sync() in a worker thread. When it finishes, the
 * connection belongs to the thread that calls mail_connection_connect_finish().
 */
void
mail_connection_connect_async (MailConnection      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_CONNECTION (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_connection_connect_async);
  g_task_set_name (task, "[mail-net] connect");
  g_task_run_in_thread (task, connect_thread);
}

/**
 * mail_connection_connect_finish:
 * @self: a #MailConnection
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when connected
 */
gboolean
mail_connection_connect_finish (MailConnection  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mail_connection_connect_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mail_connection_start_compression:
 * @self: a #MailConnection
 * @error: return location for a #GError
 *
 * Compresses both directions with raw DEFLATE from now on, after the protocol's command
 * for it (IMAP COMPRESS DEFLATE, RFC 4978) was accepted. As for STARTTLS, the whole reply
 * must have been read and nothing may follow it in the reader: bytes after the reply are
 * compressed and cannot be told apart from those before. Every write is flushed.
 *
 * Returns: %TRUE when compression is on; %FALSE with @error set, and the connection
 *   closed
 */
gboolean
mail_connection_start_compression (MailConnection  *self,
                                   GError         **error)
{
  g_autoptr (GZlibCompressor) compressor = NULL;
  g_autoptr (GZlibDecompressor) decompressor = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);

  if (!_mail_connection_check_connected (self, error))
    return FALSE;

  if (self->compress_output != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The connection is already compressed."));
      return FALSE;
    }

  if (mail_line_reader_get_available (self->reader) > 0)
    {
      local_error = g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                 _("The server %s sent data before compression started."),
                                 self->host);
      _mail_connection_fail_io (self, local_error, NULL, error);
      return FALSE;
    }

  compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, -1);
  decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW);

  self->compress_input = g_converter_input_stream_new (g_io_stream_get_input_stream (self->stream),
                                                       G_CONVERTER (decompressor));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (self->compress_input),
                                               FALSE);
  self->compress_output = g_converter_output_stream_new (self->output, G_CONVERTER (compressor));
  g_filter_output_stream_set_close_base_stream (G_FILTER_OUTPUT_STREAM (self->compress_output),
                                                FALSE);

  if (!mail_line_reader_set_stream (self->reader, self->compress_input, &local_error))
    {
      _mail_connection_fail_io (self, local_error, NULL, error);
      return FALSE;
    }

  self->output = self->compress_output;
  mail_protocol_log_add_info (self->log, "DEFLATE compression started");

  return TRUE;
}

/**
 * mail_connection_is_compressed:
 * @self: a #MailConnection
 *
 * Returns: whether mail_connection_start_compression() is in effect
 */
gboolean
mail_connection_is_compressed (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);

  return self->compress_output != NULL;
}

/**
 * mail_connection_close_sync:
 * @self: a #MailConnection
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Closes the connection, with a TLS close_notify when encrypted, within the command
 * timeout. Closing a closed connection does nothing.
 *
 * Returns: %TRUE when the connection closed cleanly; it is closed either way
 */
gboolean
mail_connection_close_sync (MailConnection  *self,
                            GCancellable    *cancellable,
                            GError         **error)
{
  GError *local_error = NULL;
  MailConnectionGuard guard;
  gboolean ok;

  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);

  if (!self->connected)
    {
      close_now (self);
      return TRUE;
    }

  _mail_connection_apply_timeout (self, self->timeouts[MAIL_CONNECTION_PHASE_COMMAND]);

  _mail_connection_guard_begin (self, cancellable, &guard);
  ok = g_io_stream_close (self->stream, cancellable, &local_error);
  _mail_connection_guard_end (&guard);

  close_now (self);

  if (!ok)
    {
      g_propagate_error (error, translate_io_error (self, local_error));
      return FALSE;
    }

  return TRUE;
}

/**
 * mail_connection_is_connected:
 * @self: a #MailConnection
 *
 * Returns: whether the connection is open; any failed read or write closes it
 */
gboolean
mail_connection_is_connected (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);

  return self->connected;
}

/**
 * mail_connection_get_local_address:
 * @self: a #MailConnection
 *
 * The local end of the connection, for protocols that name it (the address literal of
 * SMTP's EHLO).
 *
 * Returns: (transfer full) (nullable): the local address, or %NULL when not connected
 */
GSocketAddress *
mail_connection_get_local_address (MailConnection *self)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), NULL);

  if (!self->connected || self->socket_connection == NULL)
    return NULL;

  return g_socket_connection_get_local_address (self->socket_connection, NULL);
}

/* ---------------------------------------------------------------------------------- */
/* Reading                                                                             */

/**
 * mail_connection_read_line_sync:
 * @self: a #MailConnection
 * @flags: %MAIL_CONNECTION_IO_BODY when the line is message content
 * @length: (out) (optional): the length of the line
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads one line (CRLF or bare LF) within the current phase's timeout and the reader's
 * limits, and logs it (message content by size only).
 *
 * Returns: (transfer full) (nullable): the line without its terminator, or %NULL with
 *   @error set; the connection is then closed
 */
char *
mail_connection_read_line_sync (MailConnection         *self,
                                MailConnectionIOFlags   flags,
                                gsize                  *length,
                                GCancellable           *cancellable,
                                GError                **error)
{
  GError *local_error = NULL;
  char *line;
  gsize len = 0;

  g_return_val_if_fail (MAIL_IS_CONNECTION (self), NULL);

  if (!_mail_connection_check_connected (self, error))
    return NULL;

  if (mail_line_reader_has_line (self->reader))
    {
      line = mail_line_reader_read_line_sync (self->reader, &len, NULL, &local_error);
    }
  else
    {
      MailConnectionGuard guard;

      _mail_connection_guard_begin (self, cancellable, &guard);
      line = mail_line_reader_read_line_sync (self->reader, &len, cancellable, &local_error);
      _mail_connection_guard_end (&guard);
    }

  if (line == NULL)
    {
      _mail_connection_fail_io (self, local_error, cancellable, error);
      return NULL;
    }

  if ((flags & MAIL_CONNECTION_IO_BODY) != 0)
    mail_protocol_log_add_body (self->log, MAIL_PROTOCOL_LOG_RECEIVED, len + 2);
  else
    mail_protocol_log_add_line (self->log, MAIL_PROTOCOL_LOG_RECEIVED, line, len);

  if (length != NULL)
    *length = len;

  return line;
}

/**
 * mail_connection_read_bytes_sync:
 * @self: a #MailConnection
 * @count: how many bytes to read
 * @flags: %MAIL_CONNECTION_IO_BODY when the bytes are message content
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads exactly @count bytes (an IMAP literal), within the reader's max-literal-size.
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL with @error set; the
 *   connection is then closed
 */
GBytes *
mail_connection_read_bytes_sync (MailConnection         *self,
                                 gsize                   count,
                                 MailConnectionIOFlags   flags,
                                 GCancellable           *cancellable,
                                 GError                **error)
{
  GError *local_error = NULL;
  GBytes *bytes;

  g_return_val_if_fail (MAIL_IS_CONNECTION (self), NULL);

  if (!_mail_connection_check_connected (self, error))
    return NULL;

  if (mail_line_reader_get_available (self->reader) >= count)
    {
      bytes = mail_line_reader_read_bytes_sync (self->reader, count, NULL, &local_error);
    }
  else
    {
      MailConnectionGuard guard;

      _mail_connection_guard_begin (self, cancellable, &guard);
      bytes = mail_line_reader_read_bytes_sync (self->reader, count, cancellable, &local_error);
      _mail_connection_guard_end (&guard);
    }

  if (bytes == NULL)
    {
      _mail_connection_fail_io (self, local_error, cancellable, error);
      return NULL;
    }

  if ((flags & MAIL_CONNECTION_IO_BODY) != 0)
    mail_protocol_log_add_body (self->log, MAIL_PROTOCOL_LOG_RECEIVED, count);
  else
    mail_protocol_log_add_data (self->log, MAIL_PROTOCOL_LOG_RECEIVED,
                                g_bytes_get_data (bytes, NULL), count);

  return bytes;
}

/**
 * mail_connection_fill_sync:
 * @self: a #MailConnection
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * For incremental parsers working on mail_connection_get_reader(): reads more bytes
 * into the reader's buffer (see mail_line_reader_fill_sync()). Nothing is logged here.
 *
 * Returns: %TRUE when bytes were added; %FALSE with @error set, and the connection closed
 */
gboolean
mail_connection_fill_sync (MailConnection  *self,
                           GCancellable    *cancellable,
                           GError         **error)
{
  GError *local_error = NULL;
  MailConnectionGuard guard;
  gboolean ok;

  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);

  if (!_mail_connection_check_connected (self, error))
    return FALSE;

  _mail_connection_guard_begin (self, cancellable, &guard);
  ok = mail_line_reader_fill_sync (self->reader, cancellable, &local_error);
  _mail_connection_guard_end (&guard);

  if (!ok)
    {
      _mail_connection_fail_io (self, local_error, cancellable, error);
      return FALSE;
    }

  return TRUE;
}

/**
 * mail_connection_wait_for_data_sync:
 * @self: a #MailConnection
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Waits, within the current phase's timeout, until the server has sent at least one
 * byte of data (TLS records without data do not count); for IMAP IDLE. Unlike every
 * other call, a cancellation or a timeout here leaves the connection open, so the client
 * can end IDLE with DONE.
 *
 * Returns: %TRUE when data is buffered; %FALSE with %G_IO_ERROR_CANCELLED or
 *   %G_IO_ERROR_TIMED_OUT (connection still open), or another error (connection closed)
 */
gboolean
mail_connection_wait_for_data_sync (MailConnection  *self,
                                    GCancellable    *cancellable,
                                    GError         **error)
{
  gint64 deadline = 0;

  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);

  if (!_mail_connection_check_connected (self, error))
    return FALSE;

  if (self->active_timeout > 0)
    deadline = g_get_monotonic_time () + (gint64) self->active_timeout * G_USEC_PER_SEC;

  for (;;)
    {
      GError *local_error = NULL;
      gint64 remaining = -1;

      if (mail_line_reader_get_available (self->reader) > 0)
        return TRUE;

      if (mail_line_reader_fill_nonblocking (self->reader, &local_error) > 0)
        return TRUE;

      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          _mail_connection_fail_io (self, local_error, NULL, error);
          return FALSE;
        }
      g_clear_error (&local_error);

      if (deadline > 0)
        {
          remaining = deadline - g_get_monotonic_time ();
          if (remaining <= 0)
            {
              g_propagate_error (error, timeout_error (self));
              return FALSE;
            }
        }

      if (!g_socket_condition_timed_wait (self->socket, G_IO_IN, remaining, cancellable,
                                          &local_error))
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
            {
              g_clear_error (&local_error);
              g_propagate_error (error, timeout_error (self));
            }
          else
            {
              g_propagate_error (error, local_error);
            }
          return FALSE;
        }
    }
}

/* ---------------------------------------------------------------------------------- */
/* Writing                                                                             */

static gboolean
write_raw (MailConnection  *self,
           const void      *data,
           gsize            length,
           GCancellable    *cancellable,
           GError         **error)
{
  GError *local_error = NULL;
  MailConnectionGuard guard;
  gboolean ok;

  _mail_connection_guard_begin (self, cancellable, &guard);
  ok = g_output_stream_write_all (self->output, data, length, NULL, cancellable, &local_error);
  /* A compressor holds data back until flushed (Z_SYNC_FLUSH): every write is complete. */
  if (ok && self->compress_output != NULL)
    ok = g_output_stream_flush (self->output, cancellable, &local_error);
  _mail_connection_guard_end (&guard);

  if (!ok)
    {
      _mail_connection_fail_io (self, local_error, cancellable, error);
      return FALSE;
    }

  return TRUE;
}

/**
 * mail_connection_write_all_sync:
 * @self: a #MailConnection
 * @data: (array length=length): the bytes to send: one command with its CRLF, or a
 *   pipelined group of commands
 * @length: the length of @data
 * @flags: %MAIL_CONNECTION_IO_BODY when @data is message content
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends @data in a single write, so a command or a pipelined group leaves in one TLS
 * record and one TCP segment where it fits (no delayed-ACK stalls), and logs it.
 * Build the whole command first; do not write it in pieces.
 *
 * Returns: %TRUE when everything was written; %FALSE with @error set, and the connection
 *   closed
 */
gboolean
mail_connection_write_all_sync (MailConnection         *self,
                                const void             *data,
                                gsize                   length,
                                MailConnectionIOFlags   flags,
                                GCancellable           *cancellable,
                                GError                **error)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (!_mail_connection_check_connected (self, error))
    return FALSE;

  if ((flags & MAIL_CONNECTION_IO_BODY) != 0)
    mail_protocol_log_add_body (self->log, MAIL_PROTOCOL_LOG_SENT, length);
  else
    mail_protocol_log_add_data (self->log, MAIL_PROTOCOL_LOG_SENT, data, length);

  return write_raw (self, data, length, cancellable, error);
}

/**
 * mail_connection_write_line_sync:
 * @self: a #MailConnection
 * @line: one command line, without CRLF
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends @line followed by CRLF in one write. A CR or LF inside @line is refused
 * (%G_IO_ERROR_INVALID_ARGUMENT, nothing sent, connection left open): it would smuggle a
 * second command.
 *
 * Returns: %TRUE when the line was written
 */
gboolean
mail_connection_write_line_sync (MailConnection  *self,
                                 const char      *line,
                                 GCancellable    *cancellable,
                                 GError         **error)
{
  g_autofree char *buffer = NULL;
  gsize len;

  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (line != NULL, FALSE);

  if (strpbrk (line, "\r\n") != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A command to the server contained a line break."));
      return FALSE;
    }

  len = strlen (line);
  buffer = g_malloc (len + 2);
  memcpy (buffer, line, len);
  buffer[len] = '\r';
  buffer[len + 1] = '\n';

  return mail_connection_write_all_sync (self, buffer, len + 2, MAIL_CONNECTION_IO_NONE,
                                         cancellable, error);
}

/**
 * mail_connection_write_secret_sync:
 * @self: a #MailConnection
 * @data: (array length=length): the bytes to send, holding a password, token or SASL
 *   response
 * @length: the length of @data
 * @public_len: how many bytes at the start of @data may appear in the protocol log,
 *   such as the length of "a2 LOGIN " or "AUTH PLAIN "; 0 for a bare SASL response
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Sends a secret in one write; the log shows "C: a2 LOGIN ******". Refused with
 * %MAIL_NET_ERROR_PLAINTEXT_REFUSED (nothing sent) while the connection is not encrypted,
 * unless it is a %MAIL_SECURITY_NONE connection whose user allowed plaintext with
 * mail_connection_set_allow_plaintext_secrets().
 *
 * Returns: %TRUE when everything was written
 */
gboolean
mail_connection_write_secret_sync (MailConnection  *self,
                                   const void      *data,
                                   gsize            length,
                                   gsize            public_len,
                                   GCancellable    *cancellable,
                                   GError         **error)
{
  g_return_val_if_fail (MAIL_IS_CONNECTION (self), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (!_mail_connection_check_connected (self, error))
    return FALSE;

  if (self->tls == NULL
      && !(self->security == MAIL_SECURITY_NONE && self->allow_plaintext_secrets))
    {
      mail_protocol_log_add_info (self->log, "refused to send a secret without encryption");
      g_set_error_literal (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED,
                           _("The password would have been sent over an unencrypted "
                             "connection, so it was not sent."));
      return FALSE;
    }

  mail_protocol_log_add_secret (self->log, MAIL_PROTOCOL_LOG_SENT, data,
                                MIN (public_len, length));

  return write_raw (self, data, length, cancellable, error);
}
