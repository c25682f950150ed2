/* test-store.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The store: schema and migrations (and refusing a newer one), folders, messages in
 * batches, flags, expunges, a UIDVALIDITY change that keeps what is only local, the
 * action queue, threads, bodies written durably, full-text search, and two connections
 * and two processes on the same store. */

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <utime.h>

#include <sqlite3.h>

#include "test-store-util.h"

static char *
db_path (StoreFixture *fixture)
{
  return g_build_filename (fixture->dir, "store.db", NULL);
}

static gint64
raw_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* ------------------------------------------------------------------ schema */

static void
test_open_creates (StoreFixture  *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = db_path (fixture);
  g_autofree char *bodies = g_build_filename (fixture->dir, "bodies", NULL);

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (bodies, G_FILE_TEST_IS_DIR));
  g_assert_cmpint (raw_int (path, "PRAGMA user_version"), ==, MAIL_STORE_SCHEMA_VERSION);
  g_assert_cmpint (raw_int (path, "PRAGMA application_id"), ==, 0x4d41494c);
  g_assert_cmpint (raw_int (path, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), ==, 1);
  g_assert_cmpstr (mail_store_get_dir (fixture->store), ==, fixture->dir);
  g_assert_true (mail_store_check_integrity (fixture->store, NULL));
}

static void
test_open_missing_dir (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailStore) store = mail_store_open ("/nonexistent/mail-store-test", &error);

  g_assert_null (store);
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND);
}

/* A second program opening the store finds the schema in place and changes nothing. */
static void
test_open_twice (StoreFixture  *fixture,
                 gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailStore) second = mail_store_open (fixture->dir, &error);
  gint64 id = 0;

  g_assert_no_error (error);
  test_store_add (fixture->store, fixture->inbox, 1, 1000, "one", 0);
  g_assert_true (mail_store_lookup_uid (second, fixture->inbox, 1, &id, &error));
  g_assert_no_error (error);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  MailStore **store = user_data;
  g_autoptr (GError) error = NULL;

  *store = mail_store_open_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*store);
}

/* For the UI thread: opened on a worker, the result on this thread's main context; the
 * database is its owner's only. */
