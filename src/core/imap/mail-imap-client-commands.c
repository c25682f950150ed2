/* mail-imap-client-commands.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The IMAP commands, on the session (CAPABILITY, NOOP, ENABLE, COMPRESS) and on mailboxes
 * and messages, each a linear _sync function over the client's pipelining engine
 * (mail-imap-client-engine.c): build the command, run it, read the collected responses.
 * Streams of results (FETCH) go to a function as they arrive. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-imap-client-private.h"

/**
 * mail_imap_client_capability_sync:
 * @self: a #MailImapClient
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Asks for the capabilities again; read them with mail_imap_client_get_capabilities().
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_capability_sync (MailImapClient  *self,
                                  GCancellable    *cancellable,
                                  GError         **error)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  if (!_mail_imap_client_simple_sync (self, "CAPABILITY", cancellable, error))
    return FALSE;

  if (self->capabilities == NULL)
    return _mail_imap_client_protocol_error (self, error,
                                             _("The server did not list its capabilities."));

  return TRUE;
}

/**
 * mail_imap_client_noop_sync:
 * @self: a #MailImapClient
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success; updates arrive as signals
 */
gboolean
mail_imap_client_noop_sync (MailImapClient  *self,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  return _mail_imap_client_simple_sync (self, "NOOP", cancellable, error);
}

gboolean
_mail_imap_is_atom_text (const char *text)
{
  if (text == NULL || *text == '\0')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f || strchr ("(){%*\"\\]", *p) != NULL)
        return FALSE;
    }

  return TRUE;
}

gboolean
_mail_imap_check_atom (const char  *text,
                       GError     **error)
{
  if (_mail_imap_is_atom_text (text))
    return TRUE;

  g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSENDABLE,
               _("“%s” cannot be sent to the server as a name."), text != NULL ? text : "");

  return FALSE;
}

/**
 * mail_imap_client_enable_sync:
 * @self: a #MailImapClient
 * @extensions: (array zero-terminated=1): extensions, such as "CONDSTORE", "QRESYNC" or
 *   "UTF8=ACCEPT"
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Enables extensions; check which were with mail_imap_client_is_enabled(). UTF8=ACCEPT
 * switches mailbox names to UTF-8 in both directions.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_enable_sync (MailImapClient      *self,
                              const char * const  *extensions,
                              GCancellable        *cancellable,
                              GError             **error)
{
  g_autoptr (MailImapCommand) command = NULL;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (extensions != NULL && extensions[0] != NULL, FALSE);

  command = mail_imap_client_new_command (self, "ENABLE");
  for (guint i = 0; extensions[i] != NULL; i++)
    {
      if (!_mail_imap_check_atom (extensions[i], error))
        return FALSE;
      mail_imap_command_add_atom (command, extensions[i]);
    }

  return mail_imap_client_run_sync (self, command, cancellable, error);
}

/**
 * mail_imap_client_compress_sync:
 * @self: a #MailImapClient with no command in flight
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Turns on COMPRESS=DEFLATE (RFC 4978) when the server offers it: both directions are
 * compressed from the server's OK on. Data following that OK in what was already read
 * cannot be told apart, and ends the connection.
 *
 * Returns: %TRUE when compression is on
 */
gboolean
mail_imap_client_compress_sync (MailImapClient  *self,
                                GCancellable    *cancellable,
                                GError         **error)
{
  g_autoptr (MailImapCommand) command = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  if (!mail_imap_client_has_capability (self, "COMPRESS=DEFLATE"))
    {
      g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSUPPORTED,
                           _("The server does not offer compression."));
      return FALSE;
    }

  if (self->in_flight->len > 0 && !mail_imap_client_wait_all_sync (self, cancellable, error))
    return FALSE;

  command = mail_imap_client_new_command (self, "COMPRESS DEFLATE");
  if (!mail_imap_client_run_sync (self, command, cancellable, error))
    return FALSE;

  if (_mail_imap_client_has_unread_input (self))
    return _mail_imap_client_protocol_error (self, error,
                                             _("The server sent data before compression "
                                               "started."));

  if (!mail_connection_start_compression (self->connection, &local_error))
    return _mail_imap_client_fail_all_take (self, local_error, error);

  return TRUE;
}

static gboolean
is_flag (const char *flag)
{
  if (flag == NULL)
    return FALSE;
  if (flag[0] == '\\')
    return _mail_imap_is_atom_text (flag + 1);

  return _mail_imap_is_atom_text (flag);
}

static MailImapResponse *
first_response (MailImapCommand *command)
{
  GPtrArray *responses = mail_imap_command_get_responses (command);

  if (responses->len == 0)
    return NULL;

  return mail_imap_response_ref (g_ptr_array_index (responses, 0));
}

/**
 * mail_imap_client_id_sync:
 * @self: a #MailImapClient
 * @params: (array zero-terminated=1) (nullable): name, value, name, value, ...; %NULL
 *   sends "ID NIL"
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the server's ID response, or %NULL with @error
 *   unset when it sent none
 */
MailImapResponse *
mail_imap_client_id_sync (MailImapClient      *self,
                          const char * const  *params,
                          GCancellable        *cancellable,
                          GError             **error)
{
  g_autoptr (MailImapCommand) command = NULL;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), NULL);

  command = mail_imap_client_new_command (self, "ID");
  if (params == NULL || params[0] == NULL)
    {
      mail_imap_command_add_atom (command, "NIL");
    }
  else
    {
      mail_imap_command_add_atom (command, "(");
      command->need_space = FALSE;
      for (guint i = 0; params[i] != NULL; i++)
        {
          if (!mail_imap_command_add_string (command, params[i], error))
            return NULL;
        }
      g_byte_array_append (g_array_index (command->segments, MailImapSegment,
                                          command->segments->len - 1).data,
                           (const guint8 *) ")", 1);
    }
  mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_ID);

  if (!mail_imap_client_run_sync (self, command, cancellable, error))
    return NULL;

  return first_response (command);
}

/**
 * mail_imap_client_namespace_sync:
 * @self: a #MailImapClient
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the NAMESPACE response
 */
