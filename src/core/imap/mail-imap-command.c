/* mail-imap-command.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Building one IMAP command: atoms, strings and mailbox names encoded the way the server
 * allows, literals (non-synchronizing when LITERAL+ or LITERAL- allow it, otherwise
 * synchronizing, which splits the command into pieces sent one continuation at a time),
 * and secrets that the protocol log never shows. The client gives the command its tag when
 * it is submitted, and fills in the results as responses arrive. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-imap-client-private.h"
#include "mail-imap-error.h"
#include "mail-imap-response-private.h"
#include "mail-imap-utf7.h"
#include "mail-secret-buffer.h"

G_DEFINE_BOXED_TYPE (MailImapCommand, mail_imap_command, mail_imap_command_ref,
                     mail_imap_command_unref)

static MailImapSegment *
current_segment (MailImapCommand *self)
{
  return &g_array_index (self->segments, MailImapSegment, self->segments->len - 1);
}

static MailImapSegment *
new_segment (MailImapCommand *self)
{
  MailImapSegment segment = { g_byte_array_new (), FALSE, FALSE, FALSE, 0 };

  g_array_append_val (self->segments, segment);

  return current_segment (self);
}

static void
append (MailImapCommand *self,
        const void      *data,
        gsize            len)
{
  g_byte_array_append (current_segment (self)->data, data, len);
}

/* Separates the token about to be added from the one before. */
static void
append_space (MailImapCommand *self)
{
  if (self->need_space)
    append (self, " ", 1);
  self->need_space = TRUE;
}

/* What may still follow a secret in its segment (the rest of a command line) without the
 * segment's buffer moving. */
#define SECRET_SLACK 256

/* Makes room for @extra more bytes in @array at once, so that appending them does not move
 * it. */
static void
reserve (GByteArray *array,
         gsize       extra)
{
  guint len = array->len;

  g_byte_array_set_size (array, len + extra);
  g_byte_array_set_size (array, len);
}

static void
segment_clear (gpointer data)
{
  MailImapSegment *segment = data;

  if (segment->secret)
    mail_secret_wipe (segment->data->data, segment->data->len);
  g_byte_array_unref (segment->data);
}

/**
 * mail_imap_command_new:
 * @verb: the command name with its fixed words, such as "UID FETCH"
 * @flags: what the server allows for strings (LITERAL+, LITERAL-, UTF-8)
 *
 * Returns: (transfer full): a new command
 */
MailImapCommand *
mail_imap_command_new (const char         *verb,
                       MailImapQuoteFlags  flags)
{
  MailImapCommand *self;

  g_return_val_if_fail (verb != NULL, NULL);

  self = g_new0 (MailImapCommand, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->verb = g_strdup (verb);
  self->flags = flags;
  self->segments = g_array_new (FALSE, FALSE, sizeof (MailImapSegment));
  g_array_set_clear_func (self->segments, segment_clear);
  self->responses = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_imap_response_unref);
  new_segment (self);
  append (self, verb, strlen (verb));
  self->need_space = TRUE;

  return self;
}

/**
 * mail_imap_command_ref:
 * @self: a #MailImapCommand
 *
 * Returns: (transfer full): @self
 */
MailImapCommand *
mail_imap_command_ref (MailImapCommand *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

/**
 * mail_imap_command_unref:
 * @self: (transfer full): a #MailImapCommand
 */
void
mail_imap_command_unref (MailImapCommand *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->verb);
  g_free (self->tag);
  g_array_unref (self->segments);
  g_ptr_array_unref (self->responses);
  g_clear_pointer (&self->tagged, mail_imap_response_unref);
  g_clear_error (&self->error);
  g_clear_error (&self->sink_error);
  g_free (self);
}

/**
 * mail_imap_command_add_atom:
 * @self: a #MailImapCommand
 * @text: protocol text sent as is after a space, such as "1:*" or "(FLAGS UID)"; never
 *   data from a user or a server
 */
