/* mail-imap-client.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The IMAP client: one connection, its state, and many commands in flight at once.
 *
 * Threads. One thread owns a client: the one calling its _sync functions (an _async
 * wrapper runs them on a worker thread, which then owns the client until it finishes).
 * Signals are emitted on that thread, from inside the call that read the response; their
 * handlers must not call the client back (except mail_imap_client_idle_stop()). The
 * only calls allowed from other threads are mail_imap_client_idle_stop() and cancelling a
 * GCancellable given to a call.
 *
 * Pipelining. mail_imap_client_submit() tags a command and sends it at once (as much of
 * it as can go before a synchronizing literal's "+"); mail_imap_client_wait_sync() then
 * reads responses until that command is done, completing the others that finish on the
 * way. Untagged responses go to the first command in flight that asked for their kind
 * (collected, or streamed to a function), and mailbox updates (EXISTS, EXPUNGE,
 * VANISHED, RECENT, FLAGS and FETCH that no command claimed) are emitted as signals while
 * a mailbox is selected; before that they are ignored, as anything a server says before
 * authentication may have been injected.
 *
 * Failures. A tagged NO or BAD fails only its command. Anything that loses the stream
 * (a read or write error, a parser framing error, an unknown tag, an early tagged OK) closes
 * the connection and fails every command in flight; after a BYE, that error is
 * MAIL_IMAP_ERROR_BYE with the server's text.
 *
 * Limits. Beyond the parser's limits on each response and the connection's timeout on each
 * read, each command has a budget for the responses it keeps (a count, and the memory they
 * take) and a deadline; a command that streams its responses to a function keeps nothing
 * and has no deadline, but must receive a minimum of bytes per window instead. Both clocks
 * run for the oldest command in flight, the one the server is answering. A server that
 * sends valid responses without end, or trickles a byte just within every read timeout,
 * thus fails the command and loses the connection (mail_imap_client_set_limits()).
 *
 * Security. STARTTLS must succeed or the connection fails: it is never used past a missing
 * or refused STARTTLS, a PREAUTH greeting on a STARTTLS account, or bytes following the
 * STARTTLS OK; capabilities learned before TLS are forgotten. Nothing the server writes over
 * an unencrypted connection reaches an error message (a BYE, the text or response code of a
 * NO or BAD): anyone on the path could have written it, so it stays in the protocol log and
 * the error says something generic. A failed connect always closes the connection.
 * Passwords only go out through mail_connection_write_secret_sync(), which refuses
 * plaintext unless allowed. A message move without MOVE needs UIDPLUS: a plain EXPUNGE
 * could remove messages someone else marked \Deleted, so it is never sent.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-imap-client-private.h"
#include "mail-net-error.h"
#include "mail-sasl.h"
#include "mail-secret-buffer.h"

#define DEFAULT_IDLE_RESTART (25 * 60)

/* See mail_imap_client_limits_init() for why. */
#define DEFAULT_MAX_RESPONSES      2000000
#define DEFAULT_MAX_COLLECTED_SIZE (G_GUINT64_CONSTANT (1024) * 1024 * 1024)
#define DEFAULT_COMMAND_DEADLINE   (5 * 60)
#define DEFAULT_PROGRESS_WINDOW    120
#define DEFAULT_MIN_PROGRESS       1024

struct _MailImapClient
{
  GObject                parent_instance;

  MailConnection        *connection;
  MailImapParser        *parser;
  MailImapClientOptions  options;
  gboolean               allow_plaintext;
  guint                  idle_restart;
  MailImapClientLimits   limits;

  /* When the oldest command in flight became the one being answered (for the greeting:
   * when connecting began), and what arrived since the progress window began. */
  gint64                 head_since;
  gint64                 window_start;
  guint64                window_bytes;

  MailImapClientState    state;
  char                 **capabilities;
  gboolean               capabilities_fresh;
  GPtrArray             *enabled;
  char                  *selected;
  guint                  next_tag;

  /* Commands not completely written, oldest first; the head may wait for a "+". */
  GQueue                 unsent;
  gboolean               head_waiting;
  /* Commands submitted and not yet done. */
  GPtrArray             *in_flight;

  /* AUTHENTICATE and IDLE read their continuation requests themselves. */
  gboolean               want_continuation;
  MailImapResponse      *continuation;

  char                  *bye_text;

  /* Framing of what the server sends, for the log: lines, and literals by size only. */
  GString               *log_line;
  char                   log_tail[24];
  gsize                  log_tail_len;
  guint64                log_literal;
  guint64                log_literal_seen;
  gboolean               log_mid_response;
  /* Whether the session was encrypted (kept after the connection closed). */
  gboolean               encrypted;

  GMutex                 idle_mutex;
  GCancellable          *idle_cancellable;
  gboolean               idle_stop;
};

/**
 * MailImapClient:
 *
 * An IMAP session over one #MailConnection: connect (TLS or STARTTLS), sign in, and
 * commands, several in flight at once. One thread owns a client: the one calling its _sync
 * functions, on which its signals are emitted too. Only mail_imap_client_idle_stop() and
 * the cancellables given to calls may be used from other threads.
 */

G_DEFINE_FINAL_TYPE (MailImapClient, mail_imap_client, G_TYPE_OBJECT)

