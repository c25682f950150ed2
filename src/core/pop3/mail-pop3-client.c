/* mail-pop3-client.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A POP3 client (RFC 1939, with CAPA and response codes of RFC 2449 and RFC 3206, STLS
 * of RFC 2595 and SASL AUTH of RFC 5034), written as linear _sync code over one
 * MailConnection; mail-pop3-client-async.c wraps each operation in a GTask. One session
 * never has two commands in flight except when the client pipelines them on purpose.
 *
 * Threads. One thread owns a client at a time: the one calling its _sync functions. The
 * _async wrappers run them on the client's MailTaskQueue, one after another in the order
 * they were called, so that queue's thread owns the client while a call runs; whoever calls
 * _sync functions directly must not have an _async call in flight at the same time. Other
 * threads may only cancel a GCancellable given to a call, and read the state and the
 * capabilities through the getters, which state_mutex guards for that reason alone.
 *
 * The class is cut into files by job, listed in mail-pop3-client-private.h. This one holds
 * the object, the connection, the command and reply engine, and CAPA.
 *
 * Security. Implicit TLS is preferred. On a STARTTLS account the client reads CAPA, and
 * when STLS is missing or refused, or bytes follow its +OK, the connection fails with a
 * starttls-unavailable error and is closed: no plaintext fallback, no password. After
 * TLS every capability learned before it is forgotten and CAPA is asked again. A
 * password goes out only over an encrypted connection, unless the account uses no
 * encryption and the user explicitly allowed it; and always through
 * mail_connection_write_secret_sync(), so the protocol log shows "******". Until the
 * connection is encrypted the server's words never reach an error message, since anyone
 * on the path could have written them; they stay in the protocol log.
 *
 * Deleting safely: mail-pop3-client-delete.c says how.
 *
 * Limits. Status lines may be 8 KiB, message lines 1 MiB, a message
 * MAIL_POP3_DEFAULT_MAX_MESSAGE_SIZE (settable), a listing 64 MiB; anything beyond fails
 * and closes the connection.
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-pop3"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-pop3-client.h"
#include "mail-pop3-client-private.h"
#include "mail-pop3-reply.h"

#define CAPA_MAX_LINES     256
/* How many commands may be in flight when the server offers PIPELINING. */
#define PIPELINE_WINDOW    32

G_DEFINE_FINAL_TYPE (MailPop3Client, mail_pop3_client, G_TYPE_OBJECT)

G_LOCK_DEFINE_STATIC (session_counter);
static guint64 session_counter;

/* ---------------------------------------------------------------------------------- */
/* State                                                                               */

static guint64
new_session_id (void)
{
  guint64 id;

  G_LOCK (session_counter);
  id = ++session_counter;
  G_UNLOCK (session_counter);

  return id;
}

static void
forget_capabilities (MailPop3Client *self)
{
  g_mutex_lock (&self->state_mutex);
  g_clear_pointer (&self->capabilities, g_strfreev);
  g_clear_pointer (&self->auth_mechanisms, g_strfreev);
  self->capa_supported = FALSE;
  g_mutex_unlock (&self->state_mutex);
}

void
_mail_pop3_client_forget_uids (MailPop3Client *self)
{
  g_clear_pointer (&self->uid_by_number, g_hash_table_unref);
  g_clear_pointer (&self->number_by_uid, g_hash_table_unref);
}

void
_mail_pop3_client_set_state (MailPop3Client *self,
                             MailPop3State   state)
{
  g_mutex_lock (&self->state_mutex);
  self->state = state;
  g_mutex_unlock (&self->state_mutex);

  if (state == MAIL_POP3_STATE_DISCONNECTED)
    {
      forget_capabilities (self);
      _mail_pop3_client_forget_uids (self);
      self->session = 0;
    }
}

