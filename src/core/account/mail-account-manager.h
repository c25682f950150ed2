/* mail-account-manager.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-account.h"
#include "mail-account-secret.h"

G_BEGIN_DECLS

#define MAIL_TYPE_ACCOUNT_MANAGER (mail_account_manager_get_type ())

G_DECLARE_FINAL_TYPE (MailAccountManager, mail_account_manager, MAIL, ACCOUNT_MANAGER, GObject)

MailAccountManager *mail_account_manager_new               (void);

gboolean            mail_account_manager_get_loaded        (MailAccountManager  *self);
gboolean            mail_account_manager_load_sync         (MailAccountManager  *self,
                                                            GCancellable        *cancellable,
                                                            GError             **error);
void                mail_account_manager_load_async        (MailAccountManager  *self,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean            mail_account_manager_load_finish       (MailAccountManager  *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

MailAccount        *mail_account_manager_lookup            (MailAccountManager  *self,
                                                            const char          *id);
MailAccount        *mail_account_manager_lookup_by_address (MailAccountManager  *self,
                                                            const char          *address);
MailAccount        *mail_account_manager_find              (MailAccountManager  *self,
                                                            const char          *id_or_address);

MailAccount        *mail_account_manager_add_sync          (MailAccountManager  *self,
                                                            MailAccount         *account,
                                                            const char          *password,
                                                            const char          *outgoing_password,
                                                            GCancellable        *cancellable,
                                                            GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;
void                mail_account_manager_add_async         (MailAccountManager  *self,
                                                            MailAccount         *account,
                                                            const char          *password,
                                                            const char          *outgoing_password,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
MailAccount        *mail_account_manager_add_finish        (MailAccountManager  *self,
                                                            GAsyncResult        *result,
                                                            GError             **error)
    G_GNUC_WARN_UNUSED_RESULT;

gboolean            mail_account_manager_update_sync       (MailAccountManager  *self,
                                                            MailAccount         *account,
                                                            const char          *password,
                                                            const char          *outgoing_password,
                                                            GCancellable        *cancellable,
                                                            GError             **error);
void                mail_account_manager_update_async      (MailAccountManager  *self,
                                                            MailAccount         *account,
                                                            const char          *password,
                                                            const char          *outgoing_password,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean            mail_account_manager_update_finish     (MailAccountManager  *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

gboolean            mail_account_manager_remove_sync       (MailAccountManager  *self,
                                                            MailAccount         *account,
                                                            GCancellable        *cancellable,
                                                            GError             **error);
void                mail_account_manager_remove_async      (MailAccountManager  *self,
                                                            MailAccount         *account,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean            mail_account_manager_remove_finish     (MailAccountManager  *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

G_END_DECLS
