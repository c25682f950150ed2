/* mail-sync-imap.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* IMAP sync, on the engine thread (mail-sync-engine.c), with the client's _sync calls.
 *
 * A sync of the account:
 * 1. LIST (SPECIAL-USE roles, RETURN (SUBSCRIBED), and each folder's STATUS when the
 *    server offers LIST-STATUS) into the store's folder list; folders the server no longer
 *    lists are deleted locally.
 * 2. Each folder, the Inbox first. With CONDSTORE, a folder whose UIDVALIDITY, UIDNEXT and
 *    HIGHESTMODSEQ in the LIST-STATUS answer are those stored is unchanged: no command at
 *    all. Otherwise it is opened (EXAMINE; with QRESYNC, its changes since the stored
 *    HIGHESTMODSEQ and the UIDs expunged since come with it), a different UIDVALIDITY
 *    resets it in the store, without QRESYNC a UID SEARCH ALL finds the expunged messages
 *    and a FETCH FLAGS (CHANGEDSINCE with CONDSTORE) the changed flags, and the new
 *    messages' headers are fetched newest first, BATCH_SIZE per command and per
 *    transaction, so that the views fill as they land.
 * 3. Bodies: those of the sync window (or all) that the store lacks, streamed by the body
 *    sink into the store's body writer, then recorded (and indexed for search) with
 *    mail_store_set_body().
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-account-secret.h"
#include "mail-mime.h"
#include "mail-secret-buffer.h"
#include "mail-tls-database.h"

#include "mail-sync-private.h"

/* Headers per FETCH command and per transaction. */
#define BATCH_SIZE 500
/* Bodies per FETCH command. */
#define BODY_BATCH 50

static const char * const header_fields[] = {
  "From", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
  "Content-Type", NULL,
};

typedef struct
{
  gboolean has_status;
  guint32  uidvalidity;
  guint32  uidnext;
  guint64  highestmodseq;
  guint32  messages;
} FolderStatus;

/* Flags and keywords ----------------------------------------------------------------- */

static guint32
flags_from_imap (const MailImapFlagList *list,
                 char                  **keywords)
{
  g_autoptr (GString) other = NULL;
  guint32 flags = 0;

  for (guint i = 0; list->names != NULL && list->names[i] != NULL; i++)
    {
      const char *name = list->names[i];
      guint32 bit = mail_message_flags_from_keyword (name);

      if (bit != 0)
        flags |= bit;
      else if (name[0] != '\\')
        {
          if (other == NULL)
            other = g_string_new (NULL);
          else
            g_string_append_c (other, ' ');
          g_string_append (other, name);
        }
    }

  if (keywords != NULL)
    *keywords = other != NULL ? g_string_free (g_steal_pointer (&other), FALSE) : NULL;

  return flags;
}

static gboolean
body_has_attachments (const MailImapBody *body)
{
  if (body == NULL)
    return FALSE;
  if (body->n_children > 0)
    {
      for (guint i = 0; i < body->n_children; i++)
        if (body_has_attachments (&body->children[i]))
          return TRUE;
      return FALSE;
    }
  if (body->disposition != NULL && g_ascii_strcasecmp (body->disposition, "attachment") == 0)
    return TRUE;

  return body->type != NULL && g_ascii_strcasecmp (body->type, "text") != 0 &&
         g_ascii_strcasecmp (body->type, "multipart") != 0 &&
         (body->disposition == NULL || g_ascii_strcasecmp (body->disposition, "inline") != 0);
}

/* A UID set of sorted (either way) UIDs, as ranges. */
static char *
uid_set (const guint32 *uids,
         guint          n)
{
  GString *set = g_string_new (NULL);

  for (guint i = 0; i < n;)
    {
      guint j = i;
      gint step = (n > i + 1 && uids[i + 1] < uids[i]) ? -1 : 1;

      while (j + 1 < n && (gint64) uids[j + 1] == (gint64) uids[j] + step)
        j++;
      if (set->len > 0)
        g_string_append_c (set, ',');
      if (j == i)
        g_string_append_printf (set, "%u", uids[i]);
      else
        g_string_append_printf (set, "%u:%u", uids[i], uids[j]);
      i = j + 1;
    }

  return g_string_free (set, FALSE);
}

/* Connecting ------------------------------------------------------------------------- */

void
_mail_sync_imap_disconnect (MailSyncEngine *self)
{
  if (self->client == NULL)
    return;
  if (mail_imap_client_get_state (self->client) != MAIL_IMAP_CLIENT_DISCONNECTED &&
      mail_imap_client_get_state (self->client) != MAIL_IMAP_CLIENT_LOGGED_OUT &&
      !g_cancellable_is_cancelled (self->cancellable))
    mail_imap_client_logout_sync (self->client, NULL, NULL);
  mail_imap_client_close (self->client);
  g_clear_object (&self->client);
}

