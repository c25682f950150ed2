/* test-imap-live.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* MailImapClient against the harness's real Dovecot: implicit TLS and STARTTLS, login,
 * mailboxes, APPEND and FETCH, flags, COPY and MOVE (with and without MOVE), CONDSTORE and
 * QRESYNC (a resync as the sync engine does it), UTF-8 search, quota, IDLE woken by a
 * message submitted over SMTP, pipelining, and message bodies streamed to files. */

#include "config.h"

#include <string.h>

#include "mail-imap-client.h"
#include "mail-net-error.h"
#include "mail-test-util.h"

#define ALICE          "alice@example.test"
#define ALICE_PASSWORD "alice-password"

static MailImapClient *
client_new (GTlsDatabase *database,
            MailSecurity  security)
{
  g_autofree char *host = mail_test_harness_get ("imap", "host");
  guint16 port = mail_test_harness_get_port ("imap", security == MAIL_SECURITY_TLS
                                                     ? "tls-port" : "starttls-port");

  return mail_imap_client_new (host, port, security, database);
}

static MailImapClient *
alice_client (GTlsDatabase *database)
{
  MailImapClient *client = client_new (database, MAIL_SECURITY_TLS);
  g_autoptr (GError) error = NULL;

  g_assert_true (mail_imap_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_client_login_sync (client, ALICE, ALICE_PASSWORD, NULL, &error));
  g_assert_no_error (error);

  return client;
}

/* What every test has: the trust store of a user who added the harness's CA, and the
 * test's client, which only the fixture holds. */
typedef struct
{
  GTlsDatabase   *database;
  MailImapClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->database = mail_test_tls_database ();
}

/* Dropping the fixture's reference must finalize the client and its connection, then the
 * trust store: a reference leaked by the test or by the client fails here. */
static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->client != NULL)
    {
      MailConnection *connection = mail_imap_client_get_connection (fixture->client);

      mail_test_assert_finalize_client (g_steal_pointer (&fixture->client), connection);
    }

  /* With every connection gone, nothing holds the trust store any more. */
  mail_test_wait_for_last_ref (fixture->database);
  g_assert_finalize_object (g_steal_pointer (&fixture->database));
}

/* Gives @client to the fixture, which holds one client per test. */
static MailImapClient *
fixture_take_client (Fixture        *fixture,
                     MailImapClient *client)
{
  g_assert_null (fixture->client);
  fixture->client = client;

  return client;
}

static MailImapClient *
fixture_client (Fixture      *fixture,
                MailSecurity  security)
{
  return fixture_take_client (fixture, client_new (fixture->database, security));
}

/* A client signed in as alice over implicit TLS, kept in the fixture. */
static MailImapClient *
fixture_alice (Fixture *fixture)
{
  return fixture_take_client (fixture, alice_client (fixture->database));
}

static char *
unique_name (const char *prefix)
{
  return g_strdup_printf ("%s-%08x", prefix, g_random_int ());
}

static GBytes *
make_message (const char *subject,
              const char *body)
{
  g_autofree char *text = g_strdup_printf ("From: Bob <bob@example.test>\r\n"
                                           "To: Alice <alice@example.test>\r\n"
                                           "Subject: %s\r\n"
                                           "Message-ID: <%08x@example.test>\r\n"
                                           "MIME-Version: 1.0\r\n"
                                           "Content-Type: text/plain; charset=utf-8\r\n"
                                           "\r\n"
                                           "%s\r\n",
                                           subject, g_random_int (), body);

  return g_bytes_new (text, strlen (text));
}

static guint32
append_message (MailImapClient *client,
                const char     *mailbox,
                const char     *subject,
                const char     *body)
{
  static const char * const flags[] = { "\\Seen", NULL };
  g_autoptr (GBytes) message = make_message (subject, body);
  g_autoptr (GDateTime) date = g_date_time_new_utc (2026, 3, 14, 15, 9, 26);
  g_autoptr (GError) error = NULL;
  MailImapCopyResult result;
  guint32 uid;

  g_assert_true (mail_imap_client_append_sync (client, mailbox, flags, date, message, &result,
                                               NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.uidvalidity, >, 0);
  g_assert_nonnull (result.dest_uids);
  uid = (guint32) g_ascii_strtoull (result.dest_uids, NULL, 10);
  g_assert_cmpuint (uid, >, 0);
  mail_imap_copy_result_clear (&result);

  return uid;
}

static void
delete_mailbox (MailImapClient *client,
                const char     *name)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (mail_imap_client_delete_sync (client, name, NULL, &error));
  g_assert_no_error (error);
}

/* ---------------------------------------------------------------------------------- */