/* The connection closed itself after a failed read or write. */
void
_mail_pop3_client_connection_lost (MailPop3Client *self)
{
  if (!mail_connection_is_connected (self->connection))
    _mail_pop3_client_set_state (self, MAIL_POP3_STATE_DISCONNECTED);
}

/* Ends the session without QUIT, so the server deletes nothing: after a protocol error,
 * a refused STLS or anything else that leaves the session in doubt. */
void
_mail_pop3_client_abort_session (MailPop3Client *self)
{
  mail_connection_close_sync (self->connection, NULL, NULL);
  _mail_pop3_client_set_state (self, MAIL_POP3_STATE_DISCONNECTED);
}

const char *
_mail_pop3_client_server_name (MailPop3Client *self)
{
  return mail_connection_get_host (self->connection);
}

gboolean
_mail_pop3_client_require_state (MailPop3Client  *self,
                                 MailPop3State    wanted,
                                 GError         **error)
{
  if (self->state != MAIL_POP3_STATE_DISCONNECTED
      && !mail_connection_is_connected (self->connection))
    _mail_pop3_client_set_state (self, MAIL_POP3_STATE_DISCONNECTED);

  if (self->state == wanted)
    return TRUE;

  switch (self->state)
    {
    case MAIL_POP3_STATE_DISCONNECTED:
      g_set_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_STATE,
                   _("Not connected to the server %s."), _mail_pop3_client_server_name (self));
      break;

    case MAIL_POP3_STATE_AUTHORIZATION:
      g_set_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_STATE,
                   wanted == MAIL_POP3_STATE_TRANSACTION
                   ? _("Not signed in to the server %s.")
                   : _("Already connected to the server %s."),
                   _mail_pop3_client_server_name (self));
      break;

    case MAIL_POP3_STATE_TRANSACTION:
    default:
      g_set_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_STATE,
                   wanted == MAIL_POP3_STATE_AUTHORIZATION
                   ? _("Already signed in to the server %s.")
                   : _("Already connected to the server %s."),
                   _mail_pop3_client_server_name (self));
      break;
    }

  return FALSE;
}

/* ---------------------------------------------------------------------------------- */
/* Errors                                                                              */

/* The error for a -ERR reply. The server's own words are added only on an encrypted
 * connection: before TLS anyone on the path could have written them. */
void
_mail_pop3_client_set_reply_error (MailPop3Client       *self,
                                   const MailPop3Reply  *reply,
                                   MailPop3Error         fallback,
                                   const char           *fallback_message,
                                   GError              **error)
{
  g_autofree char *message = NULL;
  MailPop3Error code = fallback;

  if (mail_pop3_reply_has_code (reply, "AUTH"))
    code = MAIL_POP3_ERROR_AUTH_FAILED;
  else if (mail_pop3_reply_has_code (reply, "IN-USE"))
    code = MAIL_POP3_ERROR_IN_USE;
  else if (mail_pop3_reply_has_code (reply, "LOGIN-DELAY"))
    code = MAIL_POP3_ERROR_LOGIN_DELAY;
  else if (mail_pop3_reply_has_code (reply, "SYS/TEMP"))
    code = MAIL_POP3_ERROR_SYS_TEMP;
  else if (mail_pop3_reply_has_code (reply, "SYS/PERM"))
    code = MAIL_POP3_ERROR_SYS_PERM;

  switch (code)
    {
    case MAIL_POP3_ERROR_AUTH_FAILED:
      message = g_strdup_printf (_("The server %s did not accept the user name or password."),
                                 _mail_pop3_client_server_name (self));
      break;

    case MAIL_POP3_ERROR_IN_USE:
      message = g_strdup_printf (_("The mailbox on %s is in use by another program or "
                                   "session. Try again when it has finished."),
                                 _mail_pop3_client_server_name (self));
      break;

    case MAIL_POP3_ERROR_LOGIN_DELAY:
      message = g_strdup_printf (_("The server %s does not allow signing in again this soon. "
                                   "Try again later."),
                                 _mail_pop3_client_server_name (self));
      break;

    case MAIL_POP3_ERROR_SYS_TEMP:
      message = g_strdup_printf (_("The server %s has a temporary problem. Try again later."),
                                 _mail_pop3_client_server_name (self));
      break;

    case MAIL_POP3_ERROR_SYS_PERM:
      message = g_strdup_printf (_("The server %s has a problem that will not go away by "
                                   "itself. Contact the provider of the mailbox."),
                                 _mail_pop3_client_server_name (self));
      break;

    case MAIL_POP3_ERROR_PROTOCOL:
    case MAIL_POP3_ERROR_FAILED:
    case MAIL_POP3_ERROR_NOT_SUPPORTED:
    case MAIL_POP3_ERROR_TOO_LARGE:
    case MAIL_POP3_ERROR_NOT_STORED:
    case MAIL_POP3_ERROR_NO_SUCH_MESSAGE:
    case MAIL_POP3_ERROR_STATE:
    default:
      message = g_strdup (fallback_message);
      break;
    }

  if (mail_connection_is_encrypted (self->connection) && reply->text != NULL
      && reply->text[0] != '\0')
    g_set_error (error, MAIL_POP3_ERROR, code, _("%s The server said: “%s”."), message,
                 reply->text);
  else
    g_set_error_literal (error, MAIL_POP3_ERROR, code, message);
}

