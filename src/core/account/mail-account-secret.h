/* mail-account-secret.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-account.h"

G_BEGIN_DECLS

/**
 * MAIL_ACCOUNT_SECRET_SCHEMA_NAME:
 *
 * The libsecret schema of every password Mail keeps. Its attributes are `account` (the
 * account's identifier), `protocol` ("imap", "pop3" or "smtp"), `host` and `user`: they
 * identify the account and the server, never the secret.
 */
#define MAIL_ACCOUNT_SECRET_SCHEMA_NAME "org.example.Mail.Account"

gboolean mail_account_store_password_sync    (MailAccount           *account,
                                              MailAccountDirection   direction,
                                              const char            *password,
                                              GCancellable          *cancellable,
                                              GError               **error);
void     mail_account_store_password_async   (MailAccount           *account,
                                              MailAccountDirection   direction,
                                              const char            *password,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
gboolean mail_account_store_password_finish  (MailAccount           *account,
                                              GAsyncResult          *result,
                                              GError               **error);

char    *mail_account_lookup_password_sync   (MailAccount           *account,
                                              MailAccountDirection   direction,
                                              GCancellable          *cancellable,
                                              GError               **error)
    G_GNUC_WARN_UNUSED_RESULT;
void     mail_account_lookup_password_async  (MailAccount           *account,
                                              MailAccountDirection   direction,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
char    *mail_account_lookup_password_finish (MailAccount           *account,
                                              GAsyncResult          *result,
                                              GError               **error)
    G_GNUC_WARN_UNUSED_RESULT;

gboolean mail_account_clear_passwords_sync   (MailAccount           *account,
                                              GCancellable          *cancellable,
                                              GError               **error);
void     mail_account_clear_passwords_async  (MailAccount           *account,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data);
gboolean mail_account_clear_passwords_finish (MailAccount           *account,
                                              GAsyncResult          *result,
                                              GError               **error);

void     mail_account_password_free          (char                  *password);

G_END_DECLS
