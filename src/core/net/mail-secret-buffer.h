/* mail-secret-buffer.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MailSecretBuffer MailSecretBuffer;

void              mail_secret_wipe              (void             *data,
                                                 gsize             length);

void              mail_secret_free_string       (char             *text);

MailSecretBuffer *mail_secret_buffer_new        (gsize             size)
    G_GNUC_WARN_UNUSED_RESULT;
void              mail_secret_buffer_append     (MailSecretBuffer *self,
                                                 const void       *data,
                                                 gsize             length);
void              mail_secret_buffer_append_str (MailSecretBuffer *self,
                                                 const char       *text);
void              mail_secret_buffer_append_c   (MailSecretBuffer *self,
                                                 char              c);
const guint8     *mail_secret_buffer_get_data   (MailSecretBuffer *self,
                                                 gsize            *length);
void              mail_secret_buffer_free       (MailSecretBuffer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailSecretBuffer, mail_secret_buffer_free)

G_END_DECLS
