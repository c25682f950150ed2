/* mail-store-types.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "mail-mime.h"

G_BEGIN_DECLS

typedef struct _MailStore           MailStore;
typedef struct _MailStoreBodyWriter MailStoreBodyWriter;
typedef struct _MailMessageSummary  MailMessageSummary;
typedef struct _MailFolderSummary   MailFolderSummary;
typedef struct _MailMessageList     MailMessageList;
typedef struct _MailFolderList      MailFolderList;

/**
 * MailFolderRole:
 * @MAIL_FOLDER_ROLE_NONE: an ordinary folder
 * @MAIL_FOLDER_ROLE_INBOX: the Inbox
 * @MAIL_FOLDER_ROLE_SENT: sent mail (`\Sent`)
 * @MAIL_FOLDER_ROLE_DRAFTS: drafts (`\Drafts`)
 * @MAIL_FOLDER_ROLE_TRASH: deleted mail (`\Trash`)
 * @MAIL_FOLDER_ROLE_JUNK: spam (`\Junk`)
 * @MAIL_FOLDER_ROLE_ARCHIVE: archived mail (`\Archive`)
 * @MAIL_FOLDER_ROLE_ALL: a virtual folder of all mail (`\All`)
 * @MAIL_FOLDER_ROLE_FLAGGED: a virtual folder of flagged mail (`\Flagged`)
 *
 * What a folder is for, from its SPECIAL-USE attribute (RFC 6154) or else its name. The
 * values are stored: append, never renumber.
 */
typedef enum
{
  MAIL_FOLDER_ROLE_NONE,
  MAIL_FOLDER_ROLE_INBOX,
  MAIL_FOLDER_ROLE_SENT,
  MAIL_FOLDER_ROLE_DRAFTS,
  MAIL_FOLDER_ROLE_TRASH,
  MAIL_FOLDER_ROLE_JUNK,
  MAIL_FOLDER_ROLE_ARCHIVE,
  MAIL_FOLDER_ROLE_ALL,
  MAIL_FOLDER_ROLE_FLAGGED,
} MailFolderRole;

/**
 * MailFolderAttributes:
 * @MAIL_FOLDER_NOSELECT: the folder holds no messages, only other folders
 * @MAIL_FOLDER_NOINFERIORS: the folder cannot have subfolders
 * @MAIL_FOLDER_NONEXISTENT: the folder is only known from a subscription
 * @MAIL_FOLDER_HAS_CHILDREN: the folder has subfolders
 *
 * Folder attributes from LIST, as stored.
 */
typedef enum
{
  MAIL_FOLDER_NOSELECT     = 1 << 0,
  MAIL_FOLDER_NOINFERIORS  = 1 << 1,
  MAIL_FOLDER_NONEXISTENT  = 1 << 2,
  MAIL_FOLDER_HAS_CHILDREN = 1 << 3,
} MailFolderAttributes;

/**
 * MailMessageFlags:
 * @MAIL_MESSAGE_SEEN: `\Seen`
 * @MAIL_MESSAGE_ANSWERED: `\Answered`
 * @MAIL_MESSAGE_FLAGGED: `\Flagged` (starred)
 * @MAIL_MESSAGE_DELETED: `\Deleted`
 * @MAIL_MESSAGE_DRAFT: `\Draft`
 * @MAIL_MESSAGE_FORWARDED: the `$Forwarded` keyword
 * @MAIL_MESSAGE_JUNK: the `$Junk` keyword
 * @MAIL_MESSAGE_NOT_JUNK: the `$NotJunk` keyword
 *
 * The flags a message has, as a bitmask; other keywords are kept as text. The values are
 * stored: append, never renumber.
 */
typedef enum
{
  MAIL_MESSAGE_SEEN      = 1 << 0,
  MAIL_MESSAGE_ANSWERED  = 1 << 1,
  MAIL_MESSAGE_FLAGGED   = 1 << 2,
  MAIL_MESSAGE_DELETED   = 1 << 3,
  MAIL_MESSAGE_DRAFT     = 1 << 4,
  MAIL_MESSAGE_FORWARDED = 1 << 5,
  MAIL_MESSAGE_JUNK      = 1 << 6,
  MAIL_MESSAGE_NOT_JUNK  = 1 << 7,
} MailMessageFlags;

