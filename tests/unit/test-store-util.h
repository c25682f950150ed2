/* test-store-util.h
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the store tests share: a store in a temporary directory, messages made from a
 * few header fields, and removing the directory again. Header-only: included by the
 * store test programs. */

#pragma once

#include <string.h>

#include <glib/gstdio.h>

#include "mail-store.h"
#include "mail-store-body-writer.h"
#include "mail-message-list.h"
#include "mail-folder-list.h"

typedef struct
{
  char      *dir;
  MailStore *store;
  gint64     inbox;
} StoreFixture;

static inline void
test_store_remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          char *child = g_build_filename (path, name, NULL);

          test_store_remove_tree (child);
          g_free (child);
        }
      g_dir_close (dir);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static inline gint64
test_store_add_folder (MailStore  *store,
                       const char *name)
{
  MailStoreFolderInfo info = { name, "/", mail_folder_role_guess (name, "/"), TRUE, 0 };
  g_autoptr (GError) error = NULL;
  gint64 id = 0;

  g_assert_true (mail_store_upsert_folder (store, &info, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

static inline void
store_fixture_setup (StoreFixture  *fixture,
                     gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("test-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = mail_store_open (fixture->dir, &error);
  g_assert_no_error (error);
  fixture->inbox = test_store_add_folder (fixture->store, "INBOX");
}

static inline void
store_fixture_teardown (StoreFixture  *fixture,
                        gconstpointer  data)
{
  /* Let pending wake-ups run, so that nothing holds the store when it goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (fixture->store);
  test_store_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* A message's headers, as a header sync gets them. */
static inline MailMimeSummary *
test_store_summary (const char *subject,
                    const char *from,
                    gint64      date,
                    const char *message_id,
                    const char *in_reply_to,
                    const char *references)
{
  g_autoptr (GString) header = g_string_new (NULL);
  g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (date);
  g_autofree char *rfc_date = g_date_time_format (when, "%a, %d %b %Y %H:%M:%S +0000");

  g_string_append_printf (header, "From: %s\r\nTo: Bob <bob@example.org>\r\nSubject: %s\r\n"
                                  "Date: %s\r\n",
                          from != NULL ? from : "Alice <alice@example.com>", subject, rfc_date);
  if (message_id != NULL)
    g_string_append_printf (header, "Message-ID: <%s>\r\n", message_id);
  if (in_reply_to != NULL)
    g_string_append_printf (header, "In-Reply-To: <%s>\r\n", in_reply_to);
  if (references != NULL)
    g_string_append_printf (header, "References: %s\r\n", references);

  return mail_mime_parse_headers (header->str, header->len, date);
}

/* Stores one message with these headers; returns its id. */
static inline gint64
test_store_add (MailStore  *store,
                gint64      folder,
                guint32     uid,
                gint64      date,
                const char *subject,
                guint32     flags)
{
  g_autofree char *message_id = g_strdup_printf ("%u.%" G_GINT64_FORMAT "@example.com", uid, folder);
  g_autoptr (MailMimeSummary) summary =
    test_store_summary (subject, NULL, date, message_id, NULL, NULL);
  MailStoreMessageInfo info = { uid, flags, NULL, date, 1000 + uid, 0, summary };
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GError) error = NULL;

  g_assert_true (mail_store_upsert_messages (store, folder, &info, 1, ids, &error));
  g_assert_no_error (error);

  return g_array_index (ids, gint64, 0);
}

static inline MailFolderSummary *
test_store_folder (MailStore *store,
                   gint64     folder)
{
  g_autoptr (GError) error = NULL;
  MailFolderSummary *summary = mail_store_get_folder (store, folder, &error);

  g_assert_no_error (error);
  return summary;
}

/* Runs the thread-default main context until @done is TRUE or 10 s have passed. */
static inline void
test_store_wait (gboolean *done)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!*done && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}
