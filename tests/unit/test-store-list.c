/* test-store-list.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The list models: rows paged in lazily (objects are created only for the rows asked
 * for), and items-changed exact whatever the writer does. Each model under test has a
 * mirror that applies every items-changed as a view would, reading the added items
 * during the signal; after each change the mirror must equal both what the model
 * serves and what the database holds. */

#include "config.h"

#include "test-store-util.h"

typedef struct
{
  GListModel *model;
  GArray     *ids;
  guint       n_signals;
  guint       n_changed;
  gboolean    check_all;
} Mirror;

static gint64
item_id (GListModel *model,
         guint       position)
{
  g_autoptr (MailMessageSummary) item = g_list_model_get_item (model, position);

  g_assert_nonnull (item);
  return mail_message_summary_get_id (item);
}

static void
mirror_changed_cb (GListModel *model,
                   guint       position,
                   guint       removed,
                   guint       added,
                   Mirror     *mirror)
{
  g_assert_cmpuint (position + removed, <=, mirror->ids->len);

  if (removed > 0)
    g_array_remove_range (mirror->ids, position, removed);
  for (guint i = 0; i < added; i++)
    {
      gint64 id = item_id (model, position + i);

      g_array_insert_val (mirror->ids, position + i, id);
    }

  g_assert_cmpuint (mirror->ids->len, ==, g_list_model_get_n_items (model));

  /* Every intermediate state the model announces is one it serves. */
  if (mirror->check_all)
    for (guint i = 0; i < mirror->ids->len; i++)
      g_assert_cmpint (item_id (model, i), ==, g_array_index (mirror->ids, gint64, i));

  mirror->n_signals++;
  mirror->n_changed += removed + added;
}

static Mirror *
mirror_new (GListModel *model)
{
  Mirror *mirror = g_new0 (Mirror, 1);
  guint n = g_list_model_get_n_items (model);

  mirror->model = g_object_ref (model);
  mirror->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  mirror->check_all = TRUE;
  for (guint i = 0; i < n; i++)
    {
      gint64 id = item_id (model, i);

      g_array_append_val (mirror->ids, id);
    }
  g_signal_connect (model, "items-changed", G_CALLBACK (mirror_changed_cb), mirror);

  return mirror;
}

static void
mirror_free (Mirror *mirror)
{
  g_signal_handlers_disconnect_by_data (mirror->model, mirror);
  g_object_unref (mirror->model);
  g_array_unref (mirror->ids);
  g_free (mirror);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Mirror, mirror_free)

/* The mirror is what the database says, in the list's order. */
static void
mirror_check (Mirror    *mirror,
              MailStore *store,
              gint64     folder)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = mail_store_list_messages (store, folder, 0, G_MAXUINT, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (mirror->ids->len, ==, rows->len);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpint (g_array_index (mirror->ids, gint64, i), ==,
                     mail_message_summary_get_id (g_ptr_array_index (rows, i)));
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpint (item_id (mirror->model, i), ==, g_array_index (mirror->ids, gint64, i));
}

