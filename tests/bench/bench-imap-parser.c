/* bench-imap-parser.c
 *
 * Copyright 2026 Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* How many FETCH responses of the kind a header sync receives (UID, FLAGS, RFC822.SIZE and
 * a full ENVELOPE) the parser handles per second on one core, fed in 16 KiB reads as from
 * a socket. Run: meson test -C _build --benchmark --suite bench -v, or the binary directly
 * with an optional response count. */

#include "config.h"

#include <stdlib.h>

#include "mail-imap-parser.h"

#define READ_SIZE (16 * 1024)
#define ROUNDS    3

static GByteArray *
make_stream (guint n)
{
  GByteArray *stream = g_byte_array_new ();

  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *response =
        g_strdup_printf ("* %u FETCH (UID %u FLAGS (\\Seen%s) RFC822.SIZE %u ENVELOPE "
                         "(\"Tue, %u Jan 2024 10:%02u:00 +0100\" "
                         "\"Re: Quarterly report, part %u\" "
                         "((\"Alice Example\" NIL \"alice\" \"example.com\")) "
                         "((\"Alice Example\" NIL \"alice\" \"example.com\")) "
                         "((\"Alice Example\" NIL \"alice\" \"example.com\")) "
                         "((\"Bob Builder\" NIL \"bob\" \"example.org\")"
                         "(NIL NIL \"carol\" \"example.net\")) "
                         "((NIL NIL \"team\" \"lists.example.org\")) NIL "
                         "\"<%u.parent@mail.example.com>\" \"<%u.msg@mail.example.com>\"))\r\n",
                         i, 1000 + i, i % 3 == 0 ? " \\Answered" : "", 2000 + (i * 37) % 90000,
                         1 + i % 28, i % 60, i, i - 1, i);

      g_byte_array_append (stream, (const guint8 *) response, (guint) strlen (response));
    }

  return stream;
}

static double
run (const GByteArray *stream,
     guint             expected)
{
  g_autoptr (MailImapParser) parser = mail_imap_parser_new (NULL);
  guint64 uid_sum = 0;
  guint count = 0;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  for (gsize offset = 0; offset < stream->len; offset += READ_SIZE)
    {
      MailImapResponse *response;
      GError *error = NULL;
      MailImapParseResult result;

      mail_imap_parser_feed (parser, stream->data + offset, MIN (READ_SIZE, stream->len - offset));

      while ((result = mail_imap_parser_next (parser, &response, &error)) == MAIL_IMAP_PARSE_RESPONSE)
        {
          uid_sum += response->fetch.uid + response->fetch.envelope->to->mailbox[0];
          count++;
          mail_imap_response_unref (response);
        }

      if (result == MAIL_IMAP_PARSE_ERROR)
        g_error ("%s", error->message);
    }

  elapsed = g_get_monotonic_time () - start;

  if (count != expected || uid_sum == 0)
    g_error ("parsed %u responses of %u", count, expected);

  return count / (elapsed / (double) G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 200000;
  g_autoptr (GByteArray) stream = NULL;
  double best = 0;

  if (n == 0)
    n = 200000;

  stream = make_stream (n);
  g_print ("%u FETCH responses, %u bytes (%.0f bytes each), fed in %u-byte reads\n",
           n, stream->len, stream->len / (double) n, READ_SIZE);

  for (guint i = 0; i < ROUNDS; i++)
    {
      double rate = run (stream, n);

      g_print ("round %u: %.0f FETCH responses/second\n", i + 1, rate);
      best = MAX (best, rate);
    }

  g_print ("best: %.0f FETCH responses/second (%.1f MB/s)\n", best,
           best * (stream->len / (double) n) / 1e6);

  return 0;
}