enum {
  SIGNAL_EXISTS,
  SIGNAL_EXPUNGE,
  SIGNAL_VANISHED,
  SIGNAL_FETCH,
  SIGNAL_RECENT,
  SIGNAL_FLAGS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---------------------------------------------------------------------------------- */

static MailErrorCategory
categorize_imap_error (const GError *error)
{
  if (error->code == MAIL_IMAP_ERROR_AUTH_FAILED)
    return MAIL_ERROR_CATEGORY_AUTH_FAILED;

  return MAIL_ERROR_CATEGORY_PROTOCOL;
}

/**
 * mail_imap_copy_result_clear:
 * @result: a #MailImapCopyResult
 *
 * Frees what @result holds and zeroes it.
 */
void
mail_imap_copy_result_clear (MailImapCopyResult *result)
{
  g_return_if_fail (result != NULL);

  g_clear_pointer (&result->source_uids, g_free);
  g_clear_pointer (&result->dest_uids, g_free);
  result->uidvalidity = 0;
}

static void
mail_imap_client_dispose (GObject *object)
{
  MailImapClient *self = (MailImapClient *) object;

  mail_imap_client_close (self);
  g_clear_object (&self->idle_cancellable);

  G_OBJECT_CLASS (mail_imap_client_parent_class)->dispose (object);
}

static void
mail_imap_client_finalize (GObject *object)
{
  MailImapClient *self = (MailImapClient *) object;

  g_clear_object (&self->connection);
  g_clear_pointer (&self->parser, mail_imap_parser_free);
  g_clear_pointer (&self->capabilities, g_strfreev);
  g_clear_pointer (&self->enabled, g_ptr_array_unref);
  g_clear_pointer (&self->selected, g_free);
  g_clear_pointer (&self->in_flight, g_ptr_array_unref);
  g_clear_pointer (&self->continuation, mail_imap_response_unref);
  g_clear_pointer (&self->bye_text, g_free);
  g_string_free (self->log_line, TRUE);
  g_mutex_clear (&self->idle_mutex);

  G_OBJECT_CLASS (mail_imap_client_parent_class)->finalize (object);
}

static void
mail_imap_client_class_init (MailImapClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mail_imap_client_dispose;
  object_class->finalize = mail_imap_client_finalize;

  mail_error_register_domain (MAIL_IMAP_ERROR, categorize_imap_error);

  /**
   * MailImapClient::exists:
   * @self: the client
   * @count: the number of messages in the selected mailbox
   */
  signals[SIGNAL_EXISTS] =
    g_signal_new ("exists", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * MailImapClient::expunge:
   * @self: the client
   * @seq: the sequence number of the message removed
   */
  signals[SIGNAL_EXPUNGE] =
    g_signal_new ("expunge", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * MailImapClient::vanished:
   * @self: the client
   * @response: the VANISHED response (QRESYNC), with the UIDs removed
   */
  signals[SIGNAL_VANISHED] =
    g_signal_new ("vanished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1,
                  MAIL_TYPE_IMAP_RESPONSE | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * MailImapClient::fetch:
   * @self: the client
   * @response: a FETCH response no command asked for, such as a flag change
   */
  signals[SIGNAL_FETCH] =
    g_signal_new ("fetch", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1,
                  MAIL_TYPE_IMAP_RESPONSE | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * MailImapClient::recent:
   * @self: the client
   * @count: the number of recent messages
   */
  signals[SIGNAL_RECENT] =
    g_signal_new ("recent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  /**
   * MailImapClient::flags:
   * @self: the client
   * @response: the FLAGS response: the flags defined in the mailbox
   */
  signals[SIGNAL_FLAGS] =
    g_signal_new ("flags", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1,
                  MAIL_TYPE_IMAP_RESPONSE | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
mail_imap_client_init (MailImapClient *self)
{
  self->idle_restart = DEFAULT_IDLE_RESTART;
  mail_imap_client_limits_init (&self->limits);
  self->enabled = g_ptr_array_new_with_free_func (g_free);
  self->log_line = g_string_new (NULL);
  self->in_flight = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_imap_command_unref);
  g_queue_init (&self->unsent);
  g_mutex_init (&self->idle_mutex);
}

/**
 * mail_imap_client_new:
 * @host: the server's host name
 * @port: the port
 * @security: how to encrypt
 * @database: (nullable): the certificate database, %NULL for the system's
 *
 * Returns: (transfer full): a new, unconnected client
 */
MailImapClient *
mail_imap_client_new (const char   *host,
                      guint16       port,
                      MailSecurity  security,
                      GTlsDatabase *database)
{
  MailImapClient *self;

  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (MAIL_TYPE_IMAP_CLIENT, NULL);
  self->connection = mail_connection_new (host, port, security, database);

  return self;
}

/**
 * mail_imap_client_get_connection:
 * @self: a #MailImapClient
 *
 * Returns: (transfer none): the connection, for timeouts, pins and the protocol log
 */
MailConnection *
mail_imap_client_get_connection (MailImapClient *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), NULL);

  return self->connection;
}

/**
 * mail_imap_client_set_options:
 * @self: a #MailImapClient
 * @options: options, mostly for tests
 */
void
mail_imap_client_set_options (MailImapClient        *self,
                              MailImapClientOptions  options)
{
  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  self->options = options;
}

/**
 * mail_imap_client_set_allow_plaintext_password:
 * @self: a #MailImapClient
 * @allow: whether the user explicitly allowed an unencrypted password for this account
 */
void
mail_imap_client_set_allow_plaintext_password (MailImapClient *self,
                                               gboolean        allow)
{
  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  self->allow_plaintext = !!allow;
  mail_connection_set_allow_plaintext_secrets (self->connection, allow);
}

/**
 * mail_imap_client_set_idle_restart:
 * @self: a #MailImapClient
 * @seconds: how long one IDLE lasts before it is ended and issued again (default 25 min,
 *   under the 29 min servers may wait)
 */
void
mail_imap_client_set_idle_restart (MailImapClient *self,
                                   guint           seconds)
{
  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));
  g_return_if_fail (seconds > 0);

  self->idle_restart = seconds;
}

/**
 * mail_imap_client_limits_init:
 * @limits: (out caller-allocates): limits to fill
 *
 * Fills @limits with the defaults, chosen to fit the largest real answers with room to
 * spare:
 *
 * - 2 000 000 responses kept by one command: twice a FETCH of every message of a mailbox
 *   of a million, ten times a LIST-STATUS (two responses per folder) of 100 000 folders.
 * - 1 GiB of memory for them. A kept response takes at least about 1.8 KiB (its first
 *   arena block), so a LIST of 100 000 folders takes about 185 MB and a LIST-STATUS about
 *   370 MB. A FETCH of the envelopes of a million messages would take 1.8 GB if kept: that
 *   is what streaming to a #MailImapFetchFunc is for, which keeps nothing.
 * - 5 minutes for a command to be answered once sent. Large answers take far less: a LIST
 *   of 100 000 folders is about 10 MB on the wire, a SEARCH of a million UIDs 11 MB. This
 *   is what stops a server that trickles a byte every 59 s, which no read timeout catches.
 *   A command known to keep a server busy longer (a full-text search of a huge mailbox)
 *   can be given its own deadline with mail_imap_command_set_deadline().
 * - for commands that stream (no deadline): at least 1 KiB in every 2 minutes. That is
 *   twice the read timeout, so a server that is slow to start is held to the read timeout
 *   as before, and any working link moves a kilobyte in that time; a byte a minute does
 *   not.
 */
void
mail_imap_client_limits_init (MailImapClientLimits *limits)
{
  g_return_if_fail (limits != NULL);

  limits->max_responses = DEFAULT_MAX_RESPONSES;
  limits->max_collected_size = DEFAULT_MAX_COLLECTED_SIZE;
  limits->command_deadline = DEFAULT_COMMAND_DEADLINE;
  limits->progress_window = DEFAULT_PROGRESS_WINDOW;
  limits->min_progress = DEFAULT_MIN_PROGRESS;
}

/**
 * mail_imap_client_set_limits:
 * @self: a #MailImapClient
 * @limits: the limits, such as smaller ones for tests
 *
 * Sets what a server may cost one command; see #MailImapClientLimits.
 */
void
mail_imap_client_set_limits (MailImapClient             *self,
                             const MailImapClientLimits *limits)
{
  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));
  g_return_if_fail (limits != NULL);

  self->limits = *limits;
}

/**
 * mail_imap_client_get_limits:
 * @self: a #MailImapClient
 * @limits: (out caller-allocates): where to store the limits
 */
void
mail_imap_client_get_limits (MailImapClient       *self,
                             MailImapClientLimits *limits)
{
  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));
  g_return_if_fail (limits != NULL);

  *limits = self->limits;
}

/**
 * mail_imap_client_get_state:
 * @self: a #MailImapClient
 *
 * Returns: the protocol state
 */
MailImapClientState
mail_imap_client_get_state (MailImapClient *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), MAIL_IMAP_CLIENT_DISCONNECTED);

  return self->state;
}

/**
 * mail_imap_client_get_capabilities:
 * @self: a #MailImapClient
 *
 * Returns: (transfer none) (nullable) (array zero-terminated=1): the capabilities known
 *   now (after STARTTLS and after login they are asked again)
 */
const char * const *
mail_imap_client_get_capabilities (MailImapClient *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), NULL);

  return (const char * const *) self->capabilities;
}

/**
 * mail_imap_client_has_capability:
 * @self: a #MailImapClient
 * @name: a capability, such as "IDLE" or "AUTH=PLAIN"
 *
 * Returns: whether the server announced @name
 */
gboolean
mail_imap_client_has_capability (MailImapClient *self,
                                 const char     *name)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return mail_imap_capabilities_contain ((const char * const *) self->capabilities, name);
}

/**
 * mail_imap_client_is_enabled:
 * @self: a #MailImapClient
 * @name: an extension, such as "QRESYNC"
 *
 * Returns: whether the server confirmed enabling @name (ENABLED)
 */
gboolean
mail_imap_client_is_enabled (MailImapClient *self,
                             const char     *name)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  for (guint i = 0; i < self->enabled->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (self->enabled, i), name) == 0)
      return TRUE;

  return FALSE;
}

/**
 * mail_imap_client_get_selected:
 * @self: a #MailImapClient
 *
 * Returns: (nullable): the selected mailbox
 */
const char *
mail_imap_client_get_selected (MailImapClient *self)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), NULL);

  return self->selected;
}

/* ---------------------------------------------------------------------------------- */
/* The engine                                                                          */

static void
set_capabilities (MailImapClient     *self,
                  const char * const *capabilities)
{
  g_clear_pointer (&self->capabilities, g_strfreev);
  self->capabilities = g_strdupv ((char **) capabilities);
  self->capabilities_fresh = TRUE;
}

static MailImapQuoteFlags
quote_flags (MailImapClient *self)
{
  MailImapQuoteFlags flags = MAIL_IMAP_QUOTE_NONE;

  if (mail_imap_client_is_enabled (self, "UTF8=ACCEPT"))
    flags |= MAIL_IMAP_QUOTE_UTF8;
  if ((self->options & MAIL_IMAP_CLIENT_OPTION_IGNORE_LITERAL_PLUS) == 0)
    {
      if (mail_imap_client_has_capability (self, "LITERAL+"))
        flags |= MAIL_IMAP_QUOTE_LITERAL_PLUS;
      else if (mail_imap_client_has_capability (self, "LITERAL-"))
        flags |= MAIL_IMAP_QUOTE_LITERAL_MINUS;
    }

  return flags;
}

/**
 * mail_imap_client_new_command:
 * @self: a #MailImapClient
 * @verb: the command name, such as "NOOP" or "UID FETCH"
 *
 * Returns: (transfer full): a command that encodes strings as this server allows
 */
MailImapCommand *
mail_imap_client_new_command (MailImapClient *self,
                              const char     *verb)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), NULL);

  return mail_imap_command_new (verb, quote_flags (self));
}

/* Another command is now the one being answered (or the greeting is awaited): its time
 * starts now. */
static void
restart_clock (MailImapClient *self)
{
  gint64 now = g_get_monotonic_time ();

  self->head_since = now;
  self->window_start = now;
  self->window_bytes = 0;
}

