/* mail-imap-utf7.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *mail_imap_utf7_decode       (const char  *utf7,
                                       gssize       len,
                                       GError     **error) G_GNUC_WARN_UNUSED_RESULT;
char     *mail_imap_utf7_encode       (const char  *utf8,
                                       gssize       len,
                                       GError     **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean  mail_imap_utf7_is_identity  (const char  *name,
                                       gsize        len);

G_END_DECLS
