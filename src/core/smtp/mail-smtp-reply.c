/* mail-smtp-reply.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* SMTP replies (RFC 5321 §4.2) as pure code with no I/O, so that it can be fed anything
 * (tests/unit/test-smtp-reply.c, fuzzing). The parser takes one line at a time, exactly
 * as the connection's line reader returns them, and hands out a reply when its last line
 * ("250 ...", as opposed to "250-...") arrives. It checks that every line of a reply
 * carries the same code, bounds the number and length of lines, and splits off enhanced
 * status codes (RFC 2034, RFC 3463) when their class matches the reply's.
 *
 * Reply text is untrusted: control characters are replaced and invalid UTF-8 repaired
 * before anything is kept, so it can go into error messages as it is.
 */

#include "config.h"

#undef G_LOG_DOMAIN
#define G_LOG_DOMAIN "mail-smtp"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-smtp-error.h"
#include "mail-smtp-reply.h"

struct _MailSmtpReply
{
  gatomicrefcount   ref_count;
  guint             code;
  char             *enhanced_code;
  char            **lines;
};

struct _MailSmtpReplyParser
{
  guint      code;
  char      *enhanced_code;
  GPtrArray *lines;
};

G_DEFINE_BOXED_TYPE (MailSmtpReply, mail_smtp_reply, mail_smtp_reply_ref, mail_smtp_reply_unref)

static char *
sanitize (const char *text,
          gsize       length)
{
  g_autofree char *copy = g_malloc (length + 1);

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

  return g_utf8_make_valid (copy, length);
}

/**
 * mail_smtp_reply_new:
 * @code: the three-digit reply code
 * @enhanced_code: (nullable): the enhanced status code, such as "5.1.1"
 * @lines: (array zero-terminated=1) (nullable): the text of each line
 *
 * Makes a reply; the parser is the usual source of replies, this is for tests and for
 * callers that record outcomes.
 *
 * Returns: (transfer full): a new reply
 */
MailSmtpReply *
mail_smtp_reply_new (guint               code,
                     const char         *enhanced_code,
                     const char * const *lines)
{
  MailSmtpReply *reply;

  g_return_val_if_fail (code >= 200 && code <= 599, NULL);

  reply = g_new0 (MailSmtpReply, 1);
  g_atomic_ref_count_init (&reply->ref_count);
  reply->code = code;
  reply->enhanced_code = g_strdup (enhanced_code);
  reply->lines = lines != NULL ? g_strdupv ((char **) lines) : g_new0 (char *, 1);

  return reply;
}

/**
 * mail_smtp_reply_ref:
 * @reply: a #MailSmtpReply
 *
 * Returns: (transfer full): @reply
 */
MailSmtpReply *
mail_smtp_reply_ref (MailSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);

  g_atomic_ref_count_inc (&reply->ref_count);

  return reply;
}

/**
 * mail_smtp_reply_unref:
 * @reply: (transfer full): a #MailSmtpReply
 */
void
mail_smtp_reply_unref (MailSmtpReply *reply)
{
  g_return_if_fail (reply != NULL);

  if (g_atomic_ref_count_dec (&reply->ref_count))
    {
      g_free (reply->enhanced_code);
      g_strfreev (reply->lines);
      g_free (reply);
    }
}

/**
 * mail_smtp_reply_get_code:
 * @reply: a #MailSmtpReply
 *
 * Returns: the three-digit reply code, such as 250
 */
guint
mail_smtp_reply_get_code (MailSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, 0);

  return reply->code;
}

/**
 * mail_smtp_reply_get_enhanced_code:
 * @reply: a #MailSmtpReply
 *
 * Returns: (nullable): the enhanced status code of RFC 3463 ("5.1.1"), or %NULL when
 *   the reply has none
 */
const char *
mail_smtp_reply_get_enhanced_code (MailSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);

  return reply->enhanced_code;
}

