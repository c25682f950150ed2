/* mail-imap-tokenizer.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The reading primitives of the IMAP grammar (RFC 3501 section 9, RFC 9051 section 9).
 * They are strict where a mistake would change meaning (numbers, literals, quoted-string
 * escapes, sequence sets) and lenient where real servers differ harmlessly (extra spaces,
 * missing spaces between list items, 8-bit bytes in atoms). Nothing is allocated from a
 * size the server announced: every allocation is for bytes already received, and all of
 * it comes from the response's capped arena. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-imap-tokenizer.h"
#include "mail-imap-utf7.h"

/* Bits: 0x01 atom, 0x02 astring, 0x04 tag, 0x08 digit, 0x10 item, 0x20 set, 0x40 loose;
 * see the MAIL_IMAP_CC_ enum. Generated from the RFC 3501 ABNF. */
const guint8 mail_imap_char_class[256] = {
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* 0x00 */
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  /* 0x10 */
  0x00, 0x47, 0x00, 0x47, 0x47, 0x40, 0x47, 0x47, 0x00, 0x00, 0x60, 0x43, 0x67, 0x57, 0x57, 0x47,  /* 0x20 */
  0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x67, 0x47, 0x47, 0x47, 0x47, 0x47,  /* 0x30 */
  0x47, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57,  /* 0x40 */
  0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x47, 0x40, 0x46, 0x47, 0x57,  /* 0x50 */
  0x47, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57,  /* 0x60 */
  0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x57, 0x00, 0x47, 0x47, 0x47, 0x00,  /* 0x70 */
  0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47,  /* 0x80 */
  0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47,  /* 0x90 */
  0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47,  /* 0xa0 */
  0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47,  /* 0xb0 */
  0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47,  /* 0xc0 */
  0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47,  /* 0xd0 */
  0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47,  /* 0xe0 */
  0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47, 0x47,  /* 0xf0 */
};

void
mail_imap_tokenizer_init (MailImapTokenizer          *t,
                          const guint8               *line,
                          gsize                       len,
                          const MailImapLiteral      *literals,
                          guint                       n_literals,
                          MailImapArena              *arena,
                          GByteArray                 *scratch,
                          const MailImapParserLimits *limits,
                          gboolean                    utf8_accept)
{
  t->start = line;
  t->p = line;
  t->end = line + len;
  t->literals = literals;
  t->n_literals = n_literals;
  t->next_literal = 0;
  t->last_literal = NULL;
  t->depth = 0;
  t->utf8_accept = utf8_accept;
  t->arena = arena;
  t->scratch = scratch;
  t->limits = limits;
  t->failed = FALSE;
  t->error_code = MAIL_IMAP_ERROR_PROTOCOL;
  t->error_message = NULL;
}

void
mail_imap_tokenizer_clear (MailImapTokenizer *t)
{
  g_clear_pointer (&t->error_message, g_free);
}

gboolean
mail_imap_tokenizer_fail (MailImapTokenizer *t,
                          MailImapError      code,
                          const char        *format,
                          ...)
{
  va_list args;

  if (t->failed)
    return FALSE;

  t->failed = TRUE;
  t->error_code = code;
  va_start (args, format);
  t->error_message = g_strdup_vprintf (format, args);
  va_end (args);

  return FALSE;
}

void
mail_imap_tokenizer_save (MailImapTokenizer      *t,
                          MailImapTokenizerState *state)
{
  state->p = t->p;
  state->next_literal = t->next_literal;
  state->depth = t->depth;
  state->scratch_len = t->scratch->len;
}

/* Goes back to @state after a failed reading. Limit errors are not forgiven: a response
 * that broke a limit is refused, whatever else it might have been read as. */
gboolean
mail_imap_tokenizer_restore (MailImapTokenizer            *t,
                             const MailImapTokenizerState *state)
{
  if (t->failed && t->error_code != MAIL_IMAP_ERROR_PROTOCOL)
    return FALSE;

  t->failed = FALSE;
  g_clear_pointer (&t->error_message, g_free);
  t->p = state->p;
  t->next_literal = state->next_literal;
  t->depth = state->depth;
  g_byte_array_set_size (t->scratch, state->scratch_len);

  return TRUE;
}

