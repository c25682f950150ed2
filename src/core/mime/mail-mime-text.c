/* mail-mime-text.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Text as the views and the search index want it: bytes in whatever charset a message
 * declares (or wrongly declares) to valid UTF-8, HTML to plain text, a header value to one
 * clean line, and the short preview of the message list.
 *
 * Pure code: no GMime objects and no I/O, so that tests/fuzz/fuzz-mime.c reaches all of it.
 * Nothing here fails: the worst input still gives valid UTF-8, with U+FFFD where a byte
 * could not be read.
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include "mail-mime-text.h"

#define REPLACEMENT "\xef\xbf\xbd"

/* Windows-1252 at 0x80..0x9F; the five unassigned bytes read as U+FFFD. Above 0x9F it is
 * ISO-8859-1, whose code points are the byte values. */
static const gunichar cp1252_high[32] = {
  0x20ac, 0xfffd, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
  0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0xfffd, 0x017d, 0xfffd,
  0xfffd, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
  0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0xfffd, 0x017e, 0x0178,
};

static char *
decode_cp1252 (const guchar *data,
               gsize         len)
{
  GString *out = g_string_sized_new (len + len / 4 + 1);

  for (gsize i = 0; i < len; i++)
    {
      guchar c = data[i];

      if (c == 0)
        continue;
      else if (c < 0x80)
        g_string_append_c (out, (char) c);
      else if (c < 0xa0)
        g_string_append_unichar (out, cp1252_high[c - 0x80]);
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* Counts what a UTF-8 reading of @data would have to replace, and how many multi-byte
 * characters it reads correctly: text in a legacy charset rarely contains a valid
 * multi-byte sequence, and damaged UTF-8 is mostly valid. NUL bytes are neither. */
static void
scan_utf8 (const char *data,
           gsize       len,
           gsize      *n_invalid,
           gsize      *n_multibyte)
{
  const char *p = data;
  const char *end = data + len;

  *n_invalid = 0;
  *n_multibyte = 0;

  while (p < end)
    {
      const char *valid_end = NULL;
      gboolean ok = g_utf8_validate_len (p, end - p, &valid_end);

      for (const char *q = p; q < valid_end; q++)
        if ((guchar) *q >= 0xc0)
          (*n_multibyte)++;

      if (ok)
        break;

      if (*valid_end != '\0')
        (*n_invalid)++;
      p = valid_end + 1;
    }
}

/* UTF-8 with every invalid byte replaced by U+FFFD and NUL bytes dropped. */
static char *
repair_utf8 (const char *data,
             gsize       len)
{
  GString *out = g_string_sized_new (len + 1);
  const char *p = data;
  const char *end = data + len;

  while (p < end)
    {
      const char *valid_end = NULL;
      gboolean ok = g_utf8_validate_len (p, end - p, &valid_end);

      g_string_append_len (out, p, valid_end - p);
      if (ok)
        break;
      if (*valid_end != '\0')
        g_string_append (out, REPLACEMENT);
      p = valid_end + 1;
    }

  return g_string_free (out, FALSE);
}

static gboolean
is_utf8_label (const char *charset)
{
  static const char *const labels[] = {
    "utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968", "unknown-8bit", "x-unknown",
    "unknown", "default", "x-user-defined",
  };

  if (charset == NULL || *charset == '\0')
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_ascii_strcasecmp (charset, labels[i]) == 0)
      return TRUE;

  return FALSE;
}

/* Labels that are read as Windows-1252, as browsers do (the WHATWG Encoding Standard):
 * real-world "ISO-8859-1" text is nearly always Windows-1252. */
static gboolean
is_cp1252_label (const char *charset)
{
  static const char *const labels[] = {
    "windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1",
    "l1", "iso-ir-100", "cp819", "ibm819",
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_ascii_strcasecmp (charset, labels[i]) == 0)
      return TRUE;

  return FALSE;
}

/* Names mail uses that iconv does not know, or knows as a smaller charset. */
static const char *
iconv_name (const char *charset)
{
  static const struct
  {
    const char *label;
    const char *name;
  } aliases[] = {
    { "ks_c_5601-1987", "CP949" },
    { "ks_c_5601-1989", "CP949" },
    { "euc-kr", "CP949" },
    { "gb2312", "GB18030" },
    { "gbk", "GB18030" },
    { "x-gbk", "GB18030" },
    { "cn-gb", "GB18030" },
    { "iso-8859-8-i", "ISO-8859-8" },
    { "iso-8859-6-i", "ISO-8859-6" },
    { "windows-874", "CP874" },
    { "tis-620", "CP874" },
    { "x-mac-roman", "MACINTOSH" },
    { "shift-jis", "SHIFT_JIS" },
    { "x-sjis", "SHIFT_JIS" },
    { "unicode-1-1-utf-7", "UTF-7" },
    { "iso-2022-jp-2", "ISO-2022-JP-2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_ascii_strcasecmp (charset, aliases[i].label) == 0)
      return aliases[i].name;

  return charset;
}

/* Converts with iconv, replacing what cannot be read by U+FFFD and counting it. NULL when
 * iconv does not know the charset. */
static char *
convert_lossy (const char *data,
               gsize       len,
               const char *charset,
               gsize      *n_errors)
{
  GIConv cd = g_iconv_open ("UTF-8", iconv_name (charset));
  GString *out;
  char *in = (char *) data;
  gsize in_left = len;
  char buf[4096];
  char *outp;
  gsize out_left;

  *n_errors = 0;
  if (cd == (GIConv) -1)
    return NULL;

  out = g_string_sized_new (len + len / 2 + 1);
  while (in_left > 0)
    {
      gsize result;

      outp = buf;
      out_left = sizeof buf;
      result = g_iconv (cd, &in, &in_left, &outp, &out_left);
      g_string_append_len (out, buf, outp - buf);

      if (result == (gsize) -1 && errno != E2BIG)
        {
          /* An illegal or truncated sequence: one byte becomes U+FFFD, and the
           * converter starts again from its initial state. */
          g_string_append (out, REPLACEMENT);
          (*n_errors)++;
          in++;
          in_left--;
          g_iconv (cd, NULL, NULL, NULL, NULL);
        }
    }

  outp = buf;
  out_left = sizeof buf;
  g_iconv (cd, NULL, NULL, &outp, &out_left);
  g_string_append_len (out, buf, outp - buf);
  g_iconv_close (cd);

  /* iconv's output is UTF-8, but may hold NUL bytes from the input. */
  if (memchr (out->str, '\0', out->len) != NULL || !g_utf8_validate_len (out->str, out->len, NULL))
    {
      char *repaired = repair_utf8 (out->str, out->len);

      g_string_free (out, TRUE);
      return repaired;
    }

  return g_string_free (out, FALSE);
}

/**
 * mail_mime_text_to_utf8:
 * @data: text in some charset
 * @len: the length of @data in bytes
 * @charset: (nullable): the charset the message declares for it
 *
 * Reads @data as a mail client must: as UTF-8 when it is valid UTF-8, then in the
 * declared @charset when that reads without error, then as damaged UTF-8 if it looks like
 * UTF-8 at all, then in the declared charset with the unreadable bytes replaced if there
 * are only a few, and otherwise as Windows-1252 (ISO-8859-1 in the control range), which
 * reads any byte. NUL bytes are dropped.
 *
 * Returns: (transfer full): valid UTF-8; never %NULL
 */
char *
mail_mime_text_to_utf8 (const char *data,
                        gsize       len,
                        const char *charset)
{
  gsize n_invalid;
  gsize n_multibyte;
  gboolean declared = !is_utf8_label (charset);
  g_autofree char *lossy = NULL;
  gsize n_errors = G_MAXSIZE;

  if (data == NULL || len == 0)
    return g_strdup ("");

  scan_utf8 (data, len, &n_invalid, &n_multibyte);
  if (n_invalid == 0)
    return memchr (data, '\0', len) != NULL ? repair_utf8 (data, len) : g_strndup (data, len);

  if (declared && is_cp1252_label (charset))
    return decode_cp1252 ((const guchar *) data, len);

  if (declared)
    {
      lossy = convert_lossy (data, len, charset, &n_errors);
      if (lossy != NULL && n_errors == 0)
        return g_steal_pointer (&lossy);
    }

  if (n_multibyte > n_invalid)
    return repair_utf8 (data, len);

  if (lossy != NULL && n_errors <= len / 32)
    return g_steal_pointer (&lossy);

  return decode_cp1252 ((const guchar *) data, len);
}

/* Cuts @s to at most @max_len bytes, at a character boundary: a character that does not
 * fit whole, or was copied only in part, goes. */
static void
truncate_utf8 (GString *s,
               gsize    max_len)
{
  gsize start;
  gsize need;
  guchar lead;

  if (s->len > max_len)
    {
      gsize cut = max_len;

      while (cut > 0 && ((guchar) s->str[cut] & 0xc0) == 0x80)
        cut--;
      g_string_truncate (s, cut);
    }

  /* The last character, if its copy stopped short. */
  start = s->len;
  while (start > 0 && s->len - start < 4 && ((guchar) s->str[start - 1] & 0xc0) == 0x80)
    start--;
  if (start == 0)
    return;
  lead = (guchar) s->str[start - 1];
  need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  if (s->len - (start - 1) < need)
    g_string_truncate (s, start - 1);
}

typedef struct
{
  const char *name;
  gunichar    c;
} Entity;

/* The named references mail actually uses; others stay as written. */
static const Entity entities[] = {
  { "amp", '&' },       { "lt", '<' },        { "gt", '>' },        { "quot", '"' },
  { "apos", '\'' },     { "nbsp", 0xa0 },     { "copy", 0xa9 },     { "reg", 0xae },
  { "trade", 0x2122 },  { "hellip", 0x2026 }, { "mdash", 0x2014 },  { "ndash", 0x2013 },
  { "lsquo", 0x2018 },  { "rsquo", 0x2019 },  { "ldquo", 0x201c },  { "rdquo", 0x201d },
  { "sbquo", 0x201a },  { "bdquo", 0x201e },  { "laquo", 0xab },    { "raquo", 0xbb },
  { "euro", 0x20ac },   { "pound", 0xa3 },    { "yen", 0xa5 },      { "cent", 0xa2 },
  { "bull", 0x2022 },   { "middot", 0xb7 },   { "deg", 0xb0 },      { "times", 0xd7 },
  { "shy", 0xad },      { "zwnj", 0x200c },   { "zwj", 0x200d },    { "ensp", 0x2002 },
  { "emsp", 0x2003 },   { "thinsp", 0x2009 }, { "auml", 0xe4 },     { "ouml", 0xf6 },
  { "uuml", 0xfc },     { "Auml", 0xc4 },     { "Ouml", 0xd6 },     { "Uuml", 0xdc },
  { "szlig", 0xdf },    { "eacute", 0xe9 },   { "egrave", 0xe8 },   { "agrave", 0xe0 },
  { "ccedil", 0xe7 },   { "iexcl", 0xa1 },    { "iquest", 0xbf },   { "para", 0xb6 },
  { "sect", 0xa7 },     { "frac12", 0xbd },
};

/* Reads the character reference at @p ('&'); returns the character and sets @next past
 * it, or 0 when @p does not start a reference this reader knows. */
static gunichar
read_entity (const char  *p,
             const char  *end,
             const char **next)
{
  const char *q = p + 1;
  const char *semi;

  semi = memchr (q, ';', MIN ((gsize) (end - q), 12));
  if (semi == NULL)
    return 0;

  if (*q == '#')
    {
      guint64 value = 0;
      gboolean hex = FALSE;
      const char *digits;

      q++;
      if (q < semi && (*q == 'x' || *q == 'X'))
        {
          hex = TRUE;
          q++;
        }
      digits = q;
      for (; q < semi; q++)
        {
          int d = hex ? g_ascii_xdigit_value (*q) : g_ascii_digit_value (*q);

          if (d < 0)
            return 0;
          value = value * (hex ? 16 : 10) + d;
        }
      if (q == digits)
        return 0;

      *next = semi + 1;
      if (value == 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff))
        return 0xfffd;
      return (gunichar) value;
    }

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    {
      gsize n = strlen (entities[i].name);

      if ((gsize) (semi - q) == n && strncmp (q, entities[i].name, n) == 0)
        {
          *next = semi + 1;
          return entities[i].c;
        }
    }

  return 0;
}

static gboolean
tag_is (const char *name,
        gsize       len,
        const char *const *list)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (strlen (list[i]) == len && g_ascii_strncasecmp (name, list[i], len) == 0)
      return TRUE;

  return FALSE;
}

/* Finds the end of the tag whose name ends at @p: after its '>', quotes respected. */
static const char *
skip_tag (const char *p,
          const char *end)
{
  char quote = 0;

  for (; p < end; p++)
    {
      if (quote != 0)
        {
          if (*p == quote)
            quote = 0;
        }
      else if (*p == '"' || *p == '\'')
        quote = *p;
      else if (*p == '>')
        return p + 1;
    }

  return end;
}

/* Finds "</name" (any case) at or after @p; returns the end of that closing tag. */
static const char *
skip_element (const char *p,
              const char *end,
              const char *name,
              gsize       name_len)
{
  for (; p + 2 + name_len <= end; p++)
    {
      if (p[0] == '<' && p[1] == '/' && g_ascii_strncasecmp (p + 2, name, name_len) == 0)
        return skip_tag (p + 2 + name_len, end);
    }

  return end;
}

static void
newline (GString  *out,
         gboolean *pending_space)
{
  *pending_space = FALSE;
  if (out->len == 0)
    return;
  if (out->len >= 2 && out->str[out->len - 1] == '\n' && out->str[out->len - 2] == '\n')
    return;
  g_string_append_c (out, '\n');
}

/**
 * mail_mime_text_from_html:
 * @html: HTML, as valid UTF-8
 * @len: the length of @html in bytes
 * @max_len: the most bytes to return
 *
 * The text a reader sees in @html, for the preview and the search index: tags removed
 * (block elements become line breaks), the contents of script, style and head dropped,
 * character references decoded and white space collapsed as a browser would.
 *
 * Returns: (transfer full): valid UTF-8 of at most @max_len bytes
 */
char *
mail_mime_text_from_html (const char *html,
                          gsize       len,
                          gsize       max_len)
{
  static const char *const hidden[] = { "script", "style", "head", "title", "template", NULL };
  static const char *const blocks[] = {
    "p", "div", "br", "tr", "li", "ul", "ol", "table", "blockquote", "hr", "h1", "h2", "h3",
    "h4", "h5", "h6", "pre", "dl", "dt", "dd", "section", "article", "header", "footer",
    "address", "center", NULL,
  };
  static const char *const cells[] = { "td", "th", NULL };
  GString *out = g_string_sized_new (MIN (len, max_len) + 1);
  const char *p = html;
  const char *end = html + len;
  gboolean pending_space = FALSE;

  while (p < end && out->len < max_len)
    {
      char c = *p;

      if (c == '<')
        {
          const char *q = p + 1;
          const char *name;
          gsize name_len;
          gboolean closing = FALSE;

          if (end - p >= 4 && strncmp (p, "<!--", 4) == 0)
            {
              const char *close = g_strstr_len (p + 4, end - p - 4, "-->");

              p = close != NULL ? close + 3 : end;
              continue;
            }

          if (q < end && *q == '/')
            {
              closing = TRUE;
              q++;
            }
          name = q;
          while (q < end && g_ascii_isalnum (*q))
            q++;
          name_len = q - name;

          if (name_len == 0 && !closing && (q >= end || (*q != '!' && *q != '?')))
            {
              /* A '<' that starts no tag ("a < b") is text. */
              if (pending_space && out->len > 0 && out->str[out->len - 1] != '\n')
                g_string_append_c (out, ' ');
              pending_space = FALSE;
              g_string_append_c (out, '<');
              p++;
              continue;
            }

          p = skip_tag (q, end);

          if (!closing && tag_is (name, name_len, hidden))
            p = skip_element (p, end, name, name_len);
          else if (tag_is (name, name_len, blocks))
            newline (out, &pending_space);
          else if (tag_is (name, name_len, cells))
            pending_space = TRUE;
          continue;
        }

      if (c == '&')
        {
          const char *next = NULL;
          gunichar u = read_entity (p, end, &next);

          if (u != 0)
            {
              p = next;
              if (g_unichar_isspace (u) || u == 0xa0)
                pending_space = TRUE;
              else if (u != 0xad)
                {
                  if (pending_space && out->len > 0 && out->str[out->len - 1] != '\n')
                    g_string_append_c (out, ' ');
                  pending_space = FALSE;
                  g_string_append_unichar (out, u);
                }
              continue;
            }
        }

      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v')
        {
          pending_space = TRUE;
          p++;
          continue;
        }

      if (pending_space && out->len > 0 && out->str[out->len - 1] != '\n')
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      if (c != '\0')
        g_string_append_c (out, c);
      p++;
    }

  truncate_utf8 (out, max_len);
  while (out->len > 0 && out->str[out->len - 1] == '\n')
    g_string_truncate (out, out->len - 1);

  if (!g_utf8_validate_len (out->str, out->len, NULL))
    {
      char *repaired = repair_utf8 (out->str, out->len);

      g_string_free (out, TRUE);
      return repaired;
    }

  return g_string_free (out, FALSE);
}

/* Characters a one-line value must not carry: controls, and the bidirectional overrides
 * and isolates that can make a name or subject read as something else. */
static gboolean
is_unwanted (gunichar c)
{
  return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0x202a && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0xfeff;
}

/**
 * mail_mime_text_sanitize_line:
 * @text: (nullable): a value, as UTF-8 (invalid bytes are replaced)
 * @max_len: the most bytes to return
 *
 * Makes @text fit to show on one line: controls and bidirectional overrides become
 * spaces, runs of white space one space, and leading and trailing space goes.
 *
 * Returns: (transfer full): valid UTF-8 of at most @max_len bytes; "" for %NULL
 */
char *
mail_mime_text_sanitize_line (const char *text,
                              gsize       max_len)
{
  g_autofree char *valid = NULL;
  GString *out;
  gboolean pending_space = FALSE;

  if (text == NULL)
    return g_strdup ("");

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = repair_utf8 (text, strlen (text));

  out = g_string_sized_new (MIN (strlen (text), max_len) + 1);
  for (const char *p = text; *p != '\0' && out->len < max_len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x200b || c == 0x200c || c == 0x200d)
        continue;

      if (is_unwanted (c) || g_unichar_isspace (c) || c == 0xa0)
        {
          pending_space = out->len > 0;
          continue;
        }

      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }

  truncate_utf8 (out, max_len);
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);

  return g_string_free (out, FALSE);
}

