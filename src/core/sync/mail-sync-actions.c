/* mail-sync-actions.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* User actions (flags, move, copy, delete) and their replay, on the engine thread.
 *
 * An action job applies the change to the store and queues one store action per message,
 * both in one MAIL_STORE_DURABILITY_DURABLE transaction, and answers at once; when the
 * engine is connected it then queues a replay job for itself. A replay (a replay job, or
 * the start of every sync) sends the pending actions in order: UID STORE; UID MOVE when
 * offered, else UID COPY + UID STORE \Deleted + UID EXPUNGE with UIDPLUS (never a plain
 * EXPUNGE: without UIDPLUS the source stays marked \Deleted). New UIDs from COPYUID go to
 * the store. A permanent refusal (the server's NO or BAD) rolls that action back in the
 * store and marks it failed for good; anything else (network, [INUSE]/[UNAVAILABLE]) stops
 * the replay and leaves the action queued, its attempts counted.
 *
 * The payload of a stored action is a GVariant in text form, "(xxsuuusasas)": the message,
 * the new message of a copy (else 0), the source folder, the source UID (0 when the
 * message had none yet), the source folder's UIDVALIDITY then (an action is never sent
 * to a folder whose UIDVALIDITY changed since: its UIDs name other messages), the
 * message's flags before the action, the destination folder ("" for
 * none), the keywords to add and to remove.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-net-error.h"
#include "mail-task.h"

#include "mail-sync-private.h"

#define PAYLOAD_TYPE "(xxsuuusasas)"

typedef enum
{
  REQUEST_FLAGS,
  REQUEST_MOVE,
  REQUEST_COPY,
  REQUEST_DELETE,
} RequestKind;

typedef struct
{
  RequestKind  kind;
  GArray      *ids;
  char       **add;
  char       **remove;
  char        *folder;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  g_array_unref (request->ids);
  g_strfreev (request->add);
  g_strfreev (request->remove);
  g_free (request->folder);
  g_free (request);
}

static guint32
flag_bits (char **keywords)
{
  guint32 bits = 0;

  for (guint i = 0; keywords != NULL && keywords[i] != NULL; i++)
    bits |= mail_message_flags_from_keyword (keywords[i]);

  return bits;
}

static MailFolderSummary *
find_trash (MailStore  *store,
            GError    **error)
{
  g_autoptr (GPtrArray) folders = mail_store_list_folders (store, error);

  if (folders == NULL)
    return NULL;
  for (guint i = 0; i < folders->len; i++)
    {
      MailFolderSummary *folder = g_ptr_array_index (folders, i);

      if (mail_folder_summary_get_role (folder) == MAIL_FOLDER_ROLE_TRASH)
        return g_object_ref (folder);
    }

  return NULL;
}

/* Applying --------------------------------------------------------------------------- */

/* The folder of the message applied last, and its state: the messages of one action are
 * nearly always in one folder, so it is read once, not once per message. */
typedef struct
{
  MailFolderSummary    *folder;
  MailStoreFolderState  state;
} FolderCache;

static gboolean
folder_cache_load (FolderCache  *cache,
                   MailStore    *store,
                   gint64        folder_id,
                   GError      **error)
{
  if (cache->folder != NULL && mail_folder_summary_get_id (cache->folder) == folder_id)
    return TRUE;

  g_clear_object (&cache->folder);
  cache->folder = mail_store_get_folder (store, folder_id, error);

  return cache->folder != NULL &&
         mail_store_get_folder_state (store, folder_id, &cache->state, error);
}