/* Ends everything: the stream can no longer be trusted. */
static void
fail_all (MailImapClient *self,
          const GError   *error)
{
  g_autoptr (GPtrArray) pending = NULL;

  pending = g_steal_pointer (&self->in_flight);
  self->in_flight = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_imap_command_unref);

  while (!g_queue_is_empty (&self->unsent))
    mail_imap_command_unref (g_queue_pop_head (&self->unsent));
  self->head_waiting = FALSE;

  for (guint i = 0; i < pending->len; i++)
    _mail_imap_command_finish (g_ptr_array_index (pending, i), NULL, error);

  if (self->connection != NULL && mail_connection_is_connected (self->connection))
    mail_connection_close_sync (self->connection, NULL, NULL);

  if (self->state != MAIL_IMAP_CLIENT_LOGGED_OUT)
    self->state = MAIL_IMAP_CLIENT_DISCONNECTED;
  g_clear_pointer (&self->selected, g_free);
}

static gboolean
fail_all_take (MailImapClient  *self,
               GError          *error,
               GError         **out_error)
{
  fail_all (self, error);
  g_propagate_error (out_error, error);

  return FALSE;
}

static gboolean
protocol_error (MailImapClient  *self,
                GError         **error,
                const char      *message)
{
  mail_protocol_log_add_info (mail_connection_get_log (self->connection), "%s", message);

  return fail_all_take (self, g_error_new_literal (MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL,
                                                   message),
                        error);
}

static gboolean
check_connected (MailImapClient  *self,
                 GError         **error)
{
  if (self->connection != NULL && mail_connection_is_connected (self->connection)
      && self->parser != NULL)
    return TRUE;

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                       _("The client is not connected to the server."));

  return FALSE;
}

static gboolean
write_batch (MailImapClient  *self,
             GByteArray      *batch,
             GCancellable    *cancellable,
             GError         **error)
{
  gboolean ok;

  if (batch->len == 0)
    return TRUE;

  ok = mail_connection_write_all_sync (self->connection, batch->data, batch->len,
                                       MAIL_CONNECTION_IO_NONE, cancellable, error);
  g_byte_array_set_size (batch, 0);

  return ok;
}

/* Writes what can be written now, in one write per group where possible. */
static gboolean
flush_sync (MailImapClient  *self,
            GCancellable    *cancellable,
            GError         **error)
{
  g_autoptr (GByteArray) batch = g_byte_array_new ();
  GError *local_error = NULL;

  while (!self->head_waiting && !g_queue_is_empty (&self->unsent))
    {
      MailImapCommand *command = g_queue_peek_head (&self->unsent);

      while (command->next_segment < command->segments->len)
        {
          MailImapSegment *segment = &g_array_index (command->segments, MailImapSegment,
                                                     command->next_segment);
          gboolean first = command->next_segment == 0;
          gboolean last = command->next_segment + 1 == command->segments->len;
          GByteArray *out = batch;
          g_autoptr (GByteArray) secret = NULL;
          gsize public_len = 0;

          if (segment->secret || segment->body)
            {
              if (!write_batch (self, batch, cancellable, &local_error))
                return fail_all_take (self, local_error, error);
            }
          if (segment->secret)
            {
              /* Sized once, so that no reallocation leaves a copy of the secret behind. */
              secret = g_byte_array_sized_new (strlen (command->tag) + 1 + segment->data->len
                                               + 2);
              out = secret;
              public_len = segment->public_len;
            }

          if (first)
            {
              g_byte_array_append (out, (const guint8 *) command->tag, strlen (command->tag));
              g_byte_array_append (out, (const guint8 *) " ", 1);
              public_len += strlen (command->tag) + 1;
            }
          g_byte_array_append (out, segment->data->data, segment->data->len);
          if (last)
            g_byte_array_append (out, (const guint8 *) "\r\n", 2);

          if (segment->body)
            {
              /* Message data: logged by its size only. */
              if (!mail_connection_write_all_sync (self->connection, batch->data, batch->len,
                                                   MAIL_CONNECTION_IO_BODY, cancellable,
                                                   &local_error))
                return fail_all_take (self, local_error, error);
              g_byte_array_set_size (batch, 0);
            }
          else if (secret != NULL)
            {
              gboolean ok = mail_connection_write_secret_sync (self->connection, secret->data,
                                                               secret->len, public_len,
                                                               cancellable, &local_error);

              mail_secret_wipe (secret->data, secret->len);
              if (!ok)
                return fail_all_take (self, local_error, error);
            }

          command->next_segment++;
          command->last_write = g_get_monotonic_time ();
          if (segment->wait_continuation)
            {
              self->head_waiting = TRUE;
              break;
            }
        }

      if (self->head_waiting)
        break;

      mail_imap_command_unref (g_queue_pop_head (&self->unsent));
    }

  if (!write_batch (self, batch, cancellable, &local_error))
    return fail_all_take (self, local_error, error);

  return TRUE;
}

/**
 * mail_imap_client_submit:
 * @self: a #MailImapClient
 * @command: a command, not yet submitted
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Tags @command and sends it (up to its first synchronizing literal) without waiting
 * for the answer. Wait for it with mail_imap_client_wait_sync().
 *
 * Returns: %TRUE when the command is on its way
 */
gboolean
mail_imap_client_submit (MailImapClient   *self,
                         MailImapCommand  *command,
                         GCancellable     *cancellable,
                         GError          **error)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (command != NULL, FALSE);
  g_return_val_if_fail (!command->submitted, FALSE);

  if (!check_connected (self, error))
    return FALSE;

  command->submitted = TRUE;
  command->tag = g_strdup_printf ("a%u", ++self->next_tag);
  command->last_write = g_get_monotonic_time ();
  if (self->in_flight->len == 0)
    restart_clock (self);
  g_ptr_array_add (self->in_flight, mail_imap_command_ref (command));
  g_queue_push_tail (&self->unsent, mail_imap_command_ref (command));

  return flush_sync (self, cancellable, error);
}

static MailImapCommand *
find_in_flight (MailImapClient *self,
                const char     *tag,
                guint          *index)
{
  for (guint i = 0; i < self->in_flight->len; i++)
    {
      MailImapCommand *command = g_ptr_array_index (self->in_flight, i);

      if (g_strcmp0 (command->tag, tag) == 0)
        {
          *index = i;
          return command;
        }
    }

  return NULL;
}

