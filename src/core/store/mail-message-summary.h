/* mail-message-summary.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mail-store-types.h"

G_BEGIN_DECLS

#define MAIL_TYPE_MESSAGE_SUMMARY (mail_message_summary_get_type ())

G_DECLARE_FINAL_TYPE (MailMessageSummary, mail_message_summary, MAIL, MESSAGE_SUMMARY, GObject)

gint64              mail_message_summary_get_id              (MailMessageSummary *self);
gint64              mail_message_summary_get_folder_id       (MailMessageSummary *self);
guint32             mail_message_summary_get_uid             (MailMessageSummary *self);
guint32             mail_message_summary_get_flags           (MailMessageSummary *self);
gboolean            mail_message_summary_get_unread          (MailMessageSummary *self);
gboolean            mail_message_summary_get_flagged         (MailMessageSummary *self);
gint64              mail_message_summary_get_date            (MailMessageSummary *self);
const char         *mail_message_summary_get_sender          (MailMessageSummary *self);
const char         *mail_message_summary_get_sender_name     (MailMessageSummary *self);
const char         *mail_message_summary_get_sender_address  (MailMessageSummary *self);
const char         *mail_message_summary_get_recipients      (MailMessageSummary *self);
const char         *mail_message_summary_get_subject         (MailMessageSummary *self);
const char         *mail_message_summary_get_preview         (MailMessageSummary *self);
const char         *mail_message_summary_get_message_id      (MailMessageSummary *self);
gboolean            mail_message_summary_get_has_attachments (MailMessageSummary *self);
gint64              mail_message_summary_get_thread_id       (MailMessageSummary *self);
guint64             mail_message_summary_get_size            (MailMessageSummary *self);
MailStoreBodyState  mail_message_summary_get_body_state      (MailMessageSummary *self);
gboolean            mail_message_summary_get_removed         (MailMessageSummary *self);

G_END_DECLS
