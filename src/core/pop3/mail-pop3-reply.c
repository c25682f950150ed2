/* mail-pop3-reply.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* POP3 reply lines as pure functions over bytes, with no I/O, so that they can be fed
 * anything (tests/unit/test-pop3-reply.c, fuzzing): status lines with RFC 2449 response
 * codes, SASL continuations, the dot-stuffing of multi-line replies, and the STAT, LIST,
 * UIDL and CAPA listings. Every function takes an explicit length, because a hostile
 * line may hold NUL bytes, and every number is checked for overflow.
 *
 * Server text is untrusted: what may end up in front of a person (error messages) is
 * cleaned by mail_pop3_sanitize_text() first.
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-pop3"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-pop3-error.h"
#include "mail-pop3-reply.h"

/* The most of a server's text kept for messages to people. */
#define MAX_TEXT_BYTES 512

/**
 * mail_pop3_sanitize_text:
 * @text: (array length=length): text from the server
 * @length: its length
 *
 * Makes server text fit to show: control characters become "?" (tabs become spaces),
 * invalid UTF-8 is repaired, and anything beyond 512 bytes is cut off with "…".
 *
 * Returns: (transfer full): the cleaned text
 */
char *
mail_pop3_sanitize_text (const char *text,
                         gsize       length)
{
  g_autofree char *copy = NULL;
  gboolean truncated = FALSE;
  char *valid;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length > MAX_TEXT_BYTES)
    {
      length = MAX_TEXT_BYTES;
      truncated = TRUE;
    }

  copy = g_malloc (length + 1);
  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) text[i];

      if (c == '\t')
        copy[i] = ' ';
      else if (c < 0x20 || c == 0x7f)
        copy[i] = '?';
      else
        copy[i] = (char) c;
    }
  copy[length] = '\0';

  valid = g_utf8_make_valid (copy, length);
  if (truncated)
    {
      char *longer = g_strconcat (valid, "…", NULL);

      g_free (valid);
      valid = longer;
    }

  return valid;
}

static void
set_not_pop3 (GError     **error,
              const char  *line,
              gsize        length)
{
  g_autofree char *shown = mail_pop3_sanitize_text (line, MIN (length, 80));

  g_set_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL,
               _("The server sent a reply that is not valid POP3: “%s”."), shown);
}

static gboolean
is_code_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '/';
}

/* Splits "[CODE] text" into code and text; anything that is not a well-formed code is
 * left as text. */
static void
parse_code_and_text (const char    *rest,
                     gsize          length,
                     MailPop3Reply *reply)
{
  if (length > 2 && rest[0] == '[')
    {
      const char *close = memchr (rest, ']', length);
      gsize code_len = close != NULL ? (gsize) (close - rest) - 1 : 0;
      gboolean valid = code_len > 0 && code_len <= 64;

      for (gsize i = 1; valid && i <= code_len; i++)
        valid = is_code_char (rest[i]);

      /* No empty levels: "A//B", "/A" and "A/" are not codes. */
      if (valid)
        valid = rest[1] != '/' && rest[code_len] != '/'
                && g_strstr_len (rest + 1, code_len, "//") == NULL;

      if (valid)
        {
          gsize consumed = code_len + 2;

          reply->code = g_ascii_strup (rest + 1, code_len);
          if (consumed < length && rest[consumed] == ' ')
            consumed++;
          rest += consumed;
          length -= consumed;
        }
    }

  reply->text = mail_pop3_sanitize_text (rest, length);
}

/**
 * mail_pop3_reply_parse:
 * @line: (array length=length): one line from the server, without its line end
 * @length: its length
 * @allow_continuation: whether a SASL continuation ("+ challenge") is expected here
 * @reply: (out caller-allocates): the parsed reply; clear it with mail_pop3_reply_clear()
 * @error: return location for a #GError
 *
 * Parses a POP3 status line: "+OK text", "-ERR [CODE] text" or, in a SASL exchange,
 * "+ base64". The status indicators are accepted in any case; anything else, including
 * a NUL byte, is a %MAIL_POP3_ERROR_PROTOCOL error.
 *
 * Returns: %TRUE when @line is a valid status line
 */
