/* test-imap-utf7.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-imap-error.h"
#include "mail-imap-quote.h"
#include "mail-imap-utf7.h"

static const struct {
  const char *utf7;
  const char *utf8;
} pairs[] = {
  { "", "" },
  { "INBOX", "INBOX" },
  { "Tom &- Jerry", "Tom & Jerry" },
  { "&-&-", "&&" },
  { "~peter/mail/&U,BTFw-/&ZeVnLIqe-", "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
  { "&AMk-t&AOk-", "\xc3\x89t\xc3\xa9" },
  { "R&AOk-sum&AOk-", "R\xc3\xa9sum\xc3\xa9" },
  { "&Jjo-!", "\xe2\x98\xba!" },
  { "&2D3eAA-", "\xf0\x9f\x98\x80" },
  { "&2D3eANg93gE-", "\xf0\x9f\x98\x80\xf0\x9f\x98\x81" },
  { "&AAE-", "\x01" },
  { "a&AH8-b", "a\x7f" "b" },
  { "&AOkA6QDp-", "\xc3\xa9\xc3\xa9\xc3\xa9" },
  { "&BB8EQAQ4BDIENQRC-", "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82" },
};

static void
test_pairs (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *decoded = mail_imap_utf7_decode (pairs[i].utf7, -1, &error);
      g_autofree char *encoded = NULL;

      g_test_message ("%s", pairs[i].utf7);
      g_assert_no_error (error);
      g_assert_cmpstr (decoded, ==, pairs[i].utf8);

      encoded = mail_imap_utf7_encode (pairs[i].utf8, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (encoded, ==, pairs[i].utf7);

      g_assert_cmpint (mail_imap_utf7_is_identity (pairs[i].utf7, strlen (pairs[i].utf7)), ==,
                       strcmp (pairs[i].utf7, pairs[i].utf8) == 0);
    }
}

/* Names a server might send that are not modified UTF-7 (cf. Dovecot PR #311: an invalid
 * octet decoded to an embedded NUL). Each must be refused, never crash or yield NUL. */
static void
test_invalid (void)
{
  static const char * const cases[] = {
    "&",                 /* not terminated */
    "a&AOk",             /* not terminated */
    "&AOk-&AOk-",        /* two runs side by side: not canonical */
    "&AGE-",             /* "a" hidden in base64 */
    "&ACY-",             /* "&" hidden in base64 */
    "&AAA-",             /* NUL */
    "&2D0-",             /* lone high surrogate */
    "&3gA-",             /* lone low surrogate */
    "&2D3YPQ-",          /* two high surrogates */
    "&AO-",              /* stray bits */
    "&AOkA-",            /* a partial character */
    "&AOl-",             /* non-zero padding bits */
    "&A!k-",             /* not base64 */
    "&AO/-",             /* "/" is "," in modified base64 */
    "caf\xc3\xa9",       /* 8-bit */
    "\x80",
    "tab\there",         /* control character */
    "&AOk-\x80",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *decoded = mail_imap_utf7_decode (cases[i], -1, &error);

      g_test_message ("%u", i);
      g_assert_null (decoded);
      g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL);
    }

  /* An embedded NUL byte in the input, with an explicit length. */
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *decoded = mail_imap_utf7_decode ("a\0b", 3, &error);

    g_assert_null (decoded);
    g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL);
  }
}

