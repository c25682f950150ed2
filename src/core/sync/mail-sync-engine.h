/* mail-sync-engine.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-account.h"

G_BEGIN_DECLS

/**
 * MailSyncFlags:
 * @MAIL_SYNC_DEFAULT: folders, headers and flags, and the bodies of the account's sync
 *   window (mail_account_get_sync_window_days())
 * @MAIL_SYNC_HEADERS_ONLY: folders, headers and flags; no bodies
 * @MAIL_SYNC_ALL_BODIES: also every body, whatever its date (an offline copy)
 *
 * What mail_sync_engine_sync_async() does.
 */
typedef enum /*< flags >*/
{
  MAIL_SYNC_DEFAULT      = 0,
  MAIL_SYNC_HEADERS_ONLY = 1 << 0,
  MAIL_SYNC_ALL_BODIES   = 1 << 1,
} MailSyncFlags;

/**
 * MailSyncProgress:
 * @folder: the folder being synced
 * @phase: "headers", "flags" or "bodies"
 * @done: how many of @total are done
 * @total: how many there are to do in this phase of this folder
 *
 * Where a sync is, as #MailSyncEngine::progress reports it.
 */
typedef struct
{
  char  *folder;
  char  *phase;
  guint  done;
  guint  total;
} MailSyncProgress;

#define MAIL_TYPE_SYNC_PROGRESS (mail_sync_progress_get_type ())

GType             mail_sync_progress_get_type (void) G_GNUC_CONST;
MailSyncProgress *mail_sync_progress_copy     (const MailSyncProgress *progress);
void              mail_sync_progress_free     (MailSyncProgress       *progress);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailSyncProgress, mail_sync_progress_free)

#define MAIL_TYPE_SYNC_ENGINE (mail_sync_engine_get_type ())

G_DECLARE_FINAL_TYPE (MailSyncEngine, mail_sync_engine, MAIL, SYNC_ENGINE, GObject)

MailSyncEngine *mail_sync_engine_new                (MailAccount          *account,
                                                     const char           *store_dir);
MailAccount    *mail_sync_engine_get_account        (MailSyncEngine       *self);
const char     *mail_sync_engine_get_store_dir      (MailSyncEngine       *self);
void            mail_sync_engine_start              (MailSyncEngine       *self);
void            mail_sync_engine_stop               (MailSyncEngine       *self);
void            mail_sync_engine_stop_async         (MailSyncEngine       *self,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
void            mail_sync_engine_stop_finish        (MailSyncEngine       *self,
                                                     GAsyncResult         *result);
gboolean        mail_sync_engine_is_running         (MailSyncEngine       *self);

void            mail_sync_engine_sync_async         (MailSyncEngine       *self,
                                                     const char           *folder,
                                                     MailSyncFlags         flags,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean        mail_sync_engine_sync_finish        (MailSyncEngine       *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

void            mail_sync_engine_fetch_body_async   (MailSyncEngine       *self,
                                                     gint64                message_id,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
char           *mail_sync_engine_fetch_body_finish  (MailSyncEngine       *self,
                                                     GAsyncResult         *result,
                                                     GError              **error) G_GNUC_WARN_UNUSED_RESULT;

void            mail_sync_engine_set_flags_async    (MailSyncEngine       *self,
                                                     const gint64         *ids,
                                                     guint                 n_ids,
                                                     const char * const   *add,
                                                     const char * const   *remove,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
void            mail_sync_engine_move_async         (MailSyncEngine       *self,
                                                     const gint64         *ids,
                                                     guint                 n_ids,
                                                     const char           *folder,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
void            mail_sync_engine_copy_async         (MailSyncEngine       *self,
                                                     const gint64         *ids,
                                                     guint                 n_ids,
                                                     const char           *folder,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
void            mail_sync_engine_delete_async       (MailSyncEngine       *self,
                                                     const gint64         *ids,
                                                     guint                 n_ids,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean        mail_sync_engine_action_finish      (MailSyncEngine       *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

void            mail_sync_engine_replay_async       (MailSyncEngine       *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean        mail_sync_engine_replay_finish      (MailSyncEngine       *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

void            mail_sync_engine_update_quota_async (MailSyncEngine       *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean        mail_sync_engine_update_quota_finish (MailSyncEngine      *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

G_END_DECLS
