/* mail-imap-search.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mail-imap-response.h"

G_BEGIN_DECLS

/**
 * MAIL_IMAP_SEARCH_MAX_UIDS:
 *
 * The most UIDs mail_imap_client_uid_search_sync() lists one by one: sixteen times a
 * mailbox of a million messages, 64 MiB as an array. A larger result (an ESEARCH that
 * claims "1:4294967295", say) is an error there; mail_imap_client_uid_search_ranges_sync()
 * returns it as ranges instead.
 */
#define MAIL_IMAP_SEARCH_MAX_UIDS (16 * 1024 * 1024)

/**
 * MailImapSearchResult:
 * @count: how many messages matched
 * @min: the lowest UID that matched, 0 when none did
 * @max: the highest UID that matched, 0 when none did
 * @ranges: (element-type MailImapRange): the UIDs that matched, as ranges in ascending
 *   order that neither overlap nor touch (each with @first <= @last)
 *
 * The result of a UID SEARCH, as compact as the server sent it (RFC 4731 ESEARCH) or as
 * compact as a plain SEARCH allows. Initialize it with mail_imap_search_result_init() and
 * free what it holds with mail_imap_search_result_clear().
 */
typedef struct
{
  guint32  count;
  guint32  min;
  guint32  max;
  GArray  *ranges;
} MailImapSearchResult;

void      mail_imap_search_result_init          (MailImapSearchResult       *result);
void      mail_imap_search_result_clear         (MailImapSearchResult       *result);
gboolean  mail_imap_search_result_add_response  (MailImapSearchResult       *result,
                                                 const MailImapResponse     *response,
                                                 GError                    **error);
char     *mail_imap_search_result_to_set        (const MailImapSearchResult *result)
    G_GNUC_WARN_UNUSED_RESULT;
GArray   *mail_imap_search_result_to_array      (const MailImapSearchResult *result,
                                                 guint                       max_uids,
                                                 GError                    **error)
    G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