static gboolean
apply_one (MailSyncEngine  *self,
           Request         *request,
           gint64           id,
           gint64           dest_id,
           const char      *dest_name,
           gint64           trash_id,
           FolderCache     *cache,
           GError         **error)
{
  MailStore *store = self->store;
  g_autoptr (MailMessageSummary) message = mail_store_get_message (store, id, error);
  MailFolderSummary *folder;
  MailStoreActionKind kind;
  const char *dest = "";
  gint64 new_id = 0;
  gboolean ok;
  g_autofree char *payload = NULL;
  const char * const none[] = { NULL };

  if (message == NULL ||
      !folder_cache_load (cache, store, mail_message_summary_get_folder_id (message), error))
    return FALSE;
  folder = cache->folder;

  switch (request->kind)
    {
    case REQUEST_FLAGS:
      kind = MAIL_STORE_ACTION_FLAG;
      ok = mail_store_change_flags (store, &id, 1, flag_bits (request->add),
                                    flag_bits (request->remove), error);
      break;
    case REQUEST_MOVE:
      kind = MAIL_STORE_ACTION_MOVE;
      dest = dest_name;
      ok = mail_store_move_messages (store, &id, 1, dest_id, error);
      break;
    case REQUEST_COPY:
      {
        g_autoptr (GArray) new_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

        kind = MAIL_STORE_ACTION_COPY;
        dest = dest_name;
        ok = mail_store_copy_messages (store, &id, 1, dest_id, new_ids, error);
        if (ok && new_ids->len > 0)
          new_id = g_array_index (new_ids, gint64, 0);
      }
      break;
    case REQUEST_DELETE:
    default:
      if (trash_id != 0 && mail_folder_summary_get_id (folder) != trash_id)
        {
          kind = MAIL_STORE_ACTION_DELETE;
          dest = dest_name;
          ok = mail_store_move_messages (store, &id, 1, trash_id, error);
        }
      else
        {
          kind = MAIL_STORE_ACTION_EXPUNGE;
          ok = mail_store_delete_messages (store, &id, 1, error);
        }
      break;
    }
  if (!ok)
    return FALSE;

  payload = g_variant_print (g_variant_new ("(xxsuuus^as^as)", id, new_id,
                                            mail_folder_summary_get_name (folder),
                                            mail_message_summary_get_uid (message),
                                            cache->state.uidvalidity,
                                            mail_message_summary_get_flags (message), dest,
                                            request->add != NULL ? (const char * const *) request->add : none,
                                            request->remove != NULL ? (const char * const *) request->remove : none),
                             FALSE);

  return mail_store_enqueue_action (store, kind, payload, error) > 0;
}