gboolean
_mail_sync_imap_ensure_store (MailSyncEngine  *self,
                              GError         **error)
{
  if (self->store == NULL)
    self->store = mail_store_open (self->store_dir, error);

  return self->store != NULL;
}

static gboolean
ensure_connected (MailSyncEngine  *self,
                  GCancellable    *cancellable,
                  GError         **error)
{
  const MailAccountServer *server;
  g_autoptr (GTlsDatabase) database = NULL;
  g_autoptr (MailImapClient) client = NULL;
  g_autoptr (GError) enable_error = NULL;
  char *password;
  gboolean ok;

  if (self->client != NULL)
    {
      MailImapClientState state = mail_imap_client_get_state (self->client);

      if (state == MAIL_IMAP_CLIENT_AUTHENTICATED || state == MAIL_IMAP_CLIENT_SELECTED)
        return TRUE;
      _mail_sync_imap_disconnect (self);
    }

  server = mail_account_get_server (self->account, MAIL_ACCOUNT_INCOMING);
  if (server == NULL || server->protocol != MAIL_PROTOCOL_IMAP)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s is not an IMAP account: only IMAP accounts sync so far"),
                   mail_account_get_address (self->account));
      return FALSE;
    }

  database = mail_tls_database_new (server->ca_file, error);
  if (database == NULL)
    return FALSE;
  client = mail_imap_client_new (server->host, server->port, server->security, database);
  if (server->pinned_fingerprint != NULL &&
      !mail_connection_set_pinned_certificate (mail_imap_client_get_connection (client),
                                               server->host, server->port,
                                               server->pinned_fingerprint))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a SHA-256 certificate fingerprint"),
                   server->pinned_fingerprint);
      return FALSE;
    }
  mail_imap_client_set_allow_plaintext_password (client, server->allow_plaintext_password);

  password = mail_account_lookup_password_sync (self->account, MAIL_ACCOUNT_INCOMING,
                                                cancellable, error);
  if (password == NULL)
    return FALSE;

  ok = mail_imap_client_connect_sync (client, cancellable, error) &&
       mail_imap_client_login_sync (client,
                                    server->username != NULL ? server->username
                                                             : mail_account_get_address (self->account),
                                    password, cancellable, error);
  mail_secret_wipe (password, strlen (password));
  g_free (password);
  if (!ok)
    return FALSE;

  self->qresync = mail_imap_client_has_capability (client, "QRESYNC");
  self->condstore = self->qresync || mail_imap_client_has_capability (client, "CONDSTORE");
  if (self->qresync)
    {
      const char * const qresync[] = { "QRESYNC", NULL };

      if (!mail_imap_client_enable_sync (client, qresync, cancellable, &enable_error) ||
          !mail_imap_client_is_enabled (client, "QRESYNC"))
        {
          if (g_error_matches (enable_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (error, g_steal_pointer (&enable_error));
              return FALSE;
            }
          g_debug ("QRESYNC could not be enabled: %s",
                   enable_error != NULL ? enable_error->message : "not enabled");
          self->qresync = FALSE;
        }
    }

  self->client = g_steal_pointer (&client);

  return TRUE;
}

gboolean
_mail_sync_imap_ensure_connected (MailSyncEngine  *self,
                                  GCancellable    *cancellable,
                                  GError         **error)
{
  return ensure_connected (self, cancellable, error);
}

/* The folder list -------------------------------------------------------------------- */

static guint
folder_attributes (MailImapMailboxAttributes attributes)
{
  guint result = 0;

  if (attributes & MAIL_IMAP_MAILBOX_NOSELECT)
    result |= MAIL_FOLDER_NOSELECT;
  if (attributes & MAIL_IMAP_MAILBOX_NOINFERIORS)
    result |= MAIL_FOLDER_NOINFERIORS;
  if (attributes & MAIL_IMAP_MAILBOX_NONEXISTENT)
    result |= MAIL_FOLDER_NONEXISTENT;
  if (attributes & MAIL_IMAP_MAILBOX_HASCHILDREN)
    result |= MAIL_FOLDER_HAS_CHILDREN;

  return result;
}

/* Lists the folders into the store; returns the names of those that hold messages, the
 * Inbox first. */
