/* mail-pop3-client-delete.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Deleting, part of MailPop3Client (see mail-pop3-client.c): DELE, RSET, and the QUIT at
 * which the server carries the deletions out.
 *
 * Deleting safely. POP3 has one destructive command, DELE, and the rule of the house is
 * that nothing is deleted from a server until what it protects is durably stored
 * locally. So the API has no "DELE n":
 *
 *  - RETR returns a MailPop3Retrieved token holding the message. Only
 *    mail_pop3_client_delete_sync() sends DELE, and it takes only a token. A token whose
 *    caller has not called mail_pop3_retrieved_mark_stored() (after fsync, or a commit
 *    that survives a power cut) is refused: that is a bug in the caller, so it is
 *    reported with g_critical() as well as an error, and nothing is sent.
 *  - A token is bound to the session that produced it, since message numbers mean
 *    something only within one session; a token from an earlier connection is refused.
 *  - For "delete from the server after N days", the message was stored in an earlier
 *    session. mail_pop3_client_delete_by_uid_sync() finds it by unique-id in this
 *    session's UIDL listing and first asks the caller's MailPop3StoredFunc whether that
 *    unique-id is durably stored; only a yes lets DELE go out. A unique-id the server
 *    lists twice is never deleted.
 *  - Deletions take effect only at a successful QUIT (RFC 1939 §6). Any failure that
 *    leaves the protocol in doubt closes the connection without QUIT, so the server
 *    keeps everything; at worst a message is downloaded twice (deduplicated by UIDL),
 *    never lost.
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-pop3"

#include <glib/gi18n.h>

#include "mail-pop3-client-private.h"

static gboolean
check_token (MailPop3Client     *self,
             MailPop3Retrieved  *retrieved,
             GError            **error)
{
  guint number = mail_pop3_retrieved_get_number (retrieved);

  if (!mail_pop3_retrieved_is_stored (retrieved))
    {
      /* A caller bug that would lose mail: loud in development, an error in production. */
      g_critical ("%s: message %u has not been marked stored; refusing to delete it",
                  G_STRFUNC, number);
      g_set_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_NOT_STORED,
                   _("Message %u was not deleted from the server because it has not been "
                     "stored on this computer yet."),
                   number);
      return FALSE;
    }

  if (_mail_pop3_retrieved_get_session (retrieved) != self->session)
    {
      g_set_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_STATE,
                   _("Message %u was retrieved in an earlier connection to %s, where message "
                     "numbers may have differed, so it was not deleted."),
                   number, _mail_pop3_client_server_name (self));
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_dele_reply (MailPop3Client  *self,
                 guint            number,
                 GCancellable    *cancellable,
                 GError         **error)
{
  MailPop3Reply reply;
  gboolean ok;

  if (!_mail_pop3_client_read_reply (self, FALSE, &reply, cancellable, error))
    return FALSE;

  ok = reply.status == MAIL_POP3_REPLY_OK;
  if (!ok)
    {
      g_autofree char *what = g_strdup_printf (_("The server %s could not delete message %u."),
                                               _mail_pop3_client_server_name (self), number);

      _mail_pop3_client_set_reply_error (self, &reply, MAIL_POP3_ERROR_FAILED, what, error);
    }
  mail_pop3_reply_clear (&reply);

  return ok;
}

static gboolean
delete_number (MailPop3Client  *self,
               guint            number,
               GCancellable    *cancellable,
               GError         **error)
{
  g_autofree char *command = g_strdup_printf ("DELE %u", number);

  return _mail_pop3_client_send_line (self, command, cancellable, error)
         && read_dele_reply (self, number, cancellable, error);
}

/**
 * mail_pop3_client_delete_sync:
 * @self: a #MailPop3Client
 * @retrieved: a message retrieved in this session and marked stored
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * DELE: marks the message for deletion; the server deletes it at a successful
 * mail_pop3_client_quit_sync(), and mail_pop3_client_reset_sync() undoes the mark.
 *
 * Only a token that mail_pop3_retrieved_mark_stored() confirmed is accepted. An
 * unconfirmed one is a programming error: it is reported with g_critical() and fails
 * with %MAIL_POP3_ERROR_NOT_STORED, and nothing is sent. A token from an earlier session
 * fails with %MAIL_POP3_ERROR_STATE.
 *
 * Returns: %TRUE when the server marked the message deleted
 */