static void
run_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
add_batch (MailStore *store,
           gint64     folder,
           guint      first_uid,
           guint      n,
           gint64     first_date)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) summaries = g_ptr_array_new_with_free_func ((GDestroyNotify) mail_mime_summary_free);
  g_autofree MailStoreMessageInfo *infos = g_new0 (MailStoreMessageInfo, n);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *subject = g_strdup_printf ("Message %u", first_uid + i);

      g_ptr_array_add (summaries, test_store_summary (subject, NULL, first_date + i, NULL, NULL, NULL));
      infos[i].uid = first_uid + i;
      infos[i].internal_date = first_date + i;
      infos[i].summary = g_ptr_array_index (summaries, i);
    }

  g_assert_true (mail_store_upsert_messages (store, folder, infos, n, NULL, &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------ paging */

static void
test_lazy (StoreFixture  *fixture,
           gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailMessageList) list = NULL;
  g_autoptr (MailMessageSummary) first = NULL;
  g_autoptr (MailMessageSummary) again = NULL;
  gint64 previous = G_MAXINT64;

  for (guint b = 0; b < 20; b++)
    {
      g_assert_true (mail_store_begin (fixture->store, MAIL_STORE_DURABILITY_NORMAL, &error));
      add_batch (fixture->store, fixture->inbox, b * 500 + 1, 500, 1000000 + b * 500);
      g_assert_true (mail_store_commit (fixture->store, &error));
    }
  run_pending ();

  list = mail_message_list_new (fixture->store, fixture->inbox, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 10000);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == MAIL_TYPE_MESSAGE_SUMMARY);
  g_assert_cmpuint (mail_message_list_get_n_loaded (list), ==, 0);
  g_assert_cmpint (mail_message_list_get_folder_id (list), ==, fixture->inbox);
  g_assert_null (mail_message_list_get_match (list));

  /* The first screen reads one page. */
  for (guint i = 0; i < 50; i++)
    {
      g_autoptr (MailMessageSummary) item = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_cmpint (mail_message_summary_get_date (item), <, previous);
      previous = mail_message_summary_get_date (item);
    }
  g_assert_cmpuint (mail_message_list_get_n_loaded (list), ==, 100);

  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  again = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_true (first == again);
  g_assert_cmpstr (mail_message_summary_get_subject (first), ==, "Message 10000");

  /* A jump reads one more page, wherever it lands. */
  {
    g_autoptr (MailMessageSummary) last = g_list_model_get_item (G_LIST_MODEL (list), 9999);
    g_autoptr (MailMessageSummary) middle = g_list_model_get_item (G_LIST_MODEL (list), 5050);
    g_autoptr (MailMessageSummary) next = g_list_model_get_item (G_LIST_MODEL (list), 5150);

    g_assert_cmpstr (mail_message_summary_get_subject (last), ==, "Message 1");
    g_assert_cmpstr (mail_message_summary_get_subject (middle), ==, "Message 4950");
    g_assert_cmpstr (mail_message_summary_get_subject (next), ==, "Message 4850");
    g_assert_cmpuint (mail_message_list_get_n_loaded (list), ==, 400);
  }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 10000));

  /* Scrolling through it all keeps only a few pages; the objects a view holds stay the
   * objects of their rows. */
  for (guint i = 0; i < 10000; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));
  {
    g_autoptr (MailMessageSummary) top = g_list_model_get_item (G_LIST_MODEL (list), 0);

    g_assert_true (top == first);
  }
  run_pending ();
}

/* Messages with the same date keep a stable order (by id). */
static void
test_same_dates (StoreFixture  *fixture,
                 gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailMessageList) list = NULL;
  g_autoptr (Mirror) mirror = NULL;

  for (guint i = 1; i <= 250; i++)
    test_store_add (fixture->store, fixture->inbox, i, 5000 + i % 3, "same", 0);
  run_pending ();

  list = mail_message_list_new (fixture->store, fixture->inbox, &error);
  mirror = mirror_new (G_LIST_MODEL (list));
  mirror_check (mirror, fixture->store, fixture->inbox);

  for (guint i = 251; i <= 260; i++)
    test_store_add (fixture->store, fixture->inbox, i, 5000 + i % 3, "same", 0);
  run_pending ();
  mirror_check (mirror, fixture->store, fixture->inbox);
}

/* ------------------------------------------------------------------ changes */