static void
test_open_async (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  MailStore *store = NULL;
  GStatBuf st;

  mail_store_open_async (dir, NULL, opened_cb, &store);
  while (store == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_finalize_object (store);

  test_store_remove_tree (dir);
}

static gpointer
open_in_thread (gpointer data)
{
  g_autoptr (GError) error = NULL;
  MailStore *store = mail_store_open (data, &error);

  g_assert_no_error (error);
  return store;
}

/* Migrating a new store from several threads at once: one migrates, all open it. */
static void
test_open_concurrently (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-store-XXXXXX", NULL);
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("open", open_in_thread, dir);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_object_unref (g_thread_join (threads[i]));

  test_store_remove_tree (dir);
}

static GBytes *
read_file (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static void
assert_refused_untouched (const char *dir,
                          int         code)
{
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr (GBytes) before = read_file (path);
  g_autoptr (GBytes) after = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MailStore) store = mail_store_open (dir, &error);

  g_assert_null (store);
  g_assert_error (error, MAIL_STORE_ERROR, code);
  g_test_message ("%s", error->message);

  after = read_file (path);
  g_assert_true (g_bytes_equal (before, after));
}

/* A store written by a newer Mail is refused with a clear message and never modified:
 * neither a WAL store of ours nor a database still in rollback-journal mode. */
static void
test_open_newer (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr (GError) error = NULL;

  {
    g_autoptr (MailStore) store = mail_store_open (dir, &error);

    g_assert_no_error (error);
    test_store_add (store, test_store_add_folder (store, "INBOX"), 7, 1000, "kept", 0);
  }
  raw_exec (path, "PRAGMA user_version = 99");
  assert_refused_untouched (dir, MAIL_STORE_ERROR_TOO_NEW);
  g_assert_cmpint (raw_int (path, "PRAGMA user_version"), ==, 99);
  g_assert_cmpint (raw_int (path, "SELECT count(*) FROM messages"), ==, 1);
  test_store_remove_tree (dir);
}

static void
test_open_newer_rollback_journal (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  raw_exec (path, "PRAGMA journal_mode = DELETE; CREATE TABLE future (x); PRAGMA user_version = 2");
  assert_refused_untouched (dir, MAIL_STORE_ERROR_TOO_NEW);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  test_store_remove_tree (dir);
}

static void
test_open_not_a_store (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  char garbage[8192];

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = (char) (i * 7 + 3);
  g_assert_true (g_file_set_contents (path, garbage, sizeof garbage, NULL));
  assert_refused_untouched (dir, MAIL_STORE_ERROR_NOT_A_STORE);

  g_unlink (path);
  raw_exec (path, "PRAGMA application_id = 42; CREATE TABLE t (x)");
  assert_refused_untouched (dir, MAIL_STORE_ERROR_NOT_A_STORE);

  g_unlink (path);
  raw_exec (path, "CREATE TABLE somebody_elses (x)");
  assert_refused_untouched (dir, MAIL_STORE_ERROR_NOT_A_STORE);

  test_store_remove_tree (dir);
}

/* ------------------------------------------------------------------ folders */

static void
test_folders (StoreFixture  *fixture,
              gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) folders = NULL;
  MailStoreFolderInfo info = { "Lists", "/", MAIL_FOLDER_ROLE_NONE, FALSE, MAIL_FOLDER_NOSELECT };
  MailStoreFolderState state = { 12345, 77, 9000000000ULL };
  MailStoreFolderState read = { 0 };
  gint64 lists = 0;
  gint64 again = 0;
  gint64 sent = test_store_add_folder (fixture->store, "Sent Items");
  gint64 child = test_store_add_folder (fixture->store, "Lists/GNOME");
  gint64 found = 0;

  g_assert_true (mail_store_upsert_folder (fixture->store, &info, &lists, &error));
  info.subscribed = TRUE;
  g_assert_true (mail_store_upsert_folder (fixture->store, &info, &again, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lists, ==, again);

  g_assert_true (mail_store_set_folder_state (fixture->store, lists, &state, &error));
  g_assert_true (mail_store_get_folder_state (fixture->store, lists, &read, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (read.uidvalidity, ==, 12345);
  g_assert_cmpuint (read.uidnext, ==, 77);
  g_assert_cmpuint (read.highestmodseq, ==, 9000000000ULL);

  folders = mail_store_list_folders (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (folders->len, ==, 4);
  g_assert_cmpstr (mail_folder_summary_get_name (g_ptr_array_index (folders, 0)), ==, "INBOX");
  g_assert_cmpint (mail_folder_summary_get_role (g_ptr_array_index (folders, 0)), ==, MAIL_FOLDER_ROLE_INBOX);
  g_assert_cmpint (mail_folder_summary_get_id (g_ptr_array_index (folders, 1)), ==, sent);
  g_assert_cmpint (mail_folder_summary_get_role (g_ptr_array_index (folders, 1)), ==, MAIL_FOLDER_ROLE_SENT);
  g_assert_cmpstr (mail_folder_summary_get_name (g_ptr_array_index (folders, 2)), ==, "Lists");
  g_assert_true (mail_folder_summary_get_subscribed (g_ptr_array_index (folders, 2)));
  g_assert_cmpuint (mail_folder_summary_get_attributes (g_ptr_array_index (folders, 2)), ==, MAIL_FOLDER_NOSELECT);
  g_assert_cmpstr (mail_folder_summary_get_display_name (g_ptr_array_index (folders, 3)), ==, "GNOME");
  g_assert_cmpuint (mail_folder_summary_get_depth (g_ptr_array_index (folders, 3)), ==, 1);

  /* Renaming takes the subfolders along; a taken name is refused. */
  g_assert_true (mail_store_rename_folder (fixture->store, lists, "Mailing Lists", &error));
  g_assert_no_error (error);
  g_assert_true (mail_store_lookup_folder (fixture->store, "Mailing Lists/GNOME", &found, &error));
  g_assert_cmpint (found, ==, child);
  g_assert_false (mail_store_rename_folder (fixture->store, lists, "INBOX", &error));
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Deleting a folder deletes its messages. */
  test_store_add (fixture->store, child, 1, 1000, "in child", 0);
  g_assert_true (mail_store_delete_folder (fixture->store, child, &error));
  g_assert_no_error (error);
  g_assert_false (mail_store_lookup_folder (fixture->store, "Mailing Lists/GNOME", &found, &error));
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autofree char *path = db_path (fixture);

    g_assert_cmpint (raw_int (path, "SELECT count(*) FROM messages"), ==, 0);
    g_assert_cmpint (raw_int (path, "SELECT count(*) FROM messages_fts"), ==, 0);
  }
}

static void
test_roles (void)
{
  g_assert_cmpint (mail_folder_role_from_special_use ("\\Trash"), ==, MAIL_FOLDER_ROLE_TRASH);
  g_assert_cmpint (mail_folder_role_from_special_use ("\\junk"), ==, MAIL_FOLDER_ROLE_JUNK);
  g_assert_cmpint (mail_folder_role_from_special_use ("\\HasChildren"), ==, MAIL_FOLDER_ROLE_NONE);
  g_assert_cmpint (mail_folder_role_guess ("inbox", "/"), ==, MAIL_FOLDER_ROLE_INBOX);
  g_assert_cmpint (mail_folder_role_guess ("INBOX.Sent", "."), ==, MAIL_FOLDER_ROLE_SENT);
  g_assert_cmpint (mail_folder_role_guess ("[Gmail]/All Mail", "/"), ==, MAIL_FOLDER_ROLE_ALL);
  g_assert_cmpint (mail_folder_role_guess ("Deleted Items", "/"), ==, MAIL_FOLDER_ROLE_TRASH);
  g_assert_cmpint (mail_folder_role_guess ("Projects/Trash", "/"), ==, MAIL_FOLDER_ROLE_NONE);
  g_assert_cmpint (mail_folder_role_guess ("Spam", NULL), ==, MAIL_FOLDER_ROLE_JUNK);
  g_assert_cmpint (mail_folder_role_guess ("Entwürfe", "/"), ==, MAIL_FOLDER_ROLE_DRAFTS);
  g_assert_cmpuint (mail_message_flags_from_keyword ("\\SEEN"), ==, MAIL_MESSAGE_SEEN);
  g_assert_cmpuint (mail_message_flags_from_keyword ("$Forwarded"), ==, MAIL_MESSAGE_FORWARDED);
  g_assert_cmpuint (mail_message_flags_from_keyword ("$label1"), ==, 0);
}

/* ------------------------------------------------------------------ messages */

static void
assert_counts (StoreFixture *fixture,
               gint64        folder,
               guint         total,
               guint         unread)
{
  g_autoptr (MailFolderSummary) summary = test_store_folder (fixture->store, folder);

  g_assert_cmpuint (mail_folder_summary_get_total (summary), ==, total);
  g_assert_cmpuint (mail_folder_summary_get_unread (summary), ==, unread);
}

static void
test_upsert (StoreFixture  *fixture,
             gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) summaries = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_mime_summary_free);
  g_autoptr (GPtrArray) page = NULL;
  g_autoptr (GArray) uids = NULL;
  g_autoptr (MailMessageSummary) message = NULL;
  MailStoreMessageInfo *infos = g_new0 (MailStoreMessageInfo, 500);
  guint unread = 0;

  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *subject = g_strdup_printf ("Message %u", i);

      g_ptr_array_add (summaries, test_store_summary (subject, "Carol <carol@example.net>",
                                                      1000000 + i * 60, "same@example.com", NULL, NULL));
      infos[i].uid = i + 1;
      infos[i].flags = i % 3 == 0 ? 0 : MAIL_MESSAGE_SEEN;
      infos[i].keywords = i % 10 == 0 ? "$label1 work" : NULL;
      infos[i].internal_date = 1000000 + i * 60;
      infos[i].size = 2048;
      infos[i].summary = g_ptr_array_index (summaries, i);
      unread += infos[i].flags == 0;
    }

  g_assert_true (mail_store_begin (fixture->store, MAIL_STORE_DURABILITY_NORMAL, &error));
  g_assert_true (mail_store_upsert_messages (fixture->store, fixture->inbox, infos, 500, ids, &error));
  g_assert_no_error (error);
  /* Inside the transaction, its writer reads its own changes. */
  uids = mail_store_list_uids (fixture->store, fixture->inbox, &error);
  g_assert_cmpuint (uids->len, ==, 500);
  g_assert_true (mail_store_commit (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 500);
  assert_counts (fixture, fixture->inbox, 500, unread);

  /* Identical Message-IDs are different messages. */
  {
    g_autoptr (GArray) same = mail_store_lookup_message_id (fixture->store, 0, "same@example.com", &error);

    g_assert_cmpuint (same->len, ==, 500);
  }
  g_clear_pointer (&uids, g_array_unref);
  uids = mail_store_list_uids (fixture->store, fixture->inbox, &error);
  g_assert_cmpuint (uids->len, ==, 500);
  g_assert_cmpuint (g_array_index (uids, guint32, 0), ==, 1);
  g_assert_cmpuint (g_array_index (uids, guint32, 499), ==, 500);

  /* Upserting again updates flags, adds nothing. */
  for (guint i = 0; i < 500; i++)
    infos[i].flags = MAIL_MESSAGE_SEEN;
  g_array_set_size (ids, 0);
  g_assert_true (mail_store_upsert_messages (fixture->store, fixture->inbox, infos, 500, ids, &error));
  g_assert_no_error (error);
  assert_counts (fixture, fixture->inbox, 500, 0);
  g_assert_cmpint (g_array_index (ids, gint64, 10), ==, g_array_index (ids, gint64, 10));

  page = mail_store_list_messages (fixture->store, fixture->inbox, 0, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 3);
  g_assert_cmpstr (mail_message_summary_get_subject (g_ptr_array_index (page, 0)), ==, "Message 499");
  g_assert_cmpstr (mail_message_summary_get_subject (g_ptr_array_index (page, 2)), ==, "Message 497");

  message = mail_store_get_message (fixture->store, g_array_index (ids, gint64, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mail_message_summary_get_sender (message), ==, "Carol");
  g_assert_cmpstr (mail_message_summary_get_sender_address (message), ==, "carol@example.net");
  g_assert_cmpstr (mail_message_summary_get_recipients (message), ==, "Bob <bob@example.org>");
  g_assert_cmpstr (mail_message_summary_get_message_id (message), ==, "same@example.com");
  g_assert_cmpuint (mail_message_summary_get_uid (message), ==, 1);
  g_assert_cmpuint (mail_message_summary_get_size (message), ==, 2048);
  g_assert_cmpint (mail_message_summary_get_date (message), ==, 1000000);
  g_assert_null (mail_message_summary_get_preview (message));
  g_assert_cmpint (mail_message_summary_get_body_state (message), ==, MAIL_STORE_BODY_NONE);

  g_free (infos);
}

static void
test_flags (StoreFixture  *fixture,
            gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 a = test_store_add (fixture->store, fixture->inbox, 1, 1000, "a", 0);
  gint64 b = test_store_add (fixture->store, fixture->inbox, 2, 2000, "b", 0);
  gint64 ids[] = { a, b };
  MailStoreFlagsUpdate updates[] = {
    { 1, MAIL_MESSAGE_SEEN | MAIL_MESSAGE_FLAGGED, "$label2", 55 },
    { 99, MAIL_MESSAGE_SEEN, NULL, 0 },
  };
  g_autoptr (MailMessageSummary) message = NULL;

  assert_counts (fixture, fixture->inbox, 2, 2);

  g_assert_true (mail_store_update_flags (fixture->store, fixture->inbox, updates, 2, &error));
  g_assert_no_error (error);
  assert_counts (fixture, fixture->inbox, 2, 1);
  message = mail_store_get_message (fixture->store, a, &error);
  g_assert_true (mail_message_summary_get_flagged (message));
  g_assert_false (mail_message_summary_get_unread (message));

  g_assert_true (mail_store_change_flags (fixture->store, ids, 2, MAIL_MESSAGE_SEEN, MAIL_MESSAGE_FLAGGED, &error));
  g_assert_no_error (error);
  assert_counts (fixture, fixture->inbox, 2, 0);
  g_clear_object (&message);
  message = mail_store_get_message (fixture->store, a, &error);
  g_assert_cmpuint (mail_message_summary_get_flags (message), ==, MAIL_MESSAGE_SEEN);

  /* \Deleted messages do not count as unread. */
  g_assert_true (mail_store_change_flags (fixture->store, ids, 1, MAIL_MESSAGE_DELETED, MAIL_MESSAGE_SEEN, &error));
  assert_counts (fixture, fixture->inbox, 2, 0);
  g_assert_true (mail_store_change_flags (fixture->store, ids, 1, 0, MAIL_MESSAGE_DELETED, &error));
  assert_counts (fixture, fixture->inbox, 2, 1);
}

static void
test_expunge (StoreFixture  *fixture,
              gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) uids = NULL;
  guint32 gone[] = { 2, 4, 1000 };
  g_autofree char *path = db_path (fixture);

  for (guint i = 1; i <= 5; i++)
    test_store_add (fixture->store, fixture->inbox, i, i * 1000, "m", 0);

  g_assert_true (mail_store_expunge_uids (fixture->store, fixture->inbox, gone, 3, &error));
  g_assert_no_error (error);
  uids = mail_store_list_uids (fixture->store, fixture->inbox, &error);
  g_assert_cmpuint (uids->len, ==, 3);
  g_assert_cmpuint (g_array_index (uids, guint32, 0), ==, 1);
  g_assert_cmpuint (g_array_index (uids, guint32, 1), ==, 3);
  g_assert_cmpuint (g_array_index (uids, guint32, 2), ==, 5);
  assert_counts (fixture, fixture->inbox, 3, 3);
  g_assert_cmpint (raw_int (path, "SELECT count(*) FROM messages_fts"), ==, 3);
}

static void
test_move_copy_delete (StoreFixture  *fixture,
                       gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 archive = test_store_add_folder (fixture->store, "Archive");
  gint64 a = test_store_add (fixture->store, fixture->inbox, 1, 1000, "a", 0);
  gint64 b = test_store_add (fixture->store, fixture->inbox, 2, 2000, "b", MAIL_MESSAGE_SEEN);
  g_autoptr (GArray) copies = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (MailMessageSummary) moved = NULL;
  g_autoptr (GPtrArray) found = NULL;
  gint64 id = 0;

  g_assert_true (mail_store_move_messages (fixture->store, &a, 1, archive, &error));
  g_assert_no_error (error);
  assert_counts (fixture, fixture->inbox, 1, 0);
  assert_counts (fixture, archive, 1, 1);
  moved = mail_store_get_message (fixture->store, a, &error);
  g_assert_cmpint (mail_message_summary_get_folder_id (moved), ==, archive);
  g_assert_cmpuint (mail_message_summary_get_uid (moved), ==, 0);

  /* The server reports the new UID; a second message cannot take it. */
  g_assert_true (mail_store_set_message_uid (fixture->store, a, 40, &error));
  g_assert_true (mail_store_lookup_uid (fixture->store, archive, 40, &id, &error));
  g_assert_cmpint (id, ==, a);

  g_assert_true (mail_store_copy_messages (fixture->store, &b, 1, archive, copies, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (copies->len, ==, 1);
  assert_counts (fixture, archive, 2, 1);
  g_assert_false (mail_store_set_message_uid (fixture->store, g_array_index (copies, gint64, 0), 40, &error));
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* The moved message is found by its Message-ID, in its new folder only. */
  {
    g_autoptr (GArray) by_id = mail_store_lookup_message_id (fixture->store, archive,
                                                             "1.1@example.com", &error);
    g_autoptr (GArray) nowhere = mail_store_lookup_message_id (fixture->store, fixture->inbox,
                                                               "1.1@example.com", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (by_id->len, ==, 1);
    g_assert_cmpint (g_array_index (by_id, gint64, 0), ==, a);
    g_assert_cmpuint (nowhere->len, ==, 0);
  }

  /* Copies are found by search like the original. */
  found = mail_store_search (fixture->store, "subject:b", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);

  g_assert_true (mail_store_delete_messages (fixture->store, &b, 1, &error));
  g_assert_no_error (error);
  assert_counts (fixture, fixture->inbox, 0, 0);
  g_assert_false (mail_store_lookup_uid (fixture->store, fixture->inbox, 2, &id, &error));
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND);
}

/* A UIDVALIDITY change: what the server knew by UID goes; what is only here stays. */
static void
test_uidvalidity_reset (StoreFixture  *fixture,
                        gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 trash = test_store_add_folder (fixture->store, "Trash");
  gint64 local;
  g_autoptr (GPtrArray) actions = NULL;
  g_autoptr (GArray) uids = NULL;
  MailStoreFolderState state = { 1, 10, 100 };
  MailStoreFolderState read = { 0 };
  gint64 action;

  for (guint i = 1; i <= 9; i++)
    test_store_add (fixture->store, fixture->inbox, i, i * 1000, "server", 0);
  g_assert_true (mail_store_set_folder_state (fixture->store, fixture->inbox, &state, &error));

  /* An offline move into the folder, queued. */
  local = test_store_add (fixture->store, trash, 1, 500, "moved here offline", 0);
  g_assert_true (mail_store_begin (fixture->store, MAIL_STORE_DURABILITY_DURABLE, &error));
  g_assert_true (mail_store_move_messages (fixture->store, &local, 1, fixture->inbox, &error));
  action = mail_store_enqueue_action (fixture->store, MAIL_STORE_ACTION_MOVE, "{\"uid\":1}", &error);
  g_assert_cmpint (action, >, 0);
  g_assert_true (mail_store_commit (fixture->store, &error));
  g_assert_no_error (error);

  g_assert_true (mail_store_reset_folder (fixture->store, fixture->inbox, 2, &error));
  g_assert_no_error (error);

  uids = mail_store_list_uids (fixture->store, fixture->inbox, &error);
  g_assert_cmpuint (uids->len, ==, 0);
  assert_counts (fixture, fixture->inbox, 1, 1);
  g_assert_true (mail_store_get_folder_state (fixture->store, fixture->inbox, &read, &error));
  g_assert_cmpuint (read.uidvalidity, ==, 2);
  g_assert_cmpuint (read.uidnext, ==, 0);
  g_assert_cmpuint (read.highestmodseq, ==, 0);

  actions = mail_store_list_actions (fixture->store, &error);
  g_assert_cmpuint (actions->len, ==, 1);
  g_assert_cmpint (((MailStoreAction *) g_ptr_array_index (actions, 0))->id, ==, action);

  /* The folder fills again under the new UIDVALIDITY. */
  test_store_add (fixture->store, fixture->inbox, 1, 1000, "refetched", 0);
  assert_counts (fixture, fixture->inbox, 2, 2);
}

static void
test_actions (StoreFixture  *fixture,
              gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) actions = NULL;
  gint64 a = test_store_add (fixture->store, fixture->inbox, 1, 1000, "a", 0);
  MailStoreAction *first;
  MailStoreActionKind kind;
  gint64 id1;
  gint64 id2;

  /* A user's action is the store change and the queued action, in one transaction. */
  g_assert_true (mail_store_begin (fixture->store, MAIL_STORE_DURABILITY_DURABLE, &error));
  g_assert_true (mail_store_change_flags (fixture->store, &a, 1, MAIL_MESSAGE_SEEN, 0, &error));
  g_assert_cmpint (mail_store_enqueue_action (fixture->store, MAIL_STORE_ACTION_FLAG, "seen 1", &error), >, 0);
  mail_store_rollback (fixture->store);
  assert_counts (fixture, fixture->inbox, 1, 1);
  actions = mail_store_list_actions (fixture->store, &error);
  g_assert_cmpuint (actions->len, ==, 0);
  g_clear_pointer (&actions, g_ptr_array_unref);

  g_assert_true (mail_store_begin (fixture->store, MAIL_STORE_DURABILITY_DURABLE, &error));
  g_assert_true (mail_store_change_flags (fixture->store, &a, 1, MAIL_MESSAGE_SEEN, 0, &error));
  id1 = mail_store_enqueue_action (fixture->store, MAIL_STORE_ACTION_FLAG, "seen 1", &error);
  g_assert_true (mail_store_commit (fixture->store, &error));
  id2 = mail_store_enqueue_action (fixture->store, MAIL_STORE_ACTION_CREATE_FOLDER, "Projects", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id1, <, id2);
  assert_counts (fixture, fixture->inbox, 1, 0);

  g_assert_true (mail_store_fail_action (fixture->store, id1, "[UNAVAILABLE] try later", FALSE, &error));
  g_assert_true (mail_store_fail_action (fixture->store, id2, "[CANNOT] no", TRUE, &error));
  g_assert_no_error (error);
  actions = mail_store_list_actions (fixture->store, &error);
  g_assert_cmpuint (actions->len, ==, 2);
  first = g_ptr_array_index (actions, 0);
  g_assert_cmpint (first->id, ==, id1);
  g_assert_cmpint (first->kind, ==, MAIL_STORE_ACTION_FLAG);
  g_assert_cmpstr (first->payload, ==, "seen 1");
  g_assert_cmpint (first->state, ==, MAIL_STORE_ACTION_PENDING);
  g_assert_cmpuint (first->attempts, ==, 1);
  g_assert_cmpstr (first->last_error, ==, "[UNAVAILABLE] try later");
  g_assert_cmpint (first->created, >, 1700000000);
  g_assert_cmpint (((MailStoreAction *) g_ptr_array_index (actions, 1))->state, ==, MAIL_STORE_ACTION_FAILED);
  g_clear_pointer (&actions, g_ptr_array_unref);

  g_assert_true (mail_store_complete_action (fixture->store, id1, &error));
  actions = mail_store_list_actions (fixture->store, &error);
  g_assert_cmpuint (actions->len, ==, 1);
  g_assert_false (mail_store_fail_action (fixture->store, id1, "x", FALSE, &error));
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND);

  for (guint k = MAIL_STORE_ACTION_FLAG; k <= MAIL_STORE_ACTION_APPEND; k++)
    {
      g_assert_true (mail_store_action_kind_from_string (mail_store_action_kind_to_string (k), &kind));
      g_assert_cmpint (kind, ==, k);
    }
  g_assert_cmpstr (mail_store_action_kind_to_string (MAIL_STORE_ACTION_DELETE_FOLDER), ==, "delete-folder");
}

static void
test_quota (StoreFixture  *fixture,
            gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) quota = NULL;
  MailStoreQuota *q;

  g_assert_true (mail_store_set_quota (fixture->store, "", "STORAGE", 10, 100, &error));
  g_assert_true (mail_store_set_quota (fixture->store, "", "STORAGE", 95, 100, &error));
  g_assert_true (mail_store_set_quota (fixture->store, "", "MESSAGE", 3, 1000, &error));
  g_assert_no_error (error);

  quota = mail_store_list_quota (fixture->store, &error);
  g_assert_cmpuint (quota->len, ==, 2);
  q = g_ptr_array_index (quota, 1);
  g_assert_cmpstr (q->resource, ==, "STORAGE");
  g_assert_cmpuint (q->used, ==, 95);
  g_assert_cmpuint (q->limit, ==, 100);
}

