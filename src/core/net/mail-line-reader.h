/* mail-line-reader.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * MAIL_LINE_READER_DEFAULT_BUFFER_SIZE:
 *
 * The buffer a reader starts with: one read fetches up to this many bytes.
 */
#define MAIL_LINE_READER_DEFAULT_BUFFER_SIZE (64 * 1024)

/**
 * MAIL_LINE_READER_DEFAULT_MAX_LINE_LENGTH:
 *
 * The default longest line, terminator included: 1 MiB (a SEARCH answer for a large
 * folder is one long line).
 */
#define MAIL_LINE_READER_DEFAULT_MAX_LINE_LENGTH (1024 * 1024)

/**
 * MAIL_LINE_READER_DEFAULT_MAX_LITERAL_SIZE:
 *
 * The default largest block mail_line_reader_read_bytes_sync() will read: 128 MiB.
 */
#define MAIL_LINE_READER_DEFAULT_MAX_LITERAL_SIZE (128 * 1024 * 1024)

/**
 * MAIL_LINE_READER_DEFAULT_MAX_RESPONSE_SIZE:
 *
 * The default limit on the bytes read between mail_line_reader_begin_response() and
 * mail_line_reader_end_response(): 256 MiB.
 */
#define MAIL_LINE_READER_DEFAULT_MAX_RESPONSE_SIZE (256 * 1024 * 1024)

#define MAIL_TYPE_LINE_READER (mail_line_reader_get_type ())

G_DECLARE_FINAL_TYPE (MailLineReader, mail_line_reader, MAIL, LINE_READER, GObject)

MailLineReader *mail_line_reader_new                   (GInputStream    *stream,
                                                        gsize            buffer_size);
GInputStream   *mail_line_reader_get_stream            (MailLineReader  *self);
gboolean        mail_line_reader_set_stream            (MailLineReader  *self,
                                                        GInputStream    *stream,
                                                        GError         **error);

void            mail_line_reader_set_max_line_length   (MailLineReader  *self,
                                                        gsize            max_line_length);
gsize           mail_line_reader_get_max_line_length   (MailLineReader  *self);
void            mail_line_reader_set_max_literal_size  (MailLineReader  *self,
                                                        gsize            max_literal_size);
gsize           mail_line_reader_get_max_literal_size  (MailLineReader  *self);
void            mail_line_reader_set_max_response_size (MailLineReader  *self,
                                                        guint64          max_response_size);
guint64         mail_line_reader_get_max_response_size (MailLineReader  *self);

void            mail_line_reader_begin_response        (MailLineReader  *self);
void            mail_line_reader_end_response          (MailLineReader  *self);
guint64         mail_line_reader_get_response_size     (MailLineReader  *self);

gboolean        mail_line_reader_has_line              (MailLineReader  *self);
char           *mail_line_reader_read_line_sync        (MailLineReader  *self,
                                                        gsize           *length,
                                                        GCancellable    *cancellable,
                                                        GError         **error)
    G_GNUC_WARN_UNUSED_RESULT;
GBytes         *mail_line_reader_read_bytes_sync       (MailLineReader  *self,
                                                        gsize            count,
                                                        GCancellable    *cancellable,
                                                        GError         **error)
    G_GNUC_WARN_UNUSED_RESULT;
gboolean        mail_line_reader_read_to_stream_sync   (MailLineReader  *self,
                                                        gsize            count,
                                                        GOutputStream   *output,
                                                        GCancellable    *cancellable,
                                                        GError         **error);

gsize           mail_line_reader_get_available         (MailLineReader  *self);
const guint8   *mail_line_reader_peek                  (MailLineReader  *self,
                                                        gsize           *available);
gboolean        mail_line_reader_consume               (MailLineReader  *self,
                                                        gsize            count,
                                                        GError         **error);
gboolean        mail_line_reader_fill_sync             (MailLineReader  *self,
                                                        GCancellable    *cancellable,
                                                        GError         **error);
gssize          mail_line_reader_fill_nonblocking      (MailLineReader  *self,
                                                        GError         **error);

G_END_DECLS
