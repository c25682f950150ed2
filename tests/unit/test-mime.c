/* test-mime.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The MIME summary of messages as they come: well formed, and a corpus of nasty ones
 * (broken MIME, wrong and missing charsets, 8-bit headers, missing Message-IDs, huge
 * headers, deep nesting). Nothing may fail or be dropped; every string must be valid
 * UTF-8 on one line. */

#include "config.h"

#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "mail-mime.h"

#define FALLBACK_DATE 1700000000

static void
assert_clean_line (const char *s)
{
  g_assert_nonnull (s);
  g_assert_true (g_utf8_validate (s, -1, NULL));
  for (const char *p = s; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, >=, 0x20);
}

/* Every promise the summary makes, whatever the input. */
static void
assert_sane (const MailMimeSummary *s)
{
  assert_clean_line (s->subject);
  if (s->from != NULL)
    {
      assert_clean_line (s->from->address);
      if (s->from->name != NULL)
        assert_clean_line (s->from->name);
    }
  for (guint i = 0; i < s->to->len; i++)
    assert_clean_line (((MailMimeAddress *) g_ptr_array_index (s->to, i))->address);
  if (s->message_id != NULL)
    assert_clean_line (s->message_id);
  g_assert_nonnull (s->references);
  for (guint i = 0; s->references[i] != NULL; i++)
    assert_clean_line (s->references[i]);
  if (s->preview != NULL)
    {
      assert_clean_line (s->preview);
      g_assert_cmpint (g_utf8_strlen (s->preview, -1), <=, MAIL_MIME_PREVIEW_CHARS);
    }
  if (s->body_text != NULL)
    {
      g_assert_true (g_utf8_validate (s->body_text, -1, NULL));
      g_assert_cmpuint (strlen (s->body_text), <=, MAIL_MIME_BODY_TEXT_MAX);
    }
}

static MailMimeSummary *
parse (const char *message)
{
  MailMimeSummary *s = mail_mime_parse_data (message, strlen (message), FALLBACK_DATE);

  g_assert_nonnull (s);
  assert_sane (s);
  return s;
}

static void
test_simple (void)
{
  g_autoptr (MailMimeSummary) s = parse (
    "From: Alice Example <alice@example.com>\r\n"
    "To: Bob <bob@example.org>, carol@example.net\r\n"
    "Cc: \"Dave, Jr.\" <dave@example.org>\r\n"
    "Subject: Quarterly report\r\n"
    "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
    "Message-ID: <report.1@example.com>\r\n"
    "In-Reply-To: <parent@example.com>\r\n"
    "References: <root@example.com>\r\n <parent@example.com>\r\n"
    "\r\n"
    "Hello Bob,\r\n\r\nthe   numbers\tare in.\r\n");
  MailMimeAddress *to0 = g_ptr_array_index (s->to, 0);
  MailMimeAddress *to1 = g_ptr_array_index (s->to, 1);
  MailMimeAddress *cc0 = g_ptr_array_index (s->cc, 0);
  g_autofree char *recipients = mail_mime_summary_format_recipients (s);

  g_assert_cmpstr (s->from->name, ==, "Alice Example");
  g_assert_cmpstr (s->from->address, ==, "alice@example.com");
  g_assert_cmpuint (s->to->len, ==, 2);
  g_assert_cmpstr (to0->name, ==, "Bob");
  g_assert_cmpstr (to0->address, ==, "bob@example.org");
  g_assert_null (to1->name);
  g_assert_cmpstr (to1->address, ==, "carol@example.net");
  g_assert_cmpstr (cc0->name, ==, "Dave, Jr.");
  g_assert_cmpstr (s->subject, ==, "Quarterly report");
  g_assert_cmpint (s->date, ==, 1700000000);
  g_assert_true (s->date_from_header);
  g_assert_cmpstr (s->message_id, ==, "report.1@example.com");
  g_assert_cmpstr (s->in_reply_to, ==, "parent@example.com");
  g_assert_cmpuint (g_strv_length (s->references), ==, 2);
  g_assert_cmpstr (s->references[0], ==, "root@example.com");
  g_assert_cmpstr (s->references[1], ==, "parent@example.com");
  g_assert_false (s->has_attachments);
  g_assert_cmpstr (s->preview, ==, "Hello Bob, the numbers are in.");
  g_assert_cmpstr (s->body_text, ==, "Hello Bob,\n\nthe   numbers\tare in.\n");
  g_assert_cmpstr (recipients, ==,
                   "Bob <bob@example.org>, carol@example.net, Dave, Jr. <dave@example.org>");
}

