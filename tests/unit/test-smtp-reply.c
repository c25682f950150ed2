/* test-smtp-reply.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The pure SMTP reply parser: single and multi-line replies, enhanced status codes,
 * malformed and hostile replies, limits, EHLO keywords, and the error domain. */

#include "config.h"

#include <string.h>

#include "mail-net-error.h"
#include "mail-smtp-error.h"
#include "mail-smtp-reply.h"

static MailSmtpReply *
parse (const char  *text,
       GError     **error)
{
  return mail_smtp_reply_parse (text, strlen (text), error);
}

static void
test_single_line (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpReply) reply = parse ("250 2.1.0 Ok\r\n", &error);
  g_autofree char *text = NULL;
  g_autofree char *description = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_assert_cmpuint (mail_smtp_reply_get_code (reply), ==, 250);
  g_assert_cmpstr (mail_smtp_reply_get_enhanced_code (reply), ==, "2.1.0");
  g_assert_cmpuint (g_strv_length ((char **) mail_smtp_reply_get_lines (reply)), ==, 1);
  g_assert_cmpstr (mail_smtp_reply_get_lines (reply)[0], ==, "Ok");
  g_assert_true (mail_smtp_reply_is_positive (reply));
  g_assert_false (mail_smtp_reply_is_intermediate (reply));
  g_assert_false (mail_smtp_reply_is_transient (reply));
  g_assert_false (mail_smtp_reply_is_permanent (reply));

  text = mail_smtp_reply_dup_text (reply);
  g_assert_cmpstr (text, ==, "Ok");
  description = mail_smtp_reply_describe (reply);
  g_assert_cmpstr (description, ==, "250 2.1.0 Ok");
}

static void
test_bare_code (void)
{
  g_autoptr (MailSmtpReply) reply = parse ("354\r\n", NULL);
  g_autoptr (MailSmtpReply) spaced = parse ("221 \r\n", NULL);
  g_autofree char *description = NULL;

  g_assert_nonnull (reply);
  g_assert_cmpuint (mail_smtp_reply_get_code (reply), ==, 354);
  g_assert_true (mail_smtp_reply_is_intermediate (reply));
  g_assert_null (mail_smtp_reply_get_enhanced_code (reply));
  description = mail_smtp_reply_describe (reply);
  g_assert_cmpstr (description, ==, "354");

  g_assert_nonnull (spaced);
  g_assert_cmpuint (mail_smtp_reply_get_code (spaced), ==, 221);
}

static void
test_multi_line (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpReply) reply = NULL;
  const char * const *lines;

  reply = parse ("250-mail.example.test\r\n"
                 "250-PIPELINING\r\n"
                 "250-SIZE 26214400\r\n"
                 "250-ETRN\r\n"
                 "250-ENHANCEDSTATUSCODES\r\n"
                 "250-8BITMIME\r\n"
                 "250 SMTPUTF8\r\n",
                 &error);
  g_assert_no_error (error);
  lines = mail_smtp_reply_get_lines (reply);
  g_assert_cmpuint (g_strv_length ((char **) lines), ==, 7);
  g_assert_cmpstr (lines[0], ==, "mail.example.test");
  g_assert_cmpstr (lines[6], ==, "SMTPUTF8");
  g_assert_null (mail_smtp_reply_get_enhanced_code (reply));

  /* Bare LF line ends, and a multi-line error with its code on every line. */
  g_clear_pointer (&reply, mail_smtp_reply_unref);
  reply = parse ("550-5.1.1 The email account that you tried to reach does not exist.\n"
                 "550-5.1.1 Please try double-checking the recipient's email\n"
                 "550 5.1.1 address for typos.\n",
                 &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mail_smtp_reply_get_code (reply), ==, 550);
  g_assert_cmpstr (mail_smtp_reply_get_enhanced_code (reply), ==, "5.1.1");
  g_assert_true (mail_smtp_reply_is_permanent (reply));
  lines = mail_smtp_reply_get_lines (reply);
  g_assert_cmpstr (lines[1], ==, "Please try double-checking the recipient's email");

  {
    g_autofree char *text = mail_smtp_reply_dup_text (reply);

    g_assert_true (g_str_has_prefix (text, "The email account"));
    g_assert_true (g_str_has_suffix (text, "address for typos."));
  }
}

