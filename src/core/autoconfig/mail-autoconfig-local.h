/* mail-autoconfig-local.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-autoconfig-parser.h"

G_BEGIN_DECLS

void                  mail_autoconfig_local_lookup_async  (const char * const   *dirs,
                                                           const char           *domain,
                                                           const char           *email_address,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
MailAutoconfigResult *mail_autoconfig_local_lookup_finish (GAsyncResult         *result,
                                                           char                **path,
                                                           GError              **error)
    G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
