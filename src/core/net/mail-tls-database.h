/* mail-tls-database.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MAIL_TYPE_TLS_DATABASE (mail_tls_database_get_type ())

G_DECLARE_FINAL_TYPE (MailTlsDatabase, mail_tls_database, MAIL, TLS_DATABASE, GTlsDatabase)

GTlsDatabase *mail_tls_database_new           (const char       *extra_ca_file,
                                               GError          **error) G_GNUC_WARN_UNUSED_RESULT;
const char   *mail_tls_database_get_ca_file   (MailTlsDatabase  *self);

G_END_DECLS
