/* test-imap-literal-stream.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The parser's streamed literals (mail_imap_parser_set_literal_funcs()): which literals are
 * offered and with what, bytes handed on in order however the input is cut, the parsed
 * response's marker, the limits of kept and streamed literals, refusals, and feeding one
 * response at a time. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "mail-imap-error.h"
#include "mail-imap-parser.h"

/* What the functions saw, and what they answer. */
typedef struct
{
  MailImapLiteralAction  action;
  /* With action STREAM: keep the first literal offered, stream the others. */
  gboolean               keep_first;
  GString               *offers;
  GString               *data;
  guint                  n_begin;
  guint                  n_end;
  gboolean               in_literal;
} Consumer;

static MailImapLiteralAction
begin_cb (const MailImapBodyInfo  *info,
          gpointer                 user_data,
          GError                 **error)
{
  Consumer *consumer = user_data;
  static const char * const kinds[] = { "BODY", "BINARY", "BINARY.SIZE", "RFC822",
                                        "RFC822.HEADER", "RFC822.TEXT" };

  g_assert_false (consumer->in_literal);
  g_string_append_printf (consumer->offers, "%u %u %s[%s]", info->seq, info->uid,
                          kinds[info->kind], info->section);
  if (info->has_origin)
    g_string_append_printf (consumer->offers, "<%" G_GUINT64_FORMAT ">", info->origin);
  g_string_append_printf (consumer->offers, " %" G_GUINT64_FORMAT ";", info->size);

  if (consumer->keep_first && consumer->n_begin++ == 0)
    return MAIL_IMAP_LITERAL_KEEP;

  if (consumer->action == MAIL_IMAP_LITERAL_REFUSE)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, "too large");
  else if (consumer->action == MAIL_IMAP_LITERAL_STREAM)
    consumer->in_literal = TRUE;

  return consumer->action;
}

static void
data_cb (const guint8 *data,
         gsize         len,
         gpointer      user_data)
{
  Consumer *consumer = user_data;

  g_assert_true (consumer->in_literal);
  g_assert_cmpuint (len, >, 0);
  g_string_append_len (consumer->data, (const char *) data, (gssize) len);
}

static void
end_cb (gpointer user_data)
{
  Consumer *consumer = user_data;

  g_assert_true (consumer->in_literal);
  consumer->in_literal = FALSE;
  consumer->n_end++;
}

static const MailImapLiteralFuncs funcs = { begin_cb, data_cb, end_cb };

static void
consumer_init (Consumer              *consumer,
               MailImapLiteralAction  action)
{
  memset (consumer, 0, sizeof *consumer);
  consumer->action = action;
  consumer->offers = g_string_new (NULL);
  consumer->data = g_string_new (NULL);
}

static void
consumer_clear (Consumer *consumer)
{
  g_string_free (consumer->offers, TRUE);
  g_string_free (consumer->data, TRUE);
}

/* Feeds @text to a parser with @consumer in pieces of @piece bytes (0: at once) and
 * returns the one response it makes. */
static MailImapResponse *
parse_with (const char                 *text,
            gsize                       piece,
            Consumer                   *consumer,
            const MailImapParserLimits *limits,
            GError                    **error)
{
  g_autoptr (MailImapParser) parser = mail_imap_parser_new (limits);
  MailImapResponse *response = NULL;
  gsize len = strlen (text);

  mail_imap_parser_set_literal_funcs (parser, &funcs, consumer);
  if (piece == 0)
    piece = len;
  for (gsize i = 0; i < len; i += piece)
    mail_imap_parser_feed (parser, text + i, MIN (piece, len - i));

  if (mail_imap_parser_next (parser, &response, error) != MAIL_IMAP_PARSE_RESPONSE)
    return NULL;
  g_assert_cmpint (mail_imap_parser_next (parser, NULL, NULL), ==, MAIL_IMAP_PARSE_NEED_MORE);
  g_assert_false (mail_imap_parser_has_buffered_data (parser));

  return response;
}

/* A body goes to the consumer byte for byte however the input is cut, and the response
 * holds a marker with its size; the items after it are read as usual. */
