/* test-imap-body-sink.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Message bodies streamed from the socket to a sink (mail_imap_client_uid_fetch_body_sync()
 * and mail_imap_command_set_body_sink()) against scripted servers: a 200 MiB message in
 * flat memory, the UID before and after the body, a sink that runs out of space, a
 * connection lost in the middle of a body, a size past the limit, bodies behind other
 * commands' responses, literals that are not bodies, and the _async call. */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "mail-fake-server.h"
#include "mail-imap-client.h"
#include "mail-test-certs.h"
#include "mail-test-util.h"
#include "mail-tls-database.h"

static MailTestCerts *certs;

/* Under AddressSanitizer, freed memory stays resident for a while (its quarantine holds
 * hundreds of megabytes), so the peak RSS says nothing about what is in use: the heap in
 * use is sampled while the message streams instead. */
#if defined (__SANITIZE_ADDRESS__)
#define MEASURE_HEAP 1
size_t __sanitizer_get_current_allocated_bytes (void);

static gboolean heap_sampling;
static guint64  heap_peak;
#endif

static void
sample_heap (void)
{
#ifdef MEASURE_HEAP
  if (heap_sampling)
    heap_peak = MAX (heap_peak, __sanitizer_get_current_allocated_bytes ());
#endif
}

/* ---------------------------------------------------------------------------------- */

/* An output stream that keeps only a digest and a count of what it was given, and can
 * run out of space after a number of bytes, as a full disk does. */
#define TEST_TYPE_SINK_STREAM (test_sink_stream_get_type ())
G_DECLARE_FINAL_TYPE (TestSinkStream, test_sink_stream, TEST, SINK_STREAM, GOutputStream)

struct _TestSinkStream
{
  GOutputStream  parent_instance;
  GChecksum     *checksum;
  guint64        written;
  guint64        space;
};

G_DEFINE_FINAL_TYPE (TestSinkStream, test_sink_stream, G_TYPE_OUTPUT_STREAM)

static gssize
test_sink_stream_write_fn (GOutputStream  *stream,
                           const void     *buffer,
                           gsize           count,
                           GCancellable   *cancellable,
                           GError        **error)
{
  TestSinkStream *self = TEST_SINK_STREAM (stream);

  if (self->written + count > self->space)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "No space left on device");
      return -1;
    }

  g_checksum_update (self->checksum, buffer, count);
  self->written += count;
  sample_heap ();

  return (gssize) count;
}

static void
test_sink_stream_finalize (GObject *object)
{
  TestSinkStream *self = TEST_SINK_STREAM (object);

  g_checksum_free (self->checksum);

  G_OBJECT_CLASS (test_sink_stream_parent_class)->finalize (object);
}

static void
test_sink_stream_class_init (TestSinkStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_sink_stream_finalize;
  G_OUTPUT_STREAM_CLASS (klass)->write_fn = test_sink_stream_write_fn;
}

static void
test_sink_stream_init (TestSinkStream *self)
{
  self->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  self->space = G_MAXUINT64;
}

/* ---------------------------------------------------------------------------------- */

/* What a sink saw, as lines: "open SEQ UID SIZE [SECTION]", "commit UID DIGEST",
 * "abort SEQ". */
typedef struct
{
  GString *events;
  guint64  space;
  gboolean fail_open;
  guint    n_open;
  GThread *thread;
} Sink;

static GOutputStream *
sink_open (const MailImapBodyInfo  *info,
           gpointer                 user_data,
           GError                 **error)
{
  Sink *sink = user_data;
  TestSinkStream *stream;

  sink->n_open++;
  sink->thread = g_thread_self ();
  g_string_append_printf (sink->events, "open %u %u %" G_GUINT64_FORMAT " [%s]\n", info->seq,
                          info->uid, info->size, info->section);
  if (sink->fail_open)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "No space left on device");
      return NULL;
    }

  stream = g_object_new (TEST_TYPE_SINK_STREAM, NULL);
  stream->space = sink->space;

  return G_OUTPUT_STREAM (stream);
}