static void
test_insert_remove (StoreFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailMessageList) list = NULL;
  g_autoptr (Mirror) mirror = NULL;
  gint64 top;
  gint64 middle;
  guint32 uid;

  add_batch (fixture->store, fixture->inbox, 1, 300, 10000);
  run_pending ();
  list = mail_message_list_new (fixture->store, fixture->inbox, &error);
  mirror = mirror_new (G_LIST_MODEL (list));

  /* New mail at the top: one signal. */
  top = test_store_add (fixture->store, fixture->inbox, 1000, 99999, "new", 0);
  run_pending ();
  g_assert_cmpuint (mirror->n_signals, ==, 1);
  g_assert_cmpint (g_array_index (mirror->ids, gint64, 0), ==, top);
  mirror_check (mirror, fixture->store, fixture->inbox);

  /* An old message in the middle. */
  middle = test_store_add (fixture->store, fixture->inbox, 1001, 10150, "old", 0);
  run_pending ();
  g_assert_cmpuint (mirror->n_signals, ==, 2);
  g_assert_cmpint (g_array_index (mirror->ids, gint64, 150), ==, middle);
  mirror_check (mirror, fixture->store, fixture->inbox);

  /* Expunged: removed at its position. */
  uid = 1001;
  g_assert_true (mail_store_expunge_uids (fixture->store, fixture->inbox, &uid, 1, &error));
  run_pending ();
  g_assert_cmpuint (mirror->n_signals, ==, 3);
  mirror_check (mirror, fixture->store, fixture->inbox);

  /* A run of neighbours is one signal. */
  {
    guint32 uids[] = { 100, 101, 102, 103, 104 };

    g_assert_true (mail_store_expunge_uids (fixture->store, fixture->inbox, uids, 5, &error));
    run_pending ();
    g_assert_cmpuint (mirror->n_signals, ==, 4);
    g_assert_cmpuint (mirror->n_changed, ==, 3 + 5);
    mirror_check (mirror, fixture->store, fixture->inbox);
  }

  /* Everything at once: the oldest and newest go, three come in between. */
  g_assert_true (mail_store_begin (fixture->store, MAIL_STORE_DURABILITY_NORMAL, &error));
  {
    guint32 uids[] = { 1, 1000 };

    g_assert_true (mail_store_expunge_uids (fixture->store, fixture->inbox, uids, 2, &error));
  }
  test_store_add (fixture->store, fixture->inbox, 2000, 10010, "a", 0);
  test_store_add (fixture->store, fixture->inbox, 2001, 10010, "b", 0);
  test_store_add (fixture->store, fixture->inbox, 2002, 10200, "c", 0);
  g_assert_true (mail_store_commit (fixture->store, &error));
  run_pending ();
  mirror_check (mirror, fixture->store, fixture->inbox);
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *counter)
{
  (*counter)++;
}

/* Flags and bodies change rows in place: the objects notify, the list does not change. */
static void
test_item_notify (StoreFixture  *fixture,
                  gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailMessageList) list = NULL;
  g_autoptr (Mirror) mirror = NULL;
  g_autoptr (MailMessageSummary) item = NULL;
  g_autoptr (MailStoreBodyWriter) writer = NULL;
  g_autofree char *name = NULL;
  static const char body[] = "Subject: hello\r\n\r\nThe preview text.\r\n";
  gint64 id = test_store_add (fixture->store, fixture->inbox, 1, 1000, "hello", 0);
  guint n_flags = 0;
  guint n_unread = 0;
  guint n_preview = 0;
  guint n_subject = 0;

  test_store_add (fixture->store, fixture->inbox, 2, 500, "older", 0);
  run_pending ();
  list = mail_message_list_new (fixture->store, fixture->inbox, &error);
  mirror = mirror_new (G_LIST_MODEL (list));
  item = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_signal_connect (item, "notify::flags", G_CALLBACK (count_cb), &n_flags);
  g_signal_connect (item, "notify::unread", G_CALLBACK (count_cb), &n_unread);
  g_signal_connect (item, "notify::preview", G_CALLBACK (count_cb), &n_preview);
  g_signal_connect (item, "notify::subject", G_CALLBACK (count_cb), &n_subject);

  g_assert_true (mail_store_change_flags (fixture->store, &id, 1, MAIL_MESSAGE_SEEN, 0, &error));
  run_pending ();
  g_assert_cmpuint (n_flags, ==, 1);
  g_assert_cmpuint (n_unread, ==, 1);
  g_assert_false (mail_message_summary_get_unread (item));

  g_assert_true (mail_store_change_flags (fixture->store, &id, 1, MAIL_MESSAGE_FLAGGED, 0, &error));
  run_pending ();
  g_assert_cmpuint (n_flags, ==, 2);
  g_assert_cmpuint (n_unread, ==, 1);

  writer = mail_store_body_writer_new (fixture->store, &error);
  g_assert_true (mail_store_body_writer_write (writer, body, strlen (body), &error));
  name = mail_store_body_writer_commit (writer, &error);
  g_assert_true (mail_store_set_body (fixture->store, id, name, MAIL_STORE_BODY_COMPLETE, NULL, &error));
  g_assert_no_error (error);
  run_pending ();
  g_assert_cmpuint (n_preview, ==, 1);
  g_assert_cmpstr (mail_message_summary_get_preview (item), ==, "The preview text.");

  g_assert_cmpuint (n_subject, ==, 0);
  g_assert_cmpuint (mirror->n_signals, ==, 0);
}