static gboolean
is_mailbox_update (MailImapResponseKind kind)
{
  switch (kind)
    {
    case MAIL_IMAP_RESPONSE_EXISTS:
    case MAIL_IMAP_RESPONSE_EXPUNGE:
    case MAIL_IMAP_RESPONSE_VANISHED:
    case MAIL_IMAP_RESPONSE_FETCH:
    case MAIL_IMAP_RESPONSE_RECENT:
    case MAIL_IMAP_RESPONSE_FLAGS:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
emit_update (MailImapClient   *self,
             MailImapResponse *response)
{
  switch (response->kind)
    {
    case MAIL_IMAP_RESPONSE_EXISTS:
      g_signal_emit (self, signals[SIGNAL_EXISTS], 0, (guint) response->number);
      break;
    case MAIL_IMAP_RESPONSE_EXPUNGE:
      g_signal_emit (self, signals[SIGNAL_EXPUNGE], 0, (guint) response->number);
      break;
    case MAIL_IMAP_RESPONSE_RECENT:
      g_signal_emit (self, signals[SIGNAL_RECENT], 0, (guint) response->number);
      break;
    case MAIL_IMAP_RESPONSE_VANISHED:
      g_signal_emit (self, signals[SIGNAL_VANISHED], 0, response);
      break;
    case MAIL_IMAP_RESPONSE_FETCH:
      g_signal_emit (self, signals[SIGNAL_FETCH], 0, response);
      break;
    case MAIL_IMAP_RESPONSE_FLAGS:
      g_signal_emit (self, signals[SIGNAL_FLAGS], 0, response);
      break;
    default:
      break;
    }
}

/* Whether @command takes @response. An ESEARCH names the command it answers (RFC 4466
 * search correlator): it goes to that command or to none, never to another search in
 * flight. */
static gboolean
claims (MailImapCommand        *command,
        const MailImapResponse *response)
{
  if (!_mail_imap_command_wants (command, response->kind))
    return FALSE;

  if (response->kind == MAIL_IMAP_RESPONSE_ESEARCH && response->esearch.tag != NULL)
    return g_strcmp0 (command->tag, response->esearch.tag) == 0;

  return TRUE;
}

static gboolean
dispatch (MailImapClient    *self,
          MailImapResponse  *response,
          GError           **error)
{
  MailImapCommand *claimed = NULL;

  if (response->kind == MAIL_IMAP_RESPONSE_CONTINUATION)
    {
      if (self->head_waiting)
        {
          self->head_waiting = FALSE;
          return TRUE;
        }
      if (self->want_continuation && self->continuation == NULL)
        {
          self->continuation = mail_imap_response_ref (response);
          return TRUE;
        }
      return protocol_error (self, error,
                             _("The server asked for data no command had announced."));
    }

  if (response->kind == MAIL_IMAP_RESPONSE_TAGGED)
    {
      MailImapCommand *command;
      guint index = 0;

      command = find_in_flight (self, response->tag, &index);
      if (command == NULL)
        return protocol_error (self, error,
                               _("The server answered a command that was never sent."));

      if (command->next_segment < command->segments->len)
        {
          /* It completed before it was sent completely: only a refusal makes sense. */
          if (response->status == MAIL_IMAP_STATUS_OK || command->next_segment == 0)
            return protocol_error (self, error,
                                   _("The server answered a command before it was sent."));
          g_assert (g_queue_peek_head (&self->unsent) == command);
          mail_imap_command_unref (g_queue_pop_head (&self->unsent));
          self->head_waiting = FALSE;
        }

      if (response->code.kind == MAIL_IMAP_CODE_CAPABILITY && response->code.atoms != NULL
          && response->status == MAIL_IMAP_STATUS_OK)
        set_capabilities (self, response->code.atoms);

      command = g_ptr_array_steal_index (self->in_flight, index);
      if (index == 0)
        restart_clock (self);
      /* Before TLS the server's words stay in the protocol log (log_received()). */
      command->untrusted_text = !self->encrypted;
      _mail_imap_command_finish (command, response, NULL);
      mail_imap_command_unref (command);
      return TRUE;
    }

  switch (response->kind)
    {
    case MAIL_IMAP_RESPONSE_STATUS:
      if (response->status == MAIL_IMAP_STATUS_BYE)
        {
          g_free (self->bye_text);
          self->bye_text = g_strdup (response->text != NULL ? response->text : "");
        }
      else if (response->code.kind == MAIL_IMAP_CODE_CAPABILITY && response->code.atoms != NULL)
        {
          set_capabilities (self, response->code.atoms);
        }
      break;

    case MAIL_IMAP_RESPONSE_CAPABILITY:
      set_capabilities (self, response->capability);
      break;

    case MAIL_IMAP_RESPONSE_ENABLED:
      for (guint i = 0; response->enabled != NULL && response->enabled[i] != NULL; i++)
        {
          if (mail_imap_client_is_enabled (self, response->enabled[i]))
            continue;
          g_ptr_array_add (self->enabled, g_strdup (response->enabled[i]));
          if (g_ascii_strcasecmp (response->enabled[i], "UTF8=ACCEPT") == 0)
            mail_imap_parser_set_utf8_accept (self->parser, TRUE);
        }
      break;

    default:
      break;
    }

  for (guint i = 0; i < self->in_flight->len; i++)
    {
      MailImapCommand *command = g_ptr_array_index (self->in_flight, i);

      if (claims (command, response))
        {
          claimed = mail_imap_command_ref (command);
          break;
        }
    }

  /* Mailbox updates mean something only in a selected mailbox; before authentication
   * anyone on the path could have written them. */
  if (is_mailbox_update (response->kind) && self->state == MAIL_IMAP_CLIENT_SELECTED
      && (claimed == NULL || response->kind != MAIL_IMAP_RESPONSE_FETCH))
    emit_update (self, response);

  if (claimed != NULL)
    {
      GError *local_error = NULL;
      gboolean ok;

      ok = _mail_imap_command_deliver (claimed, response, self->limits.max_responses,
                                       self->limits.max_collected_size, &local_error);
      mail_imap_command_unref (claimed);
      if (!ok)
        {
          mail_protocol_log_add_info (mail_connection_get_log (self->connection),
                                      "response budget exhausted, closing: %s",
                                      local_error->message);
          return fail_all_take (self, local_error, error);
        }
    }

  return TRUE;
}

#define LOG_LINE_MAX 8192

static void
log_reset (MailImapClient *self)
{
  g_string_truncate (self->log_line, 0);
  self->log_tail_len = 0;
  self->log_literal = 0;
  self->log_literal_seen = 0;
  self->log_mid_response = FALSE;
}

/* The size of the literal a line announces ("... {123}" or "{123+}"), or 0. */
static guint64
announced_literal (const char *tail,
                   gsize       len)
{
  const char *open;
  g_autofree char *digits = NULL;
  guint64 size = 0;

  if (len > 0 && tail[len - 1] == '\r')
    len--;
  if (len < 3 || tail[len - 1] != '}')
    return 0;
  len--;
  if (tail[len - 1] == '+' || tail[len - 1] == '-')
    len--;
  open = g_strrstr_len (tail, len, "{");
  if (open == NULL || open + 1 == tail + len)
    return 0;

  digits = g_strndup (open + 1, tail + len - (open + 1));
  if (!g_ascii_string_to_unsigned (digits, 10, 1, G_MAXUINT64, &size, NULL))
    return 0;

  return size;
}

/* Logs what the server sent, line by line, and the data of literals (message bodies) by
 * their size only, as the connection does for bodies it reads itself. */
static void
log_received (MailImapClient *self,
              const guint8   *data,
              gsize           len)
{
  MailProtocolLog *log = mail_connection_get_log (self->connection);

  if (log == NULL)
    return;

  while (len > 0)
    {
      const guint8 *nl;
      gsize chunk;

      if (self->log_literal > 0)
        {
          gsize n = (gsize) MIN ((guint64) len, self->log_literal);

          self->log_literal -= n;
          self->log_literal_seen += n;
          data += n;
          len -= n;
          if (self->log_literal == 0)
            {
              mail_protocol_log_add_body (log, MAIL_PROTOCOL_LOG_RECEIVED,
                                          self->log_literal_seen);
              self->log_literal_seen = 0;
            }
          continue;
        }

      nl = memchr (data, '\n', len);
      chunk = nl != NULL ? (gsize) (nl - data) : len;

      if (self->log_line->len < LOG_LINE_MAX)
        g_string_append_len (self->log_line, (const char *) data,
                             MIN (chunk, LOG_LINE_MAX - self->log_line->len));
      if (chunk >= sizeof self->log_tail)
        {
          memcpy (self->log_tail, data + chunk - sizeof self->log_tail, sizeof self->log_tail);
          self->log_tail_len = sizeof self->log_tail;
        }
      else
        {
          gsize keep = MIN (self->log_tail_len, sizeof self->log_tail - chunk);

          memmove (self->log_tail, self->log_tail + self->log_tail_len - keep, keep);
          memcpy (self->log_tail + keep, data, chunk);
          self->log_tail_len = keep + chunk;
        }

      if (nl == NULL)
        return;

      data += chunk + 1;
      len -= chunk + 1;

      mail_protocol_log_add_line (log, MAIL_PROTOCOL_LOG_RECEIVED, self->log_line->str,
                                  self->log_line->len);
      /* A continuation request is free text: it announces nothing. */
      if (self->log_mid_response || self->log_line->str[0] != '+')
        self->log_literal = announced_literal (self->log_tail, self->log_tail_len);
      self->log_mid_response = self->log_literal > 0;
      g_string_truncate (self->log_line, 0);
      self->log_tail_len = 0;
    }
}

static GError *
read_failure (MailImapClient *self,
              GError         *error)
{
  if (self->bye_text != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      GError *bye;

      if (self->encrypted && self->bye_text[0] != '\0')
        bye = g_error_new (MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_BYE,
                           _("The server closed the connection: %s"), self->bye_text);
      else
        bye = g_error_new_literal (MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_BYE,
                                   _("The server closed the connection."));
      g_error_free (error);
      return bye;
    }

  return error;
}

typedef enum
{
  TIME_RULE_NONE,
  TIME_RULE_DEADLINE,
  TIME_RULE_PROGRESS,
} TimeRule;

/* Which time limit holds for @command (%NULL: the greeting), and its deadline. */
static TimeRule
time_rule (MailImapClient  *self,
           MailImapCommand *command,
           guint           *deadline)
{
  if (command != NULL && command->unlimited)
    return TIME_RULE_NONE;

  if (command != NULL && command->deadline_set)
    *deadline = command->deadline;
  else if (command != NULL && command->func_kinds != 0)
    *deadline = 0;
  else
    *deadline = self->limits.command_deadline;

  if (*deadline > 0)
    return TIME_RULE_DEADLINE;
  if (self->limits.progress_window > 0)
    return TIME_RULE_PROGRESS;
  return TIME_RULE_NONE;
}

/* Before a read: whether the server may still take its time over the oldest command in
 * flight, the one it is answering. */
static gboolean
check_time (MailImapClient  *self,
            GError         **error)
{
  MailImapCommand *head = NULL;
  const char *host = mail_connection_get_host (self->connection);
  gint64 now = g_get_monotonic_time ();
  guint deadline = 0;
  gint64 since;
  guint window;

  if (self->in_flight->len > 0)
    head = g_ptr_array_index (self->in_flight, 0);

  switch (time_rule (self, head, &deadline))
    {
    case TIME_RULE_DEADLINE:
      since = head != NULL ? MAX (self->head_since, head->last_write) : self->head_since;
      if (now - since <= (gint64) deadline * G_USEC_PER_SEC)
        return TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The server %s did not finish answering a command within %u "
                                "second; the connection was closed.",
                                "The server %s did not finish answering a command within %u "
                                "seconds; the connection was closed.",
                                deadline),
                   host, deadline);
      return FALSE;

    case TIME_RULE_PROGRESS:
      window = self->limits.progress_window;
      if (now - self->window_start < (gint64) window * G_USEC_PER_SEC)
        return TRUE;
      if (self->window_bytes >= self->limits.min_progress)
        {
          self->window_start = now;
          self->window_bytes = 0;
          return TRUE;
        }
      {
        g_autofree char *size = g_format_size_full (self->limits.min_progress,
                                                    G_FORMAT_SIZE_IEC_UNITS);

        g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "The server %s sent less than %s in %u second while "
                                  "answering a command; the connection was closed.",
                                  "The server %s sent less than %s in %u seconds while "
                                  "answering a command; the connection was closed.",
                                  window),
                     host, size, window);
      }
      return FALSE;

    case TIME_RULE_NONE:
    default:
      return TRUE;
    }
}