gboolean
mail_pop3_client_delete_sync (MailPop3Client     *self,
                              MailPop3Retrieved  *retrieved,
                              GCancellable       *cancellable,
                              GError            **error)
{
  return mail_pop3_client_delete_many_sync (self, &retrieved, 1, cancellable, error);
}

/**
 * mail_pop3_client_delete_many_sync:
 * @self: a #MailPop3Client
 * @retrieved: (array length=n_retrieved): messages retrieved in this session and marked
 *   stored
 * @n_retrieved: how many
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Like mail_pop3_client_delete_sync() for several messages, pipelined when the server
 * offers PIPELINING. Every token is checked before anything is sent: if one is not
 * marked stored, none is deleted.
 *
 * Returns: %TRUE when the server marked every message deleted
 */
gboolean
mail_pop3_client_delete_many_sync (MailPop3Client     *self,
                                   MailPop3Retrieved **retrieved,
                                   guint               n_retrieved,
                                   GCancellable       *cancellable,
                                   GError            **error)
{
  g_autofree guint *numbers = NULL;
  GError *first_error = NULL;
  gboolean pipelining;
  guint sent = 0;

  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), FALSE);
  g_return_val_if_fail (retrieved != NULL || n_retrieved == 0, FALSE);

  for (guint i = 0; i < n_retrieved; i++)
    g_return_val_if_fail (MAIL_IS_POP3_RETRIEVED (retrieved[i]), FALSE);

  /* Stored-ness first: it does not depend on the connection, and a caller that forgot
   * to mark must hear about it even when offline. */
  numbers = g_new (guint, MAX (n_retrieved, 1));
  for (guint i = 0; i < n_retrieved; i++)
    {
      if (!mail_pop3_retrieved_is_stored (retrieved[i]))
        return check_token (self, retrieved[i], error);
      numbers[i] = mail_pop3_retrieved_get_number (retrieved[i]);
    }

  if (!_mail_pop3_client_require_state (self, MAIL_POP3_STATE_TRANSACTION, error))
    return FALSE;

  for (guint i = 0; i < n_retrieved; i++)
    if (!check_token (self, retrieved[i], error))
      return FALSE;

  pipelining = _mail_pop3_client_can_pipeline (self);

  for (guint received = 0; received < n_retrieved; received++)
    {
      GError *local_error = NULL;

      if (!_mail_pop3_client_fill_window (self, "DELE", numbers, n_retrieved, &sent, received,
                                          pipelining, cancellable, &local_error)
          || !read_dele_reply (self, numbers[received], cancellable, &local_error))
        {
          if (local_error->domain == MAIL_POP3_ERROR
              && local_error->code != MAIL_POP3_ERROR_PROTOCOL
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
          return FALSE;
        }
    }

  if (first_error != NULL)
    {
      g_propagate_error (error, first_error);
      return FALSE;
    }

  return TRUE;
}

/**
 * mail_pop3_client_delete_by_uid_sync:
 * @self: a #MailPop3Client
 * @uid: the unique-id of a message stored in an earlier session
 * @is_stored: (scope call): confirms from durable storage that @uid is stored locally
 * @user_data: data for @is_stored
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * DELE by unique-id, for "remove from the server after N days" and "remove when deleted
 * here" policies, where the message was downloaded in an earlier session. The message's
 * number is looked up in this session's UIDL listing (which is fetched first if the
 * session has none), then @is_stored is asked; only when it answers %TRUE is DELE sent.
 *
 * Fails with %MAIL_POP3_ERROR_NO_SUCH_MESSAGE when the server does not list @uid,
 * %MAIL_POP3_ERROR_PROTOCOL when it lists it more than once (ambiguous: nothing is
 * deleted), %MAIL_POP3_ERROR_NOT_STORED when @is_stored says no.
 *
 * Returns: %TRUE when the server marked the message deleted
 */