static gboolean
sink_commit (GOutputStream           *stream,
             const MailImapBodyInfo  *info,
             const MailImapFetch     *fetch,
             gpointer                 user_data,
             GError                 **error)
{
  Sink *sink = user_data;
  TestSinkStream *test = TEST_SINK_STREAM (stream);
  const MailImapFetchSection *section;

  section = mail_imap_fetch_get_section (fetch, info->kind, info->section);
  g_assert_nonnull (section);
  g_assert_true (section->streamed);
  g_assert_null (section->data);
  g_assert_cmpuint (section->streamed_size, ==, info->size);
  g_assert_cmpuint (test->written, ==, info->size);
  g_assert_cmpuint (fetch->uid, ==, info->uid);

  g_string_append_printf (sink->events, "commit %u %s\n", info->uid,
                          g_checksum_get_string (test->checksum));

  return g_output_stream_close (stream, NULL, error);
}

static void
sink_abort (GOutputStream          *stream,
            const MailImapBodyInfo *info,
            gpointer                user_data)
{
  Sink *sink = user_data;

  g_string_append_printf (sink->events, "abort %u\n", info->seq);
}

static const MailImapBodySink test_sink = { sink_open, sink_commit, sink_abort };

static void
sink_init (Sink *sink)
{
  memset (sink, 0, sizeof *sink);
  sink->events = g_string_new (NULL);
  sink->space = G_MAXUINT64;
}

static void
sink_clear (Sink *sink)
{
  g_string_free (sink->events, TRUE);
}

static char *
digest_of (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* ---------------------------------------------------------------------------------- */

typedef struct
{
  GTlsDatabase   *database;
  MailFakeServer *server;
  MailImapClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr (GError) error = NULL;

  fixture->database = mail_tls_database_new (certs->ca_file, &error);
  g_assert_no_error (error);
  fixture->server = mail_fake_server_new (certs->good, TRUE);
  mail_fake_server_send (fixture->server, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->client != NULL)
    {
      MailConnection *connection = mail_imap_client_get_connection (fixture->client);

      mail_test_assert_finalize_client (g_steal_pointer (&fixture->client), connection);
    }
  g_clear_pointer (&fixture->server, mail_fake_server_free);
  mail_test_wait_for_last_ref (fixture->database);
  g_assert_finalize_object (g_steal_pointer (&fixture->database));
}

/* Connects a client to the fixture's server, whose script must be complete, and selects
 * INBOX (the script's "a1"). */
static MailImapClient *
fixture_selected (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  MailImapClient *client;

  mail_fake_server_start (fixture->server);
  client = mail_imap_client_new ("localhost", mail_fake_server_get_port (fixture->server),
                                 MAIL_SECURITY_TLS, fixture->database);
  mail_connection_set_timeout (mail_imap_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_COMMAND, 10);
  mail_connection_set_timeout (mail_imap_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_GREETING, 10);
  fixture->client = client;

  g_assert_true (mail_imap_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_client_select_sync (client, "INBOX", FALSE, NULL, NULL, NULL,
                                               &error));
  g_assert_no_error (error);

  return client;
}

static void
script_select (MailFakeServer *server)
{
  mail_fake_server_expect (server, "a1 SELECT INBOX");
  mail_fake_server_send (server, "* 3 EXISTS\r\n* OK [UIDVALIDITY 9] ok\r\n"
                                 "a1 OK [READ-WRITE] selected\r\n");
}

/* ---------------------------------------------------------------------------------- */

/* The peak resident memory of the process, in bytes; under AddressSanitizer the peak of
 * the heap in use since the last reset_peak_rss(), as sampled while streaming. */
static guint64
peak_rss (void)
{
#ifdef MEASURE_HEAP
  heap_peak = MAX (heap_peak, __sanitizer_get_current_allocated_bytes ());
  return heap_peak;
#else
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);

  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10) * 1024;
#endif
}

