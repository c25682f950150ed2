/* test-line-reader.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-line-reader.h"
#include "mail-net-error.h"

/* A stream that hands out at most a few bytes a read, as a slow network does. */
#define TEST_TYPE_TRICKLE_STREAM (test_trickle_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestTrickleStream, test_trickle_stream, TEST, TRICKLE_STREAM, GInputStream)

struct _TestTrickleStream
{
  GInputStream  parent_instance;
  GBytes       *data;
  gsize         offset;
  gsize         chunk;
  guint         n_reads;
};

G_DEFINE_FINAL_TYPE (TestTrickleStream, test_trickle_stream, G_TYPE_INPUT_STREAM)

static gssize
test_trickle_stream_read (GInputStream  *stream,
                          void          *buffer,
                          gsize          count,
                          GCancellable  *cancellable,
                          GError       **error)
{
  TestTrickleStream *self = TEST_TRICKLE_STREAM (stream);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (self->data, &len);
  gsize n = MIN (MIN (count, self->chunk), len - self->offset);

  memcpy (buffer, data + self->offset, n);
  self->offset += n;
  self->n_reads++;

  return n;
}

static void
test_trickle_stream_finalize (GObject *object)
{
  TestTrickleStream *self = TEST_TRICKLE_STREAM (object);

  g_clear_pointer (&self->data, g_bytes_unref);

  G_OBJECT_CLASS (test_trickle_stream_parent_class)->finalize (object);
}

static void
test_trickle_stream_class_init (TestTrickleStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_trickle_stream_finalize;
  G_INPUT_STREAM_CLASS (klass)->read_fn = test_trickle_stream_read;
}

static void
test_trickle_stream_init (TestTrickleStream *self)
{
}

static GInputStream *
trickle_new (const void *data,
             gsize       len,
             gsize       chunk)
{
  TestTrickleStream *self = g_object_new (TEST_TYPE_TRICKLE_STREAM, NULL);

  self->data = g_bytes_new (data, len);
  self->chunk = chunk;

  return G_INPUT_STREAM (self);
}

static MailLineReader *
reader_for (const char *text,
            gssize      len,
            gsize       buffer_size)
{
  g_autoptr (GInputStream) stream = NULL;

  if (len < 0)
    len = strlen (text);
  stream = g_memory_input_stream_new_from_data (g_memdup2 (text, len), len, g_free);

  return mail_line_reader_new (stream, buffer_size);
}

static void
test_lines (void)
{
  g_autoptr (MailLineReader) reader = reader_for ("a1 OK done\r\nbare\n\r\nlast\r\n", -1, 0);
  g_autoptr (GError) error = NULL;
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;
  g_autofree char *three = NULL;
  g_autofree char *four = NULL;
  char *none;
  gsize len = 99;

  one = mail_line_reader_read_line_sync (reader, &len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (one, ==, "a1 OK done");
  g_assert_cmpuint (len, ==, 10);

  two = mail_line_reader_read_line_sync (reader, &len, NULL, &error);
  g_assert_cmpstr (two, ==, "bare");

  three = mail_line_reader_read_line_sync (reader, &len, NULL, &error);
  g_assert_cmpstr (three, ==, "");
  g_assert_cmpuint (len, ==, 0);

  four = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);
  g_assert_cmpstr (four, ==, "last");

  none = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
}

static void
test_nul_in_line (void)
{
  g_autoptr (MailLineReader) reader = reader_for ("a\0b\r\n", 5, 0);
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;
  gsize len = 0;

  line = mail_line_reader_read_line_sync (reader, &len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, 3);
  g_assert_cmpmem (line, len, "a\0b", 3);
}

static void
test_eof_mid_line (void)
{
  g_autoptr (MailLineReader) reader = reader_for ("* OK partial", -1, 0);
  g_autoptr (GError) error = NULL;
  char *line;

  line = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);
  g_assert_null (line);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_assert_nonnull (strstr (error->message, "middle of a line"));
}

