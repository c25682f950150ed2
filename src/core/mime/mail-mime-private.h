/* mail-mime-private.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gmime/gmime.h>

#include "mail-mime.h"

G_BEGIN_DECLS

/* GMime 3.2 declares no cleanup functions of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeFilter, g_object_unref)

/* The longest one-line value kept (subject, name, address), in bytes. */
#define MAIL_MIME_LINE_MAX          4096
/* The most mailboxes kept of one address header. */
#define MAIL_MIME_MAX_ADDRESSES     500
/* The deepest MIME nesting looked into, and the most parts looked at. */
#define MAIL_MIME_MAX_DEPTH         32
#define MAIL_MIME_MAX_PARTS         1000
/* The most decoded bytes of one text part read for its text. */
#define MAIL_MIME_PART_READ_MAX     (4 * 1024 * 1024)

GMimeParserOptions *_mail_mime_parser_options     (void);
void                _mail_mime_summarize_headers  (GMimeObject     *object,
                                                   MailMimeSummary *summary,
                                                   gint64           fallback_date);
void                _mail_mime_summarize_body     (GMimeMessage    *message,
                                                   MailMimeSummary *summary);
void                _mail_mime_summarize_raw_text (GMimeStream     *stream,
                                                   MailMimeSummary *summary);

G_END_DECLS