/* The parsers quote a reply that is not POP3, so that people see what came instead. Before
 * TLS, or without it, anyone on the path could have written that reply: the error then only
 * says what happened, and the reply stays in the protocol log. Call it while the
 * connection is still open. */
void
_mail_pop3_client_hide_untrusted_words (MailPop3Client  *self,
                                        GError         **error)
{
  if (error == NULL || *error == NULL || mail_connection_is_encrypted (self->connection))
    return;

  g_clear_error (error);
  g_set_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL,
               _("The server %s sent a reply that is not valid POP3."),
               _mail_pop3_client_server_name (self));
}

/* ---------------------------------------------------------------------------------- */
/* Reading and writing                                                                 */

gboolean
_mail_pop3_client_send_line (MailPop3Client  *self,
                             const char      *line,
                             GCancellable    *cancellable,
                             GError         **error)
{
  if (!mail_connection_write_line_sync (self->connection, line, cancellable, error))
    {
      _mail_pop3_client_connection_lost (self);
      return FALSE;
    }

  return TRUE;
}

gboolean
_mail_pop3_client_read_reply (MailPop3Client  *self,
                              gboolean         allow_continuation,
                              MailPop3Reply   *reply,
                              GCancellable    *cancellable,
                              GError         **error)
{
  g_autofree char *line = NULL;
  gsize length = 0;

  memset (reply, 0, sizeof *reply);

  line = mail_connection_read_line_sync (self->connection, MAIL_CONNECTION_IO_NONE, &length,
                                         cancellable, error);
  if (line == NULL)
    {
      _mail_pop3_client_connection_lost (self);
      return FALSE;
    }

  if (!mail_pop3_reply_parse (line, length, allow_continuation, reply, error))
    {
      _mail_pop3_client_hide_untrusted_words (self, error);
      _mail_pop3_client_abort_session (self);
      return FALSE;
    }

  return TRUE;
}

/* Sends @command and reads its status line. A -ERR is an error (with @fallback and
 * @what unless the reply carries a response code), and so is a continuation. */
gboolean
_mail_pop3_client_simple_command (MailPop3Client  *self,
                                  const char      *command,
                                  MailPop3Error    fallback,
                                  const char      *what,
                                  MailPop3Reply   *reply,
                                  GCancellable    *cancellable,
                                  GError         **error)
{
  if (!_mail_pop3_client_send_line (self, command, cancellable, error)
      || !_mail_pop3_client_read_reply (self, FALSE, reply, cancellable, error))
    return FALSE;

  if (reply->status != MAIL_POP3_REPLY_OK)
    {
      _mail_pop3_client_set_reply_error (self, reply, fallback, what, error);
      return FALSE;
    }

  return TRUE;
}

