/* test-protocol-log.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mail-protocol-log.h"

/* The text of each entry, without its time stamp. */
static char **
entries_text (MailProtocolLog *log)
{
  g_auto (GStrv) lines = mail_protocol_log_dup_lines (log);
  GStrvBuilder *builder = g_strv_builder_new ();
  char **result;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *space = strchr (lines[i], ' ');

      g_assert_nonnull (space);
      g_strv_builder_add (builder, space + 1);
    }

  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return result;
}

static void
test_lines (void)
{
  g_autoptr (MailProtocolLog) log = mail_protocol_log_new (0);
  g_auto (GStrv) text = NULL;
  g_auto (GStrv) lines = NULL;
  const char *pipelined = "a1 CAPABILITY\r\na2 NOOP\r\n";

  mail_protocol_log_add_info (log, "connected to %s", "127.0.0.1");
  mail_protocol_log_add_line (log, MAIL_PROTOCOL_LOG_RECEIVED, "* OK ready\r\n", -1);
  mail_protocol_log_add_data (log, MAIL_PROTOCOL_LOG_SENT, pipelined, strlen (pipelined));

  text = entries_text (log);
  g_assert_cmpuint (g_strv_length (text), ==, 4);
  g_assert_cmpstr (text[0], ==, "-- connected to 127.0.0.1");
  g_assert_cmpstr (text[1], ==, "S: * OK ready");
  g_assert_cmpstr (text[2], ==, "C: a1 CAPABILITY");
  g_assert_cmpstr (text[3], ==, "C: a2 NOOP");

  /* ISO 8601 UTC with milliseconds. */
  lines = mail_protocol_log_dup_lines (log);
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z -- ",
                                       lines[0], 0, 0));
}

static void
test_secret (void)
{
  g_autoptr (MailProtocolLog) log = mail_protocol_log_new (0);
  g_autofree char *all = NULL;
  g_auto (GStrv) text = NULL;
  const char *login = "a2 LOGIN \"tim\" \"hunter2\"\r\n";
  const char *auth = "AUTH PLAIN AHRpbQBodW50ZXIy\r\n";
  const char *pipelined = "a1 NOOP\r\na3 LOGIN tim hunter2\r\n";

  mail_protocol_log_add_secret (log, MAIL_PROTOCOL_LOG_SENT, login, strlen ("a2 LOGIN "));
  mail_protocol_log_add_secret (log, MAIL_PROTOCOL_LOG_SENT, auth, strlen ("AUTH PLAIN "));
  mail_protocol_log_add_secret (log, MAIL_PROTOCOL_LOG_SENT, "AHRpbQBodW50ZXIy\r\n", 0);
  mail_protocol_log_add_secret (log, MAIL_PROTOCOL_LOG_SENT, pipelined,
                                strlen ("a1 NOOP\r\na3 LOGIN "));

  text = entries_text (log);
  g_assert_cmpuint (g_strv_length (text), ==, 5);
  g_assert_cmpstr (text[0], ==, "C: a2 LOGIN ******");
  g_assert_cmpstr (text[1], ==, "C: AUTH PLAIN ******");
  g_assert_cmpstr (text[2], ==, "C: ******");
  g_assert_cmpstr (text[3], ==, "C: a1 NOOP");
  g_assert_cmpstr (text[4], ==, "C: a3 LOGIN ******");

  all = mail_protocol_log_to_string (log);
  g_assert_null (strstr (all, "hunter2"));
  g_assert_null (strstr (all, "AHRpbQBodW50ZXIy"));
}

static void
test_body (void)
{
  g_autoptr (MailProtocolLog) log = mail_protocol_log_new (0);
  g_autofree char *all = NULL;
  g_auto (GStrv) text = NULL;

  mail_protocol_log_add_line (log, MAIL_PROTOCOL_LOG_RECEIVED, "* 1 FETCH (BODY[] {1234}", -1);
  mail_protocol_log_add_body (log, MAIL_PROTOCOL_LOG_RECEIVED, 1234);
  mail_protocol_log_add_line (log, MAIL_PROTOCOL_LOG_RECEIVED, ")", -1);
  /* A POP3 RETR read line by line is one entry. */
  mail_protocol_log_add_body (log, MAIL_PROTOCOL_LOG_RECEIVED, 100);
  mail_protocol_log_add_body (log, MAIL_PROTOCOL_LOG_RECEIVED, 50);
  mail_protocol_log_add_body (log, MAIL_PROTOCOL_LOG_SENT, 7);
  mail_protocol_log_add_line (log, MAIL_PROTOCOL_LOG_RECEIVED, ".", -1);

  text = entries_text (log);
  g_assert_cmpuint (g_strv_length (text), ==, 6);
  g_assert_cmpstr (text[1], ==, "S: [1234 bytes]");
  g_assert_cmpstr (text[3], ==, "S: [150 bytes]");
  g_assert_cmpstr (text[4], ==, "C: [7 bytes]");
  g_assert_cmpstr (text[5], ==, "S: .");
}

