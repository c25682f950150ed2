/* mail-imap-search.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The result of a UID SEARCH, kept as ranges: an ESEARCH (RFC 4731) answer lists the UIDs
 * found as a set ("ALL 1:5,7,9:12"), which may stand for millions of messages in a few
 * bytes, and a plain SEARCH lists them one by one. Both become the same sorted, merged
 * ranges, so that nothing is expanded until a caller asks for the numbers, and then only
 * up to a limit it chooses. Pure code, no I/O. */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mail-imap-error.h"
#include "mail-imap-search.h"

/**
 * mail_imap_search_result_init:
 * @result: (out caller-allocates): a #MailImapSearchResult
 *
 * Makes @result an empty result.
 */
void
mail_imap_search_result_init (MailImapSearchResult *result)
{
  g_return_if_fail (result != NULL);

  memset (result, 0, sizeof *result);
  result->ranges = g_array_new (FALSE, FALSE, sizeof (MailImapRange));
}

/**
 * mail_imap_search_result_clear:
 * @result: a #MailImapSearchResult
 *
 * Frees what @result holds and zeroes it.
 */
void
mail_imap_search_result_clear (MailImapSearchResult *result)
{
  g_return_if_fail (result != NULL);

  g_clear_pointer (&result->ranges, g_array_unref);
  result->count = 0;
  result->min = 0;
  result->max = 0;
}

static gint
compare_ranges (gconstpointer a,
                gconstpointer b)
{
  const MailImapRange *ra = a;
  const MailImapRange *rb = b;

  return ra->first < rb->first ? -1 : ra->first > rb->first;
}

/* Sorts and merges the ranges, then works out the count, the lowest and the highest UID. */
static void
normalize (MailImapSearchResult *result)
{
  MailImapRange *r = (MailImapRange *) (gpointer) result->ranges->data;
  gboolean sorted = TRUE;
  guint64 count = 0;
  guint n = 0;

  for (guint i = 1; i < result->ranges->len && sorted; i++)
    sorted = r[i - 1].first <= r[i].first;
  if (!sorted)
    g_array_sort (result->ranges, compare_ranges);

  for (guint i = 0; i < result->ranges->len; i++)
    {
      if (n > 0 && (guint64) r[i].first <= (guint64) r[n - 1].last + 1)
        {
          r[n - 1].last = MAX (r[n - 1].last, r[i].last);
          continue;
        }
      r[n++] = r[i];
    }
  g_array_set_size (result->ranges, n);

  for (guint i = 0; i < n; i++)
    count += (guint64) r[i].last - r[i].first + 1;

  /* Distinct non-zero 32-bit UIDs: at most G_MAXUINT32 of them. */
  result->count = (guint32) MIN (count, G_MAXUINT32);
  result->min = n > 0 ? r[0].first : 0;
  result->max = n > 0 ? r[n - 1].last : 0;
}

/* The numbers of a plain SEARCH, usually ascending: runs of consecutive UIDs become one
 * range as they are added, so a mailbox searched for ALL costs one range, not a million. */
static void
add_numbers (GArray        *ranges,
             const guint32 *numbers,
             guint          n_numbers)
{
  for (guint i = 0; i < n_numbers; i++)
    {
      MailImapRange range = { numbers[i], numbers[i] };

      if (ranges->len > 0)
        {
          MailImapRange *last = &g_array_index (ranges, MailImapRange, ranges->len - 1);

          if (last->last != G_MAXUINT32 && numbers[i] == last->last + 1)
            {
              last->last = numbers[i];
              continue;
            }
        }
      g_array_append_val (ranges, range);
    }
}

static void
add_set (GArray            *ranges,
         const MailImapSet *set)
{
  for (guint i = 0; i < set->n_ranges; i++)
    {
      MailImapRange range = set->ranges[i];

      /* A range may be written backwards ("9:5" is "5:9"). */
      if (range.first > range.last)
        range = (MailImapRange) { range.last, range.first };
      g_array_append_val (ranges, range);
    }
}

