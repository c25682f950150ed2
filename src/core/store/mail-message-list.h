/* mail-message-list.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-store-types.h"

G_BEGIN_DECLS

#define MAIL_TYPE_MESSAGE_LIST (mail_message_list_get_type ())

G_DECLARE_FINAL_TYPE (MailMessageList, mail_message_list, MAIL, MESSAGE_LIST, GObject)

MailMessageList *mail_message_list_new          (MailStore            *store,
                                                 gint64                folder_id,
                                                 GError              **error) G_GNUC_WARN_UNUSED_RESULT;
void             mail_message_list_new_search   (MailStore            *store,
                                                 const char           *text,
                                                 gint64                folder_id,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
MailMessageList *mail_message_list_new_search_finish (GAsyncResult    *result,
                                                      GError         **error) G_GNUC_WARN_UNUSED_RESULT;
gint64           mail_message_list_get_folder_id (MailMessageList     *self);
const char      *mail_message_list_get_match    (MailMessageList      *self);
guint            mail_message_list_get_n_loaded (MailMessageList      *self);

G_END_DECLS
