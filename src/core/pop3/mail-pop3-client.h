/* mail-pop3-client.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-connection.h"
#include "mail-pop3-error.h"
#include "mail-pop3-retrieved.h"

G_BEGIN_DECLS

/**
 * MAIL_POP3_DEFAULT_MAX_MESSAGE_SIZE:
 *
 * The largest message RETR or TOP accepts unless told otherwise: 128 MiB.
 */
#define MAIL_POP3_DEFAULT_MAX_MESSAGE_SIZE (128 * 1024 * 1024)

/**
 * MailPop3State:
 * @MAIL_POP3_STATE_DISCONNECTED: no connection
 * @MAIL_POP3_STATE_AUTHORIZATION: connected (and secured), not signed in
 * @MAIL_POP3_STATE_TRANSACTION: signed in: the mailbox can be read
 *
 * Where a session is (RFC 1939 §3). The UPDATE state lasts only as long as QUIT does.
 */
typedef enum
{
  MAIL_POP3_STATE_DISCONNECTED,
  MAIL_POP3_STATE_AUTHORIZATION,
  MAIL_POP3_STATE_TRANSACTION,
} MailPop3State;

/**
 * MailPop3Auth:
 * @MAIL_POP3_AUTH_AUTO: SASL PLAIN or LOGIN when the server lists them (CAPA SASL),
 *   otherwise USER/PASS
 * @MAIL_POP3_AUTH_USER: USER and PASS (RFC 1939)
 * @MAIL_POP3_AUTH_PLAIN: AUTH PLAIN with an initial response (RFC 5034, RFC 4616)
 * @MAIL_POP3_AUTH_LOGIN: AUTH LOGIN
 *
 * How mail_pop3_client_login_sync() signs in.
 */
typedef enum
{
  MAIL_POP3_AUTH_AUTO,
  MAIL_POP3_AUTH_USER,
  MAIL_POP3_AUTH_PLAIN,
  MAIL_POP3_AUTH_LOGIN,
} MailPop3Auth;

/**
 * MailPop3ListEntry:
 * @number: the message number in this session
 * @size: the size the server reports, in octets
 *
 * One line of a LIST reply.
 */
typedef struct
{
  guint   number;
  guint64 size;
} MailPop3ListEntry;

/**
 * MailPop3UidlEntry:
 * @number: the message number in this session
 * @uid: the message's unique-id, stable across sessions
 *
 * One line of a UIDL reply.
 */
typedef struct
{
  guint  number;
  char  *uid;
} MailPop3UidlEntry;

/**
 * MailPop3StoredFunc:
 * @uid: a message's unique-id
 * @user_data: the data given with the function
 *
 * Asked by mail_pop3_client_delete_by_uid_sync() before it deletes a message that was
 * not retrieved in this session. Answer from durable storage only (for example a row
 * committed with `synchronous=FULL` that records the unique-id together with the stored
 * message), never from a cache of what was merely downloaded.
 *
 * Returns: %TRUE only if the message with @uid is durably stored locally
 */
typedef gboolean (*MailPop3StoredFunc) (const char *uid,
                                        gpointer    user_data);

#define MAIL_TYPE_POP3_CLIENT (mail_pop3_client_get_type ())

G_DECLARE_FINAL_TYPE (MailPop3Client, mail_pop3_client, MAIL, POP3_CLIENT, GObject)

MailPop3Client      *mail_pop3_client_new                     (const char          *host,
                                                               guint16              port,
                                                               MailSecurity         security,
                                                               GTlsDatabase        *database);

MailConnection      *mail_pop3_client_get_connection          (MailPop3Client      *self);
void                 mail_pop3_client_set_allow_plaintext_password (MailPop3Client *self,
                                                               gboolean             allow);
void                 mail_pop3_client_set_auth                (MailPop3Client      *self,
                                                               MailPop3Auth         auth);
void                 mail_pop3_client_set_max_message_size    (MailPop3Client      *self,
                                                               guint64              max_size);
guint64              mail_pop3_client_get_max_message_size    (MailPop3Client      *self);

MailPop3State        mail_pop3_client_get_state               (MailPop3Client      *self);
char               **mail_pop3_client_dup_capabilities        (MailPop3Client      *self)
    G_GNUC_WARN_UNUSED_RESULT;
char               **mail_pop3_client_dup_auth_mechanisms     (MailPop3Client      *self)
    G_GNUC_WARN_UNUSED_RESULT;
gboolean             mail_pop3_client_has_capability          (MailPop3Client      *self,
                                                               const char          *name);