/* Starts the peak afresh, where the kernel allows it (Linux 4.0 and later). */
static void
reset_peak_rss (void)
{
#ifdef MEASURE_HEAP
  heap_peak = __sanitizer_get_current_allocated_bytes ();
  heap_sampling = TRUE;
#else
  int fd = open ("/proc/self/clear_refs", O_WRONLY);

  if (fd < 0)
    return;
  if (write (fd, "5", 1) != 1)
    g_test_message ("the peak RSS could not be reset");
  close (fd);
#endif
}

#define LARGE_CHUNK  (1024 * 1024)
#define LARGE_CHUNKS 200

/* A 200 MiB message goes from the socket to the sink without the process's memory
 * growing with it: the client holds a connection buffer, not the message. The server,
 * in the same process, sends the same 1 MiB again and again. */
static void
test_large (Fixture       *fixture,
            gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GChecksum) expected = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GBytes) chunk = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *data = g_malloc (LARGE_CHUNK);
  g_autofree char *head = NULL;
  g_autofree char *commit = NULL;
  MailImapClient *client;
  guint64 size = (guint64) LARGE_CHUNK * LARGE_CHUNKS;
  guint64 before;
  guint64 after;
  Sink sink;

  /* Text lines, as a message has. */
  for (gsize i = 0; i < LARGE_CHUNK; i++)
    data[i] = i % 64 == 62 ? '\r' : i % 64 == 63 ? '\n' : (guint8) ('a' + i % 26);
  chunk = g_bytes_new_take (g_steal_pointer (&data), LARGE_CHUNK);
  for (guint i = 0; i < LARGE_CHUNKS; i++)
    g_checksum_update (expected, g_bytes_get_data (chunk, NULL), LARGE_CHUNK);

  script_select (server);
  mail_fake_server_expect (server, "a2 UID FETCH 42 (UID BODY.PEEK[])");
  head = g_strdup_printf ("* 3 FETCH (UID 42 BODY[] {%" G_GUINT64_FORMAT "}\r\n", size);
  mail_fake_server_send (server, head);
  for (guint i = 0; i < LARGE_CHUNKS; i++)
    mail_fake_server_send_bytes (server, chunk);
  mail_fake_server_send (server, ")\r\na2 OK done\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_selected (fixture);

  reset_peak_rss ();
  before = peak_rss ();

  sink_init (&sink);
  g_assert_true (mail_imap_client_uid_fetch_body_sync (client, "42", "", &test_sink, &sink,
                                                       NULL, &error));
  g_assert_no_error (error);

  after = peak_rss ();
  g_test_message ("peak %s %" G_GUINT64_FORMAT " KiB before, %" G_GUINT64_FORMAT
                  " KiB after a %" G_GUINT64_FORMAT " MiB message",
#ifdef MEASURE_HEAP
                  "heap in use",
#else
                  "RSS",
#endif
                  before / 1024, after / 1024, size / (1024 * 1024));
  g_assert_cmpuint (after - before, <, 32 * 1024 * 1024);

  commit = g_strdup_printf ("open 3 42 %" G_GUINT64_FORMAT " []\ncommit 42 %s\n", size,
                            g_checksum_get_string (expected));
  g_assert_cmpstr (sink.events->str, ==, commit);
  sink_clear (&sink);
  mail_imap_client_close (client);
}

/* The server sends the UID before the body, or after it: the sink learns it at once in
 * the first case, and at the commit in both. */
