/* mail-store.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-store-error.h"
#include "mail-store-types.h"
#include "mail-message-summary.h"
#include "mail-folder-summary.h"

/* How the sync engine uses the store (its own thread; see mail-store.c for the threads):
 *
 * - Folder list: mail_store_upsert_folder() per LIST entry (role from
 *   mail_folder_role_from_special_use(), else mail_folder_role_guess()),
 *   mail_store_delete_folder() for those gone.
 * - Opening a folder: mail_store_get_folder_state(); a different UIDVALIDITY is
 *   mail_store_reset_folder() (local-only messages and queued actions stay), then a full
 *   fetch.
 * - Headers, newest first, in batches of a few hundred: parse each header
 *   (mail_mime_parse_headers(), or the ENVELOPE fields with mail_mime_decode_text(),
 *   mail_mime_parse_addresses(), mail_mime_parse_date() ...), then mail_store_begin(),
 *   mail_store_upsert_messages(), and with the last batch mail_store_set_folder_state(),
 *   mail_store_commit(). Each commit shows in the views.
 * - Resync: mail_store_update_flags() (CONDSTORE: what changed since HIGHESTMODSEQ),
 *   mail_store_expunge_uids() for EXPUNGE/VANISHED, or the difference between
 *   mail_store_list_uids() and a UID SEARCH.
 * - Bodies: a MailStoreBodyWriter per message fed by the IMAP client's literal sink,
 *   mail_store_body_writer_commit(), then mail_store_set_body() outside the batch
 *   transaction; mail_store_list_missing_bodies() says what to fetch next.
 * - A user action: mail_store_begin() with MAIL_STORE_DURABILITY_DURABLE, the local
 *   change (mail_store_change_flags(), _move_messages(), _copy_messages(),
 *   _delete_messages(), _rename_folder() ...) and mail_store_enqueue_action(), then
 *   mail_store_commit(). Replay: mail_store_list_actions(), then _complete_action() or
 *   _fail_action(); new UIDs from COPYUID/APPENDUID with mail_store_set_message_uid().
 * - Anything a server-side delete depends on (EXPUNGE, POP3 DELE, the outbox) is
 *   committed with MAIL_STORE_DURABILITY_DURABLE before the command is sent.
 * - Quota: mail_store_set_quota(). Idle time: mail_store_collect_garbage().
 */

G_BEGIN_DECLS

/**
 * MAIL_STORE_SCHEMA_VERSION:
 *
 * The database schema this build writes (`PRAGMA user_version`). A store with a higher
 * version is refused and left untouched.
 */
#define MAIL_STORE_SCHEMA_VERSION 1

#define MAIL_TYPE_STORE (mail_store_get_type ())

G_DECLARE_FINAL_TYPE (MailStore, mail_store, MAIL, STORE, GObject)

MailStore          *mail_store_open                 (const char                 *dir,
                                                     GError                    **error) G_GNUC_WARN_UNUSED_RESULT;
void                mail_store_open_async           (const char                 *dir,
                                                     GCancellable               *cancellable,
                                                     GAsyncReadyCallback         callback,
                                                     gpointer                    user_data);
MailStore          *mail_store_open_finish          (GAsyncResult               *result,
                                                     GError                    **error) G_GNUC_WARN_UNUSED_RESULT;
const char         *mail_store_get_dir              (MailStore                  *self);
void                mail_store_set_busy_timeout     (MailStore                  *self,
                                                     guint                       milliseconds);
gboolean            mail_store_check_integrity      (MailStore                  *self,
                                                     GError                    **error);

/* Writing: the account's sync engine, on its own thread (see mail-store.c). */
gboolean            mail_store_begin                (MailStore                  *self,
                                                     MailStoreDurability         durability,
                                                     GError                    **error);
gboolean            mail_store_commit               (MailStore                  *self,
                                                     GError                    **error);
void                mail_store_rollback             (MailStore                  *self);

gboolean            mail_store_upsert_folder        (MailStore                  *self,
                                                     const MailStoreFolderInfo  *info,
                                                     gint64                     *folder_id,
                                                     GError                    **error);
gboolean            mail_store_rename_folder        (MailStore                  *self,
                                                     gint64                      folder_id,
                                                     const char                 *name,
                                                     GError                    **error);
gboolean            mail_store_delete_folder        (MailStore                  *self,
                                                     gint64                      folder_id,
                                                     GError                    **error);
gboolean            mail_store_set_folder_state     (MailStore                  *self,
                                                     gint64                      folder_id,
                                                     const MailStoreFolderState *state,
                                                     GError                    **error);
gboolean            mail_store_reset_folder         (MailStore                  *self,
                                                     gint64                      folder_id,
                                                     guint32                     uidvalidity,
                                                     GError                    **error);

gboolean            mail_store_upsert_messages      (MailStore                  *self,
                                                     gint64                      folder_id,
                                                     const MailStoreMessageInfo *messages,
                                                     guint                       n_messages,
                                                     GArray                     *ids,
                                                     GError                    **error);
