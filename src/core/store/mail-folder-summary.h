/* mail-folder-summary.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "mail-store-types.h"

G_BEGIN_DECLS

#define MAIL_TYPE_FOLDER_SUMMARY (mail_folder_summary_get_type ())

G_DECLARE_FINAL_TYPE (MailFolderSummary, mail_folder_summary, MAIL, FOLDER_SUMMARY, GObject)

gint64          mail_folder_summary_get_id           (MailFolderSummary *self);
const char     *mail_folder_summary_get_name         (MailFolderSummary *self);
const char     *mail_folder_summary_get_display_name (MailFolderSummary *self);
const char     *mail_folder_summary_get_delimiter    (MailFolderSummary *self);
guint           mail_folder_summary_get_depth        (MailFolderSummary *self);
MailFolderRole  mail_folder_summary_get_role         (MailFolderSummary *self);
gboolean        mail_folder_summary_get_subscribed   (MailFolderSummary *self);
guint           mail_folder_summary_get_attributes   (MailFolderSummary *self);
guint           mail_folder_summary_get_total        (MailFolderSummary *self);
guint           mail_folder_summary_get_unread       (MailFolderSummary *self);

G_END_DECLS
