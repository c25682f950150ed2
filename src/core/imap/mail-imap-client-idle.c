/* mail-imap-client-idle.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* IMAP IDLE (RFC 2177): waiting in the selected mailbox, updates arriving as signals,
 * until mail_imap_client_idle_stop() is called from any thread; renewed before servers
 * drop it. */

#include "config.h"

#include <glib/gi18n.h>

#include "mail-imap-client-private.h"

static void
cancel_idle_cb (GCancellable *cancellable,
                gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static gboolean
idle_stopping (MailImapClient *self)
{
  gboolean stop;

  g_mutex_lock (&self->idle_mutex);
  stop = self->idle_stop;
  g_mutex_unlock (&self->idle_mutex);

  return stop;
}

/* Handles the responses already buffered, without reading. */
static gboolean
drain_buffered (MailImapClient  *self,
                GError         **error)
{
  for (;;)
    {
      g_autoptr (MailImapResponse) response = NULL;
      GError *local_error = NULL;

      switch (mail_imap_parser_next (self->parser, &response, &local_error))
        {
        case MAIL_IMAP_PARSE_RESPONSE:
          if (!_mail_imap_client_dispatch (self, response, error))
            return FALSE;
          break;
        case MAIL_IMAP_PARSE_ERROR:
          return _mail_imap_client_fail_all_take (self, local_error, error);
        case MAIL_IMAP_PARSE_NEED_MORE:
        default:
          return TRUE;
        }
    }
}

/**
 * mail_imap_client_idle_sync:
 * @self: a #MailImapClient with a mailbox selected and no command in flight
 * @cancellable: (nullable): a #GCancellable; cancelling it ends IDLE like
 *   mail_imap_client_idle_stop() but the call then fails with %G_IO_ERROR_CANCELLED
 * @error: return location for a #GError
 *
 * Waits in IDLE, emitting the updates that arrive as signals, until
 * mail_imap_client_idle_stop() is called (from any thread) or @cancellable is cancelled;
 * then ends it with DONE, leaving the connection usable. IDLE is renewed before servers
 * drop it (mail_imap_client_set_idle_restart()).
 *
 * Returns: %TRUE when stopped
 */
gboolean
mail_imap_client_idle_sync (MailImapClient  *self,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_autoptr (GCancellable) idle_cancellable = g_cancellable_new ();
  gulong handler = 0;
  gboolean stopped = FALSE;
  gboolean ok = TRUE;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  if (!_mail_imap_client_check_connected (self, error))
    return FALSE;

  if (self->in_flight->len > 0 && !mail_imap_client_wait_all_sync (self, cancellable, error))
    return FALSE;

  if (!mail_imap_client_has_capability (self, "IDLE"))
    {
      g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSUPPORTED,
                           _("The server does not support IDLE."));
      return FALSE;
    }

  g_mutex_lock (&self->idle_mutex);
  g_set_object (&self->idle_cancellable, idle_cancellable);
  self->idle_stop = FALSE;
  g_mutex_unlock (&self->idle_mutex);

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_idle_cb),
                                     g_object_ref (idle_cancellable), g_object_unref);

  mail_connection_set_timeout (self->connection, MAIL_CONNECTION_PHASE_IDLE, self->idle_restart);

  while (ok && !stopped)
    {
      g_autoptr (MailImapCommand) command = mail_imap_client_new_command (self, "IDLE");
      gboolean restart = FALSE;

      self->want_continuation = TRUE;
      ok = mail_imap_client_submit (self, command, NULL, error);
      while (ok && !command->done && self->continuation == NULL)
        ok = _mail_imap_client_process_one_sync (self, NULL, error);
      self->want_continuation = FALSE;
      g_clear_pointer (&self->continuation, mail_imap_response_unref);
      if (!ok)
        break;
      if (command->done)
        {
          ok = mail_imap_command_check (command, error);
          if (ok)
            ok = _mail_imap_client_protocol_error (self, error,
                                                   _("The server ended IDLE before it "
                                                     "began."));
          break;
        }

      /* Once idling, IDLE lasts as long as it likes; the idle timeout watches it. */
      command->unlimited = TRUE;
      mail_connection_set_phase (self->connection, MAIL_CONNECTION_PHASE_IDLE);
      while (ok)
        {
          g_autoptr (GError) local_error = NULL;

          ok = drain_buffered (self, error);
          if (!ok || command->done)
            break;

          if (idle_stopping (self) || g_cancellable_is_cancelled (idle_cancellable))
            {
              stopped = TRUE;
              break;
            }

          if (mail_connection_wait_for_data_sync (self->connection, idle_cancellable,
                                                  &local_error))
            {
              ok = _mail_imap_client_process_one_sync (self, NULL, error);
              continue;
            }

          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              stopped = TRUE;
              break;
            }
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
              && mail_connection_is_connected (self->connection))
            {
              restart = TRUE;
              break;
            }

          ok = _mail_imap_client_fail_all_take (self,
                                                _mail_imap_client_read_failure (
                                                  self, g_steal_pointer (&local_error)),
                                                error);
        }
      mail_connection_set_phase (self->connection, MAIL_CONNECTION_PHASE_COMMAND);

      if (!ok)
        break;

      if (command->done)
        {
          /* The server ended IDLE on its own. */
          ok = mail_imap_command_check (command, error);
          if (!ok)
            break;
          continue;
        }

      {
        GError *local_error = NULL;

        if (!mail_connection_write_all_sync (self->connection, "DONE\r\n", 6,
                                             MAIL_CONNECTION_IO_NONE, NULL, &local_error))
          {
            ok = _mail_imap_client_fail_all_take (self, local_error, error);
            break;
          }
      }
      /* After DONE the answer is due like any other. */
      command->unlimited = FALSE;
      command->last_write = g_get_monotonic_time ();
      ok = mail_imap_client_wait_sync (self, command, NULL, error);
      if (ok && restart)
        mail_protocol_log_add_info (mail_connection_get_log (self->connection),
                                    "renewing IDLE");
    }

  if (handler != 0)
    g_cancellable_disconnect (cancellable, handler);

  g_mutex_lock (&self->idle_mutex);
  g_clear_object (&self->idle_cancellable);
  g_mutex_unlock (&self->idle_mutex);

  if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  return ok;
}

/**
 * mail_imap_client_idle_stop:
 * @self: a #MailImapClient
 *
 * Ends the running mail_imap_client_idle_sync() (which sends DONE and returns %TRUE). May be
 * called from any thread; does nothing when no IDLE runs.
 */
void
mail_imap_client_idle_stop (MailImapClient *self)
{
  g_return_if_fail (MAIL_IS_IMAP_CLIENT (self));

  g_mutex_lock (&self->idle_mutex);
  self->idle_stop = TRUE;
  if (self->idle_cancellable != NULL)
    g_cancellable_cancel (self->idle_cancellable);
  g_mutex_unlock (&self->idle_mutex);
}
