/* mail-imap-client.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "mail-connection.h"
#include "mail-imap-command.h"
#include "mail-imap-error.h"
#include "mail-imap-parser.h"
#include "mail-imap-response.h"
#include "mail-imap-search.h"

G_BEGIN_DECLS

#define MAIL_TYPE_IMAP_CLIENT (mail_imap_client_get_type ())

G_DECLARE_FINAL_TYPE (MailImapClient, mail_imap_client, MAIL, IMAP_CLIENT, GObject)

typedef enum
{
  MAIL_IMAP_CLIENT_DISCONNECTED,
  MAIL_IMAP_CLIENT_NOT_AUTHENTICATED,
  MAIL_IMAP_CLIENT_AUTHENTICATED,
  MAIL_IMAP_CLIENT_SELECTED,
  MAIL_IMAP_CLIENT_LOGGED_OUT,
} MailImapClientState;

typedef enum /*< flags >*/
{
  MAIL_IMAP_CLIENT_OPTION_NONE               = 0,
  /* Behave as if the server lacked MOVE (for the COPY/STORE/UID EXPUNGE fallback). */
  MAIL_IMAP_CLIENT_OPTION_IGNORE_MOVE        = 1 << 0,
  /* Never use SASL-IR, LITERAL+ or LITERAL-. */
  MAIL_IMAP_CLIENT_OPTION_IGNORE_LITERAL_PLUS = 1 << 1,
} MailImapClientOptions;

/**
 * MailImapListFlags:
 * @MAIL_IMAP_LIST_NONE: a plain LIST
 * @MAIL_IMAP_LIST_SUBSCRIBED: only the subscribed mailboxes (LIST-EXTENDED's selection
 *   option; LSUB without LIST-EXTENDED)
 * @MAIL_IMAP_LIST_SPECIAL_USE: ask for the special-use attributes (\Sent, \Trash, ...;
 *   RFC 6154) when the server offers SPECIAL-USE
 * @MAIL_IMAP_LIST_STATUS: ask for each mailbox's STATUS in the same command when the server
 *   offers LIST-STATUS (RFC 5819): MESSAGES, UNSEEN, UIDNEXT, UIDVALIDITY, and
 *   HIGHESTMODSEQ when it offers CONDSTORE
 * @MAIL_IMAP_LIST_RETURN_SUBSCRIBED: list every mailbox and mark the subscribed ones
 *   (\Subscribed) when the server offers LIST-EXTENDED (RETURN (SUBSCRIBED))
 *
 * What mail_imap_client_list_sync() asks for. What the server does not offer is left out
 * of the command: check the attributes and responses that came back.
 */
typedef enum /*< flags >*/
{
  MAIL_IMAP_LIST_NONE              = 0,
  MAIL_IMAP_LIST_SUBSCRIBED        = 1 << 0,
  MAIL_IMAP_LIST_SPECIAL_USE       = 1 << 1,
  MAIL_IMAP_LIST_STATUS            = 1 << 2,
  MAIL_IMAP_LIST_RETURN_SUBSCRIBED = 1 << 3,
} MailImapListFlags;

typedef enum /*< flags >*/
{
  MAIL_IMAP_FETCH_ATTR_FLAGS         = 1 << 0,
  MAIL_IMAP_FETCH_ATTR_ENVELOPE      = 1 << 1,
  MAIL_IMAP_FETCH_ATTR_INTERNALDATE  = 1 << 2,
  MAIL_IMAP_FETCH_ATTR_SIZE          = 1 << 3,
  MAIL_IMAP_FETCH_ATTR_BODYSTRUCTURE = 1 << 4,
  MAIL_IMAP_FETCH_ATTR_MODSEQ        = 1 << 5,
  MAIL_IMAP_FETCH_ATTR_BODY          = 1 << 6,
} MailImapFetchAttrs;

/**
 * MailImapVanishedFunc:
 * @vanished: a VANISHED response's data: the UIDs expunged, as a set of ranges, and
 *   whether it was VANISHED (EARLIER), that is, expunged before this command
 * @user_data: the data given with the function
 *
 * Receives the UIDs a server reports expunged (QRESYNC, RFC 7162) during a command that
 * asked for them.
 */
