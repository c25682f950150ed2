/* test-smtp-data.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the SMTP client puts on the wire: line-ending normalisation and dot-stuffing (no
 * bare CR or LF ever, no early end of data: SMTP smuggling), envelope address checks
 * (no CR/LF injection) and header checks. */

#include "config.h"

#include <string.h>

#include "mail-smtp-data.h"
#include "mail-smtp-error.h"

static char *
encode (const char       *input,
        gsize             length,
        MailSmtpDataInfo *info)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = mail_smtp_data_encode ((const guint8 *) input, length, info, &error);
  gsize size = 0;
  const char *data;

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &size);

  return g_strndup (data, size);
}

static char *
encode_str (const char *input)
{
  return encode (input, strlen (input), NULL);
}

/* The invariants of anything encoded: every CR is followed by LF and every LF preceded by
 * CR; the data ends with CRLF.CRLF (or is just ".CRLF"); no other line is a lone "." */
static char *
encode_info (const char       *input,
             MailSmtpDataInfo *info)
{
  return encode (input, strlen (input), info);
}

static void
assert_wire_safe (const char *wire,
                  gsize       length)
{
  g_assert_cmpuint (length, >=, 3);
  g_assert_true (memcmp (wire + length - 3, ".\r\n", 3) == 0);
  if (length > 3)
    g_assert_true (length >= 5 && memcmp (wire + length - 5, "\r\n.\r\n", 5) == 0);

  for (gsize i = 0; i < length; i++)
    {
      if (wire[i] == '\r')
        g_assert_true (i + 1 < length && wire[i + 1] == '\n');
      if (wire[i] == '\n')
        g_assert_true (i > 0 && wire[i - 1] == '\r');
      /* A line that starts with "." is stuffed, except the final one. */
      if (wire[i] == '.' && (i == 0 || wire[i - 1] == '\n') && i != length - 3)
        g_assert_true (i + 1 < length && wire[i + 1] == '.');
    }
}

static void
test_plain (void)
{
  g_autofree char *wire = encode_str ("Subject: hi\r\n\r\nHello\r\n");

  g_assert_cmpstr (wire, ==, "Subject: hi\r\n\r\nHello\r\n.\r\n");
}

static void
test_missing_final_newline (void)
{
  g_autofree char *wire = encode_str ("Subject: hi\r\n\r\nno newline at the end");

  g_assert_cmpstr (wire, ==, "Subject: hi\r\n\r\nno newline at the end\r\n.\r\n");
}

static void
test_empty (void)
{
  g_autofree char *wire = encode_str ("");
  MailSmtpDataInfo info;
  g_autofree char *again = encode ("", 0, &info);

  g_assert_cmpstr (wire, ==, ".\r\n");
  g_assert_cmpuint (info.size, ==, 0);
}

static void
test_bare_lf (void)
{
  g_autofree char *wire = encode_str ("a\nb\n\nc\n");

  g_assert_cmpstr (wire, ==, "a\r\nb\r\n\r\nc\r\n.\r\n");
}

static void
test_bare_cr (void)
{
  g_autofree char *wire = encode_str ("a\rb\r\rc");
  g_autofree char *mixed = encode_str ("a\r\r\nb\n\rc");

  g_assert_cmpstr (wire, ==, "a\r\nb\r\n\r\nc\r\n.\r\n");
  /* CR CR LF: a lone CR, then CRLF. LF CR: two line ends. */
  g_assert_cmpstr (mixed, ==, "a\r\n\r\nb\r\n\r\nc\r\n.\r\n");
}

static void
test_dot_stuffing (void)
{
  g_autofree char *wire = encode_str (".\r\n..\r\n.hidden\r\nmid.dle\r\n. \r\n");
  g_autofree char *first = encode_str (".starts");

  g_assert_cmpstr (wire, ==, "..\r\n...\r\n..hidden\r\nmid.dle\r\n.. \r\n.\r\n");
  g_assert_cmpstr (first, ==, "..starts\r\n.\r\n");
}

/* The SEC Consult smuggling payloads: each must stay inside one message. */
static void
test_smuggling (void)
{
  static const char * const payloads[] = {
    "Subject: x\r\n\r\nbody\r\n.\r\nMAIL FROM:<evil@example.test>\r\n"
    "RCPT TO:<victim@example.test>\r\nDATA\r\n",
    "Subject: x\r\n\r\nbody\n.\nMAIL FROM:<evil@example.test>\n",
    "Subject: x\r\n\r\nbody\r.\rMAIL FROM:<evil@example.test>\r",
    "Subject: x\r\n\r\nbody\r\n.\nMAIL FROM:<evil@example.test>\r\n",
    "Subject: x\r\n\r\nbody\n.\r\nMAIL FROM:<evil@example.test>\r\n",
    "Subject: x\r\n\r\nbody\r.\r\nMAIL FROM:<evil@example.test>\r\n",
    "Subject: x\r\n\r\nbody\r\n.\rMAIL FROM:<evil@example.test>\r\n",
    "Subject: x\r\n\r\nbody\r\n\x00.\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (payloads) - 1; i++)
    {
      g_autofree char *wire = encode_str (payloads[i]);
      gsize length = strlen (wire);
      const char *end = strstr (wire, "\r\n.\r\n");

      g_test_message ("payload %u", i);
      assert_wire_safe (wire, length);
      /* The only end of data is the real one. */
      g_assert_nonnull (end);
      g_assert_cmpuint (end - wire, ==, length - 5);
      g_assert_nonnull (strstr (wire, "\r\n..\r\nMAIL FROM:"));
    }

  /* A NUL byte is refused: no server must carry it. */
  {
    const char *payload = payloads[G_N_ELEMENTS (payloads) - 1];
    gsize length = strlen (payload) + 4;
    g_autoptr (GError) error = NULL;
    g_autoptr (GBytes) bytes = mail_smtp_data_encode ((const guint8 *) payload, length, NULL,
                                                      &error);

    g_assert_null (bytes);
    g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_MESSAGE);
  }
}

