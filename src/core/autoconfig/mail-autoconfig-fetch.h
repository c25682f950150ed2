/* mail-autoconfig-fetch.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "mail-autoconfig-parser.h"

G_BEGIN_DECLS

/**
 * MailAutoconfigFetched:
 * @config: the parsed file
 * @final_url: the URL the file was finally read from, after redirects
 * @all_https: every request of the chain (the first and each redirect) was HTTPS
 *
 * An autoconfig file read over HTTP(S).
 */
typedef struct
{
  MailAutoconfigResult *config;
  char                 *final_url;
  gboolean              all_https;
} MailAutoconfigFetched;

void                   mail_autoconfig_fetched_free  (MailAutoconfigFetched *fetched);

SoupSession           *mail_autoconfig_session_new   (GTlsDatabase          *database,
                                                      guint                  timeout_seconds)
    G_GNUC_WARN_UNUSED_RESULT;

void                   mail_autoconfig_fetch_async   (SoupSession           *session,
                                                      const char            *url,
                                                      const char            *email_address,
                                                      GCancellable          *cancellable,
                                                      GAsyncReadyCallback    callback,
                                                      gpointer               user_data);
MailAutoconfigFetched *mail_autoconfig_fetch_finish  (GAsyncResult          *result,
                                                      GError               **error);

typedef struct _MailAutoconfigFetcher MailAutoconfigFetcher;

MailAutoconfigFetcher *mail_autoconfig_fetcher_new          (GTlsDatabase          *database,
                                                             guint                  timeout_seconds)
    G_GNUC_WARN_UNUSED_RESULT;
void                   mail_autoconfig_fetcher_free         (MailAutoconfigFetcher *fetcher);
void                   mail_autoconfig_fetcher_fetch_async  (MailAutoconfigFetcher *fetcher,
                                                             const char            *url,
                                                             const char            *email_address,
                                                             GCancellable          *cancellable,
                                                             GAsyncReadyCallback    callback,
                                                             gpointer               user_data);
MailAutoconfigFetched *mail_autoconfig_fetcher_fetch_finish (GAsyncResult          *result,
                                                             GError               **error)
    G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailAutoconfigFetched, mail_autoconfig_fetched_free)

G_END_DECLS