/* Reads one whole response; any failure closes the connection and fails every command. */
static MailImapResponse *
read_response_sync (MailImapClient  *self,
                    GCancellable    *cancellable,
                    GError         **error)
{
  MailLineReader *reader;

  if (!check_connected (self, error))
    return NULL;

  reader = mail_connection_get_reader (self->connection);

  for (;;)
    {
      MailImapResponse *response = NULL;
      GError *local_error = NULL;
      const guint8 *data;
      gsize available;

      switch (mail_imap_parser_next (self->parser, &response, &local_error))
        {
        case MAIL_IMAP_PARSE_RESPONSE:
          return response;

        case MAIL_IMAP_PARSE_ERROR:
          /* A framing error loses the stream; a malformed response might have been the
           * tagged one a command waits for. Either way the connection ends here. */
          mail_protocol_log_add_info (mail_connection_get_log (self->connection),
                                      "unreadable response: %s", local_error->message);
          fail_all_take (self, local_error, error);
          return NULL;

        case MAIL_IMAP_PARSE_NEED_MORE:
        default:
          break;
        }

      if (mail_line_reader_get_available (reader) == 0)
        {
          if (!check_time (self, &local_error))
            {
              mail_protocol_log_add_info (mail_connection_get_log (self->connection),
                                          "%s", local_error->message);
              fail_all_take (self, local_error, error);
              return NULL;
            }
          if (!mail_connection_fill_sync (self->connection, cancellable, &local_error))
            {
              fail_all_take (self, read_failure (self, local_error), error);
              return NULL;
            }
        }

      data = mail_line_reader_peek (reader, &available);
      self->window_bytes += available;
      log_received (self, data, available);
      mail_imap_parser_feed (self->parser, data, available);
      if (!mail_line_reader_consume (reader, available, &local_error))
        {
          fail_all_take (self, local_error, error);
          return NULL;
        }
    }
}

static gboolean
process_one_sync (MailImapClient  *self,
                  GCancellable    *cancellable,
                  GError         **error)
{
  g_autoptr (MailImapResponse) response = NULL;

  response = read_response_sync (self, cancellable, error);
  if (response == NULL)
    return FALSE;

  if (!dispatch (self, response, error))
    return FALSE;

  return flush_sync (self, cancellable, error);
}

/**
 * mail_imap_client_wait_sync:
 * @self: a #MailImapClient
 * @command: a submitted command
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads responses until @command is done, dispatching everything else on the way.
 *
 * Returns: %TRUE when @command ended with OK; %FALSE with the server's NO or BAD, or the
 *   connection's error
 */
gboolean
mail_imap_client_wait_sync (MailImapClient   *self,
                            MailImapCommand  *command,
                            GCancellable     *cancellable,
                            GError          **error)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (command != NULL && command->submitted, FALSE);

  while (!command->done)
    {
      if (!process_one_sync (self, cancellable, NULL))
        break;
    }

  return mail_imap_command_check (command, error);
}

/**
 * mail_imap_client_wait_all_sync:
 * @self: a #MailImapClient
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads responses until no command is in flight. The commands' own results are checked
 * separately with mail_imap_command_check().
 *
 * Returns: %TRUE unless the connection failed
 */
gboolean
mail_imap_client_wait_all_sync (MailImapClient  *self,
                                GCancellable    *cancellable,
                                GError         **error)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  while (self->in_flight->len > 0)
    {
      if (!process_one_sync (self, cancellable, error))
        return FALSE;
    }

  return TRUE;
}

/**
 * mail_imap_client_run_sync:
 * @self: a #MailImapClient
 * @command: a command, not yet submitted
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Submits @command and waits for it.
 *
 * Returns: %TRUE when @command ended with OK
 */
gboolean
mail_imap_client_run_sync (MailImapClient   *self,
                           MailImapCommand  *command,
                           GCancellable     *cancellable,
                           GError          **error)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  if (!mail_imap_client_submit (self, command, cancellable, error))
    return FALSE;

  return mail_imap_client_wait_sync (self, command, cancellable, error);
}

/* Runs a command that takes no arguments. */
gboolean
_mail_imap_client_simple_sync (MailImapClient  *self,
                               const char      *verb,
                               GCancellable    *cancellable,
                               GError         **error)
{
  g_autoptr (MailImapCommand) command = mail_imap_client_new_command (self, verb);

  return mail_imap_client_run_sync (self, command, cancellable, error);
}

/* ---------------------------------------------------------------------------------- */
/* Connecting                                                                          */

static void
forget_session (MailImapClient *self)
{
  log_reset (self);
  g_clear_pointer (&self->capabilities, g_strfreev);
  self->capabilities_fresh = FALSE;
  g_ptr_array_set_size (self->enabled, 0);
  g_clear_pointer (&self->bye_text, g_free);
  g_clear_pointer (&self->continuation, mail_imap_response_unref);
  g_clear_pointer (&self->selected, g_free);
  self->want_continuation = FALSE;
  if (self->parser != NULL)
    {
      mail_imap_parser_reset (self->parser);
      mail_imap_parser_set_utf8_accept (self->parser, FALSE);
    }
}

static gboolean
starttls_unavailable (MailImapClient  *self,
                      MailNetError     code,
                      GError         **error)
{
  GError *local_error = NULL;

  mail_net_error_set_starttls_unavailable (&local_error, code);

  return fail_all_take (self, local_error, error);
}

