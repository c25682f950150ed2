/* mail-message-summary.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One row of a message list: what the views show of a message. Small on purpose: a
 * model creates these only for the rows it is asked for. The list models update the
 * object a view holds when its row changes (flags, preview), notifying the properties
 * that changed; bind to the properties rather than reading them once.
 */

#include "config.h"

#include "mail-store-private.h"

struct _MailMessageSummary
{
  GObject  parent_instance;

  gint64   id;
  gint64   folder_id;
  guint32  uid;
  guint32  flags;
  gint64   date;
  char    *sender_name;
  char    *sender_address;
  char    *recipients;
  char    *subject;
  char    *preview;
  char    *message_id;
  gint64   thread_id;
  guint64  size;
  guint    body_state : 2;
  guint    has_attachments : 1;
  guint    removed : 1;
};

G_DEFINE_FINAL_TYPE (MailMessageSummary, mail_message_summary, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_FOLDER_ID,
  PROP_UID,
  PROP_FLAGS,
  PROP_UNREAD,
  PROP_FLAGGED,
  PROP_DATE,
  PROP_SENDER,
  PROP_SENDER_NAME,
  PROP_SENDER_ADDRESS,
  PROP_RECIPIENTS,
  PROP_SUBJECT,
  PROP_PREVIEW,
  PROP_MESSAGE_ID,
  PROP_HAS_ATTACHMENTS,
  PROP_THREAD_ID,
  PROP_SIZE,
  PROP_BODY_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mail_message_summary_finalize (GObject *object)
{
  MailMessageSummary *self = MAIL_MESSAGE_SUMMARY (object);

  g_free (self->sender_name);
  g_free (self->sender_address);
  g_free (self->recipients);
  g_free (self->subject);
  g_free (self->preview);
  g_free (self->message_id);

  G_OBJECT_CLASS (mail_message_summary_parent_class)->finalize (object);
}

static void
mail_message_summary_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  MailMessageSummary *self = MAIL_MESSAGE_SUMMARY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_FOLDER_ID:
      g_value_set_int64 (value, self->folder_id);
      break;
    case PROP_UID:
      g_value_set_uint (value, self->uid);
      break;
    case PROP_FLAGS:
      g_value_set_uint (value, self->flags);
      break;
    case PROP_UNREAD:
      g_value_set_boolean (value, mail_message_summary_get_unread (self));
      break;
    case PROP_FLAGGED:
      g_value_set_boolean (value, mail_message_summary_get_flagged (self));
      break;
    case PROP_DATE:
      g_value_set_int64 (value, self->date);
      break;
    case PROP_SENDER:
      g_value_set_string (value, mail_message_summary_get_sender (self));
      break;
    case PROP_SENDER_NAME:
      g_value_set_string (value, self->sender_name);
      break;
    case PROP_SENDER_ADDRESS:
      g_value_set_string (value, self->sender_address);
      break;
    case PROP_RECIPIENTS:
      g_value_set_string (value, self->recipients);
      break;
    case PROP_SUBJECT:
      g_value_set_string (value, self->subject);
      break;
    case PROP_PREVIEW:
      g_value_set_string (value, self->preview);
      break;
    case PROP_MESSAGE_ID:
      g_value_set_string (value, self->message_id);
      break;
    case PROP_HAS_ATTACHMENTS:
      g_value_set_boolean (value, self->has_attachments);
      break;
    case PROP_THREAD_ID:
      g_value_set_int64 (value, self->thread_id);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_BODY_STATE:
      g_value_set_uint (value, self->body_state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_message_summary_class_init (MailMessageSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = mail_message_summary_finalize;
  object_class->get_property = mail_message_summary_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_FOLDER_ID] =
    g_param_spec_int64 ("folder-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UID] = g_param_spec_uint ("uid", NULL, NULL, 0, G_MAXUINT32, 0, flags);
  properties[PROP_FLAGS] = g_param_spec_uint ("flags", NULL, NULL, 0, G_MAXUINT32, 0, flags);
  properties[PROP_UNREAD] = g_param_spec_boolean ("unread", NULL, NULL, FALSE, flags);
  properties[PROP_FLAGGED] = g_param_spec_boolean ("flagged", NULL, NULL, FALSE, flags);
  properties[PROP_DATE] =
    g_param_spec_int64 ("date", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_SENDER] = g_param_spec_string ("sender", NULL, NULL, NULL, flags);
  properties[PROP_SENDER_NAME] = g_param_spec_string ("sender-name", NULL, NULL, NULL, flags);
  properties[PROP_SENDER_ADDRESS] =
    g_param_spec_string ("sender-address", NULL, NULL, NULL, flags);
  properties[PROP_RECIPIENTS] = g_param_spec_string ("recipients", NULL, NULL, NULL, flags);
  properties[PROP_SUBJECT] = g_param_spec_string ("subject", NULL, NULL, NULL, flags);
  properties[PROP_PREVIEW] = g_param_spec_string ("preview", NULL, NULL, NULL, flags);
  properties[PROP_MESSAGE_ID] = g_param_spec_string ("message-id", NULL, NULL, NULL, flags);
  properties[PROP_HAS_ATTACHMENTS] =
    g_param_spec_boolean ("has-attachments", NULL, NULL, FALSE, flags);
  properties[PROP_THREAD_ID] =
    g_param_spec_int64 ("thread-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SIZE] = g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_BODY_STATE] =
    g_param_spec_uint ("body-state", NULL, NULL, 0, MAIL_STORE_BODY_COMPLETE, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mail_message_summary_init (MailMessageSummary *self)
{
}

static char *
column_text (MailStoreStmt *stmt,
             int            column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* Sets *field to @value, notifying @prop when it changed. Takes @value. */
static void
set_string (MailMessageSummary  *self,
            char               **field,
            char                *value,
            int                  prop)
{
  if (g_strcmp0 (*field, value) == 0)
    {
      g_free (value);
      return;
    }

  g_free (*field);
  *field = value;
  if (prop != PROP_0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

#define SET_FIELD(self, field, value, prop)                                      \
  G_STMT_START                                                                   \
  {                                                                              \
    if ((self)->field != (value))                                                \
      {                                                                          \
        (self)->field = (value);                                                 \
        if ((prop) != PROP_0)                                                    \
          g_object_notify_by_pspec (G_OBJECT (self), properties[(prop)]);        \
      }                                                                          \
  }                                                                              \
  G_STMT_END

/* Reads a row of MAIL_STORE_MESSAGE_COLUMNS into @self, notifying what changed. */
static void
read_row (MailMessageSummary *self,
          MailStoreStmt      *stmt,
          gboolean            notify)
{
  guint32 flags = (guint32) sqlite3_column_int64 (stmt, 3);
  gboolean was_unread = mail_message_summary_get_unread (self);
  gboolean was_flagged = mail_message_summary_get_flagged (self);
  g_autofree char *old_sender = g_strdup (mail_message_summary_get_sender (self));
  int p = notify ? 1 : 0;

  if (notify)
    g_object_freeze_notify (G_OBJECT (self));

  self->id = sqlite3_column_int64 (stmt, 0);
  SET_FIELD (self, folder_id, sqlite3_column_int64 (stmt, 1), p * PROP_FOLDER_ID);
  SET_FIELD (self, uid, (guint32) sqlite3_column_int64 (stmt, 2), p * PROP_UID);
  SET_FIELD (self, flags, flags, p * PROP_FLAGS);
  SET_FIELD (self, date, sqlite3_column_int64 (stmt, 4), p * PROP_DATE);
  set_string (self, &self->sender_name, column_text (stmt, 5), p * PROP_SENDER_NAME);
  set_string (self, &self->sender_address, column_text (stmt, 6), p * PROP_SENDER_ADDRESS);
  set_string (self, &self->recipients, column_text (stmt, 7), p * PROP_RECIPIENTS);
  set_string (self, &self->subject, column_text (stmt, 8), p * PROP_SUBJECT);
  set_string (self, &self->preview, column_text (stmt, 9), p * PROP_PREVIEW);
  SET_FIELD (self, has_attachments, (guint) (sqlite3_column_int (stmt, 10) != 0),
             p * PROP_HAS_ATTACHMENTS);
  SET_FIELD (self, thread_id, sqlite3_column_int64 (stmt, 11), p * PROP_THREAD_ID);
  SET_FIELD (self, size, (guint64) sqlite3_column_int64 (stmt, 12), p * PROP_SIZE);
  SET_FIELD (self, body_state, (guint) CLAMP (sqlite3_column_int (stmt, 13), 0, 2),
             p * PROP_BODY_STATE);
  set_string (self, &self->message_id, column_text (stmt, 14), p * PROP_MESSAGE_ID);
  self->removed = FALSE;

  if (notify)
    {
      if (was_unread != mail_message_summary_get_unread (self))
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD]);
      if (was_flagged != mail_message_summary_get_flagged (self))
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLAGGED]);
      if (g_strcmp0 (old_sender, mail_message_summary_get_sender (self)) != 0)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SENDER]);
      g_object_thaw_notify (G_OBJECT (self));
    }
}

MailMessageSummary *
_mail_message_summary_new_from_stmt (MailStoreStmt *stmt)
{
  MailMessageSummary *self = g_object_new (MAIL_TYPE_MESSAGE_SUMMARY, NULL);

  read_row (self, stmt, FALSE);
  return self;
}

void
_mail_message_summary_update_from_stmt (MailMessageSummary *self,
                                        MailStoreStmt      *stmt)
{
  read_row (self, stmt, TRUE);
}

/* What a list shows for a row that was removed before the view ever asked for it (only
 * asked for while the list is catching up with a change). */
MailMessageSummary *
_mail_message_summary_new_removed (gint64 id,
                                   gint64 date)
{
  MailMessageSummary *self = g_object_new (MAIL_TYPE_MESSAGE_SUMMARY, NULL);

  self->id = id;
  self->date = date;
  self->flags = MAIL_MESSAGE_SEEN;
  self->removed = TRUE;

  return self;
}

gint64
mail_message_summary_get_id (MailMessageSummary *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_SUMMARY (self), 0);
  return self->id;
}

gint64
mail_message_summary_get_folder_id (MailMessageSummary *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_SUMMARY (self), 0);
  return self->folder_id;
}