/* Reads the body of a multi-line reply, undoing the dot-stuffing, and hands each line to
 * @func. More than @max_bytes in all fails with @too_large_code and closes the session. */
gboolean
_mail_pop3_client_read_multiline (MailPop3Client          *self,
                                  MailConnectionIOFlags    flags,
                                  gsize                    max_line,
                                  guint64                  max_bytes,
                                  MailPop3Error            too_large_code,
                                  const char              *too_large_message,
                                  MailPop3ClientLineFunc   func,
                                  gpointer                 user_data,
                                  GCancellable            *cancellable,
                                  GError                 **error)
{
  MailLineReader *reader = mail_connection_get_reader (self->connection);
  guint64 total = 0;
  gboolean ok = FALSE;

  mail_line_reader_set_max_line_length (reader, max_line);

  for (;;)
    {
      g_autofree char *line = NULL;
      const char *data;
      gsize data_length = 0;
      gsize length = 0;

      line = mail_connection_read_line_sync (self->connection, flags, &length, cancellable,
                                             error);
      if (line == NULL)
        {
          _mail_pop3_client_connection_lost (self);
          break;
        }

      if (mail_pop3_multiline_unstuff (line, length, &data, &data_length))
        {
          ok = TRUE;
          break;
        }

      total += data_length + 2;
      if (total > max_bytes)
        {
          g_set_error_literal (error, MAIL_POP3_ERROR, too_large_code, too_large_message);
          _mail_pop3_client_abort_session (self);
          break;
        }

      if (!func (self, data, data_length, user_data, error))
        {
          _mail_pop3_client_abort_session (self);
          break;
        }
    }

  mail_line_reader_set_max_line_length (reader, STATUS_LINE_MAX);

  return ok;
}

/* ---------------------------------------------------------------------------------- */
/* Pipelining                                                                          */

/* Sends commands number[first] .. number[first + count - 1] with @verb in one write. */
static gboolean
send_batch (MailPop3Client  *self,
            const char      *verb,
            const guint     *numbers,
            guint            first,
            guint            count,
            GCancellable    *cancellable,
            GError         **error)
{
  g_autoptr (GString) batch = g_string_new (NULL);

  for (guint i = first; i < first + count; i++)
    g_string_append_printf (batch, "%s %u\r\n", verb, numbers[i]);

  if (!mail_connection_write_all_sync (self->connection, batch->str, batch->len,
                                       MAIL_CONNECTION_IO_NONE, cancellable, error))
    {
      _mail_pop3_client_connection_lost (self);
      return FALSE;
    }

  return TRUE;
}

/* Keeps up to PIPELINE_WINDOW commands in flight when the server pipelines, one
 * otherwise. Returns how many commands have been sent in all. */
gboolean
_mail_pop3_client_fill_window (MailPop3Client  *self,
                               const char      *verb,
                               const guint     *numbers,
                               guint            n_numbers,
                               guint           *sent,
                               guint            received,
                               gboolean         pipelining,
                               GCancellable    *cancellable,
                               GError         **error)
{
  guint window = pipelining ? PIPELINE_WINDOW : 1;
  guint in_flight = *sent - received;
  guint count;

  /* Refill when the window is half empty, so writes stay few and large. */
  if (*sent >= n_numbers || (in_flight > 0 && in_flight > window / 2))
    return TRUE;

  count = MIN (window - in_flight, n_numbers - *sent);
  if (!send_batch (self, verb, numbers, *sent, count, cancellable, error))
    return FALSE;

  *sent += count;

  return TRUE;
}

/* ---------------------------------------------------------------------------------- */
/* Capabilities                                                                        */