static gpointer
action_job_run (MailSyncEngine  *self,
                MailSyncJob     *job,
                GCancellable    *cancellable,
                GError         **error)
{
  Request *request = job->data;
  FolderCache cache = { NULL, };
  g_autoptr (MailFolderSummary) trash = NULL;
  gint64 dest_id = 0;
  const char *dest_name = NULL;

  if (!_mail_sync_imap_ensure_store (self, error))
    return NULL;

  if (request->kind == REQUEST_MOVE || request->kind == REQUEST_COPY)
    {
      if (!mail_store_lookup_folder (self->store, request->folder, &dest_id, error))
        return NULL;
      dest_name = request->folder;
    }
  else if (request->kind == REQUEST_DELETE)
    {
      g_autoptr (GError) local_error = NULL;

      trash = find_trash (self->store, &local_error);
      if (trash == NULL && local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (trash != NULL)
        {
          dest_id = mail_folder_summary_get_id (trash);
          dest_name = mail_folder_summary_get_name (trash);
        }
    }

  if (!mail_store_begin (self->store, MAIL_STORE_DURABILITY_DURABLE, error))
    return NULL;
  for (guint i = 0; i < request->ids->len; i++)
    if (!apply_one (self, request, g_array_index (request->ids, gint64, i), dest_id, dest_name,
                    request->kind == REQUEST_DELETE ? dest_id : 0, &cache, error))
      {
        g_clear_object (&cache.folder);
        mail_store_rollback (self->store);
        return NULL;
      }
  g_clear_object (&cache.folder);
  if (!mail_store_commit (self->store, error))
    return NULL;

  /* Online: send it now, behind this job. */
  if (self->client != NULL)
    mail_sync_engine_replay_async (self, NULL, NULL, NULL);

  return GINT_TO_POINTER (TRUE);
}

static void
queue_action (MailSyncEngine      *self,
              Request             *request,
              const gint64        *ids,
              guint                n_ids,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task;
  MailSyncJob *job;

  request->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_vals (request->ids, ids, n_ids);
  task = mail_task_new (self, mail_sync_engine_action_finish, "mail_sync_engine_action",
                        G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  job = g_new0 (MailSyncJob, 1);
  job->kind = MAIL_SYNC_JOB_ACTION;
  job->data = request;
  job->data_free = request_free;
  job->run = action_job_run;
  _mail_sync_engine_queue_job (self, job, task);
}

/**
 * mail_sync_engine_set_flags_async:
 * @self: an engine
 * @ids: (array length=n_ids): messages of the store
 * @n_ids: how many
 * @add: (nullable) (array zero-terminated=1): flags to set ("\Seen", "\Flagged",
 *   "$Label1" ...)
 * @remove: (nullable) (array zero-terminated=1): flags to clear
 * @cancellable: (nullable): a cancellable
 * @callback: called once the store has the change and the action is queued
 * @user_data: its data
 *
 * Changes messages' flags: in the store at once (flags the store keeps as bits), and on the
 * server when the queued action is replayed. Finish with mail_sync_engine_action_finish().
 */
void
mail_sync_engine_set_flags_async (MailSyncEngine      *self,
                                  const gint64        *ids,
                                  guint                n_ids,
                                  const char * const  *add,
                                  const char * const  *remove,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Request *request = g_new0 (Request, 1);

  g_return_if_fail (MAIL_IS_SYNC_ENGINE (self));

  request->kind = REQUEST_FLAGS;
  request->add = g_strdupv ((char **) add);
  request->remove = g_strdupv ((char **) remove);
  queue_action (self, request, ids, n_ids, cancellable, callback, user_data);
}

/**
 * mail_sync_engine_move_async:
 * @self: an engine
 * @ids: (array length=n_ids): messages of the store
 * @n_ids: how many
 * @folder: the destination folder's full name
 * @cancellable: (nullable): a cancellable
 * @callback: called once the store has the change and the action is queued
 * @user_data: its data
 *
 * Moves messages to @folder. Finish with mail_sync_engine_action_finish().
 */
void
mail_sync_engine_move_async (MailSyncEngine      *self,
                             const gint64        *ids,
                             guint                n_ids,
                             const char          *folder,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Request *request = g_new0 (Request, 1);

  g_return_if_fail (MAIL_IS_SYNC_ENGINE (self));
  g_return_if_fail (folder != NULL);

  request->kind = REQUEST_MOVE;
  request->folder = g_strdup (folder);
  queue_action (self, request, ids, n_ids, cancellable, callback, user_data);
}

/**
 * mail_sync_engine_copy_async:
 * @self: an engine
 * @ids: (array length=n_ids): messages of the store
 * @n_ids: how many
 * @folder: the destination folder's full name
 * @cancellable: (nullable): a cancellable
 * @callback: called once the store has the change and the action is queued
 * @user_data: its data
 *
 * Copies messages to @folder. Finish with mail_sync_engine_action_finish().
 */
void
mail_sync_engine_copy_async (MailSyncEngine      *self,
                             const gint64        *ids,
                             guint                n_ids,
                             const char          *folder,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Request *request = g_new0 (Request, 1);

  g_return_if_fail (MAIL_IS_SYNC_ENGINE (self));
  g_return_if_fail (folder != NULL);

  request->kind = REQUEST_COPY;
  request->folder = g_strdup (folder);
  queue_action (self, request, ids, n_ids, cancellable, callback, user_data);
}

/**
 * mail_sync_engine_delete_async:
 * @self: an engine
 * @ids: (array length=n_ids): messages of the store
 * @n_ids: how many
 * @cancellable: (nullable): a cancellable
 * @callback: called once the store has the change and the action is queued
 * @user_data: its data
 *
 * Deletes messages: moves them to the Trash folder, or removes them for good when they
 * are in it already or the account has none. Finish with
 * mail_sync_engine_action_finish().
 */
void
mail_sync_engine_delete_async (MailSyncEngine      *self,
                               const gint64        *ids,
                               guint                n_ids,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Request *request = g_new0 (Request, 1);

  g_return_if_fail (MAIL_IS_SYNC_ENGINE (self));

  request->kind = REQUEST_DELETE;
  queue_action (self, request, ids, n_ids, cancellable, callback, user_data);
}

gboolean
mail_sync_engine_action_finish (MailSyncEngine  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Replaying -------------------------------------------------------------------------- */

static gboolean
is_permanent (const GError *error)
{
  return error->domain == MAIL_IMAP_ERROR && error->code != MAIL_IMAP_ERROR_TEMPORARY &&
         error->code != MAIL_IMAP_ERROR_BYE && error->code != MAIL_IMAP_ERROR_PROTOCOL &&
         error->code != MAIL_IMAP_ERROR_LIMIT_EXCEEDED;
}

static const char *
describe (MailStoreActionKind kind)
{
  switch (kind)
    {
    case MAIL_STORE_ACTION_FLAG:
    case MAIL_STORE_ACTION_UNFLAG:
      return _("change the flags of");
    case MAIL_STORE_ACTION_MOVE:
      return _("move");
    case MAIL_STORE_ACTION_COPY:
      return _("copy");
    case MAIL_STORE_ACTION_DELETE:
      return _("delete (move)");
    case MAIL_STORE_ACTION_EXPUNGE:
      return _("delete");
    case MAIL_STORE_ACTION_CREATE_FOLDER:
    case MAIL_STORE_ACTION_RENAME_FOLDER:
    case MAIL_STORE_ACTION_DELETE_FOLDER:
    case MAIL_STORE_ACTION_APPEND:
    default:
      return _("replay an action on");
    }
}

static gboolean
parse_single_uid (const char *text,
                  guint32    *uid)
{
  guint64 number;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, &number, NULL))
    return FALSE;
  *uid = (guint32) number;

  return TRUE;
}

/* Sends one action. On success, *new_uid is the message's UID in the destination (0 when
 * unknown). */
static gboolean
send_action (MailSyncEngine       *self,
             MailStoreActionKind   kind,
             const char           *src,
             guint32               uid,
             guint32               uidvalidity,
             const char           *dest,
             const char * const   *add,
             const char * const   *remove,
             guint32              *new_uid,
             GCancellable         *cancellable,
             GError              **error)
{
  MailImapClient *client = self->client;
  MailImapMailboxInfo info = { 0 };
  g_autofree char *set = g_strdup_printf ("%u", uid);
  const char * const deleted[] = { "\\Deleted", NULL };
  MailImapCopyResult result = { 0 };
  gboolean uidplus = mail_imap_client_has_capability (client, "UIDPLUS");
  gboolean ok;

  *new_uid = 0;
  if (!mail_imap_client_select_sync (client, src, FALSE, NULL, &info, cancellable, error))
    return FALSE;
  self->n_selects++;
  if (uidvalidity != 0 && info.uidvalidity != uidvalidity)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_NO,
                   _("the folder %s was recreated on the server since"), src);
      return FALSE;
    }

  switch (kind)
    {
    case MAIL_STORE_ACTION_FLAG:
    case MAIL_STORE_ACTION_UNFLAG:
      return (add[0] == NULL ||
              mail_imap_client_uid_store_sync (client, set, MAIL_IMAP_STORE_ADD, add, 0, NULL,
                                               cancellable, error)) &&
             (remove[0] == NULL ||
              mail_imap_client_uid_store_sync (client, set, MAIL_IMAP_STORE_REMOVE, remove, 0,
                                               NULL, cancellable, error));

    case MAIL_STORE_ACTION_MOVE:
    case MAIL_STORE_ACTION_DELETE:
      if (mail_imap_client_has_capability (client, "MOVE"))
        ok = mail_imap_client_uid_move_sync (client, set, dest, &result, cancellable, error);
      else
        ok = mail_imap_client_uid_copy_sync (client, set, dest, &result, cancellable, error) &&
             mail_imap_client_uid_store_sync (client, set, MAIL_IMAP_STORE_ADD, deleted, 0,
                                              NULL, cancellable, error) &&
             (!uidplus ||
              mail_imap_client_uid_expunge_sync (client, set, cancellable, error));
      break;

    case MAIL_STORE_ACTION_COPY:
      ok = mail_imap_client_uid_copy_sync (client, set, dest, &result, cancellable, error);
      break;

    case MAIL_STORE_ACTION_EXPUNGE:
      return mail_imap_client_uid_store_sync (client, set, MAIL_IMAP_STORE_ADD, deleted, 0,
                                              NULL, cancellable, error) &&
             (!uidplus || mail_imap_client_uid_expunge_sync (client, set, cancellable, error));

    case MAIL_STORE_ACTION_CREATE_FOLDER:
    case MAIL_STORE_ACTION_RENAME_FOLDER:
    case MAIL_STORE_ACTION_DELETE_FOLDER:
    case MAIL_STORE_ACTION_APPEND:
    default:
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSUPPORTED,
                   _("This kind of action cannot be replayed yet"));
      return FALSE;
    }

  if (ok)
    parse_single_uid (result.dest_uids, new_uid);
  mail_imap_copy_result_clear (&result);

  return ok;
}

