/* mail-connection.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-certificate-info.h"
#include "mail-line-reader.h"
#include "mail-net-error.h"
#include "mail-protocol-log.h"
#include "mail-protocol.h"

G_BEGIN_DECLS

/**
 * MailConnectionPhase:
 * @MAIL_CONNECTION_PHASE_CONNECT: resolving, connecting and the implicit TLS handshake
 * @MAIL_CONNECTION_PHASE_GREETING: waiting for the server's greeting
 * @MAIL_CONNECTION_PHASE_COMMAND: waiting for the answer to a command, STARTTLS handshake
 * @MAIL_CONNECTION_PHASE_IDLE: waiting for news on an idle connection (IMAP IDLE)
 * @MAIL_CONNECTION_PHASE_DATA_END: waiting for the server to accept a message it received
 *   in full (SMTP's reply after the final dot), which may take it a while: content filters
 *   run then
 * @MAIL_CONNECTION_N_PHASES: the number of phases
 *
 * Each phase has its own timeout: the longest the server may stay silent while the
 * client waits for it.
 */
typedef enum
{
  MAIL_CONNECTION_PHASE_CONNECT,
  MAIL_CONNECTION_PHASE_GREETING,
  MAIL_CONNECTION_PHASE_COMMAND,
  MAIL_CONNECTION_PHASE_IDLE,
  MAIL_CONNECTION_PHASE_DATA_END,
  MAIL_CONNECTION_N_PHASES,
} MailConnectionPhase;

/**
 * MailConnectionIOFlags:
 * @MAIL_CONNECTION_IO_NONE: log the data as it is
 * @MAIL_CONNECTION_IO_BODY: the data is message content (a FETCH BODY literal, APPEND
 *   data, SMTP DATA, a POP3 RETR line): log only its size
 *
 * How the protocol log records a read or a write.
 */
typedef enum
{
  MAIL_CONNECTION_IO_NONE = 0,
  MAIL_CONNECTION_IO_BODY = 1 << 0,
} MailConnectionIOFlags;

#define MAIL_CONNECTION_DEFAULT_CONNECT_TIMEOUT  15
#define MAIL_CONNECTION_DEFAULT_GREETING_TIMEOUT 15
#define MAIL_CONNECTION_DEFAULT_COMMAND_TIMEOUT  60
#define MAIL_CONNECTION_DEFAULT_IDLE_TIMEOUT     (29 * 60)
/* RFC 5321 §4.5.3.2.6, "DATA Termination: 10 minutes". */
#define MAIL_CONNECTION_DEFAULT_DATA_END_TIMEOUT (10 * 60)

#define MAIL_TYPE_CONNECTION (mail_connection_get_type ())

G_DECLARE_FINAL_TYPE (MailConnection, mail_connection, MAIL, CONNECTION, GObject)

MailConnection       *mail_connection_new                       (const char           *host,
                                                                 guint16               port,
                                                                 MailSecurity          security,
                                                                 GTlsDatabase         *database);

const char           *mail_connection_get_host                  (MailConnection       *self);
guint16               mail_connection_get_port                  (MailConnection       *self);
MailSecurity          mail_connection_get_security              (MailConnection       *self);
GTlsDatabase         *mail_connection_get_database              (MailConnection       *self);

gboolean              mail_connection_set_pinned_certificate    (MailConnection       *self,
                                                                 const char           *host,
                                                                 guint16               port,
                                                                 const char           *fingerprint);
void                  mail_connection_set_allow_plaintext_secrets (MailConnection     *self,
                                                                 gboolean              allow);
void                  mail_connection_set_timeout               (MailConnection       *self,
                                                                 MailConnectionPhase   phase,
                                                                 guint                 seconds);
guint                 mail_connection_get_timeout               (MailConnection       *self,
                                                                 MailConnectionPhase   phase);
void                  mail_connection_set_phase                 (MailConnection       *self,
                                                                 MailConnectionPhase   phase);
MailConnectionPhase   mail_connection_get_phase                 (MailConnection       *self);

MailProtocolLog      *mail_connection_get_log                   (MailConnection       *self);
void                  mail_connection_set_log                   (MailConnection       *self,
                                                                 MailProtocolLog      *log);
MailLineReader       *mail_connection_get_reader                (MailConnection       *self);

gboolean              mail_connection_connect_sync              (MailConnection       *self,
                                                                 GCancellable         *cancellable,
                                                                 GError              **error);
void                  mail_connection_connect_async             (MailConnection       *self,
                                                                 GCancellable         *cancellable,
                                                                 GAsyncReadyCallback   callback,
                                                                 gpointer              user_data);
gboolean              mail_connection_connect_finish            (MailConnection       *self,
                                                                 GAsyncResult         *result,
                                                                 GError              **error);
gboolean              mail_connection_start_tls_sync            (MailConnection       *self,
                                                                 GCancellable         *cancellable,
                                                                 GError              **error);
gboolean              mail_connection_start_compression         (MailConnection       *self,
                                                                 GError              **error);
gboolean              mail_connection_is_compressed             (MailConnection       *self);
gboolean              mail_connection_close_sync                (MailConnection       *self,
                                                                 GCancellable         *cancellable,
                                                                 GError              **error);

gboolean              mail_connection_is_connected              (MailConnection       *self);
gboolean              mail_connection_is_encrypted              (MailConnection       *self);
GTlsProtocolVersion   mail_connection_get_tls_version           (MailConnection       *self);
const char           *mail_connection_get_ciphersuite_name      (MailConnection       *self);
MailCertificateInfo  *mail_connection_get_peer_certificate_info (MailConnection       *self);
gboolean              mail_connection_get_pinned_certificate_used (MailConnection     *self);
GSocketAddress       *mail_connection_get_local_address         (MailConnection       *self)
    G_GNUC_WARN_UNUSED_RESULT;

char                 *mail_connection_read_line_sync            (MailConnection       *self,
                                                                 MailConnectionIOFlags flags,
                                                                 gsize                *length,
                                                                 GCancellable         *cancellable,
                                                                 GError              **error)
    G_GNUC_WARN_UNUSED_RESULT;
GBytes               *mail_connection_read_bytes_sync           (MailConnection       *self,
                                                                 gsize                 count,
                                                                 MailConnectionIOFlags flags,
                                                                 GCancellable         *cancellable,
                                                                 GError              **error)
    G_GNUC_WARN_UNUSED_RESULT;
gboolean              mail_connection_fill_sync                 (MailConnection       *self,
                                                                 GCancellable         *cancellable,
                                                                 GError              **error);
gboolean              mail_connection_wait_for_data_sync        (MailConnection       *self,
                                                                 GCancellable         *cancellable,
                                                                 GError              **error);

gboolean              mail_connection_write_all_sync            (MailConnection       *self,
                                                                 const void           *data,
                                                                 gsize                 length,
                                                                 MailConnectionIOFlags flags,
                                                                 GCancellable         *cancellable,
                                                                 GError              **error);
gboolean              mail_connection_write_line_sync           (MailConnection       *self,
                                                                 const char           *line,
                                                                 GCancellable         *cancellable,
                                                                 GError              **error);
gboolean              mail_connection_write_secret_sync         (MailConnection       *self,
                                                                 const void           *data,
                                                                 gsize                 length,
                                                                 gsize                 public_len,
                                                                 GCancellable         *cancellable,
                                                                 GError              **error);

G_END_DECLS