static gboolean
add_capability_cb (MailPop3Client  *self,
                   const char      *data,
                   gsize            length,
                   gpointer         user_data,
                   GError         **error)
{
  GPtrArray *lines = user_data;
  char *capability;

  if (lines->len >= CAPA_MAX_LINES)
    {
      g_set_error_literal (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL,
                           _("The server listed too many capabilities."));
      return FALSE;
    }

  capability = mail_pop3_parse_capability (data, length);
  if (capability != NULL)
    g_ptr_array_add (lines, capability);

  return TRUE;
}

static char **
mechanisms_from (GPtrArray *lines)
{
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      if (g_ascii_strncasecmp (line, "SASL ", 5) == 0)
        {
          g_auto (GStrv) words = g_strsplit (line + 5, " ", -1);
          g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

          for (guint j = 0; words[j] != NULL; j++)
            if (words[j][0] != '\0')
              {
                g_autofree char *upper = g_ascii_strup (words[j], -1);

                g_strv_builder_add (builder, upper);
              }

          return g_strv_builder_end (builder);
        }
    }

  return g_new0 (char *, 1);
}

/* CAPA (RFC 2449). A server without it answers -ERR: it then has no capabilities we
 * know of, which is not an error. */
gboolean
_mail_pop3_client_read_capabilities (MailPop3Client  *self,
                                     GCancellable    *cancellable,
                                     GError         **error)
{
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  MailPop3Reply reply;
  gboolean supported = FALSE;

  if (!_mail_pop3_client_send_line (self, "CAPA", cancellable, error)
      || !_mail_pop3_client_read_reply (self, FALSE, &reply, cancellable, error))
    return FALSE;

  if (reply.status == MAIL_POP3_REPLY_OK)
    {
      supported = TRUE;
      if (!_mail_pop3_client_read_multiline (self, MAIL_CONNECTION_IO_NONE, STATUS_LINE_MAX,
                                             LISTING_MAX_BYTES, MAIL_POP3_ERROR_PROTOCOL,
                                             _("The server’s list of capabilities is too long."),
                                             add_capability_cb, lines, cancellable, error))
        {
          mail_pop3_reply_clear (&reply);
          return FALSE;
        }
    }
  mail_pop3_reply_clear (&reply);

  g_mutex_lock (&self->state_mutex);
  g_clear_pointer (&self->auth_mechanisms, g_strfreev);
  self->auth_mechanisms = mechanisms_from (lines);
  g_clear_pointer (&self->capabilities, g_strfreev);
  g_ptr_array_add (lines, NULL);
  self->capabilities = (char **) g_ptr_array_steal (lines, NULL);
  self->capa_supported = supported;
  g_mutex_unlock (&self->state_mutex);

  return TRUE;
}

static gboolean
has_capability_locked (MailPop3Client *self,
                       const char     *name)
{
  gsize len = strlen (name);

  for (guint i = 0; self->capabilities != NULL && self->capabilities[i] != NULL; i++)
    {
      const char *capability = self->capabilities[i];

      if (g_ascii_strncasecmp (capability, name, len) == 0
          && (capability[len] == '\0' || capability[len] == ' '))
        return TRUE;
    }

  return FALSE;
}

gboolean
_mail_pop3_client_can_pipeline (MailPop3Client *self)
{
  return mail_pop3_client_has_capability (self, "PIPELINING");
}

/* ---------------------------------------------------------------------------------- */
/* GObject                                                                             */

static void
mail_pop3_client_dispose (GObject *object)
{
  MailPop3Client *self = (MailPop3Client *) object;

  /* Without QUIT: nothing marked for deletion is deleted. */
  if (self->connection != NULL)
    mail_connection_close_sync (self->connection, NULL, NULL);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (mail_pop3_client_parent_class)->dispose (object);
}

static void
mail_pop3_client_finalize (GObject *object)
{
  MailPop3Client *self = (MailPop3Client *) object;

  g_clear_pointer (&self->capabilities, g_strfreev);
  g_clear_pointer (&self->auth_mechanisms, g_strfreev);
  _mail_pop3_client_forget_uids (self);
  g_clear_pointer (&self->queue, mail_task_queue_free);
  g_mutex_clear (&self->state_mutex);

  G_OBJECT_CLASS (mail_pop3_client_parent_class)->finalize (object);
}

