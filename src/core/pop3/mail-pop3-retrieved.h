/* mail-pop3-retrieved.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MAIL_TYPE_POP3_RETRIEVED (mail_pop3_retrieved_get_type ())

G_DECLARE_FINAL_TYPE (MailPop3Retrieved, mail_pop3_retrieved, MAIL, POP3_RETRIEVED, GObject)

guint        mail_pop3_retrieved_get_number     (MailPop3Retrieved *self);
const char  *mail_pop3_retrieved_get_uid        (MailPop3Retrieved *self);
guint64      mail_pop3_retrieved_get_size       (MailPop3Retrieved *self);
GBytes      *mail_pop3_retrieved_get_bytes      (MailPop3Retrieved *self);
GBytes      *mail_pop3_retrieved_steal_bytes    (MailPop3Retrieved *self)
    G_GNUC_WARN_UNUSED_RESULT;
void         mail_pop3_retrieved_mark_stored    (MailPop3Retrieved *self);
gboolean     mail_pop3_retrieved_is_stored      (MailPop3Retrieved *self);

G_END_DECLS