static gboolean
starttls_sync (MailImapClient  *self,
               GCancellable    *cancellable,
               GError         **error)
{
  g_autoptr (MailImapCommand) command = NULL;
  g_autoptr (GError) local_error = NULL;

  if (!mail_imap_client_has_capability (self, "STARTTLS"))
    return starttls_unavailable (self, MAIL_NET_ERROR_STARTTLS_NOT_OFFERED, error);

  command = mail_imap_client_new_command (self, "STARTTLS");
  if (!mail_imap_client_run_sync (self, command, cancellable, &local_error))
    {
      if (local_error->domain == MAIL_IMAP_ERROR && mail_imap_command_get_tagged (command) != NULL)
        return starttls_unavailable (self, MAIL_NET_ERROR_STARTTLS_REFUSED, error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* Whatever came with the OK came before TLS: an injection. */
  if (mail_imap_parser_has_buffered_data (self->parser))
    {
      mail_protocol_log_add_info (mail_connection_get_log (self->connection),
                                  "data followed the STARTTLS reply: possible response "
                                  "injection, closing");
      return starttls_unavailable (self, MAIL_NET_ERROR_STARTTLS_INJECTION, error);
    }

  if (!mail_connection_start_tls_sync (self->connection, cancellable, &local_error))
    return fail_all_take (self, g_steal_pointer (&local_error), error);

  /* Nothing learned in plaintext counts. */
  forget_session (self);
  self->encrypted = TRUE;

  return mail_imap_client_capability_sync (self, cancellable, error);
}

static gboolean
connect_steps_sync (MailImapClient  *self,
                    GCancellable    *cancellable,
                    GError         **error)
{
  g_autoptr (MailImapResponse) greeting = NULL;
  MailImapParserLimits limits;
  MailSecurity security;

  /* The parser's own limits apply, not the line reader's: IMAP reads bypass the reader's
   * line splitting (read_response_sync() feeds the parser whatever arrives), and a plain
   * SEARCH over a large mailbox needs a line far longer than the reader's 1 MiB. */
  mail_imap_parser_limits_init (&limits);
  g_clear_pointer (&self->parser, mail_imap_parser_free);
  self->parser = mail_imap_parser_new (&limits);
  forget_session (self);
  self->state = MAIL_IMAP_CLIENT_DISCONNECTED;
  self->head_waiting = FALSE;

  if (!mail_connection_connect_sync (self->connection, cancellable, error))
    return FALSE;
  restart_clock (self);

  security = mail_connection_get_security (self->connection);
  self->encrypted = mail_connection_is_encrypted (self->connection);
  mail_connection_set_phase (self->connection, MAIL_CONNECTION_PHASE_GREETING);

  greeting = read_response_sync (self, cancellable, error);
  if (greeting == NULL)
    return FALSE;

  if (greeting->kind != MAIL_IMAP_RESPONSE_STATUS
      || (greeting->status != MAIL_IMAP_STATUS_OK && greeting->status != MAIL_IMAP_STATUS_PREAUTH
          && greeting->status != MAIL_IMAP_STATUS_BYE))
    return protocol_error (self, error, _("The server did not greet like an IMAP server."));

  if (greeting->status == MAIL_IMAP_STATUS_BYE)
    {
      /* A plaintext greeting's text is not shown: anyone could have written it. */
      if (mail_connection_is_encrypted (self->connection) && greeting->text != NULL
          && greeting->text[0] != '\0')
        return fail_all_take (self,
                              g_error_new (MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_BYE,
                                           _("The server refused the connection: %s"),
                                           greeting->text),
                              error);
      return fail_all_take (self,
                            g_error_new_literal (MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_BYE,
                                                 _("The server refused the connection.")),
                            error);
    }

  if (greeting->status == MAIL_IMAP_STATUS_PREAUTH && security == MAIL_SECURITY_STARTTLS)
    {
      mail_protocol_log_add_info (mail_connection_get_log (self->connection),
                                  "PREAUTH greeting on a STARTTLS account: closing");
      return starttls_unavailable (self, MAIL_NET_ERROR_STARTTLS_PREAUTH, error);
    }

  if (greeting->code.kind == MAIL_IMAP_CODE_CAPABILITY && greeting->code.atoms != NULL)
    set_capabilities (self, greeting->code.atoms);

  mail_connection_set_phase (self->connection, MAIL_CONNECTION_PHASE_COMMAND);
  self->state = greeting->status == MAIL_IMAP_STATUS_PREAUTH ? MAIL_IMAP_CLIENT_AUTHENTICATED
                                                              : MAIL_IMAP_CLIENT_NOT_AUTHENTICATED;

  if (self->capabilities == NULL && !mail_imap_client_capability_sync (self, cancellable, error))
    return FALSE;

  if (security == MAIL_SECURITY_STARTTLS && !starttls_sync (self, cancellable, error))
    return FALSE;

  return TRUE;
}

/**
 * mail_imap_client_connect_sync:
 * @self: a #MailImapClient
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Connects, reads the greeting, upgrades with STARTTLS when the account says so and
 * learns the capabilities. Fails with the STARTTLS errors of mail-net-error.h when the
 * upgrade is impossible (not offered, refused, PREAUTH greeting, injected data): nothing
 * else is sent then. Whatever the server says before TLS (a BYE greeting, the text of a
 * refusal) is only shown in the protocol log; the error has a generic message. On any
 * failure the connection is closed.
 *
 * Returns: %TRUE when connected (not yet authenticated, unless the server sent PREAUTH
 *   over TLS)
 */
gboolean
mail_imap_client_connect_sync (MailImapClient  *self,
                               GCancellable    *cancellable,
                               GError         **error)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  if (mail_connection_is_connected (self->connection))
    mail_imap_client_close (self);

  if (!connect_steps_sync (self, cancellable, error))
    {
      /* A refused CAPABILITY, for one, fails only its command: do not leave a half-set-up
       * session open behind the error. */
      mail_imap_client_close (self);
      return FALSE;
    }

  return TRUE;
}

static gboolean
auth_failed (MailImapClient  *self,
             GError          *local_error,
             GError         **error)
{
  if (local_error->domain == MAIL_IMAP_ERROR && local_error->code == MAIL_IMAP_ERROR_NO)
    local_error->code = MAIL_IMAP_ERROR_AUTH_FAILED;

  g_propagate_error (error, local_error);

  return FALSE;
}

static gboolean
authenticate_sync (MailImapClient     *self,
                   MailSaslMechanism   mechanism,
                   const char         *user,
                   const char         *password,
                   GCancellable       *cancellable,
                   GError            **error)
{
  g_autoptr (MailImapCommand) command = mail_imap_client_new_command (self, "AUTHENTICATE");
  GError *local_error = NULL;
  gboolean sasl_ir;
  guint step = 0;

  mail_imap_command_add_atom (command, mail_sasl_mechanism_to_string (mechanism));

  sasl_ir = mechanism == MAIL_SASL_MECHANISM_PLAIN
            && mail_imap_client_has_capability (self, "SASL-IR")
            && (self->options & MAIL_IMAP_CLIENT_OPTION_IGNORE_LITERAL_PLUS) == 0;
  if (sasl_ir)
    {
      char *initial = mail_sasl_plain_response (NULL, user, password, error);
      MailImapSegment *segment;

      if (initial == NULL)
        return FALSE;
      segment = &g_array_index (command->segments, MailImapSegment, 0);
      segment->secret = TRUE;
      segment->public_len = segment->data->len + 1;
      g_byte_array_append (segment->data, (const guint8 *) " ", 1);
      g_byte_array_append (segment->data, (const guint8 *) initial, strlen (initial));
      mail_sasl_clear_free (initial);
      step = 1;
    }

  self->want_continuation = TRUE;
  if (!mail_imap_client_submit (self, command, cancellable, error))
    {
      self->want_continuation = FALSE;
      return FALSE;
    }

  while (!command->done)
    {
      g_autoptr (MailImapResponse) challenge = NULL;
      g_autoptr (GByteArray) reply = NULL;
      char *answer = NULL;
      gboolean ok;

      if (self->continuation == NULL)
        {
          if (!process_one_sync (self, cancellable, NULL))
            break;
          continue;
        }

      challenge = g_steal_pointer (&self->continuation);

      if (mechanism == MAIL_SASL_MECHANISM_PLAIN && step == 0)
        answer = mail_sasl_plain_response (NULL, user, password, &local_error);
      else if (mechanism == MAIL_SASL_MECHANISM_LOGIN && step < 2)
        answer = mail_sasl_login_response (step, user, password, &local_error);
      step++;

      /* Sized once, so that no reallocation leaves a copy of the answer behind. */
      reply = g_byte_array_sized_new ((answer != NULL ? strlen (answer) : 1) + 2);
      if (answer != NULL)
        {
          g_byte_array_append (reply, (const guint8 *) answer, strlen (answer));
          mail_sasl_clear_free (answer);
        }
      else
        {
          /* Too many rounds: cancel the exchange. */
          g_clear_error (&local_error);
          g_byte_array_append (reply, (const guint8 *) "*", 1);
        }
      g_byte_array_append (reply, (const guint8 *) "\r\n", 2);

      ok = mail_connection_write_secret_sync (self->connection, reply->data, reply->len, 0,
                                              cancellable, &local_error);
      mail_secret_wipe (reply->data, reply->len);
      if (!ok)
        {
          self->want_continuation = FALSE;
          return fail_all_take (self, local_error, error);
        }
    }

  self->want_continuation = FALSE;
  g_clear_pointer (&self->continuation, mail_imap_response_unref);

  if (!mail_imap_command_check (command, &local_error))
    return auth_failed (self, local_error, error);

  return TRUE;
}

static gboolean
login_command_sync (MailImapClient  *self,
                    const char      *user,
                    const char      *password,
                    GCancellable    *cancellable,
                    GError         **error)
{
  g_autoptr (MailImapCommand) command = mail_imap_client_new_command (self, "LOGIN");
  GError *local_error = NULL;

  if (!mail_imap_command_add_string (command, user, error))
    return FALSE;
  mail_imap_command_add_secret (command, password);

  if (!mail_imap_client_run_sync (self, command, cancellable, &local_error))
    return auth_failed (self, local_error, error);

  return TRUE;
}

/**
 * mail_imap_client_login_sync:
 * @self: a connected #MailImapClient
 * @user: the user name
 * @password: the password
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Signs in with AUTHENTICATE PLAIN (with SASL-IR when offered) or LOGIN, else the LOGIN
 * command unless LOGINDISABLED. The password is sent only over an encrypted connection,
 * unless plaintext was allowed for the account. A refusal is %MAIL_IMAP_ERROR_AUTH_FAILED.
 * The capabilities are read again afterwards.
 *
 * Returns: %TRUE when signed in
 */
gboolean
mail_imap_client_login_sync (MailImapClient  *self,
                             const char      *user,
                             const char      *password,
                             GCancellable    *cancellable,
                             GError         **error)
{
  g_autoptr (GPtrArray) offered = g_ptr_array_new ();
  g_autoptr (GError) local_error = NULL;
  MailSaslMechanism mechanism;
  gboolean encrypted;
  gboolean ok;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if (!check_connected (self, error))
    return FALSE;

  if (self->state != MAIL_IMAP_CLIENT_NOT_AUTHENTICATED)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The client is already signed in."));
      return FALSE;
    }

  for (guint i = 0; self->capabilities != NULL && self->capabilities[i] != NULL; i++)
    if (g_ascii_strncasecmp (self->capabilities[i], "AUTH=", 5) == 0)
      g_ptr_array_add (offered, self->capabilities[i] + 5);
  g_ptr_array_add (offered, NULL);

  encrypted = mail_connection_is_encrypted (self->connection);
  mechanism = mail_sasl_choose_mechanism ((const char * const *) offered->pdata,
                                          MAIL_SASL_CREDENTIAL_PASSWORD, encrypted,
                                          self->allow_plaintext, &local_error);

  if (mechanism == MAIL_SASL_MECHANISM_NONE)
    {
      if (!g_error_matches (local_error, MAIL_NET_ERROR, MAIL_NET_ERROR_NO_MECHANISM))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (mail_imap_client_has_capability (self, "LOGINDISABLED"))
        {
          g_set_error_literal (error, MAIL_NET_ERROR, MAIL_NET_ERROR_NO_MECHANISM,
                               _("The server does not allow signing in with a password "
                                 "here."));
          return FALSE;
        }
      if (!encrypted && !self->allow_plaintext)
        {
          g_set_error_literal (error, MAIL_NET_ERROR, MAIL_NET_ERROR_PLAINTEXT_REFUSED,
                               _("The password would have been sent over an unencrypted "
                                 "connection, so it was not sent."));
          return FALSE;
        }
    }

  self->capabilities_fresh = FALSE;

  if (mechanism == MAIL_SASL_MECHANISM_NONE)
    ok = login_command_sync (self, user, password, cancellable, error);
  else
    ok = authenticate_sync (self, mechanism, user, password, cancellable, error);

  if (!ok)
    return FALSE;

  self->state = MAIL_IMAP_CLIENT_AUTHENTICATED;

  if (!self->capabilities_fresh)
    return mail_imap_client_capability_sync (self, cancellable, error);

  return TRUE;
}