/* Until the wake-up runs, the list serves the state it announced, even if the database
 * moved on and a page must be read. */
static void
test_read_before_wakeup (StoreFixture  *fixture,
                         gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailMessageList) list = NULL;
  g_autoptr (Mirror) mirror = NULL;
  g_autoptr (MailMessageSummary) old_top = NULL;
  gint64 new_top;
  guint32 uid = 250;

  add_batch (fixture->store, fixture->inbox, 1, 250, 10000);
  run_pending ();
  list = mail_message_list_new (fixture->store, fixture->inbox, &error);
  old_top = g_list_model_get_item (G_LIST_MODEL (list), 0);
  mirror = mirror_new (G_LIST_MODEL (list));

  /* A new top message and the old top one expunged, not yet announced. */
  g_assert_true (mail_store_begin (fixture->store, MAIL_STORE_DURABILITY_NORMAL, &error));
  new_top = test_store_add (fixture->store, fixture->inbox, 999, 99999, "new", 0);
  g_assert_true (mail_store_expunge_uids (fixture->store, fixture->inbox, &uid, 1, &error));
  test_store_add (fixture->store, fixture->inbox, 998, 10100, "middle", 0);
  g_assert_true (mail_store_commit (fixture->store, &error));

  /* Pages not read yet are read from the new snapshot, through the plan. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 250);
  for (guint i = 0; i < 250; i++)
    g_assert_cmpint (item_id (G_LIST_MODEL (list), i), ==, g_array_index (mirror->ids, gint64, i));
  {
    g_autoptr (MailMessageSummary) top = g_list_model_get_item (G_LIST_MODEL (list), 0);

    g_assert_true (top == old_top);
  }

  run_pending ();
  g_assert_cmpint (g_array_index (mirror->ids, gint64, 0), ==, new_top);
  mirror_check (mirror, fixture->store, fixture->inbox);
}

/* A change too large to detail becomes one items-changed over everything. */
static void
test_reset (StoreFixture  *fixture,
            gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailMessageList) list = NULL;
  g_autoptr (Mirror) mirror = NULL;

  add_batch (fixture->store, fixture->inbox, 1, 100, 10000);
  run_pending ();
  list = mail_message_list_new (fixture->store, fixture->inbox, &error);
  mirror = mirror_new (G_LIST_MODEL (list));
  mirror->check_all = FALSE;

  add_batch (fixture->store, fixture->inbox, 1000, 3000, 5000);
  run_pending ();
  g_assert_cmpuint (mirror->n_signals, ==, 1);
  mirror_check (mirror, fixture->store, fixture->inbox);

  g_assert_true (mail_store_reset_folder (fixture->store, fixture->inbox, 77, &error));
  run_pending ();
  g_assert_cmpuint (mirror->n_signals, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
}