static void
test_threads (StoreFixture  *fixture,
              gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 other = test_store_add_folder (fixture->store, "Other");
  struct
  {
    gint64      folder;
    const char *id;
    const char *in_reply_to;
    const char *references;
  } messages[] = {
    { 0, "a@x", NULL, NULL },
    { 0, "b@x", "a@x", "<a@x>" },
    { 0, "d@x", "c@x", "<c@x>" },      /* the parent c arrives later */
    { 0, "c@x", NULL, "<a@x>" },       /* joins a's thread and d's: they merge */
    { 0, NULL, NULL, NULL },           /* no Message-ID: a thread of its own */
    { 1, "a@x", NULL, NULL },          /* the same Message-ID in another folder */
  };
  gint64 threads[G_N_ELEMENTS (messages)];

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autoptr (MailMimeSummary) summary =
        test_store_summary ("t", NULL, 1000 + i, messages[i].id, messages[i].in_reply_to,
                            messages[i].references);
      MailStoreMessageInfo info = { i + 1, 0, NULL, 1000, 10, 0, summary };
      g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

      g_assert_true (mail_store_upsert_messages (fixture->store, messages[i].folder ? other : fixture->inbox,
                                                 &info, 1, ids, &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      gint64 id = 0;
      g_autoptr (MailMessageSummary) m = NULL;

      g_assert_true (mail_store_lookup_uid (fixture->store, messages[i].folder ? other : fixture->inbox,
                                            i + 1, &id, &error));
      m = mail_store_get_message (fixture->store, id, &error);
      threads[i] = mail_message_summary_get_thread_id (m);
      g_assert_cmpint (threads[i], >, 0);
    }

  g_assert_cmpint (threads[1], ==, threads[0]);
  g_assert_cmpint (threads[2], ==, threads[0]);
  g_assert_cmpint (threads[3], ==, threads[0]);
  g_assert_cmpint (threads[4], !=, threads[0]);
  g_assert_cmpint (threads[5], ==, threads[0]);
}

/* ------------------------------------------------------------------ bodies */

static guint
count_files (StoreFixture *fixture,
             const char   *prefix,
             const char   *suffix)
{
  g_autofree char *path = g_build_filename (fixture->dir, "bodies", NULL);
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    if ((prefix == NULL || g_str_has_prefix (name, prefix)) &&
        (suffix == NULL || g_str_has_suffix (name, suffix)))
      n++;

  return n;
}

static const char body_message[] =
  "From: Alice <alice@example.com>\r\nSubject: with body\r\nMIME-Version: 1.0\r\n"
  "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
  "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe zeppelin lands at noon.\r\n"
  "--b\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--b--\r\n";

static char *
write_body (MailStore  *store,
            const char *data,
            gsize       len,
            gsize       chunk)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailStoreBodyWriter) writer = mail_store_body_writer_new (store, &error);
  char *name;

  g_assert_no_error (error);
  for (gsize offset = 0; offset < len; offset += chunk)
    {
      g_assert_true (mail_store_body_writer_write (writer, data + offset, MIN (chunk, len - offset), &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (mail_store_body_writer_get_size (writer), ==, len);

  name = mail_store_body_writer_commit (writer, &error);
  g_assert_no_error (error);
  g_assert_nonnull (name);

  return name;
}

static void
test_body (StoreFixture  *fixture,
           gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 id = test_store_add (fixture->store, fixture->inbox, 1, 1000, "with body", 0);
  g_autofree char *name = write_body (fixture->store, body_message, strlen (body_message), 7);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (MailMessageSummary) message = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autofree char *second = NULL;
  g_autofree char *first_path = NULL;

  g_assert_cmpuint (count_files (fixture, ".tmp-", NULL), ==, 0);
  g_assert_cmpuint (count_files (fixture, NULL, ".eml"), ==, 1);

  g_assert_true (mail_store_set_body (fixture->store, id, name, MAIL_STORE_BODY_COMPLETE, NULL, &error));
  g_assert_no_error (error);

  path = mail_store_dup_body_path (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, body_message);

  message = mail_store_get_message (fixture->store, id, &error);
  g_assert_cmpstr (mail_message_summary_get_preview (message), ==, "The zeppelin lands at noon.");
  g_assert_true (mail_message_summary_get_has_attachments (message));
  g_assert_cmpint (mail_message_summary_get_body_state (message), ==, MAIL_STORE_BODY_COMPLETE);

  /* The body is in the search index. */
  found = mail_store_search (fixture->store, "zeppelin", 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);

  /* A new body replaces the old one, whose file goes after the commit. */
  first_path = g_strdup (path);
  second = write_body (fixture->store, body_message, strlen (body_message), 4096);
  g_assert_true (mail_store_set_body (fixture->store, id, second, MAIL_STORE_BODY_COMPLETE, NULL, &error));
  g_assert_false (g_file_test (first_path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (fixture, NULL, ".eml"), ==, 1);

  /* Expunging the message removes its body. */
  {
    guint32 uid = 1;

    g_assert_true (mail_store_expunge_uids (fixture->store, fixture->inbox, &uid, 1, &error));
    g_assert_cmpuint (count_files (fixture, NULL, ".eml"), ==, 0);
    g_clear_pointer (&found, g_ptr_array_unref);
    found = mail_store_search (fixture->store, "zeppelin", 0, 0, &error);
    g_assert_cmpuint (found->len, ==, 0);
  }

  /* A body for a message expunged meanwhile is dropped. */
  {
    g_autofree char *late = write_body (fixture->store, body_message, strlen (body_message), 100);

    g_assert_false (mail_store_set_body (fixture->store, id, late, MAIL_STORE_BODY_COMPLETE, NULL, &error));
    g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND);
    g_assert_cmpuint (count_files (fixture, NULL, ".eml"), ==, 0);
  }
}

/* Bodies stream through in chunks; an abandoned one leaves nothing. */
static void
test_body_stream_abort (StoreFixture  *fixture,
                        gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gsize size = 8 * 1024 * 1024;
  g_autofree char *big = g_malloc (size);
  g_autoptr (GInputStream) input = NULL;
  g_autoptr (MailStoreBodyWriter) writer = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  GStatBuf st;

  for (gsize i = 0; i < size; i++)
    big[i] = "abcdefgh\r\n"[i % 10];
  input = g_memory_input_stream_new_from_data (big, size, NULL);

  writer = mail_store_body_writer_new (fixture->store, &error);
  g_assert_true (mail_store_body_writer_write_stream (writer, input, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_files (fixture, ".tmp-", NULL), ==, 1);
  g_assert_cmpuint (count_files (fixture, NULL, ".eml"), ==, 0);
  name = mail_store_body_writer_commit (writer, &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "bodies", name, NULL);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, (goffset) size);
  g_assert_false (mail_store_body_writer_write (writer, "x", 1, &error));
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&writer);

  writer = mail_store_body_writer_new (fixture->store, &error);
  g_assert_true (mail_store_body_writer_write (writer, "partial", 7, &error));
  mail_store_body_writer_abort (writer);
  g_assert_cmpuint (count_files (fixture, ".tmp-", NULL), ==, 0);
  g_clear_object (&writer);

  /* Dropped without a commit: abandoned. */
  writer = mail_store_body_writer_new (fixture->store, &error);
  g_assert_true (mail_store_body_writer_write (writer, "partial", 7, &error));
  g_clear_object (&writer);
  g_assert_cmpuint (count_files (fixture, ".tmp-", NULL), ==, 0);

  /* The committed body that no message refers to goes with the garbage, once old. */
  {
    struct utimbuf old = { time (NULL) - 7200, time (NULL) - 7200 };

    g_assert_true (mail_store_collect_garbage (fixture->store, &error));
    g_assert_cmpuint (count_files (fixture, NULL, ".eml"), ==, 1);
    g_assert_cmpint (utime (path, &old), ==, 0);
    g_assert_true (mail_store_collect_garbage (fixture->store, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (count_files (fixture, NULL, ".eml"), ==, 0);
  }
}

static const char *self_exe;

/* Killed while it writes a body: no file under a body's name, and the temporary file
 * goes at a later open. */
static void
test_body_crash (StoreFixture  *fixture,
                 gconstpointer  data)
{
  const char *argv[] = { self_exe, "--child-body", fixture->dir, NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *bodies = g_build_filename (fixture->dir, "bodies", NULL);
  GPid pid;
  int status;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error));
  g_assert_no_error (error);

  /* Until the child has written some of it. */
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr (GDir) dir = g_dir_open (bodies, 0, NULL);
      const char *name;
      gboolean started = FALSE;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (bodies, name, NULL);
          GStatBuf st;

          if (g_str_has_prefix (name, ".tmp-") && g_stat (path, &st) == 0 && st.st_size > 1024 * 1024)
            started = TRUE;
        }
      if (started)
        break;
      g_usleep (10000);
    }

  kill (pid, SIGKILL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFSIGNALED (status));

  g_assert_cmpuint (count_files (fixture, ".tmp-", NULL), ==, 1);
  g_assert_cmpuint (count_files (fixture, NULL, ".eml"), ==, 0);

  /* A later open removes it once it is old enough not to be another writer's. */
  {
    g_autoptr (GDir) dir = g_dir_open (bodies, 0, NULL);
    const char *name = g_dir_read_name (dir);
    g_autofree char *path = g_build_filename (bodies, name, NULL);
    struct utimbuf old = { time (NULL) - 7200, time (NULL) - 7200 };
    g_autoptr (MailStore) second = NULL;

    g_assert_cmpint (utime (path, &old), ==, 0);
    second = mail_store_open (fixture->dir, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (count_files (fixture, ".tmp-", NULL), ==, 0);
  }
}

static int
child_body (const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailStore) store = mail_store_open (dir, &error);
  g_autoptr (MailStoreBodyWriter) writer = NULL;
  char chunk[65536];

  g_assert_no_error (error);
  memset (chunk, 'x', sizeof chunk);
  writer = mail_store_body_writer_new (store, &error);
  g_assert_no_error (error);

  /* Forever, until killed. */
  for (;;)
    {
      g_assert_true (mail_store_body_writer_write (writer, chunk, sizeof chunk, &error));
      g_usleep (1000);
    }

  return 1;
}