static void
test_info (void)
{
  MailSmtpDataInfo info;
  g_autofree char *ascii = encode_str ("A: b\n\n..x\n");
  g_autofree char *body8 = NULL;
  g_autofree char *header8 = NULL;
  g_autofree char *size = NULL;

  body8 = encode_info ("Subject: x\r\n\r\ncaf\xc3\xa9\r\n", &info);
  g_assert_true (info.has_8bit);
  g_assert_false (info.header_8bit);

  header8 = encode_info ("Subject: caf\xc3\xa9\r\n\r\nbody\r\n", &info);
  g_assert_true (info.has_8bit);
  g_assert_true (info.header_8bit);

  /* SIZE counts CRLF line ends and no stuffing: "A: b" CRLF CRLF "..x" CRLF = 13. */
  size = encode_info ("A: b\n\n..x\n", &info);
  g_assert_cmpuint (info.size, ==, 13);
  g_assert_false (info.has_8bit);
  g_assert_cmpstr (size, ==, "A: b\r\n\r\n...x\r\n.\r\n");
}

/* Random messages: whatever goes in, the wire is safe, and un-stuffing it gives back the
 * message with normalised line ends. */
static void
test_random (void)
{
  GRand *rand = g_rand_new_with_seed (2023);
  static const char alphabet[] = "\r\n.ab \xc3";

  for (guint round = 0; round < 5000; round++)
    {
      char input[96];
      gsize length = g_rand_int_range (rand, 0, sizeof input);
      g_autofree char *wire = NULL;
      g_autoptr (GString) expected = g_string_new (NULL);
      g_autoptr (GString) unstuffed = g_string_new (NULL);
      MailSmtpDataInfo info;
      gsize wire_length;

      for (gsize i = 0; i < length; i++)
        input[i] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

      wire = encode (input, length, &info);
      wire_length = strlen (wire);
      assert_wire_safe (wire, wire_length);

      /* The message as it should arrive: line ends normalised, final CRLF added. */
      for (gsize i = 0; i < length; i++)
        {
          if (input[i] == '\r' || input[i] == '\n')
            {
              if (input[i] == '\r' && i + 1 < length && input[i + 1] == '\n')
                i++;
              g_string_append (expected, "\r\n");
            }
          else
            g_string_append_c (expected, input[i]);
        }
      if (expected->len > 0 && !g_str_has_suffix (expected->str, "\r\n"))
        g_string_append (expected, "\r\n");

      /* What a server makes of the wire: undo stuffing line by line, stop at ".". */
      {
        const char *p = wire;

        for (;;)
          {
            const char *eol = strstr (p, "\r\n");

            g_assert_nonnull (eol);
            if (eol - p == 1 && p[0] == '.')
              break;
            if (p[0] == '.')
              p++;
            g_string_append_len (unstuffed, p, eol - p);
            g_string_append (unstuffed, "\r\n");
            p = eol + 2;
          }
        g_assert_cmpstr (p, ==, ".\r\n");
      }

      g_assert_cmpstr (unstuffed->str, ==, expected->str);
      g_assert_cmpuint (info.size, ==, expected->len);
    }

  g_rand_free (rand);
}

