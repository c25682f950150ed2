/* mail-application.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "mail-account-manager.h"

G_BEGIN_DECLS

#define MAIL_TYPE_APPLICATION (mail_application_get_type ())

G_DECLARE_FINAL_TYPE (MailApplication, mail_application, MAIL, APPLICATION, AdwApplication)

MailApplication *mail_application_new               (void);
GTlsDatabase    *mail_application_get_tls_database  (MailApplication *self);
MailAccountManager *mail_application_get_account_manager (MailApplication *self);

G_END_DECLS