MailImapResponse *
mail_imap_client_namespace_sync (MailImapClient  *self,
                                 GCancellable    *cancellable,
                                 GError         **error)
{
  g_autoptr (MailImapCommand) command = NULL;
  MailImapResponse *response;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), NULL);

  command = mail_imap_client_new_command (self, "NAMESPACE");
  mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_NAMESPACE);
  if (!mail_imap_client_run_sync (self, command, cancellable, error))
    return NULL;

  response = first_response (command);
  if (response == NULL)
    g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL,
                         _("The server did not describe its namespaces."));

  return response;
}

static GPtrArray *
steal_responses (MailImapCommand *command)
{
  return g_ptr_array_ref (mail_imap_command_get_responses (command));
}

/**
 * mail_imap_client_list_sync:
 * @self: a #MailImapClient
 * @reference: the reference name, usually ""
 * @pattern: the mailbox pattern, such as "*"
 * @flags: what to ask for (#MailImapListFlags), each only when the server offers it
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type MailImapResponse): the LIST responses, and the
 *   STATUS responses of LIST-STATUS
 */
GPtrArray *
mail_imap_client_list_sync (MailImapClient     *self,
                            const char         *reference,
                            const char         *pattern,
                            MailImapListFlags   flags,
                            GCancellable       *cancellable,
                            GError            **error)
{
  g_autoptr (MailImapCommand) command = NULL;
  g_autoptr (GString) options = g_string_new (NULL);
  gboolean extended;
  gboolean special_use;
  gboolean status;
  gboolean return_subscribed;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), NULL);
  g_return_val_if_fail (reference != NULL && pattern != NULL, NULL);

  extended = mail_imap_client_has_capability (self, "LIST-EXTENDED");
  special_use = (flags & MAIL_IMAP_LIST_SPECIAL_USE) != 0
                && mail_imap_client_has_capability (self, "SPECIAL-USE");
  status = (flags & MAIL_IMAP_LIST_STATUS) != 0
           && mail_imap_client_has_capability (self, "LIST-STATUS");
  return_subscribed = (flags & MAIL_IMAP_LIST_RETURN_SUBSCRIBED) != 0 && extended;

  if ((flags & MAIL_IMAP_LIST_SUBSCRIBED) != 0 && !extended)
    return mail_imap_client_lsub_sync (self, reference, pattern, cancellable, error);

  command = mail_imap_client_new_command (self, "LIST");
  if ((flags & MAIL_IMAP_LIST_SUBSCRIBED) != 0)
    mail_imap_command_add_atom (command, "(SUBSCRIBED)");
  if (!mail_imap_command_add_mailbox (command, reference, error)
      || !mail_imap_command_add_mailbox (command, pattern, error))
    return NULL;

  if (return_subscribed)
    g_string_append (options, " SUBSCRIBED");
  if (special_use)
    g_string_append (options, " SPECIAL-USE");
  if (status)
    {
      /* With CONDSTORE, whether a mailbox changed at all, for every mailbox at once. */
      g_string_append (options, " STATUS (MESSAGES UNSEEN UIDNEXT UIDVALIDITY");
      if (mail_imap_client_has_capability (self, "CONDSTORE"))
        g_string_append (options, " HIGHESTMODSEQ");
      g_string_append_c (options, ')');
    }
  if (options->len > 0)
    mail_imap_command_add_printf (command, "RETURN (%s)", options->str + 1);

  mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_LIST);
  mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_MAILBOX_STATUS);
  if (!mail_imap_client_run_sync (self, command, cancellable, error))
    return NULL;

  return steal_responses (command);
}

/**
 * mail_imap_client_lsub_sync:
 * @self: a #MailImapClient
 * @reference: the reference name, usually ""
 * @pattern: the mailbox pattern
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type MailImapResponse): the LSUB responses
 */
GPtrArray *
mail_imap_client_lsub_sync (MailImapClient  *self,
                            const char      *reference,
                            const char      *pattern,
                            GCancellable    *cancellable,
                            GError         **error)
{
  g_autoptr (MailImapCommand) command = NULL;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), NULL);

  command = mail_imap_client_new_command (self, "LSUB");
  if (!mail_imap_command_add_mailbox (command, reference, error)
      || !mail_imap_command_add_mailbox (command, pattern, error))
    return NULL;
  mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_LSUB);
  if (!mail_imap_client_run_sync (self, command, cancellable, error))
    return NULL;

  return steal_responses (command);
}

static gboolean
mailbox_command_sync (MailImapClient  *self,
                      const char      *verb,
                      const char      *mailbox,
                      const char      *second,
                      GCancellable    *cancellable,
                      GError         **error)
{
  g_autoptr (MailImapCommand) command = mail_imap_client_new_command (self, verb);

  if (!mail_imap_command_add_mailbox (command, mailbox, error))
    return FALSE;
  if (second != NULL && !mail_imap_command_add_mailbox (command, second, error))
    return FALSE;

  return mail_imap_client_run_sync (self, command, cancellable, error);
}