/**
 * mail_message_summary_get_uid:
 * @self: a message
 *
 * Returns: its UID, or 0 while the server has not confirmed it
 */
guint32
mail_message_summary_get_uid (MailMessageSummary *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_SUMMARY (self), 0);
  return self->uid;
}

guint32
mail_message_summary_get_flags (MailMessageSummary *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_SUMMARY (self), 0);
  return self->flags;
}

gboolean
mail_message_summary_get_unread (MailMessageSummary *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_SUMMARY (self), FALSE);
  return (self->flags & (MAIL_MESSAGE_SEEN | MAIL_MESSAGE_DELETED)) == 0;
}

gboolean
mail_message_summary_get_flagged (MailMessageSummary *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_SUMMARY (self), FALSE);
  return (self->flags & MAIL_MESSAGE_FLAGGED) != 0;
}

/**
 * mail_message_summary_get_date:
 * @self: a message
 *
 * Returns: its date (the Date header's, else the server's), in seconds since the epoch
 */
gint64
mail_message_summary_get_date (MailMessageSummary *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_SUMMARY (self), 0);
  return self->date;
}

/**
 * mail_message_summary_get_sender:
 * @self: a message
 *
 * Returns: the sender as a list shows it: the name, else the address, else ""
 */
const char *
mail_message_summary_get_sender (MailMessageSummary *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_SUMMARY (self), NULL);

  if (self->sender_name != NULL && *self->sender_name != '\0')
    return self->sender_name;
  if (self->sender_address != NULL)
    return self->sender_address;
  return "";
}