/**
 * mail_smtp_reply_get_lines:
 * @reply: a #MailSmtpReply
 *
 * Returns: (array zero-terminated=1) (transfer none): the text of each line, without the
 *   code and the enhanced status code, cleaned of control characters
 */
const char * const *
mail_smtp_reply_get_lines (MailSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);

  return (const char * const *) reply->lines;
}

/**
 * mail_smtp_reply_dup_text:
 * @reply: a #MailSmtpReply
 *
 * Returns: (transfer full): the lines' text joined with spaces
 */
char *
mail_smtp_reply_dup_text (MailSmtpReply *reply)
{
  g_autoptr (GString) text = g_string_new (NULL);

  g_return_val_if_fail (reply != NULL, NULL);

  for (guint i = 0; reply->lines[i] != NULL; i++)
    {
      if (reply->lines[i][0] == '\0')
        continue;
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, reply->lines[i]);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * mail_smtp_reply_describe:
 * @reply: a #MailSmtpReply
 *
 * Returns: (transfer full): the reply as a person would quote it: "550 5.1.1 User
 *   unknown"
 */
char *
mail_smtp_reply_describe (MailSmtpReply *reply)
{
  g_autofree char *text = NULL;
  g_autoptr (GString) description = g_string_new (NULL);

  g_return_val_if_fail (reply != NULL, NULL);

  text = mail_smtp_reply_dup_text (reply);
  g_string_append_printf (description, "%u", reply->code);
  if (reply->enhanced_code != NULL)
    g_string_append_printf (description, " %s", reply->enhanced_code);
  if (text[0] != '\0')
    g_string_append_printf (description, " %s", text);

  return g_string_free (g_steal_pointer (&description), FALSE);
}

/**
 * mail_smtp_reply_is_positive:
 * @reply: a #MailSmtpReply
 *
 * Returns: whether the code is 2yz
 */
gboolean
mail_smtp_reply_is_positive (MailSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, FALSE);

  return reply->code / 100 == 2;
}

/**
 * mail_smtp_reply_is_intermediate:
 * @reply: a #MailSmtpReply
 *
 * Returns: whether the code is 3yz (go ahead: 334 for AUTH, 354 for DATA)
 */
gboolean
mail_smtp_reply_is_intermediate (MailSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, FALSE);

  return reply->code / 100 == 3;
}

/**
 * mail_smtp_reply_is_transient:
 * @reply: a #MailSmtpReply
 *
 * Returns: whether the code is 4yz (a temporary failure)
 */
gboolean
mail_smtp_reply_is_transient (MailSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, FALSE);

  return reply->code / 100 == 4;
}

/**
 * mail_smtp_reply_is_permanent:
 * @reply: a #MailSmtpReply
 *
 * Returns: whether the code is 5yz (a permanent failure)
 */
gboolean
mail_smtp_reply_is_permanent (MailSmtpReply *reply)
{
  g_return_val_if_fail (reply != NULL, FALSE);

  return reply->code / 100 == 5;
}

/* ---------------------------------------------------------------------------------- */
/* Parser                                                                              */

/**
 * mail_smtp_reply_parser_new:
 *
 * Returns: (transfer full): a parser waiting for the first line of a reply
 */
MailSmtpReplyParser *
mail_smtp_reply_parser_new (void)
{
  MailSmtpReplyParser *parser = g_new0 (MailSmtpReplyParser, 1);

  parser->lines = g_ptr_array_new_with_free_func (g_free);

  return parser;
}

/**
 * mail_smtp_reply_parser_free:
 * @parser: (transfer full) (nullable): a parser
 */
void
mail_smtp_reply_parser_free (MailSmtpReplyParser *parser)
{
  if (parser == NULL)
    return;

  g_free (parser->enhanced_code);
  g_ptr_array_unref (parser->lines);
  g_free (parser);
}

/**
 * mail_smtp_reply_parser_reset:
 * @parser: a parser
 *
 * Drops a reply in progress.
 */