static gboolean
fail_protocol (MailImapTokenizer *t,
               const char        *what)
{
  return mail_imap_tokenizer_fail (t, MAIL_IMAP_ERROR_PROTOCOL, "%s", what);
}

static gboolean
fail_memory (MailImapTokenizer *t)
{
  g_autofree char *size = g_format_size_full (t->limits->max_response_size,
                                              G_FORMAT_SIZE_IEC_UNITS);

  return mail_imap_tokenizer_fail (t, MAIL_IMAP_ERROR_LIMIT_EXCEEDED,
                                   _("The server sent a response that needs more than %s of "
                                     "memory"), size);
}

gpointer
mail_imap_tokenizer_alloc (MailImapTokenizer *t,
                           gsize              size)
{
  gpointer p = _mail_imap_arena_alloc (t->arena, size);

  if (G_UNLIKELY (p == NULL))
    fail_memory (t);

  return p;
}

gpointer
mail_imap_tokenizer_alloc0 (MailImapTokenizer *t,
                            gsize              size)
{
  gpointer p = mail_imap_tokenizer_alloc (t, size);

  if (p != NULL)
    memset (p, 0, size);

  return p;
}

char *
mail_imap_tokenizer_strndup (MailImapTokenizer *t,
                             const void        *data,
                             gsize              len)
{
  char *s = mail_imap_tokenizer_alloc (t, len + 1);

  if (s != NULL)
    {
      memcpy (s, data, len);
      s[len] = '\0';
    }

  return s;
}

char *
mail_imap_tokenizer_strdown (MailImapTokenizer *t,
                             const char        *str)
{
  gsize len;
  char *s;

  if (str == NULL)
    return NULL;

  len = strlen (str);
  s = mail_imap_tokenizer_alloc (t, len + 1);
  if (s != NULL)
    {
      for (gsize i = 0; i < len; i++)
        s[i] = g_ascii_tolower (str[i]);
      s[len] = '\0';
    }

  return s;
}

guint
mail_imap_tokenizer_scratch_mark (MailImapTokenizer *t)
{
  return t->scratch->len;
}

gboolean
mail_imap_tokenizer_scratch_push (MailImapTokenizer *t,
                                  const void        *data,
                                  gsize              size)
{
  if (G_UNLIKELY (t->scratch->len + size > t->arena->cap))
    return fail_memory (t);

  g_byte_array_append (t->scratch, data, (guint) size);
  return TRUE;
}

/* Moves what was pushed since @mark into the arena, as an array of @elem_size elements.
 * Returns %NULL (without failing) when nothing was pushed. */
gpointer
mail_imap_tokenizer_scratch_finish (MailImapTokenizer *t,
                                    guint              mark,
                                    gsize              elem_size,
                                    guint             *n_elems)
{
  gsize size = t->scratch->len - mark;
  gpointer p = NULL;

  g_assert (size % elem_size == 0);

  if (size > 0)
    {
      p = mail_imap_tokenizer_alloc (t, size);
      if (p != NULL)
        memcpy (p, t->scratch->data + mark, size);
    }

  g_byte_array_set_size (t->scratch, mark);
  if (n_elems != NULL)
    *n_elems = (guint) (size / elem_size);

  return p;
}

gboolean
mail_imap_tokenizer_count_item (MailImapTokenizer *t,
                                guint             *count)
{
  if (G_UNLIKELY (++*count > t->limits->max_list_items))
    return mail_imap_tokenizer_fail (t, MAIL_IMAP_ERROR_LIMIT_EXCEEDED,
                                     _("The server sent a list of more than %u items"),
                                     t->limits->max_list_items);
  return TRUE;
}

/* One or more spaces. */
gboolean
mail_imap_tokenizer_sp (MailImapTokenizer *t)
{
  if (G_UNLIKELY (!mail_imap_tokenizer_try (t, ' ')))
    return fail_protocol (t, _("a space is missing"));

  while (mail_imap_tokenizer_try (t, ' '))
    ;

  return TRUE;
}

