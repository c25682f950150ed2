/* mail-pop3-client-mailbox.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Reading the mailbox, part of MailPop3Client (see mail-pop3-client.c): STAT, LIST, UIDL,
 * TOP and RETR, the last one message at a time or pipelined. RETR hands out the
 * MailPop3Retrieved tokens without which mail-pop3-client-delete.c sends no DELE. The
 * session remembers its last UIDL listing, so that tokens carry their unique-id and
 * deleting by unique-id finds the message number.
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-pop3"

#include <glib/gi18n.h>

#include "mail-pop3-client-private.h"

#define BODY_LINE_MAX      MAIL_LINE_READER_DEFAULT_MAX_LINE_LENGTH

static gboolean
append_line_cb (MailPop3Client  *self,
                const char      *data,
                gsize            length,
                gpointer         user_data,
                GError         **error)
{
  GByteArray *array = user_data;

  g_byte_array_append (array, (const guint8 *) data, length);
  g_byte_array_append (array, (const guint8 *) "\r\n", 2);

  return TRUE;
}

/* Reads a message (RETR, TOP) after its +OK. */
static GBytes *
read_message (MailPop3Client  *self,
              guint            number,
              GCancellable    *cancellable,
              GError         **error)
{
  g_autoptr (GByteArray) array = g_byte_array_new ();
  g_autofree char *too_large = NULL;

  too_large = g_strdup_printf (_("Message %u on %s is larger than the limit of %" G_GUINT64_FORMAT
                                 " bytes, so it was not downloaded."),
                               number, _mail_pop3_client_server_name (self),
                               self->max_message_size);

  if (!_mail_pop3_client_read_multiline (self, MAIL_CONNECTION_IO_BODY, BODY_LINE_MAX,
                                         self->max_message_size, MAIL_POP3_ERROR_TOO_LARGE,
                                         too_large, append_line_cb, array, cancellable, error))
    return NULL;

  return g_byte_array_free_to_bytes (g_steal_pointer (&array));
}

/**
 * mail_pop3_client_stat_sync:
 * @self: a #MailPop3Client
 * @count: (out) (optional): the number of messages
 * @size: (out) (optional): their total size in octets
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * STAT.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_pop3_client_stat_sync (MailPop3Client  *self,
                            guint           *count,
                            guint64         *size,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_autofree char *what = NULL;
  MailPop3Reply reply;
  gboolean ok;

  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), FALSE);

  if (!_mail_pop3_client_require_state (self, MAIL_POP3_STATE_TRANSACTION, error))
    return FALSE;

  what = g_strdup_printf (_("The server %s could not count the messages."),
                          _mail_pop3_client_server_name (self));
  if (!_mail_pop3_client_simple_command (self, "STAT", MAIL_POP3_ERROR_FAILED, what, &reply,
                                         cancellable, error))
    {
      mail_pop3_reply_clear (&reply);
      return FALSE;
    }

  ok = mail_pop3_parse_stat (reply.text, count, size, error);
  mail_pop3_reply_clear (&reply);
  if (!ok)
    {
      _mail_pop3_client_hide_untrusted_words (self, error);
      _mail_pop3_client_abort_session (self);
    }

  return ok;
}

static gboolean
add_list_entry_cb (MailPop3Client  *self,
                   const char      *data,
                   gsize            length,
                   gpointer         user_data,
                   GError         **error)
{
  GArray *entries = user_data;
  MailPop3ListEntry entry;

  if (!mail_pop3_parse_scan_listing (data, length, &entry.number, &entry.size, error))
    {
      _mail_pop3_client_hide_untrusted_words (self, error);
      return FALSE;
    }

  g_array_append_val (entries, entry);

  return TRUE;
}

/**
 * mail_pop3_client_list_sync:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * LIST: the number and size of every message not marked deleted.
 *
 * Returns: (transfer full) (element-type MailPop3ListEntry) (nullable): the listing, or
 *   %NULL with @error set
 */
