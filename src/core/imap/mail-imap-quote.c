/* mail-imap-quote.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Strings going into commands. The rule that matters: CR, LF and NUL never reach the wire
 * inside a command line. A string holding CR or LF goes as a literal, whose length prefix
 * makes the bytes data rather than protocol, or not at all; a string holding NUL is
 * refused, since no IMAP string may carry one (CVE-2018-14352/14353 were quoting bugs of
 * this kind). */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-imap-error.h"
#include "mail-imap-quote.h"
#include "mail-imap-utf7.h"

#define LITERAL_MINUS_MAX 4096

/* ASTRING-CHAR of RFC 3501, strictly: printable 7-bit except atom-specials, "]" allowed. */
static inline gboolean
is_astring_char (guchar c)
{
  return c > 0x20 && c < 0x7f && strchr ("(){%*\"\\", c) == NULL;
}

/**
 * mail_imap_astring_form:
 * @str: (array length=len): a string
 * @len: its length in bytes
 * @flags: what the server allows
 *
 * Decides how @str must be written as an astring.
 *
 * Returns: the form @str needs
 */
MailImapAstringForm
mail_imap_astring_form (const char         *str,
                        gsize               len,
                        MailImapQuoteFlags  flags)
{
  gboolean atom = len > 0 && (flags & MAIL_IMAP_QUOTE_NO_ATOM) == 0;
  gboolean eight_bit = FALSE;
  gboolean line_break = FALSE;

  g_return_val_if_fail (str != NULL || len == 0, MAIL_IMAP_ASTRING_UNSENDABLE);

  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) str[i];

      if (c == '\0')
        return MAIL_IMAP_ASTRING_UNSENDABLE;
      if (c == '\r' || c == '\n')
        line_break = TRUE;
      else if (c >= 0x80)
        eight_bit = TRUE;
      if (atom && !is_astring_char (c))
        atom = FALSE;
    }

  if (atom)
    return MAIL_IMAP_ASTRING_ATOM;

  if (line_break || len > MAIL_IMAP_QUOTED_MAX)
    return MAIL_IMAP_ASTRING_LITERAL;

  if (eight_bit
      && ((flags & MAIL_IMAP_QUOTE_UTF8) == 0 || !g_utf8_validate_len (str, len, NULL)))
    return MAIL_IMAP_ASTRING_LITERAL;

  return MAIL_IMAP_ASTRING_QUOTED;
}

/**
 * mail_imap_append_astring:
 * @command: the command being built
 * @str: (array length=len): the string to append
 * @len: its length in bytes, or -1 if it is NUL-terminated
 * @flags: what the server allows
 * @error: return location for a #GError
 *
 * Appends @str to @command as an atom, a quoted string or, when the server allows
 * non-synchronizing literals, a literal. When @str needs a synchronizing literal (which
 * means waiting for the server's continuation request, a matter for the command layer) or
 * cannot be sent at all, nothing is appended and %MAIL_IMAP_ERROR_UNSENDABLE is set.
 *
 * Returns: %TRUE when @str was appended
 */
gboolean
mail_imap_append_astring (GString             *command,
                          const char          *str,
                          gssize               len,
                          MailImapQuoteFlags   flags,
                          GError             **error)
{
  gsize n;

  g_return_val_if_fail (command != NULL, FALSE);
  g_return_val_if_fail (str != NULL || len == 0, FALSE);

  n = len < 0 ? strlen (str) : (gsize) len;

  switch (mail_imap_astring_form (str, n, flags))
    {
    case MAIL_IMAP_ASTRING_ATOM:
      g_string_append_len (command, str, (gssize) n);
      return TRUE;

    case MAIL_IMAP_ASTRING_QUOTED:
      g_string_append_c (command, '"');
      for (gsize i = 0; i < n; i++)
        {
          if (str[i] == '"' || str[i] == '\\')
            g_string_append_c (command, '\\');
          g_string_append_c (command, str[i]);
        }
      g_string_append_c (command, '"');
      return TRUE;

    case MAIL_IMAP_ASTRING_LITERAL:
      if ((flags & MAIL_IMAP_QUOTE_LITERAL_PLUS) != 0
          || ((flags & MAIL_IMAP_QUOTE_LITERAL_MINUS) != 0 && n <= LITERAL_MINUS_MAX))
        {
          g_string_append_printf (command, "{%" G_GSIZE_FORMAT "+}\r\n", n);
          g_string_append_len (command, str, (gssize) n);
          return TRUE;
        }
      g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSENDABLE,
                           _("The text can only be sent to this server as a synchronizing "
                             "literal"));
      return FALSE;

    case MAIL_IMAP_ASTRING_UNSENDABLE:
    default:
      g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSENDABLE,
                           _("The text contains a NUL character and cannot be sent"));
      return FALSE;
    }
}

/**
 * mail_imap_append_mailbox:
 * @command: the command being built
 * @name: a mailbox name in UTF-8
 * @flags: what the server allows; with %MAIL_IMAP_QUOTE_UTF8 the name is sent as UTF-8,
 *   otherwise in modified UTF-7
 * @error: return location for a #GError
 *
 * Appends a mailbox name to @command, encoded as the server expects. "INBOX" is
 * case-insensitive and always sent as "INBOX".
 *
 * Returns: %TRUE when the name was appended
 */
gboolean
mail_imap_append_mailbox (GString             *command,
                          const char          *name,
                          MailImapQuoteFlags   flags,
                          GError             **error)
{
  g_autofree char *encoded = NULL;

  g_return_val_if_fail (command != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (g_ascii_strcasecmp (name, "INBOX") == 0)
    return mail_imap_append_astring (command, "INBOX", -1, flags, error);

  if ((flags & MAIL_IMAP_QUOTE_UTF8) != 0)
    {
      if (!g_utf8_validate (name, -1, NULL))
        {
          g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSENDABLE,
                               _("The mailbox name is not valid UTF-8"));
          return FALSE;
        }
      return mail_imap_append_astring (command, name, -1, flags, error);
    }

  encoded = mail_imap_utf7_encode (name, -1, error);
  if (encoded == NULL)
    return FALSE;

  return mail_imap_append_astring (command, encoded, -1, flags, error);
}
