/* test-imap-search.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* UID SEARCH results: ESEARCH (RFC 4731) and plain SEARCH answers parsed into sorted,
 * merged ranges, listed as a UID set or, up to a limit, one UID at a time. */

#include "config.h"

#include <string.h>

#include "mail-imap-error.h"
#include "mail-imap-parser.h"
#include "mail-imap-search.h"

/* Parses @line (without CRLF) and adds it to @result. */
static gboolean
add_line (MailImapSearchResult  *result,
          const char            *line,
          GError               **error)
{
  g_autofree char *data = g_strconcat (line, "\r\n", NULL);
  g_autoptr (MailImapResponse) response = NULL;
  g_autoptr (GError) parse_error = NULL;

  response = mail_imap_parse_response (data, strlen (data), NULL, &parse_error);
  g_assert_no_error (parse_error);
  g_assert_nonnull (response);

  return mail_imap_search_result_add_response (result, response, error);
}

static void
assert_result (const char *line,
               guint32     count,
               guint32     min,
               guint32     max,
               const char *set)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *got = NULL;
  MailImapSearchResult result;

  mail_imap_search_result_init (&result);
  g_assert_true (add_line (&result, line, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.count, ==, count);
  g_assert_cmpuint (result.min, ==, min);
  g_assert_cmpuint (result.max, ==, max);
  got = mail_imap_search_result_to_set (&result);
  g_assert_cmpstr (got, ==, set);
  mail_imap_search_result_clear (&result);
}

static void
test_esearch (void)
{
  assert_result ("* ESEARCH (TAG \"a5\") UID MIN 1 MAX 12 COUNT 10 ALL 1:5,7,9:12", 10, 1, 12,
                 "1:5,7,9:12");
  /* Backwards, unordered, overlapping and touching ranges are merged. */
  assert_result ("* ESEARCH (TAG \"a5\") UID ALL 12:9,1:5,7,4:6", 11, 1, 12, "1:7,9:12");
  /* Nothing found: COUNT 0, and no MIN, MAX or ALL. */
  assert_result ("* ESEARCH (TAG \"a5\") UID COUNT 0", 0, 0, 0, NULL);
  assert_result ("* ESEARCH (TAG \"a5\") UID COUNT 4294967295 ALL 1:4294967295", G_MAXUINT32,
                 1, G_MAXUINT32, "1:4294967295");
}

static void
test_plain_search (void)
{
  assert_result ("* SEARCH 5 3 4 10 1", 5, 1, 10, "1,3:5,10");
  assert_result ("* SEARCH 4294967295 4294967294 4294967295", 2, 4294967294u, G_MAXUINT32,
                 "4294967294:4294967295");
  assert_result ("* SEARCH", 0, 0, 0, NULL);
}

static void
test_to_array (void)
{
  static const guint32 expected[] = { 1, 2, 3, 4, 5, 7, 9, 10, 11, 12 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) uids = NULL;
  g_autoptr (GArray) too_many = NULL;
  MailImapSearchResult result;

  mail_imap_search_result_init (&result);
  g_assert_true (add_line (&result, "* ESEARCH (TAG \"x\") UID COUNT 10 ALL 9:12,1:5,7",
                           &error));
  uids = mail_imap_search_result_to_array (&result, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (uids->data, uids->len * sizeof (guint32), expected, sizeof expected);

  /* Over the limit: refused before anything is allocated for it. */
  too_many = mail_imap_search_result_to_array (&result, 9, &error);
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT_EXCEEDED);
  g_assert_null (too_many);
  mail_imap_search_result_clear (&result);
}

static void
assert_refused (const char *line)
{
  g_autoptr (GError) error = NULL;
  MailImapSearchResult result;

  mail_imap_search_result_init (&result);
  g_assert_false (add_line (&result, line, &error));
  g_assert_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL);
  mail_imap_search_result_clear (&result);
}

static void
test_refused (void)
{
  /* Message numbers, not UIDs. */
  assert_refused ("* ESEARCH (TAG \"a5\") MIN 3 MAX 3 COUNT 1 ALL 3");
  /* A count that does not match the set, or a count with no set. */
  assert_refused ("* ESEARCH (TAG \"a5\") UID COUNT 3 ALL 1:5");
  assert_refused ("* ESEARCH (TAG \"a5\") UID COUNT 3");
  /* Not a search result at all. */
  assert_refused ("* 3 EXISTS");
}

/* A search result set is bounded by the line length, not by the list item limit: 200 000
 * scattered matches are a legitimate answer. */
static void
test_many_ranges (void)
{
  g_autoptr (GString) line = g_string_new ("* ESEARCH (TAG \"a9\") UID COUNT 200000 ALL ");
  g_autoptr (GError) error = NULL;
  MailImapSearchResult result;

  for (guint i = 0; i < 200000; i++)
    g_string_append_printf (line, i > 0 ? ",%u" : "%u", 2 * i + 1);

  mail_imap_search_result_init (&result);
  g_assert_true (add_line (&result, line->str, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.count, ==, 200000);
  g_assert_cmpuint (result.ranges->len, ==, 200000);
  g_assert_cmpuint (result.max, ==, 399999);
  mail_imap_search_result_clear (&result);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/imap/search/esearch", test_esearch);
  g_test_add_func ("/mail/imap/search/plain-search", test_plain_search);
  g_test_add_func ("/mail/imap/search/to-array", test_to_array);
  g_test_add_func ("/mail/imap/search/refused", test_refused);
  g_test_add_func ("/mail/imap/search/many-ranges", test_many_ranges);

  return g_test_run ();
}
