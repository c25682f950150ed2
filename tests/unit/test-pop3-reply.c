/* test-pop3-reply.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The pure POP3 reply functions: status lines, response codes, SASL continuations,
 * dot-unstuffing, the STAT/LIST/UIDL/CAPA listings, and what hostile input does to them. */

#include "config.h"

#include <string.h>

#include "mail-net-error.h"
#include "mail-pop3-error.h"
#include "mail-pop3-reply.h"

static gboolean
parse (const char    *line,
       gboolean       allow_continuation,
       MailPop3Reply *reply,
       GError       **error)
{
  return mail_pop3_reply_parse (line, strlen (line), allow_continuation, reply, error);
}

static void
test_status_ok_err (void)
{
  g_autoptr (GError) error = NULL;
  MailPop3Reply reply;

  g_assert_true (parse ("+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>", FALSE,
                        &reply, &error));
  g_assert_no_error (error);
  g_assert_cmpint (reply.status, ==, MAIL_POP3_REPLY_OK);
  g_assert_null (reply.code);
  g_assert_cmpstr (reply.text, ==, "POP3 server ready <1896.697170952@dbc.mtview.ca.us>");
  mail_pop3_reply_clear (&reply);

  g_assert_true (parse ("+OK", FALSE, &reply, &error));
  g_assert_cmpint (reply.status, ==, MAIL_POP3_REPLY_OK);
  g_assert_cmpstr (reply.text, ==, "");
  mail_pop3_reply_clear (&reply);

  g_assert_true (parse ("-ERR", FALSE, &reply, &error));
  g_assert_cmpint (reply.status, ==, MAIL_POP3_REPLY_ERR);
  mail_pop3_reply_clear (&reply);

  /* Servers differ in case. */
  g_assert_true (parse ("+ok fine", FALSE, &reply, &error));
  g_assert_cmpint (reply.status, ==, MAIL_POP3_REPLY_OK);
  mail_pop3_reply_clear (&reply);
  g_assert_true (parse ("-err no", FALSE, &reply, &error));
  g_assert_cmpint (reply.status, ==, MAIL_POP3_REPLY_ERR);
  mail_pop3_reply_clear (&reply);
  g_assert_no_error (error);
}

