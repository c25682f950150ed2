/* mail-task.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GTask *mail_task_new (gpointer             source_object,
                      gpointer             source_tag,
                      const char          *name,
                      int                  io_priority,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data) G_GNUC_WARN_UNUSED_RESULT;

void     mail_task_return_boolean    (GTask           *task,
                                      gboolean         ok,
                                      GError          *error);
void     mail_task_return_pointer    (GTask           *task,
                                      gpointer         pointer,
                                      GDestroyNotify   destroy,
                                      GError          *error);
gboolean mail_task_propagate_boolean (gpointer         source_object,
                                      GAsyncResult    *result,
                                      gpointer         source_tag,
                                      GError         **error);
gpointer mail_task_propagate_pointer (gpointer         source_object,
                                      GAsyncResult    *result,
                                      gpointer         source_tag,
                                      GError         **error);

typedef struct _MailTaskQueue MailTaskQueue;

MailTaskQueue *mail_task_queue_new  (void) G_GNUC_WARN_UNUSED_RESULT;
void           mail_task_queue_run  (MailTaskQueue   *self,
                                     GTask           *task,
                                     GTaskThreadFunc  func);
void           mail_task_queue_free (MailTaskQueue   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailTaskQueue, mail_task_queue_free)

G_END_DECLS