GArray *
mail_pop3_client_list_sync (MailPop3Client  *self,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_autoptr (GArray) entries = g_array_new (FALSE, FALSE, sizeof (MailPop3ListEntry));
  g_autofree char *what = NULL;
  MailPop3Reply reply;

  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), NULL);

  if (!_mail_pop3_client_require_state (self, MAIL_POP3_STATE_TRANSACTION, error))
    return NULL;

  what = g_strdup_printf (_("The server %s could not list the messages."),
                          _mail_pop3_client_server_name (self));
  if (!_mail_pop3_client_simple_command (self, "LIST", MAIL_POP3_ERROR_FAILED, what, &reply,
                                         cancellable, error))
    {
      mail_pop3_reply_clear (&reply);
      return NULL;
    }
  mail_pop3_reply_clear (&reply);

  if (!_mail_pop3_client_read_multiline (self, MAIL_CONNECTION_IO_NONE, STATUS_LINE_MAX,
                                         LISTING_MAX_BYTES, MAIL_POP3_ERROR_PROTOCOL,
                                         _("The server’s list of messages is too long."),
                                         add_list_entry_cb, entries, cancellable, error))
    return NULL;

  return g_steal_pointer (&entries);
}

static void
uidl_entry_clear (gpointer data)
{
  MailPop3UidlEntry *entry = data;

  g_clear_pointer (&entry->uid, g_free);
}

static gboolean
add_uidl_entry_cb (MailPop3Client  *self,
                   const char      *data,
                   gsize            length,
                   gpointer         user_data,
                   GError         **error)
{
  GArray *entries = user_data;
  MailPop3UidlEntry entry = { 0, NULL };

  if (!mail_pop3_parse_unique_id_listing (data, length, &entry.number, &entry.uid, error))
    {
      _mail_pop3_client_hide_untrusted_words (self, error);
      return FALSE;
    }

  g_array_append_val (entries, entry);

  return TRUE;
}

/* Remembers a UIDL listing for this session: RETR tokens get their unique-id from it, and
 * delete_by_uid() finds numbers in it. */
static gboolean
remember_uids (MailPop3Client  *self,
               GArray          *entries,
               GError         **error)
{
  g_autoptr (GHashTable) uid_by_number = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr (GHashTable) number_by_uid = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                                g_free, NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      const MailPop3UidlEntry *entry = &g_array_index (entries, MailPop3UidlEntry, i);

      if (g_hash_table_contains (uid_by_number, GUINT_TO_POINTER (entry->number)))
        {
          g_set_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL,
                       _("The server listed message %u twice."), entry->number);
          return FALSE;
        }

      g_hash_table_insert (uid_by_number, GUINT_TO_POINTER (entry->number),
                           g_strdup (entry->uid));

      if (g_hash_table_contains (number_by_uid, entry->uid))
        g_hash_table_insert (number_by_uid, g_strdup (entry->uid),
                             GUINT_TO_POINTER (DUPLICATE_UID));
      else
        g_hash_table_insert (number_by_uid, g_strdup (entry->uid),
                             GUINT_TO_POINTER (entry->number));
    }

  _mail_pop3_client_forget_uids (self);
  self->uid_by_number = g_steal_pointer (&uid_by_number);
  self->number_by_uid = g_steal_pointer (&number_by_uid);

  return TRUE;
}

GArray *
_mail_pop3_client_uidl (MailPop3Client  *self,
                        GCancellable    *cancellable,
                        GError         **error)
{
  g_autoptr (GArray) entries = g_array_new (FALSE, FALSE, sizeof (MailPop3UidlEntry));
  g_autofree char *what = NULL;
  MailPop3Reply reply;

  g_array_set_clear_func (entries, uidl_entry_clear);

  what = g_strdup_printf (_("The server %s does not support unique message ids (UIDL)."),
                          _mail_pop3_client_server_name (self));
  if (!_mail_pop3_client_simple_command (self, "UIDL", MAIL_POP3_ERROR_NOT_SUPPORTED, what,
                                         &reply, cancellable, error))
    {
      mail_pop3_reply_clear (&reply);
      return NULL;
    }
  mail_pop3_reply_clear (&reply);

  if (!_mail_pop3_client_read_multiline (self, MAIL_CONNECTION_IO_NONE, STATUS_LINE_MAX,
                                         LISTING_MAX_BYTES, MAIL_POP3_ERROR_PROTOCOL,
                                         _("The server’s list of messages is too long."),
                                         add_uidl_entry_cb, entries, cancellable, error))
    return NULL;

  if (!remember_uids (self, entries, error))
    {
      _mail_pop3_client_abort_session (self);
      return NULL;
    }

  return g_steal_pointer (&entries);
}