/* ------------------------------------------------------------------ search */

static void
test_search (StoreFixture  *fixture,
             gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 other = test_store_add_folder (fixture->store, "Other");
  struct
  {
    gint64      folder;
    const char *from;
    const char *subject;
    const char *body;
  } messages[] = {
    { 0, "Zoë Ångström <zoe@example.se>", "Quarterly numbers", "The budget is approved." },
    { 0, "Bob <bob@example.org>", "Lunch on Friday?", "Let us try the new Thai place." },
    { 1, "Carol <carol@example.net>", "Re: Quarterly numbers", "Numbers look good, budget too." },
    { 1, "Dave <dave@example.org>", "C++ templates", "Template metaprogramming is fun." },
  };
  static const struct
  {
    const char *query;
    gint64      folder;
    guint       expected;
  } queries[] = {
    { "quarterly", 0, 2 },
    { "QUARTERLY numbers", 0, 2 },
    { "quart", 0, 2 },
    { "budget", 0, 2 },
    { "budget", 1, 1 },
    { "angstrom", 0, 1 },
    { "zoe", 0, 1 },
    { "from:carol", 0, 1 },
    { "subject:budget", 0, 0 },
    { "body:budget", 0, 2 },
    { "to:bob", 0, 4 },
    { "\"thai place\"", 0, 1 },
    { "\"place thai\"", 0, 0 },
    { "C++", 0, 1 },
    { "O'Brien", 0, 0 },
    { "\"unbalanced", 0, 0 },
    { "templ* OR NOT AND", 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autoptr (MailMimeSummary) summary =
        test_store_summary (messages[i].subject, messages[i].from, 1000 + i, NULL, NULL, NULL);
      MailStoreMessageInfo info = { i + 1, 0, NULL, 1000, 10, 0, summary };
      g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autofree char *raw = g_strdup_printf ("Subject: x\r\n\r\n%s\r\n", messages[i].body);
      g_autofree char *name = write_body (fixture->store, raw, strlen (raw), 1024);

      g_assert_true (mail_store_upsert_messages (fixture->store, messages[i].folder ? other : fixture->inbox,
                                                 &info, 1, ids, &error));
      g_assert_true (mail_store_set_body (fixture->store, g_array_index (ids, gint64, 0), name,
                                          MAIL_STORE_BODY_COMPLETE, NULL, &error));
      g_assert_no_error (error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr (GPtrArray) found =
        mail_store_search (fixture->store, queries[i].query, queries[i].folder ? other : 0, 0, &error);

      g_assert_no_error (error);
      if (found->len != queries[i].expected)
        g_error ("“%s” found %u, not %u", queries[i].query, found->len, queries[i].expected);
    }

  /* Newest first, and limited. */
  {
    g_autoptr (GPtrArray) found = mail_store_search (fixture->store, "numbers", 0, 1, &error);

    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpstr (mail_message_summary_get_subject (g_ptr_array_index (found, 0)), ==,
                     "Re: Quarterly numbers");
  }

  g_assert_null (mail_store_search (fixture->store, "  \"\" -- ", 0, 0, &error));
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_INVALID);
}

static void
test_build_match (void)
{
  static const struct
  {
    const char *text;
    const char *match;
  } cases[] = {
    { "hello", "\"hello\"*" },
    { "to  be", "\"to\" \"be\"" },
    { "from:alice \"big deal\"", "sender : \"alice\"* \"big deal\"" },
    { "say \"hi\"\"", "\"say\"* \"hi\"" },
    { "a\"b", "\"a\"\"b\"" },
    { "--", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *match = mail_store_build_match (cases[i].text);

      g_assert_cmpstr (match, ==, cases[i].match);
    }
}

/* ------------------------------------------------------------------ concurrency */

/* A second connection that must wait says so, then fails clearly; readers never wait. */
static void
test_busy (StoreFixture  *fixture,
           gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailStore) other = mail_store_open (fixture->dir, &error);
  g_autoptr (GPtrArray) folders = NULL;
  MailStoreFolderInfo info = { "Other", "/", 0, TRUE, 0 };
  gint64 start;
  gint64 id;

  g_assert_no_error (error);
  mail_store_set_busy_timeout (other, 600);

  g_assert_true (mail_store_begin (fixture->store, MAIL_STORE_DURABILITY_NORMAL, &error));
  test_store_add (fixture->store, fixture->inbox, 1, 1000, "uncommitted", 0);

  g_test_expect_message ("mail-store", G_LOG_LEVEL_MESSAGE, "Waiting for the mail store*");
  start = g_get_monotonic_time ();
  g_assert_false (mail_store_upsert_folder (other, &info, &id, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "another program"));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 500 * 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_clear_error (&error);

  /* Reading does not wait, and sees what was committed. */
  folders = mail_store_list_folders (other, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (folders->len, ==, 1);
  g_assert_false (mail_store_lookup_uid (other, fixture->inbox, 1, &id, &error));
  g_clear_error (&error);

  g_assert_true (mail_store_commit (fixture->store, &error));
  g_assert_true (mail_store_upsert_folder (other, &info, &id, &error));
  g_assert_no_error (error);
  g_assert_true (mail_store_lookup_uid (other, fixture->inbox, 1, &id, &error));
}

typedef struct
{
  MailStore *store;
  gint64     folder;
  guint      first;
  guint      rounds;
} WriterData;

static gpointer
writer_thread (gpointer user_data)
{
  WriterData *data = user_data;

  for (guint r = 0; r < data->rounds; r++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_true (mail_store_begin (data->store, MAIL_STORE_DURABILITY_NORMAL, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < 20; i++)
        test_store_add (data->store, data->folder, data->first + r * 20 + i, r * 100 + i, "t", 0);
      g_assert_true (mail_store_commit (data->store, &error));
      g_assert_no_error (error);
    }

  return NULL;
}

/* Writes from two threads on one store take turns, transaction by transaction. */
static void
test_two_writer_threads (StoreFixture  *fixture,
                         gconstpointer  data)
{
  WriterData a = { fixture->store, fixture->inbox, 1, 30 };
  WriterData b = { fixture->store, fixture->inbox, 100000, 30 };
  GThread *ta = g_thread_new ("a", writer_thread, &a);
  GThread *tb = g_thread_new ("b", writer_thread, &b);

  g_thread_join (ta);
  g_thread_join (tb);
  assert_counts (fixture, fixture->inbox, 1200, 1200);
}

static int
child_writer (const char *dir,
              guint       rounds)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailStore) store = mail_store_open (dir, &error);
  gint64 folder;

  g_assert_no_error (error);
  g_assert_true (mail_store_lookup_folder (store, "Child", &folder, &error));

  for (guint r = 0; r < rounds; r++)
    {
      g_assert_true (mail_store_begin (store, MAIL_STORE_DURABILITY_NORMAL, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < 50; i++)
        test_store_add (store, folder, r * 50 + i + 1, (gint64) (r * 50 + i) * 7 % 1000, "child", 0);
      g_assert_true (mail_store_commit (store, &error));
      g_assert_no_error (error);
      g_usleep (2000);
    }

  return 0;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  guint *n = user_data;

  g_assert_cmpuint (*n - removed + added, ==, g_list_model_get_n_items (model));
  *n = g_list_model_get_n_items (model);
}

/* Two processes on the same store: the app and mail-tool, say. Both write; nothing is
 * lost or corrupted; the list of one follows the other's commits. */
static void
test_two_processes (StoreFixture  *fixture,
                    gconstpointer  data)
{
  const guint rounds = 40;
  const char *argv[] = { self_exe, "--child-writer", fixture->dir, "40", NULL };
  g_autoptr (GError) error = NULL;
  gint64 child_folder = test_store_add_folder (fixture->store, "Child");
  g_autoptr (MailMessageList) list = mail_message_list_new (fixture->store, child_folder, &error);
  guint n_seen = 0;
  guint parent_uid = 0;
  GPid pid;
  int status = 0;
  gboolean exited = FALSE;
  gboolean caught_up = FALSE;
  gint64 deadline;

  g_assert_no_error (error);
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), &n_seen);

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error));
  g_assert_no_error (error);

  while (!exited)
    {
      g_autoptr (GPtrArray) folders = NULL;

      g_assert_true (mail_store_begin (fixture->store, MAIL_STORE_DURABILITY_NORMAL, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < 10; i++)
        {
          parent_uid++;
          test_store_add (fixture->store, fixture->inbox, parent_uid, parent_uid, "parent", 0);
        }
      g_assert_true (mail_store_commit (fixture->store, &error));
      g_assert_no_error (error);

      folders = mail_store_list_folders (fixture->store, &error);
      g_assert_no_error (error);

      while (g_main_context_iteration (NULL, FALSE))
        ;
      exited = waitpid (pid, &status, WNOHANG) == pid;
    }
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  assert_counts (fixture, child_folder, rounds * 50, rounds * 50);
  assert_counts (fixture, fixture->inbox, parent_uid, parent_uid);
  g_assert_true (mail_store_check_integrity (fixture->store, &error));
  g_assert_no_error (error);

  /* The other program's commits reach this one's list (through the file monitor). */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!caught_up && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
      caught_up = n_seen == rounds * 50;
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, rounds * 50);
  g_assert_cmpuint (n_seen, ==, rounds * 50);
}

