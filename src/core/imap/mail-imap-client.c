/* mail-imap-client.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The IMAP client: one connection, its state, and many commands in flight at once.
 *
 * The class is cut into files that share its instance struct through
 * mail-imap-client-private.h. This one holds the object: its life, signals, accessors and
 * limits. Sending commands and dispatching what the server answers (Pipelining, Failures and
 * Limits below) is in mail-imap-client-engine.c, and the protocol log of what the server
 * sent in mail-imap-client-log.c; connecting and signing in (Security below) is in
 * mail-imap-client-connect.c; IDLE in mail-imap-client-idle.c; the _async wrappers in
 * mail-imap-client-async.c; the commands, from CAPABILITY to APPEND, in
 * mail-imap-client-commands.c; and message bodies streamed from the socket to a command's
 * sink in mail-imap-client-sink.c.
 *
 * Threads. One thread owns a client: the one calling its _sync functions (the _async
 * wrappers run them on the client's MailTaskQueue, one at a time in the order they were
 * called, whose thread then owns the client until each finishes; whoever calls _sync
 * functions directly must not have an _async call in flight at the same time).
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
 * take) and a deadline; a command that streams its responses to a function, or its bodies
 * to a sink, keeps nothing and has no deadline, but must receive a minimum of bytes per
 * window instead. Both clocks
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

#include "mail-imap-client-private.h"

#define DEFAULT_IDLE_RESTART (25 * 60)

/* See mail_imap_client_limits_init() for why. */
#define DEFAULT_MAX_RESPONSES      2000000
#define DEFAULT_MAX_COLLECTED_SIZE (G_GUINT64_CONSTANT (1024) * 1024 * 1024)
#define DEFAULT_COMMAND_DEADLINE   (5 * 60)
#define DEFAULT_PROGRESS_WINDOW    120
#define DEFAULT_MIN_PROGRESS       1024
#define DEFAULT_MAX_STREAMED       (G_GUINT64_CONSTANT (2) * 1024 * 1024 * 1024)

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
  if (error->code == MAIL_IMAP_ERROR_TEMPORARY)
    return MAIL_ERROR_CATEGORY_TEMPORARY;

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
  _mail_imap_client_abort_bodies (self);
  g_clear_pointer (&self->bodies, g_ptr_array_unref);
  g_clear_pointer (&self->parser, mail_imap_parser_free);
  g_clear_pointer (&self->capabilities, g_strfreev);
  g_clear_pointer (&self->enabled, g_ptr_array_unref);
  g_clear_pointer (&self->selected, g_free);
  g_clear_pointer (&self->in_flight, g_ptr_array_unref);
  g_clear_pointer (&self->continuation, mail_imap_response_unref);
  g_clear_pointer (&self->bye_text, g_free);
  g_string_free (self->log_line, TRUE);
  g_mutex_clear (&self->idle_mutex);
  g_clear_pointer (&self->queue, mail_task_queue_free);

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
  self->queue = mail_task_queue_new ();
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
 * - 2 GiB for one message streamed to a body sink: forty times the largest message the
 *   big providers accept, and a size that still fits any file system and a 32-bit offset
 *   in what stores it. Streaming costs no memory, so this only stops a server that claims
 *   absurd sizes.
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
  limits->max_streamed_literal = DEFAULT_MAX_STREAMED;
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

/* Emits a mailbox update (mail-imap-client-engine.c decides which responses are) as its
 * signal. */
void
_mail_imap_client_emit_update (MailImapClient   *self,
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