gboolean
mail_imap_tokenizer_expect (MailImapTokenizer *t,
                            char               c)
{
  if (G_UNLIKELY (!mail_imap_tokenizer_try (t, c)))
    {
      if (mail_imap_tokenizer_at_end (t))
        return mail_imap_tokenizer_fail (t, MAIL_IMAP_ERROR_PROTOCOL,
                                         _("the response ends where “%c” was expected"), c);
      return mail_imap_tokenizer_fail (t, MAIL_IMAP_ERROR_PROTOCOL,
                                       _("“%c” was expected"), c);
    }

  return TRUE;
}

gboolean
mail_imap_tokenizer_list_open (MailImapTokenizer *t)
{
  if (!mail_imap_tokenizer_expect (t, '('))
    return FALSE;

  if (G_UNLIKELY (++t->depth > t->limits->max_depth))
    return mail_imap_tokenizer_fail (t, MAIL_IMAP_ERROR_LIMIT_EXCEEDED,
                                     _("The server sent lists nested more than %u levels "
                                       "deep"), t->limits->max_depth);
  return TRUE;
}

gboolean
mail_imap_tokenizer_list_close (MailImapTokenizer *t)
{
  while (mail_imap_tokenizer_try (t, ' '))
    ;

  if (!mail_imap_tokenizer_expect (t, ')'))
    return FALSE;

  t->depth--;
  return TRUE;
}

/* Steps to the next item of an open list. Returns FALSE at the list's end (having read
 * its ")") and on failure (t->failed is then set). Spaces between items are accepted
 * but not required: address lists have none, flag lists have one. */
gboolean
mail_imap_tokenizer_list_next (MailImapTokenizer *t,
                               guint             *count)
{
  while (mail_imap_tokenizer_try (t, ' '))
    ;

  if (mail_imap_tokenizer_try (t, ')'))
    {
      t->depth--;
      return FALSE;
    }

  if (G_UNLIKELY (mail_imap_tokenizer_at_end (t)))
    return fail_protocol (t, _("a list is not closed"));

  return mail_imap_tokenizer_count_item (t, count);
}

gboolean
mail_imap_tokenizer_slice (MailImapTokenizer  *t,
                           guint               cls,
                           const guint8      **s,
                           gsize              *len)
{
  const guint8 *p = t->p;

  while (p < t->end && MAIL_IMAP_IS (*p, cls))
    p++;

  if (G_UNLIKELY (p == t->p))
    {
      if (mail_imap_tokenizer_at_end (t))
        return fail_protocol (t, _("the response ends where a word was expected"));
      return fail_protocol (t, _("a word was expected"));
    }

  *s = t->p;
  *len = (gsize) (p - t->p);
  t->p = p;

  return TRUE;
}

gboolean
mail_imap_tokenizer_atom (MailImapTokenizer  *t,
                          const char        **out)
{
  const guint8 *s;
  gsize len;

  if (!mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ATOM, &s, &len))
    return FALSE;

  *out = mail_imap_tokenizer_strndup (t, s, len);
  return *out != NULL;
}

static const struct {
  const char    *name;
  guint          len;
  MailImapFlags  bit;
} known_flags[] = {
  { "\\Seen", 5, MAIL_IMAP_FLAG_SEEN },
  { "\\Answered", 9, MAIL_IMAP_FLAG_ANSWERED },
  { "\\Flagged", 8, MAIL_IMAP_FLAG_FLAGGED },
  { "\\Deleted", 8, MAIL_IMAP_FLAG_DELETED },
  { "\\Draft", 6, MAIL_IMAP_FLAG_DRAFT },
  { "\\Recent", 7, MAIL_IMAP_FLAG_RECENT },
  { "\\*", 2, MAIL_IMAP_FLAG_ANY },
  { "$Forwarded", 10, MAIL_IMAP_FLAG_FORWARDED },
  { "$Junk", 5, MAIL_IMAP_FLAG_JUNK },
  { "$NotJunk", 8, MAIL_IMAP_FLAG_NOT_JUNK },
  { "$MDNSent", 8, MAIL_IMAP_FLAG_MDN_SENT },
  { "$Phishing", 9, MAIL_IMAP_FLAG_PHISHING },
};

/* A flag: "\" atom, "\*", or a keyword atom. The flags above are returned as static
 * strings in their canonical spelling, which spares a copy for nearly every flag. */