static void
test_encoded_words (void)
{
  g_autoptr (MailMimeSummary) s = parse (
    "From: =?UTF-8?B?SsO8cmdlbiBNw7xsbGVy?= <jm@example.de>\r\n"
    "To: =?ISO-8859-1?Q?Ren=E9?= <rene@example.fr>\r\n"
    "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= aus =?ISO-8859-15?Q?M=FCnchen_=A4?=\r\n"
    "\r\n"
    "x\r\n");

  g_assert_cmpstr (s->from->name, ==, "Jürgen Müller");
  g_assert_cmpstr (((MailMimeAddress *) g_ptr_array_index (s->to, 0))->name, ==, "René");
  g_assert_cmpstr (s->subject, ==, "Grüße aus München €");
}

static void
test_8bit_headers (void)
{
  /* Raw UTF-8 (RFC 6532) is read as UTF-8. */
  {
    g_autoptr (MailMimeSummary) s = parse ("From: Zoë Ångström <zoe@example.se>\r\n"
                                           "Subject: Smörgåsbord 🍣\r\n\r\nx\r\n");

    g_assert_cmpstr (s->from->name, ==, "Zoë Ångström");
    g_assert_cmpstr (s->subject, ==, "Smörgåsbord 🍣");
  }

  /* Not UTF-8: the charset the message declares comes next (ISO-8859-15 has € at 0xA4). */
  {
    g_autoptr (MailMimeSummary) s = parse ("From: Ren\xe9 <r@example.fr>\r\n"
                                           "Subject: \xe9t\xe9 \xa4\r\n"
                                           "Content-Type: text/plain; charset=iso-8859-15\r\n"
                                           "\r\nx\r\n");

    g_assert_cmpstr (s->from->name, ==, "René");
    g_assert_cmpstr (s->subject, ==, "été €");
  }

  /* No charset declared: Windows-1252, which reads its curly quotes. */
  {
    g_autoptr (MailMimeSummary) s = parse ("Subject: \x93quoted\x94 caf\xe9\r\n\r\nx\r\n");

    g_assert_cmpstr (s->subject, ==, "“quoted” café");
  }

  /* A declared charset that is wrong for the bytes (not valid Shift_JIS): Windows-1252. */
  {
    g_autoptr (MailMimeSummary) s = parse ("Subject: na\xefve \xff\r\n"
                                           "Content-Type: text/plain; charset=utf-8\r\n"
                                           "\r\nx\r\n");

    g_assert_cmpstr (s->subject, ==, "naïve ÿ");
  }
}

static void
test_wrong_charsets (void)
{
  /* Declared UTF-8, written in Latin-1. */
  {
    g_autoptr (MailMimeSummary) s = parse ("Subject: a\r\n"
                                           "Content-Type: text/plain; charset=utf-8\r\n\r\n"
                                           "caf\xe9 cr\xe8me\r\n");

    g_assert_cmpstr (s->preview, ==, "café crème");
  }

  /* Declared Latin-1, written in UTF-8: valid UTF-8 wins. */
  {
    g_autoptr (MailMimeSummary) s = parse ("Subject: a\r\n"
                                           "Content-Type: text/plain; charset=iso-8859-1\r\n\r\n"
                                           "café crème\r\n");

    g_assert_cmpstr (s->preview, ==, "café crème");
  }

  /* An unknown charset: still text. */
  {
    g_autoptr (MailMimeSummary) s = parse ("Subject: a\r\n"
                                           "Content-Type: text/plain; charset=x-no-such-thing\r\n"
                                           "\r\nplain \xe9 text\r\n");

    g_assert_cmpstr (s->preview, ==, "plain é text");
  }

  /* A real legacy charset, declared correctly. */
  {
    g_autoptr (MailMimeSummary) s = parse ("Subject: a\r\n"
                                           "Content-Type: text/plain; charset=koi8-r\r\n\r\n"
                                           "\xf0\xd2\xc9\xd7\xc5\xd4\r\n");

    g_assert_cmpstr (s->preview, ==, "Привет");
  }
}