/* Random batches of everything the writer does, in two folders, each list checked. */
static void
test_random (StoreFixture  *fixture,
             gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (20260101);
  gint64 other = test_store_add_folder (fixture->store, "Other");
  g_autoptr (MailMessageList) inbox_list = NULL;
  g_autoptr (MailMessageList) other_list = NULL;
  g_autoptr (Mirror) inbox_mirror = NULL;
  g_autoptr (Mirror) other_mirror = NULL;
  guint32 next_uid = 1;

  add_batch (fixture->store, fixture->inbox, next_uid, 200, 0);
  next_uid += 200;
  run_pending ();
  inbox_list = mail_message_list_new (fixture->store, fixture->inbox, &error);
  other_list = mail_message_list_new (fixture->store, other, &error);
  inbox_mirror = mirror_new (G_LIST_MODEL (inbox_list));
  other_mirror = mirror_new (G_LIST_MODEL (other_list));

  for (guint round = 0; round < 60; round++)
    {
      guint n_ops = g_rand_int_range (rand, 1, 25);

      g_assert_true (mail_store_begin (fixture->store, MAIL_STORE_DURABILITY_NORMAL, &error));
      for (guint op = 0; op < n_ops; op++)
        {
          gint64 folder = g_rand_boolean (rand) ? fixture->inbox : other;
          g_autoptr (GPtrArray) rows = mail_store_list_messages (fixture->store, folder, 0, G_MAXUINT, &error);
          gint64 pick = rows->len > 0
            ? mail_message_summary_get_id (g_ptr_array_index (rows, g_rand_int_range (rand, 0, rows->len)))
            : 0;

          switch (g_rand_int_range (rand, 0, 5))
            {
            case 0:
            case 1:
              test_store_add (fixture->store, folder, next_uid++, g_rand_int_range (rand, 0, 400),
                              "random", 0);
              break;
            case 2:
              if (pick != 0)
                g_assert_true (mail_store_delete_messages (fixture->store, &pick, 1, &error));
              break;
            case 3:
              if (pick != 0)
                g_assert_true (mail_store_move_messages (fixture->store, &pick, 1,
                                                         folder == other ? fixture->inbox : other, &error));
              break;
            default:
              if (pick != 0)
                g_assert_true (mail_store_change_flags (fixture->store, &pick, 1,
                                                        g_rand_int (rand) & 7, g_rand_int (rand) & 7, &error));
              break;
            }
          g_assert_no_error (error);
        }
      g_assert_true (mail_store_commit (fixture->store, &error));
      g_assert_no_error (error);

      /* Sometimes the view reads before the wake-up runs. */
      if (g_rand_boolean (rand) && inbox_mirror->ids->len > 0)
        item_id (G_LIST_MODEL (inbox_list), g_rand_int_range (rand, 0, inbox_mirror->ids->len));

      run_pending ();
      mirror_check (inbox_mirror, fixture->store, fixture->inbox);
      mirror_check (other_mirror, fixture->store, other);
    }

  g_assert_cmpuint (inbox_mirror->n_signals, >, 30);
}

typedef struct
{
  MailStore *store;
  gint64     folder;
  gboolean   done;
} Writer;

static gpointer
writer_thread (gpointer user_data)
{
  Writer *writer = user_data;
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  guint32 uid = 100000;

  for (guint round = 0; round < 40; round++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_true (mail_store_begin (writer->store, MAIL_STORE_DURABILITY_NORMAL, &error));
      for (guint i = 0; i < 10; i++)
        test_store_add (writer->store, writer->folder, uid++, g_rand_int_range (rand, 0, 1000), "w", 0);
      if (round % 3 == 0)
        {
          guint32 gone = uid - 15;

          g_assert_true (mail_store_expunge_uids (writer->store, writer->folder, &gone, 1, &error));
        }
      g_assert_true (mail_store_commit (writer->store, &error));
      g_usleep (g_rand_int_range (rand, 0, 3000));
    }

  g_atomic_int_set (&writer->done, TRUE);
  return NULL;
}