gboolean
mail_imap_tokenizer_flag (MailImapTokenizer  *t,
                          const char        **out,
                          MailImapFlags      *bit)
{
  const guint8 *start = t->p;
  gsize len;

  if (mail_imap_tokenizer_try (t, '\\'))
    {
      if (!mail_imap_tokenizer_try (t, '*'))
        {
          const guint8 *s;

          if (!mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ATOM, &s, &len))
            return FALSE;
        }
    }
  else
    {
      const guint8 *s;

      if (!mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ATOM, &s, &len))
        return FALSE;
    }

  len = (gsize) (t->p - start);
  for (guint i = 0; i < G_N_ELEMENTS (known_flags); i++)
    {
      if (known_flags[i].len == len
          && g_ascii_strncasecmp (known_flags[i].name, (const char *) start, len) == 0)
        {
          *out = known_flags[i].name;
          *bit = known_flags[i].bit;
          return TRUE;
        }
    }

  *bit = MAIL_IMAP_FLAG_NONE;
  *out = mail_imap_tokenizer_strndup (t, start, len);
  return *out != NULL;
}

gboolean
mail_imap_tokenizer_flag_list (MailImapTokenizer *t,
                               MailImapFlagList  *out)
{
  guint mark = mail_imap_tokenizer_scratch_mark (t);
  const char *end_marker = NULL;
  guint count = 0;

  out->bits = MAIL_IMAP_FLAG_NONE;
  if (!mail_imap_tokenizer_list_open (t))
    return FALSE;

  while (mail_imap_tokenizer_list_next (t, &count))
    {
      const char *name;
      MailImapFlags bit;

      if (!mail_imap_tokenizer_flag (t, &name, &bit)
          || !mail_imap_tokenizer_scratch_push (t, &name, sizeof name))
        return FALSE;
      out->bits |= bit;
    }

  if (t->failed || !mail_imap_tokenizer_scratch_push (t, &end_marker, sizeof end_marker))
    return FALSE;

  out->names = mail_imap_tokenizer_scratch_finish (t, mark, sizeof (char *), NULL);
  return out->names != NULL;
}

gboolean
mail_imap_tokenizer_number64 (MailImapTokenizer *t,
                              guint64           *out)
{
  const guint8 *p = t->p;
  guint64 v = 0;

  if (G_UNLIKELY (p >= t->end || !g_ascii_isdigit (*p)))
    return fail_protocol (t, _("a number was expected"));

  for (; p < t->end && g_ascii_isdigit (*p); p++)
    {
      guint d = *p - '0';

      if (G_UNLIKELY (v > ((guint64) G_MAXINT64 - d) / 10))
        return fail_protocol (t, _("a number is too large"));
      v = v * 10 + d;
    }

  t->p = p;
  *out = v;
  return TRUE;
}

gboolean
mail_imap_tokenizer_number (MailImapTokenizer *t,
                            guint32           *out)
{
  guint64 v;

  if (!mail_imap_tokenizer_number64 (t, &v))
    return FALSE;

  if (G_UNLIKELY (v > G_MAXUINT32))
    return fail_protocol (t, _("a number is larger than 4294967295"));

  *out = (guint32) v;
  return TRUE;
}

gboolean
mail_imap_tokenizer_nz_number (MailImapTokenizer *t,
                               guint32           *out)
{
  if (!mail_imap_tokenizer_number (t, out))
    return FALSE;

  if (G_UNLIKELY (*out == 0))
    return fail_protocol (t, _("a number that must not be zero is zero"));

  return TRUE;
}

gboolean
mail_imap_tokenizer_try_nil (MailImapTokenizer *t)
{
  const guint8 *p = t->p;

  if (t->end - p >= 3
      && (p[0] == 'N' || p[0] == 'n')
      && (p[1] == 'I' || p[1] == 'i')
      && (p[2] == 'L' || p[2] == 'l')
      && (t->end - p == 3 || !MAIL_IMAP_IS (p[3], MAIL_IMAP_CC_ASTRING)))
    {
      t->p += 3;
      return TRUE;
    }

  return FALSE;
}