static gboolean
add_esearch (MailImapSearchResult       *result,
             const MailImapEsearchData  *e,
             GError                    **error)
{
  MailImapSearchResult found;

  if (!e->uid)
    {
      g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL,
                           _("The server answered a search for UIDs with message numbers."));
      return FALSE;
    }

  mail_imap_search_result_init (&found);
  if ((e->items & MAIL_IMAP_ESEARCH_ALL) != 0)
    {
      add_set (found.ranges, &e->all);
      normalize (&found);
    }

  /* COUNT and ALL describe the same messages; a server that disagrees with itself gives
   * no result that could be trusted. */
  if ((e->items & MAIL_IMAP_ESEARCH_COUNT) != 0 && e->count != found.count)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL,
                   _("The server reported %u messages found but listed %u."), e->count,
                   found.count);
      mail_imap_search_result_clear (&found);
      return FALSE;
    }

  g_array_append_vals (result->ranges, found.ranges->data, found.ranges->len);
  mail_imap_search_result_clear (&found);

  return TRUE;
}

/**
 * mail_imap_search_result_add_response:
 * @result: a #MailImapSearchResult
 * @response: a SEARCH or ESEARCH response to a UID SEARCH
 * @error: return location for a #GError
 *
 * Adds the UIDs @response lists to @result. An ESEARCH must carry the UID indicator, and
 * its COUNT, when sent, must match the UIDs it lists.
 *
 * Returns: %TRUE when @response was a valid search result
 */
gboolean
mail_imap_search_result_add_response (MailImapSearchResult    *result,
                                      const MailImapResponse  *response,
                                      GError                 **error)
{
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (response != NULL, FALSE);

  if (result->ranges == NULL)
    result->ranges = g_array_new (FALSE, FALSE, sizeof (MailImapRange));

  switch (response->kind)
    {
    case MAIL_IMAP_RESPONSE_SEARCH:
      add_numbers (result->ranges, response->search.numbers, response->search.n_numbers);
      break;

    case MAIL_IMAP_RESPONSE_ESEARCH:
      if (!add_esearch (result, &response->esearch, error))
        return FALSE;
      break;

    default:
      g_set_error_literal (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_PROTOCOL,
                           _("The server sent something other than a search result."));
      return FALSE;
    }

  normalize (result);

  return TRUE;
}

/**
 * mail_imap_search_result_to_set:
 * @result: a #MailImapSearchResult
 *
 * Returns: (transfer full) (nullable): the UIDs found as a UID set in ascending order,
 *   such as "1:5,7,9:12", ready for a UID FETCH; %NULL when none were found
 */
char *
mail_imap_search_result_to_set (const MailImapSearchResult *result)
{
  g_autoptr (GString) set = NULL;

  g_return_val_if_fail (result != NULL, NULL);

  if (result->ranges == NULL || result->ranges->len == 0)
    return NULL;

  set = g_string_new (NULL);
  for (guint i = 0; i < result->ranges->len; i++)
    {
      const MailImapRange *r = &g_array_index (result->ranges, MailImapRange, i);

      if (i > 0)
        g_string_append_c (set, ',');
      if (r->first == r->last)
        g_string_append_printf (set, "%u", r->first);
      else
        g_string_append_printf (set, "%u:%u", r->first, r->last);
    }

  return g_string_free (g_steal_pointer (&set), FALSE);
}

/**
 * mail_imap_search_result_to_array:
 * @result: a #MailImapSearchResult
 * @max_uids: the most UIDs to list, such as %MAIL_IMAP_SEARCH_MAX_UIDS
 * @error: return location for a #GError
 *
 * Lists the UIDs found one by one. A result of more than @max_uids UIDs is refused with
 * %MAIL_IMAP_ERROR_LIMIT_EXCEEDED before anything is allocated for it.
 *
 * Returns: (transfer full) (element-type guint32) (nullable): the UIDs in ascending order
 */
GArray *
mail_imap_search_result_to_array (const MailImapSearchResult  *result,
                                  guint                        max_uids,
                                  GError                     **error)
{
  GArray *uids;

  g_return_val_if_fail (result != NULL, NULL);

  if (result->count > max_uids)
    {
      g_set_error (error, MAIL_IMAP_ERROR, MAIL_IMAP_ERROR_LIMIT_EXCEEDED,
                   _("The server found %u messages, more than the %u that can be listed."),
                   result->count, max_uids);
      return NULL;
    }

  uids = g_array_sized_new (FALSE, FALSE, sizeof (guint32), result->count);
  for (guint i = 0; result->ranges != NULL && i < result->ranges->len; i++)
    {
      const MailImapRange *r = &g_array_index (result->ranges, MailImapRange, i);

      for (guint64 uid = r->first; uid <= r->last; uid++)
        {
          guint32 value = (guint32) uid;

          g_array_append_val (uids, value);
        }
    }

  return uids;
}