static GPtrArray *
sync_folder_list (MailSyncEngine  *self,
                  GCancellable    *cancellable,
                  GError         **error)
{
  g_autoptr (GPtrArray) responses = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) local = NULL;

  responses = mail_imap_client_list_sync (self->client, "", "*",
                                          MAIL_IMAP_LIST_SPECIAL_USE | MAIL_IMAP_LIST_STATUS |
                                          MAIL_IMAP_LIST_RETURN_SUBSCRIBED,
                                          cancellable, error);
  if (responses == NULL)
    return NULL;

  g_clear_pointer (&self->status, g_hash_table_unref);
  self->status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (!mail_store_begin (self->store, MAIL_STORE_DURABILITY_NORMAL, error))
    return NULL;

  for (guint i = 0; i < responses->len; i++)
    {
      const MailImapResponse *response = g_ptr_array_index (responses, i);

      if (response->kind == MAIL_IMAP_RESPONSE_MAILBOX_STATUS &&
          response->mailbox_status.mailbox.name != NULL)
        {
          const MailImapStatusData *data = &response->mailbox_status;
          FolderStatus *status = g_new0 (FolderStatus, 1);

          status->has_status = (data->items & MAIL_IMAP_STATUS_ITEM_UIDVALIDITY) &&
                               (data->items & MAIL_IMAP_STATUS_ITEM_UIDNEXT);
          status->uidvalidity = data->uidvalidity;
          status->uidnext = data->uidnext;
          status->messages = data->messages;
          if (data->items & MAIL_IMAP_STATUS_ITEM_HIGHESTMODSEQ)
            status->highestmodseq = data->highestmodseq;
          g_hash_table_replace (self->status, g_strdup (data->mailbox.name), status);
        }
      else if (response->kind == MAIL_IMAP_RESPONSE_LIST &&
               response->list.mailbox.name != NULL && !response->list.mailbox.invalid)
        {
          const MailImapListData *list = &response->list;
          char delimiter[8] = { 0 };
          MailStoreFolderInfo info = { 0 };
          gint64 folder_id;

          if (list->delimiter != 0)
            g_unichar_to_utf8 (list->delimiter, delimiter);
          info.name = list->mailbox.name;
          info.delimiter = list->delimiter != 0 ? delimiter : NULL;
          info.subscribed = (list->attributes & MAIL_IMAP_MAILBOX_SUBSCRIBED) != 0;
          info.attributes = folder_attributes (list->attributes);
          info.role = MAIL_FOLDER_ROLE_NONE;
          for (guint j = 0; list->attribute_names != NULL && list->attribute_names[j] != NULL &&
                            info.role == MAIL_FOLDER_ROLE_NONE; j++)
            info.role = mail_folder_role_from_special_use (list->attribute_names[j]);
          if (info.role == MAIL_FOLDER_ROLE_NONE)
            info.role = mail_folder_role_guess (info.name, info.delimiter);

          if (!mail_store_upsert_folder (self->store, &info, &folder_id, error))
            {
              mail_store_rollback (self->store);
              return NULL;
            }
          g_hash_table_add (listed, g_strdup (info.name));
          if (!(info.attributes & (MAIL_FOLDER_NOSELECT | MAIL_FOLDER_NONEXISTENT)))
            {
              if (info.role == MAIL_FOLDER_ROLE_INBOX)
                g_ptr_array_insert (names, 0, g_strdup (info.name));
              else
                g_ptr_array_add (names, g_strdup (info.name));
            }
        }
    }

  /* What the server no longer lists is gone (deleted or renamed elsewhere). */
  local = mail_store_list_folders (self->store, error);
  if (local == NULL)
    {
      mail_store_rollback (self->store);
      return NULL;
    }
  for (guint i = 0; i < local->len; i++)
    {
      MailFolderSummary *folder = g_ptr_array_index (local, i);

      if (!g_hash_table_contains (listed, mail_folder_summary_get_name (folder)) &&
          !mail_store_delete_folder (self->store, mail_folder_summary_get_id (folder), error))
        {
          mail_store_rollback (self->store);
          return NULL;
        }
    }

  if (!mail_store_commit (self->store, error))
    return NULL;

  return g_steal_pointer (&names);
}

/* Changes to known messages ---------------------------------------------------------- */

typedef struct
{
  guint32  uid;
  guint32  flags;
  char    *keywords;
  guint64  modseq;
} FlagsEntry;

static void
flags_entry_clear (gpointer data)
{
  FlagsEntry *entry = data;

  g_free (entry->keywords);
}

typedef struct
{
  GArray *flags;     /* FlagsEntry */
  GArray *vanished;  /* guint32 */
} Changes;