gboolean
mail_pop3_client_delete_by_uid_sync (MailPop3Client      *self,
                                     const char          *uid,
                                     MailPop3StoredFunc   is_stored,
                                     gpointer             user_data,
                                     GCancellable        *cancellable,
                                     GError             **error)
{
  gpointer value = NULL;
  guint number;

  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), FALSE);
  g_return_val_if_fail (uid != NULL, FALSE);
  g_return_val_if_fail (is_stored != NULL, FALSE);

  if (!_mail_pop3_client_require_state (self, MAIL_POP3_STATE_TRANSACTION, error))
    return FALSE;

  if (self->number_by_uid == NULL)
    {
      g_autoptr (GArray) entries = _mail_pop3_client_uidl (self, cancellable, error);

      if (entries == NULL)
        return FALSE;
    }

  if (!g_hash_table_lookup_extended (self->number_by_uid, uid, NULL, &value))
    {
      g_set_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_NO_SUCH_MESSAGE,
                   _("The server %s no longer has the message %s."),
                   _mail_pop3_client_server_name (self), uid);
      return FALSE;
    }

  number = GPOINTER_TO_UINT (value);
  if (number == DUPLICATE_UID)
    {
      g_set_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL,
                   _("The server %s lists more than one message as %s, so none of them was "
                     "deleted."),
                   _mail_pop3_client_server_name (self), uid);
      return FALSE;
    }

  if (!is_stored (uid, user_data))
    {
      g_set_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_NOT_STORED,
                   _("The message %s was not deleted from the server because it is not "
                     "stored on this computer."),
                   uid);
      return FALSE;
    }

  return delete_number (self, number, cancellable, error);
}

/**
 * mail_pop3_client_reset_sync:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * RSET: unmarks every message marked deleted in this session.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_pop3_client_reset_sync (MailPop3Client  *self,
                             GCancellable    *cancellable,
                             GError         **error)
{
  g_autofree char *what = NULL;
  MailPop3Reply reply;
  gboolean ok;

  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), FALSE);

  if (!_mail_pop3_client_require_state (self, MAIL_POP3_STATE_TRANSACTION, error))
    return FALSE;

  what = g_strdup_printf (_("The server %s could not undo the deletions."),
                          _mail_pop3_client_server_name (self));
  ok = _mail_pop3_client_simple_command (self, "RSET", MAIL_POP3_ERROR_FAILED, what, &reply,
                                         cancellable, error);
  mail_pop3_reply_clear (&reply);

  return ok;
}

/**
 * mail_pop3_client_quit_sync:
 * @self: a #MailPop3Client
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * QUIT: ends the session. When signed in, this is the moment the server deletes the
 * messages marked deleted; %TRUE means it confirmed that. A failure (a -ERR, or a
 * connection lost before the answer) means the deletions may not have happened: the
 * messages will simply be listed again next time. The connection is closed either way.
 * Quitting a disconnected client does nothing.
 *
 * Returns: %TRUE when the server confirmed the end of the session
 */
gboolean
mail_pop3_client_quit_sync (MailPop3Client  *self,
                            GCancellable    *cancellable,
                            GError         **error)
{
  MailPop3Reply reply;
  gboolean ok;

  g_return_val_if_fail (MAIL_IS_POP3_CLIENT (self), FALSE);

  if (self->state == MAIL_POP3_STATE_DISCONNECTED
      || !mail_connection_is_connected (self->connection))
    {
      _mail_pop3_client_set_state (self, MAIL_POP3_STATE_DISCONNECTED);
      return TRUE;
    }

  if (!_mail_pop3_client_send_line (self, "QUIT", cancellable, error)
      || !_mail_pop3_client_read_reply (self, FALSE, &reply, cancellable, error))
    {
      _mail_pop3_client_abort_session (self);
      return FALSE;
    }

  ok = reply.status == MAIL_POP3_REPLY_OK;
  if (!ok)
    {
      g_autofree char *what = g_strdup_printf (_("The server %s could not delete the messages "
                                                 "marked for deletion."),
                                               _mail_pop3_client_server_name (self));

      _mail_pop3_client_set_reply_error (self, &reply, MAIL_POP3_ERROR_FAILED, what, error);
    }
  mail_pop3_reply_clear (&reply);

  mail_connection_close_sync (self->connection, NULL, NULL);
  _mail_pop3_client_set_state (self, MAIL_POP3_STATE_DISCONNECTED);

  return ok;
}
