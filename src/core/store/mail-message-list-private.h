/* mail-message-list-private.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "mail-message-list.h"
#include "mail-store-private.h"

G_BEGIN_DECLS

/* Rows are read by pages of this many. */
#define MAIL_MESSAGE_LIST_PAGE_SIZE 100

typedef struct
{
  MailStoreKey        key;
  guint               pos;
  MailMessageSummary *item;
} MailMessageListRemoval;

typedef struct
{
  MailStoreKey key;
  guint        pos;
} MailMessageListAddition;

struct _MailMessageList
{
  GObject        parent_instance;

  MailStore     *store;
  MailStoreView *view;
  gint64         folder_id;
  char          *match;

  /* The announced state: its size, the change seq it reflects, and for a search its
   * keys in list order. */
  guint          n_items;
  gint64         seq;
  GArray        *keys;

  /* The plan: the announced state against the snapshot at target_seq. */
  gint64         target_seq;
  guint          n_target;
  gboolean       reset;
  GArray        *removals;
  GArray        *additions;
  GArray        *target_keys;
  GHashTable    *updated;
  guint          n_present;
  guint          n_revealed;

  /* Rows of the snapshot at target_seq, by page. */
  GHashTable    *pages;
  GQueue         page_order;
  GHashTable    *live;
  guint          n_loaded;
  gboolean       emitting;
};

void     _mail_message_list_drop_pages   (MailMessageList  *self);
void     _mail_message_list_clear_plan   (MailMessageList  *self);
gboolean _mail_message_list_folder_total (MailMessageList  *self,
                                          guint            *total,
                                          GError          **error);
void     _mail_message_list_catch_up     (MailMessageList  *self);
gboolean _mail_message_list_map_position (MailMessageList  *self,
                                          guint             position,
                                          guint            *s,
                                          guint            *removal);
void     _mail_message_list_emit_changes (MailMessageList  *self);

G_END_DECLS