typedef void (*MailImapVanishedFunc) (const MailImapVanishedData *vanished,
                                      gpointer                    user_data);

/**
 * MailImapFetchOptions:
 * @attrs: the attributes to fetch (UID always comes)
 * @header_fields: (nullable): header names for BODY.PEEK[HEADER.FIELDS (...)]; read them
 *   with mail_imap_fetch_dup_header()
 * @body_offset: with %MAIL_IMAP_FETCH_ATTR_BODY and @body_length, the first octet
 * @body_length: 0 for the whole body, otherwise the partial length (BODY.PEEK[]<o.n>)
 * @changed_since: 0, or only messages whose MODSEQ is higher (CONDSTORE)
 * @vanished: with @changed_since and QRESYNC enabled, also report expunged UIDs
 * @vanished_func: (nullable): with @vanished, receives the VANISHED (EARLIER) responses
 *   (with the fetch function's user data); when %NULL they arrive as
 *   #MailImapClient::vanished signals
 */
typedef struct
{
  MailImapFetchAttrs    attrs;
  const char * const   *header_fields;
  guint64               body_offset;
  guint64               body_length;
  guint64               changed_since;
  gboolean              vanished;
  MailImapVanishedFunc  vanished_func;
} MailImapFetchOptions;

/**
 * MailImapQresync:
 * @uidvalidity: the UIDVALIDITY known for the mailbox
 * @modseq: the HIGHESTMODSEQ known for the mailbox
 * @known_uids: (nullable): the UIDs known, as a UID set ("1:500")
 */
typedef struct
{
  guint32     uidvalidity;
  guint64     modseq;
  const char *known_uids;
} MailImapQresync;

/**
 * MailImapMailboxInfo:
 *
 * What SELECT or EXAMINE reported about a mailbox.
 */
typedef struct
{
  guint32        exists;
  guint32        recent;
  guint32        uidvalidity;
  guint32        uidnext;
  guint32        unseen;
  guint64        highestmodseq;
  gboolean       nomodseq;
  gboolean       read_write;
  MailImapFlags  flags;
  MailImapFlags  permanent_flags;
} MailImapMailboxInfo;

/**
 * MailImapCopyResult:
 *
 * The COPYUID or APPENDUID code (UIDPLUS) of a COPY, MOVE or APPEND.
 */
typedef struct
{
  guint32  uidvalidity;
  char    *source_uids;
  char    *dest_uids;
} MailImapCopyResult;

typedef enum
{
  MAIL_IMAP_STORE_ADD,
  MAIL_IMAP_STORE_REMOVE,
  MAIL_IMAP_STORE_REPLACE,
} MailImapStoreMode;

/**
 * MailImapClientLimits:
 * @max_responses: the most untagged responses one command may keep (collect)
 * @max_collected_size: the most memory, in bytes, the responses one command keeps may take
 * @command_deadline: seconds a command may take to be answered, from when it was sent or
 *   when the command before it was answered, whichever is later; 0 for none. It applies to
 *   commands that keep their results or none (not to those that stream their responses
 *   to a function, unless mail_imap_command_set_deadline() says so), and to the greeting
 * @progress_window: seconds; a command without a deadline must receive at least
 *   @min_progress bytes in every window of this length. 0 for no such rule
 * @min_progress: the bytes per @progress_window
 * @max_streamed_literal: the largest message content, in bytes, a command may stream to
 *   its body sink (mail_imap_command_set_body_sink()); content kept in memory is held to
 *   the parser's far smaller max_literal_size instead
 *
 * What a server may cost one command, beyond the parser's limits on each response
 * (#MailImapParserLimits) and the connection's timeout on each read. Going past any limit
 * fails the command (%MAIL_IMAP_ERROR_LIMIT_EXCEEDED for the budget,
 * %G_IO_ERROR_TIMED_OUT for the time) and closes the connection. IDLE has no deadline and
 * no progress rule. See mail_imap_client_limits_init() for the defaults.
 */