static void
test_response_codes (void)
{
  static const struct {
    const char *line;
    const char *code;
    const char *text;
  } cases[] = {
    { "-ERR [AUTH] Authentication failed.", "AUTH", "Authentication failed." },
    { "-ERR [IN-USE] Mailbox is locked", "IN-USE", "Mailbox is locked" },
    { "-ERR [SYS/TEMP] try later", "SYS/TEMP", "try later" },
    { "-ERR [SYS/PERM] gone", "SYS/PERM", "gone" },
    { "-ERR [LOGIN-DELAY] wait", "LOGIN-DELAY", "wait" },
    { "-ERR [auth]lower case, no space", "AUTH", "lower case, no space" },
    { "+OK [XYZZY] fine", "XYZZY", "fine" },
    { "-ERR [AUTH]", "AUTH", "" },
    /* Not codes: kept as text. */
    { "-ERR [unterminated", NULL, "[unterminated" },
    { "-ERR [] empty", NULL, "[] empty" },
    { "-ERR [A B] space", NULL, "[A B] space" },
    { "-ERR [SYS//TEMP] empty level", NULL, "[SYS//TEMP] empty level" },
    { "-ERR [/SYS] leading slash", NULL, "[/SYS] leading slash" },
    { "-ERR text [AUTH] later", NULL, "text [AUTH] later" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      MailPop3Reply reply;

      g_test_message ("%s", cases[i].line);
      g_assert_true (parse (cases[i].line, FALSE, &reply, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (reply.code, ==, cases[i].code);
      g_assert_cmpstr (reply.text, ==, cases[i].text);
      mail_pop3_reply_clear (&reply);
    }
}

static void
test_has_code (void)
{
  MailPop3Reply reply;

  g_assert_true (parse ("-ERR [SYS/TEMP] x", FALSE, &reply, NULL));
  g_assert_true (mail_pop3_reply_has_code (&reply, "SYS"));
  g_assert_true (mail_pop3_reply_has_code (&reply, "SYS/TEMP"));
  g_assert_true (mail_pop3_reply_has_code (&reply, "sys/temp"));
  g_assert_false (mail_pop3_reply_has_code (&reply, "SYS/PERM"));
  g_assert_false (mail_pop3_reply_has_code (&reply, "SY"));
  g_assert_false (mail_pop3_reply_has_code (&reply, "AUTH"));
  mail_pop3_reply_clear (&reply);

  g_assert_true (parse ("-ERR plain", FALSE, &reply, NULL));
  g_assert_false (mail_pop3_reply_has_code (&reply, "AUTH"));
  mail_pop3_reply_clear (&reply);
}

static void
test_continuation (void)
{
  g_autoptr (GError) error = NULL;
  MailPop3Reply reply;

  g_assert_true (parse ("+ VXNlcm5hbWU6", TRUE, &reply, &error));
  g_assert_no_error (error);
  g_assert_cmpint (reply.status, ==, MAIL_POP3_REPLY_CONTINUE);
  g_assert_cmpstr (reply.text, ==, "VXNlcm5hbWU6");
  mail_pop3_reply_clear (&reply);

  g_assert_true (parse ("+ ", TRUE, &reply, &error));
  g_assert_cmpint (reply.status, ==, MAIL_POP3_REPLY_CONTINUE);
  g_assert_cmpstr (reply.text, ==, "");
  mail_pop3_reply_clear (&reply);

  g_assert_true (parse ("+", TRUE, &reply, &error));
  g_assert_cmpint (reply.status, ==, MAIL_POP3_REPLY_CONTINUE);
  mail_pop3_reply_clear (&reply);

  /* Only where a continuation is expected. */
  g_assert_false (parse ("+ VXNlcm5hbWU6", FALSE, &reply, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* A challenge is base64. */
  g_assert_false (parse ("+ not\x01" "base64", TRUE, &reply, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
}

static void
test_malformed (void)
{
  static const char * const lines[] = {
    "",
    "OK",
    "+OKAY",
    "+OK\tnot a space",
    "-ERROR",
    "* OK IMAP server",
    "220 smtp.example.test ESMTP",
    "HTTP/1.1 400 Bad Request",
    "\x16\x03\x01\x02\x00",
    "+",
    "-",
  };

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr (GError) error = NULL;
      MailPop3Reply reply;

      g_assert_false (parse (lines[i], FALSE, &reply, &error));
      g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
      g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_PROTOCOL);
      /* The message quotes the line, cleaned: valid UTF-8, no control characters. */
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      for (const char *p = error->message; *p != '\0'; p++)
        g_assert_cmpint ((guchar) *p, >=, 0x20);
    }
}

static void
test_nul_byte (void)
{
  g_autoptr (GError) error = NULL;
  static const char line[] = "+OK hello\0-ERR world";
  MailPop3Reply reply;

  g_assert_false (mail_pop3_reply_parse (line, sizeof line - 1, FALSE, &reply, &error));
  g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
}

static void
test_sanitize (void)
{
  g_autofree char *clean = NULL;
  g_autofree char *invalid = NULL;
  g_autofree char *long_text = NULL;
  g_autofree char *cut = NULL;
  MailPop3Reply reply;

  static const char escapes[] = "a\x1b[31mred\tb\x7f";

  clean = mail_pop3_sanitize_text (escapes, strlen (escapes));
  g_assert_cmpstr (clean, ==, "a?[31mred b?");

  invalid = mail_pop3_sanitize_text ("caf\xe9 ok", 7);
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
  g_assert_true (g_str_has_suffix (invalid, " ok"));

  long_text = g_strnfill (5000, 'x');
  cut = mail_pop3_sanitize_text (long_text, 5000);
  g_assert_cmpuint (strlen (cut), <, 600);
  g_assert_true (g_str_has_suffix (cut, "…"));

  /* A reply's text is cleaned the same way. */
  g_assert_true (parse ("-ERR [AUTH] \x1b]0;pwned\x07", FALSE, &reply, NULL));
  g_assert_cmpstr (reply.text, ==, "?]0;pwned?");
  mail_pop3_reply_clear (&reply);
}

static void
test_unstuff (void)
{
  const char *data;
  gsize length;

  g_assert_true (mail_pop3_multiline_unstuff (".", 1, &data, &length));
  g_assert_cmpuint (length, ==, 0);

  g_assert_false (mail_pop3_multiline_unstuff ("..", 2, &data, &length));
  g_assert_cmpuint (length, ==, 1);
  g_assert_cmpint (data[0], ==, '.');

  g_assert_false (mail_pop3_multiline_unstuff ("..hidden", 8, &data, &length));
  g_assert_cmpuint (length, ==, 7);
  g_assert_true (strncmp (data, ".hidden", length) == 0);

  /* RFC 1939 only requires the server to stuff lines starting with "."; a lone leading
   * dot on another line is removed all the same. */
  g_assert_false (mail_pop3_multiline_unstuff (".x", 2, &data, &length));
  g_assert_cmpuint (length, ==, 1);
  g_assert_cmpint (data[0], ==, 'x');

  g_assert_false (mail_pop3_multiline_unstuff ("", 0, &data, &length));
  g_assert_cmpuint (length, ==, 0);

  g_assert_false (mail_pop3_multiline_unstuff ("text.", 5, &data, &length));
  g_assert_cmpuint (length, ==, 5);

  /* ". " is content, not the end. */
  g_assert_false (mail_pop3_multiline_unstuff (". ", 2, &data, &length));
  g_assert_cmpuint (length, ==, 1);
}

/* A whole multi-line reply, unstuffed line by line as the client does. */
static void
test_unstuff_message (void)
{
  static const char *lines[] = {
    "Subject: dots", "", "..", "...", "..leading", "normal.", ".", "not reached",
  };
  g_autoptr (GString) body = g_string_new (NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      const char *data;
      gsize length;

      if (mail_pop3_multiline_unstuff (lines[i], strlen (lines[i]), &data, &length))
        break;
      g_string_append_len (body, data, length);
      g_string_append (body, "\r\n");
    }

  g_assert_cmpuint (i, ==, 6);
  g_assert_cmpstr (body->str, ==, "Subject: dots\r\n\r\n.\r\n..\r\n.leading\r\nnormal.\r\n");
}

static void
test_stat (void)
{
  g_autoptr (GError) error = NULL;
  guint count = 0;
  guint64 size = 0;

  g_assert_true (mail_pop3_parse_stat ("2 320", &count, &size, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 2);
  g_assert_cmpuint (size, ==, 320);

  g_assert_true (mail_pop3_parse_stat ("0 0", &count, &size, &error));
  g_assert_cmpuint (count, ==, 0);

  g_assert_true (mail_pop3_parse_stat ("3 4294967296000 extra text", &count, &size, &error));
  g_assert_cmpuint (size, ==, G_GUINT64_CONSTANT (4294967296000));

  g_assert_true (mail_pop3_parse_stat ("1  2", &count, &size, &error));

  {
    static const char * const bad[] = {
      "", "2", "2 ", "a b", "-1 5", "2 -5", "+2 5", "2 5x", "4294967296 1",
      "1 18446744073709551616", "99999999999999999999999 1",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr (GError) local_error = NULL;

        g_test_message ("%s", bad[i]);
        g_assert_false (mail_pop3_parse_stat (bad[i], &count, &size, &local_error));
        g_assert_error (local_error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
      }
  }
}

static void
test_scan_listing (void)
{
  static const char * const bad[] = {
    "", "0 100", "1", "1 ", "x 1", "1 x", "1 1x", "1\t100", "4294967296 1",
    "1 18446744073709551616",
  };
  guint number = 0;
  guint64 size = 0;

  g_assert_true (mail_pop3_parse_scan_listing ("1 120", 5, &number, &size, NULL));
  g_assert_cmpuint (number, ==, 1);
  g_assert_cmpuint (size, ==, 120);

  g_assert_true (mail_pop3_parse_scan_listing ("4294967295 18446744073709551615", 31, &number,
                                               &size, NULL));
  g_assert_cmpuint (number, ==, G_MAXUINT32);
  g_assert_cmpuint (size, ==, G_MAXUINT64);

  g_assert_true (mail_pop3_parse_scan_listing ("7 200 more info", 15, &number, &size, NULL));
  g_assert_cmpuint (number, ==, 7);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;

      g_test_message ("%s", bad[i]);
      g_assert_false (mail_pop3_parse_scan_listing (bad[i], strlen (bad[i]), &number, &size,
                                                    &error));
      g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
    }
}

static void
test_unique_id_listing (void)
{
  g_autofree char *seventy = g_strnfill (70, 'u');
  g_autofree char *seventy_one = g_strnfill (71, 'u');
  g_autofree char *line70 = g_strdup_printf ("3 %s", seventy);
  g_autofree char *line71 = g_strdup_printf ("3 %s", seventy_one);
  char *uid = NULL;
  guint number = 0;

  g_assert_true (mail_pop3_parse_unique_id_listing ("1 whqtswO00WBw418f9t5JxYwZ", 26, &number,
                                                    &uid, NULL));
  g_assert_cmpuint (number, ==, 1);
  g_assert_cmpstr (uid, ==, "whqtswO00WBw418f9t5JxYwZ");
  g_clear_pointer (&uid, g_free);

  /* Dovecot's default form, and trailing spaces. */
  g_assert_true (mail_pop3_parse_unique_id_listing ("2 00000001631c5bb1  ", 20, &number, &uid,
                                                    NULL));
  g_assert_cmpstr (uid, ==, "00000001631c5bb1");
  g_clear_pointer (&uid, g_free);

  /* "/" and ".." are valid id characters; they are never used as file names. */
  g_assert_true (mail_pop3_parse_unique_id_listing ("4 ../../etc", 11, &number, &uid, NULL));
  g_assert_cmpstr (uid, ==, "../../etc");
  g_clear_pointer (&uid, g_free);

  g_assert_true (mail_pop3_parse_unique_id_listing (line70, strlen (line70), &number, &uid,
                                                    NULL));
  g_assert_cmpuint (strlen (uid), ==, 70);
  g_clear_pointer (&uid, g_free);

  {
    const char *bad[] = {
      "", "1", "1 ", "0 abc", "x abc", "1 a b", "1 a\tb", "1 caf\xc3\xa9", "1 a\x7f",
      line71,
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr (GError) error = NULL;

        g_test_message ("%s", bad[i]);
        g_assert_false (mail_pop3_parse_unique_id_listing (bad[i], strlen (bad[i]), &number,
                                                           &uid, &error));
        g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
        g_assert_null (uid);
      }
  }

  {
    g_autoptr (GError) error = NULL;
    static const char with_nul[] = "1 ab\0cd";

    g_assert_false (mail_pop3_parse_unique_id_listing (with_nul, sizeof with_nul - 1, &number,
                                                       &uid, &error));
    g_assert_error (error, MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL);
  }
}

static void
test_capability (void)
{
  static const struct {
    const char *line;
    const char *expected;
  } cases[] = {
    { "TOP", "TOP" },
    { "uidl", "UIDL" },
    { "SASL PLAIN LOGIN", "SASL PLAIN LOGIN" },
    { "sasl plain login", "SASL plain login" },
    { "  PIPELINING  ", "PIPELINING" },
    { "IMPLEMENTATION\tDovecot", "IMPLEMENTATION Dovecot" },
    { "", NULL },
    { "   ", NULL },
    { "STLS\x1b[0m", NULL },
    { "caf\xc3\xa9", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *capability = mail_pop3_parse_capability (cases[i].line,
                                                                strlen (cases[i].line));

      g_assert_cmpstr (capability, ==, cases[i].expected);
    }
}

static void
test_error_categories (void)
{
  g_autoptr (GError) auth = g_error_new_literal (MAIL_POP3_ERROR, MAIL_POP3_ERROR_AUTH_FAILED, "x");
  g_autoptr (GError) in_use = g_error_new_literal (MAIL_POP3_ERROR, MAIL_POP3_ERROR_IN_USE, "x");
  g_autoptr (GError) protocol = g_error_new_literal (MAIL_POP3_ERROR, MAIL_POP3_ERROR_PROTOCOL,
                                                     "x");
  g_autoptr (GError) temp = g_error_new_literal (MAIL_POP3_ERROR, MAIL_POP3_ERROR_SYS_TEMP, "x");
  g_autoptr (GError) perm = g_error_new_literal (MAIL_POP3_ERROR, MAIL_POP3_ERROR_SYS_PERM, "x");

  g_assert_cmpint (mail_error_categorize (auth), ==, MAIL_ERROR_CATEGORY_AUTH_FAILED);
  g_assert_cmpint (mail_error_categorize (in_use), ==, MAIL_ERROR_CATEGORY_PROTOCOL);
  g_assert_cmpint (mail_error_categorize (protocol), ==, MAIL_ERROR_CATEGORY_PROTOCOL);

  g_assert_true (mail_pop3_error_is_temporary (in_use));
  g_assert_true (mail_pop3_error_is_temporary (temp));
  g_assert_false (mail_pop3_error_is_temporary (perm));
  g_assert_false (mail_pop3_error_is_temporary (auth));
  g_assert_false (mail_pop3_error_is_temporary (NULL));
}

/* Whatever arrives, the parsers neither crash nor accept garbage silently. */
static void
test_random_lines (void)
{
  GRand *rand = g_rand_new_with_seed (1939);

  for (guint round = 0; round < 20000; round++)
    {
      guint8 line[64];
      gsize length = g_rand_int_range (rand, 0, sizeof line);
      MailPop3Reply reply;
      char *uid = NULL;
      char *capability;
      const char *data;
      gsize data_length;
      guint number;
      guint64 size;
      static const char alphabet[] = "+-OKERokr []/ .0123456789AUTHSYS\r\n\x00\x7f\xff";

      for (gsize i = 0; i < length; i++)
        line[i] = (guint8) alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

      if (mail_pop3_reply_parse ((const char *) line, length, round % 2, &reply, NULL))
        {
          g_assert_nonnull (reply.text);
          g_assert_true (g_utf8_validate (reply.text, -1, NULL));
          mail_pop3_reply_clear (&reply);
        }

      if (mail_pop3_parse_unique_id_listing ((const char *) line, length, &number, &uid, NULL))
        {
          g_assert_cmpuint (number, >, 0);
          g_assert_cmpuint (strlen (uid), <=, MAIL_POP3_MAX_UID_LENGTH);
          g_free (uid);
        }

      if (mail_pop3_parse_scan_listing ((const char *) line, length, &number, &size, NULL))
        g_assert_cmpuint (number, >, 0);

      capability = mail_pop3_parse_capability ((const char *) line, length);
      g_free (capability);

      mail_pop3_multiline_unstuff ((const char *) line, length, &data, &data_length);
      g_assert_cmpuint (data_length, <=, length);
    }

  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/pop3/reply/status", test_status_ok_err);
  g_test_add_func ("/mail/pop3/reply/response-codes", test_response_codes);
  g_test_add_func ("/mail/pop3/reply/has-code", test_has_code);
  g_test_add_func ("/mail/pop3/reply/continuation", test_continuation);
  g_test_add_func ("/mail/pop3/reply/malformed", test_malformed);
  g_test_add_func ("/mail/pop3/reply/nul-byte", test_nul_byte);
  g_test_add_func ("/mail/pop3/reply/sanitize", test_sanitize);
  g_test_add_func ("/mail/pop3/multiline/unstuff", test_unstuff);
  g_test_add_func ("/mail/pop3/multiline/message", test_unstuff_message);
  g_test_add_func ("/mail/pop3/listing/stat", test_stat);
  g_test_add_func ("/mail/pop3/listing/scan", test_scan_listing);
  g_test_add_func ("/mail/pop3/listing/unique-id", test_unique_id_listing);
  g_test_add_func ("/mail/pop3/listing/capability", test_capability);
  g_test_add_func ("/mail/pop3/error/categories", test_error_categories);
  g_test_add_func ("/mail/pop3/reply/random", test_random_lines);

  return g_test_run ();
}
