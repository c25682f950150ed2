/* mail-imap-command.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-imap-quote.h"
#include "mail-imap-response.h"

G_BEGIN_DECLS

#define MAIL_TYPE_IMAP_COMMAND (mail_imap_command_get_type ())

typedef struct _MailImapCommand MailImapCommand;

/**
 * MailImapResponseFunc:
 * @command: the command the response was delivered to
 * @response: an untagged response the command asked for
 * @user_data: the data given with the function
 *
 * Called on the client's owner thread for each untagged response a command collects,
 * while the response is read; the response may be kept with mail_imap_response_ref().
 */
typedef void (*MailImapResponseFunc) (MailImapCommand        *command,
                                      const MailImapResponse *response,
                                      gpointer                user_data);

/**
 * MailImapBodySink:
 * @open: called when the content of a message section begins to arrive, before any of its
 *   bytes, on the thread that owns the client. Returns the stream the bytes are written
 *   to, or %NULL with @error set, which fails the command with that error. @info->uid is
 *   0 when the server sends the UID after the content.
 * @commit: called once the FETCH response that carried the content was read whole and
 *   every byte was written to @stream, with @info->uid set and @fetch the parsed response
 *   (its section marked streamed). Closing @stream and making the content durable is its
 *   job; %FALSE with @error set fails the command, and the sink must then have discarded
 *   the content itself.
 * @abort: called instead of @commit when the content cannot be complete or trusted: a
 *   write to @stream failed, the connection was lost or the response was malformed. It
 *   must discard what was written; the content is never committed.
 *
 * Where a command writes message bodies as they are read from the socket, so that no
 * message sits whole in memory: see mail_imap_command_set_body_sink() and
 * mail_imap_client_uid_fetch_body_sync(). Each stream gets exactly one @commit or
 * @abort; the client only writes to it and drops its reference afterwards.
 */
typedef struct
{
  GOutputStream *(*open)   (const MailImapBodyInfo  *info,
                            gpointer                 user_data,
                            GError                 **error);
  gboolean       (*commit) (GOutputStream           *stream,
                            const MailImapBodyInfo  *info,
                            const MailImapFetch     *fetch,
                            gpointer                 user_data,
                            GError                 **error);
  void           (*abort)  (GOutputStream           *stream,
                            const MailImapBodyInfo  *info,
                            gpointer                 user_data);
} MailImapBodySink;

GType                   mail_imap_command_get_type          (void) G_GNUC_CONST;
MailImapCommand        *mail_imap_command_new               (const char            *verb,
                                                             MailImapQuoteFlags     flags);
MailImapCommand        *mail_imap_command_ref               (MailImapCommand       *self);
void                    mail_imap_command_unref             (MailImapCommand       *self);

void                    mail_imap_command_add_atom          (MailImapCommand       *self,
                                                             const char            *text);
void                    mail_imap_command_add_printf        (MailImapCommand       *self,
                                                             const char            *format,
                                                             ...) G_GNUC_PRINTF (2, 3);
gboolean                mail_imap_command_add_string        (MailImapCommand       *self,
                                                             const char            *str,
                                                             GError               **error);
gboolean                mail_imap_command_add_mailbox       (MailImapCommand       *self,
                                                             const char            *name,
                                                             GError               **error);
void                    mail_imap_command_add_literal       (MailImapCommand       *self,
                                                             GBytes                *data);
void                    mail_imap_command_add_secret        (MailImapCommand       *self,
                                                             const char            *secret);

void                    mail_imap_command_collect           (MailImapCommand       *self,
                                                             MailImapResponseKind   kind);
void                    mail_imap_command_set_response_func (MailImapCommand       *self,
                                                             MailImapResponseKind   kind,
                                                             MailImapResponseFunc   func,
                                                             gpointer               user_data);

void                    mail_imap_command_set_body_sink     (MailImapCommand       *self,
                                                             const MailImapBodySink *sink,
                                                             gpointer               user_data);

void                    mail_imap_command_set_deadline      (MailImapCommand       *self,
                                                             guint                  seconds);

const char             *mail_imap_command_get_verb          (MailImapCommand       *self);
const char             *mail_imap_command_get_tag           (MailImapCommand       *self);
gboolean                mail_imap_command_is_done           (MailImapCommand       *self);
const MailImapResponse *mail_imap_command_get_tagged        (MailImapCommand       *self);
GPtrArray              *mail_imap_command_get_responses     (MailImapCommand       *self);
gboolean                mail_imap_command_check             (MailImapCommand       *self,
                                                             GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailImapCommand, mail_imap_command_unref)

G_END_DECLS
