/* test-imap-command.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Building IMAP commands: strings in the form the server allows, literals split at their
 * synchronization points, mailbox names encoded, secrets marked for the redacted log. */

#include "config.h"

#include <string.h>

#include "mail-imap-client-private.h"

/* The command as sent, with "|" where the client waits for a continuation. */
static char *
render (MailImapCommand *command)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < command->segments->len; i++)
    {
      MailImapSegment *segment = &g_array_index (command->segments, MailImapSegment, i);

      g_string_append_len (out, (const char *) segment->data->data, segment->data->len);
      if (segment->wait_continuation)
        g_string_append_c (out, '|');
    }

  return g_string_free (out, FALSE);
}

static void
test_strings (void)
{
  g_autoptr (MailImapCommand) command = mail_imap_command_new ("LOGIN", MAIL_IMAP_QUOTE_NONE);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (mail_imap_command_add_string (command, "al\"ice", &error));
  g_assert_no_error (error);
  mail_imap_command_add_atom (command, "(FLAGS)");
  text = render (command);
  g_assert_cmpstr (text, ==, "LOGIN \"al\\\"ice\" (FLAGS)");
  g_assert_cmpstr (mail_imap_command_get_verb (command), ==, "LOGIN");
  g_assert_null (mail_imap_command_get_tag (command));
  g_assert_false (mail_imap_command_is_done (command));
}

static void
test_literals (void)
{
  g_autoptr (MailImapCommand) sync = mail_imap_command_new ("UID SEARCH", MAIL_IMAP_QUOTE_NONE);
  g_autoptr (MailImapCommand) plus = mail_imap_command_new ("UID SEARCH",
                                                            MAIL_IMAP_QUOTE_LITERAL_PLUS);
  g_autoptr (GBytes) data = g_bytes_new_static ("abc", 3);
  g_autoptr (GError) error = NULL;
  g_autofree char *sync_text = NULL;
  g_autofree char *plus_text = NULL;

  g_assert_true (mail_imap_command_add_string (sync, "Grüße", &error));
  mail_imap_command_add_atom (sync, "ALL");
  sync_text = render (sync);
  g_assert_cmpstr (sync_text, ==, "UID SEARCH {7}\r\n|Grüße ALL");
  g_assert_cmpuint (sync->segments->len, ==, 2);

  g_assert_true (mail_imap_command_add_string (plus, "Grüße", &error));
  mail_imap_command_add_literal (plus, data);
  mail_imap_command_add_atom (plus, "ALL");
  plus_text = render (plus);
  g_assert_cmpstr (plus_text, ==, "UID SEARCH {7+}\r\nGrüße {3+}\r\nabc ALL");
  /* Message data is a piece of its own, so that the log shows only its size. */
  g_assert_cmpuint (plus->segments->len, ==, 3);
  g_assert_true (g_array_index (plus->segments, MailImapSegment, 1).body);
  g_assert_false (g_array_index (plus->segments, MailImapSegment, 0).body);
}

static void
test_mailbox (void)
{
  g_autoptr (MailImapCommand) utf7 = mail_imap_command_new ("SELECT", MAIL_IMAP_QUOTE_NONE);
  g_autoptr (MailImapCommand) utf8 = mail_imap_command_new ("SELECT", MAIL_IMAP_QUOTE_UTF8);
  g_autoptr (MailImapCommand) inbox = mail_imap_command_new ("SELECT", MAIL_IMAP_QUOTE_NONE);
  g_autoptr (GError) error = NULL;
  g_autofree char *utf7_text = NULL;
  g_autofree char *utf8_text = NULL;
  g_autofree char *inbox_text = NULL;

  g_assert_true (mail_imap_command_add_mailbox (utf7, "Entwürfe", &error));
  g_assert_true (mail_imap_command_add_mailbox (utf8, "Entwürfe", &error));
  g_assert_true (mail_imap_command_add_mailbox (inbox, "inbox", &error));
  g_assert_no_error (error);
  utf7_text = render (utf7);
  utf8_text = render (utf8);
  inbox_text = render (inbox);
  g_assert_cmpstr (utf7_text, ==, "SELECT Entw&APw-rfe");
  g_assert_cmpstr (utf8_text, ==, "SELECT \"Entwürfe\"");
  g_assert_cmpstr (inbox_text, ==, "SELECT INBOX");
}

static void
test_secret (void)
{
  g_autoptr (MailImapCommand) quoted = mail_imap_command_new ("LOGIN", MAIL_IMAP_QUOTE_NONE);
  g_autoptr (MailImapCommand) literal = mail_imap_command_new ("LOGIN",
                                                               MAIL_IMAP_QUOTE_LITERAL_PLUS);
  g_autoptr (GError) error = NULL;
  MailImapSegment *segment;

  g_assert_true (mail_imap_command_add_string (quoted, "alice", &error));
  mail_imap_command_add_secret (quoted, "pass word");
  g_assert_cmpuint (quoted->segments->len, ==, 1);
  segment = &g_array_index (quoted->segments, MailImapSegment, 0);
  g_assert_true (segment->secret);
  g_assert_cmpuint (segment->public_len, ==, strlen ("LOGIN \"alice\" "));
  g_assert_cmpmem (segment->data->data, segment->data->len, "LOGIN \"alice\" \"pass word\"", 25);

  /* A password with a line break needs a literal; even with LITERAL+ it waits for the
   * server's "+", and only the literal is secret. */
  g_assert_true (mail_imap_command_add_string (literal, "alice", &error));
  mail_imap_command_add_secret (literal, "a\nb");
  g_assert_cmpuint (literal->segments->len, ==, 3);
  segment = &g_array_index (literal->segments, MailImapSegment, 0);
  g_assert_false (segment->secret);
  g_assert_true (segment->wait_continuation);
  segment = &g_array_index (literal->segments, MailImapSegment, 1);
  g_assert_true (segment->secret);
  g_assert_cmpuint (segment->public_len, ==, 0);
  g_assert_cmpmem (segment->data->data, segment->data->len, "a\nb", 3);
}

static void
test_unsendable (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (_mail_imap_check_atom ("a b", &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_UNSENDABLE);
  g_assert_true (_mail_imap_is_atom_text ("Message-ID"));
  g_assert_false (_mail_imap_is_atom_text ("x)"));
  g_assert_false (_mail_imap_is_atom_text (""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/imap/command/strings", test_strings);
  g_test_add_func ("/mail/imap/command/literals", test_literals);
  g_test_add_func ("/mail/imap/command/mailbox", test_mailbox);
  g_test_add_func ("/mail/imap/command/secret", test_secret);
  g_test_add_func ("/mail/imap/command/unsendable", test_unsendable);

  return g_test_run ();
}