typedef struct
{
  guint    max_responses;
  guint64  max_collected_size;
  guint    command_deadline;
  guint    progress_window;
  guint64  min_progress;
  guint64  max_streamed_literal;
} MailImapClientLimits;

typedef void (*MailImapFetchFunc) (const MailImapFetch *fetch,
                                   gpointer             user_data);

void                 mail_imap_copy_result_clear          (MailImapCopyResult     *result);

MailImapClient      *mail_imap_client_new                 (const char             *host,
                                                           guint16                 port,
                                                           MailSecurity            security,
                                                           GTlsDatabase           *database);
MailConnection      *mail_imap_client_get_connection      (MailImapClient         *self);
void                 mail_imap_client_set_options         (MailImapClient         *self,
                                                           MailImapClientOptions   options);
void                 mail_imap_client_set_allow_plaintext_password (MailImapClient *self,
                                                           gboolean                allow);
void                 mail_imap_client_set_idle_restart    (MailImapClient         *self,
                                                           guint                   seconds);
void                 mail_imap_client_limits_init         (MailImapClientLimits   *limits);
void                 mail_imap_client_set_limits          (MailImapClient         *self,
                                                           const MailImapClientLimits *limits);
void                 mail_imap_client_get_limits          (MailImapClient         *self,
                                                           MailImapClientLimits   *limits);
MailImapClientState  mail_imap_client_get_state           (MailImapClient         *self);
const char * const  *mail_imap_client_get_capabilities    (MailImapClient         *self);
gboolean             mail_imap_client_has_capability      (MailImapClient         *self,
                                                           const char             *name);
gboolean             mail_imap_client_is_enabled          (MailImapClient         *self,
                                                           const char             *name);
const char          *mail_imap_client_get_selected        (MailImapClient         *self);