/**
 * mail_pop3_client_uidl_sync:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * UIDL: the number and unique-id of every message not marked deleted. The session keeps
 * the listing: messages retrieved afterwards carry their unique-id, and
 * mail_pop3_client_delete_by_uid_sync() looks numbers up in it.
 *
 * Returns: (transfer full) (element-type MailPop3UidlEntry) (nullable): the listing (its
 *   clear function frees the ids), or %NULL with @error set; %MAIL_POP3_ERROR_NOT_SUPPORTED
 *   when the server has no UIDL
 */
GArray *
mail_pop3_client_uidl_sync (MailPop3Client  *self,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), NULL);

  if (!_mail_pop3_client_require_state (self, MAIL_POP3_STATE_TRANSACTION, error))
    return NULL;

  return _mail_pop3_client_uidl (self, cancellable, error);
}

static gboolean
check_number (MailPop3Client  *self,
              guint            number,
              GError         **error)
{
  if (number == 0)
    {
      g_set_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_NO_SUCH_MESSAGE,
                   _("There is no message 0 on %s."), _mail_pop3_client_server_name (self));
      return FALSE;
    }

  return TRUE;
}

/**
 * mail_pop3_client_top_sync:
 * @self: a #MailPop3Client
 * @number: a message number
 * @n_lines: how many lines of the body to include after the header
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * TOP: the header of a message and the first @n_lines of its body, for previews. There
 * is no token: a message seen this way cannot be deleted.
 *
 * Returns: (transfer full) (nullable): the text, lines ending in CRLF, or %NULL with
 *   @error set
 */
GBytes *
mail_pop3_client_top_sync (MailPop3Client  *self,
                           guint            number,
                           guint            n_lines,
                           GCancellable    *cancellable,
                           GError         **error)
{
  g_autofree char *command = NULL;
  g_autofree char *what = NULL;
  MailPop3Reply reply;

  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), NULL);

  if (!_mail_pop3_client_require_state (self, MAIL_POP3_STATE_TRANSACTION, error)
      || !check_number (self, number, error))
    return NULL;

  if (self->capa_supported && !mail_pop3_client_has_capability (self, "TOP"))
    {
      g_set_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_NOT_SUPPORTED,
                   _("The server %s does not support message previews (TOP)."),
                   _mail_pop3_client_server_name (self));
      return NULL;
    }

  command = g_strdup_printf ("TOP %u %u", number, n_lines);
  what = g_strdup_printf (_("The server %s could not return the start of message %u."),
                          _mail_pop3_client_server_name (self), number);
  if (!_mail_pop3_client_simple_command (self, command, MAIL_POP3_ERROR_FAILED, what, &reply,
                                         cancellable, error))
    {
      mail_pop3_reply_clear (&reply);
      return NULL;
    }
  mail_pop3_reply_clear (&reply);

  return read_message (self, number, cancellable, error);
}

static MailPop3Retrieved *
new_token (MailPop3Client *self,
           guint           number,
           GBytes         *bytes)
{
  const char *uid = NULL;

  if (self->uid_by_number != NULL)
    uid = g_hash_table_lookup (self->uid_by_number, GUINT_TO_POINTER (number));

  return _mail_pop3_retrieved_new (self->session, number, uid, bytes);
}

/* Reads the answer to one RETR. A -ERR leaves the session usable; any other failure
 * closes it. */
static MailPop3Retrieved *
read_retrieved (MailPop3Client  *self,
                guint            number,
                GCancellable    *cancellable,
                GError         **error)
{
  g_autoptr (GBytes) bytes = NULL;
  MailPop3Reply reply;

  if (!_mail_pop3_client_read_reply (self, FALSE, &reply, cancellable, error))
    return NULL;

  if (reply.status != MAIL_POP3_REPLY_OK)
    {
      g_autofree char *what = g_strdup_printf (_("The server %s could not return message %u."),
                                               _mail_pop3_client_server_name (self), number);

      _mail_pop3_client_set_reply_error (self, &reply, MAIL_POP3_ERROR_FAILED, what, error);
      mail_pop3_reply_clear (&reply);
      return NULL;
    }
  mail_pop3_reply_clear (&reply);

  bytes = read_message (self, number, cancellable, error);
  if (bytes == NULL)
    return NULL;

  return new_token (self, number, bytes);
}

