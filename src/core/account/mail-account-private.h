/* mail-account-private.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-account.h"
#include "mail-account-secret.h"

G_BEGIN_DECLS

MailAccount *_mail_account_new_with_id (const char  *id);
void         _mail_account_assign      (MailAccount *self,
                                        MailAccount *from);

/* What identifies one keyring item: a snapshot of the account's identifier and of one
 * server, safe to hand to another thread. */
typedef struct
{
  char         *account_id;
  char         *address;
  MailProtocol  protocol;
  char         *host;
  char         *user;
} MailAccountSecretKey;

MailAccountSecretKey *_mail_account_secret_key_new    (MailAccount                *account,
                                                       MailAccountDirection        direction);
void                  _mail_account_secret_key_free   (MailAccountSecretKey       *key);
gboolean              _mail_account_secret_key_equal  (const MailAccountSecretKey *a,
                                                       const MailAccountSecretKey *b);
gboolean              _mail_account_secret_store      (const MailAccountSecretKey *key,
                                                       const char                 *password,
                                                       GCancellable               *cancellable,
                                                       GError                    **error);
char                 *_mail_account_secret_lookup     (const MailAccountSecretKey *key,
                                                       GCancellable               *cancellable,
                                                       GError                    **error);
gboolean              _mail_account_secret_clear      (const char                 *account_id,
                                                       const MailAccountSecretKey *key,
                                                       GCancellable               *cancellable,
                                                       GError                    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailAccountSecretKey, _mail_account_secret_key_free)

G_END_DECLS
