/* mail-imap-client-sink.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Message bodies streamed to a command's sink (mail_imap_command_set_body_sink()) as they
 * come off the socket.
 *
 * The parser asks about each literal that is the content of a message section in a FETCH
 * response as soon as it is announced (mail_imap_parser_set_literal_funcs()). Since the
 * engine frames one response at a time, the commands in flight are then exactly those
 * the responses before it left, and the command that will receive this FETCH is known: the
 * first one in flight that wants FETCH responses. If it has a sink, a stream is opened and
 * the literal's bytes are written to it straight from the connection's buffer, in pieces
 * of its size; the parsed response only marks the section streamed.
 *
 * A body is committed when its whole FETCH response has been read and parsed, with the UID
 * the response carried (servers send items in any order, so the UID may come after the
 * body). Anything else aborts it: a failed write, a lost connection, a malformed response.
 * A sink's failure is remembered by its command, which fails with it once the server is
 * done answering; the rest of that literal is read and dropped, and the command's later
 * bodies are not opened, so the connection stays usable. */

#include "config.h"

#include <glib/gi18n.h>

#include "mail-imap-client-private.h"

/* One body of the response being read, on its way to a command's sink. */
typedef struct
{
  MailImapCommand  *command;
  MailImapBodyInfo  info;
  char             *section;
  /* NULL once aborted or committed, or when its bytes are being dropped. */
  GOutputStream    *stream;
  gboolean          complete;
} OpenBody;

static void
open_body_free (gpointer data)
{
  OpenBody *body = data;

  /* Committed or aborted before: the sink had its one call. */
  g_assert (body->stream == NULL);
  mail_imap_command_unref (body->command);
  g_free (body->section);
  g_free (body);
}

static void
fail_sink (MailImapCommand *command,
           GError          *error)
{
  if (command->sink_error == NULL)
    command->sink_error = error;
  else
    g_error_free (error);
}

static void
abort_body (OpenBody *body)
{
  g_autoptr (GOutputStream) stream = g_steal_pointer (&body->stream);

  if (stream != NULL)
    body->command->sink.abort (stream, &body->info, body->command->sink_data);
}

/* The command the FETCH response being framed will go to: the first in flight that wants
 * FETCH responses (as _mail_imap_client_dispatch() decides). */
static MailImapCommand *
fetch_recipient (MailImapClient *self)
{
  for (guint i = 0; i < self->in_flight->len; i++)
    {
      MailImapCommand *command = g_ptr_array_index (self->in_flight, i);

      if (_mail_imap_command_wants (command, MAIL_IMAP_RESPONSE_FETCH))
        return command;
    }

  return NULL;
}

static MailImapLiteralAction
literal_begin_cb (const MailImapBodyInfo  *info,
                  gpointer                 user_data,
                  GError                 **error)
{
  MailImapClient *self = user_data;
  MailImapCommand *command = fetch_recipient (self);
  OpenBody *body;

  if (command == NULL || !command->has_sink)
    return MAIL_IMAP_LITERAL_KEEP;

  if (info->size > self->limits.max_streamed_literal)
    {
      g_autofree char *limit = g_format_size_full (self->limits.max_streamed_literal,
                                                   G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT_EXCEEDED,
                   _("The server announced a message larger than %s; the connection was "
                     "closed."),
                   limit);
      return MAIL_IMAP_LITERAL_REFUSE;
    }

  body = g_new0 (OpenBody, 1);
  body->command = mail_imap_command_ref (command);
  body->section = g_strdup (info->section);
  body->info = *info;
  body->info.section = body->section;
  g_ptr_array_add (self->bodies, body);
  self->streaming_body = body;

  /* After a failure of the sink, the command's bodies are read and dropped. */
  if (command->sink_error == NULL)
    {
      GError *local_error = NULL;

      body->stream = command->sink.open (&body->info, command->sink_data, &local_error);
      if (body->stream == NULL)
        fail_sink (command, local_error != NULL
                              ? local_error
                              : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                     _("A message could not be stored.")));
    }

  return MAIL_IMAP_LITERAL_STREAM;
}

static void
literal_data_cb (const guint8 *data,
                 gsize         len,
                 gpointer      user_data)
{
  MailImapClient *self = user_data;
  OpenBody *body = self->streaming_body;
  GError *local_error = NULL;

  if (body->stream == NULL)
    return;

  if (!g_output_stream_write_all (body->stream, data, len, NULL, self->read_cancellable,
                                  &local_error))
    {
      fail_sink (body->command, local_error);
      abort_body (body);
    }
}

static void
literal_end_cb (gpointer user_data)
{
  MailImapClient *self = user_data;
  OpenBody *body = self->streaming_body;

  body->complete = TRUE;
  self->streaming_body = NULL;
}

static const MailImapLiteralFuncs literal_funcs = {
  literal_begin_cb,
  literal_data_cb,
  literal_end_cb,
};

/* Lets the client's parser stream bodies; called whenever a new parser is made. */
void
_mail_imap_client_install_sink (MailImapClient *self)
{
  if (self->bodies == NULL)
    self->bodies = g_ptr_array_new_with_free_func (open_body_free);
  mail_imap_parser_set_literal_funcs (self->parser, &literal_funcs, self);
}

static void
commit_body (OpenBody            *body,
             const MailImapFetch *fetch)
{
  g_autoptr (GOutputStream) stream = NULL;
  MailImapCommand *command = body->command;
  GError *local_error = NULL;

  if (command->sink_error != NULL)
    {
      abort_body (body);
      return;
    }

  if (fetch->uid == 0)
    {
      fail_sink (command, g_error_new_literal (MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL,
                                               _("The server sent a message without its "
                                                 "UID.")));
      abort_body (body);
      return;
    }

  body->info.uid = fetch->uid;
  stream = g_steal_pointer (&body->stream);
  if (!command->sink.commit (stream, &body->info, fetch, command->sink_data, &local_error))
    fail_sink (command, local_error != NULL
                          ? local_error
                          : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                 _("A message could not be stored.")));
}

/* @response was read whole: its bodies are committed if it is the FETCH that carried
 * them, and aborted otherwise. */
void
_mail_imap_client_settle_bodies (MailImapClient         *self,
                                 const MailImapResponse *response)
{
  g_autoptr (GPtrArray) bodies = NULL;

  if (self->bodies == NULL || self->bodies->len == 0)
    return;

  bodies = g_steal_pointer (&self->bodies);
  self->bodies = g_ptr_array_new_with_free_func (open_body_free);
  self->streaming_body = NULL;

  for (guint i = 0; i < bodies->len; i++)
    {
      OpenBody *body = g_ptr_array_index (bodies, i);

      if (body->stream == NULL)
        continue;
      if (response->kind == MAIL_IMAP_RESPONSE_FETCH && body->complete)
        commit_body (body, &response->fetch);
      else
        abort_body (body);
    }
}

/* The stream was lost: nothing of the response being read can be trusted. */
void
_mail_imap_client_abort_bodies (MailImapClient *self)
{
  g_autoptr (GPtrArray) bodies = NULL;

  if (self->bodies == NULL || self->bodies->len == 0)
    return;

  bodies = g_steal_pointer (&self->bodies);
  self->bodies = g_ptr_array_new_with_free_func (open_body_free);
  self->streaming_body = NULL;

  for (guint i = 0; i < bodies->len; i++)
    abort_body (g_ptr_array_index (bodies, i));
}
