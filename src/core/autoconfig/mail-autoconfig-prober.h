/* mail-autoconfig-prober.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-autoconfig-report.h"

G_BEGIN_DECLS

void       mail_autoconfig_prober_run_async  (const MailAutoconfigCandidate *candidate,
                                              const char * const            *users,
                                              const char                    *password,
                                              GTlsDatabase                  *database,
                                              guint                          timeout_seconds,
                                              GCancellable                  *cancellable,
                                              GAsyncReadyCallback            callback,
                                              gpointer                       user_data);
GPtrArray *mail_autoconfig_prober_run_finish (GAsyncResult                  *result,
                                              GError                       **error)
    G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