static void
test_tls_capabilities (Fixture       *fixture,
                       gconstpointer  user_data)
{
  MailImapClient *client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_autoptr (GError) error = NULL;

  g_assert_true (mail_imap_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mail_imap_client_get_state (client), ==, MAIL_IMAP_CLIENT_NOT_AUTHENTICATED);
  g_assert_true (mail_imap_client_has_capability (client, "IMAP4rev1"));
  g_assert_true (mail_imap_client_has_capability (client, "AUTH=PLAIN"));

  g_assert_true (mail_imap_client_login_sync (client, ALICE, ALICE_PASSWORD, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mail_imap_client_get_state (client), ==, MAIL_IMAP_CLIENT_AUTHENTICATED);
  g_assert_true (mail_imap_client_has_capability (client, "IDLE"));
  g_assert_true (mail_imap_client_has_capability (client, "MOVE"));
  g_assert_true (mail_imap_client_has_capability (client, "CONDSTORE"));
  g_assert_true (mail_imap_client_has_capability (client, "QRESYNC"));
  g_assert_true (mail_imap_client_has_capability (client, "SPECIAL-USE"));
  g_assert_false (mail_imap_client_has_capability (client, "AUTH=PLAIN"));

  g_assert_true (mail_imap_client_logout_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mail_imap_client_get_state (client), ==, MAIL_IMAP_CLIENT_LOGGED_OUT);
}

static void
test_starttls (Fixture       *fixture,
               gconstpointer  user_data)
{
  MailImapClient *client = fixture_client (fixture, MAIL_SECURITY_STARTTLS);
  g_autoptr (MailImapResponse) id = NULL;
  g_autoptr (MailImapResponse) ns = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *log = NULL;
  static const char * const params[] = { "name", "Mail", "version", "0", NULL };

  g_assert_true (mail_imap_client_connect_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_connection_is_encrypted (mail_imap_client_get_connection (client)));
  /* Asked again over TLS: no STARTTLS, no LOGINDISABLED any more. */
  g_assert_false (mail_imap_client_has_capability (client, "STARTTLS"));
  g_assert_false (mail_imap_client_has_capability (client, "LOGINDISABLED"));
  g_assert_true (mail_imap_client_has_capability (client, "AUTH=PLAIN"));

  g_assert_true (mail_imap_client_login_sync (client, ALICE, ALICE_PASSWORD, NULL, &error));
  g_assert_no_error (error);

  id = mail_imap_client_id_sync (client, params, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  ns = mail_imap_client_namespace_sync (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ns->ns.n_personal, >=, 1);

  /* Before TLS the server said STARTTLS and LOGINDISABLED; both were forgotten. */
  log = mail_protocol_log_to_string (mail_connection_get_log (
    mail_imap_client_get_connection (client)));
  g_assert_nonnull (strstr (log, "LOGINDISABLED"));
  g_assert_nonnull (strstr (log, "C: a1 STARTTLS"));
  g_assert_nonnull (strstr (log, "C: a2 CAPABILITY"));
  g_assert_null (strstr (log, ALICE_PASSWORD));
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  user_data)
{
  MailImapClient *client = fixture_client (fixture, MAIL_SECURITY_TLS);
  g_autoptr (GError) error = NULL;

  g_assert_true (mail_imap_client_connect_sync (client, NULL, &error));
  g_assert_false (mail_imap_client_login_sync (client, ALICE, "wrong-password", NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_AUTH_FAILED);
  g_assert_cmpint (mail_error_categorize (error), ==, MAIL_ERROR_CATEGORY_AUTH_FAILED);
}

static const MailImapResponse *
find_list (GPtrArray  *list,
           const char *name)
{
  for (guint i = 0; i < list->len; i++)
    {
      const MailImapResponse *r = g_ptr_array_index (list, i);

      if (r->kind == MAIL_IMAP_RESPONSE_LIST && g_strcmp0 (r->list.mailbox.name, name) == 0)
        return r;
    }

  return NULL;
}

static void
test_mailboxes (Fixture       *fixture,
                gconstpointer  user_data)
{
  MailImapClient *client = fixture_alice (fixture);
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GPtrArray) subscribed = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = unique_name ("Entwürfe");
  g_autofree char *renamed = g_strconcat (name, "-renamed", NULL);
  const MailImapResponse *sent;
  const MailImapResponse *created;
  guint n_status = 0;

  list = mail_imap_client_list_sync (client, "", "*",
                                     MAIL_IMAP_LIST_SPECIAL_USE | MAIL_IMAP_LIST_STATUS, NULL,
                                     &error);
  g_assert_no_error (error);
  sent = find_list (list, "Sent");
  g_assert_true (sent != NULL && (sent->list.attributes & MAIL_IMAP_MAILBOX_SENT) != 0);
  g_assert_nonnull (find_list (list, "INBOX"));
  if (mail_imap_client_has_capability (client, "LIST-STATUS"))
    {
      for (guint i = 0; i < list->len; i++)
        n_status += ((MailImapResponse *) g_ptr_array_index (list, i))->kind
                    == MAIL_IMAP_RESPONSE_MAILBOX_STATUS;
      g_assert_cmpuint (n_status, >, 0);
    }

  g_assert_true (mail_imap_client_create_sync (client, name, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_client_subscribe_sync (client, name, TRUE, NULL, &error));
  g_assert_no_error (error);

  subscribed = mail_imap_client_list_sync (client, "", "*", MAIL_IMAP_LIST_SUBSCRIBED, NULL,
                                           &error);
  g_assert_no_error (error);
  created = find_list (subscribed, name);
  g_assert_true (created != NULL
                 && (created->list.attributes & MAIL_IMAP_MAILBOX_SUBSCRIBED) != 0);
  {
    g_autoptr (GPtrArray) lsub = mail_imap_client_lsub_sync (client, "", "*", NULL, &error);
    gboolean found = FALSE;

    g_assert_no_error (error);
    for (guint i = 0; i < lsub->len; i++)
      {
        const MailImapResponse *r = g_ptr_array_index (lsub, i);

        g_assert_cmpint (r->kind, ==, MAIL_IMAP_RESPONSE_LSUB);
        found |= g_strcmp0 (r->list.mailbox.name, name) == 0;
      }
    g_assert_true (found);
  }

  g_assert_true (mail_imap_client_subscribe_sync (client, name, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_client_rename_sync (client, name, renamed, NULL, &error));
  g_assert_no_error (error);

  after = mail_imap_client_list_sync (client, "", "*", MAIL_IMAP_LIST_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (find_list (after, name));
  g_assert_nonnull (find_list (after, renamed));

  delete_mailbox (client, renamed);
  g_assert_false (mail_imap_client_delete_sync (client, renamed, NULL, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_NO);
  g_assert_true (g_str_has_prefix (error->message, "[NONEXISTENT] "));
}

static const MailImapFetch *
fetch_at (GPtrArray *fetched,
          guint      index)
{
  return &((const MailImapResponse *) g_ptr_array_index (fetched, index))->fetch;
}

static GArray *
search_all (MailImapClient *client)
{
  g_autoptr (GError) error = NULL;
  GArray *uids = mail_imap_client_uid_search_sync (client, "ALL", NULL, NULL, &error);

  g_assert_no_error (error);

  return uids;
}

static void
test_messages (Fixture       *fixture,
               gconstpointer  user_data)
{
  static const char * const fields[] = { "Subject", "Message-ID", NULL };
  static const char * const flagged[] = { "\\Flagged", "$Label1", NULL };
  MailImapClient *client = fixture_alice (fixture);
  g_autoptr (GError) error = NULL;
  g_autofree char *folder = unique_name ("Messages");
  g_autofree char *other = unique_name ("Other");
  g_autofree char *subject = unique_name ("Hello");
  g_autoptr (GPtrArray) fetched = NULL;
  g_autoptr (GPtrArray) partial = NULL;
  g_autoptr (GPtrArray) flags = NULL;
  g_autoptr (GArray) left = NULL;
  MailImapFetchOptions options = { 0, };
  MailImapMailboxInfo info;
  MailImapCopyResult copy;
  const MailImapFetch *f;
  const MailImapFetchSection *section;
  guint32 uid;
  guint32 uid2;
  guint32 uid3;

  g_assert_true (mail_imap_client_create_sync (client, folder, NULL, &error));
  g_assert_true (mail_imap_client_create_sync (client, other, NULL, &error));
  g_assert_no_error (error);

  uid = append_message (client, folder, subject, "The body of the message.");
  uid2 = append_message (client, folder, "second", "Two.");
  uid3 = append_message (client, folder, "third", "Three.");

  g_assert_true (mail_imap_client_select_sync (client, folder, FALSE, NULL, &info, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (info.exists, ==, 3);
  g_assert_cmpuint (info.uidnext, >, uid3);
  g_assert_true (info.read_write);
  g_assert_true (info.permanent_flags & MAIL_IMAP_FLAG_DELETED);

  options.attrs = MAIL_IMAP_FETCH_ATTR_FLAGS | MAIL_IMAP_FETCH_ATTR_ENVELOPE
                  | MAIL_IMAP_FETCH_ATTR_INTERNALDATE | MAIL_IMAP_FETCH_ATTR_SIZE
                  | MAIL_IMAP_FETCH_ATTR_BODYSTRUCTURE | MAIL_IMAP_FETCH_ATTR_BODY;
  options.header_fields = fields;
  {
    g_autofree char *set = g_strdup_printf ("%u", uid);

    fetched = mail_imap_client_uid_fetch_sync (client, set, &options, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (fetched->len, ==, 1);
    f = fetch_at (fetched, 0);
    g_assert_cmpuint (f->uid, ==, uid);
    g_assert_true (f->flags.bits & MAIL_IMAP_FLAG_SEEN);
    g_assert_nonnull (f->envelope);
    g_assert_cmpstr (f->envelope->subject, ==, subject);
    g_assert_cmpstr (f->envelope->from->mailbox, ==, "bob");
    g_assert_cmpstr (f->envelope->from->host, ==, "example.test");
    g_assert_cmpuint (f->rfc822_size, >, 100);
    g_assert_nonnull (f->body);
    g_assert_cmpstr (f->body->type, ==, "text");
    g_assert_cmpstr (f->body->subtype, ==, "plain");
    g_assert_cmpint (f->internaldate, ==, 1773500966);
    section = mail_imap_fetch_get_section (f, MAIL_IMAP_SECTION_BODY, "");
    g_assert_nonnull (section);
    g_assert_cmpuint (section->len, ==, f->rfc822_size);
    g_assert_nonnull (g_strstr_len (section->data, section->len, "The body of the message."));
    section = mail_imap_fetch_get_section (f, MAIL_IMAP_SECTION_BODY,
                                           "HEADER.FIELDS (Subject Message-ID)");
    g_assert_nonnull (section);
    g_assert_nonnull (g_strstr_len (section->data, section->len, subject));
    g_assert_null (g_strstr_len (section->data, section->len, "From:"));

    /* A partial body. */
    memset (&options, 0, sizeof options);
    options.attrs = MAIL_IMAP_FETCH_ATTR_BODY;
    options.body_offset = 6;
    options.body_length = 3;
    partial = mail_imap_client_uid_fetch_sync (client, set, &options, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (partial->len, ==, 1);
    section = mail_imap_fetch_get_section (fetch_at (partial, 0), MAIL_IMAP_SECTION_BODY, "");
    g_assert_nonnull (section);
    g_assert_true (section->has_origin);
    g_assert_cmpuint (section->origin, ==, 6);
    g_assert_cmpmem (section->data, section->len, "Bob", 3);

    /* Message data sent and received shows in the log by its size only. */
    {
      g_autofree char *log = mail_protocol_log_to_string (mail_connection_get_log (
        mail_imap_client_get_connection (client)));

      g_assert_null (strstr (log, "The body of the message."));
      g_assert_nonnull (strstr (log, " bytes]"));
    }

    /* Flags. */
    g_assert_true (mail_imap_client_uid_store_sync (client, set, MAIL_IMAP_STORE_ADD, flagged,
                                                    0, NULL, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (mail_imap_client_uid_store_sync (client, set, MAIL_IMAP_STORE_REMOVE,
                                                    (const char * const[]) { "\\Seen", NULL },
                                                    0, NULL, NULL, &error));
    g_assert_no_error (error);
    memset (&options, 0, sizeof options);
    options.attrs = MAIL_IMAP_FETCH_ATTR_FLAGS;
    flags = mail_imap_client_uid_fetch_sync (client, set, &options, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (flags->len, ==, 1);
    f = fetch_at (flags, 0);
    g_assert_true (f->flags.bits & MAIL_IMAP_FLAG_FLAGGED);
    g_assert_false (f->flags.bits & MAIL_IMAP_FLAG_SEEN);
    g_assert_nonnull (f->flags.names);
    g_assert_true (g_strv_contains (f->flags.names, "$Label1"));

    /* COPY, with COPYUID. */
    g_assert_true (mail_imap_client_uid_copy_sync (client, set, other, &copy, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (copy.uidvalidity, >, 0);
    g_assert_cmpstr (copy.source_uids, ==, set);
    g_assert_nonnull (copy.dest_uids);
    mail_imap_copy_result_clear (&copy);
  }

  /* MOVE with MOVE. */
  {
    g_autofree char *set = g_strdup_printf ("%u", uid2);

    g_assert_true (mail_imap_client_uid_move_sync (client, set, other, &copy, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (copy.source_uids, ==, set);
    g_assert_nonnull (copy.dest_uids);
    mail_imap_copy_result_clear (&copy);
  }

  /* MOVE by COPY, STORE and UID EXPUNGE. */
  {
    g_autofree char *set = g_strdup_printf ("%u", uid3);
    g_autofree char *log = NULL;

    mail_imap_client_set_options (client, MAIL_IMAP_CLIENT_OPTION_IGNORE_MOVE);
    g_assert_true (mail_imap_client_uid_move_sync (client, set, other, &copy, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (copy.source_uids, ==, set);
    mail_imap_copy_result_clear (&copy);
    mail_imap_client_set_options (client, MAIL_IMAP_CLIENT_OPTION_NONE);
    log = mail_protocol_log_to_string (mail_connection_get_log (
    mail_imap_client_get_connection (client)));
    g_assert_nonnull (strstr (log, "UID EXPUNGE"));
  }

  left = search_all (client);
  g_assert_cmpuint (left->len, ==, 1);
  g_assert_cmpuint (g_array_index (left, guint32, 0), ==, uid);

  {
    g_autoptr (MailImapResponse) status = NULL;

    status = mail_imap_client_status_sync (client, other, MAIL_IMAP_STATUS_ITEM_MESSAGES
                                           | MAIL_IMAP_STATUS_ITEM_UIDNEXT, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (status->mailbox_status.messages, ==, 3);
  }

  g_assert_true (mail_imap_client_unselect_sync (client, FALSE, NULL, &error));
  g_assert_no_error (error);
  delete_mailbox (client, folder);
  delete_mailbox (client, other);
}

typedef struct
{
  guint   n_fetch;
  guint   n_vanished;
  guint32 last_uid;
} Changes;

static void
changed_fetch_cb (const MailImapFetch *fetch,
                  gpointer             user_data)
{
  Changes *changes = user_data;

  changes->n_fetch++;
  changes->last_uid = fetch->uid;
}

static void
vanished_cb (MailImapClient   *client,
             MailImapResponse *response,
             gpointer          user_data)
{
  Changes *changes = user_data;

  changes->n_vanished++;
}

static void
test_condstore (Fixture       *fixture,
                gconstpointer  user_data)
{
  static const char * const extensions[] = { "QRESYNC", NULL };
  static const char * const answered[] = { "\\Answered", NULL };
  static const char * const deleted[] = { "\\Deleted", NULL };
  MailImapClient *client = fixture_alice (fixture);
  g_autoptr (GError) error = NULL;
  g_autofree char *folder = unique_name ("Condstore");
  g_autofree char *set = NULL;
  g_autofree char *known = NULL;
  g_autofree char *modified = NULL;
  g_autoptr (GPtrArray) changed = NULL;
  MailImapFetchOptions options = { 0, };
  MailImapMailboxInfo info;
  MailImapMailboxInfo again;
  MailImapQresync qresync;
  Changes changes = { 0, };
  guint32 uid;
  guint32 uid2;

  g_assert_true (mail_imap_client_enable_sync (client, extensions, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_client_is_enabled (client, "QRESYNC"));

  g_assert_true (mail_imap_client_create_sync (client, folder, NULL, &error));
  uid = append_message (client, folder, "condstore", "one");
  uid2 = append_message (client, folder, "condstore 2", "two");
  set = g_strdup_printf ("%u", uid);
  known = g_strdup_printf ("%u:%u", uid, uid2);

  g_assert_true (mail_imap_client_select_sync (client, folder, FALSE, NULL, &info, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (info.highestmodseq, >, 0);
  g_assert_false (info.nomodseq);

  g_assert_true (mail_imap_client_uid_store_sync (client, set, MAIL_IMAP_STORE_ADD, answered,
                                                  0, NULL, NULL, &error));
  g_assert_no_error (error);

  options.attrs = MAIL_IMAP_FETCH_ATTR_FLAGS | MAIL_IMAP_FETCH_ATTR_MODSEQ;
  options.changed_since = info.highestmodseq;
  options.vanished = TRUE;
  changed = mail_imap_client_uid_fetch_sync (client, "1:*", &options, changed_fetch_cb, &changes,
                                             NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changed->len, ==, 0);
  g_assert_cmpuint (changes.n_fetch, ==, 1);
  g_assert_cmpuint (changes.last_uid, ==, uid);

  /* UNCHANGEDSINCE an older modseq: refused and reported as MODIFIED. */
  g_assert_true (mail_imap_client_uid_store_sync (client, set, MAIL_IMAP_STORE_ADD, deleted,
                                                  info.highestmodseq, &modified, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (modified, ==, set);

  /* Expunge the second one, then resynchronise with QRESYNC: VANISHED (EARLIER) and the
   * flag change arrive as signals. */
  {
    g_autofree char *set2 = g_strdup_printf ("%u", uid2);

    g_assert_true (mail_imap_client_uid_store_sync (client, set2, MAIL_IMAP_STORE_ADD, deleted,
                                                    0, NULL, NULL, &error));
    g_assert_true (mail_imap_client_uid_expunge_sync (client, set2, NULL, &error));
    g_assert_no_error (error);
  }

  memset (&changes, 0, sizeof changes);
  g_signal_connect (client, "vanished", G_CALLBACK (vanished_cb), &changes);
  qresync.uidvalidity = info.uidvalidity;
  qresync.modseq = info.highestmodseq;
  qresync.known_uids = known;
  g_assert_true (mail_imap_client_select_sync (client, folder, TRUE, &qresync, &again, NULL,
                                               &error));
  g_assert_no_error (error);
  g_assert_false (again.read_write);
  g_assert_cmpuint (again.highestmodseq, >, info.highestmodseq);
  g_assert_cmpuint (changes.n_vanished, ==, 1);

  g_assert_true (mail_imap_client_unselect_sync (client, FALSE, NULL, &error));
  delete_mailbox (client, folder);
}

static void
test_search_utf8 (Fixture       *fixture,
                  gconstpointer  user_data)
{
  MailImapClient *client = fixture_alice (fixture);
  g_autoptr (GError) error = NULL;
  g_autofree char *folder = unique_name ("Search");
  g_autofree char *marker = unique_name ("Grüße");
  g_autofree char *subject = NULL;
  g_autofree char *encoded = NULL;
  g_autoptr (GArray) found = NULL;
  g_autoptr (GArray) none = NULL;
  guint32 uid;

  g_assert_true (mail_imap_client_create_sync (client, folder, NULL, &error));
  /* An RFC 2047 subject, which the server decodes before matching. */
  encoded = g_base64_encode ((const guchar *) marker, strlen (marker));
  subject = g_strdup_printf ("=?UTF-8?B?%s?=", encoded);
  uid = append_message (client, folder, subject, "Schöne Grüße aus dem Test.");
  append_message (client, folder, "plain ascii", "nothing here");

  g_assert_true (mail_imap_client_select_sync (client, folder, FALSE, NULL, NULL, NULL, &error));
  found = mail_imap_client_uid_search_sync (client, "SUBJECT", marker, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpuint (g_array_index (found, guint32, 0), ==, uid);

  none = mail_imap_client_uid_search_sync (client, "BODY", "Größenwahn", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);

  /* CLOSE this time. */
  g_assert_true (mail_imap_client_unselect_sync (client, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (mail_imap_client_get_selected (client));
  delete_mailbox (client, folder);
}

static const MailImapQuotaResource *
storage_quota (GPtrArray *responses)
{
  for (guint i = 0; i < responses->len; i++)
    {
      const MailImapResponse *r = g_ptr_array_index (responses, i);

      if (r->kind != MAIL_IMAP_RESPONSE_QUOTA)
        continue;
      for (guint j = 0; j < r->quota.n_resources; j++)
        if (g_ascii_strcasecmp (r->quota.resources[j].name, "STORAGE") == 0)
          return &r->quota.resources[j];
    }

  return NULL;
}

static void
test_quota (Fixture       *fixture,
            gconstpointer  user_data)
{
  MailImapClient *client = fixture_alice (fixture);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GString) big = g_string_new (NULL);
  g_autoptr (MailImapResponse) quota = NULL;
  const MailImapQuotaResource *storage;
  const MailImapResponse *root = NULL;
  guint64 usage;

  before = mail_imap_client_getquotaroot_sync (client, "INBOX", NULL, &error);
  g_assert_no_error (error);
  storage = storage_quota (before);
  g_assert_nonnull (storage);
  g_assert_cmpuint (storage->limit, ==, 10240);
  usage = storage->usage;
  for (guint i = 0; i < before->len; i++)
    if (((MailImapResponse *) g_ptr_array_index (before, i))->kind == MAIL_IMAP_RESPONSE_QUOTAROOT)
      root = g_ptr_array_index (before, i);
  g_assert_nonnull (root);
  g_assert_nonnull (root->quotaroot.roots);
  g_assert_nonnull (root->quotaroot.roots[0]);

  quota = mail_imap_client_getquota_sync (client, root->quotaroot.roots[0], NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (quota->quota.n_resources, >=, 1);

  for (guint i = 0; i < 4000; i++)
    g_string_append (big, "quota filler line of text, 50 octets long .......\r\n");
  append_message (client, "INBOX", "quota", big->str);

  after = mail_imap_client_getquotaroot_sync (client, "INBOX", NULL, &error);
  g_assert_no_error (error);
  storage = storage_quota (after);
  g_assert_nonnull (storage);
  g_assert_cmpuint (storage->usage, >=, usage + 150);
}

/* SMTP submission to alice over 587 with STARTTLS, in plain GIO. */
typedef struct
{
  GIOStream        *stream;
  GDataInputStream *input;
} Smtp;

static void
smtp_set_stream (Smtp      *smtp,
                 GIOStream *stream)
{
  g_clear_object (&smtp->input);
  g_set_object (&smtp->stream, stream);
  smtp->input = g_data_input_stream_new (g_io_stream_get_input_stream (stream));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (smtp->input), FALSE);
  g_data_input_stream_set_newline_type (smtp->input, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
}

static void
smtp_expect (Smtp       *smtp,
             const char *code)
{
  for (;;)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *line = g_data_input_stream_read_line (smtp->input, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      g_assert_true (g_str_has_prefix (line, code));
      if (line[3] == ' ')
        return;
    }
}

static void
smtp_send (Smtp       *smtp,
           const char *text,
           const char *code)
{
  g_autoptr (GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (smtp->stream), text, strlen (text),
                             NULL, NULL, &error);
  g_assert_no_error (error);
  if (code != NULL)
    smtp_expect (smtp, code);
}

static gpointer
submit_to_alice_thread (gpointer data)
{
  const char *subject = data;
  g_autofree char *host = mail_test_harness_get ("smtp", "host");
  guint16 port = mail_test_harness_get_port ("smtp", "starttls-port");
  g_autoptr (GTlsDatabase) database = mail_test_tls_database ();
  g_autoptr (GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GSocketConnectable) identity = g_network_address_new (host, port);
  g_autoptr (GIOStream) tls = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *message = NULL;
  static const char credentials[] = "\0" ALICE "\0" ALICE_PASSWORD;
  Smtp smtp = { NULL, NULL };

  g_socket_client_set_timeout (socket_client, 10);
  connection = g_socket_client_connect_to_host (socket_client, host, port, NULL, &error);
  g_assert_no_error (error);
  smtp_set_stream (&smtp, G_IO_STREAM (connection));
  smtp_expect (&smtp, "220");
  smtp_send (&smtp, "EHLO client.example.test\r\n", "250");
  smtp_send (&smtp, "STARTTLS\r\n", "220");
  g_assert_cmpuint (g_buffered_input_stream_get_available (G_BUFFERED_INPUT_STREAM (smtp.input)),
                    ==, 0);

  tls = g_tls_client_connection_new (G_IO_STREAM (connection), identity, &error);
  g_assert_no_error (error);
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);
  g_assert_true (g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &error));
  smtp_set_stream (&smtp, tls);

  smtp_send (&smtp, "EHLO client.example.test\r\n", "250");
  plain = g_base64_encode ((const guchar *) credentials, sizeof credentials - 1);
  auth = g_strdup_printf ("AUTH PLAIN %s\r\n", plain);
  smtp_send (&smtp, auth, "235");
  smtp_send (&smtp, "MAIL FROM:<" ALICE ">\r\n", "250");
  smtp_send (&smtp, "RCPT TO:<" ALICE ">\r\n", "250");
  smtp_send (&smtp, "DATA\r\n", "354");
  message = g_strdup_printf ("From: <" ALICE ">\r\nTo: <" ALICE ">\r\nSubject: %s\r\n\r\n"
                             "Wake up.\r\n.\r\n", subject);
  smtp_send (&smtp, message, "250");
  smtp_send (&smtp, "QUIT\r\n", "221");

  g_clear_object (&smtp.input);
  g_clear_object (&smtp.stream);

  return NULL;
}

typedef struct
{
  MailImapClient *client;
  guint           exists;
  guint           n_exists;
} IdleState;

static void
idle_exists_cb (MailImapClient *client,
                guint           count,
                gpointer        user_data)
{
  IdleState *state = user_data;

  state->n_exists++;
  if (count > state->exists)
    mail_imap_client_idle_stop (client);
}

static gboolean
idle_give_up_cb (gpointer user_data)
{
  IdleState *state = user_data;

  mail_imap_client_idle_stop (state->client);

  return G_SOURCE_REMOVE;
}

static gpointer
idle_watchdog_thread (gpointer data)
{
  g_usleep (60 * G_USEC_PER_SEC);
  idle_give_up_cb (data);

  return NULL;
}

static void
test_idle (Fixture       *fixture,
           gconstpointer  user_data)
{
  MailImapClient *client = fixture_alice (fixture);
  g_autoptr (GError) error = NULL;
  g_autofree char *subject = unique_name ("idle");
  g_autoptr (GArray) found = NULL;
  MailImapMailboxInfo info;
  IdleState state = { client, 0, 0 };
  GThread *sender;
  GThread *watchdog;
  gint64 start;

  g_assert_true (mail_imap_client_select_sync (client, "INBOX", FALSE, NULL, &info, NULL, &error));
  g_assert_no_error (error);
  state.exists = info.exists;
  g_signal_connect (client, "exists", G_CALLBACK (idle_exists_cb), &state);

  sender = g_thread_new ("smtp-submit", submit_to_alice_thread, subject);
  watchdog = g_thread_new ("idle-watchdog", idle_watchdog_thread, &state);
  g_thread_unref (watchdog);

  start = g_get_monotonic_time ();
  g_assert_true (mail_imap_client_idle_sync (client, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 50 * G_USEC_PER_SEC);
  g_assert_cmpuint (state.n_exists, >=, 1);
  g_thread_join (sender);

  /* DONE ended it cleanly: the connection still works. */
  found = mail_imap_client_uid_search_sync (client, "SUBJECT", subject, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);

  /* Stopped before it began: returns at once after DONE. */
  g_assert_true (mail_imap_client_noop_sync (client, NULL, &error));
  g_assert_no_error (error);
}

static void
test_pipelining (Fixture       *fixture,
                 gconstpointer  user_data)
{
  MailImapClient *client = fixture_alice (fixture);
  g_autoptr (GPtrArray) commands =
    g_ptr_array_new_with_free_func ((GDestroyNotify) mail_imap_command_unref);
  g_autoptr (GHashTable) tags = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 20; i++)
    {
      MailImapCommand *command;

      if (i % 2 == 0)
        {
          command = mail_imap_client_new_command (client, "NOOP");
        }
      else
        {
          command = mail_imap_client_new_command (client, "STATUS");
          g_assert_true (mail_imap_command_add_mailbox (command, "INBOX", &error));
          mail_imap_command_add_atom (command, "(MESSAGES UIDNEXT)");
          mail_imap_command_collect (command, MAIL_IMAP_RESPONSE_MAILBOX_STATUS);
        }
      g_ptr_array_add (commands, command);
      g_assert_true (mail_imap_client_submit (client, command, NULL, &error));
      g_assert_no_error (error);
      g_assert_false (mail_imap_command_is_done (command));
      g_hash_table_add (tags, (gpointer) mail_imap_command_get_tag (command));
    }
  g_assert_cmpuint (g_hash_table_size (tags), ==, 20);

  g_assert_true (mail_imap_client_wait_all_sync (client, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < commands->len; i++)
    {
      MailImapCommand *command = g_ptr_array_index (commands, i);

      g_assert_true (mail_imap_command_is_done (command));
      g_assert_true (mail_imap_command_check (command, &error));
      g_assert_no_error (error);
      if (i % 2 == 1)
        g_assert_cmpuint (mail_imap_command_get_responses (command)->len, ==, 1);
    }
}

static void
test_compress (Fixture       *fixture,
               gconstpointer  user_data)
{
  MailImapClient *client = fixture_alice (fixture);
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;

  if (!mail_imap_client_has_capability (client, "COMPRESS=DEFLATE"))
    {
      g_test_skip ("the server does not offer COMPRESS=DEFLATE (Dovecot's imap_zlib plugin)");
      return;
    }

  g_assert_true (mail_imap_client_compress_sync (client, NULL, &error));
  g_assert_no_error (error);
  list = mail_imap_client_list_sync (client, "", "*", MAIL_IMAP_LIST_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (find_list (list, "INBOX"));
  g_assert_true (mail_imap_client_logout_sync (client, NULL, &error));
  g_assert_no_error (error);
}

/* ---------------------------------------------------------------------------------- */

typedef struct
{
  GString *fetched;
  GString *vanished;
  guint    n_signals;
} SyncChanges;

static void
sync_fetch_cb (const MailImapFetch *fetch,
               gpointer             user_data)
{
  SyncChanges *changes = user_data;

  g_string_append_printf (changes->fetched, "%u%s;", fetch->uid,
                          (fetch->flags.bits & MAIL_IMAP_FLAG_FLAGGED) != 0 ? " flagged" : "");
}

static void
sync_vanished_cb (const MailImapVanishedData *vanished,
                  gpointer                    user_data)
{
  SyncChanges *changes = user_data;

  g_string_append_printf (changes->vanished, "%s%s;", vanished->earlier ? "earlier " : "",
                          vanished->uids.raw);
}

static void
sync_signal_cb (MailImapClient   *client,
                MailImapResponse *response,
                gpointer          user_data)
{
  ((SyncChanges *) user_data)->n_signals++;
}

/* A resync as the sync engine does it: remember UIDVALIDITY and HIGHESTMODSEQ, let the
 * mailbox change (a flag, an expunge), see in one LIST-STATUS that it changed, then one
 * QRESYNC EXAMINE reports exactly the changed message and the expunged UID to the
 * functions; UID FETCH (CHANGEDSINCE VANISHED) says the same. */
static void
test_qresync_changes (Fixture       *fixture,
                      gconstpointer  user_data)
{
  static const char * const extensions[] = { "QRESYNC", NULL };
  static const char * const flagged[] = { "\\Flagged", NULL };
  static const char * const deleted[] = { "\\Deleted", NULL };
  MailImapClient *client = fixture_alice (fixture);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GPtrArray) kept = NULL;
  g_autofree char *folder = unique_name ("Resync");
  g_autofree char *known = NULL;
  g_autofree char *set1 = NULL;
  g_autofree char *set2 = NULL;
  g_autofree char *expected = NULL;
  MailImapFetchOptions options = { MAIL_IMAP_FETCH_ATTR_FLAGS | MAIL_IMAP_FETCH_ATTR_MODSEQ, };
  MailImapMailboxInfo info;
  MailImapMailboxInfo again;
  MailImapQresync qresync;
  SyncChanges changes = { g_string_new (NULL), g_string_new (NULL), 0 };
  guint64 listed_modseq = 0;
  guint32 uid1;
  guint32 uid2;
  guint32 uid3;

  g_assert_true (mail_imap_client_enable_sync (client, extensions, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_client_create_sync (client, folder, NULL, &error));
  g_assert_no_error (error);
  uid1 = append_message (client, folder, "resync 1", "one");
  uid2 = append_message (client, folder, "resync 2", "two");
  uid3 = append_message (client, folder, "resync 3", "three");
  known = g_strdup_printf ("%u:%u", uid1, uid3);
  set1 = g_strdup_printf ("%u", uid1);
  set2 = g_strdup_printf ("%u", uid2);

  g_assert_true (mail_imap_client_select_changes_sync (client, folder, FALSE, NULL, &info,
                                                       sync_fetch_cb, sync_vanished_cb,
                                                       &changes, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (info.exists, ==, 3);
  g_assert_cmpuint (info.uidnext, ==, uid3 + 1);
  g_assert_cmpuint (info.highestmodseq, >, 0);
  g_assert_cmpstr (changes.fetched->str, ==, "");

  g_assert_true (mail_imap_client_uid_store_sync (client, set1, MAIL_IMAP_STORE_ADD, flagged, 0,
                                                  NULL, NULL, &error));
  g_assert_true (mail_imap_client_uid_store_sync (client, set2, MAIL_IMAP_STORE_ADD, deleted, 0,
                                                  NULL, NULL, &error));
  g_assert_true (mail_imap_client_uid_expunge_sync (client, set2, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_client_unselect_sync (client, FALSE, NULL, &error));
  g_assert_no_error (error);

  /* One LIST says which folders changed. */
  g_assert_true (mail_imap_client_has_capability (client, "LIST-STATUS"));
  list = mail_imap_client_list_sync (client, "", "*",
                                     MAIL_IMAP_LIST_SPECIAL_USE | MAIL_IMAP_LIST_STATUS
                                     | MAIL_IMAP_LIST_RETURN_SUBSCRIBED, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      const MailImapResponse *r = g_ptr_array_index (list, i);

      if (r->kind == MAIL_IMAP_RESPONSE_MAILBOX_STATUS
          && g_strcmp0 (r->mailbox_status.mailbox.name, folder) == 0)
        {
          g_assert_true (r->mailbox_status.items & MAIL_IMAP_STATUS_ITEM_HIGHESTMODSEQ);
          listed_modseq = r->mailbox_status.highestmodseq;
        }
    }
  g_assert_cmpuint (listed_modseq, >, info.highestmodseq);

  g_signal_connect (client, "fetch", G_CALLBACK (sync_signal_cb), &changes);
  g_signal_connect (client, "vanished", G_CALLBACK (sync_signal_cb), &changes);
  qresync.uidvalidity = info.uidvalidity;
  qresync.modseq = info.highestmodseq;
  qresync.known_uids = known;
  g_assert_true (mail_imap_client_select_changes_sync (client, folder, TRUE, &qresync, &again,
                                                       sync_fetch_cb, sync_vanished_cb,
                                                       &changes, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (again.uidvalidity, ==, info.uidvalidity);
  g_assert_cmpuint (again.highestmodseq, ==, listed_modseq);
  g_assert_cmpuint (again.exists, ==, 2);
  expected = g_strdup_printf ("%u flagged;", uid1);
  g_assert_cmpstr (changes.fetched->str, ==, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("earlier %u;", uid2);
  g_assert_cmpstr (changes.vanished->str, ==, expected);
  g_assert_cmpuint (changes.n_signals, ==, 0);

  /* The same through UID FETCH (CHANGEDSINCE n VANISHED). */
  g_string_truncate (changes.fetched, 0);
  g_string_truncate (changes.vanished, 0);
  options.changed_since = info.highestmodseq;
  options.vanished = TRUE;
  options.vanished_func = sync_vanished_cb;
  kept = mail_imap_client_uid_fetch_sync (client, "1:*", &options, sync_fetch_cb, &changes,
                                          NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kept->len, ==, 0);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%u flagged;", uid1);
  g_assert_cmpstr (changes.fetched->str, ==, expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("earlier %u;", uid2);
  g_assert_cmpstr (changes.vanished->str, ==, expected);
  g_assert_cmpuint (changes.n_signals, ==, 0);

  g_assert_true (mail_imap_client_unselect_sync (client, FALSE, NULL, &error));
  delete_mailbox (client, folder);
  g_string_free (changes.fetched, TRUE);
  g_string_free (changes.vanished, TRUE);
}

/* A body sink as a store would write one: a temporary file per message, renamed to its
 * UID once the message is complete, deleted if not. */
typedef struct
{
  GFile *dir;
  guint  n_commits;
  guint  n_aborts;
  char  *section;
} FileSink;

static GFile *
temp_file (FileSink               *sink,
           const MailImapBodyInfo *info)
{
  g_autofree char *name = g_strdup_printf ("seq-%u.tmp", info->seq);

  return g_file_get_child (sink->dir, name);
}

static GOutputStream *
file_sink_open (const MailImapBodyInfo  *info,
                gpointer                 user_data,
                GError                 **error)
{
  FileSink *sink = user_data;
  g_autoptr (GFile) file = temp_file (sink, info);

  return G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL,
                                          error));
}

static gboolean
file_sink_commit (GOutputStream           *stream,
                  const MailImapBodyInfo  *info,
                  const MailImapFetch     *fetch,
                  gpointer                 user_data,
                  GError                 **error)
{
  FileSink *sink = user_data;
  g_autoptr (GFile) file = temp_file (sink, info);
  g_autofree char *name = g_strdup_printf ("%u.eml", info->uid);
  g_autoptr (GFile) final = g_file_get_child (sink->dir, name);

  g_assert_cmpuint (info->uid, ==, fetch->uid);
  g_free (sink->section);
  sink->section = g_strdup (info->section);
  sink->n_commits++;

  return g_output_stream_close (stream, NULL, error)
         && g_file_move (file, final, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error);
}

static void
file_sink_abort (GOutputStream          *stream,
                 const MailImapBodyInfo *info,
                 gpointer                user_data)
{
  FileSink *sink = user_data;
  g_autoptr (GFile) file = temp_file (sink, info);

  sink->n_aborts++;
  g_output_stream_close (stream, NULL, NULL);
  g_file_delete (file, NULL, NULL);
}

static const MailImapBodySink file_sink = { file_sink_open, file_sink_commit, file_sink_abort };

static GBytes *
read_stored (FileSink *sink,
             guint32   uid)
{
  g_autofree char *name = g_strdup_printf ("%u.eml", uid);
  g_autoptr (GFile) file = g_file_get_child (sink->dir, name);
  g_autoptr (GError) error = NULL;
  GBytes *bytes = g_file_load_bytes (file, NULL, NULL, &error);

  g_assert_no_error (error);
  return bytes;
}

/* About 3 MiB of text (within alice's quota): several dozen reads of the connection's
 * buffer. */
static GBytes *
make_large_message (void)
{
  GString *text = g_string_new ("From: Bob <bob@example.test>\r\n"
                                "To: Alice <alice@example.test>\r\n"
                                "Subject: large\r\n"
                                "MIME-Version: 1.0\r\n"
                                "Content-Type: text/plain; charset=us-ascii\r\n"
                                "\r\n");
  GRand *rand = g_rand_new_with_seed (42);

  while (text->len < 3 * 1024 * 1024)
    {
      for (guint i = 0; i < 76; i++)
        g_string_append_c (text, (char) g_rand_int_range (rand, 'A', 'z' + 1));
      g_string_append (text, "\r\n");
    }
  g_rand_free (rand);

  return g_string_free_to_bytes (text);
}

static void
remove_dir (GFile *dir)
{
  g_autoptr (GFileEnumerator) children = g_file_enumerate_children (dir, "standard::name",
                                                                    G_FILE_QUERY_INFO_NONE,
                                                                    NULL, NULL);
  GFileInfo *info;

  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autoptr (GFile) child = g_file_get_child (dir, g_file_info_get_name (info));

      g_file_delete (child, NULL, NULL);
      g_object_unref (info);
    }
  g_file_delete (dir, NULL, NULL);
}

/* Message bodies streamed from Dovecot to files are byte for byte what was APPENDed:
 * a 3 MiB message and a small one in one command, then a section of one. */
static void
test_body_to_file (Fixture       *fixture,
                   gconstpointer  user_data)
{
  MailImapClient *client = fixture_alice (fixture);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) large = make_large_message ();
  g_autoptr (GBytes) small = make_message ("small", "a small body");
  g_autoptr (GBytes) stored_large = NULL;
  g_autoptr (GBytes) stored_small = NULL;
  g_autoptr (GBytes) stored_header = NULL;
  g_autofree char *folder = unique_name ("Bodies");
  g_autofree char *tmp = g_dir_make_tmp ("mail-bodies-XXXXXX", &error);
  g_autofree char *set = NULL;
  g_autofree char *one = NULL;
  MailImapCopyResult result;
  FileSink sink = { NULL, 0, 0, NULL };
  const char *text;
  const char *header_end;
  guint32 large_uid;
  guint32 small_uid;

  g_assert_no_error (error);
  sink.dir = g_file_new_for_path (tmp);

  g_assert_true (mail_imap_client_create_sync (client, folder, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mail_imap_client_append_sync (client, folder, NULL, NULL, large, &result, NULL,
                                               &error));
  g_assert_no_error (error);
  large_uid = (guint32) g_ascii_strtoull (result.dest_uids, NULL, 10);
  mail_imap_copy_result_clear (&result);
  g_assert_true (mail_imap_client_append_sync (client, folder, NULL, NULL, small, &result, NULL,
                                               &error));
  g_assert_no_error (error);
  small_uid = (guint32) g_ascii_strtoull (result.dest_uids, NULL, 10);
  mail_imap_copy_result_clear (&result);

  g_assert_true (mail_imap_client_select_sync (client, folder, TRUE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  set = g_strdup_printf ("%u:%u", large_uid, small_uid);
  g_assert_true (mail_imap_client_uid_fetch_body_sync (client, set, "", &file_sink, &sink, NULL,
                                                       &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sink.n_commits, ==, 2);
  g_assert_cmpuint (sink.n_aborts, ==, 0);

  stored_large = read_stored (&sink, large_uid);
  stored_small = read_stored (&sink, small_uid);
  g_assert_true (g_bytes_equal (stored_large, large));
  g_assert_true (g_bytes_equal (stored_small, small));

  /* A section: the header alone, up to and with its blank line. */
  one = g_strdup_printf ("%u", large_uid);
  g_assert_true (mail_imap_client_uid_fetch_body_sync (client, one, "HEADER", &file_sink, &sink,
                                                       NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sink.section, ==, "HEADER");
  stored_header = read_stored (&sink, large_uid);
  text = g_bytes_get_data (large, NULL);
  header_end = strstr (text, "\r\n\r\n") + 4;
  g_assert_cmpuint (g_bytes_get_size (stored_header), ==, (gsize) (header_end - text));
  g_assert_true (memcmp (g_bytes_get_data (stored_header, NULL), text,
                         (gsize) (header_end - text)) == 0);

  g_assert_true (mail_imap_client_unselect_sync (client, FALSE, NULL, &error));
  delete_mailbox (client, folder);
  remove_dir (sink.dir);
  g_object_unref (sink.dir);
  g_free (sink.section);
}

int
main (int   argc,
      char *argv[])
{
  mail_test_harness_load ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/mail/imap/live/tls-capabilities", test_tls_capabilities);
  ADD ("/mail/imap/live/starttls", test_starttls);
  ADD ("/mail/imap/live/wrong-password", test_wrong_password);
  ADD ("/mail/imap/live/mailboxes", test_mailboxes);
  ADD ("/mail/imap/live/messages", test_messages);
  ADD ("/mail/imap/live/condstore", test_condstore);
  ADD ("/mail/imap/live/search-utf8", test_search_utf8);
  ADD ("/mail/imap/live/quota", test_quota);
  ADD ("/mail/imap/live/idle", test_idle);
  ADD ("/mail/imap/live/pipelining", test_pipelining);
  ADD ("/mail/imap/live/compress", test_compress);
  ADD ("/mail/imap/live/qresync-changes", test_qresync_changes);
  ADD ("/mail/imap/live/body-to-file", test_body_to_file);

#undef ADD

  return g_test_run ();
}