void
mail_smtp_reply_parser_reset (MailSmtpReplyParser *parser)
{
  g_return_if_fail (parser != NULL);

  parser->code = 0;
  g_clear_pointer (&parser->enhanced_code, g_free);
  g_ptr_array_set_size (parser->lines, 0);
}

/* The length of an enhanced status code "c.sss.ddd" at the start of @text, whose class
 * must be @klass; 0 when there is none. */
static gsize
enhanced_code_length (const char *text,
                      gsize       length,
                      guint       klass)
{
  gsize i = 0;

  /* RFC 3463 §2: the class is 2, 4 or 5. */
  if ((klass != 2 && klass != 4 && klass != 5) || length < 5 || text[0] != (char) ('0' + klass)
      || text[1] != '.')
    return 0;

  i = 2;
  for (guint part = 0; part < 2; part++)
    {
      gsize start = i;

      while (i < length && g_ascii_isdigit (text[i]) && i - start < 4)
        i++;
      if (i == start || i - start > 3)
        return 0;
      if (part == 0)
        {
          if (i >= length || text[i] != '.')
            return 0;
          i++;
        }
    }

  if (i < length && text[i] != ' ')
    return 0;

  return i;
}

static gboolean
fail (MailSmtpReplyParser  *parser,
      GError              **error,
      const char           *message,
      const char           *line,
      gsize                 length)
{
  g_autofree char *shown = sanitize (line, MIN (length, 80));

  mail_smtp_reply_parser_reset (parser);
  g_set_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL, "%s (“%s”)", message, shown);

  return FALSE;
}

/**
 * mail_smtp_reply_parser_feed:
 * @parser: a parser
 * @line: (array length=length): one line from the server, without its line end
 * @length: its length
 * @reply: (out) (transfer full) (optional) (nullable): the reply, when @line was its last
 *   line; %NULL when more lines are needed
 * @error: return location for a #GError
 *
 * Takes one line of a reply. A line that is not "ddd", "ddd text" or "ddd-text" with a
 * code from 200 to 599, a change of code within a reply, a NUL byte, a line longer than
 * %MAIL_SMTP_REPLY_MAX_LINE_LENGTH or a reply of more than %MAIL_SMTP_REPLY_MAX_LINES
 * lines is a %MAIL_SMTP_ERROR_PROTOCOL error, and the parser starts over.
 *
 * Returns: %TRUE when the line was accepted
 */
