/* mail-folder-list.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-store-types.h"

G_BEGIN_DECLS

#define MAIL_TYPE_FOLDER_LIST (mail_folder_list_get_type ())

G_DECLARE_FINAL_TYPE (MailFolderList, mail_folder_list, MAIL, FOLDER_LIST, GObject)

MailFolderList *mail_folder_list_new (MailStore  *store,
                                      GError    **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