const char *
mail_message_summary_get_sender_name (MailMessageSummary *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_SUMMARY (self), NULL);
  return self->sender_name;
}

const char *
mail_message_summary_get_sender_address (MailMessageSummary *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_SUMMARY (self), NULL);
  return self->sender_address;
}

const char *
mail_message_summary_get_recipients (MailMessageSummary *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_SUMMARY (self), NULL);
  return self->recipients;
}

const char *
mail_message_summary_get_subject (MailMessageSummary *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_SUMMARY (self), NULL);
  return self->subject != NULL ? self->subject : "";
}

/**
 * mail_message_summary_get_preview:
 * @self: a message
 *
 * Returns: (nullable): the start of its text, on one line; %NULL until its body is
 *   stored
 */
const char *
mail_message_summary_get_preview (MailMessageSummary *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_SUMMARY (self), NULL);
  return self->preview;
}

const char *
mail_message_summary_get_message_id (MailMessageSummary *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_SUMMARY (self), NULL);
  return self->message_id;
}

gboolean
mail_message_summary_get_has_attachments (MailMessageSummary *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_SUMMARY (self), FALSE);
  return self->has_attachments;
}

gint64
mail_message_summary_get_thread_id (MailMessageSummary *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_SUMMARY (self), 0);
  return self->thread_id;
}

guint64
mail_message_summary_get_size (MailMessageSummary *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_SUMMARY (self), 0);
  return self->size;
}

MailStoreBodyState
mail_message_summary_get_body_state (MailMessageSummary *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_SUMMARY (self), MAIL_STORE_BODY_NONE);
  return self->body_state;
}

/**
 * mail_message_summary_get_removed:
 * @self: a message
 *
 * Returns: %TRUE for the stand-in of a row removed before it was ever read (a list may
 *   hand one out while it catches up with a change; it has only an id and a date)
 */
gboolean
mail_message_summary_get_removed (MailMessageSummary *self)
{
  g_return_val_if_fail (MAIL_IS_MESSAGE_SUMMARY (self), FALSE);
  return self->removed;
}