/* The bytes that end or interrupt the plain run of a quoted string. */
static const guint8 quoted_special[256] = {
  [0] = 1, [(guint8) '\n'] = 1, [(guint8) '\r'] = 1, [(guint8) '"'] = 1, [(guint8) '\\'] = 1,
};

static gboolean
quoted (MailImapTokenizer  *t,
        const char        **out,
        gsize              *out_len)
{
  const guint8 *start = t->p + 1;
  const guint8 *p = start;
  gboolean escaped = FALSE;
  char *s;
  gsize n = 0;

  for (;;)
    {
      /* Most bytes are ordinary: skip them with one table lookup each. */
      while (p < t->end && !quoted_special[*p])
        p++;

      if (G_UNLIKELY (p >= t->end))
        return fail_protocol (t, _("a quoted string is not terminated"));
      if (*p == '"')
        break;
      if (*p == '\\')
        {
          escaped = TRUE;
          p++;
          if (G_UNLIKELY (p >= t->end))
            return fail_protocol (t, _("a quoted string is not terminated"));
          if (G_UNLIKELY (*p != '"' && *p != '\\'))
            return fail_protocol (t, _("a quoted string holds an invalid escape"));
        }
      else if (G_UNLIKELY (*p == '\0' || *p == '\r' || *p == '\n'))
        {
          return fail_protocol (t, _("a quoted string holds a NUL, CR or LF byte"));
        }
      p++;
    }

  s = mail_imap_tokenizer_alloc (t, (gsize) (p - start) + 1);
  if (s == NULL)
    return FALSE;

  if (!escaped)
    {
      n = (gsize) (p - start);
      memcpy (s, start, n);
    }
  else
    {
      for (const guint8 *q = start; q < p; q++)
        {
          if (*q == '\\')
            q++;
          s[n++] = (char) *q;
        }
    }
  s[n] = '\0';

  t->p = p + 1;
  *out = s;
  *out_len = n;
  return TRUE;
}

static gboolean
literal (MailImapTokenizer  *t,
         gboolean            allow_binary,
         const char        **out,
         gsize              *out_len)
{
  const guint8 *p = t->p;
  const MailImapLiteral *lit;
  gboolean binary = FALSE;
  gsize pos;

  if (*p == '~')
    {
      binary = TRUE;
      p++;
    }

  if (G_UNLIKELY (p >= t->end || *p != '{'))
    return fail_protocol (t, _("a literal is malformed"));
  p++;
  while (p < t->end && g_ascii_isdigit (*p))
    p++;
  if (p < t->end && *p == '+')
    p++;
  if (G_UNLIKELY (p >= t->end || *p != '}'))
    return fail_protocol (t, _("a literal is malformed"));
  p++;

  /* The framer recorded where each announcement it honoured ends; an announcement
   * anywhere else was not at the end of a line and has no data. */
  pos = (gsize) (p - t->start);
  if (G_UNLIKELY (t->next_literal >= t->n_literals
                  || t->literals[t->next_literal].line_pos != pos))
    return fail_protocol (t, _("a literal is announced in the middle of a line"));

  lit = &t->literals[t->next_literal];
  if (G_UNLIKELY (binary && !allow_binary))
    return fail_protocol (t, _("a binary literal was sent where text was expected"));

  t->next_literal++;
  t->last_literal = lit;
  t->p = p;
  *out = (const char *) lit->data;
  *out_len = lit->len;

  return TRUE;
}

static gboolean
string_internal (MailImapTokenizer  *t,
                 gboolean            allow_binary,
                 const char        **out,
                 gsize              *len)
{
  switch (mail_imap_tokenizer_peek (t))
    {
    case '"':
      return quoted (t, out, len);
    case '{':
    case '~':
      return literal (t, allow_binary, out, len);
    case -1:
      return fail_protocol (t, _("the response ends where a string was expected"));
    default:
      return fail_protocol (t, _("a string was expected"));
    }
}

gboolean
mail_imap_tokenizer_string (MailImapTokenizer  *t,
                            const char        **out,
                            gsize              *len)
{
  return string_internal (t, FALSE, out, len);
}