static gboolean
line_is_quote (const char *line,
               gsize       len)
{
  gsize i = 0;

  while (i < len && (line[i] == ' ' || line[i] == '\t'))
    i++;

  return i < len && line[i] == '>';
}

static gboolean
line_is_blank (const char *line,
               gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (line[i]))
      return FALSE;

  return TRUE;
}

/* Appends @len bytes of @text to @out, white space collapsed, up to @max_chars
 * characters in @out. Returns FALSE once @out is full. */
static gboolean
append_collapsed (GString    *out,
                  guint      *n_chars,
                  const char *text,
                  gsize       len,
                  guint       max_chars)
{
  const char *end = text + len;
  gboolean pending_space = out->len > 0;

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0xa0 || is_unwanted (c))
        {
          pending_space = out->len > 0;
          continue;
        }
      if (*n_chars >= max_chars)
        return FALSE;
      if (pending_space)
        {
          g_string_append_c (out, ' ');
          (*n_chars)++;
          pending_space = FALSE;
          if (*n_chars >= max_chars)
            return FALSE;
        }
      g_string_append_unichar (out, c);
      (*n_chars)++;
    }

  return TRUE;
}

/**
 * mail_mime_text_preview:
 * @text: (nullable): a message's text, as valid UTF-8
 * @max_chars: the most characters to return, such as %MAIL_MIME_PREVIEW_CHARS
 *
 * The preview of a message list: what the sender wrote, on one line. Quoted lines
 * ("> ..."), the attribution line that introduces them ("... wrote:") and everything
 * after the signature separator ("-- ") are left out, unless nothing else is left.
 *
 * Returns: (transfer full): valid UTF-8 of at most @max_chars characters
 */