/* Undoes an action the server refused for good. */
static gboolean
roll_back (MailSyncEngine       *self,
           MailStoreActionKind   kind,
           gint64                id,
           gint64                new_id,
           const char           *src,
           guint32               uid,
           guint32               old_flags,
           const char * const   *add,
           const char * const   *remove,
           GError              **error)
{
  MailStore *store = self->store;
  gint64 src_id;

  switch (kind)
    {
    case MAIL_STORE_ACTION_FLAG:
    case MAIL_STORE_ACTION_UNFLAG:
      {
        guint32 mask = flag_bits ((char **) add) | flag_bits ((char **) remove);

        return mail_store_change_flags (store, &id, 1, old_flags & mask, ~old_flags & mask,
                                        error);
      }
    case MAIL_STORE_ACTION_MOVE:
    case MAIL_STORE_ACTION_DELETE:
      return mail_store_lookup_folder (store, src, &src_id, error) &&
             mail_store_move_messages (store, &id, 1, src_id, error) &&
             (uid == 0 || mail_store_set_message_uid (store, id, uid, error));
    case MAIL_STORE_ACTION_COPY:
      return new_id == 0 || mail_store_delete_messages (store, &new_id, 1, error);
    case MAIL_STORE_ACTION_EXPUNGE:
      /* Gone from the store already: the server still has it, and a full resync of the
       * folder brings it back. */
    case MAIL_STORE_ACTION_CREATE_FOLDER:
    case MAIL_STORE_ACTION_RENAME_FOLDER:
    case MAIL_STORE_ACTION_DELETE_FOLDER:
    case MAIL_STORE_ACTION_APPEND:
    default:
      return TRUE;
    }
}