static void
test_missing_headers (void)
{
  {
    g_autoptr (MailMimeSummary) s = parse ("\r\njust a body\r\n");

    g_assert_null (s->from);
    g_assert_null (s->message_id);
    g_assert_cmpstr (s->subject, ==, "");
    g_assert_cmpint (s->date, ==, FALLBACK_DATE);
    g_assert_false (s->date_from_header);
    g_assert_cmpuint (g_strv_length (s->references), ==, 0);
  }

  {
    g_autoptr (MailMimeSummary) s = parse ("From: a@example.com\r\n"
                                           "Date: the day after tomorrow\r\n"
                                           "Message-ID:\r\n"
                                           "References: garbage without brackets\r\n"
                                           "\r\nbody\r\n");

    g_assert_cmpint (s->date, ==, FALLBACK_DATE);
    g_assert_false (s->date_from_header);
    g_assert_null (s->message_id);
  }

  /* Nothing at all. */
  {
    g_autoptr (MailMimeSummary) s = mail_mime_parse_data ("", 0, FALLBACK_DATE);

    assert_sane (s);
    g_assert_cmpint (s->date, ==, FALLBACK_DATE);
  }
}

static void
test_odd_addresses (void)
{
  g_autoptr (MailMimeSummary) s = parse (
    "From: Some Service\r\n"
    "To: undisclosed-recipients:;\r\n"
    "Cc: Team: alice@example.com, bob@example.com;, root\r\n"
    "\r\nx\r\n");

  g_assert_nonnull (s->from);
  g_assert_cmpstr (s->from->address, ==, "");
  g_assert_cmpuint (s->to->len, ==, 0);
  g_assert_cmpuint (s->cc->len, ==, 3);
  g_assert_cmpstr (((MailMimeAddress *) g_ptr_array_index (s->cc, 0))->address, ==,
                   "alice@example.com");
  g_assert_cmpstr (((MailMimeAddress *) g_ptr_array_index (s->cc, 2))->address, ==, "root");
}

static void
test_html (void)
{
  g_autoptr (MailMimeSummary) s = parse (
    "Subject: a\r\n"
    "Content-Type: text/html; charset=utf-8\r\n\r\n"
    "<html><head><title>T</title><style>p { color: red }</style></head>"
    "<body><script>alert('no')</script><!-- hidden -->"
    "<p>Caf&eacute; &amp; cr&#xE8;me&nbsp;br&ucirc;l&#233;e</p><div>second &lt;line&gt;</div>"
    "a < b</body></html>\r\n");

  g_assert_cmpstr (s->preview, ==, "Café & crème br&ucirc;lée second <line> a < b");
  g_assert_null (strstr (s->body_text, "alert"));
  g_assert_null (strstr (s->body_text, "color"));
  g_assert_nonnull (strstr (s->body_text, "\nsecond"));
}

static void
test_alternative (void)
{
  g_autoptr (MailMimeSummary) s = parse (
    "Subject: a\r\nMIME-Version: 1.0\r\n"
    "Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n"
    "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nplain version\r\n"
    "--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>html version</p>\r\n"
    "--b--\r\n");

  g_assert_cmpstr (s->preview, ==, "plain version");
  g_assert_null (strstr (s->body_text, "html version"));
  g_assert_false (s->has_attachments);
}