static void
test_address_valid (void)
{
  static const struct {
    const char *address;
    gboolean    smtputf8;
    const char *envelope;
  } cases[] = {
    { "bob@example.test", FALSE, "bob@example.test" },
    { "Bob.Smith+tag@Mail.Example.test", FALSE, "Bob.Smith+tag@Mail.Example.test" },
    { "x!#$%&'*+-/=?^_`{|}~@example.test", FALSE, "x!#$%&'*+-/=?^_`{|}~@example.test" },
    { "\"john doe\"@example.test", FALSE, "\"john doe\"@example.test" },
    { "\"a\\\"b\"@example.test", FALSE, "\"a\\\"b\"@example.test" },
    { "\"a@b\"@example.test", FALSE, "\"a@b\"@example.test" },
    { "postmaster@[127.0.0.1]", FALSE, "postmaster@[127.0.0.1]" },
    { "user@[IPv6:2001:db8::1]", FALSE, "user@[IPv6:2001:db8::1]" },
    { "bob@b\xc3\xbc" "cher.example", FALSE, "bob@xn--bcher-kva.example" },
    { "j\xc3\xb6rg@example.test", TRUE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *envelope = NULL;
      g_autofree char *utf8 = NULL;
      gboolean needs = !cases[i].smtputf8;

      g_test_message ("%s", cases[i].address);
      g_assert_true (mail_smtp_address_check (cases[i].address, &needs, &error));
      g_assert_no_error (error);
      g_assert_cmpint (needs, ==, cases[i].smtputf8);

      envelope = mail_smtp_address_to_envelope (cases[i].address, FALSE, &error);
      g_assert_cmpstr (envelope, ==, cases[i].envelope);
      if (envelope == NULL)
        g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_SMTPUTF8_UNSUPPORTED);
      g_clear_error (&error);

      /* With SMTPUTF8 the address goes as it is. */
      utf8 = mail_smtp_address_to_envelope (cases[i].address, TRUE, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (utf8, ==, cases[i].address);
    }
}

static void
test_address_injection (void)
{
  g_autofree char *long_local = g_strnfill (65, 'a');
  g_autofree char *long_local_address = g_strconcat (long_local, "@example.test", NULL);
  g_autofree char *long_domain = g_strnfill (250, 'd');
  g_autofree char *long_address = g_strconcat ("a@", long_domain, ".test", NULL);
  const char *cases[] = {
    "a@b.test>\r\nRCPT TO:<victim@example.test",
    "bob@example.test\r\n",
    "bob@example.test\n",
    "bob@exa\rmple.test",
    "bob\n@example.test",
    "\"bob\r\n\"@example.test",
    "bob@example.test\tx",
    "bob\x01@example.test",
    "bob\x7f@example.test",
    "bob@example.test\x1b[0m",
    "<bob@example.test>",
    "bob@example.test>",
    "Bob <bob@example.test>",
    "bob smith@example.test",
    "bob,carol@example.test",
    "bob@",
    "@example.test",
    "bob",
    "",
    "bob@exa mple.test",
    "bob@-example.test",
    "bob@example..test",
    "bob@example.test.",
    "bob@[127.0.0.1",
    "bob@[1 2]",
    "\"unterminated@example.test",
    "\"a\"b\"@example.test",
    "caf\xe9@example.test",
    long_local_address,
    long_address,
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *envelope = NULL;

      g_test_message ("case %u", i);
      g_assert_false (mail_smtp_address_check (cases[i], NULL, &error));
      g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_ADDRESS);
      /* The message shows control characters escaped, never raw. */
      g_assert_null (strpbrk (error->message, "\r\n\x1b"));
      g_clear_error (&error);

      envelope = mail_smtp_address_to_envelope (cases[i], TRUE, &error);
      g_assert_null (envelope);
      g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_ADDRESS);
    }
}

static void
test_header_check (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (mail_smtp_header_check ("Subject", "Hello, world", &error));
  g_assert_true (mail_smtp_header_check ("X-Long", "folded value  unfolded", &error));
  g_assert_true (mail_smtp_header_check ("Subject", NULL, &error));
  g_assert_no_error (error);

  g_assert_false (mail_smtp_header_check ("Subject", "hi\r\nBcc: victim@example.test", &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_MESSAGE);
  g_clear_error (&error);

  g_assert_false (mail_smtp_header_check ("Subject", "hi\nBcc: victim@example.test", &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_MESSAGE);
  g_clear_error (&error);

  g_assert_false (mail_smtp_header_check ("Subject", "hi\r", &error));
  g_clear_error (&error);

  g_assert_false (mail_smtp_header_check ("Bad Name", "x", &error));
  g_clear_error (&error);
  g_assert_false (mail_smtp_header_check ("Bad:Name", "x", &error));
  g_clear_error (&error);
  g_assert_false (mail_smtp_header_check ("", "x", &error));
  g_clear_error (&error);
  g_assert_false (mail_smtp_header_check ("X-\r\nBcc", "x", &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_INVALID_MESSAGE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/smtp/data/plain", test_plain);
  g_test_add_func ("/mail/smtp/data/missing-final-newline", test_missing_final_newline);
  g_test_add_func ("/mail/smtp/data/empty", test_empty);
  g_test_add_func ("/mail/smtp/data/bare-lf", test_bare_lf);
  g_test_add_func ("/mail/smtp/data/bare-cr", test_bare_cr);
  g_test_add_func ("/mail/smtp/data/dot-stuffing", test_dot_stuffing);
  g_test_add_func ("/mail/smtp/data/smuggling", test_smuggling);
  g_test_add_func ("/mail/smtp/data/info", test_info);
  g_test_add_func ("/mail/smtp/data/random", test_random);
  g_test_add_func ("/mail/smtp/address/valid", test_address_valid);
  g_test_add_func ("/mail/smtp/address/injection", test_address_injection);
  g_test_add_func ("/mail/smtp/header/check", test_header_check);

  return g_test_run ();
}