/**
 * mail_imap_client_subscribe_sync:
 * @self: a #MailImapClient
 * @mailbox: a mailbox name
 * @subscribe: %TRUE for SUBSCRIBE, %FALSE for UNSUBSCRIBE
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_subscribe_sync (MailImapClient  *self,
                                 const char      *mailbox,
                                 gboolean         subscribe,
                                 GCancellable    *cancellable,
                                 GError         **error)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  return mailbox_command_sync (self, subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE", mailbox, NULL,
                               cancellable, error);
}

/**
 * mail_imap_client_create_sync:
 * @self: a #MailImapClient
 * @mailbox: the new mailbox's name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_create_sync (MailImapClient  *self,
                              const char      *mailbox,
                              GCancellable    *cancellable,
                              GError         **error)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  return mailbox_command_sync (self, "CREATE", mailbox, NULL, cancellable, error);
}

/**
 * mail_imap_client_rename_sync:
 * @self: a #MailImapClient
 * @mailbox: a mailbox name
 * @new_name: its new name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_rename_sync (MailImapClient  *self,
                              const char      *mailbox,
                              const char      *new_name,
                              GCancellable    *cancellable,
                              GError         **error)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (new_name != NULL, FALSE);

  return mailbox_command_sync (self, "RENAME", mailbox, new_name, cancellable, error);
}

/**
 * mail_imap_client_delete_sync:
 * @self: a #MailImapClient
 * @mailbox: a mailbox name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_delete_sync (MailImapClient  *self,
                              const char      *mailbox,
                              GCancellable    *cancellable,
                              GError         **error)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  return mailbox_command_sync (self, "DELETE", mailbox, NULL, cancellable, error);
}

static gboolean
is_uid_set (const char *set)
{
  if (set == NULL || *set == '\0')
    return FALSE;

  for (const char *p = set; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && strchr (":,*$", *p) == NULL)
      return FALSE;

  return TRUE;
}

static gboolean
check_uid_set (const char  *set,
               GError     **error)
{
  if (is_uid_set (set))
    return TRUE;

  g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSENDABLE,
               _("“%s” is not a set of message numbers."), set != NULL ? set : "");

  return FALSE;
}

typedef struct
{
  MailImapFetchFunc     fetch_func;
  MailImapVanishedFunc  vanished_func;
  gpointer              user_data;
} ChangesClosure;

/* FETCH and VANISHED responses, to the functions that asked for them. */
static void
changes_response_cb (MailImapCommand        *command,
                     const MailImapResponse *response,
                     gpointer                user_data)
{
  ChangesClosure *closure = user_data;

  if (response->kind == MAIL_IMAP_RESPONSE_FETCH && closure->fetch_func != NULL)
    closure->fetch_func (&response->fetch, closure->user_data);
  else if (response->kind == MAIL_IMAP_RESPONSE_VANISHED && closure->vanished_func != NULL)
    closure->vanished_func (&response->vanished, closure->user_data);
}

/**
 * mail_imap_client_select_sync:
 * @self: a #MailImapClient
 * @mailbox: a mailbox name
 * @read_only: %TRUE for EXAMINE
 * @qresync: (nullable): what is known of the mailbox, with QRESYNC enabled; VANISHED
 *   (EARLIER) and FETCH responses for the changes then arrive as signals
 * @info: (out caller-allocates) (optional): what the server reported
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Selects @mailbox (with CONDSTORE when it is enabled or offered and QRESYNC is not given).
 * See mail_imap_client_select_changes_sync() to receive the changes QRESYNC reports
 * without signals.
 *
 * Returns: %TRUE on success; on failure no mailbox is selected
 */
gboolean
mail_imap_client_select_sync (MailImapClient         *self,
                              const char             *mailbox,
                              gboolean                read_only,
                              const MailImapQresync  *qresync,
                              MailImapMailboxInfo    *info,
                              GCancellable           *cancellable,
                              GError                **error)
{
  return mail_imap_client_select_changes_sync (self, mailbox, read_only, qresync, info, NULL,
                                               NULL, NULL, cancellable, error);
}

/**
 * mail_imap_client_select_changes_sync:
 * @self: a #MailImapClient
 * @mailbox: a mailbox name
 * @read_only: %TRUE for EXAMINE
 * @qresync: (nullable): what is known of the mailbox (its UIDVALIDITY, the HIGHESTMODSEQ
 *   stored and, optionally, the UIDs known), used when QRESYNC is enabled
 *   (mail_imap_client_enable_sync()); otherwise ignored
 * @info: (out caller-allocates) (optional): what the server reported: EXISTS, UIDVALIDITY,
 *   UIDNEXT, HIGHESTMODSEQ (or NOMODSEQ), flags, read-write
 * @fetch_func: (scope call) (nullable): receives the FETCH responses of the messages
 *   changed since @qresync->modseq (UID, FLAGS, MODSEQ), as they arrive, none kept
 * @vanished_func: (scope call) (nullable): receives the VANISHED (EARLIER) responses: the
 *   UIDs expunged since then, among @qresync->known_uids when given
 * @user_data: data for both functions
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Selects @mailbox as mail_imap_client_select_sync() does (SELECT, or EXAMINE; with
 * (CONDSTORE) when the server offers it, or (QRESYNC (...)) when QRESYNC is enabled and
 * @qresync given), handing what QRESYNC reports to the functions rather than to the
 * #MailImapClient::fetch and #MailImapClient::vanished signals. A resync of an unchanged
 * mailbox is then this one round trip: compare @info->uidvalidity and
 * @info->highestmodseq with what is stored. A UIDVALIDITY that changed means the server
 * sends no changes (RFC 7162 section 3.2.5.1): everything stored for the mailbox is stale.
 *
 * Returns: %TRUE on success; on failure no mailbox is selected
 */
