/* bench-store.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The store with a folder of 100 000 messages: how fast headers go in (in batches of 500,
 * as a header sync commits them), what they cost on disk, how fast a fresh process opens
 * the folder and shows its first 50 rows and how much memory it holds then, and how fast
 * a full-text search answers. Prints a Markdown table.
 *
 *   meson test -C _build --benchmark --suite bench -v store
 *   _build/tests/bench/bench-store [--messages N] [--keep DIR]
 *
 * The messages are generated: names, addresses and subjects from small vocabularies,
 * one in three a reply in a thread, dates over five years, and a body text of 40 to 120
 * words from a Zipf-like vocabulary (so a search word can be rare or common) indexed as a
 * downloaded body would be. Times are wall clock with a warm page cache; the open is
 * measured in a new process each time (median of 5).
 */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "mail-store.h"
#include "mail-message-list.h"

#define BATCH 500
#define OPEN_RUNS 5
#define QUERY_RUNS 5

static const char *const first_names[] = {
  "Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory",
  "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter", "Zoë", "Jürgen",
  "François", "Søren", "Ingrid", "Mateo", "Priya", "Chen", "Yuki", "Amara", "Kofi",
};
static const char *const last_names[] = {
  "Smith", "Jones", "Garcia", "Müller", "Dubois", "Rossi", "Nakamura", "Kowalski", "Novak",
  "Andersen", "Okafor", "Silva", "Kim", "Ivanova", "Haddad", "Fischer", "Moreau", "Costa",
};
static const char *const domains[] = {
  "example.com", "example.org", "example.net", "mail.example.de", "lists.example.org",
};
static const char *const topics[] = {
  "Quarterly report", "Build failure on main", "Lunch on Friday", "Release planning",
  "Invoice", "Meeting notes", "Travel booking", "Security update", "Design review",
  "Customer feedback", "Holiday schedule", "Server migration", "Budget approval",
  "Newsletter", "Pull request", "Weekly sync", "Conference talk", "Bug triage",
};

static GPtrArray *vocabulary;

static void
make_vocabulary (GRand *rand)
{
  static const char consonants[] = "bcdfghjklmnprstvwz";
  static const char vowels[] = "aeiou";

  vocabulary = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < 20000; i++)
    {
      GString *word = g_string_new (NULL);
      guint syllables = 2 + g_rand_int_range (rand, 0, 3);

      for (guint s = 0; s < syllables; s++)
        {
          g_string_append_c (word, consonants[g_rand_int_range (rand, 0, sizeof consonants - 1)]);
          g_string_append_c (word, vowels[g_rand_int_range (rand, 0, sizeof vowels - 1)]);
        }
      g_string_append_printf (word, "%c", consonants[i % (sizeof consonants - 1)]);
      g_ptr_array_add (vocabulary, g_string_free (word, FALSE));
    }
}

/* A word whose rank follows roughly 1/x: word 0 is very common, word 19999 rare. */
static const char *
zipf_word (GRand *rand)
{
  double u = g_rand_double (rand);
  guint rank = (guint) (exp (u * log (20001.0))) - 1;

  return g_ptr_array_index (vocabulary, MIN (rank, vocabulary->len - 1));
}

#define PICK(rand, array) (array[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

static char *
make_header (GRand  *rand,
             guint   n,
             gint64  date)
{
  GString *header = g_string_new (NULL);
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (date);
  g_autofree char *rfc_date = g_date_time_format (when, "%a, %d %b %Y %H:%M:%S +0000");
  const char *first = PICK (rand, first_names);
  const char *last = PICK (rand, last_names);
  guint n_to = 1 + g_rand_int_range (rand, 0, 3);
  gboolean reply = n > 10 && g_rand_int_range (rand, 0, 3) == 0;

  g_string_append_printf (header, "From: %s %s <%c.%s@%s>\r\nTo: ", first, last,
                          g_ascii_tolower (first[0]), last, PICK (rand, domains));
  for (guint i = 0; i < n_to; i++)
    g_string_append_printf (header, "%s%s <%s@%s>", i > 0 ? ", " : "", PICK (rand, first_names),
                            PICK (rand, last_names), PICK (rand, domains));
  g_string_append_printf (header, "\r\nSubject: %s%s %s\r\nDate: %s\r\nMessage-ID: <%u.%u@bench.example>\r\n",
                          reply ? "Re: " : "", PICK (rand, topics), zipf_word (rand), rfc_date, n,
                          g_rand_int (rand));
  if (reply)
    {
      guint parent = g_rand_int_range (rand, 1, n);

      g_string_append_printf (header, "In-Reply-To: <%u.0@bench.example>\r\n"
                                      "References: <%u.0@bench.example> <%u.0@bench.example>\r\n",
                              parent, parent / 2, parent);
    }
  g_string_append (header, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n");

  return g_string_free (header, FALSE);
}

static char *
make_body (GRand *rand)
{
  GString *body = g_string_new (NULL);
  guint n = 40 + g_rand_int_range (rand, 0, 80);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (body, "%s%s", i > 0 ? (i % 12 == 0 ? ".\n" : " ") : "", zipf_word (rand));
  g_string_append (body, ".\n");

  return g_string_free (body, FALSE);
}

static gsize
read_status_kb (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, key);
  return line != NULL ? (gsize) g_ascii_strtoull (line + strlen (key), NULL, 10) : 0;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

static double
percentile (GArray *values,
            double  p)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, MIN (values->len - 1, (guint) (values->len * p)));
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static gsize
file_size (const char *dir,
           const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gsize) st.st_size : 0;
}