gboolean
_mail_sync_actions_replay (MailSyncEngine  *self,
                           GCancellable    *cancellable,
                           GError         **error)
{
  g_autoptr (GPtrArray) actions = NULL;
  g_autoptr (GError) refused = NULL;

  if (!_mail_sync_imap_ensure_store (self, error))
    return FALSE;
  actions = mail_store_list_actions (self->store, error);
  if (actions == NULL)
    return FALSE;
  if (actions->len == 0)
    return TRUE;
  if (!_mail_sync_imap_ensure_connected (self, cancellable, error))
    return FALSE;

  for (guint i = 0; i < actions->len; i++)
    {
      MailStoreAction *action = g_ptr_array_index (actions, i);
      g_autoptr (GVariant) payload = NULL;
      g_autoptr (GError) local_error = NULL;
      g_autofree const char **add = NULL;
      g_autofree const char **remove = NULL;
      const char *src, *dest;
      gint64 id, new_id;
      guint32 uid, uidvalidity, old_flags, new_uid;

      if (action->state != MAIL_STORE_ACTION_PENDING)
        continue;
      payload = g_variant_parse (G_VARIANT_TYPE (PAYLOAD_TYPE), action->payload, NULL, NULL,
                                 NULL);
      if (payload == NULL)
        {
          if (!mail_store_fail_action (self->store, action->id,
                                       _("The queued action could not be read"), TRUE, error))
            return FALSE;
          continue;
        }
      g_variant_get (payload, "(xx&suuu&s^a&s^a&s)", &id, &new_id, &src, &uid, &uidvalidity,
                     &old_flags, &dest, &add, &remove);

      /* Moved or copied by an earlier action: its UID is known now, or the message is
       * expected to be found by the next sync. */
      if (uid == 0)
        {
          g_autoptr (MailMessageSummary) message = mail_store_get_message (self->store, id,
                                                                           NULL);

          if (message != NULL)
            uid = mail_message_summary_get_uid (message);
          if (uid == 0)
            {
              if (!mail_store_fail_action (self->store, action->id,
                                           _("The message has no UID on the server yet"),
                                           TRUE, error))
                return FALSE;
              continue;
            }
        }

      if (send_action (self, action->kind, src, uid, uidvalidity, dest, add, remove, &new_uid,
                       cancellable, &local_error))
        {
          gint64 target = action->kind == MAIL_STORE_ACTION_COPY ? new_id : id;

          if (!mail_store_begin (self->store, MAIL_STORE_DURABILITY_DURABLE, error))
            return FALSE;
          if ((new_uid != 0 && target != 0 &&
               !mail_store_set_message_uid (self->store, target, new_uid, error)) ||
              !mail_store_complete_action (self->store, action->id, error))
            {
              mail_store_rollback (self->store);
              return FALSE;
            }
          if (!mail_store_commit (self->store, error))
            return FALSE;
          continue;
        }

      if (!is_permanent (local_error))
        {
          /* Stays queued for the next replay, in order. */
          mail_store_fail_action (self->store, action->id, local_error->message, FALSE, NULL);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      {
        g_autofree char *said = g_strdup (local_error->message);
        g_autofree char *message = NULL;

        /* "…: [TRYCREATE] Mailbox doesn't exist." without its full stop, one follows. */
        g_strchomp (said);
        if (g_str_has_suffix (said, "."))
          said[strlen (said) - 1] = '\0';
        message =
          dest[0] != '\0'
            ? g_strdup_printf (_("The server refused to %s the message from %s to %s: %s. "
                                 "The change was undone."),
                               describe (action->kind), src, dest, said)
            : g_strdup_printf (_("The server refused to %s the message in %s: %s. The change "
                                 "was undone."),
                               describe (action->kind), src, said);

        g_debug ("%s", message);
        if (!mail_store_begin (self->store, MAIL_STORE_DURABILITY_DURABLE, error))
          return FALSE;
        if (!roll_back (self, action->kind, id, new_id, src, uid, old_flags, add, remove,
                        error) ||
            !mail_store_fail_action (self->store, action->id, message, TRUE, error))
          {
            mail_store_rollback (self->store);
            return FALSE;
          }
        if (!mail_store_commit (self->store, error))
          return FALSE;
        if (refused == NULL)
          refused = g_error_new_literal (MAIL_IMAP_ERROR, local_error->code, message);
      }
    }

  if (refused != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&refused));
      return FALSE;
    }

  return TRUE;
}