gboolean
mail_imap_tokenizer_nstring (MailImapTokenizer  *t,
                             const char        **out,
                             gsize              *len)
{
  if (mail_imap_tokenizer_try_nil (t))
    {
      *out = NULL;
      *len = 0;
      return TRUE;
    }

  return string_internal (t, FALSE, out, len);
}

gboolean
mail_imap_tokenizer_nstring8 (MailImapTokenizer  *t,
                              const char        **out,
                              gsize              *len)
{
  if (mail_imap_tokenizer_try_nil (t))
    {
      *out = NULL;
      *len = 0;
      return TRUE;
    }

  return string_internal (t, TRUE, out, len);
}

gboolean
mail_imap_tokenizer_astring (MailImapTokenizer  *t,
                             const char        **out,
                             gsize              *len)
{
  const guint8 *s;
  int c = mail_imap_tokenizer_peek (t);

  if (c == '"' || c == '{' || (c == '~' && t->p + 1 < t->end && t->p[1] == '{'))
    return string_internal (t, FALSE, out, len);

  if (!mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_ASTRING, &s, len))
    return FALSE;

  *out = mail_imap_tokenizer_strndup (t, s, *len);
  return *out != NULL;
}

/* Human-readable text up to @stop (or the end): refused if it holds NUL, CR or LF,
 * repaired if it is not UTF-8. */
gboolean
mail_imap_tokenizer_text (MailImapTokenizer  *t,
                          const guint8       *stop,
                          const char        **out)
{
  const guint8 *p;
  gsize len;

  if (stop == NULL)
    stop = t->end;

  for (p = t->p; p < stop; p++)
    if (G_UNLIKELY (*p == '\0' || *p == '\r' || *p == '\n'))
      return fail_protocol (t, _("text holds a NUL, CR or LF byte"));

  len = (gsize) (stop - t->p);
  if (G_LIKELY (g_utf8_validate_len ((const char *) t->p, len, NULL)))
    {
      *out = mail_imap_tokenizer_strndup (t, t->p, len);
    }
  else
    {
      g_autofree char *valid = g_utf8_make_valid ((const char *) t->p, (gssize) len);

      *out = mail_imap_tokenizer_strndup (t, valid, strlen (valid));
    }

  t->p = stop;
  return *out != NULL;
}

gboolean
mail_imap_tokenizer_value (MailImapTokenizer *t,
                           MailImapValue     *out)
{
  int c = mail_imap_tokenizer_peek (t);

  memset (out, 0, sizeof *out);

  if (c == '(')
    {
      guint mark = mail_imap_tokenizer_scratch_mark (t);
      guint count = 0;

      if (!mail_imap_tokenizer_list_open (t))
        return FALSE;

      while (mail_imap_tokenizer_list_next (t, &count))
        {
          MailImapValue item;

          if (!mail_imap_tokenizer_value (t, &item)
              || !mail_imap_tokenizer_scratch_push (t, &item, sizeof item))
            return FALSE;
        }
      if (t->failed)
        return FALSE;

      out->type = MAIL_IMAP_VALUE_LIST;
      out->items = mail_imap_tokenizer_scratch_finish (t, mark, sizeof (MailImapValue),
                                                       &out->n_items);
      return !t->failed;
    }

  if (c == '"' || c == '{' || (c == '~' && t->p + 1 < t->end && t->p[1] == '{'))
    {
      out->type = MAIL_IMAP_VALUE_STRING;
      return string_internal (t, TRUE, &out->str, &out->len);
    }

  if (mail_imap_tokenizer_try_nil (t))
    {
      out->type = MAIL_IMAP_VALUE_NIL;
      return TRUE;
    }

  {
    const guint8 *s;

    if (!mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_LOOSE, &s, &out->len))
      return FALSE;
    out->type = MAIL_IMAP_VALUE_ATOM;
    out->str = mail_imap_tokenizer_strndup (t, s, out->len);
    return out->str != NULL;
  }
}

