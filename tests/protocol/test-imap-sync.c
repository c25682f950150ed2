/* test-imap-sync.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What a sync engine needs of MailImapClient, against scripted servers: temporary
 * refusals ([INUSE], [UNAVAILABLE]) told apart from permanent ones; SELECT with CONDSTORE
 * and with QRESYNC, whose VANISHED (EARLIER) and FETCH changes go to functions; UID FETCH
 * with CHANGEDSINCE and VANISHED; LIST with special-use attributes, subscriptions and
 * LIST-STATUS; STATUS with HIGHESTMODSEQ; a header sync of 50 000 messages streamed
 * through a function; header fields; MOVE, UID EXPUNGE and APPEND with their UIDPLUS
 * codes; quota. */

#include "config.h"

#include <string.h>

#include "mail-fake-server.h"
#include "mail-imap-client.h"
#include "mail-test-certs.h"
#include "mail-test-util.h"
#include "mail-tls-database.h"

static MailTestCerts *certs;

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

/* Starts the fixture's server, whose script must be complete, and a client for it. */
static MailImapClient *
fixture_client (Fixture *fixture)
{
  MailImapClient *client;

  mail_fake_server_start (fixture->server);
  client = mail_imap_client_new ("localhost", mail_fake_server_get_port (fixture->server),
                                 MAIL_SECURITY_TLS, fixture->database);
  mail_connection_set_timeout (mail_imap_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_COMMAND, 10);
  mail_connection_set_timeout (mail_imap_client_get_connection (client),
                               MAIL_CONNECTION_PHASE_GREETING, 10);
  fixture->client = client;

  return client;
}

static MailImapClient *
fixture_connected (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  MailImapClient *client = fixture_client (fixture);

  g_assert_true (mail_imap_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);

  return client;
}

static void
assert_temporary (const GError *error)
{
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_TEMPORARY);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_TEMPORARY);
  g_assert_cmpstr (mail_error_category_to_string (mail_error_categorize (error)), ==,
                   "temporary");
}

/* [INUSE] and [UNAVAILABLE] are refusals for now, to be retried; a NO without them is
 * not, and neither is [OVERQUOTA]. */