/**
 * MailStoreBodyState:
 * @MAIL_STORE_BODY_NONE: only the headers are stored
 * @MAIL_STORE_BODY_PARTIAL: part of the message is stored (its text, not its attachments)
 * @MAIL_STORE_BODY_COMPLETE: the whole raw message is stored
 */
typedef enum
{
  MAIL_STORE_BODY_NONE,
  MAIL_STORE_BODY_PARTIAL,
  MAIL_STORE_BODY_COMPLETE,
} MailStoreBodyState;

/**
 * MailStoreDurability:
 * @MAIL_STORE_DURABILITY_NORMAL: the transaction survives the program crashing; a power
 *   loss right after it may lose it (but never corrupts the database). For what the
 *   server still has: headers, flags, bodies.
 * @MAIL_STORE_DURABILITY_DURABLE: the transaction is on disk when the commit returns
 *   (`synchronous=FULL`). For what a server-side effect depends on: before an EXPUNGE, a
 *   POP3 DELE, removing a sent message from the outbox; and for the user's queued actions.
 *
 * How durable a write transaction must be when its commit returns.
 */
typedef enum
{
  MAIL_STORE_DURABILITY_NORMAL,
  MAIL_STORE_DURABILITY_DURABLE,
} MailStoreDurability;

/**
 * MailStoreActionKind:
 * @MAIL_STORE_ACTION_FLAG: set flags on messages
 * @MAIL_STORE_ACTION_UNFLAG: clear flags on messages
 * @MAIL_STORE_ACTION_MOVE: move messages to another folder
 * @MAIL_STORE_ACTION_COPY: copy messages to another folder
 * @MAIL_STORE_ACTION_DELETE: delete messages (move them to Trash, or mark them deleted)
 * @MAIL_STORE_ACTION_EXPUNGE: remove messages for good
 * @MAIL_STORE_ACTION_CREATE_FOLDER: create a folder
 * @MAIL_STORE_ACTION_RENAME_FOLDER: rename a folder
 * @MAIL_STORE_ACTION_DELETE_FOLDER: delete a folder
 * @MAIL_STORE_ACTION_APPEND: upload a message (a draft, a sent copy)
 *
 * What a queued offline action does on the server. Stored by name
 * (mail_store_action_kind_to_string()).
 */
typedef enum
{
  MAIL_STORE_ACTION_FLAG,
  MAIL_STORE_ACTION_UNFLAG,
  MAIL_STORE_ACTION_MOVE,
  MAIL_STORE_ACTION_COPY,
  MAIL_STORE_ACTION_DELETE,
  MAIL_STORE_ACTION_EXPUNGE,
  MAIL_STORE_ACTION_CREATE_FOLDER,
  MAIL_STORE_ACTION_RENAME_FOLDER,
  MAIL_STORE_ACTION_DELETE_FOLDER,
  MAIL_STORE_ACTION_APPEND,
} MailStoreActionKind;

/**
 * MailStoreActionState:
 * @MAIL_STORE_ACTION_PENDING: waiting to be replayed (again)
 * @MAIL_STORE_ACTION_FAILED: refused for good by the server; kept until the engine has
 *   rolled it back in the store and told the user
 */
typedef enum
{
  MAIL_STORE_ACTION_PENDING,
  MAIL_STORE_ACTION_FAILED,
} MailStoreActionState;

/**
 * MailStoreFolderInfo:
 * @name: the folder's full name as the user reads it (UTF-8, already decoded from
 *   modified UTF-7), with the server's hierarchy delimiter
 * @delimiter: (nullable): the hierarchy delimiter, one character, or %NULL for a flat
 *   namespace
 * @role: what the folder is for (mail_folder_role_from_special_use(),
 *   mail_folder_role_guess())
 * @subscribed: %TRUE when the user is subscribed to the folder
 * @attributes: #MailFolderAttributes
 *
 * A folder as the folder list reports it; what mail_store_upsert_folder() stores.
 */