static void
test_attachments (void)
{
  static const char *const with[] = {
    /* A PDF in multipart/mixed. */
    "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
    "--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
    "--b\r\nContent-Type: application/pdf; name=a.pdf\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n",
    /* A text file marked as attachment. */
    "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
    "--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n"
    "--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=x.txt\r\n\r\n"
    "file\r\n--b--\r\n",
    /* A forwarded message. */
    "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
    "--b\r\nContent-Type: text/plain\r\n\r\nfwd\r\n"
    "--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\ninner body\r\n--b--\r\n",
  };
  static const char *const without[] = {
    /* An image of an HTML body. */
    "Content-Type: multipart/related; boundary=b\r\n\r\n"
    "--b\r\nContent-Type: text/html\r\n\r\n<img src=\"cid:1\">hi\r\n"
    "--b\r\nContent-Type: image/png\r\nContent-ID: <1>\r\n\r\nPNG\r\n--b--\r\n",
    /* A signature. */
    "Content-Type: multipart/signed; boundary=b; protocol=\"application/pgp-signature\"\r\n\r\n"
    "--b\r\nContent-Type: text/plain\r\n\r\nsigned text\r\n"
    "--b\r\nContent-Type: application/pgp-signature\r\n\r\n-----BEGIN PGP SIGNATURE-----\r\n"
    "--b--\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (with); i++)
    {
      g_autofree char *message = g_strconcat ("Subject: a\r\nMIME-Version: 1.0\r\n", with[i], NULL);
      g_autoptr (MailMimeSummary) s = parse (message);

      g_assert_true (s->has_attachments);
      g_assert_null (strstr (s->body_text, "inner body"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (without); i++)
    {
      g_autofree char *message = g_strconcat ("Subject: a\r\nMIME-Version: 1.0\r\n", without[i], NULL);
      g_autoptr (MailMimeSummary) s = parse (message);

      g_assert_false (s->has_attachments);
      g_assert_cmpstr (s->preview, !=, "");
    }
}

static void
test_broken_mime (void)
{
  static const char *const broken[] = {
    /* No closing boundary. */
    "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
    "unterminated text\r\n",
    /* No boundary parameter at all. */
    "Content-Type: multipart/mixed\r\n\r\n--b\r\n\r\nwhere is the boundary\r\n--b--\r\n",
    /* Base64 that is not. */
    "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!! not base64 @@@@\r\n",
    /* Quoted-printable with a broken escape and a soft break. */
    "Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
    "broken =ZZ escape and soft=\r\nbreak\r\n",
    /* A content type that is no type. */
    "Content-Type: ;;;==\r\n\r\nsomething\r\n",
    /* Header lines without colon, NUL bytes, bare CR. */
    "this is not a header\r\nX-Nul: a\0b\r\n\r\nbody with \0 nul and \r bare cr\r\n",
    /* Multipart with an empty part list. */
    "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b--\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autofree char *message = g_strconcat ("Subject: broken\r\nMIME-Version: 1.0\r\n",
                                              broken[i], NULL);
      g_autoptr (MailMimeSummary) s = parse (message);

      g_assert_cmpstr (s->subject, ==, "broken");
      g_assert_nonnull (s->body_text);
    }

  /* The text GMime could still read is kept. */
  {
    g_autoptr (MailMimeSummary) s = parse (
      "Subject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
      "Content-Type: text/plain\r\n\r\nunterminated text\r\n");

    g_assert_cmpstr (s->preview, ==, "unterminated text");
  }
}

static void
test_deep_nesting (void)
{
  GString *message = g_string_new ("Subject: deep\r\nMIME-Version: 1.0\r\n");
  g_autoptr (MailMimeSummary) s = NULL;
  guint depth = 3000;
  gint64 start;

  for (guint i = 0; i < depth; i++)
    g_string_append_printf (message,
                            "Content-Type: multipart/mixed; boundary=\"b%u\"\r\n\r\n--b%u\r\n", i, i);
  g_string_append (message, "Content-Type: text/plain\r\n\r\nat the bottom\r\n");
  for (guint i = depth; i > 0; i--)
    g_string_append_printf (message, "--b%u--\r\n", i - 1);

  start = g_get_monotonic_time ();
  s = mail_mime_parse_data (message->str, message->len, FALLBACK_DATE);
  assert_sane (s);
  g_assert_cmpstr (s->subject, ==, "deep");
  /* The walk stops at its depth limit; the text below it is not searched. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);

  g_string_free (message, TRUE);
}

static void
test_huge_header (void)
{
  GString *message = g_string_new ("To: ");
  g_autoptr (MailMimeSummary) s = NULL;
  GString *subject = g_string_new ("Subject: ");

  for (guint i = 0; i < 50000; i++)
    g_string_append_printf (message, "%sPerson %u <p%u@example.com>", i > 0 ? ",\r\n " : "", i, i);
  for (guint i = 0; i < 20000; i++)
    g_string_append (subject, "long subject ");
  g_string_append_printf (message, "\r\n%s\r\n\r\nbody\r\n", subject->str);

  s = mail_mime_parse_data (message->str, message->len, FALLBACK_DATE);
  assert_sane (s);
  g_assert_cmpuint (s->to->len, ==, 500);
  g_assert_cmpuint (strlen (s->subject), <=, 4096);
  g_assert_true (g_str_has_prefix (s->subject, "long subject long"));
  g_assert_cmpstr (s->preview, ==, "body");

  g_string_free (message, TRUE);
  g_string_free (subject, TRUE);
}

static void
test_hostile_text (void)
{
  /* Bidirectional overrides and controls do not reach a one-line value. */
  g_autoptr (MailMimeSummary) s = parse ("From: \"evil\xe2\x80\xaegpj.exe\" <e@example.com>\r\n"
                                         "Subject: =?UTF-8?B?YQliCmMbWzMxbQ==?=\r\n\r\nx\r\n");

  g_assert_cmpstr (s->from->name, ==, "evil gpj.exe");
  g_assert_cmpstr (s->subject, ==, "a b c [31m");
}

static void
test_headers_only (void)
{
  static const char header[] =
    "From: Alice <alice@example.com>\r\n"
    "Subject: =?UTF-8?Q?Hallo_W=C3=B6rld?=\r\n"
    "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
    "Message-ID: <h@example.com>\r\n"
    "Content-Type: multipart/mixed; boundary=x";
  g_autoptr (MailMimeSummary) s = mail_mime_parse_headers (header, strlen (header), FALLBACK_DATE);

  assert_sane (s);
  g_assert_cmpstr (s->subject, ==, "Hallo Wörld");
  g_assert_cmpstr (s->message_id, ==, "h@example.com");
  g_assert_cmpint (s->date, ==, 1700000000);
  g_assert_true (s->has_attachments);
  g_assert_null (s->preview);
  g_assert_null (s->body_text);
}

/* An encoded-word Subject folded onto a second line keeps both words: from a real message
 * ("Re: [benutzer] …№747 отправлен"), fetched as a header section. */
static void
test_folded_encoded_words (void)
{
  static const char header[] =
    "From: Bob <bob@example.com>\r\n"
    "Subject: Re: [benutzer] =?utf-8?b?0JfQsNC60LDQtyDihJY3NDcg0L7Rgg==?=\r\n"
    " =?utf-8?b?0L/RgNCw0LLQu9C10L0=?=\r\n"
    "Message-ID: <f@example.com>\r\n";
  g_autoptr (MailMimeSummary) s = mail_mime_parse_headers (header, strlen (header), FALLBACK_DATE);
  g_autofree char *decoded = mail_mime_decode_text ("=?utf-8?b?0JfQsNC60LDQtyDihJY3NDcg0L7Rgg==?=\r\n"
                                                    " =?utf-8?b?0L/RgNCw0LLQu9C10L0=?=", -1,
                                                    NULL);

  assert_sane (s);
  g_assert_cmpstr (decoded, ==, "Заказ №747 отправлен");
  g_assert_cmpstr (s->subject, ==, "Re: [benutzer] Заказ №747 отправлен");
}

static void
test_envelope_helpers (void)
{
  g_autofree char *subject = mail_mime_decode_text ("=?utf-8?b?w6lsw6hWZQ==?= \xe9", -1, NULL);
  g_autoptr (GPtrArray) from = mail_mime_parse_addresses ("=?utf-8?q?J=C3=B6rg?= <j@x.de>", NULL);
  g_autofree char *id = mail_mime_parse_message_id ("  <abc@def>  ");
  g_auto (GStrv) refs = mail_mime_parse_references ("<a@b> (comment) <c@d>\r\n <e@f>");
  gint64 date = 0;

  g_assert_cmpstr (subject, ==, "élèVe é");
  g_assert_cmpuint (from->len, ==, 1);
  g_assert_cmpstr (((MailMimeAddress *) g_ptr_array_index (from, 0))->name, ==, "Jörg");
  g_assert_cmpstr (id, ==, "abc@def");
  g_assert_cmpuint (g_strv_length (refs), ==, 3);
  g_assert_cmpstr (refs[2], ==, "e@f");
  g_assert_true (mail_mime_parse_date ("Mon, 1 Jan 2024 00:00:00 +0100", &date));
  g_assert_cmpint (date, ==, 1704063600);
  g_assert_false (mail_mime_parse_date ("yesterday", &date));
  g_assert_null (mail_mime_parse_message_id (""));
}

static void
test_preview (void)
{
  g_autofree char *a = mail_mime_text_preview ("Sure, let's do it.\n\nOn Monday, Bob wrote:\n"
                                               "> shall we?\n> ok\n\n-- \nAlice\n", 200);
  g_autofree char *b = mail_mime_text_preview ("> only a quote\n", 200);
  g_autofree char *c = mail_mime_text_preview ("ääääääääää", 4);

  g_assert_cmpstr (a, ==, "Sure, let's do it.");
  g_assert_cmpstr (b, ==, "> only a quote");
  g_assert_cmpstr (c, ==, "ääää");
}

static void
test_text_to_utf8 (void)
{
  static const struct
  {
    const char *data;
    const char *charset;
    const char *expected;
  } cases[] = {
    { "plain", NULL, "plain" },
    { "caf\xc3\xa9", "iso-8859-1", "café" },
    { "caf\xe9", NULL, "café" },
    { "caf\xe9", "utf-8", "café" },
    { "\x80\x81\x9f", NULL, "€\xef\xbf\xbdŸ" },
    { "\xa4", "iso-8859-15", "€" },
    { "\xe4\xbd\xa0\xe5\xa5\xbd\xff", "utf-8", "你好\xef\xbf\xbd" },
    { "\xc4\xe3\xba\xc3", "gb2312", "你好" },
    { "\x82\xa0", "shift_jis", "あ" },
    { "a\0b", NULL, "ab" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = cases[i].data[0] == 'a' && cases[i].data[1] == '\0' ? 3 : strlen (cases[i].data);
      g_autofree char *out = mail_mime_text_to_utf8 (cases[i].data, len, cases[i].charset);

      g_assert_cmpstr (out, ==, cases[i].expected);
    }
}

/* Text cut at a limit is cut between characters. */
static void
test_truncation (void)
{
  g_autofree char *html = mail_mime_text_from_html ("<p>ééé</p>", strlen ("<p>ééé</p>"), 5);
  g_autofree char *line = mail_mime_text_sanitize_line ("ééé", 5);
  g_autoptr (GString) body = g_string_new (NULL);

  g_assert_cmpstr (html, ==, "éé");
  g_assert_cmpstr (line, ==, "éé");
  mail_mime_text_append_body (body, "ééé", strlen ("ééé"), 5);
  g_assert_cmpstr (body->str, ==, "éé");
  g_string_truncate (body, 0);
  mail_mime_text_append_body (body, "a€", strlen ("a€"), 3);
  g_assert_cmpstr (body->str, ==, "a");
}

static void
write_file (const char *path,
            const char *data,
            gsize       len)
{
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
}

/* A large message is parsed from its file without being read into memory: its 40 MiB
 * attachment costs nothing, its text is capped. */
static void
test_large_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-mime-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "big.eml", NULL);
  GString *message = g_string_new ("Subject: big\r\nMIME-Version: 1.0\r\n"
                                   "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                                   "--b\r\nContent-Type: text/plain\r\n\r\n");
  g_autoptr (MailMimeSummary) s = NULL;
  g_autoptr (GError) error = NULL;
  struct rusage before, after;

  for (guint i = 0; i < 30000; i++)
    g_string_append (message, "a long text line of the body, repeated many many times\r\n");
  g_string_append (message, "--b\r\nContent-Type: application/octet-stream\r\n"
                            "Content-Transfer-Encoding: base64\r\n\r\n");
  for (guint i = 0; i < 700000; i++)
    g_string_append (message, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2\r\n");
  g_string_append (message, "--b--\r\n");
  write_file (path, message->str, message->len);
  g_assert_cmpuint (message->len, >, 40 * 1024 * 1024);
  g_string_free (message, TRUE);

  getrusage (RUSAGE_SELF, &before);
  s = mail_mime_parse_file (path, FALLBACK_DATE, &error);
  getrusage (RUSAGE_SELF, &after);
  g_assert_no_error (error);
  assert_sane (s);

  g_assert_true (s->has_attachments);
  g_assert_true (s->body_truncated);
  g_assert_cmpuint (strlen (s->body_text), <=, MAIL_MIME_BODY_TEXT_MAX);
  g_assert_cmpuint (strlen (s->body_text), >, MAIL_MIME_BODY_TEXT_MAX - 100);
  /* The peak grows by far less than the file (ru_maxrss is in KiB; the message string
   * above set the peak already, so this bounds only what parsing adds beyond it). */
  g_assert_cmpint (after.ru_maxrss - before.ru_maxrss, <, 16 * 1024);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_stream (void)
{
  GString *message = g_string_new ("Subject: streamed\r\n\r\n");
  g_autoptr (GInputStream) input = NULL;
  g_autoptr (MailMimeSummary) s = NULL;
  g_autoptr (GError) error = NULL;
  gsize len;

  while (message->len < 3 * 1024 * 1024)
    g_string_append (message, "streamed body text line\r\n");
  len = message->len;
  input = g_memory_input_stream_new_from_data (g_string_free (message, FALSE), len, g_free);

  s = mail_mime_parse_stream (input, FALLBACK_DATE, NULL, &error);
  g_assert_no_error (error);
  assert_sane (s);
  g_assert_cmpstr (s->subject, ==, "streamed");
  g_assert_true (g_str_has_prefix (s->preview, "streamed body text line streamed"));
  g_assert_true (s->body_truncated);
}

static gpointer
parse_in_thread (gpointer data)
{
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr (MailMimeSummary) s = parse ("From: =?UTF-8?B?SsO8cmdlbg==?= <j@example.com>\r\n"
                                             "Subject: threads\r\n\r\nbody\r\n");

      g_assert_cmpstr (s->from->name, ==, "Jürgen");
    }

  return NULL;
}

static void
test_threads (void)
{
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("parse", parse_in_thread, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

/* Every file of tests/data/mime parses to a sane summary. */
static void
test_corpus (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", "mime", NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autoptr (MailMimeSummary) s = NULL;
      g_autoptr (GError) error = NULL;

      s = mail_mime_parse_file (path, FALLBACK_DATE, &error);
      g_assert_no_error (error);
      assert_sane (s);
      n++;
    }

  g_assert_cmpuint (n, >=, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mime/folded-encoded-words", test_folded_encoded_words);
  g_test_add_func ("/mime/simple", test_simple);
  g_test_add_func ("/mime/encoded-words", test_encoded_words);
  g_test_add_func ("/mime/8bit-headers", test_8bit_headers);
  g_test_add_func ("/mime/wrong-charsets", test_wrong_charsets);
  g_test_add_func ("/mime/missing-headers", test_missing_headers);
  g_test_add_func ("/mime/odd-addresses", test_odd_addresses);
  g_test_add_func ("/mime/html", test_html);
  g_test_add_func ("/mime/alternative", test_alternative);
  g_test_add_func ("/mime/attachments", test_attachments);
  g_test_add_func ("/mime/broken", test_broken_mime);
  g_test_add_func ("/mime/deep-nesting", test_deep_nesting);
  g_test_add_func ("/mime/huge-header", test_huge_header);
  g_test_add_func ("/mime/hostile-text", test_hostile_text);
  g_test_add_func ("/mime/headers-only", test_headers_only);
  g_test_add_func ("/mime/envelope-helpers", test_envelope_helpers);
  g_test_add_func ("/mime/preview", test_preview);
  g_test_add_func ("/mime/text-to-utf8", test_text_to_utf8);
  g_test_add_func ("/mime/truncation", test_truncation);
  g_test_add_func ("/mime/large-file", test_large_file);
  g_test_add_func ("/mime/stream", test_stream);
  g_test_add_func ("/mime/threads", test_threads);
  g_test_add_func ("/mime/corpus", test_corpus);

  return g_test_run ();
}