static void
changes_fetch_cb (const MailImapFetch *fetch,
                  gpointer             user_data)
{
  Changes *changes = user_data;
  FlagsEntry entry = { 0 };

  if (fetch->uid == 0 || !(fetch->items & MAIL_IMAP_FETCH_FLAGS))
    return;
  entry.uid = fetch->uid;
  entry.flags = flags_from_imap (&fetch->flags, &entry.keywords);
  entry.modseq = fetch->modseq;
  g_array_append_val (changes->flags, entry);
}

static void
changes_vanished_cb (const MailImapVanishedData *vanished,
                     gpointer                    user_data)
{
  Changes *changes = user_data;

  for (guint i = 0; i < vanished->uids.n_ranges; i++)
    for (guint64 uid = vanished->uids.ranges[i].first; uid <= vanished->uids.ranges[i].last;
         uid++)
      {
        guint32 value = (guint32) uid;

        g_array_append_val (changes->vanished, value);
      }
}

static gboolean
apply_changes (MailSyncEngine  *self,
               gint64           folder_id,
               Changes         *changes,
               GError         **error)
{
  for (guint start = 0; start < changes->flags->len || start == 0; start += BATCH_SIZE)
    {
      guint n = MIN (BATCH_SIZE, changes->flags->len - start);
      g_autofree MailStoreFlagsUpdate *updates = g_new0 (MailStoreFlagsUpdate, MAX (n, 1));
      gboolean last = start + BATCH_SIZE >= changes->flags->len;

      for (guint i = 0; i < n; i++)
        {
          FlagsEntry *entry = &g_array_index (changes->flags, FlagsEntry, start + i);

          updates[i].uid = entry->uid;
          updates[i].flags = entry->flags;
          updates[i].keywords = entry->keywords;
          updates[i].modseq = entry->modseq;
        }

      if (!mail_store_begin (self->store, MAIL_STORE_DURABILITY_NORMAL, error))
        return FALSE;
      if ((n > 0 && !mail_store_update_flags (self->store, folder_id, updates, n, error)) ||
          (last && changes->vanished->len > 0 &&
           !mail_store_expunge_uids (self->store, folder_id,
                                     (const guint32 *) (gpointer) changes->vanished->data,
                                     changes->vanished->len, error)))
        {
          mail_store_rollback (self->store);
          return FALSE;
        }
      if (!mail_store_commit (self->store, error))
        return FALSE;
      if (last)
        break;
    }

  return TRUE;
}

/* Without QRESYNC: the expunged messages are those the store has and a UID SEARCH ALL
 * does not list; the flags come from a FETCH FLAGS (CHANGEDSINCE with CONDSTORE). */
static gboolean
find_changes (MailSyncEngine       *self,
              gint64                folder_id,
              const MailStoreFolderState *local,
              Changes              *changes,
              GCancellable         *cancellable,
              GError              **error)
{
  g_autoptr (GArray) server = NULL;
  g_autoptr (GArray) known = NULL;
  g_autoptr (GHashTable) present = g_hash_table_new (NULL, NULL);
  g_autoptr (GPtrArray) kept = NULL;
  g_autofree char *range = NULL;
  MailImapFetchOptions options = { 0 };

  known = mail_store_list_uids (self->store, folder_id, error);
  if (known == NULL)
    return FALSE;
  if (known->len == 0)
    return TRUE;

  server = mail_imap_client_uid_search_sync (self->client, "ALL", NULL, cancellable, error);
  if (server == NULL)
    return FALSE;
  for (guint i = 0; i < server->len; i++)
    g_hash_table_add (present, GUINT_TO_POINTER (g_array_index (server, guint32, i)));
  for (guint i = 0; i < known->len; i++)
    {
      guint32 uid = g_array_index (known, guint32, i);

      if (!g_hash_table_contains (present, GUINT_TO_POINTER (uid)))
        g_array_append_val (changes->vanished, uid);
    }

  options.attrs = MAIL_IMAP_FETCH_ATTR_FLAGS;
  if (self->condstore && local->highestmodseq != 0)
    {
      options.attrs |= MAIL_IMAP_FETCH_ATTR_MODSEQ;
      options.changed_since = local->highestmodseq;
    }
  range = g_strdup_printf ("1:%u", g_array_index (known, guint32, known->len - 1));
  self->n_fetches++;
  kept = mail_imap_client_uid_fetch_sync (self->client, range, &options, changes_fetch_cb,
                                          changes, cancellable, error);

  return kept != NULL;
}

/* New messages ----------------------------------------------------------------------- */

typedef struct
{
  guint32          uid;
  guint32          flags;
  char            *keywords;
  gint64           internal_date;
  guint64          size;
  guint64          modseq;
  MailMimeSummary *summary;
} HeaderEntry;