/* Connecting and signing in. */
gboolean             mail_imap_client_connect_sync        (MailImapClient         *self,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_login_sync          (MailImapClient         *self,
                                                           const char             *user,
                                                           const char             *password,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_logout_sync         (MailImapClient         *self,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
void                 mail_imap_client_close               (MailImapClient         *self);

void                 mail_imap_client_connect_async       (MailImapClient         *self,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
gboolean             mail_imap_client_connect_finish      (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           GError                **error);
void                 mail_imap_client_login_async         (MailImapClient         *self,
                                                           const char             *user,
                                                           const char             *password,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
gboolean             mail_imap_client_login_finish        (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           GError                **error);

/* Pipelining. */
MailImapCommand     *mail_imap_client_new_command         (MailImapClient         *self,
                                                           const char             *verb);
gboolean             mail_imap_client_submit              (MailImapClient         *self,
                                                           MailImapCommand        *command,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_wait_sync           (MailImapClient         *self,
                                                           MailImapCommand        *command,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_wait_all_sync       (MailImapClient         *self,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_run_sync            (MailImapClient         *self,
                                                           MailImapCommand        *command,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
void                 mail_imap_client_run_async           (MailImapClient         *self,
                                                           MailImapCommand        *command,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
gboolean             mail_imap_client_run_finish          (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           GError                **error);

/* Commands. */
gboolean             mail_imap_client_capability_sync     (MailImapClient         *self,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_noop_sync           (MailImapClient         *self,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_enable_sync         (MailImapClient         *self,
                                                           const char * const     *extensions,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
MailImapResponse    *mail_imap_client_id_sync             (MailImapClient         *self,
                                                           const char * const     *params,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
MailImapResponse    *mail_imap_client_namespace_sync      (MailImapClient         *self,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
GPtrArray           *mail_imap_client_list_sync           (MailImapClient         *self,
                                                           const char             *reference,
                                                           const char             *pattern,
                                                           MailImapListFlags       flags,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
GPtrArray           *mail_imap_client_lsub_sync           (MailImapClient         *self,
                                                           const char             *reference,
                                                           const char             *pattern,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_subscribe_sync      (MailImapClient         *self,
                                                           const char             *mailbox,
                                                           gboolean                subscribe,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_create_sync         (MailImapClient         *self,
                                                           const char             *mailbox,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_rename_sync         (MailImapClient         *self,
                                                           const char             *mailbox,
                                                           const char             *new_name,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_delete_sync         (MailImapClient         *self,
                                                           const char             *mailbox,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_select_sync         (MailImapClient         *self,
                                                           const char             *mailbox,
                                                           gboolean                read_only,
                                                           const MailImapQresync  *qresync,
                                                           MailImapMailboxInfo    *info,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_select_changes_sync (MailImapClient         *self,
                                                           const char             *mailbox,
                                                           gboolean                read_only,
                                                           const MailImapQresync  *qresync,
                                                           MailImapMailboxInfo    *info,
                                                           MailImapFetchFunc       fetch_func,
                                                           MailImapVanishedFunc    vanished_func,
                                                           gpointer                user_data,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_unselect_sync       (MailImapClient         *self,
                                                           gboolean                expunge,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
MailImapResponse    *mail_imap_client_status_sync         (MailImapClient         *self,
                                                           const char             *mailbox,
                                                           MailImapStatusItems     items,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
GPtrArray           *mail_imap_client_uid_fetch_sync      (MailImapClient         *self,
                                                           const char             *uids,
                                                           const MailImapFetchOptions *options,
                                                           MailImapFetchFunc       func,
                                                           gpointer                user_data,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_uid_fetch_body_sync (MailImapClient         *self,
                                                           const char             *uids,
                                                           const char             *section,
                                                           const MailImapBodySink *sink,
                                                           gpointer                user_data,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
void                 mail_imap_client_uid_fetch_body_async (MailImapClient        *self,
                                                           const char             *uids,
                                                           const char             *section,
                                                           const MailImapBodySink *sink,
                                                           gpointer                user_data,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                callback_data);
gboolean             mail_imap_client_uid_fetch_body_finish (MailImapClient       *self,
                                                           GAsyncResult           *result,
                                                           GError                **error);
gboolean             mail_imap_client_uid_store_sync      (MailImapClient         *self,
                                                           const char             *uids,
                                                           MailImapStoreMode       mode,
                                                           const char * const     *flags,
                                                           guint64                 unchanged_since,
                                                           char                  **modified,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_uid_copy_sync       (MailImapClient         *self,
                                                           const char             *uids,
                                                           const char             *mailbox,
                                                           MailImapCopyResult     *result,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_uid_move_sync       (MailImapClient         *self,
                                                           const char             *uids,
                                                           const char             *mailbox,
                                                           MailImapCopyResult     *result,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_uid_expunge_sync    (MailImapClient         *self,
                                                           const char             *uids,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_append_sync         (MailImapClient         *self,
                                                           const char             *mailbox,
                                                           const char * const     *flags,
                                                           GDateTime              *date,
                                                           GBytes                 *message,
                                                           MailImapCopyResult     *result,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
GArray              *mail_imap_client_uid_search_sync     (MailImapClient         *self,
                                                           const char             *criteria,
                                                           const char             *text,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_uid_search_ranges_sync (MailImapClient      *self,
                                                           const char             *criteria,
                                                           const char             *text,
                                                           MailImapSearchResult   *result,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
GPtrArray           *mail_imap_client_getquotaroot_sync   (MailImapClient         *self,
                                                           const char             *mailbox,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
MailImapResponse    *mail_imap_client_getquota_sync       (MailImapClient         *self,
                                                           const char             *root,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_compress_sync       (MailImapClient         *self,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
gboolean             mail_imap_client_idle_sync           (MailImapClient         *self,
                                                           GCancellable           *cancellable,
                                                           GError                **error);
void                 mail_imap_client_idle_stop           (MailImapClient         *self);
void                 mail_imap_client_idle_async          (MailImapClient         *self,
                                                           GCancellable           *cancellable,
                                                           GAsyncReadyCallback     callback,
                                                           gpointer                user_data);
gboolean             mail_imap_client_idle_finish         (MailImapClient         *self,
                                                           GAsyncResult           *result,
                                                           GError                **error);

G_END_DECLS