gboolean             mail_pop3_client_connect_sync            (MailPop3Client      *self,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
gboolean             mail_pop3_client_login_sync              (MailPop3Client      *self,
                                                               const char          *user,
                                                               const char          *password,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
gboolean             mail_pop3_client_stat_sync               (MailPop3Client      *self,
                                                               guint               *count,
                                                               guint64             *size,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
GArray              *mail_pop3_client_list_sync               (MailPop3Client      *self,
                                                               GCancellable        *cancellable,
                                                               GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;
GArray              *mail_pop3_client_uidl_sync               (MailPop3Client      *self,
                                                               GCancellable        *cancellable,
                                                               GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;
GBytes              *mail_pop3_client_top_sync                (MailPop3Client      *self,
                                                               guint                number,
                                                               guint                n_lines,
                                                               GCancellable        *cancellable,
                                                               GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;
MailPop3Retrieved   *mail_pop3_client_retrieve_sync           (MailPop3Client      *self,
                                                               guint                number,
                                                               GCancellable        *cancellable,
                                                               GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;
GPtrArray           *mail_pop3_client_retrieve_many_sync      (MailPop3Client      *self,
                                                               const guint         *numbers,
                                                               guint                n_numbers,
                                                               GCancellable        *cancellable,
                                                               GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;
gboolean             mail_pop3_client_delete_sync             (MailPop3Client      *self,
                                                               MailPop3Retrieved   *retrieved,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
gboolean             mail_pop3_client_delete_many_sync        (MailPop3Client      *self,
                                                               MailPop3Retrieved  **retrieved,
                                                               guint                n_retrieved,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
gboolean             mail_pop3_client_delete_by_uid_sync      (MailPop3Client      *self,
                                                               const char          *uid,
                                                               MailPop3StoredFunc   is_stored,
                                                               gpointer             user_data,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
gboolean             mail_pop3_client_reset_sync              (MailPop3Client      *self,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
gboolean             mail_pop3_client_noop_sync               (MailPop3Client      *self,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
gboolean             mail_pop3_client_quit_sync               (MailPop3Client      *self,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
void                 mail_pop3_client_disconnect              (MailPop3Client      *self);

void                 mail_pop3_client_connect_async           (MailPop3Client      *self,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean             mail_pop3_client_connect_finish          (MailPop3Client      *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);
void                 mail_pop3_client_login_async             (MailPop3Client      *self,
                                                               const char          *user,
                                                               const char          *password,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean             mail_pop3_client_login_finish            (MailPop3Client      *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);
void                 mail_pop3_client_stat_async              (MailPop3Client      *self,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean             mail_pop3_client_stat_finish             (MailPop3Client      *self,
                                                               GAsyncResult        *result,
                                                               guint               *count,
                                                               guint64             *size,
                                                               GError             **error);
void                 mail_pop3_client_list_async              (MailPop3Client      *self,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
GArray              *mail_pop3_client_list_finish             (MailPop3Client      *self,
                                                               GAsyncResult        *result,
                                                               GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;
void                 mail_pop3_client_uidl_async              (MailPop3Client      *self,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
GArray              *mail_pop3_client_uidl_finish             (MailPop3Client      *self,
                                                               GAsyncResult        *result,
                                                               GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;
void                 mail_pop3_client_top_async               (MailPop3Client      *self,
                                                               guint                number,
                                                               guint                n_lines,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
GBytes              *mail_pop3_client_top_finish              (MailPop3Client      *self,
                                                               GAsyncResult        *result,
                                                               GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;
void                 mail_pop3_client_retrieve_async          (MailPop3Client      *self,
                                                               guint                number,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
MailPop3Retrieved   *mail_pop3_client_retrieve_finish         (MailPop3Client      *self,
                                                               GAsyncResult        *result,
                                                               GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;
void                 mail_pop3_client_retrieve_many_async     (MailPop3Client      *self,
                                                               const guint         *numbers,
                                                               guint                n_numbers,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
GPtrArray           *mail_pop3_client_retrieve_many_finish    (MailPop3Client      *self,
                                                               GAsyncResult        *result,
                                                               GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;
void                 mail_pop3_client_delete_async            (MailPop3Client      *self,
                                                               MailPop3Retrieved   *retrieved,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean             mail_pop3_client_delete_finish           (MailPop3Client      *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);
void                 mail_pop3_client_delete_many_async       (MailPop3Client      *self,
                                                               MailPop3Retrieved  **retrieved,
                                                               guint                n_retrieved,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean             mail_pop3_client_delete_many_finish      (MailPop3Client      *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);
void                 mail_pop3_client_reset_async             (MailPop3Client      *self,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean             mail_pop3_client_reset_finish            (MailPop3Client      *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);
void                 mail_pop3_client_noop_async              (MailPop3Client      *self,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean             mail_pop3_client_noop_finish             (MailPop3Client      *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);
void                 mail_pop3_client_quit_async              (MailPop3Client      *self,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean             mail_pop3_client_quit_finish             (MailPop3Client      *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);

G_END_DECLS
