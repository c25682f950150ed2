/* mail-smtp-client.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gmime/gmime.h>

#include "mail-connection.h"
#include "mail-smtp-data.h"
#include "mail-smtp-error.h"
#include "mail-smtp-reply.h"
#include "mail-smtp-result.h"

G_BEGIN_DECLS

/**
 * MailSmtpState:
 * @MAIL_SMTP_STATE_DISCONNECTED: no connection
 * @MAIL_SMTP_STATE_CONNECTED: greeted (and secured): mail can be sent to servers that do
 *   not ask for a sign-in
 * @MAIL_SMTP_STATE_AUTHENTICATED: signed in
 *
 * Where a session is.
 */
typedef enum
{
  MAIL_SMTP_STATE_DISCONNECTED,
  MAIL_SMTP_STATE_CONNECTED,
  MAIL_SMTP_STATE_AUTHENTICATED,
} MailSmtpState;

#define MAIL_TYPE_SMTP_CLIENT (mail_smtp_client_get_type ())

G_DECLARE_FINAL_TYPE (MailSmtpClient, mail_smtp_client, MAIL, SMTP_CLIENT, GObject)

MailSmtpClient      *mail_smtp_client_new                     (const char          *host,
                                                               guint16              port,
                                                               MailSecurity         security,
                                                               GTlsDatabase        *database);

MailConnection      *mail_smtp_client_get_connection          (MailSmtpClient      *self);
void                 mail_smtp_client_set_allow_plaintext_password (MailSmtpClient *self,
                                                               gboolean             allow);
void                 mail_smtp_client_set_helo_name           (MailSmtpClient      *self,
                                                               const char          *name);

MailSmtpState        mail_smtp_client_get_state               (MailSmtpClient      *self);
char               **mail_smtp_client_dup_capabilities        (MailSmtpClient      *self)
    G_GNUC_WARN_UNUSED_RESULT;
char               **mail_smtp_client_dup_auth_mechanisms     (MailSmtpClient      *self)
    G_GNUC_WARN_UNUSED_RESULT;
MailSmtpExtensions   mail_smtp_client_get_extensions          (MailSmtpClient      *self);
gboolean             mail_smtp_client_has_extension           (MailSmtpClient      *self,
                                                               MailSmtpExtensions   extension);
guint64              mail_smtp_client_get_max_size            (MailSmtpClient      *self);

gboolean             mail_smtp_client_connect_sync            (MailSmtpClient      *self,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
gboolean             mail_smtp_client_login_sync              (MailSmtpClient      *self,
                                                               const char          *user,
                                                               const char          *password,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
gboolean             mail_smtp_client_send_sync               (MailSmtpClient      *self,
                                                               const char          *from,
                                                               const char * const  *recipients,
                                                               GBytes              *message,
                                                               MailSmtpResult     **result,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
gboolean             mail_smtp_client_send_message_sync       (MailSmtpClient      *self,
                                                               GMimeMessage        *message,
                                                               MailSmtpResult     **result,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
gboolean             mail_smtp_client_reset_sync              (MailSmtpClient      *self,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
gboolean             mail_smtp_client_noop_sync               (MailSmtpClient      *self,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
gboolean             mail_smtp_client_quit_sync               (MailSmtpClient      *self,
                                                               GCancellable        *cancellable,
                                                               GError             **error);
void                 mail_smtp_client_disconnect              (MailSmtpClient      *self);

gboolean             mail_smtp_check_envelope                 (const char          *from,
                                                               const char * const  *recipients,
                                                               GError             **error);
gboolean             mail_smtp_message_get_envelope           (GMimeMessage        *message,
                                                               char               **from,
                                                               char              ***recipients,
                                                               GError             **error);

void                 mail_smtp_client_connect_async           (MailSmtpClient      *self,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean             mail_smtp_client_connect_finish          (MailSmtpClient      *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);
void                 mail_smtp_client_login_async             (MailSmtpClient      *self,
                                                               const char          *user,
                                                               const char          *password,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean             mail_smtp_client_login_finish            (MailSmtpClient      *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);
void                 mail_smtp_client_send_async              (MailSmtpClient      *self,
                                                               const char          *from,
                                                               const char * const  *recipients,
                                                               GBytes              *message,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean             mail_smtp_client_send_finish             (MailSmtpClient      *self,
                                                               GAsyncResult        *result,
                                                               MailSmtpResult     **send_result,
                                                               GError             **error);
void                 mail_smtp_client_send_message_async      (MailSmtpClient      *self,
                                                               GMimeMessage        *message,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean             mail_smtp_client_send_message_finish     (MailSmtpClient      *self,
                                                               GAsyncResult        *result,
                                                               MailSmtpResult     **send_result,
                                                               GError             **error);
void                 mail_smtp_client_quit_async              (MailSmtpClient      *self,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean             mail_smtp_client_quit_finish             (MailSmtpClient      *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);

G_END_DECLS