static void
test_incremental (void)
{
  g_autoptr (MailSmtpReplyParser) parser = mail_smtp_reply_parser_new ();
  g_autoptr (GError) error = NULL;
  MailSmtpReply *reply = NULL;

  g_assert_true (mail_smtp_reply_parser_feed (parser, "220-first", 9, &reply, &error));
  g_assert_null (reply);
  g_assert_true (mail_smtp_reply_parser_feed (parser, "220-second", 10, &reply, &error));
  g_assert_null (reply);
  g_assert_true (mail_smtp_reply_parser_feed (parser, "220 last", 8, &reply, &error));
  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_assert_cmpuint (g_strv_length ((char **) mail_smtp_reply_get_lines (reply)), ==, 3);
  mail_smtp_reply_unref (reply);

  /* The parser is ready for the next reply. */
  g_assert_true (mail_smtp_reply_parser_feed (parser, "421 4.3.2 bye", 13, &reply, &error));
  g_assert_nonnull (reply);
  g_assert_true (mail_smtp_reply_is_transient (reply));
  g_assert_cmpstr (mail_smtp_reply_get_enhanced_code (reply), ==, "4.3.2");
  mail_smtp_reply_unref (reply);
}

static void
test_enhanced_codes (void)
{
  static const struct {
    const char *text;
    const char *enhanced;
    const char *line;
  } cases[] = {
    { "250 2.0.0 Ok: queued as 4Abc", "2.0.0", "Ok: queued as 4Abc" },
    { "550 5.7.1 Relay access denied", "5.7.1", "Relay access denied" },
    { "452 4.3.1 Insufficient system storage", "4.3.1", "Insufficient system storage" },
    { "535 5.7.8 Error: authentication failed: x", "5.7.8", "Error: authentication failed: x" },
    { "250 2.123.456 three digits", "2.123.456", "three digits" },
    { "250 2.0.0", "2.0.0", "" },
    /* Not enhanced codes: the class must match, parts must be 1 to 3 digits. */
    { "550 4.1.1 class mismatch", NULL, "4.1.1 class mismatch" },
    { "250 2.0 too short", NULL, "2.0 too short" },
    { "250 2.1234.0 too long", NULL, "2.1234.0 too long" },
    { "250 2.0.0x glued", NULL, "2.0.0x glued" },
    { "250 2..0 empty", NULL, "2..0 empty" },
    { "354 3.0.0 no class 3", NULL, "3.0.0 no class 3" },
    { "250 v2.0.0 prefix", NULL, "v2.0.0 prefix" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MailSmtpReply) reply = parse (cases[i].text, &error);

      g_test_message ("%s", cases[i].text);
      g_assert_no_error (error);
      g_assert_cmpstr (mail_smtp_reply_get_enhanced_code (reply), ==, cases[i].enhanced);
      g_assert_cmpstr (mail_smtp_reply_get_lines (reply)[0], ==, cases[i].line);
    }
}

static void
test_malformed (void)
{
  static const char * const cases[] = {
    "",
    "\r\n",
    "25\r\n",
    "2500 Ok\r\n",
    "250Ok\r\n",
    "250_Ok\r\n",
    "abc Ok\r\n",
    "150 one hundred\r\n",
    "650 six hundred\r\n",
    "050 zero\r\n",
    " 250 leading space\r\n",
    "+OK pop3\r\n",
    "* OK imap\r\n",
    /* The code changes within a reply. */
    "250-first\r\n251 second\r\n",
    /* Two replies where one is expected (a server that answers ahead). */
    "250 one\r\n250 two\r\n",
    /* A reply that does not end. */
    "250-first\r\n250-second\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MailSmtpReply) reply = parse (cases[i], &error);

      g_test_message ("case %u", i);
      g_assert_null (reply);
      g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL);
      g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_PROTOCOL);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