static void
test_ring (void)
{
  g_autoptr (MailProtocolLog) log = mail_protocol_log_new (10);
  g_auto (GStrv) text = NULL;

  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *line = g_strdup_printf ("a%u NOOP", i);
      mail_protocol_log_add_line (log, MAIL_PROTOCOL_LOG_SENT, line, -1);
    }

  g_assert_cmpuint (mail_protocol_log_get_n_entries (log), ==, 10);
  text = entries_text (log);
  g_assert_cmpstr (text[0], ==, "C: a15 NOOP");
  g_assert_cmpstr (text[9], ==, "C: a24 NOOP");

  mail_protocol_log_clear (log);
  g_assert_cmpuint (mail_protocol_log_get_n_entries (log), ==, 0);
}

static void
test_default_size (void)
{
  g_autoptr (MailProtocolLog) log = mail_protocol_log_new (0);

  g_assert_cmpuint (mail_protocol_log_get_max_entries (log), ==, 1000);
  for (guint i = 0; i < 1500; i++)
    mail_protocol_log_add_line (log, MAIL_PROTOCOL_LOG_RECEIVED, "* OK", -1);
  g_assert_cmpuint (mail_protocol_log_get_n_entries (log), ==, 1000);
}

static void
test_escaping (void)
{
  g_autoptr (MailProtocolLog) log = mail_protocol_log_new (0);
  g_autofree char *long_line = g_strnfill (5000, 'x');
  g_auto (GStrv) text = NULL;

  mail_protocol_log_add_line (log, MAIL_PROTOCOL_LOG_RECEIVED, "* OK \033[31mred\a\xff caf\xc3\xa9",
                              -1);
  mail_protocol_log_add_line (log, MAIL_PROTOCOL_LOG_RECEIVED, "a\0b", 3);
  mail_protocol_log_add_line (log, MAIL_PROTOCOL_LOG_RECEIVED, long_line, -1);

  text = entries_text (log);
  g_assert_cmpstr (text[0], ==, "S: * OK \\x1B[31mred\\x07\\xFF café");
  g_assert_cmpstr (text[1], ==, "S: a\\x00b");
  g_assert_true (g_str_has_suffix (text[2], "x … [4000 more bytes]"));
  g_assert_cmpuint (strlen (text[2]), <, 1100);
}

typedef struct
{
  MailProtocolLog *log;
  guint            n;
} WriterData;

static gpointer
writer_thread (gpointer data)
{
  WriterData *writer = data;

  for (guint i = 0; i < writer->n; i++)
    mail_protocol_log_add_line (writer->log, MAIL_PROTOCOL_LOG_SENT, "a1 NOOP", -1);

  return NULL;
}

static void
test_threads (void)
{
  g_autoptr (MailProtocolLog) log = mail_protocol_log_new (100);
  WriterData writer = { log, 20000 };
  GThread *thread = g_thread_new ("writer", writer_thread, &writer);

  /* The UI reads while the connection's thread writes. */
  for (guint i = 0; i < 200; i++)
    {
      g_auto (GStrv) lines = mail_protocol_log_dup_lines (log);
      g_assert_cmpuint (g_strv_length (lines), <=, 100);
    }

  g_thread_join (thread);
  g_assert_cmpuint (mail_protocol_log_get_n_entries (log), ==, 100);
}

int
main (int   argc,
      char *argv[])
{
  /* Not G_TEST_OPTION_ISOLATE_DIRS: nothing here touches the user's directories, and in
   * GLib 2.74 every isolated test leaks the previous test's directory names, which
   * LeakSanitizer reports (GLib's stack is too short to suppress without slow unwinding). */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/net/protocol-log/lines", test_lines);
  g_test_add_func ("/mail/net/protocol-log/secret", test_secret);
  g_test_add_func ("/mail/net/protocol-log/body", test_body);
  g_test_add_func ("/mail/net/protocol-log/ring", test_ring);
  g_test_add_func ("/mail/net/protocol-log/default-size", test_default_size);
  g_test_add_func ("/mail/net/protocol-log/escaping", test_escaping);
  g_test_add_func ("/mail/net/protocol-log/threads", test_threads);

  return g_test_run ();
}
