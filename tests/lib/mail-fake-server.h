/* mail-fake-server.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _MailFakeServer MailFakeServer;

/**
 * MailFakeServerAction:
 * @MAIL_FAKE_SERVER_REPLY: send the reply, then read the next line
 * @MAIL_FAKE_SERVER_REPLY_STARTTLS: send the reply, then a TLS handshake (server side)
 * @MAIL_FAKE_SERVER_REPLY_CLOSE: send the reply, then end the step (and the script)
 *
 * What a #MailFakeServerRespondFunc wants done after its reply.
 */
typedef enum
{
  MAIL_FAKE_SERVER_REPLY,
  MAIL_FAKE_SERVER_REPLY_STARTTLS,
  MAIL_FAKE_SERVER_REPLY_CLOSE,
} MailFakeServerAction;

/**
 * MailFakeServerRespondFunc:
 * @connection: the connection's number, from 0, in the order they were accepted
 * @tls: whether the connection is encrypted at this point
 * @line: (nullable): the line the client sent (without CRLF), or %NULL once when the step
 *   starts (for a greeting)
 * @state: the connection's own state for the function: %NULL at first, any string it
 *   likes after (such as a pending command's tag); freed when the connection ends
 * @reply: where to append what to send back (with CRLF); may stay empty
 * @user_data: what mail_fake_server_respond() was given
 *
 * Answers one line. Runs in the connection's thread: with concurrent connections, several
 * may run at once.
 *
 * Returns: what to do after sending @reply
 */
typedef MailFakeServerAction (*MailFakeServerRespondFunc) (guint        connection,
                                                           gboolean     tls,
                                                           const char  *line,
                                                           char       **state,
                                                           GString     *reply,
                                                           gpointer     user_data);

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
void            mail_fake_server_respond           (MailFakeServer  *self,
                                                    MailFakeServerRespondFunc func,
                                                    gpointer         user_data);
void            mail_fake_server_set_concurrent    (MailFakeServer  *self,
                                                    gboolean         concurrent);

void            mail_fake_server_start             (MailFakeServer  *self);
guint16         mail_fake_server_get_port          (MailFakeServer  *self);
guint16         mail_fake_server_add_port          (MailFakeServer  *self);
gboolean        mail_fake_server_wait_finished     (MailFakeServer  *self,
                                                    guint            n_connections,
                                                    guint            timeout_ms);
char           *mail_fake_server_dup_failure       (MailFakeServer  *self);
char           *mail_fake_server_dup_transcript    (MailFakeServer  *self);
gsize           mail_fake_server_get_waited_bytes  (MailFakeServer  *self);
char           *mail_fake_server_dup_plaintext_transcript (MailFakeServer *self);
guint           mail_fake_server_get_n_accepted    (MailFakeServer  *self);
GArray         *mail_fake_server_dup_end_times     (MailFakeServer  *self);

void            mail_fake_server_assert_finished   (MailFakeServer  *self,
                                                    guint            n_connections);
void            mail_fake_server_assert_no_credentials (MailFakeServer *self,
                                                    const char      *user,
                                                    const char      *password);
void            mail_fake_server_assert_no_plaintext_credentials (MailFakeServer *self,
                                                    const char      *user,
                                                    const char      *password);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailFakeServer, mail_fake_server_free)

G_END_DECLS