gboolean            mail_store_update_flags         (MailStore                  *self,
                                                     gint64                      folder_id,
                                                     const MailStoreFlagsUpdate *updates,
                                                     guint                       n_updates,
                                                     GError                    **error);
gboolean            mail_store_expunge_uids         (MailStore                  *self,
                                                     gint64                      folder_id,
                                                     const guint32              *uids,
                                                     guint                       n_uids,
                                                     GError                    **error);
gboolean            mail_store_change_flags         (MailStore                  *self,
                                                     const gint64               *ids,
                                                     guint                       n_ids,
                                                     guint32                     add,
                                                     guint32                     remove,
                                                     GError                    **error);
gboolean            mail_store_move_messages        (MailStore                  *self,
                                                     const gint64               *ids,
                                                     guint                       n_ids,
                                                     gint64                      folder_id,
                                                     GError                    **error);
gboolean            mail_store_copy_messages        (MailStore                  *self,
                                                     const gint64               *ids,
                                                     guint                       n_ids,
                                                     gint64                      folder_id,
                                                     GArray                     *new_ids,
                                                     GError                    **error);
gboolean            mail_store_delete_messages      (MailStore                  *self,
                                                     const gint64               *ids,
                                                     guint                       n_ids,
                                                     GError                    **error);
gboolean            mail_store_set_message_uid      (MailStore                  *self,
                                                     gint64                      id,
                                                     guint32                     uid,
                                                     GError                    **error);
gboolean            mail_store_set_body             (MailStore                  *self,
                                                     gint64                      id,
                                                     const char                 *file_name,
                                                     MailStoreBodyState          state,
                                                     const MailMimeSummary      *summary,
                                                     GError                    **error);
gboolean            mail_store_collect_garbage      (MailStore                  *self,
                                                     GError                    **error);

gint64              mail_store_enqueue_action       (MailStore                  *self,
                                                     MailStoreActionKind         kind,
                                                     const char                 *payload,
                                                     GError                    **error);
gboolean            mail_store_complete_action      (MailStore                  *self,
                                                     gint64                      id,
                                                     GError                    **error);
gboolean            mail_store_fail_action          (MailStore                  *self,
                                                     gint64                      id,
                                                     const char                 *message,
                                                     gboolean                    permanent,
                                                     GError                    **error);
gboolean            mail_store_set_quota            (MailStore                  *self,
                                                     const char                 *root,
                                                     const char                 *resource,
                                                     guint64                     used,
                                                     guint64                     limit,
                                                     GError                    **error);

/* Reading: any thread (small reads; bulk ones off the UI thread). */
GPtrArray          *mail_store_list_folders         (MailStore                  *self,
                                                     GError                    **error) G_GNUC_WARN_UNUSED_RESULT;
MailFolderSummary  *mail_store_get_folder           (MailStore                  *self,
                                                     gint64                      folder_id,
                                                     GError                    **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean            mail_store_lookup_folder        (MailStore                  *self,
                                                     const char                 *name,
                                                     gint64                     *folder_id,
                                                     GError                    **error);
gboolean            mail_store_get_folder_state     (MailStore                  *self,
                                                     gint64                      folder_id,
                                                     MailStoreFolderState       *state,
                                                     GError                    **error);
GArray             *mail_store_list_uids            (MailStore                  *self,
                                                     gint64                      folder_id,
                                                     GError                    **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean            mail_store_lookup_uid           (MailStore                  *self,
                                                     gint64                      folder_id,
                                                     guint32                     uid,
                                                     gint64                     *id,
                                                     GError                    **error);
GArray             *mail_store_lookup_message_id    (MailStore                  *self,
                                                     gint64                      folder_id,
                                                     const char                 *message_id,
                                                     GError                    **error) G_GNUC_WARN_UNUSED_RESULT;
MailMessageSummary *mail_store_get_message          (MailStore                  *self,
                                                     gint64                      id,
                                                     GError                    **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray          *mail_store_list_messages        (MailStore                  *self,
                                                     gint64                      folder_id,
                                                     guint                       offset,
                                                     guint                       limit,
                                                     GError                    **error) G_GNUC_WARN_UNUSED_RESULT;
GArray             *mail_store_list_missing_bodies  (MailStore                  *self,
                                                     gint64                      folder_id,
                                                     gint64                      since,
                                                     guint                       limit,
                                                     GError                    **error) G_GNUC_WARN_UNUSED_RESULT;
char               *mail_store_dup_body_path        (MailStore                  *self,
                                                     gint64                      id,
                                                     GError                    **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray          *mail_store_list_actions         (MailStore                  *self,
                                                     GError                    **error) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray          *mail_store_list_quota           (MailStore                  *self,
                                                     GError                    **error) G_GNUC_WARN_UNUSED_RESULT;

char               *mail_store_build_match          (const char                 *text) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray          *mail_store_search               (MailStore                  *self,
                                                     const char                 *text,
                                                     gint64                      folder_id,
                                                     guint                       limit,
                                                     GError                    **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