/* Generic values up to the end of the response. */
gboolean
mail_imap_tokenizer_values_to_end (MailImapTokenizer    *t,
                                   const MailImapValue **values,
                                   guint                *n_values)
{
  guint mark = mail_imap_tokenizer_scratch_mark (t);
  guint count = 0;

  for (;;)
    {
      MailImapValue value;

      while (mail_imap_tokenizer_try (t, ' '))
        ;
      if (mail_imap_tokenizer_at_end (t))
        break;

      if (!mail_imap_tokenizer_count_item (t, &count)
          || !mail_imap_tokenizer_value (t, &value)
          || !mail_imap_tokenizer_scratch_push (t, &value, sizeof value))
        return FALSE;
    }

  *values = mail_imap_tokenizer_scratch_finish (t, mark, sizeof (MailImapValue), n_values);
  return !t->failed;
}

/* Skips one value of any depth without recursion and without allocating: what the parser
 * does with a body structure deeper than its limit. */
gboolean
mail_imap_tokenizer_skip_value (MailImapTokenizer *t)
{
  gsize level = 0;

  do
    {
      int c;

      while (level > 0 && mail_imap_tokenizer_try (t, ' '))
        ;

      c = mail_imap_tokenizer_peek (t);
      if (c == -1)
        return fail_protocol (t, _("a list is not closed"));

      if (c == '(')
        {
          t->p++;
          level++;
          continue;
        }

      if (c == ')')
        {
          if (level == 0)
            return fail_protocol (t, _("a value was expected"));
          t->p++;
          level--;
          continue;
        }

      if (c == '"')
        {
          const guint8 *p = t->p + 1;

          while (p < t->end && *p != '"')
            {
              if (*p == '\\')
                p++;
              p++;
            }
          if (p >= t->end)
            return fail_protocol (t, _("a quoted string is not terminated"));
          t->p = p + 1;
        }
      else if (c == '{' || c == '~')
        {
          const char *s;
          gsize len;

          if (!literal (t, TRUE, &s, &len))
            return FALSE;
        }
      else
        {
          const guint8 *s;
          gsize len;

          if (!mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_LOOSE, &s, &len))
            return FALSE;
        }
    }
  while (level > 0);

  return TRUE;
}

static gboolean
seq_number (const guint8 **pp,
            const guint8  *end,
            guint32       *out)
{
  const guint8 *p = *pp;
  guint64 v = 0;

  if (p < end && *p == '*')
    {
      *out = G_MAXUINT32;
      *pp = p + 1;
      return TRUE;
    }

  if (p >= end || !g_ascii_isdigit (*p))
    return FALSE;

  for (; p < end && g_ascii_isdigit (*p); p++)
    {
      v = v * 10 + (guint) (*p - '0');
      if (v > G_MAXUINT32)
        return FALSE;
    }

  if (v == 0)
    return FALSE;

  *out = (guint32) v;
  *pp = p;
  return TRUE;
}

/* A sequence set or UID set ("1:4,7,9:*"), kept as sent and as ranges; with @count_items,
 * at most max_list_items ranges. */
static gboolean
parse_set (MailImapTokenizer *t,
           MailImapSet       *out,
           gboolean           count_items)
{
  const guint8 *s;
  const guint8 *p;
  const guint8 *end;
  gsize len;
  guint mark;
  guint count = 0;

  if (!mail_imap_tokenizer_slice (t, MAIL_IMAP_CC_SET, &s, &len))
    return FALSE;

  mark = mail_imap_tokenizer_scratch_mark (t);
  end = s + len;
  p = s;

  for (;;)
    {
      MailImapRange range;

      if (!seq_number (&p, end, &range.first))
        return fail_protocol (t, _("a sequence set is malformed"));
      range.last = range.first;
      if (p < end && *p == ':')
        {
          p++;
          if (!seq_number (&p, end, &range.last))
            return fail_protocol (t, _("a sequence set is malformed"));
        }

      if ((count_items && !mail_imap_tokenizer_count_item (t, &count))
          || !mail_imap_tokenizer_scratch_push (t, &range, sizeof range))
        return FALSE;

      if (p == end)
        break;
      if (*p != ',')
        return fail_protocol (t, _("a sequence set is malformed"));
      p++;
    }

  out->ranges = mail_imap_tokenizer_scratch_finish (t, mark, sizeof (MailImapRange),
                                                    &out->n_ranges);
  out->raw = mail_imap_tokenizer_strndup (t, s, len);
  return !t->failed;
}

gboolean
mail_imap_tokenizer_set (MailImapTokenizer *t,
                         MailImapSet       *out)
{
  return parse_set (t, out, TRUE);
}