static void
test_line_limit (void)
{
  g_autoptr (MailLineReader) reader = reader_for ("12345678\r\n1234567890\r\nnext\r\n", -1, 0);
  g_autoptr (GError) error = NULL;
  g_autofree char *ok = NULL;
  char *line;

  /* The limit counts the terminator: "12345678\r\n" is exactly 10. */
  mail_line_reader_set_max_line_length (reader, 10);

  ok = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ok, ==, "12345678");

  line = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);
  g_assert_null (line);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_LIMIT);
  g_clear_error (&error);

  /* The reader is failed from now on: the rest of the long line would look like a line. */
  line = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);
  g_assert_null (line);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

static void
test_endless_line (void)
{
  gsize total = 8 * 1024 * 1024;
  g_autofree char *data = g_malloc (total);
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (MailLineReader) reader = NULL;
  g_autoptr (GError) error = NULL;
  char *line;

  memset (data, 'x', total);
  stream = trickle_new (data, total, 64 * 1024);
  reader = mail_line_reader_new (stream, 4096);
  mail_line_reader_set_max_line_length (reader, 100 * 1024);

  line = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);
  g_assert_null (line);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_LIMIT);
  /* It stopped at the limit instead of reading (and buffering) all 8 MiB. */
  g_assert_cmpuint (TEST_TRICKLE_STREAM (stream)->offset, <=, 200 * 1024);
}

static void
test_trickled_lines (void)
{
  GString *text = g_string_new (NULL);
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (MailLineReader) reader = NULL;

  for (guint i = 0; i < 200; i++)
    g_string_append_printf (text, "* %u FETCH (UID %u FLAGS (\\Seen))\r\n", i + 1, 1000 + i);

  stream = trickle_new (text->str, text->len, 7);
  reader = mail_line_reader_new (stream, 16);

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *expected = g_strdup_printf ("* %u FETCH (UID %u FLAGS (\\Seen))", i + 1,
                                                   1000 + i);
      g_autofree char *line = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, expected);
    }

  g_string_free (text, TRUE);
}

static void
test_literal (void)
{
  g_autoptr (MailLineReader) reader =
    reader_for ("* 1 FETCH (BODY[] {12}\r\nhello\r\nworld)\r\n", -1, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *head = NULL;
  g_autofree char *tail = NULL;

  head = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);
  g_assert_cmpstr (head, ==, "* 1 FETCH (BODY[] {12}");

  bytes = mail_line_reader_read_bytes_sync (reader, 12, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "hello\r\nworld", 12);

  tail = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);
  g_assert_cmpstr (tail, ==, ")");
}

static void
check_big_literal (gsize size,
                   gsize chunk)
{
  GString *text = g_string_new ("{literal}\r\n");
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (MailLineReader) reader = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *head = NULL;
  g_autofree char *tail = NULL;
  gsize start = text->len;

  for (gsize i = 0; i < size; i++)
    g_string_append_c (text, (char) ('a' + i % 26));
  g_string_append (text, ")\r\n");

  stream = trickle_new (text->str, text->len, chunk);
  reader = mail_line_reader_new (stream, 64);

  head = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);
  g_assert_cmpstr (head, ==, "{literal}");
  bytes = mail_line_reader_read_bytes_sync (reader, size, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), text->str + start,
                   size);
  tail = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tail, ==, ")");

  g_string_free (text, TRUE);
}

static void
test_literal_across_reads (void)
{
  check_big_literal (0, 5);
  check_big_literal (100, 3);
  check_big_literal (1000, 1000);
  check_big_literal (200 * 1024, 3000);
  check_big_literal (200 * 1024, 1 << 20);
}

