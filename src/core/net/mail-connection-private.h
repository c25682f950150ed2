/* mail-connection-private.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The insides of MailConnection, shared by the files it is cut into:
 *
 *  - mail-connection.c: the object, connecting, timeouts, cancellation, reading and writing;
 *  - mail-connection-tls.c: every TLS decision: certificates, pinning, the TLS version
 *    floor, the STARTTLS upgrade.
 *
 * Nothing here is for use outside src/core/net.
 */

#pragma once

#include "mail-connection.h"

G_BEGIN_DECLS

struct _MailConnection
{
  GObject               parent_instance;

  char                 *host;
  guint16               port;
  MailSecurity          security;
  GTlsDatabase         *database;

  char                 *pin_host;
  guint16               pin_port;
  char                 *pin_fingerprint;
  gboolean              allow_plaintext_secrets;

  guint                 timeouts[MAIL_CONNECTION_N_PHASES];
  MailConnectionPhase   phase;
  guint                 active_timeout;

  MailProtocolLog      *log;
  MailLineReader       *reader;

  GSocketConnection    *socket_connection;
  GSocket              *socket;
  GTlsConnection       *tls;
  /* The stream in use: socket_connection, or tls once it is up. */
  GIOStream            *stream;
  GOutputStream        *output;
  /* DEFLATE (IMAP COMPRESS) over the stream, once started; output is then compress_output. */
  GInputStream         *compress_input;
  GOutputStream        *compress_output;

  MailCertificateInfo  *peer_info;
  char                 *ciphersuite;
  gboolean              pin_used;
  gboolean              connected;

  /* Touched from the thread that cancels. */
  int                   fd;
  int                   aborted;
};

/* A blocking section: see _mail_connection_guard_begin(). */
typedef struct
{
  GCancellable *cancellable;
  gulong        handler;
} MailConnectionGuard;

/* Closing and cancellation. */
void     _mail_connection_guard_begin      (MailConnection       *self,
                                            GCancellable         *cancellable,
                                            MailConnectionGuard  *guard);
void     _mail_connection_guard_end        (MailConnectionGuard  *guard);
void     _mail_connection_fail_io          (MailConnection       *self,
                                            GError               *local_error,
                                            GCancellable         *cancellable,
                                            GError              **error);
gboolean _mail_connection_check_connected  (MailConnection       *self,
                                            GError              **error);
void     _mail_connection_apply_timeout    (MailConnection       *self,
                                            guint                 seconds);

/* GObject. */
void     _mail_connection_notify_encrypted (MailConnection       *self);

/* TLS. */
gboolean _mail_connection_handshake        (MailConnection       *self,
                                            guint                 timeout,
                                            GCancellable         *cancellable,
                                            GError              **error);

G_END_DECLS