/**
 * mail_imap_client_logout_sync:
 * @self: a #MailImapClient
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Says LOGOUT and closes the connection.
 *
 * Returns: %TRUE when the server confirmed
 */
gboolean
mail_imap_client_logout_sync (MailImapClient  *self,
                              GCancellable    *cancellable,
                              GError         **error)
{
  gboolean ok;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  ok = _mail_imap_client_simple_sync (self, "LOGOUT", cancellable, error);
  self->state = MAIL_IMAP_CLIENT_LOGGED_OUT;
  mail_imap_client_close (self);

  return ok;
}

/**
 * mail_imap_client_close:
 * @self: a #MailImapClient
 *
 * Closes the connection at once; commands in flight fail.
 */
void
mail_imap_client_close (MailImapClient *self)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED, _("The connection was closed."));
  if (self->in_flight != NULL)
    fail_all (self, error);
}

/* ---------------------------------------------------------------------------------- */
/* Commands                                                                            */

/**
 * mail_imap_client_capability_sync:
 * @self: a #MailImapClient
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Asks for the capabilities again; read them with mail_imap_client_get_capabilities().
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_capability_sync (MailImapClient  *self,
                                  GCancellable    *cancellable,
                                  GError         **error)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  if (!_mail_imap_client_simple_sync (self, "CAPABILITY", cancellable, error))
    return FALSE;

  if (self->capabilities == NULL)
    return protocol_error (self, error, _("The server did not list its capabilities."));

  return TRUE;
}

/**
 * mail_imap_client_noop_sync:
 * @self: a #MailImapClient
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success; updates arrive as signals
 */
gboolean
mail_imap_client_noop_sync (MailImapClient  *self,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  return _mail_imap_client_simple_sync (self, "NOOP", cancellable, error);
}

gboolean
_mail_imap_is_atom_text (const char *text)
{
  if (text == NULL || *text == '\0')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f || strchr ("(){%*\"\\]", *p) != NULL)
        return FALSE;
    }

  return TRUE;
}

gboolean
_mail_imap_check_atom (const char  *text,
                       GError     **error)
{
  if (_mail_imap_is_atom_text (text))
    return TRUE;

  g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSENDABLE,
               _("“%s” cannot be sent to the server as a name."), text != NULL ? text : "");

  return FALSE;
}

/**
 * mail_imap_client_enable_sync:
 * @self: a #MailImapClient
 * @extensions: (array zero-terminated=1): extensions, such as "CONDSTORE", "QRESYNC" or
 *   "UTF8=ACCEPT"
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Enables extensions; check which were with mail_imap_client_is_enabled(). UTF8=ACCEPT
 * switches mailbox names to UTF-8 in both directions.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_enable_sync (MailImapClient      *self,
                              const char * const  *extensions,
                              GCancellable        *cancellable,
                              GError             **error)
{
  g_autoptr (MailImapCommand) command = NULL;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (extensions != NULL && extensions[0] != NULL, FALSE);

  command = mail_imap_client_new_command (self, "ENABLE");
  for (guint i = 0; extensions[i] != NULL; i++)
    {
      if (!_mail_imap_check_atom (extensions[i], error))
        return FALSE;
      mail_imap_command_add_atom (command, extensions[i]);
    }

  return mail_imap_client_run_sync (self, command, cancellable, error);
}

void
_mail_imap_client_set_selected (MailImapClient *self,
                                const char     *mailbox)
{
  g_free (self->selected);
  self->selected = g_strdup (mailbox);
  if (mailbox != NULL)
    self->state = MAIL_IMAP_CLIENT_SELECTED;
  else if (self->state == MAIL_IMAP_CLIENT_SELECTED)
    self->state = MAIL_IMAP_CLIENT_AUTHENTICATED;
}

MailImapClientOptions
_mail_imap_client_get_options (MailImapClient *self)
{
  return self->options;
}

/**
 * mail_imap_client_compress_sync:
 * @self: a #MailImapClient with no command in flight
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Turns on COMPRESS=DEFLATE (RFC 4978) when the server offers it: both directions are
 * compressed from the server's OK on. Data following that OK in what was already read
 * cannot be told apart, and ends the connection.
 *
 * Returns: %TRUE when compression is on
 */
gboolean
mail_imap_client_compress_sync (MailImapClient  *self,
                                GCancellable    *cancellable,
                                GError         **error)
{
  g_autoptr (MailImapCommand) command = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  if (!mail_imap_client_has_capability (self, "COMPRESS=DEFLATE"))
    {
      g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSUPPORTED,
                           _("The server does not offer compression."));
      return FALSE;
    }

  if (self->in_flight->len > 0 && !mail_imap_client_wait_all_sync (self, cancellable, error))
    return FALSE;

  command = mail_imap_client_new_command (self, "COMPRESS DEFLATE");
  if (!mail_imap_client_run_sync (self, command, cancellable, error))
    return FALSE;

  if (mail_imap_parser_has_buffered_data (self->parser))
    return protocol_error (self, error, _("The server sent data before compression started."));

  if (!mail_connection_start_compression (self->connection, &local_error))
    return fail_all_take (self, local_error, error);

  return TRUE;
}

/* ---------------------------------------------------------------------------------- */
/* IDLE                                                                                */