gboolean
mail_smtp_reply_parser_feed (MailSmtpReplyParser  *parser,
                             const char           *line,
                             gsize                 length,
                             MailSmtpReply       **reply,
                             GError              **error)
{
  const char *text;
  gsize text_length;
  gsize enhanced_length;
  gboolean last;
  guint code;

  g_return_val_if_fail (parser != NULL, FALSE);
  g_return_val_if_fail (line != NULL || length == 0, FALSE);

  if (reply != NULL)
    *reply = NULL;

  if (length > MAIL_SMTP_REPLY_MAX_LINE_LENGTH)
    return fail (parser, error, _("The server sent a reply line that is too long."), line,
                 length);

  if (length > 0 && memchr (line, '\0', length) != NULL)
    return fail (parser, error, _("The server sent a reply that is not valid SMTP."), line,
                 length);

  if (length < 3 || line[0] < '2' || line[0] > '5' || !g_ascii_isdigit (line[1])
      || !g_ascii_isdigit (line[2]) || (length > 3 && line[3] != ' ' && line[3] != '-'))
    return fail (parser, error, _("The server sent a reply that is not valid SMTP."), line,
                 length);

  code = (guint) ((line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'));
  last = length == 3 || line[3] == ' ';

  if (parser->code != 0 && code != parser->code)
    return fail (parser, error, _("The server changed the code in the middle of a reply."),
                 line, length);

  if (parser->lines->len >= MAIL_SMTP_REPLY_MAX_LINES)
    return fail (parser, error, _("The server sent a reply with too many lines."), line,
                 length);

  parser->code = code;
  text = line + MIN (length, 4);
  text_length = length - MIN (length, 4);

  enhanced_length = enhanced_code_length (text, text_length, code / 100);
  if (enhanced_length > 0)
    {
      if (parser->enhanced_code == NULL)
        parser->enhanced_code = g_strndup (text, enhanced_length);
      text += enhanced_length;
      text_length -= enhanced_length;
      if (text_length > 0 && text[0] == ' ')
        {
          text++;
          text_length--;
        }
    }

  g_ptr_array_add (parser->lines, sanitize (text, text_length));

  if (last)
    {
      MailSmtpReply *complete = g_new0 (MailSmtpReply, 1);

      g_atomic_ref_count_init (&complete->ref_count);
      complete->code = parser->code;
      complete->enhanced_code = g_steal_pointer (&parser->enhanced_code);
      g_ptr_array_add (parser->lines, NULL);
      complete->lines = (char **) g_ptr_array_steal (parser->lines, NULL);
      parser->code = 0;

      if (reply != NULL)
        *reply = complete;
      else
        mail_smtp_reply_unref (complete);
    }

  return TRUE;
}

/**
 * mail_smtp_reply_parse:
 * @text: (array length=length): one whole reply, lines ending in CRLF or LF
 * @length: its length
 * @error: return location for a #GError
 *
 * Parses a complete reply from a buffer; anything before its last line that is not part
 * of it, anything after it, or a reply that does not end, is an error.
 *
 * Returns: (transfer full) (nullable): the reply, or %NULL with @error set
 */
MailSmtpReply *
mail_smtp_reply_parse (const char  *text,
                       gsize        length,
                       GError     **error)
{
  g_autoptr (MailSmtpReplyParser) parser = mail_smtp_reply_parser_new ();
  const char *p = text;
  const char *end = text + length;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  while (p < end)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *line_end = newline != NULL ? newline : end;
      gsize line_length = line_end - p;
      MailSmtpReply *reply = NULL;

      if (line_length > 0 && p[line_length - 1] == '\r')
        line_length--;

      if (!mail_smtp_reply_parser_feed (parser, p, line_length, &reply, error))
        return NULL;

      p = newline != NULL ? newline + 1 : end;

      if (reply != NULL)
        {
          if (p < end)
            {
              mail_smtp_reply_unref (reply);
              g_set_error_literal (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL,
                                   _("The server sent more than one reply."));
              return NULL;
            }
          return reply;
        }
    }

  g_set_error_literal (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL,
                       _("The server’s reply ended too early."));

  return NULL;
}

/* ---------------------------------------------------------------------------------- */
/* EHLO                                                                                */

static gboolean
is_keyword (const char *word)
{
  if (!g_ascii_isalnum (word[0]))
    return FALSE;

  for (const char *p = word; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;

  return TRUE;
}

/* A SASL mechanism name: 1 to 20 of A-Z, 0-9, "-" and "_" (RFC 4422 §3.1). */
static gboolean
is_mechanism (const char *word)
{
  gsize length = strlen (word);

  if (length == 0 || length > 20)
    return FALSE;

  for (const char *p = word; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;

  return TRUE;
}

static void
add_mechanisms (GPtrArray  *mechanisms,
                const char *list)
{
  g_auto (GStrv) words = g_strsplit (list, " ", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *upper = NULL;
      gboolean seen = FALSE;

      if (!is_mechanism (words[i]))
        continue;

      upper = g_ascii_strup (words[i], -1);
      for (guint j = 0; j < mechanisms->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (mechanisms, j), upper);
      if (!seen)
        g_ptr_array_add (mechanisms, g_steal_pointer (&upper));
    }
}

static guint64
parse_size (const char *value)
{
  guint64 size = 0;

  if (value == NULL || value[0] == '\0')
    return 0;

  /* Not a number, or too large for us: treat as no announced limit. */
  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &size, NULL))
    return 0;

  return size;
}

/**
 * mail_smtp_ehlo_parse:
 * @reply: a positive reply to EHLO
 * @ehlo: (out caller-allocates): what it says; clear it with mail_smtp_ehlo_clear()
 *
 * Reads the extensions of an EHLO reply: every line after the first is a keyword with
 * optional parameters. Lines that are not keywords are ignored, as are parameters that
 * make no sense (a "SIZE" that is not a number counts as no limit).
 */
void
mail_smtp_ehlo_parse (MailSmtpReply *reply,
                      MailSmtpEhlo  *ehlo)
{
  g_autoptr (GPtrArray) capabilities = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) mechanisms = g_ptr_array_new_with_free_func (g_free);
  static const struct {
    const char         *keyword;
    MailSmtpExtensions  extension;
  } known[] = {
    { "STARTTLS", MAIL_SMTP_EXTENSION_STARTTLS },
    { "AUTH", MAIL_SMTP_EXTENSION_AUTH },
    { "SIZE", MAIL_SMTP_EXTENSION_SIZE },
    { "PIPELINING", MAIL_SMTP_EXTENSION_PIPELINING },
    { "8BITMIME", MAIL_SMTP_EXTENSION_8BITMIME },
    { "SMTPUTF8", MAIL_SMTP_EXTENSION_SMTPUTF8 },
    { "ENHANCEDSTATUSCODES", MAIL_SMTP_EXTENSION_ENHANCEDSTATUSCODES },
    { "CHUNKING", MAIL_SMTP_EXTENSION_CHUNKING },
    { "DSN", MAIL_SMTP_EXTENSION_DSN },
  };

  g_return_if_fail (reply != NULL);
  g_return_if_fail (ehlo != NULL);

  memset (ehlo, 0, sizeof *ehlo);

  for (guint i = 1; reply->lines[0] != NULL && reply->lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (reply->lines[i]));
      char *params = NULL;
      char *space;

      if (line[0] == '\0')
        continue;

      /* The old "AUTH=PLAIN LOGIN" form of some servers. */
      if (g_ascii_strncasecmp (line, "AUTH=", 5) == 0)
        {
          add_mechanisms (mechanisms, line + 5);
          ehlo->extensions |= MAIL_SMTP_EXTENSION_AUTH;
          continue;
        }

      space = strchr (line, ' ');
      if (space != NULL)
        {
          *space = '\0';
          params = g_strstrip (space + 1);
        }

      if (!is_keyword (line))
        continue;

      for (char *p = line; *p != '\0'; p++)
        *p = g_ascii_toupper (*p);

      for (guint k = 0; k < G_N_ELEMENTS (known); k++)
        if (g_str_equal (line, known[k].keyword))
          ehlo->extensions |= known[k].extension;

      if (g_str_equal (line, "SIZE"))
        ehlo->max_size = parse_size (params);
      else if (g_str_equal (line, "AUTH") && params != NULL)
        add_mechanisms (mechanisms, params);

      if (params != NULL && params[0] != '\0')
        g_ptr_array_add (capabilities, g_strconcat (line, " ", params, NULL));
      else
        g_ptr_array_add (capabilities, g_strdup (line));
    }

  g_ptr_array_add (capabilities, NULL);
  g_ptr_array_add (mechanisms, NULL);
  ehlo->capabilities = (char **) g_ptr_array_steal (capabilities, NULL);
  ehlo->auth_mechanisms = (char **) g_ptr_array_steal (mechanisms, NULL);
}

/**
 * mail_smtp_ehlo_clear:
 * @ehlo: a #MailSmtpEhlo
 *
 * Frees what @ehlo holds and zeroes it.
 */
void
mail_smtp_ehlo_clear (MailSmtpEhlo *ehlo)
{
  g_return_if_fail (ehlo != NULL);

  g_clear_pointer (&ehlo->capabilities, g_strfreev);
  g_clear_pointer (&ehlo->auth_mechanisms, g_strfreev);
  ehlo->extensions = MAIL_SMTP_EXTENSION_NONE;
  ehlo->max_size = 0;
}