/* ------------------------------------------------------------------ the child */

/* A new process opens the store and shows the first 50 rows of the folder: the time
 * that takes, and the process's peak memory then (and after scrolling 2000 rows). */
static int
child_open (const char *dir,
            gint64      folder)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr (GError) error = NULL;
  g_autoptr (MailStore) store = mail_store_open (dir, &error);
  g_autoptr (MailMessageList) list = NULL;
  gsize total_chars = 0;
  double open_ms;
  gsize rss_first;

  g_assert_no_error (error);
  list = mail_message_list_new (store, folder, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr (MailMessageSummary) item = g_list_model_get_item (G_LIST_MODEL (list), i);

      total_chars += strlen (mail_message_summary_get_subject (item)) +
                     strlen (mail_message_summary_get_sender (item));
    }
  open_ms = ms_since (start);
  rss_first = read_status_kb ("VmHWM:");

  for (guint i = 50; i < 2000; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));

  printf ("RESULT open_ms=%.2f rss_kb=%zu rss_scrolled_kb=%zu items=%u loaded=%u chars=%zu\n",
          open_ms, rss_first, read_status_kb ("VmHWM:"),
          g_list_model_get_n_items (G_LIST_MODEL (list)), mail_message_list_get_n_loaded (list),
          total_chars);
  return 0;
}

/* ------------------------------------------------------------------ the benchmark */

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

/* A search as the UI runs it: the results' keys on a worker thread, then the list on
 * this thread and its first 50 rows. */