static void
cancel_idle_cb (GCancellable *cancellable,
                gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static gboolean
idle_stopping (MailImapClient *self)
{
  gboolean stop;

  g_mutex_lock (&self->idle_mutex);
  stop = self->idle_stop;
  g_mutex_unlock (&self->idle_mutex);

  return stop;
}

/* Handles the responses already buffered, without reading. */
static gboolean
drain_buffered (MailImapClient  *self,
                GError         **error)
{
  for (;;)
    {
      g_autoptr (MailImapResponse) response = NULL;
      GError *local_error = NULL;

      switch (mail_imap_parser_next (self->parser, &response, &local_error))
        {
        case MAIL_IMAP_PARSE_RESPONSE:
          if (!dispatch (self, response, error))
            return FALSE;
          break;
        case MAIL_IMAP_PARSE_ERROR:
          return fail_all_take (self, local_error, error);
        case MAIL_IMAP_PARSE_NEED_MORE:
        default:
          return TRUE;
        }
    }
}

/**
 * mail_imap_client_idle_sync:
 * @self: a #MailImapClient with a mailbox selected and no command in flight
 * @cancellable: (nullable): a #GCancellable; cancelling it ends IDLE like
 *   mail_imap_client_idle_stop() but the call then fails with %G_IO_ERROR_CANCELLED
 * @error: return location for a #GError
 *
 * Waits in IDLE, emitting the updates that arrive as signals, until
 * mail_imap_client_idle_stop() is called (from any thread) or @cancellable is cancelled;
 * then ends it with DONE, leaving the connection usable. IDLE is renewed before servers
 * drop it (mail_imap_client_set_idle_restart()).
 *
 * Returns: %TRUE when stopped
 */
gboolean
mail_imap_client_idle_sync (MailImapClient  *self,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_autoptr (GCancellable) idle_cancellable = g_cancellable_new ();
  gulong handler = 0;
  gboolean stopped = FALSE;
  gboolean ok = TRUE;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  if (!check_connected (self, error))
    return FALSE;

  if (self->in_flight->len > 0 && !mail_imap_client_wait_all_sync (self, cancellable, error))
    return FALSE;

  if (!mail_imap_client_has_capability (self, "IDLE"))
    {
      g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSUPPORTED,
                           _("The server does not support IDLE."));
      return FALSE;
    }

  g_mutex_lock (&self->idle_mutex);
  g_set_object (&self->idle_cancellable, idle_cancellable);
  self->idle_stop = FALSE;
  g_mutex_unlock (&self->idle_mutex);

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_idle_cb),
                                     g_object_ref (idle_cancellable), g_object_unref);

  mail_connection_set_timeout (self->connection, MAIL_CONNECTION_PHASE_IDLE, self->idle_restart);

  while (ok && !stopped)
    {
      g_autoptr (MailImapCommand) command = mail_imap_client_new_command (self, "IDLE");
      gboolean restart = FALSE;

      self->want_continuation = TRUE;
      ok = mail_imap_client_submit (self, command, NULL, error);
      while (ok && !command->done && self->continuation == NULL)
        ok = process_one_sync (self, NULL, error);
      self->want_continuation = FALSE;
      g_clear_pointer (&self->continuation, mail_imap_response_unref);
      if (!ok)
        break;
      if (command->done)
        {
          ok = mail_imap_command_check (command, error);
          if (ok)
            ok = protocol_error (self, error, _("The server ended IDLE before it began."));
          break;
        }

      /* Once idling, IDLE lasts as long as it likes; the idle timeout watches it. */
      command->unlimited = TRUE;
      mail_connection_set_phase (self->connection, MAIL_CONNECTION_PHASE_IDLE);
      while (ok)
        {
          g_autoptr (GError) local_error = NULL;

          ok = drain_buffered (self, error);
          if (!ok || command->done)
            break;

          if (idle_stopping (self) || g_cancellable_is_cancelled (idle_cancellable))
            {
              stopped = TRUE;
              break;
            }

          if (mail_connection_wait_for_data_sync (self->connection, idle_cancellable,
                                                  &local_error))
            {
              ok = process_one_sync (self, NULL, error);
              continue;
            }

          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              stopped = TRUE;
              break;
            }
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
              && mail_connection_is_connected (self->connection))
            {
              restart = TRUE;
              break;
            }

          ok = fail_all_take (self, read_failure (self, g_steal_pointer (&local_error)), error);
        }
      mail_connection_set_phase (self->connection, MAIL_CONNECTION_PHASE_COMMAND);

      if (!ok)
        break;

      if (command->done)
        {
          /* The server ended IDLE on its own. */
          ok = mail_imap_command_check (command, error);
          if (!ok)
            break;
          continue;
        }

      {
        GError *local_error = NULL;

        if (!mail_connection_write_all_sync (self->connection, "DONE\r\n", 6,
                                             MAIL_CONNECTION_IO_NONE, NULL, &local_error))
          {
            ok = fail_all_take (self, local_error, error);
            break;
          }
      }
      /* After DONE the answer is due like any other. */
      command->unlimited = FALSE;
      command->last_write = g_get_monotonic_time ();
      ok = mail_imap_client_wait_sync (self, command, NULL, error);
      if (ok && restart)
        mail_protocol_log_add_info (mail_connection_get_log (self->connection),
                                    "renewing IDLE");
    }

  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);

  g_mutex_lock (&self->idle_mutex);
  g_clear_object (&self->idle_cancellable);
  g_mutex_unlock (&self->idle_mutex);

  if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  return ok;
}

/**
 * mail_imap_client_idle_stop:
 * @self: a #MailImapClient
 *
 * Ends the running mail_imap_client_idle_sync() (which sends DONE and returns %TRUE). May be
 * called from any thread; does nothing when no IDLE runs.
 */
void
mail_imap_client_idle_stop (MailImapClient *self)
{
  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  g_mutex_lock (&self->idle_mutex);
  self->idle_stop = TRUE;
  if (self->idle_cancellable != NULL)
    g_cancellable_cancel (self->idle_cancellable);
  g_mutex_unlock (&self->idle_mutex);
}

/* ---------------------------------------------------------------------------------- */
/* Async wrappers                                                                      */

static void
connect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;

  if (mail_imap_client_connect_sync (source_object, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * mail_imap_client_connect_async:
 * @self: a #MailImapClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_imap_client_connect_sync() on a worker thread, which owns the client until
 * it finishes.
 */
void
mail_imap_client_connect_async (MailImapClient      *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_imap_client_connect_async);
  g_task_run_in_thread (task, connect_thread);
}

/**
 * mail_imap_client_connect_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE when connected
 */
gboolean
mail_imap_client_connect_finish (MailImapClient  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mail_imap_client_connect_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  char *user;
  char *password;
} LoginData;

static void
login_data_free (gpointer data)
{
  LoginData *login = data;

  g_free (login->user);
  if (login->password != NULL)
    mail_secret_wipe (login->password, strlen (login->password));
  g_free (login->password);
  g_free (login);
}

static void
login_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  LoginData *login = task_data;
  GError *error = NULL;

  if (mail_imap_client_login_sync (source_object, login->user, login->password, cancellable,
                                   &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * mail_imap_client_login_async:
 * @self: a connected #MailImapClient
 * @user: the user name
 * @password: the password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_imap_client_login_sync() on a worker thread.
 */
void
mail_imap_client_login_async (MailImapClient      *self,
                              const char          *user,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  LoginData *login;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  login = g_new0 (LoginData, 1);
  login->user = g_strdup (user);
  login->password = g_strdup (password);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_imap_client_login_async);
  g_task_set_task_data (task, login, login_data_free);
  g_task_run_in_thread (task, login_thread);
}

/**
 * mail_imap_client_login_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE when signed in
 */
gboolean
mail_imap_client_login_finish (MailImapClient  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mail_imap_client_login_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;

  if (mail_imap_client_run_sync (source_object, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * mail_imap_client_run_async:
 * @self: a #MailImapClient
 * @command: a command, not yet submitted
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Runs mail_imap_client_run_sync() on a worker thread, which owns the client until it
 * finishes; read the command's results in @callback.
 */
void
mail_imap_client_run_async (MailImapClient      *self,
                            MailImapCommand     *command,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));
  g_return_if_fail (command != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_imap_client_run_async);
  g_task_set_task_data (task, mail_imap_command_ref (command),
                        (GDestroyNotify) mail_imap_command_unref);
  g_task_run_in_thread (task, run_thread);
}

/**
 * mail_imap_client_run_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the command ended with OK
 */
gboolean
mail_imap_client_run_finish (MailImapClient  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mail_imap_client_run_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
idle_thread_main (gpointer data)
{
  g_autoptr (GTask) task = data;
  GError *error = NULL;

  if (mail_imap_client_idle_sync (g_task_get_source_object (task),
                                  g_task_get_cancellable (task), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);

  return NULL;
}

/**
 * mail_imap_client_idle_async:
 * @self: a #MailImapClient with a mailbox selected
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when IDLE ended
 * @user_data: data for @callback
 *
 * Runs mail_imap_client_idle_sync() on a thread of its own (not GTask's shared pool,
 * which it would hold for as long as it idles); that thread owns the client, and emits
 * its signals, until IDLE ends. End it with mail_imap_client_idle_stop().
 */
void
mail_imap_client_idle_async (MailImapClient      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mail_imap_client_idle_async);
  g_thread_unref (g_thread_new ("mail-imap-idle", idle_thread_main, task));
}

/**
 * mail_imap_client_idle_finish:
 * @self: a #MailImapClient
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE when IDLE was stopped
 */
gboolean
mail_imap_client_idle_finish (MailImapClient  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mail_imap_client_idle_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