void
mail_imap_command_add_atom (MailImapCommand *self,
                            const char      *text)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (text != NULL);
  g_return_if_fail (strpbrk (text, "\r\n") == NULL);

  append_space (self);
  append (self, text, strlen (text));
}

/**
 * mail_imap_command_add_printf:
 * @self: a #MailImapCommand
 * @format: a printf() format for protocol text, as for mail_imap_command_add_atom()
 * @...: the arguments
 */
void
mail_imap_command_add_printf (MailImapCommand *self,
                              const char      *format,
                              ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  mail_imap_command_add_atom (self, text);
}

typedef enum
{
  LITERAL_TEXT,
  LITERAL_BODY,
  LITERAL_SECRET,
} LiteralKind;

static void
add_literal_data (MailImapCommand *self,
                  const guint8    *data,
                  gsize            len,
                  LiteralKind      kind)
{
  MailImapSegment *segment;
  gboolean non_sync;
  g_autofree char *head = NULL;

  /* A password never goes out unless the server asked for it. */
  non_sync = kind != LITERAL_SECRET
             && ((self->flags & MAIL_IMAP_QUOTE_LITERAL_PLUS) != 0
                 || ((self->flags & MAIL_IMAP_QUOTE_LITERAL_MINUS) != 0 && len <= 4096));

  append_space (self);
  head = g_strdup_printf ("{%" G_GSIZE_FORMAT "%s}\r\n", len, non_sync ? "+" : "");
  append (self, head, strlen (head));

  if (!non_sync)
    current_segment (self)->wait_continuation = TRUE;

  if (kind == LITERAL_TEXT)
    {
      if (!non_sync)
        new_segment (self);
      append (self, data, len);
      return;
    }

  /* Message data and secrets get a piece of their own, for the log. */
  segment = new_segment (self);
  segment->secret = kind == LITERAL_SECRET;
  segment->body = kind == LITERAL_BODY;
  segment->public_len = 0;
  append (self, data, len);
  new_segment (self);
}

/**
 * mail_imap_command_add_literal:
 * @self: a #MailImapCommand
 * @data: the literal's bytes, such as a message for APPEND
 *
 * Adds a literal, non-synchronizing when the server allows it.
 */
void
mail_imap_command_add_literal (MailImapCommand *self,
                               GBytes          *data)
{
  gsize len;
  const guint8 *bytes;

  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL);

  bytes = g_bytes_get_data (data, &len);
  add_literal_data (self, bytes != NULL ? bytes : (const guint8 *) "", len, LITERAL_BODY);
}

/**
 * mail_imap_command_add_string:
 * @self: a #MailImapCommand
 * @str: a string (UTF-8 or ASCII)
 * @error: return location for a #GError
 *
 * Adds @str as an atom, a quoted string or a literal, whichever it needs.
 *
 * Returns: %TRUE unless @str cannot be sent at all (it contains NUL, or 8-bit data where
 *   the server does not accept it)
 */
gboolean
mail_imap_command_add_string (MailImapCommand  *self,
                              const char       *str,
                              GError          **error)
{
  g_autoptr (GString) text = g_string_new (NULL);
  gsize len;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (str != NULL, FALSE);

  len = strlen (str);
  switch (mail_imap_astring_form (str, len, self->flags | MAIL_IMAP_QUOTE_NO_ATOM))
    {
    case MAIL_IMAP_ASTRING_ATOM:
    case MAIL_IMAP_ASTRING_QUOTED:
      if (!mail_imap_append_astring (text, str, len, self->flags | MAIL_IMAP_QUOTE_NO_ATOM,
                                     error))
        return FALSE;
      append_space (self);
      append (self, text->str, text->len);
      return TRUE;

    case MAIL_IMAP_ASTRING_LITERAL:
      add_literal_data (self, (const guint8 *) str, len, LITERAL_TEXT);
      return TRUE;

    case MAIL_IMAP_ASTRING_UNSENDABLE:
    default:
      g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSENDABLE,
                           _("A text contains characters that cannot be sent to the server."));
      return FALSE;
    }
}

