/* mail-folder-summary.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One folder as the folder list shows it. MailFolderList updates the objects it handed
 * out (counts, name, role), notifying what changed. */

#include "config.h"

#include <string.h>

#include "mail-store-private.h"

struct _MailFolderSummary
{
  GObject         parent_instance;

  gint64          id;
  char           *name;
  char           *delimiter;
  MailFolderRole  role;
  gboolean        subscribed;
  guint           attributes;
  guint           total;
  guint           unread;
};

G_DEFINE_FINAL_TYPE (MailFolderSummary, mail_folder_summary, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_DISPLAY_NAME,
  PROP_DELIMITER,
  PROP_DEPTH,
  PROP_ROLE,
  PROP_SUBSCRIBED,
  PROP_ATTRIBUTES,
  PROP_TOTAL,
  PROP_UNREAD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
mail_folder_summary_finalize (GObject *object)
{
  MailFolderSummary *self = MAIL_FOLDER_SUMMARY (object);

  g_free (self->name);
  g_free (self->delimiter);

  G_OBJECT_CLASS (mail_folder_summary_parent_class)->finalize (object);
}

static void
mail_folder_summary_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  MailFolderSummary *self = MAIL_FOLDER_SUMMARY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, mail_folder_summary_get_display_name (self));
      break;
    case PROP_DELIMITER:
      g_value_set_string (value, self->delimiter);
      break;
    case PROP_DEPTH:
      g_value_set_uint (value, mail_folder_summary_get_depth (self));
      break;
    case PROP_ROLE:
      g_value_set_int (value, self->role);
      break;
    case PROP_SUBSCRIBED:
      g_value_set_boolean (value, self->subscribed);
      break;
    case PROP_ATTRIBUTES:
      g_value_set_uint (value, self->attributes);
      break;
    case PROP_TOTAL:
      g_value_set_uint (value, self->total);
      break;
    case PROP_UNREAD:
      g_value_set_uint (value, self->unread);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mail_folder_summary_class_init (MailFolderSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = mail_folder_summary_finalize;
  object_class->get_property = mail_folder_summary_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_DELIMITER] = g_param_spec_string ("delimiter", NULL, NULL, NULL, flags);
  properties[PROP_DEPTH] = g_param_spec_uint ("depth", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_ROLE] =
    g_param_spec_int ("role", NULL, NULL, 0, MAIL_FOLDER_ROLE_FLAGGED, 0, flags);
  properties[PROP_SUBSCRIBED] = g_param_spec_boolean ("subscribed", NULL, NULL, FALSE, flags);
  properties[PROP_ATTRIBUTES] = g_param_spec_uint ("attributes", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_TOTAL] = g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_UNREAD] = g_param_spec_uint ("unread", NULL, NULL, 0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mail_folder_summary_init (MailFolderSummary *self)
{
}

static void
read_row (MailFolderSummary *self,
          MailStoreStmt     *stmt,
          gboolean           notify)
{
  const char *name = (const char *) sqlite3_column_text (stmt, 1);
  const char *delimiter = (const char *) sqlite3_column_text (stmt, 2);
  MailFolderRole role = sqlite3_column_int (stmt, 3);
  gboolean subscribed = sqlite3_column_int (stmt, 4) != 0;
  guint attributes = (guint) sqlite3_column_int (stmt, 5);
  guint total = (guint) MAX (0, sqlite3_column_int64 (stmt, 6));
  guint unread = (guint) MAX (0, sqlite3_column_int64 (stmt, 7));
  GObject *object = G_OBJECT (self);

  self->id = sqlite3_column_int64 (stmt, 0);

  if (notify)
    g_object_freeze_notify (object);

  if (g_strcmp0 (self->name, name) != 0 || g_strcmp0 (self->delimiter, delimiter) != 0)
    {
      g_free (self->name);
      self->name = g_strdup (name);
      g_free (self->delimiter);
      self->delimiter = g_strdup (delimiter);
      if (notify)
        {
          g_object_notify_by_pspec (object, properties[PROP_NAME]);
          g_object_notify_by_pspec (object, properties[PROP_DISPLAY_NAME]);
          g_object_notify_by_pspec (object, properties[PROP_DELIMITER]);
          g_object_notify_by_pspec (object, properties[PROP_DEPTH]);
        }
    }

#define UPDATE(field, prop)                                      \
  if (self->field != field)                                      \
    {                                                            \
      self->field = field;                                       \
      if (notify)                                                \
        g_object_notify_by_pspec (object, properties[prop]);     \
    }

  UPDATE (role, PROP_ROLE);
  UPDATE (subscribed, PROP_SUBSCRIBED);
  UPDATE (attributes, PROP_ATTRIBUTES);
  UPDATE (total, PROP_TOTAL);
  UPDATE (unread, PROP_UNREAD);

#undef UPDATE

  if (notify)
    g_object_thaw_notify (object);
}

MailFolderSummary *
_mail_folder_summary_new_from_stmt (MailStoreStmt *stmt)
{
  MailFolderSummary *self = g_object_new (MAIL_TYPE_FOLDER_SUMMARY, NULL);

  read_row (self, stmt, FALSE);
  return self;
}

void
_mail_folder_summary_update_from_stmt (MailFolderSummary *self,
                                       MailStoreStmt     *stmt)
{
  read_row (self, stmt, TRUE);
}

gint64
mail_folder_summary_get_id (MailFolderSummary *self)
{
  g_return_val_if_fail (MAIL_IS_FOLDER_SUMMARY (self), 0);
  return self->id;
}

/**
 * mail_folder_summary_get_name:
 * @self: a folder
 *
 * Returns: the folder's full name, with the server's delimiters
 */
const char *
mail_folder_summary_get_name (MailFolderSummary *self)
{
  g_return_val_if_fail (MAIL_IS_FOLDER_SUMMARY (self), NULL);
  return self->name;
}

/**
 * mail_folder_summary_get_display_name:
 * @self: a folder
 *
 * Returns: the last part of the folder's name ("Lists" for "INBOX/Lists")
 */
const char *
mail_folder_summary_get_display_name (MailFolderSummary *self)
{
  const char *last;

  g_return_val_if_fail (MAIL_IS_FOLDER_SUMMARY (self), NULL);

  if (self->name == NULL || self->delimiter == NULL || *self->delimiter == '\0')
    return self->name;

  last = g_strrstr (self->name, self->delimiter);
  if (last == NULL || last[strlen (self->delimiter)] == '\0')
    return self->name;

  return last + strlen (self->delimiter);
}

const char *
mail_folder_summary_get_delimiter (MailFolderSummary *self)
{
  g_return_val_if_fail (MAIL_IS_FOLDER_SUMMARY (self), NULL);
  return self->delimiter;
}

/**
 * mail_folder_summary_get_depth:
 * @self: a folder
 *
 * Returns: how many folders it is nested in (0 at the top level)
 */
guint
mail_folder_summary_get_depth (MailFolderSummary *self)
{
  guint depth = 0;

  g_return_val_if_fail (MAIL_IS_FOLDER_SUMMARY (self), 0);

  if (self->name == NULL || self->delimiter == NULL || *self->delimiter == '\0')
    return 0;

  for (const char *p = strstr (self->name, self->delimiter); p != NULL;
       p = strstr (p + strlen (self->delimiter), self->delimiter))
    depth++;

  return depth;
}

MailFolderRole
mail_folder_summary_get_role (MailFolderSummary *self)
{
  g_return_val_if_fail (MAIL_IS_FOLDER_SUMMARY (self), MAIL_FOLDER_ROLE_NONE);
  return self->role;
}

gboolean
mail_folder_summary_get_subscribed (MailFolderSummary *self)
{
  g_return_val_if_fail (MAIL_IS_FOLDER_SUMMARY (self), FALSE);
  return self->subscribed;
}

guint
mail_folder_summary_get_attributes (MailFolderSummary *self)
{
  g_return_val_if_fail (MAIL_IS_FOLDER_SUMMARY (self), 0);
  return self->attributes;
}

/**
 * mail_folder_summary_get_total:
 * @self: a folder
 *
 * Returns: how many messages of the folder are stored
 */
guint
mail_folder_summary_get_total (MailFolderSummary *self)
{
  g_return_val_if_fail (MAIL_IS_FOLDER_SUMMARY (self), 0);
  return self->total;
}

/**
 * mail_folder_summary_get_unread:
 * @self: a folder
 *
 * Returns: how many of them are neither read nor deleted
 */
guint
mail_folder_summary_get_unread (MailFolderSummary *self)
{
  g_return_val_if_fail (MAIL_IS_FOLDER_SUMMARY (self), 0);
  return self->unread;
}
