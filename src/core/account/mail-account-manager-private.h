/* mail-account-manager-private.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-account-manager.h"
#include "mail-account-private.h"

G_BEGIN_DECLS

/* The blocking work behind the manager (mail-account-manager-work.c): files and keyring,
 * no manager state. Each takes accounts the calling thread owns for the time of the call,
 * and leaves nothing half-done when it fails. */

GPtrArray *_mail_account_work_load   (GCancellable  *cancellable,
                                      GError       **error);
gboolean   _mail_account_work_add    (MailAccount   *account,
                                      const char    *password,
                                      const char    *outgoing_password,
                                      GCancellable  *cancellable,
                                      GError       **error);
gboolean   _mail_account_work_update (MailAccount   *old,
                                      MailAccount   *account,
                                      const char    *password,
                                      const char    *outgoing_password,
                                      GCancellable  *cancellable,
                                      GError       **error);
gboolean   _mail_account_work_remove (MailAccount   *account,
                                      GCancellable  *cancellable,
                                      GError       **error);

G_END_DECLS