static void
test_encode_invalid (void)
{
  static const struct {
    const char *input;
    gssize      len;
  } cases[] = {
    { "\xff", -1 },
    { "caf\xc3", -1 },
    { "a\0b", 3 },
    { "\xed\xa0\x80", -1 },  /* a surrogate in UTF-8 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *encoded = mail_imap_utf7_encode (cases[i].input, cases[i].len, &error);

      g_assert_null (encoded);
      g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSENDABLE);
    }
}

/* Random names of every kind of character survive encoding and decoding. */
static void
test_round_trip (void)
{
  static const gunichar ranges[][2] = {
    { 0x01, 0x7f }, { 0x20, 0x7e }, { 0x80, 0x7ff }, { 0x800, 0xd7ff },
    { 0xe000, 0xfffd }, { 0x10000, 0x10ffff },
  };
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);

  for (guint n = 0; n < 2000; n++)
    {
      g_autoptr (GString) name = g_string_new (NULL);
      g_autoptr (GError) error = NULL;
      g_autofree char *encoded = NULL;
      g_autofree char *decoded = NULL;
      guint len = (guint) g_rand_int_range (rand, 0, 20);

      for (guint i = 0; i < len; i++)
        {
          guint r = (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (ranges));
          gunichar c = (gunichar) g_rand_int_range (rand, (gint32) ranges[r][0],
                                                    (gint32) ranges[r][1] + 1);

          g_string_append_unichar (name, c);
        }

      encoded = mail_imap_utf7_encode (name->str, (gssize) name->len, &error);
      g_assert_no_error (error);
      for (const char *p = encoded; *p != '\0'; p++)
        g_assert_true (*p >= 0x20 && *p <= 0x7e);

      decoded = mail_imap_utf7_decode (encoded, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (decoded, ==, name->str);
    }
}

static void
test_astring_forms (void)
{
  static const struct {
    const char          *input;
    gssize               len;
    MailImapQuoteFlags   flags;
    MailImapAstringForm  form;
    const char          *output;
  } cases[] = {
    { "INBOX", -1, MAIL_IMAP_QUOTE_NONE, MAIL_IMAP_ASTRING_ATOM, "INBOX" },
    { "a]b", -1, MAIL_IMAP_QUOTE_NONE, MAIL_IMAP_ASTRING_ATOM, "a]b" },
    { "NIL", -1, MAIL_IMAP_QUOTE_NONE, MAIL_IMAP_ASTRING_ATOM, "NIL" },
    { "INBOX", -1, MAIL_IMAP_QUOTE_NO_ATOM, MAIL_IMAP_ASTRING_QUOTED, "\"INBOX\"" },
    { "", -1, MAIL_IMAP_QUOTE_NONE, MAIL_IMAP_ASTRING_QUOTED, "\"\"" },
    { "Sent Items", -1, MAIL_IMAP_QUOTE_NONE, MAIL_IMAP_ASTRING_QUOTED, "\"Sent Items\"" },
    { "a\"b\\c", -1, MAIL_IMAP_QUOTE_NONE, MAIL_IMAP_ASTRING_QUOTED, "\"a\\\"b\\\\c\"" },
    { "{5}", -1, MAIL_IMAP_QUOTE_NONE, MAIL_IMAP_ASTRING_QUOTED, "\"{5}\"" },
    { "a*b%c", -1, MAIL_IMAP_QUOTE_NONE, MAIL_IMAP_ASTRING_QUOTED, "\"a*b%c\"" },
    { "p\xc3\xa4ss", -1, MAIL_IMAP_QUOTE_UTF8, MAIL_IMAP_ASTRING_QUOTED, "\"p\xc3\xa4ss\"" },
    { "p\xc3\xa4ss", -1, MAIL_IMAP_QUOTE_LITERAL_PLUS, MAIL_IMAP_ASTRING_LITERAL,
      "{5+}\r\np\xc3\xa4ss" },
    { "p\xc3\xa4ss", -1, MAIL_IMAP_QUOTE_NONE, MAIL_IMAP_ASTRING_LITERAL, NULL },
    { "\xff", -1, MAIL_IMAP_QUOTE_UTF8 | MAIL_IMAP_QUOTE_LITERAL_MINUS,
      MAIL_IMAP_ASTRING_LITERAL, "{1+}\r\n\xff" },
    { "a\r\nb", -1, MAIL_IMAP_QUOTE_UTF8, MAIL_IMAP_ASTRING_LITERAL, NULL },
    { "a\r\nb", -1, MAIL_IMAP_QUOTE_LITERAL_PLUS, MAIL_IMAP_ASTRING_LITERAL, "{4+}\r\na\r\nb" },
    { "x\r\na2 DELETE INBOX", -1, MAIL_IMAP_QUOTE_NONE, MAIL_IMAP_ASTRING_LITERAL, NULL },
    { "a\nb", -1, MAIL_IMAP_QUOTE_LITERAL_MINUS, MAIL_IMAP_ASTRING_LITERAL, "{3+}\r\na\nb" },
    { "a\rb", -1, MAIL_IMAP_QUOTE_NONE, MAIL_IMAP_ASTRING_LITERAL, NULL },
    { "a\0b", 3, MAIL_IMAP_QUOTE_LITERAL_PLUS | MAIL_IMAP_QUOTE_UTF8,
      MAIL_IMAP_ASTRING_UNSENDABLE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GString) command = g_string_new ("a1 LOGIN ");
      g_autoptr (GError) error = NULL;
      gsize len = cases[i].len < 0 ? strlen (cases[i].input) : (gsize) cases[i].len;
      gboolean ok;

      g_test_message ("%u", i);
      g_assert_cmpint (mail_imap_astring_form (cases[i].input, len, cases[i].flags), ==,
                       cases[i].form);

      ok = mail_imap_append_astring (command, cases[i].input, cases[i].len, cases[i].flags,
                                     &error);
      if (cases[i].output == NULL)
        {
          g_assert_false (ok);
          g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSENDABLE);
          g_assert_cmpstr (command->str, ==, "a1 LOGIN ");
        }
      else
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (command->str + strlen ("a1 LOGIN "), ==, cases[i].output);
        }
    }
}

