/* mail-mime.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-mime-text.h"

G_BEGIN_DECLS

/**
 * MAIL_MIME_BODY_TEXT_MAX:
 *
 * The most bytes of a message's text kept for the search index.
 */
#define MAIL_MIME_BODY_TEXT_MAX (1024 * 1024)

/**
 * MAIL_MIME_MAX_REFERENCES:
 *
 * The most Message-IDs of a References header that are kept (the last ones: the
 * nearest ancestors).
 */
#define MAIL_MIME_MAX_REFERENCES 50

/**
 * MailMimeAddress:
 * @name: (nullable): the display name, decoded, on one line
 * @address: the address ("" for a group or a name without one)
 *
 * One mailbox of an address header.
 */
typedef struct
{
  char *name;
  char *address;
} MailMimeAddress;

/**
 * MailMimeSummary:
 * @from: (nullable): the first author (From, else Sender)
 * @to: (element-type MailMimeAddress): the To recipients, groups flattened
 * @cc: (element-type MailMimeAddress): the Cc recipients
 * @subject: the subject, decoded, on one line ("" when there is none)
 * @date: the date in seconds since the epoch: the Date header's, else the fallback date
 *   given by the caller (the server's internal date)
 * @date_from_header: %TRUE when @date comes from a Date header that could be read
 * @message_id: (nullable): the Message-ID without angle brackets; %NULL when missing
 * @in_reply_to: (nullable): the first Message-ID of In-Reply-To
 * @references: the Message-IDs of References, oldest first (at most
 *   %MAIL_MIME_MAX_REFERENCES); never %NULL
 * @charset: (nullable): the charset of the top-level Content-Type, if any
 * @has_attachments: %TRUE when the message has an attachment. From headers alone
 *   (mail_mime_parse_headers()) this is a guess: a multipart/mixed message has one.
 * @preview: (nullable): up to %MAIL_MIME_PREVIEW_CHARS characters of what the sender
 *   wrote, on one line; %NULL when only the headers were parsed
 * @body_text: (nullable): the text of the message for the search index (text/plain, or
 *   HTML as text), at most %MAIL_MIME_BODY_TEXT_MAX bytes; %NULL when only the headers
 *   were parsed
 * @body_truncated: %TRUE when @body_text was cut at %MAIL_MIME_BODY_TEXT_MAX
 *
 * What the store keeps of a message, every string valid UTF-8. Nothing in a message
 * makes parsing fail: broken MIME, wrong charsets, 8-bit headers and missing headers give
 * the best summary that can be read.
 */
typedef struct
{
  MailMimeAddress *from;
  GPtrArray       *to;
  GPtrArray       *cc;
  char            *subject;
  gint64           date;
  gboolean         date_from_header;
  char            *message_id;
  char            *in_reply_to;
  GStrv            references;
  char            *charset;
  gboolean         has_attachments;
  char            *preview;
  char            *body_text;
  gboolean         body_truncated;
} MailMimeSummary;

void             mail_mime_init               (void);

MailMimeSummary *mail_mime_parse_file         (const char          *path,
                                               gint64               fallback_date,
                                               GError             **error) G_GNUC_WARN_UNUSED_RESULT;
MailMimeSummary *mail_mime_parse_stream       (GInputStream        *stream,
                                               gint64               fallback_date,
                                               GCancellable        *cancellable,
                                               GError             **error) G_GNUC_WARN_UNUSED_RESULT;
MailMimeSummary *mail_mime_parse_data         (const char          *data,
                                               gsize                len,
                                               gint64               fallback_date) G_GNUC_WARN_UNUSED_RESULT;
MailMimeSummary *mail_mime_parse_headers      (const char          *data,
                                               gsize                len,
                                               gint64               fallback_date) G_GNUC_WARN_UNUSED_RESULT;

void             mail_mime_summary_free       (MailMimeSummary     *summary);
char            *mail_mime_summary_format_recipients (const MailMimeSummary *summary) G_GNUC_WARN_UNUSED_RESULT;

/* One header value at a time, for what the server hands over already split (ENVELOPE). */
char            *mail_mime_decode_text        (const char          *raw,
                                               gssize               len,
                                               const char          *charset) G_GNUC_WARN_UNUSED_RESULT;
GPtrArray       *mail_mime_parse_addresses    (const char          *raw,
                                               const char          *charset) G_GNUC_WARN_UNUSED_RESULT;
gboolean         mail_mime_parse_date         (const char          *raw,
                                               gint64              *date);
char            *mail_mime_parse_message_id   (const char          *raw) G_GNUC_WARN_UNUSED_RESULT;
GStrv            mail_mime_parse_references   (const char          *raw) G_GNUC_WARN_UNUSED_RESULT;
char            *mail_mime_format_addresses   (GPtrArray           *addresses) G_GNUC_WARN_UNUSED_RESULT;

MailMimeAddress *mail_mime_address_new        (const char          *name,
                                               const char          *address) G_GNUC_WARN_UNUSED_RESULT;
void             mail_mime_address_free       (MailMimeAddress     *address);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailMimeSummary, mail_mime_summary_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailMimeAddress, mail_mime_address_free)

G_END_DECLS