typedef struct
{
  const char *name;
  const char *delimiter;
  MailFolderRole role;
  gboolean subscribed;
  guint attributes;
} MailStoreFolderInfo;

/**
 * MailStoreFolderState:
 * @uidvalidity: UIDVALIDITY, 0 when never synced
 * @uidnext: UIDNEXT as last seen
 * @highestmodseq: HIGHESTMODSEQ as last seen (CONDSTORE), 0 when unknown
 *
 * The sync state of a folder: what a resync compares with the server's.
 */
typedef struct
{
  guint32 uidvalidity;
  guint32 uidnext;
  guint64 highestmodseq;
} MailStoreFolderState;

/**
 * MailStoreMessageInfo:
 * @uid: the message's UID in its folder
 * @flags: #MailMessageFlags
 * @keywords: (nullable): other keywords, separated by spaces
 * @internal_date: the server's INTERNALDATE, in seconds since the epoch
 * @size: RFC822.SIZE
 * @modseq: the message's MODSEQ (CONDSTORE), or 0
 * @summary: the parsed headers (mail_mime_parse_headers() or the ENVELOPE read with
 *   the mail_mime_parse_*() helpers)
 *
 * A message's headers and state, as a header sync fetches them; what
 * mail_store_upsert_messages() stores.
 */
typedef struct
{
  guint32                uid;
  guint32                flags;
  const char            *keywords;
  gint64                 internal_date;
  guint64                size;
  guint64                modseq;
  const MailMimeSummary *summary;
} MailStoreMessageInfo;

/**
 * MailStoreFlagsUpdate:
 * @uid: the message's UID
 * @flags: its #MailMessageFlags now
 * @keywords: (nullable): its other keywords now
 * @modseq: its MODSEQ, or 0
 *
 * A message's flags as the server reports them (a FETCH FLAGS), for
 * mail_store_update_flags().
 */
typedef struct
{
  guint32     uid;
  guint32     flags;
  const char *keywords;
  guint64     modseq;
} MailStoreFlagsUpdate;

/**
 * MailStoreAction:
 * @id: the action's id, in the order actions were queued
 * @kind: what it does
 * @payload: what the sync engine recorded to replay it (its own format)
 * @state: whether it waits or failed for good
 * @attempts: how many times replaying it failed
 * @last_error: (nullable): the last failure, for the user
 * @created: when it was queued, in seconds since the epoch
 *
 * An offline action: a change already applied to the store that the server has not yet
 * been told of.
 */
typedef struct
{
  gint64               id;
  MailStoreActionKind  kind;
  char                *payload;
  MailStoreActionState state;
  guint                attempts;
  char                *last_error;
  gint64               created;
} MailStoreAction;

/**
 * MailStoreQuota:
 * @root: the quota root ("" when the server names none)
 * @resource: the resource ("STORAGE" in KiB, "MESSAGE" in messages)
 * @used: the usage
 * @limit: the limit
 * @updated: when the server last reported it, in seconds since the epoch
 *
 * One quota figure of the account (RFC 9208).
 */
typedef struct
{
  char   *root;
  char   *resource;
  guint64 used;
  guint64 limit;
  gint64  updated;
} MailStoreQuota;

void            mail_store_action_free              (MailStoreAction     *action);
void            mail_store_quota_free               (MailStoreQuota      *quota);
const char     *mail_store_action_kind_to_string    (MailStoreActionKind  kind);
gboolean        mail_store_action_kind_from_string  (const char          *name,
                                                     MailStoreActionKind *kind);
MailFolderRole  mail_folder_role_from_special_use   (const char          *attribute);
MailFolderRole  mail_folder_role_guess              (const char          *name,
                                                     const char          *delimiter);
const char     *mail_folder_role_to_string          (MailFolderRole       role);
guint32         mail_message_flags_from_keyword     (const char          *keyword);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailStoreAction, mail_store_action_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MailStoreQuota, mail_store_quota_free)

G_END_DECLS