static void
test_temporary (Fixture       *fixture,
                gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  MailImapClient *client;

  mail_fake_server_send (server, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  mail_fake_server_expect (server, "a1 SELECT INBOX");
  mail_fake_server_send (server, "a1 NO [INUSE] Mailbox in use by another session\r\n");
  mail_fake_server_expect (server, "a2 CREATE Archive");
  mail_fake_server_send (server, "a2 NO [UNAVAILABLE] Backend down\r\n");
  mail_fake_server_expect (server, "a3 CREATE Archive");
  mail_fake_server_send (server, "a3 NO [OVERQUOTA] Full\r\n");
  mail_fake_server_expect (server, "a4 CREATE Archive");
  mail_fake_server_send (server, "a4 NO No\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_connected (fixture);
  g_assert_false (mail_imap_client_select_sync (client, "INBOX", FALSE, NULL, NULL, NULL,
                                                &error));
  assert_temporary (error);
  g_assert_nonnull (strstr (error->message, "INUSE"));
  g_clear_error (&error);

  g_assert_false (mail_imap_client_create_sync (client, "Archive", NULL, &error));
  assert_temporary (error);
  g_clear_error (&error);

  g_assert_false (mail_imap_client_create_sync (client, "Archive", NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_OVERQUOTA);
  g_assert_cmpint (mail_error_categorize (error), !=, MAIL_ERROR_CATEGORY_TEMPORARY);
  g_clear_error (&error);

  g_assert_false (mail_imap_client_create_sync (client, "Archive", NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_NO);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_PROTOCOL);

  g_assert_true (g_str_has_suffix (mail_error_category_describe (MAIL_ERROR_CATEGORY_TEMPORARY),
                                   "."));
  g_assert_cmpint (mail_error_category_from_string ("temporary"), ==,
                   MAIL_ERROR_CATEGORY_TEMPORARY);
  mail_imap_client_close (client);
}

/* An authentication service that is down is not a wrong password: the user must not be
 * asked for it again. */
static void
test_login_unavailable (Fixture       *fixture,
                        gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  MailImapClient *client;

  mail_fake_server_send (server, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] hi\r\n");
  mail_fake_server_expect (server, "a1 AUTHENTICATE PLAIN *");
  mail_fake_server_send (server, "a1 NO [UNAVAILABLE] Authentication backend down\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_connected (fixture);
  g_assert_false (mail_imap_client_login_sync (client, "alice", "pw", NULL, &error));
  assert_temporary (error);
  mail_imap_client_close (client);
}

/* A server too busy to take the connection says so in its greeting. */
static void
test_greeting_unavailable (Fixture       *fixture,
                           gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  MailImapClient *client;

  mail_fake_server_send (server, "* BYE [UNAVAILABLE] Too many connections, try later\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_client (fixture);
  g_assert_false (mail_imap_client_connect_sync (client, NULL, &error));
  assert_temporary (error);
  g_assert_nonnull (strstr (error->message, "Too many connections"));
}

/* ---------------------------------------------------------------------------------- */

typedef struct
{
  GString *fetched;
  GString *vanished;
  guint    n_fetch_signals;
  guint    n_vanished_signals;
} Changes;

static void
changes_init (Changes *changes)
{
  memset (changes, 0, sizeof *changes);
  changes->fetched = g_string_new (NULL);
  changes->vanished = g_string_new (NULL);
}

static void
changes_clear (Changes *changes)
{
  g_string_free (changes->fetched, TRUE);
  g_string_free (changes->vanished, TRUE);
}

static void
changed_cb (const MailImapFetch *fetch,
            gpointer             user_data)
{
  Changes *changes = user_data;

  g_string_append_printf (changes->fetched, "%u:%" G_GUINT64_FORMAT ":%s;", fetch->uid,
                          fetch->modseq,
                          (fetch->flags.bits & MAIL_IMAP_FLAG_SEEN) != 0 ? "seen" : "unseen");
}

static void
vanished_cb (const MailImapVanishedData *vanished,
             gpointer                    user_data)
{
  Changes *changes = user_data;

  g_string_append_printf (changes->vanished, "%s%s/%u;", vanished->earlier ? "earlier " : "",
                          vanished->uids.raw, vanished->uids.n_ranges);
}

static void
fetch_signal_cb (MailImapClient   *client,
                 MailImapResponse *response,
                 gpointer          user_data)
{
  ((Changes *) user_data)->n_fetch_signals++;
}

static void
vanished_signal_cb (MailImapClient   *client,
                    MailImapResponse *response,
                    gpointer          user_data)
{
  ((Changes *) user_data)->n_vanished_signals++;
}

static void
connect_change_signals (MailImapClient *client,
                        Changes        *changes)
{
  g_signal_connect (client, "fetch", G_CALLBACK (fetch_signal_cb), changes);
  g_signal_connect (client, "vanished", G_CALLBACK (vanished_signal_cb), changes);
}

static void
enable_qresync (MailImapClient *client)
{
  static const char * const qresync[] = { "QRESYNC", NULL };
  g_autoptr (GError) error = NULL;

  g_assert_true (mail_imap_client_enable_sync (client, qresync, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_client_is_enabled (client, "QRESYNC"));
}

/* The QRESYNC select of RFC 7162's example: what the mailbox is now, the UIDs expunged
 * since (VANISHED (EARLIER)) and the flags changed since, to the functions and not as
 * signals; then the same through mail_imap_client_select_sync(), as signals. */
static void
test_qresync_select (Fixture       *fixture,
                     gconstpointer  user_data)
{
  static const char reply[] =
    "* 317 EXISTS\r\n"
    "* OK [UIDVALIDITY 67890007] UIDVALIDITY\r\n"
    "* OK [UIDNEXT 600] Predicted next UID\r\n"
    "* OK [HIGHESTMODSEQ 20010715194045319] Highest mailbox mod-sequence\r\n"
    "* FLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen)\r\n"
    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen \\*)] Permanent\r\n"
    "* VANISHED (EARLIER) 41,43:116,118,120:211,214:540\r\n"
    "* 49 FETCH (UID 117 FLAGS (\\Seen \\Answered) MODSEQ (20010715194032001))\r\n"
    "* 50 FETCH (UID 119 FLAGS (\\Draft $MDNSent) MODSEQ (20010715194032001))\r\n"
    "* 51 FETCH (UID 541 FLAGS (\\Seen $Forwarded) MODSEQ (20010715194032001))\r\n";
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  g_autofree char *first = g_strdup_printf ("%sa2 OK [READ-WRITE] mailbox selected\r\n", reply);
  g_autofree char *second = g_strdup_printf ("%sa3 OK [READ-ONLY] mailbox selected\r\n", reply);
  MailImapQresync qresync = { 67890007, G_GUINT64_CONSTANT (20010715194045000),
                              "41:211,214:541" };
  MailImapMailboxInfo info;
  MailImapClient *client;
  Changes changes;

  mail_fake_server_send (server, "* PREAUTH [CAPABILITY IMAP4rev1 ENABLE CONDSTORE QRESYNC] hi\r\n");
  mail_fake_server_expect (server, "a1 ENABLE QRESYNC");
  mail_fake_server_send (server, "* ENABLED QRESYNC\r\na1 OK enabled\r\n");
  mail_fake_server_expect (server, "a2 SELECT INBOX (QRESYNC (67890007 20010715194045000 "
                                   "41:211,214:541))");
  mail_fake_server_send (server, first);
  mail_fake_server_expect (server, "a3 EXAMINE INBOX (QRESYNC (67890007 20010715194045000 "
                                   "41:211,214:541))");
  mail_fake_server_send (server, second);
  mail_fake_server_wait_close (server);

  client = fixture_connected (fixture);
  enable_qresync (client);
  changes_init (&changes);
  connect_change_signals (client, &changes);

  g_assert_true (mail_imap_client_select_changes_sync (client, "INBOX", FALSE, &qresync, &info,
                                                       changed_cb, vanished_cb, &changes, NULL,
                                                       &error));
  g_assert_no_error (error);
  g_assert_cmpuint (info.exists, ==, 317);
  g_assert_cmpuint (info.uidvalidity, ==, 67890007);
  g_assert_cmpuint (info.uidnext, ==, 600);
  g_assert_cmpuint (info.highestmodseq, ==, G_GUINT64_CONSTANT (20010715194045319));
  g_assert_false (info.nomodseq);
  g_assert_true (info.read_write);
  g_assert_cmpstr (changes.vanished->str, ==, "earlier 41,43:116,118,120:211,214:540/5;");
  g_assert_cmpstr (changes.fetched->str, ==,
                   "117:20010715194032001:seen;119:20010715194032001:unseen;"
                   "541:20010715194032001:seen;");
  g_assert_cmpuint (changes.n_fetch_signals, ==, 0);
  g_assert_cmpuint (changes.n_vanished_signals, ==, 0);

  /* Without functions, the changes come as signals. */
  g_assert_true (mail_imap_client_select_sync (client, "INBOX", TRUE, &qresync, &info, NULL,
                                               &error));
  g_assert_no_error (error);
  g_assert_false (info.read_write);
  g_assert_cmpuint (changes.n_fetch_signals, ==, 3);
  g_assert_cmpuint (changes.n_vanished_signals, ==, 1);
  changes_clear (&changes);
  mail_imap_client_close (client);
}

/* A server that offers CONDSTORE without it being enabled gets (CONDSTORE) on SELECT, and
 * says HIGHESTMODSEQ, or NOMODSEQ for a mailbox without mod-sequences. */
static void
test_condstore_select (Fixture       *fixture,
                       gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  MailImapMailboxInfo info;
  MailImapClient *client;

  mail_fake_server_send (server, "* PREAUTH [CAPABILITY IMAP4rev1 CONDSTORE] hi\r\n");
  mail_fake_server_expect (server, "a1 SELECT INBOX (CONDSTORE)");
  mail_fake_server_send (server, "* 3 EXISTS\r\n* OK [UIDVALIDITY 5] u\r\n* OK [UIDNEXT 9] n\r\n"
                                 "* OK [HIGHESTMODSEQ 715194045007] h\r\na1 OK [READ-WRITE] ok\r\n");
  mail_fake_server_expect (server, "a2 EXAMINE Archive (CONDSTORE)");
  mail_fake_server_send (server, "* 0 EXISTS\r\n* OK [UIDVALIDITY 6] u\r\n* OK [NOMODSEQ] none\r\n"
                                 "a2 OK [READ-ONLY] ok\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_connected (fixture);
  g_assert_true (mail_imap_client_select_sync (client, "INBOX", FALSE, NULL, &info, NULL,
                                               &error));
  g_assert_no_error (error);
  g_assert_cmpuint (info.exists, ==, 3);
  g_assert_cmpuint (info.uidvalidity, ==, 5);
  g_assert_cmpuint (info.uidnext, ==, 9);
  g_assert_cmpuint (info.highestmodseq, ==, G_GUINT64_CONSTANT (715194045007));

  g_assert_true (mail_imap_client_select_sync (client, "Archive", TRUE, NULL, &info, NULL,
                                               &error));
  g_assert_no_error (error);
  g_assert_true (info.nomodseq);
  g_assert_cmpuint (info.highestmodseq, ==, 0);
  mail_imap_client_close (client);
}

/* UID FETCH (CHANGEDSINCE n VANISHED): the changed messages to the fetch function, the
 * expunged UIDs to the vanished function; without QRESYNC there is no VANISHED modifier. */
static void
test_changedsince (Fixture       *fixture,
                   gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) kept = NULL;
  g_autoptr (GPtrArray) kept2 = NULL;
  MailImapFetchOptions options = { MAIL_IMAP_FETCH_ATTR_FLAGS | MAIL_IMAP_FETCH_ATTR_MODSEQ, };
  MailImapClient *client;
  Changes changes;

  mail_fake_server_send (server, "* PREAUTH [CAPABILITY IMAP4rev1 ENABLE CONDSTORE QRESYNC] hi\r\n");
  mail_fake_server_expect (server, "a1 ENABLE QRESYNC");
  mail_fake_server_send (server, "* ENABLED QRESYNC\r\na1 OK enabled\r\n");
  mail_fake_server_expect (server, "a2 SELECT INBOX");
  mail_fake_server_send (server, "* 5 EXISTS\r\n* OK [HIGHESTMODSEQ 400] h\r\na2 OK [READ-WRITE] ok\r\n");
  mail_fake_server_expect (server, "a3 UID FETCH 1:* (UID FLAGS MODSEQ) (CHANGEDSINCE 300 VANISHED)");
  mail_fake_server_send (server, "* VANISHED (EARLIER) 300:310,405,411\r\n"
                                 "* 1 FETCH (UID 4 FLAGS (\\Seen) MODSEQ (320))\r\n"
                                 "* 2 FETCH (UID 6 FLAGS () MODSEQ (399))\r\n"
                                 "a3 OK fetched\r\n");
  mail_fake_server_expect (server, "a4 UID FETCH 1:* (UID FLAGS MODSEQ) (CHANGEDSINCE 399 VANISHED)");
  mail_fake_server_send (server, "* VANISHED (EARLIER) 7\r\na4 OK fetched\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_connected (fixture);
  enable_qresync (client);
  changes_init (&changes);
  connect_change_signals (client, &changes);
  g_assert_true (mail_imap_client_select_sync (client, "INBOX", FALSE, NULL, NULL, NULL,
                                               &error));
  g_assert_no_error (error);

  options.changed_since = 300;
  options.vanished = TRUE;
  options.vanished_func = vanished_cb;
  kept = mail_imap_client_uid_fetch_sync (client, "1:*", &options, changed_cb, &changes, NULL,
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kept->len, ==, 0);
  g_assert_cmpstr (changes.fetched->str, ==, "4:320:seen;6:399:unseen;");
  g_assert_cmpstr (changes.vanished->str, ==, "earlier 300:310,405,411/3;");
  g_assert_cmpuint (changes.n_vanished_signals, ==, 0);

  /* Without a vanished function: a signal, as before. */
  options.changed_since = 399;
  options.vanished_func = NULL;
  kept2 = mail_imap_client_uid_fetch_sync (client, "1:*", &options, changed_cb, &changes, NULL,
                                           &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes.n_vanished_signals, ==, 1);
  changes_clear (&changes);
  mail_imap_client_close (client);
}

/* With CONDSTORE only, CHANGEDSINCE goes without VANISHED, which the server would refuse. */
static void
test_changedsince_condstore (Fixture       *fixture,
                             gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) kept = NULL;
  MailImapFetchOptions options = { MAIL_IMAP_FETCH_ATTR_FLAGS, };
  MailImapClient *client;
  Changes changes;

  mail_fake_server_send (server, "* PREAUTH [CAPABILITY IMAP4rev1 CONDSTORE] hi\r\n");
  mail_fake_server_expect (server, "a1 SELECT INBOX (CONDSTORE)");
  mail_fake_server_send (server, "* 5 EXISTS\r\n* OK [HIGHESTMODSEQ 400] h\r\na1 OK [READ-WRITE] ok\r\n");
  mail_fake_server_expect (server, "a2 UID FETCH 1:* (UID FLAGS) (CHANGEDSINCE 300)");
  mail_fake_server_send (server, "* 1 FETCH (UID 4 FLAGS (\\Seen) MODSEQ (320))\r\na2 OK\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_connected (fixture);
  changes_init (&changes);
  g_assert_true (mail_imap_client_select_sync (client, "INBOX", FALSE, NULL, NULL, NULL,
                                               &error));
  options.changed_since = 300;
  options.vanished = TRUE;
  options.vanished_func = vanished_cb;
  kept = mail_imap_client_uid_fetch_sync (client, "1:*", &options, changed_cb, &changes, NULL,
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpstr (changes.fetched->str, ==, "4:320:seen;");
  g_assert_cmpstr (changes.vanished->str, ==, "");
  changes_clear (&changes);
  mail_imap_client_close (client);
}

/* The attributes of @name in a LIST result, which must hold it. */
static MailImapMailboxAttributes
attributes_of (GPtrArray  *responses,
               const char *name)
{
  for (guint i = 0; i < responses->len; i++)
    {
      const MailImapResponse *r = g_ptr_array_index (responses, i);

      if (r->kind == MAIL_IMAP_RESPONSE_LIST && g_strcmp0 (r->list.mailbox.name, name) == 0)
        {
          g_assert_cmpuint (r->list.delimiter, ==, '/');
          return r->list.attributes;
        }
    }

  g_assert_not_reached ();
}

/* The STATUS of @name in a LIST-STATUS result, which must hold it. */
static MailImapStatusData
status_of (GPtrArray  *responses,
           const char *name)
{
  for (guint i = 0; i < responses->len; i++)
    {
      const MailImapResponse *r = g_ptr_array_index (responses, i);

      if (r->kind == MAIL_IMAP_RESPONSE_MAILBOX_STATUS
          && g_strcmp0 (r->mailbox_status.mailbox.name, name) == 0)
        return r->mailbox_status;
    }

  g_assert_not_reached ();
}

/* One LIST gives the whole folder tree with special-use roles, subscriptions and the status
 * of every folder (with HIGHESTMODSEQ under CONDSTORE); a server that offers none of
 * that gets a plain LIST. */
static void
test_list_special_use (Fixture       *fixture,
                       gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  MailImapStatusData status;
  MailImapClient *client;
  MailImapListFlags flags = MAIL_IMAP_LIST_SPECIAL_USE | MAIL_IMAP_LIST_STATUS
                            | MAIL_IMAP_LIST_RETURN_SUBSCRIBED;

  mail_fake_server_send (server, "* PREAUTH [CAPABILITY IMAP4rev1 LIST-EXTENDED SPECIAL-USE "
                                 "LIST-STATUS CONDSTORE] hi\r\n");
  mail_fake_server_expect (server, "a1 LIST \"\" \"*\" RETURN (SUBSCRIBED SPECIAL-USE STATUS "
                                   "(MESSAGES UNSEEN UIDNEXT UIDVALIDITY HIGHESTMODSEQ))");
  mail_fake_server_send (server,
                         "* LIST (\\HasNoChildren \\Subscribed) \"/\" INBOX\r\n"
                         "* STATUS INBOX (MESSAGES 17 UNSEEN 16 UIDNEXT 44 UIDVALIDITY 3 "
                         "HIGHESTMODSEQ 99)\r\n"
                         "* LIST (\\HasNoChildren \\Sent \\Subscribed) \"/\" \"Sent Messages\"\r\n"
                         "* LIST (\\HasNoChildren \\Trash) \"/\" Trash\r\n"
                         "* LIST (\\HasChildren \\Noselect \\Archive) \"/\" Archive\r\n"
                         "* LIST (\\Junk \\Drafts) \"/\" Spam\r\n"
                         "* LIST (\\All \\Flagged \\Important) \"/\" Virtual/All\r\n"
                         "a1 OK done\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_connected (fixture);
  list = mail_imap_client_list_sync (client, "", "*", flags, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 7);

  g_assert_true (attributes_of (list, "INBOX") & MAIL_IMAP_MAILBOX_SUBSCRIBED);
  g_assert_cmpuint (attributes_of (list, "Sent Messages")
                    & (MAIL_IMAP_MAILBOX_SENT | MAIL_IMAP_MAILBOX_SUBSCRIBED), ==,
                    MAIL_IMAP_MAILBOX_SENT | MAIL_IMAP_MAILBOX_SUBSCRIBED);
  g_assert_true (attributes_of (list, "Trash") & MAIL_IMAP_MAILBOX_TRASH);
  g_assert_false (attributes_of (list, "Trash") & MAIL_IMAP_MAILBOX_SUBSCRIBED);
  g_assert_cmpuint (attributes_of (list, "Archive")
                    & (MAIL_IMAP_MAILBOX_ARCHIVE | MAIL_IMAP_MAILBOX_NOSELECT), ==,
                    MAIL_IMAP_MAILBOX_ARCHIVE | MAIL_IMAP_MAILBOX_NOSELECT);
  g_assert_cmpuint (attributes_of (list, "Spam")
                    & (MAIL_IMAP_MAILBOX_JUNK | MAIL_IMAP_MAILBOX_DRAFTS), ==,
                    MAIL_IMAP_MAILBOX_JUNK | MAIL_IMAP_MAILBOX_DRAFTS);
  g_assert_cmpuint (attributes_of (list, "Virtual/All")
                    & (MAIL_IMAP_MAILBOX_ALL | MAIL_IMAP_MAILBOX_FLAGGED
                       | MAIL_IMAP_MAILBOX_IMPORTANT), ==,
                    MAIL_IMAP_MAILBOX_ALL | MAIL_IMAP_MAILBOX_FLAGGED | MAIL_IMAP_MAILBOX_IMPORTANT);

  status = status_of (list, "INBOX");
  g_assert_cmpuint (status.messages, ==, 17);
  g_assert_cmpuint (status.unseen, ==, 16);
  g_assert_cmpuint (status.uidnext, ==, 44);
  g_assert_cmpuint (status.uidvalidity, ==, 3);
  g_assert_true (status.items & MAIL_IMAP_STATUS_ITEM_HIGHESTMODSEQ);
  g_assert_cmpuint (status.highestmodseq, ==, 99);
  mail_imap_client_close (client);
}

static void
test_list_plain (Fixture       *fixture,
                 gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  MailImapClient *client;
  MailImapListFlags flags = MAIL_IMAP_LIST_SPECIAL_USE | MAIL_IMAP_LIST_STATUS
                            | MAIL_IMAP_LIST_RETURN_SUBSCRIBED;

  mail_fake_server_send (server, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  mail_fake_server_expect (server, "a1 LIST \"\" \"*\"");
  mail_fake_server_send (server, "* LIST () \".\" INBOX\r\na1 OK done\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_connected (fixture);
  list = mail_imap_client_list_sync (client, "", "*", flags, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  mail_imap_client_close (client);
}

/* STATUS with HIGHESTMODSEQ: whether a folder changed, without selecting it. */
static void
test_status_highestmodseq (Fixture       *fixture,
                           gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailImapResponse) status = NULL;
  MailImapClient *client;

  mail_fake_server_send (server, "* PREAUTH [CAPABILITY IMAP4rev1 CONDSTORE] hi\r\n");
  mail_fake_server_expect (server, "a1 STATUS Archive (MESSAGES UIDNEXT UIDVALIDITY "
                                   "HIGHESTMODSEQ)");
  mail_fake_server_send (server, "* STATUS Archive (MESSAGES 2 UIDNEXT 3 UIDVALIDITY 4 "
                                 "HIGHESTMODSEQ 7011231777)\r\na1 OK\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_connected (fixture);
  status = mail_imap_client_status_sync (client, "Archive",
                                         MAIL_IMAP_STATUS_ITEM_MESSAGES
                                         | MAIL_IMAP_STATUS_ITEM_UIDNEXT
                                         | MAIL_IMAP_STATUS_ITEM_UIDVALIDITY
                                         | MAIL_IMAP_STATUS_ITEM_HIGHESTMODSEQ, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status->mailbox_status.highestmodseq, ==, G_GUINT64_CONSTANT (7011231777));
  g_assert_cmpuint (status->mailbox_status.uidnext, ==, 3);
  mail_imap_client_close (client);
}

#define N_HEADERS 50000

typedef struct
{
  guint   count;
  guint32 last_uid;
} HeaderCount;

static void
header_cb (const MailImapFetch *fetch,
           gpointer             user_data)
{
  HeaderCount *count = user_data;
  g_autofree char *references = NULL;
  g_autofree char *in_reply_to = NULL;
  g_autofree char *expected = NULL;

  g_assert_cmpuint (fetch->uid, ==, count->last_uid + 1);
  g_assert_true (fetch->flags.bits & MAIL_IMAP_FLAG_SEEN);
  g_assert_cmpuint (fetch->items & MAIL_IMAP_FETCH_INTERNALDATE, !=, 0);
  g_assert_cmpint (fetch->internaldate, ==, 1773500966);
  g_assert_cmpuint (fetch->rfc822_size, ==, 1000 + fetch->uid);
  g_assert_nonnull (fetch->envelope);
  g_assert_cmpstr (fetch->envelope->subject, ==, "Hello");
  g_assert_cmpstr (fetch->envelope->from->mailbox, ==, "bob");
  g_assert_cmpstr (fetch->envelope->from->host, ==, "example.test");
  g_assert_nonnull (fetch->body);
  g_assert_cmpstr (fetch->body->type, ==, "multipart");
  g_assert_cmpuint (fetch->body->n_children, ==, 2);
  g_assert_cmpstr (fetch->body->children[1].disposition, ==, "attachment");

  references = mail_imap_fetch_dup_header (fetch, "References");
  in_reply_to = mail_imap_fetch_dup_header (fetch, "in-reply-to");
  expected = g_strdup_printf ("<a%u@example.test> <b%u@example.test>", fetch->uid, fetch->uid);
  g_assert_cmpstr (references, ==, expected);
  g_assert_cmpstr (in_reply_to, ==, "<b@example.test>");

  count->last_uid = fetch->uid;
  count->count++;
}

/* A header sync of 50 000 messages: envelope, flags, date, size, structure and the threading
 * headers of each, parsed and handed to a function one by one, none kept, even with a
 * budget far too small to keep them. */
static void
test_header_streaming (Fixture       *fixture,
                       gconstpointer  user_data)
{
  static const char * const fields[] = { "REFERENCES", "IN-REPLY-TO", NULL };
  MailFakeServer *server = fixture->server;
  g_autoptr (GString) reply = g_string_new (NULL);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GPtrArray) kept = NULL;
  g_autoptr (GError) error = NULL;
  MailImapFetchOptions options = { MAIL_IMAP_FETCH_ATTR_FLAGS | MAIL_IMAP_FETCH_ATTR_ENVELOPE
                                   | MAIL_IMAP_FETCH_ATTR_INTERNALDATE
                                   | MAIL_IMAP_FETCH_ATTR_SIZE
                                   | MAIL_IMAP_FETCH_ATTR_BODYSTRUCTURE, fields, };
  MailImapClientLimits limits;
  HeaderCount count = { 0, 0 };
  MailImapClient *client;

  mail_fake_server_send (server, "* PREAUTH [CAPABILITY IMAP4rev1] hi\r\n");
  mail_fake_server_expect (server, "a1 SELECT INBOX");
  mail_fake_server_send (server, "* 50000 EXISTS\r\na1 OK [READ-WRITE] ok\r\n");
  mail_fake_server_expect (server, "a2 UID FETCH 1:* (UID FLAGS ENVELOPE INTERNALDATE "
                                   "RFC822.SIZE BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS "
                                   "(REFERENCES IN-REPLY-TO)])");
  for (guint i = 1; i <= N_HEADERS; i++)
    {
      g_autofree char *headers =
        g_strdup_printf ("References: <a%u@example.test>\r\n <b%u@example.test>\r\n"
                         "In-Reply-To: <b@example.test>\r\n\r\n", i, i);

      g_string_append_printf (reply,
                              "* %u FETCH (UID %u FLAGS (\\Seen) "
                              "INTERNALDATE \"14-Mar-2026 15:09:26 +0000\" RFC822.SIZE %u "
                              "ENVELOPE (\"Sat, 14 Mar 2026 15:09:26 +0000\" \"Hello\" "
                              "((\"Bob\" NIL \"bob\" \"example.test\")) NIL NIL "
                              "((NIL NIL \"alice\" \"example.test\")) NIL NIL "
                              "\"<b@example.test>\" \"<m%u@example.test>\") "
                              "BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL "
                              "NIL \"7bit\" 12 1 NIL NIL NIL NIL)(\"application\" \"pdf\" "
                              "(\"name\" \"a.pdf\") NIL NIL \"base64\" 400 NIL "
                              "(\"attachment\" (\"filename\" \"a.pdf\")) NIL NIL) \"mixed\" "
                              "(\"boundary\" \"x\") NIL NIL NIL) "
                              "BODY[HEADER.FIELDS (REFERENCES IN-REPLY-TO)] {%zu}\r\n%s)\r\n",
                              i, i, 1000 + i, i, strlen (headers), headers);
    }
  g_string_append (reply, "a2 OK done\r\n");
  bytes = g_bytes_new (reply->str, reply->len);
  mail_fake_server_send_bytes (server, bytes);
  mail_fake_server_wait_close (server);

  client = fixture_connected (fixture);
  mail_imap_client_get_limits (client, &limits);
  limits.max_responses = 10;
  limits.max_collected_size = 64 * 1024;
  mail_imap_client_set_limits (client, &limits);

  g_assert_true (mail_imap_client_select_sync (client, "INBOX", FALSE, NULL, NULL, NULL,
                                               &error));
  g_assert_no_error (error);
  kept = mail_imap_client_uid_fetch_sync (client, "1:*", &options, header_cb, &count, NULL,
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kept->len, ==, 0);
  g_assert_cmpuint (count.count, ==, N_HEADERS);
  mail_imap_client_close (client);
}

/* Header fields from the sections a FETCH may carry, unfolded and trimmed; the header's
 * end is respected, and a field fetched without a header gives NULL. */
static void
test_dup_header (void)
{
  static const char header[] =
    "Subject:  Hi\r\nReferences: <a@x>\r\n\t<b@x>\r\nX-Empty:\r\nX-Spaced : yes\r\n"
    "\r\nReferences: <c@x>\r\n";
  g_autofree char *text = g_strdup_printf ("* 1 FETCH (UID 3 BODY[] {%zu}\r\n%s)\r\n",
                                           strlen (header), header);
  g_autoptr (MailImapResponse) response = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *references = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *spaced = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *body_field = NULL;

  response = mail_imap_parse_response (text, strlen (text), NULL, &error);
  g_assert_no_error (error);
  subject = mail_imap_fetch_dup_header (&response->fetch, "subject");
  references = mail_imap_fetch_dup_header (&response->fetch, "References");
  empty = mail_imap_fetch_dup_header (&response->fetch, "X-Empty");
  spaced = mail_imap_fetch_dup_header (&response->fetch, "X-Spaced");
  missing = mail_imap_fetch_dup_header (&response->fetch, "Subj");
  g_assert_cmpstr (subject, ==, "Hi");
  g_assert_cmpstr (references, ==, "<a@x>\t<b@x>");
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (spaced, ==, "yes");
  g_assert_null (missing);

  g_clear_pointer (&response, mail_imap_response_unref);
  g_free (text);
  text = g_strdup ("* 1 FETCH (UID 3 BODY[TEXT] {13}\r\nSubject: no\r\n)\r\n");
  response = mail_imap_parse_response (text, strlen (text), NULL, &error);
  g_assert_no_error (error);
  body_field = mail_imap_fetch_dup_header (&response->fetch, "Subject");
  g_assert_null (body_field);
}

/* UID MOVE with the COPYUID of UIDPLUS in an untagged OK, UID EXPUNGE, and APPEND with
 * APPENDUID: the UIDs the messages got in the other mailbox come back. */
static void
test_uidplus (Fixture       *fixture,
              gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) message = g_bytes_new_static ("Subject: x\r\n\r\nx\r\n", 17);
  MailImapCopyResult result;
  MailImapClient *client;

  mail_fake_server_send (server, "* PREAUTH [CAPABILITY IMAP4rev1 MOVE UIDPLUS] hi\r\n");
  mail_fake_server_expect (server, "a1 SELECT INBOX");
  mail_fake_server_send (server, "* 3 EXISTS\r\na1 OK [READ-WRITE] ok\r\n");
  mail_fake_server_expect (server, "a2 UID MOVE 4:5 Archive");
  mail_fake_server_send (server, "* OK [COPYUID 432432 4:5 101:102] moved\r\n"
                                 "* 2 EXPUNGE\r\n* 2 EXPUNGE\r\na2 OK done\r\n");
  mail_fake_server_expect (server, "a3 UID EXPUNGE 7");
  mail_fake_server_send (server, "* 1 EXPUNGE\r\na3 OK done\r\n");
  mail_fake_server_expect (server, "a4 APPEND Sent (\\Seen) {17}");
  mail_fake_server_send (server, "+ go\r\n");
  mail_fake_server_expect (server, "Subject: x");
  mail_fake_server_expect (server, "");
  mail_fake_server_expect (server, "x");
  mail_fake_server_expect (server, "");
  mail_fake_server_send (server, "a4 OK [APPENDUID 38505 3955] appended\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_connected (fixture);
  g_assert_true (mail_imap_client_select_sync (client, "INBOX", FALSE, NULL, NULL, NULL,
                                               &error));
  g_assert_true (mail_imap_client_uid_move_sync (client, "4:5", "Archive", &result, NULL,
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.uidvalidity, ==, 432432);
  g_assert_cmpstr (result.source_uids, ==, "4:5");
  g_assert_cmpstr (result.dest_uids, ==, "101:102");
  mail_imap_copy_result_clear (&result);

  g_assert_true (mail_imap_client_uid_expunge_sync (client, "7", NULL, &error));
  g_assert_no_error (error);

  {
    static const char * const seen[] = { "\\Seen", NULL };

    g_assert_true (mail_imap_client_append_sync (client, "Sent", seen, NULL, message, &result,
                                                 NULL, &error));
  }
  g_assert_no_error (error);
  g_assert_cmpuint (result.uidvalidity, ==, 38505);
  g_assert_cmpstr (result.dest_uids, ==, "3955");
  mail_imap_copy_result_clear (&result);
  mail_imap_client_close (client);
}

/* GETQUOTAROOT: the roots of a mailbox and their usage and limits. */
static void
test_quota (Fixture       *fixture,
            gconstpointer  user_data)
{
  MailFakeServer *server = fixture->server;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) quota = NULL;
  const MailImapResponse *root;
  const MailImapResponse *usage;
  MailImapClient *client;

  mail_fake_server_send (server, "* PREAUTH [CAPABILITY IMAP4rev1 QUOTA] hi\r\n");
  mail_fake_server_expect (server, "a1 GETQUOTAROOT INBOX");
  mail_fake_server_send (server, "* QUOTAROOT INBOX \"User quota\"\r\n"
                                 "* QUOTA \"User quota\" (STORAGE 9500 10000 MESSAGE 3 1000)\r\n"
                                 "a1 OK done\r\n");
  mail_fake_server_wait_close (server);

  client = fixture_connected (fixture);
  quota = mail_imap_client_getquotaroot_sync (client, "INBOX", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (quota->len, ==, 2);
  root = g_ptr_array_index (quota, 0);
  usage = g_ptr_array_index (quota, 1);
  g_assert_cmpint (root->kind, ==, MAIL_IMAP_RESPONSE_QUOTAROOT);
  g_assert_cmpstr (root->quotaroot.roots[0], ==, "User quota");
  g_assert_cmpint (usage->kind, ==, MAIL_IMAP_RESPONSE_QUOTA);
  g_assert_cmpuint (usage->quota.n_resources, ==, 2);
  g_assert_cmpstr (usage->quota.resources[0].name, ==, "STORAGE");
  g_assert_cmpuint (usage->quota.resources[0].usage, ==, 9500);
  g_assert_cmpuint (usage->quota.resources[0].limit, ==, 10000);
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

  ADD ("/mail/imap/sync/temporary", test_temporary);
  ADD ("/mail/imap/sync/login-unavailable", test_login_unavailable);
  ADD ("/mail/imap/sync/greeting-unavailable", test_greeting_unavailable);
  ADD ("/mail/imap/sync/qresync-select", test_qresync_select);
  ADD ("/mail/imap/sync/condstore-select", test_condstore_select);
  ADD ("/mail/imap/sync/changedsince", test_changedsince);
  ADD ("/mail/imap/sync/changedsince-condstore", test_changedsince_condstore);
  ADD ("/mail/imap/sync/list-special-use", test_list_special_use);
  ADD ("/mail/imap/sync/list-plain", test_list_plain);
  ADD ("/mail/imap/sync/status-highestmodseq", test_status_highestmodseq);
  ADD ("/mail/imap/sync/header-streaming", test_header_streaming);
  ADD ("/mail/imap/sync/uidplus", test_uidplus);
  ADD ("/mail/imap/sync/quota", test_quota);
  g_test_add_func ("/mail/imap/sync/dup-header", test_dup_header);

#undef ADD

  status = g_test_run ();
  mail_test_certs_free (certs);

  return status;
}