char *
mail_mime_text_preview (const char *text,
                        guint       max_chars)
{
  GString *out = g_string_new (NULL);
  guint n_chars = 0;
  const char *p = text;

  if (text == NULL)
    return g_string_free (out, FALSE);

  while (*p != '\0')
    {
      const char *eol = strchr (p, '\n');
      const char *next = eol != NULL ? eol + 1 : p + strlen (p);
      gsize len = (eol != NULL ? eol : next) - p;
      gsize trimmed = len > 0 && p[len - 1] == '\r' ? len - 1 : len;

      if ((trimmed == 3 && strncmp (p, "-- ", 3) == 0) || (trimmed == 2 && strncmp (p, "--", 2) == 0))
        break;

      if (!line_is_quote (p, trimmed))
        {
          gboolean attribution = FALSE;

          /* "On Monday, Alice wrote:" followed by quoted lines. */
          if (trimmed > 0 && p[trimmed - 1] == ':')
            {
              const char *q = next;

              while (*q != '\0')
                {
                  const char *q_eol = strchr (q, '\n');
                  gsize q_len = (q_eol != NULL ? (gsize) (q_eol - q) : strlen (q));

                  if (!line_is_blank (q, q_len))
                    {
                      attribution = line_is_quote (q, q_len);
                      break;
                    }
                  q += q_len + (q_eol != NULL ? 1 : 0);
                }
            }

          if (!attribution && !append_collapsed (out, &n_chars, p, trimmed, max_chars))
            break;
        }

      p = next;
    }

  if (out->len == 0)
    append_collapsed (out, &n_chars, text, strlen (text), max_chars);

  return g_string_free (out, FALSE);
}

/**
 * mail_mime_text_append_body:
 * @body: the text collected so far
 * @text: more text, as valid UTF-8
 * @len: the length of @text in bytes
 * @max_len: the most bytes @body may hold
 *
 * Appends @text to a message's search text: line ends as "\n", parts separated by an
 * empty line, cut at a character boundary once @body holds @max_len bytes.
 */
void
mail_mime_text_append_body (GString    *body,
                            const char *text,
                            gsize       len,
                            gsize       max_len)
{
  const char *end = text + len;

  if (body->len >= max_len || len == 0)
    return;

  if (body->len > 0)
    g_string_append (body, "\n\n");

  for (const char *p = text; p < end && body->len < max_len; p++)
    {
      if (*p == '\r')
        {
          if (p + 1 < end && p[1] == '\n')
            continue;
          g_string_append_c (body, '\n');
        }
      else if (*p != '\0')
        g_string_append_c (body, *p);
    }

  truncate_utf8 (body, max_len);
}