/**
 * mail_imap_command_add_mailbox:
 * @self: a #MailImapCommand
 * @name: a mailbox name in UTF-8
 * @error: return location for a #GError
 *
 * Adds a mailbox name, in modified UTF-7 or, with UTF8=ACCEPT, in UTF-8.
 *
 * Returns: %TRUE when the name was added
 */
gboolean
mail_imap_command_add_mailbox (MailImapCommand  *self,
                               const char       *name,
                               GError          **error)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autofree char *encoded = NULL;
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (mail_imap_append_mailbox (text, name, self->flags, &local_error))
    {
      append_space (self);
      append (self, text->str, text->len);
      return TRUE;
    }

  if (!g_error_matches (local_error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSENDABLE))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* It needs a synchronizing literal. */
  if ((self->flags & MAIL_IMAP_QUOTE_UTF8) != 0 || g_ascii_strcasecmp (name, "INBOX") == 0)
    encoded = g_strdup (name);
  else
    encoded = mail_imap_utf7_encode (name, -1, error);
  if (encoded == NULL)
    return FALSE;

  add_literal_data (self, (const guint8 *) encoded, strlen (encoded), LITERAL_TEXT);

  return TRUE;
}

/**
 * mail_imap_command_add_secret:
 * @self: a #MailImapCommand
 * @secret: a password, as an IMAP string
 *
 * Adds a secret string. The command is then written with
 * mail_connection_write_secret_sync(): the log shows the command only up to the secret,
 * and nothing is sent over a connection that is not encrypted unless plaintext was
 * explicitly allowed.
 */
void
mail_imap_command_add_secret (MailImapCommand *self,
                              const char      *secret)
{
  g_autoptr (GString) text = NULL;
  MailImapSegment *segment;
  gsize len;

  g_return_if_fail (self != NULL);
  g_return_if_fail (secret != NULL);

  len = strlen (secret);
  /* Room for every character escaped and the quotes: the string never grows, so no
   * reallocation leaves a copy of the secret behind. */
  text = g_string_sized_new (2 * len + 3);

  switch (mail_imap_astring_form (secret, len, MAIL_IMAP_QUOTE_UTF8 | MAIL_IMAP_QUOTE_NO_ATOM))
    {
    case MAIL_IMAP_ASTRING_ATOM:
    case MAIL_IMAP_ASTRING_QUOTED:
      if (mail_imap_append_astring (text, secret, len,
                                    MAIL_IMAP_QUOTE_UTF8 | MAIL_IMAP_QUOTE_NO_ATOM, NULL))
        {
          append_space (self);
          segment = current_segment (self);
          if (!segment->secret)
            {
              segment->secret = TRUE;
              segment->public_len = segment->data->len;
            }
          reserve (segment->data, text->len + SECRET_SLACK);
          append (self, text->str, text->len);
          mail_secret_wipe (text->str, text->allocated_len);
          return;
        }
      G_GNUC_FALLTHROUGH;

    case MAIL_IMAP_ASTRING_LITERAL:
    case MAIL_IMAP_ASTRING_UNSENDABLE:
    default:
      add_literal_data (self, (const guint8 *) secret, len, LITERAL_SECRET);
      return;
    }
}

/**
 * mail_imap_command_collect:
 * @self: a #MailImapCommand
 * @kind: a kind of untagged response
 *
 * Keeps the untagged responses of @kind that arrive while the command runs; read them
 * with mail_imap_command_get_responses() once it is done. What a command keeps is held to
 * the client's budget (#MailImapClientLimits); for results that may be large, stream them
 * with mail_imap_command_set_response_func() instead.
 */
void
mail_imap_command_collect (MailImapCommand      *self,
                           MailImapResponseKind  kind)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (kind < 32);

  self->collect_kinds |= 1u << kind;
}