/* Only the other program writes: its commits reach this one's list through the watch
 * on the write-ahead log. */
static void
test_other_process_notifies (StoreFixture  *fixture,
                             gconstpointer  data)
{
  const char *argv[] = { self_exe, "--child-writer", fixture->dir, "5", NULL };
  g_autoptr (GError) error = NULL;
  gint64 child_folder = test_store_add_folder (fixture->store, "Child");
  g_autoptr (MailMessageList) list = NULL;
  guint n_seen = 0;
  int status = 0;
  gint64 deadline;

  /* Let the folder's own wake-up pass first. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  list = mail_message_list_new (fixture->store, child_folder, &error);
  g_assert_no_error (error);
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), &n_seen);

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (n_seen < 250 && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);

  g_assert_cmpuint (n_seen, ==, 250);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 250);
}

int
main (int   argc,
      char *argv[])
{
  self_exe = g_file_read_link ("/proc/self/exe", NULL);

  if (argc == 4 && strcmp (argv[1], "--child-writer") == 0)
    return child_writer (argv[2], (guint) atoi (argv[3]));
  if (argc == 3 && strcmp (argv[1], "--child-body") == 0)
    return child_body (argv[2]);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

  ADD ("/store/open/creates", test_open_creates);
  g_test_add_func ("/store/open/missing-dir", test_open_missing_dir);
  g_test_add_func ("/store/open/async", test_open_async);
  ADD ("/store/open/twice", test_open_twice);
  g_test_add_func ("/store/open/concurrently", test_open_concurrently);
  g_test_add_func ("/store/open/newer-version", test_open_newer);
  g_test_add_func ("/store/open/newer-version-rollback-journal", test_open_newer_rollback_journal);
  g_test_add_func ("/store/open/not-a-store", test_open_not_a_store);
  ADD ("/store/folders", test_folders);
  g_test_add_func ("/store/folders/roles", test_roles);
  ADD ("/store/messages/upsert", test_upsert);
  ADD ("/store/messages/flags", test_flags);
  ADD ("/store/messages/expunge", test_expunge);
  ADD ("/store/messages/move-copy-delete", test_move_copy_delete);
  ADD ("/store/messages/uidvalidity-reset", test_uidvalidity_reset);
  ADD ("/store/messages/threads", test_threads);
  ADD ("/store/actions", test_actions);
  ADD ("/store/quota", test_quota);
  ADD ("/store/body/write", test_body);
  ADD ("/store/body/stream-abort", test_body_stream_abort);
  ADD ("/store/body/crash", test_body_crash);
  ADD ("/store/search", test_search);
  g_test_add_func ("/store/search/build-match", test_build_match);
  ADD ("/store/concurrency/busy", test_busy);
  ADD ("/store/concurrency/writer-threads", test_two_writer_threads);
  ADD ("/store/concurrency/processes", test_two_processes);
  ADD ("/store/concurrency/other-process-notifies", test_other_process_notifies);

  return g_test_run ();
}
