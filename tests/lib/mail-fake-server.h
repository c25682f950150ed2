/* mail-fake-server.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _MailFakeServer MailFakeServer;

MailFakeServer *mail_fake_server_new               (GTlsCertificate *certificate,
                                                    gboolean         implicit_tls);
void            mail_fake_server_free              (MailFakeServer  *self);

void            mail_fake_server_send              (MailFakeServer  *self,
                                                    const char      *text);
void            mail_fake_server_send_bytes        (MailFakeServer  *self,
                                                    GBytes          *bytes);
void            mail_fake_server_expect            (MailFakeServer  *self,
                                                    const char      *line);
void            mail_fake_server_starttls          (MailFakeServer  *self);
void            mail_fake_server_sleep             (MailFakeServer  *self,
                                                    guint            milliseconds);
void            mail_fake_server_close             (MailFakeServer  *self);
void            mail_fake_server_wait_close        (MailFakeServer  *self);

void            mail_fake_server_start             (MailFakeServer  *self);
guint16         mail_fake_server_get_port          (MailFakeServer  *self);
gboolean        mail_fake_server_wait_finished     (MailFakeServer  *self,
                                                    guint            n_connections,
                                                    guint            timeout_ms);
char           *mail_fake_server_dup_failure       (MailFakeServer  *self);
char           *mail_fake_server_dup_transcript    (MailFakeServer  *self);
gsize           mail_fake_server_get_waited_bytes  (MailFakeServer  *self);

void            mail_fake_server_assert_finished   (MailFakeServer  *self,
                                                    guint            n_connections);
void            mail_fake_server_assert_no_credentials (MailFakeServer *self,
                                                    const char      *user,
                                                    const char      *password);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailFakeServer, mail_fake_server_free)

G_END_DECLS