/* The writer on its own thread (the sync engine's), the list on this one. */
static void
test_writer_thread (StoreFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailMessageList) list = mail_message_list_new (fixture->store, fixture->inbox, &error);
  g_autoptr (Mirror) mirror = mirror_new (G_LIST_MODEL (list));
  Writer writer = { fixture->store, fixture->inbox, FALSE };
  GThread *thread = g_thread_new ("writer", writer_thread, &writer);
  g_autoptr (MailFolderSummary) folder = NULL;

  while (!g_atomic_int_get (&writer.done))
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (500);
      if (mirror->ids->len > 0)
        item_id (G_LIST_MODEL (list), mirror->ids->len / 2);
    }
  g_thread_join (thread);
  run_pending ();

  folder = test_store_folder (fixture->store, fixture->inbox);
  g_assert_cmpuint (mirror->ids->len, ==, mail_folder_summary_get_total (folder));
  mirror_check (mirror, fixture->store, fixture->inbox);
}

/* A list dropped with a wake-up pending, and a store dropped before its lists. */
static void
test_lifetimes (StoreFixture  *fixture,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  MailMessageList *list = mail_message_list_new (fixture->store, fixture->inbox, &error);
  MailMessageSummary *item;

  test_store_add (fixture->store, fixture->inbox, 1, 1000, "a", 0);
  g_object_unref (list);
  run_pending ();

  list = mail_message_list_new (fixture->store, fixture->inbox, &error);
  item = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_finalize_object (list);
  g_assert_cmpstr (mail_message_summary_get_subject (item), ==, "a");
  g_assert_finalize_object (item);

  g_assert_null (mail_message_list_new (fixture->store, 9999, &error));
  g_assert_error (error, MAIL_STORE_ERROR, MAIL_STORE_ERROR_NOT_FOUND);
}

/* ------------------------------------------------------------------ search */

static void
search_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  MailMessageList **list = user_data;
  g_autoptr (GError) error = NULL;

  *list = mail_message_list_new_search_finish (result, &error);
  g_assert_no_error (error);
}

static MailMessageList *
search (MailStore  *store,
        const char *text)
{
  MailMessageList *list = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  mail_message_list_new_search (store, text, 0, NULL, search_cb, &list);
  while (list == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (list);

  return list;
}

static void
search_check (Mirror     *mirror,
              MailStore  *store,
              const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = mail_store_search (store, text, 0, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (mirror->ids->len, ==, found->len);
  for (guint i = 0; i < found->len; i++)
    {
      g_assert_cmpint (g_array_index (mirror->ids, gint64, i), ==,
                       mail_message_summary_get_id (g_ptr_array_index (found, i)));
      g_assert_cmpint (item_id (mirror->model, i), ==, g_array_index (mirror->ids, gint64, i));
    }
}

static void
test_search (StoreFixture  *fixture,
             gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailMessageList) list = NULL;
  g_autoptr (Mirror) mirror = NULL;
  gint64 other = test_store_add_folder (fixture->store, "Other");
  gint64 plain;
  gint64 later;
  g_autofree char *name = NULL;
  static const char body[] = "Subject: x\r\n\r\nAbout the zeppelin, again.\r\n";

  for (guint i = 1; i <= 50; i++)
    test_store_add (fixture->store, i % 2 ? fixture->inbox : other, i, i * 100,
                    i % 5 == 0 ? "Zeppelin news" : "Other news", 0);
  plain = test_store_add (fixture->store, fixture->inbox, 100, 2550, "nothing here", 0);
  run_pending ();

  list = search (fixture->store, "zeppelin");
  g_assert_cmpstr (mail_message_list_get_match (list), ==, "\"zeppelin\"*");
  g_assert_cmpint (mail_message_list_get_folder_id (list), ==, 0);
  mirror = mirror_new (G_LIST_MODEL (list));
  g_assert_cmpuint (mirror->ids->len, ==, 10);
  search_check (mirror, fixture->store, "zeppelin");

  /* New mail that matches comes in at its place. */
  later = test_store_add (fixture->store, other, 200, 2050, "Zeppelin update", 0);
  run_pending ();
  search_check (mirror, fixture->store, "zeppelin");
  g_assert_cmpint (g_array_index (mirror->ids, gint64, 6), ==, later);

  /* A message whose body, now stored, matches. */
  {
    g_autoptr (MailStoreBodyWriter) writer = mail_store_body_writer_new (fixture->store, &error);

    g_assert_true (mail_store_body_writer_write (writer, body, strlen (body), &error));
    name = mail_store_body_writer_commit (writer, &error);
    g_assert_true (mail_store_set_body (fixture->store, plain, name, MAIL_STORE_BODY_COMPLETE, NULL, &error));
    g_assert_no_error (error);
  }
  run_pending ();
  search_check (mirror, fixture->store, "zeppelin");
  g_assert_cmpint (g_array_index (mirror->ids, gint64, 5), ==, plain);

  /* Moves keep results; removals take them out; other changes leave them. */
  g_assert_true (mail_store_move_messages (fixture->store, &later, 1, fixture->inbox, &error));
  g_assert_true (mail_store_delete_messages (fixture->store, &plain, 1, &error));
  test_store_add (fixture->store, other, 300, 9999, "unrelated", 0);
  run_pending ();
  search_check (mirror, fixture->store, "zeppelin");
  g_assert_cmpuint (mirror->ids->len, ==, 11);
}

/* ------------------------------------------------------------------ folders */

static void
count_changes_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *counter)
{
  (*counter)++;
}