static void
test_literal_limit (void)
{
  g_autoptr (MailLineReader) reader = reader_for ("hello world", -1, 0);
  g_autoptr (GError) error = NULL;
  GBytes *bytes;

  mail_line_reader_set_max_literal_size (reader, 5);

  /* A server announcing an absurd size must not make us allocate it. */
  bytes = mail_line_reader_read_bytes_sync (reader, G_MAXSIZE, NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_LIMIT);
}

static void
test_literal_eof (void)
{
  g_autoptr (MailLineReader) reader = reader_for ("short", -1, 0);
  g_autoptr (GError) error = NULL;
  GBytes *bytes;

  bytes = mail_line_reader_read_bytes_sync (reader, 10, NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
}

static void
test_response_limit (void)
{
  g_autoptr (MailLineReader) reader =
    reader_for ("0123456789\r\n0123456789\r\n0123456789\r\n0123456789\r\n", -1, 0);
  g_autoptr (GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  char *d;

  mail_line_reader_set_max_response_size (reader, 30);

  /* Outside a response nothing is counted. */
  a = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mail_line_reader_get_response_size (reader), ==, 0);

  mail_line_reader_begin_response (reader);
  b = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);
  c = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mail_line_reader_get_response_size (reader), ==, 24);

  d = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);
  g_assert_null (d);
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_LIMIT);
}

static void
test_peek_consume (void)
{
  g_autoptr (GInputStream) stream = trickle_new ("abcdefghij", 10, 4);
  g_autoptr (MailLineReader) reader = mail_line_reader_new (stream, 8);
  g_autoptr (GError) error = NULL;
  const guint8 *data;
  gsize available = 0;

  g_assert_cmpuint (mail_line_reader_get_available (reader), ==, 0);
  g_assert_true (mail_line_reader_fill_sync (reader, NULL, &error));
  data = mail_line_reader_peek (reader, &available);
  g_assert_cmpmem (data, available, "abcd", 4);

  g_assert_true (mail_line_reader_consume (reader, 3, &error));
  g_assert_true (mail_line_reader_fill_sync (reader, NULL, &error));
  data = mail_line_reader_peek (reader, &available);
  g_assert_cmpmem (data, available, "defgh", 5);

  g_assert_true (mail_line_reader_consume (reader, 5, &error));
  g_assert_true (mail_line_reader_fill_sync (reader, NULL, &error));
  data = mail_line_reader_peek (reader, &available);
  g_assert_cmpmem (data, available, "ij", 2);
  g_assert_true (mail_line_reader_consume (reader, 2, &error));

  g_assert_false (mail_line_reader_fill_sync (reader, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
}

static void
test_fill_limit (void)
{
  gsize total = 1024 * 1024;
  g_autofree char *data = g_malloc0 (total);
  g_autoptr (GInputStream) stream = trickle_new (data, total, 1000);
  g_autoptr (MailLineReader) reader = mail_line_reader_new (stream, 256);
  g_autoptr (GError) error = NULL;
  guint n_fills = 0;

  mail_line_reader_set_max_line_length (reader, 4096);

  /* A parser that never consumes cannot make the buffer grow without bound. */
  while (mail_line_reader_fill_sync (reader, NULL, &error))
    n_fills++;

  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_LIMIT);
  g_assert_cmpuint (mail_line_reader_get_available (reader), <=, 4096);
  g_assert_cmpuint (n_fills, >, 0);
}

static void
test_read_to_stream (void)
{
  g_autoptr (MailLineReader) reader = reader_for ("0123456789tail\r\n", -1, 4);
  g_autoptr (GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  g_autofree char *tail = NULL;

  g_assert_true (mail_line_reader_read_to_stream_sync (reader, 10, output, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (output)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (output)),
                   "0123456789", 10);

  tail = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);
  g_assert_cmpstr (tail, ==, "tail");
}

static void
test_set_stream_refuses_buffered (void)
{
  g_autoptr (MailLineReader) reader =
    reader_for ("a1 OK Begin TLS\r\n* OK [ALERT] injected\r\n", -1, 0);
  g_autoptr (GInputStream) next = g_memory_input_stream_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *ok = NULL;

  ok = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);
  g_assert_cmpstr (ok, ==, "a1 OK Begin TLS");

  g_assert_false (mail_line_reader_set_stream (reader, next, &error));
  g_assert_error (error, MAIL_NET_ERROR, MAIL_NET_ERROR_STARTTLS_INJECTION);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_STARTTLS_UNAVAILABLE);
}

