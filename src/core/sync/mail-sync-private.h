/* mail-sync-private.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-imap-client.h"
#include "mail-store.h"
#include "mail-store-body-writer.h"
#include "mail-sync-engine.h"

G_BEGIN_DECLS

typedef enum
{
  MAIL_SYNC_JOB_SYNC,
  MAIL_SYNC_JOB_FETCH_BODY,
  MAIL_SYNC_JOB_ACTION,
  MAIL_SYNC_JOB_REPLAY,
  MAIL_SYNC_JOB_QUOTA,
} MailSyncJobKind;

typedef struct _MailSyncJob MailSyncJob;

/* A request on the engine's queue. @run runs on the engine thread; @matches says whether
 * a new request is already covered by this queued one, which then answers both (%NULL: a
 * job that is never merged, such as a user's action). */
struct _MailSyncJob
{
  MailSyncJobKind   kind;
  char             *folder;     /* SYNC: one folder, or NULL for all */
  MailSyncFlags     flags;      /* SYNC */
  gint64            message_id; /* FETCH_BODY */
  gpointer          data;       /* ACTION: the request (mail-sync-actions.c) */
  GDestroyNotify    data_free;
  GPtrArray        *tasks;      /* the GTasks waiting for this job */
  gpointer        (*run)     (MailSyncEngine     *engine,
                              MailSyncJob        *job,
                              GCancellable       *cancellable,
                              GError            **error);
  gboolean        (*matches) (const MailSyncJob  *queued,
                              const MailSyncJob  *request);
};

struct _MailSyncEngine
{
  GObject        parent_instance;

  MailAccount   *account;
  char          *store_dir;
  GMainContext  *owner_context;  /* where signals are emitted and tasks return */

  /* The queue, shared with the engine thread. */
  GMutex         lock;
  GCond          cond;
  GQueue         jobs;
  gboolean       quit;
  GThread       *thread;
  GCancellable  *cancellable;

  /* Engine thread only. */
  MailStore      *store;
  MailImapClient *client;
  GHashTable     *status;        /* folder name -> MailImapStatusData copy (LIST-STATUS) */
  gboolean        qresync;
  gboolean        condstore;
  guint           n_selects;     /* per sync, for the debug summary the tests read */
  guint           n_fetches;
};

void      _mail_sync_engine_emit_progress (MailSyncEngine  *self,
                                           const char      *folder,
                                           const char      *phase,
                                           guint            done,
                                           guint            total);

void      _mail_sync_engine_queue_job     (MailSyncEngine  *self,
                                           MailSyncJob     *request,
                                           GTask           *task);
void      _mail_sync_engine_job_free      (MailSyncJob     *job);

/* mail-sync-imap.c, on the engine thread. */
gboolean  _mail_sync_imap_ensure_store    (MailSyncEngine  *self,
                                           GError         **error);
gboolean  _mail_sync_imap_run             (MailSyncEngine  *self,
                                           const char      *folder,
                                           MailSyncFlags    flags,
                                           GCancellable    *cancellable,
                                           GError         **error);
char     *_mail_sync_imap_fetch_body      (MailSyncEngine  *self,
                                           gint64           message_id,
                                           GCancellable    *cancellable,
                                           GError         **error);
void      _mail_sync_imap_disconnect      (MailSyncEngine  *self);
gboolean  _mail_sync_imap_ensure_connected (MailSyncEngine *self,
                                           GCancellable    *cancellable,
                                           GError         **error);

/* mail-sync-actions.c, on the engine thread. */
gboolean  _mail_sync_actions_replay       (MailSyncEngine  *self,
                                           GCancellable    *cancellable,
                                           GError         **error);
gboolean  _mail_sync_actions_quota        (MailSyncEngine  *self,
                                           GCancellable    *cancellable,
                                           GError         **error);

/* mail-sync-body-stream.c: a GOutputStream over a store body writer. */
GOutputStream       *_mail_sync_body_stream_new        (MailStoreBodyWriter *writer);
MailStoreBodyWriter *_mail_sync_body_stream_get_writer (GOutputStream       *stream);

G_END_DECLS