static void
mail_pop3_client_class_init (MailPop3ClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mail_pop3_client_dispose;
  object_class->finalize = mail_pop3_client_finalize;
}

static void
mail_pop3_client_init (MailPop3Client *self)
{
  g_mutex_init (&self->state_mutex);
  self->queue = mail_task_queue_new ();
  self->max_message_size = MAIL_POP3_DEFAULT_MAX_MESSAGE_SIZE;
  self->auth = MAIL_POP3_AUTH_AUTO;
}

/**
 * mail_pop3_client_new:
 * @host: the server's host name
 * @port: the server's port (995 for implicit TLS, 110 for STLS)
 * @security: how to secure the connection
 * @database: (nullable): the certificate authorities to trust, normally a
 *   #MailTlsDatabase; %NULL for the TLS backend's default
 *
 * Creates a client; nothing happens on the network until mail_pop3_client_connect_sync().
 *
 * Returns: (transfer full): a new #MailPop3Client
 */
MailPop3Client *
mail_pop3_client_new (const char   *host,
                      guint16       port,
                      MailSecurity  security,
                      GTlsDatabase *database)
{
  MailPop3Client *self;

  g_return_val_if_fail (host != NULL && host[0] != '\0', NULL);
  g_return_val_if_fail (port != 0, NULL);
  g_return_val_if_fail (database == NULL || G_IS_TLS_DATABASE (database), NULL);

  self = g_object_new (MAIL_TYPE_POP3_CLIENT, NULL);
  self->connection = mail_connection_new (host, port, security, database);

  return self;
}

/**
 * mail_pop3_client_get_connection:
 * @self: a #MailPop3Client
 *
 * The connection underneath, for its TLS details and settings. Do not read or write on
 * it directly.
 *
 * Returns: (transfer none): the connection
 */
MailConnection *
mail_pop3_client_get_connection (MailPop3Client *self)
{
  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), NULL);

  return self->connection;
}

/**
 * mail_pop3_client_set_allow_plaintext_password:
 * @self: a #MailPop3Client
 * @allow: whether the user explicitly allowed sending the password unencrypted
 *
 * Only matters for a %MAIL_SECURITY_NONE account; any other account sends its password
 * only once the connection is encrypted.
 */
void
mail_pop3_client_set_allow_plaintext_password (MailPop3Client *self,
                                               gboolean        allow)
{
  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));

  self->allow_plaintext_password = !!allow;
  mail_connection_set_allow_plaintext_secrets (self->connection, !!allow);
}

/**
 * mail_pop3_client_set_auth:
 * @self: a #MailPop3Client
 * @auth: how to sign in
 *
 * Chooses the sign-in method; the default, %MAIL_POP3_AUTH_AUTO, suits every server.
 */
void
mail_pop3_client_set_auth (MailPop3Client *self,
                           MailPop3Auth    auth)
{
  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));

  self->auth = auth;
}

/**
 * mail_pop3_client_set_max_message_size:
 * @self: a #MailPop3Client
 * @max_size: the largest message RETR and TOP accept, in bytes
 *
 * A larger message fails with %MAIL_POP3_ERROR_TOO_LARGE and ends the session (without
 * QUIT, so nothing is deleted).
 */
void
mail_pop3_client_set_max_message_size (MailPop3Client *self,
                                       guint64         max_size)
{
  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));
  g_return_if_fail (max_size > 0);

  self->max_message_size = max_size;
}

/**
 * mail_pop3_client_get_max_message_size:
 * @self: a #MailPop3Client
 *
 * Returns: the largest message RETR and TOP accept, in bytes
 */