static void
header_entry_clear (gpointer data)
{
  HeaderEntry *entry = data;

  g_free (entry->keywords);
  g_clear_pointer (&entry->summary, mail_mime_summary_free);
}

static void
header_fetch_cb (const MailImapFetch *fetch,
                 gpointer             user_data)
{
  GArray *batch = user_data;
  HeaderEntry entry = { 0 };
  const char *data = "";
  gsize len = 0;

  if (fetch->uid == 0)
    return;

  for (guint i = 0; i < fetch->n_sections; i++)
    if (fetch->sections[i].kind == MAIL_IMAP_SECTION_BODY && fetch->sections[i].data != NULL &&
        fetch->sections[i].section != NULL &&
        g_ascii_strncasecmp (fetch->sections[i].section, "HEADER", 6) == 0)
      {
        data = fetch->sections[i].data;
        len = fetch->sections[i].len;
        break;
      }

  entry.uid = fetch->uid;
  entry.flags = flags_from_imap (&fetch->flags, &entry.keywords);
  entry.internal_date = fetch->internaldate;
  entry.size = fetch->rfc822_size;
  entry.modseq = fetch->modseq;
  entry.summary = mail_mime_parse_headers (data, len, fetch->internaldate);
  if (fetch->items & MAIL_IMAP_FETCH_BODYSTRUCTURE)
    entry.summary->has_attachments = body_has_attachments (fetch->body);
  g_array_append_val (batch, entry);
}

static gboolean
store_headers (MailSyncEngine              *self,
               gint64                       folder_id,
               GArray                      *batch,
               const MailStoreFolderState  *state,
               GError                     **error)
{
  g_autofree MailStoreMessageInfo *infos = g_new0 (MailStoreMessageInfo, MAX (batch->len, 1));

  for (guint i = 0; i < batch->len; i++)
    {
      HeaderEntry *entry = &g_array_index (batch, HeaderEntry, i);

      infos[i].uid = entry->uid;
      infos[i].flags = entry->flags;
      infos[i].keywords = entry->keywords;
      infos[i].internal_date = entry->internal_date;
      infos[i].size = entry->size;
      infos[i].modseq = entry->modseq;
      infos[i].summary = entry->summary;
    }

  if (!mail_store_begin (self->store, MAIL_STORE_DURABILITY_NORMAL, error))
    return FALSE;
  if ((batch->len > 0 &&
       !mail_store_upsert_messages (self->store, folder_id, infos, batch->len, NULL, error)) ||
      (state != NULL && !mail_store_set_folder_state (self->store, folder_id, state, error)))
    {
      mail_store_rollback (self->store);
      return FALSE;
    }

  return mail_store_commit (self->store, error);
}

static gint
compare_uid_descending (gconstpointer a,
                        gconstpointer b)
{
  guint32 x = *(const guint32 *) a;
  guint32 y = *(const guint32 *) b;

  return x < y ? 1 : x > y ? -1 : 0;
}

static gint
compare_uid_descending_data (gconstpointer a,
                             gconstpointer b,
                             gpointer      user_data)
{
  return compare_uid_descending (a, b);
}

static gboolean
fetch_new_headers (MailSyncEngine              *self,
                   const char                  *name,
                   gint64                       folder_id,
                   guint32                      from,
                   const MailStoreFolderState  *state,
                   GCancellable                *cancellable,
                   GError                     **error)
{
  g_autofree char *criteria = g_strdup_printf ("UID %u:*", MAX (from, 1));
  g_autoptr (GArray) found = NULL;
  g_autoptr (GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint32));
  MailImapFetchOptions options = { 0 };

  found = mail_imap_client_uid_search_sync (self->client, criteria, NULL, cancellable, error);
  if (found == NULL)
    return FALSE;
  /* "n:*" always matches the last message, even below n. */
  for (guint i = 0; i < found->len; i++)
    if (g_array_index (found, guint32, i) >= from)
      g_array_append_val (uids, g_array_index (found, guint32, i));
  g_array_sort (uids, compare_uid_descending);

  options.attrs = MAIL_IMAP_FETCH_ATTR_FLAGS | MAIL_IMAP_FETCH_ATTR_INTERNALDATE |
                  MAIL_IMAP_FETCH_ATTR_SIZE | MAIL_IMAP_FETCH_ATTR_BODYSTRUCTURE;
  if (self->condstore)
    options.attrs |= MAIL_IMAP_FETCH_ATTR_MODSEQ;
  options.header_fields = header_fields;

  _mail_sync_engine_emit_progress (self, name, "headers", 0, uids->len);
  for (guint start = 0; start < uids->len; start += BATCH_SIZE)
    {
      guint n = MIN (BATCH_SIZE, uids->len - start);
      g_autofree char *set = uid_set (&g_array_index (uids, guint32, start), n);
      g_autoptr (GArray) batch = g_array_new (FALSE, TRUE, sizeof (HeaderEntry));
      g_autoptr (GPtrArray) kept = NULL;
      gboolean last = start + n >= uids->len;

      g_array_set_clear_func (batch, header_entry_clear);
      self->n_fetches++;
      kept = mail_imap_client_uid_fetch_sync (self->client, set, &options, header_fetch_cb, batch,
                                              cancellable, error);
      if (kept == NULL)
        return FALSE;
      if (!store_headers (self, folder_id, batch, last ? state : NULL, error))
        return FALSE;
      _mail_sync_engine_emit_progress (self, name, "headers", start + n, uids->len);
    }

  /* The state is stored with the last batch; with no new message, on its own. */
  if (uids->len == 0)
    {
      g_autoptr (GArray) none = g_array_new (FALSE, TRUE, sizeof (HeaderEntry));

      return store_headers (self, folder_id, none, state, error);
    }

  return TRUE;
}