gboolean
mail_pop3_reply_parse (const char     *line,
                       gsize           length,
                       gboolean        allow_continuation,
                       MailPop3Reply  *reply,
                       GError        **error)
{
  g_return_val_if_fail (line != NULL || length == 0, FALSE);
  g_return_val_if_fail (reply != NULL, FALSE);

  memset (reply, 0, sizeof *reply);

  if (length > 0 && memchr (line, '\0', length) != NULL)
    {
      set_not_pop3 (error, line, length);
      return FALSE;
    }

  if (length >= 3 && g_ascii_strncasecmp (line, "+OK", 3) == 0
      && (length == 3 || line[3] == ' '))
    {
      reply->status = MAIL_POP3_REPLY_OK;
      parse_code_and_text (line + MIN (length, 4), length - MIN (length, 4), reply);
      return TRUE;
    }

  if (length >= 4 && g_ascii_strncasecmp (line, "-ERR", 4) == 0
      && (length == 4 || line[4] == ' '))
    {
      reply->status = MAIL_POP3_REPLY_ERR;
      parse_code_and_text (line + MIN (length, 5), length - MIN (length, 5), reply);
      return TRUE;
    }

  if (allow_continuation && length >= 1 && line[0] == '+' && (length == 1 || line[1] == ' '))
    {
      const char *challenge = line + MIN (length, 2);
      gsize challenge_len = length - MIN (length, 2);

      /* A challenge is base64; anything else is not one. */
      for (gsize i = 0; i < challenge_len; i++)
        if (!g_ascii_isalnum (challenge[i]) && strchr ("+/= ", challenge[i]) == NULL)
          {
            set_not_pop3 (error, line, length);
            return FALSE;
          }

      reply->status = MAIL_POP3_REPLY_CONTINUE;
      reply->text = g_strndup (challenge, challenge_len);
      return TRUE;
    }

  set_not_pop3 (error, line, length);
  return FALSE;
}

/**
 * mail_pop3_reply_clear:
 * @reply: a #MailPop3Reply
 *
 * Frees what @reply holds and zeroes it.
 */
void
mail_pop3_reply_clear (MailPop3Reply *reply)
{
  g_return_if_fail (reply != NULL);

  g_clear_pointer (&reply->code, g_free);
  g_clear_pointer (&reply->text, g_free);
  reply->status = MAIL_POP3_REPLY_OK;
}

/**
 * mail_pop3_reply_has_code:
 * @reply: a parsed reply
 * @code: a response code such as "IN-USE" or "SYS"
 *
 * Whether the reply carries @code, or a code under it: "SYS" matches "SYS/TEMP".
 *
 * Returns: %TRUE when it does
 */
gboolean
mail_pop3_reply_has_code (const MailPop3Reply *reply,
                          const char          *code)
{
  gsize len;

  g_return_val_if_fail (reply != NULL, FALSE);
  g_return_val_if_fail (code != NULL, FALSE);

  if (reply->code == NULL)
    return FALSE;

  len = strlen (code);

  return g_ascii_strncasecmp (reply->code, code, len) == 0
         && (reply->code[len] == '\0' || reply->code[len] == '/');
}

/**
 * mail_pop3_multiline_unstuff:
 * @line: (array length=length): one line of a multi-line reply, without its line end
 * @length: its length
 * @data: (out) (transfer none): where the line's content starts
 * @data_length: (out): the content's length
 *
 * Undoes the byte-stuffing of a multi-line reply (RFC 1939 §3): a line that is a single
 * "." ends the reply, and a leading "." of any other line is removed.
 *
 * Returns: %TRUE when @line ends the reply (then @data is empty)
 */