/**
 * mail_pop3_client_retrieve_sync:
 * @self: a #MailPop3Client
 * @number: a message number
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * RETR: downloads a whole message. The token it returns holds the message and is the
 * only way to delete it: store the message durably, call
 * mail_pop3_retrieved_mark_stored(), then mail_pop3_client_delete_sync(). A message cut
 * short by a dropped connection or a limit gives no token at all.
 *
 * Returns: (transfer full) (nullable): the retrieved message, or %NULL with @error set
 */
MailPop3Retrieved *
mail_pop3_client_retrieve_sync (MailPop3Client  *self,
                                guint            number,
                                GCancellable    *cancellable,
                                GError         **error)
{
  g_autofree char *command = NULL;

  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), NULL);

  if (!_mail_pop3_client_require_state (self, MAIL_POP3_STATE_TRANSACTION, error)
      || !check_number (self, number, error))
    return NULL;

  command = g_strdup_printf ("RETR %u", number);
  if (!_mail_pop3_client_send_line (self, command, cancellable, error))
    return NULL;

  return read_retrieved (self, number, cancellable, error);
}

/**
 * mail_pop3_client_retrieve_many_sync:
 * @self: a #MailPop3Client
 * @numbers: (array length=n_numbers): message numbers
 * @n_numbers: how many
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Retrieves several messages, pipelining the RETR commands when the server offers
 * PIPELINING. All or nothing: if any message fails, the tokens of the others are dropped
 * too (nothing is lost, since nothing could be marked stored yet), so keep batches to a
 * size that fits in memory.
 *
 * Returns: (transfer full) (element-type MailPop3Retrieved) (nullable): the tokens in the
 *   order of @numbers, or %NULL with @error set
 */
GPtrArray *
mail_pop3_client_retrieve_many_sync (MailPop3Client  *self,
                                     const guint     *numbers,
                                     guint            n_numbers,
                                     GCancellable    *cancellable,
                                     GError         **error)
{
  g_autoptr (GPtrArray) tokens = NULL;
  GError *first_error = NULL;
  gboolean pipelining;
  guint sent = 0;

  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), NULL);
  g_return_val_if_fail (numbers != NULL || n_numbers == 0, NULL);

  if (!_mail_pop3_client_require_state (self, MAIL_POP3_STATE_TRANSACTION, error))
    return NULL;

  for (guint i = 0; i < n_numbers; i++)
    if (!check_number (self, numbers[i], error))
      return NULL;

  tokens = g_ptr_array_new_full (n_numbers, g_object_unref);
  pipelining = _mail_pop3_client_can_pipeline (self);

  for (guint received = 0; received < n_numbers; received++)
    {
      GError *local_error = NULL;
      MailPop3Retrieved *token;

      if (!_mail_pop3_client_fill_window (self, "RETR", numbers, n_numbers, &sent, received,
                                          pipelining, cancellable, &local_error))
        {
          g_clear_error (&first_error);
          g_propagate_error (error, local_error);
          return NULL;
        }

      token = read_retrieved (self, numbers[received], cancellable, &local_error);
      if (token != NULL)
        {
          g_ptr_array_add (tokens, token);
          continue;
        }

      /* A -ERR for one message: read the other answers so the session stays in step. */
      if (mail_connection_is_connected (self->connection) && local_error->domain == MAIL_POP3_ERROR
          && self->state == MAIL_POP3_STATE_TRANSACTION)
        {
          if (first_error == NULL)
            first_error = local_error;
          else
            g_clear_error (&local_error);
          continue;
        }

      g_clear_error (&first_error);
      g_propagate_error (error, local_error);
      return NULL;
    }

  if (first_error != NULL)
    {
      g_propagate_error (error, first_error);
      return NULL;
    }

  return g_steal_pointer (&tokens);
}