/* One folder's headers and flags. */
static gboolean
sync_folder (MailSyncEngine  *self,
             const char      *name,
             GCancellable    *cancellable,
             GError         **error)
{
  MailStoreFolderState local = { 0 };
  MailStoreFolderState state = { 0 };
  MailImapMailboxInfo info = { 0 };
  FolderStatus *status;
  gint64 folder_id;
  Changes changes = { NULL, NULL };
  gboolean qresync_used = FALSE;
  gboolean ok = FALSE;

  if (!mail_store_lookup_folder (self->store, name, &folder_id, error) ||
      !mail_store_get_folder_state (self->store, folder_id, &local, error))
    return FALSE;

  status = self->status != NULL ? g_hash_table_lookup (self->status, name) : NULL;
  if (status != NULL && status->has_status && self->condstore && local.uidvalidity != 0 &&
      status->uidvalidity == local.uidvalidity && status->uidnext == local.uidnext &&
      status->highestmodseq != 0 && status->highestmodseq == local.highestmodseq)
    {
      g_debug ("%s: unchanged", name);
      return TRUE;
    }

  changes.flags = g_array_new (FALSE, TRUE, sizeof (FlagsEntry));
  g_array_set_clear_func (changes.flags, flags_entry_clear);
  changes.vanished = g_array_new (FALSE, FALSE, sizeof (guint32));

  if (self->qresync && local.uidvalidity != 0 && local.highestmodseq != 0)
    {
      MailImapQresync qresync = { local.uidvalidity, local.highestmodseq, NULL };

      qresync_used = TRUE;
      self->n_selects++;
      if (!mail_imap_client_select_changes_sync (self->client, name, TRUE, &qresync, &info,
                                                 changes_fetch_cb, changes_vanished_cb, &changes,
                                                 cancellable, error))
        goto out;
    }
  else if (self->n_selects++, !mail_imap_client_select_sync (self->client, name, TRUE, NULL,
                                                              &info, cancellable, error))
    goto out;

  if (local.uidvalidity != 0 && info.uidvalidity != local.uidvalidity)
    {
      g_debug ("%s: UIDVALIDITY %u became %u: refetching", name, local.uidvalidity,
               info.uidvalidity);
      if (!mail_store_begin (self->store, MAIL_STORE_DURABILITY_NORMAL, error))
        goto out;
      if (!mail_store_reset_folder (self->store, folder_id, info.uidvalidity, error))
        {
          mail_store_rollback (self->store);
          goto out;
        }
      if (!mail_store_commit (self->store, error))
        goto out;
      local.uidvalidity = 0;
      local.uidnext = 0;
      local.highestmodseq = 0;
    }
  else if (local.uidvalidity != 0)
    {
      if (!qresync_used &&
          !find_changes (self, folder_id, &local, &changes, cancellable, error))
        goto out;
      _mail_sync_engine_emit_progress (self, name, "flags", changes.flags->len,
                                       changes.flags->len);
      if (!apply_changes (self, folder_id, &changes, error))
        goto out;
    }

  state.uidvalidity = info.uidvalidity;
  state.uidnext = info.uidnext;
  state.highestmodseq = info.nomodseq ? 0 : info.highestmodseq;
  if (info.exists == 0)
    ok = fetch_new_headers (self, name, folder_id, G_MAXUINT32, &state, cancellable, error);
  else
    ok = fetch_new_headers (self, name, folder_id, local.uidnext, &state, cancellable, error);

out:
  g_array_unref (changes.flags);
  g_array_unref (changes.vanished);

  return ok;
}

