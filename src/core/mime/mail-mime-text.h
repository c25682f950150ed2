/* mail-mime-text.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MAIL_MIME_PREVIEW_CHARS:
 *
 * How many characters a message preview holds at most.
 */
#define MAIL_MIME_PREVIEW_CHARS 200

char *mail_mime_text_to_utf8       (const char *data,
                                    gsize       len,
                                    const char *charset) G_GNUC_WARN_UNUSED_RESULT;
char *mail_mime_text_from_html     (const char *html,
                                    gsize       len,
                                    gsize       max_len) G_GNUC_WARN_UNUSED_RESULT;
char *mail_mime_text_sanitize_line (const char *text,
                                    gsize       max_len) G_GNUC_WARN_UNUSED_RESULT;
char *mail_mime_text_preview       (const char *text,
                                    guint       max_chars) G_GNUC_WARN_UNUSED_RESULT;
void  mail_mime_text_append_body   (GString    *body,
                                    const char *text,
                                    gsize       len,
                                    gsize       max_len);

G_END_DECLS
