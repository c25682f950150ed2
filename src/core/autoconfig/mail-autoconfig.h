/* mail-autoconfig.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-autoconfig-report.h"

G_BEGIN_DECLS

/**
 * MAIL_AUTOCONFIG_DEFAULT_ISPDB_URL:
 *
 * The ISPDB base URL; the ASCII domain is appended.
 */
#define MAIL_AUTOCONFIG_DEFAULT_ISPDB_URL "https://autoconfig.thunderbird.net/v1.1/"

/**
 * MAIL_AUTOCONFIG_DEFAULT_BUDGET:
 *
 * The hard limit of a whole detection, in seconds.
 */
#define MAIL_AUTOCONFIG_DEFAULT_BUDGET 15

#define MAIL_TYPE_AUTOCONFIG (mail_autoconfig_get_type ())

G_DECLARE_FINAL_TYPE (MailAutoconfig, mail_autoconfig, MAIL, AUTOCONFIG, GObject)

MailAutoconfig       *mail_autoconfig_new                (void);

void                  mail_autoconfig_set_tls_database   (MailAutoconfig       *self,
                                                          GTlsDatabase         *database);
void                  mail_autoconfig_set_ispdb_url      (MailAutoconfig       *self,
                                                          const char           *url);
void                  mail_autoconfig_set_local_dirs     (MailAutoconfig       *self,
                                                          const char * const   *dirs);
void                  mail_autoconfig_set_budget         (MailAutoconfig       *self,
                                                          guint                 seconds);
void                  mail_autoconfig_set_verify         (MailAutoconfig       *self,
                                                          gboolean              verify);
void                  mail_autoconfig_set_approved       (MailAutoconfig       *self,
                                                          gboolean              approved);

void                  mail_autoconfig_detect_async       (MailAutoconfig       *self,
                                                          const char           *address,
                                                          const char           *password,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
MailAutoconfigReport *mail_autoconfig_detect_finish      (MailAutoconfig       *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

char                **mail_autoconfig_default_local_dirs (void)
    G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