/* A set that is a search result (ESEARCH ALL): like the numbers of a plain SEARCH, it is
 * bounded by the line length rather than the list item limit, because a search over a
 * large mailbox legitimately matches hundreds of thousands of scattered messages. Each
 * range takes at least two bytes of the line ("7,") and eight in memory, and the
 * response's memory cap still applies. */
gboolean
mail_imap_tokenizer_search_set (MailImapTokenizer *t,
                                MailImapSet       *out)
{
  return parse_set (t, out, FALSE);
}

/* A mailbox name: decoded from modified UTF-7 unless UTF8=ACCEPT is on, with "INBOX"
 * spelled canonically. A name that does not decode is kept, marked invalid, rather than
 * refused: refusing it would hide a mailbox the user could then neither see nor delete.
 * A name with a NUL byte is refused outright. */
gboolean
mail_imap_tokenizer_mailbox (MailImapTokenizer   *t,
                             MailImapMailboxName *out)
{
  const char *raw;
  gsize len;

  if (!mail_imap_tokenizer_astring (t, &raw, &len))
    return FALSE;

  if (G_UNLIKELY (memchr (raw, '\0', len) != NULL))
    return fail_protocol (t, _("a mailbox name holds a NUL byte"));

  out->raw = raw;
  out->invalid = FALSE;

  if (len == 5 && g_ascii_strcasecmp (raw, "INBOX") == 0)
    {
      out->name = "INBOX";
      return TRUE;
    }

  if (t->utf8_accept)
    {
      if (g_utf8_validate_len (raw, len, NULL))
        {
          out->name = raw;
          return TRUE;
        }
    }
  else if (mail_imap_utf7_is_identity (raw, len))
    {
      out->name = raw;
      return TRUE;
    }
  else
    {
      g_autofree char *decoded = mail_imap_utf7_decode (raw, (gssize) len, NULL);

      if (decoded != NULL)
        {
          out->name = mail_imap_tokenizer_strndup (t, decoded, strlen (decoded));
          return out->name != NULL;
        }
    }

  out->invalid = TRUE;
  if (g_utf8_validate_len (raw, len, NULL))
    {
      out->name = raw;
    }
  else
    {
      g_autofree char *valid = g_utf8_make_valid (raw, (gssize) len);

      out->name = mail_imap_tokenizer_strndup (t, valid, strlen (valid));
    }

  return out->name != NULL;
}

/* A hierarchy delimiter: one character in a string, or NIL (returned as 0). */
gboolean
mail_imap_tokenizer_delimiter (MailImapTokenizer *t,
                               gunichar          *out)
{
  const char *s;
  gsize len;
  gunichar c;

  if (!mail_imap_tokenizer_nstring (t, &s, &len))
    return FALSE;

  if (s == NULL || len == 0)
    {
      *out = 0;
      return TRUE;
    }

  c = g_utf8_get_char_validated (s, (gssize) len);
  if (c == (gunichar) -1 || c == (gunichar) -2 || c == 0
      || (gsize) (g_utf8_next_char (s) - s) != len)
    return fail_protocol (t, _("a hierarchy delimiter is not one character"));

  *out = c;
  return TRUE;
}

/* "(" astring *(SP astring) ")", as a NULL-terminated array. */
gboolean
mail_imap_tokenizer_string_list (MailImapTokenizer   *t,
                                 const char * const **out)
{
  guint mark = mail_imap_tokenizer_scratch_mark (t);
  const char *end_marker = NULL;
  guint count = 0;

  if (!mail_imap_tokenizer_list_open (t))
    return FALSE;

  while (mail_imap_tokenizer_list_next (t, &count))
    {
      const char *s;
      gsize len;

      if (!mail_imap_tokenizer_astring (t, &s, &len)
          || !mail_imap_tokenizer_scratch_push (t, &s, sizeof s))
        return FALSE;
    }

  if (t->failed || !mail_imap_tokenizer_scratch_push (t, &end_marker, sizeof end_marker))
    return FALSE;

  *out = mail_imap_tokenizer_scratch_finish (t, mark, sizeof (char *), NULL);
  return *out != NULL;
}