gboolean
mail_imap_client_select_changes_sync (MailImapClient         *self,
                                      const char             *mailbox,
                                      gboolean                read_only,
                                      const MailImapQresync  *qresync,
                                      MailImapMailboxInfo    *info,
                                      MailImapFetchFunc       fetch_func,
                                      MailImapVanishedFunc    vanished_func,
                                      gpointer                user_data,
                                      GCancellable           *cancellable,
                                      GError                **error)
{
  g_autoptr (MailImapCommand) command = NULL;
  MailImapMailboxInfo result = { 0, };
  ChangesClosure closure = { fetch_func, vanished_func, user_data };
  const MailImapResponse *tagged;
  GPtrArray *responses;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (mailbox != NULL, FALSE);

  command = mail_imap_client_new_command (self, read_only ? "EXAMINE" : "SELECT");
  if (!mail_imap_command_add_mailbox (command, mailbox, error))
    return FALSE;

  if (qresync != NULL && mail_imap_client_is_enabled (self, "QRESYNC"))
    {
      if (qresync->known_uids != NULL && !check_uid_set (qresync->known_uids, error))
        return FALSE;
      mail_imap_command_add_printf (command, "(QRESYNC (%u %" G_GUINT64_FORMAT "%s%s))",
                                    qresync->uidvalidity, qresync->modseq,
                                    qresync->known_uids != NULL ? " " : "",
                                    qresync->known_uids != NULL ? qresync->known_uids : "");
    }
  else if (mail_imap_client_has_capability (self, "CONDSTORE")
           && !mail_imap_client_is_enabled (self, "CONDSTORE")
           && !mail_imap_client_is_enabled (self, "QRESYNC"))
    {
      mail_imap_command_add_atom (command, "(CONDSTORE)");
    }

  mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_STATUS);
  mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_EXISTS);
  mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_RECENT);
  mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_FLAGS);
  if (fetch_func != NULL)
    mail_imap_command_set_response_func (command, MAIL_IMAP_RESPONSE_FETCH,
                                         changes_response_cb, &closure);
  if (vanished_func != NULL)
    mail_imap_command_set_response_func (command, MAIL_IMAP_RESPONSE_VANISHED,
                                         changes_response_cb, &closure);

  /* From here on, the previous mailbox is no longer selected. */
  _mail_imap_client_set_selected (self, mailbox);

  if (!mail_imap_client_run_sync (self, command, cancellable, error))
    {
      _mail_imap_client_set_selected (self, NULL);
      return FALSE;
    }

  responses = mail_imap_command_get_responses (command);
  for (guint i = 0; i < responses->len; i++)
    {
      const MailImapResponse *r = g_ptr_array_index (responses, i);

      switch (r->kind)
        {
        case MAIL_IMAP_RESPONSE_EXISTS:
          result.exists = r->number;
          break;
        case MAIL_IMAP_RESPONSE_RECENT:
          result.recent = r->number;
          break;
        case MAIL_IMAP_RESPONSE_FLAGS:
          result.flags = r->flags.bits;
          break;
        case MAIL_IMAP_RESPONSE_STATUS:
          switch (r->code.kind)
            {
            case MAIL_IMAP_CODE_UIDVALIDITY:
              result.uidvalidity = (guint32) r->code.number;
              break;
            case MAIL_IMAP_CODE_UIDNEXT:
              result.uidnext = (guint32) r->code.number;
              break;
            case MAIL_IMAP_CODE_UNSEEN:
              result.unseen = (guint32) r->code.number;
              break;
            case MAIL_IMAP_CODE_HIGHESTMODSEQ:
              result.highestmodseq = r->code.number;
              break;
            case MAIL_IMAP_CODE_NOMODSEQ:
              result.nomodseq = TRUE;
              break;
            case MAIL_IMAP_CODE_PERMANENTFLAGS:
              result.permanent_flags = r->code.flags.bits;
              break;
            default:
              break;
            }
          break;
        default:
          break;
        }
    }

  tagged = mail_imap_command_get_tagged (command);
  result.read_write = tagged->code.kind == MAIL_IMAP_CODE_READ_WRITE;

  if (info != NULL)
    *info = result;

  return TRUE;
}

/**
 * mail_imap_client_unselect_sync:
 * @self: a #MailImapClient
 * @expunge: %TRUE for CLOSE (removes \Deleted messages), %FALSE for UNSELECT (fails with
 *   %MAIL_IMAP_ERROR_UNSUPPORTED when the server lacks UNSELECT)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_unselect_sync (MailImapClient  *self,
                                gboolean         expunge,
                                GCancellable    *cancellable,
                                GError         **error)
{
  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  if (!expunge && !mail_imap_client_has_capability (self, "UNSELECT"))
    {
      g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSUPPORTED,
                           _("The server cannot leave a mailbox without expunging it."));
      return FALSE;
    }

  if (!_mail_imap_client_simple_sync (self, expunge ? "CLOSE" : "UNSELECT", cancellable, error))
    return FALSE;

  _mail_imap_client_set_selected (self, NULL);

  return TRUE;
}

/**
 * mail_imap_client_status_sync:
 * @self: a #MailImapClient
 * @mailbox: a mailbox name
 * @items: what to ask
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the STATUS response
 */
MailImapResponse *
mail_imap_client_status_sync (MailImapClient       *self,
                              const char           *mailbox,
                              MailImapStatusItems   items,
                              GCancellable         *cancellable,
                              GError              **error)
{
  static const struct { MailImapStatusItems item; const char *name; } names[] = {
    { MAIL_IMAP_STATUS_ITEM_MESSAGES, "MESSAGES" },
    { MAIL_IMAP_STATUS_ITEM_RECENT, "RECENT" },
    { MAIL_IMAP_STATUS_ITEM_UIDNEXT, "UIDNEXT" },
    { MAIL_IMAP_STATUS_ITEM_UIDVALIDITY, "UIDVALIDITY" },
    { MAIL_IMAP_STATUS_ITEM_UNSEEN, "UNSEEN" },
    { MAIL_IMAP_STATUS_ITEM_DELETED, "DELETED" },
    { MAIL_IMAP_STATUS_ITEM_SIZE, "SIZE" },
    { MAIL_IMAP_STATUS_ITEM_HIGHESTMODSEQ, "HIGHESTMODSEQ" },
    { MAIL_IMAP_STATUS_ITEM_APPENDLIMIT, "APPENDLIMIT" },
    { MAIL_IMAP_STATUS_ITEM_MAILBOXID, "MAILBOXID" },
  };
  g_autoptr (MailImapCommand) command = NULL;
  g_autoptr (GString) list = g_string_new ("(");
  MailImapResponse *response;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), NULL);
  g_return_val_if_fail (items != 0, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if ((items & names[i].item) == 0)
        continue;
      if (list->len > 1)
        g_string_append_c (list, ' ');
      g_string_append (list, names[i].name);
    }
  g_string_append_c (list, ')');

  command = mail_imap_client_new_command (self, "STATUS");
  if (!mail_imap_command_add_mailbox (command, mailbox, error))
    return NULL;
  mail_imap_command_add_atom (command, list->str);
  mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_MAILBOX_STATUS);
  if (!mail_imap_client_run_sync (self, command, cancellable, error))
    return NULL;

  response = first_response (command);
  if (response == NULL)
    g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL,
                         _("The server sent no status for the mailbox."));

  return response;
}


