/* mail-store-body-writer.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-store-types.h"

G_BEGIN_DECLS

#define MAIL_TYPE_STORE_BODY_WRITER (mail_store_body_writer_get_type ())

G_DECLARE_FINAL_TYPE (MailStoreBodyWriter, mail_store_body_writer, MAIL, STORE_BODY_WRITER, GObject)

MailStoreBodyWriter *mail_store_body_writer_new          (MailStore            *store,
                                                          GError              **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean             mail_store_body_writer_write        (MailStoreBodyWriter  *self,
                                                          const void           *data,
                                                          gsize                 len,
                                                          GError              **error);
gboolean             mail_store_body_writer_write_stream (MailStoreBodyWriter  *self,
                                                          GInputStream         *stream,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
guint64              mail_store_body_writer_get_size     (MailStoreBodyWriter  *self);
char                *mail_store_body_writer_commit       (MailStoreBodyWriter  *self,
                                                          GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void                 mail_store_body_writer_abort        (MailStoreBodyWriter  *self);

G_END_DECLS
