/* mail-imap-client-engine.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The IMAP client's engine: commands are tagged and sent (several in flight, each up to its
 * next synchronizing literal), responses are read one whole at a time and dispatched to the
 * commands they answer or emitted as signals, each command is held to its deadline and
 * budget, and everything in flight fails when the stream is lost. The object itself is in
 * mail-imap-client.c; the protocol log of what the server sent, in mail-imap-client-log.c. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-imap-client-private.h"
#include "mail-secret-buffer.h"

void
_mail_imap_client_set_capabilities (MailImapClient     *self,
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
void
_mail_imap_client_restart_clock (MailImapClient *self)
{
  gint64 now = g_get_monotonic_time ();

  self->head_since = now;
  self->window_start = now;
  self->window_bytes = 0;
}

/* Ends everything: the stream can no longer be trusted. */
void
_mail_imap_client_fail_all (MailImapClient *self,
                            const GError   *error)
{
  g_autoptr (GPtrArray) pending = NULL;

  /* Bodies on their way to a sink are incomplete: their sinks discard them. */
  _mail_imap_client_abort_bodies (self);

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

gboolean
_mail_imap_client_fail_all_take (MailImapClient  *self,
                                 GError          *error,
                                 GError         **out_error)
{
  _mail_imap_client_fail_all (self, error);
  g_propagate_error (out_error, error);

  return FALSE;
}

gboolean
_mail_imap_client_protocol_error (MailImapClient  *self,
                                  GError         **error,
                                  const char      *message)
{
  mail_protocol_log_add_info (mail_connection_get_log (self->connection), "%s", message);

  return _mail_imap_client_fail_all_take (self,
                                          g_error_new_literal (MAIL_IMAP_ERROR,
                                                               MAIL_IMAP_ERROR_PROTOCOL,
                                                               message),
                                          error);
}

gboolean
_mail_imap_client_check_connected (MailImapClient  *self,
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
                return _mail_imap_client_fail_all_take (self, local_error, error);
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
                return _mail_imap_client_fail_all_take (self, local_error, error);
              g_byte_array_set_size (batch, 0);
            }
          else if (secret != NULL)
            {
              gboolean ok = mail_connection_write_secret_sync (self->connection, secret->data,
                                                               secret->len, public_len,
                                                               cancellable, &local_error);

              mail_secret_wipe (secret->data, secret->len);
              if (!ok)
                return _mail_imap_client_fail_all_take (self, local_error, error);
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
    return _mail_imap_client_fail_all_take (self, local_error, error);

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

  if (!_mail_imap_client_check_connected (self, error))
    return FALSE;

  command->submitted = TRUE;
  command->tag = g_strdup_printf ("a%u", ++self->next_tag);
  command->last_write = g_get_monotonic_time ();
  if (self->in_flight->len == 0)
    _mail_imap_client_restart_clock (self);
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

gboolean
_mail_imap_client_dispatch (MailImapClient    *self,
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
      return _mail_imap_client_protocol_error (self, error,
                                               _("The server asked for data no command had "
                                                 "announced."));
    }

  if (response->kind == MAIL_IMAP_RESPONSE_TAGGED)
    {
      MailImapCommand *command;
      guint index = 0;

      command = find_in_flight (self, response->tag, &index);
      if (command == NULL)
        return _mail_imap_client_protocol_error (self, error,
                                                 _("The server answered a command that was "
                                                   "never sent."));

      if (command->next_segment < command->segments->len)
        {
          /* It completed before it was sent completely: only a refusal makes sense. */
          if (response->status == MAIL_IMAP_STATUS_OK || command->next_segment == 0)
            return _mail_imap_client_protocol_error (self, error,
                                                     _("The server answered a command before "
                                                       "it was sent."));
          g_assert (g_queue_peek_head (&self->unsent) == command);
          mail_imap_command_unref (g_queue_pop_head (&self->unsent));
          self->head_waiting = FALSE;
        }

      if (response->code.kind == MAIL_IMAP_CODE_CAPABILITY && response->code.atoms != NULL
          && response->status == MAIL_IMAP_STATUS_OK)
        _mail_imap_client_set_capabilities (self, response->code.atoms);

      command = g_ptr_array_steal_index (self->in_flight, index);
      if (index == 0)
        _mail_imap_client_restart_clock (self);
      /* Before TLS the server's words stay in the protocol log
       * (_mail_imap_client_log_received()). */
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
          _mail_imap_client_set_capabilities (self, response->code.atoms);
        }
      break;

    case MAIL_IMAP_RESPONSE_CAPABILITY:
      _mail_imap_client_set_capabilities (self, response->capability);
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
   * anyone on the path could have written them. A FETCH or VANISHED a command took is
   * that command's. */
  if (is_mailbox_update (response->kind) && self->state == MAIL_IMAP_CLIENT_SELECTED
      && (claimed == NULL
          || (response->kind != MAIL_IMAP_RESPONSE_FETCH
              && response->kind != MAIL_IMAP_RESPONSE_VANISHED)))
    _mail_imap_client_emit_update (self, response);

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
          return _mail_imap_client_fail_all_take (self, local_error, error);
        }
    }

  return TRUE;
}