static void
test_nul_and_controls (void)
{
  static const char with_nul[] = "250 Ok\0\r\n250 smuggled\r\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (MailSmtpReply) reply = NULL;

  reply = mail_smtp_reply_parse (with_nul, sizeof with_nul - 1, &error);
  g_assert_null (reply);
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* Control characters in the text are kept out of what people see. */
  reply = parse ("554 5.7.1 \x1b[2J\x1b]0;owned\x07 go away\r\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mail_smtp_reply_get_lines (reply)[0], ==, "?[2J?]0;owned? go away");
  g_clear_pointer (&reply, mail_smtp_reply_unref);

  reply = parse ("250 caf\xe9\r\n", &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (mail_smtp_reply_get_lines (reply)[0], -1, NULL));
}

static void
test_limits (void)
{
  g_autoptr (MailSmtpReplyParser) parser = mail_smtp_reply_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) long_line = g_string_new ("250 ");
  MailSmtpReply *reply = NULL;

  /* A line just within the limit, then one over it. */
  while (long_line->len < MAIL_SMTP_REPLY_MAX_LINE_LENGTH)
    g_string_append_c (long_line, 'x');
  g_assert_true (mail_smtp_reply_parser_feed (parser, long_line->str, long_line->len, &reply,
                                              &error));
  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_clear_pointer (&reply, mail_smtp_reply_unref);

  g_string_append_c (long_line, 'x');
  g_assert_false (mail_smtp_reply_parser_feed (parser, long_line->str, long_line->len, &reply,
                                               &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL);
  g_assert_null (reply);
  g_clear_error (&error);

  /* As many lines as allowed, then one more. */
  for (guint i = 0; i < MAIL_SMTP_REPLY_MAX_LINES - 1; i++)
    g_assert_true (mail_smtp_reply_parser_feed (parser, "250-x", 5, &reply, &error));
  g_assert_true (mail_smtp_reply_parser_feed (parser, "250 x", 5, &reply, &error));
  g_assert_nonnull (reply);
  g_assert_cmpuint (g_strv_length ((char **) mail_smtp_reply_get_lines (reply)), ==,
                    MAIL_SMTP_REPLY_MAX_LINES);
  g_clear_pointer (&reply, mail_smtp_reply_unref);

  for (guint i = 0; i < MAIL_SMTP_REPLY_MAX_LINES; i++)
    g_assert_true (mail_smtp_reply_parser_feed (parser, "250-x", 5, &reply, &error));
  g_assert_false (mail_smtp_reply_parser_feed (parser, "250-x", 5, &reply, &error));
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* After an error the parser starts over. */
  g_assert_true (mail_smtp_reply_parser_feed (parser, "221 bye", 7, &reply, &error));
  g_assert_nonnull (reply);
  g_clear_pointer (&reply, mail_smtp_reply_unref);
}

static void
test_ehlo (void)
{
  g_autoptr (MailSmtpReply) reply = NULL;
  MailSmtpEhlo ehlo;

  reply = parse ("250-mail.example.test Hello [127.0.0.1]\r\n"
                 "250-pipelining\r\n"
                 "250-SIZE 26214400\r\n"
                 "250-VRFY\r\n"
                 "250-AUTH PLAIN LOGIN plain\r\n"
                 "250-AUTH=LOGIN CRAM-MD5\r\n"
                 "250-ENHANCEDSTATUSCODES\r\n"
                 "250-8BITMIME\r\n"
                 "250-DSN\r\n"
                 "250-CHUNKING\r\n"
                 "250-SMTPUTF8\r\n"
                 "250-STARTTLS\r\n"
                 "250-X-BAD\x01LINE\r\n"
                 "250-\r\n"
                 "250 -notakeyword\r\n",
                 NULL);
  g_assert_nonnull (reply);

  mail_smtp_ehlo_parse (reply, &ehlo);
  g_assert_cmpuint (ehlo.extensions, ==,
                    MAIL_SMTP_EXTENSION_PIPELINING | MAIL_SMTP_EXTENSION_SIZE
                    | MAIL_SMTP_EXTENSION_AUTH | MAIL_SMTP_EXTENSION_ENHANCEDSTATUSCODES
                    | MAIL_SMTP_EXTENSION_8BITMIME | MAIL_SMTP_EXTENSION_DSN
                    | MAIL_SMTP_EXTENSION_CHUNKING | MAIL_SMTP_EXTENSION_SMTPUTF8
                    | MAIL_SMTP_EXTENSION_STARTTLS);
  g_assert_cmpuint (ehlo.max_size, ==, 26214400);

  g_assert_cmpuint (g_strv_length (ehlo.auth_mechanisms), ==, 3);
  g_assert_cmpstr (ehlo.auth_mechanisms[0], ==, "PLAIN");
  g_assert_cmpstr (ehlo.auth_mechanisms[1], ==, "LOGIN");
  g_assert_cmpstr (ehlo.auth_mechanisms[2], ==, "CRAM-MD5");

  g_assert_true (g_strv_contains ((const char * const *) ehlo.capabilities, "PIPELINING"));
  g_assert_true (g_strv_contains ((const char * const *) ehlo.capabilities, "SIZE 26214400"));
  g_assert_true (g_strv_contains ((const char * const *) ehlo.capabilities,
                                  "AUTH PLAIN LOGIN plain"));
  g_assert_false (g_strv_contains ((const char * const *) ehlo.capabilities,
                                   "mail.example.test Hello [127.0.0.1]"));
  for (guint i = 0; ehlo.capabilities[i] != NULL; i++)
    g_assert_null (strchr (ehlo.capabilities[i], '?'));

  mail_smtp_ehlo_clear (&ehlo);
  g_assert_null (ehlo.capabilities);
  g_assert_cmpuint (ehlo.extensions, ==, 0);
}

static void
test_ehlo_size (void)
{
  static const struct {
    const char *line;
    guint64     size;
  } cases[] = {
    { "250 SIZE 1000", 1000 },
    { "250 SIZE", 0 },
    { "250 SIZE 0", 0 },
    { "250 SIZE 18446744073709551615", G_MAXUINT64 },
    { "250 SIZE 18446744073709551616", 0 },
    { "250 SIZE 99999999999999999999999999", 0 },
    { "250 SIZE -5", 0 },
    { "250 SIZE 12abc", 0 },
    { "250 SIZE 0x1000", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("250-host\r\n%s\r\n", cases[i].line);
      g_autoptr (MailSmtpReply) reply = parse (text, NULL);
      MailSmtpEhlo ehlo;

      g_test_message ("%s", cases[i].line);
      mail_smtp_ehlo_parse (reply, &ehlo);
      g_assert_true ((ehlo.extensions & MAIL_SMTP_EXTENSION_SIZE) != 0);
      g_assert_cmpuint (ehlo.max_size, ==, cases[i].size);
      mail_smtp_ehlo_clear (&ehlo);
    }
}

static void
test_ehlo_single_line (void)
{
  g_autoptr (MailSmtpReply) reply = parse ("250 mail.example.test\r\n", NULL);
  MailSmtpEhlo ehlo;

  mail_smtp_ehlo_parse (reply, &ehlo);
  g_assert_cmpuint (ehlo.extensions, ==, MAIL_SMTP_EXTENSION_NONE);
  g_assert_cmpuint (g_strv_length (ehlo.capabilities), ==, 0);
  g_assert_cmpuint (g_strv_length (ehlo.auth_mechanisms), ==, 0);
  mail_smtp_ehlo_clear (&ehlo);
}

static void
test_error_reply (void)
{
  g_autoptr (MailSmtpReply) reply = parse ("550 5.1.1 <nobody@example.test>: unknown\r\n", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) copy = NULL;
  g_autoptr (GError) auth = NULL;
  g_autoptr (GError) transient = NULL;
  MailSmtpReply *attached;

  error = mail_smtp_error_new_reply (MAIL_SMTP_ERROR_PERMANENT, reply, "Refused.");
  g_assert_error (error, MAIL_SMTP_ERROR, MAIL_SMTP_ERROR_PERMANENT);
  attached = mail_smtp_error_get_reply (error);
  g_assert_true (attached == reply);

  /* The reply survives a copy (as through GTask). */
  copy = g_error_copy (error);
  attached = mail_smtp_error_get_reply (copy);
  g_assert_nonnull (attached);
  g_assert_cmpuint (mail_smtp_reply_get_code (attached), ==, 550);
  g_assert_cmpstr (mail_smtp_reply_get_enhanced_code (attached), ==, "5.1.1");

  g_assert_null (mail_smtp_error_get_reply (NULL));
  {
    g_autoptr (GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

    g_assert_null (mail_smtp_error_get_reply (other));
  }

  auth = mail_smtp_error_new_reply (MAIL_SMTP_ERROR_AUTH_FAILED, NULL, "No.");
  g_assert_cmpint (mail_error_categorize (auth), ==, MAIL_ERROR_CATEGORY_AUTH_FAILED);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_PROTOCOL);
  g_assert_null (mail_smtp_error_get_reply (auth));

  transient = mail_smtp_error_new_reply (MAIL_SMTP_ERROR_TRANSIENT, NULL, "Later.");
  g_assert_true (mail_smtp_error_is_transient (transient));
  g_assert_false (mail_smtp_error_is_transient (error));
}

static void
test_new (void)
{
  static const char * const lines[] = { "one", "two", NULL };
  g_autoptr (MailSmtpReply) reply = mail_smtp_reply_new (451, "4.7.1", lines);
  g_autofree char *description = mail_smtp_reply_describe (reply);

  g_assert_cmpstr (description, ==, "451 4.7.1 one two");
  g_assert_true (mail_smtp_reply_is_transient (reply));

  g_assert_true (g_type_is_a (MAIL_TYPE_SMTP_REPLY, G_TYPE_BOXED));
}

/* Random input: no crash, and what is accepted is sane. */
static void
test_random (void)
{
  g_autoptr (MailSmtpReplyParser) parser = mail_smtp_reply_parser_new ();
  GRand *rand = g_rand_new_with_seed (5321);
  static const char alphabet[] = "2345 -.0123456789AUTHSIZE\t\x01\x7f\xc3\xa9";

  for (guint round = 0; round < 20000; round++)
    {
      char line[48];
      gsize length = g_rand_int_range (rand, 0, sizeof line);
      MailSmtpReply *reply = NULL;

      for (gsize i = 0; i < length; i++)
        line[i] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

      if (mail_smtp_reply_parser_feed (parser, line, length, &reply, NULL) && reply != NULL)
        {
          MailSmtpEhlo ehlo;
          guint code = mail_smtp_reply_get_code (reply);
          const char *enhanced = mail_smtp_reply_get_enhanced_code (reply);

          g_assert_cmpuint (code, >=, 200);
          g_assert_cmpuint (code, <=, 599);
          if (enhanced != NULL)
            g_assert_cmpint (enhanced[0], ==, '0' + code / 100);
          for (const char * const *l = mail_smtp_reply_get_lines (reply); *l != NULL; l++)
            g_assert_true (g_utf8_validate (*l, -1, NULL));

          mail_smtp_ehlo_parse (reply, &ehlo);
          mail_smtp_ehlo_clear (&ehlo);
          mail_smtp_reply_unref (reply);
        }
    }

  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/smtp/reply/single-line", test_single_line);
  g_test_add_func ("/mail/smtp/reply/bare-code", test_bare_code);
  g_test_add_func ("/mail/smtp/reply/multi-line", test_multi_line);
  g_test_add_func ("/mail/smtp/reply/incremental", test_incremental);
  g_test_add_func ("/mail/smtp/reply/enhanced-codes", test_enhanced_codes);
  g_test_add_func ("/mail/smtp/reply/malformed", test_malformed);
  g_test_add_func ("/mail/smtp/reply/nul-and-controls", test_nul_and_controls);
  g_test_add_func ("/mail/smtp/reply/limits", test_limits);
  g_test_add_func ("/mail/smtp/reply/new", test_new);
  g_test_add_func ("/mail/smtp/reply/random", test_random);
  g_test_add_func ("/mail/smtp/ehlo/keywords", test_ehlo);
  g_test_add_func ("/mail/smtp/ehlo/size", test_ehlo_size);
  g_test_add_func ("/mail/smtp/ehlo/single-line", test_ehlo_single_line);
  g_test_add_func ("/mail/smtp/error/reply", test_error_reply);

  return g_test_run ();
}
