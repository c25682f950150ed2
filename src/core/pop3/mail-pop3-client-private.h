/* mail-pop3-client-private.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The insides of MailPop3Client, shared by the files it is cut into:
 *
 *  - mail-pop3-client.c: the object, the connection, the command and reply engine, CAPA;
 *  - mail-pop3-client-auth.c: signing in;
 *  - mail-pop3-client-mailbox.c: STAT, LIST, UIDL, TOP and RETR;
 *  - mail-pop3-client-delete.c: DELE, RSET and the QUIT that commits deletions;
 *  - mail-pop3-client-async.c: the _async/_finish pairs, through the public API and the
 *    client's queue only.
 *
 * Nothing here is for use outside src/core/pop3.
 */

#pragma once

#include "mail-pop3-client.h"
#include "mail-pop3-reply.h"
#include "mail-pop3-retrieved.h"
#include "mail-task.h"

G_BEGIN_DECLS

#define STATUS_LINE_MAX    (8 * 1024)
#define LISTING_MAX_BYTES  ((guint64) 64 * 1024 * 1024)
/* A unique-id the server lists more than once. */
#define DUPLICATE_UID      G_MAXUINT

struct _MailPop3Client
{
  GObject          parent_instance;

  /* Runs the _async calls' _sync twins, one at a time, in order (no lock: one thread
   * owns the client at a time, see mail-pop3-client.c). */
  MailTaskQueue   *queue;
  MailConnection  *connection;
  gboolean         allow_plaintext_password;
  MailPop3Auth     auth;
  guint64          max_message_size;

  /* Only for the getters, which other threads may call while the owner runs an
   * operation: guards what they read, not the protocol. */
  GMutex           state_mutex;
  MailPop3State    state;
  char           **capabilities;
  char           **auth_mechanisms;
  gboolean         capa_supported;

  guint64          session;
  /* From this session's last UIDL: number → unique-id, unique-id → number. */
  GHashTable      *uid_by_number;
  GHashTable      *number_by_uid;
};

typedef gboolean (*MailPop3ClientLineFunc) (MailPop3Client  *self,
                                            const char      *data,
                                            gsize            length,
                                            gpointer         user_data,
                                            GError         **error);

/* State. */
void        _mail_pop3_client_forget_uids          (MailPop3Client          *self);
void        _mail_pop3_client_set_state            (MailPop3Client          *self,
                                                    MailPop3State            state);
void        _mail_pop3_client_connection_lost      (MailPop3Client          *self);
void        _mail_pop3_client_abort_session        (MailPop3Client          *self);
const char *_mail_pop3_client_server_name          (MailPop3Client          *self);
gboolean    _mail_pop3_client_require_state        (MailPop3Client          *self,
                                                    MailPop3State            wanted,
                                                    GError                 **error);

/* Errors. */
void        _mail_pop3_client_set_reply_error      (MailPop3Client          *self,
                                                    const MailPop3Reply     *reply,
                                                    MailPop3Error            fallback,
                                                    const char              *fallback_message,
                                                    GError                 **error);
void        _mail_pop3_client_hide_untrusted_words (MailPop3Client          *self,
                                                    GError                 **error);

/* Reading and writing, and pipelining. */
gboolean    _mail_pop3_client_send_line            (MailPop3Client          *self,
                                                    const char              *line,
                                                    GCancellable            *cancellable,
                                                    GError                 **error);
gboolean    _mail_pop3_client_read_reply           (MailPop3Client          *self,
                                                    gboolean                 allow_continuation,
                                                    MailPop3Reply           *reply,
                                                    GCancellable            *cancellable,
                                                    GError                 **error);
gboolean    _mail_pop3_client_simple_command       (MailPop3Client          *self,
                                                    const char              *command,
                                                    MailPop3Error            fallback,
                                                    const char              *what,
                                                    MailPop3Reply           *reply,
                                                    GCancellable            *cancellable,
                                                    GError                 **error);
gboolean    _mail_pop3_client_read_multiline       (MailPop3Client          *self,
                                                    MailConnectionIOFlags    flags,
                                                    gsize                    max_line,
                                                    guint64                  max_bytes,
                                                    MailPop3Error            too_large_code,
                                                    const char              *too_large_message,
                                                    MailPop3ClientLineFunc   func,
                                                    gpointer                 user_data,
                                                    GCancellable            *cancellable,
                                                    GError                 **error);
gboolean    _mail_pop3_client_fill_window          (MailPop3Client          *self,
                                                    const char              *verb,
                                                    const guint             *numbers,
                                                    guint                    n_numbers,
                                                    guint                   *sent,
                                                    guint                    received,
                                                    gboolean                 pipelining,
                                                    GCancellable            *cancellable,
                                                    GError                 **error);

/* Capabilities. */
gboolean    _mail_pop3_client_read_capabilities    (MailPop3Client          *self,
                                                    GCancellable            *cancellable,
                                                    GError                 **error);
gboolean    _mail_pop3_client_can_pipeline         (MailPop3Client          *self);

/* Reading the mailbox. */
GArray     *_mail_pop3_client_uidl                 (MailPop3Client          *self,
                                                    GCancellable            *cancellable,
                                                    GError                 **error);

MailPop3Retrieved *_mail_pop3_retrieved_new         (guint64            session,
                                                     guint              number,
                                                     const char        *uid,
                                                     GBytes            *bytes);
guint64            _mail_pop3_retrieved_get_session (MailPop3Retrieved *self);

G_END_DECLS