/* Long strings go as literals (when the server allows), LITERAL- only up to 4096 bytes. */
static void
test_astring_long (void)
{
  g_autofree char *long_text = g_strnfill (MAIL_IMAP_QUOTED_MAX + 1, 'a');
  g_autofree char *huge = g_strnfill (5000, ' ');
  g_autoptr (GString) command = g_string_new (NULL);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (mail_imap_astring_form (long_text, strlen (long_text), 0), ==,
                   MAIL_IMAP_ASTRING_ATOM);
  g_assert_cmpint (mail_imap_astring_form (huge, strlen (huge), 0), ==,
                   MAIL_IMAP_ASTRING_LITERAL);

  g_assert_false (mail_imap_append_astring (command, huge, -1, MAIL_IMAP_QUOTE_LITERAL_MINUS,
                                            &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSENDABLE);
  g_assert_true (mail_imap_append_astring (command, huge, -1, MAIL_IMAP_QUOTE_LITERAL_PLUS,
                                           NULL));
  g_assert_true (g_str_has_prefix (command->str, "{5000+}\r\n  "));
}

static void
test_mailbox (void)
{
  static const struct {
    const char         *name;
    MailImapQuoteFlags  flags;
    const char         *output;
  } cases[] = {
    { "inbox", MAIL_IMAP_QUOTE_NONE, "INBOX" },
    { "Archive/2024", MAIL_IMAP_QUOTE_NONE, "Archive/2024" },
    { "Sent Items", MAIL_IMAP_QUOTE_NONE, "\"Sent Items\"" },
    { "\xc3\x89t\xc3\xa9", MAIL_IMAP_QUOTE_NONE, "&AMk-t&AOk-" },
    { "Tom & Jerry", MAIL_IMAP_QUOTE_NONE, "\"Tom &- Jerry\"" },
    { "\xc3\x89t\xc3\xa9", MAIL_IMAP_QUOTE_UTF8, "\"\xc3\x89t\xc3\xa9\"" },
    { "a\nb", MAIL_IMAP_QUOTE_NONE, "a&AAo-b" },
    { "a\nb", MAIL_IMAP_QUOTE_UTF8, NULL },
    { "\xff", MAIL_IMAP_QUOTE_NONE, NULL },
    { "\xff", MAIL_IMAP_QUOTE_UTF8 | MAIL_IMAP_QUOTE_LITERAL_PLUS, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GString) command = g_string_new (NULL);
      g_autoptr (GError) error = NULL;
      gboolean ok = mail_imap_append_mailbox (command, cases[i].name, cases[i].flags, &error);

      g_test_message ("%u", i);
      if (cases[i].output == NULL)
        {
          g_assert_false (ok);
          g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSENDABLE);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpstr (command->str, ==, cases[i].output);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/imap/utf7/pairs", test_pairs);
  g_test_add_func ("/mail/imap/utf7/invalid", test_invalid);
  g_test_add_func ("/mail/imap/utf7/encode-invalid", test_encode_invalid);
  g_test_add_func ("/mail/imap/utf7/round-trip", test_round_trip);
  g_test_add_func ("/mail/imap/quote/astring", test_astring_forms);
  g_test_add_func ("/mail/imap/quote/astring-long", test_astring_long);
  g_test_add_func ("/mail/imap/quote/mailbox", test_mailbox);

  return g_test_run ();
}