static gpointer
replay_job_run (MailSyncEngine  *self,
                MailSyncJob     *job,
                GCancellable    *cancellable,
                GError         **error)
{
  return _mail_sync_actions_replay (self, cancellable, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gboolean
replay_job_matches (const MailSyncJob *queued,
                    const MailSyncJob *request)
{
  return queued->kind == MAIL_SYNC_JOB_REPLAY && request->kind == MAIL_SYNC_JOB_REPLAY;
}

/**
 * mail_sync_engine_replay_async:
 * @self: an engine
 * @cancellable: (nullable): a cancellable
 * @callback: (nullable): called when the queued actions have been sent
 * @user_data: its data
 *
 * Connects and sends the queued actions in order. Fails with the first refusal (that
 * action rolled back in the store) or the error that stopped the replay (the actions left
 * stay queued).
 */
void
mail_sync_engine_replay_async (MailSyncEngine      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task = NULL;
  MailSyncJob *job;

  g_return_if_fail (MAIL_IS_SYNC_ENGINE (self));

  if (callback != NULL)
    task = mail_task_new (self, mail_sync_engine_replay_async, "mail_sync_engine_replay_async",
                          G_PRIORITY_DEFAULT, cancellable, callback, user_data);
  job = g_new0 (MailSyncJob, 1);
  job->kind = MAIL_SYNC_JOB_REPLAY;
  job->run = replay_job_run;
  job->matches = replay_job_matches;
  _mail_sync_engine_queue_job (self, job, task);
}

gboolean
mail_sync_engine_replay_finish (MailSyncEngine  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Quota ------------------------------------------------------------------------------ */

gboolean
_mail_sync_actions_quota (MailSyncEngine  *self,
                          GCancellable    *cancellable,
                          GError         **error)
{
  g_autoptr (GPtrArray) responses = NULL;

  if (!_mail_sync_imap_ensure_store (self, error) ||
      !_mail_sync_imap_ensure_connected (self, cancellable, error))
    return FALSE;
  if (!mail_imap_client_has_capability (self->client, "QUOTA"))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("The server reports no quota"));
      return FALSE;
    }
  responses = mail_imap_client_getquotaroot_sync (self->client, "INBOX", cancellable, error);
  if (responses == NULL || !mail_store_begin (self->store, MAIL_STORE_DURABILITY_NORMAL, error))
    return FALSE;
  for (guint i = 0; i < responses->len; i++)
    {
      const MailImapResponse *response = g_ptr_array_index (responses, i);

      if (response->kind != MAIL_IMAP_RESPONSE_QUOTA)
        continue;
      for (guint j = 0; j < response->quota.n_resources; j++)
        if (!mail_store_set_quota (self->store, response->quota.root != NULL ? response->quota.root : "",
                                   response->quota.resources[j].name,
                                   response->quota.resources[j].usage,
                                   response->quota.resources[j].limit, error))
          {
            mail_store_rollback (self->store);
            return FALSE;
          }
    }

  return mail_store_commit (self->store, error);
}

static gpointer
quota_job_run (MailSyncEngine  *self,
               MailSyncJob     *job,
               GCancellable    *cancellable,
               GError         **error)
{
  return _mail_sync_actions_quota (self, cancellable, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gboolean
quota_job_matches (const MailSyncJob *queued,
                   const MailSyncJob *request)
{
  return queued->kind == MAIL_SYNC_JOB_QUOTA && request->kind == MAIL_SYNC_JOB_QUOTA;
}

/**
 * mail_sync_engine_update_quota_async:
 * @self: an engine
 * @cancellable: (nullable): a cancellable
 * @callback: called when done
 * @user_data: its data
 *
 * Asks the server for the quota of the Inbox's quota roots (GETQUOTAROOT INBOX) and keeps
 * it in the store (mail_store_list_quota()). Fails with %G_IO_ERROR_NOT_SUPPORTED when the
 * server has no QUOTA capability.
 */
void
mail_sync_engine_update_quota_async (MailSyncEngine      *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  MailSyncJob *job;

  g_return_if_fail (MAIL_IS_SYNC_ENGINE (self));

  task = mail_task_new (self, mail_sync_engine_update_quota_async,
                        "mail_sync_engine_update_quota_async", G_PRIORITY_DEFAULT, cancellable,
                        callback, user_data);
  job = g_new0 (MailSyncJob, 1);
  job->kind = MAIL_SYNC_JOB_QUOTA;
  job->run = quota_job_run;
  job->matches = quota_job_matches;
  _mail_sync_engine_queue_job (self, job, task);
}

gboolean
mail_sync_engine_update_quota_finish (MailSyncEngine  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
