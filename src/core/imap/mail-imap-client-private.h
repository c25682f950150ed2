/* mail-imap-client-private.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-imap-client.h"
#include "mail-task.h"

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

  /* Where the bodies of its FETCH responses go (mail_imap_command_set_body_sink()), and
   * the first failure of that sink, which fails the command once it is done. */
  gboolean              has_sink;
  MailImapBodySink      sink;
  gpointer              sink_data;
  GError               *sink_error;

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

/* The client's state, shared by the files that make up the class: mail-imap-client.c (the
 * object), -engine.c, -log.c, -connect.c, -idle.c, -async.c and -commands.c. */
struct _MailImapClient
{
  GObject                parent_instance;

  /* Runs the _async calls' _sync functions, one at a time, in order. */
  MailTaskQueue         *queue;
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

  /* The bodies of the FETCH response being read that go to a command's sink
   * (mail-imap-client-sink.c), the one whose bytes arrive now, and the cancellable of the
   * read that feeds them. */
  GPtrArray             *bodies;
  gpointer               streaming_body;
  GCancellable          *read_cancellable;

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

/* mail-imap-client-commands.c */
gboolean              _mail_imap_is_atom_text       (const char             *text);
gboolean              _mail_imap_check_atom         (const char             *text,
                                                     GError                **error);

/* mail-imap-client.c */
void                  _mail_imap_client_emit_update  (MailImapClient        *self,
                                                      MailImapResponse      *response);
void                  _mail_imap_client_set_selected (MailImapClient        *self,
                                                      const char            *mailbox);
MailImapClientOptions _mail_imap_client_get_options  (MailImapClient        *self);

/* mail-imap-client-engine.c */
void               _mail_imap_client_set_capabilities   (MailImapClient      *self,
                                                         const char * const  *capabilities);
void               _mail_imap_client_restart_clock      (MailImapClient      *self);
void               _mail_imap_client_fail_all           (MailImapClient      *self,
                                                         const GError        *error);
gboolean           _mail_imap_client_fail_all_take      (MailImapClient      *self,
                                                         GError              *error,
                                                         GError             **out_error);
gboolean           _mail_imap_client_protocol_error     (MailImapClient      *self,
                                                         GError             **error,
                                                         const char          *message);
gboolean           _mail_imap_client_check_connected    (MailImapClient      *self,
                                                         GError             **error);
gboolean           _mail_imap_client_dispatch           (MailImapClient      *self,
                                                         MailImapResponse    *response,
                                                         GError             **error);
GError            *_mail_imap_client_read_failure       (MailImapClient      *self,
                                                         GError              *error);
MailImapResponse  *_mail_imap_client_read_response_sync (MailImapClient      *self,
                                                         GCancellable        *cancellable,
                                                         GError             **error);
gboolean           _mail_imap_client_has_unread_input   (MailImapClient      *self);
gboolean           _mail_imap_client_process_one_sync   (MailImapClient      *self,
                                                         GCancellable        *cancellable,
                                                         GError             **error);
gboolean           _mail_imap_client_simple_sync        (MailImapClient      *self,
                                                         const char          *verb,
                                                         GCancellable        *cancellable,
                                                         GError             **error);

/* mail-imap-client-sink.c */
void               _mail_imap_client_install_sink       (MailImapClient      *self);
void               _mail_imap_client_settle_bodies      (MailImapClient      *self,
                                                         const MailImapResponse *response);
void               _mail_imap_client_abort_bodies       (MailImapClient      *self);

/* mail-imap-client-log.c */
void _mail_imap_client_log_reset    (MailImapClient *self);
void _mail_imap_client_log_received (MailImapClient *self,
                                     const guint8   *data,
                                     gsize           len);

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