/**
 * mail_imap_command_set_response_func:
 * @self: a #MailImapCommand
 * @kind: a kind of untagged response
 * @func: (scope notified): called for each response of @kind while the command runs
 * @user_data: data for @func
 *
 * Streams the untagged responses of @kind to @func instead of keeping them (one function
 * per command; calling this again adds @kind to it).
 */
void
mail_imap_command_set_response_func (MailImapCommand      *self,
                                     MailImapResponseKind  kind,
                                     MailImapResponseFunc  func,
                                     gpointer              user_data)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (kind < 32);

  self->func_kinds |= 1u << kind;
  self->func = func;
  self->func_data = user_data;
}

/**
 * mail_imap_command_set_body_sink:
 * @self: a #MailImapCommand, not yet submitted
 * @sink: the sink's functions, copied
 * @user_data: data for @sink
 *
 * Streams the content of the message sections in the FETCH responses this command receives
 * (BODY[...], BODY.PEEK[...], BINARY[...], RFC822...) to @sink as it is read, in pieces
 * of the connection's buffer size, instead of keeping it: a message of any size costs no
 * more memory than a small one. The command must take its FETCH responses
 * (mail_imap_command_collect() or mail_imap_command_set_response_func()); in them the
 * sections are marked streamed (#MailImapFetchSection). Such content is held to the client's
 * max_streamed_literal rather than the parser's in-memory limit. Like a command that
 * streams its responses, this command has no deadline but the progress rule
 * (#MailImapClientLimits).
 *
 * A failure of the sink (a full disk: %G_IO_ERROR_NO_SPACE) fails the command with that
 * error once the server has finished answering it: the rest of the content is read and
 * dropped, so the connection stays usable, and no later body of the command is opened.
 */
void
mail_imap_command_set_body_sink (MailImapCommand        *self,
                                 const MailImapBodySink *sink,
                                 gpointer                user_data)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->submitted);
  g_return_if_fail (sink != NULL && sink->open != NULL && sink->commit != NULL
                    && sink->abort != NULL);

  self->has_sink = TRUE;
  self->sink = *sink;
  self->sink_data = user_data;
}

/**
 * mail_imap_command_set_deadline:
 * @self: a #MailImapCommand, not yet submitted
 * @seconds: how long the server may take to answer, 0 for no deadline
 *
 * Overrides the client's deadline for this command (see #MailImapClientLimits): the time
 * from when the command was sent, or from when the one before it finished, to its tagged
 * response. Past it the command fails with %G_IO_ERROR_TIMED_OUT and the connection is
 * closed. A command without a deadline is held to the progress rule instead. By default a
 * command that streams its responses to a function has no deadline; any other has the
 * client's.
 */
void
mail_imap_command_set_deadline (MailImapCommand *self,
                                guint            seconds)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->submitted);

  self->deadline_set = TRUE;
  self->deadline = seconds;
}

/**
 * mail_imap_command_get_verb:
 * @self: a #MailImapCommand
 *
 * Returns: the command name, such as "UID FETCH"
 */
const char *
mail_imap_command_get_verb (MailImapCommand *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->verb;
}

/**
 * mail_imap_command_get_tag:
 * @self: a #MailImapCommand
 *
 * Returns: (nullable): the tag, once the command was submitted
 */
const char *
mail_imap_command_get_tag (MailImapCommand *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->tag;
}

/**
 * mail_imap_command_is_done:
 * @self: a #MailImapCommand
 *
 * Returns: whether the command completed (tagged response) or failed
 */
gboolean
mail_imap_command_is_done (MailImapCommand *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->done;
}

/**
 * mail_imap_command_get_tagged:
 * @self: a #MailImapCommand
 *
 * Returns: (nullable) (transfer none): the tagged response, once it arrived
 */
const MailImapResponse *
mail_imap_command_get_tagged (MailImapCommand *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->tagged;
}

/**
 * mail_imap_command_get_responses:
 * @self: a #MailImapCommand
 *
 * Returns: (transfer none) (element-type MailImapResponse): the collected responses
 */