/**
 * mail_imap_client_uid_fetch_sync:
 * @self: a #MailImapClient with a mailbox selected
 * @uids: a UID set, such as "1:*"
 * @options: what to fetch
 * @func: (scope call) (nullable): called for each FETCH response as it arrives, so that
 *   large results are never held at once (an unsolicited FETCH, such as another client's
 *   flag change, that arrives meanwhile comes here too); %NULL to collect them instead
 * @user_data: data for @func
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * With @options->changed_since and @options->vanished (QRESYNC enabled), the UIDs
 * expunged since then go to @options->vanished_func, or arrive as
 * #MailImapClient::vanished signals without one. For a header sync of a large mailbox,
 * give @func: each message's envelope, flags, dates, size, structure and header fields
 * are parsed into a #MailImapFetch, handed over and dropped, so memory stays flat however
 * many messages there are.
 *
 * Returns: (transfer full) (element-type MailImapResponse) (nullable): the FETCH
 *   responses (empty when @func took them), or %NULL on error
 */
GPtrArray *
mail_imap_client_uid_fetch_sync (MailImapClient              *self,
                                 const char                  *uids,
                                 const MailImapFetchOptions  *options,
                                 MailImapFetchFunc            func,
                                 gpointer                     user_data,
                                 GCancellable                *cancellable,
                                 GError                     **error)
{
  g_autoptr (MailImapCommand) command = NULL;
  g_autoptr (GString) items = g_string_new ("(UID");
  ChangesClosure closure = { func, NULL, user_data };
  MailImapFetchAttrs attrs;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  if (!check_uid_set (uids, error))
    return NULL;

  attrs = options->attrs;
  if ((attrs & MAIL_IMAP_FETCH_ATTR_FLAGS) != 0)
    g_string_append (items, " FLAGS");
  if ((attrs & MAIL_IMAP_FETCH_ATTR_ENVELOPE) != 0)
    g_string_append (items, " ENVELOPE");
  if ((attrs & MAIL_IMAP_FETCH_ATTR_INTERNALDATE) != 0)
    g_string_append (items, " INTERNALDATE");
  if ((attrs & MAIL_IMAP_FETCH_ATTR_SIZE) != 0)
    g_string_append (items, " RFC822.SIZE");
  if ((attrs & MAIL_IMAP_FETCH_ATTR_BODYSTRUCTURE) != 0)
    g_string_append (items, " BODYSTRUCTURE");
  if ((attrs & MAIL_IMAP_FETCH_ATTR_MODSEQ) != 0)
    g_string_append (items, " MODSEQ");
  if (options->header_fields != NULL && options->header_fields[0] != NULL)
    {
      g_string_append (items, " BODY.PEEK[HEADER.FIELDS (");
      for (guint i = 0; options->header_fields[i] != NULL; i++)
        {
          if (!_mail_imap_check_atom (options->header_fields[i], error))
            return NULL;
          if (i > 0)
            g_string_append_c (items, ' ');
          g_string_append (items, options->header_fields[i]);
        }
      g_string_append (items, ")]");
    }
  if ((attrs & MAIL_IMAP_FETCH_ATTR_BODY) != 0)
    {
      g_string_append (items, " BODY.PEEK[]");
      if (options->body_length > 0)
        g_string_append_printf (items, "<%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT ">",
                                options->body_offset, options->body_length);
    }
  g_string_append_c (items, ')');

  command = mail_imap_client_new_command (self, "UID FETCH");
  mail_imap_command_add_atom (command, uids);
  mail_imap_command_add_atom (command, items->str);
  if (options->changed_since > 0)
    mail_imap_command_add_printf (command, "(CHANGEDSINCE %" G_GUINT64_FORMAT "%s)",
                                  options->changed_since,
                                  options->vanished && mail_imap_client_is_enabled (self, "QRESYNC")
                                    ? " VANISHED" : "");

  if (func != NULL)
    mail_imap_command_set_response_func (command, MAIL_IMAP_RESPONSE_FETCH, changes_response_cb,
                                         &closure);
  else
    mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_FETCH);
  if (options->vanished && options->vanished_func != NULL)
    {
      closure.vanished_func = options->vanished_func;
      mail_imap_command_set_response_func (command, MAIL_IMAP_RESPONSE_VANISHED,
                                           changes_response_cb, &closure);
    }

  if (!mail_imap_client_run_sync (self, command, cancellable, error))
    return NULL;

  return steal_responses (command);
}

/* A section specification as the caller may give it: "", "1.2", "TEXT", "HEADER",
 * "HEADER.FIELDS (REFERENCES IN-REPLY-TO)". */
static gboolean
check_section (const char  *section,
               GError     **error)
{
  int depth = 0;

  for (const char *p = section; *p != '\0'; p++)
    {
      if (*p == '(')
        depth++;
      else if (*p == ')')
        depth--;
      else if (!g_ascii_isalnum (*p) && strchr (".- _", *p) == NULL)
        depth = -1;

      if (depth < 0 || depth > 1)
        break;
    }

  if (depth == 0)
    return TRUE;

  g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSENDABLE,
               _("“%s” is not a message section."), section);
  return FALSE;
}

/* FETCH responses of a body fetch: those without a body (another client's flag change,
 * say) are the mailbox updates they would have been without this command. */
static void
body_fetch_response_cb (MailImapCommand        *command,
                        const MailImapResponse *response,
                        gpointer                user_data)
{
  MailImapClient *self = user_data;

  if ((response->fetch.items & MAIL_IMAP_FETCH_SECTIONS) == 0
      && self->state == MAIL_IMAP_CLIENT_SELECTED)
    _mail_imap_client_emit_update (self, (MailImapResponse *) response);
}

/**
 * mail_imap_client_uid_fetch_body_sync:
 * @self: a #MailImapClient with a mailbox selected
 * @uids: a UID set, such as "7" or "100:200"
 * @section: the section to fetch: "" for the whole message (RFC 5322, as the server
 *   stores it), or a section specification such as "1.2", "TEXT" or "HEADER"
 * @sink: where each message's content goes: opened when it begins to arrive, written as it
 *   is read, committed with its UID when its FETCH response is complete, aborted otherwise
 *   (see #MailImapBodySink)
 * @user_data: data for @sink
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Fetches message content (`UID FETCH uids (UID BODY.PEEK[section])`, which leaves \Seen
 * alone) straight to disk, or wherever @sink writes: no message is ever held whole in
 * memory, whatever its size (up to the client's max_streamed_literal). The functions of
 * @sink are called on the thread that runs this call.
 *
 * UIDs that no longer exist are simply not answered: no sink is opened for them. When
 * @sink fails (%G_IO_ERROR_NO_SPACE on a full disk), this fails with its error once the
 * server is done answering, and the connection stays usable; what was committed before
 * stays committed. When the connection is lost, the message being read is aborted and
 * this fails with the connection's error.
 *
 * Returns: %TRUE when the server answered OK and every message it sent was committed
 */