static void
test_set_stream (void)
{
  g_autoptr (MailLineReader) reader = reader_for ("a1 OK Begin TLS\r\n", -1, 0);
  g_autoptr (GInputStream) next = g_memory_input_stream_new_from_data ("* OK secure\r\n", -1,
                                                                       NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *ok = NULL;
  g_autofree char *secure = NULL;

  ok = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);
  g_assert_true (mail_line_reader_set_stream (reader, next, &error));
  g_assert_no_error (error);
  secure = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);
  g_assert_cmpstr (secure, ==, "* OK secure");
}

static void
test_many_lines (void)
{
  GString *text = g_string_new (NULL);
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (MailLineReader) reader = NULL;
  gint64 start;
  guint n = 0;

  for (guint i = 0; i < 50000; i++)
    g_string_append_printf (text,
                            "* %u FETCH (UID %u RFC822.SIZE 4567 FLAGS (\\Seen) "
                            "INTERNALDATE \"01-Jan-2026 10:00:00 +0000\")\r\n",
                            i + 1, 100000 + i);

  stream = g_memory_input_stream_new_from_data (g_string_free (text, FALSE), -1, g_free);
  reader = mail_line_reader_new (stream, 0);

  start = g_get_monotonic_time ();
  for (;;)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *line = mail_line_reader_read_line_sync (reader, NULL, NULL, &error);

      if (line == NULL)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
          break;
        }
      n++;
    }

  g_assert_cmpuint (n, ==, 50000);
  g_test_message ("50000 FETCH lines in %.1f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
}

int
main (int   argc,
      char *argv[])
{
  /* Not G_TEST_OPTION_ISOLATE_DIRS: nothing here touches the user's directories, and in
   * GLib 2.74 every isolated test leaks the previous test's directory names, which
   * LeakSanitizer reports (GLib's stack is too short to suppress without slow unwinding). */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/net/line-reader/lines", test_lines);
  g_test_add_func ("/mail/net/line-reader/nul-in-line", test_nul_in_line);
  g_test_add_func ("/mail/net/line-reader/eof-mid-line", test_eof_mid_line);
  g_test_add_func ("/mail/net/line-reader/line-limit", test_line_limit);
  g_test_add_func ("/mail/net/line-reader/endless-line", test_endless_line);
  g_test_add_func ("/mail/net/line-reader/trickled-lines", test_trickled_lines);
  g_test_add_func ("/mail/net/line-reader/literal", test_literal);
  g_test_add_func ("/mail/net/line-reader/literal-across-reads", test_literal_across_reads);
  g_test_add_func ("/mail/net/line-reader/literal-limit", test_literal_limit);
  g_test_add_func ("/mail/net/line-reader/literal-eof", test_literal_eof);
  g_test_add_func ("/mail/net/line-reader/response-limit", test_response_limit);
  g_test_add_func ("/mail/net/line-reader/peek-consume", test_peek_consume);
  g_test_add_func ("/mail/net/line-reader/fill-limit", test_fill_limit);
  g_test_add_func ("/mail/net/line-reader/read-to-stream", test_read_to_stream);
  g_test_add_func ("/mail/net/line-reader/set-stream", test_set_stream);
  g_test_add_func ("/mail/net/line-reader/set-stream-refuses-buffered",
                   test_set_stream_refuses_buffered);
  g_test_add_func ("/mail/net/line-reader/many-lines", test_many_lines);

  return g_test_run ();
}