gboolean
mail_pop3_multiline_unstuff (const char  *line,
                             gsize        length,
                             const char **data,
                             gsize       *data_length)
{
  g_return_val_if_fail (line != NULL || length == 0, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (data_length != NULL, FALSE);

  if (length == 1 && line[0] == '.')
    {
      *data = line + 1;
      *data_length = 0;
      return TRUE;
    }

  if (length > 0 && line[0] == '.')
    {
      *data = line + 1;
      *data_length = length - 1;
      return FALSE;
    }

  *data = line;
  *data_length = length;
  return FALSE;
}

/* Reads a decimal number of at most @max at *p, moving *p past it. */
static gboolean
read_number (const char **p,
             const char  *end,
             guint64      max,
             guint64     *value)
{
  const char *start = *p;
  guint64 result = 0;

  while (*p < end && g_ascii_isdigit (**p))
    {
      guint digit = (guint) (**p - '0');

      if (result > (max - digit) / 10)
        return FALSE;
      result = result * 10 + digit;
      (*p)++;
    }

  if (*p == start)
    return FALSE;

  *value = result;
  return TRUE;
}

static gboolean
read_spaces (const char **p,
             const char  *end)
{
  const char *start = *p;

  while (*p < end && **p == ' ')
    (*p)++;

  return *p > start;
}

/**
 * mail_pop3_parse_stat:
 * @text: the text of the +OK reply to STAT
 * @count: (out): the number of messages
 * @size: (out): their total size in octets
 * @error: return location for a #GError
 *
 * Parses a drop listing (RFC 1939 §5): "nn mm", optionally followed by more text.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_pop3_parse_stat (const char  *text,
                      guint       *count,
                      guint64     *size,
                      GError     **error)
{
  const char *p = text;
  const char *end;
  guint64 n = 0;
  guint64 octets = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  end = text + strlen (text);

  if (!read_number (&p, end, G_MAXUINT, &n) || !read_spaces (&p, end)
      || !read_number (&p, end, G_MAXUINT64, &octets) || (p < end && *p != ' '))
    {
      set_not_pop3 (error, text, end - text);
      return FALSE;
    }

  if (count != NULL)
    *count = (guint) n;
  if (size != NULL)
    *size = octets;

  return TRUE;
}

/**
 * mail_pop3_parse_scan_listing:
 * @line: (array length=length): a line of a LIST reply, or the text of a single-message
 *   LIST's +OK
 * @length: its length
 * @number: (out): the message number (at least 1)
 * @size: (out): the message's size in octets
 * @error: return location for a #GError
 *
 * Parses a scan listing (RFC 1939 §5): "msg-number SP size", optionally followed by more
 * text after a space.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_pop3_parse_scan_listing (const char  *line,
                              gsize        length,
                              guint       *number,
                              guint64     *size,
                              GError     **error)
{
  const char *p = line;
  const char *end = line + length;
  guint64 n = 0;
  guint64 octets = 0;

  g_return_val_if_fail (line != NULL || length == 0, FALSE);

  if (!read_number (&p, end, G_MAXUINT, &n) || n == 0 || !read_spaces (&p, end)
      || !read_number (&p, end, G_MAXUINT64, &octets) || (p < end && *p != ' '))
    {
      set_not_pop3 (error, line, length);
      return FALSE;
    }

  if (number != NULL)
    *number = (guint) n;
  if (size != NULL)
    *size = octets;

  return TRUE;
}

/**
 * mail_pop3_parse_unique_id_listing:
 * @line: (array length=length): a line of a UIDL reply, or the text of a single-message
 *   UIDL's +OK
 * @length: its length
 * @number: (out): the message number (at least 1)
 * @uid: (out) (transfer full): the unique-id
 * @error: return location for a #GError
 *
 * Parses a unique-id listing (RFC 1939 §7): "msg-number SP unique-id", where the id is 1
 * to 70 characters from 0x21 to 0x7E. Trailing spaces are tolerated; any other
 * character makes the listing invalid, since an id with "/" or ".." is still safe only as
 * long as nobody builds a file name from it (nobody does), but one with control
 * characters or spaces is simply not POP3.
 *
 * Returns: %TRUE on success
 */
gboolean
mail_pop3_parse_unique_id_listing (const char  *line,
                                   gsize        length,
                                   guint       *number,
                                   char       **uid,
                                   GError     **error)
{
  const char *p = line;
  const char *end = line + length;
  const char *uid_start;
  guint64 n = 0;

  g_return_val_if_fail (line != NULL || length == 0, FALSE);

  while (end > line && end[-1] == ' ')
    end--;

  if (!read_number (&p, end, G_MAXUINT, &n) || n == 0 || !read_spaces (&p, end))
    goto invalid;

  uid_start = p;
  if (end - uid_start < 1 || end - uid_start > MAIL_POP3_MAX_UID_LENGTH)
    goto invalid;

  for (; p < end; p++)
    if ((guchar) *p < 0x21 || (guchar) *p > 0x7e)
      goto invalid;

  if (number != NULL)
    *number = (guint) n;
  if (uid != NULL)
    *uid = g_strndup (uid_start, end - uid_start);

  return TRUE;

invalid:
  set_not_pop3 (error, line, length);
  return FALSE;
}

/**
 * mail_pop3_parse_capability:
 * @line: (array length=length): a line of a CAPA reply (RFC 2449)
 * @length: its length
 *
 * Returns: (transfer full) (nullable): the capability with surrounding white space
 *   removed and its tag upper-cased ("SASL PLAIN LOGIN"), or %NULL when the line is empty
 *   or holds anything but printable ASCII (it is then ignored)
 */
char *
mail_pop3_parse_capability (const char *line,
                            gsize       length)
{
  g_autofree char *copy = NULL;
  char *space;

  g_return_val_if_fail (line != NULL || length == 0, NULL);

  for (gsize i = 0; i < length; i++)
    if (((guchar) line[i] < 0x20 && line[i] != '\t') || (guchar) line[i] >= 0x7f)
      return NULL;

  copy = g_strstrip (g_strndup (line, length));
  if (copy[0] == '\0')
    return NULL;

  for (char *t = copy; *t != '\0'; t++)
    if (*t == '\t')
      *t = ' ';

  space = strchr (copy, ' ');
  for (char *t = copy; t != space && *t != '\0'; t++)
    *t = g_ascii_toupper (*t);

  return g_steal_pointer (&copy);
}