gboolean
mail_imap_client_uid_fetch_body_sync (MailImapClient          *self,
                                      const char              *uids,
                                      const char              *section,
                                      const MailImapBodySink  *sink,
                                      gpointer                 user_data,
                                      GCancellable            *cancellable,
                                      GError                 **error)
{
  g_autoptr (MailImapCommand) command = NULL;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (section != NULL, FALSE);
  g_return_val_if_fail (sink != NULL, FALSE);

  if (!check_uid_set (uids, error) || !check_section (section, error))
    return FALSE;

  command = mail_imap_client_new_command (self, "UID FETCH");
  mail_imap_command_add_atom (command, uids);
  mail_imap_command_add_printf (command, "(UID BODY.PEEK[%s])", section);
  mail_imap_command_set_body_sink (command, sink, user_data);
  mail_imap_command_set_response_func (command, MAIL_IMAP_RESPONSE_FETCH,
                                       body_fetch_response_cb, self);

  return mail_imap_client_run_sync (self, command, cancellable, error);
}

static const char *
store_verb (MailImapStoreMode mode)
{
  switch (mode)
    {
    case MAIL_IMAP_STORE_ADD:
      return "+FLAGS.SILENT";
    case MAIL_IMAP_STORE_REMOVE:
      return "-FLAGS.SILENT";
    case MAIL_IMAP_STORE_REPLACE:
    default:
      return "FLAGS.SILENT";
    }
}

static gboolean
append_flag_list (GString             *out,
                  const char * const  *flags,
                  GError             **error)
{
  g_string_append_c (out, '(');
  for (guint i = 0; flags != NULL && flags[i] != NULL; i++)
    {
      if (!is_flag (flags[i]))
        {
          g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSENDABLE,
                       _("“%s” is not a valid flag."), flags[i]);
          return FALSE;
        }
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, flags[i]);
    }
  g_string_append_c (out, ')');

  return TRUE;
}