guint64
mail_pop3_client_get_max_message_size (MailPop3Client *self)
{
  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), 0);

  return self->max_message_size;
}

/**
 * mail_pop3_client_get_state:
 * @self: a #MailPop3Client
 *
 * Returns: where the session is
 */
MailPop3State
mail_pop3_client_get_state (MailPop3Client *self)
{
  MailPop3State state;

  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), MAIL_POP3_STATE_DISCONNECTED);

  g_mutex_lock (&self->state_mutex);
  state = self->state;
  g_mutex_unlock (&self->state_mutex);

  return state;
}

/**
 * mail_pop3_client_dup_capabilities:
 * @self: a #MailPop3Client
 *
 * The server's capabilities from its last CAPA answer, one a line as sent with the tag
 * upper-cased ("TOP", "UIDL", "SASL PLAIN LOGIN", "PIPELINING"). On a STARTTLS
 * connection these are the ones asked after TLS; after sign-in, the ones asked then.
 * Safe to call while an operation runs in another thread.
 *
 * Returns: (transfer full) (array zero-terminated=1): the capabilities; empty when not
 *   connected or when the server does not support CAPA
 */
char **
mail_pop3_client_dup_capabilities (MailPop3Client *self)
{
  char **copy;

  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), NULL);

  g_mutex_lock (&self->state_mutex);
  copy = self->capabilities != NULL ? g_strdupv (self->capabilities) : g_new0 (char *, 1);
  g_mutex_unlock (&self->state_mutex);

  return copy;
}

/**
 * mail_pop3_client_dup_auth_mechanisms:
 * @self: a #MailPop3Client
 *
 * Returns: (transfer full) (array zero-terminated=1): the SASL mechanisms of the CAPA
 *   "SASL" line, upper-cased; empty when there is none
 */
char **
mail_pop3_client_dup_auth_mechanisms (MailPop3Client *self)
{
  char **copy;

  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), NULL);

  g_mutex_lock (&self->state_mutex);
  copy = self->auth_mechanisms != NULL ? g_strdupv (self->auth_mechanisms)
                                       : g_new0 (char *, 1);
  g_mutex_unlock (&self->state_mutex);

  return copy;
}

/**
 * mail_pop3_client_has_capability:
 * @self: a #MailPop3Client
 * @name: a capability tag such as "UIDL", "STLS" or "PIPELINING"
 *
 * Returns: whether the server's last CAPA listed @name (in any case)
 */
gboolean
mail_pop3_client_has_capability (MailPop3Client *self,
                                 const char     *name)
{
  gboolean has;

  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  g_mutex_lock (&self->state_mutex);
  has = has_capability_locked (self, name);
  g_mutex_unlock (&self->state_mutex);

  return has;
}

/* ---------------------------------------------------------------------------------- */
/* Connecting                                                                          */

static gboolean
start_tls (MailPop3Client  *self,
           GCancellable    *cancellable,
           GError         **error)
{
  MailPop3Reply reply;

  if (!mail_pop3_client_has_capability (self, "STLS"))
    {
      mail_protocol_log_add_info (mail_connection_get_log (self->connection),
                                  "STLS not offered: closing");
      _mail_pop3_client_abort_session (self);
      mail_net_error_set_starttls_unavailable (error, MAIL_NET_ERROR_STARTTLS_NOT_OFFERED);
      return FALSE;
    }

  if (!_mail_pop3_client_send_line (self, "STLS", cancellable, error)
      || !_mail_pop3_client_read_reply (self, FALSE, &reply, cancellable, error))
    return FALSE;

  if (reply.status != MAIL_POP3_REPLY_OK)
    {
      mail_pop3_reply_clear (&reply);
      _mail_pop3_client_abort_session (self);
      mail_net_error_set_starttls_unavailable (error, MAIL_NET_ERROR_STARTTLS_REFUSED);
      return FALSE;
    }
  mail_pop3_reply_clear (&reply);

  if (!mail_connection_start_tls_sync (self->connection, cancellable, error))
    {
      _mail_pop3_client_connection_lost (self);
      return FALSE;
    }

  /* Whatever was learned before TLS may have been written by someone on the path. */
  forget_capabilities (self);

  return _mail_pop3_client_read_capabilities (self, cancellable, error);
}