static void
test_folder_list (StoreFixture  *fixture,
                  gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MailFolderList) list = mail_folder_list_new (fixture->store, &error);
  g_autoptr (MailFolderSummary) inbox = NULL;
  guint n_total = 0;
  guint n_changes = 0;
  gint64 work;
  gint64 trash;

  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == MAIL_TYPE_FOLDER_SUMMARY);
  inbox = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_signal_connect (inbox, "notify::total", G_CALLBACK (count_cb), &n_total);
  g_signal_connect (list, "items-changed", G_CALLBACK (count_changes_cb), &n_changes);

  work = test_store_add_folder (fixture->store, "Work");
  trash = test_store_add_folder (fixture->store, "Trash");
  run_pending ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  {
    g_autoptr (MailFolderSummary) second = g_list_model_get_item (G_LIST_MODEL (list), 1);
    g_autoptr (MailFolderSummary) third = g_list_model_get_item (G_LIST_MODEL (list), 2);

    g_assert_cmpint (mail_folder_summary_get_id (second), ==, trash);
    g_assert_cmpint (mail_folder_summary_get_id (third), ==, work);
  }

  test_store_add (fixture->store, fixture->inbox, 1, 1000, "counted", 0);
  run_pending ();
  g_assert_cmpuint (n_total, ==, 1);
  g_assert_cmpuint (mail_folder_summary_get_total (inbox), ==, 1);
  g_assert_cmpuint (mail_folder_summary_get_unread (inbox), ==, 1);

  g_assert_true (mail_store_delete_folder (fixture->store, work, &error));
  run_pending ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  g_assert_cmpuint (n_changes, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)

  ADD ("/store-list/lazy", test_lazy);
  ADD ("/store-list/same-dates", test_same_dates);
  ADD ("/store-list/insert-remove", test_insert_remove);
  ADD ("/store-list/item-notify", test_item_notify);
  ADD ("/store-list/read-before-wakeup", test_read_before_wakeup);
  ADD ("/store-list/reset", test_reset);
  ADD ("/store-list/random", test_random);
  ADD ("/store-list/writer-thread", test_writer_thread);
  ADD ("/store-list/lifetimes", test_lifetimes);
  ADD ("/store-list/search", test_search);
  ADD ("/store-list/folders", test_folder_list);

  return g_test_run ();
}