/**
 * mail_imap_client_uid_store_sync:
 * @self: a #MailImapClient with a mailbox selected
 * @uids: a UID set
 * @mode: add, remove or replace
 * @flags: (array zero-terminated=1): flags such as "\\Seen"
 * @unchanged_since: 0, or the MODSEQ the messages must not have passed (CONDSTORE)
 * @modified: (out) (optional) (nullable): with @unchanged_since, the UIDs the server did
 *   not change because they changed meanwhile (MODIFIED), or %NULL
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Stores flags silently; changes made by others still arrive as FETCH signals.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_uid_store_sync (MailImapClient      *self,
                                 const char          *uids,
                                 MailImapStoreMode    mode,
                                 const char * const  *flags,
                                 guint64              unchanged_since,
                                 char               **modified,
                                 GCancellable        *cancellable,
                                 GError             **error)
{
  g_autoptr (MailImapCommand) command = NULL;
  g_autoptr (GString) list = g_string_new (NULL);
  const MailImapResponse *tagged;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  if (modified != NULL)
    *modified = NULL;

  if (!check_uid_set (uids, error) || !append_flag_list (list, flags, error))
    return FALSE;

  command = mail_imap_client_new_command (self, "UID STORE");
  mail_imap_command_add_atom (command, uids);
  if (unchanged_since > 0)
    mail_imap_command_add_printf (command, "(UNCHANGEDSINCE %" G_GUINT64_FORMAT ")",
                                  unchanged_since);
  mail_imap_command_add_atom (command, store_verb (mode));
  mail_imap_command_add_atom (command, list->str);

  if (!mail_imap_client_run_sync (self, command, cancellable, error))
    return FALSE;

  tagged = mail_imap_command_get_tagged (command);
  if (modified != NULL && tagged->code.kind == MAIL_IMAP_CODE_MODIFIED
      && tagged->code.uids.raw != NULL)
    *modified = g_strdup (tagged->code.uids.raw);

  return TRUE;
}

static void
take_copy_result (const MailImapResponseCode *code,
                  MailImapCopyResult         *result)
{
  if (result == NULL)
    return;

  mail_imap_copy_result_clear (result);
  if (code->kind != MAIL_IMAP_CODE_COPYUID && code->kind != MAIL_IMAP_CODE_APPENDUID)
    return;

  result->uidvalidity = (guint32) code->number;
  result->source_uids = g_strdup (code->source_uids.raw);
  result->dest_uids = g_strdup (code->uids.raw);
}

/**
 * mail_imap_client_uid_copy_sync:
 * @self: a #MailImapClient with a mailbox selected
 * @uids: a UID set
 * @mailbox: the destination
 * @result: (out caller-allocates) (optional): the COPYUID data, when UIDPLUS sent it
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_uid_copy_sync (MailImapClient      *self,
                                const char          *uids,
                                const char          *mailbox,
                                MailImapCopyResult  *result,
                                GCancellable        *cancellable,
                                GError             **error)
{
  g_autoptr (MailImapCommand) command = NULL;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  if (result != NULL)
    memset (result, 0, sizeof *result);

  if (!check_uid_set (uids, error))
    return FALSE;

  command = mail_imap_client_new_command (self, "UID COPY");
  mail_imap_command_add_atom (command, uids);
  if (!mail_imap_command_add_mailbox (command, mailbox, error))
    return FALSE;
  if (!mail_imap_client_run_sync (self, command, cancellable, error))
    return FALSE;

  take_copy_result (&mail_imap_command_get_tagged (command)->code, result);

  return TRUE;
}

/**
 * mail_imap_client_uid_expunge_sync:
 * @self: a #MailImapClient with a mailbox selected
 * @uids: the UIDs to remove, if marked \Deleted
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * UID EXPUNGE (UIDPLUS). Without UIDPLUS this fails with %MAIL_IMAP_ERROR_UNSUPPORTED: a
 * plain EXPUNGE would also remove messages others marked \Deleted.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_uid_expunge_sync (MailImapClient  *self,
                                   const char      *uids,
                                   GCancellable    *cancellable,
                                   GError         **error)
{
  g_autoptr (MailImapCommand) command = NULL;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  if (!check_uid_set (uids, error))
    return FALSE;

  if (!mail_imap_client_has_capability (self, "UIDPLUS"))
    {
      g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSUPPORTED,
                           _("The server cannot remove single messages safely (it lacks "
                             "UIDPLUS)."));
      return FALSE;
    }

  command = mail_imap_client_new_command (self, "UID EXPUNGE");
  mail_imap_command_add_atom (command, uids);

  return mail_imap_client_run_sync (self, command, cancellable, error);
}

/**
 * mail_imap_client_uid_move_sync:
 * @self: a #MailImapClient with a mailbox selected
 * @uids: a UID set
 * @mailbox: the destination
 * @result: (out caller-allocates) (optional): the COPYUID data, when UIDPLUS sent it
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * UID MOVE, or without MOVE: UID COPY, UID STORE +FLAGS.SILENT (\Deleted) and UID
 * EXPUNGE. Without MOVE and without UIDPLUS nothing is done and this fails with
 * %MAIL_IMAP_ERROR_UNSUPPORTED.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_uid_move_sync (MailImapClient      *self,
                                const char          *uids,
                                const char          *mailbox,
                                MailImapCopyResult  *result,
                                GCancellable        *cancellable,
                                GError             **error)
{
  static const char * const deleted[] = { "\\Deleted", NULL };
  g_autoptr (MailImapCommand) command = NULL;
  GPtrArray *responses;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);

  if (result != NULL)
    memset (result, 0, sizeof *result);

  if (!check_uid_set (uids, error))
    return FALSE;

  if (!mail_imap_client_has_capability (self, "MOVE")
      || (_mail_imap_client_get_options (self) & MAIL_IMAP_CLIENT_OPTION_IGNORE_MOVE) != 0)
    {
      if (!mail_imap_client_has_capability (self, "UIDPLUS"))
        {
          g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSUPPORTED,
                               _("The server can neither move messages nor remove single "
                                 "messages safely, so they were not moved."));
          return FALSE;
        }

      return mail_imap_client_uid_copy_sync (self, uids, mailbox, result, cancellable, error)
             && mail_imap_client_uid_store_sync (self, uids, MAIL_IMAP_STORE_ADD, deleted, 0,
                                                 NULL, cancellable, error)
             && mail_imap_client_uid_expunge_sync (self, uids, cancellable, error);
    }

  command = mail_imap_client_new_command (self, "UID MOVE");
  mail_imap_command_add_atom (command, uids);
  if (!mail_imap_command_add_mailbox (command, mailbox, error))
    return FALSE;
  mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_STATUS);
  if (!mail_imap_client_run_sync (self, command, cancellable, error))
    return FALSE;

  responses = mail_imap_command_get_responses (command);
  for (guint i = 0; i < responses->len; i++)
    {
      const MailImapResponse *r = g_ptr_array_index (responses, i);

      if (r->code.kind == MAIL_IMAP_CODE_COPYUID)
        take_copy_result (&r->code, result);
    }
  if (result != NULL && result->dest_uids == NULL)
    take_copy_result (&mail_imap_command_get_tagged (command)->code, result);

  return TRUE;
}

static char *
format_internal_date (GDateTime *date)
{
  static const char * const months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  };
  gint64 offset = g_date_time_get_utc_offset (date) / G_TIME_SPAN_MINUTE;
  char sign = offset < 0 ? '-' : '+';

  if (offset < 0)
    offset = -offset;

  return g_strdup_printf ("\"%02d-%s-%04d %02d:%02d:%02d %c%02d%02d\"",
                          g_date_time_get_day_of_month (date),
                          months[g_date_time_get_month (date) - 1],
                          g_date_time_get_year (date), g_date_time_get_hour (date),
                          g_date_time_get_minute (date), g_date_time_get_second (date), sign,
                          (int) (offset / 60), (int) (offset % 60));
}

/**
 * mail_imap_client_append_sync:
 * @self: a #MailImapClient
 * @mailbox: the destination
 * @flags: (array zero-terminated=1) (nullable): flags for the new message
 * @date: (nullable): its internal date
 * @message: the message, with CRLF line ends
 * @result: (out caller-allocates) (optional): the APPENDUID data (uidvalidity and the new
 *   UID in @dest_uids), when UIDPLUS sent it
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
mail_imap_client_append_sync (MailImapClient      *self,
                              const char          *mailbox,
                              const char * const  *flags,
                              GDateTime           *date,
                              GBytes              *message,
                              MailImapCopyResult  *result,
                              GCancellable        *cancellable,
                              GError             **error)
{
  g_autoptr (MailImapCommand) command = NULL;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  if (result != NULL)
    memset (result, 0, sizeof *result);

  command = mail_imap_client_new_command (self, "APPEND");
  if (!mail_imap_command_add_mailbox (command, mailbox, error))
    return FALSE;
  if (flags != NULL)
    {
      g_autoptr (GString) list = g_string_new (NULL);

      if (!append_flag_list (list, flags, error))
        return FALSE;
      mail_imap_command_add_atom (command, list->str);
    }
  if (date != NULL)
    {
      g_autofree char *text = format_internal_date (date);

      mail_imap_command_add_atom (command, text);
    }
  mail_imap_command_add_literal (command, message);

  if (!mail_imap_client_run_sync (self, command, cancellable, error))
    return FALSE;

  take_copy_result (&mail_imap_command_get_tagged (command)->code, result);

  return TRUE;
}

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;

  return TRUE;
}

/* Runs a UID SEARCH into @result. With ESEARCH (RFC 4731) the server is asked for
 * RETURN (MIN MAX COUNT ALL), whose answer is a UID set however many messages match;
 * without it, the plain SEARCH answer lists every UID on one line. */