/**
 * mail_pop3_client_connect_sync:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Connects, verifies the certificate, reads the greeting and the capabilities, and on a
 * %MAIL_SECURITY_STARTTLS account upgrades with STLS and reads the capabilities again.
 * When STLS is not offered, is refused or is followed by injected bytes, fails with a
 * %MAIL_NET_ERROR starttls-unavailable error and closes the connection.
 *
 * Returns: %TRUE when the session is in %MAIL_POP3_STATE_AUTHORIZATION
 */
gboolean
mail_pop3_client_connect_sync (MailPop3Client  *self,
                               GCancellable    *cancellable,
                               GError         **error)
{
  MailPop3Reply greeting;

  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), FALSE);

  if (!_mail_pop3_client_require_state (self, MAIL_POP3_STATE_DISCONNECTED, error))
    return FALSE;

  if (!mail_connection_connect_sync (self->connection, cancellable, error))
    return FALSE;

  mail_line_reader_set_max_line_length (mail_connection_get_reader (self->connection),
                                        STATUS_LINE_MAX);

  if (!_mail_pop3_client_read_reply (self, FALSE, &greeting, cancellable, error))
    {
      _mail_pop3_client_abort_session (self);
      return FALSE;
    }

  if (greeting.status != MAIL_POP3_REPLY_OK)
    {
      g_autofree char *message = g_strdup_printf (_("The server %s refused the connection."),
                                                  _mail_pop3_client_server_name (self));

      _mail_pop3_client_set_reply_error (self, &greeting, MAIL_POP3_ERROR_FAILED, message, error);
      mail_pop3_reply_clear (&greeting);
      _mail_pop3_client_abort_session (self);
      return FALSE;
    }
  mail_pop3_reply_clear (&greeting);

  mail_connection_set_phase (self->connection, MAIL_CONNECTION_PHASE_COMMAND);
  self->session = new_session_id ();
  _mail_pop3_client_set_state (self, MAIL_POP3_STATE_AUTHORIZATION);

  if (!_mail_pop3_client_read_capabilities (self, cancellable, error))
    return FALSE;

  if (mail_connection_get_security (self->connection) == MAIL_SECURITY_STARTTLS
      && !start_tls (self, cancellable, error))
    return FALSE;

  return TRUE;
}

/* ---------------------------------------------------------------------------------- */
/* Session                                                                             */

/**
 * mail_pop3_client_noop_sync:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * NOOP: checks that the session is alive.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_pop3_client_noop_sync (MailPop3Client  *self,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_autofree char *what = NULL;
  MailPop3Reply reply;
  gboolean ok;

  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), FALSE);

  if (!_mail_pop3_client_require_state (self, MAIL_POP3_STATE_TRANSACTION, error))
    return FALSE;

  what = g_strdup_printf (_("The server %s did not answer NOOP."),
                          _mail_pop3_client_server_name (self));
  ok = _mail_pop3_client_simple_command (self, "NOOP", MAIL_POP3_ERROR_FAILED, what, &reply,
                                         cancellable, error);
  mail_pop3_reply_clear (&reply);

  return ok;
}

/**
 * mail_pop3_client_disconnect:
 * @self: a #MailPop3Client
 *
 * Closes the connection without QUIT, so the server deletes nothing marked in this
 * session. Like the _sync functions, call it from the thread that owns the client, with
 * no _async call in flight (cancel a running one and wait for its callback first).
 */
void
mail_pop3_client_disconnect (MailPop3Client *self)
{
  g_return_if_fail (MAIL_IS_POP3_CLIENT (self));

  _mail_pop3_client_abort_session (self);
}
