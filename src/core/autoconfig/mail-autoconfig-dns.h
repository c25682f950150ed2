/* mail-autoconfig-dns.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-connection.h"
#include "mail-protocol.h"

G_BEGIN_DECLS

/**
 * MailAutoconfigSrv:
 * @service: the service label without underscore ("imaps", "submission", ...)
 * @protocol: the mail protocol of that service
 * @security: implicit TLS for "imaps", "pop3s" and "submissions", STARTTLS otherwise
 * @host: the target, ASCII, without the trailing dot
 * @port: the port
 * @priority: the record's priority
 * @weight: the record's weight
 *
 * One usable SRV record.
 */
typedef struct
{
  char         *service;
  MailProtocol  protocol;
  MailSecurity  security;
  char         *host;
  guint16       port;
  guint16       priority;
  guint16       weight;
} MailAutoconfigSrv;

/**
 * MailAutoconfigSrvAnswer:
 * @records: (element-type MailAutoconfigSrv): usable records; services in the order
 *   submissions, submission, imaps, imap, pop3s, pop3, and within a service in RFC 2782
 *   order (priority, then a weighted random pick)
 * @not_offered: (element-type utf8): services whose only target is "." (RFC 2782: decidedly
 *   not offered)
 *
 * The answer to the six SRV lookups.
 */
typedef struct
{
  GPtrArray *records;
  GPtrArray *not_offered;
} MailAutoconfigSrvAnswer;

void                     mail_autoconfig_srv_free              (MailAutoconfigSrv       *srv);
void                     mail_autoconfig_srv_answer_free       (MailAutoconfigSrvAnswer *answer);

void                     mail_autoconfig_dns_lookup_mx_async   (GResolver             *resolver,
                                                                const char            *domain,
                                                                GCancellable          *cancellable,
                                                                GAsyncReadyCallback    callback,
                                                                gpointer               user_data);
char                    *mail_autoconfig_dns_lookup_mx_finish  (GAsyncResult          *result,
                                                                GError               **error)
    G_GNUC_WARN_UNUSED_RESULT;

void                     mail_autoconfig_dns_lookup_srv_async  (GResolver             *resolver,
                                                                const char            *domain,
                                                                GCancellable          *cancellable,
                                                                GAsyncReadyCallback    callback,
                                                                gpointer               user_data);
MailAutoconfigSrvAnswer *mail_autoconfig_dns_lookup_srv_finish (GAsyncResult          *result,
                                                                GError               **error)
    G_GNUC_WARN_UNUSED_RESULT;

char                    *mail_autoconfig_domain_parent         (const char            *host)
    G_GNUC_WARN_UNUSED_RESULT;
char                    *mail_autoconfig_domain_registrable    (const char            *host)
    G_GNUC_WARN_UNUSED_RESULT;
gboolean                 mail_autoconfig_domain_contains       (const char            *domain,
                                                                const char            *host);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailAutoconfigSrv, mail_autoconfig_srv_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailAutoconfigSrvAnswer, mail_autoconfig_srv_answer_free)

G_END_DECLS