static double
timed_search (MailStore  *store,
              const char *text,
              guint      *n_results)
{
  MailMessageList *list = NULL;
  gint64 start = g_get_monotonic_time ();
  guint n;
  double ms;

  mail_message_list_new_search (store, text, 0, NULL, search_cb, &list);
  while (list == NULL)
    g_main_context_iteration (NULL, TRUE);

  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  for (guint i = 0; i < MIN (n, 50); i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), i));
  ms = ms_since (start);

  *n_results = n;
  g_object_unref (list);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  return ms;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  g_autofree char *dir = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr (GArray) open_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) query_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GString) query_table = g_string_new (NULL);
  guint n_messages = 100000;
  const char *keep = NULL;
  gint64 folder = 0;
  gint64 parse_us = 0;
  gint64 insert_us = 0;
  gint64 index_us = 0;
  gsize rss_10k = 0;
  gsize rss_100k = 0;
  gsize size_headers;
  gsize size_bodies;
  gsize rss_open = 0;
  gsize rss_scrolled = 0;
  guint loaded = 0;
  gint64 now = 1767225600; /* 2026-01-01 */

  if (argc == 4 && strcmp (argv[1], "--open") == 0)
    return child_open (argv[2], g_ascii_strtoll (argv[3], NULL, 10));

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--messages") == 0 && i + 1 < argc)
        n_messages = (guint) atoi (argv[++i]);
      else if (strcmp (argv[i], "--keep") == 0 && i + 1 < argc)
        keep = argv[++i];
    }

  make_vocabulary (rand);
  if (keep != NULL)
    {
      g_mkdir_with_parents (keep, 0700);
      dir = g_strdup (keep);
    }
  else
    dir = g_dir_make_tmp ("bench-store-XXXXXX", &error);
  g_assert_no_error (error);

  /* 1. Header sync: batches of 500 parsed (mail_mime_parse_headers) and committed. */
  {
    g_autoptr (MailStore) store = mail_store_open (dir, &error);
    MailStoreFolderInfo info = { "INBOX", "/", MAIL_FOLDER_ROLE_INBOX, TRUE, 0 };
    g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

    g_assert_no_error (error);
    g_assert_true (mail_store_upsert_folder (store, &info, &folder, &error));

    for (guint first = 0; first < n_messages; first += BATCH)
      {
        guint n = MIN (BATCH, n_messages - first);
        g_autofree MailStoreMessageInfo *infos = g_new0 (MailStoreMessageInfo, n);
        g_autoptr (GPtrArray) summaries =
          g_ptr_array_new_with_free_func ((GDestroyNotify) mail_mime_summary_free);
        g_autoptr (GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
        gint64 start;

        for (guint i = 0; i < n; i++)
          {
            gint64 date = now - (gint64) g_rand_int_range (rand, 0, 5 * 365 * 86400);

            g_ptr_array_add (headers, make_header (rand, first + i + 1, date));
            infos[i].uid = first + i + 1;
            infos[i].flags = g_rand_int_range (rand, 0, 10) < 8 ? MAIL_MESSAGE_SEEN : 0;
            infos[i].internal_date = date;
            infos[i].size = 2000 + g_rand_int_range (rand, 0, 50000);
          }

        start = g_get_monotonic_time ();
        for (guint i = 0; i < n; i++)
          {
            const char *header = g_ptr_array_index (headers, i);

            g_ptr_array_add (summaries, mail_mime_parse_headers (header, strlen (header),
                                                                 infos[i].internal_date));
            infos[i].summary = g_ptr_array_index (summaries, i);
          }
        parse_us += g_get_monotonic_time () - start;

        start = g_get_monotonic_time ();
        g_assert_true (mail_store_begin (store, MAIL_STORE_DURABILITY_NORMAL, &error));
        g_assert_true (mail_store_upsert_messages (store, folder, infos, n, ids, &error));
        g_assert_true (mail_store_commit (store, &error));
        g_assert_no_error (error);
        insert_us += g_get_monotonic_time () - start;

        if (first + n == 10000 || (first + n < 10000 && first + n == n_messages))
          rss_10k = read_status_kb ("VmRSS:");
      }
    rss_100k = read_status_kb ("VmRSS:");
  }

  size_headers = file_size (dir, "store.db");

  /* The bodies' text is indexed as the body sync does (the files themselves are not
   * written: that cost is the disk's, and the IMAP sync benchmark's). */
  {
    g_autoptr (MailStore) store = mail_store_open (dir, &error);
    g_autoptr (GArray) id_list = NULL;

    g_assert_no_error (error);
    id_list = mail_store_list_missing_bodies (store, folder, 0, G_MAXUINT, &error);
    g_assert_no_error (error);

    for (guint first = 0; first < id_list->len; first += BATCH)
      {
        guint n = MIN (BATCH, id_list->len - first);
        g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
        g_autoptr (GPtrArray) previews = g_ptr_array_new_with_free_func (g_free);
        gint64 start;

        for (guint i = 0; i < n; i++)
          {
            g_autoptr (GRand) body_rand = g_rand_new_with_seed ((guint32) g_array_index (id_list, gint64, first + i));
            char *text = make_body (body_rand);

            g_ptr_array_add (texts, text);
            g_ptr_array_add (previews, mail_mime_text_preview (text, MAIL_MIME_PREVIEW_CHARS));
          }

        start = g_get_monotonic_time ();
        g_assert_true (mail_store_begin (store, MAIL_STORE_DURABILITY_NORMAL, &error));
        for (guint i = 0; i < n; i++)
          {
            gint64 id = g_array_index (id_list, gint64, first + i);
            g_autofree char *name = g_strdup_printf ("bench-%" G_GINT64_FORMAT ".eml", id);
            MailMimeSummary summary = { 0 };

            summary.body_text = g_ptr_array_index (texts, i);
            summary.preview = g_ptr_array_index (previews, i);
            g_assert_true (mail_store_set_body (store, id, name, MAIL_STORE_BODY_COMPLETE, &summary, &error));
          }
        g_assert_true (mail_store_commit (store, &error));
        g_assert_no_error (error);
        index_us += g_get_monotonic_time () - start;
      }
  }

  size_bodies = file_size (dir, "store.db");

  /* 2. A new process opens the folder. */
  for (guint run = 0; run < OPEN_RUNS; run++)
    {
      g_autofree char *folder_arg = g_strdup_printf ("%" G_GINT64_FORMAT, folder);
      const char *child_argv[] = { self_exe, "--open", dir, folder_arg, NULL };
      g_autofree char *out = NULL;
      int status = 0;
      const char *result;
      double ms;

      g_assert_true (g_spawn_sync (NULL, (char **) child_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   &out, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      result = strstr (out, "RESULT ");
      g_assert_nonnull (result);
      ms = g_ascii_strtod (strstr (result, "open_ms=") + 8, NULL);
      g_array_append_val (open_times, ms);
      rss_open = MAX (rss_open, (gsize) g_ascii_strtoull (strstr (result, "rss_kb=") + 7, NULL, 10));
      rss_scrolled = MAX (rss_scrolled,
                          (gsize) g_ascii_strtoull (strstr (result, "rss_scrolled_kb=") + 16, NULL, 10));
      loaded = (guint) g_ascii_strtoull (strstr (result, "loaded=") + 7, NULL, 10);
    }

  /* 3. Searches: rare, middling and common words, names, fields, phrases, prefixes. */
  {
    g_autoptr (MailStore) store = mail_store_open (dir, &error);
    const char *queries[] = {
      g_ptr_array_index (vocabulary, 15000),
      g_ptr_array_index (vocabulary, 2000),
      g_ptr_array_index (vocabulary, 200),
      g_ptr_array_index (vocabulary, 3),
      "jürgen",
      "from:priya",
      "to:kowalski",
      "subject:invoice",
      "release planning",
      NULL, /* a phrase of two common words */
      NULL, /* a prefix of three letters */
      "nonexistentword",
    };
    g_autofree char *phrase = g_strdup_printf ("\"%s %s\"", (char *) g_ptr_array_index (vocabulary, 0),
                                               (char *) g_ptr_array_index (vocabulary, 1));
    g_autofree char *prefix = g_strndup (g_ptr_array_index (vocabulary, 50), 3);

    g_assert_no_error (error);
    queries[9] = phrase;
    queries[10] = prefix;

    g_string_append (query_table, "| Query | Results | Median (ms) |\n| --- | ---: | ---: |\n");
    for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
      {
        g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
        guint n_results = 0;

        for (guint run = 0; run < QUERY_RUNS; run++)
          {
            double ms = timed_search (store, queries[q], &n_results);

            g_array_append_val (times, ms);
            g_array_append_val (query_times, ms);
          }
        g_string_append_printf (query_table, "| `%s` | %u | %.1f |\n", queries[q], n_results,
                                median (times));
      }
  }

  printf ("\n## Store benchmark: %u messages in one folder\n\n", n_messages);
  printf ("| Measure | Result | Target |\n| --- | ---: | --- |\n");
  printf ("| Open the store in a new process and produce the first 50 rows (median of %d) | %.1f ms | < 100 ms |\n",
          OPEN_RUNS, median (open_times));
  printf ("| Peak RSS of that process (after scrolling 2000 rows) | %.1f MiB (%.1f MiB) | < 150 MB |\n",
          rss_open / 1024.0, rss_scrolled / 1024.0);
  printf ("| Items created for the first 50 rows and 2000 scrolled | %u | lazy |\n", loaded);
  printf ("| Full-text search, first 50 rows: median (p90) over %u runs | %.1f ms (%.1f ms) | < 50 ms |\n",
          query_times->len, median (query_times), percentile (query_times, 0.9));
  printf ("| Header insert, batches of %d per transaction (search index included) | %.0f msg/s | |\n",
          BATCH, n_messages / (insert_us / 1e6));
  printf ("| Header parse (mail_mime_parse_headers) | %.0f msg/s | |\n", n_messages / (parse_us / 1e6));
  printf ("| Body text indexing, batches of %d | %.0f msg/s | |\n", BATCH, n_messages / (index_us / 1e6));
  printf ("| RSS while inserting, at 10k / at %uk messages | %.1f / %.1f MiB | flat |\n",
          n_messages / 1000, rss_10k / 1024.0, rss_100k / 1024.0);
  printf ("| Database size per message, headers only | %.0f bytes | |\n", (double) size_headers / n_messages);
  printf ("| Database size per message, with body text indexed | %.0f bytes | |\n",
          (double) size_bodies / n_messages);
  printf ("\n%s\n", query_table->str);

  if (keep == NULL)
    {
      g_autofree char *db = g_build_filename (dir, "store.db", NULL);
      g_autofree char *bodies_dir = g_build_filename (dir, "bodies", NULL);

      g_unlink (db);
      g_rmdir (bodies_dir);
      g_rmdir (dir);
    }

  return 0;
}