static gboolean
uid_search_sync (MailImapClient        *self,
                 const char            *criteria,
                 const char            *text,
                 MailImapSearchResult  *result,
                 GCancellable          *cancellable,
                 GError               **error)
{
  g_autoptr (MailImapCommand) command = NULL;
  GPtrArray *responses;

  if (strpbrk (criteria, "\r\n") != NULL || !is_ascii (criteria))
    {
      g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSENDABLE,
                           _("The search cannot be sent to the server."));
      return FALSE;
    }

  command = mail_imap_client_new_command (self, "UID SEARCH");
  if (mail_imap_client_has_capability (self, "ESEARCH"))
    {
      mail_imap_command_add_atom (command, "RETURN (MIN MAX COUNT ALL)");
      /* Only the ESEARCH that names this command's tag is collected (see dispatch()). */
      mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_ESEARCH);
    }
  if (text != NULL && !is_ascii (text))
    mail_imap_command_add_atom (command, "CHARSET UTF-8");
  mail_imap_command_add_atom (command, criteria);
  if (text != NULL && !mail_imap_command_add_string (command, text, error))
    return FALSE;
  /* A server may answer with a plain SEARCH all the same. */
  mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_SEARCH);

  if (!mail_imap_client_run_sync (self, command, cancellable, error))
    return FALSE;

  responses = mail_imap_command_get_responses (command);
  for (guint i = 0; i < responses->len; i++)
    {
      if (!mail_imap_search_result_add_response (result, g_ptr_array_index (responses, i),
                                                 error))
        return FALSE;
    }

  return TRUE;
}

/**
 * mail_imap_client_uid_search_sync:
 * @self: a #MailImapClient with a mailbox selected
 * @criteria: search keys as protocol text, such as "UNSEEN" or "SUBJECT"; never text from
 *   a user
 * @text: (nullable): a string appended after @criteria, such as the subject to look for;
 *   non-ASCII text is sent with CHARSET UTF-8 (as a literal unless UTF8=ACCEPT)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Searches, with ESEARCH when the server offers it (see
 * mail_imap_client_uid_search_ranges_sync()), and lists the UIDs found one by one; a
 * result of more than %MAIL_IMAP_SEARCH_MAX_UIDS fails with
 * %MAIL_IMAP_ERROR_LIMIT_EXCEEDED.
 *
 * Returns: (transfer full) (element-type guint32): the UIDs found, in ascending order
 */
GArray *
mail_imap_client_uid_search_sync (MailImapClient  *self,
                                  const char      *criteria,
                                  const char      *text,
                                  GCancellable    *cancellable,
                                  GError         **error)
{
  MailImapSearchResult result;
  GArray *uids = NULL;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), NULL);
  g_return_val_if_fail (criteria != NULL, NULL);

  mail_imap_search_result_init (&result);
  if (uid_search_sync (self, criteria, text, &result, cancellable, error))
    uids = mail_imap_search_result_to_array (&result, MAIL_IMAP_SEARCH_MAX_UIDS, error);
  mail_imap_search_result_clear (&result);

  return uids;
}

/**
 * mail_imap_client_uid_search_ranges_sync:
 * @self: a #MailImapClient with a mailbox selected
 * @criteria: search keys as protocol text, as for mail_imap_client_uid_search_sync()
 * @text: (nullable): a string appended after @criteria, as for
 *   mail_imap_client_uid_search_sync()
 * @result: (out caller-allocates): where to store the result; free it with
 *   mail_imap_search_result_clear()
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Searches and returns the UIDs found as ranges, however many there are: a mailbox of
 * millions of messages costs a few ranges, not an array of millions. When the server
 * offers ESEARCH (RFC 4731), asks for `RETURN (MIN MAX COUNT ALL)`, so that the answer on
 * the wire is compact too.
 *
 * Returns: %TRUE on success; @result is initialized either way
 */
gboolean
mail_imap_client_uid_search_ranges_sync (MailImapClient        *self,
                                         const char            *criteria,
                                         const char            *text,
                                         MailImapSearchResult  *result,
                                         GCancellable          *cancellable,
                                         GError               **error)
{
  g_return_val_if_fail (result != NULL, FALSE);

  mail_imap_search_result_init (result);

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), FALSE);
  g_return_val_if_fail (criteria != NULL, FALSE);

  return uid_search_sync (self, criteria, text, result, cancellable, error);
}

/**
 * mail_imap_client_getquotaroot_sync:
 * @self: a #MailImapClient
 * @mailbox: a mailbox name
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type MailImapResponse): the QUOTAROOT and QUOTA
 *   responses
 */
GPtrArray *
mail_imap_client_getquotaroot_sync (MailImapClient  *self,
                                    const char      *mailbox,
                                    GCancellable    *cancellable,
                                    GError         **error)
{
  g_autoptr (MailImapCommand) command = NULL;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), NULL);

  command = mail_imap_client_new_command (self, "GETQUOTAROOT");
  if (!mail_imap_command_add_mailbox (command, mailbox, error))
    return NULL;
  mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_QUOTAROOT);
  mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_QUOTA);
  if (!mail_imap_client_run_sync (self, command, cancellable, error))
    return NULL;

  return steal_responses (command);
}

/**
 * mail_imap_client_getquota_sync:
 * @self: a #MailImapClient
 * @root: a quota root, as named by GETQUOTAROOT
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the QUOTA response
 */
MailImapResponse *
mail_imap_client_getquota_sync (MailImapClient  *self,
                                const char      *root,
                                GCancellable    *cancellable,
                                GError         **error)
{
  g_autoptr (MailImapCommand) command = NULL;
  MailImapResponse *response;

  g_return_val_if_fail (MAIL_IS_IMAP_CLIENT (self), NULL);
  g_return_val_if_fail (root != NULL, NULL);

  command = mail_imap_client_new_command (self, "GETQUOTA");
  if (!mail_imap_command_add_string (command, root, error))
    return NULL;
  mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_QUOTA);
  if (!mail_imap_client_run_sync (self, command, cancellable, error))
    return NULL;

  response = first_response (command);
  if (response == NULL)
    g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL,
                         _("The server sent no quota."));

  return response;
}