GPtrArray *
mail_imap_command_get_responses (MailImapCommand *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->responses;
}

/**
 * mail_imap_command_check:
 * @self: a #MailImapCommand that is done
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the command ended with OK; otherwise %FALSE with the connection's
 *   error, its body sink's error, or the server's refusal (%MAIL_IMAP_ERROR_NO,
 *   %MAIL_IMAP_ERROR_BAD, ...; the message is the server's text, after its response code
 *   in brackets, or a generic sentence when the refusal came over a connection that was
 *   not encrypted)
 */
gboolean
mail_imap_command_check (MailImapCommand  *self,
                         GError          **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }

  /* The server may have answered OK, but what it sent could not all be stored. */
  if (self->done && self->sink_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->sink_error));
      return FALSE;
    }

  if (self->tagged == NULL)
    {
      g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL,
                           _("The command has not completed."));
      return FALSE;
    }

  if (!_mail_imap_response_check_text (self->tagged, !self->untrusted_text, error))
    {
      /* Keep the response code the server gave, as it gave it, unless nothing it said
       * can be trusted. */
      if (error != NULL && *error != NULL && !self->untrusted_text
          && self->tagged->code.kind != MAIL_IMAP_CODE_NONE)
        {
          const char *name = self->tagged->code.name;

          if (name == NULL)
            name = mail_imap_code_kind_to_string (self->tagged->code.kind);
          if (name != NULL)
            g_prefix_error (error, "[%s] ", name);
        }
      return FALSE;
    }

  return TRUE;
}

gboolean
_mail_imap_command_wants (MailImapCommand      *self,
                          MailImapResponseKind  kind)
{
  return kind < 32 && ((self->collect_kinds | self->func_kinds) & (1u << kind)) != 0;
}

/* Hands @response to the command's function, or keeps it. What a command keeps is held to
 * a budget (@max_responses, and @max_size bytes of memory): past it, %FALSE with
 * %MAIL_IMAP_ERROR_LIMIT_EXCEEDED, and the client must close the connection, as the server
 * is not going to stop. */
gboolean
_mail_imap_command_deliver (MailImapCommand         *self,
                            const MailImapResponse  *response,
                            guint                    max_responses,
                            guint64                  max_size,
                            GError                 **error)
{
  guint32 bit = 1u << response->kind;
  gsize size;

  if ((self->func_kinds & bit) != 0 && self->func != NULL)
    {
      self->func (self, response, self->func_data);
      return TRUE;
    }

  if ((self->collect_kinds & bit) == 0)
    return TRUE;

  size = _mail_imap_response_get_memory_size (response);
  if (self->n_kept >= max_responses)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT_EXCEEDED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The server sent more than %u response in reply to one "
                                "command; the connection was closed.",
                                "The server sent more than %u responses in reply to one "
                                "command; the connection was closed.",
                                max_responses),
                   max_responses);
      return FALSE;
    }
  if (size > max_size || self->kept_size > max_size - size)
    {
      g_autofree char *limit = g_format_size_full (max_size, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT_EXCEEDED,
                   _("The server sent more than %s in reply to one command; the connection "
                     "was closed."),
                   limit);
      return FALSE;
    }

  self->n_kept++;
  self->kept_size += size;
  g_ptr_array_add (self->responses, mail_imap_response_ref ((MailImapResponse *) response));

  return TRUE;
}

void
_mail_imap_command_finish (MailImapCommand  *self,
                           MailImapResponse *tagged,
                           const GError     *error)
{
  if (self->done)
    return;

  self->done = TRUE;
  if (tagged != NULL)
    self->tagged = mail_imap_response_ref (tagged);
  if (error != NULL)
    self->error = g_error_copy (error);

  /* Whatever was not sent never will be; do not keep a secret around. */
  if (self->segments->len > 0)
    g_array_set_size (self->segments, 0);
}