static void
test_stream_body (void)
{
  static const char text[] = "* 12 FETCH (UID 7 FLAGS (\\Seen) BODY[] {12}\r\nHello\r\nworld"
                             " RFC822.SIZE 12)\r\n";
  static const gsize pieces[] = { 0, 1, 2, 3, 7, 13, 64 };

  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    {
      g_autoptr (MailImapResponse) response = NULL;
      g_autoptr (GError) error = NULL;
      const MailImapFetchSection *section;
      Consumer consumer;

      consumer_init (&consumer, MAIL_IMAP_LITERAL_STREAM);
      response = parse_with (text, pieces[i], &consumer, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (response);

      g_assert_cmpstr (consumer.offers->str, ==, "12 7 BODY[] 12;");
      g_assert_cmpstr (consumer.data->str, ==, "Hello\r\nworld");
      g_assert_cmpuint (consumer.n_end, ==, 1);

      g_assert_cmpint (response->kind, ==, MAIL_IMAP_RESPONSE_FETCH);
      g_assert_cmpuint (response->fetch.uid, ==, 7);
      g_assert_cmpuint (response->fetch.rfc822_size, ==, 12);
      section = mail_imap_fetch_get_section (&response->fetch, MAIL_IMAP_SECTION_BODY, "");
      g_assert_nonnull (section);
      g_assert_true (section->streamed);
      g_assert_cmpuint (section->streamed_size, ==, 12);
      g_assert_null (section->data);
      g_assert_cmpuint (section->len, ==, 0);
      consumer_clear (&consumer);
    }
}

/* What is offered, and what is not: every top-level message section (with its UID only
 * when it came first, its section and partial origin), never a literal nested deeper or in
 * another response or item. */
static void
test_offers (void)
{
  static const struct {
    const char *text;
    const char *offers;
  } cases[] = {
    { "* 1 FETCH (BODY[] {2}\r\nab UID 4)\r\n", "1 0 BODY[] 2;" },
    { "* 1 FETCH (UID 4 BODY[HEADER.FIELDS (REFERENCES \"IN-REPLY-TO\")] {2}\r\nab)\r\n",
      "1 4 BODY[HEADER.FIELDS (REFERENCES \"IN-REPLY-TO\")] 2;" },
    { "* 2 FETCH (UID 4 BODY[1.2]<100> {2}\r\nab)\r\n", "2 4 BODY[1.2]<100> 2;" },
    { "* 2 FETCH (UID 4 BINARY[1] ~{3}\r\na\0b)\r\n", "2 4 BINARY[1] 3;" },
    { "* 3 FETCH (RFC822 {2}\r\nab)\r\n", "3 0 RFC822[] 2;" },
    { "* 3 FETCH (RFC822.TEXT {2}\r\nab RFC822.HEADER {2}\r\ncd)\r\n",
      "3 0 RFC822.TEXT[] 2;3 0 RFC822.HEADER[] 2;" },
    /* Literals that are not a section's content. */
    { "* 3 FETCH (UID 4 ENVELOPE (NIL {2}\r\nab NIL NIL NIL NIL NIL NIL NIL NIL))\r\n", "" },
    { "* 3 FETCH (X-SUBJECT {2}\r\nab)\r\n", "" },
    { "* 3 FETCH (X-PART[1] {2}\r\nab)\r\n", "" },
    { "* 3 FETCH (BODY ({4}\r\ntext \"plain\" NIL NIL NIL \"7bit\" 1 1))\r\n", "" },
    { "* LIST () \"/\" {2}\r\nab\r\n", "" },
    { "* 3 EXISTS\r\n", "" },
    /* A literal before the section: skipped to reach it. */
    { "* 5 FETCH (X-A {3}\r\n) ( UID 9 BODY[TEXT] {2}\r\nab)\r\n", "5 9 BODY[TEXT] 2;" },
    /* Empty: nothing to stream. */
    { "* 5 FETCH (UID 9 BODY[] {0}\r\n)\r\n", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (MailImapResponse) response = NULL;
      g_autoptr (GError) error = NULL;
      Consumer consumer;

      /* Binary data has a NUL in it: feed by the length of the text before the NUL and
       * the rest separately. */
      if (strstr (cases[i].text, "~{3}") != NULL)
        {
          g_autoptr (MailImapParser) parser = mail_imap_parser_new (NULL);
          const char *text = cases[i].text;
          gsize first = strlen (text);

          consumer_init (&consumer, MAIL_IMAP_LITERAL_STREAM);
          mail_imap_parser_set_literal_funcs (parser, &funcs, &consumer);
          mail_imap_parser_feed (parser, text, first + 1);
          mail_imap_parser_feed (parser, text + first + 1, strlen (text + first + 1));
          g_assert_cmpint (mail_imap_parser_next (parser, &response, &error), ==,
                           MAIL_IMAP_PARSE_RESPONSE);
          g_assert_cmpuint (consumer.data->len, ==, 3);
          g_assert_true (memcmp (consumer.data->str, "a\0b", 3) == 0);
          g_assert_true (response->fetch.sections[0].streamed);
        }
      else
        {
          consumer_init (&consumer, MAIL_IMAP_LITERAL_STREAM);
          response = parse_with (cases[i].text, 1, &consumer, NULL, &error);
        }
      g_assert_no_error (error);
      g_assert_nonnull (response);
      g_assert_cmpstr (consumer.offers->str, ==, cases[i].offers);
      consumer_clear (&consumer);
    }
}

/* A literal the consumer keeps is an ordinary literal; one it streams next to it is not. */
static void
test_keep (void)
{
  g_autoptr (MailImapResponse) response = NULL;
  g_autoptr (GError) error = NULL;
  Consumer consumer;

  consumer_init (&consumer, MAIL_IMAP_LITERAL_STREAM);
  consumer.keep_first = TRUE;
  response = parse_with ("* 1 FETCH (UID 3 BODY[HEADER] {4}\r\nhead BODY[TEXT] {4}\r\ntext)\r\n", 5,
                         &consumer, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (consumer.data->str, ==, "text");
  g_assert_cmpuint (response->fetch.n_sections, ==, 2);
  g_assert_false (response->fetch.sections[0].streamed);
  g_assert_cmpstr (response->fetch.sections[0].data, ==, "head");
  g_assert_true (response->fetch.sections[1].streamed);
  g_assert_cmpuint (response->fetch.sections[1].streamed_size, ==, 4);
  consumer_clear (&consumer);
}

/* A streamed literal is not held to the in-memory literal and response limits; a kept one
 * of the same size is refused. */
static void
test_limits (void)
{
  MailImapParserLimits limits;
  g_autofree char *body = g_strnfill (4000, 'x');
  g_autofree char *text = g_strdup_printf ("* 1 FETCH (UID 3 BODY[] {4000}\r\n%s)\r\n", body);
  g_autoptr (MailImapResponse) streamed = NULL;
  g_autoptr (MailImapResponse) kept = NULL;
  g_autoptr (GError) error = NULL;
  Consumer consumer;

  mail_imap_parser_limits_init (&limits);
  limits.max_literal_size = 1000;
  limits.max_response_size = 2000;

  consumer_init (&consumer, MAIL_IMAP_LITERAL_STREAM);
  streamed = parse_with (text, 100, &consumer, &limits, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (consumer.data->len, ==, 4000);
  consumer_clear (&consumer);

  consumer_init (&consumer, MAIL_IMAP_LITERAL_KEEP);
  kept = parse_with (text, 100, &consumer, &limits, &error);
  g_assert_null (kept);
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT_EXCEEDED);
  g_assert_cmpstr (consumer.offers->str, ==, "1 3 BODY[] 4000;");
  consumer_clear (&consumer);
}

/* A refusal ends the stream with the consumer's error, before any byte is handed on. An
 * absurd size is offered as the largest there is, never wrapped around. */
static void
test_refuse (void)
{
  g_autoptr (MailImapParser) parser = mail_imap_parser_new (NULL);
  g_autoptr (MailImapParser) huge = mail_imap_parser_new (NULL);
  g_autoptr (GError) error = NULL;
  static const char text[] = "* 1 FETCH (UID 3 BODY[] {5}\r\nhello)\r\n";
  static const char absurd[] = "* 1 FETCH (UID 3 BODY[] {99999999999999999999999}\r\n";
  Consumer consumer;

  consumer_init (&consumer, MAIL_IMAP_LITERAL_REFUSE);
  mail_imap_parser_set_literal_funcs (parser, &funcs, &consumer);
  mail_imap_parser_feed (parser, text, strlen (text));
  g_assert_cmpint (mail_imap_parser_next (parser, NULL, &error), ==, MAIL_IMAP_PARSE_ERROR);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
  g_assert_true (mail_imap_parser_is_failed (parser));
  g_assert_cmpuint (consumer.data->len, ==, 0);
  g_clear_error (&error);

  g_string_truncate (consumer.offers, 0);
  mail_imap_parser_set_literal_funcs (huge, &funcs, &consumer);
  mail_imap_parser_feed (huge, absurd, strlen (absurd));
  g_assert_cmpint (mail_imap_parser_next (huge, NULL, &error), ==, MAIL_IMAP_PARSE_ERROR);
  g_assert_cmpstr (consumer.offers->str, ==, "1 3 BODY[] 18446744073709551615;");
  consumer_clear (&consumer);
}

/* mail_imap_parser_feed_one() frames one response and leaves the rest for later. */
static void
test_feed_one (void)
{
  g_autoptr (MailImapParser) parser = mail_imap_parser_new (NULL);
  static const char text[] = "* 1 FETCH (UID 3 BODY[] {5}\r\nhello)\r\n* 2 EXISTS\r\na1 OK\r\n";
  const char *first_end = strstr (text, "* 2");
  g_autoptr (MailImapResponse) r1 = NULL;
  g_autoptr (MailImapResponse) r2 = NULL;
  g_autoptr (MailImapResponse) r3 = NULL;
  gsize used;
  gsize total = 0;
  Consumer consumer;

  consumer_init (&consumer, MAIL_IMAP_LITERAL_STREAM);
  mail_imap_parser_set_literal_funcs (parser, &funcs, &consumer);

  used = mail_imap_parser_feed_one (parser, text, strlen (text));
  g_assert_cmpuint (used, ==, (gsize) (first_end - text));
  g_assert_cmpint (mail_imap_parser_next (parser, &r1, NULL), ==, MAIL_IMAP_PARSE_RESPONSE);
  g_assert_cmpint (mail_imap_parser_next (parser, NULL, NULL), ==, MAIL_IMAP_PARSE_NEED_MORE);
  g_assert_cmpstr (consumer.data->str, ==, "hello");
  total += used;

  total += mail_imap_parser_feed_one (parser, text + total, strlen (text) - total);
  g_assert_cmpint (mail_imap_parser_next (parser, &r2, NULL), ==, MAIL_IMAP_PARSE_RESPONSE);
  g_assert_cmpint (r2->kind, ==, MAIL_IMAP_RESPONSE_EXISTS);
  total += mail_imap_parser_feed_one (parser, text + total, strlen (text) - total);
  g_assert_cmpint (mail_imap_parser_next (parser, &r3, NULL), ==, MAIL_IMAP_PARSE_RESPONSE);
  g_assert_cmpint (r3->kind, ==, MAIL_IMAP_RESPONSE_TAGGED);
  g_assert_cmpuint (total, ==, strlen (text));
  g_assert_false (mail_imap_parser_has_buffered_data (parser));

  /* In the middle of a streamed literal, bytes are buffered. */
  mail_imap_parser_feed_one (parser, text, 30);
  g_assert_true (mail_imap_parser_has_buffered_data (parser));
  consumer_clear (&consumer);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/imap/literal-stream/body", test_stream_body);
  g_test_add_func ("/mail/imap/literal-stream/offers", test_offers);
  g_test_add_func ("/mail/imap/literal-stream/keep", test_keep);
  g_test_add_func ("/mail/imap/literal-stream/limits", test_limits);
  g_test_add_func ("/mail/imap/literal-stream/refuse", test_refuse);
  g_test_add_func ("/mail/imap/literal-stream/feed-one", test_feed_one);

  return g_test_run ();
}
