/* mail-imap-client-private.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-imap-client.h"

G_BEGIN_DECLS

/* One piece of a command on the wire. A command is sent piece by piece: after a piece
 * that ends in a synchronizing literal announcement ("{n}\r\n") the client waits for the
 * server's "+" before the next piece. A secret piece is written with
 * mail_connection_write_secret_sync(), showing only its first public_len bytes in the log;
 * a body piece (message data) is logged by its size only. */
typedef struct
{
  GByteArray *data;
  gboolean    wait_continuation;
  gboolean    secret;
  gboolean    body;
  gsize       public_len;
} MailImapSegment;

struct _MailImapCommand
{
  gatomicrefcount       ref_count;

  char                 *verb;
  char                 *tag;
  MailImapQuoteFlags    flags;

  /* Pieces; the first goes after the tag, the last gets the final CRLF when sent. */
  GArray               *segments;
  guint                 next_segment;
  gboolean              need_space;

  /* What the command wants of the untagged responses (bit per MailImapResponseKind). */
  guint32               collect_kinds;
  guint32               func_kinds;
  MailImapResponseFunc  func;
  gpointer              func_data;
  GPtrArray            *responses;

  /* What the command kept so far, against the client's budget. */
  guint                 n_kept;
  guint64               kept_size;

  /* Time limits: a deadline set for this command (deadline_set), none at all (unlimited:
   * IDLE may wait as long as it likes), and when a piece of it last went out. */
  gboolean              deadline_set;
  guint                 deadline;
  gboolean              unlimited;
  gint64                last_write;

  MailImapResponse     *tagged;
  /* The tagged response came over a connection that was not encrypted: its text could
   * have been written by anyone on the path, so it is not shown. */
  gboolean              untrusted_text;
  GError               *error;
  gboolean              submitted;
  gboolean              done;
};

gboolean              _mail_imap_is_atom_text       (const char             *text);
gboolean              _mail_imap_check_atom         (const char             *text,
                                                     GError                **error);
gboolean              _mail_imap_client_simple_sync (MailImapClient         *self,
                                                     const char             *verb,
                                                     GCancellable           *cancellable,
                                                     GError                **error);
void                  _mail_imap_client_set_selected (MailImapClient        *self,
                                                     const char             *mailbox);
MailImapClientOptions _mail_imap_client_get_options (MailImapClient         *self);

gboolean _mail_imap_command_wants        (MailImapCommand        *self,
                                          MailImapResponseKind    kind);
gboolean _mail_imap_command_deliver      (MailImapCommand        *self,
                                          const MailImapResponse *response,
                                          guint                   max_responses,
                                          guint64                 max_size,
                                          GError                **error);
void     _mail_imap_command_finish       (MailImapCommand        *self,
                                          MailImapResponse       *tagged,
                                          const GError           *error);

G_END_DECLS
