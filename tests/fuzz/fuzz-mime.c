/* fuzz-mime.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* libFuzzer target for the MIME helpers: the input is parsed as a whole message and as a
 * header block, read as text in a charset the first byte picks, turned from HTML into text,
 * and split into header-like values for the one-value helpers. Whatever the input, what
 * comes out must be valid UTF-8, one-line values without controls, within their limits.
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail-mime.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static const char *const charsets[] = {
  NULL, "utf-8", "iso-8859-1", "iso-8859-15", "windows-1252", "koi8-r", "shift_jis", "gb2312",
  "iso-2022-jp", "utf-7", "x-no-such-charset", "us-ascii", "euc-kr", "big5", "utf-16", "",
};

static void
check_utf8 (const char *s,
            gsize       max)
{
  if (s == NULL || !g_utf8_validate (s, -1, NULL) || strlen (s) > max)
    abort ();
}

static void
check_line (const char *s,
            gsize       max)
{
  check_utf8 (s, max);
  for (const char *p = s; *p != '\0'; p++)
    if ((guchar) *p < 0x20)
      abort ();
}

static void
check_addresses (GPtrArray *addresses)
{
  for (guint i = 0; i < addresses->len; i++)
    {
      MailMimeAddress *address = g_ptr_array_index (addresses, i);

      check_line (address->address, 4096);
      if (address->name != NULL)
        check_line (address->name, 4096);
    }
}

static void
check_summary (MailMimeSummary *s)
{
  check_line (s->subject, 4096);
  if (s->from != NULL)
    {
      check_line (s->from->address, 4096);
      if (s->from->name != NULL)
        check_line (s->from->name, 4096);
    }
  check_addresses (s->to);
  check_addresses (s->cc);
  if (s->to->len > 500 || s->cc->len > 500)
    abort ();
  if (s->message_id != NULL)
    check_line (s->message_id, 998);
  if (s->in_reply_to != NULL)
    check_line (s->in_reply_to, 998);
  if (s->references == NULL || g_strv_length (s->references) > MAIL_MIME_MAX_REFERENCES)
    abort ();
  for (guint i = 0; s->references[i] != NULL; i++)
    check_line (s->references[i], 998);
  if (s->preview != NULL)
    {
      check_line (s->preview, 4 * MAIL_MIME_PREVIEW_CHARS);
      if (g_utf8_strlen (s->preview, -1) > MAIL_MIME_PREVIEW_CHARS)
        abort ();
    }
  if (s->body_text != NULL)
    check_utf8 (s->body_text, MAIL_MIME_BODY_TEXT_MAX);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *charset;
  const char *text;
  gsize len;

  if (size == 0)
    return 0;

  charset = charsets[data[0] % G_N_ELEMENTS (charsets)];
  text = (const char *) data + 1;
  len = size - 1;

  {
    MailMimeSummary *s = mail_mime_parse_data (text, len, 1000);

    check_summary (s);
    mail_mime_summary_free (s);
  }

  {
    MailMimeSummary *s = mail_mime_parse_headers (text, len, 1000);

    check_summary (s);
    if (s->preview != NULL || s->body_text != NULL)
      abort ();
    mail_mime_summary_free (s);
  }

  {
    char *utf8 = mail_mime_text_to_utf8 (text, len, charset);
    char *html = mail_mime_text_from_html (utf8, strlen (utf8), 4096);
    char *preview = mail_mime_text_preview (utf8, 50);
    char *line = mail_mime_text_sanitize_line (utf8, 300);
    GString *body = g_string_new (NULL);

    check_utf8 (utf8, G_MAXSIZE);
    check_utf8 (html, 4096);
    check_line (preview, 4 * 50);
    check_line (line, 300);
    mail_mime_text_append_body (body, utf8, strlen (utf8), 1000);
    check_utf8 (body->str, 1000);

    g_string_free (body, TRUE);
    g_free (line);
    g_free (preview);
    g_free (html);
    g_free (utf8);
  }

  /* Each line as a header value of each kind, as ENVELOPE fields arrive. */
  {
    char *copy = g_strndup (text, len);
    char **lines = g_strsplit (copy, "\n", 64);

    for (guint i = 0; lines[i] != NULL; i++)
      {
        char *decoded = mail_mime_decode_text (lines[i], -1, charset);
        GPtrArray *addresses = mail_mime_parse_addresses (lines[i], charset);
        char *formatted = mail_mime_format_addresses (addresses);
        char *id = mail_mime_parse_message_id (lines[i]);
        GStrv refs = mail_mime_parse_references (lines[i]);
        gint64 date;

        check_line (decoded, 4096);
        check_addresses (addresses);
        check_utf8 (formatted, G_MAXSIZE);
        if (id != NULL)
          check_line (id, 998);
        for (guint r = 0; refs[r] != NULL; r++)
          check_line (refs[r], 998);
        (void) mail_mime_parse_date (lines[i], &date);

        g_strfreev (refs);
        g_free (id);
        g_free (formatted);
        g_ptr_array_unref (addresses);
        g_free (decoded);
      }

    g_strfreev (lines);
    g_free (copy);
  }

  return 0;
}
