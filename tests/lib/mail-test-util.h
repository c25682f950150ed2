/* mail-test-util.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-connection.h"

G_BEGIN_DECLS

GKeyFile     *mail_test_harness_load           (void);
char         *mail_test_harness_get            (const char     *group,
                                                const char     *key);
guint16       mail_test_harness_get_port       (const char     *group,
                                                const char     *key);
GTlsDatabase *mail_test_tls_database           (void);
char         *mail_test_artifact_path          (const char     *subdir,
                                                const char     *name);
gboolean      mail_test_wait_for_last_ref      (gpointer        object);
void          mail_test_assert_finalize_client (gpointer        client,
                                                MailConnection *connection);

G_END_DECLS
