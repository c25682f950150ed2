/* mail-imap-parser-private.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-imap-tokenizer.h"

G_BEGIN_DECLS

gboolean _mail_imap_parse_line          (MailImapTokenizer       *t,
                                         MailImapResponse        *response);
gboolean _mail_imap_parse_fetch         (MailImapTokenizer       *t,
                                         MailImapFetch           *fetch);
gboolean _mail_imap_parse_fetch_prefix  (MailImapTokenizer       *t,
                                         const guint8            *announcement,
                                         MailImapBodyInfo        *info);
gboolean _mail_imap_parse_envelope      (MailImapTokenizer       *t,
                                         const MailImapEnvelope **envelope);
gboolean _mail_imap_parse_internaldate  (const char              *date,
                                         gint64                  *unix_time);

G_END_DECLS