/* Bodies ----------------------------------------------------------------------------- */

typedef struct
{
  MailSyncEngine *engine;
  GHashTable     *ids;   /* UID -> message id */
  gint64          folder_id;
  guint           done;
} BodySink;

static GOutputStream *
body_open (const MailImapBodyInfo  *info,
           gpointer                 user_data,
           GError                 **error)
{
  BodySink *sink = user_data;
  g_autoptr (MailStoreBodyWriter) writer = mail_store_body_writer_new (sink->engine->store, error);

  if (writer == NULL)
    return NULL;

  return _mail_sync_body_stream_new (writer);
}

static gboolean
body_commit (GOutputStream           *stream,
             const MailImapBodyInfo  *info,
             const MailImapFetch     *fetch,
             gpointer                 user_data,
             GError                 **error)
{
  BodySink *sink = user_data;
  MailStoreBodyWriter *writer = _mail_sync_body_stream_get_writer (stream);
  g_autofree char *file_name = NULL;
  g_autoptr (GError) local_error = NULL;
  gpointer value;
  gint64 id;

  if (!g_output_stream_close (stream, NULL, error))
    {
      mail_store_body_writer_abort (writer);
      return FALSE;
    }
  if (!g_hash_table_lookup_extended (sink->ids, GUINT_TO_POINTER (info->uid), NULL, &value))
    {
      /* Not asked for: never stored under a wrong message. */
      mail_store_body_writer_abort (writer);
      return TRUE;
    }
  id = *(gint64 *) value;

  file_name = mail_store_body_writer_commit (writer, error);
  if (file_name == NULL)
    return FALSE;
  if (!mail_store_set_body (sink->engine->store, id, file_name, MAIL_STORE_BODY_COMPLETE, NULL,
                            &local_error))
    {
      /* Expunged meanwhile: the store removed the file. */
      if (g_error_matches (local_error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  sink->done++;

  return TRUE;
}

static void
body_abort (GOutputStream          *stream,
            const MailImapBodyInfo *info,
            gpointer                user_data)
{
  mail_store_body_writer_abort (_mail_sync_body_stream_get_writer (stream));
}

static const MailImapBodySink body_sink = { body_open, body_commit, body_abort };

/* Fetches the bodies of @ids (messages of the selected folder). */
static gboolean
fetch_bodies (MailSyncEngine  *self,
              const char      *name,
              GArray          *ids,
              GCancellable    *cancellable,
              GError         **error)
{
  BodySink sink = { self, NULL, 0, 0 };
  g_autofree gint64 *values = g_new0 (gint64, MAX (ids->len, 1));
  gboolean ok = TRUE;

  sink.ids = g_hash_table_new (NULL, NULL);
  if (name != NULL)
    _mail_sync_engine_emit_progress (self, name, "bodies", 0, ids->len);
  for (guint start = 0; start < ids->len && ok; start += BODY_BATCH)
    {
      guint n = MIN (BODY_BATCH, ids->len - start);
      g_autofree guint32 *uids = g_new0 (guint32, n);
      g_autofree char *set = NULL;
      guint n_uids = 0;

      g_hash_table_remove_all (sink.ids);
      for (guint i = 0; i < n; i++)
        {
          gint64 id = g_array_index (ids, gint64, start + i);
          g_autoptr (MailMessageSummary) message = mail_store_get_message (self->store, id, NULL);

          if (message == NULL || mail_message_summary_get_uid (message) == 0)
            continue;
          values[start + i] = id;
          uids[n_uids++] = mail_message_summary_get_uid (message);
          g_hash_table_insert (sink.ids, GUINT_TO_POINTER (uids[n_uids - 1]),
                               &values[start + i]);
        }
      if (n_uids == 0)
        continue;
      g_qsort_with_data (uids, n_uids, sizeof (guint32), compare_uid_descending_data, NULL);
      set = uid_set (uids, n_uids);
      self->n_fetches++;
      ok = mail_imap_client_uid_fetch_body_sync (self->client, set, "", &body_sink, &sink,
                                                 cancellable, error);
      if (name != NULL)
        _mail_sync_engine_emit_progress (self, name, "bodies", start + n, ids->len);
    }
  g_hash_table_unref (sink.ids);

  return ok;
}

static gboolean
sync_folder_bodies (MailSyncEngine  *self,
                    const char      *name,
                    gint64           since,
                    GCancellable    *cancellable,
                    GError         **error)
{
  g_autoptr (GArray) missing = NULL;
  MailImapMailboxInfo info = { 0 };
  gint64 folder_id;

  if (!mail_store_lookup_folder (self->store, name, &folder_id, error))
    return FALSE;
  missing = mail_store_list_missing_bodies (self->store, folder_id, since, G_MAXINT, error);
  if (missing == NULL)
    return FALSE;
  if (missing->len == 0)
    return TRUE;

  if (g_strcmp0 (mail_imap_client_get_selected (self->client), name) != 0 &&
      (self->n_selects++, TRUE) &&
      !mail_imap_client_select_sync (self->client, name, TRUE, NULL, &info, cancellable, error))
    return FALSE;

  return fetch_bodies (self, name, missing, cancellable, error);
}

/* The jobs --------------------------------------------------------------------------- */

gboolean
_mail_sync_imap_run (MailSyncEngine  *self,
                     const char      *folder,
                     MailSyncFlags    flags,
                     GCancellable    *cancellable,
                     GError         **error)
{
  g_autoptr (GPtrArray) names = NULL;
  gint64 since = 0;

  self->n_selects = 0;
  self->n_fetches = 0;
  if (!_mail_sync_imap_ensure_store (self, error) ||
      !ensure_connected (self, cancellable, error))
    return FALSE;

  if (folder == NULL)
    {
      names = sync_folder_list (self, cancellable, error);
      if (names == NULL)
        return FALSE;
    }
  else
    {
      gint64 folder_id;

      /* A folder alone: its state from SELECT, not from an older LIST-STATUS. */
      if (self->status != NULL)
        g_hash_table_remove (self->status, folder);
      if (!mail_store_lookup_folder (self->store, folder, &folder_id, NULL))
        {
          g_autoptr (GPtrArray) all = sync_folder_list (self, cancellable, error);

          if (all == NULL)
            return FALSE;
          if (!mail_store_lookup_folder (self->store, folder, &folder_id, error))
            return FALSE;
        }
      names = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (names, g_strdup (folder));
    }

  for (guint i = 0; i < names->len; i++)
    if (!sync_folder (self, g_ptr_array_index (names, i), cancellable, error))
      {
        g_prefix_error (error, _("Folder %s: "), (const char *) g_ptr_array_index (names, i));
        return FALSE;
      }

  if (flags & MAIL_SYNC_HEADERS_ONLY)
    goto done;
  if (!(flags & MAIL_SYNC_ALL_BODIES))
    since = g_get_real_time () / G_USEC_PER_SEC -
            (gint64) mail_account_get_sync_window_days (self->account) * 24 * 60 * 60;
  else
    since = G_MININT64;

  for (guint i = 0; i < names->len; i++)
    if (!sync_folder_bodies (self, g_ptr_array_index (names, i), since, cancellable, error))
      {
        g_prefix_error (error, _("Folder %s: "), (const char *) g_ptr_array_index (names, i));
        return FALSE;
      }

done:
  g_debug ("sync of %s done: %u folders, %u SELECT/EXAMINE, %u FETCH",
           mail_account_get_address (self->account), names->len, self->n_selects,
           self->n_fetches);

  return TRUE;
}

char *
_mail_sync_imap_fetch_body (MailSyncEngine  *self,
                            gint64           message_id,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_autoptr (MailMessageSummary) message = NULL;
  g_autoptr (MailFolderSummary) folder = NULL;
  g_autoptr (GArray) ids = NULL;
  MailStoreFolderState local = { 0 };
  MailImapMailboxInfo info = { 0 };
  char *path;

  if (!_mail_sync_imap_ensure_store (self, error))
    return NULL;
  message = mail_store_get_message (self->store, message_id, error);
  if (message == NULL)
    return NULL;
  if (mail_message_summary_get_body_state (message) == MAIL_STORE_BODY_COMPLETE)
    return mail_store_dup_body_path (self->store, message_id, error);

  folder = mail_store_get_folder (self->store, mail_message_summary_get_folder_id (message),
                                  error);
  if (folder == NULL ||
      !mail_store_get_folder_state (self->store, mail_folder_summary_get_id (folder), &local,
                                    error) ||
      !ensure_connected (self, cancellable, error) ||
      !mail_imap_client_select_sync (self->client, mail_folder_summary_get_name (folder), TRUE,
                                     NULL, &info, cancellable, error))
    return NULL;
  if (info.uidvalidity != local.uidvalidity)
    {
      g_set_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND,
                   _("The folder %s changed on the server: sync it again"),
                   mail_folder_summary_get_name (folder));
      return NULL;
    }

  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (ids, message_id);
  if (!fetch_bodies (self, NULL, ids, cancellable, error))
    return NULL;

  path = mail_store_dup_body_path (self->store, message_id, NULL);
  if (path == NULL)
    g_set_error_literal (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND,
                         _("The server no longer has this message"));

  return path;
}