static void
test_uid_order (Fixture       *fixture,
                gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  g_autofree char *first = digest_of ("Subject: one\r\n\r\nfirst\r\n");
  g_autofree char *second = digest_of ("Subject: two\r\n\r\nsecond body\r\n");
  g_autofree char *expected = NULL;
  MailImapClient *client;
  Sink sink;

  script_select (server);
  mail_fake_server_expect (server, "a2 UID FETCH 5,9 (UID BODY.PEEK[])");
  mail_fake_server_send (server,
                         "* 1 FETCH (UID 5 FLAGS (\\Seen) BODY[] {23}\r\n"
                         "Subject: one\r\n\r\nfirst\r\n)\r\n"
                         "* 2 FETCH (BODY[] {29}\r\n"
                         "Subject: two\r\n\r\nsecond body\r\n UID 9)\r\n"
                         "a2 OK done\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_selected (fixture);
  sink_init (&sink);
  g_assert_true (mail_imap_client_uid_fetch_body_sync (client, "5,9", "", &test_sink, &sink,
                                                       NULL, &error));
  g_assert_no_error (error);

  expected = g_strdup_printf ("open 1 5 23 []\ncommit 5 %s\n"
                              "open 2 0 29 []\ncommit 9 %s\n", first, second);
  g_assert_cmpstr (sink.events->str, ==, expected);
  sink_clear (&sink);
  mail_imap_client_close (client);
}

/* A section other than the whole message, and, in a command built by hand, a partial
 * fetch and a BINARY section (a literal8) in one response, before its UID. */
static void
test_sections (Fixture       *fixture,
               gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (MailImapCommand) command = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *part = digest_of ("part");
  g_autofree char *abc = digest_of ("abc");
  g_autofree char *xy = digest_of ("xy");
  g_autofree char *expected = NULL;
  MailImapClient *client;
  Sink sink;

  script_select (server);
  mail_fake_server_expect (server, "a2 UID FETCH 5 (UID BODY.PEEK[1.2])");
  mail_fake_server_send (server, "* 1 FETCH (UID 5 BODY[1.2] {4}\r\npart)\r\na2 OK done\r\n");
  mail_fake_server_expect (server, "a3 UID FETCH 5 (BODY.PEEK[]<0.3> BINARY.PEEK[1])");
  mail_fake_server_send (server, "* 1 FETCH (BODY[]<0> {3}\r\nabc BINARY[1] ~{2}\r\nxy UID 5)\r\n"
                                 "a3 OK done\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_selected (fixture);
  sink_init (&sink);
  g_assert_true (mail_imap_client_uid_fetch_body_sync (client, "5", "1.2", &test_sink, &sink,
                                                       NULL, &error));
  g_assert_no_error (error);
  expected = g_strdup_printf ("open 1 5 4 [1.2]\ncommit 5 %s\n", part);
  g_assert_cmpstr (sink.events->str, ==, expected);
  g_clear_pointer (&expected, g_free);

  g_string_truncate (sink.events, 0);
  command = mail_imap_client_new_command (client, "UID FETCH");
  mail_imap_command_add_atom (command, "5 (BODY.PEEK[]<0.3> BINARY.PEEK[1])");
  mail_imap_command_set_body_sink (command, &test_sink, &sink);
  mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_FETCH);
  g_assert_true (mail_imap_client_run_sync (client, command, NULL, &error));
  g_assert_no_error (error);
  expected = g_strdup_printf ("open 1 0 3 []\nopen 1 0 2 [1]\ncommit 5 %s\ncommit 5 %s\n",
                              abc, xy);
  g_assert_cmpstr (sink.events->str, ==, expected);
  sink_clear (&sink);
  mail_imap_client_close (client);
}

/* The disk fills in the middle of the first message: the command fails with the sink's
 * error once the server is done, the message is aborted, the second one is read and
 * dropped without a sink, and the connection goes on. */
static void
test_no_space (Fixture       *fixture,
               gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  MailImapClient *client;
  Sink sink;

  script_select (server);
  mail_fake_server_expect (server, "a2 UID FETCH 1:2 (UID BODY.PEEK[])");
  mail_fake_server_send (server,
                         "* 1 FETCH (UID 1 BODY[] {20}\r\n0123456789abcdefghij)\r\n"
                         "* 2 FETCH (UID 2 BODY[] {5}\r\nhello)\r\n"
                         "a2 OK done\r\n");
  mail_fake_server_expect (server, "a3 NOOP");
  mail_fake_server_send (server, "a3 OK still here\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_selected (fixture);
  sink_init (&sink);
  sink.space = 4;
  g_assert_false (mail_imap_client_uid_fetch_body_sync (client, "1:2", "", &test_sink, &sink,
                                                        NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpstr (sink.events->str, ==, "open 1 1 20 []\nabort 1\n");
  g_clear_error (&error);

  g_assert_true (mail_connection_is_connected (mail_imap_client_get_connection (client)));
  g_assert_true (mail_imap_client_noop_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (mail_fake_server_dup_failure (server));
  sink_clear (&sink);
  mail_imap_client_close (client);
}

/* A sink that cannot even be opened (no space for the file) fails the same way. */
static void
test_open_fails (Fixture       *fixture,
                 gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  MailImapClient *client;
  Sink sink;

  script_select (server);
  mail_fake_server_expect (server, "a2 UID FETCH 1 (UID BODY.PEEK[])");
  mail_fake_server_send (server, "* 1 FETCH (UID 1 BODY[] {5}\r\nhello)\r\na2 OK done\r\n");
  mail_fake_server_expect (server, "a3 NOOP");
  mail_fake_server_send (server, "a3 OK\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_selected (fixture);
  sink_init (&sink);
  sink.fail_open = TRUE;
  g_assert_false (mail_imap_client_uid_fetch_body_sync (client, "1", "", &test_sink, &sink,
                                                        NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpstr (sink.events->str, ==, "open 1 1 5 []\n");
  g_clear_error (&error);
  g_assert_true (mail_imap_client_noop_sync (client, NULL, &error));
  g_assert_no_error (error);
  sink_clear (&sink);
  mail_imap_client_close (client);
}

/* The connection drops in the middle of the second message: the first stays committed,
 * the second is aborted and never committed, and the error says the connection was lost. */
static void
test_drop_mid_body (Fixture       *fixture,
                    gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  g_autofree char *first = digest_of ("hello");
  g_autofree char *expected = NULL;
  MailImapClient *client;
  Sink sink;

  script_select (server);
  mail_fake_server_expect (server, "a2 UID FETCH 1:2 (UID BODY.PEEK[])");
  mail_fake_server_send (server, "* 1 FETCH (UID 1 BODY[] {5}\r\nhello)\r\n"
                                 "* 2 FETCH (UID 2 BODY[] {1000}\r\nonly the beginning");
  mail_fake_server_close (server);

  client = fixture_selected (fixture);
  sink_init (&sink);
  g_assert_false (mail_imap_client_uid_fetch_body_sync (client, "1:2", "", &test_sink, &sink,
                                                        NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR || error->domain == G_TLS_ERROR);
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE));
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_NETWORK);

  expected = g_strdup_printf ("open 1 1 5 []\ncommit 1 %s\nopen 2 2 1000 []\nabort 2\n", first);
  g_assert_cmpstr (sink.events->str, ==, expected);
  g_assert_false (mail_connection_is_connected (mail_imap_client_get_connection (client)));
  g_assert_cmpint (mail_imap_client_get_state (client), ==, MAIL_IMAP_CLIENT_DISCONNECTED);
  sink_clear (&sink);
}

/* A body whose FETCH response turns out malformed after it is aborted, not committed. */
static void
test_malformed_after_body (Fixture       *fixture,
                           gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  MailImapClient *client;
  Sink sink;

  script_select (server);
  mail_fake_server_expect (server, "a2 UID FETCH 1 (UID BODY.PEEK[])");
  mail_fake_server_send (server, "* 1 FETCH (UID 1 BODY[] {5}\r\nhello FLAGS (\\Seen)\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_selected (fixture);
  sink_init (&sink);
  g_assert_false (mail_imap_client_uid_fetch_body_sync (client, "1", "", &test_sink, &sink,
                                                        NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL);
  g_assert_cmpstr (sink.events->str, ==, "open 1 1 5 []\nabort 1\n");
  sink_clear (&sink);
}

/* A FETCH with a body but no UID (which a UID FETCH must carry) is not committed. */
static void
test_missing_uid (Fixture       *fixture,
                  gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  MailImapClient *client;
  Sink sink;

  script_select (server);
  mail_fake_server_expect (server, "a2 UID FETCH 1 (UID BODY.PEEK[])");
  mail_fake_server_send (server, "* 1 FETCH (BODY[] {5}\r\nhello)\r\na2 OK done\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_selected (fixture);
  sink_init (&sink);
  g_assert_false (mail_imap_client_uid_fetch_body_sync (client, "1", "", &test_sink, &sink,
                                                        NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL);
  g_assert_cmpstr (sink.events->str, ==, "open 1 0 5 []\nabort 1\n");
  g_assert_true (mail_connection_is_connected (mail_imap_client_get_connection (client)));
  sink_clear (&sink);
  mail_imap_client_close (client);
}

/* A size past max_streamed_literal is refused before anything is opened, and the stream,
 * which cannot be followed any further, is closed. */
static void
test_too_large (Fixture       *fixture,
                gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  MailImapClientLimits limits;
  MailImapClient *client;
  Sink sink;

  script_select (server);
  mail_fake_server_expect (server, "a2 UID FETCH 1 (UID BODY.PEEK[])");
  mail_fake_server_send (server, "* 1 FETCH (UID 1 BODY[] {1000001}\r\nxx");
  mail_fake_server_wait_close (server);

  client = fixture_selected (fixture);
  mail_imap_client_get_limits (client, &limits);
  g_assert_cmpuint (limits.max_streamed_literal, ==, G_GUINT64_CONSTANT (2) << 30);
  limits.max_streamed_literal = 1000000;
  mail_imap_client_set_limits (client, &limits);

  sink_init (&sink);
  g_assert_false (mail_imap_client_uid_fetch_body_sync (client, "1", "", &test_sink, &sink,
                                                        NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT_EXCEEDED);
  g_assert_cmpstr (sink.events->str, ==, "");
  g_assert_false (mail_connection_is_connected (mail_imap_client_get_connection (client)));
  sink_clear (&sink);
}

/* A streamed body may be far larger than what the parser keeps in memory (64 MiB): an
 * 80 MiB message streams, and the same message fetched into memory is refused. */
static void
test_beyond_memory_limit (Fixture       *fixture,
                          gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) fetched = NULL;
  g_autofree char *body = g_strnfill (80 * 1024 * 1024 / 1024, 'x');
  g_autofree char *reply = NULL;
  MailImapFetchOptions options = { MAIL_IMAP_FETCH_ATTR_BODY, };
  MailImapClient *client;
  Sink sink;

  /* 80 KiB sent 1024 times. */
  g_autoptr (GBytes) piece = g_bytes_new (body, strlen (body));

  script_select (server);
  mail_fake_server_expect (server, "a2 UID FETCH 1 (UID BODY.PEEK[])");
  mail_fake_server_send (server, "* 1 FETCH (UID 1 BODY[] {83886080}\r\n");
  for (guint i = 0; i < 1024; i++)
    mail_fake_server_send_bytes (server, piece);
  mail_fake_server_send (server, ")\r\na2 OK done\r\n");
  mail_fake_server_expect (server, "a3 UID FETCH 1 (UID BODY.PEEK[])");
  mail_fake_server_send (server, "* 1 FETCH (UID 1 BODY[] {83886080}\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_selected (fixture);
  sink_init (&sink);
  g_assert_true (mail_imap_client_uid_fetch_body_sync (client, "1", "", &test_sink, &sink,
                                                       NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (sink.events->str, "open 1 1 83886080 []\ncommit 1 "));

  fetched = mail_imap_client_uid_fetch_sync (client, "1", &options, NULL, NULL, NULL, &error);
  g_assert_null (fetched);
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT_EXCEEDED);
  sink_clear (&sink);
}

/* Literals that are not a section's content stay in memory, even in a command with a
 * sink: a subject sent as a literal inside ENVELOPE, and a header section fetched with it. */
static void
test_other_literals (Fixture       *fixture,
                     gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (MailImapCommand) command = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *digest = digest_of ("body");
  g_autofree char *expected = NULL;
  const MailImapResponse *response;
  MailImapClient *client;
  Sink sink;

  script_select (server);
  mail_fake_server_expect (server, "a2 UID FETCH 1 (UID ENVELOPE BODY.PEEK[])");
  mail_fake_server_send (server,
                         "* 1 FETCH (UID 1 ENVELOPE (NIL {7}\r\nSubject NIL NIL NIL NIL NIL NIL "
                         "NIL NIL) BODY[] {4}\r\nbody)\r\n"
                         "a2 OK done\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_selected (fixture);
  sink_init (&sink);
  command = mail_imap_client_new_command (client, "UID FETCH");
  mail_imap_command_add_atom (command, "1 (UID ENVELOPE BODY.PEEK[])");
  mail_imap_command_set_body_sink (command, &test_sink, &sink);
  mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_FETCH);
  g_assert_true (mail_imap_client_run_sync (client, command, NULL, &error));
  g_assert_no_error (error);

  expected = g_strdup_printf ("open 1 1 4 []\ncommit 1 %s\n", digest);
  g_assert_cmpstr (sink.events->str, ==, expected);
  g_assert_cmpuint (mail_imap_command_get_responses (command)->len, ==, 1);
  response = g_ptr_array_index (mail_imap_command_get_responses (command), 0);
  g_assert_cmpstr (response->fetch.envelope->subject, ==, "Subject");
  g_assert_true (response->fetch.sections[0].streamed);
  sink_clear (&sink);
  mail_imap_client_close (client);
}

static void
flag_signal_cb (MailImapClient   *client,
                MailImapResponse *response,
                gpointer          user_data)
{
  (*(guint *) user_data)++;
}

/* A header fetch and a body fetch in flight at once, answered in one piece: the header
 * FETCHes go to the first command, the body to the second's sink, because each response
 * is framed only once the one before it was dispatched. */
static void
test_pipelined (Fixture       *fixture,
                gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (MailImapCommand) headers = NULL;
  g_autoptr (MailImapCommand) bodies = NULL;
  g_autoptr (GError) error = NULL;
  MailImapClient *client;
  Sink sink;

  script_select (server);
  mail_fake_server_expect (server, "a2 UID FETCH 1:2 (UID FLAGS)");
  mail_fake_server_expect (server, "a3 UID FETCH 2 (UID BODY.PEEK[])");
  mail_fake_server_send (server,
                         "* 1 FETCH (UID 1 FLAGS ())\r\n"
                         "* 2 FETCH (UID 2 FLAGS ())\r\n"
                         "a2 OK done\r\n"
                         "* 2 FETCH (UID 2 BODY[] {4}\r\nbody)\r\n"
                         "a3 OK done\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_selected (fixture);
  sink_init (&sink);

  headers = mail_imap_client_new_command (client, "UID FETCH");
  mail_imap_command_add_atom (headers, "1:2 (UID FLAGS)");
  mail_imap_command_collect (headers, MAIL_IMAP_RESPONSE_FETCH);
  g_assert_true (mail_imap_client_submit (client, headers, NULL, &error));
  g_assert_no_error (error);

  bodies = mail_imap_client_new_command (client, "UID FETCH");
  mail_imap_command_add_atom (bodies, "2 (UID BODY.PEEK[])");
  mail_imap_command_set_body_sink (bodies, &test_sink, &sink);
  mail_imap_command_collect (bodies, MAIL_IMAP_RESPONSE_FETCH);
  g_assert_true (mail_imap_client_submit (client, bodies, NULL, &error));
  g_assert_true (mail_imap_client_wait_sync (client, bodies, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_command_check (headers, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (mail_imap_command_get_responses (headers)->len, ==, 2);
  g_assert_cmpuint (mail_imap_command_get_responses (bodies)->len, ==, 1);
  g_assert_true (g_str_has_prefix (sink.events->str, "open 2 2 4 []\ncommit 2 "));
  sink_clear (&sink);
  mail_imap_client_close (client);
}

/* An unsolicited flag change that arrives during a body fetch still comes out as a
 * signal, as it would without the fetch. */
static void
test_flag_change_signal (Fixture       *fixture,
                         gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  MailImapClient *client;
  guint n_signals = 0;
  Sink sink;

  script_select (server);
  mail_fake_server_expect (server, "a2 UID FETCH 2 (UID BODY.PEEK[])");
  mail_fake_server_send (server,
                         "* 1 FETCH (UID 1 FLAGS (\\Seen))\r\n"
                         "* 2 FETCH (UID 2 BODY[] {4}\r\nbody)\r\n"
                         "a2 OK done\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_selected (fixture);
  g_signal_connect (client, "fetch", G_CALLBACK (flag_signal_cb), &n_signals);
  sink_init (&sink);
  g_assert_true (mail_imap_client_uid_fetch_body_sync (client, "2", "", &test_sink, &sink,
                                                       NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_signals, ==, 1);
  g_assert_true (g_str_has_prefix (sink.events->str, "open 2 2 4 []\ncommit 2 "));
  sink_clear (&sink);
  mail_imap_client_close (client);
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The _async call runs the sink on the client's queue thread, not the caller's. */
static void
test_async (Fixture       *fixture,
            gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  MailImapClient *client;
  Sink sink;

  script_select (server);
  mail_fake_server_expect (server, "a2 UID FETCH 3 (UID BODY.PEEK[TEXT])");
  mail_fake_server_send (server, "* 1 FETCH (UID 3 BODY[TEXT] {4}\r\ntext)\r\na2 OK done\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_selected (fixture);
  sink_init (&sink);
  mail_imap_client_uid_fetch_body_async (client, "3", "TEXT", &test_sink, &sink, NULL,
                                         async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (mail_imap_client_uid_fetch_body_finish (client, result, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (sink.events->str, "open 1 3 4 [TEXT]\ncommit 3 "));
  g_assert_true (sink.thread != g_thread_self ());
  sink_clear (&sink);
  mail_imap_client_close (client);
}

/* What cannot be a section or a UID set is refused before anything is sent. */
static void
test_unsendable (Fixture       *fixture,
                 gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  MailImapClient *client;
  Sink sink;

  script_select (server);
  mail_fake_server_wait_close (server);

  client = fixture_selected (fixture);
  sink_init (&sink);
  g_assert_false (mail_imap_client_uid_fetch_body_sync (client, "1", "]\r\na9 LOGOUT",
                                                        &test_sink, &sink, NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSENDABLE);
  g_clear_error (&error);
  g_assert_false (mail_imap_client_uid_fetch_body_sync (client, "1 BODY[]", "", &test_sink,
                                                        &sink, NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSENDABLE);
  g_assert_cmpuint (sink.n_open, ==, 0);
  sink_clear (&sink);
  mail_imap_client_close (client);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_print ("1..0 # SKIP no TLS backend (glib-networking)\n");
      return 0;
    }

  certs = mail_test_certs_new (&error);
  if (certs == NULL)
    {
      g_print ("1..0 # SKIP cannot make test certificates: %s\n", error->message);
      return 0;
    }

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/mail/imap/body-sink/large", test_large);
  ADD ("/mail/imap/body-sink/uid-order", test_uid_order);
  ADD ("/mail/imap/body-sink/sections", test_sections);
  ADD ("/mail/imap/body-sink/no-space", test_no_space);
  ADD ("/mail/imap/body-sink/open-fails", test_open_fails);
  ADD ("/mail/imap/body-sink/drop-mid-body", test_drop_mid_body);
  ADD ("/mail/imap/body-sink/malformed-after-body", test_malformed_after_body);
  ADD ("/mail/imap/body-sink/missing-uid", test_missing_uid);
  ADD ("/mail/imap/body-sink/too-large", test_too_large);
  ADD ("/mail/imap/body-sink/beyond-memory-limit", test_beyond_memory_limit);
  ADD ("/mail/imap/body-sink/other-literals", test_other_literals);
  ADD ("/mail/imap/body-sink/pipelined", test_pipelined);
  ADD ("/mail/imap/body-sink/flag-change-signal", test_flag_change_signal);
  ADD ("/mail/imap/body-sink/async", test_async);
  ADD ("/mail/imap/body-sink/unsendable", test_unsendable);

#undef ADD

  status = g_test_run ();
  mail_test_certs_free (certs);

  return status;
}