GError *
_mail_imap_client_read_failure (MailImapClient *self,
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
  else if (command != NULL && (command->func_kinds != 0 || command->has_sink))
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

/* Whether anything received was not returned as a response yet: in the parser, or still in
 * the connection's buffer, as the engine frames one response at a time. After the OK to
 * STARTTLS or COMPRESS there must be nothing. */
gboolean
_mail_imap_client_has_unread_input (MailImapClient *self)
{
  return mail_imap_parser_has_buffered_data (self->parser)
         || mail_line_reader_get_available (mail_connection_get_reader (self->connection)) > 0;
}

/* Reads one whole response; any failure closes the connection and fails every command. */
MailImapResponse *
_mail_imap_client_read_response_sync (MailImapClient  *self,
                                      GCancellable    *cancellable,
                                      GError         **error)
{
  MailLineReader *reader;

  if (!_mail_imap_client_check_connected (self, error))
    return NULL;

  reader = mail_connection_get_reader (self->connection);

  for (;;)
    {
      MailImapResponse *response = NULL;
      GError *local_error = NULL;
      const guint8 *data;
      gsize available;
      gsize used;

      switch (mail_imap_parser_next (self->parser, &response, &local_error))
        {
        case MAIL_IMAP_PARSE_RESPONSE:
          /* Its streamed bodies, if any, are complete now. */
          _mail_imap_client_settle_bodies (self, response);
          return response;

        case MAIL_IMAP_PARSE_ERROR:
          /* A framing error loses the stream; a malformed response might have been the
           * tagged one a command waits for. Either way the connection ends here. */
          mail_protocol_log_add_info (mail_connection_get_log (self->connection),
                                      "unreadable response: %s", local_error->message);
          _mail_imap_client_fail_all_take (self, local_error, error);
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
              _mail_imap_client_fail_all_take (self, local_error, error);
              return NULL;
            }
          if (!mail_connection_fill_sync (self->connection, cancellable, &local_error))
            {
              _mail_imap_client_fail_all_take (self,
                                               _mail_imap_client_read_failure (self, local_error),
                                               error);
              return NULL;
            }
        }

      /* One response at a time: the response after it is framed (and its bodies sent to
       * a sink or not) only once this one was dispatched. */
      data = mail_line_reader_peek (reader, &available);
      self->read_cancellable = cancellable;
      used = mail_imap_parser_feed_one (self->parser, data, available);
      self->read_cancellable = NULL;
      self->window_bytes += used;
      _mail_imap_client_log_received (self, data, used);
      if (!mail_line_reader_consume (reader, used, &local_error))
        {
          _mail_imap_client_fail_all_take (self, local_error, error);
          return NULL;
        }
    }
}

gboolean
_mail_imap_client_process_one_sync (MailImapClient  *self,
                                    GCancellable    *cancellable,
                                    GError         **error)
{
  g_autoptr (MailImapResponse) response = NULL;

  response = _mail_imap_client_read_response_sync (self, cancellable, error);
  if (response == NULL)
    return FALSE;

  if (!_mail_imap_client_dispatch (self, response, error))
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
      if (!_mail_imap_client_process_one_sync (self, cancellable, NULL))
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
      if (!_mail_imap_client_process_one_sync (self, cancellable, error))
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
